// Per-connection deltas of struct tcp_info's cumulative counters, by the counter engine's
// rules: the first sample has no delta (null); a connection that is new this tick counts from 0
// (its whole value is this tick's delta); a tuple reused by another socket (a new cookie, or a
// new inode where the kernel gave no cookie) is a new connection; a counter that went down is
// a reset (delta null, nothing added). sinceMark is the sum of the deltas reported since the
// mark, so a connection's total always equals the sum of its deltas. Only live connections are
// remembered: a socket gone from the table is forgotten on the same tick.
import type { InetSocket } from '../model.js';

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
  /** Connections with tcp_info, by connectionKey. */
  byKey: Map<string, FlowStat>;
}

/** A delta as a rate per second; null when either is unknown. */
export function perSecond(delta: number | null, elapsedMs: number | null): number | null {
  return delta === null || elapsedMs === null || elapsedMs <= 0 ? null : (delta * 1000) / elapsedMs;
}

interface Known {
  ident: string;
  last: (number | null)[];
  since: number[];
  seen: number;
}

const sub = (first: boolean, c: number | undefined, p: number | null): number | null =>
  first || c === undefined || p === null || c < p ? null : c - p;

export class FlowTracker {
  private known = new Map<string, Known>();
  private prevAt: number | null = null;
  private tick = 0;

  reset(): void {
    this.known = new Map();
    this.prevAt = null;
  }

  /** Every tracked connection's since-mark sums back to 0. */
  mark(): void {
    for (const k of this.known.values()) k.since.fill(0);
  }

  /** One socket table (its rows with tcp_info, by connectionKey), read at `at` (monotonic ms).
   *  Written for 50k rows a tick: the seven fields read once each, small arrays, one map of
   *  state kept from tick to tick (entries of sockets gone are dropped at the end). */
  update(rows: ReadonlyMap<string, InetSocket>, at: number): FlowTable {
    const first = this.prevAt === null;
    const elapsedMs = first ? null : at - this.prevAt!;
    this.prevAt = at;
    const tick = ++this.tick;
    const known = this.known;
    const byKey = new Map<string, FlowStat>();
    // forEach: no [key, value] pair allocated per row.
    rows.forEach((sock, key) => {
      const info = sock.tcpInfo;
      if (!info) return;
      const ident = sock.cookie ?? String(sock.inode);
      let k = known.get(key);
      const opened = k === undefined || k.ident !== ident;
      if (opened) {
        const z = first ? null : 0;
        k = { ident, last: [z, z, z, z, z, z, z], since: [0, 0, 0, 0, 0, 0, 0], seen: tick };
        known.set(key, k);
      }
      const kk = k!;
      kk.seen = tick;
      const c0 = info.bytesReceived,
        c1 = info.bytesSent,
        c2 = info.bytesAcked,
        c3 = info.bytesRetrans;
      const c4 = info.totalRetrans,
        c5 = info.segsOut,
        c6 = info.segsIn;
      const l = kk.last;
      const delta = [
        sub(first, c0, l[0]!),
        sub(first, c1, l[1]!),
        sub(first, c2, l[2]!),
        sub(first, c3, l[3]!),
        sub(first, c4, l[4]!),
        sub(first, c5, l[5]!),
        sub(first, c6, l[6]!),
      ];
      const since = kk.since;
      for (let j = 0; j < N; j++) {
        const d = delta[j];
        if (d !== null && d !== undefined) since[j]! += d;
      }
      // In place: no array a socket a tick.
      l[0] = c0 ?? null;
      l[1] = c1 ?? null;
      l[2] = c2 ?? null;
      l[3] = c3 ?? null;
      l[4] = c4 ?? null;
      l[5] = c5 ?? null;
      l[6] = c6 ?? null;
      byKey.set(key, {
        key,
        ident,
        sock,
        delta,
        sinceMark: [since[0]!, since[1]!, since[2]!, since[3]!, since[4]!, since[5]!, since[6]!],
        opened: opened && !first,
      });
    });
    if (known.size > byKey.size) for (const [key, k] of known) if (k.seen !== tick) known.delete(key);
    return { elapsedMs, byKey };
  }
}
