// struct tcp_info and the socket memory slots from sock_diag's INET_DIAG_INFO and
// INET_DIAG_SKMEMINFO attributes. The layout is linux/tcp.h's (uapi): the struct only ever grew
// at its end, and the kernel sends as many bytes as it knows, so each field is read only when the
// attribute holds all of it. A field beyond an older kernel's struct stays absent (unknown),
// never 0. Checked against `ss -tin` on a 6.18 kernel (test/tcp-info.test.ts).
import type { InetSocket, SkMemInfo, TcpInfo } from '../model.js';

type NumKey = Exclude<keyof TcpInfo, 'length' | 'previous'>;

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

/** Where a tcp_info view's fields are read: `length` bytes (as the kernel sent them) at `off`. */
interface InfoBytes {
  readonly b: Uint8Array;
  readonly off: number;
  readonly length: number;
}

/** The field getters of a tcp_info view class (TcpInfoView, StoredTcpInfo), over its b, off
 *  and length. */
function defineTcpInfoFields(proto: object): void {
  for (const [key, at, size] of TCP_INFO_LAYOUT) {
    const get =
      size === 1
        ? function (this: InfoBytes): number | undefined {
            return at + 1 <= this.length ? this.b[this.off + at] : undefined;
          }
        : size === 4
          ? function (this: InfoBytes): number | undefined {
              return at + 4 <= this.length ? u32(this.b, this.off + at) : undefined;
            }
          : function (this: InfoBytes): number | undefined {
              return at + 8 <= this.length ? u64(this.b, this.off + at) : undefined;
            };
    Object.defineProperty(proto, key, { get, enumerable: false, configurable: false });
  }
  for (const [key, f, at] of bitfields) {
    Object.defineProperty(proto, key, {
      get(this: InfoBytes): number | undefined {
        return at + 1 <= this.length ? f(this.b[this.off + at]!) : undefined;
      },
      enumerable: false,
      configurable: false,
    });
  }
}
const bitfields: [keyof TcpInfo, (b: number) => number, number][] = [
  ['sndWscale', (b) => b & 0x0f, 6],
  ['rcvWscale', (b) => b >> 4, 6],
  ['deliveryRateAppLimited', (b) => b & 1, 7],
];
defineTcpInfoFields(TcpInfoView.prototype);

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
    if (i instanceof TcpInfoView || i instanceof StoredTcpInfo) {
      const v = i as InfoBytes;
      const b = v.b,
        o = v.off,
        len = v.length;
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
  const j = (i as { toJSON?: (key: string) => TcpInfo }).toJSON;
  return j ? j.call(i, 'tcpInfo') : { ...i };
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
    return memJson(this as unknown as MemBytes);
  }
}

/** Where a memory view's slots are read: `len` bytes at `off`. */
interface MemBytes {
  readonly b: Uint8Array;
  readonly off: number;
  readonly len: number;
}

function memJson(v: MemBytes): SkMemInfo {
  const m: SkMemInfo = {};
  const b = v.b,
    off = v.off,
    len = v.len;
  for (let i = 0; i < MEM_KEYS.length && 4 * i + 4 <= len; i++) m[MEM_KEYS[i]!] = u32(b, off + 4 * i);
  return m;
}

function defineMemFields(proto: object): void {
  MEM_KEYS.forEach((key, i) => {
    Object.defineProperty(proto, key, {
      get(this: MemBytes): number | undefined {
        return 4 * i + 4 <= this.len ? u32(this.b, this.off + 4 * i) : undefined;
      },
      enumerable: false,
      configurable: false,
    });
  });
}
defineMemFields(SkMemView.prototype);

/** INET_DIAG_SKMEMINFO: u32 slots in SK_MEMINFO_* order, as many as the kernel sent. */
export function parseSkMemInfo(b: Uint8Array, off: number, len: number): SkMemInfo {
  return new SkMemView(b, off, len) as unknown as SkMemInfo;
}

/** A plain object of the slots the kernel sent. */
export function skMemObject(m: SkMemInfo): SkMemInfo {
  const j = (m as { toJSON?: (key: string) => SkMemInfo }).toJSON;
  return j ? j.call(m, 'mem') : { ...m };
}

/** The 64-bit socket cookie (two host-order u32 words, low first) as decimal text. */
export function cookieText(b: Uint8Array, off: number): string {
  const lo = u32(b, off),
    hi = u32(b, off + 4);
  if (hi < 0x20_0000) return String(hi * 0x1_0000_0000 + lo);
  return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
}

