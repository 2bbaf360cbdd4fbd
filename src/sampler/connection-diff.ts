// Connection churn between two ticks: opened, closed, and state changes.
import type { InetSocket } from '../model.js';

/** Identity of a socket across ticks. A connected socket is its tuple alone: the kernel sets
 *  the inode to 0 when it enters TIME_WAIT, and that is a state change, not a new socket.
 *  A socket with no peer (listener, unbound UDP) also carries its inode, because SO_REUSEPORT
 *  lets several share one tuple; such sockets never reach TIME_WAIT, so the inode is stable. */
export function connectionKey(s: InetSocket): string {
  // join, not a template literal: V8 builds a template as a chain of cons strings (about 7
  // nodes and 2 port strings per key, 260 bytes), and the map keeps that tree alive. join
  // writes one flat string (about 60 bytes): 10 MB less heap at 50k sockets, and faster.
  return s.remotePort === 0
    ? [s.proto, s.localAddr, s.localPort, s.remoteAddr, s.remotePort, s.inode].join('|')
    : [s.proto, s.localAddr, s.localPort, s.remoteAddr, s.remotePort].join('|');
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
  /** Same state, but a new row object: queues, timers or counters moved. The netlink reader
   *  hands back last tick's object for a socket where nothing did, so this is usually short;
   *  views that sort on such values re-place only these rows. A row with tcp_info is always
   *  listed: the reader hands it on with its tcp_info updated in place (sock-diag.ts). */
  updated: string[];
}

export function emptyDiff(): ConnectionDiff {
  return { opened: [], closed: [], changed: [], updated: [] };
}

export function diffConnections(prev: ReadonlyMap<string, InetSocket> | null, cur: ReadonlyMap<string, InetSocket>): ConnectionDiff {
  const diff = emptyDiff();
  if (!prev) return diff;
  for (const [key, s] of cur) {
    const before = prev.get(key);
    if (!before) diff.opened.push(key);
    else if (before.state !== s.state) diff.changed.push({ key, from: before.state, to: s.state, socket: s });
    else if (before !== s || s.tcpInfo !== undefined) diff.updated.push(key);
  }
  for (const key of prev.keys()) if (!cur.has(key)) diff.closed.push(key);
  return diff;
}

interface Known {
  key: string;
  sock: InetSocket;
  tick: number;
}

function sameTuple(a: InetSocket, b: InetSocket): boolean {
  return (
    a.localPort === b.localPort &&
    a.remotePort === b.remotePort &&
    a.proto === b.proto &&
    a.localAddr === b.localAddr &&
    a.remoteAddr === b.remoteAddr
  );
}

/**
 * connectionKeys + diffConnections in one pass that reuses last tick's work: a socket whose
 * inode and tuple are unchanged gets last tick's key string back (no new string to build or
 * hash) and its previous row without a lookup by key. At 50k sockets this is several times
 * cheaper than building every key again, and gives exactly the same keys, map and diff.
 */
export class ConnectionTracker {
  private prev: Map<string, InetSocket> | null = null;
  /** Sockets with an inode, by inode: their key and row as last seen, and the tick of that. */
  private byInode = new Map<number, Known>();
  private tick = 0;
  /** How many rows the last update listed as updated: the next list is made that long at once
   *  (with tcp_info every row is, 50k at 50k sockets; grown by push it is copied a dozen times). */
  private updatedHint = 0;

  /** Forget the previous tick (a restart in a recording): the next update has no churn. */
  reset(): void {
    this.prev = null;
    this.byInode = new Map();
  }

  /** The table of this tick; `haveSockets` false (no socket table read) keeps the baseline. */
  update(socks: readonly InetSocket[], haveSockets: boolean): { connections: Map<string, InetSocket>; churn: ConnectionDiff } {
    if (!haveSockets) return { connections: new Map(), churn: emptyDiff() };
    const tick = ++this.tick;
    const prev = this.prev;
    const byInode = this.byInode;
    const cur = new Map<string, InetSocket>();
    const diff = emptyDiff();
    const updated = this.updatedHint > 1024 ? new Array<string>(Math.min(socks.length, this.updatedHint)) : diff.updated;
    let nUpdated = 0;
    let matched = 0;
    // Indexed: an unoptimized for-of makes an object per row (see sample-engine's allRows).
    for (let i = 0; i < socks.length; i++) {
      const s = socks[i]!;
      let key: string;
      let before: InetSocket | undefined;
      const k = s.inode !== 0 ? byInode.get(s.inode) : undefined;
      // The reader hands back last tick's row object for an unchanged socket: same row, same key.
      if (k !== undefined && (k.sock === s || sameTuple(k.sock, s))) {
        key = k.key;
        before = prev === null ? undefined : k.tick === tick - 1 ? k.sock : prev.get(key);
        k.sock = s;
        k.tick = tick;
      } else {
        key = connectionKey(s);
        before = prev?.get(key);
        if (k !== undefined) {
          k.key = key;
          k.sock = s;
          k.tick = tick;
        } else if (s.inode !== 0) byInode.set(s.inode, { key, sock: s, tick });
      }
      cur.set(key, s);
      if (prev === null) continue;
      if (before === undefined) diff.opened.push(key);
      else {
        matched++;
        if (before.state !== s.state) diff.changed.push({ key, from: before.state, to: s.state, socket: s });
        else if (before !== s || s.tcpInfo !== undefined) updated[nUpdated++] = key;
      }
    }
    if (updated.length > nUpdated) updated.length = nUpdated;
    diff.updated = updated;
    this.updatedHint = nUpdated + (nUpdated >> 6);
    let churn = diff;
    if (prev !== null) {
      // Two rows with one key (the map kept the last): the one-pass diff may count a key
      // twice, so diff the two maps the plain way. Otherwise every previous key matched once
      // means nothing closed, and the closing pass is skipped.
      if (cur.size !== socks.length) churn = diffConnections(prev, cur);
      else if (matched !== prev.size) for (const key of prev.keys()) if (!cur.has(key)) diff.closed.push(key);
    }
    // Sockets gone for good leave their entries behind; drop them once they outnumber the live.
    if (byInode.size > 2 * cur.size + 1024) for (const [inode, k] of byInode) if (k.tick !== tick) byInode.delete(inode);
    this.prev = cur;
    return { connections: cur, churn };
  }
}
