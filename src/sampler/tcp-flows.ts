// Per-connection deltas of struct tcp_info's cumulative counters, by the counter engine's
// rules: the first sample has no delta (null); a connection that is new this tick counts from 0
// (its whole value is this tick's delta); a tuple reused by another socket (a new cookie, or a
// new inode where the kernel gave no cookie) is a new connection; a counter that went down is
// a reset (delta null, nothing added). sinceMark is the sum of the deltas reported since the
// mark, so a connection's total always equals the sum of its deltas. Only live connections are
// remembered: a socket gone from the table is forgotten on the same tick.
import type { InetSocket } from '../model.js';
import { tcpInfoFieldReaderF64 } from '../sources/tcp-info.js';

/** The cumulative tcp_info fields the flows follow, in the order of FlowStat's arrays. */
export const FLOW_COUNTERS = ['bytesReceived', 'bytesSent', 'bytesAcked', 'bytesRetrans', 'totalRetrans', 'segsOut', 'segsIn'] as const;
export type FlowCounter = (typeof FLOW_COUNTERS)[number];
export const RX = 0,
  TX = 1,
  ACKED = 2,
  RETRANS_BYTES = 3,
  RETRANS = 4,
  SEGS_OUT = 5,
  SEGS_IN = 6;
const N = FLOW_COUNTERS.length;
/** The seven counters of a socket's tcp_info, read straight from its bytes (NaN: unknown). */
const readCounters = tcpInfoFieldReaderF64(FLOW_COUNTERS);

export interface FlowStat {
  /** connectionKey of the socket (the key of Sample.connections). */
  key: string;
  /** The socket's identity: its cookie, else its inode. */
  ident: string;
  sock: InetSocket;
  /** Change this tick of each FLOW_COUNTERS field; null when unknown (first sample, field the
   *  kernel did not send, a counter that went down). */
  delta: (number | null)[];
  /** Sum of the deltas since the mark (or since the connection was first seen). */
  sinceMark: number[];
  /** First seen this tick (and not on the first sample). */
  opened: boolean;
}

export interface FlowTable {
  /** Time between the two socket tables the deltas come from (ms); null on the first. */
  elapsedMs: number | null;
  /** Connections with tcp_info, by connectionKey. Its FlowStat objects are made when read;
   *  `delta` and `since` give one number without making one (for sorting many rows). */
  byKey: FlowIndex;
}

/** A delta as a rate per second; null when either is unknown. */
export function perSecond(delta: number | null, elapsedMs: number | null): number | null {
  return delta === null || elapsedMs === null || elapsedMs <= 0 ? null : (delta * 1000) / elapsedMs;
}

/** Null as NaN in the typed arrays below. */
const NONE = NaN;

/** Where a FlowIndex finds a key's row while it is the tracker's latest table: the tracker's
 *  own map from key to slot (which then holds exactly that table's keys) and the table's row of
 *  each slot. */
interface SlotLookup {
  readonly tracker: FlowTracker;
  readonly epoch: number;
  readonly rowOfSlot: Int32Array;
  /** The slot of each row (for its sums since the mark, read from the tracker until frozen). */
  readonly slotAt: Int32Array;
}

/**
 * One tick's deltas, struct of arrays: row i (the i-th row with tcp_info of the table, in its
 * order) has its seven deltas at data[7 i ..] (NaN: unknown). At 50k connections that is one
 * Float64Array, instead of 50k objects holding two arrays each (about 300 heap bytes a
 * connection, all garbage a tick later). Its sums since the mark are the tracker's own while
 * they stand; the tracker has the table copy them (freeze) before its next update, mark or
 * reset changes them, so a table kept past those answers as when made, and the latest table and
 * the one before hold one copy of the sums between them, not two (2.8 MB at 50k). The keys and
 * rows are the table's own (a sample's connections, never changed once made). A key is found
 * through the tracker's map from key to slot while this is the tracker's latest table (no map
 * of its own: a map of 50k keys a tick was 3.5 MB of garbage); a table kept past the next
 * update builds its own map when first asked. FlowStat objects are made when asked for (`get`),
 * for the few rows a view shows.
 */
export class FlowIndex implements ReadonlyMap<string, FlowStat> {
  /** Key to row, made only when asked for after the tracker moved on. */
  private own: Map<string, number> | null = null;
  /** The rows' sums since the mark, copied from the tracker before it changes them (its next
   *  update, mark or reset: freeze); until then they are the tracker's own. */
  private sinceOwn: Float64Array | null = null;

  constructor(
    private readonly rows: ReadonlyMap<string, InetSocket>,
    private readonly n: number,
    private readonly data: Float64Array,
    private readonly opened: Uint8Array,
    private readonly lookup: SlotLookup | null,
  ) {}

