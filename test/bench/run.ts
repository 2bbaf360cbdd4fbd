// npm run bench: netdash against ss, netstat and systeminformation at idle, 1k, 10k and 50k
// TCP sockets on loopback, each load built in a network namespace made (and removed) here.
//
//   npm run bench                                 idle, 1k, 10k, 50k; 5 repetitions; 30 s CPU windows
//   npm run bench -- --sockets 10000 --quick      idle and 10k, shorter CPU windows (< 1 min)
//   npm run bench -- --sockets 100000             any load; ulimit -n is respected by spreading
//                                                 the connections over several processes
// Options: --reps N, --cpu-seconds S, --warmup S, --no-si (skip systeminformation),
//          --no-dashboard, --cols/--rows (terminal size of the dashboard runs),
//          --churn-seconds S (180; 30 with --quick), --churn-warmup S (60; 15 with --quick),
//          --no-churn, --tcpinfo-only (only the tcp_info tick and its RSS, at the largest load,
//          --runs times: tickInfoVsSsTin and tickInfoRssMB in a minute), --print-only (only
//          `ss -tan` against `netdash --print -tan` at the largest load, --reps pairs a run,
//          --runs times: printVsSsTan).
//
// Churn: 20k sockets (10k loopback connections) with 1,000 connections closed and 1,000 opened
// a second (in batches every 100 ms; every other close a reset, the rest leave TIME_WAIT, at most
// 5,000 of them), under the dashboard at `-a --interval 0.2` in tmux. After --churn-warmup, RSS
// and CPU are read every 5 s for --churn-seconds: churnRssMB is the highest RSS of the window,
// churnCpuPct the CPU over it, churnRssTrendMBPerMin the slope of RSS over its last two minutes
// (least squares; over the whole window when it is shorter) with its standard error
// (churnRssTrendSEMBPerMin) and churnRssRising (slope above twice that), churnRssLevelChangeMB
// the median of the window's last minute minus that of its first.
//
// Dashboard CPU is steady-state CPU: the window of --cpu-seconds (30; 8 with --quick) opens
// --warmup seconds (120; 5 with --quick) after the first sample is on screen. At one tick a
// second V8's optimizing compiler keeps finding functions hot for minutes: an idle dashboard
// had 11 functions compiled between 45 and 75 s and 3 between 150 and 180 s, each 1 to 19 ms
// of CPU, a quarter of its CPU in the earlier window. The CPU of the first 30 s after the first
// sample (or of warm-up and window together, when shorter) is given as well, as cpuPct*Warmup.
//
// Graphs (issue 14): the 200x50 runs use the big layout, whose Graphs pane is on screen (checked:
// graphsOnScreen); an extra idle run has the Graphs pane focused and zoomed (v, z), every chart
// drawn large (cpuPctIdleGraphs); the render probe also times a frame in that view
// (renderGraphsMs). B/tick (noChangeTickBytes) is a quiet tick's output once the charts have
// filled their width (512 ticks first); while they fill, each tick draws one more point of every
// line (noChangeTickBytesFilling).
//
// Recording: bytes per tick of --record over 600 ticks (two KEY_EVERY_MAX periods, key frames
// included) of each load's real table, unchanged (steady) and with 1% of its TCP connections
// replaced every tick (churn).
//
// Prints a table per load, then the dashboard figures, the recording figures, and last a line
// `BENCH {json}` with the figures of the largest load.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, release } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { Netns } from '../helpers/netns.js';
import { Tmux } from '../helpers/tmux.js';
import { CLI, CLI_FLAGS } from './bin-launch.js';
import { findNetdash, spawnLoad, statusKb } from './loads.js';
import type { Figure, RecordFigures, Timings } from './probe.js';

const DIST = fileURLToPath(new URL('../../', import.meta.url));
const NODE = process.execPath;

interface Args {
  loads: number[];
  reps: number;
  cpuSeconds: number;
  warmup: number;
  si: boolean;
  dashboard: boolean;
  cols: number;
  rows: number;
  quick: boolean;
  churn: boolean;
  churnSeconds: number;
  churnWarmup: number;
  tcpinfoOnly: boolean;
  printOnly: boolean;
  runs: number;
}

