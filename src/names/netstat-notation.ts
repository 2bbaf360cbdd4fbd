// netstat's vocabulary, shared by the text printer and the dashboard: TCP and UNIX state names,
// "host:port" endpoints, the PID/Program label, interface and route flag letters, and which
// sockets a listing shows. Names only: no reads, no layout beyond netstat's own cuts.
import type { IfSysInfo, InetSocket, ProcessOwner, UnixSocket } from '../model.js';
import { isUnspecified } from '../sources/inet-address.js';
import { isUnixListening, SO_ACCEPTCON } from '../sources/unix-sockets.js';
import { printable } from '../text/printable.js';
import { serviceName, type ServiceTable } from './services.js';
import { TCP_STATES } from './tcp-states.js';
import type { UserTable } from './users.js';

export { SO_ACCEPTCON };

export interface NameContext {
  services: ServiceTable;
  users: UserTable;
  /** A host name known now, or undefined (the printer then shows the address). */
  hostName: (addr: string) => string | undefined;
  owners: ReadonlyMap<number, ProcessOwner> | null;
  /** IP protocol names from /etc/protocols: a raw socket's port column. */
  protocols?: ReadonlyMap<number, string>;
  /** Network names from /etc/networks, for netstat -r. */
  networks?: ReadonlyMap<string, string>;
}

export interface ConnOptions {
  all: boolean;
  listening: boolean;
  numericHosts: boolean;
  numericPorts: boolean;
  numericUsers: boolean;
  /** Number of -e flags. */
  extend: number;
  programs: boolean;
  timers: boolean;
  wide: boolean;
}

export { TCP_STATES };

/** netstat's -p column: "pid/program" cut to 19 characters, '-' when unknown. Raw: the
 *  dashboard escapes it itself; text output uses ownerText. */
export function ownerLabel(owners: ReadonlyMap<number, ProcessOwner> | null, inode: number): string {
  const o = owners?.get(inode);
  return o ? `${o.pid}/${o.program}`.slice(0, 19) : '-';
}

export function stateName(s: InetSocket): string {
  if (s.proto.startsWith('tcp')) return TCP_STATES[s.state] ?? `UNKNOWN(${s.state})`;
  if (s.proto.startsWith('raw')) return String(s.state);
  return s.state === 1 ? 'ESTABLISHED' : s.state === 7 ? '' : 'UNKNOWN';
}

/** netstat 2.10 prints an IPv4-mapped IPv6 address as the IPv4 address it carries. */
export function unmapV4(addr: string): string {
  return addr.startsWith('::ffff:') && addr.includes('.') ? addr.slice(7) : addr;
}

export function hostText(rawAddr: string, names: NameContext, numeric: boolean): string {
  const addr = unmapV4(rawAddr);
  // netstat looks a mapped address up as IPv6, which /etc/hosts' IPv4 lines do not answer.
  if (numeric || addr !== rawAddr) return addr;
  if (addr === '::') return '[::]';
  if (addr === '0.0.0.0') return addr;
  return names.hostName(addr) ?? addr;
}

export function serviceText(port: number, serviceProto: string, names: NameContext, opts: ConnOptions): string {
  return serviceProto === 'raw' && !opts.numericPorts && port !== 0
    ? (names.protocols?.get(port) ?? String(port))
    : serviceName(names.services, port, serviceProto, opts.numericPorts);
}

/** "host:port", cut so the pair fits 22 characters unless wide. */
export function fitEndpoint(host: string, svc: string, opts: ConnOptions): string {
  const short = 22;
  if (!opts.wide && host.length + svc.length > short) {
    const portLen = Math.min(svc.length, short - 4);
    return `${host.slice(0, short - portLen)}:${svc.slice(0, portLen)}`;
  }
  return `${host}:${svc}`;
}

export function endpointWith(
  addr: string,
  port: number,
  serviceProto: string,
  names: NameContext,
  opts: ConnOptions,
  show: (s: string) => string,
): string {
  return fitEndpoint(show(hostText(addr, names, opts.numericHosts)), show(serviceText(port, serviceProto, names, opts)), opts);
}

/** addr_do_one: "host:port", cut so the pair fits 22 characters unless -W. Raw names: the
 *  dashboard escapes the result itself; text output uses endpointText. */
export function endpoint(addr: string, port: number, serviceProto: string, names: NameContext, opts: ConnOptions): string {
  return endpointWith(addr, port, serviceProto, names, opts, (s) => s);
}

/** endpoint for text output: a host name from DNS or /etc/hosts, and a service name, are
 *  escaped before the cut, so the escaped text keeps netstat's 22 columns. */
export function endpointText(addr: string, port: number, serviceProto: string, names: NameContext, opts: ConnOptions): string {
  return endpointWith(addr, port, serviceProto, names, opts, printable);
}

/** Which sockets netstat lists: TCP by remote port, UDP/RAW by remote address. */
export function inetVisible(s: InetSocket, opts: Pick<ConnOptions, 'all' | 'listening'>): boolean {
  if (opts.all) return true;
  const idle = s.proto.startsWith('tcp') ? s.remotePort === 0 : isUnspecified(s.remoteAddr);
  return opts.listening ? idle : !idle;
}

const UNIX_TYPES: Record<number, string> = { 1: 'STREAM', 2: 'DGRAM', 3: 'RAW', 4: 'RDM', 5: 'SEQPACKET' };

