import { test } from 'node:test';
import { FaultFs } from './helpers/fault-fs.js';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, mkdirSync, copyFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConntrack, readConntrack } from '../src/sources/conntrack.js';
import { kernelFs } from '../src/sources/kernel-fs.js';
import { formatMasquerade, isNated } from '../src/print/masquerade.js';
import type { ConntrackEntry } from '../src/model.js';

// Compiled to dist/test/, the fixtures stay in the source tree.
const FIXTURES = fileURLToPath(new URL('../../test/fixtures/conntrack/', import.meta.url));
const read = (file: string): string => readFileSync(path.join(FIXTURES, file), 'utf8');

function find(entries: ConntrackEntry[], pred: (e: ConntrackEntry) => boolean): ConntrackEntry {
  const e = entries.find(pred);
  assert.ok(e, 'no such entry');
  return e;
}

test('nat: every line of a real router table parses', () => {
  const { value, skipped } = parseConntrack(read('nat'));
  assert.equal(skipped, 0);
  assert.equal(value.length, 10);
  assert.deepEqual(value.map((e) => `${e.l3}/${e.proto}`).sort(), [
    'ipv4/icmp',
    'ipv4/tcp',
    'ipv4/tcp',
    'ipv4/tcp',
    'ipv4/tcp',
    'ipv4/udp',
    'ipv4/udp',
    'ipv6/icmpv6',
    'ipv6/tcp',
    'ipv6/udp',
  ]);
});

test('nat: tcp with state, udp UNREPLIED between the tuples, icmp without ports, DNAT', () => {
  const { value } = parseConntrack(read('nat'));
  assert.deepEqual(
    find(value, (e) => e.dport === 9999),
    {
      l3: 'ipv4',
      proto: 'udp',
      protoNum: 17,
      timeout: 28,
      state: null,
      src: '10.60.0.2',
      dst: '10.61.0.2',
      sport: 48138,
      dport: 9999,
      replySrc: '10.61.0.2',
      replyDst: '10.61.0.1',
      replySport: 9999,
      replyDport: 48138,
      flags: ['UNREPLIED'],
    },
  );
  assert.deepEqual(
    find(value, (e) => e.dport === 8081),
    {
      l3: 'ipv4',
      proto: 'tcp',
      protoNum: 6,
      timeout: 431998,
      state: 'ESTABLISHED',
      src: '10.60.0.2',
      dst: '10.60.0.1',
      sport: 41902,
      dport: 8081,
      replySrc: '10.61.0.2',
      replyDst: '10.61.0.1',
      replySport: 8080,
      replyDport: 41902,
      flags: ['ASSURED'],
    },
  );
  assert.deepEqual(
    find(value, (e) => e.proto === 'icmp'),
    {
      l3: 'ipv4',
      proto: 'icmp',
      protoNum: 1,
      timeout: 28,
      state: null,
      src: '10.60.0.2',
      dst: '10.61.0.2',
      sport: null,
      dport: null,
      replySrc: '10.61.0.2',
      replyDst: '10.61.0.1',
      replySport: null,
      replyDport: null,
      flags: [],
    },
  );
  const tw = value.filter((e) => e.state === 'TIME_WAIT');
  assert.equal(tw.length, 2);
});

test('nat: IPv6 addresses come out compressed, as inet_ntop writes them', () => {
  const { value } = parseConntrack(read('nat'));
  const v6 = find(value, (e) => e.proto === 'tcp' && e.l3 === 'ipv6');
  assert.equal(v6.src, 'fd60::2');
  assert.equal(v6.dst, 'fd61::2');
  assert.equal(v6.replyDst, 'fd61::1');
});

test('nat-acct: packets=, bytes= and delta-time= do not disturb the tuples', () => {
  const plain = parseConntrack(read('nat'));
  const acct = parseConntrack(read('nat-acct'));
  assert.equal(acct.skipped, 0);
  const shape = (es: ConntrackEntry[]): string[] =>
    es.map((e) => `${e.l3} ${e.proto} ${e.state} ${e.src} ${e.dst} ${e.dport} ${e.replySrc} ${e.replyDst} ${e.flags.join()}`).sort();
  assert.deepEqual(shape(acct.value), shape(plain.value));
});

test('odd: offloaded flow without timeout, unknown keys, gre and sctp are read; junk is counted', () => {
  const { value, skipped } = parseConntrack(read('odd'));
  assert.equal(skipped, 3); // a line of prose, a bad address, a tuple with sport but no dport
  assert.deepEqual(
    value.map((e) => e.proto),
    ['tcp', 'udp', 'unknown', 'gre', 'sctp'],
  );
  const [offload, zoned, unknown, gre, sctp] = value;
  assert.equal(offload?.timeout, 0);
  assert.equal(offload?.state, 'ESTABLISHED');
  assert.deepEqual(offload?.flags, ['OFFLOAD']);
  assert.equal(zoned?.replyDport, 51632);
  assert.equal(unknown?.sport, null);
  assert.equal(unknown?.protoNum, 47);
  assert.equal(gre?.state, null);
  assert.equal(gre?.timeout, 178);
  assert.equal(sctp?.state, 'ESTABLISHED');
  assert.equal(sctp?.sport, 5000);
});

