// The dashboard on fake TTY streams, fed by a FakeSource: keys go in on the input stream, the
// screen is read back as text (blessed's screenshot without SGR attributes).
import { stripVTControlCharacters } from 'node:util';
import { parseOptions } from '../../src/cli/options.js';
import { createDashboard, type Dashboard } from '../../src/dashboard/app.js';
import { FakeSource, names } from './dashboard-samples.js';
import { fakeTty, type FakeTty } from './fake-tty.js';

export interface Harness {
  d: Dashboard;
  src: FakeSource;
  input: FakeTty;
  output: FakeTty;
  /** Everything written to the terminal so far, escape sequences included. */
  written: () => string;
  screen: () => string;
  lines: () => string[];
  press: (keys: string) => Promise<void>;
  settle: () => Promise<void>;
  close: () => Promise<number>;
}

export const tick = (): Promise<void> => new Promise((res) => setImmediate(res));

export function start(argv: string[], cols = 80, rows = 24, terminal = 'xterm', nameContext = names()): Harness {
  const input = fakeTty(cols, rows),
    output = fakeTty(cols, rows);
  let raw = '';
  output.on('data', (d: Buffer) => {
    raw += d.toString('utf8');
  });
  const src = new FakeSource();
  const d = createDashboard(parseOptions(argv), {
    input,
    output,
    names: nameContext,
    source: (on) => {
      src.onSample = on;
      return src;
    },
    host: { name: 'testhost', kernel: '6.1.0-test' },
    signals: false,
    terminal,
  });
  const settle = async (): Promise<void> => {
    for (let i = 0; i < 3; i++) await tick();
  };
  // @types/blessed declares screenshot() as void; blessed returns the text.
  const screen = (): string => stripVTControlCharacters(d.screen.screenshot() as unknown as string);
  return {
    d,
    src,
    input,
    output,
    settle,
    screen,
    written: () => raw,
    lines: () => screen().split('\n').slice(0, rows),
    press: async (keys) => {
      input.write(keys);
      await settle();
    },
    close: async () => {
      d.quit();
      return d.done;
    },
  };
}
