// History and graphs: the ring buffers' memory bound, the charts' scales, pins, the big layout
// and the Graphs pane drawn with blessed-contrib on a fake terminal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseOptions } from '../src/cli/options.js';
import { anchoredBuckets, counterChart, chartScale, downsample, interfaceChart, niceCeil } from '../src/dashboard/graphs.js';
import blessed from 'blessed';
import {
  ChartPool,
  chartLabel,
  fastClear,
  historyReader,
  holds,
  HOLD_POINTS,
  runLengthFrame,
  type ChartData,
  type DotCanvas,
  type DotContext,
} from '../src/dashboard/chart-widgets.js';
import { fakeTty } from './helpers/fake-tty.js';
import { computeLayout, type PaneRect } from '../src/dashboard/layout.js';
import { Store } from '../src/dashboard/store.js';
import { History, HISTORY_BOUND_BYTES, MAX_POINTS, MAX_SERIES } from '../src/sampler/history.js';
import { demoFrame } from './helpers/demo-frames.js';
import { estab, Feeder, names, nif } from './helpers/dashboard-samples.js';

test('history: 50 series for an hour at 0.2 s stay within the stated bound, the newest 15 minutes kept', () => {
  const h = new History(15 * 60_000, 200);
  for (let k = 0; k < 50; k++) assert.equal(h.track(`s${k}`), true);
  const ticks = 3600 * 5;
  for (let i = 0; i < ticks; i++) h.push(i * 200, (key) => Number(key.slice(1)) * 1000 + i);
  assert.equal(h.capacity, MAX_POINTS);
  assert.equal(h.length, MAX_POINTS);
  assert.equal(h.byteLength(), 50 * MAX_POINTS * 4 + MAX_POINTS * 8);
  assert.ok(h.byteLength() <= HISTORY_BOUND_BYTES);
  const p = h.points('s7');
  assert.ok(p);
  assert.equal(p.v.length, MAX_POINTS);
  assert.equal(p.t[0], (ticks - MAX_POINTS) * 200);
  assert.equal(p.v[p.v.length - 1], 7000 + ticks - 1);
  // Up to a time: the frozen frame's view.
  assert.equal(h.points('s7', (ticks - 10) * 200)?.v.length, MAX_POINTS - 9);
});

test('history: sized by time at the interval, resized keeping the newest, at most MAX_SERIES', () => {
  const h = new History(15 * 60_000, 2000);
  assert.equal(h.capacity, 450);
  h.track('a');
  for (let i = 0; i < 500; i++) h.push(i, () => i);
  h.setInterval(10_000);
  assert.equal(h.capacity, 90);
  const p = h.points('a');
  assert.deepEqual([p?.v[0], p?.v[89], p?.v.length], [410, 499, 90]);
  h.track('b');
  assert.ok(Number.isNaN(h.points('b')?.v[0] ?? 0), 'a series tracked late has no past');
  const full = new History(Infinity, 1000);
  assert.equal(full.capacity, MAX_POINTS, 'a replay keeps as much as the bound allows');
  for (let k = 0; k < MAX_SERIES; k++) assert.equal(full.track(`k${k}`), true);
  assert.equal(full.track('one-more'), false);
  assert.ok(full.byteLength() <= HISTORY_BOUND_BYTES);
});

test('history: the store records 50 pinned counters for an hour at 0.2 s within the bound', () => {
  const s = new Store(parseOptions(['0.2']), { names: names(), host: { name: 'h', kernel: 'k' } });
  const keys = Array.from({ length: 50 }, (_, k) => `Tcp.Ctr${k}`);
  for (const k of keys) s.dispatch({ type: 'pin', chart: counterChart(k) });
  const f = new Feeder(200);
  const ticks = 3600 * 5;
  const counters: Record<string, number> = {};
  for (let i = 0; i < ticks; i++) {
    for (let k = 0; k < 50; k++) counters[`Ctr${k}`] = i * (k + 1);
    s.ingest(f.next({ interfaces: [nif('eth0', { rxBytes: i * 100 })], counters: { Tcp: counters } }));
  }
  assert.equal(s.history.capacity, MAX_POINTS);
  assert.ok(s.history.size >= 50);
  assert.ok(s.history.byteLength() <= HISTORY_BOUND_BYTES, `${s.history.byteLength()} > ${HISTORY_BOUND_BYTES}`);
  // Each tick adds k+1 in 0.2 s: a rate of 5(k+1)/s.
  const p = s.history.points('Tcp.Ctr9');
  assert.equal(p?.v[p.v.length - 1], 50);
  assert.equal(s.history.points('if.eth0.rxBytes')?.v[MAX_POINTS - 1], 500);
});

