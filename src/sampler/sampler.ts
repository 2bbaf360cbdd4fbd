// The one timer: read, ingest, emit, then wait out the rest of the interval. Ticks never
// overlap; a slow read delays the next tick, and rates use the time that really elapsed.
import { readBootInfo } from '../sources/boot.js';
import type { InterfaceMetaCache } from '../sources/interface-meta.js';
import type { KernelFs } from '../sources/kernel-fs.js';
import { OwnerCache, type OwnerScan } from '../sources/process-owners.js';
import { fastKernelFs, readSnapshot, socketInodes, type Snapshot, type Want } from '../sources/snapshot.js';
import { SampleEngine, type RawSample, type Sample } from './sample-engine.js';

import type { Clock } from './clock.js';
// The clock lives in its own module, so that the entry point can load it without the sampler.
export { systemClock, type Clock } from './clock.js';

export interface SamplerOptions {
  intervalMs: number;
  want: Want;
  /** Process owners are rescanned at most this often: walking every /proc/<pid>/fd is the
   *  most expensive read there is. */
  ownersRefreshMs?: number;
  /** Interface metadata source; it loads again when the interface set changes (and, if it
   *  was made with a refresh period, when its last load is that old). */
  meta?: InterfaceMetaCache;
  /**
   * How often the inet socket tables are read. Default: every tick (what print mode's -c
   * needs). A number: at most that often (ms). 'auto': every tick while they are cheap to read,
   * and less often as they grow: about 25 times what one read takes (so reading them costs at
   * most ~4% of the time), never more than 10 s apart. Under run(), what a read takes includes
   * what the consumer does with the fresh sample until the next turn of the event loop (the
   * dashboard's frame and paint). Between reads a sample carries the last table (the same
   * objects; Sample.tableAgeMs says how old it is).
   */
  tableEveryMs?: number | 'auto';
}

/** 'auto': the table may take this share of the time at most… */
const AUTO_TABLE_FACTOR = 25;
/** …and is never older than this. */
const AUTO_TABLE_MAX_MS = 10_000;
/** A read this cheap (smoothed) is done every tick at a 1 s interval; at a shorter interval
 *  the bound shrinks with it (5% of the time at most: a 30 ms read of 20k sockets every 0.2 s
 *  would be 15% of a core by itself). */
const AUTO_TABLE_CHEAP_MS = 50;

export class Sampler {
  private readonly engine: SampleEngine;
  private intervalMs: number;
  private abort: AbortController | null = null;
  private owners: OwnerScan | null = null;
  private readonly ownerCache: OwnerCache;
  private ownersAt = -Infinity;
  private ownersTableAt: number | null = null;
  private wake: AbortController | null = null;
  /** Set by setOwners(true): the wait in progress ends and the next tick comes at once. */
  private soon = false;
  /** The last inet tables read, when (monotonic ms), and what a read costs (smoothed, ms). */
  private table: { inet: Snapshot['inet']; at: number } | null = null;
  private tableCostMs = 0;
  /** The tick just taken read a fresh table: its cost as tick() counted it, and the smoothed
   *  cost before it, so that run() can add what its sample then cost the consumer. */
  private freshTable: { cost: number; before: number; end: number } | null = null;

  constructor(
    private readonly kfs: KernelFs,
    private readonly clock: Clock,
    private opts: SamplerOptions,
    private readonly onSample: (s: Sample, raw: RawSample) => void | Promise<void>,
  ) {
    this.intervalMs = opts.intervalMs;
    this.engine = new SampleEngine({ aggregates: opts.want.tcpInfo === true });
    this.ownerCache = new OwnerCache(kfs, (inodes) => this.stillListed(inodes));
  }

  get interval(): number {
    return this.intervalMs;
  }

