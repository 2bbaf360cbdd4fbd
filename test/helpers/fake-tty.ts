// A stream that passes for a terminal: blessed draws into it (tests, the benchmark).
import { PassThrough } from 'node:stream';

export type FakeTty = PassThrough & { isTTY: boolean; columns: number; rows: number; isRaw: boolean; setRawMode(raw: boolean): FakeTty };

export function fakeTty(cols = 80, rows = 24): FakeTty {
  const s = new PassThrough() as FakeTty;
  s.isTTY = true;
  s.columns = cols;
  s.rows = rows;
  s.isRaw = false;
  s.setRawMode = (raw) => {
    s.isRaw = raw;
    return s;
  };
  return s;
}