test('scale: zero at the bottom, a round top with units; a 600 B/s ping sits low, a 1 MB/s transfer is 100x the scale', () => {
  const ping = chartScale('B/s', 600);
  assert.equal(ping.max, 10_000);
  assert.ok(600 / ping.max < 0.1, 'a quiet line is drawn near the bottom');
  assert.equal(ping.unit, 'kB/s');
  const bulk = chartScale('B/s', 1.05e6);
  assert.equal(bulk.max, 2e6);
  assert.equal(bulk.unit, 'MB/s');
  assert.equal(bulk.max / bulk.divisor, 2);
  assert.ok(bulk.max / ping.max >= 100);
  assert.deepEqual(chartScale('%', 3.2), { max: 5, divisor: 1, unit: '%' });
  assert.equal(chartScale('/s', 0).max, 1);
  assert.deepEqual([niceCeil(0.3), niceCeil(7), niceCeil(10), niceCeil(11), niceCeil(4500)], [0.5, 10, 10, 20, 5000]);
});

test('downsample keeps every peak, drops the ticks before a series began, carries gaps', () => {
  const v = [NaN, NaN, 1, 9, 1, 1, NaN, 2];
  const t = v.map((_, i) => i);
  const d = downsample(t, v, 3);
  assert.deepEqual(d.v, [9, 1, 2]);
  assert.equal(d.t[2], 7);
  assert.deepEqual(downsample(t, [NaN, NaN], 5), { t: [], v: [] });
});

test('anchored buckets: a new point changes only the last bucket, the chart moves one column every k points', () => {
  const v: number[] = Array.from({ length: 20 }, (_, i) => (i === 7 ? 50 : 1));
  const t = v.map((_, i) => 1000 + i);
  const a = anchoredBuckets(100, t, v, 4, 10);
  assert.deepEqual(a.v, [1, 50, 1, 1, 1]);
  assert.deepEqual(a.t, [1000, 1004, 1008, 1012, 1016]);
  // One more point (the ring dropped the oldest): the buckets keep their columns and values;
  // the new point opens the next bucket (120 = 30 × 4).
  const b = anchoredBuckets(101, t.slice(1).concat(1020), v.slice(1).concat(9), 4, 10);
  assert.deepEqual(b.v, [1, 50, 1, 1, 1, 9]);
  assert.deepEqual(b.t, [NaN, 1004, 1008, 1012, 1016, 1020], 'a bucket the ring cut into has no time');
  // And one more: only the last bucket changes.
  const c = anchoredBuckets(102, t.slice(2).concat(1020, 1021), v.slice(2).concat(9, 30), 4, 10);
  assert.deepEqual(c.v, [1, 50, 1, 1, 1, 30]);
  // At most n buckets, the newest; leading buckets without a value are left out.
  assert.equal(anchoredBuckets(0, t, v, 2, 3).v.length, 3);
  assert.deepEqual(anchoredBuckets(0, [0, 1, 2, 3], [NaN, NaN, 2, NaN], 2, 5).v, [2]);
});

