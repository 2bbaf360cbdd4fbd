// Every parser against thousands of seeded random mutations of the real fixtures: byte flips,
// truncation (also mid-line), duplicated, deleted and swapped lines, inserted and deleted
// columns, huge numbers, bytes that are not UTF-8, control characters and blessed tags.
// For each: the parser does not throw; every line it did not use is counted in `skipped`
// (none vanishes silently); every number it returns is finite; and the printers fed with the
// result write no control character. A failure names the seed: NETDASH_FUZZ_SEED=<seed>
// NETDASH_FUZZ_RUNS=1 repeats exactly that case. NETDASH_FUZZ_RUNS scales the run count.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InetProto } from '../src/model.js';
import { parseOptions } from '../src/cli/options.js';
import { parseHosts } from '../src/names/host-names.js';
import { parseNetworks } from '../src/names/networks.js';
import { parseProtocols, parseServices } from '../src/names/services.js';
import { parsePasswd } from '../src/names/users.js';
import { formatInet, formatUnix } from '../src/print/connections.js';
import { type ConnOptions, type NameContext } from '../src/names/netstat-notation.js';
import { formatInterfaces } from '../src/print/interfaces.js';
import { formatMasquerade } from '../src/print/masquerade.js';
import { formatRoutes4, formatRoutes6 } from '../src/print/routes.js';
import { formatStatistics } from '../src/print/statistics.js';
import { formatIntervalText, sampleJson } from '../src/print/interval-print.js';
import { encodeRaw, readRecording, RECORD_SCHEMA, ReplayError } from '../src/sampler/recording.js';
import { SampleEngine } from '../src/sampler/sample-engine.js';
import { Sampler } from '../src/sampler/sampler.js';
import { parseBtime } from '../src/sources/boot.js';
import { parseConntrack } from '../src/sources/conntrack.js';
import { parseInetSockets } from '../src/sources/inet-sockets.js';
import { parseNetDev } from '../src/sources/interfaces.js';
import type { Parsed } from '../src/sources/kernel-fs.js';
import { parseIpv6Route, parseRoute } from '../src/sources/routes.js';
import { parseSctpSnmp, parseSnmp, parseSnmp6 } from '../src/sources/snmp.js';
import { parseUnixSockets } from '../src/sources/unix-sockets.js';
import { decodeBytes } from '../src/text/bytes.js';
import { toJson } from '../src/text/printable.js';
import { JumpClock } from './helpers/fake-clock.js';
import { FaultFs } from './helpers/fault-fs.js';
import { fixtures } from './helpers/fixture-files.js';
import { mutate, Rand } from './helpers/mutate.js';

const FX = fileURLToPath(new URL('../../test/fixtures/', import.meta.url));
const RUNS = Number(process.env['NETDASH_FUZZ_RUNS'] ?? 2000);
const BASE_SEED = Number(process.env['NETDASH_FUZZ_SEED'] ?? 0x6e6464);

/** Lines a table parser must account for: non-blank, minus the header lines it may drop. */
function dataLines(text: string, isHeader: (line: string, i: number) => boolean): number {
  return text.split('\n').filter((l, i) => l.trim() !== '' && !isHeader(l, i)).length;
}

/** Every number anywhere in the value is finite (no Infinity from a 400-digit run, no NaN). */
function assertFinite(v: unknown, where: string): void {
  if (typeof v === 'number') {
    // NaN is how boot time says "unknown"; everything else must be a real number.
    assert.ok(Number.isFinite(v), `${where}: ${v}`);
  } else if (Array.isArray(v)) {
    v.forEach((x, i) => assertFinite(x, `${where}[${i}]`));
  } else if (v instanceof Map) {
    for (const [k, x] of v) {
      assertFinite(k, `${where} key`);
      assertFinite(x, `${where}.${String(k)}`);
    }
  } else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) assertFinite(x, `${where}.${k}`);
  }
}

