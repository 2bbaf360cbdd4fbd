// Inet sockets through netlink sock_diag (what ss uses) instead of /proc/net/{tcp,udp,raw}*.
// The kernel skips the text formatting, and a state filter lets it skip whole hash tables
// (listening-only never walks the established table). The rows it yields are the same
// InetSocket rows the /proc parser gives, field for field, so everything downstream (printers,
// sampler, recordings) cannot tell the two apart; where netlink is unavailable (no native
// binding, no NETLINK_SOCK_DIAG, a protocol without a diag module) callers fall back to /proc.
//
// Where the two interfaces differ and what is done about it:
// - LISTEN: netlink's wqueue is the backlog limit; /proc's tx_queue is 0. Send-Q is set to 0,
//   and the limit is kept in the row's own `backlog` field (the Prometheus endpoint shows it).
// - Timers: netlink gives milliseconds, /proc clock ticks (USER_HZ, 100/s): floor(ms / 10),
//   which is what the kernel's own conversions give for any HZ.
// - Retransmits: netlink's one counter is icsk_retransmits for the retransmit timer and
//   icsk_probes_out for the keepalive and zero-window-probe timers; /proc prints both, in
//   "retrnsmt" and "timeout". The one counter goes to the column its timer uses, the other is 0.
// - SYN_RECV request sockets: netlink reports uid 0; /proc the listener's uid, looked up here.
// - UDP drops come from the SK_MEMINFO_DROPS slot of INET_DIAG_SKMEMINFO.
import { createRequire } from 'node:module';
import { loadAddonSocketClass } from './netlink-addon.js';
import type { InetProto, InetSocket, SkMemInfo, SourceResult } from '../model.js';
import { formatIpv6 } from './inet-address.js';
import { cookieText, TcpInfoStore } from './tcp-info.js';

const NETLINK_SOCK_DIAG = 4;
/** The original TCP request (struct inet_diag_req): the kernel answers it for both families. */
const TCPDIAG_GETSOCK = 18;
const SOCK_DIAG_BY_FAMILY = 20;
const NLM_F_REQUEST = 0x1;
const NLM_F_DUMP = 0x300;
const NLMSG_ERROR = 2;
const NLMSG_DONE = 3;
const AF_INET = 2;
const AF_INET6 = 10;
const INET_DIAG_INFO = 2;
const INET_DIAG_SKMEMINFO = 7;
/** idiag_ext bits of a TCP dump that asks for tcp_info and the socket memory slots. */
const TCP_INFO_EXT = (1 << (INET_DIAG_INFO - 1)) | (1 << (INET_DIAG_SKMEMINFO - 1));
const SK_MEMINFO_DROPS = 8;
const TCP_SYN_RECV = 3;
const TCP_LISTEN = 10;

export const NLMSG_HDRLEN = 16;
/** struct inet_diag_msg: family, state, timer, retrans (1 byte each), then the socket id
 *  (sport and dport big-endian at 4 and 6, src at 8 and dst at 24, 16 bytes each), expires
 *  at 52, rqueue 56, wqueue 60, uid 64, inode 68. */
export const DIAG_MSG_LEN = 72;
const REQ_LEN = NLMSG_HDRLEN + 56;
/** nlmsghdr + struct inet_diag_req */
const COMPAT_REQ_LEN = NLMSG_HDRLEN + 60;

/**
 * Every state /proc lists: TCP_ESTABLISHED (1) to TCP_NEW_SYN_RECV (12), the sockets of the
 * listening and established hash tables. Not TCP_BOUND_INACTIVE (13, Linux 6.5): with that bit
 * the kernel also walks its bind hash for sockets that are bound but neither listen nor
 * connect, which /proc and netstat never show (they came out as CLOSE rows), and that walk
 * alone took 15 ms of a 50k-socket dump. ss asks for 0..11 the same way.
 */
export const ALL_STATES = (1 << 13) - 1;
/** Only listening sockets: the kernel then never walks the established hash. */
export const LISTEN_STATES = 1 << TCP_LISTEN;

interface ProtoSpec {
  family: number;
  protocol: number;
  ext: number;
}

const PROTOS: Record<InetProto, ProtoSpec | null> = {
  tcp: { family: AF_INET, protocol: 6, ext: 0 },
  tcp6: { family: AF_INET6, protocol: 6, ext: 0 },
  udp: { family: AF_INET, protocol: 17, ext: 1 << (INET_DIAG_SKMEMINFO - 1) },
  udp6: { family: AF_INET6, protocol: 17, ext: 1 << (INET_DIAG_SKMEMINFO - 1) },
  udplite: { family: AF_INET, protocol: 136, ext: 1 << (INET_DIAG_SKMEMINFO - 1) },
  udplite6: { family: AF_INET6, protocol: 136, ext: 1 << (INET_DIAG_SKMEMINFO - 1) },
  // Raw sockets are read from /proc: raw_diag answers this kernel's dumps with nothing (ss
  // falls back to /proc/net/raw as well), and raw sockets are few.
  raw: null,
  raw6: null,
};

