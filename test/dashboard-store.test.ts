import { test } from 'node:test';
import { CONNTRACK_NEEDS_ROOT } from '../src/sources/conntrack.js';
import assert from 'node:assert/strict';
import blessed from 'blessed';
import { parseOptions } from '../src/cli/options.js';
import { printable, safeText, tagSafe } from '../src/dashboard/escape.js';
import { keyToAction, stepInterval } from '../src/dashboard/keys.js';
import { computeLayout } from '../src/dashboard/layout.js';
import { RedrawScheduler } from '../src/dashboard/redraw.js';
import { FLAG_MS, LINGER_MS, RETRANS_KEY, Store, initialState, type Action } from '../src/dashboard/store.js';
import { estab, Feeder, listen, names, nif, udp } from './helpers/dashboard-samples.js';

function store(argv: string[] = ['-a'], extra: Parameters<typeof names>[0] = {}): Store {
  return new Store(parseOptions(argv), { names: names(extra), host: { name: 'h', kernel: 'k' } });
}

const texts = (s: Store, h = 50, w = 100): string[] => s.visibleRows('connections', h, w).rows.map((r) => r.text);
const keys = (s: Store, h = 50): string[] => s.visibleRows('connections', h, 100).rows.map((r) => r.key);
const act = (s: Store, ...as: Action[]): void => {
  for (const a of as) s.dispatch(a);
};

test('initial state from options: netdash -tl 5 opens on TCP listeners', () => {
  const o = parseOptions(['-tl', '5']);
  const st = initialState(o);
  assert.deepEqual(st.proto, { tcp: true, udp: false, raw: false, unix: false });
  assert.equal(st.scope, 'listening');
  assert.equal(st.intervalMs, 5000);
  assert.equal(st.focus, 'connections');
  const s = store(['-tl', '5']);
  const f = new Feeder();
  s.ingest(f.next({ inet: [listen(22), estab(22, 40000), udp(53)] }));
  const rows = texts(s);
  assert.equal(rows.length, 1);
  assert.match(rows[0] ?? '', /tcp .*10\.0\.0\.1:ssh .*LISTEN/);
  assert.equal(initialState(parseOptions(['-i'])).focus, 'interfaces');
  assert.equal(initialState(parseOptions(['-s'])).focus, 'counters');
  assert.equal(initialState(parseOptions(['-x'])).focus, 'unix');
  assert.equal(initialState(parseOptions(['-n'])).numeric, true);
});

test('filters: protocol toggles, family, listening/all, text filter with Esc', () => {
  const s = store(['-a', '-n']);
  const f = new Feeder();
  s.ingest(f.next({ inet: [listen(22), estab(22, 40000), udp(53), listen(80, { proto: 'tcp6', family: 6, localAddr: '::' })] }));
  assert.equal(texts(s).length, 4);
  // Like netstat -u: from "everything", u shows only UDP; t adds TCP; u again drops UDP.
  act(s, { type: 'toggleProto', proto: 'udp' });
  assert.deepEqual(
    texts(s).map((t) => t.trim().split(/\s+/)[0]),
    ['udp'],
  );
  act(s, { type: 'toggleProto', proto: 'tcp' });
  assert.equal(texts(s).length, 4);
  act(s, { type: 'toggleProto', proto: 'udp' });
  assert.equal(texts(s).length, 3);
  assert.ok(texts(s).every((t) => !t.includes('udp')));
  // Removing the last protocol shows everything again.
  act(s, { type: 'toggleProto', proto: 'tcp' });
  assert.deepEqual(s.state.proto, { tcp: true, udp: true, raw: true, unix: true });
  act(s, { type: 'family', family: 6 });
  assert.deepEqual(
    texts(s).map((t) => t.includes('tcp6')),
    [true],
  );
  act(s, { type: 'family', family: 6 }); // again: both families
  assert.equal(texts(s).length, 4);
  act(s, { type: 'scope', scope: 'listening' });
  // netstat: UDP sockets without a peer count as listening.
  assert.equal(texts(s).length, 3);
  assert.ok(texts(s).every((t) => !t.includes('ESTABLISHED')));
  act(s, { type: 'scope', scope: 'listening' }); // again: connected only
  assert.deepEqual(
    texts(s).map((t) => /ESTABLISHED/.test(t)),
    [true],
  );
  act(s, { type: 'scope', scope: 'all' }, { type: 'filterStart' });
  for (const ch of ':22') act(s, { type: 'filterInput', text: ch });
  assert.equal(s.state.editingFilter, true);
  assert.equal(texts(s).length, 2);
  act(s, { type: 'filterAccept' });
  assert.equal(s.state.editingFilter, false);
  assert.equal(texts(s).length, 2);
  act(s, { type: 'escape' });
  assert.equal(s.state.filter, '');
  assert.equal(texts(s).length, 4);
});

