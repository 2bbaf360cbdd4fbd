// The help overlay and the detail view of the row under the cursor.
import { KEY_HELP } from '../keys.js';
import type { Store } from '../store.js';
import { textLine } from './common.js';

export function helpLines(width: number): string[] {
  const w = Math.max(0, width);
  const keyW = Math.max(...KEY_HELP.map(([k]) => k.length)) + 2;
  const lines = ['netdash keys  (Esc or ? closes)'];
  for (const [k, what] of KEY_HELP) lines.push(`${k.padEnd(keyW)}${what}`);
  return lines.map((l) => textLine(l, w));
}

export function detailLines(store: Store, width: number): string[] {
  return ['Details  (Enter or Esc closes)', '', ...store.detailLines()].map((l) => textLine(l, Math.max(0, width)));
}
