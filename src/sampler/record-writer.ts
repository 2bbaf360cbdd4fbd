// --record: one line per tick, appended with synchronous writes, so a killed run keeps every
// tick it wrote. Samples are key frames (whole) or changes against the previous sample
// (record-frames.ts); a key frame is written first, then whenever the changes written since
// the last one add up to twice its size (so key frames are at most a third of a recording, and
// a key frame is never more than that many bytes back), and at least every KEY_EVERY_MAX ticks. The file is opened by record-file.ts (no symlink, FIFO or foreign file),
// and one recorder at a time writes it.
import { closeSync, ftruncateSync, readSync, writeSync } from 'node:fs';
import { bigintJson } from '../model/counter-value.js';
import { jsonSafe } from '../text/printable.js';
import { RECORD_SCHEMA, toJsonRaw, type RecordHeader } from './record-format.js';
import { FrameEncoder } from './record-frames.js';
import { endsWithNewline, fileSize, lineBefore, newRunId, openRecordFile, RecordOpenError, runIsLive } from './record-file.js';
import type { RawSample } from './sample-engine.js';

/** A key frame at least every this many ticks. */
export const KEY_EVERY_MAX = 300;

/** Why a recording file could not be written, in one line. */
function writeProblem(path: string, err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  const why: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    ENOENT: 'no such directory',
    EISDIR: 'is a directory',
    ENOSPC: 'no space left on the device',
    EROFS: 'read-only file system',
    EDQUOT: 'disk quota exceeded',
    EFBIG: 'file too large',
  };
  return `cannot write recording ${path}: ${(code && why[code]) ?? (err instanceof Error ? err.message : String(err))}`;
}

function pidOf(run: string): string {
  return run.split('-')[0] ?? '?';
}

export class Recorder {
  private readonly fd: number;
  /** This run's id, at the start of each of its lines. */
  readonly run: string;
  private readonly frames = new FrameEncoder();
  private first = true;
  private sinceKey = 0;
  private keyBytes = 0;
  private changeBytes = 0;
  /** Sample lines written and their bytes (the bench reports bytes per tick). */
  samples = 0;
  bytes = 0;
  keyFrames = 0;

  constructor(
    private readonly path: string,
    header: RecordHeader,
  ) {
    // Refuses a symlink, a FIFO, another user's or a shared-writable file (see record-file.ts).
    const { fd, created } = openRecordFile(path);
    this.fd = fd;
    this.run = newRunId();
    try {
      if (!created) this.checkAppend();
      const before = fileSize(fd);
      const line = Buffer.from(jsonSafe(JSON.stringify({ run: this.run, ...header, schema: RECORD_SCHEMA, pid: process.pid })) + '\n');
      this.writeAll(line);
      // Another recorder that appended its header just before this one is appending too.
      const other = lineBefore(fd, this.find(line, before));
      if (other?.run && other.run !== this.run && !other.end && runIsLive(other.run)) {
        this.writeAll(Buffer.from(`{"run":"${this.run}","end":true}\n`));
        throw new RecordOpenError(
          `cannot write recording ${path}: another netdash (pid ${pidOf(other.run)}) began recording into it at the same time`,
        );
      }
    } catch (err) {
      closeSync(fd);
      if (err instanceof RecordOpenError) throw err;
      throw new RecordOpenError(writeProblem(path, err));
    }
  }

  /** Before appending: a recorder still running there is refused; a last line cut short by a
   *  recorder that died mid-write is removed (it cannot be read, and the next line would be
   *  glued to it). */
  private checkAppend(): void {
    let size = fileSize(this.fd);
    if (!endsWithNewline(this.fd, size)) {
      const cut = lineBefore(this.fd, size);
      if (cut?.run && runIsLive(cut.run)) {
        throw new RecordOpenError(`cannot write recording ${this.path}: another netdash (pid ${pidOf(cut.run)}) is recording into it`);
      }
      size = cut?.start ?? 0;
      ftruncateSync(this.fd, size);
    }
    const last = lineBefore(this.fd, size);
    if (last?.run && !last.end && runIsLive(last.run)) {
      throw new RecordOpenError(`cannot write recording ${this.path}: another netdash (pid ${pidOf(last.run)}) is recording into it`);
    }
  }

  /** Where `line` (this run's header) landed, searching from `from`. */
  private find(line: Buffer, from: number): number {
    const size = fileSize(this.fd);
    const chunk = Buffer.allocUnsafe(Math.min(Math.max(size - from, line.length), 16 * 1024 * 1024));
    for (let pos = from; pos < size;) {
      const n = readSync(this.fd, chunk, 0, Math.min(chunk.length, size - pos), pos);
      if (n <= 0) break;
      const at = chunk.subarray(0, n).indexOf(line);
      if (at !== -1) return pos + at;
      if (pos + n >= size) break;
      pos += Math.max(1, n - line.length);
    }
    return from;
  }

  private writeAll(line: Buffer): void {
    let off = 0;
    while (off < line.length) off += writeSync(this.fd, line, off);
  }

  write(raw: RawSample): void {
    const key = this.first || this.sinceKey >= KEY_EVERY_MAX || this.changeBytes >= 2 * this.keyBytes;
    const obj = this.frames.encode(toJsonRaw(raw), key);
    // Counters beyond 2^53 (bigints) are written as exact decimal strings.
    const line = Buffer.from(jsonSafe(JSON.stringify({ run: this.run, ...obj }, bigintJson)) + '\n', 'utf8');
    const start = fileSize(this.fd);
    try {
      this.writeAll(line);
    } catch (err) {
      // A full disk (or any failed write) leaves no part of a line: every line in the file
      // stays whole, and a replay reads them all.
      try {
        ftruncateSync(this.fd, start);
      } catch {
        /* the line stays cut; replay warns and skips it */
      }
      throw new Error(writeProblem(this.path, err));
    }
    this.first = false;
    if (key) {
      this.keyBytes = line.length;
      this.changeBytes = 0;
      this.sinceKey = 0;
      this.keyFrames++;
    } else {
      this.changeBytes += line.length;
      this.sinceKey++;
    }
    this.samples++;
    this.bytes += line.length;
  }

  /** Writes the run's end line and closes the file. */
  close(): void {
    let start = -1;
    try {
      start = fileSize(this.fd);
      this.writeAll(Buffer.from(`{"run":"${this.run}","end":true}\n`));
    } catch {
      // The run just has no end line (its process is gone: the next recorder may append).
      try {
        if (start >= 0) ftruncateSync(this.fd, start);
      } catch {
        /* nothing more to do */
      }
    }
    closeSync(this.fd);
  }
}
