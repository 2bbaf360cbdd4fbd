// History for the graphs: one ring buffer per series, sized by time (HISTORY_WINDOW_MS at the
// current interval), in typed arrays, so its memory has a fixed bound whatever the interval or
// the run's length: at most MAX_SERIES series of at most MAX_POINTS points (4 bytes each) and
// one shared time column (8 bytes a point). Pure: values are pushed in, nothing is read here.

/** How far back the graphs reach: 15 minutes at the current interval. */
export const HISTORY_WINDOW_MS = 15 * 60_000;
/** Points per series at most: 15 minutes at the shortest interval (0.2 s). */
export const MAX_POINTS = 4500;
/** Series kept at most (default charts and pins together). */
export const MAX_SERIES = 256;
/** The bound on the buffers' memory, in bytes: MAX_SERIES × MAX_POINTS × 4 (Float32) plus the
 *  time column, MAX_POINTS × 8 (Float64). 4,644,000 bytes, about 4.4 MiB. */
export const HISTORY_BOUND_BYTES = MAX_SERIES * MAX_POINTS * 4 + MAX_POINTS * 8;

/** Ring capacity for a window at an interval: at least 2 points, at most MAX_POINTS. */
export function capacityFor(windowMs: number, intervalMs: number): number {
  if (!(windowMs > 0) || !(intervalMs > 0)) return MAX_POINTS;
  return Math.max(2, Math.min(MAX_POINTS, Math.ceil(windowMs / intervalMs)));
}

/** One series read back, oldest first: times (ms) and values (NaN: no value that tick). */
export interface SeriesPoints {
  t: Float64Array;
  v: Float32Array;
  /** The number of the first point: points pushed since the start before it (charts anchor
   *  their buckets to it, so a new point changes only the last bucket). */
  first: number;
}

export class History {
  private cap: number;
  private times: Float64Array;
  /** Slot the next point goes in. */
  private head = 0;
  private len = 0;
  /** Points pushed since the start (or the last clear). */
  private pushed = 0;
  /** Counts the renumberings of the points (a clear, a new interval): readers compare it. */
  private gen = 0;
  private readonly series = new Map<string, Float32Array>();

  /** windowMs: Infinity keeps MAX_POINTS points (a replay: the whole recording up to that). */
  constructor(
    private windowMs: number = HISTORY_WINDOW_MS,
    intervalMs = 2000,
  ) {
    this.cap = capacityFor(windowMs, intervalMs);
    this.times = new Float64Array(this.cap);
  }

  get capacity(): number {
    return this.cap;
  }

  get length(): number {
    return this.len;
  }

  get generation(): number {
    return this.gen;
  }

  /** The series being recorded. */
  keys(): IterableIterator<string> {
    return this.series.keys();
  }

  has(key: string): boolean {
    return this.series.has(key);
  }

  get size(): number {
    return this.series.size;
  }

  /** Start recording a series (its past reads as NaN); false when MAX_SERIES are recorded. */
  track(key: string): boolean {
    if (this.series.has(key)) return true;
    if (this.series.size >= MAX_SERIES) return false;
    this.series.set(key, new Float32Array(this.cap).fill(NaN));
    return true;
  }

  untrack(key: string): void {
    this.series.delete(key);
  }

  /** The interval changed: the ring is resized to the window at the new interval, keeping
   *  the newest points. */
  setInterval(intervalMs: number): void {
    const cap = capacityFor(this.windowMs, intervalMs);
    if (cap === this.cap) return;
    const keep = Math.min(this.len, cap);
    const start = (this.head - keep + this.cap) % this.cap;
    const move = <A extends Float64Array | Float32Array>(old: A, fresh: A): A => {
      for (let i = 0; i < keep; i++) fresh[i] = old[(start + i) % this.cap] ?? NaN;
      return fresh;
    };
    this.times = move(this.times, new Float64Array(cap));
    for (const [k, arr] of this.series) this.series.set(k, move(arr, new Float32Array(cap).fill(NaN)));
    this.cap = cap;
    this.gen++;
    this.len = keep;
    this.head = keep % cap;
  }

  /** One tick: its time and each recorded series' value (null or undefined: none). */
  push(time: number, value: (key: string) => number | null | undefined): void {
    const i = this.head;
    this.times[i] = time;
    for (const [k, arr] of this.series) {
      const v = value(k);
      arr[i] = v === null || v === undefined || !Number.isFinite(v) ? NaN : v;
    }
    this.head = (i + 1) % this.cap;
    if (this.len < this.cap) this.len++;
    this.pushed++;
  }

  /** Forget every point (a replay restarting); the series stay recorded. */
  clear(): void {
    this.gen++;
    this.len = 0;
    this.head = 0;
    this.pushed = 0;
  }

  /** The numbers of the points held up to time `until` (inclusive): [first, end). */
  span(until = Infinity): { first: number; end: number } {
    let n = this.len;
    const start = (this.head - this.len + this.cap) % this.cap;
    while (n > 0 && (this.times[(start + n - 1) % this.cap] ?? 0) > until) n--;
    const first = this.pushed - this.len;
    return { first, end: first + n };
  }

  /** A series' value at point number `no` (NaN: none, not held, or the series not recorded).
   *  Reads one point: a chart that may be held looks at its new points only. */
  valueAt(key: string, no: number): number {
    const arr = this.series.get(key);
    const age = this.pushed - 1 - no;
    if (!arr || age < 0 || age >= this.len) return NaN;
    return arr[(this.head - 1 - age + this.cap) % this.cap] ?? NaN;
  }

  /** A series' points up to time `until` (inclusive), oldest first; null when not recorded. */
  points(key: string, until = Infinity): SeriesPoints | null {
    const arr = this.series.get(key);
    if (!arr) return null;
    const { first, end } = this.span(until);
    const n = end - first;
    const start = (this.head - this.len + this.cap) % this.cap;
    const t = new Float64Array(n),
      v = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const j = (start + i) % this.cap;
      t[i] = this.times[j] ?? NaN;
      v[i] = arr[j] ?? NaN;
    }
    return { t, v, first };
  }

  /** Bytes held by the buffers (what HISTORY_BOUND_BYTES bounds). */
  byteLength(): number {
    let n = this.times.byteLength;
    for (const arr of this.series.values()) n += arr.byteLength;
    return n;
  }
}
