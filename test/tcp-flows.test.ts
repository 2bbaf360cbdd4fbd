// Per-connection tcp_info deltas and the per-process / per-peer sums (issue 13), on rows
// built by hand: the counter engine's rules for first samples, new and reused connections,
// resets and the mark.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { InetSocket, ProcessOwner, TcpInfo } from '../src/model.js';
import { aggregate, peerAddress, retransPct } from '../src/sampler/flow-aggregates.js';
import { connectionKeys } from '../src/sampler/connection-diff.js';
import { decodeRaw, encodeRaw } from '../src/sampler/recording.js';
import { SampleEngine, type RawSample } from '../src/sampler/sample-engine.js';
import { FlowTracker, perSecond, RETRANS, RX, TX, type FlowTable } from '../src/sampler/tcp-flows.js';

const NO_TIMER = { kind: 0, expires: 0, retransmits: 0, timeout: 0 };

/** The row without tcp_info (and cookie), as the /proc fallback gives it. */
function bare(s: InetSocket): InetSocket {
  const { tcpInfo: _i, cookie: _c, ...rest } = s;
  return rest;
}

function tcp(port: number, cookie: string, info: Partial<TcpInfo>, o: Partial<InetSocket> = {}): InetSocket {
  return {
    proto: 'tcp',
    family: 4,
    localAddr: '10.0.0.1',
    localPort: port,
    remoteAddr: '10.0.0.2',
    remotePort: 80,
    state: 1,
    sendQ: 0,
    recvQ: 0,
    timer: NO_TIMER,
    uid: 0,
    inode: Number(cookie) + 1000,
    cookie,
    tcpInfo: { length: 280, ...info },
    ...o,
  };
}

test('FlowTracker: first sample null, then deltas; a connection new this tick counts from 0; totals are the sums of the deltas', () => {
  const f = new FlowTracker();
  const t1 = f.update(connectionKeys([tcp(1, '1', { bytesReceived: 100, bytesSent: 50, totalRetrans: 2 })]), 1000);
  assert.equal(t1.elapsedMs, null);
  const a1 = t1.byKey.get('tcp|10.0.0.1|1|10.0.0.2|80')!;
  assert.deepEqual([a1.delta[RX], a1.delta[TX], a1.delta[RETRANS]], [null, null, null]);
  assert.equal(a1.opened, false, 'on the first sample nothing is "new"');
  const t2 = f.update(
    connectionKeys([
      tcp(1, '1', { bytesReceived: 400, bytesSent: 50, totalRetrans: 5 }),
      tcp(2, '2', { bytesReceived: 70, bytesSent: 30 }),
    ]),
    3000,
  );
  assert.equal(t2.elapsedMs, 2000);
  const a2 = t2.byKey.get('tcp|10.0.0.1|1|10.0.0.2|80')!;
  assert.deepEqual([a2.delta[RX], a2.delta[TX], a2.delta[RETRANS]], [300, 0, 3]);
  assert.equal(perSecond(a2.delta[RX]!, t2.elapsedMs), 150);
  const b2 = t2.byKey.get('tcp|10.0.0.1|2|10.0.0.2|80')!;
  assert.equal(b2.opened, true);
  assert.deepEqual([b2.delta[RX], b2.delta[TX]], [70, 30], 'new this tick: from 0');
  assert.equal(b2.delta[RETRANS], null, 'a field the kernel did not send stays unknown');
  // The tuple of port 2 reused by another socket (new cookie): a new connection from 0.
  const t3 = f.update(
    connectionKeys([tcp(1, '1', { bytesReceived: 450, bytesSent: 60, totalRetrans: 5 }), tcp(2, '9', { bytesReceived: 5, bytesSent: 1 })]),
    5000,
  );
  const b3 = t3.byKey.get('tcp|10.0.0.1|2|10.0.0.2|80')!;
  assert.equal(b3.opened, true);
  assert.deepEqual([b3.delta[RX], b3.sinceMark[RX]], [5, 5]);
  const a3 = t3.byKey.get('tcp|10.0.0.1|1|10.0.0.2|80')!;
  assert.deepEqual(a3.sinceMark.slice(0, 2), [350, 10], 'the sum of its deltas (300 + 50, 0 + 10)');
  // A counter that went down: a reset, no delta, nothing added.
  const t4 = f.update(connectionKeys([tcp(1, '1', { bytesReceived: 10, bytesSent: 70, totalRetrans: 5 })]), 7000);
  const a4 = t4.byKey.get('tcp|10.0.0.1|1|10.0.0.2|80')!;
  assert.equal(a4.delta[RX], null);
  assert.equal(a4.sinceMark[RX], 350);
  assert.equal(t4.byKey.size, 1, 'a closed connection is forgotten');
  f.mark();
  assert.equal(t4.byKey.since('tcp|10.0.0.1|1|10.0.0.2|80', RX), 350, 'the table made before the mark answers as when made');
  const t5 = f.update(connectionKeys([tcp(1, '1', { bytesReceived: 15, bytesSent: 70, totalRetrans: 6 })]), 9000);
  assert.deepEqual(t5.byKey.get('tcp|10.0.0.1|1|10.0.0.2|80')!.sinceMark.slice(0, 1), [5]);
  assert.equal(t5.byKey.get('tcp|10.0.0.1|1|10.0.0.2|80')!.sinceMark[RETRANS], 1);
});

