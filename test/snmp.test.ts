import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSctpSnmp, parseSnmp, parseSnmp6, readCounters } from '../src/sources/snmp.js';
import { kernelFs } from '../src/sources/kernel-fs.js';

// Compiled to dist/test/, the fixtures stay in the source tree.
const FIXTURES = fileURLToPath(new URL('../../test/fixtures/snmp/', import.meta.url));
const read = (rel: string): string => readFileSync(path.join(FIXTURES, rel), 'utf8');

/** Header names per group straight from the text, to check that nothing was lost. */
function headerNames(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const lines = text.split('\n').filter((l) => l.trim());
  for (let i = 0; i < lines.length; i += 2) {
    const [group, ...names] = (lines[i] ?? '').split(/\s+/);
    if (group) out.set(group.replace(/:$/, ''), names);
  }
  return out;
}

for (const dir of ['host', 'netns-traffic']) {
  for (const file of ['snmp', 'netstat']) {
    test(`${dir}/${file}: every header name comes through, in the kernel's order`, () => {
      const text = read(`${dir}/proc/net/${file}`);
      const { value, skipped } = parseSnmp(text);
      assert.equal(skipped, 0);
      const want = headerNames(text);
      assert.deepEqual(Object.keys(value), [...want.keys()]);
      for (const [group, names] of want) {
        assert.deepEqual(Object.keys(value[group] ?? {}), names, group);
        for (const n of names) assert.ok(Number.isInteger(value[group]?.[n]), `${group}.${n}`);
      }
    });
  }

  test(`${dir}/snmp6: every line comes through under its prefix`, () => {
    const text = read(`${dir}/proc/net/snmp6`);
    const { value, skipped } = parseSnmp6(text);
    assert.equal(skipped, 0);
    const lines = text.split('\n').filter((l) => l.trim());
    const total = Object.values(value).reduce((n, g) => n + Object.keys(g).length, 0);
    assert.equal(total, lines.length);
    assert.deepEqual(Object.keys(value), ['Ip6', 'Icmp6', 'Udp6', 'UdpLite6']);
  });
}

test('netns-traffic: the values the traffic left behind', () => {
  const snmp = parseSnmp(read('netns-traffic/proc/net/snmp')).value;
  assert.deepEqual(Object.keys(snmp), ['Ip', 'Icmp', 'IcmpMsg', 'Tcp', 'Udp', 'UdpLite']);
  assert.equal(snmp['Ip']?.['Forwarding'], 2);
  assert.equal(snmp['Ip']?.['InReceives'], 18);
  assert.equal(snmp['Tcp']?.['MaxConn'], -1);
  assert.equal(snmp['Tcp']?.['ActiveOpens'], 2);
  assert.equal(snmp['Tcp']?.['AttemptFails'], 1);
  assert.equal(snmp['Udp']?.['NoPorts'], 1);
  assert.deepEqual(snmp['IcmpMsg'], { InType0: 2, InType3: 1, InType8: 2, OutType0: 2, OutType3: 1, OutType8: 2 });

  const v6 = parseSnmp6(read('netns-traffic/proc/net/snmp6')).value;
  assert.equal(v6['Ip6']?.['InReceives'], 4);
  assert.equal(v6['Icmp6']?.['InType1'], 1);
  assert.equal(v6['Icmp6']?.['OutType129'], 1);
  assert.equal(v6['Udp6']?.['NoPorts'], 1);
  assert.equal(v6['UdpLite6']?.['InDatagrams'], 0);
});

test('an empty file gives no groups and skips nothing', () => {
  assert.deepEqual(parseSnmp(read('odd/empty')), { value: {}, skipped: 0 });
  assert.deepEqual(parseSnmp6(read('odd/empty')), { value: {}, skipped: 0 });
});

test('a truncated last line keeps the values it still has', () => {
  const full = parseSnmp(read('netns-traffic/proc/net/netstat')).value;
  const { value, skipped } = parseSnmp(read('odd/netstat-truncated'));
  assert.equal(skipped, 1);
  assert.deepEqual(value['TcpExt'], full['TcpExt']);
  assert.deepEqual(value['IpExt'], full['IpExt']);
  const names = Object.keys(full['MPTcpExt'] ?? {});
  const kept = Object.keys(value['MPTcpExt'] ?? {});
  assert.equal(kept.length, 25);
  assert.deepEqual(kept, names.slice(0, 25));
});

test('a header whose value line was lost is skipped, the groups before it stay', () => {
  const full = parseSnmp(read('netns-traffic/proc/net/snmp')).value;
  const { value, skipped } = parseSnmp(read('odd/snmp-last-line-lost'));
  assert.equal(skipped, 1);
  assert.deepEqual(Object.keys(value), ['Ip', 'Icmp', 'IcmpMsg', 'Tcp', 'Udp']);
  assert.deepEqual(value['Udp'], full['Udp']);
});

