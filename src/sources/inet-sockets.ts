// /proc/net/{tcp,tcp6,udp,udp6,udplite,udplite6,raw,raw6}: one line per socket.
import type { InetProto, InetSocket, SourceResult } from '../model.js';
import { decodeHexAddress } from './inet-address.js';
import { parseRows, readSource, type KernelFs, type Parsed } from './kernel-fs.js';

export const INET_PROTOS: readonly InetProto[] = ['tcp', 'tcp6', 'udp', 'udp6', 'udplite', 'udplite6', 'raw', 'raw6'];

// parseInt stops at the first bad digit, so every field is checked whole first: a corrupted
// line is skipped rather than read with a wrong value.
const HEX = /^[0-9A-Fa-f]+$/;
const DEC = /^\d+$/;

function hexNum(s: string | undefined): number {
  return s !== undefined && HEX.test(s) ? parseInt(s, 16) : NaN;
}

function decNum(s: string | undefined): number {
  return s !== undefined && DEC.test(s) ? parseInt(s, 10) : NaN;
}

function splitAddr(field: string): { addr: string; port: number } | null {
  const colon = field.indexOf(':');
  if (colon < 0) return null;
  const addr = decodeHexAddress(field.slice(0, colon));
  const port = hexNum(field.slice(colon + 1));
  if (addr === null || Number.isNaN(port)) return null;
  return { addr, port };
}

function hexPair(field: string): [number, number] | null {
  const colon = field.indexOf(':');
  if (colon < 0) return null;
  const a = hexNum(field.slice(0, colon));
  const b = hexNum(field.slice(colon + 1));
  return Number.isNaN(a) || Number.isNaN(b) ? null : [a, b];
}

/** Parse one socket line; null when it is malformed (truncated, garbage). */
export function parseInetLine(line: string, proto: InetProto): InetSocket | null {
  const f = line.trim().split(/\s+/);
  // sl local rem st tx:rx tr:when retrnsmt uid timeout inode ref pointer [drops …]; every
  // kernel since 2.6 prints at least these twelve, so fewer means a line cut short.
  if (f.length < 12 || !f[0]?.endsWith(':')) return null;
  const local = splitAddr(f[1] ?? '');
  const remote = splitAddr(f[2] ?? '');
  const state = hexNum(f[3]);
  const queues = hexPair(f[4] ?? '');
  const timer = hexPair(f[5] ?? '');
  const retrans = hexNum(f[6]);
  const uid = decNum(f[7]);
  const timeout = decNum(f[8]);
  const inode = decNum(f[9]);
  if (!local || !remote || !queues || !timer || [state, retrans, uid, timeout, inode].some(Number.isNaN)) return null;
  const family = proto.endsWith('6') ? 6 : 4;
  const sock: InetSocket = {
    proto,
    family,
    localAddr: local.addr,
    localPort: local.port,
    remoteAddr: remote.addr,
    remotePort: remote.port,
    state,
    sendQ: queues[0],
    recvQ: queues[1],
    timer: { kind: timer[0], expires: timer[1], retransmits: retrans, timeout },
    uid,
    inode,
  };
  if (proto.startsWith('udp') && f.length >= 13) {
    const drops = decNum(f[12]);
    if (!Number.isNaN(drops)) sock.drops = drops;
  }
  return sock;
}

export function parseInetSockets(text: string, proto: InetProto): Parsed<InetSocket[]> {
  return parseRows(text, 1, (line) => parseInetLine(line, proto));
}

export function readInetSockets(kfs: KernelFs, proto: InetProto): Promise<SourceResult<InetSocket[]>> {
  return readSource(kfs, `proc/net/${proto}`, (t) => parseInetSockets(t, proto));
}
