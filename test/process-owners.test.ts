// Socket inode → owning process: link parsing, program names, a fake /proc tree, and a real
// child process whose listening sockets must map to its pid.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { OwnerCache, programName, scanProcessOwners, socketInodeOfLink } from '../src/sources/process-owners.js';
import { kernelFs, type KernelFs } from '../src/sources/kernel-fs.js';
import { readInetSockets } from '../src/sources/inet-sockets.js';
import { readUnixSockets } from '../src/sources/unix-sockets.js';

test('socketInodeOfLink: socket:[N] and the old [0000]:N, nothing else', () => {
  assert.equal(socketInodeOfLink('socket:[12345]'), 12345);
  assert.equal(socketInodeOfLink('socket:[0]'), 0);
  assert.equal(socketInodeOfLink('[0000]:4711'), 4711);
  for (const other of ['pipe:[12345]', 'anon_inode:[eventfd]', '/dev/null', 'socket:[]', 'socket:[12a]', 'socket:[1] ', '', '[0001]:5']) {
    assert.equal(socketInodeOfLink(other), null, JSON.stringify(other));
  }
});

test("programName: argv[0], its basename only when it is absolute (netstat's strrchr)", () => {
  assert.equal(programName('/usr/bin/node\0/srv/app.js\0', 'node\n'), 'node');
  assert.equal(programName('python3\0-m\0http.server\0', 'python3\n'), 'python3');
  assert.equal(programName('./run.sh\0', 'run.sh\n'), './run.sh');
  // a process that rewrote its argv: netstat cuts at the last '/' of the whole argv[0]
  assert.equal(programName('/usr/sbin/sshd: root@pts/0\0\0\0', 'sshd\n'), '0');
  assert.equal(programName('nginx: worker process\0', 'nginx\n'), 'nginx: worker process');
  // no cmdline (kernel thread, zombie): comm, where netstat would print nothing
  assert.equal(programName('', 'kworker/0:1\n'), 'kworker/0:1');
});

// ---- a fake /proc tree --------------------------------------------------------------

function fakeProc(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'netdash-proc-'));
  const proc = (pid: string, fds: Record<string, string> | null, cmdline: string, comm: string): void => {
    const dir = path.join(root, 'proc', pid);
    mkdirSync(dir, { recursive: true });
    if (fds) {
      mkdirSync(path.join(dir, 'fd'));
      for (const [fd, target] of Object.entries(fds)) symlinkSync(target, path.join(dir, 'fd', fd));
    }
    writeFileSync(path.join(dir, 'cmdline'), cmdline);
    writeFileSync(path.join(dir, 'comm'), comm + '\n');
  };
  proc('1', { 0: '/dev/null', 3: 'socket:[100]' }, '/sbin/init\0splash\0', 'systemd');
  // 10 and 9 share socket 200 (inherited over fork): the lower pid keeps it, as in netstat,
  // even though '10' sorts before '9' as text.
  proc('10', { 4: 'socket:[200]', 5: 'socket:[201]' }, '/usr/bin/child\0', 'child');
  proc('9', { 4: 'socket:[200]', 5: 'pipe:[77]' }, '/usr/bin/parent\0', 'parent');
  proc('2', { 1: 'socket:[300]' }, '', 'kworker/0:1'); // no cmdline → comm
  proc('300', null, 'gone\0', 'gone'); // exited: no fd directory
  proc('4000', { 7: '[0000]:400' }, 'old-style\0', 'old');
  proc('50', { 0: '/dev/null', 1: '/dev/null' }, '/bin/cat\0', 'cat'); // no sockets: not an owner
  // enough processes to span several batches of the scan; socket 500 is shared by 23 and 37
  for (let pid = 11; pid <= 40; pid++)
    proc(String(pid), pid === 23 || pid === 37 ? { 9: 'socket:[500]' } : {}, `/opt/p${pid}\0`, `p${pid}`);
  mkdirSync(path.join(root, 'proc', 'self'));
  mkdirSync(path.join(root, 'proc', 'net'));
  return root;
}

