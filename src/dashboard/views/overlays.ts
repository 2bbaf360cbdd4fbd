// The help overlay and the detail view of the row under the cursor, framed with box lines
// drawn as text (so ASCII mode can swap them), and cut to the room there is.
import { tagSafe } from '../escape.js';
import { BOX } from '../glyphs.js';
import { KEY_HELP } from '../keys.js';
import type { Store } from '../store.js';

/** Words of `text` in lines of at most `width` columns (a word longer than that is cut). */
export function wrapWords(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line === '') line = word;
    else if (line.length + 1 + word.length <= width) line += ' ' + word;
    else {
      out.push(line);
      line = word;
    }
  }
  if (line !== '' || out.length === 0) out.push(line);
  return out.map((l) => (l.length > width ? l.slice(0, Math.max(0, width)) : l));
}

/** Raw (untagged, printable) lines of the help overlay, `width` columns wide at most: a long
 *  description goes on under itself rather than being cut. */
export function helpText(width = 100): string[] {
  const keyW = Math.max(...KEY_HELP.map(([k]) => k.length)) + 2;
  const room = Math.max(10, width - keyW);
  return KEY_HELP.flatMap(([k, what]) => wrapWords(what, room).map((l, i) => `${(i === 0 ? k : '').padEnd(keyW)}${l}`));
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
