// /proc/net/{tcp,tcp6,udp,udp6,raw,raw6} parsing, hex address decoding and netstat's
// host:port cut, against text captured from a real kernel (test/fixtures/sockets/capture.sh).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { endianness } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { InetProto, InetSocket } from '../src/model.js';
import { parseInetLine, parseInetSockets, readInetSockets } from '../src/sources/inet-sockets.js';
import { decodeHexAddress, formatIpv6, isUnspecified } from '../src/sources/inet-address.js';
import { kernelFs } from '../src/sources/kernel-fs.js';
import { endpoint, type ConnOptions, type NameContext } from '../src/names/netstat-notation.js';
import { parseProtocols, parseServices } from '../src/names/services.js';
import { HostNames, parseHosts } from '../src/names/host-names.js';

// Compiled to dist/test/, the fixtures stay in the source tree.
const FX = fileURLToPath(new URL('../../test/fixtures/', import.meta.url));
const read = (rel: string): string => readFileSync(FX + rel, 'utf8');

type Timer = [kind: number, expires: number, retransmits: number, timeout: number];

/** One expected row, in the order of the /proc columns. */
function row(
  proto: InetProto,
  local: string,
  lport: number,
  remote: string,
  rport: number,
  state: number,
  sendQ: number,
  recvQ: number,
  timer: Timer,
  uid: number,
  inode: number,
  drops?: number,
): InetSocket {
  const s: InetSocket = {
    proto,
    family: proto.endsWith('6') ? 6 : 4,
    localAddr: local,
    localPort: lport,
    remoteAddr: remote,
    remotePort: rport,
    state,
    sendQ,
    recvQ,
    timer: { kind: timer[0], expires: timer[1], retransmits: timer[2], timeout: timer[3] },
    uid,
    inode,
  };
  if (drops !== undefined) s.drops = drops;
  return s;
}

const OFF: Timer = [0, 0, 0, 0];
const LISTEN = 10,
  ESTABLISHED = 1,
  SYN_SENT = 2,
  FIN_WAIT2 = 5,
  TIME_WAIT = 6,
  CLOSE = 7,
  CLOSE_WAIT = 8;
const LO = '127.0.0.1',
  ANY = '0.0.0.0',
  ANY6 = '::',
  LO6 = '::1',
  MAPPED = '::ffff:127.0.0.1';
const LONG6 = '2001:db8:1234:5678:9abc:def0:1234:5678';

test('the fixtures were captured on a little-endian machine, like this one', () => {
  // decodeHexAddress follows the running machine's byte order, as the kernel's %08X does.
  assert.equal(endianness(), 'LE');
});

// ---- the namespace capture ----------------------------------------------------------

