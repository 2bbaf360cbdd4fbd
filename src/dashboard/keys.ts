// Key → action. One table, so the help overlay and the footer list exactly what works.
import { PANE_SPECS } from './lists/registry.js';
import { PANES, type Action, type UiState } from './ui-state.js';

/** What blessed hands a keypress handler (the parts used here). */
export interface KeyEvent {
  name?: string | undefined;
  full?: string | undefined;
  ctrl?: boolean | undefined;
  meta?: boolean | undefined;
  shift?: boolean | undefined;
}

/** Commands the app carries out itself (they touch the sampler or the process). */
export type Command = 'quit' | 'mark' | 'slower' | 'faster' | 'suspend' | 'pin';

export type KeyResult = { action: Action } | { command: Command } | null;

export const KEY_HELP: readonly (readonly [string, string])[] = [
  ['q  C-c', 'quit'],
  ['C-z', 'suspend to the shell (fg resumes)'],
  ['Space', 'pause the display (sampling goes on)'],
  ['m', 'mark: "since" columns count from now'],
  ['+  -', 'longer / shorter sampling interval'],
  ['Tab  S-Tab', 'next / previous pane'],
  [`1..9 0`, 'jump: ' + PANES.map((p, i) => `${i + 1} ${PANE_SPECS[p].short}`).join(' ') + ' (0: pane 10; F1..F12, Alt-digits too)'],
  ['↑ ↓  j k', 'move the cursor'],
  ['PgUp PgDn Home End', 'page, first, last row'],
  ['g  G', 'chart the row (counter, interface, ICMP type, connection, process, peer) in Graphs / unpin it; G unpins all (c C too)'],
  ['v  F11', 'the Graphs pane'],
  ['Enter', 'details of the row under the cursor'],
  ['z', 'zoom the focused pane'],
  ['t u w', 'only TCP, UDP, RAW (more keys add, again removes)'],
  ['x', 'UNIX sockets (pane 7), as netstat -x; in pane 7: back'],
  ['f', 'address family: both, IPv4 only, IPv6 only (-4 -6 at start)'],
  ['l  a', 'listening only / all sockets (again: connected)'],
  ['n', 'numeric hosts, ports and users'],
  ['p  e  o', 'PID/Program; User+Inode (all counters); Timer+Rtx'],
  ['i', 'TCP internals: Rx/s Tx/s Retr/s Retr RTT cwnd (tcp_info, as --info)'],
  ['r', 'which connection retransmits: connections sorted by Retr/s (from Tcp.RetransSegs or anywhere)'],
  ['!', 'protocol counters: problems that moved / every counter'],
  ['/', 'filter rows by text (Enter keeps it, Esc clears)'],
  ['s  S', 'next sort column / reverse the sort'],
  ['d', 'interface and ICMP counters: rate / delta / total / since mark'],
  ['?', 'this help'],
  ['Esc', 'close help or details, clear the filter, unzoom'],
];

const INTERVALS_S = [0.2, 0.5, 1, 2, 5, 10, 30, 60, 300, 3600];

/** The next interval up or down the ladder from ms. */
export function stepInterval(ms: number, dir: 1 | -1): number {
  const s = ms / 1000;
  if (dir > 0) return (INTERVALS_S.find((x) => x > s + 1e-9) ?? INTERVALS_S[INTERVALS_S.length - 1] ?? 3600) * 1000;
  const down = [...INTERVALS_S].reverse().find((x) => x < s - 1e-9);
  return (down ?? INTERVALS_S[0] ?? 0.2) * 1000;
}

