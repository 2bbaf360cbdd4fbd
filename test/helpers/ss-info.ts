// `ss -tin` text → per-connection token maps: {"127.0.0.1:5001 127.0.0.1:45896": {rto: '204',
// rtt: '0.018/0.009', bytes_received: '15187968', …}}. Tokens "key:value" and the two-word
// ones ss prints ("send 1bps", "pacing_rate 2bps", "delivery_rate 3bps") are kept; a
// parenthesised group such as bbr:(…) is kept whole.
export type SsInfo = Map<string, Record<string, string>>;

const TWO_WORD = new Set(['send', 'pacing_rate', 'delivery_rate']);

export function parseSsInfo(text: string): SsInfo {
  const out: SsInfo = new Map();
  let key: string | null = null;
  for (const line of text.split('\n')) {
    if (line.startsWith('\t') || line.startsWith(' ')) {
      if (key === null) continue;
      const rec = out.get(key) ?? {};
      const words = line.trim().split(/\s+/);
      for (let i = 0; i < words.length; i++) {
        const w = words[i]!;
        if (TWO_WORD.has(w) && i + 1 < words.length) {
          rec[w] = words[++i]!;
          continue;
        }
        const c = w.indexOf(':');
        if (c > 0) rec[w.slice(0, c)] = w.slice(c + 1);
        else rec[w] = '';
      }
      out.set(key, rec);
      continue;
    }
    const f = line.trim().split(/\s+/);
    if (f.length >= 5 && f[0] !== 'State') {
      key = `${f[3]} ${f[4]}`;
      out.set(key, {});
    } else key = null;
  }
  return out;
}
