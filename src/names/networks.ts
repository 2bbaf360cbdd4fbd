// Network number → name from /etc/networks, as getnetbyaddr() answers for netstat -r.
import { readOptional, type KernelFs } from '../sources/kernel-fs.js';

/** inet_network() reads "a.b.c" as the number a<<16|b<<8|c, so short forms name networks
 *  with leading zero octets; the full dotted form is what matches routes in practice. */
function networkAddress(text: string): string | null {
  const parts = text.split('.');
  if (parts.length > 4 || parts.some((p) => !/^\d+$/.test(p) || Number(p) > 255)) return null;
  while (parts.length < 4) parts.unshift('0');
  return parts.map(Number).join('.');
}

export function parseNetworks(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const [name, num] = raw.replace(/#.*/, '').trim().split(/\s+/);
    const addr = num ? networkAddress(num) : null;
    if (name && addr && !out.has(addr)) out.set(addr, name);
  }
  return out;
}

export async function loadNetworks(kfs: KernelFs): Promise<Map<string, string>> {
  return readOptional(kfs, 'etc/networks', parseNetworks, new Map<string, string>());
}
