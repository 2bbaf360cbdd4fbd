// ESLint: typescript-eslint's type-aware recommended rules over src/ and test/, with the few
// changes below, each with its reason. Formatting is Prettier's (package.json "prettier"), so
// eslint-config-prettier turns off every stylistic rule. `npm run lint` runs both.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

/** Where netdash meets blessed, whose objects are loosely typed: the only files where `any`
 *  (and what follows from it) is allowed. */
/** The repository: this file lives in test/tools/ (the top level holds only what the layout allows). */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const BLESSED_BOUNDARY = ['src/dashboard/app.ts', 'src/dashboard/layout.ts', 'src/dashboard/chart-widgets.ts'];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'screenshots/', 'test/fixtures/', 'test/snapshots/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: ROOT },
    },
    // A disable comment that no longer silences anything is an error, so none goes stale.
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // node:test's test()/it()/describe() return promises that the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite'] }] },
      ],
      // A leading underscore marks a parameter or binding that is unused on purpose (an
      // interface's argument, a property left out of a rest object).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // A caught value passed on as it is (a catch binding is `unknown`) is not a new non-Error.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      // Off: `async` without `await` is deliberate here. It turns a synchronous throw into a
      // rejection, which KernelFs implementations and fakes of async interfaces must do.
      '@typescript-eslint/require-await': 'off',
      // Off: regexes match netstat's column layout, where a run of spaces is the thing tested.
      'no-regex-spaces': 'off',
    },
  },
  {
    files: BLESSED_BOUNDARY,
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  // This file is plain JavaScript outside tsconfig: no type information for it.
  { files: ['**/*.js'], ...tseslint.configs.disableTypeChecked },
  prettier,
);
