// Whether two lists of inputs are the same, value by value (===): how the store and the
// layout tell that a list or a pane's lines would come out as they did.
export function sameValues(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Whether two flat records (a route, an interface's /sys values) hold the same values. */
export function sameRecord(a: object, b: object): boolean {
  if (a === b) return true;
  const x = a as Record<string, unknown>,
    y = b as Record<string, unknown>;
  let n = 0;
  for (const k in x) {
    if (x[k] !== y[k]) return false;
    n++;
  }
  for (const _k in y) n--;
  return n === 0;
}
