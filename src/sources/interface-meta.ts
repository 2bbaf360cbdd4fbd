// Addresses, MAC, type and the default route's interface, from systeminformation. It spawns
// processes on every call (about 70 ms here), so it is asked again only when the set of
// interfaces (names and ifindexes) changes, never per tick.
import type { IfMeta, NetInterface } from '../model.js';

export interface SiInterface {
  iface: string;
  ip4: string;
  ip6: string;
  mac: string;
  type: string;
  default: boolean;
}

export type MetaLoader = () => Promise<SiInterface[]>;

export async function systeminformationLoader(): Promise<SiInterface[]> {
  const si = await import('systeminformation');
  const list = await si.networkInterfaces();
  return (Array.isArray(list) ? list : [list]).map((x) => ({
    iface: x.iface, ip4: x.ip4, ip6: x.ip6, mac: x.mac, type: x.type, default: x.default,
  }));
}

export function interfaceSetKey(ifs: readonly NetInterface[]): string {
  return ifs.map((i) => `${i.name}:${i.sys.ifindex ?? '?'}`).sort().join(',');
}

export class InterfaceMetaCache {
  private key: string | null = null;
  private meta: IfMeta[] = [];
  private loads = 0;

  constructor(private readonly loader: MetaLoader = systeminformationLoader) {}

  /** How many times the loader ran: once per distinct interface set. */
  get loadCount(): number {
    return this.loads;
  }

  async get(ifs: readonly NetInterface[]): Promise<IfMeta[]> {
    const key = interfaceSetKey(ifs);
    if (key === this.key) return this.meta;
    this.loads++;
    try {
      const list = await this.loader();
      this.meta = list.map((x) => ({ name: x.iface, ip4: x.ip4, ip6: x.ip6, mac: x.mac, type: x.type, isDefault: x.default }));
    } catch {
      // Metadata is decoration: without it every counter still works.
      this.meta = [];
    }
    this.key = key;
    return this.meta;
  }
}
