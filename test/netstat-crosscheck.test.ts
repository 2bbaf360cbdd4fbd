// netdash --print against the real netstat, in a namespace this test builds and fills itself.
import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { Netns, readyLine } from './helpers/netns.js';
import { prereq } from './helpers/prereq.js';

const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));
const WORLD = fileURLToPath(new URL('./helpers/socket-world.js', import.meta.url));

function assertBetween(ours: string, lo: string, hi: string): void {
  const [o, a, b] = [ours, lo, hi].map((x) => x.split('\n'));
  assert.equal(o!.length, a!.length, `line count differs:\n${ours}\n---\n${lo}`);
  o!.forEach((line, i) => {
    const lineA = a![i]!,
      lineB = b![i]!;
    if (line === lineA || line === lineB) return;
    const [to, ta, tb] = [line, lineA, lineB].map((x) => x.split(/(\s+)/));
    assert.equal(to!.length, ta!.length, `line ${i} differs in shape:\n${line}\n${lineA}`);
    to!.forEach((tok, k) => {
      const x = ta![k]!,
        y = tb![k]!;
      if (tok === x) return;
      assert.ok(/^\d+$/.test(tok) && /^\d+$/.test(x) && /^\d+$/.test(y), `line ${i} token '${tok}' vs '${x}'`);
      assert.ok(Number(x) <= Number(tok) && Number(tok) <= Number(y), `line ${i}: ${tok} not between ${x} and ${y}`);
    });
  });
}

describe('netdash --print agrees with netstat in a namespace', () => {
  let ns: Netns | null = null;

  before(async () => {
    ns = await Netns.create('xcheck').catch(() => null);
    if (!ns) return;
    // A veth pair inside the namespace gives -i more than loopback, one end left down.
    await ns.ip('link', 'add', 'xa0', 'type', 'veth', 'peer', 'name', 'xb0');
    await ns.ip('link', 'add', 'xdown', 'type', 'veth', 'peer', 'name', 'xdown-peer');
    await ns.ip('addr', 'add', '10.77.0.1/24', 'dev', 'xa0');
    await ns.ip('addr', 'add', '10.77.0.2/24', 'dev', 'xb0');
    // No IPv6 on the veths: router solicitations would keep their counters moving.
    for (const dev of ['xa0', 'xb0']) await ns.exec('sysctl', ['-qw', `net.ipv6.conf.${dev}.disable_ipv6=1`]);
    await ns.ip('link', 'set', 'xa0', 'up');
    await ns.ip('link', 'set', 'xb0', 'up');
    const world = ns.spawn(process.execPath, [WORLD]);
    await readyLine(world);
    // Some traffic so the interface counters are not all zero; then they stay still.
    await ns.exec('ping', ['-c', '2', '-i', '0.2', '-q', '10.77.0.2']);
  });

  after(async () => {
    await ns?.destroy();
  });

  // netstat, then netdash, then netstat again: where the two netstat reads agree, netdash must
  // match them byte for byte; a number that moved in between must lie between the two reads.
  async function compare(t: TestContext, flags: string[]): Promise<void> {
    if (!prereq(t, ['root', 'netns', 'netstat'])) return;
    assert.ok(ns, 'namespace was created');
    const before = (await ns.exec('netstat', flags)).stdout;
    const ours = await ns.exec(process.execPath, [CLI, '--print', ...flags]);
    const afterRead = (await ns.exec('netstat', flags)).stdout;
    assert.equal(ours.code, 0, ours.stderr);
    if (before === afterRead) {
      assert.equal(ours.stdout, before);
      return;
    }
    assertBetween(ours.stdout, before, afterRead);
  }

  for (const flags of [
    ['-tuna'],
    ['-tunae'],
    ['-tunap'],
    ['-tunlp'],
    ['-tn'],
    ['-una'],
    ['-x'],
    ['-xa'],
    ['-xap'],
    ['-i'],
    ['-ia'],
    ['-n'],
    ['-an4'],
    ['-an6'],
    ['-tunao'],
  ]) {
    it(`netstat ${flags.join(' ')}`, (t) => compare(t, flags));
  }

  it('sees the sockets it was given, including the v4-mapped and abstract ones', async (t) => {
    if (!prereq(t, ['root', 'netns'])) return;
    assert.ok(ns);
    const out = (await ns.exec(process.execPath, [CLI, '--print', '-tuxan'])).stdout;
    // Like netstat 2.10, text shows the IPv4 inside a v4-mapped address; JSON keeps the real one.
    assert.match(out, /tcp6 +0 +0 127\.0\.0\.1:5003 +127\.0\.0\.1:\d+ +ESTABLISHED/);
    const doc = JSON.parse((await ns.exec(process.execPath, [CLI, '--json', '-tan'])).stdout) as {
      connections: { proto: string; local: { address: string; port: number } }[];
    };
    assert.ok(doc.connections.some((c) => c.proto === 'tcp6' && c.local.address === '::ffff:127.0.0.1' && c.local.port === 5003));
    assert.match(out, /tcp +0 +0 127\.0\.0\.1:5002 +0\.0\.0\.0:\* +LISTEN/);
    assert.match(out, /udp +0 +0 0\.0\.0\.0:5353 +0\.0\.0\.0:\*/);
    assert.match(out, /LISTENING +\d+ +@netdash-abstract/);
  });
});
