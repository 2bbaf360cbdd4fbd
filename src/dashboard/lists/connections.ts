// The connections pane: inet sockets filtered by protocol, family, scope and '/', sorted by
// the chosen column with ties broken by identity so rows never jump between ticks.
import type { InetSocket } from '../../model.js';
import { serviceName } from '../../names/services.js';
import { endpoint, inetVisible, ownerLabel, stateName, unmapV4, type NameContext } from '../../names/netstat-notation.js';
import { naturalCompare } from '../../text/natural-compare.js';
import { colRow, fitEndpoint, layoutHeader, plainRow, type Col } from '../columns.js';
import { printable } from '../escape.js';
import { explainAddress, explainColumn, explainState } from '../explain/index.js';
import { compact } from '../format.js';
import type { ConnRow } from '../frame.js';
import type { ProtoToggle } from '../ui-state.js';
import { fullOrder, orderFollowsRowValues, orderFollowsState, patchOrder, TRAFFIC_SORT, type OrderSpec } from './connection-order.js';
import { explained, filtered, pane, type PaneContext, type PrevList } from './pane-spec.js';
import { tcpInfoDetail, trafficCols } from './traffic.js';

const USER_HZ = 100;
const TIMER_NAMES = ['off', 'on', 'keepalive', 'timewait', 'probe'];

export function timerShort(s: InetSocket): string {
  const t = s.timer;
  const name = TIMER_NAMES[t.kind] ?? `unkn-${t.kind}`;
  return t.kind === 0 ? name : `${name} ${(t.expires / USER_HZ).toFixed(2)}`;
}

export function protoGroup(p: InetSocket['proto']): ProtoToggle {
  return p.startsWith('tcp') ? 'tcp' : p.startsWith('raw') ? 'raw' : 'udp';
}

export function serviceProto(p: InetSocket['proto']): string {
  return p.startsWith('tcp') ? 'tcp' : p.startsWith('raw') ? 'raw' : 'udp';
}

const TCP_LISTEN = 10;

/** A LISTEN socket's accept-queue limit (listen()'s backlog), as ss shows it in Send-Q. Only
 *  sock_diag reports it; /proc (and so netstat, and --print) give 0 there. */
export function listenBacklog(s: InetSocket): number | undefined {
  return s.state === TCP_LISTEN && s.proto.startsWith('tcp') ? s.backlog : undefined;
}

/** The kernel's sk_acceptq_is_full: more connections wait for accept() than the backlog allows,
 *  so the next completed handshake is dropped (TcpExt.ListenOverflows, ListenDrops). */
export function acceptQueueFull(s: InetSocket): boolean {
  const backlog = listenBacklog(s);
  return backlog !== undefined && s.recvQ > backlog;
}

export function cmp(a: number | string, b: number | string): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return naturalCompare(String(a), String(b));
}

export function endpointText(c: PaneContext, addr: string, port: number, proto: InetSocket['proto'], names: NameContext = c.names): string {
  return printable(endpoint(addr, port, serviceProto(proto), names, c.conn));
}

/** Lowercase text a '/' filter is matched against; built only while a filter is set. */
function haystack(s: InetSocket, names: NameContext): string {
  const sp = serviceProto(s.proto);
  const svc = (p: number): string => serviceName(names.services, p, sp, false);
  const host = (a: string): string => names.hostName(unmapV4(a)) ?? '';
  return [
    s.proto,
    `${unmapV4(s.localAddr)}:${s.localPort}`,
    `${unmapV4(s.remoteAddr)}:${s.remotePort}`,
    `${host(s.localAddr)}:${svc(s.localPort)}`,
    `${host(s.remoteAddr)}:${svc(s.remotePort)}`,
    stateName(s),
    ownerLabel(names.owners, s.inode),
    String(s.inode),
  ]
    .join(' ')
    .toLowerCase();
}

function shown(c: PaneContext, s: InetSocket): boolean {
  const ui = c.ui;
  if (!ui.proto[protoGroup(s.proto)]) return false;
  if (s.family === 4 ? !ui.family.v4 : !ui.family.v6) return false;
  if (!inetVisible(s, c.conn)) return false;
  return c.needle === '' || haystack(s, c.names).includes(c.needle);
}

function orderSpec(c: PaneContext): OrderSpec {
  // The traffic columns sort highest first (S reverses).
  const dir = TRAFFIC_SORT.has(c.sortCol) ? (-c.dir as 1 | -1) : c.dir;
  return { col: c.sortCol, dir, owners: c.names.owners, flows: c.sample?.flows ?? null };
}

/** The list from scratch: every row of the frame through the filters, then sorted. */
function fullList(c: PaneContext): string[] {
  const keys: string[] = [];
  const socks: InetSocket[] = [];
  const take = (s: InetSocket, k: string): void => {
    if (shown(c, s)) {
      keys.push(k);
      socks.push(s);
    }
  };
  c.frame.conns.live.forEach(take);
  c.frame.conns.lingering.forEach(take);
  return fullOrder(orderSpec(c), keys, socks);
}

