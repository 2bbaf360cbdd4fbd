// The status line on top and the key footer at the bottom.
import { printable, tagSafe } from '../escape.js';
import { seconds } from '../format.js';
import type { Store } from '../store.js';

export function statusLine(store: Store, width: number): string {
  if (width <= 0) return '';
  const st = store.status();
  // Most important first: what is cut at narrow widths is the tail.
  const segs: { text: string; styles: string[] }[] = [{ text: 'netdash', styles: ['bold'] }];
  if (st.paused) segs.push({ text: 'PAUSED', styles: ['bold', 'yellow-fg'] });
  if (st.ended) segs.push({ text: 'replay ended', styles: ['yellow-fg'] });
  if (st.host) segs.push({ text: st.host, styles: [] });
  segs.push({ text: `every ${seconds(st.intervalMs)}`, styles: [] });
  if (st.since) segs.push({ text: st.since, styles: [] });
  if (st.time) segs.push({ text: st.time, styles: [] });
  for (const x of st.stale) segs.push({ text: x, styles: ['yellow-fg'] });
  if (st.notice) segs.push({ text: st.notice, styles: ['cyan-fg'] });
  for (const w of st.warnings) segs.push({ text: `! ${w}`, styles: ['red-fg'] });
  if (st.kernel) segs.push({ text: st.kernel, styles: [] });
  let used = 0;
  let out = '';
  for (const seg of segs) {
    const sep = used === 0 ? ' ' : '  ';
    if (used >= width) break;
    const text = (sep + seg.text).slice(0, width - used);
    used += text.length;
    const open = seg.styles.map((x) => `{${x}}`).join('');
    const close = [...seg.styles]
      .reverse()
      .map((x) => `{/${x}}`)
      .join('');
    out += open + tagSafe(text) + close;
  }
  return `{inverse}${out}${' '.repeat(Math.max(0, width - used))}{/inverse}`;
}

export function footerLine(store: Store, width: number): string {
  if (width <= 0) return '';
  const s = store.state;
  if (s.editingFilter) {
    const t = ` filter: ${printable(s.filter)}_   (Enter keep, Esc clear)`;
    return `{inverse}${tagSafe(t.slice(0, width).padEnd(width))}{/inverse}`;
  }
  const common = [...(s.zoom ? ['z/Esc unzoom'] : []), 'q quit', '? help', '0-9 v pane', 'Enter detail', 'Space pause', '/ filter'];
  const own: Record<string, string[]> = {
    connections: [
      'l listen',
      'a all',
      't u w proto',
      'x unix',
      'f family',
      'p prog',
      'o timers',
      's sort',
      'n numeric',
      'i traffic',
      'r retransmitting',
    ],
    interfaces: ['g chart', 'd rate/delta/total/since', 's sort', 'z zoom'],
    counters: ['g chart', s.allCounters ? '! problems only' : '! all counters', 'e every one', 'm mark', 's sort'],
    icmp: ['d rate/delta/total/since', 'e every type', 'f family', 's sort'],
    routes: ['f family', 'S reverse'],
    conntrack: ['s sort', 'S reverse'],
    unix: ['x back', 'l listen', 'a all', 'p prog', 's sort'],
    events: ['S oldest first'],
    processes: ['s sort: traffic, retr/s, retr, conns, rtt, name', 'S reverse', 'Enter members', 'g chart'],
    peers: ['s sort: traffic, retr/s, retr, conns, rtt, name', 'S reverse', 'Enter members', 'g chart', 'n numeric'],
    graphs: ['g unpin', 'G unpin all', 'j k chart'],
  };
  const keys = ' ' + [...common, ...(own[s.focus] ?? []), 'm mark', '+/- interval'].filter((k, i, a) => a.indexOf(k) === i).join('  ');
  return tagSafe(keys.slice(0, width));
}
