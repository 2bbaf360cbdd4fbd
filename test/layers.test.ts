// The layers are a rule: a module imports only from its own layer or lower ones, and the
// dashboard (views) never reads the kernel itself. Checked on the TypeScript sources, so a
// wrong import fails CI before anyone has to notice it in review.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, dirname, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

/** Lower numbers are lower layers. print, dashboard and serve share a rank but may not import
 *  each other; a layer's own folder is always open to it. */
export const LAYERS: Readonly<Record<string, number>> = {
  model: 0,
  text: 0,
  catalog: 1,
  sources: 2,
  names: 3,
  sampler: 4,
  print: 5,
  dashboard: 5,
  serve: 5,
  cli: 6,
};

/** Layers that may use another layer's types but not its code (views never read sources). */
const TYPES_ONLY: Readonly<Record<string, readonly string[]>> = {
  dashboard: ['sources'],
  serve: ['sources'],
};

/** 'src/sources/kernel-fs.ts' → 'sources'; the top-level files: model.ts → model, cli.ts → cli. */
export function layerOf(file: string): string {
  const rel = relative(SRC, file).split(sep);
  if (rel.length === 1) return (rel[0] ?? '').replace(/\.ts$/, '');
  return rel[0] ?? '';
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

interface Import {
  from: string;
  to: string;
  typeOnly: boolean;
  line: number;
}

/** Every relative import of a file: static (type-only or not), re-exports and import(). */
export function importsOf(file: string, text: string): Import[] {
  const out: Import[] = [];
  const lines = text.split('\n');
  const re = /(?:^\s*(import|export)\s+(type\s+)?[^'"]*?from\s*|import\(\s*)'(\.[^']+)'/gm;
  // Statements can span lines: scan the whole text, then find the line of each match.
  for (const m of text.matchAll(re)) {
    const target = resolve(dirname(file), (m[3] ?? '').replace(/\.js$/, '.ts'));
    const line = text.slice(0, m.index).split('\n').length;
    const typeOnly = m[2] !== undefined || /^\s*import\s+type\s/.test(lines[line - 1] ?? '');
    out.push({ from: file, to: target, typeOnly, line });
  }
  return out;
}

/** The broken rules among these imports, one line each. */
export function violations(imports: readonly Import[]): string[] {
  const bad: string[] = [];
  for (const i of imports) {
    const a = layerOf(i.from),
      b = layerOf(i.to);
    if (a === b) continue;
    const ra = LAYERS[a],
      rb = LAYERS[b];
    const where = `${relative(SRC, i.from)}:${i.line} → ${relative(SRC, i.to)}`;
    if (ra === undefined || rb === undefined) {
      bad.push(`${where}: '${ra === undefined ? a : b}' is not a known layer`);
      continue;
    }
    if (rb > ra) bad.push(`${where}: ${a} may not import the higher layer ${b}`);
    else if (rb === ra) bad.push(`${where}: ${a} and ${b} are peers and may not import each other`);
    else if (!i.typeOnly && TYPES_ONLY[a]?.includes(b)) bad.push(`${where}: ${a} may use only types from ${b}`);
  }
  return bad;
}

test('every module imports only from its own layer or lower ones', () => {
  const files = tsFiles(SRC);
  assert.ok(files.length > 40, `found the sources (${files.length} files under ${SRC})`);
  const all = files.flatMap((f) => importsOf(f, readFileSync(f, 'utf8')));
  assert.ok(all.length > 100, 'found the imports');
  assert.deepEqual(violations(all), []);
});

test('every folder of src is a known layer', () => {
  const folders = readdirSync(SRC, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name);
  for (const f of folders) assert.ok(f in LAYERS, `src/${f} has a place in LAYERS`);
});

test('the checker catches each kind of wrong import', () => {
  const f = (from: string, to: string, typeOnly = false): Import => ({ from: join(SRC, from), to: join(SRC, to), typeOnly, line: 1 });
  assert.equal(violations([f('sampler/state-counts.ts', 'print/connections.ts')]).length, 1, 'upward');
  assert.equal(violations([f('print/json.ts', 'cli/options.ts', true)]).length, 1, 'upward, even for a type');
  assert.equal(violations([f('dashboard/store.ts', 'print/connections.ts')]).length, 1, 'peers');
  assert.equal(violations([f('dashboard/lists/interfaces.ts', 'sources/interfaces.ts')]).length, 1, 'views reading sources');
  assert.equal(violations([f('dashboard/app.ts', 'sources/snapshot.ts', true)]).length, 0, 'a type from sources is fine');
  assert.equal(violations([f('print/render-print.ts', 'sources/snapshot.ts')]).length, 0, 'downward');
  assert.equal(violations([f('cli.ts', 'dashboard/app.ts')]).length, 0, 'cli composes everything');
  const text =
    "import {\n  a,\n} from '../print/x.js';\nconst m = await import('../cli/run.js');\nimport type { T } from '../sources/y.js';\n";
  const found = importsOf(join(SRC, 'sampler/z.ts'), text);
  assert.deepEqual(
    found.map((i) => [relative(SRC, i.to), i.typeOnly, i.line]),
    [
      ['print/x.ts', false, 1],
      ['cli/run.ts', false, 4],
      ['sources/y.ts', true, 5],
    ],
  );
});
