// struct tcp_info and the socket memory slots from sock_diag's INET_DIAG_INFO and
// INET_DIAG_SKMEMINFO attributes. The layout is linux/tcp.h's (uapi): the struct only ever grew
// at its end, and the kernel sends as many bytes as it knows, so each field is read only when the
// attribute holds all of it. A field beyond an older kernel's struct stays absent (unknown),
// never 0. Checked against `ss -tin` on a 6.18 kernel (test/tcp-info.test.ts).
import type { SkMemInfo, TcpInfo } from '../model.js';

type NumKey = Exclude<keyof TcpInfo, 'length'>;

/** [field, byte offset, size in bytes]; the two 4-bit window scales are read apart. */
export const TCP_INFO_LAYOUT: readonly (readonly [NumKey, number, 1 | 4 | 8])[] = [
  ['state', 0, 1],
  ['caState', 1, 1],
  ['retransmits', 2, 1],
  ['probes', 3, 1],
  ['backoff', 4, 1],
  ['options', 5, 1],
  ['rto', 8, 4],
  ['ato', 12, 4],
  ['sndMss', 16, 4],
  ['rcvMss', 20, 4],
  ['unacked', 24, 4],
  ['sacked', 28, 4],
  ['lost', 32, 4],
  ['retrans', 36, 4],
  ['fackets', 40, 4],
  ['lastDataSent', 44, 4],
  ['lastAckSent', 48, 4],
  ['lastDataRecv', 52, 4],
  ['lastAckRecv', 56, 4],
  ['pmtu', 60, 4],
  ['rcvSsthresh', 64, 4],
  ['rtt', 68, 4],
  ['rttvar', 72, 4],
  ['sndSsthresh', 76, 4],
  ['sndCwnd', 80, 4],
  ['advmss', 84, 4],
  ['reordering', 88, 4],
  ['rcvRtt', 92, 4],
  ['rcvSpace', 96, 4],
  ['totalRetrans', 100, 4],
  ['pacingRate', 104, 8],
  ['maxPacingRate', 112, 8],
  ['bytesAcked', 120, 8],
  ['bytesReceived', 128, 8],
  ['segsOut', 136, 4],
  ['segsIn', 140, 4],
  ['notsentBytes', 144, 4],
  ['minRtt', 148, 4],
  ['dataSegsIn', 152, 4],
  ['dataSegsOut', 156, 4],
  ['deliveryRate', 160, 8],
  ['busyTime', 168, 8],
  ['rwndLimited', 176, 8],
  ['sndbufLimited', 184, 8],
  ['delivered', 192, 4],
  ['deliveredCe', 196, 4],
  ['bytesSent', 200, 8],
  ['bytesRetrans', 208, 8],
  ['dsackDups', 216, 4],
  ['reordSeen', 220, 4],
  ['rcvOoopack', 224, 4],
  ['sndWnd', 228, 4],
];

/** Bytes of the struct this parser knows (up to tcpi_snd_wnd). */
export const TCP_INFO_KNOWN_LEN = 232;

function u32(b: Uint8Array, o: number): number {
  return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
}

/** A u64 as a number: exact below 2^53 (a byte counter there is 9 PB). */
function u64(b: Uint8Array, o: number): number {
  return u32(b, o) + u32(b, o + 4) * 0x1_0000_0000;
}

/**
 * tcp_info read where its bytes lie, field by field on access: a dump of 50k sockets makes 50k
 * of these (three slots each) instead of 50k objects of 56 numbers, and the fields nobody reads
 * are never decoded. The sock_diag reader copies the known bytes out of the netlink chunk first
 * (its InfoArena: 232 bytes a socket, the chunk is dropped as parsed), so `b` may hold fewer
 * bytes past `off` than `length` says; only fields within TCP_INFO_KNOWN_LEN are ever read. A
 * field past `length` reads as undefined (unknown). JSON.stringify (recordings, --json) gets
 * the plain object through toJSON.
 */
class TcpInfoView {
  constructor(
    readonly b: Uint8Array,
    readonly off: number,
    readonly length: number,
  ) {}

  toJSON(): TcpInfo {
    const out: TcpInfo = { length: this.length };
    const self = this as unknown as TcpInfo;
    for (const k of TCP_INFO_KEYS) {
      const v = self[k];
      if (v !== undefined) out[k] = v;
    }
    return out;
  }
}

for (const [key, at, size] of TCP_INFO_LAYOUT) {
  const get =
    size === 1
      ? function (this: { b: Uint8Array; off: number; length: number }): number | undefined {
          return at + 1 <= this.length ? this.b[this.off + at] : undefined;
        }
      : size === 4
        ? function (this: { b: Uint8Array; off: number; length: number }): number | undefined {
            return at + 4 <= this.length ? u32(this.b, this.off + at) : undefined;
          }
        : function (this: { b: Uint8Array; off: number; length: number }): number | undefined {
            return at + 8 <= this.length ? u64(this.b, this.off + at) : undefined;
          };
  Object.defineProperty(TcpInfoView.prototype, key, { get, enumerable: false, configurable: false });
}
const bitfields: [keyof TcpInfo, (b: number) => number, number][] = [
  ['sndWscale', (b) => b & 0x0f, 6],
  ['rcvWscale', (b) => b >> 4, 6],
  ['deliveryRateAppLimited', (b) => b & 1, 7],
];
for (const [key, f, at] of bitfields) {
  Object.defineProperty(TcpInfoView.prototype, key, {
    get(this: { b: Uint8Array; off: number; length: number }): number | undefined {
      return at + 1 <= this.length ? f(this.b[this.off + at]!) : undefined;
    },
    enumerable: false,
    configurable: false,
  });
}

