// In a locale that is not UTF-8, --print writes ASCII bytes only: the UTF-8 bytes 0x80-0x9f
// of a name would be C1 controls on an 8-bit terminal (0x9b is CSI). A unix socket path with
// 'Û' (c3 9b) in a fixture root, printed under LC_ALL=C and under C.UTF-8.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFile } from 'node:child_process';
import { asciiJson, eightBitSafe, localeIsUtf8 } from '../src/text/eight-bit.js';

const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));
const FIXTURE_ROOT = fileURLToPath(new URL('../../test/fixtures/root-basic', import.meta.url));
const NAME = '/run/Ûber-ça-€.sock';
const C1_OR_HIGH = /[\x80-\xff]/;

let dir = '';
let root = '';

/** netdash's stdout and stderr as bytes. */
function cli(args: string[], env: Record<string, string>): Promise<{ stdout: Buffer; stderr: Buffer; code: number }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { encoding: 'buffer', env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...env } },
      (err, stdout, stderr) => {
        resolve({ stdout, stderr, code: err ? Number((err as { code?: unknown }).code ?? 1) : 0 });
      },
    );
  });
}

const C = { LC_ALL: 'C' };
const UTF8 = { LANG: 'C.UTF-8' };

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'netdash-8bit-'));
  root = join(dir, 'root');
  cpSync(FIXTURE_ROOT, root, { recursive: true });
  appendFileSync(join(root, 'proc/net/unix'), `00000000deadbeef: 00000002 00000000 00010000 0001 01 77777 ${NAME}\n`);
});
after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('--print in a locale that is not UTF-8', () => {
  it('a name with C1 bytes in its UTF-8 is written as \\xNN escapes, nothing but ASCII', async () => {
    const r = await cli(['--print', '-xa', '--root', root], C);
    assert.equal(r.code, 0, r.stderr.toString());
    assert.doesNotMatch(r.stdout.toString('latin1'), C1_OR_HIGH);
    assert.match(r.stdout.toString('latin1'), /77777 +\/run\/\\xc3\\x9bber-\\xc3\\xa7a-\\xe2\\x82\\xac\.sock\n/);
  });

  it('the same name prints as it is in a UTF-8 locale', async () => {
    const r = await cli(['--print', '-xa', '--root', root], UTF8);
    assert.ok(r.stdout.toString('utf8').includes(` ${NAME}\n`));
  });

  it('interval print and stderr too', async () => {
    const r = await cli(['--print', '-xa', '0.2', '--count', '1', '--root', root], C);
    assert.doesNotMatch(r.stdout.toString('latin1'), C1_OR_HIGH);
    assert.match(r.stdout.toString('latin1'), /\\xc3\\x9bber/);
    const e = await cli(['--print', '--root', join(dir, 'nowhere-Û')], C);
    assert.equal(e.stderr.toString('latin1'), `netdash: --root ${join(dir, 'nowhere-\\xc3\\x9b')}: no such directory\n`);
  });

  it('--json stays the same JSON: \\u escapes, parsed back to the same name', async () => {
    const r = await cli(['--json', '-xa', '--root', root], C);
    assert.doesNotMatch(r.stdout.toString('latin1'), C1_OR_HIGH);
    const doc = JSON.parse(r.stdout.toString('utf8')) as { unix: { path: string | null }[] };
    assert.ok(doc.unix.some((u) => u.path === NAME));
    const u = await cli(['--json', '-xa', '--root', root], UTF8);
    assert.deepEqual((JSON.parse(u.stdout.toString('utf8')) as typeof doc).unix, doc.unix);
  });

  it('the functions: the locale rule, escapes, the ellipsis, characters outside the BMP', () => {
    assert.equal(localeIsUtf8({ LANG: 'en_US.UTF-8' }), true);
    assert.equal(localeIsUtf8({ LC_ALL: 'C', LANG: 'en_US.UTF-8' }), false);
    assert.equal(localeIsUtf8({}), false);
    assert.equal(eightBitSafe('plain'), 'plain');
    assert.equal(eightBitSafe('a\u009bb'), 'a\\xc2\\x9bb');
    assert.equal(eightBitSafe('long-name…'), 'long-name~');
    assert.equal(eightBitSafe('x😀'), 'x\\xf0\\x9f\\x98\\x80');
    assert.equal(asciiJson(JSON.stringify({ s: 'Û😀' })), '{"s":"\\u00db\\ud83d\\ude00"}');
    assert.deepEqual(JSON.parse(asciiJson(JSON.stringify({ s: 'Û😀' }))), { s: 'Û😀' });
  });
});
