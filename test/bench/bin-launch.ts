// How the bin starts node: the benchmark runs netdash the way the installed `netdash` does,
// with the flags of the bin's launcher line, but with the benchmark's own node binary.
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The bin: dist/src/cli.js. */
export const CLI = fileURLToPath(new URL('../../src/cli.js', import.meta.url));

/** The node flags in a bin's first lines: the sh launcher (`//bin/true; exec node FLAGS "$0" "$@"`,
 *  the last exec of the line) or a shebang (`#!/usr/bin/env [-S] node FLAGS`). With `args`, the
 *  flags for those arguments: the launcher may have `case "$*" in A|B) exec node "$0" "$@";; esac;`
 *  (after its start-up snapshot's test, when there is one), which runs node without flags when
 *  the arguments, joined by spaces, are one of A, B. These are the plain start's flags; the
 *  snapshot's are its own (see launcherBlobFlags in src/cli/snapshot-blob.ts). */
export function launcherFlags(text: string, args?: readonly string[]): string[] {
  const [first = '', second = ''] = text.split('\n', 2);
  const plain = /^\/\/bin\/true;(?:.*;)?\s*case\s+"\$\*"\s+in\s+([^)]*)\)\s*exec\s+node\s+"\$0"\s+"\$@"\s*;;\s*esac;/.exec(second);
  if (args && plain && (plain[1] ?? '').split('|').includes(args.join(' '))) return [];
  const m =
    /^\/\/bin\/true;.*\bexec\s+node\b(.*?)\s+"\$0"\s+"\$@"\s*$/.exec(second) ?? /^#!\S*\benv\s+(?:-S\s+)?node\b(.*)$/.exec(first.trim());
  return m
    ? (m[1] ?? '')
        .trim()
        .split(/\s+/)
        .filter((f) => f !== '')
    : [];
}

/** The flags the bin runs node with. */
export const CLI_FLAGS = launcherFlags(readFileSync(CLI, 'utf8'));

/** The flags the bin runs node with for these arguments. */
export function cliFlagsFor(args: readonly string[]): string[] {
  return launcherFlags(readFileSync(CLI, 'utf8'), args);
}

/** The bin run as the `netdash` command runs: its launcher line (sh), which starts the `node`
 *  on PATH, here the benchmark's own node first; from the start-up snapshot when there is a
 *  good one. [command, args, env] for spawn. */
export function asCommand(args: readonly string[], env: NodeJS.ProcessEnv = process.env): [string, string[], NodeJS.ProcessEnv] {
  return [CLI, [...args], { ...env, PATH: `${dirname(process.execPath)}:${env['PATH'] ?? '/usr/bin:/bin'}` }];
}
