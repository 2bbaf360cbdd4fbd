// Process owners on demand: the dashboard scans /proc/<pid>/fd only while something on screen
// shows owners (under connection churn the scan was a quarter of the dashboard's CPU with no
// owner anywhere on screen). The sampler reads no fd link while owners are off, and scans at
// once when they are turned on; the dashboard asks for them exactly when a view needs them.
// And when owners are shown under churn: a listed socket that no fd holds is first asked about
// again (closed since the table was read?) before every fd is read again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Sampler, type Clock } from '../src/sampler/sampler.js';
import { OwnerCache, scanProcessOwners } from '../src/sources/process-owners.js';
import { kernelFs, type KernelFs } from '../src/sources/kernel-fs.js';
import type { Want } from '../src/sources/snapshot.js';
import { initialState, needsOwners, reduce, type Action, type UiState } from '../src/dashboard/ui-state.js';
import { parseOptions } from '../src/cli/options.js';
import { run, type Io } from '../src/cli/run.js';
import { start } from './helpers/dashboard-harness.js';
import { JumpClock } from './helpers/fake-clock.js';
import { fakeTty } from './helpers/fake-tty.js';
import { estab, listen } from './helpers/dashboard-samples.js';

const FX = fileURLToPath(new URL('../../test/fixtures/', import.meta.url));
const WANT: Want = {
  inet: ['tcp'],
  unix: false,
  owners: true,
  interfaces: false,
  counters: false,
  routes4: false,
  routes6: false,
  conntrack: false,
};

/** root-basic's /proc/net plus one process (pid 100, "server") holding the first TCP socket
 *  at fd 3; every fd table listed and link read is counted. */
