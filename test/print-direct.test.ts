// The direct TCP print (print/tcp-direct.ts) against the general path (InetDiagParser rows,
// then renderPrint), on synthetic sock_diag messages: the same bytes and the same warnings for
// every row shape, which flags it takes, and what happens when the dump fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseOptions } from '../src/cli/options.js';
import type { NameContext } from '../src/names/netstat-notation.js';
import { directTcpFits, printDirectTcp } from '../src/print/tcp-direct.js';
import { renderPrint } from '../src/print/render-print.js';
import type { KernelFs, LiveKernel } from '../src/sources/kernel-fs.js';
import { InetDiagParser, type MessageSink } from '../src/sources/sock-diag.js';
import type { Snapshot } from '../src/sources/snapshot.js';

interface Msg {
  family?: number;
  state?: number;
  sport?: number;
  dport?: number;
  src?: number[];
  dst?: number[];
  rq?: number;
  wq?: number;
  inode?: number;
  /** Cut the message short (a length the parsers skip). */
  short?: boolean;
}

/** nlmsghdr + inet_diag_msg (+ the attributes a real kernel adds), as sent for TCPDIAG_GETSOCK. */
function diagMsg(m: Msg): Buffer {
  const body = Buffer.alloc(72 + 36);
  body[0] = m.family ?? 2;
  body[1] = m.state ?? 1;
  body.writeUInt16BE(m.sport ?? 0, 4);
  body.writeUInt16BE(m.dport ?? 0, 6);
  Buffer.from(m.src ?? [127, 0, 0, 1]).copy(body, 8);
  Buffer.from(m.dst ?? [0, 0, 0, 0]).copy(body, 24);
  body.writeUInt32LE(m.rq ?? 0, 56);
  body.writeUInt32LE(m.wq ?? 0, 60);
  body.writeUInt32LE(m.inode ?? 0, 68);
  const payload = m.short ? body.subarray(0, 40) : body;
  const h = Buffer.alloc(16);
  h.writeUInt32LE(16 + payload.length, 0);
  h.writeUInt16LE(18, 4);
  h.writeUInt16LE(2, 6);
  h.writeUInt32LE(1, 8);
  return Buffer.concat([h, payload]);
}

const v6 = (...words: number[]): number[] => words.flatMap((w) => [w >> 8, w & 0xff]);
const mapped = (a: number, b: number, c: number, d: number): number[] => [...v6(0, 0, 0, 0, 0, 0xffff), a, b, c, d];
const LO6 = v6(0, 0, 0, 0, 0, 0, 0, 1);

/** Rows of every shape netstat -tan can print, both families interleaved as one dump gives them. */
function world(): Msg[] {
  const msgs: Msg[] = [
    { state: 10, sport: 22, src: [0, 0, 0, 0], wq: 128, inode: 1 },
    { family: 10, state: 10, sport: 22, src: v6(0, 0, 0, 0, 0, 0, 0, 0), wq: 4096, inode: 2 },
    { family: 10, state: 10, sport: 8080, src: LO6, inode: 3 },
    { state: 1, sport: 40000, dport: 22, dst: [10, 0, 0, 9], rq: 5, wq: 7, inode: 4 },
    // v4-mapped: printed as the IPv4 address it carries.
    { family: 10, state: 1, sport: 22, dport: 51000, src: mapped(127, 0, 0, 1), dst: mapped(192, 168, 100, 200), inode: 5 },
    // An IPv4-compatible address is not unmapped.
    { family: 10, state: 1, sport: 22, dport: 1, src: v6(0, 0, 0, 0, 0, 0, 0x0102, 0x0304), dst: LO6, inode: 6 },
    // A long IPv6 pair: cut to 22 columns unless -W.
    {
      family: 10,
      state: 1,
      sport: 65535,
      dport: 443,
      src: v6(0x2001, 0xdb8, 0x1234, 0x5678, 0x9abc, 0xdef0, 0x1234, 0x5678),
      dst: v6(0xfe80, 0, 0, 0, 0x1, 0x2ff, 0xfe03, 0x405),
      rq: 4294967295,
      wq: 2147483648,
      inode: 7,
    },
    { state: 6, sport: 40001, dport: 80, dst: [255, 255, 255, 255], inode: 0 },
    { state: 3, sport: 22, dport: 40002, inode: 0 },
    { state: 13, sport: 9, dport: 9, inode: 8 },
    { state: 0, sport: 1, dport: 2, inode: 9 },
    { state: 11, sport: 1, dport: 0, inode: 10 },
    { family: 10, state: 6, sport: 443, dport: 50123, src: LO6, dst: LO6, inode: 0 },
  ];
  for (let i = 0; i < 40; i++)
    msgs.push({ state: 1, sport: 10_000 + i, dport: 5000, src: [127, 0, i, 1 + i], dst: [127, 0, 0, 1], inode: 100 + i });
  return msgs;
}

