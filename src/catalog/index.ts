// The counter catalog: every fact about a kernel counter (kind, problem flag, netstat -s
// wording, explanation, source of truth) keyed by 'Group.Name'. The sampler, print and the
// dashboard read counter facts only from here. To change a counter, edit its domain file
// (ip.ts, tcp.ts, udp.ts, icmp.ts, mptcp.ts, sctp.ts, interfaces.ts, derived.ts); netstat's
// table order is in netstat-tables.ts.
import { DERIVED, GAUGE_PREFIX, RETRANS_KEY, RETRANS_PARTS, tcpStateGaugeFact } from './derived.js';
import { ICMP, ICMP6, ICMP_TYPES, icmpTypeFact } from './icmp.js';
import { interfaceFact } from './interfaces.js';
import { IP, IP6, IP_EXT } from './ip.js';
import { MPTCP_EXT } from './mptcp.js';
import { NETSTAT_TABLES, netstatFind, rowKey, type NetstatRow, type NetstatTable } from './netstat-tables.js';
import { SCTP } from './sctp.js';
import { TCP, TCP_EXT } from './tcp.js';
import type { CounterFact, Explanation } from './types.js';
import { UDP, UDP6, UDPLITE, UDPLITE6 } from './udp.js';

export type { CounterFact, CounterKind, Explanation, NetstatPrint } from './types.js';
export { ICMP4_STEMS, ICMP6_STEMS, icmpTypeName } from './icmp.js';
export { IF_PREFIX, IF_PROBLEM_FIELDS } from './interfaces.js';
export { NETSTAT_TABLES, netstatFind, type NetstatFlag, type NetstatRow, type NetstatTable } from './netstat-tables.js';
export { GAUGE_PREFIX, RETRANS_KEY, RETRANS_PARTS };
export { CHART_DISCARDS, CHART_ICMP_ERRORS_IN, CHART_ICMP_ERRORS_OUT, CHART_RETRANS } from './charts.js';

/** In the order the problems view lists them: TCP, IP, ICMP, UDP, then IPv6. */
const ORDERED: readonly CounterFact[] = [
  ...TCP,
  ...TCP_EXT,
  ...MPTCP_EXT,
  ...IP,
  ...IP_EXT,
  ...ICMP,
  ...UDP,
  ...UDPLITE,
  ...IP6,
  ...UDP6,
  ...UDPLITE6,
  ...ICMP6,
  ...ICMP_TYPES,
  ...SCTP,
  ...DERIVED,
];

const BY_KEY: ReadonlyMap<string, CounterFact> = new Map(ORDERED.map((f) => [f.key, f]));

/** Every entry with a fixed key (families such as IcmpMsg.InTypeN or if.<name>.<field> are
 *  resolved by counterFact). */
export function allFacts(): readonly CounterFact[] {
  return ORDERED;
}

/** The facts of a counter key, or null when the catalog does not know it. */
export function counterFact(key: string): CounterFact | null {
  return BY_KEY.get(key) ?? icmpTypeFact(key) ?? interfaceFact(key) ?? tcpStateGaugeFact(key);
}

export function counterExplanation(key: string): Explanation | null {
  const f = counterFact(key.trim());
  if (!f) return null;
  return f.whenRising === undefined
    ? { title: f.title, meaning: f.meaning }
    : { title: f.title, meaning: f.meaning, whenRising: f.whenRising };
}

/** Problem counters with a fixed key, in the problems view's order. */
export const PROBLEM_KEYS: readonly string[] = ORDERED.filter((f) => f.problem).map((f) => f.key);

export function isProblem(key: string): boolean {
  return counterFact(key)?.problem === true;
}

/** A level (gauge or setting) rather than an event count: its delta may go down and it has
 *  no rate. Unknown keys are counters unless a source named them 'gauge.…'. */
export function isLevel(key: string): boolean {
  const f = BY_KEY.get(key);
  if (f) return f.kind !== 'counter';
  return key.startsWith(GAUGE_PREFIX);
}

/** The kernel lists the key only once it is nonzero, so a new key rose from 0. */
export function listedWhenNonzero(key: string): boolean {
  return icmpTypeFact(key)?.listedWhenNonzero === true;
}

/** A netstat -s table with each row's wording from the catalog (rows the catalog does not
 *  know, such as the one with upstream's trailing space, never print but still steer bsearch). */
export function netstatRows(table: NetstatTable): NetstatRow[] {
  return table.names.map((name) => {
    const n = BY_KEY.get(rowKey(table, name))?.netstat;
    return n ? ([name, n.text, n.print] as const) : ([name, '', 'hidden'] as const);
  });
}

/** The netstat -s tables by /proc group title ('Ip', 'Tcp6', …), rows filled in. */
export function netstatTable(title: string): { table: NetstatTable; rows: NetstatRow[] } | undefined {
  const table = Object.prototype.hasOwnProperty.call(NETSTAT_TABLES, title) ? NETSTAT_TABLES[title] : undefined;
  return table ? { table, rows: netstatRows(table) } : undefined;
}

/** Filled tables, built on first use. */
const filled = new Map<string, NetstatRow[]>();

/** netstat's name for a key ('Ip6.InReceives' → 'Ip6InReceives') and the row its bsearch
 *  finds for it, if any. */
function netstatRowOf(key: string): { name: string; row: NetstatRow | undefined } | null {
  const dot = key.indexOf('.');
  if (dot <= 0) return null;
  const group = key.slice(0, dot);
  // Interface counters and netdash's own values are not netstat -s lines.
  if (group === 'if' || group === 'gauge' || group === 'derived') return null;
  const table = Object.prototype.hasOwnProperty.call(NETSTAT_TABLES, group) ? NETSTAT_TABLES[group] : undefined;
  const name = table?.prefixed ? group + key.slice(dot + 1) : key.slice(dot + 1);
  if (!table) return { name, row: undefined };
  let rows = filled.get(group);
  if (!rows) filled.set(group, (rows = netstatRows(table)));
  return { name, row: netstatFind(rows, name) };
}

/** What netstat -s prints for a counter with this value: its worded line, "Name: value"
 *  when its table has no row bsearch finds, or null when netstat hides it (settings). */
export function netstatLine(key: string, value: number | bigint): string | null {
  const r = netstatRowOf(key);
  if (!r) return null;
  if (!r.row) return `${r.name}: ${value}`;
  return r.row[2] === 'hidden' ? null : r.row[1].replace('%llu', String(value));
}

/** netstat -s wording without the number, for a column beside the kernel name
 *  ('segments retransmitted'); '' when netstat has no words of its own for it. */
export function netstatLabel(key: string): string {
  const row = netstatRowOf(key)?.row;
  if (!row || row[2] === 'hidden') return '';
  const text = row[1];
  if (text.endsWith(': %llu')) return text.slice(0, -': %llu'.length);
  if (text.startsWith('%llu ')) return text.slice('%llu '.length).trim();
  return text.replace('%llu', 'N').trim();
}
