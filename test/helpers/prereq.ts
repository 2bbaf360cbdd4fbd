// Gate for tests that need root, network namespaces or peer tools. Locally a missing
// prerequisite skips with a printed reason; under CI=true it fails the test instead.
import { execFileSync } from 'node:child_process';
import type { TestContext } from 'node:test';

export type Need = 'root' | 'netns' | 'netstat' | 'ss' | 'iptables' | 'tmux' | 'prometheus' | 'openssl';

const cache = new Map<Need, string | null>();

function has(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

function missing(need: Need): string | null {
  if (cache.has(need)) return cache.get(need) ?? null;
  let why: string | null = null;
  switch (need) {
    case 'root':
      why = process.getuid?.() === 0 ? null : 'not running as root';
      break;
    case 'netns': {
      const name = `nd-probe-${process.pid}`;
      why = has('ip', ['netns', 'add', name]) ? null : 'cannot create a network namespace (ip netns add failed)';
      if (!why) has('ip', ['netns', 'del', name]);
      break;
    }
    case 'netstat':
      why = has('netstat', ['--version']) ? null : 'netstat (net-tools) is not installed';
      break;
    case 'ss':
      why = has('ss', ['-V']) ? null : 'ss (iproute2) is not installed';
      break;
    case 'iptables':
      why = has('iptables', ['--version']) ? null : 'iptables is not installed';
      break;
    case 'tmux':
      why = has('tmux', ['-V']) ? null : 'tmux is not installed';
      break;
    // The Debian package ships both the server and promtool.
    case 'prometheus':
      why = has('prometheus', ['--version']) && has('promtool', ['--version']) ? null : 'prometheus and promtool are not installed';
      break;
    case 'openssl':
      why = has('openssl', ['version']) ? null : 'openssl is not installed';
      break;
  }
  cache.set(need, why);
  return why;
}

/** Returns true when the test may go on; otherwise skips it (or throws under CI). */
export function prereq(t: TestContext, needs: Need[]): boolean {
  for (const need of needs) {
    const why = missing(need);
    if (why === null) continue;
    if (process.env['CI'] === 'true') throw new Error(`prerequisite missing under CI: ${why}`);
    console.log(`# skipping "${t.name}": ${why}`);
    t.skip(why);
    return false;
  }
  return true;
}
