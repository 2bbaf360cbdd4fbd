// Soak: the dashboard rendering into a real terminal (tmux) while, in its namespace, thousands
// of loopback connections open and close every second and veth pairs are created and deleted
// all the time. Across the run: no crash; after the warm-up the resident set grows by less than
// 10%; timers, handles, listeners and the host-name cache do not grow.
//
// The resident set is measured by the dashboard itself right after a full garbage collection
// (node --expose-gc; NETDASH_DEBUG_STATS collects before it measures): between collections V8
// lets the heap grow to sizes of its own choosing, which says nothing about what is kept. Its
// VmRSS is also read from /proc every second, to see that it is alive and for the report.
//
// CI runs it for NETDASH_SOAK_SECONDS=100 (the default); a long run is e.g.
//   NETDASH_SOAK_SECONDS=3600 node --test --test-timeout=4000000 dist/test/soak.test.js
// Every second the dashboard's own figures (NETDASH_DEBUG_STATS) and its VmRSS are kept; set
// NETDASH_SOAK_LOG=FILE to keep them in FILE after the run as well.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { Lines } from './helpers/lines.js';
import { Netns } from './helpers/netns.js';
import { prereq } from './helpers/prereq.js';
import { Tmux } from './helpers/tmux.js';

const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));
const CHURN = fileURLToPath(new URL('./helpers/churn.js', import.meta.url));
const SECONDS = Number(process.env['NETDASH_SOAK_SECONDS'] ?? 100);
// The first part of the run lets V8's heap, blessed's buffers and the caches reach their size.
const WARMUP = Math.max(25, Math.round(SECONDS * 0.3));

interface Stats {
  time: number;
  rss: number;
  heapUsed: number;
  resources: Record<string, number>;
  listeners: { process: number; stdin: number; stdout: number };
  caches: Record<string, number>;
}

function vmRssKb(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};

