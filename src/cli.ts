#!/bin/sh
//bin/true; exec node --max-semi-space-size=4 "$0" "$@"
// The two lines above are a shell script that starts node with flags (a shebang line cannot
// carry them portably: `env -S` is missing from BusyBox and older coreutils). For sh the
// second line runs /bin/true, then node; for node it is a comment. Why the flag: V8 grows its
// young generation to 2 x 16 MB for a process that allocates steadily, which is a fifth of the
// dashboard's resident memory at 50k sockets; 2 x 4 MB costs no measurable CPU (see README).
// The entry point: the one place where the process's effects are gathered into an Io (kernel,
// clock, environment, streams, signals, DNS) and handed to run(). Nothing else runs on import.
import { hostname, release } from 'node:os';
import { run, type Io } from './cli/run.js';
import { startDebugStats } from './cli/debug-stats.js';
import { dnsPtrLookup } from './names/host-names.js';
import { systemClock } from './sampler/sampler.js';
import { kernelFs } from './sources/kernel-fs.js';
import { printable } from './text/printable.js';
import { eightBitSafe, localeIsUtf8 } from './text/eight-bit.js';
import { exitOnOutputError } from './cli/output-errors.js';

const stats: Record<string, () => number> = {};

const io: Io = {
  kernel: (root) => kernelFs(root),
  clock: systemClock,
  env: process.env,
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  signals: { on: (sig, fn) => process.on(sig, fn), off: (sig, fn) => process.off(sig, fn) },
  dns: dnsPtrLookup,
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
process.stderr.on('error', () => { /* nothing left to report to */ });

// NETDASH_DEBUG_STATS=FILE appends process statistics (RSS, timers, handles, listeners, cache
// sizes) to FILE every second: the soak test reads them. Off unless set.
const debugStats = process.env['NETDASH_DEBUG_STATS'];
if (debugStats) startDebugStats(debugStats, stats);

run(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    warn(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  },
);
