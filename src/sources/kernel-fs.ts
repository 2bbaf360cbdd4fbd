// The one place where sources touch the filesystem. Everything is read relative to an
// injectable root so tests can point the whole app at a captured fixture tree.
import { isAscii } from 'node:buffer';
import {
  closeSync,
  constants as fsc,
  openSync,
  promises as fsp,
  readdirSync,
  readFileSync,
  readlinkSync,
  readSync,
  statSync,
} from 'node:fs';
import * as path from 'node:path';
import type { SourceResult } from '../model.js';
import { decodeBytes, encodeBytes } from '../text/bytes.js';
import { sharedSockDiag, type SockDiag } from './sock-diag.js';

export interface KernelFs {
  readonly root: string;
  /** Read a file below root, e.g. 'proc/net/tcp'. */
  readText(rel: string): Promise<string>;
  readDir(rel: string): Promise<string[]>;
  readLink(rel: string): Promise<string>;
  /**
   * Optional: several small files of one directory (rel, e.g. 'sys/class/net/eth0') at once,
   * null for each one that cannot be read, whatever the reason. Gives what readText would for
   * each; the live root (fastKernelFs) reads them through descriptors it keeps open.
   */
  readFiles?(dir: string, names: readonly string[]): Promise<(string | null)[]>;
  /** Present when this is the machine's own kernel: the fast paths only it has. A fixture
   *  root has none, and every source then reads through the methods above. */
  readonly live?: LiveKernel;
}

/**
 * The running kernel's fast paths, as one injectable object: synchronous reads through
 * descriptors kept open (see readKept), synchronous directory and link reads of /proc for the
 * owner scan, and the sock_diag netlink socket. Paths are relative to '/', like KernelFs's.
 */
export interface LiveKernel {
  /** The whole text of a generated file, through a descriptor kept open when there is room. */
  readKept(rel: string): string;
  /** Several files of one directory through kept descriptors; null for each unreadable one. */
  readKeptFiles(dir: string, names: readonly string[]): (string | null)[];
  readTextSync(rel: string): string;
  readDirSync(rel: string): string[];
  readLinkSync(rel: string): string;
  /** Rejects as an open would (ENOENT, EACCES) when the path is not there for us. */
  access(rel: string): Promise<void>;
  /** The process's sock_diag socket; null when netlink cannot be used. */
  sockDiag(): SockDiag | null;
}

/** True when kfs reads this machine's own kernel (netlink and kept descriptors answer for it). */
export function isLiveRoot(kfs: KernelFs): boolean {
  return kfs.live !== undefined;
}

/** The machine's own kernel's fast paths (see LiveKernel). */
export function liveKernel(): LiveKernel {
  const abs = (rel: string): string => '/' + rel.replace(/^\/+/, '');
  return {
    readKept: (rel) => readKept(abs(rel)),
    readKeptFiles: (dir, names) => readKeptFiles(abs(dir), names),
    readTextSync: (rel) => decodeBytes(readFileSync(encodeBytes(abs(rel)))),
    readDirSync: (rel) => readdirSync(encodeBytes(abs(rel)), { encoding: 'buffer' }).map(decodeBytes),
    readLinkSync: (rel) => decodeBytes(readlinkSync(encodeBytes(abs(rel)), { encoding: 'buffer' })),
    access: (rel) => fsp.access(abs(rel)),
    sockDiag: sharedSockDiag,
  };
}

/** Text is decoded with decodeBytes: bytes that are not valid UTF-8 (a socket path or process
 *  name is whatever bytes its owner chose) survive as lone surrogates, which printable() shows
 *  as \xNN; a name read that way can be used in a path again (encodeBytes). */
export function kernelFs(root = '/', live: LiveKernel | undefined = path.resolve(root) === '/' ? liveKernel() : undefined): KernelFs {
  const abs = (rel: string): string | Buffer => encodeBytes(path.join(root, rel));
  return {
    root,
    ...(live ? { live } : {}),
    readText: async (rel) => decodeBytes(await readCapped(abs(rel), readCap(rel))),
    readDir: async (rel) => (await fsp.readdir(abs(rel), { encoding: 'buffer' })).map(decodeBytes),
    readLink: async (rel) => decodeBytes(await fsp.readlink(abs(rel), { encoding: 'buffer' })),
  };
}

// ---- read caps ------------------------------------------------------------------------------------
//
// Every file is read with a cap on its size, and only when it is a regular file (/proc and
// /sys files are): a --root tree is whatever someone put there, and /dev/zero (or a FIFO, or a
// sparse file of terabytes) at proc/net/dev must give an error, not a process that grows until
// the machine swaps or that blocks forever. The caps are far above what a kernel writes:
// a socket table line is ~150 bytes (1.7M sockets in 256 MiB), a conntrack line ~300 bytes,
// a route line ~150 (a full Internet table, 1M routes, is ~150 MB); everything else (counters,
// /proc/net/dev, sysfs attributes, /etc files) is a few KB to a few MB.

