// --serve's value: PORT, ADDR:PORT or [IPv6]:PORT. A port alone (or ":PORT") binds the loopback
// address only; all addresses must be asked for by name (0.0.0.0, [::]).
import { isIP } from 'node:net';

export interface ListenAddress {
  host: string;
  port: number;
}

export const LISTEN_CHOICES =
  'PORT (on 127.0.0.1), ADDR:PORT or [IPv6]:PORT, ADDR an IP address ' + '(0.0.0.0 or [::] for all addresses), PORT 1 to 65535';

/** The address, or a one-line reason naming what is valid. */
export function parseListenAddress(raw: string): ListenAddress | { error: string } {
  const bad = { error: `invalid --serve '${raw}': expected ${LISTEN_CHOICES}` };
  let host = '127.0.0.1';
  let portText = raw;
  const v6 = /^\[([^\]]*)\]:([^:]*)$/.exec(raw);
  if (v6) {
    host = v6[1] ?? '';
    portText = v6[2] ?? '';
    if (isIP(host) !== 6) return bad;
  } else if (raw.includes(':')) {
    const colon = raw.lastIndexOf(':');
    const h = raw.slice(0, colon);
    portText = raw.slice(colon + 1);
    if (h !== '') {
      if (isIP(h) !== 4) return bad;
      host = h;
    }
  }
  if (!/^\d{1,5}$/.test(portText)) return bad;
  const port = Number(portText);
  if (port < 1 || port > 65535) return bad;
  return { host, port };
}

/** host:port as a URL authority. */
export function authority(a: ListenAddress): string {
  return a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}
