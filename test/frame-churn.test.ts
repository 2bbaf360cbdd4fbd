// The frame builder under connection churn: thousands of rows flagged new and thousands of
// closed rows lingering. A frame with nothing new hands on the last frame's maps instead of
// copying them, and with complete churn only the oldest entries are looked at for expiry,
// never every key against the table (that was most of a frame five times a second). The
// connections list takes thousands of closed rows out in one pass instead of sorting afresh,
// and the sampler lets a sample be drawn before it takes the next one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { InetSocket } from '../src/model.js';
import { FLAG_MS, FrameBuilder, LINGER_MS, MAX_LINGER, type Frame } from '../src/dashboard/frame.js';
import type { Sample } from '../src/sampler/sample-engine.js';
import { parseOptions } from '../src/cli/options.js';
import { Store } from '../src/dashboard/store.js';
import { Sampler, type Clock } from '../src/sampler/sampler.js';
import type { KernelFs } from '../src/sources/kernel-fs.js';
import { estab, Feeder, names } from './helpers/dashboard-samples.js';

/** The sample's table, counting what the builder asks it. */
class CountingMap extends Map<string, InetSocket> {
  asked = 0;
  override has(k: string): boolean {
    this.asked++;
    return super.has(k);
  }
  override get(k: string): InetSocket | undefined {
    this.asked++;
    return super.get(k);
  }
}

function counted(s: Sample): { sample: Sample; table: CountingMap } {
  const table = new CountingMap(s.connections);
  return { sample: { ...s, connections: table }, table };
}

/** n connections numbered from `from`: 40,000 remote ports to each local port. */
const conns = (from: number, n: number): InetSocket[] =>
  Array.from({ length: n }, (_, i) => estab(443 + Math.floor((from + i) / 40_000), 20_000 + ((from + i) % 40_000)));

test('under churn: a quiet tick asks the table nothing and shares the last maps; expiry drops each key once, on time', () => {
  const feeder = new Feeder(200);
  const b = new FrameBuilder();
  b.build(feeder.next({ inet: conns(0, 1000) }));
  // 500 close and 500 open.
  const churned = conns(500, 1000);
  const f2 = b.build(feeder.next({ inet: churned }));
  assert.equal(f2.conns.lingering.size, 500);
  assert.equal(f2.connDelta?.opened.length, 500);
  // Nothing changes: the same rows again.
  const quiet = counted(feeder.next({ inet: churned }));
  assert.equal(quiet.sample.churnComplete, true);
  const f3 = b.build(quiet.sample);
  assert.equal(quiet.table.asked, 0, 'no key of the flag or linger maps looked up in the table');
  assert.equal(f3.conns.lingering, f2.conns.lingering, "the lingering rows are the last frame's map");
  assert.equal(f3.conns.row(keyOf(f2, 21499))?.status, 'new');
  // Until the flags and the linger time run out, every frame shares them; then each closed key
  // expires exactly once and the new flags go.
  const expired: string[] = [];
  let last: Frame = f3;
  for (let t = 400; t <= LINGER_MS + 400; t += 200) {
    const q = counted(feeder.next({ inet: churned }));
    const f = b.build(q.sample);
    expired.push(...(f.connDelta?.expired ?? []));
    assert.equal(q.table.asked, 0);
    if (t < FLAG_MS) assert.equal(f.conns.lingering, last.conns.lingering);
    last = f;
  }
  assert.equal(last.conns.lingering.size, 0, 'closed rows gone after LINGER_MS');
  assert.equal(expired.length, 500);
  assert.equal(new Set(expired).size, 500, 'each closed key expires once');
  assert.equal(last.conns.row(keyOf(f2, 21499))?.status, null, 'the new flag is gone after FLAG_MS');
});

test('incomplete churn (a restart of the engine) still drops flags and lingering rows of keys back in the table', () => {
  const feeder = new Feeder(200);
  const b = new FrameBuilder();
  b.build(feeder.next({ inet: conns(0, 10) }));
  const f2 = b.build(feeder.next({ inet: conns(5, 10) }));
  assert.equal(f2.conns.lingering.size, 5);
  // A new engine: its first sample has no churn, and the closed keys are back.
  const other = new Feeder(200);
  other.mono = feeder.mono;
  const s = other.next({ inet: conns(0, 15) });
  assert.equal(s.churnComplete, false);
  const f3 = b.build(s);
  assert.equal(f3.conns.lingering.size, 0, 'keys in the table again do not linger');
});

