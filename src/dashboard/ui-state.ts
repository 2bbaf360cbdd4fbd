// The dashboard's UI state and its reducer: which pane has focus, filters, sort, cursors,
// pause and overlays. Pure: keys become actions, actions become a new state. The data the
// panes show lives in frames (frame.ts); the reducer only asks for a pane's row keys.
import type { DashboardOptions } from './dashboard-options.js';
import { chartNeedsOwners, chartNeedsTcpInfo, type ChartSpec } from './graphs.js';
import { PANES, paneTable, type PaneId } from './lists/registry.js';

// --- panes and UI state ------------------------------------------------------------------

export type { PaneId };
export { PANES };

/** Sortable columns per pane (PaneSpec.sortColumns); index 0 is the default. */
export const SORT_COLUMNS: Readonly<Record<PaneId, readonly string[]>> = paneTable((s) => s.sortColumns);
/** Each pane's title (PaneSpec.title). */
export const PANE_TITLES: Readonly<Record<PaneId, string>> = paneTable((s) => s.title);

export type Scope = 'connected' | 'listening' | 'all';
/** since: growth since the mark (or the start), the counters pane's last column. */
export type CounterMode = 'rate' | 'delta' | 'total' | 'since';
export type ProtoToggle = 'tcp' | 'udp' | 'raw' | 'unix';
export type Flag = 'numeric' | 'programs' | 'extended' | 'timers' | 'zoom' | 'help' | 'allCounters' | 'traffic';

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
  /** First line of the detail view shown (PgUp/PgDn scroll it while it is open). */
  readonly detailScroll: number;
  readonly proto: Readonly<Record<ProtoToggle, boolean>>;
  readonly family: { readonly v4: boolean; readonly v6: boolean };
  readonly scope: Scope;
  readonly numeric: boolean;
  readonly programs: boolean;
  readonly extended: boolean;
  readonly timers: boolean;
  /** Counters pane: every IP/TCP/UDP counter instead of only the problems that moved. */
  readonly allCounters: boolean;
  /** Connections pane: the TCP internals columns (Rx/s Tx/s Retr/s Retr RTT cwnd, from tcp_info). */
  readonly traffic: boolean;
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
  /** Charts pinned to the Graphs pane (c on a row), in the order pinned. */
  readonly pins: readonly ChartSpec[];
}

export type Action =
  | { type: 'togglePause' }
  | { type: 'toggleProto'; proto: ProtoToggle }
  | { type: 'unixSockets' }
  | { type: 'family'; family: 4 | 6 }
  | { type: 'cycleFamily' }
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
  /** Focus a pane sorted by one of its columns (descending), e.g. connections by retransmits. */
  | { type: 'sortBy'; pane: PaneId; col: string }
  | { type: 'focusNext'; delta: 1 | -1 }
  | { type: 'move'; by: number }
  | { type: 'page'; by: 1 | -1 }
  | { type: 'home' }
  | { type: 'end' }
  | { type: 'toggleDetail' }
  | { type: 'escape' }
  | { type: 'interval'; ms: number }
  | { type: 'notice'; text: string | null }
  | { type: 'pin'; chart: ChartSpec }
  | { type: 'unpin'; id: string }
  | { type: 'unpinAll' }
  | { type: 'select'; pane: PaneId; index: number | null }
  | { type: 'scroll'; by: 1 | -1; rows: number };

function perPane<T>(f: (p: PaneId) => T): Record<PaneId, T> {
  const out = {} as Record<PaneId, T>;
  for (const p of PANES) out[p] = f(p);
  return out;
}

