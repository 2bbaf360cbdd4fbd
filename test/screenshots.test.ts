// The screenshot pipeline (test/tools/): the ANSI → SVG → PNG conversion, the committed demo
// recording it replays, and that two runs give the same picture.
import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prereq } from './helpers/prereq.js';
import { readRecording } from '../src/sampler/recording.js';
import { SampleEngine, type Sample } from '../src/sampler/sample-engine.js';
import { CELL_W, missingFonts, parseScreen, screenToPng, screenToSvg } from './tools/ansi-png.js';
import { DEMO_RECORDING, DEMO_ROOT } from './tools/demo-paths.js';
import { DEFAULT_AT, VIEWS, firstRouteChange, shoot } from './tools/screenshots.js';

/** Fonts are a prerequisite like tmux: skip locally, fail under CI. */
function fonts(t: TestContext): boolean {
  const missing = missingFonts();
  if (missing.length === 0) return true;
  const why = `font not found: ${missing.join(', ')} (apt-get install fonts-dejavu-core)`;
  if (process.env['CI'] === 'true') throw new Error(`prerequisite missing under CI: ${why}`);
  console.log(`# skipping "${t.name}": ${why}`);
  t.skip(why);
  return false;
}

const ESC = '\x1b[';

describe('ANSI screen to PNG', () => {
  it('parses combined SGR codes, 256 colours and inverse video into cells', () => {
    const g = parseScreen(`${ESC}1;7m ab${ESC}0m c${ESC}38;5;196md${ESC}39m\n${ESC}4mu${ESC}24mv`, 6, 3);
    assert.equal(g.length, 3);
    assert.ok(g.every((r) => r.length === 6));
    const [r0 = [], r1 = []] = g;
    assert.deepEqual(r0.map((c) => c.ch).join(''), ' ab cd');
    assert.ok(r0[1]?.bold && r0[1].inverse);
    assert.ok(!r0[3]?.bold && !r0[3]?.inverse);
    assert.deepEqual(r0[5]?.fg, { kind: 'index', n: 196 });
    assert.ok(r1[0]?.underline && !r1[1]?.underline);
  });

  it('puts every word in its own cell column, however many spaces come before it', () => {
    const svg = screenToSvg(`Iface${' '.repeat(30)}RX-OK    7\n${ESC}7m inverse ${ESC}27m`, 60, 2);
    const xOf = (word: string): number => {
      const m = new RegExp(`<text x="([0-9.]+)"[^>]*>\\s*${word}</text>`).exec(svg);
      assert.ok(m, `${word} not in the SVG`);
      return Number(m[1]);
    };
    const col = (x: number): number => Math.round((x - xOf('Iface')) / CELL_W);
    assert.equal(col(xOf('RX-OK')), 35);
    assert.equal(col(xOf('7')), 44);
    // Inverse video: a light rectangle behind the text, dark text on it.
    assert.match(svg, /<rect x="10" y="29" width="[0-9.]+" height="19" fill="#d0d3d8"\/>/);
    assert.match(svg, /fill="#1c1f24">\s*inverse<\/text>/);
  });

  it('renders the same screen to the same PNG bytes', (t) => {
    if (!fonts(t)) return;
    const screen = `${ESC}1;7m netdash  PAUSED ${ESC}0m\n tcp  0  0 server:http  client:40342  ${ESC}31mTIME_WAIT${ESC}39m\n│┌─┐│ ▁▂▃▄▅▆▇█ ↓`;
    const a = screenToPng(screen, 60, 4);
    const b = screenToPng(screen, 60, 4);
    assert.equal(a.subarray(1, 4).toString('latin1'), 'PNG');
    assert.ok(a.equals(b));
  });
});

