// The test tiers (test/tiers.ts): every test file in exactly one, and the unit tier pure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TIERS } from './tiers.js';
import { REPO } from './tools/demo-paths.js';
import { manifestProblems, testFiles } from './tools/run-tests.js';

test('every test file has exactly one tier, and every name in the manifest is a file', () => {
  assert.deepEqual(manifestProblems(testFiles()), []);
  // The check itself: a file in no tier, a name in two, a name with no file.
  const files = [...testFiles(), 'brand-new'];
  assert.deepEqual(manifestProblems(files), ['test/brand-new.test.ts has no tier in test/tiers.ts']);
  assert.deepEqual(manifestProblems(files.filter((f) => f !== 'soak' && f !== 'brand-new')), [
    'test/tiers.ts names soak, but test/soak.test.ts does not exist',
  ]);
});

/** What a unit test must not reach for: it runs in seconds, as any user, on any machine. */
const IMPURE: [RegExp, string][] = [
  [/\bprereq\(/, 'prereq() (root, namespaces, tmux, netstat)'],
  [/from '\.\/helpers\/(netns|tmux|unprivileged|tcp-source|tcp-sink|socket-world|churn|dns-server)\.js'/, 'a system helper'],
  [/from 'node:child_process'/, 'child processes'],
  [/'\.\.\/src\/cli\.js'/, 'the netdash program'],
  [/kernelFs\('\/'\)/, 'the live /proc'],
];

const impurities = (name: string): string[] => {
  const text = readFileSync(join(REPO, 'test', `${name}.test.ts`), 'utf8');
  return IMPURE.filter(([re]) => re.test(text)).map(([, what]) => `${name}: ${what}`);
};

test('unit test files use no root, namespace, tmux, child process or live /proc', () => {
  // (This file names the patterns, so it is left out.)
  assert.deepEqual(TIERS.unit.filter((n) => n !== 'test-tiers').flatMap(impurities), []);
  // The checks see what they look for: each system and soak file trips at least one.
  assert.deepEqual(
    [...TIERS.system, ...TIERS.soak].filter((n) => impurities(n).length === 0),
    [],
  );
});
