// The entry point of netdash's start-up snapshot (see snapshot-blob.ts and the launcher lines
// of ../cli.ts). The build bundles this module and what it imports into one CommonJS file
// (dist/src/snapshot.cjs) and node runs that file once, at build or install time, to write a
// V8 heap snapshot of it: the blob. The launcher starts node from that blob when it was made
// by the same node binary, so these modules are there already, compiled and evaluated, and
// main() below runs at once (node -e 0's start-up, not module loading on top of it).
//
// main() answers what the snapshot holds the code for: `--version` (and `-V`) alone, and the
// one-shot TCP prints that print/tcp-direct.ts formats straight from the kernel's dump
// (`--print -tan`, `-tn`, `-tln`, with `-W`), chosen by the same rules run() uses
// (directCandidate, directTcpFits). Any other run (the dashboard, other prints, --help, a bad
// flag, a dump the direct path declines) goes to the ordinary program, dist/src/cli.js, loaded
// in this process as `node dist/src/cli.js ARGS` would load it: what it prints is the plain
// path's by construction.
//
// Bundled, `import.meta.url` is replaced by the global __netdashUrl (set below before any use),
// the URL this file has in dist/ as tsc built it: version.ts finds package.json from it, and
// sock-diag.ts the native netlink binding.
import { isatty } from 'node:tty';
import { startupSnapshot } from 'node:v8';
import * as vm from 'node:vm';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { exitOnOutputError } from './output-errors.js';
import { answersHere, blobPathOf, distOfBlob } from './snapshot-args.js';
import { versionLine } from './version.js';
import { printDirectTcp } from '../print/tcp-direct.js';
import { kernelFs } from '../sources/kernel-fs.js';
import { eightBitSafe, localeIsUtf8 } from '../text/eight-bit.js';
import { printable } from '../text/printable.js';

declare global {
  var __netdashUrl: string | undefined;
}

/** A line on stderr, as run() and cli.ts write them: escaped, ASCII-only outside UTF-8 locales. */
function warn(msg: string): void {
  const line = `netdash: ${printable(msg)}\n`;
  process.stderr.write(localeIsUtf8(process.env) ? line : eightBitSafe(line));
}

/** Runs the ordinary program (dist/src/cli.js) with these arguments, in this process. A
 *  snapshot's main function has no module loader of its own for import(): a function compiled
 *  with vm's USE_MAIN_CONTEXT_DEFAULT_LOADER uses the main context's, as a script's would. */
async function plain(dist: string, args: readonly string[]): Promise<void> {
  const cli = path.join(dist, 'src', 'cli.js');
  process.argv.splice(1, process.argv.length - 1, cli, ...args);
  const load = new vm.Script('(url) => import(url)', {
    filename: path.join(dist, 'src', 'cli', 'snapshot-main.js'),
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  }).runInThisContext() as (url: string) => Promise<unknown>;
  // Node marks that constant experimental and says so once, on stderr, at the first import():
  // the user asked for netdash, not for that line.
  const own = Object.getOwnPropertyDescriptor(process, 'emitWarning');
  const emit = process.emitWarning.bind(process) as (warning: string | Error, ...rest: unknown[]) => void;
  process.emitWarning = (warning: string | Error, ...rest: unknown[]): void => {
    if (String(warning instanceof Error ? warning.message : warning).includes('USE_MAIN_CONTEXT_DEFAULT_LOADER')) return;
    emit(warning, ...rest);
  };
  let loaded: Promise<unknown>;
  try {
    loaded = load(pathToFileURL(cli).href);
  } finally {
    if (own) Object.defineProperty(process, 'emitWarning', own);
  }
  await loaded;
}

/** --version alone, as cli.ts answers it. */
function versionAlone(args: readonly string[]): boolean {
  return args.length === 1 && (args[0] === '--version' || args[0] === '-V');
}

async function main(): Promise<void> {
  const blob = blobPathOf(process.execArgv);
  if (blob === null) throw new Error('internal: the snapshot started without --snapshot-blob');
  const dist = distOfBlob(blob);
  globalThis.__netdashUrl = pathToFileURL(path.join(dist, 'src', 'cli', 'snapshot-main.js')).href;
  const args = process.argv.slice(1);
  if (versionAlone(args)) {
    exitOnOutputError(process.stdout, warn);
    process.stdout.write(versionLine() + '\n');
    return;
  }
  const o = answersHere(args, process.env, isatty(1), isatty(0));
  if (o !== null) {
    exitOnOutputError(process.stdout, warn);
    process.stderr.on('error', () => {
      /* nothing left to report to */
    });
    const code = await printDirectTcp(kernelFs('/'), o, process.stdout, warn);
    if (code !== null) {
      process.exitCode = code;
      return;
    }
    // Nothing was written: the ordinary program sets up its own handlers.
    process.stdout.removeAllListeners('error');
    process.stderr.removeAllListeners('error');
  }
  await plain(dist, args);
}

if (startupSnapshot.isBuildingSnapshot())
  startupSnapshot.setDeserializeMainFunction(() => {
    main().catch((err: unknown) => {
      warn(err instanceof Error ? err.message : String(err));
      process.exitCode = 1;
    });
  });