// Control characters a printer must never write: C0 except newline, DEL, C1, bidi controls,
// and lone surrogates (escaped invalid UTF-8).
const RAW_CONTROL =
  // eslint-disable-next-line no-control-regex -- control characters are what it looks for
  /[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function assertPrintable(out: string, where: string): void {
  const m = RAW_CONTROL.exec(out);
  assert.equal(m, null, `${where}: raw U+${m?.[0].charCodeAt(0).toString(16).padStart(4, '0')} in output`);
}

const NAMES: NameContext = {
  services: new Map([['22/tcp', 'ssh']]),
  users: new Map([
    [0, 'root'],
    [65534, '\x1b[31mnobody\x07'],
  ]),
  hostName: (a) => (a === '127.0.0.1' ? 'localhost\x1b[2J' : undefined),
  owners: null,
  protocols: new Map([[1, 'icmp']]),
  networks: new Map(),
};
const CONN: ConnOptions = {
  all: true,
  listening: false,
  numericHosts: false,
  numericPorts: false,
  numericUsers: false,
  extend: 2,
  programs: true,
  timers: true,
  wide: false,
};

interface Target {
  name: string;
  inputs: Buffer[];
  parse: (text: string) => Parsed<unknown>;
  /** Header lines the parser may pass over without counting; undefined: no accounting check. */
  header?: (line: string, i: number) => boolean;
  /** Feed the parsed value to the printer(s) that show it. */
  print?: (value: never) => string;
  /** The parser belongs to another part of netdash: a non-finite number it returns is reported
   *  (as a TODO naming the seeds) rather than failing this suite. Throws still fail. */
  notOurs?: string;
}

const INET: InetProto[] = ['tcp', 'tcp6', 'udp', 'udp6', 'raw', 'raw6'];
const targets: Target[] = [
  ...INET.map((p): Target => ({
    name: `/proc/net/${p} (parseInetSockets)`,
    inputs: [...fixtures(['sockets/netns', 'sockets/host'], new RegExp(`^${p}$`)), ...fixtures(['sockets/odd'], /./)],
    parse: (t) => parseInetSockets(t, p),
    header: (_l, i) => i === 0,
    notOurs: 'src/sources/inet-sockets.ts',
    print: (v: Parameters<typeof formatInet>[0]) => formatInet(v, NAMES, CONN),
  })),
  {
    name: '/proc/net/unix',
    inputs: fixtures(['unix'], /^(unix|empty|header-only|truncated|garbage)$/),
    parse: parseUnixSockets,
    header: (_l, i) => i === 0,
    print: (v: Parameters<typeof formatUnix>[0]) => formatUnix(v, NAMES, { ...CONN, programs: false }),
  },
  {
    name: '/proc/net/dev',
    inputs: fixtures(['netdev'], /^(dev|empty|header-only|truncated|garbage|old-format)$/),
    parse: parseNetDev,
    header: (l, i) => i < 2 && l.includes('|'),
    print: (v: { name: string; counters: never }[]) =>
      formatInterfaces(
        v.map((r) => ({ ...r, sys: { flags: 0x1043, mtu: 1500, operstate: 'up' } })),
        true,
      ),
  },
  {
    name: '/proc/net/snmp and netstat',
    inputs: fixtures(['snmp'], /^(snmp|netstat|snmp-last-line-lost|snmp-mismatched|netstat-truncated|empty)$/),
    parse: parseSnmp,
    print: (v: never) => formatStatistics(v, { tcp: false, udp: false, raw: false }),
  },
  {
    name: '/proc/net/snmp6',
    inputs: fixtures(['snmp'], /^(snmp6|snmp6-odd)$/),
    parse: parseSnmp6,
    print: (v: never) => formatStatistics(v, { tcp: false, udp: false, raw: false, inet6: true }),
  },
  { name: '/proc/net/sctp/snmp', inputs: fixtures(['snmp/synthetic/proc/net/sctp'], /^snmp$/), parse: parseSctpSnmp },
  {
    name: '/proc/net/route',
    inputs: fixtures(['routes'], /^route$/),
    parse: parseRoute,
    header: (l) => l.startsWith('Iface'),
    print: (v: never) => [0, 1, 2].map((e) => formatRoutes4(v, { numeric: false, extend: e as 0 | 1 | 2 })).join(''),
  },
  {
    name: '/proc/net/ipv6_route',
    inputs: fixtures(['routes'], /^ipv6_route$/),
    parse: parseIpv6Route,
    header: () => false,
    print: (v: never) => formatRoutes6(v, { numeric: false, extend: 0 }),
  },
  {
    name: '/proc/net/nf_conntrack',
    inputs: fixtures(['conntrack'], /^(nat|nat-acct|odd|truncated|empty)$/),
    parse: parseConntrack,
    header: () => false,
    print: (v: never) => formatMasquerade(v, { numeric: false, extend: 1, all: true }),
  },
  {
    name: '/proc/stat btime',
    inputs: [Buffer.from('cpu  1 2 3 4\nintr 5\nctxt 6\nbtime 1700000000\nprocesses 7\n')],
    parse: (t) => ({ value: parseBtime(t), skipped: 0 }),
  },
  { name: '/etc/hosts', inputs: fixtures(['root-basic/etc', 'routes'], /^hosts$/), parse: (t) => ({ value: parseHosts(t), skipped: 0 }) },
  { name: '/etc/services', inputs: fixtures(['root-basic/etc'], /^services$/), parse: (t) => ({ value: parseServices(t), skipped: 0 }) },
  { name: '/etc/protocols', inputs: fixtures(['root-basic/etc'], /^protocols$/), parse: (t) => ({ value: parseProtocols(t), skipped: 0 }) },
  { name: '/etc/passwd', inputs: fixtures(['root-basic/etc'], /^passwd$/), parse: (t) => ({ value: parsePasswd(t), skipped: 0 }) },
  { name: '/etc/networks', inputs: fixtures(['routes'], /^networks$/), parse: (t) => ({ value: parseNetworks(t), skipped: 0 }) },
];

describe(`parsers under ${RUNS} random mutations each (seed base ${BASE_SEED})`, () => {
  targets.forEach((target, ti) => {
    it(target.name, (t) => {
      const nonFinite: string[] = [];
      for (let run = 0; run < RUNS; run++) {
        const seed = (BASE_SEED + ti * 1_000_003 + run * 7919) >>> 0;
        const input = target.inputs[seed % target.inputs.length] ?? Buffer.alloc(0);
        const { bytes, applied } = mutate(input, seed);
        // What kernelFs hands a parser: invalid UTF-8 kept as lone surrogates.
        const text = decodeBytes(bytes);
        const where = `${target.name}, seed ${seed} (${applied.join(', ')})`;
        let parsed: Parsed<unknown>;
        try {
          parsed = target.parse(text);
        } catch (err) {
          assert.fail(`${where}: parser threw ${err instanceof Error ? err.stack : String(err)}`);
        }
        assert.ok(Number.isInteger(parsed.skipped) && parsed.skipped >= 0, `${where}: skipped ${parsed.skipped}`);
        if (target.name !== '/proc/stat btime') {
          try {
            assertFinite(parsed.value, where);
          } catch (err) {
            if (!target.notOurs) throw err;
            nonFinite.push(err instanceof Error ? err.message : String(err));
          }
        }
        if (target.header) {
          const rows = Array.isArray(parsed.value) ? parsed.value.length : 0;
          assert.equal(
            rows + parsed.skipped,
            dataLines(text, target.header),
            `${where}: a line was dropped without being counted as skipped`,
          );
        }
        if (target.print) {
          let out = '';
          try {
            out = target.print(parsed.value as never);
          } catch (err) {
            assert.fail(`${where}: printer threw ${err instanceof Error ? err.stack : String(err)}`);
          }
          assertPrintable(out, where);
        }
      }
      if (nonFinite.length > 0) {
        t.todo(`${target.notOurs} returns non-finite numbers for digit runs too long for a double`);
        assert.fail(`${nonFinite.length} of ${RUNS} runs gave a non-finite number, e.g. ${nonFinite.slice(0, 3).join('; ')}`);
      }
    });
  });

  it('the mutations really damage the input (most runs skip a line or change the result)', () => {
    const input = readFileSync(join(FX, 'sockets/netns/tcp'));
    const clean = JSON.stringify(parseInetSockets(input.toString('utf8'), 'tcp').value);
    let changed = 0;
    for (let run = 0; run < 200; run++) {
      const text = decodeBytes(mutate(input, BASE_SEED + run).bytes);
      const p = parseInetSockets(text, 'tcp');
      if (p.skipped > 0 || JSON.stringify(p.value) !== clean) changed++;
    }
    assert.ok(changed > 150, `only ${changed} of 200 mutations changed anything`);
  });
});

// --- recordings: the replay reader is a parser too -------------------------------------------

/** Replace or delete one random node of a JSON value (the edits a damaged or hand-edited line
 *  holds that byte flips rarely make: valid JSON of the wrong shape). */
function mutateJson(v: unknown, r: Rand): unknown {
  const nodes: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const walk = (x: unknown): void => {
    if (Array.isArray(x))
      x.forEach((y, i) => {
        nodes.push({ parent: x, key: i });
        walk(y);
      });
    else if (x && typeof x === 'object')
      for (const [k, y] of Object.entries(x)) {
        nodes.push({ parent: x as Record<string, unknown>, key: k });
        walk(y);
      }
  };
  walk(v);
  if (nodes.length === 0) return v;
  const n = r.pick(nodes);
  const junk = [null, 42, -1, 0, 'x', '\x1b[31m{bold}', [], {}, [42], 1e308, true, { ok: true, value: [1] }, { ok: false }];
  if (r.float() < 0.2) {
    if (Array.isArray(n.parent)) n.parent.splice(Number(n.key), 1);
    else delete n.parent[n.key as string];
  } else {
    (n.parent as Record<string | number, unknown>)[n.key] = r.pick(junk);
  }
  return v;
}

describe('recordings under random damage', () => {
  let lines: string[] = [];
  let dir = '';
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'netdash-fuzz-rec-'));
    const fs = new FaultFs();
    const clock = new JumpClock();
    const want = {
      inet: ['tcp', 'tcp6', 'udp', 'udp6', 'raw', 'raw6'] as InetProto[],
      unix: true,
      owners: false,
      interfaces: true,
      counters: true,
      routes4: true,
      routes6: true,
      conntrack: true,
    };
    const raws: string[] = [];
    await new Sampler(fs, clock.clock, { intervalMs: 1000, want }, (_s, raw) => {
      raws.push(encodeRaw(raw));
    }).run(3);
    lines = [JSON.stringify({ schema: RECORD_SCHEMA, started: '2024-01-01T00:00:00.000Z', host: 'fuzz', intervalMs: 1000 }), ...raws];
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(`${Math.max(100, Math.floor(RUNS / 4))} damaged recordings: a ReplayError naming the line, or samples every printer takes`, () => {
    const o = [
      parseOptions(['--print', '-a']),
      parseOptions(['--print', '-s', '1']),
      parseOptions(['--print', '-i', '1']),
      parseOptions(['--json', '1']),
    ];
    const names: NameContext = { ...NAMES, owners: null };
    const file = join(dir, 'rec.ndjson');
    const runs = Math.max(100, Math.floor(RUNS / 4));
    let rejected = 0;
    for (let run = 0; run < runs; run++) {
      const seed = (BASE_SEED + 77_777 + run * 104_729) >>> 0;
      const r = new Rand(seed);
      let bytes: Buffer;
      let applied: string[];
      if (run % 2 === 0) {
        const ls = [...lines];
        const i = 1 + r.int(ls.length - 1);
        ls[i] = JSON.stringify(mutateJson(JSON.parse(ls[i] ?? '{}'), r));
        bytes = Buffer.from(ls.join('\n') + '\n');
        applied = [`json edit of line ${i + 1}`];
      } else {
        ({ bytes, applied } = mutate(Buffer.from(lines.join('\n') + '\n'), seed));
      }
      writeFileSync(file, bytes);
      const where = `recording, seed ${seed} (${applied.join(', ')})`;
      let rec: ReturnType<typeof readRecording>;
      try {
        rec = readRecording(file);
      } catch (err) {
        assert.ok(err instanceof ReplayError, `${where}: ${err instanceof Error ? err.stack : String(err)}`);
        assert.match(err.message, /line \d+|is empty/, where);
        rejected++;
        continue;
      }
      try {
        const engine = new SampleEngine();
        for (const raw of rec.samples) {
          const s = engine.ingest(raw);
          for (const opts of o) {
            if (opts.mode === 'json') assertPrintable(toJson(sampleJson(s, opts, names, 'h')), where);
            else {
              const t = formatIntervalText(s, opts, names);
              assertPrintable(t.out + t.errors.join('\n'), where);
            }
          }
        }
      } catch (err) {
        assert.fail(`${where}: replaying it threw ${err instanceof Error ? err.stack : String(err)}`);
      }
    }
    assert.ok(rejected > runs / 10, `only ${rejected} of ${runs} damaged recordings were rejected`);
  });
});