/** Socket tables, conntrack and routing tables: 256 MiB. */
export const BIG_TABLE_CAP = 256 * 1024 * 1024;
/** Every other file: 16 MiB. */
export const SMALL_FILE_CAP = 16 * 1024 * 1024;
const BIG_TABLES = /^\/?proc\/(?:\d+\/)?net\/(unix|nf_conntrack|ip_conntrack|tcp6?|udp6?|udplite6?|raw6?|route|ipv6_route|netlink|packet)$/;

/** The cap for a file below root (rel, e.g. 'proc/net/tcp'). */
export function readCap(rel: string): number {
  return BIG_TABLES.test(rel) ? BIG_TABLE_CAP : SMALL_FILE_CAP;
}

function mib(n: number): string {
  return `${Math.round(n / (1024 * 1024))} MiB`;
}

/** An error with a code describeReadError knows. */
function readRefusal(code: 'ENOTREGULAR' | 'ETOOBIG', message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code });
}

/**
 * The bytes of a regular file, at most `cap` of them (a longer file is an ETOOBIG error; the
 * memory used is bounded by the cap whatever the file says its size is). The open never waits:
 * O_NONBLOCK lets a FIFO open at once, and the fstat refuses it (ENOTREGULAR), as it does a
 * device (/dev/zero), a socket or a directory.
 */
export async function readCapped(file: string | Buffer, cap: number): Promise<Buffer> {
  const fh = await fsp.open(file, fsc.O_RDONLY | fsc.O_NONBLOCK);
  try {
    const st = await fh.stat();
    if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    if (!st.isFile()) throw readRefusal('ENOTREGULAR', 'not a regular file');
    if (st.size > cap) throw readRefusal('ETOOBIG', `larger than the ${mib(cap)} cap`);
    // /proc and /sys files say size 0 (or 4096): read until the end, within the cap.
    let buf = Buffer.allocUnsafe(Math.min(cap + 1, Math.max(st.size + 1, 16 * 1024)));
    let n = 0;
    for (;;) {
      if (n === buf.length) {
        if (n > cap) throw readRefusal('ETOOBIG', `larger than the ${mib(cap)} cap`);
        const bigger = Buffer.allocUnsafe(Math.min(cap + 1, buf.length * 2));
        buf.copy(bigger, 0, 0, n);
        buf = bigger;
      }
      const { bytesRead } = await fh.read(buf, n, buf.length - n, null);
      if (bytesRead === 0) break;
      n += bytesRead;
    }
    if (n > cap) throw readRefusal('ETOOBIG', `larger than the ${mib(cap)} cap`);
    return buf.subarray(0, n);
  } finally {
    await fh.close();
  }
}

/** Parsers return what they understood and how many lines they had to skip. */
export interface Parsed<T> {
  value: T;
  skipped: number;
}

/** Parse a table of one record per line after `headerLines` lines of header; a line that
 *  parseLine rejects is counted as skipped, never thrown on. */
export function parseRows<T>(text: string, headerLines: number, parseLine: (line: string) => T | null): Parsed<T[]> {
  const value: T[] = [];
  let skipped = 0;
  const lines = text.split('\n');
  for (let i = headerLines; i < lines.length; i++) {
    const line = lines[i];
    if (!line || !line.trim()) continue;
    const row = parseLine(line);
    if (row === null) skipped++;
    else value.push(row);
  }
  return { value, skipped };
}

/** A configuration file below root (etc/services, …); missing or unreadable gives `empty`. */
export async function readOptional<T>(kfs: KernelFs, rel: string, parse: (text: string) => T, empty: T): Promise<T> {
  try {
    return parse(await kfs.readText(rel));
  } catch {
    return empty;
  }
}

/** The message for a file that should have content and has none. */
export function emptyFileError(rel: string): string {
  return `/${rel.replace(/^\/+/, '')}: empty file (the kernel always writes a header there)`;
}

/** Turn a failed read into the one-line message a pane or section shows. */
export function describeReadError(rel: string, err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  const where = '/' + rel.replace(/^\/+/, '');
  switch (code) {
    case 'ENOENT':
      return `${where}: not available on this system`;
    case 'EACCES':
    case 'EPERM':
      return `${where}: permission denied`;
    case 'EISDIR':
      return `${where}: is a directory`;
    case 'ENOTREGULAR':
      return `${where}: not a regular file (refused: a device, FIFO or socket)`;
    case 'ETOOBIG':
      return `${where}: ${err instanceof Error ? err.message : String(err)} (refused)`;
    default:
      return `${where}: ${err instanceof Error ? err.message : String(err)}`;
  }
}

