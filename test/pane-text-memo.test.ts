// A pane's lines are formatted again only when what they are made from changed (Layout's
// memo, Store.paneInputs, PaneSpec.textInputs), and the frames hand on the same routes,
// interfaces, history and link flags while nothing in them changed. What is checked: an idle
// tick formats no pane, each kind of change remakes the panes it shows in, and after every
// paint each pane on screen reads exactly as its lines made afresh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import blessed from 'blessed';
import type { NameContext } from '../src/names/netstat-notation.js';
import type { RawSample } from '../src/sampler/sample-engine.js';
import { paneLines } from '../src/dashboard/views/panes.js';
import { FrameBuilder, HISTORY_LEN } from '../src/dashboard/frame.js';
import { estab, Feeder, listen, names, nif, route4, udp, type SnapParts } from './helpers/dashboard-samples.js';
import { start, type Harness } from './helpers/dashboard-harness.js';

const WORLD: SnapParts = {
  inet: [listen(22), estab(22, 40000), udp(53)],
  interfaces: [nif('lo', {}, 1), nif('eth0', { rxPackets: 1000, rxBytes: 50_000 })],
  counters: {
    Tcp: { RetransSegs: 10, OutSegs: 1000 },
    TcpExt: { ListenDrops: 2 },
    Icmp: { InMsgs: 4, OutMsgs: 4, InEchos: 2, OutEchoReps: 2 },
  },
  routes4: [route4('0.0.0.0', '10.0.0.1', '0.0.0.0'), route4('10.0.0.0', '0.0.0.0', '255.255.255.0')],
};

/** The next tick of a host where nothing moved, as the live sampler reads it: the socket
 *  tables are the same arrays (the netlink reader hands them back when the dump is the same),
 *  everything parsed from text is new objects with the same values. */
function idle(prev: RawSample, stepMs: number): RawSample {
  const { inet, ...rest } = prev.snapshot;
  const copy = structuredClone(rest);
  return { ...prev, mono: prev.mono + stepMs, snapshot: { ...copy, inet, time: prev.snapshot.time + stepMs } };
}

class Ticker {
  last: RawSample;
  constructor(
    readonly h: Harness,
    parts: SnapParts,
  ) {
    this.last = h.src.feeder.raw(parts);
    this.send(this.last);
  }
  private send(raw: RawSample): void {
    this.last = raw;
    this.h.src.onSample(this.h.src.feeder.engine.ingest(raw), raw);
  }
  async idle(n = 1): Promise<void> {
    for (let i = 0; i < n; i++) {
      this.send(idle(this.last, this.h.src.feeder.stepMs));
      await this.h.settle();
    }
  }
  /** A tick with something changed in the snapshot. */
  async change(edit: (snap: RawSample['snapshot']) => void): Promise<void> {
    const next = idle(this.last, this.h.src.feeder.stepMs);
    edit(next.snapshot);
    this.send(next);
    await this.h.settle();
  }
}

/** Every pane on screen reads as its lines made now, from the store as it is. */
function panesFresh(h: Harness): void {
  const screen = h.lines();
  const s = h.d.store;
  for (const r of h.d.layout.last.panes) {
    if (r.pane === 'graphs') continue;
    const want = paneLines(s, r.pane, r.width, r.height, r.pane === s.state.focus).map((l) => stripTags(l));
    for (let i = 0; i < r.height; i++) {
      const got = [...(screen[r.top + i] ?? '')]
        .slice(r.left, r.left + r.width)
        .join('')
        .trimEnd();
      assert.equal(got, (want[i] ?? '').trimEnd(), `${r.pane} line ${i} is stale`);
    }
  }
}

// @types/blessed leaves out blessed.helpers.
const blessedHelpers = (blessed as unknown as { helpers: { stripTags(this: void, s: string): string } }).helpers;
const stripTags = (s: string): string => blessedHelpers.stripTags(s);

const made = (h: Harness): number => h.d.layout.paneStats.made;

async function withTicker(fn: (t: Ticker, h: Harness) => Promise<void>, nameContext?: NameContext): Promise<void> {
  const h = start(['-a'], 200, 50, 'xterm', nameContext);
  try {
    const t = new Ticker(h, WORLD);
    await h.settle();
    // The interfaces' sparkline history fills and goes flat.
    await t.idle(HISTORY_LEN + 2);
    await fn(t, h);
  } finally {
    await h.close();
  }
}

test('an idle tick formats no pane; the screen still reads as every pane made afresh', async () => {
  await withTicker(async (t, h) => {
    const shown = h.d.layout.last.panes.map((r) => r.pane);
    for (const p of ['connections', 'interfaces', 'counters', 'icmp', 'routes'] as const) assert.ok(shown.includes(p), `${p} on screen`);
    const before = made(h);
    const kept = h.d.layout.paneStats.kept;
    await t.idle(3);
    assert.equal(made(h), before, 'no pane formatted on idle ticks');
    assert.ok(h.d.layout.paneStats.kept - kept >= 15, 'five panes kept on each of three ticks');
    panesFresh(h);
  });
});

