// --help text, grouped the way netstat's man page groups its flags.
export const HELP = `usage: netdash [options] [interval]
       netdash --print|--json [netstat flags] [interval]

Live terminal dashboard of this host's network state; with --print, netstat's own formats.

Output
  --print                 print once in netstat's formats (default when stdout is not a terminal)
  --json                  print the same data as one JSON document
  interval, --interval N  repeat every N seconds (0.2 to 3600)
  -c, --continuous        repeat every second (or every interval)
  --count N               stop after N samples
  --record FILE           append every sample to FILE (NDJSON; interval defaults to 2 s)
  --replay FILE           play a recording through the same printers
  --speed N               replay N times faster than recorded (0: no waiting)
  --root DIR              read /proc, /sys and /etc below DIR (captured fixtures)

Sections (choose one; default: connections)
  -r, --route             routing table (with -e, -ee for more columns)
  -i, --interfaces        interface table
  -s, --statistics        protocol statistics (limit with -t, -u, -w; -6 for IPv6)
  -M, --masquerade        NAT flows from conntrack
  --ethernet              totals like Windows "netstat -e": bytes, unicast, non-unicast, discards, errors, unknown protocols

Sockets
  -t, --tcp  -u, --udp  -U, --udplite  -w, --raw  -x, --unix
  -4, --inet  -6, --inet6  -A, --protocol inet|inet6|unix[,...]
  -a, --all               all sockets (default: connected ones)
  -l, --listening         listening sockets only

Columns and names
  -n, --numeric           no name lookups (hosts, ports, users)
  --numeric-hosts  --numeric-ports  --numeric-users
  -e, --extend            user and inode columns (-ee: more)
  -p, --programs          PID/Program name of each socket (all of them need root)
  -o, --timers            socket timers
  -W, --wide              do not cut addresses
  -N, --symbolic  -F, --fib  -v, --verbose   accepted for netstat compatibility

Other
  -V, --version           version
  -h, --help              this help
`;
