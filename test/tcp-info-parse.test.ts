// struct tcp_info parsed by the length the kernel sent: a short struct from an older kernel
// leaves the later fields unknown (absent), never 0; the request asks for it only when wanted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tcpInfoLine, tcpInfoTokens, gFormat } from '../src/print/tcp-info-text.js';
import type { InetSocket, SkMemInfo } from '../src/model.js';
import { inetDiagRequest, InetDiagParser, keepRowsBetweenDumps, tcpBothFamiliesRequest } from '../src/sources/sock-diag.js';
import { cookieText, parseTcpInfo, TCP_INFO_LAYOUT, tcpInfoFieldReaderF64, tcpInfoObject, TcpInfoStore } from '../src/sources/tcp-info.js';

/** A tcp_info of `len` bytes whose every u32 slot holds its own offset + 1 (so no field is 0). */
function fixture(len: number): Buffer {
  const b = Buffer.alloc(len);
  for (let o = 8; o + 4 <= len; o += 4) b.writeUInt32LE(o + 1, o);
  b[0] = 1;
  b[1] = 0;
  b[2] = 2;
  b[3] = 3;
  b[4] = 4;
  b[5] = 7;
  b[6] = 0x7a;
  b[7] = 1;
  return b;
}

test('a 104-byte tcp_info (Linux 2.6): fields up to total_retrans, the rest unknown, not 0', () => {
  const info = parseTcpInfo(fixture(104), 0, 104);
  assert.equal(info.length, 104);
  assert.equal(info.rto, 9);
  assert.equal(info.totalRetrans, 101);
  assert.equal(info.sndWscale, 0xa);
  assert.equal(info.rcvWscale, 0x7);
  for (const k of [
    'pacingRate',
    'bytesAcked',
    'bytesReceived',
    'segsOut',
    'bytesSent',
    'bytesRetrans',
    'minRtt',
    'deliveryRate',
    'sndWnd',
  ] as const) {
    assert.equal(info[k], undefined, k);
    assert.ok(!(k in tcpInfoObject(info)), `${k} absent from its plain form (JSON, recordings)`);
  }
  // Printed like ss: the unknown fields are not there at all.
  const line = tcpInfoLine(info);
  assert.match(line, /rto:0\.009 /);
  assert.match(line, /retrans:37\/101/);
  assert.doesNotMatch(line, /bytes_acked|segs_out|minrtt|snd_wnd/);
});

test('a 144-byte tcp_info (Linux 4.1): byte and segment counters known, min_rtt and later unknown', () => {
  const b = fixture(144);
  b.writeUInt32LE(5, 120);
  b.writeUInt32LE(1, 124); // bytes_acked = 2^32 + 5
  const info = parseTcpInfo(b, 0, 144);
  assert.equal(info.bytesAcked, 2 ** 32 + 5);
  assert.equal(info.segsIn, 141);
  assert.equal(info.notsentBytes, undefined);
  assert.equal(info.minRtt, undefined);
});

test('the full layout: every field at linux/tcp.h offsets, up to snd_wnd at 228', () => {
  const info = parseTcpInfo(fixture(280), 0, 280);
  assert.equal(info.sndWnd, 229);
  assert.equal(info.rcvOoopack, 225);
  assert.equal(info.dsackDups, 217);
  assert.equal(info.delivered, 193);
  assert.equal(info.bytesSent, 201 + 205 * 2 ** 32);
  for (const [k] of TCP_INFO_LAYOUT) assert.notEqual(info[k], undefined, k);
  // As JSON (recordings, --json): the plain fields, the same values.
  const json = JSON.parse(JSON.stringify(info)) as Record<string, number>;
  assert.equal(json['sndWnd'], 229);
  assert.equal(json['length'], 280);
  assert.equal(Object.keys(json).length, TCP_INFO_LAYOUT.length + 4, 'every field, the three bit fields and the length');
  // A struct cut inside a u64: that field is unknown.
  assert.equal(parseTcpInfo(fixture(124), 0, 124).bytesAcked, undefined);
});

