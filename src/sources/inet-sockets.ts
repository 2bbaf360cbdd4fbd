// /proc/net/{tcp,tcp6,udp,udp6,udplite,udplite6,raw,raw6}: one line per socket.
import { endianness } from 'node:os';
import type { InetProto, InetSocket, SourceResult } from '../model.js';
import { decodeHexAddress } from './inet-address.js';
import { describeReadError, isLiveRoot, parseRows, readSource, type KernelFs, type LiveKernel, type Parsed } from './kernel-fs.js';
import { ALL_STATES, dumpInetSockets, dumpTcpBothFamilies, LISTEN_STATES, NLMSG_HDRLEN, NO_TIMER, type MessageSink } from './sock-diag.js';

export const INET_PROTOS: readonly InetProto[] = ['tcp', 'tcp6', 'udp', 'udp6', 'udplite', 'udplite6', 'raw', 'raw6'];

// parseInt stops at the first bad digit, so every field is checked whole first: a corrupted
// line is skipped rather than read with a wrong value.
const HEX = /^[0-9A-Fa-f]+$/;
const DEC = /^\d+$/;

// A digit run too long for a double (hundreds of digits: damage, not a kernel value) would
// read as Infinity: the line is skipped instead.
function hexNum(s: string | undefined): number {
  const n = s !== undefined && HEX.test(s) ? parseInt(s, 16) : NaN;
  return Number.isFinite(n) ? n : NaN;
}

function decNum(s: string | undefined): number {
  const n = s !== undefined && DEC.test(s) ? parseInt(s, 10) : NaN;
  return Number.isFinite(n) ? n : NaN;
}

function splitAddr(field: string): { addr: string; port: number } | null {
  const colon = field.indexOf(':');
  if (colon < 0) return null;
  const addr = decodeHexAddress(field.slice(0, colon));
  const port = hexNum(field.slice(colon + 1));
  if (addr === null || Number.isNaN(port)) return null;
  return { addr, port };
}

function hexPair(field: string): [number, number] | null {
  const colon = field.indexOf(':');
  if (colon < 0) return null;
  const a = hexNum(field.slice(0, colon));
  const b = hexNum(field.slice(colon + 1));
  return Number.isNaN(a) || Number.isNaN(b) ? null : [a, b];
}

/** Parse one socket line; null when it is malformed (truncated, garbage). */
export function parseInetLine(line: string, proto: InetProto): InetSocket | null {
  const f = line.trim().split(/\s+/);
  // sl local rem st tx:rx tr:when retrnsmt uid timeout inode ref pointer [drops …]; every
  // kernel since 2.6 prints at least these twelve, so fewer means a line cut short.
  if (f.length < 12 || !f[0]?.endsWith(':')) return null;
  const local = splitAddr(f[1] ?? '');
  const remote = splitAddr(f[2] ?? '');
  const state = hexNum(f[3]);
  const queues = hexPair(f[4] ?? '');
  const timer = hexPair(f[5] ?? '');
  const retrans = hexNum(f[6]);
  const uid = decNum(f[7]);
  const timeout = decNum(f[8]);
  const inode = decNum(f[9]);
  if (!local || !remote || !queues || !timer || [state, retrans, uid, timeout, inode].some(Number.isNaN)) return null;
  const family = proto.endsWith('6') ? 6 : 4;
  const sock: InetSocket = {
    proto,
    family,
    localAddr: local.addr,
    localPort: local.port,
    remoteAddr: remote.addr,
    remotePort: remote.port,
    state,
    sendQ: queues[0],
    recvQ: queues[1],
    timer: { kind: timer[0], expires: timer[1], retransmits: retrans, timeout },
    uid,
    inode,
  };
  if (proto.startsWith('udp') && f.length >= 13) {
    const drops = decNum(f[12]);
    if (!Number.isNaN(drops)) sock.drops = drops;
  }
  return sock;
}

/** The line-by-line reference parser: split, then parseInetLine. parseInetSockets gives the
 *  same rows faster; this one stays as the yardstick for tests and the benchmark. */
export function parseInetSocketsSplit(text: string, proto: InetProto): Parsed<InetSocket[]> {
  return parseRows(text, 1, (line) => parseInetLine(line, proto));
}