/** The request: nlmsghdr + inet_diag_req_v2, every socket id field zero (match all). */
export function inetDiagRequest(proto: InetProto, states: number, seq: number, tcpInfo = false): Buffer {
  const p = PROTOS[proto];
  if (!p) throw new Error(`sock_diag: no dump for ${proto}`);
  const b = Buffer.alloc(REQ_LEN);
  b.writeUInt32LE(REQ_LEN, 0);
  b.writeUInt16LE(SOCK_DIAG_BY_FAMILY, 4);
  b.writeUInt16LE(NLM_F_REQUEST | NLM_F_DUMP, 6);
  b.writeUInt32LE(seq >>> 0, 8);
  b[16] = p.family;
  b[17] = p.protocol;
  b[18] = p.protocol === 6 && tcpInfo ? TCP_INFO_EXT : p.ext;
  b.writeUInt32LE((p.protocol === 6 ? states : ALL_STATES) >>> 0, 20);
  return b;
}

/**
 * The request for every TCP socket of both families in one dump: the old TCPDIAG_GETSOCK
 * message (nlmsghdr + struct inet_diag_req), which the kernel serves with the family set to
 * AF_UNSPEC. A per-family request (inetDiagRequest) walks the kernel's whole socket table to
 * pick out its family, so tcp and tcp6 as two requests walk it twice; ss does that too, and
 * falls back to this message only when those fail.
 */
export function tcpBothFamiliesRequest(states: number, seq: number, tcpInfo = false): Buffer {
  const b = Buffer.alloc(COMPAT_REQ_LEN);
  b.writeUInt32LE(COMPAT_REQ_LEN, 0);
  b.writeUInt16LE(TCPDIAG_GETSOCK, 4);
  b.writeUInt16LE(NLM_F_REQUEST | NLM_F_DUMP, 6);
  b.writeUInt32LE(seq >>> 0, 8);
  b[16] = AF_INET; // idiag_family: unused by the kernel for this message
  // idiag_src_len, idiag_dst_len and the socket id stay 0 (match all).
  if (tcpInfo) b[NLMSG_HDRLEN + 3] = TCP_INFO_EXT;
  b.writeUInt32LE(states >>> 0, NLMSG_HDRLEN + 52);
  return b;
}

// ---- address text, cached: a busy host shows the same few addresses on every row ------------

const v4Cache = new Map<number, string>();
const v6Cache = new Map<string, string>();
const CACHE_MAX = 1 << 16;

function v4Text(buf: Buffer, off: number): string {
  const n = (buf[off]! << 24) | (buf[off + 1]! << 16) | (buf[off + 2]! << 8) | buf[off + 3]!;
  let s = v4Cache.get(n);
  if (s === undefined) {
    s = `${buf[off]}.${buf[off + 1]}.${buf[off + 2]}.${buf[off + 3]}`;
    if (v4Cache.size >= CACHE_MAX) v4Cache.clear();
    v4Cache.set(n, s);
  }
  return s;
}

function v6Text(buf: Buffer, off: number): string {
  const key = buf.toString('latin1', off, off + 16);
  let s = v6Cache.get(key);
  if (s === undefined) {
    s = formatIpv6([...buf.subarray(off, off + 16)]);
    if (v6Cache.size >= CACHE_MAX) v6Cache.clear();
    v6Cache.set(key, s);
  }
  return s;
}

/** The text of the IPv6 address at `off` (inet_ntop's, cached), for readers that take a
 *  dump's fields straight from its bytes (print/tcp-direct.ts). */
export function ipv6AddrText(buf: Buffer, off: number): string {
  return v6Text(buf, off);
}

/** Little-endian u32 straight from the bytes (no bounds-checked reader calls per field). */
function u32(b: Buffer, o: number): number {
  return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
}

// ---- parsing ---------------------------------------------------------------------------------

/** The timer of most sockets (none running), one frozen object shared by all their rows. */
export const NO_TIMER: InetSocket['timer'] = Object.freeze({ kind: 0, expires: 0, retransmits: 0, timeout: 0 });