test('text filter matches service names and numeric ports alike', () => {
  const s = store(['-a']);
  const f = new Feeder();
  s.ingest(f.next({ inet: [listen(22), listen(8080)] }));
  act(s, { type: 'filterInput', text: 'ssh' });
  assert.equal(texts(s).length, 1);
  act(s, { type: 'filterClear' }, { type: 'filterInput', text: ':8080' });
  assert.equal(texts(s).length, 1);
  assert.match(texts(s)[0] ?? '', /8080/);
});

test('sort is stable across ticks whatever order the kernel lists sockets in', () => {
  const s = store(['-a', '-n']);
  const f = new Feeder();
  const socks = [listen(80), estab(22, 40001), estab(22, 40000), listen(22), udp(53)];
  s.ingest(f.next({ inet: socks }));
  const first = keys(s);
  s.ingest(f.next({ inet: [...socks].reverse() }));
  assert.deepEqual(keys(s), first);
  act(s, { type: 'sortNext' }); // local
  const byLocal = keys(s);
  s.ingest(f.next({ inet: [socks[2]!, socks[0]!, socks[4]!, socks[1]!, socks[3]!] }));
  assert.deepEqual(keys(s), byLocal);
  act(s, { type: 'sortReverse' });
  assert.deepEqual(keys(s), [...byLocal].reverse());
});

test('cursor stays on the same connection when rows reorder, falls back to its position when it goes', () => {
  const s = store(['-a', '-n']);
  const f = new Feeder();
  const a = estab(5000, 40000),
    b = estab(5001, 40001),
    c = estab(5002, 40002);
  s.ingest(f.next({ inet: [a, b, c] }));
  texts(s);
  act(s, { type: 'move', by: 1 });
  const onB = s.cursorKey('connections');
  assert.ok(onB?.includes('|5001|'));
  // New connections that sort before b push it down; the cursor follows b.
  s.ingest(f.next({ inet: [estab(1000, 40010), estab(1001, 40011), a, b, c] }));
  assert.equal(s.cursorKey('connections'), onB);
  assert.equal(s.cursorIndex('connections'), 3);
  const sel = s.visibleRows('connections', 10, 100).rows.filter((r) => r.selected);
  assert.equal(sel.length, 1);
  assert.equal(sel[0]?.key, onB);
  // b closes: it lingers (cursor stays), then after LINGER_MS the cursor takes its place's row.
  s.ingest(f.next({ inet: [estab(1000, 40010), estab(1001, 40011), a, c] }));
  assert.equal(s.cursorKey('connections'), onB);
  for (let t = 0; t <= LINGER_MS; t += f.stepMs) s.ingest(f.next({ inet: [estab(1000, 40010), estab(1001, 40011), a, c] }));
  assert.ok(s.cursorKey('connections')?.includes('|5002|'));
});