function args(): Args {
  const { values } = parseArgs({
    options: {
      sockets: { type: 'string', multiple: true },
      quick: { type: 'boolean', default: false },
      reps: { type: 'string' },
      'cpu-seconds': { type: 'string' },
      warmup: { type: 'string' },
      'no-si': { type: 'boolean', default: false },
      'no-dashboard': { type: 'boolean', default: false },
      'no-churn': { type: 'boolean', default: false },
      'tcpinfo-only': { type: 'boolean', default: false },
      'print-only': { type: 'boolean', default: false },
      runs: { type: 'string', default: '1' },
      'churn-seconds': { type: 'string' },
      'churn-warmup': { type: 'string' },
      cols: { type: 'string', default: '200' },
      rows: { type: 'string', default: '50' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(
      'usage: npm run bench -- [--sockets N]... [--quick] [--reps N] [--cpu-seconds S] [--warmup S] [--no-si] [--no-dashboard] [--cols C --rows R] [--churn-seconds S] [--churn-warmup S] [--no-churn] [--tcpinfo-only|--print-only [--runs N]]\n',
    );
    process.exit(0);
  }
  const asked = (values.sockets ?? []).flatMap((s) => s.split(',')).map(Number);
  if (asked.some((n) => !Number.isInteger(n) || n < 0 || n > 400_000)) throw new Error('--sockets: a whole number from 0 to 400000');
  const loads = [...new Set([0, ...(asked.length ? asked : [1000, 10_000, 50_000])])].sort((a, b) => a - b);
  const quick = values.quick === true;
  const reps = Math.max(5, Number(values.reps ?? 5));
  const cpuSeconds = Number(values['cpu-seconds'] ?? (quick ? 8 : 30));
  const warmup = Number(values.warmup ?? (quick ? 5 : 120));
  if (!Number.isFinite(cpuSeconds) || cpuSeconds <= 0) throw new Error('--cpu-seconds: a number of seconds above 0');
  if (!Number.isFinite(warmup) || warmup < 0) throw new Error('--warmup: a number of seconds, 0 or more');
  const churnSeconds = Number(values['churn-seconds'] ?? (quick ? 30 : 180));
  const churnWarmup = Number(values['churn-warmup'] ?? (quick ? 15 : 60));
  if (!Number.isFinite(churnSeconds) || churnSeconds < 10) throw new Error('--churn-seconds: a number of seconds, 10 or more');
  if (!Number.isFinite(churnWarmup) || churnWarmup < 0) throw new Error('--churn-warmup: a number of seconds, 0 or more');
  return {
    loads,
    reps,
    cpuSeconds,
    warmup,
    si: !values['no-si'],
    dashboard: !values['no-dashboard'],
    cols: Number(values.cols),
    rows: Number(values.rows),
    quick,
    churn: !values['no-churn'],
    churnSeconds,
    churnWarmup,
    tcpinfoOnly: values['tcpinfo-only'] === true,
    printOnly: values['print-only'] === true,
    runs: Math.max(1, Math.floor(Number(values.runs)) || 1),
  };
}

function need(): void {
  const missing: string[] = [];
  if (process.getuid?.() !== 0) missing.push('root');
  for (const [cmd, a] of [
    ['ip', ['-V']],
    ['ss', ['-V']],
    ['netstat', ['--version']],
    ['tmux', ['-V']],
    ['prlimit', ['--version']],
  ] as const) {
    try {
      execFileSync(cmd, a, { stdio: 'ignore' });
    } catch {
      missing.push(cmd);
    }
  }
  if (missing.length) {
    process.stderr.write(`bench: needs ${missing.join(', ')} (the loads live in network namespaces)\n`);
    process.exit(2);
  }
}

// ---- loads ----------------------------------------------------------------------------------------

interface Load {
  ns: Netns;
  sockets: number;
}

async function buildLoad(sockets: number, live: Netns[]): Promise<Load> {
  const ns = await Netns.create('bench');
  live.push(ns);
  await spawnLoad(ns, sockets);
  return { ns, sockets };
}

async function probe<T>(ns: Netns, argv: string[], nodeFlags: readonly string[] = []): Promise<T> {
  const r = await ns.exec(NODE, [...nodeFlags, path.join(DIST, 'test/bench/probe.js'), ...argv]);
  if (r.code !== 0) throw new Error(`probe ${argv.join(' ')}: ${r.stderr.trim()}`);
  return JSON.parse(r.stdout) as T;
}

// ---- the dashboard in a real terminal -----------------------------------------------------------

interface DashRun {
  /** Steady state: the window after the warm-up. */
  cpuPct: number;
  /** The first seconds after the first sample (warmupWindowS of them): JIT warm-up included. */
  cpuPctWarmup: number;
  warmupWindowS: number;
  rssMB: number;
  screenOk: boolean;
  /** Charts of the Graphs pane were on screen (with their y scale) at the end of the window. */
  graphsOnScreen: boolean;
}

/** The early-CPU figure covers this much of the run after the first sample, at most. */
const EARLY_WINDOW_S = 30;

const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]); // utime, stime (fields 14 and 15)
}

/** CPU % of `pid` between two readings. */
const cpuPct = (c0: number, t0: number, c1: number, t1: number): number => ((c1 - c0) / CLK_TCK / ((t1 - t0) / 1000)) * 100;

/** A chart of the Graphs pane with its y scale ("y: 0-10 kB/s"), under the pane's title. */
const graphsShown = (screen: string): boolean => / 11 Graphs/.test(screen) && /y: 0-\S+/.test(screen);

/** The dashboard's CPU and peak RSS in tmux; `keys` are sent once the first sample is on screen
 *  (['v', 'z']: the Graphs pane focused and zoomed). */
