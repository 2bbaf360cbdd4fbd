// The dashboard, wired: keys → store actions, sampler → store, store → one redraw scheduler.
// cli.ts calls runDashboard for mode 'auto' on a TTY; everything it needs comes in as deps.
import { hostname as osHostname, release as osRelease } from 'node:os';
import blessed from 'blessed';
import type { Widgets } from 'blessed';
import type { Options } from '../cli/options.js';
import type { NameContext } from '../print/connections.js';
import { SampleEngine, type RawSample, type Sample } from '../sampler/sample-engine.js';
import { Sampler, type Clock } from '../sampler/sampler.js';
import type { KernelFs } from '../sources/kernel-fs.js';
import type { Want } from '../snapshot.js';
import { seconds } from './format.js';
import { keyToAction, stepInterval, type KeyEvent } from './keys.js';
import { Layout } from './layout.js';
import { RedrawScheduler } from './redraw.js';
import { Store } from './store.js';

export type SampleHandler = (sample: Sample, raw: RawSample) => void;

/** Where samples come from: the live sampler or a recording. */
export interface SampleSource {
  /** Deliver samples until stop() (live) or the end of the data (replay). */
  run(): Promise<void>;
  stop(): void;
  mark(): void;
  setInterval(ms: number): void;
  readonly interval: number;
}

export type SourceFactory = (onSample: SampleHandler) => SampleSource;

export interface DashboardDeps {
  /** The terminal: process.stdin / process.stdout, or fake TTY streams in tests. */
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  kfs: KernelFs;
  clock: Clock;
  /** Services, users, host names (owners come from each sample). */
  names: NameContext;
  /** Default: a live Sampler over kfs reading dashboardWant(opts) every opts.interval s. */
  source?: SourceFactory;
  /** Default: read from kfs (proc/sys/kernel/{hostname,osrelease}), else os.hostname()/release(). */
  host?: { name: string; kernel: string };
  /** Called with every raw sample (for --record). */
  onRaw?: (raw: RawSample) => void;
  /** A HostNames instance: its onResolved is set so resolved names redraw. */
  hostNames?: { onResolved: (() => void) | null };
  /** Install SIGTERM/SIGHUP/SIGINT handlers that restore the terminal (default true). */
  signals?: boolean;
  /** terminfo name; default: $TERM as blessed reads it. */
  terminal?: string;
  /** Draw with plain ASCII only (--ascii, or a locale that is not UTF-8). */
  ascii?: boolean;
}

export interface Dashboard {
  store: Store;
  screen: Widgets.Screen;
  layout: Layout;
  scheduler: RedrawScheduler;
  source: SampleSource;
  /** Resolves with the exit code once the dashboard closed and the terminal is restored. */
  done: Promise<number>;
  quit(code?: number): void;
}

const ALL_INET: Want['inet'] = ['tcp', 'tcp6', 'udp', 'udp6', 'udplite', 'udplite6', 'raw', 'raw6'];

/** What the dashboard samples: everything its panes can show, whatever the filters (they
 *  change at run time; the sampler never reads UI state). */
export function dashboardWant(_o: Options): Want {
  return {
    inet: ALL_INET, unix: true, owners: true, interfaces: true, counters: true,
    routes4: true, routes6: true, conntrack: true,
  };
}

export function liveSource(kfs: KernelFs, clock: Clock, intervalMs: number, want: Want): SourceFactory {
  return (onSample) => {
    // 'auto': a huge socket table is read less often than every tick (the status line says so).
    const sampler = new Sampler(kfs, clock, { intervalMs, want, tableEveryMs: 'auto' }, onSample);
    return {
      run: () => sampler.run(null),
      stop: () => sampler.stop(),
      mark: () => sampler.mark(),
      setInterval: (ms) => sampler.setInterval(ms),
      get interval() { return sampler.interval; },
    };
  };
}

/** A recording played through the same engine, at `speed` (0: no waiting). */
export function replaySource(samples: Iterable<RawSample>, clock: Clock, speed: number, intervalMs: number): SourceFactory {
  return (onSample) => {
    const engine = new SampleEngine();
    const abort = new AbortController();
    return {
      async run() {
        let prev: number | null = null;
        for (const raw of samples) {
          if (abort.signal.aborted) return;
          if (prev !== null && speed > 0) await clock.sleep(Math.max(0, raw.mono - prev) / speed, abort.signal);
          if (abort.signal.aborted) return;
          prev = raw.mono;
          onSample(engine.ingest(raw), raw);
        }
      },
      stop: () => abort.abort(),
      mark: () => engine.mark(),
      setInterval: () => {},
      get interval() { return intervalMs; },
    };
  };
}

async function readHost(kfs: KernelFs): Promise<{ name: string; kernel: string }> {
  const read = (rel: string): Promise<string> => kfs.readText(rel).then((t) => t.trim(), () => '');
  const [name, kernel] = await Promise.all([read('proc/sys/kernel/hostname'), read('proc/sys/kernel/osrelease')]);
  return { name: name || osHostname(), kernel: kernel || osRelease() };
}

