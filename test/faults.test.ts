// Faults: broken kernel files (each file missing, empty, unreadable, a directory, truncated
// mid-line, with an extra column, with a garbage line) and faults while running (interfaces
// and namespaces that come and go, counters that reset, a process that exits while its fds
// are read, a system clock that jumps, a DNS resolver that never answers, a reader that closes
// the pipe, SIGHUP from a dropped session, a recording interrupted by a signal).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseOptions, type Options } from '../src/cli/options.js';
import { HostNames, loadHosts } from '../src/names/host-names.js';
import { loadProtocols, loadServices } from '../src/names/services.js';
import { loadUsers } from '../src/names/users.js';
import type { NameContext } from '../src/names/netstat-notation.js';
import { snapshotJson } from '../src/print/json.js';
import { renderPrint, wantFor } from '../src/print/render-print.js';
import { readRecording } from '../src/sampler/recording.js';
import { Sampler } from '../src/sampler/sampler.js';
import type { Sample } from '../src/sampler/sample-engine.js';
import { readSnapshot, type Want } from '../src/sources/snapshot.js';
import { scanProcessOwners } from '../src/sources/process-owners.js';
import { kernelFs } from '../src/sources/kernel-fs.js';
import { JumpClock } from './helpers/fake-clock.js';
import { FAULTS, FaultFs, type Fault } from './helpers/fault-fs.js';
import { Lines } from './helpers/lines.js';
import { Netns, run } from './helpers/netns.js';
import { NsEtc } from './helpers/ns-etc.js';
import { prereq } from './helpers/prereq.js';
import { Tmux } from './helpers/tmux.js';

const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));
const DNS_SERVER = fileURLToPath(new URL('./helpers/dns-server.js', import.meta.url));

// --- broken kernel files ------------------------------------------------------------------

const ALL: Want = {
  inet: ['tcp', 'tcp6', 'udp', 'udp6', 'udplite', 'udplite6', 'raw', 'raw6'],
  unix: true,
  owners: false,
  interfaces: true,
  counters: true,
  routes4: true,
  routes6: true,
  conntrack: true,
};

interface FileCase {
  rel: string;
  /** netstat flags of the text section that shows this file. */
  flags: string[];
  /** Top-level JSON key(s) that hold its data. */
  json: string;
  /** Lines of the text output that come from this file (the rest must survive its fault). */
  own?: (line: string) => boolean;
  /** Faults that make no sense for this file (see the comment where it is set). */
  skip?: Fault[];
  /** An empty file is normal here (no flows, no routes): no error, just no rows. */
  emptyOk?: boolean;
}

const proto =
  (label: string) =>
  (line: string): boolean =>
    line.startsWith(label.padEnd(5) + ' ');

const FILES: FileCase[] = [
  { rel: 'proc/net/tcp', flags: ['-a'], json: 'connections', own: proto('tcp') },
  { rel: 'proc/net/tcp6', flags: ['-a'], json: 'connections', own: proto('tcp6') },
  { rel: 'proc/net/udp', flags: ['-a'], json: 'connections', own: proto('udp') },
  { rel: 'proc/net/udp6', flags: ['-a'], json: 'connections', own: proto('udp6') },
  { rel: 'proc/net/raw', flags: ['-a'], json: 'connections', own: proto('raw') },
  { rel: 'proc/net/raw6', flags: ['-a'], json: 'connections', own: proto('raw6') },
  // The path is the last column and may hold spaces: a column appended after it would be read
  // as part of the path (the kernel has always kept Path last).
  { rel: 'proc/net/unix', flags: ['-a'], json: 'unix', own: proto('unix'), skip: ['extra-column'] },
  { rel: 'proc/net/dev', flags: ['-ia'], json: 'interfaces' },
  { rel: 'proc/net/snmp', flags: ['-s'], json: 'counters' },
  { rel: 'proc/net/netstat', flags: ['-s'], json: 'counters' },
  // "Name value" lines: a third column is not a format a kernel could grow into.
  { rel: 'proc/net/snmp6', flags: ['-s', '-6'], json: 'counters', skip: ['extra-column'] },
  { rel: 'proc/net/route', flags: ['-rn'], json: 'routes' },
  { rel: 'proc/net/ipv6_route', flags: ['-rn', '-A', 'inet6'], json: 'routes', emptyOk: true },
  { rel: 'proc/net/nf_conntrack', flags: ['-M', '-a', '-n'], json: 'conntrack', emptyOk: true },
];

