// A DNS server for tests, run inside a namespace on 127.0.0.1:53 (UDP). Modes:
//   blackhole       reads every query and never answers (a resolver that is unreachable or hung)
//   ptr <hex>       answers every PTR query with the name whose labels are the hex-encoded bytes
//                   given (dot-separated), so a test controls every byte of the answer
// Prints a JSON ready line, then one JSON line {"query": name, "type": n} per query received.
import * as dgram from 'node:dgram';

const [mode = 'blackhole', arg = ''] = process.argv.slice(2);

/** The question of a query: its name (dotted) and where the question section ends. */
function question(msg: Buffer): { name: string; type: number; end: number } | null {
  let i = 12;
  const labels: string[] = [];
  while (i < msg.length) {
    const len = msg[i] ?? 0;
    if (len === 0) {
      i++;
      break;
    }
    if (len > 63) return null;
    labels.push(msg.subarray(i + 1, i + 1 + len).toString('latin1'));
    i += 1 + len;
  }
  if (i + 4 > msg.length) return null;
  return { name: labels.join('.'), type: msg.readUInt16BE(i), end: i + 4 };
}

/** The answer name's wire form: each label as raw bytes. */
function encodeName(hexLabels: string): Buffer {
  const parts: Buffer[] = [];
  for (const hex of hexLabels.split('.')) {
    const b = Buffer.from(hex, 'hex');
    parts.push(Buffer.of(b.length), b);
  }
  parts.push(Buffer.of(0));
  return Buffer.concat(parts);
}

const sock = dgram.createSocket('udp4');
sock.on('message', (msg, rinfo) => {
  const q = question(msg);
  process.stdout.write(JSON.stringify({ query: q?.name ?? null, type: q?.type ?? null }) + '\n');
  if (mode !== 'ptr' || !q || q.type !== 12) return;
  const rdata = encodeName(arg);
  const header = Buffer.alloc(12);
  msg.copy(header, 0, 0, 2); // id
  header.writeUInt16BE(0x8180, 2); // response, recursion desired and available, no error
  header.writeUInt16BE(1, 4); // one question
  header.writeUInt16BE(1, 6); // one answer
  const answer = Buffer.alloc(12);
  answer.writeUInt16BE(0xc00c, 0); // the name of the question
  answer.writeUInt16BE(12, 2); // PTR
  answer.writeUInt16BE(1, 4); // IN
  answer.writeUInt32BE(60, 6); // TTL
  answer.writeUInt16BE(rdata.length, 10);
  sock.send(Buffer.concat([header, msg.subarray(12, q.end), answer, rdata]), rinfo.port, rinfo.address);
});
sock.bind(53, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ ready: true, pid: process.pid }) + '\n');
});
