// Protocol counters: /proc/net/snmp, /proc/net/netstat, /proc/net/snmp6 and, when the sctp
// module is loaded, /proc/net/sctp/snmp. Everything is keyed by the kernel's own names so
// counters added by newer kernels come through without code changes.
import type { CounterGroups } from '../model.js';
import { exactCounter, type CounterValue } from '../model/counter-value.js';
import { describeReadError, readSource, type KernelFs, type Parsed } from './kernel-fs.js';

const VALUE = /^-?\d+$/;

interface GroupLine {
  group: string;
  tokens: string[];
}

/** "Group: a b c" → group and tokens; null when the line has no "Group:" prefix. */
function splitGroupLine(line: string): GroupLine | null {
  const colon = line.indexOf(':');
  if (colon <= 0) return null;
  const group = line.slice(0, colon).trim();
  if (!group || /\s/.test(group)) return null;
  const rest = line.slice(colon + 1).trim();
  return { group, tokens: rest ? rest.split(/\s+/) : [] };
}

function groupOf(counters: CounterGroups, name: string): Record<string, CounterValue> {
  let g = counters[name];
  if (!g) {
    g = {};
    counters[name] = g;
  }
  return g;
}

// ---- the fast paths ------------------------------------------------------------------------------
// These files are read every tick and are always in the kernel's exact layout. The fast paths
// take only that layout (single spaces, names of letters and digits, plain decimal values, as
// many values as names, no blank line) in one pass with charCodeAt, and give up on anything
// else, which then goes to the reference parser: both agree on every input. Header lines and
// snmp6 names repeat from tick to tick, so their tokens are kept and reused (the same strings,
// which also keeps the counter keys built from them the same, see flattenCounters).

const CH_SPACE = 32,
  CH_TAB = 9,
  CH_MINUS = 45;

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

interface Header {
  group: string;
  /** 'Group: ', what the value line starts with. */
  prefix: string;
  names: string[];
}

/** Header lines as met before (the line → its parts); bounded. */
const headerCache = new Map<string, Header>();
const HEADER_CACHE_MAX = 128;

/** "Group: Name1 Name2" in the exact layout (the group of letters and digits, names of letters,
 *  digits and '_' starting with a letter, one space before each); null otherwise. */
function parseHeader(line: string): Header | null {
  const hit = headerCache.get(line);
  if (hit !== undefined) return hit;
  const colon = line.indexOf(':');
  if (colon <= 0 || line.charCodeAt(colon + 1) !== CH_SPACE) return null;
  for (let i = 0; i < colon; i++) if (!isAlnum(line.charCodeAt(i))) return null;
  const names: string[] = [];
  let i = colon + 2;
  for (;;) {
    const start = i;
    if (!isLetter(line.charCodeAt(i))) return null;
    for (; i < line.length; i++) {
      const c = line.charCodeAt(i);
      if (c === CH_SPACE) break;
      if (!isAlnum(c) && c !== 95) return null;
    }
    names.push(line.slice(start, i));
    if (i === line.length) break;
    i++; // the one space; a name must follow it
  }
  const group = line.slice(0, colon);
  const h: Header = { group, prefix: `${group}: `, names };
  if (headerCache.size >= HEADER_CACHE_MAX) headerCache.clear();
  headerCache.set(line, h);
  return h;
}

/** The plain decimal at i in text (an optional '-', then digits, up to `end` at most): its
 *  value, and where its digits end in numEnd; NaN when there are no digits. */
let numEnd = 0;
function decimalAt(text: string, i: number, end: number): CounterValue {
  let neg = false;
  if (text.charCodeAt(i) === CH_MINUS) {
    neg = true;
    i++;
  }
  const start = i;
  let v = 0;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) break;
    v = v * 10 + (c - 48);
  }
  if (i === start) return NaN;
  numEnd = i;
  // Up to 15 digits the sum is exact; a longer run is kept exact (a bigint beyond 2^53), and
  // one too long for any number (Infinity) is not a counter, as the reference parser says.
  if (i - start > 15) {
    const digits = text.slice(neg ? start - 1 : start, i);
    return Number.isFinite(Number(digits)) ? exactCounter(digits) : NaN;
  }
  return neg ? -v : v;
}

/** parseSnmp for a file in the exact layout; null for anything else. */
function parseSnmpFast(text: string): Parsed<CounterGroups> | null {
  const counters: CounterGroups = {};
  const len = text.length;
  let pos = 0;
  while (pos < len) {
    const hEnd = text.indexOf('\n', pos);
    if (hEnd < 0) return null;
    const head = parseHeader(text.slice(pos, hEnd));
    if (head === null) return null;
    const vStart = hEnd + 1;
    if (!text.startsWith(head.prefix, vStart)) return null;
    let vEnd = text.indexOf('\n', vStart);
    if (vEnd < 0) vEnd = len;
    const group = groupOf(counters, head.group);
    const names = head.names;
    const last = names.length - 1;
    let i = vStart + head.prefix.length;
    for (let k = 0; k <= last; k++) {
      const v = decimalAt(text, i, vEnd);
      if (typeof v === 'number' && !Number.isFinite(v)) return null;
      i = numEnd;
      if (k < last) {
        if (text.charCodeAt(i) !== CH_SPACE) return null;
        i++;
      } else if (i !== vEnd) {
        return null;
      }
      group[names[k]!] = v;
    }
    pos = vEnd + 1;
  }
  return { value: counters, skipped: 0 };
}

