// /proc/net/dev and /sys/class/net parsing against a real kernel's text, and netstat -i's
// flag letters and name order checked against real netstat output (test/fixtures/sockets/capture.sh).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { IfCounters, IfSysInfo, NetInterface } from '../src/model.js';
import { IF_COUNTER_NAMES } from '../src/model.js';
import { parseNetDev, readInterfaces, readSysInfo } from '../src/sources/interfaces.js';
import { naturalCompare } from '../src/text/natural-compare.js';
import { effectiveFlags, flagLetters, IFF } from '../src/names/netstat-notation.js';
import { kernelFs } from '../src/sources/kernel-fs.js';

const FX = fileURLToPath(new URL('../../test/fixtures/', import.meta.url));
const read = (rel: string): string => readFileSync(FX + rel, 'utf8');

function c(...n: number[]): IfCounters {
  assert.equal(n.length, 16);
  const out = {} as IfCounters;
  IF_COUNTER_NAMES.forEach((k, i) => {
    out[k] = n[i] ?? NaN;
  });
  return out;
}
const ZERO = c(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
const SIX = c(516, 6, 0, 0, 0, 0, 0, 0, 516, 6, 0, 0, 0, 0, 0, 0);

const NETNS_ROWS = [
  { name: 'lo', counters: c(193684, 102, 0, 0, 0, 0, 0, 0, 193684, 102, 0, 0, 0, 0, 0, 0) },
  { name: 'eth0', counters: c(516, 6, 0, 0, 0, 0, 0, 0, 926, 7, 0, 0, 0, 0, 0, 0) },
  { name: 'abcdefghijklmno', counters: SIX }, // 15 characters: "abcdefghijklmno:" with no padding
  { name: 'eth1', counters: ZERO },
  { name: 'eth3', counters: ZERO },
  { name: 'eth4', counters: SIX },
  { name: 'eth5', counters: SIX },
  { name: 'brport0', counters: c(516, 6, 0, 0, 0, 0, 0, 0, 1166, 13, 0, 0, 0, 0, 0, 0) },
  { name: 'br0', counters: c(432, 6, 0, 0, 0, 0, 0, 6, 650, 7, 0, 1, 0, 0, 0, 0) }, // rx multicast, tx drop
  { name: 'ifb0', counters: c(140, 2, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0) }, // rx drop
];

test('parseNetDev: the namespace capture, long name included', () => {
  assert.deepEqual(parseNetDev(read('netdev/netns/dev')), { value: NETNS_ROWS, skipped: 0 });
});

test('parseNetDev: old kernels\' "%6s:%8llu" with no space after the colon', () => {
  assert.deepEqual(parseNetDev(read('netdev/odd/old-format')), { value: NETNS_ROWS, skipped: 0 });
});

test('parseNetDev: host capture with an 8-digit byte count', () => {
  assert.deepEqual(parseNetDev(read('netdev/host/proc/net/dev')), {
    value: [
      { name: 'lo', counters: c(6725, 72, 0, 0, 0, 0, 0, 0, 6725, 72, 0, 0, 0, 0, 0, 0) },
      { name: 'ifb0', counters: ZERO },
      { name: 'ifb1', counters: ZERO },
      { name: 'eth0', counters: c(107880554, 3333, 0, 0, 0, 0, 0, 0, 297353, 2304, 0, 0, 0, 0, 0, 0) },
    ],
    skipped: 0,
  });
});

test('parseNetDev odd: empty, header-only, truncated last line, garbage', () => {
  assert.deepEqual(parseNetDev(read('netdev/odd/empty')), { value: [], skipped: 0 });
  assert.deepEqual(parseNetDev(read('netdev/odd/header-only')), { value: [], skipped: 0 });
  assert.deepEqual(parseNetDev(read('netdev/odd/truncated')), { value: NETNS_ROWS.slice(0, -1), skipped: 1 });
  // junk line (no colon) and "lo: 193684 102 0 0" (4 numbers) are skipped; eth0 is kept
  assert.deepEqual(parseNetDev(read('netdev/odd/garbage')), { value: [NETNS_ROWS[1]], skipped: 2 });
  assert.deepEqual(parseNetDev('  eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 x\n'), { value: [], skipped: 1 });
  assert.deepEqual(parseNetDev(': 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n'), { value: [], skipped: 1 });
});

// ---- /sys/class/net -------------------------------------------------------------------

function sys(flags: number, operstate: string, mtu: number, ifindex: number, type: number, address: string, speed?: number): IfSysInfo {
  const s: IfSysInfo = { mtu, flags, operstate, ifindex, rxNohandler: 0, type, address };
  if (speed !== undefined) s.speed = speed;
  return s;
}
const NETNS_SYS: Record<string, IfSysInfo> = {
  lo: sys(0x9, 'unknown', 65536, 1, 772, '00:00:00:00:00:00'),
  eth0: sys(0x1003, 'up', 1500, 2, 1, 'c2:1c:ab:f6:e6:8a', 10000),
  abcdefghijklmno: sys(0x1003, 'up', 1500, 3, 1, 'ca:cc:e3:39:ec:a4', 10000),
  eth1: sys(0x1003, 'down', 1500, 4, 1, 'b6:f5:5c:3e:61:aa', 10000), // up, no carrier
  eth3: sys(0x1002, 'down', 1500, 5, 1, '12:f4:63:2e:23:1f'), // down: speed gave EINVAL
  eth4: sys(0x1103, 'up', 1500, 6, 1, 'ae:fa:7f:5a:66:0b', 10000), // promisc on
  eth5: sys(0x1203, 'up', 9000, 7, 1, '02:00:00:00:00:05', 10000), // allmulticast on
  brport0: sys(0x1303, 'up', 1500, 8, 1, '8e:69:cb:0c:a2:41', 10000), // promisc+allmulti from the bridge
  br0: sys(0x1003, 'up', 1500, 9, 1, '8e:69:cb:0c:a2:41', 10000),
  ifb0: sys(0x83, 'unknown', 1500, 10, 1, 'e6:d8:88:81:ed:35'),
};

test('readInterfaces over root-basic: /proc/net/dev rows joined with /sys/class/net', async () => {
  const r = await readInterfaces(kernelFs(FX + 'root-basic'));
  const want: NetInterface[] = NETNS_ROWS.map((row) => ({ ...row, sys: NETNS_SYS[row.name] ?? {} }));
  assert.deepEqual(r, { ok: true, value: want, skipped: 0 });
});

test('readInterfaces over the host capture: speed -1 means unknown', async () => {
  const r = await readInterfaces(kernelFs(FX + 'netdev/host'));
  assert.ok(r.ok);
  const eth0 = r.value.find((i) => i.name === 'eth0');
  assert.deepEqual(eth0?.sys, {
    mtu: 1400,
    flags: 0x1003,
    operstate: 'up',
    ifindex: 4,
    rxNohandler: 0,
    type: 1,
    address: '02:fc:00:00:00:01',
  });
  const ifb1 = r.value.find((i) => i.name === 'ifb1');
  assert.deepEqual(ifb1?.sys, {
    mtu: 1500,
    flags: 0x82,
    operstate: 'down',
    ifindex: 3,
    rxNohandler: 0,
    type: 1,
    address: 'ba:4b:1b:41:96:74',
  });
});

test('readSysInfo: an interface with no sysfs directory gives an empty object', async () => {
  assert.deepEqual(await readSysInfo(kernelFs(FX + 'root-basic'), 'nosuch0'), {});
});

test('readInterfaces: no /proc/net/dev is an error result', async () => {
  assert.deepEqual(await readInterfaces(kernelFs(FX + 'netdev/odd')), { ok: false, error: '/proc/net/dev: not available on this system' });
});

// ---- flags ------------------------------------------------------------------------------

test('effectiveFlags: RUNNING when up and operstate up or unknown (dev_get_flags)', () => {
  const f = (flags: number | undefined, operstate?: string): number | undefined => {
    const s: IfSysInfo = {};
    if (flags !== undefined) s.flags = flags;
    if (operstate !== undefined) s.operstate = operstate;
    return effectiveFlags(s);
  };
  assert.equal(f(undefined, 'up'), undefined);
  assert.equal(f(0x1003, 'up'), 0x1043);
  assert.equal(f(0x9, 'unknown'), 0x49);
  assert.equal(f(0x1003, 'down'), 0x1003);
  assert.equal(f(0x1003, 'dormant'), 0x1003);
  assert.equal(f(0x1003, 'lowerlayerdown'), 0x1003);
  assert.equal(f(0x1003, 'testing'), 0x1003);
  assert.equal(f(0x1003), 0x1003);
  assert.equal(f(0x1002, 'up'), 0x1002); // not UP: never RUNNING
  assert.equal(f(0x1042, 'up'), 0x1002); // a stray RUNNING bit is dropped
});

test("flagLetters: netstat's order and [NO FLAGS]", () => {
  assert.equal(flagLetters(0), '[NO FLAGS]');
  assert.equal(flagLetters(0x1043), 'BMRU');
  assert.equal(flagLetters(0x49), 'LRU');
  assert.equal(flagLetters(IFF.UP | IFF.POINTOPOINT | IFF.NOARP | IFF.RUNNING | IFF.MULTICAST), 'MOPRU');
  const all = Object.values(IFF).reduce((a, b) => a | b, 0);
  assert.equal(flagLetters(all), 'ABDLMdPNOPsmRU');
});

/** Iface, MTU and Flg columns of a captured `netstat -i` listing. */
function netstatI(rel: string): { name: string; mtu: number; flg: string }[] {
  return read(rel)
    .split('\n')
    .slice(2)
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const f = l.trim().split(/\s+/);
      return { name: f[0] ?? '', mtu: Number(f[1]), flg: f[f.length - 1] ?? '' };
    });
}

