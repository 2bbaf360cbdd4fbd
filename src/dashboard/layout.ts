// The boxes on the screen and where they go. Geometry is a pure function of the terminal
// size and the UI state; paint() sets each box's place and content from the views. Boxes are
// plain tag-enabled boxes whose content is the visible lines: no list or table widgets.
import blessed from 'blessed';
import type { Widgets } from 'blessed';
import type { PaintResult, RenderTarget } from './redraw.js';
import type { Store } from './store.js';
import { PANES, type PaneId } from './ui-state.js';
import { paneLines } from './views/panes.js';
import { footerLine, statusLine } from './views/status.js';
import { toAscii } from './glyphs.js';
import { detailText, framed, helpText } from './views/overlays.js';

export interface PaneRect {
  pane: PaneId;
  top: number;
  height: number;
}

export interface Geometry {
  status: boolean;
  footer: boolean;
  panes: PaneRect[];
}

/** Where the panes go for a width×height terminal. Never negative, never overlapping. */
export function computeLayout(width: number, height: number, focus: PaneId, zoom: boolean,
  counts: { interfaces: number; counters: number }): Geometry {
  const H = Math.max(0, Math.floor(height));
  if (H <= 0 || width <= 0) return { status: false, footer: false, panes: [] };
  const status = H >= 1;
  const footer = H >= 4;
  const top = status ? 1 : 0;
  const body = H - top - (footer ? 1 : 0);
  if (body <= 0) return { status, footer, panes: [] };
  if (zoom || body < 14) return { status, footer, panes: [{ pane: focus, top, height: body }] };
  const big: PaneId = focus === 'interfaces' || focus === 'counters' ? 'connections' : focus;
  // Title + header + rows for each small pane, but never more than about a third each.
  let ifH = Math.max(3, Math.min(counts.interfaces + 2, Math.floor(body * 0.3)));
  let ctH = Math.max(3, Math.min(counts.counters + 2, Math.floor(body * 0.3)));
  if (body - ifH - ctH < 6) ctH = 0;
  if (body - ifH - ctH < 6) ifH = 0;
  const bigH = body - ifH - ctH;
  const panes: PaneRect[] = [{ pane: big, top, height: bigH }];
  if (ifH > 0) panes.push({ pane: 'interfaces', top: top + bigH, height: ifH });
  if (ctH > 0) panes.push({ pane: 'counters', top: top + bigH + ifH, height: ctH });
  return { status, footer, panes };
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
  /** The geometry of the last paint, for tests. */
  last: Geometry = { status: false, footer: false, panes: [] };

  /** ascii: every line through toAscii (--ascii, or a locale that is not UTF-8); style: the
   *  views' tags adapted to the terminal's colours (theme.ts). */
  constructor(private readonly screen: Widgets.Screen, private readonly ascii = false,
    private readonly style: (tagged: string) => string = (s) => s) {
    const box = (extra: Widgets.BoxOptions = {}): Widgets.BoxElement => blessed.box({
      parent: screen, tags: true, wrap: false, top: 0, left: 0, width: 1, height: 1, hidden: true, ...extra,
    });
    this.status = box();
    this.footer = box();
    for (const p of PANES) this.panes.set(p, box());
    this.help = box();
    this.detail = box();
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
    this.retexted.clear();
    const W = Math.max(0, this.screen.width as number);
    const H = Math.max(0, this.screen.height as number);
    const s = store.state;
    const geo = computeLayout(W, H, s.focus, s.zoom, {
      interfaces: store.count('interfaces'), counters: store.count('counters'),
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
    for (const r of geo.panes) {
      const el = this.panes.get(r.pane);
      if (!el) continue;
      shown.add(r.pane);
      this.place(el, r.top, 0, W, r.height);
      this.set(el, paneLines(store, r.pane, W, r.height, r.pane === s.focus).join('\n'));
    }
    for (const [p, el] of this.panes) if (!shown.has(p)) this.hide(el);

    const helpRoom = this.overlay(this.help, s.help, W, H, 'netdash keys  (? or Esc closes)', (w) => helpText(w), s.detailScroll);
    const helpOpen = helpRoom > 0;
    const room = this.overlay(this.detail, s.detail && !helpOpen, W, H, 'Details  (Enter or Esc closes)', (w) => detailText(store, w), s.detailScroll);
    // PgDn pages whichever overlay is open (the help's height was left out: it moved a line).
    store.setDetailHeight(helpOpen ? helpRoom : room);
    if (!this.changed && this.retexted.size === 0) return false;
    // An open overlay covers panes: a pane drawn alone would draw over it.
    return this.changed || helpOpen || room > 0 ? true : 'text';
  }

  /** Place a framed overlay in the middle; returns the body lines it had room for (0: closed). */
  private overlay(el: Widgets.BoxElement, open: boolean, W: number, H: number, title: string,
    body: (w: number) => string[], scroll: number): number {
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
