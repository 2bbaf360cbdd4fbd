// The delta/rate engine behind the interval sampler: turns successive flat counter
// samples into per-key deltas, per-second rates and "since mark" sums, and decides
// when a difference is meaningless (reboot, re-created interface, counter reset).
// Pure: no I/O, no timers, no clock reads; the caller supplies every timestamp.
import { isLevel, listedWhenNonzero } from '../catalog/index.js';
import { IF_COUNTER_NAMES, type CounterGroups, type NetInterface } from '../model.js';
import { counterDiff, counterNumber, type CounterValue } from '../model/counter-value.js';

/** Why a key's delta is absent (or, for 'wrap32', why it is special). */
export type ResetReason =
  /** The tracker's first sample: there is nothing to subtract from. */
  | 'first'
  /** The key was not in the previous sample. */
  | 'appeared'
  /** A 32-bit counter wrapped; the delta IS valid (wrap-corrected). Flag only. */
  | 'wrap32'
  /** The counter decreased and it was not a plausible wrap: baseline restarts. */
  | 'went-backwards'
  /** The identity of the key's prefix changed (e.g. interface re-created). */
  | 'identity-changed'
  /** The host rebooted between the two samples. */
  | 'reboot'
  /** The key was in the previous sample and is gone now; reported once, then forgotten. */
  | 'vanished';

export interface CounterSample {
  /** Milliseconds on a monotonic clock (performance.now(), process.hrtime). */
  at: number;
  /** Seconds since the epoch the host booted (/proc/stat btime); a change means reboot.
   *  Non-finite means unknown (no reboot detection from it). */
  bootTime: number;
  /** /proc/sys/kernel/random/boot_id. When both samples have it, it decides reboots
   *  instead of bootTime: btime moves when the wall clock is stepped (NTP), boot_id does not. */
  bootId?: string | undefined;
  /** 'Tcp.RetransSegs', 'IcmpMsg.InType3', 'if.eth0.rxBytes', … Non-finite values are ignored. */
  values: ReadonlyMap<string, CounterValue>;
  /** Key prefix ('if.eth0') → identity ('3'). Every key under a prefix restarts when its
   *  identity changes. A prefix missing here means "identity unknown this time": the last
   *  known identity is kept and nothing restarts. */
  identities: ReadonlyMap<string, string>;
}

export interface CounterStat {
  /** The value as sampled (for 'vanished': the last known value); rounded beyond 2^53. */
  total: number;
  /** The exact value when it is beyond 2^53 (64-bit kernel counters); delta, rate and
   *  sinceMark are computed from it exactly. */
  exact?: bigint;
  /** cur - prev (wrap-corrected for 'wrap32'); null when there is no meaningful difference.
   *  Never negative for counters; gauges may go negative (it is a change, not an amount). */
  delta: number | null;
  /** delta per second of really elapsed time; null when delta is null, for gauges, and
   *  when elapsed time is zero or negative. Never Infinity or NaN. */
  rate: number | null;
  /** Sum of every delta this tracker reported for the key since the mark (or since the
   *  start, or since a reboot, whichever is latest). Resets of the key leave it as is and
   *  it keeps accumulating from the restart, so it undercounts only what was unobservable. */
  sinceMark: number;
  reset: ResetReason | null;
  gauge: boolean;
}

export type MarkReason = 'start' | 'mark' | 'reboot';

export interface MarkInfo {
  /** Sample time (ms, the caller's monotonic clock) the mark refers to; null before any sample. */
  at: number | null;
  reason: MarkReason;
}

export interface CounterTrackerOptions {
  isGauge?: (key: string) => boolean;
  /** Keys the kernel lists only once they are nonzero: when one appears, it rose from 0. */
  startsAtZero?: (key: string) => boolean;
}

/** Keys the kernel lists only once they are nonzero (IcmpMsg, Icmp6 InTypeN): the catalog's
 *  listedWhenNonzero. */
export function defaultStartsAtZero(key: string): boolean {
  return listedWhenNonzero(key);
}

// --- gauges ---------------------------------------------------------------------------

/** Keys whose value is a level, not an event count: the catalog's gauges and settings
 *  (Tcp.CurrEstab, Ip.Forwarding, MPTcpExt.MPCurrEstab…) and every 'gauge.…' key. */
export function defaultIsGauge(key: string): boolean {
  return isLevel(key);
}

// --- the 32-bit wrap rule -------------------------------------------------------------

const TWO_31 = 2 ** 31;
const TWO_32 = 2 ** 32;

