// Run inside a test's network namespace: sends `bytes` bytes to host:port over one TCP
// connection, paced evenly over `durationMs`, then (after `holdMs`, default 0, with the
// connection still open) closes and prints {"sent":n,"ms":t}.
// Usage: node tcp-source.js host port bytes durationMs [holdMs]
import * as net from 'node:net';

const [host = '127.0.0.1', port = '0', bytesArg = '1048576', durationArg = '1000', holdArg = '0'] = process.argv.slice(2);
const total = Number(bytesArg);
const durationMs = Number(durationArg);
const CHUNK = 16 * 1024;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const started = Date.now();
  const sock = await new Promise<net.Socket>((resolve, reject) => {
    const s = net.connect({ host, port: Number(port) }, () => resolve(s));
    s.once('error', reject);
  });
  // After connecting, a socket error (reset by the peer) ends the run with a one-line message.
  sock.on('error', (err) => {
    process.stderr.write(`tcp-source: ${err.message}\n`);
    process.exit(1);
  });
  const chunk = Buffer.alloc(CHUNK, 0x5a);
  const chunks = Math.ceil(total / CHUNK);
  let sent = 0;
  for (let i = 0; i < chunks; i++) {
    const n = Math.min(CHUNK, total - sent);
    if (!sock.write(n === CHUNK ? chunk : chunk.subarray(0, n))) await new Promise((r) => sock.once('drain', r));
    sent += n;
    // Pace: chunk i is due at started + (i + 1) * durationMs / chunks.
    const due = started + ((i + 1) * durationMs) / chunks;
    const wait = due - Date.now();
    if (wait > 0) await sleep(wait);
  }
  // Held open, the kernel gets what is still unacknowledged across (retransmitting it through
  // a lossy path) while the connection is ESTABLISHED and has tcp_info to read.
  const holdMs = Number(holdArg);
  if (holdMs > 0) await sleep(holdMs);
  await new Promise<void>((resolve) => {
    sock.end(() => resolve());
  });
  process.stdout.write(JSON.stringify({ sent, ms: Date.now() - started }) + '\n');
  sock.destroy();
}

main().catch((err: unknown) => {
  process.stderr.write(`tcp-source: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
