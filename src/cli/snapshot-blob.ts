// Writes the start-up snapshot (see snapshot-main.ts): dist/snapshot/netdash.blob, made by this
// node from the bundle dist/src/snapshot.cjs, and beside it dist/snapshot/node, a stamp the
// launcher checks before it uses the blob. `npm run build` runs this after bundling, and so
// does `postinstall`, on the machine and with the node that installs the package: a blob is
// only good for the node binary that wrote it (node refuses any other, and exits).
//
// The stamp holds the path of the node binary that wrote the blob and has that binary's
// modification time. The launcher (line 2 of cli.js, plain sh) uses the blob only
// when the `node` on PATH is that file (`-ef`), still with that time (neither `-nt` nor `-ot`:
// a node replaced in place has another), and NODE_OPTIONS is empty (V8 flags there would not
// match the blob's); otherwise, or when any of this is missing, it starts the plain program.
//
//   node dist/src/cli/snapshot-blob.js [--quiet]
//
// Never fails an install: a blob that cannot be made leaves none (and no stamp), says why
// unless --quiet, and exits 0. The flags are the launcher's own (launcherBlobFlags), because a
// blob only loads under the V8 flags it was made with. A build-time script: the program never
// loads it (test/least-privilege.test.ts checks that), and it runs only node itself.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BLOB = 'netdash.blob';
export const STAMP = 'node';

/** The node flags the launcher starts the blob with: `exec node FLAGS --snapshot-blob`. */
export function launcherBlobFlags(launcher: string): string[] | null {
  const second = launcher.split('\n', 2)[1] ?? '';
  const m = /\bexec\s+node\s+((?:-\S+\s+)*?)--snapshot-blob\s/.exec(second);
  return m ? (m[1] ?? '').split(/\s+/).filter((f) => f !== '') : null;
}

/** Makes dist/snapshot/ with the blob and its stamp; null when done, else why not. */
export function buildBlob(dist: string, node: string = process.execPath): string | null {
  const dir = path.join(dist, 'snapshot');
  const blob = path.join(dir, BLOB);
  const stamp = path.join(dir, STAMP);
  const bundle = path.join(dist, 'src', 'snapshot.cjs');
  const tmp = `${blob}.${process.pid}.tmp`;
  try {
    // The stamp goes first and comes back last: a launcher never sees a stamp without its blob.
    rmSync(stamp, { force: true });
    rmSync(blob, { force: true });
    if (!existsSync(bundle)) return `no ${bundle}`;
    const flags = launcherBlobFlags(readFileSync(path.join(dist, 'src', 'cli.js'), 'utf8'));
    if (flags === null) return 'the launcher line starts no snapshot';
    mkdirSync(dir, { recursive: true });
    // --no-warnings: node says at build time that some built-in modules (vm, module) are not
    // verified in snapshots; they are only called once the snapshot runs.
    execFileSync(node, [...flags, '--no-warnings', '--snapshot-blob', tmp, '--build-snapshot', bundle], {
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 120_000,
    });
    renameSync(tmp, blob);
    writeFileSync(stamp, `${node}\n`);
    // The binary's times to the millisecond (a packaged or unpacked node has whole seconds).
    const st = statSync(node);
    utimesSync(stamp, st.atime, st.mtime);
    return null;
  } catch (err) {
    for (const f of [tmp, stamp, blob])
      try {
        rmSync(f, { force: true });
      } catch {
        /* a directory we may not write: nothing was made there either */
      }
    const e = err as { stderr?: Buffer; message?: string };
    const why = e.stderr?.toString().trim().split('\n').slice(-1)[0] || e.message || String(err);
    return why;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  let why: string | null;
  try {
    why = buildBlob(dist);
  } catch (err) {
    why = err instanceof Error ? err.message : String(err);
  }
  if (why !== null && !process.argv.includes('--quiet'))
    process.stderr.write(`netdash: no start-up snapshot (the plain start-up is used): ${why}\n`);
}
