// A terminal screen as tmux prints it (capture-pane -e) → SVG (ansi-to-svg) → PNG
// (@resvg/resvg-js, DejaVu Sans Mono). Pure apart from reading the font files: the same screen
// text always gives the same PNG bytes.
//
// ansi-to-svg understands one SGR code per escape and only the 16 named colours, ignores
// inverse video, draws a background rectangle shifted by the chunk's leading spaces, and
// leaves runs of spaces to the SVG renderer, which collapses them. So the screen is first
// parsed into cells here (any SGR, 256 colours and RGB, inverse resolved), then handed to
// ansi-to-svg one word at a time in the subset it knows (text, colour, bold). Backgrounds and
// underlines are drawn from the cells, and the font size is set so that DejaVu Sans Mono's
// advance is exactly one cell.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Resvg as ResvgClass, ResvgRenderOptions } from '@resvg/resvg-js';

const require = createRequire(import.meta.url);

export const FONT_DIR = '/usr/share/fonts/truetype/dejavu';
export const FONT_FILES = [`${FONT_DIR}/DejaVuSansMono.ttf`, `${FONT_DIR}/DejaVuSansMono-Bold.ttf`];
export const FONT_FAMILY = 'DejaVu Sans Mono';

/** The 16 terminal colours by ansi-to-svg's names, in SGR order (30–37, then 90–97). */
const NAMES = [
  'black',
  'red',
  'green',
  'yellow',
  'blue',
  'magenta',
  'cyan',
  'white',
  'gray',
  'redBright',
  'greenBright',
  'yellowBright',
  'blueBright',
  'magentaBright',
  'cyanBright',
  'whiteBright',
] as const;

/** A dark palette (Tango-like). `black` is the page background, so text in inverse video
 *  on the default colours comes out as background-on-foreground, as in a terminal. */
export const PALETTE: readonly string[] = [
  '#1c1f24',
  '#e0585b',
  '#69b86a',
  '#d8b24a',
  '#5e8fd6',
  '#b07cd0',
  '#3fb3be',
  '#d0d3d8',
  '#6f7580',
  '#ff7b7b',
  '#95e08f',
  '#f2d36b',
  '#8ab4f8',
  '#d7a4f2',
  '#72d7e0',
  '#ffffff',
];
const BACKGROUND = PALETTE[0] ?? '#000000';
const FOREGROUND = PALETTE[7] ?? '#ffffff';

/** ansi-to-svg's fixed geometry (its font metrics are hard-coded for 14 px). */
export const CELL_W = 8.4013671875;
const LINE_HEIGHT = 18;
const ROW_H = LINE_HEIGHT + 1;
const PAD = 10;
/** DejaVu Sans Mono advances 1233/2048 em: this size makes one glyph exactly one cell wide. */
const FONT_SIZE = +(CELL_W / (1233 / 2048)).toFixed(4);

type Color = { kind: 'default' } | { kind: 'index'; n: number } | { kind: 'rgb'; r: number; g: number; b: number };

export interface Cell {
  ch: string;
  fg: Color;
  bg: Color;
  bold: boolean;
  dim: boolean;
  underline: boolean;
  inverse: boolean;
}

const DEFAULT: Color = { kind: 'default' };

function blank(): Cell {
  return { ch: ' ', fg: DEFAULT, bg: DEFAULT, bold: false, dim: false, underline: false, inverse: false };
}

