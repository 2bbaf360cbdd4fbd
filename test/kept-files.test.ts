// The sampler's cheap read paths give what a fresh read gives.
//
// - Kept descriptors (readKept, fastKernelFs): /proc and /sys files read with pread at offset 0
//   on a descriptor kept open. In a network namespace of its own, a child process reads through
//   them and through a plain root side by side while the test changes the namespace under it:
//   an interface appears, its MTU, address and flags change, it is renamed while another takes
//   its name, it is deleted and made again, a route appears, counters move, a conntrack flow
//   appears. Every read must agree with the plain one.
// - What is kept between reads: the live boot info, readSource's parsed values for an unchanged
//   text, the parsers' fast paths (against the reference parsers, on the fixtures and on random
//   mutations of them), the rows of unchanged /proc/net/dev lines.
import { after, before, describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createSocket } from 'node:dgram';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { fastKernelFs } from '../src/sources/snapshot.js';
import { parseBtime, readBootInfo } from '../src/sources/boot.js';
import { systemClock } from '../src/sampler/sampler.js';
import { readConntrack } from '../src/sources/conntrack.js';
import { parseNetDev, readInterfaces } from '../src/sources/interfaces.js';
import { closeKept, keptCount, kernelFs, readKept, readSource, type KernelFs } from '../src/sources/kernel-fs.js';
import { readRoutes4 } from '../src/sources/routes.js';
import {
  parseSctpSnmp,
  parseSctpSnmpSplit,
  parseSnmp,
  parseSnmp6,
  parseSnmp6Split,
  parseSnmpSplit,
  readCounters,
} from '../src/sources/snmp.js';
import { readUnixSockets } from '../src/sources/unix-sockets.js';
import { fixtures } from './helpers/fixture-files.js';
import { mutate } from './helpers/mutate.js';
import { Netns } from './helpers/netns.js';
import { prereq } from './helpers/prereq.js';

const CHILD_ENV = 'NETDASH_KEPT_FILES_CHILD';
const SELF = fileURLToPath(import.meta.url);

/** The live root read the plain way: a root that is not '/' to the sources (so nothing of the
 *  live fast paths applies), whose reads go to '/'. */
function plainLive(): KernelFs {
  const live = kernelFs('/');
  return {
    root: '/plain-live-reference',
    readText: (rel) => live.readText(rel),
    readDir: (rel) => live.readDir(rel),
    readLink: (rel) => live.readLink(rel),
  };
}

async function readAll(kfs: KernelFs): Promise<Record<string, unknown>> {
  return {
    interfaces: await readInterfaces(kfs),
    routes4: await readRoutes4(kfs),
    counters: await readCounters(kfs),
    unix: await readUnixSockets(kfs),
    conntrack: await readConntrack(kfs),
    boot: await readBootInfo(kfs, systemClock),
  };
}

/** Child mode: one line in ('read' or 'udp'), one JSON line out. */
async function child(): Promise<void> {
  const fast = fastKernelFs(kernelFs('/'));
  const plain = plainLive();
  for await (const line of createInterface({ input: process.stdin })) {
    if (line === 'udp') {
      const s = createSocket('udp4');
      await new Promise<void>((resolve, reject) => s.send('x', 9, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
      s.close();
      process.stdout.write('{"sent":true}\n');
      continue;
    }
    const f = await readAll(fast);
    const p = await readAll(plain);
    process.stdout.write(`${JSON.stringify({ fast: f, plain: p, kept: keptCount() })}\n`);
  }
}

/** A section of a reading as it comes back through JSON: the fields these tests look at. */
interface Section {
  ok?: boolean;
  error?: string;
  value?: unknown;
  counters?: Record<string, Record<string, number>>;
}
type Sections = Record<'interfaces' | 'routes4' | 'counters' | 'unix' | 'conntrack' | 'boot', Section>;
interface Reading {
  fast: Sections;
  plain: Sections;
  kept: number;
}

/** A child in the namespace, asked for one reading at a time. */
class Reader {
  private readonly lines: string[] = [];
  private waiting: ((line: string) => void) | null = null;

  constructor(private readonly proc: ChildProcess) {
    createInterface({ input: proc.stdout! }).on('line', (l) => {
      // Only the protocol's JSON lines (a test runner may add its own output).
      if (!l.startsWith('{')) return;
      if (this.waiting) {
        const w = this.waiting;
        this.waiting = null;
        w(l);
      } else this.lines.push(l);
    });
  }

  private next(): Promise<string> {
    const l = this.lines.shift();
    if (l !== undefined) return Promise.resolve(l);
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.proc.once('exit', (code) => reject(new Error(`reader exited (${code})`)));
    });
  }

  async read(): Promise<Reading> {
    this.proc.stdin!.write('read\n');
    return JSON.parse(await this.next()) as Reading;
  }

  async udp(): Promise<void> {
    this.proc.stdin!.write('udp\n');
    await this.next();
  }
}

