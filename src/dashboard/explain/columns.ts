// What each column of each pane means.
// Texts are our own wording and end up in a blessed box with tags enabled: never braces or
// control characters (test/explain.test.ts checks every entry).
import type { Explanation } from '../../catalog/index.js';

/** [meaning, whenRising?] */
type Entry = readonly [string, string?];

function ex(title: string, meaning: string, whenRising?: string): Explanation {
  return whenRising === undefined ? { title, meaning } : { title, meaning, whenRising };
}

/** Own-property lookup, so 'constructor' or 'toString' never resolve through the prototype. */
function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

export type Pane = 'connections' | 'interfaces' | 'routes' | 'unix' | 'counters' | 'icmp' | 'conntrack';

const CONNECTION_COLUMNS: Readonly<Record<string, Entry>> = {
  Proto: ['The transport of the socket: tcp, udp, raw (any other IP protocol, such as ICMP), or their IPv6 variants tcp6, udp6, raw6.'],
  'Recv-Q': [
    'For a connected socket, bytes received by the kernel that the application has not read yet. For a LISTEN socket on Linux it is the accept queue instead: connections fully set up and waiting for accept(), as ss shows it.',
    'A persistently non-zero value means the application reads too slowly; on a listener it means accept() lags behind and new connections will soon be dropped (TcpExt.ListenOverflows).',
  ],
  'Send-Q': [
    'For a connected socket, bytes sent by the application that the peer has not acknowledged yet. For a LISTEN socket on Linux it is the backlog limit passed to listen(), capped by net.core.somaxconn.',
    'A large value that does not drain means the peer reads slowly, its receive window is closed, or the path is lossy.',
  ],
  'Local Address': [
    'The address and port this socket is bound to on this host. 0.0.0.0 or :: (shown as * by some tools) means every local address; a specific address accepts only traffic sent to it, which matters on hosts with several interfaces.',
  ],
  'Foreign Address': [
    'The address and port of the remote end. For a listener or an unconnected UDP socket there is no peer, shown as *:* or 0.0.0.0:*. Without numeric mode, names come from reverse DNS and the services file, which can be slow when DNS does not answer.',
  ],
  State: [
    'The TCP state of the connection (ESTABLISHED, LISTEN, TIME_WAIT and so on). UDP and raw sockets have no real connection state, so the column is usually empty for them.',
  ],
  User: ['The user that owns the socket (its uid from the kernel socket table).'],
  Inode: ['The inode number of the socket; it is what links the socket to the file descriptors of a process under /proc/PID/fd.'],
  'PID/Program name': [
    'The process id and program name holding the socket open, found by matching socket inodes in /proc/PID/fd. Shown as - when the socket belongs to another user and we lack permission, or to no process at all (for example TIME_WAIT).',
  ],
  Timer: [
    'The kernel timer running for the socket: off (none), on (retransmission timer, data waiting for an ACK), keepalive (idle probe timer), timewait (TIME_WAIT expiry) or probe (zero-window probe). The value is the time left followed by the retransmit or probe count.',
    'A timer of on with a growing retransmit count means the peer is not acknowledging our data.',
  ],
  Rtx: [
    'How many times the kernel has retransmitted on this socket since the last successful exchange (the second number of the netstat timer).',
    'Growing values mean the peer is unreachable or the path is dropping packets; the connection will time out if it keeps rising.',
  ],
};