/** Putting in more than this share of the rows: sorting afresh is cheaper. */
const PATCH_LIMIT = 0.25;

/** The previous frame's list brought up to this frame, or null when it can't be. */
function patchedList(c: PaneContext, prev: PrevList | undefined): readonly string[] | null {
  const d = c.frame.connDelta;
  if (!prev || !d || d.fromId !== prev.frame.id) return null;
  // Owners and the filter text: a new owner scan can move rows sorted or filtered by them.
  const ownersMatter = c.sortCol === 'program' || c.needle !== '';
  if (ownersMatter && prev.frame.sample?.snapshot.owners?.owners !== c.frame.sample?.snapshot.owners?.owners) return null;
  // A state change is a new row object too. The '/' filter reads state, inode and owner.
  const withUpdated = orderFollowsRowValues(c.sortCol) || c.needle !== '';
  const withChanged = withUpdated || orderFollowsState(c.sortCol);
  const touched = new Set<string>([...d.opened, ...d.expired]);
  if (withChanged) for (const k of d.changed) touched.add(k);
  if (withUpdated) for (const k of d.updated) touched.add(k);
  const conns = c.frame.conns;
  const add: { key: string; sock: InetSocket }[] = [];
  for (const key of touched) {
    const sock = conns.sock(key);
    if (sock !== undefined && shown(c, sock)) add.push({ key, sock });
  }
  // Rows that only leave (closed rows done lingering) cost one pass over the list however
  // many they are; rows put in cost a search each.
  if (add.length > Math.max(64, prev.keys.length * PATCH_LIMIT)) return null;
  return patchOrder(orderSpec(c), prev.keys, touched, add, (k) => conns.sock(k));
}

function columns(c: PaneContext, width: number): Col<ConnRow>[] {
  const s = c.ui;
  const names = c.names;
  const mark = (r: ConnRow): string => (r.status === 'new' ? '+' : r.status === 'closed' ? '-' : r.status === 'changed' ? '~' : ' ');
  const head: Col<ConnRow>[] = [
    { title: ' Proto', width: 6, align: 'left', value: (r) => `${mark(r)}${r.sock.proto}` },
    { title: 'Recv-Q', width: 6, align: 'right', value: (r) => compact(r.sock.recvQ), hot: (r) => acceptQueueFull(r.sock) },
    // On a listener, the backlog as ss shows it (netstat and --print keep the kernel's 0).
    { title: 'Send-Q', width: 6, align: 'right', value: (r) => compact(listenBacklog(r.sock) ?? r.sock.sendQ) },
  ];
  const tail: Col<ConnRow>[] = [
    {
      title: 'State',
      width: 11,
      align: 'left',
      value: (r) => (r.status === 'closed' ? 'closed' : stateName(r.sock)),
      hot: (r) => r.status === 'changed',
    },
  ];
  if (s.extended) {
    tail.push({
      title: 'User',
      width: 8,
      align: 'left',
      value: (r) => printable(s.numeric ? String(r.sock.uid) : (names.users.get(r.sock.uid) ?? String(r.sock.uid))),
    });
    tail.push({ title: 'Inode', width: 8, align: 'right', value: (r) => String(r.sock.inode) });
  }
  if (s.programs)
    tail.push({ title: 'PID/Program name', width: 19, align: 'left', value: (r) => printable(ownerLabel(names.owners, r.sock.inode)) });
  if (s.timers) {
    tail.push({ title: 'Timer', width: 15, align: 'left', value: (r) => timerShort(r.sock) });
    tail.push({
      title: 'Rtx',
      width: 3,
      align: 'right',
      value: (r) => String(r.sock.timer.retransmits),
      hot: (r) => r.sock.timer.retransmits > 0,
    });
  }
  if (s.traffic) tail.push(...trafficCols(c));
  const fixed = [...head, ...tail].reduce((a, col) => a + col.width + 1, 0) + 1;
  const each = Math.max(12, Math.min(45, Math.floor((width - fixed) / 2)));
  const mid: Col<ConnRow>[] = [
    {
      title: 'Local Address',
      width: each,
      align: 'left',
      value: (r) => fitEndpoint(endpointText(c, r.sock.localAddr, r.sock.localPort, r.sock.proto), each),
    },
    {
      title: 'Foreign Address',
      width: each,
      align: 'left',
      value: (r) => fitEndpoint(endpointText(c, r.sock.remoteAddr, r.sock.remotePort, r.sock.proto), each),
    },
  ];
  return [...head, ...mid, ...tail];
}