async function dashboardCpu(ns: Netns, a: Pick<Args, 'cpuSeconds' | 'warmup' | 'cols' | 'rows'>, keys: string[] = []): Promise<DashRun> {
  const t = Tmux.start(['ip', 'netns', 'exec', ns.name, NODE, ...CLI_FLAGS, CLI, '--interval', '1'], {
    width: a.cols,
    height: a.rows,
    term: 'xterm-256color',
  });
  try {
    // Running once the first samples are on screen. The early figure starts here; the steady
    // one after the warm-up (JIT, the first owner scan, caches).
    await t.waitFor((s) => /ESTAB \d/.test(s), 60_000, 'the first sample on screen');
    if (keys.length) {
      t.keys(...keys);
      await t.waitFor(graphsShown, 10_000, 'the Graphs pane');
    }
    const pid = findNetdash(t.pid());
    const e0 = cpuTicks(pid),
      s0 = performance.now();
    const early = Math.min(EARLY_WINDOW_S, a.warmup + a.cpuSeconds);
    const windowAt = a.warmup,
      windowEnd = a.warmup + a.cpuSeconds;
    // The readings in time order: the end of the early span may fall before, inside or at the
    // end of the window.
    const marks = [...new Set([early, windowAt, windowEnd])].sort((x, y) => x - y);
    const at = new Map<number, { c: number; t: number }>([[0, { c: e0, t: s0 }]]);
    for (const m of marks) {
      const wait = s0 + m * 1000 - performance.now();
      if (wait > 0) await sleep(wait);
      at.set(m, { c: cpuTicks(pid), t: performance.now() });
    }
    const end = t.capture();
    const screenOk = keys.length ? graphsShown(end) : /ESTAB \d/.test(end);
    const graphsOnScreen = graphsShown(end);
    const rssMB = statusKb(pid, 'VmHWM') / 1024;
    t.keys('q');
    const w0 = at.get(windowAt)!,
      w1 = at.get(windowEnd)!,
      e1 = at.get(early)!;
    return {
      cpuPct: cpuPct(w0.c, w0.t, w1.c, w1.t),
      cpuPctWarmup: cpuPct(e0, s0, e1.c, e1.t),
      warmupWindowS: early,
      rssMB,
      screenOk,
      graphsOnScreen,
    };
  } finally {
    t.kill();
  }
}

// ---- churn ------------------------------------------------------------------------------------------

interface ChurnRun {
  sockets: number;
  /** `ss -s`'s TCP line at the end (TIME_WAIT and closed sockets not yet freed count too). */
  ssSummary: string;
  /** Connections closed (and as many opened) a second, as the load processes reported them. */
  churnPerS: number;
  cpuPct: number;
  /** The highest VmRSS read in the window. */
  rssMB: number;
  rssFirstMB: number;
  rssLastMB: number;
  /** Least-squares slope of RSS over the last two minutes of the window, and its standard error:
   *  RSS follows the collector's sawtooth (10–15 MB here), so a flat process gives a slope of
   *  either sign, about ±1.5 MB/min over 25 readings. `rising`: more than twice its standard
   *  error above 0, the trend a sawtooth alone is unlikely to give. */
  trendMBPerMin: number;
  trendSEMBPerMin: number;
  rising: boolean;
  trendWindowS: number;
  /** Median RSS of the window's last minute minus that of its first minute. */
  levelChangeMB: number;
  /** [seconds into the window, RSS MB], every 5 s. */
  readings: [number, number][];
  screenOk: boolean;
}

const CHURN_CONNECTIONS = 10_000;
const CHURN_PER_S = 1000;
const CHURN_BATCH_MS = 100;

/** Slope (y per x) of the least-squares line through the points, and its standard error (from
 *  the residuals; readings of a sawtooth are not independent, so it is a lower bound). */
function slope(points: readonly [number, number][]): { slope: number; se: number } {
  const n = points.length;
  if (n < 3) return { slope: 0, se: Infinity };
  const mx = points.reduce((a, p) => a + p[0], 0) / n,
    my = points.reduce((a, p) => a + p[1], 0) / n;
  let num = 0,
    den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  if (den === 0) return { slope: 0, se: Infinity };
  const b = num / den;
  let res = 0;
  for (const [x, y] of points) res += (y - my - b * (x - mx)) ** 2;
  return { slope: b, se: Math.sqrt(res / (n - 2) / den) };
}

