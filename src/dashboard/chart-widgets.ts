// The Graphs pane drawn with blessed-contrib line charts: a pool of contrib `line` widgets that
// layout places in the pane's rectangle. blessed-contrib has no usable typings, so its values
// stay `any` in this file (a blessed boundary file in test/tools/eslint.config.js).
import contrib from 'blessed-contrib';
import type { Widgets } from 'blessed';
import { printable, safeText, tagSafe } from './escape.js';
import { clockTime } from './format.js';
import { anchoredBuckets, axisNumber, chartScale, type ChartSpec } from './graphs.js';

/** What one chart draws: its spec and each series' points (oldest first). */
export interface ChartData {
  chart: ChartSpec;
  series: { label: string; t: ArrayLike<number>; v: ArrayLike<number>; first: number }[];
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
export function chartLabel(d: ChartData, unit: string, top: number, width: number): string {
  // A title carries outside names (an interface's, a connection's): escaped like every pane's text.
  let head = ` ${d.selected ? '▶ ' : ''}${printable(d.chart.title)}${d.chart.pinned ? ' *' : ''}  y: 0-${axisNumber(top)} ${unit} `;
  if (head.length > width) head = head.slice(0, Math.max(0, width - 1)) + ' ';
  let used = head.length;
  let legend = '';
  d.series.forEach((s, i) => {
    if (used + s.label.length + 1 > width) return;
    used += s.label.length + 1;
    legend += `{${COLOURS[i % COLOURS.length] ?? 'white'}-fg}${safeText(s.label)}{/} `;
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

/** Flat samples a chart may go without a redraw. */
export const HOLD_POINTS = 8;

/** Whether lines `ys` (one point per `per` samples) are those drawn (`last`) gone on flat by
 *  fewer than HOLD_POINTS samples, on the same label and axis. */
export function heldFlat(
  last: { head: string; ys: readonly (readonly number[])[] },
  head: string,
  ys: readonly (readonly number[])[],
  per = 1,
): boolean {
  if (last.head !== head || last.ys.length !== ys.length) return false;
  let grew = false;
  for (let k = 0; k < ys.length; k++) {
    const was = last.ys[k] ?? [],
      now = ys[k] ?? [];
    const added = now.length - was.length;
    if (added < 0 || added * per >= HOLD_POINTS || was.length === 0) return false;
    for (let j = 0; j < was.length; j++) if (now[j] !== was[j]) return false;
    const flat = was[was.length - 1];
    for (let j = was.length; j < now.length; j++) if (now[j] !== flat) return false;
    if (added > 0) grew = true;
  }
  // The same lengths with other times (the window moved on): the axis changed, redraw.
  return grew;
}

export class ChartPool {
  private readonly widgets: any[] = [];
  private readonly sizes: string[] = [];
  /** What each widget last drew. */
  private readonly keys: string[] = [];
  /** What each widget last drew: its label, axis and lines (to tell a flat extension). */
  private readonly drawnAs: ({ head: string; ys: number[][] } | undefined)[] = [];

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
      // Braille cells: two dots a column; the y labels take about 10 dots.
      const buckets = Math.max(2, rect.width * 2 - 24);
      let peak = 0;
      // Buckets of `per` points anchored to the points' numbers, `per` the smallest power of two
      // that fits the points held into the width: a new point changes only the last bucket, the
      // chart moves one column every `per` points, and `per` doubles only as the history fills
      // (a fresh chart is not squeezed into a corner of a 15-minute axis).
      const held = data.series.reduce((n, s) => Math.max(n, s.v.length), 0);
      let per = 1;
      while (per * buckets < held) per *= 2;
      // Until the points fill the width, the axis is the next power of two of them (at least
      // 16 slots): the line takes half the width or more and is laid out anew only at a power of two.
      let slots = 16;
      while (slots < held && slots < buckets) slots *= 2;
      slots = Math.min(slots, buckets);
      const drawn = data.series.map((s) => anchoredBuckets(s.first, s.t, s.v, per, buckets));
      for (const d of drawn) for (const v of d.v) if (v > peak) peak = v;
      const sc = chartScale(data.chart.unit, peak);
      const top = sc.max / sc.divisor;
      const times = drawn.reduce((a, d) => (d.t.length > a.length ? d.t : a), [] as number[]);
      // A fixed number of x slots (blank labels past the newest point; drawille writes an
      // empty string as "null"), so a point keeps its column as new ones arrive.
      const x = [
        ...times.map((t) => (Number.isNaN(t) ? ' ' : clockTime(t))),
        ...new Array<string>(Math.max(0, (per > 1 ? buckets : slots) - times.length)).fill(' '),
      ];
      const series = drawn.map((d, k) => {
        const pad = times.length - d.v.length;
        const y = [...new Array<number>(Math.max(0, pad)).fill(0), ...d.v.map((v) => v / sc.divisor)];
        return { title: data.series[k]?.label ?? '', x, y: y.length > 0 ? y : [0], style: { line: COLOURS[k % COLOURS.length] } };
      });
      const label = chartLabel(data, sc.unit, top, rect.width - 4);
      const numY = Math.max(2, Math.min(5, Math.floor((rect.height - 4) / 2)));
      // Nothing drawn would change: leave the widget as it is (no canvas work, no render).
      const key = `${label}|${numY}|${times.length > 0 ? `${times[0] ?? ''}-${times.length}` : ''}|${series.map((s) => s.y.join(',')).join(';')}`;
      if (this.keys[i] === key && w === before && !wasHidden) {
        this.redrawn.pop();
        return;
      }
      // Lines that only went on flat (every new point the last one's value, the scale and the
      // axis as they were) are held until HOLD_POINTS samples have come: nothing on the chart
      // but their length would change, and a blessed-contrib redraw (canvas, text, blessed's
      // parse) every tick or two was about 0.4 % of a core on an idle dashboard.
      const head = `${label}|${numY}|${x.length}`;
      const ys = series.map((s) => s.y);
      const last = this.drawnAs[i];
      if (w === before && !wasHidden && last !== undefined && heldFlat(last, head, ys, per)) {
        this.redrawn.pop();
        return;
      }
      this.drawnAs[i] = { head, ys };
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
