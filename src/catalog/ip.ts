// IP counters: /proc/net/snmp "Ip:", /proc/net/netstat "IpExt:" and the Ip6 lines of
// /proc/net/snmp6. They count since boot over all interfaces, and the IP counters include the
// packets of TCP, UDP and ICMP. The three groups share their texts (IP_TEXT); what differs
// per group (kind, problem flag, netstat wording) is in the group's own list below.
import { group } from './define.js';
import type { Text } from './types.js';

const IP_TEXT: Readonly<Record<string, Text>> = {
  Forwarding: {
    meaning:
      'Whether this host routes packets for others: 1 means forwarding is on (it acts as a router), 2 means it is off. A setting, not a counter.',
  },
  DefaultTTL: {
    meaning: 'The hop limit (TTL) put in packets this host originates. A setting, not a counter.',
  },
  InReceives: {
    meaning: 'All IP packets received from the interfaces, including ones later found to be bad.',
    rising: 'Just traffic volume. If it stays at zero while traffic is expected, the network stack is not receiving anything at all.',
  },
  InHdrErrors: {
    meaning: 'Received packets dropped because their IP header was broken: bad checksum, wrong version, TTL exceeded, malformed options.',
    rising: 'Look for a faulty device or driver on the path, or deliberately malformed traffic.',
  },
  InAddrErrors: {
    meaning:
      'Received packets dropped because the destination address was not valid for this host (for example not ours and forwarding is off, or an invalid class of address).',
    rising:
      'Often traffic meant for another host reaching us, such as after an address change or in promiscuous setups; check ARP and addressing on the segment.',
    source:
      'net/ipv4/route.c ip_route_input_slow (not local, forwarding off: EHOSTUNREACH) and ip_error (IPSTATS_MIB_INADDRERRORS); measured: ' +
      'test/catalog-kernel.test.ts "a packet for another host"',
  },
  ForwDatagrams: {
    meaning: 'Packets this host forwarded on behalf of other hosts instead of consuming them itself (routing).',
    rising:
      'Expected on routers and container or VM hosts; on a plain server it means it is routing traffic, check whether that is intended.',
  },
  OutForwDatagrams: {
    meaning: 'Packets this host forwarded on behalf of other hosts (routing).',
  },
  InUnknownProtos: {
    meaning:
      'Received packets addressed to us whose upper-layer protocol the host does not handle (neither TCP, UDP, ICMP nor any loaded protocol).',
    rising: 'Something is sending an unusual protocol (GRE, SCTP, ESP and so on) that no module or socket handles here.',
  },
  InDiscards: {
    meaning:
      'Received packets that IP dropped not because of any error but for lack of memory, for example when a shared packet could not be copied or trimmed. Drops further up are not counted here: a full socket receive buffer is Udp.RcvbufErrors or TcpExt.TCPRcvQDrop, and a firewall drop has no IP counter at all.',
    rising:
      'Rare: the receive path is short of memory; check free memory and softirq load. For packets that reach a socket and are lost there, look at the UDP and TCP buffer counters instead.',
    source:
      'net/ipv4/ip_input.c ip_rcv_core (skb_share_check and pskb_trim_rcsum failures); measured: ' +
      'test/catalog-kernel.test.ts "a full UDP receive buffer counts in Udp.RcvbufErrors, never in Ip.InDiscards"',
  },
  InDelivers: {
    meaning: 'Received packets handed successfully to an upper-layer protocol (TCP, UDP, ICMP and so on).',
  },
  OutRequests: {
    meaning: 'Packets that local protocols handed to IP for sending (forwarded packets are not included).',
  },
  OutDiscards: {
    meaning: 'Outgoing packets that had no error but were dropped, for example for lack of buffer space.',
    rising: 'The sending path is short of memory or queue space; check qdisc drops and memory pressure.',
  },
  OutNoRoutes: {
    meaning:
      'Outgoing packets dropped because no route matched the destination; the classic netstat calls these dropped because of missing route.',
    rising: 'Some program is trying to reach a network this host has no route to: check the default route and the routing table.',
  },
  ReasmTimeout: {
    meaning:
      'Reassemblies abandoned because the rest of the fragments did not arrive within net.ipv4.ipfrag_time (30 s by default); each also counts in ReasmFails, and an ICMP time exceeded goes back to the sender. A counter, not the timeout setting.',
    rising:
      'Fragments are lost on the way (a firewall that drops non-first fragments is a classic cause) or some arrive far too late; avoid fragmentation by fixing the MTU along the path.',
    source:
      'net/ipv4/ip_fragment.c ip_expire (IPSTATS_MIB_REASMTIMEOUT, with REASMFAILS and icmp_send ICMP_EXC_FRAGTIME); measured: ' +
      'test/catalog-kernel.test.ts "Ip.ReasmTimeout counts reassemblies abandoned after ipfrag_time"',
  },
  ReasmReqds: {
    meaning: 'Received fragments that needed reassembly into whole packets.',
    rising: 'A high share of fragmented traffic costs CPU and is fragile; check that the MTUs along the path match.',
  },
  ReasmOKs: {
    meaning: 'Packets reassembled successfully from fragments.',
  },
  ReasmFails: {
    meaning:
      'Reassembly failures: fragments that timed out, overlapped or exceeded the memory limit. It counts failures, not discarded fragments.',
    rising: 'Fragments are being lost or the reassembly memory limit is too small; fix the MTU so fragmentation is not needed.',
  },
  FragOKs: {
    meaning: 'Outgoing packets fragmented successfully because they were larger than the MTU.',
    rising: 'Much fragmentation means packets exceed the MTU of the outgoing link; check MTU settings and path MTU discovery.',
  },
  FragFails: {
    meaning: 'Outgoing packets dropped because they needed fragmentation but could not be fragmented (the do-not-fragment bit was set).',
    rising: 'Path MTU trouble: check the MTU of tunnels and interfaces and that ICMP fragmentation-needed messages are not blocked.',
  },
  FragCreates: {
    meaning: 'Fragments created by fragmenting outgoing packets.',
  },
  OutTransmits: {
    meaning: 'Packets handed to the link layer for transmission, counting both local and forwarded traffic.',
  },
  InTooBigErrors: {
    meaning: 'IPv6 packets that could not be forwarded because they exceeded the MTU of the outgoing link.',
    rising:
      'Hosts send packets too large for a link this host routes to; check tunnel MTUs and that packet-too-big messages reach the senders.',
  },
  InNoRoutes: {
    meaning: 'Received packets that could not be forwarded because there was no route to their destination.',
    rising: 'Traffic arrives for networks this host cannot reach; check routes or who is sending it.',
    source:
      'net/ipv4/route.c ip_error (ENETUNREACH: IPSTATS_MIB_INNOROUTES); measured for IPv4: ' +
      'test/catalog-kernel.test.ts "a packet for another host"',
  },
  InTruncatedPkts: {
    meaning: 'Received packets shorter than their header claimed, so they were cut off somewhere.',
    rising: 'Points at a broken device, driver or capture setup on the path.',
  },
  InMcastPkts: {
    meaning: 'Multicast packets received.',
  },
  OutMcastPkts: {
    meaning: 'Multicast packets sent.',
  },
  InBcastPkts: {
    meaning: 'Broadcast packets received.',
  },
  OutBcastPkts: {
    meaning: 'Broadcast packets sent.',
  },
  InOctets: {
    meaning: 'Bytes of IP traffic received.',
  },
  OutOctets: {
    meaning: 'Bytes of IP traffic sent.',
  },
  InMcastOctets: {
    meaning: 'Bytes of multicast traffic received.',
  },
  OutMcastOctets: {
    meaning: 'Bytes of multicast traffic sent.',
  },
  InBcastOctets: {
    meaning: 'Bytes of broadcast traffic received.',
  },
  OutBcastOctets: {
    meaning: 'Bytes of broadcast traffic sent.',
  },
  InCsumErrors: {
    meaning: 'Received packets with a bad checksum.',
    rising: 'Corruption on the path or a NIC with broken checksum offload.',
  },
  InNoECTPkts: {
    meaning: 'Received packets not using ECN (Explicit Congestion Notification).',
  },
  InECT1Pkts: {
    meaning: 'Received packets marked ECN-capable with codepoint ECT(1).',
  },
  InECT0Pkts: {
    meaning: 'Received packets marked ECN-capable with codepoint ECT(0).',
  },
  InCEPkts: {
    meaning: 'Received packets marked Congestion Experienced: a router on the path signalled congestion instead of dropping them.',
    rising: 'The path is congested; throughput is being reduced to avoid loss.',
  },
  ReasmOverlaps: {
    meaning: 'Fragments dropped because they overlapped other fragments of the same packet.',
    rising: 'Overlapping fragments are a classic evasion technique or a sign of a broken sender.',
  },
};

