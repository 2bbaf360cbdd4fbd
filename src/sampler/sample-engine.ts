// Turns raw snapshots into samples: counter deltas and rates, connection and route churn.
// Live sampling and replay both go through here, so a replay reproduces the live numbers.
import type { InetSocket } from '../model.js';
import type { CounterValue } from '../model/counter-value.js';
import type { BootInfo } from '../sources/boot.js';
import type { Snapshot } from '../sources/snapshot.js';
import { ConnectionTracker, emptyDiff, type ConnectionDiff } from './connection-diff.js';
import { CounterTracker, flattenCounters, flattenInterfaces, type CounterStat, type MarkInfo } from './counter-deltas.js';
import { aggregate, type Aggregates } from './flow-aggregates.js';
import { diffKeys, route4Key, route6Key, type RouteDiff } from './route-diff.js';
import { stateCounts } from './state-counts.js';
import { FlowTracker, type FlowTable } from './tcp-flows.js';

/** What is read from the kernel each tick: everything a recording stores. */
export interface RawSample {
  /** Monotonic clock, ms. */
  mono: number;
  boot: BootInfo;
  snapshot: Snapshot;
  /** When the process-owner table was last scanned (monotonic ms); it may be reused across ticks. */
  ownersAt?: number;
  /** When the inet socket tables in the snapshot were read (monotonic ms), when the sampler
   *  reads them less often than every tick (SamplerOptions.tableEveryMs); else absent. */
  inetAt?: number;
  /** Set by the recording reader where another run's samples begin: nothing carries over. */
  restart?: boolean;
}

export interface Sample {
  seq: number;
  /** Wall-clock time of the read, ms since the epoch. */
  time: number;
  mono: number;
  /** Really elapsed time since the previous sample; null on the first. */
  elapsedMs: number | null;
  snapshot: Snapshot;
  stats: Map<string, CounterStat>;
  /** The connection table keyed by identity, for views that keep a cursor on a connection. */
  connections: Map<string, InetSocket>;
  churn: ConnectionDiff;
  /** True when churn lists every difference from the previous sample's connections (false on
   *  the first sample, after a restart, and next to a sample without a socket table). */
  churnComplete: boolean;
  routes: RouteDiff;
  ownersAgeMs: number | null;
  /** Age of the connection table (ms): 0 when read this tick, more when the sampler reads big
   *  tables less often than it ticks; null when the sample has no table. */
  tableAgeMs: number | null;
  mark: MarkInfo;
  /** Per-connection tcp_info deltas (tcp-flows.ts): only when the table carries tcp_info. */
  flows?: FlowTable;
  /** Per-process and per-peer sums (flow-aggregates.ts): with flows, or when the engine was
   *  asked for them (a view that wants them on a table without tcp_info: counts only). */
  aggregates?: Aggregates;
}

export interface EngineOptions {
  /** Aggregates per process and peer even when the table has no tcp_info (the /proc fallback). */
  aggregates?: boolean;
}

/** The same socket tables: the sampler reused them, or the netlink reader handed back the same
 *  rows array for every protocol because nothing in the dump changed. */
function sameTables(a: Snapshot['inet'], b: Snapshot['inet'] | null): boolean {
  if (b === null) return false;
  if (a === b) return true;
  const keys = Object.keys(a) as (keyof Snapshot['inet'])[];
  if (keys.length !== Object.keys(b).length) return false;
  for (const k of keys) {
    const x = a[k],
      y = b[k];
    if (!x || !y || !x.ok || !y.ok || x.value !== y.value) return false;
  }
  return true;
}

/**
 * Every row of the socket tables in one array, sized once. Indexed loops, not for-of: this
 * runs once a tick, too seldom for V8 to optimize it, and unoptimized for-of makes an iterator
 * result object per row (2 MB a tick at 50k sockets). Not push(...rows): spreading 100k
 * arguments overflows the stack.
 */
