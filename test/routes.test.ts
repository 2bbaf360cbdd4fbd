import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, mkdirSync, copyFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseIpv6Route, parseRoute, readRoutes4, readRoutes6 } from '../src/sources/routes.js';
import { kernelFs } from '../src/sources/kernel-fs.js';
import { formatRoutes4, formatRoutes6 } from '../src/print/routes.js';

// Compiled to dist/test/, the fixtures stay in the source tree.
const FIXTURES = fileURLToPath(new URL('../../test/fixtures/routes/', import.meta.url));
const read = (dir: string, file: string): string => readFileSync(path.join(FIXTURES, dir, file), 'utf8');

/** First name per address, as gethostbyaddr/getnameinfo (hosts) or getnetbyaddr (networks) give it. */
function nameFile(dir: string, file: 'hosts' | 'networks'): Map<string, string> {
  const names = new Map<string, string>();
  for (const line of read(dir, file).split('\n')) {
    const f = line.split(/\s+/).filter(Boolean);
    const [a, b] = f;
    if (a === undefined || b === undefined) continue;
    const [addr, name] = file === 'hosts' ? [a, b] : [b, a];
    if (!names.has(addr)) names.set(addr, name);
  }
  return names;
}

function lineCount(text: string): number {
  return text.split('\n').filter((l) => l.trim() !== '').length;
}

for (const dir of ['host', 'rich', 'plain']) {
  test(`${dir}: every line of the kernel tables parses`, () => {
    const v4 = parseRoute(read(dir, 'route'));
    const v6 = parseIpv6Route(read(dir, 'ipv6_route'));
    assert.equal(v4.skipped, 0);
    assert.equal(v6.skipped, 0);
    assert.equal(v4.value.length, lineCount(read(dir, 'route')) - 1); // minus the header
    assert.equal(v6.value.length, lineCount(read(dir, 'ipv6_route')));
  });

  test(`${dir}: numeric tables equal netstat -rn, -rne, -rnee, -rn -A inet6 byte for byte`, () => {
    const v4 = parseRoute(read(dir, 'route')).value;
    const v6 = parseIpv6Route(read(dir, 'ipv6_route')).value;
    assert.equal(formatRoutes4(v4, { numeric: true, extend: 0 }), read(dir, 'netstat-rn.txt'));
    assert.equal(formatRoutes4(v4, { numeric: true, extend: 1 }), read(dir, 'netstat-rne.txt'));
    assert.equal(formatRoutes4(v4, { numeric: true, extend: 2 }), read(dir, 'netstat-rnee.txt'));
    assert.equal(formatRoutes6(v6, { numeric: true, extend: 0 }), read(dir, 'netstat-rn-inet6.txt'));
  });
}

for (const dir of ['rich', 'plain']) {
  test(`${dir}: named tables equal netstat -r, -re, -r -A inet6 given the namespace's hosts and networks`, () => {
    const v4 = parseRoute(read(dir, 'route')).value;
    const v6 = parseIpv6Route(read(dir, 'ipv6_route')).value;
    const hosts = nameFile(dir, 'hosts');
    const nets = nameFile(dir, 'networks');
    const names = {
      hostName: (ip: string): string => hosts.get(ip) ?? ip,
      netName: (ip: string): string => nets.get(ip) ?? ip,
    };
    assert.equal(formatRoutes4(v4, { numeric: false, extend: 0, ...names }), read(dir, 'netstat-r.txt'));
    assert.equal(formatRoutes4(v4, { numeric: false, extend: 1, ...names }), read(dir, 'netstat-re.txt'));
    assert.equal(formatRoutes6(v6, { numeric: false, extend: 0, ...names }), read(dir, 'netstat-r-inet6.txt'));
  });
}

test('rich: decoded IPv4 routes keep the kernel numbers', () => {
  const v4 = parseRoute(read('rich', 'route')).value;
  const byDest = (d: string, m: string) => v4.find((r) => r.destination === d && r.mask === m);
  assert.deepEqual(byDest('10.51.0.0', '255.255.0.0'), {
    iface: 'veth-longname1',
    destination: '10.51.0.0',
    gateway: '10.30.0.2',
    mask: '255.255.0.0',
    flags: 0x3,
    refCnt: 0,
    use: 0,
    metric: 7,
    mtu: 1400,
    window: 5000,
    irtt: 30,
  });
  assert.equal(byDest('0.0.0.0', '0.0.0.0')?.gateway, '10.20.0.2');
  assert.equal(byDest('10.66.0.0', '255.255.0.0')?.iface, '*');
  assert.equal(byDest('10.66.0.0', '255.255.0.0')?.flags, 0x0201);
  assert.equal(byDest('192.168.77.7', '255.255.255.255')?.flags, 0x0007);
});

test('rich: decoded IPv6 routes use inet_ntop text and keep the kernel numbers', () => {
  const v6 = parseIpv6Route(read('rich', 'ipv6_route')).value;
  assert.deepEqual(
    v6.find((r) => r.destination === 'fd50::'),
    {
      destination: 'fd50::',
      destPrefix: 48,
      source: '::',
      sourcePrefix: 0,
      nextHop: 'fd20::2',
      metric: 100,
      refCnt: 2,
      use: 0,
      flags: 0x3,
      iface: 'veth-r1',
    },
  );
  assert.ok(v6.some((r) => r.destination === '::ffff:0.0.0.0' && r.destPrefix === 96));
  const reject = v6.filter((r) => r.destination === '::' && r.iface === 'lo');
  assert.ok(reject.length > 0);
  assert.ok(reject.every((r) => r.metric === 0xffffffff && r.flags === 0x00200200));
});

