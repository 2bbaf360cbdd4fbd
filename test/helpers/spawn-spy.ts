// Preload (node --import) that records every child process the program starts: each
// child_process call appends one JSON line {fn, file, args, shell} to $NETDASH_SPAWN_LOG, then
// runs as usual. Used to show that netdash runs no shell and passes nothing it read to another
// program.
import { appendFileSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';

const require = createRequire(import.meta.url);
const cp = require('node:child_process') as Record<string, (...a: unknown[]) => unknown>;
const log = process.env['NETDASH_SPAWN_LOG'];

const SHELL_FNS = new Set(['exec', 'execSync']);

for (const fn of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']) {
  const orig = cp[fn];
  if (typeof orig !== 'function') continue;
  cp[fn] = function spy(this: unknown, ...args: unknown[]): unknown {
    const [file, maybeArgs] = args;
    const opts = args.find((a) => a !== null && typeof a === 'object' && !Array.isArray(a)) as { shell?: unknown } | undefined;
    const entry = {
      fn,
      file: typeof file === 'string' ? file : String(file),
      args: Array.isArray(maybeArgs) ? maybeArgs.map(String) : [],
      shell: SHELL_FNS.has(fn) || Boolean(opts?.shell),
    };
    if (log) appendFileSync(log, JSON.stringify(entry) + '\n');
    return orig.apply(this, args);
  };
}
syncBuiltinESMExports();