/** Every field name, in the struct's order, the window-scale bits after `options`. */
export const TCP_INFO_KEYS: readonly NumKey[] = [
  ...TCP_INFO_LAYOUT.slice(0, 6).map(([k]) => k),
  'sndWscale',
  'rcvWscale',
  'deliveryRateAppLimited',
  ...TCP_INFO_LAYOUT.slice(6).map(([k]) => k),
];

/** tcp_info from `len` bytes at `off` (the attribute's payload), read lazily from `b` (which
 *  must not be changed afterwards: netlink hands each chunk over once). */
export function parseTcpInfo(b: Uint8Array, off: number, len: number): TcpInfo {
  return new TcpInfoView(b, off, len);
}

/**
 * A reader of a few fields into `out` (NaN: unknown), for code that reads the same fields of
 * 50k sockets a tick (the flow deltas): from the bytes at once where the tcp_info is a view, by
 * property otherwise (recordings, tests). The same values as reading each property. A
 * Float64Array boxes no number, where an array that may hold undefined stores each value above
 * 2^31 (a byte counter) as a heap number of its own, 16 bytes a field a socket a tick.
 */
export function tcpInfoFieldReaderF64(keys: readonly NumKey[]): (i: TcpInfo, out: Float64Array) => void {
  const n = keys.length;
  const at = new Int32Array(n),
    size = new Int32Array(n);
  keys.forEach((k, j) => {
    const f = TCP_INFO_LAYOUT.find(([key]) => key === k);
    if (!f) throw new Error(`tcpInfoFieldReaderF64: ${k} is not a plain field`);
    at[j] = f[1];
    size[j] = f[2];
  });
  return (i, out) => {
    if (i instanceof TcpInfoView) {
      const b = i.b,
        o = i.off,
        len = i.length;
      for (let j = 0; j < n; j++) {
        const a = at[j]!,
          z = size[j]!;
        out[j] = a + z > len ? NaN : z === 8 ? u64(b, o + a) : z === 4 ? u32(b, o + a) : b[o + a]!;
      }
    } else
      for (let j = 0; j < n; j++) {
        const v = i[keys[j]!];
        out[j] = v === undefined ? NaN : v;
      }
  };
}

/** A plain object of the known fields (for spreading, JSON, comparisons). */
export function tcpInfoObject(i: TcpInfo): TcpInfo {
  const j = (i as { toJSON?: () => TcpInfo }).toJSON;
  return j ? j.call(i) : { ...i };
}

const MEM_KEYS: readonly (keyof SkMemInfo)[] = [
  'rmemAlloc',
  'rcvbuf',
  'wmemAlloc',
  'sndbuf',
  'fwdAlloc',
  'wmemQueued',
  'optmem',
  'backlog',
  'drops',
];

/** INET_DIAG_SKMEMINFO read lazily where it lies, like TcpInfoView. */
class SkMemView {
  constructor(
    private readonly b: Uint8Array,
    private readonly off: number,
    private readonly len: number,
  ) {}

  toJSON(): SkMemInfo {
    const m: SkMemInfo = {};
    for (let i = 0; i < MEM_KEYS.length && 4 * i + 4 <= this.len; i++) m[MEM_KEYS[i]!] = u32(this.b, this.off + 4 * i);
    return m;
  }
}
MEM_KEYS.forEach((key, i) => {
  Object.defineProperty(SkMemView.prototype, key, {
    get(this: { b: Uint8Array; off: number; len: number }): number | undefined {
      return 4 * i + 4 <= this.len ? u32(this.b, this.off + 4 * i) : undefined;
    },
    enumerable: false,
    configurable: false,
  });
});

/** INET_DIAG_SKMEMINFO: u32 slots in SK_MEMINFO_* order, as many as the kernel sent. */
export function parseSkMemInfo(b: Uint8Array, off: number, len: number): SkMemInfo {
  return new SkMemView(b, off, len) as unknown as SkMemInfo;
}

/** A plain object of the slots the kernel sent. */
export function skMemObject(m: SkMemInfo): SkMemInfo {
  const j = (m as { toJSON?: () => SkMemInfo }).toJSON;
  return j ? j.call(m) : { ...m };
}

/** The 64-bit socket cookie (two host-order u32 words, low first) as decimal text. */
export function cookieText(b: Uint8Array, off: number): string {
  const lo = u32(b, off),
    hi = u32(b, off + 4);
  if (hi < 0x20_0000) return String(hi * 0x1_0000_0000 + lo);
  return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
}
