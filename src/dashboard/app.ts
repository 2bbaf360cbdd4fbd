// The dashboard, wired: keys → store actions, sampler → store, store → one redraw scheduler.
// cli.ts calls runDashboard for mode 'auto' on a TTY; everything it needs comes in as deps.
import blessed from 'blessed';
import type { Widgets } from 'blessed';
import type { DashboardOptions } from './dashboard-options.js';
import type { NameContext } from '../names/netstat-notation.js';
import type { RawSample } from '../sampler/sample-engine.js';
import type { SampleSource, SourceFactory } from '../sampler/sample-source.js';
import type { Want } from '../sources/snapshot.js';
import { seconds } from './format.js';
import { keyToAction, stepInterval, type KeyEvent } from './keys.js';
import { Layout } from './layout.js';
import { RedrawScheduler } from './redraw.js';
import { Store } from './store.js';
import { stopProcess, suspender, type Suspender } from './suspend.js';
import { patchTerminfoReader } from './terminfo.js';
import { dimStyle, installDimAttribute, restyle, termCaps } from './theme.js';
import { needsOwners, needsTcpInfo } from './ui-state.js';

/** Signal handlers, as process.on/off install them (a test passes its own or none). */
export interface SignalBus {
  on(sig: NodeJS.Signals, fn: () => void): void;
  off(sig: NodeJS.Signals, fn: () => void): void;
}

export interface DashboardDeps {
  /** The terminal: process.stdin / process.stdout, or fake TTY streams in tests. */
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Services, users, host names (owners come from each sample). */
  names: NameContext;
  /** Where samples come from: the live sampler (liveSource over dashboardWant) or a recording. */
  source: SourceFactory;
  /** The host's name and kernel release for the status line, when known (or once read). */
  host?: { name: string; kernel: string } | Promise<{ name: string; kernel: string }>;
  /** Called with every raw sample (for --record). */
  onRaw?: (raw: RawSample) => void;
  /** A HostNames instance: its onResolved is set so resolved names redraw. */
  hostNames?: { onResolved: (() => void) | null };
  /** Where SIGTERM/SIGHUP/SIGINT handlers that restore the terminal go; false: none. */
  signals: SignalBus | false;
  /** terminfo name; default: $TERM as blessed reads it. */
  terminal?: string;
  /** Draw with plain ASCII only (--ascii, or a locale that is not UTF-8). */
  ascii?: boolean;
  /** How Ctrl-Z and SIGTSTP stop the process once the terminal is given back (default:
   *  SIGSTOP to itself). */
  stopSelf?: () => void;
  /** Environment read for NO_COLOR (default: process.env). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Mouse reporting: click focuses a pane and selects a row, the wheel scrolls, a double
   *  click opens the detail (off with --no-mouse; default off). */
  mouse?: boolean;
  /** A monotonic clock (ms) that tells a double click from two clicks; without it, a click
   *  on the row already selected opens its detail. */
  now?: () => number;
  /** How far back the graphs reach (default 15 minutes; Infinity for a replay). */
  historyWindowMs?: number;
}

export interface Dashboard {
  store: Store;
  screen: Widgets.Screen;
  layout: Layout;
  scheduler: RedrawScheduler;
  source: SampleSource;
  suspender: Suspender;
  /** Resolves with the exit code once the dashboard closed and the terminal is restored. */
  done: Promise<number>;
  quit(code?: number): void;
}

const ALL_INET: Want['inet'] = ['tcp', 'tcp6', 'udp', 'udp6', 'udplite', 'udplite6', 'raw', 'raw6'];

/** What the dashboard samples: everything its panes can show, whatever the filters (they
 *  change at run time; the sampler never reads UI state). */
export function dashboardWant(_o: DashboardOptions): Want {
  return {
    inet: ALL_INET,
    unix: true,
    owners: true,
    interfaces: true,
    counters: true,
    routes4: true,
    routes6: true,
    conntrack: true,
  };
}

const SIGNALS = [
  ['SIGTERM', 15],
  ['SIGHUP', 1],
  ['SIGINT', 2],
] as const;

