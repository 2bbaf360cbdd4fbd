// Values the sampler and dashboard compute themselves: the retransmit ratio and the levels
// sources report as 'gauge.…' (sockets by state, queue sums).
import { fact } from './define.js';
import type { CounterFact, Text } from './types.js';

/** The retransmit ratio row and the two counters it divides. */
export const RETRANS_KEY = 'derived.tcp.retransPct';
export const RETRANS_PARTS = { retrans: 'Tcp.RetransSegs', sent: 'Tcp.OutSegs' } as const;

/** Sources name their own levels 'gauge.…'. */
export const GAUGE_PREFIX = 'gauge.';

const DERIVED_TEXT: Readonly<Record<string, Text>> = {
  'derived.tcp.retransPct': {
    meaning:
      'Retransmitted TCP segments per segment sent new, Tcp.RetransSegs divided by Tcp.OutSegs in percent, as nstat users compute it: Delta covers the last interval, Total everything since boot, the last column the time since the mark. Linux leaves retransmissions out of OutSegs, so when a peer stops answering and TCP only retransmits, the ratio can exceed 100 percent; the row then shows >100% and the detail the exact figure.',
    rising:
      'Above roughly 1 percent the path is losing or badly delaying packets: look for congestion, a faulty link or an overloaded peer, and check interface errors and drops.',
  },
  'gauge.udp.sockets': {
    meaning: 'Number of UDP sockets open right now.',
  },
  'gauge.raw.sockets': {
    meaning: 'Number of raw sockets open right now (programs such as ping or routing daemons use them).',
  },
  'gauge.unix.sockets': {
    meaning: 'Number of UNIX domain sockets open right now.',
    rising: 'Steady growth may be a descriptor leak in a local program.',
  },
  'gauge.queue.recvQ': {
    meaning: 'Bytes waiting in all socket receive queues together (sum of Recv-Q).',
    rising: 'Some application reads too slowly; find the socket with the large Recv-Q.',
  },
  'gauge.queue.sendQ': {
    meaning: 'Bytes waiting in all socket send queues together (sum of Send-Q).',
    rising: 'Peers are not acknowledging data fast enough; find the socket with the large Send-Q.',
  },
};

const SOURCE = 'computed by netdash from the socket lists (src/sampler/state-counts.ts)';

export const DERIVED: CounterFact[] = Object.entries(DERIVED_TEXT).map(([key, text]) =>
  fact(key, key, { kind: 'gauge' }, text, key === RETRANS_KEY ? 'computed by netdash: Tcp.RetransSegs / Tcp.OutSegs' : SOURCE),
);

/** 'gauge.tcp.TIME_WAIT': sockets in one TCP state right now. The state itself is explained
 *  where states are (the dashboard adds that text). */
export function tcpStateGaugeFact(key: string): CounterFact | null {
  const m = /^gauge\.tcp\.([A-Z][A-Z0-9_]*)$/.exec(key);
  if (!m) return null;
  return fact(key, `TCP sockets in ${m[1]}`, { kind: 'gauge' }, { meaning: 'Number of TCP sockets in this state right now.' }, SOURCE);
}
