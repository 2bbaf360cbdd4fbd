// netstat's connection tables (-t -u -w -x, with -a -l -n -e -p -o), byte for byte.
import { tcpInfoLine } from './tcp-info-text.js';
import type { InetSocket, ProcessOwner, UnixSocket } from '../model.js';
import {
  fitEndpoint,
  hostText,
  inetVisible,
  serviceText,
  SO_ACCEPTCON,
  stateName,
  unixStateName,
  unixTypeName,
  unixVisible,
  type ConnOptions,
  type NameContext,
} from '../names/netstat-notation.js';
import { printable } from '../text/printable.js';
import { cutName, esc, fixed2, left, longName, right } from './printf.js';
import { inetHeader, scopeTitle } from './inet-header.js';

export { inetHeader };

// The kernel's clock_t for socket timers is USER_HZ, 100 on every Linux ABI.
const USER_HZ = 100;

/** ownerLabel for text output: the program name escaped, then cut to 19 (with an ellipsis
 *  when escaping made it longer). */
export function ownerText(owners: ReadonlyMap<number, ProcessOwner> | null, inode: number): string {
  const o = owners?.get(inode);
  return o ? cutName(`${o.pid}/${o.program}`, 19) : '-';
}

function timerText(s: InetSocket): string {
  const t = s.timer;
  const secs = fixed2(t.expires / USER_HZ);
  if (s.proto.startsWith('tcp')) {
    switch (t.kind) {
      case 0:
        return `off (0.00/${t.retransmits}/${t.timeout})`;
      case 1:
        return `on (${secs}/${t.retransmits}/${t.timeout})`;
      case 2:
        return `keepalive (${secs}/${t.retransmits}/${t.timeout})`;
      case 3:
        return `timewait (${secs}/${t.retransmits}/${t.timeout})`;
      default:
        return `unkn-${t.kind} (${secs}/${t.retransmits}/${t.timeout})`;
    }
  }
  // netstat zeroes the retransmit count it shows for UDP.
  const retr = s.proto.startsWith('udp') ? 0 : t.retransmits;
  if (t.kind === 0) return `off (0.00/${retr}/${t.timeout})`;
  if (t.kind === 1 || t.kind === 2) return `on${t.kind} (${secs}/${retr}/${t.timeout})`;
  return `unkn-${t.kind} (${secs}/${retr}/${t.timeout})`;
}

function protoLabel(p: InetSocket['proto']): string {
  return p === 'udplite' ? 'udpl' : p === 'udplite6' ? 'udpl6' : p;
}

function serviceProtoOf(p: InetSocket['proto']): string {
  return p.startsWith('tcp') ? 'tcp' : p.startsWith('raw') ? 'raw' : 'udp';
}

function tail(uid: number, inode: number, timers: string, names: NameContext, opts: ConnOptions): string {
  let out = '';
  if (opts.extend >= 1) {
    const user = opts.numericUsers ? undefined : names.users.get(uid);
    out += ` ${left(user === undefined ? uid : longName(user, opts.wide), 10)} ${left(inode, 10)}`;
  }
  if (opts.programs) out += ` ${left(ownerText(names.owners, inode), 20)}`;
  if (opts.timers) out += ` ${timers}`;
  return out;
}

export function inetLine(s: InetSocket, names: NameContext, opts: ConnOptions): string {
  return inetLiner(names, opts)(s);
}

/** inetLine for many rows of one table: a host's escaped name is made once per address (a
 *  busy server shows the same few addresses on every row), and a port's service text is
 *  escaped only when it is a name (digits are safe as they are). */
