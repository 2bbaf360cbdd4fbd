// A clock for sampler tests whose wall time and monotonic time move separately, so a test can
// make the system clock jump (NTP step, an admin's `date -s`) while monotonic time goes on.
import type { Clock } from '../../src/sampler/sampler.js';

export class JumpClock {
  mono = 50_000;
  wall = Date.UTC(2024, 5, 1, 12, 0, 0);
  readonly sleeps: number[] = [];

  /** Every sleep returns at once, with both clocks moved by its length. */
  readonly clock: Clock = {
    now: () => this.wall,
    mono: () => this.mono,
    sleep: (ms, signal) => {
      this.sleeps.push(ms);
      if (signal.aborted) return Promise.resolve();
      this.mono += ms;
      this.wall += ms;
      return new Promise((r) => setImmediate(r));
    },
  };

  /** Step the wall clock only (positive: forward). */
  jumpWall(ms: number): void {
    this.wall += ms;
  }
}
