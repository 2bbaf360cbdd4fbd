// The boxes on the screen and where they go. Geometry is a pure function of the terminal
// size and the UI state; paint() sets each box's place and content from the views. Boxes are
// plain tag-enabled boxes whose content is the visible lines: no list or table widgets.
import blessed from 'blessed';
import type { Widgets } from 'blessed';
import type { PaintResult, RenderTarget } from './redraw.js';
import type { Store } from './store.js';
import { PANES, type PaneId } from './ui-state.js';
import { paneLines, type PaneLinesInfo } from './views/panes.js';
import { CHART_MIN_H, CHART_MIN_W, ChartPool, historyReader, type ChartData, type ChartRect } from './chart-widgets.js';
import { footerLine, statusLine } from './views/status.js';
import { toAscii } from './glyphs.js';
import { detailText, framed, helpText } from './views/overlays.js';
import { sameValues } from './same-values.js';

/** A pane's lines as last painted, with what they were made from (Store.paneInputs). */
interface PaneMemo {
  inputs: readonly unknown[];
  width: number;
  height: number;
  focused: boolean;
  info: PaneLinesInfo;
}

export interface PaneRect {
  pane: PaneId;
  top: number;
  height: number;
  /** Column and width (the whole width unless the big layout puts panes side by side). */
  left: number;
  width: number;
}

export interface Geometry {
  status: boolean;
  footer: boolean;
  panes: PaneRect[];
}

/** The big layout from this size up: connections (with the TCP state counts), interfaces,
 *  ICMP types and routes all on screen, with the counters and the graphs. */
export const BIG_W = 160;
export const BIG_H = 48;

/** Panes the big layout always shows; any other focused pane takes the connections' place. */
const BIG_FIXED: readonly PaneId[] = ['interfaces', 'counters', 'icmp', 'routes', 'graphs'];

/** Where the panes go for a width×height terminal. Never negative, never overlapping. */
export function computeLayout(
  width: number,
  height: number,
  focus: PaneId,
  zoom: boolean,
  counts: { interfaces: number; counters: number; icmp?: number; routes?: number },
): Geometry {
  const H = Math.max(0, Math.floor(height));
  const W = Math.max(0, Math.floor(width));
  if (H <= 0 || W <= 0) return { status: false, footer: false, panes: [] };
  const status = H >= 1;
  const footer = H >= 4;
  const top = status ? 1 : 0;
  const body = H - top - (footer ? 1 : 0);
  if (body <= 0) return { status, footer, panes: [] };
  const full = (pane: PaneId, t: number, h: number): PaneRect => ({ pane, top: t, height: h, left: 0, width: W });
  if (zoom || body < 14) return { status, footer, panes: [full(focus, top, body)] };
  if (W >= BIG_W && H >= BIG_H) return { status, footer, panes: bigLayout(W, body, top, focus, counts) };
  const big: PaneId = focus === 'interfaces' || focus === 'counters' ? 'connections' : focus;
  // Title + header + rows for each small pane, but never more than about a third each.
  let ifH = Math.max(3, Math.min(counts.interfaces + 2, Math.floor(body * 0.3)));
  let ctH = Math.max(3, Math.min(counts.counters + 2, Math.floor(body * 0.3)));
  if (body - ifH - ctH < 6) ctH = 0;
  if (body - ifH - ctH < 6) ifH = 0;
  const bigH = body - ifH - ctH;
  const panes: PaneRect[] = [full(big, top, bigH)];
  if (ifH > 0) panes.push(full('interfaces', top + bigH, ifH));
  if (ctH > 0) panes.push(full('counters', top + bigH + ifH, ctH));
  return { status, footer, panes };
}

/** The big layout: interfaces across the bottom; above them on the left the connections (or
 *  the focused pane that has no place of its own) over the counters, on the right ICMP over
 *  routes over the graphs. Each pane gets what its rows need, within a share of the height;
 *  what is left goes to the connections and the graphs, so no part of the screen is blank. */