function world(): { root: string; kfs: KernelFs; inode: number; fdReads: () => number; done: () => void } {
  const root = mkdtempSync(path.join(tmpdir(), 'netdash-ownerdemand-'));
  cpSync(path.join(FX, 'root-basic', 'proc', 'net'), path.join(root, 'proc', 'net'), { recursive: true });
  const tcp = readFileSync(path.join(root, 'proc', 'net', 'tcp'), 'utf8').split('\n')[1] ?? '';
  const inode = Number(tcp.trim().split(/\s+/)[9]);
  assert.ok(inode > 0, 'the fixture has a TCP socket with an inode');
  mkdirSync(path.join(root, 'proc', '100', 'fd'), { recursive: true });
  writeFileSync(path.join(root, 'proc', '100', 'cmdline'), '/usr/bin/server\0');
  writeFileSync(path.join(root, 'proc', '100', 'comm'), 'server\n');
  symlinkSync(`socket:[${inode}]`, path.join(root, 'proc', '100', 'fd', '3'));
  const base = kernelFs(root);
  let n = 0;
  const kfs: KernelFs = {
    ...base,
    readLink: (rel) => {
      if (/^proc\/\d+\/fd\//.test(rel)) n++;
      return base.readLink(rel);
    },
    readDir: (rel) => {
      if (/^proc\/\d+\/fd$/.test(rel)) n++;
      return base.readDir(rel);
    },
  };
  return { root, kfs, inode, fdReads: () => n, done: () => rmSync(root, { recursive: true, force: true }) };
}

function stillClock(): Clock {
  let mono = 1_000_000;
  return {
    now: () => mono,
    mono: () => (mono += 200),
    sleep: () => Promise.resolve(),
  };
}

test('a sampler with owners turned off reads no fd table; turned on, its next tick has the owners', async () => {
  const w = world();
  try {
    const s = new Sampler(w.kfs, stillClock(), { intervalMs: 200, want: WANT }, () => {});
    const first = await s.tick();
    assert.equal(first.raw.snapshot.owners?.owners.get(w.inode)?.program, 'server', 'owners by default, as asked');
    s.setOwners(false);
    const before = w.fdReads();
    for (let i = 0; i < 3; i++) {
      const { raw, sample } = await s.tick();
      assert.equal(raw.snapshot.owners, undefined, 'no owners in the sample');
      assert.equal(sample.ownersAgeMs, null);
    }
    assert.equal(w.fdReads(), before, 'no /proc/<pid>/fd read while owners are off');
    s.setOwners(true);
    const back = await s.tick();
    assert.deepEqual(back.raw.snapshot.owners?.owners.get(w.inode), { pid: 100, program: 'server' });
  } finally {
    w.done();
  }
});

test('owners turned on while the sampler waits: the next tick comes at once, not after the interval', { timeout: 20_000 }, async () => {
  const w = world();
  try {
    // A clock whose sleep ends only when cut short: without the early tick run() would wait forever.
    const mono = 0;
    const clock: Clock = {
      now: () => mono,
      mono: () => mono,
      sleep: (_ms, signal) =>
        new Promise((res) => (signal.aborted ? res() : signal.addEventListener('abort', () => res(), { once: true }))),
    };
    const seen: boolean[] = [];
    const s = new Sampler(w.kfs, clock, { intervalMs: 60_000, want: { ...WANT, owners: false } }, (smp, raw) => {
      seen.push(raw.snapshot.owners !== undefined);
      if (seen.length === 1) setImmediate(() => s.setOwners(true));
    });
    await s.run(2);
    assert.deepEqual(seen, [false, true]);
  } finally {
    w.done();
  }
});

const after = (s: UiState, ...actions: Action[]): UiState =>
  actions.reduce((st, a) => reduce(st, a, { keys: () => [], height: () => 10 }), s);

test('needsOwners: only views that show owners ask for them', () => {
  const plain = initialState(parseOptions(['-a']));
  assert.equal(needsOwners(plain), false, '-a without -p shows no owner');
  assert.equal(needsOwners(initialState(parseOptions(['-a', '-p']))), true, '-p: the PID/Program column');
  assert.equal(needsOwners(after(plain, { type: 'toggle', flag: 'programs' })), true, 'p');
  assert.equal(needsOwners(after(plain, { type: 'focus', pane: 'processes' })), true, 'the Processes pane');
  assert.equal(needsOwners(after(plain, { type: 'focus', pane: 'peers' })), true, 'the Peers pane');
  assert.equal(needsOwners(after(plain, { type: 'focus', pane: 'interfaces' })), false);
  assert.equal(needsOwners(after(plain, { type: 'filterStart' }, { type: 'filterInput', text: 'nginx' })), true, 'a filter matches owners');
  assert.equal(needsOwners(after(plain, { type: 'sortBy', pane: 'connections', col: 'program' })), true, 'sorted by program');
  assert.equal(needsOwners(after(plain, { type: 'toggle', flag: 'traffic' })), false, 'traffic columns alone show no owner');
});

test('the dashboard asks its source for owners only while a view shows them: p, Enter, 9, /', async () => {
  const h = start(['-a'], 120, 30);
  const asked: boolean[] = [];
  (h.src as typeof h.src & { setOwners(on: boolean): void }).setOwners = (on) => {
    asked.push(on);
  };
  try {
    h.src.push({ inet: [listen(22), estab(22, 40000)] });
    await h.settle();
    // The harness sets its spy after the dashboard's first question (off): the state is the same.
    assert.deepEqual(asked, [], 'nothing asked again while nothing changes');
    await h.press('p');
    assert.deepEqual(asked, [true], 'p shows the PID/Program column');
    has(h.screen(), 'PID/Program');
    await h.press('p');
    assert.deepEqual(asked, [true, false]);
    await h.press('\r');
    assert.deepEqual(asked, [true, false, true], 'a detail view shows the Program line');
    await h.press('\x1b');
    assert.deepEqual(asked, [true, false, true, false]);
    await h.press('9');
    assert.deepEqual(asked, [true, false, true, false, true], 'the Processes pane');
  } finally {
    await h.close();
  }
});

function has(screen: string, text: string): void {
  assert.ok(screen.includes(text), `screen has ${text}:\n${screen}`);
}

/** The whole program in-process on the world's root and a fake terminal; fd reads counted. */
async function runDashboard(w: ReturnType<typeof world>, args: string[]): Promise<number> {
  const io: Io = {
    kernel: () => w.kfs,
    clock: new JumpClock().clock,
    env: { LANG: 'C.UTF-8' },
    stdin: fakeTty(100, 30),
    stdout: fakeTty(100, 30),
    stderr: fakeTty(100, 30),
    signals: { on: () => {}, off: () => {} },
    dns: () => (addr: string) => Promise.reject(Object.assign(new Error(`no PTR for ${addr}`), { code: 'ENOTFOUND' })),
    hostname: () => 'fixture-host',
    release: () => '0.0-fixture',
    exit: (code) => code,
  };
  return run(['--root', w.root, '--count', '3', ...args], io);
}

test('the dashboard without -p reads no fd table; with --record it does, and the recording has the owners', async () => {
  const w = world();
  try {
    assert.equal(await runDashboard(w, ['-a']), 0);
    assert.equal(w.fdReads(), 0, 'nothing on screen shows owners');
    const file = path.join(w.root, 'rec.ndjson');
    assert.equal(await runDashboard(w, ['-a', '--record', file]), 0);
    assert.ok(w.fdReads() > 0, 'a recording keeps every section');
    const text = readFileSync(file, 'utf8');
    assert.ok(text.includes('"server"'), `the owner is recorded:\n${text.slice(0, 400)}`);
  } finally {
    w.done();
  }
});

test("OwnerCache with stillListed: a socket closed since the table was read costs no full rescan; a reused fd still gets one, and the answers are a full scan's", async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'netdash-ownerlisted-'));
  try {
    const base = kernelFs(root);
    const reads: string[] = [];
    const kfs: KernelFs = {
      ...base,
      readLink: (rel) => {
        if (rel.includes('/fd/')) reads.push(rel);
        return base.readLink(rel);
      },
    };
    const proc = (pid: number, name: string): void => {
      mkdirSync(path.join(root, 'proc', String(pid), 'fd'), { recursive: true });
      writeFileSync(path.join(root, 'proc', String(pid), 'cmdline'), `/usr/bin/${name}\0`);
      writeFileSync(path.join(root, 'proc', String(pid), 'comm'), `${name}\n`);
    };
    const fd = (pid: number, n: number, target: string | null): void => {
      const p = path.join(root, 'proc', String(pid), 'fd', String(n));
      rmSync(p, { force: true });
      if (target !== null) symlinkSync(target, p);
    };
    proc(100, 'server');
    proc(200, 'worker');
    fd(100, 3, 'socket:[1000]');
    fd(100, 4, 'socket:[1001]');
    fd(200, 7, 'socket:[1000]');
    let kernel = new Set([1000, 1001]);
    const asked: number[][] = [];
    const cache = new OwnerCache(kfs, async (inodes) => {
      asked.push([...inodes]);
      return new Set(inodes.filter((i) => kernel.has(i)));
    });
    const same = async (live: Set<number>): Promise<void> => {
      const inc = await cache.scan(live);
      const full = await scanProcessOwners(kernelFs(root));
      for (const inode of live) assert.deepEqual(inc.owners.get(inode), full.owners.get(inode), `inode ${inode}`);
    };
    await same(new Set([1000, 1001]));
    // Socket 1001 closes after the table listed it; a new socket 1002 opens at fd 5.
    fd(100, 4, null);
    fd(100, 5, 'socket:[1002]');
    kernel = new Set([1000, 1002]);
    reads.length = 0;
    asked.length = 0;
    await same(new Set([1000, 1001, 1002]));
    assert.deepEqual(asked, [[1001]], 'the kernel is asked about the socket no fd holds');
    assert.deepEqual(reads, ['proc/100/fd/5'], 'only the new fd is read: no full rescan for a closed socket');
    // fd 3 is reused for socket 2000 while 1000 lives on in the worker: still listed, so every
    // fd is read again and 2000 gets its owner.
    fd(100, 3, 'socket:[2000]');
    kernel = new Set([1000, 1002, 2000]);
    reads.length = 0;
    await same(new Set([1000, 1002, 2000]));
    assert.ok(reads.includes('proc/100/fd/3'), 'the reused fd is read again');
    assert.deepEqual((await cache.scan(new Set([1000, 1002, 2000]))).owners.get(2000), { pid: 100, program: 'server' });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
