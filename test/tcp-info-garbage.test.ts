// What a table read with tcp_info (issue 13) allocates per socket per tick, whether it lives a
// tick or less: the sock_diag parser's rows and the sample engine's work on them (the socket
// gauges, the connection diff, the flow deltas). The launcher runs node with
// --optimize-for-size, under which V8 collects the old generation each time it has grown by a
// few MB; rows live a tick, so nearly all of this is promoted, and at 50k sockets every 100
// bytes a socket here is 5 MB a tick, about one more full collection of the whole heap
// (`npm run bench`: tickInfoVsSsTin). Measured in a child by V8's sampling heap profiler with
// the objects already collected counted, on kernel-shaped sock_diag messages (a 6.x tcp_info
// of 280 bytes, nine memory slots) in 32 KiB chunks made before the measure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const SRC = path.join(path.dirname(fileURLToPath(import.meta.url)), '../src');
const url = (p: string): string => JSON.stringify(pathToFileURL(path.join(SRC, p)).href);
const helper = (p: string): string => JSON.stringify(pathToFileURL(path.join(SRC, '../test/helpers', p)).href);

interface Garbage {
  perSocket: number;
  flows: number;
  acked: number | null;
}

function allocatedPerSocket(n: number): Garbage {
  const script = `
    import inspector from 'node:inspector/promises';
    const { InetDiagParser } = await import(${url('sources/sock-diag.js')});
    const { SampleEngine } = await import(${url('sampler/sample-engine.js')});
    const { diagChunks, DIAG_MSG_LEN: MSG } = await import(${helper('diag-messages.js')});
    /** The chunks of one dump: ${n} established loopback sockets, their counters at tick t. */
    const chunks = (t) => diagChunks(${n}, t, 3);
    function dump(cs) {
      const p = new InetDiagParser('tcp', true, true);
      for (const [chunk, used] of cs) for (let o = 0; o < used; o += MSG) p.message(chunk, o, MSG);
      return p.finish();
    }
    const engine = new SampleEngine();
    let mono = 0;
    const tick = (cs) => engine.ingest({ mono: (mono += 1000), boot: { bootTime: 1 }, snapshot: { time: mono, inet: { tcp: { ok: true, value: dump(cs), skipped: 0 } } } });
    const TICKS = 3;
    const dumps = [];
    for (let t = 1; t <= 3 + TICKS; t++) dumps.push(chunks(t));
    // Three ticks first: the trackers at their size, the code optimized.
    let s;
    for (let t = 0; t < 3; t++) s = tick(dumps[t]);
    const session = new inspector.Session();
    session.connect();
    await session.post('HeapProfiler.startSampling', { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
    for (let t = 3; t < 3 + TICKS; t++) s = tick(dumps[t]);
    const { profile } = await session.post('HeapProfiler.stopSampling');
    let bytes = 0;
    const walk = (node) => { bytes += node.selfSize; for (const c of node.children) walk(c); };
    walk(profile.head);
    const key = s.connections.keys().next().value;
    process.stdout.write(JSON.stringify({ perSocket: bytes / TICKS / ${n}, flows: s.flows.byKey.size, acked: s.flows.byKey.delta(key, 2) }));`;
  const out = execFileSync(process.execPath, ['--max-semi-space-size=4', '--optimize-for-size', '--input-type=module', '-e', script], {
    encoding: 'utf8',
  });
  return JSON.parse(out) as Garbage;
}

test('a tcp_info tick at 50k sockets allocates under 200 heap bytes per socket (a socket whose own fields stand keeps its row, views and cookie; no growing arrays and maps, copies, boxed numbers or iterator results)', () => {
  // Before: about 810 bytes a socket a tick (now about 410): a Uint8Array made by each Buffer#copy into the
  // arena (two a socket), a map of every key in the flow table, boxed counter values, for-of
  // iterator results in code run once a tick, arrays of 50k grown by push. What is left is the
  // rows with their tcp_info and memory views and cookie, and the connections map of the sample.
  // Session 8: about 125. The reader keeps each socket's tcp_info bytes in a store by slot and
  // hands its row and views on from dump to dump while its own fields stand (sock-diag.ts), so
  // what is left is the sample's connections map, the rows array and the diff's lists.
  const r = allocatedPerSocket(50_000);
  assert.equal(r.flows, 50_000, 'every socket has its flow');
  assert.equal(r.acked, 1000, 'the deltas are right');
  assert.ok(Number.isFinite(r.perSocket) && r.perSocket > 0, `measured ${r.perSocket}`);
  assert.ok(r.perSocket < 200, `${r.perSocket.toFixed(0)} bytes allocated per socket per tick`);
});
