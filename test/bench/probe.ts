// The benchmark's measuring side. Runs inside the load's network namespace (ip netns exec),
// so netdash and the tools it is compared with see the same sockets. Prints one JSON line.
//
//   node probe.js timings --reps N [--si]     read paths and tools, each repeated N times
//   node probe.js render  --reps N            the dashboard on fake TTY streams, fed real samples
//   node probe.js record  --ticks N           bytes per tick of a recording of this table, steady and churning
//   node probe.js tcpinfo --reps N            a sampler tick with tcp_info (issue 13) against ss -tin,
//                                             in a process of its own (its peak RSS is the figure)
//   node probe.js print --reps N              only `ss -tan` and `netdash --print -tan` (and the latter
//                                             without NODE_EXTRA_CA_CERTS), paired, as in timings
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { parseOptions } from '../../src/cli/options.js';
import { createDashboard, dashboardWant } from '../../src/dashboard/app.js';
import { type SampleHandler, type SampleSource } from '../../src/sampler/sample-source.js';
import { loadServices } from '../../src/names/services.js';
import { loadUsers } from '../../src/names/users.js';
import type { NameContext } from '../../src/names/netstat-notation.js';
import { SampleEngine, type RawSample } from '../../src/sampler/sample-engine.js';
import { KEY_EVERY_MAX, Recorder, RECORD_SCHEMA } from '../../src/sampler/recording.js';
import { Sampler, systemClock } from '../../src/sampler/sampler.js';
import type { InetSocket } from '../../src/model.js';
import { parseInetSocketsSplit, readInetTable } from '../../src/sources/inet-sockets.js';
import { kernelFs } from '../../src/sources/kernel-fs.js';
import { scanProcessOwners } from '../../src/sources/process-owners.js';
import { ALL_STATES, sharedSockDiag, type MessageSink } from '../../src/sources/sock-diag.js';
import type { Clock } from '../../src/sampler/sampler.js';
import { readSnapshot, type Snapshot, type Want } from '../../src/sources/snapshot.js';
import { fakeTty } from '../helpers/fake-tty.js';
import { asCommand } from './bin-launch.js';

export interface Figure {
  wallMs: number;
  cpuMs: number | null;
}
export type Timings = Record<string, Figure[]>;

const kfs = kernelFs('/');
const TCP_ONLY: Want = {
  inet: ['tcp', 'tcp6'],
  unix: false,
  owners: false,
  interfaces: false,
  counters: false,
  routes4: false,
  routes6: false,
  conntrack: false,
};

/** Wall and CPU time of something done in this process. */
async function inProcess(fn: () => Promise<unknown>): Promise<Figure> {
  const c = process.cpuUsage();
  const t = performance.now();
  await fn();
  const wallMs = performance.now() - t;
  const d = process.cpuUsage(c);
  return { wallMs, cpuMs: (d.user + d.system) / 1000 };
}

/** Wall time of a command (its output read and dropped, as a caller would read it), and its
 *  CPU time from the kernel's accounting of the finished child. */
function command(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env, allowEmpty = false): Promise<Figure> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'ignore'], env });
    let bytes = 0;
    child.stdout.on('data', (d: Buffer) => {
      bytes += d.length;
    });
    child.once('error', reject);
    child.once('close', (code) => {
      const wallMs = performance.now() - t;
      if (code !== 0 || (bytes === 0 && !allowEmpty)) {
        reject(new Error(`${cmd} ${args.join(' ')}: exit ${code}, ${bytes} bytes`));
        return;
      }
      resolve({ wallMs, cpuMs: null });
    });
  });
}

/** The same through /usr/bin/time for the child's user+system CPU. */
function commandCpu(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Figure> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const child = spawn('/usr/bin/time', ['-f', '%U %S', cmd, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env });
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.once('error', reject);
    child.once('close', () => {
      const wallMs = performance.now() - t;
      const m = /([\d.]+) ([\d.]+)\s*$/.exec(err);
      resolve({ wallMs, cpuMs: m ? (Number(m[1]) + Number(m[2])) * 1000 : null });
    });
  });
}

/** The experiment "count by state without rows": walk the dump, keep only a state histogram.
 *  Measured against the full snapshot; it saves little, because the kernel's dump is the cost. */
