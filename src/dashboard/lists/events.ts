// The events pane: connections opened, closed and changing state, routes added and removed,
// link changes (added, removed, up, down, MTU, speed, addresses) and reboots, newest first.
// Each group keeps its own bounded history (frame.ts EVENT_BOUNDS).
import { ownerLabel, stateName } from '../../names/netstat-notation.js';
import { plainRow } from '../columns.js';
import { printable } from '../escape.js';
import { clockTime } from '../format.js';
import type { DashEvent, RowStatus } from '../frame.js';
import { endpointText } from './connections.js';
import { filtered, pane, type PaneContext } from './pane-spec.js';

export function eventText(c: PaneContext, e: DashEvent): string {
  const t = clockTime(e.time);
  if (!e.sock)
    return printable(
      `${t} ${e.kind === 'route+' ? 'route added  ' : e.kind === 'route-' ? 'route removed' : e.kind === 'link' ? 'link         ' : e.kind} ${e.text ?? ''}`,
    );
  const k = e.sock;
  const what = `${k.proto} ${endpointText(c, k.localAddr, k.localPort, k.proto)} ${endpointText(c, k.remoteAddr, k.remotePort, k.proto)}`;
  const prog = c.ui.programs ? ` ${printable(ownerLabel(c.names.owners, k.inode))}` : '';
  if (e.kind === 'open') return `${t} opened  ${what} ${stateName(k)}${prog}`;
  if (e.kind === 'close') return `${t} closed  ${what}${prog}`;
  const from = e.from === undefined ? '?' : stateName({ ...k, state: e.from });
  return `${t} state   ${what} ${from} → ${stateName(k)}${prog}`;
}

function status(e: DashEvent): RowStatus {
  if (e.kind === 'link')
    return e.link === 'added' || e.link === 'up' ? 'new' : e.link === 'down' || e.link === 'removed' ? 'closed' : 'changed';
  return e.kind === 'open' || e.kind === 'route+' ? 'new' : e.kind === 'state' ? 'changed' : 'closed';
}

export const eventsPane = pane<DashEvent>({
  title: 'Events',
  short: 'events',
  sortColumns: ['time'],
  list(c) {
    let evs = [...c.frame.events];
    if (c.needle) evs = evs.filter((e) => eventText(c, e).toLowerCase().includes(c.needle));
    if (c.dir < 0) evs.reverse();
    // Events are immutable and only ever prepended: time, kind and text identify one.
    const seen = new Map<string, number>();
    const keys = evs.map((e) => {
      const base = `${e.time}|${e.kind}|${e.text ?? ''}|${e.sock ? `${e.sock.inode}|${e.sock.localPort}|${e.sock.remotePort}` : ''}`;
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      return `${base}|${n}`;
    });
    return { keys, items: evs };
  },

  format(c, width) {
    return { header: '', row: (e) => plainRow(eventText(c, e), width, status(e)) };
  },

  empty(c) {
    return `no events yet${filtered(c)}`;
  },

  detail(c, e) {
    return [eventText(c, e)];
  },
});
