// The fast paths of issue #5 against the plain ones they replace: netlink sock_diag rows
// against /proc rows (synthetic messages, and a real namespace read both ways), the
// one-pass /proc parser against split(), the incremental connection tracker against
// connectionKeys + diffConnections, the array-based state counts against the Map version,
// and the incremental owner cache against a full scan.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, type AddressInfo } from 'node:net';
import { platform, tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InetProto, InetSocket, SourceResult, UnixSocket } from '../src/model.js';
import { TCP_STATES } from '../src/names/netstat-notation.js';
import { ConnectionTracker, connectionKeys, diffConnections } from '../src/sampler/connection-diff.js';
import { readRecording, Recorder, RECORD_SCHEMA } from '../src/sampler/recording.js';
import { SampleEngine, type RawSample } from '../src/sampler/sample-engine.js';
import { Sampler, type Clock } from '../src/sampler/sampler.js';
import { stateCounts } from '../src/sampler/state-counts.js';
import type { Snapshot, Want } from '../src/sources/snapshot.js';
import { parseInetSockets, parseInetSocketsSplit, parseSockstat } from '../src/sources/inet-sockets.js';
import { kernelFs } from '../src/sources/kernel-fs.js';
import { loadAddonSocketClass } from '../src/sources/netlink-addon.js';
import { OwnerCache, scanProcessOwners } from '../src/sources/process-owners.js';
import {
  ALL_STATES,
  DIAG_MSG_LEN,
  dumpInetSockets,
  dumpTcpBothFamilies,
  inetDiagRequest,
  InetDiagParser,
  LISTEN_STATES,
  NLMSG_HDRLEN,
  NO_TIMER,
  SockDiag,
  tcpBothFamiliesRequest,
  COLLECT_YOUNG_EVERY,
  youngCollector,
} from '../src/sources/sock-diag.js';
import { DIAG_MSG_LEN as HELPER_MSG_LEN, diagChunks } from './helpers/diag-messages.js';
import { Netns, readyLine } from './helpers/netns.js';
import { prereq } from './helpers/prereq.js';

const FX = fileURLToPath(new URL('../../test/fixtures/', import.meta.url));
const DIST = fileURLToPath(new URL('../', import.meta.url));

// ---- synthetic netlink messages -------------------------------------------------------------

interface Msg {
  family?: number;
  state?: number;
  timer?: number;
  retrans?: number;
  sport?: number;
  dport?: number;
  src?: number[];
  dst?: number[];
  expires?: number;
  rq?: number;
  wq?: number;
  uid?: number;
  inode?: number;
  attrs?: { type: number; data: Buffer }[];
  seq?: number;
  type?: number;
}

/** nlmsghdr + inet_diag_msg (+ rtattrs), as the kernel sends them. */
function diagMsg(m: Msg): Buffer {
  const attrs = (m.attrs ?? []).map((a) => {
    const len = 4 + a.data.length;
    const b = Buffer.alloc((len + 3) & ~3);
    b.writeUInt16LE(len, 0);
    b.writeUInt16LE(a.type, 2);
    a.data.copy(b, 4);
    return b;
  });
  const body = Buffer.alloc(72);
  body[0] = m.family ?? 2;
  body[1] = m.state ?? 1;
  body[2] = m.timer ?? 0;
  body[3] = m.retrans ?? 0;
  body.writeUInt16BE(m.sport ?? 0, 4);
  body.writeUInt16BE(m.dport ?? 0, 6);
  Buffer.from(m.src ?? [127, 0, 0, 1]).copy(body, 8);
  Buffer.from(m.dst ?? [0, 0, 0, 0]).copy(body, 24);
  body.writeUInt32LE(m.expires ?? 0, 52);
  body.writeUInt32LE(m.rq ?? 0, 56);
  body.writeUInt32LE(m.wq ?? 0, 60);
  body.writeUInt32LE(m.uid ?? 0, 64);
  body.writeUInt32LE(m.inode ?? 0, 68);
  const payload = Buffer.concat([body, ...attrs]);
  const h = Buffer.alloc(16);
  h.writeUInt32LE(16 + payload.length, 0);
  h.writeUInt16LE(m.type ?? 20, 4);
  h.writeUInt16LE(2, 6);
  h.writeUInt32LE(m.seq ?? 1, 8);
  return Buffer.concat([h, payload]);
}

function parse(proto: InetProto, msgs: Msg[]): InetSocket[] {
  const p = new InetDiagParser(proto);
  const buf = Buffer.concat(msgs.map(diagMsg));
  for (let off = 0; off < buf.length;) {
    const len = buf.readUInt32LE(off);
    p.message(buf, off, len);
    off += (len + 3) & ~3;
  }
  return p.finish();
}

const v6 = (...words: number[]): number[] => words.flatMap((w) => [w >> 8, w & 0xff]);

test('inetDiagRequest: nlmsghdr and inet_diag_req_v2 as ss sends them', () => {
  const tcp = inetDiagRequest('tcp6', LISTEN_STATES, 7);
  assert.equal(tcp.length, 72);
  assert.equal(tcp.readUInt32LE(0), 72);
  assert.equal(tcp.readUInt16LE(4), 20); // SOCK_DIAG_BY_FAMILY
  assert.equal(tcp.readUInt16LE(6), 0x301); // NLM_F_REQUEST | NLM_F_DUMP
  assert.equal(tcp.readUInt32LE(8), 7);
  assert.deepEqual([tcp[16], tcp[17], tcp[18]], [10, 6, 0]);
  assert.equal(tcp.readUInt32LE(20), 1 << 10);
  assert.ok(
    tcp.subarray(24).every((b) => b === 0),
    'socket id: match all',
  );
  const udp = inetDiagRequest('udp', LISTEN_STATES, 8);
  assert.deepEqual([udp[16], udp[17], udp[18]], [2, 17, 1 << 6], 'UDP asks for SKMEMINFO (drops)');
  assert.equal(udp.readUInt32LE(20), ALL_STATES >>> 0, 'the state filter is TCP only');
  assert.throws(() => inetDiagRequest('raw', ALL_STATES, 1));
});

