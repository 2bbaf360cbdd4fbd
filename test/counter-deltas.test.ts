import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CounterTracker,
  defaultIsGauge,
  flattenCounters,
  flattenInterfaces,
  ratioPct,
  retransPct,
  utilisationPct,
  wrap32Delta,
  WRAP_FLOOR,
  type CounterSample,
  type CounterStat,
} from '../src/sampler/counter-deltas.js';
import type { IfCounters, NetInterface } from '../src/model.js';
import { SampleEngine } from '../src/sampler/sample-engine.js';

const BOOT = 1_700_000_000;

function sample(at: number, values: Record<string, number>, extra: Partial<CounterSample> = {}): CounterSample {
  return { at, bootTime: BOOT, values: new Map(Object.entries(values)), identities: new Map(), ...extra };
}

function get(m: Map<string, CounterStat>, key: string): CounterStat {
  const s = m.get(key);
  assert.ok(s, `no stat for ${key}`);
  return s;
}

test('first sample: no delta, no rate, reset first, sinceMark 0', () => {
  const t = new CounterTracker();
  const out = t.update(sample(1000, { 'Tcp.OutSegs': 500, 'Tcp.CurrEstab': 3 }));
  assert.deepEqual(get(out, 'Tcp.OutSegs'), { total: 500, delta: null, rate: null, sinceMark: 0, reset: 'first', gauge: false });
  assert.deepEqual(get(out, 'Tcp.CurrEstab'), { total: 3, delta: null, rate: null, sinceMark: 0, reset: 'first', gauge: true });
  assert.deepEqual(t.markInfo, { at: 1000, reason: 'start' });
});

test('normal increase uses really elapsed time (late tick 3.1 s)', () => {
  const t = new CounterTracker();
  t.update(sample(10_000, { 'Tcp.OutSegs': 100 }));
  const a = get(t.update(sample(12_000, { 'Tcp.OutSegs': 300 })), 'Tcp.OutSegs');
  assert.equal(a.delta, 200);
  assert.equal(a.rate, 100);
  assert.equal(a.reset, null);
  const b = get(t.update(sample(15_100, { 'Tcp.OutSegs': 610 })), 'Tcp.OutSegs');
  assert.equal(b.delta, 310);
  assert.equal(b.rate, 310 / 3.1);
  assert.equal(b.sinceMark, 510);
});

test('32-bit wrap: valid wrap-corrected delta, flagged wrap32', () => {
  const t = new CounterTracker();
  const top = 2 ** 32 - 1000;
  t.update(sample(0, { 'if.eth0.rxPackets': top }));
  const s = get(t.update(sample(2000, { 'if.eth0.rxPackets': 500 })), 'if.eth0.rxPackets');
  assert.equal(s.reset, 'wrap32');
  assert.equal(s.delta, 1500);
  assert.equal(s.rate, 750);
  assert.equal(s.sinceMark, 1500);
  // and it carries on normally from the wrapped value
  const n = get(t.update(sample(4000, { 'if.eth0.rxPackets': 700 })), 'if.eth0.rxPackets');
  assert.equal(n.delta, 200);
  assert.equal(n.reset, null);
});

test('wrap rule: a big wrap is believed only if the counter has shown that speed', () => {
  const big = 200_000_000; // well above WRAP_FLOOR
  assert.ok(big > WRAP_FLOOR);
  const prev = 2 ** 32 - big / 2;
  // no history: too big to believe
  assert.equal(wrap32Delta(prev, big / 2, 0, 2), null);
  // history of 30M/s over 2 s, factor 4 → 240M allowed
  assert.equal(wrap32Delta(prev, big / 2, 30_000_000, 2), big);
  // prev not in the top half, or beyond 32 bits: never a wrap
  assert.equal(wrap32Delta(2 ** 31 - 1, 0, 0, 2), null);
  assert.equal(wrap32Delta(2 ** 32 + 5, 0, 0, 2), null);
  // more than half the range per tick is ambiguous even for a fast counter
  assert.equal(wrap32Delta(2 ** 31 + 1, 2 ** 31, 1e12, 2), null);
  // no elapsed time: only the floor counts
  assert.equal(wrap32Delta(prev, big / 2, 30_000_000, null), null);
});

