// Standard output that cannot be written: a full device (/dev/full, ENOSPC), a terminal that
// went away (EIO), a reader that stopped reading (EPIPE). Each mode ends with one line naming
// the error and exit status 1, or, for a closed pipe, silently with exit status 0. Never a
// stack trace or an abort (exit 134).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from './helpers/netns.js';

const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));
const FIXTURE_ROOT = fileURLToPath(new URL('../../test/fixtures/root-basic', import.meta.url));

const MODES: readonly string[][] = [
  ['--print', '-tan'],
  ['--print', '-s'],
  ['--json'],
  ['--print', '-s', '0.2', '--count', '3'],
  ['--print', '-tan', '0.2', '--count', '3'],
  ['--json', '0.2', '--count', '3'],
  ['--print', '-a', '--root', FIXTURE_ROOT],
];

const sh = (script: string) => run('bash', ['-c', script]);
const quote = (a: string): string => `'${a.replace(/'/g, `'\\''`)}'`;
const cmd = (args: readonly string[]): string => [process.execPath, CLI, ...args].map(quote).join(' ');

describe('standard output that cannot be written', () => {
  for (const args of MODES) {
    it(`${args.join(' ')} > /dev/full: one line naming ENOSPC, exit status 1`, async () => {
      const r = await sh(`${cmd(args)} > /dev/full; echo "status=$?" >&2`);
      // (Sections a fixture root lacks say so first.)
      const lines = r.stderr.split('\n').filter((l) => l !== '' && !/^netdash: \/proc\//.test(l));
      assert.deepEqual(lines, ['netdash: cannot write output: no space left on the device (ENOSPC)', 'status=1'], r.stderr);
    });

    it(`${args.join(' ')} | head -c 1: the reader went away, exit status 0, nothing on stderr`, async () => {
      const r = await sh(`${cmd(args)} | head -c 1 >/dev/null; echo "status=\${PIPESTATUS[0]}" >&2`);
      assert.equal(r.stderr.replace(/^netdash: \/proc\/.*\n/gm, ''), 'status=0\n');
    });
  }

  it('a terminal that went away (EIO on the pty): one line naming it, exit status 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netdash-eio-'));
    try {
      const err = join(dir, 'stderr'),
        status = join(dir, 'status'),
        started = join(dir, 'started');
      // netdash runs on the pty `script` made, in a session of its own (setsid): when `script`
      // is killed the pty's master closes, and writes to it fail with EIO (no SIGHUP, as the
      // pty is not netdash's controlling terminal).
      const inner = `touch ${quote(started)}; ${cmd(['--print', '-s', '0.2'])} 2>${quote(err)}; echo $? > ${quote(status)}`;
      const r = await sh(`script -qfec ${quote(`setsid -f bash -c ${quote(inner)}; sleep 30`)} /dev/null >/dev/null & pid=$!
        for i in $(seq 100); do [ -e ${quote(started)} ] && break; sleep 0.1; done; sleep 1; kill -9 $pid; wait $pid 2>/dev/null; true`);
      assert.equal(r.code, 0, r.stderr);
      for (let i = 0; i < 200 && !existsSync(status); i++) await new Promise((res) => setTimeout(res, 100));
      assert.equal(readFileSync(status, 'utf8').trim(), '1');
      assert.equal(
        readFileSync(err, 'utf8'),
        'netdash: cannot write output: input/output error (the terminal or device went away) (EIO)\n',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
