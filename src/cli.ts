#!/bin/sh
//bin/true; exec node --max-semi-space-size=4 "$0" "$@"
// The two lines above are a shell script that starts node with flags (a shebang line cannot
// carry them portably: `env -S` is missing from BusyBox and older coreutils). For sh the
// second line runs /bin/true, then node; for node it is a comment. Why the flag: V8 grows its
// young generation to 2 x 16 MB for a process that allocates steadily, which is a fifth of the
// dashboard's resident memory at 50k sockets; 2 x 4 MB costs no measurable CPU (see README).
// Entry point: parse flags, then print (netstat formats or JSON). OS effects enter here.
import { once } from 'node:events';
import { appendFileSync, readFileSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { HELP } from './cli/help.js';
import { parseOptions, UsageError, type Options } from './cli/options.js';
import { exitOnOutputError } from './cli/output-errors.js';
import { dnsPtrLookup, HostNames, loadHosts } from './names/host-names.js';
import { loadNetworks } from './names/networks.js';
import { loadProtocols, loadServices } from './names/services.js';
import { loadUsers } from './names/users.js';
import type { NameContext } from './print/connections.js';
import { jsonChunks } from './print/json-stream.js';
import { printChunks, printErrors, wantFor } from './print/render-print.js';
import type { Recorder } from './sampler/recording.js';
import type { RawSample, Sample } from './sampler/sample-engine.js';
import type { SourceFactory } from './dashboard/app.js';
import { asciiJson, eightBitSafe, localeIsUtf8 } from './text/eight-bit.js';
import { kernelFs, type KernelFs } from './sources/kernel-fs.js';
import { keepRowsBetweenDumps } from './sources/sock-diag.js';
import { readSnapshot, type Snapshot, type Want } from './snapshot.js';
import { printable } from './text/printable.js';

// What only some modes use is imported when one of them runs: the dashboard (blessed and the
// views, a third of the start-up time of a one-shot `netdash --print`), the sampler and the
// interval printers, recordings, JSON and interface metadata.
type DashboardModule = typeof import('./dashboard/app.js');
type RecordingModule = typeof import('./sampler/recording.js');
type IntervalModule = typeof import('./print/interval-print.js');

/** One line on stderr, "netdash: …", with anything read or typed (paths, names) escaped. */
function warn(msg: string): void {
  process.stderr.write(text(`netdash: ${printable(msg)}\n`));
}

/** In a locale that is not UTF-8, output is ASCII bytes only (text/eight-bit.ts). */
const eightBit = !localeIsUtf8(process.env);
const text = (s: string): string => (eightBit ? eightBitSafe(s) : s);
const json = (s: string): string => (eightBit ? asciiJson(s) : s);

/** Ends the host-name lookups once main is done. */
let closeNames: (() => void) | null = null;

/** Cache sizes for NETDASH_DEBUG_STATS, registered once the caches exist. */
const debugCaches: Record<string, () => number> = {};

function listenerTotal(e: NodeJS.EventEmitter): number {
  return e.eventNames().reduce((n, name) => n + e.listenerCount(name), 0);
}

/** One NDJSON line per second: memory, live timers and handles by type, listeners on the
 *  process and the terminal streams, cache sizes. Written synchronously; the timer is unref'd.
 *  Under `node --expose-gc` a full collection runs first, so `rss` and `heapUsed` show what is
 *  really kept rather than where the garbage collector's sawtooth happens to be. */
function startDebugStats(file: string): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  const write = (): void => {
    gc?.();
    const types: Record<string, number> = {};
    for (const r of process.getActiveResourcesInfo()) types[r] = (types[r] ?? 0) + 1;
    const caches: Record<string, number> = {};
    for (const [k, f] of Object.entries(debugCaches)) caches[k] = f();
    const m = process.memoryUsage();
    const line = {
      time: Date.now(), rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers,
      resources: types,
      listeners: { process: listenerTotal(process), stdin: listenerTotal(process.stdin), stdout: listenerTotal(process.stdout) },
      caches,
    };
    try {
      appendFileSync(file, JSON.stringify(line) + '\n');
    } catch {
      // a debugging aid must not take the program down
    }
  };
  setInterval(write, 1000).unref();
}

// Print mode waits this long at most for reverse DNS; unanswered addresses print as numbers.
const DNS_WAIT_MS = 500;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return `netdash ${pkg.version}`;
}

function wantForJson(o: Options): Want {
  if (o.section !== 'connections' || o.socketArgs) return wantFor(o);
  const base = wantFor(o);
  return { ...base, interfaces: true, counters: true, routes4: true, routes6: true, conntrack: true };
}

async function nameContext(kfs: KernelFs, o: Options): Promise<{ names: NameContext; hosts: HostNames }> {
  const [services, protocols, users, hostsFile, networks] = await Promise.all([
    loadServices(kfs), loadProtocols(kfs), loadUsers(kfs), loadHosts(kfs), loadNetworks(kfs),
  ]);
  const hosts = new HostNames({ hosts: hostsFile, lookup: o.numericHosts ? null : dnsPtrLookup(2000) });
  closeNames = () => hosts.close();
  debugCaches['hostNames'] = () => hosts.size;
  debugCaches['hostNamesPending'] = () => hosts.pending;
  return { names: { services, users, hostName: (a) => hosts.name(a), owners: null, networks, protocols }, hosts };
}

