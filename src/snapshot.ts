// One read of the kernel state: only the sections asked for, each with its own error.
import type {
  ConntrackEntry, CounterGroups, IfMeta, InetProto, InetSocket, NetInterface, Route4, Route6, SourceResult, UnixSocket,
} from './model.js';
import { readConntrack } from './sources/conntrack.js';
import { readInetSockets } from './sources/inet-sockets.js';
import { readInterfaces } from './sources/interfaces.js';
import type { KernelFs } from './sources/kernel-fs.js';
import { scanProcessOwners, type OwnerScan } from './sources/process-owners.js';
import { readRoutes4, readRoutes6 } from './sources/routes.js';
import { readCounters } from './sources/snmp.js';
import { readUnixSockets } from './sources/unix-sockets.js';

export interface Want {
  inet: readonly InetProto[];
  unix: boolean;
  owners: boolean;
  interfaces: boolean;
  counters: boolean;
  routes4: boolean;
  routes6: boolean;
  conntrack: boolean;
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
  /** Addresses, MAC and type per interface (systeminformation), read when the set changes. */
  interfaceMeta?: IfMeta[];
}

export async function readSnapshot(kfs: KernelFs, want: Want, now: () => number = Date.now): Promise<Snapshot> {
  const snap: Snapshot = { time: now(), inet: {} };
  const jobs: Promise<void>[] = [];
  for (const p of want.inet) jobs.push(readInetSockets(kfs, p).then((r) => { snap.inet[p] = r; }));
  if (want.unix) jobs.push(readUnixSockets(kfs).then((r) => { snap.unix = r; }));
  if (want.owners) jobs.push(scanProcessOwners(kfs).then((r) => { snap.owners = r; }));
  if (want.interfaces) jobs.push(readInterfaces(kfs).then((r) => { snap.interfaces = r; }));
  if (want.counters) jobs.push(readCounters(kfs).then((r) => { snap.counters = r; }));
  if (want.routes4) jobs.push(readRoutes4(kfs).then((r) => { snap.routes4 = r; }));
  if (want.routes6) jobs.push(readRoutes6(kfs).then((r) => { snap.routes6 = r; }));
  if (want.conntrack) jobs.push(readConntrack(kfs).then((r) => { snap.conntrack = r; }));
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
    if (r.ok) sockets.push(...r.value);
    else errors.push(r.error);
  }
  return { sockets, errors };
}
