// The help overlay and the detail view of the row under the cursor, framed with box lines
// drawn as text (so ASCII mode can swap them), and cut to the room there is.
import { tagSafe } from '../escape.js';
import { BOX } from '../glyphs.js';
import { KEY_HELP } from '../keys.js';
import type { Store } from '../store.js';

/** Raw (untagged, printable) lines of the help overlay. */
export function helpText(): string[] {
  const keyW = Math.max(...KEY_HELP.map(([k]) => k.length)) + 2;
  return KEY_HELP.map(([k, what]) => `${k.padEnd(keyW)}${what}`);
}

/** Raw lines of the detail view, explanations wrapped to `width`. */
export function detailText(store: Store, width: number): string[] {
  return store.detailLines(width);
}

/**
 * A framed box of exactly w×h cells as tagged lines: a title in the top border, the body from
 * line `scroll`, and a hint in the bottom border when there is more than fits.
 */
export function framed(title: string, body: readonly string[], w: number, h: number, scroll = 0): string[] {
  if (w < 4 || h < 3) return [];
  const inner = w - 2;
  const room = h - 2;
  const first = Math.max(0, Math.min(scroll, Math.max(0, body.length - room)));
  const shown = body.slice(first, first + room);
  const cut = (s: string, n: number): string => (s.length > n ? s.slice(0, Math.max(0, n - 1)) + '…' : s);
  const edge = (label: string, l: string, r: string): string => {
    const t = label ? `${BOX.h} ${cut(label, inner - 3)} ` : '';
    return `{cyan-fg}${l}${tagSafe(t)}${BOX.h.repeat(Math.max(0, inner - t.length))}${r}{/cyan-fg}`;
  };
  const more = first + room < body.length ? `PgDn: more (${first + room}/${body.length})` : first > 0 ? 'PgUp: back' : '';
  const lines = [edge(title, BOX.tl, BOX.tr)];
  for (let i = 0; i < room; i++) {
    const t = cut(shown[i] ?? '', inner);
    lines.push(`{cyan-fg}${BOX.v}{/cyan-fg}${tagSafe(t.padEnd(inner))}{cyan-fg}${BOX.v}{/cyan-fg}`);
  }
  lines.push(edge(more, BOX.bl, BOX.br));
  return lines;
}