function bigLayout(
  W: number,
  body: number,
  top: number,
  focus: PaneId,
  counts: { interfaces: number; counters: number; icmp?: number; routes?: number },
): PaneRect[] {
  const main: PaneId = BIG_FIXED.includes(focus) ? 'connections' : focus;
  const ifH = Math.max(4, Math.min(counts.interfaces + 2, Math.floor(body * 0.25)));
  const upper = body - ifH;
  const leftW = Math.floor(W * 0.55);
  const rightW = W - leftW - 1;
  const ctH = Math.max(4, Math.min(counts.counters + 2, Math.floor(upper * 0.35)));
  const mainH = upper - ctH;
  const icH = Math.max(5, Math.min((counts.icmp ?? 10) + 2, Math.floor(upper * 0.35)));
  const rtH = Math.max(4, Math.min((counts.routes ?? 8) + 2, Math.floor(upper * 0.3)));
  const grH = upper - icH - rtH;
  const panes: PaneRect[] = [
    { pane: main, top, height: mainH, left: 0, width: leftW },
    { pane: 'counters', top: top + mainH, height: ctH, left: 0, width: leftW },
    { pane: 'icmp', top, height: icH, left: leftW + 1, width: rightW },
  ];
  if (grH >= 8) {
    panes.push({ pane: 'routes', top: top + icH, height: rtH, left: leftW + 1, width: rightW });
    panes.push({ pane: 'graphs', top: top + icH + rtH, height: grH, left: leftW + 1, width: rightW });
  } else {
    panes.push({ pane: 'routes', top: top + icH, height: upper - icH, left: leftW + 1, width: rightW });
  }
  panes.push({ pane: 'interfaces', top: top + upper, height: ifH, left: 0, width: W });
  return panes;
}

/** Put a box in place; true when anything about it changed. */
function place(el: Widgets.BoxElement, top: number, left: number, width: number, height: number): boolean {
  if (width <= 0 || height <= 0) return hide(el);
  const pos = el.position as unknown as Record<'top' | 'left' | 'width' | 'height', unknown>;
  const moved = el.hidden || pos.top !== top || pos.left !== left || pos.width !== width || pos.height !== height;
  if (!moved) return false;
  el.top = top;
  el.left = left;
  el.width = width;
  el.height = height;
  el.show();
  return true;
}

function hide(el: Widgets.BoxElement): boolean {
  if (el.hidden) return false;
  el.hide();
  return true;
}

export class Layout {
  private readonly status: Widgets.BoxElement;
  private readonly footer: Widgets.BoxElement;
  private readonly panes = new Map<PaneId, Widgets.BoxElement>();
  private readonly help: Widgets.BoxElement;
  private readonly detail: Widgets.BoxElement;
  /** The geometry of the last paint, for tests and the mouse. */
  last: Geometry = { status: false, footer: false, panes: [] };
  /** Per pane shown: the screen row of its first list row and the list index drawn there. */
  readonly rowsAt = new Map<PaneId, { line: number; offset: number; shown: number }>();
  /** Where each chart of the Graphs pane was drawn (its list index), for the mouse. */
  chartsAt: { rect: ChartRect; index: number }[] = [];
  private readonly charts: ChartPool;
  private chartSig = '';
  /** The last paint gave charts new data. */
  private chartsRedrawn = false;
  /** Per pane box: what its text was made from, when the pane can tell (see paneText). */
  private readonly memo = new Map<PaneId, PaneMemo>();
  /** Pane paints that found their lines made from the same inputs, and those that made them. */
  readonly paneStats = { kept: 0, made: 0 };

  /** The panes whose lines are remembered with their inputs (those on screen that can tell). */
  memoized(): PaneId[] {
    return [...this.memo.keys()];
  }

  /** ascii: every line through toAscii (--ascii, or a locale that is not UTF-8); style: the
   *  views' tags adapted to the terminal's colours (theme.ts). */
  constructor(
    private readonly screen: Widgets.Screen,
    private readonly ascii = false,
    private readonly style: (tagged: string) => string = (s) => s,
  ) {
    const box = (extra: Widgets.BoxOptions = {}): Widgets.BoxElement =>
      blessed.box({
        parent: screen,
        tags: true,
        wrap: false,
        top: 0,
        left: 0,
        width: 1,
        height: 1,
        hidden: true,
        ...extra,
      });
    this.status = box();
    this.footer = box();
    for (const p of PANES) this.panes.set(p, box());
    this.help = box();
    this.detail = box();
    this.charts = new ChartPool(screen);
  }

  /** Whether the last paint moved, showed, hid or raised a box. */
  private changed = false;
  /** The boxes whose text the last paint changed. */
  private readonly retexted = new Set<Widgets.BoxElement>();

  private set(el: Widgets.BoxElement, content: string): void {
    const text = this.style(this.ascii ? toAscii(content) : content);
    // setContent clears the box's region for a full redraw: only when there is something new.
    if (el.content === text) return;
    el.setContent(text);
    this.retexted.add(el);
  }

