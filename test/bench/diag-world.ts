// Run inside a test's network namespace: sockets in every shape the netlink and /proc readers
// must agree on. Prints one JSON "ready" line, then holds everything until killed.
//   tcp and tcp6 listeners (0.0.0.0, 127.0.0.1, ::, ::1), established pairs over v4, v6 and
//   v4-mapped; a listener with two connections waiting in its accept queue; a keepalive timer;
//   TIME_WAIT; a peer that never reads (Recv-Q and a Send-Q); TCP sockets bound but idle (which
//   /proc does not list); udp and udp6 bound and connected,
//   one with drops; raw sockets when python3 can open them.
import * as net from 'node:net';
import * as dgram from 'node:dgram';
import { spawn } from 'node:child_process';

const keep: unknown[] = [];

function listen(port: number, host: string, backlog = 511): Promise<net.Server> {
  return new Promise((r) => {
    const srv = net.createServer((s) => {
      s.on('error', () => {});
      keep.push(s);
    });
    srv.listen({ port, host, backlog, ipv6Only: host === '::1' }, () => r(srv));
  });
}

function connect(port: number, host: string): Promise<net.Socket> {
  return new Promise((r, j) => {
    const s = net.connect({ port, host }, () => r(s));
    s.once('error', j);
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  keep.push(await listen(6001, '0.0.0.0'), await listen(6002, '127.0.0.1'), await listen(6003, '::'), await listen(6004, '::1'));
  keep.push(await connect(6001, '127.0.0.1'), await connect(6003, '127.0.0.1'), await connect(6003, '::1'), await connect(6004, '::1'));

  // Accept queue: node always accepts, so the listener that never does is python's, which
  // also holds the raw sockets and a UDP socket that never reads (drops).
  const py = spawn(
    'python3',
    [
      '-c',
      [
        'import socket, sys, time',
        's = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)',
        's.bind(("127.0.0.1", 6005)); s.listen(8)',
        'raws = []',
        'for fam, proto, addr in ((socket.AF_INET, 253, "127.0.0.1"), (socket.AF_INET6, 58, "::")):',
        '    try:',
        '        r = socket.socket(fam, socket.SOCK_RAW, proto); r.bind((addr, 0)); raws.append(r)',
        '    except OSError: pass',
        // A UDP socket that never reads, with a tiny buffer: datagrams pile up, then drop.
        'u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)',
        'u.bind(("127.0.0.1", 6355)); t = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)',
        'for i in range(64): t.sendto(b"x" * 1000, ("127.0.0.1", 6355))',
        // UDP-Lite, where the kernel still has it.
        'try:\n    l = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, 136); l.bind(("127.0.0.1", 6356))\nexcept OSError: l = None',
        // Bound, never listening or connecting: /proc does not list them (the kernel's
        // "bound inactive" sockets, which sock_diag gives only when asked for state 13).
        'b4 = socket.socket(); b4.bind(("127.0.0.1", 6007))',
        'b6 = socket.socket(socket.AF_INET6); b6.bind(("::1", 6008))',
        'print(len(raws), flush=True)',
        'sys.stdin.read()',
      ].join('\n'),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  keep.push(py);
  const raws = await new Promise<number>((r) => py.stdout.once('data', (d: Buffer) => r(Number(d.toString().trim()))));
  keep.push(await connect(6005, '127.0.0.1'), await connect(6005, '127.0.0.1'));

  // Keepalive: timer kind 2 on the client side.
  const ka = await connect(6002, '127.0.0.1');
  ka.setKeepAlive(true, 3600_000);
  keep.push(ka);

  // A reader that never reads: data piles up in its Recv-Q and the sender's Send-Q.
  const stuck = net.createServer({ pauseOnConnect: true }, (s) => {
    keep.push(s);
  });
  await new Promise<void>((r) => stuck.listen(6006, '127.0.0.1', () => r()));
  keep.push(stuck);
  const writer = await connect(6006, '127.0.0.1');
  writer.write(Buffer.alloc(4 << 20, 0x61));
  keep.push(writer);

  // TIME_WAIT: the side that closes first waits.
  const tw = await connect(6001, '127.0.0.1');
  tw.end();
  await new Promise((r) => tw.once('close', r));

  // UDP: bound v4 and v6, connected, and one whose tiny buffer drops datagrams.
  const u4 = dgram.createSocket('udp4');
  await new Promise<void>((r) => u4.bind(6353, '0.0.0.0', () => r()));
  const u6 = dgram.createSocket({ type: 'udp6', ipv6Only: true });
  await new Promise<void>((r) => u6.bind(6354, '::', () => r()));
  const uc = dgram.createSocket('udp4');
  await new Promise<void>((r) => uc.connect(6353, '127.0.0.1', () => r()));
  keep.push(u4, u6, uc);
  await sleep(300);

  process.stdout.write(JSON.stringify({ pid: process.pid, raws }) + '\n');
  setInterval(() => {
    /* stay alive until killed */
  }, 60_000);
}

main().catch((err: unknown) => {
  process.stderr.write(`diag-world: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