test('tcp_info is asked for only when wanted: idiag_ext bits of both request kinds', () => {
  assert.equal(inetDiagRequest('tcp', 0xfff, 1)[18], 0);
  assert.equal(inetDiagRequest('tcp', 0xfff, 1, true)[18], (1 << 1) | (1 << 6));
  assert.equal(inetDiagRequest('udp', 0xfff, 1, true)[18], 1 << 6, 'UDP keeps its SKMEMINFO only');
  assert.equal(tcpBothFamiliesRequest(0xfff, 1)[19], 0);
  assert.equal(tcpBothFamiliesRequest(0xfff, 1, true)[19], (1 << 1) | (1 << 6));
});

/** nlmsghdr + inet_diag_msg + one INET_DIAG_INFO attribute of `info.length` bytes. */
function message(info: Buffer, inode: number, cookie: [number, number]): Buffer {
  const body = Buffer.alloc(72);
  body[0] = 2;
  body[1] = 1;
  body.writeUInt16BE(5000, 4);
  body.writeUInt16BE(40000, 6);
  Buffer.from([127, 0, 0, 1]).copy(body, 8);
  Buffer.from([127, 0, 0, 1]).copy(body, 24);
  body.writeUInt32LE(cookie[0], 44);
  body.writeUInt32LE(cookie[1], 48);
  body.writeUInt32LE(inode, 68);
  const alen = 4 + info.length;
  const attr = Buffer.alloc((alen + 3) & ~3);
  attr.writeUInt16LE(alen, 0);
  attr.writeUInt16LE(2, 2);
  info.copy(attr, 4);
  const h = Buffer.alloc(16);
  h.writeUInt32LE(16 + 72 + attr.length, 0);
  h.writeUInt16LE(20, 4);
  return Buffer.concat([h, body, attr]);
}

test('InetDiagParser with tcp_info: the attribute by its own length, the cookie; a socket keeps its row and tcp_info from dump to dump, the values before in previous', () => {
  const dump = (...msgs: Buffer[]): InetSocket[] => {
    const p = new InetDiagParser('tcp', true, true);
    for (const msg of msgs) p.message(msg, 0, msg.length);
    return p.finish();
  };
  const info = fixture(104);
  const a = dump(message(info, 77, [5, 1]))[0]!;
  assert.equal(a.cookie, String(2 ** 32 + 5));
  assert.equal(a.tcpInfo?.totalRetrans, 101);
  assert.equal(a.tcpInfo?.bytesAcked, undefined);
  assert.equal(a.tcpInfo?.previous, undefined, 'first seen: nothing before');
  // The next dump: the counters moved, the socket's own fields did not. Its row goes on (the
  // previous sample's row is this object), its tcp_info reads this dump's values, and the
  // values before are `previous` (what the detail view's change this tick is taken from).
  info.writeUInt32LE(500, 100);
  const b = dump(message(info, 77, [5, 1]))[0]!;
  assert.equal(b, a, "the socket's row goes on: no row, view or cookie made for it");
  assert.equal(b.tcpInfo?.totalRetrans, 500);
  assert.equal(b.tcpInfo?.previous?.totalRetrans, 101);
  assert.equal(b.tcpInfo?.previous?.rto, 9, 'an unchanged field is there before too');
  assert.equal(b.tcpInfo?.previous?.length, 104);
  assert.deepEqual(tcpInfoObject(b.tcpInfo), tcpInfoObject(parseTcpInfo(info, 0, 104)), 'the same fields as read in place');
  // Its own fields move (the send queue): a new row, the old one as it was; the tcp_info is
  // still the socket's.
  const moved = message(info, 77, [5, 1]);
  moved.writeUInt32LE(1234, 16 + 60);
  const c = dump(moved)[0]!;
  assert.notEqual(c, b);
  assert.equal(c.sendQ, 1234);
  assert.equal(b.sendQ, 0);
  assert.equal(c.tcpInfo, b.tcpInfo);
  // The inode taken by another socket (a new cookie): a new row and tcp_info; the old
  // socket's views read as unknown, never the new socket's values.
  const d = dump(message(fixture(104), 77, [6, 1]))[0]!;
  assert.notEqual(d, c);
  assert.notEqual(d.tcpInfo, c.tcpInfo);
  assert.equal(d.cookie, String(2 ** 32 + 6));
  assert.equal(d.tcpInfo?.previous, undefined);
  assert.equal(c.tcpInfo?.length, 0);
  assert.equal(c.tcpInfo?.totalRetrans, undefined);
  // Gone from a dump: its slot is freed, its views read as unknown.
  assert.deepEqual(dump(), []);
  assert.equal(d.tcpInfo?.rto, undefined);
  assert.deepEqual(tcpInfoObject(d.tcpInfo!), { length: 0 });
  // A whole table read without tcp_info (no view wants it any more) lets the store go: the next
  // tcp_info dump starts afresh.
  const e = dump(message(info, 77, [6, 1]))[0]!;
  assert.equal(dump(message(info, 77, [6, 1]))[0], e);
  const plain = new InetDiagParser('tcp', true, false);
  const pm = message(info, 77, [6, 1]);
  plain.message(pm, 0, pm.length);
  plain.finish();
  const f = dump(message(info, 77, [6, 1]))[0]!;
  assert.notEqual(f, e);
  assert.equal(f.tcpInfo?.previous, undefined);
  assert.equal(e.tcpInfo?.totalRetrans, 500, 'the old rows still read what they last read');
  // A process that reads once keeps nothing: each dump makes its own rows.
  keepRowsBetweenDumps(false);
  try {
    const [x, y] = [dump(message(info, 78, [7, 1]))[0]!, dump(message(info, 78, [7, 1]))[0]!];
    assert.notEqual(x, y);
    assert.equal(y.tcpInfo?.previous, undefined);
    assert.equal(x.tcpInfo?.totalRetrans, 500);
  } finally {
    keepRowsBetweenDumps(true);
  }
  // Without the flag no attribute is read.
  const p = new InetDiagParser('tcp', true, false);
  const msg = message(info, 79, [8, 1]);
  p.message(msg, 0, msg.length);
  assert.equal(p.finish()[0]!.tcpInfo, undefined);
});

