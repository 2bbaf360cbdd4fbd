// Which sockets and which section a netstat command line asks for, once its flags are resolved.
// The printers, the dashboard's first view and the exporter read the same selection.
import type { InetProto } from '../model.js';

export type Section = 'connections' | 'interfaces' | 'statistics' | 'routes' | 'masquerade' | 'ethernet';

export interface SocketSelection {
  section: Section;
  // Which sockets: netstat's protocol and family selection, already resolved.
  tcp: boolean;
  udp: boolean;
  udplite: boolean;
  raw: boolean;
  unix: boolean;
  inet4: boolean;
  inet6: boolean;
  /** True when the user named any protocol or family (netstat's flag_arg). */
  socketArgs: boolean;
  all: boolean;
  listening: boolean;
}

/** The inet protocol files to read for these options, in netstat's order. */
export function inetProtos(o: SocketSelection): InetProto[] {
  const show = (flag: boolean): boolean => !o.socketArgs || flag;
  const out: InetProto[] = [];
  const add = (flag: boolean, v4: InetProto, v6: InetProto): void => {
    if (!show(flag)) return;
    if (!o.socketArgs || o.inet4) out.push(v4);
    if (!o.socketArgs || o.inet6) out.push(v6);
  };
  add(o.tcp, 'tcp', 'tcp6');
  add(o.udp, 'udp', 'udp6');
  add(o.udplite, 'udplite', 'udplite6');
  add(o.raw, 'raw', 'raw6');
  return out;
}