test('each kind of change remakes the panes that show it, and only when it happens', async () => {
  await withTicker(async (t, h) => {
    const screen = (): string => h.lines().join('\n');
    const remade = async (what: string, step: () => Promise<void>, check: () => void): Promise<void> => {
      const before = made(h);
      await step();
      assert.ok(made(h) > before, `${what}: a pane made anew`);
      panesFresh(h);
      check();
      const after = made(h);
      await t.idle(2);
      // The tick after a change can still differ (deltas back to 0); two idle ticks later, nothing.
      await t.idle(1);
      const settled = made(h);
      await t.idle(2);
      assert.equal(made(h), settled, `${what}: idle again`);
      assert.ok(settled >= after);
      panesFresh(h);
    };
    await remade(
      'a counter moved',
      () =>
        t.change((s) => {
          const tcp = s.counters?.counters.Tcp;
          if (tcp) tcp.RetransSegs = 17;
        }),
      () => assert.match(screen(), /Tcp\.RetransSegs +17 +7 /),
    );
    await remade(
      'an MTU changed',
      () =>
        t.change((s) => {
          const eth = s.interfaces?.ok ? s.interfaces.value[1] : undefined;
          if (eth) eth.sys.mtu = 9000;
        }),
      () => assert.match(screen(), /eth0 .* 9000 /),
    );
    await remade(
      'a route came',
      () =>
        t.change((s) => {
          if (s.routes4?.ok) s.routes4.value.push(route4('192.168.7.0', '0.0.0.0', '255.255.255.0', 'eth0'));
        }),
      () => assert.match(screen(), /192\.168\.7\.0 /),
    );
    await remade(
      'a route use count moved',
      () =>
        t.change((s) => {
          const r = s.routes4?.ok ? s.routes4.value[0] : undefined;
          if (r) r.use = 4242;
        }),
      () => assert.match(screen(), / 4242$/m),
    );
    await remade(
      'a connection opened',
      () =>
        t.change((s) => {
          const tcp = s.inet.tcp;
          if (tcp?.ok) s.inet = { ...s.inet, tcp: { ...tcp, value: [...tcp.value, estab(22, 40555)] } };
        }),
      () => assert.match(screen(), /:40555 /),
    );
    await remade(
      'a key moved the cursor',
      () => h.press('j'),
      () => undefined,
    );
    await remade(
      'the mark was set',
      async () => {
        await h.press('m');
        // The engine counts from the mark from the next sample on.
        await t.idle(1);
      },
      () => assert.match(screen(), /Since mark/),
    );
  });
});

test('a pane that leaves the screen forgets its lines and inputs (they would keep an old table alive)', async () => {
  await withTicker(async (t, h) => {
    assert.ok(h.d.layout.memoized().includes('connections'));
    // The Processes pane (9) takes the connections' place in the big layout.
    await h.press('9');
    await t.idle(1);
    const shown = h.d.layout.last.panes.map((r) => r.pane);
    assert.ok(!shown.includes('connections'), `connections off screen: ${shown.join(' ')}`);
    assert.ok(!h.d.layout.memoized().includes('connections'));
    await h.press('1');
    await t.idle(1);
    assert.ok(h.d.layout.memoized().includes('connections'));
    panesFresh(h);
  });
});

test('a name resolved later (the store touched) remakes the connections', async () => {
  const known = new Map<string, string>();
  const ctx = names({ hostName: (a: string) => known.get(a) });
  await withTicker(async (t, h) => {
    assert.doesNotMatch(h.lines().join('\n'), /peer\.example/);
    known.set('10.0.0.9', 'peer.example');
    h.d.store.touch();
    await h.settle();
    assert.match(h.lines().join('\n'), /peer\.example/);
    panesFresh(h);
    await t.idle(1);
    panesFresh(h);
  }, ctx);
});

test('frames hand on the same routes, interfaces, history and link flags while nothing in them changed', () => {
  const f = new Feeder(1000);
  const b = new FrameBuilder();
  let raw = f.raw(WORLD);
  const build = (r: RawSample): ReturnType<FrameBuilder['build']> => b.build(f.engine.ingest(r));
  let frame = build(raw);
  for (let i = 0; i < HISTORY_LEN + 2; i++) {
    raw = idle(raw, 1000);
    frame = build(raw);
  }
  raw = idle(raw, 1000);
  const next = build(raw);
  assert.equal(next.routes, frame.routes);
  assert.equal(next.interfaces, frame.interfaces);
  assert.equal(next.history, frame.history);
  assert.equal(next.linkFlags, frame.linkFlags);
  assert.equal(next.conns.flags, frame.conns.flags);
  // Each changes when something in it does.
  const moved = idle(raw, 1000);
  const eth = moved.snapshot.interfaces?.ok ? moved.snapshot.interfaces.value[1] : undefined;
  assert.ok(eth);
  eth.counters.rxBytes = Number(eth.counters.rxBytes) + 5000;
  const busy = build(moved);
  assert.notEqual(busy.interfaces, next.interfaces, 'a counter moved: new interfaces');
  assert.notEqual(busy.history, next.history, 'a rate that is not flat: new history');
  assert.equal(busy.history.get('eth0')?.rx.at(-1), 5000);
  assert.equal(busy.routes, next.routes, 'the routes did not change');
  const down = idle(moved, 1000);
  const eth2 = down.snapshot.interfaces?.ok ? down.snapshot.interfaces.value[1] : undefined;
  assert.ok(eth2);
  eth2.sys.operstate = 'down';
  eth2.sys.flags = 0x1002;
  const linkDown = build(down);
  assert.notEqual(linkDown.linkFlags, busy.linkFlags, 'a link went down: a new flag');
  assert.equal(linkDown.linkFlags.get('eth0'), 'closed');
  const metric = idle(down, 1000);
  const r0 = metric.snapshot.routes4?.ok ? metric.snapshot.routes4.value[1] : undefined;
  assert.ok(r0);
  r0.irtt = 7;
  const irtt = build(metric);
  assert.notEqual(irtt.routes, linkDown.routes, 'a route field not in its key changed');
  assert.equal(irtt.routes[1]?.route.v4?.irtt, 7);
});