export function keyToAction(ch: string | undefined, key: KeyEvent, s: UiState): KeyResult {
  const name = key.name ?? '';
  const full = key.full ?? name;
  if (full === 'C-c') return { command: 'quit' };
  // Raw mode delivers Ctrl-Z as a key: suspend as the tty's own susp character would.
  if (full === 'C-z') return { command: 'suspend' };

  if (s.editingFilter) {
    if (name === 'escape') return { action: { type: 'filterClear' } };
    if (name === 'enter' || name === 'linefeed') return { action: { type: 'filterAccept' } };
    if (name === 'return') return null; // blessed reports CR as 'enter' and then 'return'
    if (name === 'backspace') return { action: { type: 'filterBackspace' } };
    if (full === 'C-u') return { action: { type: 'filterClear' } };
    if (ch !== undefined && ch.length === 1 && ch >= ' ' && ch !== '\x7f' && !key.ctrl && !key.meta) {
      return { action: { type: 'filterInput', text: ch } };
    }
    return null;
  }

  // Digits jump to panes; F-keys and Alt-digits too, for terminals that eat plain digits.
  // 0 is pane 10 (F10, Alt-0 too); F11, F12 the panes after it.
  const fkey = /^f([1-9]|1[0-2])$/.exec(name) ?? /^M-([0-9])$/.exec(full);
  const digit = ch !== undefined && /^[0-9]$/.test(ch) && !key.ctrl && !key.meta ? ch : fkey?.[1];
  const jumpTo = digit === undefined ? undefined : PANES[(digit === '0' ? 10 : Number(digit)) - 1];
  if (jumpTo) return { action: { type: 'focus', pane: jumpTo } };
  if (name === 'f11' || (ch === 'v' && !key.ctrl && !key.meta)) return { action: { type: 'focus', pane: 'graphs' } };

  switch (name) {
    case 'escape':
      return { action: { type: 'escape' } };
    // blessed reports CR as 'enter' and then again as 'return', LF as 'linefeed'.
    case 'enter':
    case 'linefeed':
      return { action: { type: 'toggleDetail' } };
    case 'return':
      return null;
    case 'tab':
      return { action: { type: 'focusNext', delta: key.shift ? -1 : 1 } };
    case 'up':
      return { action: { type: 'move', by: -1 } };
    case 'down':
      return { action: { type: 'move', by: 1 } };
    case 'pageup':
      return { action: { type: 'page', by: -1 } };
    case 'pagedown':
      return { action: { type: 'page', by: 1 } };
    case 'home':
      return { action: { type: 'home' } };
    case 'end':
      return { action: { type: 'end' } };
    case 'space':
      return { action: { type: 'togglePause' } };
    default:
      break;
  }
  if (key.ctrl || key.meta) return null;

  switch (ch) {
    case 'q':
      return { command: 'quit' };
    case ' ':
      return { action: { type: 'togglePause' } };
    case 'm':
      return { command: 'mark' };
    case '+':
    case '=':
      return { command: 'slower' };
    case '-':
    case '_':
      return { command: 'faster' };
    case 'k':
      return { action: { type: 'move', by: -1 } };
    case 'j':
      return { action: { type: 'move', by: 1 } };
    case 't':
      return { action: { type: 'toggleProto', proto: 'tcp' } };
    case 'u':
      return { action: { type: 'toggleProto', proto: 'udp' } };
    case 'w':
      return { action: { type: 'toggleProto', proto: 'raw' } };
    case 'x':
      return { action: { type: 'unixSockets' } };
    case 'f':
      return { action: { type: 'cycleFamily' } };
    case '!':
      return { action: { type: 'toggle', flag: 'allCounters' } };
    case 'l':
      return { action: { type: 'scope', scope: 'listening' } };
    case 'a':
      return { action: { type: 'scope', scope: 'all' } };
    case 'n':
      return { action: { type: 'toggle', flag: 'numeric' } };
    case 'p':
      return { action: { type: 'toggle', flag: 'programs' } };
    case 'e':
      return { action: { type: 'toggle', flag: 'extended' } };
    case 'o':
      return { action: { type: 'toggle', flag: 'timers' } };
    case 'i':
      return { action: { type: 'toggle', flag: 'traffic' } };
    case 'r':
      return { action: { type: 'sortBy', pane: 'connections', col: 'retr/s' } };
    case 'z':
      return { action: { type: 'toggle', flag: 'zoom' } };
    case '?':
      return { action: { type: 'toggle', flag: 'help' } };
    case '/':
      return { action: { type: 'filterStart' } };
    case 's':
      return { action: { type: 'sortNext' } };
    case 'S':
      return { action: { type: 'sortReverse' } };
    case 'd':
      return { action: { type: 'cycleCounterMode' } };
    // g charts the row (the key; c too, as it was first): first and last row are Home
    // and End.
    case 'g':
    case 'c':
      return { command: 'pin' };
    case 'G':
    case 'C':
      return { action: { type: 'unpinAll' } };
    default:
      return null;
  }
}
