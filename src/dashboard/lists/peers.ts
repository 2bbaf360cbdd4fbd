// The Peers pane: connections summed per remote host (IPv4-mapped IPv6 joins its IPv4
// address), like iftop's hosts but from the kernel's own per-connection counters.
import type { FlowAggregate } from '../../sampler/flow-aggregates.js';
import { printable } from '../escape.js';
import { GROUP_SORT, groupDetail, groupEmpty, groupFormat, groupList } from './flow-groups.js';
import { pane } from './pane-spec.js';

const name = (g: FlowAggregate): string => g.addr ?? g.key;

export const peersPane = pane<FlowAggregate>({
  title: 'Peers',
  short: 'peers',
  sortColumns: GROUP_SORT,
  list: (c) => groupList(c, c.sample?.aggregates?.peers, name),
  format: (c, width) =>
    groupFormat(c, width, {
      title: 'Remote host',
      width: 24,
      align: 'left',
      value: (g) => printable(c.ui.numeric ? name(g) : (c.names.hostName(name(g)) ?? name(g))),
    }),
  empty: (c) => groupEmpty(c, 'remote hosts'),
  detail: (c, g) => {
    const host = c.names.hostName(name(g));
    return groupDetail(c, g, printable(`Peer           ${name(g)}${host && host !== name(g) ? ` (${host})` : ''}`));
  },
});
