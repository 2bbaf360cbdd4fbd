// `netstat -s` as net-tools 2.10 prints it (statistics.c), byte for byte.
//
// netstat looks every counter up with bsearch() in tables that are meant to be sorted but are
// not quite (e.g. "Forwarding" sits before "ForwDatagrams", "TW" after "TWKilled"). Entries
// that bsearch misses fall back to the raw "Name: value" line, shown only when nonzero. To get
// the same lines we keep the tables in upstream's order and search them the way glibc does.
import type { CounterGroups } from '../model.js';
import type { CounterValue } from '../model/counter-value.js';
import { SNMP6_OTHER } from '../sources/snmp.js';
import { esc } from './printf.js';

/** num: always printed; opt: printed when nonzero; icmpIn/icmpOut: histogram lines under a
 *  title; hidden: static settings (netstat never sets print_static) and entries with no text.
 *  Hidden entries stay in the tables because they steer bsearch. */
type Kind = 'num' | 'opt' | 'icmpIn' | 'icmpOut' | 'hidden';
type Entry = readonly [name: string, text: string, kind: Kind];

const IP: readonly Entry[] = [
  ['DefaultTTL', 'Default TTL is %llu', 'hidden'],
  ['Forwarding', 'Forwarding is %s', 'hidden'],
  ['ForwDatagrams', '%llu forwarded', 'num'],
  ['FragCreates', '%llu fragments created', 'opt'],
  ['FragFails', '%llu outgoing packets failed fragmentation', 'opt'],
  ['FragOKs', '%llu outgoing packets fragmented ok', 'opt'],
  ['InAddrErrors', '%llu with invalid addresses', 'opt'],
  ['InDelivers', '%llu incoming packets delivered', 'num'],
  ['InDiscards', '%llu incoming packets discarded', 'num'],
  ['InHdrErrors', '%llu with invalid headers', 'opt'],
  ['InReceives', '%llu total packets received', 'num'],
  ['InUnknownProtos', '%llu with unknown protocol', 'opt'],
  ['OutDiscards', '%llu outgoing packets dropped', 'opt'],
  ['OutNoRoutes', '%llu dropped because of missing route', 'opt'],
  ['OutRequests', '%llu requests sent out', 'num'],
  ['ReasmFails', '%llu packet reassemblies failed', 'opt'],
  ['ReasmOKs', '%llu packets reassembled ok', 'opt'],
  ['ReasmReqds', '%llu reassemblies required', 'opt'],
  ['ReasmTimeout', '%llu fragments dropped after timeout', 'opt'],
];

const IP6: readonly Entry[] = [
  ['Ip6FragCreates', '%llu fragments created', 'opt'],
  ['Ip6FragFails', '%llu outgoing packets failed fragmentation', 'opt'],
  ['Ip6FragOKs', '%llu outgoing packets fragmented ok', 'opt'],
  ['Ip6InAddrErrors', '%llu with invalid addresses', 'opt'],
  ['Ip6InDelivers', '%llu incoming packets delivered', 'num'],
  ['Ip6InDiscards', '%llu incoming packets discarded', 'num'],
  ['Ip6InHdrErrors', '%llu with invalid headers', 'opt'],
  ['Ip6InMcastPkts', '%llu incoming multicast packets', 'opt'],
  ['Ip6InNoRoutes', '%llu incoming packets with no route', 'opt'],
  ['Ip6InReceives', '%llu total packets received', 'num'],
  ['Ip6InTooBigErrors', '%llu with packets too big', 'opt'],
  ['Ip6InTruncatedPkts', '%llu with truncated packets', 'opt'],
  ['Ip6InUnknownProtos', '%llu with unknown protocol', 'opt'],
  ['Ip6OutDiscards', '%llu outgoing packets dropped', 'opt'],
  ['Ip6OutForwDatagrams', '%llu forwarded', 'num'],
  ['Ip6OutMcastPkts', '%llu outgoing multicast packets', 'opt'],
  ['Ip6OutNoRoutes', '%llu dropped because of missing route', 'opt'],
  ['Ip6OutRequests', '%llu requests sent out', 'num'],
  ['Ip6ReasmFails', '%llu packet reassemblies failed', 'opt'],
  ['Ip6ReasmOKs', '%llu packets reassembled ok', 'opt'],
  ['Ip6ReasmReqds', '%llu reassemblies required', 'opt'],
  ['Ip6ReasmTimeout', '%llu fragments dropped after timeout', 'opt'],
];

