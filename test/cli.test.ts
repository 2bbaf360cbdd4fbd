// The command line: usage errors, help, version, and sections that survive a missing file.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { run } from './helpers/netns.js';
import { parseOptions, UsageError } from '../src/cli/options.js';
import { inetProtos } from '../src/names/netstat-selection.js';

const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));
const cli = (args: string[]) => run(process.execPath, [CLI, ...args]);

describe('flag parsing', () => {
  it('combines short flags as netstat does', () => {
    const o = parseOptions(['-tulpn']);
    assert.equal(o.tcp && o.udp && o.listening && o.programs && o.numericHosts && o.numericPorts && o.numericUsers, true);
    assert.deepEqual(inetProtos(o), ['tcp', 'tcp6', 'udp', 'udp6']);
    assert.equal(o.unix, false);
  });
  it('counts -e and -ee', () => {
    assert.equal(parseOptions(['-e']).extend, 1);
    assert.equal(parseOptions(['-ee']).extend, 2);
    assert.equal(parseOptions(['-e', '-e', '-e']).extend, 3);
  });
  it('selects families with -4, -6 and -A', () => {
    assert.deepEqual(inetProtos(parseOptions(['-4'])), ['tcp', 'udp', 'udplite', 'raw']);
    assert.deepEqual(inetProtos(parseOptions(['-t', '-A', 'inet6'])), ['tcp6']);
    const ux = parseOptions(['-A', 'unix']);
    assert.equal(ux.unix, true);
    assert.deepEqual(inetProtos(ux), []);
    assert.deepEqual(inetProtos(parseOptions(['-A', 'inet,inet6', '-u'])), ['udp', 'udp6']);
  });
  it('takes the interval as a positional (Windows style), --interval or -c', () => {
    assert.equal(parseOptions(['5']).interval, 5);
    assert.equal(parseOptions(['--interval', '0.5']).interval, 0.5);
    assert.equal(parseOptions(['-c']).interval, 1);
    assert.equal(parseOptions(['-c', '3']).interval, 3);
    assert.equal(parseOptions([]).interval, null);
  });
  it('rejects bad values with a message naming the valid choices', () => {
    assert.throws(() => parseOptions(['0']), /interval '0'.*0\.2 to 3600/);
    assert.throws(() => parseOptions(['-5']), UsageError);
    assert.throws(() => parseOptions(['--interval', 'abc']), /expected a number/);
    assert.throws(() => parseOptions(['--count', '2.5']), /whole number/);
    assert.throws(() => parseOptions(['-A', 'ipx']), /valid families are inet, inet6, unix/);
    assert.throws(() => parseOptions(['-r', '-i']), /choose one of -i, -s, -r, -M, --ethernet/);
  });
});

describe('netdash command', () => {
  it('exits 2 with one line naming the valid flags on an unknown flag', async () => {
    const r = await cli(['--print', '-Q']);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /^netdash: Unknown option '-Q'.*valid flags: -.*--interfaces/);
  });
  it('exits 2 on a bad interval and a bad family', async () => {
    for (const args of [
      ['--print', '0'],
      ['--print', '--count', 'x'],
      ['--print', '-A', 'ax25'],
    ]) {
      const r = await cli(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.stderr.trimEnd().split('\n').length, 1);
    }
  });
  it('prints help and version', async () => {
    const h = await cli(['--help']);
    assert.equal(h.code, 0);
    for (const flag of ['--route', '--interfaces', '--statistics', '--masquerade', '--ethernet', '--json', '--programs', '--timers']) {
      assert.ok(h.stdout.includes(flag), flag);
    }
    const v = await cli(['-V']);
    assert.match(v.stdout, /^netdash \d+\.\d+\.\d+\n$/);
  });
  it('a missing kernel file gives a message for its section, and the rest still prints', async () => {
    const root = mkdtempSync(join(tmpdir(), 'netdash-root-'));
    mkdirSync(join(root, 'proc/net'), { recursive: true });
    writeFileSync(
      join(root, 'proc/net/tcp'),
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n' +
        '   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0000000000000000 100 0 0 10 0\n',
    );
    const r = await cli(['--print', '-tln', '--root', root]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /tcp +0 +0 127\.0\.0\.1:8080 +0\.0\.0\.0:\* +LISTEN/);
    assert.match(r.stderr, /\/proc\/net\/tcp6: not available on this system/);
    assert.doesNotMatch(r.stderr, /at .*\.js/); // no stack trace
    const i = await cli(['--print', '-i', '--root', root]);
    assert.match(i.stderr, /\/proc\/net\/dev: not available/);
    const j = await cli(['--json', '-i', '--root', root]);
    const doc = JSON.parse(j.stdout) as { errors: Record<string, string> };
    assert.match(doc.errors['interfaces'] ?? '', /not available/);
  });
  it('exits quietly with status 0 when the reader closes the pipe', async () => {
    const child = spawn(process.execPath, [CLI, '--print', '-i', '--interval', '0.2'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    await new Promise<void>((r) => child.stdout.once('data', () => r()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    assert.equal(code, 0);
    assert.equal(err, '');
  });
});