const SIGNALS = [['SIGTERM', 15], ['SIGHUP', 1], ['SIGINT', 2]] as const;

/** Build and start the dashboard. The first frame is drawn at once; samples follow. */
export function createDashboard(opts: Options, deps: DashboardDeps): Dashboard {
  const intervalMs = (opts.interval ?? 2) * 1000;
  const store = new Store(opts, { names: deps.names, ...(deps.host ? { host: deps.host } : {}) });
  const screenOpts: Widgets.IScreenOptions = {
    input: deps.input as unknown as Widgets.IScreenOptions['input'],
    output: deps.output as unknown as Widgets.IScreenOptions['output'],
    smartCSR: true, fullUnicode: deps.ascii !== true, forceUnicode: deps.ascii !== true, autoPadding: false, warnings: false, title: 'netdash',
  };
  if (deps.terminal !== undefined) screenOpts.terminal = deps.terminal;
  const screen = blessed.screen(screenOpts);
  // blessed swaps box-drawing characters for the terminal's ACS sequences, which tmux and
  // several terminals show as letters ('q', 'x'). Our frames are text: in Unicode mode write
  // them as UTF-8; in ASCII mode toAscii has replaced them already.
  (screen as unknown as { tput: { brokenACS: boolean } }).tput.brokenACS = true;
  const layout = new Layout(screen, deps.ascii === true);

  let finished = false;
  let resolveDone: (code: number) => void = () => {};
  let rejectDone: (err: unknown) => void = () => {};
  const done = new Promise<number>((res, rej) => { resolveDone = res; rejectDone = rej; });

  const signalHandlers: [string, () => void][] = [];
  let samples = 0;
  let source: SampleSource | null = null;
  let unsubscribe: () => void = () => {};

  const cleanup = (): void => {
    finished = true;
    scheduler.dispose();
    unsubscribe();
    source?.stop();
    for (const [sig, fn] of signalHandlers) process.off(sig, fn);
    if (deps.hostNames) deps.hostNames.onResolved = null;
    screen.destroy();
  };
  const quit = (code = 0): void => {
    if (finished) return;
    cleanup();
    resolveDone(code);
  };
  const fail = (err: unknown): void => {
    if (finished) return;
    cleanup();
    rejectDone(err);
  };

  const scheduler = new RedrawScheduler(() => layout.paint(store), layout.target(), fail);
  unsubscribe = store.subscribe(() => scheduler.request());
  screen.on('resize', () => scheduler.request());
  if (deps.hostNames) deps.hostNames.onResolved = () => store.touch();

  const src = (deps.source ?? liveSource(deps.kfs, deps.clock, intervalMs, dashboardWant(opts)))((sample, raw) => {
    if (finished) return;
    deps.onRaw?.(raw);
    store.ingest(sample);
    // --count N: leave after N samples, as netstat's interval mode would stop printing.
    if (opts.count !== null && ++samples >= opts.count) setImmediate(() => { scheduler.flush(); quit(0); });
  });
  source = src;
  store.dispatch({ type: 'interval', ms: src.interval });

  screen.on('keypress', (ch: string | undefined, key: KeyEvent | undefined) => {
    if (finished) return;
    const r = keyToAction(ch, key ?? {}, store.state);
    if (!r) return;
    if ('action' in r) {
      store.dispatch(r.action);
      return;
    }
    switch (r.command) {
      case 'quit': quit(0); break;
      case 'mark':
        src.mark();
        store.dispatch({ type: 'notice', text: 'mark set' });
        break;
      case 'slower': case 'faster': {
        const ms = stepInterval(src.interval, r.command === 'slower' ? 1 : -1);
        src.setInterval(ms);
        store.dispatch({ type: 'interval', ms: src.interval });
        store.dispatch({ type: 'notice', text: `interval ${seconds(src.interval)}` });
        break;
      }
    }
  });

  if (deps.signals !== false) {
    for (const [sig, n] of SIGNALS) {
      const fn = (): void => quit(128 + n);
      signalHandlers.push([sig, fn]);
      process.on(sig, fn);
    }
  }

  if (!deps.host) void readHost(deps.kfs).then((h) => { if (!finished) store.setHost(h); }, () => {});
  scheduler.flush();
  src.run().then(() => { if (!finished) store.sourceEnded(); }, fail);

  return { store, screen, layout, scheduler, source: src, done, quit };
}

/**
 * Run the live dashboard until q, C-c, SIGTERM or SIGHUP; the terminal is restored on every
 * way out. Resolves with the process exit code (0, or 128+signal); rejects (after restoring
 * the terminal) if sampling or drawing failed.
 */
export function runDashboard(opts: Options, deps: DashboardDeps): Promise<number> {
  return createDashboard(opts, deps).done;
}
