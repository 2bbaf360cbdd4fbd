// systeminformation is asked again only when the set of interfaces changes.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { InterfaceMetaCache, type SiInterface } from '../src/sources/interface-meta.js';
import type { NetInterface } from '../src/model.js';
import { IF_COUNTER_NAMES, type IfCounters } from '../src/model.js';

const zero = Object.fromEntries(IF_COUNTER_NAMES.map((k) => [k, 0])) as unknown as IfCounters;
const nif = (name: string, ifindex: number): NetInterface => ({ name, counters: zero, sys: { ifindex } });

it('loads once per distinct interface set and survives a failing loader', async () => {
  let calls = 0;
  const list: SiInterface[] = [{ iface: 'eth0', ip4: '10.0.0.2', ip6: '', mac: '02:00:00:00:00:01', type: 'wired', default: true }];
  const cache = new InterfaceMetaCache(async () => {
    calls++;
    return list;
  });
  const a = [nif('lo', 1), nif('eth0', 2)];
  assert.equal((await cache.get(a))[0]?.isDefault, true);
  await cache.get([nif('eth0', 2), nif('lo', 1)]); // same set, other order
  assert.equal(calls, 1);
  await cache.get([nif('lo', 1), nif('eth0', 7)]); // eth0 re-created
  await cache.get([nif('lo', 1)]); // eth0 gone
  assert.equal(calls, 3);
  const failing = new InterfaceMetaCache(async () => {
    throw new Error('spawn failed');
  });
  assert.deepEqual(await failing.get(a), []);
});
