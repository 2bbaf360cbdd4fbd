// The interfaces pane: netstat -i's eight counters as rates, deltas or totals, then bytes/s,
// link utilisation, a sparkline of recent traffic, MTU, flags and speed, as far as the width
// allows. Any error, drop or overrun that moved this tick is hot.
import { IF_PROBLEM_FIELDS } from '../../catalog/index.js';
import type { NetInterface } from '../../model.js';
import type { CounterStat } from '../../sampler/counter-deltas.js';
import { naturalCompare } from '../../text/natural-compare.js';
import { effectiveFlags, flagLetters } from '../../names/netstat-notation.js';
import { colRow, layoutHeader, pad, type Col } from '../columns.js';
import { printable } from '../escape.js';
import { explainColumn, explainCounter } from '../explain/index.js';
import { bytes, compact } from '../format.js';
import { explained, filtered, pane, sinceTitle, type PaneContext } from './pane-spec.js';

const PROBLEMS = IF_PROBLEM_FIELDS;
const SPARKS = '▁▂▃▄▅▆▇█';

/** Values as block characters scaled to `scale` (default: their own maximum); blank where
 *  unknown. */
export function sparkline(values: readonly (number | null)[], width: number, scale?: number): string {
  const vs = values.slice(-width);
  const max = scale ?? Math.max(0, ...vs.map((v) => v ?? 0));
  const out = vs
    .map((v) => {
      if (v === null) return ' ';
      if (max <= 0) return SPARKS[0] ?? '_';
      return SPARKS[Math.min(SPARKS.length - 1, Math.floor((v / max) * (SPARKS.length - 1) + 0.5))] ?? ' ';
    })
    .join('');
  return out.padStart(width);
}

function stat(c: PaneContext, i: NetInterface, counter: string): CounterStat | undefined {
  return c.sample?.stats.get(`if.${i.name}.${counter}`);
}

/** Link utilisation in %: the busier direction against the link speed (Mb/s). */
export function utilisation(c: PaneContext, i: NetInterface): number | null {
  const speed = i.sys.speed;
  if (speed === undefined || speed <= 0) return null;
  const rx = stat(c, i, 'rxBytes')?.rate;
  const tx = stat(c, i, 'txBytes')?.rate;
  if (rx === null || rx === undefined || tx === null || tx === undefined) return null;
  return (Math.max(rx, tx) * 8 * 100) / (speed * 1e6);
}

function columns(c: PaneContext, width: number): Col<NetInterface>[] {
  const mode = c.ui.counterMode;
  const val = (i: NetInterface, counter: string): string => {
    const x = stat(c, i, counter);
    return mode === 'rate'
      ? compact(x?.rate, { rate: true })
      : mode === 'delta'
        ? compact(x?.delta)
        : mode === 'since'
          ? compact(x?.sinceMark)
          : compact(x?.total);
  };
  const num = (title: string, counter: string): Col<NetInterface> => {
    const col: Col<NetInterface> = { title, width: 6, align: 'right', value: (i) => val(i, counter) };
    if ((PROBLEMS as readonly string[]).includes(counter)) col.hot = (i) => (stat(c, i, counter)?.delta ?? 0) > 0;
    return col;
  };
  // netstat's eight columns always; the name column as wide as the longest name (≤ 15).
  const ifs = c.frame.interfaces;
  const nameW = Math.max(5, Math.min(15, Math.max(0, ...ifs.map((i) => printable(i.name).length))));
  const cols: Col<NetInterface>[] = [
    { title: 'Iface', width: nameW, align: 'left', value: (i) => printable(i.name) },
    num('RX-OK', 'rxPackets'),
    num('RX-ERR', 'rxErrs'),
    num('RX-DRP', 'rxDrop'),
    num('RX-OVR', 'rxFifo'),
    num('TX-OK', 'txPackets'),
    num('TX-ERR', 'txErrs'),
    num('TX-DRP', 'txDrop'),
    num('TX-OVR', 'txFifo'),
  ];
  const hist = (i: NetInterface): { rx: readonly (number | null)[]; tx: readonly (number | null)[] } =>
    c.frame.history.get(i.name) ?? { rx: [], tx: [] };
  const extra: Col<NetInterface>[] = [
    { title: 'RX-B/s', width: 6, align: 'right', value: (i) => bytes(stat(c, i, 'rxBytes')?.rate) },
    { title: 'TX-B/s', width: 6, align: 'right', value: (i) => bytes(stat(c, i, 'txBytes')?.rate) },
    // Past 100 % the speed is not a real limit (veth and other virtual devices report a nominal one).
    {
      title: 'Util',
      width: 5,
      align: 'right',
      value: (i) => {
        const u = utilisation(c, i);
        return u === null || u > 100 ? '-' : `${u < 10 ? u.toFixed(1) : Math.round(u)}%`;
      },
      hot: (i) => {
        const u = utilisation(c, i) ?? 0;
        return u >= 90 && u <= 100;
      },
    },
    // Each row on its own scale, whose top (the row's peak, RX+TX) is shown beside it.
    {
      title: 'Traffic   peak',
      width: 16,
      align: 'left',
      value: (i) => {
        const h = hist(i);
        const vs = h.rx.slice(-10).map((v, k) => (v === null ? null : v + (h.tx.slice(-10)[k] ?? 0)));
        const peak = Math.max(0, ...vs.map((v) => v ?? 0));
        return `${sparkline(vs, 10)} ${bytes(peak).padStart(5)}`;
      },
    },
    { title: 'MTU', width: 5, align: 'right', value: (i) => (i.sys.mtu === undefined ? '-' : String(i.sys.mtu)) },
    {
      title: 'Flg',
      width: 6,
      align: 'left',
      value: (i) => {
        const f = effectiveFlags(i.sys);
        return f === undefined ? '-' : flagLetters(f);
      },
    },
    {
      title: 'Speed',
      width: 6,
      align: 'right',
      value: (i) =>
        i.sys.speed === undefined || i.sys.speed <= 0 ? '-' : i.sys.speed >= 1000 ? `${i.sys.speed / 1000}G` : `${i.sys.speed}M`,
    },
  ];
  let used = cols.reduce((a, col) => a + col.width + 1, -1);
  for (const col of extra) {
    if (used + 1 + col.width > width) break;
    cols.push(col);
    used += 1 + col.width;
  }
  return cols;
}