const ICMP: readonly Entry[] = [
  ['InAddrMaskReps', 'address mask replies: %llu', 'icmpIn'],
  ['InAddrMasks', 'address mask request: %llu', 'icmpIn'],
  ['InDestUnreachs', 'destination unreachable: %llu', 'icmpIn'],
  ['InEchoReps', 'echo replies: %llu', 'icmpIn'],
  ['InEchos', 'echo requests: %llu', 'icmpIn'],
  ['InErrors', '%llu input ICMP message failed', 'num'],
  ['InMsgs', '%llu ICMP messages received', 'num'],
  ['InParmProbs', 'wrong parameters: %llu', 'icmpIn'],
  ['InRedirects', 'redirects: %llu', 'icmpIn'],
  ['InSrcQuenchs', 'source quenches: %llu', 'icmpIn'],
  ['InTimeExcds', 'timeout in transit: %llu', 'icmpIn'],
  ['InTimestampReps', 'timestamp reply: %llu', 'icmpIn'],
  ['InTimestamps', 'timestamp request: %llu', 'icmpIn'],
  ['OutAddrMaskReps', 'address mask replies: %llu', 'icmpOut'],
  ['OutAddrMasks', 'address mask requests: %llu', 'icmpOut'],
  ['OutDestUnreachs', 'destination unreachable: %llu', 'icmpOut'],
  ['OutEchoReps', 'echo replies: %llu', 'icmpOut'],
  ['OutEchos', 'echo requests: %llu', 'icmpOut'],
  ['OutErrors', '%llu ICMP messages failed', 'num'],
  ['OutMsgs', '%llu ICMP messages sent', 'num'],
  ['OutParmProbs', 'wrong parameters: %llu', 'icmpOut'],
  ['OutRedirects', 'redirect: %llu', 'icmpOut'],
  ['OutSrcQuenchs', 'source quench: %llu', 'icmpOut'],
  ['OutTimeExcds', 'time exceeded: %llu', 'icmpOut'],
  ['OutTimestampReps', 'timestamp replies: %llu', 'icmpOut'],
  ['OutTimestamps', 'timestamp requests: %llu', 'icmpOut'],
];

const ICMP6: readonly Entry[] = [
  ['Icmp6InDestUnreachs', 'destination unreachable: %llu', 'icmpIn'],
  ['Icmp6InEchoReplies', 'echo replies: %llu', 'icmpIn'],
  ['Icmp6InEchos', 'echo requests: %llu', 'icmpIn'],
  ['Icmp6InErrors', '%llu input ICMP message failed', 'num'],
  ['Icmp6InGroupMembQueries', 'group member queries: %llu', 'icmpIn'],
  ['Icmp6InGroupMembReductions', 'group member reductions: %llu', 'icmpIn'],
  ['Icmp6InGroupMembResponses', 'group member responses: %llu', 'icmpIn'],
  ['Icmp6InMsgs', '%llu ICMP messages received', 'num'],
  ['Icmp6InNeighborAdvertisements', 'neighbour advertisement: %llu', 'icmpIn'],
  ['Icmp6InNeighborSolicits', 'neighbour solicits: %llu', 'icmpIn'],
  ['Icmp6InParmProblems', 'parameter problem: %llu', 'icmpIn'],
  ['Icmp6InPktTooBigs', 'packets too big: %llu', 'icmpIn'],
  ['Icmp6InRedirects', 'redirects: %llu', 'icmpIn'],
  ['Icmp6InRouterAdvertisements', 'router advertisement: %llu', 'icmpIn'],
  ['Icmp6InRouterSolicits', 'router solicits: %llu', 'icmpIn'],
  ['Icmp6InTimeExcds', 'received ICMPv6 time exceeded: %llu', 'icmpIn'],
  ['Icmp6OutDestUnreachs', 'destination unreachable: %llu', 'icmpOut'],
  ['Icmp6OutEchoReplies', 'echo replies: %llu', 'icmpOut'],
  ['Icmp6OutEchos', 'echo requests: %llu', 'icmpOut'],
  ['Icmp6OutGroupMembQueries', 'group member queries: %llu', 'icmpOut'],
  ['Icmp6OutGroupMembReductions', 'group member reductions: %llu', 'icmpOut'],
  ['Icmp6OutGroupMembResponses', 'group member responses: %llu', 'icmpOut'],
  ['Icmp6OutMsgs', '%llu ICMP messages sent', 'num'],
  ['Icmp6OutNeighborAdvertisements', 'neighbor advertisements: %llu', 'icmpOut'],
  ['Icmp6OutNeighborSolicits', 'neighbor solicits: %llu', 'icmpOut'],
  ['Icmp6OutParmProblems', 'parameter problem: %llu', 'icmpOut'],
  ['Icmp6OutPktTooBigs', 'packets too big: %llu', 'icmpOut'],
  ['Icmp6OutRedirects', 'redirects: %llu', 'icmpOut'],
  // The trailing space is upstream's: this entry can never match a kernel name.
  ['Icmp6OutRouterAdvertisements ', 'router advertisement: %llu', 'icmpOut'],
  ['Icmp6OutRouterSolicits', 'router solicits: %llu', 'icmpOut'],
  ['Icmp6OutTimeExcds', 'sent ICMPv6 time exceeded: %llu', 'icmpOut'],
];