// ---- the fast path -----------------------------------------------------------------------------
// One pass over the text with charCodeAt, no split, no regular expressions, no substrings for
// the common fields. It only takes lines in the exact layout the kernel prints (single spaces
// between fields after the first, plain hex and decimal digits of ordinary lengths); any other
// line goes to parseInetLine, so both paths agree on every line, odd ones included.

const LE = endianness() === 'LE';
const v4Text = new Map<number, string>();
const v6Text = new Map<string, string>();
const TEXT_CACHE_MAX = 1 << 16;

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** Fields of the line being read: a cursor and the values, reused across lines. */
class Cursor {
  i = 0;
  constructor(
    public text: string,
    public end: number,
  ) {}

  /** Hex digits up to `stop` (a char code); null when empty, too long for exact arithmetic, or bad. */
  hex(stop: number): number | null {
    const t = this.text;
    let i = this.i,
      v = 0;
    const start = i;
    for (; i < this.end; i++) {
      const c = t.charCodeAt(i);
      if (c === stop) break;
      const d = hexDigit(c);
      if (d < 0) return null;
      v = v * 16 + d;
    }
    const n = i - start;
    if (n === 0 || n > 12 || i >= this.end) return null;
    this.i = i + 1;
    return v;
  }

  /** Decimal digits up to `stop` (or the end of the line when `last`). */
  dec(stop: number, last = false): number | null {
    const t = this.text;
    let i = this.i,
      v = 0;
    const start = i;
    for (; i < this.end; i++) {
      const c = t.charCodeAt(i);
      if (c === stop) break;
      if (c < 48 || c > 57) return null;
      v = v * 10 + (c - 48);
    }
    const n = i - start;
    if (n === 0 || n > 15 || (i >= this.end && !last)) return null;
    this.i = i + 1;
    return v;
  }

  /** One or more spaces. */
  spaces(): boolean {
    const start = this.i;
    while (this.i < this.end && this.text.charCodeAt(this.i) === 32) this.i++;
    return this.i > start;
  }

  /** An address field "HEX:" of 8 or 32 digits, as text. */
  addr(): string | null {
    const t = this.text;
    const start = this.i;
    const colon = t.indexOf(':', start);
    if (colon < 0 || colon >= this.end) return null;
    const n = colon - start;
    if (n === 8) {
      let w = 0;
      for (let i = start; i < colon; i++) {
        const d = hexDigit(t.charCodeAt(i));
        if (d < 0) return null;
        w = w * 16 + d;
      }
      this.i = colon + 1;
      let s = v4Text.get(w);
      if (s === undefined) {
        const b0 = Math.floor(w / 0x1000000) & 0xff,
          b1 = (w >>> 16) & 0xff,
          b2 = (w >>> 8) & 0xff,
          b3 = w & 0xff;
        s = LE ? `${b3}.${b2}.${b1}.${b0}` : `${b0}.${b1}.${b2}.${b3}`;
        if (v4Text.size >= TEXT_CACHE_MAX) v4Text.clear();
        v4Text.set(w, s);
      }
      return s;
    }
    if (n !== 32) return null;
    const hex = t.slice(start, colon);
    let s = v6Text.get(hex);
    if (s === undefined) {
      const d = decodeHexAddress(hex);
      if (d === null) return null;
      s = d;
      if (v6Text.size >= TEXT_CACHE_MAX) v6Text.clear();
      v6Text.set(hex, s);
    }
    this.i = colon + 1;
    return s;
  }

  /** Skip one field and the spaces after it; false at the end of the line, or on any byte
   *  that split(/\s+/) might take for a separator (tabs, other whitespace, non-ASCII). */
  skipField(): boolean {
    const t = this.text;
    const start = this.i;
    for (; this.i < this.end; this.i++) {
      const c = t.charCodeAt(this.i);
      if (c === 32) break;
      if (c < 33 || c > 126) return false;
    }
    if (this.i === start) return false;
    this.spaces();
    return true;
  }
}

const SP = 32,
  COLON = 58;

