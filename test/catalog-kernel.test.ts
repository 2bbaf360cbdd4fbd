// The catalog's claims about what the kernel counts, measured on the real kernel in network
// namespaces the tests create. Each test provokes one situation, reads the counters, and
// checks that the catalog's entry says what was measured (and names this test as its source).
import { counterNumber } from '../src/model/counter-value.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { counterFact, type CounterFact } from '../src/catalog/index.js';
import { parseSnmp } from '../src/sources/snmp.js';
import { explainColumn } from '../src/dashboard/explain/index.js';
import { linkVeth, mustRun, Netns, readyLine } from './helpers/netns.js';
import { prereq } from './helpers/prereq.js';

const helper = (name: string): string => fileURLToPath(new URL(`./helpers/${name}.js`, import.meta.url));
const PROBES = helper('tcp-probes');
const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));
const UDP_SEND = helper('udp-send');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** 'Group.Name' → value from the namespace's /proc/net/snmp. */
async function snmp(ns: Netns): Promise<Map<string, number>> {
  const { stdout } = await ns.exec('cat', ['/proc/net/snmp']);
  const out = new Map<string, number>();
  for (const [g, names] of Object.entries(parseSnmp(stdout).value))
    for (const [n, v] of Object.entries(names)) out.set(`${g}.${n}`, counterNumber(v));
  return out;
}

async function sysStat(ns: Netns, dev: string, field: string): Promise<number> {
  const { stdout } = await ns.exec('cat', [`/sys/class/net/${dev}/statistics/${field}`]);
  return Number(stdout.trim());
}

/** Polls until cond holds on the namespace's counters; a generous deadline, never a timing claim. */
async function until(ns: Netns, cond: (c: Map<string, number>) => boolean, what: string): Promise<Map<string, number>> {
  for (let i = 0; i < 300; i++) {
    const c = await snmp(ns);
    if (cond(c)) return c;
    await sleep(100);
  }
  throw new Error(`gave up waiting for ${what}`);
}

function fact(key: string): CounterFact {
  const f = counterFact(key);
  assert.ok(f, key);
  return f;
}

const d = (a: Map<string, number>, b: Map<string, number>, k: string): number => (b.get(k) ?? 0) - (a.get(k) ?? 0);

test('Ip.ReasmTimeout counts reassemblies abandoned after ipfrag_time; it is a counter, not the setting', async (t) => {
  if (!prereq(t, ['root', 'netns', 'iptables'])) return;
  const a = await Netns.create('frag-a');
  const b = await Netns.create('frag-b');
  try {
    await linkVeth(a, b, '10.77.0.1/24', '10.77.0.2/24');
    await b.exec('sysctl', ['-qw', 'net.ipv4.ipfrag_time=1']);
    // Only the first fragment of each datagram reaches B's reassembly queue.
    await b.exec('iptables', ['-t', 'raw', '-A', 'PREROUTING', '-f', '-j', 'DROP']);
    const before = await snmp(b);
    const sent = await a.exec('node', [
      '-e',
      "const s=require('dgram').createSocket('udp4');s.send(Buffer.alloc(3000,1),9,'10.77.0.2',()=>s.close())",
    ]);
    assert.equal(sent.code, 0, sent.stderr);
    const after = await until(b, (c) => d(before, c, 'Ip.ReasmTimeout') >= 1, 'Ip.ReasmTimeout');
    assert.equal(d(before, after, 'Ip.ReasmTimeout'), 1, 'one datagram timed out');
    assert.ok(d(before, after, 'Ip.ReasmFails') >= 1, 'a timeout is also a reassembly failure');
    assert.equal(d(before, after, 'Ip.ReasmOKs'), 0);
    assert.ok(d(before, after, 'IcmpMsg.OutType11') >= 1, 'a time exceeded went back to the sender');
    const f = fact('Ip.ReasmTimeout');
    assert.equal(f.kind, 'counter');
    assert.equal(f.problem, true);
    assert.match(f.meaning, /ipfrag_time/);
    assert.doesNotMatch(f.meaning, /A setting/);
    assert.match(f.source, /catalog-kernel\.test/);
  } finally {
    await a.destroy();
    await b.destroy();
  }
});

