// Issue 14 in a real terminal: netdash in tmux at 200x60 inside a network namespace. The big
// layout shows connections, interfaces, ICMP and routes together with the graphs; the program
// turns mouse reporting on (not with --no-mouse) and a click focuses the pane under it; a
// pinned counter gets a chart with a y scale; the traffic chart's scale follows the real rate;
// link changes stay in the events log after thousands of connection events.
import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';
import { linkVeth, Netns, readyLine } from './helpers/netns.js';
import { prereq } from './helpers/prereq.js';
import { Tmux } from './helpers/tmux.js';

const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));
const SINK = fileURLToPath(new URL('./helpers/tcp-sink.js', import.meta.url));
const SOURCE = fileURLToPath(new URL('./helpers/tcp-source.js', import.meta.url));
const WAVES = fileURLToPath(new URL('./helpers/conn-waves.js', import.meta.url));

const footer = (screen: string): string => screen.trimEnd().split('\n').pop() ?? '';
const UNITS: Record<string, number> = { '': 1, k: 1e3, M: 1e6, G: 1e9 };

/** The top of a traffic chart's y scale in bytes/s, from its label "gv0 traffic  y: 0-2 MB/s". */
function scaleTop(screen: string, iface: string): number | null {
  const m = new RegExp(`${iface} traffic {2}y: 0-([\\d.]+) ([kMG]?)B/s`).exec(screen);
  return m ? Number(m[1]) * (UNITS[m[2] ?? ''] ?? 1) : null;
}