function keyOf(f: Frame, remotePort: number): string {
  for (const [k, s] of f.conns.live) if (s.remotePort === remotePort) return k;
  throw new Error(`no connection to port ${remotePort}`);
}

test('the connections list: a third of its rows expiring at once is patched (one pass), not sorted afresh, and equals a fresh sort', () => {
  const feeder = new Feeder(200);
  const kept = new Store(parseOptions(['-a']), { names: names() });
  const keys = (st: Store): string[] => st.visibleRows('connections', 100_000, 160).rows.map((r) => r.key);
  const feed = (inet: InetSocket[]): void => {
    kept.ingest(feeder.next({ inet }));
    keys(kept);
  };
  feed(conns(0, 400));
  const churned = conns(200, 400);
  feed(churned);
  assert.equal(keys(kept).length, 600, '400 live and 200 closed rows lingering');
  let rebuilt = 0;
  for (let t = 200; t <= LINGER_MS + 400; t += 200) {
    const before = kept.listStats.built;
    feed(churned);
    rebuilt += kept.listStats.built - before;
  }
  assert.equal(keys(kept).length, 400, 'the closed rows are gone');
  assert.equal(rebuilt, 0, 'no list sorted afresh for rows that only left');
  const afresh = new Store(parseOptions(['-a']), { names: names() });
  afresh.ingest(feeder.next({ inet: churned }));
  assert.deepEqual(keys(kept), keys(afresh));
});

test(
  'the sampler takes a turn of the event loop between ticks that follow at once, so each sample can be drawn',
  { timeout: 20_000 },
  async () => {
    // Every read answers on promises alone (as the live kernel's synchronous reads do), and each
    // tick takes longer than the interval: the next tick is due at once.
    const kfs: KernelFs = {
      root: '/nonexistent',
      readText: () => Promise.reject(Object.assign(new Error('ENOENT'), { code: 'ENOENT' })),
      readLink: () => Promise.reject(Object.assign(new Error('ENOENT'), { code: 'ENOENT' })),
      readDir: () => Promise.reject(Object.assign(new Error('ENOENT'), { code: 'ENOENT' })),
    };
    let mono = 0;
    const clock: Clock = { now: () => mono, mono: () => (mono += 500), sleep: () => Promise.resolve() };
    const want = {
      inet: [],
      unix: false,
      owners: false,
      interfaces: false,
      counters: true,
      routes4: false,
      routes6: false,
      conntrack: false,
    };
    let drawn = 0;
    const seenDrawn: number[] = [];
    const s = new Sampler(kfs, clock, { intervalMs: 200, want }, () => {
      seenDrawn.push(drawn);
      setImmediate(() => drawn++);
    });
    await s.run(5);
    assert.deepEqual(seenDrawn, [0, 1, 2, 3, 4], 'each sample was drawn before the next came');
  },
);

test('a storm of closes: at most MAX_LINGER closed rows linger and as many are flagged new; the oldest leave at once, as expired', () => {
  const n = MAX_LINGER + 5000;
  const feeder = new Feeder(200);
  const b = new FrameBuilder();
  b.build(feeder.next({ inet: conns(0, n) }));
  // Every connection closes and as many new ones open, in one tick.
  const f = b.build(feeder.next({ inet: conns(n, n) }));
  assert.equal(f.conns.lingering.size, MAX_LINGER);
  assert.equal(f.connDelta?.expired.length, 5000, 'the rows dropped over the bound are expired in the delta');
  for (const k of f.connDelta?.expired ?? []) assert.equal(f.conns.lingering.has(k), false);
  let flagged = 0;
  for (const k of f.conns.live.keys()) if (f.conns.row(k)?.status === 'new') flagged++;
  assert.equal(flagged, MAX_LINGER);
});
