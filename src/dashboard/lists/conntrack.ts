// The NAT / conntrack pane (netstat -M, from nf_conntrack): each tracked flow, its state and
// timeout, and where NAT rewrote it (the reply comes from somewhere else than it went to).
import type { ConntrackEntry } from '../../model.js';
import { naturalCompare } from '../../text/natural-compare.js';
import { colRow, layoutHeader, type Col } from '../columns.js';
import { printable } from '../escape.js';
import { explainColumn } from '../explain/index.js';
import { explained, filtered, pane } from './pane-spec.js';

const ep = (a: string, p: number | null): string => printable(p === null ? a : `${a}:${p}`);

/** The rewrite NAT did, or '' when the reply mirrors the original direction. */
export function natText(e: ConntrackEntry): string {
  const parts: string[] = [];
  if (e.replySrc !== e.dst || e.replySport !== e.dport) parts.push(`DNAT to ${ep(e.replySrc, e.replySport)}`);
  if (e.replyDst !== e.src || e.replyDport !== e.sport) parts.push(`SNAT as ${ep(e.replyDst, e.replyDport)}`);
  return parts.join(', ');
}

function identity(e: ConntrackEntry): string {
  return `ct|${e.l3}|${e.proto}|${e.src}|${e.sport ?? ''}|${e.dst}|${e.dport ?? ''}`;
}

const COLS: Col<ConntrackEntry>[] = [
  { title: 'Proto', width: 5, align: 'left', value: (e) => printable(e.proto) },
  { title: 'State', width: 11, align: 'left', value: (e) => printable(e.state ?? '') },
  { title: 'Expires', width: 7, align: 'right', value: (e) => `${e.timeout}s` },
  { title: 'Source', width: 22, align: 'left', value: (e) => ep(e.src, e.sport) },
  { title: 'Destination', width: 22, align: 'left', value: (e) => ep(e.dst, e.dport) },
  { title: 'NAT', width: 1, align: 'left', value: natText },
];

export const conntrackPane = pane<ConntrackEntry>({
  title: 'NAT / conntrack',
  short: 'nat',
  sortColumns: ['table', 'proto', 'src', 'dst'],
  list(c) {
    const ct = c.sample?.snapshot.conntrack?.ok ? c.sample.snapshot.conntrack.value : [];
    let rows = ct.map((e) => ({ e, key: identity(e) }));
    if (c.needle) rows = rows.filter((r) => `${r.key} ${r.e.state ?? ''} ${natText(r.e)}`.toLowerCase().includes(c.needle));
    const v = (e: ConntrackEntry): string =>
      c.sortCol === 'proto' ? e.proto : c.sortCol === 'src' ? e.src : c.sortCol === 'dst' ? e.dst : '';
    rows.sort((a, b) => (naturalCompare(v(a.e), v(b.e)) || naturalCompare(a.key, b.key)) * c.dir);
    // A repeated tuple (different zones or marks) gets a counter to stay unique.
    const seen = new Map<string, number>();
    const keys = rows.map((r) => {
      const n = seen.get(r.key) ?? 0;
      seen.set(r.key, n + 1);
      return n === 0 ? r.key : `${r.key}|${n}`;
    });
    return { keys, items: rows.map((r) => r.e) };
  },

  format(_c, width) {
    return { header: layoutHeader(COLS, width), row: (e) => colRow(COLS, e, width) };
  },

  empty(c) {
    const snap = c.sample?.snapshot;
    if (snap?.conntrack && !snap.conntrack.ok) return snap.conntrack.error;
    return snap?.conntrack ? `no conntrack entries${filtered(c)}` : 'conntrack not sampled (start with -M)';
  },

  detail(_c, e, _key, width) {
    const out = [
      `Protocol      ${e.l3} ${e.proto}${e.state ? `  state ${e.state}` : ''}  expires in ${e.timeout}s`,
      `Original      ${ep(e.src, e.sport)} -> ${ep(e.dst, e.dport)}`,
      `Reply         ${ep(e.replySrc, e.replySport)} -> ${ep(e.replyDst, e.replyDport)}`,
      `NAT           ${natText(e) || 'none (the reply mirrors the original)'}`,
    ];
    if (e.flags.length > 0) out.push(`Flags         ${e.flags.join(' ')}`);
    out.push(...explained(explainColumn('conntrack', 'NAT'), width));
    return out;
  },
});
