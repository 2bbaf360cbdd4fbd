// Plain-English explanations for the detail view: what a counter, column, socket state or
// address means, and what to look at when a counter climbs. All texts are our own wording
// (facts checked against the Linux kernel and the classic netstat documentation). They end
// up in a blessed box with tags enabled, so they must never contain braces or control
// characters; test/explain.test.ts checks that for every entry.

export interface Explanation { title: string; meaning: string; whenRising?: string }

type Pane = 'connections' | 'interfaces' | 'routes' | 'unix' | 'counters' | 'icmp' | 'conntrack';

/** [meaning, whenRising?] */
type Entry = readonly [string, string?];

function ex(title: string, meaning: string, whenRising?: string): Explanation {
  return whenRising === undefined ? { title, meaning } : { title, meaning, whenRising };
}

function fromEntry(title: string, e: Entry | undefined): Explanation | null {
  return e ? ex(title, e[0], e[1]) : null;
}

/** Own-property lookup, so 'constructor' or 'toString' never resolve through the prototype. */
function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

// ---------------------------------------------------------------------------------------
// ICMP message types

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
  3: ['A router or host reports that a packet could not be delivered: no route, host down, port closed, or fragmentation needed but forbidden.',
    'Something we send cannot reach its destination: check routes, firewalls and whether the remote service is running. Code 4 (fragmentation needed) points at a path MTU problem.',
    'We are telling senders that a port is closed or a destination unreachable; usually UDP traffic to closed ports or routing trouble on this host.'],
  4: ['An obsolete request to slow down because a buffer on the path ran short; modern routers no longer send it.',
    'A device on the path claims to be out of buffer space; look for congestion on that hop.'],
  5: ['A router tells us a better first hop exists for some destination.',
    'Many redirects suggest the local routing table sends traffic through the wrong gateway; fix the route rather than relying on redirects.',
    'This host is routing packets back out of the interface they came in on; check the routes of the senders.'],
  8: ['Ping requests: someone is checking whether this host answers.'],
  9: ['A router announces itself so hosts can pick a default gateway (IPv4 router discovery, rarely used).'],
  10: ['A host asks routers on the link to announce themselves.'],
  11: ['A packet ran out of hops (TTL reached zero) or a fragmented packet could not be reassembled in time. Traceroute relies on these.',
    'Outside of traceroute this hints at a routing loop or at fragments being lost on the way.',
    'Packets reaching this host have run out of hops, or fragments sent to us never completed.'],
  12: ['A header field was found to be invalid by the receiver.',
    'Some packets we send carry a malformed header or option; check middleboxes that rewrite headers.'],
  13: ['A request for the peer clock time (obsolete).'],
  14: ['An answer carrying the clock time (obsolete).'],
  17: ['A request for the subnet mask of the link (obsolete).'],
  18: ['An answer carrying the subnet mask (obsolete).'],
};

const ICMP6_NOTES: Readonly<Record<number, readonly [string, string?, string?]>> = {
  1: ['A router or host reports that an IPv6 packet could not be delivered: no route, address unreachable, administratively prohibited or port closed.',
    'Check IPv6 routes, firewalls and whether the remote service is running.',
    'We are telling senders that a port is closed or a destination unreachable.'],
  2: ['A router could not forward an IPv6 packet because it is larger than the next link MTU; IPv6 routers never fragment, so the sender must shrink its packets.',
    'Normal in small numbers (path MTU discovery). Persistent growth with stalled transfers points at an MTU mismatch or tunnels along the path.',
    'This host is forwarding packets that do not fit the outgoing link; check the MTU of tunnels and interfaces.'],
  3: ['An IPv6 packet ran out of hops, or fragment reassembly timed out.',
    'Outside of traceroute this hints at a routing loop or lost fragments.'],
  4: ['A receiver found an invalid field in an IPv6 header or extension header.',
    'Some packets we send carry a header the receiver rejects; check middleboxes and extension headers.'],
  128: ['Ping requests over IPv6.'],
  129: ['Ping replies over IPv6, normally answers to our own pings.'],
  130: ['A multicast router asks which multicast groups hosts on the link want.'],
  131: ['A host announces (MLDv1) that it wants traffic for a multicast group.'],
  132: ['A host announces (MLDv1) that it no longer wants a multicast group.'],
  133: ['A host asks routers on the link to send their advertisement right away.'],
  134: ['A router announces prefixes, its default-router role and link parameters; SLAAC uses these.',
    'Several routers advertising, or a rogue device doing so, can change the default route; make sure the sources are expected.'],
  135: ['The IPv6 equivalent of an ARP request: who has this address, or is this neighbor still reachable. Also used for duplicate address detection.',
    'Many solicitations can mean neighbors that do not answer, scanning of the subnet, or a very large link.'],
  136: ['The answer to a neighbor solicitation, or an unsolicited notice that a link-layer address changed.'],
  137: ['A router tells us a better first hop exists for some IPv6 destination.',
    'Many redirects suggest a wrong default route on this host.'],
  143: ['A host announces (MLDv2) which multicast groups and sources it wants.'],
};

// ---------------------------------------------------------------------------------------
// Socket states

const TCP_STATE_TEXT: Readonly<Record<string, Entry>> = {
  ESTABLISHED: ['The connection is open in both directions and data can flow. This is the normal working state.',
    'A steady rise means more concurrent clients or connections that are kept open longer; compare with the connection limits of the application.'],
  SYN_SENT: ['This host sent a SYN to open a connection and is waiting for the answer (active open, client side).',
    'Connections stuck here mean the peer or a firewall on the way is not answering: check that the remote port is open, routes and filtering, and whether packets are silently dropped.'],
  SYN_RECV: ['A SYN arrived on a listening socket, we answered with SYN-ACK and wait for the final ACK of the handshake.',
    'Many at once mean a SYN flood, clients whose ACK gets lost, or a slow accept path; check TcpExt.ListenDrops and the syncookies counters.'],
  NEW_SYN_RECV: ['A lightweight request socket for a half-open connection (SYN received, SYN-ACK sent); Linux shows it like SYN_RECV.',
    'Many at once mean a SYN flood or handshakes that never finish; check the syncookies and listen drop counters.'],
  FIN_WAIT1: ['The local side closed and sent a FIN, and waits for the peer to acknowledge it.',
    'Piling up means the peer does not acknowledge our FIN, often because it vanished or its receive window is closed with data still queued.'],
  FIN_WAIT2: ['Our FIN was acknowledged; we now wait for the peer to close its side too. Orphaned sockets leave this state after tcp_fin_timeout (60 s by default).',
    'Many sockets here mean peers that keep their end open after we closed ours.'],
  TIME_WAIT: ['The connection is finished; the side that closed first keeps the address pair reserved for a while (60 s on Linux) so late segments cannot confuse a new connection.',
    'Normal on busy clients and on servers that close first. Huge numbers can exhaust local ports for outgoing connections: reuse connections (keep-alive, pooling) or let the peer close first.'],
  CLOSE: ['The socket is not connected; it is being created or torn down.'],
  CLOSED: ['The socket is not connected; it is unused or being torn down.'],
  CLOSE_WAIT: ['The peer closed its side and the kernel is waiting for the local application to close the socket.',
    'Piling up means the local application never calls close() on these sockets: a descriptor leak or a stuck worker in the program that owns them.'],
  LAST_ACK: ['Both sides have closed; we sent our FIN after the peer had closed and wait for its final ACK.',
    'Many here mean peers that disappear without the last ACK; usually lost packets or an aggressive firewall.'],
  LISTEN: ['A server socket waiting for incoming connections on this address and port. Worth reviewing: every listening socket reachable from outside is a service that can be attacked.',
    'New listeners appearing unexpectedly deserve a look at the owning program.'],
  CLOSING: ['Both sides sent a FIN at almost the same time and we wait for the ACK of ours (simultaneous close).',
    'Rare; many of them point at lost ACKs on the path.'],
  UNKNOWN: ['A state number the kernel reported that this tool does not know.'],
};

const UNIX_STATE_TEXT: Readonly<Record<string, Entry>> = {
  LISTENING: ['A UNIX domain server socket waiting for local clients to connect (its ACC flag is set).'],
  CONNECTED: ['A UNIX domain socket connected to a peer process on this host.'],
  CONNECTING: ['A UNIX domain socket in the middle of connecting to a listening socket.',
    'Sockets stuck here point at a server that is not accepting connections fast enough.'],
  DISCONNECTING: ['A UNIX domain socket that is being disconnected.'],
  FREE: ['A UNIX domain socket that is not in use (no connection, not listening).'],
  UNCONNECTED: ['A UNIX domain socket without a peer, typically a datagram socket or one not yet connected.'],
};

export function explainState(state: string): Explanation | null {
  const s = state.trim().toUpperCase().replace(/-/g, '_');
  const tcp = own(TCP_STATE_TEXT, s);
  if (tcp) return ex(`TCP state ${s}`, tcp[0], tcp[1]);
  const unix = own(UNIX_STATE_TEXT, s);
  if (unix) return ex(`UNIX socket state ${s}`, unix[0], unix[1]);
  return null;
}

// ---------------------------------------------------------------------------------------
// Columns

