// Per-connection TCP internals on the real kernel (issue 13): struct tcp_info from sock_diag
// against `ss -tin` taken just before and after, in a network namespace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InetSocket, SourceResult } from '../src/model.js';
import { tcpInfoLine } from '../src/print/tcp-info-text.js';
import { Netns, readyLine } from './helpers/netns.js';
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
  let compared = 0, tokens = 0;
  for (const s of rows) {
    const key = `${ssEndpoint(s.localAddr, s.localPort)} ${ssEndpoint(s.remoteAddr, s.remotePort)}`;
    const b = before.get(key), a = after.get(key);
    if (!b || !a) continue;
    assert.ok(s.tcpInfo, `${key}: no tcp_info`);
    const ours = ourTokens(s);
    for (const [k, v] of Object.entries(ours)) {
      if (CLOCKS.has(k)) {
        const lo = Number(b[k] ?? 0), hi = Number(a[k] ?? Infinity);
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

interface Probe { before: string; after: string; both: { tcp: SourceResult<InetSocket[]>; tcp6: SourceResult<InetSocket[]> } | null }

test('tcp_info from sock_diag matches ss -tin taken before and after, field for field (tcp and tcp6), with cookies', { timeout: 60_000 }, async (t) => {
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
});

/** ss's key "[::1]:80 [::1]:5" as netstat -n prints the endpoints: "::1:80 ::1:5". */
function netstatKey(ssKey: string): string {
  return ssKey.replace(/\[([^\]]*)\]/g, '$1');
}

test('netdash --print -tn --info: the ss -tin internals under each connection line, equal to ss before and after', { timeout: 60_000 }, async (t) => {
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
  const b = parseSsInfo(before.stdout), a = parseSsInfo(after.stdout);
  const printed = parseSsInfo(ours.stdout);
  assert.equal([...printed.values()].filter((r) => Object.keys(r).length > 0).length, 12, 'three connections each family, both ends, each with its internals');
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
      if (!SS_ONLY.has(k) && !k.startsWith('bbr') && !CLOCKS.has(k) && aRec[k] === v) assert.ok(k in mine, `${ssKey}: ss prints ${k}, netdash does not`);
    }
  }
  assert.ok(tokens >= 12 * 15, `${tokens} tokens`);
  // The /proc fallback: the same lines with '-' under them, and one note on stderr.
  const proc = await ns.exec(process.execPath, [cli, '--print', '-tn', '--info'], { env: { ...process.env, NETDASH_INET_SOURCE: 'proc' } });
  assert.equal(proc.code, 0);
  assert.equal(proc.stdout.split('\n').filter((l) => l === '\t-').length, 12);
  assert.match(proc.stderr, /no tcp_info/);
  // --info belongs to the connection list.
  const bad = await ns.exec(process.execPath, [cli, '--print', '-s', '--info']);
  assert.equal(bad.code, 2);
  assert.equal(bad.stderr.trim().split('\n').length, 1);
});
