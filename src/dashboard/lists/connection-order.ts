// The order of the connections pane, kept from frame to frame. A full sort of 100k rows
// costs a keypress's worth of time, so it runs when the sort or the filters change; between
// ticks only the rows that may have moved (see ConnDelta) are taken out and put back by
// binary search. Both paths use one total order: the sort column, then the local port, the
// remote port and the identity key, so the two give the same list.
import type { InetSocket, ProcessOwner } from '../../model.js';
import { ownerLabel, stateName } from '../../names/netstat-notation.js';
import { naturalCompare } from '../../text/natural-compare.js';
import { RETRANS, RX, TX, type FlowTable } from '../../sampler/tcp-flows.js';

export interface OrderSpec {
  /** A name from SORT_COLUMNS.connections. */
  col: string;
  dir: 1 | -1;
  owners: ReadonlyMap<number, ProcessOwner> | null;
  /** The frame's tcp_info deltas, for the traffic columns. */
  flows?: FlowTable | null;
}

/** The traffic columns (tcp_info): they change every tick, and sort highest first. */
export const TRAFFIC_SORT = new Set(['rx/s', 'tx/s', 'retr/s', 'retr', 'rtt', 'cwnd']);

/** A traffic column's value for sorting: unknown (no tcp_info, first sample) sorts below 0. */
function trafficPart(col: string, s: InetSocket, key: string, flows: FlowTable | null | undefined): number {
  if (col === 'rtt') return s.tcpInfo?.rtt ?? -1;
  if (col === 'cwnd') return s.tcpInfo?.sndCwnd ?? -1;
  if (!flows) return -1;
  // One number, no FlowStat made: a sort reads every row.
  const v = col === 'retr' ? flows.byKey.since(key, RETRANS) : flows.byKey.delta(key, col === 'rx/s' ? RX : col === 'tx/s' ? TX : RETRANS);
  return v ?? -1;
}

/** The sort column's text part, or null when it is numeric only. */
function textPart(col: string, s: InetSocket, owners: OrderSpec['owners']): string | null {
  switch (col) {
    case 'local':
      return s.localAddr;
    case 'remote':
      return s.remoteAddr;
    case 'state':
      return stateName(s);
    case 'program':
      return ownerLabel(owners, s.inode);
    case 'proto':
      return s.proto;
    default:
      return null;
  }
}

function numPart(col: string, s: InetSocket, key: string, flows: FlowTable | null | undefined): number {
  if (TRAFFIC_SORT.has(col)) return trafficPart(col, s, key, flows);
  switch (col) {
    case 'local':
      return s.localPort;
    case 'remote':
      return s.remotePort;
    case 'recv-q':
      return s.recvQ;
    // A listener shows (and sorts by) its backlog, as ss does.
    case 'send-q':
      return s.state === 10 && s.backlog !== undefined ? s.backlog : s.sendQ;
    case 'user':
      return s.uid;
    case 'inode':
      return s.inode;
    default:
      return 0;
  }
}

/** Whether a row's place can change when its state changes (TIME_WAIT also zeroes the inode,
 *  which changes the owner). Protocol and addresses are part of the key: those never move. */
export function orderFollowsState(col: string): boolean {
  return col === 'state' || col === 'inode' || col === 'program';
}

/** Whether a row's place can change while its key and state stay (a new row object). */
export function orderFollowsRowValues(col: string): boolean {
  return col === 'recv-q' || col === 'send-q' || col === 'user' || col === 'inode' || TRAFFIC_SORT.has(col);
}

function identity(ka: string, a: InetSocket, kb: string, b: InetSocket): number {
  return a.localPort - b.localPort || a.remotePort - b.remotePort || (ka < kb ? -1 : ka > kb ? 1 : 0);
}

export function compareConnections(spec: OrderSpec, ka: string, a: InetSocket, kb: string, b: InetSocket): number {
  const ta = textPart(spec.col, a, spec.owners);
  if (ta !== null) {
    const tb = textPart(spec.col, b, spec.owners) ?? '';
    if (ta !== tb) return naturalCompare(ta, tb) * spec.dir;
  }
  return (numPart(spec.col, a, ka, spec.flows) - numPart(spec.col, b, kb, spec.flows) || identity(ka, a, kb, b)) * spec.dir;
}

/** Sort keys and rows (parallel arrays) from scratch. Text values are replaced by their rank
 *  among the distinct values, so natural order is worked out once per value, and the sort
 *  compares numbers in typed arrays (100k rows in a few tens of ms). */
export function fullOrder(spec: OrderSpec, keys: readonly string[], socks: readonly InetSocket[]): string[] {
  const n = keys.length;
  const rank = new Float64Array(n);
  const num = new Float64Array(n);
  const ports = new Float64Array(n);
  const col = spec.col;
  const texts: (string | null)[] = new Array<string | null>(n);
  const distinct = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const s = socks[i]!;
    num[i] = numPart(col, s, keys[i]!, spec.flows);
    ports[i] = s.localPort * 65536 + s.remotePort;
    const t = textPart(col, s, spec.owners);
    texts[i] = t;
    if (t !== null && !distinct.has(t)) distinct.set(t, 0);
  }
  if (distinct.size > 0) {
    const sorted = [...distinct.keys()].sort(naturalCompare);
    for (let r = 0; r < sorted.length; r++) distinct.set(sorted[r]!, r);
    for (let i = 0; i < n; i++) {
      const t = texts[i];
      rank[i] = t === null || t === undefined ? 0 : (distinct.get(t) ?? 0);
    }
  }
  const idx = new Array<number>(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  // Keys are unique, so the order is total: descending is ascending read backwards.
  idx.sort(
    (i, j) => rank[i]! - rank[j]! || num[i]! - num[j]! || ports[i]! - ports[j]! || (keys[i]! < keys[j]! ? -1 : keys[i]! > keys[j]! ? 1 : 0),
  );
  const out = new Array<string>(n);
  if (spec.dir === 1) for (let i = 0; i < n; i++) out[i] = keys[idx[i]!]!;
  else for (let i = 0; i < n; i++) out[i] = keys[idx[n - 1 - i]!]!;
  return out;
}

/**
 * The previous order with `touched` keys taken out and `add` (rows that belong in the list
 * now; touched or new) put in their places. `sockOf` gives the current row of a listed key.
 * Returns `prev` itself when nothing was touched or added.
 */
export function patchOrder(
  spec: OrderSpec,
  prev: readonly string[],
  touched: ReadonlySet<string>,
  add: readonly { key: string; sock: InetSocket }[],
  sockOf: (key: string) => InetSocket | undefined,
): readonly string[] {
  if (touched.size === 0 && add.length === 0) return prev;
  const kept = touched.size === 0 ? prev : prev.filter((k) => !touched.has(k));
  if (add.length === 0) return kept;
  const sorted = [...add].sort((x, y) => compareConnections(spec, x.key, x.sock, y.key, y.sock));
  const out: string[] = [];
  let from = 0;
  for (const x of sorted) {
    // First kept row that goes after x; rows before it (from `from` on) are copied over.
    let lo = from,
      hi = kept.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const k = kept[mid]!;
      const s = sockOf(k);
      if (s !== undefined && compareConnections(spec, k, s, x.key, x.sock) < 0) lo = mid + 1;
      else hi = mid;
    }
    for (let i = from; i < lo; i++) out.push(kept[i]!);
    out.push(x.key);
    from = lo;
  }
  for (let i = from; i < kept.length; i++) out.push(kept[i]!);
  return out;
}
