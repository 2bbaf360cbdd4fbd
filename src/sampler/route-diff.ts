// Routes added and removed between ticks.
import type { Route4, Route6 } from '../model.js';

export function route4Key(r: Route4): string {
  return `inet|${r.destination}/${r.mask}|${r.gateway}|${r.iface}|${r.metric}|${r.flags}`;
}

export function route6Key(r: Route6): string {
  return `inet6|${r.destination}/${r.destPrefix}|${r.source}/${r.sourcePrefix}|${r.nextHop}|${r.iface}|${r.metric}|${r.flags}`;
}

export interface RouteDiff {
  added: string[];
  removed: string[];
}

export function diffKeys(prev: ReadonlySet<string> | null, cur: ReadonlySet<string>): RouteDiff {
  const d: RouteDiff = { added: [], removed: [] };
  if (!prev) return d;
  for (const k of cur) if (!prev.has(k)) d.added.push(k);
  for (const k of prev) if (!cur.has(k)) d.removed.push(k);
  return d;
}
