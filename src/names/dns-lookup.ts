// Reverse DNS through c-ares, bounded by a timeout per lookup.
import { promises as dnsp } from 'node:dns';

/** A reverse lookup; `cancel` (when present) abandons every lookup still running. */
export type PtrLookup = ((addr: string) => Promise<string[]>) & { cancel?: () => void };

export function dnsPtrLookup(timeoutMs: number): PtrLookup {
  const resolver = new dnsp.Resolver({ timeout: timeoutMs, tries: 1 });
  const lookup: PtrLookup = (addr) => resolver.reverse(addr);
  lookup.cancel = () => resolver.cancel();
  return lookup;
}
