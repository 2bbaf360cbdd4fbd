// Command-line flags, netstat-compatible. Parsing is node's util.parseArgs (short-flag
// grouping like -tulpn, repeated -e); this module adds netstat's rules and value checks.
import { parseArgs } from 'node:util';
import type { DashboardOptions } from '../dashboard/dashboard-options.js';
import type { Section } from '../names/netstat-selection.js';
import type { PrintOptions } from '../print/print-options.js';
import { parseListenAddress, type ListenAddress } from '../serve/listen-address.js';
import { takeWindowsProto, WINDOWS_PROTOS } from './windows-proto.js';

export type { Section };

/** A bad flag or value: one line on stderr, exit status 2, or netstat's own status where
 *  netstat refuses the same thing (`-s -x`: 1). */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly status = 2,
  ) {
    super(message);
  }
}

/** Every flag, resolved. The printers and the dashboard each take the narrower type they need. */
export interface Options extends PrintOptions, DashboardOptions {
  /** Append every sample to this NDJSON file. */
  record: string | null;
  /** Feed a recording to the printers instead of reading the kernel. */
  replay: string | null;
  /** Replay speed multiplier; 0 replays without waiting. */
  speed: number;
  /** Dashboard: plain ASCII drawing (also automatic when the locale is not UTF-8). */
  ascii: boolean;
  /** Dashboard: no mouse reporting (--no-mouse), so the terminal's own selection works. */
  noMouse: boolean;
  root: string;
  /** --serve: the Prometheus endpoint's address; null: no endpoint. */
  serve: ListenAddress | null;
  /** --web-config: exporter-toolkit style TLS and basic auth for --serve. */
  webConfig: string | null;
  help: boolean;
  version: boolean;
}

export const INTERVAL_MIN = 0.2;
export const DEFAULT_INTERVAL = 2;
export const INTERVAL_MAX = 3600;
const FAMILIES = ['inet', 'inet6', 'unix'] as const;

const optionSpec = {
  all: { type: 'boolean', short: 'a' },
  listening: { type: 'boolean', short: 'l' },
  tcp: { type: 'boolean', short: 't' },
  udp: { type: 'boolean', short: 'u' },
  udplite: { type: 'boolean', short: 'U' },
  raw: { type: 'boolean', short: 'w' },
  unix: { type: 'boolean', short: 'x' },
  inet: { type: 'boolean', short: '4' },
  inet6: { type: 'boolean', short: '6' },
  protocol: { type: 'string', short: 'A', multiple: true },
  numeric: { type: 'boolean', short: 'n' },
  'numeric-hosts': { type: 'boolean' },
  'numeric-ports': { type: 'boolean' },
  'numeric-users': { type: 'boolean' },
  symbolic: { type: 'boolean', short: 'N' },
  extend: { type: 'boolean', short: 'e', multiple: true },
  programs: { type: 'boolean', short: 'p' },
  timers: { type: 'boolean', short: 'o' },
  wide: { type: 'boolean', short: 'W' },
  verbose: { type: 'boolean', short: 'v' },
  continuous: { type: 'boolean', short: 'c' },
  interfaces: { type: 'boolean', short: 'i' },
  route: { type: 'boolean', short: 'r' },
  statistics: { type: 'boolean', short: 's' },
  masquerade: { type: 'boolean', short: 'M' },
  fib: { type: 'boolean', short: 'F' },
  cache: { type: 'boolean', short: 'C' },
  ethernet: { type: 'boolean' },
  info: { type: 'boolean' },
  print: { type: 'boolean' },
  json: { type: 'boolean' },
  interval: { type: 'string' },
  count: { type: 'string' },
  record: { type: 'string' },
  replay: { type: 'string' },
  speed: { type: 'string' },
  ascii: { type: 'boolean' },
  'no-mouse': { type: 'boolean' },
  root: { type: 'string' },
  serve: { type: 'string' },
  'web-config': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
} as const;

/** Where a flag is listed in --help (help.ts lays out the groups in this order), and what its
 *  line says. Every flag has one: adding a flag is its optionSpec entry and its line here. */
export type HelpGroup = 'show' | 'options' | 'types' | 'families' | 'netdash';
export interface FlagHelp {
  group: HelpGroup;
  /** The value it takes, shown after the flag ('FILE'). */
  arg?: string;
  text: string;
}

