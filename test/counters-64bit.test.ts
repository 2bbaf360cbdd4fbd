// 64-bit kernel counters kept exact end to end: parsed, subtracted, printed and written as
// JSON without rounding (a JavaScript number is exact only up to 2^53). `--print -s` on a
// fixture root full of 2^64 - 1 and other wide values is byte-equal to the real `netstat -s`
// run over the same files (bind-mounted on /proc in a mount namespace of its own).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { counterDiff, exactCounter } from '../src/model/counter-value.js';
import { CounterTracker } from '../src/sampler/counter-deltas.js';
import { decodeRaw, encodeRaw, readRecording, Recorder, RECORD_SCHEMA } from '../src/sampler/recording.js';
import { parseSnmp } from '../src/sources/snmp.js';
import { run } from './helpers/netns.js';
import { prereq } from './helpers/prereq.js';
import { Feeder, names, nif } from './helpers/dashboard-samples.js';
import { parseOptions } from '../src/cli/options.js';
import { Store } from '../src/dashboard/store.js';

const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));
const SYNTHETIC = fileURLToPath(new URL('../../test/fixtures/snmp/synthetic/proc/net/', import.meta.url));
const ENV = { ...process.env, LC_ALL: 'C' };

const MAX = '18446744073709551615'; // 2^64 - 1
/** Wide values in turn: 2^64 - 1, just past 2^53, a 20-digit one, 2^53 itself, -1, small. */
const WIDE = [MAX, '9007199254740993', '12345678901234567891', '9007199254740992', '-1', '7', '18446744073709551614', '0'];