  /** Which of these socket inodes the kernel lists now: the owner scan asks, for sockets that
   *  no fd holds, before it reads every fd again (see OwnerCache). The socket tables only, as
   *  the tick reads them. */
  private async stillListed(inodes: readonly number[]): Promise<ReadonlySet<number>> {
    const want: Want = {
      ...this.opts.want,
      owners: false,
      interfaces: false,
      counters: false,
      routes4: false,
      routes6: false,
      conntrack: false,
    };
    const now = socketInodes(await readSnapshot(this.kfs, want, () => this.clock.now()));
    // Tables that could not be read tell nothing: every inode counts as listed.
    return now === null ? new Set(inodes) : new Set(inodes.filter((i) => now.has(i)));
  }

  /** Read tcp_info (and sum per process and peer) from the next tick on, or stop: a view that
   *  shows TCP internals asks for them only while it is on screen. */
  setTcpInfo(on: boolean): void {
    if ((this.opts.want.tcpInfo === true) === on) return;
    this.opts = { ...this.opts, want: { ...this.opts.want, tcpInfo: on } };
    this.engine.setAggregates(on);
    // The next tick reads the table again, with or without tcp_info.
    this.table = null;
  }

  /** Scan process owners from the next tick on, or stop (samples carry none; the cache keeps
   *  what it knew, so the next scan reads only what changed meanwhile). The dashboard asks for
   *  them only while something on screen shows owners (the PID/Program column, the Processes
   *  pane, a detail view, a filter or a sort that reads them): under connection churn the scan
   *  is the dearest read there is. Turned on, the next tick comes at once rather than after the
   *  rest of the interval, so the column fills in as the key is pressed. */
  setOwners(on: boolean): void {
    if (this.opts.want.owners === on) return;
    this.opts = { ...this.opts, want: { ...this.opts.want, owners: on } };
    this.owners = null;
    this.ownersAt = -Infinity;
    this.ownersTableAt = null;
    // The cache keeps what it knew (typed arrays, about 12 bytes an fd): the scan after it is
    // turned on again reads only what changed meanwhile, not every fd on the host.
    if (on) {
      this.soon = true;
      this.wake?.abort();
    }
  }

  /** Change the interval; takes effect from the current wait. */
  setInterval(ms: number): void {
    this.intervalMs = ms;
    this.wake?.abort();
  }

  mark(): void {
    this.engine.mark();
  }

  /** How often the inet tables are read now (ms); the interval when every tick. */
  get tableEvery(): number {
    const every = this.opts.tableEveryMs;
    if (every === undefined) return this.intervalMs;
    if (every !== 'auto') return Math.max(every, this.intervalMs);
    if (this.tableCostMs < AUTO_TABLE_CHEAP_MS * Math.min(1, this.intervalMs / 1000)) return this.intervalMs;
    const want = Math.min(AUTO_TABLE_MAX_MS, this.tableCostMs * AUTO_TABLE_FACTOR);
    // Whole ticks, so the table age steps evenly.
    return Math.max(1, Math.ceil(want / this.intervalMs)) * this.intervalMs;
  }

