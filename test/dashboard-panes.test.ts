// The panes' rows from the store: ICMP by message type, routes that come and go, NAT flows,
// the problems/all counters views, and the detail view's explanations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseOptions } from '../src/cli/options.js';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sparkline } from '../src/dashboard/lists/interfaces.js';
import { rowLine } from '../src/dashboard/views/common.js';
import { natText } from '../src/dashboard/lists/conntrack.js';
import { LINGER_MS, Store, type Action, type PaneId } from '../src/dashboard/store.js';
import type { ConntrackEntry } from '../src/model.js';
import { estab, Feeder, listen, names, nif, route4 } from './helpers/dashboard-samples.js';

function store(argv: string[] = ['-a']): Store {
  return new Store(parseOptions(argv), { names: names(), host: { name: 'h', kernel: 'k' } });
}
const act = (s: Store, ...as: Action[]): void => {
  for (const a of as) s.dispatch(a);
};
const rows = (s: Store, pane: PaneId, h = 40, w = 120) => s.visibleRows(pane, h, w).rows;

const ICMP1 = {
  Icmp: {
    InMsgs: 10,
    InErrors: 0,
    InDestUnreachs: 2,
    InEchos: 5,
    InEchoReps: 0,
    OutMsgs: 5,
    OutErrors: 0,
    OutDestUnreachs: 0,
    OutEchos: 0,
    OutEchoReps: 5,
    InTimeExcds: 0,
    OutTimeExcds: 0,
  },
  IcmpMsg: { InType3: 2, InType8: 5, OutType0: 5, InType42: 1 },
  Icmp6: {
    InMsgs: 3,
    InErrors: 0,
    OutMsgs: 3,
    InEchos: 3,
    OutEchoReplies: 3,
    InDestUnreachs: 0,
    OutDestUnreachs: 0,
    InType128: 3,
    OutType129: 3,
  },
};
const ICMP2 = {
  ...ICMP1,
  Icmp: { ...ICMP1.Icmp, InMsgs: 14, InDestUnreachs: 6 },
  IcmpMsg: { ...ICMP1.IcmpMsg, InType3: 6 },
};

test('ICMP pane: one row per message type with names, in and out, deltas; trouble types hot', () => {
  const s = store();
  const f = new Feeder();
  s.ingest(f.next({ counters: ICMP1 }));
  s.ingest(f.next({ counters: ICMP2 }));
  act(s, { type: 'cycleCounterMode' }); // deltas
  const r = rows(s, 'icmp');
  const label = (k: string): string => r.find((x) => x.key === k)?.text ?? '';
  assert.match(label('ICMP|8'), /^ICMP echo request \(8\) +5 +0 +0 +0/);
  assert.match(label('ICMP|0'), /^ICMP echo reply \(0\) +0 +0 +5 +0/);
  assert.match(label('ICMP|3'), /^ICMP destination unreachable \(3\) +6 +4 /);
  assert.ok(
    r.find((x) => x.key === 'ICMP|3')?.cells.some((c) => c.hot),
    'unreachables arriving are hot',
  );
  assert.ok(!r.find((x) => x.key === 'ICMP|8')?.cells.some((c) => c.hot), 'echo traffic is not trouble');
  // A type the named counters do not cover comes from IcmpMsg.
  assert.match(label('ICMP|42'), /^ICMP type 42 \(42\) +1 /);
  assert.match(label('ICMPv6|128'), /^ICMPv6 echo request \(128\) +3 /);
  assert.match(label('ICMPv6|129'), /^ICMPv6 echo reply \(129\) +- +- +3 /);
  assert.match(label('ICMP|all'), /^ICMP all messages +14 +4 +5 +0/);
  // Types never seen are left out until e.
  assert.ok(!r.some((x) => x.key === 'ICMP|11'));
  act(s, { type: 'toggle', flag: 'extended' });
  assert.ok(rows(s, 'icmp').some((x) => x.key === 'ICMP|11' && /time exceeded/.test(x.text)));
  // f: IPv4 only, then IPv6 only.
  act(s, { type: 'cycleFamily' });
  assert.ok(rows(s, 'icmp').every((x) => x.key.startsWith('ICMP|')));
  act(s, { type: 'cycleFamily' });
  assert.ok(rows(s, 'icmp').every((x) => x.key.startsWith('ICMPv6|')));
  act(s, { type: 'cycleFamily' });
  assert.deepEqual(s.state.family, { v4: true, v6: true });
  // Sorting by incoming activity puts the moving row first (after the totals it moves too).
  act(s, { type: 'focus', pane: 'icmp' }, { type: 'sortNext' });
  assert.deepEqual(
    rows(s, 'icmp')
      .slice(0, 2)
      .map((x) => x.key)
      .sort(),
    ['ICMP|3', 'ICMP|all'],
  );
});

