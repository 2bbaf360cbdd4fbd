// netstat -ie (and -iee): the ifconfig-style listing, as net-tools 2.10's ife_print_long
// writes it: one block per interface (down ones with -a), the first IPv4 address whose label
// is the interface's name, every IPv6 address of /proc/net/if_inet6, the hardware line and the
// /proc/net/dev counters. An alias label (eth0:1) is a block of its own with the device's
// flags and no counters, as SIOCGIFCONF makes netstat list it.
import { counterNumber } from '../model/counter-value.js';
import type { NetInterface } from '../model.js';
import { readIfInet6, readInet4Addresses, readTxQueueLen, type Inet4Address, type Inet6Address } from '../sources/if-addresses.js';
import { isLiveRoot, type KernelFs } from '../sources/kernel-fs.js';
import { effectiveFlags, IFF } from '../names/netstat-notation.js';
import { naturalCompare } from '../text/natural-compare.js';
import { esc } from './printf.js';

export interface IfconfigData {
  interfaces: readonly NetInterface[];
  /** null: unknown (no rtnetlink), so no IPv4 lines. */
  inet4: readonly Inet4Address[] | null;
  inet6: readonly Inet6Address[];
  txQueueLen: ReadonlyMap<string, number>;
}

// ife_print_long's flag names, in its order.
const FLAG_NAMES: readonly [number, string][] = [
  [IFF.UP, 'UP'],
  [IFF.BROADCAST, 'BROADCAST'],
  [IFF.DEBUG, 'DEBUG'],
  [IFF.LOOPBACK, 'LOOPBACK'],
  [IFF.POINTOPOINT, 'POINTOPOINT'],
  [IFF.NOTRAILERS, 'NOTRAILERS'],
  [IFF.RUNNING, 'RUNNING'],
  [IFF.NOARP, 'NOARP'],
  [IFF.PROMISC, 'PROMISC'],
  [IFF.ALLMULTI, 'ALLMULTI'],
  [IFF.SLAVE, 'SLAVE'],
  [IFF.MASTER, 'MASTER'],
  [IFF.MULTICAST, 'MULTICAST'],
  [IFF.DYNAMIC, 'DYNAMIC'],
];

/** "flags=4163<UP,BROADCAST,RUNNING,MULTICAST>": the number as SIOCGIFFLAGS's short. */
export function flagsText(flags: number): string {
  const f = flags & 0xffff;
  const names = FLAG_NAMES.filter(([bit]) => (f & bit) !== 0).map(([, n]) => n);
  return `flags=${f & 0x8000 ? f - 0x10000 : f}<${names.join(',')}>`;
}

/** "1.3 KiB": ifconfig's one decimal, binary units, a unit only above (not at) its size. */
export function bytesScaled(n: number): string {
  const units: [number, string][] = [
    [2 ** 60, 'EiB'],
    [2 ** 50, 'PiB'],
    [2 ** 40, 'TiB'],
    [2 ** 30, 'GiB'],
    [2 ** 20, 'MiB'],
    [2 ** 10, 'KiB'],
  ];
  for (const [size, unit] of units) {
    if (n > size) {
      const tenths = Math.floor((n * 10) / size);
      return `${Math.floor(tenths / 10)}.${tenths % 10} ${unit}`;
    }
  }
  return `${n}.0 B`;
}

function maskOf(prefixLen: number): string {
  const m = prefixLen <= 0 ? 0 : (0xffffffff << (32 - Math.min(32, prefixLen))) >>> 0;
  return [24, 16, 8, 0].map((s) => (m >>> s) & 0xff).join('.');
}

function scopeText(scope: number): string {
  const names: string[] = [];
  let s = scope;
  if (s & 0x80) {
    names.push('compat');
    s -= 0x80;
  }
  if (s === 0) names.push('global');
  if (s & 0x20) names.push('link');
  if (s & 0x40) names.push('site');
  if (s & 0x10) names.push('host');
  return `<${names.join(',')}>`;
}