class StateCounter implements MessageSink {
  readonly states = new Uint32Array(16);
  message(buf: Buffer, off: number, len: number): void {
    if (len >= 16 + 72) this.states[buf[off + 17]! & 15]!++;
  }
}

async function countOnly(): Promise<void> {
  const diag = sharedSockDiag();
  if (!diag) return;
  // One dump for both families, as the snapshot reads them.
  await diag.dumpTcpBothFamilies(ALL_STATES, new StateCounter());
}

/** CPU share of a dashboard's sampler at a 1 s interval, over `seconds` of simulated time:
 *  ticks back to back, the clock moved 1 s per tick (owners every 5 s, as in the dashboard). */
async function samplerShare(seconds: number, tableEveryMs: number | 'auto' | undefined): Promise<number> {
  let mono = performance.now(),
    now = Date.now();
  const clock: Clock = { now: () => now, mono: () => mono, sleep: () => Promise.resolve() };
  const want = dashboardWant(parseOptions([]));
  const s = new Sampler(kfs, clock, { intervalMs: 1000, want, ...(tableEveryMs === undefined ? {} : { tableEveryMs }) }, () => {});
  await s.tick();
  mono += 1000;
  now += 1000;
  await s.tick();
  const c = process.cpuUsage();
  for (let i = 0; i < seconds; i++) {
    mono += 1000;
    now += 1000;
    await s.tick();
  }
  const d = process.cpuUsage(c);
  return ((d.user + d.system) / 1000 / (seconds * 1000)) * 100;
}

async function timings(
  reps: number,
  withSi: boolean,
  simSeconds: number,
): Promise<{ timings: Timings; sockets: number; rssMB: number; samplerPct: { every: number; auto: number } }> {
  const T: Timings = {};
  const add = (k: string, f: Figure): void => {
    (T[k] ??= []).push(f);
  };
  const dash = dashboardWant(parseOptions([]));
  const tickWant: Want = { ...dash, owners: false };
  const sampler = new Sampler(kfs, systemClock, { intervalMs: 1000, want: tickWant }, () => {});
  const ownSampler = new Sampler(kfs, systemClock, { intervalMs: 1000, want: dash, ownersRefreshMs: 0 }, () => {});
  await sampler.tick();
  await ownSampler.tick();
  const first = await readSnapshot(kfs, TCP_ONLY);
  const sockets = (first.inet.tcp?.ok ? first.inet.tcp.value.length : 0) + (first.inet.tcp6?.ok ? first.inet.tcp6.value.length : 0);
  const hasTime = await new Promise<boolean>((r) => execFile('/usr/bin/time', ['true'], (e) => r(!e)));
  const tool = hasTime ? commandCpu : command;
  const bare = hasTime
    ? commandCpu
    : (cmd: string, args: string[], env?: NodeJS.ProcessEnv): Promise<Figure> => command(cmd, args, env, true);
  let si: { networkConnections(): Promise<unknown[]> } | null = null;
  if (withSi) si = (await import('systeminformation')).default;
  const procEnv = { ...process.env, NETDASH_INET_SOURCE: 'proc' };
  // NODE_EXTRA_CA_CERTS makes every Node process parse that CA bundle as it starts (about 50 ms
  // on the development VM, whose environment sets it); netdash opens no TLS connection. The
  // print figures are taken as started here, and once more without it, to show what is whose.
  const { NODE_EXTRA_CA_CERTS: extraCa, ...noCaEnv } = process.env;

  for (let r = 0; r < reps; r++) {
    add('snapshot', await inProcess(() => readSnapshot(kfs, TCP_ONLY)));
    add('snapshotProc', await inProcess(() => readSnapshot(kfs, { ...TCP_ONLY, inetSource: 'proc' })));
    add(
      'procSplit',
      await inProcess(async () => {
        // The naive way: read the files, split into lines and fields (the pre-#5 parser).
        for (const p of ['tcp', 'tcp6'] as const) parseInetSocketsSplit(await kfs.readText(`proc/net/${p}`), p);
      }),
    );
    add(
      'procRead',
      await inProcess(async () => {
        for (const p of ['tcp', 'tcp6']) await kfs.readText(`proc/net/${p}`);
      }),
    );
    add('countOnly', await inProcess(countOnly));
    add(
      'listenOnly',
      await inProcess(async () => {
        await readInetTable(kfs, 'tcp', { listeningOnly: true });
        await readInetTable(kfs, 'tcp6', { listeningOnly: true });
      }),
    );
    add('tick', await inProcess(() => sampler.tick()));
    add('tickOwners', await inProcess(() => ownSampler.tick()));
    add('ownersCold', await inProcess(() => scanProcessOwners(kfs)));
    add('ss -tan', await tool('ss', ['-tan']));
    add('ss -tanp', await tool('ss', ['-tanp']));
    add('netstat -tan', await tool('netstat', ['-tan']));
    add('netstat -tanp', await tool('netstat', ['-tanp']));
    add('netdash --print -tan', await tool(...asCommand(['--print', '-tan'])));
    add('netdash --print -tanp', await tool(...asCommand(['--print', '-tanp'])));
    add('netdash --print -tan (/proc)', await tool(...asCommand(['--print', '-tan'], procEnv)));
    if (extraCa !== undefined) add('netdash --print -tan (no CA env)', await tool(...asCommand(['--print', '-tan'], noCaEnv)));
    if (si) {
      const s = si;
      add('systeminformation', await inProcess(() => s.networkConnections()));
    }
    // One-shot start-up, back to back so that the ratios come from the same moments: node doing
    // nothing, and netdash answering --version; netdash -s against nstat (-s: no history file).
    add('node -e 0', await bare(process.execPath, ['-e', '0']));
    add('netdash --version', await tool(...asCommand(['--version'])));
    add('nstat -a', await tool('nstat', ['-as']));
    add('netdash --print -s', await tool(...asCommand(['--print', '-s'])));
    if (extraCa !== undefined) {
      add('node -e 0 (no CA env)', await bare(process.execPath, ['-e', '0'], noCaEnv));
      add('netdash --version (no CA env)', await tool(...asCommand(['--version'], noCaEnv)));
      add('netdash --print -s (no CA env)', await tool(...asCommand(['--print', '-s'], noCaEnv)));
    }
  }
  const shares = { every: await samplerShare(simSeconds, undefined), auto: await samplerShare(simSeconds, 'auto') };
  return { timings: T, sockets, rssMB: process.memoryUsage().rss / 1048576, samplerPct: shares };
}

