// Metric families → the Prometheus text format or OpenMetrics, through prom-client (its label
// escaping, type lines, OpenMetrics `_total` and `# EOF` rules). A fresh registry per render:
// prom-client's registry renames counters in place when it renders OpenMetrics, so registries
// of the two formats must not share metric objects; and a fresh one holds exactly the series
// of this sample, so nothing of a vanished process or interface lingers.
import { Counter, Gauge, Registry } from 'prom-client';
import type { Family } from './metric-set.js';

export const PROMETHEUS_TEXT = Registry.PROMETHEUS_CONTENT_TYPE;
export const OPENMETRICS_TEXT = Registry.OPENMETRICS_CONTENT_TYPE;
export type ContentType = typeof PROMETHEUS_TEXT | typeof OPENMETRICS_TEXT;

/** OpenMetrics when the scraper's Accept header lists application/openmetrics-text (as
 *  Prometheus does, with a higher q than text/plain), else the classic text format. */
export function negotiate(accept: string | undefined): ContentType {
  if (!accept) return PROMETHEUS_TEXT;
  let best: ContentType = PROMETHEUS_TEXT;
  let bestQ = -1;
  for (const part of accept.split(',')) {
    const [type = '', ...params] = part.split(';').map((x) => x.trim().toLowerCase());
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (!Number.isFinite(q) || q <= 0) continue;
    const kind =
      type === 'application/openmetrics-text'
        ? OPENMETRICS_TEXT
        : type === 'text/plain' || type === '*/*' || type === 'text/*'
          ? PROMETHEUS_TEXT
          : null;
    if (kind !== null && q > bestQ) {
      best = kind;
      bestQ = q;
    }
  }
  return best;
}

export async function render(families: readonly Family[], type: ContentType): Promise<string> {
  const registry = new Registry<ContentType>();
  registry.setContentType(type);
  for (const f of families) {
    // A family without series would come out as one unlabelled 0.
    if (f.series.length === 0) continue;
    const labelNames = [...new Set(f.series.flatMap((s) => Object.keys(s.labels)))];
    const config = { name: f.name, help: f.help, labelNames, registers: [registry] };
    if (f.type === 'counter') {
      const c = new Counter(config);
      // A fresh counter is 0: adding the kernel's value once sets it.
      for (const s of f.series) c.inc(s.labels, s.value);
    } else {
      const g = new Gauge(config);
      for (const s of f.series) g.set(s.labels, s.value);
    }
  }
  return registry.metrics();
}