test('ICMP pane: the InErrors/OutErrors row says what they count; no twin columns in total mode; since-mark mode', () => {
  const s = store();
  const f = new Feeder();
  s.ingest(f.next({ counters: ICMP1 }));
  s.ingest(f.next({ counters: ICMP2 }));
  const r = rows(s, 'icmp');
  const label = (k: string): string => r.find((x) => x.key === k)?.text ?? '';
  assert.match(label('ICMP|errors'), /^ICMP bad or unmatched in, unsent out +0 /);
  assert.ok(!r.some((x) => /ICMP errors/.test(x.text)), 'no row reads as "ICMP errors 0" beside the unreachables');
  act(s, { type: 'cycleCounterMode' }, { type: 'cycleCounterMode' }); // totals
  const totals = s.visibleRows('icmp', 40, 120);
  assert.equal(totals.header.match(/In total/g)?.length, 1);
  assert.doesNotMatch(totals.header, /In +In|total +In\b/);
  const t = (k: string): string => totals.rows.find((x) => x.key === k)?.text ?? '';
  assert.match(t('ICMP|3'), /^ICMP destination unreachable \(3\) +6 +0 *$/, 'in total, out total, nothing twice');
  act(s, { type: 'cycleCounterMode' }); // since the start (no mark yet)
  const since = s.visibleRows('icmp', 40, 120);
  assert.match(since.header, /In since start/);
  assert.match(since.rows.find((x) => x.key === 'ICMP|3')?.text ?? '', /^ICMP destination unreachable \(3\) +6 +4 +0 +0/);
  act(s, { type: 'cycleCounterMode' });
  assert.equal(s.state.counterMode, 'rate', 'd cycles back to rates');
  // The detail shows netstat -s's line beside the kernel's name.
  act(s, { type: 'focus', pane: 'icmp' }, { type: 'filterInput', text: 'unreachable' }, { type: 'toggleDetail' });
  assert.match(s.detailLines(100).join('\n'), /netstat -s +destination unreachable: 6/);
});

test('interfaces pane: since-mark mode, and utilisation past 100 % of a nominal speed shows -', () => {
  const s = store();
  const f = new Feeder();
  const veth = (rx: number, drop: number): ReturnType<typeof nif> => {
    const n = nif('veth0', { rxBytes: rx, rxPackets: rx / 1000, rxDrop: drop });
    return { ...n, sys: { ...n.sys, speed: 10 } };
  };
  s.ingest(f.next({ interfaces: [veth(0, 1)] }));
  s.ingest(f.next({ interfaces: [veth(10_000_000, 4)] })); // 40 Mb/s on a "10 Mb/s" link
  const row = (): string => s.visibleRows('interfaces', 10, 200).rows.find((x) => x.key === 'veth0')?.text ?? '';
  assert.match(row(), / - +\S* +\S+ +1500 /, 'Util shows - rather than 400%');
  assert.doesNotMatch(row(), /400%/);
  act(s, { type: 'cycleCounterMode' }, { type: 'cycleCounterMode' }, { type: 'cycleCounterMode' });
  assert.equal(s.state.counterMode, 'since');
  // RX-OK RX-ERR RX-DRP since the start: 10000 packets, 0 errors, 3 drops.
  assert.match(row(), /^veth0 +10000 +0 +3 /);
  act(s, { type: 'focus', pane: 'interfaces' }, { type: 'toggleDetail' });
  assert.match(s.detailLines(120).join('\n'), /reported speed, so that speed is nominal/);
});

test('closed rows are drawn red, and the README says so', () => {
  const line = rowLine({ key: 'k', text: '-tcp x', cells: [{ text: '-tcp x' }], status: 'closed', dim: false, selected: false }, 20);
  assert.match(line, /^\{red-fg\}/);
  const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
  assert.match(readme, /closed rows red/);
  assert.doesNotMatch(readme, /closed rows gr[ae]y/);
});

