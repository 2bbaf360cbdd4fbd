// The dashboard's one source of truth: the latest sample (or the frozen one while paused)
// plus every piece of UI state. Pure: no blessed, no timers, no I/O. Keys become actions
// (dispatch), the sampler feeds samples (ingest), views ask selectors for the rows they
// will actually draw — nothing is formatted for rows nobody sees.
import type { Options } from '../cli/options.js';
import type { InetSocket, ProcessOwner, UnixSocket } from '../model.js';
import { serviceName } from '../names/services.js';
import {
  endpoint, inetVisible, ownerLabel, stateName, TCP_STATES, unixStateName, unixTypeName, unixVisible,
  unmapV4, type ConnOptions, type NameContext,
} from '../print/connections.js';
import { retransPct, type CounterStat } from '../sampler/counter-deltas.js';
import { route4Key, route6Key } from '../sampler/route-diff.js';
import type { Sample } from '../sampler/sample-engine.js';
import { effectiveFlags, flagLetters, naturalCompare } from '../sources/interfaces.js';
import { SO_ACCEPTCON } from '../sources/unix-sockets.js';
import { printable } from './escape.js';
import { bytes, change, clockTime, compact, duration } from './format.js';

// --- panes and UI state ------------------------------------------------------------------

export type PaneId = 'connections' | 'interfaces' | 'counters' | 'routes' | 'unix' | 'events' | 'conntrack';
export const PANES: readonly PaneId[] = ['connections', 'interfaces', 'counters', 'routes', 'unix', 'events', 'conntrack'];
export const PANE_TITLES: Readonly<Record<PaneId, string>> = {
  connections: 'Connections', interfaces: 'Interfaces', counters: 'Counters', routes: 'Routes',
  unix: 'UNIX sockets', events: 'Events', conntrack: 'Conntrack',
};

/** Sortable columns per pane; index 0 is the default. */
export const SORT_COLUMNS: Readonly<Record<PaneId, readonly string[]>> = {
  connections: ['proto', 'local', 'remote', 'state', 'recv-q', 'send-q', 'program', 'user', 'inode'],
  interfaces: ['name', 'rx', 'tx', 'errors'],
  counters: ['activity', 'name', 'delta', 'total'],
  routes: ['table'],
  unix: ['inode', 'path', 'state', 'type'],
  events: ['time'],
  conntrack: ['table', 'proto', 'src', 'dst'],
};

export type Scope = 'connected' | 'listening' | 'all';
export type CounterMode = 'rate' | 'delta' | 'total';
export type ProtoToggle = 'tcp' | 'udp' | 'raw' | 'unix';
export type Flag = 'numeric' | 'programs' | 'extended' | 'timers' | 'zoom' | 'help';

export interface Cursor {
  /** Identity of the row the cursor is on (a connection key, an interface name, …). */
  key: string | null;
  /** Where it was last seen: the fallback when the row is gone. */
  index: number;
}

export interface UiState {
  readonly focus: PaneId;
  readonly paused: boolean;
  readonly zoom: boolean;
  readonly help: boolean;
  readonly detail: boolean;
  readonly proto: Readonly<Record<ProtoToggle, boolean>>;
  readonly family: { readonly v4: boolean; readonly v6: boolean };
  readonly scope: Scope;
  readonly numeric: boolean;
  readonly programs: boolean;
  readonly extended: boolean;
  readonly timers: boolean;
  readonly filter: string;
  readonly editingFilter: boolean;
  readonly sort: Readonly<Record<PaneId, { readonly col: number; readonly reverse: boolean }>>;
  readonly cursor: Readonly<Record<PaneId, Cursor>>;
  readonly scroll: Readonly<Record<PaneId, number>>;
  readonly counterMode: CounterMode;
  /** Sampling interval shown in the status line (the sampler owns the real one). */
  readonly intervalMs: number;
  /** A short message for the status line (mark set, interval changed). */
  readonly notice: string | null;
}

export type Action =
  | { type: 'togglePause' }
  | { type: 'toggleProto'; proto: ProtoToggle }
  | { type: 'family'; family: 4 | 6 }
  | { type: 'scope'; scope: 'listening' | 'all' }
  | { type: 'toggle'; flag: Flag }
  | { type: 'filterStart' }
  | { type: 'filterInput'; text: string }
  | { type: 'filterBackspace' }
  | { type: 'filterAccept' }
  | { type: 'filterClear' }
  | { type: 'sortNext' }
  | { type: 'sortReverse' }
  | { type: 'cycleCounterMode' }
  | { type: 'focus'; pane: PaneId }
  | { type: 'focusNext'; delta: 1 | -1 }
  | { type: 'move'; by: number }
  | { type: 'page'; by: 1 | -1 }
  | { type: 'home' }
  | { type: 'end' }
  | { type: 'toggleDetail' }
  | { type: 'escape' }
  | { type: 'interval'; ms: number }
  | { type: 'notice'; text: string | null };

function perPane<T>(f: (p: PaneId) => T): Record<PaneId, T> {
  const out = {} as Record<PaneId, T>;
  for (const p of PANES) out[p] = f(p);
  return out;
}

/** The state `netdash [flags] [interval]` opens with: `netdash -tl 5` shows TCP listeners. */
export function initialState(o: Options): UiState {
  const protoGiven = o.socketArgs;
  const inetGiven = o.tcp || o.udp || o.udplite || o.raw;
  let focus: PaneId = 'connections';
  if (o.section === 'interfaces' || o.section === 'ethernet') focus = 'interfaces';
  else if (o.section === 'statistics') focus = 'counters';
  else if (o.section === 'routes') focus = 'routes';
  else if (o.section === 'masquerade') focus = 'conntrack';
  else if (protoGiven && o.unix && !inetGiven) focus = 'unix';
  const oneFamily = o.inet4 !== o.inet6;
  return {
    focus,
    paused: false, zoom: false, help: false, detail: false,
    proto: protoGiven
      ? { tcp: o.tcp, udp: o.udp || o.udplite, raw: o.raw, unix: o.unix }
      : { tcp: true, udp: true, raw: true, unix: true },
    family: oneFamily ? { v4: o.inet4, v6: o.inet6 } : { v4: true, v6: true },
    scope: o.all ? 'all' : o.listening ? 'listening' : 'connected',
    numeric: o.numericHosts || o.numericPorts,
    programs: o.programs,
    extended: o.extend > 0,
    timers: o.timers,
    filter: '', editingFilter: false,
    sort: perPane(() => ({ col: 0, reverse: false })),
    cursor: perPane(() => ({ key: null, index: 0 })),
    scroll: perPane(() => 0),
    counterMode: 'rate',
    intervalMs: (o.interval ?? 2) * 1000,
    notice: null,
  };
}

/** What the reducer may ask about the data: the row keys of a pane in display order. */
export interface ReduceContext {
  keys(pane: PaneId): readonly string[];
  /** Rows the pane showed last time it was drawn (for PgUp/PgDn). */
  height(pane: PaneId): number;
}

const COUNTER_MODES: readonly CounterMode[] = ['rate', 'delta', 'total'];

function moveCursor(s: UiState, ctx: ReduceContext, to: (idx: number, n: number, page: number) => number): UiState {
  const pane = s.focus;
  const keys = ctx.keys(pane);
  if (keys.length === 0) return s;
  const cur = s.cursor[pane];
  let idx = cur.key === null ? -1 : keys.indexOf(cur.key);
  if (idx < 0) idx = Math.min(Math.max(cur.index, 0), keys.length - 1);
  const next = Math.min(Math.max(to(idx, keys.length, Math.max(1, ctx.height(pane) - 1)), 0), keys.length - 1);
  return { ...s, cursor: { ...s.cursor, [pane]: { key: keys[next] ?? null, index: next } } };
}

