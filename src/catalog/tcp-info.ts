// What each field of struct tcp_info means, in our own words, with its unit and whether it
// only ever grows over the connection's life (a counter: shown with its change) or is a
// level that moves both ways. The connection detail view lists them in this order.
import type { TcpInfo } from '../model.js';

export type TcpInfoUnit = 'count' | 'bytes' | 'us' | 'ms' | 'segments' | 'bytes/s' | 'code';

export interface TcpInfoFact {
  field: Exclude<keyof TcpInfo, 'length' | 'previous'>;
  /** The kernel's name, without tcpi_. */
  kernel: string;
  unit: TcpInfoUnit;
  /** Grows over the connection's life (cumulative), never goes down. */
  counter: boolean;
  meaning: string;
}

const f = (field: TcpInfoFact['field'], kernel: string, unit: TcpInfoUnit, counter: boolean, meaning: string): TcpInfoFact => ({
  field,
  kernel,
  unit,
  counter,
  meaning,
});

export const TCP_INFO_FACTS: readonly TcpInfoFact[] = [
  f('state', 'state', 'code', false, 'the TCP state as a number (1 ESTABLISHED … 10 LISTEN)'),
  f(
    'caState',
    'ca_state',
    'code',
    false,
    'congestion-avoidance state: 0 open, 1 disorder (dupacks or SACKs seen), 2 CWR (cut after ECN), 3 recovery (fast retransmit), 4 loss (after a timeout)',
  ),
  f(
    'retransmits',
    'retransmits',
    'count',
    false,
    'retransmission timeouts in a row for the segment now outstanding; back to 0 once it is acknowledged',
  ),
  f('probes', 'probes', 'count', false, 'zero-window or keepalive probes sent without an answer'),
  f('backoff', 'backoff', 'count', false, 'how many times the retransmission timer was doubled for the current segment'),
  f(
    'options',
    'options',
    'code',
    false,
    'options agreed in the handshake: 1 timestamps, 2 SACK, 4 window scaling, 8 ECN, 16 ECN seen, 32 data in the SYN',
  ),
  f('sndWscale', 'snd_wscale', 'count', false, "the peer's window scale: its advertised window is shifted left by this"),
  f('rcvWscale', 'rcv_wscale', 'count', false, 'our window scale, as told to the peer'),
  f(
    'deliveryRateAppLimited',
    'delivery_rate_app_limited',
    'code',
    false,
    '1 when the last delivery-rate sample was limited by the application having nothing to send',
  ),
  f('rto', 'rto', 'us', false, 'retransmission timeout: how long an unacknowledged segment waits before it is sent again'),
  f('ato', 'ato', 'us', false, 'delayed-ACK timeout: how long we wait to piggyback an ACK'),
  f('sndMss', 'snd_mss', 'bytes', false, 'largest segment payload we send'),
  f('rcvMss', 'rcv_mss', 'bytes', false, "our estimate of the peer's segment size"),
  f('unacked', 'unacked', 'segments', false, 'segments sent and not yet acknowledged (in flight)'),
  f(
    'sacked',
    'sacked',
    'segments',
    false,
    'segments the peer selectively acknowledged (arrived out of order); for a listener, its backlog',
  ),
  f('lost', 'lost', 'segments', false, 'segments in flight now thought lost'),
  f('retrans', 'retrans', 'segments', false, 'retransmitted segments in flight now'),
  f('fackets', 'fackets', 'segments', false, 'forward-acknowledged segments (unused since Linux 4.15, 0)'),
  f('lastDataSent', 'last_data_sent', 'ms', false, 'time since we last sent data'),
  f('lastAckSent', 'last_ack_sent', 'ms', false, 'not kept by Linux (always 0)'),
  f('lastDataRecv', 'last_data_recv', 'ms', false, 'time since we last received data'),
  f('lastAckRecv', 'last_ack_recv', 'ms', false, 'time since we last received an ACK'),
  f('pmtu', 'pmtu', 'bytes', false, 'path MTU in use for this connection'),
  f('rcvSsthresh', 'rcv_ssthresh', 'bytes', false, 'the limit our advertised receive window grows towards'),
  f('rtt', 'rtt', 'us', false, 'smoothed round-trip time'),
  f('rttvar', 'rttvar', 'us', false, 'how much the round-trip time varies (mean deviation)'),
  f(
    'sndSsthresh',
    'snd_ssthresh',
    'segments',
    false,
    'slow-start threshold: below it cwnd doubles each round trip, above it grows slowly (2147483647: not set yet)',
  ),
  f('sndCwnd', 'snd_cwnd', 'segments', false, 'congestion window: segments we may have in flight'),
  f('advmss', 'advmss', 'bytes', false, 'the segment size we advertised to the peer'),
  f('reordering', 'reordering', 'segments', false, 'how far out of order segments may arrive before we call one lost (default 3)'),
  f('rcvRtt', 'rcv_rtt', 'us', false, 'round-trip time as measured by the receiving side'),
  f('rcvSpace', 'rcv_space', 'bytes', false, 'receive buffer space autotuning aims for'),
  f('totalRetrans', 'total_retrans', 'segments', true, "segments retransmitted over the connection's life"),
  f('pacingRate', 'pacing_rate', 'bytes/s', false, 'rate the sender paces packets out at'),
  f('maxPacingRate', 'max_pacing_rate', 'bytes/s', false, 'pacing limit set with SO_MAX_PACING_RATE (all ones: none)'),
  f('bytesAcked', 'bytes_acked', 'bytes', true, 'bytes the peer acknowledged (the SYN and FIN count one each)'),
  f('bytesReceived', 'bytes_received', 'bytes', true, 'bytes we received in order'),
  f('segsOut', 'segs_out', 'segments', true, 'segments sent, retransmissions and pure ACKs included'),
  f('segsIn', 'segs_in', 'segments', true, 'segments received, pure ACKs included'),
  f('notsentBytes', 'notsent_bytes', 'bytes', false, 'bytes written by the application and not sent yet'),
  f('minRtt', 'min_rtt', 'us', false, "lowest round-trip time seen recently: the path's own delay, without queueing"),
  f('dataSegsIn', 'data_segs_in', 'segments', true, 'segments received that carried data'),
  f('dataSegsOut', 'data_segs_out', 'segments', true, 'segments sent that carried data'),
  f('deliveryRate', 'delivery_rate', 'bytes/s', false, 'latest measured rate of data acknowledged by the peer'),
  f('busyTime', 'busy_time', 'us', true, 'time with data in flight'),
  f('rwndLimited', 'rwnd_limited', 'us', true, "time the peer's receive window held sending back"),
  f('sndbufLimited', 'sndbuf_limited', 'us', true, 'time our send buffer held sending back'),
  f('delivered', 'delivered', 'segments', true, 'segments delivered to the peer, retransmissions that made it included'),
  f('deliveredCe', 'delivered_ce', 'segments', true, 'delivered segments the network marked with ECN congestion'),
  f('bytesSent', 'bytes_sent', 'bytes', true, 'bytes sent, retransmissions included'),
  f('bytesRetrans', 'bytes_retrans', 'bytes', true, 'bytes retransmitted'),
  f('dsackDups', 'dsack_dups', 'segments', true, 'segments the peer reported receiving twice (D-SACK): retransmits that were not needed'),
  f('reordSeen', 'reord_seen', 'count', true, 'times segments were seen arriving reordered'),
  f('rcvOoopack', 'rcv_ooopack', 'segments', true, 'segments received out of order'),
  f('sndWnd', 'snd_wnd', 'bytes', false, "the peer's receive window, scaled: what it lets us send"),
];