/** The state `netdash [flags] [interval]` opens with: `netdash -tl 5` shows TCP listeners. */
export function initialState(o: DashboardOptions): UiState {
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
    paused: false,
    zoom: false,
    help: false,
    detail: false,
    detailScroll: 0,
    proto: protoGiven ? { tcp: o.tcp, udp: o.udp || o.udplite, raw: o.raw, unix: o.unix } : { tcp: true, udp: true, raw: true, unix: true },
    family: oneFamily ? { v4: o.inet4, v6: o.inet6 } : { v4: true, v6: true },
    scope: o.all ? 'all' : o.listening ? 'listening' : 'connected',
    numeric: o.numericHosts || o.numericPorts,
    programs: o.programs,
    extended: o.extend > 0,
    timers: o.timers,
    allCounters: false,
    traffic: false,
    filter: '',
    editingFilter: false,
    sort: perPane(() => ({ col: 0, reverse: false })),
    cursor: perPane(() => ({ key: null, index: 0 })),
    scroll: perPane(() => 0),
    counterMode: 'rate',
    intervalMs: (o.interval ?? 2) * 1000,
    notice: null,
    pins: [],
  };
}

/** Whether what is on screen needs tcp_info: the traffic columns, the Processes or Peers pane,
 *  or a pinned chart of a process or peer (pins are recorded whichever pane is shown). */
export function needsTcpInfo(s: UiState): boolean {
  return s.traffic || s.focus === 'processes' || s.focus === 'peers' || s.pins.some(chartNeedsTcpInfo);
}

/** Whether what is on screen reads process owners: the PID/Program column (-p, p), the
 *  Processes and Peers panes, a detail view (its Program line), the '/' filter (it matches
 *  owners) and the connections sorted by program. Nothing else does, so the owner scan (the
 *  dearest read under connection churn) runs only then. */
export function needsOwners(s: UiState): boolean {
  return (
    s.programs ||
    s.focus === 'processes' ||
    s.focus === 'peers' ||
    s.detail ||
    s.filter !== '' ||
    SORT_COLUMNS.connections[s.sort.connections.col] === 'program' ||
    s.pins.some(chartNeedsOwners)
  );
}

/** What the reducer may ask about the data: the row keys of a pane in display order. */
export interface ReduceContext {
  keys(pane: PaneId): readonly string[];
  /** Rows the pane (or the detail view) showed last time it was drawn (for PgUp/PgDn). */
  height(pane: PaneId | 'detail'): number;
}

const COUNTER_MODES: readonly CounterMode[] = ['rate', 'delta', 'total', 'since'];

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

/** PgDn/PgUp: the window scrolls by a page and the cursor with it. Moving only the cursor
 *  by (height - 1) rows put it on the last row already shown, so the first PgDn scrolled
 *  nothing. One row of the old page stays in view, as in less. */
function pageDown(s: UiState, ctx: ReduceContext, by: 1 | -1, rows?: number): UiState {
  const pane = s.focus;
  const h = ctx.height(pane);
  const step = rows ?? Math.max(1, h - 1);
  const moved = moveCursor(s, ctx, (i) => i + by * step);
  const maxOff = Math.max(0, ctx.keys(pane).length - h);
  const off = Math.min(maxOff, Math.max(0, s.scroll[pane] + by * step));
  return { ...moved, scroll: { ...moved.scroll, [pane]: off } };
}