test('Tcp.OutSegs leaves retransmissions out: a black-holed send retransmits more segments than it sends', async (t) => {
  if (!prereq(t, ['root', 'netns', 'iptables'])) return;
  const ns = await Netns.create('rtx');
  try {
    // Drop the data segment (not the handshake) on its way in, every time it is sent.
    await ns.exec('iptables', ['-A', 'INPUT', '-p', 'tcp', '--dport', '5001', '-m', 'length', '--length', '500:65535', '-j', 'DROP']);
    const r = await readyLine<{ outSegs: number; retransSegs: number }>(ns.spawn('node', [PROBES, 'blackhole', '5001']));
    assert.ok(r.retransSegs >= 3, `retransmitted ${r.retransSegs}`);
    // Were retransmissions part of OutSegs, OutSegs would have grown by at least as much.
    assert.ok(r.outSegs < r.retransSegs, `OutSegs +${r.outSegs}, RetransSegs +${r.retransSegs}`);
    assert.match(fact('Tcp.OutSegs').meaning, /not counted/);
    assert.match(fact('derived.tcp.retransPct').meaning, /exceed 100/);
  } finally {
    await ns.destroy();
  }
});

test('Tcp.CurrEstab counts CLOSE_WAIT on this kernel, as the catalog says for Linux 6.10 and later', async (t) => {
  if (!prereq(t, ['root', 'netns'])) return;
  const [major = 0, minor = 0] = (await mustRun('uname', ['-r'])).split(/[.-]/).map(Number);
  const ns = await Netns.create('estab');
  try {
    const r = await readyLine<{ established: number; closeWait: number }>(ns.spawn('node', [PROBES, 'close-wait']));
    assert.equal(r.established, 2, 'both ends of the loopback connection are ESTABLISHED');
    // After the server's FIN: the server end is in FIN_WAIT2, the client end in CLOSE_WAIT.
    const newKernel = major > 6 || (major === 6 && minor >= 10);
    assert.equal(r.closeWait, newKernel ? 1 : 0, `CurrEstab with one end in CLOSE_WAIT on ${major}.${minor}`);
    const f = fact('Tcp.CurrEstab');
    assert.equal(f.kind, 'gauge');
    assert.match(f.meaning, /CLOSE_WAIT/);
    assert.match(f.meaning, /6\.10/);
  } finally {
    await ns.destroy();
  }
});

test('TcpExt.TW counts sockets as they enter TIME_WAIT, not as they leave it', async (t) => {
  if (!prereq(t, ['root', 'netns', 'ss'])) return;
  const ns = await Netns.create('tw');
  try {
    const r = await readyLine<{ tw: number }>(ns.spawn('node', [PROBES, 'time-wait']));
    assert.equal(r.tw, 1, 'counted once the close handshake is done');
    const { stdout } = await ns.exec('ss', ['-Htan', 'state', 'time-wait']);
    assert.equal(
      stdout
        .trim()
        .split('\n')
        .filter((l) => l.trim() !== '').length,
      1,
      'while the socket is still in TIME_WAIT',
    );
    assert.match(fact('TcpExt.TW').meaning, /enter/);
    assert.doesNotMatch(fact('TcpExt.TW').meaning, /finished their waiting/);
  } finally {
    await ns.destroy();
  }
});