test('InetDiagParser: the /proc row for listeners, connections and timers', () => {
  const rows = parse('tcp', [
    { state: 10, sport: 22, rq: 2, wq: 128, uid: 1000, inode: 500 },
    { state: 1, sport: 40000, dport: 22, dst: [10, 0, 0, 9], rq: 5, wq: 7, inode: 501 },
    { state: 1, sport: 40001, dport: 80, timer: 1, retrans: 3, expires: 1999, inode: 502 },
    { state: 1, sport: 40002, dport: 80, timer: 2, retrans: 1, expires: 7_200_000, inode: 503 },
    { state: 1, sport: 40003, dport: 80, timer: 4, retrans: 2, expires: 205, inode: 504 },
    { state: 6, sport: 40004, dport: 80, timer: 3, expires: 59_999, inode: 0 },
  ]);
  const base = { proto: 'tcp', family: 4, localAddr: '127.0.0.1', remoteAddr: '0.0.0.0', uid: 0 } as const;
  assert.deepEqual(
    rows[0],
    { ...base, localPort: 22, remotePort: 0, state: 10, sendQ: 0, recvQ: 2, timer: NO_TIMER, uid: 1000, inode: 500, backlog: 128 },
    'LISTEN: Send-Q is 0 as in /proc (netlink carries the backlog limit there, kept as backlog)',
  );
  assert.deepEqual(rows[1], {
    ...base,
    localPort: 40000,
    remoteAddr: '10.0.0.9',
    remotePort: 22,
    state: 1,
    sendQ: 7,
    recvQ: 5,
    timer: NO_TIMER,
    inode: 501,
  });
  assert.deepEqual(
    rows.slice(2).map((r) => r.timer),
    [
      { kind: 1, expires: 199, retransmits: 3, timeout: 0 }, // retransmit: icsk_retransmits
      { kind: 2, expires: 720_000, retransmits: 0, timeout: 1 }, // keepalive: probes in "timeout"
      { kind: 4, expires: 20, retransmits: 0, timeout: 2 }, // zero-window probe: likewise
      { kind: 3, expires: 5999, retransmits: 0, timeout: 0 }, // TIME_WAIT
    ],
    'ms → clock ticks (USER_HZ 100), the counter in the column /proc uses for that timer',
  );
  assert.ok(Object.isFrozen(rows[0]?.timer), 'the shared no-timer object cannot be changed through one row');
});

test('InetDiagParser: IPv6 text, v4-mapped, and UDP drops from SKMEMINFO', () => {
  const skmem = (drops: number): { type: number; data: Buffer } => {
    const d = Buffer.alloc(9 * 4);
    d.writeUInt32LE(drops, 8 * 4);
    return { type: 7, data: d };
  };
  const rows = parse('udp6', [
    {
      family: 10,
      state: 7,
      sport: 5353,
      src: v6(0, 0, 0, 0, 0, 0, 0, 0),
      dst: v6(0, 0, 0, 0, 0, 0, 0, 0),
      rq: 2304,
      inode: 9,
      attrs: [skmem(63)],
    },
    {
      family: 10,
      state: 1,
      sport: 40022,
      dport: 123,
      src: v6(0, 0, 0, 0, 0, 0xffff, 0x7f00, 1),
      dst: v6(0x2001, 0xdb8, 0, 1, 0, 0, 0, 1),
      timer: 2,
      retrans: 1,
      inode: 10,
      attrs: [{ type: 5, data: Buffer.alloc(1) }, skmem(0)],
    },
    { family: 10, state: 7, sport: 1, inode: 11, src: v6(0xfe80, 0, 0, 0, 0, 0, 0, 1), dst: v6(0, 0, 0, 0, 0, 0, 0, 0) },
  ]);
  assert.deepEqual(
    rows.map((r) => [r.localAddr, r.remoteAddr, r.drops]),
    [
      ['::', '::', 63],
      ['::ffff:127.0.0.1', '2001:db8:0:1::1', 0],
      ['fe80::1', '::', undefined],
    ],
  );
  assert.ok(!('drops' in rows[2]!), 'no SKMEMINFO: no drops field (as a /proc line without the column)');
  assert.deepEqual(rows[1]?.timer, NO_TIMER, 'UDP has no socket timers in /proc');
  assert.equal(rows[0]?.family, 6);
});

test("InetDiagParser: request sockets get their listener's uid, as /proc prints them", () => {
  const rows = parse('tcp', [
    { state: 10, sport: 80, src: [0, 0, 0, 0], uid: 33, inode: 1 },
    { state: 10, sport: 8080, src: [127, 0, 0, 1], uid: 1000, inode: 2 },
    { state: 3, sport: 80, dport: 5000, timer: 1, retrans: 1, expires: 1000 },
    { state: 3, sport: 8080, dport: 5001, timer: 1, expires: 1000 },
    { state: 3, sport: 9999, dport: 5002, timer: 1, expires: 1000 },
  ]);
  assert.deepEqual(
    rows.slice(2).map((r) => r.uid),
    [33, 1000, 0],
  );
});

test('InetDiagParser: a message too short is skipped, not misread', () => {
  const p = new InetDiagParser('tcp');
  const short = Buffer.alloc(40);
  short.writeUInt32LE(40, 0);
  p.message(short, 0, 40);
  assert.equal(p.skipped, 1);
  assert.equal(p.rows.length, 0);
});

// ---- the socket, with a fake kernel ------------------------------------------------------------

