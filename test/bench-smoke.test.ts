// The benchmark's own code keeps working: its load, its probe (every measurement once, on a
// tiny load) and its argument parsing. No figure is checked against a target here: timings
// belong to `npm run bench`, never to the test suite.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Netns, readyLine, run } from './helpers/netns.js';
import { prereq } from './helpers/prereq.js';

const BENCH = fileURLToPath(new URL('./bench/', import.meta.url));

test('bench: --help, and a bad --sockets is refused', async () => {
  const help = await run(process.execPath, [path.join(BENCH, 'run.js'), '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--sockets N/);
  const bad = await run(process.execPath, [path.join(BENCH, 'run.js'), '--sockets', 'many']);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /--sockets/);
});

test('bench probe: every measurement runs once on a small load in a namespace', { timeout: 120_000 }, async (t) => {
  if (!prereq(t, ['root', 'netns', 'ss', 'netstat'])) return;
  const ns = await Netns.create('bsmoke');
  t.after(() => ns.destroy());
  const load = ns.spawn(process.execPath, [path.join(BENCH, 'load-child.js'), '100', '7000', '10']);
  const ready = await readyLine<{ connections: number }>(load);
  assert.equal(ready.connections, 100);

  const timings = await ns.exec(process.execPath, [path.join(BENCH, 'probe.js'), 'timings', '--reps', '1', '--sim-seconds', '1']);
  assert.equal(timings.code, 0, timings.stderr);
  const tj = JSON.parse(timings.stdout) as {
    sockets: number;
    timings: Record<string, { wallMs: number }[]>;
    samplerPct: { every: number; auto: number };
  };
  // 100 connections (both ends here) and two listeners, 127.0.0.1 and ::1.
  assert.equal(tj.sockets, 202);
  for (const k of [
    'snapshot',
    'snapshotProc',
    'procSplit',
    'countOnly',
    'listenOnly',
    'tick',
    'tickOwners',
    'ownersCold',
    'ss -tan',
    'ss -tanp',
    'netstat -tan',
    'netstat -tanp',
    'netdash --print -tan',
    'netdash --print -tanp',
  ]) {
    assert.equal(tj.timings[k]?.length, 1, k);
    assert.ok(Number.isFinite(tj.timings[k]?.[0]?.wallMs), k);
  }
  assert.ok(Number.isFinite(tj.samplerPct.every) && Number.isFinite(tj.samplerPct.auto));

  const render = await ns.exec(process.execPath, [path.join(BENCH, 'probe.js'), 'render', '--reps', '1', '--cols', '120', '--rows', '40']);
  assert.equal(render.code, 0, render.stderr);
  const rj = JSON.parse(render.stdout) as Record<string, number[] | number>;
  assert.equal(rj['sockets'], 202);
  for (const k of ['engineMs', 'storeMs', 'renderMs', 'repaintMs', 'noChangeBytes', 'changedBytes', 'keyMs', 'sortKeyMs']) {
    const v = rj[k];
    assert.ok(Array.isArray(v) && v.length >= 1 && v.every(Number.isFinite), k);
  }
  // A tick where nothing changed still writes something (the clock in the status line), and
  // one where rows changed writes more.
  const [noChange] = rj['noChangeBytes'] as number[];
  const [changed] = rj['changedBytes'] as number[];
  assert.ok((changed ?? 0) > (noChange ?? 0));

  // The recording figures: a steady table costs less per tick than a churning one.
  const rec = await ns.exec(process.execPath, [path.join(BENCH, 'probe.js'), 'record', '--ticks', '20']);
  assert.equal(rec.code, 0, rec.stderr);
  const cj = JSON.parse(rec.stdout) as {
    sockets: number;
    ticks: number;
    steadyBytesPerTick: number;
    churnBytesPerTick: number;
    churnPerTick: number;
    keyFrameBytes: number;
  };
  assert.equal(cj.sockets, 202);
  assert.equal(cj.ticks, 20);
  assert.equal(cj.churnPerTick, 2, '1% of the 200 connected sockets');
  assert.ok(cj.steadyBytesPerTick > 0 && cj.churnBytesPerTick > cj.steadyBytesPerTick, rec.stdout);
  assert.ok(cj.keyFrameBytes > cj.steadyBytesPerTick, rec.stdout);
  // The tick with tcp_info against ss -tin (issue 13): every TCP socket but TIME_WAIT carries it.
  const ti = await ns.exec(process.execPath, [path.join(BENCH, 'probe.js'), 'tcpinfo', '--reps', '1']);
  assert.equal(ti.code, 0, ti.stderr);
  const tij = JSON.parse(ti.stdout) as { timings: Record<string, unknown[]>; sockets: number; withInfo: number; rssMB: number };
  assert.equal(tij.sockets, 202);
  assert.equal(tij.withInfo, 202);
  for (const k of ['tickInfo', 'ss -tin']) assert.equal(tij.timings[k]?.length, 1, k);
  assert.ok(tij.rssMB > 0);
});