test('cursor moves: page, home, end within bounds', () => {
  const s = store(['-a', '-n']);
  const f = new Feeder();
  s.ingest(f.next({ inet: Array.from({ length: 30 }, (_, i) => estab(6000 + i, 40000 + i)) }));
  const v = s.visibleRows('connections', 10, 100);
  assert.equal(v.rows.length, 10);
  act(s, { type: 'page', by: 1 });
  assert.equal(s.cursorIndex('connections'), 9);
  act(s, { type: 'end' });
  assert.equal(s.cursorIndex('connections'), 29);
  const w = s.visibleRows('connections', 10, 100);
  assert.equal(w.offset, 20);
  assert.ok(w.rows[9]?.selected);
  act(s, { type: 'move', by: 5 });
  assert.equal(s.cursorIndex('connections'), 29);
  act(s, { type: 'home' }, { type: 'move', by: -3 });
  assert.equal(s.cursorIndex('connections'), 0);
});

test('new rows flagged new, state changes flagged changed, closed rows linger then go', () => {
  const s = store(['-a', '-n']);
  const f = new Feeder(1000);
  const a = estab(5000, 40000);
  s.ingest(f.next({ inet: [a] }));
  assert.deepEqual(
    s.visibleRows('connections', 10).rows.map((r) => r.status),
    [null],
    'the first sample flags nothing',
  );
  const b = estab(5001, 40001);
  s.ingest(f.next({ inet: [a, b] }));
  const status = (): Record<string, string | null> =>
    Object.fromEntries(s.visibleRows('connections', 10, 100).rows.map((r) => [r.key.split('|')[2] ?? '', r.status] as const));
  assert.deepEqual(status(), { 5000: null, 5001: 'new' });
  s.ingest(f.next({ inet: [{ ...a, state: 8 }, b] }));
  assert.deepEqual(status(), { 5000: 'changed', 5001: 'new' });
  assert.match(texts(s)[0] ?? '', /^~tcp .*CLOSE_WAIT/);
  s.ingest(f.next({ inet: [b] }));
  assert.deepEqual(status(), { 5000: 'closed', 5001: 'new' });
  assert.match(texts(s)[0] ?? '', /^-tcp .*closed/);
  // Flags fade after FLAG_MS, closed rows after LINGER_MS.
  for (let t = 0; t < FLAG_MS; t += 1000) s.ingest(f.next({ inet: [b] }));
  assert.deepEqual(status(), { 5000: 'closed', 5001: null });
  for (let t = 0; t < LINGER_MS; t += 1000) s.ingest(f.next({ inet: [b] }));
  assert.deepEqual(status(), { 5001: null });
  // The events pane logged it all, newest first.
  const ev = s.visibleRows('events', 10, 120).rows.map((r) => r.text);
  assert.equal(ev.length, 3);
  assert.match(ev[0] ?? '', /closed +tcp 10\.0\.0\.1:5000/);
  assert.match(ev[1] ?? '', /state +tcp .*ESTABLISHED → CLOSE_WAIT/);
  assert.match(ev[2] ?? '', /opened +tcp 10\.0\.0\.1:5001/);
});

test('pause freezes the display while samples keep arriving', () => {
  const s = store(['-a', '-n']);
  const f = new Feeder();
  s.ingest(f.next({ inet: [listen(22)], interfaces: [nif('eth0', { rxPackets: 100 })] }));
  s.ingest(f.next({ inet: [listen(22)], interfaces: [nif('eth0', { rxPackets: 300 })] }));
  const ifRow = (): string => s.visibleRows('interfaces', 5, 80).rows[0]?.text ?? '';
  assert.match(ifRow(), /^eth0 +100 /);
  act(s, { type: 'togglePause' });
  assert.equal(s.status().paused, true);
  s.ingest(f.next({ inet: [listen(22), listen(80)], interfaces: [nif('eth0', { rxPackets: 2300 })] }));
  assert.match(ifRow(), /^eth0 +100 /, 'numbers frozen');
  assert.equal(texts(s).length, 1, 'rows frozen');
  assert.equal(s.latest.sample?.seq, 3, 'sampling went on');
  act(s, { type: 'togglePause' });
  assert.match(ifRow(), /^eth0 +1000 /);
  assert.equal(texts(s).length, 2);
});