/** The reducer: state + action → state. No data is changed here, only UI state. */
export function reduce(s: UiState, a: Action, ctx: ReduceContext): UiState {
  switch (a.type) {
    case 'togglePause': return { ...s, paused: !s.paused };
    case 'toggleProto': return { ...s, proto: { ...s.proto, [a.proto]: !s.proto[a.proto] } };
    case 'family': {
      const only = a.family === 4 ? { v4: true, v6: false } : { v4: false, v6: true };
      const already = s.family.v4 === only.v4 && s.family.v6 === only.v6;
      return { ...s, family: already ? { v4: true, v6: true } : only };
    }
    case 'scope': return { ...s, scope: s.scope === a.scope ? 'connected' : a.scope };
    case 'toggle': return { ...s, [a.flag]: !s[a.flag] };
    case 'filterStart': return { ...s, editingFilter: true, help: false };
    case 'filterInput': return { ...s, filter: s.filter + a.text };
    case 'filterBackspace': return { ...s, filter: s.filter.slice(0, -1) };
    case 'filterAccept': return { ...s, editingFilter: false };
    case 'filterClear': return { ...s, filter: '', editingFilter: false };
    case 'sortNext': {
      const cols = SORT_COLUMNS[s.focus].length;
      const cur = s.sort[s.focus];
      return { ...s, sort: { ...s.sort, [s.focus]: { col: (cur.col + 1) % cols, reverse: cur.reverse } } };
    }
    case 'sortReverse': {
      const cur = s.sort[s.focus];
      return { ...s, sort: { ...s.sort, [s.focus]: { col: cur.col, reverse: !cur.reverse } } };
    }
    case 'cycleCounterMode':
      return { ...s, counterMode: COUNTER_MODES[(COUNTER_MODES.indexOf(s.counterMode) + 1) % COUNTER_MODES.length] ?? 'rate' };
    case 'focus': return { ...s, focus: a.pane, detail: false };
    case 'focusNext': {
      const i = PANES.indexOf(s.focus);
      return { ...s, focus: PANES[(i + a.delta + PANES.length) % PANES.length] ?? 'connections', detail: false };
    }
    case 'move': return moveCursor(s, ctx, (i) => i + a.by);
    case 'page': return moveCursor(s, ctx, (i, _n, page) => i + a.by * page);
    case 'home': return moveCursor(s, ctx, () => 0);
    case 'end': return moveCursor(s, ctx, (_i, n) => n - 1);
    case 'toggleDetail': return { ...s, detail: !s.detail, help: false };
    case 'escape':
      if (s.help) return { ...s, help: false };
      if (s.detail) return { ...s, detail: false };
      if (s.editingFilter || s.filter !== '') return { ...s, filter: '', editingFilter: false };
      if (s.zoom) return { ...s, zoom: false };
      return s;
    case 'interval': return { ...s, intervalMs: a.ms };
    case 'notice': return { ...s, notice: a.text };
  }
}

// --- data frames ---------------------------------------------------------------------------

export type RowStatus = 'new' | 'changed' | 'closed' | null;

export interface ConnRow {
  key: string;
  sock: InetSocket;
  status: RowStatus;
  /** For 'changed': the state before. */
  fromState: number | null;
}

export type EventKind = 'open' | 'close' | 'state' | 'route+' | 'route-' | 'reset';

export interface DashEvent {
  time: number;
  kind: EventKind;
  sock?: InetSocket;
  from?: number;
  to?: number;
  text?: string;
}

/** Everything the views show for one sample. Immutable once built, so pausing is keeping one. */
export interface Frame {
  sample: Sample | null;
  conns: readonly ConnRow[];
  events: readonly DashEvent[];
  routeAdded: ReadonlySet<string>;
  ingestedAt: number | null;
}

const EMPTY_FRAME: Frame = { sample: null, conns: [], events: [], routeAdded: new Set(), ingestedAt: null };

/** Closed connections stay listed this long (sample time), and at least for the tick they closed. */
export const LINGER_MS = 5000;
/** New and changed rows are flagged this long, and at least for the tick it happened. */
export const FLAG_MS = 3000;
export const MAX_EVENTS = 500;

// --- rows as views get them ------------------------------------------------------------------

export interface Cell {
  text: string;
  /** Worth the eye: nonzero error/drop delta, a moving retransmit ratio, a state change. */
  hot?: boolean;
  dim?: boolean;
}

export interface ViewRow {
  key: string;
  /** Printable (control characters escaped), cut to the width; tags NOT escaped yet. */
  text: string;
  cells: readonly Cell[];
  status: RowStatus;
  selected: boolean;
  dim: boolean;
}

export interface PaneRows {
  /** Column header (printable, cut to width), or '' when the pane has none. */
  header: string;
  rows: ViewRow[];
  /** Rows after filtering, of which `rows` is the window. */
  total: number;
  offset: number;
  /** Shown instead of rows when there is nothing to list. */
  message: string | null;
}

export interface SummaryItem {
  label: string;
  count: number;
  change: number | null;
}

export interface StatusInfo {
  host: string;
  kernel: string;
  intervalMs: number;
  paused: boolean;
  /** 'since start 1m02s' / 'since mark 12s' / 'since reboot …'. */
  since: string;
  time: string;
  warnings: string[];
  notice: string | null;
  ended: boolean;
  seq: number;
}

// Problem counters the counters pane lists (those present in the sample), in this order.
export const PROBLEM_COUNTERS: readonly string[] = [
  'Tcp.RetransSegs', 'Tcp.InErrs', 'Tcp.InCsumErrors', 'Tcp.AttemptFails', 'Tcp.EstabResets', 'Tcp.OutRsts',
  'TcpExt.ListenOverflows', 'TcpExt.ListenDrops', 'TcpExt.TCPTimeouts', 'TcpExt.TCPSynRetrans',
  'TcpExt.TCPLostRetransmit', 'TcpExt.TCPFastRetrans', 'TcpExt.TCPSlowStartRetrans', 'TcpExt.TCPRetransFail',
  'TcpExt.TCPAbortOnTimeout', 'TcpExt.TCPAbortOnMemory', 'TcpExt.TCPAbortOnData', 'TcpExt.TCPAbortOnClose',
  'TcpExt.TCPAbortOnLinger', 'TcpExt.TCPAbortFailed', 'TcpExt.TCPBacklogDrop', 'TcpExt.TCPRcvQDrop',
  'TcpExt.TCPZeroWindowDrop', 'TcpExt.TCPOFODrop', 'TcpExt.PruneCalled', 'TcpExt.RcvPruned', 'TcpExt.OfoPruned',
  'TcpExt.TCPMemoryPressures', 'TcpExt.TCPReqQFullDrop', 'TcpExt.TCPReqQFullDoCookies', 'TcpExt.SyncookiesSent',
  'TcpExt.SyncookiesFailed', 'TcpExt.TCPSACKReneging', 'TcpExt.TCPDSACKUndo', 'TcpExt.TCPSpuriousRTOs',
  'TcpExt.LockDroppedIcmps', 'TcpExt.TCPMD5Failure',
  'Ip.InHdrErrors', 'Ip.InAddrErrors', 'Ip.InUnknownProtos', 'Ip.InDiscards', 'Ip.OutDiscards', 'Ip.OutNoRoutes',
  'Ip.ReasmFails', 'Ip.FragFails', 'Ip.ReasmTimeout',
  'Icmp.InErrors', 'Icmp.OutErrors', 'Icmp.InCsumErrors',
  'Udp.InErrors', 'Udp.NoPorts', 'Udp.RcvbufErrors', 'Udp.SndbufErrors', 'Udp.InCsumErrors', 'Udp.MemErrors',
  'UdpLite.InErrors',
  'Ip6.InHdrErrors', 'Ip6.InAddrErrors', 'Ip6.InDiscards', 'Ip6.OutDiscards', 'Ip6.OutNoRoutes', 'Ip6.ReasmFails',
  'Udp6.InErrors', 'Udp6.NoPorts', 'Udp6.RcvbufErrors', 'Udp6.SndbufErrors', 'Udp6.InCsumErrors', 'Udp6.MemErrors',
  'Icmp6.InErrors', 'Icmp6.OutErrors',
];
export const RETRANS_KEY = 'derived.tcp.retransPct';

