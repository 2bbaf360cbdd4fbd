// The dashboard drawn from the demo recording on fake terminal streams, as plain text: the
// frame snapshots (test/frame-snapshots.test.ts). Everything that could vary is pinned: the
// recorded sample shown (no replay timing), the time zone (UTC), host name, kernel and name
// tables (the demo's fixed root, no DNS), the terminal type and Unicode drawing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { parseOptions } from '../../src/cli/options.js';
import { createDashboard } from '../../src/dashboard/app.js';
import type { SampleHandler, SampleSource } from '../../src/sampler/sample-source.js';
import { HostNames, loadHosts } from '../../src/names/host-names.js';
import { loadNetworks } from '../../src/names/networks.js';
import { loadProtocols, loadServices } from '../../src/names/services.js';
import { loadUsers } from '../../src/names/users.js';
import type { NameContext } from '../../src/names/netstat-notation.js';
import { readRecording } from '../../src/sampler/recording.js';
import { SampleEngine, type RawSample } from '../../src/sampler/sample-engine.js';
import { kernelFs } from '../../src/sources/kernel-fs.js';
import { DEMO_RECORDING, DEMO_ROOT } from '../tools/demo-paths.js';
import { fakeTty } from './fake-tty.js';

// Times on screen are the samples' own, shown in local time: make local time UTC (node reads
// TZ again when it is set).
process.env['TZ'] = 'UTC';

/** The sample the README's screenshots show (test/tools/screenshots.ts DEFAULT_AT): the
 *  retransmit storm, interface drops, ICMP errors and half-closed connections are all there. */
export const DEMO_AT = 17;

let recording: { samples: RawSample[]; intervalMs: number } | null = null;
function demo(): { samples: RawSample[]; intervalMs: number } {
  if (!recording) {
    const r = readRecording(DEMO_RECORDING);
    recording = { samples: r.samples, intervalMs: r.header.intervalMs };
  }
  return recording;
}

/** What `netdash --root DEMO_ROOT -n`'s name tables give: /etc files only, no DNS. */
async function demoNames(): Promise<NameContext> {
  const kfs = kernelFs(DEMO_ROOT);
  const [services, protocols, users, hosts, networks] = await Promise.all([
    loadServices(kfs),
    loadProtocols(kfs),
    loadUsers(kfs),
    loadHosts(kfs),
    loadNetworks(kfs),
  ]);
  const names = new HostNames({ hosts, lookup: null });
  return { services, users, hostName: (a) => names.name(a), owners: null, networks, protocols };
}

function demoHost(): { name: string; kernel: string } {
  const read = (rel: string): string => readFileSync(join(DEMO_ROOT, rel), 'utf8').trim();
  return { name: read('proc/sys/kernel/hostname'), kernel: read('proc/sys/kernel/osrelease') };
}

/** The first `at` recorded samples, delivered at once; then nothing until stopped (no
 *  "replay ended", no timers). */
function upTo(samples: readonly RawSample[], at: number, intervalMs: number): (on: SampleHandler) => SampleSource {
  return (on) => {
    const engine = new SampleEngine();
    let end: () => void = () => {};
    return {
      run: () => {
        for (const raw of samples.slice(0, at)) on(engine.ingest(raw), raw);
        return new Promise<void>((res) => {
          end = res;
        });
      },
      stop: () => end(),
      mark: () => engine.mark(),
      setInterval: () => {},
      interval: intervalMs,
    };
  };
}

const settle = async (): Promise<void> => {
  for (let i = 0; i < 3; i++) await new Promise((res) => setImmediate(res));
};

/**
 * The screen after the first `at` samples of the demo and then `keys` (each string written to
 * the terminal's input as typed: '3', 'z', '/', 'close_wait', '\r'), as `rows` lines of
 * exactly `cols` characters, without colours or other attributes.
 */
export async function demoFrame(o: {
  cols: number;
  rows: number;
  keys?: readonly string[];
  argv?: readonly string[];
  at?: number;
  mouse?: boolean;
}): Promise<string[]> {
  const { samples, intervalMs } = demo();
  const input = fakeTty(o.cols, o.rows),
    output = fakeTty(o.cols, o.rows);
  output.resume();
  const d = createDashboard(parseOptions([...(o.argv ?? [])]), {
    input,
    output,
    names: await demoNames(),
    host: demoHost(),
    source: upTo(samples, o.at ?? DEMO_AT, intervalMs),
    signals: false,
    terminal: 'xterm-256color',
    ascii: false,
    ...(o.mouse === true ? { mouse: true } : {}),
  });
  try {
    await settle();
    for (const k of o.keys ?? []) {
      input.write(k);
      await settle();
    }
    // @types/blessed declares screenshot() as void; blessed returns the text.
    const text = stripVTControlCharacters(d.screen.screenshot() as unknown as string);
    return text.split('\n').slice(0, o.rows);
  } finally {
    d.quit();
    await d.done;
  }
}
