// The dashboard in a real terminal: netdash runs in tmux inside a network namespace with
// known sockets; keys go in with send-keys and the screen comes back with capture-pane.
import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { Netns, readyLine } from './helpers/netns.js';
import { prereq } from './helpers/prereq.js';
import { Tmux } from './helpers/tmux.js';

const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));
const WORLD = fileURLToPath(new URL('./helpers/socket-world.js', import.meta.url));
const UDP_SEND = fileURLToPath(new URL('./helpers/udp-send.js', import.meta.url));

/** The connections pane's rows: the lines between its column header and the next pane title. */
function connRows(screen: string): string[] {
  const lines = screen.split('\n');
  const head = lines.findIndex((l) => /Proto Recv-Q Send-Q Local Address/.test(l));
  if (head < 0) return [];
  const out: string[] = [];
  for (const l of lines.slice(head + 1)) {
    if (/^ \d /.test(l) || l.trim() === '') break;
    out.push(l);
  }
  return out;
}

/** The screen without the status line (its clock and durations move every tick). */
const body = (screen: string): string => screen.split('\n').slice(1).join('\n');

describe('dashboard in tmux, in a namespace with known sockets', () => {
  let ns: Netns | null = null;
  const sessions: Tmux[] = [];

  before(async () => {
    if (process.getuid?.() !== 0) return;
    try {
      ns = await Netns.create('tmux');
      await readyLine(ns.spawn(process.execPath, [WORLD]));
    } catch {
      ns = null; // each test's prereq() says why
    }
  });
  after(async () => {
    for (const t of sessions) t.kill();
    await ns?.destroy();
  });

  function open(
    t: TestContext,
    args: string[],
    o: { width?: number; height?: number; env?: Record<string, string>; term?: string; shell?: boolean } = {},
  ): Tmux | null {
    if (!prereq(t, ['root', 'netns', 'tmux'])) return null;
    assert.ok(ns, 'namespace with the socket world');
    const argv = ['ip', 'netns', 'exec', ns.name, process.execPath, CLI, ...args];
    const cmd = o.shell
      ? // After netdash exits, the shell reports the terminal modes and waits to be read.
        ['sh', '-c', `"$@"; echo "EXIT=$?"; stty -a; echo DONE; sleep 60`, 'sh', ...argv]
      : argv;
    const tm = Tmux.start(cmd, {
      width: o.width ?? 100,
      height: o.height ?? 30,
      term: o.term ?? 'xterm-256color',
      ...(o.env ? { env: o.env } : {}),
    });
    sessions.push(tm);
    // One dashboard at a time: a finished test's netdash must not load the next one's machine.
    t.after(() => tm.kill());
    return tm;
  }

  const firstSample = (tm: Tmux): Promise<string> =>
    tm.waitFor((s) => /since start \d/.test(s) && connRows(s).length > 0, 20_000, 'the first sample');

  test('l lists only listening sockets; again shows connected ones', async (t) => {
    const tm = open(t, ['-t', '-n', '1']);
    if (!tm) return;
    const s0 = await firstSample(tm);
    assert.ok(
      connRows(s0).every((r) => /ESTABLISHED/.test(r)),
      s0,
    );
    tm.keys('l');
    const s1 = await tm.waitFor((s) => connRows(s).some((r) => /LISTEN/.test(r)), 5000, 'listeners');
    const rows = connRows(s1);
    assert.equal(rows.length, 4, s1);
    assert.ok(
      rows.every((r) => / LISTEN\s*$/.test(r)),
      s1,
    );
    for (const port of ['5001', '5002', '5003', '5004'])
      assert.ok(
        rows.some((r) => r.includes(`:${port} `)),
        `listener ${port}`,
      );
    tm.keys('l');
    await tm.waitFor((s) => connRows(s).length > 0 && connRows(s).every((r) => /ESTABLISHED/.test(r)), 5000, 'connected again');
  });

  test('u shows only UDP', async (t) => {
    const tm = open(t, ['-a', '-n', '1']);
    if (!tm) return;
    await firstSample(tm);
    tm.keys('u');
    const s = await tm.waitFor((x) => /udp all/.test(x), 5000, 'udp only');
    const rows = connRows(s);
    assert.ok(rows.length >= 3, s);
    assert.ok(
      rows.every((r) => /^ ?[+~-]?udp6? /.test(r)),
      s,
    );
    for (const port of ['5353', '5354'])
      assert.ok(
        rows.some((r) => r.includes(`:${port} `)),
        `udp ${port}`,
      );
  });

  test('/ with a port number filters to that port; Esc clears it', async (t) => {
    const tm = open(t, ['-a', '-n', '1']);
    if (!tm) return;
    const s0 = await firstSample(tm);
    const all = connRows(s0).length;
    tm.keys('/');
    tm.type(':5002');
    tm.keys('Enter');
    const s = await tm.waitFor((x) => x.includes('/:5002') && connRows(x).length < all, 5000, 'filtered rows');
    const rows = connRows(s);
    // The listener on 5002 and both ends of the connection to it.
    assert.equal(rows.length, 3, s);
    assert.ok(
      rows.every((r) => r.includes(':5002')),
      s,
    );
    tm.keys('Escape');
    await tm.waitFor((x) => !x.includes('/:5002') && connRows(x).length === all, 5000, 'filter cleared');
  });

  test('owners are read when shown: p fills the PID/Program column at once (10 s interval), a filter by program name finds rows', async (t) => {
    const tm = open(t, ['-a', '-n', '10'], { width: 140 });
    if (!tm) return;
    await firstSample(tm);
    tm.keys('p');
    // The socket world is a node process: its sockets show "<pid>/node" long before the next
    // 10 s tick.
    const s = await tm.waitFor((x) => connRows(x).some((r) => /:5002 .* \d+\/node/.test(r)), 5000, 'an owner in the PID/Program column');
    assert.match(s, /PID\/Program name/);
    tm.keys('p');
    await tm.waitFor((x) => !/PID\/Program name/.test(x), 5000, 'the column gone');
    tm.keys('/');
    tm.type('/node');
    tm.keys('Enter');
    const f = await tm.waitFor((x) => x.includes('//node') && connRows(x).length > 0, 5000, 'rows whose owner is node');
    assert.ok(
      connRows(f).some((r) => r.includes(':5002')),
      f,
    );
  });

  test('Space freezes the numbers while sampling goes on; Space again resumes', async (t) => {
    const tm = open(t, ['-a', '-n', '1'], { height: 40 });
    if (!tm || !ns) return;
    await firstSample(tm);
    // Steady loopback traffic, so every tick changes the interface and counter numbers.
    const traffic = ns.spawn(process.execPath, [UDP_SEND, '127.0.0.1', '9', '100000', '5']);
    t.after(() => {
      traffic.kill();
    });
    await tm.waitFor((s) => /lo +\S+/.test(s) && !/lo +0 /.test(s), 10_000, 'traffic on lo');
    tm.keys('Space');
    const frozen = await tm.waitForText('PAUSED', 5000);
    await sleep(2500); // two more samples are taken meanwhile
    const still = tm.capture();
    assert.equal(still, frozen, 'nothing on screen moves while paused');
    tm.keys('Space');
    await tm.waitFor((s) => !s.includes('PAUSED') && body(s) !== body(frozen), 5000, 'numbers moving again');
  });

  test('a resize re-lays out the panes to the new size', async (t) => {
    const tm = open(t, ['-a', '-n', '1'], { width: 120, height: 40 });
    if (!tm) return;
    await firstSample(tm);
    tm.resize(60, 16);
    const s = await tm.waitFor((x) => x.split('\n')[15]?.startsWith(' q quit') === true, 5000, 'footer on the last of 16 rows');
    const lines = s.split('\n').slice(0, 16);
    assert.ok(
      lines.every((l) => l.length <= 60),
      s,
    );
    assert.match(lines[0] ?? '', /netdash/);
    assert.ok(s.includes(' 1 Connections'), s);
    tm.resize(100, 40);
    await tm.waitFor((x) => x.includes(' 2 Interfaces') && x.includes(' 3 Protocol counters'), 5000, 'three panes again');
    tm.resize(12, 3);
    await tm.waitFor((x) => x.split('\n')[0]?.startsWith(' netdash') === true, 5000, 'status line at 12x3');
    tm.resize(100, 30);
    await tm.waitForText(' 1 Connections', 5000);
  });

  test('m then traffic: the counters pane counts since the mark', async (t) => {
    if (!prereq(t, ['root', 'netns', 'tmux'])) return;
    // A namespace of its own: its UDP counters start at zero.
    const fresh = await Netns.create('mark');
    t.after(() => fresh.destroy());
    const tm = Tmux.start(['ip', 'netns', 'exec', fresh.name, process.execPath, CLI, '-a', '-n', '1'], {
      width: 100,
      height: 40,
      term: 'xterm-256color',
    });
    t.after(() => tm.kill());
    await tm.waitForText(/since start \d/, 20_000);
    // Before the mark: 3 datagrams to a closed port (Udp.NoPorts +3).
    await fresh.exec(process.execPath, [UDP_SEND, '127.0.0.1', '9', '3', '0']);
    await tm.waitFor((s) => /Udp\.NoPorts +3 /.test(s), 10_000, 'NoPorts 3 since start');
    tm.keys('m');
    await tm.waitFor((s) => s.includes('Since mark'), 5000, 'Since mark column');
    await fresh.exec(process.execPath, [UDP_SEND, '127.0.0.1', '9', '5', '0']);
    // Total 8; since the mark 5 (then netstat -s's wording, as wide as the terminal allows).
    const s = await tm.waitFor(
      (x) => /Udp\.NoPorts +8 +\S+ +\S+ +5(?: +packets to unknown port|\s*$)/m.test(x),
      10_000,
      'NoPorts 8 total, 5 since mark',
    );
    assert.match(s, /since mark \d+s/);
  });

  test('q gives the shell back with the terminal in a sane state', async (t) => {
    const tm = open(t, ['-a', '1'], { shell: true });
    if (!tm) return;
    await firstSample(tm);
    tm.keys('q');
    const s = await tm.waitForText('DONE', 10_000);
    assert.match(s, /EXIT=0/);
    assert.ok(!s.includes('Connections'), 'the alternate screen is gone');
    // Cooked mode again: canonical input and echo on.
    assert.match(s, /(^|\s)icanon(\s|$)/m);
    assert.match(s, /(^|\s)echo(\s|$)/m);
    assert.ok(!/-icanon|(^|\s)-echo(\s|$)/m.test(s), s);
    // And the cursor is visible again (tmux reports it).
    assert.equal(tm.tmux(['display-message', '-p', '-t', tm.session, '#{cursor_flag}']).trim(), '1');
  });

  for (const [how, key] of [['C-c', 'C-c']] as const) {
    test(`${how} quits and restores the terminal too`, async (t) => {
      const tm = open(t, ['1'], { shell: true });
      if (!tm) return;
      await firstSample(tm).catch(() => tm.waitForText(' 1 Connections'));
      tm.keys(key);
      const s = await tm.waitForText('DONE', 10_000);
      assert.match(s, /EXIT=0/);
      assert.match(s, /(^|\s)icanon(\s|$)/m);
    });
  }

  test('SIGTERM and SIGHUP restore the terminal and exit 128+signal', async (t) => {
    for (const [sig, code] of [
      ['SIGTERM', 143],
      ['SIGHUP', 129],
    ] as const) {
      const tm = open(t, ['1']);
      if (!tm) return;
      await tm.waitForText(' 1 Connections', 20_000);
      process.kill(tm.pid(), sig);
      assert.equal(await tm.waitExit(), code, sig);
      assert.ok(!tm.capture().includes('Connections'), 'the alternate screen is gone');
      tm.kill();
    }
  });

  for (const term of ['xterm-256color', 'xterm', 'screen', 'tmux-256color', 'vt100', 'linux']) {
    test(`TERM=${term}: draws, takes keys and quits cleanly`, async (t) => {
      const tm = open(t, ['-a', '-n', '1'], { term, env: { TERM: term }, width: 100, height: 30 });
      if (!tm) return;
      const s = await firstSample(tm);
      assert.match(s, / 1 Connections/);
      assert.match(s, /Proto Recv-Q Send-Q Local Address +Foreign Address +State/);
      tm.keys('?');
      await tm.waitForText('netdash keys', 5000);
      tm.keys('Escape');
      await tm.waitFor((x) => !x.includes('netdash keys'), 5000, 'help closed');
      tm.keys('q');
      assert.equal(await tm.waitExit(), 0);
    });
  }

  test('--ascii (and a non-UTF-8 locale) draws with plain ASCII only', async (t) => {
    for (const [args, env] of [
      [['--ascii'], {}],
      [[], { LANG: 'C', LC_ALL: 'C' }],
    ] as const) {
      const tm = open(t, [...args, '-a', '-n', '1'], { env: { ...env } });
      if (!tm) return;
      const s0 = await firstSample(tm);
      assert.match(s0, /sort proto v/);
      tm.keys('Enter');
      const s = await tm.waitForText('Details', 5000);
      for (const x of [s0, s]) assert.ok(/^[\x20-\x7e\n]*$/.test(x), `non-ASCII on screen:\n${x}`);
      assert.match(s, /\+- Details/);
      tm.keys('q');
      assert.equal(await tm.waitExit(), 0);
      tm.kill();
    }
  });
});
