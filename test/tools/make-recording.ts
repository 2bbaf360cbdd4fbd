// Makes the committed demo recording (test/fixtures/recordings/demo.ndjson) from a real load
// test in throw-away network namespaces, and the small fixed root (demo-root/) that the
// screenshots replay it with. Needs root, iproute2, iptables, ping (iputils-ping), bash and
// unshare (util-linux).
//
//   npm run build && sudo node dist/test/tools/make-recording.js [--samples 30] [--out FILE]
//
// Five namespaces: "server" is the host that is recorded (netdash --record runs in it, one
// sample a second); "client" loads it over eth0; "backup" sits behind its eth1; "ct1" and
// "ct2" are containers on its bridge br0 (eth2 stays down). The run follows
// a fixed script keyed to the recorded sample number (see plan() below), so the same things
// happen at the same samples every time the recording is made again:
//   - listeners on 22, 80, 443, 5432 (also on 127.0.0.1 and a UNIX socket), 8080 and UDP 514;
//   - idle and streaming connections, short requests that leave TIME_WAIT behind, a half-closed
//     pair (CLOSE_WAIT), a session the server closes (FIN_WAIT2), SYNs nobody answers (SYN_SENT);
//   - samples 9-19, a retransmit storm: the client drops 5% of the server's TCP packets at
//     random (iptables -m statistic) while 6 downloads run (samples 2-24);
//   - ICMP from sample 5: echo both ways, port unreachable both ways (UDP to closed ports), time
//     exceeded (ping -t 1 through the client, which forwards), host unreachable (an
//     "unreachable" route on the client); ICMP rate limits are off in the namespaces;
//   - samples 11-21, interface drops: datagrams bigger than the peer's MTU, on eth0 (TX-DRP)
//     and eth1 (RX-DRP);
//   - from sample 7, UDP receive-buffer errors, accept-queue overflows and unread data on a
//     process that stalls 2.5 s in every 3;
//   - a route and an IPv6 route added at sample 4 and removed at sample 22.
// Everything stays inside the namespaces, which are removed at the end (also on Ctrl-C).
//
// It runs itself again in a PID namespace with its own /proc (unshare --pid --mount-proc), so the
// recorder's owner scan sees only the demo's processes. One thing is changed after recording:
// process owners are kept only for sockets of the recorded namespace (the client's are never
// shown). The recorder runs in its own UTS namespace with host name "demo-server".
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { release } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChildProcess } from 'node:child_process';
import { Netns, readyLine } from '../helpers/netns.js';
import { decodeRaw, encodeRaw, readRecording, Recorder, RECORD_SCHEMA } from '../../src/sampler/recording.js';
import { DEMO_HOST, DEMO_RECORDING, DEMO_ROOT } from './demo-paths.js';

const CLI = fileURLToPath(new URL('../../src/cli.js', import.meta.url));
const ROLES = fileURLToPath(new URL('./load-roles.js', import.meta.url));

const S4 = '10.77.0.2',
  C4 = '10.77.0.1',
  S6 = 'fd77::2',
  C6 = 'fd77::1';
const SB4 = '10.77.1.2',
  B4 = '10.77.1.1';
const BR4 = '10.88.0.1',
  CT1 = '10.88.0.11',
  CT2 = '10.88.0.12';
/** The database's UNIX socket directory: a fixed path, so the replay always shows the same. */
const DB_DIR = '/tmp/netdash-demo-db';

function usage(msg: string): never {
  process.stderr.write(`make-recording: ${msg}\nusage: node dist/test/tools/make-recording.js [--samples N] [--out FILE]\n`);
  process.exit(2);
}

function args(): { samples: number; out: string } {
  const a = process.argv.slice(2);
  let samples = 30;
  let out = DEMO_RECORDING;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === '--samples') samples = Number(a[++i]);
    else if (a[i] === '--out') out = a[++i] ?? usage('--out needs a file');
    else usage(`unknown argument ${a[i]}`);
  }
  if (!Number.isInteger(samples) || samples < 26 || samples > 120) usage('--samples must be a whole number from 26 to 120');
  return { samples, out };
}

function need(cmd: string, argv: string[]): void {
  try {
    execFileSync(cmd, argv, { stdio: 'ignore' });
  } catch {
    usage(`${cmd} is needed (${cmd} ${argv.join(' ')} failed)`);
  }
}

/** Spawn a load-roles process in ns under program name `name`; resolves once it is ready. */
async function role(ns: Netns, name: string, roleArgs: string[]): Promise<ChildProcess> {
  const child = ns.spawn('bash', ['-c', 'n=$1; shift; exec -a "$n" "$@"', 'bash', name, process.execPath, ROLES, ...roleArgs]);
  await readyLine(child);
  child.stdout?.resume();
  return child;
}

