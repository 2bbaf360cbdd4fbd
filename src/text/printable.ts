// Outside strings (socket paths, program names, interface, user and host names) made safe for
// a terminal, for JSON and for recordings. Pure and dependency-free: the printers, the
// recorder and the dashboard all use it.
//
// Invalid UTF-8: kernelFs decodes the bytes of a file that are not valid UTF-8 as lone low
// surrogates U+DC80..U+DCFF ("surrogateescape"), so that the original byte is known here and
// can be shown as \xNN instead of being lost in a U+FFFD.

/** Characters that would move the cursor, change colours, ring the bell, reorder text
 *  or hide text: C0 (incl. ESC, BEL, CR, BS, TAB, LF), DEL, C1 (0x80–0x9f), the Arabic letter
 *  mark, the Unicode line/paragraph separators, zero-width and bidirectional controls, the
 *  BOM, and lone surrogates (escaped bytes of invalid UTF-8). The backslash is included so
 *  that an escaped byte and a literal "\x1b" in a name differ. */
const UNSAFE =
  // eslint-disable-next-line no-control-regex -- control characters are what it escapes
  /[\x00-\x1f\x7f-\x9f\\\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const NAMED: Record<string, string> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
  '\x1b': '\\x1b',
  '\x07': '\\x07',
  '\b': '\\x08',
};

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}

/** Every unsafe character shown visibly: ESC → \x1b, CR → \r, U+202E → \u202e, the invalid
 *  UTF-8 byte 0xff → \xff. Width-preserving for everything else, so column layout can be done
 *  on the result. */
export function printable(s: string): string {
  UNSAFE.lastIndex = 0;
  if (!UNSAFE.test(s)) return s;
  UNSAFE.lastIndex = 0;
  return s.replace(UNSAFE, (ch) => {
    const named = NAMED[ch];
    if (named !== undefined) return named;
    const c = ch.charCodeAt(0);
    if (c <= 0xff) return `\\x${hex2(c)}`;
    // A byte of invalid UTF-8, carried as a lone surrogate by the decoder.
    if (c >= 0xdc80 && c <= 0xdcff) return `\\x${hex2(c - 0xdc00)}`;
    return `\\u${c.toString(16).padStart(4, '0')}`;
  });
}

/** True when printable(s) would change s. */
export function needsEscape(s: string): boolean {
  UNSAFE.lastIndex = 0;
  const r = UNSAFE.test(s);
  UNSAFE.lastIndex = 0;
  return r;
}

/** Characters JSON.stringify leaves raw that a terminal (or `cat` of a recording) would act
 *  on: DEL, C1 controls, bidi and zero-width controls, line/paragraph separators, BOM. Inside
 *  JSON text they can only occur in strings, where \uXXXX means the same character. */
const JSON_UNSAFE = /[\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/** JSON text with every terminal-active character written as a \u escape. JSON.stringify
 *  already escapes C0 and lone surrogates (so invalid UTF-8 stays valid JSON as \udcXX). */
export function jsonSafe(json: string): string {
  JSON_UNSAFE.lastIndex = 0;
  if (!JSON_UNSAFE.test(json)) return json;
  JSON_UNSAFE.lastIndex = 0;
  return json.replace(JSON_UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** JSON.stringify, made safe for terminals and files (see jsonSafe). A bigint (a 64-bit
 *  counter beyond 2^53, model/counter-value.ts) is written as its exact decimal string. */
export function toJson(value: unknown): string {
  return jsonSafe(JSON.stringify(value, bigintAsString));
}

function bigintAsString(_key: string, v: unknown): unknown {
  return typeof v === 'bigint' ? v.toString() : v;
}

/** Cut to at most n columns, the last one an ellipsis when anything was cut. */
export function ellipsize(s: string, n: number): string {
  if (n <= 0) return '';
  if (s.length <= n) return s;
  return n === 1 ? '…' : s.slice(0, n - 1) + '…';
}