test('only visible rows are formatted', () => {
  let lookups = 0;
  const s = store(['-a'], {
    hostName: () => {
      lookups++;
      return undefined;
    },
  });
  const f = new Feeder();
  s.ingest(f.next({ inet: Array.from({ length: 5000 }, (_, i) => estab(10000 + (i % 50000), 20000 + i)) }));
  const v = s.visibleRows('connections', 12, 80);
  assert.equal(v.rows.length, 12);
  assert.equal(v.total, 5000);
  assert.ok(lookups <= 12 * 2, `${lookups} host name lookups for 12 rows`);
  assert.ok(v.rows.every((r) => r.text.length <= 80));
});

test('interfaces: counter mode cycles rate/delta/total/since, nonzero error deltas are hot', () => {
  const s = store(['-a']);
  const f = new Feeder(2000);
  s.ingest(f.next({ interfaces: [nif('eth0', { rxPackets: 1000, rxErrs: 5, txBytes: 0 })] }));
  s.ingest(f.next({ interfaces: [nif('eth0', { rxPackets: 1400, rxErrs: 7, txBytes: 4000 })] }));
  const row = () => s.visibleRows('interfaces', 5, 100).rows[0];
  assert.match(row()?.text ?? '', /^eth0 +200 +1 /, 'rate: 400 packets / 2 s; errors per second');
  assert.equal(
    row()
      ?.cells.find((c) => c.hot)
      ?.text.trim(),
    '1',
  );
  act(s, { type: 'cycleCounterMode' });
  assert.match(row()?.text ?? '', /^eth0 +400 +2 /);
  assert.match(
    s.visibleRows('interfaces', 5, 110).header,
    /^Iface +RX-OK RX-ERR RX-DRP RX-OVR  TX-OK TX-ERR TX-DRP TX-OVR RX-B\/s TX-B\/s  Util Traffic +peak +MTU/,
  );
  act(s, { type: 'cycleCounterMode' });
  assert.match(row()?.text ?? '', /^eth0 +1400 +7 /);
  assert.match(row()?.text ?? '', / 2\.0k /, 'TX bytes/s');
  act(s, { type: 'cycleCounterMode' });
  assert.equal(s.state.counterMode, 'since');
  assert.match(row()?.text ?? '', /^eth0 +400 +2 /, 'since the start');
  act(s, { type: 'cycleCounterMode' });
  assert.equal(s.state.counterMode, 'rate');
});

test('counters: problem counters that moved, with total, delta, rate; retransmit % on top and hot when it moves', () => {
  const s = store(['-a']);
  const f = new Feeder(1000);
  s.ingest(
    f.next({
      counters: { Tcp: { RetransSegs: 10, OutSegs: 1000, InErrs: 0, AttemptFails: 7, ActiveOpens: 5 }, TcpExt: { ListenDrops: 3 } },
    }),
  );
  s.ingest(
    f.next({
      counters: { Tcp: { RetransSegs: 15, OutSegs: 1100, InErrs: 0, AttemptFails: 7, ActiveOpens: 9 }, TcpExt: { ListenDrops: 4 } },
    }),
  );
  const v = s.visibleRows('counters', 10, 80);
  // AttemptFails has a total but did not move since the start: not a problem now.
  assert.deepEqual(
    v.rows.map((r) => r.key),
    [RETRANS_KEY, 'Tcp.RetransSegs', 'TcpExt.ListenDrops'],
  );
  assert.match(v.rows[0]?.text ?? '', /TCP retransmitted % +1\.36% +5\.00%/);
  assert.ok(v.rows[0]?.cells.some((c) => c.hot));
  assert.match(v.rows[1]?.text ?? '', /Tcp\.RetransSegs +15 +5 +5 +5/);
  act(s, { type: 'toggle', flag: 'extended' });
  assert.ok(
    s.visibleRows('counters', 10, 80).rows.some((r) => r.key === 'Tcp.InErrs'),
    'e lists quiet counters too',
  );
  act(s, { type: 'toggle', flag: 'extended' }, { type: 'toggle', flag: 'allCounters' });
  const all = s.visibleRows('counters', 20, 80).rows;
  for (const k of ['Tcp.ActiveOpens', 'Tcp.AttemptFails', 'Tcp.OutSegs', 'TcpExt.ListenDrops'])
    assert.ok(
      all.some((r) => r.key === k),
      `! lists ${k}`,
    );
  // Ordinary traffic moving is not hot; problems are.
  assert.ok(!all.find((r) => r.key === 'Tcp.ActiveOpens')?.cells.some((c) => c.hot));
  assert.ok(all.find((r) => r.key === 'TcpExt.ListenDrops')?.cells.some((c) => c.hot));
});

