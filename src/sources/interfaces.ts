// /proc/net/dev counters plus per-interface facts from /sys/class/net/<if>/.
import type { IfCounters, IfSysInfo, NetInterface, SourceResult } from '../model.js';
import { exactCounter } from '../model/counter-value.js';
import { IF_COUNTER_NAMES } from '../model.js';
import { describeReadError, emptyFileError, type KernelFs, type Parsed } from './kernel-fs.js';

export interface DevRow {
  name: string;
  counters: IfCounters;
}

/** The rows of the last text parsed, by line: an idle interface's line does not change between
 *  ticks, and is then not parsed again (rows are never modified, so they can be shared). */
let devRows = new Map<string, DevRow>();

/** Parse /proc/net/dev. Interface names cannot contain ':' or spaces (dev_valid_name),
 *  so the first ':' ends the name even when a long name leaves no padding. */
export function parseNetDev(text: string): Parsed<DevRow[]> {
  const out: DevRow[] = [];
  let skipped = 0;
  const lines = text.split('\n');
  const last = devRows;
  const rows = new Map<string, DevRow>();
  devRows = rows;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    // The two header lines contain '|' and no numbers after a colon.
    if (i < 2 && line.includes('|')) continue;
    const known = last.get(line);
    if (known !== undefined) {
      rows.set(line, known);
      out.push(known);
      continue;
    }
    if (!line.trim()) continue;
    const colon = line.indexOf(':');
    if (colon < 0) {
      skipped++;
      continue;
    }
    const name = line.slice(0, colon).trim();
    const fields = line
      .slice(colon + 1)
      .trim()
      .split(/\s+/);
    // Counters are unsigned decimals; a name the kernel would refuse (dev_valid_name) means
    // the line is not what the kernel wrote, and it must not steer the /sys/class/net path.
    if (
      !validIfName(name) ||
      fields.length < IF_COUNTER_NAMES.length ||
      fields.slice(0, IF_COUNTER_NAMES.length).some((f) => !/^\d+$/.test(f))
    ) {
      skipped++;
      continue;
    }
    if (fields.some((f) => !Number.isFinite(Number(f)))) {
      skipped++;
      continue;
    }
    // 64-bit counters: exact, a bigint beyond 2^53.
    const nums = fields.slice(0, IF_COUNTER_NAMES.length).map(exactCounter);
    const counters = {} as IfCounters;
    IF_COUNTER_NAMES.forEach((key, idx) => {
      counters[key] = nums[idx] ?? 0;
    });
    const row = { name, counters };
    rows.set(line, row);
    out.push(row);
  }
  return { value: out, skipped };
}

/** dev_valid_name(): not empty, not '.' or '..', no '/', ':' or whitespace. (The kernel also
 *  limits names to 15 bytes; that is not checked, a longer one does no harm here.) */
export function validIfName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !/[/:\s]/.test(name);
}

/** The attributes read from /sys/class/net/<if>/. */
const SYS_FILES = ['mtu', 'flags', 'operstate', 'ifindex', 'speed', 'statistics/rx_nohandler', 'type', 'address'] as const;

function num(text: string | null, radix = 10): number | undefined {
  // Virtual devices refuse some attributes (speed gives EINVAL); absence is the answer.
  if (text === null) return undefined;
  const n = parseInt(text.trim(), radix);
  return Number.isNaN(n) ? undefined : n;
}

function str(text: string | null): string | undefined {
  return text === null ? undefined : text.trim();
}

/** Each attribute's text, null where it cannot be read. */
async function readSysFiles(kfs: KernelFs, base: string): Promise<(string | null)[]> {
  if (kfs.readFiles) return kfs.readFiles(base, SYS_FILES);
  return Promise.all(SYS_FILES.map((f) => kfs.readText(`${base}/${f}`).catch(() => null)));
}

export async function readSysInfo(kfs: KernelFs, name: string): Promise<IfSysInfo> {
  const [mtuT = null, flagsT = null, operT = null, ifindexT = null, speedT = null, nohT = null, typeT = null, addrT = null] =
    await readSysFiles(kfs, `sys/class/net/${name}`);
  const mtu = num(mtuT),
    flags = num(flagsT, 16),
    operstate = str(operT),
    ifindex = num(ifindexT);
  const speed = num(speedT),
    rxNohandler = num(nohT),
    type = num(typeT),
    address = str(addrT);
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
