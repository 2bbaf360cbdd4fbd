// Recordings (netdash-record/2): written as key frames and changes, read back exactly, streamed
// in bounded memory, safe against a cut last line, a full disk, two recorders on one file, a
// file that mixes runs and crafted samples; and the old netdash-record/1 files still replay.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import type { InetSocket, ProcessOwner } from '../src/model.js';
import { applyDelta, indexRows, listDelta } from '../src/sampler/record-delta.js';
import { LineError, openLines, readLines } from '../src/sampler/record-lines.js';
import {
  encodeRaw,
  KEY_EVERY_MAX,
  openRecording,
  readRecording,
  Recorder,
  RecordOpenError,
  RECORD_SCHEMA,
  ReplayError,
} from '../src/sampler/recording.js';
import type { RawSample } from '../src/sampler/sample-engine.js';
import { estab, Feeder, listen, nif, route4, udp } from './helpers/dashboard-samples.js';
import { DIAG_MSG_LEN, diagChunks } from './helpers/diag-messages.js';
import { InetDiagParser } from '../src/sources/sock-diag.js';
import { run, type RunResult } from './helpers/netns.js';
import { prereq } from './helpers/prereq.js';

const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));
const DEMO = fileURLToPath(new URL('../../test/fixtures/recordings/demo.ndjson', import.meta.url));
/** The first 7 samples of the demo recording as it was first made, in the old format. */
const OLD_V1 = fileURLToPath(new URL('../../test/fixtures/recordings/record-v1.ndjson', import.meta.url));
const cli = (args: string[]): Promise<RunResult> => run(process.execPath, [CLI, ...args]);
const HEADER = { schema: RECORD_SCHEMA, started: '2024-01-01T00:00:00.000Z', host: 'test', intervalMs: 2000 };

let dir = '';
let n = 0;
const file = (name = 'rec'): string => join(dir, `${name}-${n++}.ndjson`);
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'netdash-rec2-'));
});
after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Ticks of a host whose table changes every way a table can: rows open, close, change
 *  state and queues, move, repeat a key; owners and counters change; a section fails and
 *  comes back; counters lose a name. */
function churningRaws(ticks: number): RawSample[] {
  const f = new Feeder();
  const out: RawSample[] = [];
  for (let t = 0; t < ticks; t++) {
    const inet: InetSocket[] = [listen(22), listen(80), udp(53)];
    for (let c = 0; c < 40; c++) {
      if ((c + t) % 7 === 0) continue; // closed this tick
      inet.push(
        estab(40000 + c, 50000 + c + (c % 5 === 0 ? t : 0), { sendQ: c % 3 === 0 ? t * 10 : 0, state: (c + t) % 11 === 0 ? 8 : 1 }),
      );
    }
    if (t % 4 === 1) inet.reverse();
    inet.push(estab(40000, 50000)); // a key seen twice
    const owners = new Map<number, ProcessOwner>([
      [1022, { pid: 1, program: 'sshd' }],
      [5000 + t, { pid: 100 + t, program: `p${t}` }],
    ]);
    const counters: Record<string, Record<string, number>> = { Tcp: { ActiveOpens: t * 3, MaxConn: -1 } };
    // A group that comes and goes between two others: a replay keeps the kernel's order.
    if (t % 3 === 2) counters['Icmp'] = { InMsgs: t };
    counters['Udp'] = { InDatagrams: 7 };
    if (t % 5 === 3) delete counters['Udp'];
    const raw = f.raw({
      inet,
      owners,
      counters,
      interfaces: [nif('lo', { rxBytes: t * 100 })],
      routes4: [route4('0.0.0.0', '10.0.0.1', '0.0.0.0')],
    });
    if (t % 6 === 4) raw.snapshot.unix = { ok: false, error: '/proc/net/unix: permission denied' };
    out.push(raw);
  }
  return out;
}

