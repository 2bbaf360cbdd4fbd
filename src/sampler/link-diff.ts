// What changed about the links between two snapshots: interfaces added or removed (or
// re-created under the same name), set up or down (IFF_UP), operstate changes, MTU and speed
// changes, and addresses added or removed (from the interface metadata, when the snapshot has
// it). Pure: the events log and the interfaces pane show the result.
import type { NetInterface } from '../model.js';
import type { Snapshot } from '../sources/snapshot.js';

export type LinkChangeKind = 'added' | 'removed' | 'up' | 'down' | 'mtu' | 'speed' | 'addr+' | 'addr-';

export interface LinkChange {
  name: string;
  kind: LinkChangeKind;
  /** What happened, as the events log says it: "eth0 MTU 1500 → 1400". */
  text: string;
}

const IFF_UP = 0x1;

function interfaces(s: Snapshot | null): Map<string, NetInterface> | null {
  return s?.interfaces?.ok ? new Map(s.interfaces.value.map((i) => [i.name, i])) : null;
}

const isUp = (op: string | undefined): boolean => op === 'up' || op === 'unknown';

/** The link changes from `prev` to `cur`; none when either has no interface table. */
export function diffLinks(prev: Snapshot | null, cur: Snapshot): LinkChange[] {
  const a = interfaces(prev),
    b = interfaces(cur);
  if (!a || !b) return [];
  const out: LinkChange[] = [];
  for (const [name, i] of b) {
    const was = a.get(name);
    if (!was) {
      out.push({ name, kind: 'added', text: `${name} added (index ${i.sys.ifindex ?? '?'}, ${i.sys.operstate ?? '?'})` });
      continue;
    }
    if (was.sys.ifindex !== undefined && i.sys.ifindex !== undefined && was.sys.ifindex !== i.sys.ifindex) {
      out.push({ name, kind: 'added', text: `${name} re-created (index ${was.sys.ifindex} → ${i.sys.ifindex})` });
      continue;
    }
    const f0 = was.sys.flags,
      f1 = i.sys.flags;
    if (f0 !== undefined && f1 !== undefined && (f0 & IFF_UP) !== (f1 & IFF_UP)) {
      out.push({ name, kind: f1 & IFF_UP ? 'up' : 'down', text: `${name} set ${f1 & IFF_UP ? 'up' : 'down'} (flags)` });
    }
    const o0 = was.sys.operstate,
      o1 = i.sys.operstate;
    if (o0 !== undefined && o1 !== undefined && o0 !== o1) {
      out.push({ name, kind: isUp(o1) ? 'up' : 'down', text: `${name} operstate ${o0} → ${o1}` });
    }
    if (was.sys.mtu !== undefined && i.sys.mtu !== undefined && was.sys.mtu !== i.sys.mtu) {
      out.push({ name, kind: 'mtu', text: `${name} MTU ${was.sys.mtu} → ${i.sys.mtu}` });
    }
    const s0 = was.sys.speed ?? null,
      s1 = i.sys.speed ?? null;
    if (s0 !== s1 && (s0 !== null || s1 !== null)) {
      out.push({ name, kind: 'speed', text: `${name} speed ${s0 === null ? '?' : `${s0} Mb/s`} → ${s1 === null ? '?' : `${s1} Mb/s`}` });
    }
  }
  for (const name of a.keys()) if (!b.has(name)) out.push({ name, kind: 'removed', text: `${name} removed` });
  // Addresses: only when both snapshots carry the metadata.
  if (prev?.interfaceMeta && cur.interfaceMeta) {
    const m0 = new Map(prev.interfaceMeta.map((m) => [m.name, m]));
    for (const m of cur.interfaceMeta) {
      const was = m0.get(m.name);
      if (!was || !a.has(m.name)) continue;
      for (const fam of ['ip4', 'ip6'] as const) {
        if (was[fam] === m[fam]) continue;
        if (was[fam] !== '') out.push({ name: m.name, kind: 'addr-', text: `${m.name} address ${was[fam]} removed` });
        if (m[fam] !== '') out.push({ name: m.name, kind: 'addr+', text: `${m.name} address ${m[fam]} added` });
      }
    }
  }
  return out;
}