/** Ip6 names whose meaning differs from the Ip name of the same spelling. */
const IP6_ONLY: Readonly<Record<string, Text>> = {
  InDiscards: {
    meaning:
      'Received IPv6 packets dropped not because of any error but because IPv6 is disabled on the receiving interface (disable_ipv6) or memory ran short. A full socket receive buffer is Udp6.RcvbufErrors, and a firewall drop has no IP counter.',
    rising: 'Check disable_ipv6 on the interfaces that receive IPv6 traffic, then memory in the receive path.',
    source: 'net/ipv6/ip6_input.c ip6_rcv_core (idev->cnf.disable_ipv6 and skb_share_check failures, IPSTATS_MIB_INDISCARDS)',
  },
  ReasmTimeout: {
    source: 'net/ipv6/reassembly.c ip6_frag_expire, include/net/ipv6_frag.h ip6frag_expire_frag_queue (IPSTATS_MIB_REASMTIMEOUT)',
    meaning: 'IPv6 reassembly attempts abandoned because not all fragments arrived within net.ipv6.ip6frag_time (60 s by default).',
    rising: 'Fragments are getting lost on the path; reduce fragmentation by fixing the MTU.',
  },
};

export const IP = group(
  'Ip',
  {
    label: 'IPv4',
    text: IP_TEXT,
    source:
      'net/ipv4/proc.c snmp_seq_show_ipstats (IPSTATS_MIB_*; counted in net/ipv4/ip_input.c, ip_output.c, ip_fragment.c, ip_forward.c)',
  },
  {
    Forwarding: { kind: 'setting', netstat: ['Forwarding is %s', 'hidden'] },
    DefaultTTL: { kind: 'setting', netstat: ['Default TTL is %llu', 'hidden'] },
    InReceives: { netstat: ['%llu total packets received', 'num'] },
    InHdrErrors: { problem: true, netstat: ['%llu with invalid headers', 'opt'] },
    InAddrErrors: { problem: true, netstat: ['%llu with invalid addresses', 'opt'] },
    ForwDatagrams: { netstat: ['%llu forwarded', 'num'] },
    InUnknownProtos: { problem: true, netstat: ['%llu with unknown protocol', 'opt'] },
    InDiscards: { problem: true, netstat: ['%llu incoming packets discarded', 'num'] },
    InDelivers: { netstat: ['%llu incoming packets delivered', 'num'] },
    OutRequests: { netstat: ['%llu requests sent out', 'num'] },
    OutDiscards: { problem: true, netstat: ['%llu outgoing packets dropped', 'opt'] },
    OutNoRoutes: { problem: true, netstat: ['%llu dropped because of missing route', 'opt'] },
    ReasmTimeout: { problem: true, netstat: ['%llu fragments dropped after timeout', 'opt'] },
    ReasmReqds: { netstat: ['%llu reassemblies required', 'opt'] },
    ReasmOKs: { netstat: ['%llu packets reassembled ok', 'opt'] },
    ReasmFails: { problem: true, netstat: ['%llu packet reassemblies failed', 'opt'] },
    FragOKs: { netstat: ['%llu outgoing packets fragmented ok', 'opt'] },
    FragFails: { problem: true, netstat: ['%llu outgoing packets failed fragmentation', 'opt'] },
    FragCreates: { netstat: ['%llu fragments created', 'opt'] },
    OutTransmits: {},
  },
);