describe('changes against the previous table (record-delta)', () => {
  it('rebuilds every table exactly, order and all', () => {
    const key = (r: unknown): string => String((r as { k: number }).k);
    const tables = [
      [
        { k: 1, v: 1 },
        { k: 2, v: 2 },
        { k: 3, v: 3 },
      ],
      [
        { k: 3, v: 3 },
        { k: 1, v: 1 },
        { k: 2, v: 9 },
        { k: 4, v: 4 },
      ],
      [],
      [
        { k: 4, v: 4 },
        { k: 4, v: 4 },
        { k: 5, v: 5, extra: true },
      ],
    ];
    for (let i = 1; i < tables.length; i++) {
      const prev = tables[i - 1]!,
        next = tables[i]!;
      const ops = listDelta(prev, () => indexRows(prev, key), next, key);
      assert.deepEqual(applyDelta(prev, JSON.parse(JSON.stringify(ops))), next);
    }
  });

  it('a steady table is one copy, its rows the previous objects', () => {
    const rows = Array.from({ length: 1000 }, (_, i) => ({ k: i }));
    const ops = listDelta(
      rows,
      () => {
        throw new Error('no lookup needed');
      },
      [...rows],
      () => '',
    );
    assert.deepEqual(ops, [[0, 1000]]);
    const back = applyDelta(rows, ops) as unknown[];
    assert.ok(back.every((r, i) => r === rows[i]));
  });

  it('changes that do not apply are named', () => {
    assert.match(String(applyDelta([1], [[0, 2]])), /copy of rows 0\+2 of 1/);
    assert.match(String(applyDelta([{ a: 1 }], [[3, { a: 2 }]])), /row 3 of 1/);
    assert.match(String(applyDelta([], ['x'])), /unknown change/);
  });
});

describe('a recording written and read back', () => {
  it('every sample comes back exactly as it was recorded (key frames and changes)', () => {
    const raws = churningRaws(40);
    const f = file();
    const rec = new Recorder(f, HEADER);
    for (const r of raws) rec.write(r);
    rec.close();
    assert.ok(rec.keyFrames >= 1 && rec.keyFrames < raws.length, `${rec.keyFrames} key frames`);
    const back = readRecording(f);
    assert.equal(back.header.schema, 'netdash-record/2');
    assert.equal(back.samples.length, raws.length);
    back.samples.forEach((s, i) => assert.equal(encodeRaw(s), encodeRaw(raws[i]!), `sample ${i}`));
    const lines = readFileSync(f, 'utf8').trimEnd().split('\n');
    assert.ok(
      lines.every((l) => l.startsWith(`{"run":"${rec.run}"`)),
      'a run id on every line',
    );
    assert.equal(lines[lines.length - 1], `{"run":"${rec.run}","end":true}`);
  });

  it("rows the live reader hands on from dump to dump, their tcp_info read from the latest: every tick's tcp_info is recorded", () => {
    // The sock_diag reader gives a socket the same row object while its own fields stand, its
    // tcp_info and memory views reading the latest dump: the recorder must not take the
    // previous sample's row, the same object, for an unchanged one.
    const f = new Feeder();
    const path = file();
    const rec = new Recorder(path, HEADER);
    const written: string[] = [];
    let first: InetSocket[] | null = null;
    for (let t = 1; t <= 4; t++) {
      const p = new InetDiagParser('tcp', true, true);
      for (const [chunk, used] of diagChunks(3, t)) for (let o = 0; o < used; o += DIAG_MSG_LEN) p.message(chunk, o, DIAG_MSG_LEN);
      const rows = p.finish();
      first ??= rows;
      assert.equal(rows[0], first[0], 'the same row object');
      const raw = f.raw({ inet: rows });
      written.push(encodeRaw(raw));
      rec.write(raw);
    }
    rec.close();
    const back = readRecording(path).samples;
    assert.equal(back.length, 4);
    back.forEach((s, i) => assert.equal(encodeRaw(s), written[i], `sample ${i}`));
    const row = back[3]!.snapshot.inet.tcp?.ok ? back[3]!.snapshot.inet.tcp.value[1] : undefined;
    assert.equal(row?.tcpInfo?.bytesAcked, 4001);
    // The live row's tcp_info and memory are one object, each written as its own.
    assert.equal(first![1]!.mem, first![1]!.tcpInfo);
    assert.deepEqual(row?.mem, {
      rmemAlloc: 0,
      rcvbuf: 0,
      wmemAlloc: 0,
      sndbuf: 0,
      fwdAlloc: 0,
      wmemQueued: 0,
      optmem: 0,
      backlog: 0,
      drops: 0,
    });
    assert.equal(row?.tcpInfo?.length, 280);
  });

  it('a steady table costs a few bytes a tick, not its size', () => {
    const f = new Feeder();
    const inet = Array.from({ length: 5000 }, (_, i) => estab(10000 + i, 40000 + (i % 20000)));
    const path = file();
    const rec = new Recorder(path, HEADER);
    const sizes: number[] = [];
    for (let t = 0; t < 10; t++) {
      const before = rec.bytes;
      rec.write(f.raw({ inet }));
      sizes.push(rec.bytes - before);
    }
    rec.close();
    assert.ok(sizes[0]! > 500_000, `the key frame holds the table: ${sizes[0]} bytes`);
    for (const s of sizes.slice(1)) assert.ok(s < 2000, `a steady tick is ${s} bytes`);
    assert.equal(readRecording(path).samples.length, 10);
  });

  it('a key frame at least every KEY_EVERY_MAX ticks', () => {
    const f = new Feeder();
    const path = file();
    const rec = new Recorder(path, HEADER);
    for (let t = 0; t < KEY_EVERY_MAX + 2; t++) rec.write(f.raw({ inet: [listen(22)] }));
    rec.close();
    const keys = readFileSync(path, 'utf8')
      .split('\n')
      .filter((l) => l.includes('"key":true')).length;
    assert.ok(keys >= 2, `${keys} key frames`);
  });

  it('the old format (netdash-record/1, the first demo recording) still replays', async () => {
    const old = readRecording(OLD_V1);
    assert.equal(old.header.schema, 'netdash-record/1');
    assert.ok(old.samples.length > 5);
    const r = await cli(['--replay', OLD_V1, '--json', '--speed', '0']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trimEnd().split('\n').length, old.samples.length);
  });

  it('samples are read as they are asked for: a damaged line far on is not read before the first sample is given', () => {
    const raws = churningRaws(3);
    const path = file();
    const rec = new Recorder(path, HEADER);
    for (const r of raws) rec.write(r);
    rec.close();
    appendFileSync(path, 'not json\n');
    const it = openRecording(path).samples[Symbol.iterator]();
    assert.equal(it.next().done, false);
    assert.throws(() => {
      for (let r = it.next(); !r.done; r = it.next()) {
        /* on to the damage */
      }
    }, /line 6: not valid JSON/);
  });
});

