// What the Processes and Peers panes share: a FlowAggregate (flow-aggregates.ts) as a row, its
// sort orders, and its detail with the member connections. Rates are per second over the time
// between the two socket tables; UDP and raw sockets have no byte counters ('n/a', not 0).
import type { FlowAggregate } from '../../sampler/flow-aggregates.js';
import { retransPct } from '../../sampler/flow-aggregates.js';
import { perSecond, RETRANS, RX, TX } from '../../sampler/tcp-flows.js';
import { stateName, unmapV4 } from '../../names/netstat-notation.js';
import { naturalCompare } from '../../text/natural-compare.js';
import { colRow, layoutHeader, type Col } from '../columns.js';
import { printable } from '../escape.js';
import { bytes, compact } from '../format.js';
import { filtered, type Formatter, type PaneContext } from './pane-spec.js';
import { NO_TCP_INFO, rttText } from './traffic.js';

export const GROUP_SORT = ['traffic', 'retr/s', 'retr', 'conns', 'rtt', 'name'] as const;

function rate(c: PaneContext, v: number | null): number | null {
  return perSecond(v, c.sample?.aggregates?.elapsedMs ?? null);
}

/** No byte counters: only UDP/raw members. */
function noBytes(g: FlowAggregate): boolean {
  return g.withInfo === 0 && g.udp + g.raw > 0 && g.tcp === 0;
}

function sortValue(col: string, g: FlowAggregate): number {
  switch (col) {
    case 'traffic':
      return g.rx === null && g.tx === null ? -1 : (g.rx ?? 0) + (g.tx ?? 0);
    case 'retr/s':
      return g.retrans ?? -1;
    case 'retr':
      return g.retransSinceMark ?? -1;
    case 'conns':
      return g.members.length;
    case 'rtt':
      return g.worstRtt ?? -1;
    default:
      return 0;
  }
}

/** The pane's rows: filtered by '/', sorted (numbers highest first; name A→Z), ties by name. */
export function groupList(
  c: PaneContext,
  groups: readonly FlowAggregate[] | undefined,
  name: (g: FlowAggregate) => string,
): { keys: string[]; items: FlowAggregate[] } {
  let rows = [...(groups ?? [])];
  if (c.needle) rows = rows.filter((g) => name(g).toLowerCase().includes(c.needle));
  const col = c.sortCol;
  rows.sort((a, b) => {
    const byName = naturalCompare(name(a), name(b)) || naturalCompare(a.key, b.key);
    if (col === 'name') return byName * c.dir;
    return (sortValue(col, b) - sortValue(col, a) || byName) * c.dir;
  });
  return { keys: rows.map((g) => g.key), items: rows };
}

export function groupFormat(c: PaneContext, width: number, first: Col<FlowAggregate>): Formatter<FlowAggregate> {
  const hot = (g: FlowAggregate): boolean => (g.retrans ?? 0) > 0;
  const traffic = (v: number | null, g: FlowAggregate): string => (noBytes(g) ? 'n/a' : bytes(rate(c, v)));
  const cols: Col<FlowAggregate>[] = [
    first,
    { title: 'Conns', width: 5, align: 'right', value: (g) => compact(g.members.length) },
    { title: 'TCP', width: 5, align: 'right', value: (g) => compact(g.tcp) },
    { title: 'UDP/raw', width: 7, align: 'right', value: (g) => compact(g.udp + g.raw) },
    { title: 'Rx/s', width: 6, align: 'right', value: (g) => traffic(g.rx, g) },
    { title: 'Tx/s', width: 6, align: 'right', value: (g) => traffic(g.tx, g) },
    { title: 'Retr/s', width: 6, align: 'right', value: (g) => (noBytes(g) ? 'n/a' : compact(rate(c, g.retrans), { rate: true })), hot },
    {
      title: 'Retr%',
      width: 6,
      align: 'right',
      value: (g) => {
        const p = retransPct(g);
        return p === null ? '-' : p.toFixed(1);
      },
      hot,
    },
    { title: 'Retr', width: 5, align: 'right', value: (g) => compact(g.retransSinceMark), hot },
    { title: 'RTTmax', width: 6, align: 'right', value: (g) => rttText(g.worstRtt) },
    { title: 'Recv-Q', width: 6, align: 'right', value: (g) => compact(g.recvQ) },
    { title: 'Send-Q', width: 6, align: 'right', value: (g) => compact(g.sendQ) },
  ];
  // The name column takes what the fixed ones leave.
  const fixed = cols.slice(1).reduce((a, col) => a + col.width + 1, 0) + 1;
  first.width = Math.max(12, Math.min(40, width - fixed));
  return { header: layoutHeader(cols, width), row: (g) => colRow(cols, g, width, null, false) };
}

