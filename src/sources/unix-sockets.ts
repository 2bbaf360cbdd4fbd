// /proc/net/unix: "Num RefCount Protocol Flags Type St Inode Path".
import type { SourceResult, UnixSocket } from '../model.js';
import { parseRows, readSource, type KernelFs, type Parsed } from './kernel-fs.js';

/** SO_ACCEPTCON: the socket has called listen(). */
export const SO_ACCEPTCON = 1 << 16;
export const SS_UNCONNECTED = 1;

export function isUnixListening(s: UnixSocket): boolean {
  return s.state === SS_UNCONNECTED && (s.flags & SO_ACCEPTCON) !== 0;
}

// Seven fixed fields, then the path, which may itself contain spaces.
const LINE = /^\s*[0-9a-fA-F]+:\s+([0-9a-fA-F]+)\s+([0-9a-fA-F]+)\s+([0-9a-fA-F]+)\s+([0-9a-fA-F]+)\s+([0-9a-fA-F]+)\s+(\d+)(?: (.*))?$/;

export function parseUnixLine(line: string): UnixSocket | null {
  const m = LINE.exec(line);
  if (!m) return null;
  const path = m[7];
  const sock: UnixSocket = {
    refCount: parseInt(m[1] ?? '', 16),
    protocol: parseInt(m[2] ?? '', 16),
    flags: parseInt(m[3] ?? '', 16),
    type: parseInt(m[4] ?? '', 16),
    state: parseInt(m[5] ?? '', 16),
    inode: parseInt(m[6] ?? '', 10),
    path: path === undefined || path === '' ? null : path,
  };
  // A run of digits too long for the kernel's types is damage, not a value.
  const nums = [sock.refCount, sock.protocol, sock.flags, sock.type, sock.state, sock.inode];
  return nums.every(Number.isSafeInteger) ? sock : null;
}

export function parseUnixSockets(text: string): Parsed<UnixSocket[]> {
  return parseRows(text, 1, parseUnixLine);
}

export function readUnixSockets(kfs: KernelFs): Promise<SourceResult<UnixSocket[]>> {
  return readSource(kfs, 'proc/net/unix', parseUnixSockets);
}
