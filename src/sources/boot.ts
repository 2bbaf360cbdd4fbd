// Which boot of the host a sample belongs to: btime from /proc/stat, boot_id from /proc/sys.
import type { KernelFs } from './kernel-fs.js';

export interface BootInfo {
  /** Seconds since the epoch the host booted; NaN when unknown. */
  bootTime: number;
  bootId?: string;
}

export function parseBtime(stat: string): number {
  const m = /^btime\s+(\d+)$/m.exec(stat);
  const n = m ? Number(m[1]) : NaN;
  return Number.isFinite(n) ? n : NaN;
}

export async function readBootInfo(kfs: KernelFs): Promise<BootInfo> {
  const [stat, id] = await Promise.all([
    kfs.readText('proc/stat').catch(() => ''),
    kfs.readText('proc/sys/kernel/random/boot_id').catch(() => ''),
  ]);
  const info: BootInfo = { bootTime: parseBtime(stat) };
  if (id.trim()) info.bootId = id.trim();
  return info;
}
