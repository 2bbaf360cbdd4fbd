// Rows as views get them, and the column layout that makes them: fixed-width cells, the
// last left-aligned column taking the rest of the line, endpoints cut keeping the port.
import type { RowStatus } from './frame.js';

export interface Cell {
  text: string;
  /** Worth the eye: nonzero error/drop delta, a moving retransmit ratio, a state change. */
  hot?: boolean;
}

export interface ViewRow {
  key: string;
  /** Printable (control characters escaped), cut to the width; tags NOT escaped yet. */
  text: string;
  cells: readonly Cell[];
  status: RowStatus;
  selected: boolean;
  dim: boolean;
}

/** A row before the store adds its key and whether the cursor is on it. */
export type RowBody = Omit<ViewRow, 'key' | 'selected'>;

export interface PaneRows {
  /** Column header (printable, cut to width), or '' when the pane has none. */
  header: string;
  rows: ViewRow[];
  /** Rows after filtering, of which `rows` is the window. */
  total: number;
  offset: number;
  /** Shown instead of rows when there is nothing to list. */
  message: string | null;
}

export interface Col<T> {
  title: string;
  width: number;
  align: 'left' | 'right';
  /** Value already printable. */
  value: (row: T) => string;
  hot?: (row: T) => boolean;
}

export function pad(s: string, n: number, align: 'left' | 'right'): string {
  // A cut name says so; numbers are made to fit before they get here.
  if (s.length > n) return align === 'left' && n > 1 ? s.slice(0, n - 1) + '…' : s.slice(0, n);
  return align === 'left' ? s.padEnd(n) : s.padStart(n);
}

export function layoutRow<T>(cols: readonly Col<T>[], row: T, width: number): { text: string; cells: Cell[] } {
  const cells: Cell[] = [];
  let text = '';
  for (let i = 0; i < cols.length && text.length < width; i++) {
    const c = cols[i];
    if (!c) continue;
    // The last left-aligned column takes the rest of the line (paths, program names).
    const rest = i === cols.length - 1 && c.align === 'left';
    let t = (i > 0 ? ' ' : '') + (rest ? c.value(row) : pad(c.value(row), c.width, c.align));
    if (text.length + t.length > width) t = t.slice(0, Math.max(0, width - text.length - 1)) + '…';
    text += t;
    const cell: Cell = { text: t };
    if (c.hot?.(row)) cell.hot = true;
    cells.push(cell);
  }
  return { text, cells };
}

export function layoutHeader<T>(cols: readonly Col<T>[], width: number): string {
  const h = cols
    .map((c, i) => (i > 0 ? ' ' : '') + (i === cols.length - 1 && c.align === 'left' ? c.title : pad(c.title, c.width, c.align)))
    .join('');
  return h.trimEnd().slice(0, width);
}

/** A one-cell row (events, messages). */
export function plainRow(text: string, width: number, status: RowStatus = null, dim = false): RowBody {
  const t = text.length > width ? text.slice(0, Math.max(0, width - 1)) + '…' : text;
  return { text: t, cells: [{ text: t }], status, dim };
}

/** A columned row with its status. */
export function colRow<T>(cols: readonly Col<T>[], row: T, width: number, status: RowStatus = null, dim = false): RowBody {
  const { text, cells } = layoutRow(cols, row, width);
  return { text, cells, status, dim };
}

/** Endpoint text cut to w, keeping the port: the port tells more than the host's tail. */
export function fitEndpoint(ep: string, w: number): string {
  if (ep.length <= w) return ep;
  const c = ep.lastIndexOf(':');
  const port = c >= 0 ? ep.slice(c) : '';
  const hostW = w - port.length - 1;
  return hostW < 2 ? ep.slice(0, w) : ep.slice(0, hostW) + '…' + port;
}