export function unixStateName(s: UnixSocket): string {
  switch (s.state) {
    case 0:
      return 'FREE';
    case 1:
      return s.flags & SO_ACCEPTCON ? 'LISTENING' : '';
    case 2:
      return 'CONNECTING';
    case 3:
      return 'CONNECTED';
    case 4:
      return 'DISCONNECTING';
    default:
      return 'UNKNOWN';
  }
}

export function unixTypeName(type: number): string {
  return UNIX_TYPES[type] ?? 'UNKNOWN';
}

export function unixVisible(s: UnixSocket, opts: Pick<ConnOptions, 'all' | 'listening'>): boolean {
  return opts.all || isUnixListening(s) === opts.listening;
}

// IFF_* bits (linux/if.h).
export const IFF = {
  UP: 0x1,
  BROADCAST: 0x2,
  DEBUG: 0x4,
  LOOPBACK: 0x8,
  POINTOPOINT: 0x10,
  NOTRAILERS: 0x20,
  RUNNING: 0x40,
  NOARP: 0x80,
  PROMISC: 0x100,
  ALLMULTI: 0x200,
  MASTER: 0x400,
  SLAVE: 0x800,
  MULTICAST: 0x1000,
  DYNAMIC: 0x8000,
} as const;

/** The flags word as SIOCGIFFLAGS reports it: sysfs gives dev->flags, and the kernel adds
 *  RUNNING when the device is up and its operstate is up or unknown (dev_get_flags). */
export function effectiveFlags(sys: IfSysInfo): number | undefined {
  if (sys.flags === undefined) return undefined;
  let f = sys.flags & ~IFF.RUNNING;
  if (f & IFF.UP && (sys.operstate === 'up' || sys.operstate === 'unknown')) f |= IFF.RUNNING;
  return f;
}

/** netstat -i's Flg column, letters in netstat's order. */
export function flagLetters(flags: number): string {
  if (flags === 0) return '[NO FLAGS]';
  const pairs: [number, string][] = [
    [IFF.ALLMULTI, 'A'],
    [IFF.BROADCAST, 'B'],
    [IFF.DEBUG, 'D'],
    [IFF.LOOPBACK, 'L'],
    [IFF.MULTICAST, 'M'],
    [IFF.DYNAMIC, 'd'],
    [IFF.PROMISC, 'P'],
    [IFF.NOTRAILERS, 'N'],
    [IFF.NOARP, 'O'],
    [IFF.POINTOPOINT, 'P'],
    [IFF.SLAVE, 's'],
    [IFF.MASTER, 'm'],
    [IFF.RUNNING, 'R'],
    [IFF.UP, 'U'],
  ];
  return pairs
    .filter(([bit]) => flags & bit)
    .map(([, l]) => l)
    .join('');
}

// Route flags (linux/route.h, linux/ipv6_route.h).
export const RTF_UP = 0x0001,
  RTF_GATEWAY = 0x0002,
  RTF_HOST = 0x0004,
  RTF_REINSTATE = 0x0008;
export const RTF_DYNAMIC = 0x0010,
  RTF_MODIFIED = 0x0020,
  RTF_MTU = 0x0040,
  RTF_WINDOW = 0x0080;
export const RTF_IRTT = 0x0100,
  RTF_REJECT = 0x0200,
  RTF_NOTCACHED = 0x0400;
export const RTF_DEFAULT = 0x00010000,
  RTF_ALLONLINK = 0x00020000,
  RTF_ADDRCONF = 0x00040000;
export const RTF_NONEXTHOP = 0x00200000,
  RTF_EXPIRES = 0x00400000,
  RTF_CACHE = 0x01000000;
export const RTF_FLOW = 0x02000000,
  RTF_POLICY = 0x04000000,
  RTF_LOCAL = 0x80000000;

export function flags4(f: number): string {
  let s = '';
  if (f & RTF_UP) s += 'U';
  if (f & RTF_GATEWAY) s += 'G';
  if (f & RTF_REJECT) s = '!'; // strcpy in netstat: a reject route loses the U and G
  if (f & RTF_HOST) s += 'H';
  if (f & RTF_REINSTATE) s += 'R';
  if (f & RTF_DYNAMIC) s += 'D';
  if (f & RTF_MODIFIED) s += 'M';
  if (f & RTF_DEFAULT) s += 'd';
  if (f & RTF_ALLONLINK) s += 'a';
  if (f & RTF_ADDRCONF) s += 'c';
  if (f & RTF_NONEXTHOP) s += 'o';
  if (f & RTF_EXPIRES) s += 'e';
  if (f & RTF_CACHE) s += 'c';
  if (f & RTF_FLOW) s += 'f';
  if (f & RTF_POLICY) s += 'p';
  if (f & RTF_LOCAL) s += 'l';
  if (f & RTF_MTU) s += 'u';
  if (f & RTF_WINDOW) s += 'w';
  if (f & RTF_IRTT) s += 'i';
  if (f & RTF_NOTCACHED) s += 'n';
  return s;
}

export function flags6(f: number): string {
  let s = '';
  if (f & RTF_UP) s += 'U';
  if (f & RTF_REJECT) s += '!';
  if (f & RTF_GATEWAY) s += 'G';
  if (f & RTF_HOST) s += 'H';
  if (f & RTF_DEFAULT) s += 'D';
  if (f & RTF_ADDRCONF) s += 'A';
  if (f & RTF_CACHE) s += 'C';
  if (f & RTF_ALLONLINK) s += 'a';
  if (f & RTF_EXPIRES) s += 'e';
  if (f & RTF_MODIFIED) s += 'm';
  if (f & RTF_NONEXTHOP) s += 'n';
  if (f & RTF_FLOW) s += 'f';
  return s;
}
