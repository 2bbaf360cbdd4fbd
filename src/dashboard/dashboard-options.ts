// What the dashboard needs from the command line: the first view (selection and columns) and
// the sampling cadence. The CLI's Options is a superset.
import type { ConnOptions } from '../names/netstat-notation.js';
import type { SocketSelection } from '../names/netstat-selection.js';

export interface DashboardOptions extends SocketSelection, ConnOptions {
  /** Seconds between samples; null: the default. */
  interval: number | null;
  /** Leave after this many samples. */
  count: number | null;
}
