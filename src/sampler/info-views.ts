// Rows whose tcp_info and memory are views (sources/tcp-info.ts): read where their bytes are,
// which the live reader writes over at every dump. What is kept past a tick (the recorder's
// last sample, a paused frame) keeps their values instead.
import type { InetSocket, SkMemInfo, TcpInfo } from '../model.js';

/** A tcp_info or memory view: toJSON gives its values as a plain object. */
export function isView(v: unknown): v is { toJSON(key: string): unknown } {
  return typeof v === 'object' && v !== null && typeof (v as { toJSON?: unknown }).toJSON === 'function';
}

/** The row with its tcp_info (`info`, the row's own by default) and memory as plain values; the
 *  row itself when it has no views. */
export function plainRow(s: InetSocket, info: unknown = s.tcpInfo): InetSocket {
  if (info === s.tcpInfo && !isView(info) && !isView(s.mem)) return s;
  const { tcpInfo: _info, mem: _mem, ...rest } = s;
  return {
    ...rest,
    ...(info === undefined ? {} : { tcpInfo: (isView(info) ? info.toJSON('tcpInfo') : info) as TcpInfo }),
    ...(s.mem === undefined ? {} : { mem: (isView(s.mem) ? s.mem.toJSON('mem') : s.mem) as SkMemInfo }),
  };
}