  get size(): number {
    return this.n;
  }

  has(key: string): boolean {
    return this.row(key) >= 0;
  }

  /** The connection's row in this table, -1 when it has no tcp_info; for deltaAt, sinceAt. */
  row(key: string): number {
    const l = this.lookup;
    if (l !== null && l.tracker.epoch === l.epoch) {
      const s = l.tracker.slotOfKey(key);
      return s === undefined ? -1 : (l.rowOfSlot[s] ?? -1);
    }
    let own = this.own;
    if (own === null) {
      own = new Map();
      let r = 0;
      for (const [k, s] of this.rows) if (s.tcpInfo) own.set(k, r++);
      this.own = own;
    }
    return own.get(key) ?? -1;
  }

  /** The delta of FLOW_COUNTERS[i] of row `r` (null: unknown). */
  deltaAt(r: number, i: number): number | null {
    const v = this.data[r * N + i]!;
    return v === v ? v : null;
  }

  /** The sum since the mark of FLOW_COUNTERS[i] of row `r`. */
  sinceAt(r: number, i: number): number {
    const own = this.sinceOwn;
    if (own !== null || this.lookup === null) return own === null ? 0 : own[r * N + i]!;
    return this.lookup.tracker.sinceOf(this.lookup.slotAt[r]!, i);
  }

  /** The tracker is about to change its sums: this table keeps a copy of its rows'. */
  freeze(): void {
    if (this.sinceOwn !== null || this.lookup === null) return;
    const own = new Float64Array(this.n * N);
    const slotAt = this.lookup.slotAt,
      t = this.lookup.tracker;
    for (let r = 0; r < this.n; r++) for (let j = 0; j < N; j++) own[r * N + j] = t.sinceOf(slotAt[r]!, j);
    this.sinceOwn = own;
  }

  /** The delta this tick of FLOW_COUNTERS[i] for the connection `key`; null when unknown or
   *  when the connection has no tcp_info (no object made: for sorting 50k rows). */
  delta(key: string, i: number): number | null {
    const r = this.row(key);
    if (r < 0) return null;
    const v = this.data[r * N + i]!;
    return v === v ? v : null;
  }

  /** The sum since the mark of FLOW_COUNTERS[i]; null when the connection has no tcp_info. */
  since(key: string, i: number): number | null {
    const r = this.row(key);
    return r < 0 ? null : this.sinceAt(r, i);
  }

  private stat(key: string, r: number): FlowStat {
    const sock = this.rows.get(key)!;
    const d = this.data,
      o = r * N;
    const delta: (number | null)[] = [],
      sinceMark: number[] = [];
    for (let j = 0; j < N; j++) {
      const v = d[o + j]!;
      delta.push(v === v ? v : null);
      sinceMark.push(this.sinceAt(r, j));
    }
    return { key, ident: sock.cookie ?? String(sock.inode), sock, delta, sinceMark, opened: this.opened[r] === 1 };
  }

  get(key: string): FlowStat | undefined {
    const r = this.row(key);
    return r < 0 ? undefined : this.stat(key, r);
  }

  /** The keys of the rows with tcp_info, in order (row r is the r-th). */
  *keys(): MapIterator<string> {
    for (const [k, s] of this.rows) if (s.tcpInfo) yield k;
  }

  *entries(): MapIterator<[string, FlowStat]> {
    let r = 0;
    for (const k of this.keys()) yield [k, this.stat(k, r++)];
  }

  *values(): MapIterator<FlowStat> {
    let r = 0;
    for (const k of this.keys()) yield this.stat(k, r++);
  }

  [Symbol.iterator](): MapIterator<[string, FlowStat]> {
    return this.entries();
  }

  forEach(fn: (value: FlowStat, key: string, map: ReadonlyMap<string, FlowStat>) => void, thisArg?: unknown): void {
    let r = 0;
    for (const k of this.keys()) fn.call(thisArg, this.stat(k, r++), k, this);
  }
}

/**
 * What is remembered of a live connection from one tick to the next, struct of arrays by slot:
 * its identity (cookie, else inode), the last value of each counter (NaN: unknown) and its sums
 * since the mark. About 130 bytes a connection, none of it allocated again each tick.
 */
export class FlowTracker {
  private slotOf = new Map<string, number>();
  private ident: string[] = [];
  private last = new Float64Array(0);
  private since = new Float64Array(0);
  private seen = new Uint32Array(0);
  private free: number[] = [];
  private prevAt: number | null = null;
  private tick = 0;
  /** Changes with every update and reset: a FlowIndex finds keys through slotOf only while
   *  this is still its own. */
  epoch = 0;

  /** The latest table, until the sums it reads from here change (freeze). */
  private current: FlowIndex | null = null;