const CONNECTION_COLUMNS: Readonly<Record<string, Entry>> = {
  'Proto': ['The transport of the socket: tcp, udp, raw (any other IP protocol, such as ICMP), or their IPv6 variants tcp6, udp6, raw6.'],
  'Recv-Q': ['For a connected socket, bytes received by the kernel that the application has not read yet. For a LISTEN socket on Linux it is the accept queue instead: connections fully set up and waiting for accept(), as ss shows it.',
    'A persistently non-zero value means the application reads too slowly; on a listener it means accept() lags behind and new connections will soon be dropped (TcpExt.ListenOverflows).'],
  'Send-Q': ['For a connected socket, bytes sent by the application that the peer has not acknowledged yet. For a LISTEN socket on Linux it is the backlog limit passed to listen(), capped by net.core.somaxconn.',
    'A large value that does not drain means the peer reads slowly, its receive window is closed, or the path is lossy.'],
  'Local Address': ['The address and port this socket is bound to on this host. 0.0.0.0 or :: (shown as * by some tools) means every local address; a specific address accepts only traffic sent to it, which matters on hosts with several interfaces.'],
  'Foreign Address': ['The address and port of the remote end. For a listener or an unconnected UDP socket there is no peer, shown as *:* or 0.0.0.0:*. Without numeric mode, names come from reverse DNS and the services file, which can be slow when DNS does not answer.'],
  'State': ['The TCP state of the connection (ESTABLISHED, LISTEN, TIME_WAIT and so on). UDP and raw sockets have no real connection state, so the column is usually empty for them.'],
  'User': ['The user that owns the socket (its uid from the kernel socket table).'],
  'Inode': ['The inode number of the socket; it is what links the socket to the file descriptors of a process under /proc/PID/fd.'],
  'PID/Program name': ['The process id and program name holding the socket open, found by matching socket inodes in /proc/PID/fd. Shown as - when the socket belongs to another user and we lack permission, or to no process at all (for example TIME_WAIT).'],
  'Timer': ['The kernel timer running for the socket: off (none), on (retransmission timer, data waiting for an ACK), keepalive (idle probe timer), timewait (TIME_WAIT expiry) or probe (zero-window probe). The value is the time left followed by the retransmit or probe count.',
    'A timer of on with a growing retransmit count means the peer is not acknowledging our data.'],
  'Rtx': ['How many times the kernel has retransmitted on this socket since the last successful exchange (the second number of the netstat timer).',
    'Growing values mean the peer is unreachable or the path is dropping packets; the connection will time out if it keeps rising.'],
};

const INTERFACE_COLUMNS: Readonly<Record<string, Entry>> = {
  'Iface': ['The name of the network interface. Each row counts the traffic of that interface alone.'],
  'MTU': ['Maximum transmission unit: the largest IP packet the interface sends without fragmenting, in bytes.',
    'An MTU that is too large for a tunnel or link on the path causes fragmentation, black holes and ICMP packet-too-big or fragmentation-needed messages.'],
  'Met': ['The metric of the interface, a cost value used by some routing setups; Linux ignores it for routing decisions.'],
  'RX-OK': ['Packets received without error (rx_packets).'],
  'RX-ERR': ['Received packets with errors: bad CRC, wrong length, frame alignment and similar (rx_errors).',
    'Check cables, transceivers, duplex and speed negotiation, or a faulty NIC or driver.'],
  'RX-DRP': ['Received packets the kernel dropped although they arrived intact (rx_dropped): the per-CPU backlog was full, no protocol handler wanted them, or filtering discarded them.',
    'Look at softirq CPU load and net.core.netdev_max_backlog, and at traffic for unknown protocols or VLANs; filters and bonding slaves also count here.'],
  'RX-OVR': ['Receive overruns (rx_fifo_errors): the NIC ring or FIFO was full so the hardware had to drop packets before the kernel saw them.',
    'Raise the ring size (ethtool -G), spread interrupts over more CPUs (RSS, irqbalance) and check that softirq processing is not starved of CPU.'],
  'TX-OK': ['Packets transmitted successfully (tx_packets).'],
  'TX-ERR': ['Packets that failed to transmit (tx_errors): carrier loss, collisions, aborted or late transmissions.',
    'Check link state, duplex mismatch and cabling, and the driver statistics from ethtool -S.'],
  'TX-DRP': ['Outgoing packets dropped before transmission (tx_dropped), for example because the queue was full or the device had no resources.',
    'Check the qdisc and txqueuelen, a link that is down, and whether traffic exceeds the link speed.'],
  'TX-OVR': ['Transmit FIFO errors (tx_fifo_errors): the hardware could not feed packets to the wire fast enough.',
    'Usually a driver or hardware limit; check ethtool -S and the link speed.'],
  'Flg': ['Interface flags, one letter each, in netstat order: A all-multicast, B broadcast capable, D debug, L loopback, M multicast capable, P promiscuous (takes every frame on the wire) or point-to-point link, N no trailers, O ARP disabled, s bonding slave, m bonding master, R running (link carrier present), U up (enabled by the administrator).',
    'A P on an ordinary Ethernet interface means something is capturing all traffic (a sniffer, bridge or VM); an interface that is U without R has no carrier.'],
  'RX-B/s': ['Bytes received per second over the last sampling interval.'],
  'TX-B/s': ['Bytes sent per second over the last sampling interval.'],
  'Util': ['The larger of receive and transmit throughput as a share of the link speed.',
    'Values near 100 percent mean the link is saturated: expect queueing delay and drops.'],
  'Speed': ['The negotiated link speed reported by the driver, in megabits per second; virtual interfaces often have none.'],
  'Bytes': ['Windows netstat -e: total bytes received and sent at the interface level.'],
  'Unicast packets': ['Windows netstat -e: frames addressed to a single station, received and sent.'],
  'Non-unicast packets': ['Windows netstat -e: broadcast and multicast frames, received and sent.',
    'A sudden jump hints at a broadcast storm or chatty discovery protocols on the segment.'],
  'Discards': ['Windows netstat -e: frames thrown away although they had no error, usually for lack of buffers.',
    'Suggests the host cannot keep up with the incoming or outgoing rate.'],
  'Errors': ['Windows netstat -e: frames received or sent with errors.',
    'Check cabling, the switch port and the driver.'],
  'Unknown protocols': ['Windows netstat -e: received frames whose protocol the host does not handle.'],
};

const ROUTE_COLUMNS: Readonly<Record<string, Entry>> = {
  'Destination': ['The destination network or host of the route; 0.0.0.0 or default is the default route used when nothing more specific matches.'],
  'Gateway': ['The next-hop router for this destination; 0.0.0.0 or * means the destination is directly on the link and no router is needed.'],
  'Genmask': ['The netmask of the destination: which leading bits must match. 255.255.255.255 is a single host, 0.0.0.0 matches everything (default route).'],
  'Flags': ['Route flags: U route is up, G goes through a gateway, H target is a single host, D created by an ICMP redirect or a routing daemon, M modified by a redirect, R reinstate route for dynamic routing, ! reject route (packets are refused).',
    'D or M flags appearing mean ICMP redirects changed the table; check that the default gateway is right.'],
  'Metric': ['The cost of the route; when several routes match equally well, the lowest metric wins.'],
  'Ref': ['Number of references to this route (not used by the Linux kernel, always 0).'],
  'Use': ['Count of lookups of the route; on current Linux kernels it stays 0 without the route cache.'],
  'Iface': ['The interface packets for this destination leave through.'],
  'MSS': ['Default maximum segment size for TCP connections over this route (0 means the kernel default).'],
  'Window': ['Default TCP window size for connections over this route (0 means the kernel default).'],
  'irtt': ['Initial round-trip time in milliseconds the kernel assumes for TCP over this route (0 means the default).'],
};

const UNIX_COLUMNS: Readonly<Record<string, Entry>> = {
  'Proto': ['Always unix: a UNIX domain socket, an endpoint for exchanging data between processes on this same host without going through the network stack.'],
  'RefCnt': ['How many references the kernel holds on the socket, roughly the number of processes or descriptors attached to it.'],
  'Flags': ['Socket flags: ACC the socket accepts connections (it is listening), W waiting for data, N waiting for free space to send.'],
  'Type': ['The socket type: STREAM (reliable byte stream, like TCP), DGRAM (separate messages, like UDP), SEQPACKET (reliable messages with boundaries), RAW (raw access) or RDM (reliably delivered messages).'],
  'State': ['The connection state of the UNIX socket: LISTENING, CONNECTED, CONNECTING, DISCONNECTING, or empty when unconnected.'],
  'I-Node': ['The inode number of the socket, which links it to a process through /proc/PID/fd.'],
  'Path': ['The filesystem path the socket is bound to. A name starting with @ is in the abstract namespace and has no file; empty means an unnamed socket, such as one end of a socketpair.'],
  'PID/Program name': ['The process id and program name holding the socket open.'],
};

const COUNTER_COLUMNS: Readonly<Record<string, Entry>> = {
  'Counter': ['The kernel counter name, written as Group.Name (for example Tcp.RetransSegs). Press Enter on a row for its meaning.'],
  'Total': ['The current value of the counter. Protocol counters add up since boot over all interfaces, so compare changes rather than the absolute number.'],
  'Delta': ['How much the counter grew since the previous sample.'],
  'Rate/s': ['The growth of the counter per second over the last interval.'],
  'Since start': ['How much the counter grew since this dashboard started.'],
  'Since mark': ['How much the counter grew since the mark you last set, handy to compare before and after a test.'],
  'Since boot': ['The counter value accumulated since the system started.'],
};

const ICMP_COLUMNS: Readonly<Record<string, Entry>> = {
  'Type': ['The ICMP message type. ICMP carries status and error reports between hosts and routers; ping uses its echo messages.'],
  'In': ['ICMP messages of this type received. These are counts of messages, not of the packets that triggered them.'],
  'Out': ['ICMP messages of this type sent by this host.'],
};

const CONNTRACK_COLUMNS: Readonly<Record<string, Entry>> = {
  'Proto': ['The protocol of the tracked flow (tcp, udp, icmp and so on) as seen by netfilter connection tracking.'],
  'State': ['The tracking state: for TCP the connection state as conntrack sees it; ASSURED means traffic was seen in both directions and the entry will not be evicted early, UNREPLIED means no answer yet.'],
  'Expires': ['Seconds until the entry is removed if no further packet of the flow is seen.'],
  'Source': ['The source address and port of the original direction of the flow.'],
  'Destination': ['The destination address and port of the original direction of the flow.'],
  'NAT': ['Shows address translation: when the reply tuple differs from the inverted original, the flow is translated. A changed source means SNAT or masquerade; a changed destination means DNAT (port forwarding).'],
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
  'local': 'Local Address', 'foreign': 'Foreign Address', 'peer': 'Foreign Address', 'peer address': 'Foreign Address',
  'remote': 'Foreign Address', 'remote address': 'Foreign Address', 'pid': 'PID/Program name', 'program': 'PID/Program name',
  'inode': 'Inode', 'i-node': 'I-Node', 'rate': 'Rate/s', 'flags': 'Flags', 'flg': 'Flg', 'metric': 'Metric',
  'refcnt': 'RefCnt', 'retrans': 'Rtx', 'rx-bytes/s': 'RX-B/s', 'tx-bytes/s': 'TX-B/s', 'expire': 'Expires',
  'src': 'Source', 'dst': 'Destination',
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
      if (candidates.includes(k.toLowerCase())) { e = table[k]; key = k; break; }
    }
  }
  // The unix pane shows inodes as I-Node, the connections pane as Inode: accept either.
  if (!e && /^i-?node$/i.test(name)) {
    key = pane === 'unix' ? 'I-Node' : 'Inode';
    e = own(table, key);
  }
  return e ? ex(`${key} column`, e[0], e[1]) : null;
}

