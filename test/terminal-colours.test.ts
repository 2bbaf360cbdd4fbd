// Colours and attributes for the terminal at hand, on fake TTY streams drawn by blessed with
// the real terminfo entry of each TERM: dim text is never black, NO_COLOR drops colour but
// keeps reverse and bold, and no window title is set (so none is left behind).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parseOptions } from '../src/cli/options.js';
import { createDashboard } from '../src/dashboard/app.js';
import { legacyTerminfo, patchTerminfoReader } from '../src/dashboard/terminfo.js';
import { blinkToDim, restyle } from '../src/dashboard/theme.js';
import { estab, FakeSource, listen, names, nif, udp, type SnapParts } from './helpers/dashboard-samples.js';
import { fakeTty } from './helpers/fake-tty.js';

// Zero state counts and an interface that is down are drawn dim.
const WORLD: SnapParts = {
  inet: [listen(22), estab(22, 40000), udp(53)],
  interfaces: [nif('lo', {}, 1), nif('eth0', { rxPackets: 1000 }), nif('eth9', {}, 0)],
  counters: { Tcp: { RetransSegs: 10, OutSegs: 1000 } },
};

const tick = (): Promise<void> => new Promise((res) => setImmediate(res));

/** Everything netdash writes to a terminal of this TERM while it draws two samples and the
 *  cursor moves, then quits. */
async function drawn(term: string, env: Record<string, string> = {}): Promise<string> {
  const input = fakeTty(100, 30),
    output = fakeTty(100, 30);
  let raw = '';
  output.on('data', (d: Buffer) => {
    raw += d.toString('utf8');
  });
  const src = new FakeSource();
  const d = createDashboard(parseOptions(['-a']), {
    input,
    output,
    names: names(),
    source: (on) => {
      src.onSample = on;
      return src;
    },
    host: { name: 'testhost', kernel: '6.1.0-test' },
    signals: false,
    terminal: term,
    env,
  });
  src.push(WORLD);
  src.push(WORLD);
  for (let i = 0; i < 3; i++) await tick();
  input.write('j');
  for (let i = 0; i < 3; i++) await tick();
  d.quit();
  await d.done;
  return raw;
}

/** Every SGR parameter list written (colour arguments 38;5;N and 48;5;N kept together). */
function sgrParams(out: string): string[][] {
  // eslint-disable-next-line no-control-regex
  return [...out.matchAll(/\x1b\[([0-9;]*)m/g)].map((m) => {
    const p = (m[1] ?? '').split(';');
    const params: string[] = [];
    for (let i = 0; i < p.length; i++) {
      if ((p[i] === '38' || p[i] === '48') && p[i + 1] === '5') {
        params.push(`${p[i]};5;${p[i + 2]}`);
        i += 2;
      } else params.push(p[i] ?? '');
    }
    return params;
  });
}

const isColour = (p: string): boolean => /^(3[0-7]|4[0-7]|9[0-7]|10[0-7]|[34]8;5;\d+)$/.test(p);
const flat = (out: string): string[] => sgrParams(out).flat();

for (const term of ['xterm', 'screen', 'linux', 'tmux', 'tmux-256color', 'screen-256color', 'xterm-256color']) {
  test(`TERM=${term}: dim text is never black; grey or the dim attribute instead`, async () => {
    const out = await drawn(term);
    const params = flat(out);
    assert.ok(!params.includes('30'), `black foreground (\\e[30m) written under TERM=${term}`);
    assert.ok(!params.includes('38;5;0') && !params.includes('38;5;16'), `black foreground (256) under TERM=${term}`);
    // Colour is still used: red/green/blue for states and titles.
    assert.ok(params.some(isColour), `no colour at all under TERM=${term}`);
    if (term.endsWith('256color')) assert.ok(params.includes('90') || params.includes('38;5;8'), `no grey under TERM=${term}`);
    else assert.ok(params.includes('2'), `no dim attribute under TERM=${term}`);
  });
}

test('a terminal without colours (vt100): no colour at all, reverse and bold kept', async () => {
  const params = flat(await drawn('vt100'));
  assert.deepEqual(params.filter(isColour), []);
  assert.ok(params.includes('7') && params.includes('1'), params.join(' '));
});

for (const term of ['xterm-256color', 'xterm', 'linux']) {
  test(`NO_COLOR=1 under TERM=${term}: no colour, the cursor row (reverse) and bold stay`, async () => {
    const params = flat(await drawn(term, { NO_COLOR: '1' }));
    assert.deepEqual(params.filter(isColour), [], `colour under NO_COLOR: ${params.filter(isColour).join(' ')}`);
    assert.ok(params.includes('7'), 'reverse (cursor row, status line) is kept');
    assert.ok(params.includes('1'), 'bold is kept');
    // Dim stays an attribute, not a colour.
    assert.ok(params.includes('2'), 'dim text is drawn with the dim attribute');
  });
}

test('NO_COLOR set but empty does not turn colour off (no-color.org)', async () => {
  assert.ok(flat(await drawn('xterm-256color', { NO_COLOR: '' })).some(isColour));
});

test('no window title is set, so none is left behind', async () => {
  for (const term of ['xterm-256color', 'screen', 'tmux-256color']) {
    const out = await drawn(term);
    // OSC 0/1/2 (title) and blessed's tmux passthrough of it.
    // eslint-disable-next-line no-control-regex
    assert.ok(!/\x1b\][012];/.test(out), `a title was written under TERM=${term}`);
    assert.ok(!out.includes('\x1bPtmux;'), `a passthrough was written under TERM=${term}`);
  }
});