test('routes: an added route is new, a removed one lingers marked closed, then goes', () => {
  const s = store();
  const f = new Feeder(1000);
  const def = route4('0.0.0.0', '10.0.0.1', '0.0.0.0', 'eth0', 0x3);
  const net = route4('10.0.0.0', '0.0.0.0', '255.255.255.0');
  const extra = route4('192.168.7.0', '10.0.0.1', '255.255.255.0', 'eth0', 0x3);
  s.ingest(f.next({ routes4: [def, net] }));
  s.ingest(f.next({ routes4: [def, net, extra] }));
  assert.match(rows(s, 'events')[0]?.text ?? '', /route added +192\.168\.7\.0\/24 via 10\.0\.0\.1 dev eth0$/);
  let r = rows(s, 'routes');
  assert.equal(r.find((x) => x.text.startsWith('192.168.7.0'))?.status, 'new');
  assert.match(
    r.find((x) => x.text.startsWith('192.168.7.0'))?.text ?? '',
    /192\.168\.7\.0 +10\.0\.0\.1 +255\.255\.255\.0 +UG +0 +0 +0 eth0/,
  );
  s.ingest(f.next({ routes4: [def, net] }));
  r = rows(s, 'routes');
  assert.match(rows(s, 'events')[0]?.text ?? '', /route removed 192\.168\.7\.0\/24 via 10\.0\.0\.1 dev eth0$/);
  assert.equal(r.length, 3);
  assert.equal(r.find((x) => x.text.startsWith('192.168.7.0'))?.status, 'closed');
  for (let t = 0; t <= LINGER_MS; t += f.stepMs) s.ingest(f.next({ routes4: [def, net] }));
  assert.equal(rows(s, 'routes').length, 2);
  // The detail view explains the columns.
  act(s, { type: 'focus', pane: 'routes' }, { type: 'toggleDetail' });
  const d = s.detailLines(70).join('\n');
  assert.match(d, /Gateway +10\.0\.0\.1/);
  assert.match(d, /Genmask/);
  assert.ok(s.detailLines(70).every((l) => l.length <= 70));
});

test('NAT pane: the rewrite conntrack shows, read from the reply direction', () => {
  const flow = (o: Partial<ConntrackEntry>): ConntrackEntry => ({
    l3: 'ipv4',
    proto: 'tcp',
    protoNum: 6,
    timeout: 100,
    state: 'ESTABLISHED',
    src: '10.0.0.2',
    dst: '198.51.100.7',
    sport: 40000,
    dport: 443,
    replySrc: '198.51.100.7',
    replyDst: '10.0.0.2',
    replySport: 443,
    replyDport: 40000,
    flags: [],
    ...o,
  });
  assert.equal(natText(flow({})), '');
  assert.equal(natText(flow({ replyDst: '203.0.113.1', replyDport: 61000 })), 'SNAT as 203.0.113.1:61000');
  assert.equal(natText(flow({ dst: '203.0.113.1', dport: 80, replySrc: '10.0.0.9', replySport: 8080 })), 'DNAT to 10.0.0.9:8080');
  const s = store(['-M']);
  const f = new Feeder();
  s.ingest(f.next({ conntrack: [flow({ replyDst: '203.0.113.1', replyDport: 61000 }), flow({ sport: 40001, replyDport: 40001 })] }));
  assert.equal(s.state.focus, 'conntrack');
  const r = rows(s, 'conntrack');
  assert.equal(r.length, 2);
  assert.ok(r.some((x) => /tcp +ESTABLISHED +100s 10\.0\.0\.2:40000 +198\.51\.100\.7:443 +SNAT as 203\.0\.113\.1:61000/.test(x.text)));
});

