// The order of net-tools 2.10's netstat -s tables (statistics.c). netstat looks counters up
// with bsearch() in tables that are meant to be sorted but are not quite ("Forwarding" sits
// before "ForwDatagrams", "TW" after "TWKilled"), so a name bsearch misses prints as a raw
// "Name: value" line. The order is kept exactly as upstream's to miss where netstat misses;
// the wording of each row is the netstat field of the counter's entry.
import type { NetstatPrint } from './types.js';

export type NetstatFlag = 'raw' | 'tcp' | 'udp' | 'sctp';

export interface NetstatTable {
  /** Which of -w/-t/-u/-S shows the table. */
  readonly flag: NetstatFlag;
  /** The /proc group the rows' counters are in. */
  readonly group: string;
  /** snmp6 and sctp names keep their group prefix in netstat's tables ("Ip6InReceives"). */
  readonly prefixed: boolean;
  readonly names: readonly string[];
}

/** A table row as the printer uses it: [netstat name, wording, how it prints]. */
export type NetstatRow = readonly [name: string, text: string, print: NetstatPrint];

const NAMES = {
  Ip: [
    'DefaultTTL',
    'Forwarding',
    'ForwDatagrams',
    'FragCreates',
    'FragFails',
    'FragOKs',
    'InAddrErrors',
    'InDelivers',
    'InDiscards',
    'InHdrErrors',
    'InReceives',
    'InUnknownProtos',
    'OutDiscards',
    'OutNoRoutes',
    'OutRequests',
    'ReasmFails',
    'ReasmOKs',
    'ReasmReqds',
    'ReasmTimeout',
  ],
  Ip6: [
    'Ip6FragCreates',
    'Ip6FragFails',
    'Ip6FragOKs',
    'Ip6InAddrErrors',
    'Ip6InDelivers',
    'Ip6InDiscards',
    'Ip6InHdrErrors',
    'Ip6InMcastPkts',
    'Ip6InNoRoutes',
    'Ip6InReceives',
    'Ip6InTooBigErrors',
    'Ip6InTruncatedPkts',
    'Ip6InUnknownProtos',
    'Ip6OutDiscards',
    'Ip6OutForwDatagrams',
    'Ip6OutMcastPkts',
    'Ip6OutNoRoutes',
    'Ip6OutRequests',
    'Ip6ReasmFails',
    'Ip6ReasmOKs',
    'Ip6ReasmReqds',
    'Ip6ReasmTimeout',
  ],
  Icmp: [
    'InAddrMaskReps',
    'InAddrMasks',
    'InDestUnreachs',
    'InEchoReps',
    'InEchos',
    'InErrors',
    'InMsgs',
    'InParmProbs',
    'InRedirects',
    'InSrcQuenchs',
    'InTimeExcds',
    'InTimestampReps',
    'InTimestamps',
    'OutAddrMaskReps',
    'OutAddrMasks',
    'OutDestUnreachs',
    'OutEchoReps',
    'OutEchos',
    'OutErrors',
    'OutMsgs',
    'OutParmProbs',
    'OutRedirects',
    'OutSrcQuenchs',
    'OutTimeExcds',
    'OutTimestampReps',
    'OutTimestamps',
  ],
  Icmp6: [
    'Icmp6InDestUnreachs',
    'Icmp6InEchoReplies',
    'Icmp6InEchos',
    'Icmp6InErrors',
    'Icmp6InGroupMembQueries',
    'Icmp6InGroupMembReductions',
    'Icmp6InGroupMembResponses',
    'Icmp6InMsgs',
    'Icmp6InNeighborAdvertisements',
    'Icmp6InNeighborSolicits',
    'Icmp6InParmProblems',
    'Icmp6InPktTooBigs',
    'Icmp6InRedirects',
    'Icmp6InRouterAdvertisements',
    'Icmp6InRouterSolicits',
    'Icmp6InTimeExcds',
    'Icmp6OutDestUnreachs',
    'Icmp6OutEchoReplies',
    'Icmp6OutEchos',
    'Icmp6OutGroupMembQueries',
    'Icmp6OutGroupMembReductions',
    'Icmp6OutGroupMembResponses',
    'Icmp6OutMsgs',
    'Icmp6OutNeighborAdvertisements',
    'Icmp6OutNeighborSolicits',
    'Icmp6OutParmProblems',
    'Icmp6OutPktTooBigs',
    'Icmp6OutRedirects',
    // The trailing space is upstream's: this row never matches a kernel name.
    'Icmp6OutRouterAdvertisements ',
    'Icmp6OutRouterSolicits',
    'Icmp6OutTimeExcds',
  ],
  Tcp: [
    'ActiveOpens',
    'AttemptFails',
    'CurrEstab',
    'EstabResets',
    'InErrs',
    'InSegs',
    'MaxConn',
    'OutRsts',
    'OutSegs',
    'PassiveOpens',
    'RetransSegs',
    'RtoAlgorithm',
    'RtoMax',
    'RtoMin',
  ],
  Udp: ['InDatagrams', 'InErrors', 'NoPorts', 'OutDatagrams', 'RcvbufErrors', 'SndbufErrors'],
  Udp6: ['Udp6InDatagrams', 'Udp6InErrors', 'Udp6NoPorts', 'Udp6OutDatagrams'],
  TcpExt: [
    'DelayedACKLocked',
    'DelayedACKLost',
    'DelayedACKs',
    'EmbryonicRsts',
    'ListenDrops',
    'ListenOverflows',
    'LockDroppedIcmps',
    'OfoPruned',
    'OutOfWindowIcmps',
    'PAWSActive',
    'PAWSEstab',
    'PAWSPassive',
    'PruneCalled',
    'RcvPruned',
    'SockMallocOOM',
    'SyncookiesFailed',
    'SyncookiesRecv',
    'SyncookiesSent',
    'TCPAbortFailed',
    'TCPAbortOnClose',
    'TCPAbortOnData',
    'TCPAbortOnLinger',
    'TCPAbortOnMemory',
    'TCPAbortOnSyn',
    'TCPAbortOnTimeout',
    'TCPDirectCopyFromBacklog',
    'TCPDirectCopyFromPrequeue',
    'TCPDSACKOfoRecv',
    'TCPDSACKOfoSent',
    'TCPDSACKOldSent',
    'TCPDSACKRecv',
    'TCPDSackUndo',
    'TCPDSACKUndo',
    'TCPFACKReorder',
    'TCPFastRetrans',
    'TCPForwardRetrans',
    'TCPFullUndo',
    'TCPHPAcks',
    'TCPHPHits',
    'TCPHPHitsToUser',
    'TCPLossFailures',
    'TCPLoss',
    'TCPLossUndo',
    'TCPLostRetransmits',
    'TCPMemoryPressures',
    'TCPPartialUndo',
    'TCPPrequeued',
    'TCPPrequeueDropped',
    'TCPPureAcks',
    'TCPRcvCollapsed',
    'TCPRenoFailures',
    'TCPRenoRecoveryFailed',
    'TCPRenoRecoveryFail',
    'TCPRenoRecovery',
    'TCPRenoReorder',
    'TCPSackFailures',
    'TCPSackRecoveryFail',
    'TCPSackRecovery',
    'TCPSACKReneging',
    'TCPSACKReorder',
    'TCPSchedulerFailed',
    'TCPSlowStartRetrans',
    'TCPTimeouts',
    'TCPTSReorder',
    'TWKilled',
    'TW',
    'TWRecycled',
  ],
  Sctp: [
    'SctpAborteds',
    'SctpActiveEstabs',
    'SctpChecksumErrors',
    'SctpCurrEstab',
    'SctpFragUsrMsgs',
    'SctpInCtrlChunks',
    'SctpInOrderChunks',
    'SctpInSCTPPacks',
    'SctpInUnorderChunks',
    'SctpOutCtrlChunks',
    'SctpOutOfBlues',
    'SctpOutOrderChunks',
    'SctpOutSCTPPacks',
    'SctpOutUnorderChunks',
    'SctpPassiveEstabs',
    'SctpReasmUsrMsgs',
    'SctpShutdowns',
  ],
} as const;