test('the 32-bit terminfo format (ncurses 6) is read: tmux-256color has 256 colours and dim', (t) => {
  const require = createRequire(import.meta.url);
  const blessed = require('blessed') as {
    tput: { new (o: { terminal: string }): { colors: number; strings: Record<string, unknown> }; prototype: unknown };
  };
  const files = ['/usr/share/terminfo/t/tmux-256color', '/usr/lib/terminfo/t/tmux-256color', '/lib/terminfo/t/tmux-256color'];
  const file = files.find((f) => {
    try {
      readFileSync(f);
      return true;
    } catch {
      return false;
    }
  });
  if (!file) {
    t.skip('no tmux-256color terminfo entry (ncurses-base)');
    return;
  }
  const data = readFileSync(file);
  // The file really is in the 32-bit format (else this test proves nothing).
  assert.equal(data.readUInt16LE(0), 0o1036, `${file} is not in ncurses' 32-bit format`);
  const legacy = legacyTerminfo(data);
  assert.equal(legacy.readUInt16LE(0), 0o432);
  patchTerminfoReader(blessed.tput);
  const tp = new blessed.tput({ terminal: 'tmux-256color' });
  assert.equal(tp.colors, 256);
  assert.equal(tp.strings['enter_dim_mode'], '\x1b[2m');
  assert.equal(typeof tp.strings['cursor_address'], 'string');
});

test('restyle and blinkToDim: tags and SGR parameters', () => {
  const caps8 = { colors: 8, dim: true, noColor: false };
  assert.equal(restyle(caps8)('{gray-fg}x 0{/gray-fg} {red-fg}y{/red-fg}'), '{blink}x 0{/blink} {red-fg}y{/red-fg}');
  assert.equal(restyle({ colors: 8, dim: false, noColor: false })('{gray-fg}x{/gray-fg}'), 'x');
  assert.equal(restyle({ colors: 256, dim: true, noColor: false })('{gray-fg}x{/gray-fg}'), '{gray-fg}x{/gray-fg}');
  assert.equal(
    restyle({ colors: 256, dim: true, noColor: true })('{inverse}{bold}{blue-fg}a{/blue-fg}{/bold}{/inverse}{gray-fg}b{/gray-fg}'),
    '{inverse}{bold}a{/bold}{/inverse}{blink}b{/blink}',
  );
  // Escaped outside text is never taken for a tag.
  assert.equal(restyle({ colors: 8, dim: true, noColor: true })('{open}red-fg{close}'), '{open}red-fg{close}');
  assert.equal(blinkToDim('\x1b[5;31m\x1b[38;5;5m\x1b[1;5m\x1b[m'), '\x1b[2;31m\x1b[38;5;5m\x1b[1;2m\x1b[m');
});
