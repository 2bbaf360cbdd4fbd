// What happens when stdout cannot be written. A reader that closed the pipe (netdash --print |
// head -1) is a normal way to stop listening: exit 0, silently, as netstat does. Any other
// write error (a full disk, EIO from a terminal or device that went away, a file too big) ends
// the run with one line on stderr naming it and exit status 1 (OUTPUT_ERROR_EXIT). Never a
// stack trace, and never an exception thrown from inside a native callback, which aborts node.
import { closeSync } from 'node:fs';

/** Exit status of a run whose output could not be written (EPIPE excepted: 0). */
export const OUTPUT_ERROR_EXIT = 1;

const WHY: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on the device',
  EIO: 'input/output error (the terminal or device went away)',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large',
  EBADF: 'standard output is not open',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ECONNRESET: 'the connection was reset',
};

/** The one line (without "netdash: ") for a failed write to standard output. */
export function outputErrorLine(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  const why = (code !== undefined ? WHY[code] : undefined) ?? (err instanceof Error ? err.message : String(err));
  return `cannot write output: ${why}${code !== undefined && !why.includes(code) ? ` (${code})` : ''}`;
}

/** The exit status for a failed write to standard output. */
export function outputErrorExit(err: unknown): number {
  return (err as NodeJS.ErrnoException | null)?.code === 'EPIPE' ? 0 : OUTPUT_ERROR_EXIT;
}

/** Ends the process on the first error of `stream` (standard output): see above. `report`
 *  writes the line (to stderr, whose own errors are ignored). */
export function exitOnOutputError(
  stream: NodeJS.WritableStream,
  report: (line: string) => void,
  exit: (code: number) => never = (code) => process.exit(code),
): void {
  let done = false;
  stream.on('error', (err: unknown) => {
    if (done) return;
    done = true;
    const code = outputErrorExit(err);
    if (code !== 0) report(outputErrorLine(err));
    releaseDeadTerminal();
    exit(code);
  });
}

/** Node restores the terminal's mode on exit (tcsetattr on each standard descriptor that was a
 *  terminal at start) and aborts when that fails with EIO, as it does on a terminal that hung
 *  up. It skips a descriptor that no longer refers to the same file: so those are closed. */
function releaseDeadTerminal(): void {
  // (isatty answers false for a terminal that hung up, so every one is closed: the run ends.)
  for (const fd of [0, 1, 2]) {
    try {
      closeSync(fd);
    } catch {
      /* already closed */
    }
  }
}
