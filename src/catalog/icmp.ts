// ICMP counters: /proc/net/snmp "Icmp:" (totals and the classic per-type names) and
// "IcmpMsg:" (InTypeN/OutTypeN for every type seen), the Icmp6 lines of /proc/net/snmp6.
// Per-type counters share one text per ICMP type (ICMP4_NOTES, ICMP6_NOTES).
import { fact, group } from './define.js';
import type { CounterFact, NetstatPrint, Text } from './types.js';

/** Own-property lookup, so 'constructor' never resolves through the prototype. */
function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

const ICMP4_TYPES: Readonly<Record<number, string>> = {
  0: 'echo reply',
  3: 'destination unreachable',
  4: 'source quench',
  5: 'redirect',
  8: 'echo request',
  9: 'router advertisement',
  10: 'router solicitation',
  11: 'time exceeded',
  12: 'parameter problem',
  13: 'timestamp request',
  14: 'timestamp reply',
  15: 'information request',
  16: 'information reply',
  17: 'address mask request',
  18: 'address mask reply',
};

const ICMP6_TYPES: Readonly<Record<number, string>> = {
  1: 'destination unreachable',
  2: 'packet too big',
  3: 'time exceeded',
  4: 'parameter problem',
  128: 'echo request',
  129: 'echo reply',
  130: 'MLD query',
  131: 'MLD report',
  132: 'MLD done',
  133: 'router solicitation',
  134: 'router advertisement',
  135: 'neighbor solicitation',
  136: 'neighbor advertisement',
  137: 'redirect',
  138: 'router renumbering',
  139: 'node information query',
  140: 'node information response',
  141: 'inverse neighbor discovery solicitation',
  142: 'inverse neighbor discovery advertisement',
  143: 'MLDv2 report',
};

export function icmpTypeName(v: 4 | 6, type: number): string {
  const name = own(v === 6 ? ICMP6_TYPES : ICMP4_TYPES, String(type));
  return name ?? `type ${type}`;
}

/** Extra notes per ICMP type: [meaning addendum for received, whenRising for received, whenRising for sent]. */
const ICMP4_NOTES: Readonly<Record<number, readonly [string, string?, string?]>> = {
  0: ['Replies to echo requests, normally answers to our own pings.'],
  3: [
    'A router or host reports that a packet could not be delivered: no route, host down, port closed, or fragmentation needed but forbidden.',
    'Something we send cannot reach its destination: check routes, firewalls and whether the remote service is running. Code 4 (fragmentation needed) points at a path MTU problem.',
    'We are telling senders that a port is closed or a destination unreachable; usually UDP traffic to closed ports or routing trouble on this host.',
  ],
  4: [
    'An obsolete request to slow down because a buffer on the path ran short; modern routers no longer send it.',
    'A device on the path claims to be out of buffer space; look for congestion on that hop.',
  ],
  5: [
    'A router tells us a better first hop exists for some destination.',
    'Many redirects suggest the local routing table sends traffic through the wrong gateway; fix the route rather than relying on redirects.',
    'This host is routing packets back out of the interface they came in on; check the routes of the senders.',
  ],
  8: ['Ping requests: someone is checking whether this host answers.'],
  9: ['A router announces itself so hosts can pick a default gateway (IPv4 router discovery, rarely used).'],
  10: ['A host asks routers on the link to announce themselves.'],
  11: [
    'A packet ran out of hops (TTL reached zero) or a fragmented packet could not be reassembled in time. Traceroute relies on these.',
    'Outside of traceroute this hints at a routing loop or at fragments being lost on the way.',
    'Packets reaching this host have run out of hops, or fragments sent to us never completed.',
  ],
  12: [
    'A header field was found to be invalid by the receiver.',
    'Some packets we send carry a malformed header or option; check middleboxes that rewrite headers.',
  ],
  13: ['A request for the peer clock time (obsolete).'],
  14: ['An answer carrying the clock time (obsolete).'],
  17: ['A request for the subnet mask of the link (obsolete).'],
  18: ['An answer carrying the subnet mask (obsolete).'],
};

