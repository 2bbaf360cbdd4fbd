// The protocol counters pane. By default the problems view: the error, discard, overflow and
// retransmit counters that moved since the start (or the mark), with the retransmit ratio on
// top. `!` shows every IP, TCP and UDP counter instead (and `e` adds all of TcpExt/IpExt).
import { counterFact, netstatLabel, netstatLine, PROBLEM_KEYS, RETRANS_KEY, RETRANS_PARTS } from '../../catalog/index.js';
import type { CounterStat } from '../../sampler/counter-deltas.js';
import { retransPct } from '../../sampler/counter-deltas.js';
import type { Sample } from '../../sampler/sample-engine.js';
import { colRow, layoutHeader, type Col } from '../columns.js';
import { explainCounter, wrap } from '../explain/index.js';
import { compact } from '../format.js';
import { explained, filtered, pane, sinceTitle, type PaneContext } from './pane-spec.js';

export { RETRANS_KEY };

/** Problem counters, in the order the problems view lists them (the catalog's order). */
export const PROBLEM_COUNTERS: readonly string[] = PROBLEM_KEYS;
const PROBLEM_SET = new Set(PROBLEM_COUNTERS);

/** Groups the "all counters" view lists whole; with `e` also these extension groups. */
const CORE_GROUPS = ['Ip', 'Tcp', 'Udp', 'UdpLite', 'Ip6', 'Udp6', 'UdpLite6'];
const EXT_GROUPS = ['TcpExt', 'IpExt'];

function statOf(sample: Sample | null, k: string): CounterStat | undefined {
  return sample?.stats.get(k === RETRANS_KEY ? RETRANS_PARTS.retrans : k);
}

type Span = 'delta' | 'total' | 'sinceMark';

/** RetransSegs and OutSegs over one span. */
function parts(sample: Sample | null, which: Span): { retrans: number | null; sent: number | null } {
  const st = sample?.stats;
  return { retrans: st?.get(RETRANS_PARTS.retrans)?.[which] ?? null, sent: st?.get(RETRANS_PARTS.sent)?.[which] ?? null };
}

/** The retransmit ratio for a column. OutSegs leaves retransmissions out on Linux, so a peer
 *  that stopped answering drives it past 100 % (or retransmits with nothing new sent at all):
 *  a column says >100% and the detail gives the figures. */
function pct(sample: Sample | null, which: Span): string {
  const { retrans, sent } = parts(sample, which);
  if (retrans !== null && retrans > 0 && sent === 0) return '>100%';
  const p = retransPct(retrans, sent);
  return p === null ? '-' : p > 100 ? '>100%' : `${p.toFixed(2)}%`;
}

/** The exact ratio with the two counts it divides, for the detail view. */
function pctDetail(sample: Sample | null, which: Span): string {
  const { retrans, sent } = parts(sample, which);
  const p = retransPct(retrans, sent);
  return `${p === null ? '-' : `${p.toFixed(2)}%`}  (RetransSegs ${retrans ?? '-'} / OutSegs ${sent ?? '-'})`;
}

function moving(sample: Sample | null, k: string): boolean {
  const d = statOf(sample, k)?.delta;
  return d !== null && d !== undefined && d > 0;
}

/** Counter keys of the sample in the order the pane lists them (before sorting). */
function counterKeys(c: PaneContext, sample: Sample): string[] {
  const keys: string[] = [];
  if (sample.stats.has(RETRANS_PARTS.retrans) && sample.stats.has(RETRANS_PARTS.sent)) keys.push(RETRANS_KEY);
  if (!c.ui.allCounters) {
    // Problems that moved since the start or mark; with e, every problem counter there is.
    for (const k of PROBLEM_COUNTERS) {
      const st = sample.stats.get(k);
      if (st && (c.ui.extended || st.sinceMark > 0 || (st.delta ?? 0) > 0)) keys.push(k);
    }
    return keys;
  }
  const groups = c.ui.extended ? [...CORE_GROUPS, ...EXT_GROUPS] : CORE_GROUPS;
  const byGroup = new Map<string, string[]>(groups.map((g) => [g, []]));
  const extProblems: string[] = [];
  for (const k of sample.stats.keys()) {
    // Levels and settings (Tcp.CurrEstab, Ip.Forwarding, Ip.DefaultTTL) are rows too.
    const g = k.slice(0, k.indexOf('.'));
    const list = byGroup.get(g);
    if (list) list.push(k);
    else if (!c.ui.extended && g === 'TcpExt' && PROBLEM_SET.has(k)) extProblems.push(k);
  }
  for (const g of groups) keys.push(...(byGroup.get(g) ?? []));
  // Without e, TcpExt contributes its problem counters only.
  return [...keys, ...extProblems];
}

