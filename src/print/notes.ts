// What a section could not read in full: lines its parser had to skip, per file. Text output
// shows one stderr line per file, JSON an object `skipped` {"/proc/net/tcp": 2}.
import type { SourceResult } from '../model.js';
import type { CountersRead } from '../sources/snmp.js';
import type { Snapshot } from '../sources/snapshot.js';

/** Lines skipped per kernel file, for the sections the snapshot holds. */
export function skippedLines(snap: Snapshot): Record<string, number> {
  const out: Record<string, number> = {};
  const add = (file: string, r: SourceResult<unknown> | undefined): void => {
    if (r?.ok && r.skipped > 0) out[file] = r.skipped;
  };
  for (const [proto, r] of Object.entries(snap.inet)) add(`/proc/net/${proto}`, r);
  add('/proc/net/unix', snap.unix);
  add('/proc/net/dev', snap.interfaces);
  add('/proc/net/route', snap.routes4);
  add('/proc/net/ipv6_route', snap.routes6);
  add('/proc/net/nf_conntrack', snap.conntrack);
  const c = snap.counters as CountersRead | undefined;
  if (c && c.skipped > 0) {
    if (c.skippedFiles) Object.assign(out, c.skippedFiles);
    else out['/proc/net/snmp, /proc/net/netstat, /proc/net/snmp6'] = c.skipped;
  }
  return out;
}

/** One stderr line per file: "/proc/net/tcp: 2 malformed lines skipped". */
export function skippedNotes(snap: Snapshot): string[] {
  return Object.entries(skippedLines(snap)).map(([file, n]) => `${file}: ${n} malformed line${n === 1 ? '' : 's'} skipped`);
}