test('scanProcessOwners over a fake /proc: lowest pid wins, comm fallback, exited processes skipped', async (t) => {
  const root = fakeProc();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const scan = await scanProcessOwners(kernelFs(root));
  assert.equal(scan.denied, false);
  assert.deepEqual(
    [...scan.owners.entries()].sort((a, b) => a[0] - b[0]),
    [
      [100, { pid: 1, program: 'init' }],
      [200, { pid: 9, program: 'parent' }],
      [201, { pid: 10, program: 'child' }],
      [300, { pid: 2, program: 'kworker/0:1' }],
      [400, { pid: 4000, program: 'old-style' }],
      [500, { pid: 23, program: 'p23' }],
    ],
  );
});

test('scanProcessOwners: an unreadable fd table sets denied, the rest still maps', async (t) => {
  const root = fakeProc();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const base = kernelFs(root);
  const kfs: KernelFs = {
    root: base.root,
    readText: (rel) => base.readText(rel),
    readLink: (rel) => base.readLink(rel),
    readDir: (rel) =>
      rel === 'proc/9/fd' ? Promise.reject(Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' })) : base.readDir(rel),
  };
  const scan = await scanProcessOwners(kfs);
  assert.equal(scan.denied, true);
  assert.deepEqual(scan.owners.get(200), { pid: 10, program: 'child' });
  assert.deepEqual(scan.owners.get(100), { pid: 1, program: 'init' });
});

test('scanProcessOwners: no /proc at all is "denied" with no owners', async (t) => {
  const root = mkdtempSync(path.join(tmpdir(), 'netdash-noproc-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const scan = await scanProcessOwners(kernelFs(root));
  assert.deepEqual(scan, { owners: new Map(), denied: true });
});

test('OwnerCache: sockets of other namespaces are read once, not every scan; a reused fd still finds its new socket', async (t) => {
  const root = fakeProc();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  // pid 60 holds two sockets of this namespace and three of another (a container's).
  const dir = path.join(root, 'proc', '60');
  mkdirSync(path.join(dir, 'fd'), { recursive: true });
  writeFileSync(path.join(dir, 'cmdline'), 'host-agent\0');
  writeFileSync(path.join(dir, 'comm'), 'host-agent\n');
  const fds: Record<string, string> = {
    3: 'socket:[600]',
    4: 'socket:[601]',
    5: 'socket:[9001]',
    6: 'socket:[9002]',
    7: 'socket:[9003]',
    8: '/var/log/x',
  };
  for (const [fd, target] of Object.entries(fds)) symlinkSync(target, path.join(dir, 'fd', fd));
  const base = kernelFs(root);
  const reads: string[] = [];
  const kfs: KernelFs = {
    ...base,
    readLink: (rel) => {
      reads.push(rel);
      return base.readLink(rel);
    },
  };
  const cache = new OwnerCache(kfs);
  const listed = new Set([100, 200, 201, 300, 400, 500, 600, 601]);
  let scan = await cache.scan(listed);
  assert.deepEqual(scan.owners.get(600), { pid: 60, program: 'host-agent' });
  // A new process appears (so the scan can't reuse its last answer whole): pid 60's fds
  // are not read again, foreign sockets included.
  mkdirSync(path.join(root, 'proc', '61', 'fd'), { recursive: true });
  writeFileSync(path.join(root, 'proc', '61', 'cmdline'), 'new\0');
  writeFileSync(path.join(root, 'proc', '61', 'comm'), 'new\n');
  reads.length = 0;
  scan = await cache.scan(new Set(listed));
  assert.deepEqual(
    reads.filter((r) => r.startsWith('proc/60/')),
    [],
    'nothing of pid 60 read again',
  );
  // fd 6 is closed and its number reused for a socket of this namespace: found on this scan.
  unlinkSync(path.join(dir, 'fd', '6'));
  symlinkSync('socket:[602]', path.join(dir, 'fd', '6'));
  reads.length = 0;
  scan = await cache.scan(new Set([...listed, 602]));
  assert.deepEqual(scan.owners.get(602), { pid: 60, program: 'host-agent' });
  // That took a read of everything (the old socket could live on elsewhere); afterwards the
  // foreign sockets are known as such again.
  mkdirSync(path.join(root, 'proc', '62', 'fd'), { recursive: true });
  reads.length = 0;
  await cache.scan(new Set([...listed, 602]));
  assert.deepEqual(
    reads.filter((r) => r.startsWith('proc/60/')),
    [],
    'nothing of pid 60 read again after the recheck',
  );
});

test('OwnerCache: processes of another network namespace are not read, unless a socket has no owner otherwise', async (t) => {
  const root = fakeProc();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const nsLink = (pid: string, ns: string): void => {
    mkdirSync(path.join(root, 'proc', pid, 'ns'), { recursive: true });
    symlinkSync(`net:[${ns}]`, path.join(root, 'proc', pid, 'ns', 'net'));
  };
  nsLink('self', '4026531840');
  nsLink('1', '4026531840');
  // pid 70 lives in a container: thousands of its sockets would be read for nothing.
  const dir = path.join(root, 'proc', '70');
  mkdirSync(path.join(dir, 'fd'), { recursive: true });
  writeFileSync(path.join(dir, 'cmdline'), 'containerd-shim\0');
  writeFileSync(path.join(dir, 'comm'), 'shim\n');
  nsLink('70', '4026532999');
  symlinkSync('socket:[7000]', path.join(dir, 'fd', '3'));
  const base = kernelFs(root);
  const reads: string[] = [];
  const kfs: KernelFs = {
    ...base,
    readLink: (rel) => {
      reads.push(rel);
      return base.readLink(rel);
    },
  };
  const cache = new OwnerCache(kfs);
  const listed = new Set([100, 200, 201, 300, 400, 500]);
  let scan = await cache.scan(listed);
  assert.deepEqual(scan.owners.get(100), { pid: 1, program: 'init' }, 'same namespace: read');
  assert.deepEqual(
    reads.filter((r) => r.startsWith('proc/70/fd/')),
    [],
    'the container process is not read',
  );
  // It kept a socket of this namespace (made before it moved): that socket has no owner in
  // this namespace, so every process is read once more and the owner is found.
  symlinkSync('socket:[800]', path.join(dir, 'fd', '4'));
  scan = await cache.scan(new Set([...listed, 800]));
  assert.deepEqual(scan.owners.get(800), { pid: 70, program: 'containerd-shim' });
  // And kept on later scans, without reading pid 70 again.
  mkdirSync(path.join(root, 'proc', '71', 'fd'), { recursive: true });
  reads.length = 0;
  scan = await cache.scan(new Set([...listed, 800]));
  assert.deepEqual(scan.owners.get(800), { pid: 70, program: 'containerd-shim' });
  assert.deepEqual(
    reads.filter((r) => r.startsWith('proc/70/fd/')),
    [],
  );
});

// ---- a real process ---------------------------------------------------------------------

const CHILD = `
const net = require('node:net');
const srv = net.createServer();
const usrv = net.createServer();
srv.listen(0, '127.0.0.1', () => {
  usrv.listen(process.argv[1], () => {
    process.stdout.write(JSON.stringify({ port: srv.address().port }) + '\\n');
  });
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
`;

test("scanProcessOwners on the real /proc: a spawned child's sockets map to its pid", async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'netdash-owner-'));
  const sockPath = path.join(dir, 'owner test.sock');
  const child = spawn(process.execPath, ['-e', CHILD, sockPath], { stdio: ['pipe', 'pipe', 'inherit'] });
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
    rmSync(dir, { recursive: true, force: true });
  });
  const ready = await new Promise<{ port: number }>((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve(JSON.parse(buf.slice(0, nl)) as { port: number });
    });
    child.once('exit', (code) => reject(new Error(`child exited (${code})`)));
  });
  assert.ok(child.pid);

  const kfs = kernelFs('/');
  const tcp = await readInetSockets(kfs, 'tcp');
  assert.ok(tcp.ok);
  const listener = tcp.value.find((s) => s.localAddr === '127.0.0.1' && s.localPort === ready.port && s.state === 10);
  assert.ok(listener, `no LISTEN socket on 127.0.0.1:${ready.port} in /proc/net/tcp`);
  const unix = await readUnixSockets(kfs);
  assert.ok(unix.ok);
  const ulistener = unix.value.find((s) => s.path === sockPath);
  assert.ok(ulistener, `no unix socket at ${sockPath} in /proc/net/unix`);

  const scan = await scanProcessOwners(kfs);
  const want = { pid: child.pid, program: path.basename(process.execPath) };
  assert.deepEqual(scan.owners.get(listener.inode), want);
  assert.deepEqual(scan.owners.get(ulistener.inode), want);
  if (process.getuid?.() === 0) assert.equal(scan.denied, false);
  child.stdin.end();
});