const t = (...a: Parameters<typeof row> extends [InetProto, ...infer R] ? R : never): InetSocket => row('tcp', ...a);
const EXPECTED_TCP: InetSocket[] = [
  t(LO, 7004, ANY, 0, LISTEN, 0, 0, OFF, 0, 48648),
  t(LO, 7005, ANY, 0, LISTEN, 0, 2, OFF, 0, 49489), // two connections wait in the accept queue
  t(LO, 7001, ANY, 0, LISTEN, 0, 0, OFF, 0, 48638),
  t(LO, 7002, ANY, 0, LISTEN, 0, 0, OFF, 0, 48641),
  t(LO, 7003, ANY, 0, LISTEN, 0, 0, OFF, 0, 48644),
  t(ANY, 8000, ANY, 0, LISTEN, 0, 0, OFF, 65534, 48689), // opened as nobody
  t(ANY, 22, ANY, 0, LISTEN, 0, 0, OFF, 0, 48618),
  t(LO, 631, ANY, 0, LISTEN, 0, 0, OFF, 0, 48619),
  t(LO, 7004, LO, 40009, ESTABLISHED, 0, 0, OFF, 0, 48650),
  t(LO, 40009, LO, 7004, ESTABLISHED, 1000, 0, [1, 0x111, 4, 0], 0, 48649), // data dropped: retransmitting
  t(LO, 631, LO, 40001, ESTABLISHED, 0, 0, OFF, 0, 48621),
  t(LO, 7003, LO, 40007, ESTABLISHED, 0, 0x1f3e5, OFF, 0, 48646), // never reads: Recv-Q
  t(LO, 40002, LO, 8080, ESTABLISHED, 0, 0, OFF, 0, 48623),
  t(LO, 7005, LO, 40010, ESTABLISHED, 0, 0, OFF, 0, 0), // not accepted yet: no inode
  t(LO, 40007, LO, 7003, ESTABLISHED, 0xe0c1b, 0, [4, 0x11b, 0, 0], 0, 48645), // zero-window probe timer
  t(LO, 40010, LO, 7005, ESTABLISHED, 0, 0, OFF, 0, 48687),
  t(LO, 40011, LO, 7005, ESTABLISHED, 0, 0, OFF, 0, 48688),
  t(LO, 40008, LO, 9, SYN_SENT, 1, 0, [1, 0x1f, 3, 0], 0, 48647),
  t(LO, 7001, LO, 40005, CLOSE_WAIT, 0, 0, OFF, 0, 48640),
  t(LO, 40005, LO, 7001, FIN_WAIT2, 0, 0, OFF, 0, 48639),
  t(LO, 7005, LO, 40011, ESTABLISHED, 0, 0, OFF, 0, 0),
  t(LO, 40001, LO, 631, ESTABLISHED, 0, 0, [2, 0x15f7, 0, 0], 0, 48620), // keepalive
  t(LO, 40006, LO, 7002, TIME_WAIT, 0, 0, [3, 0x15f9, 0, 0], 0, 0), // timewait line: 12 fields
];

test('tcp: every line of the namespace capture, exactly', () => {
  const r = parseInetSockets(read('sockets/netns/tcp'), 'tcp');
  assert.equal(r.skipped, 0);
  assert.deepEqual(r.value, EXPECTED_TCP);
});

const t6 = (...a: Parameters<typeof row> extends [InetProto, ...infer R] ? R : never): InetSocket => row('tcp6', ...a);
const EXPECTED_TCP6: InetSocket[] = [
  t6(LONG6, 65535, ANY6, 0, LISTEN, 0, 0, OFF, 0, 48628),
  t6(LO6, 443, ANY6, 0, LISTEN, 0, 0, OFF, 0, 48625),
  t6(ANY6, 8080, ANY6, 0, LISTEN, 0, 0, OFF, 0, 48622),
  t6('2001:db8:0:1::1', 25, ANY6, 0, LISTEN, 0, 0, OFF, 0, 48632), // the longer zero run wins
  t6('2001:db8::1', 5432, ANY6, 0, LISTEN, 0, 0, OFF, 0, 48635),
  t6('2001:db8:1:2:3::', 23, ANY6, 0, LISTEN, 0, 0, OFF, 0, 48634), // run at the end
  t6('fe80::1', 7, ANY6, 0, LISTEN, 0, 0, OFF, 0, 48637),
  t6('2001:db8::1:0:0:1', 80, ANY6, 0, LISTEN, 0, 0, OFF, 0, 48631), // tie: the first run wins
  t6('2001:db8:0:1:1:1:1:0', 21, ANY6, 0, LISTEN, 0, 0, OFF, 0, 48633), // single zeros stay
  t6(LONG6, 65535, LONG6, 40004, ESTABLISHED, 0, 0, OFF, 0, 48630),
  t6(LO6, 443, LO6, 40003, ESTABLISHED, 0, 0, OFF, 0, 48627),
  t6(MAPPED, 8080, MAPPED, 40002, ESTABLISHED, 0, 0, OFF, 0, 48624), // '::' listener, 127.0.0.1 client
  t6(LO6, 40003, LO6, 443, ESTABLISHED, 0, 0, OFF, 0, 48626),
  t6(LONG6, 40004, LONG6, 65535, ESTABLISHED, 0, 0, OFF, 0, 48629),
];

