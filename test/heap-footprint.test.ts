// What the sampler's connection table keeps on the heap per socket, beyond the rows it is
// given. At 50k sockets every 100 bytes here is 5 MB of the dashboard's resident memory, and
// the bench's 150 MB target (#5) has little room. Measured in a child with --expose-gc, so
// the figure is live heap after a full collection, not whatever garbage happens to be around.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const DIFF = pathToFileURL(path.join(path.dirname(fileURLToPath(import.meta.url)), '../src/sampler/connection-diff.js')).href;

/** Heap bytes per socket that a ConnectionTracker keeps after two ticks of `n` sockets. */
function trackerBytesPerSocket(n: number): number {
  const script = `
    const { ConnectionTracker } = await import(${JSON.stringify(DIFF)});
    const rows = [];
    // What a loopback load looks like: few local ports, shared address strings, one inode each.
    for (let i = 0; i < ${n}; i++) rows.push({ proto: 'tcp', family: 4, localAddr: '127.0.0.1', localPort: 5000 + (i % 8),
      remoteAddr: '127.0.0.1', remotePort: 10000 + (i >> 3), state: 1, sendQ: 0, recvQ: 0, timer: null, uid: 0, inode: 100000 + i });
    const t = new ConnectionTracker();
    gc(); gc();
    const before = process.memoryUsage().heapUsed;
    let kept = t.update(rows, true);
    kept = t.update(rows.slice(), true);   // the steady state: last tick's keys handed on
    gc(); gc();
    const after = process.memoryUsage().heapUsed;
    if (kept.connections.size !== ${n}) throw new Error('lost sockets');
    process.stdout.write(String((after - before) / ${n}));`;
  const out = execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8' });
  return Number(out);
}

test('ConnectionTracker keeps under 250 heap bytes per socket at 50k (flat key strings)', () => {
  // Keys built with a template literal are cons-string trees (about 380 bytes per socket in
  // all); join makes them flat (about 190).
  const bytes = trackerBytesPerSocket(50_000);
  assert.ok(Number.isFinite(bytes) && bytes > 0, `measured ${bytes}`);
  assert.ok(bytes < 250, `${bytes.toFixed(0)} bytes per socket`);
});
