// The list panes: a title row, for connections the per-state counts, a column header and
// exactly the rows that fit. Pure functions of the store; layout puts the lines in boxes.
import { printable, tagSafe } from '../escape.js';
import { duration } from '../format.js';
import type { Store } from '../store.js';
import { PANES, PANE_TITLES, SORT_COLUMNS, type PaneId } from '../ui-state.js';
import { sinceTitle } from '../lists/pane-spec.js';
import { rowLine, textLine, titleLine } from './common.js';

function paneInfo(store: Store, pane: PaneId, total: number, offset: number, shown: number): string {
  const s = store.state;
  const parts: string[] = [];
  if (s.zoom) parts.push('[ZOOMED: z or Esc leaves]');
  if (pane === 'graphs') parts.push(`g pins rows, G unpins; ${duration(store.history.capacity * store.state.intervalMs)} window`);
  if (pane === 'graphs') parts.push(`${total} charts`);
  else parts.push(total === 0 ? '0 rows' : shown < total ? `${offset + 1}-${offset + shown}/${total}` : `${total} rows`);
  if (pane === 'connections') {
    const protos = (['tcp', 'udp', 'raw'] as const).filter((p) => s.proto[p]).join('+') || 'none';
    const fam = s.family.v4 && s.family.v6 ? '' : s.family.v4 ? ' IPv4' : s.family.v6 ? ' IPv6' : ' no family';
    parts.push(`${protos}${fam} ${s.scope === 'all' ? 'all' : s.scope === 'listening' ? 'listening' : 'connected'}`);
  }
  if (pane === 'interfaces')
    parts.push(
      s.counterMode === 'rate'
        ? 'per second'
        : s.counterMode === 'delta'
          ? 'per tick'
          : s.counterMode === 'since'
            ? sinceTitle(store.frame.sample).toLowerCase()
            : 'totals',
    );
  const cols = SORT_COLUMNS[pane];
  if (cols.length > 1 || s.sort[pane].reverse) parts.push(`sort ${cols[s.sort[pane].col] ?? ''} ${s.sort[pane].reverse ? '↑' : '↓'}`);
  if (s.filter) parts.push(`/${printable(s.filter)}`);
  return parts.join('  ');
}

/** Where a pane's list rows were drawn: the line of the first one, the list index drawn there
 *  and how many (for the mouse). */
export interface PaneLinesInfo {
  firstRow: number;
  offset: number;
  shown: number;
}

/** The lines of one pane in a width×height box. Never more than height lines. */
export function paneLines(store: Store, pane: PaneId, width: number, height: number, focused: boolean, info?: PaneLinesInfo): string[] {
  if (height <= 0 || width <= 0) return [];
  const lines: string[] = [];
  const num = PANES.indexOf(pane) + 1;
  // Title first; its info needs the row window, so it is filled in last.
  let room = height - 1;
  const extra: string[] = [];
  if (pane === 'connections') {
    const summary = store.summaryLines(width);
    // The counts go when there is no room for them and at least a few rows.
    if (room - summary.length >= 3) {
      for (const l of summary) {
        extra.push(
          l.items
            .map((it) => {
              const count =
                it.count === '0' ? `{gray-fg}${tagSafe(it.label)} 0{/gray-fg}` : `${tagSafe(it.label)} {bold}${it.count}{/bold}`;
              const ch = it.change
                ? it.change.startsWith('+')
                  ? `{green-fg}${it.change}{/green-fg}`
                  : `{red-fg}${it.change}{/red-fg}`
                : '';
              return count + ch;
            })
            .join('  '),
        );
      }
      room -= summary.length;
    }
  }
  const probe = store.visibleRows(pane, Math.max(0, room - 1), width);
  const hasHeader = probe.header !== '' && room >= 2;
  const rowsRoom = Math.max(0, room - (hasHeader ? 1 : 0));
  const view = hasHeader ? probe : store.visibleRows(pane, rowsRoom, width);
  lines.push(titleLine(num, PANE_TITLES[pane], paneInfo(store, pane, view.total, view.offset, view.rows.length), focused, width));
  lines.push(...extra);
  if (hasHeader) lines.push(textLine(view.header, width, 'underline'));
  if (view.message !== null && rowsRoom > 0) lines.push(textLine(view.message, width, 'gray-fg'));
  if (info) {
    info.firstRow = lines.length + (view.message !== null && rowsRoom > 0 ? 1 : 0);
    info.offset = view.offset;
    info.shown = view.rows.length;
  }
  for (const r of view.rows) lines.push(rowLine(r, width));
  return lines.slice(0, height);
}