/** A long-running command in ns (ping); its output is discarded. */
function bg(ns: Netns, cmd: string, argv: string[]): ChildProcess {
  const child = ns.spawn(cmd, argv);
  child.stdout?.resume();
  return child;
}

/** Lines in the recording so far, minus the header: the number of samples written. */
function samplesIn(path: string): number {
  if (!existsSync(path)) return 0;
  const text = readFileSync(path, 'utf8');
  let n = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return Math.max(0, n - 1);
}

async function untilSample(path: string, n: number, recorder: ChildProcess): Promise<void> {
  while (samplesIn(path) < n) {
    if (recorder.exitCode !== null) throw new Error(`the recorder exited (${recorder.exitCode}) before sample ${n}`);
    await sleep(50);
  }
}

interface World {
  server: Netns;
  client: Netns;
  backup: Netns;
  ct1: Netns;
  ct2: Netns;
}

/** Namespaces made so far, removed on the way out whatever happened. */
const made: Netns[] = [];

async function ns(tag: string): Promise<Netns> {
  const n = await Netns.create(tag);
  made.push(n);
  return n;
}

async function build(): Promise<World> {
  const server = await ns('demo-srv');
  const client = await ns('demo-cli');
  const backup = await ns('demo-bak');
  const ct1 = await ns('demo-ct1');
  const ct2 = await ns('demo-ct2');
  // server eth0 <-> client eth0. The client's MTU is smaller, so the server's big datagrams
  // are dropped on the way (the veth counts them as TX drops on the server).
  await server.ip('link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', client.name);
  await server.ip('addr', 'add', `${S4}/24`, 'dev', 'eth0');
  await server.ip('addr', 'add', `${S6}/64`, 'dev', 'eth0', 'nodad');
  await client.ip('addr', 'add', `${C4}/24`, 'dev', 'eth0');
  await client.ip('addr', 'add', `${C6}/64`, 'dev', 'eth0', 'nodad');
  await client.ip('link', 'set', 'eth0', 'mtu', '1400', 'up');
  await server.ip('link', 'set', 'eth0', 'up');
  // server eth1 <-> backup eth0, the other way round: the server's eth1 counts RX drops.
  await server.ip('link', 'add', 'eth1', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', backup.name);
  await server.ip('addr', 'add', `${SB4}/24`, 'dev', 'eth1');
  await backup.ip('addr', 'add', `${B4}/24`, 'dev', 'eth0');
  await server.ip('link', 'set', 'eth1', 'mtu', '1400', 'up');
  await backup.ip('link', 'set', 'eth0', 'up');
  // An interface that stays down (netstat -i shows it only with -a).
  await server.ip('link', 'add', 'eth2', 'type', 'veth', 'peer', 'name', 'eth1', 'netns', backup.name);
  // Two "containers" on a bridge, as on a host that runs a few.
  await server.ip('link', 'add', 'br0', 'type', 'bridge');
  await server.ip('addr', 'add', `${BR4}/24`, 'dev', 'br0');
  await server.ip('link', 'set', 'br0', 'up');
  for (const [ct, veth, addr] of [
    [ct1, 'vethc1', CT1],
    [ct2, 'vethc2', CT2],
  ] as const) {
    await server.ip('link', 'add', veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ct.name);
    await server.ip('link', 'set', veth, 'master', 'br0');
    await server.ip('link', 'set', veth, 'up');
    await ct.ip('addr', 'add', `${addr}/24`, 'dev', 'eth0');
    await ct.ip('link', 'set', 'eth0', 'up');
    await ct.ip('route', 'add', 'default', 'via', BR4);
  }
  await server.ip('route', 'add', 'default', 'via', C4);
  await server.ip('-6', 'route', 'add', 'default', 'via', C6);
  // The client forwards: ping -t 1 through it gets "time exceeded", 10.79/24 "host unreachable".
  await mustExec(client, 'sysctl', ['-qw', 'net.ipv4.ip_forward=1']);
  await client.ip('route', 'add', '10.78.0.0/24', 'via', S4);
  await client.ip('route', 'add', 'unreachable', '10.79.0.0/24');
  await client.ip('route', 'add', '10.77.1.0/24', 'via', S4);
  // No ICMP rate limits: every unreachable and time exceeded is sent (and counted).
  for (const n of [server, client]) {
    await mustExec(n, 'sysctl', ['-qw', 'net.ipv4.icmp_ratelimit=0', 'net.ipv6.icmp.ratelimit=0']);
  }
  // SYNs from the server to the client's port 9999 are never answered: SYN_SENT.
  await mustExec(client, 'iptables', ['-A', 'INPUT', '-p', 'tcp', '--dport', '9999', '-j', 'DROP']);
  return { server, client, backup, ct1, ct2 };
}

async function mustExec(ns: Netns, cmd: string, argv: string[]): Promise<void> {
  const r = await ns.exec(cmd, argv);
  if (r.code !== 0) throw new Error(`${cmd} ${argv.join(' ')} in ${ns.name} failed (${r.code}): ${r.stderr.trim()}`);
}

const STORM = ['INPUT', '-p', 'tcp', '-s', S4, '-m', 'statistic', '--mode', 'random', '--probability', '0.05', '-j', 'DROP'];
const ROUTE4 = ['198.51.100.0/24', 'via', C4, 'dev', 'eth0', 'proto', 'static'];
const ROUTE6 = ['2001:db8:77::/64', 'via', C6, 'dev', 'eth0', 'proto', 'static'];

/** What happens at which sample (the action runs as soon as that many samples are written). */
function plan(w: World, kill: ChildProcess[]): [number, string, () => Promise<void>][] {
  const { server, client, backup, ct1, ct2 } = w;
  let ssh: ChildProcess | null = null;
  let dbClient: ChildProcess | null = null;
  const later = (c: ChildProcess): ChildProcess => {
    kill.push(c);
    return c;
  };
  return [
    [
      0,
      'listeners, database pool and login sessions',
      async () => {
        await role(server, 'demo-web', ['web', S4, S6]);
        await role(server, 'demo-db', ['db', S4, DB_DIR]);
        ssh = await role(server, 'sshd-demo', ['ssh']);
        await role(server, 'demo-queue', ['queue']);
        dbClient = await role(client, 'client', ['hold', S4, '5432', '4']);
        await role(client, 'client', ['hold', S6, '22', '1']);
        await role(client, 'client', ['hold', S4, '22', '1']);
      },
    ],
    [
      1,
      'short requests and pings',
      async () => {
        await role(client, 'client', ['short', S4, '80', '2000', '20000']);
        bg(client, 'ping', ['-q', '-i', '0.5', S4]);
        bg(client, 'ping', ['-q', '-i', '1', S6]);
        bg(server, 'ping', ['-q', '-i', '1', C4]);
        bg(backup, 'ping', ['-q', '-i', '1', SB4]);
        bg(ct2, 'ping', ['-q', '-i', '1', BR4]);
        await role(ct2, 'client', ['short', S4, '443', '3000', '5000']);
      },
    ],
    [
      2,
      'downloads: 4 on :80, 1 on :443, 1 over IPv6',
      async () => {
        later(await role(client, 'client', ['get', S4, '80', String(40 * 1_500_000), '1500000', '4']));
        later(await role(client, 'client', ['get', S4, '443', String(40 * 800_000), '800000', '1']));
        later(await role(client, 'client', ['get', S6, '80', String(40 * 800_000), '800000', '1']));
        later(await role(ct1, 'client', ['get', S4, '80', String(40 * 200_000), '200000', '1']));
      },
    ],
    [
      4,
      'routes added',
      async () => {
        await server.ip('route', 'add', ...ROUTE4);
        await server.ip('-6', 'route', 'add', ...ROUTE6);
      },
    ],
    [
      5,
      'ICMP: port unreachable both ways, time exceeded, host unreachable; SYN_SENT',
      async () => {
        await role(client, 'client', ['udp', S4, '9', '300', '100', '32']);
        await role(client, 'client', ['udp', S6, '9', '150', '200', '32']);
        await role(server, 'demo-probe', ['udp', C4, '9', '300', '100', '32']);
        bg(server, 'ping', ['-q', '-t', '1', '-i', '0.5', '10.78.0.5']);
        bg(server, 'ping', ['-q', '-i', '1', '10.79.0.9']);
        await role(server, 'demo-proxy', ['connect', C4, '9999', '3']);
      },
    ],
    [
      7,
      'a stalled process: UDP buffer errors, accept-queue overflows, unread data',
      async () => {
        await role(client, 'client', ['udp', S4, '514', '2000', '3', '512']);
        await role(client, 'client', ['connect', S4, '8080', '12', '3000']);
      },
    ],
    [
      9,
      "retransmit storm on: the client drops 5% of the server's TCP packets",
      async () => {
        await mustExec(client, 'iptables', ['-I', ...STORM]);
      },
    ],
    [
      11,
      "interface drops: datagrams bigger than the peer's MTU on eth0 and eth1",
      async () => {
        await role(server, 'demo-probe', ['udp', C4, '7', '150', '66', '1450']);
        await role(backup, 'backup', ['udp', SB4, '7', '150', '66', '1450']);
      },
    ],
    [
      13,
      'the server closes a login session (FIN_WAIT2); a client half-closes (CLOSE_WAIT)',
      async () => {
        ssh?.stdin?.write('end\n');
        dbClient?.stdin?.write('end\n');
      },
    ],
    [
      19,
      'retransmit storm off',
      async () => {
        await mustExec(client, 'iptables', ['-D', ...STORM]);
      },
    ],
    [
      22,
      'routes removed',
      async () => {
        await server.ip('route', 'del', ...ROUTE4);
        await server.ip('-6', 'route', 'del', ...ROUTE6);
      },
    ],
    [
      24,
      'downloads stopped',
      async () => {
        for (const c of kill.splice(0)) c.kill('SIGKILL');
      },
    ],
  ];
}

/** Keep only the owners of sockets that are in the sample: the scan sees every process. */
function compact(line: string): string {
  const j = JSON.parse(line) as {
    snapshot: {
      inet: Record<string, { ok: boolean; value?: { inode: number }[] }>;
      unix?: { ok: boolean; value?: { inode: number }[] };
      owners?: { denied: boolean; owners: [number, unknown][] };
    };
  };
  const owners = j.snapshot.owners;
  if (!owners) return line;
  const inodes = new Set<number>();
  for (const r of Object.values(j.snapshot.inet)) for (const s of r.value ?? []) inodes.add(s.inode);
  for (const s of j.snapshot.unix?.value ?? []) inodes.add(s.inode);
  owners.owners = owners.owners.filter(([inode]) => inodes.has(inode));
  return JSON.stringify(j);
}

/** The fixed root the screenshots replay with: host name, kernel, and name tables that cover
 *  every address and port the recording shows, so nothing is looked up on the machine. */
function writeDemoRoot(recording: string): void {
  const { samples } = readRecording(recording);
  const names = new Map<string, string>([
    ['127.0.0.1', 'localhost'],
    ['::1', 'localhost'],
    [S4, 'server'],
    [S6, 'server'],
    [SB4, 'server-b'],
    [C4, 'client'],
    [C6, 'client'],
    [B4, 'backup'],
    [BR4, 'server-br'],
    [CT1, 'ct1'],
    [CT2, 'ct2'],
  ]);
  const addrs = new Set<string>();
  for (const raw of samples) {
    for (const r of Object.values(raw.snapshot.inet)) {
      if (!r?.ok) continue;
      for (const s of r.value)
        for (const a of [s.localAddr, s.remoteAddr]) addrs.add(a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a);
    }
  }
  addrs.delete('0.0.0.0');
  addrs.delete('::');
  let extra = 0;
  for (const a of [...addrs].sort()) if (!names.has(a)) names.set(a, `peer${++extra}`);
  const hosts = [...names].map(([a, n]) => `${a}\t${n}`).join('\n') + '\n';
  const files: Record<string, string> = {
    'etc/hosts': '# Every address in demo.ndjson has a name here, so the replay never asks DNS.\n' + hosts,
    'etc/passwd': 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n',
    'etc/services':
      [
        'echo\t\t7/udp',
        'discard\t\t9/udp',
        'ssh\t\t22/tcp',
        'domain\t\t53/udp',
        'http\t\t80/tcp',
        'https\t\t443/tcp',
        'syslog\t\t514/udp',
        'postgresql\t5432/tcp',
        'http-alt\t8080/tcp',
      ].join('\n') + '\n',
    'etc/protocols': 'ip\t0\tIP\nicmp\t1\tICMP\ntcp\t6\tTCP\nudp\t17\tUDP\nipv6-icmp\t58\tIPv6-ICMP\n',
    'etc/networks': 'demo-lan\t10.77.0.0\ndemo-backup\t10.77.1.0\ndemo-containers\t10.88.0.0\n',
    'proc/sys/kernel/hostname': `${DEMO_HOST}\n`,
    'proc/sys/kernel/osrelease': `${release()}\n`,
  };
  for (const [rel, text] of Object.entries(files)) {
    const p = join(DEMO_ROOT, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
  }
}

async function main(): Promise<void> {
  const { samples, out } = args();
  if (process.getuid?.() !== 0) usage('run as root (namespaces and iptables)');
  need('ip', ['-V']);
  need('iptables', ['--version']);
  need('ping', ['-V']);
  need('unshare', ['--version']);
  if (process.env['NETDASH_DEMO_PIDNS'] !== '1') {
    // Again, in a PID namespace with its own /proc: the recorder's owner scan (-p) then walks
    // only the demo's processes, which keeps ticks on time on a busy machine, and when this
    // process ends every process it started ends with it.
    // Ctrl-C reaches the inner run too, which cleans up before it exits: wait for it.
    process.on('SIGINT', () => {});
    const r = spawnSync(
      'unshare',
      ['--pid', '--fork', '--mount-proc', process.execPath, fileURLToPath(import.meta.url), ...process.argv.slice(2)],
      { stdio: 'inherit', env: { ...process.env, NETDASH_DEMO_PIDNS: '1' } },
    );
    process.exitCode = r.status ?? 1;
    return;
  }

  const tmp = `${out}.partial`;
  rmSync(tmp, { force: true });
  rmSync(DB_DIR, { recursive: true, force: true });
  mkdirSync(DB_DIR, { recursive: true });
  const kill: ChildProcess[] = [];
  const cleanup = async (): Promise<void> => {
    for (const n of made.splice(0)) await n.destroy();
  };
  // This is PID 1 of its namespace: signals without a handler would be ignored.
  const interrupted = (code: number) => (): void => {
    void cleanup().then(() => {
      rmSync(tmp, { force: true });
      rmSync(DB_DIR, { recursive: true, force: true });
      process.exit(code);
    });
  };
  process.once('SIGINT', interrupted(130));
  process.once('SIGTERM', interrupted(143));
  try {
    const world = await build();
    const steps = plan(world, kill);
    const first = steps.shift();
    if (first) {
      process.stderr.write(`make-recording: before sample 1: ${first[1]}\n`);
      await first[2]();
    }
    // The recorder: one sample a second, every section, process owners (-p), tcp_info (--info).
    const recorder = world.server.spawn('unshare', [
      '--uts',
      'sh',
      '-c',
      `hostname ${DEMO_HOST} && exec "$@"`,
      'sh',
      process.execPath,
      CLI,
      '--json',
      '-p',
      // TCP internals (tcp_info) too: the Processes and Peers panes and the traffic columns.
      '--info',
      '--record',
      tmp,
      '1',
      '--count',
      String(samples),
    ]);
    recorder.stdout?.resume();
    for (const [at, what, act] of steps) {
      await untilSample(tmp, at, recorder);
      process.stderr.write(`make-recording: sample ${at}: ${what}\n`);
      await act();
    }
    await new Promise<void>((r) => {
      if (recorder.exitCode !== null) r();
      else recorder.once('exit', () => r());
    });
    if (recorder.exitCode !== 0) throw new Error(`the recorder exited with status ${recorder.exitCode}`);
  } finally {
    await cleanup();
    rmSync(DB_DIR, { recursive: true, force: true });
  }

  // Each sample trimmed on its own (compact), then written again by netdash's own Recorder:
  // key frames plus changes (netdash-record/2), which keeps the tcp_info of the streaming
  // connections (they change every tick) without repeating every idle socket's.
  const recorded = readRecording(tmp);
  const rest = recorded.samples.map((s) => decodeRaw(compact(encodeRaw(s))));
  const final = `${out}.v2`;
  rmSync(final, { force: true });
  const rec = new Recorder(final, {
    schema: RECORD_SCHEMA,
    started: recorded.header.started,
    host: recorded.header.host,
    intervalMs: recorded.header.intervalMs,
  });
  for (const raw of rest) rec.write(raw);
  rec.close();
  rmSync(tmp, { force: true });
  if (readRecording(final).samples.length !== rest.length) throw new Error('the rewritten recording lost samples');
  renameSync(final, out);
  chmodSync(out, 0o644);
  writeDemoRoot(out);
  const size = statSync(out).size;
  process.stderr.write(`make-recording: wrote ${out}: ${rest.length} samples, ${(size / 1024).toFixed(0)} KiB\n`);
  const monos = rest.map((r) => r.mono);
  const slowest = Math.max(...monos.slice(1).map((m, i) => m - (monos[i] ?? m)));
  if (slowest > 2500) {
    process.stderr.write(
      `make-recording: warning: the slowest tick took ${(slowest / 1000).toFixed(1)} s (the machine was busy); the screenshots pause on given samples, so check them or record again\n`,
    );
  }
  process.stderr.write(`make-recording: wrote ${DEMO_ROOT}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`make-recording: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