const TCP: readonly Entry[] = [
  ['ActiveOpens', '%llu active connection openings', 'num'],
  ['AttemptFails', '%llu failed connection attempts', 'num'],
  ['CurrEstab', '%llu connections established', 'num'],
  ['EstabResets', '%llu connection resets received', 'num'],
  ['InErrs', '%llu bad segments received', 'num'],
  ['InSegs', '%llu segments received', 'num'],
  ['MaxConn', '', 'hidden'],
  ['OutRsts', '%llu resets sent', 'num'],
  ['OutSegs', '%llu segments sent out', 'num'],
  ['PassiveOpens', '%llu passive connection openings', 'num'],
  ['RetransSegs', '%llu segments retransmitted', 'num'],
  ['RtoAlgorithm', 'RTO algorithm is %s', 'hidden'],
  ['RtoMax', '', 'hidden'],
  ['RtoMin', '', 'hidden'],
];

const UDP: readonly Entry[] = [
  ['InDatagrams', '%llu packets received', 'num'],
  ['InErrors', '%llu packet receive errors', 'num'],
  ['NoPorts', '%llu packets to unknown port received', 'num'],
  ['OutDatagrams', '%llu packets sent', 'num'],
  ['RcvbufErrors', '%llu receive buffer errors', 'num'],
  ['SndbufErrors', '%llu send buffer errors', 'num'],
];

const UDP6: readonly Entry[] = [
  ['Udp6InDatagrams', '%llu packets received', 'num'],
  ['Udp6InErrors', '%llu packet receive errors', 'num'],
  ['Udp6NoPorts', '%llu packets to unknown port received', 'num'],
  ['Udp6OutDatagrams', '%llu packets sent', 'num'],
];

