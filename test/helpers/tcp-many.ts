// Run inside a test's network namespace: opens `n` TCP connections to host:port one after
// another, closes all but the last `keep` of them at once (short connections), and prints
// {"ready":true,"open":keep} when the closed ones are gone from this side's view of them.
// Usage: node tcp-many.js host port n keep
import * as net from 'node:net';

const [host = '127.0.0.1', port = '0', nArg = '1000', keepArg = '10'] = process.argv.slice(2);
const n = Number(nArg),
  keep = Number(keepArg);
const kept: net.Socket[] = [];

async function main(): Promise<void> {
  for (let i = 0; i < n; i++) {
    const s = await new Promise<net.Socket>((resolve, reject) => {
      const c = net.connect({ host, port: Number(port) }, () => resolve(c));
      c.once('error', reject);
    });
    s.on('error', () => {});
    if (i < n - keep) {
      // Closed by this side first: the peer answers the FIN (tcp-sink ends on 'end').
      await new Promise<void>((resolve) => {
        s.on('close', () => resolve());
        s.end();
        s.resume();
      });
    } else kept.push(s);
  }
  process.stdout.write(JSON.stringify({ ready: true, open: kept.length }) + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`tcp-many: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