test('tcp6: every line of the namespace capture, exactly', () => {
  const r = parseInetSockets(read('sockets/netns/tcp6'), 'tcp6');
  assert.equal(r.skipped, 0);
  assert.deepEqual(r.value, EXPECTED_TCP6);
});

test('udp: queues, connected state, uid and the drops column', () => {
  const r = parseInetSockets(read('sockets/netns/udp'), 'udp');
  assert.equal(r.skipped, 0);
  assert.deepEqual(r.value, [
    row('udp', LO, 9999, ANY, 0, CLOSE, 0, 0x900, OFF, 0, 49490, 39), // never read, tiny buffer
    row('udp', ANY, 123, ANY, 0, CLOSE, 0, 0, OFF, 0, 48659, 0),
    row('udp', ANY, 5000, ANY, 0, CLOSE, 0, 0, OFF, 65534, 48690, 0),
    row('udp', LO, 40020, LO, 123, ESTABLISHED, 0, 0, OFF, 0, 48661, 0),
    row('udp', LO, 40030, ANY, 0, CLOSE, 0, 0, OFF, 0, 49491, 0),
  ]);
});

test('udp6: bound, connected, and connected to a v4-mapped address', () => {
  const r = parseInetSockets(read('sockets/netns/udp6'), 'udp6');
  assert.equal(r.skipped, 0);
  assert.deepEqual(r.value, [
    row('udp6', ANY6, 5353, ANY6, 0, CLOSE, 0, 0, OFF, 0, 48660, 0),
    row('udp6', LO6, 40021, LO6, 5353, ESTABLISHED, 0, 0, OFF, 0, 48662, 0),
    row('udp6', MAPPED, 40022, MAPPED, 123, ESTABLISHED, 0, 0, OFF, 0, 48663, 0),
  ]);
});

test('raw and raw6: the local port is the protocol number; no drops field outside UDP', () => {
  const r4 = parseInetSockets(read('sockets/netns/raw'), 'raw');
  assert.equal(r4.skipped, 0);
  assert.deepEqual(r4.value, [
    row('raw', ANY, 1, ANY, 0, CLOSE, 0, 0, OFF, 0, 49326), // ping's ICMP socket
    row('raw', LO, 253, ANY, 0, CLOSE, 0, 0, OFF, 0, 49492), // python, IPPROTO 253, bound
  ]);
  const r6 = parseInetSockets(read('sockets/netns/raw6'), 'raw6');
  assert.equal(r6.skipped, 0);
  assert.deepEqual(r6.value, [
    row('raw6', ANY6, 58, ANY6, 0, CLOSE, 0, 0, OFF, 0, 49328), // ping -6: two ICMPv6 sockets
    row('raw6', ANY6, 58, ANY6, 0, CLOSE, 0, 0, OFF, 0, 48606),
  ]);
});

// ---- this host -------------------------------------------------------------------------

