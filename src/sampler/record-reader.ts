// --replay: a recording read line by line, in bounded memory (one line, the previous sample and
// the one being made, whatever the file's size; record-lines.ts caps a line at 256 MiB).
// Every line is checked before the engine sees it, and a problem names its line:
// - a last line cut short (a full disk, a kill mid-write) is left out with a warning;
// - runs follow each other (a later run appended to the file starts the engine over), but a
//   run whose samples go on after another run began means two recorders wrote at once: that
//   file is refused, never merged;
// - a monotonic clock that goes back (a crafted or damaged file) starts the counting over
//   there, with a warning: elapsed times are never negative.
import {
  fromJsonRaw,
  isObject,
  RECORD_SCHEMA,
  RECORD_SCHEMA_V1,
  RECORD_SCHEMAS,
  ReplayError,
  sampleProblem,
  type JsonRaw,
  type RecordHeader,
} from './record-format.js';
import { FrameDecoder } from './record-frames.js';
import { LineError, openLines, readLines, type Line } from './record-lines.js';
import type { RawSample } from './sample-engine.js';

export interface Recording {
  header: RecordHeader;
  /** The samples, read as they are asked for; once. */
  samples: Iterable<RawSample>;
}

function lineError(path: string, err: LineError): ReplayError {
  return new ReplayError(
    err.line === null ? `cannot read recording ${path}: ${err.message}` : `recording ${path}, line ${err.line}: ${err.message}`,
  );
}

/** Open a recording: its header is read and checked now, its samples as they are iterated.
 *  Problems are ReplayErrors; `warn` hears what is left out. */
export function openRecording(path: string, warn: (msg: string) => void = () => {}): Recording {
  let lines: Generator<Line, void, undefined>;
  try {
    lines = readLines(openLines(path));
  } catch (err) {
    throw err instanceof LineError ? lineError(path, err) : err;
  }
  const next = (): IteratorResult<Line, void> => {
    try {
      return lines.next();
    } catch (err) {
      throw err instanceof LineError ? lineError(path, err) : err;
    }
  };
  const first = next();
  if (first.done) throw new ReplayError(`recording ${path} is empty`);
  let h: unknown;
  try {
    h = JSON.parse(first.value.text);
  } catch {
    lines.return();
    throw new ReplayError(`recording ${path}, line 1: not valid JSON`);
  }
  if (!isObject(h) || typeof h['schema'] !== 'string' || !RECORD_SCHEMAS.includes(h['schema'])) {
    lines.return();
    throw new ReplayError(`recording ${path}, line 1: expected schema ${RECORD_SCHEMA} or ${RECORD_SCHEMA_V1}`);
  }
  const header = h as unknown as RecordHeader;
  const firstRun = typeof h['run'] === 'string' ? h['run'] : 'line 1';
  return { header, samples: { [Symbol.iterator]: () => samples(path, next, () => lines.return(), firstRun, warn) } };
}

function* samples(
  path: string,
  next: () => IteratorResult<Line, void>,
  close: () => void,
  firstRun: string,
  warn: (msg: string) => void,
): Generator<RawSample, void, undefined> {
  try {
    yield* playRuns(path, next, firstRun, warn);
  } finally {
    // Done, abandoned or failed: the file is closed.
    close();
  }
}

function* playRuns(
  path: string,
  next: () => IteratorResult<Line, void>,
  firstRun: string,
  warn: (msg: string) => void,
): Generator<RawSample, void, undefined> {
  const at = (n: number): string => `recording ${path}, line ${n}`;
  /** The run being played, the run whose header came last (its samples switch to it), the runs
   *  that are over (a sample of one of them now means two recorders wrote at once). */
  let active = firstRun;
  let pending: { run: string; line: number } | null = null;
  let began = { run: firstRun, line: 1 };
  const over = new Set<string>();
  let lastHeaderRun = firstRun;
  const decoder = new FrameDecoder();
  let prev: RawSample | null = null;
  let restartNext = false;
  for (let r = next(); !r.done; r = next()) {
    const { text, number: n, complete } = r.value;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      if (!complete) {
        warn(`${at(n)}: the last line is incomplete (cut off mid-write); it is left out`);
        return;
      }
      throw new ReplayError(`${at(n)}: not valid JSON`);
    }
    if (isObject(parsed) && typeof parsed['schema'] === 'string') {
      if (!RECORD_SCHEMAS.includes(parsed['schema'])) throw new ReplayError(`${at(n)}: a header of unknown schema ${parsed['schema']}`);
      const run = typeof parsed['run'] === 'string' ? parsed['run'] : `line ${n}`;
      if (pending !== null) over.add(pending.run);
      pending = { run, line: n };
      lastHeaderRun = run;
      continue;
    }
    if (isObject(parsed) && parsed['end'] === true && typeof parsed['run'] === 'string') {
      if (pending?.run === parsed['run']) {
        over.add(pending.run);
        pending = null;
      } else over.add(parsed['run']);
      continue;
    }
    const run = isObject(parsed) && typeof parsed['run'] === 'string' ? parsed['run'] : lastHeaderRun;
    if (run === pending?.run) {
      // A later run: a new process with its own clock, so the engine starts again there
      // rather than computing rates across the gap.
      over.add(active);
      active = run;
      began = pending;
      pending = null;
      decoder.reset();
      restartNext = prev !== null;
      prev = null;
    } else if (run !== active || over.has(run)) {
      if (over.has(run)) {
        throw new ReplayError(
          `${at(n)}: run ${run} goes on after run ${began.run} began at line ${began.line}: two recorders wrote into this file at once, and their samples are not merged`,
        );
      }
      throw new ReplayError(`${at(n)}: a sample of run ${run}, whose header is not in the file`);
    }
    let whole: unknown = parsed;
    if (isObject(parsed) && typeof parsed['run'] === 'string') {
      const d = decoder.decode(parsed);
      if (typeof d === 'string') throw new ReplayError(`${at(n)}: damaged sample: ${d}`);
      whole = d;
    }
    const problem = sampleProblem(whole);
    if (problem) throw new ReplayError(`${at(n)}: ${problem}`);
    const raw = fromJsonRaw(whole as JsonRaw);
    if (restartNext) raw.restart = true;
    restartNext = false;
    if (prev !== null && !raw.restart && raw.mono <= prev.mono) {
      warn(`${at(n)}: the monotonic clock goes back ${prev.mono - raw.mono} ms; counting starts over there`);
      raw.restart = true;
    }
    // The sampler reused its socket table (same read time): so does the replay, which then
    // neither diffs it again nor keeps a second copy of it.
    if (!raw.restart && raw.inetAt !== undefined && prev?.inetAt === raw.inetAt) raw.snapshot.inet = prev.snapshot.inet;
    prev = raw;
    yield raw;
  }
}

/** A whole recording in memory (tests and tools; --replay streams with openRecording). */
export function readRecording(path: string, warn?: (msg: string) => void): { header: RecordHeader; samples: RawSample[] } {
  const rec = openRecording(path, warn);
  return { header: rec.header, samples: [...rec.samples] };
}