  /** The scheduler's render target: the screen, and a render of only the retexted boxes. */
  target(): RenderTarget {
    return {
      render: () => this.screen.render(),
      renderText: () => {
        // What Screen.render does for the boxes that changed: each lays its text into the
        // screen's cell buffer (marking the lines it alters), then only those lines are
        // written out. The boxes tile the screen, so none covers another.
        for (const el of this.retexted) el.render();
        // Charts redrawn in place tile their part of the pane, like the boxes.
        for (const w of this.charts.redrawn) w.render();
        this.screen.draw(0, (this.screen.height as number) - 1);
        this.screen.emit('render');
      },
    };
  }

  private place(el: Widgets.BoxElement, top: number, left: number, width: number, height: number): void {
    if (place(el, top, left, width, height)) this.changed = true;
  }

  private hide(el: Widgets.BoxElement): void {
    if (hide(el)) this.changed = true;
  }

  /** Put the store's state on the boxes. Cheap: only visible rows are formatted. Returns
   *  false when every box already showed exactly this, so the screen needs no render, and
   *  'text' when only the text of some boxes changed (see PaintResult). */
  paint(store: Store): PaintResult {
    this.changed = false;
    this.chartsRedrawn = false;
    this.retexted.clear();
    const W = Math.max(0, this.screen.width as number);
    const H = Math.max(0, this.screen.height as number);
    const s = store.state;
    const geo = computeLayout(W, H, s.focus, s.zoom, {
      interfaces: store.count('interfaces'),
      counters: store.count('counters'),
      icmp: store.count('icmp'),
      routes: store.count('routes'),
    });
    this.last = geo;
    if (geo.status) {
      this.place(this.status, 0, 0, W, 1);
      this.set(this.status, statusLine(store, W));
    } else this.hide(this.status);
    if (geo.footer) {
      this.place(this.footer, H - 1, 0, W, 1);
      this.set(this.footer, footerLine(store, W));
    } else this.hide(this.footer);
    const shown = new Set<PaneId>();
    this.rowsAt.clear();
    let charted = false;
    for (const r of geo.panes) {
      const el = this.panes.get(r.pane);
      if (!el) continue;
      shown.add(r.pane);
      if (r.pane === 'graphs' && !this.ascii && r.height >= CHART_MIN_H + 1 && r.width >= CHART_MIN_W) {
        // The title line in the box, the charts below it.
        this.memo.delete(r.pane);
        this.place(el, r.top, r.left, r.width, 1);
        this.set(el, paneLines(store, r.pane, r.width, 1, r.pane === s.focus).join('\n'));
        this.drawCharts(store, { top: r.top + 1, left: r.left, width: r.width, height: r.height - 1 });
        charted = true;
        continue;
      }
      this.place(el, r.top, r.left, r.width, r.height);
      const info = this.paneText(store, el, r, r.pane === s.focus);
      this.rowsAt.set(r.pane, { line: r.top + info.firstRow, offset: info.offset, shown: info.shown });
    }
    if (!charted) {
      this.chartsAt = [];
      this.chartSig = '';
      this.charts.redrawn.length = 0;
      if (this.charts.hideAll()) this.changed = true;
    }
    // A pane not on screen drops its memo: its inputs would keep an old table alive.
    for (const [p, el] of this.panes)
      if (!shown.has(p)) {
        this.hide(el);
        this.memo.delete(p);
      }

    const helpRoom = this.overlay(this.help, s.help, W, H, 'netdash keys  (? or Esc closes)', (w) => helpText(w), s.detailScroll);
    const helpOpen = helpRoom > 0;
    const room = this.overlay(
      this.detail,
      s.detail && !helpOpen,
      W,
      H,
      'Details  (Enter or Esc closes)',
      (w) => detailText(store, w),
      s.detailScroll,
    );
    // PgDn pages whichever overlay is open (the help's height was left out: it moved a line).
    store.setDetailHeight(helpOpen ? helpRoom : room);
    if (!this.changed && this.retexted.size === 0 && !this.chartsRedrawn) return false;
    // An open overlay covers panes: a pane drawn alone would draw over it.
    return this.changed || helpOpen || room > 0 ? true : 'text';
  }

