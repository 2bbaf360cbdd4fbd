// Least privilege. As an ordinary user netdash shows everything it may see and says what root
// would add (the owners of other users' sockets); it needs no write access except to the
// recording it was given (Node's permission model refuses every other write, and every child
// process); and it never runs a shell or hands a string it read to another program.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readRecording } from '../src/sampler/recording.js';
import { Lines } from './helpers/lines.js';
import { Netns, run } from './helpers/netns.js';
import { prereq } from './helpers/prereq.js';
import { Tmux } from './helpers/tmux.js';
import { asUser, NOBODY, runnableBy } from './helpers/unprivileged.js';

const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));
const SPY = fileURLToPath(new URL('./helpers/spawn-spy.js', import.meta.url));
const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/** A process that listens on a TCP port and a unix socket and prints its pid. */
const LISTENER = `
const net = require('node:net');
const [port, path] = process.argv.slice(1);
net.createServer(() => {}).listen(Number(port), '127.0.0.1', () => {
  net.createServer(() => {}).listen(path, () => console.log(JSON.stringify({ pid: process.pid })));
});
setInterval(() => {}, 1e6);`;

/** Node's permission model: read anything, write nothing but `writable`, start no process. */
const permissions = (writable: string[] = []): string[] => [
  '--no-warnings',
  '--experimental-permission',
  '--allow-fs-read=*',
  ...writable.map((w) => `--allow-fs-write=${w}`),
];