test('host capture: tcp, tcp6, udp6 rows; empty raw/raw6/udp tables', () => {
  const tcp = parseInetSockets(read('sockets/host/tcp'), 'tcp');
  assert.equal(tcp.skipped, 0);
  assert.deepEqual(tcp.value, [
    row('tcp', ANY, 22, ANY, 0, LISTEN, 0, 0, OFF, 0, 6133),
    row('tcp', ANY, 2024, ANY, 0, LISTEN, 0, 0, OFF, 0, 1060),
    row('tcp', LO, 8080, ANY, 0, LISTEN, 0, 0, OFF, 0, 6135),
    row('tcp', LO, 52764, LO, 8080, ESTABLISHED, 0, 0, OFF, 0, 6137),
    row('tcp', LO, 8080, LO, 52764, ESTABLISHED, 0, 0, OFF, 0, 6138),
  ]);
  const tcp6 = parseInetSockets(read('sockets/host/tcp6'), 'tcp6');
  assert.deepEqual(tcp6, { value: [row('tcp6', ANY6, 80, ANY6, 0, LISTEN, 0, 0, OFF, 0, 6134)], skipped: 0 });
  const udp6 = parseInetSockets(read('sockets/host/udp6'), 'udp6');
  assert.deepEqual(udp6, { value: [row('udp6', ANY6, 53, ANY6, 0, CLOSE, 0, 0, OFF, 0, 6136, 0)], skipped: 0 });
  for (const p of ['udp', 'raw', 'raw6'] as const) {
    assert.deepEqual(parseInetSockets(read(`sockets/host/${p}`), p), { value: [], skipped: 0 }, p);
  }
});

// ---- odd cases: never throw, count what was skipped ------------------------------------

test('odd: empty file and header-only file give no rows and nothing skipped', () => {
  assert.deepEqual(parseInetSockets(read('sockets/odd/empty'), 'tcp'), { value: [], skipped: 0 });
  assert.deepEqual(parseInetSockets(read('sockets/odd/header-only'), 'tcp'), { value: [], skipped: 0 });
  assert.deepEqual(parseInetSockets('', 'udp6'), { value: [], skipped: 0 });
});

test('odd: a last line cut mid-line is skipped, the lines before it are kept', () => {
  const r = parseInetSockets(read('sockets/odd/truncated'), 'tcp');
  assert.equal(r.skipped, 1);
  assert.deepEqual(r.value, EXPECTED_TCP.slice(0, -1));
});

test('odd: a junk line and a five-field line between real lines are skipped', () => {
  const r = parseInetSockets(read('sockets/odd/garbage'), 'tcp');
  assert.equal(r.skipped, 2);
  assert.deepEqual(r.value, [EXPECTED_TCP[0], EXPECTED_TCP[2]]);
});

test('odd: a non-hex or non-decimal digit inside any field makes the line malformed', () => {
  // Each of lines 2..7 of bad-hex is a real line with one character replaced:
  // address 0100007G, port 1B5Z, state 0Z, tx_queue 0000000X, uid 65534x, inode 4861q.
  const r = parseInetSockets(read('sockets/odd/bad-hex'), 'tcp');
  assert.deepEqual(r.value, [EXPECTED_TCP[0]]);
  assert.equal(r.skipped, 6);
});

test('parseInetLine: too few fields, no "sl:" field, or a bad address is null', () => {
  assert.equal(parseInetLine('   0: 0100007F:0016 00000000:0000 0A', 'tcp'), null);
  assert.equal(parseInetLine('0100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1 1', 'tcp'), null);
  assert.equal(parseInetLine('   0: 0100007F0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1', 'tcp'), null);
  assert.equal(parseInetLine('   0: 0100:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1', 'tcp'), null);
  assert.equal(parseInetLine('', 'raw'), null);
});

test("parseInetLine: a 16-digit tm->when (an old kernel's negative delta) is read as netstat's %lX reads it", () => {
  // Kernels before jiffies_delta_to_clock_t printed an expired timer's negative delta with %08lX.
  const s = parseInetLine(
    '   0: 0100007F:0016 0100007F:9C40 01 00000000:00000000 01:FFFFFFFFFFFFFFF6 00000000     0        0 77 1 0',
    'tcp',
  );
  assert.ok(s);
  assert.equal(s.timer.kind, 1);
  assert.equal(s.timer.expires, Number(0xfffffffffffffff6n)); // the nearest double, as parsed
});

