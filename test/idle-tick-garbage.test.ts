// What the sample engine allocates on an idle tick (issue 14: an idle dashboard's CPU, a good
// part of which was collecting garbage): the protocol and interface counters of a real host's
// /proc files (fixtures), the same values tick after tick. Before, each tick made a map of every
// counter value, a map of every stat, and an entry array per key (a for-of over the map's
// entries, even optimized): about 270 bytes a key. Measured in a child by V8's sampling heap
// profiler with the objects already collected counted, under the launcher's V8 flags.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SRC = path.join(HERE, '../src');
const FIXTURES = path.join(HERE, '../../test/fixtures');
const url = (p: string): string => JSON.stringify(pathToFileURL(path.join(SRC, p)).href);

interface Garbage {
  keys: number;
  perKey: number;
  same: boolean;
  rate: number | null;
}

function idleTickGarbage(): Garbage {
  const script = `
    import inspector from 'node:inspector/promises';
    const { SampleEngine } = await import(${url('sampler/sample-engine.js')});
    const { readCounters } = await import(${url('sources/snmp.js')});
    const { readInterfaces } = await import(${url('sources/interfaces.js')});
    const { kernelFs } = await import(${url('sources/kernel-fs.js')});
    const counters = await readCounters(kernelFs(${JSON.stringify(path.join(FIXTURES, 'snmp/host'))}));
    const interfaces = await readInterfaces(kernelFs(${JSON.stringify(path.join(FIXTURES, 'netdev/host'))}));
    const engine = new SampleEngine();
    let mono = 0;
    const tick = () => engine.ingest({ mono: (mono += 1000), boot: { bootTime: 1 }, snapshot: { time: mono, inet: {}, counters, interfaces } });
    // Warm: the tracker at its size, the code optimized.
    let s;
    for (let t = 0; t < 200; t++) s = tick();
    const TICKS = 50;
    const session = new inspector.Session();
    session.connect();
    await session.post('HeapProfiler.startSampling', { samplingInterval: 256, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
    let last = s;
    for (let t = 0; t < TICKS; t++) { last = s; s = tick(); }
    const { profile } = await session.post('HeapProfiler.stopSampling');
    let bytes = 0;
    const walk = (node) => { bytes += node.selfSize; for (const c of node.children) walk(c); };
    walk(profile.head);
    const eth = [...s.stats.keys()].find((k) => k.startsWith('if.') && k.endsWith('.rxBytes'));
    process.stdout.write(JSON.stringify({ keys: s.stats.size, perKey: bytes / TICKS / s.stats.size, same: last.stats === s.stats, rate: s.stats.get(eth)?.rate ?? null }));`;
  const out = execFileSync(process.execPath, ['--max-semi-space-size=4', '--optimize-for-size', '--input-type=module', '-e', script], {
    encoding: 'utf8',
  });
  return JSON.parse(out) as Garbage;
}

test('an idle tick allocates under 100 bytes per counter in the engine (no new maps of every value and stat, no entry arrays)', () => {
  const g = idleTickGarbage();
  assert.ok(g.keys > 300, `a real host's counters: ${g.keys} keys`);
  assert.equal(g.same, true, 'an idle tick hands on the same stats');
  assert.equal(g.rate, 0, 'the rates are computed (0 on an idle host)');
  assert.ok(Number.isFinite(g.perKey) && g.perKey > 0, `measured ${g.perKey}`);
  assert.ok(g.perKey < 100, `${g.perKey.toFixed(0)} bytes allocated per key per tick`);
});
