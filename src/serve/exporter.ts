// The HTTP(S) endpoint: /metrics (Prometheus text or OpenMetrics), /healthz, and a short page
// at /. It is fed by the same sampler as the dashboard or the printer (update() per sample)
// and never reads the kernel itself: a scrape costs a render of the last sample, cached until
// the next one, whatever the number of scrapers.
import { createHash } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import bcrypt from 'bcryptjs';
import type { InetProto } from '../model.js';
import type { Sample } from '../sampler/sample-engine.js';
import type { Want } from '../sources/snapshot.js';
import { negotiate, render, type ContentType } from './exposition.js';
import { authority, type ListenAddress } from './listen-address.js';
import { FlowCounters } from './flow-counters.js';
import { buildFamilies, DEFAULT_CAPS, type Caps, type Family } from './metric-set.js';
import { WebConfigError, type WebConfig } from './web-config.js';

const ALL_INET: InetProto[] = ['tcp', 'tcp6', 'udp', 'udp6', 'udplite', 'udplite6', 'raw', 'raw6'];

/** What the sampler must read for /metrics; owners only when program names are exported. */
export function serveWant(programs: boolean, info = false): Want {
  const want: Want = {
    inet: ALL_INET,
    unix: true,
    owners: programs,
    interfaces: true,
    counters: true,
    routes4: false,
    routes6: false,
    conntrack: true,
  };
  // --info: tcp_info on every tick, for the per-program and per-peer traffic (flow-counters.ts).
  if (info) want.tcpInfo = true;
  return want;
}

/** Both: every section either asks for. */
export function mergeWant(a: Want, b: Want): Want {
  const inet = [...new Set([...a.inet, ...b.inet])];
  const out: Want = {
    inet,
    unix: a.unix || b.unix,
    owners: a.owners || b.owners,
    interfaces: a.interfaces || b.interfaces,
    counters: a.counters || b.counters,
    routes4: a.routes4 || b.routes4,
    routes6: a.routes6 || b.routes6,
    conntrack: a.conntrack || b.conntrack,
  };
  if (a.tcpInfo === true || b.tcpInfo === true) out.tcpInfo = true;
  if (a.inetSource !== undefined) out.inetSource = a.inetSource;
  // -l's kernel filter would hide the sockets /metrics counts.
  return out;
}

export interface ExporterOptions {
  listen: ListenAddress;
  web: WebConfig;
  intervalMs: number;
  /** Export per-program series (-p). */
  programs: boolean;
  /** Per-program and per-peer TCP traffic from tcp_info (--info). */
  info?: boolean;
  caps?: Caps;
  /** Monotonic ms; default performance.now. */
  mono?: () => number;
}