/** The reducer: state + action → state. No data is changed here, only UI state. */
export function reduce(s: UiState, a: Action, ctx: ReduceContext): UiState {
  switch (a.type) {
    case 'togglePause':
      return { ...s, paused: !s.paused };
    case 'toggleProto': {
      // netstat's flags as toggles: with everything shown, u means "only UDP"; further keys
      // add or remove protocols; removing the last one shows everything again.
      const p = s.proto;
      const all = p.tcp && p.udp && p.raw && p.unix;
      let next = all ? { tcp: false, udp: false, raw: false, unix: false, [a.proto]: true } : { ...p, [a.proto]: !p[a.proto] };
      if (!next.tcp && !next.udp && !next.raw && !next.unix) next = { tcp: true, udp: true, raw: true, unix: true };
      return { ...s, proto: next };
    }
    case 'unixSockets': {
      // netstat -x: the UNIX sockets, which have their own pane (7); x there goes back to the
      // inet connections. Neither list is ever left empty by it.
      if (s.focus !== 'unix' || !s.proto.unix) return { ...s, focus: 'unix', detail: false, proto: { ...s.proto, unix: true } };
      const p = s.proto;
      const proto = p.tcp || p.udp || p.raw ? p : { ...p, tcp: true, udp: true, raw: true };
      return { ...s, focus: 'connections', detail: false, proto };
    }
    case 'family': {
      const only = a.family === 4 ? { v4: true, v6: false } : { v4: false, v6: true };
      const already = s.family.v4 === only.v4 && s.family.v6 === only.v6;
      return { ...s, family: already ? { v4: true, v6: true } : only };
    }
    case 'cycleFamily': {
      // both → IPv4 → IPv6 → both
      const f = s.family;
      const next = f.v4 && f.v6 ? { v4: true, v6: false } : f.v4 ? { v4: false, v6: true } : { v4: true, v6: true };
      return { ...s, family: next };
    }
    case 'scope':
      return { ...s, scope: s.scope === a.scope ? 'connected' : a.scope };
    case 'toggle':
      return a.flag === 'help' ? { ...s, help: !s.help, detailScroll: 0 } : { ...s, [a.flag]: !s[a.flag] };
    case 'filterStart':
      return { ...s, editingFilter: true, help: false };
    case 'filterInput':
      return { ...s, filter: s.filter + a.text };
    case 'filterBackspace':
      return { ...s, filter: s.filter.slice(0, -1) };
    case 'filterAccept':
      return { ...s, editingFilter: false };
    case 'filterClear':
      return { ...s, filter: '', editingFilter: false };
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
    case 'focus':
      return { ...s, focus: a.pane, detail: false };
    case 'sortBy': {
      const col = Math.max(0, SORT_COLUMNS[a.pane].indexOf(a.col));
      const cursor = { ...s.cursor, [a.pane]: { key: null, index: 0 } };
      const scroll = { ...s.scroll, [a.pane]: 0 };
      return {
        ...s,
        focus: a.pane,
        detail: false,
        traffic: a.pane === 'connections' ? true : s.traffic,
        sort: { ...s.sort, [a.pane]: { col, reverse: false } },
        cursor,
        scroll,
      };
    }
    case 'focusNext': {
      const i = PANES.indexOf(s.focus);
      return { ...s, focus: PANES[(i + a.delta + PANES.length) % PANES.length] ?? 'connections', detail: false };
    }
    case 'move':
      return { ...moveCursor(s, ctx, (i) => i + a.by), detailScroll: 0 };
    case 'page':
      // With the detail view open, PgUp/PgDn scroll its text; the arrows still move rows.
      if (s.detail || s.help) return { ...s, detailScroll: Math.max(0, s.detailScroll + a.by * Math.max(1, ctx.height('detail') - 1)) };
      return pageDown(s, ctx, a.by);
    case 'home':
      return moveCursor(s, ctx, () => 0);
    case 'end':
      return moveCursor(s, ctx, (_i, n) => n - 1);
    case 'toggleDetail':
      return { ...s, detail: !s.detail, detailScroll: 0, help: false };
    case 'escape':
      if (s.help) return { ...s, help: false };
      if (s.detail) return { ...s, detail: false };
      if (s.editingFilter || s.filter !== '') return { ...s, filter: '', editingFilter: false };
      if (s.zoom) return { ...s, zoom: false };
      return s;
    case 'interval':
      return { ...s, intervalMs: a.ms };
    case 'notice':
      return { ...s, notice: a.text };
    case 'pin':
      return s.pins.some((c) => c.id === a.chart.id) ? s : { ...s, pins: [...s.pins, { ...a.chart, pinned: true }] };
    case 'unpin':
      return s.pins.some((c) => c.id === a.id) ? { ...s, pins: s.pins.filter((c) => c.id !== a.id) } : s;
    case 'scroll':
      return pageDown(s, ctx, a.by, a.rows);
    case 'select': {
      // A click: focus the pane, and put the cursor on the row clicked (null: the title).
      const focused = { ...s, focus: a.pane, detail: false };
      const keys = a.index === null ? [] : ctx.keys(a.pane);
      const key = a.index === null ? undefined : keys[a.index];
      return key === undefined ? focused : { ...focused, cursor: { ...s.cursor, [a.pane]: { key, index: a.index } } };
    }
    case 'unpinAll':
      return s.pins.length === 0 ? s : { ...s, pins: [] };
  }
}