test('flags and MTU agree with real netstat -ia for every interface but the bridge port', () => {
  const rows = netstatI('netdev/netns/netstat-ia.txt');
  assert.equal(rows.length, 10);
  for (const r of rows) {
    if (r.name === 'brport0') continue;
    const s = NETNS_SYS[r.name];
    assert.ok(s, r.name);
    assert.equal(flagLetters(effectiveFlags(s) ?? 0), r.flg, r.name);
    assert.equal(s.mtu, r.mtu, r.name);
  }
});

// Known gap: only netlink RTM_GETLINK (ifi_flags = dev_get_flags) tells a user-set PROMISC from one
// the bridge set; sysfs has dev->flags alone. Runs and reports, without failing the suite, until the
// netlink reader lands (issue 5).
test(
  'flags of a bridge port: PROMISC/ALLMULTI that the bridge set are not shown (netstat -ia: BMRU)',
  { todo: 'needs netlink RTM_GETLINK flags' },
  () => {
    // sysfs flags is dev->flags (0x1303 here); SIOCGIFFLAGS (dev_get_flags) reports PROMISC and
    // ALLMULTI only from dev->gflags, i.e. when a user asked for them (eth4, eth5 above).
    const s = NETNS_SYS['brport0'];
    assert.ok(s);
    const row = netstatI('netdev/netns/netstat-ia.txt').find((r) => r.name === 'brport0');
    assert.equal(row?.flg, 'BMRU');
    assert.equal(flagLetters(effectiveFlags(s) ?? 0), 'BMRU');
  },
);

