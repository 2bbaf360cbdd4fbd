// netstat -tan (and -tn, -tln, -W) straight from the kernel's dump: each sock_diag message is
// formatted into a reused output buffer as it arrives and written in pieces of 64 KiB. No row
// objects, no table, no strings per row: at 50k sockets the general path (a snapshot of
// InetSocket rows, then printChunks) spends more time building, formatting and collecting
// those than the kernel spends on its dump. Used only where the text is exactly what
// printChunks gives (directTcpFits: numeric hosts and ports, no extra columns), and only when
// the tables are read as readTcpTables reads them through netlink (dumpTcpMessages); anything
// else, or a dump that fails before the first piece is written, goes the general way.
//
// Order: rows in dump order, all of tcp's before tcp6's, as the general path prints them. One
// dump serves both families (their rows come interleaved), so tcp6's rows are kept in pieces
// of their own until tcp's are written.
import type { KernelFs } from '../sources/kernel-fs.js';
import { dumpTcpMessages } from '../sources/inet-sockets.js';
import { DIAG_MSG_LEN, ipv6AddrText, NLMSG_HDRLEN } from '../sources/sock-diag.js';
import { TCP_STATES } from '../names/tcp-states.js';
import { inetHeader } from './inet-header.js';
import type { PrintOptions } from './print-options.js';

const CHUNK = 1 << 16;
/** Room for the longest row (a wide IPv6 pair and UNKNOWN(255) take about 130 bytes). */
const ROOM = 512;
const SP = 32,
  COLON = 58,
  DOT = 46,
  STAR = 42,
  NL = 10;
const TCP_LISTEN = 10;

/** Whether printDirectTcp prints exactly what printChunks prints for these options: the TCP
 *  tables of both families alone, numeric hosts and ports, none of -e, -p, -o, --info. */
export function directTcpFits(o: PrintOptions): boolean {
  return (
    o.mode !== 'json' &&
    o.section === 'connections' &&
    o.socketArgs &&
    o.tcp &&
    !o.udp &&
    !o.udplite &&
    !o.raw &&
    !o.unix &&
    o.inet4 &&
    o.inet6 &&
    o.numericHosts &&
    o.numericPorts &&
    o.extend === 0 &&
    !o.programs &&
    !o.timers &&
    !o.info &&
    !o.continuous
  );
}

/** Each byte value's decimal digits: [count, d0, d1, d2]. */
const BYTE_DIGITS = new Uint8Array(256 * 4);
for (let i = 0; i < 256; i++) {
  const s = String(i);
  BYTE_DIGITS[i * 4] = s.length;
  for (let k = 0; k < s.length; k++) BYTE_DIGITS[i * 4 + 1 + k] = s.charCodeAt(k);
}

/** State names padded to netstat's 11 columns ("%-11s"). */
const STATE_TEXT: readonly string[] = TCP_STATES.map((s) => s.padEnd(11));

function stateText(state: number): string {
  return STATE_TEXT[state] ?? `UNKNOWN(${state})`.padEnd(11);
}

function digits(n: number): number {
  let d = 1;
  while (n >= 10) {
    n = Math.floor(n / 10);
    d++;
  }
  return d;
}

/** Whether the n bytes at a are all 0. */
function zeros(m: Buffer, a: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (m[a + i] !== 0) return false;
  return true;
}

/** Little-endian u32 straight from the bytes. */
function u32(b: Buffer, o: number): number {
  return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
}

/** Rows as bytes into pieces of about CHUNK bytes; `spill` takes each full piece (and may keep it). */
class RowWriter {
  buf = Buffer.allocUnsafeSlow(CHUNK + ROOM);
  pos = 0;
  /** Messages too short to hold an inet_diag_msg, as the row parser counts them. */
  skipped = 0;

  constructor(
    private readonly six: boolean,
    private readonly all: boolean,
    private readonly listening: boolean,
    private readonly wide: boolean,
    private readonly spill: (w: RowWriter) => void,
  ) {}

  text(s: string): void {
    this.put(s);
    if (this.pos >= CHUNK) this.spill(this);
  }

  /** ASCII text, byte by byte: cheaper than Buffer#write's checks for a few bytes. */
  private put(s: string): void {
    const b = this.buf;
    let o = this.pos;
    for (let i = 0; i < s.length; i++) b[o++] = s.charCodeAt(i);
    this.pos = o;
  }

  /** n right-aligned in `width` columns ("%Nd"). */
  private num(n: number, width: number): void {
    const b = this.buf;
    const d = digits(n);
    let o = this.pos;
    for (let i = d; i < width; i++) b[o++] = SP;
    let e = o + d;
    this.pos = e;
    do {
      const q = Math.floor(n / 10);
      b[--e] = 48 + (n - q * 10);
      n = q;
    } while (n > 0);
  }

  /** "host:port" padded to 23 columns ("%-23s"), IPv4 from its four bytes. */
  private endpoint4(m: Buffer, a: number, port: number): void {
    const b = this.buf;
    const start = this.pos;
    let o = start;
    for (let i = 0; i < 4; i++) {
      const t = m[a + i]! * 4;
      const n = BYTE_DIGITS[t]!;
      b[o++] = BYTE_DIGITS[t + 1]!;
      if (n > 1) b[o++] = BYTE_DIGITS[t + 2]!;
      if (n > 2) b[o++] = BYTE_DIGITS[t + 3]!;
      b[o++] = i < 3 ? DOT : COLON;
    }
    this.pos = o;
    if (port === 0) b[this.pos++] = STAR;
    else this.num(port, 0);
    o = this.pos;
    while (o - start < 23) b[o++] = SP;
    this.pos = o;
  }

