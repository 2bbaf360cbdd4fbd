// What every pane's list module provides: its rows (filtered and sorted, keyed by identity),
// how one row is formatted at a width, what to say when there are none, and the detail view
// of one row. The store caches lists per frame and formats only the rows on screen.
import type { ConnOptions, NameContext } from '../../names/netstat-notation.js';
import type { History } from '../../sampler/history.js';
import type { Sample } from '../../sampler/sample-engine.js';
import type { RowBody } from '../columns.js';
import { printable } from '../escape.js';
import { wrap, type Explanation } from '../explain/index.js';
import type { Frame } from '../frame.js';
import type { UiState } from '../ui-state.js';

export interface PaneContext {
  ui: UiState;
  frame: Frame;
  sample: Sample | null;
  /** Names with this frame's process owners. */
  names: NameContext;
  conn: ConnOptions;
  /** The '/' filter, lowercased ('' when none). */
  needle: string;
  /** 1 or -1 from the pane's sort direction. */
  dir: 1 | -1;
  /** The pane's sort column name. */
  sortCol: string;
  /** The recorded series the Graphs pane draws (the store's). */
  history?: History;
}

export interface Formatter<T> {
  header: string;
  row(item: T): RowBody;
}

/** A pane's list as built for an earlier frame, with the same filters and sort. */
export interface PrevList {
  frame: Frame;
  keys: readonly string[];
  items: readonly unknown[];
}

/** Everything about one pane: what it is called, how it sorts, its rows, their columns and the
 *  detail of one row. A pane is one module exporting one PaneSpec, plus its line in
 *  PANE_REGISTRY (registry.ts), whose order gives the jump keys 1…n. */
export interface PaneSpec<T> {
  /** Its title line. */
  title: string;
  /** Its name in the help's list of jump keys. */
  short: string;
  /** Sortable columns; index 0 is the default. */
  sortColumns: readonly string[];
  /** `prev`: the list of an earlier frame under the same filters and sort, for panes that can
   *  bring it up to date for less than building it again. */
  list(c: PaneContext, prev?: PrevList): { keys: readonly string[]; items: readonly T[]; patched?: boolean };
  /** What of the frame the list is made from, as values compared with ===: a later frame with
   *  the same ones (an idle tick's counter stats) keeps the list made under the same filters
   *  and sort. */
  listInput?(frame: Frame): readonly unknown[];
  /** Everything of the frame the pane's lines are made from (its list's inputs included), as
   *  values compared with ===: a later frame with the same ones, under the same UI state and in
   *  the same box, shows exactly the lines it showed, which are not formatted again. Without
   *  it the lines are formatted every frame. */
  textInputs?(frame: Frame): readonly unknown[];
  format(c: PaneContext, width: number): Formatter<T>;
  /** Shown when the list is empty (c.sample is never null here). */
  empty(c: PaneContext): string;
  /** Lines about one row (printable); explanations are wrapped to `width`. */
  detail(c: PaneContext, item: T, key: string, width: number): string[];
}

/** Erase a pane's item type, so the store can keep every pane in one table. */
export function pane<T>(spec: PaneSpec<T>): PaneSpec<unknown> {
  return spec;
}

export function sinceTitle(sample: Sample | null | undefined): string {
  const r = sample?.mark.reason ?? 'start';
  return r === 'start' ? 'Since start' : r === 'mark' ? 'Since mark' : 'Since boot';
}

export function filtered(c: PaneContext): string {
  return c.ui.filter ? ` matching "${printable(c.ui.filter)}"` : '';
}

/** An explanation as detail lines: a heading, the meaning, and what to check when it rises,
 *  wrapped to width. */
export function explained(e: Explanation | null, width: number): string[] {
  if (!e) return [];
  const out = ['', `${e.title}:`, ...wrap(e.meaning, width)];
  if (e.whenRising) out.push(...wrap(`When it rises: ${e.whenRising}`, width));
  return out;
}
