// Printing with an interval: what changed since the last sample, nstat-style, and NDJSON.
import type { PrintOptions } from './print-options.js';
import { ratioPct, retransPct, utilisationPct, type CounterStat } from '../sampler/counter-deltas.js';
import type { Sample } from '../sampler/sample-engine.js';
import type { InetSocket } from '../model.js';
import { connectionKey } from '../sampler/connection-diff.js';
import { retransPct as aggregateRetransPct, type FlowAggregate } from '../sampler/flow-aggregates.js';
import { FLOW_COUNTERS, perSecond, type FlowTable } from '../sampler/tcp-flows.js';
import { naturalCompare } from '../text/natural-compare.js';
import type { NameContext } from '../names/netstat-notation.js';
import { snapshotJson } from './json.js';
import { ifaceName } from './interfaces.js';
import { esc, left, right } from './printf.js';
import { renderPrint } from './render-print.js';

/** Which counter groups -s shows, narrowed by -t/-u/-w as netstat narrows its tables. */
function statGroupVisible(group: string, o: PrintOptions): boolean {
  if (!o.socketArgs) return true;
  if (o.tcp && /^(Tcp|TcpExt|MPTcpExt)$/.test(group)) return true;
  if (o.udp && /^(Udp|UdpLite|Udp6|UdpLite6)$/.test(group)) return true;
  if (o.raw && /^(Ip|IpExt|Icmp|IcmpMsg|Ip6|Icmp6)$/.test(group)) return true;
  return false;
}

function rateText(r: number | null): string {
  return r === null ? '-' : r.toFixed(1);
}

function deltaText(d: number | null): string {
  return d === null ? '-' : String(d);
}

function sinceLabel(s: Sample): string {
  return s.mark.reason === 'start' ? 'since start' : s.mark.reason === 'mark' ? 'since mark' : 'since reboot';
}

/** -s with an interval: counters that changed, with delta, rate, total and change since the mark. */
export function formatCounterChanges(s: Sample, o: PrintOptions): string {
  const secs = ((s.elapsedMs ?? 0) / 1000).toFixed(2);
  const lines = [
    `#netdash ${new Date(s.time).toISOString()} interval ${secs}s`,
    `#${left('counter', 39)} ${right('delta', 12)} ${right('rate/s', 12)} ${right('total', 16)} ${right(sinceLabel(s), 14)}`,
  ];
  const keys = [...s.stats.keys()].filter((k) => !k.startsWith('if.') && !k.startsWith('gauge.')).sort();
  for (const key of keys) {
    const st = s.stats.get(key);
    if (!st || !statGroupVisible(key.slice(0, key.indexOf('.')), o)) continue;
    const moved = st.delta !== null && st.delta !== 0;
    const reset = st.reset !== null && st.reset !== 'first' && st.reset !== 'wrap32';
    if (!moved && !reset) continue;
    const note = reset ? `  (${st.reset})` : '';
    lines.push(
      `${left(esc(key), 40)} ${right(deltaText(st.delta), 12)} ${right(rateText(st.rate), 12)} ${right(String(st.exact ?? st.total), 16)} ${right(st.sinceMark, 14)}${note}`,
    );
  }
  return lines.join('\n') + '\n';
}

function stat(s: Sample, name: string, counter: string): CounterStat | undefined {
  return s.stats.get(`if.${name}.${counter}`);
}

