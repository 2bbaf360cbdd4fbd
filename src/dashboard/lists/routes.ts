// The routes pane: IPv4 and IPv6 routes with netstat's flag letters. Added routes are
// flagged new; removed ones linger a few seconds, marked closed.
import { flags4, flags6 } from '../../names/netstat-notation.js';
import { colRow, layoutHeader, type Col } from '../columns.js';
import { printable } from '../escape.js';
import { explainColumn } from '../explain/index.js';
import { compact } from '../format.js';
import type { RouteRow } from '../frame.js';
import { explained, filtered, pane } from './pane-spec.js';

interface RouteText {
  dest: string;
  gateway: string;
  mask: string;
  flags: string;
  metric: string;
  ref: string;
  use: string;
  iface: string;
}

function text(r: RouteRow): RouteText {
  const e = r.route;
  if (e.v4) {
    const v = e.v4;
    return {
      dest: v.destination,
      gateway: v.gateway,
      mask: v.mask,
      flags: flags4(v.flags),
      metric: String(v.metric),
      ref: String(v.refCnt),
      use: String(v.use),
      iface: v.iface,
    };
  }
  const v = e.v6;
  return {
    dest: `${v.destination}/${v.destPrefix}`,
    gateway: v.nextHop,
    mask: '',
    flags: flags6(v.flags),
    metric: String(v.metric),
    ref: String(v.refCnt),
    use: String(v.use),
    iface: v.iface,
  };
}

const COLS: Col<RouteText>[] = [
  { title: 'Destination', width: 24, align: 'left', value: (t) => printable(t.dest) },
  { title: 'Gateway', width: 24, align: 'left', value: (t) => printable(t.gateway) },
  { title: 'Genmask', width: 15, align: 'left', value: (t) => printable(t.mask) },
  { title: 'Flags', width: 5, align: 'left', value: (t) => t.flags },
  { title: 'Metric', width: 6, align: 'right', value: (t) => compact(Number(t.metric)) },
  { title: 'Ref', width: 3, align: 'right', value: (t) => t.ref },
  { title: 'Use', width: 6, align: 'right', value: (t) => compact(Number(t.use)) },
  { title: 'Iface', width: 10, align: 'left', value: (t) => printable(t.iface) },
];

export const routesPane = pane<RouteRow>({
  title: 'Routes',
  short: 'routes',
  sortColumns: ['table'],
  // The frame hands on the same routes array while every route and its flag is as it was.
  listInput: (f) => [f.routes],
  textInputs: (f) => {
    const s = f.sample?.snapshot;
    // Whether the tables were read (or why not) words the empty pane.
    const read = (r: { ok: true } | { ok: false; error: string } | undefined): string => (r === undefined ? '-' : r.ok ? 'ok' : r.error);
    return [f.routes, read(s?.routes4), read(s?.routes6)];
  },
  list(c) {
    let rows = c.frame.routes.filter((r) => (r.route.v4 ? c.ui.family.v4 : c.ui.family.v6));
    if (c.needle) rows = rows.filter((r) => Object.values(text(r)).join(' ').toLowerCase().includes(c.needle));
    // Kernel order (the routing table's own), which is stable; s S only reverses it.
    if (c.dir < 0) rows = [...rows].reverse();
    return { keys: rows.map((r) => r.route.key), items: rows };
  },

  format(_c, width) {
    return {
      header: layoutHeader(COLS, width),
      row: (r) => colRow(COLS, text(r), width, r.status, r.status === 'closed'),
    };
  },

  empty(c) {
    const snap = c.sample?.snapshot;
    if (snap?.routes4 && !snap.routes4.ok) return snap.routes4.error;
    return snap?.routes4 || snap?.routes6 ? `no routes${filtered(c)}` : 'routes not sampled';
  },

  detail(_c, r, key, width) {
    const t = text(r);
    const out = [
      `Destination   ${t.dest}${t.mask ? ` mask ${t.mask}` : ''}`,
      `Gateway       ${t.gateway}`,
      `Flags         ${t.flags}`,
      `Metric        ${t.metric}`,
      `Ref / Use     ${t.ref} / ${t.use}`,
      `Interface     ${t.iface}`,
    ];
    if (r.route.v4) out.push(`MSS / Window  ${r.route.v4.mtu} / ${r.route.v4.window}`, `irtt          ${r.route.v4.irtt}`);
    if (r.status) out.push(`Status        ${r.status === 'closed' ? 'removed' : 'added'} recently`);
    out.push(`Identity      ${key}`);
    for (const col of ['Destination', 'Gateway', 'Genmask', 'Flags', 'Metric']) out.push(...explained(explainColumn('routes', col), width));
    return out;
  },
});
