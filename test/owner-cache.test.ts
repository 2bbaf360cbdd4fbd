// The owner cache between scans: what it reads again, what it hands back unchanged, and that
// whatever it skips, its answer for every listed socket is the one a full scan gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { OwnerCache, scanProcessOwners } from '../src/sources/process-owners.js';
import { kernelFs, type KernelFs } from '../src/sources/kernel-fs.js';

/** A fake /proc under a temp root, with a log of every fd table and link read. */
function world(): {
  root: string;
  kfs: KernelFs;
  reads: string[];
  lists: string[];
  proc(pid: number, name: string): void;
  fd(pid: number, n: number, target: string | null): void;
  exit(pid: number): void;
} {
  const root = mkdtempSync(path.join(tmpdir(), 'netdash-ownercache-'));
  mkdirSync(path.join(root, 'proc'));
  const base = kernelFs(root);
  const reads: string[] = [];
  const lists: string[] = [];
  const kfs: KernelFs = {
    root,
    readText: (rel) => base.readText(rel),
    readLink: (rel) => {
      reads.push(rel);
      return base.readLink(rel);
    },
    readDir: (rel) => {
      if (rel.endsWith('/fd')) lists.push(rel);
      return base.readDir(rel);
    },
  };
  return {
    root,
    kfs,
    reads,
    lists,
    proc(pid, name) {
      mkdirSync(path.join(root, 'proc', String(pid), 'fd'), { recursive: true });
      writeFileSync(path.join(root, 'proc', String(pid), 'cmdline'), `/usr/bin/${name}\0`);
      writeFileSync(path.join(root, 'proc', String(pid), 'comm'), `${name}\n`);
    },
    fd(pid, n, target) {
      const p = path.join(root, 'proc', String(pid), 'fd', String(n));
      try {
        unlinkSync(p);
      } catch {
        /* a new fd */
      }
      if (target !== null) symlinkSync(target, p);
    },
    exit(pid) {
      rmSync(path.join(root, 'proc', String(pid)), { recursive: true, force: true });
    },
  };
}

test('OwnerCache: nothing changed, so nothing is read again and the answer is the same object', async (t) => {
  const w = world();
  t.after(() => rmSync(w.root, { recursive: true, force: true }));
  w.proc(100, 'server');
  for (let i = 3; i < 40; i++) w.fd(100, i, i % 3 === 0 ? '/var/log/x' : `socket:[${1000 + i}]`);
  w.proc(200, 'client');
  w.fd(200, 3, 'socket:[2000]');
  const live = new Set([1004, 1005, 1007, 2000]);
  const cache = new OwnerCache(w.kfs);
  const first = await cache.scan(live);
  assert.deepEqual(first.owners.get(2000), { pid: 200, program: 'client' });
  w.reads.length = 0;
  w.lists.length = 0;
  const again = await cache.scan(new Set(live));
  assert.equal(again, first, 'the last answer itself');
  assert.deepEqual(w.reads, []);
  assert.deepEqual(w.lists, [], 'no fd table listed again');
});

test('OwnerCache: the same sockets and a new process: only the new one is read, and a lower pid that shares a socket takes it', async (t) => {
  const w = world();
  t.after(() => rmSync(w.root, { recursive: true, force: true }));
  w.proc(100, 'server');
  w.fd(100, 3, 'socket:[1000]');
  w.fd(100, 4, 'socket:[1001]');
  const live = new Set([1000, 1001]);
  const cache = new OwnerCache(w.kfs);
  const first = await cache.scan(live);
  w.lists.length = 0;
  w.proc(300, 'helper'); // no sockets: the answer stands
  assert.equal(await cache.scan(live), first);
  assert.deepEqual(w.lists, ['proc/300/fd']);
  w.proc(50, 'heir'); // a lower pid holding a socket (a reused pid, or fd passing)
  w.fd(50, 9, 'socket:[1001]');
  w.lists.length = 0;
  const next = await cache.scan(live);
  assert.notEqual(next, first);
  assert.deepEqual(w.lists, ['proc/50/fd'], 'known processes are not listed again');
  assert.deepEqual(next.owners.get(1001), { pid: 50, program: 'heir' }, 'the lowest pid, as netstat has it');
  assert.deepEqual(next.owners.get(1000), { pid: 100, program: 'server' });
});

test('OwnerCache: an owner exits while the sockets stay: the other holder is found', async (t) => {
  const w = world();
  t.after(() => rmSync(w.root, { recursive: true, force: true }));
  w.proc(100, 'parent');
  w.fd(100, 3, 'socket:[1000]');
  w.proc(200, 'child');
  const live = new Set([1000]);
  const cache = new OwnerCache(w.kfs);
  assert.deepEqual((await cache.scan(live)).owners.get(1000), { pid: 100, program: 'parent' });
  // The child got the socket after its fd table was read, then the parent exits.
  w.fd(200, 7, 'socket:[1000]');
  w.exit(100);
  const after = await cache.scan(live);
  assert.deepEqual(after.owners.get(1000), { pid: 200, program: 'child' });
  assert.equal(after.owners.has(1000) && after.denied, false);
});

