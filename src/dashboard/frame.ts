// Frames: everything the panes show for one sample, immutable once built, so pausing is just
// keeping one. The FrameBuilder carries what spans samples: which connections are new or
// changed (flagged for a few seconds), which closed connections and removed routes still
// linger, and the event log.
import type { InetSocket, NetInterface, Route4, Route6 } from '../model.js';
import { route4Key, route6Key } from '../sampler/route-diff.js';
import { diffLinks, type LinkChangeKind } from '../sampler/link-diff.js';
import { isView, plainRow } from '../sampler/info-views.js';
import type { Sample } from '../sampler/sample-engine.js';
import { sameRecord } from './same-values.js';

export type RowStatus = 'new' | 'changed' | 'closed' | null;

export interface ConnRow {
  key: string;
  sock: InetSocket;
  status: RowStatus;
  /** For 'changed': the state before. */
  fromState: number | null;
}

interface Flag {
  status: 'new' | 'changed';
  from: number | null;
}

/**
 * The connections of one frame: the sample's table (shared, never copied) plus the closed
 * connections still lingering, with the new/changed flags. Rows are made on demand, for the
 * few on screen: at 100k sockets a row object per connection per tick is most of a tick.
 */
/** A row kept past its table (a closed row that lingers, an event in the log) without its
 *  tcp_info and socket memory. Those are views into the netlink message chunk they came in
 *  (sources/tcp-info.ts), so a kept row would keep its whole 32 KB chunk alive: under churn the
 *  closed rows and events of a few seconds held most chunks of several dumps. */
export function detached(s: InetSocket): InetSocket {
  if (s.tcpInfo === undefined && s.mem === undefined) return s;
  const { tcpInfo: _info, mem: _mem, ...rest } = s;
  return rest;
}

/**
 * A frame to keep on screen while paused. The live reader writes each dump's tcp_info over the
 * views the rows hold (a socket's row and view are handed on from dump to dump), so a kept frame
 * would show the newest values: its rows with views are copied with their values of now, and
 * the previous tick's rows with the values the views held before (the detail's "this tick").
 * Once, when pausing: a copy of each such row.
 */
export function frozenFrame(f: Frame): Frame {
  const live = f.conns.live;
  let views = false;
  for (const s of live.values())
    if (isView(s.tcpInfo)) {
      views = true;
      break;
    }
  if (!views) return f;
  const rows = new Map<string, InetSocket>();
  for (const [k, s] of live) rows.set(k, plainRow(s));
  let before: Map<string, InetSocket> | null = null;
  if (f.prevConns) {
    before = new Map();
    for (const [k, p] of f.prevConns) {
      const now = live.get(k);
      // The same view as this frame's row: what it held before this tick is `previous`.
      before.set(
        k,
        now !== undefined && p.tcpInfo !== undefined && p.tcpInfo === now.tcpInfo ? plainRow(p, p.tcpInfo.previous) : plainRow(p),
      );
    }
  }
  return { ...f, conns: new ConnTable(rows, f.conns.lingering, f.conns.flags), prevConns: before };
}

export class ConnTable {
  constructor(
    readonly live: ReadonlyMap<string, InetSocket>,
    readonly lingering: ReadonlyMap<string, InetSocket>,
    /** New and changed rows (an object the frames share while no flag came or went). */
    readonly flags: ReadonlyMap<string, Flag>,
  ) {}

  sock(key: string): InetSocket | undefined {
    return this.live.get(key) ?? this.lingering.get(key);
  }

  row(key: string): ConnRow | undefined {
    const live = this.live.get(key);
    if (live) {
      const f = this.flags.get(key);
      return { key, sock: live, status: f ? f.status : null, fromState: f ? f.from : null };
    }
    const gone = this.lingering.get(key);
    return gone ? { key, sock: gone, status: 'closed', fromState: null } : undefined;
  }
}

/** What may have moved in a sorted list of connections since the frame `fromId`: keys that
 *  appeared, changed state, got a new row object (queues, timers), or stopped lingering. A
 *  key that closed keeps its last row while it lingers, so it keeps its place. */
export interface ConnDelta {
  fromId: number;
  opened: readonly string[];
  changed: readonly string[];
  updated: readonly string[];
  expired: readonly string[];
}