test('TcpExt.ListenOverflows counts every SYN a full accept queue turns away, retries included; ListenDrops counts them too', async (t) => {
  if (!prereq(t, ['root', 'netns'])) return;
  const ns = await Netns.create('lq');
  try {
    // listen(1) and never accept: the accept queue holds two, a third client is turned away.
    const listener = ns.spawn('perl', [
      '-e',
      'use Socket; socket(my $s, PF_INET, SOCK_STREAM, 0) or die; ' +
        'bind($s, pack_sockaddr_in(5003, inet_aton("127.0.0.1"))) or die; listen($s, 1) or die; $| = 1; print "{\\"ready\\":true}\\n"; sleep 60',
    ]);
    await readyLine(listener);
    const netstat = async (): Promise<Record<string, number>> =>
      Object.fromEntries(
        Object.entries(parseSnmp((await ns.exec('cat', ['/proc/net/netstat'])).stdout).value['TcpExt'] ?? {}).map(([k, v]) => [
          k,
          counterNumber(v),
        ]),
      );
    const before = await netstat();
    ns.spawn('node', [
      '-e',
      "const net=require('net');const c=()=>net.connect(5003,'127.0.0.1').on('error',()=>{});" +
        'c();c();setTimeout(c,300);setInterval(()=>{},1e6)',
    ]);
    let after = before;
    for (let i = 0; i < 300 && (after['ListenOverflows'] ?? 0) - (before['ListenOverflows'] ?? 0) < 2; i++) {
      await sleep(100);
      after = await netstat();
    }
    const overflows = (after['ListenOverflows'] ?? 0) - (before['ListenOverflows'] ?? 0);
    const drops = (after['ListenDrops'] ?? 0) - (before['ListenDrops'] ?? 0);
    assert.ok(overflows >= 2, `one client over the limit, counted on each SYN it sent: ${overflows}`);
    assert.ok(drops >= overflows, `ListenDrops ${drops} includes the overflows ${overflows}`);
    assert.match(fact('TcpExt.ListenOverflows').meaning, /SYN/);
    assert.match(fact('TcpExt.ListenOverflows').meaning, /retr/);
  } finally {
    await ns.destroy();
  }
});

/** Frames with an EtherType no handler takes (0x88b5, for local experiments), sent raw with
 *  Perl (perl-base is on every Debian) through an AF_PACKET socket. */
async function sendUnknownEtherType(ns: Netns, dev: string, count: number): Promise<void> {
  const idx = (await ns.exec('cat', [`/sys/class/net/${dev}/ifindex`])).stdout.trim();
  const script =
    'socket(my $s, 17, 3, 0) or die "socket: $!"; my ($idx, $n) = @ARGV; ' +
    'my $sll = pack("S n i S C C a8", 17, 0x88b5, $idx, 0, 0, 6, "\\xff" x 6); ' +
    'my $f = ("\\xff" x 6) . "\\x02\\x00\\x00\\x00\\x00\\x01" . pack("n", 0x88b5) . ("x" x 50); ' +
    'for (1 .. $n) { send($s, $f, 0, $sll) or die "send: $!" }';
  const r = await ns.exec('perl', ['-e', script, idx, String(count)]);
  assert.equal(r.code, 0, r.stderr);
}