test('wrap of a fast counter is recognised through the tracker using its observed rate', () => {
  const t = new CounterTracker();
  const key = 'if.eth0.rxBytes';
  t.update(sample(0, { [key]: 4_000_000_000 - 200_000_000 }));
  const fast = get(t.update(sample(2000, { [key]: 4_000_000_000 })), key); // 100 MB/s
  assert.equal(fast.rate, 100_000_000);
  // 400 MB in 2 s, over the top: above the floor, within 4x the observed 100 MB/s
  const w = get(t.update(sample(4000, { [key]: 4_000_000_000 + 400_000_000 - 2 ** 32 })), key);
  assert.equal(w.reset, 'wrap32');
  assert.equal(w.delta, 400_000_000);
  // the same jump on a counter that never moved that fast is a reset
  const slow = new CounterTracker();
  slow.update(sample(0, { [key]: 4_000_000_000 - 2 }));
  slow.update(sample(2000, { [key]: 4_000_000_000 }));
  assert.equal(get(slow.update(sample(4000, { [key]: 4_000_000_000 + 400_000_000 - 2 ** 32 })), key).reset, 'went-backwards');
});

test('reset to 0 is went-backwards: no delta, baseline restarts, never negative', () => {
  const t = new CounterTracker();
  const key = 'if.eth0.txBytes';
  t.update(sample(0, { [key]: 3_500_000_000 })); // 32-bit range, top half: looks wrap-able
  t.update(sample(2000, { [key]: 3_500_001_000 }));
  const s = get(t.update(sample(4000, { [key]: 0 })), key);
  assert.equal(s.reset, 'went-backwards');
  assert.equal(s.delta, null);
  assert.equal(s.rate, null);
  assert.equal(s.sinceMark, 1000);
  const n = get(t.update(sample(6000, { [key]: 40 })), key);
  assert.equal(n.delta, 40);
  assert.equal(n.reset, null);
  assert.equal(n.sinceMark, 1040);
  // a 64-bit-sized counter going down is never a wrap either
  const u = new CounterTracker();
  u.update(sample(0, { k: 2 ** 40 }));
  assert.equal(get(u.update(sample(2000, { k: 5 })), 'k').reset, 'went-backwards');
});

test('reboot: every counter restarts, mark is rebased to the reboot', () => {
  const t = new CounterTracker();
  t.update(sample(0, { a: 10, b: 20, 'Tcp.CurrEstab': 4 }));
  t.update(sample(2000, { a: 15, b: 30, 'Tcp.CurrEstab': 6 }));
  const out = t.update(sample(4000, { a: 1000, b: 1, 'Tcp.CurrEstab': 1, c: 7 }, { bootTime: BOOT + 86_400 }));
  for (const k of ['a', 'b', 'Tcp.CurrEstab']) {
    const s = get(out, k);
    assert.equal(s.reset, 'reboot', k);
    assert.equal(s.delta, null);
    assert.equal(s.rate, null);
    assert.equal(s.sinceMark, 0);
  }
  assert.equal(get(out, 'c').reset, 'appeared');
  assert.deepEqual(t.markInfo, { at: 4000, reason: 'reboot' });
  const next = t.update(sample(6000, { a: 1010, b: 3, 'Tcp.CurrEstab': 2, c: 8 }, { bootTime: BOOT + 86_400 }));
  assert.equal(get(next, 'a').delta, 10);
  assert.equal(get(next, 'a').sinceMark, 10);
  assert.equal(get(next, 'b').sinceMark, 2);
});

