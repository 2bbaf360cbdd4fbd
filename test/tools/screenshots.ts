// npm run screenshots: the README's pictures. Each view replays the committed demo recording
// in a real terminal (a private tmux server, 120×36, TERM=xterm-256color), waits until the
// status line shows the view's sample, pauses (Space), sends the view's keys, captures the
// screen with its colours and renders it to screenshots/<file>.png.
//
//   npm run screenshots [-- --only NAME[,NAME…]] [--out DIR]
//
// Deterministic: the replay is paused on a chosen recorded sample (checked on screen after the
// pause; a run that overshot is started again), names and the host line come from the fixed
// root next to the recording (--root), and the time shown is the sample's, in UTC. Running it
// twice gives the same PNG bytes; screenshots.test.ts checks that.
//
// Views are a list: name, keys, and a check of the screen. Keys are tried as alternatives in
// order (a fresh replay for each); a view whose check fails for every alternative is reported
// as missing and its old PNG, if any, is left alone. The first alternative is the dashboard's
// final key design; later ones are fallbacks for the keys the dashboard had before it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { Tmux } from '../helpers/tmux.js';
import { readRecording } from '../../src/sampler/recording.js';
import type { RawSample } from '../../src/sampler/sample-engine.js';
import { missingFonts, screenToPng } from './ansi-png.js';
import { DEMO_RECORDING, DEMO_ROOT, REPO } from './demo-paths.js';

const CLI = fileURLToPath(new URL('../../src/cli.js', import.meta.url));

export const COLS = 120;
export const ROWS = 36;
/** Replay speed: fast enough to be quick, slow enough to pause on a given sample. */
const SPEED = 2;
/** The sample most views show: retransmit storm, interface drops, ICMP errors, the extra
 *  routes and the half-closed connections are all there (see make-recording.ts). */
export const DEFAULT_AT = 17;

/** A key as tmux send-keys names it ('Enter', 'Space', 'F3', 'j'), or text typed as is. */
export type Step = string | { text: string };

export interface View {
  /** File name (without .png) and the name used by --only. */
  name: string;
  /** What the picture shows (for the report and the README). */
  title: string;
  /** Alternatives: the keys sent after pausing. The first whose screen passes `expect` wins. */
  keys: Step[][];
  /** Does the screen (plain text, one string per row) show this view? */
  expect: (rows: string[]) => boolean;
  /** Recorded sample (1-based) to pause on, or how to find it in the recording. */
  at?: number | ((samples: readonly RawSample[]) => number);
  /** Extra netdash flags. */
  args?: string[];
  /** Terminal size, when not COLS×ROWS (the big layout needs 160×48 or more). */
  size?: readonly [number, number];
}

/** The first sample (1-based) whose IPv4 routing table differs from the one before it. */
export function firstRouteChange(samples: readonly RawSample[]): number {
  const table = (r: RawSample): string => {
    const v = r.snapshot.routes4;
    return v?.ok
      ? v.value
          .map((x) => `${x.destination}/${x.mask} ${x.gateway} ${x.iface}`)
          .sort()
          .join(',')
      : '';
  };
  for (let i = 1; i < samples.length; i++) {
    const cur = samples[i];
    const prev = samples[i - 1];
    if (cur && prev && table(cur) !== table(prev)) return i + 1;
  }
  return DEFAULT_AT;
}

/** The row of the first pane's title (just under the status line). */
const paneTitle = (rows: string[]): string => rows[1] ?? '';
const shows =
  (re: RegExp) =>
  (rows: string[]): boolean =>
    rows.some((r) => re.test(r));

