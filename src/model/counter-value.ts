// Kernel counters are 64-bit unsigned; a JavaScript number holds integers exactly only up to
// 2^53. A counter is therefore a number while it is at most Number.MAX_SAFE_INTEGER and a
// bigint beyond (a 100 Gb/s interface's byte counter passes 2^53 in about 8 days of traffic,
// and /proc files may say 18446744073709551615, -1 read as unsigned). Differences are taken
// exactly; JSON carries a number up to 2^53 and an exact decimal string beyond.

export type CounterValue = number | bigint;

/** A decimal integer from a kernel file ('-' allowed; the caller checked it is digits): a
 *  number when exactly representable, a bigint otherwise. */
export function exactCounter(text: string): CounterValue {
  // Up to 15 digits every value is a safe integer.
  if (text.length <= 15) return Number(text);
  // Not a plain decimal: NaN, as Number() would say (BigInt() would throw).
  if (!/^-?\d+$/.test(text)) return NaN;
  const b = BigInt(text);
  return b <= BigInt(Number.MAX_SAFE_INTEGER) && b >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
}

/** The value as a number (rounded beyond 2^53): for rates, ratios and sorting. */
export function counterNumber(v: CounterValue): number {
  return typeof v === 'bigint' ? Number(v) : v;
}

const big = (v: CounterValue): bigint => (typeof v === 'bigint' ? v : BigInt(Math.trunc(v)));
/** A bigint as a number when that is exact. */
const normal = (b: bigint): CounterValue => (b <= BigInt(Number.MAX_SAFE_INTEGER) && b >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b);

/** cur - prev, exactly: a number when it fits, a bigint otherwise. */
export function counterDiff(cur: CounterValue, prev: CounterValue): CounterValue {
  if (typeof cur === 'number' && typeof prev === 'number') {
    const d = cur - prev;
    if (Number.isSafeInteger(d) || !Number.isInteger(cur) || !Number.isInteger(prev)) return d;
  }
  return normal(big(cur) - big(prev));
}

/** a + b, exactly. */
export function counterSum(a: CounterValue, b: CounterValue): CounterValue {
  if (typeof a === 'number' && typeof b === 'number') {
    const s = a + b;
    if (Number.isSafeInteger(s) || !Number.isInteger(a) || !Number.isInteger(b)) return s;
  }
  return normal(big(a) + big(b));
}

/** JSON.stringify replacer: a bigint as its exact decimal string (JSON.stringify throws on one). */
export function bigintJson(_key: string, v: unknown): unknown {
  return typeof v === 'bigint' ? v.toString() : v;
}

/** A counter from JSON (a recording): a number, or the exact decimal string of a bigint. */
export function counterFromJson(v: unknown): CounterValue | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && /^-?\d{1,40}$/.test(v)) return exactCounter(v);
  return null;
}
