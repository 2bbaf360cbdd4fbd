// Hostile program and interface names (terminal escapes, BEL, quotes, backslashes, a newline,
// braces, bytes that are not UTF-8) made for real in a namespace, exported by --serve -p: the
// exposition must pass promtool, carry no raw control character, show each name as printable()
// does (then escaped by the format), and a real Prometheus must parse it (OpenMetrics) and
// hand the same label values back.
import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Netns, readyLine, run } from './helpers/netns.js';
import { prereq } from './helpers/prereq.js';

const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));
const HTTP_GET = fileURLToPath(new URL('./helpers/http-get.js', import.meta.url));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Characters that must never reach the exposition raw (newline only as the line end): C0, DEL,
 *  C1, bidi and zero-width controls, separators, BOM, and U+FFFD from invalid UTF-8. */
// eslint-disable-next-line no-control-regex
const RAW = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufffd]/;

/** Program names as bash printf formats (so bytes that are not UTF-8 can be made), with the
 *  name each must have in the exposition's label, before the format's own escaping. */
const PROGRAMS: { fmt: string; shown: string }[] = [
  { fmt: '\\033[31m{bold}evil\\007\\342\\200\\256', shown: '\\x1b[31m{bold}evil\\x07\\u202e' },
  { fmt: 'q"uote\\\\back\\nnl{brace}', shown: 'q"uote\\\\back\\nnl{brace}' },
  { fmt: '\\xff\\xfe{b}\\302\\233', shown: '\\xff\\xfe{b}\\x9b' },
];
/** Interface names (iproute2 takes any byte but '/', ':' and whitespace), as printf formats. */
const INTERFACES: { fmt: string; shown: string }[] = [
  { fmt: '\\033[1m{bold}\\007', shown: '\\x1b[1m{bold}\\x07' },
  { fmt: 'e\\xff\\xfe{b}', shown: 'e\\xff\\xfe{b}' },
  { fmt: 'q"i\\\\f}', shown: 'q"i\\\\f}' },
  { fmt: 'br{a}"ce', shown: 'br{a}"ce' },
];

/** The text format's label-value escaping. */
const expo = (s: string): string => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/** Holds one listening socket per hostile name, each in a `sleep` whose argv[0] is that name. */
const HOLDER = `
const net = require('node:net');
const { spawn } = require('node:child_process');
const fmts = process.argv.slice(1).map((a) => Buffer.from(a, 'hex').toString('utf8'));
(async () => {
  const pids = [];
  for (let i = 0; i < fmts.length; i++) {
    const l = net.createServer();
    await new Promise((r) => l.listen(7400 + i, '127.0.0.1', r));
    const child = spawn('bash', ['-c', 'exec -a "$(printf "$0")" sleep 600', fmts[i]], { stdio: ['ignore', 'ignore', 'ignore', l._handle.fd] });
    await new Promise((r) => child.once('spawn', r));
    l.close();
    pids.push(child.pid);
  }
  console.log(JSON.stringify({ pids }));
})();
setInterval(() => {}, 1e6);
`;

