// A KernelFs over captured fixture files, with faults injected per file: missing, empty,
// unreadable, a directory, truncated mid-line, an extra column, a garbage line, or any edit.
// Files can also be replaced or removed while a sampler runs (interfaces that come and go,
// counters that reset, a process that exits while its fds are read).
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KernelFs } from '../../src/sources/kernel-fs.js';
import { decodeBytes } from '../../src/text/bytes.js';

export const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/', import.meta.url));

/** A whole /proc + /sys + /etc tree from the fixtures: root-basic's sockets, interfaces, sysfs
 *  and /etc, the counters of snmp/netns-traffic, the routes of routes/rich and conntrack/nat. */
export const FULL_TREE: Readonly<Record<string, string>> = {
  'proc/net/snmp': 'snmp/netns-traffic/proc/net/snmp',
  'proc/net/netstat': 'snmp/netns-traffic/proc/net/netstat',
  'proc/net/snmp6': 'snmp/netns-traffic/proc/net/snmp6',
  'proc/net/route': 'routes/rich/route',
  'proc/net/ipv6_route': 'routes/rich/ipv6_route',
  'proc/net/nf_conntrack': 'conntrack/nat',
};

export type Fault = 'missing' | 'empty' | 'unreadable' | 'directory' | 'truncated' | 'extra-column' | 'garbage-line';

export const FAULTS: readonly Fault[] = ['missing', 'empty', 'unreadable', 'directory', 'truncated', 'extra-column', 'garbage-line'];

function errno(code: string, rel: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: /${rel}`), { code });
}

/** Add one column to every line, where a newer kernel would put it: at the end of a table row,
 *  as one more Name/value pair of a counter group, as one more key=value of a conntrack flow. */
function extraColumn(text: string, rel: string): string {
  if (rel === 'proc/net/nf_conntrack') return text.replace(/ use=/g, ' newkey=1 use=');
  return text
    .split('\n')
    .map((l, i) => {
      if (l.trim() === '') return l;
      // Counter files pair a header line with a value line: both get the new column.
      if (/^[A-Za-z0-9]+: /.test(l)) return l + (/: [A-Za-z]/.test(l) ? ' NewCounter' : ' 0');
      if (i === 0 || /^\s*Inter-|^\s*face/.test(l) || l.startsWith('Iface')) return l + '  extra';
      return l + ' 0';
    })
    .join('\n');
}

export function applyFault(text: string, fault: Fault, rel = ''): string {
  switch (fault) {
    case 'truncated': {
      // Cut in the middle of the last data line, as a read cut short would (in its text, not
      // in the padding /proc/net/route adds).
      const body = text.replace(/\s+$/, '');
      const lastNl = body.lastIndexOf('\n');
      return body.slice(0, lastNl + 1 + Math.floor((body.length - lastNl - 1) / 2));
    }
    case 'extra-column':
      return extraColumn(text, rel);
    case 'garbage-line': {
      const lines = text.split('\n');
      lines.splice(Math.min(2, lines.length), 0, 'this line \x1b[31mis {bold}not kernel output\x07');
      return lines.join('\n');
    }
    default:
      return text;
  }
}

export class FaultFs implements KernelFs {
  readonly root = '/fault-fs';
  /** rel → fault to apply on read. */
  readonly faults = new Map<string, Fault>();
  /** rel → text that replaces the file (or null: the file is gone). */
  readonly overrides = new Map<string, string | null>();
  /** Directory listings that replace the real one (rel → names). */
  readonly dirs = new Map<string, string[] | null>();
  /** Symlinks (rel → target), e.g. proc/<pid>/fd/<n> → socket:[inode]. */
  readonly links = new Map<string, string | null>();
  /** Called before every read: tests change the world from here (a process exits mid-scan). */
  onRead: ((rel: string) => void) | null = null;
  readonly reads: string[] = [];

  /** `roots` are searched in order below the fixtures directory; `map` names single files. */
  constructor(
    private readonly roots: readonly string[] = ['root-basic'],
    private readonly map: Readonly<Record<string, string>> = FULL_TREE,
  ) {}

  private async realPath(rel: string): Promise<string | null> {
    const mapped = this.map[rel];
    if (mapped) return join(FIXTURES, mapped);
    for (const r of this.roots) {
      const p = join(FIXTURES, r, rel);
      try {
        await fsp.lstat(p);
        return p;
      } catch {
        // next root
      }
    }
    return null;
  }

  async readText(rel: string): Promise<string> {
    this.reads.push(rel);
    this.onRead?.(rel);
    const fault = this.faults.get(rel);
    if (fault === 'missing') throw errno('ENOENT', rel);
    if (fault === 'unreadable') throw errno('EACCES', rel);
    if (fault === 'directory') throw errno('EISDIR', rel);
    if (fault === 'empty') return '';
    let text: string;
    if (this.overrides.has(rel)) {
      const o = this.overrides.get(rel);
      if (o === null || o === undefined) throw errno('ENOENT', rel);
      text = o;
    } else {
      const p = await this.realPath(rel);
      if (p === null) throw errno('ENOENT', rel);
      text = decodeBytes(await fsp.readFile(p));
    }
    return fault ? applyFault(text, fault, rel) : text;
  }

  async readDir(rel: string): Promise<string[]> {
    this.onRead?.(rel);
    if (this.dirs.has(rel)) {
      const d = this.dirs.get(rel);
      if (!d) throw errno('ENOENT', rel);
      return [...d];
    }
    const p = await this.realPath(rel);
    if (p === null) throw errno('ENOENT', rel);
    return fsp.readdir(p);
  }

  async readLink(rel: string): Promise<string> {
    this.onRead?.(rel);
    if (this.links.has(rel)) {
      const l = this.links.get(rel);
      if (!l) throw errno('ENOENT', rel);
      return l;
    }
    const p = await this.realPath(rel);
    if (p === null) throw errno('ENOENT', rel);
    return fsp.readlink(p);
  }
}
