// Who is behind the traffic: the connections summed per process (pid + program, from the
// owner scan) and per remote host. TCP sockets bring their tcp_info deltas (FlowTable); UDP
// and raw sockets join with their counts and queues only, because the kernel keeps no byte
// counters for them: an aggregate of those alone has `bytes: false`, and views say so rather
// than show 0.
import type { InetSocket, ProcessOwner } from '../model.js';
import { RETRANS, RETRANS_BYTES, RX, SEGS_OUT, TX, type FlowTable } from './tcp-flows.js';

export interface FlowAggregate {
  /** 'pid/program' for a process, the address for a peer. */
  key: string;
  pid?: number;
  program?: string;
  addr?: string;
  tcp: number;
  udp: number;
  raw: number;
  /** connectionKey of every member socket. */
  members: string[];
  recvQ: number;
  sendQ: number;
  /** TCP sockets with tcp_info among the members: only they have byte counters. */
  withInfo: number;
  /** Deltas this tick, summed over members with tcp_info: received, sent, retransmitted
   *  segments and bytes, segments sent. Null when no member had one (first sample, no
   *  tcp_info, or only UDP/raw). */
  rx: number | null;
  tx: number | null;
  retrans: number | null;
  retransBytes: number | null;
  segsOut: number | null;
  /** The same since the mark. */
  rxSinceMark: number | null;
  txSinceMark: number | null;
  retransSinceMark: number | null;
  /** Highest smoothed RTT of a member (µs); null when none is known. */
  worstRtt: number | null;
}

export interface Aggregates {
  /** Time the deltas cover (ms), for rates; null on the first sample. */
  elapsedMs: number | null;
  processes: FlowAggregate[];
  peers: FlowAggregate[];
  /** Sockets no owner was found for (no -p, not root, TIME_WAIT): not in any process. */
  unowned: number;
}

function empty(key: string): FlowAggregate {
  return {
    key,
    tcp: 0,
    udp: 0,
    raw: 0,
    members: [],
    recvQ: 0,
    sendQ: 0,
    withInfo: 0,
    rx: null,
    tx: null,
    retrans: null,
    retransBytes: null,
    segsOut: null,
    rxSinceMark: null,
    txSinceMark: null,
    retransSinceMark: null,
    worstRtt: null,
  };
}

const add = (a: number | null, b: number | null): number | null => (b === null ? a : (a ?? 0) + b);

function join(g: FlowAggregate, s: InetSocket, key: string, flows: FlowTable | null): void {
  g.members.push(key);
  if (s.proto.startsWith('tcp')) g.tcp++;
  else if (s.proto.startsWith('udp')) g.udp++;
  else g.raw++;
  g.recvQ += s.recvQ;
  g.sendQ += s.sendQ;
  // Numbers straight from the flow table: no FlowStat made for each of 50k members.
  const f = flows?.byKey;
  const r = f ? f.row(key) : -1;
  if (r < 0) return;
  g.withInfo++;
  g.rx = add(g.rx, f!.deltaAt(r, RX));
  g.tx = add(g.tx, f!.deltaAt(r, TX));
  g.retrans = add(g.retrans, f!.deltaAt(r, RETRANS));
  g.retransBytes = add(g.retransBytes, f!.deltaAt(r, RETRANS_BYTES));
  g.segsOut = add(g.segsOut, f!.deltaAt(r, SEGS_OUT));
  g.rxSinceMark = add(g.rxSinceMark, f!.sinceAt(r, RX));
  g.txSinceMark = add(g.txSinceMark, f!.sinceAt(r, TX));
  g.retransSinceMark = add(g.retransSinceMark, f!.sinceAt(r, RETRANS));
  const rtt = s.tcpInfo?.rtt;
  if (rtt !== undefined && s.state !== 10 && (g.worstRtt === null || rtt > g.worstRtt)) g.worstRtt = rtt;
}

/** '::ffff:10.0.0.1' and '10.0.0.1' are one peer. */
export function peerAddress(addr: string): string {
  return addr.startsWith('::ffff:') && addr.includes('.') ? addr.slice(7) : addr;
}

const UNSPECIFIED = new Set(['0.0.0.0', '::', '*']);

/** Retransmitted segments per segment sent, in %; null when nothing was sent or it is unknown. */
export function retransPct(g: Pick<FlowAggregate, 'retrans' | 'segsOut'>): number | null {
  return g.retrans === null || g.segsOut === null || g.segsOut <= 0 ? null : (g.retrans * 100) / g.segsOut;
}

/** `sockets`: the table by connectionKey (Sample.connections). */
export function aggregate(
  sockets: Iterable<readonly [string, InetSocket]>,
  owners: ReadonlyMap<number, ProcessOwner> | null,
  flows: FlowTable | null,
): Aggregates {
  const procs = new Map<string, FlowAggregate>();
  const peers = new Map<string, FlowAggregate>();
  let unowned = 0;
  for (const [key, s] of sockets) {
    const o = s.inode !== 0 ? owners?.get(s.inode) : undefined;
    if (o) {
      const pk = `${o.pid}/${o.program}`;
      let g = procs.get(pk);
      if (!g) procs.set(pk, (g = { ...empty(pk), pid: o.pid, program: o.program }));
      join(g, s, key, flows);
    } else unowned++;
    if (s.remotePort !== 0 && !UNSPECIFIED.has(s.remoteAddr)) {
      const addr = peerAddress(s.remoteAddr);
      let g = peers.get(addr);
      if (!g) peers.set(addr, (g = { ...empty(addr), addr }));
      join(g, s, key, flows);
    }
  }
  return { elapsedMs: flows?.elapsedMs ?? null, processes: [...procs.values()], peers: [...peers.values()], unowned };
}
