// The interval sampler against a fixture root and a fake clock: deltas and rates over the
// time that really elapsed, a cadence that never overlaps ticks, interval changes, count and
// stop, counter resets (re-created interface, counter going backwards, reboot), connection
// and route churn, and the "since mark" sums.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sampler, type Clock } from '../src/sampler/sampler.js';
import type { RawSample, Sample } from '../src/sampler/sample-engine.js';
import type { CounterStat } from '../src/sampler/counter-deltas.js';
import { kernelFs, type KernelFs } from '../src/sources/kernel-fs.js';
import type { Want } from '../src/sources/snapshot.js';

// --- a fake clock ---------------------------------------------------------------------

const WALL0 = 1_700_000_000_000;

interface PendingSleep {
  until: number;
  resolve: () => void;
}

/** Monotonic time only moves when the test (or a sleep in auto mode) moves it. In auto mode
 *  a sleep advances the clock by its length at once; in manual mode it waits for advance()
 *  or for its signal. */
class FakeClock {
  t = 10_000;
  /** Every sleep the sampler asked for, in ms. */
  readonly sleeps: number[] = [];
  private pending: PendingSleep[] = [];
  private sleepWaiters: ((ms: number) => void)[] = [];

  constructor(private readonly auto: boolean) {}

  readonly clock: Clock = {
    now: () => WALL0 + this.t,
    mono: () => this.t,
    sleep: (ms, signal) => {
      this.sleeps.push(ms);
      for (const w of this.sleepWaiters.splice(0)) w(ms);
      if (signal.aborted) return Promise.resolve();
      if (this.auto) {
        this.t += ms;
        return new Promise((r) => setImmediate(r));
      }
      return new Promise<void>((resolve) => {
        const p: PendingSleep = {
          until: this.t + ms,
          resolve: () => {
            signal.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        const onAbort = (): void => {
          this.pending = this.pending.filter((x) => x !== p);
          resolve();
        };
        signal.addEventListener('abort', onAbort, { once: true });
        this.pending.push(p);
      });
    },
  };

  advance(ms: number): void {
    this.t += ms;
    const due = this.pending.filter((p) => p.until <= this.t);
    this.pending = this.pending.filter((p) => p.until > this.t);
    for (const p of due) p.resolve();
  }

  get sleeping(): number {
    return this.pending.length;
  }

  /** Resolves with the length of the next sleep the sampler starts. */
  nextSleep(): Promise<number> {
    return new Promise((r) => this.sleepWaiters.push(r));
  }
}

/** Let every pending promise and immediate run (fixture reads are real file reads). */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}

// --- a fixture root -------------------------------------------------------------------

interface IfSpec {
  name: string;
  ifindex: number;
  rxBytes: number;
  rxPackets?: number;
  txBytes?: number;
  txPackets?: number;
}
interface SockSpec {
  local: string;
  remote: string;
  state: number;
  inode: number;
}
interface RouteSpec {
  iface: string;
  dest: string;
  gw: string;
  mask: string;
  flags: number;
  metric?: number;
}

interface FixtureState {
  tcp: Record<string, number>;
  icmpMsg: Record<string, number>;
  ifs: IfSpec[];
  socks: SockSpec[];
  routes: RouteSpec[];
  bootId: string;
  btime: number;
}

const TCP_FIELDS = [
  'RtoAlgorithm',
  'RtoMin',
  'RtoMax',
  'MaxConn',
  'ActiveOpens',
  'PassiveOpens',
  'AttemptFails',
  'EstabResets',
  'CurrEstab',
  'InSegs',
  'OutSegs',
  'RetransSegs',
  'InErrs',
  'OutRsts',
  'InCsumErrors',
];

function baseState(): FixtureState {
  return {
    tcp: { RtoAlgorithm: 1, RtoMin: 200, RtoMax: 120000, MaxConn: -1, CurrEstab: 1, InSegs: 1000, OutSegs: 2000, RetransSegs: 100 },
    icmpMsg: { InType3: 5, OutType3: 7 },
    ifs: [
      { name: 'lo', ifindex: 1, rxBytes: 5000 },
      { name: 'eth0', ifindex: 2, rxBytes: 100_000, txBytes: 50_000 },
    ],
    socks: [],
    routes: [{ iface: 'eth0', dest: '0.0.0.0', gw: '192.0.2.1', mask: '0.0.0.0', flags: 3 }],
    bootId: '11111111-2222-3333-4444-555555555555',
    btime: 1_699_999_000,
  };
}

/** 10.0.0.1:22 → '0100000A:0016', as /proc/net/tcp prints an IPv4 endpoint. */
function hexEndpoint(ep: string): string {
  const [ip = '', port = '0'] = ep.split(':');
  const bytes = ip.split('.').map((b) => Number(b).toString(16).padStart(2, '0').toUpperCase());
  return `${bytes.reverse().join('')}:${Number(port).toString(16).padStart(4, '0').toUpperCase()}`;
}

function hexAddr(ip: string): string {
  return ip
    .split('.')
    .map((b) => Number(b).toString(16).padStart(2, '0').toUpperCase())
    .reverse()
    .join('');
}

class Fixture {
  readonly root = mkdtempSync(join(tmpdir(), 'netdash-sampler-'));
  state: FixtureState = baseState();
  private written = new Set<string>();

