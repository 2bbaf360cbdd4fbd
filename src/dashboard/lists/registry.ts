// Every pane, in the order of the jump keys 1…n: adding a pane is its module plus one line here.
import { connectionsPane } from './connections.js';
import { conntrackPane } from './conntrack.js';
import { countersPane } from './counters.js';
import { eventsPane } from './events.js';
import { graphsPane } from './graphs.js';
import { icmpPane } from './icmp.js';
import { interfacesPane } from './interfaces.js';
import type { PaneSpec } from './pane-spec.js';
import { peersPane } from './peers.js';
import { processesPane } from './processes.js';
import { routesPane } from './routes.js';
import { unixPane } from './unix.js';

export const PANE_REGISTRY = {
  connections: connectionsPane,
  interfaces: interfacesPane,
  counters: countersPane,
  icmp: icmpPane,
  routes: routesPane,
  conntrack: conntrackPane,
  unix: unixPane,
  events: eventsPane,
  processes: processesPane,
  peers: peersPane,
  graphs: graphsPane,
} as const satisfies Readonly<Record<string, PaneSpec<unknown>>>;

export type PaneId = keyof typeof PANE_REGISTRY;

/** Pane ids in registry order (the jump keys). */
export const PANES: readonly PaneId[] = Object.keys(PANE_REGISTRY) as PaneId[];

export const PANE_SPECS: Readonly<Record<PaneId, PaneSpec<unknown>>> = PANE_REGISTRY;

/** One fact of every pane, by id. */
export function paneTable<V>(f: (spec: PaneSpec<unknown>) => V): Record<PaneId, V> {
  const out = {} as Record<PaneId, V>;
  for (const p of PANES) out[p] = f(PANE_REGISTRY[p]);
  return out;
}
