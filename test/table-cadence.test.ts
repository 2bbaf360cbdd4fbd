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