export const VIEWS: readonly View[] = [
  {
    name: 'overview',
    title: 'The overview: connections with TCP state counts, interfaces, counters',
    keys: [[]],
    expect: (r) => /Connections/.test(paneTitle(r)),
  },
  {
    name: 'listening',
    title: 'Connections filtered to listening sockets, zoomed (l, z)',
    keys: [['l', 'z']],
    expect: (r) => /Connections/.test(paneTitle(r)) && shows(/listening/)(r) && shows(/LISTEN/)(r),
  },
  {
    name: 'interfaces',
    title: 'Interfaces, zoomed: drops that grew this tick in red (2, z)',
    keys: [
      ['2', 'z'],
      ['F2', 'z'],
    ],
    expect: (r) => /Interfaces/.test(paneTitle(r)),
  },
  {
    name: 'counters',
    title: 'Protocol counters during the retransmit storm, zoomed (3, z)',
    keys: [
      ['3', 'z'],
      ['F3', 'z'],
    ],
    expect: (r) => /counters/i.test(paneTitle(r)) && shows(/retrans/i)(r),
  },
  {
    name: 'icmp',
    title: 'ICMP by type: unreachables, time exceeded, echo (4, z)',
    keys: [['4', 'z']],
    expect: (r) => /ICMP/.test(paneTitle(r)),
  },
  {
    name: 'routes',
    title: 'Routes, on the sample where two were added (5)',
    keys: [['5'], ['F4']],
    expect: (r) => /Routes/.test(paneTitle(r)),
    at: firstRouteChange,
  },
  {
    name: 'detail',
    title: 'The detail view of a connection in CLOSE_WAIT, with what that means (/close_wait, Enter)',
    keys: [['/', { text: 'close_wait' }, 'Enter', 'Enter']],
    expect: shows(/Details/),
  },
  {
    name: 'help',
    title: 'The help overlay (?)',
    keys: [['?']],
    expect: shows(/keys/i),
  },
  {
    name: 'events',
    title: 'Events: connections opened, closed and changing state, routes added, zoomed (8, z)',
    keys: [['8', 'z']],
    expect: (r) => /Events/.test(paneTitle(r)),
  },
  {
    name: 'retransmitting',
    title: 'Which connection is retransmitting? r: the connections sorted by Retr/s, with TCP internals (r, z)',
    keys: [['r', 'z']],
    expect: (r) => /Connections/.test(paneTitle(r)) && shows(/Retr\/s/)(r) && shows(/sort retr\/s/)(r),
  },
  {
    name: 'processes',
    title: 'Processes by retransmits this tick: the web server behind the storm (9, s, z)',
    keys: [['9', 's', 'z']],
    expect: (r) => /Processes/.test(paneTitle(r)) && shows(/demo-web/)(r),
  },
  {
    name: 'peers',
    title: 'Peers by retransmits this tick: the lossy client first, the container clean (0, s, z)',
    keys: [['0', 's', 'z']],
    expect: (r) => /Peers/.test(paneTitle(r)) && shows(/client/)(r),
  },
  {
    name: 'graphs',
    title: 'The Graphs pane, zoomed, with the retransmit ratio pinned from the counters pane (3, g, v, z)',
    keys: [['3', 'g', 'v', 'z']],
    expect: (r) => /Graphs/.test(paneTitle(r)) && shows(/y: 0-/)(r),
  },
  {
    name: 'big',
    title: 'The big layout (200x60): connections, ICMP, routes, graphs, counters and interfaces together',
    keys: [[]],
    expect: (r) => shows(/ 4 ICMP/)(r) && shows(/ 5 Routes/)(r) && shows(/y: 0-/)(r),
    size: [200, 60],
  },
];

export interface ShotResult {
  name: string;
  file: string | null;
  /** Which alternative of `keys` worked (0 = the final design). */
  alternative: number | null;
  problem: string | null;
  /** Text on screen that looks like today's wall-clock time. */
  wallClock: string[];
}