describe('graphs, big layout, mouse and link events in tmux, in a namespace', () => {
  let ns: Netns | null = null;
  let peer: Netns | null = null;

  before(async () => {
    if (process.getuid?.() !== 0) return;
    try {
      ns = await Netns.create('graphs');
      peer = await Netns.create('gpeer');
      await linkVeth(ns, peer, '10.231.0.1/24', '10.231.0.2/24', ['gv0', 'gv1']);
    } catch {
      ns = null; // each test's prereq() says why
    }
  });
  after(async () => {
    await peer?.destroy();
    await ns?.destroy();
  });

  function open(t: TestContext, args: string[]): Tmux | null {
    if (!prereq(t, ['root', 'netns', 'tmux'])) return null;
    assert.ok(ns, 'the namespace');
    const tm = Tmux.start(['ip', 'netns', 'exec', ns.name, process.execPath, CLI, ...args], {
      width: 200,
      height: 60,
      term: 'xterm-256color',
    });
    t.after(() => tm.kill());
    return tm;
  }

  const firstSample = (tm: Tmux): Promise<string> =>
    tm.waitFor((s) => /since start \d/.test(s) && /y: 0-/.test(s), 20_000, 'the first sample and the charts');

  test('200x60: connections (with state counts), interfaces, ICMP and routes on one screen; mouse on; a click focuses a pane; a pinned counter is charted', async (t) => {
    const tm = open(t, ['-n', '1']);
    if (!tm) return;
    const s = await firstSample(tm);
    for (const title of [' 1 Connections', ' 2 Interfaces', ' 3 Protocol counters', ' 4 ICMP', ' 5 Routes', ' 11 Graphs'])
      assert.ok(s.includes(title), `${title}\n${s}`);
    assert.match(s, /ESTAB \d+/);
    assert.match(s, /10\.231\.0\.0/, 'the routing table');
    assert.match(s, /gv0 /, 'the interfaces');
    assert.match(s, /ICMP all messages/);
    assert.equal(tm.pane('#{mouse_any_flag}'), '1', 'mouse reporting is on');
    // A click (SGR press and release) in the ICMP pane, top right.
    assert.match(footer(s), /l listen/);
    tm.type('\x1b[<0;150;5M\x1b[<0;150;5m');
    await tm.waitFor((x) => /e every type/.test(footer(x)), 5000, 'the ICMP pane focused by the click');
    tm.keys('3', 'g', 'v', 'z');
    await tm.waitForText(/TCP retransmitted % \* {2}y: 0-\d+ %/, 5000);
    // A time axis, once there are a few samples.
    await tm.waitForText(/\d\d:\d\d:\d\d {2,}\d\d:\d\d:\d\d/, 15_000);
    tm.keys('q');
    assert.equal(await tm.waitExit(), 0);
    assert.equal(tm.pane('#{mouse_any_flag}'), '0', 'mouse reporting is turned off on the way out');
  });

  test('--no-mouse: the terminal is not asked for mouse reports', async (t) => {
    const tm = open(t, ['-n', '1', '--no-mouse']);
    if (!tm) return;
    await firstSample(tm);
    assert.equal(tm.pane('#{mouse_any_flag}'), '0');
    tm.keys('q');
    assert.equal(await tm.waitExit(), 0);
  });

  test('the traffic chart scale follows the real rate: a ping, then a 1 MB/s transfer, orders of magnitude apart', async (t) => {
    const tm = open(t, ['-n', '1']);
    if (!tm || !ns || !peer) return;
    const ping = peer.spawn('ping', ['-q', '-i', '0.2', '10.231.0.1']);
    const quiet = await tm.waitFor((x) => (scaleTop(x, 'gv0') ?? 0) > 0, 20_000, 'a gv0 chart');
    const low = scaleTop(quiet, 'gv0') ?? 0;
    assert.ok(low <= 10_000, `a ping on a small scale: ${low}\n${quiet}`);
    const sink = ns.spawn(process.execPath, [SINK, '10.231.0.1', '0']);
    const { port } = await readyLine<{ port: number }>(sink);
    const source = peer.spawn(process.execPath, [SOURCE, '10.231.0.1', String(port), String(12 * 1024 * 1024), '12000']);
    const busy = await tm.waitFor((x) => (scaleTop(x, 'gv0') ?? 0) >= 100 * low, 20_000, 'the scale of a 1 MB/s transfer');
    const high = scaleTop(busy, 'gv0') ?? 0;
    assert.ok(high >= 1e6 && high <= 1e7, `1 MB/s on a scale of 1-10 MB/s: ${high}`);
    ping.kill();
    source.kill();
    await once(source, 'exit');
    tm.keys('q');
    assert.equal(await tm.waitExit(), 0);
  });

  test('a link down/up and an MTU change stay in Events after 3,000 connection events', async (t) => {
    const tm = open(t, ['-n', '0.5']);
    if (!tm || !ns) return;
    await firstSample(tm);
    // Each change is waited for in the events pane before the next one is made.
    tm.keys('8');
    await ns.ip('link', 'set', 'gv0', 'down');
    await tm.waitForText('gv0 set down (flags)', 10_000);
    await ns.ip('link', 'set', 'gv0', 'up');
    await tm.waitForText('gv0 set up (flags)', 10_000);
    await ns.ip('link', 'set', 'gv0', 'mtu', '1400');
    await tm.waitForText('gv0 MTU 1500 → 1400', 10_000);
    // An interface added, then an address on it (seen when the metadata is read again, every 5 s).
    await ns.ip('link', 'add', 'gdum', 'type', 'veth', 'peer', 'name', 'gdum2');
    // Up and running: node's os.networkInterfaces() (the metadata's addresses) skips the rest.
    await ns.ip('link', 'set', 'gdum2', 'up');
    await ns.ip('link', 'set', 'gdum', 'up');
    await tm.waitForText(/gdum added \(index/, 10_000);
    await ns.ip('addr', 'add', '10.231.9.1/24', 'dev', 'gdum');
    await tm.waitForText('gdum address 10.231.9.1 added', 15_000);
    // 3 waves of 400 connections (800 sockets each) opened, held over ticks, closed: > 4,000 events.
    const waves = ns.spawn(process.execPath, [WAVES, '9200', '400', '3', '1500']);
    const lines: string[] = [];
    waves.stdout?.on('data', (d: Buffer) => lines.push(d.toString()));
    const [code] = (await once(waves, 'exit')) as [number | null];
    assert.equal(code, 0, lines.join(''));
    tm.keys('8', 'z');
    const all = await tm.waitForText(/ 8 Events .*(\d+ rows|\/\d+)/, 5000);
    const m = /(\d+) rows|\/(\d+)/.exec(all.split('\n')[1] ?? '');
    const rows = Number(m?.[1] ?? m?.[2] ?? 0);
    assert.ok(rows >= 500, `the log holds the connection events too: ${rows}\n${all}`);
    tm.type('/gv0');
    tm.keys('Enter');
    // The filtered log: every link change of gv0 is still there.
    const wants = ['gv0 set down (flags)', 'gv0 set up (flags)', 'gv0 MTU 1500 → 1400'];
    const s = await tm.waitFor((x) => / 8 Events .*\/gv0/.test(x) && wants.every((w) => x.includes(w)), 5000, 'the link events of gv0');
    assert.match(s, /gv0 operstate \S+ → down/);
    tm.keys('Escape');
    tm.type('/gdum');
    tm.keys('Enter');
    // Addresses come from the interface metadata, read again every 5 s: wait a few periods.
    const d = await tm.waitForText('gdum address 10.231.9.1 added', 20_000);
    assert.match(d, /gdum added \(index \d+/);
    tm.keys('q');
    assert.equal(await tm.waitExit(), 0);
  });
});
