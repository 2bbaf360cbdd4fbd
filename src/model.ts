// The data model every source produces and every printer/view consumes.
// Numbers stay as the kernel gave them; naming and formatting happen in printers.

/** What a source yields: its value plus how many input lines it could not parse,
 *  or an error that the section shows instead of data. */
export type SourceResult<T> = { ok: true; value: T; skipped: number } | { ok: false; error: string };

export type InetProto = 'tcp' | 'tcp6' | 'udp' | 'udp6' | 'udplite' | 'udplite6' | 'raw' | 'raw6';

export interface SocketTimer {
  /** Kernel timer kind: 0 off, 1 retransmit/on, 2 keepalive, 3 timewait, 4 probe. */
  kind: number;
  /** Jiffies until it expires (the kernel already converted to clock ticks of USER_HZ). */
  expires: number;
  /** Unanswered retransmits or probes. */
  retransmits: number;
  /** The /proc 'timeout' column: unanswered zero-window probes (TCP) — netstat -o's third number. */
  timeout: number;
}

export interface InetSocket {
  proto: InetProto;
  family: 4 | 6;
  /** Textual address: '0.0.0.0', '::', '::ffff:127.0.0.1', 'fe80::1'. */
  localAddr: string;
  localPort: number;
  remoteAddr: string;
  remotePort: number;
  /** Kernel state number: 1 ESTABLISHED … 10 LISTEN, 11 CLOSING, 12 NEW_SYN_RECV; for raw sockets the protocol-specific value. */
  state: number;
  /** For LISTEN sockets the kernel puts the accept queue here. */
  recvQ: number;
  /** Bytes not yet acknowledged (TCP) or queued to send; 0 for listeners in /proc/net/tcp. */
  sendQ: number;
  timer: SocketTimer;
  uid: number;
  inode: number;
  /** TCP LISTEN from netlink only: the accept-queue limit (listen()'s backlog, capped by
   *  somaxconn); /proc does not show it. */
  backlog?: number;
  /** UDP only: packets dropped on this socket (last column of /proc/net/udp). */
  drops?: number;
  /** netlink only: the kernel's socket cookie (idiag_cookie, 64 bits, as decimal text), which
   *  names one socket for its whole life; set on TCP rows read with tcp_info. */
  cookie?: string;
  /** TCP from netlink, only when asked for (Want.tcpInfo): struct tcp_info. The /proc tables
   *  have none. */
  tcpInfo?: TcpInfo;
  /** TCP from netlink, only when asked for (Want.tcpInfo): INET_DIAG_SKMEMINFO. */
  mem?: SkMemInfo;
}

/**
 * struct tcp_info (linux/tcp.h) as the kernel returned it. The kernel sends as much of the
 * struct as it knows: a field past the end of an older kernel's struct is absent (unknown),
 * never 0. Times in microseconds unless said; rates in bytes per second.
 */
export interface TcpInfo {
  /** Bytes of tcp_info the kernel sent. */
  length: number;
  /** The same socket's tcp_info in the dump before this one's latest, where the reader keeps
   *  it: the live sock_diag reader hands a socket's row and tcp_info on from dump to dump and
   *  updates them in place (sources/tcp-info.ts, TcpInfoStore), so the previous sample's row is
   *  this same object and the change since the last tick is read from here. Absent otherwise
   *  (a socket new in the latest dump, a replay, /proc, one-shot prints). Not serialized. */
  readonly previous?: TcpInfo;
  state?: number;
  caState?: number;
  retransmits?: number;
  probes?: number;
  backoff?: number;
  options?: number;
  sndWscale?: number;
  rcvWscale?: number;
  deliveryRateAppLimited?: number;
  /** Retransmission timeout and delayed-ACK timeout, µs. */
  rto?: number;
  ato?: number;
  sndMss?: number;
  rcvMss?: number;
  unacked?: number;
  sacked?: number;
  lost?: number;
  retrans?: number;
  fackets?: number;
  /** ms since the last data sent, ACK sent (never set by Linux), data received, ACK received. */
  lastDataSent?: number;
  lastAckSent?: number;
  lastDataRecv?: number;
  lastAckRecv?: number;
  pmtu?: number;
  rcvSsthresh?: number;
  /** Smoothed RTT and its variation, µs. */
  rtt?: number;
  rttvar?: number;
  sndSsthresh?: number;
  sndCwnd?: number;
  advmss?: number;
  reordering?: number;
  rcvRtt?: number;
  rcvSpace?: number;
  /** Segments retransmitted over the connection's life. */
  totalRetrans?: number;
  pacingRate?: number;
  maxPacingRate?: number;
  bytesAcked?: number;
  bytesReceived?: number;
  segsOut?: number;
  segsIn?: number;
  notsentBytes?: number;
  minRtt?: number;
  dataSegsIn?: number;
  dataSegsOut?: number;
  deliveryRate?: number;
  busyTime?: number;
  rwndLimited?: number;
  sndbufLimited?: number;
  delivered?: number;
  deliveredCe?: number;
  bytesSent?: number;
  bytesRetrans?: number;
  dsackDups?: number;
  reordSeen?: number;
  rcvOoopack?: number;
  sndWnd?: number;
}