test('summary: all 11 TCP states plus UDP/RAW/UNIX with change since last tick', () => {
  const s = store(['-a']);
  const f = new Feeder();
  s.ingest(f.next({ inet: [listen(22), estab(22, 1)] }));
  s.ingest(f.next({ inet: [listen(22), estab(22, 1), estab(22, 2), udp(53)] }));
  const items = s.connectionSummary();
  assert.equal(items.length, 14);
  assert.deepEqual(
    items.find((i) => i.label === 'ESTAB'),
    { label: 'ESTAB', count: 2, change: 1 },
  );
  assert.deepEqual(
    items.find((i) => i.label === 'LISTEN'),
    { label: 'LISTEN', count: 1, change: 0 },
  );
  const lines = s.summaryLines(80);
  assert.ok(lines.every((l) => l.text.length <= 80));
  assert.match(lines.map((l) => l.text).join(' '), /ESTAB 2\+1 .*UDP 1\+1/);
});

test('status: warnings for denied owners, PAUSED, since start', () => {
  const s = store(['-a']);
  const f = new Feeder();
  s.ingest(f.next({ inet: [], ownersDenied: true }));
  s.ingest(f.next({ inet: [], ownersDenied: true }));
  const st = s.status();
  assert.deepEqual(st.warnings, ['not root: process owners hidden']);
  assert.equal(st.since, 'since start 2s');
});

test('status and NAT pane: a root-only nf_conntrack says permission denied (needs root), a missing one not available', () => {
  for (const [error, warning] of [
    [CONNTRACK_NEEDS_ROOT, 'nf_conntrack: permission denied (needs root): no NAT pane'],
    ['/proc/net/nf_conntrack: conntrack is not available (module nf_conntrack not loaded)', 'nf_conntrack not available: no NAT pane'],
  ] as const) {
    const s = store(['-M']);
    const f = new Feeder();
    s.ingest(f.next({ inet: [], conntrackError: error }));
    assert.deepEqual(s.status().warnings, [warning]);
    assert.equal(s.visibleRows('conntrack', 10, 100).message, error);
  }
  assert.equal(CONNTRACK_NEEDS_ROOT, '/proc/net/nf_conntrack: permission denied (needs root)');
});

