// Bad flags and values: one line on stderr that says what is wrong and names the valid
// choices, nothing on stdout, exit status 2, never a stack trace. Also files named on the
// command line that cannot be used (--root, --record, --replay), and text from the command
// line echoed back safely.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseOptions } from '../src/cli/options.js';
import { run, type RunResult } from './helpers/netns.js';

const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));
const cli = (args: string[]): Promise<RunResult> => run(process.execPath, [CLI, ...args]);

/** Exit 2, nothing on stdout, exactly one stderr line "netdash: …" matching `message`. */
async function assertUsageError(args: string[], message: RegExp): Promise<string> {
  const r = await cli(args);
  const lines = r.stderr.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const what = `netdash ${args.join(' ')}`;
  assert.equal(lines.length, 1, `${what}: one stderr line, got:\n${r.stderr}`);
  assert.match(lines[0] ?? '', /^netdash: /, what);
  assert.match(lines[0] ?? '', message, what);
  assert.doesNotMatch(r.stderr, /\n\s+at .*:\d+:\d+/, `${what}: no stack trace`);
  assert.equal(r.stdout, '', what);
  assert.equal(r.code, 2, `${what}: exit status`);
  return lines[0] ?? '';
}

const INTERVAL = /interval '.*': expected a number from 0\.2 to 3600/;
const COUNT = /count '.*': expected a whole number from 1 to \d+/;

describe('bad values: exit 2, one line naming the valid range or choices', () => {
  const cases: [string, string[], RegExp][] = [
    ['zero interval', ['--print', '0'], INTERVAL],
    ['negative interval (positional)', ['--print', '-5'], INTERVAL],
    ['negative interval (--interval -5)', ['--print', '--interval', '-5'], INTERVAL],
    ['negative interval (--interval=-0.5)', ['--print', '--interval=-0.5'], INTERVAL],
    ['negative interval after -c', ['--print', '-c', '-1'], INTERVAL],
    ['interval below 0.2', ['--print', '0.1'], INTERVAL],
    ['interval above 3600', ['--print', '--interval', '3601'], INTERVAL],
    ['non-numeric interval', ['--print', '--interval', 'soon'], INTERVAL],
    ['NaN interval', ['--print', 'NaN'], INTERVAL],
    ['Infinity interval', ['--print', 'Infinity'], INTERVAL],
    ['non-numeric count', ['--print', '--count', 'x'], COUNT],
    ['fractional count', ['--print', '--count', '2.5'], COUNT],
    ['zero count', ['--print', '--count', '0'], COUNT],
    ['negative count', ['--print', '--count', '-3'], COUNT],
    ['empty count', ['--print', '--count='], COUNT],
    ['negative speed', ['--replay', 'x', '--speed', '-1'], /speed '-1': expected a number from 0 to 1000/],
    ['unknown family', ['--print', '-A', 'foo'], /unknown address family 'foo' for -A: valid families are inet, inet6, unix/],
    ['unknown family in a list', ['--print', '-A', 'inet,ax25'], /'ax25'.*valid families are inet, inet6, unix/],
    ['empty family', ['--print', '-A', ''], /valid families are inet, inet6, unix/],
    ['unknown flag', ['--print', '--bogus'], /Unknown option '--bogus'.*valid flags: -.* --interfaces/],
    ['unknown short flag', ['--print', '-Q'], /Unknown option '-Q'.*valid flags:/],
    ['flag without its value', ['--print', '--count'], /--count.*valid flags:/],
    ['two intervals', ['--print', '1', '2'], /only one interval/],
    ['two sections', ['--print', '-i', '-s'], /choose one of -i, -s, -r, -M, --ethernet/],
    ['record and replay', ['--record', 'a', '--replay', 'b'], /choose one of --record and --replay/],
    ['empty record name', ['--record', ''], /need a file name/],
  ];
  for (const [name, args, message] of cases) {
    it(name, async () => {
      await assertUsageError(args, message);
    });
  }

  it('-4 and -6 stay flags, not negative intervals', () => {
    assert.equal(parseOptions(['-4']).inet4, true);
    assert.equal(parseOptions(['-46t']).inet6, true);
    assert.equal(parseOptions(['-6', '2']).interval, 2);
  });

  it('--count alone samples at the default interval rather than being ignored', () => {
    assert.equal(parseOptions(['--json', '--count', '3']).interval, 2);
    assert.equal(parseOptions(['--replay', 'f', '--count', '3']).interval, null);
  });
});