/** -i with an interval: per-interface packet rates, error/drop/overrun deltas and byte rates. */
export function formatInterfaceRates(s: Sample, all: boolean): string {
  const secs = ((s.elapsedMs ?? 0) / 1000).toFixed(2);
  const lines = [
    `Kernel Interface table, per second over ${secs} s (ERR/DRP/OVR: deltas)`,
    'Iface           RX-OK/s RX-ERR RX-DRP RX-OVR  TX-OK/s TX-ERR TX-DRP TX-OVR      RX-B/s      TX-B/s',
  ];
  const ifs = s.snapshot.interfaces?.ok ? s.snapshot.interfaces.value : [];
  for (const i of [...ifs].sort((a, b) => naturalCompare(a.name, b.name))) {
    if (!all && ((i.sys.flags ?? 0) & 1) === 0) continue;
    const r = (c: string): string => rateText(stat(s, i.name, c)?.rate ?? null);
    const d = (c: string): string => deltaText(stat(s, i.name, c)?.delta ?? null);
    lines.push(
      `${left(ifaceName(i.name), 15)} ${right(r('rxPackets'), 7)} ${right(d('rxErrs'), 6)} ${right(d('rxDrop'), 6)} ${right(d('rxFifo'), 6)} ` +
        `${right(r('txPackets'), 8)} ${right(d('txErrs'), 6)} ${right(d('txDrop'), 6)} ${right(d('txFifo'), 6)} ${right(r('rxBytes'), 11)} ${right(r('txBytes'), 11)}`,
    );
  }
  return lines.join('\n') + '\n';
}

function statJson(st: CounterStat): Record<string, unknown> {
  // Exact beyond 2^53: a bigint, written as its decimal string.
  return { total: st.exact ?? st.total, delta: st.delta, rate: st.rate, sinceMark: st.sinceMark, ...(st.reset ? { reset: st.reset } : {}) };
}

/** The signals people watch during an incident, computed from this interval's deltas. */
export function derivedSignals(s: Sample): Record<string, unknown> {
  const d = (key: string): number | null => s.stats.get(key)?.delta ?? null;
  const interfaces: Record<string, unknown> = {};
  const ifs = s.snapshot.interfaces?.ok ? s.snapshot.interfaces.value : [];
  for (const i of ifs) {
    const p = (c: string): number | null => d(`if.${i.name}.${c}`);
    const rxPkts = p('rxPackets'),
      txPkts = p('txPackets');
    interfaces[i.name] = {
      rxErrPct: ratioPct(p('rxErrs'), rxPkts),
      rxDropPct: ratioPct(p('rxDrop'), rxPkts),
      rxOverrunPct: ratioPct(p('rxFifo'), rxPkts),
      txErrPct: ratioPct(p('txErrs'), txPkts),
      txDropPct: ratioPct(p('txDrop'), txPkts),
      txOverrunPct: ratioPct(p('txFifo'), txPkts),
      rxUtilisationPct: utilisationPct(s.stats.get(`if.${i.name}.rxBytes`)?.rate ?? null, i.sys.speed),
      txUtilisationPct: utilisationPct(s.stats.get(`if.${i.name}.txBytes`)?.rate ?? null, i.sys.speed),
    };
  }
  return {
    tcpRetransPct: retransPct(d('Tcp.RetransSegs'), d('Tcp.OutSegs')),
    listenOverflows: d('TcpExt.ListenOverflows'),
    listenDrops: d('TcpExt.ListenDrops'),
    udpRcvbufErrors: d('Udp.RcvbufErrors'),
    ipInDiscards: d('Ip.InDiscards'),
    ipOutDiscards: d('Ip.OutDiscards'),
    interfaces,
  };
}