  /** The slot of a connection of the latest table (FlowIndex's lookup). */
  slotOfKey(key: string): number | undefined {
    return this.slotOf.get(key);
  }

  /** Slot `s`'s sum since the mark of FLOW_COUNTERS[i] (the latest table's rows read it here). */
  sinceOf(s: number, i: number): number {
    return this.since[s * N + i]!;
  }

  /** The latest table copies its sums before they change. */
  private freezeCurrent(): void {
    this.current?.freeze();
    this.current = null;
  }

  reset(): void {
    this.freezeCurrent();
    this.epoch++;
    this.slotOf = new Map();
    this.ident = [];
    this.last = new Float64Array(0);
    this.since = new Float64Array(0);
    this.seen = new Uint32Array(0);
    this.free = [];
    this.prevAt = null;
  }

  /** Every tracked connection's since-mark sums back to 0. */
  mark(): void {
    this.freezeCurrent();
    this.since.fill(0);
  }

  /** Room for at least `need` slots in all (an eighth more than asked, so churn grows it
   *  rarely; not doubled: at 50k connections each spare slot is 116 bytes). */
  private grow(need: number): void {
    const cap = Math.max(1024, Math.ceil(need * 1.125) + 256);
    const last = new Float64Array(cap * N),
      since = new Float64Array(cap * N),
      seen = new Uint32Array(cap);
    last.set(this.last);
    since.set(this.since);
    seen.set(this.seen);
    for (let s = cap - 1; s >= this.seen.length; s--) this.free.push(s);
    this.last = last;
    this.since = since;
    this.seen = seen;
  }

  /** One socket table (its rows with tcp_info, by connectionKey), read at `at` (monotonic ms);
   *  the table is kept by the FlowIndex made, so it must not be changed afterwards (a sample's
   *  connections never are). Written for 50k rows a tick: the seven fields read once each, no object a row, state kept
   *  in typed arrays from tick to tick (slots of sockets gone are freed at the end). */
  update(rows: ReadonlyMap<string, InetSocket>, at: number): FlowTable {
    this.freezeCurrent();
    const first = this.prevAt === null;
    const elapsedMs = first ? null : at - this.prevAt!;
    this.prevAt = at;
    const tick = ++this.tick;
    const epoch = ++this.epoch;
    const slotOf = this.slotOf;
    const slotAt = new Int32Array(rows.size);
    let data = new Float64Array(Math.max(16, rows.size) * N);
    const opened = new Uint8Array(Math.max(16, rows.size));
    // A table much bigger than the slots (the first one): room for all of it at once.
    if (this.seen.length < rows.size) this.grow(rows.size);
    let n = 0;
    const cur = new Float64Array(N);
    // forEach: no [key, value] pair allocated per row.
    rows.forEach((sock, key) => {
      const info = sock.tcpInfo;
      if (!info) return;
      const ident = sock.cookie ?? String(sock.inode);
      let slot = slotOf.get(key);
      const isNew = slot === undefined || this.ident[slot] !== ident;
      if (slot === undefined) {
        if (this.free.length === 0) this.grow(this.seen.length + 1);
        slot = this.free.pop()!;
        slotOf.set(key, slot);
      }
      const last = this.last,
        since = this.since;
      const o = slot * N;
      // This row's string: the last row's (an equal string) is then no longer kept alive.
      this.ident[slot] = ident;
      if (isNew) {
        last.fill(first ? NONE : 0, o, o + N);
        since.fill(0, o, o + N);
      }
      this.seen[slot] = tick;
      readCounters(info, cur);
      const r = n++;
      slotAt[r] = slot;
      const b = r * N;
      for (let j = 0; j < N; j++) {
        const c = cur[j]!,
          p = last[o + j]!;
        // A counter that went down is a reset: no delta, nothing added.
        const d = first || c !== c || p !== p || c < p ? NONE : c - p;
        data[b + j] = d;
        if (d === d) since[o + j]! += d;
        last[o + j] = c;
      }
      opened[r] = isNew && !first ? 1 : 0;
    });
    if (n * N < data.length / 2) data = data.slice(0, n * N);
    // Slots of sockets gone this tick are freed (the connection is forgotten).
    if (slotOf.size > n)
      for (const [key, s] of slotOf)
        if (this.seen[s] !== tick) {
          slotOf.delete(key);
          this.ident[s] = '';
          this.free.push(s);
        }
    const rowOfSlot = new Int32Array(this.seen.length).fill(-1);
    for (let r = 0; r < n; r++) rowOfSlot[slotAt[r]!] = r;
    const table = new FlowIndex(rows, n, data, opened, { tracker: this, epoch, rowOfSlot, slotAt });
    this.current = table;
    return { elapsedMs, byKey: table };
  }
}
