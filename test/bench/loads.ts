// What the bench's scripts share: loopback TCP loads in a network namespace (load-child.js
// processes, spread under the 20000-fd limit) and reading a netdash process's CPU and memory.
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readyLine, type Netns } from '../helpers/netns.js';

const DIST = fileURLToPath(new URL('../../', import.meta.url));
/** Connections per load process: two fds each, under the 20000 fd limit. */
export const PER_CHILD = 8000;

/** `sockets` loopback TCP sockets (half as many connections) in `ns`, held by load processes
 *  that are ready when this resolves; each reads churn orders on its stdin (load-child.ts). */
export async function spawnLoad(ns: Netns, sockets: number): Promise<ChildProcess[]> {
  await ns.exec('sysctl', ['-q', '-w', 'net.ipv4.ip_local_port_range=10000 65000']);
  const conns = Math.round(sockets / 2);
  const children = Math.ceil(conns / PER_CHILD);
  const procs: ChildProcess[] = [];
  for (let i = 0; i < children; i++) {
    const n = Math.round(conns / children) + (i === children - 1 ? conns - Math.round(conns / children) * children : 0);
    procs.push(
      ns.spawn('prlimit', [
        '--nofile=20000:20000',
        process.execPath,
        path.join(DIST, 'test/bench/load-child.js'),
        String(n),
        String(5000 + i),
        '10',
      ]),
    );
  }
  await Promise.all(procs.map((p) => readyLine(p)));
  return procs;
}

/** A field of /proc/PID/status in kB ('VmHWM', 'VmRSS'); 0 when missing. */
export function statusKb(pid: number, key: string): number {
  const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : 0;
}

/** The netdash process under `root` (tmux's pane, which starts it through a shell or `ip netns
 *  exec`): the one running the CLI that is not a shell (the launcher execs node). */
export function findNetdash(root: number): number {
  const queue = [root];
  while (queue.length) {
    const pid = queue.shift()!;
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmd.includes('dist/src/cli.js') && !/(^|\/)(ba|da)?sh$/.test(cmd.split('\0')[0] ?? '')) return pid;
      const kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
      if (kids) queue.push(...kids.split(' ').map(Number));
    } catch {
      /* gone */
    }
  }
  throw new Error('netdash process not found under the tmux pane');
}
