// The Graphs pane: the default charts (traffic of the busiest interface, retransmits, drops,
// connections by state, ICMP errors) and the pinned ones. Its rows are the charts; with room
// (and Unicode) layout draws each as a blessed-contrib line chart, else each row is the
// chart's name, its last value, its peak and a sparkline on the stated scale.
import type { History } from '../../sampler/history.js';
import { colRow, layoutHeader, type Col } from '../columns.js';
import { printable } from '../escape.js';
import { axisNumber, chartScale, defaultCharts, type ChartSpec } from '../graphs.js';
import { sparkline } from './interfaces.js';
import { pane, type PaneContext } from './pane-spec.js';

/** The charts the pane shows: the default ones, then the pins. */
export function chartList(c: PaneContext): ChartSpec[] {
  const charts = defaultCharts(c.sample, c.ui.cursor.interfaces.key);
  const ids = new Set(charts.map((x) => x.id));
  for (const p of c.ui.pins) {
    const i = charts.findIndex((x) => x.id === p.id);
    if (i >= 0) charts[i] = p;
    else if (!ids.has(p.id)) charts.push(p);
  }
  return charts;
}

/** One series' values up to the frame's sample, oldest first (NaN: none that tick). */
export function seriesOf(
  history: History | undefined,
  key: string,
  until: number | undefined,
): { t: Float64Array; v: Float32Array; first: number } {
  return history?.points(key, until ?? Infinity) ?? { t: new Float64Array(0), v: new Float32Array(0), first: 0 };
}

/** The largest value of a chart's series, and the newest value of each. */
export function chartPeak(c: PaneContext, chart: ChartSpec): { peak: number; last: (number | null)[] } {
  let peak = 0;
  const last: (number | null)[] = [];
  for (const s of chart.series) {
    const { v } = seriesOf(c.history, s.key, c.sample?.time);
    for (const x of v) if (x > peak) peak = x;
    const l = v.length > 0 ? v[v.length - 1] : undefined;
    last.push(l === undefined || Number.isNaN(l) ? null : l);
  }
  return { peak, last };
}

function valueText(v: number | null, divisor: number, unit: string): string {
  return v === null ? '-' : `${axisNumber(v / divisor)} ${unit}`;
}

function columns(c: PaneContext, width: number): Col<ChartSpec>[] {
  const info = (ch: ChartSpec): { peak: number; last: (number | null)[] } => chartPeak(c, ch);
  const cols: Col<ChartSpec>[] = [
    { title: 'Chart', width: 30, align: 'left', value: (ch) => printable(`${ch.pinned ? '* ' : ''}${ch.title}`) },
    {
      title: 'Now',
      width: 18,
      align: 'right',
      value: (ch) => {
        const { peak, last } = info(ch);
        const sc = chartScale(ch.unit, peak);
        const shown = last.map((l) => valueText(l, sc.divisor, sc.unit));
        return chart1(shown);
      },
    },
    {
      title: 'Scale 0 to',
      width: 12,
      align: 'right',
      value: (ch) => {
        const sc = chartScale(ch.unit, info(ch).peak);
        return `${axisNumber(sc.max / sc.divisor)} ${sc.unit}`;
      },
    },
  ];
  const used = cols.reduce((a, col) => a + col.width + 1, -1);
  const w = Math.min(60, width - used - 1);
  if (w >= 8) {
    cols.push({
      title: 'History (on that scale)',
      width: w,
      align: 'left',
      value: (ch) => {
        const s = ch.series[0];
        if (!s) return '';
        const { v } = seriesOf(c.history, s.key, c.sample?.time);
        const sc = chartScale(ch.unit, info(ch).peak);
        return sparkline(
          [...v.slice(-w)].map((x) => (Number.isNaN(x) ? null : x)),
          w,
          sc.max,
        );
      },
    });
  }
  return cols;
}

function chart1(values: string[]): string {
  return values.length <= 1 ? (values[0] ?? '-') : `${values[0] ?? '-'} +${values.length - 1}`;
}

export const graphsPane = pane<ChartSpec>({
  title: 'Graphs',
  short: 'graphs',
  sortColumns: ['chart'],
  // Which charts: the busiest interface (by the stats, among the frame's interfaces) and the
  // pins and the interface cursor (which the store compares); not the values they draw.
  listInput: (f) => [f.sample?.stats, f.interfaces],
  list(c) {
    let charts = chartList(c);
    if (c.needle) charts = charts.filter((ch) => ch.title.toLowerCase().includes(c.needle));
    if (c.dir < 0) charts.reverse();
    return { keys: charts.map((ch) => ch.id), items: charts };
  },

  format(c, width) {
    const cols = columns(c, width);
    return { header: layoutHeader(cols, width), row: (ch) => colRow(cols, ch, width) };
  },

  empty() {
    return 'no charts';
  },

  detail(c, ch) {
    const { peak, last } = chartPeak(c, ch);
    const sc = chartScale(ch.unit, peak);
    const out = [
      `Chart         ${printable(ch.title)}${ch.pinned ? '  (pinned: g unpins it, G unpins all)' : ''}`,
      `Scale         0 to ${axisNumber(sc.max / sc.divisor)} ${sc.unit} (peak ${valueText(peak, sc.divisor, sc.unit)})`,
      `History       ${c.history?.length ?? 0} samples kept of ${c.history?.capacity ?? 0}`,
      '',
    ];
    ch.series.forEach((s, i) =>
      out.push(`${printable(s.label).padEnd(20)} ${valueText(last[i] ?? null, sc.divisor, sc.unit).padStart(14)}   ${printable(s.key)}`),
    );
    return out;
  },
});
