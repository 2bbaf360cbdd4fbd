// Captured kernel files under test/fixtures, found by directory and name, for tests that run
// a parser over every fixture of a kind.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FX = fileURLToPath(new URL('../../../test/fixtures/', import.meta.url));

/** Every file below the fixture directories whose name matches. */
export function fixtures(dirs: string[], name: RegExp): Buffer[] {
  const out: Buffer[] = [];
  const walk = (p: string): void => {
    for (const e of readdirSync(p)) {
      const full = join(p, e);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.test(e)) out.push(readFileSync(full));
    }
  };
  for (const d of dirs) walk(join(FX, d));
  assert.ok(out.length > 0, `fixtures for ${name} in ${dirs.join(', ')}`);
  return out;
}