describe('a recording cut short', () => {
  it('a cut last line is left out with a warning; the rest replays', async () => {
    const path = file();
    const rec = new Recorder(path, HEADER);
    for (const r of churningRaws(4)) rec.write(r);
    rec.close();
    // As a recorder killed mid-write leaves it: no end line, the last line half on disk, and
    // its process gone (a run id of no living process).
    const text = readFileSync(path, 'utf8')
      .replace(/[^\n]*"end":true\}\n$/, '')
      .replaceAll(rec.run, '999999-1-deadbeef');
    const lastStart = text.lastIndexOf('\n', text.length - 2) + 1;
    writeFileSync(path, text.slice(0, lastStart + Math.floor((text.length - lastStart) / 2)));
    const warnings: string[] = [];
    assert.equal(readRecording(path, (w) => warnings.push(w)).samples.length, 3);
    assert.match(warnings.join('\n'), /line 5: the last line is incomplete/);
    const r = await cli(['--replay', path, '--json', '--speed', '0']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trimEnd().split('\n').length, 3);
    assert.match(r.stderr, /^netdash: recording .*, line 5: the last line is incomplete \(cut off mid-write\); it is left out\n$/);
    // A recorder appending later removes the cut line first, so nothing is glued to it.
    const more = new Recorder(path, HEADER);
    more.write(churningRaws(1)[0]!);
    more.close();
    const warned: string[] = [];
    assert.equal(readRecording(path, (w) => warned.push(w)).samples.length, 4);
    assert.deepEqual(warned, []);
  });

  it('a full disk: the recorder stops with one line, and every line on disk replays', async (t) => {
    if (!prereq(t, ['root'])) return;
    const mnt = join(dir, 'small');
    execFileSync('mkdir', ['-p', mnt]);
    const out = join(dir, 'full-copy.ndjson');
    // A 64 KiB tmpfs in a mount namespace of its own: full after a few ticks.
    const r = await run('unshare', [
      '-m',
      'sh',
      '-c',
      'mount -t tmpfs -o size=64k tmpfs "$1" && "$2" "$3" --json 0.2 --count 200 --record "$1/r.ndjson" >/dev/null; s=$?; cp "$1/r.ndjson" "$4"; exit $s',
      'sh',
      mnt,
      process.execPath,
      CLI,
      out,
    ]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^netdash: cannot write recording .*r\.ndjson: no space left on the device\n$/);
    const text = readFileSync(out, 'utf8');
    assert.ok(text.endsWith('\n'), 'no line cut short');
    const warnings: string[] = [];
    const rec = readRecording(out, (w) => warnings.push(w));
    assert.ok(rec.samples.length >= 1, `${rec.samples.length} samples`);
    assert.deepEqual(warnings, []);
  });
});

