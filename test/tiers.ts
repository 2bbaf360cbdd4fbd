// Which tier each test file (test/NAME.test.ts) belongs to. `npm run test:unit` runs the unit
// tier, `test:system` the system tier, `test:soak` the soak tier; `npm test` runs all three.
// A new test file goes in exactly one list: test-tiers.test.ts fails on a file in none (or
// two), and on a unit file that reaches for root, namespaces, tmux or child processes.
//
// A manifest rather than folders: test files keep their paths (and their relative imports,
// fixture URLs and dist/ layout), so moving a test between tiers is a one-line change.

export const TIERS = {
  /** Pure: parsers on fixture text, the engine, the store, blessed on fake streams. Seconds. */
  unit: [
    'connection-order',
    'conntrack',
    'counter-deltas',
    'dashboard-keys',
    'dashboard-panes',
    'dashboard-render',
    'dashboard-store',
    'derived-signals',
    'diag-rows',
    'tcp-info-parse',
    'tcp-flows',
    'explain',
    'graphs',
    'catalog',
    'layers',
    'frame-snapshots',
    'fuzz-parsers',
    'help',
    'json-stream',
    'interface-meta',
    'interfaces',
    'link-events',
    'names',
    'owner-cache',
    'owner-demand',
    'frame-churn',
    'routes',
    'sampler',
    'serve-metrics',
    'snmp',
    'sockets',
    'startup-imports',
    'print-direct',
    'statistics',
    'table-cadence',
    'terminal-colours',
    'test-tiers',
    'unix-sockets',
  ],
  /** Real kernel and real programs: network namespaces, tmux, netstat/ss, spawned netdash and
   *  node processes, npm pack. Needs root for most of it (prereq skips locally, fails in CI). */
  system: [
    'print-direct-netns',
    'snapshot',
    'bench-smoke',
    'catalog-kernel',
    'graphs-tmux',
    'cli',
    'cli-errors',
    'cli-run',
    'counters-64bit',
    'eight-bit',
    'output-errors',
    'read-caps',
    'record-file',
    'recording',
    'dashboard-tmux',
    'faults',
    'heap-footprint',
    'tcp-info-footprint',
    'tcp-info-garbage',
    'hostile-strings',
    'kept-files',
    'least-privilege',
    'netstat-crosscheck',
    'packaging',
    'print-extras',
    'print-stream',
    'process-owners',
    'replay-errors',
    'routes-netstat',
    'sampler-netns',
    'screenshots',
    'serve-hostile',
    'serve-prometheus',
    'sock-diag',
    'statistics-netstat',
    'netstat-parity',
    'tcp-info',
    'terminal-tmux',
  ],
  /** Long runs: the dashboard under churn for 100 s (NETDASH_SOAK_SECONDS for longer). */
  soak: ['soak'],
} as const satisfies Record<string, readonly string[]>;

export type Tier = keyof typeof TIERS;

export const TIER_NAMES = Object.keys(TIERS) as Tier[];
