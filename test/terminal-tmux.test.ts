// The dashboard as a good citizen of a real terminal (tmux): job control (Ctrl-Z, SIGTSTP,
// SIGCONT), colours under several TERMs and NO_COLOR, read back with capture-pane -e.
import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Netns, readyLine } from './helpers/netns.js';
import { prereq } from './helpers/prereq.js';
import { Tmux } from './helpers/tmux.js';

const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));
const WORLD = fileURLToPath(new URL('./helpers/socket-world.js', import.meta.url));

const raw = (stty: string): boolean => /(^|\s)-icanon(\s|$)/m.test(stty) && /(^|\s)-echo(\s|$)/m.test(stty);
const cooked = (stty: string): boolean => /(^|\s)icanon(\s|$)/m.test(stty) && /(^|\s)echo(\s|$)/m.test(stty);

describe('the dashboard in tmux: job control and colours', () => {
  let ns: Netns | null = null;

  before(async () => {
    if (process.getuid?.() !== 0) return;
    try {
      ns = await Netns.create('term');
      await readyLine(ns.spawn(process.execPath, [WORLD]));
    } catch {
      ns = null; // each test's prereq() says why
    }
  });
  after(async () => {
    await ns?.destroy();
  });

  function argv(args: string[]): string[] {
    assert.ok(ns, 'namespace with the socket world');
    return ['ip', 'netns', 'exec', ns.name, process.execPath, CLI, ...args];
  }

  /** An interactive shell in tmux that has started netdash as a job. */
  async function inShell(t: TestContext, args: string[], term = 'xterm-256color'): Promise<Tmux | null> {
    if (!prereq(t, ['root', 'netns', 'tmux'])) return null;
    const tm = Tmux.shell({ term, env: { TERM: term } });
    t.after(() => tm.kill());
    await tm.waitForText(/^\$/m, 10_000);
    tm.type(
      argv(args)
        .map((a) => `'${a}'`)
        .join(' '),
    );
    tm.keys('Enter');
    await tm.waitFor((s) => /since start \d/.test(s), 20_000, 'the first sample');
    return tm;
  }

  async function checkSuspended(tm: Tmux): Promise<void> {
    const s = await tm.waitFor((x) => /Stopped/.test(x) && !x.includes(' 1 Connections'), 10_000, 'the job stopped and the shell back');
    assert.equal(tm.pane('#{alternate_on}'), '0', `still on the alternate screen:\n${s}`);
    assert.equal(tm.pane('#{cursor_flag}'), '1', 'the cursor is shown');
    const modes = tm.stty();
    assert.ok(cooked(modes), `tty left in raw mode by the suspended dashboard:\n${modes}`);
  }

  async function checkResumed(tm: Tmux): Promise<void> {
    tm.type('fg; echo "FG=$?"');
    tm.keys('Enter');
    // Redrawn at once, not at the next sample: the interval is 60 s.
    await tm.waitFor((x) => x.includes(' 1 Connections') && x.includes(' 2 Interfaces'), 10_000, 'the dashboard redrawn after fg');
    assert.equal(tm.pane('#{alternate_on}'), '1');
    assert.equal(tm.pane('#{cursor_flag}'), '0', 'the cursor is hidden again');
    const modes = tm.stty();
    assert.ok(raw(modes), `raw mode not restored after SIGCONT:\n${modes}`);
    // Keys work again (raw: one key, no Enter).
    tm.keys('?');
    await tm.waitForText('netdash keys', 5000);
    tm.keys('q');
    await tm.waitForText('FG=0', 10_000);
  }

  test('Ctrl-Z suspends to the shell with the terminal restored; fg redraws at once in raw mode', async (t) => {
    const tm = await inShell(t, ['-a', '-n', '60']);
    if (!tm) return;
    tm.keys('C-z');
    await checkSuspended(tm);
    await checkResumed(tm);
  });

  test('an external SIGTSTP suspends the same way; SIGCONT (fg) restores', async (t) => {
    const tm = await inShell(t, ['-a', '-n', '60']);
    if (!tm) return;
    const shell = tm.pane('#{pane_pid}');
    const pid = Number(execFileSync('pgrep', ['-P', shell], { encoding: 'utf8' }).trim().split('\n')[0]);
    process.kill(pid, 'SIGTSTP');
    await checkSuspended(tm);
    await checkResumed(tm);
  });

  for (const term of ['screen', 'xterm', 'tmux-256color', 'linux']) {
    test(`TERM=${term} in tmux: dim text is not black (capture-pane -e)`, async (t) => {
      if (!prereq(t, ['root', 'netns', 'tmux'])) return;
      const tm = Tmux.start(argv(['-a', '-n', '60']), { term, env: { TERM: term }, width: 100, height: 30 });
      t.after(() => tm.kill());
      await tm.waitFor((s) => /since start \d/.test(s), 20_000, 'the first sample');
      const screen = tm.capture(true);
      // Zero state counts ("SYN-SENT 0") are dim: the SGR before one of them.
      // eslint-disable-next-line no-control-regex
      const m = /((?:\x1b\[[0-9;]*m)+)SYN-SENT 0/.exec(screen);
      assert.ok(m, `no SGR before "SYN-SENT 0":\n${JSON.stringify(screen.slice(0, 2000))}`);
      const params = (m[1] ?? '')
        // eslint-disable-next-line no-control-regex -- the escapes are what it takes apart
        .replace(/\x1b\[|m/g, ';')
        .split(';')
        .filter(Boolean);
      assert.ok(!params.includes('30'), `black under TERM=${term}: ${JSON.stringify(m[1])}`);
      assert.ok(params.includes('2') || params.includes('90'), `neither dim nor grey under TERM=${term}: ${JSON.stringify(m[1])}`);
      tm.keys('q');
      assert.equal(await tm.waitExit(), 0);
    });
  }

  test('NO_COLOR in tmux: no colour, reverse and bold stay', async (t) => {
    if (!prereq(t, ['root', 'netns', 'tmux'])) return;
    const tm = Tmux.start(argv(['-a', '-n', '60']), { term: 'xterm-256color', env: { TERM: 'xterm-256color', NO_COLOR: '1' } });
    t.after(() => tm.kill());
    await tm.waitFor((s) => /since start \d/.test(s), 20_000, 'the first sample');
    const screen = tm.capture(true);
    // eslint-disable-next-line no-control-regex
    const params = [...screen.matchAll(/\x1b\[([0-9;]*)m/g)].flatMap((x) => (x[1] ?? '').split(';'));
    assert.ok(
      !params.some((p) => /^(3[0-7]|4[0-7]|9[0-7]|10[0-7]|38|48)$/.test(p)),
      `colour under NO_COLOR: ${JSON.stringify(screen.slice(0, 1500))}`,
    );
    assert.ok(params.includes('7') && params.includes('1'), 'reverse and bold');
    tm.keys('q');
    assert.equal(await tm.waitExit(), 0);
  });

  test('TERM=dumb: one line on stderr, then netstat output (once, or at the interval); exit 0', async (t) => {
    if (!prereq(t, ['root', 'netns', 'tmux'])) return;
    const once = Tmux.start(argv(['-t', '-n']), { env: { TERM: 'dumb' }, width: 120, height: 40 });
    t.after(() => once.kill());
    assert.equal(await once.waitExit(), 0);
    const s = once.tmux(['capture-pane', '-p', '-S', '-', '-t', once.session]);
    const lines = s.split('\n');
    assert.match(lines[0] ?? '', /^netdash: TERM=dumb cannot move the cursor: no dashboard, printing in netstat's format instead$/);
    assert.equal(lines[1], 'Active Internet connections (w/o servers)');
    assert.match(s, /tcp +0 +0 127\.0\.0\.1:\d+ +127\.0\.0\.1:\d+ +ESTABLISHED/);
    assert.ok(!s.includes('\x1b'), 'no escape sequences');
    const repeated = Tmux.start(argv(['-t', '-n', '0.5', '--count', '2']), { env: { TERM: 'dumb' }, width: 120, height: 40 });
    t.after(() => repeated.kill());
    assert.equal(await repeated.waitExit(), 0);
    assert.equal(repeated.capture().split('Active Internet connections').length - 1, 2);
  });

  test('a TERM without cursor addressing in terminfo is refused the same way', async (t) => {
    if (!prereq(t, ['root', 'netns', 'tmux'])) return;
    // A terminfo entry compiled for the test (tic, ncurses-bin): a screen size, no cup.
    const dir = mkdtempSync(join(tmpdir(), 'nd-terminfo-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(
      join(dir, 'nocup.src'),
      'nd-nocup|a terminal without cursor addressing,\n\tcols#80, lines#24, bel=^G, cr=\\r, cud1=\\n, ind=\\n,\n',
    );
    execFileSync('tic', ['-o', dir, join(dir, 'nocup.src')]);
    const tm = Tmux.start(argv(['-t', '-n']), { env: { TERM: 'nd-nocup', TERMINFO: dir }, width: 120, height: 40 });
    t.after(() => tm.kill());
    assert.equal(await tm.waitExit(), 0);
    const lines = tm.tmux(['capture-pane', '-p', '-S', '-', '-t', tm.session]).split('\n');
    assert.match(
      lines[0] ?? '',
      /^netdash: TERM=nd-nocup has no cursor addressing \(terminfo cup\): no dashboard, printing in netstat's format instead$/,
    );
    assert.equal(lines[1], 'Active Internet connections (w/o servers)');
  });
});
