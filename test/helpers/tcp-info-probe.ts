// Run inside a test's network namespace: `ss -tin`, then netdash's TCP tables with tcp_info
// (one sock_diag dump of both families), then `ss -tin` again; prints all three as one JSON
// document (for test/tcp-info.test.ts). Usage: node tcp-info-probe.js
import { execFileSync } from 'node:child_process';
import { dumpTcpBothFamilies } from '../../src/sources/sock-diag.js';

async function main(): Promise<void> {
  const ss = (): string => execFileSync('ss', ['-tin'], { encoding: 'utf8' });
  const before = ss();
  const both = await dumpTcpBothFamilies(undefined, undefined, true);
  const after = ss();
  process.stdout.write(JSON.stringify({ before, after, both }) + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`tcp-info-probe: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
