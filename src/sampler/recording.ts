// --record / --replay: raw samples as NDJSON. Recording the inputs rather than the computed
// numbers means a replay runs the same engine and reproduces the live deltas exactly.
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { ProcessOwner } from '../model.js';
import type { RawSample } from './sample-engine.js';

export const RECORD_SCHEMA = 'netdash-record/1';

export interface RecordHeader {
  schema: typeof RECORD_SCHEMA;
  started: string;
  host: string;
  intervalMs: number;
}

type JsonRaw = Omit<RawSample, 'snapshot'> & {
  snapshot: Omit<RawSample['snapshot'], 'owners'> & { owners?: { denied: boolean; owners: [number, ProcessOwner][] } };
};

export function encodeRaw(raw: RawSample): string {
  const { owners, ...rest } = raw.snapshot;
  const snapshot: JsonRaw['snapshot'] = { ...rest };
  if (owners) snapshot.owners = { denied: owners.denied, owners: [...owners.owners] };
  return JSON.stringify({ ...raw, snapshot });
}

export function decodeRaw(line: string): RawSample {
  const j = JSON.parse(line) as JsonRaw;
  const { owners, ...rest } = j.snapshot;
  // JSON has no NaN: an unknown boot time was written as null.
  const boot = { ...j.boot, bootTime: typeof j.boot.bootTime === 'number' ? j.boot.bootTime : NaN };
  const raw: RawSample = { mono: j.mono, boot, snapshot: { ...rest } };
  if (j.ownersAt !== undefined) raw.ownersAt = j.ownersAt;
  if (owners) raw.snapshot.owners = { denied: owners.denied, owners: new Map(owners.owners) };
  return raw;
}

/** Appends one line per tick with a synchronous write, so a killed run keeps every tick it wrote. */
export class Recorder {
  private readonly fd: number;

  constructor(path: string, header: RecordHeader) {
    this.fd = openSync(path, 'a');
    writeSync(this.fd, JSON.stringify(header) + '\n');
  }

  write(raw: RawSample): void {
    writeSync(this.fd, encodeRaw(raw) + '\n');
  }

  close(): void {
    closeSync(this.fd);
  }
}

export class ReplayError extends Error {}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

const MAX_DATE_MS = 8.64e15;

/** A section is either {ok: true, value: [...]} or {ok: false, error: "..."}. */
function sectionProblem(name: string, sec: unknown): string | null {
  if (sec === undefined) return null;
  if (!isObject(sec)) return `${name} is not an object`;
  if (sec['ok'] === true) return Array.isArray(sec['value']) ? null : `${name} has no list of values`;
  if (sec['ok'] === false) return typeof sec['error'] === 'string' ? null : `${name} has no error text`;
  return `${name} is neither ok nor an error`;
}

/** Why a parsed line cannot be a recorded sample, or null when it can. */
function sampleProblem(x: unknown): string | null {
  if (!isObject(x)) return 'not a sample';
  if (typeof x['mono'] !== 'number' || !Number.isFinite(x['mono'])) return 'not a sample (no monotonic time)';
  if (!isObject(x['boot'])) return 'not a sample (no boot info)';
  const snap = x['snapshot'];
  if (!isObject(snap)) return 'not a sample (no snapshot)';
  const time = snap['time'];
  if (typeof time !== 'number' || !Number.isFinite(time) || Math.abs(time) > MAX_DATE_MS) return 'damaged sample: bad time';
  if (!isObject(snap['inet'])) return 'damaged sample: no socket tables';
  for (const [proto, sec] of Object.entries(snap['inet'])) {
    const p = sectionProblem(`inet.${proto}`, sec);
    if (p) return `damaged sample: ${p}`;
  }
  for (const name of ['unix', 'interfaces', 'routes4', 'routes6', 'conntrack']) {
    const p = sectionProblem(name, snap[name]);
    if (p) return `damaged sample: ${p}`;
  }
  const c = snap['counters'];
  if (c !== undefined && (!isObject(c) || !isObject(c['counters']) || !Array.isArray(c['errors']))) return 'damaged sample: counters';
  return null;
}

/** Read a whole recording; a bad line is reported with its number. */
export function readRecording(path: string): { header: RecordHeader; samples: RawSample[] } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ReplayError(`cannot read recording ${path}: ${code === 'ENOENT' ? 'no such file' : code ?? String(err)}`);
  }
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  let header: RecordHeader | null = null;
  let restartNext = false;
  const samples: RawSample[] = [];
  lines.forEach((line, i) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new ReplayError(`recording ${path}, line ${i + 1}: not valid JSON`);
    }
    if (i === 0) {
      const h = parsed as Partial<RecordHeader>;
      if (h.schema !== RECORD_SCHEMA) throw new ReplayError(`recording ${path}, line 1: expected schema ${RECORD_SCHEMA}`);
      header = parsed as RecordHeader;
      return;
    }
    // A second header means another run appended to the same file: a new process with its own
    // clock, so the engine starts again there rather than computing rates across the gap.
    if (isObject(parsed) && parsed['schema'] === RECORD_SCHEMA) {
      restartNext = true;
      return;
    }
    const problem = sampleProblem(parsed);
    if (problem) throw new ReplayError(`recording ${path}, line ${i + 1}: ${problem}`);
    const raw = decodeRaw(line);
    if (restartNext && samples.length > 0) raw.restart = true;
    restartNext = false;
    samples.push(raw);
  });
  if (!header) throw new ReplayError(`recording ${path} is empty`);
  return { header, samples };
}
