// The dashboard's one source of truth: the latest frame (or the frozen one while paused)
// plus the UI state. Pure: no blessed, no timers, no I/O. Keys become actions (dispatch),
// the sampler feeds samples (ingest), views ask for the rows they will actually draw: lists
// are built once per frame and filter, and only visible rows are formatted.
import type { DashboardOptions } from './dashboard-options.js';
import { TCP_STATES, type ConnOptions, type NameContext } from '../names/netstat-notation.js';
import { History, HISTORY_WINDOW_MS, MAX_SERIES } from '../sampler/history.js';
import type { FlowAggregate } from '../sampler/flow-aggregates.js';
import type { Sample } from '../sampler/sample-engine.js';
import type { PaneRows, ViewRow } from './columns.js';
import { printable } from './escape.js';
import { wrap } from './explain/index.js';
import { change, clockTime, duration } from './format.js';
import { EMPTY_FRAME, FrameBuilder, frozenFrame, type Frame } from './frame.js';
import { sameValues } from './same-values.js';
import {
  connectionChart,
  counterChart,
  defaultSeriesKeys,
  flowChart,
  icmpChart,
  interfaceChart,
  seriesValue,
  type ChartSpec,
} from './graphs.js';
import { endpointText } from './lists/connections.js';
import { PANE_SPECS } from './lists/registry.js';
import { eventText } from './lists/events.js';
import type { PaneContext } from './lists/pane-spec.js';
import { initialState, reduce, SORT_COLUMNS, type Action, type PaneId, type ReduceContext, type UiState } from './ui-state.js';

export * from './ui-state.js';
export type { Cell, PaneRows, ViewRow } from './columns.js';
export { FLAG_MS, LINGER_MS, MAX_EVENTS, type ConnRow, type DashEvent, type Frame, type RowStatus } from './frame.js';
export { PROBLEM_COUNTERS, RETRANS_KEY } from './lists/counters.js';

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
  /** Sources older than the sample ("owners 4s old"), when that matters on screen. */
  stale: string[];
  notice: string | null;
  ended: boolean;
  seq: number;
}

/** Short TCP state names for the summary line (ss's spelling). */
const SHORT_STATE: Readonly<Record<string, string>> = {
  ESTABLISHED: 'ESTAB',
  SYN_SENT: 'SYN-SENT',
  SYN_RECV: 'SYN-RECV',
  FIN_WAIT1: 'FIN-WAIT-1',
  FIN_WAIT2: 'FIN-WAIT-2',
  TIME_WAIT: 'TIME-WAIT',
  CLOSE: 'CLOSE',
  CLOSE_WAIT: 'CLOSE-WAIT',
  LAST_ACK: 'LAST-ACK',
  LISTEN: 'LISTEN',
  CLOSING: 'CLOSING',
};

/** Files whose absence is normal (no UDP-Lite, IPv6 disabled): not worth a warning. */
const NORMAL_ABSENCE = /^\/proc\/net\/(udplite6?|tcp6|udp6|raw6|snmp6|ipv6_route): not available on this system$/;

export interface StoreOptions {
  names: NameContext;
  host?: { name: string; kernel: string };
  /** How far back the graphs reach (default 15 minutes; Infinity: a replay, as much of the
   *  recording as the history's bound holds). */
  historyWindowMs?: number;
}

type Listener = () => void;

/** Series the history may hold before pins are refused (MAX_SERIES, less room for interfaces
 *  that appear later). */
const MAX_SERIES_GUARD = MAX_SERIES - 16;

interface ListCache {
  sig: string;
  /** The frame it was made or last kept for. */
  frame: Frame;
  keys: readonly string[];
  items: readonly unknown[];
  /** The pane's listInput when it was made (null: the pane has none). */
  input: readonly unknown[] | null;
  /** Where a key was last found (the cursor's, nearly always): checked before searching. */
  found: { key: string; index: number } | null;
}

export class Store {
  private ui: UiState;
  private live: Frame = EMPTY_FRAME;
  private frozen: Frame | null = null;
  private readonly builder = new FrameBuilder();
  private readonly listeners = new Set<Listener>();
  private readonly names: NameContext;
  private host: { name: string; kernel: string };
  private ended = false;
  private readonly heights = new Map<PaneId | 'detail', number>();
  private readonly cache = new Map<PaneId, ListCache>();
  private noticeSeq = 0;
  /** Counts touch(): names resolved since a pane's lines were made change them. */
  private namesEpoch = 0;
  /** Lists built from scratch and lists brought up to date from the last frame's. */
  readonly listStats = { built: 0, patched: 0, kept: 0 };
  private firstMono: number | null = null;
  /** The series the Graphs pane draws, recorded from every sample (paused or not). */
  readonly history: History;
  private readonly ctx: ReduceContext = {
    keys: (p) => this.list(p).keys,
    height: (p) => this.heights.get(p) ?? 10,
  };

