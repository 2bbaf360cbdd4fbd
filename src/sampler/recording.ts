// --record / --replay: raw samples as NDJSON (the format: record-format.ts). This module is the
// one place the rest of netdash imports recordings from.
export { decodeRaw, encodeRaw, RECORD_SCHEMA, RECORD_SCHEMA_V1, ReplayError, type RecordHeader } from './record-format.js';
export { openRecording, readRecording, type Recording } from './record-reader.js';
export { KEY_EVERY_MAX, Recorder } from './record-writer.js';
export { RecordOpenError } from './record-file.js';