// ---------------------------------------------------------------------------------------
// Addresses

function parseV4(s: string): number[] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return null;
  const o = m.slice(1).map(Number);
  return o.every((n) => n <= 255) ? o : null;
}

/** Strip brackets, a :port suffix and a %zone so '[fe80::1%eth0]:22' and '127.0.0.1:80' work. */
function bareAddress(addr: string): string {
  let a = addr.trim();
  const br = /^\[([^\]]*)\](?::[\w*-]+)?$/.exec(a);
  if (br) a = br[1] ?? '';
  else if (/^[\d.]+:[\w*-]+$/.test(a)) a = a.slice(0, a.lastIndexOf(':'));
  else if (/^\*:[\w*-]+$/.test(a)) a = '*';
  const pct = a.indexOf('%');
  if (pct >= 0) a = a.slice(0, pct);
  return a.toLowerCase();
}

function explainV4(o: number[], shown: string): Explanation | null {
  const [a = 0, b = 0] = o;
  if (o.every((n) => n === 0)) return ex('Wildcard address 0.0.0.0', 'Any local IPv4 address: a socket bound here accepts traffic sent to every address of the host, on every interface. As a route destination it means the default route.');
  if (o.every((n) => n === 255)) return ex('Limited broadcast 255.255.255.255', 'A broadcast to every host on the local link; routers never forward it.');
  if (a === 127) return ex(`Loopback address ${shown}`, 'Loopback (127.0.0.0/8): traffic never leaves this host. A service bound only here cannot be reached from the network.');
  if (a === 169 && b === 254) return ex(`Link-local address ${shown}`, 'An IPv4 link-local address (169.254.0.0/16), valid only on one link. Hosts pick one themselves when DHCP fails; cloud metadata services also live at 169.254.169.254.');
  if (a >= 224 && a <= 239) return ex(`Multicast address ${shown}`, 'An IPv4 multicast group (224.0.0.0/4): packets go to every host that joined the group, not to a single machine.');
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return ex(`Private address ${shown}`, 'A private IPv4 address (RFC 1918) that is not routed on the public internet; reaching the internet from it needs NAT.');
  if (a === 100 && b >= 64 && b <= 127) return ex(`Shared address ${shown}`, 'Carrier-grade NAT space (100.64.0.0/10), used between a provider and its customers.');
  return null;
}

/** Eight 16-bit groups of an IPv6 address (an embedded dotted IPv4 tail allowed), or null. */
function expandV6(a: string): number[] | null {
  let s = a;
  const tail: number[] = [];
  const v4 = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4) {
    const o = parseV4(v4[2] ?? '');
    if (!o) return null;
    tail.push(((o[0] ?? 0) << 8) | (o[1] ?? 0), ((o[2] ?? 0) << 8) | (o[3] ?? 0));
    s = v4[1] ?? '';
    if (s.endsWith(':') && !s.endsWith('::')) s = s.slice(0, -1);
  }
  const parts = s.split('::');
  if (parts.length > 2) return null;
  const side = (x: string | undefined): number[] | null => {
    if (!x) return [];
    const g = x.split(':');
    if (!g.every((p) => /^[0-9a-f]{1,4}$/.test(p))) return null;
    return g.map((p) => parseInt(p, 16));
  };
  const head = side(parts[0]);
  const rest = side(parts[1]);
  if (!head || !rest) return null;
  const want = 8 - tail.length;
  if (parts.length === 1) return head.length === want ? [...head, ...tail] : null;
  const fill = want - head.length - rest.length;
  if (fill < 1) return null;
  return [...head, ...new Array<number>(fill).fill(0), ...rest, ...tail];
}

export function explainAddress(addr: string): Explanation | null {
  const a = bareAddress(addr);
  if (a === '*' || a === '*:*') return ex('Wildcard *', 'No specific address: for a local address it means any address of the host; for a foreign address it means there is no peer (a listener or an unconnected UDP socket).');
  const v4 = parseV4(a);
  if (v4) return explainV4(v4, a);
  if (!a.includes(':')) return null;
  // netstat writes IPv6 endpoints without brackets (':::22', 'fe80::1:123'): drop a port
  // only when the whole text is not an address by itself.
  let h = expandV6(a);
  const port = /^(.*:):?[\w*-]+$/.exec(a);
  if (!h && port) {
    const cut = a.slice(0, a.lastIndexOf(':'));
    h = expandV6(cut) ?? expandV6(cut + ':');
  }
  if (!h) return null;
  if (h.every((x) => x === 0)) return ex('Wildcard address ::', 'Any local IPv6 address. On Linux a socket bound to :: usually accepts IPv4 connections too, unless IPV6_V6ONLY is set or net.ipv6.bindv6only is 1.');
  if (h.slice(0, 7).every((x) => x === 0) && h[7] === 1) return ex('Loopback address ::1', 'The IPv6 loopback address: traffic never leaves this host. A service bound only here cannot be reached from the network.');
  if (h.slice(0, 5).every((x) => x === 0) && h[5] === 0xffff) {
    const o = [(h[6] ?? 0) >> 8, (h[6] ?? 0) & 255, (h[7] ?? 0) >> 8, (h[7] ?? 0) & 255];
    const inner = o.join('.');
    const innerEx = explainV4(o, inner);
    return ex(`IPv4-mapped address ${a}`, `The IPv4 address ${inner} written in IPv6 form: an IPv4 peer talking to a socket that listens on IPv6.` + (innerEx ? ` ${innerEx.meaning}` : ''));
  }
  const first = h[0] ?? 0;
  if ((first & 0xffc0) === 0xfe80) return ex(`Link-local address ${a}`, 'An IPv6 link-local address (fe80::/10). Every IPv6 interface has one; it is valid only on its own link, so it needs a zone such as %eth0 to be usable.');
  if ((first & 0xff00) === 0xff00) return ex(`Multicast address ${a}`, 'An IPv6 multicast group (ff00::/8). IPv6 has no broadcast; neighbor discovery and router discovery use multicast groups such as ff02::1 (all nodes).');
  if ((first & 0xfe00) === 0xfc00) return ex(`Unique local address ${a}`, 'An IPv6 unique local address (fc00::/7), the IPv6 counterpart of private IPv4 space, not routed on the internet.');
  return null;
}

// ---------------------------------------------------------------------------------------
// Word wrap

export function wrap(text: string, width: number): string[] {
  if (!(width > 0)) return [text];
  const w = Math.floor(width) || 1;
  const lines: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (let word of para.split(/\s+/).filter((x) => x !== '')) {
      while (word.length > w) {
        if (line !== '') { lines.push(line); line = ''; }
        lines.push(word.slice(0, w));
        word = word.slice(w);
      }
      if (line === '') line = word;
      else if (line.length + 1 + word.length <= w) line += ' ' + word;
      else { lines.push(line); line = word; }
    }
    lines.push(line);
  }
  return lines;
}

// ---------------------------------------------------------------------------------------
// Protocol counters (/proc/net/snmp, /proc/net/netstat, /proc/net/snmp6). They count since
// boot and over all interfaces together; the IP counters include the packets of TCP, UDP
// and ICMP. Ip6, Udp6, UdpLite and UdpLite6 reuse the Ip and Udp texts.

