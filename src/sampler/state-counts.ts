// Socket counts by kind and TCP state, fed to the tracker as gauges ('gauge.tcp.LISTEN').
import type { InetSocket, UnixSocket } from '../model.js';
import { TCP_STATES } from '../print/connections.js';

export const TCP_STATE_KEYS = TCP_STATES.slice(1, 12).map((s) => `gauge.tcp.${s}`);

export function stateCounts(inet: readonly InetSocket[], unix: readonly UnixSocket[] | null): Map<string, number> {
  const out = new Map<string, number>();
  for (const k of TCP_STATE_KEYS) out.set(k, 0);
  let udp = 0, raw = 0, recvQ = 0, sendQ = 0;
  for (const s of inet) {
    if (s.proto.startsWith('tcp')) {
      const k = `gauge.tcp.${TCP_STATES[s.state] ?? 'UNKNOWN'}`;
      out.set(k, (out.get(k) ?? 0) + 1);
    } else if (s.proto.startsWith('raw')) raw++;
    else udp++;
    recvQ += s.recvQ;
    sendQ += s.sendQ;
  }
  out.set('gauge.udp.sockets', udp);
  out.set('gauge.raw.sockets', raw);
  out.set('gauge.queue.recvQ', recvQ);
  out.set('gauge.queue.sendQ', sendQ);
  if (unix) out.set('gauge.unix.sockets', unix.length);
  return out;
}