export const interfacesPane = pane<NetInterface>({
  title: 'Interfaces',
  short: 'ifaces',
  sortColumns: ['name', 'rx', 'tx', 'errors'],
  // The frame hands on the same interfaces array and the tracker the same stats map while
  // nothing moved; the history and the link flags likewise.
  listInput: (f) => [f.interfaces, f.sample?.stats],
  textInputs: (f) => {
    const read = f.sample?.snapshot.interfaces;
    // An unreadable /proc/net/dev is said in place of the rows.
    return [f.interfaces, f.sample?.stats, f.sample?.mark.reason, f.history, f.linkFlags, read && !read.ok ? read.error : null];
  },
  list(c) {
    const ifs = c.frame.interfaces;
    let list = c.needle ? ifs.filter((i) => i.name.toLowerCase().includes(c.needle)) : [...ifs];
    const rate = (i: NetInterface, counter: string): number => stat(c, i, counter)?.rate ?? -1;
    const val = (i: NetInterface): number =>
      c.sortCol === 'rx'
        ? rate(i, 'rxBytes')
        : c.sortCol === 'tx'
          ? rate(i, 'txBytes')
          : PROBLEMS.reduce((a, p) => a + (stat(c, i, p)?.delta ?? 0), 0);
    list = list.sort((a, b) => {
      if (c.sortCol === 'name') return naturalCompare(a.name, b.name) * c.dir;
      return (val(b) - val(a)) * c.dir || naturalCompare(a.name, b.name);
    });
    return { keys: list.map((i) => i.name), items: list };
  },

  format(c, width) {
    const cols = columns(c, width);
    return {
      header: layoutHeader(cols, width),
      row: (i) => {
        const up = ((i.sys.flags ?? 1) & 1) === 1;
        const appeared = stat(c, i, 'rxBytes')?.reset === 'appeared';
        // A link that changed in the last seconds (events log): green up/added, red down, yellow MTU/speed/address.
        return colRow(cols, i, width, c.frame.linkFlags.get(i.name) ?? (appeared ? 'new' : null), !up);
      },
    };
  },

  empty(c) {
    const snap = c.sample?.snapshot;
    return snap?.interfaces && !snap.interfaces.ok ? snap.interfaces.error : `no interfaces${filtered(c)}`;
  },

  detail(c, i, _key, width) {
    const f = effectiveFlags(i.sys);
    const meta = c.sample?.snapshot.interfaceMeta?.find((m) => m.name === i.name);
    const out = [
      `Interface     ${i.name}  index ${i.sys.ifindex ?? '?'}  MTU ${i.sys.mtu ?? '?'}  flags ${f === undefined ? '?' : flagLetters(f)}`,
      `State         ${i.sys.operstate ?? '?'}  speed ${i.sys.speed === undefined ? '?' : `${i.sys.speed} Mb/s`}  address ${i.sys.address ?? '?'}`,
    ];
    if (meta)
      out.push(
        `Addresses     ${[meta.ip4, meta.ip6].filter(Boolean).join('  ') || '-'}${meta.type ? `  type ${meta.type}` : ''}${meta.isDefault ? '  (default route)' : ''}`,
      );
    const u = utilisation(c, i);
    if (u !== null) {
      out.push(
        u > 100
          ? `Utilisation   ${u.toFixed(1)}% of the reported speed, so that speed is nominal (a virtual device), not a limit`
          : `Utilisation   ${u.toFixed(1)}% of the link`,
      );
    }
    const h = c.frame.history.get(i.name);
    if (h) {
      const w = Math.max(10, Math.min(60, width - 14));
      out.push(`RX bytes/s    ${sparkline(h.rx, w)}`, `TX bytes/s    ${sparkline(h.tx, w)}`);
    }
    out.push(
      '',
      `${pad('counter', 14, 'left')}${pad('total', 21, 'right')}${pad('delta', 10, 'right')}${pad('rate/s', 11, 'right')}${pad(sinceTitle(c.sample), 13, 'right')}`,
    );
    const moving: string[] = [];
    for (const counter of Object.keys(i.counters)) {
      const st = stat(c, i, counter);
      if ((PROBLEMS as readonly string[]).includes(counter) && (st?.sinceMark ?? 0) > 0) moving.push(counter);
      out.push(
        `${pad(counter, 14, 'left')}${pad(String(st?.exact ?? st?.total ?? '-'), 21, 'right')}${pad(compact(st?.delta), 10, 'right')}${pad(compact(st?.rate, { rate: true }), 11, 'right')}${pad(compact(st?.sinceMark), 13, 'right')}${st?.reset && st.reset !== 'first' ? `  (${st.reset})` : ''}`,
      );
    }
    // Explain what is moving first; with nothing wrong, what the netstat columns mean.
    for (const counter of moving) out.push(...explained(explainCounter(`if.${i.name}.${counter}`), width));
    if (moving.length === 0)
      for (const col of ['RX-ERR', 'RX-DRP', 'RX-OVR', 'Flg']) out.push(...explained(explainColumn('interfaces', col), width));
    return out;
  },
});
