// The `netlink` package's native socket without the package's JavaScript loader. Its
// dist/raw.js finds the addon with node-gyp-build (a module that lists the package's build and
// prebuilds folders and parses the prebuilds' file names) and wraps it in RawNetlinkSocket: in a
// one-shot `netdash --print -tan` that load was 4–6 ms of CommonJS resolution, compilation and
// directory listing before the first request. Here the addon is loaded straight from the one
// file node-gyp-build would pick in the two plain layouts (a local build, or the package's
// single N-API prebuild for this platform), and wrapped in a class with the few members
// sock-diag.ts uses. Any other layout (a Debug build, several prebuilds to choose among, another
// runtime) returns null and the caller loads the package the usual way.
import { EventEmitter } from 'node:events';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform } from 'node:os';
import * as path from 'node:path';

/** The native class's members used here (binding.cc's NativeNetlink). */
interface NativeNetlink {
  bind(port: number, groups: number): void;
  send(port: number, groups: number, msg: Uint8Array, cb: (err?: Error) => void): void;
  close(): void;
  ref(): void;
  unref(): void;
  setRecvBufferSize(size: number): void;
}
type NativeCtor = new (
  protocol: number,
  msgBuffer: number,
  onMessage: (msg: Buffer, rinfo: { truncated?: number }) => void,
  onError: (err: Error) => void,
) => NativeNetlink;

export interface AddonSocketOptions {
  /** RawNetlinkSocket's option; this class always reads into buffers of msgBufferSize. */
  messagePeeking?: false;
  /** Bytes read per message; the kernel's dump chunks are at most 32 KiB. */
  msgBufferSize: number;
  recvBufferSize: number;
}

/** The .node file node-gyp-build would load for the package in `dir`, when the choice is plain:
 *  build/Release's one addon when a build/ folder exists (node-gyp-build looks there first), else
 *  the prebuilds folder of this platform and architecture when it holds exactly one file, an
 *  N-API build for node. Null otherwise (node-gyp-build decides). */
export function plainAddonPath(dir: string, names: (d: string) => string[] = readdirSync): string | null {
  let built: string[] | null = null;
  try {
    built = names(path.join(dir, 'build'));
  } catch {
    built = null;
  }
  if (built !== null) {
    if (!built.includes('Release')) return null;
    let release: string[];
    try {
      release = names(path.join(dir, 'build', 'Release')).filter((f) => f.endsWith('.node'));
    } catch {
      return null;
    }
    return release.length === 1 ? path.join(dir, 'build', 'Release', release[0]!) : null;
  }
  const folder = path.join(dir, 'prebuilds', `${platform()}-${arch()}`);
  let files: string[];
  try {
    files = names(folder);
  } catch {
    return null;
  }
  return files.length === 1 && files[0] === 'node.napi.node' ? path.join(folder, files[0]) : null;
}

/** A RawNetlinkSocket look-alike over the native class: 'message', 'truncatedMessage' and
 *  'error' events, send, close, ref, unref. Bound to a port the kernel picks (nl_pid 0). */
export function addonSocketClass(native: NativeCtor) {
  return class AddonNetlinkSocket extends EventEmitter {
    private readonly native: NativeNetlink;
    constructor(protocol: number, o: AddonSocketOptions) {
      super();
      this.native = new native(
        protocol,
        o.msgBufferSize,
        (msg, rinfo) => this.emit(rinfo.truncated ? 'truncatedMessage' : 'message', msg),
        (err) => this.emit('error', err),
      );
      try {
        this.native.setRecvBufferSize(o.recvBufferSize);
        this.native.bind(0, 0);
      } catch (err) {
        this.native.close();
        throw err;
      }
    }
    send(msg: Uint8Array, _options: object, cb: (err?: Error) => void): void {
      this.native.send(0, 0, msg, cb);
    }
    close(): void {
      this.native.close();
    }
    ref(): void {
      this.native.ref();
    }
    unref(): void {
      this.native.unref();
    }
  };
}

/** The socket class from the addon of the `netlink` package that `from` (a module URL) would
 *  resolve, or null when its layout is not a plain one or it does not load. */
export function loadAddonSocketClass(from: string): ReturnType<typeof addonSocketClass> | null {
  try {
    const require = createRequire(from);
    const dir = path.dirname(require.resolve('netlink/package.json'));
    const file = plainAddonPath(dir);
    if (file === null) return null;
    const binding = require(file) as { NativeNetlink?: NativeCtor };
    return typeof binding.NativeNetlink === 'function' ? addonSocketClass(binding.NativeNetlink) : null;
  } catch {
    return null;
  }
}
