// Whether a run is a one-shot text print of the live kernel, the kind print/tcp-direct.ts may
// answer straight from the kernel's dump. run() asks it, and so does the start-up snapshot's
// entry (snapshot-main.ts), which answers such runs itself and hands every other to run().
import type { Options } from './options.js';

/** A text print of one read of the live kernel (no interval, recording or endpoint, not the
 *  dashboard), whose tables come through netlink: what printDirectTcp may print. */
export function directCandidate(
  o: Options,
  env: Readonly<Record<string, string | undefined>>,
  stdoutTty: boolean,
  stdinTty: boolean,
): boolean {
  const onScreen = o.mode === 'auto' && stdoutTty && stdinTty;
  return (
    (o.mode === 'print' || (o.mode === 'auto' && !onScreen)) &&
    o.interval === null &&
    o.count === null &&
    o.replay === null &&
    o.record === null &&
    o.serve === null &&
    env['NETDASH_INET_SOURCE'] !== 'proc' &&
    env['NETDASH_PRINT_DIRECT'] !== '0'
  );
}
