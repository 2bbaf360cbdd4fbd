// --help text. The netstat flags are grouped the way netstat(8) groups them (its synopsis, the
// kind of information, options, socket types, address families); netdash's own flags follow.
// Each flag's line comes from FLAG_HELP in options.ts, next to its definition, so a new flag
// needs no edit here; the lines of flags netstat has and netdash refuses are written below.
import { FLAG_HELP, flagLabel, flagsIn, type HelpGroup } from './options.js';
import { wrap } from '../text/wrap.js';

/** Help lines are at most this wide: a flag's label, then its text, continued under the text. */
const WIDTH = 92;
const LABEL = 24;

type Row = readonly [label: string, text: string];

/** A group's lines: `before`, its flags in FLAG_HELP's order, then `after`. */
function flagLines(group: HelpGroup, before: readonly Row[] = [], after: readonly Row[] = []): string {
  const rows: Row[] = flagsIn(group).map((k) => [flagLabel(k), FLAG_HELP[k].text]);
  const out: string[] = [];
  for (const [label, text] of [...before, ...rows, ...after]) {
    const lines = wrap(text, WIDTH - 4 - LABEL);
    const first = label.length < LABEL ? `${label.padEnd(LABEL)}${lines[0] ?? ''}` : label;
    const rest = label.length < LABEL ? lines.slice(1) : lines;
    out.push(`    ${first}`, ...rest.map((l) => `    ${' '.repeat(LABEL)}${l}`));
  }
  return out.join('\n') + '\n';
}

export const HELP = `usage: netdash [netstat flags] [interval]           the live dashboard (on a terminal)
       netdash --print [netstat flags] [interval]   print in netstat's formats
       netdash --json [netstat flags] [interval]    the same data as JSON (NDJSON with an interval)
       netdash --record FILE [flags] [interval]     also append every sample to FILE
       netdash --replay FILE [--speed N] [flags]    show a recording (dashboard, --print or --json)
       netdash --serve [ADDR:]PORT [flags]          a Prometheus endpoint (/metrics), too

netdash watches this Linux host's network state: sockets, interfaces, protocol counters, ICMP,
routes, NAT and UNIX sockets, read from /proc and /sys. On a terminal it opens a live dashboard;
when stdout is not a terminal, or with --print, it prints once in netstat's own formats.

NETSTAT FLAGS, grouped as in netstat(8)
  Forms
    netdash [address family options] [-tuUwx] [-l|-a] [-n] [-N] [-e[e]] [-o] [-p] [-v] [-c] [-W]
    netdash -r [address family options] [-e[e]] [-v] [-n] [-c]
    netdash -i [-a] [-e[e]] [-v] [-n] [-c]
    netdash -M [-a] [-e] [-n] [-c]
    netdash -s [-t] [-u] [-w] [-6] [-c]
    netdash -V | -h

  What to show (none, or one of these)
${flagLines('show', [['(none)', 'open sockets: connected ones (-a: all, -l: listening)']], [['-g, --groups', 'not implemented (multicast memberships: use ip maddr)']])}
  Options
${flagLines('options', [], [['-Z, --context', 'not implemented (SELinux contexts)']])}
  Socket types
${flagLines('types', [], [['-S, -2, -f', 'not implemented (--sctp, --l2cap, --rfcomm), nor --ax25, --ipx, --netrom']])}
  Address family options (a family with no socket type means every type of that family)
${flagLines('families', [], [['-x, --unix', 'UNIX domain sockets']])}
WINDOWS NETSTAT FLAGS
    -a, -n, -r, -s and the interval work as on Windows; -e is --ethernet here (-e -s:
    both). -p PROTO (tcp, udp, tcpv6, udpv6, ip, ipv6, icmp, icmpv6) selects it, with -s
    too; -p alone is PID/Program. -o here shows timers.
    Not implemented: -b, -f, -q, -t (offload state), -x, -y.

NETDASH FLAGS
${flagLines('netdash')}
DASHBOARD
    The flags above choose where it opens: netdash -tl 5 starts on TCP listeners, every 5 s.
    Keys: 1-9 0 panes (9 processes, 0 peers), v graphs, Tab next pane, g chart the row,
    i TCP internals, r which connection retransmits, Enter details, / filter, Space pause,
    m mark, z zoom, q quit, Ctrl-Z suspend; ? lists them all. The mouse: click a pane or
    row, click again for details, wheel to scroll (--no-mouse: off).
    NO_COLOR=1 turns colour off (bold and reverse stay). A TERM without cursor addressing
    (TERM=dumb) gets print mode instead, with one line on stderr.

EXIT STATUS
    0 done (print mode on a TERM without cursor addressing, and a reader that closed the
    pipe, too); 1 output or a recording that could not be written (ENOSPC, EIO, ...), -s
    with UNIX sockets (netstat's status), -M without conntrack, or any other error; 2 a bad
    flag or value, a recording that cannot be read, or a --record file refused; 128+N when
    the dashboard ends on signal N (SIGTERM, SIGHUP, SIGINT). Ctrl-Z stops it (job
    control); fg resumes.
`;