/** Short TCP state names for the summary line (ss's spelling). */
const SHORT_STATE: Readonly<Record<string, string>> = {
  ESTABLISHED: 'ESTAB', SYN_SENT: 'SYN-SENT', SYN_RECV: 'SYN-RECV', FIN_WAIT1: 'FIN-WAIT-1', FIN_WAIT2: 'FIN-WAIT-2',
  TIME_WAIT: 'TIME-WAIT', CLOSE: 'CLOSE', CLOSE_WAIT: 'CLOSE-WAIT', LAST_ACK: 'LAST-ACK', LISTEN: 'LISTEN', CLOSING: 'CLOSING',
};

// --- column layout -------------------------------------------------------------------------------

interface Col<T> {
  title: string;
  width: number;
  align: 'left' | 'right';
  /** Value already printable. */
  value: (row: T) => string;
  hot?: (row: T) => boolean;
}

function pad(s: string, n: number, align: 'left' | 'right'): string {
  if (s.length > n) return s.slice(0, n);
  return align === 'left' ? s.padEnd(n) : s.padStart(n);
}

function layoutRow<T>(cols: readonly Col<T>[], row: T, width: number): { text: string; cells: Cell[] } {
  const cells: Cell[] = [];
  let text = '';
  for (let i = 0; i < cols.length && text.length < width; i++) {
    const c = cols[i];
    if (!c) continue;
    // The last left-aligned column takes the rest of the line (paths, program names).
    const rest = i === cols.length - 1 && c.align === 'left';
    let t = (i > 0 ? ' ' : '') + (rest ? c.value(row) : pad(c.value(row), c.width, c.align));
    if (text.length + t.length > width) t = t.slice(0, width - text.length);
    text += t;
    const cell: Cell = { text: t };
    if (c.hot?.(row)) cell.hot = true;
    cells.push(cell);
  }
  return { text, cells };
}

function layoutHeader<T>(cols: readonly Col<T>[], width: number): string {
  const h = cols.map((c, i) => (i > 0 ? ' ' : '') + (i === cols.length - 1 && c.align === 'left' ? c.title : pad(c.title, c.width, c.align))).join('');
  return h.trimEnd().slice(0, width);
}

/** Endpoint text cut to w, keeping the port: the port tells more than the host's tail. */
function fitEndpoint(ep: string, w: number): string {
  if (ep.length <= w) return ep;
  const c = ep.lastIndexOf(':');
  const port = c >= 0 ? ep.slice(c) : '';
  const hostW = w - port.length - 1;
  return hostW < 2 ? ep.slice(0, w) : ep.slice(0, hostW) + '…' + port;
}

const USER_HZ = 100;

function timerShort(s: InetSocket): string {
  const t = s.timer;
  const names = ['off', 'on', 'keepalive', 'timewait', 'probe'];
  const name = names[t.kind] ?? `unkn-${t.kind}`;
  return t.kind === 0 ? name : `${name} ${(t.expires / USER_HZ).toFixed(2)}`;
}

function protoGroup(p: InetSocket['proto']): ProtoToggle {
  return p.startsWith('tcp') ? 'tcp' : p.startsWith('raw') ? 'raw' : 'udp';
}

function serviceProto(p: InetSocket['proto']): string {
  return p.startsWith('tcp') ? 'tcp' : p.startsWith('raw') ? 'raw' : 'udp';
}

function cmp(a: number | string, b: number | string): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return naturalCompare(String(a), String(b));
}

// --- the store -------------------------------------------------------------------------------------

export interface StoreOptions {
  names: NameContext;
  host?: { name: string; kernel: string };
}

type Listener = () => void;

interface ListCache {
  sig: string;
  frame: Frame;
  keys: string[];
  index: Map<string, number>;
  items: unknown[];
}

export class Store {
  private ui: UiState;
  private live: Frame = EMPTY_FRAME;
  private frozen: Frame | null = null;
  private readonly listeners = new Set<Listener>();
  private readonly names: NameContext;
  private host: { name: string; kernel: string };
  private ended = false;
  private readonly heights = new Map<PaneId, number>();
  private readonly cache = new Map<PaneId, ListCache>();
  // Row flags by connection key: when it opened/changed (sample mono) and from which state.
  private readonly opened = new Map<string, number>();
  private readonly changed = new Map<string, { at: number; from: number }>();
  private readonly linger = new Map<string, { sock: InetSocket; at: number }>();
  private prevConns: ReadonlyMap<string, InetSocket> | null = null;
  private noticeSeq = 0;
  private readonly ctx: ReduceContext = {
    keys: (p) => this.list(p).keys,
    height: (p) => this.heights.get(p) ?? 10,
  };

  constructor(opts: Options, storeOpts: StoreOptions) {
    this.ui = initialState(opts);
    this.names = storeOpts.names;
    this.host = storeOpts.host ?? { name: '', kernel: '' };
  }

  get state(): UiState {
    return this.ui;
  }

  /** The frame on screen: the frozen one while paused, else the latest. */
  get frame(): Frame {
    return this.frozen ?? this.live;
  }