const TCP_EXT: readonly Entry[] = [
  ['DelayedACKLocked', '%llu delayed acks further delayed because of locked socket', 'opt'],
  ['DelayedACKLost', 'Quick ack mode was activated %llu times', 'opt'],
  ['DelayedACKs', '%llu delayed acks sent', 'opt'],
  ['EmbryonicRsts', '%llu resets received for embryonic SYN_RECV sockets', 'opt'],
  ['ListenDrops', '%llu SYNs to LISTEN sockets dropped', 'opt'],
  ['ListenOverflows', '%llu times the listen queue of a socket overflowed', 'opt'],
  ['LockDroppedIcmps', '%llu ICMP packets dropped because socket was locked', 'opt'],
  ['OfoPruned', '%llu packets dropped from out-of-order queue because of socket buffer overrun', 'opt'],
  ['OutOfWindowIcmps', '%llu ICMP packets dropped because they were out-of-window', 'opt'],
  ['PAWSActive', '%llu active connections rejected because of time stamp', 'opt'],
  ['PAWSEstab', '%llu packets rejected in established connections because of timestamp', 'opt'],
  ['PAWSPassive', '%llu passive connections rejected because of time stamp', 'opt'],
  ['PruneCalled', '%llu packets pruned from receive queue because of socket buffer overrun', 'opt'],
  ['RcvPruned', '%llu packets pruned from receive queue', 'opt'],
  ['SockMallocOOM', 'Ran %llu times out of system memory during packet sending', 'opt'],
  ['SyncookiesFailed', '%llu invalid SYN cookies received', 'opt'],
  ['SyncookiesRecv', '%llu SYN cookies received', 'opt'],
  ['SyncookiesSent', '%llu SYN cookies sent', 'opt'],
  ['TCPAbortFailed', '%llu times unable to send RST due to no memory', 'opt'],
  ['TCPAbortOnClose', '%llu connections reset due to early user close', 'opt'],
  ['TCPAbortOnData', '%llu connections reset due to unexpected data', 'opt'],
  ['TCPAbortOnLinger', '%llu connections aborted after user close in linger timeout', 'opt'],
  ['TCPAbortOnMemory', '%llu connections aborted due to memory pressure', 'opt'],
  ['TCPAbortOnSyn', '%llu connections reset due to unexpected SYN', 'opt'],
  ['TCPAbortOnTimeout', '%llu connections aborted due to timeout', 'opt'],
  ['TCPDirectCopyFromBacklog', '%llu bytes directly in process context from backlog', 'opt'],
  ['TCPDirectCopyFromPrequeue', '%llu bytes directly received in process context from prequeue', 'opt'],
  ['TCPDSACKOfoRecv', '%llu DSACKs for out of order packets received', 'opt'],
  ['TCPDSACKOfoSent', '%llu DSACKs sent for out of order packets', 'opt'],
  ['TCPDSACKOldSent', '%llu DSACKs sent for old packets', 'opt'],
  ['TCPDSACKRecv', '%llu DSACKs received', 'opt'],
  ['TCPDSackUndo', '%llu congestion window recovered without slow start using DSACK', 'opt'],
  ['TCPDSACKUndo', '%llu congestion windows recovered without slow start by DSACK', 'opt'],
  ['TCPFACKReorder', 'Detected reordering %llu times using FACK', 'opt'],
  ['TCPFastRetrans', '%llu fast retransmits', 'opt'],
  ['TCPForwardRetrans', '%llu forward retransmits', 'opt'],
  ['TCPFullUndo', '%llu congestion windows fully recovered without slow start', 'opt'],
  ['TCPHPAcks', '%llu predicted acknowledgments', 'opt'],
  ['TCPHPHits', '%llu packet headers predicted', 'num'],
  ['TCPHPHitsToUser', '%llu packet headers predicted and directly queued to user', 'opt'],
  ['TCPLossFailures', '%llu timeouts in loss state', 'opt'],
  ['TCPLoss', '%llu TCP data loss events', 'opt'],
  ['TCPLossUndo', '%llu congestion windows recovered without slow start after partial ack', 'opt'],
  ['TCPLostRetransmits', '%llu retransmits lost', 'opt'],
  ['TCPMemoryPressures', 'TCP ran low on memory %llu times', 'opt'],
  ['TCPPartialUndo', '%llu congestion windows partially recovered using Hoe heuristic', 'opt'],
  ['TCPPrequeued', '%llu packets directly queued to recvmsg prequeue', 'opt'],
  ['TCPPrequeueDropped', '%llu packets dropped from prequeue', 'opt'],
  ['TCPPureAcks', '%llu acknowledgments not containing data payload received', 'opt'],
  ['TCPRcvCollapsed', '%llu packets collapsed in receive queue due to low socket buffer', 'opt'],
  ['TCPRenoFailures', '%llu timeouts after reno fast retransmit', 'opt'],
  ['TCPRenoRecoveryFailed', '%llu reno fast retransmits failed', 'opt'],
  ['TCPRenoRecoveryFail', '%llu classic Reno fast retransmits failed', 'opt'],
  ['TCPRenoRecovery', '%llu times recovered from packet loss due to fast retransmit', 'opt'],
  ['TCPRenoReorder', 'Detected reordering %llu times using reno fast retransmit', 'opt'],
  ['TCPSackFailures', '%llu timeouts after SACK recovery', 'opt'],
  ['TCPSackRecoveryFail', '%llu SACK retransmits failed', 'opt'],
  ['TCPSackRecovery', '%llu times recovered from packet loss by selective acknowledgements', 'opt'],
  ['TCPSACKReneging', '%llu bad SACK blocks received', 'opt'],
  ['TCPSACKReorder', 'Detected reordering %llu times using SACK', 'opt'],
  ['TCPSchedulerFailed', '%llu times receiver scheduled too late for direct processing', 'opt'],
  ['TCPSlowStartRetrans', '%llu retransmits in slow start', 'opt'],
  ['TCPTimeouts', '%llu other TCP timeouts', 'opt'],
  ['TCPTSReorder', 'Detected reordering %llu times using time stamp', 'opt'],
  ['TWKilled', '%llu TCP sockets finished time wait in slow timer', 'opt'],
  ['TW', '%llu TCP sockets finished time wait in fast timer', 'opt'],
  ['TWRecycled', '%llu time wait sockets recycled by time stamp', 'opt'],
];

