// What a table read with tcp_info (issue 13) keeps alive per socket, once it is what a sample
// holds: the rows with their tcp_info and socket memory, the netlink bytes behind them, and the
// flow deltas (the tracker's state and the tick's table). Issue 13 wants a dashboard with tcp_info
// at 50k sockets under 150 MB, so every 100 bytes here is 5 MB. Measured in a child with
// --expose-gc (live heap and external memory after a full collection), on a dump made of
// kernel-shaped sock_diag messages (a 6.x tcp_info of 280 bytes, nine memory slots) handed over
// in fresh 32 KiB chunks, as the netlink binding hands them over.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const SRC = path.join(path.dirname(fileURLToPath(import.meta.url)), '../src');
const url = (p: string): string => JSON.stringify(pathToFileURL(path.join(SRC, p)).href);
const helper = (p: string): string => JSON.stringify(pathToFileURL(path.join(SRC, '../test/helpers', p)).href);

/** Bytes (heap + external) per socket kept by two ticks of `n` sockets read with tcp_info. */
interface Footprint {
  perSocket: number;
  heap: number;
  external: number;
  flows: number;
  acked: number;
}

function bytesPerSocket(n: number): Footprint {
  const script = `
    const { InetDiagParser } = await import(${url('sources/sock-diag.js')});
    const { ConnectionTracker } = await import(${url('sampler/connection-diff.js')});
    const { FlowTracker } = await import(${url('sampler/tcp-flows.js')});
    const { diagChunks, DIAG_MSG_LEN: MSG } = await import(${helper('diag-messages.js')});
    /** One dump: ${n} established loopback sockets, their counters at tick t, in fresh chunks. */
    function dump(t) {
      const p = new InetDiagParser('tcp', true, true);
      for (const [chunk, used] of diagChunks(${n}, t)) for (let o = 0; o < used; o += MSG) p.message(chunk, o, MSG);
      return p.finish();
    }
    // As the sample engine does: keys from the connection tracker (kept from tick to tick).
    const tracker = new ConnectionTracker(), flows = new FlowTracker();
    for (let i = 0; i < 3; i++) { gc(); await new Promise((r) => setTimeout(r, 50)); }
    const m0 = process.memoryUsage();
    let rows = dump(1);
    let table = flows.update(tracker.update(rows, true).connections, 1000);
    rows = dump(2);
    const conns = tracker.update(rows, true).connections;
    table = flows.update(conns, 2000);
    // Backing stores of collected buffers are freed by a sweeper after the collection.
    for (let i = 0; i < 3; i++) { gc(); await new Promise((r) => setTimeout(r, 50)); }
    const m1 = process.memoryUsage();
    const kept = (m1.heapUsed + m1.external) - (m0.heapUsed + m0.external);
    const acked = table.byKey.get(conns.keys().next().value).delta[2];
    process.stdout.write(JSON.stringify({ perSocket: kept / ${n}, heap: (m1.heapUsed - m0.heapUsed) / ${n}, external: (m1.external - m0.external) / ${n}, flows: table.byKey.size, acked, rows: rows.length }));`;
  const out = execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8' });
  return JSON.parse(out) as Footprint;
}

test('a tcp_info table at 50k sockets keeps under 1,200 bytes per socket (tcp_info copied out of the netlink chunks, flow state in typed arrays)', () => {
  // Views into the chunks kept every 32 KiB chunk alive (about 415 bytes a socket: headers,
  // the struct's unread tail and the chunks' slack included), and the flows kept four small
  // arrays and two objects a connection: 1,500 bytes a socket in all (heap 1,086, external 415).
  // With the known bytes copied out (272) and the flows in typed arrays: about 1,075 (heap 560,
  // external 517).
  const r = bytesPerSocket(50_000);
  assert.equal(r.flows, 50_000, 'every socket has its flow');
  assert.equal(r.acked, 1000, 'the deltas are right');
  assert.ok(Number.isFinite(r.perSocket) && r.perSocket > 0, `measured ${r.perSocket}`);
  assert.ok(
    r.perSocket < 1200,
    `${r.perSocket.toFixed(0)} bytes per socket (heap ${r.heap.toFixed(0)}, external ${r.external.toFixed(0)})`,
  );
});