  constructor(opts: DashboardOptions, storeOpts: StoreOptions) {
    this.ui = initialState(opts);
    this.names = storeOpts.names;
    this.host = storeOpts.host ?? { name: '', kernel: '' };
    this.history = new History(storeOpts.historyWindowMs ?? HISTORY_WINDOW_MS, this.ui.intervalMs);
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
    return () => {
      this.listeners.delete(fn);
    };
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
    this.namesEpoch++;
    this.cache.clear();
    this.emit();
  }

  dispatch(action: Action): void {
    const next = reduce(this.ui, action, this.ctx);
    if (next === this.ui) return;
    if (action.type === 'notice') this.noticeSeq = this.live.sample?.seq ?? 0;
    if (next.paused !== this.ui.paused) this.frozen = next.paused ? frozenFrame(this.live) : null;
    if (action.type === 'interval') this.history.setInterval(action.ms);
    if (action.type === 'pin') for (const s of action.chart.series) this.history.track(s.key);
    this.ui = next;
    this.emit();
  }

  /** A new sample: the next frame. Sampling goes on while paused; the screen keeps its frame. */
  ingest(sample: Sample): void {
    // A notice (mark set, interval changed) stays for two samples.
    if (this.ui.notice !== null && sample.seq - this.noticeSeq >= 2) this.ui = { ...this.ui, notice: null };
    this.firstMono ??= sample.mono;
    this.record(sample);
    const prevLive = this.live;
    this.live = this.builder.build(sample);
    // The list of a pane not listed since the previous frame keeps an older frame, and through
    // it an old sample with its socket table, alive until the pane is shown again: drop it (a
    // pane shown again lists afresh). Visible panes list every frame, so theirs stay.
    for (const [pane, c] of this.cache) if (c.frame !== prevLive && c.frame !== this.frame) this.cache.delete(pane);
    this.emit();
  }

  /** The sample's values of every recorded series: the default charts' (every interface's
   *  traffic) and the pins'. */
  private record(sample: Sample): void {
    const h = this.history;
    const wanted = new Set(defaultSeriesKeys(sample));
    for (const c of this.ui.pins) for (const s of c.series) wanted.add(s.key);
    // Series nothing asks for any more (an unpinned chart, an interface that went away) are
    // dropped, so churn never fills the history's MAX_SERIES.
    for (const k of [...h.keys()]) if (!wanted.has(k)) h.untrack(k);
    for (const k of wanted) h.track(k);
    h.push(sample.time, (k) => seriesValue(sample, k));
  }

  /** The charts of the Graphs pane (default and pinned), in its order. */
  charts(): ChartSpec[] {
    return this.list('graphs').items as ChartSpec[];
  }

  /** g: pin the row under the focused pane's cursor as a chart (a counter, an interface, an
   *  ICMP type, a connection, a process or a peer), or unpin it if it is pinned. A notice
   *  says which. */
  togglePin(): void {
    const pane = this.ui.focus;
    const l = this.list(pane);
    const idx = this.cursorIndex(pane);
    const key = l.keys[idx];
    const item = l.items[idx];
    if (key === undefined || item === undefined) return;
    let chart: ChartSpec | null = null;
    if (pane === 'graphs') {
      const ch = item as ChartSpec;
      if (!ch.pinned) {
        this.dispatch({ type: 'notice', text: 'a default chart: g pins rows of the other panes' });
        return;
      }
      chart = ch;
    } else if (pane === 'counters') chart = counterChart(key);
    else if (pane === 'interfaces') chart = interfaceChart(key);
    else if (pane === 'icmp') {
      const r = item as { label: string; inKey?: string; outKey?: string };
      chart = icmpChart(r.label, r.inKey, r.outKey);
    } else if (pane === 'connections') {
      const k = this.frame.sample?.connections.get(key);
      const c = this.context(pane);
      chart = connectionChart(
        key,
        k ? `${endpointText(c, k.localAddr, k.localPort, k.proto)} ${endpointText(c, k.remoteAddr, k.remotePort, k.proto)}` : key,
      );
    } else if (pane === 'processes' || pane === 'peers') {
      // A process's key is its 'pid/program', a peer's its address.
      chart = flowChart(pane === 'processes' ? 'proc' : 'peer', key, (item as FlowAggregate).addr ?? key);
    }
    if (!chart) {
      this.dispatch({ type: 'notice', text: 'g pins counters, interfaces, ICMP types, connections, processes and peers' });
      return;
    }
    const id = chart.id;
    if (this.ui.pins.some((p) => p.id === id)) {
      this.dispatch({ type: 'unpin', id });
      this.dispatch({ type: 'notice', text: `unpinned ${chart.title}` });
      return;
    }
    if (this.history.size + chart.series.length > MAX_SERIES_GUARD) {
      this.dispatch({ type: 'notice', text: 'too many series: G unpins all' });
      return;
    }
    this.dispatch({ type: 'pin', chart });
    this.dispatch({ type: 'notice', text: `pinned ${chart.title}: Graphs pane` });
  }

