// --replay with bad input: a missing or unreadable file, and corrupt lines, each end with
// exit code 2 and one line on stderr that says what is wrong and where (the line number).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, type RunResult } from './helpers/netns.js';

const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));
const cli = (args: string[]): Promise<RunResult> => run(process.execPath, [CLI, ...args]);

let dir = '';
/** A good recording: a header and three samples of this host. */
let good: string[] = [];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'netdash-replay-'));
  const file = join(dir, 'good.ndjson');
  const r = await cli(['--record', file, '--json', '0.2', '--count', '3']);
  assert.equal(r.code, 0, r.stderr);
  good = readFileSync(file, 'utf8').split('\n');
  assert.equal(good.pop(), '', 'a recording ends with a newline');
  // A header, three samples and the run's end line (netdash-record/2).
  assert.equal(good.length, 5);
  assert.match(good[4]!, /^\{"run":"[^"]+","end":true\}$/);
});

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function writeRecording(name: string, lines: string[], trailingNewline = true): string {
  const file = join(dir, name);
  writeFileSync(file, lines.join('\n') + (trailingNewline ? '\n' : ''));
  return file;
}

/** Exit code 2 and exactly one stderr line, 'netdash: …', matching `message`; no stack trace. */
async function assertReplayError(file: string, message: RegExp, flags: string[] = ['--json']): Promise<void> {
  const r = await cli(['--replay', file, ...flags, '--speed', '0']);
  const lines = r.stderr.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  assert.equal(lines.length, 1, `expected one stderr line, got:\n${r.stderr}`);
  assert.match(lines[0]!, /^netdash: /);
  assert.match(lines[0]!, message);
  assert.equal(r.code, 2, `exit code ${r.code}, stderr: ${r.stderr}`);
}

describe('--replay of bad input', () => {
  it('replays the good recording (the baseline the corrupt ones are made from)', async () => {
    const file = writeRecording('copy.ndjson', good);
    const r = await cli(['--replay', file, '--json', '--speed', '0']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout.trimEnd().split('\n').length, 3);
  });

  it('a missing file', async () => {
    const file = join(dir, 'does-not-exist.ndjson');
    await assertReplayError(file, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*no such file`));
  });

  it('a directory instead of a file', async () => {
    await assertReplayError(dir, /cannot read recording/);
  });

  it('an empty file', async () => {
    await assertReplayError(writeRecording('empty.ndjson', [], false), /empty/);
  });

  it('a line that is not JSON, in the middle', async () => {
    const lines = [...good];
    lines[2] = '{"mono": 12.5, "boot": {"bootTime"';
    await assertReplayError(writeRecording('garbage.ndjson', lines), /line 3\b.*not valid JSON/);
  });

  it('a last line cut short (a run killed mid-write)', async () => {
    const lines = [...good];
    lines[3] = lines[3]!.slice(0, Math.floor(lines[3]!.length / 2));
    await assertReplayError(writeRecording('truncated.ndjson', lines, false), /line 4\b/);
  });

  it('a blank line in the middle', async () => {
    const lines = [good[0]!, good[1]!, '', good[2]!];
    await assertReplayError(writeRecording('blank.ndjson', lines), /line 3\b/);
  });

  it('a first line that is not a header', async () => {
    await assertReplayError(writeRecording('no-header.ndjson', good.slice(1)), /line 1\b.*schema/);
    await assertReplayError(
      writeRecording('bad-schema.ndjson', [good[0]!.replace(/netdash-record\/\d+/, 'netdash-record/99'), ...good.slice(1)]),
      /line 1\b.*schema/,
    );
  });

  it('JSON that is not a sample', async () => {
    for (const bad of ['{"hello":"world"}', '[1,2,3]', '42', 'null', '{"mono":"12","boot":{},"snapshot":{}}']) {
      const lines = [...good];
      lines[2] = bad;
      await assertReplayError(writeRecording('not-sample.ndjson', lines), /line 3\b/);
    }
  });

  it('a sample whose snapshot is damaged', async () => {
    const sample = JSON.parse(good[2]!) as { mono: number; boot: unknown; snapshot: Record<string, unknown> };
    const damaged = [
      // The socket tables are gone.
      JSON.stringify({ ...sample, snapshot: { time: sample.snapshot['time'] } }),
      // The boot info is null.
      JSON.stringify({ ...sample, boot: null }),
    ];
    for (const bad of damaged) {
      const lines = [...good];
      lines[2] = bad;
      await assertReplayError(writeRecording('damaged.ndjson', lines), /line 3\b/);
    }
  });

  it('a sample with one damaged section', async () => {
    const sample = JSON.parse(good[2]!) as { mono: number; boot: unknown; snapshot: Record<string, unknown> };
    const damaged = [
      // A socket table that says ok but has no rows.
      JSON.stringify({ ...sample, snapshot: { ...sample.snapshot, inet: { tcp: { ok: true } } } }),
      // An interface list that is not a list.
      JSON.stringify({ ...sample, snapshot: { ...sample.snapshot, interfaces: { ok: true, value: 5, skipped: 0 } } }),
      // A time no Date can hold.
      JSON.stringify({ ...sample, snapshot: { ...sample.snapshot, time: 1e300 } }),
    ];
    for (const bad of damaged) {
      const lines = [...good];
      lines[2] = bad;
      await assertReplayError(writeRecording('damaged-section.ndjson', lines), /line 3\b/);
    }
  });

  it('the error names the line in print mode too', async () => {
    const lines = [...good];
    lines[3] = '}{';
    await assertReplayError(writeRecording('print.ndjson', lines), /line 4\b/, ['--print', '-s']);
  });
});

describe('--replay of an appended recording', () => {
  it('two runs recorded into one file: no negative elapsed time across the second header', async () => {
    const file = join(dir, 'appended.ndjson');
    for (let i = 0; i < 2; i++) {
      const r = await cli(['--record', file, '--json', '0.2', '--count', '2']);
      assert.equal(r.code, 0, r.stderr);
    }
    const r = await cli(['--replay', file, '--json', '--speed', '0']);
    assert.equal(r.code, 0, r.stderr);
    const docs = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { seq: number; elapsedMs: number | null });
    assert.equal(docs.length, 4);
    for (const d of docs) {
      assert.ok(d.elapsedMs === null || d.elapsedMs > 0, `sample ${d.seq}: elapsedMs ${d.elapsedMs}`);
    }
  });
});