const PAGE = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>netdash exporter</title></head>
<body><h1>netdash exporter</h1>
<p>The network state of this host, for Prometheus.</p>
<ul><li><a href="metrics">/metrics</a></li><li><a href="healthz">/healthz</a>: whether sampling works</li></ul>
</body></html>
`;

/** Results of recent password checks: bcrypt costs tens of ms per attempt, a scraper sends the
 *  same credentials every few seconds. Keyed by a hash of user and password, never the password. */
const AUTH_CACHE_MAX = 64;

export class Exporter {
  private readonly server: http.Server;
  private families: Family[] | null = null;
  private rendered = new Map<ContentType, Promise<string>>();
  private lastAt: number | null = null;
  private lastTime: number | null = null;
  private lastElapsed = 0;
  private failedSources: string[] = [];
  private error: string | null = null;
  private readonly mono: () => number;
  private readonly authCache = new Map<string, boolean>();
  private readonly flows: FlowCounters | null;

  private constructor(private readonly opts: ExporterOptions) {
    this.mono = opts.mono ?? (() => performance.now());
    this.flows = opts.info === true ? new FlowCounters(opts.programs) : null;
    const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
      this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end(`error: ${err instanceof Error ? err.message : String(err)}\n`);
      });
    };
    this.server = opts.web.tls
      ? https.createServer({ cert: opts.web.tls.cert, key: opts.web.tls.key }, handler)
      : http.createServer(handler);
    // Idle keep-alive connections of a scraper must not hold the process at exit.
    this.server.keepAliveTimeout = 30_000;
  }

  /** Listen; rejects with a one-line message (address in use, not permitted, bad TLS key). */
  static async start(opts: ExporterOptions): Promise<Exporter> {
    let e: Exporter;
    try {
      e = new Exporter(opts);
    } catch (err) {
      // Node checks the certificate and key here: a file that is not PEM, a key of another cert.
      throw new WebConfigError(`--web-config: tls_server_config: ${err instanceof Error ? err.message : String(err)}`);
    }
    await new Promise<void>((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException): void => {
        reject(new Error(`--serve ${authority(opts.listen)}: ${err.code ?? err.message}`));
      };
      e.server.once('error', onError);
      e.server.listen(opts.listen.port, opts.listen.host, () => {
        e.server.off('error', onError);
        resolve();
      });
    });
    return e;
  }

  /** The URL it serves, with the real port. */
  get url(): string {
    const a = this.server.address() as AddressInfo;
    return `${this.opts.web.tls ? 'https' : 'http'}://${authority({ host: a.address, port: a.port })}/`;
  }

  /** What a sampler feeding this endpoint must read: `base` and what /metrics needs. */
  want(base: Want): Want {
    return mergeWant(base, serveWant(this.opts.programs, this.opts.info === true));
  }

  /** A new sample: its metric families replace the last ones. */
  update(sample: Sample): void {
    const caps = this.opts.caps ?? DEFAULT_CAPS;
    this.families = buildFamilies(sample, { intervalMs: this.opts.intervalMs, programs: this.opts.programs, caps });
    if (this.flows) {
      this.flows.add(sample.aggregates);
      this.families.push(...this.flows.families(caps));
    }
    this.rendered.clear();
    this.lastAt = this.mono();
    this.lastTime = sample.time;
    this.lastElapsed = sample.elapsedMs ?? 0;
    this.error = null;
    this.failedSources = coreFailures(sample);
  }

  /** Sampling broke down: /healthz says so until a sample comes again. */
  fail(err: unknown): void {
    this.error = err instanceof Error ? err.message : String(err);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** The current exposition (what /metrics serves), for tests and tools. */
  metrics(type: ContentType): Promise<string> | null {
    if (this.families === null) return null;
    let r = this.rendered.get(type);
    if (!r) {
      r = render(this.families, type);
      this.rendered.set(type, r);
    }
    return r;
  }

  health(): { ok: boolean; body: Record<string, unknown> } {
    if (this.lastAt === null || this.lastTime === null) {
      return { ok: false, body: { ok: false, reason: this.error ?? 'no sample yet' } };
    }
    const ageS = (this.mono() - this.lastAt) / 1000;
    // Stale: three intervals without a sample (the interval the sampler really keeps, which
    // the dashboard's + and - change), plus a second for a slow read.
    const staleS = (3 * Math.max(this.opts.intervalMs, this.lastElapsed)) / 1000 + 1;
    const reasons: string[] = [];
    if (this.error !== null) reasons.push(`sampling failed: ${this.error}`);
    if (ageS > staleS) reasons.push(`last sample is ${ageS.toFixed(1)} s old (stale after ${staleS.toFixed(1)} s)`);
    if (this.failedSources.length > 0) reasons.push(`not read: ${this.failedSources.join(', ')}`);
    const ok = reasons.length === 0;
    return {
      ok,
      body: {
        ok,
        lastSample: new Date(this.lastTime).toISOString(),
        ageSeconds: Number(ageS.toFixed(3)),
        staleAfterSeconds: staleS,
        ...(ok ? {} : { reason: reasons.join('; ') }),
      },
    };
  }

  private async authorized(req: http.IncomingMessage): Promise<boolean> {
    const users = this.opts.web.users;
    if (users.size === 0) return true;
    const h = req.headers.authorization ?? '';
    const m = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(h.trim());
    if (!m) return false;
    const decoded = Buffer.from(m[1] ?? '', 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return false;
    const user = decoded.slice(0, colon);
    const pass = decoded.slice(colon + 1);
    const key = createHash('sha256').update(user).update('\0').update(pass).digest('hex');
    const cached = this.authCache.get(key);
    if (cached !== undefined) return cached;
    const hash = users.get(user);
    // An unknown user costs a bcrypt round too (against some user's hash, the result thrown
    // away), so timing does not tell which users exist.
    const good = await bcrypt.compare(pass, hash ?? users.values().next().value ?? '');
    const ok = hash !== undefined && good;
    if (this.authCache.size >= AUTH_CACHE_MAX) {
      const oldest = this.authCache.keys().next().value;
      if (oldest !== undefined) this.authCache.delete(oldest);
    }
    this.authCache.set(key, ok);
    return ok;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const common = { 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' };
    if (!(await this.authorized(req))) {
      res.writeHead(401, {
        ...common,
        'WWW-Authenticate': 'Basic realm="netdash", charset="UTF-8"',
        'Content-Type': 'text/plain; charset=utf-8',
      });
      res.end('unauthorized\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...common, Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('method not allowed\n');
      return;
    }
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, type: string, body: string): void => {
      res.writeHead(status, { ...common, 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    switch (path) {
      case '/':
        send(200, 'text/html; charset=utf-8', PAGE);
        return;
      case '/metrics': {
        const type = negotiate(req.headers.accept);
        const text = this.metrics(type);
        if (text === null) {
          send(503, 'text/plain; charset=utf-8', 'no sample yet\n');
          return;
        }
        send(200, type, await text);
        return;
      }
      case '/healthz': {
        const h = this.health();
        send(h.ok ? 200 : 503, 'application/json', JSON.stringify(h.body) + '\n');
        return;
      }
      default:
        send(404, 'text/plain; charset=utf-8', 'not found: try /metrics\n');
    }
  }
}

/** The sources every sample reads whatever the privileges (interfaces, protocol counters, the
 *  inet socket tables) that failed; conntrack and process owners need root, so their absence
 *  is shown in netdash_source_up, not as ill health. */
function coreFailures(sample: Sample): string[] {
  const snap = sample.snapshot;
  const out: string[] = [];
  if (snap.interfaces && !snap.interfaces.ok) out.push('interfaces');
  if (snap.counters && snap.counters.errors.length > 0) out.push('counters');
  for (const [proto, r] of Object.entries(snap.inet)) if (r && !r.ok) out.push(proto);
  return out;
}