async function churnRun(a: Args, live: Netns[]): Promise<ChurnRun> {
  const ns = await Netns.create('churn');
  live.push(ns);
  try {
    await ns.exec('sysctl', ['-q', '-w', 'net.ipv4.tcp_max_tw_buckets=5000']);
    const procs = await spawnLoad(ns, 2 * CHURN_CONNECTIONS);
    const children = procs.length;
    let churned = 0;
    for (const p of procs) {
      let buf = '';
      p.stdout?.on('data', (d: Buffer) => {
        buf += d.toString();
        for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
          const m = JSON.parse(buf.slice(0, nl)) as { churned?: number };
          buf = buf.slice(nl + 1);
          churned += m.churned ?? 0;
        }
      });
    }
    const t = Tmux.start(['ip', 'netns', 'exec', ns.name, NODE, ...CLI_FLAGS, CLI, '-a', '--interval', '0.2'], {
      width: a.cols,
      height: a.rows,
      term: 'xterm-256color',
    });
    const perBatch = Math.round((CHURN_PER_S * CHURN_BATCH_MS) / 1000 / children);
    const timer = setInterval(() => {
      for (const p of procs) p.stdin?.write(JSON.stringify({ churn: perBatch }) + '\n');
    }, CHURN_BATCH_MS);
    try {
      await t.waitFor((sc) => /ESTAB \d/.test(sc), 60_000, 'the first sample on screen');
      const pid = findNetdash(t.pid());
      await sleep(a.churnWarmup * 1000);
      const c0 = cpuTicks(pid),
        t0 = performance.now(),
        n0 = churned;
      const readings: [number, number][] = [];
      for (let s = 0; s <= a.churnSeconds; s += 5) {
        const wait = t0 + s * 1000 - performance.now();
        if (wait > 0) await sleep(wait);
        readings.push([s, statusKb(pid, 'VmRSS') / 1024]);
      }
      const c1 = cpuTicks(pid),
        t1 = performance.now(),
        n1 = churned;
      const screenOk = /ESTAB \d/.test(t.capture());
      t.keys('q');
      const trendWindowS = Math.min(120, a.churnSeconds);
      const last = readings.filter(([s]) => s >= a.churnSeconds - trendWindowS);
      const trend = slope(last);
      const socketsLine = await ns.exec('ss', ['-s']);
      const m = /TCP:\s+(\d+).*/.exec(socketsLine.stdout);
      return {
        sockets: m ? Number(m[1]) : NaN,
        ssSummary: m ? m[0].trim() : '',
        churnPerS: (n1 - n0) / ((t1 - t0) / 1000),
        cpuPct: cpuPct(c0, t0, c1, t1),
        rssMB: Math.max(...readings.map(([, r]) => r)),
        rssFirstMB: readings[0]?.[1] ?? NaN,
        rssLastMB: readings[readings.length - 1]?.[1] ?? NaN,
        trendMBPerMin: trend.slope * 60,
        trendSEMBPerMin: trend.se * 60,
        rising: trend.slope > 2 * trend.se,
        trendWindowS,
        levelChangeMB:
          median(readings.filter(([s]) => s > a.churnSeconds - 60).map(([, r]) => r)) -
          median(readings.filter(([s]) => s < 60).map(([, r]) => r)),
        readings,
        screenOk,
      };
    } finally {
      clearInterval(timer);
      t.kill();
    }
  } finally {
    await ns.destroy();
    live.splice(live.indexOf(ns), 1);
  }
}

// ---- figures ---------------------------------------------------------------------------------------

const median = (xs: readonly number[]): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const wall = (f: Figure[] | undefined): number => median((f ?? []).map((x) => x.wallMs));
const cpu = (f: Figure[] | undefined): number => median((f ?? []).filter((x) => x.cpuMs !== null).map((x) => x.cpuMs!));
const ms = (n: number): string => (Number.isFinite(n) ? (n >= 100 ? n.toFixed(0) : n.toFixed(1)) : '-');
const round = (n: number, d = 2): number => Math.round(n * 10 ** d) / 10 ** d;

interface TcpInfoOut {
  timings: Timings;
  sockets: number;
  rssMB: number;
  withInfo: number;
}
interface TimingOut {
  timings: Timings;
  sockets: number;
  rssMB: number;
  samplerPct: { every: number; auto: number };
  tcpInfo?: TcpInfoOut;
}
interface RenderOut {
  sockets: number;
  engineMs: number[];
  storeMs: number[];
  renderMs: number[];
  repaintMs: number[];
  noChangeBytes: number[];
  noChangeBytesFilling: number[];
  changedBytes: number[];
  keyMs: number[];
  sortKeyMs: number[];
  graphsRenderMs: number[];
  rssMB: number;
}