test('boot_id decides over btime (an NTP step moves btime, not boot_id)', () => {
  const t = new CounterTracker();
  t.update(sample(0, { a: 10 }, { bootId: 'x' }));
  const stepped = get(t.update(sample(2000, { a: 12 }, { bootId: 'x', bootTime: BOOT + 3600 })), 'a');
  assert.equal(stepped.reset, null);
  assert.equal(stepped.delta, 2);
  const rebooted = get(t.update(sample(4000, { a: 1 }, { bootId: 'y', bootTime: BOOT + 3600 })), 'a');
  assert.equal(rebooted.reset, 'reboot');
});

test('interface re-created (ifindex changed): its counters restart, others do not', () => {
  const t = new CounterTracker();
  const ids = (eth0: string): Map<string, string> =>
    new Map([
      ['if.eth0', eth0],
      ['if.eth0.100', '9'],
    ]);
  t.update(sample(0, { 'if.eth0.rxBytes': 5000, 'if.eth0.100.rxBytes': 70, 'Tcp.OutSegs': 1 }, { identities: ids('3') }));
  const out = t.update(sample(2000, { 'if.eth0.rxBytes': 9000, 'if.eth0.100.rxBytes': 90, 'Tcp.OutSegs': 2 }, { identities: ids('7') }));
  const s = get(out, 'if.eth0.rxBytes');
  assert.equal(s.reset, 'identity-changed');
  assert.equal(s.delta, null);
  assert.equal(s.rate, null);
  // 'if.eth0.100' (a VLAN, dotted name) is its own prefix and kept its identity
  assert.equal(get(out, 'if.eth0.100.rxBytes').delta, 20);
  assert.equal(get(out, 'Tcp.OutSegs').delta, 1);
  const n = get(
    t.update(sample(4000, { 'if.eth0.rxBytes': 9100, 'if.eth0.100.rxBytes': 90, 'Tcp.OutSegs': 2 }, { identities: ids('7') })),
    'if.eth0.rxBytes',
  );
  assert.equal(n.delta, 100);
  assert.equal(n.reset, null);
});

test('an identity missing for a tick is unknown, not a change', () => {
  const t = new CounterTracker();
  t.update(sample(0, { 'if.eth0.rxBytes': 1 }, { identities: new Map([['if.eth0', '3']]) }));
  assert.equal(get(t.update(sample(2000, { 'if.eth0.rxBytes': 2 })), 'if.eth0.rxBytes').reset, null);
  assert.equal(
    get(t.update(sample(4000, { 'if.eth0.rxBytes': 3 }, { identities: new Map([['if.eth0', '3']]) })), 'if.eth0.rxBytes').reset,
    null,
  );
  assert.equal(
    get(t.update(sample(6000, { 'if.eth0.rxBytes': 4 }, { identities: new Map([['if.eth0', '4']]) })), 'if.eth0.rxBytes').reset,
    'identity-changed',
  );
});

test('vanished counter is reported once with its last value, then forgotten', () => {
  const t = new CounterTracker();
  t.update(sample(0, { a: 1, gone: 50 }));
  t.update(sample(2000, { a: 2, gone: 60 }));
  const out = t.update(sample(4000, { a: 3 }));
  assert.deepEqual(get(out, 'gone'), { total: 60, delta: null, rate: null, sinceMark: 10, reset: 'vanished', gauge: false });
  assert.equal(t.size, 1);
  const later = t.update(sample(6000, { a: 4 }));
  assert.equal(later.has('gone'), false);
  // coming back is a fresh appearance
  assert.equal(get(t.update(sample(8000, { a: 5, gone: 70 })), 'gone').reset, 'appeared');
});

test('new counter: appeared, no delta, then normal', () => {
  const t = new CounterTracker();
  t.update(sample(0, { a: 1 }));
  const s = get(t.update(sample(2000, { a: 2, 'TcpExt.TCPNewThing': 4 })), 'TcpExt.TCPNewThing');
  assert.deepEqual(s, { total: 4, delta: null, rate: null, sinceMark: 0, reset: 'appeared', gauge: false });
  assert.equal(get(t.update(sample(4000, { a: 3, 'TcpExt.TCPNewThing': 6 })), 'TcpExt.TCPNewThing').rate, 1);
});