test('counters pane: problems view by default, ! for every IP/TCP/UDP counter', () => {
  const s = store();
  const f = new Feeder();
  const c1 = {
    Ip: { InReceives: 100, InDiscards: 0 },
    Tcp: { RetransSegs: 0, OutSegs: 10, ActiveOpens: 1 },
    Udp: { NoPorts: 4, InDatagrams: 9 },
    TcpExt: { TCPTimeouts: 0, DelayedACKs: 3 },
  };
  const c2 = {
    Ip: { InReceives: 150, InDiscards: 2 },
    Tcp: { RetransSegs: 0, OutSegs: 20, ActiveOpens: 2 },
    Udp: { NoPorts: 4, InDatagrams: 12 },
    TcpExt: { TCPTimeouts: 0, DelayedACKs: 5 },
  };
  s.ingest(f.next({ counters: c1 }));
  s.ingest(f.next({ counters: c2 }));
  assert.deepEqual(
    rows(s, 'counters').map((r) => r.key),
    ['derived.tcp.retransPct', 'Ip.InDiscards'],
  );
  act(s, { type: 'toggle', flag: 'allCounters' });
  const all = rows(s, 'counters').map((r) => r.key);
  for (const k of ['Ip.InReceives', 'Ip.InDiscards', 'Tcp.OutSegs', 'Udp.NoPorts', 'Udp.InDatagrams']) assert.ok(all.includes(k), k);
  assert.ok(!all.includes('TcpExt.DelayedACKs'), 'TcpExt: only its problem counters without e');
  act(s, { type: 'toggle', flag: 'extended' });
  assert.ok(rows(s, 'counters').some((r) => r.key === 'TcpExt.DelayedACKs'));
  // Detail: the numbers and what the counter means.
  act(s, { type: 'focus', pane: 'counters' }, { type: 'filterInput', text: 'indiscards' }, { type: 'toggleDetail' });
  const d = s.detailLines(76).join('\n');
  assert.match(d, /Counter +Ip\.InDiscards/);
  assert.match(d, /Delta +2/);
  assert.match(d, /When it rises:/);
});

test('counters pane: retransmit % past 100 shows >100%, since-mark ratio, netstat -s wording, levels and settings as rows', () => {
  const s = store();
  const f = new Feeder();
  const c1 = { Ip: { Forwarding: 2, DefaultTTL: 64, InReceives: 10 }, Tcp: { RetransSegs: 0, OutSegs: 10, CurrEstab: 3, ActiveOpens: 1 } };
  const c2 = { Ip: { Forwarding: 2, DefaultTTL: 64, InReceives: 12 }, Tcp: { RetransSegs: 5, OutSegs: 11, CurrEstab: 3, ActiveOpens: 1 } };
  s.ingest(f.next({ counters: c1 }));
  s.ingest(f.next({ counters: c2 }));
  // Five retransmissions for one new segment: OutSegs leaves retransmissions out.
  const r = rows(s, 'counters');
  const text = (k: string): string => r.find((x) => x.key === k)?.text ?? '';
  assert.match(text('derived.tcp.retransPct'), /^TCP retransmitted % +45\.45% +>100% +>100%/);
  assert.match(text('Tcp.RetransSegs'), /^Tcp\.RetransSegs +5 +5 .* segments retransmitted/);
  act(s, { type: 'toggle', flag: 'allCounters' });
  const all = rows(s, 'counters');
  for (const k of ['Tcp.CurrEstab', 'Ip.Forwarding', 'Ip.DefaultTTL'])
    assert.ok(
      all.some((x) => x.key === k),
      k,
    );
  assert.match(all.find((x) => x.key === 'Ip.DefaultTTL')?.text ?? '', /^Ip\.DefaultTTL +64 /);
  assert.match(all.find((x) => x.key === 'Ip.InReceives')?.text ?? '', /total packets received/);
  const detail = (needle: string): string => {
    act(s, { type: 'focus', pane: 'counters' }, { type: 'filterInput', text: needle }, { type: 'toggleDetail' });
    const d = s.detailLines(100).join('\n');
    act(s, { type: 'toggleDetail' }, { type: 'filterClear' });
    return d;
  };
  assert.match(detail('retranspct'), /This tick +500\.00% +\(RetransSegs 5 \/ OutSegs 1\)/);
  const rs = detail('tcp.retranssegs');
  assert.match(rs, /netstat -s +5 segments retransmitted/);
  assert.match(rs, /Source: net\/ipv4\/proc\.c/);
  assert.match(detail('tcp.outsegs'), /Source: net\/ipv4\/tcp_output\.c .*catalog-kernel\.test/s);
  // netstat's bsearch misses Forwarding in its unsorted table, so it prints the raw line.
  const fwd = detail('ip.forwarding');
  assert.match(fwd, /netstat -s +Forwarding: 2\n/);
  assert.match(fwd, /Kind +a setting/);
  assert.match(detail('ip.defaultttl'), /netstat -s +not printed \(a setting\)/);
  assert.match(detail('tcp.currestab'), /Kind +a level/);
});

