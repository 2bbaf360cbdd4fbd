// netstat parity leftovers, against the real netstat 2.10 in namespaces this test builds:
// -c with -i, -r and -s (the same absolute table again; -sc once), -C (the routing cache
// headers), -s with UNIX sockets refused, and Windows syntax (-p PROTO, -e -s) on fixtures.
import { after, before, describe, it, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { linkVeth, Netns, run } from './helpers/netns.js';
import { prereq } from './helpers/prereq.js';

const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../../test/fixtures/', import.meta.url));
// Sockets and interfaces of root-basic with the protocol counters of snmp/host.
const FX = mkdtempSync(join(tmpdir(), 'nd-parity-'));
cpSync(join(FIXTURES, 'root-basic'), FX, { recursive: true });
cpSync(join(FIXTURES, 'snmp/host/proc/net'), join(FX, 'proc/net'), { recursive: true });
process.on('exit', () => rmSync(FX, { recursive: true, force: true }));

/** Blocks of a repeated table: split before each line equal to `marker`. */
function blocks(out: string, marker: string): string[] {
  const parts = out.split(new RegExp(`(?=^${marker.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$)`, 'm'));
  return parts.filter((p) => p !== '');
}

describe('netstat -c, -C and -s -x, compared with netstat in a namespace', () => {
  let a: Netns | null = null;
  let b: Netns | null = null;

  before(async () => {
    a = await Netns.create('par-a').catch(() => null);
    b = await Netns.create('par-b').catch(() => null);
    if (!a || !b) return;
    for (const ns of [a, b]) await ns.exec('sysctl', ['-qw', 'net.ipv6.conf.all.accept_dad=0', 'net.ipv6.conf.default.accept_dad=0']);
    await linkVeth(a, b, '10.79.0.1/24', '10.79.0.2/24');
    await a.ip('route', 'add', '10.89.0.0/16', 'via', '10.79.0.2');
    // For -ie: IPv6, a second address, an alias label, a point-to-point tun, a veth that is down.
    await a.ip('addr', 'add', 'fd79::1/64', 'dev', 'veth-a', 'nodad');
    await a.ip('addr', 'add', '10.79.1.1/16', 'brd', '+', 'dev', 'veth-a');
    await a.ip('tuntap', 'add', 'mode', 'tun', 'tun-p2p');
    await a.ip('link', 'set', 'tun-p2p', 'up');
    await a.ip('addr', 'add', '10.66.0.1', 'peer', '10.66.0.2', 'dev', 'tun-p2p');
    await a.ip('link', 'add', 'veth-down', 'type', 'veth', 'peer', 'name', 'veth-down2');
  });
  after(async () => {
    await a?.destroy();
    await b?.destroy();
  });

  function ns(t: TestContext): Netns | null {
    if (!prereq(t, ['root', 'netns', 'netstat'])) return null;
    assert.ok(a, 'namespace was created');
    return a;
  }

  /** netstat with `flags` for about 2.5 s (it repeats every second until killed). */
  async function netstatFor(n: Netns, flags: string[]): Promise<string> {
    const r = await n.exec('timeout', ['2.5', 'netstat', ...flags]);
    assert.equal(r.code, 124, r.stderr);
    return r.stdout;
  }

  it('-ic: the title once, then the same absolute table every second, as netstat -ic', async (t) => {
    const n = ns(t);
    if (!n) return;
    for (let attempt = 0; attempt < 5; attempt++) {
      const theirs = await netstatFor(n, ['-ic']);
      const ours: Awaited<ReturnType<Netns['exec']>> = await n.exec(process.execPath, [CLI, '--print', '-ic', '--count', '3']);
      assert.equal(ours.code, 0, ours.stderr);
      const header = 'Iface             MTU    RX-OK RX-ERR RX-DRP RX-OVR    TX-OK TX-ERR TX-DRP TX-OVR Flg';
      // The veth's counters move on their own (IPv6 neighbour discovery): its row is compared
      // without them, lo's whole.
      const still = (x: string): string => x.replace(/^(veth-a +\d+) .*? (\S+)$/gm, '$1 … $2');
      const tb = blocks(still(theirs), header);
      assert.equal(tb[0], 'Kernel Interface table\n');
      assert.ok(tb.length >= 3, theirs);
      // A counter that moved between the two programs' reads: read again.
      if (new Set(tb.slice(1)).size !== 1) continue;
      assert.equal(still(ours.stdout), tb[0] + (tb[1] ?? '').repeat(3));
      return;
    }
    assert.fail('the interface counters never stood still');
  });

  it('-rnc: the whole routing table again every second, as netstat -rnc', async (t) => {
    const n = ns(t);
    if (!n) return;
    const theirs = await netstatFor(n, ['-rnc']);
    const ours = await n.exec(process.execPath, [CLI, '--print', '-rnc', '--count', '2']);
    assert.equal(ours.code, 0, ours.stderr);
    const tb = blocks(theirs, 'Kernel IP routing table');
    assert.ok(tb.length >= 2);
    assert.equal(ours.stdout, (tb[0] ?? '').repeat(2));
  });

  it('-sc prints once and exits, as netstat -sc', async (t) => {
    const n = ns(t);
    if (!n) return;
    const theirs = await n.exec('timeout', ['5', 'netstat', '-sc']);
    assert.equal(theirs.code, 0, 'netstat -sc exits by itself');
    const ours = await n.exec('timeout', ['5', process.execPath, CLI, '--print', '-sc']);
    assert.equal(ours.code, 0, ours.stderr);
    assert.equal(ours.stdout.split('\n').filter((l) => l === 'Ip:').length, 1);
    // The same sections in the same order as netstat's.
    const titles = (s: string): string[] => s.split('\n').filter((l) => /^\S.*:$/.test(l));
    assert.deepEqual(titles(ours.stdout), titles(theirs.stdout));
  });

  it("a positional interval keeps netdash's own deltas: -i 0.5 prints rates after the first table", async (t) => {
    const n = ns(t);
    if (!n) return;
    const ours = await n.exec(process.execPath, [CLI, '--print', '-i', '0.5', '--count', '2']);
    assert.equal(ours.code, 0, ours.stderr);
    assert.match(ours.stdout, /^Kernel Interface table\n/);
    assert.match(ours.stdout, /Kernel Interface table, per second over/);
  });

  for (const flags of [['-ie'], ['-iee'], ['-iea'], ['-ie', '-a']]) {
    it(`${flags.join(' ')}: the ifconfig-style listing, byte for byte (veth, alias, v4/v6, point-to-point, down)`, async (t) => {
      const n = ns(t);
      if (!n) return;
      // An alias label, for these tests only: netdash -i does not list aliases yet (netstat -i
      // shows them with "no statistics available"), and -ic is compared above.
      await n.ip('addr', 'add', '10.79.7.7/24', 'brd', '+', 'dev', 'veth-a', 'label', 'veth-a:7');
      t.after(() => n.ip('addr', 'del', '10.79.7.7/24', 'dev', 'veth-a'));
      // Counters move on their own (neighbour discovery): it counts when netstat printed the
      // same before and after netdash.
      for (let attempt = 0; attempt < 10; attempt++) {
        const first = await n.exec('netstat', flags);
        const ours: Awaited<ReturnType<Netns['exec']>> = await n.exec(process.execPath, [CLI, '--print', ...flags]);
        const second = await n.exec('netstat', flags);
        assert.equal(ours.code, 0, ours.stderr);
        assert.equal(ours.stderr, '');
        if (first.stdout !== second.stdout) continue;
        assert.equal(ours.stdout, first.stdout);
        // What the namespace holds really is in it.
        for (const x of [
          'veth-a: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500',
          'inet 10.79.0.1  netmask 255.255.255.0  broadcast 0.0.0.0',
          'inet6 fd79::1  prefixlen 64  scopeid 0x0<global>',
          'scopeid 0x20<link>',
          'veth-a:7: flags=',
          'inet 10.79.7.7  netmask 255.255.255.0  broadcast 10.79.7.255',
          'inet 10.66.0.1  netmask 255.255.255.255  destination 10.66.0.2',
          '(UNSPEC)',
          'loop  txqueuelen',
        ]) {
          assert.ok(ours.stdout.includes(x), `missing ${x}`);
        }
        assert.equal(ours.stdout.includes('veth-down'), flags.join('').includes('a'));
        return;
      }
      assert.fail('netstat never printed the same listing twice in a row');
    });
  }

  for (const flags of [['-rnC'], ['-rnCe'], ['-rnCee'], ['-rC'], ['-rnC', '-6'], ['-rnC', '-A', 'inet6'], ['-Ctn'], ['-Ctuwn']]) {
    it(`${flags.join(' ')} prints what netstat prints`, async (t) => {
      const n = ns(t);
      if (!n) return;
      const theirs = await n.exec('netstat', flags);
      const ours = await n.exec(process.execPath, [CLI, '--print', ...flags]);
      assert.equal(ours.code, theirs.code, ours.stderr);
      assert.equal(ours.stdout, theirs.stdout);
    });
  }

  for (const flags of [['-s', '-x'], ['-sx'], ['-s', '-A', 'unix'], ['-s', '--unix'], ['-st', '-x']]) {
    it(`${flags.join(' ')} is refused with netstat's message and status`, async (t) => {
      const n = ns(t);
      if (!n) return;
      const theirs = await n.exec('netstat', flags);
      const ours = await n.exec(process.execPath, [CLI, '--print', ...flags]);
      assert.notEqual(theirs.code, 0);
      assert.equal(ours.code, theirs.code);
      assert.equal(ours.stdout, '');
      // The same words; netstat writes them to stdout, netdash to stderr like its other errors.
      assert.equal(ours.stderr.replace(/^netdash: /, ''), (theirs.stdout + theirs.stderr).replace(/^netstat: /, ''));
    });
  }
});

function netdash(args: string[]): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(process.execPath, [CLI, '--root', FX, '--print', '-n', ...args], { encoding: 'utf8' });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

test('Windows -p PROTO selects that protocol (and family), as Windows netstat does', () => {
  const cases: [string[], string[]][] = [
    [
      ['-a', '-p', 'tcp'],
      ['-a', '-t', '-4'],
    ],
    [
      ['-anp', 'tcp'],
      ['-a', '-t', '-4'],
    ],
    [
      ['-a', '-p', 'TCP'],
      ['-a', '-t', '-4'],
    ],
    [
      ['-a', '-p', 'udp'],
      ['-a', '-u', '-4'],
    ],
    [
      ['-a', '-p', 'tcpv6'],
      ['-a', '-t', '-6'],
    ],
    [
      ['-a', '-p', 'udpv6'],
      ['-a', '-u', '-6'],
    ],
    [
      ['-a', '-p', 'icmp'],
      ['-a', '-w', '-4'],
    ],
    [
      ['-s', '-p', 'tcp'],
      ['-s', '-t'],
    ],
    [
      ['-s', '-p', 'udp'],
      ['-s', '-u'],
    ],
    [
      ['-s', '-p', 'ip'],
      ['-s', '-w'],
    ],
  ];
  for (const [win, linux] of cases) {
    const w = netdash(win),
      l = netdash(linux);
    assert.equal(w.status, 0, `${win.join(' ')}: ${w.stderr}`);
    assert.equal(w.stderr, '');
    assert.ok(w.stdout.length > 0);
    assert.equal(w.stdout, l.stdout, `${win.join(' ')} vs ${linux.join(' ')}`);
  }
  // -p alone is still Linux's --programs.
  assert.match(netdash(['-tp']).stdout, /PID\/Program name/);
  assert.ok(!netdash(['-a', '-p', 'tcp']).stdout.includes('PID/Program name'));
});

test('Windows -e -s prints the Ethernet block, then the statistics', () => {
  const both = netdash(['-e', '-s']);
  assert.equal(both.status, 0, both.stderr);
  const eth = netdash(['--ethernet']).stdout;
  const stats = netdash(['-s']).stdout;
  assert.match(eth, /^Interface Statistics\n/);
  assert.equal(both.stdout, eth + '\n' + stats);
  assert.equal(netdash(['--ethernet', '-s']).stdout, both.stdout);
  assert.equal(netdash(['-se']).stdout, both.stdout);
});

test('netstat -C without -r is accepted and changes nothing', () => {
  assert.equal(netdash(['-Cta']).stdout, netdash(['-ta']).stdout);
  void run;
});
