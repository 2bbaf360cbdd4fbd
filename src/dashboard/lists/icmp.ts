// The ICMP pane: each message type, in and out, with totals and deltas, for ICMP and ICMPv6.
// Named kernel counters (Icmp.InEchos, Icmp6.InPktTooBigs…) cover the classic types; the
// per-type IcmpMsg / Icmp6 InTypeN counters add every other type the host has seen.
import type { CounterStat } from '../../sampler/counter-deltas.js';
import type { Sample } from '../../sampler/sample-engine.js';
import { colRow, layoutHeader, type Col } from '../columns.js';
import { ICMP4_STEMS, ICMP6_STEMS, icmpTypeName, netstatLine } from '../../catalog/index.js';
import { explainCounter } from '../explain/index.js';
import { compact } from '../format.js';
import { explained, filtered, pane, sinceTitle } from './pane-spec.js';

/** Types that report trouble: worth the eye when they move. */
const TROUBLE4 = new Set([3, 4, 5, 11, 12]);
const TROUBLE6 = new Set([1, 2, 3, 4, 137]);

export interface IcmpRow {
  key: string;
  v: 4 | 6;
  /** null for the "all messages" and "errors" summary rows. */
  type: number | null;
  label: string;
  /** Counter keys for the two directions (undefined: the kernel has none). */
  inKey: string | undefined;
  outKey: string | undefined;
}

function rowsOf(sample: Sample, v: 4 | 6, extended: boolean): IcmpRow[] {
  const group = v === 4 ? 'Icmp' : 'Icmp6';
  // Kernel counter stems (InDestUnreachs → DestUnreachs) by ICMP type.
  const named = v === 4 ? ICMP4_STEMS : ICMP6_STEMS;
  const proto = v === 4 ? 'ICMP' : 'ICMPv6';
  const has = (k: string): string | undefined => (sample.stats.has(k) ? k : undefined);
  const rows: IcmpRow[] = [];
  if (sample.stats.has(`${group}.InMsgs`)) {
    rows.push({
      key: `${proto}|all`,
      v,
      type: null,
      label: `${proto} all messages`,
      inKey: has(`${group}.InMsgs`),
      outKey: has(`${group}.OutMsgs`),
    });
    // InErrors counts received messages that were broken or quote a packet no local socket sent,
    // OutErrors messages this host failed to send: not the error reports (unreachables) themselves.
    rows.push({
      key: `${proto}|errors`,
      v,
      type: null,
      label: `${proto} bad or unmatched in, unsent out`,
      inKey: has(`${group}.InErrors`),
      outKey: has(`${group}.OutErrors`),
    });
  }
  const byType = new Map<number, { inKey: string | undefined; outKey: string | undefined }>();
  for (const [name, type] of Object.entries(named)) {
    const inKey = has(`${group}.In${name}`),
      outKey = has(`${group}.Out${name}`);
    if (inKey || outKey) byType.set(type, { inKey, outKey });
  }
  // Per-type counters: IcmpMsg.InType3 (v4), Icmp6.InType128 (v6). Named ones win.
  const msgGroup = v === 4 ? 'IcmpMsg.' : 'Icmp6.';
  for (const k of sample.stats.keys()) {
    if (!k.startsWith(msgGroup)) continue;
    const m = /^(In|Out)Type(\d+)$/.exec(k.slice(msgGroup.length));
    if (!m) continue;
    const type = Number(m[2]);
    const e = byType.get(type) ?? { inKey: undefined, outKey: undefined };
    if (m[1] === 'In' && !e.inKey) e.inKey = k;
    if (m[1] === 'Out' && !e.outKey) e.outKey = k;
    byType.set(type, e);
  }
  const total = (k: string | undefined): number => (k ? (sample.stats.get(k)?.total ?? 0) : 0);
  for (const [type, e] of [...byType].sort((a, b) => a[0] - b[0])) {
    // Types never seen in either direction are noise, unless e asks for everything.
    if (!extended && total(e.inKey) === 0 && total(e.outKey) === 0) continue;
    rows.push({ key: `${proto}|${type}`, v, type, label: `${proto} ${icmpTypeName(v, type)} (${type})`, ...e });
  }
  return rows;
}

