// Routing tables from /proc/net/route (IPv4 main table) and /proc/net/ipv6_route (all IPv6 tables).
import type { Route4, Route6, SourceResult } from '../model.js';
import { decodeHexAddress, formatIpv6 } from './inet-address.js';
import { readSource, type KernelFs, type Parsed } from './kernel-fs.js';

const HEX8 = /^[0-9A-Fa-f]{8}$/;
const DEC = /^-?\d+$/;

/** /proc/net/ipv6_route prints the 16 address bytes in order (%pi6), not as host-order words. */
function hexToIPv6(hex: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < 32; i += 2) bytes.push(parseInt(hex.slice(i, i + 2), 16));
  return formatIpv6(bytes);
}

/** /proc/net/route: a header line, then tab-separated fields padded with spaces to 127 columns. */
export function parseRoute(text: string): Parsed<Route4[]> {
  const value: Route4[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.startsWith('Iface')) continue;
    const f = line.trim().split(/\s+/);
    const [iface, dest, gw, flags, refCnt, use, metric, mask, mtu, window, irtt] = f;
    // Columns a newer kernel might append are passed over; fewer than eleven is a cut line.
    if (
      f.length < 11 ||
      iface === undefined ||
      dest === undefined ||
      gw === undefined ||
      flags === undefined ||
      refCnt === undefined ||
      use === undefined ||
      metric === undefined ||
      mask === undefined ||
      mtu === undefined ||
      window === undefined ||
      irtt === undefined ||
      !HEX8.test(dest) ||
      !HEX8.test(gw) ||
      !HEX8.test(mask) ||
      !/^[0-9A-Fa-f]{1,8}$/.test(flags) ||
      ![refCnt, use, metric, mtu, window, irtt].every((n) => DEC.test(n) && Number.isFinite(Number(n)))
    ) {
      skipped++;
      continue;
    }
    value.push({
      iface,
      destination: decodeHexAddress(dest) ?? '',
      gateway: decodeHexAddress(gw) ?? '',
      mask: decodeHexAddress(mask) ?? '',
      flags: parseInt(flags, 16),
      refCnt: Number(refCnt),
      use: Number(use),
      metric: Number(metric),
      mtu: Number(mtu),
      window: Number(window),
      irtt: Number(irtt),
    });
  }
  return { value, skipped };
}

// dest plen src slen nexthop metric refcnt use flags, then the device as %8s: a route without
// a device ends in nine spaces, which tells it apart from a line cut short after the flags.
const IPV6_ROUTE = new RegExp(
  '^([0-9a-f]{32}) ([0-9a-f]{2}) ([0-9a-f]{32}) ([0-9a-f]{2}) ([0-9a-f]{32})' +
    ' ([0-9a-f]{8}) ([0-9a-f]{8}) ([0-9a-f]{8}) ([0-9a-f]{8})(?: +(\\S+)(?: +\\S.*)?| {9})\\s*$',
  'i',
);

export function parseIpv6Route(text: string): Parsed<Route6[]> {
  const value: Route6[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const m = IPV6_ROUTE.exec(line);
    if (!m) {
      skipped++;
      continue;
    }
    const g = (i: number): string => m[i] ?? '';
    value.push({
      destination: hexToIPv6(g(1)),
      destPrefix: parseInt(g(2), 16),
      source: hexToIPv6(g(3)),
      sourcePrefix: parseInt(g(4), 16),
      nextHop: hexToIPv6(g(5)),
      metric: parseInt(g(6), 16),
      refCnt: parseInt(g(7), 16),
      use: parseInt(g(8), 16),
      flags: parseInt(g(9), 16),
      iface: g(10),
    });
  }
  return { value, skipped };
}

export function readRoutes4(kfs: KernelFs): Promise<SourceResult<Route4[]>> {
  return readSource(kfs, 'proc/net/route', parseRoute);
}

export function readRoutes6(kfs: KernelFs): Promise<SourceResult<Route6[]>> {
  return readSource(kfs, 'proc/net/ipv6_route', parseIpv6Route, { emptyOk: true });
}
