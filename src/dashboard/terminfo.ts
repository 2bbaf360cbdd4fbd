// Terminfo entries in ncurses 6's 32-bit number format, made readable by blessed.
//
// ncurses ≥ 6.1 compiles entries whose numbers do not fit 16 bits (tmux-256color,
// screen-256color: pairs#0x10000) with magic 01036 and 4-byte numbers. blessed 0.1.81 reads
// every entry as the legacy format (magic 0432, 2-byte numbers), fails an assertion, and falls
// back to its own copy of `xterm`: 8 colours, no dim, so grey came out as black (`\e[30m`).
// Here such a file is rewritten to the legacy layout before blessed parses it: each number
// becomes 2 bytes, capped at 32767 as ncurses itself does when it writes the legacy format.

const MAGIC_LEGACY = 0o432;
const MAGIC_32BIT = 0o1036;

function u16(b: Buffer, at: number): number {
  return b.readUInt16LE(at);
}

/** A 32-bit number as the legacy format's 16 bits: -1 (absent) and -2 (cancelled) kept. */
function narrow(v: number): number {
  if (v === -1) return 0xffff;
  if (v === -2) return 0xfffe;
  return Math.min(Math.max(v, 0), 0x7fff);
}

/** Copy `count` 4-byte numbers from `src` at `at` into 2-byte ones. */
function numbers(src: Buffer, at: number, count: number): Buffer {
  const out = Buffer.alloc(count * 2);
  for (let k = 0; k < count; k++) out.writeUInt16LE(narrow(src.readInt32LE(at + k * 4)), k * 2);
  return out;
}

/** The legacy-format equivalent of a compiled terminfo entry; the input itself when it is in
 *  the legacy format already (or too short to be either: blessed reports that as before). */
export function legacyTerminfo(data: Buffer): Buffer {
  if (data.length < 12 || u16(data, 0) !== MAGIC_32BIT) return data;
  const namesSize = u16(data, 2),
    boolCount = u16(data, 4),
    numCount = u16(data, 6);
  const strCount = u16(data, 8),
    strTableSize = u16(data, 10);
  const parts: Buffer[] = [];
  const header = Buffer.from(data.subarray(0, 12));
  header.writeUInt16LE(MAGIC_LEGACY, 0);
  parts.push(header);
  let i = 12;
  parts.push(data.subarray(i, i + namesSize + boolCount));
  i += namesSize + boolCount;
  // Numbers start on an even byte in both formats (counted from the start of the file).
  if (i % 2) {
    parts.push(data.subarray(i, i + 1));
    i++;
  }
  parts.push(numbers(data, i, numCount));
  i += numCount * 4;
  parts.push(data.subarray(i, i + strCount * 2 + strTableSize));
  i += strCount * 2 + strTableSize;
  // The extended section (user capabilities such as Tc, RGB, Smulx) has the same layout rule.
  // The legacy part just written has the same parity as the input (numbers are an even number
  // of bytes either way), so the padding byte is kept as is.
  if (i % 2 && i < data.length) {
    parts.push(data.subarray(i, i + 1));
    i++;
  }
  if (i + 10 <= data.length) {
    const xBools = u16(data, i),
      xNums = u16(data, i + 2);
    parts.push(data.subarray(i, i + 10 + xBools));
    i += 10 + xBools;
    if (i % 2) {
      parts.push(data.subarray(i, i + 1));
      i++;
    }
    parts.push(numbers(data, i, xNums));
    i += xNums * 4;
    // String offsets, one name offset per capability and the table: unchanged.
    parts.push(data.subarray(i));
  }
  return Buffer.concat(parts);
}

interface TputPrototype {
  parseTerminfo: (this: unknown, data: Buffer, file: string) => unknown;
  __netdash32?: boolean;
}

/** Teach blessed's terminfo reader the 32-bit format (once per process). */
export function patchTerminfoReader(Tput: { prototype: unknown }): void {
  const proto = Tput.prototype as TputPrototype;
  if (proto.__netdash32) return;
  const parse = proto.parseTerminfo;
  proto.parseTerminfo = function (this: unknown, data: Buffer, file: string) {
    return parse.call(this, legacyTerminfo(data), file);
  };
  proto.__netdash32 = true;
}