test('truncated last line and empty file', () => {
  assert.deepEqual(parseConntrack(read('empty')), { value: [], skipped: 0 });
  const t = parseConntrack(read('truncated'));
  assert.equal(t.value.length, 3);
  assert.equal(t.skipped, 1);
});

test('readConntrack: a file only root may read says permission denied (needs root)', async () => {
  const fs = new FaultFs();
  fs.faults.set('proc/net/nf_conntrack', 'unreadable');
  const r = await readConntrack(fs);
  assert.deepEqual(r, { ok: false, error: '/proc/net/nf_conntrack: permission denied (needs root)' });
});

test('readConntrack: a missing file says conntrack is not available', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'nd-ct-'));
  try {
    const missing = await readConntrack(kernelFs(root));
    assert.equal(missing.ok, false);
    const error = missing.ok ? '' : missing.error;
    assert.match(error, /^\/proc\/net\/nf_conntrack: /);
    assert.match(error, /conntrack is not available/);
    assert.match(error, /nf_conntrack not loaded/);
    mkdirSync(path.join(root, 'proc/net'), { recursive: true });
    copyFileSync(path.join(FIXTURES, 'truncated'), path.join(root, 'proc/net/nf_conntrack'));
    const r = await readConntrack(kernelFs(root));
    assert.ok(r.ok);
    assert.equal(r.value.length, 3);
    assert.equal(r.skipped, 1);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('isNated: only flows whose reply does not mirror the original', () => {
  const { value } = parseConntrack(read('nat'));
  const local = value.filter((e) => !isNated(e));
  assert.equal(local.length, 1);
  assert.equal(local[0]?.src, '10.61.0.1'); // the router's own connection
});

test('masquerade table from the nat fixture, numeric', () => {
  const { value } = parseConntrack(read('nat'));
  assert.equal(
    formatMasquerade(value, { numeric: true, extend: 0 }),
    [
      'IP masquerading entries',
      'prot   expire source               destination          ports',
      'icmpv6  0:28.00 fd60::2              fd61::2              * -> * (*)',
      'tcp 7199:58.00 fd60::2              fd61::2              58372 -> 8080 (58372)',
      'udp   0:28.00 10.60.0.2            10.61.0.2            48138 -> 9999 (48138)',
      'tcp 7199:58.00 10.60.0.2            10.60.0.1            41902 -> 8081 (41902)',
      'udp   0:28.00 fd60::2              fd61::2              41915 -> 5353 (41915)',
      'udp   0:28.00 10.60.0.2            10.61.0.2            51632 -> 5353 (51632)',
      'tcp   1:58.00 10.60.0.2            10.61.0.2            35604 -> 8080 (35604)',
      'tcp 7199:58.00 10.60.0.2            10.61.0.2            35602 -> 8080 (35602)',
      'icmp  0:28.00 10.60.0.2            10.61.0.2            * -> * (*)',
      '',
    ].join('\n'),
  );
});

test('masquerade: -e columns, all flows, names and services', () => {
  const { value } = parseConntrack(read('nat'));
  const local = value.filter((e) => !isNated(e));
  assert.equal(
    formatMasquerade(local, { numeric: true, extend: 1, all: true }),
    [
      'IP masquerading entries',
      'prot   expire    initseq delta prevd source               destination          ports',
      'tcp   1:58.00          -     -     - 10.61.0.1            10.61.0.2            51038 -> 8080 (51038)',
      '',
    ].join('\n'),
  );
  assert.equal(formatMasquerade(value, { numeric: true, extend: 0, all: true }).split('\n').length, 13);
  const dnat = value.filter((e) => e.dport === 8081);
  const named = {
    hostName: (ip: string): string => (ip === '10.60.0.2' ? 'client' : ip),
    serviceName: (port: number, proto: string): string => (port === 8081 && proto === 'tcp' ? 'tproxy' : String(port)),
  };
  assert.equal(
    formatMasquerade(dnat, { numeric: false, extend: 0, ...named }).split('\n')[2],
    'tcp 7199:58.00 client               10.60.0.1            41902 -> tproxy (41902)',
  );
  assert.equal(
    formatMasquerade(dnat, { numeric: true, extend: 0, ...named }).split('\n')[2],
    'tcp 7199:58.00 10.60.0.2            10.60.0.1            41902 -> 8081 (41902)',
  );
});

test('masquerade: like netstat, no rows prints nothing at all', () => {
  const { value } = parseConntrack(read('nat'));
  assert.equal(formatMasquerade([], { numeric: true, extend: 0, all: true }), '');
  assert.equal(
    formatMasquerade(
      value.filter((e) => !isNated(e)),
      { numeric: true, extend: 0 },
    ),
    '',
  );
});