const ICMP6_NOTES: Readonly<Record<number, readonly [string, string?, string?]>> = {
  1: [
    'A router or host reports that an IPv6 packet could not be delivered: no route, address unreachable, administratively prohibited or port closed.',
    'Check IPv6 routes, firewalls and whether the remote service is running.',
    'We are telling senders that a port is closed or a destination unreachable.',
  ],
  2: [
    'A router could not forward an IPv6 packet because it is larger than the next link MTU; IPv6 routers never fragment, so the sender must shrink its packets.',
    'Normal in small numbers (path MTU discovery). Persistent growth with stalled transfers points at an MTU mismatch or tunnels along the path.',
    'This host is forwarding packets that do not fit the outgoing link; check the MTU of tunnels and interfaces.',
  ],
  3: [
    'An IPv6 packet ran out of hops, or fragment reassembly timed out.',
    'Outside of traceroute this hints at a routing loop or lost fragments.',
  ],
  4: [
    'A receiver found an invalid field in an IPv6 header or extension header.',
    'Some packets we send carry a header the receiver rejects; check middleboxes and extension headers.',
  ],
  128: ['Ping requests over IPv6.'],
  129: ['Ping replies over IPv6, normally answers to our own pings.'],
  130: ['A multicast router asks which multicast groups hosts on the link want.'],
  131: ['A host announces (MLDv1) that it wants traffic for a multicast group.'],
  132: ['A host announces (MLDv1) that it no longer wants a multicast group.'],
  133: ['A host asks routers on the link to send their advertisement right away.'],
  134: [
    'A router announces prefixes, its default-router role and link parameters; SLAAC uses these.',
    'Several routers advertising, or a rogue device doing so, can change the default route; make sure the sources are expected.',
  ],
  135: [
    'The IPv6 equivalent of an ARP request: who has this address, or is this neighbor still reachable. Also used for duplicate address detection.',
    'Many solicitations can mean neighbors that do not answer, scanning of the subnet, or a very large link.',
  ],
  136: ['The answer to a neighbor solicitation, or an unsolicited notice that a link-layer address changed.'],
  137: [
    'A router tells us a better first hop exists for some IPv6 destination.',
    'Many redirects suggest a wrong default route on this host.',
  ],
  143: ['A host announces (MLDv2) which multicast groups and sources it wants.'],
};

/** Name stem of the Icmp and Icmp6 per-type counters (InDestUnreachs) to type number. */
export const ICMP4_STEMS: Readonly<Record<string, number>> = {
  DestUnreachs: 3,
  TimeExcds: 11,
  ParmProbs: 12,
  SrcQuenchs: 4,
  Redirects: 5,
  Echos: 8,
  EchoReps: 0,
  Timestamps: 13,
  TimestampReps: 14,
  AddrMasks: 17,
  AddrMaskReps: 18,
};
export const ICMP6_STEMS: Readonly<Record<string, number>> = {
  DestUnreachs: 1,
  PktTooBigs: 2,
  TimeExcds: 3,
  ParmProblems: 4,
  Echos: 128,
  EchoReplies: 129,
  GroupMembQueries: 130,
  GroupMembResponses: 131,
  GroupMembReductions: 132,
  RouterSolicits: 133,
  RouterAdvertisements: 134,
  NeighborSolicits: 135,
  NeighborAdvertisements: 136,
  Redirects: 137,
  MLDv2Reports: 143,
};

