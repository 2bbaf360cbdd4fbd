// UDP counters: /proc/net/snmp "Udp:" and "UdpLite:", the Udp6 and UdpLite6 lines of
// /proc/net/snmp6. The four groups share their texts (UDP_TEXT).
import { group } from './define.js';
import type { Text } from './types.js';

const UDP_TEXT: Readonly<Record<string, Text>> = {
  InDatagrams: {
    meaning: 'UDP datagrams delivered to sockets. UDP has no connections, so its counters are in packets.',
  },
  NoPorts: {
    meaning:
      'Received datagrams for a port where no socket was listening. Each is answered with an ICMP port unreachable unless ICMP rate limiting holds it back (Icmp.OutRateLimitGlobal and Icmp.OutRateLimitHost, Icmp6.OutRateLimitHost for IPv6), so NoPorts equals the port unreachables sent plus those held back.',
    source:
      'net/ipv4/udp.c __udp4_lib_rcv (UDP_MIB_NOPORTS, then icmp_send); measured: ' +
      'test/catalog-kernel.test.ts "Udp.NoPorts = port unreachables sent + ICMP rate-limited"',
    rising:
      'Somewhat normal because anyone can send UDP uninvited. A sudden rise means a service is down, a client is misconfigured, or someone is scanning ports.',
  },
  InErrors: {
    meaning:
      'Received datagrams that could not be delivered for reasons other than a missing port: bad checksum, too short, or a full receive buffer (those also count in RcvbufErrors).',
    rising: 'Check RcvbufErrors and InCsumErrors to see which cause it is.',
  },
  OutDatagrams: {
    meaning: 'UDP datagrams sent.',
  },
  RcvbufErrors: {
    meaning: 'Datagrams dropped because the receive buffer of the destination socket was full.',
    rising: 'The application is not reading fast enough: make it read faster, or raise SO_RCVBUF and net.core.rmem_max.',
  },
  SndbufErrors: {
    meaning: 'Datagrams that could not be sent because the socket send buffer or the device queue was full.',
    rising: 'The application sends faster than the host can transmit; raise SO_SNDBUF and net.core.wmem_max or pace the sender.',
  },
  InCsumErrors: {
    meaning: 'Received datagrams with a bad UDP checksum.',
    rising: 'Corruption on the path, or checksum offload problems on a NIC.',
  },
  IgnoredMulti: {
    meaning: 'Broadcast or multicast datagrams that no socket wanted and were silently ignored.',
  },
  MemErrors: {
    meaning: 'Datagrams dropped because the UDP memory limit (net.ipv4.udp_mem) was reached.',
    rising: 'UDP sockets as a whole hold too much unread data; find the slow readers or raise udp_mem.',
  },
};

const V4 = 'net/ipv4/proc.c snmp4_udp_list (UDP_MIB_*; counted in net/ipv4/udp.c)';
const V6 = 'net/ipv6/proc.c snmp6_udp6_list (UDP_MIB_*; counted in net/ipv6/udp.c)';

export const UDP = group(
  'Udp',
  { label: 'UDP over IPv4', text: UDP_TEXT, source: V4 },
  {
    InDatagrams: { netstat: ['%llu packets received', 'num'] },
    NoPorts: { problem: true, netstat: ['%llu packets to unknown port received', 'num'] },
    InErrors: { problem: true, netstat: ['%llu packet receive errors', 'num'] },
    OutDatagrams: { netstat: ['%llu packets sent', 'num'] },
    RcvbufErrors: { problem: true, netstat: ['%llu receive buffer errors', 'num'] },
    SndbufErrors: { problem: true, netstat: ['%llu send buffer errors', 'num'] },
    InCsumErrors: { problem: true },
    IgnoredMulti: {},
    MemErrors: { problem: true },
  },
);

export const UDP6 = group(
  'Udp6',
  { label: 'UDP over IPv6', text: UDP_TEXT, source: V6 },
  {
    InDatagrams: { netstat: ['%llu packets received', 'num'] },
    NoPorts: { problem: true, netstat: ['%llu packets to unknown port received', 'num'] },
    InErrors: { problem: true, netstat: ['%llu packet receive errors', 'num'] },
    OutDatagrams: { netstat: ['%llu packets sent', 'num'] },
    RcvbufErrors: { problem: true },
    SndbufErrors: { problem: true },
    InCsumErrors: { problem: true },
    IgnoredMulti: {},
    MemErrors: { problem: true },
  },
);

export const UDPLITE = group(
  'UdpLite',
  { label: 'UDP-Lite over IPv4', text: UDP_TEXT, source: V4 },
  {
    InDatagrams: {},
    NoPorts: {},
    InErrors: { problem: true },
    OutDatagrams: {},
    RcvbufErrors: {},
    SndbufErrors: {},
    InCsumErrors: {},
    IgnoredMulti: {},
    MemErrors: {},
  },
);

export const UDPLITE6 = group(
  'UdpLite6',
  { label: 'UDP-Lite over IPv6', text: UDP_TEXT, source: V6 },
  {
    InDatagrams: {},
    NoPorts: {},
    InErrors: {},
    OutDatagrams: {},
    RcvbufErrors: {},
    SndbufErrors: {},
    InCsumErrors: {},
    MemErrors: {},
  },
);