export const FLAG_HELP = {
  route: { group: 'show', text: 'kernel routing table (-e, -ee: more columns; -6 or -A inet6: IPv6)' },
  interfaces: { group: 'show', text: 'interface table (-a: also interfaces that are down; -e: the ifconfig-style listing)' },
  masquerade: { group: 'show', text: 'NAT connections, read from conntrack (-a: every tracked flow)' },
  statistics: { group: 'show', text: 'statistics per protocol (-t, -u, -w narrow it; -6: the IPv6 ones)' },
  verbose: { group: 'options', text: 'accepted; changes nothing' },
  wide: { group: 'options', text: 'do not cut long addresses' },
  numeric: { group: 'options', text: 'no names: numeric hosts, ports and users' },
  'numeric-hosts': { group: 'options', text: 'numeric hosts only' },
  'numeric-ports': { group: 'options', text: 'numeric ports only' },
  'numeric-users': { group: 'options', text: 'numeric user ids only' },
  continuous: {
    group: 'options',
    text: "print the same table again every second, as netstat does (-s -c prints once); an interval without -c prints netdash's own changes per interval for -i and -s",
  },
  extend: { group: 'options', text: 'User and Inode columns; with -r, -e and -ee add route columns; with -i, the ifconfig-style listing' },
  timers: { group: 'options', text: 'socket timers: on, keepalive, timewait, off (secs/retransmits/probes)' },
  programs: { group: 'options', text: "PID/Program name of each socket (other users' need root)" },
  listening: { group: 'options', text: 'listening sockets only' },
  all: { group: 'options', text: 'listening and connected sockets' },
  fib: { group: 'options', text: 'routes from the FIB: the default, accepted' },
  cache: { group: 'options', text: 'with -r: the routing cache (empty for IPv4 since Linux 3.6)' },
  symbolic: { group: 'options', text: 'accepted; changes nothing' },
  tcp: { group: 'types', text: 'TCP sockets' },
  udp: { group: 'types', text: 'UDP sockets' },
  udplite: { group: 'types', text: 'UDP-Lite sockets' },
  raw: { group: 'types', text: 'raw sockets' },
  unix: { group: 'types', text: 'UNIX domain sockets (also an address family)' },
  inet: { group: 'families', text: 'IPv4' },
  inet6: { group: 'families', text: 'IPv6' },
  protocol: { group: 'families', arg: 'FAMILY', text: 'address families, comma-separated: inet, inet6, unix' },
  print: { group: 'netdash', text: 'print once (the default when stdout is not a terminal)' },
  json: { group: 'netdash', text: 'print as one JSON document; with an interval, one line per sample' },
  interval: {
    group: 'netdash',
    arg: 'N',
    text: 'seconds between samples, 0.2 to 3600, also written as a bare N (dashboard: 2 unless given)',
  },
  count: { group: 'netdash', arg: 'N', text: 'stop after N samples' },
  ethernet: {
    group: 'netdash',
    text: 'totals like Windows "netstat -e": bytes, unicast and non-unicast packets, discards, errors, unknown protocols',
  },
  info: {
    group: 'netdash',
    text: 'TCP internals (tcp_info) under each TCP connection, as ss -tin prints them; in JSON with an interval, per-connection deltas and per-process / per-peer traffic (not -i, which is interfaces)',
  },
  record: { group: 'netdash', arg: 'FILE', text: 'append every raw sample to FILE (NDJSON); interval default 2 s' },
  replay: { group: 'netdash', arg: 'FILE', text: 'play a recording through the same engine, dashboard or printers' },
  speed: { group: 'netdash', arg: 'N', text: 'replay N times as fast as recorded, 0 to 1000 (0: no waiting)' },
  ascii: { group: 'netdash', text: 'draw the dashboard in plain ASCII (automatic when the locale is not UTF-8)' },
  'no-mouse': {
    group: 'netdash',
    text: "no mouse in the dashboard (click, wheel), so the terminal's own text selection works; every action has a key",
  },
  root: { group: 'netdash', arg: 'DIR', text: 'read /proc, /sys and /etc below DIR (captured fixtures)' },
  serve: {
    group: 'netdash',
    arg: '[ADDR:]PORT',
    text: 'serve /metrics for Prometheus from the same sampler: alone when stdout is not a terminal, beside the dashboard on one, or with --print/--json; a port alone binds 127.0.0.1 (0.0.0.0:PORT or [::]:PORT for all addresses); -p adds per-program socket counts',
  },
  'web-config': { group: 'netdash', arg: 'FILE', text: 'TLS and basic auth for --serve (exporter-toolkit YAML)' },
  version: { group: 'netdash', text: 'version' },
  help: { group: 'netdash', text: 'this help' },
} as const satisfies Record<keyof typeof optionSpec, FlagHelp>;

