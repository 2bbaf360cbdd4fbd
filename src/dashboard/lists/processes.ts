// The Processes pane (nethogs-like): each process's sockets summed, from tcp_info deltas and
// the owner scan. Enter lists its connections.
import type { FlowAggregate } from '../../sampler/flow-aggregates.js';
import { printable } from '../escape.js';
import { GROUP_SORT, groupDetail, groupEmpty, groupFormat, groupList } from './flow-groups.js';
import { pane } from './pane-spec.js';

const name = (g: FlowAggregate): string => `${g.pid ?? ''}/${g.program ?? ''}`;

export const processesPane = pane<FlowAggregate>({
  title: 'Processes',
  short: 'procs',
  sortColumns: GROUP_SORT,
  list: (c) => groupList(c, c.sample?.aggregates?.processes, name),
  format: (c, width) => groupFormat(c, width, { title: 'PID/Program', width: 24, align: 'left', value: (g) => printable(name(g)) }),
  empty: (c) => groupEmpty(c, 'processes with sockets'),
  detail: (c, g) => groupDetail(c, g, printable(`Process        ${g.program ?? '?'} (pid ${g.pid ?? '?'})`)),
});
