// Tracked flows from /proc/net/nf_conntrack (net/netfilter/nf_conntrack_standalone.c ct_seq_show):
//   l3name l3num l4name l4num [timeout] [state] <orig tuple> [UNREPLIED] <reply tuple> [ASSURED] mark= ... use=N
// A tuple is src= dst= plus sport= dport= (tcp, udp, sctp, ...) or type= code= id= (icmp); with
// accounting on, packets= bytes= follow each tuple. Offloaded flows print no timeout.
import { isIP } from 'node:net';
import type { ConntrackEntry, SourceResult } from '../model.js';
import { formatIpv6 } from './inet-address.js';
import { describeReadError, isLiveRoot, readSource, type KernelFs, type Parsed } from './kernel-fs.js';

interface Tuple {
  src: string;
  dst?: string;
  sport?: number;
  dport?: number;
}

const NUM = /^\d+$/;
const FULL_IPV6 = /^[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){7}$/i;

/** The kernel writes IPv6 addresses uncompressed (%pI6); sources hand out inet_ntop's form. */
function address(text: string): string | null {
  if (isIP(text) === 0) return null;
  if (!FULL_IPV6.test(text)) return text;
  const bytes: number[] = [];
  for (const group of text.split(':')) {
    const w = parseInt(group, 16);
    bytes.push(w >> 8, w & 0xff);
  }
  return formatIpv6(bytes);
}

function parseLine(line: string): ConntrackEntry | null {
  const tok = line.trim().split(/\s+/);
  const [l3, l3num, proto, protoNum] = tok;
  if (l3 === undefined || proto === undefined || !NUM.test(l3num ?? '') || !NUM.test(protoNum ?? '')) return null;
  if (!Number.isSafeInteger(Number(protoNum))) return null;
  // use= is always the last thing the kernel prints; without it the line was cut short
  if (!/^use=\d+$/.test(tok[tok.length - 1] ?? '')) return null;

  let i = 4;
  let timeout = 0; // offloaded flows have none
  if (NUM.test(tok[i] ?? '')) timeout = Number(tok[i++]);
  if (!Number.isFinite(timeout)) return null;
  let state: string | null = null;
  const word = tok[i];
  if (word !== undefined && !word.includes('=') && !word.startsWith('[')) {
    state = word;
    i++;
  }

  // Only the address and port keys matter; type=/code=/id=, packets=/bytes=, zone=, mark= and
  // whatever newer kernels add are passed over. Each src= opens the next tuple.
  const tuples: Tuple[] = [];
  const flags: string[] = [];
  for (; i < tok.length; i++) {
    const t = tok[i] ?? '';
    const flag = /^\[([A-Z_]+)\]$/.exec(t);
    if (flag) {
      flags.push(flag[1] ?? '');
      continue;
    }
    const eq = t.indexOf('=');
    if (eq <= 0) return null;
    const key = t.slice(0, eq),
      val = t.slice(eq + 1);
    const cur = tuples[tuples.length - 1];
    if (key === 'src') {
      const src = address(val);
      if (src === null) return null;
      tuples.push({ src });
    } else if (key === 'dst') {
      const dst = address(val);
      if (cur === undefined || cur.dst !== undefined || dst === null) return null;
      cur.dst = dst;
    } else if (key === 'sport' || key === 'dport') {
      if (cur === undefined || cur[key] !== undefined || !NUM.test(val) || Number(val) > 65535) return null;
      cur[key] = Number(val);
    }
  }
  const [orig, reply] = tuples;
  if (tuples.length !== 2 || orig === undefined || reply === undefined) return null;
  for (const t of tuples) {
    if (t.dst === undefined || (t.sport === undefined) !== (t.dport === undefined)) return null;
  }
  return {
    l3,
    proto,
    protoNum: Number(protoNum),
    timeout,
    state,
    src: orig.src,
    dst: orig.dst ?? '',
    sport: orig.sport ?? null,
    dport: orig.dport ?? null,
    replySrc: reply.src,
    replyDst: reply.dst ?? '',
    replySport: reply.sport ?? null,
    replyDport: reply.dport ?? null,
    flags,
  };
}

export function parseConntrack(text: string): Parsed<ConntrackEntry[]> {
  const value: ConntrackEntry[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const e = parseLine(line);
    if (e) value.push(e);
    else skipped++;
  }
  return { value, skipped };
}

const REL = 'proc/net/nf_conntrack';
const COUNT = 'proc/sys/net/netfilter/nf_conntrack_count';
const ABSENT = describeReadError(REL, Object.assign(new Error('absent'), { code: 'ENOENT' }));
/** The kernel makes nf_conntrack readable by root only (0440): say that it exists but needs root. */
const DENIED = describeReadError(REL, Object.assign(new Error('denied'), { code: 'EACCES' }));
export const CONNTRACK_NEEDS_ROOT = `${DENIED} (needs root)`;

/** Whether the live table was readable the last time it was read (it is root's only). */
let liveReadable = false;

/**
 * Reading /proc/net/nf_conntrack walks the kernel's whole hash table (262144 buckets on a
 * small VM, ~0.2 ms), however few flows it holds. So for the live root, once the table was
 * read (it exists, and this process may read it), it is not read while the namespace's
 * nf_conntrack_count says it holds no flow: the result is the one an empty file gives.
 */
export async function readConntrack(kfs: KernelFs): Promise<SourceResult<ConntrackEntry[]>> {
  const live = isLiveRoot(kfs);
  if (live && liveReadable) {
    const count = await kfs.readText(COUNT).then(
      (t) => t.trim(),
      () => null,
    );
    if (count === '0') return { ok: true, value: [], skipped: 0 };
  }
  const r = await readSource(kfs, REL, parseConntrack, { emptyOk: true });
  if (live) liveReadable = r.ok;
  if (!r.ok && r.error === ABSENT) {
    return { ok: false, error: `/${REL}: conntrack is not available (module nf_conntrack not loaded)` };
  }
  if (!r.ok && r.error === DENIED) return { ok: false, error: CONNTRACK_NEEDS_ROOT };
  return r;
}
