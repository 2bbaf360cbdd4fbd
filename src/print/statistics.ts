// `netstat -s` as net-tools 2.10 prints it (statistics.c), byte for byte.
//
// netstat looks every counter up with bsearch() in tables that are meant to be sorted but are
// not quite; entries that bsearch misses fall back to the raw "Name: value" line, shown only
// when nonzero. The tables (upstream's order, wording per counter) are the catalog's
// (src/catalog/netstat-tables.ts); here they are searched the way glibc does.
import { netstatFind, netstatTable, type NetstatFlag, type NetstatRow } from '../catalog/index.js';
import type { CounterGroups } from '../model.js';
import type { CounterValue } from '../model/counter-value.js';
import { SNMP6_OTHER } from '../sources/snmp.js';
import { esc } from './printf.js';

export interface StatisticsOptions {
  tcp: boolean;
  udp: boolean;
  raw: boolean;
  /** -U: prints no table of its own, but like any protocol flag it stops "show everything". */
  udplite?: boolean;
  sctp?: boolean;
  /** -6: the /proc/net/snmp6 groups followed by Tcp, as `netstat -s -6` does. */
  inet6?: boolean;
}

type Flag = NetstatFlag;
interface Known {
  entries: readonly Entry[];
  flag: Flag;
}
type Entry = NetstatRow;

/** The catalog's netstat tables, rows filled in once. */
function known(titles: readonly string[]): ReadonlyMap<string, Known> {
  const m = new Map<string, Known>();
  for (const t of titles) {
    const k = netstatTable(t);
    if (k) m.set(t, { entries: k.rows, flag: k.table.flag });
  }
  return m;
}

const INET_TABLES = known(['Ip', 'Icmp', 'Tcp', 'Udp', 'Sctp', 'TcpExt']);
const INET6_TABLES = known(['Ip6', 'Icmp6', 'Udp6', 'Tcp6']);

const TWO_64 = 1n << 64n;

/** netstat reads values with strtoull, so -1 shows as 18446744073709551615 and a value past
 *  2^64 - 1 as 2^64 - 1 (strtoull saturates); exact beyond 2^53 (a bigint). */
function u64(v: CounterValue): bigint {
  if (typeof v === 'number' && !Number.isFinite(v)) return 0n;
  const b = typeof v === 'bigint' ? v : BigInt(Math.trunc(v));
  if (b >= TWO_64 || b <= -TWO_64) return TWO_64 - 1n;
  return b < 0n ? b + TWO_64 : b;
}

/** The line printer of statistics.c: `state` is global there, and it survives from one
 *  section to the next unless the new section has a table of its own. */
class Printer {
  private state: 'normal' | 'icmpIn' | 'icmpOut' = 'normal';
  readonly lines: string[] = [];

  private out(indent: number, text: string): void {
    // Group and counter names come from the files read (a --root tree can hold anything).
    this.lines.push(' '.repeat(indent) + esc(text));
  }

  private indent(): number {
    return this.state === 'normal' ? 4 : 8;
  }

  /** newtable(): a section header; known tables print it only when their flag is on. */
  section(title: string, known: Known | undefined, flags: Record<Flag, boolean>): void {
    if (known) {
      if (flags[known.flag]) this.out(0, `${title}:`);
      this.state = 'normal';
    } else {
      this.out(0, `${title}:`);
    }
  }

  /** printval(). */
  value(entries: readonly Entry[] | undefined, key: string, v: CounterValue): void {
    const val = u64(v);
    const ent = entries && netstatFind(entries, key);
    if (!ent) {
      if (val !== 0n) this.out(this.indent(), `${key}: ${val}`);
      return;
    }
    const [, text, kind] = ent;
    if (kind === 'hidden') return;
    const line = text.replace('%llu', val.toString());
    if (kind === 'icmpIn' || kind === 'icmpOut') {
      if (this.state !== kind) this.out(this.indent(), kind === 'icmpIn' ? 'ICMP input histogram:' : 'ICMP output histogram:');
      if (val > 0n) this.out(8, line);
      this.state = kind;
      return;
    }
    if (kind === 'num' || val !== 0n) this.out(4, line);
    this.state = 'normal';
  }
}

/** Render counters the way `netstat -s [-t] [-u] [-w] [-U] [-S] [-6]` does. */
export function formatStatistics(c: CounterGroups, opts: StatisticsOptions): string {
  const any = opts.tcp || opts.udp || opts.raw || opts.udplite === true || opts.sctp === true;
  const flags: Record<Flag, boolean> = any
    ? { raw: opts.raw, tcp: opts.tcp, udp: opts.udp, sctp: opts.sctp === true }
    : { raw: true, tcp: true, udp: true, sctp: true };
  const p = new Printer();

  // A known table's section shows only with its flag; groups netstat has no table for
  // always show, with their nonzero counters as "Name: value".
  const group = (title: string, known: Known | undefined, keyOf: (name: string) => string): void => {
    p.section(title, known, flags);
    if (known && !flags[known.flag]) return;
    for (const [name, v] of Object.entries(c[title] ?? {})) p.value(known?.entries, keyOf(name), v);
  };

  const isInet6 = (g: string): boolean => g.endsWith('6');
  if (opts.inet6 === true) {
    // snmp6 names keep their group prefix in netstat's tables ("Ip6InReceives").
    for (const g of Object.keys(c).filter(isInet6)) {
      group(g, INET6_TABLES.get(g), (name) => (g === SNMP6_OTHER ? name : g + name));
    }
    // Then only the "Tcp" lines of /proc/net/snmp.
    if (c['Tcp']) group('Tcp', INET_TABLES.get('Tcp'), (name) => name);
  } else {
    for (const g of Object.keys(c)) {
      if (isInet6(g)) continue;
      group(g, INET_TABLES.get(g), (name) => (g === 'Sctp' ? g + name : name));
    }
  }
  return p.lines.length ? p.lines.join('\n') + '\n' : '';
}