function allRows(tables: Snapshot['inet']): readonly InetSocket[] {
  const parts: (readonly InetSocket[])[] = [];
  let n = 0;
  for (const r of Object.values(tables))
    if (r?.ok && r.value.length > 0) {
      parts.push(r.value);
      n += r.value.length;
    }
  // One table (the others empty): read as it is, never changed.
  if (parts.length <= 1) return parts[0] ?? [];
  const out = new Array<InetSocket>(n);
  let at = 0;
  for (let p = 0; p < parts.length; p++) {
    const rows = parts[p]!;
    for (let i = 0; i < rows.length; i++) out[at++] = rows[i]!;
  }
  return out;
}

/** A map that counts its writes: a tick's counter values go into last tick's map (the same
 *  keys set again: no new hash table of ~500 entries each tick). When the keys are not last
 *  tick's, the map is made afresh. The values' keys are unique in a tick. */
class TickValues extends Map<string, CounterValue> {
  writes = 0;
  override set(key: string, value: CounterValue): this {
    this.writes++;
    return super.set(key, value);
  }
}

export class SampleEngine {
  private tracker = new CounterTracker();
  private readonly conns = new ConnectionTracker();
  private lastInet: Snapshot['inet'] | null = null;
  private lastConnections: Map<string, InetSocket> | null = null;
  /** Socket gauges of lastInet (without the UNIX count, which is read every tick). */
  private lastInetCounts: Map<string, number> | null = null;
  /** The previous sample's connections. */
  private prevSampleConns: Map<string, InetSocket> | null = null;
  private prevRoutes: Set<string> | null = null;
  private prevMono: number | null = null;
  private seq = 0;
  private readonly flowTracker = new FlowTracker();
  private lastFlows: FlowTable | null = null;
  private lastAggregates: { get: () => Aggregates; owners: unknown } | null = null;
  private values = new TickValues();

  constructor(private opts: EngineOptions = {}) {}

  /** Aggregates wanted (or not) from the next sample on. */
  setAggregates(on: boolean): void {
    this.opts = { ...this.opts, aggregates: on };
  }

  mark(): void {
    this.tracker.mark();
    this.flowTracker.mark();
    // The flows of the current table keep their sums; the next table starts from the mark.
  }

