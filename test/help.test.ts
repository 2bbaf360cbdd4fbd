// --help is made from FLAG_HELP (options.ts), one line per flag next to its definition: every
// flag appears with its value's name, in its group, and no flag line is wider than the layout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HELP } from '../src/cli/help.js';
import { FLAG_HELP, flagLabel, flagsIn, validFlags } from '../src/cli/options.js';

test('every flag has its line in --help, in its group', () => {
  const flags = Object.keys(FLAG_HELP) as (keyof typeof FLAG_HELP)[];
  assert.ok(flags.length > 40);
  for (const f of flags) {
    const label = flagLabel(f);
    assert.match(HELP, new RegExp(`^ {4}${label.replace(/[[\]]/g, '\\$&')} `, 'm'), `--help lists ${label}`);
    assert.ok(validFlags().includes(`--${f}`), `${f} is a flag the parser knows`);
  }
  // Groups keep netstat(8)'s order: what to show, options, socket types, families, then netdash's.
  const at = (f: keyof typeof FLAG_HELP): number => HELP.indexOf(`    ${flagLabel(f)} `);
  assert.ok(at(flagsIn('show')[0]!) < at(flagsIn('options')[0]!));
  assert.ok(at(flagsIn('types')[0]!) < at(flagsIn('families')[0]!));
  assert.ok(at(flagsIn('families')[0]!) < at(flagsIn('netdash')[0]!));
  assert.equal(flagLabel('record'), '--record FILE');
  assert.equal(flagLabel('all'), '-a, --all');
});

test('flag lines fit 92 columns, long texts wrapped under their text', () => {
  const flagLines = HELP.split('\n').filter((l) => /^ {4}(-|\(none\)| {24}\S)/.test(l));
  assert.ok(flagLines.length > 50);
  for (const line of flagLines) assert.ok(line.length <= 92, `too wide: ${JSON.stringify(line)}`);
  assert.match(HELP, /^ {4}--serve \[ADDR:\]PORT {5}serve \/metrics[^\n]*\n {28}\S/m);
});
