// Socket counts by kind and TCP state, fed to the tracker as gauges ('gauge.tcp.LISTEN').
import type { InetSocket, UnixSocket } from '../model.js';
import { TCP_STATES } from '../names/netstat-notation.js';

/** Keys by state, built once ('gauge.tcp.UNKNOWN' at -1). */
const stateKeys = new Map<number, string>();

function stateKey(state: number): string {
  let k = stateKeys.get(state);
  if (k === undefined) {
    k = `gauge.tcp.${TCP_STATES[state] ?? 'UNKNOWN'}`;
    // Only the states an array slot exists for (see stateCounts), plus -1: bounded.
    stateKeys.set(state, k);
  }
  return k;
}

/** The gauges in their fixed order: the eleven states, then any other state in the order met. */
function gauges(
  byState: readonly number[],
  order: readonly number[],
  unknown: number,
  unknownAt: number,
  rest: { udp: number; raw: number; recvQ: number; sendQ: number },
  unix: readonly UnixSocket[] | null,
  out: Map<string, number>,
): Map<string, number> {
  for (let st = 1; st <= 11; st++) out.set(stateKey(st), byState[st] ?? 0);
  for (let i = 0; i < order.length; i++) {
    if (i === unknownAt) out.set(stateKey(-1), unknown);
    const st = order[i]!;
    out.set(stateKey(st), byState[st] ?? 0);
  }
  if (unknownAt >= order.length && unknown > 0) out.set(stateKey(-1), unknown);
  out.set('gauge.udp.sockets', rest.udp);
  out.set('gauge.raw.sockets', rest.raw);
  out.set('gauge.queue.recvQ', rest.recvQ);
  out.set('gauge.queue.sendQ', rest.sendQ);
  if (unix) out.set('gauge.unix.sockets', unix.length);
  return out;
}

/** The socket gauges, added to `out` (a new Map by default). */
export function stateCounts(
  inet: readonly InetSocket[],
  unix: readonly UnixSocket[] | null,
  out: Map<string, number> = new Map(),
): Map<string, number> {
  // One array slot per kernel state; states outside 1..11 keep the order they were first met in.
  const byState = new Array<number>(TCP_STATES.length).fill(0);
  const order: number[] = [];
  let unknown = 0,
    unknownAt = Infinity;
  let udp = 0,
    raw = 0,
    recvQ = 0,
    sendQ = 0;
  // Indexed: an unoptimized for-of makes an object per row (see sample-engine's allRows).
  for (let i = 0; i < inet.length; i++) {
    const s = inet[i]!;
    const p = s.proto;
    if (p === 'tcp' || p === 'tcp6') {
      const st = s.state;
      if (st >= 0 && st < byState.length && Number.isInteger(st)) {
        if ((st < 1 || st > 11) && byState[st] === 0) order.push(st);
        byState[st]!++;
      } else {
        if (unknown === 0) unknownAt = order.length;
        unknown++;
      }
    } else if (p === 'raw' || p === 'raw6') raw++;
    else udp++;
    recvQ += s.recvQ;
    sendQ += s.sendQ;
  }
  return gauges(byState, order, unknown, unknownAt, { udp, raw, recvQ, sendQ }, unix, out);
}