function addressesOf(snap: Snapshot): string[] {
  const out = new Set<string>();
  for (const r of Object.values(snap.inet)) {
    if (r?.ok) for (const s of r.value) { out.add(s.localAddr); out.add(s.remoteAddr); }
  }
  out.delete('0.0.0.0');
  out.delete('::');
  return [...out];
}

async function printOnce(kfs: KernelFs, o: Options, want: Want, ctx: { names: NameContext; hosts: HostNames }): Promise<void> {
  const snap = await readSnapshot(kfs, want);
  const names: NameContext = { ...ctx.names, owners: snap.owners?.owners ?? null };
  if (!o.numericHosts && (o.section === 'connections' || o.section === 'routes')) await ctx.hosts.settle(addressesOf(snap), DNS_WAIT_MS);
  if (o.mode === 'json') {
    const [{ snapshotJson }, { InterfaceMetaCache, kernelMetaLoader }] = await Promise.all([import('./print/json.js'), import('./sources/interface-meta.js')]);
    if (snap.interfaces?.ok) snap.interfaceMeta = await new InterfaceMetaCache(kernelMetaLoader(kfs)).get(snap.interfaces.value);
    // Streamed (print/json-stream.ts): the same bytes as one toJson, in chunks of 64 KB.
    for (const chunk of jsonChunks(snapshotJson(o, snap, names, hostname()))) {
      if (!process.stdout.write(json(chunk))) await once(process.stdout, 'drain');
    }
    process.stdout.write('\n');
    return;
  }
  for (const e of printErrors(o, snap)) warn(e);
  // Written as it is made: a table of 50k sockets is 4 MB of text, and built whole (or queued
  // whole on a pipe, where stdout is asynchronous) its lines would all be copied by the
  // garbage collector on the way, half of the run time. A pipe that is full is waited for.
  for (const chunk of printChunks(o, snap, names)) {
    if (!process.stdout.write(text(chunk))) await once(process.stdout, 'drain');
  }
}

async function main(argv: string[]): Promise<number> {
  let o: Options;
  try {
    o = parseOptions(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      warn(err.message);
      return 2;
    }
    throw err;
  }
  if (o.help) { process.stdout.write(HELP); return 0; }
  if (o.version) { process.stdout.write(version() + '\n'); return 0; }
  const rootProblem = checkRoot(o.root);
  if (rootProblem) { warn(rootProblem); return 2; }

  const kfs = kernelFs(o.root);
  const want = o.mode === 'json' ? wantForJson(o) : wantFor(o);
  const onScreen = o.mode === 'auto' && process.stdout.isTTY === true && process.stdin.isTTY === true;
  // The dashboard's modules load while the name tables are read.
  const ui = onScreen ? import('./dashboard/app.js') : null;
  // A failed load is reported where it is awaited, not as an unhandled rejection meanwhile.
  ui?.catch(() => {});
  const ctx = await nameContext(kfs, o);
  if (ui !== null) {
    const code = await dashboard(kfs, o, ctx, await ui);
    // The terminal is restored. Reverse lookups still in flight (each may wait for its
    // resolver timeout) must not keep the user from getting the shell back.
    process.exit(code);
  }
  if (o.replay !== null) return replay(o, ctx);
  if (o.interval === null) {
    // One read: no later dump to keep socket rows for.
    keepRowsBetweenDumps(false);
    await printOnce(kfs, o, want, ctx);
    return 0;
  }
  return sampleLive(kfs, o, want, ctx);
}

function emitSample(s: Sample, o: Options, ctx: { names: NameContext }, iv: IntervalModule): void {
  const names: NameContext = { ...ctx.names, owners: s.snapshot.owners?.owners ?? null };
  if (o.mode === 'json') {
    for (const chunk of jsonChunks(iv.sampleJson(s, o, names, hostname()))) process.stdout.write(json(chunk));
    process.stdout.write('\n');
    return;
  }
  const { out, errors } = iv.formatIntervalText(s, o, names);
  for (const e of errors) warn(e);
  process.stdout.write(text(out) + (o.section === 'connections' ? '' : '\n'));
}

