// The title and column header of netstat's connection tables, apart from the row printers so
// that the direct TCP path (tcp-direct.ts) can print them without loading the rest.
import type { ConnOptions } from '../names/netstat-notation.js';

/** "%-Ns" for the header's one padded column. */
function left(s: string, n: number): string {
  return s.padEnd(n);
}

export function scopeTitle(opts: Pick<ConnOptions, 'all' | 'listening'>): string {
  return opts.all ? '(servers and established)' : opts.listening ? '(only servers)' : '(w/o servers)';
}

export function inetHeader(opts: ConnOptions): string {
  let h = `Active Internet connections ${scopeTitle(opts)}\n`;
  h += 'Proto Recv-Q Send-Q Local Address           Foreign Address         State      ';
  if (opts.extend >= 1) h += ' User       Inode     ';
  if (opts.programs) h += ` ${left('PID/Program name', 20)}`;
  if (opts.timers) h += ' Timer';
  return h;
}
