// Services, users and host names: the files of test/fixtures/root-basic/etc and HostNames'
// background lookups with fake PTR resolvers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadServices, parseServices, serviceName } from '../src/names/services.js';
import { loadUsers, parsePasswd } from '../src/names/users.js';
import { HostNames, loadHosts, parseHosts, type PtrLookup } from '../src/names/host-names.js';
import { kernelFs } from '../src/sources/kernel-fs.js';

const FX = fileURLToPath(new URL('../../test/fixtures/', import.meta.url));
const read = (rel: string): string => readFileSync(FX + rel, 'utf8');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// ---- services ---------------------------------------------------------------------------

test('parseServices: the Debian /etc/services that netstat used for the captures', () => {
  const s = parseServices(read('root-basic/etc/services'));
  const want: [string, string][] = [
    ['7/tcp', 'echo'],
    ['7/udp', 'echo'],
    ['21/tcp', 'ftp'],
    ['22/tcp', 'ssh'],
    ['23/tcp', 'telnet'],
    ['25/tcp', 'smtp'],
    ['53/udp', 'domain'],
    ['80/tcp', 'http'],
    ['123/udp', 'ntp'],
    ['443/tcp', 'https'],
    ['631/tcp', 'ipp'],
    ['5353/udp', 'mdns'],
    ['5432/tcp', 'postgresql'],
    ['8080/tcp', 'http-alt'],
    ['4/ddp', 'echo'],
  ];
  for (const [k, v] of want) assert.equal(s.get(k), v, k);
  assert.equal(s.get('8080/udp'), undefined);
  assert.equal(s.get('9999/tcp'), undefined);
  // aliases are not names of their own
  assert.equal([...s.values()].includes('www'), false);
});

test('parseServices: first entry wins, comments and malformed lines are ignored', () => {
  const s = parseServices(
    [
      '# comment 1/tcp',
      'first\t100/tcp\talias1 alias2\t# trailing comment',
      'second 100/tcp',
      '   indented   101/udp   ',
      'noport',
      'badport abc/tcp',
      'badproto 102/',
      'spaced 103 /tcp',
      '',
      'last 104/tcp',
    ].join('\n'),
  );
  assert.deepEqual(
    [...s.entries()],
    [
      ['100/tcp', 'first'],
      ['101/udp', 'indented'],
      ['104/tcp', 'last'],
    ],
  );
});

test('serviceName: port 0 is *, numeric keeps digits, unknown stays numeric', () => {
  const s = parseServices(read('root-basic/etc/services'));
  assert.equal(serviceName(s, 0, 'tcp', false), '*');
  assert.equal(serviceName(s, 0, 'tcp', true), '*');
  assert.equal(serviceName(s, 22, 'tcp', false), 'ssh');
  assert.equal(serviceName(s, 22, 'tcp', true), '22');
  assert.equal(serviceName(s, 123, 'tcp', false), '123');
  assert.equal(serviceName(s, 123, 'udp', false), 'ntp');
  assert.equal(serviceName(s, 65535, 'tcp', false), '65535');
});

test('loadServices / loadUsers / loadHosts: a root without etc/ gives empty tables', async () => {
  const kfs = kernelFs(FX + 'netdev/odd');
  assert.equal((await loadServices(kfs)).size, 0);
  assert.equal((await loadUsers(kfs)).size, 0);
  assert.equal((await loadHosts(kfs)).size, 0);
  assert.equal((await loadServices(kernelFs(FX + 'root-basic'))).get('631/tcp'), 'ipp');
});

// ---- users ------------------------------------------------------------------------------

test('parsePasswd: root-basic/etc/passwd, first name of a uid wins, odd lines ignored', async () => {
  const want = new Map<number, string>([
    [0, 'root'],
    [1, 'daemon'],
    [2, 'bin'],
    [3, 'sys'],
    [4, 'sync'],
    [33, 'www-data'],
    [65534, 'nobody'],
    [1000, 'alice'],
  ]);
  assert.deepEqual(parsePasswd(read('root-basic/etc/passwd')), want);
  assert.deepEqual(await loadUsers(kernelFs(FX + 'root-basic')), want);
});

test('parsePasswd: an empty uid field is not uid 0 (getpwuid rejects the line)', () => {
  // A broken line before root must not take uid 0's name; nor may a NIS "+" compat line.
  const m = parsePasswd('empty-uid:x::100::/:/bin/sh\n+::::::\nroot:x:0:0:root:/root:/bin/bash\n');
  assert.equal(m.get(0), 'root');
});

