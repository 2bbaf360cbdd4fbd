// The Graphs pane drawn with blessed-contrib line charts: a pool of contrib `line` widgets that
// layout places in the pane's rectangle. blessed-contrib has no usable typings, so its values
// stay `any` in this file (a blessed boundary file in test/tools/eslint.config.js).
import contrib from 'blessed-contrib';
import type { Widgets } from 'blessed';
import { printable, safeText, tagSafe } from './escape.js';
import { clockTime } from './format.js';
import type { History } from '../sampler/history.js';
import { anchoredBuckets, axisNumber, chartScale, type ChartSpec } from './graphs.js';

/** Where a chart's points come from, read lazily: a chart that may be held reads only the
 *  points that came since it was drawn. */
export interface PointReader {
  /** The numbers of the points held: [first, end). */
  first: number;
  end: number;
  /** Changes when the points were renumbered (a replay restarting, a new interval). */
  generation: number;
  /** A series' value at point number `no` (NaN: none). */
  valueAt(key: string, no: number): number;
  /** A series' points [first, end), oldest first. */
  points(key: string): { t: ArrayLike<number>; v: ArrayLike<number>; first: number };
}

/** The history up to time `until` (the frame's sample), as a chart reads it. */
export function historyReader(h: History, until: number | undefined): PointReader {
  const end = until ?? Infinity;
  const span = h.span(end);
  return {
    ...span,
    generation: h.generation,
    valueAt: (key, no) => h.valueAt(key, no),
    points: (key) => h.points(key, end) ?? { t: [], v: [], first: span.first },
  };
}

/** What one chart draws: its spec (the series' keys and labels) and where their points are. */
export interface ChartData {
  chart: ChartSpec;
  reader: PointReader;
  selected: boolean;
  /** Points the history holds at most: a chart's width stands for that many. */
  capacity: number;
}

export interface ChartRect {
  top: number;
  left: number;
  width: number;
  height: number;
}

const COLOURS = ['yellow', 'cyan', 'green', 'magenta', 'red', 'blue', 'white'] as const;

/** Smallest chart: the axes, three y labels, the time labels and a few rows of line. */
export const CHART_MIN_H = 8;
export const CHART_MIN_W = 36;

/** The label of a chart: its title, the y scale with its unit and the series' colours, as
 *  many as fit in `width` columns (a label longer than its box would break the border). */
export function chartLabel(
  d: Pick<ChartData, 'chart' | 'selected'>,
  labels: readonly string[],
  unit: string,
  top: number,
  width: number,
): string {
  // A title carries outside names (an interface's, a connection's): escaped like every pane's text.
  let head = ` ${d.selected ? '▶ ' : ''}${printable(d.chart.title)}${d.chart.pinned ? ' *' : ''}  y: 0-${axisNumber(top)} ${unit} `;
  if (head.length > width) head = head.slice(0, Math.max(0, width - 1)) + ' ';
  let used = head.length;
  let legend = '';
  labels.forEach((label, i) => {
    if (used + label.length + 1 > width) return;
    used += label.length + 1;
    legend += `{${COLOURS[i % COLOURS.length] ?? 'white'}-fg}${safeText(label)}{/} `;
  });
  return tagSafe(head) + legend;
}

/** drawille's canvas, as blessed-contrib's line chart holds it (`widget.ctx._canvas`); its
 *  drawing context (drawille-canvas-blessed-contrib) keeps each dot's colour as the escape
 *  that sets it. */
export interface DotCanvas {
  width: number;
  content: Uint8Array;
  colors: (string | null | undefined)[];
  chars: (string | null | undefined)[];
}

/** drawille's frame() with one colour escape per run of same-coloured dots instead of one per
 *  dot. The text is what blessed parses and lays out on every chart redraw: a line across the
 *  chart was 80 escape pairs, it is now one. Cells and colours come out the same. */