it(`soak: ${SECONDS} s of connection and interface churn under the dashboard`, { timeout: (SECONDS + 240) * 1000 }, async (t) => {
  if (!prereq(t, ['root', 'netns', 'tmux'])) return;
  const ns = await Netns.create('soak');
  const dir = mkdtempSync(join(tmpdir(), 'netdash-soak-'));
  const statsFile = join(dir, 'stats.ndjson');
  let tm: Tmux | null = null;
  let churnIfaces = true;
  try {
    // TIME_WAIT sockets are bounded in the namespace, so /proc/net/tcp stays a few thousand lines.
    await ns.exec('sysctl', ['-qw', 'net.ipv4.tcp_max_tw_buckets=4096', 'net.ipv4.ip_local_port_range=10000 65000']);
    const churn = ns.spawn(process.execPath, [CHURN, '9100', '48']);
    const opened = new Lines(churn);
    await opened.match(/ready/);

    tm = Tmux.start(['ip', 'netns', 'exec', ns.name, process.execPath, '--expose-gc', CLI, '-a', '-p', '0.5'], {
      width: 160,
      height: 48,
      term: 'xterm-256color',
      env: { NETDASH_DEBUG_STATS: statsFile },
    });
    await tm.waitForText(/since start/, 60_000);
    const pid = tm.pid();

    // Interfaces come and go all the time (a veth pair every ~150 ms, four names in turn).
    const ifaceLoop = (async () => {
      let n = 0;
      while (churnIfaces) {
        const name = `vs${n++ % 4}`;
        await ns.ip('link', 'add', name, 'type', 'veth', 'peer', 'name', `${name}p`).catch(() => {});
        await ns.ip('link', 'set', name, 'up').catch(() => {});
        await sleep(100);
        await ns.ip('link', 'del', name).catch(() => {});
      }
      return n;
    })();

    // Keys now and then: every pane gets drawn, the events pane fills, the cursor moves.
    const keys = ['Tab', 'Tab', 'j', 'j', 'Tab', 'z', 'Tab', 'z', 'Tab', 'Tab', 'End', 'Tab', 'Home'];
    const rss: { at: number; kb: number }[] = [];
    const start = Date.now();
    for (let s = 0; Date.now() - start < SECONDS * 1000; s++) {
      await sleep(1000);
      const kb = vmRssKb(pid);
      assert.ok(kb !== null, `the dashboard is gone after ${s} s; screen:\n${tm.capture()}`);
      rss.push({ at: (Date.now() - start) / 1000, kb });
      if (s % 3 === 0) tm.keys(keys[(s / 3) % keys.length] ?? 'Tab');
    }
    churnIfaces = false;
    const ifaceRounds = await ifaceLoop;

    // Still alive and answering keys: quit cleanly.
    assert.equal(tm.dead(), false);
    tm.keys('q');
    assert.equal(await tm.waitExit(60_000), 0);
    const rates = opened.lines.map((l) => (JSON.parse(l) as { opened?: number }).opened).filter((n): n is number => n !== undefined);

    const stats = readFileSync(statsFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Stats);
    if (process.env['NETDASH_SOAK_LOG']) copyFileSync(statsFile, process.env['NETDASH_SOAK_LOG']);
    const t0 = stats[0]?.time ?? 0;
    const sAfter = stats.filter((s) => (s.time - t0) / 1000 >= WARMUP);
    const window = Math.max(5, Math.floor(sAfter.length / 5));
    const first = sAfter.slice(0, window),
      last = sAfter.slice(-window);
    const early = median(first.map((s) => s.rss / 1024)),
      late = median(last.map((s) => s.rss / 1024));
    const vm = rss.filter((r) => r.at >= WARMUP).map((r) => r.kb);
    const maxOf = (xs: Stats[], f: (s: Stats) => number): number => Math.max(...xs.map(f));
    const medianOf = (xs: Stats[], f: (s: Stats) => number): number => median(xs.map(f));
    // Long-lived handles (timers, the terminal, sockets); requests in flight come and go.
    const handles = (s: Stats): number =>
      Object.entries(s.resources)
        .filter(([k]) => !/Req/.test(k))
        .reduce((a, [, n]) => a + n, 0);
    const report = {
      seconds: SECONDS,
      warmup: WARMUP,
      connectionsPerSecond: Math.round(median(rates)),
      interfaceRounds: ifaceRounds,
      rssKbAfterGc: { early: Math.round(early), late: Math.round(late), growthPct: Math.round(((late - early) / early) * 1000) / 10 },
      vmRssKb: { firstAfterWarmup: vm[0], last: vm.at(-1), max: Math.max(...vm) },
      heapUsedMbAfterGc: [
        medianOf(first, (s) => Math.round(s.heapUsed / 1048576)),
        medianOf(last, (s) => Math.round(s.heapUsed / 1048576)),
      ],
      timers: [maxOf(first, (s) => s.resources['Timeout'] ?? 0), medianOf(last, (s) => s.resources['Timeout'] ?? 0)],
      handles: [maxOf(first, handles), medianOf(last, handles)],
      listeners: [first[0]?.listeners, last.at(-1)?.listeners],
      hostNames: last.at(-1)?.caches['hostNames'],
    };
    t.diagnostic(JSON.stringify(report));

    assert.ok(stats.length >= SECONDS * 0.8, `${stats.length} statistics lines`);
    assert.ok(median(rates) >= 1000, `connection churn too slow to mean anything: ${median(rates)}/s`);
    assert.ok(ifaceRounds >= SECONDS, `interface churn: ${ifaceRounds} rounds`);
    assert.ok(
      late < early * 1.1,
      `RSS grew ${report.rssKbAfterGc.growthPct}% after warm-up (${Math.round(early)} → ${Math.round(late)} kB)`,
    );
    // Timers and handles come and go with each tick; what matters is that they do not pile up.
    assert.ok(report.timers[1]! <= report.timers[0]!, `timers ${report.timers.join(' → ')}`);
    assert.ok(report.handles[1]! <= report.handles[0]!, `handles ${report.handles.join(' → ')}`);
    assert.deepEqual(report.listeners[1], report.listeners[0], 'listeners');
    assert.ok((report.hostNames ?? 0) <= 4096, `host-name cache ${report.hostNames}`);
  } finally {
    churnIfaces = false;
    tm?.kill();
    await ns.destroy();
    if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  }
});