export type EventKind = 'open' | 'close' | 'state' | 'route+' | 'route-' | 'reset' | 'link';

/** The events log keeps each group of kinds in its own bounded list, so a flood of one (a
 *  connection storm) never pushes out another (route and link history). */
export type EventGroup = 'connections' | 'routes' | 'links' | 'counters';
export const EVENT_BOUNDS: Readonly<Record<EventGroup, number>> = { connections: 500, routes: 200, links: 200, counters: 100 };

export function eventGroup(kind: EventKind): EventGroup {
  return kind === 'route+' || kind === 'route-' ? 'routes' : kind === 'link' ? 'links' : kind === 'reset' ? 'counters' : 'connections';
}

export interface DashEvent {
  time: number;
  kind: EventKind;
  sock?: InetSocket;
  from?: number;
  to?: number;
  text?: string;
  /** For 'link': what changed (added, removed, up, down, mtu, speed, addr+, addr-). */
  link?: LinkChangeKind;
}

export type RouteEntry = { key: string; v4: Route4; v6?: undefined } | { key: string; v6: Route6; v4?: undefined };

export interface RouteRow {
  route: RouteEntry;
  status: RowStatus;
}

/** Recent byte rates of one interface, oldest first (null: no rate that tick). */
export interface IfHistory {
  rx: readonly (number | null)[];
  tx: readonly (number | null)[];
}

export interface Frame {
  /** Frames are numbered in the order built; 0 is the empty frame. */
  id: number;
  sample: Sample | null;
  conns: ConnTable;
  /** Changes since the frame built before this one; null when unknown (the first frame). */
  connDelta: ConnDelta | null;
  /** The routes, last frame's array while every route and its flag is as it was. */
  routes: readonly RouteRow[];
  /** The sample's interfaces; last frame's array while nothing about them changed (names,
   *  order, /sys values, and the counter stats: the same stats map). */
  interfaces: readonly NetInterface[];
  events: readonly DashEvent[];
  history: ReadonlyMap<string, IfHistory>;
  /** Interfaces whose link changed in the last few seconds: 'new' (added, up), 'closed'
   *  (down), 'changed' (MTU, speed, address). */
  linkFlags: ReadonlyMap<string, RowStatus>;
  ingestedAt: number | null;
  /** The previous sample's connections (the detail view's "since the last tick" of tcp_info). */
  prevConns?: ReadonlyMap<string, InetSocket> | null;
}

export const EMPTY_FRAME: Frame = {
  id: 0,
  sample: null,
  conns: new ConnTable(new Map(), new Map(), new Map()),
  connDelta: null,
  routes: [],
  interfaces: [],
  events: [],
  history: new Map(),
  linkFlags: new Map(),
  ingestedAt: null,
};

/** Ticks of interface history kept for sparklines. */
export const HISTORY_LEN = 60;

/** Closed connections and removed routes stay listed this long (sample time), and at least
 *  for the tick they went. */
export const LINGER_MS = 5000;
/** New and changed rows are flagged this long, and at least for the tick it happened. */
export const FLAG_MS = 3000;
/** At most this many closed rows linger (and this many rows are flagged new): a storm of
 *  closes lists its newest, and the oldest go early, so memory does not follow the close rate
 *  (each row costs about 180 bytes, its key as much again). */
export const MAX_LINGER = 20_000;
export const MAX_EVENTS = EVENT_BOUNDS.connections;

function routeEntries(sample: Sample): RouteEntry[] {
  const out: RouteEntry[] = [];
  const snap = sample.snapshot;
  if (snap.routes4?.ok) for (const r of snap.routes4.value) out.push({ key: route4Key(r), v4: r });
  if (snap.routes6?.ok) for (const r of snap.routes6.value) out.push({ key: route6Key(r), v6: r });
  return out;
}

function maskBits(mask: string): number {
  return mask.split('.').reduce((n, o) => n + ((Number(o) >>> 0) & 0xff).toString(2).replace(/0/g, '').length, 0);
}

