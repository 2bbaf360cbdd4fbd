// --print writes its text as it is made: the pieces add up to exactly what renderPrint gives,
// the warnings are the same, each piece is small, and a reader that is slow or stops early
// gets what it asked for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseOptions } from '../src/cli/options.js';
import { loadProtocols, loadServices } from '../src/names/services.js';
import { loadUsers } from '../src/names/users.js';
import type { NameContext } from '../src/names/netstat-notation.js';
import { printChunks, printErrors, renderPrint, wantFor } from '../src/print/render-print.js';
import { kernelFs, type KernelFs } from '../src/sources/kernel-fs.js';
import { readSnapshot } from '../src/sources/snapshot.js';

const FX = fileURLToPath(new URL('../../test/fixtures/', import.meta.url));
const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));

async function names(kfs: KernelFs): Promise<NameContext> {
  const [services, protocols, users] = await Promise.all([loadServices(kfs), loadProtocols(kfs), loadUsers(kfs)]);
  return { services, protocols, users, hostName: () => undefined, owners: null };
}

/** A root like root-basic whose /proc/net/tcp holds `n` connections (and a broken line). */
function bigRoot(n: number): string {
  const root = mkdtempSync(path.join(tmpdir(), 'netdash-bigroot-'));
  cpSync(path.join(FX, 'root-basic'), root, { recursive: true });
  const lines = ['  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode'];
  for (let i = 0; i < n; i++) {
    const port = (10_000 + (i % 50_000)).toString(16).toUpperCase().padStart(4, '0');
    lines.push(
      `${String(i).padStart(4)}: 0100007F:1F90 0100007F:${port} 01 00000000:00000000 00:00000000 00000000  1000        0 ${100_000 + i} 1 0000000000000000 20 4 30 10 -1`,
    );
  }
  lines.push('garbage that is not a socket line');
  writeFileSync(path.join(root, 'proc/net/tcp'), lines.join('\n') + '\n');
  return root;
}

test('printChunks adds up to renderPrint, and printErrors says what renderPrint says, in every section', async () => {
  const kfs = kernelFs(path.join(FX, 'root-basic'));
  const ctx = await names(kfs);
  for (const args of [
    ['-tan'],
    ['-tuwxan'],
    ['-tln'],
    ['-xa'],
    ['-i'],
    ['-ia'],
    ['-ie'],
    ['-s'],
    ['-st'],
    ['-r'],
    ['-rn'],
    ['-rA', 'inet6'],
    ['-M'],
    ['--tcp', '-e', '-o'],
  ]) {
    const o = parseOptions(['--print', ...args]);
    const snap = await readSnapshot(kfs, wantFor(o));
    const whole = renderPrint(o, snap, ctx);
    assert.equal([...printChunks(o, snap, ctx)].join(''), whole.out, args.join(' '));
    assert.deepEqual(printErrors(o, snap), whole.errors, args.join(' '));
  }
});

test('a big table comes in pieces of about 64 KiB, each ending with a whole line', async (t) => {
  const root = bigRoot(20_000);
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const kfs = kernelFs(root);
  const o = parseOptions(['--print', '-tan']);
  const snap = await readSnapshot(kfs, wantFor(o));
  const chunks = [...printChunks(o, snap, await names(kfs))];
  assert.ok(chunks.length > 10, `${chunks.length} pieces`);
  for (const c of chunks) {
    assert.ok(c.length < (1 << 16) + 200, `a piece of ${c.length} characters`);
    assert.ok(c === '' || c.endsWith('\n'));
  }
  assert.deepEqual(printErrors(o, snap), ['/proc/net/tcp: 1 malformed line skipped']);
});

/** Run the CLI with stdout on a pipe that is read with pauses (a slow terminal, ssh): while
 *  this side sleeps the pipe fills and netdash has to wait for it. */
async function slowRead(args: string[]): Promise<{ out: string; err: string; code: number | null }> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const closed = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code));
  });
  const parts: Buffer[] = [];
  for await (const d of child.stdout) {
    parts.push(d as Buffer);
    if (parts.length % 4 === 0) await sleep(3);
  }
  const code = await closed;
  return { out: Buffer.concat(parts).toString(), err, code };
}

test('netdash --print into a slow pipe: every line arrives, in order, warnings first', async (t) => {
  const root = bigRoot(30_000);
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const kfs = kernelFs(root);
  const o = parseOptions(['--print', '-tan', '--root', root]);
  const want = renderPrint(o, await readSnapshot(kfs, wantFor(o)), await names(kfs));
  const r = await slowRead(['--print', '-tan', '--root', root]);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out.length, want.out.length);
  assert.equal(r.out, want.out);
  assert.equal(r.err, 'netdash: /proc/net/tcp: 1 malformed line skipped\n');
});

test('netdash --print to a reader that stops after the first line: a quiet exit, status 0', async (t) => {
  const root = bigRoot(30_000);
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const r = await new Promise<{ code: number | null; err: string; first: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, '--print', '-tan', '--root', root], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    let first = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.stdout.once('data', (d: Buffer) => {
      first = d.toString().split('\n')[0] ?? '';
      child.stdout.destroy();
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, err, first }));
  });
  assert.equal(r.first, 'Active Internet connections (servers and established)');
  assert.equal(r.code, 0, r.err);
  assert.doesNotMatch(r.err, /EPIPE|Error/);
});