  constructor() {
    this.write();
  }

  private put(rel: string, text: string): void {
    const abs = join(this.root, rel);
    mkdirSync(join(abs, '..'), { recursive: true });
    writeFileSync(abs, text);
  }

  set(change: (s: FixtureState) => void): void {
    change(this.state);
    this.write();
  }

  write(): void {
    const s = this.state;
    const tcpVals = TCP_FIELDS.map((f) => String(s.tcp[f] ?? 0));
    const icmpNames = Object.keys(s.icmpMsg);
    this.put(
      'proc/net/snmp',
      [
        'Ip: Forwarding DefaultTTL InReceives',
        'Ip: 1 64 500',
        ...(icmpNames.length ? [`IcmpMsg: ${icmpNames.join(' ')}`, `IcmpMsg: ${icmpNames.map((n) => s.icmpMsg[n]).join(' ')}`] : []),
        `Tcp: ${TCP_FIELDS.join(' ')}`,
        `Tcp: ${tcpVals.join(' ')}`,
        'Udp: InDatagrams NoPorts InErrors OutDatagrams',
        'Udp: 10 0 0 10',
        '',
      ].join('\n'),
    );
    this.put('proc/net/netstat', 'TcpExt: SyncookiesSent\nTcpExt: 0\n');
    this.put('proc/net/snmp6', 'Ip6InReceives                   \t0\n');
    this.put(
      'proc/net/dev',
      [
        'Inter-|   Receive                                                |  Transmit',
        ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed',
        ...s.ifs.map(
          (i) => `${i.name.padStart(6)}: ${i.rxBytes} ${i.rxPackets ?? 10} 0 0 0 0 0 0 ${i.txBytes ?? 0} ${i.txPackets ?? 10} 0 0 0 0 0 0`,
        ),
        '',
      ].join('\n'),
    );
    const names = new Set(s.ifs.map((i) => i.name));
    for (const old of this.written) {
      if (!names.has(old)) rmSync(join(this.root, 'sys/class/net', old), { recursive: true, force: true });
    }
    for (const i of s.ifs) {
      this.put(`sys/class/net/${i.name}/ifindex`, `${i.ifindex}\n`);
      this.written.add(i.name);
    }
    this.put('proc/stat', `cpu  1 2 3 4\nbtime ${s.btime}\nprocesses 100\n`);
    this.put('proc/sys/kernel/random/boot_id', `${s.bootId}\n`);
    this.put(
      'proc/net/tcp',
      [
        '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
        ...s.socks.map(
          (k, n) =>
            `${String(n).padStart(4)}: ${hexEndpoint(k.local)} ${hexEndpoint(k.remote)} ` +
            `${k.state.toString(16).padStart(2, '0').toUpperCase()} 00000000:00000000 00:00000000 00000000     0        0 ${k.inode} 1 0000000000000000 20 4 30 10 -1`,
        ),
        '',
      ].join('\n'),
    );
    this.put(
      'proc/net/route',
      [
        'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT',
        ...s.routes.map(
          (r) =>
            `${r.iface}\t${hexAddr(r.dest)}\t${hexAddr(r.gw)}\t${r.flags.toString(16).padStart(4, '0')}\t0\t0\t${r.metric ?? 0}\t${hexAddr(r.mask)}\t0\t0\t0`,
        ),
        '',
      ].join('\n'),
    );
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

const WANT: Want = {
  inet: ['tcp'],
  unix: false,
  owners: false,
  interfaces: true,
  counters: true,
  routes4: true,
  routes6: false,
  conntrack: false,
};

function stat(s: Sample, key: string): CounterStat {
  const st = s.stats.get(key);
  assert.ok(st, `sample ${s.seq} has no stat for ${key}`);
  return st;
}

/** A KernelFs that runs a hook before each readText (to make reads slow or move the clock). */
function hookedKfs(inner: KernelFs, before: (rel: string) => void | Promise<void>): KernelFs {
  return {
    root: inner.root,
    readText: async (rel) => {
      await before(rel);
      return inner.readText(rel);
    },
    readDir: (rel) => inner.readDir(rel),
    readLink: (rel) => inner.readLink(rel),
  };
}

/**
 * Run a sampler over a script of fixture changes: before sample i+1 is read, steps[i] is
 * applied (from inside the onSample of sample i). Returns every sample.
 */
async function runScript(
  fx: Fixture,
  steps: ((s: FixtureState) => void)[],
  opts: {
    intervalMs?: number;
    kfs?: KernelFs;
    clock?: FakeClock;
    onSample?: (s: Sample, sampler: Sampler) => void;
  } = {},
): Promise<Sample[]> {
  const fc = opts.clock ?? new FakeClock(true);
  const samples: Sample[] = [];
  const sampler: Sampler = new Sampler(
    opts.kfs ?? kernelFs(fx.root),
    fc.clock,
    { intervalMs: opts.intervalMs ?? 1000, want: WANT },
    (s) => {
      samples.push(s);
      opts.onSample?.(s, sampler);
      const step = steps[samples.length - 1];
      if (step) fx.set(step);
    },
  );
  await sampler.run(steps.length + 1);
  return samples;
}

const fixtures: Fixture[] = [];
function fixture(): Fixture {
  const fx = new Fixture();
  fixtures.push(fx);
  return fx;
}
after(() => {
  for (const fx of fixtures) fx.remove();
});

// --- deltas and rates -----------------------------------------------------------------

describe('deltas and rates', () => {
  it('first sample: every counter has delta null (never 0), rate null, reset first', async () => {
    const fx = fixture();
    const [s1] = await runScript(fx, []);
    assert.ok(s1);
    assert.equal(s1.seq, 1);
    assert.equal(s1.elapsedMs, null);
    assert.ok(s1.stats.size > 20, `only ${s1.stats.size} stats`);
    for (const [key, st] of s1.stats) {
      assert.equal(st.delta, null, `${key}: first delta must be null`);
      assert.equal(st.rate, null, `${key}: first rate must be null`);
      assert.equal(st.reset, 'first', key);
      assert.equal(st.sinceMark, 0, key);
    }
    assert.equal(stat(s1, 'Tcp.RetransSegs').total, 100);
    assert.equal(stat(s1, 'if.eth0.rxBytes').total, 100_000);
    assert.equal(stat(s1, 'IcmpMsg.InType3').total, 5);
  });

  it('second sample: exact delta, rate over the really elapsed time', async () => {
    const fx = fixture();
    const fc = new FakeClock(true);
    const [s1, s2] = await runScript(
      fx,
      [
        (s) => {
          s.tcp['RetransSegs'] = 130;
          s.tcp['OutSegs'] = 2500;
          s.ifs[1]!.rxBytes = 102_000;
          s.icmpMsg['InType3'] = 9;
        },
      ],
      { clock: fc },
    );
    assert.ok(s1 && s2);
    assert.equal(s2.elapsedMs, 1000);
    assert.equal(s2.mono - s1.mono, 1000);
    assert.deepEqual(stat(s2, 'Tcp.RetransSegs'), { total: 130, delta: 30, rate: 30, sinceMark: 30, reset: null, gauge: false });
    assert.deepEqual(stat(s2, 'Tcp.OutSegs'), { total: 2500, delta: 500, rate: 500, sinceMark: 500, reset: null, gauge: false });
    assert.equal(stat(s2, 'if.eth0.rxBytes').delta, 2000);
    assert.equal(stat(s2, 'if.eth0.rxBytes').rate, 2000);
    assert.equal(stat(s2, 'IcmpMsg.InType3').delta, 4);
    // Unchanged counters have a real zero now.
    assert.equal(stat(s2, 'Tcp.InSegs').delta, 0);
    assert.equal(stat(s2, 'Tcp.InSegs').rate, 0);
    // Gauges: a change, no rate.
    assert.equal(stat(s2, 'Tcp.CurrEstab').gauge, true);
    assert.equal(stat(s2, 'Tcp.CurrEstab').rate, null);
    assert.equal(s2.time - s1.time, 1000);
    assert.deepEqual(fc.sleeps, [1000]);
  });

  it('a slow read: the rate uses the time that really elapsed, and the cadence holds', async () => {
    const fx = fixture();
    const fc = new FakeClock(true);
    let reads = 0;
    // The second tick's snmp read takes 500 ms of (fake) time.
    const kfs = hookedKfs(kernelFs(fx.root), (rel) => {
      if (rel === 'proc/net/snmp' && ++reads === 2) fc.t += 500;
    });
    const [s1, s2, s3] = await runScript(
      fx,
      [
        (s) => {
          s.tcp['RetransSegs'] = 400;
        },
        (s) => {
          s.tcp['RetransSegs'] = 450;
        },
      ],
      { clock: fc, kfs },
    );
    assert.ok(s1 && s2 && s3);
    assert.equal(s2.elapsedMs, 1500);
    const r2 = stat(s2, 'Tcp.RetransSegs');
    assert.equal(r2.delta, 300);
    assert.equal(r2.rate, 200, 'rate must be delta over 1.5 s, not over the nominal 1 s');
    // The next tick starts on the original cadence: 1000 ms after the slow tick started.
    assert.deepEqual(fc.sleeps, [1000, 500]);
    assert.equal(s3.mono - s1.mono, 2000);
    assert.equal(s3.elapsedMs, 500);
    assert.equal(stat(s3, 'Tcp.RetransSegs').rate, 100);
  });

  it('a read longer than the interval: the next tick starts at once, rate over the real gap', async () => {
    const fx = fixture();
    const fc = new FakeClock(true);
    let reads = 0;
    const kfs = hookedKfs(kernelFs(fx.root), (rel) => {
      if (rel === 'proc/net/snmp' && ++reads === 2) fc.t += 2500;
    });
    const [, s2, s3] = await runScript(
      fx,
      [
        (s) => {
          s.tcp['RetransSegs'] = 450;
        },
        (s) => {
          s.tcp['RetransSegs'] = 450;
        },
      ],
      { clock: fc, kfs },
    );
    assert.ok(s2 && s3);
    assert.equal(s2.elapsedMs, 3500);
    assert.equal(stat(s2, 'Tcp.RetransSegs').rate, 100);
    assert.deepEqual(fc.sleeps, [1000], 'no sleep after a tick that overran its interval');
    assert.equal(s3.elapsedMs, 0);
    // Zero elapsed: a delta, but no rate (never Infinity or NaN).
    assert.equal(stat(s3, 'Tcp.RetransSegs').delta, 0);
    assert.equal(stat(s3, 'Tcp.RetransSegs').rate, null);
  });

  it('a slow consumer (onSample) does not stretch the interval', async () => {
    const fx = fixture();
    const fc = new FakeClock(true);
    const samples = await runScript(
      fx,
      [
        (s) => {
          s.tcp['OutSegs'] = 3000;
        },
        () => {},
      ],
      {
        clock: fc,
        onSample: () => {
          fc.t += 300;
        },
      },
    );
    assert.deepEqual(fc.sleeps, [700, 700]);
    assert.deepEqual(
      samples.map((s) => s.elapsedMs),
      [null, 1000, 1000],
    );
    assert.equal(stat(samples[1]!, 'Tcp.OutSegs').rate, 1000);
  });

  it('works with a Clock written as a class with methods', async () => {
    // Clock declares now/mono/sleep as methods, so a class implementing it is a valid Clock.
    class MethodClock implements Clock {
      private t = 0;
      now(): number {
        return WALL0 + this.t;
      }
      mono(): number {
        return this.t;
      }
      sleep(ms: number): Promise<void> {
        this.t += ms;
        return Promise.resolve();
      }
    }
    const fx = fixture();
    const sampler = new Sampler(kernelFs(fx.root), new MethodClock(), { intervalMs: 1000, want: WANT }, () => {});
    const { sample } = await sampler.tick();
    assert.equal(sample.time, WALL0);
  });
});

// --- the timer ------------------------------------------------------------------------

describe('the timer', () => {
  it('ticks never overlap, even with slow reads, slow consumers and interval changes', async () => {
    const fx = fixture();
    const fc = new FakeClock(true);
    let active = 0,
      maxActive = 0,
      ticksStarted = 0;
    const kfs = hookedKfs(kernelFs(fx.root), async (rel) => {
      // proc/stat is read exactly once per tick (boot time): that read marks a tick's start.
      if (rel === 'proc/stat') {
        ticksStarted++;
        active++;
        maxActive = Math.max(maxActive, active);
      }
      // Every read is slow in real time, and the snmp read overruns the interval in fake time.
      await new Promise((r) => setTimeout(r, 3));
      if (rel === 'proc/net/snmp') fc.t += 1500;
    });
    const samples: Sample[] = [];
    const sampler: Sampler = new Sampler(kfs, fc.clock, { intervalMs: 1000, want: WANT }, async (s) => {
      samples.push(s);
      // A slow consumer, and an interval change while the next tick is due already.
      sampler.setInterval(s.seq % 2 ? 10 : 1000);
      await new Promise((r) => setTimeout(r, 5));
      active--;
    });
    await sampler.run(8);
    assert.equal(samples.length, 8);
    assert.equal(maxActive, 1, 'two ticks were in flight at once');
    assert.equal(ticksStarted, 8, 'a tick was started that did not produce a sample');
  });

  it('run(count) stops after count samples', async () => {
    const fx = fixture();
    const fc = new FakeClock(true);
    let n = 0;
    const sampler = new Sampler(kernelFs(fx.root), fc.clock, { intervalMs: 1000, want: WANT }, () => {
      n++;
    });
    await sampler.run(3);
    assert.equal(n, 3);
    // No sleep after the last sample: run() returns as soon as the count is reached.
    assert.deepEqual(fc.sleeps, [1000, 1000]);
  });

  it('stop() from a callback ends run() without another sample', async () => {
    const fx = fixture();
    const fc = new FakeClock(true);
    let n = 0;
    const sampler: Sampler = new Sampler(kernelFs(fx.root), fc.clock, { intervalMs: 1000, want: WANT }, () => {
      if (++n === 2) sampler.stop();
    });
    await sampler.run();
    assert.equal(n, 2);
  });

  it('stop() during the wait ends run() at once', async () => {
    const fx = fixture();
    const fc = new FakeClock(false);
    let n = 0;
    const sampler = new Sampler(kernelFs(fx.root), fc.clock, { intervalMs: 60_000, want: WANT }, () => {
      n++;
    });
    const slept = fc.nextSleep();
    let done = false;
    const running = sampler.run().then(() => {
      done = true;
    });
    assert.equal(await slept, 60_000);
    await settle();
    assert.equal(done, false);
    sampler.stop();
    await running;
    assert.equal(n, 1);
    assert.equal(fc.sleeping, 0, 'the sleep must be cancelled, not left pending');
  });

  it('stop() during a read: that tick is not emitted', async () => {
    const fx = fixture();
    const fc = new FakeClock(true);
    let n = 0;
    let reads = 0;
    let sampler: Sampler | null = null;
    const kfs = hookedKfs(kernelFs(fx.root), (rel) => {
      if (rel === 'proc/net/snmp' && ++reads === 3) sampler?.stop();
    });
    sampler = new Sampler(kfs, fc.clock, { intervalMs: 1000, want: WANT }, () => {
      n++;
    });
    await sampler.run();
    assert.equal(n, 2);
  });

  it('setInterval from a callback changes the cadence from the next wait', async () => {
    const fx = fixture();
    const fc = new FakeClock(true);
    const samples = await runScript(fx, [() => {}, () => {}, () => {}, () => {}], {
      clock: fc,
      onSample: (s, sampler) => {
        if (s.seq === 2) sampler.setInterval(250);
      },
    });
    assert.deepEqual(fc.sleeps, [1000, 250, 250, 250]);
    assert.deepEqual(
      samples.map((s) => s.elapsedMs),
      [null, 1000, 250, 250, 250],
    );
  });

  it('setInterval during a wait: shorter counts from the tick start, longer extends the wait', async () => {
    const fx = fixture();
    const fc = new FakeClock(false);
    const monos: number[] = [];
    const sampler = new Sampler(kernelFs(fx.root), fc.clock, { intervalMs: 10_000, want: WANT }, (s) => {
      monos.push(s.mono);
    });
    let slept = fc.nextSleep();
    const running = sampler.run(3);
    assert.equal(await slept, 10_000);
    const t0 = monos[0]!;
    fc.advance(1000);
    // Shorter: 2 s from the start of the tick, so 1 s more.
    slept = fc.nextSleep();
    sampler.setInterval(2000);
    assert.equal(await slept, 1000);
    assert.equal(sampler.interval, 2000);
    fc.advance(999);
    await settle();
    assert.equal(monos.length, 1, 'ticked before the new interval was over');
    slept = fc.nextSleep();
    fc.advance(1);
    assert.equal(await slept, 2000);
    assert.equal(monos[1]! - t0, 2000);
    // Longer: from 2 s to 5 s, half a second into the wait.
    fc.advance(500);
    slept = fc.nextSleep();
    sampler.setInterval(5000);
    assert.equal(await slept, 4500);
    fc.advance(4499);
    await settle();
    assert.equal(monos.length, 2, 'ticked before the longer interval was over');
    fc.advance(1);
    await running;
    assert.deepEqual(
      monos.map((m) => m - t0),
      [0, 2000, 7000],
    );
  });

  it('setInterval to less than the time already waited ticks at once', async () => {
    const fx = fixture();
    const fc = new FakeClock(false);
    const monos: number[] = [];
    const sampler = new Sampler(kernelFs(fx.root), fc.clock, { intervalMs: 10_000, want: WANT }, (s) => {
      monos.push(s.mono);
    });
    const slept = fc.nextSleep();
    const running = sampler.run(2);
    await slept;
    fc.advance(3000);
    sampler.setInterval(1000);
    await running;
    assert.deepEqual(
      monos.map((m) => m - monos[0]!),
      [0, 3000],
    );
  });
});

// --- resets ---------------------------------------------------------------------------

describe('counter resets', () => {
  it('an interface re-created (new ifindex) restarts its counters: identity-changed, delta null', async () => {
    const fx = fixture();
    const [, s2, s3] = await runScript(fx, [
      (s) => {
        s.ifs[1] = { name: 'eth0', ifindex: 7, rxBytes: 300, txBytes: 20 };
        s.ifs[0]!.rxBytes = 5100;
      },
      (s) => {
        s.ifs[1]!.rxBytes = 1300;
      },
    ]);
    assert.ok(s2 && s3);
    for (const c of ['rxBytes', 'txBytes', 'rxPackets', 'txPackets', 'rxErrs']) {
      const st = stat(s2, `if.eth0.${c}`);
      assert.equal(st.reset, 'identity-changed', c);
      assert.equal(st.delta, null, c);
      assert.equal(st.rate, null, c);
    }
    assert.equal(stat(s2, 'if.eth0.rxBytes').total, 300);
    // Other interfaces are untouched.
    assert.equal(stat(s2, 'if.lo.rxBytes').delta, 100);
    assert.equal(stat(s2, 'if.lo.rxBytes').reset, null);
    // The new interface counts from its own baseline.
    assert.equal(stat(s3, 'if.eth0.rxBytes').delta, 1000);
    assert.equal(stat(s3, 'if.eth0.rxBytes').reset, null);
  });

  it('a re-created interface whose counters already passed the old ones is still a restart', async () => {
    const fx = fixture();
    const [, s2] = await runScript(fx, [
      (s) => {
        s.ifs[1] = { name: 'eth0', ifindex: 9, rxBytes: 900_000, txBytes: 90_000 };
      },
    ]);
    assert.ok(s2);
    assert.equal(stat(s2, 'if.eth0.rxBytes').reset, 'identity-changed');
    assert.equal(stat(s2, 'if.eth0.rxBytes').delta, null);
  });

  it('an interface gone for a tick: vanished, then appeared', async () => {
    const fx = fixture();
    const [, s2, s3] = await runScript(fx, [
      (s) => {
        s.ifs = s.ifs.filter((i) => i.name !== 'eth0');
      },
      (s) => {
        s.ifs.push({ name: 'eth0', ifindex: 8, rxBytes: 10 });
      },
    ]);
    assert.ok(s2 && s3);
    assert.equal(stat(s2, 'if.eth0.rxBytes').reset, 'vanished');
    assert.equal(stat(s2, 'if.eth0.rxBytes').delta, null);
    assert.equal(stat(s3, 'if.eth0.rxBytes').reset, 'appeared');
    assert.equal(stat(s3, 'if.eth0.rxBytes').delta, null);
  });

  it('a counter going backwards: went-backwards, delta null, then counts from the new baseline', async () => {
    const fx = fixture();
    const [, s2, s3] = await runScript(fx, [
      (s) => {
        s.tcp['RetransSegs'] = 40;
        s.tcp['OutSegs'] = 2100;
      },
      (s) => {
        s.tcp['RetransSegs'] = 45;
      },
    ]);
    assert.ok(s2 && s3);
    assert.deepEqual(stat(s2, 'Tcp.RetransSegs'), {
      total: 40,
      delta: null,
      rate: null,
      sinceMark: 0,
      reset: 'went-backwards',
      gauge: false,
    });
    assert.equal(stat(s2, 'Tcp.OutSegs').delta, 100);
    assert.equal(stat(s3, 'Tcp.RetransSegs').delta, 5);
    assert.equal(stat(s3, 'Tcp.RetransSegs').sinceMark, 5);
  });

  it('a new boot_id is a reboot: every counter restarts and the mark moves to it', async () => {
    const fx = fixture();
    const [s1, s2, s3] = await runScript(fx, [
      (s) => {
        s.bootId = '99999999-2222-3333-4444-555555555555';
        s.tcp['RetransSegs'] = 150;
        s.ifs[1]!.rxBytes = 200_000;
      },
      (s) => {
        s.tcp['RetransSegs'] = 160;
      },
    ]);
    assert.ok(s1 && s2 && s3);
    for (const key of ['Tcp.RetransSegs', 'if.eth0.rxBytes', 'if.lo.rxBytes', 'IcmpMsg.InType3']) {
      assert.equal(stat(s2, key).reset, 'reboot', key);
      assert.equal(stat(s2, key).delta, null, key);
    }
    assert.equal(s2.mark.reason, 'reboot');
    assert.equal(s2.mark.at, s2.mono);
    assert.equal(stat(s3, 'Tcp.RetransSegs').delta, 10);
    assert.equal(stat(s3, 'Tcp.RetransSegs').sinceMark, 10);
    assert.equal(s1.mark.reason, 'start');
  });

  it('a wall-clock step moving btime is not a reboot while boot_id stays', async () => {
    const fx = fixture();
    const [, s2] = await runScript(fx, [
      (s) => {
        s.btime += 3600;
        s.tcp['RetransSegs'] = 110;
      },
    ]);
    assert.ok(s2);
    assert.equal(stat(s2, 'Tcp.RetransSegs').reset, null);
    assert.equal(stat(s2, 'Tcp.RetransSegs').delta, 10);
  });
});

// --- churn ----------------------------------------------------------------------------

const ESTABLISHED = 1,
  TIME_WAIT = 6,
  CLOSE_WAIT = 8,
  LISTEN = 10;

describe('connection and route churn', () => {
  it('sockets opened, closed and changing state', async () => {
    const fx = fixture();
    fx.set((s) => {
      s.socks = [
        { local: '0.0.0.0:22', remote: '0.0.0.0:0', state: LISTEN, inode: 100 },
        { local: '10.0.0.1:22', remote: '10.0.0.9:40000', state: ESTABLISHED, inode: 101 },
        { local: '10.0.0.1:22', remote: '10.0.0.9:40001', state: ESTABLISHED, inode: 102 },
      ];
    });
    const [s1, s2, s3] = await runScript(fx, [
      (s) => {
        s.socks = [
          { local: '0.0.0.0:22', remote: '0.0.0.0:0', state: LISTEN, inode: 100 },
          // 40000 closed; 40001 got a FIN; 40002 is new.
          { local: '10.0.0.1:22', remote: '10.0.0.9:40001', state: CLOSE_WAIT, inode: 102 },
          { local: '10.0.0.1:22', remote: '10.0.0.9:40002', state: ESTABLISHED, inode: 103 },
        ];
      },
      () => {},
    ]);
    assert.ok(s1 && s2 && s3);
    assert.deepEqual(s1.churn, { opened: [], closed: [], changed: [], updated: [] }, 'nothing to compare the first sample with');
    assert.deepEqual(s2.churn.opened, ['tcp|10.0.0.1|22|10.0.0.9|40002']);
    assert.deepEqual(s2.churn.closed, ['tcp|10.0.0.1|22|10.0.0.9|40000']);
    assert.equal(s2.churn.changed.length, 1);
    const ch = s2.churn.changed[0]!;
    assert.equal(ch.key, 'tcp|10.0.0.1|22|10.0.0.9|40001');
    assert.equal(ch.from, ESTABLISHED);
    assert.equal(ch.to, CLOSE_WAIT);
    assert.equal(ch.socket.inode, 102);
    // Parsed afresh from text, every row is a new object: all of them count as updated.
    assert.deepEqual(s3.churn, { opened: [], closed: [], changed: [], updated: [...s3.connections.keys()] });
    // The state counts are gauges that follow the table.
    assert.equal(stat(s1, 'gauge.tcp.ESTABLISHED').total, 2);
    assert.equal(stat(s2, 'gauge.tcp.ESTABLISHED').total, 1);
    assert.equal(stat(s2, 'gauge.tcp.ESTABLISHED').delta, -1);
    assert.equal(stat(s2, 'gauge.tcp.CLOSE_WAIT').delta, 1);
    assert.equal(s2.connections.size, 3);
  });

  it('TIME_WAIT (the inode drops to 0) is a state change, not a close and an open', async () => {
    const fx = fixture();
    fx.set((s) => {
      s.socks = [{ local: '10.0.0.1:40000', remote: '10.0.0.9:443', state: ESTABLISHED, inode: 555 }];
    });
    const [, s2, s3] = await runScript(fx, [
      (s) => {
        s.socks = [{ local: '10.0.0.1:40000', remote: '10.0.0.9:443', state: TIME_WAIT, inode: 0 }];
      },
      (s) => {
        s.socks = [];
      },
    ]);
    assert.ok(s2 && s3);
    assert.deepEqual(s2.churn.opened, []);
    assert.deepEqual(s2.churn.closed, []);
    assert.equal(s2.churn.changed.length, 1);
    assert.equal(s2.churn.changed[0]!.from, ESTABLISHED);
    assert.equal(s2.churn.changed[0]!.to, TIME_WAIT);
    assert.equal(s2.churn.changed[0]!.socket.inode, 0);
    assert.deepEqual(s3.churn.closed, ['tcp|10.0.0.1|40000|10.0.0.9|443']);
    assert.deepEqual(s3.churn.opened, []);
  });

  it('SO_REUSEPORT listeners sharing a tuple: a reordered table is no churn', async () => {
    const fx = fixture();
    const a = { local: '0.0.0.0:8080', remote: '0.0.0.0:0', state: LISTEN, inode: 201 };
    const b = { local: '0.0.0.0:8080', remote: '0.0.0.0:0', state: LISTEN, inode: 202 };
    fx.set((s) => {
      s.socks = [a, b];
    });
    const [, s2] = await runScript(fx, [
      (s) => {
        s.socks = [b, a];
      },
    ]);
    assert.ok(s2);
    assert.deepEqual(s2.churn, { opened: [], closed: [], changed: [], updated: [...s2.connections.keys()] });
  });

  it('SO_REUSEPORT listeners sharing a tuple: one closing is one close of that socket', async () => {
    const fx = fixture();
    const a = { local: '0.0.0.0:8080', remote: '0.0.0.0:0', state: LISTEN, inode: 201 };
    const b = { local: '0.0.0.0:8080', remote: '0.0.0.0:0', state: LISTEN, inode: 202 };
    fx.set((s) => {
      s.socks = [a, b];
    });
    const [s1, s2] = await runScript(fx, [
      (s) => {
        s.socks = [b];
      },
    ]);
    assert.ok(s1 && s2);
    assert.deepEqual(s2.churn.opened, []);
    assert.deepEqual(s2.churn.changed, []);
    assert.equal(s2.churn.closed.length, 1);
    // The key reported closed must be the one that pointed at socket a (inode 201).
    const closedKey = s2.churn.closed[0]!;
    assert.equal(s1.connections.get(closedKey)?.inode, 201, `closed ${closedKey}, which was inode ${s1.connections.get(closedKey)?.inode}`);
  });

  it('routes added and removed', async () => {
    const fx = fixture();
    const [s1, s2, s3] = await runScript(fx, [
      (s) => {
        s.routes.push({ iface: 'eth0', dest: '10.20.0.0', gw: '0.0.0.0', mask: '255.255.0.0', flags: 1 });
      },
      (s) => {
        s.routes = s.routes.filter((r) => r.dest !== '0.0.0.0');
        s.routes.push({ iface: 'eth0', dest: '0.0.0.0', gw: '192.0.2.254', mask: '0.0.0.0', flags: 3 });
      },
    ]);
    assert.ok(s1 && s2 && s3);
    assert.deepEqual(s1.routes, { added: [], removed: [] });
    assert.equal(s2.routes.removed.length, 0);
    assert.equal(s2.routes.added.length, 1);
    assert.match(s2.routes.added[0]!, /10\.20\.0\.0\/255\.255\.0\.0/);
    // A changed gateway is the old route removed and the new one added.
    assert.equal(s3.routes.added.length, 1);
    assert.equal(s3.routes.removed.length, 1);
    assert.match(s3.routes.added[0]!, /192\.0\.2\.254/);
    assert.match(s3.routes.removed[0]!, /192\.0\.2\.1\|/);
  });
});

// --- mark -----------------------------------------------------------------------------

describe('mark', () => {
  it('sinceMark restarts from the mark', async () => {
    const fx = fixture();
    let sampler: Sampler | null = null;
    const samples = await runScript(
      fx,
      [
        (s) => {
          s.tcp['RetransSegs'] = 150;
        },
        (s) => {
          s.tcp['RetransSegs'] = 170;
        },
        (s) => {
          s.tcp['RetransSegs'] = 200;
        },
      ],
      {
        onSample: (s, sm) => {
          sampler = sm;
          if (s.seq === 2) sm.mark();
        },
      },
    );
    assert.ok(sampler);
    const since = samples.map((s) => stat(s, 'Tcp.RetransSegs').sinceMark);
    assert.deepEqual(since, [0, 50, 20, 50]);
    assert.deepEqual(
      samples.map((s) => s.mark.reason),
      ['start', 'start', 'mark', 'mark'],
    );
    assert.equal(samples[2]!.mark.at, samples[1]!.mono, 'the mark refers to the sample it was taken at');
    // Deltas are not affected by the mark.
    assert.deepEqual(
      samples.map((s) => stat(s, 'Tcp.RetransSegs').delta),
      [null, 50, 20, 30],
    );
  });

  it('raw samples carry what a recording needs', async () => {
    const fx = fixture();
    const fc = new FakeClock(true);
    const raws: RawSample[] = [];
    const sampler = new Sampler(kernelFs(fx.root), fc.clock, { intervalMs: 1000, want: WANT }, (_s, raw) => {
      raws.push(raw);
    });
    await sampler.run(2);
    assert.equal(raws.length, 2);
    assert.equal(raws[1]!.mono - raws[0]!.mono, 1000);
    assert.equal(raws[0]!.boot.bootId, '11111111-2222-3333-4444-555555555555');
    assert.equal(raws[0]!.boot.bootTime, 1_699_999_000);
    assert.ok(raws[0]!.snapshot.counters);
  });
});