export function runLengthFrame(this: DotCanvas): string {
  const perRow = this.width / 2;
  const out: string[] = [];
  let run: string | null | undefined = null;
  let open = false;
  const close = (): void => {
    if (open) out.push('\x1b[39m');
    open = false;
  };
  for (let i = 0; i < this.content.length; i++) {
    if (i > 0 && i % perRow === 0) {
      close();
      out.push('\n');
    }
    const ch = this.chars[i];
    const dots = this.content[i] ?? 0;
    if (ch) {
      close();
      out.push(ch);
    } else if (dots === 0) {
      close();
      out.push(' ');
    } else {
      const c = this.colors[i];
      if (!open || run !== c) {
        out.push(c ?? '');
        run = c;
        open = true;
      }
      out.push(String.fromCharCode(0x2800 + dots));
    }
  }
  close();
  out.push('\n');
  return out.join('');
}

/** blessed-contrib's drawing context (drawille-canvas-blessed-contrib). */
export interface DotContext {
  _canvas: DotCanvas & { height: number };
  _matrix: ArrayLike<number>;
  clearRect(x: number, y: number, w: number, h: number): void;
}

/** A line chart clears its whole canvas before each redraw; drawille's clearRect does it dot by
 *  dot through two rasterised triangles (a third of a chart's redraw). Clearing the whole canvas
 *  without a transform is filling its arrays; anything else goes the old way. */
export function fastClear(ctx: DotContext): void {
  const slow = ctx.clearRect.bind(ctx);
  ctx.clearRect = (x, y, w, h) => {
    const c = ctx._canvas,
      m = ctx._matrix;
    const identity = m[0] === 1 && m[1] === 0 && m[2] === 0 && m[3] === 1 && m[4] === 0 && m[5] === 0;
    if (identity && x <= 0 && y <= 0 && x + w >= c.width && y + h >= c.height) {
      c.content.fill(0);
      c.colors.fill(null);
      c.chars.fill(null);
    } else slow(x, y, w, h);
  };
}

/** Flat samples a chart may go without a redraw. A redraw of the big layout's charts costs
 *  more than the rest of an idle tick's paint together: at 8, the filling charts' redraws
 *  were about a third of an idle dashboard's CPU. */
export const HOLD_POINTS = 16;

/** What a widget last drew: its head (everything that sets its frame and axes but the
 *  points), the points' numbers, each series' newest value, and, once the ring is full (it then
 *  drops a point a tick), the buckets' size and number and each series' peak in the first one. */
export interface Drawn {
  head: string;
  generation: number;
  first: number;
  end: number;
  last: readonly number[];
  full: { per: number; span: number; edge: readonly number[] } | null;
}

const same = (a: number, b: number): boolean => a === b || (Number.isNaN(a) && Number.isNaN(b));

/** Whether a chart drawn as `drawn` may stay as it is: the same head, fewer than HOLD_POINTS
 *  new points, each series' new points its newest drawn value (nothing on the chart but the
 *  lines' length would change); and points dropped only from a full ring, within the same
 *  column, with the first column's peak still there. Reads only the new points (and the first
 *  column's, at most a bucket). */
export function holds(drawn: Drawn, head: string, r: PointReader, keys: readonly string[]): boolean {
  if (drawn.head !== head || drawn.generation !== r.generation) return false;
  if (r.end < drawn.end || r.end - drawn.end >= HOLD_POINTS || r.first < drawn.first) return false;
  if (r.first !== drawn.first) {
    const f = drawn.full;
    if (f === null) return false;
    const lastB = Math.floor((r.end - 1) / f.per);
    if (lastB !== Math.floor((drawn.end - 1) / f.per)) return false;
    const b = lastB - f.span + 1;
    for (let k = 0; k < keys.length; k++) {
      if (!same(bucketPeak(r, keys[k] ?? '', b, f.per), f.edge[k] ?? NaN)) return false;
    }
  }
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k] ?? '',
      flat = drawn.last[k] ?? NaN;
    for (let no = drawn.end; no < r.end; no++) if (!same(r.valueAt(key, no), flat)) return false;
  }
  return true;
}

/** The largest value of bucket `b` (points b·per … b·per+per-1) among the points held, as
 *  anchoredBuckets takes it (NaN: none). */
function bucketPeak(r: PointReader, key: string, b: number, per: number): number {
  let m = NaN;
  for (let no = Math.max(r.first, b * per); no < Math.min(r.end, (b + 1) * per); no++) {
    const x = r.valueAt(key, no);
    if (!Number.isNaN(x) && !(x <= m)) m = x;
  }
  return m;
}

