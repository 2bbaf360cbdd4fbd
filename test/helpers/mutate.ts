// Seeded random mutations of captured kernel text, for the parser fuzz tests. Everything is
// reproducible from one integer seed: a failure names the seed and the mutations applied.

/** mulberry32: small, fast, and the same sequence on every platform. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Rand {
  private readonly next: () => number;
  constructor(readonly seed: number) {
    this.next = rng(seed);
  }
  float(): number {
    return this.next();
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    if (xs.length === 0) throw new Error('pick from nothing');
    return xs[this.int(xs.length)] as T;
  }
}

const HUGE = [
  '9'.repeat(400),
  '18446744073709551616',
  '18446744073709551615',
  '4294967296',
  '-1',
  '-9223372036854775809',
  '0x10',
  '1e308',
  'NaN',
  'Infinity',
  '00000000000000000000000000000001',
];
const HOSTILE = ['\x1b[31m', '\x07', '\r', '\b', '\x00', '\u009b', '\u202e', '{bold}', '{/}', '\t', '\x7f', '\ufeff'];

function lines(b: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < b.length; i++) {
    if (b[i] === 0x0a) {
      out.push(b.subarray(start, i));
      start = i + 1;
    }
  }
  out.push(b.subarray(start));
  return out;
}

function joinLines(ls: Buffer[]): Buffer {
  const parts: Buffer[] = [];
  ls.forEach((l, i) => {
    if (i > 0) parts.push(Buffer.of(0x0a));
    parts.push(l);
  });
  return Buffer.concat(parts);
}

/** Whitespace-separated tokens of a line with their byte offsets. */
function tokens(line: Buffer): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && (line[i] === 0x20 || line[i] === 0x09)) i++;
    const start = i;
    while (i < line.length && line[i] !== 0x20 && line[i] !== 0x09) i++;
    if (i > start) out.push({ start, end: i });
  }
  return out;
}

type Mutation = (b: Buffer, r: Rand) => Buffer;

const onLine =
  (f: (line: Buffer, r: Rand) => Buffer): Mutation =>
  (b, r) => {
    const ls = lines(b);
    const i = r.int(ls.length);
    ls[i] = f(ls[i] ?? Buffer.alloc(0), r);
    return joinLines(ls);
  };

export const MUTATIONS: Record<string, Mutation> = {
  flipBit: (b, r) => {
    if (b.length === 0) return b;
    const c = Buffer.from(b);
    const i = r.int(c.length);
    c[i] = (c[i] ?? 0) ^ (1 << r.int(8));
    return c;
  },
  setByte: (b, r) => {
    if (b.length === 0) return Buffer.of(r.int(256));
    const c = Buffer.from(b);
    c[r.int(c.length)] = r.int(256);
    return c;
  },
  truncate: (b, r) => b.subarray(0, r.int(b.length + 1)),
  truncateMidLine: (b, r) => {
    const ls = lines(b);
    const keep = r.int(ls.length) + 1;
    const last = ls[keep - 1] ?? Buffer.alloc(0);
    return joinLines([...ls.slice(0, keep - 1), last.subarray(0, r.int(last.length + 1))]);
  },
  dupLine: (b, r) => {
    const ls = lines(b);
    const i = r.int(ls.length);
    ls.splice(i, 0, ls[i] ?? Buffer.alloc(0));
    return joinLines(ls);
  },
  deleteLine: (b, r) => {
    const ls = lines(b);
    ls.splice(r.int(ls.length), 1);
    return joinLines(ls);
  },
  swapLines: (b, r) => {
    const ls = lines(b);
    const i = r.int(ls.length),
      j = r.int(ls.length);
    [ls[i], ls[j]] = [ls[j] ?? Buffer.alloc(0), ls[i] ?? Buffer.alloc(0)];
    return joinLines(ls);
  },
  insertColumn: onLine((line, r) => {
    const t = tokens(line);
    const at = t.length === 0 ? 0 : r.pick(t).start;
    const tok = r.pick(['0', 'ffffffff', 'extra', 'X:Y', '00000000:0000', '1', ...HUGE]);
    return Buffer.concat([line.subarray(0, at), Buffer.from(`${tok} `), line.subarray(at)]);
  }),
  appendColumn: onLine((line, r) => Buffer.concat([line, Buffer.from(` ${r.pick(['0', 'extra', '12345', ...HUGE])}`)])),
  deleteColumn: onLine((line, r) => {
    const t = tokens(line);
    if (t.length === 0) return line;
    const k = r.pick(t);
    return Buffer.concat([line.subarray(0, k.start), line.subarray(Math.min(line.length, k.end + 1))]);
  }),
  hugeNumber: onLine((line, r) => {
    const s = line.toString('latin1');
    const runs = [...s.matchAll(/\d+/g)];
    if (runs.length === 0) return line;
    const m = r.pick(runs);
    const at = m.index ?? 0;
    return Buffer.concat([line.subarray(0, at), Buffer.from(r.pick(HUGE)), line.subarray(at + m[0].length)]);
  }),
  nonUtf8: (b, r) => {
    const at = r.int(b.length + 1);
    const junk = Buffer.from(Array.from({ length: 1 + r.int(4) }, () => 0x80 + r.int(128)));
    return Buffer.concat([b.subarray(0, at), junk, b.subarray(at)]);
  },
  hostile: (b, r) => {
    const at = r.int(b.length + 1);
    return Buffer.concat([b.subarray(0, at), Buffer.from(r.pick(HOSTILE)), b.subarray(at)]);
  },
  blankLines: (b, r) => {
    const ls = lines(b);
    ls.splice(r.int(ls.length + 1), 0, Buffer.from(r.pick(['', '   ', '\t'])));
    return joinLines(ls);
  },
  crlf: (b) => Buffer.from(b.toString('latin1').replace(/\n/g, '\r\n'), 'latin1'),
  squeezeSpaces: onLine((line) => Buffer.from(line.toString('latin1').replace(/ +/g, ' '), 'latin1')),
  tabs: onLine((line) => Buffer.from(line.toString('latin1').replace(/ +/g, '\t'), 'latin1')),
  empty: () => Buffer.alloc(0),
};

const NAMES = Object.keys(MUTATIONS);

/** 1 to 4 random mutations of `input`; `applied` lists them for the failure message. */
export function mutate(input: Buffer, seed: number): { bytes: Buffer; applied: string[] } {
  const r = new Rand(seed);
  let b = input;
  const applied: string[] = [];
  const n = 1 + r.int(4);
  for (let i = 0; i < n; i++) {
    const name = r.pick(NAMES);
    applied.push(name);
    const f = MUTATIONS[name];
    if (f) b = f(b, r);
  }
  return { bytes: b, applied };
}