  /** The latest frame, even while paused. */
  get latest(): Frame {
    return this.live;
  }

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => { this.listeners.delete(fn); };
  }

  private emit(): void {
    for (const fn of this.listeners) fn();
  }

  setHost(host: { name: string; kernel: string }): void {
    this.host = host;
    this.emit();
  }

  /** The sample source ran out (replay finished). */
  sourceEnded(): void {
    this.ended = true;
    this.emit();
  }

  /** Let views redraw when something outside the store changed (a host name resolved). */
  touch(): void {
    this.cache.clear();
    this.emit();
  }

  dispatch(action: Action): void {
    const next = reduce(this.ui, action, this.ctx);
    if (next === this.ui) return;
    if (action.type === 'notice') this.noticeSeq = this.live.sample?.seq ?? 0;
    if (next.paused !== this.ui.paused) this.frozen = next.paused ? this.live : null;
    this.ui = next;
    this.emit();
  }

  /** A new sample: update churn tracking and build the next frame. Sampling goes on while paused. */
  ingest(sample: Sample): void {
    const mono = sample.mono;
    const churn = sample.churn;
    const events: DashEvent[] = [];
    const prev = this.prevConns;
    for (const k of churn.opened) {
      this.opened.set(k, mono);
      this.linger.delete(k);
      const sock = sample.connections.get(k);
      if (sock) events.push({ time: sample.time, kind: 'open', sock });
    }
    for (const c of churn.changed) {
      this.changed.set(c.key, { at: mono, from: c.from });
      events.push({ time: sample.time, kind: 'state', sock: c.socket, from: c.from, to: c.to });
    }
    for (const k of churn.closed) {
      const sock = prev?.get(k);
      this.opened.delete(k);
      this.changed.delete(k);
      if (sock) {
        this.linger.set(k, { sock, at: mono });
        events.push({ time: sample.time, kind: 'close', sock });
      }
    }
    for (const r of sample.routes.added) events.push({ time: sample.time, kind: 'route+', text: r });
    for (const r of sample.routes.removed) events.push({ time: sample.time, kind: 'route-', text: r });
    if (sample.mark.reason === 'reboot' && sample.mark.at === mono) events.push({ time: sample.time, kind: 'reset', text: 'host rebooted: counters restart' });

    const fresh = (at: number, ms: number): boolean => at === mono || mono - at < ms;
    for (const [k, at] of this.opened) if (!fresh(at, FLAG_MS) || !sample.connections.has(k)) this.opened.delete(k);
    for (const [k, c] of this.changed) if (!fresh(c.at, FLAG_MS) || !sample.connections.has(k)) this.changed.delete(k);
    for (const [k, l] of this.linger) if (!fresh(l.at, LINGER_MS) || sample.connections.has(k)) this.linger.delete(k);

    const conns: ConnRow[] = [];
    for (const [key, sock] of sample.connections) {
      const ch = this.changed.get(key);
      const status: RowStatus = ch ? 'changed' : this.opened.has(key) ? 'new' : null;
      conns.push({ key, sock, status, fromState: ch ? ch.from : null });
    }
    for (const [key, l] of this.linger) conns.push({ key, sock: l.sock, status: 'closed', fromState: null });

    const routeAdded = new Set(sample.routes.added);
    const allEvents = events.length === 0 ? this.live.events
      : [...events.reverse(), ...this.live.events].slice(0, MAX_EVENTS);
    this.prevConns = sample.connections;
    // A notice (mark set, interval changed) stays for two samples.
    if (this.ui.notice !== null && sample.seq - this.noticeSeq >= 2) this.ui = { ...this.ui, notice: null };
    this.live = { sample, conns, events: allEvents, routeAdded, ingestedAt: mono };
    this.emit();
  }

  // --- selectors -------------------------------------------------------------------------------

  private connOptions(): ConnOptions {
    const s = this.ui;
    return {
      all: s.scope === 'all', listening: s.scope === 'listening',
      numericHosts: s.numeric, numericPorts: s.numeric, numericUsers: s.numeric,
      extend: s.extended ? 1 : 0, programs: s.programs, timers: s.timers, wide: true,
    };
  }

  private owners(frame: Frame = this.frame): ReadonlyMap<number, ProcessOwner> | null {
    return frame.sample?.snapshot.owners?.owners ?? null;
  }

  private namesFor(frame: Frame): NameContext {
    return { ...this.names, owners: this.owners(frame) };
  }

  private endpointText(addr: string, port: number, proto: InetSocket['proto'], names: NameContext): string {
    return printable(endpoint(addr, port, serviceProto(proto), names, this.connOptions()));
  }

  /** Lowercase text a '/' filter is matched against; built only while a filter is set. */
  private connHaystack(r: ConnRow, names: NameContext): string {
    const s = r.sock;
    const sp = serviceProto(s.proto);
    const svc = (p: number): string => serviceName(names.services, p, sp, false);
    const host = (a: string): string => names.hostName(unmapV4(a)) ?? '';
    return [s.proto, `${unmapV4(s.localAddr)}:${s.localPort}`, `${unmapV4(s.remoteAddr)}:${s.remotePort}`,
      `${host(s.localAddr)}:${svc(s.localPort)}`, `${host(s.remoteAddr)}:${svc(s.remotePort)}`,
      stateName(s), ownerLabel(names.owners, s.inode), String(s.inode)].join(' ').toLowerCase();
  }

  private signature(pane: PaneId): string {
    const s = this.ui;
    const sort = s.sort[pane];
    return [pane, s.filter, sort.col, sort.reverse, s.proto.tcp, s.proto.udp, s.proto.raw, s.proto.unix,
      s.family.v4, s.family.v6, s.scope, s.numeric, s.extended, s.counterMode].join('|');
  }

  /** The filtered, sorted rows of a pane (keys and items), cached per frame and filter. */
  private list(pane: PaneId): ListCache {
    const frame = this.frame;
    const sig = this.signature(pane);
    const hit = this.cache.get(pane);
    if (hit && hit.frame === frame && hit.sig === sig) return hit;
    const { keys, items } = this.buildList(pane, frame);
    const index = new Map<string, number>();
    keys.forEach((k, i) => index.set(k, i));
    const entry: ListCache = { sig, frame, keys, index, items };
    this.cache.set(pane, entry);
    return entry;
  }

  private buildList(pane: PaneId, frame: Frame): { keys: string[]; items: unknown[] } {
    const s = this.ui;
    const needle = s.filter.toLowerCase();
    const sample = frame.sample;
    const sort = s.sort[pane];
    const dir = sort.reverse ? -1 : 1;
    const names = this.namesFor(frame);
    switch (pane) {
      case 'connections': {
        const opts = this.connOptions();
        let rows = frame.conns.filter((r) => {
          const k = r.sock;
          if (!s.proto[protoGroup(k.proto)]) return false;
          if (k.family === 4 ? !s.family.v4 : !s.family.v6) return false;
          return inetVisible(k, opts);
        });
        if (needle) rows = rows.filter((r) => this.connHaystack(r, names).includes(needle));
        const col = SORT_COLUMNS.connections[sort.col] ?? 'proto';
        const by = (r: ConnRow): (number | string)[] => {
          const k = r.sock;
          switch (col) {
            case 'local': return [k.localAddr, k.localPort];
            case 'remote': return [k.remoteAddr, k.remotePort];
            case 'state': return [stateName(k)];
            case 'recv-q': return [k.recvQ];
            case 'send-q': return [k.sendQ];
            case 'program': return [ownerLabel(names.owners, k.inode)];
            case 'user': return [k.uid];
            case 'inode': return [k.inode];
            default: return [k.proto];
          }
        };
        // Ties are broken by identity, so the order is the same every tick whatever the kernel's.
        const keyed = rows.map((r) => ({ r, v: by(r) }));
        keyed.sort((a, b) => {
          for (let i = 0; i < a.v.length; i++) {
            const c = cmp(a.v[i] ?? '', b.v[i] ?? '');
            if (c !== 0) return c * dir;
          }
          const t = cmp(a.r.sock.localPort, b.r.sock.localPort) || naturalCompare(a.r.key, b.r.key);
          return t * dir;
        });
        return { keys: keyed.map((x) => x.r.key), items: keyed.map((x) => x.r) };
      }
      case 'interfaces': {
        const ifs = sample?.snapshot.interfaces?.ok ? sample.snapshot.interfaces.value : [];
        let list = needle ? ifs.filter((i) => i.name.toLowerCase().includes(needle)) : [...ifs];
        const stat = (n: string, c: string): number => sample?.stats.get(`if.${n}.${c}`)?.rate ?? -1;
        const col = SORT_COLUMNS.interfaces[sort.col] ?? 'name';
        const val = (n: string): number => col === 'rx' ? stat(n, 'rxBytes') : col === 'tx' ? stat(n, 'txBytes')
          : ['rxErrs', 'rxDrop', 'rxFifo', 'txErrs', 'txDrop', 'txFifo'].reduce((a, c) => a + (sample?.stats.get(`if.${n}.${c}`)?.delta ?? 0), 0);
        list = list.sort((a, b) => {
          if (col === 'name') return naturalCompare(a.name, b.name) * dir;
          return (val(b.name) - val(a.name)) * dir || naturalCompare(a.name, b.name);
        });
        return { keys: list.map((i) => i.name), items: list };
      }
      case 'counters': {
        if (!sample) return { keys: [], items: [] };
        let keys: string[] = [];
        if (sample.stats.has('Tcp.RetransSegs') && sample.stats.has('Tcp.OutSegs')) keys.push(RETRANS_KEY);
        // Counters that never moved are noise: listed only with e (extended).
        for (const k of PROBLEM_COUNTERS) {
          const st = sample.stats.get(k);
          if (st && (s.extended || st.total !== 0 || (st.delta ?? 0) !== 0)) keys.push(k);
        }
        if (needle) keys = keys.filter((k) => k.toLowerCase().includes(needle));
        const col = SORT_COLUMNS.counters[sort.col] ?? 'activity';
        const order = new Map(keys.map((k, i) => [k, i]));
        const pos = (k: string): number => order.get(k) ?? 0;
        const st = (k: string): CounterStat | undefined => sample.stats.get(k === RETRANS_KEY ? 'Tcp.RetransSegs' : k);
        const v = (k: string): number => {
          const x = st(k);
          if (col === 'delta') return x?.delta ?? -1;
          if (col === 'total') return k === RETRANS_KEY ? Infinity : x?.total ?? -1;
          // activity: moving counters first (by delta), the retransmit ratio always on top.
          return k === RETRANS_KEY ? Infinity : x?.delta ?? 0;
        };
        keys.sort((a, b) => (col === 'name' ? pos(a) - pos(b) : v(b) - v(a) || pos(a) - pos(b)) * dir);
        return { keys, items: keys };
      }
      case 'routes': {
        if (!sample) return { keys: [], items: [] };
        const items: { key: string; text: string[] }[] = [];
        const snap = sample.snapshot;
        if (snap.routes4?.ok) for (const r of snap.routes4.value) {
          items.push({ key: route4Key(r), text: [r.destination, r.gateway, r.mask, routeFlags(r.flags), String(r.metric), r.iface] });
        }
        if (snap.routes6?.ok) for (const r of snap.routes6.value) {
          items.push({ key: route6Key(r), text: [`${r.destination}/${r.destPrefix}`, r.nextHop, '', routeFlags(r.flags), String(r.metric), r.iface] });
        }
        const out = needle ? items.filter((i) => i.text.join(' ').toLowerCase().includes(needle)) : items;
        if (sort.reverse) out.reverse();
        return { keys: out.map((i) => i.key), items: out };
      }
      case 'unix': {
        const socks = sample?.snapshot.unix?.ok ? sample.snapshot.unix.value : [];
        if (!s.proto.unix) return { keys: [], items: [] };
        const opts = this.connOptions();
        let list = socks.filter((u) => unixVisible(u, opts));
        if (needle) list = list.filter((u) => `${u.path ?? ''} ${u.inode} ${unixStateName(u)} ${unixTypeName(u.type)} ${ownerLabel(names.owners, u.inode)}`.toLowerCase().includes(needle));
        const col = SORT_COLUMNS.unix[sort.col] ?? 'inode';
        const v = (u: UnixSocket): number | string => col === 'path' ? u.path ?? '' : col === 'state' ? unixStateName(u) : col === 'type' ? u.type : u.inode;
        list.sort((a, b) => (cmp(v(a), v(b)) || a.inode - b.inode) * dir);
        const keys: string[] = [];
        const seen = new Map<string, number>();
        for (const u of list) {
          const base = `unix|${u.inode}`;
          const n = seen.get(base) ?? 0;
          seen.set(base, n + 1);
          keys.push(n === 0 ? base : `${base}|${n}`);
        }
        return { keys, items: list };
      }
      case 'events': {
        let evs = [...frame.events];
        if (needle) evs = evs.filter((e) => this.eventText(e, names).toLowerCase().includes(needle));
        if (sort.reverse) evs.reverse();
        return { keys: evs.map((e, i) => `${e.time}|${e.kind}|${i}`), items: evs };
      }
      case 'conntrack': {
        const ct = sample?.snapshot.conntrack?.ok ? sample.snapshot.conntrack.value : [];
        const text = ct.map((e) => `${e.proto} ${e.state ?? ''} ${e.src}:${e.sport ?? ''} ${e.dst}:${e.dport ?? ''} ${e.replySrc}:${e.replySport ?? ''}`);
        let idx = ct.map((_e, i) => i);
        if (needle) idx = idx.filter((i) => (text[i] ?? '').toLowerCase().includes(needle));
        const col = SORT_COLUMNS.conntrack[sort.col] ?? 'table';
        if (col !== 'table') {
          const v = (i: number): string => { const e = ct[i]; return !e ? '' : col === 'proto' ? e.proto : col === 'src' ? e.src : e.dst; };
          idx.sort((a, b) => naturalCompare(v(a), v(b)) || a - b);
        }
        if (sort.reverse) idx.reverse();
        return { keys: idx.map((i) => `ct|${i}|${text[i] ?? ''}`), items: idx.map((i) => ct[i]) };
      }
    }
  }

  /** Number of rows a pane would list (after filters). */
  count(pane: PaneId): number {
    return this.list(pane).keys.length;
  }

  /** The cursor's row index in a pane, resolved against the current rows: the same identity
   *  if it is still listed, else the row now at its last position. */
  cursorIndex(pane: PaneId): number {
    const l = this.list(pane);
    if (l.keys.length === 0) return -1;
    const cur = this.ui.cursor[pane];
    let idx = cur.key === null ? -1 : l.index.get(cur.key) ?? -1;
    if (idx < 0) idx = Math.min(Math.max(cur.index, 0), l.keys.length - 1);
    const key = l.keys[idx] ?? null;
    if (key !== cur.key || idx !== cur.index) {
      // Resolution is bookkeeping, not a user action: no emit, no new render.
      this.ui = { ...this.ui, cursor: { ...this.ui.cursor, [pane]: { key, index: idx } } };
    }
    return idx;
  }

  /** The key under the cursor of a pane. */
  cursorKey(pane: PaneId): string | null {
    const i = this.cursorIndex(pane);
    return i < 0 ? null : this.list(pane).keys[i] ?? null;
  }

  /** The rows a pane of `height` rows (below its header) and `width` columns shows: formatted
   *  here and only here, window kept around the cursor. */
  visibleRows(pane: PaneId, height: number, width = 80): PaneRows {
    const h = Math.max(0, Math.floor(height));
    const w = Math.max(0, Math.floor(width));
    this.heights.set(pane, h);
    const l = this.list(pane);
    const n = l.keys.length;
    const cur = this.cursorIndex(pane);
    let off = this.ui.scroll[pane];
    if (cur >= 0 && h > 0) {
      if (cur < off) off = cur;
      if (cur >= off + h) off = cur - h + 1;
    }
    off = Math.max(0, Math.min(off, Math.max(0, n - h)));
    if (off !== this.ui.scroll[pane]) this.ui = { ...this.ui, scroll: { ...this.ui.scroll, [pane]: off } };
    const fmt = this.formatter(pane, w);
    const rows: ViewRow[] = [];
    for (let i = off; i < Math.min(n, off + h); i++) {
      const key = l.keys[i];
      if (key === undefined) continue;
      const r = fmt.row(l.items[i], key);
      rows.push({ ...r, key, selected: i === cur && pane === this.ui.focus });
    }
    return { header: fmt.header, rows, total: n, offset: off, message: n === 0 ? this.emptyMessage(pane) : null };
  }

  visibleConnections(height: number, width = 80): PaneRows {
    return this.visibleRows('connections', height, width);
  }

  private emptyMessage(pane: PaneId): string {
    const s = this.ui;
    const sample = this.frame.sample;
    if (!sample) return 'waiting for the first sample…';
    const snap = sample.snapshot;
    const filtered = s.filter ? ` matching "${printable(s.filter)}"` : '';
    switch (pane) {
      case 'connections':
        if (!s.proto.tcp && !s.proto.udp && !s.proto.raw) return 'no protocol selected (t u w)';
        if (!s.family.v4 && !s.family.v6) return 'no address family selected (4 6)';
        return `no ${s.scope === 'listening' ? 'listening ' : s.scope === 'connected' ? 'connected ' : ''}sockets${filtered}`
          + (s.scope === 'connected' ? ' (l: listening, a: all)' : '');
      case 'interfaces': return snap.interfaces && !snap.interfaces.ok ? snap.interfaces.error : `no interfaces${filtered}`;
      case 'counters': return snap.counters ? `no problem counter has counted anything${filtered} (e: list all)` : 'counters not sampled';
      case 'routes':
        if (snap.routes4 && !snap.routes4.ok) return snap.routes4.error;
        return snap.routes4 || snap.routes6 ? `no routes${filtered}` : 'routes not sampled';
      case 'unix':
        if (!s.proto.unix) return 'UNIX sockets hidden (x to show)';
        if (snap.unix && !snap.unix.ok) return snap.unix.error;
        return snap.unix ? `no UNIX sockets${filtered}` : 'UNIX sockets not sampled';
      case 'events': return `no events yet${filtered}`;
      case 'conntrack':
        if (snap.conntrack && !snap.conntrack.ok) return snap.conntrack.error;
        return snap.conntrack ? `no conntrack entries${filtered}` : 'conntrack not sampled (start with -M)';
    }
  }

  private formatter(pane: PaneId, width: number): { header: string; row: (item: unknown, key: string) => Omit<ViewRow, 'key' | 'selected'> } {
    const frame = this.frame;
    const sample = frame.sample;
    const names = this.namesFor(frame);
    const s = this.ui;
    const plain = (text: string, status: RowStatus = null, dim = false): Omit<ViewRow, 'key' | 'selected'> => {
      const t = text.slice(0, width);
      return { text: t, cells: [{ text: t }], status, dim };
    };
    switch (pane) {
      case 'connections': {
        const cols = this.connColumns(width, names);
        return {
          header: layoutHeader(cols, width),
          row: (item) => {
            const r = item as ConnRow;
            const { text, cells } = layoutRow(cols, r, width);
            return { text, cells, status: r.status, dim: r.status === 'closed' };
          },
        };
      }
      case 'interfaces': {
        const cols = this.ifColumns(width);
        return {
          header: layoutHeader(cols, width),
          row: (item) => {
            const i = item as import('../model.js').NetInterface;
            const { text, cells } = layoutRow(cols, i, width);
            const up = ((i.sys.flags ?? 1) & 1) === 1;
            const vanished = sample?.stats.get(`if.${i.name}.rxBytes`)?.reset === 'appeared';
            return { text, cells, status: vanished ? 'new' : null, dim: !up };
          },
        };
      }
      case 'counters': {
        const cols: Col<string>[] = [
          { title: 'Counter', width: 30, align: 'left', value: (k) => k === RETRANS_KEY ? 'TCP retransmitted %' : k },
          { title: 'Total', width: 10, align: 'right', value: (k) => k === RETRANS_KEY ? this.retransTotal() : compact(sample?.stats.get(k)?.total) },
          { title: 'Delta', width: 8, align: 'right', value: (k) => k === RETRANS_KEY ? this.retransNow() : compact(sample?.stats.get(k)?.delta) },
          { title: 'Rate/s', width: 8, align: 'right', value: (k) => k === RETRANS_KEY ? '' : compact(sample?.stats.get(k)?.rate, { rate: true }) },
          { title: sinceTitle(sample), width: 11, align: 'right', value: (k) => k === RETRANS_KEY ? '' : compact(sample?.stats.get(k)?.sinceMark) },
        ];
        const moving = (k: string): boolean => {
          const key = k === RETRANS_KEY ? 'Tcp.RetransSegs' : k;
          const d = sample?.stats.get(key)?.delta;
          return d !== null && d !== undefined && d > 0;
        };
        for (const c of cols) c.hot = moving;
        return {
          header: layoutHeader(cols, width),
          row: (item) => {
            const k = item as string;
            const { text, cells } = layoutRow(cols, k, width);
            return { text, cells, status: null, dim: !moving(k) && k !== RETRANS_KEY };
          },
        };
      }
      case 'routes': {
        const cols: Col<{ key: string; text: string[] }>[] = [
          { title: 'Destination', width: 22, align: 'left', value: (r) => printable(r.text[0] ?? '') },
          { title: 'Gateway', width: 16, align: 'left', value: (r) => printable(r.text[1] ?? '') },
          { title: 'Genmask', width: 15, align: 'left', value: (r) => printable(r.text[2] ?? '') },
          { title: 'Flags', width: 5, align: 'left', value: (r) => r.text[3] ?? '' },
          { title: 'Metric', width: 6, align: 'right', value: (r) => r.text[4] ?? '' },
          { title: 'Iface', width: 10, align: 'left', value: (r) => printable(r.text[5] ?? '') },
        ];
        return {
          header: layoutHeader(cols, width),
          row: (item) => {
            const r = item as { key: string; text: string[] };
            const { text, cells } = layoutRow(cols, r, width);
            return { text, cells, status: frame.routeAdded.has(r.key) ? 'new' : null, dim: false };
          },
        };
      }
      case 'unix': {
        const cols: Col<UnixSocket>[] = [
          { title: 'Type', width: 9, align: 'left', value: (u) => unixTypeName(u.type) },
          { title: 'State', width: 13, align: 'left', value: (u) => unixStateName(u) },
          { title: 'I-Node', width: 8, align: 'right', value: (u) => String(u.inode) },
        ];
        if (s.programs) cols.push({ title: 'PID/Program name', width: 19, align: 'left', value: (u) => printable(ownerLabel(names.owners, u.inode)) });
        cols.push({ title: 'Path', width: 1, align: 'left', value: (u) => printable(u.path ?? '') });
        return {
          header: layoutHeader(cols, width),
          row: (item) => {
            const { text, cells } = layoutRow(cols, item as UnixSocket, width);
            return { text, cells, status: null, dim: false };
          },
        };
      }
      case 'events':
        return {
          header: '',
          row: (item) => {
            const e = item as DashEvent;
            const status: RowStatus = e.kind === 'open' || e.kind === 'route+' ? 'new' : e.kind === 'state' ? 'changed' : 'closed';
            return plain(this.eventText(e, names), status);
          },
        };
      case 'conntrack':
        return {
          header: 'Proto State        Source                  Destination             Reply source',
          row: (item) => {
            const e = item as import('../model.js').ConntrackEntry;
            const ep = (a: string, p: number | null): string => printable(p === null ? a : `${a}:${p}`);
            return plain(`${pad(e.proto, 5, 'left')} ${pad(e.state ?? '', 12, 'left')} ${pad(ep(e.src, e.sport), 23, 'left')} ${pad(ep(e.dst, e.dport), 23, 'left')} ${ep(e.replySrc, e.replySport)}`);
          },
        };
    }
  }

  private connColumns(width: number, names: NameContext): Col<ConnRow>[] {
    const s = this.ui;
    const cols: Col<ConnRow>[] = [
      { title: ' Proto', width: 6, align: 'left', value: (r) => `${r.status === 'new' ? '+' : r.status === 'closed' ? '-' : r.status === 'changed' ? '~' : ' '}${r.sock.proto}` },
      { title: 'Recv-Q', width: 6, align: 'right', value: (r) => compact(r.sock.recvQ) },
      { title: 'Send-Q', width: 6, align: 'right', value: (r) => compact(r.sock.sendQ) },
    ];
    const tail: Col<ConnRow>[] = [{
      title: 'State', width: 11, align: 'left',
      value: (r) => (r.status === 'closed' ? 'closed' : stateName(r.sock)),
      hot: (r) => r.status === 'changed',
    }];
    if (s.extended) {
      tail.push({ title: 'User', width: 8, align: 'left', value: (r) => printable(s.numeric ? String(r.sock.uid) : names.users.get(r.sock.uid) ?? String(r.sock.uid)) });
      tail.push({ title: 'Inode', width: 8, align: 'right', value: (r) => String(r.sock.inode) });
    }
    if (s.programs) tail.push({ title: 'PID/Program name', width: 19, align: 'left', value: (r) => printable(ownerLabel(names.owners, r.sock.inode)) });
    if (s.timers) {
      tail.push({ title: 'Timer', width: 15, align: 'left', value: (r) => timerShort(r.sock) });
      tail.push({ title: 'Rtx', width: 3, align: 'right', value: (r) => String(r.sock.timer.retransmits), hot: (r) => r.sock.timer.retransmits > 0 });
    }
    const fixed = [...cols, ...tail].reduce((a, c) => a + c.width + 1, 0) + 1;
    const each = Math.max(12, Math.min(45, Math.floor((width - fixed) / 2)));
    const mid: Col<ConnRow>[] = [
      { title: 'Local Address', width: each, align: 'left', value: (r) => fitEndpoint(this.endpointText(r.sock.localAddr, r.sock.localPort, r.sock.proto, names), each) },
      { title: 'Foreign Address', width: each, align: 'left', value: (r) => fitEndpoint(this.endpointText(r.sock.remoteAddr, r.sock.remotePort, r.sock.proto, names), each) },
    ];
    return [...cols, ...mid, ...tail];
  }

  private ifColumns(width: number): Col<import('../model.js').NetInterface>[] {
    type I = import('../model.js').NetInterface;
    const sample = this.frame.sample;
    const mode = this.ui.counterMode;
    const st = (i: I, c: string): CounterStat | undefined => sample?.stats.get(`if.${i.name}.${c}`);
    const val = (i: I, c: string): string => {
      const x = st(i, c);
      return mode === 'rate' ? compact(x?.rate, { rate: true }) : mode === 'delta' ? compact(x?.delta) : compact(x?.total);
    };
    const bad = (c: string) => (i: I): boolean => (st(i, c)?.delta ?? 0) > 0;
    const num = (title: string, c: string, hot: boolean): Col<I> => {
      const col: Col<I> = { title, width: 6, align: 'right', value: (i) => val(i, c) };
      if (hot) col.hot = bad(c);
      return col;
    };
    // netstat's eight columns always; the name column as wide as the longest name (≤ 15).
    const ifs = sample?.snapshot.interfaces?.ok ? sample.snapshot.interfaces.value : [];
    const nameW = Math.max(5, Math.min(15, ...ifs.map((i) => printable(i.name).length)));
    const cols: Col<I>[] = [
      { title: 'Iface', width: nameW, align: 'left', value: (i) => printable(i.name) },
      num('RX-OK', 'rxPackets', false), num('RX-ERR', 'rxErrs', true), num('RX-DRP', 'rxDrop', true), num('RX-OVR', 'rxFifo', true),
      num('TX-OK', 'txPackets', false), num('TX-ERR', 'txErrs', true), num('TX-DRP', 'txDrop', true), num('TX-OVR', 'txFifo', true),
    ];
    const extra: Col<I>[] = [
      { title: 'RX-B/s', width: 6, align: 'right', value: (i) => bytes(st(i, 'rxBytes')?.rate) },
      { title: 'TX-B/s', width: 6, align: 'right', value: (i) => bytes(st(i, 'txBytes')?.rate) },
      { title: 'MTU', width: 5, align: 'right', value: (i) => (i.sys.mtu === undefined ? '-' : String(i.sys.mtu)) },
      { title: 'Flg', width: 6, align: 'left', value: (i) => { const f = effectiveFlags(i.sys); return f === undefined ? '-' : flagLetters(f); } },
    ];
    let used = cols.reduce((a, c) => a + c.width + 1, -1);
    for (const c of extra) {
      if (used + 1 + c.width > width) break;
      cols.push(c);
      used += 1 + c.width;
    }
    return cols;
  }

  private retransNow(): string {
    const st = this.frame.sample?.stats;
    const p = retransPct(st?.get('Tcp.RetransSegs')?.delta ?? null, st?.get('Tcp.OutSegs')?.delta ?? null);
    return p === null ? '-' : `${p.toFixed(2)}%`;
  }

  private retransTotal(): string {
    const st = this.frame.sample?.stats;
    const p = retransPct(st?.get('Tcp.RetransSegs')?.total ?? null, st?.get('Tcp.OutSegs')?.total ?? null);
    return p === null ? '-' : `${p.toFixed(2)}%`;
  }

  eventText(e: DashEvent, names: NameContext = this.namesFor(this.frame)): string {
    const t = clockTime(e.time);
    if (!e.sock) return printable(`${t} ${e.kind === 'route+' ? 'route added  ' : e.kind === 'route-' ? 'route removed' : e.kind} ${e.text ?? ''}`);
    const k = e.sock;
    const what = `${k.proto} ${this.endpointText(k.localAddr, k.localPort, k.proto, names)} ${this.endpointText(k.remoteAddr, k.remotePort, k.proto, names)}`;
    const prog = this.ui.programs ? ` ${printable(ownerLabel(names.owners, k.inode))}` : '';
    if (e.kind === 'open') return `${t} opened  ${what} ${stateName(k)}${prog}`;
    if (e.kind === 'close') return `${t} closed  ${what}${prog}`;
    const from = e.from === undefined ? '?' : stateName({ ...k, state: e.from });
    return `${t} state   ${what} ${from} → ${stateName(k)}${prog}`;
  }

  /** TCP states, UDP, RAW and UNIX counts with the change since the last tick (all sockets, unfiltered). */
  connectionSummary(): SummaryItem[] {
    const stats = this.frame.sample?.stats;
    if (!stats) return [];
    const items: SummaryItem[] = [];
    const add = (label: string, key: string): void => {
      const st = stats.get(key);
      if (st) items.push({ label, count: st.total, change: st.delta });
    };
    for (const name of TCP_STATES.slice(1, 12)) add(SHORT_STATE[name] ?? name, `gauge.tcp.${name}`);
    add('UDP', 'gauge.udp.sockets');
    add('RAW', 'gauge.raw.sockets');
    add('UNIX', 'gauge.unix.sockets');
    return items;
  }

  /** Summary items packed into lines of at most `width` characters: "ESTAB 12+1". */
  summaryLines(width: number): { text: string; items: { label: string; count: string; change: string }[] }[] {
    const lines: { text: string; items: { label: string; count: string; change: string }[] }[] = [];
    let cur: { text: string; items: { label: string; count: string; change: string }[] } = { text: '', items: [] };
    for (const it of this.connectionSummary()) {
      const piece = { label: it.label, count: String(it.count), change: change(it.change) };
      const len = piece.label.length + 1 + piece.count.length + piece.change.length;
      const sep = cur.items.length > 0 ? 2 : 0;
      if (cur.items.length > 0 && cur.text.length + sep + len > width) {
        lines.push(cur);
        cur = { text: '', items: [] };
      }
      cur.text += (cur.items.length > 0 ? '  ' : '') + `${piece.label} ${piece.count}${piece.change}`;
      cur.items.push(piece);
    }
    if (cur.items.length > 0) lines.push(cur);
    return lines;
  }

  status(): StatusInfo {
    const frame = this.frame;
    const sample = frame.sample;
    const warnings: string[] = [];
    const snap = sample?.snapshot;
    if (snap) {
      if (snap.owners?.denied) warnings.push('not root: process owners hidden');
      for (const r of Object.values(snap.inet)) if (r && !r.ok) warnings.push(r.error);
      for (const r of [snap.unix, snap.interfaces, snap.routes4, snap.routes6, snap.conntrack]) if (r && !r.ok) warnings.push(r.error);
      if (snap.counters) warnings.push(...snap.counters.errors);
    }
    let since = '';
    if (sample && sample.mark.at !== null) {
      const label = sample.mark.reason === 'start' ? 'since start' : sample.mark.reason === 'mark' ? 'since mark' : 'since reboot';
      since = `${label} ${duration(sample.mono - sample.mark.at)}`;
    }
    return {
      host: printable(this.host.name), kernel: printable(this.host.kernel), intervalMs: this.ui.intervalMs,
      paused: this.ui.paused, since, time: sample ? clockTime(sample.time) : '',
      warnings: [...new Set(warnings.filter((w) => !NORMAL_ABSENCE.test(w)).map(printable))],
      notice: this.ui.notice === null ? null : printable(this.ui.notice), ended: this.ended, seq: this.live.sample?.seq ?? 0,
    };
  }

  /** Lines describing the row under the focused pane's cursor (printable). */
  detailLines(): string[] {
    const pane = this.ui.focus;
    const l = this.list(pane);
    const idx = this.cursorIndex(pane);
    if (idx < 0) return ['nothing selected'];
    const item = l.items[idx];
    const frame = this.frame;
    const names = this.namesFor(frame);
    const sample = frame.sample;
    const out: string[] = [];
    switch (pane) {
      case 'connections': {
        const r = item as ConnRow;
        const k = r.sock;
        const sp = serviceProto(k.proto);
        out.push(`Protocol      ${k.proto} (IPv${k.family})`);
        out.push(`Local         ${unmapV4(k.localAddr)} port ${k.localPort} (${serviceName(names.services, k.localPort, sp, false)})`);
        out.push(`Foreign       ${unmapV4(k.remoteAddr)} port ${k.remotePort} (${serviceName(names.services, k.remotePort, sp, false)})`);
        const rh = names.hostName(unmapV4(k.remoteAddr));
        if (rh) out.push(`Foreign host  ${rh}`);
        out.push(`State         ${stateName(k)}${r.status ? `  [${r.status}${r.fromState !== null ? ` from ${stateName({ ...k, state: r.fromState })}` : ''}]` : ''}`);
        out.push(`Recv-Q        ${k.recvQ}`, `Send-Q        ${k.sendQ}`);
        out.push(`User          ${names.users.get(k.uid) ?? '?'} (uid ${k.uid})`, `Inode         ${k.inode}`);
        out.push(`Program       ${ownerLabel(names.owners, k.inode)}`);
        out.push(`Timer         ${timerShort(k)}  retransmits ${k.timer.retransmits}  probes ${k.timer.timeout}`);
        if (k.drops !== undefined) out.push(`Drops         ${k.drops}`);
        out.push(`Identity      ${r.key}`);
        break;
      }
      case 'interfaces': {
        const i = item as import('../model.js').NetInterface;
        const f = effectiveFlags(i.sys);
        out.push(`Interface     ${i.name}  index ${i.sys.ifindex ?? '?'}  MTU ${i.sys.mtu ?? '?'}  flags ${f === undefined ? '?' : flagLetters(f)}`);
        out.push(`State         ${i.sys.operstate ?? '?'}  speed ${i.sys.speed === undefined ? '?' : `${i.sys.speed} Mb/s`}  address ${i.sys.address ?? '?'}`);
        out.push(`${pad('counter', 14, 'left')}${pad('total', 14, 'right')}${pad('delta', 10, 'right')}${pad('rate/s', 11, 'right')}${pad(sinceTitle(sample), 13, 'right')}`);
        for (const c of Object.keys(i.counters)) {
          const st = sample?.stats.get(`if.${i.name}.${c}`);
          out.push(`${pad(c, 14, 'left')}${pad(String(st?.total ?? '-'), 14, 'right')}${pad(compact(st?.delta), 10, 'right')}${pad(compact(st?.rate, { rate: true }), 11, 'right')}${pad(compact(st?.sinceMark), 13, 'right')}${st?.reset && st.reset !== 'first' ? `  (${st.reset})` : ''}`);
        }
        break;
      }
      case 'counters': {
        const k = item as string;
        const st = sample?.stats.get(k === RETRANS_KEY ? 'Tcp.RetransSegs' : k);
        out.push(`Counter       ${k === RETRANS_KEY ? 'TCP retransmitted % (RetransSegs / OutSegs)' : k}`);
        if (k === RETRANS_KEY) out.push(`This tick     ${this.retransNow()}`, `Since boot    ${this.retransTotal()}`);
        if (st) out.push(`Total         ${st.total}`, `Delta         ${st.delta ?? '-'}`, `Rate/s        ${st.rate === null ? '-' : st.rate.toFixed(2)}`, `${pad(sinceTitle(sample), 14, 'left')}${st.sinceMark}`, `Reset         ${st.reset ?? 'no'}`);
        break;
      }
      case 'unix': {
        const u = item as UnixSocket;
        out.push(`Path          ${u.path ?? '(unbound)'}`, `Type          ${unixTypeName(u.type)}`, `State         ${unixStateName(u)}`,
          `Inode         ${u.inode}`, `RefCnt        ${u.refCount}`, `Flags         0x${u.flags.toString(16)}${u.flags & SO_ACCEPTCON ? ' (ACC)' : ''}`, `Program       ${ownerLabel(names.owners, u.inode)}`);
        break;
      }
      case 'routes': {
        const r = item as { key: string; text: string[] };
        out.push(`Route         ${r.key}`);
        break;
      }
      case 'events': out.push(this.eventText(item as DashEvent, names)); break;
      case 'conntrack': out.push(JSON.stringify(item)); break;
    }
    return out.map(printable);
  }
}

/** Files whose absence is normal (no UDP-Lite, IPv6 disabled): not worth a warning. */
const NORMAL_ABSENCE = /^\/proc\/net\/(udplite6?|tcp6|udp6|raw6|snmp6|ipv6_route): not available on this system$/;

function sinceTitle(sample: Sample | null | undefined): string {
  const r = sample?.mark.reason ?? 'start';
  return r === 'start' ? 'Since start' : r === 'mark' ? 'Since mark' : 'Since boot';
}

function routeFlags(f: number): string {
  let s = '';
  if (f & 0x1) s += 'U';
  if (f & 0x2) s += 'G';
  if (f & 0x200) s = '!';
  if (f & 0x4) s += 'H';
  if (f & 0x10) s += 'D';
  if (f & 0x20) s += 'M';
  return s;
}