const INTERFACE_COLUMNS: Readonly<Record<string, Entry>> = {
  Iface: ['The name of the network interface. Each row counts the traffic of that interface alone.'],
  MTU: [
    'Maximum transmission unit: the largest IP packet the interface sends without fragmenting, in bytes.',
    'An MTU that is too large for a tunnel or link on the path causes fragmentation, black holes and ICMP packet-too-big or fragmentation-needed messages.',
  ],
  Met: ['The metric of the interface, a cost value used by some routing setups; Linux ignores it for routing decisions.'],
  'RX-OK': ['Packets received without error (rx_packets).'],
  'RX-ERR': [
    'Received packets with errors: bad CRC, wrong length, frame alignment and similar (rx_errors).',
    'Check cables, transceivers, duplex and speed negotiation, or a faulty NIC or driver.',
  ],
  'RX-DRP': [
    'Received frames the kernel dropped although they arrived intact (rx_dropped): no protocol handler for their EtherType, larger than the MTU of a veth or similar virtual receiver, or the per-CPU backlog full. Firewall (netfilter) drops are not counted here.',
    'Look for unknown protocols or VLAN tags on the wire (tcpdump -e), MTU mismatches between veth or bridge ends, and softirq CPU load against net.core.netdev_max_backlog.',
  ],
  'RX-OVR': [
    'Receive overruns (rx_fifo_errors): the NIC ring or FIFO was full so the hardware had to drop packets before the kernel saw them.',
    'Raise the ring size (ethtool -G), spread interrupts over more CPUs (RSS, irqbalance) and check that softirq processing is not starved of CPU.',
  ],
  'TX-OK': ['Packets transmitted successfully (tx_packets).'],
  'TX-ERR': [
    'Packets that failed to transmit (tx_errors): carrier loss, collisions, aborted or late transmissions.',
    'Check link state, duplex mismatch and cabling, and the driver statistics from ethtool -S.',
  ],
  'TX-DRP': [
    'Outgoing packets dropped before transmission (tx_dropped), for example because the queue was full or the device had no resources.',
    'Check the qdisc and txqueuelen, a link that is down, and whether traffic exceeds the link speed.',
  ],
  'TX-OVR': [
    'Transmit FIFO errors (tx_fifo_errors): the hardware could not feed packets to the wire fast enough.',
    'Usually a driver or hardware limit; check ethtool -S and the link speed.',
  ],
  Flg: [
    'Interface flags, one letter each, in netstat order: A all-multicast, B broadcast capable, D debug, L loopback, M multicast capable, P promiscuous (takes every frame on the wire) or point-to-point link, N no trailers, O ARP disabled, s bonding slave, m bonding master, R running (link carrier present), U up (enabled by the administrator).',
    'A P on an ordinary Ethernet interface means something is capturing all traffic (a sniffer, bridge or VM); an interface that is U without R has no carrier.',
  ],
  'RX-B/s': ['Bytes received per second over the last sampling interval.'],
  'TX-B/s': ['Bytes sent per second over the last sampling interval.'],
  Util: [
    'The larger of receive and transmit throughput as a share of the link speed. Past 100 percent it shows -: the speed was nominal, as on veth, not a limit.',
    'Values near 100 percent mean the link is saturated: expect queueing delay and drops.',
  ],
  Speed: [
    'The negotiated link speed reported by the driver, in megabits per second. Virtual devices report none or a nominal one (a veth says 10000), which is no limit.',
  ],
  Bytes: ['Windows netstat -e: total bytes received and sent at the interface level.'],
  'Unicast packets': ['Windows netstat -e: frames addressed to a single station, received and sent.'],
  'Non-unicast packets': [
    'Windows netstat -e: broadcast and multicast frames, received and sent.',
    'A sudden jump hints at a broadcast storm or chatty discovery protocols on the segment.',
  ],
  Discards: [
    'Windows netstat -e: frames thrown away although they had no error, usually for lack of buffers.',
    'Suggests the host cannot keep up with the incoming or outgoing rate.',
  ],
  Errors: ['Windows netstat -e: frames received or sent with errors.', 'Check cabling, the switch port and the driver.'],
  'Unknown protocols': [
    'Windows netstat -e counts received frames of a protocol the host does not handle. Linux has no such counter: netdash shows rx_nohandler, which counts only frames an inactive bond or team slave got; frames of an unknown EtherType count in rx_dropped, so they are under Discards.',
  ],
};

const ROUTE_COLUMNS: Readonly<Record<string, Entry>> = {
  Destination: [
    'The destination network or host of the route; 0.0.0.0 or default is the default route used when nothing more specific matches.',
  ],
  Gateway: [
    'The next-hop router for this destination; 0.0.0.0 or * means the destination is directly on the link and no router is needed.',
  ],
  Genmask: [
    'The netmask of the destination: which leading bits must match. 255.255.255.255 is a single host, 0.0.0.0 matches everything (default route).',
  ],
  Flags: [
    'Route flags: U route is up, G goes through a gateway, H target is a single host, D created by an ICMP redirect or a routing daemon, M modified by a redirect, R reinstate route for dynamic routing, ! reject route (packets are refused).',
    'D or M flags appearing mean ICMP redirects changed the table; check that the default gateway is right.',
  ],
  Metric: ['The cost of the route; when several routes match equally well, the lowest metric wins.'],
  Ref: ['Number of references to this route (not used by the Linux kernel, always 0).'],
  Use: ['Count of lookups of the route; on current Linux kernels it stays 0 without the route cache.'],
  Iface: ['The interface packets for this destination leave through.'],
  MSS: ['Default maximum segment size for TCP connections over this route (0 means the kernel default).'],
  Window: ['Default TCP window size for connections over this route (0 means the kernel default).'],
  irtt: ['Initial round-trip time in milliseconds the kernel assumes for TCP over this route (0 means the default).'],
};

