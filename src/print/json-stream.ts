// --json written in pieces. A table of 2M sockets is more JSON than one string can hold (V8's
// limit is 2^29 - 24 characters: "Invalid string length"), and built whole it would be copied
// again on its way out. So a document is serialized as it is written: lists element by element,
// joined into chunks of about JSON_CHUNK characters. Joined, the chunks are exactly
// toJson(doc), the same bytes as before (test/json-stream.test.ts).
import { bigintJson } from '../model/counter-value.js';
import { jsonSafe } from '../text/printable.js';

/** About this many characters per chunk (one element longer than it is its own chunk). */
export const JSON_CHUNK = 64 * 1024;

/** A list made as it is written: streamed element by element, and an ordinary array to
 *  JSON.stringify (toJSON), so a document holding it serializes the same either way. */
export class JsonList {
  constructor(private readonly items: () => Iterable<unknown>) {}
  [Symbol.iterator](): Iterator<unknown> {
    return this.items()[Symbol.iterator]();
  }
  toJSON(): unknown[] {
    return Array.from(this.items());
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** JSON.stringify skips these as object members and writes null for them in arrays. */
function skipped(v: unknown): boolean {
  return v === undefined || typeof v === 'function' || typeof v === 'symbol';
}

/** The pieces of JSON.stringify(v): the document and the objects directly in it are walked
 *  member by member, lists (JsonList anywhere, arrays in the first two levels) element by
 *  element; everything else (each element) is stringified whole. */
function* pieces(v: unknown, depth: number): Generator<string, void, undefined> {
  const list = v instanceof JsonList ? v : Array.isArray(v) && depth <= 2 ? (v as unknown[]) : null;
  if (list !== null) {
    // The rows of a JsonList (sockets) hold no counters: stringified without a replacer, which
    // would cost a call per field of millions of rows.
    const replacer = v instanceof JsonList ? undefined : bigintJson;
    yield '[';
    let first = true;
    for (const e of list) {
      const s = skipped(e) ? 'null' : (JSON.stringify(e, replacer) ?? 'null');
      yield first ? s : ',' + s;
      first = false;
    }
    yield ']';
    return;
  }
  if (isPlainObject(v) && depth <= 1) {
    yield '{';
    let first = true;
    for (const k of Object.keys(v)) {
      const m = v[k];
      if (skipped(m)) continue;
      yield (first ? '' : ',') + JSON.stringify(k) + ':';
      yield* pieces(m, depth + 1);
      first = false;
    }
    yield '}';
    return;
  }
  // Counters beyond 2^53 are bigints: exact decimal strings (list elements never hold one).
  yield JSON.stringify(v, bigintJson) ?? 'null';
}

/** toJson(doc) (JSON.stringify made safe for terminals, see text/printable.ts) in chunks of
 *  at most `chunk` characters, or one element when that alone is longer. */
export function* jsonChunks(doc: unknown, chunk = JSON_CHUNK): Generator<string, void, undefined> {
  let buf = '';
  for (const p of pieces(doc, 0)) {
    if (buf.length + p.length > chunk && buf !== '') {
      yield jsonSafe(buf);
      buf = '';
    }
    buf += p;
  }
  if (buf !== '') yield jsonSafe(buf);
}
