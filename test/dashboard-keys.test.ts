// Keys a netstat user presses first, on fake TTY streams drawn by blessed at 80x24: x (UNIX
// sockets, as netstat -x), PgDn (scrolls a page from the first press), and the help overlay
// (fits 80 columns without cut words).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Dashboard } from '../src/dashboard/app.js';
import { KEY_HELP } from '../src/dashboard/keys.js';
import type { UnixSocket } from '../src/model.js';
import { estab, listen, nif, type SnapParts } from './helpers/dashboard-samples.js';
import { start } from './helpers/dashboard-harness.js';

const unixSock = (inode: number, path: string): UnixSocket => ({ refCount: 3, protocol: 0, flags: 0, type: 1, state: 3, inode, path });

const WORLD: SnapParts = {
  inet: [listen(22), ...Array.from({ length: 60 }, (_, i) => estab(22, 40000 + i))],
  unix: [unixSock(4242, '/run/app.sock'), unixSock(4243, '/run/db.sock')],
  interfaces: [nif('lo', {}, 1), nif('eth0', { rxPackets: 1000 })],
  counters: { Tcp: { RetransSegs: 10, OutSegs: 1000 } },
};

async function withDash(
  argv: string[],
  fn: (d: Dashboard, screen: () => string, press: (k: string) => Promise<void>) => Promise<void>,
): Promise<void> {
  const h = start(argv, 80, 24, 'xterm-256color');
  h.output.resume();
  try {
    h.src.push(WORLD);
    h.src.push(WORLD);
    await h.settle();
    await fn(h.d, h.screen, h.press);
  } finally {
    await h.close();
  }
}

test('x in the Connections pane shows the UNIX sockets (pane 7) instead of emptying the list; x there goes back', async () => {
  await withDash(['-n'], async (d, screen, press) => {
    await press('x');
    assert.equal(d.store.state.focus, 'unix');
    const s = screen();
    assert.ok(!s.includes('no protocol selected'), s);
    assert.match(s, / 7 UNIX sockets/);
    assert.match(s, /\/run\/app\.sock/);
    await press('x');
    assert.equal(d.store.state.focus, 'connections');
    assert.match(screen(), /tcp +0 +0 10\.0\.0\.1:22 +10\.0\.0\.9:40000 +ESTABLISHED/);
    assert.ok(!screen().includes('no protocol selected'));
  });
});

test('x after netdash -t (UNIX hidden) shows them, in pane 7 too', async () => {
  await withDash(['-t', '-n'], async (d, screen, press) => {
    await press('7');
    assert.match(screen(), /UNIX sockets hidden/);
    await press('x');
    assert.equal(d.store.state.focus, 'unix');
    assert.match(screen(), /\/run\/app\.sock/);
  });
});

test('the first PgDn scrolls the list a page; PgUp scrolls back', async () => {
  await withDash(['-n'], async (d, screen, press) => {
    const title = (): string => / 1 Connections +(\S+)/.exec(screen())?.[1] ?? '';
    const before = title();
    assert.match(before, /^1-\d+\/60$/);
    const shown = Number(before.split(/[-/]/)[1]);
    await press('\x1b[6~'); // PgDn
    const after = title();
    const first = Number(after.split('-')[0]);
    assert.equal(first, shown, `PgDn did not scroll a page: ${before} -> ${after}`);
    // The cursor moved with the page: it is on the first row shown.
    assert.equal(d.store.cursorIndex('connections'), shown - 1);
    await press('\x1b[6~');
    assert.equal(Number(title().split('-')[0]), 2 * shown - 1);
    await press('\x1b[5~'); // PgUp
    await press('\x1b[5~');
    assert.equal(title(), before);
  });
});

test('help at 80x24 fits 80 columns without cutting a word, every key on some page', async () => {
  await withDash([], async (_d, screen, press) => {
    await press('?');
    const pages: string[] = [];
    for (let i = 0; i < 6; i++) {
      const lines = screen().split('\n').slice(0, 24);
      assert.ok(
        lines.every((l) => l.length <= 80),
        lines.join('\n'),
      );
      // The body of the box: between its side lines, without the borders.
      const body = lines.filter((l) => /│.*│/.test(l)).map((l) => l.replace(/^.*?│(.*)│.*$/, '$1').trimEnd());
      for (const l of body) assert.ok(!l.endsWith('…'), `a help line is cut: ${l}`);
      pages.push(...body);
      if (!/PgDn: more/.test(screen())) break;
      await press('\x1b[6~');
    }
    const text = pages.join(' ').replace(/\s+/g, ' ');
    for (const [k, what] of KEY_HELP) {
      assert.ok(text.includes(k.split(/\s+/)[0] ?? k), `help lacks key ${k}`);
      // Every word of the description, in order, whole.
      const words = what.split(/\s+/).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
      assert.match(text, new RegExp(words.join('\\s+(?:\\S+\\s+)??')), `help lacks "${what}"`);
    }
  });
});

test('PgDn in the help overlay moves a whole page, not one line', async () => {
  await withDash([], async (_d, screen, press) => {
    await press('?');
    const body = (): string[] =>
      screen()
        .split('\n')
        .filter((l) => /│.*│/.test(l))
        .map((l) => l.replace(/^.*?│(.*)│.*$/, '$1').trimEnd());
    const first = body();
    await press('\x1b[6~');
    const second = body();
    assert.ok(first.length > 5);
    // A page further, or as far as the end of the help goes (the last line is Esc's).
    const moved = first.indexOf(second[0] ?? '');
    assert.ok(moved === -1 || moved > 1, `PgDn moved one line:\n${first.join('\n')}\n---\n${second.join('\n')}`);
    assert.match(second[second.length - 1] ?? '', /^Esc +close help/);
  });
});