  // --- selectors -------------------------------------------------------------------------------

  private connOptions(): ConnOptions {
    const s = this.ui;
    return {
      all: s.scope === 'all',
      listening: s.scope === 'listening',
      numericHosts: s.numeric,
      numericPorts: s.numeric,
      numericUsers: s.numeric,
      extend: s.extended ? 1 : 0,
      programs: s.programs,
      timers: s.timers,
      wide: true,
    };
  }

  private context(pane: PaneId, frame: Frame = this.frame): PaneContext {
    const sort = this.ui.sort[pane];
    return {
      ui: this.ui,
      frame,
      sample: frame.sample,
      names: { ...this.names, owners: frame.sample?.snapshot.owners?.owners ?? null },
      conn: this.connOptions(),
      needle: this.ui.filter.toLowerCase(),
      dir: sort.reverse ? -1 : 1,
      sortCol: SORT_COLUMNS[pane][sort.col] ?? SORT_COLUMNS[pane][0] ?? '',
      history: this.history,
    };
  }

  /** Each pane's list signature, made again only for a new UI state (list() asks for it
   *  several times a paint). */
  private readonly sigs = new Map<PaneId, { ui: UiState; sig: string }>();

  private signature(pane: PaneId): string {
    const s = this.ui;
    const had = this.sigs.get(pane);
    if (had?.ui === s) return had.sig;
    const sort = s.sort[pane];
    const sig = [
      pane,
      s.filter,
      sort.col,
      sort.reverse,
      s.proto.tcp,
      s.proto.udp,
      s.proto.raw,
      s.proto.unix,
      s.family.v4,
      s.family.v6,
      s.scope,
      s.numeric,
      s.extended,
      s.counterMode,
      s.allCounters,
      pane === 'graphs' ? `${s.pins.map((p) => p.id).join(',')}|${s.cursor.interfaces.key ?? ''}` : '',
    ].join('|');
    this.sigs.set(pane, { ui: s, sig });
    return sig;
  }

  /** The filtered, sorted rows of a pane (keys and items), cached per frame and filter. The
   *  last list under the same filter is handed to the pane to bring up to date. */
  private list(pane: PaneId): ListCache {
    const frame = this.frame;
    const sig = this.signature(pane);
    const hit = this.cache.get(pane);
    if (hit && hit.frame === frame && hit.sig === sig) return hit;
    const spec = PANE_SPECS[pane];
    const input = spec.listInput && frame.sample !== null ? spec.listInput(frame) : null;
    if (hit && hit.sig === sig && input !== null && hit.input !== null && sameValues(hit.input, input)) {
      hit.frame = frame;
      this.listStats.kept++;
      return hit;
    }
    const prev = hit && hit.sig === sig ? hit : undefined;
    const { keys, items, patched } = spec.list(this.context(pane, frame), prev);
    if (patched === true) this.listStats.patched++;
    else this.listStats.built++;
    const entry: ListCache = { sig, frame, keys, items, input, found: null };
    this.cache.set(pane, entry);
    return entry;
  }

  /** What a pane's lines are made from: the UI state, the names (a DNS answer that came), the
   *  pane's list and its PaneSpec.textInputs; null for a pane formatted every frame. Taken
   *  after the lines were made (their cursor and scroll bookkeeping is then in the UI state):
   *  the same values (===) later mean the same lines. */
  paneInputs(pane: PaneId): readonly unknown[] | null {
    const spec = PANE_SPECS[pane];
    const frame = this.frame;
    if (!spec.textInputs || frame.sample === null) return null;
    const l = this.list(pane);
    return [this.ui, this.namesEpoch, l.keys, l.items, ...spec.textInputs(frame)];
  }

