// Socket inode → owning process, found by walking /proc/<pid>/fd as netstat -p does.
import type { ProcessOwner } from '../model.js';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import * as path from 'node:path';
import type { KernelFs } from './kernel-fs.js';
import { decodeBytes } from '../text/bytes.js';

export interface OwnerScan {
  owners: Map<number, ProcessOwner>;
  /** Some processes' fd tables could not be read (not root): their sockets show '-'. */
  denied: boolean;
}

/** 'socket:[12345]' → 12345; '[0000]:12345' (old kernels) → 12345. */
export function socketInodeOfLink(link: string): number | null {
  let m = /^socket:\[(\d+)\]$/.exec(link);
  if (!m) m = /^\[0000\]:(\d+)$/.exec(link);
  return m ? Number(m[1]) : null;
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
  /** Links of `rels` in order; '' for each that cannot be read (the fd was closed meanwhile). */
  readLinks(rels: readonly string[]): Promise<string[]>;
  readText(rel: string): Promise<string>;
  /** Pids whose fd tables are read at once (the async path overlaps their latency). */
  width: number;
}

const SLICE = 2000;
const yieldNow = (): Promise<void> => new Promise((r) => setImmediate(r));

function liveIo(kfs: KernelFs): FdIo {
  let budget = SLICE;
  const spend = async (n: number): Promise<void> => {
    budget -= n;
    if (budget <= 0) { budget = SLICE; await yieldNow(); }
  };
  return {
    width: 1,
    async listDir(rel) {
      // One process's fd table at a time, with a turn of the event loop between processes.
      await yieldNow();
      const names = readdirSync('/' + rel);
      await spend(names.length >> 4);
      return names;
    },
    async readLinks(rels) {
      const out: string[] = new Array<string>(rels.length);
      for (let i = 0; i < rels.length; i++) {
        try { out[i] = readlinkSync('/' + rels[i]); } catch { out[i] = ''; }
        if (--budget <= 0) { budget = SLICE; await yieldNow(); }
      }
      return out;
    },
    // Program names are bytes: decoded as kernelFs decodes them (text/bytes.ts). The fd names
    // and pids listed above are digits, and only "socket:[N]" links matter, so those stay utf8.
    readText: async (rel) => decodeBytes(readFileSync('/' + rel)),
  };
}

function kfsIo(kfs: KernelFs): FdIo {
  return {
    width: 16,
    listDir: (rel) => kfs.readDir(rel),
    readLinks: (rels) => Promise.all(rels.map((r) => kfs.readLink(r).catch(() => ''))),
    readText: (rel) => kfs.readText(rel),
  };
}

function fdIo(kfs: KernelFs): FdIo {
  return path.resolve(kfs.root) === '/' ? liveIo(kfs) : kfsIo(kfs);
}

// ---- the scan ------------------------------------------------------------------------------------

interface PidEntry {
  /** fd name → socket inode, or -1 for anything else. */
  fds: Map<string, number>;
  /** fds whose socket was not among the sockets listed when it was read: one of another
   *  network namespace (a container's), or a netlink or packet socket. Kept without reading
   *  the link again while it stays unlisted: a host full of containers has many. */
  foreign: Set<string> | null;
  owner: ProcessOwner | null;
}

const isPid = (e: string): boolean => {
  if (e.length === 0) return false;
  for (let i = 0; i < e.length; i++) { const c = e.charCodeAt(i); if (c < 48 || c > 57) return false; }
  return true;
};

/**
 * Socket inode → owner, kept between scans. The first scan reads every fd link of every
 * process (what netstat -p and ss -p do each time). Later scans, given the socket inodes that
 * exist now, read only what can have changed: processes that are new, fd numbers that are new,
 * and fds whose socket is gone; sockets of other network namespaces are read once. A socket
 * that still has no owner after that (an fd number reused for a new socket while the old one
 * lives on elsewhere) makes the scan read everything again, once per such socket.
 */
export class OwnerCache {
  private readonly io: FdIo;
  private readonly pids = new Map<string, PidEntry>();
  private unresolved = new Set<number>();
  /** The last answer, and what it was computed from. */
  private last: { live: ReadonlySet<number>; pids: string; result: OwnerScan } | null = null;

  constructor(private readonly kfs: KernelFs) {
    this.io = fdIo(kfs);
  }