// ---- the dashboard on fake terminals -------------------------------------------------------------

const tty = fakeTty;

class FedSource implements SampleSource {
  onSample: SampleHandler = () => {};
  interval = 1000;
  private end: () => void = () => {};
  run(): Promise<void> {
    return new Promise((res) => {
      this.end = res;
    });
  }
  stop(): void {
    this.end();
  }
  mark(): void {}
  setInterval(ms: number): void {
    this.interval = ms;
  }
}

const settle = async (): Promise<void> => {
  for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
};

/** The snapshot with every `every`-th TCP connection moved to another state. */
function withChanges(snap: Snapshot, every: number, serial: number): Snapshot {
  const inet: Snapshot['inet'] = {};
  for (const [p, r] of Object.entries(snap.inet) as [keyof Snapshot['inet'], Snapshot['inet'][keyof Snapshot['inet']]][]) {
    if (!r) continue;
    if (!r.ok) {
      inet[p] = r;
      continue;
    }
    let i = 0;
    const value = r.value.map((s): InetSocket => {
      if (s.remotePort === 0 || (i++ + serial) % every !== 0) return s;
      return { ...s, state: s.state === 1 ? 8 : 1 };
    });
    inet[p] = { ...r, value };
  }
  return { ...snap, inet };
}

interface RenderFigures {
  sockets: number;
  /** Engine ingest (keys, diff, deltas) of a steady tick. */
  engineMs: number[];
  /** Store ingest of a steady tick (rows for every connection). */
  storeMs: number[];
  /** Paint + render of one frame after a new sample (list build, sort, format, blessed diff). */
  renderMs: number[];
  /** Repaint with nothing new (cursor move: the list is cached). */
  repaintMs: number[];
  /** Bytes a tick with nothing new writes once the charts have filled their width (steady
   *  state: a quiet series' column does not change, only the clock does). */
  noChangeBytes: number[];
  /** The same in the first ticks, while each chart's line still grows by a point a tick. */
  noChangeBytesFilling: number[];
  changedBytes: number[];
  /** A key (j: cursor down; s: next sort column) until its frame is written. */
  keyMs: number[];
  sortKeyMs: number[];
  /** A frame after a new sample with the Graphs pane focused and zoomed (v, z): every chart
   *  drawn large (blessed-contrib line charts) on top of the big layout's. */
  graphsRenderMs: number[];
  rssMB: number;
}