/** A route as `ip route` would name it: 10.1.0.0/16 via 10.0.0.1 dev eth0. */
export function describeRoute(e: RouteEntry | undefined, key: string): string {
  if (!e) return key;
  if (e.v4) {
    const r = e.v4;
    return `${r.destination}/${maskBits(r.mask)}${r.gateway !== '0.0.0.0' ? ` via ${r.gateway}` : ''} dev ${r.iface}`;
  }
  const r = e.v6;
  return `${r.destination}/${r.destPrefix}${r.nextHop !== '::' ? ` via ${r.nextHop}` : ''} dev ${r.iface}`;
}

const NEW_FLAG: Flag = { status: 'new', from: null };

function sameRoutes(a: readonly RouteRow[], b: readonly RouteRow[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!,
      y = b[i]!;
    if (x.status !== y.status || x.route.key !== y.route.key) return false;
    const rx = x.route.v4 ?? x.route.v6,
      ry = y.route.v4 ?? y.route.v6;
    if (!rx || !ry || !sameRecord(rx, ry)) return false;
  }
  return true;
}

/** The same interfaces in the same order with the same /sys values and counters. */
function sameInterfaces(a: readonly NetInterface[], b: readonly NetInterface[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!,
      y = b[i]!;
    if (x.name !== y.name || !sameRecord(x.sys, y.sys) || !sameRecord(x.counters, y.counters)) return false;
  }
  return true;
}

export class FrameBuilder {
  // Row flags by key: when it opened/changed (sample mono) and from which state.
  private readonly opened = new Map<string, number>();
  private readonly changed = new Map<string, { at: number; from: number }>();
  private readonly linger = new Map<string, { sock: InetSocket; at: number }>();
  private readonly routeAdded = new Map<string, number>();
  private readonly routeLinger = new Map<string, { route: RouteEntry; at: number }>();
  private prevConns: ReadonlyMap<string, InetSocket> | null = null;
  private prevRoutes = new Map<string, RouteEntry>();
  private events: readonly DashEvent[] = [];
  private groups: Record<EventGroup, DashEvent[]> = { connections: [], routes: [], counters: [], links: [] };
  private readonly linkAt = new Map<string, { at: number; status: RowStatus }>();
  private prevSample: Sample | null = null;
  /** The last frame's flag and lingering maps, handed on while the maps above did not change
   *  (under churn most ticks carry the last table: copying thousands of rows five times a
   *  second was most of a frame). */
  private shared: { flags: Map<string, Flag>; lingering: Map<string, InetSocket> } | null = null;
  private history = new Map<string, IfHistory>();
  private lastId = 0;
  private routes: readonly RouteRow[] = [];
  private interfaces: readonly NetInterface[] = [];
  private linkFlags: ReadonlyMap<string, RowStatus> = new Map();

