// What the Graphs pane charts: chart specs (default charts and pins), the value of each series
// in a sample, and the scale a chart is drawn on. Pure: the store records the series in a
// History (sampler/history.ts), layout draws the charts with blessed-contrib (chart-widgets.ts).
import {
  CHART_DISCARDS,
  CHART_ICMP_ERRORS_IN,
  CHART_ICMP_ERRORS_OUT,
  CHART_RETRANS,
  RETRANS_KEY,
  RETRANS_PARTS,
} from '../catalog/index.js';
import { retransPct } from '../sampler/counter-deltas.js';
import type { Aggregates, FlowAggregate } from '../sampler/flow-aggregates.js';
import type { Sample } from '../sampler/sample-engine.js';
import { perSecond } from '../sampler/tcp-flows.js';
import { TCP_STATES } from '../names/netstat-notation.js';

/** A chart's unit: bytes per second, percent, events per second, a count, bytes. */
export type ChartUnit = 'B/s' | '%' | '/s' | 'sockets' | 'B';

export interface SeriesSpec {
  /** History key: a counter's key, 'sum:a+b' (the sum of rates), the retransmit
   *  ratio, a gauge, 'conn:<key>:recvQ' / ':sendQ', or 'flow:proc:<key>:rx' (':tx',
   *  ':retrans'; 'flow:peer:' for a remote host). */
  key: string;
  label: string;
}

export interface ChartSpec {
  id: string;
  title: string;
  unit: ChartUnit;
  series: readonly SeriesSpec[];
  pinned?: boolean;
}

export const RETRANS_PCT_KEY = RETRANS_KEY;

const IF_SUMS = {
  drp: ['rxDrop', 'txDrop'],
  ovr: ['rxFifo', 'txFifo'],
  err: ['rxErrs', 'txErrs'],
} as const;
const STATE_KEYS = TCP_STATES.slice(1, 12).map((s) => `gauge.tcp.${s}`);

/** The value a series has in a sample (null: none this tick). */
export function seriesValue(sample: Sample, key: string): number | null {
  const st = sample.stats;
  if (key.startsWith('sum:')) {
    let total: number | null = null;
    for (const k of key.slice(4).split('+')) {
      const r = k.startsWith('if*.') ? ifSum(sample, k.slice(4)) : (st.get(k)?.rate ?? null);
      if (r !== null) total = (total ?? 0) + r;
    }
    return total;
  }
  if (key === RETRANS_PCT_KEY) return retransPct(st.get(RETRANS_PARTS.retrans)?.delta ?? null, st.get(RETRANS_PARTS.sent)?.delta ?? null);
  if (key.startsWith('flow:')) return flowValue(sample, key);
  if (key.startsWith('conn:')) {
    const q = key.endsWith(':recvQ') ? 'recvQ' : 'sendQ';
    const sock = sample.connections.get(key.slice(5, key.lastIndexOf(':')));
    return sock ? sock[q] : null;
  }
  const s = st.get(key);
  if (!s) return null;
  return s.gauge ? s.total : s.rate;
}

type FlowKind = 'proc' | 'peer';
const FLOW_FIELDS = { rx: 'rx', tx: 'tx', retrans: 'retransBytes' } as const;
/** Each sample's sums by key, made on the first lookup (a chart per pin asks every tick). */
const flowIndex = new WeakMap<Aggregates, { proc: Map<string, FlowAggregate>; peer: Map<string, FlowAggregate> }>();

/** A process's or peer's bytes per second this tick ('flow:proc:<key>:rx'); null while the
 *  sums or tcp_info are missing, or the group has no member. */
