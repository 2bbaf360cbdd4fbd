// Samples for the dashboard tests: snapshots built in code, run through the real SampleEngine.
import type { ConntrackEntry, IfCounters, InetSocket, NetInterface, ProcessOwner, Route4, Route6, UnixSocket } from '../../src/model.js';
import { IF_COUNTER_NAMES } from '../../src/model.js';
import type { NameContext } from '../../src/names/netstat-notation.js';
import { SampleEngine, type RawSample, type Sample } from '../../src/sampler/sample-engine.js';
import type { Snapshot } from '../../src/sources/snapshot.js';
import type { SampleHandler, SampleSource } from '../../src/sampler/sample-source.js';

export function sock(p: Partial<InetSocket> & { localPort: number }): InetSocket {
  return {
    proto: 'tcp',
    family: 4,
    localAddr: '10.0.0.1',
    remoteAddr: '0.0.0.0',
    remotePort: 0,
    state: 10,
    recvQ: 0,
    sendQ: 0,
    timer: { kind: 0, expires: 0, retransmits: 0, timeout: 0 },
    uid: 0,
    inode: 1000 + p.localPort,
    ...p,
  };
}

export const listen = (port: number, extra: Partial<InetSocket> = {}): InetSocket => sock({ localPort: port, ...extra });
export const estab = (port: number, rport: number, extra: Partial<InetSocket> = {}): InetSocket =>
  sock({ localPort: port, remoteAddr: '10.0.0.9', remotePort: rport, state: 1, inode: 5000 + rport, ...extra });
export const udp = (port: number, extra: Partial<InetSocket> = {}): InetSocket =>
  sock({ proto: 'udp', localPort: port, state: 7, inode: 7000 + port, ...extra });

export function nif(name: string, c: Partial<IfCounters> = {}, ifindex = 2): NetInterface {
  const counters = {} as IfCounters;
  for (const k of IF_COUNTER_NAMES) counters[k] = c[k] ?? 0;
  return { name, counters, sys: { mtu: 1500, flags: 0x1043, operstate: 'up', ifindex } };
}

export interface SnapParts {
  inet?: InetSocket[];
  unix?: UnixSocket[];
  interfaces?: NetInterface[];
  counters?: Record<string, Record<string, number>>;
  owners?: Map<number, ProcessOwner>;
  ownersDenied?: boolean;
  routes4?: Route4[];
  routes6?: Route6[];
  conntrack?: ConntrackEntry[];
  /** The conntrack source failed with this message. */
  conntrackError?: string;
}

export function snapshot(time: number, parts: SnapParts): Snapshot {
  const inet = parts.inet ?? [];
  const snap: Snapshot = {
    time,
    inet: {
      tcp: { ok: true, value: inet.filter((s) => s.proto === 'tcp'), skipped: 0 },
      tcp6: { ok: true, value: inet.filter((s) => s.proto === 'tcp6'), skipped: 0 },
      udp: { ok: true, value: inet.filter((s) => s.proto === 'udp'), skipped: 0 },
      udp6: { ok: true, value: inet.filter((s) => s.proto === 'udp6'), skipped: 0 },
      raw: { ok: true, value: inet.filter((s) => s.proto === 'raw'), skipped: 0 },
    },
    unix: { ok: true, value: parts.unix ?? [], skipped: 0 },
    interfaces: { ok: true, value: parts.interfaces ?? [], skipped: 0 },
    counters: { counters: parts.counters ?? {}, errors: [], skipped: 0 },
  };
  if (parts.routes4) snap.routes4 = { ok: true, value: parts.routes4, skipped: 0 };
  if (parts.routes6) snap.routes6 = { ok: true, value: parts.routes6, skipped: 0 };
  if (parts.conntrack) snap.conntrack = { ok: true, value: parts.conntrack, skipped: 0 };
  if (parts.conntrackError !== undefined) snap.conntrack = { ok: false, error: parts.conntrackError };
  if (parts.owners || parts.ownersDenied)
    snap.owners = { owners: parts.owners ?? new Map<number, ProcessOwner>(), denied: parts.ownersDenied ?? false };
  return snap;
}

/** Feeds snapshots through a SampleEngine, one tick every `stepMs` of sample time. */
export class Feeder {
  readonly engine = new SampleEngine();
  mono = 1_000_000;
  time = Date.UTC(2024, 0, 1, 12, 0, 0);

  constructor(readonly stepMs = 2000) {}

  raw(parts: SnapParts): RawSample {
    const raw: RawSample = { mono: this.mono, boot: { bootTime: 1_700_000_000 }, snapshot: snapshot(this.time, parts) };
    this.mono += this.stepMs;
    this.time += this.stepMs;
    return raw;
  }

  next(parts: SnapParts): Sample {
    return this.engine.ingest(this.raw(parts));
  }
}

export function names(extra: Partial<NameContext> = {}): NameContext {
  return {
    services: new Map([
      ['22/tcp', 'ssh'],
      ['80/tcp', 'http'],
      ['53/udp', 'domain'],
    ]),
    users: new Map([
      [0, 'root'],
      [1000, 'alice'],
    ]),
    hostName: () => undefined,
    owners: null,
    ...extra,
  };
}

export function route4(destination: string, gateway: string, mask: string, iface = 'eth0', flags = 0x1): Route4 {
  return { iface, destination, gateway, mask, flags, refCnt: 0, use: 0, metric: 0, mtu: 0, window: 0, irtt: 0 };
}

/** A sample source the test pushes snapshots into, through the real engine; it runs until stopped. */
export class FakeSource implements SampleSource {
  onSample: SampleHandler = () => {};
  readonly feeder = new Feeder();
  marks = 0;
  interval = 2000;
  stopped = false;
  private end: () => void = () => {};
  run(): Promise<void> {
    return new Promise((res) => {
      this.end = res;
    });
  }
  stop(): void {
    this.stopped = true;
    this.end();
  }
  mark(): void {
    this.marks++;
    this.feeder.engine.mark();
  }
  setInterval(ms: number): void {
    this.interval = ms;
  }
  push(parts: SnapParts): void {
    const raw = this.feeder.raw(parts);
    this.onSample(this.feeder.engine.ingest(raw), raw);
  }
}
