// The lines of a recording, read in chunks: memory holds one chunk and one line, whatever the
// size of the file. A line longer than MAX_LINE (a key frame of ~1M sockets would be ~250 MB)
// is refused, so a file that is one endless line (or /dev/zero copied into a file) cannot
// grow memory without bound. The file must be a regular file: the open never waits (a FIFO
// is refused by the fstat), and a device is refused the same way.
import { closeSync, constants as fsc, fstatSync, openSync, readSync } from 'node:fs';

/** Longest line read: 256 MiB. */
export const MAX_LINE = 256 * 1024 * 1024;
const CHUNK = 1024 * 1024;

export class LineError extends Error {
  constructor(
    message: string,
    readonly line: number | null,
  ) {
    super(message);
  }
}

export interface Line {
  text: string;
  /** 1-based. */
  number: number;
  /** False for a last line without its newline (a write cut short). */
  complete: boolean;
}

/** Open `path` for reading lines; throws LineError (line null) when it is not a regular file. */
export function openLines(path: string): number {
  let fd: number;
  try {
    fd = openSync(path, fsc.O_RDONLY | fsc.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (code ?? String(err));
    throw new LineError(why, null);
  }
  const st = fstatSync(fd);
  if (!st.isFile()) {
    closeSync(fd);
    throw new LineError(st.isDirectory() ? 'is a directory' : 'not a regular file (a device, FIFO or socket)', null);
  }
  return fd;
}

/** Every line of the open file `fd` (which it closes when done or abandoned). */
export function* readLines(fd: number, maxLine = MAX_LINE): Generator<Line, void, undefined> {
  const buf = Buffer.allocUnsafe(CHUNK);
  let parts: Buffer[] = [];
  let partLen = 0;
  let number = 0;
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      let start = 0;
      for (;;) {
        const nl = buf.indexOf(10, start);
        if (nl === -1 || nl >= n) break;
        if (partLen + (nl - start) > maxLine) throw new LineError(`line longer than ${maxLine / (1024 * 1024)} MiB`, number + 1);
        const piece = buf.subarray(start, nl);
        const text = partLen === 0 ? piece.toString('utf8') : Buffer.concat([...parts, piece]).toString('utf8');
        parts = [];
        partLen = 0;
        start = nl + 1;
        yield { text, number: ++number, complete: true };
      }
      if (start < n) {
        if (partLen + (n - start) > maxLine) throw new LineError(`line longer than ${maxLine / (1024 * 1024)} MiB`, number + 1);
        // Copied: buf is read into again.
        parts.push(Buffer.from(buf.subarray(start, n)));
        partLen += n - start;
      }
    }
    if (partLen > 0) yield { text: Buffer.concat(parts).toString('utf8'), number: ++number, complete: false };
  } finally {
    closeSync(fd);
  }
}