test('detail view of a connection explains its state, its addresses and the queues', () => {
  const s = store(['-a', '-n']);
  const f = new Feeder();
  s.ingest(f.next({ inet: [listen(22, { localAddr: '0.0.0.0' }), estab(22, 40000, { state: 8 })], interfaces: [nif('eth0')] }));
  act(s, { type: 'sortNext' }, { type: 'sortNext' }, { type: 'sortNext' }); // by state: CLOSE_WAIT first
  rows(s, 'connections');
  act(s, { type: 'toggleDetail' });
  const d = s.detailLines(76).join('\n');
  assert.match(d, /State +CLOSE_WAIT/);
  assert.match(d, /CLOSE_WAIT/);
  assert.match(d, /close\(\)/, 'says the local application has not closed');
  assert.match(d, /Recv-Q/);
  act(s, { type: 'move', by: 1 });
  const l = s.detailLines(76).join('\n');
  assert.match(l, /State +LISTEN/);
  assert.match(l, /0\.0\.0\.0/);
  assert.match(l, /every|any/i, 'explains the wildcard address');
});

test('sparkline: scaled to its own maximum, blanks for unknown ticks, right-aligned', () => {
  assert.equal(sparkline([0, 1, 2, 3, 4, 5, 6, 7], 8), '▁▂▃▄▅▆▇█');
  assert.equal(sparkline([null, 0, 0], 5), '   ▁▁');
  assert.equal(sparkline([5, 10], 2), '▅█');
});

test('interfaces: the name column is as wide as the longest name (up to 15)', () => {
  const s = store();
  const f = new Feeder();
  s.ingest(f.next({ interfaces: [nif('lo', {}, 1), nif('vethclient1', {}, 2), nif('a-very-long-interface-name', {}, 3)] }));
  const r = rows(s, 'interfaces', 10, 120).map((x) => x.text);
  assert.ok(
    r.some((t) => t.startsWith('vethclient1 ')),
    r.join('\n'),
  );
  assert.ok(
    r.some((t) => t.startsWith('a-very-long-in… ')),
    'cut at 15, saying so',
  );
  assert.match(s.visibleRows('interfaces', 10, 120).header, /^Iface {12}RX-OK/);
});

test('LISTEN rows: Send-Q is the backlog as ss shows it; a full accept queue is hot and its detail names the drops', () => {
  const s = store(['-tl']);
  const f = new Feeder();
  // sock_diag's rows carry the backlog; /proc's (and so netstat's) Send-Q stays 0.
  const roomy = listen(8080, { recvQ: 3, sendQ: 0, backlog: 128, inode: 81 });
  const full = listen(8081, { recvQ: 3, sendQ: 0, backlog: 2, inode: 82 });
  const procRow = listen(8082, { recvQ: 0, sendQ: 0, inode: 83 });
  const counters = (n: number) => ({ TcpExt: { ListenOverflows: n, ListenDrops: n } });
  s.ingest(f.next({ inet: [roomy, full, procRow], counters: counters(4) }));
  s.ingest(f.next({ inet: [roomy, full, procRow], counters: counters(9) }));
  const r = rows(s, 'connections');
  const line = (port: number) => r.find((x) => x.text.includes(`:${port} `));
  assert.match(line(8080)?.text ?? '', /^ tcp +3 +128 /, 'the backlog in Send-Q');
  assert.match(line(8081)?.text ?? '', /^ tcp +3 +2 /);
  assert.match(line(8082)?.text ?? '', /^ tcp +0 +0 /, 'without sock_diag there is no backlog to show');
  assert.ok(
    line(8081)?.cells.some((c) => c.hot),
    'Recv-Q past the backlog is hot',
  );
  assert.ok(!line(8080)?.cells.some((c) => c.hot), 'a queue within its backlog is not');
  act(s, { type: 'filterInput', text: '8081' }, { type: 'toggleDetail' });
  const detail = s.detailLines(120).join('\n');
  assert.match(detail, /Send-Q +2 \(the backlog; netstat shows 0 here\)/);
  assert.match(
    detail,
    /Accept queue +FULL: handshakes that complete now are dropped\nDrops +ListenOverflows 9 \(\+5\), ListenDrops 9 \(\+5\)\n/,
  );
});
