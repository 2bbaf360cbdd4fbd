import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CONCEPT_KEYS,
  explainAddress,
  explainColumn,
  explainConcept,
  explainCounter,
  explainState,
  icmpTypeName,
  wrap,
  type Explanation,
} from '../src/dashboard/explain/index.js';

// Compiled to dist/test/, the fixtures stay in the source tree.
const FIXTURES = fileURLToPath(new URL('../../test/fixtures/snmp/', import.meta.url));
/** Real kernel captures plus the synthetic case, which adds every name net-tools knows.
 *  extra-column is left out on purpose: its three invented names must stay unknown. */
const CASES = ['host', 'netns-traffic', 'synthetic'];
const GROUPS = new Set([
  'Ip',
  'Icmp',
  'IcmpMsg',
  'Tcp',
  'Udp',
  'UdpLite',
  'TcpExt',
  'IpExt',
  'MPTcpExt',
  'Ip6',
  'Icmp6',
  'Udp6',
  'UdpLite6',
]);

/** /proc/net/snmp and /proc/net/netstat: a header line of names, then a value line, per group. */
function pairedNames(text: string): string[] {
  const out: string[] = [];
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const head = (lines[i] ?? '').trim().split(/\s+/);
    const values = (lines[i + 1] ?? '').trim().split(/\s+/);
    const group = (head[0] ?? '').replace(/:$/, '');
    assert.equal(values[0], head[0], `header and value lines pair up for ${group}`);
    for (const name of head.slice(1)) out.push(`${group}.${name}`);
  }
  return out;
}

/** /proc/net/snmp6: "Ip6InReceives  123"; the group runs up to the first '6'. */
function snmp6Names(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const name = line.trim().split(/\s+/)[0] ?? '';
    if (name === '') continue;
    const six = name.indexOf('6');
    out.push(`${name.slice(0, six + 1)}.${name.slice(six + 1)}`);
  }
  return out;
}

function fixtureKeys(): string[] {
  const keys = new Set<string>();
  for (const c of CASES) {
    const dir = path.join(FIXTURES, c, 'proc/net');
    for (const f of ['snmp', 'netstat']) for (const k of pairedNames(readFileSync(path.join(dir, f), 'utf8'))) keys.add(k);
    const six = path.join(dir, 'snmp6');
    if (existsSync(six)) for (const k of snmp6Names(readFileSync(six, 'utf8'))) keys.add(k);
  }
  return [...keys].filter((k) => GROUPS.has(k.slice(0, k.indexOf('.')))).sort();
}

// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const BAD_CHARS = /[{}\u0000-\u001f\u007f-\u009f]/;

function checkText(what: string, e: Explanation | null): void {
  assert.ok(e, `${what} resolves`);
  assert.ok(e.title.length > 0 && e.meaning.length > 0, `${what} has a title and a meaning`);
  for (const t of [e.title, e.meaning, e.whenRising ?? '']) {
    assert.doesNotMatch(t, BAD_CHARS, `${what}: no braces or control characters in ${JSON.stringify(t)}`);
    assert.equal(t, t.trim(), `${what}: no stray whitespace`);
  }
  if (e.whenRising !== undefined) assert.ok(e.whenRising.length > 0, `${what}: whenRising is not empty`);
  // 1-3 sentences: count sentence ends followed by a space and a capital letter.
  const sentences = e.meaning.split(/[.!?] +(?=[A-Z])/).length;
  assert.ok(sentences <= 3, `${what}: meaning has ${sentences} sentences`);
}

test('every counter name in the kernel captures resolves', () => {
  const keys = fixtureKeys();
  assert.ok(keys.length > 400, `found ${keys.length} names`);
  for (const g of GROUPS)
    assert.ok(
      keys.some((k) => k.startsWith(`${g}.`)),
      `fixtures have group ${g}`,
    );
  const missing = keys.filter((k) => explainCounter(k) === null);
  assert.deepEqual(missing, []);
  for (const k of keys) checkText(k, explainCounter(k));
});

