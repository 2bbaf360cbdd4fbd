// Run inside a network namespace: reads every inet table through /proc and through netlink
// sock_diag, back to back, and prints both as one JSON document (for test/sock-diag.test.ts).
import type { InetProto, InetSocket, SourceResult } from '../../src/model.js';
import { INET_PROTOS, readInetSockets } from '../../src/sources/inet-sockets.js';
import { kernelFs } from '../../src/sources/kernel-fs.js';
import { dumpInetSockets, LISTEN_STATES, sharedSockDiag } from '../../src/sources/sock-diag.js';

type Side = Partial<Record<InetProto, SourceResult<InetSocket[]> | null>>;

async function main(): Promise<void> {
  const kfs = kernelFs('/');
  const available = sharedSockDiag() !== null;
  const proc: Side = {};
  const netlink: Side = {};
  for (const p of INET_PROTOS) {
    // Twice /proc around netlink: a row that changed in between (a probe timer counting its
    // probes) shows up as a /proc disagreement, and the three reads are taken again.
    for (let attempt = 0; ; attempt++) {
      const before = await readInetSockets(kfs, p);
      const nl = await dumpInetSockets(p);
      const after = await readInetSockets(kfs, p);
      const still = JSON.stringify(strip(before)) === JSON.stringify(strip(after));
      if (still || attempt === 9) {
        netlink[p] = nl;
        proc[p] = still ? before : { ok: false, error: 'changed while read' };
        break;
      }
    }
  }
  const listening = await dumpInetSockets('tcp', LISTEN_STATES);
  sharedSockDiag()?.close();
  process.stdout.write(JSON.stringify({ available, proc, netlink, listening }) + '\n');
}

/** Timer expiry counts down between reads; everything else must hold still. */
function strip(r: SourceResult<InetSocket[]>): unknown {
  return r.ok ? r.value.map((s) => ({ ...s, timer: { ...s.timer, expires: 0 } })) : r;
}

void main();