describe('as an unprivileged user (nobody), in a namespace', () => {
  let ns: Netns | null = null;
  let dir = '';
  let rootPid = 0;
  let ownPid = 0;
  let exe = { node: process.execPath, cli: CLI };
  const asNobody = (args: string[], node: string[] = []) => {
    if (!ns) throw new Error('no namespace');
    return ns.exec(asUser(NOBODY)[0] ?? 'setpriv', [...asUser(NOBODY).slice(1), exe.node, ...node, exe.cli, ...args], {
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', LANG: 'C.UTF-8', HOME: '/nonexistent', TMPDIR: '/nonexistent' },
    });
  };

  before(async () => {
    if (process.getuid?.() !== 0) return;
    ns = await Netns.create('unpriv').catch(() => null);
    if (!ns) return;
    exe = runnableBy(NOBODY);
    dir = mkdtempSync(join(tmpdir(), 'netdash-unpriv-'));
    chmodSync(dir, 0o777);
    const root = ns.spawn(process.execPath, ['-e', LISTENER, '7400', join(dir, 'root.sock')]);
    rootPid = (JSON.parse(await new Lines(root).match(/pid/)) as { pid: number }).pid;
    const own = ns.spawn(asUser(NOBODY)[0] ?? 'setpriv', [
      ...asUser(NOBODY).slice(1),
      exe.node,
      '-e',
      LISTENER,
      '7401',
      join(dir, 'nobody.sock'),
    ]);
    ownPid = (JSON.parse(await new Lines(own).match(/pid/)) as { pid: number }).pid;
  });

  after(async () => {
    await ns?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("--print -p: every socket listed, its own owners named, root's shown as -, and a note says root would add them", async (t) => {
    if (!prereq(t, ['root', 'netns'])) return;
    const r = await asNobody(['--print', '-alpn']);
    assert.equal(r.code, 0, r.stderr);
    const row = (port: string): string | undefined => r.stdout.split('\n').find((l) => l.includes(`127.0.0.1:${port} `));
    assert.match(row('7401') ?? '', new RegExp(` ${ownPid}/node +$`));
    assert.match(row('7400') ?? '', / LISTEN +- +$/, "root's listener is listed, without its owner");
    assert.ok(r.stdout.includes(join(dir, 'root.sock')), "root's unix socket is listed");
    assert.match(r.stderr, /Not all processes could be identified.*you would have to be root to see it all/);
    assert.ok(!r.stdout.includes(`${rootPid}/`), 'no owner it may not see');
  });

  it('--json -p says the same in errors.owners', async (t) => {
    if (!prereq(t, ['root', 'netns'])) return;
    const r = await asNobody(['--json', '-p']);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { connections: { local: { port: number }; pid?: number }[]; errors: Record<string, string> };
    assert.match(doc.errors['owners'] ?? '', /not root: process owners of other users' sockets are hidden/);
    assert.equal(doc.connections.find((c) => c.local.port === 7401)?.pid, ownPid);
    const rootConn = doc.connections.find((c) => c.local.port === 7400);
    assert.ok(rootConn, "root's socket is in the list");
    assert.equal(rootConn.pid, undefined);
  });

  it('every other section reads as nobody; files only root may read are named, the rest still prints', async (t) => {
    if (!prereq(t, ['root', 'netns'])) return;
    for (const args of [['--print', '-ia'], ['--print', '-s'], ['--print', '-rn'], ['--json']]) {
      const r = await asNobody(args);
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
      for (const line of r.stderr.split('\n').filter(Boolean)) {
        assert.match(
          line,
          /^netdash: \/proc\/net\/(nf_conntrack|udplite6?): (permission denied|not available|conntrack is not available)/,
          `${args.join(' ')}: ${line}`,
        );
      }
    }
    // A --root tree with a file nobody may read: that section says so, the others print.
    const tree = join(dir, 'tree');
    const copy = (rel: string, text: string, mode = 0o644): void => {
      const p = join(tree, rel);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, text);
      chmodSync(p, mode);
    };
    copy('proc/net/tcp', readFileSync('/proc/net/tcp', 'utf8'), 0o600);
    copy('proc/net/tcp6', readFileSync('/proc/net/tcp6', 'utf8'));
    copy(
      'proc/net/unix',
      'Num       RefCount Protocol Flags    Type St Inode Path\n0000000000000000: 00000002 00000000 00010000 0001 01 4242 /run/x.sock\n',
    );
    const r = await asNobody(['--print', '-a', '--root', tree]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /\/proc\/net\/tcp: permission denied/);
    assert.match(r.stdout, /unix .* 4242 +\/run\/x\.sock/);
  });

  it('--print -M as nobody: nf_conntrack is root-only, so it says permission denied (needs root) and exits 1, as netstat does for -M', async (t) => {
    if (!prereq(t, ['root', 'netns', 'iptables'])) return;
    assert.ok(ns);
    // A conntrack rule makes sure nf_conntrack is loaded, so the namespace has the file.
    await ns.exec('iptables', ['-A', 'INPUT', '-m', 'conntrack', '--ctstate', 'INVALID', '-j', 'DROP']);
    const exists = await ns.exec('test', ['-e', '/proc/net/nf_conntrack']);
    assert.equal(exists.code, 0, 'nf_conntrack is loaded');
    const r = await asNobody(['--print', '-M', '-a']);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, 'netdash: /proc/net/nf_conntrack: permission denied (needs root)\n');
  });

  it('the dashboard as nobody: the status line says owners are hidden, its own are shown', async (t) => {
    if (!prereq(t, ['root', 'netns', 'tmux'])) return;
    assert.ok(ns);
    const tm = Tmux.start(['ip', 'netns', 'exec', ns.name, ...asUser(NOBODY), exe.node, exe.cli, '-p', '-a', '1'], {
      width: 160,
      height: 40,
      env: { HOME: '/nonexistent' },
    });
    try {
      await tm.waitForText('not root: process owners hidden', 60_000);
      await tm.waitForText(`${ownPid}/node`, 30_000);
      tm.keys('q');
      assert.equal(await tm.waitExit(30_000), 0);
    } finally {
      tm.kill();
    }
  });

  it('writes nothing but its recording: the permission model allows reads, that one file, and no child process', async (t) => {
    if (!prereq(t, ['root', 'netns', 'tmux'])) return;
    assert.ok(ns);
    const file = join(dir, 'nobody.ndjson');
    const rec = await asNobody(['--json', '-p', '0.2', '--count', '3', '--record', file], permissions([file]));
    assert.equal(rec.code, 0, rec.stderr);
    assert.equal(rec.stderr, '');
    assert.equal(readRecording(file).samples.length, 3);
    for (const args of [
      ['--print', '-ap'],
      ['--json'],
      ['--print', '-s', '0.2', '--count', '2'],
      ['--replay', file, '--print', '-s', '--speed', '0'],
    ]) {
      const r = await asNobody(args, permissions());
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stderr.replace(/netdash: .*(Not all processes|not available).*\n/g, ''), '', args.join(' '));
    }
    // The dashboard too, recording, under the same rules, in a real terminal.
    const dash = join(dir, 'dash.ndjson');
    const tm = Tmux.start(
      ['ip', 'netns', 'exec', ns.name, ...asUser(NOBODY), exe.node, ...permissions([dash]), exe.cli, '0.5', '--record', dash],
      { width: 140, height: 35, env: { HOME: '/nonexistent' } },
    );
    try {
      await tm.waitForText(/since start/, 60_000);
      for (let i = 0; i < 600 && readRecording0(dash) < 3; i++) await new Promise((r) => setTimeout(r, 100));
      tm.keys('q');
      assert.equal(await tm.waitExit(30_000), 0, tm.capture());
      assert.ok(readRecording(dash).samples.length >= 3);
    } finally {
      tm.kill();
    }
  });
});

