// Bytes from the kernel → strings, without losing bytes that are not valid UTF-8.
//
// Socket paths, process names and interface names are bytes, not text: any local user can put
// 0xff or a lone continuation byte in them. Node's UTF-8 decoder turns those into U+FFFD, which
// hides what the name really is and breaks using the name again as a path
// (/sys/class/net/<name>). Here every byte of an invalid sequence becomes a lone low surrogate
// U+DC80..U+DCFF instead (Python's "surrogateescape"): printable() shows it as \xNN, JSON
// writes it as \udcNN, and encodeBytes() turns it back into the original byte.

/** Decode UTF-8, mapping each byte of an invalid sequence to U+DC00 + byte. */
export function decodeBytes(buf: Uint8Array): string {
  const fast = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('utf8');
  // Without a U+FFFD the decoder met nothing invalid (a real U+FFFD takes the slow path too).
  if (!fast.includes('\ufffd')) return fast;
  let out = '';
  let start = 0; // start of the current run of valid bytes
  const n = buf.length;
  let i = 0;
  const flush = (end: number): void => {
    if (end > start) out += Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('utf8');
  };
  while (i < n) {
    const len = validSequence(buf, i);
    if (len > 0) {
      i += len;
      continue;
    }
    flush(i);
    out += String.fromCharCode(0xdc00 + (buf[i] ?? 0));
    i++;
    start = i;
  }
  flush(n);
  return out;
}

/** Length of the well-formed UTF-8 sequence at i (Unicode table 3-7), or 0. */
function validSequence(b: Uint8Array, i: number): number {
  const c = b[i] ?? 0;
  if (c < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf): boolean => {
    const x = b[i + k];
    return x !== undefined && x >= lo && x <= hi;
  };
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if ((c >= 0xe1 && c <= 0xec) || c === 0xee || c === 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (c === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (c === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (c >= 0xf1 && c <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (c === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

const ESCAPED_BYTE = /(?<![\ud800-\udbff])[\udc80-\udcff]/;

/** The bytes a decodeBytes() string came from: a Buffer when it holds escaped bytes, else the
 *  string itself (which fs encodes as UTF-8). Usable wherever fs takes a path. */
export function encodeBytes(s: string): string | Buffer {
  if (!ESCAPED_BYTE.test(s)) return s;
  const parts: Buffer[] = [];
  let run = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const prevHigh = i > 0 && s.charCodeAt(i - 1) >= 0xd800 && s.charCodeAt(i - 1) <= 0xdbff;
    if (c >= 0xdc80 && c <= 0xdcff && !prevHigh) {
      if (run) {
        parts.push(Buffer.from(run, 'utf8'));
        run = '';
      }
      parts.push(Buffer.of(c - 0xdc00));
    } else {
      run += s[i];
    }
  }
  if (run) parts.push(Buffer.from(run, 'utf8'));
  return Buffer.concat(parts);
}