const IP: Readonly<Record<string, Entry>> = {
  Forwarding: ['Whether this host routes packets for others: 1 means forwarding is on (it acts as a router), 2 means it is off. A setting, not a counter.'],
  DefaultTTL: ['The hop limit (TTL) put in packets this host originates. A setting, not a counter.'],
  InReceives: ['All IP packets received from the interfaces, including ones later found to be bad.',
    'Just traffic volume. If it stays at zero while traffic is expected, the network stack is not receiving anything at all.'],
  InHdrErrors: ['Received packets dropped because their IP header was broken: bad checksum, wrong version, TTL exceeded, malformed options.',
    'Look for a faulty device or driver on the path, or deliberately malformed traffic.'],
  InAddrErrors: ['Received packets dropped because the destination address was not valid for this host (for example not ours and forwarding is off, or an invalid class of address).',
    'Often traffic meant for another host reaching us, such as after an address change or in promiscuous setups; check ARP and addressing on the segment.'],
  ForwDatagrams: ['Packets this host forwarded on behalf of other hosts instead of consuming them itself (routing).',
    'Expected on routers and container or VM hosts; on a plain server it means it is routing traffic, check whether that is intended.'],
  OutForwDatagrams: ['Packets this host forwarded on behalf of other hosts (routing).'],
  InUnknownProtos: ['Received packets addressed to us whose upper-layer protocol the host does not handle (neither TCP, UDP, ICMP nor any loaded protocol).',
    'Something is sending an unusual protocol (GRE, SCTP, ESP and so on) that no module or socket handles here.'],
  InDiscards: ['Received packets that were fine but dropped anyway, for lack of resources such as buffer space, not because of any error.',
    'The host cannot keep up with incoming traffic: check memory, socket buffer sizes and CPU load in softirq processing.'],
  InDelivers: ['Received packets handed successfully to an upper-layer protocol (TCP, UDP, ICMP and so on).'],
  OutRequests: ['Packets that local protocols handed to IP for sending (forwarded packets are not included).'],
  OutDiscards: ['Outgoing packets that had no error but were dropped, for example for lack of buffer space.',
    'The sending path is short of memory or queue space; check qdisc drops and memory pressure.'],
  OutNoRoutes: ['Outgoing packets dropped because no route matched the destination; the classic netstat calls these dropped because of missing route.',
    'Some program is trying to reach a network this host has no route to: check the default route and the routing table.'],
  ReasmTimeout: ['How long, in seconds, received fragments are kept while waiting for the rest of the packet. A setting, not a counter.'],
  ReasmReqds: ['Received fragments that needed reassembly into whole packets.',
    'A high share of fragmented traffic costs CPU and is fragile; check that the MTUs along the path match.'],
  ReasmOKs: ['Packets reassembled successfully from fragments.'],
  ReasmFails: ['Reassembly failures: fragments that timed out, overlapped or exceeded the memory limit. It counts failures, not discarded fragments.',
    'Fragments are being lost or the reassembly memory limit is too small; fix the MTU so fragmentation is not needed.'],
  FragOKs: ['Outgoing packets fragmented successfully because they were larger than the MTU.',
    'Much fragmentation means packets exceed the MTU of the outgoing link; check MTU settings and path MTU discovery.'],
  FragFails: ['Outgoing packets dropped because they needed fragmentation but could not be fragmented (the do-not-fragment bit was set).',
    'Path MTU trouble: check the MTU of tunnels and interfaces and that ICMP fragmentation-needed messages are not blocked.'],
  FragCreates: ['Fragments created by fragmenting outgoing packets.'],
  OutTransmits: ['Packets handed to the link layer for transmission, counting both local and forwarded traffic.'],
  // Ip6 only
  InTooBigErrors: ['IPv6 packets that could not be forwarded because they exceeded the MTU of the outgoing link.',
    'Hosts send packets too large for a link this host routes to; check tunnel MTUs and that packet-too-big messages reach the senders.'],
  InNoRoutes: ['Received packets that could not be forwarded because there was no route to their destination.',
    'Traffic arrives for networks this host cannot reach; check routes or who is sending it.'],
  InTruncatedPkts: ['Received packets shorter than their header claimed, so they were cut off somewhere.',
    'Points at a broken device, driver or capture setup on the path.'],
  InMcastPkts: ['Multicast packets received.'],
  OutMcastPkts: ['Multicast packets sent.'],
  InBcastPkts: ['Broadcast packets received.'],
  OutBcastPkts: ['Broadcast packets sent.'],
  InOctets: ['Bytes of IP traffic received.'],
  OutOctets: ['Bytes of IP traffic sent.'],
  InMcastOctets: ['Bytes of multicast traffic received.'],
  OutMcastOctets: ['Bytes of multicast traffic sent.'],
  InBcastOctets: ['Bytes of broadcast traffic received.'],
  OutBcastOctets: ['Bytes of broadcast traffic sent.'],
  InCsumErrors: ['Received packets with a bad checksum.',
    'Corruption on the path or a NIC with broken checksum offload.'],
  InNoECTPkts: ['Received packets not using ECN (Explicit Congestion Notification).'],
  InECT1Pkts: ['Received packets marked ECN-capable with codepoint ECT(1).'],
  InECT0Pkts: ['Received packets marked ECN-capable with codepoint ECT(0).'],
  InCEPkts: ['Received packets marked Congestion Experienced: a router on the path signalled congestion instead of dropping them.',
    'The path is congested; throughput is being reduced to avoid loss.'],
  ReasmOverlaps: ['Fragments dropped because they overlapped other fragments of the same packet.',
    'Overlapping fragments are a classic evasion technique or a sign of a broken sender.'],
};

/** Ip6 names whose meaning differs from the Ip name of the same spelling. */
const IP6_ONLY: Readonly<Record<string, Entry>> = {
  ReasmTimeout: ['IPv6 reassembly attempts abandoned because not all fragments arrived in time.',
    'Fragments are getting lost on the path; reduce fragmentation by fixing the MTU.'],
};

const UDP: Readonly<Record<string, Entry>> = {
  InDatagrams: ['UDP datagrams delivered to sockets. UDP has no connections, so its counters are in packets.'],
  NoPorts: ['Received datagrams for a port where no socket was listening; the host answers with ICMP port unreachable.',
    'Somewhat normal because anyone can send UDP uninvited. A sudden rise means a service is down, a client is misconfigured, or someone is scanning ports.'],
  InErrors: ['Received datagrams that could not be delivered for reasons other than a missing port: bad checksum, too short, or a full receive buffer (those also count in RcvbufErrors).',
    'Check RcvbufErrors and InCsumErrors to see which cause it is.'],
  OutDatagrams: ['UDP datagrams sent.'],
  RcvbufErrors: ['Datagrams dropped because the receive buffer of the destination socket was full.',
    'The application is not reading fast enough: make it read faster, or raise SO_RCVBUF and net.core.rmem_max.'],
  SndbufErrors: ['Datagrams that could not be sent because the socket send buffer or the device queue was full.',
    'The application sends faster than the host can transmit; raise SO_SNDBUF and net.core.wmem_max or pace the sender.'],
  InCsumErrors: ['Received datagrams with a bad UDP checksum.',
    'Corruption on the path, or checksum offload problems on a NIC.'],
  IgnoredMulti: ['Broadcast or multicast datagrams that no socket wanted and were silently ignored.'],
  MemErrors: ['Datagrams dropped because the UDP memory limit (net.ipv4.udp_mem) was reached.',
    'UDP sockets as a whole hold too much unread data; find the slow readers or raise udp_mem.'],
};

const UDP_GROUPS: Readonly<Record<string, string>> = { Udp: 'UDP over IPv4', Udp6: 'UDP over IPv6', UdpLite: 'UDP-Lite over IPv4', UdpLite6: 'UDP-Lite over IPv6' };

const TCP: Readonly<Record<string, Entry>> = {
  RtoAlgorithm: ['The retransmission timeout algorithm; 1 means other, which on Linux stands for the Van Jacobson style estimator. A constant, not a counter.'],
  RtoMin: ['The smallest retransmission timeout, in milliseconds (200 on Linux). A constant.'],
  RtoMax: ['The largest retransmission timeout, in milliseconds (120000 on Linux). A constant.'],
  MaxConn: ['The limit on TCP connections; -1 means there is no fixed limit. A constant.'],
  ActiveOpens: ['Connections this host started by sending a SYN (acting as the client).'],
  PassiveOpens: ['Connections this host accepted on a listening socket (acting as the server).'],
  AttemptFails: ['Connection attempts that failed: handshakes that were reset or timed out in SYN_SENT or SYN_RECV.',
    'Outgoing connects are refused or unanswered (closed ports, firewalls, unreachable hosts), or incoming handshakes never complete.'],
  EstabResets: ['Connections reset while ESTABLISHED or CLOSE_WAIT, by either side.',
    'Peers or middleboxes are tearing down connections abruptly: look for crashing applications, timeouts in load balancers or firewalls dropping idle flows.'],
  CurrEstab: ['Connections currently in ESTABLISHED or CLOSE_WAIT. A level, not a running total.',
    'More concurrent connections; if CLOSE_WAIT makes up much of it, an application is not closing its sockets.'],
  InSegs: ['TCP segments received, including those with errors.'],
  OutSegs: ['TCP segments sent; on Linux retransmitted segments are counted here too.'],
  RetransSegs: ['TCP segments sent again because they were not acknowledged in time or were reported lost.',
    'Packets are being lost or delayed on the path (congestion, a bad link, a full queue) or a peer is overloaded; compare with OutSegs and the derived retransmit percentage.'],
  InErrs: ['TCP segments received with errors: bad checksum, malformed header, or dropped in the receive path.',
    'Check InCsumErrors for corruption, then the TcpExt drop counters for the other causes.'],
  OutRsts: ['Segments sent with the RST flag, refusing or aborting connections.',
    'Often connection attempts to closed ports, or applications aborting sockets; a sudden rise may be a port scan.'],
  InCsumErrors: ['Received TCP segments with a bad checksum.',
    'Data is corrupted on the path or by a NIC offload bug; check cables and NIC errors.'],
};

const ICMP_GENERAL: Readonly<Record<string, Entry>> = {
  InMsgs: ['ICMP messages received, of all types. ICMP carries status and error reports between hosts and routers; the counts are messages, not packets of other protocols.'],
  OutMsgs: ['ICMP messages sent, of all types.'],
  InErrors: ['Received ICMP messages that had ICMP-specific errors such as a bad length or checksum.',
    'Malformed ICMP from a broken device or crafted traffic.'],
  OutErrors: ['ICMP messages this host failed to send, for example for lack of buffers.',
    'The host is short of resources while trying to send errors; check memory and rate limits.'],
  InCsumErrors: ['Received ICMP messages with a bad checksum.',
    'Corruption on the path or a broken sender.'],
  OutRateLimitGlobal: ['ICMP messages not sent because the host-wide ICMP rate limit (net.ipv4.icmp_msgs_per_sec) was hit.',
    'A flood of traffic is provoking ICMP errors, often a port scan or traffic to closed UDP ports.'],
  OutRateLimitHost: ['ICMP messages not sent because the per-destination rate limit was hit.',
    'One peer keeps triggering ICMP errors: a scan, a misconfigured client, or traffic to a closed port.'],
};

/** Name stem of the Icmp and Icmp6 per-type counters (InDestUnreachs) to type number. */
export const ICMP4_STEMS: Readonly<Record<string, number>> = {
  DestUnreachs: 3, TimeExcds: 11, ParmProbs: 12, SrcQuenchs: 4, Redirects: 5, Echos: 8, EchoReps: 0,
  Timestamps: 13, TimestampReps: 14, AddrMasks: 17, AddrMaskReps: 18,
};
export const ICMP6_STEMS: Readonly<Record<string, number>> = {
  DestUnreachs: 1, PktTooBigs: 2, TimeExcds: 3, ParmProblems: 4, Echos: 128, EchoReplies: 129,
  GroupMembQueries: 130, GroupMembResponses: 131, GroupMembReductions: 132, RouterSolicits: 133,
  RouterAdvertisements: 134, NeighborSolicits: 135, NeighborAdvertisements: 136, Redirects: 137, MLDv2Reports: 143,
};

function explainIcmpType(v: 4 | 6, dir: 'In' | 'Out', type: number, title: string): Explanation {
  const name = icmpTypeName(v, type);
  const notes = own(v === 6 ? ICMP6_NOTES : ICMP4_NOTES, String(type));
  const head = `${dir === 'In' ? 'Received' : 'Sent'} ICMP${v === 6 ? 'v6' : ''} ${name} messages (type ${type}).`;
  const meaning = notes ? `${head} ${notes[0]}` : head;
  const rising = notes ? (dir === 'In' ? notes[1] : notes[2]) : undefined;
  return ex(title, meaning, rising);
}