test('readInetSockets over the root-basic tree; a missing table is an error result', async () => {
  const kfs = kernelFs(FX + 'root-basic');
  const tcp = await readInetSockets(kfs, 'tcp');
  assert.deepEqual(tcp, { ok: true, value: EXPECTED_TCP, skipped: 0 });
  const tcp6 = await readInetSockets(kfs, 'tcp6');
  assert.deepEqual(tcp6, { ok: true, value: EXPECTED_TCP6, skipped: 0 });
  assert.deepEqual(await readInetSockets(kfs, 'udplite'), { ok: false, error: '/proc/net/udplite: not available on this system' });
});

// ---- addresses ------------------------------------------------------------------------

test('decodeHexAddress: IPv4 words are little-endian on this machine', () => {
  assert.equal(decodeHexAddress('0100007F'), '127.0.0.1');
  assert.equal(decodeHexAddress('00000000'), '0.0.0.0');
  assert.equal(decodeHexAddress('FFFFFFFF'), '255.255.255.255');
  assert.equal(decodeHexAddress('0101A8C0'), '192.168.1.1');
  assert.equal(decodeHexAddress('0101a8c0'), '192.168.1.1');
});

test('decodeHexAddress: IPv6 from the tcp6 capture', () => {
  assert.equal(decodeHexAddress('00000000000000000000000001000000'), '::1');
  assert.equal(decodeHexAddress('00000000000000000000000000000000'), '::');
  assert.equal(decodeHexAddress('0000000000000000FFFF00000100007F'), '::ffff:127.0.0.1');
  assert.equal(decodeHexAddress('000080FE000000000000000001000000'), 'fe80::1');
  assert.equal(decodeHexAddress('B80D012078563412F0DEBC9A78563412'), LONG6);
  assert.equal(decodeHexAddress('B80D0120020001000000030000000000'), '2001:db8:1:2:3::');
});

test('decodeHexAddress: wrong lengths and non-hex digits are null', () => {
  for (const bad of ['', '0100007', '0100007F0', '0000000000000000000000000100000', 'ZZZZZZZZ']) {
    assert.equal(decodeHexAddress(bad), null, JSON.stringify(bad));
  }
});

test('decodeHexAddress: a non-hex digit after valid ones is null, not a prefix parse', () => {
  // parseInt('0100007G', 16) reads '0100007' and stops: the address must be rejected instead.
  assert.equal(decodeHexAddress('0100007G'), null);
  assert.equal(decodeHexAddress('-100007F'), null);
  assert.equal(decodeHexAddress('0000000000000000FFFF00000100007Z'), null);
});

// glibc's inet_ntop answers for these bytes, taken with python3's socket.inet_ntop (glibc).
const GLIBC_NTOP: [number[], string][] = [
  [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], '::'],
  [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], '::1'],
  [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 1, 2, 3, 4], '::ffff:1.2.3.4'],
  [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 127, 0, 0, 1], '::ffff:127.0.0.1'],
  [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 255, 255, 255, 255], '::ffff:255.255.255.255'],
  [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4], '::1.2.3.4'],
  [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 0, 0, 0, 0], '::ffff:0.0.0.0'],
  [[0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 0, 0, 0, 0, 0, 0], '::ffff:0:0:0'],
  [[0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 0, 1, 0, 2, 0, 3], '::ffff:1:2:3'],
  [[0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 255, 255, 1, 2, 3, 4], '::1:ffff:102:304'],
  [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 254, 1, 2, 3, 4], '::fffe:102:304'],
  [[0, 100, 255, 155, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4], '64:ff9b::102:304'],
  [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0], '::100'],
  [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0], '::1.0.0.0'],
  [[0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], '1::'],
  [[255, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 'ffff::'],
  [[254, 128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 'fe80::1'],
  [[32, 1, 13, 184, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1], '2001:db8::1:0:0:1'],
  [[32, 1, 13, 184, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1], '2001:db8:0:1::1'],
  [[32, 1, 13, 184, 0, 1, 0, 2, 0, 3, 0, 0, 0, 0, 0, 0], '2001:db8:1:2:3::'],
  [[32, 1, 13, 184, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0], '2001:db8:0:1:1:1:1:0'],
  [[0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], '0:0:1::'],
  [[0, 1, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 3, 0, 4], '1::2:0:0:3:4'],
  [[0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0], '1:0:2:0:3:0:4:0'],
  [[0, 0, 0, 0, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7], '::2:3:4:5:6:7'],
  [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0], '::1:0:0'],
  [[0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8], '1:2:3:4:5:6:7:8'],
];