test('examples from the API and other key families resolve', () => {
  for (const k of [
    'Tcp.RetransSegs',
    'TcpExt.ListenDrops',
    'Ip.InDiscards',
    'IcmpMsg.InType3',
    'Icmp6.InType128',
    'Udp6.NoPorts',
    'if.eth0.rxFifo',
    'if.eth0.100.rxDrop',
    'if.lo.rxNohandler',
    'derived.tcp.retransPct',
    'IcmpMsg.OutType13',
    'Icmp6.InType42',
    'Icmp6.OutType135',
    'Ip6.InDiscards',
    'UdpLite.RcvbufErrors',
    'gauge.tcp.TIME_WAIT',
    'gauge.queue.recvQ',
    'gauge.udp.sockets',
  ])
    checkText(k, explainCounter(k));
  const fields = [
    'rxBytes',
    'rxPackets',
    'rxErrs',
    'rxDrop',
    'rxFifo',
    'rxFrame',
    'rxCompressed',
    'rxMulticast',
    'txBytes',
    'txPackets',
    'txErrs',
    'txDrop',
    'txFifo',
    'txColls',
    'txCarrier',
    'txCompressed',
  ];
  for (const f of fields) checkText(`if.wlp2s0.${f}`, explainCounter(`if.wlp2s0.${f}`));
  assert.match(explainCounter('IcmpMsg.InType3')?.meaning ?? '', /destination unreachable/);
  assert.match(explainCounter('Icmp6.InType128')?.meaning ?? '', /echo request/);
  assert.match(explainCounter('Icmp.OutEchoReps')?.meaning ?? '', /echo reply/);
  assert.match(explainCounter('Icmp6.InNeighborSolicits')?.meaning ?? '', /neighbor solicitation/);
});

test('unknown counters give null rather than a made-up text', () => {
  for (const k of [
    'Tcp.TcpNewCounter',
    'Udp.UdpFutureErrors',
    'TcpExt.TCPBrandNew',
    'Tcp.constructor',
    'TcpExt.__proto__',
    'Nope.Thing',
    'Tcp',
    '',
    'if.eth0',
    'if.eth0.bogus',
    'gauge.tcp.NOPE',
    'Icmp.InFoo',
  ])
    assert.equal(explainCounter(k), null, k);
});

test('problem counters say what to check when they rise', () => {
  const keys = [
    'Tcp.RetransSegs',
    'Tcp.InErrs',
    'Tcp.AttemptFails',
    'Tcp.EstabResets',
    'Tcp.InCsumErrors',
    'TcpExt.ListenDrops',
    'TcpExt.ListenOverflows',
    'TcpExt.TCPTimeouts',
    'TcpExt.TCPBacklogDrop',
    'TcpExt.PruneCalled',
    'TcpExt.RcvPruned',
    'TcpExt.OfoPruned',
    'TcpExt.TCPMemoryPressures',
    'TcpExt.SyncookiesSent',
    'TcpExt.TCPAbortOnTimeout',
    'TcpExt.TCPAbortOnMemory',
    'TcpExt.TCPLostRetransmit',
    'TcpExt.TCPReqQFullDrop',
    'TcpExt.TCPFastRetrans',
    'TcpExt.TCPSynRetrans',
    'TcpExt.TCPRcvQDrop',
    'TcpExt.TCPOFODrop',
    'Ip.InDiscards',
    'Ip.OutDiscards',
    'Ip.InHdrErrors',
    'Ip.OutNoRoutes',
    'Ip.ReasmFails',
    'Ip.FragFails',
    'Ip6.InDiscards',
    'Udp.NoPorts',
    'Udp.RcvbufErrors',
    'Udp.SndbufErrors',
    'Udp.InErrors',
    'Udp6.RcvbufErrors',
    'Icmp.InDestUnreachs',
    'Icmp.InRedirects',
    'Icmp.InSrcQuenchs',
    'Icmp6.InPktTooBigs',
    'if.eth0.rxDrop',
    'if.eth0.rxFifo',
    'if.eth0.rxErrs',
    'if.eth0.txErrs',
    'if.eth0.txDrop',
    'if.eth0.txColls',
    'derived.tcp.retransPct',
  ];
  for (const k of keys) assert.ok(explainCounter(k)?.whenRising, `${k} has whenRising`);
  assert.match(explainCounter('TcpExt.ListenOverflows')?.whenRising ?? '', /accept/);
  assert.match(explainCounter('TcpExt.ListenOverflows')?.whenRising ?? '', /somaxconn/);
  assert.match(explainCounter('if.eth0.rxFifo')?.whenRising ?? '', /ring/);
  assert.match(explainCounter('Ip.InDiscards')?.meaning ?? '', /not because of any error/);
});

const TCP_STATES = [
  'ESTABLISHED',
  'SYN_SENT',
  'SYN_RECV',
  'FIN_WAIT1',
  'FIN_WAIT2',
  'TIME_WAIT',
  'CLOSE',
  'CLOSE_WAIT',
  'LAST_ACK',
  'LISTEN',
  'CLOSING',
  'NEW_SYN_RECV',
];
const UNIX_STATES = ['LISTENING', 'CONNECTED', 'CONNECTING', 'DISCONNECTING', 'FREE'];

