// The npm package: what `npm pack` puts in the tarball, and that `npm install -g` of that
// tarball into an empty prefix gives a working `netdash` without TypeScript (the build is
// shipped; `prepare` runs for git checkouts and links, never for a tarball install).
//
// npm pack runs offline. The install needs the dependencies: from npm's cache when they are
// there (--prefer-offline), else from the registry. When the registry cannot be reached the
// install test skips with the reason, and under CI=true it fails instead.
import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HELP } from '../src/cli/help.js';
import { validFlags } from '../src/cli/options.js';
import { launcherFlags } from './bench/bin-launch.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const PKG = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  bin: Record<string, string>;
  files: string[];
  engines: Record<string, string>;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** npm and the installed program run with npm's own variables removed: under `npm test` they
 *  would otherwise point at this checkout (npm_config_prefix, npm_package_*, …). */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k) && k !== 'INIT_CWD') env[k] = v;
  return { ...env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', ...extra };
}

function run(cmd: string, args: string[], o: { cwd?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      cmd,
      args,
      { cwd: o.cwd ?? REPO, env: o.env ?? cleanEnv(), timeout: o.timeout ?? 120_000, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

interface PackFile {
  path: string;
  mode: number;
}

/** `npm pack --json`; --ignore-scripts because `npm test` has just built dist/ (and a second
 *  tsc run here would rewrite files other test processes are loading). */
async function pack(dest: string | null): Promise<{ filename: string; files: PackFile[] }> {
  const args = ['pack', '--json', '--ignore-scripts', ...(dest ? ['--pack-destination', dest] : ['--dry-run'])];
  const r = await run('npm', args);
  assert.equal(r.code, 0, `npm ${args.join(' ')} failed:\n${r.stderr}`);
  const out = JSON.parse(r.stdout.slice(r.stdout.indexOf('['))) as { filename: string; files: PackFile[] }[];
  const first = out[0];
  assert.ok(first, 'npm pack printed no package');
  return first;
}

const NETWORK = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|ENOTCACHED|EPROTO/;

function skipOrFail(t: TestContext, why: string): void {
  if (process.env['CI'] === 'true') throw new Error(`under CI: ${why}`);
  console.log(`# skipping "${t.name}": ${why}`);
  t.skip(why);
}

describe('npm package', () => {
  it('package.json: bin with a shebang, engines, files, a build before packing', () => {
    assert.equal(PKG.bin['netdash'], 'dist/src/cli.js');
    assert.match(PKG.engines['node'] ?? '', />=\s*20/);
    assert.deepEqual([...PKG.files].sort(), ['README.md', 'dist/src']);
    assert.ok(PKG.scripts['prepare'] || PKG.scripts['prepack'], 'no prepare or prepack build');
    assert.ok(PKG.devDependencies['typescript'], 'typescript belongs in devDependencies');
    assert.equal(PKG.dependencies['typescript'], undefined);
    const bin = readFileSync(join(REPO, 'dist/src/cli.js'), 'utf8');
    assert.equal(bin.split('\n')[0], '#!/bin/sh');
  });

  it('the launcher line of the bin starts node from PATH with its flags and passes every argument through', async () => {
    // A `node` that prints what it was given, one argument per line.
    const dir = mkdtempSync(join(tmpdir(), 'netdash-launch-'));
    try {
      writeFileSync(join(dir, 'node'), '#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done\n', { mode: 0o755 });
      const cli = join(REPO, 'dist/src/cli.js');
      const r = await run(cli, ['--print', 'two words', '$HOME', '-c'], { env: cleanEnv({ PATH: `${dir}:/usr/bin:/bin` }) });
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(r.stdout.split('\n').slice(0, -1), [
        ...launcherFlags(readFileSync(cli, 'utf8')),
        cli,
        '--print',
        'two words',
        '$HOME',
        '-c',
      ]);
      assert.deepEqual(
        launcherFlags(readFileSync(cli, 'utf8')),
        ['--max-semi-space-size=4', '--optimize-for-size'],
        'the flags the README and bench describe',
      );
      // --version and --help alone start node without flags (they would cost node its code cache).
      for (const alone of ['--version', '-V', '--help', '-h']) {
        const v = await run(cli, [alone], { env: cleanEnv({ PATH: `${dir}:/usr/bin:/bin` }) });
        assert.deepEqual(v.stdout.split('\n').slice(0, -1), [cli, alone], alone);
        assert.deepEqual(launcherFlags(readFileSync(cli, 'utf8'), [alone]), [], alone);
      }
      const both = await run(cli, ['--version', '--help'], { env: cleanEnv({ PATH: `${dir}:/usr/bin:/bin` }) });
      assert.deepEqual(both.stdout.split('\n').slice(0, -1), [
        '--max-semi-space-size=4',
        '--optimize-for-size',
        cli,
        '--version',
        '--help',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('npm pack ships the built program and the README, and no tests or sources', { timeout: 120_000 }, async () => {
    const { files } = await pack(null);
    const paths = files.map((f) => f.path);
    for (const want of ['package.json', 'README.md', 'dist/src/cli.js', 'dist/src/cli/help.js']) {
      assert.ok(paths.includes(want), `${want} is not in the tarball`);
    }
    const stray = paths.filter((p) => !(p === 'package.json' || p === 'README.md' || p.startsWith('dist/src/')) || /\.ts$/.test(p));
    assert.deepEqual(stray, [], 'files outside dist/src');
    assert.ok(!paths.some((p) => p.startsWith('dist/test/') || p.startsWith('test/') || p.startsWith('screenshots/')));
    const cli = files.find((f) => f.path === 'dist/src/cli.js');
    assert.ok(cli && (cli.mode & 0o111) !== 0, `dist/src/cli.js is not executable in the tarball (mode ${cli?.mode.toString(8)})`);
  });

  it('--help names every flag the parser accepts', () => {
    const [shorts = '', ...longs] = validFlags().split(' ');
    for (const ch of shorts.slice(1)) assert.ok(HELP.includes(`-${ch},`) || HELP.includes(`-${ch} `), `--help lacks -${ch}`);
    for (const long of longs) assert.ok(HELP.includes(long), `--help lacks ${long}`);
  });

  it('npm install -g of the tarball into an empty prefix gives a working netdash, without TypeScript', { timeout: 300_000 }, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'netdash-pack-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const { filename } = await pack(dir);
    const tarball = join(dir, filename);
    assert.ok(existsSync(tarball), `${tarball} was not written`);
    const prefix = join(dir, 'prefix');
    const install = await run('npm', ['install', '-g', tarball, '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund'], {
      cwd: dir,
      timeout: 280_000,
    });
    if (install.code !== 0) {
      if (NETWORK.test(install.stderr)) {
        skipOrFail(
          t,
          `npm install needs the registry for dependencies that are not in npm's cache: ${install.stderr.trim().split('\n').slice(-3).join(' | ')}`,
        );
        return;
      }
      assert.fail(`npm install -g ${filename} failed (${install.code}):\n${install.stderr}`);
    }

    const bin = join(prefix, 'bin', 'netdash');
    assert.ok(existsSync(bin), 'no bin/netdash in the prefix');
    const target = realpathSync(bin);
    accessSync(target, constants.X_OK);
    const pkgDir = join(prefix, 'lib', 'node_modules', 'netdash');
    assert.equal(dirname(dirname(dirname(target))), realpathSync(pkgDir));
    // Only runtime dependencies: no TypeScript, nothing from dist/test.
    assert.ok(!existsSync(join(pkgDir, 'node_modules', 'typescript')), 'typescript was installed');
    assert.ok(!existsSync(join(pkgDir, 'dist', 'test')), 'dist/test was installed');

    // Run it as a user would: from PATH, with node next to it, outside the checkout.
    const env = cleanEnv({ PATH: `${join(prefix, 'bin')}:${dirname(process.execPath)}:/usr/bin:/bin` });
    const version = await run('netdash', ['--version'], { cwd: dir, env });
    assert.equal(version.code, 0, version.stderr);
    assert.equal(version.stdout, `netdash ${PKG.version}\n`);
    const help = await run('netdash', ['--help'], { cwd: dir, env });
    assert.equal(help.code, 0, help.stderr);
    assert.equal(help.stdout, HELP);
    // postinstall made the start-up snapshot with this node, and the launcher starts from it.
    assert.ok(existsSync(join(pkgDir, 'dist', 'snapshot', 'netdash.blob')), 'postinstall wrote no dist/snapshot/netdash.blob');
    const traced = await run('/bin/sh', ['-x', bin, '--print', '-tln'], { cwd: dir, env });
    assert.equal(traced.code, 0, traced.stderr);
    assert.match(
      traced.stderr,
      /exec node .*--snapshot-blob \S+\/lib\/node_modules\/netdash\/dist\/src\/\.\.\/snapshot\/netdash\.blob -- --print -tln/,
    );
    assert.match(traced.stdout, /^Active Internet connections \(only servers\)\nProto Recv-Q Send-Q Local Address/);
    const ifaces = await run('netdash', ['--print', '-i'], { cwd: dir, env });
    assert.equal(ifaces.code, 0, ifaces.stderr);
    assert.match(ifaces.stdout, /^Kernel Interface table\nIface +MTU +RX-OK/);
    assert.match(ifaces.stdout, /^lo +\d+/m);
  });
});