export const IP_EXT = group(
  'IpExt',
  {
    label: 'IPv4',
    text: IP_TEXT,
    source: 'net/ipv4/proc.c netstat_seq_show, snmp4_ipextstats_list',
  },
  {
    InNoRoutes: {},
    InTruncatedPkts: {},
    InMcastPkts: {},
    OutMcastPkts: {},
    InBcastPkts: {},
    OutBcastPkts: {},
    InOctets: {},
    OutOctets: {},
    InMcastOctets: {},
    OutMcastOctets: {},
    InBcastOctets: {},
    OutBcastOctets: {},
    InCsumErrors: {},
    InNoECTPkts: {},
    InECT1Pkts: {},
    InECT0Pkts: {},
    InCEPkts: {},
    ReasmOverlaps: {},
  },
);

export const IP6 = group(
  'Ip6',
  {
    label: 'IPv6',
    text: { ...IP_TEXT, ...IP6_ONLY },
    source: 'net/ipv6/proc.c snmp6_ipstats_list (counted in net/ipv6/ip6_input.c, ip6_output.c, reassembly.c)',
  },
  {
    InReceives: { netstat: ['%llu total packets received', 'num'] },
    InHdrErrors: { problem: true, netstat: ['%llu with invalid headers', 'opt'] },
    InTooBigErrors: { netstat: ['%llu with packets too big', 'opt'] },
    InNoRoutes: { netstat: ['%llu incoming packets with no route', 'opt'] },
    InAddrErrors: { problem: true, netstat: ['%llu with invalid addresses', 'opt'] },
    InUnknownProtos: { netstat: ['%llu with unknown protocol', 'opt'] },
    InTruncatedPkts: { netstat: ['%llu with truncated packets', 'opt'] },
    InDiscards: { problem: true, netstat: ['%llu incoming packets discarded', 'num'] },
    InDelivers: { netstat: ['%llu incoming packets delivered', 'num'] },
    OutForwDatagrams: { netstat: ['%llu forwarded', 'num'] },
    OutRequests: { netstat: ['%llu requests sent out', 'num'] },
    OutDiscards: { problem: true, netstat: ['%llu outgoing packets dropped', 'opt'] },
    OutNoRoutes: { problem: true, netstat: ['%llu dropped because of missing route', 'opt'] },
    ReasmTimeout: { netstat: ['%llu fragments dropped after timeout', 'opt'] },
    ReasmReqds: { netstat: ['%llu reassemblies required', 'opt'] },
    ReasmOKs: { netstat: ['%llu packets reassembled ok', 'opt'] },
    ReasmFails: { problem: true, netstat: ['%llu packet reassemblies failed', 'opt'] },
    FragOKs: { netstat: ['%llu outgoing packets fragmented ok', 'opt'] },
    FragFails: { netstat: ['%llu outgoing packets failed fragmentation', 'opt'] },
    FragCreates: { netstat: ['%llu fragments created', 'opt'] },
    InMcastPkts: { netstat: ['%llu incoming multicast packets', 'opt'] },
    OutMcastPkts: { netstat: ['%llu outgoing multicast packets', 'opt'] },
    InOctets: {},
    OutOctets: {},
    InMcastOctets: {},
    OutMcastOctets: {},
    InBcastOctets: {},
    OutBcastOctets: {},
    InNoECTPkts: {},
    InECT1Pkts: {},
    InECT0Pkts: {},
    InCEPkts: {},
    OutTransmits: {},
  },
);