/** A wrap-corrected delta up to this size is always believed (if the other conditions hold):
 *  a counter reset lands prev in the last 2^24 of the range with probability 2^24/2^31 < 1 %. */
export const WRAP_FLOOR = 2 ** 24;
/** Above the floor, the corrected delta must not exceed this many times what the key's
 *  fastest observed rate would produce in the elapsed time. */
export const WRAP_RATE_FACTOR = 4;

/**
 * The wrap-corrected delta if a decrease from prev to cur is a plausible 32-bit wrap,
 * otherwise null (then it is a reset: 'went-backwards').
 *
 * A wrap and a reset to near zero look alike; what tells them apart is that a wrap must
 * have carried the counter over the top within one tick. So all of:
 *  - 2^31 < prev < 2^32: prev was a 32-bit value, in the top half of the range;
 *  - 0 <= cur < prev;
 *  - d = 2^32 - prev + cur <= 2^31: at most half the range per tick (beyond that the
 *    direction is ambiguous anyway);
 *  - d <= max(WRAP_FLOOR, WRAP_RATE_FACTOR * maxRate * elapsed): d is something this
 *    counter has shown it can do in one tick.
 * Mistakes are asymmetric: a reset mistaken for a wrap shows a giant bogus spike, a wrap
 * mistaken for a reset shows '-' for one tick. Hence the conservative bound.
 * There is no 64-bit wrap: 2^64 bytes at 400 Gb/s takes 11 years, and JS numbers lose
 * integer precision above 2^53 long before, so a decrease near 2^64 is 'went-backwards'.
 */
export function wrap32Delta(prev: number, cur: number, maxRate: number, elapsedSec: number | null): number | null {
  if (!(prev > TWO_31 && prev < TWO_32 && cur >= 0 && cur < prev)) return null;
  const d = TWO_32 - prev + cur;
  if (d > TWO_31) return null;
  const byRate = elapsedSec !== null ? WRAP_RATE_FACTOR * maxRate * elapsedSec : 0;
  return d <= Math.max(WRAP_FLOOR, byRate) ? d : null;
}

// --- the tracker ----------------------------------------------------------------------

/** Mutable per-key state, updated in place each tick so a steady key allocates nothing here. */
interface KeyState {
  prev: number;
  /** prev exactly, when it is beyond 2^53. */
  prevExact: bigint | null;
  acc: number;
  /** Fastest valid rate since the baseline last restarted; feeds the wrap rule. */
  maxRate: number;
  /** Last known identity of the key's prefix. */
  identity: string | undefined;
  /** The identities prefix this key belongs to, once found. */
  prefix: string | undefined;
  /** Tick number of the last sample that had the key; finds the vanished ones. */
  seen: number;
  readonly gauge: boolean;
  /** The key up to its first '.': only an identity prefix with the same head can be its own. */
  readonly head: string;
  /** The stat reported last tick. */
  last: CounterStat | null;
}

function stat(
  total: number,
  delta: number | null,
  rate: number | null,
  sinceMark: number,
  reset: ResetReason | null,
  gauge: boolean,
  exact: bigint | null = null,
): CounterStat {
  return exact === null ? { total, delta, rate, sinceMark, reset, gauge } : { total, exact, delta, rate, sinceMark, reset, gauge };
}

/** The key's stat: last tick's object again when every field is the same (stats are never
 *  modified, so samples may share one), which is most keys on an idle host. */
function keyStat(
  st: KeyState,
  total: number,
  delta: number | null,
  rate: number | null,
  sinceMark: number,
  reset: ResetReason | null,
): CounterStat {
  const last = st.last;
  if (
    last !== null &&
    Object.is(last.total, total) &&
    Object.is(last.delta, delta) &&
    Object.is(last.rate, rate) &&
    Object.is(last.sinceMark, sinceMark) &&
    last.reset === reset &&
    (last.exact ?? null) === st.prevExact
  ) {
    return last;
  }
  return (st.last = stat(total, delta, rate, sinceMark, reset, st.gauge, st.prevExact));
}

/** Seconds between two sample times, or null when not positive and finite (no rate then). */
function elapsedSeconds(prevAt: number, at: number): number | null {
  const s = (at - prevAt) / 1000;
  return Number.isFinite(s) && s > 0 ? s : null;
}

/** s up to its first '.' (all of s without one). */
function headOf(s: string): string {
  const dot = s.indexOf('.');
  return dot < 0 ? s : s.slice(0, dot);
}

