// Reads below --root are capped and refuse what is not a regular file: /dev/zero at
// proc/net/dev (symlinked or bind-mounted), a FIFO there, a sparse file of many MiB. Each is
// an error for its section, named on stderr, with the rest printed; nothing grows without
// bound and nothing blocks. (Assertions are on the errors, never on time.)
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { BIG_TABLE_CAP, readCap, readCapped, SMALL_FILE_CAP } from '../src/sources/kernel-fs.js';
import { run, type RunResult } from './helpers/netns.js';
import { prereq } from './helpers/prereq.js';

const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));
const FIXTURE_ROOT = fileURLToPath(new URL('../../test/fixtures/root-basic', import.meta.url));

let dir = '';
let n = 0;
/** A copy of the fixture root whose proc/net/dev is made by `plant`. */
function rootWith(plant: (file: string) => void): string {
  const root = join(dir, `root-${n++}`);
  cpSync(FIXTURE_ROOT, root, { recursive: true });
  const file = join(root, 'proc/net/dev');
  rmSync(file, { force: true });
  plant(file);
  return root;
}
const cli = (args: string[]): Promise<RunResult> => run(process.execPath, [CLI, ...args]);

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'netdash-caps-'));
});
after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('--root reads that are capped or refused', () => {
  it('/dev/zero symlinked as proc/net/dev: "not a regular file", the sockets still print', async () => {
    const root = rootWith((f) => symlinkSync('/dev/zero', f));
    const r = await cli(['--print', '-i', '--root', root]);
    assert.equal(r.stderr, 'netdash: /proc/net/dev: not a regular file (refused: a device, FIFO or socket)\n');
    const j = await cli(['--json', '--root', root]);
    const doc = JSON.parse(j.stdout) as { errors: Record<string, string>; connections: unknown[] };
    assert.match(doc.errors['interfaces'] ?? '', /not a regular file/);
    assert.ok(doc.connections.length > 0, 'the other sections are read');
  });

  it('/dev/zero bind-mounted on proc/net/dev: refused the same way', async (t) => {
    if (!prereq(t, ['root'])) return;
    const root = rootWith((f) => writeFileSync(f, ''));
    // In a mount namespace of its own, so nothing is left mounted.
    const r = await run('unshare', [
      '-m',
      'sh',
      '-c',
      `mount --bind /dev/zero "$1" && exec "$2" "$3" --print -i --root "$4"`,
      'sh',
      join(root, 'proc/net/dev'),
      process.execPath,
      CLI,
      root,
    ]);
    assert.equal(r.stderr, 'netdash: /proc/net/dev: not a regular file (refused: a device, FIFO or socket)\n');
  });

  it('a FIFO as proc/net/dev: refused at once, not waited on', async () => {
    const root = rootWith((f) => execFileSync('mkfifo', [f]));
    const r = await cli(['--print', '-i', '--root', root]);
    assert.equal(r.stderr, 'netdash: /proc/net/dev: not a regular file (refused: a device, FIFO or socket)\n');
    assert.equal(r.code, 0);
  });

  it('a sparse file above the cap: refused without reading it', async () => {
    const root = rootWith((f) => {
      writeFileSync(f, '');
      truncateSync(f, SMALL_FILE_CAP + 1);
    });
    const r = await cli(['--print', '-i', '--root', root]);
    assert.equal(r.stderr, 'netdash: /proc/net/dev: larger than the 16 MiB cap (refused)\n');
  });

  it('readCapped: a file that says size 0 and goes on (a /proc file) is cut at the cap', async () => {
    // /proc/self/smaps reports size 0 and holds tens of KB: the cap is enforced while reading.
    await assert.rejects(readCapped('/proc/self/smaps', 1024), (e: NodeJS.ErrnoException) => e.code === 'ETOOBIG' && /cap/.test(e.message));
    assert.ok((await readCapped('/proc/self/smaps', SMALL_FILE_CAP)).length > 1024);
  });

  it('readCapped: exactly the cap is read, one byte more is refused', async () => {
    const f = join(dir, 'exact');
    writeFileSync(f, Buffer.alloc(4096, 'a'));
    assert.equal((await readCapped(f, 4096)).length, 4096);
    await assert.rejects(readCapped(f, 4095), (e: NodeJS.ErrnoException) => e.code === 'ETOOBIG');
  });

  it('the caps: big kernel tables 256 MiB, everything else 16 MiB', () => {
    for (const rel of [
      'proc/net/tcp',
      'proc/net/tcp6',
      'proc/net/unix',
      'proc/net/nf_conntrack',
      'proc/net/route',
      'proc/net/ipv6_route',
    ]) {
      assert.equal(readCap(rel), BIG_TABLE_CAP, rel);
    }
    for (const rel of ['proc/net/dev', 'proc/net/snmp', 'sys/class/net/lo/mtu', 'etc/services'])
      assert.equal(readCap(rel), SMALL_FILE_CAP, rel);
  });
});
