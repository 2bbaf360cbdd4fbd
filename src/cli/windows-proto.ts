// Windows netstat's `-p PROTO` (`netstat -an -p tcp`, `netstat -anp udp`, `netstat -s -p ip`).
// On Linux `-p` is --programs and takes no value, so a protocol name after it read as an
// interval ("invalid interval 'tcp'"). A short-flag group that ends in `p` and is followed by
// one of Windows' protocol names is taken the Windows way: that protocol, no programs.

/** Windows netstat's protocol names, as netdash's socket types and families. ip/ipv6 and
 *  icmp/icmpv6 have no sockets of their own on Linux but raw ones; with -s they select the
 *  IP and ICMP tables (netstat -s --raw). */
export const WINDOWS_PROTOS: Readonly<Record<string, { tcp?: true; udp?: true; raw?: true; family: 4 | 6 }>> = {
  tcp: { tcp: true, family: 4 },
  udp: { udp: true, family: 4 },
  tcpv6: { tcp: true, family: 6 },
  udpv6: { udp: true, family: 6 },
  ip: { raw: true, family: 4 },
  ipv6: { raw: true, family: 6 },
  icmp: { raw: true, family: 4 },
  icmpv6: { raw: true, family: 6 },
};

export interface WindowsProto {
  /** argv without the `p` flag and the protocol name. */
  argv: string[];
  /** The protocol named (lowercase), or null when there was none. */
  proto: string | null;
}

export function takeWindowsProto(argv: readonly string[]): WindowsProto {
  const out: string[] = [];
  let proto: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const next = argv[i + 1]?.toLowerCase();
    if (/^-[A-Za-z0-9]*p$/.test(a) && next !== undefined && next in WINDOWS_PROTOS) {
      const rest = a.slice(0, -1);
      if (rest !== '-') out.push(rest);
      proto = next;
      i++;
      continue;
    }
    out.push(a);
  }
  return { argv: out, proto };
}
