// The interval sampler against the real kernel, in namespaces this test builds itself:
// retransmits caused by an iptables drop rule, an interface deleted and re-created mid-run,
// ICMP port unreachables, and a recording that replays to the same output.
import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { linkVeth, Netns, readyLine, run } from './helpers/netns.js';
import { prereq } from './helpers/prereq.js';
import { defaultIsGauge } from '../src/sampler/counter-deltas.js';
import { Lines } from './helpers/lines.js';

const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));
const helper = (name: string): string => fileURLToPath(new URL(`./helpers/${name}.js`, import.meta.url));
const SINK = helper('tcp-sink');
const SOURCE = helper('tcp-source');
const UDP_SEND = helper('udp-send');

interface StatJson {
  total: number;
  delta: number | null;
  rate: number | null;
  sinceMark: number;
  reset?: string;
}
interface IfJson {
  name: string;
  ifindex: number | null;
  counters: Record<string, StatJson>;
}
interface LineJson {
  seq: number;
  elapsedMs: number | null;
  counters: Record<string, Record<string, StatJson>>;
  interfaces?: IfJson[];
  errors: Record<string, string>;
}

function parseLines(lines: string[]): LineJson[] {
  return lines.map((l, i) => {
    try {
      return JSON.parse(l) as LineJson;
    } catch {
      throw new Error(`line ${i + 1} is not JSON: ${l.slice(0, 200)}`);
    }
  });
}

function counter(line: LineJson, key: string): StatJson | undefined {
  const dot = key.indexOf('.');
  return line.counters[key.slice(0, dot)]?.[key.slice(dot + 1)];
}

function mustCounter(line: LineJson, key: string): StatJson {
  const st = counter(line, key);
  assert.ok(st, `line ${line.seq} has no ${key}`);
  return st;
}

/** Every counter (not gauge) of every line: delta null or a non-negative integer that is not
 *  bigger than the total (a valid delta is cur − prev with prev >= 0; only a 32-bit wrap may
 *  exceed the total). */
function assertSaneDeltas(lines: LineJson[]): number {
  let checked = 0;
  const check = (where: string, st: StatJson): void => {
    checked++;
    if (st.delta === null) return;
    assert.ok(Number.isInteger(st.delta) && st.delta >= 0, `${where}: delta ${st.delta}`);
    if (st.reset !== 'wrap32') assert.ok(st.delta <= st.total, `${where}: delta ${st.delta} > total ${st.total}`);
    if (st.rate !== null) assert.ok(Number.isFinite(st.rate) && st.rate >= 0, `${where}: rate ${st.rate}`);
  };
  for (const line of lines) {
    for (const [group, stats] of Object.entries(line.counters)) {
      for (const [name, st] of Object.entries(stats)) {
        if (!defaultIsGauge(`${group}.${name}`)) check(`line ${line.seq} ${group}.${name}`, st);
      }
    }
    for (const i of line.interfaces ?? []) {
      for (const [name, st] of Object.entries(i.counters)) check(`line ${line.seq} if ${i.name} ${name}`, st);
    }
  }
  return checked;
}

/** The sum of the non-null deltas of a counter over a run equals its last total minus its
 *  first, when the key never restarted. */
function assertDeltasSum(lines: LineJson[], key: string): number {
  const first = mustCounter(lines[0]!, key);
  let sum = 0;
  for (const line of lines.slice(1)) {
    const st = mustCounter(line, key);
    assert.equal(st.reset, undefined, `line ${line.seq}: ${key} reset ${st.reset}`);
    assert.notEqual(st.delta, null, `line ${line.seq}: ${key} delta null`);
    sum += st.delta ?? 0;
  }
  const last = mustCounter(lines[lines.length - 1]!, key);
  assert.equal(sum, last.total - first.total, `${key}: sum of deltas ${sum} vs ${last.total} - ${first.total}`);
  assert.equal(last.sinceMark, sum, `${key}: sinceMark`);
  return sum;
}

