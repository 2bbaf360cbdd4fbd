// Per-connection TCP internals on the real kernel (issue 13): struct tcp_info from sock_diag
// against `ss -tin` taken just before and after, in a network namespace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InetSocket, SourceResult } from '../src/model.js';
import { tcpInfoLine } from '../src/print/tcp-info-text.js';
import { linkVeth, Netns, readyLine } from './helpers/netns.js';
import { Lines } from './helpers/lines.js';
import { prereq } from './helpers/prereq.js';
import { parseSsInfo, type SsInfo } from './helpers/ss-info.js';

const DIST = fileURLToPath(new URL('../', import.meta.url));

/** ss's address:port: IPv6 in brackets. */
export function ssEndpoint(addr: string, port: number): string {
  return addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`;
}

/** Our tokens for one socket, as ss's parser reads them. */
function ourTokens(s: InetSocket): Record<string, string> {
  const key = `${ssEndpoint(s.localAddr, s.localPort)} ${ssEndpoint(s.remoteAddr, s.remotePort)}`;
  return parseSsInfo(`State\nESTAB 0 0 ${key}\n${tcpInfoLine(s.tcpInfo)}\n`).get(key) ?? {};
}

/** Times since the last packet grow between the readings: ours lies between ss's. */
const CLOCKS = new Set(['lastsnd', 'lastrcv', 'lastack']);
/** What ss prints that netdash leaves out (needs other attributes, or ss computes it). */
const SS_ONLY = new Set(['send', 'cubic', 'bbr', 'reno', 'dctcp', 'ts', 'sack', 'ecn', 'ecnseen', 'fastopen', 'rcv_wnd']);

/**
 * Every token of ours equals ss's when ss printed the same before and after; a clock lies
 * between the two; and every token ss printed the same both times is one of ours.
 */
export function compareWithSs(rows: readonly InetSocket[], before: SsInfo, after: SsInfo): { connections: number; tokens: number } {
  let compared = 0,
    tokens = 0;
  for (const s of rows) {
    const key = `${ssEndpoint(s.localAddr, s.localPort)} ${ssEndpoint(s.remoteAddr, s.remotePort)}`;
    const b = before.get(key),
      a = after.get(key);
    if (!b || !a) continue;
    assert.ok(s.tcpInfo, `${key}: no tcp_info`);
    const ours = ourTokens(s);
    for (const [k, v] of Object.entries(ours)) {
      if (CLOCKS.has(k)) {
        const lo = Number(b[k] ?? 0),
          hi = Number(a[k] ?? Infinity);
        assert.ok(Number(v) >= lo && Number(v) <= hi, `${key} ${k}: ${v} not in [${lo}, ${hi}]`);
      } else if (b[k] === a[k]) assert.equal(v, b[k], `${key} ${k}`);
      else continue;
      tokens++;
    }
    for (const [k, v] of Object.entries(b)) {
      if (SS_ONLY.has(k) || k.startsWith('bbr') || CLOCKS.has(k) || a[k] !== v) continue;
      assert.ok(k in ours, `${key}: ss prints ${k}:${v}, netdash does not`);
    }
    compared++;
  }
  return { connections: compared, tokens };
}

interface Probe {
  before: string;
  after: string;
  both: { tcp: SourceResult<InetSocket[]>; tcp6: SourceResult<InetSocket[]> } | null;
}

test(
  'tcp_info from sock_diag matches ss -tin taken before and after, field for field (tcp and tcp6), with cookies',
  { timeout: 60_000 },
  async (t) => {
    if (!prereq(t, ['root', 'netns', 'ss'])) return;
    const ns = await Netns.create('tcpi');
    t.after(() => ns.destroy());
    const world = ns.spawn(process.execPath, [path.join(DIST, 'test/helpers/tcp-idle-world.js'), '4']);
    await readyLine(world);
    const r = await ns.exec(process.execPath, [path.join(DIST, 'test/helpers/tcp-info-probe.js')]);
    assert.equal(r.code, 0, r.stderr);
    const probe = JSON.parse(r.stdout) as Probe;
    assert.ok(probe.both, 'the both-families dump with tcp_info failed');
    assert.ok(probe.both.tcp.ok && probe.both.tcp6.ok);
    const rows = [...probe.both.tcp.value, ...probe.both.tcp6.value];
    const established = rows.filter((s) => s.state === 1);
    assert.equal(established.length, 16, 'four connections each family, both ends');
    for (const s of rows) {
      assert.ok(s.tcpInfo && s.tcpInfo.length >= 232, `tcp_info of ${s.localPort}: ${s.tcpInfo?.length}`);
      assert.match(s.cookie ?? '', /^\d+$/);
      assert.equal(s.tcpInfo.state, s.state);
      assert.ok(s.mem?.rcvbuf !== undefined && s.mem.rcvbuf > 0);
    }
    assert.equal(new Set(rows.map((s) => s.cookie)).size, rows.length, 'every socket its own cookie');
    const compared = compareWithSs(established, parseSsInfo(probe.before), parseSsInfo(probe.after));
    assert.equal(compared.connections, 16);
    assert.ok(compared.tokens >= 16 * 15, `only ${compared.tokens} tokens compared`);
    t.diagnostic(`${compared.tokens} ss tokens compared`);
    // A sender's bytes_acked counts its SYN too: one more than the bytes it wrote.
    assert.ok(established.some((s) => (s.tcpInfo?.bytesAcked ?? 0) > 0 && s.tcpInfo?.bytesAcked === (s.tcpInfo?.bytesSent ?? 0) + 1));
  },
);

/** ss's key "[::1]:80 [::1]:5" as netstat -n prints the endpoints: "::1:80 ::1:5". */
function netstatKey(ssKey: string): string {
  return ssKey.replace(/\[([^\]]*)\]/g, '$1');
}

test(
  'netdash --print -tn --info: the ss -tin internals under each connection line, equal to ss before and after',
  { timeout: 60_000 },
  async (t) => {
    if (!prereq(t, ['root', 'netns', 'ss'])) return;
    const ns = await Netns.create('tcpip');
    t.after(() => ns.destroy());
    const world = ns.spawn(process.execPath, [path.join(DIST, 'test/helpers/tcp-idle-world.js'), '3']);
    await readyLine(world);
    const cli = path.join(DIST, 'src/cli.js');
    const before = await ns.exec('ss', ['-tin']);
    const ours = await ns.exec(process.execPath, [cli, '--print', '-tn', '--info']);
    const after = await ns.exec('ss', ['-tin']);
    assert.equal(ours.code, 0, ours.stderr);
    assert.equal(ours.stderr, '');
    const b = parseSsInfo(before.stdout),
      a = parseSsInfo(after.stdout);
    const printed = parseSsInfo(ours.stdout);
    assert.equal(
      [...printed.values()].filter((r) => Object.keys(r).length > 0).length,
      12,
      'three connections each family, both ends, each with its internals',
    );
    let tokens = 0;
    for (const [ssKey, bRec] of b) {
      const aRec = a.get(ssKey)!;
      const mine = printed.get(netstatKey(ssKey));
      assert.ok(mine, `netdash printed no row for ${ssKey}`);
      for (const [k, v] of Object.entries(mine)) {
        if (CLOCKS.has(k)) {
          assert.ok(Number(v) >= Number(bRec[k] ?? 0) && Number(v) <= Number(aRec[k] ?? Infinity), `${ssKey} ${k}`);
        } else if (bRec[k] === aRec[k]) assert.equal(v, bRec[k], `${ssKey} ${k}`);
        tokens++;
      }
      for (const [k, v] of Object.entries(bRec)) {
        if (!SS_ONLY.has(k) && !k.startsWith('bbr') && !CLOCKS.has(k) && aRec[k] === v)
          assert.ok(k in mine, `${ssKey}: ss prints ${k}, netdash does not`);
      }
    }
    assert.ok(tokens >= 12 * 15, `${tokens} tokens`);
    // The /proc fallback: the same lines with '-' under them, and one note on stderr.
    const proc = await ns.exec(process.execPath, [cli, '--print', '-tn', '--info'], {
      env: { ...process.env, NETDASH_INET_SOURCE: 'proc' },
    });
    assert.equal(proc.code, 0);
    assert.equal(proc.stdout.split('\n').filter((l) => l === '\t-').length, 12);
    assert.match(proc.stderr, /no tcp_info/);
    // --info belongs to the connection list.
    const bad = await ns.exec(process.execPath, [cli, '--print', '-s', '--info']);
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr.trim().split('\n').length, 1);
  },
);

interface FlowJson {
  delta: number | null;
  rate: number | null;
  sinceMark: number | null;
}
interface ConnJson {
  proto: string;
  local: { address: string; port: number };
  remote: { address: string; port: number };
  pid?: number;
  cookie?: string;
  tcpInfo?: { bytesAcked?: number };
  flow?: Record<string, FlowJson> & { opened: boolean };
}
interface AggJson {
  pid?: number;
  address?: string;
  connections: number;
  tcp: number;
  retrans: number | null;
  retransSinceMark: number | null;
  txSinceMark: number | null;
  members: string[];
}
interface SampleJson {
  seq: number;
  elapsedMs: number | null;
  connections: ConnJson[];
  processes?: AggJson[];
  peers?: AggJson[];
}

test(
  'two flows to two peers, one through random drops: the lossy connection, peer and program lead by retransmits; the clean one has none; totals are the sums of the deltas; bytes_acked adds up to the bytes written',
  { timeout: 120_000 },
  async (t) => {
    if (!prereq(t, ['root', 'netns', 'iptables'])) return;
    const cli = await Netns.create('flc');
    const p1 = await Netns.create('flp1');
    const p2 = await Netns.create('flp2');
    t.after(async () => {
      await cli.destroy();
      await p1.destroy();
      await p2.destroy();
    });
    await linkVeth(cli, p1, '10.71.1.1/24', '10.71.1.2/24', ['veth-p1', 'veth-c']);
    await linkVeth(cli, p2, '10.71.2.1/24', '10.71.2.2/24', ['veth-p2', 'veth-c']);
    // The receiver p1 drops a tenth of what arrives for its sink: the sender retransmits.
    await p1.exec('iptables', [
      '-A',
      'INPUT',
      '-p',
      'tcp',
      '--dport',
      '7000',
      '-m',
      'statistic',
      '--mode',
      'random',
      '--probability',
      '0.1',
      '-j',
      'DROP',
    ]);
    for (const p of [p1, p2]) await readyLine(p.spawn(process.execPath, [path.join(DIST, 'test/helpers/tcp-sink.js'), '0.0.0.0', '7000']));
    const dash = cli.spawn(process.execPath, [path.join(DIST, 'src/cli.js'), '--json', '-tnp', '--info', '0.5']);
    const lineOut = new Lines(dash);
    let read = 0;
    const out = {
      next: async (): Promise<string> => {
        await lineOut.count(read + 1);
        return lineOut.lines[read++]!;
      },
    };
    const first = JSON.parse(await out.next()) as SampleJson;
    assert.equal(first.elapsedMs, null);
    const BYTES = 3_000_000;
    // Each sender holds its connection open 3 s after the last write: through 10% loss the last
    // bytes are acknowledged then, while the socket still has tcp_info (after the FIN it soon
    // goes to TIME_WAIT, which has none, and what was acked meanwhile is never seen).
    const send = (to: string): ReturnType<typeof cli.spawn> =>
      cli.spawn(process.execPath, [path.join(DIST, 'test/helpers/tcp-source.js'), to, '7000', String(BYTES), '3000', '3000']);
    const lossy = send('10.71.1.2');
    const clean = send('10.71.2.2');
    const done = Promise.all([readyLine<{ sent: number }>(lossy), readyLine<{ sent: number }>(clean)]);
    let finished = false;
    void done.then(() => {
      finished = true;
    });
    const samples: SampleJson[] = [];
    // Samples until both senders are done and the kernel has delivered what they wrote: no
    // connection to a sink left with tcp_info (an orphan keeps retransmitting after its program
    // exits, until TIME_WAIT), and one more. Bounded: 240 samples are two minutes.
    for (let extra = 0; extra < 1 && samples.length < 240;) {
      const s = JSON.parse(await out.next()) as SampleJson;
      samples.push(s);
      if (finished && !s.connections.some((c) => c.remote.port === 7000 && c.tcpInfo)) extra++;
    }
    const [sentLossy, sentClean] = await done;
    assert.equal(sentLossy.sent, BYTES);
    assert.equal(sentClean.sent, BYTES);
    // Each connection (by cookie) across the samples.
    const byCookie = new Map<string, { conn: ConnJson; deltas: Record<string, number>; last: ConnJson; perTick: number }>();
    for (const s of samples) {
      for (const c of s.connections) {
        if (c.proto !== 'tcp' || c.remote.port !== 7000 || !c.flow || !c.cookie) continue;
        let e = byCookie.get(c.cookie);
        if (!e) byCookie.set(c.cookie, (e = { conn: c, deltas: {}, last: c, perTick: 0 }));
        e.last = c;
        for (const [k, v] of Object.entries(c.flow))
          if (typeof v === 'object' && v.delta !== null) e.deltas[k] = (e.deltas[k] ?? 0) + v.delta;
        e.perTick = Math.max(e.perTick, c.flow['bytesAcked']?.delta ?? 0);
      }
    }
    const conns = [...byCookie.values()];
    assert.equal(conns.length, 2, 'one connection to each peer');
    const toP1 = conns.find((e) => e.conn.remote.address === '10.71.1.2')!;
    const toP2 = conns.find((e) => e.conn.remote.address === '10.71.2.2')!;
    for (const e of conns) {
      assert.equal(e.conn.flow!.opened, true, 'opened after the first sample: counted from 0');
      // The total since the start is the sum of the deltas, field by field.
      for (const [k, v] of Object.entries(e.last.flow!))
        if (typeof v === 'object') assert.equal(v.sinceMark, e.deltas[k] ?? 0, `${e.conn.remote.address} ${k}`);
      // bytes_acked counts the SYN too; the last sample with the socket may be one tick early.
      const acked = e.deltas['bytesAcked']!;
      assert.ok(
        acked <= BYTES + 2 && acked >= BYTES - e.perTick,
        `${e.conn.remote.address}: bytes_acked ${acked} for ${BYTES} written (a tick: ${e.perTick})`,
      );
    }
    assert.ok(toP1.deltas['totalRetrans']! > 0, 'the lossy flow retransmits');
    assert.equal(toP2.deltas['totalRetrans'] ?? 0, 0, 'the clean flow does not');
    // In the sample where the lossy flow had retransmitted most (both flows still in it), sorted by
    // retransmits since the start: its program and its peer come first.
    // (Both senders still running and owning their sockets: an orphan has no program.)
    const both = samples.filter(
      (s) => s.connections.filter((c) => c.remote.port === 7000 && c.flow && (c.pid === lossy.pid || c.pid === clean.pid)).length === 2,
    );
    assert.ok(both.length > 0);
    const worst = both.reduce((a, b) =>
      (b.peers?.find((p) => p.address === '10.71.1.2')?.retransSinceMark ?? 0) >
      (a.peers?.find((p) => p.address === '10.71.1.2')?.retransSinceMark ?? 0)
        ? b
        : a,
    );
    const byRetrans = (xs: AggJson[]): AggJson[] => [...xs].sort((a, b) => (b.retransSinceMark ?? -1) - (a.retransSinceMark ?? -1));
    assert.equal(byRetrans(worst.peers ?? [])[0]?.address, '10.71.1.2');
    assert.equal(byRetrans(worst.processes ?? [])[0]?.pid, lossy.pid);
    assert.equal(worst.peers?.find((p) => p.address === '10.71.2.2')?.retransSinceMark, 0);
    assert.equal(worst.processes?.find((p) => p.pid === clean.pid)?.retransSinceMark, 0);
    dash.kill('SIGTERM');
  },
);

test('a listener and 1,000 short connections: per-process socket counts equal ss -tanp grouped by pid', { timeout: 120_000 }, async (t) => {
  if (!prereq(t, ['root', 'netns', 'ss'])) return;
  const ns = await Netns.create('flpid');
  t.after(() => ns.destroy());
  const sink = ns.spawn(process.execPath, [path.join(DIST, 'test/helpers/tcp-sink.js'), '127.0.0.1', '7001']);
  await readyLine(sink);
  const many = ns.spawn(process.execPath, [path.join(DIST, 'test/helpers/tcp-many.js'), '127.0.0.1', '7001', '1000', '25']);
  await readyLine(many);
  const count = async (): Promise<Map<number, number>> => {
    const ss = await ns.exec('ss', ['-tanp']);
    const m = new Map<number, number>();
    for (const line of ss.stdout.split('\n'))
      for (const u of line.matchAll(/pid=(\d+)/g)) m.set(Number(u[1]), (m.get(Number(u[1])) ?? 0) + 1);
    return m;
  };
  // The short connections' last states (FIN_WAIT, LAST_ACK) settle: the same counts twice.
  let before = await count(),
    after: Map<number, number>,
    doc: SampleJson;
  for (let attempt = 0; ; attempt++) {
    const r = await ns.exec(process.execPath, [path.join(DIST, 'src/cli.js'), '--json', '-tanp', '--info', '--count', '1', '0.2']);
    assert.equal(r.code, 0, r.stderr);
    doc = JSON.parse(r.stdout) as SampleJson;
    after = await count();
    if (JSON.stringify([...before].sort()) === JSON.stringify([...after].sort()) || attempt === 9) break;
    before = after;
  }
  assert.deepEqual(new Map([...after].sort()), new Map([...before].sort()), 'ss -tanp did not settle');
  const ours = new Map((doc.processes ?? []).map((p) => [p.pid!, p.connections]));
  assert.deepEqual(new Map([...ours].sort()), new Map([...after].sort()));
  assert.equal(ours.get(many.pid!), 25);
  assert.equal(ours.get(sink.pid!), 26, 'the listener and the 25 accepted connections');
});

test('a recording with tcp_info (read lazily from its netlink message) replays the same flows, and an unchanged row is a copy, not rewritten', async (t) => {
  const { mkdtempSync, readFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { Recorder, readRecording, RECORD_SCHEMA } = await import('../src/sampler/recording.js');
  const { SampleEngine } = await import('../src/sampler/sample-engine.js');
  const { parseTcpInfo } = await import('../src/sources/tcp-info.js');
  const dir = mkdtempSync(path.join(tmpdir(), 'netdash-tcpinfo-rec-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'rec.ndjson');
  /** A row whose tcp_info lies in a chunk of its own at some offset, as netlink hands chunks over. */
  let at = 0;
  const row = (port: number, received: number, retrans: number): InetSocket => {
    const off = 8 * (at++ % 5);
    const b = Buffer.alloc(off + 300);
    b[off] = 1;
    b.writeUInt32LE(retrans, off + 100);
    b.writeUInt32LE(received, off + 128);
    return {
      proto: 'tcp',
      family: 4,
      localAddr: '10.0.0.1',
      localPort: port,
      remoteAddr: '10.0.0.2',
      remotePort: 80,
      state: 1,
      sendQ: 0,
      recvQ: 0,
      timer: { kind: 0, expires: 0, retransmits: 0, timeout: 0 },
      uid: 0,
      inode: port,
      cookie: String(port),
      tcpInfo: parseTcpInfo(b, off, 280),
    };
  };
  const ticks = [
    [row(1, 100, 0), row(2, 5, 1)],
    [row(1, 400, 2), row(2, 5, 1)],
    [row(1, 400, 2), row(2, 5, 1)],
    [row(1, 900, 3), row(2, 6, 1)],
  ];
  const raws = ticks.map((rows, i) => ({
    mono: 1000 * (i + 1),
    boot: { bootTime: 1 },
    snapshot: { time: 1000 * (i + 1), inet: { tcp: { ok: true as const, value: rows, skipped: 0 } } },
  }));
  const rec = new Recorder(file, { schema: RECORD_SCHEMA, started: '2024-01-01T00:00:00.000Z', host: 'test', intervalMs: 1000 });
  for (const r of raws) rec.write(r);
  rec.close();
  const back = readRecording(file).samples;
  assert.equal(back.length, raws.length);
  const live = new SampleEngine(),
    replay = new SampleEngine();
  for (let i = 0; i < raws.length; i++) {
    const a = live.ingest(raws[i]!),
      b = replay.ingest(back[i]!);
    const flows = (s: typeof a): unknown => [...(s.flows?.byKey.values() ?? [])].map((f) => [f.key, f.delta, f.sinceMark]);
    assert.deepEqual(flows(b), flows(a), `tick ${i}`);
  }
  // The third tick read the same values into new buffers: its rows are one copy run.
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  const third = lines.find((l) => l.includes('"mono":3000'))!;
  assert.doesNotMatch(third, /tcpInfo/, 'an unchanged tcp_info is not written again');
  assert.match(
    lines.find((l) => l.includes('"mono":2000'))!,
    /"tcpInfo"/,
  );
});
