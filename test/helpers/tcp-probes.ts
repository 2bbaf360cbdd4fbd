// Run inside a test's network namespace: TCP situations whose effect on /proc/net/snmp the
// catalog's texts claim. Prints one JSON line with the measured Tcp counters, then exits.
//   close-wait         a loopback connection, then the server half-closes: the client sits in
//                      CLOSE_WAIT. Prints Tcp.CurrEstab with both ends ESTABLISHED and after.
//   time-wait          a loopback connection the client closes first: its end enters TIME_WAIT.
//                      Prints the TcpExt.TW delta once the close handshake is done.
//   blackhole PORT     connect to PORT on loopback, send 1000 bytes the test's iptables rule
//                      drops, wait for 3 retransmissions. Prints the OutSegs and RetransSegs deltas.
import { readFileSync } from 'node:fs';
import * as net from 'node:net';

function tcp(file = '/proc/net/snmp', group = 'Tcp:'): Record<string, number> {
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith(group));
  const names = (lines[0] ?? '').trim().split(/\s+/).slice(1);
  const values = (lines[1] ?? '').trim().split(/\s+/).slice(1).map(Number);
  return Object.fromEntries(names.map((n, i) => [n, values[i] ?? NaN]));
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function listen(port: number, onConn: (s: net.Socket) => void): Promise<net.Server> {
  return new Promise((resolve) => {
    const server = net.createServer({ allowHalfOpen: true }, onConn);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true }, () => resolve(s));
    s.once('error', reject);
  });
}

async function closeWait(): Promise<void> {
  let onAccept: (s: net.Socket) => void = () => {};
  const accepted = new Promise<net.Socket>((r) => {
    onAccept = r;
  });
  const server = await listen(0, (s) => onAccept(s));
  const client = await connect((server.address() as net.AddressInfo).port);
  const serverSide = await accepted;
  await sleep(100);
  const established = tcp()['CurrEstab'];
  const gotFin = new Promise<void>((r) => client.once('end', r));
  client.resume();
  serverSide.end(); // FIN from the server: the client end moves to CLOSE_WAIT and stays there
  await gotFin;
  await sleep(100);
  const closeWaitCount = tcp()['CurrEstab'];
  process.stdout.write(JSON.stringify({ established, closeWait: closeWaitCount }) + '\n');
  process.exit(0);
}

async function timeWait(): Promise<void> {
  const ext = (): number => tcp('/proc/net/netstat', 'TcpExt:')['TW'] ?? NaN;
  let onClosed: () => void = () => {};
  const closed = new Promise<void>((r) => {
    onClosed = r;
  });
  const server = await listen(0, (s) => {
    s.resume();
    s.on('end', () => s.end());
    s.on('close', onClosed);
  });
  const before = ext();
  const client = await connect((server.address() as net.AddressInfo).port);
  client.resume();
  client.end(); // the client closes first, so its end is the one that waits
  await closed;
  await new Promise<void>((r) => (client.closed ? r() : client.once('close', () => r())));
  await sleep(100);
  process.stdout.write(JSON.stringify({ tw: ext() - before }) + '\n');
  process.exit(0);
}

async function blackhole(port: number): Promise<void> {
  await listen(port, (s) => {
    s.resume();
  });
  const client = await connect(port);
  client.on('error', () => {
    /* the connection may time out after the test is done */
  });
  await sleep(100);
  const before = tcp();
  client.write(Buffer.alloc(1000, 120));
  for (let i = 0; i < 300; i++) {
    await sleep(100);
    if ((tcp()['RetransSegs'] ?? 0) - (before['RetransSegs'] ?? 0) >= 3) break;
  }
  const after = tcp();
  const d = (k: string): number => (after[k] ?? NaN) - (before[k] ?? NaN);
  process.stdout.write(JSON.stringify({ outSegs: d('OutSegs'), retransSegs: d('RetransSegs') }) + '\n');
  process.exit(0);
}

const [mode, arg] = process.argv.slice(2);
if (mode === 'close-wait') void closeWait();
else if (mode === 'time-wait') void timeWait();
else if (mode === 'blackhole') void blackhole(Number(arg));
else {
  process.stderr.write('usage: tcp-probes close-wait | time-wait | blackhole PORT\n');
  process.exit(2);
}