function explainIcmp(v: 4 | 6, group: string, name: string): Explanation | null {
  const title = `${group}.${name}`;
  const general = own(ICMP_GENERAL, name);
  if (general) return fromEntry(title, general);
  const m = /^(In|Out)(.+)$/.exec(name);
  if (!m) return null;
  const dir = m[1] as 'In' | 'Out';
  const stem = m[2] ?? '';
  const typeNum = /^Type(\d+)$/.exec(stem);
  if (typeNum) return explainIcmpType(v, dir, Number(typeNum[1]), title);
  const t = own(v === 6 ? ICMP6_STEMS : ICMP4_STEMS, stem);
  return t === undefined ? null : explainIcmpType(v, dir, t, title);
}

const MEM = 'TCP is short of memory: check net.ipv4.tcp_mem and tcp_rmem, slow readers holding large buffers, and overall memory use.';
const OLD = ' Obsolete: newer kernels no longer count it.';

const TCPEXT: Record<string, Entry> = {
  SyncookiesSent: ['SYN cookies sent: the SYN queue of a listener was full, so the handshake state was encoded in the SYN-ACK instead of being stored.',
    'A SYN flood, or a listener whose queue is too small for its connection rate: raise tcp_max_syn_backlog and the listen backlog.'],
  SyncookiesRecv: ['ACKs carrying a valid SYN cookie, turning a cookie handshake into a real connection.'],
  SyncookiesFailed: ['ACKs that looked like SYN cookie replies but failed validation.',
    'Spoofed or stale ACKs arriving at a listener, often part of an attack.'],
  EmbryonicRsts: ['Resets received for connections still in the middle of the handshake (SYN_RECV).',
    'Clients give up halfway through connecting, or a scan is running.'],
  PruneCalled: ['Times a socket receive queue had to be pruned because it ran past its memory limit.',
    'An application reads too slowly for its receive buffer: ' + MEM],
  RcvPruned: ['Packets dropped from a receive queue because even pruning and collapsing could not free enough memory.',
    'Data is being thrown away after arrival and must be resent: ' + MEM],
  OfoPruned: ['Times the out-of-order queue of a socket was dropped to save memory.',
    'Heavy reordering or loss combined with memory pressure: ' + MEM],
  OutOfWindowIcmps: ['ICMP errors ignored because they referred to data outside the current window.',
    'Usually stale or spoofed ICMP; many of them can indicate an attack attempt.'],
  LockDroppedIcmps: ['ICMP errors dropped because the socket they concerned was busy (locked by the application).'],
  ArpFilter: ['ARP packets filtered out by the arp_filter setting.'],
  TW: ['TIME_WAIT sockets that finished their waiting period normally.'],
  TWRecycled: ['TIME_WAIT sockets reused early based on TCP timestamps (the old tcp_tw_recycle feature, removed in Linux 4.12).' + OLD],
  TWKilled: ['TIME_WAIT sockets removed before their timer ran out.'],
  PAWSPassive: ['Passive connections refused because of an old TCP timestamp (protection against wrapped sequence numbers).' + OLD],
  PAWSActive: ['Active connections refused because the SYN-ACK carried an old timestamp.',
    'Peers with broken or reset timestamp clocks, often several hosts behind one NAT.'],
  PAWSEstab: ['Segments on established connections dropped because their timestamp was older than one already seen (PAWS check).',
    'Duplicated or very delayed packets, or NAT mixing several hosts onto one connection.'],
  PAWSOldAck: ['ACKs dropped by the PAWS check because their timestamp was too old.'],
  PAWSTimewait: ['Segments to a TIME_WAIT socket dropped by the PAWS timestamp check.'],
  DelayedACKs: ['Delayed ACKs sent: the kernel held back an ACK hoping to combine it with data, then sent it when the timer fired.'],
  DelayedACKLocked: ['Delayed ACKs that had to wait longer because the application held the socket.'],
  DelayedACKLost: ['Duplicate data received that suggests our earlier ACK got lost, so quick ACK mode was turned on.',
    'ACKs from this host are lost on the way back: check loss in the reverse direction.'],
  ListenOverflows: ['Times a completed connection could not be placed in the accept queue of a listener because it was full.',
    'The application does not call accept() fast enough, or the backlog is too small: speed up the accept loop or raise the listen backlog and net.core.somaxconn. Recv-Q of the LISTEN socket shows the queue.'],
  ListenDrops: ['Connection requests to a listening socket that were dropped: all the accept queue overflows plus other drops at the SYN stage (no memory, full SYN queue, failed checks).',
    'Compare with ListenOverflows: if they match, the accept queue is the problem; otherwise look at SYN flood protection, memory and the syncookies counters.'],
  TCPHPHits: ['Segments handled by the fast path of the receive code (expected in-order data).'],
  TCPHPHitsToUser: ['Fast-path segments copied straight to a waiting reader.' + OLD],
  TCPPureAcks: ['ACKs received that carried no data and were handled on the slow path.'],
  TCPHPAcks: ['ACKs without data handled on the fast path.'],
  TCPRenoRecovery: ['Times a connection without SACK entered fast recovery after duplicate ACKs.',
    'Packet loss on connections whose peer does not support SACK.'],
  TCPSackRecovery: ['Times a connection with SACK entered fast recovery after detecting a lost segment.',
    'Packet loss on the path; the connection repairs it without a timeout.'],
  TCPSACKReneging: ['Times a peer took back data it had already reported as received with SACK.',
    'A buggy or overloaded peer stack.'],
  TCPSACKReorder: ['Packet reordering detected from SACK information.'],
  TCPRenoReorder: ['Packet reordering detected from duplicate ACKs on connections without SACK.'],
  TCPTSReorder: ['Packet reordering detected from TCP timestamps.'],
  TCPFACKReorder: ['Packet reordering detected by forward acknowledgement.' + OLD],
  TCPFullUndo: ['Times a congestion window reduction was fully undone because the retransmission turned out to be needless.'],
  TCPPartialUndo: ['Times a congestion window reduction was partly undone after ACKs showed the retransmit was unnecessary.'],
  TCPDSACKUndo: ['Times a congestion window reduction was undone because D-SACK showed the retransmit was a duplicate.'],
  TCPDSackUndo: ['Times a congestion window reduction was undone thanks to D-SACK (older spelling of TCPDSACKUndo).'],
  TCPLossUndo: ['Times a connection recovered from a retransmit timeout without loss after all, undoing the slowdown.'],
  TCPLostRetransmit: ['Retransmitted segments that were lost again.',
    'Heavy loss on the path: the repair packets are being dropped too.'],
  TCPLostRetransmits: ['Retransmitted segments that were lost again.',
    'Heavy loss on the path: the repair packets are being dropped too.'],
  TCPLoss: ['Loss events detected by TCP.' + OLD],
  TCPRenoFailures: ['Timeouts that happened during fast retransmit on connections without SACK.',
    'Severe loss: fast recovery could not repair it.'],
  TCPSackFailures: ['Timeouts that happened during SACK-based recovery.',
    'Severe loss: SACK recovery could not repair it.'],
  TCPLossFailures: ['Timeouts that happened while a connection was already in loss recovery.',
    'The path loses many packets in a row or the peer stopped responding.'],
  TCPRenoRecoveryFail: ['Fast recovery attempts without SACK that ended in a timeout.',
    'Severe loss on connections whose peer lacks SACK.'],
  TCPRenoRecoveryFailed: ['Fast recovery attempts without SACK that ended in a timeout (older spelling).',
    'Severe loss on connections whose peer lacks SACK.'],
  TCPSackRecoveryFail: ['SACK-based recovery attempts that ended in a timeout.',
    'Severe loss: the repairs themselves are lost.'],
  TCPFastRetrans: ['Segments retransmitted by fast retransmit (after duplicate ACKs or SACK), without waiting for a timeout.',
    'Loss on the path that TCP is repairing quickly; compare with RetransSegs.'],
  TCPForwardRetrans: ['Segments retransmitted ahead of the ones known lost.' + OLD],
  TCPSlowStartRetrans: ['Segments retransmitted in slow start after a timeout.',
    'Loss bad enough to cause retransmission timeouts.'],
  TCPTimeouts: ['Retransmission timeouts: an ACK did not arrive in time so TCP resent data and shrank its window to the minimum.',
    'Serious loss or an unresponsive peer; each timeout stalls the connection for at least 200 ms. Check the path and the peer.'],
  TCPLossProbes: ['Tail loss probes sent: a quick probe when the last segments of a burst were not acknowledged.'],
  TCPLossProbeRecovery: ['Losses repaired thanks to a tail loss probe instead of a timeout.'],
  TCPSchedulerFailed: ['Times the reading process was not scheduled in time to take data directly.' + OLD],
  TCPRcvCollapsed: ['Packets merged in a receive queue to save memory because the buffer was nearly full.',
    'Applications read slowly relative to their buffers; this costs CPU and precedes pruning.'],
  TCPDSACKOldSent: ['D-SACKs sent telling the peer it resent data we already had.',
    'The peer retransmits needlessly: our ACKs are lost or delayed, or its timer is too aggressive.'],
  TCPDSACKOfoSent: ['D-SACKs sent for duplicate out-of-order data.'],
  TCPDSACKRecv: ['D-SACKs received: the peer says it got a segment twice, so one of our retransmissions was unnecessary.'],
  TCPDSACKRecvSegs: ['Segments covered by the D-SACKs received.'],
  TCPDSACKOfoRecv: ['D-SACKs received for duplicate out-of-order data.'],
  TCPDSACKIgnoredOld: ['D-SACK blocks ignored because they were too old to matter.'],
  TCPDSACKIgnoredNoUndo: ['D-SACK blocks ignored because no recovery was in progress to undo.'],
  TCPDSACKIgnoredDubious: ['D-SACK blocks ignored because they looked invalid.'],
  TCPAbortOnData: ['Connections reset because data arrived after the application had closed the socket.',
    'The peer keeps sending after we closed; usually a protocol mismatch or an application closing early.'],
  TCPAbortOnClose: ['Connections reset because the application closed the socket while unread data was still waiting.',
    'The application closes without reading everything; often harmless, but can point at a bug or aborted requests.'],
  TCPAbortOnMemory: ['Connections reset because TCP ran out of memory or too many orphaned sockets existed.',
    MEM + ' Also check net.ipv4.tcp_max_orphans.'],
  TCPAbortOnTimeout: ['Connections dropped after too many retransmissions, keepalive or window probes went unanswered.',
    'Peers vanish (crashed, unplugged, or a firewall dropped the flow); check the path and the peers.'],
  TCPAbortOnLinger: ['Connections reset when closing because the linger timeout expired.',
    'Closing sockets could not deliver their last data in time.'],
  TCPAbortOnSyn: ['Connections reset because of an unexpected SYN on an established connection.' + OLD],
  TCPAbortFailed: ['Times a reset could not be sent, typically for lack of memory.',
    MEM],
  TCPMemoryPressures: ['Times TCP entered memory pressure mode because total TCP memory crossed the tcp_mem pressure threshold.',
    MEM],
  TCPMemoryPressuresChrono: ['Milliseconds spent in TCP memory pressure mode.',
    MEM],
  TCPSACKDiscard: ['SACK blocks thrown away as invalid.',
    'A peer or middlebox sends bogus SACK information.'],
  TCPSpuriousRTOs: ['Retransmission timeouts later found to be unnecessary (the original data had arrived), detected by F-RTO.',
    'Delay spikes on the path, for example on wireless links, rather than real loss.'],
  TCPMD5NotFound: ['Segments dropped because a TCP MD5 signature was expected but missing.',
    'A BGP or other MD5-protected peer is misconfigured.'],
  TCPMD5Unexpected: ['Segments dropped because they carried an MD5 signature no key was configured for.',
    'A peer uses a TCP MD5 key this host lacks.'],
  TCPMD5Failure: ['Segments dropped because their TCP MD5 signature was wrong.',
    'Mismatched MD5 keys or spoofed segments.'],
  TCPSackShifted: ['SACKed segments shifted into a neighbor to save memory.'],
  TCPSackMerged: ['SACKed segments merged with their neighbor.'],
  TCPSackShiftFallback: ['SACKs that could not use the shift optimisation.'],
  TCPBacklogCoalesce: ['Segments merged in the socket backlog while the application held the socket.'],
  TCPBacklogDrop: ['Segments dropped because the socket backlog was full while the application held the socket lock.',
    'The owning thread keeps the socket busy too long or receive buffers are too small; raise tcp_rmem or look at the application.'],
  PFMemallocDrop: ['Segments dropped because they used emergency memory reserves the socket may not use.',
    'The system is critically short of memory.'],
  TCPMinTTLDrop: ['Segments dropped because their TTL was below the minimum set with IP_MINTTL (a BGP protection).',
    'Packets from farther away than allowed, possibly spoofed.'],
  TCPDeferAcceptDrop: ['Handshake-completing ACKs ignored on a TCP_DEFER_ACCEPT listener because no data came with them.'],
  IPReversePathFilter: ['Packets dropped by reverse path filtering (rp_filter): the source address would not be routed back out of the interface it arrived on.',
    'Asymmetric routing or spoofed sources; check rp_filter and the routes of multi-homed setups.'],
  TCPTimeWaitOverflow: ['TIME_WAIT sockets not created because net.ipv4.tcp_max_tw_buckets was reached.',
    'Very many short connections; closes skip the TIME_WAIT protection. Reuse connections or raise the limit.'],
  TCPReqQFullDoCookies: ['SYNs answered with a SYN cookie because the SYN queue was full.',
    'A SYN flood or a very busy listener; see SyncookiesSent.'],
  TCPReqQFullDrop: ['SYNs dropped because the SYN queue was full and syncookies were off.',
    'Clients cannot connect: enable tcp_syncookies or raise tcp_max_syn_backlog, and check for a SYN flood.'],
  TCPRetransFail: ['Retransmissions the kernel tried but could not send, for example because a local queue was full.',
    'A local bottleneck in the qdisc or device, or memory shortage.'],
  TCPRcvCoalesce: ['Received segments merged with the previous one in the receive queue to save memory.'],
  TCPOFOQueue: ['Segments that arrived out of order and were queued until the gap fills.',
    'Loss or reordering on the path.'],
  TCPOFODrop: ['Out-of-order segments dropped because the receive buffer was full.',
    'Receive buffers too small or a slow reader, together with loss or reordering.'],
  BeyondWindow: ['Segments dropped because they did not fit into the receive window the connection had advertised.',
    'A peer ignores our window, or receive buffers shrank under memory pressure.'],
  TCPOFOMerge: ['Out-of-order segments that overlapped data already queued.'],
  TCPChallengeACK: ['Challenge ACKs sent in reply to suspicious RST or SYN segments (RFC 5961 protection).',
    'Someone may be trying to inject resets into connections, or a middlebox sends stray RSTs.'],
  TCPSYNChallenge: ['Challenge ACKs sent because a SYN arrived on an established connection.',
    'Peers restarting connections on the same ports, or blind SYN injection attempts.'],
};

