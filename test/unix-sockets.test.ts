// /proc/net/unix parsing against text captured from a real kernel (test/fixtures/sockets/capture.sh).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { UnixSocket } from '../src/model.js';
import { isUnixListening, parseUnixLine, parseUnixSockets, readUnixSockets, SO_ACCEPTCON } from '../src/sources/unix-sockets.js';
import { kernelFs } from '../src/sources/kernel-fs.js';

const FX = fileURLToPath(new URL('../../test/fixtures/', import.meta.url));
const read = (rel: string): string => readFileSync(FX + rel, 'utf8');

const STREAM = 1,
  DGRAM = 2,
  SEQPACKET = 5;
const SS_UNCONNECTED = 1,
  SS_CONNECTED = 3;
const ACC = SO_ACCEPTCON;
const DIR = '/tmp/netdash-fixture';

function u(refCount: number, flags: number, type: number, state: number, inode: number, path: string | null): UnixSocket {
  return { refCount, protocol: 0, flags, type, state, inode, path };
}
/** Node (libuv) binds abstract names with the whole sun_path, so the kernel pads them with '@'. */
const padded = (name: string): string => name.padEnd(108, '@');

const EXPECTED: UnixSocket[] = [
  u(3, 0, STREAM, SS_CONNECTED, 48665, null),
  u(3, 0, STREAM, SS_CONNECTED, 48675, null),
  u(2, ACC, STREAM, SS_UNCONNECTED, 48664, `${DIR}/stream.sock`),
  u(2, ACC, STREAM, SS_UNCONNECTED, 48669, `${DIR}/with space/a b.sock`),
  // The path was "new\nline.sock": the kernel prints the newline, so "line.sock" becomes a line
  // of its own (skipped) and only the part before it is known.
  u(2, ACC, STREAM, SS_UNCONNECTED, 48670, `${DIR}/new`),
  u(2, ACC, STREAM, SS_UNCONNECTED, 48671, ' lead.sock'), // relative path, leading space kept
  u(3, 0, DGRAM, SS_CONNECTED, 49493, `${DIR}/dgram.sock`),
  u(3, 0, STREAM, SS_CONNECTED, 48672, null),
  u(3, 0, STREAM, SS_CONNECTED, 48666, `${DIR}/stream.sock`), // accepted peer shows the listener's path
  u(3, 0, STREAM, SS_CONNECTED, 48673, null),
  u(2, 0, DGRAM, SS_CONNECTED, 49494, null), // unbound client connected to dgram.sock
  u(3, 0, STREAM, SS_CONNECTED, 48674, null),
  u(2, ACC, STREAM, SS_UNCONNECTED, 48691, padded('@netdash-nobody')),
  u(2, 0, DGRAM, SS_UNCONNECTED, 49495, '@de984'), // autobind: 5 hex digits
  u(2, ACC, STREAM, SS_UNCONNECTED, 48667, padded('@netdash-abstract')),
  u(2, ACC, STREAM, SS_UNCONNECTED, 48668, padded('@net@dash')), // a NUL inside the name prints as '@'
  u(2, ACC, SEQPACKET, SS_UNCONNECTED, 49496, '@netdash-seqpacket'), // exact-length abstract name
];

test('unix: every line of the namespace capture, exactly; the newline-split path costs one line', () => {
  const r = parseUnixSockets(read('unix/netns/unix'));
  assert.deepEqual(r.value, EXPECTED);
  assert.equal(r.skipped, 1);
});

test('unix: listening means unconnected with SO_ACCEPTCON, for stream and seqpacket alike', () => {
  const listening = EXPECTED.filter(isUnixListening).map((s) => s.inode);
  assert.deepEqual(listening, [48664, 48669, 48670, 48671, 48691, 48667, 48668, 49496]);
  // an unconnected datagram socket is not listening
  assert.equal(isUnixListening(u(2, 0, DGRAM, SS_UNCONNECTED, 1, '@x')), false);
});

test('unix: host capture, inode padded by %5lu', () => {
  const r = parseUnixSockets(read('unix/host/unix'));
  assert.deepEqual(r, {
    value: [u(3, 0, STREAM, SS_CONNECTED, 1056, null), u(3, 0, STREAM, SS_CONNECTED, 1057, null)],
    skipped: 0,
  });
});

test('unix odd: empty and header-only files', () => {
  assert.deepEqual(parseUnixSockets(read('unix/odd/empty')), { value: [], skipped: 0 });
  assert.deepEqual(parseUnixSockets(read('unix/odd/header-only')), { value: [], skipped: 0 });
});

test('unix odd: a last line cut mid-line is skipped', () => {
  const r = parseUnixSockets(read('unix/odd/truncated'));
  assert.deepEqual(r.value, EXPECTED.slice(0, -1));
  assert.equal(r.skipped, 2); // the cut line and the "line.sock" fragment
});

test('unix odd: a junk line and a line of five fields are skipped', () => {
  const r = parseUnixSockets(read('unix/odd/garbage'));
  assert.deepEqual(r.value, [EXPECTED[0], EXPECTED[2]]);
  assert.equal(r.skipped, 2);
});

test('parseUnixLine: single lines', () => {
  assert.deepEqual(
    parseUnixLine('0000000000000000: 00000002 00000000 00010000 0001 01 123 /run/a  b'),
    u(2, ACC, STREAM, SS_UNCONNECTED, 123, '/run/a  b'),
  );
  assert.deepEqual(parseUnixLine('0000000000000000: 00000002 00000000 00000000 0002 01  9999'), u(2, 0, DGRAM, SS_UNCONNECTED, 9999, null));
  assert.equal(parseUnixLine('line.sock'), null);
  assert.equal(parseUnixLine('0000000000000000: 00000002 00000000 00000000 0002 01'), null);
  assert.equal(parseUnixLine('0000000000000000: 0000000Z 00000000 00000000 0002 01 12'), null);
  assert.equal(parseUnixLine(''), null);
});

test('readUnixSockets over root-basic; missing file is an error result', async () => {
  const r = await readUnixSockets(kernelFs(FX + 'root-basic'));
  assert.deepEqual(r, { ok: true, value: EXPECTED, skipped: 1 });
  const missing = await readUnixSockets(kernelFs(FX + 'unix/odd'));
  assert.deepEqual(missing, { ok: false, error: '/proc/net/unix: not available on this system' });
});