export const NETSTAT_TABLES: Readonly<Record<string, NetstatTable>> = {
  Ip: { flag: 'raw', group: 'Ip', prefixed: false, names: NAMES.Ip },
  Icmp: { flag: 'raw', group: 'Icmp', prefixed: false, names: NAMES.Icmp },
  Tcp: { flag: 'tcp', group: 'Tcp', prefixed: false, names: NAMES.Tcp },
  Udp: { flag: 'udp', group: 'Udp', prefixed: false, names: NAMES.Udp },
  Sctp: { flag: 'sctp', group: 'Sctp', prefixed: true, names: NAMES.Sctp },
  TcpExt: { flag: 'tcp', group: 'TcpExt', prefixed: false, names: NAMES.TcpExt },
  Ip6: { flag: 'raw', group: 'Ip6', prefixed: true, names: NAMES.Ip6 },
  Icmp6: { flag: 'raw', group: 'Icmp6', prefixed: true, names: NAMES.Icmp6 },
  Udp6: { flag: 'udp', group: 'Udp6', prefixed: true, names: NAMES.Udp6 },
  // netstat -s -6 prints the Tcp lines of /proc/net/snmp with the Tcp table.
  Tcp6: { flag: 'tcp', group: 'Tcp', prefixed: false, names: NAMES.Tcp },
};

const ENCODER = new TextEncoder();

/** strcmp(): byte order of the UTF-8 text. */
function strcmp(a: string, b: string): number {
  return Buffer.compare(ENCODER.encode(a), ENCODER.encode(b));
}

/** glibc's bsearch(): on an unsorted table it misses exactly where netstat misses. */
export function netstatFind(rows: readonly NetstatRow[], name: string): NetstatRow | undefined {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const e = rows[mid];
    if (!e) return undefined;
    const c = strcmp(name, e[0]);
    if (c < 0) hi = mid;
    else if (c > 0) lo = mid + 1;
    else return e;
  }
  return undefined;
}

/** The catalog key a table row names: 'Ip6InReceives' in the Ip6 table → 'Ip6.InReceives'. */
export function rowKey(table: NetstatTable, name: string): string {
  const bare = table.prefixed && name.startsWith(table.group) ? name.slice(table.group.length) : name;
  return `${table.group}.${bare}`;
}
