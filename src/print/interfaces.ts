// netstat -i (Kernel Interface table) and the Windows-style netstat -e totals.
import type { CounterGroups, NetInterface } from '../model.js';
import { counterDiff, counterSum, type CounterValue } from '../model/counter-value.js';
import { naturalCompare } from '../text/natural-compare.js';
import { effectiveFlags, flagLetters, IFF } from '../names/netstat-notation.js';
import { cutName, esc, left, right } from './printf.js';

/** An interface name in a 15-column Iface field: escaped, cut with an ellipsis if escaping
 *  made it longer (the kernel's own limit is 15 bytes), whole with -W. */
export function ifaceName(name: string, wide = false): string {
  return wide ? esc(name) : cutName(name, 15);
}

export function interfaceLine(i: NetInterface, wide = false): string {
  const c = i.counters;
  const flags = effectiveFlags(i.sys) ?? 0;
  return (
    `${left(ifaceName(i.name, wide), 15)} ${right(i.sys.mtu ?? 0, 5)} ` +
    `${right(c.rxPackets, 8)} ${right(c.rxErrs, 6)} ${right(c.rxDrop, 6)} ${left(c.rxFifo, 6)} ` +
    `${right(c.txPackets, 8)} ${right(c.txErrs, 6)} ${right(c.txDrop, 6)} ${right(c.txFifo, 6)} ` +
    flagLetters(flags)
  );
}

/** Interfaces in netstat's order (natural name order); down ones only with -a. */
export function visibleInterfaces(ifs: readonly NetInterface[], all: boolean): NetInterface[] {
  return ifs.filter((i) => all || ((effectiveFlags(i.sys) ?? 0) & IFF.UP) !== 0).sort((a, b) => naturalCompare(a.name, b.name));
}

export function formatInterfaces(ifs: readonly NetInterface[], all: boolean, wide = false): string {
  const lines = [
    'Kernel Interface table',
    'Iface             MTU    RX-OK RX-ERR RX-DRP RX-OVR    TX-OK TX-ERR TX-DRP TX-OVR Flg',
    ...visibleInterfaces(ifs, all).map((i) => interfaceLine(i, wide)),
  ];
  return lines.join('\n') + '\n';
}

/** Sums of 64-bit counters, exact (model/counter-value.ts). */
export interface EthernetTotals {
  bytes: [CounterValue, CounterValue];
  unicast: [CounterValue, CounterValue];
  nonUnicast: [CounterValue, CounterValue];
  discards: [CounterValue, CounterValue];
  errors: [CounterValue, CounterValue];
  unknownProtocols: number;
}

/** Windows' "Interface Statistics" from Linux counters, over every non-loopback interface.
 *  Linux has no link-level transmit multicast counter, so sent non-unicast comes from the
 *  IP layer's multicast and broadcast counts (IpExt, Ip6). */
export function ethernetTotals(ifs: readonly NetInterface[], counters: CounterGroups): EthernetTotals {
  const t: EthernetTotals = {
    bytes: [0, 0],
    unicast: [0, 0],
    nonUnicast: [0, 0],
    discards: [0, 0],
    errors: [0, 0],
    unknownProtocols: 0,
  };
  let rxPackets: CounterValue = 0,
    txPackets: CounterValue = 0;
  const add = (pair: [CounterValue, CounterValue], k: 0 | 1, v: CounterValue): void => {
    pair[k] = counterSum(pair[k], v);
  };
  for (const i of ifs) {
    if (((i.sys.flags ?? 0) & IFF.LOOPBACK) !== 0 || i.name === 'lo') continue;
    const c = i.counters;
    add(t.bytes, 0, c.rxBytes);
    add(t.bytes, 1, c.txBytes);
    rxPackets = counterSum(rxPackets, c.rxPackets);
    txPackets = counterSum(txPackets, c.txPackets);
    add(t.nonUnicast, 0, c.rxMulticast);
    add(t.discards, 0, c.rxDrop);
    add(t.discards, 1, c.txDrop);
    add(t.errors, 0, c.rxErrs);
    add(t.errors, 1, c.txErrs);
    t.unknownProtocols += i.sys.rxNohandler ?? 0;
  }
  const ipExt = counters['IpExt'] ?? {},
    ip6 = counters['Ip6'] ?? {};
  const sentNonUnicast = counterSum(counterSum(ipExt['OutMcastPkts'] ?? 0, ipExt['OutBcastPkts'] ?? 0), ip6['OutMcastPkts'] ?? 0);
  t.nonUnicast[1] = sentNonUnicast > txPackets ? txPackets : sentNonUnicast;
  const atLeast0 = (v: CounterValue): CounterValue => (v < 0 ? 0 : v);
  t.unicast = [atLeast0(counterDiff(rxPackets, t.nonUnicast[0])), atLeast0(counterDiff(txPackets, t.nonUnicast[1]))];
  return t;
}

export function formatEthernet(t: EthernetTotals): string {
  const row = (label: string, rx: CounterValue, tx?: CounterValue): string =>
    `${left(label, 21)}${right(rx, 17)}${tx === undefined ? '' : right(tx, 16)}`;
  return (
    [
      'Interface Statistics',
      '',
      `${' '.repeat(27)}Received            Sent`,
      '',
      row('Bytes', t.bytes[0], t.bytes[1]),
      row('Unicast packets', t.unicast[0], t.unicast[1]),
      row('Non-unicast packets', t.nonUnicast[0], t.nonUnicast[1]),
      row('Discards', t.discards[0], t.discards[1]),
      row('Errors', t.errors[0], t.errors[1]),
      row('Unknown protocols', t.unknownProtocols),
    ].join('\n') + '\n'
  );
}