export class ChartPool {
  private readonly widgets: any[] = [];
  private readonly sizes: string[] = [];
  /** What each widget last drew: all of it as one string (a redraw that would change nothing
   *  is skipped), and its head and points (a chart whose lines only went on flat is held). */
  private readonly keys: string[] = [];
  private readonly drawnAs: (Drawn | undefined)[] = [];

  constructor(private readonly screen: Widgets.Screen) {}

  private widget(i: number, r: ChartRect): any {
    const size = `${r.width}x${r.height}`;
    let w = this.widgets[i];
    // A contrib canvas takes its size when attached: a new size needs a new widget.
    if (w && this.sizes[i] !== size) {
      w.destroy();
      w = undefined;
    }
    if (!w) {
      const opts: any = {
        top: r.top,
        left: r.left,
        width: r.width,
        height: r.height,
        tags: true,
        border: { type: 'line' },
        style: { line: 'yellow', text: 'white', baseline: 'white', border: { fg: 'gray' } },
        xLabelPadding: 3,
        xPadding: 5,
        showLegend: false,
        wholeNumbersOnly: false,
        minY: 0,
        label: ' ',
      };
      w = contrib.line(opts);
      // Appended after construction: the canvas is made on 'attach', which a parent given in
      // the options fires before the listener exists.
      this.screen.append(w);
      // The canvas exists once attached: its frames then come in colour runs.
      if (w.ctx?._canvas) {
        w.ctx._canvas.frame = runLengthFrame;
        fastClear(w.ctx);
      }
      this.widgets[i] = w;
      this.sizes[i] = size;
    }
    w.top = r.top;
    w.left = r.left;
    if (w.hidden) w.show();
    return w;
  }

  /** The widgets the last draw() gave new data (to render alone when nothing else moved). */
  readonly redrawn: { render(): void }[] = [];