/**
 * Last dump's TCP rows by inode, per protocol. A socket whose every field is unchanged gets
 * last tick's row object back instead of a new one: on a busy host almost every row is
 * unchanged from one tick to the next, and not allocating 50k objects a tick (and not
 * collecting them later) is most of the parser's cost. Rows are never changed after parsing,
 * so sharing them between samples is safe.
 */
const rowCache = new Map<InetProto, Map<number, InetSocket>>();

/**
 * Last complete dump's rows, per protocol. A dump that gives every row of the last one, each
 * the cached object, in the same order and nothing else (a quiet host: the common case between
 * two reads) hands back that same array instead of a new one. No array of 50k references is
 * built and kept for a tick only to be collected later; and whoever compares tables can tell
 * "nothing changed" by identity. Tables are never changed after parsing, so sharing is safe.
 */
const lastRows = new Map<InetProto, InetSocket[]>();

/** Rows of the last tcp_info dump, per protocol (a little more): the next one's array size. */
const infoRowsHint = new Map<InetProto, number>();

/** Whether dumps keep their rows for the next dump (rowCache, lastRows). */
let reuseRows = true;

/**
 * A process that reads the tables once (netdash --print) has no next dump to hand rows on to:
 * without the row cache its one dump parses a third faster and keeps no index of 50k rows.
 */
export function keepRowsBetweenDumps(keep: boolean): void {
  reuseRows = keep;
  if (!keep) {
    rowCache.clear();
    lastRows.clear();
    infoStates.clear();
  }
}

/**
 * What a live reader keeps of the sockets its tcp_info dumps list, per protocol: their tcp_info
 * and memory bytes, rows and views in a TcpInfoStore, by slot, and the slot of each inode. A
 * socket listed again with the same cookie keeps its slot; its row goes on from dump to dump
 * while its own fields (state, queues, timer...) do not change, and its tcp_info and memory
 * views read the latest dump's bytes. So the previous sample's row of such a socket is the
 * same object as this one's: whoever compares the two for tcp_info changes (the connection
 * diff's `updated` list, a recording, the detail view's change this tick) must not take the
 * same object for "unchanged" (TcpInfo.previous has the values before).
 */
interface InfoState {
  readonly store: TcpInfoStore;
  readonly slotOf: Map<number, number>;
  /** Slots of this dump's and the last dump's sockets without an inode. */
  transient: number[];
  lastTransient: number[];
}
const infoStates = new Map<InetProto, InfoState>();

function newInfoState(): InfoState {
  return { store: new TcpInfoStore(), slotOf: new Map(), transient: [], lastTransient: [] };
}

/** Collects the rows of one dump from the messages as they arrive. */
export class InetDiagParser {
  /** Messages too short to hold an inet_diag_msg (never seen from a real kernel). */
  skipped = 0;
  /** The last complete dump's rows (see lastRows), null when there is none or this dump is
   *  filtered; `out` stays null while every row so far is prev's, in order. */
  private readonly prev: InetSocket[] | null;
  private out: InetSocket[] | null = null;
  private n = 0;
  private readonly family: 4 | 6;
  private readonly tcp: boolean;
  private readonly udp: boolean;
  private synRecv = false;
  /** The row cache: read by every TCP dump, added to by complete ones (see rowCache). */
  private readonly cache: Map<number, InetSocket> | null;
  private readonly complete: boolean;
  /** TCP with tcp_info: every row is new (its counters move), so the row cache is not used. */
  private readonly info: boolean;
  /** Where the tcp_info bytes go, and this dump's number there (TCP with tcp_info only). */
  private readonly st: InfoState | null = null;
  private readonly gen: number = 0;
  /** Sockets with an inode listed so far (with tcp_info). */
  private listed = 0;