function inetLiner(names: NameContext, opts: ConnOptions): (s: InetSocket) => string {
  const hosts = new Map<string, string>();
  const host = (addr: string): string => {
    let h = hosts.get(addr);
    if (h === undefined) {
      h = printable(hostText(addr, names, opts.numericHosts));
      // A table of many distinct peers: start over rather than keep them all.
      if (hosts.size >= 4096) hosts.clear();
      hosts.set(addr, h);
    }
    return h;
  };
  const endpointOf = (addr: string, port: number, serviceProto: string): string =>
    fitEndpoint(host(addr), safeName(serviceText(port, serviceProto, names, opts)), opts);
  return (s) => {
    const sp = serviceProtoOf(s.proto);
    const local = endpointOf(s.localAddr, s.localPort, sp);
    const remote = endpointOf(s.remoteAddr, s.remotePort, sp);
    const head = `${left(protoLabel(s.proto), 5)} ${right(s.recvQ, 6)} ${right(s.sendQ, 6)} ${left(local, 23)} ${left(remote, 23)} ${left(stateName(s), 11)}`;
    return head + tail(s.uid, s.inode, opts.timers ? timerText(s) : '', names, opts);
  };
}

/** printable(), skipped for digits and '*' (a port without a name), which it leaves as they are. */
function safeName(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 48 || c > 57) && c !== 42) return printable(s);
  }
  return s;
}

/** Pieces of about this many characters: a table of 50k sockets is 4 MB of text; written as it
 *  is made, no line of it lives long enough to be copied by the garbage collector. */
const CHUNK = 1 << 16;

/** formatInet's text in pieces of about 64 KiB, made as they are asked for. */
export function* inetChunks(
  socks: readonly InetSocket[],
  names: NameContext,
  opts: ConnOptions,
  info = false,
): Generator<string, void, undefined> {
  const line = inetLiner(names, opts);
  let buf = inetHeader(opts) + '\n';
  for (const s of socks) {
    if (!inetVisible(s, opts)) continue;
    buf += line(s) + '\n';
    // --info: ss -tin's internals under every TCP row; '-' where the kernel gave none (TIME_WAIT,
    // request sockets, the /proc fallback).
    if (info && s.proto.startsWith('tcp')) buf += tcpInfoLine(s.tcpInfo, s.state === 10) + '\n';
    if (buf.length >= CHUNK) {
      yield buf;
      buf = '';
    }
  }
  yield buf;
}

export function formatInet(socks: readonly InetSocket[], names: NameContext, opts: ConnOptions): string {
  return [...inetChunks(socks, names, opts)].join('');
}

function unixFlags(flags: number): string {
  let f = '[ ';
  if (flags & SO_ACCEPTCON) f += 'ACC ';
  if (flags & (1 << 17)) f += 'W ';
  if (flags & (1 << 18)) f += 'N ';
  return f + ']';
}

/** One unix row. Unlike netstat, which stops at the first space, the whole path is shown. */
export function unixLine(s: UnixSocket, names: NameContext, opts: ConnOptions): string {
  let line =
    `${left(s.protocol === 0 ? 'unix' : '??', 5)} ${left(s.refCount, 6)} ${left(unixFlags(s.flags), 11)} ` +
    `${left(unixTypeName(s.type), 10)} ${left(unixStateName(s), 13)} ${left(s.inode, 8)}`;
  if (opts.programs) line += ` ${left(ownerText(names.owners, s.inode), 20)}`;
  return `${line} ${esc(s.path ?? '')}`;
}

/** formatUnix's text in pieces of about 64 KiB, made as they are asked for. */
export function* unixChunks(socks: readonly UnixSocket[], names: NameContext, opts: ConnOptions): Generator<string, void, undefined> {
  let buf = `Active UNIX domain sockets ${scopeTitle(opts)}\n`;
  buf += 'Proto RefCnt Flags       Type       State         I-Node  ';
  if (opts.programs) buf += ` ${left('PID/Program name', 20)}`;
  buf += ' Path\n';
  for (const s of socks) {
    if (!unixVisible(s, opts)) continue;
    buf += unixLine(s, names, opts) + '\n';
    if (buf.length >= CHUNK) {
      yield buf;
      buf = '';
    }
  }
  yield buf;
}

export function formatUnix(socks: readonly UnixSocket[], names: NameContext, opts: ConnOptions): string {
  return [...unixChunks(socks, names, opts)].join('');
}