test('ICMP per-type counters the kernel lists only once nonzero count from 0 when they appear', () => {
  const t = new CounterTracker();
  t.update(sample(0, { a: 1 }));
  const out = t.update(sample(2000, { a: 2, 'IcmpMsg.InType3': 4, 'Icmp6.OutType135': 2 }));
  assert.deepEqual(get(out, 'IcmpMsg.InType3'), { total: 4, delta: 4, rate: 2, sinceMark: 4, reset: null, gauge: false });
  assert.equal(get(out, 'Icmp6.OutType135').delta, 2);
  const next = get(t.update(sample(4000, { a: 3, 'IcmpMsg.InType3': 6, 'Icmp6.OutType135': 2 })), 'IcmpMsg.InType3');
  assert.equal(next.delta, 2);
  assert.equal(next.sinceMark, 6); // every message since the start is counted
});

test('zero or negative elapsed time: rate null, never Infinity/NaN; delta kept', () => {
  const t = new CounterTracker();
  t.update(sample(5000, { a: 1 }));
  const z = get(t.update(sample(5000, { a: 4 })), 'a');
  assert.equal(z.delta, 3);
  assert.equal(z.rate, null);
  const neg = get(t.update(sample(4000, { a: 6 })), 'a');
  assert.equal(neg.delta, 2);
  assert.equal(neg.rate, null);
  const ok = get(t.update(sample(6000, { a: 10 })), 'a');
  assert.equal(ok.rate, 2);
});

test('gauges going down: negative delta, no rate, no reset', () => {
  const t = new CounterTracker({ isGauge: (k) => k === 'q' || defaultIsGauge(k) });
  t.update(sample(0, { 'Tcp.CurrEstab': 10, q: 5, 'gauge.tcp.TIME_WAIT': 100 }));
  const out = t.update(sample(2000, { 'Tcp.CurrEstab': 4, q: 0, 'gauge.tcp.TIME_WAIT': 120 }));
  assert.deepEqual(get(out, 'Tcp.CurrEstab'), { total: 4, delta: -6, rate: null, sinceMark: -6, reset: null, gauge: true });
  assert.equal(get(out, 'q').delta, -5);
  assert.equal(get(out, 'gauge.tcp.TIME_WAIT').delta, 20);
  assert.equal(get(out, 'gauge.tcp.TIME_WAIT').rate, null);
  assert.equal(defaultIsGauge('Ip6.InReceives'), false);
  assert.equal(defaultIsGauge('MPTcpExt.MPCurrEstab'), true);
});

test('mark then more deltas: sinceMark exact', () => {
  const t = new CounterTracker();
  t.update(sample(0, { a: 100 }));
  t.update(sample(2000, { a: 150 }));
  t.mark();
  assert.deepEqual(t.markInfo, { at: 2000, reason: 'mark' });
  assert.equal(get(t.update(sample(4000, { a: 170 })), 'a').sinceMark, 20);
  assert.equal(get(t.update(sample(6000, { a: 200, b: 5 })), 'a').sinceMark, 50);
  assert.equal(get(t.update(sample(8000, { a: 201, b: 9 })), 'b').sinceMark, 4);
});

test('sinceMark across a reset keeps accumulating from the restart', () => {
  const t = new CounterTracker();
  const k = 'if.x.rxBytes';
  const id = (v: string): Partial<CounterSample> => ({ identities: new Map([['if.x', v]]) });
  t.update(sample(0, { [k]: 1000 }));
  t.mark();
  t.update(sample(2000, { [k]: 1300 })); // +300
  t.update(sample(4000, { [k]: 10 })); // went-backwards: no contribution
  assert.equal(get(t.update(sample(6000, { [k]: 60 })), k).sinceMark, 350); // +50
  t.update(sample(8000, { [k]: 80 }, id('5'))); // identity first known: +20, no reset
  const changed = get(t.update(sample(10_000, { [k]: 3 }, id('6'))), k); // re-created: no contribution
  assert.equal(changed.reset, 'identity-changed');
  assert.equal(changed.sinceMark, 370);
  assert.equal(get(t.update(sample(12_000, { [k]: 8 }, id('6'))), k).sinceMark, 375); // +5
});