test('OwnerCache: a process that execs keeps its sockets under its new name', async (t) => {
  const w = world();
  t.after(() => rmSync(w.root, { recursive: true, force: true }));
  w.proc(100, 'shell');
  w.fd(100, 3, 'socket:[1000]');
  const live = new Set([1000]);
  const cache = new OwnerCache(w.kfs);
  const first = await cache.scan(live);
  writeFileSync(path.join(w.root, 'proc/100/cmdline'), '/usr/sbin/daemon\0');
  const next = await cache.scan(live);
  assert.deepEqual(next.owners.get(1000), { pid: 100, program: 'daemon' });
  assert.deepEqual(first.owners.get(1000), { pid: 100, program: 'shell' }, 'the earlier answer is not changed under its holder');
});

test('OwnerCache: fd tables listed in any order give the same owners', async (t) => {
  const w = world();
  t.after(() => rmSync(w.root, { recursive: true, force: true }));
  w.proc(100, 'server');
  for (let i = 0; i < 30; i++) w.fd(100, i, `socket:[${5000 + i}]`);
  const base = kernelFs(w.root);
  const shuffled: KernelFs = { ...base, readDir: async (rel) => (await base.readDir(rel)).reverse() };
  const cache = new OwnerCache(shuffled);
  const live = new Set(Array.from({ length: 30 }, (_, i) => 5000 + i));
  await cache.scan(live);
  w.fd(100, 31, 'socket:[6000]');
  w.fd(100, 2, null);
  const scan = await cache.scan(new Set([...live, 6000].filter((i) => i !== 5002)));
  for (let i = 0; i < 30; i++)
    if (i !== 2) assert.deepEqual(scan.owners.get(5000 + i), { pid: 100, program: 'server' }, `socket ${5000 + i}`);
  assert.deepEqual(scan.owners.get(6000), { pid: 100, program: 'server' });
  assert.equal(scan.owners.has(5002), false);
});

/** A small seeded generator, so a failure can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = Math.imul(s ^ (s >>> 15), 1 | s);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

test('OwnerCache: through random forks, closes, fd reuse, execs and exits it answers as a full scan does', async (t) => {
  const w = world();
  t.after(() => rmSync(w.root, { recursive: true, force: true }));
  const rand = rng(20261121);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  let nextInode = 10_000;
  let nextPid = 100;
  const pids: number[] = [];
  const spawnProc = (): void => {
    const pid = nextPid++;
    w.proc(pid, `p${pid}`);
    pids.push(pid);
    for (let i = 0; i < 4; i++) w.fd(pid, i, rand() < 0.6 ? `socket:[${nextInode++}]` : '/dev/null');
  };
  for (let i = 0; i < 6; i++) spawnProc();
  const fdsOf = (pid: number): number[] => readdirSync(path.join(w.root, 'proc', String(pid), 'fd')).map(Number);
  const cache = new OwnerCache(w.kfs);
  for (let step = 0; step < 60; step++) {
    const op = rand();
    const pid = pick(pids);
    if (op < 0.2)
      w.fd(pid, 10 + Math.floor(rand() * 6), `socket:[${nextInode++}]`); // a new socket
    else if (op < 0.35) {
      const fds = fdsOf(pid);
      if (fds.length) w.fd(pid, pick(fds), null);
    } // a close
    else if (op < 0.5) {
      const fds = fdsOf(pid);
      if (fds.length) w.fd(pid, pick(fds), `socket:[${nextInode++}]`);
    } // fd reused
    else if (op < 0.6) {
      // fork: the child shares the parent's fds
      const fds = fdsOf(pid);
      spawnProc();
      const child = pids[pids.length - 1]!;
      for (const fd of fds) w.fd(child, 20 + fd, readlinkSync(path.join(w.root, 'proc', String(pid), 'fd', String(fd))));
    } else if (op < 0.7) writeFileSync(path.join(w.root, 'proc', String(pid), 'cmdline'), `/bin/exec${step}\0`);
    else if (op < 0.78 && pids.length > 2) {
      w.exit(pid);
      pids.splice(pids.indexOf(pid), 1);
    }
    // else: nothing changed this step
    const full = await scanProcessOwners(w.kfs);
    // The sockets "listed" this tick: every socket some process holds but a tenth (another
    // namespace's), and now and then one that nobody holds (a kernel socket).
    const live = new Set<number>();
    for (const inode of full.owners.keys()) if (inode % 10 !== 7) live.add(inode);
    if (rand() < 0.3) live.add(999_999);
    const inc = await cache.scan(live);
    for (const inode of live) assert.deepEqual(inc.owners.get(inode), full.owners.get(inode), `step ${step}: inode ${inode}`);
    assert.equal(inc.denied, full.denied);
  }
});