const UNIX_COLUMNS: Readonly<Record<string, Entry>> = {
  Proto: [
    'Always unix: a UNIX domain socket, an endpoint for exchanging data between processes on this same host without going through the network stack.',
  ],
  RefCnt: ['How many references the kernel holds on the socket, roughly the number of processes or descriptors attached to it.'],
  Flags: ['Socket flags: ACC the socket accepts connections (it is listening), W waiting for data, N waiting for free space to send.'],
  Type: [
    'The socket type: STREAM (reliable byte stream, like TCP), DGRAM (separate messages, like UDP), SEQPACKET (reliable messages with boundaries), RAW (raw access) or RDM (reliably delivered messages).',
  ],
  State: ['The connection state of the UNIX socket: LISTENING, CONNECTED, CONNECTING, DISCONNECTING, or empty when unconnected.'],
  'I-Node': ['The inode number of the socket, which links it to a process through /proc/PID/fd.'],
  Path: [
    'The filesystem path the socket is bound to. A name starting with @ is in the abstract namespace and has no file; empty means an unnamed socket, such as one end of a socketpair.',
  ],
  'PID/Program name': ['The process id and program name holding the socket open.'],
};

const COUNTER_COLUMNS: Readonly<Record<string, Entry>> = {
  Counter: ['The kernel counter name, written as Group.Name (for example Tcp.RetransSegs). Press Enter on a row for its meaning.'],
  Total: [
    'The current value of the counter. Protocol counters add up since boot over all interfaces, so compare changes rather than the absolute number.',
  ],
  Delta: ['How much the counter grew since the previous sample.'],
  'Rate/s': ['The growth of the counter per second over the last interval.'],
  'Since start': ['How much the counter grew since this dashboard started.'],
  'Since mark': ['How much the counter grew since the mark you last set, handy to compare before and after a test.'],
  'Since boot': ['The counter value accumulated since the system started.'],
};

const ICMP_COLUMNS: Readonly<Record<string, Entry>> = {
  Type: ['The ICMP message type. ICMP carries status and error reports between hosts and routers; ping uses its echo messages.'],
  In: ['ICMP messages of this type received. These are counts of messages, not of the packets that triggered them.'],
  Out: ['ICMP messages of this type sent by this host.'],
};

const CONNTRACK_COLUMNS: Readonly<Record<string, Entry>> = {
  Proto: ['The protocol of the tracked flow (tcp, udp, icmp and so on) as seen by netfilter connection tracking.'],
  State: [
    'The tracking state: for TCP the connection state as conntrack sees it; ASSURED means traffic was seen in both directions and the entry will not be evicted early, UNREPLIED means no answer yet.',
  ],
  Expires: ['Seconds until the entry is removed if no further packet of the flow is seen.'],
  Source: ['The source address and port of the original direction of the flow.'],
  Destination: ['The destination address and port of the original direction of the flow.'],
  NAT: [
    'Shows address translation: when the reply tuple differs from the inverted original, the flow is translated. A changed source means SNAT or masquerade; a changed destination means DNAT (port forwarding).',
  ],
};

const COLUMN_TABLES: Readonly<Record<Pane, Readonly<Record<string, Entry>>>> = {
  connections: CONNECTION_COLUMNS,
  interfaces: INTERFACE_COLUMNS,
  routes: ROUTE_COLUMNS,
  unix: UNIX_COLUMNS,
  counters: COUNTER_COLUMNS,
  icmp: ICMP_COLUMNS,
  conntrack: CONNTRACK_COLUMNS,
};

const COLUMN_ALIASES: Readonly<Record<string, string>> = {
  local: 'Local Address',
  foreign: 'Foreign Address',
  peer: 'Foreign Address',
  'peer address': 'Foreign Address',
  remote: 'Foreign Address',
  'remote address': 'Foreign Address',
  pid: 'PID/Program name',
  program: 'PID/Program name',
  inode: 'Inode',
  'i-node': 'I-Node',
  rate: 'Rate/s',
  flags: 'Flags',
  flg: 'Flg',
  metric: 'Metric',
  refcnt: 'RefCnt',
  retrans: 'Rtx',
  'rx-bytes/s': 'RX-B/s',
  'tx-bytes/s': 'TX-B/s',
  expire: 'Expires',
  src: 'Source',
  dst: 'Destination',
};

export function explainColumn(pane: Pane, column: string): Explanation | null {
  const table = own(COLUMN_TABLES, pane);
  if (!table) return null;
  const name = column.trim();
  let e = own(table, name);
  let key = name;
  if (!e) {
    const lower = name.toLowerCase();
    const candidates = [lower, own(COLUMN_ALIASES, lower)?.toLowerCase()];
    for (const k of Object.keys(table)) {
      if (candidates.includes(k.toLowerCase())) {
        e = table[k];
        key = k;
        break;
      }
    }
  }
  // The unix pane shows inodes as I-Node, the connections pane as Inode: accept either.
  if (!e && /^i-?node$/i.test(name)) {
    key = pane === 'unix' ? 'I-Node' : 'Inode';
    e = own(table, key);
  }
  return e ? ex(`${key} column`, e[0], e[1]) : null;
}