class FakeRaw {
  private listeners: ((b: Buffer) => void)[] = [];
  sent: Buffer[] = [];
  refs = 0;
  constructor(private readonly answer: (req: Buffer) => Buffer[]) {}
  on(event: string, fn: (b: Buffer) => void): void {
    if (event === 'message') this.listeners.push(fn);
  }
  off(_event: string, fn: (b: Buffer) => void): void {
    this.listeners = this.listeners.filter((f) => f !== fn);
  }
  send(msg: Buffer, _o: object, cb: (err?: Error) => void): void {
    this.sent.push(msg);
    cb();
    setImmediate(() => {
      for (const chunk of this.answer(msg)) for (const l of [...this.listeners]) l(chunk);
    });
  }
  close(): void {}
  ref(): void {
    this.refs++;
  }
  unref(): void {
    this.refs--;
  }
}

function done(seq: number, type = 3, errno = 0): Buffer {
  const b = Buffer.alloc(20);
  b.writeUInt32LE(20, 0);
  b.writeUInt16LE(type, 4);
  b.writeUInt32LE(seq, 8);
  b.writeInt32LE(-errno, 16);
  return b;
}

test('SockDiag: a dump spread over chunks, stale messages ignored, one dump at a time', async () => {
  const raw = new FakeRaw((req) => {
    const seq = req.readUInt32LE(8);
    return [
      Buffer.concat([diagMsg({ seq: seq - 1, sport: 1 }), diagMsg({ seq, sport: 2 })]), // a stale message first
      Buffer.concat([diagMsg({ seq, sport: 3 }), done(seq)]),
    ];
  });
  const diag = new SockDiag(raw as unknown as ConstructorParameters<typeof SockDiag>[0]);
  const [a, b] = await Promise.all([dumpInetSockets('tcp', ALL_STATES, diag), dumpInetSockets('tcp6', ALL_STATES, diag)]);
  assert.deepEqual(a?.ok && a.value.map((s) => s.localPort), [2, 3]);
  assert.deepEqual(b?.ok && b.value.map((s) => s.localPort), [2, 3]);
  assert.equal(raw.sent.length, 2);
  assert.notEqual(raw.sent[0]?.readUInt32LE(8), raw.sent[1]?.readUInt32LE(8));
  assert.equal(raw.refs, -1, 'referenced only while a dump runs (the constructor unrefs once)');
});

test('SockDiag: a young-generation collection every COLLECT_YOUNG_EVERY messages of a tcp_info dump (the binding buffers are freed only by a collection), none in a plain dump; the collector is made at the first tcp_info dump', async () => {
  const chunks = 2 * COLLECT_YOUNG_EVERY + 5;
  const raw = new FakeRaw((req) => {
    const seq = req.readUInt32LE(8);
    const out = Array.from({ length: chunks }, (_, i) => diagMsg({ seq, sport: i + 1 }));
    out.push(done(seq));
    return out;
  });
  let made = 0,
    collections = 0;
  const diag = new SockDiag(raw as unknown as ConstructorParameters<typeof SockDiag>[0], () => {
    made++;
    return () => {
      collections++;
    };
  });
  const plain = await dumpInetSockets('tcp', ALL_STATES, diag);
  assert.equal(plain?.ok && plain.value.length, chunks);
  assert.deepEqual([made, collections], [0, 0], 'a plain dump asks for none');
  const info = await dumpInetSockets('tcp', ALL_STATES, diag, true);
  assert.equal(info?.ok && info.value.length, chunks);
  assert.deepEqual([made, collections], [1, 2]);
  await dumpTcpBothFamilies(ALL_STATES, diag, true);
  assert.deepEqual([made, collections], [1, 4], 'made once');
  // The real one: a function where V8 allows it, and the program's global gets no gc.
  const young = youngCollector();
  assert.equal(typeof young, 'function');
  young!();
  assert.equal((globalThis as { gc?: unknown }).gc, undefined);
});

test('tcpBothFamiliesRequest: nlmsghdr and the old inet_diag_req that ss falls back to', () => {
  const req = tcpBothFamiliesRequest(LISTEN_STATES, 9);
  assert.equal(req.length, 76);
  assert.equal(req.readUInt32LE(0), 76);
  assert.equal(req.readUInt16LE(4), 18); // TCPDIAG_GETSOCK
  assert.equal(req.readUInt16LE(6), 0x301);
  assert.equal(req.readUInt32LE(8), 9);
  assert.equal(req.readUInt32LE(16 + 52), 1 << 10, 'idiag_states');
  assert.ok(
    req.subarray(17, 16 + 52).every((b) => b === 0),
    'lengths, extensions and socket id: match all',
  );
});

