// What the start-up snapshot's entry (snapshot-main.ts) decides from its command line: where
// the program's files are (from the blob's path), and whether it answers a run itself. Apart
// from that entry so that it exports nothing: node runs the bundle of it as a script.
import * as path from 'node:path';
import { directCandidate, parseOptions, type Options } from './options.js';
import { directTcpFits } from '../print/tcp-direct.js';

/** The blob this process started from: `--snapshot-blob PATH` (or `=PATH`) among node's flags. */
export function blobPathOf(execArgv: readonly string[]): string | null {
  for (let i = 0; i < execArgv.length; i++) {
    const a = execArgv[i]!;
    if (a === '--snapshot-blob') return execArgv[i + 1] ?? null;
    if (a.startsWith('--snapshot-blob=')) return a.slice('--snapshot-blob='.length);
  }
  return null;
}

/** The blob lives in dist/snapshot/; the program's files are in dist/src/. */
export function distOfBlob(blob: string): string {
  return path.resolve(path.dirname(blob), '..');
}

/** Whether this process answers the run itself, with the options it parsed (null: not a run
 *  it answers; a bad flag is left to run(), which says what is wrong). */
export function answersHere(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  stdoutTty: boolean,
  stdinTty: boolean,
): Options | null {
  let o: Options;
  try {
    o = parseOptions([...args]);
  } catch {
    return null;
  }
  if (o.help || o.version) return null;
  return o.root === '/' && directCandidate(o, env, stdoutTty, stdinTty) && directTcpFits(o) ? o : null;
}
