// Link events and the per-kind event log: interfaces added, removed, set up or down, MTU,
// speed and address changes; a flood of connection events never pushes them out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseOptions } from '../src/cli/options.js';
import { EVENT_BOUNDS } from '../src/dashboard/frame.js';
import { Store } from '../src/dashboard/store.js';
import { diffLinks } from '../src/sampler/link-diff.js';
import { InterfaceMetaCache } from '../src/sources/interface-meta.js';
import type { NetInterface } from '../src/model.js';
import { estab, Feeder, names, nif, snapshot } from './helpers/dashboard-samples.js';

const link = (name: string, sys: Partial<NetInterface['sys']>, ifindex = 2): NetInterface => {
  const i = nif(name, {}, ifindex);
  return { ...i, sys: { ...i.sys, ...sys } };
};

test('diffLinks: added, removed, re-created, set down/up, operstate, MTU, speed, addresses', () => {
  const a = snapshot(0, { interfaces: [link('eth0', { speed: 1000 }), link('eth1', {}, 3), link('old', {}, 4)] });
  a.interfaceMeta = [{ name: 'eth0', ip4: '10.0.0.1', ip6: '', mac: '', type: 'ether', isDefault: false }];
  const b = snapshot(1, {
    interfaces: [link('eth0', { flags: 0x1002, operstate: 'down', mtu: 1400, speed: 100 }), link('eth1', {}, 9), link('new', {}, 5)],
  });
  b.interfaceMeta = [{ name: 'eth0', ip4: '10.0.0.2', ip6: 'fd00::1', mac: '', type: 'ether', isDefault: false }];
  const texts = diffLinks(a, b).map((c) => `${c.kind}: ${c.text}`);
  assert.deepEqual(texts, [
    'down: eth0 set down (flags)',
    'down: eth0 operstate up → down',
    'mtu: eth0 MTU 1500 → 1400',
    'speed: eth0 speed 1000 Mb/s → 100 Mb/s',
    'added: eth1 re-created (index 3 → 9)',
    'added: new added (index 5, up)',
    'removed: old removed',
    'addr-: eth0 address 10.0.0.1 removed',
    'addr+: eth0 address 10.0.0.2 added',
    'addr+: eth0 address fd00::1 added',
  ]);
  assert.deepEqual(diffLinks(null, b), []);
  assert.deepEqual(diffLinks(b, b), []);
});

test('events: a link down/up and an MTU change stay in the log after 3,000 connection events; the interfaces row is flagged', () => {
  const s = new Store(parseOptions(['-a']), { names: names(), host: { name: 'h', kernel: 'k' } });
  const f = new Feeder();
  const ifs = (sys: Partial<NetInterface['sys']> = {}): NetInterface[] => [link('eth0', sys), link('lo', {}, 1)];
  s.ingest(f.next({ interfaces: ifs() }));
  s.ingest(f.next({ interfaces: ifs({ flags: 0x1002, operstate: 'down' }) }));
  const row = (): string | null | undefined => s.visibleRows('interfaces', 10, 120).rows.find((r) => r.key === 'eth0')?.status;
  assert.equal(row(), 'closed', 'a link that went down is flagged in the interfaces pane');
  s.ingest(f.next({ interfaces: ifs() }));
  assert.equal(row(), 'new');
  s.ingest(f.next({ interfaces: ifs({ mtu: 1400 }) }));
  assert.equal(row(), 'changed');
  // 3,000 connection events: 1,000 opened in each of three ticks, then all closed.
  for (let t = 0; t < 3; t++) {
    const inet = Array.from({ length: 1000 }, (_, k) => estab(80, 10_000 + t * 1000 + k));
    s.ingest(f.next({ interfaces: ifs({ mtu: 1400 }), inet }));
  }
  s.ingest(f.next({ interfaces: ifs({ mtu: 1400 }), inet: [] }));
  const events = s.frame.events;
  const conn = events.filter((e) => e.kind === 'open' || e.kind === 'close' || e.kind === 'state');
  assert.equal(conn.length, EVENT_BOUNDS.connections, 'the connection events are bounded on their own');
  const texts = events.filter((e) => e.kind === 'link').map((e) => e.text);
  for (const want of [
    'eth0 set down (flags)',
    'eth0 operstate up → down',
    'eth0 set up (flags)',
    'eth0 operstate down → up',
    'eth0 MTU 1500 → 1400',
  ]) {
    assert.ok(texts.includes(want), `${want} in ${texts.join(' | ')}`);
  }
  // The events pane lists them, with their time, as link events.
  s.dispatch({ type: 'focus', pane: 'events' });
  s.dispatch({ type: 'filterStart' });
  for (const ch of 'mtu') s.dispatch({ type: 'filterInput', text: ch });
  const shown = s.visibleRows('events', 10, 120).rows;
  assert.equal(shown.length, 1);
  assert.match(shown[0]?.text ?? '', /^\d\d:\d\d:\d\d link +eth0 MTU 1500 → 1400$/);
  assert.equal(shown[0]?.status, 'changed');
});

test('interface metadata: loaded again for a new interface set, and when older than the refresh period', async () => {
  let loads = 0;
  const cache = new InterfaceMetaCache(async (names) => {
    loads++;
    return names.map((n) => ({ iface: n, ip4: `10.0.0.${loads}`, ip6: '', mac: '', type: 'ether', default: false }));
  }, 5000);
  const ifs = [nif('eth0')];
  assert.equal((await cache.get(ifs, 0))[0]?.ip4, '10.0.0.1');
  assert.equal((await cache.get(ifs, 4999))[0]?.ip4, '10.0.0.1');
  assert.equal((await cache.get(ifs, 5000))[0]?.ip4, '10.0.0.2', 'an address that changed is seen after the refresh period');
  assert.equal((await cache.get([...ifs, nif('eth1', {}, 3)], 5001)).length, 2);
  const never = new InterfaceMetaCache(async () => {
    loads++;
    return [];
  });
  await never.get(ifs, 0);
  await never.get(ifs, 1e9);
  assert.equal(never.loadCount, 1, 'without a period only a new set loads');
});
