// /proc/net/dev counters plus per-interface facts from /sys/class/net/<if>/.
import type { IfCounters, IfSysInfo, NetInterface, SourceResult } from '../model.js';
import { IF_COUNTER_NAMES } from '../model.js';
import { describeReadError, emptyFileError, type KernelFs, type Parsed } from './kernel-fs.js';

export interface DevRow {
  name: string;
  counters: IfCounters;
}

/** Parse /proc/net/dev. Interface names cannot contain ':' or spaces (dev_valid_name),
 *  so the first ':' ends the name even when a long name leaves no padding. */
export function parseNetDev(text: string): Parsed<DevRow[]> {
  const out: DevRow[] = [];
  let skipped = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line || !line.trim()) continue;
    const colon = line.indexOf(':');
    // The two header lines contain '|' and no numbers after a colon.
    if (i < 2 && line.includes('|')) continue;
    if (colon < 0) { skipped++; continue; }
    const name = line.slice(0, colon).trim();
    const fields = line.slice(colon + 1).trim().split(/\s+/);
    // Counters are unsigned decimals; a name the kernel would refuse (dev_valid_name) means
    // the line is not what the kernel wrote, and it must not steer the /sys/class/net path.
    if (!validIfName(name) || fields.length < IF_COUNTER_NAMES.length
        || fields.slice(0, IF_COUNTER_NAMES.length).some((f) => !/^\d+$/.test(f))) {
      skipped++;
      continue;
    }
    const nums = fields.map(Number);
    if (nums.some((n) => !Number.isFinite(n))) {
      skipped++;
      continue;
    }
    const counters = {} as IfCounters;
    IF_COUNTER_NAMES.forEach((key, idx) => { counters[key] = nums[idx] ?? 0; });
    out.push({ name, counters });
  }
  return { value: out, skipped };
}

/** dev_valid_name(): not empty, not '.' or '..', no '/', ':' or whitespace. (The kernel also
 *  limits names to 15 bytes; that is not checked, a longer one does no harm here.) */
export function validIfName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !/[/:\s]/.test(name);
}

// IFF_* bits (linux/if.h).
export const IFF = {
  UP: 0x1, BROADCAST: 0x2, DEBUG: 0x4, LOOPBACK: 0x8, POINTOPOINT: 0x10, NOTRAILERS: 0x20,
  RUNNING: 0x40, NOARP: 0x80, PROMISC: 0x100, ALLMULTI: 0x200, MASTER: 0x400, SLAVE: 0x800,
  MULTICAST: 0x1000, DYNAMIC: 0x8000,
} as const;

/** The flags word as SIOCGIFFLAGS reports it: sysfs gives dev->flags, and the kernel adds
 *  RUNNING when the device is up and its operstate is up or unknown (dev_get_flags). */
export function effectiveFlags(sys: IfSysInfo): number | undefined {
  if (sys.flags === undefined) return undefined;
  let f = sys.flags & ~IFF.RUNNING;
  if ((f & IFF.UP) && (sys.operstate === 'up' || sys.operstate === 'unknown')) f |= IFF.RUNNING;
  return f;
}

/** netstat -i's Flg column, letters in netstat's order. */
export function flagLetters(flags: number): string {
  if (flags === 0) return '[NO FLAGS]';
  const pairs: [number, string][] = [
    [IFF.ALLMULTI, 'A'], [IFF.BROADCAST, 'B'], [IFF.DEBUG, 'D'], [IFF.LOOPBACK, 'L'],
    [IFF.MULTICAST, 'M'], [IFF.DYNAMIC, 'd'], [IFF.PROMISC, 'P'], [IFF.NOTRAILERS, 'N'],
    [IFF.NOARP, 'O'], [IFF.POINTOPOINT, 'P'], [IFF.SLAVE, 's'], [IFF.MASTER, 'm'],
    [IFF.RUNNING, 'R'], [IFF.UP, 'U'],
  ];
  return pairs.filter(([bit]) => flags & bit).map(([, l]) => l).join('');
}

async function readNum(kfs: KernelFs, rel: string, radix = 10): Promise<number | undefined> {
  try {
    const n = parseInt((await kfs.readText(rel)).trim(), radix);
    return Number.isNaN(n) ? undefined : n;
  } catch {
    // Virtual devices refuse some attributes (speed gives EINVAL); absence is the answer.
    return undefined;
  }
}

async function readStr(kfs: KernelFs, rel: string): Promise<string | undefined> {
  try {
    return (await kfs.readText(rel)).trim();
  } catch {
    return undefined;
  }
}

export async function readSysInfo(kfs: KernelFs, name: string): Promise<IfSysInfo> {
  const base = `sys/class/net/${name}`;
  const [mtu, flags, operstate, ifindex, speed, rxNohandler, type, address] = await Promise.all([
    readNum(kfs, `${base}/mtu`),
    readNum(kfs, `${base}/flags`, 16),
    readStr(kfs, `${base}/operstate`),
    readNum(kfs, `${base}/ifindex`),
    readNum(kfs, `${base}/speed`),
    readNum(kfs, `${base}/statistics/rx_nohandler`),
    readNum(kfs, `${base}/type`),
    readStr(kfs, `${base}/address`),
  ]);
  const info: IfSysInfo = {};
  if (mtu !== undefined) info.mtu = mtu;
  if (flags !== undefined) info.flags = flags;
  if (operstate !== undefined) info.operstate = operstate;
  if (ifindex !== undefined) info.ifindex = ifindex;
  if (speed !== undefined && speed > 0) info.speed = speed;
  if (rxNohandler !== undefined) info.rxNohandler = rxNohandler;
  if (type !== undefined) info.type = type;
  if (address !== undefined) info.address = address;
  return info;
}

export async function readInterfaces(kfs: KernelFs): Promise<SourceResult<NetInterface[]>> {
  let text: string;
  try {
    text = await kfs.readText('proc/net/dev');
  } catch (err) {
    return { ok: false, error: describeReadError('proc/net/dev', err) };
  }
  if (text === '') return { ok: false, error: emptyFileError('proc/net/dev') };
  const { value: rows, skipped } = parseNetDev(text);
  const value = await Promise.all(rows.map(async (r) => ({ ...r, sys: await readSysInfo(kfs, r.name) })));
  return { ok: true, value, skipped };
}

/** net-tools 2.10's nstrcmp: a name splits into a stem and its trailing digits; stems compare
 *  as plain bytes, then the numbers by value, and a tie falls back to the whole names
 *  (so eth2 < eth10, and eth01 < eth1). */
export function naturalCompare(a: string, b: string): number {
  const split = (s: string): [string, number] => {
    const m = /^(.*?)(\d+)$/s.exec(s);
    return m ? [m[1] ?? '', Number(m[2])] : [s, -1];
  };
  const [sa, na] = split(a), [sb, nb] = split(b);
  if (sa !== sb) return sa < sb ? -1 : 1;
  if (na !== nb) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}
