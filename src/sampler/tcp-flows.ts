// Per-connection deltas of struct tcp_info's cumulative counters, by the counter engine's
// rules: the first sample has no delta (null); a connection that is new this tick counts from 0
// (its whole value is this tick's delta); a tuple reused by another socket (a new cookie, or a
// new inode where the kernel gave no cookie) is a new connection; a counter that went down is
// a reset (delta null, nothing added). sinceMark is the sum of the deltas reported since the
// mark, so a connection's total always equals the sum of its deltas. Only live connections are
// remembered: a socket gone from the table is forgotten on the same tick.
import type { InetSocket, TcpInfo } from '../model.js';
import { connectionKey } from './connection-diff.js';

/** The cumulative tcp_info fields the flows follow, in the order of FlowStat's arrays. */
export const FLOW_COUNTERS = ['bytesReceived', 'bytesSent', 'bytesAcked', 'bytesRetrans', 'totalRetrans', 'segsOut', 'segsIn'] as const;
export type FlowCounter = (typeof FLOW_COUNTERS)[number];
export const RX = 0, TX = 1, ACKED = 2, RETRANS_BYTES = 3, RETRANS = 4, SEGS_OUT = 5, SEGS_IN = 6;
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

interface Known { ident: string; last: (number | null)[]; since: number[] }

function values(i: TcpInfo): (number | null)[] {
  const out = new Array<number | null>(N);
  for (let k = 0; k < N; k++) out[k] = i[FLOW_COUNTERS[k]!] ?? null;
  return out;
}

export class FlowTracker {
  private known = new Map<string, Known>();
  private prevAt: number | null = null;

  reset(): void {
    this.known = new Map();
    this.prevAt = null;
  }

  /** Every tracked connection's since-mark sums back to 0. */
  mark(): void {
    for (const k of this.known.values()) k.since.fill(0);
  }

  /** One socket table (its rows with tcp_info), read at `at` (monotonic ms). */
  update(rows: Iterable<InetSocket>, at: number): FlowTable {
    const first = this.prevAt === null;
    const elapsedMs = first ? null : at - this.prevAt!;
    this.prevAt = at;
    const next = new Map<string, Known>();
    const byKey = new Map<string, FlowStat>();
    for (const sock of rows) {
      const info = sock.tcpInfo;
      if (!info) continue;
      const key = connectionKey(sock);
      const ident = sock.cookie ?? String(sock.inode);
      const cur = values(info);
      let k = this.known.get(key);
      const opened = k === undefined || k.ident !== ident;
      if (opened) k = { ident, last: new Array<number | null>(N).fill(first ? null : 0), since: new Array<number>(N).fill(0) };
      const delta = new Array<number | null>(N);
      for (let j = 0; j < N; j++) {
        const c = cur[j]!, p = k!.last[j]!;
        const d = first || c === null || p === null || c < p ? null : c - p;
        delta[j] = d;
        if (d !== null) k!.since[j]! += d;
      }
      k!.last = cur;
      next.set(key, k!);
      byKey.set(key, { key, ident, sock, delta, sinceMark: k!.since.slice(), opened: opened && !first });
    }
    this.known = next;
    return { elapsedMs, byKey };
  }
}
