// The dashboard drawn by blessed on fake TTY streams: keys go in on the input stream, the
// screen is read back as text (blessed's screenshot without SGR attributes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stripVTControlCharacters } from 'node:util';
import { parseOptions } from '../src/cli/options.js';
import { createDashboard } from '../src/dashboard/app.js';
import { replaySource } from '../src/sampler/sample-source.js';
import { KEY_HELP } from '../src/dashboard/keys.js';
import type { InetSocket, ProcessOwner, TcpInfo, UnixSocket } from '../src/model.js';
import { InetDiagParser } from '../src/sources/sock-diag.js';
import { DIAG_MSG_LEN, diagChunks } from './helpers/diag-messages.js';
import { systemClock } from '../src/sampler/sampler.js';
import { estab, FakeSource, Feeder, listen, names, nif, route4, udp, type SnapParts } from './helpers/dashboard-samples.js';
import { start, tick, type Harness } from './helpers/dashboard-harness.js';
import { fakeTty } from './helpers/fake-tty.js';

const tty = fakeTty;

const WORLD: SnapParts = {
  inet: [
    listen(22),
    listen(80, { proto: 'tcp6', family: 6, localAddr: '::', remoteAddr: '::' }),
    estab(22, 40000),
    udp(53),
    udp(5353, { remoteAddr: '10.0.0.7', remotePort: 53 }),
  ],
  interfaces: [nif('lo', {}, 1), nif('eth0', { rxPackets: 1000, rxErrs: 1 })],
  counters: { Tcp: { RetransSegs: 10, OutSegs: 1000 }, TcpExt: { ListenDrops: 2 } },
};
const WORLD2: SnapParts = {
  ...WORLD,
  interfaces: [nif('lo', {}, 1), nif('eth0', { rxPackets: 1600, rxErrs: 4 })],
  counters: { Tcp: { RetransSegs: 12, OutSegs: 1100 }, TcpExt: { ListenDrops: 3 } },
};

async function withDash(argv: string[], fn: (h: Harness) => Promise<void>, cols = 80, rows = 24): Promise<void> {
  const h = start(argv, cols, rows);
  try {
    h.src.push(WORLD);
    h.src.push(WORLD2);
    await h.settle();
    await fn(h);
  } finally {
    await h.close();
  }
}

function has(text: string, ...parts: (string | RegExp)[]): void {
  for (const p of parts) {
    if (typeof p === 'string') assert.ok(text.includes(p), `missing ${JSON.stringify(p)} in:\n${text}`);
    else assert.match(text, p);
  }
}

test('80x24: status, connections with state counts, interfaces, counters, footer', async () => {
  await withDash([], async (h) => {
    const lines = h.lines();
    assert.equal(lines.length, 24);
    assert.ok(lines.every((l) => l.length <= 80));
    has(lines[0] ?? '', 'netdash', 'testhost', 'every 2s', 'since start 2s', '6.1.0-test');
    const text = h.screen();
    has(
      text,
      ' 1 Connections',
      'ESTAB 1',
      'LISTEN 2',
      'TIME-WAIT 0',
      'CLOSING 0',
      'UDP 2',
      'RAW 0',
      'UNIX 0',
      /Proto Recv-Q Send-Q Local Address +Foreign Address +State/,
      /tcp +0 +0 10\.0\.0\.1:ssh +10\.0\.0\.9:40000 +ESTABLISHED/,
      /udp +0 +0 10\.0\.0\.1:5353 +10\.0\.0\.7:domain/,
      ' 2 Interfaces',
      'per second',
      /Iface +RX-OK RX-ERR RX-DRP RX-OVR  TX-OK TX-ERR TX-DRP TX-OVR RX-B\/s TX-B\/s/,
      /eth0 +300 +1\.5 /,
      ' 3 Protocol counters',
      /TCP retransmitted % +1\.09% +2\.00%/,
      /Tcp\.RetransSegs +12 +2 +1/,
      'TcpExt.ListenDrops',
      'q quit',
    );
    // Default scope is netstat's: no listeners until l or a.
    assert.ok(!/LISTEN +$/m.test(text.split(' 2 Interfaces')[0] ?? ''));
  });
});