// ---- the store a live reader keeps from dump to dump ------------------------------------------

/** Where a socket's memory slots lie within its place in a TcpInfoStore (after the tcp_info). */
const MEM_AT = TCP_INFO_KNOWN_LEN;
/** Bytes of one socket in a TcpInfoStore: the known tcp_info, then the nine memory slots
 *  (SK_MEMINFO_DROPS is the last read), 8-aligned. */
const STORE_STRIDE = (MEM_AT + 36 + 7) & ~7;
const STORE_WORDS = STORE_STRIDE >> 2;
/** Slots per block of a TcpInfoStore's bytes (2048: 557 KB). Blocks are added, never copied:
 *  growing one buffer of 50k sockets a few times made 15 MB buffers that the C allocator then
 *  kept (the process's RSS grew by twice what the store holds). */
const BLOCK_SHIFT = 11;
const BLOCK_SLOTS = 1 << BLOCK_SHIFT;

/**
 * tcp_info and socket memory of the sockets a live reader sees dump after dump, struct of
 * arrays by slot: one socket keeps its slot (and its row, and the two view objects below) for
 * as long as it is listed, and each dump writes its bytes over the last ones. A 50k-socket
 * dump then makes no object and no buffer for a socket whose own fields did not change: before,
 * each dump made a row, two views, a cookie string and 268 bytes of buffer a socket (about
 * 35 MB at 50k), all of it promoted to V8's old generation and collected a tick later, while
 * the previous tick's were still held by the last sample.
 *
 * The values of the dump before are kept as the words that changed (an idle connection changes
 * a few: its "last sent/received" ages), not as a second copy: `previous` of a view rebuilds
 * them when asked (the detail view does, for one connection).
 *
 * A slot freed (its socket gone from a dump, or its inode reused by another socket) is handed
 * to another socket later: the views of the old socket then read as unknown (`length` 0), never
 * the new socket's values.
 */
export class TcpInfoStore {
  /** The bytes of slot s: block s >> BLOCK_SHIFT, from (s & (BLOCK_SLOTS - 1)) · STORE_STRIDE. */
  readonly blocks: Uint8Array[] = [];
  private readonly blockWords: Int32Array[] = [];
  /** The lengths the kernel sent, per slot (0: the attribute was not sent). */
  infoLen = new Uint16Array(0);
  memLen = new Uint16Array(0);
  /** Bumped when a slot is freed: a view made before reads as unknown. */
  life = new Uint32Array(0);
  /** Per slot, the values before its last write: `prevCount` words of change list
   *  `prevGen & 1` from `prevAt` (pairs of word index and old value), and the old lengths. */
  private prevAt = new Uint32Array(0);
  private prevCount = new Uint8Array(0);
  private prevInfoLen = new Uint16Array(0);
  private prevMemLen = new Uint16Array(0);
  private prevGen = new Uint32Array(0);
  /** 1 once a slot was written (its next write has values before it), 0 when fresh. */
  private written = new Uint8Array(0);
  /** The socket's cookie, and the dump that last listed it (its reader's bookkeeping). */
  cookieLo = new Uint32Array(0);
  cookieHi = new Uint32Array(0);
  seen = new Uint32Array(0);
  /** The row the reader last made for the slot (which holds the slot's two views). */
  rows: (InetSocket | undefined)[] = [];
  private readonly free: number[] = [];
  /** The two change lists (this dump's and the last one's): the word changed and its old value,
   *  and how much of each is used. */
  private readonly changedWord: Uint8Array[] = [new Uint8Array(1024), new Uint8Array(1024)];
  private readonly oldValue: Int32Array[] = [new Int32Array(1024), new Int32Array(1024)];
  private readonly used = [0, 0];
  /** The current dump (beginDump). */
  gen = 0;

  get capacity(): number {
    return this.life.length;
  }

  /** A new dump: its changes go to the list that held the one before last's. */
  beginDump(): number {
    const g = ++this.gen;
    this.used[g & 1] = 0;
    return g;
  }

  /** A slot for a socket seen for the first time (or again under a new cookie). */
  alloc(): number {
    if (this.free.length === 0) this.grow();
    const s = this.free.pop()!;
    // Blocks are made as slots reach them (slots are handed out lowest first).
    while (this.blocks.length <= s >>> BLOCK_SHIFT) {
      const block = new Uint8Array(BLOCK_SLOTS * STORE_STRIDE);
      this.blocks.push(block);
      this.blockWords.push(new Int32Array(block.buffer));
    }
    this.written[s] = 0;
    this.infoLen[s] = 0;
    this.memLen[s] = 0;
    return s;
  }

