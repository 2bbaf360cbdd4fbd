// What the printers need from the command line: the selection, netstat's column flags, and
// the output mode. The CLI's Options is a superset.
import type { ConnOptions } from '../names/netstat-notation.js';
import type { SocketSelection } from '../names/netstat-selection.js';

export interface PrintOptions extends SocketSelection, ConnOptions {
  mode: 'auto' | 'print' | 'json';
  verbose: boolean;
}
