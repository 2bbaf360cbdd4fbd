// The one timer: read, ingest, emit, then wait out the rest of the interval. Ticks never
// overlap; a slow read delays the next tick, and rates use the time that really elapsed.
import { readBootInfo } from '../sources/boot.js';
import type { InterfaceMetaCache } from '../sources/interface-meta.js';
import type { KernelFs } from '../sources/kernel-fs.js';
import { scanProcessOwners, type OwnerScan } from '../sources/process-owners.js';
import { readSnapshot, type Want } from '../snapshot.js';
import { SampleEngine, type RawSample, type Sample } from './sample-engine.js';

export interface Clock {
  /** Wall clock, ms since the epoch. */
  now(): number;
  /** Monotonic clock, ms. */
  mono(): number;
  /** Wait, cancellable; resolves early when the signal aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  mono: () => performance.now(),
  sleep: (ms, signal) => new Promise((resolve) => {
    if (signal.aborted) { resolve(); return; }
    const t = setTimeout(() => { signal.removeEventListener('abort', onAbort); resolve(); }, ms);
    const onAbort = (): void => { clearTimeout(t); resolve(); };
    signal.addEventListener('abort', onAbort, { once: true });
  }),
};

export interface SamplerOptions {
  intervalMs: number;
  want: Want;
  /** Process owners are rescanned at most this often: walking every /proc/<pid>/fd is the
   *  most expensive read there is. */
  ownersRefreshMs?: number;
  /** Interface metadata source; asked only when the interface set changes. */
  meta?: InterfaceMetaCache;
}

export class Sampler {
  private readonly engine = new SampleEngine();
  private intervalMs: number;
  private abort: AbortController | null = null;
  private owners: OwnerScan | null = null;
  private ownersAt = -Infinity;
  private wake: AbortController | null = null;

  constructor(
    private readonly kfs: KernelFs,
    private readonly clock: Clock,
    private readonly opts: SamplerOptions,
    private readonly onSample: (s: Sample, raw: RawSample) => void | Promise<void>,
  ) {
    this.intervalMs = opts.intervalMs;
  }

  get interval(): number {
    return this.intervalMs;
  }

  /** Change the interval; takes effect from the current wait. */
  setInterval(ms: number): void {
    this.intervalMs = ms;
    this.wake?.abort();
  }

  mark(): void {
    this.engine.mark();
  }

  /** Read the kernel once and turn it into a sample. */
  async tick(): Promise<{ sample: Sample; raw: RawSample }> {
    const want = this.opts.want;
    const [snapshot, boot] = await Promise.all([
      readSnapshot(this.kfs, { ...want, owners: false }, () => this.clock.now()),
      readBootInfo(this.kfs),
    ]);
    // The clock is read right after the kernel reads, before slower decoration like metadata.
    const mono = this.clock.mono();
    if (this.opts.meta && snapshot.interfaces?.ok) snapshot.interfaceMeta = await this.opts.meta.get(snapshot.interfaces.value);
    const raw: RawSample = { mono, boot, snapshot };
    if (want.owners) {
      if (!this.owners || mono - this.ownersAt >= (this.opts.ownersRefreshMs ?? 5000)) {
        this.owners = await scanProcessOwners(this.kfs);
        this.ownersAt = mono;
      }
      snapshot.owners = this.owners;
      raw.ownersAt = this.ownersAt;
    }
    return { sample: this.engine.ingest(raw), raw };
  }

  /** Run until stop() or until `count` samples were emitted. */
  async run(count: number | null = null): Promise<void> {
    this.abort = new AbortController();
    const signal = this.abort.signal;
    let n = 0;
    while (!signal.aborted) {
      const started = this.clock.mono();
      const { sample, raw } = await this.tick();
      if (signal.aborted) break;
      await this.onSample(sample, raw);
      if (count !== null && ++n >= count) break;
      this.wake = new AbortController();
      const both = AbortSignal.any([signal, this.wake.signal]);
      const wait = started + this.intervalMs - this.clock.mono();
      if (wait > 0) await this.clock.sleep(wait, both);
      // An interval change cut the wait short: wait out the rest of the new interval.
      while (!signal.aborted && this.wake.signal.aborted) {
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
