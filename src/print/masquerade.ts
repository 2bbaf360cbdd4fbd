// `netstat -M`, rebuilt on conntrack.
//
// net-tools reads /proc/net/ip_masquerade, which left the kernel with ipchains (2.4); on every
// current kernel `netstat -M` just reports that it is not supported. Masquerading now lives in
// netfilter NAT, whose flows are listed in /proc/net/nf_conntrack. So netdash keeps netstat's
// table (lib/masq_info.c: header, prot/expire/source/destination/ports columns) and fills it
// from conntrack:
//   - a flow is NATed when its reply tuple is not the mirror of its original tuple;
//   - source/destination and the two ports come from the original tuple, and the port in
//     parentheses (netstat's "masqueraded port") is the reply tuple's destination port: the
//     port the translated packets leave with, which is what the old mport column showed;
//   - expire is conntrack's timeout, printed as netstat printed jiffies/100: m:ss.hh;
//   - the -e columns (initseq, delta, prevd) were TCP sequence fix-ups of the old masquerading
//     code that conntrack does not expose, so they print as '-'.
// With `all` every tracked flow is listed, NATed or not. As in netstat, no rows prints nothing.
import type { ConntrackEntry } from '../model.js';
import { esc, longName } from './printf.js';

export interface MasqueradeFormatOptions {
  /** -n: addresses and ports as numbers. */
  numeric: boolean;
  /** Number of -e flags; one or more adds the initseq/delta/prevd columns. */
  extend: number;
  /** Show every tracked flow, not only the NATed ones. */
  all?: boolean;
  /** Name for an address; defaults to the address itself. */
  hostName?: (ip: string) => string;
  /** Service name for a port (getservbyport); defaults to the number. */
  serviceName?: (port: number, proto: string) => string;
}

export function isNated(e: ConntrackEntry): boolean {
  return !(e.replySrc === e.dst && e.replyDst === e.src && e.replySport === e.dport && e.replyDport === e.sport);
}

export function formatMasquerade(entries: ConntrackEntry[], opts: MasqueradeFormatOptions): string {
  const rows = opts.all ? entries : entries.filter(isNated);
  if (rows.length === 0) return '';
  const host = (ip: string): string => {
    if (opts.numeric) return ip;
    if (ip === '0.0.0.0') return ip;
    // A name (from DNS: anyone's text) is escaped, and cut with an ellipsis when very long.
    const n = (opts.hostName ?? ((a: string) => a))(ip);
    return n === ip ? ip : longName(n, false);
  };
  const port = (p: number | null, proto: string): string => {
    if (p === null || p === 0) return '*';
    return opts.numeric || !opts.serviceName ? String(p) : esc(opts.serviceName(p, proto));
  };
  const lines = ['IP masquerading entries'];
  lines.push(
    opts.extend >= 1
      ? 'prot   expire    initseq delta prevd source               destination          ports'
      : 'prot   expire source               destination          ports',
  );
  for (const e of rows) {
    const minutes = Math.floor(e.timeout / 60);
    const seconds = e.timeout % 60;
    let line = `${esc(e.proto).padEnd(4)}${String(minutes).padStart(3)}:${String(seconds).padStart(2, '0')}.00 `;
    if (opts.extend >= 1) line += `${'-'.padStart(10)} ${'-'.padStart(5)} ${'-'.padStart(5)} `;
    line += `${host(e.src).padEnd(20)} ${host(e.dst).padEnd(20)} `;
    line += `${port(e.sport, e.proto)} -> ${port(e.dport, e.proto)} (${port(e.replyDport, e.proto)})`;
    lines.push(line);
  }
  return lines.join('\n') + '\n';
}
