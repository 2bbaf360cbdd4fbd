// --serve and --web-config turned into a running endpoint. Errors: WebConfigError for a bad
// file (a bad value, exit status 2), any other Error for a listen that failed.
import { Exporter } from './exporter.js';
import type { ListenAddress } from './listen-address.js';
import { loadWebConfig, WebConfigError } from './web-config.js';

export { Exporter, WebConfigError };

export function startExporter(o: {
  listen: ListenAddress;
  webConfig: string | null;
  intervalMs: number;
  programs: boolean;
  info?: boolean;
  mono?: () => number;
}): Promise<Exporter> {
  const web = o.webConfig === null ? { tls: null, users: new Map<string, string>() } : loadWebConfig(o.webConfig);
  return Exporter.start({
    listen: o.listen,
    web,
    intervalMs: o.intervalMs,
    programs: o.programs,
    info: o.info === true,
    ...(o.mono ? { mono: o.mono } : {}),
  });
}
