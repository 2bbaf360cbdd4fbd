// Every pane's list module, by pane id.
import type { PaneId } from '../ui-state.js';
import { connectionsPane } from './connections.js';
import { conntrackPane } from './conntrack.js';
import { countersPane } from './counters.js';
import { eventsPane } from './events.js';
import { icmpPane } from './icmp.js';
import { interfacesPane } from './interfaces.js';
import type { PaneSpec } from './pane-spec.js';
import { routesPane } from './routes.js';
import { unixPane } from './unix.js';

export const PANE_SPECS: Readonly<Record<PaneId, PaneSpec<unknown>>> = {
  connections: connectionsPane, interfaces: interfacesPane, counters: countersPane, icmp: icmpPane,
  routes: routesPane, conntrack: conntrackPane, unix: unixPane, events: eventsPane,
};