describe('one recorder per file', () => {
  it('a second recorder into a file being recorded is refused; after the first ends, it may append', () => {
    const path = file();
    const first = new Recorder(path, HEADER);
    first.write(churningRaws(1)[0]!);
    assert.throws(
      () => new Recorder(path, HEADER),
      (e: unknown) =>
        e instanceof RecordOpenError && new RegExp(`another netdash \\(pid ${process.pid}\\) is recording into it`).test(e.message),
    );
    first.close();
    const second = new Recorder(path, HEADER);
    second.write(churningRaws(1)[0]!);
    second.close();
    assert.equal(readRecording(path).samples.length, 2);
  });

  it('two netdash processes: the second exits 2 with one line; a killed recorder does not block the next', async () => {
    const path = file();
    const firstProc = spawn(process.execPath, [CLI, '--json', '0.2', '--record', path], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      for (let i = 0; i < 300 && !(existsSync(path) && readFileSync(path, 'utf8').split('\n').length >= 3); i++)
        await new Promise((res) => setTimeout(res, 50));
      const second = await cli(['--json', '0.2', '--count', '1', '--record', path]);
      assert.equal(second.code, 2);
      assert.equal(second.stderr, `netdash: cannot write recording ${path}: another netdash (pid ${firstProc.pid}) is recording into it\n`);
    } finally {
      firstProc.kill('SIGKILL');
      await new Promise((res) => firstProc.once('close', res));
    }
    // SIGKILL: no end line, but its process is gone.
    const third = await cli(['--json', '0.2', '--count', '1', '--record', path]);
    assert.equal(third.code, 0, third.stderr);
    const r = await cli(['--replay', path, '--json', '--speed', '0']);
    assert.equal(r.code, 0, r.stderr);
  });

  it('a file whose runs interleave (two recorders at once) is refused, not merged', async () => {
    const a = file('a'),
      b = file('b');
    for (const p of [a, b]) {
      const rec = new Recorder(p, HEADER);
      for (const r of churningRaws(3)) rec.write(r);
      rec.close();
    }
    const la = readFileSync(a, 'utf8').trimEnd().split('\n');
    const lb = readFileSync(b, 'utf8').trimEnd().split('\n');
    // a's header and first sample, b's header and first sample, then a again.
    const mixed = file('mixed');
    writeFileSync(mixed, [la[0], la[1], lb[0], lb[1], la[2], la[3], la[4]].join('\n') + '\n');
    const r = await cli(['--replay', mixed, '--json', '--speed', '0']);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /^netdash: recording .*, line 5: run \S+ goes on after run \S+ began at line 3: two recorders wrote into this file at once, and their samples are not merged\n$/,
    );
    assert.equal(r.stdout, '', 'nothing is shown from a file that is refused');
    // One after the other (a then b) is fine: two runs, the engine starts over at the second.
    const seq = file('seq');
    writeFileSync(seq, [...la, ...lb].join('\n') + '\n');
    assert.equal(readRecording(seq).samples.length, 6);
    // A refused recorder leaves its header and end line in the middle of a run: ignored.
    const refused = file('refused');
    writeFileSync(
      refused,
      [
        la[0],
        la[1],
        '{"run":"1-1-deadbeef","schema":"netdash-record/2","started":"x","host":"h","intervalMs":200}',
        '{"run":"1-1-deadbeef","end":true}',
        la[2],
        la[3],
        la[4],
      ].join('\n') + '\n',
    );
    assert.equal(readRecording(refused).samples.length, 3);
  });
});

describe('crafted samples', () => {
  let lines: string[] = [];
  before(() => {
    const path = file();
    const rec = new Recorder(path, HEADER);
    for (const r of churningRaws(4)) rec.write(r);
    rec.close();
    lines = readFileSync(path, 'utf8').trimEnd().split('\n');
  });

  it('a clock that goes back: a warning, counting starts over, no negative elapsed time', async () => {
    const back = [...lines];
    back[3] = back[3]!.replace(/"mono":[0-9.]+/, '"mono":5');
    const path = file();
    writeFileSync(path, back.join('\n') + '\n');
    const r = await cli(['--replay', path, '--json', '--speed', '0']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /line 4: the monotonic clock goes back \d+ ms; counting starts over there/);
    const docs = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { elapsedMs: number | null });
    assert.equal(docs.length, 4);
    for (const d of docs) assert.ok(d.elapsedMs === null || d.elapsedMs > 0, String(d.elapsedMs));
  });

  it('a table read after its own sample (negative age) is refused', async () => {
    const bad = [...lines];
    bad[2] = bad[2]!.replace(/"mono":([0-9.]+)/, (_m, v: string) => `"mono":${v},"inetAt":${Number(v) + 1000}`);
    const path = file();
    writeFileSync(path, bad.join('\n') + '\n');
    const r = await cli(['--replay', path, '--json', '--speed', '0']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /line 3: damaged sample: inetAt is later than the sample/);
  });

  it('negative and shrinking counters: never a negative change or rate', async () => {
    const bad = [...lines];
    bad[1] = bad[1]!.replace('"ActiveOpens":0', '"ActiveOpens":-50');
    const path = file();
    writeFileSync(path, bad.join('\n') + '\n');
    const r = await cli(['--replay', path, '--json', '-s', '--speed', '0']);
    assert.equal(r.code, 0, r.stderr);
    for (const l of r.stdout.trimEnd().split('\n')) {
      const c = (JSON.parse(l) as { counters: { Tcp: { ActiveOpens: { delta: number | null; rate: number | null } } } }).counters.Tcp
        .ActiveOpens;
      assert.ok((c.delta ?? 0) >= 0 && (c.rate ?? 0) >= 0, JSON.stringify(c));
    }
  });

  it('an absurd --speed is refused with one line naming the range', async () => {
    for (const speed of ['1e9', '-1', 'NaN', 'Infinity']) {
      const r = await cli(['--replay', DEMO, '--json', '--speed', speed]);
      assert.equal(r.code, 2, speed);
      assert.match(r.stderr, /^netdash: invalid speed .*from 0 to 1000\n$/, speed);
    }
  });
});

