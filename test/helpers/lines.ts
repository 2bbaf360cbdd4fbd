// A child's stdout as lines (and its stderr as text), for tests that talk to long-running
// processes: wait for n lines, or for a line that matches.
import type { ChildProcess } from 'node:child_process';

export class Lines {
  private buf = '';
  readonly lines: string[] = [];
  stderr = '';
  private waiters: { ok: () => boolean; resolve: () => void; reject: (e: Error) => void }[] = [];
  /** Exit code, or 128+signal. */
  readonly exit: Promise<number>;

  constructor(child: ChildProcess) {
    child.stdout?.setEncoding('utf8');
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (d: string) => {
      this.stderr += d;
    });
    child.stdout?.on('data', (d: string) => {
      this.buf += d;
      let nl: number;
      while ((nl = this.buf.indexOf('\n')) >= 0) {
        this.lines.push(this.buf.slice(0, nl));
        this.buf = this.buf.slice(nl + 1);
      }
      this.check();
    });
    this.exit = new Promise((resolve) => {
      child.once('close', (code, signal) => {
        for (const w of this.waiters)
          w.reject(new Error(`exited (${code ?? signal}) after ${this.lines.length} lines; stderr: ${this.stderr}`));
        this.waiters = [];
        const signals: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
        resolve(code ?? 128 + (signal ? (signals[signal] ?? 0) : 0));
      });
    });
  }

  private check(): void {
    this.waiters = this.waiters.filter((w) => {
      if (!w.ok()) return true;
      w.resolve();
      return false;
    });
  }

  private wait(ok: () => boolean): Promise<void> {
    if (ok()) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ ok, resolve, reject }));
  }

  /** Resolves once n lines arrived; rejects if the process exits first. */
  count(n: number): Promise<void> {
    return this.wait(() => this.lines.length >= n);
  }

  /** Resolves with the first line that matches. */
  async match(re: RegExp): Promise<string> {
    await this.wait(() => this.lines.some((l) => re.test(l)));
    return this.lines.find((l) => re.test(l)) ?? '';
  }
}