/** The common layout only; null sends the line to parseInetLine. */
function fastLine(c: Cursor, proto: InetProto, family: 4 | 6, udp: boolean): InetSocket | null {
  c.spaces();
  if (c.dec(COLON) === null) return null; // "sl:"
  if (!c.spaces()) return null;
  const localAddr = c.addr();
  if (localAddr === null) return null;
  const localPort = c.hex(SP);
  if (localPort === null) return null;
  const remoteAddr = c.addr();
  if (remoteAddr === null) return null;
  const remotePort = c.hex(SP);
  if (remotePort === null) return null;
  const state = c.hex(SP);
  if (state === null) return null;
  const sendQ = c.hex(COLON);
  if (sendQ === null) return null;
  const recvQ = c.hex(SP);
  if (recvQ === null) return null;
  const kind = c.hex(COLON);
  if (kind === null) return null;
  const expires = c.hex(SP);
  if (expires === null) return null;
  const retransmits = c.hex(SP);
  if (retransmits === null) return null;
  c.spaces();
  const uid = c.dec(SP);
  if (uid === null) return null;
  c.spaces();
  const timeout = c.dec(SP);
  if (timeout === null) return null;
  const inode = c.dec(SP, true);
  if (inode === null) return null;
  // Twelve fields at least: "ref" and "pointer" must follow the inode.
  c.spaces();
  if (!c.skipField() || !c.skipField()) return null;
  const sock: InetSocket = {
    proto,
    family,
    localAddr,
    localPort,
    remoteAddr,
    remotePort,
    state,
    sendQ,
    recvQ,
    timer: kind === 0 && expires === 0 && retransmits === 0 && timeout === 0 ? NO_TIMER : { kind, expires, retransmits, timeout },
    uid,
    inode,
  };
  if (udp && c.i < c.end) {
    const drops = c.dec(SP, true);
    if (drops === null) return null;
    sock.drops = drops;
  }
  // Later fields (refcount, pointer internals, …) are not read.
  c.i = c.end;
  return sock;
}

/** /proc/net/{tcp,udp,raw}[6] text → rows (the header line skipped, bad lines counted). */
export function parseInetSockets(text: string, proto: InetProto): Parsed<InetSocket[]> {
  const value: InetSocket[] = [];
  let skipped = 0;
  const family: 4 | 6 = proto.endsWith('6') ? 6 : 4;
  const udp = proto.startsWith('udp');
  let start = text.indexOf('\n');
  if (start < 0) return { value, skipped };
  start++;
  const c = new Cursor(text, 0);
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    // Trailing spaces (the kernel pads lines) are not a field.
    let last = end;
    while (last > start && text.charCodeAt(last - 1) === SP) last--;
    if (last > start) {
      c.i = start;
      c.end = last;
      let row = fastLine(c, proto, family, udp);
      if (row === null) {
        const line = text.slice(start, end);
        row = line.trim() ? parseInetLine(line, proto) : null;
        if (row === null && line.trim()) skipped++;
      }
      if (row !== null) value.push(row);
    }
    start = end + 1;
  }
  return { value, skipped };
}

export function readInetSockets(kfs: KernelFs, proto: InetProto): Promise<SourceResult<InetSocket[]>> {
  return readSource(kfs, `proc/net/${proto}`, (t) => parseInetSockets(t, proto));
}

// ---- netlink or /proc ----------------------------------------------------------------------------

/** Where inet sockets are read from: 'auto' is netlink sock_diag for the live root, else /proc. */
export type InetSource = 'auto' | 'proc' | 'netlink';

export interface InetReadOptions {
  source?: InetSource;
  /** Only listening TCP sockets are needed: netlink then skips the established table. Other
   *  sockets may still be returned (the /proc fallback reads everything); callers filter. */
  listeningOnly?: boolean;
  /** TCP rows carry tcp_info, socket memory and the cookie (netlink only; /proc has none). */
  tcpInfo?: boolean;
}

/** Which inet tables exist (a kernel without IPv6 has no tcp6): checked once a minute, not
 *  on every tick. Only for the live root. */
const existsCache = new Map<string, { at: number; error: string | null }>();
const EXISTS_TTL_MS = 60_000;

