// The Prometheus endpoint under a big socket table: builds N loopback TCP sockets in a network
// namespace (as run.ts does), runs `netdash --serve -p` there and scrapes it. Prints the
// exposition's size and series count, and the time of a scrape that renders a new sample and
// of one served from the cache.
//   npm run build && node dist/test/bench/serve-scrape.js [--sockets 50000] [--scrapes 10]
// As root (network namespaces). Figures, not assertions: the README quotes them.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Netns } from '../helpers/netns.js';
import { spawnLoad } from './loads.js';

const DIST = fileURLToPath(new URL('../../', import.meta.url));
const NODE = process.execPath;

/** Inside the namespace: waits for each new sample (the timestamp line changes), then times
 *  the first GET after it (a render) and a second one (the cache). */
const SCRAPER = `
const http = require('node:http');
const n = Number(process.argv[1]);
const get = () => new Promise((resolve, reject) => {
  const t0 = performance.now();
  http.get('http://127.0.0.1:9100/metrics', (res) => {
    const chunks = []; res.on('data', (d) => chunks.push(d));
    res.on('end', () => resolve({ ms: performance.now() - t0, body: Buffer.concat(chunks).toString() }));
  }).on('error', reject);
});
const stamp = (b) => /^netdash_sample_timestamp_seconds (.*)$/m.exec(b)?.[1];
(async () => {
  let last = stamp((await get()).body);
  const fresh = [], cached = [];
  let body = '';
  while (fresh.length < n) {
    await new Promise((r) => setTimeout(r, 50));
    const a = await get();
    if (stamp(a.body) === last) continue;
    last = stamp(a.body);
    fresh.push(a.ms);
    cached.push((await get()).ms);
    body = a.body;
  }
  const series = body.split('\\n').filter((l) => l && !l.startsWith('#')).length;
  console.log(JSON.stringify({ fresh, cached, bytes: Buffer.byteLength(body), series, body: body.split('\\n').filter((l) => /^netdash_sockets|^netdash_process_sockets|listen_queue_length\\{proto="other"/.test(l)).join('\\n') }));
})();
`;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { sockets: { type: 'string' }, scrapes: { type: 'string' } } });
  const sockets = Number(values.sockets ?? '50000');
  const scrapes = Number(values.scrapes ?? '10');
  const ns = await Netns.create('servebench');
  try {
    await spawnLoad(ns, sockets);
    const nd = ns.spawn('sh', [path.join(DIST, 'src/cli.js'), '--serve', '127.0.0.1:9100', '-p', '--interval', '2']);
    nd.stdout?.resume();
    await new Promise((r) => setTimeout(r, 5000));
    const r = await ns.exec(NODE, ['-e', SCRAPER, String(scrapes)]);
    if (r.code !== 0) throw new Error(r.stderr);
    const out = JSON.parse(r.stdout) as { fresh: number[]; cached: number[]; bytes: number; series: number; body: string };
    process.stdout.write(
      `${sockets} sockets: exposition ${out.bytes} bytes, ${out.series} series\n` +
        `scrape after a new sample (render): median ${median(out.fresh).toFixed(1)} ms, max ${Math.max(...out.fresh).toFixed(1)} ms\n` +
        `scrape from the cache: median ${median(out.cached).toFixed(1)} ms, max ${Math.max(...out.cached).toFixed(1)} ms\n${out.body}\n`,
    );
  } finally {
    await ns.destroy();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`serve-scrape: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