  /** `complete`: the dump lists every socket (no state filter), so it may renew the row cache.
   *  `tcpInfo`: the dump asked for tcp_info, socket memory and the cookie (TCP only). */
  constructor(
    readonly proto: InetProto,
    complete = true,
    tcpInfo = false,
  ) {
    this.family = proto.endsWith('6') ? 6 : 4;
    this.tcp = proto.startsWith('tcp');
    this.udp = proto.startsWith('udp');
    this.info = this.tcp && tcpInfo;
    // A whole table read without tcp_info (no view shows it any more): the store of the
    // tcp_info dumps goes (about 330 bytes a socket); the next tcp_info dump starts afresh.
    if (this.tcp && !tcpInfo && complete) infoStates.delete(proto);
    if (this.info) {
      // A process that reads once (keepRowsBetweenDumps(false)) keeps nothing for a next dump.
      let st = reuseRows ? infoStates.get(proto) : undefined;
      if (st === undefined) {
        st = newInfoState();
        if (reuseRows) infoStates.set(proto, st);
      }
      this.st = st;
      this.gen = st.store.beginDump();
    }
    // Dumps with tcp_info never use the row cache, and while a view shows tcp_info every dump
    // has it: the last plain table and its index (50k rows and a map at 50k sockets, about 8 MB)
    // would only be kept alive beside the tcp_info rows. The next plain dump builds them again.
    if (this.info) {
      rowCache.delete(proto);
      lastRows.delete(proto);
    }
    this.complete = complete && this.tcp && reuseRows && !this.info;
    let cache = rowCache.get(proto) ?? null;
    if (cache === null && this.complete) rowCache.set(proto, (cache = new Map<number, InetSocket>()));
    this.cache = this.tcp && !this.info ? cache : null;
    this.prev = this.complete ? (lastRows.get(proto) ?? null) : null;
    // Every row of a tcp_info dump is new: its array is made at once, as long as the last such
    // dump's (cut to length at the end). Grown row by row, a 50k array is copied a dozen times,
    // the larger copies straight into the old generation (a collection sooner).
    if (this.info) this.out = new Array<InetSocket>(infoRowsHint.get(proto) ?? 0);
  }

  /** The rows so far. */
  get rows(): readonly InetSocket[] {
    const out = this.out;
    if (out !== null) return out.length === this.n ? out : out.slice(0, this.n);
    return this.prev === null ? [] : this.prev.slice(0, this.n);
  }

  private push(row: InetSocket): void {
    const out = this.out;
    if (out !== null) {
      // Within the array made at the start (tcp_info dumps), or one more at its end.
      out[this.n++] = row;
      return;
    }
    const prev = this.prev;
    if (prev !== null && this.n < prev.length && prev[this.n] === row) {
      this.n++;
      return;
    }
    // The first row that differs: from here on the rows are collected in an array of their own.
    const rows = prev === null ? [] : prev.slice(0, this.n);
    rows.push(row);
    this.out = rows;
    this.n++;
  }