/** Ticks after which every chart of a 200-column screen has filled its width (2 samples per
 *  column of characters: braille cells are 2 dots wide). */
const CHART_FILL_TICKS = 512;

async function render(reps: number, cols: number, rows: number): Promise<RenderFigures> {
  const want = dashboardWant(parseOptions([]));
  const sampler = new Sampler(kfs, systemClock, { intervalMs: 1000, want }, () => {});
  const { raw } = await sampler.tick();
  const [services, users] = await Promise.all([loadServices(kfs), loadUsers(kfs)]);
  const names: NameContext = { services, users, hostName: () => undefined, owners: null };
  const input = tty(cols, rows),
    output = tty(cols, rows);
  let bytes = 0;
  output.on('data', (d: Buffer) => {
    bytes += d.length;
  });
  const src = new FedSource();
  const d = createDashboard(parseOptions(['-n']), {
    input,
    output,
    names,
    source: (on) => {
      src.onSample = on;
      return src;
    },
    host: { name: 'bench', kernel: 'bench' },
    signals: false,
    terminal: 'xterm',
  });
  const engine = new SampleEngine();
  let mono = raw.mono,
    time = raw.snapshot.time;
  const F: RenderFigures = {
    sockets: 0,
    engineMs: [],
    storeMs: [],
    renderMs: [],
    repaintMs: [],
    noChangeBytes: [],
    noChangeBytesFilling: [],
    changedBytes: [],
    keyMs: [],
    sortKeyMs: [],
    graphsRenderMs: [],
    rssMB: 0,
  };
  for (const r of Object.values(raw.snapshot.inet)) if (r?.ok) F.sockets += r.value.length;

  /** One tick: engine, store, then the frame; returns the bytes the tick wrote. */
  const feed = async (snap: Snapshot, record: boolean, renders = F.renderMs): Promise<number> => {
    mono += 1000;
    time += 1000;
    const next: RawSample = { ...raw, mono, snapshot: { ...snap, time } };
    await settle();
    const before = bytes;
    let t = performance.now();
    const sample = engine.ingest(next);
    const engineMs = performance.now() - t;
    t = performance.now();
    src.onSample(sample, next);
    const storeMs = performance.now() - t;
    t = performance.now();
    d.scheduler.flush();
    const renderMs = performance.now() - t;
    await settle();
    if (record) {
      F.engineMs.push(engineMs);
      F.storeMs.push(storeMs);
      renders.push(renderMs);
    }
    return bytes - before;
  };
  const key = async (k: string): Promise<number> => {
    await settle();
    // Until the key's redraw ran (a redraw that changes nothing on screen is skipped).
    const redraws = (): number => d.scheduler.renders + d.scheduler.skipped;
    const before = redraws();
    const t = performance.now();
    input.write(k);
    while (redraws() === before) await new Promise((r) => setImmediate(r));
    return performance.now() - t;
  };

  // Warm up: the first frames build caches and name tables.
  for (let i = 0; i < 3; i++) await feed(raw.snapshot, false);
  for (let i = 0; i < reps; i++) F.noChangeBytesFilling.push(await feed(raw.snapshot, false));
  // Until the charts of the big layout have a sample per braille column (their x axis is then
  // bucketed by a fixed number of samples), every tick draws one more point of each line.
  for (let i = 0; i < CHART_FILL_TICKS; i++) await feed(raw.snapshot, false);
  for (let i = 0; i < reps; i++) F.noChangeBytes.push(await feed(raw.snapshot, true));
  for (let i = 0; i < reps; i++) {
    // 10% of the rows change state, then go back (two ticks, both counted).
    F.changedBytes.push(await feed(withChanges(raw.snapshot, 10, i), true));
    await feed(raw.snapshot, false);
  }
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    d.scheduler.flush();
    F.repaintMs.push(performance.now() - t);
  }
  for (let i = 0; i < reps; i++) F.keyMs.push(await key('j'));
  for (let i = 0; i < reps; i++) F.sortKeyMs.push(await key('s'));
  // The Graphs pane, focused and zoomed: a few ticks so the charts have lines, then the figure.
  await key('v');
  await key('z');
  for (let i = 0; i < 3; i++) await feed(raw.snapshot, false);
  const storeN = F.engineMs.length;
  for (let i = 0; i < reps; i++) await feed(raw.snapshot, true, F.graphsRenderMs);
  // Those ticks' engine and store times are the same work as the others': not counted twice.
  F.engineMs.length = storeN;
  F.storeMs.length = storeN;
  F.rssMB = process.memoryUsage().rss / 1048576;
  d.quit();
  await d.done;
  return F;
}

