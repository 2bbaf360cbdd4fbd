// Output for a terminal whose locale is not UTF-8. There, the bytes of UTF-8 text are read one
// by one, and the continuation bytes 0x80-0x9f are C1 controls (0x9b is CSI on an 8-bit
// terminal): a name holding 'Û' (c3 9b) would start an escape sequence. So every character
// that is not ASCII is shown as the \xNN escapes of its UTF-8 bytes, as printable() shows a
// byte that is not UTF-8, except the ellipsis that marks a cut name, which becomes '~' as in the
// dashboard's ASCII mode. JSON keeps its meaning: non-ASCII characters become \uXXXX escapes.

/** True when the locale's character set is UTF-8 (LC_ALL, then LC_CTYPE, then LANG), the same
 *  rule the dashboard uses to choose its ASCII drawing. */
export function localeIsUtf8(env: Readonly<Record<string, string | undefined>>): boolean {
  const loc = env['LC_ALL'] || env['LC_CTYPE'] || env['LANG'] || '';
  return /utf-?8/i.test(loc);
}

// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\x00-\x7f]/u;
// eslint-disable-next-line no-control-regex
const NON_ASCII_G = /[^\x00-\x7f]/gu;

/** Text made of ASCII bytes only (see above). */
export function eightBitSafe(s: string): string {
  if (!NON_ASCII.test(s)) return s;
  return s.replace(NON_ASCII_G, (ch) => {
    if (ch === '…') return '~';
    let out = '';
    for (const b of Buffer.from(ch, 'utf8')) out += `\\x${b.toString(16).padStart(2, '0')}`;
    return out;
  });
}

/** JSON text made of ASCII bytes only: every non-ASCII character as \uXXXX (a pair for one
 *  outside the BMP), which a JSON reader turns back into the same string. */
export function asciiJson(json: string): string {
  if (!NON_ASCII.test(json)) return json;
  return json.replace(NON_ASCII_G, (ch) => {
    let out = '';
    for (let i = 0; i < ch.length; i++) out += `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`;
    return out;
  });
}
