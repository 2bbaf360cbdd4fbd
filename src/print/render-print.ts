// --print: one snapshot rendered in netstat's own text formats.
import type { PrintOptions } from './print-options.js';
import { inetProtos } from '../names/netstat-selection.js';
import { inetSockets, type Snapshot, type Want } from '../sources/snapshot.js';
import { inetChunks, unixChunks } from './connections.js';
import { type ConnOptions, type NameContext } from '../names/netstat-notation.js';
import { ethernetTotals, formatEthernet, formatInterfaces } from './interfaces.js';
import { formatMasquerade } from './masquerade.js';
import { skippedNotes } from './notes.js';
import { formatRouteCache4, formatRoutes4, formatRoutes6 } from './routes.js';
import { formatStatistics } from './statistics.js';
import { serviceName } from '../names/services.js';

/** What a print run has to read for these options, and nothing more. */
export function wantFor(o: PrintOptions): Want {
  const conn = o.section === 'connections';
  const routes = o.section === 'routes';
  return {
    inet: conn ? inetProtos(o) : [],
    unix: conn && (!o.socketArgs || o.unix),
    owners: conn && o.programs,
    interfaces: o.section === 'interfaces' || o.section === 'ethernet' || o.ethernetToo,
    counters: o.section === 'statistics' || o.section === 'ethernet',
    // -C: the IPv4 cache has no rows to read (none since Linux 3.6).
    routes4: routes && (!o.inet6 || o.inet4) && !o.cache,
    routes6: routes && o.inet6 && !o.inet4,
    conntrack: o.section === 'masquerade',
    // netstat -l: the kernel skips established sockets (sock_diag state filter).
    listeningOnly: conn && o.listening && !o.all,
    tcpInfo: conn && o.info && (o.tcp || !o.socketArgs),
  };
}

export function connOptions(o: PrintOptions): ConnOptions {
  return {
    all: o.all,
    listening: o.listening,
    numericHosts: o.numericHosts,
    numericPorts: o.numericPorts,
    numericUsers: o.numericUsers,
    extend: o.extend,
    programs: o.programs,
    timers: o.timers,
    wide: o.wide,
  };
}

export interface PrintResult {
  out: string;
  /** Sections that could not be read: shown on stderr, the rest still prints. */
  errors: string[];
}

/** The status note of --info when the table came from /proc (no sock_diag): no TCP row has tcp_info. */
export const TCP_INFO_MISSING = '--info: the kernel tables were read from /proc, which has no tcp_info: internals show -';

/** Whether the snapshot's TCP rows carry tcp_info (true when there are no TCP rows at all). */
export function hasTcpInfo(snap: Snapshot): boolean {
  let rows = 0;
  for (const p of ['tcp', 'tcp6'] as const) {
    const r = snap.inet[p];
    if (!r?.ok) continue;
    for (const s of r.value) {
      if (s.tcpInfo) return true;
      if (s.state !== 6 && s.inode !== 0) rows++;
    }
  }
  return rows === 0;
}

/** What renderPrint's text would say on stderr, without formatting the text (so a caller can
 *  say it first and then stream the text). */