test('deltas over many ticks sum exactly to the difference of totals', () => {
  const t = new CounterTracker();
  let v = 2 ** 52; // large integers stay exact below 2^53
  const first = v;
  let sum = 0;
  let at = 0;
  t.update(sample(at, { big: v, small: 0 }));
  let small = 0;
  // deterministic pseudo-random steps
  let seed = 12345;
  for (let i = 0; i < 1000; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const step = seed % 100_000;
    v += step;
    small += step % 7;
    at += 1900 + (seed % 300);
    const out = t.update(sample(at, { big: v, small }));
    const d = get(out, 'big').delta;
    assert.notEqual(d, null);
    sum += d ?? 0;
  }
  const last = t.update(sample(at + 2000, { big: v, small }));
  assert.equal(sum, v - first);
  assert.equal(get(last, 'big').sinceMark, v - first);
  assert.equal(get(last, 'small').sinceMark, small);
});

test('non-finite values are ignored (and so vanish) rather than poisoning sums', () => {
  const t = new CounterTracker();
  t.update(sample(0, { a: 1, b: 2 }));
  const out = t.update(sample(2000, { a: NaN, b: 3 }));
  assert.equal(get(out, 'a').reset, 'vanished');
  assert.equal(get(out, 'b').delta, 1);
});

test('ratio, retransmission and utilisation helpers', () => {
  assert.equal(retransPct(5, 1000), 0.5);
  assert.equal(retransPct(0, 0), null);
  assert.equal(retransPct(null, 100), null);
  assert.equal(ratioPct(1, 4), 25);
  assert.equal(ratioPct(-1, 4), null);
  assert.equal(ratioPct(1, -4), null);
  assert.equal(utilisationPct(12_500_000, 1000), 10); // 100 Mb/s on a gigabit link
  assert.equal(utilisationPct(12_500_000, undefined), null);
  assert.equal(utilisationPct(12_500_000, -1), null);
  assert.equal(utilisationPct(12_500_000, 0), null);
  assert.equal(utilisationPct(null, 1000), null);
});

test('flattenCounters and flattenInterfaces', () => {
  const flat = flattenCounters({ Tcp: { RetransSegs: 5, OutSegs: 10 }, IcmpMsg: { InType3: 1 } });
  assert.deepEqual(
    [...flat],
    [
      ['Tcp.RetransSegs', 5],
      ['Tcp.OutSegs', 10],
      ['IcmpMsg.InType3', 1],
    ],
  );

  const counters = (base: number): IfCounters => ({
    rxBytes: base,
    rxPackets: 1,
    rxErrs: 0,
    rxDrop: 0,
    rxFifo: 0,
    rxFrame: 0,
    rxCompressed: 0,
    rxMulticast: 0,
    txBytes: base * 2,
    txPackets: 2,
    txErrs: 0,
    txDrop: 0,
    txFifo: 0,
    txColls: 0,
    txCarrier: 0,
    txCompressed: 0,
  });
  const ifs: NetInterface[] = [
    { name: 'eth0', counters: counters(100), sys: { ifindex: 3, rxNohandler: 7 } },
    { name: 'veth1.5', counters: counters(1), sys: {} },
  ];
  const { values, identities } = flattenInterfaces(ifs);
  assert.equal(values.size, 16 + 1 + 16);
  assert.equal(values.get('if.eth0.rxBytes'), 100);
  assert.equal(values.get('if.eth0.txBytes'), 200);
  assert.equal(values.get('if.eth0.rxNohandler'), 7);
  assert.equal(values.get('if.veth1.5.txCompressed'), 0);
  assert.deepEqual([...identities], [['if.eth0', '3']]);
});

