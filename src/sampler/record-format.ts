// The recording format: one JSON object a line (NDJSON). netdash-record/2 (written now):
// a header line per run, then one line per sample, every line starting with the run's id
// {"run":"<id>", ...}; a sample is a key frame (every table whole, "key":true) or the changes
// against the run's previous sample (record-delta.ts); a run ends with {"run":"<id>","end":true}.
// netdash-record/1 (read still): a header, then every sample whole, no run ids.
// Recording the inputs rather than the computed numbers means a replay runs the same engine
// and reproduces the live deltas exactly.
import { IF_COUNTER_NAMES, type CounterGroups, type ProcessOwner } from '../model.js';
import { bigintJson, counterFromJson, type CounterValue } from '../model/counter-value.js';
import { jsonSafe } from '../text/printable.js';
import type { RawSample } from './sample-engine.js';

export const RECORD_SCHEMA = 'netdash-record/2';
export const RECORD_SCHEMA_V1 = 'netdash-record/1';
export const RECORD_SCHEMAS: readonly string[] = [RECORD_SCHEMA, RECORD_SCHEMA_V1];

export interface RecordHeader {
  /** The recorder writes RECORD_SCHEMA whatever it is given here. */
  schema: string;
  started: string;
  host: string;
  intervalMs: number;
}

export type JsonRaw = Omit<RawSample, 'snapshot'> & {
  snapshot: Omit<RawSample['snapshot'], 'owners'> & { owners?: { denied: boolean; owners: [number, ProcessOwner][] } };
};

/** A whole sample as one line of JSON (without the newline). JSON.stringify escapes C0 controls
 *  and lone surrogates (invalid UTF-8 in a name); jsonSafe also escapes DEL, C1 and bidi
 *  controls, so `cat` of a recording cannot drive a terminal. */
export function encodeRaw(raw: RawSample): string {
  return jsonSafe(JSON.stringify(toJsonRaw(raw), bigintJson));
}

/** The JSON form of a sample: owners as a list of [inode, owner] pairs. */
export function toJsonRaw(raw: RawSample): JsonRaw {
  const { owners, ...rest } = raw.snapshot;
  const snapshot: JsonRaw['snapshot'] = { ...rest };
  if (owners) snapshot.owners = { denied: owners.denied, owners: [...owners.owners] };
  return { ...raw, snapshot };
}

export function decodeRaw(line: string): RawSample {
  return fromJsonRaw(JSON.parse(line) as JsonRaw);
}

/** A sample in its JSON form (owners as a list of pairs) as the engine takes it. */
export function fromJsonRaw(j: JsonRaw): RawSample {
  const { owners, ...rest } = j.snapshot;
  // JSON has no NaN: an unknown boot time was written as null.
  const boot = { ...j.boot, bootTime: typeof j.boot.bootTime === 'number' ? j.boot.bootTime : NaN };
  const raw: RawSample = { mono: j.mono, boot, snapshot: { ...rest } };
  // A counter beyond 2^53 was written as its exact decimal string.
  if (rest.counters) {
    const groups: CounterGroups = {};
    for (const [g, names] of Object.entries(rest.counters.counters)) {
      const out: Record<string, CounterValue> = {};
      for (const [k, v] of Object.entries(names)) out[k] = counterFromJson(v) ?? NaN;
      groups[g] = out;
    }
    raw.snapshot.counters = { ...rest.counters, counters: groups };
  }
  // Interface counters too (the list is read only when one was written as a string).
  const ifs = rest.interfaces;
  if (ifs?.ok && ifs.value.some((i) => Object.values(i.counters).some((v) => typeof v === 'string'))) {
    raw.snapshot.interfaces = {
      ...ifs,
      value: ifs.value.map((i) => {
        const counters = { ...i.counters };
        for (const k of IF_COUNTER_NAMES) counters[k] = counterFromJson(counters[k]) ?? NaN;
        return { ...i, counters };
      }),
    };
  }
  if (j.ownersAt !== undefined) raw.ownersAt = j.ownersAt;
  if (j.inetAt !== undefined) raw.inetAt = j.inetAt;
  if (owners) raw.snapshot.owners = { denied: owners.denied, owners: new Map(owners.owners) };
  return raw;
}

export class ReplayError extends Error {}

export function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

const MAX_DATE_MS = 8.64e15;

