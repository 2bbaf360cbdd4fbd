// Network namespaces that a test creates, fills and removes itself.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';

const execFileP = promisify(execFile);

export interface RunResult {
  stdout: string;
  stderr: string;
  code: number;
}

export async function run(cmd: string, args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = execFile(cmd, args, { maxBuffer: 256 * 1024 * 1024, env: opts.env ?? process.env }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ stdout, stderr, code });
    });
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    else child.stdin?.end();
  });
}

export async function mustRun(cmd: string, args: string[]): Promise<string> {
  const { stdout } = await execFileP(cmd, args, { maxBuffer: 256 * 1024 * 1024 });
  return stdout;
}

export class Netns {
  private children: ChildProcess[] = [];
  private constructor(readonly name: string) {}

  static async create(tag: string): Promise<Netns> {
    const name = `nd-${tag}-${randomBytes(3).toString('hex')}`;
    await mustRun('ip', ['netns', 'add', name]);
    const ns = new Netns(name);
    await ns.ip('link', 'set', 'lo', 'up');
    return ns;
  }

  /** `ip` inside the namespace. */
  ip(...args: string[]): Promise<string> {
    return mustRun('ip', ['-n', this.name, ...args]);
  }

  /** Run a command inside the namespace and collect its output. */
  exec(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
    return run('ip', ['netns', 'exec', this.name, cmd, ...args], opts);
  }

  /** Start a long-running process inside the namespace; it is killed on destroy(). */
  spawn(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv } = {}): ChildProcess {
    const child = spawn('ip', ['netns', 'exec', this.name, cmd, ...args], {
      stdio: ['pipe', 'pipe', 'inherit'],
      env: opts.env ?? process.env,
    });
    this.children.push(child);
    return child;
  }

  async destroy(): Promise<void> {
    for (const c of this.children) {
      if (c.exitCode === null && c.signalCode === null) {
        c.kill('SIGKILL');
        await new Promise((r) => c.once('exit', r));
      }
    }
    await run('ip', ['netns', 'del', this.name]);
  }
}

/** Join two namespaces with a veth pair and give each end an address (CIDR). */
export async function linkVeth(
  a: Netns,
  b: Netns,
  addrA: string,
  addrB: string,
  names: readonly [string, string] = ['veth-a', 'veth-b'],
): Promise<void> {
  await a.ip('link', 'add', names[0], 'type', 'veth', 'peer', 'name', names[1], 'netns', b.name);
  await a.ip('addr', 'add', addrA, 'dev', names[0]);
  await b.ip('addr', 'add', addrB, 'dev', names[1]);
  await a.ip('link', 'set', names[0], 'up');
  await b.ip('link', 'set', names[1], 'up');
}

/** Wait for one line on a child's stdout and parse it as JSON (the child's "ready" message). */
export function readyLine<T>(child: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const onData = (d: Buffer): void => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) {
        child.stdout?.off('data', onData);
        try {
          resolve(JSON.parse(buf.slice(0, nl)) as T);
        } catch (e) {
          reject(e);
        }
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`child exited (${code}) before it was ready`)));
  });
}