  /** Read the kernel once and turn it into a sample. */
  async tick(): Promise<{ sample: Sample; raw: RawSample }> {
    const want = this.opts.want;
    const started = this.clock.mono();
    // What a read costs is real time spent, whatever clock the samples are stamped with.
    const real = (): number => (this.clock.real ? this.clock.real() : this.clock.mono());
    const t0 = real();
    // Half a tick of slack: ticks drift by the time a read takes.
    const tableDue = this.table === null || want.inet.length === 0 || started - this.table.at >= this.tableEvery - this.intervalMs / 2;
    const [snapshot, boot] = await Promise.all([
      readSnapshot(this.kfs, { ...want, owners: false, ...(tableDue ? {} : { inet: [] }) }, () => this.clock.now()),
      readBootInfo(fastKernelFs(this.kfs), this.clock),
    ]);
    // The clock is read right after the kernel reads, before slower decoration like metadata.
    const mono = this.clock.mono();
    if (tableDue) {
      this.table = { inet: snapshot.inet, at: mono };
    } else if (this.table) {
      snapshot.inet = this.table.inet;
    }
    if (this.opts.meta && snapshot.interfaces?.ok) snapshot.interfaceMeta = await this.opts.meta.get(snapshot.interfaces.value, mono);
    const raw: RawSample = { mono, boot, snapshot };
    // Only with a cadence: without one every table is fresh and recordings stay as they were.
    if (this.table && want.inet.length > 0 && this.opts.tableEveryMs !== undefined) raw.inetAt = this.table.at;
    if (want.owners) {
      // With a cadence, owners follow the table: a table not read again has the same sockets.
      const tableAt = this.opts.tableEveryMs !== undefined && want.inet.length > 0 ? (this.table?.at ?? null) : null;
      const stale = tableAt === null || tableAt !== this.ownersTableAt;
      // Per-process traffic (tcp_info) puts new connections under their program at once: the
      // incremental scan runs every tick then, not every 5 s.
      const refresh = this.opts.ownersRefreshMs ?? (want.tcpInfo ? 0 : 5000);
      if (!this.owners || (stale && mono - this.ownersAt >= refresh)) {
        // Incremental: only fds that can have changed are read again (see OwnerCache).
        this.owners = await this.ownerCache.scan(socketInodes(snapshot));
        this.ownersAt = mono;
        this.ownersTableAt = tableAt;
      }
      snapshot.owners = this.owners;
      raw.ownersAt = this.ownersAt;
    }
    const sample = this.engine.ingest(raw);
    if (tableDue) {
      // A fresh table costs its read and what it sets off here: the owners of its new sockets
      // and the engine's diff against the last one (under connection churn as much again as
      // the read). With a huge table the whole tick is nearly all of it.
      const end = real();
      const cost = end - t0;
      // Only 'auto' uses the cost: other cadences take no extra turn in run().
      this.freshTable = this.opts.tableEveryMs === 'auto' ? { cost, before: this.tableCostMs, end } : null;
      this.tableCostMs = this.tableCostMs === 0 ? cost : 0.7 * this.tableCostMs + 0.3 * cost;
    } else this.freshTable = null;
    return { sample, raw };
  }

  /** Run until stop() or until `count` samples were emitted. */
  async run(count: number | null = null): Promise<void> {
    this.abort = new AbortController();
    const signal = this.abort.signal;
    let n = 0;
    while (!signal.aborted) {
      const started = this.clock.mono();
      this.soon = false;
      const { sample, raw } = await this.tick();
      if (signal.aborted) break;
      await this.onSample(sample, raw);
      const fresh = this.freshTable;
      if (fresh !== null) {
        // A fresh table also costs what the consumer does with it: the dashboard's frame, its
        // lists' patches and the paint (scheduled for the next turn of the event loop, which
        // this waits for), and the collections all of that sets off. Under churn that was
        // about twice the read and the diff: counted, the table is read less often, and the
        // 25-times rule holds for the whole of it.
        await new Promise<void>((r) => setImmediate(r));
        const real = this.clock.real ? this.clock.real() : this.clock.mono();
        const cost = fresh.cost + Math.max(0, real - fresh.end);
        this.tableCostMs = fresh.before === 0 ? cost : 0.7 * fresh.before + 0.3 * cost;
        this.freshTable = null;
      }
      if (count !== null && ++n >= count) break;
      this.wake = new AbortController();
      const both = AbortSignal.any([signal, this.wake.signal]);
      const wait = started + this.intervalMs - this.clock.mono();
      if (wait > 0 && !this.soon) await this.clock.sleep(wait, both);
      // A tick that took its whole interval (a big table read) is followed at once by the next,
      // and a tick whose reads are synchronous (the live kernel's) runs on promises alone: one
      // turn of the event loop between them lets what the sample asked for (the dashboard's
      // paint, keys) run first, so no sample goes unseen.
      else await new Promise<void>((r) => setImmediate(r));
      // An interval change cut the wait short: wait out the rest of the new interval (owners
      // asked for: tick now).
      while (!signal.aborted && this.wake.signal.aborted && !this.soon) {
        this.wake = new AbortController();
        const rest = started + this.intervalMs - this.clock.mono();
        if (rest <= 0) break;
        await this.clock.sleep(rest, AbortSignal.any([signal, this.wake.signal]));
      }
    }
  }

  stop(): void {
    this.abort?.abort();
  }
}
