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

/** State names as bytes; netstat pads them to 11 columns ("%-11s"), which the buffer's spaces do. */
const STATE_BYTES: readonly Buffer[] = TCP_STATES.map((s) => Buffer.from(s, 'latin1'));

function stateBytes(state: number): Buffer {
  return STATE_BYTES[state] ?? Buffer.from(`UNKNOWN(${state})`, 'latin1');
}

/** "a.b.c.d:" as bytes, by the address's four bytes read as one number; a busy host shows the
 *  same few addresses on every row. */
const host4 = new Map<number, Buffer>();
const HOST4_MAX = 1 << 16;

function host4Bytes(m: Buffer, a: number): Buffer {
  const key = ((m[a]! << 24) | (m[a + 1]! << 16) | (m[a + 2]! << 8) | m[a + 3]!) >>> 0;
  let h = host4.get(key);
  if (h === undefined) {
    h = Buffer.from(`${m[a]}.${m[a + 1]}.${m[a + 2]}.${m[a + 3]}:`, 'latin1');
    if (host4.size >= HOST4_MAX) host4.clear();
    host4.set(key, h);
  }
  return h;
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

/** A buffer for one piece, all spaces: netstat's padding is spaces, so a row writes only its
 *  text and steps over the padding. */
function blank(): Buffer {
  return Buffer.allocUnsafeSlow(CHUNK + ROOM).fill(SP);
}

/** Rows as bytes into pieces of about CHUNK bytes; `spill` takes each full piece (and may keep it). */
class RowWriter {
  buf = blank();
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

  /** After the piece was written and its buffer is to be used again: spaces where text was. */
  reuse(): void {
    this.buf.fill(SP, 0, this.pos);
    this.pos = 0;
  }

  /** Takes a fresh buffer (the last one is kept by whoever took it). */
  renew(): void {
    this.buf = blank();
    this.pos = 0;
  }

  text(s: string): void {
    const b = this.buf;
    let o = this.pos;
    for (let i = 0; i < s.length; i++) b[o++] = s.charCodeAt(i);
    this.pos = o;
    if (this.pos >= CHUNK) this.spill(this);
  }

  /** n right-aligned in 6 columns ("%6d") at o (wider when it has more digits); returns the end. */
  private num6(n: number, o: number): number {
    const b = this.buf;
    if (n < 10) {
      b[o + 5] = 48 + n;
      return o + 6;
    }
    const d = digits(n);
    let e = d > 6 ? o + d : o + 6;
    const end = e;
    do {
      const q = Math.floor(n / 10);
      b[--e] = 48 + (n - q * 10);
      n = q;
    } while (n > 0);
    return end;
  }

  /** A port's digits, or '*' for 0, at o; returns the end. */
  private port(p: number, o: number): number {
    const b = this.buf;
    if (p === 0) {
      b[o] = STAR;
      return o + 1;
    }
    let e = o + (p < 10 ? 1 : p < 100 ? 2 : p < 1000 ? 3 : p < 10000 ? 4 : 5);
    const end = e;
    do {
      const q = Math.floor(p / 10);
      b[--e] = 48 + (p - q * 10);
      p = q;
    } while (p > 0);
    return end;
  }

  /** "host:port" at o in 23 columns ("%-23s"), IPv4 from its four bytes; returns the end. */
  private endpoint4(m: Buffer, a: number, port: number, o: number): number {
    const h = host4Bytes(m, a);
    this.buf.set(h, o);
    const end = this.port(port, o + h.length);
    return end - o < 23 ? o + 23 : end;
  }

  /** The same for IPv6: a mapped IPv4 address shows as the IPv4 it carries, and the pair is cut
   *  to 22 columns unless wide, keeping the port (fitEndpoint with numeric names). */
  private endpoint6(m: Buffer, a: number, port: number, o: number): number {
    // ::ffff:a.b.c.d prints as a.b.c.d (netstat 2.10), straight from its bytes.
    if (m[a + 10] === 0xff && m[a + 11] === 0xff && zeros(m, a, 10)) return this.endpoint4(m, a + 12, port, o);
    let host = ipv6AddrText(m, a);
    const svcLen = port === 0 ? 1 : digits(port);
    if (!this.wide && host.length + svcLen > 22) host = host.slice(0, 22 - svcLen);
    const b = this.buf;
    let e = o;
    for (let i = 0; i < host.length; i++) b[e++] = host.charCodeAt(i);
    b[e++] = COLON;
    e = this.port(port, e);
    return e - o < 23 ? o + 23 : e;
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
    // "%-5s %6d %6d %-23s %-23s %-11s": tcp or tcp6; the spaces are there already.
    b[o] = 116;
    b[o + 1] = 99;
    b[o + 2] = 112;
    if (this.six) b[o + 3] = 54;
    o = this.num6(u32(m, d + 56), o + 6) + 1;
    // A listener's wqueue is its backlog limit; netstat (from /proc) shows 0.
    o = this.num6(state === TCP_LISTEN ? 0 : u32(m, d + 60), o) + 1;
    if (this.six) {
      o = this.endpoint6(m, d + 8, localPort, o) + 1;
      o = this.endpoint6(m, d + 24, remotePort, o) + 1;
    } else {
      o = this.endpoint4(m, d + 8, localPort, o) + 1;
      o = this.endpoint4(m, d + 24, remotePort, o) + 1;
    }
    const st = stateBytes(state);
    b.set(st, o);
    o += st.length < 11 ? 11 : st.length;
    b[o++] = NL;
    this.pos = o;
    if (o >= CHUNK) this.spill(this);
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
    if (stream.writableLength === 0) w.reuse();
    else w.renew();
  };
  /** tcp6's pieces while tcp's rows are still coming. */
  const held: Buffer[] = [];
  let v4Done = false;
  const hold = (w: RowWriter): void => {
    if (v4Done) return send(w);
    held.push(w.buf.subarray(0, w.pos));
    w.renew();
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