test('dumpTcpBothFamilies: one request; each message goes to its family, in order; a refusal is not asked again', async () => {
  const raw = new FakeRaw((req) => {
    const seq = req.readUInt32LE(8);
    const type = req.readUInt16LE(4);
    if (type !== 18) return [done(seq, 2, 22)];
    const v6addr = v6(0, 0, 0, 0, 0, 0, 0, 1);
    return [
      Buffer.concat([
        diagMsg({ seq, type, sport: 1, inode: 11 }),
        diagMsg({ seq, type, family: 10, sport: 2, src: v6addr, dst: v6addr, inode: 12 }),
      ]),
      Buffer.concat([
        diagMsg({ seq, type: 20, sport: 99 }),
        diagMsg({ seq, type, sport: 3, inode: 13 }),
        diagMsg({ seq, type, family: 10, sport: 4, src: v6addr, dst: v6addr, inode: 14 }),
      ]),
      Buffer.concat([diagMsg({ seq, type, family: 1, sport: 5 }), done(seq)]),
    ];
  });
  const diag = new SockDiag(raw as unknown as ConstructorParameters<typeof SockDiag>[0]);
  const both = await dumpTcpBothFamilies(ALL_STATES, diag);
  assert.ok(both?.tcp.ok && both.tcp6.ok);
  assert.deepEqual(
    both.tcp.value.map((s) => [s.proto, s.family, s.localPort]),
    [
      ['tcp', 4, 1],
      ['tcp', 4, 3],
    ],
  );
  assert.deepEqual(
    both.tcp6.value.map((s) => [s.proto, s.family, s.localPort, s.localAddr]),
    [
      ['tcp6', 6, 2, '::1'],
      ['tcp6', 6, 4, '::1'],
    ],
  );
  assert.equal(both.tcp.skipped + both.tcp6.skipped, 1, 'the message of another family is counted, not read as IPv4');
  assert.equal(raw.sent.length, 1, 'both tables from one request');
  assert.equal(diag.requests, 1);

  const refusing = new FakeRaw((req) => [done(req.readUInt32LE(8), 2, 22)]);
  const diag2 = new SockDiag(refusing as unknown as ConstructorParameters<typeof SockDiag>[0]);
  assert.equal(await dumpTcpBothFamilies(ALL_STATES, diag2), null, 'refused: the caller asks per family');
  assert.equal(await dumpTcpBothFamilies(ALL_STATES, diag2), null);
  assert.equal(refusing.sent.length, 1, 'a refusal is remembered');
});

test('SockDiag: an error answer (no diag module) means "read /proc" and is not asked again', async () => {
  let asked = 0;
  const raw = new FakeRaw((req) => {
    asked++;
    return [done(req.readUInt32LE(8), 2, 2)];
  });
  const diag = new SockDiag(raw as unknown as ConstructorParameters<typeof SockDiag>[0]);
  assert.equal(await dumpInetSockets('udplite6', ALL_STATES, diag), null);
  assert.equal(await dumpInetSockets('udplite6', ALL_STATES, diag), null);
  assert.equal(asked, 1);
  assert.equal(await dumpInetSockets('raw', ALL_STATES, diag), null, 'raw sockets always come from /proc');
});

test('SockDiag: a message cut short fails the dump at once (the caller reads /proc) and retires the socket', async () => {
  const raw = new FakeRaw((req) => {
    const whole = diagMsg({ seq: req.readUInt32LE(8), sport: 1 });
    return [whole.subarray(0, 60)];
  });
  const diag = new SockDiag(raw as unknown as ConstructorParameters<typeof SockDiag>[0]);
  assert.equal(await dumpInetSockets('tcp6', ALL_STATES, diag), null);
  assert.equal(diag.isClosed, true);
});

// ---- the /proc parser: one pass against split() ---------------------------------------------------

function fixtureTables(): { file: string; proto: InetProto; text: string }[] {
  const out: { file: string; proto: InetProto; text: string }[] = [];
  const protos: InetProto[] = ['tcp', 'tcp6', 'udp', 'udp6', 'raw', 'raw6'];
  for (const dir of ['sockets/host', 'sockets/netns', 'root-basic/proc/net']) {
    for (const p of protos) {
      const file = path.join(FX, dir, p);
      try {
        out.push({ file, proto: p, text: readFileSync(file, 'utf8') });
      } catch {
        /* not in this capture */
      }
    }
  }
  for (const f of readdirSync(path.join(FX, 'sockets/odd'))) {
    const file = path.join(FX, 'sockets/odd', f);
    if (statSync(file).isFile()) for (const p of ['tcp', 'udp6'] as const) out.push({ file, proto: p, text: readFileSync(file, 'utf8') });
  }
  return out;
}

test('parseInetSockets (one pass) gives exactly what split() gives on every captured table', () => {
  const tables = fixtureTables();
  assert.ok(tables.length >= 20);
  for (const t of tables)
    assert.deepEqual(parseInetSockets(t.text, t.proto), parseInetSocketsSplit(t.text, t.proto), `${t.file} as ${t.proto}`);
});

test('parseInetSockets agrees with split() on thousands of damaged lines', () => {
  // A deterministic generator: real lines with one character replaced, deleted or doubled.
  let seed = 12345;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const lines = fixtureTables().flatMap((t) =>
    t.text
      .split('\n')
      .slice(1)
      .filter((l) => l.trim() !== '')
      .map((l) => ({ l, p: t.proto })),
  );
  const alphabet = '0123456789ABCDEFabcdefXZ: \t-\r\v\u00a0\u3000';
  for (let round = 0; round < 4000; round++) {
    const { l, p } = lines[rnd(lines.length)]!;
    const at = rnd(l.length);
    const c = alphabet[rnd(alphabet.length)]!;
    const damaged = [l.slice(0, at) + c + l.slice(at + 1), l.slice(0, at) + l.slice(at + 1), l.slice(0, at) + c + l.slice(at)][rnd(3)]!;
    const text = `header\n${damaged}\n${l}\n`;
    assert.deepEqual(parseInetSockets(text, p), parseInetSocketsSplit(text, p), JSON.stringify(damaged));
  }
  // Long numbers go to the exact path too.
  const long = '   0: 0100007F:0016 0100007F:9C40 01 00000000:00000000 01:FFFFFFFFFFFFFFF6 00000000     0        0 77 1 0';
  assert.deepEqual(parseInetSockets(`h\n${long}\n`, 'tcp'), parseInetSocketsSplit(`h\n${long}\n`, 'tcp'));
});

