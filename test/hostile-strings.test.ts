// Strings that other people control, shown safely: a unix socket path, a process name, an
// interface name, a user name and a DNS answer holding terminal escapes (ESC sequences, BEL,
// an OSC title, C1 controls, a bidi override, bytes that are not UTF-8) and blessed tags.
// They must come out escaped and visible in print output, valid and escaped in JSON and in
// recordings, and inert in the dashboard. The namespace tests create the real thing.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { parseOptions } from '../src/cli/options.js';
import type { InetSocket, NetInterface, UnixSocket } from '../src/model.js';
import { formatInet, formatUnix } from '../src/print/connections.js';
import { type ConnOptions, type NameContext } from '../src/names/netstat-notation.js';
import { formatInterfaces } from '../src/print/interfaces.js';
import { formatCounterChanges, formatInterfaceRates, sampleJson } from '../src/print/interval-print.js';
import { snapshotJson } from '../src/print/json.js';
import { formatMasquerade } from '../src/print/masquerade.js';
import { formatRoutes4, formatRoutes6 } from '../src/print/routes.js';
import { formatStatistics } from '../src/print/statistics.js';
import { decodeRaw, encodeRaw } from '../src/sampler/recording.js';
import { decodeBytes, encodeBytes } from '../src/text/bytes.js';
import { printable, toJson } from '../src/text/printable.js';
import { Feeder, nif, snapshot } from './helpers/dashboard-samples.js';
import { Lines } from './helpers/lines.js';
import { Rand } from './helpers/mutate.js';
import { Netns, run } from './helpers/netns.js';
import { NsEtc } from './helpers/ns-etc.js';
import { prereq } from './helpers/prereq.js';
import { Tmux } from './helpers/tmux.js';
import { asUser, runnableBy } from './helpers/unprivileged.js';

const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));
const DNS_SERVER = fileURLToPath(new URL('./helpers/dns-server.js', import.meta.url));

/** Characters that must never reach output raw: C0 but newline, DEL, C1, bidi and zero-width
 *  controls, separators, BOM, and lone surrogates (bytes of invalid UTF-8). */