test('RX-DRP counts frames too big for the MTU and unknown EtherTypes, not firewall drops; rx_nohandler counts neither', async (t) => {
  if (!prereq(t, ['root', 'netns', 'iptables'])) return;
  const a = await Netns.create('drp-a');
  const b = await Netns.create('drp-b');
  try {
    await linkVeth(a, b, '10.78.0.1/24', '10.78.0.2/24');
    await b.ip('link', 'set', 'veth-b', 'mtu', '1280');
    const drops = (): Promise<number> => sysStat(b, 'veth-b', 'rx_dropped');
    const nohandler = (): Promise<number> => sysStat(b, 'veth-b', 'rx_nohandler');
    const ping = (size: string): Promise<unknown> =>
      a.exec('ping', ['-c', '3', '-i', '0.2', '-W', '1', '-M', 'dont', '-s', size, '10.78.0.2']);
    await ping('56'); // neighbours resolved, so later drops are the frames themselves
    const d0 = await drops(),
      n0 = await nohandler();
    await ping('1400');
    const d1 = await drops();
    assert.ok(d1 - d0 >= 3, `frames larger than the 1280 MTU: +${d1 - d0}`);
    await sendUnknownEtherType(a, 'veth-a', 5);
    const d2 = await drops();
    assert.equal(d2 - d1, 5, 'five frames of an unknown EtherType');
    assert.equal(await nohandler(), n0, 'rx_nohandler left alone');
    await b.exec('iptables', ['-A', 'INPUT', '-p', 'icmp', '-j', 'DROP']);
    await ping('56');
    assert.equal(await drops(), d2, 'a firewall drop is not RX-DRP');
    // The Windows -e mapping: the unknown EtherTypes are among the Discards, not Unknown protocols.
    const eth = await b.exec('node', [CLI, '--ethernet']);
    assert.equal(eth.code, 0, eth.stderr);
    assert.match(eth.stdout, new RegExp(`^Discards +${d2} `, 'm'));
    assert.match(eth.stdout, /^Unknown protocols +0$/m);

    const drp = fact('if.veth-b.rxDrop');
    assert.match(drp.meaning, /MTU/);
    assert.match(drp.meaning, /EtherType/);
    assert.match(drp.meaning, /firewall/i);
    const noh = fact('if.veth-b.rxNohandler');
    assert.match(noh.meaning, /bond/);
    assert.match(noh.meaning, /not .*unknown EtherType|unknown EtherTypes? .*RX-DRP/);
    assert.match(explainColumn('interfaces', 'RX-DRP')?.meaning ?? '', /EtherType/);
    assert.match(explainColumn('interfaces', 'Unknown protocols')?.meaning ?? '', /rx_nohandler/);
    // A veth reports a speed that is no limit (the Util column shows - past 100 %).
    const speed = (await b.exec('cat', ['/sys/class/net/veth-b/speed'])).stdout.trim();
    assert.match(explainColumn('interfaces', 'Speed')?.meaning ?? '', new RegExp(`veth says ${speed}\\b`));
  } finally {
    await a.destroy();
    await b.destroy();
  }
});

test('a full UDP receive buffer counts in Udp.RcvbufErrors, never in Ip.InDiscards', async (t) => {
  if (!prereq(t, ['root', 'netns'])) return;
  const ns = await Netns.create('rcvbuf');
  try {
    // A socket with the smallest receive buffer that nobody reads.
    const holder = ns.spawn('perl', [
      '-e',
      'use Socket; socket(my $s, PF_INET, SOCK_DGRAM, 0) or die; ' +
        'setsockopt($s, SOL_SOCKET, SO_RCVBUF, 1) or die; bind($s, pack_sockaddr_in(5002, inet_aton("127.0.0.1"))) or die; ' +
        '$| = 1; print "{\\"ready\\":true}\\n"; sleep 60',
    ]);
    await readyLine(holder);
    const before = await snmp(ns);
    const r = await readyLine<{ sent: number }>(ns.spawn('node', [UDP_SEND, '127.0.0.1', '5002', '100', '0']));
    assert.equal(r.sent, 100);
    const after = await until(ns, (c) => d(before, c, 'Udp.RcvbufErrors') > 0, 'Udp.RcvbufErrors');
    assert.ok(d(before, after, 'Udp.RcvbufErrors') > 50, `RcvbufErrors +${d(before, after, 'Udp.RcvbufErrors')}`);
    assert.equal(d(before, after, 'Ip.InDiscards'), 0);
    assert.equal(d(before, after, 'Udp.InErrors'), d(before, after, 'Udp.RcvbufErrors'), 'each also counts in InErrors');
    assert.match(fact('Ip.InDiscards').meaning, /RcvbufErrors/);
  } finally {
    await ns.destroy();
  }
});