describe('no shell, and nothing read passed to another program', () => {
  it("no module of netdash imports child_process or runs systeminformation's shell commands", () => {
    const offenders: string[] = [];
    const walk = (d: string): void => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.ts')) {
          const text = readFileSync(p, 'utf8');
          if (/from ['"](node:)?child_process['"]|require\(['"](node:)?child_process/.test(text)) offenders.push(`${p}: child_process`);
          // systeminformation is the benchmark's comparison (a dev dependency), never netdash's.
          if (/(from|import\(|require\()\s*['"]systeminformation['"]/.test(text)) offenders.push(`${p}: systeminformation`);
        }
      }
    };
    walk(SRC);
    // One build-time script: it makes the start-up snapshot at `npm run build` and postinstall by
    // running this node with --build-snapshot (a mode of node's command line only). The program
    // never loads it: checked below on every module the entry points reach.
    assert.deepEqual(offenders, [`${join(SRC, 'cli', 'snapshot-blob.ts')}: child_process`]);
  });

  it('the snapshot builder is loaded by no module the program runs (the entry points and all they import)', () => {
    const reached = new Set<string>();
    const visit = (file: string): void => {
      if (reached.has(file) || !existsSync(file)) return;
      reached.add(file);
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:from|import\()\s*['"](\.{1,2}\/[^'"]+)\.js['"]/g)) visit(join(dirname(file), `${m[1] ?? ''}.ts`));
    };
    for (const entry of ['cli.ts', join('cli', 'snapshot-main.ts')]) visit(join(SRC, entry));
    assert.ok(reached.size > 50, `${reached.size} modules reached`);
    assert.ok(reached.has(join(SRC, 'dashboard', 'app.ts')), 'the walk follows dynamic imports');
    assert.equal(reached.has(join(SRC, 'cli', 'snapshot-blob.ts')), false);
  });

  it('print, JSON (interface metadata included), recording and the dashboard start no process', async (t) => {
    if (!prereq(t, ['root', 'netns', 'tmux'])) return;
    const ns = await Netns.create('spawnspy');
    const dir = mkdtempSync(join(tmpdir(), 'netdash-spy-'));
    const log = join(dir, 'spawns.ndjson');
    // An interface whose name would mean something to a shell.
    await ns.ip('link', 'add', '$(id>pwn)', 'type', 'veth', 'peer', 'name', '`id>pwn2`');
    await ns.ip('link', 'set', '$(id>pwn)', 'up');
    const env = { ...process.env, NETDASH_SPAWN_LOG: log };
    try {
      for (const args of [['--json'], ['--print', '-ap'], ['--json', '-i', '0.2', '--count', '3', '--record', join(dir, 'r.ndjson')]]) {
        const r = await run('ip', ['netns', 'exec', ns.name, process.execPath, '--import', SPY, CLI, ...args], { env });
        assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
        if (args[0] === '--json' && args.length === 1) {
          const doc = JSON.parse(r.stdout) as { interfaces: { name: string; type?: string; mac?: string }[] };
          const evil = doc.interfaces.find((i) => i.name === '$(id>pwn)');
          assert.ok(evil?.mac && evil.type, 'interface metadata is there without a helper process');
        }
      }
      assert.equal(existsSync(log) ? readFileSync(log, 'utf8') : '', '', 'no child process in print, JSON or record mode');
      const tm = Tmux.start(['ip', 'netns', 'exec', ns.name, process.execPath, '--import', SPY, CLI, '1'], {
        width: 120,
        height: 30,
        env: { NETDASH_SPAWN_LOG: log },
      });
      try {
        await tm.waitForText(/since start/, 60_000);
        tm.keys('q');
        assert.equal(await tm.waitExit(30_000), 0);
      } finally {
        tm.kill();
      }
      // blessed asks `tmux -V` when $TMUX is set (a fixed command line, no shell): nothing else.
      const spawns = existsSync(log)
        ? readFileSync(log, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l) as { file: string; args: string[]; shell: boolean })
        : [];
      for (const s of spawns)
        assert.deepEqual({ file: s.file, args: s.args, shell: s.shell }, { file: 'tmux', args: ['-V'], shell: false });
      assert.equal(existsSync(join(process.cwd(), 'pwn')) || existsSync(join(process.cwd(), 'pwn2')), false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await ns.destroy();
    }
  });
});

/** Samples in a recording being written (0 until it parses). */
function readRecording0(file: string): number {
  try {
    return readRecording(file).samples.length;
  } catch {
    return 0;
  }
}