  /** One SOCK_DIAG_BY_FAMILY message: `off` is its nlmsghdr, `len` its nlmsg_len. */
  message(b: Buffer, off: number, len: number): void {
    if (len < NLMSG_HDRLEN + DIAG_MSG_LEN) {
      this.skipped++;
      return;
    }
    const m = off + NLMSG_HDRLEN;
    const state = b[m + 1]!;
    let kind = b[m + 2]!;
    const retrans = b[m + 3]!;
    const six = this.family === 6;
    const localAddr = six ? v6Text(b, m + 8) : v4Text(b, m + 8);
    const remoteAddr = six ? v6Text(b, m + 24) : v4Text(b, m + 24);
    const localPort = (b[m + 4]! << 8) | b[m + 5]!;
    const remotePort = (b[m + 6]! << 8) | b[m + 7]!;
    let sendQ = u32(b, m + 60);
    const recvQ = u32(b, m + 56);
    let backlog = -1;
    const uid = u32(b, m + 64);
    const inode = u32(b, m + 68);
    let retransmits = 0,
      timeout = 0;
    if (this.tcp) {
      if (state === TCP_LISTEN) {
        backlog = sendQ;
        sendQ = 0;
      } else if (state === TCP_SYN_RECV) this.synRecv = true;
      if (kind === 1) retransmits = retrans;
      else if (kind === 2 || kind === 4) timeout = retrans;
    } else kind = 0;
    const expires = kind === 0 ? 0 : Math.floor(u32(b, m + 52) / 10);
    let tcpInfo: InetSocket['tcpInfo'], mem: InetSocket['mem'];
    let slot = -1,
      cookie = '';
    // Last dump's row of this socket: the store's (tcp_info dumps) or the plain row cache's.
    let o: InetSocket | undefined;
    let infoLen = 0,
      memLen = 0;
    if (this.info) {
      let infoOff = 0,
        memOff = 0;
      let a = m + DIAG_MSG_LEN;
      const end = off + len;
      while (a + 4 <= end) {
        const alen = b[a]! | (b[a + 1]! << 8);
        if (alen < 4 || a + alen > end) break;
        const type = (b[a + 2]! | (b[a + 3]! << 8)) & 0x3fff;
        if (type === INET_DIAG_INFO) {
          infoOff = a + 4;
          infoLen = alen - 4;
        } else if (type === INET_DIAG_SKMEMINFO) {
          memOff = a + 4;
          memLen = alen - 4;
        }
        a += (alen + 3) & ~3;
      }
      // The socket's slot in the store: kept while its inode and cookie are (sockets without an
      // inode, never seen with tcp_info in practice, get a slot for one dump).
      const st = this.st!,
        store = st.store;
      const lo = u32(b, m + 44),
        hi = u32(b, m + 48);
      let s = inode !== 0 ? st.slotOf.get(inode) : undefined;
      if (s !== undefined && (store.cookieLo[s] !== lo || store.cookieHi[s] !== hi)) {
        store.release(s);
        st.slotOf.delete(inode);
        s = undefined;
      }
      if (s === undefined) {
        s = store.alloc();
        store.cookieLo[s] = lo;
        store.cookieHi[s] = hi;
        if (inode !== 0) st.slotOf.set(inode, s);
        else st.transient.push(s);
      }
      slot = s;
      if (inode !== 0) this.listed++;
      store.seen[s] = this.gen;
      // Only the known bytes are copied (a field past the known struct is never read).
      store.write(s, b, infoOff, infoLen, memOff, memLen);
      o = store.rows[s];
    } else if (inode !== 0 && this.cache !== null) o = this.cache.get(inode);
    // The socket's own fields as last dump: its row goes on (a tcp_info row's views read this dump's).
    if (
      o !== undefined &&
      o.state === state &&
      o.localPort === localPort &&
      o.remotePort === remotePort &&
      o.localAddr === localAddr &&
      o.remoteAddr === remoteAddr &&
      o.sendQ === sendQ &&
      o.recvQ === recvQ &&
      o.uid === uid &&
      (o.backlog ?? -1) === backlog &&
      o.timer.kind === kind &&
      o.timer.expires === expires &&
      o.timer.retransmits === retransmits &&
      o.timer.timeout === timeout &&
      (o.tcpInfo !== undefined) === infoLen > 0 &&
      (o.mem !== undefined) === memLen > 0
    ) {
      this.push(o);
      return;
    }
    if (this.info) {
      const store = this.st!.store;
      // One object is the socket's tcp_info and memory view (TcpInfoStore.infoView).
      const view = store.infoView(slot);
      if (infoLen > 0) tcpInfo = view;
      if (memLen > 0) mem = view as unknown as SkMemInfo;
      cookie = o?.cookie ?? cookieText(b, m + 44);
    }
    const timer = kind === 0 && retransmits === 0 && timeout === 0 ? NO_TIMER : { kind, expires, retransmits, timeout };
    let sock: InetSocket;
    if (tcpInfo !== undefined && mem !== undefined && backlog < 0) {
      // The common row of a tcp_info dump in one literal, fields in the order of the rows
      // below: properties added afterwards would go to a separate array (40 bytes a row).
      sock = {
        proto: this.proto,
        family: this.family,
        localAddr,
        localPort,
        remoteAddr,
        remotePort,
        state,
        sendQ,
        recvQ,
        timer,
        uid,
        inode,
        cookie,
        tcpInfo,
        mem,
      };
    } else {
      sock = {
        proto: this.proto,
        family: this.family,
        localAddr,
        localPort,
        remoteAddr,
        remotePort,
        state,
        sendQ,
        recvQ,
        timer,
        uid,
        inode,
      };
      if (backlog >= 0) sock.backlog = backlog;
      if (this.info) {
        sock.cookie = cookie;
        if (tcpInfo !== undefined) sock.tcpInfo = tcpInfo;
        if (mem !== undefined) sock.mem = mem;
      }
    }
    if (this.udp) {
      // Attributes follow the fixed part; SKMEMINFO holds the drop count.
      let a = m + DIAG_MSG_LEN;
      const end = off + len;
      while (a + 4 <= end) {
        const alen = b[a]! | (b[a + 1]! << 8);
        if (alen < 4) break;
        if (((b[a + 2]! | (b[a + 3]! << 8)) & 0x3fff) === INET_DIAG_SKMEMINFO && alen >= 4 + 4 * (SK_MEMINFO_DROPS + 1)) {
          sock.drops = u32(b, a + 4 + 4 * SK_MEMINFO_DROPS);
        }
        a += (alen + 3) & ~3;
      }
    }
    if (inode !== 0 && this.complete) this.cache!.set(inode, sock);
    if (slot >= 0) this.st!.store.rows[slot] = sock;
    this.push(sock);
  }

  /** Slots of sockets this dump did not list are freed (their views read as unknown from now
   *  on), and those of the last dump's sockets without an inode. */
  private releaseUnlisted(): void {
    const st = this.st!,
      store = st.store,
      gen = this.gen;
    if (st.slotOf.size > this.listed)
      for (const [inode, s] of st.slotOf)
        if (store.seen[s] !== gen) {
          st.slotOf.delete(inode);
          store.release(s);
        }
    for (const s of st.lastTransient) store.release(s);
    st.lastTransient = st.transient;
    st.transient = [];
  }