test('pins: g on a counter, an interface or a connection pins a chart; pins survive pane switches; g again and G unpin', () => {
  const s = new Store(parseOptions(['-a']), { names: names(), host: { name: 'h', kernel: 'k' } });
  const f = new Feeder();
  for (let i = 0; i < 3; i++)
    s.ingest(
      f.next({ interfaces: [nif('eth0', { rxBytes: i * 1000, rxDrop: i })], counters: { Tcp: { RetransSegs: i * 5, OutSegs: i * 100 } } }),
    );
  s.dispatch({ type: 'focus', pane: 'interfaces' });
  s.togglePin();
  assert.deepEqual(
    s.state.pins.map((p) => p.id),
    ['iface:eth0'],
  );
  s.dispatch({ type: 'focus', pane: 'counters' });
  s.togglePin();
  assert.equal(s.state.pins.length, 2);
  assert.equal(s.state.pins[1]?.unit, '%', 'the counters pane starts with the retransmit ratio');
  s.dispatch({ type: 'focus', pane: 'graphs' });
  const ids = s.charts().map((c) => c.id);
  assert.ok(ids.includes('iface:eth0') && ids.includes('ctr:derived.tcp.retransPct'), ids.join(' '));
  assert.ok(s.charts().find((c) => c.id === 'iface:eth0')?.pinned);
  s.dispatch({ type: 'focus', pane: 'counters' });
  s.togglePin();
  assert.deepEqual(
    s.state.pins.map((p) => p.id),
    ['iface:eth0'],
  );
  s.ingest(f.next({ inet: [estab(22, 40000, { recvQ: 7 })], interfaces: [nif('eth0')] }));
  s.dispatch({ type: 'focus', pane: 'connections' });
  s.togglePin();
  const conn = s.state.pins[1];
  assert.match(conn?.id ?? '', /^conn:/);
  assert.equal(conn?.unit, 'B');
  s.ingest(f.next({ inet: [estab(22, 40000, { recvQ: 9 })], interfaces: [nif('eth0')] }));
  const q = s.history.points(conn?.series[0]?.key ?? '');
  assert.equal(q?.v[q.v.length - 1], 9, "the connection's Recv-Q is recorded");
  s.dispatch({ type: 'unpinAll' });
  assert.equal(s.state.pins.length, 0);
  // What nobody asks for any more is no longer recorded: the unpinned connection, a vanished interface.
  s.ingest(f.next({ inet: [estab(22, 40000, { recvQ: 9 })], interfaces: [nif('eth1')] }));
  assert.equal(s.history.has(conn?.series[0]?.key ?? ''), false);
  assert.equal(s.history.has('if.eth0.rxBytes'), false);
  assert.equal(s.history.has('if.eth1.rxBytes'), true);
});

function overlaps(a: PaneRect, b: PaneRect): boolean {
  return a.left < b.left + b.width && b.left < a.left + a.width && a.top < b.top + b.height && b.top < a.top + a.height;
}

test('big layout: from 160x48 connections, interfaces, ICMP, routes, counters and graphs together, tiling the screen', () => {
  for (const [w, h] of [
    [160, 48],
    [200, 60],
    [300, 90],
  ] as const) {
    for (const focus of ['connections', 'events', 'graphs'] as const) {
      const g = computeLayout(w, h, focus, false, { interfaces: 7, counters: 20, icmp: 15, routes: 24 });
      const names = g.panes.map((p) => p.pane);
      for (const p of ['interfaces', 'icmp', 'routes', 'counters', 'graphs'] as const)
        assert.ok(names.includes(p), `${w}x${h} ${focus}: ${names.join(' ')}`);
      assert.ok(names.includes(focus === 'graphs' ? 'connections' : focus));
      let area = 0;
      g.panes.forEach((a, i) => {
        assert.ok(a.left >= 0 && a.top >= 1 && a.left + a.width <= w && a.top + a.height <= h - 1, `${a.pane} out of the screen`);
        for (const b of g.panes.slice(i + 1)) assert.ok(!overlaps(a, b), `${a.pane} overlaps ${b.pane}`);
        area += a.width * a.height;
      });
      // Everything but the status line, the footer and the one column between the halves.
      assert.ok(area >= w * (h - 2) - (h - 2), `${w}x${h}: ${area} of ${w * (h - 2)}`);
    }
  }
  assert.deepEqual(
    computeLayout(80, 24, 'connections', false, { interfaces: 3, counters: 5 }).panes.map((p) => p.pane),
    ['connections', 'interfaces', 'counters'],
  );
  assert.deepEqual(
    computeLayout(200, 60, 'icmp', true, { interfaces: 3, counters: 5 }).panes.map((p) => p.pane),
    ['icmp'],
  );
});

