// Opening the --record file without trusting whatever is already at its path. netdash often
// runs as root and a recording holds other users' program names and socket paths, so a path
// in a shared directory (/tmp) could otherwise be a trap: a symlink to a file of the planter's
// choosing, a FIFO that blocks the open forever, or a world-readable file the planter owns.
import { randomBytes } from 'node:crypto';
import { closeSync, constants as fsc, fstatSync, openSync, readFileSync, readSync, type Stats } from 'node:fs';

export class RecordOpenError extends Error {}

// Read and write: a recorder reads the last line before it appends (see below).
const APPEND = fsc.O_RDWR | fsc.O_APPEND | fsc.O_NOFOLLOW;

function code(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | null)?.code;
}

function problem(path: string, err: unknown): string {
  const why: Record<string, string> = {
    ELOOP: 'is a symbolic link (not followed)',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    ENOENT: 'no such directory',
    EISDIR: 'is a directory',
    ENXIO: 'not a regular file (a FIFO or socket)',
    EROFS: 'read-only file system',
    ENOSPC: 'no space left on the device',
    EDQUOT: 'disk quota exceeded',
    EEXIST: 'appeared while it was being created',
  };
  const c = code(err);
  return `cannot write recording ${path}: ${(c && why[c]) ?? (err instanceof Error ? err.message : String(err))}`;
}

/** Why an existing file may not be appended to, or null. */
function appendProblem(st: Stats, uid: number): string | null {
  if (!st.isFile()) return 'not a regular file';
  if (st.uid !== uid) return `owned by uid ${st.uid}, not by this user (uid ${uid}); refusing to append`;
  if ((st.mode & 0o022) !== 0)
    return `writable by group or others (mode ${(st.mode & 0o777).toString(8).padStart(4, '0')}); refusing to append`;
  // A second name for the file: it may be someone else's file linked into a shared directory.
  if (st.nlink > 1) return `has ${st.nlink} hard links; refusing to append`;
  return null;
}

/**
 * A descriptor to append to `path`. An existing file is used only when it is a regular file
 * (checked on the open descriptor, so it cannot be swapped in between) owned by this user and
 * writable by nobody else; a new one is created exclusively, mode 0600. The last component
 * is never followed when it is a symlink, and the open never waits (O_NONBLOCK: a FIFO with no
 * reader fails with ENXIO, one with a reader is refused by the fstat). Throws RecordOpenError.
 */
export function openRecordFile(path: string, uid = process.getuid?.() ?? 0): { fd: number; created: boolean } {
  let fd: number;
  let created = false;
  try {
    fd = openSync(path, APPEND | fsc.O_NONBLOCK);
  } catch (err) {
    if (code(err) !== 'ENOENT') throw new RecordOpenError(problem(path, err));
    try {
      fd = openSync(path, APPEND | fsc.O_CREAT | fsc.O_EXCL, 0o600);
      created = true;
    } catch (err2) {
      throw new RecordOpenError(problem(path, err2));
    }
  }
  let why: string | null;
  try {
    why = created ? null : appendProblem(fstatSync(fd), uid);
  } catch (err) {
    why = problem(path, err);
  }
  if (why !== null) {
    closeSync(fd);
    throw new RecordOpenError(why.startsWith('cannot write') ? why : `cannot write recording ${path}: ${why}`);
  }
  return { fd, created };
}

// ---- one recorder per file -----------------------------------------------------------------------
//
// Every line of a recording starts with {"run":"<pid>-<start>-<random>"}: the process that wrote
// it, and when that process started (field 22 of /proc/<pid>/stat, so a reused pid is not
// mistaken for it). A recorder that is about to append looks at the last line: when its run
// is a process still alive that has not written its end line, another recorder is appending,
// and this one refuses. Two started in the same instant both write their header first, then
// look at the line before their own header: the one whose header came second sees the
// other's and refuses. (No lock file: under node's permission model netdash may write its
// recording and nothing else.)

/** When a process started, in clock ticks since boot; null when it does not exist. */
export function processStart(pid: number | 'self'): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // The name (field 2) may hold spaces and parentheses: fields are counted after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** A new run id for this process. */
export function newRunId(): string {
  return `${process.pid}-${processStart('self') ?? '0'}-${randomBytes(4).toString('hex')}`;
}

/** True when the process that wrote lines of `run` is still running. */
export function runIsLive(run: string): boolean {
  const m = /^(\d+)-(\d+)-[0-9a-f]+$/.exec(run);
  if (!m) return false;
  return processStart(Number(m[1])) === m[2];
}

/** The start of the line that ends at `end` (the offset just after its newline, or the end of
 *  a last line without one), reading backwards in blocks. */
function lineStart(fd: number, end: number): number {
  const block = Buffer.allocUnsafe(64 * 1024);
  let pos = end - 1; // the newline that ends this line is not its start
  while (pos > 0) {
    const from = Math.max(0, pos - block.length);
    const n = readSync(fd, block, 0, pos - from, from);
    const nl = block.subarray(0, n).lastIndexOf(10);
    if (nl !== -1) return from + nl + 1;
    pos = from;
  }
  return 0;
}

export interface LineHead {
  start: number;
  /** The run id at the start of the line, null when it has none. */
  run: string | null;
  /** The line is a run's end line. */
  end: boolean;
}

/** What the line ending at `end` says of itself (its first bytes only). */
export function lineBefore(fd: number, end: number): LineHead | null {
  if (end <= 0) return null;
  const start = lineStart(fd, end);
  const head = Buffer.allocUnsafe(Math.min(256, end - start));
  const n = readSync(fd, head, 0, head.length, start);
  const text = head.toString('latin1', 0, n);
  const run = /^\{"run":"([^"\\]{1,64})"/.exec(text)?.[1] ?? null;
  return { start, run, end: run !== null && text.startsWith(`{"run":"${run}","end":true}`) };
}

/** The size of the file open at fd. */
export function fileSize(fd: number): number {
  return fstatSync(fd).size;
}

/** Whether the file ends with a newline (or is empty). */
export function endsWithNewline(fd: number, size: number): boolean {
  if (size === 0) return true;
  const b = Buffer.allocUnsafe(1);
  readSync(fd, b, 0, 1, size - 1);
  return b[0] === 10;
}