  build(sample: Sample): Frame {
    const mono = sample.mono;
    const churn = sample.churn;
    const events: DashEvent[] = [];
    const prev = this.prevConns;
    // The flag and linger maps stay in the order of their times (a key is taken out before it
    // is put back), so what has expired is at their front.
    const complete = sample.churnComplete;
    let moved = churn.opened.length > 0 || churn.changed.length > 0 || churn.closed.length > 0;
    for (const k of churn.opened) {
      this.opened.delete(k);
      this.opened.set(k, mono);
      this.linger.delete(k);
      const sock = sample.connections.get(k);
      if (sock) events.push({ time: sample.time, kind: 'open', sock: detached(sock) });
    }
    for (const c of churn.changed) {
      this.changed.delete(c.key);
      this.changed.set(c.key, { at: mono, from: c.from });
      events.push({ time: sample.time, kind: 'state', sock: detached(c.socket), from: c.from, to: c.to });
    }
    for (const k of churn.closed) {
      const sock = prev?.get(k);
      this.opened.delete(k);
      this.changed.delete(k);
      if (sock) {
        const kept = detached(sock);
        this.linger.delete(k);
        this.linger.set(k, { sock: kept, at: mono });
        events.push({ time: sample.time, kind: 'close', sock: kept });
      }
    }
    const entries = routeEntries(sample);
    const current = new Map(entries.map((e) => [e.key, e]));
    for (const r of sample.routes.added) {
      this.routeAdded.set(r, mono);
      this.routeLinger.delete(r);
      events.push({ time: sample.time, kind: 'route+', text: describeRoute(current.get(r), r) });
    }
    for (const r of sample.routes.removed) {
      const was = this.prevRoutes.get(r);
      this.routeAdded.delete(r);
      if (was) this.routeLinger.set(r, { route: was, at: mono });
      events.push({ time: sample.time, kind: 'route-', text: describeRoute(was, r) });
    }
    if (sample.mark.reason === 'reboot' && sample.mark.at === mono)
      events.push({ time: sample.time, kind: 'reset', text: 'host rebooted: counters restart' });

    const fresh = (at: number, ms: number): boolean => at === mono || mono - at < ms;
    // With complete churn every key that closed or reopened was dealt with above: only the
    // front (the oldest) can have expired. Otherwise every key is checked against the table.
    for (const [k, at] of this.opened) {
      if (fresh(at, FLAG_MS) && (complete || sample.connections.has(k))) {
        if (complete) break;
        continue;
      }
      this.opened.delete(k);
      moved = true;
    }
    for (const [k, c] of this.changed) {
      if (fresh(c.at, FLAG_MS) && (complete || sample.connections.has(k))) {
        if (complete) break;
        continue;
      }
      this.changed.delete(k);
      moved = true;
    }
    // A restarted recording is another run: its links are not changes of the last one's.
    const links = this.prevSample && this.prevSample.seq < sample.seq ? diffLinks(this.prevSample.snapshot, sample.snapshot) : [];
    for (const l of links) {
      events.push({ time: sample.time, kind: 'link', link: l.kind, text: l.text });
      this.linkAt.set(l.name, {
        at: mono,
        status: l.kind === 'added' || l.kind === 'up' ? 'new' : l.kind === 'down' || l.kind === 'removed' ? 'closed' : 'changed',
      });
    }
    let linksMoved = links.length > 0;
    for (const [k, l] of this.linkAt)
      if (!fresh(l.at, FLAG_MS)) {
        this.linkAt.delete(k);
        linksMoved = true;
      }
    // A new map only when a flag came or went: frames keep theirs, and the interfaces pane
    // knows its lines stand by the same one.
    if (linksMoved) {
      const linkFlags = new Map<string, RowStatus>();
      for (const [k, l] of this.linkAt) linkFlags.set(k, l.status);
      this.linkFlags = linkFlags;
    }
    const expired: string[] = [];
    for (const [k, l] of this.linger) {
      const reopened = !complete && sample.connections.has(k);
      if (!reopened && fresh(l.at, LINGER_MS)) {
        if (complete) break;
        continue;
      }
      this.linger.delete(k);
      moved = true;
      // A reopened key is in churn.opened already.
      if (!reopened) expired.push(k);
    }
    // Over the bound: the oldest go now (the maps are in time order).
    for (const k of this.linger.keys()) {
      if (this.linger.size <= MAX_LINGER) break;
      this.linger.delete(k);
      expired.push(k);
      moved = true;
    }
    for (const k of this.opened.keys()) {
      if (this.opened.size <= MAX_LINGER) break;
      this.opened.delete(k);
      moved = true;
    }

    // Frames outlive the builder's next tick (pause keeps one): the flag and lingering maps
    // are copies, made again only when something in them changed (a frame never sees later
    // changes), and shared by the frames in between.
    if (moved || this.shared === null) {
      const flags = new Map<string, Flag>();
      for (const k of this.opened.keys()) flags.set(k, NEW_FLAG);
      for (const [k, c] of this.changed) flags.set(k, { status: 'changed', from: c.from });
      const lingering = new Map<string, InetSocket>();
      for (const [k, l] of this.linger) lingering.set(k, l.sock);
      this.shared = { flags, lingering };
    }
    const conns = new ConnTable(sample.connections, this.shared.lingering, this.shared.flags);
    const connDelta: ConnDelta | null =
      this.lastId === 0 || !sample.churnComplete
        ? null
        : {
            fromId: this.lastId,
            opened: churn.opened,
            changed: churn.changed.map((c) => c.key),
            updated: churn.updated,
            expired,
          };

    for (const [k, at] of this.routeAdded) if (!fresh(at, FLAG_MS) || !current.has(k)) this.routeAdded.delete(k);
    for (const [k, l] of this.routeLinger) if (!fresh(l.at, LINGER_MS) || current.has(k)) this.routeLinger.delete(k);
    const routes: RouteRow[] = entries.map((route) => ({ route, status: this.routeAdded.has(route.key) ? 'new' : null }));
    for (const l of this.routeLinger.values()) routes.push({ route: l.route, status: 'closed' });
    // Last frame's arrays while nothing in them changed (an idle host's every tick): the panes
    // made of them keep their lists and lines.
    if (!sameRoutes(this.routes, routes)) this.routes = routes;
    const ifs = sample.snapshot.interfaces?.ok ? sample.snapshot.interfaces.value : [];
    if (!sameInterfaces(this.interfaces, ifs)) this.interfaces = ifs;

    this.history = this.nextHistory(sample);
    if (events.length > 0) this.events = this.logEvents(events);
    this.prevSample = sample;
    const prevConns = this.prevConns;
    this.prevConns = sample.connections;
    this.prevRoutes = current;
    this.lastId++;
    return {
      id: this.lastId,
      sample,
      conns,
      connDelta,
      routes: this.routes,
      interfaces: this.interfaces,
      events: this.events,
      history: this.history,
      linkFlags: this.linkFlags,
      ingestedAt: mono,
      prevConns,
    };
  }

