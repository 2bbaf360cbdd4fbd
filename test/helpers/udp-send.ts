// Run inside a test's network namespace: sends `count` UDP datagrams to host:port, `gapMs`
// apart, from one unconnected socket, then prints {"sent":n}. Sent to a closed port, each
// one makes the receiving host answer with an ICMP port unreachable (type 3).
// Usage: node udp-send.js host port count gapMs
import * as dgram from 'node:dgram';

const [host = '127.0.0.1', port = '9', countArg = '10', gapArg = '10'] = process.argv.slice(2);
const count = Number(countArg);
const gapMs = Number(gapArg);

async function main(): Promise<void> {
  const sock = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
  sock.on('error', () => {
    /* ICMP errors on an unconnected socket are not reported anyway */
  });
  const payload = Buffer.from('netdash');
  for (let i = 0; i < count; i++) {
    await new Promise<void>((resolve, reject) => sock.send(payload, Number(port), host, (err) => (err ? reject(err) : resolve())));
    if (gapMs > 0) await new Promise((r) => setTimeout(r, gapMs));
  }
  sock.close();
  process.stdout.write(JSON.stringify({ sent: count }) + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`udp-send: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
