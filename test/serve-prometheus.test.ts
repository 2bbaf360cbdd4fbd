// The Prometheus endpoint against real parts: a real Prometheus server (Debian's package)
// scrapes `netdash --serve` in a namespace this test builds, while TCP traffic loses packets to
// an iptables random-drop rule; its HTTP API must then see rate() of the retransmit counter
// above 0 and the total the kernel (and netdash --print -s) says. promtool checks the
// exposition. Caps and vanished series, TLS with basic auth, and the flag errors follow.
import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import bcrypt from 'bcryptjs';
import { linkVeth, Netns, readyLine, run } from './helpers/netns.js';
import { Lines } from './helpers/lines.js';
import { prereq } from './helpers/prereq.js';
import { Tmux } from './helpers/tmux.js';
import { DEFAULT_CAPS, seriesBound } from '../src/serve/metric-set.js';

const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));
const helper = (name: string): string => fileURLToPath(new URL(`./helpers/${name}.js`, import.meta.url));
const SINK = helper('tcp-sink');
const SOURCE = helper('tcp-source');
const HTTP_GET = helper('http-get');

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Got {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  error?: string;
}

async function namespace(t: TestContext, tag: string): Promise<Netns> {
  const ns = await Netns.create(tag);
  t.after(() => ns.destroy());
  return ns;
}

function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'netdash-serve-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** One GET from inside the namespace. */
async function get(ns: Netns, url: string, ...args: string[]): Promise<Got> {
  const r = await ns.exec(process.execPath, [HTTP_GET, url, ...args]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as Got;
}

/** Poll until `ok` holds for a GET (or fail after `ms`). */
async function waitFor(ns: Netns, url: string, ok: (g: Got) => boolean, ms: number, ...args: string[]): Promise<Got> {
  const until = Date.now() + ms;
  let last: Got = {};
  while (Date.now() < until) {
    last = await get(ns, url, ...args);
    if (ok(last)) return last;
    await sleep(250);
  }
  throw new Error(`${url}: not ready after ${ms} ms: ${JSON.stringify(last).slice(0, 500)}`);
}

/** netdash --serve in the namespace, ready once /healthz answers 200. */
async function startNetdash(ns: Netns, port: number, args: string[], getArgs: string[] = [], scheme = 'http'): Promise<void> {
  const child = ns.spawn(process.execPath, [CLI, '--serve', `127.0.0.1:${port}`, ...args]);
  child.stdout?.resume();
  await waitFor(ns, `${scheme}://127.0.0.1:${port}/healthz`, (g) => g.status === 200, 15_000, ...getArgs);
}

/** promtool's verdict on an exposition: exit code and what it printed. */
function promtool(text: string): { code: number; out: string } {
  try {
    const out = execFileSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
    return { code: 0, out };
  } catch (err) {
    const e = err as { status?: number; stdout?: string; stderr?: string };
    return { code: e.status ?? 1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

/** Series lines (not comments) of an exposition, by metric name. */
function seriesOf(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0] ?? '';
    const list = out.get(name) ?? [];
    list.push(line);
    out.set(name, list);
  }
  return out;
}

function value(line: string): number {
  return Number(line.slice(line.lastIndexOf(' ') + 1));
}

interface PromVector {
  status: string;
  data: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] };
}

async function query(ns: Netns, q: string): Promise<PromVector['data']['result']> {
  const g = await get(ns, `http://127.0.0.1:9090/api/v1/query?query=${encodeURIComponent(q)}`);
  assert.equal(g.status, 200, `query ${q}: ${JSON.stringify(g)}`);
  const v = JSON.parse(g.body ?? '') as PromVector;
  assert.equal(v.status, 'success');
  return v.data.result;
}

/** A Prometheus server in the namespace scraping `target` every second, ready to be queried. */
async function startPrometheus(t: TestContext, ns: Netns, job: Record<string, unknown>): Promise<void> {
  const dir = tempDir(t);
  const config = {
    global: { scrape_interval: '1s', evaluation_interval: '1s', scrape_timeout: '900ms' },
    scrape_configs: [{ job_name: 'netdash', ...job }],
  };
  // JSON is YAML.
  writeFileSync(join(dir, 'prometheus.yml'), JSON.stringify(config));
  const p = ns.spawn('prometheus', [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    '--web.listen-address=127.0.0.1:9090',
    '--log.level=error',
  ]);
  p.stdout?.resume();
  await waitFor(ns, 'http://127.0.0.1:9090/-/ready', (g) => g.status === 200, 30_000);
}

