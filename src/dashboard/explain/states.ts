// What each TCP and UNIX socket state means, and what to look at when many sockets sit in it.
// Texts are our own wording and end up in a blessed box with tags enabled: never braces or
// control characters (test/explain.test.ts checks every entry).
import type { Explanation } from '../../catalog/index.js';

/** [meaning, whenRising?] */
type Entry = readonly [string, string?];

function ex(title: string, meaning: string, whenRising?: string): Explanation {
  return whenRising === undefined ? { title, meaning } : { title, meaning, whenRising };
}

/** Own-property lookup, so 'constructor' or 'toString' never resolve through the prototype. */
function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

const TCP_STATE_TEXT: Readonly<Record<string, Entry>> = {
  ESTABLISHED: [
    'The connection is open in both directions and data can flow. This is the normal working state.',
    'A steady rise means more concurrent clients or connections that are kept open longer; compare with the connection limits of the application.',
  ],
  SYN_SENT: [
    'This host sent a SYN to open a connection and is waiting for the answer (active open, client side).',
    'Connections stuck here mean the peer or a firewall on the way is not answering: check that the remote port is open, routes and filtering, and whether packets are silently dropped.',
  ],
  SYN_RECV: [
    'A SYN arrived on a listening socket, we answered with SYN-ACK and wait for the final ACK of the handshake.',
    'Many at once mean a SYN flood, clients whose ACK gets lost, or a slow accept path; check TcpExt.ListenDrops and the syncookies counters.',
  ],
  NEW_SYN_RECV: [
    'A lightweight request socket for a half-open connection (SYN received, SYN-ACK sent); Linux shows it like SYN_RECV.',
    'Many at once mean a SYN flood or handshakes that never finish; check the syncookies and listen drop counters.',
  ],
  FIN_WAIT1: [
    'The local side closed and sent a FIN, and waits for the peer to acknowledge it.',
    'Piling up means the peer does not acknowledge our FIN, often because it vanished or its receive window is closed with data still queued.',
  ],
  FIN_WAIT2: [
    'Our FIN was acknowledged; we now wait for the peer to close its side too. Orphaned sockets leave this state after tcp_fin_timeout (60 s by default).',
    'Many sockets here mean peers that keep their end open after we closed ours.',
  ],
  TIME_WAIT: [
    'The connection is finished; the side that closed first keeps the address pair reserved for a while (60 s on Linux) so late segments cannot confuse a new connection.',
    'Normal on busy clients and on servers that close first. Huge numbers can exhaust local ports for outgoing connections: reuse connections (keep-alive, pooling) or let the peer close first.',
  ],
  CLOSE: ['The socket is not connected; it is being created or torn down.'],
  CLOSED: ['The socket is not connected; it is unused or being torn down.'],
  CLOSE_WAIT: [
    'The peer closed its side and the kernel is waiting for the local application to close the socket.',
    'Piling up means the local application never calls close() on these sockets: a descriptor leak or a stuck worker in the program that owns them.',
  ],
  LAST_ACK: [
    'Both sides have closed; we sent our FIN after the peer had closed and wait for its final ACK.',
    'Many here mean peers that disappear without the last ACK; usually lost packets or an aggressive firewall.',
  ],
  LISTEN: [
    'A server socket waiting for incoming connections on this address and port. Worth reviewing: every listening socket reachable from outside is a service that can be attacked.',
    'New listeners appearing unexpectedly deserve a look at the owning program.',
  ],
  CLOSING: [
    'Both sides sent a FIN at almost the same time and we wait for the ACK of ours (simultaneous close).',
    'Rare; many of them point at lost ACKs on the path.',
  ],
  UNKNOWN: ['A state number the kernel reported that this tool does not know.'],
};

const UNIX_STATE_TEXT: Readonly<Record<string, Entry>> = {
  LISTENING: ['A UNIX domain server socket waiting for local clients to connect (its ACC flag is set).'],
  CONNECTED: ['A UNIX domain socket connected to a peer process on this host.'],
  CONNECTING: [
    'A UNIX domain socket in the middle of connecting to a listening socket.',
    'Sockets stuck here point at a server that is not accepting connections fast enough.',
  ],
  DISCONNECTING: ['A UNIX domain socket that is being disconnected.'],
  FREE: ['A UNIX domain socket that is not in use (no connection, not listening).'],
  UNCONNECTED: ['A UNIX domain socket without a peer, typically a datagram socket or one not yet connected.'],
};

export function explainState(state: string): Explanation | null {
  const s = state.trim().toUpperCase().replace(/-/g, '_');
  const tcp = own(TCP_STATE_TEXT, s);
  if (tcp) return ex(`TCP state ${s}`, tcp[0], tcp[1]);
  const unix = own(UNIX_STATE_TEXT, s);
  if (unix) return ex(`UNIX socket state ${s}`, unix[0], unix[1]);
  return null;
}
