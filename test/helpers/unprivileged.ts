// Running netdash (or a test helper) as another user: setpriv drops to a uid/gid with no
// supplementary groups. The checkout may sit below a directory only root can enter (/root on
// CI), so when the user cannot read the build or run node, a world-readable copy of what
// netdash needs at run time (dist/src, package.json, its runtime dependencies, node) is made
// once in a temporary directory.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const NOBODY = 65534;

/** argv prefix that runs a command as uid:gid with no supplementary groups. */
export function asUser(uid: number, gid = uid): string[] {
  return ['setpriv', `--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', '--'];
}

function canRun(uid: number, node: string, cli: string): boolean {
  try {
    execFileSync(asUser(uid)[0] ?? 'setpriv', [...asUser(uid).slice(1), node, cli, '--version'], { stdio: 'ignore', timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

let copy: { node: string; cli: string; dir: string | null } | null = null;

/** node and cli.js paths that `uid` can run. */
export function runnableBy(uid = NOBODY): { node: string; cli: string } {
  if (copy) return copy;
  const node = process.execPath;
  const cli = join(REPO, 'dist/src/cli.js');
  if (canRun(uid, node, cli)) {
    copy = { node, cli, dir: null };
    return copy;
  }
  const dir = mkdtempSync(join(tmpdir(), 'netdash-world-readable-'));
  chmodSync(dir, 0o755);
  cpSync(join(REPO, 'dist/src'), join(dir, 'dist/src'), { recursive: true });
  copyFileSync(join(REPO, 'package.json'), join(dir, 'package.json'));
  for (const dep of ['blessed', 'lru-cache']) {
    const from = join(REPO, 'node_modules', dep);
    if (existsSync(from)) cpSync(from, join(dir, 'node_modules', dep), { recursive: true });
  }
  let runNode = node;
  if (!canRun(uid, node, join(dir, 'dist/src/cli.js'))) {
    runNode = join(dir, 'node');
    copyFileSync(node, runNode);
    chmodSync(runNode, 0o755);
  }
  execFileSync('chmod', ['-R', 'a+rX', dir]);
  copy = { node: runNode, cli: join(dir, 'dist/src/cli.js'), dir };
  process.once('exit', () => {
    if (copy?.dir) rmSync(copy.dir, { recursive: true, force: true });
  });
  return copy;
}