  ingest(raw: RawSample): Sample {
    if (raw.restart) {
      this.tracker = new CounterTracker();
      this.values = new TickValues();
      this.conns.reset();
      this.lastInet = null;
      this.lastConnections = null;
      this.lastInetCounts = null;
      this.prevSampleConns = null;
      this.prevRoutes = null;
      this.prevMono = null;
      this.flowTracker.reset();
      this.lastFlows = null;
      this.lastAggregates = null;
    }
    const snap = raw.snapshot;
    const identities = new Map<string, string>();
    let haveSockets = false;
    for (const r of Object.values(snap.inet)) if (r?.ok) haveSockets = true;
    const unix = snap.unix?.ok ? snap.unix.value : null;
    // The same table as last tick (the sampler skipped reading it): its counts and diff stand.
    const sameTable = haveSockets && this.lastConnections !== null && sameTables(snap.inet, this.lastInet);
    let inet: readonly InetSocket[] = [];
    if (haveSockets && !sameTable) {
      inet = allRows(snap.inet);
      this.lastInetCounts = stateCounts(inet, null);
    }
    // Written straight into the one map: ~500 keys a tick, not copied from map to map.
    const fill = (values: TickValues): void => {
      values.writes = 0;
      identities.clear();
      if (snap.counters) flattenCounters(snap.counters.counters, values);
      if (snap.interfaces?.ok) flattenInterfaces(snap.interfaces.value, { values, identities });
      if (haveSockets) {
        for (const [k, v] of this.lastInetCounts ?? []) values.set(k, v);
        if (unix) values.set('gauge.unix.sockets', unix.length);
      } else if (unix) for (const [k, v] of stateCounts([], unix)) values.set(k, v);
    };
    let values = this.values;
    const had = values.size;
    fill(values);
    // A key that came (it would sit at the end, not in its group's place) or one that went.
    if (values.size !== had || values.size !== values.writes) fill((values = this.values = new TickValues()));

    const stats = this.tracker.update({
      at: raw.mono,
      bootTime: raw.boot.bootTime,
      bootId: raw.boot.bootId,
      values,
      identities,
    });

    let connections: Map<string, InetSocket>;
    let churn: ConnectionDiff;
    let churnComplete: boolean;
    if (sameTable && this.lastConnections !== null) {
      connections = this.lastConnections;
      churn = emptyDiff();
      churnComplete = connections === this.prevSampleConns;
    } else {
      const diffedAgainst = this.lastConnections;
      ({ connections, churn } = this.conns.update(inet, haveSockets));
      churnComplete = haveSockets && diffedAgainst !== null && diffedAgainst === this.prevSampleConns;
      if (haveSockets) {
        this.lastInet = snap.inet;
        this.lastConnections = connections;
      }
    }
    this.prevSampleConns = connections;

    let flows: FlowTable | null = null;
    if (haveSockets && sameTable) flows = this.lastFlows;
    else if (haveSockets) {
      // With tcp_info when a TCP row has it, or when no row could (no TCP socket but TIME_WAIT
      // and request sockets, which never carry it): an empty table does not break the deltas.
      let info = true;
      for (let i = 0; i < inet.length; i++) {
        const s = inet[i]!;
        if (s.tcpInfo) {
          info = true;
          break;
        }
        if (s.proto.startsWith('tcp') && s.inode !== 0 && s.state !== 6) info = false;
      }
      // A table without tcp_info between two with it: the next one starts afresh (no deltas).
      if (!info || this.lastFlows === null) this.flowTracker.reset();
      flows = info ? this.flowTracker.update(connections, raw.inetAt ?? raw.mono) : null;
      this.lastFlows = flows;
    }
    // The sums are made when a view or printer first reads them (Processes, Peers, --json
    // --info): a tick that only shows the connections' own columns does not pay for them.
    let aggregates: (() => Aggregates) | null = null;
    if (haveSockets && (flows !== null || this.opts.aggregates === true)) {
      const owners = snap.owners?.owners ?? null;
      const last = this.lastAggregates;
      if (sameTable && last !== null && last.owners === owners) aggregates = last.get;
      else {
        let made: Aggregates | null = null;
        const table = connections,
          fl = flows;
        const get = (): Aggregates => (made ??= aggregate(table, owners, fl));
        aggregates = get;
        this.lastAggregates = { get, owners };
      }
    } else if (haveSockets) {
      // Not asked for any more (the views that read them are gone): do not keep the last ones,
      // whose closure holds an old socket table (and the netlink chunks its tcp_info points into).
      this.lastAggregates = null;
    }

    let routes: RouteDiff = { added: [], removed: [] };
    if (snap.routes4 || snap.routes6) {
      const keys = new Set<string>();
      if (snap.routes4?.ok) for (const r of snap.routes4.value) keys.add(route4Key(r));
      if (snap.routes6?.ok) for (const r of snap.routes6.value) keys.add(route6Key(r));
      routes = diffKeys(this.prevRoutes, keys);
      this.prevRoutes = keys;
    }

    const elapsedMs = this.prevMono === null ? null : raw.mono - this.prevMono;
    this.prevMono = raw.mono;
    const sample: Sample = {
      seq: ++this.seq,
      time: snap.time,
      mono: raw.mono,
      elapsedMs,
      snapshot: snap,
      stats,
      connections,
      churn,
      churnComplete,
      routes,
      ownersAgeMs: raw.ownersAt === undefined ? null : raw.mono - raw.ownersAt,
      tableAgeMs: !haveSockets ? null : raw.inetAt === undefined ? 0 : raw.mono - raw.inetAt,
      mark: this.tracker.markInfo,
      ...(flows ? { flows } : {}),
    };
    if (aggregates) Object.defineProperty(sample, 'aggregates', { get: aggregates, enumerable: true, configurable: true });
    return sample;
  }
}