let root = '';
before(() => {
  root = mkdtempSync(path.join(tmpdir(), 'netdash-u64-'));
  mkdirSync(path.join(root, 'proc/net'), { recursive: true });
  let k = 0;
  for (const f of ['snmp', 'netstat']) {
    let pair = 0;
    const out = readFileSync(path.join(SYNTHETIC, f), 'utf8')
      .split('\n')
      .map((l) => {
        if (!l.trim()) return l;
        return pair++ % 2 === 0 ? l : l.replace(/ -?\d+/g, () => ` ${WIDE[k++ % WIDE.length]}`);
      });
    writeFileSync(path.join(root, 'proc/net', f), out.join('\n'));
  }
  cpSync(path.join(SYNTHETIC, 'snmp6'), path.join(root, 'proc/net/snmp6'));
});
after(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('64-bit counters', () => {
  it('parsed exactly: a number up to 2^53 - 1 (Number.MAX_SAFE_INTEGER), a bigint from 2^53 on', () => {
    const { value } = parseSnmp(`Tcp: A B C D\nTcp: ${MAX} 9007199254740993 9007199254740992 -1\n`);
    assert.deepEqual(value['Tcp'], { A: 18446744073709551615n, B: 9007199254740993n, C: 9007199254740992n, D: -1 });
    assert.equal(exactCounter('9007199254740991'), 9007199254740991);
    assert.equal(exactCounter('100000000000000000000000'), 100000000000000000000000n);
    assert.equal(counterDiff(18446744073709551615n, 18446744073709550615n), 1000);
    assert.equal(counterDiff(5, 3), 2);
  });

  it('deltas and since-mark sums are exact near 2^64 (a double would say 0 or 2048)', () => {
    const t = new CounterTracker();
    const at = (v: bigint, ms: number) =>
      t.update({ at: ms, bootTime: 1, values: new Map([['Tcp.InSegs', v]]), identities: new Map() }).get('Tcp.InSegs')!;
    at(18446744073709550615n, 0);
    const s = at(18446744073709551615n, 1000);
    assert.equal(s.delta, 1000);
    assert.equal(s.rate, 1000);
    assert.equal(s.sinceMark, 1000);
    assert.equal(s.exact, 18446744073709551615n);
    const back = at(5n, 2000);
    assert.equal(back.delta, null);
    assert.equal(back.reset, 'went-backwards');
  });

  it('--print -s is byte-equal to netstat -s on the same files', async (t) => {
    if (!prereq(t, ['root', 'netstat'])) return;
    for (const flags of [[], ['-t'], ['-u'], ['-w']]) {
      const ns = await run(
        'unshare',
        ['-m', '--propagation', 'private', 'sh', '-c', 'mount --bind "$0/proc" /proc && exec netstat -s "$@"', root, ...flags],
        { env: ENV },
      );
      assert.equal(ns.code, 0, ns.stderr);
      assert.ok(ns.stdout.includes(MAX), `netstat prints 2^64 - 1 (${flags.join(' ')})`);
      const ours = await run(process.execPath, [CLI, '--print', '-s', ...flags, '--root', root], { env: ENV });
      assert.equal(ours.stdout, ns.stdout, `netstat -s ${flags.join(' ')}`);
    }
  });

  it('--print -s without netstat: the values are printed exactly as %llu would', async () => {
    const ours = await run(process.execPath, [CLI, '--print', '-s', '--root', root], { env: ENV });
    assert.ok(ours.stdout.includes(MAX));
    assert.ok(ours.stdout.includes('9007199254740993'));
    assert.ok(ours.stdout.includes('12345678901234567891'));
    assert.ok(!/18446744073709552000|e\+/.test(ours.stdout), 'nothing rounded');
  });

  it('--json: numbers up to 2^53 - 1, exact decimal strings from 2^53 on', async () => {
    const r = await run(process.execPath, [CLI, '--json', '-s', '--root', root], { env: ENV });
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { counters: Record<string, Record<string, number | string>> };
    const all = Object.values(doc.counters).flatMap((g) => Object.values(g));
    assert.ok(
      all.includes(MAX) && all.includes('9007199254740993') && all.includes('12345678901234567891') && all.includes('9007199254740992'),
    );
    assert.ok(all.includes(-1) && all.includes(7));
    for (const v of all)
      assert.ok(typeof v === 'string' ? /^-?\d+$/.test(v) && BigInt(v) > 9007199254740991n : Number.isSafeInteger(v), String(v));
    // Interval JSON: the exact total as a string too.
    const i = await run(process.execPath, [CLI, '--json', '-s', '0.2', '--count', '1', '--root', root], { env: ENV });
    const s = JSON.parse(i.stdout) as { counters: Record<string, Record<string, { total: number | string }>> };
    const totals = Object.values(s.counters).flatMap((g) => Object.values(g).map((x) => x.total));
    assert.ok(totals.includes(MAX), 'an exact total beyond 2^53');
  });

  it('recordings keep them exact, whole and as changes', () => {
    const f = new Feeder();
    // (The helper's type says number; the model's counters may be bigints.)
    const raws = [0n, 1000n, 1001n].map((d) =>
      f.raw({ counters: { Tcp: { InSegs: 18446744073709550000n + d, Small: 1 } } as unknown as Record<string, Record<string, number>> }),
    );
    assert.deepEqual(decodeRaw(encodeRaw(raws[0]!)).snapshot.counters?.counters, { Tcp: { InSegs: 18446744073709550000n, Small: 1 } });
    const file = path.join(root, 'rec.ndjson');
    const rec = new Recorder(file, { schema: RECORD_SCHEMA, started: 'x', host: 'h', intervalMs: 2000 });
    for (const r of raws) rec.write(r);
    rec.close();
    const back = readRecording(file).samples.map((s) => s.snapshot.counters?.counters['Tcp']?.['InSegs']);
    assert.deepEqual(back, [18446744073709550000n, 18446744073709551000n, 18446744073709551001n]);
  });

  it('/proc/net/dev counters too: --print -i, --ethernet sums and --json, exact', async () => {
    const ifRoot = path.join(root, 'ifs');
    mkdirSync(path.join(ifRoot, 'proc/net'), { recursive: true });
    writeFileSync(
      path.join(ifRoot, 'proc/net/dev'),
      [
        'Inter-|   Receive                                                |  Transmit',
        ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed',
        `    lo: ${MAX} 9007199254740993 0 0 0 0 0 0 18446744073709551614 12345678901234567891 0 0 0 0 0 0`,
        '  eth0: 9007199254740993 2 0 0 0 0 0 0 9007199254740993 3 0 0 0 0 0 0',
        '  eth1: 9007199254740993 2 0 0 0 0 0 0 1 3 0 0 0 0 0 0',
        '',
      ].join('\n'),
    );
    const i = await run(process.execPath, [CLI, '--print', '-ia', '--root', ifRoot], { env: ENV });
    assert.match(i.stdout, /^lo +0 9007199254740993 +0 +0 0 +12345678901234567891 /m);
    const e = await run(process.execPath, [CLI, '--print', '--ethernet', '--root', ifRoot], { env: ENV });
    // eth0 + eth1 bytes received: 2 * (2^53 + 1), exactly.
    assert.match(e.stdout, /^Bytes +18014398509481986 *9007199254740994$/m); // (%17llu%16llu: wide values meet)
    const j = await run(process.execPath, [CLI, '--json', '-i', '--root', ifRoot], { env: ENV });
    const lo = (JSON.parse(j.stdout) as { interfaces: { name: string; counters: Record<string, number | string> }[] }).interfaces.find(
      (x) => x.name === 'lo',
    );
    assert.equal(lo?.counters['rxBytes'], MAX);
    assert.equal(lo?.counters['txPackets'], '12345678901234567891');
    assert.equal(lo?.counters['rxErrs'], 0);
  });

  it("the dashboard: an interface's and an ICMP type's detail show the exact total", () => {
    const s = new Store(parseOptions(['-a']), { names: names(), host: { name: 'h', kernel: 'k' } });
    const f = new Feeder();
    // (The helpers' types say number; the model's counters may be bigints.)
    const counters = { Icmp: { InMsgs: 18446744073709551615n, OutMsgs: 1 }, IcmpMsg: { InType8: 1 } } as unknown as Record<
      string,
      Record<string, number>
    >;
    for (let t = 0; t < 2; t++) s.ingest(f.next({ interfaces: [nif('eth0', { rxBytes: 18446744073709551615n })], counters }));
    s.dispatch({ type: 'focus', pane: 'interfaces' });
    s.dispatch({ type: 'toggleDetail' });
    assert.match(s.detailLines(100).join('\n'), /^rxBytes +18446744073709551615 /m);
    s.dispatch({ type: 'toggleDetail' });
    s.dispatch({ type: 'focus', pane: 'icmp' });
    s.dispatch({ type: 'toggleDetail' });
    assert.match(s.detailLines(100).join('\n'), /^In +18446744073709551615 total/m);
  });
});
