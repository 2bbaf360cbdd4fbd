// printf-style padding, because netstat's layout is defined by its printf formats.

/** %-Ns: left-aligned, padded to at least n; never cut. */
export function left(s: string | number, n: number): string {
  return String(s).padEnd(n);
}

/** %Ns: right-aligned, padded to at least n; never cut. */
export function right(s: string | number, n: number): string {
  return String(s).padStart(n);
}

/** %2.2f */
export function fixed2(x: number): string {
  return x.toFixed(2);
}