test('a packet for another host: Ip.InAddrErrors with forwarding off, IpExt.InNoRoutes with it on and no route', async (t) => {
  if (!prereq(t, ['root', 'netns'])) return;
  const a = await Netns.create('fwd-a');
  const b = await Netns.create('fwd-b');
  try {
    await linkVeth(a, b, '10.81.0.1/24', '10.81.0.2/24');
    await a.ip('route', 'add', '10.99.0.0/24', 'via', '10.81.0.2');
    const ping = (): Promise<unknown> => a.exec('ping', ['-c', '1', '-W', '1', '10.99.0.5']);
    await b.exec('sysctl', ['-qw', 'net.ipv4.conf.all.forwarding=0']);
    let before = await snmp(b);
    await ping();
    let after = await until(b, (c) => d(before, c, 'Ip.InReceives') >= 1, 'the packet');
    assert.equal(d(before, after, 'Ip.InAddrErrors'), 1, 'forwarding off: not ours');
    assert.equal(d(before, after, 'Ip.ForwDatagrams'), 0);
    await b.exec('sysctl', ['-qw', 'net.ipv4.conf.all.forwarding=1']);
    const { stdout } = await b.exec('cat', ['/proc/net/netstat']);
    const noRoutes = (text: string): number => Number(parseSnmp(text).value['IpExt']?.['InNoRoutes'] ?? NaN);
    const n0 = noRoutes(stdout);
    before = await snmp(b);
    await ping();
    after = await until(b, (c) => d(before, c, 'Ip.InReceives') >= 1, 'the packet');
    assert.equal(d(before, after, 'Ip.InAddrErrors'), 0);
    assert.equal(noRoutes((await b.exec('cat', ['/proc/net/netstat'])).stdout) - n0, 1, 'forwarding on, no route');
    assert.match(fact('Ip.InAddrErrors').meaning, /forwarding is off/);
    assert.match(fact('IpExt.InNoRoutes').meaning, /no route/);
  } finally {
    await a.destroy();
    await b.destroy();
  }
});

/** Perl (perl-base) sends raw ICMP from a namespace: an echo request with a wrong checksum,
 *  or a port unreachable quoting a UDP packet sent from dst:qport to src:9. */
async function sendIcmp(ns: Netns, src: string, dst: string, what: 'bad-echo' | 'unreachable', qport = 0): Promise<void> {
  const script =
    'use Socket; my ($src, $dst, $what, $qport) = @ARGV; socket(my $s, PF_INET, SOCK_RAW, 1) or die "socket: $!"; ' +
    'sub csum { my $d = shift; $d .= "\\0" if length($d) % 2; my $sum = 0; $sum += $_ for unpack("n*", $d); ' +
    '$sum = ($sum >> 16) + ($sum & 0xffff) while $sum >> 16; return ~$sum & 0xffff } ' +
    'my $to = pack_sockaddr_in(0, inet_aton($dst)); my $m; ' +
    'if ($what eq "bad-echo") { $m = pack("C C n n n", 8, 0, 0, 0x1234, 1) . "netdash"; substr($m, 2, 2) = pack("n", (csum($m) + 1) & 0xffff); } ' +
    'else { my $inner = pack("C C n n n C C n a4 a4", 0x45, 0, 28, 1, 0, 64, 17, 0, inet_aton($dst), inet_aton($src)) . pack("n n n n", $qport, 9, 8, 0); ' +
    '$m = pack("C C n N", 3, 3, 0, 0) . $inner; substr($m, 2, 2) = pack("n", csum($m)); } ' +
    'send($s, $m, 0, $to) or die "send: $!";';
  const r = await ns.exec('perl', ['-e', script, src, dst, what, String(qport)]);
  assert.equal(r.code, 0, r.stderr);
}

