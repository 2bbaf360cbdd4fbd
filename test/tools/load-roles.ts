// The processes of the demo load test (make-recording.ts). Each runs inside a network
// namespace, started as `node load-roles.js ROLE args…`, usually under a program name of its
// own (argv[0], set with `exec -a`), so the recording's PID/Program column reads like a host.
// Every role prints one JSON line {"ready":true} once its sockets are open, then runs until
// killed (or, for the senders, until it has sent what it was asked to).
//
// Server side (the namespace that is recorded):
//   web ADDR4 ADDR6               HTTP-ish on ADDR4:80, ADDR4:443, [ADDR6]:80. A client sends one
//                                 line "BYTES RATE\n"; the server sends BYTES at RATE bytes/s
//                                 (0: at once) and closes first, so closed ones sit in TIME_WAIT.
//   db ADDR DIR                   listens on ADDR:5432, 127.0.0.1:5432 and the UNIX socket
//                                 DIR/.s.PGSQL.5432, opens 2 local pool connections over TCP and
//                                 one over UNIX, keepalive on; it never closes a connection its
//                                 peer closed (CLOSE_WAIT).
//   ssh                           0.0.0.0:22 and [::]:22; a few bytes every 300 ms to each
//                                 session; `end` on stdin closes the oldest session (FIN_WAIT2).
//   queue                         UDP 0.0.0.0:514 with a tiny receive buffer and TCP 0.0.0.0:8080
//                                 with a backlog of 2, unread; the event loop is blocked 2.5 s in
//                                 every 3 s, so datagrams are dropped and the accept queue overflows.
//   connect HOST PORT N [BYTES]   N connections, each sending BYTES once connected; to a port
//                                 that never answers they stay in SYN_SENT.
// Either side:
//   udp HOST PORT COUNT GAPMS SIZE   COUNT datagrams of SIZE bytes, GAPMS apart, then exits.
// Client side:
//   get HOST PORT BYTES RATE [N]     N concurrent downloads (default 1), each one request.
//   short HOST PORT EVERYMS BYTES    a short request every EVERYMS ms (one TCP connection each).
//   hold HOST PORT N                 N idle connections; `end` on stdin sends FIN on the first
//                                    one and keeps reading (a half close: CLOSE_WAIT at the peer).
import * as net from 'node:net';
import * as dgram from 'node:dgram';

const [role = '', ...args] = process.argv.slice(2);
const keep: unknown[] = [];
const ready = (extra: Record<string, unknown> = {}): void => {
  process.stdout.write(JSON.stringify({ ready: true, role, ...extra }) + '\n');
};
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const num = (i: number, dflt: number): number => {
  const v = args[i];
  return v === undefined ? dflt : Number(v);
};
const str = (i: number, dflt: string): string => args[i] ?? dflt;
const quiet = (s: net.Socket): void => {
  s.on('error', () => {
    /* peers are killed mid-run */
  });
};

function listen(server: net.Server, port: number, host: string, backlog = 511): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, backlog, ipv6Only: host.includes(':') }, () => resolve());
  });
}

function connect(host: string, port: number, o: { allowHalfOpen?: boolean } = {}): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host, port, allowHalfOpen: o.allowHalfOpen ?? false }, () => resolve(s));
    s.once('error', reject);
  });
}

/** Write `bytes` to a socket at `rate` bytes/s (0: as fast as it drains), then end it. */
async function sendPaced(sock: net.Socket, bytes: number, rate: number): Promise<void> {
  const CHUNK = 16 * 1024;
  const chunk = Buffer.alloc(CHUNK, 0x61);
  const started = Date.now();
  let sent = 0;
  while (sent < bytes && !sock.destroyed) {
    const n = Math.min(CHUNK, bytes - sent);
    if (!sock.write(n === CHUNK ? chunk : chunk.subarray(0, n))) {
      await new Promise<void>((r) => {
        sock.once('drain', r);
        sock.once('close', r);
      });
    }
    sent += n;
    if (rate > 0) {
      const wait = started + (sent / rate) * 1000 - Date.now();
      if (wait > 0) await sleep(wait);
    }
  }
  sock.end();
}

async function web(): Promise<void> {
  const a4 = str(0, '0.0.0.0');
  const a6 = str(1, '::');
  const serve = (sock: net.Socket): void => {
    quiet(sock);
    let line = '';
    const onData = (d: Buffer): void => {
      line += d.toString('latin1');
      const nl = line.indexOf('\n');
      if (nl < 0) return;
      sock.off('data', onData);
      const [bytes = '0', rate = '0'] = line.slice(0, nl).trim().split(/\s+/);
      sock.resume();
      void sendPaced(sock, Number(bytes), Number(rate));
    };
    sock.on('data', onData);
  };
  for (const [port, host] of [
    [80, a4],
    [443, a4],
    [80, a6],
  ] as const) {
    const srv = net.createServer(serve);
    await listen(srv, port, host);
    keep.push(srv);
  }
  ready();
}