test('columns a newer kernel adds are parsed by name, the rest stay aligned', () => {
  const snmp = parseSnmp(read('extra-column/proc/net/snmp'));
  const netstat = parseSnmp(read('extra-column/proc/net/netstat'));
  assert.equal(snmp.skipped + netstat.skipped, 0);
  const tcp = snmp.value['Tcp'];
  assert.equal(tcp?.['TcpNewCounter'], 7);
  assert.equal(tcp?.['CurrEstab'], 0);
  assert.equal(tcp?.['InSegs'], 12);
  assert.equal(tcp?.['OutRsts'], 1);
  assert.equal(snmp.value['Udp']?.['UdpFutureErrors'], 3);
  assert.equal(snmp.value['Udp']?.['NoPorts'], 1);
  assert.equal(netstat.value['TcpExt']?.['TCPBrandNew'], 11);
  assert.equal(netstat.value['TcpExt']?.['TW'], 1);
});

test('header/value count mismatches keep what pairs up and count the lines', () => {
  const full = parseSnmp(read('netns-traffic/proc/net/snmp')).value;
  const { value, skipped } = parseSnmp(read('odd/snmp-mismatched'));
  assert.equal(skipped, 2);
  // Icmp lost its last name: the surplus value is dropped, the others keep their names.
  const icmpNames = Object.keys(full['Icmp'] ?? {});
  assert.deepEqual(Object.keys(value['Icmp'] ?? {}), icmpNames.slice(0, -1));
  assert.equal(value['Icmp']?.['OutEchos'], 2);
  // Udp lost its last two values: those two names are missing, not zero.
  assert.deepEqual(Object.keys(value['Udp'] ?? {}), Object.keys(full['Udp'] ?? {}).slice(0, -2));
  assert.equal(value['Udp']?.['IgnoredMulti'], undefined);
  assert.deepEqual(value['Tcp'], full['Tcp']);
});

test('stray and foreign lines are skipped, not thrown on', () => {
  const { value, skipped } = parseSnmp('garbage\nIp: A B\nIcmp: 1 2\nIp: 5 6\nTcp: X Y\nTcp: 1 zz\n');
  // "garbage"; "Ip: A B" lost its values; the stray value lines "Icmp: 1 2" and "Ip: 5 6";
  // the Tcp pair holds a non-number.
  assert.equal(skipped, 5);
  assert.deepEqual(value, { Tcp: { X: 1 } });
  assert.deepEqual(parseSnmp('\nTcp: MaxConn Big\nTcp: -1 9007199254740991\n'), {
    value: { Tcp: { MaxConn: -1, Big: 9007199254740991 } },
    skipped: 0,
  });
});

test('snmp6: odd lines are skipped, unknown prefixes are kept', () => {
  const { value, skipped } = parseSnmp6(read('odd/snmp6-odd'));
  assert.equal(skipped, 2); // "Ip6InBogus" without a value, "notanumber"
  assert.deepEqual(value, {
    Ip6: { InReceives: 4, InHdrErrors: 0, InTooBigErrors: 0 },
    Foo6: { Bar: 5 },
    Snmp6: { Weird: 3 },
    Udp6: { InDatagrams: 0, NoPorts: 1 },
  });
});

test('sctp: names lose their prefix, and an empty file still yields the group', () => {
  const { value, skipped } = parseSctpSnmp(read('synthetic/proc/net/sctp/snmp'));
  assert.equal(skipped, 0);
  assert.deepEqual(Object.keys(value), ['Sctp']);
  assert.equal(Object.keys(value['Sctp'] ?? {}).length, 17);
  assert.ok('CurrEstab' in (value['Sctp'] ?? {}));
  assert.deepEqual(parseSctpSnmp(''), { value: { Sctp: {} }, skipped: 0 });
});

test('readCounters merges the files in netstat order', async () => {
  const { counters, errors, skipped } = await readCounters(kernelFs(path.join(FIXTURES, 'netns-traffic')));
  assert.deepEqual(errors, []);
  assert.equal(skipped, 0);
  assert.deepEqual(Object.keys(counters), [
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
  assert.equal(counters['IcmpMsg']?.['InType3'], 1);
  assert.equal(counters['Icmp6']?.['InType128'], 1);
  assert.equal(counters['TcpExt']?.['TW'], 1);
});

test('readCounters reads sctp when the module is loaded', async () => {
  const { counters, errors } = await readCounters(kernelFs(path.join(FIXTURES, 'synthetic')));
  assert.deepEqual(errors, []);
  assert.deepEqual(Object.keys(counters).slice(-5), ['Sctp', 'Ip6', 'Icmp6', 'Udp6', 'UdpLite6']);
});

test('readCounters: a missing file is an error, the others still count', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'nd-snmp-'));
  try {
    mkdirSync(path.join(root, 'proc/net'), { recursive: true });
    copyFileSync(path.join(FIXTURES, 'netns-traffic/proc/net/snmp'), path.join(root, 'proc/net/snmp'));
    copyFileSync(path.join(FIXTURES, 'odd/netstat-truncated'), path.join(root, 'proc/net/netstat'));
    const { counters, errors, skipped } = await readCounters(kernelFs(root));
    assert.deepEqual(errors, ['/proc/net/snmp6: not available on this system']);
    assert.equal(skipped, 1);
    assert.equal(counters['Tcp']?.['ActiveOpens'], 2);
    assert.equal(counters['TcpExt']?.['TW'], 1);
    assert.equal(counters['Ip6'], undefined);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
