// The direct TCP print (print/tcp-direct.ts) on a real kernel: in a namespace with a few
// thousand sockets (IPv4, IPv6, v4-mapped, a long IPv6 address, LISTEN, TIME_WAIT, an accept
// queue, bound but idle sockets), it prints byte for byte what the general path prints, the
// CLI takes it, and a reader that closes the pipe early gets a clean prefix and exit status 0.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { Netns, readyLine, type RunResult } from './helpers/netns.js';
import { prereq } from './helpers/prereq.js';

const DIST = fileURLToPath(new URL('../', import.meta.url));
const CLI = path.join(DIST, 'src/cli.js');
const LONG6 = '2001:db8:1234:5678:9abc:def0:1234:5678';
const CONNECTIONS = 1500;

interface ProbeRun {
  flags: string;
  fits: boolean;
  code: number | null;
  direct: string;
  general: string[];
  warnings: string[];
}

describe('the direct TCP print on a real table', () => {
  let ns: Netns | null = null;

  before(async () => {
    ns = await Netns.create('pdirect').catch(() => null);
    if (!ns) return;
    await ns.exec('sysctl', ['-qw', 'net.ipv4.ip_local_port_range=20000 60000']);
    await ns.ip('-6', 'addr', 'add', `${LONG6}/128`, 'dev', 'lo', 'nodad');
    // 1,500 loopback connections (every 4th over ::1), both ends here: 3,000 sockets.
    const load = ns.spawn(process.execPath, [path.join(DIST, 'test/bench/load-child.js'), String(CONNECTIONS), '5100', '4']);
    await readyLine(load);
    // 100 of them closed (half of them orderly: TIME_WAIT) and opened again.
    load.stdin?.write(JSON.stringify({ churn: 100 }) + '\n');
    // Every other shape: v4-mapped, keepalive, accept queue, Send-Q, bound idle sockets.
    await readyLine(ns.spawn(process.execPath, [path.join(DIST, 'test/bench/diag-world.js')]));
    // A pair over an IPv6 address too long for netstat's 22 columns.
    const long = ns.spawn(process.execPath, [
      '-e',
      `const net = require('net'); const keep = [];
       const srv = net.createServer((s) => keep.push(s)).listen(7443, '${LONG6}', () => {
         const c = net.connect(7443, '${LONG6}', () => { keep.push(c); console.log('{"ready":true}'); });
       });`,
    ]);
    await readyLine(long);
    await sleep(300);
  });

  after(async () => {
    await ns?.destroy();
  });

  it('prints what the general path prints, byte for byte (-tan, -tn, -tln, -W)', { timeout: 60_000 }, async (t) => {
    if (!prereq(t, ['root', 'netns'])) return;
    assert.ok(ns, 'namespace was created');
    const flags = ['-tan', '-tn', '-tln', '-tanW', '-tlnW'];
    for (let attempt = 0; ; attempt++) {
      const r: RunResult = await ns.exec(process.execPath, [path.join(DIST, 'test/helpers/print-direct-probe.js'), ...flags]);
      assert.equal(r.code, 0, r.stderr);
      const runs = JSON.parse(r.stdout) as ProbeRun[];
      // The table moved between the two general reads (a connection still closing): again.
      if (runs.some((x) => x.general[0] !== x.general[1]) && attempt < 4) continue;
      for (const x of runs) {
        assert.ok(x.fits, x.flags);
        assert.equal(x.code, 0, `${x.flags}: the direct path declined`);
        assert.deepEqual(x.warnings, [], x.flags);
        assert.equal(x.direct, x.general[0], x.flags);
      }
      const tan = runs[0]!.direct;
      const lines = tan.split('\n');
      assert.ok(lines.length > 2 * CONNECTIONS, `${lines.length} lines`);
      assert.ok(
        lines.some((l) => /^tcp6 .* 127\.0\.0\.1:\d+ +127\.0\.0\.1:\d+ +ESTABLISHED/.test(l)),
        'a v4-mapped row, unmapped',
      );
      assert.ok(
        lines.some((l) => /^tcp6 .* ::1:\d+ +::1:\d+ +ESTABLISHED/.test(l)),
        'an IPv6 row',
      );
      assert.ok(
        lines.some((l) => l.includes('2001:db8:1234:5678:9:7443') || l.includes('2001:db8:1234:567:')),
        'the long address, cut',
      );
      assert.ok(runs[3]!.direct.includes(`${LONG6}:7443`), 'the long address whole with -W');
      assert.ok(
        lines.some((l) => l.endsWith('TIME_WAIT  ')),
        'TIME_WAIT',
      );
      assert.ok(
        lines.some((l) => /^tcp .* LISTEN {5}$/.test(l)),
        'LISTEN',
      );
      assert.ok(!tan.includes(':6007 ') && !tan.includes(':6008 '), 'bound idle sockets are not listed');
      assert.ok(tan.indexOf('\ntcp6') > tan.lastIndexOf('\ntcp '), "tcp's rows, then tcp6's");
      break;
    }
  });

  it('netdash --print -tan takes it and prints what NETDASH_PRINT_DIRECT=0 prints', { timeout: 60_000 }, async (t) => {
    if (!prereq(t, ['root', 'netns'])) return;
    assert.ok(ns);
    const general = { ...process.env, NETDASH_PRINT_DIRECT: '0' };
    for (let attempt = 0; ; attempt++) {
      const a = await ns.exec(process.execPath, [CLI, '--print', '-tan'], { env: general });
      const direct: RunResult = await ns.exec(process.execPath, [CLI, '--print', '-tan']);
      const b = await ns.exec(process.execPath, [CLI, '--print', '-tan'], { env: general });
      assert.equal(direct.code, 0, direct.stderr);
      assert.equal(direct.stderr, '');
      if (a.stdout !== b.stdout && attempt < 4) continue;
      assert.equal(direct.stdout, a.stdout);
      break;
    }
  });

  it(
    'a reader that closes the pipe after the first piece: a prefix of the text, exit status 0, nothing on stderr',
    { timeout: 60_000 },
    async (t) => {
      if (!prereq(t, ['root', 'netns'])) return;
      assert.ok(ns);
      const whole = (await ns.exec(process.execPath, [CLI, '--print', '-tan'], { env: { ...process.env, NETDASH_PRINT_DIRECT: '0' } }))
        .stdout;
      const r = await new Promise<{ code: number | null; err: string; first: string }>((resolve, reject) => {
        const child = spawn('ip', ['netns', 'exec', ns!.name, process.execPath, CLI, '--print', '-tan'], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let err = '';
        let first = '';
        child.stderr.on('data', (d: Buffer) => {
          err += d.toString();
        });
        child.stdout.once('data', (d: Buffer) => {
          first = d.toString('latin1');
          child.stdout.destroy();
        });
        child.once('error', reject);
        child.once('close', (code) => resolve({ code, err, first }));
      });
      assert.equal(r.code, 0, r.err);
      assert.equal(r.err, '');
      assert.ok(whole.length > 1 << 17, `${whole.length} bytes: more than the pipe holds`);
      assert.ok(r.first.length > 0 && r.first.length < whole.length);
      // Lines may move between the two reads (a connection closing); the title and the first rows not.
      assert.ok(r.first.startsWith('Active Internet connections (servers and established)\nProto Recv-Q Send-Q Local Address'));
    },
  );
});