test('formatIpv6 matches glibc inet_ntop, case by case', () => {
  for (const [bytes, want] of GLIBC_NTOP) assert.equal(formatIpv6(bytes), want, bytes.join(','));
});

test('isUnspecified', () => {
  assert.equal(isUnspecified('0.0.0.0'), true);
  assert.equal(isUnspecified('::'), true);
  assert.equal(isUnspecified('::1'), false);
  assert.equal(isUnspecified(MAPPED), false);
});

// ---- endpoint(): netstat's addr_do_one ------------------------------------------------

const BASE_OPTS: ConnOptions = {
  all: true,
  listening: false,
  numericHosts: true,
  numericPorts: true,
  numericUsers: true,
  extend: 0,
  programs: false,
  timers: false,
  wide: false,
};

function names(hostName: (a: string) => string | undefined = () => undefined): NameContext {
  return {
    services: parseServices(read('root-basic/etc/services')),
    users: new Map(),
    hostName,
    owners: null,
    protocols: parseProtocols(read('root-basic/etc/protocols')),
  };
}

test('endpoint: the 22-character cut of addr_do_one', () => {
  const n = names((a) => (({ '192.0.2.1': 'h'.repeat(30), '192.0.2.2': 'ab', '192.0.2.3': 'x'.repeat(18) }) as Record<string, string>)[a]);
  const o: ConnOptions = { ...BASE_OPTS, numericHosts: false, numericPorts: true };
  // 15 + 5 = 20: fits
  assert.equal(endpoint('255.255.255.255', 65535, 'tcp', n, o), '255.255.255.255:65535');
  // 18 + 4 = 22: exactly at the limit, not cut
  assert.equal(endpoint('192.0.2.3', 8080, 'tcp', n, o), `${'x'.repeat(18)}:8080`);
  // 18 + 5 = 23: port kept whole (5 <= 18), host cut to 22 - 5 = 17
  assert.equal(endpoint('192.0.2.3', 65535, 'tcp', n, o), `${'x'.repeat(17)}:65535`);
  // 30 + 1: host cut to 21
  assert.equal(endpoint('192.0.2.1', 7, 'tcp', n, o), `${'h'.repeat(21)}:7`);
  // -W: never cut
  assert.equal(endpoint('192.0.2.1', 65535, 'tcp', n, { ...o, wide: true }), `${'h'.repeat(30)}:65535`);
});

test('endpoint: a service name longer than 18 is cut to 18, the host to 4', () => {
  const services = new Map([
    ['1/tcp', 's'.repeat(25)],
    ['2/tcp', 'q'.repeat(19)],
  ]);
  const n: NameContext = { services, users: new Map(), hostName: (a) => (a === '192.0.2.2' ? 'ab' : undefined), owners: null };
  const o: ConnOptions = { ...BASE_OPTS, numericHosts: false, numericPorts: false };
  assert.equal(endpoint('192.0.2.9', 1, 'tcp', n, o), `192.:${'s'.repeat(18)}`);
  // strncpy of a 2-character host copies just those 2
  assert.equal(endpoint('192.0.2.2', 1, 'tcp', n, o), `ab:${'s'.repeat(18)}`);
  // 2 + 19 = 21 fits
  assert.equal(endpoint('192.0.2.2', 2, 'tcp', n, o), `ab:${'q'.repeat(19)}`);
});

/** Local and Foreign Address columns of a captured `netstat -tuwa…` listing, row by row. */
function netstatColumns(file: string): [string, string][] {
  return read(file)
    .split('\n')
    .slice(2)
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const f = l.trim().split(/\s+/);
      return [f[3] ?? '', f[4] ?? ''];
    });
}

