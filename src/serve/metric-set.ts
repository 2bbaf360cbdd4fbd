// One sample turned into metric families for the Prometheus endpoint: plain data, built once
// per sample (not per scrape), every series count bounded. Names follow Prometheus's rules:
// netdash_ prefix, base units, `_total` counters carrying the kernel's cumulative value.
import { counterNumber } from '../model/counter-value.js';
import type { CounterGroups } from '../model.js';
import type { ConntrackEntry, InetSocket, NetInterface, ProcessOwner } from '../model.js';
import { defaultIsGauge } from '../sampler/counter-deltas.js';
import type { Sample } from '../sampler/sample-engine.js';
import { TCP_STATES } from '../names/netstat-notation.js';
import { printable } from '../text/printable.js';

/** The sampler's gauge keys of the eleven TCP states ('gauge.tcp.LISTEN'…). */
const TCP_STATE_KEYS = TCP_STATES.slice(1, 12).map((s) => `gauge.tcp.${s}`);

export type Labels = Record<string, string>;
export interface Series {
  labels: Labels;
  value: number;
}
export interface Family {
  name: string;
  help: string;
  type: 'counter' | 'gauge';
  series: Series[];
}

/** The caps; every family with outside-controlled label values has one. */
export interface Caps {
  /** Interfaces by total bytes; the rest are summed into interface="other". */
  interfaces: number;
  /** TCP listeners by accept-queue length; the rest summed into address="other", port="other". */
  listeners: number;
  /** Programs by socket count; the rest summed into program="other". */
  programs: number;
  /** Conntrack protocol names (kernel-given strings); the rest summed into proto="other". */
  conntrackProtos: number;
  /** Remote addresses by TCP bytes (--info); the rest summed into peer="other". */
  peers: number;
}

export const DEFAULT_CAPS: Caps = { interfaces: 256, listeners: 100, programs: 50, conntrackProtos: 16, peers: 50 };

/** The label value a series gets for what falls outside a cap. */
export const OTHER = 'other';

const TCP_LISTEN = 10;

/** Text from outside as a label value: control bytes escaped as the dashboard shows them
 *  (printable), so the exposition never carries one raw; quotes, backslashes and newlines are
 *  then escaped by the exposition itself. */
export const labelText = (s: string): string => printable(s);

/** A kernel counter group ('TcpExt', 'Ip6', 'MPTcpExt') as part of a metric name. */
export function groupMetricName(group: string): string {
  return `netdash_protocol_${group.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`;
}

/**
 * The `cap` largest entries by `rank` (ties by key), the rest folded into one entry keyed OTHER
 * with `add`. A real key equal to OTHER is folded in too, so there is one such series.
 */