/** HH:MM:SS of a sample's wall-clock time, in UTC (netdash runs with TZ=UTC here). */
function clock(ms: number): string {
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

const ENV = { TERM: 'xterm-256color', NCURSES_NO_UTF8_ACS: '1', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', TZ: 'UTC' };

function start(view: View, recording: string): Tmux {
  return Tmux.start([process.execPath, CLI, '--replay', recording, '--speed', String(SPEED), '--root', DEMO_ROOT, ...(view.args ?? [])], {
    width: view.size?.[0] ?? COLS,
    height: view.size?.[1] ?? ROWS,
    term: 'xterm-256color',
    env: ENV,
  });
}

/** Wait until two captures in a row agree (the redraw has settled). */
async function settled(t: Tmux): Promise<string> {
  let prev = t.capture();
  for (let i = 0; i < 40; i++) {
    await sleep(120);
    const cur = t.capture();
    if (cur === prev) return cur;
    prev = cur;
  }
  return prev;
}

function send(t: Tmux, steps: Step[]): void {
  for (const s of steps) {
    if (typeof s === 'string') t.keys(s);
    else t.type(s.text);
  }
}

type Attempt = { ok: true; capture: string; plain: string } | { ok: false; retry: boolean; why: string };

/** One replay: pause on the sample, send the keys, capture. */
async function attempt(view: View, steps: Step[], recording: string, target: string): Promise<Attempt> {
  const t = start(view, recording);
  try {
    const deadline = Date.now() + 90_000;
    for (;;) {
      const screen = t.capture();
      const status = screen.split('\n')[0] ?? '';
      if (status.includes(target)) break;
      if (/replay ended/.test(status) || t.dead()) return { ok: false, retry: true, why: `never saw sample time ${target}` };
      if (Date.now() > deadline) return { ok: false, retry: false, why: `timed out waiting for ${target} in the status line:\n${status}` };
      await sleep(15);
    }
    t.keys('Space');
    const paused = await t.waitFor((s) => /PAUSED/.test(s.split('\n')[0] ?? ''), 5000, 'PAUSED').catch(() => null);
    if (paused === null) return { ok: false, retry: false, why: 'the status line never showed PAUSED after Space' };
    if (!(paused.split('\n')[0] ?? '').includes(target)) return { ok: false, retry: true, why: 'paused one sample late' };
    for (const s of steps) {
      send(t, [s]);
      await settled(t);
    }
    const plain = await settled(t);
    const capture = t.tmux(['capture-pane', '-p', '-e', '-N', '-t', t.session]);
    if (/replay ended/.test(plain.split('\n')[0] ?? '')) return { ok: false, retry: true, why: 'the replay ended before the capture' };
    return { ok: true, capture, plain };
  } finally {
    t.kill();
  }
}

/** Times on screen within a few minutes of now (UTC or local), other than the recording's own
 *  sample times: text that depends on when it ran. */
function wallClockText(plain: string, sampleTimes: readonly string[]): string[] {
  for (const t of sampleTimes) plain = plain.split(t).join('<sample time>');
  const now = Date.now();
  const found = new Set<string>();
  for (let dm = -5; dm <= 5; dm++) {
    const d = new Date(now + dm * 60_000);
    const p = (n: number): string => String(n).padStart(2, '0');
    for (const hm of [`${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`, `${p(d.getHours())}:${p(d.getMinutes())}`]) {
      for (const line of plain.split('\n')) if (line.includes(hm)) found.add(line.trim());
    }
  }
  return [...found];
}

export async function shoot(view: View, o: { outDir: string; recording?: string; log?: (s: string) => void }): Promise<ShotResult> {
  const recording = o.recording ?? DEMO_RECORDING;
  const log = o.log ?? (() => {});
  const { samples } = readRecording(recording);
  const at = typeof view.at === 'function' ? view.at(samples) : (view.at ?? DEFAULT_AT);
  const sample = samples[at - 1];
  if (!sample) return { name: view.name, file: null, alternative: null, problem: `the recording has no sample ${at}`, wallClock: [] };
  const target = clock(sample.snapshot.time);
  for (const other of [samples[at - 2], samples[at]]) {
    if (other && clock(other.snapshot.time) === target) {
      return {
        name: view.name,
        file: null,
        alternative: null,
        problem: `sample ${at} shares its time ${target} with a neighbour: pick another`,
        wallClock: [],
      };
    }
  }
  const problems: string[] = [];
  for (let alt = 0; alt < view.keys.length; alt++) {
    const steps = view.keys[alt] ?? [];
    let result: Attempt = { ok: false, retry: true, why: 'not run' };
    for (let tries = 0; tries < 5; tries++) {
      result = await attempt(view, steps, recording, target);
      if (result.ok || !result.retry) break;
      log(`  ${view.name}: ${result.why}; again`);
    }
    if (!result.ok) {
      problems.push(`keys ${JSON.stringify(steps)}: ${result.why}`);
      continue;
    }
    const rows = result.plain.split('\n');
    if (!view.expect(rows)) {
      problems.push(`keys ${JSON.stringify(steps)}: the screen does not show this view (pane title: "${(rows[1] ?? '').trim()}")`);
      continue;
    }
    mkdirSync(o.outDir, { recursive: true });
    const file = join(o.outDir, `${view.name}.png`);
    writeFileSync(file, screenToPng(result.capture, view.size?.[0] ?? COLS, view.size?.[1] ?? ROWS));
    return {
      name: view.name,
      file,
      alternative: alt,
      problem: null,
      wallClock: wallClockText(
        result.plain,
        samples.map((x) => clock(x.snapshot.time)),
      ),
    };
  }
  return { name: view.name, file: null, alternative: null, problem: problems.join('; '), wallClock: [] };
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  let only: Set<string> | null = null;
  let outDir = join(REPO, 'screenshots');
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--only') only = new Set((argv[++i] ?? '').split(','));
    else if (argv[i] === '--out') outDir = argv[++i] ?? outDir;
    else {
      process.stderr.write(`screenshots: unknown argument ${argv[i]}\nusage: npm run screenshots [-- --only NAME[,NAME…]] [--out DIR]\n`);
      return 2;
    }
  }
  const fonts = missingFonts();
  if (fonts.length > 0) {
    process.stderr.write(`screenshots: font not found: ${fonts.join(', ')}\n  Debian/Ubuntu: apt-get install fonts-dejavu-core\n`);
    return 1;
  }
  const views = VIEWS.filter((v) => !only || only.has(v.name));
  let missing = 0;
  for (const v of views) {
    const r = await shoot(v, { outDir, log: (s) => process.stderr.write(s + '\n') });
    if (r.file) {
      const how = r.alternative === 0 ? '' : ` (fallback keys ${JSON.stringify(v.keys[r.alternative ?? 0])})`;
      process.stdout.write(`${v.name}: ${r.file}${how}\n`);
      for (const w of r.wallClock) process.stdout.write(`  warning: text that looks like the time now: ${w}\n`);
    } else {
      missing++;
      process.stdout.write(`${v.name}: MISSING: ${r.problem}\n`);
    }
  }
  if (missing > 0) process.stdout.write(`${missing} of ${views.length} views missing (their old pictures, if any, were kept)\n`);
  return 0;
}

// Run as a script (not when a test imports it).
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`screenshots: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
