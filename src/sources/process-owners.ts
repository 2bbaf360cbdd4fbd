// Socket inode → owning process, found by walking /proc/<pid>/fd as netstat -p does.
import type { ProcessOwner } from '../model.js';
import type { KernelFs, LiveKernel } from './kernel-fs.js';

export interface OwnerScan {
  owners: Map<number, ProcessOwner>;
  /** Some processes' fd tables could not be read (not root): their sockets show '-'. */
  denied: boolean;
}

/** 'socket:[12345]' → 12345; '[0000]:12345' (old kernels) → 12345. */
export function socketInodeOfLink(link: string): number | null {
  const n = socketInode(link);
  return n < 0 ? null : n;
}

/** socketInodeOfLink without a regular expression (and its match arrays) per link: -1 for a
 *  link that is not a socket. */
function socketInode(link: string): number {
  let i: number;
  if (link.startsWith('socket:[')) i = 8;
  else if (link.startsWith('[0000]:')) i = 7;
  else return -1;
  const end = i === 8 ? link.length - 1 : link.length;
  if (end <= i || (i === 8 && link.charCodeAt(end) !== 93) /* ] */) return -1;
  let n = 0;
  for (let k = i; k < end; k++) {
    const c = link.charCodeAt(k) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/** netstat's rule: argv[0], cut to its basename when it is an absolute path.
 *  An empty cmdline (kernel thread, zombie) falls back to comm, which netstat lacks. */
export function programName(cmdline: string, comm: string): string {
  const argv0 = cmdline.split('\0')[0] ?? '';
  if (argv0 === '') return comm.trim();
  return argv0.startsWith('/') ? argv0.slice(argv0.lastIndexOf('/') + 1) : argv0;
}

// ---- file access: KernelFs, or plain synchronous calls for the live /proc --------------------
// Reading tens of thousands of fd links through promises costs ~30 µs of CPU each (a thread
// pool round trip); a synchronous readlink costs a few. For the machine's own /proc the scan
// uses synchronous calls in slices, yielding to the event loop between them so keys and
// redraws are never held up for long. Any other root (fixtures, fakes) goes through KernelFs.

interface FdIo {
  listDir(rel: string): Promise<string[]>;
  /** The socket inode each fd of `dir` links to, in order: -1 for one that is not a socket or
   *  cannot be read (the fd was closed meanwhile). Numbers, not the link texts: a first scan
   *  reads every fd on the host, and none of the texts needs to outlive its parse. */
  readSocketInodes(dir: string, fds: Int32Array): Promise<Float64Array>;
  readText(rel: string): Promise<string>;
  /** A symlink's target, '' when it cannot be read. */
  readLink(rel: string): Promise<string>;
  /** Pids whose fd tables are read at once (the async path overlaps their latency). */
  width: number;
}

const SLICE = 2000;
const yieldNow = (): Promise<void> => new Promise((r) => setImmediate(r));

function liveIo(live: LiveKernel): FdIo {
  let budget = SLICE;
  const spend = async (n: number): Promise<void> => {
    budget -= n;
    if (budget <= 0) {
      budget = SLICE;
      await yieldNow();
    }
  };
  return {
    width: 1,
    async listDir(rel) {
      // One process's fd table at a time, with a turn of the event loop between processes.
      await yieldNow();
      const names = live.readDirSync(rel);
      await spend(names.length >> 4);
      return names;
    },
    async readSocketInodes(dir, fds) {
      const out = new Float64Array(fds.length);
      const base = `${dir}/`;
      for (let i = 0; i < fds.length; i++) {
        let inode = -1;
        try {
          inode = socketInode(live.readLinkSync(base + fds[i]!));
        } catch {
          /* closed meanwhile */
        }
        out[i] = inode;
        if (--budget <= 0) {
          budget = SLICE;
          await yieldNow();
        }
      }
      return out;
    },
    // Program names are bytes: decoded as kernelFs decodes them (text/bytes.ts). The fd names
    // and pids listed above are digits, and only "socket:[N]" links matter, so those stay utf8.
    readText: async (rel) => live.readTextSync(rel),
    readLink: async (rel) => {
      try {
        return live.readLinkSync(rel);
      } catch {
        return '';
      }
    },
  };
}

function kfsIo(kfs: KernelFs): FdIo {
  return {
    width: 16,
    listDir: (rel) => kfs.readDir(rel),
    async readSocketInodes(dir, fds) {
      const links = await Promise.all(Array.from(fds, (fd) => kfs.readLink(`${dir}/${fd}`).catch(() => '')));
      return Float64Array.from(links, socketInode);
    },
    readText: (rel) => kfs.readText(rel),
    readLink: (rel) => kfs.readLink(rel).catch(() => ''),
  };
}

function fdIo(kfs: KernelFs): FdIo {
  return kfs.live ? liveIo(kfs.live) : kfsIo(kfs);
}

// ---- the scan ------------------------------------------------------------------------------------

/** One process's fd table as last read. Typed arrays, not a Map of fd names: a load balancer
 *  holds tens of thousands of fds, and a table that did not change is kept as it is (the same
 *  arrays, the same owner object), so a scan of an unchanged host allocates next to nothing. */
interface PidEntry {
  /** Open fd numbers, ascending. */
  fds: Int32Array;
  /** Per fd: its socket inode, or -1 for anything else. */
  inodes: Float64Array;
  /** Per fd: 1 when its socket was not among the sockets listed when it was read: one of
   *  another network namespace (a container's), or a netlink or packet socket. Kept without
   *  reading the link again while it stays unlisted: a host full of containers has many.
   *  Null when there is none. */
  foreign: Uint8Array | null;
  /** How many of the fds are sockets. */
  sockets: number;
  owner: ProcessOwner | null;
}

const isPid = (e: string): boolean => {
  if (e.length === 0) return false;
  for (let i = 0; i < e.length; i++) {
    const c = e.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
};

/** An fd name as a number, -1 for a name that is not one (never in /proc, possible in a fake). */
function fdNumber(name: string): number {
  if (name.length === 0 || name.length > 9) return -1;
  let n = 0;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/** What a set of socket inodes was, without keeping the Set (a tick's set of 50k inodes kept
 *  from one scan to the next would outlive the young generation for nothing): its size, two
 *  order-independent sums to tell most changes at once, and the inodes to make sure. */
class InodeMemo {
  private sorted = false;
  // Inodes are 32-bit (get_next_ino); a Uint32Array sorts without boxing its values.
  private constructor(
    private readonly inodes: Uint32Array,
    private readonly sum: number,
    private readonly mix: number,
    /** The set itself while someone else keeps it (a caller that hands the same set again). */
    private readonly ref: WeakRef<ReadonlySet<number>>,
  ) {}

  static of(set: ReadonlySet<number>): InodeMemo {
    const inodes = new Uint32Array(set.size);
    let i = 0,
      sum = 0,
      mix = 0;
    for (const x of set) {
      inodes[i++] = x;
      sum += x;
      mix = (mix + Math.imul(x | 0, 0x9e3779b1)) | 0;
    }
    return new InodeMemo(inodes, sum, mix, new WeakRef(set));
  }

  same(set: ReadonlySet<number>): boolean {
    if (this.ref.deref() === set) return true;
    if (set.size !== this.inodes.length) return false;
    let sum = 0,
      mix = 0;
    for (const x of set) {
      sum += x;
      mix = (mix + Math.imul(x | 0, 0x9e3779b1)) | 0;
    }
    if (sum !== this.sum || mix !== this.mix) return false;
    if (!this.sorted) {
      this.inodes.sort();
      this.sorted = true;
    }
    const a = this.inodes;
    for (const x of set) {
      let lo = 0,
        hi = a.length - 1,
        found = false;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const v = a[mid]!;
        if (v === x) {
          found = true;
          break;
        }
        if (v < x) lo = mid + 1;
        else hi = mid - 1;
      }
      if (!found) return false;
    }
    return true;
  }
}

/**
 * Socket inode → owner, kept between scans. The first scan reads every fd link of every
 * process (what netstat -p and ss -p do each time). Later scans, given the socket inodes that
 * exist now, read only what can have changed: processes that are new, fd numbers that are new,
 * and fds whose socket is gone; sockets of other network namespaces are read once. With the
 * same sockets as last time, only processes that are new are read. A socket that still has no
 * owner after that (an fd number reused for a new socket while the old one lives on elsewhere)
 * makes the scan read everything again, once per such socket. When no process's sockets or
 * name changed, the answer is the last one (the same Map).
 */
export class OwnerCache {
  private readonly io: FdIo;
  private readonly pids = new Map<string, PidEntry>();
  private unresolved = new Set<number>();
  /** The last answer, and the sockets it was computed for. */
  private last: { live: InodeMemo; result: OwnerScan } | null = null;
  /** Scratch space for one fd table: numbers, inodes, foreign flags, fds to read. */
  private fdBuf = new Int32Array(256);
  private inodeBuf = new Float64Array(256);
  private foreignBuf = new Uint8Array(256);
  private readBuf = new Int32Array(256);
  /** Some process's sockets or name changed since the owners map was last made. */
  private dirty = true;

  /**
   * `stillListed`, when given, reads the socket tables again and answers which of the given
   * inodes are still there. A listed socket that no fd holds is either one closed since the
   * table was read or one whose fd number was reused while it lives on elsewhere; only the
   * second needs every fd read again. Under connection churn there is always some of the first
   * (sockets closed between the table read and the fd scan), and asking the kernel once is far
   * cheaper than tens of thousands of readlinks. The answer stays what a full scan gives.
   */
  constructor(
    private readonly kfs: KernelFs,
    private readonly stillListed?: (inodes: readonly number[]) => Promise<ReadonlySet<number>>,
  ) {
    this.io = fdIo(kfs);
  }

  /** `live`: the socket inodes of this tick (null: trust nothing, read everything). */
  async scan(live: ReadonlySet<number> | null = null): Promise<OwnerScan> {
    let entries: string[];
    try {
      entries = await this.io.listDir('proc');
    } catch {
      this.pids.clear();
      this.last = null;
      this.dirty = true;
      return { owners: new Map(), denied: true };
    }
    const pids = entries.filter(isPid).sort((a, b) => Number(a) - Number(b));
    const present = new Set(pids);
    for (const [pid, e] of this.pids) {
      if (present.has(pid)) continue;
      if (e.owner) this.dirty = true;
      this.pids.delete(pid);
    }

    const last = this.last;
    if (live !== null && last !== null && last.live.same(live)) {
      // The same sockets as last time: the fd tables already read are not read again; new
      // processes are (one may share a socket, or hold one of another namespace), and the
      // owners' names are read again (a process may have exec'd).
      let denied = last.result.denied;
      for (const pid of pids) {
        const known = this.pids.get(pid);
        if (known) await this.rename(pid, known);
        else if ((await this.scanPid(pid, live, false)) === 'denied') denied = true;
      }
      if (!this.dirty) {
        if (denied !== last.result.denied) this.last = { live: last.live, result: { owners: last.result.owners, denied } };
        return this.last!.result;
      }
      const owners = this.owners(pids);
      if (!(await this.mustRecheck(live, owners))) {
        this.dirty = false;
        const result = { owners, denied };
        this.last = { live: last.live, result };
        return result;
      }
      // A socket lost its owner (its process exited): read everything that may have changed.
    }

    let denied = false;
    const scanOne = async (pid: string, recheck: boolean): Promise<void> => {
      const r = await this.scanPid(pid, live, recheck);
      if (r === 'denied') denied = true;
    };
    // A process in another network namespace (a container) holds that namespace's sockets:
    // its fd table is left alone, and what was known of it kept, unless a socket is left
    // without an owner (a process can keep sockets of a namespace it left).
    const elsewhere = live === null ? new Set<string>() : await this.otherNamespaces(pids);
    const run = async (recheck: boolean): Promise<void> => {
      const todo = recheck ? pids : pids.filter((p) => !elsewhere.has(p));
      const w = this.io.width;
      for (let i = 0; i < todo.length; i += w) await Promise.all(todo.slice(i, i + w).map((p) => scanOne(p, recheck)));
    };
    await run(false);
    let owners = this.dirty || last === null ? this.owners(pids) : last.result.owners;
    this.dirty = false;
    if (live !== null) {
      if (await this.mustRecheck(live, owners)) {
        denied = false;
        await run(true);
        owners = this.dirty ? this.owners(pids) : owners;
        this.dirty = false;
      }
      const missing = new Set<number>();
      for (const inode of live) if (inode !== 0 && !owners.has(inode)) missing.add(inode);
      this.unresolved = missing;
    }
    const result = last !== null && owners === last.result.owners && denied === last.result.denied ? last.result : { owners, denied };
    this.last = live === null ? null : { live: InodeMemo.of(live), result };
    return result;
  }

  /** Pids whose network namespace is known and not this process's. */
  private async otherNamespaces(pids: readonly string[]): Promise<Set<string>> {
    const out = new Set<string>();
    const own = await this.io.readLink('proc/self/ns/net');
    if (own === '') return out;
    const w = this.io.width;
    for (let i = 0; i < pids.length; i += w) {
      const batch = pids.slice(i, i + w);
      const links = await Promise.all(batch.map((p) => this.io.readLink(`proc/${p}/ns/net`)));
      batch.forEach((p, k) => {
        const ns = links[k] ?? '';
        if (ns !== '' && ns !== own) out.add(p);
      });
    }
    return out;
  }

  /** Whether every fd must be read again: a socket newly without an owner that (asked again,
   *  when the cache can ask) is still listed. Those found closed are left out of `live`'s
   *  unresolved ones: nothing holds them. */
  private async mustRecheck(live: ReadonlySet<number>, owners: ReadonlyMap<number, ProcessOwner>): Promise<boolean> {
    if (!this.newlyMissing(live, owners)) return false;
    if (!this.stillListed) return true;
    const missing: number[] = [];
    for (const inode of live) if (inode !== 0 && !owners.has(inode) && !this.unresolved.has(inode)) missing.push(inode);
    let listed: ReadonlySet<number>;
    try {
      listed = await this.stillListed(missing);
    } catch {
      return true;
    }
    for (const inode of missing) if (listed.has(inode)) return true;
    return false;
  }

  /** True when a listed socket has no owner and had one (or was not listed) last time. */
  private newlyMissing(live: ReadonlySet<number>, owners: ReadonlyMap<number, ProcessOwner>): boolean {
    for (const inode of live) if (inode !== 0 && !owners.has(inode) && !this.unresolved.has(inode)) return true;
    return false;
  }

  /** A known owner's name read again; a new owner object (and a new map) only when it changed. */
  private async rename(pid: string, e: PidEntry): Promise<void> {
    if (!e.owner) return;
    const program = await this.programOf(pid);
    if (program !== e.owner.program) {
      e.owner = { pid: e.owner.pid, program };
      this.dirty = true;
    }
  }

  private async programOf(pid: string): Promise<string> {
    const [cmdline, comm] = await Promise.all([
      this.io.readText(`proc/${pid}/cmdline`).catch(() => ''),
      this.io.readText(`proc/${pid}/comm`).catch(() => ''),
    ]);
    return programName(cmdline, comm);
  }

  /** Merge in pid order so that, like netstat, the lowest pid keeps a socket shared after fork. */
  private owners(pids: readonly string[]): Map<number, ProcessOwner> {
    const owners = new Map<number, ProcessOwner>();
    for (const pid of pids) {
      const e = this.pids.get(pid);
      if (!e?.owner) continue;
      const inodes = e.inodes;
      for (let i = 0; i < inodes.length; i++) {
        const inode = inodes[i]!;
        if (inode !== -1 && !owners.has(inode)) owners.set(inode, e.owner);
      }
    }
    return owners;
  }

  /** Room for n fds in the scratch arrays. */
  private room(n: number): void {
    if (this.fdBuf.length >= n) return;
    const size = Math.max(n, this.fdBuf.length * 2);
    this.fdBuf = new Int32Array(size);
    this.inodeBuf = new Float64Array(size);
    this.foreignBuf = new Uint8Array(size);
    this.readBuf = new Int32Array(size);
  }

  /** Read what may have changed in one process's fd table (all of it when `live` is null or
   *  `recheck` is set). */
  private async scanPid(pid: string, live: ReadonlySet<number> | null, recheck: boolean): Promise<'ok' | 'denied' | 'gone'> {
    let names: string[];
    try {
      names = await this.io.listDir(`proc/${pid}/fd`);
    } catch (err) {
      if (this.pids.get(pid)?.owner) this.dirty = true;
      this.pids.delete(pid);
      // The process may have exited between readdir and here; only EACCES means "need root".
      const code = (err as NodeJS.ErrnoException).code;
      return code === 'EACCES' || code === 'EPERM' ? 'denied' : 'gone';
    }
    // From here to the first await the scratch arrays are this call's (scans of several
    // processes may be in flight at once).
    this.room(names.length);
    let fds = this.fdBuf,
      inodes = this.inodeBuf,
      foreign = this.foreignBuf;
    const toRead = this.readBuf;
    let n = 0,
      ordered = true;
    for (const name of names) {
      const fd = fdNumber(name);
      if (fd < 0) continue;
      if (n > 0 && fd <= fds[n - 1]!) ordered = false;
      fds[n++] = fd;
    }
    // /proc lists fds in ascending order; other trees may not.
    if (!ordered) fds.subarray(0, n).sort();
    const old = this.pids.get(pid);
    const incremental = live !== null && !recheck && old !== undefined;
    let reads = 0;
    for (let i = 0, j = 0; i < n; i++) {
      const fd = fds[i]!;
      if (incremental) {
        const oldFds = old.fds;
        while (j < oldFds.length && oldFds[j]! < fd) j++;
        if (j < oldFds.length && oldFds[j] === fd) {
          // Kept without a readlink: a known non-socket, a socket that still exists, and a
          // socket that was foreign and still is.
          const was = old.inodes[j]!;
          const listed = was !== -1 && live.has(was);
          if (was === -1 || listed || old.foreign?.[j] === 1) {
            inodes[i] = was;
            foreign[i] = was !== -1 && !listed ? 1 : 0;
            continue;
          }
        }
      }
      toRead[reads++] = i;
    }
    if (reads > 0) {
      // Links to read: the table changed, so it gets arrays of its own (before the await).
      fds = fds.slice(0, n);
      inodes = inodes.slice(0, n);
      foreign = foreign.slice(0, n);
      const which = toRead.slice(0, reads);
      const read = await this.io.readSocketInodes(
        `proc/${pid}/fd`,
        which.map((i) => fds[i]!),
      );
      for (let k = 0; k < reads; k++) {
        const i = which[k]!;
        const inode = read[k]!;
        inodes[i] = inode;
        foreign[i] = live !== null && inode !== -1 && !live.has(inode) ? 1 : 0;
      }
    }
    let sockets = 0,
      anyForeign = false;
    for (let i = 0; i < n; i++) {
      if (inodes[i] !== -1) sockets++;
      if (foreign[i] === 1) anyForeign = true;
    }
    let same = old !== undefined && old.fds.length === n;
    for (let i = 0; same && i < n; i++) {
      same = old!.fds[i] === fds[i] && old!.inodes[i] === inodes[i] && (old!.foreign?.[i] ?? 0) === foreign[i];
    }
    const socketsMoved = !same && (sockets > 0 || (old?.sockets ?? 0) > 0) && !sameSockets(old, fds, inodes, n);
    // Arrays of its own for a table that changed (the scratch ones are reused by the next call).
    const own = reads > 0;
    const entry: PidEntry = same
      ? old!
      : {
          fds: own ? fds : fds.slice(0, n),
          inodes: own ? inodes : inodes.slice(0, n),
          foreign: anyForeign ? (own ? foreign : foreign.slice(0, n)) : null,
          sockets,
          owner: old?.owner ?? null,
        };
    if (!same) this.pids.set(pid, entry);
    // The name is read every time: a process may exec (new name, same fds) between scans.
    const program = sockets > 0 ? await this.programOf(pid) : null;
    const ownerWas = entry.owner;
    if (program === null) entry.owner = null;
    else if (ownerWas === null || ownerWas.program !== program) entry.owner = { pid: Number(pid), program };
    // Only a change in the sockets or their owner changes the map: fds of files come and go.
    if (socketsMoved || entry.owner !== ownerWas) this.dirty = true;
    return 'ok';
  }
}

/** The same socket inodes in the same order (fds of other kinds aside). */
function sameSockets(old: PidEntry | undefined, fds: Int32Array, inodes: Float64Array, n: number): boolean {
  if (!old) return false;
  let j = 0;
  for (let i = 0; i < n; i++) {
    const inode = inodes[i]!;
    if (inode === -1) continue;
    while (j < old.inodes.length && old.inodes[j] === -1) j++;
    if (j >= old.inodes.length || old.inodes[j] !== inode || old.fds[j] !== fds[i]) return false;
    j++;
  }
  while (j < old.inodes.length && old.inodes[j] === -1) j++;
  return j === old.inodes.length;
}

/** One full scan: every fd of every process, as netstat -p does. */
export function scanProcessOwners(kfs: KernelFs): Promise<OwnerScan> {
  return new OwnerCache(kfs).scan(null);
}
