// Derived signals in NDJSON come from the interval's deltas.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { SampleEngine, type RawSample } from '../src/sampler/sample-engine.js';
import { derivedSignals } from '../src/print/interval-print.js';
import { IF_COUNTER_NAMES, type IfCounters } from '../src/model.js';

function raw(mono: number, retrans: number, outSegs: number, rxPackets: number, rxDrop: number, rxBytes: number): RawSample {
  const c = Object.fromEntries(IF_COUNTER_NAMES.map((k) => [k, 0])) as unknown as IfCounters;
  return {
    mono,
    boot: { bootTime: 1000 },
    snapshot: {
      time: mono,
      inet: {},
      interfaces: {
        ok: true,
        skipped: 0,
        value: [{ name: 'eth0', counters: { ...c, rxPackets, rxDrop, rxBytes }, sys: { ifindex: 2, speed: 1000, flags: 0x1003 } }],
      },
      counters: { errors: [], skipped: 0, counters: { Tcp: { RetransSegs: retrans, OutSegs: outSegs }, TcpExt: { ListenDrops: 3 } } },
    },
  };
}

it('retransmit %, drop % and link utilisation from one interval', () => {
  const e = new SampleEngine();
  const first = derivedSignals(e.ingest(raw(0, 10, 1000, 100, 0, 0)));
  assert.equal(first['tcpRetransPct'], null); // no delta on the first sample
  const s = derivedSignals(e.ingest(raw(2000, 15, 1100, 300, 4, 250_000_000)));
  assert.equal(s['tcpRetransPct'], 5); // 5 of 100 segments
  assert.equal(s['listenDrops'], 0);
  const eth0 = (s['interfaces'] as Record<string, Record<string, number | null>>)['eth0']!;
  assert.equal(eth0['rxDropPct'], 2); // 4 of 200 packets
  assert.equal(eth0['rxUtilisationPct'], 100); // 125 MB/s on a 1000 Mb/s link
});