export const icmpPane = pane<IcmpRow>({
  title: 'ICMP',
  short: 'icmp',
  sortColumns: ['type', 'in', 'out'],
  // Made of the counter stats alone (and the filters and sort, which the store compares).
  listInput: (f) => [f.sample?.stats],
  // The stats give every value and what is hot; the mark's reason titles the since column.
  textInputs: (f) => [f.sample?.stats, f.sample?.mark.reason],
  list(c) {
    const sample = c.sample;
    if (!sample) return { keys: [], items: [] };
    let rows: IcmpRow[] = [];
    if (c.ui.family.v4) rows.push(...rowsOf(sample, 4, c.ui.extended));
    if (c.ui.family.v6) rows.push(...rowsOf(sample, 6, c.ui.extended));
    if (c.needle) rows = rows.filter((r) => r.label.toLowerCase().includes(c.needle));
    const d = (k: string | undefined): number => (k ? (sample.stats.get(k)?.delta ?? 0) : 0);
    if (c.sortCol !== 'type') {
      const by = (r: IcmpRow): number => (c.sortCol === 'in' ? d(r.inKey) : d(r.outKey));
      const order = new Map(rows.map((r, i) => [r.key, i]));
      rows.sort((a, b) => by(b) - by(a) || (order.get(a.key) ?? 0) - (order.get(b.key) ?? 0));
    }
    if (c.dir < 0) rows.reverse();
    return { keys: rows.map((r) => r.key), items: rows };
  },

  format(c, width) {
    const st = (k: string | undefined): CounterStat | undefined => (k ? c.sample?.stats.get(k) : undefined);
    const mode = c.ui.counterMode;
    const val = (k: string | undefined): string => {
      const x = st(k);
      if (!k) return '-';
      return mode === 'rate' ? compact(x?.rate, { rate: true }) : mode === 'delta' ? compact(x?.delta) : compact(x?.sinceMark);
    };
    const trouble = (r: IcmpRow): boolean => (r.type === null ? r.key.endsWith('|errors') : (r.v === 4 ? TROUBLE4 : TROUBLE6).has(r.type));
    const hot =
      (k: 'inKey' | 'outKey') =>
      (r: IcmpRow): boolean =>
        trouble(r) && (st(r[k])?.delta ?? 0) > 0;
    const unit = mode === 'rate' ? '/s' : mode === 'delta' ? ' Δ' : ` ${sinceTitle(c.sample).toLowerCase()}`;
    const total =
      (k: 'inKey' | 'outKey') =>
      (r: IcmpRow): string =>
        r[k] ? compact(st(r[k])?.total) : '-';
    // The totals always; beside each the mode's value, except in total mode, which would repeat them.
    const cols: Col<IcmpRow>[] = [{ title: 'Message type', width: 40, align: 'left', value: (r) => r.label }];
    for (const [dir, k] of [
      ['In', 'inKey'],
      ['Out', 'outKey'],
    ] as const) {
      cols.push({ title: `${dir} total`, width: 10, align: 'right', value: total(k), ...(mode === 'total' ? { hot: hot(k) } : {}) });
      if (mode !== 'total')
        cols.push({ title: `${dir}${unit}`, width: mode === 'since' ? 16 : 8, align: 'right', value: (r) => val(r[k]), hot: hot(k) });
    }
    const moving = (r: IcmpRow): boolean => (st(r.inKey)?.delta ?? 0) > 0 || (st(r.outKey)?.delta ?? 0) > 0;
    return { header: layoutHeader(cols, width), row: (r) => colRow(cols, r, width, null, !moving(r)) };
  },

  empty(c) {
    if (!c.sample?.snapshot.counters) return 'counters not sampled';
    if (!c.ui.family.v4 && !c.ui.family.v6) return 'no address family selected (f)';
    return `no ICMP messages counted${filtered(c)} (e: every type)`;
  },

  detail(c, r, _key, width) {
    const out = [`Message       ${r.label}`];
    for (const [dir, k] of [
      ['In', r.inKey],
      ['Out', r.outKey],
    ] as const) {
      const st = k ? c.sample?.stats.get(k) : undefined;
      out.push(
        st
          ? `${dir.padEnd(14)}${st.exact ?? st.total} total, ${st.delta ?? '-'} this tick, ${st.rate === null ? '-' : st.rate.toFixed(2)}/s, ${st.sinceMark} since ${c.sample?.mark.reason === 'mark' ? 'mark' : 'start'}  (${k})`
          : `${dir.padEnd(14)}not counted by this kernel`,
      );
    }
    for (const k of [r.inKey, r.outKey]) {
      const line = k ? netstatLine(k, c.sample?.stats.get(k)?.total ?? 0) : null;
      if (line !== null) out.push(`netstat -s    ${line}`);
    }
    for (const k of [r.inKey, r.outKey]) if (k) out.push(...explained(explainCounter(k), width));
    return out;
  },
});
