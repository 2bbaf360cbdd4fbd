// --json: the snapshot as one document. Counters keep the kernel's own group and name.
import type { PrintOptions } from './print-options.js';
import { inetProtos } from '../names/netstat-selection.js';
import type { IfMeta, InetSocket, NetInterface, UnixSocket } from '../model.js';
import { effectiveFlags, flagLetters } from '../names/netstat-notation.js';
import { inetSockets, type Snapshot } from '../sources/snapshot.js';
import { JsonList } from './json-stream.js';
import { skippedLines } from './notes.js';
import { skMemObject, tcpInfoObject } from '../sources/tcp-info.js';
import { inetVisible, stateName, unixStateName, unixTypeName, unixVisible, type NameContext } from '../names/netstat-notation.js';

export const JSON_SCHEMA = 'netdash/1';

function connectionJson(s: InetSocket, names: NameContext): Record<string, unknown> {
  const owner = names.owners?.get(s.inode);
  const user = names.users.get(s.uid);
  return {
    proto: s.proto,
    family: s.family === 4 ? 'inet' : 'inet6',
    local: { address: s.localAddr, port: s.localPort },
    remote: { address: s.remoteAddr, port: s.remotePort },
    state: stateName(s) || null,
    stateCode: s.state,
    recvQ: s.recvQ,
    sendQ: s.sendQ,
    inode: s.inode,
    uid: s.uid,
    ...(user !== undefined ? { user } : {}),
    ...(owner ? { pid: owner.pid, program: owner.program } : {}),
    timer: { ...s.timer },
    ...(s.drops !== undefined ? { drops: s.drops } : {}),
    // --info (sock_diag): the socket cookie, struct tcp_info as the kernel sent it (a field an
    // older kernel does not know is absent, not 0) and the socket memory slots.
    ...(s.cookie !== undefined ? { cookie: s.cookie } : {}),
    ...(s.tcpInfo ? { tcpInfo: tcpInfoObject(s.tcpInfo) } : {}),
    ...(s.mem ? { mem: skMemObject(s.mem) } : {}),
  };
}

function unixJson(s: UnixSocket, names: NameContext): Record<string, unknown> {
  const owner = names.owners?.get(s.inode);
  return {
    proto: 'unix',
    type: unixTypeName(s.type),
    state: unixStateName(s) || null,
    flags: s.flags,
    refCount: s.refCount,
    inode: s.inode,
    path: s.path,
    ...(owner ? { pid: owner.pid, program: owner.program } : {}),
  };
}

function interfaceJson(i: NetInterface, meta: readonly IfMeta[]): Record<string, unknown> {
  const flags = effectiveFlags(i.sys);
  const m = meta.find((x) => x.name === i.name);
  return {
    name: i.name,
    counters: { ...i.counters, ...(i.sys.rxNohandler !== undefined ? { rxNohandler: i.sys.rxNohandler } : {}) },
    mtu: i.sys.mtu ?? null,
    flags: flags ?? null,
    flg: flags === undefined ? null : flagLetters(flags),
    operstate: i.sys.operstate ?? null,
    ifindex: i.sys.ifindex ?? null,
    speedMbps: i.sys.speed ?? null,
    address: i.sys.address ?? null,
    ...(m ? { ip4: m.ip4 || null, ip6: m.ip6 || null, mac: m.mac || null, type: m.type || null, isDefault: Boolean(m.isDefault) } : {}),
  };
}

/** Build the document. With no section or socket flags everything is included. */
export function snapshotJson(
  o: PrintOptions,
  snap: Snapshot,
  names: NameContext,
  host: string,
  extra?: (s: InetSocket) => Record<string, unknown> | null,
): Record<string, unknown> {
  const meta = snap.interfaceMeta ?? [];
  const errors: Record<string, string> = {};
  const doc: Record<string, unknown> = { schema: JSON_SCHEMA, time: new Date(snap.time).toISOString(), host };
  const filter = o.socketArgs || o.all || o.listening ? o : { all: true, listening: false };
  if (Object.keys(snap.inet).length > 0) {
    const { sockets, errors: e } = inetSockets(snap, inetProtos(o));
    e.forEach((msg, n) => {
      errors[`connections.${n}`] = msg;
    });
    // Made as they are written (json-stream.ts): 2M sockets are more JSON than a string holds.
    doc['connections'] = new JsonList(function* () {
      for (const s of sockets) {
        if (!inetVisible(s, filter)) continue;
        const j = connectionJson(s, names);
        const x = extra?.(s);
        yield x ? { ...j, ...x } : j;
      }
    });
    if (
      o.info &&
      (o.tcp || !o.socketArgs) &&
      sockets.some((s) => s.proto.startsWith('tcp') && s.state !== 6 && s.inode !== 0) &&
      !sockets.some((s) => s.tcpInfo)
    ) {
      errors['tcpInfo'] = 'the kernel tables were read from /proc, which has no tcp_info';
    }
  }
  if (snap.unix) {
    const unix = snap.unix;
    if (unix.ok)
      doc['unix'] = new JsonList(function* () {
        for (const s of unix.value) if (unixVisible(s, filter)) yield unixJson(s, names);
      });
    else errors['unix'] = unix.error;
  }
  if (snap.interfaces) {
    if (snap.interfaces.ok) doc['interfaces'] = snap.interfaces.value.map((i) => interfaceJson(i, meta));
    else errors['interfaces'] = snap.interfaces.error;
  }
  if (snap.counters) {
    doc['counters'] = snap.counters.counters;
    snap.counters.errors.forEach((msg, n) => {
      errors[`counters.${n}`] = msg;
    });
  }
  const routes: Record<string, unknown> = {};
  if (snap.routes4) {
    if (snap.routes4.ok) routes['inet'] = snap.routes4.value;
    else errors['routes.inet'] = snap.routes4.error;
  }
  if (snap.routes6) {
    if (snap.routes6.ok) routes['inet6'] = snap.routes6.value;
    else errors['routes.inet6'] = snap.routes6.error;
  }
  if (snap.routes4 || snap.routes6) doc['routes'] = routes;
  if (snap.conntrack) {
    if (snap.conntrack.ok) doc['conntrack'] = snap.conntrack.value;
    else errors['conntrack'] = snap.conntrack.error;
  }
  if (snap.owners?.denied) errors['owners'] = "not root: process owners of other users' sockets are hidden";
  doc['errors'] = errors;
  // Lines each file had that could not be parsed: the section shows the rest.
  doc['skipped'] = skippedLines(snap);
  return doc;
}