/** Apply one SGR parameter list to the pen. */
function sgr(pen: Cell, params: number[]): void {
  if (params.length === 0) params = [0];
  for (let i = 0; i < params.length; i++) {
    const p = params[i] ?? 0;
    if (p === 0) Object.assign(pen, blank(), { ch: pen.ch });
    else if (p === 1) pen.bold = true;
    else if (p === 2) pen.dim = true;
    else if (p === 4) pen.underline = true;
    else if (p === 7) pen.inverse = true;
    else if (p === 22) {
      pen.bold = false;
      pen.dim = false;
    } else if (p === 24) pen.underline = false;
    else if (p === 27) pen.inverse = false;
    else if (p >= 30 && p <= 37) pen.fg = { kind: 'index', n: p - 30 };
    else if (p === 39) pen.fg = DEFAULT;
    else if (p >= 40 && p <= 47) pen.bg = { kind: 'index', n: p - 40 };
    else if (p === 49) pen.bg = DEFAULT;
    else if (p >= 90 && p <= 97) pen.fg = { kind: 'index', n: p - 90 + 8 };
    else if (p >= 100 && p <= 107) pen.bg = { kind: 'index', n: p - 100 + 8 };
    else if (p === 38 || p === 48) {
      let c: Color | null = null;
      if (params[i + 1] === 5) {
        c = { kind: 'index', n: params[i + 2] ?? 0 };
        i += 2;
      } else if (params[i + 1] === 2) {
        c = { kind: 'rgb', r: params[i + 2] ?? 0, g: params[i + 3] ?? 0, b: params[i + 4] ?? 0 };
        i += 4;
      }
      if (c) {
        if (p === 38) pen.fg = c;
        else pen.bg = c;
      }
    }
    // 3 italic, 5 blink, 8 hidden, 9 strike and the rest: not drawn.
  }
}

/** tmux capture-pane -e -p output → rows × cols cells (padded or cut to the size). */
export function parseScreen(text: string, cols: number, rows: number): Cell[][] {
  const grid: Cell[][] = [];
  const pen = blank();
  let row: Cell[] = [];
  // eslint-disable-next-line no-control-regex
  const re = /\x1b\[([0-9;:]*)([A-Za-z])|\x1b[()][0-9A-Za-z]|\x1b.|\n|\r|[^\x1b\n\r]/gu;
  for (const m of text.matchAll(re)) {
    const tok = m[0];
    if (tok === '\n') {
      grid.push(row);
      row = [];
      continue;
    }
    if (tok === '\r') continue;
    if (tok.startsWith('\x1b')) {
      if (m[2] === 'm')
        sgr(
          pen,
          (m[1] ?? '')
            .split(/[;:]/)
            .filter((x) => x !== '')
            .map(Number),
        );
      continue;
    }
    if (tok < ' ') continue;
    row.push({ ...pen, ch: tok });
  }
  if (row.length > 0) grid.push(row);
  const out: Cell[][] = [];
  for (let r = 0; r < rows; r++) {
    const src = grid[r] ?? [];
    const line = src.slice(0, cols);
    while (line.length < cols) line.push(blank());
    out.push(line);
  }
  return out;
}

function rgbOf(c: Color, isFg: boolean): [number, number, number] {
  const hex = (h: string): [number, number, number] => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)) as [number, number, number];
  if (c.kind === 'default') return hex(isFg ? FOREGROUND : BACKGROUND);
  if (c.kind === 'rgb') return [c.r, c.g, c.b];
  const n = c.n;
  if (n < 16) return hex(PALETTE[n] ?? FOREGROUND);
  if (n < 232) {
    const v = [0, 95, 135, 175, 215, 255];
    const i = n - 16;
    return [v[Math.floor(i / 36)] ?? 0, v[Math.floor(i / 6) % 6] ?? 0, v[i % 6] ?? 0];
  }
  const g = 8 + (n - 232) * 10;
  return [g, g, g];
}

/** The palette slot (0–15) for a colour: itself, or the nearest one for 256-colour and RGB. */
function slot(c: Color, isFg: boolean): number | null {
  if (c.kind === 'default') return null;
  if (c.kind === 'index' && c.n < 16) return c.n;
  const [r, g, b] = rgbOf(c, isFg);
  let best = 7;
  let bestD = Infinity;
  PALETTE.forEach((_, i) => {
    // Distances against the xterm defaults that 256-colour codes are designed around.
    const x = XTERM16[i] ?? [0, 0, 0];
    const d = (x[0] - r) ** 2 + (x[1] - g) ** 2 + (x[2] - b) ** 2;
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  });
  return best;
}