  /** The same for IPv6: a mapped IPv4 address shows as the IPv4 it carries, and the pair is cut
   *  to 22 columns unless wide, keeping the port (fitEndpoint with numeric names). */
  private endpoint6(m: Buffer, a: number, port: number): void {
    // ::ffff:a.b.c.d prints as a.b.c.d (netstat 2.10), straight from its bytes.
    if (m[a + 10] === 0xff && m[a + 11] === 0xff && zeros(m, a, 10)) return this.endpoint4(m, a + 12, port);
    let host = ipv6AddrText(m, a);
    if (host.startsWith('::ffff:') && host.includes('.')) host = host.slice(7);
    const svcLen = port === 0 ? 1 : digits(port);
    if (!this.wide && host.length + svcLen > 22) host = host.slice(0, 22 - svcLen);
    const b = this.buf;
    const start = this.pos;
    this.put(host);
    b[this.pos++] = COLON;
    if (port === 0) b[this.pos++] = STAR;
    else this.num(port, 0);
    let o = this.pos;
    while (o - start < 23) b[o++] = SP;
    this.pos = o;
  }

  /** One message of the dump: its row, when netstat shows it with these flags. */
  row(m: Buffer, off: number, len: number): void {
    if (len < NLMSG_HDRLEN + DIAG_MSG_LEN) {
      this.skipped++;
      return;
    }
    const d = off + NLMSG_HDRLEN;
    const remotePort = (m[d + 6]! << 8) | m[d + 7]!;
    // netstat lists TCP sockets by their remote port: 0 for a listener (and an unbound socket).
    if (!this.all && (remotePort === 0) !== this.listening) return;
    const state = m[d + 1]!;
    const localPort = (m[d + 4]! << 8) | m[d + 5]!;
    const b = this.buf;
    let o = this.pos;
    // "%-5s %6d %6d ": tcp or tcp6.
    b[o++] = 116;
    b[o++] = 99;
    b[o++] = 112;
    b[o++] = this.six ? 54 : SP;
    b[o++] = SP;
    b[o++] = SP;
    this.pos = o;
    this.num(u32(m, d + 56), 6);
    b[this.pos++] = SP;
    // A listener's wqueue is its backlog limit; netstat (from /proc) shows 0.
    this.num(state === TCP_LISTEN ? 0 : u32(m, d + 60), 6);
    b[this.pos++] = SP;
    if (this.six) {
      this.endpoint6(m, d + 8, localPort);
      b[this.pos++] = SP;
      this.endpoint6(m, d + 24, remotePort);
    } else {
      this.endpoint4(m, d + 8, localPort);
      b[this.pos++] = SP;
      this.endpoint4(m, d + 24, remotePort);
    }
    b[this.pos++] = SP;
    this.put(stateText(state));
    b[this.pos++] = NL;
    if (this.pos >= CHUNK) this.spill(this);
  }
}

/**
 * Prints the TCP tables as printChunks would (after directTcpFits said so) to `out`. Resolves
 * with the exit status, or null when nothing was written and the caller should print the
 * general way: the tables cannot be read as dumpTcpMessages reads them, or the dump failed
 * before the first piece went out. `warn` gets the lines printErrors would give (a message
 * too short for a row), after the text.
 */
export async function printDirectTcp(
  kfs: KernelFs,
  o: PrintOptions,
  out: NodeJS.WritableStream,
  warn: (msg: string) => void,
): Promise<number | null> {
  let written = false;
  const stream = out as NodeJS.WritableStream & { writableLength?: number };
  /** Writes a full piece; the buffer is used again once the stream no longer holds it. */
  const send = (w: RowWriter): void => {
    if (w.pos === 0) return;
    written = true;
    stream.write(w.buf.subarray(0, w.pos));
    if (stream.writableLength !== 0) w.buf = Buffer.allocUnsafeSlow(CHUNK + ROOM);
    w.pos = 0;
  };
  /** tcp6's pieces while tcp's rows are still coming. */
  const held: Buffer[] = [];
  let v4Done = false;
  const hold = (w: RowWriter): void => {
    if (v4Done) return send(w);
    held.push(w.buf.subarray(0, w.pos));
    w.buf = Buffer.allocUnsafeSlow(CHUNK + ROOM);
    w.pos = 0;
  };
  const v4 = new RowWriter(false, o.all, o.listening, o.wide, send);
  const v6 = new RowWriter(true, o.all, o.listening, o.wide, hold);
  v4.text(inetHeader(o) + '\n');
  let other = 0;
  let ok: boolean;
  try {
    ok = await dumpTcpMessages(
      kfs,
      { listeningOnly: o.listening && !o.all },
      {
        message: (family, b, off, len) => (family === 4 ? v4.row(b, off, len) : v6.row(b, off, len)),
        other: () => other++,
      },
    );
  } catch (err) {
    if (!written) return null;
    warn(err instanceof Error ? err.message : String(err));
    return 1;
  }
  if (!ok) return null;
  // tcp's rows, then tcp6's in the order they came.
  send(v4);
  v4Done = true;
  for (const piece of held) {
    written = true;
    stream.write(piece);
  }
  send(v6);
  const skipped: [string, number][] = [
    ['/proc/net/tcp', v4.skipped + other],
    ['/proc/net/tcp6', v6.skipped],
  ];
  for (const [file, n] of skipped) if (n > 0) warn(`${file}: ${n} malformed line${n === 1 ? '' : 's'} skipped`);
  return 0;
}