  /** A key's row index in a list, -1 when not listed. */
  private indexOf(l: ListCache, key: string): number {
    if (l.found?.key === key && l.keys[l.found.index] === key) return l.found.index;
    const index = l.keys.indexOf(key);
    if (index >= 0) l.found = { key, index };
    return index;
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
    let idx = cur.key === null ? -1 : this.indexOf(l, cur.key);
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
    return i < 0 ? null : (this.list(pane).keys[i] ?? null);
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
    const c = this.context(pane);
    // No room for rows (a title alone, as over the charts): no header either, nothing formatted.
    const fmt = h > 0 ? PANE_SPECS[pane].format(c, w) : null;
    const rows: ViewRow[] = [];
    for (let i = off; fmt !== null && i < Math.min(n, off + h); i++) {
      const key = l.keys[i];
      if (key === undefined) continue;
      rows.push({ ...fmt.row(l.items[i]), key, selected: i === cur && pane === this.ui.focus });
    }
    const message = n > 0 ? null : c.sample ? PANE_SPECS[pane].empty(c) : 'waiting for the first sample…';
    return { header: fmt?.header ?? '', rows, total: n, offset: off, message };
  }

  eventText(e: import('./frame.js').DashEvent): string {
    return eventText(this.context('events'), e);
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
      for (const r of [snap.unix, snap.interfaces, snap.routes4, snap.routes6]) if (r && !r.ok) warnings.push(r.error);
      if (snap.conntrack && !snap.conntrack.ok) {
        warnings.push(
          snap.conntrack.error.endsWith('(needs root)')
            ? 'nf_conntrack: permission denied (needs root): no NAT pane'
            : 'nf_conntrack not available: no NAT pane',
        );
      }
      if (snap.counters) warnings.push(...snap.counters.errors);
      // Asked for tcp_info (aggregates came back) but the table had none: read from /proc.
      if (sample.aggregates && !sample.flows) warnings.push('no tcp_info (sockets from /proc): traffic shows -');
    }
    let since = '';
    if (sample && sample.mark.at !== null) {
      const label = sample.mark.reason === 'start' ? 'since start' : sample.mark.reason === 'mark' ? 'since mark' : 'since reboot';
      since = `${label} ${duration(sample.mono - sample.mark.at)}`;
      // After a mark, how long netdash has been watching still matters.
      if (sample.mark.reason !== 'start' && this.firstMono !== null) since = `up ${duration(sample.mono - this.firstMono)}  ${since}`;
    }
    const stale: string[] = [];
    // Owners are rescanned less often than sockets are read: say how old they are when shown.
    const ownersAge = sample?.ownersAgeMs ?? null;
    const tableAge = sample?.tableAgeMs ?? null;
    if (tableAge !== null && tableAge > 0) stale.push(`big socket table: read every few ticks, ${duration(tableAge)} old`);
    if (this.ui.programs && ownersAge !== null && ownersAge >= Math.max(1000, this.ui.intervalMs))
      stale.push(`owners ${duration(ownersAge)} old`);
    return {
      stale,
      host: printable(this.host.name),
      kernel: printable(this.host.kernel),
      intervalMs: this.ui.intervalMs,
      paused: this.ui.paused,
      since,
      time: sample ? clockTime(sample.time) : '',
      warnings: [...new Set(warnings.filter((w) => !NORMAL_ABSENCE.test(w)).map(printable))],
      notice: this.ui.notice === null ? null : printable(this.ui.notice),
      ended: this.ended,
      seq: this.live.sample?.seq ?? 0,
    };
  }

  /** The detail view's height, for paging it. */
  setDetailHeight(h: number): void {
    this.heights.set('detail', h);
  }

  /** Lines about the row under the focused pane's cursor (printable), explanations wrapped
   *  to `width`. */
  detailLines(width = 76): string[] {
    const pane = this.ui.focus;
    const l = this.list(pane);
    const idx = this.cursorIndex(pane);
    const key = l.keys[idx];
    if (idx < 0 || key === undefined) return ['nothing selected'];
    const lines = PANE_SPECS[pane].detail(this.context(pane), l.items[idx], key, width);
    // Fact lines may be longer than the box: wrap them too, and escape what came from outside.
    return lines.flatMap((line) => (line.length > width ? wrap(printable(line), width) : [printable(line)]));
  }
}
