// What kind of address an endpoint is (wildcard, loopback, link-local, private, multicast,
// IPv4-mapped…), in words for the detail view.
import type { Explanation } from '../catalog/index.js';

function ex(title: string, meaning: string): Explanation {
  return { title, meaning };
}

function parseV4(s: string): number[] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return null;
  const o = m.slice(1).map(Number);
  return o.every((n) => n <= 255) ? o : null;
}

/** Strip brackets, a :port suffix and a %zone so '[fe80::1%eth0]:22' and '127.0.0.1:80' work. */
function bareAddress(addr: string): string {
  let a = addr.trim();
  const br = /^\[([^\]]*)\](?::[\w*-]+)?$/.exec(a);
  if (br) a = br[1] ?? '';
  else if (/^[\d.]+:[\w*-]+$/.test(a)) a = a.slice(0, a.lastIndexOf(':'));
  else if (/^\*:[\w*-]+$/.test(a)) a = '*';
  const pct = a.indexOf('%');
  if (pct >= 0) a = a.slice(0, pct);
  return a.toLowerCase();
}

function explainV4(o: number[], shown: string): Explanation | null {
  const [a = 0, b = 0] = o;
  if (o.every((n) => n === 0))
    return ex(
      'Wildcard address 0.0.0.0',
      'Any local IPv4 address: a socket bound here accepts traffic sent to every address of the host, on every interface. As a route destination it means the default route.',
    );
  if (o.every((n) => n === 255))
    return ex('Limited broadcast 255.255.255.255', 'A broadcast to every host on the local link; routers never forward it.');
  if (a === 127)
    return ex(
      `Loopback address ${shown}`,
      'Loopback (127.0.0.0/8): traffic never leaves this host. A service bound only here cannot be reached from the network.',
    );
  if (a === 169 && b === 254)
    return ex(
      `Link-local address ${shown}`,
      'An IPv4 link-local address (169.254.0.0/16), valid only on one link. Hosts pick one themselves when DHCP fails; cloud metadata services also live at 169.254.169.254.',
    );
  if (a >= 224 && a <= 239)
    return ex(
      `Multicast address ${shown}`,
      'An IPv4 multicast group (224.0.0.0/4): packets go to every host that joined the group, not to a single machine.',
    );
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168))
    return ex(
      `Private address ${shown}`,
      'A private IPv4 address (RFC 1918) that is not routed on the public internet; reaching the internet from it needs NAT.',
    );
  if (a === 100 && b >= 64 && b <= 127)
    return ex(`Shared address ${shown}`, 'Carrier-grade NAT space (100.64.0.0/10), used between a provider and its customers.');
  return null;
}

/** Eight 16-bit groups of an IPv6 address (an embedded dotted IPv4 tail allowed), or null. */
function expandV6(a: string): number[] | null {
  let s = a;
  const tail: number[] = [];
  const v4 = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4) {
    const o = parseV4(v4[2] ?? '');
    if (!o) return null;
    tail.push(((o[0] ?? 0) << 8) | (o[1] ?? 0), ((o[2] ?? 0) << 8) | (o[3] ?? 0));
    s = v4[1] ?? '';
    if (s.endsWith(':') && !s.endsWith('::')) s = s.slice(0, -1);
  }
  const parts = s.split('::');
  if (parts.length > 2) return null;
  const side = (x: string | undefined): number[] | null => {
    if (!x) return [];
    const g = x.split(':');
    if (!g.every((p) => /^[0-9a-f]{1,4}$/.test(p))) return null;
    return g.map((p) => parseInt(p, 16));
  };
  const head = side(parts[0]);
  const rest = side(parts[1]);
  if (!head || !rest) return null;
  const want = 8 - tail.length;
  if (parts.length === 1) return head.length === want ? [...head, ...tail] : null;
  const fill = want - head.length - rest.length;
  if (fill < 1) return null;
  return [...head, ...new Array<number>(fill).fill(0), ...rest, ...tail];
}

export function explainAddress(addr: string): Explanation | null {
  const a = bareAddress(addr);
  if (a === '*' || a === '*:*')
    return ex(
      'Wildcard *',
      'No specific address: for a local address it means any address of the host; for a foreign address it means there is no peer (a listener or an unconnected UDP socket).',
    );
  const v4 = parseV4(a);
  if (v4) return explainV4(v4, a);
  if (!a.includes(':')) return null;
  // netstat writes IPv6 endpoints without brackets (':::22', 'fe80::1:123'): drop a port
  // only when the whole text is not an address by itself.
  let h = expandV6(a);
  const port = /^(.*:):?[\w*-]+$/.exec(a);
  if (!h && port) {
    const cut = a.slice(0, a.lastIndexOf(':'));
    h = expandV6(cut) ?? expandV6(cut + ':');
  }
  if (!h) return null;
  if (h.every((x) => x === 0))
    return ex(
      'Wildcard address ::',
      'Any local IPv6 address. On Linux a socket bound to :: usually accepts IPv4 connections too, unless IPV6_V6ONLY is set or net.ipv6.bindv6only is 1.',
    );
  if (h.slice(0, 7).every((x) => x === 0) && h[7] === 1)
    return ex(
      'Loopback address ::1',
      'The IPv6 loopback address: traffic never leaves this host. A service bound only here cannot be reached from the network.',
    );
  if (h.slice(0, 5).every((x) => x === 0) && h[5] === 0xffff) {
    const o = [(h[6] ?? 0) >> 8, (h[6] ?? 0) & 255, (h[7] ?? 0) >> 8, (h[7] ?? 0) & 255];
    const inner = o.join('.');
    const innerEx = explainV4(o, inner);
    return ex(
      `IPv4-mapped address ${a}`,
      `The IPv4 address ${inner} written in IPv6 form: an IPv4 peer talking to a socket that listens on IPv6.` +
        (innerEx ? ` ${innerEx.meaning}` : ''),
    );
  }
  const first = h[0] ?? 0;
  if ((first & 0xffc0) === 0xfe80)
    return ex(
      `Link-local address ${a}`,
      'An IPv6 link-local address (fe80::/10). Every IPv6 interface has one; it is valid only on its own link, so it needs a zone such as %eth0 to be usable.',
    );
  if ((first & 0xff00) === 0xff00)
    return ex(
      `Multicast address ${a}`,
      'An IPv6 multicast group (ff00::/8). IPv6 has no broadcast; neighbor discovery and router discovery use multicast groups such as ff02::1 (all nodes).',
    );
  if ((first & 0xfe00) === 0xfc00)
    return ex(
      `Unique local address ${a}`,
      'An IPv6 unique local address (fc00::/7), the IPv6 counterpart of private IPv4 space, not routed on the internet.',
    );
  return null;
}