function flowValue(sample: Sample, key: string): number | null {
  const agg = sample.aggregates;
  if (!agg) return null;
  const kind = key.slice(5, 9) as FlowKind;
  const cut = key.lastIndexOf(':');
  const field = FLOW_FIELDS[key.slice(cut + 1) as keyof typeof FLOW_FIELDS] as keyof FlowAggregate | undefined;
  if (field === undefined) return null;
  let idx = flowIndex.get(agg);
  if (!idx) {
    idx = { proc: new Map(agg.processes.map((g) => [g.key, g])), peer: new Map(agg.peers.map((g) => [g.key, g])) };
    flowIndex.set(agg, idx);
  }
  const g = idx[kind]?.get(key.slice(10, cut));
  if (!g) return null;
  return perSecond(g[field] as number | null, agg.elapsedMs);
}

/** The rate of one interface field summed over every interface ('rxDrop'). */
function ifSum(sample: Sample, field: string): number | null {
  const ifs = sample.snapshot.interfaces?.ok ? sample.snapshot.interfaces.value : [];
  let total: number | null = null;
  for (const i of ifs) {
    const r = sample.stats.get(`if.${i.name}.${field}`)?.rate ?? null;
    if (r !== null) total = (total ?? 0) + r;
  }
  return total;
}

export function interfaceChart(name: string): ChartSpec {
  return {
    id: `iface:${name}`,
    title: `${name} traffic`,
    unit: 'B/s',
    series: [
      { key: `if.${name}.rxBytes`, label: 'RX' },
      { key: `if.${name}.txBytes`, label: 'TX' },
    ],
  };
}

export function counterChart(key: string): ChartSpec {
  if (key === RETRANS_PCT_KEY) return { id: `ctr:${key}`, title: 'TCP retransmitted %', unit: '%', series: [{ key, label: 'retrans %' }] };
  const gauge = key.startsWith('gauge.');
  return { id: `ctr:${key}`, title: key, unit: gauge ? 'sockets' : '/s', series: [{ key, label: key.replace(/^gauge\./, '') }] };
}

export function icmpChart(label: string, inKey: string | undefined, outKey: string | undefined): ChartSpec {
  const series: SeriesSpec[] = [];
  if (inKey) series.push({ key: inKey, label: 'in' });
  if (outKey) series.push({ key: outKey, label: 'out' });
  return { id: `icmp:${inKey ?? ''}|${outKey ?? ''}`, title: label, unit: '/s', series };
}

export function connectionChart(key: string, label: string): ChartSpec {
  return {
    id: `conn:${key}`,
    title: `queues ${label}`,
    unit: 'B',
    series: [
      { key: `conn:${key}:recvQ`, label: 'Recv-Q' },
      { key: `conn:${key}:sendQ`, label: 'Send-Q' },
    ],
  };
}

/** A process's (pid/program) or a remote host's traffic: bytes received, sent and
 *  retransmitted per second, summed over its TCP connections' tcp_info. */
export function flowChart(kind: FlowKind, key: string, name: string): ChartSpec {
  const k = `flow:${kind}:${key}`;
  return {
    id: k,
    title: `${name} traffic`,
    unit: 'B/s',
    series: [
      { key: `${k}:rx`, label: 'RX' },
      { key: `${k}:tx`, label: 'TX' },
      { key: `${k}:retrans`, label: 'retrans' },
    ],
  };
}

/** Whether a chart needs tcp_info (and the per-process or per-peer sums) every tick. */
export const chartNeedsTcpInfo = (c: ChartSpec): boolean => c.id.startsWith('flow:');
/** Whether a chart needs the process owners every tick: a process's sums group by them. */
export const chartNeedsOwners = (c: ChartSpec): boolean => c.id.startsWith('flow:proc:');

/** The busiest interface (RX+TX bytes/s) in a sample. */
export function busiestInterface(sample: Sample | null): string | null {
  const ifs = sample?.snapshot.interfaces?.ok ? sample.snapshot.interfaces.value : [];
  let best: string | null = null,
    bestRate = -1;
  for (const i of ifs) {
    const r = (sample?.stats.get(`if.${i.name}.rxBytes`)?.rate ?? 0) + (sample?.stats.get(`if.${i.name}.txBytes`)?.rate ?? 0);
    if (r > bestRate) {
      best = i.name;
      bestRate = r;
    }
  }
  return best;
}

