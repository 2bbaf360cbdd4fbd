// Run inside a network namespace: reads every inet table through /proc and through netlink
// sock_diag, back to back, and prints both as one JSON document (for test/sock-diag.test.ts).
import type { InetProto, InetSocket, SourceResult } from '../../src/model.js';
import { INET_PROTOS, readInetSockets } from '../../src/sources/inet-sockets.js';
import { kernelFs } from '../../src/sources/kernel-fs.js';
import { dumpInetSockets, dumpTcpBothFamilies, LISTEN_STATES, sharedSockDiag } from '../../src/sources/sock-diag.js';
import { readSnapshot } from '../../src/sources/snapshot.js';

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
  // Both TCP families from one dump, between two per-family reads that agree.
  let bothFamilies: Awaited<ReturnType<typeof dumpTcpBothFamilies>> = null;
  let bothAround: Side = {};
  for (let attempt = 0; attempt < 10; attempt++) {
    const before = { tcp: await dumpInetSockets('tcp'), tcp6: await dumpInetSockets('tcp6') };
    bothFamilies = await dumpTcpBothFamilies();
    const after = { tcp: await dumpInetSockets('tcp'), tcp6: await dumpInetSockets('tcp6') };
    bothAround = before;
    if (
      JSON.stringify([before.tcp, before.tcp6].map((r) => r && strip(r))) ===
      JSON.stringify([after.tcp, after.tcp6].map((r) => r && strip(r)))
    )
      break;
  }
  // How many dumps a snapshot of both TCP tables asks for.
  const diag = sharedSockDiag();
  const sent = diag?.requests ?? 0;
  await readSnapshot(kfs, {
    inet: ['tcp', 'tcp6'],
    unix: false,
    owners: false,
    interfaces: false,
    counters: false,
    routes4: false,
    routes6: false,
    conntrack: false,
  });
  const snapshotRequests = (diag?.requests ?? 0) - sent;
  diag?.close();
  process.stdout.write(JSON.stringify({ available, proc, netlink, listening, bothFamilies, bothAround, snapshotRequests }) + '\n');
}

/** Timer expiry counts down between reads; everything else must hold still. */
function strip(r: SourceResult<InetSocket[]>): unknown {
  return r.ok ? r.value.map((s) => ({ ...s, timer: { ...s.timer, expires: 0 } })) : r;
}

void main();