describe('recordings that are not files', () => {
  it('/dev/zero or a FIFO as the recording: refused at once', async () => {
    const zero = join(dir, 'zero.ndjson');
    symlinkSync('/dev/zero', zero);
    const fifo = join(dir, 'fifo.ndjson');
    execFileSync('mkfifo', [fifo]);
    for (const p of [zero, fifo]) {
      const r = await cli(['--replay', p, '--json', '--speed', '0']);
      assert.equal(r.code, 2);
      assert.equal(r.stderr, `netdash: cannot read recording ${p}: not a regular file (a device, FIFO or socket)\n`);
    }
  });

  it('a file that is one endless line: refused at the line cap, memory bounded by it', () => {
    const p = join(dir, 'endless.ndjson');
    writeFileSync(p, '');
    truncateSync(p, 3 * 1024 * 1024); // zeros, no newline
    assert.throws(
      () => {
        for (const _ of readLines(openLines(p), 1024 * 1024)) {
          /* */
        }
      },
      (e: unknown) => e instanceof LineError && e.line === 1 && /longer than 1 MiB/.test(e.message),
    );
    assert.throws(() => openRecording(join(dir, 'missing.ndjson')), ReplayError);
  });
});

describe('replay memory', () => {
  /** Peak RSS (KiB) of netdash replaying `file`, from a preload that reports it at exit. */
  async function peakRss(file: string): Promise<number> {
    const preload = join(dir, 'maxrss.mjs');
    writeFileSync(
      preload,
      "import { writeSync } from 'node:fs';\nprocess.on('exit', () => writeSync(2, `maxrss=${process.resourceUsage().maxRSS}\\n`));\n",
    );
    const r = await run(process.execPath, ['--import', preload, CLI, '--replay', file, '--print', '-s', '--speed', '0']);
    assert.equal(r.code, 0, r.stderr);
    const m = /maxrss=(\d+)/.exec(r.stderr);
    assert.ok(m, r.stderr);
    return Number(m[1]);
  }

  /** A recording of `ticks` ticks, each a table of 2000 connections none of which were there
   *  before: every tick holds all its rows (~450 KB), so a replay that kept the text or the
   *  samples would grow with the file. */
  function churnFile(name: string, ticks: number): string {
    const f = new Feeder();
    const p = file(name);
    const rec = new Recorder(p, HEADER);
    for (let t = 0; t < ticks; t++) {
      const inet = Array.from({ length: 2000 }, (_, i) =>
        estab(1024 + ((t * 2000 + i) % 60000), 1024 + t, { inode: 1_000_000 + t * 2000 + i }),
      );
      rec.write(f.raw({ inet }));
    }
    rec.close();
    return p;
  }

  it('memory does not grow with the file: ~100 MB replays in about what ~22 MB takes', async () => {
    const small = churnFile('small', 50),
      big = churnFile('big', 230);
    const grew = readFileSync(big).length - readFileSync(small).length;
    assert.ok(grew > 75 * 1024 * 1024, `${grew} bytes more`);
    const smallRss = await peakRss(small),
      bigRss = await peakRss(big);
    // The bound: one line, the previous sample and the one being built, the engine's state
    // (and the garbage collector's headroom over them): the same for both files.
    assert.ok(
      bigRss - smallRss < 32 * 1024,
      `peak RSS ${smallRss} KiB for the small file, ${bigRss} KiB for one ${Math.round(grew / 1048576)} MB bigger`,
    );
  });
});
