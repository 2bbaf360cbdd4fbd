// Connection churn between two ticks: opened, closed, and state changes.
import type { InetSocket } from '../model.js';

/** Identity of a socket across ticks. A connected socket is its tuple alone: the kernel sets
 *  the inode to 0 when it enters TIME_WAIT, and that is a state change, not a new socket.
 *  A socket with no peer (listener, unbound UDP) also carries its inode, because SO_REUSEPORT
 *  lets several share one tuple; such sockets never reach TIME_WAIT, so the inode is stable. */
export function connectionKey(s: InetSocket): string {
  const base = `${s.proto}|${s.localAddr}|${s.localPort}|${s.remoteAddr}|${s.remotePort}`;
  return s.remotePort === 0 ? `${base}|${s.inode}` : base;
}

export function connectionKeys(socks: readonly InetSocket[]): Map<string, InetSocket> {
  const out = new Map<string, InetSocket>();
  for (const s of socks) out.set(connectionKey(s), s);
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