// ---- host names -------------------------------------------------------------------------

test('parseHosts: first line for an address wins, its first name is the answer', () => {
  const h = parseHosts(read('root-basic/etc/hosts'));
  assert.deepEqual(
    [...h.entries()],
    [
      ['127.0.0.1', 'localhost'],
      ['::1', 'localhost'],
      ['2001:db8::1', 'short6.example'],
      ['2001:db8:1234:5678:9abc:def0:1234:5678', 'a-rather-long-host-name.example'],
    ],
  );
  const odd = parseHosts('# only a comment\n\n192.0.2.1 first # note\n192.0.2.1 second\n192.0.2.2\n  192.0.2.3\tthird fourth\n');
  assert.deepEqual(
    [...odd.entries()],
    [
      ['192.0.2.1', 'first'],
      ['192.0.2.3', 'third'],
    ],
  );
});

/** A fake PTR resolver that records its calls. */
function fake(answer: (addr: string) => Promise<string[]>): { lookup: PtrLookup; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    lookup: (addr) => {
      calls.push(addr);
      return answer(addr);
    },
  };
}
const never = (): Promise<string[]> => new Promise<string[]>(() => {});

test('HostNames: /etc/hosts answers at once, without a lookup', () => {
  const f = fake(never);
  const h = new HostNames({ hosts: parseHosts(read('root-basic/etc/hosts')), lookup: f.lookup });
  assert.equal(h.name('127.0.0.1'), 'localhost');
  assert.equal(h.name('::1'), 'localhost');
  assert.equal(h.name('2001:db8::1'), 'short6.example');
  assert.deepEqual(f.calls, []);
  assert.equal(h.pending, 0);
});

test('HostNames: a lookup runs in the background and its answer is cached', async () => {
  const f = fake(async (a) => [`host-${a}.example`, 'second.example']);
  let resolved = 0;
  const h = new HostNames({ hosts: new Map(), lookup: f.lookup });
  h.onResolved = () => {
    resolved++;
  };
  assert.equal(h.name('192.0.2.7'), undefined); // not known yet
  assert.equal(h.name('192.0.2.7'), undefined); // same request, not a second lookup
  assert.deepEqual(f.calls, ['192.0.2.7']);
  await h.settle(['192.0.2.7'], 1000);
  assert.equal(h.name('192.0.2.7'), 'host-192.0.2.7.example');
  assert.deepEqual(f.calls, ['192.0.2.7']);
  assert.equal(resolved, 1);
  assert.equal(h.size, 1);
});

test('HostNames: no resolver means addresses stay numeric and nothing is pending', async () => {
  const h = new HostNames({ hosts: new Map(), lookup: null });
  assert.equal(h.name('192.0.2.1'), undefined);
  assert.equal(h.pending, 0);
  const t0 = Date.now();
  await h.settle(['192.0.2.1', '192.0.2.2'], 5000);
  assert.ok(Date.now() - t0 < 100);
});

test('HostNames: a resolver that never answers does not hold settle() past its deadline', async () => {
  const f = fake(never);
  const h = new HostNames({ hosts: new Map(), lookup: f.lookup, timeoutMs: 60_000 });
  // Keep this process alive on our own, so that the measurement is about settle() alone.
  const guard = setTimeout(() => {}, 10_000);
  try {
    const t0 = Date.now();
    await h.settle(['192.0.2.1', '2001:db8::5'], 150);
    const took = Date.now() - t0;
    assert.ok(took >= 140 && took < 1000, `settle took ${took} ms`);
    assert.equal(h.name('192.0.2.1'), undefined);
    assert.equal(h.pending, 2);
  } finally {
    clearTimeout(guard);
  }
});

test('HostNames: a failed lookup is not retried', async () => {
  const f = fake(async () => {
    throw Object.assign(new Error('queryPtr ENOTFOUND'), { code: 'ENOTFOUND' });
  });
  const h = new HostNames({ hosts: new Map(), lookup: f.lookup });
  assert.equal(h.name('192.0.2.9'), undefined);
  await h.settle([], 0);
  await sleep(10);
  assert.equal(h.name('192.0.2.9'), undefined);
  await h.settle(['192.0.2.9'], 50);
  assert.equal(h.name('192.0.2.9'), undefined);
  assert.deepEqual(f.calls, ['192.0.2.9']);
  assert.equal(h.pending, 0);
});