test('every TCP and UNIX state resolves', () => {
  for (const s of [...TCP_STATES, ...UNIX_STATES, 'CLOSED']) checkText(s, explainState(s));
  assert.equal(explainState('time_wait')?.title, explainState('TIME_WAIT')?.title);
  assert.equal(explainState('BOGUS'), null);
  assert.match(explainState('TIME_WAIT')?.meaning ?? '', /60 s/);
  assert.match(explainState('CLOSE_WAIT')?.whenRising ?? '', /close\(\)/);
  for (const s of ['SYN_SENT', 'SYN_RECV', 'CLOSE_WAIT', 'TIME_WAIT']) assert.ok(explainState(s)?.whenRising, s);
});

const COLUMNS: Record<Parameters<typeof explainColumn>[0], string[]> = {
  connections: [
    'Proto',
    ' Proto',
    'Recv-Q',
    'Send-Q',
    'Local Address',
    'Foreign Address',
    'State',
    'User',
    'Inode',
    'PID/Program name',
    'Timer',
    'Rtx',
  ],
  interfaces: [
    'Iface',
    'MTU',
    'Met',
    'RX-OK',
    'RX-ERR',
    'RX-DRP',
    'RX-OVR',
    'TX-OK',
    'TX-ERR',
    'TX-DRP',
    'TX-OVR',
    'Flg',
    'RX-B/s',
    'TX-B/s',
    'Util',
    'Speed',
    'Bytes',
    'Unicast packets',
    'Non-unicast packets',
    'Discards',
    'Errors',
    'Unknown protocols',
  ],
  routes: ['Destination', 'Gateway', 'Genmask', 'Flags', 'Metric', 'Ref', 'Use', 'Iface', 'MSS', 'Window', 'irtt'],
  unix: ['Proto', 'RefCnt', 'Flags', 'Type', 'State', 'I-Node', 'Inode', 'Path', 'PID/Program name'],
  counters: ['Counter', 'Total', 'Delta', 'Rate/s', 'Since start', 'Since mark', 'Since boot'],
  icmp: ['Type', 'In', 'Out'],
  conntrack: ['Proto', 'State', 'Expires', 'Source', 'Destination', 'NAT'],
};

test('every listed column resolves', () => {
  for (const [pane, cols] of Object.entries(COLUMNS) as [Parameters<typeof explainColumn>[0], string[]][])
    for (const c of cols) checkText(`${pane}/${c}`, explainColumn(pane, c));
  assert.equal(explainColumn('routes', 'Nope'), null);
  assert.equal(explainColumn('connections', 'constructor'), null);
  const flg = explainColumn('interfaces', 'Flg')?.meaning ?? '';
  for (const l of ['B', 'L', 'M', 'O', 'P', 'R', 'U']) assert.match(flg, new RegExp(`\\b${l} `), `Flg explains ${l}`);
  const rflags = explainColumn('routes', 'Flags')?.meaning ?? '';
  for (const l of ['U', 'G', 'H', 'D', 'M', '!', 'R']) assert.ok(rflags.includes(` ${l} `), `route Flags explains ${l}`);
  const uflags = explainColumn('unix', 'Flags')?.meaning ?? '';
  for (const l of ['ACC', 'W', 'N']) assert.ok(uflags.includes(`${l} `), `unix Flags explains ${l}`);
  const types = explainColumn('unix', 'Type')?.meaning ?? '';
  for (const t of ['STREAM', 'DGRAM', 'SEQPACKET', 'RAW', 'RDM']) assert.ok(types.includes(t), t);
  const timer = explainColumn('connections', 'Timer')?.meaning ?? '';
  for (const t of ['off', 'on', 'keepalive', 'timewait', 'probe', 'retransmit']) assert.ok(timer.includes(t), t);
  assert.match(explainColumn('connections', 'Recv-Q')?.meaning ?? '', /accept queue/);
  assert.match(explainColumn('connections', 'Send-Q')?.meaning ?? '', /backlog/);
  assert.match(explainColumn('interfaces', 'RX-OVR')?.meaning ?? '', /rx_fifo_errors/);
  assert.match(explainColumn('conntrack', 'NAT')?.meaning ?? '', /SNAT/);
  assert.match(explainColumn('conntrack', 'NAT')?.meaning ?? '', /DNAT/);
});

