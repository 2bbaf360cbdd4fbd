// Run inside a test's network namespace: opens a known set of sockets, prints one JSON
// "ready" line, and keeps them open until killed.
import * as net from 'node:net';
import * as dgram from 'node:dgram';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function listen(server: net.Server, port: number, host: string): Promise<void> {
  return new Promise((r) => server.listen({ port, host, ipv6Only: host === '::1' }, () => r()));
}

function connect(port: number, host: string, localAddress?: string): Promise<net.Socket> {
  return new Promise((r) => {
    const s = net.connect({ port, host, ...(localAddress ? { localAddress } : {}) }, () => r(s));
  });
}

function connectPath(path: string): Promise<net.Socket> {
  return new Promise((r) => {
    const s = net.connect(path, () => r(s));
  });
}

async function main(): Promise<void> {
  const keep: unknown[] = [];
  const accepted: net.Socket[] = [];
  const mk = (): net.Server => net.createServer((s) => accepted.push(s));
  const servers = [mk(), mk(), mk(), mk()];
  await listen(servers[0]!, 5001, '0.0.0.0');
  await listen(servers[1]!, 5002, '127.0.0.1');
  await listen(servers[2]!, 5003, '::');
  await listen(servers[3]!, 5004, '::1');
  keep.push(await connect(5002, '127.0.0.1'));
  keep.push(await connect(5003, '127.0.0.1')); // shows as ::ffff:127.0.0.1 on the server side
  keep.push(await connect(5004, '::1'));

  const u4 = dgram.createSocket('udp4');
  await new Promise<void>((r) => u4.bind(5353, '0.0.0.0', () => r()));
  const u6 = dgram.createSocket({ type: 'udp6', ipv6Only: true });
  await new Promise<void>((r) => u6.bind(5354, '::', () => r()));
  const uc = dgram.createSocket('udp4');
  await new Promise<void>((r) => uc.connect(5353, '127.0.0.1', () => r()));
  keep.push(u4, u6, uc);

  const dir = mkdtempSync(join(tmpdir(), 'netdash-world-'));
  const streamPath = join(dir, 'stream.sock');
  const us = net.createServer((s) => accepted.push(s));
  await new Promise<void>((r) => us.listen(streamPath, () => r()));
  keep.push(await connectPath(streamPath));
  const abs = net.createServer((s) => accepted.push(s));
  await new Promise<void>((r) => abs.listen('\0netdash-abstract', () => r()));
  keep.push(us, abs, ...servers);

  process.stdout.write(JSON.stringify({ pid: process.pid, dir, streamPath }) + '\n');
  setInterval(() => {
    /* stay alive until killed */
  }, 60_000);
  // Accepted connections must stay referenced too.
  keep.push(accepted);
}

void main();