test('l shows only listening sockets, again shows connected ones', async () => {
  await withDash([], async (h) => {
    await h.press('l');
    const conns = h.screen().split(' 2 Interfaces')[0] ?? '';
    has(
      conns,
      'listening',
      /tcp +0 +0 10\.0\.0\.1:ssh +0\.0\.0\.0:\* +LISTEN/,
      /tcp6 +0 +0 \[::\]:http +\[::\]:\* +LISTEN/,
      /udp .*10\.0\.0\.1:domain/,
    );
    assert.ok(!conns.includes('ESTABLISHED'));
    await h.press('l');
    assert.ok(h.screen().includes('ESTABLISHED'));
  });
});

test('netdash -tl opens on TCP listeners', async () => {
  await withDash(['-tl', '5'], async (h) => {
    const conns = h.screen().split(' 2 Interfaces')[0] ?? '';
    has(conns, 'tcp listening', /\[::\]:http/, /10\.0\.0\.1:ssh/);
    assert.ok(!/udp /.test(conns));
    assert.ok(!conns.includes('ESTABLISHED'));
  });
});

test('u shows only UDP like netstat -u, t adds TCP, u again drops UDP; -u starts with UDP only', async () => {
  await withDash(['-a'], async (h) => {
    assert.ok(h.screen().includes('10.0.0.1:domain'));
    await h.press('u');
    let conns = h.screen().split(' 2 Interfaces')[0] ?? '';
    has(conns, 'udp all', '10.0.0.1:domain');
    assert.ok(!conns.includes(':ssh'));
    await h.press('t');
    has(h.screen(), 'tcp+udp all', ':ssh', '10.0.0.1:domain');
    await h.press('u');
    conns = h.screen().split(' 2 Interfaces')[0] ?? '';
    has(conns, 'tcp all', ':ssh');
    assert.ok(!conns.includes('10.0.0.1:domain'));
    await h.press('t');
    has(h.screen(), 'tcp+udp+raw all', '10.0.0.1:domain');
  });
  await withDash(['-ua'], async (h) => {
    const conns = h.screen().split(' 2 Interfaces')[0] ?? '';
    has(conns, 'udp all', '10.0.0.1:domain', '10.0.0.1:5353');
    assert.ok(!conns.includes(':ssh'));
  });
});

test('/ filters by port as you type; Enter keeps it, Esc clears it', async () => {
  await withDash(['-a'], async (h) => {
    await h.press('/:53');
    let text = h.screen();
    has(text, 'filter: :53_');
    let conns = text.split(' 2 Interfaces')[0] ?? '';
    has(conns, '10.0.0.1:domain', '10.0.0.1:5353');
    assert.ok(!conns.includes(':ssh'));
    await h.press('\r');
    text = h.screen();
    assert.ok(!text.includes('filter: :53_'));
    has(text, '/:53');
    await h.press('\x1b');
    conns = h.screen().split(' 2 Interfaces')[0] ?? '';
    has(conns, ':ssh', '10.0.0.1:domain');
  });
});

test('Space pauses: PAUSED shown, numbers frozen while samples arrive; Space resumes', async () => {
  await withDash(['-a'], async (h) => {
    await h.press(' ');
    has(h.lines()[0] ?? '', 'PAUSED');
    h.src.push({ ...WORLD2, inet: [...(WORLD2.inet ?? []), estab(22, 41000)] });
    await h.settle();
    assert.ok(!h.screen().includes(':41000'));
    has(h.screen(), 'ESTAB 1');
    await h.press(' ');
    assert.ok(!(h.lines()[0] ?? '').includes('PAUSED'));
    has(h.screen(), /\+tcp .*10\.0\.0\.9:41000 +ESTABLISHED/, 'ESTAB 2+1');
  });
});

test('? shows every key in the help overlay; Esc closes it', async () => {
  await withDash([], async (h) => {
    await h.press('?');
    let text = h.screen();
    has(text, 'netdash keys', 'PgDn: more');
    // At 80x24 the list is longer than the box: PgDn pages through the rest.
    await h.press('\x1b[6~');
    has(h.screen(), 'PgUp: back');
    text += h.screen();
    for (const [k, what] of KEY_HELP) {
      assert.ok(text.includes(k), `help lacks key ${k}`);
      assert.ok(text.includes(what.slice(0, 40)), `help lacks ${what}`);
    }
    await h.press('\x1b');
    assert.ok(!h.screen().includes('netdash keys'));
  });
});