/** INET_DIAG_SKMEMINFO (SK_MEMINFO_*), bytes; absent slots unknown. */
export interface SkMemInfo {
  rmemAlloc?: number;
  rcvbuf?: number;
  wmemAlloc?: number;
  sndbuf?: number;
  fwdAlloc?: number;
  wmemQueued?: number;
  optmem?: number;
  backlog?: number;
  drops?: number;
}

export interface UnixSocket {
  refCount: number;
  protocol: number;
  flags: number;
  /** 1 STREAM, 2 DGRAM, 5 SEQPACKET (SOCK_* numbers). */
  type: number;
  /** SS_* numbers: 0 FREE, 1 UNCONNECTED, 2 CONNECTING, 3 CONNECTED, 4 DISCONNECTING. */
  state: number;
  inode: number;
  /** Bound path; abstract names start with '@'; null when unbound. */
  path: string | null;
}

/** The 16 counters of /proc/net/dev, named after its header. */
/** The 16 counters of /proc/net/dev (u64 in the kernel: a bigint beyond 2^53). */
export interface IfCounters {
  rxBytes: CounterValue;
  rxPackets: CounterValue;
  rxErrs: CounterValue;
  rxDrop: CounterValue;
  rxFifo: CounterValue;
  rxFrame: CounterValue;
  rxCompressed: CounterValue;
  rxMulticast: CounterValue;
  txBytes: CounterValue;
  txPackets: CounterValue;
  txErrs: CounterValue;
  txDrop: CounterValue;
  txFifo: CounterValue;
  txColls: CounterValue;
  txCarrier: CounterValue;
  txCompressed: CounterValue;
}

export const IF_COUNTER_NAMES: readonly (keyof IfCounters)[] = [
  'rxBytes',
  'rxPackets',
  'rxErrs',
  'rxDrop',
  'rxFifo',
  'rxFrame',
  'rxCompressed',
  'rxMulticast',
  'txBytes',
  'txPackets',
  'txErrs',
  'txDrop',
  'txFifo',
  'txColls',
  'txCarrier',
  'txCompressed',
];

/** Per-interface facts from /sys/class/net/<if>/; each may be missing (virtual devices, races). */
export interface IfSysInfo {
  mtu?: number;
  /** IFF_* flags word from /sys/class/net/<if>/flags. */
  flags?: number;
  operstate?: string;
  ifindex?: number;
  /** Mb/s; absent when the driver does not report it (veth, lo) or reports -1. */
  speed?: number;
  rxNohandler?: number;
  /** ARPHRD_* type number. */
  type?: number;
  address?: string;
}

export interface NetInterface {
  name: string;
  counters: IfCounters;
  sys: IfSysInfo;
}

/** Addresses, MAC, type and default route per interface (see sources/interface-meta.ts), refreshed only when the interface set changes. */
export interface IfMeta {
  name: string;
  ip4: string;
  ip6: string;
  mac: string;
  type: string;
  isDefault: boolean;
}

/** Protocol counters by the kernel's own group and name: counters.Tcp.RetransSegs. A value
 *  beyond 2^53 is a bigint, exact (model/counter-value.ts). */
export type CounterGroups = Record<string, Record<string, CounterValue>>;
import type { CounterValue } from './model/counter-value.js';

export interface Route4 {
  iface: string;
  destination: string;
  gateway: string;
  mask: string;
  /** RTF_* flags word. */
  flags: number;
  refCnt: number;
  use: number;
  metric: number;
  mtu: number;
  window: number;
  irtt: number;
}

export interface Route6 {
  destination: string;
  destPrefix: number;
  source: string;
  sourcePrefix: number;
  nextHop: string;
  metric: number;
  refCnt: number;
  use: number;
  flags: number;
  iface: string;
}

export interface ConntrackEntry {
  l3: string;
  proto: string;
  protoNum: number;
  /** Seconds until the entry expires. */
  timeout: number;
  /** TCP state name when the protocol has one. */
  state: string | null;
  /** Original direction. */
  src: string;
  dst: string;
  sport: number | null;
  dport: number | null;
  /** Reply direction: differs from the original when NAT rewrote the flow. */
  replySrc: string;
  replyDst: string;
  replySport: number | null;
  replyDport: number | null;
  flags: string[];
}

export interface ProcessOwner {
  pid: number;
  program: string;
}