const SCTP: readonly Entry[] = [
  ['SctpAborteds', '%llu Number of Aborteds ', 'num'],
  ['SctpActiveEstabs', '%llu Active Associations', 'num'],
  ['SctpChecksumErrors', '%llu Number of Packets with invalid Checksum', 'num'],
  ['SctpCurrEstab', '%llu Current Associations', 'num'],
  ['SctpFragUsrMsgs', '%llu Number of messages fragmented', 'num'],
  ['SctpInCtrlChunks', '%llu Number of control chunks received', 'num'],
  ['SctpInOrderChunks', '%llu Number of ordered chunks received', 'num'],
  ['SctpInSCTPPacks', '%llu Number of SCTP packets received', 'num'],
  ['SctpInUnorderChunks', '%llu Number of Unordered chunks received', 'num'],
  ['SctpOutCtrlChunks', '%llu Number of control chunks sent', 'num'],
  ['SctpOutOfBlues', '%llu Number of Out of Blue packets', 'num'],
  ['SctpOutOrderChunks', '%llu Number of ordered chunks sent', 'num'],
  ['SctpOutSCTPPacks', '%llu Number of SCTP packets sent', 'num'],
  ['SctpOutUnorderChunks', '%llu Number of Unordered chunks sent', 'num'],
  ['SctpPassiveEstabs', '%llu Passive Associations', 'num'],
  ['SctpReasmUsrMsgs', '%llu Number of messages reassembled ', 'num'],
  ['SctpShutdowns', '%llu Number of Graceful Terminations', 'num'],
];

export interface StatisticsOptions {
  tcp: boolean;
  udp: boolean;
  raw: boolean;
  /** -U: prints no table of its own, but like any protocol flag it stops "show everything". */
  udplite?: boolean;
  sctp?: boolean;
  /** -6: the /proc/net/snmp6 groups followed by Tcp, as `netstat -s -6` does. */
  inet6?: boolean;
}

type Flag = 'raw' | 'tcp' | 'udp' | 'sctp';
interface Known { entries: readonly Entry[]; flag: Flag }

const INET_TABLES: ReadonlyMap<string, Known> = new Map([
  ['Ip', { entries: IP, flag: 'raw' }],
  ['Icmp', { entries: ICMP, flag: 'raw' }],
  ['Tcp', { entries: TCP, flag: 'tcp' }],
  ['Udp', { entries: UDP, flag: 'udp' }],
  ['Sctp', { entries: SCTP, flag: 'sctp' }],
  ['TcpExt', { entries: TCP_EXT, flag: 'tcp' }],
]);

const INET6_TABLES: ReadonlyMap<string, Known> = new Map([
  ['Ip6', { entries: IP6, flag: 'raw' }],
  ['Icmp6', { entries: ICMP6, flag: 'raw' }],
  ['Udp6', { entries: UDP6, flag: 'udp' }],
  ['Tcp6', { entries: TCP, flag: 'tcp' }],
]);

const ENCODER = new TextEncoder();

/** strcmp(): byte order of the UTF-8 text. */
function strcmp(a: string, b: string): number {
  return Buffer.compare(ENCODER.encode(a), ENCODER.encode(b));
}

/** glibc's bsearch(): on an unsorted table it misses exactly where netstat misses. */
function bsearch(entries: readonly Entry[], key: string): Entry | undefined {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const e = entries[mid];
    if (!e) return undefined;
    const c = strcmp(key, e[0]);
    if (c < 0) hi = mid;
    else if (c > 0) lo = mid + 1;
    else return e;
  }
  return undefined;
}

