// `netdash --print -s` and formatStatistics against the real netstat -s.
import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Netns, run } from './helpers/netns.js';
import { prereq } from './helpers/prereq.js';
import { kernelFs } from '../src/sources/kernel-fs.js';
import { readCounters } from '../src/sources/snmp.js';
import { formatStatistics } from '../src/print/statistics.js';

const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../../test/fixtures/snmp/', import.meta.url));
// netstat translates its texts; the comparison is with the untranslated ones.
const ENV = { ...process.env, LC_ALL: 'C' };

// A successful exchange, a closed TCP port (RST) and closed UDP ports (ICMP port unreachable).
const TRAFFIC = `
const net = require('node:net'), dgram = require('node:dgram');
(async () => {
  await new Promise((done) => {
    const srv = net.createServer((s) => s.on('data', (d) => s.end(d)));
    srv.listen(0, '127.0.0.1', () => {
      const c = net.connect(srv.address().port, '127.0.0.1', () => c.write('hello'));
      c.on('data', () => {});
      c.on('end', () => { c.end(); srv.close(done); });
    });
  });
  await new Promise((done) => net.connect(9, '127.0.0.1').on('error', () => done()));
  for (const [type, addr] of [['udp4', '127.0.0.1'], ['udp6', '::1']]) {
    await new Promise((done) => {
      const s = dgram.createSocket(type);
      s.send('x', 9, addr, () => setTimeout(() => { s.close(); done(); }, 100));
    });
  }
})();`;

describe('netdash --print -s agrees with netstat -s in a namespace', () => {
  let ns: Netns | null = null;

  before(async () => {
    ns = await Netns.create('st').catch(() => null);
    if (!ns) return;
    const traffic = await ns.exec(process.execPath, ['-e', TRAFFIC]);
    assert.equal(traffic.code, 0, traffic.stderr);
    // ping may be missing; the echo lines are a bonus, not the point.
    await ns.exec('ping', ['-c', '1', '-q', '127.0.0.1']);
  });

  after(async () => {
    await ns?.destroy();
  });

  // Delayed ACKs and timers can still move a counter, so a comparison only counts when
  // netstat printed the same before and after netdash did.
  async function compare(t: TestContext, flags: string[], marker: string): Promise<void> {
    if (!prereq(t, ['root', 'netns', 'netstat'])) return;
    assert.ok(ns, 'namespace was created');
    const n: Netns = ns;
    for (let attempt = 0; attempt < 10; attempt++) {
      const first = await n.exec('netstat', ['-s', ...flags], { env: ENV });
      const ours = await n.exec(process.execPath, [CLI, '--print', '-s', ...flags], { env: ENV });
      const second = await n.exec('netstat', ['-s', ...flags], { env: ENV });
      assert.equal(first.code, 0, first.stderr);
      assert.equal(ours.code, 0, ours.stderr);
      if (first.stdout !== second.stdout) continue;
      assert.ok(first.stdout.includes(marker), `the traffic left its mark: ${marker}`);
      assert.equal(ours.stdout, first.stdout);
      return;
    }
    assert.fail(`netstat -s ${flags.join(' ')} never printed the same twice in a row`);
  }

  it('-s', (t) => compare(t, [], '1 failed connection attempts'));
  it('-s -t', (t) => compare(t, ['-t'], '1 failed connection attempts'));
  it('-s -u', (t) => compare(t, ['-u'], '1 packets to unknown port received'));
  it('-s -w', (t) => compare(t, ['-w'], 'destination unreachable: 1'));
  it('-s -t -u', (t) => compare(t, ['-t', '-u'], '1 packets to unknown port received'));
  it('-s -6', (t) => compare(t, ['-6'], 'Icmp6InType1: 1'));
});

/** Deterministic values that exercise netstat's corners: zeros (omitted lines), -1 (read as
 *  an unsigned), and numbers too wide for 32 bits. */
function values(seed: number): () => string {
  let s = seed >>> 0;
  const next = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let r = Math.imul(s ^ (s >>> 15), 1 | s);
    r ^= r + Math.imul(r ^ (r >>> 7), 61 | r);
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
  return () => {
    const r = next();
    if (r < 0.4) return '0';
    if (r < 0.45) return '-1';
    if (r < 0.5) return String(Math.floor(next() * 2 ** 52));
    return String(1 + Math.floor(next() * 1000));
  };
}

/** The synthetic fixture (every name netstat has text for) with fresh values. */
function writeSynthetic(root: string, seed: number): void {
  const val = values(seed);
  const src = path.join(FIXTURES, 'synthetic/proc/net');
  mkdirSync(path.join(root, 'proc/net/sctp'), { recursive: true });
  for (const f of ['snmp', 'netstat']) {
    const lines = readFileSync(path.join(src, f), 'utf8').split('\n');
    let pair = 0;
    const out = lines.map((l) => {
      if (!l.trim()) return l;
      // Every second line of a pair holds the values.
      return pair++ % 2 === 0 ? l : l.replace(/ -?\d+/g, () => ` ${val()}`);
    });
    writeFileSync(path.join(root, 'proc/net', f), out.join('\n'));
  }
  for (const f of ['snmp6', 'sctp/snmp']) {
    const text = readFileSync(path.join(src, f), 'utf8');
    writeFileSync(
      path.join(root, 'proc/net', f),
      text.replace(/(\s)-?\d+$/gm, (_m, sp: string) => sp + val()),
    );
  }
}

describe('formatStatistics against netstat -s on synthetic counters', () => {
  // unshare gives netstat a private mount namespace where /proc is the synthetic tree.
  async function netstatOver(root: string, flags: string[]): Promise<string> {
    const r = await run(
      'unshare',
      ['-m', '--propagation', 'private', 'sh', '-c', 'mount --bind "$0/proc" /proc && exec netstat -s "$@"', root, ...flags],
      { env: ENV },
    );
    assert.equal(r.code, 0, r.stderr);
    return r.stdout;
  }

  async function canUnshare(t: TestContext): Promise<boolean> {
    if (!prereq(t, ['root', 'netstat'])) return false;
    const r = await run('unshare', ['-m', '--propagation', 'private', 'true']);
    if (r.code === 0) return true;
    const why = `cannot create a mount namespace (unshare -m failed: ${r.stderr.trim()})`;
    if (process.env['CI'] === 'true') throw new Error(`prerequisite missing under CI: ${why}`);
    t.skip(why);
    return false;
  }

  const FLAGS = [[], ['-t'], ['-u'], ['-w'], ['-t', '-u'], ['-6'], ['-6', '-u'], ['-S'], ['-U']];
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`seed ${seed}: every flag set matches`, async (t) => {
      if (!(await canUnshare(t))) return;
      const root = mkdtempSync(path.join(tmpdir(), 'nd-stat-'));
      try {
        writeSynthetic(root, seed);
        const { counters, errors, skipped } = await readCounters(kernelFs(root));
        assert.deepEqual(errors, []);
        assert.equal(skipped, 0);
        for (const flags of FLAGS) {
          const has = (f: string): boolean => flags.includes(f);
          const ours = formatStatistics(counters, {
            tcp: has('-t'),
            udp: has('-u'),
            raw: has('-w'),
            udplite: has('-U'),
            sctp: has('-S'),
            inet6: has('-6'),
          });
          assert.equal(ours, await netstatOver(root, flags), `netstat -s ${flags.join(' ')}`);
        }
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    });
  }
});