  /** A pane's lines into its box. Formatted only when what they are made from changed: an idle
   *  tick hands the panes the same stats, tables and flags, and formatting the rows of every
   *  pane on screen anew was nearly half of an idle dashboard's paint. */
  private paneText(store: Store, el: Widgets.BoxElement, r: PaneRect, focused: boolean): PaneLinesInfo {
    const m = this.memo.get(r.pane);
    if (m && m.width === r.width && m.height === r.height && m.focused === focused && !el.hidden) {
      const now = store.paneInputs(r.pane);
      if (now !== null && sameValues(m.inputs, now)) {
        this.paneStats.kept++;
        return m.info;
      }
    }
    this.paneStats.made++;
    const info: PaneLinesInfo = { firstRow: 0, offset: 0, shown: 0 };
    this.set(el, paneLines(store, r.pane, r.width, r.height, focused, info).join('\n'));
    // Taken after the lines: the cursor and scroll they settled are in the UI state.
    const inputs = store.paneInputs(r.pane);
    if (inputs === null) this.memo.delete(r.pane);
    else this.memo.set(r.pane, { inputs, width: r.width, height: r.height, focused, info });
    return info;
  }

  /** The Graphs pane's charts in a grid filling `area`, a page of them around the cursor. */
  private drawCharts(store: Store, area: ChartRect): void {
    const s = store.state;
    const charts = store.charts();
    const cur = Math.max(0, store.cursorIndex('graphs'));
    const cols = Math.max(1, Math.min(3, Math.floor(area.width / 60), charts.length));
    const rowsFit = Math.max(1, Math.floor(area.height / CHART_MIN_H));
    const perPage = Math.max(1, cols * rowsFit);
    const first = Math.floor(cur / perPage) * perPage;
    const page = charts.slice(first, first + perPage);
    const rows = Math.max(1, Math.ceil(page.length / cols));
    const sample = store.frame.sample;
    const sig = [
      sample?.seq ?? 0,
      store.frame.id,
      cur,
      first,
      area.top,
      area.left,
      area.width,
      area.height,
      s.focus,
      page.map((c) => c.id).join(','),
    ].join('|');
    if (sig === this.chartSig) {
      this.charts.redrawn.length = 0;
      return;
    }
    this.chartSig = sig;
    this.chartsRedrawn = true;
    const placed: { rect: ChartRect; data: ChartData }[] = [];
    const reader = historyReader(store.history, sample?.time);
    this.chartsAt = [];
    page.forEach((chart, i) => {
      const row = Math.floor(i / cols),
        col = i % cols;
      const inRow = Math.min(cols, page.length - row * cols);
      const w = Math.floor(area.width / inRow);
      const h = Math.floor(area.height / rows);
      const rect = {
        top: area.top + row * h,
        left: area.left + col * w,
        width: col === inRow - 1 ? area.width - col * w : w,
        height: row === rows - 1 ? area.height - row * h : h,
      };
      placed.push({
        rect,
        data: { chart, reader, selected: first + i === cur && s.focus === 'graphs', capacity: store.history.capacity },
      });
      this.chartsAt.push({ rect, index: first + i });
    });
    if (this.charts.draw(placed)) this.changed = true;
  }

  /** What is at screen cell (x, y) as last painted: a pane, and the list row (or chart) there
   *  (null: its title or header). */
  hit(x: number, y: number): { pane: PaneId; index: number | null } | null {
    const r = this.last.panes.find((p) => x >= p.left && x < p.left + p.width && y >= p.top && y < p.top + p.height);
    if (!r) return null;
    if (r.pane === 'graphs' && this.chartsAt.length > 0) {
      const c = this.chartsAt.find(
        ({ rect }) => x >= rect.left && x < rect.left + rect.width && y >= rect.top && y < rect.top + rect.height,
      );
      return { pane: r.pane, index: c ? c.index : null };
    }
    const rows = this.rowsAt.get(r.pane);
    if (!rows || y < rows.line || y >= rows.line + rows.shown) return { pane: r.pane, index: null };
    return { pane: r.pane, index: rows.offset + (y - rows.line) };
  }

  /** Place a framed overlay in the middle; returns the body lines it had room for (0: closed). */
  private overlay(
    el: Widgets.BoxElement,
    open: boolean,
    W: number,
    H: number,
    title: string,
    body: (w: number) => string[],
    scroll: number,
  ): number {
    if (!open || W < 10 || H < 5) {
      this.hide(el);
      return 0;
    }
    const w = Math.min(W - 2, 100);
    const lines = body(w - 2);
    const h = Math.min(H - (H > 8 ? 2 : 0), lines.length + 2);
    this.place(el, Math.max(0, Math.floor((H - h) / 2)), Math.max(0, Math.floor((W - w) / 2)), w, h);
    this.set(el, framed(title, lines, w, h, scroll).join('\n'));
    if (this.screen.children[this.screen.children.length - 1] !== el) {
      el.setFront();
      this.changed = true;
    }
    return h - 2;
  }
}