  /** Request sockets (SYN_RECV, no inode) carry uid 0 in netlink; /proc shows the listener's. */
  finish(): InetSocket[] {
    const prev = this.prev;
    const rows = this.out ?? (prev !== null && this.n === prev.length ? prev : prev === null ? [] : prev.slice(0, this.n));
    if (rows.length > this.n) rows.length = this.n;
    this.out = rows;
    if (this.info) {
      infoRowsHint.set(this.proto, this.n + (this.n >> 6));
      this.releaseUnlisted();
    }
    if (this.complete) lastRows.set(this.proto, rows);
    // Entries of closed sockets stay until they outnumber the live ones (inodes are not reused).
    if (this.complete && this.cache !== null && this.cache.size > 2 * rows.length + 1024) {
      const fresh = new Map<number, InetSocket>();
      for (const r of rows) if (r.inode !== 0) fresh.set(r.inode, r);
      rowCache.set(this.proto, fresh);
    }
    // Request sockets are new rows every dump (no inode: never cached), so never in `prev`.
    if (!this.synRecv) return rows;
    const listeners = new Map<string, number>();
    for (const s of rows) if (s.state === TCP_LISTEN) listeners.set(`${s.localAddr}|${s.localPort}`, s.uid);
    const any = this.family === 6 ? '::' : '0.0.0.0';
    for (const s of rows) {
      if (s.state !== TCP_SYN_RECV || s.inode !== 0) continue;
      const uid = listeners.get(`${s.localAddr}|${s.localPort}`) ?? listeners.get(`${any}|${s.localPort}`);
      if (uid !== undefined) s.uid = uid;
    }
    return rows;
  }
}

// ---- the socket --------------------------------------------------------------------------------

/** The few members of the `netlink` package's RawNetlinkSocket used here. */
interface RawSocket {
  on(event: 'message' | 'truncatedMessage', fn: (msg: Buffer) => void): unknown;
  on(event: 'error', fn: (err: Error) => void): unknown;
  off(event: 'message', fn: (msg: Buffer) => void): unknown;
  send(msg: Uint8Array, options: object, cb: (err?: Error) => void): void;
  close(): void;
  ref(): void;
  unref(): void;
}
type RawSocketCtor = new (protocol: number, options: object) => RawSocket;

/** A dump the kernel refused: the protocol has no diag handler (ENOENT), or no permission. */
export class SockDiagError extends Error {
  constructor(
    readonly errno: number,
    what: string,
  ) {
    super(`sock_diag ${what}: errno ${errno}`);
  }
}

export interface MessageSink {
  message(buf: Buffer, off: number, len: number): void;
}

const DUMP_TIMEOUT_MS = 10_000;

/**
 * During a tcp_info dump, a young-generation collection every this many messages (32 KiB
 * each: 2 MB; every 128 measured 151 MB peak RSS in `npm run bench -- --tcpinfo-only`, every 64
 * 148, at no tick time to be seen beside the load's noise). The netlink binding hands each message over in a buffer of its own, freed only
 * when V8 collects it: 20 MB a 50k-socket tcp_info dump. A dump now makes next to no objects
 * (its rows go on from dump to dump), so V8 collected the buffers only once 64 MB of them had
 * piled up (its external-memory limit), and the C allocator kept that much (RSS 160 MB where
 * the heap and the kept buffers were 90). A scavenge of a young generation holding little else
 * takes about a millisecond at 50k sockets (8 a tick).
 */
export const COLLECT_YOUNG_EVERY = 64;

/** A young-generation collection (V8's minor GC), where the runtime lets one be asked for:
 *  the gc function of a context made while --expose-gc is set (the flag is then cleared, so
 *  the program's own global has none). Null where that is not possible. */
export function youngCollector(): (() => void) | null {
  try {
    const require = createRequire(import.meta.url);
    const v8 = require('node:v8') as typeof import('node:v8');
    const vm = require('node:vm') as typeof import('node:vm');
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as unknown;
    v8.setFlagsFromString('--no-expose-gc');
    if (typeof gc !== 'function') return null;
    return () => (gc as (o: { type: string }) => void)({ type: 'minor' });
  } catch {
    return null;
  }
}

export class SockDiag {
  private chain: Promise<unknown> = Promise.resolve();
  private seq = 1;
  private closed = false;

  /** Ends the dump in progress with an error (socket error, message cut short). */
  private fail: ((err: Error) => void) | null = null;