test('keys: netstat letters, filter input mode captures letters, C-c always quits', () => {
  const st = initialState(parseOptions([]));
  assert.deepEqual(keyToAction('l', { name: 'l' }, st), { action: { type: 'scope', scope: 'listening' } });
  assert.deepEqual(keyToAction('q', { name: 'q' }, st), { command: 'quit' });
  assert.deepEqual(keyToAction(' ', { name: 'space' }, st), { action: { type: 'togglePause' } });
  assert.deepEqual(keyToAction('S', { name: 's', shift: true }, st), { action: { type: 'sortReverse' } });
  assert.deepEqual(keyToAction(undefined, { name: 'f3', full: 'f3' }, st), { action: { type: 'focus', pane: 'counters' } });
  assert.deepEqual(keyToAction('4', { name: '4', full: '4' }, st), { action: { type: 'focus', pane: 'icmp' } });
  assert.deepEqual(keyToAction('8', { name: '8', full: '8' }, st), { action: { type: 'focus', pane: 'events' } });
  assert.deepEqual(keyToAction('2', { name: '2', full: 'M-2', meta: true }, st), { action: { type: 'focus', pane: 'interfaces' } });
  assert.deepEqual(keyToAction('9', { name: '9', full: '9' }, st), { action: { type: 'focus', pane: 'processes' } });
  // 0 is pane 10, as are F10 and Alt-0; a key past the last pane does nothing.
  assert.deepEqual(keyToAction('0', { name: '0', full: '0' }, st), { action: { type: 'focus', pane: 'peers' } });
  assert.deepEqual(keyToAction(undefined, { name: 'f10', full: 'f10' }, st), { action: { type: 'focus', pane: 'peers' } });
  assert.deepEqual(keyToAction(undefined, { name: 'f9', full: 'f9' }, st), { action: { type: 'focus', pane: 'processes' } });
  assert.deepEqual(keyToAction('0', { name: '0', full: 'M-0', meta: true }, st), { action: { type: 'focus', pane: 'peers' } });
  assert.equal(keyToAction(undefined, { name: 'f12', full: 'f12' }, st), null);
  // i: the TCP internals columns; r: connections sorted by retransmits.
  assert.deepEqual(keyToAction('i', { name: 'i' }, st), { action: { type: 'toggle', flag: 'traffic' } });
  assert.deepEqual(keyToAction('r', { name: 'r' }, st), { action: { type: 'sortBy', pane: 'connections', col: 'retr/s' } });
  assert.deepEqual(keyToAction('f', { name: 'f' }, st), { action: { type: 'cycleFamily' } });
  // g charts the row under the cursor, G unpins every chart (c and C too); Home and End go to
  // the first and last row.
  assert.deepEqual(keyToAction('g', { name: 'g' }, st), { command: 'pin' });
  assert.deepEqual(keyToAction('G', { name: 'g', shift: true }, st), { action: { type: 'unpinAll' } });
  assert.deepEqual(keyToAction('c', { name: 'c' }, st), { command: 'pin' });
  assert.deepEqual(keyToAction(undefined, { name: 'home' }, st), { action: { type: 'home' } });
  assert.deepEqual(keyToAction(undefined, { name: 'end' }, st), { action: { type: 'end' } });
  assert.deepEqual(keyToAction('!', { name: '!' }, st), { action: { type: 'toggle', flag: 'allCounters' } });
  assert.deepEqual(keyToAction(undefined, { name: 'tab', full: 'S-tab', shift: true }, st), { action: { type: 'focusNext', delta: -1 } });
  const editing = { ...st, editingFilter: true };
  assert.deepEqual(keyToAction('q', { name: 'q' }, editing), { action: { type: 'filterInput', text: 'q' } });
  assert.deepEqual(keyToAction('\x1b', { name: 'escape' }, editing), { action: { type: 'filterClear' } });
  assert.deepEqual(keyToAction(undefined, { name: 'c', full: 'C-c', ctrl: true }, editing), { command: 'quit' });
  assert.equal(stepInterval(2000, 1), 5000);
  assert.equal(stepInterval(2000, -1), 1000);
  assert.equal(stepInterval(200, -1), 200);
});

test('escape: control bytes shown visibly, tags neutralised like blessed.escape', () => {
  assert.equal(printable('a\x1b[31mb\x07\r\n\t\b\x7f\x9b\x85'), 'a\\x1b[31mb\\x07\\r\\n\\t\\x08\\x7f\\x9b\\x85');
  assert.equal(printable('evil\u202etxt.exe'), 'evil\\u202etxt.exe');
  assert.equal(printable('back\\slash'), 'back\\\\slash');
  assert.equal(printable('plain /run/x.sock ü 日本'), 'plain /run/x.sock ü 日本');
  const nasty = '\x1b[31m{bold}x{/bold}';
  assert.equal(tagSafe('{bold}x{/bold}'), blessed.escape('{bold}x{/bold}'));
  assert.equal(safeText(nasty), '\\x1b[31m{open}bold{close}x{open}/bold{close}');
  // eslint-disable-next-line no-control-regex -- control characters are what it looks for
  assert.ok(!/[\x00-\x1f\x7f-\x9f]/.test(safeText(nasty)));
});