/** The default charts: the busiest interface (and the one under the interfaces pane's cursor
 *  when that is another), retransmits, drops and discards, connections by state, ICMP errors. */
export function defaultCharts(sample: Sample | null, focusedIface: string | null, always = false): ChartSpec[] {
  const charts: ChartSpec[] = [];
  // Before the first sample: none (the cursor would settle on a chart that moves down later).
  if (sample === null && !always) return charts;
  const busiest = busiestInterface(sample);
  if (busiest !== null) charts.push(interfaceChart(busiest));
  if (focusedIface !== null && focusedIface !== busiest) charts.push(interfaceChart(focusedIface));
  charts.push(
    { id: 'retrans', title: 'TCP retransmits', unit: '/s', series: [{ key: CHART_RETRANS, label: CHART_RETRANS }] },
    { id: 'retransPct', title: 'TCP retransmitted %', unit: '%', series: [{ key: RETRANS_PCT_KEY, label: 'RetransSegs/OutSegs' }] },
    {
      id: 'drops',
      title: 'Drops and discards',
      unit: '/s',
      series: [
        { key: `sum:if*.${IF_SUMS.drp[0]}+if*.${IF_SUMS.drp[1]}`, label: 'if DRP' },
        { key: `sum:if*.${IF_SUMS.ovr[0]}+if*.${IF_SUMS.ovr[1]}`, label: 'if OVR' },
        { key: `sum:if*.${IF_SUMS.err[0]}+if*.${IF_SUMS.err[1]}`, label: 'if ERR' },
        ...CHART_DISCARDS.map(([key, label]) => ({ key, label })),
      ],
    },
    { id: 'states', title: 'TCP connections by state', unit: 'sockets', series: STATE_KEYS.map((k) => ({ key: k, label: k.slice(10) })) },
    {
      id: 'icmpErr',
      title: 'ICMP errors',
      unit: '/s',
      series: [
        { key: `sum:${CHART_ICMP_ERRORS_IN.join('+')}`, label: 'in' },
        { key: `sum:${CHART_ICMP_ERRORS_OUT.join('+')}`, label: 'out' },
      ],
    },
  );
  return charts;
}

/** Every series the default charts could use in this sample (every interface's RX/TX). */
export function defaultSeriesKeys(sample: Sample): string[] {
  const keys: string[] = [];
  const ifs = sample.snapshot.interfaces?.ok ? sample.snapshot.interfaces.value : [];
  for (const i of ifs) keys.push(`if.${i.name}.rxBytes`, `if.${i.name}.txBytes`);
  for (const c of defaultCharts(null, null, true)) for (const s of c.series) keys.push(s.key);
  return keys;
}

/** The smallest top of the y scale per unit: a quiet series stays low on the chart (a 600 B/s
 *  ping draws at 6 % of a 10 kB/s scale, not at the top of its own). */
export const SCALE_FLOOR: Readonly<Record<ChartUnit, number>> = { 'B/s': 10_000, '%': 1, '/s': 1, sockets: 5, B: 1000 };

/** 1, 2 or 5 times a power of ten, at least x. */
export function niceCeil(x: number): number {
  if (!(x > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 5, 10]) if (m * p >= x * (1 - 1e-9)) return m * p;
  return 10 * p;
}

export interface Scale {
  /** Top of the y axis in the chart's unit. */
  max: number;
  /** What drawn values are divided by (1000 for kB/s). */
  divisor: number;
  /** The unit of the drawn values: 'MB/s', '%', '/s', 'k/s'. */
  unit: string;
}

const PREFIX = ['', 'k', 'M', 'G', 'T'];

/** The y scale for a chart whose largest value is `peak`: zero at the bottom, a round top
 *  no lower than the unit's floor, in units that keep the labels short. */