  /** Made at the first tcp_info dump (see COLLECT_YOUNG_EVERY); undefined until then. */
  private collectYoung: (() => void) | null | undefined;

  /** `young`: what makes the young-generation collector (openSockDiag passes youngCollector);
   *  none by default. */
  constructor(
    private readonly sock: RawSocket,
    private readonly young: () => (() => void) | null = () => null,
  ) {
    sock.unref();
    sock.on('error', (err) => this.fail?.(err));
    sock.on('truncatedMessage', () => this.fail?.(new Error('sock_diag: truncated message')));
  }

  /** Requests sent on this socket (each one dump). */
  requests = 0;
  /** The kernel refused the both-families TCP request: it is not asked again on this socket. */
  bothFamiliesRefused = false;

  /** Run one dump; dumps on this socket run one after another (the kernel allows one at a time). */
  dump(proto: InetProto, states: number, sink: MessageSink, tcpInfo = false): Promise<void> {
    return this.queue((seq) => inetDiagRequest(proto, states, seq, tcpInfo), SOCK_DIAG_BY_FAMILY, proto, sink, tcpInfo);
  }

  /** Every TCP socket of both families in one dump (see tcpBothFamiliesRequest); the sink
   *  tells the families apart by each message's idiag_family. */
  dumpTcpBothFamilies(states: number, sink: MessageSink, tcpInfo = false): Promise<void> {
    return this.queue((seq) => tcpBothFamiliesRequest(states, seq, tcpInfo), TCPDIAG_GETSOCK, 'tcp+tcp6', sink, tcpInfo);
  }

  private queue(request: (seq: number) => Buffer, replyType: number, what: string, sink: MessageSink, info: boolean): Promise<void> {
    const run = (): Promise<void> => this.dumpNow(request, replyType, what, sink, info);
    const p = this.chain.then(run, run);
    this.chain = p.catch(() => {});
    return p;
  }