test('layout: every size fits, nothing negative or overlapping', () => {
  // Stacked below 160x48 (graphs.test.ts checks the big layout's columns).
  for (const [w, h] of [
    [80, 24],
    [0, 0],
    [1, 1],
    [10, 2],
    [20, 5],
    [40, 12],
    [80, 14],
    [80, 15],
    [200, 47],
    [159, 60],
  ] as const) {
    for (const zoom of [false, true]) {
      const g = computeLayout(w, h, 'connections', zoom, { interfaces: 4, counters: 10 });
      let next = g.status ? 1 : 0;
      for (const p of g.panes) {
        assert.ok(p.height > 0 && p.top === next, `${w}x${h}`);
        next = p.top + p.height;
      }
      assert.ok(next + (g.footer ? 1 : 0) <= Math.max(0, h), `${w}x${h}`);
    }
  }
  const g = computeLayout(80, 24, 'routes', false, { interfaces: 3, counters: 5 });
  assert.deepEqual(
    g.panes.map((p) => p.pane),
    ['routes', 'interfaces', 'counters'],
  );
  assert.deepEqual(
    computeLayout(80, 24, 'interfaces', true, { interfaces: 3, counters: 5 }).panes.map((p) => p.pane),
    ['interfaces'],
  );
});

test('redraw scheduler coalesces requests into one render', async () => {
  let paints = 0,
    renders = 0;
  const r = new RedrawScheduler(
    () => {
      paints++;
    },
    {
      render: () => {
        renders++;
      },
    },
  );
  r.request();
  r.request();
  r.request();
  await new Promise((res) => setImmediate(res));
  assert.equal(paints, 1);
  assert.equal(renders, 1);
  r.request();
  r.dispose();
  await new Promise((res) => setImmediate(res));
  assert.equal(renders, 1);
});

test('an idle tick (every counter stat as before) keeps the counters and ICMP lists; a counter that moves makes them anew', () => {
  const s = store(['-a']);
  const f = new Feeder(1000);
  const counters = (retrans: number): Record<string, Record<string, number>> => ({
    Tcp: { RetransSegs: retrans, OutSegs: 1000 },
    TcpExt: { ListenDrops: 3 },
    Icmp: { InMsgs: 4, OutMsgs: 4, InEchos: 2, OutEchoReps: 2 },
  });
  const tick = (retrans: number): void => {
    s.ingest(f.next({ counters: counters(retrans) }));
    s.visibleRows('counters', 10, 80);
    s.visibleRows('icmp', 10, 80);
  };
  for (const r of [10, 15, 15]) tick(r);
  const before = { ...s.listStats };
  tick(15);
  tick(15);
  assert.equal(s.listStats.kept - before.kept, 4, 'two idle ticks, two lists each kept');
  assert.equal(s.listStats.built, before.built);
  const rows = s.visibleRows('counters', 10, 80).rows;
  assert.deepEqual(
    rows.map((r) => r.key),
    [RETRANS_KEY, 'Tcp.RetransSegs'],
  );
  assert.match(rows[1]?.text ?? '', /Tcp\.RetransSegs +15 +0 /);
  tick(16);
  assert.equal(s.listStats.built - before.built, 2, 'a moved counter: both made anew');
  assert.match(s.visibleRows('counters', 10, 80).rows[1]?.text ?? '', /Tcp\.RetransSegs +16 +1 /);
  // A filter is a new list even on an idle tick.
  tick(16);
  tick(16);
  const built = s.listStats.built;
  act(s, { type: 'filterStart' }, { type: 'filterInput', text: 'segs' }, { type: 'filterAccept' });
  assert.deepEqual(
    s.visibleRows('counters', 10, 80).rows.map((r) => r.key),
    ['Tcp.RetransSegs'],
  );
  assert.equal(s.listStats.built, built + 1);
});
