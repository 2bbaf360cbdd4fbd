// Samples as the lines of a netdash-record/2 run: a key frame holds the sample whole; any other
// sample holds its big lists (socket tables, unix sockets, routes, conntrack, process owners)
// as changes against the run's previous sample (record-delta.ts) and its counters as the
// values that changed. Interfaces and their metadata, a few lines of text, are written whole.
import type { CounterGroups } from '../model.js';
import { isView } from './info-views.js';
import { isObject, type JsonRaw } from './record-format.js';
import { applyDelta, indexRows, listDelta, type RowKey } from './record-delta.js';

type Snap = Record<string, unknown>;

interface ListSection {
  name: string;
  /** The section in a snapshot (JSON form). */
  get(snap: Snap): unknown;
  set(snap: Snap, v: unknown): void;
  key: RowKey;
}

const INET_PROTOS = ['tcp', 'tcp6', 'udp', 'udp6', 'udplite', 'udplite6', 'raw', 'raw6'] as const;
type Row = Record<string, unknown>;
const inetKey: RowKey = (r) => {
  const s = r as Row;
  return `${String(s['localAddr'])} ${String(s['localPort'])} ${String(s['remoteAddr'])} ${String(s['remotePort'])} ${String(s['inode'])}`;
};
const field =
  (...names: string[]): RowKey =>
  (r) => {
    const s = r as Row;
    return names.map((n) => String(s[n])).join(' ');
  };
const plain = (name: string, key: RowKey): ListSection => ({
  name,
  get: (s) => s[name],
  set: (s, v) => {
    s[name] = v;
  },
  key,
});

/** Sections holding {ok, value: [...], skipped} whose value is written as changes. */
const LISTS: readonly ListSection[] = [
  ...INET_PROTOS.map((p): ListSection => ({
    name: `inet.${p}`,
    get: (s) => (isObject(s['inet']) ? s['inet'][p] : undefined),
    set: (s, v) => {
      (s['inet'] as Snap)[p] = v;
    },
    key: inetKey,
  })),
  plain('unix', field('inode', 'path')),
  plain('routes4', field('iface', 'destination', 'mask', 'gateway', 'metric')),
  plain('routes6', field('destination', 'destPrefix', 'source', 'sourcePrefix', 'nextHop', 'iface', 'metric')),
  plain('conntrack', field('l3', 'proto', 'src', 'sport', 'dst', 'dport')),
];
const ownerKey: RowKey = (e) => String((e as unknown[])[0]);

function okList(sec: unknown): unknown[] | null {
  return isObject(sec) && sec['ok'] === true && Array.isArray(sec['value']) ? sec['value'] : null;
}

/** The key index of `rows`, made the first time it is asked for (a steady table never is). */
function lazyIndex(rows: readonly unknown[], key: RowKey): () => ReadonlyMap<string, number> {
  let idx: Map<string, number> | null = null;
  return () => (idx ??= indexRows(rows, key));
}

/** Makes the lines of one run: whole samples or changes, as it is told. */
export class FrameEncoder {
  private prev: JsonRaw | null = null;

  /** The line object (without the run id) for sample `j`; whole when `key`. */
  encode(j: JsonRaw, key: boolean): Record<string, unknown> {
    const prevSnap = key ? null : ((this.prev?.snapshot as unknown as Snap | undefined) ?? null);
    const snap = j.snapshot as unknown as Snap;
    const out: Snap = { ...snap, inet: { ...(snap['inet'] as Snap) } };
    for (const sec of LISTS) {
      const rows = okList(sec.get(snap));
      if (rows === null) continue;
      const before = prevSnap === null ? null : okList(sec.get(prevSnap));
      if (before === null) continue;
      sec.set(out, {
        ok: true,
        skipped: (sec.get(snap) as Row)['skipped'],
        d: listDelta(before, lazyIndex(before, sec.key), rows, sec.key),
      });
    }
    const owners = j.snapshot.owners;
    const beforeOwners = prevSnap === null ? undefined : this.prev?.snapshot.owners;
    if (owners && beforeOwners) {
      out['owners'] = {
        denied: owners.denied,
        d: listDelta(beforeOwners.owners, lazyIndex(beforeOwners.owners, ownerKey), owners.owners, ownerKey),
      };
    }
    const counters = j.snapshot.counters;
    const beforeCounters = prevSnap === null ? undefined : this.prev?.snapshot.counters;
    if (counters && beforeCounters) {
      const changed = counterChanges(beforeCounters.counters, counters.counters);
      if (changed !== null) out['counters'] = { d: changed, errors: counters.errors, skipped: counters.skipped };
    }
    this.prev = keptForNext(j);
    return { ...j, ...(key ? { key: true } : {}), snapshot: out };
  }
}