test('addresses', () => {
  const cases: [string, RegExp][] = [
    ['0.0.0.0', /wildcard/i],
    ['::', /wildcard/i],
    ['[::]', /wildcard/i],
    ['*', /wildcard/i],
    [':::22', /wildcard/i],
    ['127.0.0.1', /loopback/i],
    ['127.3.2.1', /loopback/i],
    ['::1', /loopback/i],
    ['[::1]:631', /loopback/i],
    ['::ffff:1.2.3.4', /mapped/i],
    ['fe80::1', /link-local/i],
    ['fe80::abcd%eth0', /link-local/i],
    ['febf::1', /link-local/i],
    ['169.254.3.4', /link-local/i],
    ['224.0.0.251', /multicast/i],
    ['ff02::1', /multicast/i],
    ['127.0.0.1:8080', /loopback/i],
    ['0.0.0.0:*', /wildcard/i],
  ];
  for (const [a, re] of cases) {
    const e = explainAddress(a);
    checkText(a, e);
    assert.match(`${e?.title} ${e?.meaning}`, re, a);
  }
  for (const a of ['8.8.8.8', '2001:4860::8888', 'not an address', '']) {
    const e = explainAddress(a);
    if (e) checkText(a, e);
  }
  assert.equal(explainAddress('fec0::1'), null);
});

test('icmpTypeName', () => {
  const v4: [number, RegExp][] = [
    [0, /^echo reply$/],
    [3, /^destination unreachable$/],
    [4, /^source quench$/],
    [5, /^redirect$/],
    [8, /^echo request$/],
    [9, /router advertisement/],
    [10, /router solicitation/],
    [11, /^time exceeded$/],
    [12, /^parameter problem$/],
    [13, /timestamp/],
    [14, /timestamp reply/],
    [17, /address mask/],
    [18, /address mask reply/],
  ];
  for (const [t, re] of v4) assert.match(icmpTypeName(4, t), re, `v4 ${t}`);
  const v6: [number, RegExp][] = [
    [1, /destination unreachable/],
    [2, /packet too big/],
    [3, /time exceeded/],
    [4, /parameter problem/],
    [128, /echo request/],
    [129, /echo reply/],
    [130, /MLD query/],
    [131, /MLD report/],
    [132, /MLD done/],
    [133, /router solicitation/],
    [134, /router advertisement/],
    [135, /neighbor solicitation/],
    [136, /neighbor advertisement/],
    [137, /redirect/],
    [143, /MLDv2 report/],
  ];
  for (const [t, re] of v6) assert.match(icmpTypeName(6, t), re, `v6 ${t}`);
  assert.equal(icmpTypeName(4, 42), 'type 42');
  assert.equal(icmpTypeName(6, 42), 'type 42');
  assert.equal(icmpTypeName(4, 128), 'type 128');
});

test('wrap', () => {
  const text =
    'The connection is finished; the side that closed first keeps the address pair reserved ' +
    'for a while supercalifragilisticexpialidocious end.';
  for (const width of [1, 5, 10, 17, 40, 200]) {
    const lines = wrap(text, width);
    for (const l of lines) assert.ok(l.length <= width, `width ${width}: ${JSON.stringify(l)}`);
    assert.equal(lines.join('').replace(/\s+/g, ''), text.replace(/\s+/g, ''), `width ${width} keeps every character`);
    if (width >= 40) assert.equal(lines.join(' '), text, `width ${width} keeps words whole`);
  }
  assert.deepEqual(wrap('abcdefghij', 4), ['abcd', 'efgh', 'ij']);
  assert.deepEqual(wrap('one two three', 7), ['one two', 'three']);
  assert.deepEqual(wrap('keep me', 0), ['keep me']);
  assert.deepEqual(wrap('keep me', -3), ['keep me']);
  assert.deepEqual(wrap('', 10), ['']);
});

test('concepts and netstat options from the documentation', () => {
  for (const k of CONCEPT_KEYS) checkText(k, explainConcept(k));
  for (const o of ['-a', '-l', '-t', '-u', '-w', '-x', '-n', '-N', '-s', '-i', '-r', '-F', '-C', '-M', '-o', '-A', '-c', '-p', '-e', '-v'])
    checkText(o, explainConcept(o));
  for (const k of ['unix-socket', 'icmp', 'wildcard-address', 'numeric', 'statistics', 'fragmentation', 'fib', 'masquerade'])
    assert.ok(CONCEPT_KEYS.includes(k), k);
  assert.equal(explainConcept('nonsense'), null);
  assert.equal(explainConcept('constructor'), null);
});
