// run(argv, io) in-process: every effect comes through the Io, so the whole program runs on a
// fixture root, fake streams, a fake clock and a private signal bus, and says the same as the
// real command does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { run, type Io } from '../src/cli/run.js';
import { kernelFs } from '../src/sources/kernel-fs.js';
import { JumpClock } from './helpers/fake-clock.js';
import { fakeTty } from './helpers/fake-tty.js';
import { run as spawnRun } from './helpers/netns.js';

const ROOT = fileURLToPath(new URL('../../test/fixtures/root-basic', import.meta.url));
const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));

interface World {
  io: Io;
  out: () => string;
  err: () => string;
  /** Handlers on the private signal bus, by signal. */
  handlers: Map<string, Set<() => void>>;
  roots: string[];
  exits: number[];
}

function world(o: { tty?: boolean; env?: Record<string, string> } = {}): World {
  let out = '',
    err = '';
  const stdout = o.tty ? fakeTty(100, 30) : new PassThrough();
  const stderr = new PassThrough();
  stdout.on('data', (d: Buffer) => {
    out += d.toString('utf8');
  });
  stderr.on('data', (d: Buffer) => {
    err += d.toString('utf8');
  });
  const handlers = new Map<string, Set<() => void>>();
  const roots: string[] = [];
  const exits: number[] = [];
  const io: Io = {
    kernel: (root) => {
      roots.push(root);
      return kernelFs(root);
    },
    clock: new JumpClock().clock,
    env: { LANG: 'C.UTF-8', ...o.env },
    stdin: o.tty ? fakeTty(100, 30) : new PassThrough(),
    stdout,
    stderr,
    signals: {
      on: (sig, fn) => {
        let s = handlers.get(sig);
        if (!s) handlers.set(sig, (s = new Set()));
        s.add(fn);
      },
      off: (sig, fn) => {
        handlers.get(sig)?.delete(fn);
      },
    },
    // No resolver answers here: every reverse lookup fails as an unknown address would.
    dns: () => (addr: string) => Promise.reject(Object.assign(new Error(`no PTR for ${addr}`), { code: 'ENOTFOUND' })),
    hostname: () => 'fixture-host',
    release: () => '0.0-fixture',
    exit: (code) => {
      exits.push(code);
      return code;
    },
  };
  return { io, out: () => out, err: () => err, handlers, roots, exits };
}

test('--print -i in-process prints what the real command prints, from the root it was given', async () => {
  const w = world();
  const code = await run(['--print', '-i', '-a', '--root', ROOT], w.io);
  assert.equal(code, 0);
  assert.deepEqual(w.roots, [ROOT], 'the kernel came from io.kernel, for --root');
  const real = await spawnRun(process.execPath, [CLI, '--print', '-i', '-a', '--root', ROOT]);
  assert.equal(real.code, 0);
  assert.ok(w.out().startsWith('Kernel Interface table\n'), w.out());
  assert.equal(w.out(), real.stdout);
});

test('a bad flag: one line on io.stderr naming the choices, status 2, nothing on stdout', async () => {
  const w = world();
  assert.equal(await run(['--print', '-A', 'ipx'], w.io), 2);
  assert.equal(w.out(), '');
  assert.equal(w.err().split('\n').filter(Boolean).length, 1, w.err());
  assert.match(w.err(), /^netdash: .*inet/);
});

test('interval mode runs on io.clock and leaves no handler on io.signals', async () => {
  const w = world();
  const clock = new JumpClock();
  w.io.clock = clock.clock;
  const code = await run(['--json', '-s', '1', '--count', '3', '--root', ROOT], w.io);
  assert.equal(code, 0);
  const lines = w
    .out()
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { seq: number; elapsedMs: number | null; time: string });
  assert.deepEqual(
    lines.map((l) => l.seq),
    [1, 2, 3],
  );
  // The fake clock's sleeps move it by exactly the interval: the elapsed times are the fake ones.
  assert.deepEqual(
    lines.map((l) => l.elapsedMs),
    [null, 1000, 1000],
  );
  assert.equal(new Date(lines[0]!.time).getUTCFullYear(), 2024, 'sample times come from io.clock');
  assert.equal(clock.sleeps.length, 2);
  for (const [sig, set] of w.handlers) assert.equal(set.size, 0, `${sig} handlers removed`);
});

test('NETDASH_INET_SOURCE comes from io.env, and netlink only through the kernel object', async () => {
  /** The live kernel, with its sock_diag socket counted. */
  const counted = (w: World): { asked: number } => {
    const n = { asked: 0 };
    w.io.kernel = (root) => {
      const k = kernelFs(root);
      const live = k.live;
      if (!live) return k;
      return {
        ...k,
        live: {
          ...live,
          sockDiag: () => {
            n.asked++;
            return live.sockDiag();
          },
        },
      };
    };
    return n;
  };
  const viaNetlink = world();
  const a = counted(viaNetlink);
  assert.equal(await run(['--print', '-tan'], viaNetlink.io), 0);
  const viaProc = world({ env: { NETDASH_INET_SOURCE: 'proc' } });
  const b = counted(viaProc);
  assert.equal(await run(['--print', '-tan'], viaProc.io), 0);
  assert.equal(b.asked, 0, 'io.env said proc: the netlink socket is never asked for');
  // The live kernel may count the TCP tables empty and skip both reads; when it read them, it asked.
  const read = /^tcp/m.test(viaNetlink.out());
  if (read) assert.ok(a.asked > 0, "without the variable, the live kernel's sock_diag answered");
  assert.match(viaProc.out(), /^Active Internet connections \(servers and established\)\n/);
});

test('the dashboard on io.stdout: drawn there, and SIGTERM on io.signals restores and ends it', async () => {
  const w = world({ tty: true });
  const done = run(['--root', ROOT], w.io);
  // Wait until the dashboard drew its first frame and listens for signals.
  for (let i = 0; i < 200 && !w.handlers.get('SIGTERM')?.size; i++) await new Promise((r) => setTimeout(r, 10));
  for (let i = 0; i < 200 && !w.out().includes('fixture'); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(w.handlers.get('SIGTERM')?.size, 'the dashboard listens on io.signals');
  for (const fn of [...(w.handlers.get('SIGTERM') ?? [])]) fn();
  assert.equal(await done, 143);
  assert.deepEqual(w.exits, [143], 'left through io.exit');
  assert.ok(w.out().includes('\x1b[?1049h'), 'the alternate screen was entered on io.stdout');
  assert.ok(w.out().includes('\x1b[?1049l'), 'and left again');
});