describe('files named on the command line', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'netdash-cli-errors-'));
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('--root that does not exist, or is a file', async () => {
    await assertUsageError(['--print', '--root', join(dir, 'nowhere')], /--root .*nowhere: no such directory/);
    const file = join(dir, 'plain');
    writeFileSync(file, 'x');
    await assertUsageError(['--print', '--root', file], /--root .*plain: not a directory/);
  });

  it('--record into a directory that does not exist, or onto a directory', async () => {
    await assertUsageError(
      ['--json', '0.2', '--count', '1', '--record', join(dir, 'no/such/dir/rec.ndjson')],
      /cannot write recording .*rec\.ndjson: no such directory/,
    );
    await assertUsageError(['--json', '0.2', '--count', '1', '--record', dir], /cannot write recording .*: is a directory/);
  });

  it("a new recording is readable by its owner only (it holds other users' paths and names)", async () => {
    const file = join(dir, 'private.ndjson');
    const r = await cli(['--json', '0.2', '--count', '1', '--record', file]);
    assert.equal(r.code, 0, r.stderr);
    const { statSync } = await import('node:fs');
    assert.equal(statSync(file).mode & 0o777, 0o600);
  });

  it('--replay of a missing file, and of a corrupt one (the line is named)', async () => {
    await assertUsageError(['--replay', join(dir, 'missing.ndjson'), '--print'], /cannot read recording .*missing\.ndjson: no such file/);
    const good = join(dir, 'good.ndjson');
    const r = await cli(['--json', '0.2', '--count', '2', '--record', good]);
    assert.equal(r.code, 0, r.stderr);
    const lines = readFileSync(good, 'utf8').split('\n');
    const bad = join(dir, 'bad.ndjson');
    writeFileSync(bad, [lines[0], lines[1], '{"mono": "soon"}', lines[2]].join('\n'));
    await assertUsageError(['--replay', bad, '--print', '-s', '--speed', '0'], /line 3: not a sample/);
    // Valid JSON, but a socket table whose rows are not sockets, and one whose port is text.
    const edit = (f: (s: { snapshot: { inet: Record<string, { ok: boolean; value: unknown[] }> } }) => void): string => {
      const s = JSON.parse(lines[1] ?? '') as { snapshot: { inet: Record<string, { ok: boolean; value: unknown[] }> } };
      f(s);
      return JSON.stringify(s);
    };
    writeFileSync(
      bad,
      [
        lines[0],
        lines[1],
        edit((s) => {
          s.snapshot.inet['tcp'] = { ok: true, value: [42] };
        }),
        '',
      ].join('\n'),
    );
    await assertUsageError(['--replay', bad, '--print', '--speed', '0'], /line 3: damaged sample: inet\.tcp\.value\[0\] is not an object/);
    writeFileSync(
      bad,
      [
        lines[0],
        edit((s) => {
          s.snapshot.inet['tcp'] = { ok: true, value: [{ proto: 'tcp', localPort: '80' }] };
        }),
        '',
      ].join('\n'),
    );
    await assertUsageError(['--replay', bad, '--print', '--speed', '0'], /line 2: damaged sample: inet\.tcp\.value\[0\]\.family/);
  });

  it('control characters typed on the command line are echoed escaped', async () => {
    const line = await assertUsageError(['--print', '-A', '\x1b[2J\x1b]0;pwned\x07'], /unknown address family/);
    assert.ok(line.includes("'\\x1b[2J\\x1b]0;pwned\\x07'"), line);
    const missing = await assertUsageError(['--replay', join(dir, '\x1b[31mred\u009b.ndjson'), '--print'], /no such file/);
    assert.ok(missing.includes('\\x1b[31mred\\x9b.ndjson'), missing);
  });
});

describe('--print -M without conntrack', () => {
  it('exits 1 with one line saying why, as netstat -M does when it cannot show masquerading', async () => {
    const root = fileURLToPath(new URL('../../test/fixtures/root-basic', import.meta.url));
    const r = await cli(['--print', '-M', '--root', root]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, 'netdash: /proc/net/nf_conntrack: conntrack is not available (module nf_conntrack not loaded)\n');
  });
});