test('graphs pane on a 200x60 fake terminal: blessed-contrib charts with a y scale and unit, a time axis', async () => {
  const frame = (await demoFrame({ cols: 200, rows: 60, at: 40 })).join('\n');
  for (const title of ['Connections', 'Interfaces', 'ICMP', 'Routes', 'Graphs']) assert.match(frame, new RegExp(` \\d+ ${title}`), title);
  assert.match(frame, /traffic {2}y: 0-\d+ [kMG]?B\/s/);
  assert.match(frame, /\d\d:\d\d:\d\d {2,}\d\d:\d\d:\d\d/, 'time labels under a chart');
  assert.match(frame, /[⠁-⣿]/, 'braille lines drawn');
  const zoomed = (await demoFrame({ cols: 120, rows: 40, at: 40, keys: ['3', 'g', 'v', 'z'] })).join('\n');
  assert.match(zoomed, /TCP retransmitted % \* {2}y: 0-\d+ %/, 'the pinned ratio is charted');
  assert.match(zoomed, /ZOOMED: z or Esc leaves/);
});

/** An SGR mouse press and release at 0-based cell (x, y). */
const click = (x: number, y: number): string[] => [`\x1b[<0;${x + 1};${y + 1}M`, `\x1b[<0;${x + 1};${y + 1}m`];
const footer = (frame: string[]): string => frame[frame.length - 1] ?? '';

test('mouse: a click focuses the pane under it and selects the row; a second click on it opens the detail; the wheel scrolls', async () => {
  // 200x60 big layout: ICMP at the top right (column 111 on), routes below it.
  const plain = await demoFrame({ cols: 200, rows: 60, mouse: true });
  assert.match(footer(plain), /l listen/, 'connections focused at first');
  const icmp = await demoFrame({ cols: 200, rows: 60, mouse: true, keys: click(150, 4) });
  assert.match(footer(icmp), /e every type/, 'the ICMP pane has focus after the click');
  // The third connection row (line 5 is the first: status, title, two count lines, header).
  const detail = (await demoFrame({ cols: 200, rows: 60, mouse: true, keys: [...click(20, 7), ...click(20, 7)] })).join('\n');
  assert.match(detail, /Details {2}\(Enter or Esc closes\)/);
  const noMouse = await demoFrame({ cols: 200, rows: 60, keys: click(150, 4) });
  assert.match(footer(noMouse), /l listen/, 'without mouse reporting a click is not a key');
  const wheel = (await demoFrame({ cols: 120, rows: 40, mouse: true, keys: ['\x1b[<65;10;10M', '\x1b[<65;10;10M'] })).join('\n');
  assert.match(wheel, / 1 Connections {2}\d+-\d+\/\d+/);
  assert.doesNotMatch(wheel.split('\n')[1] ?? '', / 1-/, 'the wheel scrolled the list down');
});

test('--no-mouse: parsed for the dashboard, listed in --help', async () => {
  assert.equal(parseOptions(['--no-mouse']).noMouse, true);
  assert.equal(parseOptions([]).noMouse, false);
  const { HELP } = await import('../src/cli/help.js');
  assert.match(HELP, /--no-mouse/);
});