/** All sockets in the order netstat lists them: tcp, tcp6, udp, udp6, raw, raw6 (the files' order). */
function allSockets(): InetSocket[] {
  const out: InetSocket[] = [];
  for (const p of ['tcp', 'tcp6', 'udp', 'udp6', 'raw', 'raw6'] as const) {
    out.push(...parseInetSockets(read(`root-basic/proc/net/${p}`), p).value);
  }
  return out;
}

function serviceProto(p: InetProto): string {
  return p.startsWith('tcp') ? 'tcp' : p.startsWith('raw') ? 'raw' : 'udp';
}

function compareWithNetstat(file: string, n: NameContext, o: ConnOptions, only: (s: InetSocket) => boolean): void {
  const cols = netstatColumns(file);
  const socks = allSockets();
  assert.equal(cols.length, socks.length, 'one netstat row per socket');
  let checked = 0;
  socks.forEach((s, i) => {
    if (!only(s)) return;
    const sp = serviceProto(s.proto);
    const got: [string, string] = [endpoint(s.localAddr, s.localPort, sp, n, o), endpoint(s.remoteAddr, s.remotePort, sp, n, o)];
    // netstat prints port 0 as '*' (get_sname); endpoint does the same through serviceName.
    assert.deepEqual(got, cols[i], `${file} row ${i + 1}: ${s.proto} ${s.localAddr}:${s.localPort}`);
    checked++;
  });
  assert.ok(checked > 0);
}

test('endpoint agrees with real netstat -tuwan and -tuwanW on every captured socket', () => {
  const n = names();
  compareWithNetstat('sockets/netns/netstat-tuwan.txt', n, BASE_OPTS, () => true);
  compareWithNetstat('sockets/netns/netstat-tuwanW.txt', n, { ...BASE_OPTS, wide: true }, () => true);
});

/** The CLI's wiring: /etc/hosts through HostNames, no DNS. */
function cliNames(): NameContext {
  const hosts = new HostNames({ hosts: parseHosts(read('root-basic/etc/hosts')), lookup: null });
  return names((a) => hosts.name(a));
}
const NAMED: ConnOptions = { ...BASE_OPTS, numericHosts: false, numericPorts: false };
const isMapped = (s: InetSocket): boolean => s.localAddr.startsWith('::ffff:');

test('endpoint agrees with real netstat -tuwa and -tuwaW (names from hosts and services) on tcp/udp sockets', () => {
  const n = cliNames();
  const tcpUdp = (s: InetSocket): boolean => !s.proto.startsWith('raw') && !isMapped(s);
  compareWithNetstat('sockets/netns/netstat-tuwa.txt', n, NAMED, tcpUdp);
  compareWithNetstat('sockets/netns/netstat-tuwaW.txt', n, { ...NAMED, wide: true }, tcpUdp);
});

test('endpoint: a v4-mapped address shows as its dotted quad even when /etc/hosts names the IPv4 address (netstat -tuwa)', () => {
  // netstat: "tcp6 ... 127.0.0.1:http-alt 127.0.0.1:40002" and "udp6 ... 127.0.0.1:40022 127.0.0.1:ntp",
  // although /etc/hosts has "127.0.0.1 localhost" (the tcp rows show localhost).
  compareWithNetstat('sockets/netns/netstat-tuwa.txt', cliNames(), NAMED, isMapped);
});

test('endpoint: raw sockets name their port (the protocol) from /etc/protocols as netstat -tuwa does', () => {
  // netstat: "raw 0.0.0.0:icmp", "raw6 [::]:ipv6-icmp"; protocol 253 has no name and stays numeric.
  compareWithNetstat('sockets/netns/netstat-tuwa.txt', cliNames(), NAMED, (s) => s.proto.startsWith('raw'));
});