async function namesOf(fs: FaultFs): Promise<NameContext> {
  const [services, users, hosts, protocols] = await Promise.all([loadServices(fs), loadUsers(fs), loadHosts(fs), loadProtocols(fs)]);
  return { services, users, hostName: (a) => hosts.get(a), owners: null, protocols };
}

async function printWith(fs: FaultFs, flags: string[]): Promise<{ out: string; errors: string[] }> {
  const o = parseOptions(['--print', ...flags]);
  return renderPrint(o, await readSnapshot(fs, wantFor(o)), await namesOf(fs));
}

async function jsonWith(fs: FaultFs): Promise<Record<string, unknown>> {
  const o: Options = parseOptions(['--json']);
  const doc = snapshotJson(o, await readSnapshot(fs, ALL), await namesOf(fs), 'fixture');
  return JSON.parse(JSON.stringify(doc)) as Record<string, unknown>;
}

/** What the message for a file with this fault must say. */
function expectedMessage(c: FileCase, fault: Fault): RegExp | null {
  const file = `/${c.rel}`.replace(/[/.]/g, (ch) => `\\${ch}`);
  switch (fault) {
    case 'missing':
      return new RegExp(`${file}: .*not (available|loaded)`);
    case 'unreadable':
      return new RegExp(`${file}: permission denied`);
    case 'directory':
      return new RegExp(`${file}: is a directory`);
    case 'empty':
      return c.emptyOk ? null : new RegExp(`${file}: empty file`);
    case 'truncated':
    case 'garbage-line':
      return new RegExp(`${file}: \\d+ malformed lines? skipped`);
    case 'extra-column':
      return null;
  }
}

describe('a broken kernel file: its section says what is missing, everything else still works', () => {
  const clean = new Map<string, { out: string; errors: string[] }>();
  let cleanJson: Record<string, unknown> = {};
  before(async () => {
    for (const c of FILES) {
      const key = c.flags.join(' ');
      if (!clean.has(key)) clean.set(key, await printWith(new FaultFs(), c.flags));
    }
    cleanJson = await jsonWith(new FaultFs());
    // The fixture tree is whole: no file is reported broken before a fault is injected. (The
    // captured /proc/net/unix has a socket path with a newline in it: the kernel prints it raw,
    // so its tail is a line of its own, skipped and counted, as netstat's "bogus unix line".)
    const normal = /udplite6?: not available|^\/proc\/net\/unix: 1 malformed line skipped$/;
    for (const [flags, r] of clean)
      assert.ok(
        r.errors.every((e) => normal.test(e)),
        `${flags}: ${r.errors.join('; ')}`,
      );
    assert.deepEqual(cleanJson['skipped'], { '/proc/net/unix': 1 });
  });

  for (const c of FILES) {
    for (const fault of FAULTS) {
      if (c.skip?.includes(fault)) continue;
      it(`${c.rel} ${fault}`, async () => {
        const fs = new FaultFs();
        fs.faults.set(c.rel, fault);
        const base = clean.get(c.flags.join(' '));
        assert.ok(base);
        const text = await printWith(fs, c.flags);
        const want = expectedMessage(c, fault);

        // Text: one stderr line names the file and what is wrong with it.
        if (want)
          assert.ok(
            text.errors.some((e) => want.test(e)),
            `text errors: ${JSON.stringify(text.errors)}`,
          );
        else assert.deepEqual(text.errors, base.errors, 'no new message');
        if (fault === 'extra-column') assert.equal(text.out, base.out, 'an extra column changes nothing that is shown');
        if (fault === 'truncated' || fault === 'garbage-line') {
          // Every row but the one cut short is still there.
          const lost = base.out.split('\n').filter((l) => !text.out.split('\n').includes(l));
          assert.ok(lost.length <= 2, `lost rows: ${lost.join('\n')}`);
        }
        // The other tables of the same run are untouched.
        if (c.own) {
          const others = (s: string): string[] => s.split('\n').filter((l) => l !== '' && !c.own?.(l) && !/^(Active|Proto)/.test(l));
          assert.deepEqual(others(text.out), others(base.out));
        }

        // JSON: errors or skipped name the file; every other section is exactly as before.
        const doc = await jsonWith(fs);
        const errors = Object.values(doc['errors'] as Record<string, string>);
        const skipped = doc['skipped'] as Record<string, number>;
        if (want && (fault === 'truncated' || fault === 'garbage-line'))
          assert.ok((skipped[`/${c.rel}`] ?? 0) > 0, `skipped: ${JSON.stringify(skipped)}`);
        else if (want)
          assert.ok(
            errors.some((e) => want.test(e)),
            `json errors: ${JSON.stringify(errors)}`,
          );
        for (const key of ['connections', 'unix', 'interfaces', 'counters', 'routes', 'conntrack']) {
          if (key === c.json) continue;
          assert.deepEqual(doc[key], cleanJson[key], `section ${key}`);
        }
        if (c.json === 'connections') {
          const p = c.rel.slice('proc/net/'.length);
          const rest = (d: Record<string, unknown>): unknown[] => (d['connections'] as { proto: string }[]).filter((x) => x.proto !== p);
          assert.deepEqual(rest(doc), rest(cleanJson));
        }
      });
    }
  }

  it('sysfs attributes that vanish or hold junk leave the counters of /proc/net/dev intact', async () => {
    const fs = new FaultFs();
    const base = await printWith(fs, ['-ia']);
    for (const attr of ['mtu', 'flags', 'operstate', 'ifindex']) fs.faults.set(`sys/class/net/eth0/${attr}`, 'missing');
    fs.overrides.set('sys/class/net/lo/mtu', 'not a number\n');
    const r = await printWith(fs, ['-ia']);
    assert.deepEqual(r.errors, base.errors);
    // eth0 without sysfs has no flags and an MTU of 0, but is still listed with its counters.
    const eth0 = (s: string): string[] | undefined =>
      s
        .split('\n')
        .find((l) => l.startsWith('eth0 '))
        ?.trim()
        .split(/\s+/);
    assert.deepEqual(eth0(r.out)?.slice(2, 10), eth0(base.out)?.slice(2, 10));
  });
});

