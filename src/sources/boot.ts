// Which boot of the host a sample belongs to: btime from /proc/stat, boot_id from /proc/sys.
import { isLiveRoot, type KernelFs } from './kernel-fs.js';

export interface BootInfo {
  /** Seconds since the epoch the host booted; NaN when unknown. */
  bootTime: number;
  bootId?: string;
}

/** The two clocks whose drift apart says the wall clock was stepped (the sampler's Clock). */
export interface BootClock {
  now(): number;
  mono(): number;
}

export function parseBtime(stat: string): number {
  const m = /^btime\s+(\d+)$/m.exec(stat);
  const n = m ? Number(m[1]) : NaN;
  return Number.isFinite(n) ? n : NaN;
}

async function readBoot(kfs: KernelFs): Promise<BootInfo> {
  const [stat, id] = await Promise.all([
    kfs.readText('proc/stat').catch(() => ''),
    kfs.readText('proc/sys/kernel/random/boot_id').catch(() => ''),
  ]);
  const info: BootInfo = { bootTime: parseBtime(stat) };
  if (id.trim()) info.bootId = id.trim();
  return info;
}

/** The live root's boot, as last read: when, and the wall clock's offset from the monotonic one then. */
let live: { info: BootInfo; at: number; offset: number } | null = null;
/** The live root's boot info is read again at least this often (ms)… */
export const BOOT_REREAD_MS = 60_000;
/** …and as soon as the wall clock moved against the monotonic clock by this much (ms). */
const CLOCK_STEP_MS = 100;

/**
 * For a recorded root every call reads both files. For the live root (the process runs in the
 * boot it reads) the answer is kept while it cannot have changed: boot_id is fixed for the
 * life of a boot, which outlives this process, and btime (the wall-clock time of the boot) moves
 * only when the wall clock is stepped. So it is read again when the wall clock moved against
 * the monotonic clock (a step, or a suspend, which also shows there), and every
 * BOOT_REREAD_MS whatever happens; without a boot_id it is read every time, as btime is then
 * what detects a reboot in a recording. /proc/stat is not a cheap file: the kernel sums every
 * CPU's counters and every interrupt's to write it.
 */
export async function readBootInfo(kfs: KernelFs, clock: BootClock): Promise<BootInfo> {
  if (!isLiveRoot(kfs)) return readBoot(kfs);
  const at = clock.mono();
  const offset = clock.now() - at;
  if (live !== null && live.info.bootId !== undefined && at - live.at < BOOT_REREAD_MS && Math.abs(offset - live.offset) < CLOCK_STEP_MS) {
    return { ...live.info };
  }
  const info = await readBoot(kfs);
  live = { info, at, offset };
  return { ...info };
}
