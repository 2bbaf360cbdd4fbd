// Address → host name. /etc/hosts answers at once; reverse DNS runs in the background through
// c-ares (not libuv's thread pool, which file reads share), is bounded by a timeout, and is
// cached with a size limit. Nothing ever waits on a lookup longer than its caller allows.
import { LRUCache } from 'lru-cache';
import { readOptional, type KernelFs } from '../sources/kernel-fs.js';
import type { PtrLookup } from './dns-lookup.js';
// The resolver is its own module, so that the entry point can load it without the cache.
export { dnsPtrLookup, type PtrLookup } from './dns-lookup.js';

export function parseHosts(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const f = raw.replace(/#.*/, '').trim().split(/\s+/);
    const [addr, name] = f;
    if (!addr || !name) continue;
    if (!out.has(addr)) out.set(addr, name);
  }
  return out;
}

export async function loadHosts(kfs: KernelFs): Promise<Map<string, string>> {
  return readOptional(kfs, 'etc/hosts', parseHosts, new Map<string, string>());
}

export interface HostNamesOptions {
  hosts: ReadonlyMap<string, string>;
  lookup: PtrLookup | null;
  timeoutMs?: number;
  maxEntries?: number;
  ttlMs?: number;
  maxInFlight?: number;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('timeout')), ms);
    t.unref();
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}

export class HostNames {
  // '' records a failed lookup so that an unresolvable address is not asked again every tick.
  private readonly cache: LRUCache<string, string>;
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly queue: string[] = [];
  private readonly timeoutMs: number;
  private readonly maxInFlight: number;
  private closed = false;
  /** Called when a lookup finished with a name, so a view can redraw. */
  onResolved: (() => void) | null = null;

  constructor(private readonly opts: HostNamesOptions) {
    this.timeoutMs = opts.timeoutMs ?? 2000;
    this.maxInFlight = opts.maxInFlight ?? 16;
    this.cache = new LRUCache({ max: opts.maxEntries ?? 4096, ttl: opts.ttlMs ?? 10 * 60_000 });
  }

  /** The name for an address if known now; starts a background lookup otherwise. */
  name(addr: string): string | undefined {
    const key = addr.startsWith('::ffff:') && addr.includes('.') ? addr.slice(7) : addr;
    const fromHosts = this.opts.hosts.get(key) ?? this.opts.hosts.get(addr);
    if (fromHosts !== undefined) return fromHosts;
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached === '' ? undefined : cached;
    this.request(key);
    return undefined;
  }

  /** Start lookups for all addresses and wait until they finish or the deadline passes. */
  async settle(addrs: Iterable<string>, deadlineMs: number): Promise<void> {
    for (const a of addrs) this.name(a);
    if (this.inFlight.size === 0 && this.queue.length === 0) return;
    const all = (async () => {
      while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight.values()]);
    })();
    // The deadline timer is not unref'd: it is what keeps the process alive to print.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      all,
      new Promise<void>((r) => {
        timer = setTimeout(r, deadlineMs);
      }),
    ]);
    clearTimeout(timer);
  }

  get size(): number {
    return this.cache.size;
  }

  /** Stop: queued lookups are dropped and running ones cancelled, so a query to a resolver
   *  that never answers does not keep the process alive once the output is written. */
  close(): void {
    this.closed = true;
    this.queue.length = 0;
    this.opts.lookup?.cancel?.();
  }

  get pending(): number {
    return this.inFlight.size + this.queue.length;
  }

  private request(addr: string): void {
    if (this.closed || !this.opts.lookup || this.inFlight.has(addr) || this.queue.includes(addr)) return;
    if (this.inFlight.size >= this.maxInFlight) {
      // The queue is bounded too: under a flood of new addresses the oldest requests are dropped.
      if (this.queue.length >= this.maxInFlight * 16) this.queue.shift();
      this.queue.push(addr);
      return;
    }
    const lookup = this.opts.lookup;
    const p = withTimeout(lookup(addr), this.timeoutMs)
      .then(
        (names) => {
          const n = names[0] ?? '';
          this.cache.set(addr, n);
          if (n && this.onResolved) this.onResolved();
        },
        () => {
          this.cache.set(addr, '');
        },
      )
      .finally(() => {
        this.inFlight.delete(addr);
        const next = this.queue.shift();
        if (next !== undefined) this.request(next);
      });
    this.inFlight.set(addr, p);
  }
}
