// The host's name and kernel release, as the kernel of this root says them.
import type { KernelFs } from './kernel-fs.js';

export interface HostInfo {
  name: string;
  kernel: string;
}

/** proc/sys/kernel/{hostname,osrelease} below the root; `fallback` for what cannot be read. */
export async function readHostInfo(kfs: KernelFs, fallback: HostInfo): Promise<HostInfo> {
  const read = (rel: string): Promise<string> =>
    kfs.readText(rel).then(
      (t) => t.trim(),
      () => '',
    );
  const [name, kernel] = await Promise.all([read('proc/sys/kernel/hostname'), read('proc/sys/kernel/osrelease')]);
  return { name: name || fallback.name, kernel: kernel || fallback.kernel };
}