async function db(): Promise<void> {
  const addr = str(0, '0.0.0.0');
  const dir = str(1, '/tmp');
  const conns = new Set<net.Socket>();
  const accept = (sock: net.Socket): void => {
    quiet(sock);
    sock.setKeepAlive(true, 7000);
    conns.add(sock);
    sock.on('data', () => {
      /* queries are ignored */
    });
    // allowHalfOpen: the peer's FIN is noted and nothing more, so the socket stays in CLOSE_WAIT.
    sock.on('close', () => conns.delete(sock));
  };
  for (const host of [addr, '127.0.0.1']) {
    const srv = net.createServer({ allowHalfOpen: true }, accept);
    await listen(srv, 5432, host);
    keep.push(srv);
  }
  const local = net.createServer({ allowHalfOpen: true }, accept);
  await new Promise<void>((r) => local.listen(`${dir}/.s.PGSQL.5432`, () => r()));
  keep.push(local);
  // A local connection pool: both ends of each show up (127.0.0.1 to 127.0.0.1:5432).
  for (let i = 0; i < 2; i++) {
    const c = await connect('127.0.0.1', 5432);
    quiet(c);
    c.setKeepAlive(true, 7000);
    keep.push(c);
  }
  const u = await new Promise<net.Socket>((resolve) => {
    const c = net.connect(`${dir}/.s.PGSQL.5432`, () => resolve(c));
  });
  quiet(u);
  keep.push(u);
  setInterval(() => {
    for (const s of conns) if (!s.writableEnded) s.write('row\n');
  }, 1000);
  ready();
}

async function ssh(): Promise<void> {
  const sessions: net.Socket[] = [];
  const accept = (sock: net.Socket): void => {
    quiet(sock);
    sessions.push(sock);
    sock.on('data', () => {
      /* keystrokes */
    });
  };
  for (const host of ['0.0.0.0', '::']) {
    const srv = net.createServer({ allowHalfOpen: true }, accept);
    await listen(srv, 22, host);
    keep.push(srv);
  }
  setInterval(() => {
    for (const s of sessions) if (!s.writableEnded) s.write('x'.repeat(48));
  }, 300);
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (d: string) => {
    if (!d.includes('end')) return;
    const s = sessions.find((x) => !x.writableEnded);
    s?.end();
  });
  ready();
}

async function queue(): Promise<void> {
  const u = dgram.createSocket({ type: 'udp4', recvBufferSize: 2048 });
  u.on('message', () => {
    /* read late, if at all */
  });
  await new Promise<void>((r) => u.bind(514, '0.0.0.0', () => r()));
  const held: net.Socket[] = [];
  const srv = net.createServer({ pauseOnConnect: true }, (sock) => {
    quiet(sock);
    held.push(sock);
  });
  await listen(srv, 8080, '0.0.0.0', 2);
  keep.push(u, srv, held);
  ready();
  const block = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    await sleep(500);
    Atomics.wait(block, 0, 0, 2500); // the whole process stops reading and accepting
  }
}

async function connectNever(): Promise<void> {
  const host = str(0, '127.0.0.1');
  const port = num(1, 9);
  const n = num(2, 1);
  const bytes = num(3, 0);
  for (let i = 0; i < n; i++) {
    const s = net.connect({ host, port }, () => {
      if (bytes > 0) s.write(Buffer.alloc(bytes, 0x71));
    });
    quiet(s);
    keep.push(s);
  }
  ready();
}

async function udp(): Promise<void> {
  const host = str(0, '127.0.0.1');
  const port = num(1, 9);
  const count = num(2, 10);
  const gap = num(3, 100);
  const size = num(4, 32);
  const sock = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
  sock.on('error', () => {
    /* unreachable errors and full buffers are expected */
  });
  ready();
  const payload = Buffer.alloc(size, 0x75);
  for (let i = 0; i < count; i++) {
    await new Promise<void>((r) => sock.send(payload, port, host, () => r()));
    if (gap > 0) await sleep(gap);
  }
  sock.close(() => process.exit(0));
}

async function get(): Promise<void> {
  const host = str(0, '127.0.0.1');
  const port = num(1, 80);
  const bytes = num(2, 1 << 20);
  const rate = num(3, 0);
  const n = num(4, 1);
  const one = async (): Promise<void> => {
    const s = await connect(host, port);
    quiet(s);
    s.on('data', () => {
      /* discard */
    });
    s.write(`${bytes} ${rate}\n`);
    await new Promise<void>((r) => s.once('close', () => r()));
  };
  ready();
  await Promise.all(Array.from({ length: n }, () => one().catch(() => {})));
}

async function short(): Promise<void> {
  const host = str(0, '127.0.0.1');
  const port = num(1, 80);
  const every = num(2, 1000);
  const bytes = num(3, 4096);
  ready();
  for (;;) {
    connect(host, port).then(
      (s) => {
        quiet(s);
        s.on('data', () => {});
        s.write(`${bytes} 0\n`);
      },
      () => {},
    );
    await sleep(every);
  }
}

async function hold(): Promise<void> {
  const host = str(0, '127.0.0.1');
  const port = num(1, 5432);
  const n = num(2, 1);
  const socks: net.Socket[] = [];
  for (let i = 0; i < n; i++) {
    const s = await connect(host, port, { allowHalfOpen: true });
    quiet(s);
    s.on('data', () => {});
    socks.push(s);
  }
  keep.push(socks);
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (d: string) => {
    if (d.includes('end')) socks.find((s) => !s.writableEnded)?.end();
  });
  ready();
}

const roles: Record<string, () => Promise<void>> = {
  web,
  db,
  ssh,
  queue,
  connect: connectNever,
  udp,
  get,
  short,
  hold,
};
const run = roles[role];
if (!run) {
  process.stderr.write(`load-roles: unknown role '${role}'; roles: ${Object.keys(roles).join(' ')}\n`);
  process.exit(2);
}
run().catch((err: unknown) => {
  process.stderr.write(`load-roles ${role}: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
// Stay alive until killed, even when nothing else holds the event loop.
setInterval(() => {}, 60_000);