const RAW =
  // eslint-disable-next-line no-control-regex -- control characters are what it looks for
  /[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function assertNoRaw(text: string, what: string): void {
  const m = RAW.exec(text);
  assert.equal(
    m,
    null,
    `${what}: raw U+${m?.[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${m?.index}: ${JSON.stringify(text.slice(Math.max(0, (m?.index ?? 0) - 30), (m?.index ?? 0) + 30))}`,
  );
}

/** The bytes of JSON text (as written to a file or pipe) hold no C0, C1 or bidi control. */
function assertJsonBytesSafe(text: string, what: string): void {
  assertNoRaw(text.replace(/\n/g, ' '), what);
}

// The hostile names. EVIL has SGR, BEL, a bidi override, a C1 CSI and a blessed tag.
const EVIL = '\x1b[31m{bold}evil\x07\u202e\u009b';
const EVIL_SHOWN = '\\x1b[31m{bold}evil\\x07\\u202e\\x9b';
const OSC = '\x1b]0;pwned\x07{red-fg}';
const INVALID = decodeBytes(Buffer.from([0x65, 0xff, 0xfe, 0x7b, 0x62, 0x7d, 0xc2, 0x9b])); // e, 2 bad bytes, {b}, U+009B

describe('printable() and the byte decoder', () => {
  it('shows every control visibly and keeps text otherwise as is', () => {
    assert.equal(printable(EVIL), EVIL_SHOWN);
    assert.equal(printable(OSC), '\\x1b]0;pwned\\x07{red-fg}');
    assert.equal(printable(INVALID), 'e\\xff\\xfe{b}\\x9b');
    assert.equal(printable('\u061c\u2066x\u2069\ufeff'), '\\u061c\\u2066x\\u2069\\ufeff');
    assert.equal(printable('日本語 ü /run/x.sock'), '日本語 ü /run/x.sock');
  });

  it('decodeBytes keeps every byte: encodeBytes gives the original back (10 000 random byte strings)', () => {
    const r = new Rand(4242);
    for (let i = 0; i < 10_000; i++) {
      const bytes = Buffer.from(Array.from({ length: r.int(24) }, () => (r.float() < 0.5 ? 0x20 + r.int(95) : r.int(256))));
      const s = decodeBytes(bytes);
      assert.deepEqual(Buffer.from(encodeBytes(s)), bytes, `seed 4242 case ${i}: ${bytes.toString('hex')}`);
      assertNoRaw(printable(s), bytes.toString('hex'));
    }
    // Valid UTF-8 decodes exactly as Node decodes it, including a real U+FFFD.
    const text = 'ok ü 日本 \ufffd 😀';
    assert.equal(decodeBytes(Buffer.from(text)), text);
  });
});

// --- every printer, fed hostile names ------------------------------------------------------

const hostileNames = (over: Partial<NameContext> = {}): NameContext => ({
  services: new Map([['7300/tcp', `svc${EVIL}`]]),
  users: new Map([
    [4242, EVIL],
    [4243, 'u'.repeat(60)],
  ]),
  hostName: (a) => (a === '10.0.0.9' ? `${EVIL}.example` : a === '10.0.0.8' ? `${'h'.repeat(200)}.example` : undefined),
  owners: new Map([
    [9001, { pid: 77, program: EVIL }],
    [9002, { pid: 78, program: INVALID }],
  ]),
  protocols: new Map(),
  networks: new Map([['10.99.0.0', `net${EVIL}`]]),
  ...over,
});

const CONN: ConnOptions = {
  all: true,
  listening: false,
  numericHosts: false,
  numericPorts: false,
  numericUsers: false,
  extend: 1,
  programs: true,
  timers: true,
  wide: false,
};

const inet = (p: Partial<InetSocket>): InetSocket => ({
  proto: 'tcp',
  family: 4,
  localAddr: '10.0.0.1',
  localPort: 7300,
  remoteAddr: '10.0.0.9',
  remotePort: 40000,
  state: 1,
  recvQ: 0,
  sendQ: 0,
  timer: { kind: 0, expires: 0, retransmits: 0, timeout: 0 },
  uid: 4242,
  inode: 9001,
  ...p,
});
const unix = (path: string, inode: number): UnixSocket => ({ refCount: 2, protocol: 0, flags: 0x10000, type: 1, state: 1, inode, path });
const iface = (name: string): NetInterface => ({ ...nif(name), name });

describe('text printers escape hostile names and keep their columns', () => {
  it('connections: host (DNS), service, user, program; -W shows them whole, otherwise they are cut', () => {
    const socks = [inet({}), inet({ remoteAddr: '10.0.0.8', uid: 4243, inode: 9002 })];
    const out = formatInet(socks, hostileNames(), CONN);
    assertNoRaw(out, 'formatInet');
    const [, , row1, row2] = out.split('\n');
    // host:port cut to netstat's 22 columns after escaping, as netstat cuts.
    assert.match(row1 ?? '', / \\x1b\[31m\{bold\}evi:40000 /);
    // the user name escaped whole (netstat's column grows), the program cut to 19 with an ellipsis.
    assert.ok(row1?.includes(` ${EVIL_SHOWN} `), row1);
    assert.ok(row1?.includes(' 77/\\x1b[31m{bold}e… '), row1);
    // a 60-character user name is cut with an ellipsis at 32 columns; an invalid-UTF-8 program shows its bytes.
    assert.ok(row2?.includes(` ${'u'.repeat(31)}… `), row2);
    assert.ok(row2?.includes(' 78/e\\xff\\xfe{b}\\x9b'), row2);
    const wide = formatInet(socks, hostileNames(), { ...CONN, wide: true });
    assertNoRaw(wide, 'formatInet -W');
    assert.ok(wide.includes(`${EVIL_SHOWN}.example:40000`));
    assert.ok(wide.includes(`${'h'.repeat(200)}.example:40000`));
    assert.ok(wide.includes(` ${'u'.repeat(60)} `));
  });

  it('unix: the whole path, escaped, in the last column', () => {
    const out = formatUnix([unix(`/tmp/${EVIL}.sock`, 9001), unix(`@${OSC}`, 9002), unix(`/tmp/${INVALID}`, 9003)], hostileNames(), CONN);
    assertNoRaw(out, 'formatUnix');
    assert.ok(out.includes(`/tmp/${EVIL_SHOWN}.sock\n`));
    assert.ok(out.includes('@\\x1b]0;pwned\\x07{red-fg}\n'));
    assert.ok(out.includes('/tmp/e\\xff\\xfe{b}\\x9b\n'));
  });

  it('interfaces (-i and its interval form): names escaped, cut to 15 with an ellipsis, whole with -W', () => {
    const ifs = [iface('\x1b[1m{bold}\x07'), iface(INVALID), iface('eth0')];
    const out = formatInterfaces(ifs, true);
    assertNoRaw(out, 'formatInterfaces');
    const lines = out.split('\n').slice(2, 5);
    for (const l of lines) assert.equal(l.indexOf(' 1500 '), 16, `column kept: ${l}`);
    assert.ok(out.includes('\\x1b[1m{bold}\\… '));
    assert.ok(out.includes('e\\xff\\xfe{b}\\x… '));
    assert.ok(formatInterfaces(ifs, true, true).includes('\\x1b[1m{bold}\\x07 '));
    const feeder = new Feeder(1000);
    feeder.next({ interfaces: ifs });
    const s = feeder.next({ interfaces: ifs, counters: { Tcp: { [`In${EVIL}`]: 5 } } });
    const rates = formatInterfaceRates(s, true);
    assertNoRaw(rates, 'formatInterfaceRates');
    assert.ok(rates.includes('\\x1b[1m{bold}\\… '));
    const o = parseOptions(['-s', '1']);
    const t = feeder.next({ interfaces: ifs, counters: { Tcp: { [`In${EVIL}`]: 9 } } });
    const changes = formatCounterChanges(t, o);
    assertNoRaw(changes, 'formatCounterChanges');
    assert.ok(changes.includes(`Tcp.In${EVIL_SHOWN}`), changes);
  });

  it('routes and masquerade: host and network names, interfaces and protocols escaped; long names cut', () => {
    const r4 = {
      iface: EVIL,
      destination: '10.99.0.0',
      gateway: '10.0.0.9',
      mask: '255.255.255.0',
      flags: 3,
      refCnt: 0,
      use: 0,
      metric: 0,
      mtu: 0,
      window: 0,
      irtt: 0,
    };
    const names = hostileNames();
    const opts = {
      numeric: false,
      hostName: (ip: string) => names.hostName(ip) ?? ip,
      netName: (ip: string) => names.networks?.get(ip) ?? ip,
    };
    for (const extend of [0, 1, 2] as const) {
      const out = formatRoutes4([r4], { ...opts, extend });
      assertNoRaw(out, `formatRoutes4 -e${extend}`);
      assert.ok(out.includes('net\\x1b[31m{bo…') || out.includes('net\\x1b[31m{b'), out);
    }
    assert.ok(formatRoutes4([r4], { ...opts, extend: 1 }).endsWith(` ${EVIL_SHOWN}\n`));
    const r6 = {
      destination: '2001:db8::1',
      destPrefix: 128,
      source: '::',
      sourcePrefix: 0,
      nextHop: '::',
      metric: 1,
      refCnt: 1,
      use: 0,
      flags: 1,
      iface: INVALID,
    };
    const out6 = formatRoutes6([r6], { numeric: false, extend: 0, hostName: () => `${'x'.repeat(80)}${EVIL}` });
    assertNoRaw(out6, 'formatRoutes6');
    assert.ok(out6.includes(`${'x'.repeat(31)}…/128`));
    assert.ok(out6.endsWith(' e\\xff\\xfe{b}\\x9b\n'));
    const flow = {
      l3: 'ipv4',
      proto: `tcp${EVIL}`,
      protoNum: 6,
      timeout: 10,
      state: 'ESTABLISHED',
      src: '10.0.0.9',
      dst: '10.0.0.8',
      sport: 1,
      dport: 7300,
      replySrc: '10.0.0.8',
      replyDst: '192.0.2.1',
      replySport: 7300,
      replyDport: 5000,
      flags: [],
    };
    const masq = formatMasquerade([flow], {
      numeric: false,
      extend: 0,
      hostName: (ip) => names.hostName(ip) ?? ip,
      serviceName: () => `svc${EVIL}`,
    });
    assertNoRaw(masq, 'formatMasquerade');
    assert.ok(masq.includes(`${`${EVIL_SHOWN}.example`.slice(0, 31)}… `), masq);
    assert.ok(masq.includes(`${'h'.repeat(31)}…`));
  });

  it('statistics: counter groups and names from the files are escaped', () => {
    const out = formatStatistics({ [`Odd${EVIL}`]: { [`Name${OSC}`]: 3 } }, { tcp: false, udp: false, raw: false });
    assertNoRaw(out, 'formatStatistics');
    assert.ok(out.includes(`Odd${EVIL_SHOWN}:`));
    assert.ok(out.includes('Name\\x1b]0;pwned\\x07{red-fg}: 3'));
  });
});

describe('JSON and recordings: valid, escaped, and the same strings when read back', () => {
  const parts = {
    inet: [inet({})],
    unix: [unix(`/tmp/${EVIL}.sock`, 9001), unix(`@${OSC}`, 9002), unix(`/tmp/${INVALID}`, 9003)],
    interfaces: [iface('\x1b[1m{bold}\x07'), iface(INVALID)],
    owners: new Map([[9001, { pid: 77, program: EVIL }]]),
  };

  it('--json: no control character in the text; JSON.parse gives the exact names', () => {
    const snap = snapshot(Date.UTC(2024, 0, 1), parts);
    const text = toJson(snapshotJson(parseOptions(['--json', '-p']), snap, hostileNames(), `host${EVIL}`));
    assertJsonBytesSafe(text, 'json');
    const doc = JSON.parse(text) as { host: string; unix: { path: string; program?: string }[]; interfaces: { name: string }[] };
    assert.equal(doc.host, `host${EVIL}`);
    assert.deepEqual(
      doc.unix.map((u) => u.path),
      parts.unix.map((u) => u.path),
    );
    assert.equal(doc.unix[0]?.program, EVIL);
    assert.deepEqual(
      doc.interfaces.map((i) => i.name),
      ['\x1b[1m{bold}\x07', INVALID],
    );
    // The invalid bytes travel as \udcXX escapes: a reader can tell them apart and restore them.
    assert.ok(text.includes('e\\udcff\\udcfe{b}\\u009b'));
  });

  it('NDJSON samples too', () => {
    const f = new Feeder(1000);
    f.next(parts);
    const text = toJson(sampleJson(f.next(parts), parseOptions(['--json', '-p', '1']), hostileNames(), 'h'));
    assertJsonBytesSafe(text, 'ndjson');
    JSON.parse(text);
  });

  it('a recording line holds no control character and decodes to the same sample', () => {
    const f = new Feeder(1000);
    const raw = f.raw(parts);
    const line = encodeRaw(raw);
    assertJsonBytesSafe(line, 'recording');
    assert.deepEqual(decodeRaw(line), raw);
  });
});

// --- the real thing, in a namespace ------------------------------------------------------------

const HOSTILE_UID = 4242;
// A PTR answer with every byte chosen: c-ares shows the control bytes as \DDD, the braces stay.
const PTR_LABELS = [Buffer.from(`\x1b[31m{bold}evil\x07${String.fromCharCode(0xe2, 0x80, 0xae)}`, 'latin1'), Buffer.from('example')];
const IF_EVIL = '\x1b[1m{bold}\x07';
// iproute2 takes any byte but '/', ':' and whitespace; bash's printf makes the invalid UTF-8.
const IF_INVALID_PRINTF = 'e\\xff\\xfe{b}';
const IF_INVALID_SHOWN = 'e\\xff\\xfe{b}';

/** The process that owns hostile sockets (the values come hex-encoded in argv, which also
 *  leaves process.title room for the name): its own name (process.title sets cmdline and comm),
 *  a unix socket path, an abstract name, a TCP connection whose peer has a hostile PTR
 *  record, and a child `sleep` whose argv[0] is not UTF-8 that holds a listening socket. */
const HOSTILE_PROC = `
const net = require('node:net');
const { spawn } = require('node:child_process');
const [dir, title, evilPath, abstract, argv0] = process.argv.slice(1).map((a) => Buffer.from(a, 'hex').toString('utf8'));
const keep = [];
const listen = (srv, ...a) => new Promise((r) => srv.listen(...a, r));
(async () => {
  const u = net.createServer((s) => keep.push(s)); await listen(u, dir + '/' + evilPath);
  const a = net.createServer((s) => keep.push(s)); await listen(a, '\\0' + abstract);
  const t = net.createServer((s) => keep.push(s)); await listen(t, 7300, '127.0.0.3');
  await new Promise((r) => { const c = net.connect({ port: 7300, host: '127.0.0.3', localAddress: '127.0.0.2' }, r); keep.push(c); });
  const l = net.createServer(); await listen(l, 7301, '127.0.0.1');
  const child = spawn('bash', ['-c', 'exec -a "$(printf "$0")" sleep 600', argv0], { stdio: ['ignore', 'ignore', 'ignore', l._handle.fd] });
  // Only the child holds the listener now, so it is the owner netstat -p names.
  await new Promise((r) => child.once('spawn', r));
  l.close();
  keep.push(u, a, t, child);
  process.title = title;
  setTimeout(() => console.log(JSON.stringify({ pid: process.pid, sleeper: child.pid })), 300);
})();
setInterval(() => {}, 1e6);
`;
const hex = (s: string): string => Buffer.from(s, 'utf8').toString('hex');
const ARGV0_PRINTF = '\\xff\\xfe{bold}\\x1b[7m';
const ARGV0_SHOWN = '\\xff\\xfe{bold}\\x1b[7m';

describe('hostile names made for real in a namespace', () => {
  let ns: Netns | null = null;
  let etc: NsEtc | null = null;
  let dir = '';
  let pid = 0;
  let sleeper = 0;
  const nsRun = (args: string[]) => (ns ? ns.exec(process.execPath, [CLI, ...args]) : Promise.reject(new Error('no namespace')));

  before(async () => {
    if (process.getuid?.() !== 0) return;
    ns = await Netns.create('hostile').catch(() => null);
    if (!ns) return;
    const passwd = readFileSync('/etc/passwd', 'utf8') + `${EVIL}:x:${HOSTILE_UID}:${HOSTILE_UID}::/nonexistent:/usr/sbin/nologin\n`;
    etc = new NsEtc(ns, { 'resolv.conf': 'nameserver 127.0.0.1\n', passwd });
    const dns = ns.spawn(process.execPath, [DNS_SERVER, 'ptr', PTR_LABELS.map((b) => b.toString('hex')).join('.')]);
    await new Lines(dns).match(/"ready"/);
    // Interfaces: one whose name is an SGR sequence, a tag and BEL; its peer's name is not UTF-8.
    await ns.ip('link', 'add', IF_EVIL, 'type', 'veth', 'peer', 'name', 'hpeer');
    await run('bash', ['-c', `ip -n ${ns.name} link set hpeer name "$(printf '${IF_INVALID_PRINTF}')"`]);
    await ns.ip('addr', 'add', '10.99.0.1/24', 'dev', IF_EVIL);
    await ns.ip('link', 'set', IF_EVIL, 'up');
    dir = mkdtempSync(join(tmpdir(), 'netdash-hostile-'));
    chmodSync(dir, 0o777);
    const { node } = runnableBy(HOSTILE_UID);
    const proc = ns.spawn(asUser(HOSTILE_UID)[0] ?? 'setpriv', [
      ...asUser(HOSTILE_UID).slice(1),
      node,
      '-e',
      HOSTILE_PROC,
      hex(dir),
      hex('\x1b[31m{bold}evil\x07'),
      hex(`${EVIL}.sock`),
      hex(`${OSC}abs`),
      hex(ARGV0_PRINTF),
    ]);
    const ready = JSON.parse(await new Lines(proc).match(/"pid"/)) as { pid: number; sleeper: number };
    pid = ready.pid;
    sleeper = ready.sleeper;
  });

  after(async () => {
    etc?.remove();
    await ns?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('--print: every name escaped, no control character in the output', async (t) => {
    if (!prereq(t, ['root', 'netns'])) return;
    const conn = await nsRun(['--print', '-aep']);
    assert.equal(conn.code, 0, conn.stderr);
    assertNoRaw(conn.stdout, '--print -aep');
    assertNoRaw(conn.stderr, '--print -aep stderr');
    assert.ok(conn.stdout.includes(`${dir}/${EVIL_SHOWN}.sock\n`), 'unix path');
    assert.ok(conn.stdout.includes('@\\x1b]0;pwned\\x07{red-fg}abs'), 'abstract name');
    assert.ok(conn.stdout.includes(` ${pid}/\\x1b[31m{b`), 'process name (cut to 19)');
    assert.ok(conn.stdout.includes(` ${sleeper}/${ARGV0_SHOWN.slice(0, 10)}`), 'argv[0] that is not UTF-8');
    assert.ok(conn.stdout.includes(` ${EVIL_SHOWN} `), 'user name');
    assert.match(conn.stdout, / \\\\027\[31m\{bold\}evi:7300 /, 'DNS answer (c-ares writes control bytes as \\DDD)');

    const wide = await nsRun(['--print', '-atW']);
    assertNoRaw(wide.stdout, '--print -atW');
    assert.ok(wide.stdout.includes('\\\\027[31m{bold}evil\\\\007\\\\226\\\\128\\\\174.example:7300'), wide.stdout);

    const ifs = await nsRun(['--print', '-ia']);
    assertNoRaw(ifs.stdout, '--print -ia');
    assert.ok(ifs.stdout.includes('\\x1b[1m{bold}\\… '), ifs.stdout);
    assert.ok(ifs.stdout.includes(`${IF_INVALID_SHOWN} `), ifs.stdout);
    const routes = await nsRun(['--print', '-rn']);
    assertNoRaw(routes.stdout, '--print -rn');
    assert.ok(routes.stdout.includes(' \\x1b[1m{bold}\\x07\n'), routes.stdout);
  });

  it('--json: valid, escaped, and the exact names when parsed', async (t) => {
    if (!prereq(t, ['root', 'netns'])) return;
    const r = await nsRun(['--json', '-p']);
    assert.equal(r.code, 0, r.stderr);
    assertJsonBytesSafe(r.stdout, '--json');
    const doc = JSON.parse(r.stdout) as {
      unix: { path: string | null; program?: string }[];
      interfaces: { name: string }[];
      connections: { user?: string; program?: string; local: { port: number } }[];
    };
    assert.ok(doc.unix.some((u) => u.path === `${dir}/${EVIL}.sock` && u.program === '\x1b[31m{bold}evil\x07'));
    const names = doc.interfaces.map((i) => i.name);
    assert.ok(names.includes(IF_EVIL));
    assert.ok(names.includes(decodeBytes(Buffer.from([0x65, 0xff, 0xfe, 0x7b, 0x62, 0x7d]))), JSON.stringify(names));
    assert.ok(doc.connections.some((c) => c.user === EVIL && c.local.port === 7300));
  });

  it('a recording and its replay: no control character in the file, escaped on replay', async (t) => {
    if (!prereq(t, ['root', 'netns'])) return;
    const file = join(dir, 'hostile.ndjson');
    const rec = await nsRun(['--json', '-p', '0.2', '--count', '2', '--record', file]);
    assert.equal(rec.code, 0, rec.stderr);
    assertJsonBytesSafe(readFileSync(file, 'utf8'), 'recording');
    const re = await nsRun(['--replay', file, '--print', '-ap', '--speed', '0']);
    assert.equal(re.code, 0, re.stderr);
    assertNoRaw(re.stdout, 'replay');
    assert.ok(re.stdout.includes(`${dir}/${EVIL_SHOWN}.sock\n`));
  });

  it('the dashboard (tmux): names shown escaped, no attribute or title change, tags inert', async (t) => {
    if (!prereq(t, ['root', 'netns', 'tmux'])) return;
    assert.ok(ns);
    const tm = Tmux.start(['ip', 'netns', 'exec', ns.name, process.execPath, CLI, '-p', '1'], {
      width: 200,
      height: 50,
      term: 'xterm-256color',
    });
    try {
      const title = tm.tmux(['display-message', '-p', '-t', tm.session, '#{pane_title}']).trim();
      await tm.waitForText(/since start/, 60_000);
      tm.keys('a');
      // The connections pane: program and peer host name.
      await tm.waitForText(`${pid}/\\x1b[31m{b`, 60_000);
      assertIntact(tm, `${pid}/\\x1b[31m{b`);
      // The UNIX pane, zoomed: the whole path and the abstract name.
      tm.keys('z');
      await focusPane(tm, 'UNIX');
      await tm.waitForText(`${EVIL_SHOWN}.sock`, 30_000);
      assertIntact(tm, `${dir}/${EVIL_SHOWN}.sock`);
      assertIntact(tm, '@\\x1b]0;pwned\\x07{red-fg}abs');
      // The detail view of the row under the cursor.
      tm.keys('End');
      tm.keys('Enter');
      await tm.waitFor((s) => /\\x1b|\\xff/.test(s), 15_000, 'a detail view');
      tm.keys('Escape');
      // The interfaces pane, zoomed.
      await focusPane(tm, 'Interfaces');
      await tm.waitForText('\\x1b[', 30_000);
      assertIntact(tm, '\\x1b[');
      const screen = stripVTControlCharacters(tm.capture());
      assertNoRaw(screen, 'screen');
      assert.equal(
        tm.tmux(['display-message', '-p', '-t', tm.session, '#{pane_title}']).trim(),
        title,
        'no OSC title reached the terminal',
      );
      tm.keys('q');
      assert.equal(await tm.waitExit(30_000), 0);
    } finally {
      tm.kill();
    }
  });
});

/** Tab through the panes (zoomed: one at a time) until the one whose title holds `name`. */
async function focusPane(tm: Tmux, name: string): Promise<void> {
  const title = new RegExp(`^ *\\d+ ${name}\\b`, 'm');
  for (let i = 0; i < 10; i++) {
    try {
      await tm.waitForText(title, 2_000);
      return;
    } catch {
      tm.keys('Tab');
    }
  }
  await tm.waitForText(title, 5_000);
}

/** The literal text is on screen, and in the capture with attributes (-e) it is one run: no
 *  SGR sequence (colour, bold, inverse) starts or ends inside it, so its bytes changed nothing. */
function assertIntact(tm: Tmux, literal: string): void {
  const plain = tm.capture();
  assert.ok(plain.includes(literal), `on screen: ${literal}\n${plain}`);
  const withAttrs = tm.capture(true);
  assert.ok(
    withAttrs.includes(literal),
    `one run, no attribute change inside: ${JSON.stringify(literal)}\n${JSON.stringify(withAttrs.split('\n').filter((l) => stripVTControlCharacters(l).includes(literal)))}`,
  );
}