/** Interval mode: one sampler, its samples printed (and recorded) as they come. */
async function sampleLive(kfs: KernelFs, o: Options, want: Want, ctx: { names: NameContext; hosts: HostNames }): Promise<number> {
  const [{ Sampler, systemClock }, rec, iv, { InterfaceMetaCache, kernelMetaLoader }] = await Promise.all([
    import('./sampler/sampler.js'), import('./sampler/recording.js'), import('./print/interval-print.js'), import('./sources/interface-meta.js'),
  ]);
  const intervalMs = (o.interval ?? 2) * 1000;
  const recorder = openRecorder(o, intervalMs, rec);
  if (recorder === false) return 2;
  // A recording keeps every section, so a replay can show any view of it.
  const sampleWant: Want = recorder ? { ...wantForJson({ ...o, section: 'connections', socketArgs: false }), owners: want.owners } : want;
  // Metadata is part of the sample (and so of a recording) when the output shows it.
  const meta = o.mode === 'json' || recorder ? { meta: new InterfaceMetaCache(kernelMetaLoader(kfs)) } : {};
  const sampler = new Sampler(kfs, systemClock, { intervalMs, want: sampleWant, ...meta }, (sample, raw) => {
    recorder?.write(raw);
    emitSample(sample, o, ctx, iv);
  });
  const stop = (): void => sampler.stop();
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(sig, stop);
  try {
    await sampler.run(o.count);
  } finally {
    recorder?.close();
  }
  return 0;
}

/** The --root tree must be a directory; everything below it may be missing. */
function checkRoot(root: string): string | null {
  try {
    return statSync(root).isDirectory() ? null : `--root ${root}: not a directory`;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return `--root ${root}: ${code === 'ENOENT' ? 'no such directory' : code === 'EACCES' ? 'permission denied' : code ?? String(err)}`;
  }
}

/** The recorder for --record, null without it, false (after one line on stderr) when the file
 *  cannot be opened for appending. */
function openRecorder(o: Options, intervalMs: number, rec: RecordingModule): Recorder | null | false {
  if (o.record === null) return null;
  try {
    return new rec.Recorder(o.record, { schema: rec.RECORD_SCHEMA, started: new Date().toISOString(), host: hostname(), intervalMs });
  } catch (err) {
    warn(err instanceof Error ? err.message : String(err));
    return false;
  }
}

function loadRecording(path: string, rec: RecordingModule): ReturnType<RecordingModule['openRecording']> | null {
  try {
    // Two passes in bounded memory: every line is checked first (a problem is reported before
    // anything is shown), then the samples are read again as they are played.
    for (const _ of rec.openRecording(path, warn).samples) { /* checked */ }
    return rec.openRecording(path);
  } catch (err) {
    if (err instanceof rec.ReplayError) {
      warn(err.message);
      return null;
    }
    throw err;
  }
}

/** Replay: the recorded raw samples through the same engine and printers, at --speed. */
async function replay(o: Options, ctx: { names: NameContext }): Promise<number> {
  const [recording, iv, { systemClock }, { replaySource }] = await Promise.all([
    import('./sampler/recording.js'), import('./print/interval-print.js'), import('./sampler/sampler.js'), import('./dashboard/app.js'),
  ]);
  const rec = loadRecording(o.replay ?? '', recording);
  if (!rec) return 2;
  let n = 0;
  const source = replaySource(rec.samples, systemClock, o.speed, rec.header.intervalMs)((sample) => {
    emitSample(sample, o, ctx, iv);
    if (o.count !== null && ++n >= o.count) source.stop();
  });
  await source.run();
  return 0;
}

/** The live dashboard (or a recording shown in it) on this terminal. */
async function dashboard(kfs: KernelFs, o: Options, ctx: { names: NameContext; hosts: HostNames }, ui: DashboardModule): Promise<number> {
  const { replaySource, runDashboard } = ui;
  const [recording, { systemClock }] = await Promise.all([import('./sampler/recording.js'), import('./sampler/sampler.js')]);
  let source: SourceFactory | undefined;
  if (o.replay !== null) {
    const rec = loadRecording(o.replay, recording);
    if (!rec) return 2;
    source = replaySource(rec.samples, systemClock, o.speed, rec.header.intervalMs);
  }
  const recorder = openRecorder(o, (o.interval ?? 2) * 1000, recording);
  if (recorder === false) return 2;
  try {
    return await runDashboard(o, {
      input: process.stdin, output: process.stdout, kfs, clock: systemClock, names: ctx.names, hostNames: ctx.hosts,
      ascii: o.ascii || !localeIsUtf8(process.env),
      ...(source ? { source } : {}),
      ...(recorder ? { onRaw: (r: RawSample) => recorder.write(r) } : {}),
    });
  } finally {
    recorder?.close();
  }
}

// A closed pipe exits 0 silently; any other write error (ENOSPC, EIO, …) one line and exit 1
// (cli/output-errors.ts). Recordings are written synchronously: every tick so far is on disk.
exitOnOutputError(process.stdout, warn);
// stderr too: a message after the reader of both went away must not turn into a crash.
process.stderr.on('error', () => { /* nothing left to report to */ });

// NETDASH_DEBUG_STATS=FILE appends process statistics (RSS, timers, handles, listeners, cache
// sizes) to FILE every second: the soak test reads them. Off unless set.
const debugStats = process.env['NETDASH_DEBUG_STATS'];
if (debugStats) startDebugStats(debugStats);

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // Lookups still waiting for a slow resolver must not hold the exit up.
    closeNames?.();
  },
  (err: unknown) => {
    warn(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  },
);