/** netstat -s histogram lines of the classic per-type counters. */
const TYPE_NETSTAT: Readonly<Record<string, readonly [string, NetstatPrint]>> = {
  'Icmp.InAddrMaskReps': ['address mask replies: %llu', 'icmpIn'],
  'Icmp.InAddrMasks': ['address mask request: %llu', 'icmpIn'],
  'Icmp.InDestUnreachs': ['destination unreachable: %llu', 'icmpIn'],
  'Icmp.InEchoReps': ['echo replies: %llu', 'icmpIn'],
  'Icmp.InEchos': ['echo requests: %llu', 'icmpIn'],
  'Icmp.InParmProbs': ['wrong parameters: %llu', 'icmpIn'],
  'Icmp.InRedirects': ['redirects: %llu', 'icmpIn'],
  'Icmp.InSrcQuenchs': ['source quenches: %llu', 'icmpIn'],
  'Icmp.InTimeExcds': ['timeout in transit: %llu', 'icmpIn'],
  'Icmp.InTimestampReps': ['timestamp reply: %llu', 'icmpIn'],
  'Icmp.InTimestamps': ['timestamp request: %llu', 'icmpIn'],
  'Icmp.OutAddrMaskReps': ['address mask replies: %llu', 'icmpOut'],
  'Icmp.OutAddrMasks': ['address mask requests: %llu', 'icmpOut'],
  'Icmp.OutDestUnreachs': ['destination unreachable: %llu', 'icmpOut'],
  'Icmp.OutEchoReps': ['echo replies: %llu', 'icmpOut'],
  'Icmp.OutEchos': ['echo requests: %llu', 'icmpOut'],
  'Icmp.OutParmProbs': ['wrong parameters: %llu', 'icmpOut'],
  'Icmp.OutRedirects': ['redirect: %llu', 'icmpOut'],
  'Icmp.OutSrcQuenchs': ['source quench: %llu', 'icmpOut'],
  'Icmp.OutTimeExcds': ['time exceeded: %llu', 'icmpOut'],
  'Icmp.OutTimestampReps': ['timestamp replies: %llu', 'icmpOut'],
  'Icmp.OutTimestamps': ['timestamp requests: %llu', 'icmpOut'],
  'Icmp6.InDestUnreachs': ['destination unreachable: %llu', 'icmpIn'],
  'Icmp6.InEchoReplies': ['echo replies: %llu', 'icmpIn'],
  'Icmp6.InEchos': ['echo requests: %llu', 'icmpIn'],
  'Icmp6.InGroupMembQueries': ['group member queries: %llu', 'icmpIn'],
  'Icmp6.InGroupMembReductions': ['group member reductions: %llu', 'icmpIn'],
  'Icmp6.InGroupMembResponses': ['group member responses: %llu', 'icmpIn'],
  'Icmp6.InNeighborAdvertisements': ['neighbour advertisement: %llu', 'icmpIn'],
  'Icmp6.InNeighborSolicits': ['neighbour solicits: %llu', 'icmpIn'],
  'Icmp6.InParmProblems': ['parameter problem: %llu', 'icmpIn'],
  'Icmp6.InPktTooBigs': ['packets too big: %llu', 'icmpIn'],
  'Icmp6.InRedirects': ['redirects: %llu', 'icmpIn'],
  'Icmp6.InRouterAdvertisements': ['router advertisement: %llu', 'icmpIn'],
  'Icmp6.InRouterSolicits': ['router solicits: %llu', 'icmpIn'],
  'Icmp6.InTimeExcds': ['received ICMPv6 time exceeded: %llu', 'icmpIn'],
  'Icmp6.OutDestUnreachs': ['destination unreachable: %llu', 'icmpOut'],
  'Icmp6.OutEchoReplies': ['echo replies: %llu', 'icmpOut'],
  'Icmp6.OutEchos': ['echo requests: %llu', 'icmpOut'],
  'Icmp6.OutGroupMembQueries': ['group member queries: %llu', 'icmpOut'],
  'Icmp6.OutGroupMembReductions': ['group member reductions: %llu', 'icmpOut'],
  'Icmp6.OutGroupMembResponses': ['group member responses: %llu', 'icmpOut'],
  'Icmp6.OutNeighborAdvertisements': ['neighbor advertisements: %llu', 'icmpOut'],
  'Icmp6.OutNeighborSolicits': ['neighbor solicits: %llu', 'icmpOut'],
  'Icmp6.OutParmProblems': ['parameter problem: %llu', 'icmpOut'],
  'Icmp6.OutPktTooBigs': ['packets too big: %llu', 'icmpOut'],
  'Icmp6.OutRedirects': ['redirects: %llu', 'icmpOut'],
  'Icmp6.OutRouterSolicits': ['router solicits: %llu', 'icmpOut'],
  'Icmp6.OutTimeExcds': ['sent ICMPv6 time exceeded: %llu', 'icmpOut'],
};

const V4 = 'net/ipv4/proc.c icmp_put (ICMP_MIB_*; counted in net/ipv4/icmp.c)';
const V6 = 'net/ipv6/proc.c snmp6_icmp6_list (ICMP6_MIB_*; counted in net/ipv6/icmp.c)';
const V4_MSG = 'net/ipv4/proc.c icmpmsg_put (per-type counts from net/ipv4/icmp.c icmp_out_count and icmp_rcv)';
const V6_MSG = 'net/ipv6/proc.c snmp6_seq_show_icmpv6msg (per-type counts from net/ipv6/icmp.c)';

