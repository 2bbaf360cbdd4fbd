// Run inside the benchmark's network namespace: one listener and `count` loopback TCP
// connections to it, both ends held by this process (2 sockets per connection). Prints one
// JSON "ready" line, then keeps everything open until killed. A message on stdin of the
// form {"churn":n} closes n of its connections, both ends, and opens n new ones (for churn
// figures): every other close is a reset (no TIME_WAIT), the others orderly (the client, which
// closes first, keeps a TIME_WAIT socket, bounded by the namespace's tcp_max_tw_buckets).
// Usage: node load-child.js <count> <port> [v6every]
//   v6every: every Nth connection goes over ::1 instead of 127.0.0.1 (0: none).
import * as net from 'node:net';

const count = Number(process.argv[2] ?? '0');
const port = Number(process.argv[3] ?? '0');
const v6every = Number(process.argv[4] ?? '0');

/** Server ends by the client's address and port. */
const held = new Map<string, net.Socket>();
const clients: net.Socket[] = [];

function listen(host: string): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer({ pauseOnConnect: true }, (s) => {
      s.on('error', () => {});
      held.set(`${s.remoteAddress}|${s.remotePort}`, s);
    });
    srv.once('error', reject);
    srv.listen({ port, host, backlog: 4096, ipv6Only: host === '::1' }, () => resolve(srv));
  });
}

function connectOne(i: number): Promise<void> {
  const v6 = v6every > 0 && i % v6every === v6every - 1;
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host: v6 ? '::1' : '127.0.0.1' }, () => {
      s.pause();
      clients.push(s);
      resolve();
    });
    s.once('error', reject);
  });
}

async function openMany(n: number, base: number): Promise<void> {
  const width = 256;
  for (let i = 0; i < n; i += width) {
    const batch: Promise<void>[] = [];
    for (let j = i; j < Math.min(n, i + width); j++) batch.push(connectOne(base + j));
    await Promise.all(batch);
  }
}

async function main(): Promise<void> {
  const servers = [await listen('127.0.0.1')];
  if (v6every > 0) servers.push(await listen('::1'));
  await openMany(count, 0);
  // The accepts arrive asynchronously; wait until every connection has both ends here.
  while (held.size < count) await new Promise((r) => setTimeout(r, 10));
  process.stdout.write(JSON.stringify({ pid: process.pid, connections: count }) + '\n');
  let serial = count;
  let buf = '';
  process.stdin.on('data', (d: Buffer) => {
    buf += d.toString();
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
      const msg = JSON.parse(buf.slice(0, nl)) as { churn?: number };
      buf = buf.slice(nl + 1);
      const n = Math.min(msg.churn ?? 0, clients.length);
      for (const [i, s] of clients.splice(0, n).entries()) {
        const key = `${s.localAddress}|${s.localPort}`;
        if ((serial + i) % 2 === 0) s.resetAndDestroy();
        else s.destroy();
        held.get(key)?.destroy();
        held.delete(key);
      }
      void openMany(n, serial).then(() => process.stdout.write(JSON.stringify({ churned: n }) + '\n'));
      serial += n;
    }
  });
  setInterval(() => {
    /* stay alive until killed */
  }, 60_000);
  void servers;
}

main().catch((err: unknown) => {
  process.stderr.write(`load-child: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
