// Where samples come from: the live sampler on its timer, or a recording played through the
// same engine. The dashboard, the interval printer and the exporter all take a SourceFactory.
import type { InterfaceMetaCache } from '../sources/interface-meta.js';
import type { KernelFs } from '../sources/kernel-fs.js';
import type { Want } from '../sources/snapshot.js';
import { SampleEngine, type RawSample, type Sample } from './sample-engine.js';
import { Sampler, type Clock } from './sampler.js';

export type SampleHandler = (sample: Sample, raw: RawSample) => void;

/** Where samples come from: the live sampler or a recording. */
export interface SampleSource {
  /** Deliver samples until stop() (live) or the end of the data (replay). */
  run(): Promise<void>;
  stop(): void;
  mark(): void;
  setInterval(ms: number): void;
  readonly interval: number;
  /** Read per-connection TCP internals (tcp_info) while a view shows them; absent in replays,
   *  which have what was recorded. */
  setTcpInfo?(on: boolean): void;
  /** Scan process owners while a view shows them; absent in replays and wherever owners must
   *  be read whatever is on screen (a recording, an endpoint that exports programs). */
  setOwners?(on: boolean): void;
}

export type SourceFactory = (onSample: SampleHandler) => SampleSource;

/** `ownersAlways`: the source has no setOwners, so owners are read whenever `want` says so. */
export function liveSource(
  kfs: KernelFs,
  clock: Clock,
  intervalMs: number,
  want: Want,
  meta?: InterfaceMetaCache,
  opts: { ownersAlways?: boolean } = {},
): SourceFactory {
  return (onSample) => {
    // 'auto': a huge socket table is read less often than every tick (the status line says so).
    const sampler = new Sampler(kfs, clock, { intervalMs, want, tableEveryMs: 'auto', ...(meta ? { meta } : {}) }, onSample);
    const source: SampleSource = {
      run: () => sampler.run(null),
      stop: () => sampler.stop(),
      mark: () => sampler.mark(),
      setInterval: (ms) => sampler.setInterval(ms),
      setTcpInfo: (on) => sampler.setTcpInfo(on),
      get interval() {
        return sampler.interval;
      },
    };
    if (opts.ownersAlways !== true) source.setOwners = (on) => sampler.setOwners(on);
    return source;
  };
}

/** A recording played through the same engine, at `speed` (0: no waiting). */
export function replaySource(samples: Iterable<RawSample>, clock: Clock, speed: number, intervalMs: number): SourceFactory {
  return (onSample) => {
    const engine = new SampleEngine();
    const abort = new AbortController();
    return {
      async run() {
        let prev: number | null = null;
        for (const raw of samples) {
          if (abort.signal.aborted) return;
          if (prev !== null && speed > 0) await clock.sleep(Math.max(0, raw.mono - prev) / speed, abort.signal);
          if (abort.signal.aborted) return;
          prev = raw.mono;
          onSample(engine.ingest(raw), raw);
        }
      },
      stop: () => abort.abort(),
      mark: () => engine.mark(),
      setInterval: () => {},
      get interval() {
        return intervalMs;
      },
    };
  };
}
