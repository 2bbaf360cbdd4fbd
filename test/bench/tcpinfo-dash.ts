// What a user sees with TCP internals on (issue 13's memory target): the real dashboard, started
// as the `netdash` command starts it (`sh dist/src/cli.js`, the launcher's node flags), in tmux
// inside a namespace holding N loopback TCP sockets, with a view that reads tcp_info every tick
// (pane 9 Processes, pane 10 Peers, or the connections pane's `i` columns). Prints one JSON line:
// the dashboard's peak RSS (VmHWM) and RSS readings, and (with --probe) the bench's tcpinfo
// probe in the same namespace (tick with tcp_info against `ss -tin`, its own peak RSS).
//
//   node dist/test/bench/tcpinfo-dash.js --sockets 50000 --seconds 60 --keys 9 [--probe]
//   node dist/test/bench/tcpinfo-dash.js --sockets 50000 --hold      build the load, print the
//                                                                    namespace, wait for Enter
//   … --ns NAME                                                      measure in that namespace
// Needs root, ip netns, tmux (as `npm run bench`).
import { loadavg } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { Netns, run } from '../helpers/netns.js';
import { Tmux } from '../helpers/tmux.js';
import { CLI, CLI_FLAGS } from './bin-launch.js';
import { findNetdash, spawnLoad, statusKb } from './loads.js';

const DIST = fileURLToPath(new URL('../../', import.meta.url));
const NODE = process.execPath;

async function buildLoad(sockets: number): Promise<Netns> {
  const ns = await Netns.create('tinfo');
  await spawnLoad(ns, sockets);
  return ns;
}

interface DashFigures {
  keys: string;
  seconds: number;
  hwmMB: number;
  /** RSS every 5 s (MB). */
  rssMB: number[];
  screen: string;
}

async function dashboard(ns: Netns, keys: string, seconds: number): Promise<DashFigures> {
  // `sh dist/src/cli.js`, as the installed command runs (the launcher line picks node's flags);
  // PATH's node is the one the launcher's `exec node` finds.
  const env = { PATH: `${path.dirname(NODE)}:${process.env['PATH'] ?? ''}` };
  const t = Tmux.start(['ip', 'netns', 'exec', ns.name, 'env', `PATH=${env.PATH}`, 'sh', CLI, '--interval', '1'], {
    width: 200,
    height: 50,
    term: 'xterm-256color',
  });
  try {
    await t.waitFor((s) => /ESTAB \d/.test(s), 90_000, 'the first sample on screen');
    const pid = findNetdash(t.pid());
    for (const k of keys) {
      t.keys(k);
      await sleep(300);
    }
    const rss: number[] = [];
    const end = performance.now() + seconds * 1000;
    while (performance.now() < end) {
      await sleep(5000);
      rss.push(Math.round(statusKb(pid, 'VmRSS') / 1024));
    }
    const hwmMB = Math.round(statusKb(pid, 'VmHWM') / 1024);
    return { keys, seconds, hwmMB, rssMB: rss, screen: t.capture().split('\n').slice(0, 6).join('\n') };
  } finally {
    t.kill();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sockets: { type: 'string', default: '50000' },
      seconds: { type: 'string', default: '60' },
      keys: { type: 'string', multiple: true },
      probe: { type: 'boolean', default: false },
      reps: { type: 'string', default: '5' },
      hold: { type: 'boolean', default: false },
      /** A namespace already holding the load (from --hold): used, not built or removed. */
      ns: { type: 'string' },
    },
  });
  const ns =
    values.ns !== undefined
      ? ({
          name: values.ns,
          exec: (c: string, a: string[]) => run('ip', ['netns', 'exec', values.ns!, c, ...a]),
          destroy: () => Promise.resolve(),
        } as unknown as Netns)
      : await buildLoad(Number(values.sockets));
  const cleanup = (): void => void ns.destroy().then(() => process.exit(130));
  process.once('SIGINT', cleanup);
  process.once('SIGTERM', cleanup);
  try {
    if (values.hold) {
      process.stdout.write(`${ns.name}\n`);
      await new Promise((r) => process.stdin.once('data', r));
      await ns.destroy();
      process.exit(0);
    }
    const out: Record<string, unknown> = { sockets: Number(values.sockets), flags: CLI_FLAGS };
    if (values.probe) {
      const r = await ns.exec(NODE, [...CLI_FLAGS, path.join(DIST, 'test/bench/probe.js'), 'tcpinfo', '--reps', values.reps]);
      if (r.code !== 0) throw new Error(`probe: ${r.stderr}`);
      const p = JSON.parse(r.stdout) as { timings: Record<string, { wallMs: number }[]>; rssMB: number; sockets: number };
      const med = (k: string): number => {
        const w = (p.timings[k] ?? []).map((f) => f.wallMs).sort((a, b) => a - b);
        return w[w.length >> 1] ?? NaN;
      };
      out['probe'] = {
        rssMB: Math.round(p.rssMB),
        tickInfoMs: med('tickInfo'),
        ssTinMs: med('ss -tin'),
        ratio: med('tickInfo') / med('ss -tin'),
        sockets: p.sockets,
      };
    }
    const dash: DashFigures[] = [];
    for (const k of values.keys ?? []) dash.push(await dashboard(ns, k, Number(values.seconds)));
    out['dashboard'] = dash;
    out['loadavg'] = loadavg().map((x) => Number(x.toFixed(2)));
    process.stdout.write(JSON.stringify(out) + '\n');
  } finally {
    await ns.destroy();
  }
  process.exit(0);
}

void main().catch((err: unknown) => {
  process.stderr.write(`tcpinfo-dash: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