function frozenRow(r: unknown): unknown {
  if (!isObject(r) || !isView(r['tcpInfo'])) return r;
  const mem = r['mem'];
  return { ...r, tcpInfo: r['tcpInfo'].toJSON('tcpInfo'), ...(isView(mem) ? { mem: mem.toJSON('mem') } : {}) };
}

/**
 * What the next sample is written against: `j`, with its rows that carry tcp_info views copied
 * as they are now. The live reader hands a socket's row on from dump to dump with its tcp_info
 * and memory read from the latest dump (sources/sock-diag.ts), so the next sample's row is
 * often this same object: compared with itself, its tcp_info changes would never be written.
 */
function keptForNext(j: JsonRaw): JsonRaw {
  const inet = (j.snapshot as unknown as Snap)['inet'];
  if (!isObject(inet)) return j;
  let kept: Snap | null = null;
  for (const p of INET_PROTOS) {
    const sec = inet[p];
    const rows = okList(sec);
    if (rows === null || !rows.some((r) => isObject(r) && isView(r['tcpInfo']))) continue;
    kept ??= { ...inet };
    kept[p] = { ...(sec as Row), value: rows.map(frozenRow) };
  }
  return kept === null ? j : { ...j, snapshot: { ...j.snapshot, inet: kept } };
}

/** The counters that changed, or null when the groups or names are not the same ones in the
 *  same order (one came or went: then they are written whole, so a replay keeps their order). */
function counterChanges(before: CounterGroups, now: CounterGroups): CounterGroups | null {
  const out: CounterGroups = {};
  const groups = Object.keys(now);
  if (!sameKeys(Object.keys(before), groups)) return null;
  for (const g of groups) if (!sameKeys(Object.keys(before[g]!), Object.keys(now[g]!))) return null;
  for (const [g, names] of Object.entries(now)) {
    const b = before[g];
    for (const [k, v] of Object.entries(names)) {
      if (b === undefined || !Object.is(b[k], v)) (out[g] ??= {})[k] = v;
    }
  }
  return out;
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Turns the lines of one run back into whole samples (JSON form); the previous one is kept. */
export class FrameDecoder {
  private prev: Snap | null = null;

  /** Forget the previous sample (a new run begins). */
  reset(): void {
    this.prev = null;
  }

  /** The whole sample a line object stands for, or why it cannot be made. */
  decode(line: Record<string, unknown>): Record<string, unknown> | string {
    const snap = line['snapshot'];
    if (!isObject(snap)) {
      this.prev = null;
      return line;
    }
    const out: Snap = { ...snap, inet: isObject(snap['inet']) ? { ...snap['inet'] } : snap['inet'] };
    let changes = false;
    for (const sec of LISTS) {
      const s = sec.get(snap);
      if (!isObject(s) || !('d' in s)) continue;
      changes = true;
      const before = this.prev === null ? null : okList(sec.get(this.prev));
      if (before === null) return `${sec.name}: changes against a table the previous sample does not have`;
      const value = applyDelta(before, s['d']);
      if (typeof value === 'string') return `${sec.name}: ${value}`;
      sec.set(out, { ok: true, value, skipped: s['skipped'] });
    }
    const owners = snap['owners'];
    if (isObject(owners) && 'd' in owners) {
      changes = true;
      const prevOwners = this.prev === null ? null : this.prev['owners'];
      if (!isObject(prevOwners) || !Array.isArray(prevOwners['owners']))
        return 'owners: changes against a list the previous sample does not have';
      const value = applyDelta(prevOwners['owners'], owners['d']);
      if (typeof value === 'string') return `owners: ${value}`;
      out['owners'] = { denied: owners['denied'], owners: value };
    }
    const counters = snap['counters'];
    if (isObject(counters) && 'd' in counters) {
      changes = true;
      const prevCounters = this.prev === null ? null : this.prev['counters'];
      if (!isObject(prevCounters) || !isObject(prevCounters['counters']) || !isObject(counters['d']))
        return 'counters: changes against counters the previous sample does not have';
      const merged: Record<string, unknown> = {};
      for (const [g, names] of Object.entries(prevCounters['counters'])) merged[g] = { ...(names as object) };
      for (const [g, names] of Object.entries(counters['d'])) {
        if (!isObject(names)) return `counters.${g}: not an object`;
        merged[g] = { ...(isObject(merged[g]) ? merged[g] : {}), ...names };
      }
      out['counters'] = { counters: merged, errors: counters['errors'], skipped: counters['skipped'] };
    }
    if (changes && line['key'] === true) return 'a key frame that holds changes';
    this.prev = out;
    return { ...line, snapshot: out };
  }
}