describe('the demo recording', () => {
  const { samples } = readRecording(DEMO_RECORDING);
  const engine = new SampleEngine();
  const seen: Sample[] = samples.map((raw) => engine.ingest(raw));

  it('is small and replays', () => {
    assert.ok(statSync(DEMO_RECORDING).size < 1024 * 1024, 'demo.ndjson is 1 MiB or more');
    assert.ok(samples.length >= DEFAULT_AT + 5, `only ${samples.length} samples`);
  });

  it(`shows at sample ${DEFAULT_AT} what the pictures are about`, () => {
    const s = seen[DEFAULT_AT - 1];
    assert.ok(s);
    const delta = (k: string): number => s.stats.get(k)?.delta ?? 0;
    assert.ok(delta('Tcp.RetransSegs') > 0, 'no retransmits');
    assert.ok(delta('Icmp.InDestUnreachs') > 0 && delta('Icmp.OutDestUnreachs') > 0, 'no ICMP unreachables');
    assert.ok(delta('Icmp.InTimeExcds') > 0, 'no ICMP time exceeded');
    assert.ok(delta('if.eth0.txDrop') > 0 && delta('if.eth1.rxDrop') > 0, 'no interface drops');
    const states = new Set<number>();
    for (const r of Object.values(s.snapshot.inet)) if (r?.ok) for (const k of r.value) states.add(k.state);
    for (const [state, name] of [
      [1, 'ESTABLISHED'],
      [2, 'SYN_SENT'],
      [5, 'FIN_WAIT2'],
      [6, 'TIME_WAIT'],
      [8, 'CLOSE_WAIT'],
      [10, 'LISTEN'],
    ] as const) {
      assert.ok(states.has(state), `no ${name} socket`);
    }
    assert.ok(s.snapshot.owners && s.snapshot.owners.owners.size > 0, 'no process owners');
  });

  it(`carries tcp_info: at sample ${DEFAULT_AT} the lossy peer and its program retransmit, the clean container does not`, () => {
    const s = seen[DEFAULT_AT - 1];
    const a = s?.aggregates;
    assert.ok(a, 'no per-process and per-peer sums (no tcp_info recorded)');
    const byRetrans = (l: typeof a.peers) => [...l].sort((x, y) => (y.retrans ?? -1) - (x.retrans ?? -1));
    // The client (10.77.0.1) drops 5% of the server's packets; the web server sends its downloads.
    assert.equal(byRetrans(a.peers)[0]?.addr, '10.77.0.1');
    assert.ok((byRetrans(a.peers)[0]?.retrans ?? 0) > 0);
    assert.equal(byRetrans(a.processes)[0]?.program, 'demo-web');
    const clean = a.peers.find((g) => g.addr === '10.88.0.11');
    assert.ok(clean && (clean.tx ?? 0) > 0 && clean.retrans === 0, 'the container downloads without retransmits');
  });

  it('adds and removes routes during the run', () => {
    const at = firstRouteChange(samples);
    assert.ok(
      seen[at - 1]?.routes.added.some((r) => r.includes('198.51.100.0')),
      `sample ${at} adds no route`,
    );
    assert.ok(
      seen.some((s) => s.routes.removed.some((r) => r.includes('198.51.100.0'))),
      'the route is never removed',
    );
  });

  it("has every address it shows in the demo root's hosts file (no DNS during a replay)", () => {
    const hosts = readFileSync(join(DEMO_ROOT, 'etc/hosts'), 'utf8');
    const known = new Set(
      hosts
        .split('\n')
        .filter((l) => l && !l.startsWith('#'))
        .map((l) => l.split(/\s+/)[0]),
    );
    for (const raw of samples) {
      for (const r of Object.values(raw.snapshot.inet)) {
        if (!r?.ok) continue;
        for (const k of r.value) {
          for (const a of [k.localAddr, k.remoteAddr]) {
            const key = a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a;
            if (key !== '0.0.0.0' && key !== '::') assert.ok(known.has(key), `${key} is not in demo-root/etc/hosts`);
          }
        }
      }
    }
  });
});

describe('screenshots', () => {
  it('two replays of the same view give the same PNG bytes', { timeout: 240_000 }, async (t) => {
    if (!prereq(t, ['tmux']) || !fonts(t)) return;
    const overview = VIEWS.find((v) => v.name === 'overview');
    assert.ok(overview);
    const dirs = [mkdtempSync(join(tmpdir(), 'netdash-shot-')), mkdtempSync(join(tmpdir(), 'netdash-shot-'))];
    t.after(() => {
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    });
    const pngs: Buffer[] = [];
    for (const outDir of dirs) {
      const r = await shoot(overview, { outDir });
      assert.equal(r.problem, null, r.problem ?? '');
      assert.ok(r.file);
      assert.deepEqual(r.wallClock, [], 'text on screen depends on when it ran');
      pngs.push(readFileSync(r.file));
    }
    const [a, b] = pngs;
    assert.ok(a && b && a.equals(b), 'the two pictures differ');
  });
});
