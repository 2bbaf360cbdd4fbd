// --json streamed: the same bytes as the one string it replaced (toJson of the document), on
// fixtures and recorded samples, and a table of 2.1M sockets (more JSON than one string may
// hold) written in chunks that never exceed the chunk size.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { parseOptions } from '../src/cli/options.js';
import type { InetSocket } from '../src/model.js';
import type { NameContext } from '../src/names/netstat-notation.js';
import { sampleJson } from '../src/print/interval-print.js';
import { snapshotJson } from '../src/print/json.js';
import { JSON_CHUNK, jsonChunks, JsonList } from '../src/print/json-stream.js';
import { loadUsers } from '../src/names/users.js';
import { loadServices } from '../src/names/services.js';
import { readRecording } from '../src/sampler/recording.js';
import { SampleEngine } from '../src/sampler/sample-engine.js';
import { kernelFs } from '../src/sources/kernel-fs.js';
import { readSnapshot } from '../src/sources/snapshot.js';
import { toJson } from '../src/text/printable.js';
import { FIXTURES, FULL_TREE } from './helpers/fault-fs.js';
import { cpSync, mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const FIXTURE_ROOT = fileURLToPath(new URL('../../test/fixtures/root-basic', import.meta.url));
const DEMO = fileURLToPath(new URL('../../test/fixtures/recordings/demo.ndjson', import.meta.url));

const ALL = {
  inet: ['tcp', 'tcp6', 'udp', 'udp6', 'udplite', 'udplite6', 'raw', 'raw6'] as const,
  unix: true,
  owners: false,
  interfaces: true,
  counters: true,
  routes4: true,
  routes6: true,
  conntrack: true,
};

function joined(doc: unknown, chunk?: number): string {
  let s = '';
  for (const c of jsonChunks(doc, chunk)) s += c;
  return s;
}

describe('--json streamed in chunks', () => {
  it('the same bytes as toJson on a whole fixture tree, for every chunk size', async () => {
    // root-basic plus the counters, routes and conntrack of the other fixtures.
    const dir = mkdtempSync(join(tmpdir(), 'netdash-jsonfx-'));
    try {
      cpSync(FIXTURE_ROOT, dir, { recursive: true });
      for (const [rel, from] of Object.entries(FULL_TREE)) {
        mkdirSync(dirname(join(dir, rel)), { recursive: true });
        cpSync(join(FIXTURES, from), join(dir, rel));
      }
      const kfs = kernelFs(dir);
      const names: NameContext = {
        services: await loadServices(kfs),
        users: await loadUsers(kfs),
        hostName: () => undefined,
        owners: null,
      };
      const snap = await readSnapshot(kfs, ALL);
      assert.ok(snap.conntrack?.ok && snap.routes4?.ok && snap.counters, 'every section is there');
      for (const flags of [['--json'], ['--json', '-t'], ['--json', '-xa'], ['--json', '-i'], ['--json', '-l']]) {
        const doc = snapshotJson(parseOptions(flags), snap, names, 'fixture-host\u009b');
        const whole = toJson(doc);
        for (const chunk of [1, 7, 100, JSON_CHUNK]) assert.equal(joined(doc, chunk), whole, `${flags.join(' ')}, chunks of ${chunk}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the same bytes as toJson for every sample of the demo recording (interval --json)', () => {
    const { samples } = readRecording(DEMO);
    const engine = new SampleEngine();
    const names: NameContext = { services: new Map(), users: new Map(), hostName: () => undefined, owners: null };
    for (const raw of samples) {
      const s = engine.ingest(raw);
      for (const flags of [
        ['--json', '1'],
        ['--json', '-s', '1'],
        ['--json', '-i', '1'],
      ]) {
        const doc = sampleJson(s, parseOptions(flags), { ...names, owners: s.snapshot.owners?.owners ?? null }, 'demo');
        assert.equal(joined(doc, 333), toJson(doc));
      }
    }
  });

  it('JSON.stringify edge cases: undefined members skipped, undefined elements null, lists made lazily', () => {
    const doc = {
      a: undefined,
      b: [1, undefined, () => 1],
      c: new JsonList(() => [{ x: 1 }, undefined]),
      d: { e: [new Date(0)], f: undefined },
      g: null,
    };
    assert.equal(joined(doc, 2), JSON.stringify(doc));
  });

  it('2.1M sockets: more JSON than a string can hold, written in chunks of at most 64 KB', () => {
    const sock: InetSocket = {
      proto: 'tcp',
      family: 4,
      localAddr: '10.1.2.3',
      localPort: 40000,
      remoteAddr: '10.9.8.7',
      remotePort: 443,
      state: 1,
      recvQ: 0,
      sendQ: 0,
      timer: { kind: 0, expires: 0, retransmits: 0, timeout: 0 },
      uid: 0,
      inode: 123456,
    };
    // One row object 2.1M times: the table costs 17 MB of pointers, not gigabytes.
    const rows: InetSocket[] = new Array<InetSocket>(2_100_000).fill(sock);
    const names: NameContext = { services: new Map(), users: new Map(), hostName: () => undefined, owners: null };
    const doc = snapshotJson(
      parseOptions(['--json', '-t4']),
      { time: 0, inet: { tcp: { ok: true, value: rows, skipped: 0 } } },
      names,
      'h',
    );
    let total = 0,
      biggest = 0,
      chunks = 0,
      rowsSeen = 0;
    let head = '',
      tail = '';
    for (const c of jsonChunks(doc)) {
      total += c.length;
      biggest = Math.max(biggest, c.length);
      if (chunks++ === 0) head = c.slice(0, 40);
      tail = c.slice(-40);
      for (let i = c.indexOf('"stateCode"'); i !== -1; i = c.indexOf('"stateCode"', i + 1)) rowsSeen++;
    }
    assert.ok(biggest <= JSON_CHUNK, `the biggest chunk is ${biggest} characters`);
    // V8 strings hold at most 2^29 - 24 characters: one toJson of this table would throw.
    assert.ok(total > 2 ** 29, `${total} characters in all`);
    assert.equal(rowsSeen, 2_100_000);
    assert.match(head, /^\{"schema":"netdash\/1","time":/);
    assert.match(tail, /\],"errors":\{\},"skipped":\{\}\}$/);
  });
});
