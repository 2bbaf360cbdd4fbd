// The metric families built from samples of the real SampleEngine, their rendering through
// prom-client, content negotiation, and /healthz's staleness rule (on a real HTTP server on
// loopback, with an injected monotonic clock).
import { FlowCounters, KEEP_SAMPLES } from '../src/serve/flow-counters.js';
import type { Aggregates, FlowAggregate } from '../src/sampler/flow-aggregates.js';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Exporter } from '../src/serve/exporter.js';
import { negotiate, OPENMETRICS_TEXT, PROMETHEUS_TEXT, render } from '../src/serve/exposition.js';
import { buildFamilies, capTopN, OTHER, type Caps, type Family } from '../src/serve/metric-set.js';
import { estab, Feeder, listen, nif } from './helpers/dashboard-samples.js';

const caps: Caps = { interfaces: 2, listeners: 2, programs: 2, conntrackProtos: 2, peers: 2 };
const fam = (fs: Family[], name: string): Family | undefined => fs.find((f) => f.name === name);
const series = (fs: Family[], name: string): [string, number][] =>
  (fam(fs, name)?.series ?? []).map((s) => [Object.values(s.labels).join(' '), s.value]);

describe('metric families', () => {
  it('protocol counters are _total counters by group, levels are _current gauges', () => {
    const f = new Feeder();
    const s = f.next({ counters: { Tcp: { RetransSegs: 7, CurrEstab: 3, RtoMin: 200 }, TcpExt: { ListenDrops: 2 } } });
    const fs = buildFamilies(s, { intervalMs: 2000 });
    assert.equal(fam(fs, 'netdash_protocol_tcp_total')?.type, 'counter');
    assert.deepEqual(series(fs, 'netdash_protocol_tcp_total'), [['RetransSegs', 7]]);
    assert.equal(fam(fs, 'netdash_protocol_tcp_current')?.type, 'gauge');
    assert.deepEqual(series(fs, 'netdash_protocol_tcp_current'), [
      ['CurrEstab', 3],
      ['RtoMin', 200],
    ]);
    assert.deepEqual(series(fs, 'netdash_protocol_tcpext_total'), [['ListenDrops', 2]]);
  });

  it('interfaces beyond the cap are summed into "other" (smallest by bytes)', () => {
    const f = new Feeder();
    const s = f.next({
      interfaces: [nif('a', { rxBytes: 10 }), nif('b', { rxBytes: 1000 }), nif('c', { txBytes: 500 }), nif('d', { rxBytes: 1, rxDrop: 4 })],
    });
    const fs = buildFamilies(s, { intervalMs: 2000, caps });
    assert.deepEqual(series(fs, 'netdash_interface_receive_bytes_total'), [
      ['b', 1000],
      ['c', 0],
      [OTHER, 11],
    ]);
    assert.deepEqual(series(fs, 'netdash_interface_receive_drops_total'), [
      ['b', 0],
      ['c', 0],
      [OTHER, 4],
    ]);
  });

  it('listeners: queue and backlog per address and port, SO_REUSEPORT twins summed, the rest in "other"', () => {
    const f = new Feeder();
    const s = f.next({
      inet: [
        listen(80, { recvQ: 3, backlog: 128, inode: 1 }),
        listen(80, { recvQ: 2, backlog: 128, inode: 2 }),
        listen(22, { recvQ: 1, backlog: 10 }),
        listen(443, { recvQ: 0 }),
        listen(8080, { recvQ: 0, backlog: 5 }),
        estab(80, 5555),
      ],
    });
    const fs = buildFamilies(s, { intervalMs: 2000, caps });
    assert.deepEqual(series(fs, 'netdash_listen_queue_length'), [
      ['tcp 10.0.0.1 80', 5],
      ['tcp 10.0.0.1 22', 1],
      [`${OTHER} ${OTHER} ${OTHER}`, 0],
    ]);
    // Port 443 came from /proc (no backlog): "other" has no known backlog either.
    assert.deepEqual(series(fs, 'netdash_listen_backlog'), [
      ['tcp 10.0.0.1 80', 256],
      ['tcp 10.0.0.1 22', 10],
    ]);
    assert.deepEqual(
      series(fs, 'netdash_sockets').filter(([k]) => k === 'tcp LISTEN' || k === 'tcp ESTABLISHED'),
      [
        ['tcp ESTABLISHED', 1],
        ['tcp LISTEN', 5],
      ],
    );
  });

  it('programs only with -p, capped, and a program gone in the next sample is gone from the families', () => {
    const f = new Feeder();
    const inet = [
      listen(1, { inode: 11 }),
      listen(2, { inode: 12 }),
      listen(3, { inode: 13 }),
      listen(4, { inode: 14 }),
      listen(5, { inode: 15 }),
    ];
    const owners = new Map([
      [11, { pid: 1, program: 'nginx' }],
      [12, { pid: 1, program: 'nginx' }],
      [13, { pid: 2, program: 'sshd' }],
      [14, { pid: 3, program: 'cron' }],
      [15, { pid: 4, program: 'other' }],
    ]);
    const s1 = f.next({ inet, owners });
    assert.equal(fam(buildFamilies(s1, { intervalMs: 2000, caps }), 'netdash_process_sockets'), undefined, 'not without -p');
    const fs1 = buildFamilies(s1, { intervalMs: 2000, caps, programs: true });
    // A program really called "other" is folded into the one "other" series.
    assert.deepEqual(series(fs1, 'netdash_process_sockets'), [
      ['nginx', 2],
      ['cron', 1],
      [OTHER, 2],
    ]);
    const s2 = f.next({
      inet: inet.slice(0, 2),
      owners: new Map([
        [11, { pid: 1, program: 'nginx' }],
        [12, { pid: 1, program: 'nginx' }],
      ]),
    });
    assert.deepEqual(series(buildFamilies(s2, { intervalMs: 2000, caps, programs: true }), 'netdash_process_sockets'), [['nginx', 2]]);
  });

  it('capTopN keeps a map under the cap as it is', () => {
    const m = new Map([
      ['a', 1],
      ['b', 2],
    ]);
    assert.equal(
      capTopN(
        m,
        2,
        (v) => v,
        (a, b) => a + b,
      ),
      m,
    );
  });
});