/** The heads of the identity prefixes ('if' for 'if.eth0'): a key whose head is not among
 *  them has no prefix, which spares findPrefix for every protocol counter. */
function identityHeads(identities: ReadonlyMap<string, string>): Set<string> {
  const heads = new Set<string>();
  for (const p of identities.keys()) heads.add(headOf(p));
  return heads;
}

/** The longest prefix of key (cut at a '.') present in identities. Longest, because
 *  interface names may contain dots: 'if.eth0.100.rxBytes' belongs to 'if.eth0.100'. */
function findPrefix(key: string, identities: ReadonlyMap<string, string>): string | undefined {
  if (identities.size === 0) return undefined;
  for (let i = key.lastIndexOf('.'); i > 0; i = key.lastIndexOf('.', i - 1)) {
    const p = key.slice(0, i);
    if (identities.has(p)) return p;
  }
  return undefined;
}

export class CounterTracker {
  private readonly isGauge: (key: string) => boolean;
  private readonly keys = new Map<string, KeyState>();
  private lastAt: number | null = null;
  private lastBootTime = NaN;
  private lastBootId: string | undefined;
  private tick = 0;
  private markAt: number | null = null;
  private markReason: MarkReason = 'start';
  /** The last map update() returned. */
  private lastOut: Map<string, CounterStat> | null = null;

  private readonly startsAtZero: (key: string) => boolean;

  constructor(options: CounterTrackerOptions = {}) {
    this.isGauge = options.isGauge ?? defaultIsGauge;
    this.startsAtZero = options.startsAtZero ?? defaultStartsAtZero;
  }

  /** Number of keys currently tracked. */
  get size(): number {
    return this.keys.size;
  }

  /** What sinceMark is measured from, so the UI can say "since start/mark/reboot". */
  get markInfo(): MarkInfo {
    return { at: this.markAt, reason: this.markReason };
  }

  /** Makes the latest sample the baseline of sinceMark for every key at once. */
  mark(): void {
    for (const st of this.keys.values()) st.acc = 0;
    this.markAt = this.lastAt;
    this.markReason = 'mark';
  }