test('closed connections linger marked closed; Enter shows details of the cursor row', async () => {
  await withDash(['-a', '-n'], async (h) => {
    h.src.push({ ...WORLD2, inet: (WORLD2.inet ?? []).filter((s) => s.remotePort !== 40000) });
    await h.settle();
    has(h.screen(), /-tcp +0 +0 10\.0\.0\.1:22 +10\.0\.0\.9:40000 +closed/);
    await h.press('\r');
    has(h.screen(), 'Details', 'Identity', 'Protocol');
    await h.press('\r');
    assert.ok(!h.screen().includes('Identity'));
  });
});

test('m marks, + and - change the interval, a sample renders once', async () => {
  await withDash([], async (h) => {
    await h.press('m');
    assert.equal(h.src.marks, 1);
    has(h.lines()[0] ?? '', 'mark set');
    await h.press('+');
    assert.equal(h.src.interval, 5000);
    has(h.lines()[0] ?? '', 'every 5s');
    await h.press('--');
    assert.equal(h.src.interval, 1000);
    const before = h.d.scheduler.renders;
    h.src.push(WORLD2);
    await h.settle();
    assert.equal(h.d.scheduler.renders, before + 1);
    has(h.lines()[0] ?? '', 'since mark');
  });
});

test('a redraw that would change nothing on screen is not rendered and writes nothing', async () => {
  await withDash([], async (h) => {
    await h.press(' ');
    const renders = h.d.scheduler.renders,
      skipped = h.d.scheduler.skipped;
    const bytes = h.written().length;
    // Paused: samples keep coming, the frozen frame stays on screen.
    h.src.push(WORLD2);
    h.src.push(WORLD);
    await h.settle();
    assert.equal(h.d.scheduler.renders, renders);
    assert.ok(h.d.scheduler.skipped > skipped, 'the redraw was asked for and found nothing to do');
    assert.equal(h.written().length, bytes, 'not a byte to the terminal');
    // A key that changes something renders as before.
    await h.press('j');
    assert.equal(h.d.scheduler.renders, renders + 1);
    await h.press(' ');
    has(h.lines()[0] ?? '', 'since start 6s');
  });
});

test('a tick that only changes text draws just those boxes, and leaves the screen a full render would', async () => {
  await withDash([], async (h) => {
    const textOnly = h.d.scheduler.textOnly,
      renders = h.d.scheduler.renders;
    h.src.push(WORLD2); // the same world a second later: the clock, rates and counters change
    await h.settle();
    assert.equal(h.d.scheduler.renders, renders + 1);
    assert.equal(h.d.scheduler.textOnly, textOnly + 1, 'drawn without a full render');
    const drawn = h.screen();
    const bytes = h.written().length;
    // A full render now finds every cell already right: it writes nothing.
    h.d.screen.render();
    assert.equal(h.screen(), drawn);
    assert.equal(h.written().length, bytes, 'the text-only draw left cells a full render would change');
    has(h.lines()[0] ?? '', 'since start 4s');
    // A key that moves the cursor changes text only as well; help opens over the panes: full.
    await h.press('j');
    assert.equal(h.d.scheduler.textOnly, textOnly + 2);
    await h.press('?');
    assert.equal(h.d.scheduler.textOnly, textOnly + 2, 'an overlay is rendered in full');
    h.src.push(WORLD);
    await h.settle();
    assert.equal(h.d.scheduler.textOnly, textOnly + 2, 'with an overlay open a pane is not drawn alone');
    has(h.screen(), 'netdash keys');
  });
});

