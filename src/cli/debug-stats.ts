// NETDASH_DEBUG_STATS=FILE: process statistics once a second, for the soak test.
import { appendFileSync } from 'node:fs';

function listenerTotal(e: NodeJS.EventEmitter): number {
  return e.eventNames().reduce((n, name) => n + e.listenerCount(name), 0);
}

/** One NDJSON line per second: memory, live timers and handles by type, listeners on the
 *  process and the terminal streams, cache sizes. Written synchronously; the timer is unref'd.
 *  Under `node --expose-gc` a full collection runs first, so `rss` and `heapUsed` show what is
 *  really kept rather than where the garbage collector's sawtooth happens to be. */
export function startDebugStats(file: string, debugCaches: Readonly<Record<string, () => number>>): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  const write = (): void => {
    gc?.();
    const types: Record<string, number> = {};
    for (const r of process.getActiveResourcesInfo()) types[r] = (types[r] ?? 0) + 1;
    const caches: Record<string, number> = {};
    for (const [k, f] of Object.entries(debugCaches)) caches[k] = f();
    const m = process.memoryUsage();
    const line = {
      time: Date.now(),
      rss: m.rss,
      heapUsed: m.heapUsed,
      external: m.external,
      arrayBuffers: m.arrayBuffers,
      resources: types,
      listeners: { process: listenerTotal(process), stdin: listenerTotal(process.stdin), stdout: listenerTotal(process.stdout) },
      caches,
    };
    try {
      appendFileSync(file, JSON.stringify(line) + '\n');
    } catch {
      // a debugging aid must not take the program down
    }
  };
  setInterval(write, 1000).unref();
}
