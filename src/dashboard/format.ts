// Number and time formatting for narrow dashboard columns. Pure.

const SUFFIX = ['', 'k', 'M', 'G', 'T', 'P'];

/** A count in at most ~6 characters: 12345, 123k, 1.2M. Rates below 10 keep one decimal. */
export function compact(n: number | null | undefined, opts: { rate?: boolean } = {}): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '-';
  const neg = n < 0;
  let v = Math.abs(n);
  let s: string;
  if (v < 100_000) {
    s = opts.rate && v !== Math.round(v) && v < 10 ? v.toFixed(1) : String(Math.round(v));
  } else {
    let i = 0;
    while (v >= 1000 && i < SUFFIX.length - 1) {
      v /= 1000;
      i++;
    }
    s = (v < 10 ? v.toFixed(1) : String(Math.round(v))) + (SUFFIX[i] ?? '');
  }
  return neg ? '-' + s : s;
}

/** Bytes (per second) in SI units: 980, 12.3k, 4.5M. */
export function bytes(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '-';
  let v = Math.abs(n),
    i = 0;
  while (v >= 1000 && i < SUFFIX.length - 1) {
    v /= 1000;
    i++;
  }
  const s = i === 0 ? String(Math.round(v)) : (v < 10 ? v.toFixed(1) : String(Math.round(v))) + (SUFFIX[i] ?? '');
  return n < 0 ? '-' + s : s;
}

/** A signed change: +3, -1, or '' for zero/unknown. */
export function change(n: number | null | undefined): string {
  if (n === null || n === undefined || n === 0 || !Number.isFinite(n)) return '';
  return n > 0 ? `+${compact(n)}` : compact(n);
}

/** 75s → 1m15s; 3725s → 1h02m. */
export function duration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d${String(h % 24).padStart(2, '0')}h`;
}

/** Local HH:MM:SS of an epoch-ms time. */
export function clockTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** Seconds as the interval is shown: 2s, 0.5s. */
export function seconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)}s`;
}
