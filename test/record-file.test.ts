// --record PATH where an unprivileged user got to PATH first. The traps are planted by a real
// unprivileged user (nobody, through setpriv) in a sticky world-writable directory, as in /tmp;
// netdash runs as root, as it would on a server. Each refusal is one line and exit status 2,
// and the planted target is left as it was.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, chownSync, existsSync, linkSync, lstatSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openRecordFile, RecordOpenError } from '../src/sampler/record-file.js';
import { run, type RunResult } from './helpers/netns.js';
import { prereq } from './helpers/prereq.js';
import { asUser, NOBODY, runnableBy } from './helpers/unprivileged.js';

const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));

let dir = '';
const asNobody = (cmd: string, args: string[]): Promise<RunResult> =>
  run(asUser(NOBODY)[0] ?? 'setpriv', [...asUser(NOBODY).slice(1), cmd, ...args]);
const record = (file: string): Promise<RunResult> => run(process.execPath, [CLI, '--print', '-s', '0.2', '--count', '1', '--record', file]);

function assertRefused(r: RunResult, why: RegExp): void {
  const lines = r.stderr.split('\n').filter(Boolean);
  assert.equal(lines.length, 1, `one line on stderr, got:\n${r.stderr}`);
  assert.match(lines[0] ?? '', /^netdash: cannot write recording /);
  assert.match(lines[0] ?? '', why);
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, '', 'nothing is sampled');
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'netdash-recfile-'));
  chmodSync(dir, 0o1777);
});

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('--record refuses what an unprivileged user planted at its path', () => {
  it('a symlink to another file: not followed, the target untouched', async (t) => {
    if (!prereq(t, ['root'])) return;
    const target = join(dir, 'victim');
    writeFileSync(target, 'precious\n', { mode: 0o600 });
    const link = join(dir, 'planted-link.ndjson');
    assert.equal((await asNobody('ln', ['-s', target, link])).code, 0);
    assertRefused(await record(link), /planted-link\.ndjson: is a symbolic link/);
    assert.equal(readFileSync(target, 'utf8'), 'precious\n');
  });

  it('a dangling symlink: no file is created where it points', async (t) => {
    if (!prereq(t, ['root'])) return;
    const where = join(dir, 'would-be-created');
    const link = join(dir, 'dangling.ndjson');
    assert.equal((await asNobody('ln', ['-s', where, link])).code, 0);
    assertRefused(await record(link), /is a symbolic link/);
    assert.equal(existsSync(where), false);
  });

  it('a FIFO: refused at once instead of blocking', async (t) => {
    if (!prereq(t, ['root'])) return;
    const fifo = join(dir, 'planted.fifo');
    assert.equal((await asNobody('mkfifo', ['-m', '0666', fifo])).code, 0);
    assertRefused(await record(fifo), /not a regular file/);
  });

  it('a FIFO that someone is reading: refused too (not a regular file)', async (t) => {
    if (!prereq(t, ['root'])) return;
    const fifo = join(dir, 'read.fifo');
    assert.equal((await asNobody('mkfifo', ['-m', '0666', fifo])).code, 0);
    // A reader holding the FIFO open (opening it read-write never blocks).
    const { spawn } = await import('node:child_process');
    const reader = spawn('sh', ['-c', `exec 3<>${fifo}; sleep 60`], { stdio: 'ignore' });
    try {
      for (let i = 0; i < 100 && !readFileSync(`/proc/${reader.pid}/cmdline`, 'utf8').includes('sleep'); i++)
        await new Promise((r) => setTimeout(r, 50));
      assertRefused(await record(fifo), /not a regular file/);
    } finally {
      reader.kill();
    }
  });

  it('a file owned by another user (mode 0666): not appended to, its mode kept', async (t) => {
    if (!prereq(t, ['root'])) return;
    const file = join(dir, 'theirs.ndjson');
    assert.equal((await asNobody('sh', ['-c', `printf '' > ${file} && chmod 666 ${file}`])).code, 0);
    assertRefused(await record(file), new RegExp(`owned by uid ${NOBODY}, not by this user \\(uid 0\\); refusing to append`));
    assert.equal(statSync(file).size, 0);
    assert.equal(statSync(file).mode & 0o777, 0o666);
  });

  it('an own file writable by group or others: refused', async (t) => {
    if (!prereq(t, ['root'])) return;
    for (const mode of [0o620, 0o602, 0o666]) {
      const file = join(dir, `shared-${mode.toString(8)}.ndjson`);
      writeFileSync(file, '');
      chmodSync(file, mode);
      assertRefused(await record(file), new RegExp(`writable by group or others \\(mode 0${mode.toString(8)}\\)`));
      assert.equal(statSync(file).size, 0);
    }
  });

  it('a second name (hard link) of a file: refused', async (t) => {
    if (!prereq(t, ['root'])) return;
    const real = join(dir, 'real');
    writeFileSync(real, 'x\n', { mode: 0o600 });
    const alias = join(dir, 'alias.ndjson');
    linkSync(real, alias);
    assertRefused(await record(alias), /has 2 hard links/);
    assert.equal(readFileSync(real, 'utf8'), 'x\n');
  });

  it('a directory: refused', async (t) => {
    if (!prereq(t, ['root'])) return;
    assertRefused(await record(dir), /is a directory|not a regular file/);
  });
});

describe('--record files it may use', () => {
  it('a new file is created 0600, owned by the user running netdash', async (t) => {
    if (!prereq(t, ['root'])) return;
    const file = join(dir, 'new.ndjson');
    const r = await record(file);
    assert.equal(r.code, 0, r.stderr);
    const st = lstatSync(file);
    assert.ok(st.isFile());
    assert.equal(st.mode & 0o777, 0o600);
    assert.equal(st.uid, 0);
    // Its own file, 0600: appended to.
    const size = st.size;
    assert.equal((await record(file)).code, 0);
    assert.ok(statSync(file).size > size);
  });

  it("as nobody: its own new file is 0600 and its own; root's file in the same directory is refused", async (t) => {
    if (!prereq(t, ['root'])) return;
    const exe = runnableBy(NOBODY);
    const mine = join(dir, 'nobody-own.ndjson');
    const asNobodyCli = (file: string): Promise<RunResult> =>
      run(asUser(NOBODY)[0] ?? 'setpriv', [
        ...asUser(NOBODY).slice(1),
        exe.node,
        exe.cli,
        '--print',
        '-s',
        '0.2',
        '--count',
        '1',
        '--record',
        file,
      ]);
    const r = await asNobodyCli(mine);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(statSync(mine).uid, NOBODY);
    assert.equal(statSync(mine).mode & 0o777, 0o600);
    const roots = join(dir, 'roots.ndjson');
    writeFileSync(roots, '', { mode: 0o666 });
    chmodSync(roots, 0o666);
    assertRefused(await asNobodyCli(roots), /owned by uid 0, not by this user/);
  });
});

describe('openRecordFile, the function', () => {
  it('checks the owner against the uid it is given', () => {
    const file = join(dir, 'owner-check');
    writeFileSync(file, '', { mode: 0o600 });
    chownSync(file, process.getuid?.() ?? 0, process.getgid?.() ?? 0);
    assert.throws(
      () => openRecordFile(file, 12345),
      (e: unknown) => e instanceof RecordOpenError && /owned by uid/.test(e.message),
    );
  });
});