  /** The socket of slot `s` is gone: its views read as unknown from now on. */
  release(s: number): void {
    this.life[s] = (this.life[s]! + 1) >>> 0;
    this.rows[s] = undefined;
    this.free.push(s);
  }

  /** Room for half as many sockets again (the small per-slot arrays are copied; the bytes get
   *  blocks of their own as slots reach them). */
  private grow(): void {
    const old = this.capacity;
    const cap = Math.max(BLOCK_SLOTS, Math.ceil((old * 1.5) / BLOCK_SLOTS) * BLOCK_SLOTS);
    const more = <T extends Uint8Array | Uint16Array | Uint32Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.infoLen = more(this.infoLen, (n) => new Uint16Array(n));
    this.memLen = more(this.memLen, (n) => new Uint16Array(n));
    this.life = more(this.life, (n) => new Uint32Array(n));
    this.prevAt = more(this.prevAt, (n) => new Uint32Array(n));
    this.prevCount = more(this.prevCount, (n) => new Uint8Array(n));
    this.prevInfoLen = more(this.prevInfoLen, (n) => new Uint16Array(n));
    this.prevMemLen = more(this.prevMemLen, (n) => new Uint16Array(n));
    this.prevGen = more(this.prevGen, (n) => new Uint32Array(n));
    this.written = more(this.written, (n) => new Uint8Array(n));
    this.cookieLo = more(this.cookieLo, (n) => new Uint32Array(n));
    this.cookieHi = more(this.cookieHi, (n) => new Uint32Array(n));
    this.seen = more(this.seen, (n) => new Uint32Array(n));
    for (let s = cap - 1; s >= old; s--) this.free.push(s);
  }

  /** The source word of `b` at byte `o` (little-endian; zero past `end`). */
  private static word(b: Uint8Array, o: number, end: number): number {
    if (o + 4 <= end) return b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24);
    let v = 0;
    for (let k = 0; k < 4 && o + k < end; k++) v |= b[o + k]! << (8 * k);
    return v;
  }

  private srcBuf: Uint8Array | null = null;
  private src32: Int32Array<ArrayBufferLike> = new Int32Array(0);
  private srcBase = 0;

  /**
   * This dump's bytes of slot `s`: `infoLen` bytes of tcp_info at `infoOff` of `b` and `memLen`
   * bytes of memory slots at `memOff` (a length of 0: the attribute was not sent), as many as
   * this parser reads. The words that change are noted with their old values (`previous`).
   */
  write(s: number, b: Uint8Array, infoOff: number, infoLen: number, memOff: number, memLen: number): void {
    const had = this.written[s] === 1;
    const words = this.blockWords[s >>> BLOCK_SHIFT]!,
      base = (s & (BLOCK_SLOTS - 1)) * STORE_WORDS;
    const g = this.gen,
      li = g & 1;
    let changed = this.changedWord[li]!,
      oldValue = this.oldValue[li]!,
      at = this.used[li]!;
    const start = at;
    // A word view of the source chunk, when its bytes are 4-aligned (netlink attributes are).
    if (this.srcBuf !== b) {
      this.srcBuf = b;
      this.srcBase = b.byteOffset & 3 ? -1 : b.byteOffset;
      this.src32 = this.srcBase < 0 ? new Int32Array(0) : new Int32Array(b.buffer, b.byteOffset, b.length >> 2);
    }
    const aligned = this.srcBase >= 0 && (infoOff & 3) === 0 && (memOff & 3) === 0;
    const src32 = this.src32;
    const nInfo = Math.min(infoLen, MEM_AT),
      nMem = Math.min(memLen, STORE_STRIDE - MEM_AT);
    for (let w = 0; w < STORE_WORDS; w++) {
      const o = w << 2;
      let v: number;
      if (o < MEM_AT) {
        if (o >= nInfo) v = 0;
        else if (aligned && o + 4 <= nInfo) v = src32[(infoOff + o) >> 2]!;
        else v = TcpInfoStore.word(b, infoOff + o, infoOff + nInfo);
      } else {
        const m = o - MEM_AT;
        if (m >= nMem) v = 0;
        else if (aligned && m + 4 <= nMem) v = src32[(memOff + m) >> 2]!;
        else v = TcpInfoStore.word(b, memOff + m, memOff + nMem);
      }
      const old = words[base + w]!;
      if (v !== old) {
        if (had) {
          if (at === changed.length) {
            const n = Math.ceil(at * 1.5);
            const c = new Uint8Array(n),
              v = new Int32Array(n);
            c.set(changed);
            v.set(oldValue);
            this.changedWord[li] = changed = c;
            this.oldValue[li] = oldValue = v;
          }
          changed[at] = w;
          oldValue[at] = old;
          at++;
        }
        words[base + w] = v;
      }
    }
    this.used[li] = at;
    if (had) {
      this.prevAt[s] = start;
      this.prevCount[s] = at - start;
      this.prevInfoLen[s] = this.infoLen[s]!;
      this.prevMemLen[s] = this.memLen[s]!;
      this.prevGen[s] = g;
    } else this.prevGen[s] = 0;
    this.written[s] = 1;
    this.infoLen[s] = Math.min(infoLen, 0xffff);
    this.memLen[s] = Math.min(memLen, 0xffff);
  }

  /** The view of slot `s`'s tcp_info, which is also the view of its memory slots (one object,
   *  see StoredTcpInfo): its row's, so one object for the socket's life in the slot (a new row
   *  made for it, its own fields having moved, takes the same view). */
  infoView(s: number): TcpInfo {
    const row = this.rows[s];
    return row?.tcpInfo ?? (row?.mem as TcpInfo | undefined) ?? (new StoredTcpInfo(this, s, this.life[s]!) as unknown as TcpInfo);
  }

  /** Slot `s`'s tcp_info before its last write, as a view of its own bytes; undefined when the
   *  slot was fresh at that write, or its change list has since been reused (the slot missed a
   *  dump: it was not written in the dump before the current one). */
  previous(s: number, life: number): TcpInfo | undefined {
    if (this.life[s] !== life || this.written[s] !== 1) return undefined;
    const g = this.prevGen[s]!;
    if (g === 0 || this.gen > g + 1 || this.prevInfoLen[s] === 0) return undefined;
    const copy = new Int32Array(STORE_WORDS);
    const base = (s & (BLOCK_SLOTS - 1)) * STORE_WORDS;
    copy.set(this.blockWords[s >>> BLOCK_SHIFT]!.subarray(base, base + STORE_WORDS));
    const changed = this.changedWord[g & 1]!,
      oldValue = this.oldValue[g & 1]!;
    for (let at = this.prevAt[s]!, end = at + this.prevCount[s]!; at < end; at++) copy[changed[at]!] = oldValue[at]!;
    return new TcpInfoView(new Uint8Array(copy.buffer), 0, this.prevInfoLen[s]!);
  }
}

