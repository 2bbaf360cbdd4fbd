#!/usr/bin/env node
// Entry point: parse flags, then print (netstat formats or JSON). OS effects enter here.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { HELP } from './cli/help.js';
import { parseOptions, UsageError, type Options } from './cli/options.js';
import { dnsPtrLookup, HostNames, loadHosts } from './names/host-names.js';
import { loadNetworks } from './names/networks.js';
import { loadProtocols, loadServices } from './names/services.js';
import { loadUsers } from './names/users.js';
import type { NameContext } from './print/connections.js';
import { snapshotJson } from './print/json.js';
import { formatIntervalText, sampleJson } from './print/interval-print.js';
import { renderPrint, wantFor } from './print/render-print.js';
import { readRecording, Recorder, RECORD_SCHEMA, ReplayError } from './sampler/recording.js';
import type { RawSample, Sample } from './sampler/sample-engine.js';
import { replaySource, runDashboard, type SourceFactory } from './dashboard/app.js';
import { localeIsUtf8 } from './dashboard/glyphs.js';
import { Sampler, systemClock } from './sampler/sampler.js';
import { InterfaceMetaCache } from './sources/interface-meta.js';
import { kernelFs, type KernelFs } from './sources/kernel-fs.js';
import { readSnapshot, type Snapshot, type Want } from './snapshot.js';

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
    if (snap.interfaces?.ok) snap.interfaceMeta = await new InterfaceMetaCache().get(snap.interfaces.value);
    process.stdout.write(JSON.stringify(snapshotJson(o, snap, names, hostname())) + '\n');
    return;
  }
  const { out, errors } = renderPrint(o, snap, names);
  for (const e of errors) process.stderr.write(`netdash: ${e}\n`);
  process.stdout.write(out);
}

async function main(argv: string[]): Promise<number> {
  let o: Options;
  try {
    o = parseOptions(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`netdash: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  if (o.help) { process.stdout.write(HELP); return 0; }
  if (o.version) { process.stdout.write(version() + '\n'); return 0; }

  const kfs = kernelFs(o.root);
  const want = o.mode === 'json' ? wantForJson(o) : wantFor(o);
  const ctx = await nameContext(kfs, o);
  if (o.mode === 'auto' && process.stdout.isTTY === true && process.stdin.isTTY === true) {
    const code = await dashboard(kfs, o, ctx);
    // The terminal is restored. Reverse lookups still in flight (each may wait for its
    // resolver timeout) must not keep the user from getting the shell back.
    process.exit(code);
  }
  if (o.replay !== null) return replay(o, ctx);
  if (o.interval === null) {
    await printOnce(kfs, o, want, ctx);
    return 0;
  }
  return sampleLive(kfs, o, want, ctx);
}

function emitSample(s: Sample, o: Options, ctx: { names: NameContext }): void {
  const names: NameContext = { ...ctx.names, owners: s.snapshot.owners?.owners ?? null };
  if (o.mode === 'json') {
    process.stdout.write(JSON.stringify(sampleJson(s, o, names, hostname())) + '\n');
    return;
  }
  const { out, errors } = formatIntervalText(s, o, names);
  for (const e of errors) process.stderr.write(`netdash: ${e}\n`);
  process.stdout.write(out + (o.section === 'connections' ? '' : '\n'));
}

/** Interval mode: one sampler, its samples printed (and recorded) as they come. */
async function sampleLive(kfs: KernelFs, o: Options, want: Want, ctx: { names: NameContext; hosts: HostNames }): Promise<number> {
  const intervalMs = (o.interval ?? 2) * 1000;
  const recorder = o.record === null ? null
    : new Recorder(o.record, { schema: RECORD_SCHEMA, started: new Date().toISOString(), host: hostname(), intervalMs });
  // A recording keeps every section, so a replay can show any view of it.
  const sampleWant: Want = recorder ? { ...wantForJson({ ...o, section: 'connections', socketArgs: false }), owners: want.owners } : want;
  // Metadata is part of the sample (and so of a recording) when the output shows it.
  const meta = o.mode === 'json' || recorder ? { meta: new InterfaceMetaCache() } : {};
  const sampler = new Sampler(kfs, systemClock, { intervalMs, want: sampleWant, ...meta }, (sample, raw) => {
    recorder?.write(raw);
    emitSample(sample, o, ctx);
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

function loadRecording(path: string): ReturnType<typeof readRecording> | null {
  try {
    return readRecording(path);
  } catch (err) {
    if (err instanceof ReplayError) {
      process.stderr.write(`netdash: ${err.message}\n`);
      return null;
    }
    throw err;
  }
}

/** Replay: the recorded raw samples through the same engine and printers, at --speed. */
async function replay(o: Options, ctx: { names: NameContext }): Promise<number> {
  const rec = loadRecording(o.replay ?? '');
  if (!rec) return 2;
  let n = 0;
  const source = replaySource(rec.samples, systemClock, o.speed, rec.header.intervalMs)((sample) => {
    emitSample(sample, o, ctx);
    if (o.count !== null && ++n >= o.count) source.stop();
  });
  await source.run();
  return 0;
}

/** The live dashboard (or a recording shown in it) on this terminal. */
async function dashboard(kfs: KernelFs, o: Options, ctx: { names: NameContext; hosts: HostNames }): Promise<number> {
  let source: SourceFactory | undefined;
  if (o.replay !== null) {
    const rec = loadRecording(o.replay);
    if (!rec) return 2;
    source = replaySource(rec.samples, systemClock, o.speed, rec.header.intervalMs);
  }
  const recorder = o.record === null ? null
    : new Recorder(o.record, { schema: RECORD_SCHEMA, started: new Date().toISOString(), host: hostname(), intervalMs: (o.interval ?? 2) * 1000 });
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

// A closed pipe (netdash --print | head) is a normal way for a reader to stop listening.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    process.stderr.write(`netdash: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
