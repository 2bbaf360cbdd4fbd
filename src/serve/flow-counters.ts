// Per-program and per-peer TCP traffic for /metrics, from the sampler's flow sums (tcp_info,
// --serve with --info). A Prometheus counter must never go down, but a sum over live connections
// does when one closes: so each program and peer keeps its own running totals, adding every
// sample's deltas, and the totals outlive the connections. A key not seen for KEEP_SAMPLES
// samples is dropped (its series ends, as a scrape of a process that exited would), and only the
// top N by traffic get a series; the rest are summed into "other" (which may then go down when a
// key moves into the top N: rate() reads that as a counter reset).
import type { Aggregates, FlowAggregate } from '../sampler/flow-aggregates.js';
import { capTopN, labelText, OTHER, type Family } from './metric-set.js';

/** Samples a program or peer may go unseen before its series ends (10 minutes at 2 s). */
export const KEEP_SAMPLES = 300;

interface Totals {
  rx: number;
  tx: number;
  retrans: number;
  /** Its sockets now: a gauge. */
  connections: number;
  /** The sample it was last in. */
  seen: number;
}

const add = (a: Totals, b: Totals): Totals => ({
  rx: a.rx + b.rx,
  tx: a.tx + b.tx,
  retrans: a.retrans + b.retrans,
  connections: a.connections + b.connections,
  seen: Math.max(a.seen, b.seen),
});

class Ledger {
  private readonly totals = new Map<string, Totals>();

  add(key: string, g: FlowAggregate, seq: number): void {
    let t = this.totals.get(key);
    if (!t) this.totals.set(key, (t = { rx: 0, tx: 0, retrans: 0, connections: 0, seen: seq }));
    // Two processes of one program (or a peer seen as v4 and v4-mapped) add up in one sample.
    if (t.seen !== seq) t.connections = 0;
    t.rx += g.rx ?? 0;
    t.tx += g.tx ?? 0;
    t.retrans += g.retrans ?? 0;
    t.connections += g.tcp + g.udp + g.raw;
    t.seen = seq;
  }

  /** Forget keys unseen for KEEP_SAMPLES samples; the connections of keys not in this sample are 0. */
  settle(seq: number): void {
    for (const [k, t] of this.totals) {
      if (seq - t.seen > KEEP_SAMPLES) this.totals.delete(k);
      else if (t.seen !== seq) t.connections = 0;
    }
  }

  top(cap: number): Map<string, Totals> {
    return capTopN(this.totals, cap, (t) => t.rx + t.tx, add);
  }

  get size(): number {
    return this.totals.size;
  }
}

export class FlowCounters {
  private readonly programs = new Ledger();
  private readonly peers = new Ledger();
  private seq = 0;

  constructor(private readonly withPrograms: boolean) {}

  /** One sample's sums: their deltas are added to each program's and peer's totals. */
  add(a: Aggregates | undefined): void {
    if (!a) return;
    this.seq++;
    if (this.withPrograms) {
      for (const p of a.processes) this.programs.add(labelText(p.program ?? 'unknown'), p, this.seq);
      this.programs.settle(this.seq);
    }
    for (const p of a.peers) this.peers.add(labelText(p.addr ?? p.key), p, this.seq);
    this.peers.settle(this.seq);
  }

  /** Keys held now, for the cardinality test. */
  get sizes(): { programs: number; peers: number } {
    return { programs: this.programs.size, peers: this.peers.size };
  }

  families(caps: { programs: number; peers: number }): Family[] {
    const out: Family[] = [];
    const build = (ledger: Ledger, cap: number, label: 'program' | 'peer', what: string): void => {
      const kept = [...ledger.top(cap)];
      const series = (f: (t: Totals) => number) => kept.map(([k, t]) => ({ labels: { [label]: k }, value: f(t) }));
      const rest = `top ${cap} by bytes; the rest summed into "${OTHER}"`;
      out.push(
        {
          name: `netdash_${label}_tcp_received_bytes_total`,
          help: `TCP bytes received by ${what}, from tcp_info (${rest})`,
          type: 'counter',
          series: series((t) => t.rx),
        },
        {
          name: `netdash_${label}_tcp_sent_bytes_total`,
          help: `TCP bytes sent by ${what}, from tcp_info (${rest})`,
          type: 'counter',
          series: series((t) => t.tx),
        },
        {
          name: `netdash_${label}_tcp_retransmitted_segments_total`,
          help: `TCP segments retransmitted by ${what}, from tcp_info (${rest})`,
          type: 'counter',
          series: series((t) => t.retrans),
        },
        {
          name: `netdash_${label}_connections`,
          help: `Open sockets of ${what} (${rest})`,
          type: 'gauge',
          series: series((t) => t.connections),
        },
      );
    };
    if (this.withPrograms) build(this.programs, caps.programs, 'program', 'each program (argv[0], as netstat -p shows it)');
    build(this.peers, caps.peers, 'peer', 'this host with each remote address');
    return out;
  }
}
