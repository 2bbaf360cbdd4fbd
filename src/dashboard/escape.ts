// Outside strings (socket paths, program names, interface and host names, service names)
// made safe for the terminal and for blessed's tag parser. Pure: no blessed import, so the
// store can use it; `tagSafe` does exactly what blessed.escape does ('{' → '{open}').

/** Characters that would move the cursor, change colours, ring the bell, reorder text
 *  or hide text: C0 (incl. ESC, BEL, CR, BS, TAB, LF), DEL, C1 (0x80–0x9f), the Unicode
 *  line/paragraph separators, zero-width and bidirectional controls, and lone surrogates.
 *  The backslash is included so that an escaped byte and a literal "\x1b" in a name differ. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\x00-\x1f\x7f-\x9f\\\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const NAMED: Record<string, string> = {
  '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\x1b': '\\x1b', '\x07': '\\x07', '\b': '\\x08',
};

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}

/** Every unsafe character shown visibly: ESC → \x1b, CR → \r, U+202E → \u202e. Width-
 *  preserving for everything else, so column layout can be done on the result. */
export function printable(s: string): string {
  if (!UNSAFE.test(s)) return s;
  UNSAFE.lastIndex = 0;
  return s.replace(UNSAFE, (ch) => {
    const named = NAMED[ch];
    if (named !== undefined) return named;
    const c = ch.charCodeAt(0);
    return c <= 0xff ? `\\x${hex2(c)}` : `\\u${c.toString(16).padStart(4, '0')}`;
  });
}

/** blessed's own tag escape: '{' and '}' become the {open} and {close} tags. */
export function tagSafe(s: string): string {
  return s.replace(/[{}]/g, (ch) => (ch === '{' ? '{open}' : '{close}'));
}

/** For text that goes straight into a tags-enabled blessed element. */
export function safeText(s: string): string {
  return tagSafe(printable(s));
}

/** Cut or pad to exactly n columns (the text is printable already). */
export function fit(s: string, n: number, align: 'left' | 'right' = 'left'): string {
  if (n <= 0) return '';
  if (s.length > n) return align === 'right' && n > 1 ? '…' + s.slice(s.length - n + 1) : s.slice(0, n);
  return align === 'left' ? s.padEnd(n) : s.padStart(n);
}

/** Cut to at most n columns. */
export function cut(s: string, n: number): string {
  return n <= 0 ? '' : s.length > n ? s.slice(0, n) : s;
}