  update(sample: CounterSample): Map<string, CounterStat> {
    // Each key's stat goes into its state (st.last); the map is made after, and only when a
    // stat differs from last tick's: an idle tick allocates none (nor an entry array per key,
    // which a for-of over the map's entries made even when optimized).
    const last = this.lastOut;
    let same = last !== null;
    let given = 0;
    const isFirst = this.lastAt === null;
    const elapsed = this.lastAt === null ? null : elapsedSeconds(this.lastAt, sample.at);
    const rebooted = !isFirst && this.bootChanged(sample);
    const tick = ++this.tick;

    if (isFirst) {
      this.markAt = sample.at;
    } else if (rebooted) {
      // The mark is rebased to the reboot: a sum spanning two boots would silently miss the
      // whole unobserved gap (shutdown, boot, everything before this sample), for every key.
      for (const st of this.keys.values()) st.acc = 0;
      this.markAt = sample.at;
      this.markReason = 'reboot';
    }

    const give = (key: string, st: CounterStat): void => {
      given++;
      if (same) same = last!.get(key) === st;
    };
    const heads = identityHeads(sample.identities);
    /** Keys of this.keys that this sample has: when all of them, none vanished. */
    let seen = 0;
    for (const key of sample.values.keys()) {
      const value = sample.values.get(key)!;
      if (typeof value === 'number' && !Number.isFinite(value)) continue;
      // A value beyond 2^53 is a bigint: `cur` rounds it for rates, curExact keeps it.
      const cur = counterNumber(value);
      const curExact = typeof value === 'bigint' ? value : null;
      let st = this.keys.get(key);

      // Identity of the key's prefix this time; undefined = unknown (keep the last one).
      // A cached prefix is only ever replaced by a longer one: if 'if.eth0.100' lacks an
      // identity this tick, 'if.eth0' must not stand in for it (that would compare eth0's
      // ifindex with eth0.100's and reset). A longer one can show up when its identity
      // was unknown at first; then the stored identity is replaced, not compared.
      let prefix = st?.prefix;
      let identity: string | undefined;
      let prefixMoved = false;
      if (prefix !== undefined && sample.identities.has(prefix)) {
        identity = sample.identities.get(prefix);
      } else if (heads.has(st?.head ?? headOf(key))) {
        const found = findPrefix(key, sample.identities);
        if (found !== undefined && (prefix === undefined || found.length > prefix.length)) {
          prefix = found;
          identity = sample.identities.get(found);
          prefixMoved = true;
        }
      }

      if (st === undefined) {
        st = {
          prev: cur,
          prevExact: curExact,
          acc: 0,
          maxRate: 0,
          identity,
          prefix,
          seen: tick,
          gauge: this.isGauge(key),
          head: headOf(key),
          last: null,
        };
        this.keys.set(key, st);
        seen++;
        if (!isFirst && !rebooted && !st.gauge && cur >= 0 && this.startsAtZero(key)) {
          st.acc = cur;
          give(key, keyStat(st, cur, cur, elapsed !== null && elapsed > 0 ? cur / elapsed : null, cur, null));
        } else {
          give(key, keyStat(st, cur, null, null, 0, isFirst ? 'first' : 'appeared'));
        }
        continue;
      }

      // A key can come twice only from a caller's own iterable; count it once.
      if (st.seen !== tick) seen++;
      st.seen = tick;
      const identityChanged = !prefixMoved && identity !== undefined && st.identity !== undefined && identity !== st.identity;
      st.prefix = prefix;
      if (identity !== undefined) st.identity = identity;

      if (rebooted || identityChanged) {
        this.restart(st, cur, curExact);
        give(key, keyStat(st, cur, null, null, st.acc, rebooted ? 'reboot' : 'identity-changed'));
        continue;
      }

      const prev = st.prev;
      const prevExact = st.prevExact;
      st.prev = cur;
      st.prevExact = curExact;
      if (st.gauge) {
        // A level: any change is valid, including down; a per-second "rate" of it means nothing.
        const delta = cur - prev;
        st.acc += delta;
        give(key, keyStat(st, cur, delta, null, st.acc, null));
        continue;
      }

      let delta: number | null;
      if (curExact === null && prevExact === null) delta = cur >= prev ? cur - prev : null;
      else {
        // Beyond 2^53 the difference is taken exactly (no 32-bit wrap up there).
        const d = counterDiff(value, prevExact ?? prev);
        delta = d >= 0 ? counterNumber(d) : null;
      }
      let reset: ResetReason | null = null;
      if (delta === null && curExact === null) {
        delta = wrap32Delta(prev, cur, st.maxRate, elapsed);
        reset = delta === null ? 'went-backwards' : 'wrap32';
      }
      if (delta === null) {
        reset ??= 'went-backwards';
        this.restart(st, cur, curExact);
        give(key, keyStat(st, cur, null, null, st.acc, reset));
        continue;
      }
      const rate = elapsed === null ? null : delta / elapsed;
      if (rate !== null && rate > st.maxRate) st.maxRate = rate;
      st.acc += delta;
      give(key, keyStat(st, cur, delta, rate, st.acc, reset));
    }

    this.lastAt = sample.at;
    this.lastBootTime = sample.bootTime;
    this.lastBootId = sample.bootId;
    // Every stat as last tick's (an idle host): last tick's map again, so what was made of it
    // (a pane's rows) can be kept by identity.
    if (same && seen === this.keys.size && given === last!.size) return last!;

    const out = new Map<string, CounterStat>();
    for (const key of sample.values.keys()) {
      const st = this.keys.get(key);
      if (st?.seen === tick && st.last !== null) out.set(key, st.last);
    }
    // Anything not seen this tick vanished: report it once with its last value, then forget
    // it, so churning keys (container veths come and go) do not grow the map forever.
    if (seen < this.keys.size)
      for (const [key, st] of this.keys) {
        if (st.seen === tick) continue;
        out.set(key, stat(st.prev, null, null, st.acc, 'vanished', st.gauge, st.prevExact));
        this.keys.delete(key); // deleting the current entry is safe while iterating a Map
      }
    this.lastOut = out;
    return out;
  }

  private bootChanged(sample: CounterSample): boolean {
    if (sample.bootId !== undefined && this.lastBootId !== undefined) return sample.bootId !== this.lastBootId;
    if (Number.isFinite(sample.bootTime) && Number.isFinite(this.lastBootTime)) return sample.bootTime !== this.lastBootTime;
    return false;
  }

  /** A new baseline at cur; sinceMark keeps what it had and accumulates from here. */
  private restart(st: KeyState, cur: number, curExact: bigint | null = null): void {
    st.prev = cur;
    st.prevExact = curExact;
    st.maxRate = 0;
  }
}

// --- derived signals ------------------------------------------------------------------

/** 100 * part / whole; null when either is unknown, part is negative or whole is not positive.
 *  Not clamped to 100: counters are read at slightly different instants and a view that
 *  clamps would hide a real inconsistency. */