export interface RecordFigures {
  sockets: number;
  ticks: number;
  /** Average bytes per tick over `ticks` ticks (key frames included), by churn. */
  steadyBytesPerTick: number;
  churnBytesPerTick: number;
  /** Connections replaced per tick in the churning run (1% of the TCP connections, at least 1). */
  churnPerTick: number;
  keyFrameBytes: number;
  keyFrames: { steady: number; churn: number };
}

/** A recording of this namespace's real table (read once, with owners, as the dashboard
 *  records), written by the real Recorder for `ticks` ticks: unchanged, then with `churn`
 *  connections closed and new ones opened in their place every tick. */
async function recordFigures(ticks: number): Promise<RecordFigures> {
  const want = dashboardWant(parseOptions([]));
  const sampler = new Sampler(kfs, systemClock, { intervalMs: 1000, want }, () => {});
  const { raw } = await sampler.tick();
  const dir = mkdtempSync(path.join(tmpdir(), 'netdash-bench-rec-'));
  let sockets = 0;
  for (const r of Object.values(raw.snapshot.inet)) if (r?.ok) sockets += r.value.length;
  const tcp = raw.snapshot.inet.tcp?.ok ? raw.snapshot.inet.tcp.value.filter((s) => s.remotePort !== 0).length : 0;
  const churn = Math.max(1, Math.round(tcp / 100));
  let nextInode = 4_000_000_000;
  const run = (name: string, perTick: number): { bytes: number; keyFrames: number; keyBytes: number } => {
    const file = path.join(dir, name);
    const rec = new Recorder(file, { schema: RECORD_SCHEMA, started: new Date().toISOString(), host: 'bench', intervalMs: 1000 });
    const tables = new Map<string, InetSocket[]>();
    for (const [p, r] of Object.entries(raw.snapshot.inet)) if (r?.ok) tables.set(p, [...r.value]);
    let pos = 0,
      keyBytes = 0;
    for (let t = 0; t < ticks; t++) {
      const inet: Snapshot['inet'] = { ...raw.snapshot.inet };
      const rows = tables.get('tcp');
      if (rows && rows.length > 0 && perTick > 0) {
        for (let k = 0; k < perTick; k++) {
          // The next established connection closes; a new one (new port, new inode) opens.
          for (let tries = 0; tries < rows.length && rows[pos % rows.length]!.remotePort === 0; tries++) pos++;
          const i = pos++ % rows.length;
          const s = rows[i]!;
          rows[i] = { ...s, remotePort: (s.remotePort % 60000) + 1024, inode: nextInode++ };
        }
        inet.tcp = { ok: true, value: [...rows], skipped: 0 };
      }
      const before = rec.bytes;
      rec.write({ ...raw, mono: raw.mono + t * 1000, snapshot: { ...raw.snapshot, inet, time: raw.snapshot.time + t * 1000 } });
      if (t === 0) keyBytes = rec.bytes - before;
    }
    rec.close();
    const bytes = rec.bytes;
    void statSync(file);
    return { bytes, keyFrames: rec.keyFrames, keyBytes };
  };
  try {
    const steady = run('steady.ndjson', 0);
    const churning = run('churn.ndjson', churn);
    return {
      sockets,
      ticks,
      churnPerTick: churn,
      steadyBytesPerTick: Math.round(steady.bytes / ticks),
      churnBytesPerTick: Math.round(churning.bytes / ticks),
      keyFrameBytes: steady.keyBytes,
      keyFrames: { steady: steady.keyFrames, churn: churning.keyFrames },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The dashboard's tick with per-connection TCP internals (Want.tcpInfo: sock_diag's tcp_info,
 *  the flow deltas and the per-process / per-peer sums) against `ss -tin`, which prints the same
 *  internals; owners are left out of both (ss -tin does not look them up). */
async function tcpInfoTimings(reps: number): Promise<{ timings: Timings; sockets: number; rssMB: number; withInfo: number }> {
  const T: Timings = {};
  const add = (k: string, f: Figure): void => {
    (T[k] ??= []).push(f);
  };
  const want: Want = { ...dashboardWant(parseOptions([])), owners: false, tcpInfo: true };
  let last: Awaited<ReturnType<Sampler['tick']>> | null = null;
  // A clock that moves 1 s per tick: every tick reads the table (with the real clock, ticks less
  // than half an interval apart reuse it, and a small load would time nothing).
  let mono = performance.now(),
    now = Date.now();
  const clock: Clock = { now: () => now, mono: () => mono, sleep: () => Promise.resolve(), real: () => performance.now() };
  const sampler = new Sampler(kfs, clock, { intervalMs: 1000, want }, () => {});
  last = await sampler.tick();
  const hasTime = await new Promise<boolean>((r) => execFile('/usr/bin/time', ['true'], (e) => r(!e)));
  const tool = hasTime ? commandCpu : command;
  for (let r = 0; r < reps; r++) {
    mono += 1000;
    now += 1000;
    add(
      'tickInfo',
      await inProcess(async () => {
        last = await sampler.tick();
      }),
    );
    // The per-process and per-peer sums are made when first read (a pane or --json shows them).
    const l = last;
    add(
      'sums',
      await inProcess(async () => {
        await Promise.resolve(l.sample.aggregates);
      }),
    );
    add('ss -tin', await tool('ss', ['-tin']));
  }
  const flows = last.sample.flows?.byKey.size ?? 0;
  const sockets = [...last.sample.connections.values()].filter((s) => s.proto.startsWith('tcp')).length;
  const hwm = /VmHWM:\s+(\d+) kB/.exec(await kfs.readText('proc/self/status'))?.[1];
  return { timings: T, sockets, withInfo: flows, rssMB: hwm === undefined ? process.memoryUsage().rss / 1048576 : Number(hwm) / 1024 };
}

/** `ss -tan` and `netdash --print -tan` alone, back to back in each repetition, as timings()
 *  takes them (the bench's --print-only). */
async function printTimings(reps: number): Promise<{ timings: Timings }> {
  const T: Timings = {};
  const add = (k: string, f: Figure): void => {
    (T[k] ??= []).push(f);
  };
  const hasTime = await new Promise<boolean>((r) => execFile('/usr/bin/time', ['true'], (e) => r(!e)));
  const tool = hasTime ? commandCpu : command;
  const { NODE_EXTRA_CA_CERTS: extraCa, ...noCaEnv } = process.env;
  for (let r = 0; r < reps; r++) {
    add('ss -tan', await tool('ss', ['-tan']));
    add('netdash --print -tan', await tool(...asCommand(['--print', '-tan'])));
    if (extraCa !== undefined) add('netdash --print -tan (no CA env)', await tool(...asCommand(['--print', '-tan'], noCaEnv)));
  }
  return { timings: T };
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      reps: { type: 'string', default: '5' },
      si: { type: 'boolean', default: false },
      'sim-seconds': { type: 'string', default: '20' },
      cols: { type: 'string', default: '200' },
      rows: { type: 'string', default: '50' },
      ticks: { type: 'string', default: String(2 * KEY_EVERY_MAX) },
    },
  });
  const reps = Math.max(1, Number(values.reps));
  const what = positionals[0] ?? 'timings';
  const out =
    what === 'render'
      ? await render(reps, Number(values.cols), Number(values.rows))
      : what === 'record'
        ? await recordFigures(Math.max(1, Number(values.ticks)))
        : what === 'tcpinfo'
          ? await tcpInfoTimings(reps)
          : what === 'print'
            ? await printTimings(reps)
            : await timings(reps, values.si === true, Number(values['sim-seconds']));
  process.stdout.write(JSON.stringify(out) + '\n');
  // The sock_diag socket and blessed's handles are unreferenced or closed; exit at once anyway.
  process.exit(0);
}

void main().catch((err: unknown) => {
  process.stderr.write(`probe: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