export interface ReadSourceOptions {
  /** The file may legitimately be empty (no header, nothing to list): nf_conntrack with no
   *  flows, ipv6_route with no routes. Otherwise an empty file is reported, because the kernel
   *  always writes at least a header there. */
  emptyOk?: boolean;
}

/** The last text of each file readSource parsed, and what it gave (see readSource). */
interface Memo {
  text: string;
  parse: unknown;
  value: unknown;
  skipped: number;
}
const parsedMemo = new Map<string, Memo>();
const MEMO_FILES_MAX = 64;
/** Longer texts are not kept: a big table changes every tick anyway. */
const MEMO_TEXT_MAX = 64 * 1024;

/** Read one kernel file and parse it; a missing, unreadable or empty file becomes an error result.
 *  A text the same as the one this parser was last given for this path is not parsed again: the
 *  value is the same (parsers are pure), and it is the same object as last time. On an idle host
 *  most files (routes, counters of an idle namespace, unix sockets) do not change between ticks.
 *  Values are never modified after parsing, so sharing them between snapshots is safe. */
export async function readSource<T>(
  kfs: KernelFs,
  rel: string,
  parse: (text: string) => Parsed<T>,
  opts: ReadSourceOptions = {},
): Promise<SourceResult<T>> {
  let text: string;
  try {
    text = await kfs.readText(rel);
  } catch (err) {
    return { ok: false, error: describeReadError(rel, err) };
  }
  if (text === '' && opts.emptyOk !== true) return { ok: false, error: emptyFileError(rel) };
  const memo = parsedMemo.get(rel);
  if (memo !== undefined && memo.parse === parse && memo.text === text) return { ok: true, value: memo.value as T, skipped: memo.skipped };
  try {
    const { value, skipped } = parse(text);
    if (text.length <= MEMO_TEXT_MAX) {
      if (memo === undefined && parsedMemo.size >= MEMO_FILES_MAX) parsedMemo.clear();
      parsedMemo.set(rel, { text, parse, value, skipped });
    }
    return { ok: true, value, skipped };
  } catch (err) {
    // Parsers are written not to throw; this keeps one bad file from taking down the rest.
    return { ok: false, error: `/${rel}: unparseable (${err instanceof Error ? err.message : String(err)})` };
  }
}

// ---- the live root's small files, through descriptors kept open ----------------------------------
//
// /proc and /sys files are generated when they are read, not when they are opened: a pread at
// offset 0 on a descriptor kept open makes the kernel write the file again (seq_file starts its
// iterator over at position 0, a sysfs attribute's show() runs again, a /proc/sys handler
// runs again), so a file read every tick costs one pread (sysfs) or two (the data, then end of
// file) instead of open, fstat, read, read, close and a new Buffer. test/kept-files.test.ts checks that a
// kept descriptor sees what a fresh open sees, in a network namespace that changes under it.
//
// A descriptor whose file went away (an interface deleted: sysfs answers ENODEV from then on)
// is closed and the path opened again, which gives the file's current content or error. Files
// are kept for at most KEPT_MAX paths (beyond that they are opened and closed as before), and
// one not read for a whole sweep period is closed, so interfaces that come and go leave none.

/** At most this many descriptors are kept open. */
export const KEPT_MAX = 256;
/** A kept descriptor not used for this long (ms) is closed. */
const KEPT_SWEEP_MS = 30_000;
/** Errors that mean the descriptor no longer reaches the file its path names now. */
const STALE = new Set(['ENODEV', 'ENOENT', 'ESTALE', 'EBADF', 'ENXIO']);

interface Kept {
  fd: number;
  used: boolean;
}

const kept = new Map<string, Kept>();
/** Paths that did not exist when last read, with the error that said so. */
const missing = new Map<string, Error>();
/** Directory (absolute) → inode it had when its files were opened (see readKeptFiles). */
const keptDirs = new Map<string, { ino: number; used: boolean }>();
let lastSweep = 0;
/** One read buffer for every kept read: the text is decoded before the next read. */
let readBuf = Buffer.allocUnsafe(16 * 1024);
const READ_BUF_KEEP = 256 * 1024;

function errCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | null)?.code;
}

/** A sysfs attribute is one show() of at most a page, which the first read returns whole when
 *  the buffer is bigger: a shorter read is all there is. (/proc's seq_files may return less than
 *  asked before their end, so they are read until a read returns nothing.) */
const SYSFS_PAGE = 4096;