Object.assign(TCPEXT, {
  TCPFastOpenActive: ['Outgoing connections that sent data in the SYN using TCP Fast Open.'],
  TCPFastOpenActiveFail: ['Outgoing Fast Open attempts that fell back to a normal handshake because the data in the SYN was not acknowledged.',
    'Middleboxes on the path strip or drop Fast Open; the kernel may disable it (see TCPFastOpenBlackhole).'],
  TCPFastOpenPassive: ['Incoming connections accepted with data in the SYN (TCP Fast Open).'],
  TCPFastOpenPassiveFail: ['Incoming Fast Open attempts refused, for example because the cookie was invalid.',
    'Clients with stale cookies or a key rotation; usually harmless.'],
  TCPFastOpenPassiveAltKey: ['Incoming Fast Open cookies accepted with the backup key after a key rotation.'],
  TCPFastOpenListenOverflow: ['Fast Open requests refused because the limit of pending Fast Open connections on a listener was reached.',
    'Raise the Fast Open queue length of the listener or check for abuse.'],
  TCPFastOpenCookieReqd: ['Fast Open cookie requests received from clients.'],
  TCPFastOpenBlackhole: ['Times active Fast Open was switched off because the network appeared to drop Fast Open packets.',
    'A firewall on the path discards SYNs with data.'],
  TCPSpuriousRtxHostQueues: ['Retransmissions skipped because the original copy was still waiting in a local queue.',
    'Local queues (qdisc or device) are very long; check for bufferbloat.'],
  BusyPollRxPackets: ['Packets received through busy polling, where a thread spins on the device instead of waiting for an interrupt.'],
  TCPAutoCorking: ['Small writes held back briefly and merged into larger segments (auto corking).'],
  TCPFromZeroWindowAdv: ['Times we reopened a receive window that had been zero.'],
  TCPToZeroWindowAdv: ['Times we advertised a zero receive window, telling the peer to stop sending because our buffer is full.',
    'Local applications read too slowly; look for a stuck or overloaded reader.'],
  TCPWantZeroWindowAdv: ['Times the receive window computed was zero (whether or not it was announced).',
    'Receive buffers fill up; applications read too slowly.'],
  TCPSynRetrans: ['SYN and SYN-ACK retransmissions, during connection setup.',
    'Connection attempts go unanswered: the peer is down, a firewall drops SYNs, or the peer listener is overloaded.'],
  TCPOrigDataSent: ['Segments sent with new data (not retransmits, not pure ACKs).'],
  TCPHystartTrainDetect: ['Times HyStart left slow start early based on the ACK train length.'],
  TCPHystartTrainCwnd: ['Sum of congestion windows at which HyStart ACK-train detection ended slow start.'],
  TCPHystartDelayDetect: ['Times HyStart left slow start early because round-trip delay was increasing.'],
  TCPHystartDelayCwnd: ['Sum of congestion windows at which HyStart delay detection ended slow start.'],
  TCPACKSkippedSynRecv: ['Duplicate ACKs not sent to a SYN_RECV socket because of rate limiting.'],
  TCPACKSkippedPAWS: ['Duplicate ACKs not sent for PAWS-rejected segments because of rate limiting.'],
  TCPACKSkippedSeq: ['Duplicate ACKs not sent for out-of-window segments because of rate limiting.',
    'Peers keep sending out-of-window data; a possible ACK-loop or attack.'],
  TCPACKSkippedFinWait2: ['Duplicate ACKs not sent to out-of-window segments in FIN_WAIT2 because of rate limiting.'],
  TCPACKSkippedTimeWait: ['Duplicate ACKs not sent to out-of-window segments in TIME_WAIT because of rate limiting.'],
  TCPACKSkippedChallenge: ['Challenge ACKs not sent because of rate limiting.'],
  TCPWinProbe: ['Window probes sent to a peer that advertised a zero window.',
    'The peer stopped reading; check the remote application.'],
  TCPKeepAlive: ['Keepalive probes sent on idle connections.'],
  TCPMTUPFail: ['Path MTU probes that failed (the larger packet was lost).'],
  TCPMTUPSuccess: ['Path MTU probes that succeeded, raising the segment size.'],
  TCPDelivered: ['Segments delivered to the peer, as acknowledged by it.'],
  TCPDeliveredCE: ['Delivered segments that the peer reported as marked with ECN congestion.',
    'Congestion on the path signalled by ECN.'],
  TCPAckCompressed: ['ACKs compressed into one because many arrived back to back.'],
  TCPZeroWindowDrop: ['Incoming segments dropped because our receive window was zero.',
    'A local application is not reading; the peer keeps sending anyway.'],
  TCPRcvQDrop: ['Incoming segments dropped because the socket receive memory was exhausted.',
    'Slow readers or too small receive buffers: ' + MEM],
  TCPWqueueTooBig: ['Times the kernel refused to split a segment because the socket write queue was too large.'],
  TcpTimeoutRehash: ['Times the IPv6 flow label was changed after a timeout, hoping a different network path works better.'],
  TcpDuplicateDataRehash: ['Times the IPv6 flow label was changed after receiving duplicate data, to try another path.'],
  TCPMigrateReqSuccess: ['Pending connection requests moved to another SO_REUSEPORT listener when their listener closed.'],
  TCPMigrateReqFailure: ['Pending connection requests that could not be moved to another SO_REUSEPORT listener and were lost.',
    'Listeners closing while connections are queued, for example during restarts.'],
  TCPPLBRehash: ['Times Protective Load Balancing moved a congested connection to another path.'],
  TCPAOGood: ['Segments whose TCP Authentication Option signature checked out.'],
  TCPAOBad: ['Segments dropped because their TCP Authentication Option signature was wrong.',
    'Mismatched TCP-AO keys or spoofed segments.'],
  TCPAOKeyNotFound: ['Segments dropped because no TCP-AO key matched them.',
    'A peer uses a TCP-AO key this host lacks.'],
  TCPAORequired: ['Segments dropped because they lacked the TCP Authentication Option the connection requires.',
    'A peer without TCP-AO configured, or spoofed segments.'],
  TCPAODroppedIcmps: ['ICMP errors ignored for TCP-AO protected connections.'],
  TSEcrRejected: ['Segments dropped because the echoed timestamp was invalid.'],
  TCPDirectCopyFromBacklog: ['Bytes copied to a reader directly from the socket backlog.' + OLD],
  TCPDirectCopyFromPrequeue: ['Bytes copied to a reader directly from the prequeue.' + OLD],
  TCPPrequeued: ['Segments placed in the prequeue for a waiting reader.' + OLD],
  TCPPrequeueDropped: ['Segments dropped from the prequeue.' + OLD],
  SockMallocOOM: ['Times a socket memory allocation failed because the system was out of memory.',
    'The system is short of memory; check memory use and socket buffer limits.'],
} satisfies Record<string, Entry>);