// --- faults while running: the sampler over a changing fixture tree, on a fake clock --------

const DEV_HEAD =
  'Inter-|   Receive                                                |  Transmit\n' +
  ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n';

function devLine(name: string, rxBytes: number, rxPackets: number, txBytes = rxBytes, txPackets = rxPackets): string {
  const n = (x: number, w: number): string => String(x).padStart(w);
  return `${name.padStart(6)}: ${n(rxBytes, 7)} ${n(rxPackets, 7)}    0    0    0     0          0         0 ${n(txBytes, 8)} ${n(txPackets, 7)}    0    0    0     0       0          0\n`;
}

function snmpText(inSegs: number, outSegs: number, retrans: number): string {
  return (
    'Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens AttemptFails EstabResets CurrEstab InSegs OutSegs RetransSegs InErrs OutRsts InCsumErrors\n' +
    `Tcp: 1 200 120000 -1 10 5 0 0 2 ${inSegs} ${outSegs} ${retrans} 0 0 0\n`
  );
}

const SAMPLE_WANT: Want = { ...ALL, conntrack: false, routes6: false };

/** Every counter statistic of every sample is sane: no negative delta or rate for a counter,
 *  no NaN or Infinity anywhere, elapsed time positive. */
function assertSane(samples: Sample[]): void {
  for (const s of samples) {
    if (s.elapsedMs !== null) assert.ok(s.elapsedMs > 0 && Number.isFinite(s.elapsedMs), `elapsed ${s.elapsedMs}`);
    for (const [k, st] of s.stats) {
      for (const v of [st.total, st.delta, st.rate, st.sinceMark])
        assert.ok(v === null || Number.isFinite(v), `${k}: ${JSON.stringify(st)}`);
      if (!st.gauge) {
        assert.ok(st.delta === null || st.delta >= 0, `seq ${s.seq} ${k}: delta ${st.delta}`);
        assert.ok(st.rate === null || st.rate >= 0, `seq ${s.seq} ${k}: rate ${st.rate}`);
        assert.ok(st.sinceMark >= 0, `seq ${s.seq} ${k}: sinceMark ${st.sinceMark}`);
      }
    }
  }
}

/** Run the sampler for as many ticks as `steps` has entries; step i changes the world before tick i. */
async function sampleThrough(fs: FaultFs, clock: JumpClock, steps: (() => void)[]): Promise<Sample[]> {
  const samples: Sample[] = [];
  let i = 0;
  steps[0]?.();
  const sampler = new Sampler(fs, clock.clock, { intervalMs: 1000, want: SAMPLE_WANT }, (s) => {
    samples.push(s);
    steps[++i]?.();
  });
  await sampler.run(steps.length);
  return samples;
}