test('HostNames: an empty answer and a timed-out lookup are not retried either', async () => {
  const empty = fake(async () => []);
  const h1 = new HostNames({ hosts: new Map(), lookup: empty.lookup });
  h1.name('192.0.2.10');
  await sleep(10);
  assert.equal(h1.name('192.0.2.10'), undefined);
  assert.deepEqual(empty.calls, ['192.0.2.10']);

  const hung = fake(never);
  const h2 = new HostNames({ hosts: new Map(), lookup: hung.lookup, timeoutMs: 20 });
  const guard = setTimeout(() => {}, 10_000);
  try {
    h2.name('192.0.2.11');
    await sleep(80);
    assert.equal(h2.pending, 0); // the timeout ended it
    assert.equal(h2.name('192.0.2.11'), undefined);
    assert.deepEqual(hung.calls, ['192.0.2.11']);
  } finally {
    clearTimeout(guard);
  }
});

test('HostNames: the cache is bounded by maxEntries (least recently used goes)', async () => {
  const f = fake(async (a) => [`n${a.split('.').pop() ?? ''}`]);
  const h = new HostNames({ hosts: new Map(), lookup: f.lookup, maxEntries: 3 });
  const addrs = Array.from({ length: 10 }, (_, i) => `192.0.2.${i + 1}`);
  await h.settle(addrs, 1000);
  assert.equal(f.calls.length, 10);
  assert.equal(h.size, 3);
  // the three newest answers are cached: no lookups for them
  assert.equal(h.name('192.0.2.10'), 'n10');
  assert.equal(h.name('192.0.2.9'), 'n9');
  assert.equal(h.name('192.0.2.8'), 'n8');
  assert.equal(f.calls.length, 10);
  // an evicted one is looked up again
  assert.equal(h.name('192.0.2.1'), undefined);
  assert.equal(f.calls.length, 11);
});

test('HostNames: in-flight lookups are bounded by maxInFlight; the rest queue', async () => {
  const f = fake(never);
  const h = new HostNames({ hosts: new Map(), lookup: f.lookup, maxInFlight: 2, timeoutMs: 60_000 });
  for (let i = 1; i <= 10; i++) h.name(`192.0.2.${i}`);
  assert.deepEqual(f.calls, ['192.0.2.1', '192.0.2.2']);
  assert.equal(h.pending, 10);
  // asking again for a queued address does not queue it twice
  h.name('192.0.2.5');
  assert.equal(h.pending, 10);
});

test('HostNames: the queue is bounded too (maxInFlight * 16); the oldest queued requests are dropped', () => {
  const f = fake(never);
  const h = new HostNames({ hosts: new Map(), lookup: f.lookup, maxInFlight: 2, timeoutMs: 60_000 });
  for (let i = 0; i < 100; i++) h.name(`198.51.100.${i}`);
  assert.equal(f.calls.length, 2);
  assert.equal(h.pending, 2 + 32);
});

test('HostNames: queued lookups run as slots free up, never more than maxInFlight at once', async () => {
  let active = 0,
    peak = 0;
  const f = fake(async (a) => {
    active++;
    peak = Math.max(peak, active);
    await sleep(5);
    active--;
    return [`name-${a}`];
  });
  const h = new HostNames({ hosts: new Map(), lookup: f.lookup, maxInFlight: 3 });
  const addrs = Array.from({ length: 12 }, (_, i) => `203.0.113.${i}`);
  await h.settle(addrs, 5000);
  assert.equal(peak, 3);
  assert.equal(f.calls.length, 12);
  assert.equal(h.pending, 0);
  for (const a of addrs) assert.equal(h.name(a), `name-${a}`);
});

test('HostNames: settle() returns by its deadline even when nothing else keeps the process alive', async () => {
  // Kept last in this file: when it fails, node:test cancels whatever is still pending.
  // A resolver that never settles and holds no handle (a hung promise): the deadline is the only
  // thing left. If settle()'s deadline timer is unref'd, the event loop empties and settle() never
  // returns; node:test then fails this test with "Promise resolution is still pending".
  const f = fake(never);
  const h = new HostNames({ hosts: new Map(), lookup: f.lookup, timeoutMs: 60_000 });
  const t0 = Date.now();
  await h.settle(['192.0.2.1'], 100);
  assert.ok(Date.now() - t0 < 1000);
});