const ROWS: [key: string, label: string, ref: string][] = [
  ['ss -tin', 'ss -tin (TCP internals)', 'ss -tin'],
  ['tickInfo', 'tick with tcp_info and flows (target <= 0.8)', 'ss -tin'],
  ['sums', 'per-process and per-peer sums, when read', 'ss -tin'],
  ['snapshot', 'netdash socket snapshot (netlink)', 'ss -tan'],
  ['snapshotProc', 'netdash socket snapshot (/proc fallback)', 'ss -tan'],
  ['procSplit', 'naive read+split of /proc/net/tcp*', 'ss -tan'],
  ['procRead', 'reading /proc/net/tcp* alone', 'ss -tan'],
  ['countOnly', 'count by state, no rows (netlink)', 'ss -tan'],
  ['listenOnly', 'listening only (kernel state filter)', 'ss -tan'],
  ['tick', 'sampler tick (sockets, ifaces, counters, routes)', 'ss -tan'],
  ['tickOwners', 'tick with owners (incremental)', 'ss -tanp'],
  ['ownersCold', 'owner scan, cold (every fd)', 'ss -tanp'],
  ['ss -tan', 'ss -tan', 'ss -tan'],
  ['netstat -tan', 'netstat -tan', 'ss -tan'],
  ['netdash --print -tan', 'netdash --print -tan (process)', 'ss -tan'],
  ['netdash --print -tan (/proc)', 'netdash --print -tan, /proc (process)', 'ss -tan'],
  ['netdash --print -tan (no CA env)', 'the same without NODE_EXTRA_CA_CERTS (process)', 'ss -tan'],
  ['ss -tanp', 'ss -tanp', 'ss -tanp'],
  ['netstat -tanp', 'netstat -tanp', 'ss -tanp'],
  ['netdash --print -tanp', 'netdash --print -tanp (process)', 'ss -tanp'],
  ['systeminformation', 'systeminformation networkConnections()', 'ss -tan'],
  ['node -e 0', 'node -e 0 (node starting, nothing to do)', 'node -e 0'],
  ['netdash --version', 'netdash --version', 'node -e 0'],
  ['node -e 0 (no CA env)', 'node -e 0 without NODE_EXTRA_CA_CERTS', 'node -e 0 (no CA env)'],
  ['netdash --version (no CA env)', 'netdash --version without NODE_EXTRA_CA_CERTS', 'node -e 0 (no CA env)'],
  ['nstat -a', 'nstat -as (-s: no history file written)', 'nstat -a'],
  ['netdash --print -s', 'netdash --print -s (process)', 'nstat -a'],
  ['netdash --print -s (no CA env)', 'the same without NODE_EXTRA_CA_CERTS', 'node -e 0 (no CA env)'],
];