test('about a thousand keys per tick stays cheap', () => {
  const t = new CounterTracker();
  const keys = Array.from({ length: 1000 }, (_, i) => `if.veth${i}.rxBytes`);
  const identities = new Map(keys.map((k, i) => [k.slice(0, k.lastIndexOf('.')), String(i)]));
  const started = process.hrtime.bigint();
  for (let tick = 0; tick < 200; tick++) {
    const values = new Map(keys.map((k, i) => [k, tick * 1000 + i]));
    t.update({ at: tick * 2000, bootTime: BOOT, values, identities });
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  assert.ok(ms < 2000, `200 ticks of 1000 keys took ${ms} ms`);
});

test('a tick where every stat is as the last one gives the last map again; any change, a new key or a mark a new one', () => {
  const t = new CounterTracker();
  t.update(sample(0, { 'Tcp.OutSegs': 10, 'Ip.InReceives': 5 }));
  const moved = t.update(sample(1000, { 'Tcp.OutSegs': 20, 'Ip.InReceives': 5 }));
  const still = t.update(sample(2000, { 'Tcp.OutSegs': 20, 'Ip.InReceives': 5 }));
  assert.notEqual(still, moved, 'the delta went from 10 to 0');
  const again = t.update(sample(3000, { 'Tcp.OutSegs': 20, 'Ip.InReceives': 5 }));
  assert.equal(again, still, 'nothing changed: the same map');
  assert.equal(get(again, 'Tcp.OutSegs').delta, 0);
  const grown = t.update(sample(4000, { 'Tcp.OutSegs': 20, 'Ip.InReceives': 5, 'Udp.InErrors': 0 }));
  assert.notEqual(grown, again, 'a key appeared');
  const same = t.update(sample(5000, { 'Tcp.OutSegs': 20, 'Ip.InReceives': 5, 'Udp.InErrors': 0 }));
  assert.notEqual(same, grown, "the new key's reset went");
  assert.equal(t.update(sample(6000, { 'Tcp.OutSegs': 20, 'Ip.InReceives': 5, 'Udp.InErrors': 0 })), same);
  assert.notEqual(t.update(sample(7000, { 'Tcp.OutSegs': 21, 'Ip.InReceives': 5, 'Udp.InErrors': 0 })), same);
});

test('the engine writes each tick into the last map only while the keys are the same: a key that comes sits in its group, one that goes is reported gone', () => {
  const engine = new SampleEngine();
  let mono = 0;
  const tick = (groups: Record<string, Record<string, number>>): Map<string, CounterStat> =>
    engine.ingest({
      mono: (mono += 1000),
      boot: { bootTime: BOOT },
      snapshot: { time: mono, inet: {}, counters: { counters: groups, errors: [], skipped: 0 } },
    }).stats;
  const base = { IcmpMsg: { InType0: 1, OutType8: 1 }, Tcp: { RetransSegs: 5 } };
  tick(base);
  tick(base);
  // A new ICMP type appears in its group, before Tcp: as a fresh engine would list it.
  const grown = { IcmpMsg: { InType0: 1, InType3: 2, OutType8: 1 }, Tcp: { RetransSegs: 6 } };
  const s = tick(grown);
  assert.deepEqual([...s.keys()], ['IcmpMsg.InType0', 'IcmpMsg.InType3', 'IcmpMsg.OutType8', 'Tcp.RetransSegs']);
  assert.equal(s.get('Tcp.RetransSegs')?.delta, 1);
  // An ICMP type counts from zero when it first shows up (the kernel lists it at its first message).
  assert.equal(s.get('IcmpMsg.InType3')?.delta, 2);
  // One goes: reported once as vanished, then not at all.
  const gone = tick({ IcmpMsg: { InType0: 1, OutType8: 1 }, Tcp: { RetransSegs: 6 } });
  assert.equal(gone.get('IcmpMsg.InType3')?.reset, 'vanished');
  const after = tick({ IcmpMsg: { InType0: 1, OutType8: 1 }, Tcp: { RetransSegs: 7 } });
  assert.deepEqual([...after.keys()], ['IcmpMsg.InType0', 'IcmpMsg.OutType8', 'Tcp.RetransSegs']);
  assert.equal(after.get('Tcp.RetransSegs')?.delta, 1);
});