export const connectionsPane = pane<string>({
  title: 'Connections',
  short: 'conns',
  sortColumns: [
    'proto',
    'local',
    'remote',
    'state',
    'recv-q',
    'send-q',
    'program',
    'user',
    'inode',
    'rx/s',
    'tx/s',
    'retr/s',
    'retr',
    'rtt',
    'cwnd',
  ],
  // The table (the engine's same map while the dump did not change), the closed rows and
  // flags (the frames' same maps while none came or went), the owners and the tcp_info flows
  // make the list; with the stats (the state counts above it), its lines.
  listInput: (f) => [f.conns.live, f.conns.lingering, f.conns.flags, f.sample?.snapshot.owners?.owners, f.sample?.flows],
  textInputs: (f) => [f.conns.live, f.conns.lingering, f.conns.flags, f.sample?.snapshot.owners?.owners, f.sample?.flows, f.sample?.stats],
  list(c, prev) {
    const patched = patchedList(c, prev);
    const keys = patched ?? fullList(c);
    return { keys, items: keys, patched: patched !== null };
  },

  format(c, width) {
    const cols = columns(c, width);
    return {
      header: layoutHeader(cols, width),
      row: (key) => {
        const r = c.frame.conns.row(key);
        return r ? colRow(cols, r, width, r.status, r.status === 'closed') : plainRow('', width);
      },
    };
  },

  empty(c) {
    const s = c.ui;
    if (!s.proto.tcp && !s.proto.udp && !s.proto.raw) return 'no protocol selected (t u w)';
    if (!s.family.v4 && !s.family.v6) return 'no address family selected (f)';
    return (
      `no ${s.scope === 'listening' ? 'listening ' : s.scope === 'connected' ? 'connected ' : ''}sockets${filtered(c)}` +
      (s.scope === 'connected' ? ' (l: listening, a: all)' : '')
    );
  },

  detail(c, _item, key, width) {
    const r = c.frame.conns.row(key);
    if (!r) return ['gone'];
    const k = r.sock;
    const names = c.names;
    const sp = serviceProto(k.proto);
    const state = stateName(k);
    const out = [
      `Protocol      ${k.proto} (IPv${k.family})`,
      `Local         ${unmapV4(k.localAddr)} port ${k.localPort} (${serviceName(names.services, k.localPort, sp, false)})`,
      `Foreign       ${unmapV4(k.remoteAddr)} port ${k.remotePort} (${serviceName(names.services, k.remotePort, sp, false)})`,
    ];
    const rh = names.hostName(unmapV4(k.remoteAddr));
    if (rh) out.push(`Foreign host  ${rh}`);
    out.push(
      `State         ${state || '-'}${r.status ? `  [${r.status}${r.fromState !== null ? ` from ${stateName({ ...k, state: r.fromState })}` : ''}]` : ''}`,
    );
    const backlog = listenBacklog(k);
    if (backlog === undefined) out.push(`Recv-Q        ${k.recvQ}`, `Send-Q        ${k.sendQ}`);
    else {
      out.push(`Recv-Q        ${k.recvQ} waiting for accept()`, `Send-Q        ${backlog} (the backlog; netstat shows 0 here)`);
      if (acceptQueueFull(k)) {
        const stat = (name: string): string => {
          const st = c.sample?.stats.get(`TcpExt.${name}`);
          return st ? `${name} ${st.total}${st.delta !== null ? ` (+${st.delta})` : ''}` : `${name} -`;
        };
        out.push(
          'Accept queue  FULL: handshakes that complete now are dropped',
          `Drops         ${stat('ListenOverflows')}, ${stat('ListenDrops')}`,
        );
      }
    }
    out.push(`User          ${names.users.get(k.uid) ?? '?'} (uid ${k.uid})`, `Inode         ${k.inode}`);
    out.push(`Program       ${ownerLabel(names.owners, k.inode)}`);
    out.push(`Timer         ${timerShort(k)}  retransmits ${k.timer.retransmits}  probes ${k.timer.timeout}`);
    if (k.drops !== undefined) out.push(`Drops         ${k.drops}`);
    out.push(`Identity      ${key}`);
    if (k.cookie !== undefined) out.push(`Cookie        ${k.cookie}`);
    if (k.proto.startsWith('tcp')) out.push(...tcpInfoDetail(c, key, k, width));
    if (k.proto.startsWith('tcp') && state) out.push(...explained(explainState(state), width));
    // Two addresses of the same kind (both private, say) need saying once.
    const said = new Set<string>();
    for (const addr of new Set([unmapV4(k.localAddr), unmapV4(k.remoteAddr)])) {
      const e = explainAddress(addr);
      if (e && !said.has(e.meaning)) out.push(...explained(e, width));
      if (e) said.add(e.meaning);
    }
    if (k.remotePort === 0) out.push(...explained(explainAddress('*'), width));
    out.push(...explained(explainColumn('connections', 'Recv-Q'), width), ...explained(explainColumn('connections', 'Send-Q'), width));
    if (k.timer.retransmits > 0 || c.ui.timers) out.push(...explained(explainColumn('connections', 'Timer'), width));
    return out;
  },
});
