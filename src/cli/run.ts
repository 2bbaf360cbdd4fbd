// The program: flags parsed, then one of print, interval sampling, replay or the dashboard.
// Every OS effect arrives in `io` (see main in ../cli.ts), so tests can run it in-process.
import { once } from 'node:events';
import { statSync } from 'node:fs';
import { HELP } from './help.js';
import { directCandidate, parseOptions, UsageError, type Options } from './options.js';
import { versionLine } from './version.js';
import type { PtrLookup } from '../names/dns-lookup.js';
import type { HostNames } from '../names/host-names.js';
import type { NameContext } from '../names/netstat-notation.js';
import type { Recorder } from '../sampler/recording.js';
import type { RawSample, Sample } from '../sampler/sample-engine.js';
import type { SourceFactory } from '../sampler/sample-source.js';
import type { Clock } from '../sampler/sampler.js';
import type { SignalBus } from '../dashboard/app.js';
import type { Exporter } from '../serve/exporter.js';
import type { KernelFs } from '../sources/kernel-fs.js';
import type { Snapshot, Want } from '../sources/snapshot.js';
import { printable } from '../text/printable.js';
import { asciiJson, eightBitSafe, localeIsUtf8 } from '../text/eight-bit.js';
import { jsonChunks } from '../print/json-stream.js';

/** How often the dashboard reads interface addresses again (link events). */
const META_REFRESH_MS = 5000;

/**
 * Every effect the program has on the world, in one object: main builds it from the process,
 * tests build it from fixtures and fake streams and call run() in-process.
 */
export interface Io {
  /** The kernel below a root ('/' is this machine's, with its fast paths; see KernelFs.live). */
  kernel(root: string): KernelFs;
  clock: Clock;
  env: Readonly<Record<string, string | undefined>>;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
  signals: SignalBus;
  /** Reverse DNS, each answer waited for at most timeoutMs. */
  dns(timeoutMs: number): PtrLookup;
  hostname(): string;
  /** The kernel release, for a root whose proc/sys/kernel/osrelease cannot be read. */
  release(): string;
  /** Leave at once with this status (the dashboard: lookups in flight must not hold the shell). */
  exit(code: number): number;
  /** Loads what the effects need (the entry point's kernel readers, clock and resolver), called
   *  once the flags asked for work: --version, --help and a bad flag answer without it.
   *  'kernel': only what `kernel` needs (the direct print path); a later call loads the rest. */
  prepare?(only?: 'kernel'): Promise<void>;
  /** Sizes of caches, for NETDASH_DEBUG_STATS; filled in as the caches are made. */
  stats?: Record<string, () => number>;
}