test('re-lays out on resize and never crashes at tiny sizes', async () => {
  await withDash([], async (h) => {
    const resize = async (c: number, r: number): Promise<void> => {
      h.output.columns = c;
      h.output.rows = r;
      h.output.emit('resize');
      for (let i = 0; i < 20 && (h.d.screen.width !== c || h.d.screen.height !== r); i++) await new Promise((res) => setTimeout(res, 20));
      await h.settle();
    };
    await resize(40, 12);
    let lines = h
      .screen()
      .split('\n')
      .filter((l) => l.length > 0);
    assert.ok(lines.length <= 12 && lines.every((l) => l.length <= 40));
    has(lines[0] ?? '', 'netdash');
    for (const [c, r] of [
      [1, 1],
      [3, 2],
      [10, 3],
      [20, 6],
    ] as const) {
      await resize(c, r);
      await h.press('?z\x1b');
    }
    await resize(80, 24);
    lines = h.lines();
    has(h.screen(), ' 2 Interfaces', ' 3 Protocol counters');
    assert.equal(lines.length, 24);
  });
});

test('outside strings are escaped: a socket path and a program name with ESC and tags', async () => {
  const nasty = '\x1b[31m{bold}x{/bold}';
  const unixSock: UnixSocket = { refCount: 2, protocol: 0, flags: 0x10000, type: 1, state: 1, inode: 4242, path: `/run/${nasty}.sock` };
  const owners = new Map<number, ProcessOwner>([
    [4242, { pid: 7, program: nasty }],
    [1022, { pid: 42, program: nasty }],
  ]);
  const h = start(['-a', '-p', '-x']);
  try {
    h.src.push({ inet: [listen(22)], unix: [unixSock], owners });
    await h.settle();
    const text = h.screen();
    has(text, ' 7 UNIX sockets', '7/\\x1b[31m{bold}', /LISTENING +4242 7\/\S+ \/run\/\\x1b\[31m\{/);
    await h.press('\r');
    has(h.screen(), 'Path          /run/\\x1b[31m{bold}x{/bold}.sock', 'Program       7/\\x1b[31m{bold}x{/b');
    await h.press('\x1b');
    // unix → events → processes → peers → connections → interfaces (the connections list stays
    // the big pane); t: TCP too (-x showed UNIX only)
    await h.press('\t\t\t\t\tt');
    has(h.screen(), '42/\\x1b[31m{bold}');
    // The raw bytes never carry the outside ESC sequence or let the tags through.
    assert.ok(!h.written().includes('\x1b[31m{bold}'));
    assert.ok(!h.written().includes(`\x1b[31m${'{'}`));
    // eslint-disable-next-line no-control-regex -- control characters are what it looks for
    assert.ok(!/\x1b\[31mx/.test(h.written()));
  } finally {
    await h.close();
  }
});

test('q quits: the terminal is restored and the source stopped', async () => {
  const h = start([]);
  h.src.push(WORLD);
  await h.settle();
  assert.equal(h.input.isRaw, true);
  await h.press('q');
  assert.equal(await h.d.done, 0);
  assert.equal(h.src.stopped, true);
  assert.equal(h.input.isRaw, false);
  assert.ok(h.written().includes('\x1b[?1049l'), 'left the alternate screen');
});

test('SIGTERM restores the terminal and resolves 143; handlers are removed afterwards', async () => {
  const input = tty(),
    output = tty();
  output.resume();
  const before = process.listenerCount('SIGTERM');
  const d = createDashboard(parseOptions([]), {
    input,
    output,
    names: names(),
    signals: process,
    source: () => new FakeSource(),
    host: { name: 'h', kernel: 'k' },
    terminal: 'xterm',
  });
  assert.ok(process.listenerCount('SIGTERM') > before); // ours and blessed's
  process.emit('SIGTERM');
  assert.equal(await d.done, 143);
  assert.equal(process.listenerCount('SIGTERM'), before);
  assert.equal(input.isRaw, false);
});

test('a replay source plays a recording through the engine and says when it ended', async () => {
  const f = new Feeder();
  const raws = [f.raw(WORLD), f.raw(WORLD2)];
  const input = tty(),
    output = tty();
  output.resume();
  const d = createDashboard(parseOptions([]), {
    input,
    output,
    names: names(),
    signals: false,
    source: replaySource(raws, systemClock, 0, 2000),
    host: { name: 'h', kernel: 'k' },
    terminal: 'xterm',
  });
  try {
    for (let i = 0; i < 5; i++) await tick();
    const text = stripVTControlCharacters(d.screen.screenshot() as unknown as string);
    has(text, 'replay ended', /eth0 +300 /);
    assert.equal(d.store.latest.sample?.seq, 2);
  } finally {
    d.quit();
    await d.done;
  }
});

test('--count N leaves the dashboard after N samples, terminal restored', async () => {
  const h = start(['--count', '2']);
  h.src.push(WORLD);
  await h.settle();
  assert.ok(h.screen().includes(' 1 Connections'));
  h.src.push(WORLD2);
  assert.equal(await h.d.done, 0);
  assert.ok(h.src.stopped);
  assert.equal(h.input.isRaw, false);
});

test('digits jump to each pane: its title, column header and rows on screen; z zooms it', async () => {
  const world: SnapParts = {
    ...WORLD2,
    counters: { ...WORLD2.counters, Icmp: { InMsgs: 3, OutMsgs: 3, InErrors: 0, OutErrors: 0, InEchos: 3, OutEchoReps: 3 } },
    routes4: [route4('0.0.0.0', '10.0.0.1', '0.0.0.0', 'eth0', 0x3)],
    conntrack: [
      {
        l3: 'ipv4',
        proto: 'udp',
        protoNum: 17,
        timeout: 29,
        state: null,
        src: '10.0.0.2',
        dst: '10.0.0.53',
        sport: 5000,
        dport: 53,
        replySrc: '10.0.0.53',
        replyDst: '10.0.0.2',
        replySport: 53,
        replyDport: 5000,
        flags: [],
      },
    ],
    unix: [{ refCount: 2, protocol: 0, flags: 0x10000, type: 1, state: 1, inode: 4242, path: '/run/app.sock' }],
  };
  const h = start(['-a', '-n'], 100, 30);
  try {
    h.src.push({ ...world, inet: [listen(22)] });
    h.src.push(world); // the other sockets open: events
    await h.settle();
    const expect: [string, string, RegExp, RegExp][] = [
      ['1', ' 1 Connections', /Proto Recv-Q Send-Q Local Address/, /tcp +0 +0 10\.0\.0\.1:22 /],
      ['2', ' 2 Interfaces', /Iface +RX-OK RX-ERR/, /eth0 /],
      ['3', ' 3 Protocol counters', /Counter +Total +Delta +Rate\/s/, /TCP retransmitted %/],
      ['4', ' 4 ICMP', /Message type +In total +In\/s +Out total +Out\/s/, /ICMP echo request \(8\) +3 /],
      ['5', ' 5 Routes', /Destination +Gateway +Genmask +Flags +Metric +Ref +Use +Iface/, /0\.0\.0\.0 +10\.0\.0\.1 +0\.0\.0\.0 +UG /],
      ['6', ' 6 NAT / conntrack', /Proto State +Expires Source +Destination +NAT/, /udp +29s 10\.0\.0\.2:5000 +10\.0\.0\.53:53/],
      ['7', ' 7 UNIX sockets', /Type +State +I-Node +Path/, /STREAM +LISTENING +4242 \/run\/app\.sock/],
      ['8', ' 8 Events', /./, /opened +tcp/],
    ];
    for (const [key, title, header, row] of expect) {
      await h.press(key);
      const text = h.screen();
      has(text, title, header, row);
      // The focused pane's title is drawn inverse: it is the one that has the cursor.
      assert.equal(
        h.d.store.state.focus,
        ['connections', 'interfaces', 'counters', 'icmp', 'routes', 'conntrack', 'unix', 'events'][Number(key) - 1],
      );
    }
    await h.press('4');
    await h.press('z');
    const zoomed = h.screen();
    has(zoomed, ' 4 ICMP');
    assert.ok(!zoomed.includes(' 2 Interfaces') && !zoomed.includes(' 1 Connections'), zoomed);
  } finally {
    await h.close();
  }
});

test("the pane registry drives the panes: each jump key shows its spec's title, help lists its short name", async () => {
  const { PANE_REGISTRY, PANES } = await import('../src/dashboard/lists/registry.js');
  assert.deepEqual(PANES, Object.keys(PANE_REGISTRY), 'jump keys follow the registry order');
  assert.ok(PANES.length >= 8);
  const jump = KEY_HELP.find(([k]) => k.startsWith('1..'));
  await withDash(
    [],
    async (h) => {
      for (const [i, id] of PANES.entries()) {
        const spec = PANE_REGISTRY[id];
        assert.ok(spec.sortColumns.length > 0, `${id} sorts by something`);
        assert.ok(jump?.[1].includes(`${i + 1} ${spec.short}`), `help names ${i + 1} ${spec.short}`);
        // Digits 1…9, 0 for pane 10, then the F-keys (xterm's F11, F12).
        await h.press(i < 9 ? String(i + 1) : i === 9 ? '0' : (['\x1b[23~', '\x1b[24~'][i - 10] ?? ''));
        has(h.screen(), ` ${i + 1} ${spec.title}`);
      }
    },
    120,
    40,
  );
});

// ---- TCP internals: traffic columns, the Processes and Peers panes (issue 13) -----------------

/** Two connections to two peers; the one to 10.0.0.9 retransmits `retr` segments more each tick. */
function trafficWorld(k: number): SnapParts {
  const info = (rx: number, tx: number, retr: number, rtt: number): TcpInfo => ({
    length: 280,
    state: 1,
    rtt,
    sndCwnd: 10,
    bytesReceived: rx,
    bytesSent: tx,
    bytesAcked: tx,
    totalRetrans: retr,
    segsOut: 100 * k + 1,
    segsIn: 50 * k,
  });
  return {
    inet: [
      estab(40001, 443, { cookie: '1', tcpInfo: info(1000 * k, 20_000 * k, 5 * k, 90_000) }),
      estab(40002, 443, { remoteAddr: '10.0.0.8', inode: 41002, cookie: '2', tcpInfo: info(500_000 * k, 100 * k, 0, 300) }),
      udp(5353, { remoteAddr: '10.0.0.7', remotePort: 53, recvQ: 512 }),
    ],
    owners: new Map<number, ProcessOwner>([
      [5443, { pid: 10, program: 'lossy' }],
      [1000 + 40002, { pid: 20, program: 'clean' }],
      [7000 + 5353, { pid: 30, program: 'dig' }],
    ]),
  };
}

test('traffic: c sorts connections by retransmits with the retransmitting one on top and hot; 9 Processes and 0 Peers put the lossy program and peer first; detail lists tcp_info and members', async () => {
  const h = start(['-n'], 160, 40);
  const asked: boolean[] = [];
  (h.src as FakeSource & { setTcpInfo(on: boolean): void }).setTcpInfo = (on) => {
    asked.push(on);
  };
  try {
    h.src.push(trafficWorld(1));
    h.src.push(trafficWorld(2));
    await h.settle();
    await h.press('r');
    assert.deepEqual(asked, [true], 'tcp_info is asked for once a view shows it');
    let lines = h.lines();
    const header = lines.findIndex((l) => l.includes('Retr/s'));
    assert.ok(header > 0, 'the traffic columns are on');
    has(h.screen(), 'sort retr/s');
    assert.match(lines[header + 1] ?? '', /10\.0\.0\.9:443/, 'the retransmitting connection first');
    assert.match(
      lines[header + 1] ?? '',
      / 2\.5 +5 +90 +10 *$/,
      'Retr/s 2.5 (5 in 2 s), Retr 5 since start (the first sample has no delta), RTT 90 ms, cwnd 10',
    );
    assert.match(lines[header + 2] ?? '', /10\.0\.0\.8:443 .* 250k .* 0 +0 +0\.300/, 'the clean one: 250 kB/s in, no retransmits');
    // Retransmitting now: its Retr/s and Retr cells are hot; the clean one's are not.
    const rows = h.d.store.visibleRows('connections', 10, 160).rows;
    const hotCells = (r: { cells: readonly { text: string; hot?: boolean }[] } | undefined): string[] =>
      (r?.cells ?? []).filter((x) => x.hot).map((x) => x.text.trim());
    assert.deepEqual(hotCells(rows[0]), ['2.5', '5']);
    assert.deepEqual(hotCells(rows[1]), []);
    // Enter: every tcp_info field with its meaning and its change.
    await h.press('\r');
    has(h.screen(), 'Details', 'Program       10/lossy');
    const detail = h.d.store.detailLines(96).join('\n');
    has(
      detail,
      'total_retrans',
      '+5 this tick',
      '+5 since start',
      'segments retransmitted over',
      'bytes_received',
      'snd_wnd',
      'unknown (not sent by this kernel)',
    );
    await h.press('\x1b');
    // Processes, sorted by retransmits this tick: the lossy program first.
    await h.press('9s');
    lines = h.lines();
    has(h.screen(), ' 9 Processes', 'sort retr/s');
    const ph = lines.findIndex((l) => l.includes('PID/Program'));
    assert.match(lines[ph + 1] ?? '', /10\/lossy/);
    assert.match(lines[ph + 2] ?? '', /20\/clean/);
    assert.match(lines[ph + 3] ?? '', /30\/dig .* n\/a +n\/a +n\/a/, 'UDP only: no byte counters, not 0');
    await h.press('\r');
    has(h.screen(), 'Process        lossy (pid 10)', 'Member connections', '10.0.0.1:40001 -> 10.0.0.9:443 ESTABLISHED');
    await h.press('\x1b');
    await h.press('0s');
    lines = h.lines();
    has(h.screen(), ' 10 Peers');
    const eh = lines.findIndex((l) => l.includes('Remote host'));
    assert.match(lines[eh + 1] ?? '', /10\.0\.0\.9/);
    await h.press('1i');
    // 1 leaves the Peers pane with the traffic columns still on; i turns them off.
    assert.equal(asked.at(-2), true);
    assert.equal(asked.at(-1), false, 'leaving the views that need it stops tcp_info');
    assert.ok(
      asked.slice(0, -1).every((x) => x),
      'asked for while a view showed it',
    );
  } finally {
    await h.close();
  }
});

/** A live tcp_info dump of two loopback sockets at tick t (the reader hands rows on between dumps). */
function liveDump(t: number): InetSocket[] {
  const p = new InetDiagParser('tcp', true, true);
  for (const [chunk, used] of diagChunks(2, t)) for (let o = 0; o < used; o += DIAG_MSG_LEN) p.message(chunk, o, DIAG_MSG_LEN);
  return p.finish();
}

test('traffic detail of a row the live reader hands on (the same row and tcp_info object every tick): the change this tick comes from the tcp_info before', async () => {
  const h = start(['-n'], 160, 40);
  try {
    const first = liveDump(1);
    h.src.push({ inet: first });
    const second = liveDump(2);
    assert.equal(second[0], first[0], 'the same row object');
    h.src.push({ inet: second });
    await h.settle();
    await h.press('r');
    await h.press('\r');
    const detail = h.d.store.detailLines(96).join('\n');
    has(detail, 'bytes_acked', '+1000 this tick', 'bytes_received', '+2000 this tick', '+3000 this tick');
  } finally {
    await h.close();
  }
});

test('g on a Processes or Peers row pins its traffic chart (RX, TX, retransmitted B/s); tcp_info and owners stay on for the pins after the pane is left; G unpins all', async () => {
  const h = start(['-n'], 200, 60);
  const asked: boolean[] = [];
  const owners: boolean[] = [];
  const src = h.src as FakeSource & { setTcpInfo(on: boolean): void; setOwners(on: boolean): void };
  src.setTcpInfo = (on) => {
    asked.push(on);
  };
  src.setOwners = (on) => {
    owners.push(on);
  };
  try {
    h.src.push(trafficWorld(1));
    h.src.push(trafficWorld(2));
    await h.press('9s');
    assert.match(h.lines().find((l) => /\d+\/\w+/.test(l) && l.includes('lossy')) ?? '', /10\/lossy/);
    await h.press('g');
    has(h.screen(), 'pinned 10/lossy traffic');
    await h.press('0s');
    await h.press('g');
    assert.deepEqual(
      h.d.store.state.pins.map((p) => p.id),
      ['flow:proc:10/lossy', 'flow:peer:10.0.0.9'],
    );
    // Back on the connections without the traffic columns: the pins still need tcp_info.
    await h.press('1');
    assert.equal(asked.at(-1), true, 'a pinned process or peer keeps tcp_info on');
    assert.equal(owners.at(-1), true, 'a pinned process keeps the owner scan on');
    h.src.push(trafficWorld(3));
    await h.settle();
    // 20,000 B sent and 5 segments (of 1000 B, as the sender's bytes_retrans is not set here:
    // null) each 2 s tick: TX 10 kB/s; the lossy peer's RX 500 B/s.
    const tx = h.d.store.history.points('flow:proc:10/lossy:tx');
    assert.equal(tx?.v[tx.v.length - 1], 10_000);
    const rx = h.d.store.history.points('flow:peer:10.0.0.9:rx');
    assert.equal(rx?.v[rx.v.length - 1], 500);
    await h.press('v');
    const titles = h.d.store.charts().map((c) => c.title);
    assert.deepEqual(titles.slice(-2), ['10/lossy traffic', '10.0.0.9 traffic']);
    await h.press('z\x1b[F'); // zoomed, End: the last chart is drawn with its scale
    has(h.screen(), '10.0.0.9 traffic', 'B/s');
    await h.press('G');
    assert.equal(h.d.store.state.pins.length, 0);
    assert.equal(asked.at(-1), false, 'no pin and no view needs tcp_info any more');
    assert.equal(owners.at(-1), false, 'nor the owners');
  } finally {
    await h.close();
  }
});

test('traffic without tcp_info (the /proc fallback): the columns show -, the status line says why, Peers still count sockets; the retransmit counter points at r', async () => {
  const h = start(['-n'], 160, 40);
  try {
    // The engine was asked for the sums (a view showed them) but the rows have no tcp_info.
    h.src.feeder.engine.setAggregates(true);
    h.src.push(WORLD);
    h.src.push(WORLD2);
    await h.press('i');
    const text = h.screen();
    has(text, 'no tcp_info (sockets from /proc): traffic shows -');
    const lines = h.lines();
    const header = lines.findIndex((l) => l.includes('Retr/s'));
    assert.match(lines[header + 1] ?? '', /ESTABLISHED +- +- +- +- +- +- *$/);
    // Peers still count the sockets: 10.0.0.9 has one TCP connection, its traffic unknown.
    await h.press('0');
    const peers = h.lines();
    const ph = peers.findIndex((l) => l.includes('Remote host'));
    assert.match(peers[ph + 1] ?? '', /^ *10\.0\.0\.7 +1 +0 +1 +n\/a +n\/a +n\/a/, 'UDP only: no byte counters');
    assert.match(peers[ph + 2] ?? '', /^ *10\.0\.0\.9 +1 +1 +0 +- +- +-/, 'TCP without tcp_info: unknown');
    // The retransmit row of the counters pane points at r.
    await h.press('3');
    const detail = h.d.store.detailLines(96);
    assert.match(detail[0] ?? '', /TCP retransmitted %/);
    assert.ok(detail.some((l) => l.includes('r: the connections sorted by retransmits')));
  } finally {
    await h.close();
  }
});

test('paused: the frozen frame keeps its tcp_info values while the live reader writes the next dumps over the same rows', async () => {
  const h = start(['-n'], 160, 40);
  try {
    h.src.push({ inet: liveDump(1) });
    h.src.push({ inet: liveDump(2) });
    await h.settle();
    await h.press(' ');
    assert.equal(h.d.store.state.paused, true);
    const key = h.d.store.frame.conns.live.keys().next().value as string;
    const acked = (): number | undefined => h.d.store.frame.conns.sock(key)?.tcpInfo?.bytesAcked;
    const was = acked();
    assert.ok(was !== undefined && was >= 2000 && was < 3000, `tick 2's bytes_acked: ${was}`);
    // Two more dumps: the rows and views are the live ones, written over.
    const third = liveDump(3);
    h.src.push({ inet: third });
    h.src.push({ inet: liveDump(4) });
    await h.settle();
    assert.ok((third[0]?.tcpInfo?.bytesAcked ?? 0) >= 4000, 'the live view reads the newest dump');
    assert.equal(acked(), was, 'the paused screen keeps its values');
    await h.press('r');
    await h.press('\r');
    const detail = h.d.store.detailLines(96).join('\n');
    has(detail, 'bytes_acked', '+1000 this tick', 'bytes_received', '+2000 this tick');
  } finally {
    await h.close();
  }
});