test('inet_ntop forms: zero runs, single zero groups, IPv4 tails', () => {
  const line = (hex: string): string => `${hex} 80 ${'0'.repeat(32)} 00 ${'0'.repeat(32)} 00000000 00000001 00000000 00000001     eth0`;
  const dest = (hex: string): string | undefined => parseIpv6Route(line(hex)).value[0]?.destination;
  assert.equal(dest('0'.repeat(32)), '::');
  assert.equal(dest('0'.repeat(31) + '1'), '::1');
  assert.equal(dest('20010db8000000010000000000000001'), '2001:db8:0:1::1'); // longest run wins
  assert.equal(dest('20010db8000000000001000000000001'), '2001:db8::1:0:0:1'); // first of equal runs
  assert.equal(dest('20010db8000100010001000100010001'), '2001:db8:1:1:1:1:1:1');
  assert.equal(dest('20010db8000000010001000100010001'), '2001:db8:0:1:1:1:1:1'); // lone zero stays
  assert.equal(dest('00000000000000000000ffffc0000201'), '::ffff:192.0.2.1');
  assert.equal(dest('000000000000000000000000c0000201'), '::192.0.2.1');
  assert.equal(dest('FE800000000000000000000000000001'), 'fe80::1');
});

test('odd files: malformed and truncated lines are counted, the rest kept', () => {
  const v4 = parseRoute(read('odd', 'route'));
  assert.equal(v4.value.length, 2);
  assert.equal(v4.skipped, 2); // a non-hex destination and a line cut short
  const v6 = parseIpv6Route(read('odd', 'ipv6_route'));
  assert.equal(v6.value.length, 2);
  assert.equal(v6.skipped, 2);
});

test('empty and header-only files yield nothing and skip nothing', () => {
  assert.deepEqual(parseRoute(''), { value: [], skipped: 0 });
  assert.deepEqual(parseRoute(read('host', 'route').split('\n')[0] + '\n'), { value: [], skipped: 0 });
  assert.deepEqual(parseIpv6Route(''), { value: [], skipped: 0 });
});

test('an IPv6 route without a device keeps an empty iface; a line cut after the flags does not parse', () => {
  const head = `fd670000000000000000000000000000 30 ${'0'.repeat(32)} 00 ${'0'.repeat(32)} 00000400 00000001 00000000 00200200`;
  assert.deepEqual(
    parseIpv6Route(`${head}         \n`).value.map((r) => r.iface),
    [''],
  );
  assert.deepEqual(parseIpv6Route(head), { value: [], skipped: 1 });
});

test('IPv6: cached routes are left out, routes without RTF_UP are shown', () => {
  const route = {
    destination: 'fd00::',
    destPrefix: 64,
    source: '::',
    sourcePrefix: 0,
    nextHop: '::',
    metric: 256,
    refCnt: 1,
    use: 0,
    iface: 'eth0',
  };
  const out = formatRoutes6(
    [
      { ...route, flags: 0x01000001 },
      { ...route, flags: 0x00000000, iface: 'down0' },
    ],
    { numeric: true, extend: 0 },
  );
  assert.equal(out.split('\n').length, 4);
  assert.match(out, /down0/);
  assert.doesNotMatch(out, /eth0/);
});

test('IPv4: names are cut to 15 characters; 0.0.0.0/1 stays numeric; reject routes lose U and G', () => {
  const base = { iface: 'eth0', gateway: '0.0.0.0', refCnt: 0, use: 0, metric: 0, mtu: 0, window: 0, irtt: 0 };
  const out = formatRoutes4(
    [
      { ...base, destination: '0.0.0.0', mask: '128.0.0.0', flags: 0x1 },
      { ...base, destination: '10.1.2.3', mask: '255.255.255.255', flags: 0x5 },
      { ...base, destination: '10.9.0.0', mask: '255.255.0.0', flags: 0x203, gateway: '10.0.0.1' },
    ],
    { numeric: false, extend: 1, hostName: () => 'a-very-long-host-name.example' },
  );
  assert.equal(
    out,
    [
      'Kernel IP routing table',
      'Destination     Gateway         Genmask         Flags Metric Ref    Use Iface',
      '0.0.0.0         0.0.0.0         128.0.0.0       U     0      0        0 eth0',
      'a-very-long-hos 0.0.0.0         255.255.255.255 UH    0      0        0 eth0',
      '10.9.0.0        -               255.255.0.0     !     0      -        0 -',
      '',
    ].join('\n'),
  );
});

test('readRoutes4/readRoutes6 read below the root and report a missing file', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'nd-routes-'));
  try {
    const empty = await readRoutes4(kernelFs(root));
    assert.equal(empty.ok, false);
    assert.match(empty.ok ? '' : empty.error, /^\/proc\/net\/route: not available/);
    mkdirSync(path.join(root, 'proc/net'), { recursive: true });
    copyFileSync(path.join(FIXTURES, 'odd/route'), path.join(root, 'proc/net/route'));
    copyFileSync(path.join(FIXTURES, 'rich/ipv6_route'), path.join(root, 'proc/net/ipv6_route'));
    const v4 = await readRoutes4(kernelFs(root));
    assert.ok(v4.ok);
    assert.equal(v4.value.length, 2);
    assert.equal(v4.skipped, 2);
    const v6 = await readRoutes6(kernelFs(root));
    assert.ok(v6.ok);
    assert.equal(v6.value.length, lineCount(read('rich', 'ipv6_route')));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