describe('faults while sampling (fake clock, fixture tree)', () => {
  it('interfaces disappear, come back re-created, and a new one appears: resets, never a negative delta', async () => {
    const fs = new FaultFs();
    const clock = new JumpClock();
    const dev = (...lines: string[]): void => {
      fs.overrides.set('proc/net/dev', DEV_HEAD + lines.join(''));
    };
    const samples = await sampleThrough(fs, clock, [
      () => dev(devLine('lo', 1000, 10), devLine('eth0', 50_000, 500)),
      () => dev(devLine('lo', 2000, 20), devLine('eth0', 60_000, 600)),
      () => dev(devLine('lo', 3000, 30)), // eth0 gone (and its sysfs with it)
      () => {
        dev(devLine('lo', 4000, 40), devLine('eth0', 100, 1));
        fs.overrides.set('sys/class/net/eth0/ifindex', '77\n');
      },
      () => dev(devLine('lo', 5000, 50), devLine('eth0', 300, 3), devLine('veth9', 10, 1)),
      () => dev(devLine('lo', 6000, 60), devLine('eth0', 500, 5), devLine('veth9', 20, 2)),
    ]);
    assert.equal(samples.length, 6);
    assertSane(samples);
    const st = (i: number, key: string) => samples[i]?.stats.get(key);
    assert.equal(st(1, 'if.eth0.rxBytes')?.delta, 10_000);
    assert.equal(st(2, 'if.eth0.rxBytes')?.reset, 'vanished');
    assert.ok(['appeared', 'identity-changed'].includes(st(3, 'if.eth0.rxBytes')?.reset ?? ''), JSON.stringify(st(3, 'if.eth0.rxBytes')));
    assert.equal(st(3, 'if.eth0.rxBytes')?.delta, null);
    assert.equal(st(4, 'if.eth0.rxBytes')?.delta, 200);
    assert.equal(st(5, 'if.veth9.rxBytes')?.delta, 10);
    assert.equal(st(5, 'if.lo.rxBytes')?.rate, 1000);
  });

  it('counters that reset (module reload, namespace re-created) or whose file vanishes for a while', async () => {
    const fs = new FaultFs();
    const clock = new JumpClock();
    const samples = await sampleThrough(fs, clock, [
      () => fs.overrides.set('proc/net/snmp', snmpText(1000, 900, 10)),
      () => fs.overrides.set('proc/net/snmp', snmpText(2000, 1900, 20)),
      () => fs.overrides.set('proc/net/snmp', snmpText(5, 4, 0)), // went backwards
      () => fs.overrides.set('proc/net/snmp', snmpText(15, 14, 1)),
      () => fs.faults.set('proc/net/snmp', 'missing'),
      () => {
        fs.faults.delete('proc/net/snmp');
        fs.overrides.set('proc/net/snmp', snmpText(25, 24, 1));
      },
      () => fs.overrides.set('proc/net/snmp', snmpText(35, 34, 2)),
    ]);
    assertSane(samples);
    const st = (i: number) => samples[i]?.stats.get('Tcp.InSegs');
    assert.equal(st(1)?.delta, 1000);
    assert.equal(st(2)?.delta, null);
    assert.equal(st(2)?.reset, 'went-backwards');
    assert.equal(st(3)?.delta, 10);
    assert.equal(
      samples[4]?.snapshot.counters?.errors.some((e) => /\/proc\/net\/snmp: not available/.test(e)),
      true,
    );
    assert.equal(st(6)?.delta, 10);
  });

  it('the system clock jumps back an hour and forward a day: elapsed time and rates follow the monotonic clock', async () => {
    const fs = new FaultFs();
    const clock = new JumpClock();
    fs.overrides.set('proc/sys/kernel/random/boot_id', '2c5c2c4e-0c48-4a37-9a43-63b9a6f0c1aa\n');
    // btime is "wall clock now - uptime": every step of the wall clock moves it.
    const uptimeAtStart = 1000_000;
    const mono0 = clock.mono;
    const stat = (): void => {
      const btime = Math.round((clock.wall - (uptimeAtStart + clock.mono - mono0)) / 1000);
      fs.overrides.set('proc/stat', `cpu 1 2 3\nbtime ${btime}\n`);
    };
    let segs = 0;
    const tick = (): void => {
      segs += 100;
      fs.overrides.set('proc/net/snmp', snmpText(segs, segs, 0));
      stat();
    };
    const samples = await sampleThrough(fs, clock, [
      tick,
      tick,
      () => {
        clock.jumpWall(-3_600_000);
        tick();
      },
      tick,
      () => {
        clock.jumpWall(86_400_000);
        tick();
      },
      tick,
    ]);
    assertSane(samples);
    for (const s of samples.slice(1)) {
      assert.equal(s.elapsedMs, 1000, `seq ${s.seq}`);
      const st = s.stats.get('Tcp.InSegs');
      assert.equal(st?.delta, 100, `seq ${s.seq}: ${JSON.stringify(st)}`);
      assert.equal(st?.rate, 100);
      assert.equal(st?.reset, null, 'a clock step is not a reboot (boot_id decides)');
    }
    assert.ok((samples[2]?.time ?? 0) < (samples[1]?.time ?? 0), 'the wall time of a sample does go back with the clock');
    assert.equal(samples.at(-1)?.mark.reason, 'start');
  });

  it('a process exits while its fds are read: the scan goes on, other owners are found', async () => {
    const fs = new FaultFs();
    fs.dirs.set('proc', ['1', '200', '300', 'self', 'net']);
    for (const pid of ['1', '200', '300']) {
      fs.dirs.set(`proc/${pid}/fd`, ['0', '1', '2', '3']);
      for (const fd of ['0', '1', '2']) fs.links.set(`proc/${pid}/fd/${fd}`, '/dev/null');
      fs.links.set(`proc/${pid}/fd/3`, `socket:[${pid}00]`);
      fs.overrides.set(`proc/${pid}/cmdline`, `/usr/bin/prog${pid}\0--flag\0`);
      fs.overrides.set(`proc/${pid}/comm`, `prog${pid}\n`);
    }
    // pid 200 exits after its fd directory was listed: links, cmdline and comm are gone.
    fs.onRead = (rel) => {
      if (rel === 'proc/200/fd/0') {
        for (const fd of ['0', '1', '2', '3']) fs.links.set(`proc/200/fd/${fd}`, null);
        fs.overrides.set('proc/200/cmdline', null);
        fs.overrides.set('proc/200/comm', null);
        fs.dirs.set('proc/200/fd', null);
      }
      // pid 300 exits between its links and its name: it has sockets but no name any more.
      if (rel === 'proc/300/cmdline') fs.overrides.set('proc/300/comm', null);
    };
    const scan = await scanProcessOwners(fs);
    assert.equal(scan.owners.get(100)?.program, 'prog1');
    assert.equal(scan.owners.has(20000), false);
    assert.equal(scan.denied, false, 'a vanished process is not a permission problem');
  });

  it('real processes that exit while /proc is scanned: every scan completes and finds a socket that stays', async () => {
    // This process holds a listening socket; short-lived children inherit it and exit at once.
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const fd = (server as unknown as { _handle: { fd: number } })._handle.fd;
    const inode = Number(/socket:\[(\d+)\]/.exec(readlinkSync(`/proc/self/fd/${fd}`))?.[1]);
    let spawning = true;
    let spawned = 0;
    const loop = (async () => {
      while (spawning) {
        const batch = Array.from(
          { length: 8 },
          () =>
            new Promise<void>((r) => {
              const c = spawn('sleep', ['0.01'], { stdio: ['ignore', 'ignore', 'ignore', fd] });
              spawned++;
              c.once('exit', () => r());
              c.once('error', () => r());
            }),
        );
        await Promise.all(batch);
      }
    })();
    try {
      for (let i = 0; i < 15; i++) {
        const scan = await scanProcessOwners(kernelFs('/'));
        assert.equal(scan.owners.get(inode)?.pid !== undefined, true, `scan ${i}: the socket's owner`);
      }
    } finally {
      spawning = false;
      await loop;
      server.close();
    }
    assert.ok(spawned > 8, `${spawned} processes came and went`);
  });
});