async function tableError(live: LiveKernel, rel: string): Promise<string | null> {
  const now = Date.now();
  const hit = existsCache.get(rel);
  if (hit && now - hit.at < EXISTS_TTL_MS) return hit.error;
  let error: string | null = null;
  try {
    await live.access(rel);
  } catch (err) {
    error = describeReadError(rel, err);
  }
  existsCache.set(rel, { at: now, error });
  return error;
}

const SOCKSTAT_KEYS: Record<string, InetProto> = {
  TCP: 'tcp',
  UDP: 'udp',
  UDPLITE: 'udplite',
  RAW: 'raw',
  TCP6: 'tcp6',
  UDP6: 'udp6',
  UDPLITE6: 'udplite6',
  RAW6: 'raw6',
};

/** /proc/net/sockstat{,6} text → sockets per inet table. TIME_WAIT sockets are counted
 *  apart ("tw", both families together), so they are added to tcp and tcp6 alike. */
export function parseSockstat(text: string): Partial<Record<InetProto, number>> {
  const out: Partial<Record<InetProto, number>> = {};
  let tw = 0;
  for (const line of text.split('\n')) {
    const m = /^(\w+): inuse (\d+)(.*)$/.exec(line);
    if (!m) continue;
    const proto = SOCKSTAT_KEYS[m[1] ?? ''];
    if (!proto) continue;
    out[proto] = Number(m[2]);
    const t = / tw (\d+)/.exec(m[3] ?? '');
    if (t) tw = Number(t[1]);
  }
  if (tw > 0) {
    if (out.tcp !== undefined) out.tcp += tw;
    if (out.tcp6 !== undefined) out.tcp6 += tw;
  }
  return out;
}

/** The sockstat text last parsed, and its counts. */
let lastSockstat: { text: string; counts: Partial<Record<InetProto, number>> } = { text: '', counts: {} };

/**
 * How many sockets each inet table of this network namespace holds, from the kernel's own
 * counters: a table counted empty need not be read at all, which on an idle host saves every
 * dump (each walks the kernel's whole hash table, however empty). Null where the counters
 * cannot be read; a protocol missing from them is read as usual.
 */
export function liveSocketCounts(live: LiveKernel): Partial<Record<InetProto, number>> | null {
  // Read every tick: through kept descriptors (readKept), as the other small files.
  let text: string;
  try {
    text = live.readKept('proc/net/sockstat');
  } catch {
    return null;
  }
  try {
    text += live.readKept('proc/net/sockstat6');
  } catch {
    /* no IPv6 */
  }
  // The same text as last time (an idle host's): the same counts, in a new object.
  if (text !== lastSockstat.text) lastSockstat = { text, counts: parseSockstat(text) };
  return { ...lastSockstat.counts };
}

/**
 * One protocol's sockets, from netlink where it can answer (same rows as /proc), else /proc.
 * A /proc file that does not exist stays an error even when netlink could answer, so a kernel
 * without (say) IPv6 reports the same thing either way. `count` (from liveSocketCounts) 0 means
 * the kernel holds no such socket: nothing is read.
 */
export async function readInetTable(
  kfs: KernelFs,
  proto: InetProto,
  o: InetReadOptions & { count?: number } = {},
): Promise<SourceResult<InetSocket[]>> {
  const live = kfs.live;
  if (live) {
    const error = await tableError(live, `proc/net/${proto}`);
    if (error !== null) return { ok: false, error };
    if (o.count === 0) return { ok: true, value: [], skipped: 0 };
  }
  if (useNetlink(kfs, o)) {
    const r = await dumpInetSockets(proto, o.listeningOnly ? LISTEN_STATES : ALL_STATES, kfs.live?.sockDiag() ?? null, o.tcpInfo === true);
    if (r) return r;
  }
  return readInetSockets(kfs, proto);
}

function useNetlink(kfs: KernelFs, o: InetReadOptions): boolean {
  const source = o.source ?? 'auto';
  return source !== 'proc' && (source === 'netlink' || isLiveRoot(kfs));
}

