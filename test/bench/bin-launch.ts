// How the bin starts node: the benchmark runs netdash the way the installed `netdash` does,
// with the flags of the bin's launcher line, but with the benchmark's own node binary.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The bin: dist/src/cli.js. */
export const CLI = fileURLToPath(new URL('../../src/cli.js', import.meta.url));

/** The node flags in a bin's first lines: the sh launcher (`//bin/true; exec node FLAGS "$0" "$@"`)
 *  or a shebang (`#!/usr/bin/env [-S] node FLAGS`). */
export function launcherFlags(text: string): string[] {
  const [first = '', second = ''] = text.split('\n', 2);
  const m = /^\/\/bin\/true;\s*exec\s+node\b(.*?)\s+"\$0"\s+"\$@"\s*$/.exec(second)
    ?? /^#!\S*\benv\s+(?:-S\s+)?node\b(.*)$/.exec(first.trim());
  return m ? (m[1] ?? '').trim().split(/\s+/).filter((f) => f !== '') : [];
}

/** The flags the bin runs node with. */
export const CLI_FLAGS = launcherFlags(readFileSync(CLI, 'utf8'));