test('flags agree with real netstat -i on the host capture', async () => {
  const r = await readInterfaces(kernelFs(FX + 'netdev/host'));
  assert.ok(r.ok);
  const rows = netstatI('netdev/host/netstat-i.txt');
  assert.deepEqual(
    rows.map((x) => x.name),
    ['eth0', 'lo'],
  );
  for (const row of rows) {
    const i: NetInterface | undefined = r.value.find((x) => x.name === row.name);
    assert.ok(i, row.name);
    assert.equal(flagLetters(effectiveFlags(i.sys) ?? 0), row.flg, row.name);
    assert.equal(i.sys.mtu, row.mtu, row.name);
  }
});

// ---- name order -----------------------------------------------------------------------

test('naturalCompare: digits by value where net-tools and intuition agree', () => {
  const sorted = ['eth10', 'lo', 'eth2', 'eth0', 'wlan0', 'eth1', 'br0', 'abcdefghijklmno'].sort(naturalCompare);
  assert.deepEqual(sorted, ['abcdefghijklmno', 'br0', 'eth0', 'eth1', 'eth2', 'eth10', 'lo', 'wlan0']);
  assert.equal(naturalCompare('eth1', 'eth1'), 0);
  assert.ok(naturalCompare('eth', 'eth2') < 0);
  assert.ok(naturalCompare('eth2', 'eth') > 0);
  assert.ok(naturalCompare('a', 'aa') < 0);
  assert.ok(naturalCompare('a1b12', 'a1b2') > 0);
  assert.ok(naturalCompare('eth20', 'eth100') < 0);
});

test('naturalCompare: real netstat -i order of the namespace capture', () => {
  const names = NETNS_ROWS.map((r) => r.name).sort(naturalCompare);
  assert.deepEqual(
    names,
    netstatI('netdev/netns/netstat-ia.txt').map((r) => r.name),
  );
});

test('naturalCompare: real netstat -i order of names that probe nstrcmp (eth01, eth9.5, eth-0)', () => {
  // netstat -i keeps its interface list sorted with nstrcmp: only the trailing digits count as a
  // number, the text before them is compared with strncmp, and equal numbers fall back to strcmp
  // (so eth01 < eth1, and eth10.5 < eth9.5 because '1' < '9').
  const names = parseNetDev(read('netdev/order/dev'))
    .value.map((r) => r.name)
    .sort(naturalCompare);
  assert.deepEqual(
    names,
    netstatI('netdev/order/netstat-i.txt').map((r) => r.name),
  );
});
