// A table written as its changes against the same table one sample earlier: the rows that
// stayed as they were are runs copied from the previous table ([start, length]), a row that
// changed in a few fields is a patch of its previous self ([index, {field: value}]), any other
// row is written whole ({r: row}). Order is kept exactly, so a replay rebuilds the very table
// that was read, and copied rows are the previous sample's objects (no second copy in memory).
// At 50k steady sockets a tick is a few copy runs instead of ~11 MB of rows.

export type DeltaOp = [number, number] | [number, Record<string, unknown>] | { r: unknown };

/** Equal as JSON would write them (plain data: objects, arrays, strings, numbers, booleans, null).
 *  `key`: the property name the two are under, which JSON.stringify hands to toJSON. */
export function sameJson(a: unknown, b: unknown, key = ''): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  // An object that writes itself through toJSON (tcp_info read lazily from its netlink message)
  // is compared as it is written, not by its own fields (a buffer and an offset).
  const ja = (a as { toJSON?: unknown }).toJSON,
    jb = (b as { toJSON?: unknown }).toJSON;
  if (typeof ja === 'function' || typeof jb === 'function') {
    return sameJson(
      typeof ja === 'function' ? (ja as (k: string) => unknown).call(a, key) : a,
      typeof jb === 'function' ? (jb as (k: string) => unknown).call(b, key) : b,
    );
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i], String(i))) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>,
    y = b as Record<string, unknown>;
  const keys = Object.keys(x);
  if (keys.length !== Object.keys(y).length) return false;
  for (const k of keys) if (!(k in y) || !sameJson(x[k], y[k], k)) return false;
  return true;
}

function isPlain(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The fields of `row` that differ from `old`, when both are objects with the same fields. */
function patchOf(old: unknown, row: unknown): Record<string, unknown> | null {
  if (!isPlain(old) || !isPlain(row)) return null;
  const keys = Object.keys(row);
  if (keys.length !== Object.keys(old).length) return null;
  const patch: Record<string, unknown> = {};
  let n = 0;
  for (const k of keys) {
    if (!(k in old)) return null;
    if (!sameJson(old[k], row[k], k)) {
      patch[k] = row[k];
      n++;
    }
  }
  // More than half changed: the whole row is as short and simpler to read.
  return n * 2 > keys.length ? null : patch;
}

/** Identity of a row within its table, for finding its previous self. */
export type RowKey = (row: unknown) => string;

/** Key → first index of the rows. */
export function indexRows(rows: readonly unknown[], key: RowKey): Map<string, number> {
  const index = new Map<string, number>();
  for (let j = 0; j < rows.length; j++) {
    const k = key(rows[j]);
    if (!index.has(k)) index.set(k, j);
  }
  return index;
}

/** `next` as changes against `prev`. Rows that go on where the previous row left off in `prev`
 *  (the common case: a steady table is one run) are not looked up; `prevIndex` (indexRows of
 *  prev, made when first needed and kept by the caller) finds the others. */
export function listDelta(
  prev: readonly unknown[],
  prevIndex: () => ReadonlyMap<string, number>,
  next: readonly unknown[],
  key: RowKey,
): DeltaOp[] {
  const ops: DeltaOp[] = [];
  let runStart = 0,
    runLen = 0;
  for (let j = 0; j < next.length; j++) {
    const row = next[j];
    if (runLen === 0 && j < prev.length && prev[j] === row) {
      runStart = j;
      runLen = 1;
      continue;
    }
    if (runLen > 0) {
      const p = runStart + runLen;
      if (p < prev.length && (prev[p] === row || sameJson(prev[p], row))) {
        runLen++;
        continue;
      }
      ops.push([runStart, runLen]);
      runLen = 0;
    }
    const k = key(row);
    const i = prevIndex().get(k);
    if (i !== undefined) {
      const old = prev[i];
      if (old === row || sameJson(old, row)) {
        runStart = i;
        runLen = 1;
        continue;
      }
      const patch = patchOf(old, row);
      if (patch !== null) {
        ops.push([i, patch]);
        continue;
      }
    }
    ops.push({ r: row });
  }
  if (runLen > 0) ops.push([runStart, runLen]);
  return ops;
}

/** The table that `ops` make from `prev`, or why they cannot apply (a damaged line). */
export function applyDelta(prev: readonly unknown[], ops: unknown): unknown[] | string {
  if (!Array.isArray(ops)) return 'changes are not a list';
  const out: unknown[] = [];
  for (const op of ops) {
    if (Array.isArray(op) && op.length === 2 && Number.isInteger(op[0]) && (op[0] as number) >= 0) {
      const at = op[0] as number;
      const b: unknown = op[1];
      if (typeof b === 'number') {
        if (!Number.isInteger(b) || b < 1 || at + b > prev.length) return `a copy of rows ${at}+${String(b)} of ${prev.length}`;
        for (let i = at; i < at + b; i++) out.push(prev[i]);
        continue;
      }
      const old = prev[at];
      if (isPlain(b) && isPlain(old)) {
        out.push({ ...old, ...b });
        continue;
      }
      return `a change of row ${at} of ${prev.length} that is not there`;
    }
    if (isPlain(op) && 'r' in op) {
      out.push(op['r']);
      continue;
    }
    return 'an unknown change';
  }
  return out;
}
