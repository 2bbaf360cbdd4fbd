// The netlink addon loaded without the package's loader (src/sources/netlink-addon.ts): it picks
// the file node-gyp-build picks and declines layouts where node-gyp-build would have to choose.
// (A live dump over it against one over the package's RawNetlinkSocket: sock-diag.test.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { arch, platform } from 'node:os';
import * as path from 'node:path';
import { addonSocketClass, loadAddonSocketClass, plainAddonPath } from '../src/sources/netlink-addon.js';

const SRC_URL = new URL('../src/sources/sock-diag.js', import.meta.url).href;
const require = createRequire(SRC_URL);
const NETLINK_DIR = path.dirname(require.resolve('netlink/package.json'));

/** A readdir over a made-up tree: folder path → its entries. */
function tree(dirs: Record<string, string[]>): (d: string) => string[] {
  return (d) => {
    const e = dirs[d];
    if (e === undefined) throw Object.assign(new Error(`ENOENT: ${d}`), { code: 'ENOENT' });
    return e;
  };
}

test('plainAddonPath: a local build first, else the one N-API prebuild of this platform, else null', () => {
  const pre = path.join('/p', 'prebuilds', `${platform()}-${arch()}`);
  assert.equal(
    plainAddonPath('/p', tree({ '/p/build': ['Release'], '/p/build/Release': ['netlink.node', 'obj.target'], [pre]: ['node.napi.node'] })),
    '/p/build/Release/netlink.node',
  );
  assert.equal(plainAddonPath('/p', tree({ [pre]: ['node.napi.node'] })), path.join(pre, 'node.napi.node'));
  // node-gyp-build would choose (a Debug build, several prebuilds, a tagged one): not here.
  assert.equal(plainAddonPath('/p', tree({ '/p/build': ['Debug'], '/p/build/Debug': ['netlink.node'], [pre]: ['node.napi.node'] })), null);
  assert.equal(plainAddonPath('/p', tree({ [pre]: ['node.napi.glibc.node', 'node.napi.musl.node'] })), null);
  assert.equal(plainAddonPath('/p', tree({ [pre]: ['node.napi.armv7.node'] })), null);
  assert.equal(plainAddonPath('/p', tree({})), null);
});

test("in this package's layout the addon is node-gyp-build's own choice, and it loads", () => {
  const gyp = createRequire(path.join(NETLINK_DIR, 'package.json'))('node-gyp-build') as { resolve(dir: string): string };
  assert.equal(plainAddonPath(NETLINK_DIR), gyp.resolve(NETLINK_DIR));
  assert.notEqual(loadAddonSocketClass(SRC_URL), null);
});

test('the addon socket class passes messages, truncation and errors on as events', () => {
  const seen: string[] = [];
  let handlers: { onMessage?: (m: Buffer, r: { truncated?: number }) => void; onError?: (e: Error) => void } = {};
  class FakeNative {
    constructor(_p: number, _b: number, onMessage: (m: Buffer, r: { truncated?: number }) => void, onError: (e: Error) => void) {
      handlers = { onMessage, onError };
    }
    bind(port: number, groups: number): void {
      seen.push(`bind ${port} ${groups}`);
    }
    send(): void {}
    close(): void {
      seen.push('close');
    }
    ref(): void {}
    unref(): void {}
    setRecvBufferSize(n: number): void {
      seen.push(`rcvbuf ${n}`);
    }
  }
  const C = addonSocketClass(FakeNative);
  const s = new C(4, { msgBufferSize: 32768, recvBufferSize: 1024 });
  s.on('message', (m: Buffer) => seen.push(`message ${m.length}`));
  s.on('truncatedMessage', (m: Buffer) => seen.push(`truncated ${m.length}`));
  s.on('error', (e: Error) => seen.push(`error ${e.message}`));
  handlers.onMessage!(Buffer.alloc(3), {});
  handlers.onMessage!(Buffer.alloc(5), { truncated: 9 });
  handlers.onError!(new Error('boom'));
  s.close();
  assert.deepEqual(seen, ['rcvbuf 1024', 'bind 0 0', 'message 3', 'truncated 5', 'error boom', 'close']);
});