test('a flow table kept past later updates and a reset answers as it did when made; a reused tuple with a new cookie is a new connection', () => {
  const key = (port: number): string => `tcp|10.0.0.1|${port}|10.0.0.2|80`;
  const listener = bare(tcp(9, '90', {}, { remoteAddr: '0.0.0.0', remotePort: 0, state: 10, inode: 9090 }));
  const listenerKey = connectionKeys([listener]).keys().next().value!;
  const probe = [...[1, 2, 3, 4, 5, 6].map(key), listenerKey];
  /** Every answer the table gives for the probe keys, and its own iteration. */
  const answers = (t: FlowTable): unknown => ({
    size: t.byKey.size,
    entries: [...t.byKey.entries()].map(([k, s]) => [k, s.key, s.ident, s.sock.inode, s.delta, s.sinceMark, s.opened]),
    keys: [...t.byKey.keys()],
    each: probe.map((k) => [
      k,
      t.byKey.has(k),
      t.byKey.row(k),
      t.byKey.delta(k, RX),
      t.byKey.since(k, RX),
      t.byKey.get(k)?.delta,
      t.byKey.get(k)?.sinceMark,
      t.byKey.get(k)?.opened,
    ]),
  });
  const f = new FlowTracker();
  f.update(connectionKeys([tcp(1, '1', { bytesReceived: 10 }), tcp(2, '2', { bytesReceived: 20 }), listener]), 0);
  const t2 = f.update(
    connectionKeys([tcp(1, '1', { bytesReceived: 15 }), listener, tcp(2, '2', { bytesReceived: 40 }), tcp(3, '3', { bytesReceived: 7 })]),
    1000,
  );
  const before2 = answers(t2);
  assert.deepEqual(
    (before2 as { each: unknown[][] }).each.map((e) => e.slice(0, 5)),
    [
      [key(1), true, 0, 5, 5],
      [key(2), true, 1, 20, 20],
      [key(3), true, 2, 7, 7],
      [key(4), false, -1, null, null],
      [key(5), false, -1, null, null],
      [key(6), false, -1, null, null],
      [listenerKey, false, -1, null, null],
    ],
    'rows in table order, the listener (no tcp_info) not among them',
  );
  // Port 2 closes (its slot is freed); port 3's tuple is taken by another socket (cookie 8).
  const t3 = f.update(
    connectionKeys([tcp(1, '1', { bytesReceived: 16 }), tcp(4, '4', { bytesReceived: 1 }), tcp(3, '8', { bytesReceived: 2 })]),
    2000,
  );
  assert.deepEqual(answers(t2), before2, 'the older table, after the next update');
  assert.equal(t3.byKey.has(key(2)), false);
  assert.deepEqual(
    [t3.byKey.get(key(3))?.opened, t3.byKey.delta(key(3), RX), t3.byKey.since(key(3), RX)],
    [true, 2, 2],
    'a new connection from 0',
  );
  assert.equal(t3.byKey.get(key(3))?.ident, '8');
  const before3 = answers(t3);
  // Port 5 opens and takes the slot port 2 left: the older tables must not find it there.
  f.update(connectionKeys([tcp(1, '1', { bytesReceived: 17 }), tcp(5, '5', { bytesReceived: 3 })]), 3000);
  assert.deepEqual(answers(t2), before2);
  assert.deepEqual(answers(t3), before3);
  f.reset();
  f.update(connectionKeys([tcp(6, '6', { bytesReceived: 1 }), tcp(2, '2', { bytesReceived: 99 })]), 4000);
  assert.deepEqual(answers(t2), before2, 'and after a reset');
  assert.deepEqual(answers(t3), before3);
});

