// Turning the store's rows into tagged blessed lines. Every outside string passes through
// tagSafe here (the store already made it printable), so no name can open a tag.
import { tagSafe } from '../escape.js';
import type { ViewRow } from '../columns.js';

/** One list row: cursor row inverse, new green, changed yellow, closed red, quiet grey, hot cells bold red. */
export function rowLine(r: ViewRow, width: number): string {
  let body = '';
  for (const c of r.cells) {
    const t = tagSafe(c.text);
    body += c.hot ? `{red-fg}{bold}${t}{/bold}{/red-fg}` : t;
  }
  const padLen = Math.max(0, width - r.text.length);
  if (r.selected) body += ' '.repeat(padLen);
  const color =
    r.status === 'new' ? 'green-fg' : r.status === 'changed' ? 'yellow-fg' : r.status === 'closed' ? 'red-fg' : r.dim ? 'gray-fg' : null;
  if (color) body = `{${color}}${body}{/${color}}`;
  if (r.selected) body = `{inverse}${body}{/inverse}`;
  return body;
}

/** Plain text line, cut and made tag-safe. */
export function textLine(s: string, width: number, style?: string): string {
  const t = tagSafe(s.length > width ? s.slice(0, Math.max(0, width)) : s);
  return style ? `{${style}}${t}{/${style}}` : t;
}

/** A pane's title row: inverse when focused. */
export function titleLine(num: number, title: string, info: string, focused: boolean, width: number): string {
  let t = ` ${num} ${title}${info ? '  ' + info : ''}`;
  if (t.length > width) t = t.slice(0, Math.max(0, width));
  const body = tagSafe(t.padEnd(width));
  return focused ? `{inverse}{bold}${body}{/bold}{/inverse}` : `{bold}{blue-fg}${body}{/blue-fg}{/bold}`;
}