// --- faults in the running program --------------------------------------------------------

interface StatJson {
  total: number;
  delta: number | null;
  rate: number | null;
  sinceMark: number;
  reset?: string;
}

/** NDJSON lines from a live run: valid JSON, and no counter with a negative or non-finite
 *  delta, rate or since-mark sum (gauges, the socket counts by state, may go down). */
function assertSaneNdjson(lines: string[]): void {
  lines.forEach((line, i) => {
    const doc = JSON.parse(line) as {
      counters?: Record<string, Record<string, StatJson>>;
      interfaces?: { name: string; counters: Record<string, StatJson | number> }[];
    };
    const check = (key: string, st: StatJson): void => {
      for (const v of [st.total, st.delta, st.rate, st.sinceMark])
        assert.ok(v === null || Number.isFinite(v), `line ${i + 1} ${key}: ${JSON.stringify(st)}`);
      if (/^(Tcp\.CurrEstab|Tcp\.MaxConn|Tcp\.Rto|Ip\.Forwarding|Ip\.DefaultTTL)/.test(key)) return;
      assert.ok((st.delta ?? 0) >= 0 && (st.rate ?? 0) >= 0 && st.sinceMark >= 0, `line ${i + 1} ${key}: ${JSON.stringify(st)}`);
    };
    for (const [g, names] of Object.entries(doc.counters ?? {})) for (const [n, st] of Object.entries(names)) check(`${g}.${n}`, st);
    for (const itf of doc.interfaces ?? []) {
      for (const [c, st] of Object.entries(itf.counters)) if (typeof st === 'object') check(`if.${itf.name}.${c}`, st);
    }
  });
}

