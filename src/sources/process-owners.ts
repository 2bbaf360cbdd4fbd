// Socket inode → owning process, found by walking /proc/<pid>/fd as netstat -p does.
import type { ProcessOwner } from '../model.js';
import type { KernelFs } from './kernel-fs.js';

export interface OwnerScan {
  owners: Map<number, ProcessOwner>;
  /** Some processes' fd tables could not be read (not root): their sockets show '-'. */
  denied: boolean;
}

/** 'socket:[12345]' → 12345; '[0000]:12345' (old kernels) → 12345. */
export function socketInodeOfLink(link: string): number | null {
  let m = /^socket:\[(\d+)\]$/.exec(link);
  if (!m) m = /^\[0000\]:(\d+)$/.exec(link);
  return m ? Number(m[1]) : null;
}

/** netstat's rule: argv[0], cut to its basename when it is an absolute path.
 *  An empty cmdline (kernel thread, zombie) falls back to comm, which netstat lacks. */
export function programName(cmdline: string, comm: string): string {
  const argv0 = cmdline.split('\0')[0] ?? '';
  if (argv0 === '') return comm.trim();
  return argv0.startsWith('/') ? argv0.slice(argv0.lastIndexOf('/') + 1) : argv0;
}

interface PidSockets { owner: ProcessOwner | null; inodes: number[]; denied: boolean }

async function scanPid(kfs: KernelFs, pid: string): Promise<PidSockets> {
  let fds: string[];
  try {
    fds = await kfs.readDir(`proc/${pid}/fd`);
  } catch (err) {
    // The process may have exited between readdir and here; only EACCES means "need root".
    const code = (err as NodeJS.ErrnoException).code;
    return { owner: null, inodes: [], denied: code === 'EACCES' || code === 'EPERM' };
  }
  const links = await Promise.all(fds.map((fd) => kfs.readLink(`proc/${pid}/fd/${fd}`).catch(() => '')));
  const inodes = links.map(socketInodeOfLink).filter((n): n is number => n !== null);
  if (inodes.length === 0) return { owner: null, inodes, denied: false };
  const [cmdline, comm] = await Promise.all([
    kfs.readText(`proc/${pid}/cmdline`).catch(() => ''),
    kfs.readText(`proc/${pid}/comm`).catch(() => ''),
  ]);
  return { owner: { pid: Number(pid), program: programName(cmdline, comm) }, inodes, denied: false };
}

export async function scanProcessOwners(kfs: KernelFs): Promise<OwnerScan> {
  const owners = new Map<number, ProcessOwner>();
  let entries: string[];
  try {
    entries = await kfs.readDir('proc');
  } catch {
    return { owners, denied: true };
  }
  const pids = entries.filter((e) => /^\d+$/.test(e)).sort((a, b) => Number(a) - Number(b));
  let denied = false;
  // Bounded parallelism: enough to hide syscall latency without opening thousands of fds at once.
  const width = 16;
  for (let i = 0; i < pids.length; i += width) {
    const results = await Promise.all(pids.slice(i, i + width).map((p) => scanPid(kfs, p)));
    // Merge in pid order so that, like netstat, the lowest pid keeps a socket shared after fork.
    for (const r of results) {
      if (r.denied) denied = true;
      if (r.owner) for (const inode of r.inodes) if (!owners.has(inode)) owners.set(inode, r.owner);
    }
  }
  return { owners, denied };
}
