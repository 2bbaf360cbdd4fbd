// Connection churn between two ticks: opened, closed, and state changes.
import type { InetSocket } from '../model.js';

/** Identity of a connection across ticks. The kernel sets the inode to 0 when a socket
 *  enters TIME_WAIT, so the tuple is the key and the inode only separates tuples that
 *  repeat at one moment (SO_REUSEPORT listeners). */
export function connectionKeys(socks: readonly InetSocket[]): Map<string, InetSocket> {
  const out = new Map<string, InetSocket>();
  for (const s of socks) {
    const base = `${s.proto}|${s.localAddr}|${s.localPort}|${s.remoteAddr}|${s.remotePort}`;
    out.set(out.has(base) ? `${base}|${s.inode}` : base, s);
  }
  return out;
}

export interface StateChange {
  key: string;
  from: number;
  to: number;
  socket: InetSocket;
}

export interface ConnectionDiff {
  opened: string[];
  closed: string[];
  changed: StateChange[];
}

export function diffConnections(prev: ReadonlyMap<string, InetSocket> | null, cur: ReadonlyMap<string, InetSocket>): ConnectionDiff {
  const diff: ConnectionDiff = { opened: [], closed: [], changed: [] };
  if (!prev) return diff;
  for (const [key, s] of cur) {
    const before = prev.get(key);
    if (!before) diff.opened.push(key);
    else if (before.state !== s.state) diff.changed.push({ key, from: before.state, to: s.state, socket: s });
  }
  for (const key of prev.keys()) if (!cur.has(key)) diff.closed.push(key);
  return diff;
}