/** pread from offset 0 to end of file into readBuf; the byte count. */
function preadAll(fd: number, sysfs: boolean, cap: number): number {
  let n = 0;
  for (;;) {
    if (n === readBuf.length) {
      const bigger = Buffer.allocUnsafe(readBuf.length * 2);
      readBuf.copy(bigger, 0, 0, n);
      readBuf = bigger;
    }
    const r = readSync(fd, readBuf, n, readBuf.length - n, n);
    if (r === 0) return n;
    n += r;
    if (n > cap) throw readRefusal('ETOOBIG', `larger than the ${mib(cap)} cap`);
    if (sysfs && n < SYSFS_PAGE) return n;
  }
}

/** readBuf[0, n) as kernelFs decodes it (decodeBytes; plain ASCII, nearly all of /proc, directly). */
function decodeRead(n: number): string {
  const view = readBuf.subarray(0, n);
  const text = isAscii(view) ? readBuf.toString('latin1', 0, n) : decodeBytes(view);
  if (readBuf.length > READ_BUF_KEEP) readBuf = Buffer.allocUnsafe(16 * 1024);
  return text;
}

function sweep(): void {
  const now = performance.now();
  if (now - lastSweep < KEPT_SWEEP_MS) return;
  lastSweep = now;
  for (const [p, k] of kept) {
    if (k.used) k.used = false;
    else {
      kept.delete(p);
      closeQuietly(k.fd);
    }
  }
  for (const [d, g] of keptDirs) {
    if (g.used) g.used = false;
    else keptDirs.delete(d);
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    /* already gone */
  }
}

/**
 * The whole text of an absolute path of the live root, synchronously, through a descriptor kept
 * open when there is room. Throws what readFileSync would (ENOENT, EACCES, EINVAL from an
 * attribute that refuses, …).
 */
export function readKept(abs: string): string {
  sweep();
  const sysfs = abs.startsWith('/sys/');
  const k = kept.get(abs);
  if (k !== undefined) {
    try {
      const n = preadAll(k.fd, sysfs, readCap(abs));
      k.used = true;
      return decodeRead(n);
    } catch (err) {
      if (!STALE.has(errCode(err) ?? '')) throw err;
      kept.delete(abs);
      closeQuietly(k.fd);
    }
  }
  // A file that was missing last time (/proc/net/sctp/snmp without the sctp module) is looked
  // for with a stat that says ENOENT without an exception, as long as it stays missing (any
  // other answer goes on to the open, which gives its own error).
  const gone = missing.get(abs);
  if (gone !== undefined) {
    let still = false;
    try {
      still = statSync(encodeBytes(abs), { throwIfNoEntry: false }) === undefined;
    } catch {
      /* the open says why */
    }
    if (still) throw gone;
    missing.delete(abs);
  }
  let fd: number;
  try {
    fd = openSync(encodeBytes(abs), 'r');
  } catch (err) {
    if (errCode(err) === 'ENOENT') {
      if (missing.size >= KEPT_MAX) missing.clear();
      missing.set(abs, err as Error);
    }
    throw err;
  }
  let keep = kept.size < KEPT_MAX;
  try {
    return decodeRead(preadAll(fd, sysfs, readCap(abs)));
  } catch (err) {
    // An attribute that refuses to be read (EINVAL from speed on a virtual device) says so
    // again on the next pread: the descriptor is kept. Anything else is not.
    if (errCode(err) !== 'EINVAL') keep = false;
    throw err;
  } finally {
    if (keep) kept.set(abs, { fd, used: true });
    else closeSync(fd);
  }
}

/**
 * Files of one directory that may be a symlink to something else later: /sys/class/net/<if>
 * leads to the device of that name, and a renamed device keeps its descriptors. So the
 * directory's inode is checked first (one stat): when it changed, every descriptor kept below
 * it is closed and opened again. null for a file that cannot be read.
 */
export function readKeptFiles(absDir: string, names: readonly string[]): (string | null)[] {
  let ino: number | null;
  try {
    ino = statSync(encodeBytes(absDir)).ino;
  } catch {
    ino = null;
  }
  const prev = keptDirs.get(absDir);
  if (prev !== undefined && prev.ino !== ino) {
    const below = absDir + '/';
    for (const [p, k] of kept) {
      if (p.startsWith(below)) {
        kept.delete(p);
        closeQuietly(k.fd);
      }
    }
    keptDirs.delete(absDir);
  }
  if (ino === null) return names.map(() => null);
  if (prev === undefined || prev.ino !== ino) keptDirs.set(absDir, { ino, used: true });
  else prev.used = true;
  return names.map((name) => {
    try {
      return readKept(`${absDir}/${name}`);
    } catch {
      return null;
    }
  });
}

/** How many descriptors are kept open now (for tests). */
export function keptCount(): number {
  return kept.size;
}

/** Close every kept descriptor (for tests, and a process that is about to change namespace). */
export function closeKept(): void {
  for (const k of kept.values()) closeQuietly(k.fd);
  kept.clear();
  keptDirs.clear();
  missing.clear();
}
