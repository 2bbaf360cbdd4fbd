// netdash --print -r against the real netstat, in namespaces this test builds itself.
import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { linkVeth, Netns } from './helpers/netns.js';
import { prereq } from './helpers/prereq.js';

const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));

describe('netdash --print -r agrees with netstat in a namespace', () => {
  let a: Netns | null = null;
  let b: Netns | null = null;

  before(async () => {
    a = await Netns.create('rt-a').catch(() => null);
    b = await Netns.create('rt-b').catch(() => null);
    if (!a || !b) return;
    // No duplicate address detection: addresses and their local routes appear at once.
    for (const ns of [a, b]) {
      await ns.exec('sysctl', ['-qw', 'net.ipv6.conf.all.accept_dad=0', 'net.ipv6.conf.default.accept_dad=0']);
    }
    await linkVeth(a, b, '10.78.0.1/24', '10.78.0.2/24');
    await a.ip('addr', 'add', 'fd78::1/64', 'dev', 'veth-a', 'nodad');
    await b.ip('addr', 'add', 'fd78::2/64', 'dev', 'veth-b', 'nodad');
    await a.ip('route', 'add', 'default', 'via', '10.78.0.2');
    await a.ip('route', 'add', '10.88.1.1/32', 'via', '10.78.0.2');
    await a.ip('route', 'add', '10.89.0.0/16', 'via', '10.78.0.2', 'metric', '20', 'advmss', '1360');
    await a.ip('route', 'add', 'unreachable', '10.99.0.0/16');
    await a.ip('-6', 'route', 'add', 'default', 'via', 'fd78::2');
    await a.ip('-6', 'route', 'add', 'fd88::/48', 'via', 'fd78::2', 'metric', '50');
    await a.ip('-6', 'route', 'add', 'unreachable', 'fd99::/48');
  });

  after(async () => {
    await a?.destroy();
    await b?.destroy();
  });

  // IPv6 reference counts move on their own, so the comparison only counts when netstat
  // printed the same thing just before and just after netdash did.
  async function compare(t: TestContext, flags: string[]): Promise<void> {
    if (!prereq(t, ['root', 'netns', 'netstat'])) return;
    assert.ok(a && b, 'namespaces were created');
    const ns: Netns = a;
    for (let attempt = 0; attempt < 10; attempt++) {
      const first = await ns.exec('netstat', flags);
      const ours = await ns.exec(process.execPath, [CLI, '--print', ...flags]);
      const second = await ns.exec('netstat', flags);
      assert.equal(first.code, 0, first.stderr);
      assert.equal(ours.code, 0, ours.stderr);
      if (first.stdout !== second.stdout) continue;
      assert.equal(ours.stdout, first.stdout);
      return;
    }
    assert.fail(`netstat ${flags.join(' ')} never printed the same table twice in a row`);
  }

  it('-rn', (t) => compare(t, ['-rn']));
  it('-rne', (t) => compare(t, ['-rne']));
  it('-rnee', (t) => compare(t, ['-rnee']));
  it('-rn -A inet6', (t) => compare(t, ['-rn', '-A', 'inet6']));

  it('the namespace really has the routes this test is about', async (t) => {
    if (!prereq(t, ['root', 'netns', 'netstat'])) return;
    assert.ok(a, 'namespace was created');
    const v4 = (await a.exec('netstat', ['-rn'])).stdout;
    assert.match(v4, /^0\.0\.0\.0 +10\.78\.0\.2 +0\.0\.0\.0 +UG /m);
    assert.match(v4, /^10\.88\.1\.1 +10\.78\.0\.2 +255\.255\.255\.255 UGH /m);
    assert.match(v4, /^10\.89\.0\.0 +10\.78\.0\.2 +255\.255\.0\.0 +UG +1400 /m);
    assert.match(v4, /^10\.99\.0\.0 +- +255\.255\.0\.0 +! /m);
    const v6 = (await a.exec('netstat', ['-rn', '-A', 'inet6'])).stdout;
    assert.match(v6, /^fd88::\/48 +fd78::2 +UG +50 /m);
    assert.match(v6, /^fd99::\/48 +:: +!n /m);
  });
});
