// Interface counters: the 16 columns of /proc/net/dev and /sys/class/net/<if>/statistics/
// rx_nohandler, keyed 'if.<name>.<field>' (the name may contain dots).
import { fact } from './define.js';
import type { CounterFact, Text } from './types.js';

const SOURCE =
  'include/uapi/linux/if_link.h struct rtnl_link_stats64 (field comments); /proc/net/dev from net/core/net-procfs.c dev_seq_printf_stats';

export const IF_TEXT: Readonly<Record<string, Text>> = {
  rxBytes: {
    meaning: 'Bytes received on this interface.',
  },
  rxPackets: {
    meaning: 'Packets received on this interface without error (RX-OK).',
  },
  rxErrs: {
    meaning: 'Received packets with errors (RX-ERR): bad CRC, wrong length, frame or FIFO problems.',
    rising: 'Check cables, transceivers, duplex and speed negotiation, and the NIC driver; ethtool -S gives the details.',
  },
  rxDrop: {
    meaning:
      'Received frames the kernel dropped although they arrived intact (RX-DRP, rx_dropped): no protocol handler for their EtherType, larger than the MTU of a veth or similar virtual receiver, the per-CPU backlog full (net.core.netdev_max_backlog), or the driver out of buffers. Firewall (netfilter) drops are not counted here.',
    rising:
      'Look for unknown protocols or VLAN tags on the wire (tcpdump -e), MTU mismatches between the two ends of a veth or bridge, and softirq CPU load against netdev_max_backlog.',
    source:
      'net/core/dev.c __netif_receive_skb_core (no handler), __dev_forward_skb (MTU), enqueue_to_backlog; measured: ' +
      'test/catalog-kernel.test.ts "RX-DRP counts frames too big for the MTU and unknown EtherTypes"',
  },
  rxFifo: {
    meaning: 'Receive overruns (RX-OVR, rx_fifo_errors): the NIC ring or FIFO was full, so packets were lost before the kernel saw them.',
    rising:
      'Raise the ring size (ethtool -G), spread interrupts over more CPUs (RSS, irqbalance) and check that interrupt and softirq processing get enough CPU.',
  },
  rxFrame: {
    meaning: 'Received frames with alignment or framing errors.',
    rising: 'Physical layer trouble: cabling, a bad port, or duplex mismatch.',
  },
  rxCompressed: {
    meaning: 'Compressed packets received (only some serial and PPP links count these).',
  },
  rxMulticast: {
    meaning: 'Multicast frames received.',
    rising: 'A jump can mean a multicast or broadcast storm on the segment.',
  },
  rxNohandler: {
    meaning:
      'Frames dropped because no handler took them after a bonding or team device asked for exact delivery, typically frames arriving on an inactive bond slave (rx_nohandler). Frames of an unknown EtherType on an ordinary interface are not counted here but in RX-DRP.',
    rising: 'A bond or team slave receives traffic while it is inactive; check the bonding mode and the switch side.',
    source:
      'net/core/dev.c __netif_receive_skb_core (RX_HANDLER_EXACT: rx_nohandler, otherwise rx_dropped); measured: ' +
      'test/catalog-kernel.test.ts "RX-DRP counts frames too big for the MTU and unknown EtherTypes"',
  },
  txBytes: {
    meaning: 'Bytes sent on this interface.',
  },
  txPackets: {
    meaning: 'Packets sent on this interface (TX-OK).',
  },
  txErrs: {
    meaning: 'Packets that failed to transmit (TX-ERR): carrier, FIFO, heartbeat or window errors, aborted transmissions.',
    rising: 'Check link state, duplex mismatch, cabling and the driver statistics from ethtool -S.',
  },
  txDrop: {
    meaning: 'Outgoing packets dropped before transmission (TX-DRP), for example because the device queue was full or the link was down.',
    rising: 'Check txqueuelen and the qdisc, whether the link is down, and whether traffic exceeds the link speed.',
  },
  txFifo: {
    meaning: 'Transmit FIFO errors (TX-OVR): the hardware could not feed data to the wire in time.',
    rising: 'A driver or hardware limit; check ethtool -S and the bus or CPU load.',
  },
  txColls: {
    meaning: 'Collisions detected while sending. On full-duplex links there should be none.',
    rising: 'A half-duplex link or a duplex mismatch with the switch port; fix the negotiation.',
  },
  txCarrier: {
    meaning: 'Transmit failures because the carrier was lost (link down during sending).',
    rising: 'A flapping link: check the cable, transceiver and switch port.',
  },
  txCompressed: {
    meaning: 'Compressed packets sent (only some serial and PPP links count these).',
  },
};

/** The fields netstat -i shows as errors, drops and overruns: hot when they move. */
export const IF_PROBLEM_FIELDS = ['rxErrs', 'rxDrop', 'rxFifo', 'txErrs', 'txDrop', 'txFifo'] as const;
const PROBLEM_FIELDS: ReadonlySet<string> = new Set(IF_PROBLEM_FIELDS);

export const IF_PREFIX = 'if.';

/** 'if.eth0.100.rxDrop' → the facts of rxDrop on eth0.100; null for an unknown field. */
export function interfaceFact(key: string): CounterFact | null {
  if (!key.startsWith(IF_PREFIX)) return null;
  const rest = key.slice(IF_PREFIX.length);
  const dot = rest.lastIndexOf('.');
  if (dot <= 0) return null;
  const name = rest.slice(0, dot);
  const field = rest.slice(dot + 1);
  const text = Object.prototype.hasOwnProperty.call(IF_TEXT, field) ? IF_TEXT[field] : undefined;
  if (!text) return null;
  return fact(key, `${field} on ${name}`, PROBLEM_FIELDS.has(field) ? { problem: true } : {}, text, SOURCE);
}