/**
 * Parse /proc/net/snmp or /proc/net/netstat: pairs of "Group: Name1 Name2 …" and
 * "Group: v1 v2 …" lines, matched up by position. `skipped` counts lines that could not be
 * used in full: a header without its value line, a value line whose count differs from its
 * header (the pairs that line up are kept) or that holds a non-number, and stray lines.
 */
export function parseSnmp(text: string): Parsed<CounterGroups> {
  return parseSnmpFast(text) ?? parseSnmpSplit(text);
}

/** Names of "Name value" files as last met, by position, split into group and name. */
interface NameCache {
  names: string[];
  parts: [string, string][];
}

/** parseNameValue for a file in the exact layout ("Name", spaces and tabs, a plain decimal);
 *  null for anything else. */
function parseNameValueFast(text: string, split: (name: string) => [string, string], cache: NameCache): Parsed<CounterGroups> | null {
  const counters: CounterGroups = {};
  const len = text.length;
  let pos = 0;
  let line = 0;
  while (pos < len) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = len;
    // The name: the one met at this line last time, or read anew.
    let name = cache.names[line];
    let parts = cache.parts[line];
    let i: number;
    if (
      name !== undefined &&
      parts !== undefined &&
      text.startsWith(name, pos) &&
      (text.charCodeAt(pos + name.length) === CH_SPACE || text.charCodeAt(pos + name.length) === CH_TAB)
    ) {
      i = pos + name.length;
    } else {
      if (!isLetter(text.charCodeAt(pos))) return null;
      i = pos + 1;
      while (i < end && isAlnum(text.charCodeAt(i))) i++;
      name = text.slice(pos, i);
      parts = split(name);
      cache.names[line] = name;
      cache.parts[line] = parts;
    }
    const gap = i;
    for (let c = text.charCodeAt(i); c === CH_SPACE || c === CH_TAB; c = text.charCodeAt(++i));
    if (i === gap) return null;
    const v = decimalAt(text, i, end);
    if ((typeof v === 'number' && !Number.isFinite(v)) || numEnd !== end) return null;
    groupOf(counters, parts[0])[parts[1]] = v;
    pos = end + 1;
    line++;
  }
  if (cache.names.length > line) {
    cache.names.length = line;
    cache.parts.length = line;
  }
  return { value: counters, skipped: 0 };
}

/**
 * Parse /proc/net/snmp or /proc/net/netstat: pairs of "Group: Name1 Name2 …" and
 * "Group: v1 v2 …" lines, matched up by position. `skipped` counts lines that could not be
 * used in full: a header without its value line, a value line whose count differs from its
 * header (the pairs that line up are kept) or that holds a non-number, and stray lines.
 * The reference parser: parseSnmp gives the same result faster (test/snmp-fast.test.ts).
 */
export function parseSnmpSplit(text: string): Parsed<CounterGroups> {
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
      group[name] = exactCounter(v);
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
    groupOf(counters, group)[rest] = exactCounter(v);
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
const snmp6Names: NameCache = { names: [], parts: [] };
export function parseSnmp6(text: string): Parsed<CounterGroups> {
  return parseNameValueFast(text, splitSnmp6, snmp6Names) ?? parseNameValue(text, splitSnmp6);
}

/** The reference parser of parseSnmp6 (same result, slower). */
export function parseSnmp6Split(text: string): Parsed<CounterGroups> {
  return parseNameValue(text, splitSnmp6);
}

/** Parse /proc/net/sctp/snmp ("SctpCurrEstab   0") into counters.Sctp.CurrEstab. The group
 *  exists even for an empty file, because netstat prints its "Sctp:" header then too. */
const sctpNames: NameCache = { names: [], parts: [] };
function splitSctp(name: string): [string, string] {
  return ['Sctp', name.startsWith('Sctp') && name.length > 4 ? name.slice(4) : name];
}
export function parseSctpSnmp(text: string): Parsed<CounterGroups> {
  const parsed = parseNameValueFast(text, splitSctp, sctpNames) ?? parseNameValue(text, splitSctp);
  groupOf(parsed.value, 'Sctp');
  return parsed;
}

/** The reference parser of parseSctpSnmp (same result, slower). */
export function parseSctpSnmpSplit(text: string): Parsed<CounterGroups> {
  const parsed = parseNameValue(text, splitSctp);
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
    // A group met for the first time is taken as parsed (parsed values may be shared with the
    // last tick's, see readSource, and are never modified); one that two files share is merged
    // into a new object, later file winning, as netstat -s shows them.
    for (const name of Object.keys(r.value)) {
      const values = r.value[name]!;
      const have = counters[name];
      counters[name] = have === undefined ? values : Object.assign({}, have, values);
    }
  });
  return { counters, errors, skipped, ...(skipped > 0 ? { skippedFiles } : {}) };
}
