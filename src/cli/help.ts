// --help text. The netstat flags are grouped the way netstat(8) groups them (its synopsis, the
// kind of information, options, socket types, address families); netdash's own flags follow.
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
    (none)                  open sockets: connected ones (-a: all, -l: listening)
    -r, --route             kernel routing table (-e, -ee: more columns; -6 or -A inet6: IPv6)
    -i, --interfaces        interface table (-a: also interfaces that are down; -e: the
                            ifconfig-style listing)
    -M, --masquerade        NAT connections, read from conntrack (-a: every tracked flow)
    -s, --statistics        statistics per protocol (-t, -u, -w narrow it; -6: the IPv6 ones)
    -g, --groups            not implemented (multicast memberships: use ip maddr)

  Options
    -v, --verbose           accepted; changes nothing
    -W, --wide              do not cut long addresses
    -n, --numeric           no names: numeric hosts, ports and users
    --numeric-hosts         numeric hosts only
    --numeric-ports         numeric ports only
    --numeric-users         numeric user ids only
    -A, --protocol FAMILY   address families, comma-separated: inet, inet6, unix
    -c, --continuous        print the same table again every second, as netstat does
                            (-s -c prints once); an interval without -c prints netdash's
                            own changes per interval for -i and -s
    -e, --extend            User and Inode columns; with -r, -e and -ee add route columns;
                            with -i, the ifconfig-style listing
    -o, --timers            socket timers: on, keepalive, timewait, off (secs/retransmits/probes)
    -p, --programs          PID/Program name of each socket (other users' need root)
    -l, --listening         listening sockets only
    -a, --all               listening and connected sockets
    -F, --fib               routes from the FIB: the default, accepted
    -C, --cache             with -r: the routing cache (empty for IPv4 since Linux 3.6)
    -Z, --context           not implemented (SELinux contexts)
    -N, --symbolic          accepted; changes nothing

  Socket types
    -t, --tcp   -u, --udp   -U, --udplite   -w, --raw   -x, --unix
    not implemented: -S/--sctp, -2/--l2cap, -f/--rfcomm, --ax25, --ipx, --netrom

  Address family options
    -4, --inet   -6, --inet6   -x, --unix   -A, --protocol inet|inet6|unix[,...]
    A family with no socket type means every type of that family.

WINDOWS NETSTAT FLAGS
    -a, -n, -r, -s and the interval work as on Windows; -e is --ethernet here (-e -s:
    both). -p PROTO (tcp, udp, tcpv6, udpv6, ip, ipv6, icmp, icmpv6) selects it, with -s
    too; -p alone is PID/Program. -o here shows timers.
    Not implemented: -b, -f, -q, -t (offload state), -x, -y.

NETDASH FLAGS
    --print                 print once (the default when stdout is not a terminal)
    --json                  print as one JSON document; with an interval, one line per sample
    N, --interval N         seconds between samples, 0.2 to 3600 (dashboard: 2 unless given)
    --count N               stop after N samples
    --ethernet              totals like Windows "netstat -e": bytes, unicast and non-unicast
                            packets, discards, errors, unknown protocols
    --record FILE           append every raw sample to FILE (NDJSON); interval default 2 s
    --replay FILE           play a recording through the same engine, dashboard or printers
    --speed N               replay N times as fast as recorded, 0 to 1000 (0: no waiting)
    --ascii                 draw the dashboard in plain ASCII (automatic when the locale is
                            not UTF-8)
    --no-mouse              no mouse in the dashboard (click, wheel), so the terminal's own
                            text selection works; every action has a key
    --root DIR              read /proc, /sys and /etc below DIR (captured fixtures)
    --serve [ADDR:]PORT     serve /metrics for Prometheus from the same sampler: alone when
                            stdout is not a terminal, beside the dashboard on one, or with
                            --print/--json; a port alone binds 127.0.0.1 (0.0.0.0:PORT or
                            [::]:PORT for all addresses); -p adds per-program socket counts
    --web-config FILE       TLS and basic auth for --serve (exporter-toolkit YAML)
    -V, --version           version
    -h, --help              this help

DASHBOARD
    The flags above choose where it opens: netdash -tl 5 starts on TCP listeners, every 5 s.
    Keys: 1-8 panes, Tab next pane, Enter details, / filter, Space pause, m mark, z zoom,
    q quit, Ctrl-Z suspend; ? lists them all.
    NO_COLOR=1 turns colour off (bold and reverse stay). A TERM without cursor addressing
    (TERM=dumb) gets print mode instead, with one line on stderr.

EXIT STATUS
    0 done (print mode on a TERM without cursor addressing too); 1 any other error,
    and -s with UNIX sockets (netstat's status); 2 a bad flag or value, or a recording
    that cannot be read; 128+N when the dashboard ends on signal N (SIGTERM, SIGHUP,
    SIGINT). Ctrl-Z stops it (job control); fg resumes.
`;