  /** Draw each chart in its rectangle; hide the widgets left over. Returns true when a widget
   *  was made, moved, shown or hidden (the screen needs a full render), false when only the
   *  charts' contents changed. */
  draw(charts: readonly { rect: ChartRect; data: ChartData }[]): boolean {
    let moved = false;
    this.redrawn.length = 0;
    charts.forEach(({ rect, data }, i) => {
      const before = this.widgets[i];
      const wasHidden = before === undefined || before.hidden === true;
      const at = before === undefined ? '' : `${String(before.position?.top)},${String(before.position?.left)}`;
      const w = this.widget(i, rect);
      if (w !== before || wasHidden || at !== `${rect.top},${rect.left}`) moved = true;
      this.redrawn.push(w);
      const r = data.reader;
      const keys = data.chart.series.map((x) => x.key);
      // Braille cells: two dots a column; the y labels take about 10 dots.
      const buckets = Math.max(2, rect.width * 2 - 24);
      // Buckets of `per` points anchored to the points' numbers, `per` the smallest power of two
      // that fits the points held into the width: a new point changes only the last bucket, the
      // chart moves one column every `per` points, and `per` doubles only as the history fills
      // (a fresh chart is not squeezed into a corner of a 15-minute axis).
      const held = r.end - r.first;
      let per = 1;
      while (per * buckets < held) per *= 2;
      // Until the points fill the width, the axis is the next power of two of them (at least
      // 16 slots): the line takes half the width or more and is laid out anew only at a power of two.
      let slots = 16;
      while (slots < held && slots < buckets) slots *= 2;
      slots = Math.min(slots, buckets);
      const numY = Math.max(2, Math.min(5, Math.floor((rect.height - 4) / 2)));
      const xSlots = per > 1 ? buckets : slots;
      const head = [
        data.chart.id,
        data.chart.title,
        data.chart.pinned,
        data.selected,
        keys.join(','),
        data.capacity,
        numY,
        xSlots,
        per,
      ].join('|');
      const last = this.drawnAs[i];
      // Lines that only went on flat (every new point the newest drawn value, the scale and the
      // axis as they were) are held until HOLD_POINTS points have come: nothing on the chart but
      // their length would change, and a blessed-contrib redraw (canvas, text, blessed's parse)
      // every tick was about 0.4 % of a core on an idle dashboard. Only the new points are read.
      if (w === before && !wasHidden && last !== undefined && holds(last, head, r, keys)) {
        this.redrawn.pop();
        return;
      }
      // A full ring drops a point a tick: a fixed number of buckets, so the line moves a column
      // only when a new bucket starts (the first one, losing points, has no time of its own).
      const full = held >= data.capacity;
      const span = full ? Math.min(buckets, Math.floor((data.capacity - 1) / per) + 1) : buckets;
      this.drawnAs[i] = {
        head,
        generation: r.generation,
        first: r.first,
        end: r.end,
        last: keys.map((k) => r.valueAt(k, r.end - 1)),
        full: full ? { per, span, edge: keys.map((k) => bucketPeak(r, k, Math.floor((r.end - 1) / per) - span + 1, per)) } : null,
      };
      const all = keys.map((k) => {
        const p = r.points(k);
        return anchoredBuckets(p.first, p.t, p.v, per, span);
      });
      // Many series (TCP states): only those that are above zero somewhere on the chart.
      const liveAt = all.length > 3 ? all.flatMap((d, k) => (d.v.some((v) => v > 0) ? [k] : [])) : [];
      const shown = liveAt.length > 0 ? liveAt : all.length > 3 ? [0] : all.map((_, k) => k);
      const drawn = shown.map((k) => all[k] ?? { t: [], v: [] });
      let peak = 0;
      for (const d of drawn) for (const v of d.v) if (v > peak) peak = v;
      const sc = chartScale(data.chart.unit, peak);
      const top = sc.max / sc.divisor;
      const times = drawn.reduce((a, d) => (d.t.length > a.length ? d.t : a), [] as number[]);
      if (full && times.length > 0) times[0] = NaN;
      // A fixed number of x slots (blank labels past the newest point; drawille writes an
      // empty string as "null"), so a point keeps its column as new ones arrive.
      const x = [
        ...times.map((t) => (Number.isNaN(t) ? ' ' : clockTime(t))),
        ...new Array<string>(Math.max(0, xSlots - times.length)).fill(' '),
      ];
      const labels = shown.map((k) => data.chart.series[k]?.label ?? '');
      const series = drawn.map((d, k) => {
        const pad = times.length - d.v.length;
        const y = [...new Array<number>(Math.max(0, pad)).fill(0), ...d.v.map((v) => v / sc.divisor)];
        return { title: labels[k] ?? '', x, y: y.length > 0 ? y : [0], style: { line: COLOURS[k % COLOURS.length] } };
      });
      const label = chartLabel(data, labels, sc.unit, top, rect.width - 4);
      // Nothing drawn would change (a bucket's peak held, no new column, so no new time label):
      // leave the widget as it is (no canvas work, no render).
      const key = `${label}|${numY}|${times.length > 0 ? `${times[0] ?? ''}-${times[times.length - 1] ?? ''}-${times.length}` : ''}|${series.map((s) => s.y.join(',')).join(';')}`;
      if (this.keys[i] === key && w === before && !wasHidden) {
        this.redrawn.pop();
        return;
      }
      this.keys[i] = key;
      w.options.maxY = top;
      w.options.numYLabels = numY;
      // Time labels every so many slots of the whole axis (blessed-contrib counts them against
      // the points drawn, which would crowd them while the axis is still filling).
      const fit = Math.max(1, Math.floor((rect.width - 8) / 10));
      w.options.showNthLabel = Math.max(1, Math.ceil(x.length / fit));
      w.setLabel(label);
      w.setData(series.length > 0 ? series : [{ title: '', x, y: [0] }]);
    });
    for (let i = charts.length; i < this.widgets.length; i++) {
      if (!this.widgets[i].hidden) {
        this.widgets[i].hide();
        moved = true;
      }
    }
    return moved;
  }

  hideAll(): boolean {
    let changed = false;
    for (const w of this.widgets) {
      if (!w.hidden) {
        w.hide();
        changed = true;
      }
    }
    return changed;
  }

  /** Bring the charts above the panes' boxes (after an overlay went to the front, behind it). */
  get count(): number {
    return this.widgets.length;
  }
}