test('aggregate: per process and per peer; UDP joins with counts and queues but no byte counters', () => {
  const f = new FlowTracker();
  const rows = (k: number): InetSocket[] => [
    tcp(1, '1', { bytesReceived: 1000 * k, bytesSent: 100 * k, totalRetrans: 3 * k, segsOut: 10 * k, rtt: 500 }),
    tcp(2, '2', { bytesReceived: 10 * k, bytesSent: 20 * k, totalRetrans: 0, segsOut: 10 * k, rtt: 9000 }, { remoteAddr: '10.0.0.3' }),
    tcp(
      3,
      '3',
      { bytesReceived: 7 * k, bytesSent: 0, totalRetrans: 0, segsOut: 1 * k, rtt: 100 },
      { proto: 'tcp6', family: 6, localAddr: '::ffff:10.0.0.1', remoteAddr: '::ffff:10.0.0.2' },
    ),
    bare(tcp(53, '4', {}, { proto: 'udp', recvQ: 768, remoteAddr: '10.0.0.9', remotePort: 53 })),
  ];
  const owners = new Map<number, ProcessOwner>([
    [1001, { pid: 10, program: 'curl' }],
    [1002, { pid: 20, program: 'node' }],
    [1003, { pid: 20, program: 'node' }],
    [1004, { pid: 30, program: 'dig' }],
  ]);
  f.update(connectionKeys(rows(1)), 0);
  const fl = f.update(connectionKeys(rows(2)), 1000);
  const a = aggregate(connectionKeys(rows(2)), owners, fl);
  const proc = (pid: number) => a.processes.find((p) => p.pid === pid)!;
  assert.deepEqual([proc(10).rx, proc(10).tx, proc(10).retrans, proc(10).tcp], [1000, 100, 3, 1]);
  assert.deepEqual([proc(20).rx, proc(20).tx, proc(20).tcp, proc(20).worstRtt], [17, 20, 2, 9000]);
  assert.deepEqual(
    [proc(30).udp, proc(30).recvQ, proc(30).rx, proc(30).withInfo],
    [1, 768, null, 0],
    'UDP: a count and a queue, no byte counters',
  );
  assert.equal(retransPct(proc(10)), 30);
  const peer = (addr: string) => a.peers.find((p) => p.addr === addr)!;
  assert.equal(peer('10.0.0.2').tcp, 2, 'a v4-mapped peer is the same host');
  assert.equal(peer('10.0.0.2').rx, 1007);
  assert.equal(peer('10.0.0.9').udp, 1);
  assert.equal(peerAddress('::ffff:1.2.3.4'), '1.2.3.4');
  assert.equal(aggregate(connectionKeys(rows(2)), null, null).unowned, 4);
});