const XTERM16: readonly [number, number, number][] = [
  [0, 0, 0],
  [205, 0, 0],
  [0, 205, 0],
  [205, 205, 0],
  [0, 0, 238],
  [205, 0, 205],
  [0, 205, 205],
  [229, 229, 229],
  [127, 127, 127],
  [255, 0, 0],
  [0, 255, 0],
  [255, 255, 0],
  [92, 92, 255],
  [255, 0, 255],
  [0, 255, 255],
  [255, 255, 255],
];

/** Resolved colours of a cell: palette slots, null for the default foreground/background. */
function resolved(c: Cell): { fg: number | null; bg: number | null } {
  let fg = slot(c.fg, true);
  let bg = slot(c.bg, false);
  if (c.inverse) {
    [fg, bg] = [bg ?? 0, fg ?? 7];
  }
  return { fg, bg };
}

const ESC = '\x1b[';

/** The cells as the ANSI subset ansi-to-svg reads: every word restates its whole style. */
export function normalizedAnsi(grid: Cell[][]): string {
  const lines: string[] = [];
  for (const row of grid) {
    let out = '';
    let i = 0;
    while (i < row.length) {
      // One segment: spaces, then non-spaces, all in one text style.
      const first = row[i] ?? blank();
      const style = (c: Cell): string => {
        const { fg } = resolved(c);
        return `${c.bold ? 'b' : ''}${fg ?? '-'}`;
      };
      const key = style(first);
      let j = i;
      while (j < row.length && row[j]?.ch === ' ' && style(row[j] ?? first) === key) j++;
      while (j < row.length && row[j]?.ch !== ' ' && style(row[j] ?? first) === key) j++;
      if (j === i) j = i + 1;
      const text = row
        .slice(i, j)
        .map((c) => c.ch)
        .join('');
      const { fg } = resolved(first);
      // parse-ansi's reset leaves underline on: close it explicitly. Underlines are drawn
      // from the cells (decorations()), like backgrounds.
      let seq = `${ESC}0m${ESC}24m`;
      if (first.bold) seq += `${ESC}1m`;
      if (fg !== null) seq += `${ESC}${fg < 8 ? 30 + fg : 90 + fg - 8}m`;
      out += seq + text;
      i = j;
    }
    lines.push(out + `${ESC}0m${ESC}24m`);
  }
  return lines.join('\n');
}

/** Runs of cells in a row for which key() gives the same value. */
function runs<T>(row: Cell[], key: (c: Cell) => T): { from: number; to: number; value: T }[] {
  const out: { from: number; to: number; value: T }[] = [];
  let c = 0;
  while (c < row.length) {
    const v = key(row[c] ?? blank());
    let e = c + 1;
    while (e < row.length && key(row[e] ?? blank()) === v) e++;
    out.push({ from: c, to: e, value: v });
    c = e;
  }
  return out;
}

/** Background rectangles, then underlines, for every run of cells that has them. */
function decorations(grid: Cell[][]): string {
  let back = '';
  let under = '';
  const x = (c: number): number => +(PAD + c * CELL_W).toFixed(2);
  const w = (n: number): number => +(n * CELL_W).toFixed(2);
  grid.forEach((row, r) => {
    for (const run of runs(row, (c) => resolved(c).bg)) {
      if (run.value === null || run.value === 0) continue;
      back += `<rect x="${x(run.from)}" y="${PAD + r * ROW_H}" width="${w(run.to - run.from)}" height="${ROW_H}" fill="${PALETTE[run.value]}"/>`;
    }
    for (const run of runs(row, (c) => (c.underline ? (resolved(c).fg ?? 7) : -1))) {
      if (run.value < 0) continue;
      // Just under the baseline, where ansi-to-svg would put it.
      const y = +(PAD + r * ROW_H + LINE_HEIGHT - 3.4453125 + 2).toFixed(2);
      under += `<rect x="${x(run.from)}" y="${y}" width="${w(run.to - run.from)}" height="1" fill="${PALETTE[run.value]}"/>`;
    }
  });
  return back + under;
}