test('TcpInfoStore: the values before rebuilt from the words that changed, for thousands of sockets over blocks; a slot that missed a dump has none', () => {
  const store = new TcpInfoStore();
  const n = 5000;
  const bytes = (k: number, t: number): Buffer => {
    const b = fixture(232);
    b.writeUInt32LE(k * 7 + t, 100); // total_retrans
    b.writeUInt32LE(t, 44); // last_data_sent
    return b;
  };
  const slots: number[] = [];
  for (let t = 1; t <= 3; t++) {
    store.beginDump();
    for (let k = 0; k < n; k++) {
      if (t === 1) slots.push(store.alloc());
      // Socket 3 misses the second dump.
      if (t === 2 && k === 3) continue;
      store.write(slots[k]!, bytes(k, t), 0, 232, 0, 0);
    }
  }
  for (const k of [0, 1, 2047, 2048, 4999]) {
    const v = store.infoView(slots[k]!);
    assert.equal(v.totalRetrans, k * 7 + 3);
    assert.equal(v.previous?.totalRetrans, k * 7 + 2, `socket ${k}`);
    assert.equal(v.previous?.lastDataSent, 2);
    assert.equal(v.previous?.rto, 9);
    assert.equal((store.infoView(slots[k]!) as unknown as SkMemInfo).rmemAlloc, undefined, 'no memory slots were sent');
  }
  assert.equal(store.infoView(slots[3]!).totalRetrans, 3 * 7 + 3);
  assert.equal(store.infoView(slots[3]!).previous?.totalRetrans, 3 * 7 + 1, 'its last write was over the first dump');
  store.beginDump();
  assert.equal(store.infoView(slots[3]!).previous?.totalRetrans, 3 * 7 + 1, 'a dump under way: still the values before');
  store.beginDump();
  assert.equal(store.infoView(slots[3]!).previous, undefined, 'two dumps on (it missed one): its change list is reused');
  assert.equal(store.infoView(slots[3]!).totalRetrans, 3 * 7 + 3);
});

