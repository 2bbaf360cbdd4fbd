// Which counters the Graphs pane's default charts draw: the dashboard names no counter itself.
/** Retransmitted segments (the retransmit chart; the ratio is RETRANS_PARTS in derived.ts). */
export const CHART_RETRANS = 'Tcp.RetransSegs';
/** Drops and discards beside the interfaces' DRP/OVR/ERR: [counter, its short label]. */
export const CHART_DISCARDS: readonly (readonly [string, string])[] = [
  ['Ip.InDiscards', 'Ip.InDiscards'],
  ['Udp.RcvbufErrors', 'Udp.RcvbufErrors'],
  ['TcpExt.ListenDrops', 'ListenDrops'],
];
/** ICMP error messages (destination unreachable, time exceeded, parameter problem, source
 *  quench) and the broken or unsent ones, received and sent. */
export const CHART_ICMP_ERRORS_IN: readonly string[] = [
  'Icmp.InDestUnreachs',
  'Icmp.InTimeExcds',
  'Icmp.InParmProbs',
  'Icmp.InSrcQuenchs',
  'Icmp.InErrors',
];
export const CHART_ICMP_ERRORS_OUT: readonly string[] = [
  'Icmp.OutDestUnreachs',
  'Icmp.OutTimeExcds',
  'Icmp.OutParmProbs',
  'Icmp.OutSrcQuenchs',
  'Icmp.OutErrors',
];