/** Build and start the dashboard. The first frame is drawn at once; samples follow. */
export function createDashboard(opts: DashboardOptions, deps: DashboardDeps): Dashboard {
  const knownHost = deps.host instanceof Promise ? undefined : deps.host;
  const store = new Store(opts, {
    names: deps.names,
    ...(knownHost ? { host: knownHost } : {}),
    ...(deps.historyWindowMs !== undefined ? { historyWindowMs: deps.historyWindowMs } : {}),
  });
  const screenOpts: Widgets.IScreenOptions = {
    input: deps.input as unknown as Widgets.IScreenOptions['input'],
    output: deps.output as unknown as Widgets.IScreenOptions['output'],
    // No window title: a terminal that cannot give the old one back would keep ours.
    smartCSR: true,
    fullUnicode: deps.ascii !== true,
    forceUnicode: deps.ascii !== true,
    autoPadding: false,
    warnings: false,
  };
  if (deps.terminal !== undefined) screenOpts.terminal = deps.terminal;
  patchTerminfoReader((blessed as unknown as { tput: { prototype: unknown } }).tput);
  const screen = blessed.screen(screenOpts);
  const caps = termCaps((screen as unknown as { tput: Parameters<typeof termCaps>[0] }).tput, deps.env ?? process.env);
  if (dimStyle(caps) === 'dim') installDimAttribute(screen.program);
  // blessed swaps box-drawing characters for the terminal's ACS sequences, which tmux and
  // several terminals show as letters ('q', 'x'). Our frames are text: in Unicode mode write
  // them as UTF-8; in ASCII mode toAscii has replaced them already.
  (screen as unknown as { tput: { brokenACS: boolean } }).tput.brokenACS = true;
  const layout = new Layout(screen, deps.ascii === true, restyle(caps));

  let finished = false;
  let resolveDone: (code: number) => void = () => {};
  let rejectDone: (err: unknown) => void = () => {};
  const done = new Promise<number>((res, rej) => {
    resolveDone = res;
    rejectDone = rej;
  });

  const signalHandlers: [NodeJS.Signals, () => void][] = [];
  let samples = 0;
  let source: SampleSource | null = null;
  let unsubscribe: () => void = () => {};

  const cleanup = (): void => {
    finished = true;
    scheduler.dispose();
    unsubscribe();
    source?.stop();
    if (deps.signals) for (const [sig, fn] of signalHandlers) deps.signals.off(sig, fn);
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

  const susp = suspender(screen, deps.input, deps.stopSelf ?? stopProcess);
  // Nothing is drawn while the terminal belongs to the shell; SIGCONT redraws everything.
  const scheduler = new RedrawScheduler(() => (susp.suspended ? false : layout.paint(store)), layout.target(), fail);
  unsubscribe = store.subscribe(() => scheduler.request());
  screen.on('resize', () => scheduler.request());
  if (deps.hostNames) deps.hostNames.onResolved = () => store.touch();

  const src = deps.source((sample, raw) => {
    if (finished) return;
    deps.onRaw?.(raw);
    store.ingest(sample);
    // --count N: leave after N samples, as netstat's interval mode would stop printing.
    if (opts.count !== null && ++samples >= opts.count)
      setImmediate(() => {
        scheduler.flush();
        quit(0);
      });
  });
  source = src;
  store.dispatch({ type: 'interval', ms: src.interval });
  // tcp_info and process owners are read only while something on screen shows them; keys and
  // the mouse (focus, detail, filter, sort) change that, so every change of state is looked at.
  let askedTcpInfo: boolean | null = null,
    askedOwners: boolean | null = null;
  const demand = (): void => {
    if (finished) return;
    const tcpInfo = needsTcpInfo(store.state),
      owners = needsOwners(store.state);
    if (tcpInfo !== askedTcpInfo) src.setTcpInfo?.(tcpInfo);
    if (owners !== askedOwners) src.setOwners?.(owners);
    askedTcpInfo = tcpInfo;
    askedOwners = owners;
  };
  demand();
  store.subscribe(demand);

  screen.on('keypress', (ch: string | undefined, key: KeyEvent | undefined) => {
    if (finished) return;
    const r = keyToAction(ch, key ?? {}, store.state);
    if (!r) return;
    if ('action' in r) {
      store.dispatch(r.action);
      return;
    }
    switch (r.command) {
      case 'quit':
        quit(0);
        break;
      case 'suspend':
        susp.suspend();
        break;
      case 'pin':
        store.togglePin();
        break;
      case 'mark':
        src.mark();
        store.dispatch({ type: 'notice', text: 'mark set' });
        break;
      case 'slower':
      case 'faster': {
        const ms = stepInterval(src.interval, r.command === 'slower' ? 1 : -1);
        src.setInterval(ms);
        store.dispatch({ type: 'interval', ms: src.interval });
        store.dispatch({ type: 'notice', text: `interval ${seconds(src.interval)}` });
        break;
      }
    }
  });

  if (deps.mouse === true) {
    screen.enableMouse();
    let last: { pane: string; index: number; at: number } | null = null;
    screen.on('mouse', (data: { x: number; y: number; action: string; button?: string }) => {
      if (finished) return;
      const s = store.state;
      if (data.action === 'wheelup' || data.action === 'wheeldown') {
        const by = data.action === 'wheelup' ? -1 : 1;
        if (s.help || s.detail) {
          store.dispatch({ type: 'page', by });
          return;
        }
        const hit = layout.hit(data.x, data.y);
        if (hit && hit.pane !== s.focus) store.dispatch({ type: 'focus', pane: hit.pane });
        store.dispatch({ type: 'scroll', by, rows: 3 });
        return;
      }
      if (data.action !== 'mousedown' || (data.button !== undefined && data.button !== 'left')) return;
      if (s.help || s.detail) {
        store.dispatch({ type: 'escape' });
        return;
      }
      const hit = layout.hit(data.x, data.y);
      if (!hit) return;
      const at = deps.now?.() ?? null;
      const selected = hit.index !== null && hit.pane === s.focus && store.cursorIndex(hit.pane) === hit.index;
      const double =
        hit.index !== null &&
        last !== null &&
        last.pane === hit.pane &&
        last.index === hit.index &&
        (at === null ? selected : at - last.at <= 500);
      store.dispatch({ type: 'select', pane: hit.pane, index: hit.index });
      if (double) {
        store.dispatch({ type: 'toggleDetail' });
        last = null;
      } else last = hit.index === null ? null : { pane: hit.pane, index: hit.index, at: at ?? 0 };
    });
  }

  if (deps.signals) {
    for (const [sig, n] of SIGNALS) {
      const fn = (): void => quit(128 + n);
      signalHandlers.push([sig, fn]);
      deps.signals.on(sig, fn);
    }
    // Job control: SIGTSTP suspends like Ctrl-Z; SIGCONT (fg) takes the terminal back.
    const jobControl: [NodeJS.Signals, () => void][] = [
      ['SIGTSTP', () => susp.suspend()],
      [
        'SIGCONT',
        () => {
          if (!finished) {
            susp.resume();
            scheduler.request();
          }
        },
      ],
    ];
    for (const [sig, fn] of jobControl) {
      signalHandlers.push([sig, fn]);
      deps.signals.on(sig, fn);
    }
  }

  if (deps.host instanceof Promise)
    void deps.host.then(
      (h) => {
        if (!finished) store.setHost(h);
      },
      () => {},
    );
  scheduler.flush();
  src.run().then(() => {
    if (!finished) store.sourceEnded();
  }, fail);

  return { store, screen, layout, scheduler, source: src, suspender: susp, done, quit };
}

/**
 * Run the live dashboard until q, C-c, SIGTERM or SIGHUP; the terminal is restored on every
 * way out. Resolves with the process exit code (0, or 128+signal); rejects (after restoring
 * the terminal) if sampling or drawing failed.
 */
export function runDashboard(opts: DashboardOptions, deps: DashboardDeps): Promise<number> {
  return createDashboard(opts, deps).done;
}
