// The start-up snapshot (src/cli/snapshot-main.ts, snapshot-blob.ts and the launcher line of
// src/cli.ts): the build leaves a blob the launcher uses, also through an npm-style bin
// symlink; what it prints is what the plain program prints, for the runs it answers itself
// (--version, the direct --print -tan) and for those it hands to dist/src/cli.js; and a blob
// this node cannot load (another node's, or with NODE_OPTIONS) is never started.
//
// Which way the launcher went is read from its own trace (sh -x, with a PS4 of ours): the
// command it execs. Outputs are compared with `node dist/src/cli.js`, the plain program.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { launcherFlags } from './bench/bin-launch.js';
import { Netns, readyLine } from './helpers/netns.js';
import { prereq } from './helpers/prereq.js';
import { buildBlob, launcherBlobFlags } from '../src/cli/snapshot-blob.js';

const DIST = fileURLToPath(new URL('../', import.meta.url));
const REPO = path.resolve(DIST, '..');
const CLI = path.join(DIST, 'src/cli.js');
const VERSION = (JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
const TRACE = '+netdash-launcher: ';

interface Out {
  code: number;
  stdout: string;
  stderr: string;
  /** The blob the launcher started node from; null when it started the plain program. */
  blob: string | null;
}

/** The environment of a `netdash` command: this node first on PATH, nothing of node's own. */
function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin`, ...extra };
  delete e['NODE_OPTIONS'];
  return e;
}

function exec(cmd: string, args: string[], e: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { env: e, encoding: 'latin1', maxBuffer: 64 << 20, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** `bin ARGS` through its launcher line, traced; the trace is taken out of stderr. */
async function launch(bin: string, args: string[], e: NodeJS.ProcessEnv = env(), prefix: string[] = []): Promise<Out> {
  const r = await exec(prefix[0] ?? '/bin/sh', [...prefix.slice(1), ...(prefix.length ? ['/bin/sh'] : []), '-x', bin, ...args], {
    ...e,
    PS4: TRACE,
  });
  const lines = r.stderr.split('\n');
  const trace = lines.filter((l) => l.startsWith(TRACE));
  const execLine = trace.filter((l) => l.startsWith(`${TRACE}exec node`)).pop() ?? '';
  const m = / --snapshot-blob (\S+) -- /.exec(execLine);
  return {
    code: r.code,
    stdout: r.stdout,
    stderr: lines.filter((l) => !l.startsWith(TRACE)).join('\n'),
    blob: m ? path.resolve(m[1]!) : null,
  };
}

/** JSON output without its one moving part, the time it was taken. */
function timeless(r: { code: number; stdout: string; stderr: string }): { code: number; stdout: string; stderr: string } {
  return { code: r.code, stdout: r.stdout.replace(/"time":"[^"]*"/g, '"time":""'), stderr: r.stderr };
}

/** The plain program: `node dist/src/cli.js ARGS` (no launcher, no snapshot). */
function plain(
  args: string[],
  e: NodeJS.ProcessEnv = env(),
  prefix: string[] = [],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return exec(prefix[0] ?? process.execPath, [...prefix.slice(1), ...(prefix.length ? [process.execPath] : []), CLI, ...args], e);
}

/** A copy of the installed package (dist/src, package.json, node_modules linked) to spoil. */
function packageCopy(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'netdash-snap-'));
  cpSync(path.join(DIST, 'src'), path.join(dir, 'dist', 'src'), { recursive: true });
  cpSync(path.join(REPO, 'package.json'), path.join(dir, 'package.json'));
  symlinkSync(path.join(REPO, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

describe('the start-up snapshot', () => {
  const made: string[] = [];
  after(() => {
    for (const d of made) rmSync(d, { recursive: true, force: true });
  });

  it('is started with the flags of the plain start (a dashboard it hands on runs under them)', () => {
    const text = readFileSync(CLI, 'utf8');
    assert.deepEqual(launcherBlobFlags(text), launcherFlags(text));
    assert.deepEqual(launcherBlobFlags(text), ['--max-semi-space-size=4', '--optimize-for-size']);
  });

  it('the launcher starts node without NODE_EXTRA_CA_CERTS (netdash verifies no TLS peer; node would parse the file)', async () => {
    // A `node` that says what it got; it is not the node that wrote the blob: the plain start.
    const dir = mkdtempSync(path.join(tmpdir(), 'netdash-ca-'));
    made.push(dir);
    writeFileSync(path.join(dir, 'node'), '#!/bin/sh\nprintf "%s|%s\\n" "${NODE_EXTRA_CA_CERTS-unset}" "$*"\n', { mode: 0o755 });
    const r = await launch(CLI, ['--print', '-tan'], {
      ...env(),
      PATH: `${dir}:/usr/bin:/bin`,
      NODE_EXTRA_CA_CERTS: '/etc/ssl/certs/ca-certificates.crt',
    });
    assert.equal(r.blob, null);
    assert.equal(r.stdout, `unset|--max-semi-space-size=4 --optimize-for-size ${CLI} --print -tan\n`);
  });

  it('a terminal on stdout (the dashboard, or a print a person reads), --serve, --record and --replay start the plain program', async () => {
    // script(1) gives the run a terminal; its trace comes back on that terminal too.
    const tty = await exec('script', ['-qec', `/bin/sh -x ${CLI} --version`, '/dev/null'], { ...env(), PS4: TRACE });
    assert.equal(tty.code, 0, tty.stdout);
    assert.match(tty.stdout, new RegExp(`netdash ${VERSION.replace(/\./g, '\\.')}`));
    // (PS4 does not come through script's shell: the trace has sh's own prefix there.)
    assert.match(tty.stdout, /^\+.*exec node \S*cli\.js --version/m);
    assert.doesNotMatch(tty.stdout, /--snapshot-blob/);
    assert.ok((await launch(CLI, ['--version'])).blob, 'the same run into a pipe uses the blob');
    for (const args of [['--serve'], ['--record'], ['--replay'], ['-tan', '--record']]) {
      const r = await launch(CLI, args);
      assert.equal(r.blob, null, args.join(' '));
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    }
  });

  it('the build left a blob that the launcher uses, also through a bin symlink as npm makes it', async () => {
    assert.ok(existsSync(path.join(DIST, 'snapshot', 'netdash.blob')), 'npm run build wrote no dist/snapshot/netdash.blob');
    const direct = await launch(CLI, ['--version']);
    assert.equal(direct.blob, path.join(DIST, 'snapshot', 'netdash.blob'));
    assert.equal(direct.code, 0, direct.stderr);
    assert.equal(direct.stdout, `netdash ${VERSION}\n`);
    assert.equal(direct.stderr, '');

    const dir = mkdtempSync(path.join(tmpdir(), 'netdash-bin-'));
    made.push(dir);
    mkdirSync(path.join(dir, 'bin'));
    symlinkSync(path.relative(path.join(dir, 'bin'), CLI), path.join(dir, 'bin', 'netdash'));
    const linked = await launch(path.join(dir, 'bin', 'netdash'), ['-V']);
    assert.equal(linked.blob, path.join(DIST, 'snapshot', 'netdash.blob'));
    assert.equal(linked.stdout, `netdash ${VERSION}\n`);
    assert.equal(linked.code, 0, linked.stderr);
  });

  it('hands every other run to the plain program, which prints what it prints alone', async () => {
    const fixture = fileURLToPath(new URL('../../test/fixtures/root-basic', import.meta.url));
    const cases: string[][] = [
      ['--help'],
      ['--frobnicate'],
      ['--version', '--help'],
      ['-tan', '--root', '/nonexistent'],
      ['--print', '-tan', '--root', fixture],
      ['--print', '-s', '--root', fixture],
      ['--json', '-i', '--root', fixture],
    ];
    for (const args of cases) {
      const a = await launch(CLI, args);
      const b = await plain(args);
      assert.ok(a.blob, `${args.join(' ')}: the launcher did not use the blob`);
      assert.deepEqual(timeless(a), timeless(b), args.join(' '));
    }
  });

  describe('on a real table', () => {
    let ns: Netns | null = null;
    before(async () => {
      ns = await Netns.create('snap').catch(() => null);
      if (!ns) return;
      await ns.exec('sysctl', ['-qw', 'net.ipv4.ip_local_port_range=20000 60000']);
      // 400 loopback connections (every 3rd over ::1), then 40 closed and opened again.
      const load = ns.spawn(process.execPath, [path.join(DIST, 'test/bench/load-child.js'), '400', '5200', '3']);
      await readyLine(load);
      load.stdin?.write(JSON.stringify({ churn: 40 }) + '\n');
      await sleep(500);
    });
    after(async () => {
      await ns?.destroy();
    });

    it('prints what the plain program prints, byte for byte, from the blob', { timeout: 120_000 }, async (t) => {
      if (!prereq(t, ['root', 'netns'])) return;
      assert.ok(ns);
      const inNs = ['ip', 'netns', 'exec', ns.name];
      for (const args of [
        ['--print', '-tan'],
        ['--print', '-tn'],
        ['--print', '-tln'],
        ['--print', '-tanW'],
        ['-tan'],
        ['--print', '-tan', '-e'],
        ['--print', '-s'],
        ['--print', '-i'],
        ['--json', '-tln'],
      ]) {
        for (let attempt = 0; ; attempt++) {
          const before = timeless(await plain(args, env(), inNs));
          const a = await launch(CLI, args, env(), inNs);
          const b = timeless(await plain(args, env(), inNs));
          assert.ok(a.blob, `${args.join(' ')}: the launcher did not use the blob`);
          assert.equal(a.code, 0, a.stderr);
          assert.equal(a.stderr, '', args.join(' '));
          // Counters and timers may move between runs: again, at most a few times.
          const text = timeless(a).stdout;
          if ((before.stdout !== b.stdout || text !== b.stdout) && attempt < 4) continue;
          assert.equal(text, b.stdout, args.join(' '));
          break;
        }
      }
    });
  });

  describe('a blob this node did not write', () => {
    it('is not started: another node file, another modification time, NODE_OPTIONS, no stamp', { timeout: 120_000 }, async () => {
      const dir = packageCopy();
      made.push(dir);
      const bin = path.join(dir, 'dist', 'src', 'cli.js');
      const snap = path.join(dir, 'dist', 'snapshot');
      mkdirSync(snap, { recursive: true });
      // Not a blob at all: node would refuse it and exit (status 14) if it were started.
      writeFileSync(path.join(snap, 'netdash.blob'), 'not a blob\n');
      const stamp = path.join(snap, 'node');
      const spoilt: [string, () => Promise<void>][] = [
        [
          'the stamp names another file',
          async () => {
            writeFileSync(stamp, '/bin/sh\n');
            await exec('touch', ['-r', '/bin/sh', stamp], env());
          },
        ],
        [
          'this node, another modification time',
          async () => {
            writeFileSync(stamp, `${process.execPath}\n`);
            await exec('touch', ['-d', '2001-02-03 04:05:06', stamp], env());
          },
        ],
        [
          'no stamp',
          () => {
            rmSync(stamp);
            return Promise.resolve();
          },
        ],
      ];
      for (const [why, spoil] of spoilt) {
        await spoil();
        for (const args of [['--version'], ['--print', '-tan', '--root', '/nonexistent']]) {
          const r = await launch(bin, args);
          const p = await plain(args);
          assert.equal(r.blob, null, why);
          assert.deepEqual({ code: r.code, stdout: r.stdout, stderr: r.stderr }, p, `${why}: ${args.join(' ')}`);
        }
      }

      // Made here by this node (as postinstall makes it): used, and it answers --print -tan
      // by itself (with the plain program gone, only the direct path can print the table).
      assert.equal(buildBlob(path.join(dir, 'dist')), null);
      const good = await launch(bin, ['--version']);
      assert.equal(good.blob, path.join(snap, 'netdash.blob'));
      assert.equal(good.stdout, `netdash ${VERSION}\n`);
      // NODE_OPTIONS may carry V8 flags the blob was not made with: the plain start.
      const opts = await launch(bin, ['--version'], { ...env(), NODE_OPTIONS: '--max-old-space-size=300' });
      assert.equal(opts.blob, null);
      assert.equal(opts.code, 0, opts.stderr);
      assert.equal(opts.stdout, `netdash ${VERSION}\n`);

      // The blob run by node alone, with the launcher's flags (read before the launcher goes).
      const flags = launcherBlobFlags(readFileSync(bin, 'utf8')) ?? [];
      const tln = (): ReturnType<typeof exec> =>
        exec(process.execPath, [...flags, '--snapshot-blob', path.join(snap, 'netdash.blob'), '--', '--print', '-tln'], env());
      const tan = await tln();
      renameSync(bin, `${bin}.away`);
      try {
        const alone = await tln();
        assert.equal(alone.code, 0, alone.stderr);
        assert.equal(alone.stdout, tan.stdout);
        assert.match(alone.stdout, /^Active Internet connections \(only servers\)\nProto Recv-Q Send-Q/);
      } finally {
        renameSync(`${bin}.away`, bin);
      }
    });
  });
});