/** Totals and rate limits, shared by Icmp and Icmp6. */
const ICMP_TEXT: Readonly<Record<string, Text>> = {
  InMsgs: {
    meaning:
      'ICMP messages received, of all types. ICMP carries status and error reports between hosts and routers; the counts are messages, not packets of other protocols.',
  },
  OutMsgs: {
    meaning: 'ICMP messages sent, of all types.',
  },
  InErrors: {
    meaning:
      'Received ICMP messages that could not be used: broken ones (a bad checksum, also in InCsumErrors, too short, a cut quoted header) and error reports quoting a packet no local socket sent. Error reports that reach their socket, such as the unreachables answering our own traffic, are not counted here, only by their type.',
    rising:
      'Unmatched reports are stale (the socket closed meanwhile), meant for another host, or forged; broken ones come from a faulty device or crafted traffic.',
    source:
      'net/ipv4/icmp.c icmp_rcv (csum_error, error), icmp_unreach (out_err); net/ipv4/udp.c __udp4_lib_err and tcp_ipv4.c tcp_v4_err (no socket); measured: ' +
      'test/catalog-kernel.test.ts "Icmp.InErrors counts broken ICMP and reports no socket sent"',
  },
  OutErrors: {
    meaning: 'ICMP messages this host failed to send, for example for lack of buffers.',
    rising: 'The host is short of resources while trying to send errors; check memory and rate limits.',
  },
  InCsumErrors: {
    meaning: 'Received ICMP messages with a bad checksum.',
    rising: 'Corruption on the path or a broken sender.',
  },
  OutRateLimitGlobal: {
    meaning:
      'ICMP errors not sent because the host-wide ICMP rate limit (net.ipv4.icmp_msgs_per_sec, icmp_msgs_burst) was hit. Together with OutRateLimitHost it accounts for the port unreachables Udp.NoPorts did not get.',
    rising: 'A flood of traffic is provoking ICMP errors, often a port scan or traffic to closed UDP ports.',
  },
  OutRateLimitHost: {
    meaning:
      'ICMP errors not sent because the per-destination limit was hit (net.ipv4.icmp_ratelimit for the types in icmp_ratemask, net.ipv6.icmp.ratelimit for ICMPv6); loopback destinations are exempt.',
    rising: 'One peer keeps triggering ICMP errors: a scan, a misconfigured client, or traffic to a closed port.',
  },
};

export const ICMP = group(
  'Icmp',
  { source: V4, text: ICMP_TEXT },
  {
    InMsgs: { netstat: ['%llu ICMP messages received', 'num'] },
    InErrors: { problem: true, netstat: ['%llu input ICMP message failed', 'num'] },
    InCsumErrors: { problem: true },
    OutMsgs: { netstat: ['%llu ICMP messages sent', 'num'] },
    OutErrors: { problem: true, netstat: ['%llu ICMP messages failed', 'num'] },
    OutRateLimitGlobal: { problem: true },
    OutRateLimitHost: { problem: true },
  },
);

export const ICMP6 = group(
  'Icmp6',
  { source: V6, text: ICMP_TEXT },
  {
    InMsgs: { netstat: ['%llu ICMP messages received', 'num'] },
    InErrors: { problem: true, netstat: ['%llu input ICMP message failed', 'num'] },
    OutMsgs: { netstat: ['%llu ICMP messages sent', 'num'] },
    OutErrors: { problem: true },
    InCsumErrors: {},
    OutRateLimitHost: { problem: true },
  },
);

function typeFact(v: 4 | 6, key: string, dir: 'In' | 'Out', type: number, source: string): CounterFact {
  const name = icmpTypeName(v, type);
  const notes = own(v === 6 ? ICMP6_NOTES : ICMP4_NOTES, String(type));
  const head = `${dir === 'In' ? 'Received' : 'Sent'} ICMP${v === 6 ? 'v6' : ''} ${name} messages (type ${type}).`;
  const rising = notes ? (dir === 'In' ? notes[1] : notes[2]) : undefined;
  const nst = own(TYPE_NETSTAT, key);
  return fact(
    key,
    key,
    {
      ...(nst ? { netstat: nst } : {}),
      meaning: notes ? `${head} ${notes[0]}` : head,
      ...(rising !== undefined ? { rising } : {}),
    },
    undefined,
    source,
  );
}

/** The classic named per-type counters: Icmp.InDestUnreachs, Icmp6.OutPktTooBigs, … */
export const ICMP_TYPES: CounterFact[] = [
  ...Object.entries(ICMP4_STEMS).flatMap(([stem, t]) => (['In', 'Out'] as const).map((d) => typeFact(4, `Icmp.${d}${stem}`, d, t, V4))),
  ...Object.entries(ICMP6_STEMS).flatMap(([stem, t]) => (['In', 'Out'] as const).map((d) => typeFact(6, `Icmp6.${d}${stem}`, d, t, V6))),
];

const TYPE_KEY = /^(IcmpMsg|Icmp6)\.(In|Out)Type(\d{1,3})$/;

/** IcmpMsg.InType3, Icmp6.OutType135: one family per group, any type number; the kernel
 *  lists a type only once it has been counted. */
export function icmpTypeFact(key: string): CounterFact | null {
  const m = TYPE_KEY.exec(key);
  if (!m) return null;
  const v6 = m[1] === 'Icmp6';
  const f = typeFact(v6 ? 6 : 4, key, m[2] as 'In' | 'Out', Number(m[3]), v6 ? V6_MSG : V4_MSG);
  return { ...f, listedWhenNonzero: true };
}