/**
 * tcp_info and socket memory of one socket of a TcpInfoStore, its latest dump's values: one
 * object is both the row's `tcpInfo` and its `mem` (their field names differ), which saves an
 * object a socket (48 bytes, 2.4 MB at 50k). JSON.stringify hands toJSON the property's name,
 * so it writes each as its own (tcpInfoObject and skMemObject pass theirs).
 */
class StoredTcpInfo {
  constructor(
    private readonly s: TcpInfoStore,
    private readonly slot: number,
    private readonly life: number,
  ) {}

  get b(): Uint8Array {
    return this.s.blocks[this.slot >>> BLOCK_SHIFT]!;
  }

  get off(): number {
    return (this.slot & (BLOCK_SLOTS - 1)) * STORE_STRIDE;
  }

  /** 0 (every field unknown) once the socket has left its slot. */
  get length(): number {
    return this.s.life[this.slot] === this.life ? this.s.infoLen[this.slot]! : 0;
  }

  get previous(): TcpInfo | undefined {
    return this.s.previous(this.slot, this.life);
  }

  /** Where the memory slots are read. */
  get memBytes(): MemBytes {
    return {
      b: this.b,
      off: this.off + MEM_AT,
      len: this.s.life[this.slot] === this.life ? this.s.memLen[this.slot]! : 0,
    };
  }

  toJSON(key?: string): TcpInfo | SkMemInfo {
    return key === 'mem' ? memJson(this.memBytes) : TcpInfoView.prototype.toJSON.call(this as unknown as TcpInfoView);
  }
}
defineTcpInfoFields(StoredTcpInfo.prototype);
MEM_KEYS.forEach((key, i) => {
  Object.defineProperty(StoredTcpInfo.prototype, key, {
    get(this: StoredTcpInfo): number | undefined {
      const m = this.memBytes;
      return 4 * i + 4 <= m.len ? u32(m.b, m.off + 4 * i) : undefined;
    },
    enumerable: false,
    configurable: false,
  });
});