export const countersPane = pane<string>({
  title: 'Protocol counters',
  short: 'counters',
  sortColumns: ['activity', 'name', 'delta', 'total'],
  // Made of the counter stats alone (and the filters and sort, which the store compares).
  listInput: (f) => [f.sample?.stats],
  // The stats give every value and what is hot; the mark's reason titles the since column.
  textInputs: (f) => [f.sample?.stats, f.sample?.mark.reason],
  list(c) {
    const sample = c.sample;
    if (!sample) return { keys: [], items: [] };
    let keys = counterKeys(c, sample);
    if (c.needle) keys = keys.filter((k) => k.toLowerCase().includes(c.needle));
    const order = new Map(keys.map((k, i) => [k, i]));
    const pos = (k: string): number => order.get(k) ?? 0;
    const v = (k: string): number => {
      const x = statOf(sample, k);
      if (c.sortCol === 'delta') return x?.delta ?? -1;
      if (c.sortCol === 'total') return k === RETRANS_KEY ? Infinity : (x?.total ?? -1);
      // activity: moving counters first (by delta), the retransmit ratio always on top.
      return k === RETRANS_KEY ? Infinity : (x?.delta ?? 0);
    };
    keys.sort((a, b) => (c.sortCol === 'name' ? pos(a) - pos(b) : v(b) - v(a) || pos(a) - pos(b)) * c.dir);
    return { keys, items: keys };
  },

  format(c, width) {
    const sample = c.sample;
    const st = (k: string): CounterStat | undefined => statOf(sample, k);
    const cols: Col<string>[] = [
      { title: 'Counter', width: 30, align: 'left', value: (k) => (k === RETRANS_KEY ? 'TCP retransmitted %' : k) },
      { title: 'Total', width: 10, align: 'right', value: (k) => (k === RETRANS_KEY ? pct(sample, 'total') : compact(st(k)?.total)) },
      { title: 'Delta', width: 8, align: 'right', value: (k) => (k === RETRANS_KEY ? pct(sample, 'delta') : compact(st(k)?.delta)) },
      { title: 'Rate/s', width: 8, align: 'right', value: (k) => (k === RETRANS_KEY ? '' : compact(st(k)?.rate, { rate: true })) },
      {
        title: sinceTitle(sample),
        width: 11,
        align: 'right',
        value: (k) => (k === RETRANS_KEY ? pct(sample, 'sinceMark') : compact(st(k)?.sinceMark)),
      },
    ];
    // netstat -s wording beside the kernel name, as wide as the terminal leaves room for.
    const used = cols.reduce((a, col) => a + col.width + 1, -1);
    if (width - used - 1 >= 16) {
      cols.push({ title: 'netstat -s', width: Math.min(60, width - used - 1), align: 'left', value: (k) => netstatLabel(k) });
    }
    // Problems and the retransmit ratio are hot when they move; ordinary traffic is not.
    const hot = (k: string): boolean => (k === RETRANS_KEY || PROBLEM_SET.has(k)) && moving(sample, k);
    for (const col of cols) col.hot = hot;
    return {
      header: layoutHeader(cols, width),
      row: (k) => colRow(cols, k, width, null, !moving(sample, k) && k !== RETRANS_KEY),
    };
  },

  empty(c) {
    if (!c.sample?.snapshot.counters) return 'counters not sampled';
    return c.ui.allCounters
      ? `no counters${filtered(c)}`
      : `no problem counter moved${filtered(c)} since ${c.sample.mark.reason === 'mark' ? 'the mark' : 'the start'} (! all counters, e every problem counter)`;
  },

  detail(c, k, _key, width) {
    const sample = c.sample;
    const st = statOf(sample, k);
    const out = [`Counter       ${k === RETRANS_KEY ? 'TCP retransmitted % (RetransSegs / OutSegs)' : k}`];
    if (k === RETRANS_KEY) {
      out.push(
        `This tick     ${pctDetail(sample, 'delta')}`,
        `${sinceTitle(sample).padEnd(14)}${pctDetail(sample, 'sinceMark')}`,
        `Since boot    ${pctDetail(sample, 'total')}`,
      );
    } else {
      const line = netstatLine(k, st?.total ?? 0);
      const f = counterFact(k);
      if (line !== null) out.push(`netstat -s    ${line}`);
      else if (f?.netstat?.print === 'hidden') out.push('netstat -s    not printed (a setting)');
      if (f && f.kind !== 'counter')
        out.push(`Kind          ${f.kind === 'gauge' ? 'a level (goes up and down)' : 'a setting, not a count'}`);
    }
    if (st) {
      out.push(
        `Total         ${st.exact ?? st.total}`,
        `Delta         ${st.delta ?? '-'}`,
        `Rate/s        ${st.rate === null ? '-' : st.rate.toFixed(2)}`,
        `${sinceTitle(sample).padEnd(14)}${st.sinceMark}`,
        `Reset         ${st.reset ?? 'no'}`,
      );
    }
    // Retransmissions: which connections are behind them is one key away.
    if (k === RETRANS_KEY || /Retrans|Lost|Timeouts|Recover/.test(k))
      out.push('Which connections  r: the connections sorted by retransmits per second (tcp_info)');
    out.push(...explained(explainCounter(k), width));
    // What backs the text: the kernel code that counts it, or the test that measured it.
    const source = counterFact(k)?.source;
    if (source) out.push(...wrap(`Source: ${source}`, width));
    return out;
  },
});