test('parseSockstat: sockets per table, TIME_WAIT added to both TCP tables', () => {
  const text = [
    'sockets: used 12',
    'TCP: inuse 3 orphan 0 tw 2 alloc 5 mem 1',
    'UDP: inuse 1 mem 0',
    'UDPLITE: inuse 0',
    'RAW: inuse 0',
    'FRAG: inuse 0 memory 0',
    'TCP6: inuse 4',
    'UDP6: inuse 0',
    'UDPLITE6: inuse 0',
    'RAW6: inuse 1',
    'FRAG6: inuse 0 memory 0',
  ].join('\n');
  assert.deepEqual(parseSockstat(text), { tcp: 5, udp: 1, udplite: 0, raw: 0, tcp6: 6, udp6: 0, udplite6: 0, raw6: 1 });
  assert.deepEqual(
    parseSockstat('TCP: inuse 0 orphan 0 tw 0 alloc 0 mem 0\n'),
    { tcp: 0 },
    'no IPv6 counters: those tables are read as usual',
  );
});

// ---- connection churn: incremental against plain -----------------------------------------------

function conn(port: number, rport: number, state: number, inode: number, extra: Partial<InetSocket> = {}): InetSocket {
  return {
    proto: 'tcp',
    family: 4,
    localAddr: '10.0.0.1',
    localPort: port,
    remoteAddr: rport === 0 ? '0.0.0.0' : '10.0.0.2',
    remotePort: rport,
    state,
    sendQ: 0,
    recvQ: 0,
    timer: NO_TIMER,
    uid: 0,
    inode,
    ...extra,
  };
}

test('ConnectionTracker: a row with tcp_info the reader hands on (the same object, its tcp_info read from the latest dump) is in updated every tick', () => {
  const dump = (n: number, t: number): InetSocket[] => {
    const p = new InetDiagParser('tcp', true, true);
    for (const [chunk, used] of diagChunks(n, t)) for (let o = 0; o < used; o += HELPER_MSG_LEN) p.message(chunk, o, HELPER_MSG_LEN);
    return p.finish();
  };
  const tracker = new ConnectionTracker();
  const one = dump(3, 1);
  tracker.update(one, true);
  const two = dump(3, 2);
  assert.equal(two[2], one[2], 'the same row object');
  const { connections, churn } = tracker.update(two, true);
  assert.deepEqual(churn.updated, [...connections.keys()], 'views that sort on tcp_info re-place every row');
  assert.deepEqual(diffConnections(connectionKeys(one), connections).updated, churn.updated, 'the plain diff too');
  // A table without tcp_info: an unchanged row is not listed.
  const plain = [conn(80, 5000, 1, 3)];
  tracker.update(plain, true);
  assert.deepEqual(tracker.update(plain, true).churn.updated, []);
});

test('ConnectionTracker: the same keys, rows and churn as connectionKeys + diffConnections, tick by tick', () => {
  const ticks: InetSocket[][] = [
    [conn(80, 0, 10, 1), conn(80, 0, 10, 2), conn(80, 5000, 1, 3), conn(80, 5001, 1, 4)],
    [conn(80, 0, 10, 1), conn(80, 0, 10, 2), conn(80, 5000, 1, 3), conn(80, 5001, 6, 0), conn(80, 5002, 1, 5)], // to TIME_WAIT, inode 0
    [conn(80, 0, 10, 1), conn(80, 5000, 8, 3), conn(80, 5002, 1, 5), conn(80, 5003, 1, 4)], // closed; inode 4 reused, other tuple
    [conn(80, 0, 10, 1), conn(80, 5000, 8, 3), conn(80, 5000, 9, 6), conn(80, 5002, 1, 5)], // two rows with one key
    [conn(80, 0, 10, 1), conn(80, 5002, 1, 5, { proto: 'tcp6', family: 6 }), conn(80, 5003, 1, 4)],
    [],
    [conn(80, 0, 10, 1)],
  ];
  const tracker = new ConnectionTracker();
  let prev: Map<string, InetSocket> | null = null;
  for (const [i, socks] of ticks.entries()) {
    const want = connectionKeys(socks);
    const wantChurn = diffConnections(prev, want);
    prev = want;
    const got = tracker.update(socks, true);
    assert.deepEqual([...got.connections.entries()], [...want.entries()], `tick ${i}: connections`);
    for (const [k, s] of got.connections) assert.equal(s, want.get(k), `tick ${i}: the row object itself`);
    assert.deepEqual(got.churn, wantChurn, `tick ${i}: churn`);
  }
  assert.deepEqual(tracker.update([], false).churn, { opened: [], closed: [], changed: [], updated: [] }, 'no table read: no churn');
  assert.deepEqual(
    tracker.update([conn(80, 0, 10, 1), conn(81, 0, 10, 7)], true).churn.opened,
    ['tcp|10.0.0.1|81|0.0.0.0|0|7'],
    'a tick without a table keeps the baseline',
  );
  tracker.reset();
  assert.deepEqual(tracker.update([conn(80, 0, 10, 1)], true).churn, { opened: [], closed: [], changed: [], updated: [] });
});

// ---- state counts: arrays against the Map version ----------------------------------------------

function referenceCounts(inet: readonly InetSocket[], unix: readonly UnixSocket[] | null): Map<string, number> {
  // The implementation before #5, kept here as the yardstick.
  const out = new Map<string, number>();
  for (const k of TCP_STATES.slice(1, 12).map((s) => `gauge.tcp.${s}`)) out.set(k, 0);
  let udp = 0,
    raw = 0,
    recvQ = 0,
    sendQ = 0;
  for (const s of inet) {
    if (s.proto.startsWith('tcp')) {
      const k = `gauge.tcp.${TCP_STATES[s.state] ?? 'UNKNOWN'}`;
      out.set(k, (out.get(k) ?? 0) + 1);
    } else if (s.proto.startsWith('raw')) raw++;
    else udp++;
    recvQ += s.recvQ;
    sendQ += s.sendQ;
  }
  out.set('gauge.udp.sockets', udp);
  out.set('gauge.raw.sockets', raw);
  out.set('gauge.queue.recvQ', recvQ);
  out.set('gauge.queue.sendQ', sendQ);
  if (unix) out.set('gauge.unix.sockets', unix.length);
  return out;
}