/** The same flows, without the timeout that counts down between the two reads. */
function flows(r: Section): unknown {
  return r.ok ? { ok: true, value: ((r.value ?? []) as { timeout: number }[]).map(({ timeout: _t, ...rest }) => rest) } : r;
}

function sameReading(r: Reading, what: string): void {
  for (const k of ['interfaces', 'routes4', 'counters', 'unix', 'boot'] as const) {
    assert.deepEqual(r.fast[k], r.plain[k], `${what}: ${k} through kept descriptors`);
  }
  assert.deepEqual(flows(r.fast['conntrack']), flows(r.plain['conntrack']), `${what}: conntrack`);
}

function iface(r: Reading, name: string): { name: string; sys: Record<string, unknown> } | undefined {
  return (r.fast['interfaces'].value as { name: string; sys: Record<string, unknown> }[]).find((i) => i.name === name);
}

if (process.env[CHILD_ENV] === '1') {
  await child();
} else {
  describe('kept descriptors in a namespace that changes under them', () => {
    let ns: Netns | null = null;
    let reader: Reader | null = null;
    let proc: ChildProcess | null = null;

    before(async () => {
      if (process.getuid?.() !== 0) return;
      try {
        ns = await Netns.create('kept');
      } catch {
        return;
      }
      const env: NodeJS.ProcessEnv = { ...process.env, [CHILD_ENV]: '1' };
      delete env['NODE_TEST_CONTEXT'];
      proc = spawn('ip', ['netns', 'exec', ns.name, process.execPath, SELF], { stdio: ['pipe', 'pipe', 'inherit'], env });
      reader = new Reader(proc);
    });

    after(async () => {
      if (proc && proc.exitCode === null) {
        proc.stdin!.end();
        await new Promise((r) => proc!.once('exit', r));
      }
      await ns?.destroy();
    });

    it('sees interfaces come, change, swap names, go and come back', async (t) => {
      if (!prereq(t, ['root', 'netns']) || !ns || !reader) return;
      // The first read finds out which files exist and how big they are (unix and conntrack
      // are read asynchronously, not kept, until they were seen small).
      sameReading(await reader.read(), 'only lo');
      const second = await reader.read();
      sameReading(second, 'only lo, again');
      assert.ok(second.kept >= 8, `descriptors are kept (${second.kept})`);
      const third = await reader.read();
      sameReading(third, 'only lo, a third time');
      assert.equal(third.kept, second.kept, 'the same descriptors are read again');

      await ns.ip('link', 'add', 'kv0', 'type', 'veth', 'peer', 'name', 'kv1');
      const added = await reader.read();
      sameReading(added, 'a veth pair added');
      assert.equal(iface(added, 'kv0')?.sys['mtu'], 1500);

      await ns.ip('link', 'set', 'kv0', 'mtu', '1400', 'address', '02:00:00:00:00:aa');
      await ns.ip('link', 'set', 'kv0', 'promisc', 'on');
      const changed = await reader.read();
      sameReading(changed, 'MTU, address and flags changed');
      const kv0 = iface(changed, 'kv0');
      assert.equal(kv0?.sys['mtu'], 1400, 'the kept mtu descriptor reads the new MTU');
      assert.equal(kv0?.sys['address'], '02:00:00:00:00:aa');
      assert.ok(((kv0?.sys['flags'] as number) & 0x100) !== 0, 'IFF_PROMISC');

      // kv0 becomes kv9 and kv1 takes the name kv0: the descriptors opened for the first kv0
      // now lead to kv9 and must not answer for the new kv0.
      const oldIndex = kv0?.sys['ifindex'];
      await ns.ip('link', 'set', 'kv0', 'name', 'kv9');
      await ns.ip('link', 'set', 'kv1', 'name', 'kv0');
      const swapped = await reader.read();
      sameReading(swapped, 'names swapped');
      assert.notEqual(iface(swapped, 'kv0')?.sys['ifindex'], oldIndex);
      assert.equal(iface(swapped, 'kv0')?.sys['mtu'], 1500);
      assert.equal(iface(swapped, 'kv9')?.sys['mtu'], 1400);

      await ns.ip('link', 'del', 'kv9');
      const gone = await reader.read();
      sameReading(gone, 'the pair deleted');
      assert.equal(iface(gone, 'kv0'), undefined);

      await ns.ip('link', 'add', 'kv0', 'type', 'veth', 'peer', 'name', 'kv1');
      await ns.ip('link', 'set', 'kv0', 'mtu', '1280');
      const back = await reader.read();
      sameReading(back, 'made again under the same name');
      assert.equal(iface(back, 'kv0')?.sys['mtu'], 1280);
    });

    it('sees a new route and moving counters', async (t) => {
      if (!prereq(t, ['root', 'netns']) || !ns || !reader) return;
      const before = await reader.read();
      await ns.ip('route', 'add', '10.77.0.0/24', 'dev', 'lo');
      await reader.udp();
      const after = await reader.read();
      sameReading(after, 'route and counters');
      const routes = after.fast['routes4'].value as { destination: string }[];
      assert.ok(
        routes.some((r) => r.destination === '10.77.0.0'),
        'the new route is read',
      );
      const out = (r: Reading): number => r.fast['counters'].counters?.['Udp']?.['OutDatagrams'] ?? NaN;
      assert.equal(out(after), out(before) + 1, 'Udp.OutDatagrams read anew');
    });

    it('sees the first conntrack flow although the empty table is not read', async (t) => {
      if (!prereq(t, ['root', 'netns', 'iptables']) || !ns || !reader) return;
      const empty = await reader.read();
      if (!empty.plain['conntrack'].ok) {
        t.skip(`conntrack unavailable: ${empty.plain['conntrack'].error}`);
        return;
      }
      sameReading(empty, 'no flow');
      const r = await ns.exec('iptables', ['-A', 'OUTPUT', '-m', 'conntrack', '--ctstate', 'NEW', '-j', 'ACCEPT']);
      assert.equal(r.code, 0, r.stderr);
      await reader.udp();
      const one = await reader.read();
      sameReading(one, 'one flow');
      assert.ok((one.fast['conntrack'].value as unknown[]).length >= 1, 'the flow is read');
    });
  });

  test('readKept: a kept descriptor reads the file anew each time, and is reused', async () => {
    const before = keptCount();
    const switches = (text: string): number => Number(/^voluntary_ctxt_switches:\s+(\d+)$/m.exec(text)?.[1]);
    const a = readKept('/proc/self/status');
    assert.equal(keptCount(), before + 1);
    await new Promise((r) => setTimeout(r, 20));
    const b = readKept('/proc/self/status');
    assert.equal(keptCount(), before + 1, 'the same descriptor');
    assert.ok(switches(b) > switches(a), 'the kernel wrote the file again');
    assert.throws(() => readKept('/proc/net/no-such-file'), { code: 'ENOENT' });
    closeKept();
    assert.equal(keptCount(), 0);
  });

  test('readKept: a file missing last time is found once it exists', () => {
    const dir = mkdtempSync(join(tmpdir(), 'netdash-kept-'));
    try {
      const file = join(dir, 'appears');
      assert.throws(() => readKept(file), { code: 'ENOENT' });
      assert.throws(() => readKept(file), { code: 'ENOENT' }, 'still missing');
      writeFileSync(file, 'here\n');
      assert.equal(readKept(file), 'here\n');
    } finally {
      closeKept();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('readBootInfo of the live root: what /proc gives, read once', async () => {
    const want = {
      bootTime: parseBtime(readFileSync('/proc/stat', 'utf8')),
      bootId: readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim(),
    };
    const fast = fastKernelFs(kernelFs('/'));
    assert.deepEqual(await readBootInfo(fast, systemClock), want);
    const again = await readBootInfo(fast, systemClock);
    assert.deepEqual(again, want);
    again.bootTime = 0;
    assert.deepEqual(await readBootInfo(fast, systemClock), want, 'callers get their own copy');
  });

  describe('readSource: an unchanged text is not parsed again', () => {
    const root = mkdtempSync(join(tmpdir(), 'netdash-kept-'));
    after(() => rmSync(root, { recursive: true, force: true }));
    const put = (rel: string, text: string): void => {
      mkdirSync(join(root, rel, '..'), { recursive: true });
      writeFileSync(join(root, rel), text);
    };

    it('gives the same value for the same text, and parses a changed one', async () => {
      let calls = 0;
      const parse = (t: string): { value: string[]; skipped: number } => {
        calls++;
        return { value: t.split('\n'), skipped: 0 };
      };
      put('proc/net/memo-a', 'one\ntwo\n');
      const kfs = kernelFs(root);
      const a = await readSource(kfs, 'proc/net/memo-a', parse);
      const b = await readSource(kfs, 'proc/net/memo-a', parse);
      assert.equal(calls, 1);
      assert.ok(a.ok && b.ok && a.value === b.value);
      put('proc/net/memo-a', 'one\nthree\n');
      const c = await readSource(kfs, 'proc/net/memo-a', parse);
      assert.equal(calls, 2);
      assert.deepEqual(c.ok && c.value, ['one', 'three', '']);
      // Another parser of the same file is not given the first one's value.
      const d = await readSource(kfs, 'proc/net/memo-a', (t) => ({ value: t.length, skipped: 0 }));
      assert.deepEqual(d.ok && d.value, 10);
    });

    it("readCounters merges a group two files share without changing either file's value", async () => {
      put('proc/net/snmp', 'Ip: Forwarding InReceives\nIp: 1 10\nTcp: ActiveOpens\nTcp: 3\n');
      put('proc/net/netstat', 'Tcp: ExtraOne\nTcp: 7\n');
      put('proc/net/snmp6', 'Ip6InReceives                   \t5\n');
      const kfs = kernelFs(root);
      const want = { Ip: { Forwarding: 1, InReceives: 10 }, Tcp: { ActiveOpens: 3, ExtraOne: 7 }, Ip6: { InReceives: 5 } };
      for (let i = 0; i < 3; i++) assert.deepEqual((await readCounters(kfs)).counters, want);
      const snmp = await readSource(kfs, 'proc/net/snmp', parseSnmp);
      assert.deepEqual(snmp.ok && snmp.value, { Ip: { Forwarding: 1, InReceives: 10 }, Tcp: { ActiveOpens: 3 } });
    });
  });

  const RUNS = Number(process.env['NETDASH_FUZZ_RUNS'] ?? 2000);

  describe('fast parsers agree with the reference parsers', () => {
    const cases: [string, Buffer[], (t: string) => unknown, (t: string) => unknown][] = [
      [
        'snmp/netstat',
        fixtures(['snmp'], /^(snmp|netstat|netstat-truncated|snmp-last-line-lost|snmp-mismatched|empty)$/),
        parseSnmp,
        parseSnmpSplit,
      ],
      ['snmp6', fixtures(['snmp'], /^(snmp6|snmp6-odd|empty)$/), parseSnmp6, parseSnmp6Split],
      ['sctp', fixtures(['snmp/synthetic/proc/net/sctp'], /^snmp$/), parseSctpSnmp, parseSctpSnmpSplit],
    ];
    for (const [name, inputs, fast, ref] of cases) {
      it(`${name}: on the fixtures and ${RUNS} mutations of them`, () => {
        for (const input of inputs) assert.deepEqual(fast(input.toString('latin1')), ref(input.toString('latin1')));
        for (let seed = 1; seed <= RUNS; seed++) {
          const input = inputs[seed % inputs.length]!;
          const { bytes, applied } = mutate(input, seed);
          const text = bytes.toString('latin1');
          // Twice: the second time the header and name caches are warm with this very text.
          assert.deepEqual(fast(text), ref(text), `seed ${seed}: ${applied.join(', ')}`);
          assert.deepEqual(fast(text), ref(text), `seed ${seed} again: ${applied.join(', ')}`);
        }
      });
    }

    it(`/proc/net/dev: rows of unchanged lines are the rows a fresh parse gives (${RUNS} mutations)`, () => {
      const inputs = fixtures(['netdev'], /^(dev|garbage|truncated|old-format)$/);
      let prev = '';
      for (let seed = 1; seed <= RUNS; seed++) {
        const { bytes } = mutate(inputs[seed % inputs.length]!, seed);
        const text = bytes.toString('latin1');
        // Parsed right after another text (lines shared with it come from the last parse), then
        // right after itself, then after the other one again: all the same.
        const afterOther = parseNetDev(text);
        const afterSelf = parseNetDev(text);
        parseNetDev(prev);
        // (A copy: structuredClone, as counters beyond 2^53 are bigints, which JSON cannot hold.)
        const afterOtherAgain = structuredClone(parseNetDev(text));
        assert.deepEqual(afterOther, afterSelf, `seed ${seed}`);
        assert.deepEqual(afterOther, afterOtherAgain, `seed ${seed}`);
        prev = text;
      }
    });
  });
}