test('SampleEngine: flows and aggregates only with tcp_info (or when asked), replays of the same input give the same numbers', () => {
  let mono = 0;
  const raw = (rows: InetSocket[]): RawSample => ({
    mono: (mono += 1000),
    boot: { bootTime: 1 },
    snapshot: { time: mono, inet: { tcp: { ok: true, value: rows, skipped: 0 } } },
  });
  const plain = new SampleEngine();
  const s0 = plain.ingest(raw([bare(tcp(1, '1', {}))]));
  assert.equal(s0.flows, undefined);
  assert.equal(s0.aggregates, undefined);
  const asked = new SampleEngine({ aggregates: true });
  const s1 = asked.ingest(raw([bare(tcp(1, '1', {}))]));
  assert.equal(s1.aggregates?.peers[0]?.tcp, 1);
  assert.equal(s1.aggregates?.peers[0]?.rx, null, '/proc fallback: unknown, not 0');
  const e = new SampleEngine();
  e.ingest(raw([tcp(1, '1', { bytesReceived: 5 })]));
  const s2 = e.ingest(raw([tcp(1, '1', { bytesReceived: 8 })]));
  assert.equal(s2.flows?.byKey.get('tcp|10.0.0.1|1|10.0.0.2|80')?.delta[RX], 3);
  assert.equal(s2.aggregates?.peers[0]?.rx, 3);
  // A table without tcp_info in between: the next one with it has no deltas (not lifetime totals).
  e.ingest(raw([bare(tcp(1, '1', {}))]));
  const s4 = e.ingest(raw([tcp(1, '1', { bytesReceived: 80 })]));
  assert.equal(s4.flows?.byKey.get('tcp|10.0.0.1|1|10.0.0.2|80')?.delta[RX], null);
  // An empty table (no TCP socket yet) between two with tcp_info keeps the deltas going: a
  // connection that appears next is new, counted from 0.
  const e2 = new SampleEngine();
  e2.ingest(raw([]));
  e2.ingest(raw([bare(tcp(7, '7', {}, { state: 6, inode: 0 }))]));
  const s5 = e2.ingest(raw([tcp(1, '1', { bytesReceived: 40 })]));
  assert.equal(s5.flows?.byKey.get('tcp|10.0.0.1|1|10.0.0.2|80')?.delta[RX], 40);
  assert.equal(s5.flows?.byKey.get('tcp|10.0.0.1|1|10.0.0.2|80')?.opened, true);
});

test('a recording keeps what replay needs: the same flow deltas and sums from decoded lines', () => {
  let mono = 0;
  const raws: RawSample[] = [1, 2, 3].map((k) => ({
    mono: (mono += 1000),
    boot: { bootTime: 1 },
    snapshot: {
      time: mono,
      inet: {
        tcp: {
          ok: true,
          value: [tcp(1, '1', { bytesReceived: 100 * k, totalRetrans: k * k, maxPacingRate: 2 ** 64 }, { inode: 1001 })],
          skipped: 0,
        },
      },
      owners: { denied: false, owners: new Map<number, ProcessOwner>([[1001, { pid: 10, program: 'curl' }]]) },
    },
  }));
  const live = new SampleEngine(),
    replay = new SampleEngine();
  for (const r of raws) {
    const a = live.ingest(r);
    const b = replay.ingest(decodeRaw(encodeRaw(r)));
    assert.deepEqual(
      [...(b.flows?.byKey.values() ?? [])].map((f) => [f.delta, f.sinceMark]),
      [...(a.flows?.byKey.values() ?? [])].map((f) => [f.delta, f.sinceMark]),
    );
    assert.deepEqual(b.aggregates, a.aggregates);
  }
  const last = replay.ingest(decodeRaw(encodeRaw(raws[2]!)));
  assert.equal(last.aggregates?.processes[0]?.program, 'curl');
  const back = decodeRaw(encodeRaw(raws[0]!)).snapshot.inet.tcp;
  assert.ok(back?.ok);
  assert.equal(back.value[0]?.tcpInfo?.maxPacingRate, 2 ** 64, 'an all-ones u64 (no pacing limit) survives JSON');
});
