// Run inside a test's network namespace: prints the TCP tables with the direct path
// (print/tcp-direct.ts) and with the general one (a snapshot, then printChunks), general before
// and after, for each set of flags given, and writes the texts as one JSON line. Two general
// reads that agree tell the table held still while the direct one was taken.
// Usage: node print-direct-probe.js FLAGS...   (each argument one set, e.g. "-tan" "-tln")
import { parseOptions } from '../../src/cli/options.js';
import type { NameContext } from '../../src/names/netstat-notation.js';
import { printChunks, wantFor } from '../../src/print/render-print.js';
import { directTcpFits, printDirectTcp } from '../../src/print/tcp-direct.js';
import { kernelFs } from '../../src/sources/kernel-fs.js';
import { keepRowsBetweenDumps } from '../../src/sources/sock-diag.js';
import { readSnapshot } from '../../src/sources/snapshot.js';

const NAMES: NameContext = { services: new Map(), users: new Map(), hostName: () => undefined, owners: null };

async function main(): Promise<void> {
  keepRowsBetweenDumps(false);
  const kfs = kernelFs('/');
  const out: { flags: string; fits: boolean; code: number | null; direct: string; general: string[]; warnings: string[] }[] = [];
  for (const flags of process.argv.slice(2)) {
    const o = parseOptions(['--print', ...flags.split(' ')]);
    const general = async (): Promise<string> => [...printChunks(o, await readSnapshot(kfs, wantFor(o)), NAMES)].join('');
    const before = await general();
    const parts: Buffer[] = [];
    const warnings: string[] = [];
    const sink = {
      writableLength: 0,
      write(b: Buffer) {
        parts.push(Buffer.from(b));
        return true;
      },
    } as unknown as NodeJS.WritableStream;
    const code = await printDirectTcp(kfs, o, sink, (m) => warnings.push(m));
    const after = await general();
    out.push({ flags, fits: directTcpFits(o), code, direct: Buffer.concat(parts).toString('latin1'), general: [before, after], warnings });
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}

void main();