  /** This tick's events into their groups' bounded lists; the log is the groups merged,
   *  newest first (a new array: frames already built keep theirs). */
  private logEvents(events: DashEvent[]): DashEvent[] {
    const fresh = new Map<EventGroup, DashEvent[]>();
    for (let i = events.length - 1; i >= 0; i--) {
      const e = events[i];
      if (!e) continue;
      const g = eventGroup(e.kind);
      const l = fresh.get(g) ?? [];
      if (l.length < EVENT_BOUNDS[g]) l.push(e);
      fresh.set(g, l);
    }
    for (const [g, l] of fresh)
      this.groups[g] = l.length >= EVENT_BOUNDS[g] ? l : [...l, ...this.groups[g].slice(0, EVENT_BOUNDS[g] - l.length)];
    const lists = Object.values(this.groups).filter((l) => l.length > 0);
    const out: DashEvent[] = [];
    const at = lists.map(() => 0);
    for (;;) {
      let best = -1;
      lists.forEach((l, i) => {
        const e = l[at[i] ?? 0];
        const b = best < 0 ? undefined : lists[best]?.[at[best] ?? 0];
        // Within one tick, the kinds logged later first, as they were logged (links, resets, routes, connections).
        if (e && (!b || e.time >= b.time)) best = i;
      });
      if (best < 0) break;
      const e = lists[best]?.[at[best] ?? 0];
      if (e) out.push(e);
      at[best] = (at[best] ?? 0) + 1;
    }
    return out;
  }

  /** Each present interface's rates appended (a new map: frames already built keep theirs).
   *  The same map when appending changes nothing: the same interfaces, each history full and
   *  flat at the new rates (an idle host's). */
  private nextHistory(sample: Sample): Map<string, IfHistory> {
    const ifs = sample.snapshot.interfaces?.ok ? sample.snapshot.interfaces.value : [];
    const rates = ifs.map((i) => {
      const rate = (c: string): number | null => sample.stats.get(`if.${i.name}.${c}`)?.rate ?? null;
      return { rx: rate('rxBytes'), tx: rate('txBytes') };
    });
    const full = (arr: readonly (number | null)[] | undefined, v: number | null): boolean =>
      arr !== undefined && arr.length === HISTORY_LEN && arr.every((x) => x === v);
    if (
      ifs.length === this.history.size &&
      ifs.every((i, k) => {
        const was = this.history.get(i.name);
        return full(was?.rx, rates[k]?.rx ?? null) && full(was?.tx, rates[k]?.tx ?? null);
      })
    )
      return this.history;
    const next = new Map<string, IfHistory>();
    const push = (arr: readonly (number | null)[] | undefined, v: number | null): (number | null)[] =>
      [...(arr ?? []), v].slice(-HISTORY_LEN);
    ifs.forEach((i, k) => {
      const was = this.history.get(i.name);
      next.set(i.name, { rx: push(was?.rx, rates[k]?.rx ?? null), tx: push(was?.tx, rates[k]?.tx ?? null) });
    });
    return next;
  }
}
