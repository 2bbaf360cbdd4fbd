// Outside strings (socket paths, program names, interface and host names, service names)
// made safe for the terminal and for blessed's tag parser. Pure: no blessed import, so the
// store can use it; `tagSafe` does exactly what blessed.escape does ('{' → '{open}').

// printable() lives in src/text/printable.ts so the printers and the recorder share it; it also
// shows bytes of invalid UTF-8 (carried as lone surrogates U+DC80..U+DCFF) as \xNN.
import { printable } from '../text/printable.js';

export { printable };

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
