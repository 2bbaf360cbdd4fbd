// General concepts and the netstat options they come from, for help screens and for the
// detail view of things that are neither a counter nor a column.
// Texts are our own wording and end up in a blessed box with tags enabled: never braces or
// control characters (test/explain.test.ts checks every entry).
import type { Explanation } from '../../catalog/index.js';

function ex(title: string, meaning: string, whenRising?: string): Explanation {
  return whenRising === undefined ? { title, meaning } : { title, meaning, whenRising };
}

function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

const CONCEPTS: Readonly<Record<string, readonly [string, string, string?]>> = {
  connections: [
    'Connection list',
    'The sockets of the transport layer: mostly TCP connections, but UDP and raw sockets are listed too. Plain netstat shows only established connections; netstat -a adds listening and other sockets.',
  ],
  listening: [
    'Listening sockets',
    'Sockets waiting for others to connect (netstat -l). Each one is a service reachable at its local address, so review them: an unexpected listener on a public address is a way in for attackers.',
  ],
  udp: [
    'UDP',
    'UDP has no connections and no state, so UDP sockets show no State and a foreign address of *:* unless connected; its statistics count datagrams. A program may listen on the same port number over both TCP and UDP.',
  ],
  raw: [
    'Raw sockets',
    'Sockets that send or receive whole IP packets of some protocol other than TCP or UDP, such as ICMP for ping (netstat -w).',
  ],
  'unix-socket': [
    'UNIX domain sockets',
    'Endpoints for exchanging data between processes on the same host, addressed by a filesystem path or an abstract name instead of an IP address and port (netstat -x).',
  ],
  icmp: [
    'ICMP',
    'The control protocol of IP: hosts and routers use it to report errors and network conditions to each other, and ping uses its echo messages. Its statistics count messages.',
  ],
  'wildcard-address': [
    'Bound to every address',
    'A local address of 0.0.0.0 (or :: for IPv6) means the socket accepts traffic arriving on any address of the host. A specific address limits it to that one, which matters on multi-homed hosts with several interfaces.',
  ],
  numeric: [
    'Numeric output',
    'Without netstat -n, addresses are turned into host names by reverse DNS and ports into service names from /etc/services. Lookups for addresses missing from DNS can stall the output until they time out, so numeric mode is faster.',
  ],
  statistics: [
    'Protocol statistics',
    'netstat -s prints per-protocol counters (IP, ICMP, TCP, UDP) kept by the kernel. They add up since boot and over all interfaces, the IP numbers include the TCP, UDP and ICMP traffic, and comparing values before and after an action shows what it did.',
  ],
  'tcp-counts': [
    'TCP statistics',
    'TCP is connection oriented, so most TCP counters count connections (opened actively as a client, passively as a server, failed, reset), besides segments sent, received and retransmitted.',
  ],
  fragmentation: [
    'Fragmentation',
    'Packets larger than the MTU of a link are split into fragments and put back together at the receiver. A high share of fragments costs CPU and hurts performance, so check that the interface MTUs fit the path.',
  ],
  forwarding: [
    'Forwarding',
    'A host that forwards packets acts as a router: it passes on traffic that was not addressed to itself. Its IP statistics then include forwarded, dropped and unroutable packets.',
  ],
  interfaces: [
    'Interface statistics',
    'netstat -i shows one line per network interface with its MTU and counts of packets received and sent, split into good, errors, drops and overruns. Windows netstat -e shows similar totals for the Ethernet level.',
  ],
  routes: [
    'Routing table',
    'netstat -r shows the routing table, the same information as route or ip route: for each destination network, the gateway and interface to use.',
  ],
  fib: [
    'FIB',
    'The Forwarding Information Base: the kernel routing table, organised for fast lookup by destination address (netstat -F shows it).',
  ],
  'route-cache': [
    'Route cache',
    'A cache of recently used routes that older kernels kept (netstat -C). Linux removed it in version 3.6, so it is empty on modern systems.',
  ],
  masquerade: [
    'Masquerading',
    'NAT where many private hosts share the public address of the router; old netstat -M listed these translated connections, today conntrack shows them.',
  ],
  timers: [
    'Socket timers',
    'netstat -o shows the timer running on each socket (retransmit, keepalive, TIME_WAIT) and how often it has fired.',
  ],
  'address-family': ['Address family', 'netstat -A selects the kind of addresses to show: inet for IPv4, inet6 for IPv6, unix and others.'],
  interval: [
    'Repeated display',
    'Given an interval (or -c on Linux), netstat prints its output again every few seconds; this dashboard is that idea made live.',
  ],
  program: [
    'Owning process',
    'netstat -p shows which process holds each socket on Linux. On Windows -p instead selects a protocol, and together with -s limits the statistics to it.',
  ],
  extended: [
    'Extended output',
    'netstat -e on Linux adds columns such as the user and inode of each socket; -ee adds more. On Windows -e shows Ethernet statistics instead.',
  ],
  verbose: ['Verbose output', 'netstat -v prints extra detail, for example about address families the kernel does not support.'],
};

/** netstat option letters → concept key. The Linux meaning wins where Windows differs. */
const OPTION_CONCEPTS: Readonly<Record<string, string>> = {
  '-a': 'connections',
  '-l': 'listening',
  '-t': 'connections',
  '-u': 'udp',
  '-w': 'raw',
  '-x': 'unix-socket',
  '-n': 'numeric',
  '-N': 'numeric',
  '-s': 'statistics',
  '-i': 'interfaces',
  '-r': 'routes',
  '-F': 'fib',
  '-C': 'route-cache',
  '-M': 'masquerade',
  '-o': 'timers',
  '-A': 'address-family',
  '-c': 'interval',
  '-p': 'program',
  '-e': 'extended',
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