/** The messages in chunks of `per`, as the kernel sends a dump. */
function chunks(msgs: Msg[], per = 7): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < msgs.length; i += per) out.push(Buffer.concat(msgs.slice(i, i + per).map(diagMsg)));
  return out;
}

function eachMessage(bufs: Buffer[], fn: (b: Buffer, off: number, len: number) => void): void {
  for (const b of bufs)
    for (let off = 0; off < b.length;) {
      const len = b.readUInt32LE(off);
      fn(b, off, len);
      off += (len + 3) & ~3;
    }
}

interface FakeDiag {
  bothFamiliesRefused: boolean;
  requests: string[];
  dumpTcpBothFamilies(states: number, sink: MessageSink): Promise<void>;
  dump(proto: string, states: number, sink: MessageSink): Promise<void>;
}

/** A live kernel whose sockstat says how many sockets each table holds and whose sock_diag
 *  socket answers with `bufs` (then fails, when `failAfter` is set). */
function fakeKernel(
  bufs: Buffer[],
  sockstat = 'TCP: inuse 9 orphan 0 tw 2 alloc 9 mem 1\n',
  failAfter?: number,
): { kfs: KernelFs; diag: FakeDiag } {
  const fail = (): never => {
    throw new Error('not in this test');
  };
  const replay = async (sink: MessageSink): Promise<void> => {
    let n = 0;
    for (const b of bufs) {
      if (failAfter !== undefined && n >= failAfter) throw new Error('sock_diag tcp+tcp6: truncated message');
      eachMessage([b], (buf, off, len) => sink.message(buf, off, len));
      n++;
    }
    if (failAfter !== undefined) throw new Error('sock_diag tcp+tcp6: truncated message');
  };
  const diag: FakeDiag = {
    bothFamiliesRefused: false,
    requests: [],
    async dumpTcpBothFamilies(_states, sink) {
      this.requests.push('both');
      await replay(sink);
    },
    async dump(proto, _states, sink) {
      this.requests.push(proto);
      await replay(sink);
    },
  };
  const live = {
    readKept: (rel: string) => {
      if (rel === 'proc/net/sockstat') return sockstat;
      if (rel === 'proc/net/sockstat6') return 'TCP6: inuse 4\n';
      return fail();
    },
    access: async () => {},
    sockDiag: () => diag,
  } as unknown as LiveKernel;
  return { kfs: { root: '/', live, readText: fail, readDir: fail, readLink: fail }, diag };
}

const NAMES: NameContext = { services: new Map(), users: new Map(), hostName: () => undefined, owners: null };

