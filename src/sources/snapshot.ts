// One read of the kernel state: only the sections asked for, each with its own error.
import type {
  ConntrackEntry,
  CounterGroups,
  IfMeta,
  InetProto,
  InetSocket,
  NetInterface,
  Route4,
  Route6,
  SourceResult,
  UnixSocket,
} from '../model.js';
import { readConntrack } from './conntrack.js';
import { liveSocketCounts, readInetTable, readTcpTables, type InetSource } from './inet-sockets.js';
import { readInterfaces } from './interfaces.js';
import type { KernelFs } from './kernel-fs.js';
import { scanProcessOwners, type OwnerScan } from './process-owners.js';
import { readRoutes4, readRoutes6 } from './routes.js';
import { readCounters } from './snmp.js';
import { readUnixSockets } from './unix-sockets.js';

export interface Want {
  inet: readonly InetProto[];
  unix: boolean;
  owners: boolean;
  interfaces: boolean;
  counters: boolean;
  routes4: boolean;
  routes6: boolean;
  conntrack: boolean;
  /** Inet sockets from netlink sock_diag or /proc; default 'auto' (netlink for the live root). */
  inetSource?: InetSource;
  /** Only listening sockets will be shown (-l): the kernel then skips established TCP sockets. */
  listeningOnly?: boolean;
  /** TCP rows with struct tcp_info, socket memory and the socket cookie (sock_diag only: the
   *  /proc fallback has none, and rows then lack `tcpInfo`). Only while a view needs it. */
  tcpInfo?: boolean;
}

export interface CounterSection {
  counters: CounterGroups;
  errors: string[];
  skipped: number;
}

export interface Snapshot {
  /** Wall-clock time of the read, ms since the epoch. */
  time: number;
  inet: Partial<Record<InetProto, SourceResult<InetSocket[]>>>;
  unix?: SourceResult<UnixSocket[]>;
  owners?: OwnerScan;
  interfaces?: SourceResult<NetInterface[]>;
  counters?: CounterSection;
  routes4?: SourceResult<Route4[]>;
  routes6?: SourceResult<Route6[]>;
  conntrack?: SourceResult<ConntrackEntry[]>;
  /** Addresses, MAC and type per interface (read from the kernel, see interface-meta.ts), read when the set changes. */
  interfaceMeta?: IfMeta[];
}

/** Files that can be megabytes on a busy host: read off the main thread unless small last time. */
const BIG_FILES = /^proc\/net\/(unix|nf_conntrack|ip_conntrack|tcp6?|udp6?|udplite6?|raw6?)$/;
/** A big table that was at most this long (characters) when last read is read synchronously. */
const SYNC_BIG_MAX = 64 * 1024;
/** Pseudo-files the kernel generates on every read: these may be read through a kept descriptor.
 *  Not regular files (a file replaced by rename would keep its old content), not /proc/<pid>. */
const KEEPABLE = /^(proc\/(net\/|sys\/|stat$)|sys\/)/;
const fastCache = new WeakMap<KernelFs, KernelFs>();

/**
 * For the machine's own root: the small pseudo-files of /proc and /sys read synchronously,
 * through descriptors kept open between ticks (readKept: two preads instead of open, fstat,
 * read, read, close). An asynchronous readFile is four thread-pool round trips; synchronous
 * reads of small files block for microseconds. Big tables (BIG_FILES) are read asynchronously
 * as long as they are big: one that was small on its last read (an idle host's unix sockets or
 * conntrack) is read synchronously too. Any other root (fixtures, test doubles) is used as it is.
 */
export function fastKernelFs(kfs: KernelFs): KernelFs {
  const live = kfs.live;
  if (!live) return kfs;
  let fast = fastCache.get(kfs);
  if (!fast) {
    /** Length of each big table when last read. */
    const lastLength = new Map<string, number>();
    const readText = async (rel: string): Promise<string> => {
      if (BIG_FILES.test(rel)) {
        const last = lastLength.get(rel);
        const text = last === undefined || last > SYNC_BIG_MAX ? await kfs.readText(rel) : live.readKept(rel);
        lastLength.set(rel, text.length);
        return text;
      }
      return KEEPABLE.test(rel) ? live.readKept(rel) : live.readTextSync(rel);
    };
    fast = {
      root: kfs.root,
      live,
      readText,
      readDir: async (rel) => live.readDirSync(rel),
      readLink: async (rel) => live.readLinkSync(rel),
      readFiles: async (dir, names) =>
        KEEPABLE.test(dir + '/')
          ? live.readKeptFiles(dir, names)
          : Promise.all(names.map((n) => readText(`${dir}/${n}`).catch(() => null))),
    };
    fastCache.set(kfs, fast);
  }
  return fast;
}