export function capTopN<V>(entries: Map<string, V>, cap: number, rank: (v: V) => number, add: (a: V, b: V) => V): Map<string, V> {
  if (entries.size <= cap && !entries.has(OTHER)) return entries;
  const sorted = [...entries]
    .filter(([k]) => k !== OTHER)
    .sort((a, b) => rank(b[1]) - rank(a[1]) || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out = new Map(sorted.slice(0, cap));
  let rest: V | undefined = entries.get(OTHER);
  for (const [, v] of sorted.slice(cap)) rest = rest === undefined ? v : add(rest, v);
  if (rest !== undefined) out.set(OTHER, rest);
  return out;
}

// --- interfaces ----------------------------------------------------------------------------

/** /proc/net/dev columns → metric names. The FIFO columns are what netstat -i calls RX-OVR and
 *  TX-OVR (overruns). */
const IF_METRICS = [
  ['rxBytes', 'receive_bytes', 'Bytes received'],
  ['rxPackets', 'receive_packets', 'Packets received'],
  ['rxErrs', 'receive_errors', 'Receive errors'],
  ['rxDrop', 'receive_drops', 'Received packets dropped'],
  ['rxFifo', 'receive_overruns', 'Receive FIFO overruns (netstat RX-OVR)'],
  ['txBytes', 'transmit_bytes', 'Bytes transmitted'],
  ['txPackets', 'transmit_packets', 'Packets transmitted'],
  ['txErrs', 'transmit_errors', 'Transmit errors'],
  ['txDrop', 'transmit_drops', 'Transmitted packets dropped'],
  ['txFifo', 'transmit_overruns', 'Transmit FIFO overruns (netstat TX-OVR)'],
] as const;

type IfValues = number[];

function interfaceFamilies(ifs: readonly NetInterface[], cap: number): Family[] {
  const byName = new Map<string, IfValues>();
  for (const i of ifs) {
    const name = labelText(i.name);
    // A name seen twice (a damaged file) keeps its first row: one series per label set.
    if (!byName.has(name))
      byName.set(
        name,
        IF_METRICS.map(([k]) => counterNumber(i.counters[k])),
      );
  }
  const kept = capTopN(
    byName,
    cap,
    (v) => (v[0] ?? 0) + (v[5] ?? 0),
    (a, b) => a.map((x, j) => x + (b[j] ?? 0)),
  );
  return IF_METRICS.map(([, metric, help], j) => ({
    name: `netdash_interface_${metric}_total`,
    help: `${help}, from /proc/net/dev (label interface; beyond ${cap} interfaces the smallest are summed into "${OTHER}")`,
    type: 'counter' as const,
    series: [...kept].map(([name, v]) => ({ labels: { interface: name }, value: v[j] ?? 0 })),
  }));
}

// --- protocol counters ---------------------------------------------------------------------

function protocolFamilies(groups: CounterGroups): Family[] {
  const byName = new Map<string, Family>();
  for (const [group, counters] of Object.entries(groups)) {
    for (const [name, value] of Object.entries(counters)) {
      const gauge = defaultIsGauge(`${group}.${name}`);
      const metric = groupMetricName(group) + (gauge ? '_current' : '_total');
      let f = byName.get(metric);
      if (!f) {
        f = {
          name: metric,
          help: gauge
            ? `Levels and settings of the kernel's ${group} group (label name: the kernel's field name)`
            : `The kernel's ${group} counters, cumulative since boot (label name: the kernel's counter name)`,
          type: gauge ? 'gauge' : 'counter',
          series: [],
        };
        byName.set(metric, f);
      }
      const label = labelText(name);
      if (!f.series.some((s) => s.labels['name'] === label)) f.series.push({ labels: { name: label }, value: counterNumber(value) });
    }
  }
  return [...byName.values()];
}

// --- sockets -------------------------------------------------------------------------------

function socketFamily(stats: Sample['stats']): Family {
  const series: Series[] = [];
  for (const key of TCP_STATE_KEYS) {
    const st = stats.get(key);
    if (st) series.push({ labels: { proto: 'tcp', state: key.slice('gauge.tcp.'.length) }, value: st.total });
  }
  for (const proto of ['udp', 'raw', 'unix'] as const) {
    const st = stats.get(`gauge.${proto}.sockets`);
    if (st) series.push({ labels: { proto }, value: st.total });
  }
  return {
    name: 'netdash_sockets',
    help: 'Sockets by protocol (tcp counts IPv4 and IPv6; udp includes UDP-Lite) and TCP state',
    type: 'gauge',
    series,
  };
}

interface ListenRow {
  proto: string;
  address: string;
  port: string;
  queue: number;
  backlog: number | null;
}

function listenerFamilies(socks: Iterable<InetSocket>, cap: number): Family[] {
  const rows = new Map<string, ListenRow>();
  for (const s of socks) {
    if (s.state !== TCP_LISTEN || (s.proto !== 'tcp' && s.proto !== 'tcp6')) continue;
    const key = `${s.proto} ${s.localAddr} ${s.localPort}`;
    const prev = rows.get(key);
    const backlog = s.backlog ?? null;
    // SO_REUSEPORT: several listeners on one address and port are one series, summed.
    if (prev) {
      prev.queue += s.recvQ;
      prev.backlog = prev.backlog === null || backlog === null ? null : prev.backlog + backlog;
    } else rows.set(key, { proto: s.proto, address: s.localAddr, port: String(s.localPort), queue: s.recvQ, backlog });
  }
  const kept = capTopN(
    rows,
    cap,
    (r) => r.queue,
    (a, b) => ({
      proto: OTHER,
      address: OTHER,
      port: OTHER,
      queue: a.queue + b.queue,
      backlog: a.backlog === null || b.backlog === null ? null : a.backlog + b.backlog,
    }),
  );
  const labels = (k: string, r: ListenRow): Labels =>
    k === OTHER ? { proto: OTHER, address: OTHER, port: OTHER } : { proto: r.proto, address: r.address, port: r.port };
  const queue: Series[] = [],
    backlog: Series[] = [];
  for (const [k, r] of kept) {
    queue.push({ labels: labels(k, r), value: r.queue });
    if (r.backlog !== null) backlog.push({ labels: labels(k, r), value: r.backlog });
  }
  return [
    {
      name: 'netdash_listen_queue_length',
      help: `Connections waiting in a TCP listener's accept queue (beyond ${cap} listeners the rest are summed into "${OTHER}")`,
      type: 'gauge',
      series: queue,
    },
    {
      name: 'netdash_listen_backlog',
      help: 'The accept-queue limit of a TCP listener (listen() backlog; from netlink sock_diag only)',
      type: 'gauge',
      series: backlog,
    },
  ];
}

function conntrackFamily(entries: readonly ConntrackEntry[], cap: number): Family {
  const byProto = new Map<string, number>();
  for (const e of entries) {
    const p = labelText(e.proto);
    byProto.set(p, (byProto.get(p) ?? 0) + 1);
  }
  const kept = capTopN(
    byProto,
    cap,
    (n) => n,
    (a, b) => a + b,
  );
  return {
    name: 'netdash_conntrack_entries',
    help: 'Flows tracked by netfilter conntrack, by protocol (root only, once nf_conntrack is loaded)',
    type: 'gauge',
    series: [...kept].map(([proto, n]) => ({ labels: { proto }, value: n })),
  };
}

function processFamily(sample: Sample, owners: ReadonlyMap<number, ProcessOwner>, cap: number): Family {
  const byProgram = new Map<string, number>();
  const count = (inode: number): void => {
    const o = inode === 0 ? undefined : owners.get(inode);
    if (!o) return;
    const p = labelText(o.program);
    byProgram.set(p, (byProgram.get(p) ?? 0) + 1);
  };
  for (const s of sample.connections.values()) count(s.inode);
  const unix = sample.snapshot.unix;
  if (unix?.ok) for (const u of unix.value) count(u.inode);
  const kept = capTopN(
    byProgram,
    cap,
    (n) => n,
    (a, b) => a + b,
  );
  return {
    name: 'netdash_process_sockets',
    help: `Open sockets (inet and unix) by program name, argv[0] as netstat -p shows it (top ${cap}; the rest summed into "${OTHER}")`,
    type: 'gauge',
    series: [...kept].map(([program, n]) => ({ labels: { program }, value: n })),
  };
}

export interface BuildOptions {
  caps?: Caps;
  /** Per-process families (-p): program names are only exported when asked for. */
  programs?: boolean;
  intervalMs: number;
}

/** Every family of one sample. Series of things gone since the last sample (interfaces,
 *  listeners, programs) are simply not built again, so they vanish from the next scrape. */
export function buildFamilies(sample: Sample, opts: BuildOptions): Family[] {
  const caps = opts.caps ?? DEFAULT_CAPS;
  const snap = sample.snapshot;
  const out: Family[] = [];
  const up: Series[] = [];
  const section = (name: string, ok: boolean | undefined): void => {
    if (ok !== undefined) up.push({ labels: { source: name }, value: ok ? 1 : 0 });
  };
  section('interfaces', snap.interfaces?.ok);
  section('counters', snap.counters ? snap.counters.errors.length === 0 : undefined);
  for (const [proto, r] of Object.entries(snap.inet)) section(proto, r?.ok);
  section('unix', snap.unix?.ok);
  section('conntrack', snap.conntrack?.ok);
  if (snap.owners) section('owners', !snap.owners.denied);

  out.push(
    {
      name: 'netdash_sample_timestamp_seconds',
      help: 'Wall-clock time of the last sample',
      type: 'gauge',
      series: [{ labels: {}, value: sample.time / 1000 }],
    },
    // What really elapsed: the dashboard's + and - change the interval while it runs.
    {
      name: 'netdash_sample_interval_seconds',
      help: 'Seconds between the last two samples (the configured interval until there are two)',
      type: 'gauge',
      series: [{ labels: {}, value: (sample.elapsedMs ?? opts.intervalMs) / 1000 }],
    },
    { name: 'netdash_source_up', help: 'Whether a kernel source was read in the last sample (1) or failed (0)', type: 'gauge', series: up },
  );
  if (sample.tableAgeMs !== null) {
    out.push({
      name: 'netdash_socket_table_age_seconds',
      help: 'Age of the socket table (big tables are read less often than every sample)',
      type: 'gauge',
      series: [{ labels: {}, value: sample.tableAgeMs / 1000 }],
    });
  }
  if (snap.interfaces?.ok) out.push(...interfaceFamilies(snap.interfaces.value, caps.interfaces));
  if (snap.counters) out.push(...protocolFamilies(snap.counters.counters));
  const sockets = socketFamily(sample.stats);
  if (sockets.series.length > 0) out.push(sockets);
  if (sample.tableAgeMs !== null) out.push(...listenerFamilies(sample.connections.values(), caps.listeners));
  if (snap.conntrack?.ok) out.push(conntrackFamily(snap.conntrack.value, caps.conntrackProtos));
  if (opts.programs === true && snap.owners) out.push(processFamily(sample, snap.owners.owners, caps.programs));
  return out;
}

/** The largest number of series buildFamilies can produce with these caps, for a kernel with
 *  `protocolCounters` protocol counters (about 400 on Linux 6.x). */
export function seriesBound(caps: Caps, protocolCounters: number): number {
  const meta = 3 + 12 /* sources */ + 1;
  const sockets = TCP_STATE_KEYS.length + 1 /* an unknown state */ + 3;
  return (
    meta +
    IF_METRICS.length * (caps.interfaces + 1) +
    protocolCounters +
    sockets +
    2 * (caps.listeners + 1) +
    (caps.conntrackProtos + 1) +
    (caps.programs + 1) +
    // --info: received, sent, retransmitted and connections, per program and per peer.
    4 * (caps.programs + 1) +
    4 * (caps.peers + 1)
  );
}