function table(t: TimingOut, reps: number): string {
  const T = t.timings;
  const lines = [`  ${'measure'.padEnd(50)} ${'wall ms'.padStart(8)} ${'cpu ms'.padStart(8)} ${'vs ref'.padStart(7)}  ref`];
  for (const [k, label, ref] of ROWS) {
    if (!T[k]) continue;
    const w = wall(T[k]);
    const ratio = w / wall(T[ref]);
    lines.push(
      `  ${label.padEnd(50)} ${ms(w).padStart(8)} ${ms(cpu(T[k])).padStart(8)} ${(k === ref ? '' : ratio.toFixed(2)).padStart(7)}  ${k === ref ? '' : ref}`,
    );
  }
  if (t.tcpInfo)
    lines.push(
      `  ${'peak RSS of the tcp_info tick process'.padEnd(50)} ${(t.tcpInfo.rssMB.toFixed(0) + ' MB').padStart(17)}  (${t.tcpInfo.withInfo} sockets with tcp_info)`,
    );
  lines.push(`  ${'sampler CPU at a 1 s interval, table every tick'.padEnd(50)} ${(t.samplerPct.every.toFixed(2) + ' %').padStart(17)}`);
  lines.push(`  ${'sampler CPU at a 1 s interval, table cadence auto'.padEnd(50)} ${(t.samplerPct.auto.toFixed(2) + ' %').padStart(17)}`);
  lines.push(`  (median of ${reps}; "cpu" is user+system of the measuring process, or of the command)`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const a = args();
  need();
  const live: Netns[] = [];
  let cleaning = false;
  const cleanup = async (): Promise<void> => {
    if (cleaning) return;
    cleaning = true;
    for (const ns of live.splice(0)) await ns.destroy().catch(() => {});
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
    process.once(sig, () => {
      void cleanup().then(() => process.exit(130));
    });

  const cpuModel = cpus()[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown CPU';
  const machine = `${cpus().length} cores (${cpuModel}), Linux ${release()}, Node ${process.version}`;
  process.stdout.write(`netdash benchmark: ${machine}\n`);
  process.stdout.write(
    `loads: ${a.loads.map((n) => (n === 0 ? 'idle' : `${n} sockets`)).join(', ')}; ${a.reps} repetitions; load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}\n`,
  );
  if (a.dashboard)
    process.stdout.write(
      `dashboard CPU: ${a.cpuSeconds} s window after a ${a.warmup} s warm-up; started as the bin's launcher starts it: node ${[...CLI_FLAGS, 'dist/src/cli.js'].join(' ')}\n`,
    );
  process.stdout.write('\n');

  if (a.tcpinfoOnly) {
    await tcpInfoOnly(a, live).finally(cleanup);
    return;
  }
  if (a.printOnly) {
    await printOnly(a, live).finally(cleanup);
    return;
  }
  const started = performance.now();
  const results: { sockets: number; t: TimingOut; r: RenderOut; rec: RecordFigures; dash?: DashRun; dashGraphs?: DashRun }[] = [];
  let churn: ChurnRun | null = null;
  try {
    const max = Math.max(...a.loads);
    for (const n of a.loads) {
      const tl = performance.now();
      const load = await buildLoad(n, live);
      const t = await probe<TimingOut>(load.ns, [
        'timings',
        '--reps',
        String(a.reps),
        '--sim-seconds',
        a.quick ? '10' : '30',
        ...(a.si ? ['--si'] : []),
      ]);
      const r = await probe<RenderOut>(load.ns, ['render', '--reps', String(a.reps), '--cols', String(a.cols), '--rows', String(a.rows)]);
      const rec = await probe<RecordFigures>(load.ns, ['record', '--ticks', a.quick ? '100' : '600']);
      // With the node flags netdash's own launcher uses (its RSS is the figure).
      const ti = await probe<TcpInfoOut>(load.ns, ['tcpinfo', '--reps', String(a.reps)], CLI_FLAGS);
      Object.assign(t.timings, ti.timings);
      t.tcpInfo = ti;
      let dash: DashRun | undefined, dashGraphs: DashRun | undefined;
      if (a.dashboard && (n === 0 || n === max)) dash = await dashboardCpu(load.ns, a);
      // Idle with every chart drawn large: the Graphs pane's own cost at rest (issue 14).
      if (a.dashboard && n === 0) dashGraphs = await dashboardCpu(load.ns, a, ['v', 'z']);
      await load.ns.destroy();
      live.splice(live.indexOf(load.ns), 1);
      results.push({ sockets: t.sockets, t, r, rec, ...(dash ? { dash } : {}), ...(dashGraphs ? { dashGraphs } : {}) });
      process.stdout.write(
        `${n === 0 ? 'idle' : `${n} sockets`} (${t.sockets} TCP sockets seen, ${((performance.now() - tl) / 1000).toFixed(0)} s)\n${table(t, a.reps)}\n\n`,
      );
    }
    if (a.churn) {
      churn = await churnRun(a, live);
      process.stdout.write(
        `churn: ss -s at the end: ${churn.ssSummary}; ${churn.churnPerS.toFixed(0)} connections closed and opened a second; netdash -a --interval 0.2 in tmux,\n` +
          `  ${a.churnSeconds} s window after a ${a.churnWarmup} s warm-up: cpu ${churn.cpuPct.toFixed(1)} %, rss max ${churn.rssMB.toFixed(0)} MB ` +
          `(first ${churn.rssFirstMB.toFixed(0)}, last ${churn.rssLastMB.toFixed(0)}), trend over the last ${churn.trendWindowS} s ${churn.trendMBPerMin.toFixed(2)} ± ${churn.trendSEMBPerMin.toFixed(2)} MB/min` +
          `${churn.rising ? ' (RISING)' : ''}, last minute's median ${churn.levelChangeMB >= 0 ? '+' : ''}${churn.levelChangeMB.toFixed(1)} MB on the first's` +
          `${churn.screenOk ? '' : ' (SCREEN LOST)'}\n  rss every 5 s: ${churn.readings.map(([, r]) => r.toFixed(0)).join(' ')}\n\n`,
      );
    }
  } finally {
    await cleanup();
  }

  process.stdout.write(`dashboard (${a.cols}x${a.rows}, fed real samples; render = paint + blessed diff of one frame)\n`);
  process.stdout.write(
    `  ${'sockets'.padStart(8)} ${'engine'.padStart(7)} ${'store'.padStart(7)} ${'render'.padStart(7)} ${'repaint'.padStart(7)} ${'key j'.padStart(7)} ${'key s'.padStart(7)} ${'B/tick'.padStart(7)} ${'B/10%'.padStart(7)} ${'cpu %'.padStart(6)} ${'cpu0 %'.padStart(7)} ${'rss MB'.padStart(7)}\n`,
  );
  for (const { sockets, r, dash } of results) {
    process.stdout.write(
      `  ${String(sockets).padStart(8)} ${ms(median(r.engineMs)).padStart(7)} ${ms(median(r.storeMs)).padStart(7)} ${ms(median(r.renderMs)).padStart(7)} ${ms(median(r.repaintMs)).padStart(7)} ${ms(median(r.keyMs)).padStart(7)} ${ms(median(r.sortKeyMs)).padStart(7)} ${String(median(r.noChangeBytes)).padStart(7)} ${String(median(r.changedBytes)).padStart(7)} ${(dash ? dash.cpuPct.toFixed(2) : '-').padStart(6)} ${(dash ? dash.cpuPctWarmup.toFixed(2) : '-').padStart(7)} ${(dash ? dash.rssMB.toFixed(0) : '-').padStart(7)}\n`,
    );
  }
  for (const { sockets, r, dash, dashGraphs } of results) {
    process.stdout.write(
      `  ${String(sockets).padStart(8)} sockets: a frame with the Graphs pane zoomed (v, z) ${ms(median(r.graphsRenderMs))} ms; ` +
        `B/tick while the charts fill ${median(r.noChangeBytesFilling)}` +
        (dash ? `; charts on screen in the ${a.cols}x${a.rows} run: ${dash.graphsOnScreen ? 'yes' : 'NO'}` : '') +
        (dashGraphs
          ? `; Graphs pane zoomed in tmux: cpu ${dashGraphs.cpuPct.toFixed(2)} %, cpu0 ${dashGraphs.cpuPctWarmup.toFixed(2)} %, rss ${dashGraphs.rssMB.toFixed(0)} MB${dashGraphs.screenOk ? '' : ' (CHARTS LOST)'}`
          : '') +
        '\n',
    );
  }
  const early = Math.min(EARLY_WINDOW_S, a.warmup + a.cpuSeconds);
  process.stdout.write(
    `  (ms are medians. netdash at a 1 s interval in tmux: cpu % over ${a.cpuSeconds} s after a ${a.warmup} s warm-up (steady state);\n` +
      `   cpu0 % over the first ${early} s after the first sample (JIT warm-up included); rss is the peak (VmHWM) by the end of the window)\n\n`,
  );

  process.stdout.write('recording (--record, bytes per tick averaged over the ticks, key frames included)\n');
  process.stdout.write(
    `  ${'sockets'.padStart(8)} ${'ticks'.padStart(6)} ${'steady B/tick'.padStart(14)} ${'churn/tick'.padStart(10)} ${'churn B/tick'.padStart(13)} ${'key frame B'.padStart(12)} ${'key frames'.padStart(11)}\n`,
  );
  for (const { rec } of results) {
    process.stdout.write(
      `  ${String(rec.sockets).padStart(8)} ${String(rec.ticks).padStart(6)} ${String(rec.steadyBytesPerTick).padStart(14)} ${String(rec.churnPerTick).padStart(10)} ${String(rec.churnBytesPerTick).padStart(13)} ${String(rec.keyFrameBytes).padStart(12)} ${`${rec.keyFrames.steady}/${rec.keyFrames.churn}`.padStart(11)}\n`,
    );
  }
  process.stdout.write(
    '  (steady: the table as read; churn: 1% of its TCP connections closed and new ones opened every tick; key frames: steady/churn)\n\n',
  );

  const top = results[results.length - 1]!;
  const idle = results[0]!;
  const T = top.t.timings;
  const bench = {
    sockets: top.sockets,
    snapshotVsSsTan: round(wall(T['snapshot']) / wall(T['ss -tan'])),
    tickVsSsTan: round(wall(T['tick']) / wall(T['ss -tan'])),
    ...(T['tickInfo'] && T['ss -tin']
      ? {
          tickInfoVsSsTin: round(wall(T['tickInfo']) / wall(T['ss -tin'])),
          tickInfoRssMB: round(top.t.tcpInfo?.rssMB ?? 0, 0),
          ...(T['sums'] ? { sumsVsSsTin: round(wall(T['sums']) / wall(T['ss -tin'])) } : {}),
        }
      : {}),
    ownersVsSsTanp: round(wall(T['tickOwners']) / wall(T['ss -tanp'])),
    renderMs: round(median(top.r.renderMs), 1),
    renderGraphsMs: round(median(top.r.graphsRenderMs), 1),
    graphsOnScreen: results.every((x) => x.dash === undefined || x.dash.graphsOnScreen),
    cpuPctIdleGraphs: idle.dashGraphs ? round(idle.dashGraphs.cpuPct) : null,
    cpuPctLoaded: top.dash ? round(top.dash.cpuPct) : null,
    cpuPctIdle: idle.dash ? round(idle.dash.cpuPct) : null,
    noChangeTickBytes: median(top.r.noChangeBytes),
    noChangeTickBytesFilling: median(top.r.noChangeBytesFilling),
    rssMB: top.dash ? round(top.dash.rssMB, 0) : round(top.r.rssMB, 0),
    changedTickBytes: median(top.r.changedBytes),
    storeIngestMs: round(median(top.r.storeMs), 1),
    keyMs: round(median(top.r.keyMs), 1),
    sortKeyMs: round(median(top.r.sortKeyMs), 1),
    ownersColdVsSsTanp: round(wall(T['ownersCold']) / wall(T['ss -tanp'])),
    samplerPctEveryTick: round(top.t.samplerPct.every),
    samplerPctAuto: round(top.t.samplerPct.auto),
    snapshotCpuVsSsTan: round(cpu(T['snapshot']) / cpu(T['ss -tan'])),
    printVsSsTan: round(wall(T['netdash --print -tan']) / wall(T['ss -tan'])),
    // Start-up figures from the idle load: nothing else in the namespace to read.
    versionVsNode: round(wall(idle.t.timings['netdash --version']) / wall(idle.t.timings['node -e 0'])),
    ...(idle.t.timings['node -e 0 (no CA env)']
      ? {
          versionNoCaEnvVsNode: round(
            wall(idle.t.timings['netdash --version (no CA env)']) / wall(idle.t.timings['node -e 0 (no CA env)']),
          ),
        }
      : {}),
    printSVsNstat: round(wall(idle.t.timings['netdash --print -s']) / wall(idle.t.timings['nstat -a'])),
    printSVsNode: round(wall(idle.t.timings['netdash --print -s']) / wall(idle.t.timings['node -e 0'])),
    churnRssMB: churn ? round(churn.rssMB, 0) : null,
    churnCpuPct: churn ? round(churn.cpuPct, 1) : null,
    churnRssTrendMBPerMin: churn ? round(churn.trendMBPerMin) : null,
    churnRssTrendSEMBPerMin: churn ? round(churn.trendSEMBPerMin) : null,
    churnRssRising: churn ? churn.rising : null,
    churnRssLevelChangeMB: churn ? round(churn.levelChangeMB, 1) : null,
    churnPerS: churn ? round(churn.churnPerS, 0) : null,
    ...(T['netdash --print -tan (no CA env)']
      ? { printNoCaEnvVsSsTan: round(wall(T['netdash --print -tan (no CA env)']) / wall(T['ss -tan'])) }
      : {}),
    cpuWarmupS: a.dashboard ? a.warmup : null,
    cpuWindowS: a.dashboard ? a.cpuSeconds : null,
    cpuPctLoadedWarmup: top.dash ? round(top.dash.cpuPctWarmup) : null,
    cpuPctIdleWarmup: idle.dash ? round(idle.dash.cpuPctWarmup) : null,
    cpuWarmupWindowS: top.dash ? top.dash.warmupWindowS : idle.dash ? idle.dash.warmupWindowS : null,
    recordSteadyBytesPerTick: top.rec.steadyBytesPerTick,
    recordChurnBytesPerTick: top.rec.churnBytesPerTick,
    recordIdleBytesPerTick: idle.rec.steadyBytesPerTick,
    seconds: Math.round((performance.now() - started) / 1000),
    loadavg: round(loadavg()[0] ?? 0, 1),
  };
  process.stdout.write(`BENCH ${JSON.stringify(bench)}\n`);
}

/** --tcpinfo-only: the tcp_info probe alone at the largest load, --runs times (a process each,
 *  with the launcher's node flags, as in the full run). */
async function tcpInfoOnly(a: Args, live: Netns[]): Promise<void> {
  const started = performance.now();
  const n = Math.max(...a.loads);
  const load = await buildLoad(n, live);
  const runs: { ratio: number; rssMB: number; tickMs: number; ssMs: number; load1: number }[] = [];
  for (let i = 0; i < a.runs; i++) {
    const ti = await probe<TcpInfoOut>(load.ns, ['tcpinfo', '--reps', String(a.reps)], CLI_FLAGS);
    const tickMs = wall(ti.timings['tickInfo']),
      ssMs = wall(ti.timings['ss -tin']);
    runs.push({ ratio: tickMs / ssMs, rssMB: ti.rssMB, tickMs, ssMs, load1: loadavg()[0] ?? 0 });
    process.stdout.write(
      `${n} sockets (${ti.withInfo} with tcp_info), run ${i + 1}: tick ${ms(tickMs)} ms, ss -tin ${ms(ssMs)} ms, ${(tickMs / ssMs).toFixed(2)}x; peak RSS ${ti.rssMB.toFixed(0)} MB; load average ${(loadavg()[0] ?? 0).toFixed(1)}\n`,
    );
  }
  const bench = {
    sockets: n,
    tickInfoVsSsTin: round(median(runs.map((r) => r.ratio))),
    tickInfoRssMB: round(median(runs.map((r) => r.rssMB)), 0),
    runs: runs.map((r) => ({ ratio: round(r.ratio), rssMB: round(r.rssMB, 0), loadavg: round(r.load1, 1) })),
    seconds: Math.round((performance.now() - started) / 1000),
    loadavg: round(loadavg()[0] ?? 0, 1),
  };
  process.stdout.write(`BENCH ${JSON.stringify(bench)}\n`);
}

/** --print-only: `ss -tan` and `netdash --print -tan` at the largest load, --reps pairs in a
 *  probe process, --runs such processes (as the full run takes them). */
async function printOnly(a: Args, live: Netns[]): Promise<void> {
  const started = performance.now();
  const n = Math.max(...a.loads);
  const load = await buildLoad(n, live);
  const runs: { ratio: number; noCa: number | null; printMs: number; ssMs: number; load1: number }[] = [];
  for (let i = 0; i < a.runs; i++) {
    const T = (await probe<{ timings: Timings }>(load.ns, ['print', '--reps', String(a.reps)])).timings;
    const printMs = wall(T['netdash --print -tan']),
      ssMs = wall(T['ss -tan']);
    const noCa = T['netdash --print -tan (no CA env)'] ? wall(T['netdash --print -tan (no CA env)']) / ssMs : null;
    runs.push({ ratio: printMs / ssMs, noCa, printMs, ssMs, load1: loadavg()[0] ?? 0 });
    process.stdout.write(
      `${n} sockets, run ${i + 1}: --print -tan ${ms(printMs)} ms, ss -tan ${ms(ssMs)} ms, ${(printMs / ssMs).toFixed(2)}x` +
        (noCa === null ? '' : ` (no CA env ${noCa.toFixed(2)}x)`) +
        `; load average ${(loadavg()[0] ?? 0).toFixed(1)}\n`,
    );
  }
  const bench = {
    sockets: n,
    printVsSsTan: round(median(runs.map((r) => r.ratio))),
    runs: runs.map((r) => ({ ratio: round(r.ratio), noCa: r.noCa === null ? null : round(r.noCa), loadavg: round(r.load1, 1) })),
    seconds: Math.round((performance.now() - started) / 1000),
    loadavg: round(loadavg()[0] ?? 0, 1),
  };
  process.stdout.write(`BENCH ${JSON.stringify(bench)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
