// The one place where sources touch the filesystem. Everything is read relative to an
// injectable root so tests can point the whole app at a captured fixture tree.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { SourceResult } from '../model.js';
import { decodeBytes, encodeBytes } from '../text/bytes.js';

export interface KernelFs {
  readonly root: string;
  /** Read a file below root, e.g. 'proc/net/tcp'. */
  readText(rel: string): Promise<string>;
  readDir(rel: string): Promise<string[]>;
  readLink(rel: string): Promise<string>;
}

/** Text is decoded with decodeBytes: bytes that are not valid UTF-8 (a socket path or process
 *  name is whatever bytes its owner chose) survive as lone surrogates, which printable() shows
 *  as \xNN; a name read that way can be used in a path again (encodeBytes). */
export function kernelFs(root = '/'): KernelFs {
  const abs = (rel: string): string | Buffer => encodeBytes(path.join(root, rel));
  return {
    root,
    readText: async (rel) => decodeBytes(await fsp.readFile(abs(rel))),
    readDir: async (rel) => (await fsp.readdir(abs(rel), { encoding: 'buffer' })).map(decodeBytes),
    readLink: async (rel) => decodeBytes(await fsp.readlink(abs(rel), { encoding: 'buffer' })),
  };
}

/** Parsers return what they understood and how many lines they had to skip. */
export interface Parsed<T> {
  value: T;
  skipped: number;
}

/** Parse a table of one record per line after `headerLines` lines of header; a line that
 *  parseLine rejects is counted as skipped, never thrown on. */
export function parseRows<T>(text: string, headerLines: number, parseLine: (line: string) => T | null): Parsed<T[]> {
  const value: T[] = [];
  let skipped = 0;
  const lines = text.split('\n');
  for (let i = headerLines; i < lines.length; i++) {
    const line = lines[i];
    if (!line || !line.trim()) continue;
    const row = parseLine(line);
    if (row === null) skipped++;
    else value.push(row);
  }
  return { value, skipped };
}

/** A configuration file below root (etc/services, …); missing or unreadable gives `empty`. */
export async function readOptional<T>(kfs: KernelFs, rel: string, parse: (text: string) => T, empty: T): Promise<T> {
  try {
    return parse(await kfs.readText(rel));
  } catch {
    return empty;
  }
}

/** The message for a file that should have content and has none. */
export function emptyFileError(rel: string): string {
  return `/${rel.replace(/^\/+/, '')}: empty file (the kernel always writes a header there)`;
}

/** Turn a failed read into the one-line message a pane or section shows. */
export function describeReadError(rel: string, err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  const where = '/' + rel.replace(/^\/+/, '');
  switch (code) {
    case 'ENOENT': return `${where}: not available on this system`;
    case 'EACCES': case 'EPERM': return `${where}: permission denied`;
    case 'EISDIR': return `${where}: is a directory`;
    default: return `${where}: ${err instanceof Error ? err.message : String(err)}`;
  }
}

export interface ReadSourceOptions {
  /** The file may legitimately be empty (no header, nothing to list): nf_conntrack with no
   *  flows, ipv6_route with no routes. Otherwise an empty file is reported, because the kernel
   *  always writes at least a header there. */
  emptyOk?: boolean;
}

/** Read one kernel file and parse it; a missing, unreadable or empty file becomes an error result. */
export async function readSource<T>(
  kfs: KernelFs,
  rel: string,
  parse: (text: string) => Parsed<T>,
  opts: ReadSourceOptions = {},
): Promise<SourceResult<T>> {
  let text: string;
  try {
    text = await kfs.readText(rel);
  } catch (err) {
    return { ok: false, error: describeReadError(rel, err) };
  }
  if (text === '' && opts.emptyOk !== true) return { ok: false, error: emptyFileError(rel) };
  try {
    const { value, skipped } = parse(text);
    return { ok: true, value, skipped };
  } catch (err) {
    // Parsers are written not to throw; this keeps one bad file from taking down the rest.
    return { ok: false, error: `/${rel}: unparseable (${err instanceof Error ? err.message : String(err)})` };
  }
}
