#!/bin/sh
//bin/true; unset NODE_EXTRA_CA_CERTS; s=$0; { [ ! -L "$s" ] || s=$(readlink -f -- "$s" 2>/dev/null); } && case $s in */*) ;; *) s=./$s;; esac && s=${s%/*}/../snapshot && [ -z "$NODE_OPTIONS" ] && [ ! -t 1 ] && case " $* " in *" --serve"*|*" --record"*|*" --replay"*) false;; esac && [ -f "$s/netdash.blob" ] && [ -f "$s/node" ] && read -r p <"$s/node" && n=$(command -v node) && [ "$n" -ef "$p" ] && [ ! "$s/node" -nt "$n" ] && [ ! "$s/node" -ot "$n" ] && exec node --max-semi-space-size=4 --optimize-for-size --snapshot-blob "$s/netdash.blob" -- "$@"; case "$*" in --version|-V|--help|-h) exec node "$0" "$@";; esac; exec node --max-semi-space-size=4 --optimize-for-size "$0" "$@"
// The two lines above are a shell script that starts node with flags (a shebang line cannot
// carry them portably: `env -S` is missing from BusyBox and older coreutils). For sh the
// second line runs /bin/true, then node; for node it is a comment. First it looks for the
// start-up snapshot beside this file (dist/snapshot/; through npm's bin symlink with readlink -f,
// which costs a process, so only for a symlink):
// when the stamp there says the `node` on PATH wrote the blob (the same file, with the same
// modification time; cli/snapshot-blob.ts), NODE_OPTIONS is empty, and the run is a script's
// one-shot (stdout not a terminal, so never the dashboard; not --serve, --record or --replay,
// which run for long), node starts from the blob, with the blob's flags, and
// cli/snapshot-main.ts answers or runs this file in the same process. Otherwise, the plain start. Either way without NODE_EXTRA_CA_CERTS: node reads and
// parses that CA file as it starts, whether or not the program ever verifies a TLS peer (40 ms
// of every start on a VM that sets it), and netdash never does (it makes no TLS connections;
// --serve's HTTPS server asks for no client certificates). `netdash --version` and
// `--help` alone get no flags: any V8 flag makes node's cached code for its own modules not
// match (it is keyed by the flags), and compiling them costs a third of a --version, 10 ms of
// 30 (measured without NODE_EXTRA_CA_CERTS, which adds 40 ms to every node). Why the flags: V8 grows its
// young generation to 2 x 16 MB for a process that allocates steadily, which is a fifth of the
// dashboard's resident memory at 50k sockets; 2 x 4 MB costs no measurable CPU. And under
// connection churn at a 0.2 s interval rows live a tick or two, long enough to be promoted, so
// the old generation fills with garbage and V8 grows it by half each time: RSS swung between
// 135 and 213 MB, with 30 MB kept after a full collection. --optimize-for-size makes V8 grow the
// heap in smaller steps: 95-112 MB, at the same CPU within the noise (see README, Benchmark).
// The entry point: the one place where the process's effects are gathered into an Io (kernel,
// clock, environment, streams, signals, DNS) and handed to run(). Nothing else runs on import.
// Nothing is loaded before it is needed. `netdash --version` alone (as scripts call it) answers
// from one small module. Otherwise run() parses the flags first, so --help and a bad flag answer
// after loading only the option parser; the effects' modules (the kernel readers with netlink,
// the clock, DNS) load in io.prepare(), which run() calls once the flags asked for work (tests
// build their Io without it), and each mode imports its own modules.
import { hostname, release } from 'node:os';
import type { Io } from './cli/run.js';
import { exitOnOutputError } from './cli/output-errors.js';
import { versionLine } from './cli/version.js';
import type { PtrLookup } from './names/dns-lookup.js';
import type { Clock } from './sampler/clock.js';
import type { KernelFs } from './sources/kernel-fs.js';
import { eightBitSafe, localeIsUtf8 } from './text/eight-bit.js';
import { printable } from './text/printable.js';

const stats: Record<string, () => number> = {};

interface Effects {
  kernelFs(root: string): KernelFs;
  clock: Clock;
  dns(timeoutMs: number): PtrLookup;
}
let effects: Effects | null = null;
function loaded(): Effects {
  if (!effects) throw new Error('internal: io used before io.prepare()');
  return effects;
}

/** io.kernel alone, once io.prepare('kernel') loaded it (the direct print path needs no more). */
let kernelOnly: ((root: string) => KernelFs) | null = null;

const io: Io = {
  prepare: async (only) => {
    if (effects) return;
    if (only === 'kernel') {
      const { kernelFs } = await import('./sources/kernel-fs.js');
      kernelOnly = (root) => kernelFs(root);
      return;
    }
    const [{ kernelFs }, { systemClock }, { dnsPtrLookup }] = await Promise.all([
      import('./sources/kernel-fs.js'),
      import('./sampler/clock.js'),
      import('./names/dns-lookup.js'),
    ]);
    effects = { kernelFs: (root) => kernelFs(root), clock: systemClock, dns: dnsPtrLookup };
  },
  kernel: (root) => (effects === null && kernelOnly !== null ? kernelOnly(root) : loaded().kernelFs(root)),
  get clock() {
    return loaded().clock;
  },
  env: process.env,
  get stdin() {
    return process.stdin;
  },
  stdout: process.stdout,
  stderr: process.stderr,
  signals: { on: (sig, fn) => process.on(sig, fn), off: (sig, fn) => process.off(sig, fn) },
  dns: (timeoutMs) => loaded().dns(timeoutMs),
  hostname,
  release,
  exit: (code) => process.exit(code),
  stats,
};

/** A line on stderr before run() has its own: escaped, and ASCII-only outside UTF-8 locales. */
function warn(msg: string): void {
  const line = `netdash: ${printable(msg)}\n`;
  process.stderr.write(localeIsUtf8(process.env) ? line : eightBitSafe(line));
}

// A closed pipe exits 0 silently; any other write error (ENOSPC, EIO, …) one line and exit 1
// (cli/output-errors.ts). Recordings are written synchronously: every tick so far is on disk.
exitOnOutputError(process.stdout, warn);
// stderr too: a message after the reader of both went away must not turn into a crash.
process.stderr.on('error', () => {
  /* nothing left to report to */
});

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) process.stdout.write(versionLine() + '\n');
else await main();

async function main(): Promise<void> {
  // NETDASH_DEBUG_STATS=FILE appends process statistics (RSS, timers, handles, listeners, cache
  // sizes) to FILE every second: the soak test reads them. Off unless set.
  const debugStats = process.env['NETDASH_DEBUG_STATS'];
  if (debugStats) await import('./cli/debug-stats.js').then(({ startDebugStats }) => startDebugStats(debugStats, stats));

  const { run } = await import('./cli/run.js');
  run(argv, io).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      warn(err instanceof Error ? err.message : String(err));
      process.exitCode = 1;
    },
  );
}