/** What `netdash --print -s` says about Tcp.RetransSegs in the namespace. */
async function printedRetransmits(ns: Netns): Promise<number> {
  const r = await ns.exec(process.execPath, [CLI, '--print', '-s']);
  assert.equal(r.code, 0, r.stderr);
  const m = /^\s+(\d+) segments retransmitted$/m.exec(r.stdout);
  assert.ok(m, `no retransmit line in --print -s:\n${r.stdout}`);
  return Number(m[1]);
}

describe('netdash --serve scraped by a real Prometheus', () => {
  it(
    'Prometheus sees rate() of the retransmit counter above 0 and the totals netdash prints; promtool passes',
    { timeout: 120_000 },
    async (t) => {
      if (!prereq(t, ['root', 'netns', 'iptables', 'prometheus'])) return;
      const tx = await namespace(t, 'promtx');
      const rx = await namespace(t, 'promrx');
      await linkVeth(tx, rx, '10.233.0.1/24', '10.233.0.2/24');
      const sink = rx.spawn(process.execPath, [SINK, '10.233.0.2', '5001']);
      await readyLine<{ ready: boolean }>(sink);
      // Loss at the receiver makes the sender retransmit (see sampler-netns.test.ts for why not
      // in the sender's OUTPUT chain).
      const drop = await rx.exec('iptables', [
        '-A',
        'INPUT',
        '-i',
        'veth-b',
        '-p',
        'tcp',
        '-m',
        'statistic',
        '--mode',
        'random',
        '--probability',
        '0.1',
        '-j',
        'DROP',
      ]);
      assert.equal(drop.code, 0, drop.stderr);

      // --info: tcp_info every tick, for the per-peer traffic counters.
      await startNetdash(tx, 9100, ['--interval', '0.5', '--info']);
      await startPrometheus(t, tx, { static_configs: [{ targets: ['127.0.0.1:9100'] }] });
      // Prometheus asks for OpenMetrics first: a target that is up was parsed in that format.
      const up = await (async () => {
        for (let i = 0; i < 60; i++) {
          const r = await query(tx, 'up{job="netdash"}');
          if (r[0]?.value[1] === '1') return r;
          await sleep(500);
        }
        return query(tx, 'up{job="netdash"}');
      })();
      assert.equal(up[0]?.value[1], '1', `target not up: ${JSON.stringify(up)}`);
      const targets = JSON.parse((await get(tx, 'http://127.0.0.1:9090/api/v1/targets')).body ?? '{}') as {
        data: { activeTargets: { health: string; lastError: string }[] };
      };
      assert.deepEqual(
        targets.data.activeTargets.map((a) => [a.health, a.lastError]),
        [['up', '']],
      );

      const before = await printedRetransmits(tx);
      const sent = await tx.exec(process.execPath, [SOURCE, '10.233.0.2', '5001', String(8 * 1024 * 1024), '4000']);
      assert.equal(sent.code, 0, `tcp-source failed: ${sent.stderr}`);

      // rate() over a window that holds the transfer.
      let rate: number | null = null;
      for (let i = 0; i < 20 && !(rate !== null && rate > 0); i++) {
        await sleep(1000);
        const r = await query(tx, 'rate(netdash_protocol_tcp_total{name="RetransSegs"}[20s])');
        rate = r[0] ? Number(r[0].value[1]) : null;
      }
      assert.ok(rate !== null && rate > 0, `rate() of the retransmit counter: ${rate}`);

      // Once the traffic is over the kernel's total stops moving: Prometheus's latest value,
      // netdash --print -s and the exposition must then agree.
      let agreed: { printed: number; prom: number } | null = null;
      let last = '';
      for (let i = 0; i < 30 && agreed === null; i++) {
        await sleep(1000);
        const printed = await printedRetransmits(tx);
        const r = await query(tx, 'netdash_protocol_tcp_total{name="RetransSegs"}');
        const prom = r[0] ? Number(r[0].value[1]) : NaN;
        last = `printed ${printed}, Prometheus ${prom}`;
        if (prom === printed) agreed = { printed, prom };
      }
      assert.ok(agreed, `totals never agreed: ${last}`);
      assert.ok(agreed.printed > before, `no retransmits counted: ${before} → ${agreed.printed}`);

      // Per peer (--info): the lossy receiver's address carries the retransmits and the bytes.
      const peerRetrans = await query(tx, 'netdash_peer_tcp_retransmitted_segments_total{peer="10.233.0.2"}');
      assert.ok(Number(peerRetrans[0]?.value[1]) > 0, `peer retransmits: ${JSON.stringify(peerRetrans)}`);
      const peerSent = await query(tx, 'netdash_peer_tcp_sent_bytes_total{peer="10.233.0.2"}');
      assert.ok(Number(peerSent[0]?.value[1]) > 1024 * 1024, `peer bytes sent: ${JSON.stringify(peerSent)}`);

      // Interface counters went through too: the sender's veth sent at least the payload.
      const txBytes = await query(tx, 'netdash_interface_transmit_bytes_total{interface="veth-a"}');
      assert.ok(Number(txBytes[0]?.value[1]) >= 8 * 1024 * 1024, JSON.stringify(txBytes));
      // A PromQL sum over the state label: the listener netdash itself opened is counted.
      const listen = await query(tx, 'sum(netdash_sockets{proto="tcp",state="LISTEN"})');
      assert.ok(Number(listen[0]?.value[1]) >= 1, JSON.stringify(listen));

      // The exposition itself passes promtool, in the classic text format…
      const text = await get(tx, 'http://127.0.0.1:9100/metrics');
      assert.equal(text.status, 200);
      assert.match(text.headers?.['content-type'] ?? '', /^text\/plain; version=0\.0\.4/);
      const check = promtool(text.body ?? '');
      assert.equal(check.code, 0, check.out);
      assert.equal(check.out.trim(), '', `promtool lint: ${check.out}`);
      // …and OpenMetrics, asked for by Accept, ends with # EOF and names counters without _total.
      const om = await get(tx, 'http://127.0.0.1:9100/metrics', '--accept', 'application/openmetrics-text; version=1.0.0');
      assert.match(om.headers?.['content-type'] ?? '', /^application\/openmetrics-text; version=1\.0\.0/);
      assert.ok(om.body?.endsWith('# EOF\n'));
      assert.match(om.body ?? '', /^# TYPE netdash_protocol_tcp counter$/m);
      assert.match(om.body ?? '', /^netdash_protocol_tcp_total\{name="RetransSegs"\} \d+$/m);
      // The text format again after an OpenMetrics render: counter names keep their _total.
      const again = await get(tx, 'http://127.0.0.1:9100/metrics');
      assert.match(again.body ?? '', /^# TYPE netdash_protocol_tcp_total counter$/m);
    },
  );
});

// --- caps and vanished series --------------------------------------------------------------

/** A process that opens `listeners` TCP listeners, then hands one each to `programs` children
 *  named prog-NN (bash exec -a), which keep it open. */
const SPAWNER = `
const net = require('node:net');
const { spawn } = require('node:child_process');
const [listeners, programs] = process.argv.slice(1).map(Number);
const keep = [];
(async () => {
  for (let i = 0; i < listeners; i++) {
    const s = net.createServer();
    await new Promise((r) => s.listen(20000 + i, '127.0.0.1', r));
    keep.push(s);
  }
  const pids = [];
  for (let i = 0; i < programs; i++) {
    const l = net.createServer();
    await new Promise((r) => l.listen(30000 + i, '127.0.0.1', r));
    const name = 'prog-' + String(i).padStart(2, '0');
    const child = spawn('bash', ['-c', 'exec -a "$0" sleep 600', name], { stdio: ['ignore', 'ignore', 'ignore', l._handle.fd] });
    await new Promise((r) => child.once('spawn', r));
    l.close();
    pids.push(child.pid);
    keep.push(child);
  }
  console.log(JSON.stringify({ pids }));
})();
setInterval(() => {}, 1e6);
`;

describe('cardinality', () => {
  it(
    'listeners and programs beyond their caps are summed into "other", and series of programs that exit vanish',
    { timeout: 90_000 },
    async (t) => {
      if (!prereq(t, ['root', 'netns', 'prometheus'])) return;
      const ns = await namespace(t, 'promcap');
      const listeners = DEFAULT_CAPS.listeners + 30;
      const programs = DEFAULT_CAPS.programs + 10;
      const spawner = ns.spawn(process.execPath, ['-e', SPAWNER, String(listeners), String(programs)]);
      const { pids } = await readyLine<{ pids: number[] }>(spawner);
      assert.equal(pids.length, programs);
      t.after(() => {
        for (const p of pids)
          try {
            process.kill(p, 'SIGKILL');
          } catch {
            /* gone */
          }
      });

      await startNetdash(ns, 9100, ['-p', '--interval', '0.5']);
      // Owners come with the first full scan; wait until the programs are there.
      const first = await waitFor(ns, 'http://127.0.0.1:9100/metrics', (g) => (g.body ?? '').includes('program="other"'), 20_000);
      const s = seriesOf(first.body ?? '');
      const listen = s.get('netdash_listen_queue_length') ?? [];
      assert.equal(listen.length, DEFAULT_CAPS.listeners + 1, 'cap, plus one "other"');
      const other = listen.find((l) => l.includes('address="other"'));
      assert.ok(other, listen.join('\n'));
      const procs = s.get('netdash_process_sockets') ?? [];
      assert.equal(procs.length, DEFAULT_CAPS.programs + 1, procs.join('\n'));
      let total = 0;
      for (const v of s.values()) total += v.length;
      assert.ok(total <= seriesBound(DEFAULT_CAPS, 600), `${total} series, bound ${seriesBound(DEFAULT_CAPS, 600)}`);
      assert.equal(promtool(first.body ?? '').code, 0);

      // Every program's one socket: prog-NN is a series of value 1 when ranked, or in "other".
      const named = procs.filter((l) => /program="prog-\d\d"/.test(l));
      for (const l of named) assert.equal(value(l), 1, l);
      const inOther = value(procs.find((l) => l.includes('program="other"')) ?? '');
      assert.ok(inOther >= programs - named.length, `other ${inOther}`);

      // Programs that exit vanish from the exposition (after the next owner scan), not kept.
      const gone = named.slice(0, 5).map((l) => /program="(prog-\d\d)"/.exec(l)?.[1] ?? '');
      for (const name of gone) process.kill(pids[Number(name.slice('prog-'.length))] ?? 0, 'SIGKILL');
      // With 55 programs left the cap is still exceeded; the gone names are no longer listed.
      const later = await waitFor(
        ns,
        'http://127.0.0.1:9100/metrics',
        (g) => gone.every((n) => !(g.body ?? '').includes(`program="${n}"`)),
        30_000,
      );
      assert.ok((later.body ?? '').includes('program="other"'));
    },
  );
});

// --- TLS and basic auth --------------------------------------------------------------------

describe('--web-config: TLS and basic auth', () => {
  it(
    'serves HTTPS with a self-signed certificate, refuses wrong or missing credentials, and Prometheus scrapes it',
    { timeout: 90_000 },
    async (t) => {
      if (!prereq(t, ['root', 'netns', 'prometheus', 'openssl'])) return;
      const ns = await namespace(t, 'promtls');
      const dir = tempDir(t);
      const ssl = await run('openssl', [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(dir, 'server.key'),
        '-out',
        join(dir, 'server.crt'),
      ]);
      assert.equal(ssl.code, 0, ssl.stderr);
      const hash = bcrypt.hashSync('s3cret', 10);
      // Relative paths: relative to the config file, as exporter-toolkit has them.
      writeFileSync(
        join(dir, 'web.yml'),
        `tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\nbasic_auth_users:\n  prom: ${hash}\n`,
      );

      const ca = ['--ca', join(dir, 'server.crt')];
      await startNetdash(ns, 9443, ['--web-config', join(dir, 'web.yml')], [...ca, '--user', 'prom:s3cret'], 'https');
      const url = 'https://127.0.0.1:9443/metrics';
      assert.equal((await get(ns, url, ...ca)).status, 401, 'no credentials');
      assert.equal((await get(ns, url, ...ca, '--user', 'prom:wrong')).status, 401, 'wrong password');
      assert.equal((await get(ns, url, ...ca, '--user', 'nobody:s3cret')).status, 401, 'unknown user');
      const ok = await get(ns, url, ...ca, '--user', 'prom:s3cret');
      assert.equal(ok.status, 200);
      assert.match(ok.body ?? '', /^netdash_protocol_tcp_total\{name="RetransSegs"\} \d+$/m);
      // Plain HTTP on the TLS port gets nothing.
      const plain = await get(ns, 'http://127.0.0.1:9443/metrics');
      assert.notEqual(plain.status, 200);
      // A client that does not trust the certificate refuses it.
      assert.ok((await get(ns, url, '--user', 'prom:s3cret')).error, 'untrusted certificate accepted');
      const page = await get(ns, 'https://127.0.0.1:9443/', ...ca, '--user', 'prom:s3cret');
      assert.match(page.body ?? '', /<a href="metrics">/);

      // A real Prometheus with the matching scrape config.
      await startPrometheus(t, ns, {
        scheme: 'https',
        basic_auth: { username: 'prom', password: 's3cret' },
        tls_config: { ca_file: join(dir, 'server.crt') },
        static_configs: [{ targets: ['127.0.0.1:9443'] }],
      });
      let up = '';
      for (let i = 0; i < 40 && up !== '1'; i++) {
        await sleep(500);
        up = (await query(ns, 'up{job="netdash"}'))[0]?.value[1] ?? '';
      }
      assert.equal(up, '1', 'Prometheus could not scrape the TLS endpoint');
    },
  );
});

// --- one sampler for the endpoint and the dashboard or --json ---------------------------------

describe('--serve beside the other outputs', () => {
  it('with --json: the exposition shows the very sample each NDJSON line printed', { timeout: 30_000 }, async (t) => {
    if (!prereq(t, ['root', 'netns'])) return;
    const ns = await namespace(t, 'promjson');
    const out = new Lines(ns.spawn(process.execPath, [CLI, '--json', '--serve', '127.0.0.1:9105', '--interval', '0.5']));
    await waitFor(ns, 'http://127.0.0.1:9105/healthz', (g) => g.status === 200, 15_000);
    // Between two lines the exposition holds the last line's sample: the same read time.
    let matched = false;
    for (let i = 0; i < 20 && !matched; i++) {
      const n = out.lines.length;
      const body = (await get(ns, 'http://127.0.0.1:9105/metrics')).body ?? '';
      if (out.lines.length !== n) continue; // a sample came meanwhile: try again
      const stamp = /^netdash_sample_timestamp_seconds (.+)$/m.exec(body)?.[1];
      const line = JSON.parse(out.lines[n - 1] ?? '{}') as { time: string; seq: number };
      matched = stamp !== undefined && Number(stamp) * 1000 === Date.parse(line.time);
    }
    assert.ok(matched, 'the exposition never showed the sample just printed');
    await out.count(2);
  });

  it('with the dashboard on a terminal: the dashboard draws and /metrics serves from its sampler', { timeout: 40_000 }, async (t) => {
    if (!prereq(t, ['root', 'netns', 'tmux'])) return;
    const ns = await namespace(t, 'promdash');
    const tm = Tmux.start(['ip', 'netns', 'exec', ns.name, process.execPath, CLI, '--serve', '127.0.0.1:9106', '--interval', '0.5'], {
      width: 100,
      height: 30,
      term: 'xterm-256color',
    });
    t.after(() => tm.kill());
    await tm.waitFor((s) => /since start \d/.test(s), 20_000, 'the dashboard');
    const m = await waitFor(ns, 'http://127.0.0.1:9106/metrics', (g) => g.status === 200, 15_000);
    assert.match(m.body ?? '', /^netdash_sockets\{proto="tcp",state="LISTEN"\} 1$/m, 'its own listener');
    // Samples keep coming while the dashboard runs: the timestamp moves.
    const stamp = (b: string | undefined): string | undefined => /^netdash_sample_timestamp_seconds (.+)$/m.exec(b ?? '')?.[1];
    const first = stamp(m.body);
    await waitFor(ns, 'http://127.0.0.1:9106/metrics', (g) => stamp(g.body) !== first, 10_000);
    tm.keys('q');
    assert.equal(await tm.waitExit(), 0);
  });
});

// --- flags, /healthz -----------------------------------------------------------------------

describe('--serve flags and /healthz', () => {
  it('bad addresses and web configs: one line naming what is valid, exit 2', async (t) => {
    const dir = tempDir(t);
    for (const bad of ['', 'abc', '70000', '0', '1.2.3:9100', 'localhost:9100', '::1:9100', '[::1]', '[1.2.3.4]:9100', '127.0.0.1:']) {
      const r = await run(process.execPath, [CLI, '--serve', bad, '--print']);
      assert.equal(r.code, 2, `--serve '${bad}': ${r.stderr}`);
      assert.equal(r.stderr.split('\n').length, 2, r.stderr);
      assert.match(r.stderr, /PORT \(on 127\.0\.0\.1\), ADDR:PORT or \[IPv6\]:PORT/);
    }
    const noServe = await run(process.execPath, [CLI, '--web-config', '/x', '--print']);
    assert.equal(noServe.code, 2);
    assert.match(noServe.stderr, /--web-config needs --serve/);
    const replay = await run(process.execPath, [CLI, '--serve', '9100', '--replay', '/x']);
    assert.equal(replay.code, 2);
    assert.match(replay.stderr, /choose one of --serve and --replay/);

    const cases: [string, RegExp][] = [
      ['tls_server_config: {cert_file: a}\n', /tls_server_config needs cert_file and key_file/],
      ['client_ca: x\n', /unsupported key 'client_ca': valid keys are tls_server_config, basic_auth_users/],
      ['basic_auth_users: {alice: plaintext}\n', /basic_auth_users\.alice: expected a bcrypt hash/],
      ['tls_server_config: {cert_file: none.crt, key_file: none.key}\n', /cert_file .*none\.crt: ENOENT/],
      ['[unclosed\n', /not YAML/],
      ['tls_server_config: {cert_file: web.yml, key_file: web.yml}\n', /tls_server_config: .*(PEM|no start line)/i],
    ];
    for (const [yaml, want] of cases) {
      const f = join(dir, 'web.yml');
      writeFileSync(f, yaml);
      // Port 1 is never bound: the file is refused before any listen.
      const r = await run(process.execPath, [CLI, '--serve', '1', '--web-config', f, '--print', '--count', '1']);
      assert.equal(r.code, 2, `${yaml}: ${r.stderr}`);
      assert.match(r.stderr, want);
      assert.equal(r.stderr.split('\n').length, 2, r.stderr);
    }
  });

  it(
    '/healthz is 503 when the kernel sources cannot be read, 200 with age when they can; / links /metrics',
    { timeout: 30_000 },
    async (t) => {
      if (!prereq(t, ['root', 'netns'])) return;
      const ns = await namespace(t, 'promhz');
      const empty = tempDir(t);
      const child = ns.spawn(process.execPath, [CLI, '--serve', '127.0.0.1:9101', '--root', empty, '--interval', '0.5']);
      child.stdout?.resume();
      const bad = await waitFor(ns, 'http://127.0.0.1:9101/healthz', (g) => g.status !== undefined, 15_000);
      assert.equal(bad.status, 503);
      const body = JSON.parse(bad.body ?? '{}') as { ok: boolean; reason: string };
      assert.equal(body.ok, false);
      assert.match(body.reason, /not read: interfaces, counters/);
      const m = await get(ns, 'http://127.0.0.1:9101/metrics');
      assert.match(m.body ?? '', /^netdash_source_up\{source="interfaces"\} 0$/m);

      await startNetdash(ns, 9102, ['--interval', '0.5']);
      const good = JSON.parse((await get(ns, 'http://127.0.0.1:9102/healthz')).body ?? '{}') as {
        ok: boolean;
        ageSeconds: number;
        lastSample: string;
      };
      assert.equal(good.ok, true);
      assert.ok(good.ageSeconds >= 0 && good.ageSeconds < 60, String(good.ageSeconds));
      assert.ok(!Number.isNaN(Date.parse(good.lastSample)));
      const page = await get(ns, 'http://127.0.0.1:9102/');
      assert.equal(page.status, 200);
      assert.match(page.body ?? '', /<a href="metrics">\/metrics<\/a>/);
      assert.equal((await get(ns, 'http://127.0.0.1:9102/nothing')).status, 404);
    },
  );

  it('the endpoint stays on loopback when only a port is given', { timeout: 30_000 }, async (t) => {
    if (!prereq(t, ['root', 'netns', 'ss'])) return;
    const a = await namespace(t, 'promlo');
    const b = await namespace(t, 'promlo2');
    await linkVeth(a, b, '10.234.0.1/24', '10.234.0.2/24');
    const child = a.spawn(process.execPath, [CLI, '--serve', '9103', '--interval', '0.5']);
    child.stdout?.resume();
    await waitFor(a, 'http://127.0.0.1:9103/healthz', (g) => g.status === 200, 15_000);
    const ss = await a.exec('ss', ['-Htln', 'sport = :9103']);
    assert.match(ss.stdout, /127\.0\.0\.1:9103/);
    assert.ok((await get(b, 'http://10.234.0.1:9103/metrics')).error, 'reachable from the peer namespace');
    // Asked for by name, all addresses.
    const all = a.spawn(process.execPath, [CLI, '--serve', '0.0.0.0:9104', '--interval', '0.5']);
    all.stdout?.resume();
    await waitFor(b, 'http://10.234.0.1:9104/healthz', (g) => g.status === 200, 15_000);
  });
});