/** One NDJSON line: the snapshot, with every counter as {total, delta, rate, sinceMark}. */
export function sampleJson(s: Sample, o: PrintOptions, names: NameContext, host: string): Record<string, unknown> {
  const flows = s.flows;
  const doc = snapshotJson(o, s.snapshot, names, host, flows ? (sock) => flowJson(flows, sock) : undefined);
  doc['seq'] = s.seq;
  doc['elapsedMs'] = s.elapsedMs;
  doc['mark'] = s.mark.reason;
  if (doc['counters']) {
    const groups: Record<string, Record<string, unknown>> = {};
    for (const [key, st] of s.stats) {
      if (key.startsWith('if.') || key.startsWith('gauge.')) continue;
      const dot = key.indexOf('.');
      (groups[key.slice(0, dot)] ??= {})[key.slice(dot + 1)] = statJson(st);
    }
    doc['counters'] = groups;
  }
  if (Array.isArray(doc['interfaces'])) {
    for (const i of doc['interfaces'] as { name: string; counters: Record<string, unknown> }[]) {
      for (const c of Object.keys(i.counters)) {
        const st = stat(s, i.name, c);
        if (st) i.counters[c] = statJson(st);
      }
    }
  }
  doc['derived'] = derivedSignals(s);
  const states: Record<string, unknown> = {};
  for (const [key, st] of s.stats) if (key.startsWith('gauge.')) states[key.slice(6)] = { value: st.total, change: st.delta };
  if (Object.keys(states).length > 0) doc['sockets'] = states;
  // `updated` says which row objects are new, which depends on the reader: not for output.
  if (doc['connections']) doc['churn'] = { opened: s.churn.opened, closed: s.churn.closed, changed: s.churn.changed };
  if (s.snapshot.routes4 || s.snapshot.routes6) doc['routeChanges'] = s.routes;
  if (o.info && s.aggregates) {
    const a = s.aggregates;
    doc['processes'] = a.processes.map((g) => aggregateJson(g, a.elapsedMs));
    doc['peers'] = a.peers.map((g) => aggregateJson(g, a.elapsedMs));
    doc['unowned'] = a.unowned;
  }
  return doc;
}

/** A connection's tcp_info deltas: {field: {delta, rate, sinceMark}} (null where unknown). */
function flowJson(flows: FlowTable, sock: InetSocket): Record<string, unknown> | null {
  const f = flows.byKey.get(connectionKey(sock));
  if (!f) return null;
  const out: Record<string, unknown> = {};
  FLOW_COUNTERS.forEach((name, i) => {
    const d = f.delta[i] ?? null;
    out[name] = { delta: d, rate: perSecond(d, flows.elapsedMs), sinceMark: f.sinceMark[i] ?? null };
  });
  return { flow: { opened: f.opened, ...out } };
}

/** A process or peer: counts, queues, per-second rates and the since-mark sums. TCP alone has
 *  byte counters: `bytes` false says the members were UDP/raw only (rates null, not 0). */
function aggregateJson(g: FlowAggregate, elapsedMs: number | null): Record<string, unknown> {
  return {
    ...(g.pid !== undefined ? { pid: g.pid, program: g.program } : { address: g.addr }),
    connections: g.members.length,
    tcp: g.tcp,
    udp: g.udp,
    raw: g.raw,
    recvQ: g.recvQ,
    sendQ: g.sendQ,
    bytes: g.withInfo > 0,
    rxRate: perSecond(g.rx, elapsedMs),
    txRate: perSecond(g.tx, elapsedMs),
    retransRate: perSecond(g.retrans, elapsedMs),
    rx: g.rx,
    tx: g.tx,
    retrans: g.retrans,
    retransPct: aggregateRetransPct(g),
    rxSinceMark: g.rxSinceMark,
    txSinceMark: g.txSinceMark,
    retransSinceMark: g.retransSinceMark,
    worstRttUs: g.worstRtt,
    members: g.members,
  };
}

/** The text for one sample in print mode. The first sample has no deltas, so it shows totals. */
export function formatIntervalText(s: Sample, o: PrintOptions, names: NameContext): { out: string; errors: string[] } {
  const first = s.elapsedMs === null;
  // netstat -c: the same absolute table again; -ic prints its title only the first time.
  if (o.continuous) {
    const r = renderPrint(o, s.snapshot, names);
    return !first && o.section === 'interfaces' ? { ...r, out: r.out.slice(r.out.indexOf('\n') + 1) } : r;
  }
  if (!first && o.section === 'statistics') return { out: formatCounterChanges(s, o), errors: [] };
  if (!first && o.section === 'interfaces') return { out: formatInterfaceRates(s, o.all), errors: [] };
  return renderPrint(o, s.snapshot, names);
}
