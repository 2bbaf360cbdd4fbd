// The connections list is kept from frame to frame (only rows that may have moved are put back
// in place); it must always equal the list sorted from scratch. Checked on seeded random churn
// for every sort column, both directions, each scope, with and without a '/' filter, through
// pause, and across ticks where the sampler reused its socket table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseOptions } from '../src/cli/options.js';
import { fullOrder, patchOrder, type OrderSpec } from '../src/dashboard/lists/connection-order.js';
import { SORT_COLUMNS, Store, type Action } from '../src/dashboard/store.js';
import type { InetSocket, ProcessOwner } from '../src/model.js';
import type { RawSample } from '../src/sampler/sample-engine.js';
import { Feeder, names } from './helpers/dashboard-samples.js';
import { rng } from './helpers/mutate.js';

const ADDRS4 = ['10.0.0.1', '10.0.0.2', '10.0.0.10', '127.0.0.1', '0.0.0.0'];
const ADDRS6 = ['::1', 'fe80::1', '::ffff:10.0.0.2', '::'];

/** A churning socket table: rows are reused objects while nothing about them changes, as the
 *  netlink reader hands them back. */
class World {
  readonly live = new Map<string, InetSocket>();
  private inode = 1;
  constructor(private readonly rand: () => number) {}

  private pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.rand() * xs.length)]!;
  }

  private make(): InetSocket {
    const r = this.rand();
    const proto: InetSocket['proto'] = r < 0.5 ? 'tcp' : r < 0.75 ? 'tcp6' : r < 0.9 ? 'udp' : 'udp6';
    const v6 = proto.endsWith('6');
    const listening = this.rand() < 0.15;
    const addr = (): string => this.pick(v6 ? ADDRS6 : ADDRS4);
    const tcp = proto.startsWith('tcp');
    return {
      proto,
      family: v6 ? 6 : 4,
      localAddr: addr(),
      localPort: this.pick([22, 80, 443, 5000, 1024 + Math.floor(this.rand() * 50)]),
      remoteAddr: listening ? (v6 ? '::' : '0.0.0.0') : addr(),
      remotePort: listening ? 0 : 30000 + Math.floor(this.rand() * 40),
      state: tcp ? (listening ? 10 : this.pick([1, 1, 1, 6, 8])) : listening ? 7 : 1,
      recvQ: Math.floor(this.rand() * 3),
      sendQ: Math.floor(this.rand() * 3),
      timer: { kind: 0, expires: 0, retransmits: 0, timeout: 0 },
      uid: this.pick([0, 1000, 33]),
      inode: this.inode++,
    };
  }

  private key(s: InetSocket): string {
    return `${s.proto}|${s.localAddr}|${s.localPort}|${s.remoteAddr}|${s.remotePort}${s.remotePort === 0 ? `|${s.inode}` : ''}`;
  }

  step(): InetSocket[] {
    const opens = Math.floor(this.rand() * 6);
    for (let i = 0; i < opens; i++) {
      const s = this.make();
      const k = this.key(s);
      if (!this.live.has(k)) this.live.set(k, s);
    }
    for (const [k, s] of this.live) {
      const r = this.rand();
      if (r < 0.04) this.live.delete(k);
      else if (r < 0.08 && s.proto.startsWith('tcp') && s.remotePort !== 0) this.live.set(k, { ...s, state: s.state === 1 ? 8 : 1 });
      else if (r < 0.14) this.live.set(k, { ...s, recvQ: s.recvQ + 1, sendQ: Math.max(0, s.sendQ - 1) });
    }
    return [...this.live.values()];
  }
}

const keysOf = (s: Store): string[] => s.visibleRows('connections', 100_000, 160).rows.map((r) => r.key);