  /** `live`: the socket inodes of this tick (null: trust nothing, read everything). */
  async scan(live: ReadonlySet<number> | null = null): Promise<OwnerScan> {
    let entries: string[];
    try {
      entries = await this.io.listDir('proc');
    } catch {
      this.pids.clear();
      return { owners: new Map(), denied: true };
    }
    const pids = entries.filter(isPid).sort((a, b) => Number(a) - Number(b));
    const pidKey = pids.join(' ');
    // The same processes and the same sockets as last time: no fd table is read again, only
    // the names of the owners (a process may have exec'd).
    if (live !== null && this.last && this.last.pids === pidKey && sameSet(live, this.last.live)) return this.renamed(pids);
    const present = new Set(pids);
    for (const pid of this.pids.keys()) if (!present.has(pid)) this.pids.delete(pid);

    let denied = false;
    const scanOne = async (pid: string, recheck: boolean): Promise<void> => {
      const r = await this.scanPid(pid, live, recheck);
      if (r === 'denied') denied = true;
    };
    const run = async (recheck: boolean): Promise<void> => {
      const w = this.io.width;
      for (let i = 0; i < pids.length; i += w) await Promise.all(pids.slice(i, i + w).map((p) => scanOne(p, recheck)));
    };
    await run(false);
    let owners = this.owners(pids);
    if (live !== null) {
      const missing: number[] = [];
      for (const inode of live) if (inode !== 0 && !owners.has(inode)) missing.push(inode);
      if (missing.some((i) => !this.unresolved.has(i))) {
        denied = false;
        await run(true);
        owners = this.owners(pids);
        missing.length = 0;
        for (const inode of live) if (inode !== 0 && !owners.has(inode)) missing.push(inode);
      }
      this.unresolved = new Set(missing);
    }
    const result = { owners, denied };
    this.last = live === null ? null : { live, pids: pidKey, result };
    return result;
  }

  /** The last answer with the owners' names read again. */
  private async renamed(pids: readonly string[]): Promise<OwnerScan> {
    const last = this.last!;
    let changed = false;
    for (const pid of pids) {
      const e = this.pids.get(pid);
      if (!e?.owner) continue;
      const program = await this.programOf(pid);
      if (program !== e.owner.program) {
        e.owner = { pid: e.owner.pid, program };
        changed = true;
      }
    }
    if (changed) last.result = { owners: this.owners(pids), denied: last.result.denied };
    return last.result;
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
      for (const inode of e.fds.values()) if (inode !== -1 && !owners.has(inode)) owners.set(inode, e.owner);
    }
    return owners;
  }

  /** Read what may have changed in one process's fd table (all of it when `live` is null or
   *  `recheck` is set). */
  private async scanPid(pid: string, live: ReadonlySet<number> | null, recheck: boolean): Promise<'ok' | 'denied' | 'gone'> {
    let fds: string[];
    try {
      fds = await this.io.listDir(`proc/${pid}/fd`);
    } catch (err) {
      this.pids.delete(pid);
      // The process may have exited between readdir and here; only EACCES means "need root".
      const code = (err as NodeJS.ErrnoException).code;
      return code === 'EACCES' || code === 'EPERM' ? 'denied' : 'gone';
    }
    const old = this.pids.get(pid);
    const next = new Map<string, number>();
    let foreign: Set<string> | null = null;
    const toRead: string[] = [];
    for (const fd of fds) {
      const was = live === null || recheck ? undefined : old?.fds.get(fd);
      if (was === undefined) { toRead.push(fd); continue; }
      // Kept without a readlink: a socket that still exists, a known non-socket, and a socket
      // that was foreign and still is.
      const listed = live!.has(was);
      if (listed || was === -1 || old!.foreign?.has(fd) === true) {
        next.set(fd, was);
        if (!listed && was !== -1) (foreign ??= new Set()).add(fd);
      } else toRead.push(fd);
    }
    if (toRead.length > 0) {
      const links = await this.io.readLinks(toRead.map((fd) => `proc/${pid}/fd/${fd}`));
      for (let i = 0; i < toRead.length; i++) {
        const fd = toRead[i]!;
        const inode = socketInodeOfLink(links[i] ?? '') ?? -1;
        next.set(fd, inode);
        if (live !== null && inode !== -1 && !live.has(inode)) (foreign ??= new Set()).add(fd);
      }
    }
    let sockets = false;
    for (const v of next.values()) if (v !== -1) { sockets = true; break; }
    let owner: ProcessOwner | null = null;
    if (sockets) {
      // Read every time: a process may exec (new name, same fds) between scans.
      owner = { pid: Number(pid), program: await this.programOf(pid) };
    }
    this.pids.set(pid, { fds: next, foreign, owner });
    return 'ok';
  }
}

function sameSet(a: ReadonlySet<number>, b: ReadonlySet<number>): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

/** One full scan: every fd of every process, as netstat -p does. */
export function scanProcessOwners(kfs: KernelFs): Promise<OwnerScan> {
  return new OwnerCache(kfs).scan(null);
}
