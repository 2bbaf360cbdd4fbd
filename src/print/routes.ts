// `netstat -r` as net-tools 2.10 prints it (lib/inet_gr.c rprint_fib, lib/inet6_gr.c rprint_fib6,
// name rules from lib/inet.c INET_rresolve and lib/inet6.c INET6_rresolve).
import type { Route4, Route6 } from '../model.js';
import { flags4, flags6, RTF_CACHE, RTF_HOST, RTF_REJECT, RTF_UP } from '../names/netstat-notation.js';
import { cutName, esc, left, longName, right } from './printf.js';

export interface RouteFormatOptions {
  /** -n: print addresses, never names. */
  numeric: boolean;
  /** Number of -e flags. */
  extend: 0 | 1 | 2;
  /** Name for a host address (gethostbyaddr/getnameinfo); defaults to the address itself. */
  hostName?: (ip: string) => string;
  /** Name for an IPv4 network address (getnetbyaddr, /etc/networks); defaults to the address. */
  netName?: (ip: string) => string;
}

/** netstat reads every number with %d/%x into an int, so large unsigned values print negative. */
const int = (n: number): string => String(n | 0);
const identity = (ip: string): string => ip;

/** A name looked up for an address, escaped; a very long one (DNS) cut with an ellipsis. An
 *  address given back unchanged stays whole. */
function named(lookup: (ip: string) => string, ip: string): string {
  const n = lookup(ip);
  return n === ip ? ip : longName(n, false);
}

function ipv4ToInt(ip: string): number {
  return ip.split('.').reduce((acc, part) => ((acc << 8) | Number(part)) >>> 0, 0);
}

/** INET_rresolve: 0.0.0.0/0 is "default" (destination) or "*"; 0.0.0.0 under any other mask
 *  stays numeric; an address with host bits set, or flagged as a host, is looked up as a
 *  host, anything else as a network. */
function name4(ip: string, mask: number, asHost: boolean, isDestination: boolean, o: RouteFormatOptions): string {
  if (o.numeric) return ip;
  const ad = ipv4ToInt(ip);
  if (ad === 0) return mask === 0 ? (isDestination ? 'default' : '*') : '0.0.0.0';
  const host = asHost || (ad & ~mask) !== 0;
  // Raw here: the caller cuts it to 15 columns with cutName, which escapes it.
  return (host ? (o.hostName ?? identity) : (o.netName ?? identity))(ip);
}

const HEADERS4: Record<1 | 2 | 3, string> = {
  1: 'Destination     Gateway         Genmask         Flags Metric Ref    Use Iface',
  2: 'Destination     Gateway         Genmask         Flags   MSS Window  irtt Iface',
  3: 'Destination     Gateway         Genmask         Flags Metric Ref    Use Iface    MSS   Window irtt',
};

/** netstat -rC: the IPv4 routing cache. Linux has had none since 3.6 (/proc/net/rt_cache
 *  lists nothing), so this is netstat's title and header with no rows, as netstat prints it. */
const CACHE_HEADERS4: Record<1 | 2 | 3, string> = {
  1: 'Source          Destination     Gateway         Flags Metric Ref    Use Iface',
  2: 'Source          Destination     Gateway         Flags   MSS Window  irtt Iface',
  3: 'Source          Destination     Gateway         Flags Metric Ref    Use Iface    MSS   Window irtt  TOS HHRef HHUptod     SpecDst',
};

export function formatRouteCache4(opts: Pick<RouteFormatOptions, 'extend'>): string {
  const ext = opts.extend === 0 ? 2 : opts.extend === 1 ? 1 : 3;
  return `Kernel IP routing cache\n${CACHE_HEADERS4[ext]}\n`;
}

export function formatRoutes4(routes: Route4[], opts: RouteFormatOptions): string {
  // netstat swaps the meaning of one and two -e: none shows MSS/Window/irtt, one shows Metric/Ref/Use.
  const ext = opts.extend === 0 ? 2 : opts.extend === 1 ? 1 : 3;
  const lines = ['Kernel IP routing table', HEADERS4[ext]];
  for (const r of routes) {
    // the kernel never lists a route without RTF_UP here, but netstat checks anyway
    if (!(r.flags & RTF_UP)) continue;
    const mask = ipv4ToInt(r.mask);
    const dest = cutName(name4(r.destination, mask, (r.flags & RTF_HOST) !== 0, true, opts), 15);
    const gw = cutName(name4(r.gateway, 0xffffff00, true, false, opts), 15);
    const iface = esc(r.iface);
    const flags = flags4(r.flags);
    const reject = (r.flags & RTF_REJECT) !== 0;
    const head = `${left(dest, 15)} ${reject ? '-              ' : left(gw, 15)} ${left(r.mask, 15)} ${left(flags, 5)} `;
    if (ext === 1) {
      lines.push(
        reject
          ? `${head}${left(int(r.metric), 6)} -  ${right(int(r.use), 7)} -`
          : `${head}${left(int(r.metric), 6)} ${left(int(r.refCnt), 2)} ${right(int(r.use), 7)} ${iface}`,
      );
    } else if (ext === 2) {
      lines.push(
        reject
          ? `${head}    - -          - -`
          : `${head}${right(int(r.mtu), 5)} ${left(int(r.window), 5)} ${right(int(r.irtt), 6)} ${iface}`,
      );
    } else {
      lines.push(
        reject
          ? `${head}${left(int(r.metric), 6)} -  ${right(int(r.use), 7)} -        -     -      -`
          : `${head}${left(int(r.metric), 6)} ${left(int(r.refCnt), 3)} ${right(int(r.use), 6)} ` +
              `${left(cutName(r.iface, 6), 6)}   ${left(int(r.mtu), 5)} ${left(int(r.window), 6)} ${int(r.irtt)}`,
      );
    }
  }
  return lines.join('\n') + '\n';
}

/** lib/inet6.c fix_v4_address: an IPv4-mapped address prints as its dotted tail alone. */
function fixV4(text: string, ip: string): string {
  if (!/^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(ip)) return text;
  const dot = text.indexOf('.');
  if (dot < 0) return text;
  const colon = text.lastIndexOf(':', dot);
  return colon < 0 ? text : text.slice(colon + 1);
}

function name6(ip: string, o: RouteFormatOptions): string {
  if (o.numeric) return fixV4(ip, ip);
  if (ip === '::') return '[::]';
  return fixV4(named(o.hostName ?? identity, ip), ip);
}

/** The IPv6 table, or with `cache` (netstat -rC) only the cached clones (RTF_CACHE). */
export function formatRoutes6(routes: Route6[], opts: RouteFormatOptions, cache = false): string {
  const lines = [
    cache ? 'Kernel IPv6 routing cache' : 'Kernel IPv6 routing table',
    'Destination                    Next Hop                   Flag Met Ref  Use If',
  ];
  for (const r of routes) {
    // cached clones belong to `netstat -rC`; unlike IPv4, routes without RTF_UP are shown
    if (((r.flags & RTF_CACHE) !== 0) !== cache) continue;
    const dest = `${name6(r.destination, opts)}/${r.destPrefix}`;
    lines.push(
      `${left(dest, 30)} ${left(name6(r.nextHop, opts), 26)} ${left(flags6(r.flags), 4)} ` +
        `${left(int(r.metric), 3)} ${left(int(r.refCnt), 1)} ${right(int(r.use), 6)} ${esc(r.iface)}`,
    );
  }
  return lines.join('\n') + '\n';
}