describe('faults in the running program', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'netdash-faults-'));
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('interfaces and namespaces come and go under a live --json run: no crash, no negative or absurd number', async (t) => {
    if (!prereq(t, ['root', 'netns'])) return;
    const a = await Netns.create('churn-a');
    const others: Netns[] = [];
    try {
      const child = spawn('ip', ['netns', 'exec', a.name, process.execPath, CLI, '--json', '0.2', '--count', '30', '-i'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const out = new Lines(child);
      await out.count(2);
      for (let round = 0; out.lines.length < 28 && round < 200; round++) {
        // A namespace appears with a veth whose peer is in ours, then goes away with it.
        const b = await Netns.create('churn-b');
        others.push(b);
        await b.ip('link', 'add', 'cb0', 'type', 'veth', 'peer', 'name', `ca${round % 3}`, 'netns', a.name);
        await a.ip('link', 'set', `ca${round % 3}`, 'up').catch(() => {});
        await a.exec('ping', ['-c', '1', '-W', '0.1', '127.0.0.1']);
        // An interface moves to the other namespace and back (same device, counters kept).
        await a.ip('link', 'add', 'mv0', 'type', 'veth', 'peer', 'name', 'mv1').catch(() => {});
        await a.ip('link', 'set', 'mv1', 'netns', b.name).catch(() => {});
        await b.ip('link', 'set', 'mv1', 'netns', a.name).catch(() => {});
        await a.ip('link', 'del', 'mv0').catch(() => {});
        await b.destroy();
        others.pop();
      }
      assert.equal(await out.exit, 0, out.stderr);
      assert.equal(out.stderr, '');
      assert.equal(out.lines.length, 30);
      assertSaneNdjson(out.lines);
    } finally {
      for (const b of others) await b.destroy();
      await a.destroy();
    }
  });

  it('stdout closed before print mode writes (EPIPE): exit status 0, nothing on stderr', async () => {
    for (const args of [['--print', '-a'], ['--json'], ['--json', '0.2', '-s'], ['--print', '-s', '0.2']]) {
      const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let err = '';
      child.stderr.on('data', (d: Buffer) => {
        err += d.toString();
      });
      // The reading end is gone before netdash writes anything.
      child.stdout.destroy();
      const code = await new Promise<number | null>((r) => child.once('close', (c) => r(c)));
      assert.equal(code, 0, `${args.join(' ')}: ${err}`);
      assert.equal(err, '', args.join(' '));
    }
  });

  it('stdout closed while a big table is being written (netdash --print -a | head -1)', async (t) => {
    if (!prereq(t, ['root', 'netns'])) return;
    const ns = await Netns.create('epipe');
    try {
      // Thousands of sockets make an output far larger than a pipe buffer.
      const holder = ns.spawn(process.execPath, [
        '-e',
        `
        const net = require('node:net'); const keep = [];
        const srv = net.createServer((s) => keep.push(s)).listen(9000, '127.0.0.1', async () => {
          for (let i = 0; i < 3000; i++) keep.push(net.connect(9000, '127.0.0.1'));
          setTimeout(() => console.log('{"ready":1}'), 500);
        });`,
      ]);
      await new Promise<void>((r) => holder.stdout?.once('data', () => r()));
      const r = await run('bash', [
        '-c',
        `ip netns exec ${ns.name} ${process.execPath} ${CLI} --print -antp | head -1; echo "status=\${PIPESTATUS[0]}"`,
      ]);
      assert.match(r.stdout, /^Active Internet connections/);
      assert.match(r.stdout, /status=0\n$/);
      assert.equal(r.stderr, '');
    } finally {
      await ns.destroy();
    }
  });

  for (const sig of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) {
    it(`a recording in progress keeps every tick written before ${sig}`, async () => {
      const file = join(dir, `rec-${sig}.ndjson`);
      const child = spawn(process.execPath, [CLI, '--json', '0.2', '--record', file], { stdio: ['ignore', 'pipe', 'pipe'] });
      const out = new Lines(child);
      await out.count(4);
      child.kill(sig);
      const code = await out.exit;
      assert.equal(code, 0, out.stderr);
      const lines = readFileSync(file, 'utf8').split('\n');
      assert.equal(lines.pop(), '', 'the last line is complete');
      // A run stopped by a signal ends with its end line (netdash-record/2).
      assert.match(lines.pop() ?? '', /^\{"run":"[^"]+","end":true\}$/, "the run's end line");
      // Every tick printed was recorded first, and every recorded line is a whole sample.
      assert.ok(lines.length - 1 >= out.lines.length, `${lines.length - 1} recorded, ${out.lines.length} printed`);
      const rec = readRecording(file);
      assert.equal(rec.samples.length, lines.length - 1);
      const printed = out.lines.map((l) => (JSON.parse(l) as { time: string }).time);
      const recorded = rec.samples.map((s) => new Date(s.snapshot.time).toISOString());
      assert.deepEqual(recorded.slice(0, printed.length), printed);
    });
  }
});

// --- a resolver that never answers --------------------------------------------------------

describe('reverse DNS that never answers', () => {
  it('HostNames under a flood of new addresses and a hung resolver: bounded in flight, queue and cache; close() ends it', async () => {
    let started = 0,
      cancelled = 0;
    const lookup = Object.assign(
      (): Promise<string[]> => {
        started++;
        return new Promise<string[]>(() => {});
      },
      {
        cancel: () => {
          cancelled++;
        },
      },
    );
    const h = new HostNames({ hosts: new Map(), lookup, maxInFlight: 8, maxEntries: 100, timeoutMs: 5 });
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 500; i++) assert.equal(h.name(`10.${round}.${i >> 8}.${i & 255}`), undefined, 'never waits');
      assert.ok(h.pending <= 8 + 8 * 16, `pending ${h.pending}`);
      await h.settle([], 10);
      await sleep(20);
    }
    assert.ok(h.size <= 100, `cache ${h.size}`);
    assert.ok(started > 8, 'slots free up as lookups time out');
    h.close();
    assert.equal(cancelled, 1);
    const before = started;
    h.name('192.0.2.100');
    assert.equal(started, before, 'no new lookup after close');
    for (let i = 0; h.pending > 0; i++) {
      assert.ok(i < 500, `still pending: ${h.pending}`);
      await sleep(10);
    }
  });

  it('print mode and the dashboard go on while every query goes unanswered (real resolver, namespace)', async (t) => {
    if (!prereq(t, ['root', 'netns', 'tmux'])) return;
    const ns = await Netns.create('dns');
    const etc = new NsEtc(ns, { 'resolv.conf': 'nameserver 127.0.0.1\noptions timeout:30 attempts:5\n' });
    let tmux: Tmux | null = null;
    try {
      const dns = ns.spawn(process.execPath, [DNS_SERVER, 'blackhole']);
      const queries = new Lines(dns);
      await queries.match(/"ready"/);
      // A connection between two loopback addresses that no /etc/hosts names.
      const conn = ns.spawn(process.execPath, [
        '-e',
        `
        const net = require('node:net');
        net.createServer(() => {}).listen(7300, '127.0.0.3', () => {
          const c = net.connect({ port: 7300, host: '127.0.0.3', localAddress: '127.0.0.2' }, () => console.log('{"ready":1}'));
        });`,
      ]);
      await new Lines(conn).match(/ready/);

      const r = await ns.exec(process.execPath, [CLI, '--print', '-t']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /127\.0\.0\.2:\d+ +127\.0\.0\.3:7300 +ESTABLISHED/, 'unanswered addresses print as numbers');
      await queries.match(/"query":"[23]\.0\.0\.127\.in-addr\.arpa"/);

      // The dashboard keeps sampling and drawing: its sample clock moves on, twice.
      tmux = Tmux.start(['ip', 'netns', 'exec', ns.name, process.execPath, CLI, '0.5'], { width: 140, height: 30 });
      const clockOf = (s: string): string | undefined => /\b(\d\d:\d\d:\d\d)\b/.exec(s.split('\n')[0] ?? '')?.[1];
      const first = clockOf(await tmux.waitFor((s) => clockOf(s) !== undefined, 60_000, 'a first sample'));
      const second = clockOf(await tmux.waitFor((s) => clockOf(s) !== first, 60_000, 'a later sample'));
      await tmux.waitFor((s) => clockOf(s) !== second && clockOf(s) !== first, 60_000, 'a third sample');
      tmux.keys('q');
      assert.equal(await tmux.waitExit(30_000), 0);
    } finally {
      tmux?.kill();
      etc.remove();
      await ns.destroy();
    }
  });
});

