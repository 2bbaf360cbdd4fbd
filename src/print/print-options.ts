// What the printers need from the command line: the selection, netstat's column flags, and
// the output mode. The CLI's Options is a superset.
import type { ConnOptions } from '../names/netstat-notation.js';
import type { SocketSelection } from '../names/netstat-selection.js';

export interface PrintOptions extends SocketSelection, ConnOptions {
  mode: 'auto' | 'print' | 'json';
  verbose: boolean;
  /** -c: netstat's continuous mode, the same absolute table again (not netdash's deltas). */
  continuous: boolean;
  /** -C: netstat's routing cache (Linux has none since 3.6: -r prints its empty table). */
  cache: boolean;
  /** -e with -s (Windows netstat -e -s): the --ethernet block before the statistics. */
  ethernetToo: boolean;
  /** --info: TCP internals (struct tcp_info, as `ss -tin` prints them) under each TCP row;
   *  in JSON, each connection's tcp_info and its deltas, and the per-process / per-peer sums. */
  info: boolean;
}
