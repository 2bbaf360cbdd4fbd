// The UNIX sockets pane (netstat -x): type, state, inode, owner and path.
import type { UnixSocket } from '../../model.js';
import { ownerLabel, unixStateName, unixTypeName, unixVisible } from '../../names/netstat-notation.js';
import { SO_ACCEPTCON } from '../../names/netstat-notation.js';
import { colRow, layoutHeader, type Col } from '../columns.js';
import { printable } from '../escape.js';
import { explainColumn, explainState } from '../explain/index.js';
import { cmp } from './connections.js';
import { explained, filtered, pane } from './pane-spec.js';

export const unixPane = pane<UnixSocket>({
  title: 'UNIX sockets',
  short: 'unix',
  sortColumns: ['inode', 'path', 'state', 'type'],
  list(c) {
    const socks = c.sample?.snapshot.unix?.ok ? c.sample.snapshot.unix.value : [];
    if (!c.ui.proto.unix) return { keys: [], items: [] };
    let list = socks.filter((u) => unixVisible(u, c.conn));
    if (c.needle)
      list = list.filter((u) =>
        `${u.path ?? ''} ${u.inode} ${unixStateName(u)} ${unixTypeName(u.type)} ${ownerLabel(c.names.owners, u.inode)}`
          .toLowerCase()
          .includes(c.needle),
      );
    const v = (u: UnixSocket): number | string =>
      c.sortCol === 'path' ? (u.path ?? '') : c.sortCol === 'state' ? unixStateName(u) : c.sortCol === 'type' ? u.type : u.inode;
    list.sort((a, b) => (cmp(v(a), v(b)) || a.inode - b.inode) * c.dir);
    // Inode 0 (and rare duplicates) would collide: number repeats so keys stay unique.
    const keys: string[] = [];
    const seen = new Map<string, number>();
    for (const u of list) {
      const base = `unix|${u.inode}`;
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      keys.push(n === 0 ? base : `${base}|${n}`);
    }
    return { keys, items: list };
  },

  format(c, width) {
    const cols: Col<UnixSocket>[] = [
      { title: 'Type', width: 9, align: 'left', value: (u) => unixTypeName(u.type) },
      { title: 'State', width: 13, align: 'left', value: (u) => unixStateName(u) },
      { title: 'I-Node', width: 8, align: 'right', value: (u) => String(u.inode) },
    ];
    if (c.ui.programs)
      cols.push({ title: 'PID/Program name', width: 19, align: 'left', value: (u) => printable(ownerLabel(c.names.owners, u.inode)) });
    cols.push({ title: 'Path', width: 1, align: 'left', value: (u) => printable(u.path ?? '') });
    return { header: layoutHeader(cols, width), row: (u) => colRow(cols, u, width) };
  },

  empty(c) {
    const snap = c.sample?.snapshot;
    if (!c.ui.proto.unix) return 'UNIX sockets hidden (x to show)';
    if (snap?.unix && !snap.unix.ok) return snap.unix.error;
    return snap?.unix ? `no UNIX sockets${filtered(c)}` : 'UNIX sockets not sampled';
  },

  detail(c, u, _key, width) {
    const state = unixStateName(u);
    const out = [
      `Path          ${u.path ?? '(unbound)'}`,
      `Type          ${unixTypeName(u.type)}`,
      `State         ${state || '-'}`,
      `Inode         ${u.inode}`,
      `RefCnt        ${u.refCount}`,
      `Flags         0x${u.flags.toString(16)}${u.flags & SO_ACCEPTCON ? ' (ACC)' : ''}`,
      `Program       ${ownerLabel(c.names.owners, u.inode)}`,
    ];
    if (state) out.push(...explained(explainState(state), width));
    for (const col of ['Type', 'Flags', 'Path']) out.push(...explained(explainColumn('unix', col), width));
    return out;
  },
});
