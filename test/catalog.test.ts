import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  allFacts,
  counterFact,
  isLevel,
  listedWhenNonzero,
  NETSTAT_TABLES,
  netstatLine,
  netstatTable,
  PROBLEM_KEYS,
} from '../src/catalog/index.js';
import { formatStatistics } from '../src/print/statistics.js';
import { parseSctpSnmp, parseSnmp, parseSnmp6 } from '../src/sources/snmp.js';

// Compiled to dist/test/, the sources and fixtures stay in the source tree.
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURES = path.join(ROOT, 'test/fixtures/snmp');
/** Real kernel captures plus the synthetic case (every name net-tools knows, and sctp).
 *  extra-column is left out on purpose: its three invented names must stay unknown. */
const CASES = ['host', 'netns-traffic', 'synthetic'];

/** Every 'Group.Name' key one /proc/net tree exposes, through the real parsers. */
function keysOf(dir: string): string[] {
  const keys: string[] = [];
  const read = (f: string, parse: (t: string) => { value: Record<string, Record<string, unknown>> }): void => {
    const p = path.join(dir, f);
    if (!existsSync(p)) return;
    for (const [g, names] of Object.entries(parse(readFileSync(p, 'utf8')).value))
      for (const n of Object.keys(names)) keys.push(`${g}.${n}`);
  };
  read('snmp', parseSnmp);
  read('netstat', parseSnmp); // the same header-and-values layout
  read('snmp6', parseSnmp6);
  read('sctp/snmp', parseSctpSnmp);
  return keys;
}

test('every counter the kernel exposes in the fixtures, and on this kernel, has a catalog entry', () => {
  const keys = new Set<string>();
  for (const c of CASES) for (const k of keysOf(path.join(FIXTURES, c, 'proc/net'))) keys.add(k);
  assert.ok(keys.size > 400, `found ${keys.size} names`);
  assert.ok(
    [...keys].some((k) => k.startsWith('Sctp.')),
    'the synthetic case has sctp counters',
  );
  // The running kernel may be newer than the captures.
  for (const k of keysOf('/proc/net')) keys.add(k);
  const missing = [...keys].filter((k) => counterFact(k) === null).sort();
  assert.deepEqual(missing, []);
});

test('receiver-side loss signals and ICMP rate limits are problems', () => {
  for (const k of [
    'TcpExt.TCPOFOQueue',
    'TcpExt.TCPDSACKRecv',
    'TcpExt.TCPDSACKOfoRecv',
    'TcpExt.TCPDSACKOldSent',
    'TcpExt.TCPDSACKOfoSent',
    'TcpExt.DelayedACKLost',
    'Icmp.OutRateLimitGlobal',
    'Icmp.OutRateLimitHost',
    'Icmp6.OutRateLimitHost',
  ])
    assert.ok(PROBLEM_KEYS.includes(k), k);
});

test('families: ICMP types, interfaces and state gauges resolve by pattern (the stated defaults)', () => {
  for (const k of ['IcmpMsg.InType3', 'IcmpMsg.OutType250', 'Icmp6.InType128', 'Icmp6.OutType42']) {
    assert.ok(counterFact(k), k);
    assert.equal(listedWhenNonzero(k), true, k);
  }
  assert.equal(listedWhenNonzero('Icmp.InDestUnreachs'), false);
  for (const k of ['if.eth0.rxDrop', 'if.eth0.100.rxFifo', 'if.lo.rxNohandler']) assert.ok(counterFact(k), k);
  assert.equal(counterFact('if.eth0.bogus'), null);
  assert.equal(counterFact('if.eth0'), null);
  assert.ok(counterFact('gauge.tcp.TIME_WAIT'));
  for (const k of ['Tcp.constructor', 'TcpExt.__proto__', 'Nope.Thing', '']) assert.equal(counterFact(k), null, k);
});

test('every entry is complete: kind, source of truth, clean text, netstat wording with its value slot', () => {
  const facts = allFacts();
  assert.ok(facts.length > 400, `${facts.length} entries`);
  const seen = new Set<string>();
  for (const f of facts) {
    assert.ok(!seen.has(f.key), `${f.key} is listed once`);
    seen.add(f.key);
    assert.ok(['counter', 'gauge', 'setting'].includes(f.kind), f.key);
    assert.ok(f.source.length > 10, `${f.key} names its source`);
    for (const t of [f.title, f.meaning, f.whenRising ?? '', f.netstat?.text ?? '']) {
      // eslint-disable-next-line no-control-regex -- control characters are what this looks for
      assert.doesNotMatch(t, /[{}\u0000-\u001f\u007f-\u009f]/, `${f.key}: ${JSON.stringify(t)}`);
    }
    if (f.netstat && f.netstat.print !== 'hidden') assert.match(f.netstat.text, /%llu/, `${f.key} netstat wording`);
  }
  // The levels the sampler must not turn into rates.
  for (const k of [
    'Tcp.CurrEstab',
    'Tcp.MaxConn',
    'Tcp.RtoMin',
    'Tcp.RtoMax',
    'Tcp.RtoAlgorithm',
    'Ip.Forwarding',
    'Ip.DefaultTTL',
    'MPTcpExt.MPCurrEstab',
    'gauge.queue.recvQ',
    'gauge.tcp.LISTEN',
  ])
    assert.equal(isLevel(k), true, k);
  for (const k of ['Tcp.RetransSegs', 'Ip6.InReceives', 'IcmpMsg.InType3', 'if.eth0.rxBytes']) assert.equal(isLevel(k), false, k);
  // The problems view lists TCP first, then IP, ICMP, UDP, then the IPv6 groups.
  const groupRank = (k: string): number =>
    ['Tcp', 'TcpExt', 'Ip', 'Icmp', 'Udp', 'UdpLite', 'Ip6', 'Udp6', 'Icmp6'].indexOf(k.slice(0, k.indexOf('.')));
  const ranks = PROBLEM_KEYS.map(groupRank);
  assert.ok(!ranks.includes(-1), 'every problem is in a listed group');
  assert.deepEqual(
    ranks,
    [...ranks].sort((a, b) => a - b),
  );
  assert.ok(PROBLEM_KEYS.includes('Tcp.RetransSegs') && PROBLEM_KEYS.includes('TcpExt.ListenDrops'));
  for (const k of PROBLEM_KEYS) assert.ok(counterFact(k)?.whenRising, `problem ${k} says what to check`);
});