export async function readSnapshot(kfs0: KernelFs, want: Want, now: () => number = Date.now): Promise<Snapshot> {
  const kfs = fastKernelFs(kfs0);
  const snap: Snapshot = { time: now(), inet: {} };
  const jobs: Promise<void>[] = [];
  const inetOpts = { source: want.inetSource ?? 'auto', listeningOnly: want.listeningOnly === true, tcpInfo: want.tcpInfo === true };
  // The kernel's socket counters say which tables are empty: those are not read at all.
  const counts = want.inet.length > 0 && kfs.live ? liveSocketCounts(kfs.live) : null;
  // Both TCP tables come from one read where they can (see readTcpTables).
  const bothTcp = want.inet.includes('tcp') && want.inet.includes('tcp6');
  if (bothTcp)
    jobs.push(
      readTcpTables(kfs, { ...inetOpts, counts }).then((r) => {
        snap.inet.tcp = r.tcp;
        snap.inet.tcp6 = r.tcp6;
      }),
    );
  for (const p of want.inet) {
    if (bothTcp && (p === 'tcp' || p === 'tcp6')) continue;
    const count = counts?.[p];
    jobs.push(
      readInetTable(kfs, p, count === undefined ? inetOpts : { ...inetOpts, count }).then((r) => {
        snap.inet[p] = r;
      }),
    );
  }
  if (want.unix)
    jobs.push(
      readUnixSockets(kfs).then((r) => {
        snap.unix = r;
      }),
    );
  if (want.owners)
    jobs.push(
      scanProcessOwners(kfs0).then((r) => {
        snap.owners = r;
      }),
    );
  if (want.interfaces)
    jobs.push(
      readInterfaces(kfs).then((r) => {
        snap.interfaces = r;
      }),
    );
  if (want.counters)
    jobs.push(
      readCounters(kfs).then((r) => {
        snap.counters = r;
      }),
    );
  if (want.routes4)
    jobs.push(
      readRoutes4(kfs).then((r) => {
        snap.routes4 = r;
      }),
    );
  if (want.routes6)
    jobs.push(
      readRoutes6(kfs).then((r) => {
        snap.routes6 = r;
      }),
    );
  if (want.conntrack)
    jobs.push(
      readConntrack(kfs).then((r) => {
        snap.conntrack = r;
      }),
    );
  await Promise.all(jobs);
  return snap;
}

/** All inet sockets of the snapshot in netstat's file order, plus the errors of missing files. */
export function inetSockets(snap: Snapshot, protos: readonly InetProto[]): { sockets: InetSocket[]; errors: string[] } {
  const sockets: InetSocket[] = [];
  const errors: string[] = [];
  for (const p of protos) {
    const r = snap.inet[p];
    if (!r) continue;
    // A loop, not push(...rows): spreading 100k arguments overflows the stack.
    if (r.ok) for (const s of r.value) sockets.push(s);
    else errors.push(r.error);
  }
  return { sockets, errors };
}

/** The inodes of every socket the snapshot read (inet and unix); null when it read no table,
 *  which tells the owner cache to trust nothing it saw before. */
export function socketInodes(snap: Snapshot): Set<number> | null {
  const out = new Set<number>();
  let any = false;
  for (const r of Object.values(snap.inet)) {
    if (!r?.ok) continue;
    any = true;
    for (const s of r.value) if (s.inode !== 0) out.add(s.inode);
  }
  if (snap.unix?.ok) {
    any = true;
    for (const u of snap.unix.value) if (u.inode !== 0) out.add(u.inode);
  }
  return any ? out : null;
}