  private dumpNow(request: (seq: number) => Buffer, replyType: number, what: string, sink: MessageSink, info: boolean): Promise<void> {
    if (this.closed) return Promise.reject(new Error('sock_diag socket closed'));
    const seq = this.seq++;
    if (info && this.collectYoung === undefined) this.collectYoung = this.young();
    const collect = info ? this.collectYoung : null;
    let messages = 0;
    return new Promise<void>((resolve, reject) => {
      const sock = this.sock;
      let done = false;
      const finish = (err: Error | null): void => {
        if (done) return;
        done = true;
        this.fail = null;
        clearTimeout(timer);
        sock.off('message', onMessage);
        sock.unref();
        if (err) {
          // After a transport failure the rest of the dump may still arrive: this socket is not
          // used again. (A kernel error answer ends the dump cleanly.)
          if (!(err instanceof SockDiagError)) this.close();
          reject(err);
        } else resolve();
      };
      const onMessage = (buf: Buffer): void => {
        if (collect && ++messages % COLLECT_YOUNG_EVERY === 0) collect();
        // The header's fields read from the bytes (Buffer's read methods check their bounds on
        // every call: a fifth of this loop's time in a cold one-shot print).
        let off = 0;
        const end = buf.length;
        while (off + NLMSG_HDRLEN <= end) {
          const len = u32(buf, off);
          if (len < NLMSG_HDRLEN || off + len > end) {
            // A message cut short (a read buffer smaller than the kernel's chunk): rows would
            // be missing, so the dump fails and the caller reads /proc.
            finish(new Error(`sock_diag ${what}: truncated message`));
            return;
          }
          const type = buf[off + 4]! | (buf[off + 5]! << 8);
          if (u32(buf, off + 8) === seq) {
            if (type === NLMSG_DONE) {
              finish(null);
              return;
            }
            if (type === NLMSG_ERROR) {
              const errno = len >= NLMSG_HDRLEN + 4 ? -buf.readInt32LE(off + NLMSG_HDRLEN) : 0;
              finish(errno === 0 ? null : new SockDiagError(errno, what));
              return;
            }
            if (type === replyType) sink.message(buf, off, len);
          }
          off += (len + 3) & ~3;
        }
      };
      const timer = setTimeout(() => finish(new Error(`sock_diag ${what}: no answer in ${DUMP_TIMEOUT_MS} ms`)), DUMP_TIMEOUT_MS);
      timer.unref();
      sock.ref();
      this.fail = finish;
      sock.on('message', onMessage);
      this.requests++;
      sock.send(request(seq), {}, (err) => {
        if (err) finish(err);
      });
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.sock.close();
    } catch {
      /* already closed */
    }
  }

  get isClosed(): boolean {
    return this.closed;
  }
}

let ctor: RawSocketCtor | null | undefined;

function rawSocketCtor(): RawSocketCtor | null {
  if (ctor !== undefined) return ctor;
  // The addon itself where its file is plain to find (netlink-addon.ts): no package loader.
  const direct = loadAddonSocketClass(import.meta.url);
  if (direct !== null) return (ctor = direct as unknown as RawSocketCtor);
  const require = createRequire(import.meta.url);
  ctor = null;
  // Only the raw socket module: the package's index also loads its generic netlink, route and
  // wireguard layers, three times the load time (~40 ms of every `netdash --print`).
  for (const id of ['netlink/dist/raw.js', 'netlink']) {
    try {
      const mod = require(id) as { RawNetlinkSocket?: RawSocketCtor };
      if (typeof mod.RawNetlinkSocket === 'function') {
        ctor = mod.RawNetlinkSocket;
        break;
      }
    } catch {
      // not there (another layout of the package): try the next
    }
  }
  return ctor;
}

/** A new sock_diag socket, or null where there is none (no binding, no kernel support). */
export function openSockDiag(): SockDiag | null {
  if (process.platform !== 'linux') return null;
  const C = rawSocketCtor();
  if (!C) return null;
  try {
    // Reads of 32 KiB make the kernel fill 32 KiB per dump step, its maximum (it never sends a
    // dump chunk larger than the largest read it has seen, capped at 32 KiB).
    return new SockDiag(new C(NETLINK_SOCK_DIAG, { messagePeeking: false, msgBufferSize: 32768, recvBufferSize: 1 << 20 }), youngCollector);
  } catch {
    return null;
  }
}

let shared: SockDiag | null | undefined;

/** The process's one sock_diag socket, opened on first use; null when netlink is unavailable. */
export function sharedSockDiag(): SockDiag | null {
  if (shared === undefined || shared?.isClosed) shared = openSockDiag();
  return shared;
}

/** Protocols whose dump failed for want of a diag handler: not asked again in this process. */
const unsupported = new Set<InetProto>();

/**
 * The sockets of one protocol from netlink, as the /proc parser would give them; null when
 * netlink cannot answer for it (the caller reads /proc instead).
 * `states`: a TCP state bitmask (1 << state); other protocols always get every socket.
 */
export async function dumpInetSockets(
  proto: InetProto,
  states = ALL_STATES,
  diag = sharedSockDiag(),
  tcpInfo = false,
): Promise<SourceResult<InetSocket[]> | null> {
  if (!diag || !PROTOS[proto] || unsupported.has(proto)) return null;
  const parser = new InetDiagParser(proto, states === ALL_STATES, tcpInfo);
  try {
    await diag.dump(proto, states, parser, tcpInfo);
  } catch (err) {
    if (err instanceof SockDiagError) unsupported.add(proto);
    return null;
  }
  return { ok: true, value: parser.finish(), skipped: parser.skipped };
}

/**
 * Both TCP tables from one dump (tcpBothFamiliesRequest): the same rows, in the same order,
 * as dumpInetSockets('tcp') and dumpInetSockets('tcp6') give, for about two thirds of the
 * kernel time at 50k sockets. Null when netlink cannot answer this way (the caller then asks
 * per family, or reads /proc).
 */
export async function dumpTcpBothFamilies(
  states = ALL_STATES,
  diag = sharedSockDiag(),
  tcpInfo = false,
): Promise<{ tcp: SourceResult<InetSocket[]>; tcp6: SourceResult<InetSocket[]> } | null> {
  if (!diag || diag.bothFamiliesRefused || unsupported.has('tcp') || unsupported.has('tcp6')) return null;
  const complete = states === ALL_STATES;
  const v4 = new InetDiagParser('tcp', complete, tcpInfo);
  const v6 = new InetDiagParser('tcp6', complete, tcpInfo);
  let other = 0;
  const sink: MessageSink = {
    message(b, off, len) {
      // A message too short for its family byte goes to v4, which counts it as skipped.
      const family = len > NLMSG_HDRLEN ? b[off + NLMSG_HDRLEN] : AF_INET;
      if (family === AF_INET6) v6.message(b, off, len);
      else if (family === AF_INET) v4.message(b, off, len);
      else other++;
    },
  };
  try {
    await diag.dumpTcpBothFamilies(states, sink, tcpInfo);
  } catch (err) {
    if (err instanceof SockDiagError) diag.bothFamiliesRefused = true;
    return null;
  }
  return {
    tcp: { ok: true, value: v4.finish(), skipped: v4.skipped + other },
    tcp6: { ok: true, value: v6.finish(), skipped: v6.skipped },
  };
}
