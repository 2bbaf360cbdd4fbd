// Frame snapshots: every view of the dashboard at three terminal sizes, drawn from the demo
// recording at a fixed sample (test/helpers/demo-frames.ts), compared as text with the files
// in test/snapshots/frames/. A column that moves, is cut or changes width fails here.
//
// After a deliberate change to what the screen shows: UPDATE_SNAPSHOTS=1 (npm run
// snapshots:update) rewrites the files; review them with git diff before committing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoFrame } from './helpers/demo-frames.js';
import { frameDiff, frameRows, frameText } from './helpers/frame-diff.js';
import { REPO } from './tools/demo-paths.js';

const DIR = join(REPO, 'test', 'snapshots', 'frames');
const UPDATE = process.env['UPDATE_SNAPSHOTS'] === '1';

const SIZES: readonly [number, number][] = [
  [80, 24],
  [120, 40],
  [160, 48],
];

/** Each view: the keys typed after the samples are in. Panes are shown zoomed. */
const VIEWS: readonly { name: string; keys: string[]; sizes?: readonly [number, number][] }[] = [
  { name: 'overview', keys: [] },
  // The big layout: every card pane on one screen, with the graphs.
  { name: 'big', keys: [], sizes: [[200, 60]] },
  // The Graphs pane zoomed, with the retransmit ratio pinned from the counters pane.
  { name: 'graphs', keys: ['3', 'g', 'v', 'z'] },
  ...['connections', 'interfaces', 'counters', 'icmp', 'routes', 'conntrack', 'unix', 'events'].map((name, i) => ({
    name,
    keys: [String(i + 1), 'z'],
  })),
  { name: 'help', keys: ['?'] },
  // The filter finds the connection in CLOSE_WAIT; Enter keeps the filter, Enter again opens the detail.
  { name: 'detail', keys: ['/', 'close_wait', '\r', '\r'] },
];

const fileOf = (view: string, cols: number, rows: number): string => join(DIR, `${view}.${cols}x${rows}.txt`);

if (UPDATE && process.env['CI'] === 'true') throw new Error('UPDATE_SNAPSHOTS=1 under CI: snapshots are compared in CI, never rewritten');

for (const view of VIEWS) {
  for (const [cols, rows] of view.sizes ?? SIZES) {
    test(`frame: ${view.name} at ${cols}x${rows}`, async (t) => {
      const frame = await demoFrame({ cols, rows, keys: view.keys });
      const file = fileOf(view.name, cols, rows);
      const stored = existsSync(file) ? frameRows(readFileSync(file, 'utf8')) : null;
      if (UPDATE) {
        if (stored === null || frameDiff(stored, frame) !== null) {
          mkdirSync(DIR, { recursive: true });
          writeFileSync(file, frameText(frame));
          t.diagnostic(`updated ${file}`);
        }
        return;
      }
      assert.ok(stored, `no snapshot ${file}: make it with UPDATE_SNAPSHOTS=1 (npm run snapshots:update)`);
      const diff = frameDiff(stored, frame);
      assert.equal(
        diff,
        null,
        `${view.name} at ${cols}x${rows} differs from ${file}\n${diff}\n` +
          'If the change is meant: npm run snapshots:update, then review git diff test/snapshots.',
      );
    });
  }
}

test('frame snapshots: no file for a view or size that is no longer drawn', () => {
  const want = new Set(VIEWS.flatMap((v) => (v.sizes ?? SIZES).map(([c, r]) => `${v.name}.${c}x${r}.txt`)));
  const extra = existsSync(DIR) ? readdirSync(DIR).filter((f) => !want.has(f)) : [];
  if (UPDATE) {
    for (const f of extra) rmSync(join(DIR, f));
    return;
  }
  assert.deepEqual(extra, []);
});

test('frame comparison: a column shifted by one, a cut column, a changed cell all fail', async () => {
  const stored = frameRows(readFileSync(fileOf('overview', 80, 24), 'utf8'));
  const frame = await demoFrame({ cols: 80, rows: 24 });
  assert.equal(frameDiff(stored, frame), null);
  // Row 5 (the first connection) with everything from column 21 on moved right by one.
  const shifted = frame.map((row, i) => (i === 5 ? row.slice(0, 20) + ' ' + row.slice(20, -1) : row));
  assert.equal(shifted[5]?.length, 80);
  assert.match(frameDiff(stored, shifted) ?? '', /^row 6, column \d+ differs:/);
  // The same shift in a run of blanks that only moves the next column's start.
  const at = (frame[5] ?? '').indexOf('0      0') + 1;
  const blanks = frame.map((row, i) => (i === 5 ? row.slice(0, at) + row.slice(at + 1, -1) + ' ' + row.slice(-1) : row));
  assert.notEqual(blanks[5], frame[5]);
  assert.match(frameDiff(stored, blanks) ?? '', /^row 6, column /);
  // Column 40 cut out of every row (the rows keep their width).
  const cut = frame.map((row) => row.slice(0, 39) + row.slice(40) + ' ');
  assert.match(frameDiff(stored, cut) ?? '', /^row \d+, column \d+ differs:/);
  // A row one column short, and a frame one row short.
  assert.match(
    frameDiff(
      stored,
      frame.map((row, i) => (i === 3 ? row.slice(0, -1) : row)),
    ) ?? '',
    /^row 4, column 80 differs \(79 columns, expected 80\)/,
  );
  assert.equal(frameDiff(stored, frame.slice(0, -1)), '23 rows, expected 24');
});
