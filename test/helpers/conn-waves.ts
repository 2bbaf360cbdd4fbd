// Run inside a test's network namespace: waves of TCP connections on 127.0.0.1 that stay open
// long enough for a sampler to see them, then close. Each wave opens `count` connections (two
// sockets each), holds them `holdMs`, closes them and waits `holdMs`. Prints {"wave": i} after
// each wave and {"done": true} at the end. Usage: node conn-waves.js port count waves holdMs
import * as net from 'node:net';

const [port = '9200', countArg = '400', wavesArg = '3', holdArg = '1500'] = process.argv.slice(2);
const count = Number(countArg),
  waves = Number(wavesArg),
  holdMs = Number(holdArg);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const accepted: net.Socket[] = [];
const server = net.createServer((s) => {
  s.on('error', () => {});
  accepted.push(s);
});

async function main(): Promise<void> {
  await new Promise<void>((res) => server.listen(Number(port), '127.0.0.1', res));
  for (let w = 1; w <= waves; w++) {
    const clients = await Promise.all(
      Array.from(
        { length: count },
        () =>
          new Promise<net.Socket>((res, rej) => {
            const c = net.connect({ port: Number(port), host: '127.0.0.1' }, () => res(c));
            c.on('error', rej);
          }),
      ),
    );
    await sleep(holdMs);
    for (const c of clients) c.resetAndDestroy();
    for (const s of accepted.splice(0)) s.destroy();
    await sleep(holdMs);
    process.stdout.write(JSON.stringify({ wave: w }) + '\n');
  }
  process.stdout.write(JSON.stringify({ done: true }) + '\n');
  server.close();
}

main().catch((e: unknown) => {
  process.stderr.write(`conn-waves: ${String(e)}\n`);
  process.exit(1);
});
