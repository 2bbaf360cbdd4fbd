// sock_diag rows from one dump to the next: a dump that gives exactly what the last one gave
// hands back the last table itself; any difference gives a new table, with the rows that did
// not change still shared; a one-shot reader keeps nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { InetProto, InetSocket } from '../src/model.js';
import { InetDiagParser, keepRowsBetweenDumps } from '../src/sources/sock-diag.js';

interface Row {
  state?: number;
  sport: number;
  dport: number;
  inode: number;
  rq?: number;
}

/** One dump as the kernel sends it: nlmsghdr + inet_diag_msg per socket, in one buffer. */
function dump(rows: readonly Row[]): Buffer {
  return Buffer.concat(
    rows.map((r) => {
      const b = Buffer.alloc(16 + 72);
      b.writeUInt32LE(b.length, 0);
      b.writeUInt16LE(20, 4);
      const m = 16;
      b[m] = 2;
      b[m + 1] = r.state ?? 1;
      b.writeUInt16BE(r.sport, m + 4);
      b.writeUInt16BE(r.dport, m + 6);
      Buffer.from([127, 0, 0, 1]).copy(b, m + 8);
      Buffer.from([127, 0, 0, 1]).copy(b, m + 24);
      b.writeUInt32LE(r.rq ?? 0, m + 56);
      b.writeUInt32LE(r.inode, m + 68);
      return b;
    }),
  );
}

function parse(proto: InetProto, rows: readonly Row[], complete = true, tcpInfo = false): InetSocket[] {
  const p = new InetDiagParser(proto, complete, tcpInfo);
  const buf = dump(rows);
  for (let off = 0; off < buf.length; off += 88) p.message(buf, off, 88);
  return p.finish();
}

const table = (n: number): Row[] => Array.from({ length: n }, (_, i) => ({ sport: 5000, dport: 10_000 + i, inode: 100 + i }));

test('a dump equal to the last one gives the last table itself', () => {
  const rows = table(500);
  const a = parse('tcp', rows);
  const b = parse('tcp', rows);
  assert.equal(b, a);
  assert.equal(b.length, 500);
});

test('a changed, added or missing row gives a new table; unchanged rows are still the same objects', () => {
  const rows = table(300);
  const a = parse('tcp', rows);
  const changed = rows.map((r, i) => (i === 150 ? { ...r, rq: 7 } : r));
  const b = parse('tcp', changed);
  assert.notEqual(b, a);
  assert.equal(b.length, 300);
  assert.equal(b[149], a[149]);
  assert.equal(b[151], a[151]);
  assert.notEqual(b[150], a[150]);
  assert.equal(b[150]?.recvQ, 7);
  assert.equal(a[150]?.recvQ, 0, 'the last table is not changed');

  const added = parse('tcp', [...changed, { sport: 5000, dport: 9, inode: 9999 }]);
  assert.notEqual(added, b);
  assert.deepEqual(added.slice(0, 300), b);
  assert.equal(added[300]?.inode, 9999);

  const fewer = parse('tcp', changed.slice(0, 299));
  assert.notEqual(fewer, added);
  assert.equal(fewer.length, 299);
  assert.deepEqual(fewer, b.slice(0, 299));

  const again = parse('tcp', changed.slice(0, 299));
  assert.equal(again, fewer, 'and that one is handed back while nothing changes');
});

test('a reordered dump is a new table with the same rows', () => {
  const rows = table(50);
  const a = parse(
    'tcp6',
    rows.map((r) => r),
  );
  const b = parse('tcp6', [...rows].reverse());
  assert.notEqual(b, a);
  assert.deepEqual(new Set(b), new Set(a));
});

test('a filtered dump (listening only) never hands back a cached table', () => {
  const rows = table(20).map((r) => ({ ...r, state: 10, dport: 0 }));
  const a = parse('udp', rows, false);
  const b = parse('udp', rows, false);
  assert.notEqual(b, a);
  assert.deepEqual(b, a);
});

test('keepRowsBetweenDumps(false): every dump is new rows, as read', () => {
  const rows = table(100);
  keepRowsBetweenDumps(false);
  try {
    const a = parse('tcp', rows);
    const b = parse('tcp', rows);
    assert.notEqual(b, a);
    assert.notEqual(b[0], a[0]);
    assert.deepEqual(b, a);
  } finally {
    keepRowsBetweenDumps(true);
  }
  const c = parse('tcp', rows);
  assert.equal(parse('tcp', rows), c, 'kept again once asked');
});

test('a dump with tcp_info drops the plain rows kept for the next plain dump (they would live beside its own)', () => {
  const rows = table(200);
  const a = parse('tcp', rows);
  assert.equal(parse('tcp', rows), a, 'kept between plain dumps');
  const withInfo = parse('tcp', rows, true, true);
  assert.equal(withInfo.length, 200);
  assert.notEqual(withInfo[0], a[0], 'tcp_info rows are rows of their own');
  const b = parse('tcp', rows);
  assert.notEqual(b, a, 'the plain table was let go');
  assert.notEqual(b[0], a[0], 'and every row of it');
  assert.deepEqual(b, a);
  assert.equal(parse('tcp', rows), b, 'kept again from the next plain dump on');
});
