// --ethernet totals and the JSON document's shape.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { IF_COUNTER_NAMES, type IfCounters, type NetInterface } from '../src/model.js';
import { ethernetTotals, formatEthernet } from '../src/print/interfaces.js';
import { run } from './helpers/netns.js';

const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));

function counters(over: Partial<IfCounters>): IfCounters {
  const c = Object.fromEntries(IF_COUNTER_NAMES.map((k) => [k, 0])) as unknown as IfCounters;
  return { ...c, ...over };
}

describe('--ethernet', () => {
  const ifs: NetInterface[] = [
    { name: 'lo', counters: counters({ rxBytes: 999, txBytes: 999, rxPackets: 9, txPackets: 9 }), sys: { flags: 0x9 } },
    {
      name: 'eth0',
      counters: counters({
        rxBytes: 5000,
        txBytes: 3000,
        rxPackets: 50,
        txPackets: 30,
        rxMulticast: 4,
        rxDrop: 2,
        txDrop: 1,
        rxErrs: 3,
        txErrs: 0,
      }),
      sys: { flags: 0x1003, rxNohandler: 6 },
    },
    {
      name: 'eth1',
      counters: counters({ rxBytes: 1000, txBytes: 2000, rxPackets: 10, txPackets: 20, rxMulticast: 1 }),
      sys: { flags: 0x1003, rxNohandler: 1 },
    },
  ];
  const groups = { IpExt: { OutMcastPkts: 2, OutBcastPkts: 1 }, Ip6: { OutMcastPkts: 4 } };

  it('adds up every non-loopback interface, Windows style', () => {
    const t = ethernetTotals(ifs, groups);
    assert.deepEqual(t.bytes, [6000, 5000]);
    assert.deepEqual(t.nonUnicast, [5, 7]);
    assert.deepEqual(t.unicast, [55, 43]);
    assert.deepEqual(t.discards, [2, 1]);
    assert.deepEqual(t.errors, [3, 0]);
    assert.equal(t.unknownProtocols, 7);
  });

  it('prints the Windows layout', () => {
    const text = formatEthernet(ethernetTotals(ifs, groups));
    assert.equal(
      text,
      [
        'Interface Statistics',
        '',
        '                           Received            Sent',
        '',
        'Bytes                             6000            5000',
        'Unicast packets                     55              43',
        'Non-unicast packets                  5               7',
        'Discards                             2               1',
        'Errors                               3               0',
        'Unknown protocols                    7',
        '',
      ].join('\n'),
    );
  });
});

describe('--json', () => {
  it("groups counters by the kernel's own group and name", async () => {
    const root = fileURLToPath(new URL('../../test/fixtures/snmp/netns-traffic', import.meta.url));
    const r = await run(process.execPath, [CLI, '--json', '-s', '--root', root]);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { schema: string; counters: Record<string, Record<string, number>> };
    assert.equal(doc.schema, 'netdash/1');
    for (const [g, n] of [
      ['Tcp', 'RetransSegs'],
      ['IcmpMsg', 'InType3'],
      ['TcpExt', 'ListenDrops'],
      ['Ip', 'InDiscards'],
      ['Ip6', 'InReceives'],
    ] as const) {
      assert.equal(typeof doc.counters[g]?.[n], 'number', `${g}.${n}`);
    }
  });
});
