// Unicode or plain ASCII on screen. The views draw with a few Unicode glyphs (ellipsis, sort
// arrows, sparklines, box lines); in ASCII mode (--ascii, or a locale that is not UTF-8) every
// line is passed through toAscii just before it goes to blessed: one character for one, so
// the column layout holds.

/** True when the locale's character set is UTF-8 (LC_ALL, then LC_CTYPE, then LANG). */
export { localeIsUtf8 } from '../text/eight-bit.js';

const ASCII: Readonly<Record<string, string>> = {
  '…': '~',
  '↑': '^',
  '↓': 'v',
  '→': '>',
  '←': '<',
  Δ: 'd',
  '·': '.',
  '─': '-',
  '│': '|',
  '┌': '+',
  '┐': '+',
  '└': '+',
  '┘': '+',
  '▁': '_',
  '▂': '.',
  '▃': ',',
  '▄': '-',
  '▅': '=',
  '▆': '+',
  '▇': '*',
  '█': '#',
};

/** Known glyphs to their ASCII stand-ins; any other non-ASCII character to '?'. */
export function toAscii(s: string): string {
  // eslint-disable-next-line no-control-regex
  return /^[\x00-\x7f]*$/.test(s) ? s : s.replace(/[^\x00-\x7f]/gu, (ch) => ASCII[ch] ?? '?');
}

export interface BoxChars {
  h: string;
  v: string;
  tl: string;
  tr: string;
  bl: string;
  br: string;
}

export const BOX: BoxChars = { h: '─', v: '│', tl: '┌', tr: '┐', bl: '└', br: '┘' };