export function ratioPct(part: number | null, whole: number | null): number | null {
  if (part === null || whole === null || !Number.isFinite(part) || !Number.isFinite(whole)) return null;
  if (part < 0 || whole <= 0) return null;
  return (100 * part) / whole;
}

/** Share of sent TCP segments that were retransmissions over an interval, as netstat/nstat
 *  users compute it: Tcp.RetransSegs delta over Tcp.OutSegs delta. */
export function retransPct(tcpRetransDelta: number | null, tcpOutSegsDelta: number | null): number | null {
  return ratioPct(tcpRetransDelta, tcpOutSegsDelta);
}

/** One direction's link utilisation: the link is full duplex, so rx and tx are each
 *  measured against the full speed. speedMbps is /sys speed (10^6 bit/s); null/absent,
 *  zero or negative (-1 = unknown) give null. */
export function utilisationPct(bytesPerSec: number | null, speedMbps: number | null | undefined): number | null {
  if (bytesPerSec === null || speedMbps === null || speedMbps === undefined) return null;
  if (!Number.isFinite(speedMbps) || speedMbps <= 0) return null;
  return ratioPct(bytesPerSec * 8, speedMbps * 1e6);
}

// --- flattening -----------------------------------------------------------------------

/** 'Tcp' → 'RetransSegs' → 'Tcp.RetransSegs': the same key string every tick, so it is not
 *  built again and its hash is computed once, not in every Map it goes through. Bounded: a
 *  replay of odd files cannot grow it without end. */
const flatKeys = new Map<string, Map<string, string>>();
const FLAT_GROUPS_MAX = 256;
const FLAT_NAMES_MAX = 4096;

/** { Tcp: { RetransSegs: 5 } } → 'Tcp.RetransSegs' → 5, added to `out` (a new Map by default). */
export function flattenCounters(groups: CounterGroups, out: Map<string, CounterValue> = new Map()): Map<string, CounterValue> {
  for (const group of Object.keys(groups)) {
    const counters = groups[group]!;
    let keys = flatKeys.get(group);
    if (keys === undefined) {
      if (flatKeys.size >= FLAT_GROUPS_MAX) flatKeys.clear();
      keys = new Map();
      flatKeys.set(group, keys);
    }
    for (const name of Object.keys(counters)) {
      let key = keys.get(name);
      if (key === undefined) {
        key = `${group}.${name}`;
        if (keys.size < FLAT_NAMES_MAX) keys.set(name, key);
      }
      out.set(key, counters[name]!);
    }
  }
  return out;
}

export interface FlatInterfaces {
  values: Map<string, CounterValue>;
  identities: Map<string, string>;
}

/** Interface counters as 'if.<name>.<counter>' (the 16 of /proc/net/dev, plus rxNohandler
 *  when /sys had it), and 'if.<name>' → ifindex as identity. When the ifindex is unknown
 *  (a /sys read lost a race) no identity is given rather than the name: the tracker keeps
 *  the last known one, where a fallback name would flip '3' → 'eth0' → '3' and reset the
 *  interface twice. The name is part of the key already. */
export function flattenInterfaces(
  ifs: readonly NetInterface[],
  into: FlatInterfaces = { values: new Map(), identities: new Map() },
): FlatInterfaces {
  const { values, identities } = into;
  for (const nif of ifs) {
    const k = ifKeys(nif.name);
    for (let i = 0; i < IF_COUNTER_NAMES.length; i++) values.set(k.counters[i]!, nif.counters[IF_COUNTER_NAMES[i]!]);
    if (nif.sys.rxNohandler !== undefined) values.set(k.rxNohandler, nif.sys.rxNohandler);
    if (nif.sys.ifindex !== undefined) identities.set(k.prefix, String(nif.sys.ifindex));
  }
  return into;
}

interface IfKeys {
  prefix: string;
  counters: string[];
  rxNohandler: string;
}
/** An interface's keys, built once per name (bounded, like flatKeys). */
const ifKeyCache = new Map<string, IfKeys>();
const IF_KEYS_MAX = 4096;

function ifKeys(name: string): IfKeys {
  let k = ifKeyCache.get(name);
  if (k === undefined) {
    const prefix = `if.${name}`;
    k = { prefix, counters: IF_COUNTER_NAMES.map((c) => `${prefix}.${c}`), rxNohandler: `${prefix}.rxNohandler` };
    if (ifKeyCache.size >= IF_KEYS_MAX) ifKeyCache.clear();
    ifKeyCache.set(name, k);
  }
  return k;
}
