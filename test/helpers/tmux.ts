// A real terminal for tests: a detached tmux session on a private socket, driven with
// send-keys and read back with capture-pane. Each Tmux owns its server, so tests can run
// in parallel and a crash leaves nothing behind once kill() runs.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface TmuxOptions {
  width?: number;
  height?: number;
  /** Extra environment for the command (TERM is set with `term`). */
  env?: Record<string, string>;
  /** The TERM tmux advertises to the program (tmux's default-terminal). */
  term?: string;
}

let serial = 0;

export class Tmux {
  readonly socket: string;
  readonly session = 'nd';

  /** Where the wrapper shell writes the program's exit status. */
  private readonly statusFile: string;

  private constructor(socket: string) {
    this.socket = socket;
    this.statusFile = join(tmpdir(), `${socket}.status`);
  }

  /** Start `argv` in a fresh tmux server; the pane stays open after it exits (to read it). */
  static start(argv: readonly string[], o: TmuxOptions = {}): Tmux {
    const t = new Tmux(`netdash-test-${process.pid}-${serial++}`);
    const env = Object.entries({ LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', ...o.env }).map(([k, v]) => `${k}=${v}`);
    // A shell line is tmux's only way to start a command; every word is quoted.
    // A shell waits for the program and writes its status to a file: tmux may mark the pane
    // dead on the terminal's EOF before it reaps the process, and then never shows a status.
    rmSync(t.statusFile, { force: true });
    const wrapper = 'st=$1; shift; "$@"; echo $? > "$st"';
    const cmd = ['sh', '-c', wrapper, 'sh', t.statusFile, 'env', ...env, ...argv].map(shellQuote).join(' ');
    // Options go in a config file: set afterwards, they could come after a quick exit.
    const conf = join(tmpdir(), `${t.socket}.conf`);
    const lines = ['set -g remain-on-exit on', 'set -g status off', 'set -sg escape-time 0'];
    if (o.term) lines.push(`set -g default-terminal "${o.term}"`);
    writeFileSync(conf, lines.join('\n') + '\n');
    t.tmux(['-f', conf, 'new-session', '-d', '-s', t.session, '-x', String(o.width ?? 100), '-y', String(o.height ?? 30), cmd]);
    return t;
  }

  /** An interactive shell (dash, `sh -i`: job control, and no tty modes of its own saved or
   *  restored around jobs, so `stty` shows what the program left) with prompt '$ '. Type a
   *  command line with type() and keys('Enter'); exitStatus() does not apply. */
  static shell(o: TmuxOptions = {}): Tmux {
    const t = new Tmux(`netdash-test-${process.pid}-${serial++}`);
    const env = Object.entries({ LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', PS1: '$ ', ENV: '', ...o.env }).map(([k, v]) => `${k}=${v}`);
    const cmd = ['env', ...env, 'sh', '-i'].map(shellQuote).join(' ');
    const conf = join(tmpdir(), `${t.socket}.conf`);
    const lines = ['set -g status off', 'set -sg escape-time 0'];
    if (o.term) lines.push(`set -g default-terminal "${o.term}"`);
    writeFileSync(conf, lines.join('\n') + '\n');
    t.tmux(['-f', conf, 'new-session', '-d', '-s', t.session, '-x', String(o.width ?? 100), '-y', String(o.height ?? 30), cmd]);
    return t;
  }

  /** A tmux format for the pane: '#{alternate_on}', '#{cursor_flag}', '#{pane_tty}'. */
  pane(format: string): string {
    return this.tmux(['display-message', '-p', '-t', this.session, format]).trim();
  }

  /** The pane's terminal modes as `stty -a` prints them, read from outside the pane. */
  stty(): string {
    return execFileSync('stty', ['-a', '-F', this.pane('#{pane_tty}')], { encoding: 'utf8', timeout: 10_000 });
  }

  tmux(args: readonly string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8', timeout: 10_000 });
  }

  /** Keys as tmux names them ('q', 'Space', 'Enter', 'Escape', 'Tab', 'C-c'). */
  keys(...keys: string[]): void {
    this.tmux(['send-keys', '-t', this.session, ...keys]);
  }

  /** Literal text, typed as is. */
  type(text: string): void {
    this.tmux(['send-keys', '-t', this.session, '-l', text]);
  }

  /** The visible screen as plain text (escapes: with colours and attributes). */
  capture(escapes = false): string {
    return this.tmux(['capture-pane', '-p', '-t', this.session, ...(escapes ? ['-e'] : [])]);
  }

  resize(width: number, height: number): void {
    this.tmux(['resize-window', '-t', this.session, '-x', String(width), '-y', String(height)]);
  }

  /** The program's exit status once it has exited (128+n for signal n), else null. */
  exitStatus(): number | null {
    try {
      const t = readFileSync(this.statusFile, 'utf8').trim();
      return t === '' ? null : Number(t);
    } catch {
      return null;
    }
  }

  /** True once the program has exited. */
  dead(): boolean {
    return this.exitStatus() !== null;
  }

  /** Wait for the program to exit; resolves with its status (128+n for signal n). */
  async waitExit(ms = 10_000): Promise<number> {
    const end = Date.now() + ms;
    for (;;) {
      const st = this.exitStatus();
      if (st !== null) return st;
      if (Date.now() > end) throw new Error(`program did not exit within ${ms} ms; screen was:\n${this.capture()}`);
      await sleep(50);
    }
  }

  /** PID of the program (the wrapper shell's child). */
  pid(): number {
    const shell = this.tmux(['display-message', '-p', '-t', this.session, '#{pane_pid}']).trim();
    const child = execFileSync('pgrep', ['-P', shell], { encoding: 'utf8', timeout: 10_000 }).trim().split('\n')[0] ?? '';
    return Number(child);
  }

  /** Poll the screen until `ok` holds; throws with the last screen after `ms`. */
  async waitFor(ok: (screen: string) => boolean, ms = 15_000, what = 'screen condition'): Promise<string> {
    const end = Date.now() + ms;
    let last = '';
    for (;;) {
      last = this.capture();
      if (ok(last)) return last;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; screen was:\n${last}`);
      await sleep(100);
    }
  }

  async waitForText(text: string | RegExp, ms = 15_000): Promise<string> {
    return this.waitFor((s) => (typeof text === 'string' ? s.includes(text) : text.test(s)), ms, `"${String(text)}"`);
  }

  /** Kill the server (and the program with it). Safe to call twice. */
  kill(): void {
    rmSync(this.statusFile, { force: true });
    try {
      execFileSync('tmux', ['-L', this.socket, 'kill-server'], { stdio: 'ignore', timeout: 10_000 });
    } catch {
      // already gone
    }
  }
}

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