/** Braille cells (the charts' lines) as dots: DejaVu Sans Mono has no braille glyphs. Each
 *  cell's dots are drawn in its colour and the character is blanked for the text pass. */
function brailleDots(grid: Cell[][]): string {
  // Bit → (column, row) of the dot in the 2×4 cell, as Unicode orders them.
  const DOTS: readonly [number, number][] = [
    [0, 0],
    [0, 1],
    [0, 2],
    [1, 0],
    [1, 1],
    [1, 2],
    [0, 3],
    [1, 3],
  ];
  let out = '';
  grid.forEach((row, r) => {
    row.forEach((cell, c) => {
      const code = cell.ch.codePointAt(0) ?? 0;
      if (code < 0x2800 || code > 0x28ff) return;
      const fill = PALETTE[resolved(cell).fg ?? 7] ?? FOREGROUND;
      DOTS.forEach(([dx, dy], bit) => {
        if (((code - 0x2800) >> bit) & 1) {
          const cx = +(PAD + c * CELL_W + (dx === 0 ? 2.3 : 6.1)).toFixed(2);
          const cy = +(PAD + r * ROW_H + 2.6 + dy * 4.6).toFixed(2);
          out += `<circle cx="${cx}" cy="${cy}" r="1.15" fill="${fill}"/>`;
        }
      });
      cell.ch = ' ';
    });
  });
  return out;
}

type AnsiToSvg = (ansi: string, opts: Record<string, unknown>) => string;

export function screenToSvg(capture: string, cols: number, rows: number): string {
  const grid = parseScreen(capture, cols, rows);
  const dots = brailleDots(grid);
  const ansiToSvg = require('ansi-to-svg') as AnsiToSvg;
  const colors: Record<string, string> = { backgroundColor: BACKGROUND, foregroundColor: FOREGROUND };
  NAMES.forEach((n, i) => {
    const c = PALETTE[i] ?? FOREGROUND;
    colors[n] = c;
    colors[`bg${n[0]?.toUpperCase()}${n.slice(1)}`] = c;
  });
  let svg = ansiToSvg(normalizedAnsi(grid), {
    fontFamily: FONT_FAMILY,
    lineHeight: LINE_HEIGHT,
    colors,
    paddingTop: PAD,
    paddingLeft: PAD,
    paddingBottom: PAD,
    paddingRight: PAD,
  });
  // Exact cell width for DejaVu Sans Mono; backgrounds right after the page rectangle.
  svg = svg.replace('font-size="14"', `font-size="${FONT_SIZE}"`);
  const firstRectEnd = svg.indexOf('/>') + 2;
  return svg.slice(0, firstRectEnd) + decorations(grid) + dots + svg.slice(firstRectEnd);
}

export function missingFonts(): string[] {
  return FONT_FILES.filter((f) => !existsSync(f));
}

export function svgToPng(svg: string): Buffer {
  const missing = missingFonts();
  if (missing.length > 0) {
    throw new Error(`font not found: ${missing.join(', ')} (Debian/Ubuntu: apt-get install fonts-dejavu-core)`);
  }
  const { Resvg } = require('@resvg/resvg-js') as { Resvg: typeof ResvgClass };
  const opts: ResvgRenderOptions = {
    font: { loadSystemFonts: false, fontFiles: FONT_FILES, defaultFontFamily: FONT_FAMILY, monospaceFamily: FONT_FAMILY },
    fitTo: { mode: 'zoom', value: 1 },
    background: BACKGROUND,
  };
  return new Resvg(svg, opts).render().asPng();
}

export function screenToPng(capture: string, cols: number, rows: number): Buffer {
  return svgToPng(screenToSvg(capture, cols, rows));
}
