// Run inside a test's network namespace: a TCP sink that reads and discards everything.
// Prints one JSON "ready" line with its port, then one {"received":n} line per finished
// connection. Usage: node tcp-sink.js [host] [port]
import * as net from 'node:net';

const [host = '0.0.0.0', port = '0'] = process.argv.slice(2);

const server = net.createServer((sock) => {
  let received = 0;
  sock.on('data', (d: Buffer) => {
    received += d.length;
  });
  sock.on('end', () => {
    process.stdout.write(JSON.stringify({ received }) + '\n');
    sock.end();
  });
  sock.on('error', () => {
    /* the peer may be killed mid-transfer */
  });
});

server.listen(Number(port), host, () => {
  const a = server.address();
  process.stdout.write(JSON.stringify({ ready: true, port: typeof a === 'object' && a !== null ? a.port : 0 }) + '\n');
});
