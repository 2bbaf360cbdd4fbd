// Protocol counters: /proc/net/snmp, /proc/net/netstat, /proc/net/snmp6 and, when the sctp
// module is loaded, /proc/net/sctp/snmp. Everything is keyed by the kernel's own names so
// counters added by newer kernels come through without code changes.
import type { CounterGroups } from '../model.js';
import { describeReadError, readSource, type KernelFs, type Parsed } from './kernel-fs.js';

const VALUE = /^-?\d+$/;

interface GroupLine { group: string; tokens: string[] }

/** "Group: a b c" → group and tokens; null when the line has no "Group:" prefix. */
function splitGroupLine(line: string): GroupLine | null {
  const colon = line.indexOf(':');
  if (colon <= 0) return null;
  const group = line.slice(0, colon).trim();
  if (!group || /\s/.test(group)) return null;
  const rest = line.slice(colon + 1).trim();
  return { group, tokens: rest ? rest.split(/\s+/) : [] };
}

function groupOf(counters: CounterGroups, name: string): Record<string, number> {
  let g = counters[name];
  if (!g) {
    g = {};
    counters[name] = g;
  }
  return g;
}

/**
 * Parse /proc/net/snmp or /proc/net/netstat: pairs of "Group: Name1 Name2 …" and
 * "Group: v1 v2 …" lines, matched up by position. `skipped` counts lines that could not be
 * used in full: a header without its value line, a value line whose count differs from its
 * header (the pairs that line up are kept) or that holds a non-number, and stray lines.
 */
export function parseSnmp(text: string): Parsed<CounterGroups> {
  const counters: CounterGroups = {};
  let skipped = 0;
  // Blank lines carry nothing; 2.6 kernels even started the file with one.
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  let i = 0;
  while (i < lines.length) {
    const head = splitGroupLine(lines[i] ?? '');
    if (!head || head.tokens.length === 0 || head.tokens.every((t) => VALUE.test(t))) {
      skipped++;
      i++;
      continue;
    }
    const next = lines[i + 1];
    const vals = next === undefined ? null : splitGroupLine(next);
    // The value line must belong to this header and start with a number; otherwise the header
    // lost its values (truncated file) and the next line gets its own chance as a header.
    const first = vals?.tokens[0];
    if (!vals || vals.group !== head.group || first === undefined || !VALUE.test(first)) {
      skipped++;
      i++;
      continue;
    }
    const group = groupOf(counters, head.group);
    const n = Math.min(head.tokens.length, vals.tokens.length);
    let whole = head.tokens.length === vals.tokens.length;
    for (let k = 0; k < n; k++) {
      const name = head.tokens[k];
      const v = vals.tokens[k];
      if (name === undefined || v === undefined || !VALUE.test(v) || !Number.isFinite(Number(v))) {
        whole = false;
        continue;
      }
      group[name] = Number(v);
    }
    if (!whole) skipped++;
    i += 2;
  }
  return { value: counters, skipped };
}

/** Parse "Name value" lines, putting each name into the group `split` picks. */
function parseNameValue(text: string, split: (name: string) => [string, string]): Parsed<CounterGroups> {
  const counters: CounterGroups = {};
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const [name, v, extra] = line.trim().split(/\s+/);
    if (name === undefined || v === undefined || extra !== undefined || !VALUE.test(v) || !Number.isFinite(Number(v))) {
      skipped++;
      continue;
    }
    const [group, rest] = split(name);
    groupOf(counters, group)[rest] = Number(v);
  }
  return { value: counters, skipped };
}

/** Group name for snmp6 names that carry no "<Proto>6" prefix (no kernel writes one today). */
export const SNMP6_OTHER = 'Snmp6';

/** The group is the name up to and including its first '6' (Ip6, Icmp6, Udp6, UdpLite6),
 *  which is also how netstat splits the file into sections. */
function splitSnmp6(name: string): [string, string] {
  const six = name.indexOf('6');
  if (six <= 0 || six === name.length - 1) return [SNMP6_OTHER, name];
  return [name.slice(0, six + 1), name.slice(six + 1)];
}

/** Parse /proc/net/snmp6 ("Ip6InReceives   123"): counters.Ip6.InReceives, counters.Icmp6.InType133. */
export function parseSnmp6(text: string): Parsed<CounterGroups> {
  return parseNameValue(text, splitSnmp6);
}

/** Parse /proc/net/sctp/snmp ("SctpCurrEstab   0") into counters.Sctp.CurrEstab. The group
 *  exists even for an empty file, because netstat prints its "Sctp:" header then too. */
export function parseSctpSnmp(text: string): Parsed<CounterGroups> {
  const parsed = parseNameValue(text, (name) => ['Sctp', name.startsWith('Sctp') && name.length > 4 ? name.slice(4) : name]);
  groupOf(parsed.value, 'Sctp');
  return parsed;
}

export const SNMP_FILE = 'proc/net/snmp';
export const NETSTAT_FILE = 'proc/net/netstat';
export const SNMP6_FILE = 'proc/net/snmp6';
export const SCTP_FILE = 'proc/net/sctp/snmp';

export interface CountersRead {
  counters: CounterGroups;
  errors: string[];
  skipped: number;
  /** Lines skipped per file ('/proc/net/snmp'), only files that had any. */
  skippedFiles?: Record<string, number>;
}

const COUNTER_FILES = [SNMP_FILE, NETSTAT_FILE, SCTP_FILE, SNMP6_FILE];

/** Merge all counter files in the order `netstat -s` reads them; a file that cannot be read adds
 *  its message to errors and the others still count. */
export async function readCounters(kfs: KernelFs): Promise<CountersRead> {
  const results = await Promise.all([
    readSource(kfs, SNMP_FILE, parseSnmp),
    readSource(kfs, NETSTAT_FILE, parseSnmp),
    readSource(kfs, SCTP_FILE, parseSctpSnmp, { emptyOk: true }),
    readSource(kfs, SNMP6_FILE, parseSnmp6),
  ]);
  // /proc/net/sctp exists only while the sctp module is loaded, so its absence is normal.
  const sctpAbsent = describeReadError(SCTP_FILE, { code: 'ENOENT' });
  const counters: CounterGroups = {};
  const errors: string[] = [];
  let skipped = 0;
  const skippedFiles: Record<string, number> = {};
  results.forEach((r, i) => {
    if (!r.ok) {
      if (r.error !== sctpAbsent) errors.push(r.error);
      return;
    }
    skipped += r.skipped;
    if (r.skipped > 0) skippedFiles[`/${COUNTER_FILES[i] ?? ''}`] = r.skipped;
    for (const [name, values] of Object.entries(r.value)) Object.assign(groupOf(counters, name), values);
  });
  return { counters, errors, skipped, ...(skipped > 0 ? { skippedFiles } : {}) };
}