test('tcp_info copied out of the message a word at a time (aligned) or a byte at a time: the same fields as read in place', () => {
  for (const len of [104, 144, 232, 280]) {
    const info = fixture(len);
    if (len >= 128) {
      info.writeUInt32LE(0xfffffff0, 120); // bytes_acked above 2^32 + 2^31
      info.writeUInt32LE(7, 124);
    }
    const expected = tcpInfoObject(parseTcpInfo(info, 0, len));
    const msg = message(info, 77, [5, 1]);
    // The message at every offset of a chunk that itself starts anywhere in its memory:
    // netlink's own are 4-byte aligned, the others go the byte way.
    for (const base of [0, 1, 2, 3])
      for (const pad of [0, 1, 2, 3, 4, 8]) {
        const chunk = Buffer.alloc(base + pad + msg.length + 8).subarray(base);
        msg.copy(chunk, pad);
        const p = new InetDiagParser('tcp', true, true);
        p.message(chunk, pad, msg.length);
        const row = p.finish()[0]!;
        assert.deepEqual(tcpInfoObject(row.tcpInfo!), expected, `${len} bytes at offset ${base} + ${pad}`);
        assert.equal(row.tcpInfo!.bytesAcked, len >= 128 ? 7 * 2 ** 32 + 0xfffffff0 : undefined);
      }
  }
});

test("the rows of a tcp_info dump are made at the last such dump's length: fewer or more rows give exactly theirs, in order", () => {
  const dump = (n: number) => {
    const p = new InetDiagParser('tcp6', true, true);
    const info = fixture(232);
    for (let i = 0; i < n; i++) {
      const msg = message(info, 1000 + i, [i, 0]);
      msg[16] = 10; // AF_INET6: a table of its own (this test's hint is not another test's)
      p.message(msg, 0, msg.length);
      if (i === 1) assert.equal(p.rows.length, 2, 'the rows so far, not the array made');
    }
    return p.finish();
  };
  for (const n of [3, 40, 5, 0, 70]) {
    const rows = dump(n);
    assert.equal(rows.length, n);
    assert.equal(Object.keys(rows).length, n, 'no holes');
    assert.deepEqual(
      rows.map((r) => r.inode),
      Array.from({ length: n }, (_, i) => 1000 + i),
    );
  }
});

test('tcpInfoFieldReaderF64: the values of the properties, NaN where unknown, plain objects by property', () => {
  const keys = ['bytesReceived', 'bytesSent', 'bytesAcked', 'totalRetrans', 'segsIn', 'state', 'sndWnd'] as const;
  const read = tcpInfoFieldReaderF64(keys);
  const out = new Float64Array(keys.length);
  for (const len of [104, 144, 232, 280]) {
    const msg = message(fixture(len), 77, [5, 1]);
    const p = new InetDiagParser('tcp', true, true);
    p.message(msg, 0, msg.length);
    const info = p.finish()[0]!.tcpInfo!;
    const want = keys.map((k) => info[k] ?? NaN);
    read(info, out);
    assert.deepEqual([...out], want, `${len} bytes`);
    if (len === 104) assert.deepEqual([out[0], out[3]], [NaN, 101], 'unknown, not 0');
    read(tcpInfoObject(info), out);
    assert.deepEqual([...out], want, `${len} bytes, plain`);
  }
  assert.throws(() => tcpInfoFieldReaderF64(['sndWscale']), /not a plain field/);
});

test('cookieText and gFormat (C %g)', () => {
  const b = Buffer.alloc(8);
  b.writeUInt32LE(0xffffffff, 0);
  b.writeUInt32LE(0xffffffff, 4);
  assert.equal(cookieText(b, 0), '18446744073709551615');
  assert.deepEqual([0.018, 204, 1.25, 0.0001, 1234567, 40].map(gFormat), ['0.018', '204', '1.25', '0.0001', '1.23457e+06', '40']);
  assert.deepEqual(tcpInfoTokens({ length: 8, state: 1 }), []);
});