/** The general path's text and warnings for the same messages, as dumpTcpBothFamilies files them. */
function general(args: string[], bufs: Buffer[]): { out: string; errors: string[] } {
  const v4 = new InetDiagParser('tcp', false);
  const v6p = new InetDiagParser('tcp6', false);
  let other = 0;
  eachMessage(bufs, (b, off, len) => {
    const family = len > 16 ? b[off + 16] : 2;
    if (family === 10) v6p.message(b, off, len);
    else if (family === 2) v4.message(b, off, len);
    else other++;
  });
  const snap: Snapshot = {
    time: 0,
    inet: {
      tcp: { ok: true, value: v4.finish(), skipped: v4.skipped + other },
      tcp6: { ok: true, value: v6p.finish(), skipped: v6p.skipped },
    },
  };
  return renderPrint(parseOptions(['--print', ...args]), snap, NAMES);
}

async function direct(args: string[], kfs: KernelFs): Promise<{ code: number | null; out: string; warnings: string[]; pieces: number }> {
  const parts: Buffer[] = [];
  const out = {
    writableLength: 0,
    write(b: Buffer) {
      parts.push(Buffer.from(b));
      return true;
    },
  } as unknown as NodeJS.WritableStream;
  const warnings: string[] = [];
  const code = await printDirectTcp(kfs, parseOptions(['--print', ...args]), out, (m) => warnings.push(m));
  return { code, out: Buffer.concat(parts).toString('latin1'), warnings, pieces: parts.length };
}

test('directTcpFits: TCP alone, numeric, no extra columns; everything else goes the general way', () => {
  const fits = (...a: string[]): boolean => directTcpFits(parseOptions(['--print', ...a]));
  for (const a of [['-tan'], ['-tn'], ['-tln'], ['-tanW'], ['--tcp', '--all', '--numeric'], ['-tan', '-4', '-6'], ['-tanv']])
    assert.ok(fits(...a), a.join(' '));
  for (const a of [
    ['-ta'],
    ['-ta', '--numeric-hosts'],
    ['-ta', '--numeric-ports'],
    ['-tanp'],
    ['-tane'],
    ['-tano'],
    ['-tan', '--info'],
    ['-tuan'],
    ['-tanx'],
    ['-tan4'],
    ['-tan6'],
    ['-an'],
    ['-s'],
    ['-tanc'],
  ])
    assert.ok(!fits(...a), a.join(' '));
  assert.ok(!directTcpFits(parseOptions(['--json', '-tan'])));
});

test('the direct print gives the general path bytes for every row shape, in -tan, -tn, -tln and -W', async () => {
  const bufs = chunks(world());
  for (const args of [['-tan'], ['-tn'], ['-tln'], ['-tanW'], ['-tnW']]) {
    const { kfs, diag } = fakeKernel(bufs);
    const got = await direct(args, kfs);
    const want = general(args, bufs);
    assert.equal(got.code, 0, args.join(' '));
    assert.equal(got.out, want.out, args.join(' '));
    assert.deepEqual(got.warnings, want.errors, args.join(' '));
    assert.deepEqual(diag.requests, ['both']);
  }
  // What the rows look like, so that the comparison is not between two empty tables.
  const text = (await direct(['-tan'], fakeKernel(bufs).kfs)).out;
  assert.match(text, /^tcp6 +0 +0 127\.0\.0\.1:22 +192\.168\.100\.200:51000 +ESTABLISHED$/m);
  assert.match(text, /^tcp6 {2}4294967295 2147483648 2001:db8:1234:567:65535 fe80::1:2ff:fe03:40:443 ESTABLISHED$/m);
  assert.match(text, /^tcp +0 +0 0\.0\.0\.0:22 +0\.0\.0\.0:\* +LISTEN {5}$/m);
  assert.match(text, /UNKNOWN\(13\)/);
  assert.match(text, /TIME_WAIT/);
  assert.ok(text.indexOf('tcp6') > text.lastIndexOf('\ntcp '), "all of tcp's rows before tcp6's");
});