test('connections list kept across frames equals the list sorted afresh, for every sort, scope and filter', () => {
  const configs: { label: string; argv: string[]; actions: Action[] }[] = [];
  for (const [col, name] of SORT_COLUMNS.connections.entries()) {
    for (const reverse of [false, true]) {
      const actions: Action[] = [];
      for (let i = 0; i < col; i++) actions.push({ type: 'sortNext' });
      if (reverse) actions.push({ type: 'sortReverse' });
      configs.push({ label: `sort ${name}${reverse ? ' reversed' : ''}`, argv: ['-a'], actions });
    }
  }
  configs.push({ label: 'connected only', argv: [], actions: [] });
  configs.push({
    label: 'listening only, sort state',
    argv: ['-l'],
    actions: [{ type: 'sortNext' }, { type: 'sortNext' }, { type: 'sortNext' }],
  });
  configs.push({
    label: "filter '10.0.0.2', sort program",
    argv: ['-a'],
    actions: [
      { type: 'filterStart' },
      { type: 'filterInput', text: '10.0.0.2' },
      { type: 'filterAccept' },
      ...Array<Action>(6).fill({ type: 'sortNext' }),
    ],
  });

  for (const [n, cfg] of configs.entries()) {
    const rand = rng(1000 + n);
    const world = new World(rand);
    const f = new Feeder(1000);
    const kept = new Store(parseOptions(cfg.argv), { names: names() });
    const afresh = new Store(parseOptions(cfg.argv), { names: names() });
    for (const a of cfg.actions) {
      kept.dispatch(a);
      afresh.dispatch(a);
    }
    let owners = new Map<number, ProcessOwner>();
    let lastInet: RawSample['snapshot']['inet'] | null = null;
    for (let tick = 0; tick < 60; tick++) {
      const socks = world.step();
      // Owners are rescanned now and then (a new map), as the sampler does every few seconds.
      if (tick % 4 === 0) {
        owners = new Map(socks.map((s) => [s.inode, { pid: 100 + (s.inode % 7), program: `p${s.inode % 5}` }]));
      }
      const raw = f.raw({ inet: socks, owners });
      // Every fifth tick the sampler did not read the table again: the same objects come back.
      if (tick % 5 === 4 && lastInet) raw.snapshot.inet = lastInet;
      lastInet = raw.snapshot.inet;
      const sample = f.engine.ingest(raw);
      kept.ingest(sample);
      afresh.ingest(sample);
      // Pause for a few ticks now and then: the frozen frame, then a jump of several frames.
      if (tick === 20 || tick === 24) {
        kept.dispatch({ type: 'togglePause' });
        afresh.dispatch({ type: 'togglePause' });
      }
      afresh.touch();
      assert.deepEqual(keysOf(kept), keysOf(afresh), `${cfg.label}, tick ${tick}`);
    }
    assert.ok(kept.listStats.patched > 20, `${cfg.label}: most frames were patched, not rebuilt (${JSON.stringify(kept.listStats)})`);
    assert.equal(afresh.listStats.patched, 0);
  }
});

test('patchOrder: taking rows out and putting rows in gives the sorted list, and nothing touched is the same array', () => {
  const rand = rng(7);
  const world = new World(rand);
  for (let round = 0; round < 40; round++) {
    const before = new Map(world.live);
    world.step();
    const after = world.live;
    for (const col of ['proto', 'local', 'remote', 'state', 'recv-q', 'inode'] as const) {
      for (const dir of [1, -1] as const) {
        const spec: OrderSpec = { col, dir, owners: null };
        const prev = fullOrder(spec, [...before.keys()], [...before.values()]);
        const touched = new Set<string>();
        for (const k of new Set([...before.keys(), ...after.keys()])) if (before.get(k) !== after.get(k)) touched.add(k);
        const add = [...touched].filter((k) => after.has(k)).map((key) => ({ key, sock: after.get(key)! }));
        const got = patchOrder(spec, prev, touched, add, (k) => after.get(k));
        assert.deepEqual(got, fullOrder(spec, [...after.keys()], [...after.values()]), `round ${round}, ${col} ${dir}`);
      }
    }
  }
  const spec: OrderSpec = { col: 'proto', dir: 1, owners: null };
  const prev = fullOrder(spec, [...world.live.keys()], [...world.live.values()]);
  assert.equal(
    patchOrder(spec, prev, new Set(), [], (k) => world.live.get(k)),
    prev,
  );
});