describe('exposition', () => {
  const fs: Family[] = [
    { name: 'netdash_protocol_tcp_total', help: 'c', type: 'counter', series: [{ labels: { name: 'RetransSegs' }, value: 5 }] },
    { name: 'netdash_listen_backlog', help: 'g', type: 'gauge', series: [] },
  ];

  it('renders both formats from the same families, counters keeping _total in the text format after an OpenMetrics render', async () => {
    const om = await render(fs, OPENMETRICS_TEXT);
    assert.match(om, /^# TYPE netdash_protocol_tcp counter\nnetdash_protocol_tcp_total\{name="RetransSegs"\} 5\n# EOF\n$/m);
    const text = await render(fs, PROMETHEUS_TEXT);
    assert.match(text, /^# TYPE netdash_protocol_tcp_total counter\nnetdash_protocol_tcp_total\{name="RetransSegs"\} 5$/m);
    assert.ok(!text.includes('netdash_listen_backlog'), 'a family without series is left out (not an unlabelled 0)');
  });

  it('negotiates OpenMetrics only when the Accept header prefers it', () => {
    assert.equal(negotiate(undefined), PROMETHEUS_TEXT);
    assert.equal(negotiate('*/*'), PROMETHEUS_TEXT);
    assert.equal(
      negotiate(
        'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
      ),
      OPENMETRICS_TEXT,
    );
    assert.equal(negotiate('text/plain;q=0.9, application/openmetrics-text;q=0.5'), PROMETHEUS_TEXT);
    assert.equal(negotiate('application/openmetrics-text;q=0'), PROMETHEUS_TEXT);
  });
});

describe('/healthz', () => {
  it('200 with the age while samples come, 503 once three intervals pass without one', async () => {
    let now = 0;
    const ex = await Exporter.start({
      listen: { host: '127.0.0.1', port: 0 },
      web: { tls: null, users: new Map() },
      intervalMs: 2000,
      programs: false,
      mono: () => now,
    });
    try {
      const health = async (): Promise<{ status: number; body: { ok: boolean; ageSeconds?: number; reason?: string } }> => {
        const r = await fetch(`${ex.url}healthz`);
        return { status: r.status, body: (await r.json()) as { ok: boolean; ageSeconds?: number; reason?: string } };
      };
      assert.equal((await health()).status, 503, 'before the first sample');
      assert.equal((await fetch(`${ex.url}metrics`)).status, 503);
      const f = new Feeder();
      ex.update(f.next({ interfaces: [nif('lo')], counters: { Tcp: { RetransSegs: 1 } } }));
      now = 1500;
      const ok = await health();
      assert.equal(ok.status, 200);
      assert.equal(ok.body.ageSeconds, 1.5);
      now = 7500;
      const stale = await health();
      assert.equal(stale.status, 503);
      assert.match(stale.body.reason ?? '', /last sample is 7\.5 s old \(stale after 7\.0 s\)/);
      ex.update(f.next({ interfaces: [nif('lo')] }));
      assert.equal((await health()).status, 200, 'fresh again');
      assert.equal((await fetch(`${ex.url}metrics`, { method: 'POST' })).status, 405);
    } finally {
      await ex.close();
    }
  });
});

describe('per-program and per-peer TCP traffic (--serve --info)', () => {
  const agg = (key: string, o: Partial<FlowAggregate>): FlowAggregate => ({
    key,
    tcp: 1,
    udp: 0,
    raw: 0,
    members: [],
    recvQ: 0,
    sendQ: 0,
    withInfo: 1,
    rx: null,
    tx: null,
    retrans: null,
    retransBytes: null,
    segsOut: null,
    rxSinceMark: null,
    txSinceMark: null,
    retransSinceMark: null,
    worstRtt: null,
    ...o,
  });
  const sums = (processes: FlowAggregate[], peers: FlowAggregate[]): Aggregates => ({ elapsedMs: 1000, processes, peers, unowned: 0 });
  const value = (fs: Family[], name: string, label: string, key: string): number | undefined =>
    fam(fs, name)?.series.find((s) => s.labels[label] === key)?.value;

  it("totals add every sample's deltas and never go down when a connection closes", () => {
    const f = new FlowCounters(true);
    f.add(
      sums(
        [agg('1/curl', { pid: 1, program: 'curl', rx: 1000, tx: 10, retrans: 2 })],
        [agg('10.0.0.2', { addr: '10.0.0.2', rx: 1000, tx: 10, retrans: 2 })],
      ),
    );
    f.add(
      sums(
        [agg('1/curl', { pid: 1, program: 'curl', rx: 500, tx: 5, retrans: 1 })],
        [agg('10.0.0.2', { addr: '10.0.0.2', rx: 500, tx: 5, retrans: 1 })],
      ),
    );
    // Its connection closed: the sums lose it, the counters keep what it moved.
    f.add(sums([], []));
    const fs = f.families({ programs: 2, peers: 2 });
    assert.equal(value(fs, 'netdash_program_tcp_received_bytes_total', 'program', 'curl'), 1500);
    assert.equal(value(fs, 'netdash_peer_tcp_sent_bytes_total', 'peer', '10.0.0.2'), 15);
    assert.equal(value(fs, 'netdash_peer_tcp_retransmitted_segments_total', 'peer', '10.0.0.2'), 3);
    assert.equal(value(fs, 'netdash_peer_connections', 'peer', '10.0.0.2'), 0, 'a gauge of what is open now');
  });

  it('capped by traffic, the rest in "other"; keys unseen for long are dropped; programs only with -p', () => {
    const f = new FlowCounters(false);
    const peers = ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4'].map((a, i) => agg(a, { addr: a, rx: (i + 1) * 100, tx: 0, retrans: 0 }));
    f.add(sums([agg('1/x', { pid: 1, program: 'x', rx: 5 })], peers));
    const fs = f.families({ programs: 2, peers: 2 });
    const rx = fam(fs, 'netdash_peer_tcp_received_bytes_total')?.series.map((s) => [s.labels['peer'], s.value]);
    assert.deepEqual(rx, [
      ['10.0.0.4', 400],
      ['10.0.0.3', 300],
      ['other', 300],
    ]);
    assert.equal(fam(fs, 'netdash_program_tcp_received_bytes_total'), undefined, 'no program names without -p');
    for (let i = 0; i < KEEP_SAMPLES + 1; i++) f.add(sums([], []));
    assert.deepEqual(f.sizes, { programs: 0, peers: 0 });
  });

  it('hostile program names become valid label values', () => {
    const f = new FlowCounters(true);
    f.add(sums([agg('1/evil', { pid: 1, program: 'ev\u001b[31mil"\\\n', rx: 1 })], []));
    const text = fam(f.families({ programs: 2, peers: 2 }), 'netdash_program_tcp_received_bytes_total')?.series[0]?.labels['program'] ?? '';
    assert.ok(![...text].some((c) => c.charCodeAt(0) < 0x20), JSON.stringify(text));
  });
});