test('messages too short for a row and of another family: the same notes as the general path, after the text', async () => {
  const msgs = [...world(), { short: true, family: 10 }, { family: 7, state: 1, sport: 1, dport: 2 }, { short: true }];
  const bufs = chunks(msgs);
  const got = await direct(['-tan'], fakeKernel(bufs).kfs);
  const want = general(['-tan'], bufs);
  assert.equal(got.out, want.out);
  assert.deepEqual(got.warnings, want.errors);
  assert.deepEqual(got.warnings, ['/proc/net/tcp: 2 malformed lines skipped', '/proc/net/tcp6: 1 malformed line skipped']);
});

test('a table the kernel counts empty is not dumped; the other is dumped on its own (as readTcpTables reads them)', async () => {
  const v6only = world().filter((m) => m.family === 10);
  const bufs = chunks(v6only);
  const { kfs, diag } = fakeKernel(bufs, 'TCP: inuse 0 orphan 0 tw 0 alloc 0 mem 0\n');
  const got = await direct(['-tan'], kfs);
  assert.equal(got.code, 0);
  assert.deepEqual(diag.requests, ['tcp6']);
  assert.equal(got.out, general(['-tan'], bufs).out);
});

test('a big table goes out in pieces of 64 KiB, each ending with a whole line', async () => {
  const msgs: Msg[] = [];
  for (let i = 0; i < 3000; i++) msgs.push({ state: 1, sport: 1024 + i, dport: 80, dst: [10, 1, i >> 8, i & 255], inode: i + 1 });
  for (let i = 0; i < 1000; i++)
    msgs.push({ family: 10, state: 1, sport: 1024 + i, dport: 443, src: LO6, dst: mapped(10, 2, i >> 8, i & 255), inode: 5000 + i });
  const bufs = chunks(msgs, 250);
  const parts: Buffer[] = [];
  const out = {
    // A stream that keeps what it was given: the writer must not reuse that buffer.
    writableLength: 1,
    write(b: Buffer) {
      parts.push(b);
      return true;
    },
  } as unknown as NodeJS.WritableStream;
  assert.equal(await printDirectTcp(fakeKernel(bufs).kfs, parseOptions(['--print', '-tan']), out, () => {}), 0);
  assert.ok(parts.length >= 5, `${parts.length} pieces`);
  for (const p of parts) {
    assert.ok(p.length <= (1 << 16) + 512);
    assert.equal(p[p.length - 1], 10);
  }
  assert.equal(Buffer.concat(parts).toString('latin1'), general(['-tan'], bufs).out);
});

test('a dump that fails before anything is written: null (the general path reads again); after: the text so far, a line, status 1', async () => {
  const { kfs } = fakeKernel(chunks(world()), undefined, 3);
  const early = await direct(['-tan'], kfs);
  assert.deepEqual(early, { code: null, out: '', warnings: [], pieces: 0 });

  const msgs: Msg[] = [];
  for (let i = 0; i < 4000; i++) msgs.push({ state: 1, sport: 1024 + i, dport: 80, dst: [10, 1, i >> 8, i & 255], inode: i + 1 });
  const bufs = chunks(msgs, 250);
  const late = await direct(['-tan'], fakeKernel(bufs, undefined, 8).kfs);
  assert.equal(late.code, 1);
  assert.deepEqual(late.warnings, ['sock_diag tcp+tcp6: truncated message']);
  assert.ok(late.out.length > 0 && general(['-tan'], bufs).out.startsWith(late.out), 'a prefix of the whole text');
});

test('no live kernel (a --root tree), or a dump refused before any row: null, nothing written', async () => {
  const fail = (): never => {
    throw new Error('no');
  };
  const fixture: KernelFs = { root: '/x', readText: fail, readDir: fail, readLink: fail };
  assert.deepEqual(await direct(['-tan'], fixture), { code: null, out: '', warnings: [], pieces: 0 });
  const { kfs } = fakeKernel([], undefined, 0);
  assert.deepEqual(await direct(['-tan'], kfs), { code: null, out: '', warnings: [], pieces: 0 });
});