/** A flag as --help names it: "-a, --all", "--record FILE". */
export function flagLabel(name: keyof typeof optionSpec): string {
  const spec = optionSpec[name];
  const h: FlagHelp = FLAG_HELP[name];
  return `${'short' in spec ? `-${spec.short}, ` : ''}--${name}${h.arg !== undefined ? ` ${h.arg}` : ''}`;
}

/** The flags of one --help group, in FLAG_HELP's order. */
export function flagsIn(group: HelpGroup): (keyof typeof optionSpec)[] {
  return (Object.keys(FLAG_HELP) as (keyof typeof FLAG_HELP)[]).filter((k) => FLAG_HELP[k].group === group);
}

/** Every flag, for the one-line error that names the valid choices. */
export function validFlags(): string {
  const shorts = Object.values(optionSpec)
    .map((o) => ('short' in o ? o.short : ''))
    .filter(Boolean)
    .join('');
  const longs = Object.keys(optionSpec)
    .map((k) => `--${k}`)
    .join(' ');
  return `-${shorts} ${longs}`;
}

function parseNumber(what: string, raw: string, min: number, max: number, integer: boolean): number {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max) {
    const kind = integer ? 'a whole number' : 'a number';
    throw new UsageError(`invalid ${what} '${raw}': expected ${kind} from ${min} to ${max}`);
  }
  return n;
}