test('a chart label escapes the outside names in its title: control bytes shown, blessed tags neutralised', () => {
  const chart = interfaceChart('ev\x1b[2Jil{bold}');
  const label = chartLabel({ chart, selected: false }, [], 'B/s', 10_000, 80);
  assert.ok(!label.includes('\x1b'), JSON.stringify(label));
  assert.match(label, /ev\\x1b\[2Jil\{open\}bold\{close\} traffic/);
});

test('charts: the run-length frame lays out the same cells and colours as drawille’s own, with one escape per colour run', async () => {
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  // As blessed-contrib draws: its canvas context replaces drawille's set() and frame().
  require('drawille-canvas-blessed-contrib');
  const Dots = require('drawille-blessed-contrib') as new (
    w: number,
    h: number,
  ) => {
    color: string;
    fontFg: string;
    set(x: number, y: number): void;
    writeText(s: string, x: number, y: number): void;
    frame(): string;
  };
  const c = new Dots(80, 32);
  // Lines in three colours, crossing; a label; gaps.
  for (let x = 0; x < 80; x++) {
    c.color = 'yellow';
    c.set(x, 10);
    c.color = x % 7 < 4 ? 'cyan' : 'green';
    c.set(x, 31 - Math.floor(x / 3));
    if (x % 5 !== 0) {
      c.color = 'red';
      c.set(x, 20);
    }
  }
  c.fontFg = 'white';
  c.writeText('12:00:01', 4, 28);
  const theirs = c.frame();
  const ours = runLengthFrame.call(c as unknown as DotCanvas);
  const esc = (s: string): number => s.split('\x1b[').length - 1;
  assert.ok(esc(ours) * 3 < esc(theirs), `escapes: ${esc(ours)} against ${esc(theirs)}`);
  const screenOf = (text: string): string => {
    const out = fakeTty(60, 12);
    const scr = blessed.screen({ input: fakeTty(60, 12), output: out, terminal: 'xterm-256color', warnings: false });
    blessed.box({ parent: scr, top: 0, left: 0, width: 42, height: 10, content: text });
    scr.render();
    const shot = (scr as unknown as { screenshot(): string }).screenshot();
    scr.destroy();
    return shot;
  };
  assert.equal(screenOf(ours), screenOf(theirs));
});

test('charts: clearing the whole canvas by filling its arrays leaves what drawille’s dot-by-dot clear leaves', async () => {
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  const Ctx = require('drawille-canvas-blessed-contrib') as new (
    w: number,
    h: number,
  ) => DotContext & {
    strokeStyle: string;
    beginPath(): void;
    moveTo(x: number, y: number): void;
    lineTo(x: number, y: number): void;
    stroke(): void;
    fillText(s: string, x: number, y: number): void;
  };
  const unsets = { fast: 0, slow: 0 };
  const drawn = (fast: boolean): DotContext['_canvas'] => {
    const ctx = new Ctx(120, 40);
    if (fast) fastClear(ctx);
    const c = ctx._canvas as unknown as { unset(x: number, y: number): void };
    const unset = c.unset.bind(c);
    c.unset = (x, y) => {
      unsets[fast ? 'fast' : 'slow']++;
      unset(x, y);
    };
    ctx.strokeStyle = 'yellow';
    ctx.beginPath();
    for (let x = 0; x < 120; x += 3) ctx.lineTo(x, (x * 7) % 40);
    ctx.stroke();
    ctx.fillText('0-10 MB/s', 2, 4);
    ctx.clearRect(0, 0, 120, 40);
    ctx.strokeStyle = 'cyan';
    ctx.beginPath();
    ctx.moveTo(0, 39);
    ctx.lineTo(119, 0);
    ctx.stroke();
    return ctx._canvas;
  };
  const a = drawn(false),
    b = drawn(true);
  assert.deepEqual([...b.content], [...a.content]);
  assert.deepEqual(
    b.colors.map((c) => c ?? null),
    a.colors.map((c) => c ?? null),
  );
  assert.deepEqual(
    b.chars.map((c) => c ?? null),
    a.chars.map((c) => c ?? null),
  );
  // The old way visits every dot (120 x 40); the whole-canvas clear visits none.
  assert.ok(unsets.slow >= 4800, `${unsets.slow} dots cleared one by one`);
  assert.equal(unsets.fast, 0);
});

/** A pool drawing one chart of series `k` from a history of `cap` points, fed a value a tick;
 *  `push` adds a value and tells whether the chart was redrawn, `label` reads its y scale, and
 *  `freshLabel` the y scale a new pool draws from the same history. */
function heldChart(
  cap: number,
  width = 80,
): { push: (v: number) => boolean; label: () => string; freshLabel: () => string; scr: blessed.Widgets.Screen; h: History } {
  const screen = (): blessed.Widgets.Screen =>
    blessed.screen({ input: fakeTty(120, 30), output: fakeTty(120, 30), terminal: 'xterm-256color', warnings: false });
  const scr = screen();
  const pool = new ChartPool(scr);
  const h = new History(cap * 1000, 1000);
  h.track('k');
  const rect = { top: 0, left: 0, width, height: 14 };
  const chart = { id: 'c', title: 'lo', unit: 'B/s' as const, series: [{ key: 'k', label: 'RX' }] };
  let time = 1_000_000;
  const data = (): ChartData => ({ chart, reader: historyReader(h, time), selected: false, capacity: h.capacity });
  const scale = (s: blessed.Widgets.Screen): string => {
    s.render();
    return /y: 0-[^ ]+ [^ ]+/.exec(s.screenshot(0, width, 0, 1))?.[0] ?? '';
  };
  const push = (v: number): boolean => {
    time += 1000;
    h.push(time, () => v);
    pool.draw([{ rect, data: data() }]);
    return pool.redrawn.length > 0;
  };
  const freshLabel = (): string => {
    const other = screen();
    try {
      new ChartPool(other).draw([{ rect, data: data() }]);
      return scale(other);
    } finally {
      other.destroy();
    }
  };
  return { push, label: () => scale(scr), freshLabel, scr, h };
}

test('charts: while a chart fills, lines that only go on flat are held for up to HOLD_POINTS points; a changed value or a full hold redraws', () => {
  const { push, scr } = heldChart(900);
  try {
    // 33 points: the axis (the next power of two of them) stays at 64 slots through the run below.
    for (const v of [...new Array<number>(32).fill(0), 500]) push(v);
    // Flat: held for HOLD_POINTS - 1 points, redrawn at the HOLD_POINTS-th.
    const flat = Array.from({ length: HOLD_POINTS }, () => push(500));
    assert.deepEqual(flat, [...new Array<boolean>(HOLD_POINTS - 1).fill(false), true]);
    // A value that changes is drawn at once, and so is the next flat run's end.
    assert.equal(push(700), true);
    assert.equal(push(700), false);
  } finally {
    scr.destroy();
  }
});

test('charts: a hold reads only the new points, and ends on a new head, a dropped point, a renumbering or HOLD_POINTS points', () => {
  const h = new History(100_000, 1000);
  h.track('a');
  h.track('b');
  for (let i = 0; i < 5; i++) h.push(i * 1000, (k) => (k === 'a' ? 7 : NaN));
  const drawn = { head: 'h', generation: h.generation, first: 0, end: 5, last: [7, NaN], full: null };
  const reads: number[] = [];
  const counted = (): ReturnType<typeof historyReader> => {
    const r = historyReader(h, undefined);
    return {
      ...r,
      valueAt: (k, no) => {
        reads.push(no);
        return r.valueAt(k, no);
      },
    };
  };
  h.push(5000, (k) => (k === 'a' ? 7 : NaN));
  h.push(6000, (k) => (k === 'a' ? 7 : NaN));
  assert.equal(holds(drawn, 'h', counted(), ['a', 'b']), true, 'flat, and NaN stays NaN');
  assert.deepEqual(reads, [5, 6, 5, 6], 'the two new points of each series, nothing older');
  assert.equal(holds(drawn, 'other axis', counted(), ['a', 'b']), false, 'the head changed');
  assert.equal(holds({ ...drawn, first: 1 }, 'h', counted(), ['a', 'b']), false, 'points were dropped');
  assert.equal(holds({ ...drawn, last: [8, NaN] }, 'h', counted(), ['a', 'b']), false, 'not flat');
  for (let i = 7; i < 5 + HOLD_POINTS; i++) h.push(i * 1000, (k) => (k === 'a' ? 7 : NaN));
  assert.equal(holds(drawn, 'h', counted(), ['a', 'b']), false, 'HOLD_POINTS new points');
  h.clear();
  for (let i = 0; i < 5; i++) h.push(i * 1000, (k) => (k === 'a' ? 7 : NaN));
  assert.equal(holds(drawn, 'h', counted(), ['a', 'b']), false, 'the same numbers after a clear are other points');
});

test('charts: once the history is full, a flat chart is redrawn once a column (every `per` points), not at every tick; its scale is always the one a fresh draw has', () => {
  // 62 points into 24 buckets: four points a column. The ring drops a point every tick.
  const { push, label, freshLabel, scr, h } = heldChart(62, 24);
  try {
    for (let i = 0; i < 200; i++) push(500);
    assert.equal(h.length, h.capacity);
    const redraws = Array.from({ length: 32 }, () => push(500)).filter(Boolean).length;
    assert.equal(redraws, 8, 'one redraw per new column: its time label');
    assert.match(label(), /^y: 0-10 kB\/s$/);
    assert.equal(push(50_000), true);
    assert.match(label(), /^y: 0-50 kB\/s$/);
    // While the spike goes through the ring and out, at whatever column boundary or first
    // column's edge, the held chart's scale is the one drawn from scratch.
    const seen = new Set<string>();
    for (let i = 0; i < h.capacity + 8; i++) {
      push(500);
      assert.equal(label(), freshLabel(), `tick ${i} after the spike`);
      seen.add(label());
    }
    assert.deepEqual([...seen].sort(), ['y: 0-10 kB/s', 'y: 0-50 kB/s']);
  } finally {
    scr.destroy();
  }
});