/** The hardware line: net-tools' name for the ARPHRD type, its address, its title. */
function hardwareLine(type: number | undefined, address: string | undefined, txq: number | undefined): string {
  const bytes = (address ?? '')
    .split(':')
    .filter((x) => /^[0-9a-fA-F]{2}$/.test(x))
    .map((x) => parseInt(x, 16));
  const zero = bytes.every((b) => b === 0);
  let hw: string;
  let title: string;
  if (type === 1) {
    hw = `ether ${bytes.map((b) => b.toString(16).padStart(2, '0')).join(':')}`;
    title = 'Ethernet';
  } else if (type === 772) {
    // A loopback's all-zero address is not printed.
    hw = zero ? 'loop' : `loop ${bytes.map((b) => b.toString(16).padStart(2, '0')).join(':')}`;
    title = 'Local Loopback';
  } else {
    // No net-tools type (tun's ARPHRD_NONE and others): "unspec", 16 bytes of which
    // SIOCGIFHWADDR filled the first 8.
    const sixteen = [...bytes.slice(0, 8), ...new Array<number>(16).fill(0)].slice(0, 16);
    hw = `unspec ${sixteen.map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join('-')}`;
    title = 'UNSPEC';
  }
  return `        ${hw}${txq === undefined ? '' : `  txqueuelen ${txq}`}  (${title})`;
}

interface Entry {
  name: string;
  dev: NetInterface;
  /** false for an alias: /proc/net/dev has no line for it. */
  stats: boolean;
}

/** The listing netstat -ie prints; `all` (-a) includes interfaces that are down. */
export function formatIfconfig(d: IfconfigData, all: boolean): string {
  const byIndex = new Map<number, NetInterface>();
  for (const i of d.interfaces) if (i.sys.ifindex !== undefined) byIndex.set(i.sys.ifindex, i);
  const entries: Entry[] = d.interfaces.map((dev) => ({ name: dev.name, dev, stats: true }));
  const names = new Set(entries.map((e) => e.name));
  for (const a of d.inet4 ?? []) {
    const dev = byIndex.get(a.ifindex);
    if (!dev || a.label === '' || names.has(a.label)) continue;
    names.add(a.label);
    entries.push({ name: a.label, dev, stats: false });
  }
  entries.sort((x, y) => naturalCompare(x.name, y.name));
  const out = ['Kernel Interface table'];
  for (const e of entries) {
    const flags = effectiveFlags(e.dev.sys) ?? 0;
    if (!all && (flags & IFF.UP) === 0) continue;
    out.push(`${esc(e.name)}: ${flagsText(flags)}  mtu ${e.dev.sys.mtu ?? 0}`);
    const a4 = (d.inet4 ?? []).find((a) => a.label === e.name && a.ifindex === e.dev.sys.ifindex);
    if (a4) {
      let line = `        inet ${a4.local}  netmask ${maskOf(a4.prefixLen)}`;
      if (flags & IFF.BROADCAST) line += `  broadcast ${a4.broadcast ?? '0.0.0.0'}`;
      if (flags & IFF.POINTOPOINT) line += `  destination ${a4.address}`;
      out.push(line);
    }
    for (const a6 of d.inet6) {
      if (a6.name !== e.name) continue;
      out.push(`        inet6 ${a6.address}  prefixlen ${a6.prefixLen}  scopeid 0x${a6.scope.toString(16)}${scopeText(a6.scope)}`);
    }
    out.push(hardwareLine(e.dev.sys.type, e.dev.sys.address, d.txQueueLen.get(e.dev.name)));
    if (e.stats) {
      const c = e.dev.counters;
      out.push(`        RX packets ${c.rxPackets}  bytes ${c.rxBytes} (${bytesScaled(counterNumber(c.rxBytes))})`);
      out.push(`        RX errors ${c.rxErrs}  dropped ${c.rxDrop}  overruns ${c.rxFifo}  frame ${c.rxFrame}`);
      out.push(`        TX packets ${c.txPackets}  bytes ${c.txBytes} (${bytesScaled(counterNumber(c.txBytes))})`);
      out.push(`        TX errors ${c.txErrs}  dropped ${c.txDrop} overruns ${c.txFifo}  carrier ${c.txCarrier}  collisions ${c.txColls}`);
    }
    out.push('');
  }
  return out.join('\n') + '\n';
}

/** netstat -ie for a snapshot's interfaces: the addresses and queue lengths read now (IPv4
 *  addresses only on the live system, where rtnetlink answers), then formatted. */
export async function ifconfigListing(kfs: KernelFs, ifs: readonly NetInterface[], all: boolean): Promise<string> {
  const [inet4, inet6, txq] = await Promise.all([
    isLiveRoot(kfs) ? readInet4Addresses() : Promise.resolve(null),
    readIfInet6(kfs),
    Promise.all(ifs.map(async (i) => [i.name, await readTxQueueLen(kfs, i.name)] as const)),
  ]);
  const txQueueLen = new Map<string, number>();
  for (const [name, n] of txq) if (n !== null) txQueueLen.set(name, n);
  return formatIfconfig({ interfaces: ifs, inet4, inet6, txQueueLen }, all);
}
