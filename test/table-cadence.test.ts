// The dashboard's 'auto' table cadence at short intervals: a socket table that is cheap at a
// 1 s interval is not cheap five times a second (20k sockets under churn at 0.2 s: the reads
// alone were 15% of a core). The read's cost is taken from the clock's real(), which the test
// moves by a fixed amount per read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Sampler, type Clock } from '../src/sampler/sampler.js';
import { kernelFs } from '../src/sources/kernel-fs.js';
import type { Want } from '../src/sources/snapshot.js';

const FX = fileURLToPath(new URL('../../test/fixtures/', import.meta.url));
const WANT: Want = {
  inet: ['tcp', 'tcp6'],
  unix: false,
  owners: false,
  interfaces: false,
  counters: false,
  routes4: false,
  routes6: false,
  conntrack: false,
};

/** A sampler whose table reads each take `readMs` of real time, ticked `n` times `intervalMs`
 *  apart; with `ownersMs`, the process owners are scanned too and listing /proc takes that long. */
async function cadence(intervalMs: number, readMs: number, n: number, ownersMs?: number): Promise<{ reads: number; every: number }> {
  const base = kernelFs(path.join(FX, 'root-basic'));
  let mono = 1_000_000,
    real = 0,
    reads = 0;
  const kfs = {
    ...base,
    readText: async (rel: string) => {
      const text = await base.readText(rel);
      if (rel === 'proc/net/tcp') {
        reads++;
        real += readMs;
      }
      return text;
    },
    readDir: async (rel: string) => {
      if (rel === 'proc' && ownersMs !== undefined) real += ownersMs;
      return base.readDir(rel);
    },
  };
  const clock: Clock = { now: () => mono, mono: () => mono, real: () => real, sleep: () => Promise.resolve() };
  const want = ownersMs === undefined ? WANT : { ...WANT, owners: true };
  const s = new Sampler(kfs, clock, { intervalMs, want, tableEveryMs: 'auto', ownersRefreshMs: 0 }, () => {});
  for (let i = 0; i < n; i++) {
    await s.tick();
    mono += intervalMs;
  }
  return { reads, every: s.tableEvery };
}

test("'auto' reads a 30 ms table every tick at 1 s, and every fourth tick at 0.2 s (25 times its cost)", async () => {
  assert.deepEqual(await cadence(1000, 30, 8), { reads: 8, every: 1000 });
  const fast = await cadence(200, 30, 20);
  assert.equal(fast.every, 800);
  assert.ok(fast.reads <= 6, `${fast.reads} reads in 20 ticks`);
});

test("'auto' still reads a table that costs little every tick at 0.2 s", async () => {
  assert.deepEqual(await cadence(200, 5, 10), { reads: 10, every: 200 });
});

test("'auto' counts what a fresh table sets off, not only its read: a 10 ms read whose owner scan takes 20 ms more is read every fourth tick or less at 0.2 s", async () => {
  // Read alone: 10 ms, 25 times that is 250 ms, two ticks. Read and owners: 30 ms or more (the
  // fixture's sockets have no owner, so a scan may list /proc twice), four ticks or more.
  assert.equal((await cadence(200, 10, 12)).every, 400);
  const withOwners = (await cadence(200, 10, 12, 20)).every;
  assert.ok(withOwners >= 800, `every ${withOwners} ms`);
});

/** run() over the fixture with table reads of 10 ms of real time; each sample with a fresh table
 *  then costs the consumer `consumerMs` more, half in onSample and half in what onSample schedules
 *  for the next turn of the event loop (as the dashboard's paint is). */
async function runCadence(consumerMs: number): Promise<number> {
  const base = kernelFs(path.join(FX, 'root-basic'));
  let mono = 1_000_000,
    real = 0;
  const kfs = {
    ...base,
    readText: async (rel: string) => {
      const text = await base.readText(rel);
      if (rel === 'proc/net/tcp') real += 10;
      return text;
    },
  };
  const clock: Clock = {
    now: () => mono,
    mono: () => mono,
    real: () => real,
    sleep: (ms: number) => {
      mono += ms;
      return Promise.resolve();
    },
  };
  const s = new Sampler(kfs, clock, { intervalMs: 200, want: WANT, tableEveryMs: 'auto' }, (_sample, raw) => {
    if (raw.inetAt !== raw.mono) return;
    real += consumerMs / 2;
    setImmediate(() => {
      real += consumerMs / 2;
    });
  });
  await s.run(12);
  return s.tableEvery;
}

test("'auto' under run() counts what the consumer does with a fresh table too, its deferred paint included", async () => {
  // 10 ms read: 25 times that is two ticks at 0.2 s. With 30 ms of frame and paint after it,
  // 40 ms: five ticks.
  assert.equal(await runCadence(0), 400);
  assert.equal(await runCadence(30), 1000);
});