// The shape of every record a sample holds, checked before the engine and the printers see it:
// a damaged or hand-edited line is reported with its number instead of failing somewhere deep
// inside (or printing NaN). 'n' a finite number, 's' a string, '?' may also be null or absent.
type Shape = 'n' | 's' | 'b' | 'n?' | 's?' | 'ss' | { [field: string]: Shape } | ((v: unknown) => boolean);
/** A 64-bit counter: a number, or the exact decimal string of one beyond 2^53. */
const COUNTER: Shape = (v) => counterFromJson(v) !== null;

const INET_PROTOS = new Set(['tcp', 'tcp6', 'udp', 'udp6', 'udplite', 'udplite6', 'raw', 'raw6']);
const TIMER: Shape = { kind: 'n', expires: 'n', retransmits: 'n', timeout: 'n' };
const INET: Shape = {
  proto: (v) => typeof v === 'string' && INET_PROTOS.has(v),
  family: (v) => v === 4 || v === 6,
  localAddr: 's',
  localPort: 'n',
  remoteAddr: 's',
  remotePort: 'n',
  state: 'n',
  recvQ: 'n',
  sendQ: 'n',
  timer: TIMER,
  uid: 'n',
  inode: 'n',
  drops: 'n?',
  backlog: 'n?',
};
const UNIX: Shape = { refCount: 'n', protocol: 'n', flags: 'n', type: 'n', state: 'n', inode: 'n', path: 's?' };
const IFACE: Shape = {
  name: 's',
  counters: Object.fromEntries(IF_COUNTER_NAMES.map((k) => [k, COUNTER])) as Record<string, Shape>,
  sys: { mtu: 'n?', flags: 'n?', operstate: 's?', ifindex: 'n?', speed: 'n?', rxNohandler: 'n?', type: 'n?', address: 's?' },
};
const ROUTE4: Shape = {
  iface: 's',
  destination: 's',
  gateway: 's',
  mask: 's',
  flags: 'n',
  refCnt: 'n',
  use: 'n',
  metric: 'n',
  mtu: 'n',
  window: 'n',
  irtt: 'n',
};
const ROUTE6: Shape = {
  destination: 's',
  destPrefix: 'n',
  source: 's',
  sourcePrefix: 'n',
  nextHop: 's',
  metric: 'n',
  refCnt: 'n',
  use: 'n',
  flags: 'n',
  iface: 's',
};
const FLOW: Shape = {
  l3: 's',
  proto: 's',
  protoNum: 'n',
  timeout: 'n',
  state: 's?',
  src: 's',
  dst: 's',
  sport: 'n?',
  dport: 'n?',
  replySrc: 's',
  replyDst: 's',
  replySport: 'n?',
  replyDport: 'n?',
  flags: 'ss',
};
const META: Shape = { name: 's', ip4: 's', ip6: 's', mac: 's', type: 's', isDefault: 'b' };

/** Why `v` does not have `shape` (with the path to the first bad field), or null. */
function shapeProblem(path: string, v: unknown, shape: Shape): string | null {
  if (typeof shape === 'function') return shape(v) ? null : `${path} has an unknown value`;
  if (typeof shape === 'object') {
    if (!isObject(v)) return `${path} is not an object`;
    for (const [k, s] of Object.entries(shape)) {
      const p = shapeProblem(`${path}.${k}`, v[k], s);
      if (p) return p;
    }
    return null;
  }
  const optional = shape.endsWith('?');
  if (optional && (v === null || v === undefined)) return null;
  switch (shape) {
    case 'n':
    case 'n?':
      return typeof v === 'number' && Number.isFinite(v) ? null : `${path} is not a number`;
    case 's':
    case 's?':
      return typeof v === 'string' ? null : `${path} is not a string`;
    case 'b':
      return typeof v === 'boolean' ? null : `${path} is not true or false`;
    case 'ss':
      return Array.isArray(v) && v.every((x) => typeof x === 'string') ? null : `${path} is not a list of strings`;
  }
  return `${path}: unknown shape`;
}

function listProblem(name: string, list: unknown, shape: Shape): string | null {
  if (!Array.isArray(list)) return `${name} is not a list`;
  for (let i = 0; i < list.length; i++) {
    const p = shapeProblem(`${name}[${i}]`, list[i], shape);
    if (p) return p;
  }
  return null;
}