// --- SIGHUP: the session drops --------------------------------------------------------------

/** The pid of the process whose parent is `ppid` (the command a shell in a tmux pane runs). */
function childOf(ppid: number): number | null {
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === ppid) return Number(e);
    } catch {
      // gone
    }
  }
  return null;
}

const alive = (pid: number): boolean => existsSync(`/proc/${pid}`) && !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));

describe('SIGHUP to the dashboard (tmux)', () => {
  it('exits with 129 and leaves the terminal as it found it: no alternate screen, echo and line editing back', async (t) => {
    if (!prereq(t, ['root', 'netns', 'tmux'])) return;
    const ns = await Netns.create('hup');
    const tm = Tmux.start(['bash', '--norc', '--noprofile', '-i'], { width: 120, height: 30, env: { PS1: '$ ' } });
    try {
      await tm.waitForText(/^\$/m);
      const before = tm.tmux(['display-message', '-p', '-t', tm.session, '#{alternate_on}|#{cursor_flag}|#{mouse_any_flag}']).trim();
      tm.type(`ip netns exec ${ns.name} ${process.execPath} ${CLI} 1; echo "EXIT=$?"`);
      tm.keys('Enter');
      await tm.waitForText(/since start/, 60_000);
      assert.equal(
        tm.tmux(['display-message', '-p', '-t', tm.session, '#{alternate_on}']).trim(),
        '1',
        'the dashboard uses the alternate screen',
      );
      const pid = childOf(tm.pid());
      assert.ok(pid, 'the dashboard process');
      process.kill(pid, 'SIGHUP');
      // (Typing before bash shows its prompt again could be flushed with the tty's input queue.)
      await tm.waitForText(/EXIT=129\n\$/, 30_000);
      assert.equal(tm.tmux(['display-message', '-p', '-t', tm.session, '#{alternate_on}|#{cursor_flag}|#{mouse_any_flag}']).trim(), before);
      // Typed text is echoed and a line is edited as usual: the tty is back in cooked mode.
      tm.type('stty -a | tr " " "\\n" | grep -x -e echo -e icanon -e -echo -e -icanon | sort | tr "\\n" " "; echo');
      tm.keys('Enter');
      const screen = await tm.waitForText(/^echo icanon *$/m, 15_000);
      assert.match(screen, /stty -a \| tr/, 'the command line was echoed as typed');
      tm.type('echo typed-$((6*7))');
      tm.keys('Enter');
      await tm.waitForText(/^typed-42$/m, 15_000);
    } finally {
      tm.kill();
      await ns.destroy();
    }
  });

  it('the terminal goes away under it (pty hangup, SSH dropped): it exits, and its recording is whole', async (t) => {
    if (!prereq(t, ['root', 'netns', 'tmux'])) return;
    const ns = await Netns.create('hangup');
    const dir = mkdtempSync(join(tmpdir(), 'netdash-hup-'));
    const file = join(dir, 'rec.ndjson');
    const tm = Tmux.start(['ip', 'netns', 'exec', ns.name, process.execPath, CLI, '0.3', '--record', file], { width: 120, height: 30 });
    try {
      await tm.waitForText(/since start/, 60_000);
      const pid = tm.pid();
      // Wait for a few ticks on disk, then take the terminal away: tmux closes the pty master,
      // the kernel sends SIGHUP, and every write to the terminal now fails.
      const samplesOnDisk = (): number => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').length - 2 : 0);
      for (let i = 0; i < 600 && samplesOnDisk() < 4; i++) await sleep(100);
      const before = samplesOnDisk();
      assert.ok(before >= 4, 'the dashboard records');
      tm.kill();
      for (let i = 0; alive(pid); i++) {
        assert.ok(i < 300, 'the dashboard exits after the hangup');
        await sleep(100);
      }
      const text = readFileSync(file, 'utf8');
      assert.ok(text.endsWith('\n'), 'no line cut short');
      const rec = readRecording(file);
      assert.ok(rec.samples.length >= before, `${rec.samples.length} samples, ${before} before the hangup`);
    } finally {
      tm.kill();
      rmSync(dir, { recursive: true, force: true });
      await ns.destroy();
    }
  });
});
