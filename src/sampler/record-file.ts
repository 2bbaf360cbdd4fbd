// Opening the --record file without trusting whatever is already at its path. netdash often
// runs as root and a recording holds other users' program names and socket paths, so a path
// in a shared directory (/tmp) could otherwise be a trap: a symlink to a file of the planter's
// choosing, a FIFO that blocks the open forever, or a world-readable file the planter owns.
import { closeSync, constants as fsc, fstatSync, openSync, type Stats } from 'node:fs';

export class RecordOpenError extends Error {}

const APPEND = fsc.O_WRONLY | fsc.O_APPEND | fsc.O_NOFOLLOW;

function code(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | null)?.code;
}

function problem(path: string, err: unknown): string {
  const why: Record<string, string> = {
    ELOOP: 'is a symbolic link (not followed)', EACCES: 'permission denied', EPERM: 'permission denied',
    ENOENT: 'no such directory', EISDIR: 'is a directory', ENXIO: 'not a regular file (a FIFO or socket)',
    EROFS: 'read-only file system', ENOSPC: 'no space left on the device', EDQUOT: 'disk quota exceeded',
    EEXIST: 'appeared while it was being created',
  };
  const c = code(err);
  return `cannot write recording ${path}: ${(c && why[c]) ?? (err instanceof Error ? err.message : String(err))}`;
}

/** Why an existing file may not be appended to, or null. */
function appendProblem(st: Stats, uid: number): string | null {
  if (!st.isFile()) return 'not a regular file';
  if (st.uid !== uid) return `owned by uid ${st.uid}, not by this user (uid ${uid}); refusing to append`;
  if ((st.mode & 0o022) !== 0) return `writable by group or others (mode ${(st.mode & 0o777).toString(8).padStart(4, '0')}); refusing to append`;
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