async function get(ns: Netns, url: string, ...args: string[]): Promise<{ status?: number; body?: string; error?: string }> {
  const r = await ns.exec(process.execPath, [HTTP_GET, url, ...args]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as { status?: number; body?: string };
}

function assertNoRaw(text: string, what: string): void {
  const m = RAW.exec(text.replace(/\n/g, ' '));
  assert.equal(
    m,
    null,
    `${what}: raw U+${m?.[0].charCodeAt(0).toString(16).padStart(4, '0')} near ${JSON.stringify(text.slice(Math.max(0, (m?.index ?? 0) - 30), (m?.index ?? 0) + 30))}`,
  );
}

describe('hostile names through --serve', () => {
  it('give a valid exposition (promtool, Prometheus) with every control byte escaped', { timeout: 90_000 }, async (t: TestContext) => {
    if (!prereq(t, ['root', 'netns', 'prometheus'])) return;
    const ns = await Netns.create('promevil');
    t.after(() => ns.destroy());
    const dir = mkdtempSync(join(tmpdir(), 'netdash-serve-evil-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));

    for (let i = 0; i < INTERFACES.length; i += 2) {
      const [a, b] = [INTERFACES[i]!, INTERFACES[i + 1]!];
      const made = await run('bash', [
        '-c',
        `ip -n ${ns.name} link add "$(printf "$0")" type veth peer name "$(printf "$1")"`,
        a.fmt,
        b.fmt,
      ]);
      assert.equal(made.code, 0, made.stderr);
    }
    const hex = (s: string): string => Buffer.from(s, 'utf8').toString('hex');
    const holder = ns.spawn(process.execPath, ['-e', HOLDER, ...PROGRAMS.map((p) => hex(p.fmt))]);
    await readyLine<{ pids: number[] }>(holder);

    const nd = ns.spawn(process.execPath, [CLI, '--serve', '127.0.0.1:9100', '-p', '--interval', '0.5']);
    nd.stdout?.resume();
    let text = '';
    for (let i = 0; i < 60 && !text.includes('netdash_process_sockets{'); i++) {
      await sleep(250);
      const g = await get(ns, 'http://127.0.0.1:9100/metrics');
      text = g.body ?? '';
    }
    assertNoRaw(text, '/metrics');
    for (const p of PROGRAMS) {
      assert.ok(
        text.includes(`netdash_process_sockets{program="${expo(p.shown)}"} 1\n`),
        `program ${p.shown}:\n${text
          .split('\n')
          .filter((l) => l.includes('process_sockets'))
          .join('\n')}`,
      );
    }
    for (const i of INTERFACES) {
      assert.ok(text.includes(`netdash_interface_receive_bytes_total{interface="${expo(i.shown)}"} `), `interface ${i.shown}`);
    }
    const check = (() => {
      try {
        return {
          code: 0,
          out: execFileSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] }),
        };
      } catch (err) {
        const e = err as { status?: number; stdout?: string; stderr?: string };
        return { code: e.status ?? 1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
      }
    })();
    assert.equal(check.code, 0, check.out);

    const om = await get(ns, 'http://127.0.0.1:9100/metrics', '--accept', 'application/openmetrics-text; version=1.0.0');
    assertNoRaw(om.body ?? '', 'OpenMetrics');
    assert.ok(om.body?.endsWith('# EOF\n'));

    // A real Prometheus parses it and gives back the printable() names as label values.
    writeFileSync(
      join(dir, 'prometheus.yml'),
      JSON.stringify({
        global: { scrape_interval: '1s', evaluation_interval: '1s', scrape_timeout: '900ms' },
        scrape_configs: [{ job_name: 'netdash', static_configs: [{ targets: ['127.0.0.1:9100'] }] }],
      }),
    );
    const p = ns.spawn('prometheus', [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      '--web.listen-address=127.0.0.1:9090',
      '--log.level=error',
    ]);
    p.stdout?.resume();
    let programs: string[] = [];
    let interfaces: string[] = [];
    for (let i = 0; i < 80 && !PROGRAMS.every((x) => programs.includes(x.shown)); i++) {
      await sleep(500);
      const q = await get(ns, `http://127.0.0.1:9090/api/v1/query?query=${encodeURIComponent('netdash_process_sockets')}`);
      if (q.status !== 200) continue;
      programs = (JSON.parse(q.body ?? '{}') as { data: { result: { metric: Record<string, string> }[] } }).data.result.map(
        (r) => r.metric['program'] ?? '',
      );
      const qi = await get(ns, `http://127.0.0.1:9090/api/v1/query?query=${encodeURIComponent('netdash_interface_receive_bytes_total')}`);
      interfaces = (JSON.parse(qi.body ?? '{}') as { data: { result: { metric: Record<string, string> }[] } }).data.result.map(
        (r) => r.metric['interface'] ?? '',
      );
    }
    for (const x of PROGRAMS) assert.ok(programs.includes(x.shown), `Prometheus has program ${x.shown}: ${JSON.stringify(programs)}`);
    for (const x of INTERFACES)
      assert.ok(interfaces.includes(x.shown), `Prometheus has interface ${x.shown}: ${JSON.stringify(interfaces)}`);
  });
});