test('every netstat -s table row names a catalog counter with netstat wording', () => {
  const rowKeys = new Set<string>();
  for (const [title, table] of Object.entries(NETSTAT_TABLES)) {
    const filled = netstatTable(title);
    assert.ok(filled, title);
    table.names.forEach((name, i) => {
      // Upstream's one row with a trailing space can never match a kernel name.
      if (name !== name.trim()) return;
      const bare = table.prefixed ? name.slice(table.group.length) : name;
      const key = `${table.group}.${bare}`;
      rowKeys.add(key);
      const f = counterFact(key);
      assert.ok(f?.netstat, `${title} row ${name} → ${key} has netstat wording`);
      assert.deepEqual(filled.rows[i], [name, f.netstat.text, f.netstat.print]);
    });
  }
  // And no entry carries wording netstat would never print.
  for (const f of allFacts()) if (f.netstat) assert.ok(rowKeys.has(f.key), `${f.key} has wording but no netstat table row`);
});

test('the netstat -s line the dashboard shows for a counter is the line netstat -s prints', () => {
  for (const c of CASES) {
    const dir = path.join(FIXTURES, c, 'proc/net');
    const groups = {
      ...parseSnmp(readFileSync(path.join(dir, 'snmp'), 'utf8')).value,
      ...parseSnmp(readFileSync(path.join(dir, 'netstat'), 'utf8')).value,
    };
    const printed = new Set(
      formatStatistics(groups, { tcp: false, udp: false, raw: false })
        .split('\n')
        .map((l) => l.trim()),
    );
    let checked = 0;
    for (const [g, names] of Object.entries(groups)) {
      for (const [n, v] of Object.entries(names)) {
        const line = netstatLine(`${g}.${n}`, v);
        if (line === null || v <= 0) continue; // netstat hides zeros in places and prints -1 as 2^64-1
        assert.ok(printed.has(line), `${c}: ${g}.${n} → ${JSON.stringify(line)}`);
        checked++;
      }
    }
    assert.ok(checked > 30, `${c}: ${checked} lines`);
  }
});

/** The .ts files under a src folder, comments removed. */
function sources(dir: string): [string, string][] {
  const out: [string, string][] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) {
        const text = readFileSync(p, 'utf8')
          .replace(/\/\*[\s\S]*?\*\//g, '')
          .replace(/^\s*\/\/.*$/gm, '');
        out.push([path.relative(ROOT, p), text]);
      }
    }
  };
  walk(path.join(ROOT, 'src', dir));
  return out;
}

const GROUP_KEY = /['"`](?:Ip|IpExt|Ip6|Icmp|Icmp6|IcmpMsg|Tcp|TcpExt|MPTcpExt|Udp|Udp6|UdpLite|UdpLite6|Sctp)\.[A-Za-z]\w*['"`]/g;
/** Files that name a counter to pick it, not to state a fact about it. */
const PICKS: Readonly<Record<string, string>> = {
  'src/print/interval-print.ts': 'the headline counters of the --print interval summary',
};

test('print, dashboard and sampler read counter facts only from the catalog', () => {
  const facts = allFacts();
  const texts = facts.flatMap((f) => [f.meaning, f.whenRising ?? '']).filter((t) => t.length > 30);
  for (const dir of ['print', 'dashboard', 'sampler']) {
    for (const [file, text] of sources(dir)) {
      // The printf slot itself may appear (the printer fills it); wording around it may not.
      assert.doesNotMatch(text, /['`][^'`\n]*[a-z]{3}[^'`\n]*%llu|%llu[^'`\n]*[a-z]{3}/i, `${file} holds no netstat -s wording`);
      const keys = text.match(GROUP_KEY) ?? [];
      if (PICKS[file] === undefined) assert.deepEqual(keys, [], `${file} names no counter keys (no tables of its own)`);
      for (const t of texts) assert.ok(!text.includes(t), `${file} repeats the catalog text ${JSON.stringify(t.slice(0, 40))}`);
    }
  }
});

test('the catalog is the lowest layer: it imports only model types and text helpers', () => {
  for (const [file, text] of sources('catalog')) {
    for (const m of text.matchAll(/from '([^']+)'/g)) {
      const spec = m[1] ?? '';
      assert.ok(spec.startsWith('./') || spec === '../model.js' || spec.startsWith('../text/'), `${file} imports ${spec}`);
    }
  }
});
