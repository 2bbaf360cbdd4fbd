// printf-style padding, because netstat's layout is defined by its printf formats.
import { ellipsize, printable } from '../text/printable.js';

/** %-Ns: left-aligned, padded to at least n; never cut. */
export function left(s: string | number | bigint, n: number): string {
  return String(s).padEnd(n);
}

/** %Ns: right-aligned, padded to at least n; never cut. */
export function right(s: string | number | bigint, n: number): string {
  return String(s).padStart(n);
}

/** %2.2f */
export function fixed2(x: number): string {
  return x.toFixed(2);
}

// Outside strings in text output. Every name that came from outside (socket paths, program,
// interface, user and host names) goes through one of these, so no control byte reaches the
// terminal raw; the escaped text is what gets measured and cut.

/** Names longer than this are cut with an ellipsis in columns netstat lets grow (User with -e,
 *  the masquerade hosts, a route's Iface), unless -W. Longer than any user or interface name
 *  in practice, so ordinary output stays netstat's byte for byte. */
export const LONG_NAME = 32;

/** A name shown whole (last column, JSON-free text): control characters escaped. */
export { printable as esc } from '../text/printable.js';

/** A name in a column netstat cuts at n: cut the same way, and where escaping made the text
 *  longer the cut is marked with an ellipsis (netstat never saw such text). */
export function cutName(raw: string, n: number): string {
  const p = printable(raw);
  if (p === raw) return raw.slice(0, n);
  return ellipsize(p, n);
}

/** A name in a column netstat lets grow: escaped, and cut with an ellipsis beyond LONG_NAME
 *  columns unless wide. */
export function longName(raw: string, wide: boolean): string {
  const p = printable(raw);
  return wide ? p : ellipsize(p, LONG_NAME);
}
