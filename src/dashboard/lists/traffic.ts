// The TCP internals the connections, processes and peers panes share: the traffic columns
// (from tcp_info deltas, tcp-flows.ts), their texts, and a connection's tcp_info in detail.
// Unknown is '-', never 0: the first sample has no deltas, the /proc fallback no tcp_info,
// and UDP or raw sockets no byte counters at all.
import { TCP_INFO_FACTS, type TcpInfoUnit } from '../../catalog/tcp-info.js';
import type { InetSocket } from '../../model.js';
import { RETRANS, RX, TX, perSecond, FLOW_COUNTERS } from '../../sampler/tcp-flows.js';
import type { Col } from '../columns.js';
import { wrap } from '../explain/index.js';
import { bytes, compact } from '../format.js';
import type { ConnRow } from '../frame.js';
import type { PaneContext } from './pane-spec.js';

/** Said where tcp_info columns would be, when the table has none. */
export const NO_TCP_INFO = 'no tcp_info: the sockets were read from /proc (sock_diag unavailable), so traffic shows -';

/** Microseconds as milliseconds, short: 0.042, 1.5, 230. */
export function rttText(us: number | null | undefined): string {
  if (us === null || us === undefined) return '-';
  const ms = us / 1000;
  return ms < 10 ? ms.toFixed(ms < 1 ? 3 : 1) : String(Math.round(ms));
}

/** Whether this connection retransmitted in the last tick: drawn hot. */
export function retransmittingNow(c: PaneContext, key: string): boolean {
  const d = c.sample?.flows?.byKey.get(key)?.delta[RETRANS];
  return d !== null && d !== undefined && d > 0;
}

export function trafficCols(c: PaneContext): Col<ConnRow>[] {
  const flows = c.sample?.flows;
  const keyOf = (r: ConnRow): string => r.key;
  const rate = (r: ConnRow, i: number): number | null => {
    const f = flows?.byKey.get(keyOf(r));
    return f ? perSecond(f.delta[i] ?? null, flows?.elapsedMs ?? null) : null;
  };
  return [
    { title: 'Rx/s', width: 6, align: 'right', value: (r) => bytes(rate(r, RX)) },
    { title: 'Tx/s', width: 6, align: 'right', value: (r) => bytes(rate(r, TX)) },
    {
      title: 'Retr/s',
      width: 6,
      align: 'right',
      value: (r) => compact(rate(r, RETRANS), { rate: true }),
      hot: (r) => retransmittingNow(c, keyOf(r)),
    },
    {
      title: 'Retr',
      width: 5,
      align: 'right',
      value: (r) => compact(flows?.byKey.get(keyOf(r))?.sinceMark[RETRANS] ?? null),
      hot: (r) => retransmittingNow(c, keyOf(r)),
    },
    { title: 'RTT ms', width: 6, align: 'right', value: (r) => rttText(r.sock.tcpInfo?.rtt) },
    { title: 'cwnd', width: 5, align: 'right', value: (r) => compact(r.sock.tcpInfo?.sndCwnd ?? null) },
  ];
}

function valueText(v: number | undefined, unit: TcpInfoUnit): string {
  if (v === undefined) return 'unknown (not sent by this kernel)';
  switch (unit) {
    case 'us':
      return `${v} µs`;
    case 'ms':
      return `${v} ms`;
    case 'bytes':
      return `${v} B`;
    case 'bytes/s':
      return v >= 2 ** 64 ? 'unlimited' : `${bytes(v)}B/s`;
    default:
      return String(v);
  }
}

const signed = (d: number): string => (d > 0 ? `+${d}` : String(d));

/** Every tcp_info field: value, change since the last tick, change since the mark (for the
 *  counters the flows follow), and what it means. */
export function tcpInfoDetail(c: PaneContext, key: string, k: InetSocket, width: number): string[] {
  const info = k.tcpInfo;
  if (!info) {
    const why =
      k.state === 6
        ? 'none in TIME_WAIT (the kernel keeps no tcp_info for it)'
        : c.sample?.flows
          ? 'none for this socket'
          : c.sample?.aggregates
            ? NO_TCP_INFO
            : 'not read (i shows them, and they are read from the next tick on; a replay has what was recorded)';
    return ['', `TCP internals: ${why}`];
  }
  const flow = c.sample?.flows?.byKey.get(key);
  const prev = c.frame.prevConns?.get(key);
  // The live reader hands a socket's row and tcp_info on from dump to dump, read from the latest
  // one: the last frame's tcp_info is then this object, and its values before are `previous`
  // (none when this frame's table is the last frame's: nothing was read since).
  const prevInfo =
    !prev || (prev.cookie !== undefined && prev.cookie !== k.cookie)
      ? undefined
      : prev.tcpInfo !== info
        ? prev.tcpInfo
        : c.frame.prevConns === c.frame.sample?.connections
          ? undefined
          : info.previous;
  const out = [
    '',
    `TCP internals (struct tcp_info, ${info.length} bytes from the kernel; change since the last tick, since the ${c.sample?.mark.reason === 'mark' ? 'mark' : 'start'}):`,
  ];
  for (const fact of TCP_INFO_FACTS) {
    const v = info[fact.field];
    const p = prevInfo?.[fact.field];
    const tick = v !== undefined && p !== undefined && v !== p ? `  ${signed(v - p)} this tick` : '';
    const fi = (FLOW_COUNTERS as readonly string[]).indexOf(fact.field);
    const since =
      fi >= 0 && flow ? `  ${signed(flow.sinceMark[fi] ?? 0)} since ${c.sample?.mark.reason === 'mark' ? 'mark' : 'start'}` : '';
    out.push(`  ${fact.kernel.padEnd(26)}${valueText(v, fact.unit)}${tick}${since}`);
    out.push(...wrap(fact.meaning, Math.max(20, width - 6)).map((l) => `      ${l}`));
  }
  const mem = k.mem;
  if (mem)
    out.push(
      `  socket memory             rcv ${mem.rmemAlloc ?? '-'}/${mem.rcvbuf ?? '-'} B, snd ${mem.wmemAlloc ?? '-'}/${mem.sndbuf ?? '-'} B, queued ${mem.wmemQueued ?? '-'} B, drops ${mem.drops ?? '-'}`,
    );
  return out;
}