test('Icmp.InErrors counts broken ICMP and reports no socket sent, not the unreachables that reach their socket', async (t) => {
  if (!prereq(t, ['root', 'netns'])) return;
  const a = await Netns.create('icmp-a');
  const b = await Netns.create('icmp-b');
  try {
    await linkVeth(a, b, '10.80.0.1/24', '10.80.0.2/24');
    await a.exec('ping', ['-c', '1', '-W', '2', '10.80.0.2']); // neighbours resolved
    // B's UDP socket on port 40000, whose packets the matched unreachable quotes.
    const holder = b.spawn('perl', [
      '-e',
      'use Socket; socket(my $s, PF_INET, SOCK_DGRAM, 0) or die; ' +
        'bind($s, pack_sockaddr_in(40000, inet_aton("10.80.0.2"))) or die; $| = 1; print "{\\"ready\\":true}\\n"; sleep 60',
    ]);
    await readyLine(holder);
    const step = async (
      what: 'bad-echo' | 'unreachable',
      qport: number,
      done: (c: Map<string, number>, b0: Map<string, number>) => boolean,
    ) => {
      const before = await snmp(b);
      await sendIcmp(a, '10.80.0.1', '10.80.0.2', what, qport);
      const after = await until(b, (c) => done(c, before), what);
      return { errors: d(before, after, 'Icmp.InErrors'), csum: d(before, after, 'Icmp.InCsumErrors') };
    };
    const bad = await step('bad-echo', 0, (c, b0) => d(b0, c, 'Icmp.InCsumErrors') >= 1);
    assert.deepEqual(bad, { errors: 1, csum: 1 }, 'a bad checksum');
    const unreach = (c: Map<string, number>, b0: Map<string, number>): boolean => d(b0, c, 'Icmp.InDestUnreachs') >= 1;
    assert.deepEqual(await step('unreachable', 40000, unreach), { errors: 0, csum: 0 }, 'an unreachable for our socket');
    assert.deepEqual(await step('unreachable', 40001, unreach), { errors: 1, csum: 0 }, 'an unreachable no socket sent');
    const f = fact('Icmp.InErrors');
    assert.match(f.meaning, /no local socket/);
    assert.match(f.meaning, /not counted here/);
  } finally {
    await a.destroy();
    await b.destroy();
  }
});

test('Udp.NoPorts = port unreachables sent + ICMP rate-limited (OutRateLimitGlobal, OutRateLimitHost)', async (t) => {
  if (!prereq(t, ['root', 'netns'])) return;
  const a = await Netns.create('rl-a');
  const b = await Netns.create('rl-b');
  try {
    await linkVeth(a, b, '10.79.0.1/24', '10.79.0.2/24');
    const before = await snmp(b);
    if (!before.has('Icmp.OutRateLimitHost')) {
      t.skip('this kernel has no ICMP rate-limit counters (Linux 6.0 added them)');
      return;
    }
    const r = await readyLine<{ sent: number }>(a.spawn('node', [UDP_SEND, '10.79.0.2', '9', '60', '0']));
    assert.equal(r.sent, 60);
    const after = await until(b, (c) => d(before, c, 'Udp.NoPorts') >= 60, 'Udp.NoPorts');
    const unreach = d(before, after, 'Icmp.OutDestUnreachs');
    const limited = d(before, after, 'Icmp.OutRateLimitGlobal') + d(before, after, 'Icmp.OutRateLimitHost');
    assert.equal(d(before, after, 'Udp.NoPorts'), 60);
    assert.equal(unreach + limited, 60, `${unreach} unreachables sent, ${limited} rate-limited`);
    assert.ok(d(before, after, 'Icmp.OutRateLimitHost') > 0, 'the per-host limit held some back');
    for (const k of ['Icmp.OutRateLimitGlobal', 'Icmp.OutRateLimitHost']) assert.equal(fact(k).problem, true, k);
    assert.match(fact('Udp.NoPorts').meaning, /OutRateLimit/);
  } finally {
    await a.destroy();
    await b.destroy();
  }
});
