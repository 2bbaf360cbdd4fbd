// Connection churn for the soak test, run inside a namespace: a TCP server on 127.0.0.1 and
// `concurrency` clients that connect, close at once and connect again, as fast as they can.
// Half the closes are resets (no TIME_WAIT), half are orderly (TIME_WAIT, bounded by the
// namespace's tcp_max_tw_buckets). Prints one JSON line per second: {"opened": n} (the count of
// that second), after a first {"ready": true}.
import * as net from 'node:net';

const port = Number(process.argv[2] ?? 9100);
const concurrency = Number(process.argv[3] ?? 64);
let opened = 0;
let serial = 0;

const server = net.createServer((s) => {
  s.on('error', () => {});
  s.destroy();
});
server.on('error', (e) => {
  console.error(String(e));
  process.exit(1);
});

function client(): void {
  const reset = (serial++ & 1) === 0;
  const c = net.connect({ port, host: '127.0.0.1' });
  let done = false;
  const again = (): void => {
    if (done) return;
    done = true;
    setImmediate(client);
  };
  c.on('connect', () => {
    opened++;
    if (reset) c.resetAndDestroy();
    else c.end();
  });
  c.on('error', again);
  c.on('close', again);
}

server.listen(port, '127.0.0.1', () => {
  for (let i = 0; i < concurrency; i++) client();
  console.log(JSON.stringify({ ready: true }));
  setInterval(() => {
    console.log(JSON.stringify({ opened }));
    opened = 0;
  }, 1000);
});