/** Parse argv, then print, sample, replay or run the dashboard; resolves with the exit status. */
export async function run(argv: string[], io: Io): Promise<number> {
  /** Ends the host-name lookups once main is done. */
  let closeNames = (): void => {};

  /** NETDASH_INET_SOURCE=proc forces the /proc readers (to compare, or for a kernel that misbehaves). */
  function withInetSource(want: Want): Want {
    const v = io.env['NETDASH_INET_SOURCE'];
    return v === 'proc' || v === 'netlink' ? { ...want, inetSource: v } : want;
  }

  // What only some modes use is imported when one of them runs: the dashboard (blessed and the
  // views, a third of the start-up time of a one-shot `netdash --print`), the sampler and the
  // interval printers, recordings, JSON and interface metadata.
  type DashboardModule = typeof import('../dashboard/app.js');
  type RecordingModule = typeof import('../sampler/recording.js');
  type IntervalModule = typeof import('../print/interval-print.js');
  // The printers are loaded once the flags are parsed: --version and --help do without them.
  type PrintModule = typeof import('../print/render-print.js');
  type Names = { names: NameContext; hosts: HostNames | null };

  /** One line on stderr, "netdash: …", with anything read or typed (paths, names) escaped. */
  /** In a locale that is not UTF-8, output is ASCII bytes only (text/eight-bit.ts). */
  const eightBit = !localeIsUtf8(io.env);
  const text = (t: string): string => (eightBit ? eightBitSafe(t) : t);
  const json = (t: string): string => (eightBit ? asciiJson(t) : t);

  /** One line on stderr, "netdash: …", with anything read or typed (paths, names) escaped. */
  function warn(msg: string): void {
    io.stderr.write(text(`netdash: ${printable(msg)}\n`));
  }

  // Print mode waits this long at most for reverse DNS; unanswered addresses print as numbers.
  const DNS_WAIT_MS = 500;

  function wantForJson(o: Options, { wantFor }: PrintModule): Want {
    if (o.section !== 'connections' || o.socketArgs) return wantFor(o);
    const base = wantFor(o);
    return { ...base, interfaces: true, counters: true, routes4: true, routes6: true, conntrack: true };
  }

  /** The name tables a text print of this section with these flags looks names up in (the
   *  dashboard and JSON use them all): `--print -tan` and `--print -s` read none. */
  function namesUsed(o: Options, all: boolean): Record<'services' | 'protocols' | 'users' | 'hosts' | 'networks', boolean> {
    if (all) return { services: true, protocols: true, users: true, hosts: true, networks: true };
    const conn = o.section === 'connections';
    const masq = o.section === 'masquerade';
    const routes = o.section === 'routes';
    return {
      services: (conn || masq) && !o.numericPorts,
      protocols: conn && !o.numericPorts,
      users: conn && !o.numericUsers,
      hosts: (conn || masq || routes) && !o.numericHosts,
      networks: routes && !o.numericHosts,
    };
  }

  async function nameContext(kfs: KernelFs, o: Options, all: boolean): Promise<Names> {
    const use = namesUsed(o, all);
    const none = <K, V>(): Promise<ReadonlyMap<K, V>> => Promise.resolve(new Map<K, V>());
    const [svc, usr, hst, net] = await Promise.all([
      use.services || use.protocols ? import('../names/services.js') : null,
      use.users ? import('../names/users.js') : null,
      use.hosts ? import('../names/host-names.js') : null,
      use.networks ? import('../names/networks.js') : null,
    ]);
    const [services, protocols, users, hostsFile, networks] = await Promise.all([
      svc && use.services ? svc.loadServices(kfs) : none<string, string>(),
      svc && use.protocols ? svc.loadProtocols(kfs) : none<number, string>(),
      usr ? usr.loadUsers(kfs) : none<number, string>(),
      hst ? hst.loadHosts(kfs) : none<string, string>(),
      net ? net.loadNetworks(kfs) : none<string, string>(),
    ]);
    if (!hst) return { names: { services, users, hostName: () => undefined, owners: null, networks, protocols }, hosts: null };
    const hosts = new hst.HostNames({ hosts: hostsFile, lookup: o.numericHosts ? null : io.dns(2000) });
    closeNames = () => hosts.close();
    if (io.stats) {
      io.stats['hostNames'] = () => hosts.size;
      io.stats['hostNamesPending'] = () => hosts.pending;
    }
    return { names: { services, users, hostName: (a) => hosts.name(a), owners: null, networks, protocols }, hosts };
  }

  function addressesOf(snap: Snapshot): string[] {
    const out = new Set<string>();
    for (const r of Object.values(snap.inet)) {
      if (r?.ok)
        for (const s of r.value) {
          out.add(s.localAddr);
          out.add(s.remoteAddr);
        }
    }
    out.delete('0.0.0.0');
    out.delete('::');
    return [...out];
  }

  async function printOnce(kfs: KernelFs, o: Options, want: Want, ctx: Names, pm: PrintModule): Promise<number> {
    const { printChunks, printErrors, printStatus } = pm;
    const { readSnapshot } = await import('../sources/snapshot.js');
    const snap = await readSnapshot(kfs, want);
    const names: NameContext = { ...ctx.names, owners: snap.owners?.owners ?? null };
    if (!o.numericHosts && (o.section === 'connections' || o.section === 'routes')) await ctx.hosts?.settle(addressesOf(snap), DNS_WAIT_MS);
    if (o.mode === 'json') {
      const [{ snapshotJson }, { InterfaceMetaCache, kernelMetaLoader }] = await Promise.all([
        import('../print/json.js'),
        import('../sources/interface-meta.js'),
      ]);
      if (snap.interfaces?.ok) snap.interfaceMeta = await new InterfaceMetaCache(kernelMetaLoader(kfs)).get(snap.interfaces.value);
      // Streamed (print/json-stream.ts): the same bytes as one toJson, in chunks of 64 KB.
      for (const chunk of jsonChunks(snapshotJson(o, snap, names, io.hostname()))) {
        if (!io.stdout.write(json(chunk))) await once(io.stdout, 'drain');
      }
      io.stdout.write('\n');
      return 0;
    }
    if (o.section === 'interfaces' && o.extend > 0 && snap.interfaces?.ok) {
      // netstat -ie: the ifconfig-style listing, with addresses read for it.
      io.stdout.write(await (await import('../print/ifconfig.js')).ifconfigListing(kfs, snap.interfaces.value, o.all));
      return 0;
    }
    for (const e of printErrors(o, snap)) warn(e);
    // Written as it is made: a table of 50k sockets is 4 MB of text, and built whole (or queued
    // whole on a pipe, where stdout is asynchronous) its lines would all be copied by the
    // garbage collector on the way, half of the run time. A pipe that is full is waited for.
    for (const chunk of printChunks(o, snap, names)) {
      if (!io.stdout.write(text(chunk))) await once(io.stdout, 'drain');
    }
    return printStatus(o, snap);
  }

  async function main(argv: string[]): Promise<number> {
    let o: Options;
    try {
      o = parseOptions(argv);
    } catch (err) {
      if (err instanceof UsageError) {
        warn(err.message);
        return err.status;
      }
      throw err;
    }
    if (o.help) {
      io.stdout.write(HELP);
      return 0;
    }
    if (o.version) {
      io.stdout.write(versionLine() + '\n');
      return 0;
    }
    const rootProblem = checkRoot(o.root);
    if (rootProblem) {
      warn(rootProblem);
      return 2;
    }

    // netstat -tan and its like, once: formatted straight from the kernel's dump (tcp-direct.ts),
    // loading nothing else; null when it could not read the tables that way.
    if (directCandidate(o, io.env, io.stdout.isTTY === true, io.stdin.isTTY === true)) {
      const [direct] = await Promise.all([import('../print/tcp-direct.js'), io.prepare?.('kernel')]);
      if (direct.directTcpFits(o)) {
        const code = await direct.printDirectTcp(io.kernel(o.root), o, io.stdout, warn);
        if (code !== null) return code;
      }
    }

    const [pm] = await Promise.all([import('../print/render-print.js'), io.prepare?.()]);
    const kfs = io.kernel(o.root);
    const want = withInetSource(o.mode === 'json' ? wantForJson(o, pm) : pm.wantFor(o));
    let onScreen = o.mode === 'auto' && io.stdout.isTTY === true && io.stdin.isTTY === true;
    // A terminal that cannot address the cursor gets print mode, with one line saying so.
    const refusal = onScreen ? (await import('../dashboard/terminal.js')).dashboardRefusal(io.env['TERM']) : null;
    if (refusal !== null) {
      warn(refusal);
      onScreen = false;
    }
    // The dashboard's modules load while the name tables are read.
    const ui = onScreen ? import('../dashboard/app.js') : null;
    // A failed load is reported where it is awaited, not as an unhandled rejection meanwhile.
    ui?.catch(() => {});
    const ctx = await nameContext(kfs, o, ui !== null || o.mode === 'json');
    const exporter = await openExporter(o);
    if (typeof exporter === 'number') return exporter;
    if (ui !== null) {
      const code = await dashboard(kfs, o, ctx, await ui, exporter);
      // The terminal is restored. Reverse lookups still in flight (each may wait for its
      // resolver timeout) must not keep the user from getting the shell back.
      return io.exit(code);
    }
    if (o.replay !== null) return replay(o, ctx);
    if (o.interval === null) {
      // One read: no later dump to keep socket rows for.
      (await import('../sources/sock-diag.js')).keepRowsBetweenDumps(false);
      return printOnce(kfs, o, want, ctx, pm);
    }
    return sampleLive(kfs, o, want, ctx, exporter, pm);
  }

  /** --serve: the endpoint, started before the first sample; a status when it cannot start. */
  async function openExporter(o: Options): Promise<Exporter | null | number> {
    if (o.serve === null) return null;
    const { startExporter, WebConfigError } = await import('../serve/start.js');
    try {
      return await startExporter({
        listen: o.serve,
        webConfig: o.webConfig,
        intervalMs: (o.interval ?? 2) * 1000,
        programs: o.programs,
        info: o.info,
        mono: () => io.clock.mono(),
      });
    } catch (err) {
      warn(err instanceof Error ? err.message : String(err));
      return err instanceof WebConfigError ? 2 : 1;
    }
  }

  function emitSample(s: Sample, o: Options, ctx: { names: NameContext }, iv: IntervalModule): void {
    const names: NameContext = { ...ctx.names, owners: s.snapshot.owners?.owners ?? null };
    if (o.mode === 'json') {
      for (const chunk of jsonChunks(iv.sampleJson(s, o, names, io.hostname()))) io.stdout.write(json(chunk));
      io.stdout.write('\n');
      return;
    }
    const { out, errors } = iv.formatIntervalText(s, o, names);
    for (const e of errors) warn(e);
    io.stdout.write(text(out) + (o.section === 'connections' || o.continuous ? '' : '\n'));
  }

  /** Interval mode: one sampler, its samples printed (and recorded) as they come. */
  async function sampleLive(
    kfs: KernelFs,
    o: Options,
    want: Want,
    ctx: Names,
    exporter: Exporter | null,
    pm: PrintModule,
  ): Promise<number> {
    const [{ Sampler }, rec, iv, { InterfaceMetaCache, kernelMetaLoader }] = await Promise.all([
      import('../sampler/sampler.js'),
      import('../sampler/recording.js'),
      import('../print/interval-print.js'),
      import('../sources/interface-meta.js'),
    ]);
    const intervalMs = (o.interval ?? 2) * 1000;
    const recorder = openRecorder(o, intervalMs, rec);
    if (recorder === false) return 2;
    // A recording keeps every section, so a replay can show any view of it.
    const recordWant: Want = recorder
      ? { ...wantForJson({ ...o, section: 'connections', socketArgs: false }, pm), owners: want.owners, tcpInfo: want.tcpInfo === true }
      : want;
    // --serve: the sample also holds what /metrics shows; without --print or --json nothing is printed.
    const sampleWant = exporter ? exporter.want(recordWant) : recordWant;
    const serveOnly = exporter !== null && o.mode === 'auto';
    // Metadata is part of the sample (and so of a recording) when the output shows it.
    const meta = o.mode === 'json' || recorder ? { meta: new InterfaceMetaCache(kernelMetaLoader(kfs)) } : {};
    const cadence = serveOnly ? { tableEveryMs: 'auto' as const } : {};
    const sampler = new Sampler(kfs, io.clock, { intervalMs, want: sampleWant, ...meta, ...cadence }, (sample, raw) => {
      recorder?.write(raw);
      exporter?.update(sample);
      if (!serveOnly) emitSample(sample, o, ctx, iv);
    });
    const stop = (): void => sampler.stop();
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
    for (const sig of signals) io.signals.on(sig, stop);
    try {
      await sampler.run(o.count);
    } finally {
      for (const sig of signals) io.signals.off(sig, stop);
      recorder?.close();
      await exporter?.close();
    }
    return 0;
  }

  /** The --root tree must be a directory; everything below it may be missing. */
  function checkRoot(root: string): string | null {
    try {
      return statSync(root).isDirectory() ? null : `--root ${root}: not a directory`;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      return `--root ${root}: ${code === 'ENOENT' ? 'no such directory' : code === 'EACCES' ? 'permission denied' : (code ?? String(err))}`;
    }
  }

  /** The recorder for --record, null without it, false (after one line on stderr) when the file
   *  cannot be opened for appending. */
  function openRecorder(o: Options, intervalMs: number, rec: RecordingModule): Recorder | null | false {
    if (o.record === null) return null;
    try {
      return new rec.Recorder(o.record, {
        schema: rec.RECORD_SCHEMA,
        started: new Date(io.clock.now()).toISOString(),
        host: io.hostname(),
        intervalMs,
      });
    } catch (err) {
      warn(err instanceof Error ? err.message : String(err));
      return false;
    }
  }

  function loadRecording(path: string, rec: RecordingModule): ReturnType<RecordingModule['openRecording']> | null {
    try {
      // Two passes in bounded memory: every line is checked first (a problem is reported before
      // anything is shown), then the samples are read again as they are played.
      for (const _ of rec.openRecording(path, warn).samples) {
        /* checked */
      }
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
    const [recording, iv, { replaySource }] = await Promise.all([
      import('../sampler/recording.js'),
      import('../print/interval-print.js'),
      import('../sampler/sample-source.js'),
    ]);
    const rec = loadRecording(o.replay ?? '', recording);
    if (!rec) return 2;
    let n = 0;
    const source = replaySource(
      rec.samples,
      io.clock,
      o.speed,
      rec.header.intervalMs,
    )((sample) => {
      emitSample(sample, o, ctx, iv);
      if (o.count !== null && ++n >= o.count) source.stop();
    });
    await source.run();
    return 0;
  }

  /** The live dashboard (or a recording shown in it) on this terminal. */
  async function dashboard(kfs: KernelFs, o: Options, ctx: Names, ui: DashboardModule, exporter: Exporter | null): Promise<number> {
    const { runDashboard, dashboardWant } = ui;
    const [recording, { replaySource, liveSource }, { readHostInfo }, { InterfaceMetaCache, kernelMetaLoader }, { fastKernelFs }] =
      await Promise.all([
        import('../sampler/recording.js'),
        import('../sampler/sample-source.js'),
        import('../sources/host-info.js'),
        import('../sources/interface-meta.js'),
        import('../sources/snapshot.js'),
      ]);
    let source: SourceFactory;
    if (o.replay !== null) {
      const rec = loadRecording(o.replay, recording);
      if (!rec) return 2;
      source = replaySource(rec.samples, io.clock, o.speed, rec.header.intervalMs);
    } else {
      // Interface metadata, read again every 5 s: the events log sees addresses come and go.
      // Through the sampler's synchronous reads: the plain root's asynchronous ones were some
      // thirty thread-pool round trips every 5 s on an idle dashboard.
      const meta = new InterfaceMetaCache(kernelMetaLoader(fastKernelFs(kfs)), META_REFRESH_MS);
      // The dashboard scans process owners only while the screen shows them; a recording (which
      // keeps every section) and an endpoint that exports program names need them every tick.
      const want = withInetSource(dashboardWant(o));
      const ownersAlways = o.record !== null || (exporter?.want({ ...want, owners: false }).owners ?? false);
      const live = liveSource(kfs, io.clock, (o.interval ?? 2) * 1000, want, meta, { ownersAlways });
      // --serve: the dashboard's own sampler feeds the endpoint too (--replay is refused with it).
      source = exporter
        ? (onSample) =>
            live((smp, r) => {
              exporter.update(smp);
              onSample(smp, r);
            })
        : live;
    }
    const recorder = openRecorder(o, (o.interval ?? 2) * 1000, recording);
    if (recorder === false) return 2;
    try {
      return await runDashboard(o, {
        input: io.stdin,
        output: io.stdout,
        names: ctx.names,
        ...(ctx.hosts ? { hostNames: ctx.hosts } : {}),
        source,
        signals: io.signals,
        host: readHostInfo(kfs, { name: io.hostname(), kernel: io.release() }),
        ascii: o.ascii || !localeIsUtf8(io.env),
        env: io.env,
        mouse: !o.noMouse,
        now: () => io.clock.mono(),
        // A replay's charts cover the recording (as much of it as the history's bound holds).
        ...(o.replay !== null ? { historyWindowMs: Infinity } : {}),
        ...(recorder ? { onRaw: (r: RawSample) => recorder.write(r) } : {}),
      });
    } finally {
      recorder?.close();
    }
  }

  try {
    return await main(argv);
  } finally {
    // Lookups still waiting for a slow resolver must not hold the exit up.
    closeNames();
  }
}