/** Multipath TCP: one connection spread over several TCP subflows (for example Wi-Fi and mobile). */
const MPTCPEXT: Readonly<Record<string, Entry>> = {
  MPCapableSYNRX: ['Incoming SYNs that asked for Multipath TCP.'],
  MPCapableSYNTX: ['Outgoing SYNs that asked for Multipath TCP.'],
  MPCapableSYNACKRX: ['SYN-ACKs received that accepted Multipath TCP.'],
  MPCapableACKRX: ['Third ACKs of the handshake received that confirmed Multipath TCP.'],
  MPCapableFallbackACK: ['Incoming connections that fell back to plain TCP because the final ACK lacked the MPTCP option.'],
  MPCapableFallbackSYNACK: ['Outgoing connections that fell back to plain TCP because the SYN-ACK lacked the MPTCP option.',
    'The peer or a middlebox does not support or strips MPTCP.'],
  MPCapableSYNTXDrop: ['Outgoing MPTCP SYNs that could not be sent.'],
  MPCapableSYNTXDisabled: ['Outgoing MPTCP connections done as plain TCP because MPTCP was turned off for the path (blackhole detection).'],
  MPCapableEndpAttempt: ['Incoming MPTCP connections sent to a port that is only meant for extra subflows.'],
  MPCapableDataFallback: ['Connections that fell back to plain TCP because data arrived without MPTCP mapping.'],
  MPFallbackTokenInit: ['Connections that fell back to plain TCP because no connection token could be created.'],
  MPTCPRetrans: ['Data retransmitted at the MPTCP level, over another subflow.',
    'One of the subflow paths loses data or stalls.'],
  MPJoinNoTokenFound: ['Requests to add a subflow that named an unknown connection.'],
  MPJoinSynRx: ['Requests received to add a subflow to an existing connection.'],
  MPJoinSynBackupRx: ['Requests received to add a backup subflow.'],
  MPJoinSynAckRx: ['Replies received that accepted our request to add a subflow.'],
  MPJoinSynAckBackupRx: ['Replies received that accepted our request to add a backup subflow.'],
  MPJoinSynAckHMacFailure: ['Subflow join replies rejected because their authentication code was wrong.',
    'Spoofed join attempts or a broken peer.'],
  MPJoinAckRx: ['Final ACKs received that completed the addition of a subflow.'],
  MPJoinAckHMacFailure: ['Subflow join ACKs rejected because their authentication code was wrong.',
    'Spoofed join attempts or a broken peer.'],
  MPJoinRejected: ['Subflow join requests refused, for example because of a limit.'],
  MPJoinSynTx: ['Requests sent to add a subflow.'],
  MPJoinSynTxCreatSkErr: ['Subflow join requests not sent because the socket could not be created.'],
  MPJoinSynTxBindErr: ['Subflow join requests not sent because binding the local address failed.'],
  MPJoinSynTxConnectErr: ['Subflow join requests not sent because connect failed.'],
  MPJoinPortSynRx: ['Subflow join requests received on a dedicated MPTCP port.'],
  MPJoinPortSynAckRx: ['Subflow join replies received from a dedicated MPTCP port.'],
  MPJoinPortAckRx: ['Subflow join ACKs received on a dedicated MPTCP port.'],
  MismatchPortSynRx: ['Subflow join requests whose port did not match the one announced.'],
  MismatchPortAckRx: ['Subflow join ACKs whose port did not match the one announced.'],
  DSSNotMatching: ['Data mappings received that did not match data already mapped.',
    'A broken peer or a middlebox altering TCP payloads.'],
  DSSCorruptionFallback: ['Connections that fell back to plain TCP after detecting a corrupted data mapping.',
    'A middlebox is altering TCP options or payloads.'],
  DSSCorruptionReset: ['Subflows reset after detecting a corrupted data mapping.',
    'A middlebox is altering TCP options or payloads.'],
  DSSNoMatchTCP: ['Data mappings that did not line up with the TCP sequence numbers.',
    'A middlebox is altering TCP payloads.'],
  InfiniteMapTx: ['Infinite mappings sent, which switch a connection to plain TCP mid-stream.'],
  InfiniteMapRx: ['Infinite mappings received from the peer, switching to plain TCP.'],
  DataCsumErr: ['Data received with a bad MPTCP checksum.',
    'A middlebox is modifying data in transit.'],
  OFOQueueTail: ['Out-of-order MPTCP data appended at the end of the queue.'],
  OFOQueue: ['MPTCP data that arrived out of order across subflows and was queued.'],
  OFOMerge: ['Out-of-order MPTCP data merged with data already queued.'],
  NoDSSInWindow: ['MPTCP data that fell outside the receive window.'],
  DuplicateData: ['MPTCP data received twice, for example over two subflows.'],
  AddAddr: ['Address announcements received from the peer (ADD_ADDR).'],
  AddAddrTx: ['Address announcements sent to the peer.'],
  AddAddrDrop: ['Address announcements received but dropped.'],
  AddAddrTxDrop: ['Address announcements that could not be sent.'],
  EchoAdd: ['Echoes of our address announcements received from the peer.'],
  EchoAddTx: ['Echoes of the peer address announcements sent.'],
  EchoAddTxDrop: ['Echoes of address announcements that could not be sent.'],
  PortAdd: ['Address announcements received that carried a port.'],
  RmAddr: ['Address removals received from the peer (REMOVE_ADDR).'],
  RmAddrTx: ['Address removals sent to the peer.'],
  RmAddrDrop: ['Address removals received but dropped.'],
  RmAddrTxDrop: ['Address removals that could not be sent.'],
  RmSubflow: ['Subflows removed.'],
  MPPrioTx: ['Subflow priority changes sent (backup or not).'],
  MPPrioRx: ['Subflow priority changes received.'],
  MPFailTx: ['MP_FAIL signals sent after a checksum failure.'],
  MPFailRx: ['MP_FAIL signals received from the peer.'],
  MPFastcloseTx: ['MPTCP connections closed abruptly by us (MP_FASTCLOSE sent).'],
  MPFastcloseRx: ['MPTCP connections closed abruptly by the peer.'],
  MPRstTx: ['Subflow resets sent with an MPTCP reason.'],
  MPRstRx: ['Subflow resets received with an MPTCP reason.'],
  RcvPruned: ['MPTCP data dropped because the receive buffer was full.',
    'The application reads too slowly for the combined rate of the subflows.'],
  SubflowStale: ['Subflows marked stale because they stopped making progress.',
    'One of the network paths stalls.'],
  SubflowRecover: ['Stale subflows that started working again.'],
  SndWndShared: ['Times the send window was shared between subflows.'],
  RcvWndShared: ['Times the receive window was updated from another subflow.'],
  RcvWndConflictUpdate: ['Receive window updates that conflicted between subflows and were resolved.'],
  RcvWndConflict: ['Receive window announcements that conflicted between subflows.'],
  MPCurrEstab: ['MPTCP connections currently established. A level, not a running total.'],
  Blackhole: ['Times MPTCP was disabled for a while because the network seemed to drop MPTCP packets.',
    'A firewall or middlebox drops MPTCP options.'],
  MD5SigFallback: ['Connections that fell back to plain TCP because TCP MD5 signatures were in use.'],
  DssFallback: ['Connections that fell back to plain TCP because of a data mapping problem.'],
  SimultConnectFallback: ['Connections that fell back to plain TCP after a simultaneous connect.'],
  FallbackFailed: ['Fallbacks to plain TCP that could not be done, so the connection was reset.',
    'A middlebox breaks MPTCP in a way that cannot be recovered.'],
  WinProbe: ['MPTCP-level window probes sent.'],
};

// ---------------------------------------------------------------------------------------
// Interface counters (/proc/net/dev): 'if.<name>.<field>'; the name may contain dots.

const IF_FIELDS: Readonly<Record<string, Entry>> = {
  rxBytes: ['Bytes received on this interface.'],
  rxPackets: ['Packets received on this interface without error (RX-OK).'],
  rxErrs: ['Received packets with errors (RX-ERR): bad CRC, wrong length, frame or FIFO problems.',
    'Check cables, transceivers, duplex and speed negotiation, and the NIC driver; ethtool -S gives the details.'],
  rxDrop: ['Received packets the kernel dropped although they were intact (RX-DRP): the per-CPU backlog was full, no protocol handler wanted them, or filtering discarded them.',
    'Check softirq CPU load and net.core.netdev_max_backlog, unknown protocols or VLAN tags on the wire, and bonding or filter setups.'],
  rxFifo: ['Receive overruns (RX-OVR, rx_fifo_errors): the NIC ring or FIFO was full, so packets were lost before the kernel saw them.',
    'Raise the ring size (ethtool -G), spread interrupts over more CPUs (RSS, irqbalance) and check that interrupt and softirq processing get enough CPU.'],
  rxFrame: ['Received frames with alignment or framing errors.',
    'Physical layer trouble: cabling, a bad port, or duplex mismatch.'],
  rxCompressed: ['Compressed packets received (only some serial and PPP links count these).'],
  rxMulticast: ['Multicast frames received.',
    'A jump can mean a multicast or broadcast storm on the segment.'],
  rxNohandler: ['Packets dropped because no protocol handler wanted them, for example an unknown EtherType or a frame for an inactive bonding slave.',
    'Something on the wire speaks a protocol this host does not use; often harmless, but it inflates RX-DRP.'],
  txBytes: ['Bytes sent on this interface.'],
  txPackets: ['Packets sent on this interface (TX-OK).'],
  txErrs: ['Packets that failed to transmit (TX-ERR): carrier, FIFO, heartbeat or window errors, aborted transmissions.',
    'Check link state, duplex mismatch, cabling and the driver statistics from ethtool -S.'],
  txDrop: ['Outgoing packets dropped before transmission (TX-DRP), for example because the device queue was full or the link was down.',
    'Check txqueuelen and the qdisc, whether the link is down, and whether traffic exceeds the link speed.'],
  txFifo: ['Transmit FIFO errors (TX-OVR): the hardware could not feed data to the wire in time.',
    'A driver or hardware limit; check ethtool -S and the bus or CPU load.'],
  txColls: ['Collisions detected while sending. On full-duplex links there should be none.',
    'A half-duplex link or a duplex mismatch with the switch port; fix the negotiation.'],
  txCarrier: ['Transmit failures because the carrier was lost (link down during sending).',
    'A flapping link: check the cable, transceiver and switch port.'],
  txCompressed: ['Compressed packets sent (only some serial and PPP links count these).'],
};

