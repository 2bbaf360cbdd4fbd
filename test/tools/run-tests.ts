// npm test / test:unit / test:system / test:soak: runs the compiled test files of the given
// tiers (test/tiers.ts) in one `node --test`, after checking that every test/*.test.ts has a
// tier, so that no file is left out of `npm test` by being left out of the manifest.
//
//   node dist/test/tools/run-tests.js TIER… [--node-test-option=VALUE…] [-- NODE_TEST_ARGS…]
//   npm run test:unit -- --test-name-pattern=frame
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TIER_NAMES, TIERS, type Tier } from '../tiers.js';
import { REPO } from './demo-paths.js';

const DIST_TEST = fileURLToPath(new URL('../', import.meta.url));

/** test/*.test.ts by name (without .test.ts). */
export function testFiles(repo = REPO): string[] {
  return readdirSync(join(repo, 'test'))
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => f.slice(0, -'.test.ts'.length))
    .sort();
}

/** What is wrong with the manifest against the files: names in no tier, in two, or missing. */
export function manifestProblems(files: readonly string[]): string[] {
  const problems: string[] = [];
  const tierOf = new Map<string, Tier>();
  for (const tier of TIER_NAMES) {
    for (const name of TIERS[tier]) {
      const other = tierOf.get(name);
      if (other) problems.push(`${name}: in both ${other} and ${tier}`);
      tierOf.set(name, tier);
    }
  }
  for (const f of files) if (!tierOf.has(f)) problems.push(`test/${f}.test.ts has no tier in test/tiers.ts`);
  for (const name of tierOf.keys())
    if (!files.includes(name)) problems.push(`test/tiers.ts names ${name}, but test/${name}.test.ts does not exist`);
  return problems;
}

function main(argv: string[]): number {
  // Words are tiers; options (--test-name-pattern=frame, --test-concurrency=1) and anything
  // after a lone `--` go to node --test.
  const dash = argv.indexOf('--');
  const own = dash < 0 ? argv : argv.slice(0, dash);
  const tiers = own.filter((a) => !a.startsWith('-'));
  const passOn = [...own.filter((a) => a.startsWith('-')), ...(dash < 0 ? [] : argv.slice(dash + 1))];
  const bad = tiers.find((t) => !(TIER_NAMES as string[]).includes(t));
  if (tiers.length === 0 || bad !== undefined) {
    process.stderr.write(
      `run-tests: ${bad === undefined ? 'no tier given' : `unknown tier '${bad}'`}: choose from ${TIER_NAMES.join(', ')}\n`,
    );
    return 2;
  }
  const problems = manifestProblems(testFiles());
  if (problems.length > 0) {
    process.stderr.write(problems.map((p) => `run-tests: ${p}\n`).join(''));
    return 2;
  }
  const files = [...new Set(tiers.flatMap((t) => TIERS[t as Tier]))].sort().map((n) => join(DIST_TEST, `${n}.test.js`));
  const r = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...passOn, ...files], { stdio: 'inherit' });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

// Run as a script (not when a test imports it).
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = main(process.argv.slice(2));
