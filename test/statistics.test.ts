import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCounters } from '../src/sources/snmp.js';
import { kernelFs } from '../src/sources/kernel-fs.js';
import { formatStatistics, type StatisticsOptions } from '../src/print/statistics.js';
import type { CounterGroups } from '../src/model.js';

// Compiled to dist/test/, the fixtures stay in the source tree.
const FIXTURES = fileURLToPath(new URL('../../test/fixtures/snmp/', import.meta.url));

const NONE: StatisticsOptions = { tcp: false, udp: false, raw: false };

/** "netstat-s-tu.txt" → the options netstat got. */
function optionsOf(file: string): StatisticsOptions {
  const flags = /^netstat-s(?:-(\w+))?\.txt$/.exec(file)?.[1] ?? '';
  return {
    tcp: flags.includes('t'),
    udp: flags.includes('u'),
    raw: flags.includes('w'),
    udplite: flags.includes('U'),
    sctp: flags.includes('S'),
    inet6: flags.includes('6'),
  };
}

// Each directory holds kernel files and what netstat 2.10 printed for them (README.txt).
for (const dir of ['netns-traffic', 'host', 'extra-column', 'synthetic']) {
  const files = readdirSync(path.join(FIXTURES, dir)).filter((f) => f.startsWith('netstat-s'));
  test(`${dir}: the fixture set is complete`, () => {
    for (const f of ['netstat-s.txt', 'netstat-s-t.txt', 'netstat-s-u.txt', 'netstat-s-w.txt', 'netstat-s-tu.txt', 'netstat-s-6.txt']) {
      assert.ok(files.includes(f), f);
    }
  });
  for (const file of files) {
    test(`${dir}: ${file.replace(/\.txt$/, '').replace(/-/g, ' ')} byte for byte`, async () => {
      const { counters, errors, skipped } = await readCounters(kernelFs(path.join(FIXTURES, dir)));
      assert.deepEqual(errors, []);
      assert.equal(skipped, 0);
      const want = readFileSync(path.join(FIXTURES, dir, file), 'utf8');
      assert.equal(formatStatistics(counters, optionsOf(file)), want);
    });
  }
}

test('no protocol flag means all of them, as -tuw', async () => {
  const { counters } = await readCounters(kernelFs(path.join(FIXTURES, 'netns-traffic')));
  const all = formatStatistics(counters, NONE);
  assert.equal(formatStatistics(counters, { tcp: true, udp: true, raw: true }), all);
  assert.equal(all, readFileSync(path.join(FIXTURES, 'netns-traffic/netstat-s.txt'), 'utf8'));
});

test('-U alone shows only the groups netstat has no table for', () => {
  const c: CounterGroups = { Ip: { InReceives: 1 }, UdpLite: { InDatagrams: 2 }, TcpExt: { TW: 3 } };
  assert.equal(formatStatistics(c, { ...NONE, udplite: true }), 'UdpLite:\n    InDatagrams: 2\n');
});

test('counters without text: shown as "Name: value" only when nonzero, -1 as an unsigned', () => {
  const c: CounterGroups = { Tcp: { ActiveOpens: 0, MaxConn: -1, Future: 0, Other: 4 }, Made: { Up: -1, Zero: 0 } };
  assert.equal(formatStatistics(c, NONE), 'Tcp:\n    0 active connection openings\n    Other: 4\nMade:\n    Up: 18446744073709551615\n');
});

test('netstat quirks: Forwarding falls through its unsorted table, icmp indent carries over', () => {
  const c: CounterGroups = {
    Ip: { Forwarding: 1, DefaultTTL: 64, InReceives: 5, FragOKs: 0 },
    Icmp: { InMsgs: 1, InDestUnreachs: 1, OutMsgs: 0, OutDestUnreachs: 0 },
    IcmpMsg: { InType3: 1 },
  };
  assert.equal(
    formatStatistics(c, NONE),
    [
      'Ip:',
      '    Forwarding: 1',
      '    5 total packets received',
      'Icmp:',
      '    1 ICMP messages received',
      '    ICMP input histogram:',
      '        destination unreachable: 1',
      '    0 ICMP messages sent',
      '    ICMP output histogram:',
      'IcmpMsg:',
      '        InType3: 1',
      '',
    ].join('\n'),
  );
  // Without -w the Icmp section is not printed, so IcmpMsg keeps the normal indent.
  assert.equal(formatStatistics(c, { ...NONE, tcp: true }), 'IcmpMsg:\n    InType3: 1\n');
});

test('no counters, no output', () => {
  assert.equal(formatStatistics({}, NONE), '');
});