const NUMBER_FLAGS = new Set(['--interval', '--count', '--speed']);
const NEGATIVE = /^-(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

/** parseArgs reads "-5" as an unknown short flag and refuses "--count -1" as ambiguous; both are
 *  numbers out of range, and should be reported as such. "-4" and "-6" (and "-46") stay flags. */
function numbersWithDash(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    const next = argv[i + 1];
    if (a === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (NUMBER_FLAGS.has(a) && next !== undefined && NEGATIVE.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else if (NEGATIVE.test(a) && !/^-[46]+$/.test(a)) {
      out.push(`--interval=${a}`);
    } else {
      out.push(a);
    }
  }
  return out;
}

export function parseOptions(argv: readonly string[]): Options {
  const win = takeWindowsProto(argv);
  let parsed;
  try {
    parsed = parseArgs({ args: numbersWithDash(win.argv), options: optionSpec, allowPositionals: true, strict: true });
  } catch (err) {
    const msg = err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err);
    throw new UsageError(`${msg.replace(/\. To specify a positional argument.*$/, '')}; valid flags: ${validFlags()}`);
  }
  const v = parsed.values;

  let inet4 = Boolean(v.inet),
    inet6 = Boolean(v.inet6),
    unix = Boolean(v.unix);
  for (const list of v.protocol ?? []) {
    for (const fam of list.split(',')) {
      if (fam === 'inet') inet4 = true;
      else if (fam === 'inet6') inet6 = true;
      else if (fam === 'unix') unix = true;
      else throw new UsageError(`unknown address family '${fam}' for -A: valid families are ${FAMILIES.join(', ')}`);
    }
  }

  const sections: Section[] = [];
  if (v.interfaces) sections.push('interfaces');
  if (v.statistics) sections.push('statistics');
  if (v.route) sections.push('routes');
  if (v.masquerade) sections.push('masquerade');
  // Windows netstat -e -s: the Ethernet block, then the statistics (-e alone is Linux's
  // --extend; --ethernet -s the same as -e -s).
  const ethernetToo = Boolean(v.statistics) && (Boolean(v.ethernet) || (v.extend?.length ?? 0) > 0);
  if (v.ethernet && !ethernetToo) sections.push('ethernet');
  if (sections.length > 1) {
    throw new UsageError(`choose one of -i, -s, -r, -M, --ethernet (got ${sections.length})`);
  }
  const section = sections[0] ?? 'connections';
  if (v.info && section !== 'connections')
    throw new UsageError('--info shows TCP internals under the connection list: not with -i, -s, -r, -M or --ethernet');

  let tcp = Boolean(v.tcp),
    udp = Boolean(v.udp),
    udplite = Boolean(v.udplite),
    raw = Boolean(v.raw);
  const winProto = win.proto === null ? undefined : WINDOWS_PROTOS[win.proto];
  if (winProto) {
    tcp ||= winProto.tcp === true;
    udp ||= winProto.udp === true;
    raw ||= winProto.raw === true;
    if (winProto.family === 4) inet4 = true;
    else inet6 = true;
  }
  // netstat: "No statistics support for specified address family: unix", status 1.
  if (section === 'statistics' && unix) throw new UsageError('No statistics support for specified address family: unix', 1);
  // netstat: naming a family, or asking for statistics, without a protocol means all of them.
  if ((inet4 || inet6 || section === 'statistics') && !(tcp || udp || udplite || raw)) tcp = udp = udplite = raw = true;
  if ((tcp || udp || udplite || raw) && !(inet4 || inet6)) inet4 = inet6 = true;
  const socketArgs = tcp || udp || udplite || raw || unix;

  if (parsed.positionals.length > 1) {
    throw new UsageError(`unexpected argument '${parsed.positionals[1]}': only one interval (seconds) may be given`);
  }
  let interval: number | null = null;
  const pos = parsed.positionals[0];
  if (pos !== undefined) interval = parseNumber('interval', pos, INTERVAL_MIN, INTERVAL_MAX, false);
  if (v.interval !== undefined) interval = parseNumber('interval', v.interval, INTERVAL_MIN, INTERVAL_MAX, false);
  // -c alone repeats every second, as netstat -c does; netstat -sc prints once (an interval
  // with it too: netstat reads no interval after -c).
  const continuous = Boolean(v.continuous) && section !== 'statistics';
  if (continuous && interval === null) interval = 1;
  if (v.continuous && section === 'statistics' && v.interval === undefined) interval = null;
  const count = v.count === undefined ? null : parseNumber('count', v.count, 1, Number.MAX_SAFE_INTEGER, true);

  const speed = v.speed === undefined ? 1 : parseNumber('speed', v.speed, 0, 1000, false);
  if (v.record !== undefined && v.replay !== undefined) throw new UsageError('choose one of --record and --replay');
  if (v.record !== undefined && interval === null) interval = DEFAULT_INTERVAL;
  // --count means repeated samples: without an interval they come every DEFAULT_INTERVAL s.
  if (count !== null && interval === null && v.replay === undefined) interval = DEFAULT_INTERVAL;
  if (v.record === '' || v.replay === '') throw new UsageError('--record and --replay need a file name');
  let serve: ListenAddress | null = null;
  if (v.serve !== undefined) {
    const a = parseListenAddress(v.serve);
    if ('error' in a) throw new UsageError(a.error);
    if (v.replay !== undefined) throw new UsageError('choose one of --serve and --replay: the endpoint serves the live host');
    serve = a;
    // The endpoint is fed by the sampler: it runs at the default interval unless given one.
    if (interval === null) interval = DEFAULT_INTERVAL;
  }
  if (v['web-config'] !== undefined && serve === null) throw new UsageError('--web-config needs --serve ADDR:PORT');
  if (v['web-config'] === '') throw new UsageError('--web-config needs a file name');

  const numeric = Boolean(v.numeric);
  return {
    mode: v.json ? 'json' : v.print ? 'print' : 'auto',
    section,
    tcp,
    udp,
    udplite,
    raw,
    unix,
    inet4,
    inet6,
    socketArgs,
    all: Boolean(v.all),
    listening: Boolean(v.listening),
    numericHosts: numeric || Boolean(v['numeric-hosts']),
    numericPorts: numeric || Boolean(v['numeric-ports']),
    numericUsers: numeric || Boolean(v['numeric-users']),
    extend: v.extend?.length ?? 0,
    programs: Boolean(v.programs),
    timers: Boolean(v.timers),
    wide: Boolean(v.wide),
    verbose: Boolean(v.verbose),
    interval,
    continuous,
    cache: Boolean(v.cache),
    ethernetToo,
    info: Boolean(v.info),
    count,
    record: v.record ?? null,
    replay: v.replay ?? null,
    speed,
    ascii: Boolean(v.ascii),
    noMouse: Boolean(v['no-mouse']),
    root: v.root ?? '/',
    serve,
    webConfig: v['web-config'] ?? null,
    help: Boolean(v.help),
    version: Boolean(v.version),
  };
}

/** A text print of one read of the live kernel (no interval, recording or endpoint, not the
 *  dashboard), whose tables come through netlink: what print/tcp-direct.ts may print. run()
 *  asks it, and so does the start-up snapshot (snapshot-main.ts), which answers such runs. */
export function directCandidate(
  o: Options,
  env: Readonly<Record<string, string | undefined>>,
  stdoutTty: boolean,
  stdinTty: boolean,
): boolean {
  const onScreen = o.mode === 'auto' && stdoutTty && stdinTty;
  return (
    (o.mode === 'print' || (o.mode === 'auto' && !onScreen)) &&
    o.interval === null &&
    o.count === null &&
    o.replay === null &&
    o.record === null &&
    o.serve === null &&
    env['NETDASH_INET_SOURCE'] !== 'proc' &&
    env['NETDASH_PRINT_DIRECT'] !== '0'
  );
}
