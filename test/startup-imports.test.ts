// What a one-shot command loads before it does any work. Node loads every static import of the
// entry before the first line runs, so the static import graph of src/cli.ts is the start-up
// cost of `netdash --version`, `--help` and a bad flag; the print path's graph is what
// `netdash --print …` adds. Checked on the TypeScript sources, like the layers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

/** The static, non-type imports of a module: relative ones as files, packages by name. */
export function staticImports(file: string, text: string): { files: string[]; packages: string[] } {
  const files: string[] = [];
  const packages: string[] = [];
  // `import x from '…'`, `import { a } from '…'`, `export { a } from '…'`, `import '…'`; not
  // `import type`, `export type`, nor import() (loaded when it runs).
  const re = /^\s*(?:import|export)\s+(?!type\s)(?:[^'";]*?\s+from\s*)?'([^']+)'/gm;
  for (const m of text.matchAll(re)) {
    const spec = m[1] ?? '';
    // `import { type A, type B } from` is type-only as well.
    const names = /\{([^}]*)\}/.exec(m[0])?.[1];
    if (names !== undefined && !/^\s*(?:import|export)\s+[^{]*,/.test(m[0]) && names.split(',').every((n) => /^\s*(type\s|$)/.test(n)))
      continue;
    if (spec.startsWith('.')) files.push(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
    else if (!spec.startsWith('node:')) packages.push(spec);
  }
  return { files, packages };
}

/** Every module a module loads before it runs (relative to src/), and the packages among them. */
export function closure(entry: string): { modules: string[]; packages: string[] } {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const todo = [resolve(SRC, entry)];
  while (todo.length > 0) {
    const f = todo.pop() ?? '';
    if (seen.has(f)) continue;
    seen.add(f);
    const i = staticImports(f, readFileSync(f, 'utf8'));
    for (const p of i.packages) packages.add(p);
    todo.push(...i.files);
  }
  return { modules: [...seen].map((f) => relative(SRC, f)).sort(), packages: [...packages].sort() };
}

test('the scanner tells loaded imports from types and import()', () => {
  const f = resolve(SRC, 'x.ts');
  const text = [
    "import { a } from './a.js';",
    "import type { B } from './b.js';",
    "import { type C, type D } from './c.js';",
    "import { e, type E } from './e.js';",
    "export { f } from './f.js';",
    "export type { G } from './g.js';",
    "const h = await import('./h.js');",
    "import blessed from 'blessed';",
    "import { readFileSync } from 'node:fs';",
    "import './side.js';",
  ].join('\n');
  const got = staticImports(f, text);
  assert.deepEqual(
    got.files.map((x) => relative(SRC, x)),
    ['a.ts', 'e.ts', 'f.ts', 'side.ts'],
  );
  assert.deepEqual(got.packages, ['blessed']);
});

test('`netdash --version` loads the entry, the version line and the output-error handling only', () => {
  assert.deepEqual(closure('cli.ts'), {
    modules: ['cli.ts', 'cli/output-errors.ts', 'cli/version.ts', 'text/eight-bit.ts', 'text/printable.ts'],
    packages: [],
  });
});

test('--help and a bad flag load only the option parser: no kernel readers, printers, names or packages', () => {
  const { modules, packages } = closure('cli/run.ts');
  assert.deepEqual(modules, [
    'cli/help.ts',
    'cli/options.ts',
    'cli/run.ts',
    'cli/version.ts',
    'cli/windows-proto.ts',
    'model/counter-value.ts',
    'print/json-stream.ts',
    'serve/listen-address.ts',
    'text/eight-bit.ts',
    'text/printable.ts',
    'text/wrap.ts',
  ]);
  assert.deepEqual(packages, []);
});

test('the print path loads no dashboard, sampler, serve, name tables or packages', () => {
  for (const entry of ['print/render-print.ts', 'sources/snapshot.ts', 'sources/kernel-fs.ts', 'sampler/clock.ts', 'names/dns-lookup.ts']) {
    const { modules, packages } = closure(entry);
    const heavy = modules.filter((m) => /^(dashboard|sampler|serve|cli)\//.test(m) && m !== 'sampler/clock.ts');
    assert.deepEqual(heavy, [], `${entry} loads ${heavy.join(', ')}`);
    const names = modules.filter((m) => /^names\/(services|users|host-names|networks)\.ts$/.test(m) && m !== 'names/services.ts');
    assert.deepEqual(names, [], `${entry} loads name tables ${names.join(', ')}`);
    assert.deepEqual(packages, [], `${entry} loads packages`);
  }
});

test('the direct TCP print (--print -tan) loads its formatter, the sock_diag reader and nothing else', () => {
  assert.deepEqual(closure('print/tcp-direct.ts'), {
    modules: [
      'names/tcp-states.ts',
      'print/inet-header.ts',
      'print/tcp-direct.ts',
      'sources/inet-address.ts',
      'sources/inet-sockets.ts',
      'sources/kernel-fs.ts',
      'sources/netlink-addon.ts',
      'sources/sock-diag.ts',
      'sources/tcp-info.ts',
      'text/bytes.ts',
    ],
    packages: [],
  });
});