function explainInterfaceCounter(key: string): Explanation | null {
  const rest = key.slice(3);
  const dot = rest.lastIndexOf('.');
  if (dot <= 0) return null;
  const name = rest.slice(0, dot);
  const field = rest.slice(dot + 1);
  return fromEntry(`${field} on ${name}`, own(IF_FIELDS, field));
}

// ---------------------------------------------------------------------------------------
// Values the dashboard computes itself

const DERIVED: Readonly<Record<string, Entry>> = {
  'derived.tcp.retransPct': ['The share of sent TCP segments that were retransmissions, Tcp.RetransSegs divided by Tcp.OutSegs, in percent: the Delta column covers the last interval, Total everything since boot.',
    'Above roughly 1 percent the path is losing or badly delaying packets: look for congestion, a faulty link or an overloaded peer, and check interface errors and drops.'],
  'gauge.udp.sockets': ['Number of UDP sockets open right now.'],
  'gauge.raw.sockets': ['Number of raw sockets open right now (programs such as ping or routing daemons use them).'],
  'gauge.unix.sockets': ['Number of UNIX domain sockets open right now.',
    'Steady growth may be a descriptor leak in a local program.'],
  'gauge.queue.recvQ': ['Bytes waiting in all socket receive queues together (sum of Recv-Q).',
    'Some application reads too slowly; find the socket with the large Recv-Q.'],
  'gauge.queue.sendQ': ['Bytes waiting in all socket send queues together (sum of Send-Q).',
    'Peers are not acknowledging data fast enough; find the socket with the large Send-Q.'],
};

function explainGaugeState(key: string): Explanation | null {
  const m = /^gauge\.tcp\.([A-Z0-9_]+)$/.exec(key);
  if (!m) return null;
  const st = explainState(m[1] ?? '');
  return st ? ex(`TCP sockets in ${m[1]}`, `Number of TCP sockets in this state right now. ${st.meaning}`, st.whenRising) : null;
}

// ---------------------------------------------------------------------------------------
// Dispatcher

function explainIp(group: string, name: string): Explanation | null {
  const v6 = group === 'Ip6';
  const e = (v6 ? own(IP6_ONLY, name) : undefined) ?? own(IP, name);
  if (!e) return null;
  return ex(`${group}.${name} (${v6 ? 'IPv6' : 'IPv4'})`, e[0], e[1]);
}

export function explainCounter(key: string): Explanation | null {
  const k = key.trim();
  if (k.startsWith('if.')) return explainInterfaceCounter(k);
  const derived = own(DERIVED, k);
  if (derived) return fromEntry(k, derived);
  if (k.startsWith('gauge.')) return explainGaugeState(k);
  const dot = k.indexOf('.');
  if (dot <= 0) return null;
  const group = k.slice(0, dot);
  const name = k.slice(dot + 1);
  switch (group) {
    case 'Ip': case 'IpExt': case 'Ip6': return explainIp(group, name);
    case 'Icmp': case 'IcmpMsg': return explainIcmp(4, group, name);
    case 'Icmp6': return explainIcmp(6, group, name);
    case 'Tcp': return fromEntry(k, own(TCP, name));
    case 'TcpExt': return fromEntry(k, own(TCPEXT, name));
    case 'MPTcpExt': {
      const e = own(MPTCPEXT, name);
      return e ? ex(k, `Multipath TCP: ${e[0]}`, e[1]) : null;
    }
    case 'Udp': case 'Udp6': case 'UdpLite': case 'UdpLite6': {
      const e = own(UDP, name);
      return e ? ex(`${k} (${UDP_GROUPS[group] ?? group})`, e[0], e[1]) : null;
    }
    default: return null;
  }
}

// ---------------------------------------------------------------------------------------
// General concepts and the netstat options they come from, for help screens and for the
// detail view of things that are neither a counter nor a column.

const CONCEPTS: Readonly<Record<string, readonly [string, string, string?]>> = {
  'connections': ['Connection list', 'The sockets of the transport layer: mostly TCP connections, but UDP and raw sockets are listed too. Plain netstat shows only established connections; netstat -a adds listening and other sockets.'],
  'listening': ['Listening sockets', 'Sockets waiting for others to connect (netstat -l). Each one is a service reachable at its local address, so review them: an unexpected listener on a public address is a way in for attackers.'],
  'udp': ['UDP', 'UDP has no connections and no state, so UDP sockets show no State and a foreign address of *:* unless connected; its statistics count datagrams. A program may listen on the same port number over both TCP and UDP.'],
  'raw': ['Raw sockets', 'Sockets that send or receive whole IP packets of some protocol other than TCP or UDP, such as ICMP for ping (netstat -w).'],
  'unix-socket': ['UNIX domain sockets', 'Endpoints for exchanging data between processes on the same host, addressed by a filesystem path or an abstract name instead of an IP address and port (netstat -x).'],
  'icmp': ['ICMP', 'The control protocol of IP: hosts and routers use it to report errors and network conditions to each other, and ping uses its echo messages. Its statistics count messages.'],
  'wildcard-address': ['Bound to every address', 'A local address of 0.0.0.0 (or :: for IPv6) means the socket accepts traffic arriving on any address of the host. A specific address limits it to that one, which matters on multi-homed hosts with several interfaces.'],
  'numeric': ['Numeric output', 'Without netstat -n, addresses are turned into host names by reverse DNS and ports into service names from /etc/services. Lookups for addresses missing from DNS can stall the output until they time out, so numeric mode is faster.'],
  'statistics': ['Protocol statistics', 'netstat -s prints per-protocol counters (IP, ICMP, TCP, UDP) kept by the kernel. They add up since boot and over all interfaces, the IP numbers include the TCP, UDP and ICMP traffic, and comparing values before and after an action shows what it did.'],
  'tcp-counts': ['TCP statistics', 'TCP is connection oriented, so most TCP counters count connections (opened actively as a client, passively as a server, failed, reset), besides segments sent, received and retransmitted.'],
  'fragmentation': ['Fragmentation', 'Packets larger than the MTU of a link are split into fragments and put back together at the receiver. A high share of fragments costs CPU and hurts performance, so check that the interface MTUs fit the path.'],
  'forwarding': ['Forwarding', 'A host that forwards packets acts as a router: it passes on traffic that was not addressed to itself. Its IP statistics then include forwarded, dropped and unroutable packets.'],
  'interfaces': ['Interface statistics', 'netstat -i shows one line per network interface with its MTU and counts of packets received and sent, split into good, errors, drops and overruns. Windows netstat -e shows similar totals for the Ethernet level.'],
  'routes': ['Routing table', 'netstat -r shows the routing table, the same information as route or ip route: for each destination network, the gateway and interface to use.'],
  'fib': ['FIB', 'The Forwarding Information Base: the kernel routing table, organised for fast lookup by destination address (netstat -F shows it).'],
  'route-cache': ['Route cache', 'A cache of recently used routes that older kernels kept (netstat -C). Linux removed it in version 3.6, so it is empty on modern systems.'],
  'masquerade': ['Masquerading', 'NAT where many private hosts share the public address of the router; old netstat -M listed these translated connections, today conntrack shows them.'],
  'timers': ['Socket timers', 'netstat -o shows the timer running on each socket (retransmit, keepalive, TIME_WAIT) and how often it has fired.'],
  'address-family': ['Address family', 'netstat -A selects the kind of addresses to show: inet for IPv4, inet6 for IPv6, unix and others.'],
  'interval': ['Repeated display', 'Given an interval (or -c on Linux), netstat prints its output again every few seconds; this dashboard is that idea made live.'],
  'program': ['Owning process', 'netstat -p shows which process holds each socket on Linux. On Windows -p instead selects a protocol, and together with -s limits the statistics to it.'],
  'extended': ['Extended output', 'netstat -e on Linux adds columns such as the user and inode of each socket; -ee adds more. On Windows -e shows Ethernet statistics instead.'],
  'verbose': ['Verbose output', 'netstat -v prints extra detail, for example about address families the kernel does not support.'],
};

/** netstat option letters → concept key. The Linux meaning wins where Windows differs. */
const OPTION_CONCEPTS: Readonly<Record<string, string>> = {
  '-a': 'connections', '-l': 'listening', '-t': 'connections', '-u': 'udp', '-w': 'raw', '-x': 'unix-socket',
  '-n': 'numeric', '-N': 'numeric', '-s': 'statistics', '-i': 'interfaces', '-r': 'routes', '-F': 'fib', '-C': 'route-cache',
  '-M': 'masquerade', '-o': 'timers', '-A': 'address-family', '-c': 'interval', '-p': 'program', '-e': 'extended',
  '-v': 'verbose',
};

export const CONCEPT_KEYS: readonly string[] = Object.keys(CONCEPTS);

/** A concept ('unix-socket', 'fragmentation') or a netstat option ('-s', '-M'). */
export function explainConcept(topic: string): Explanation | null {
  const t = topic.trim();
  const key = own(OPTION_CONCEPTS, t) ?? t.toLowerCase();
  const c = own(CONCEPTS, key);
  return c ? ex(c[0], c[1], c[2]) : null;
}