/**
 * Both TCP tables, as readInetTable gives each. Through netlink one dump serves both families
 * (dumpTcpBothFamilies): two per-family dumps walk the kernel's whole socket table twice. When
 * a table is known empty, missing, or netlink will not answer that way, each is read on its own.
 */
export async function readTcpTables(
  kfs: KernelFs,
  o: InetReadOptions & { counts?: Partial<Record<InetProto, number>> | null } = {},
): Promise<{ tcp: SourceResult<InetSocket[]>; tcp6: SourceResult<InetSocket[]> }> {
  const live = kfs.live;
  const { counts, ...opts } = o;
  const n4 = counts?.tcp,
    n6 = counts?.tcp6;
  if (useNetlink(kfs, opts) && n4 !== 0 && n6 !== 0) {
    const fine =
      !live || (await Promise.all([tableError(live, 'proc/net/tcp'), tableError(live, 'proc/net/tcp6')])).every((e) => e === null);
    const both = fine
      ? await dumpTcpBothFamilies(opts.listeningOnly ? LISTEN_STATES : ALL_STATES, kfs.live?.sockDiag() ?? null, opts.tcpInfo === true)
      : null;
    if (both) return both;
  }
  const [tcp, tcp6] = await Promise.all([
    readInetTable(kfs, 'tcp', n4 === undefined ? opts : { ...opts, count: n4 }),
    readInetTable(kfs, 'tcp6', n6 === undefined ? opts : { ...opts, count: n6 }),
  ]);
  return { tcp, tcp6 };
}

/** Where dumpTcpMessages hands each message of the dump. */
export interface TcpMessageSink {
  /** One message (its nlmsghdr at `off`, `len` its nlmsg_len) of the tcp table (4) or the tcp6
   *  table (6), as readTcpTables would file it; its length is not checked. */
  message(family: 4 | 6, buf: Buffer, off: number, len: number): void;
  /** A message of neither family: readTcpTables counts it as a skipped line of tcp. */
  other(): void;
}

const AF_INET = 2,
  AF_INET6 = 10;

/**
 * The dumps readTcpTables makes through netlink, in the same order, with each message handed to
 * `sink` instead of parsed into rows (print/tcp-direct.ts formats them straight from the bytes).
 * Resolves true once every message of both tables went to the sink. Resolves false, before
 * any message went to it, wherever readTcpTables would do something else than these dumps (not
 * the live root, no netlink, a table the kernel does not have, a dump refused): the caller then
 * reads with readTcpTables. A dump that fails after messages went to the sink rejects.
 */
export async function dumpTcpMessages(kfs: KernelFs, o: { listeningOnly?: boolean }, sink: TcpMessageSink): Promise<boolean> {
  const live = kfs.live;
  const diag = live?.sockDiag() ?? null;
  if (!live || !diag || diag.bothFamiliesRefused) return false;
  const counts = liveSocketCounts(live);
  const errors = await Promise.all([tableError(live, 'proc/net/tcp'), tableError(live, 'proc/net/tcp6')]);
  if (errors.some((e) => e !== null)) return false;
  const states = o.listeningOnly ? LISTEN_STATES : ALL_STATES;
  const n4 = counts?.tcp,
    n6 = counts?.tcp6;
  let delivered = false;
  const one = (family: 4 | 6): MessageSink => ({
    message(b, off, len) {
      delivered = true;
      sink.message(family, b, off, len);
    },
  });
  try {
    if (n4 !== 0 && n6 !== 0) {
      // As dumpTcpBothFamilies files them: by each message's idiag_family.
      await diag.dumpTcpBothFamilies(states, {
        message(b, off, len) {
          delivered = true;
          const family = len > NLMSG_HDRLEN ? b[off + NLMSG_HDRLEN] : AF_INET;
          if (family === AF_INET6) sink.message(6, b, off, len);
          else if (family === AF_INET) sink.message(4, b, off, len);
          else sink.other();
        },
      });
      return true;
    }
    // A table the kernel counts empty is not read (readInetTable with count 0).
    if (n4 !== 0) await diag.dump('tcp', states, one(4));
    if (n6 !== 0) await diag.dump('tcp6', states, one(6));
    return true;
  } catch (err) {
    if (!delivered) return false;
    throw err;
  }
}