/** A section is either {ok: true, value: [...], skipped} or {ok: false, error: "..."}. */
function sectionProblem(name: string, sec: unknown, shape: Shape): string | null {
  if (sec === undefined) return null;
  if (!isObject(sec)) return `${name} is not an object`;
  if (sec['ok'] === true) {
    if (!Array.isArray(sec['value'])) return `${name} has no list of values`;
    if (sec['skipped'] !== undefined && (typeof sec['skipped'] !== 'number' || !Number.isFinite(sec['skipped'])))
      return `${name}.skipped is not a number`;
    return listProblem(`${name}.value`, sec['value'], shape);
  }
  if (sec['ok'] === false) return typeof sec['error'] === 'string' ? null : `${name} has no error text`;
  return `${name} is neither ok nor an error`;
}

function countersProblem(c: unknown): string | null {
  if (c === undefined) return null;
  if (!isObject(c) || !isObject(c['counters']) || !Array.isArray(c['errors'])) return 'counters';
  if (!c['errors'].every((e) => typeof e === 'string')) return 'counters.errors';
  for (const [g, names] of Object.entries(c['counters'])) {
    if (!isObject(names)) return `counters.${g} is not an object`;
    for (const [n, v] of Object.entries(names)) if (counterFromJson(v) === null) return `counters.${g}.${n} is not a number`;
  }
  return null;
}

function ownersProblem(o: unknown): string | null {
  if (o === undefined) return null;
  if (!isObject(o) || typeof o['denied'] !== 'boolean' || !Array.isArray(o['owners'])) return 'owners';
  for (const e of o['owners']) {
    if (!Array.isArray(e) || e.length !== 2 || typeof e[0] !== 'number' || !Number.isFinite(e[0])) return 'owners: bad entry';
    const p = shapeProblem('owners entry', e[1], { pid: 'n', program: 's' });
    if (p) return p;
  }
  return null;
}

/** Why a parsed line cannot be a recorded sample, or null when it can. */
export function sampleProblem(x: unknown): string | null {
  if (!isObject(x)) return 'not a sample';
  if (typeof x['mono'] !== 'number' || !Number.isFinite(x['mono'])) return 'not a sample (no monotonic time)';
  if (!isObject(x['boot'])) return 'not a sample (no boot info)';
  const boot = x['boot'];
  if (boot['bootTime'] !== null && typeof boot['bootTime'] !== 'number') return 'damaged sample: boot time';
  if (boot['bootId'] !== undefined && typeof boot['bootId'] !== 'string') return 'damaged sample: boot id';
  for (const at of ['ownersAt', 'inetAt']) {
    if (x[at] !== undefined && (typeof x[at] !== 'number' || !Number.isFinite(x[at]))) return `damaged sample: ${at}`;
    // A table read after the sample it is part of would have a negative age.
    if (typeof x[at] === 'number' && x[at] > x['mono']) return `damaged sample: ${at} is later than the sample`;
  }
  const snap = x['snapshot'];
  if (!isObject(snap)) return 'not a sample (no snapshot)';
  const time = snap['time'];
  if (typeof time !== 'number' || !Number.isFinite(time) || Math.abs(time) > MAX_DATE_MS) return 'damaged sample: bad time';
  if (!isObject(snap['inet'])) return 'damaged sample: no socket tables';
  for (const [proto, sec] of Object.entries(snap['inet'])) {
    if (!INET_PROTOS.has(proto)) return `damaged sample: unknown socket table inet.${proto}`;
    const p = sectionProblem(`inet.${proto}`, sec, INET);
    if (p) return `damaged sample: ${p}`;
  }
  const sections: [string, Shape][] = [
    ['unix', UNIX],
    ['interfaces', IFACE],
    ['routes4', ROUTE4],
    ['routes6', ROUTE6],
    ['conntrack', FLOW],
  ];
  for (const [name, shape] of sections) {
    const p = sectionProblem(name, snap[name], shape);
    if (p) return `damaged sample: ${p}`;
  }
  const other =
    countersProblem(snap['counters']) ??
    ownersProblem(snap['owners']) ??
    (snap['interfaceMeta'] === undefined ? null : listProblem('interfaceMeta', snap['interfaceMeta'], META));
  return other ? `damaged sample: ${other}` : null;
}