test('stateCounts: the same gauges in the same order as the Map version, odd states included', () => {
  const protos: InetProto[] = ['tcp', 'tcp6', 'udp', 'udp6', 'udplite', 'raw', 'raw6'];
  let seed = 7;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  for (let round = 0; round < 300; round++) {
    const n = rnd(40);
    const socks: InetSocket[] = [];
    for (let i = 0; i < n; i++) {
      const st = [1, 6, 10, 12, 0, 13, 99, 3][rnd(8)]!;
      socks.push(conn(i, rnd(2) ? 0 : 4000 + i, st, i, { proto: protos[rnd(protos.length)]!, recvQ: rnd(5), sendQ: rnd(5) }));
    }
    const unix = rnd(2) ? [] : null;
    assert.deepEqual([...stateCounts(socks, unix)], [...referenceCounts(socks, unix)], `round ${round}`);
  }
});

// ---- the owner cache: incremental against a full scan ------------------------------------------

test('OwnerCache: incremental scans match a full scan through forks, closes, fd reuse, exec and exit', async (t) => {
  const root = mkdtempSync(path.join(tmpdir(), 'netdash-owners-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const proc = (pid: string, name: string): void => {
    mkdirSync(path.join(root, 'proc', pid, 'fd'), { recursive: true });
    writeFileSync(path.join(root, 'proc', pid, 'cmdline'), `/usr/bin/${name}\0`);
    writeFileSync(path.join(root, 'proc', pid, 'comm'), `${name}\n`);
  };
  const fd = (pid: string, n: number, target: string | null): void => {
    const p = path.join(root, 'proc', pid, 'fd', String(n));
    try {
      unlinkSync(p);
    } catch {
      /* new */
    }
    if (target !== null) symlinkSync(target, p);
  };
  const kfs = kernelFs(root);
  const cache = new OwnerCache(kfs);
  let live = new Set<number>();
  const check = async (what: string): Promise<void> => {
    const full = await scanProcessOwners(kfs);
    const inc = await cache.scan(live);
    for (const inode of live) assert.deepEqual(inc.owners.get(inode), full.owners.get(inode), `${what}: inode ${inode}`);
    assert.equal(inc.denied, full.denied);
  };

  proc('100', 'server');
  fd('100', 0, '/dev/null');
  fd('100', 3, 'socket:[1000]');
  fd('100', 4, 'socket:[1001]');
  proc('200', 'client');
  fd('200', 3, 'socket:[2000]');
  live = new Set([1000, 1001, 2000]);
  await check('start');
  await check('nothing changed');

  // fork: a lower pid shares socket 1001 (the lowest pid owns it, as in netstat).
  proc('50', 'worker');
  fd('50', 5, 'socket:[1001]');
  await check('fork');

  // close and reuse an fd number for a new socket while the old one lives on in pid 50.
  fd('100', 4, 'socket:[1002]');
  live = new Set([1000, 1001, 1002, 2000]);
  await check('fd reused, old socket still alive elsewhere');

  // a non-socket fd number reused for a socket
  fd('100', 0, 'socket:[1003]');
  live = new Set([1000, 1001, 1002, 1003, 2000]);
  await check('file fd reused for a socket');

  // exec: same fds, new name
  writeFileSync(path.join(root, 'proc', '200', 'cmdline'), '/usr/bin/renamed\0');
  await check('exec');

  // a socket closes and its fd number is reused at once (a busy server)
  fd('200', 3, 'socket:[2001]');
  live = new Set([1000, 1001, 1002, 1003, 2001]);
  await check('churn');

  // exit
  rmSync(path.join(root, 'proc', '50'), { recursive: true });
  live = new Set([1000, 1001, 1002, 1003, 2001]);
  await check('exit');

  // an inode nobody owns (a kernel socket) stays unowned without rescanning every time
  live = new Set([1000, 1001, 1002, 1003, 2001, 9999]);
  await check('unowned socket');
  await check('unowned socket again');
});

// ---- a real namespace, read both ways -------------------------------------------------------------

interface Compare {
  available: boolean;
  proc: Partial<Record<InetProto, SourceResult<InetSocket[]> | null>>;
  netlink: Partial<Record<InetProto, SourceResult<InetSocket[]> | null>>;
  listening: SourceResult<InetSocket[]> | null;
  bothFamilies: { tcp: SourceResult<InetSocket[]>; tcp6: SourceResult<InetSocket[]> } | null;
  /** Per-family dumps taken just before bothFamilies (and equal to those just after). */
  bothAround: Partial<Record<InetProto, SourceResult<InetSocket[]> | null>>;
  snapshotRequests: number;
}

/** Timer expiry counts down between the two reads: allow 2 s of it, compare the rest exactly. */
function sameRows(a: InetSocket[], b: InetSocket[], what: string): void {
  assert.equal(b.length, a.length, `${what}: row count`);
  a.forEach((_, i) => {
    const { backlog: xBacklog, ...x } = a[i]!;
    const { backlog, ...y } = b[i]!;
    // Only netlink knows a TCP listener's backlog (/proc does not show it): every other field
    // agrees, and two netlink dumps agree on it too.
    if (y.state === 10 && y.proto.startsWith('tcp'))
      assert.ok(backlog !== undefined && backlog > 0, `${what} row ${i}: backlog ${backlog}`);
    else assert.equal(backlog, undefined, `${what} row ${i}: backlog`);
    if (xBacklog !== undefined) assert.equal(backlog, xBacklog, `${what} row ${i}: backlog`);
    assert.ok(Math.abs(x.timer.expires - y.timer.expires) <= 200, `${what} row ${i}: timer ${x.timer.expires} vs ${y.timer.expires}`);
    assert.deepEqual({ ...y, timer: { ...y.timer, expires: 0 } }, { ...x, timer: { ...x.timer, expires: 0 } }, `${what} row ${i}`);
  });
}

test(
  'netlink and /proc give the same rows in the same order: tcp, tcp6, udp, udp6, udplite, backlog, timers, drops',
  { timeout: 60_000 },
  async (t) => {
    if (!prereq(t, ['root', 'netns'])) return;
    const ns = await Netns.create('diag');
    t.after(() => ns.destroy());
    const world = ns.spawn(process.execPath, [path.join(DIST, 'test/bench/diag-world.js')]);
    const ready = await readyLine<{ raws: number }>(world);
    const r = await ns.exec(process.execPath, [path.join(DIST, 'test/bench/compare-probe.js')]);
    assert.equal(r.code, 0, r.stderr);
    const cmp = JSON.parse(r.stdout) as Compare;
    assert.equal(cmp.available, true, 'a NETLINK_SOCK_DIAG socket could not be opened');
    const covered: string[] = [];
    for (const p of ['tcp', 'tcp6', 'udp', 'udp6', 'udplite', 'udplite6'] as const) {
      const proc = cmp.proc[p];
      const nl = cmp.netlink[p];
      assert.ok(proc, p);
      if (!proc.ok) {
        assert.notEqual(proc.error, 'changed while read', p);
        continue;
      }
      if (p.startsWith('udplite') && nl === null) continue; // a kernel without the udplite diag handler
      assert.ok(nl?.ok, `${p}: netlink gave no answer`);
      sameRows(proc.value, nl.value, p);
      covered.push(`${p}:${proc.value.length}`);
    }
    const tcp = cmp.proc.tcp?.ok ? cmp.proc.tcp.value : [];
    assert.ok(
      tcp.some((s) => s.state === 10 && s.recvQ === 2),
      'a listener with two connections in its accept queue',
    );
    // python's listen(8) and node's listen(backlog 511): the limits the kernel reports.
    const nlTcp = cmp.netlink.tcp?.ok ? cmp.netlink.tcp.value : [];
    assert.equal(nlTcp.find((s) => s.state === 10 && s.localPort === 6005)?.backlog, 8, 'listen(8)');
    assert.equal(nlTcp.find((s) => s.state === 10 && s.localPort === 6001)?.backlog, 511, 'listen(511)');
    assert.ok(
      tcp.some((s) => s.timer.kind === 2),
      'a keepalive timer',
    );
    assert.ok(
      tcp.some((s) => s.state === 6),
      'TIME_WAIT',
    );
    assert.ok(
      tcp.some((s) => s.sendQ > 0),
      'a Send-Q',
    );
    const udp = cmp.proc.udp?.ok ? cmp.proc.udp.value : [];
    assert.ok(
      udp.some((s) => (s.drops ?? 0) > 0),
      'UDP drops',
    );
    assert.ok(
      (cmp.proc.tcp6?.ok ? cmp.proc.tcp6.value : []).some((s) => s.localAddr.startsWith('::ffff:')),
      'v4-mapped',
    );
    // Raw sockets: /proc only (see sock-diag.ts); the readers then agree trivially.
    assert.equal(cmp.netlink.raw, null);
    if (ready.raws > 0) assert.ok(cmp.proc.raw?.ok && cmp.proc.raw.value.length > 0);
    // Listening only: the kernel's filter gives exactly the LISTEN rows.
    assert.ok(cmp.listening?.ok);
    sameRows(
      tcp.filter((s) => s.state === 10),
      cmp.listening.value,
      'listening',
    );
    // Both TCP families from one dump: the rows of the per-family dumps, in their order.
    assert.ok(cmp.bothFamilies, 'the kernel refused the both-families TCP dump');
    for (const p of ['tcp', 'tcp6'] as const) {
      const nl = cmp.bothAround[p];
      assert.ok(nl?.ok && cmp.bothFamilies[p].ok);
      sameRows(nl.value, cmp.bothFamilies[p].value, `${p} from the both-families dump`);
    }
    assert.ok(
      cmp.bothFamilies.tcp6.ok &&
        cmp.bothFamilies.tcp6.value.length > 0 &&
        cmp.bothFamilies.tcp.ok &&
        cmp.bothFamilies.tcp.value.length > 0,
    );
    assert.equal(cmp.snapshotRequests, 1, 'a snapshot of tcp and tcp6 asks the kernel once');
    t.diagnostic(`compared ${covered.join(' ')}`);
  },
);

test('netdash --print gives the same text from netlink as from /proc (-tuan, -tuln, -tuanp)', { timeout: 60_000 }, async (t) => {
  if (!prereq(t, ['root', 'netns'])) return;
  const ns = await Netns.create('diagp');
  t.after(() => ns.destroy());
  const world = ns.spawn(process.execPath, [path.join(DIST, 'test/bench/diag-world.js')]);
  await readyLine(world);
  const cli = path.join(DIST, 'src/cli.js');
  for (const flags of ['-tuan', '-tuln', '-tuanp', '-tuwanep']) {
    const viaNetlink = await ns.exec(process.execPath, [cli, '--print', flags]);
    const viaProc = await ns.exec(process.execPath, [cli, '--print', flags], { env: { ...process.env, NETDASH_INET_SOURCE: 'proc' } });
    assert.equal(viaNetlink.code, 0, viaNetlink.stderr);
    assert.equal(viaNetlink.stdout, viaProc.stdout, flags);
    assert.equal(viaNetlink.stderr, viaProc.stderr, flags);
    assert.ok(viaNetlink.stdout.includes(flags.includes('l') ? 'LISTEN' : 'ESTABLISHED'), flags);
  }
});

test('SampleEngine: tables that are the same rows arrays (an unchanged netlink dump) are not diffed again', () => {
  const engine = new SampleEngine();
  const tcp = [conn(80, 0, 10, 1), conn(80, 5000, 1, 2)];
  const sample = (inet: Snapshot['inet']): RawSample => ({ mono: (mono += 1000), boot: { bootTime: 1 }, snapshot: { time: mono, inet } });
  let mono = 0;
  const a = engine.ingest(sample({ tcp: { ok: true, value: tcp, skipped: 0 } }));
  const b = engine.ingest(sample({ tcp: { ok: true, value: tcp, skipped: 0 } }));
  assert.equal(b.connections, a.connections, 'the same map: nothing to diff or sort again');
  assert.equal(b.churnComplete, true);
  assert.equal(b.stats.get('gauge.tcp.LISTEN')?.total, 1);
  const c = engine.ingest(sample({ tcp: { ok: true, value: [...tcp], skipped: 0 } }));
  assert.notEqual(c.connections, a.connections, 'a new array is a new table');
  assert.deepEqual([...c.connections.keys()], [...a.connections.keys()]);
});

// ---- the sampler's table cadence ----------------------------------------------------------------

test('Sampler tableEveryMs: big tables are read less often, and a sample says how old its table is, in replays too', async (t) => {
  const base = kernelFs(path.join(FX, 'root-basic'));
  let tableReads = 0;
  const kfs = {
    ...base,
    readText: (rel: string) => {
      if (rel === 'proc/net/tcp') tableReads++;
      return base.readText(rel);
    },
  };
  let mono = 1_000_000;
  const clock: Clock = { now: () => mono, mono: () => mono, sleep: () => Promise.resolve() };
  const want: Want = {
    inet: ['tcp', 'tcp6'],
    unix: false,
    owners: false,
    interfaces: false,
    counters: false,
    routes4: false,
    routes6: false,
    conntrack: false,
  };
  const every = new Sampler(kfs, clock, { intervalMs: 1000, want, tableEveryMs: 3000 }, () => {});
  const ages: (number | null)[] = [];
  let first: Map<string, InetSocket> | null = null;
  for (let i = 0; i < 7; i++) {
    const { sample } = await every.tick();
    ages.push(sample.tableAgeMs);
    if (sample.tableAgeMs === 0) first = sample.connections;
    else {
      assert.equal(sample.connections, first, 'a reused table is the same map: nothing to diff or sort again');
      assert.deepEqual(sample.churn, { opened: [], closed: [], changed: [], updated: [] });
    }
    assert.equal(
      sample.stats.get('gauge.tcp.LISTEN')?.total,
      [...sample.connections.values()].filter((s) => s.state === 10 && s.proto.startsWith('tcp')).length,
    );
    mono += 1000;
  }
  assert.deepEqual(ages, [0, 1000, 2000, 0, 1000, 2000, 0]);
  assert.equal(tableReads, 3);

  // Recorded and replayed: the same table ages, and a reused table is one object again.
  const dir = mkdtempSync(path.join(tmpdir(), 'netdash-cadence-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'rec.ndjson');
  const rec = new Recorder(file, { schema: RECORD_SCHEMA, started: 'now', host: 'h', intervalMs: 1000 });
  const recorded = new Sampler(kfs, clock, { intervalMs: 1000, want, tableEveryMs: 3000 }, () => {});
  for (let i = 0; i < 5; i++) {
    rec.write((await recorded.tick()).raw);
    mono += 1000;
  }
  rec.close();
  const replayed = readRecording(file).samples;
  const engine = new SampleEngine();
  assert.deepEqual(
    replayed.map((r) => engine.ingest(r).tableAgeMs),
    [0, 1000, 2000, 0, 1000],
  );
  assert.equal(replayed[1]!.snapshot.inet, replayed[0]!.snapshot.inet);
  assert.notEqual(replayed[3]!.snapshot.inet, replayed[2]!.snapshot.inet);

  // 'auto' on a small table: every tick, as without the option.
  tableReads = 0;
  const auto = new Sampler(kfs, clock, { intervalMs: 1000, want, tableEveryMs: 'auto' }, () => {});
  for (let i = 0; i < 4; i++) {
    assert.equal((await auto.tick()).sample.tableAgeMs, 0);
    mono += 1000;
  }
  assert.equal(tableReads, 4);
  assert.equal(auto.tableEvery, 1000);
});

// ---- the netlink addon without the package's loader (sources/netlink-addon.ts) ----------------

const ADDON_FROM = new URL('../src/sources/sock-diag.js', import.meta.url).href;

test('a sock_diag dump over the addon socket lists what one over RawNetlinkSocket lists', async (t) => {
  if (platform() !== 'linux') return t.skip('Linux only');
  const Addon = loadAddonSocketClass(ADDON_FROM);
  assert.ok(Addon);
  const { RawNetlinkSocket } = createRequire(ADDON_FROM)('netlink/dist/raw.js') as { RawNetlinkSocket: typeof Addon };
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  try {
    // Our listener's row, as each socket reads it (other listeners on the host may come and go).
    const ours = async (C: typeof Addon): Promise<string[]> => {
      const diag = new SockDiag(new C(4 /* NETLINK_SOCK_DIAG */, { messagePeeking: false, msgBufferSize: 32768, recvBufferSize: 1 << 20 }));
      const rows: string[] = [];
      try {
        await diag.dump('tcp', LISTEN_STATES, {
          message(b, off) {
            const d = off + NLMSG_HDRLEN;
            if (((b[d + 4]! << 8) | b[d + 5]!) === port) rows.push(b.subarray(d, d + DIAG_MSG_LEN).toString('hex'));
          },
        });
      } finally {
        diag.close();
      }
      return rows;
    };
    const viaAddon = await ours(Addon);
    assert.equal(viaAddon.length, 1, `one listener on port ${port}`);
    assert.deepEqual(viaAddon, await ours(RawNetlinkSocket));
  } finally {
    server.close();
  }
});
