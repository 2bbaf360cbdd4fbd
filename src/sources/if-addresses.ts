// Interface addresses for the ifconfig-style listing (netstat -ie): IPv4 addresses with their
// labels, prefix, broadcast and peer from rtnetlink (what SIOCGIFADDR and friends answer
// netstat), IPv6 addresses from /proc/net/if_inet6 in file order (what netstat reads), and the
// transmit queue length from /sys. No process is started.
import { createRequire } from 'node:module';
import { formatIpv6 } from './inet-address.js';
import type { KernelFs } from './kernel-fs.js';

export interface Inet4Address {
  ifindex: number;
  /** The device name, or an alias such as "eth0:1" (ifconfig shows those separately). */
  label: string;
  /** IFA_LOCAL: this host's address. */
  local: string;
  /** IFA_ADDRESS: the peer's on a point-to-point link, else the same as local. */
  address: string;
  prefixLen: number;
  /** IFA_BROADCAST, or null when the address has none. */
  broadcast: string | null;
}

export interface Inet6Address {
  name: string;
  /** Text as inet_ntop writes it. */
  address: string;
  prefixLen: number;
  /** The kernel's scope bits: 0 global, 0x10 host, 0x20 link, 0x40 site, 0x80 v4-compatible. */
  scope: number;
}

/** /proc/net/if_inet6: "20010db8…0001 03 40 00 80     eth0" (address, ifindex, prefix
 *  length, scope, flags in hex, then the name). Lines that do not parse are skipped. */
export function parseIfInet6(text: string): Inet6Address[] {
  const out: Inet6Address[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 6) continue;
    const [hex = '', , plen = '', scope = '', , name = ''] = f;
    // The file's hex is the address in network order, not per-word host order like /proc/net/tcp6.
    if (!/^[0-9a-fA-F]{32}$/.test(hex)) continue;
    const bytes = (hex.match(/../g) ?? []).map((b) => parseInt(b, 16));
    const address = formatIpv6(bytes);
    const prefixLen = parseInt(plen, 16),
      sc = parseInt(scope, 16);
    if (Number.isNaN(prefixLen) || Number.isNaN(sc) || name === '') continue;
    out.push({ name, address, prefixLen, scope: sc });
  }
  return out;
}

export async function readIfInet6(kfs: KernelFs): Promise<Inet6Address[]> {
  return kfs.readText('proc/net/if_inet6').then(parseIfInet6, () => []);
}

/** /sys/class/net/<if>/tx_queue_len, or null. */
export async function readTxQueueLen(kfs: KernelFs, name: string): Promise<number | null> {
  const t = await kfs.readText(`sys/class/net/${name}/tx_queue_len`).catch(() => null);
  const n = t === null ? NaN : parseInt(t.trim(), 10);
  return Number.isNaN(n) ? null : n;
}

interface RtSocket {
  getAddresses(data?: { family?: number }): Promise<
    {
      data: { family: number; prefixlen: number; index: number };
      attrs: { address?: Buffer; local?: Buffer; broadcast?: Buffer; label?: string };
    }[]
  >;
  socket: { close(): void };
}

function rtNetlink(): (() => RtSocket) | null {
  const require = createRequire(import.meta.url);
  // The route layer alone; the package index also loads generic netlink and wireguard.
  for (const id of ['netlink/dist/rt/rt.js', 'netlink']) {
    try {
      const mod = require(id) as { createRtNetlink?: () => RtSocket };
      if (typeof mod.createRtNetlink === 'function') return mod.createRtNetlink;
    } catch {
      // another layout of the package: try the next
    }
  }
  return null;
}

const v4 = (b: Buffer | undefined): string | null => (b && b.length === 4 ? [...b].join('.') : null);

/** Every IPv4 address of this network namespace in the kernel's order (per device, primary
 *  first), or null where rtnetlink cannot be used. */
export async function readInet4Addresses(): Promise<Inet4Address[] | null> {
  const create = rtNetlink();
  if (!create) return null;
  let rt: RtSocket;
  try {
    rt = create();
  } catch {
    return null;
  }
  try {
    const msgs = await rt.getAddresses({ family: 2 });
    const out: Inet4Address[] = [];
    for (const m of msgs) {
      if (m.data.family !== 2) continue;
      const local = v4(m.attrs.local) ?? v4(m.attrs.address);
      if (local === null) continue;
      out.push({
        ifindex: m.data.index,
        label: m.attrs.label ?? '',
        local,
        address: v4(m.attrs.address) ?? local,
        prefixLen: m.data.prefixlen,
        broadcast: v4(m.attrs.broadcast),
      });
    }
    return out;
  } catch {
    return null;
  } finally {
    rt.socket.close();
  }
}
