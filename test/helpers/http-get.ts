// Run inside a test's network namespace: one HTTP(S) GET, printed as one JSON line
// {status, headers, body} (or {error}). Usage:
//   node http-get.js URL [--accept TYPE] [--user NAME:PASSWORD] [--ca FILE]
import * as http from 'node:http';
import * as https from 'node:https';
import { readFileSync } from 'node:fs';

const [url = '', ...rest] = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = rest.indexOf(name);
  return i >= 0 ? rest[i + 1] : undefined;
};
const headers: Record<string, string> = {};
const accept = opt('--accept');
if (accept !== undefined) headers['Accept'] = accept;
const user = opt('--user');
if (user !== undefined) headers['Authorization'] = `Basic ${Buffer.from(user).toString('base64')}`;
const ca = opt('--ca');
const get = url.startsWith('https:') ? https.get : http.get;
const req = get(url, { headers, ...(ca !== undefined ? { ca: readFileSync(ca) } : {}) }, (res) => {
  const chunks: Buffer[] = [];
  res.on('data', (d: Buffer) => chunks.push(d));
  res.on('end', () => {
    process.stdout.write(
      JSON.stringify({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }) + '\n',
    );
  });
});
req.on('error', (err) => {
  process.stdout.write(JSON.stringify({ error: err.message }) + '\n');
});
req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