const TWO_64 = 1n << 64n;

/** netstat reads values with strtoull, so -1 shows as 18446744073709551615 and a value past
 *  2^64 - 1 as 2^64 - 1 (strtoull saturates); exact beyond 2^53 (a bigint). */
function u64(v: CounterValue): bigint {
  if (typeof v === 'number' && !Number.isFinite(v)) return 0n;
  const b = typeof v === 'bigint' ? v : BigInt(Math.trunc(v));
  if (b >= TWO_64 || b <= -TWO_64) return TWO_64 - 1n;
  return b < 0n ? b + TWO_64 : b;
}

/** The line printer of statistics.c: `state` is global there, and it survives from one
 *  section to the next unless the new section has a table of its own. */
class Printer {
  private state: 'normal' | 'icmpIn' | 'icmpOut' = 'normal';
  readonly lines: string[] = [];

  private out(indent: number, text: string): void {
    // Group and counter names come from the files read (a --root tree can hold anything).
    this.lines.push(' '.repeat(indent) + esc(text));
  }

  private indent(): number {
    return this.state === 'normal' ? 4 : 8;
  }

  /** newtable(): a section header; known tables print it only when their flag is on. */
  section(title: string, known: Known | undefined, flags: Record<Flag, boolean>): void {
    if (known) {
      if (flags[known.flag]) this.out(0, `${title}:`);
      this.state = 'normal';
    } else {
      this.out(0, `${title}:`);
    }
  }

  /** printval(). */
  value(entries: readonly Entry[] | undefined, key: string, v: CounterValue): void {
    const val = u64(v);
    const ent = entries && bsearch(entries, key);
    if (!ent) {
      if (val !== 0n) this.out(this.indent(), `${key}: ${val}`);
      return;
    }
    const [, text, kind] = ent;
    if (kind === 'hidden') return;
    const line = text.replace('%llu', val.toString());
    if (kind === 'icmpIn' || kind === 'icmpOut') {
      if (this.state !== kind) this.out(this.indent(), kind === 'icmpIn' ? 'ICMP input histogram:' : 'ICMP output histogram:');
      if (val > 0n) this.out(8, line);
      this.state = kind;
      return;
    }
    if (kind === 'num' || val !== 0n) this.out(4, line);
    this.state = 'normal';
  }
}

/** Render counters the way `netstat -s [-t] [-u] [-w] [-U] [-S] [-6]` does. */
export function formatStatistics(c: CounterGroups, opts: StatisticsOptions): string {
  const any = opts.tcp || opts.udp || opts.raw || opts.udplite === true || opts.sctp === true;
  const flags: Record<Flag, boolean> = any
    ? { raw: opts.raw, tcp: opts.tcp, udp: opts.udp, sctp: opts.sctp === true }
    : { raw: true, tcp: true, udp: true, sctp: true };
  const p = new Printer();

  // A known table's section shows only with its flag; groups netstat has no table for
  // always show, with their nonzero counters as "Name: value".
  const group = (title: string, known: Known | undefined, keyOf: (name: string) => string): void => {
    p.section(title, known, flags);
    if (known && !flags[known.flag]) return;
    for (const [name, v] of Object.entries(c[title] ?? {})) p.value(known?.entries, keyOf(name), v);
  };

  const isInet6 = (g: string): boolean => g.endsWith('6');
  if (opts.inet6 === true) {
    // snmp6 names keep their group prefix in netstat's tables ("Ip6InReceives").
    for (const g of Object.keys(c).filter(isInet6)) {
      group(g, INET6_TABLES.get(g), (name) => (g === SNMP6_OTHER ? name : g + name));
    }
    // Then only the "Tcp" lines of /proc/net/snmp.
    if (c['Tcp']) group('Tcp', INET_TABLES.get('Tcp'), (name) => name);
  } else {
    for (const g of Object.keys(c)) {
      if (isInet6(g)) continue;
      group(g, INET_TABLES.get(g), (name) => (g === 'Sctp' ? g + name : name));
    }
  }
  return p.lines.length ? p.lines.join('\n') + '\n' : '';
}