export function groupEmpty(c: PaneContext, what: string): string {
  const a = c.sample?.aggregates;
  if (!a) return 'no per-connection traffic in this sample: tcp_info is read from the next tick on (a replay has what was recorded)';
  return `no ${what}${filtered(c)}`;
}

/** The group in detail: totals, then each member connection with its own traffic. */
export function groupDetail(c: PaneContext, g: FlowAggregate, title: string): string[] {
  const a = c.sample?.aggregates;
  const since = c.sample?.mark.reason === 'mark' ? 'mark' : 'start';
  const out = [
    title,
    `Sockets        ${g.members.length}: ${g.tcp} TCP, ${g.udp} UDP, ${g.raw} raw`,
    `Queues         Recv-Q ${g.recvQ} B, Send-Q ${g.sendQ} B`,
  ];
  if (noBytes(g))
    out.push('Traffic        no byte counters: the kernel counts bytes per socket for TCP only (UDP and raw show counts and queues)');
  else if (g.withInfo === 0) out.push(`Traffic        -  (${c.sample?.flows ? 'no TCP member with tcp_info' : NO_TCP_INFO})`);
  else {
    out.push(`Received       ${bytes(rate(c, g.rx))}B/s, ${g.rxSinceMark ?? '-'} B since ${since}`);
    out.push(`Sent           ${bytes(rate(c, g.tx))}B/s, ${g.txSinceMark ?? '-'} B since ${since}`);
    const p = retransPct(g);
    out.push(
      `Retransmitted  ${compact(rate(c, g.retrans), { rate: true })} segments/s (${p === null ? '-' : p.toFixed(2)}% of segments sent), ${g.retransSinceMark ?? '-'} since ${since}`,
    );
    out.push(`Worst RTT      ${rttText(g.worstRtt)} ms`);
  }
  out.push('', 'Member connections (Rx/s Tx/s Retr/s, retransmits since ' + since + '):');
  const flows = c.sample?.flows;
  for (const key of g.members) {
    const s = c.sample?.connections.get(key);
    if (!s) continue;
    const f = flows?.byKey.get(key);
    const r = (i: number): number | null => (f ? perSecond(f.delta[i] ?? null, flows?.elapsedMs ?? null) : null);
    const t = f
      ? `${bytes(r(RX))} ${bytes(r(TX))} ${compact(r(RETRANS), { rate: true })} (${f.sinceMark[RETRANS] ?? '-'})`
      : s.proto.startsWith('tcp')
        ? '-'
        : 'no byte counters';
    out.push(
      printable(
        `  ${s.proto.padEnd(5)} ${unmapV4(s.localAddr)}:${s.localPort} -> ${unmapV4(s.remoteAddr)}:${s.remotePort} ${stateName(s) || '-'}  ${t}`,
      ),
    );
  }
  if (a && a.unowned > 0 && g.pid !== undefined)
    out.push('', `${a.unowned} sockets have no known owner (TIME_WAIT, other users without root, or not scanned yet).`);
  return out;
}
