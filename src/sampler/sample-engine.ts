// Turns raw snapshots into samples: counter deltas and rates, connection and route churn.
// Live sampling and replay both go through here, so a replay reproduces the live numbers.
import type { InetSocket } from '../model.js';
import type { BootInfo } from '../sources/boot.js';
import type { Snapshot } from '../snapshot.js';
import { connectionKeys, diffConnections, type ConnectionDiff } from './connection-diff.js';
import {
  CounterTracker, flattenCounters, flattenInterfaces, type CounterStat, type MarkInfo,
} from './counter-deltas.js';
import { diffKeys, route4Key, route6Key, type RouteDiff } from './route-diff.js';
import { stateCounts } from './state-counts.js';

/** What is read from the kernel each tick: everything a recording stores. */
export interface RawSample {
  /** Monotonic clock, ms. */
  mono: number;
  boot: BootInfo;
  snapshot: Snapshot;
  /** When the process-owner table was last scanned (monotonic ms); it may be reused across ticks. */
  ownersAt?: number;
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
  routes: RouteDiff;
  ownersAgeMs: number | null;
  mark: MarkInfo;
}

export class SampleEngine {
  private tracker = new CounterTracker();
  private prevConns: Map<string, InetSocket> | null = null;
  private prevRoutes: Set<string> | null = null;
  private prevMono: number | null = null;
  private seq = 0;

  mark(): void {
    this.tracker.mark();
  }

  ingest(raw: RawSample): Sample {
    if (raw.restart) {
      this.tracker = new CounterTracker();
      this.prevConns = null;
      this.prevRoutes = null;
      this.prevMono = null;
    }
    const snap = raw.snapshot;
    const values = new Map<string, number>();
    const identities = new Map<string, string>();
    if (snap.counters) for (const [k, v] of flattenCounters(snap.counters.counters)) values.set(k, v);
    if (snap.interfaces?.ok) {
      const flat = flattenInterfaces(snap.interfaces.value);
      for (const [k, v] of flat.values) values.set(k, v);
      for (const [k, v] of flat.identities) identities.set(k, v);
    }
    const inet: InetSocket[] = [];
    let haveSockets = false;
    for (const r of Object.values(snap.inet)) {
      if (r?.ok) { inet.push(...r.value); haveSockets = true; }
    }
    const unix = snap.unix?.ok ? snap.unix.value : null;
    if (haveSockets || unix) for (const [k, v] of stateCounts(inet, unix)) values.set(k, v);

    const stats = this.tracker.update({
      at: raw.mono, bootTime: raw.boot.bootTime, bootId: raw.boot.bootId, values, identities,
    });

    const connections = connectionKeys(inet);
    const churn = diffConnections(haveSockets ? this.prevConns : null, connections);
    if (haveSockets) this.prevConns = connections;

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
    return {
      seq: ++this.seq,
      time: snap.time,
      mono: raw.mono,
      elapsedMs,
      snapshot: snap,
      stats,
      connections,
      churn,
      routes,
      ownersAgeMs: raw.ownersAt === undefined ? null : raw.mono - raw.ownersAt,
      mark: this.tracker.markInfo,
    };
  }
}
