// Decoding of the hex addresses in /proc/net/{tcp,udp,raw}[6] and textual IPv6 formatting.
import { endianness } from 'node:os';

// The kernel prints each 32-bit word of an address with %08X in host byte order,
// so on little-endian machines the bytes of every word come out reversed.
const LITTLE_ENDIAN = endianness() === 'LE';

function wordBytes(hex: string, at: number, out: number[]): boolean {
  const word = parseInt(hex.slice(at, at + 8), 16);
  if (Number.isNaN(word)) return false;
  const b0 = (word >>> 24) & 0xff,
    b1 = (word >>> 16) & 0xff,
    b2 = (word >>> 8) & 0xff,
    b3 = word & 0xff;
  if (LITTLE_ENDIAN) out.push(b3, b2, b1, b0);
  else out.push(b0, b1, b2, b3);
  return true;
}

/** '0100007F' → '127.0.0.1'; 32 hex digits → IPv6 text. Returns null for malformed input. */
export function decodeHexAddress(hex: string): string | null {
  if ((hex.length !== 8 && hex.length !== 32) || !/^[0-9A-Fa-f]+$/.test(hex)) return null;
  const bytes: number[] = [];
  for (let i = 0; i < hex.length; i += 8) if (!wordBytes(hex, i, bytes)) return null;
  return bytes.length === 4 ? bytes.join('.') : formatIpv6(bytes);
}

/** inet_ntop(AF_INET6) as glibc does it, including the dotted tail for IPv4-mapped
 *  and IPv4-compatible addresses, because netstat's output is made with it. */
export function formatIpv6(bytes: readonly number[]): string {
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
  // Longest run of zero words (at least two) becomes '::'.
  let bestBase = -1,
    bestLen = 0,
    curBase = -1,
    curLen = 0;
  for (let i = 0; i < 8; i++) {
    if (words[i] === 0) {
      if (curBase === -1) {
        curBase = i;
        curLen = 1;
      } else curLen++;
      if (curLen > bestLen) {
        bestBase = curBase;
        bestLen = curLen;
      }
    } else curBase = -1;
  }
  if (bestLen < 2) bestBase = -1;
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (bestBase !== -1 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) out += ':';
      continue;
    }
    if (i !== 0) out += ':';
    if (i === 6 && bestBase === 0 && (bestLen === 6 || (bestLen === 5 && words[5] === 0xffff))) {
      out += `${bytes[12]}.${bytes[13]}.${bytes[14]}.${bytes[15]}`;
      break;
    }
    out += (words[i] ?? 0).toString(16);
  }
  if (bestBase !== -1 && bestBase + bestLen === 8) out += ':';
  return out;
}

export function isUnspecified(addr: string): boolean {
  return addr === '0.0.0.0' || addr === '::';
}
