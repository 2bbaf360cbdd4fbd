// A connection's struct tcp_info as `ss -tin` prints it under the connection line: the same
// tokens, units and rounding, in ss's order (iproute2 misc/ss.c, tcp_show_info), so the two
// can be compared token by token (test/tcp-info.test.ts). Left out: what needs attributes not
// read (the congestion control name, bbr's own block) and what ss computes rather than reads
// (`send`, the cwnd-based rate). A field the kernel did not send is left out, as ss does with
// fields it cannot know; a zero is left out as ss does too (the JSON output keeps both apart).
import type { TcpInfo } from '../model.js';

/** C's %g: six significant digits, no trailing zeros. */
export function gFormat(x: number): string {
  if (x === 0) return '0';
  const exp = Math.floor(Math.log10(Math.abs(x)));
  if (exp < -4 || exp >= 6) {
    const [m, e] = x.toExponential(5).split('e') as [string, string];
    const mant = m.includes('.') ? m.replace(/0+$/, '').replace(/\.$/, '') : m;
    const n = Number(e);
    return `${mant}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  const s = x.toFixed(Math.max(0, 5 - exp));
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

const U64_MAX = 2 ** 64;

/** The tokens, in ss's order; empty when the socket has no tcp_info. */
export function tcpInfoTokens(i: TcpInfo, listening = false): string[] {
  const t: string[] = [];
  const put = (cond: unknown, s: () => string): void => {
    if (cond) t.push(s());
  };
  const opts = i.options ?? 0;
  put(opts & 4 && i.sndWscale !== undefined, () => `wscale:${i.sndWscale},${i.rcvWscale}`);
  put(i.rto, () => `rto:${gFormat(i.rto! / 1000)}`);
  put(i.backoff, () => `backoff:${i.backoff}`);
  put(i.rtt, () => `rtt:${gFormat(i.rtt! / 1000)}/${gFormat((i.rttvar ?? 0) / 1000)}`);
  put(i.ato, () => `ato:${gFormat(i.ato! / 1000)}`);
  put(i.sndMss, () => `mss:${i.sndMss}`);
  put(i.pmtu, () => `pmtu:${i.pmtu}`);
  put(i.rcvMss, () => `rcvmss:${i.rcvMss}`);
  put(i.advmss, () => `advmss:${i.advmss}`);
  put(i.sndCwnd, () => `cwnd:${i.sndCwnd}`);
  put(i.sndSsthresh !== undefined && i.sndSsthresh < 0xffff && i.sndSsthresh, () => `ssthresh:${i.sndSsthresh}`);
  put(i.bytesSent, () => `bytes_sent:${i.bytesSent}`);
  put(i.bytesRetrans, () => `bytes_retrans:${i.bytesRetrans}`);
  put(i.bytesAcked, () => `bytes_acked:${i.bytesAcked}`);
  put(i.bytesReceived, () => `bytes_received:${i.bytesReceived}`);
  put(i.segsOut, () => `segs_out:${i.segsOut}`);
  put(i.segsIn, () => `segs_in:${i.segsIn}`);
  put(i.dataSegsOut, () => `data_segs_out:${i.dataSegsOut}`);
  put(i.dataSegsIn, () => `data_segs_in:${i.dataSegsIn}`);
  put(i.lastDataSent, () => `lastsnd:${i.lastDataSent}`);
  put(i.lastDataRecv, () => `lastrcv:${i.lastDataRecv}`);
  put(i.lastAckRecv, () => `lastack:${i.lastAckRecv}`);
  const pacing = i.pacingRate !== undefined && i.pacingRate !== 0 && i.pacingRate < U64_MAX;
  if (pacing) {
    const max = i.maxPacingRate !== undefined && i.maxPacingRate < U64_MAX ? `/${i.maxPacingRate * 8}bps` : '';
    t.push('pacing_rate', `${i.pacingRate! * 8}bps${max}`);
  }
  if (i.deliveryRate) t.push('delivery_rate', `${i.deliveryRate * 8}bps`);
  put(i.delivered, () => `delivered:${i.delivered}`);
  put(i.deliveredCe, () => `delivered_ce:${i.deliveredCe}`);
  put(i.deliveryRateAppLimited, () => 'app_limited');
  if (i.busyTime) {
    const busy = i.busyTime;
    t.push(`busy:${Math.floor(busy / 1000)}ms`);
    if (i.rwndLimited) t.push(`rwnd_limited:${Math.floor(i.rwndLimited / 1000)}ms(${((i.rwndLimited * 100) / busy).toFixed(1)}%)`);
    if (i.sndbufLimited) t.push(`sndbuf_limited:${Math.floor(i.sndbufLimited / 1000)}ms(${((i.sndbufLimited * 100) / busy).toFixed(1)}%)`);
  }
  put(i.unacked, () => `unacked:${i.unacked}`);
  put(i.retrans || i.totalRetrans, () => `retrans:${i.retrans ?? 0}/${i.totalRetrans ?? 0}`);
  put(i.lost, () => `lost:${i.lost}`);
  put(i.sacked && !listening, () => `sacked:${i.sacked}`);
  put(i.dsackDups, () => `dsack_dups:${i.dsackDups}`);
  put(i.fackets, () => `fackets:${i.fackets}`);
  put(i.reordering !== undefined && i.reordering !== 3, () => `reordering:${i.reordering}`);
  put(i.reordSeen, () => `reord_seen:${i.reordSeen}`);
  put(i.rcvRtt, () => `rcv_rtt:${gFormat(i.rcvRtt! / 1000)}`);
  put(i.rcvSpace, () => `rcv_space:${i.rcvSpace}`);
  put(i.rcvSsthresh, () => `rcv_ssthresh:${i.rcvSsthresh}`);
  put(i.notsentBytes, () => `notsent:${i.notsentBytes}`);
  put(i.minRtt, () => `minrtt:${gFormat(i.minRtt! / 1000)}`);
  put(i.rcvOoopack, () => `rcv_ooopack:${i.rcvOoopack}`);
  put(i.sndWnd, () => `snd_wnd:${i.sndWnd}`);
  return t;
}

/** The line netdash prints under a connection: a tab, then the tokens ('\t-' without tcp_info). */
export function tcpInfoLine(i: TcpInfo | undefined, listening = false): string {
  if (!i) return '\t-';
  return `\t ${tcpInfoTokens(i, listening).join(' ')}`;
}
