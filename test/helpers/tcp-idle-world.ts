// Run inside a test's network namespace: a listener on 127.0.0.1 and ::1 and `n` connections
// to it (each family), each sending a different number of bytes each way, then idle. Prints
// {"ready":true,"port":p,"written":{"<local port>":bytes}} once every byte was read by its peer.
// Usage: node tcp-idle-world.js [n]
import * as net from 'node:net';

const n = Number(process.argv[2] ?? '4');
const keep: net.Socket[] = [];

function listen(host: string): Promise<net.Server> {
  return new Promise((resolve) => {
    const server = net.createServer((s) => {
      keep.push(s);
      let want = -1,
        got = 0;
      s.on('data', (d: Buffer) => {
        if (want < 0) {
          want = d.readUInt32BE(0);
        }
        got += d.length;
        if (got === want) s.write(Buffer.alloc(want >> 1, 0x41));
      });
    });
    server.listen(0, host, () => resolve(server));
  });
}

async function main(): Promise<void> {
  const v4 = await listen('127.0.0.1');
  const v6 = await listen('::1');
  const written: Record<string, number> = {};
  const jobs: Promise<void>[] = [];
  for (const [host, server] of [
    ['127.0.0.1', v4],
    ['::1', v6],
  ] as const) {
    const port = (server.address() as net.AddressInfo).port;
    for (let i = 0; i < n; i++) {
      const bytes = 10_000 + i * 37_001;
      jobs.push(
        new Promise<void>((resolve) => {
          const s = net.connect({ host, port }, () => {
            const b = Buffer.alloc(bytes, 0x5a);
            b.writeUInt32BE(bytes, 0);
            s.write(b);
            written[String(s.localPort)] = bytes;
          });
          keep.push(s);
          let got = 0;
          s.on('data', (d: Buffer) => {
            got += d.length;
            if (got === bytes >> 1) resolve();
          });
        }),
      );
    }
  }
  await Promise.all(jobs);
  process.stdout.write(JSON.stringify({ ready: true, port: (v4.address() as net.AddressInfo).port, written }) + '\n');
}

void main();