function assertFirstLine(line: LineJson): void {
  assert.equal(line.seq, 1);
  assert.equal(line.elapsedMs, null);
  let n = 0;
  for (const [group, stats] of Object.entries(line.counters)) {
    for (const [name, st] of Object.entries(stats)) {
      n++;
      assert.equal(st.delta, null, `first line: ${group}.${name} delta`);
      assert.equal(st.rate, null, `first line: ${group}.${name} rate`);
      assert.equal(st.reset, 'first', `first line: ${group}.${name} reset`);
    }
  }
  assert.ok(n > 50, `first line has only ${n} counters`);
}

async function namespace(t: TestContext, tag: string): Promise<Netns> {
  const ns = await Netns.create(tag);
  // Removing the namespace removes its interfaces and iptables rules with it.
  t.after(() => ns.destroy());
  return ns;
}

async function mustExec(ns: Netns, cmd: string, args: string[]): Promise<string> {
  const r = await ns.exec(cmd, args);
  assert.equal(r.code, 0, `${cmd} ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

/** linkVeth with our own interface names (its names parameter is typed as the defaults). */
async function vethPair(a: Netns, b: Netns, names: readonly [string, string]): Promise<void> {
  await a.ip('link', 'add', names[0], 'type', 'veth', 'peer', 'name', names[1], 'netns', b.name);
  await a.ip('addr', 'add', '10.232.0.1/24', 'dev', names[0]);
  await b.ip('addr', 'add', '10.232.0.2/24', 'dev', names[1]);
  await a.ip('link', 'set', names[0], 'up');
  await b.ip('link', 'set', names[1], 'up');
}

function sampler(ns: Netns, args: string[]): Lines {
  return new Lines(ns.spawn(process.execPath, [CLI, ...args]));
}

describe('interval sampler in network namespaces', () => {
  it('sees the retransmits an iptables drop rule causes, and its deltas add up', { timeout: 30_000 }, async (t) => {
    if (!prereq(t, ['root', 'netns', 'iptables'])) return;
    const tx = await namespace(t, 'tx');
    const rx = await namespace(t, 'rx');
    await linkVeth(tx, rx, '10.231.0.1/24', '10.231.0.2/24');
    const sink = rx.spawn(process.execPath, [SINK, '10.231.0.2', '5001']);
    const ready = await readyLine<{ ready: boolean; port: number }>(sink);
    assert.equal(ready.port, 5001);
    // Drop one in ten TCP packets as they arrive at the receiver. (A DROP in the sender's own
    // OUTPUT chain does not work: the local stack sees the error and simply sends the segment
    // again later, without counting a retransmit.) The rule lives in the receiver's namespace
    // and dies with it.
    await mustExec(rx, 'iptables', [
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

    // 16 lines (7.5 s) for a transfer paced over 2 s: the window still covers it when the
    // sender's start is late on a busy machine (a CI run counted 1 segment sent and 3
    // retransmits in an 8-line window: the transfer had fallen outside it).
    const s = sampler(tx, ['--json', '0.5', '--count', '16']);
    await s.count(1);
    const sent = await tx.exec(process.execPath, [SOURCE, '10.231.0.2', '5001', String(4 * 1024 * 1024), '2000']);
    assert.equal(sent.code, 0, `tcp-source failed: ${sent.stderr}`);
    assert.equal((JSON.parse(sent.stdout) as { sent: number }).sent, 4 * 1024 * 1024);
    assert.equal(await s.exit, 0);

    const lines = parseLines(s.lines);
    assert.equal(lines.length, 16);
    assert.deepEqual(
      lines.map((l) => l.seq),
      Array.from({ length: 16 }, (_, i) => i + 1),
    );
    assertFirstLine(lines[0]!);
    for (const l of lines.slice(1)) assert.ok(l.elapsedMs !== null && l.elapsedMs >= 400, `line ${l.seq} elapsed ${l.elapsedMs}`);
    const retrans = lines.slice(1).map((l) => mustCounter(l, 'Tcp.RetransSegs').delta);
    assert.ok(
      retrans.some((d) => d !== null && d > 0),
      `no retransmit seen: ${retrans.join(',')}`,
    );
    const retransSum = assertDeltasSum(lines, 'Tcp.RetransSegs');
    const outSum = assertDeltasSum(lines, 'Tcp.OutSegs');
    assert.ok(retransSum > 0 && outSum > retransSum, `retrans ${retransSum} of ${outSum}`);
    // The rates of a line are its deltas over its elapsed time.
    for (const l of lines.slice(1)) {
      const st = mustCounter(l, 'Tcp.OutSegs');
      assert.ok(st.rate !== null && Math.abs(st.rate - (st.delta ?? 0) / ((l.elapsedMs ?? 0) / 1000)) < 1e-6, `line ${l.seq} rate`);
    }
    assertSaneDeltas(lines);
  });

  it(
    'an interface deleted and re-created mid-run restarts its counters, never a negative or giant delta',
    { timeout: 30_000 },
    async (t) => {
      if (!prereq(t, ['root', 'netns'])) return;
      const a = await namespace(t, 'ifa');
      const b = await namespace(t, 'ifb');
      const names = ['ndre-a', 'ndre-b'] as const;
      await vethPair(a, b, names);
      // Enough traffic first that the old counters are well above what the new interface reaches.
      await mustExec(a, 'ping', ['-q', '-c', '60', '-i', '0.002', '-s', '1000', '10.232.0.2']);

      const s = sampler(a, ['--json', '0.2', '--count', '16']);
      await s.count(2);
      await mustExec(a, 'ping', ['-q', '-c', '10', '-i', '0.01', '10.232.0.2']);
      await s.count(5);
      await a.ip('link', 'del', names[0]);
      await vethPair(a, b, names);
      await mustExec(a, 'ping', ['-q', '-c', '5', '-i', '0.05', '-w', '5', '10.232.0.2']);
      assert.equal(await s.exit, 0);

      const lines = parseLines(s.lines);
      assert.equal(lines.length, 16);
      assertFirstLine(lines[0]!);
      assert.ok(assertSaneDeltas(lines) > 1000);

      const seen = lines.map((l) => l.interfaces?.find((i) => i.name === names[0]));
      const indexes = [...new Set(seen.filter((i) => i !== undefined).map((i) => i.ifindex))];
      assert.equal(indexes.length, 2, `ifindexes seen: ${indexes.join(',')}`);
      const [oldIndex, newIndex] = indexes;
      const k = seen.findIndex((i) => i?.ifindex === newIndex);
      assert.ok(k > 1 && k < lines.length - 2, `re-created interface first seen on line ${k + 1}`);
      const before = seen[k - 1];
      const at = seen[k]!;
      // Right before the re-creation the old interface was seen moving.
      assert.ok(
        seen.slice(1, k).some((i) => i !== undefined && i.ifindex === oldIndex && (i.counters['txBytes']?.delta ?? 0) > 0),
        'old interface never moved',
      );
      // Across the gap: identity-changed when the previous line had the old interface, appeared
      // when a line fell into the gap; either way no delta.
      const expected = before === undefined ? 'appeared' : 'identity-changed';
      for (const [c, st] of Object.entries(at.counters)) {
        assert.equal(st.delta, null, `line ${k + 1} ${c}: delta ${st.delta} across the re-creation`);
        assert.equal(st.rate, null, `line ${k + 1} ${c}: rate`);
        assert.equal(st.reset, expected, `line ${k + 1} ${c}`);
      }
      if (before) {
        // The case the identity exists for: the new counters are below the old ones.
        assert.ok(at.counters['txBytes']!.total < before.counters['txBytes']!.total);
      }
      // After the restart the new interface counts normally, and its deltas add up.
      let sum = 0;
      for (const i of seen.slice(k + 1)) {
        assert.ok(i !== undefined && i.ifindex === newIndex, 'the re-created interface disappeared');
        const st = i.counters['txBytes']!;
        assert.equal(st.reset, undefined);
        assert.notEqual(st.delta, null);
        sum += st.delta ?? 0;
      }
      assert.ok(sum > 0, 'no traffic seen on the re-created interface');
      assert.equal(sum, seen[seen.length - 1]!.counters['txBytes']!.total - at.counters['txBytes']!.total);
    },
  );

  it('ICMP port unreachables from UDP to a closed port show in IcmpMsg.InType3/OutType3', { timeout: 30_000 }, async (t) => {
    if (!prereq(t, ['root', 'netns'])) return;
    const ns = await namespace(t, 'icmp');
    // The kernel lists IcmpMsg types only once they are nonzero: prime both before sampling.
    await mustExec(ns, process.execPath, [UDP_SEND, '127.0.0.1', '9', '3', '0']);
    const s = sampler(ns, ['--json', '0.3', '--count', '6']);
    await s.count(1);
    await mustExec(ns, process.execPath, [UDP_SEND, '127.0.0.1', '9', '20', '10']);
    assert.equal(await s.exit, 0);

    const lines = parseLines(s.lines);
    assert.equal(lines.length, 6);
    assertFirstLine(lines[0]!);
    assert.equal(mustCounter(lines[0]!, 'IcmpMsg.InType3').total, 3);
    assert.equal(mustCounter(lines[0]!, 'IcmpMsg.OutType3').total, 3);
    for (const key of ['IcmpMsg.InType3', 'IcmpMsg.OutType3', 'Icmp.InDestUnreachs', 'Icmp.OutDestUnreachs', 'Udp.NoPorts']) {
      const deltas = lines.slice(1).map((l) => mustCounter(l, key).delta);
      assert.ok(
        deltas.some((d) => d !== null && d > 0),
        `${key}: no delta > 0 in ${deltas.join(',')}`,
      );
      // Loopback is exempt from ICMP rate limiting, and nothing else sends in this namespace.
      assert.equal(assertDeltasSum(lines, key), 20, key);
    }
    assertSaneDeltas(lines);
  });

  it('a recording replays to the same output, line for line', { timeout: 30_000 }, async (t) => {
    if (!prereq(t, ['root', 'netns'])) return;
    const ns = await namespace(t, 'rec');
    const dir = mkdtempSync(join(tmpdir(), 'netdash-rec-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    // Something to see: a listener, a connection that comes and goes, datagrams to a closed port.
    const sink = ns.spawn(process.execPath, [SINK, '127.0.0.1', '5002']);
    await readyLine(sink);

    const modes: [string, string[]][] = [
      ['json', ['--json']],
      ['statistics', ['--print', '-s']],
      ['interfaces', ['--print', '-i']],
      ['connections', ['--print', '-an']],
    ];
    // One subtest per mode, so a difference in one does not hide the others.
    for (const [name, flags] of modes)
      await t.test(name, async () => {
        const file = join(dir, `${name}.ndjson`);
        const live = sampler(ns, ['--record', file, ...flags, '0.2', '--count', '6']);
        await live.count(1);
        await Promise.all([
          mustExec(ns, process.execPath, [UDP_SEND, '127.0.0.1', '9', '15', '20']),
          mustExec(ns, process.execPath, [SOURCE, '127.0.0.1', '5002', String(256 * 1024), '300']),
        ]);
        assert.equal(await live.exit, 0, name);
        // The replay runs outside the namespace: it must not read the kernel at all.
        const replay = await run(process.execPath, [CLI, '--replay', file, ...flags, '--speed', '0']);
        assert.equal(replay.code, 0, `${name}: replay failed: ${replay.stderr}`);
        assert.equal(replay.stderr, '', name);
        const replayed = replay.stdout.split('\n');
        if (replayed[replayed.length - 1] === '') replayed.pop();
        assert.ok(live.lines.length >= 6, `${name}: ${live.lines.length} lines`);
        assert.equal(replayed.length, live.lines.length, `${name}: line count`);
        live.lines.forEach((line, i) => assert.equal(replayed[i], line, `${name}: line ${i + 1} differs`));
        if (name === 'json') {
          const parsed = parseLines(live.lines);
          assert.ok(
            parsed.slice(1).some((l) => (mustCounter(l, 'Udp.NoPorts').delta ?? 0) > 0),
            'nothing moved while recording',
          );
        }
      });
  });
});