export function chartScale(unit: ChartUnit, peak: number): Scale {
  const max = niceCeil(Math.max(SCALE_FLOOR[unit], Number.isFinite(peak) ? peak : 0));
  if (unit === '%') return { max, divisor: 1, unit: '%' };
  let k = 0;
  while (k < PREFIX.length - 1 && max / 1000 ** k >= 1000) k++;
  const divisor = 1000 ** k;
  const base = unit === 'B/s' ? 'B/s' : unit === 'B' ? 'B' : unit === 'sockets' ? 'sockets' : '/s';
  return { max, divisor, unit: k === 0 ? base : base === '/s' ? `${PREFIX[k] ?? ''}/s` : `${PREFIX[k] ?? ''}${base}` };
}

/** A number as an axis shows it: 1.5k, 20, 0.25. */
export function axisNumber(v: number): string {
  if (v === 0) return '0';
  if (Math.abs(v) >= 100) return String(Math.round(v));
  if (Math.abs(v) >= 10) return String(Math.round(v * 10) / 10);
  return String(Math.round(v * 100) / 100);
}

/** Points numbered from `first` in buckets of `k` points anchored to those numbers (bucket b
 *  holds points b·k … b·k+k-1), the last `n` buckets: a new point changes only the last bucket,
 *  so a chart moves one column every k points, not at every tick. Each bucket keeps its largest
 *  value (a peak never vanishes) and the time of its first point; buckets before the first
 *  value are dropped, later gaps carry the last value. */
export function anchoredBuckets(
  first: number,
  t: ArrayLike<number>,
  v: ArrayLike<number>,
  k: number,
  n: number,
): { t: number[]; v: number[] } {
  const len = v.length;
  if (len === 0 || n <= 0 || k <= 0) return { t: [], v: [] };
  const lastB = Math.floor((first + len - 1) / k);
  const firstB = Math.max(Math.floor(first / k), lastB - n + 1);
  const ot: number[] = [],
    ov: number[] = [];
  let last = NaN;
  for (let b = firstB; b <= lastB; b++) {
    const from = Math.max(0, b * k - first),
      to = Math.min(len, (b + 1) * k - first);
    let m = NaN;
    for (let i = from; i < to; i++) {
      const x = v[i] ?? NaN;
      if (!Number.isNaN(x) && !(x <= m)) m = x;
    }
    if (Number.isNaN(m)) {
      if (Number.isNaN(last)) continue;
      m = last;
    }
    last = m;
    // A bucket whose first points the ring has dropped has no time of its own (NaN): the
    // time of the points left would change at every tick.
    ot.push(b * k < first ? NaN : (t[from] ?? NaN));
    ov.push(m);
  }
  return { t: ot, v: ov };
}

/** Points reduced to at most `n` buckets, each keeping its largest value (a peak never
 *  vanishes) and its last time; leading ticks without a value dropped, later gaps carried. */
export function downsample(t: ArrayLike<number>, v: ArrayLike<number>, n: number): { t: number[]; v: number[] } {
  let first = 0;
  while (first < v.length && Number.isNaN(v[first])) first++;
  const len = v.length - first;
  if (len <= 0 || n <= 0) return { t: [], v: [] };
  const buckets = Math.min(n, len);
  const ot: number[] = [],
    ov: number[] = [];
  let last = 0;
  for (let b = 0; b < buckets; b++) {
    const from = first + Math.floor((b * len) / buckets),
      to = first + Math.floor(((b + 1) * len) / buckets);
    let m = NaN;
    for (let i = from; i < to; i++) {
      const x = v[i] ?? NaN;
      if (!Number.isNaN(x) && !(x <= m)) m = x;
    }
    if (Number.isNaN(m)) m = last;
    last = m;
    ot.push(t[to - 1] ?? NaN);
    ov.push(m);
  }
  return { t: ot, v: ov };
}
