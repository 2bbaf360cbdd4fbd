// Addresses, MAC, type and the default route's interface. Asked again only when the set of
// interfaces (names and ifindexes) changes, never per tick.
//
// The default loader reads the kernel directly (os.networkInterfaces() for addresses, which is
// getifaddrs(3) in-process, plus /sys/class/net and /proc/net/route) and starts no process.
// systeminformation's networkInterfaces(), used before, runs /bin/sh several times per call
// ("ip route | grep default", "ip a", and for every interface a command line that contains the
// interface's name, filtered by its sanitizer, plus nmcli and iw): netdash must never run a
// shell, nor pass a string it read (an interface name anyone with CAP_NET_ADMIN in any
// namespace can choose) to another program. systeminformation stays a dev dependency: the
// benchmark compares against it.
import { networkInterfaces } from 'node:os';
import * as path from 'node:path';
import type { IfMeta, NetInterface } from '../model.js';
import { kernelFs, type KernelFs } from './kernel-fs.js';
import { parseIpv6Route, parseRoute } from './routes.js';

export interface SiInterface {
  iface: string;
  ip4: string;
  ip6: string;
  mac: string;
  type: string;
  default: boolean;
}

/** Metadata for the named interfaces (a loader may ignore the names and list all it knows). */
export type MetaLoader = (names: readonly string[]) => Promise<SiInterface[]>;

const RTF_REJECT = 0x0200;

/** The interface of the default route: the IPv4 one with the lowest metric, else IPv6's. */
async function defaultInterface(kfs: KernelFs): Promise<string | null> {
  const v4 = await kfs.readText('proc/net/route').then(
    (t) => parseRoute(t).value,
    () => [],
  );
  const d4 = v4
    .filter((r) => r.destination === '0.0.0.0' && r.mask === '0.0.0.0' && r.iface !== '*')
    .sort((a, b) => a.metric - b.metric)[0];
  if (d4) return d4.iface;
  const v6 = await kfs.readText('proc/net/ipv6_route').then(
    (t) => parseIpv6Route(t).value,
    () => [],
  );
  const d6 = v6
    .filter((r) => r.destPrefix === 0 && r.destination === '::' && (r.flags & RTF_REJECT) === 0 && r.iface !== '' && r.iface !== 'lo')
    .sort((a, b) => a.metric - b.metric)[0];
  return d6 ? d6.iface : null;
}

/** 'virtual' (lo, veth, bridges: no device behind them), 'wireless', 'wired', or 'unknown'. */
async function interfaceType(kfs: KernelFs, name: string): Promise<string> {
  const base = `sys/class/net/${name}`;
  const exists = (rel: string): Promise<boolean> =>
    kfs.readDir(rel).then(
      () => true,
      () => false,
    );
  if ((await exists(`${base}/wireless`)) || (await exists(`${base}/phy80211`))) return 'wireless';
  try {
    return (await kfs.readLink(base)).includes('/virtual/') ? 'virtual' : 'wired';
  } catch {
    return 'unknown';
  }
}

/** The default loader: the kernel's own answers, no process started. Addresses come from
 *  getifaddrs(3), which only knows the live system, so a --root other than / gets none. */
export function kernelMetaLoader(kfs: KernelFs = kernelFs('/')): MetaLoader {
  const live = path.resolve(kfs.root) === '/';
  return async (names) => {
    const addrs = live ? networkInterfaces() : {};
    const dflt = await defaultInterface(kfs);
    return Promise.all(
      names.map(async (name) => {
        const list = addrs[name] ?? [];
        const pick = (family: string, linkLocal: RegExp): string => {
          const all = list.filter((a) => a.family === family).map((a) => a.address);
          return all.find((a) => !linkLocal.test(a)) ?? all[0] ?? '';
        };
        const mac = await kfs.readText(`sys/class/net/${name}/address`).then(
          (t) => t.trim(),
          () => list[0]?.mac ?? '',
        );
        return {
          iface: name,
          ip4: pick('IPv4', /^169\.254\./),
          ip6: pick('IPv6', /^fe80:/i),
          mac,
          type: await interfaceType(kfs, name),
          default: name === dflt,
        };
      }),
    );
  };
}

export function interfaceSetKey(ifs: readonly NetInterface[]): string {
  return ifs
    .map((i) => `${i.name}:${i.sys.ifindex ?? '?'}`)
    .sort()
    .join(',');
}

export class InterfaceMetaCache {
  private key: string | null = null;
  private meta: IfMeta[] = [];
  private loads = 0;
  private loadedAt: number | null = null;

  /** refreshMs: also load again when the last load is this old (by the `now` given to get()),
   *  so addresses that come and go on a steady set of interfaces are seen (the dashboard's link
   *  events); without it, only a new interface set loads. */
  constructor(
    private readonly loader: MetaLoader = kernelMetaLoader(),
    private readonly refreshMs: number | null = null,
  ) {}

  /** How many times the loader ran: once per distinct interface set. */
  get loadCount(): number {
    return this.loads;
  }

  async get(ifs: readonly NetInterface[], now?: number): Promise<IfMeta[]> {
    const key = interfaceSetKey(ifs);
    const stale = this.refreshMs !== null && now !== undefined && this.loadedAt !== null && now - this.loadedAt >= this.refreshMs;
    if (key === this.key && !stale) return this.meta;
    this.loads++;
    if (now !== undefined) this.loadedAt = now;
    try {
      const list = await this.loader(ifs.map((i) => i.name));
      this.meta = list.map((x) => ({ name: x.iface, ip4: x.ip4, ip6: x.ip6, mac: x.mac, type: x.type, isDefault: x.default }));
    } catch {
      // Metadata is decoration: without it every counter still works.
      this.meta = [];
    }
    this.key = key;
    return this.meta;
  }
}