export function printErrors(o: PrintOptions, snap: Snapshot): string[] {
  const errors: string[] = [];
  switch (o.section) {
    case 'connections': {
      const protos = inetProtos(o);
      for (const p of protos) {
        const r = snap.inet[p];
        if (r && !r.ok) errors.push(r.error);
      }
      if (snap.unix && !snap.unix.ok) errors.push(snap.unix.error);
      if (o.info && (o.tcp || !o.socketArgs) && !hasTcpInfo(snap)) errors.push(TCP_INFO_MISSING);
      if (o.programs && snap.owners?.denied) {
        errors.push(
          '(Not all processes could be identified, non-owned process info will not be shown, you would have to be root to see it all.)',
        );
      }
      break;
    }
    case 'interfaces':
      // cli prints -ie once with print/ifconfig.ts; repeated (an interval, -c) it is this table.
      if (o.extend > 0) errors.push('the ifconfig-style listing (-ie) is printed once only; with an interval, the interface table');
      if (snap.interfaces && !snap.interfaces.ok) errors.push(snap.interfaces.error);
      break;
    case 'ethernet':
      if (snap.interfaces && !snap.interfaces.ok) errors.push(snap.interfaces.error);
      errors.push(...(snap.counters?.errors ?? []));
      break;
    case 'statistics':
      if (o.ethernetToo && snap.interfaces && !snap.interfaces.ok) errors.push(snap.interfaces.error);
      if (snap.counters) errors.push(...snap.counters.errors);
      break;
    case 'routes':
      if (snap.routes4 && !snap.routes4.ok) errors.push(snap.routes4.error);
      if (snap.routes6 && !snap.routes6.ok) errors.push(snap.routes6.error);
      break;
    case 'masquerade':
      if (snap.conntrack && !snap.conntrack.ok) errors.push(snap.conntrack.error);
      break;
  }
  // A file that was read but had lines that could not be parsed says so (the rest printed).
  errors.push(...skippedNotes(snap));
  return errors;
}

/** The exit status of a print: 1 when the section's only source could not be read at all,
 *  as netstat exits 1 when it cannot show -M (its "no support" or a permission error). */
export function printStatus(o: PrintOptions, snap: Snapshot): 0 | 1 {
  if (o.section === 'masquerade' && snap.conntrack && !snap.conntrack.ok) return 1;
  return 0;
}

/** The text of one snapshot in pieces, made as they are asked for: a table of 50k sockets is
 *  4 MB of text, whose lines can go out as they are made instead of being kept until the end. */
export function* printChunks(o: PrintOptions, snap: Snapshot, names: NameContext): Generator<string, void, undefined> {
  const hostName = (ip: string): string => names.hostName(ip) ?? ip;
  const netName = (ip: string): string => names.networks?.get(ip) ?? ip;
  const extend = Math.min(o.extend, 2) as 0 | 1 | 2;
  switch (o.section) {
    case 'connections': {
      const protos = inetProtos(o);
      if (protos.length > 0) yield* inetChunks(inetSockets(snap, protos).sockets, names, connOptions(o), o.info);
      if (snap.unix?.ok) yield* unixChunks(snap.unix.value, names, connOptions(o));
      break;
    }
    case 'interfaces':
      if (snap.interfaces?.ok) yield formatInterfaces(snap.interfaces.value, o.all, o.wide);
      break;
    case 'ethernet':
      if (snap.interfaces?.ok) yield formatEthernet(ethernetTotals(snap.interfaces.value, snap.counters?.counters ?? {}));
      break;
    case 'statistics':
      // Windows netstat -e -s: the Ethernet block first.
      if (o.ethernetToo && snap.interfaces?.ok)
        yield formatEthernet(ethernetTotals(snap.interfaces.value, snap.counters?.counters ?? {})) + '\n';
      if (snap.counters) {
        yield formatStatistics(snap.counters.counters, {
          tcp: o.tcp,
          udp: o.udp,
          raw: o.raw,
          udplite: o.udplite,
          inet6: o.inet6 && !o.inet4,
        });
      }
      break;
    case 'routes':
      if (o.cache && !(o.inet6 && !o.inet4)) yield formatRouteCache4({ extend });
      if (snap.routes4?.ok) yield formatRoutes4(snap.routes4.value, { numeric: o.numericHosts, extend, hostName, netName });
      if (snap.routes6?.ok) yield formatRoutes6(snap.routes6.value, { numeric: o.numericHosts, extend, hostName, netName }, o.cache);
      break;
    case 'masquerade':
      if (snap.conntrack?.ok)
        yield formatMasquerade(snap.conntrack.value, {
          numeric: o.numericHosts,
          extend: o.extend,
          all: o.all,
          hostName,
          serviceName: (port, proto) => serviceName(names.services, port, proto, o.numericPorts),
        });
      break;
  }
}

export function renderPrint(o: PrintOptions, snap: Snapshot, names: NameContext): PrintResult {
  return { out: [...printChunks(o, snap, names)].join(''), errors: printErrors(o, snap) };
}
