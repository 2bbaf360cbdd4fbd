// --web-config FILE, in the Prometheus exporter-toolkit layout, so an operator's existing file
// for node_exporter works here too (the subset netdash supports; anything else is refused by
// name rather than silently ignored):
//   tls_server_config: { cert_file: server.crt, key_file: server.key }
//   basic_auth_users: { alice: <bcrypt hash> }
// Relative paths are relative to the file's directory, as exporter-toolkit has them.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';

export interface WebConfig {
  tls: { cert: Buffer; key: Buffer } | null;
  /** User name → bcrypt hash; empty: no authentication. */
  users: Map<string, string>;
}

export class WebConfigError extends Error {}

const TOP = ['tls_server_config', 'basic_auth_users'];
const TLS = ['cert_file', 'key_file'];
const BCRYPT = /^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function onlyKeys(where: string, v: Record<string, unknown>, allowed: readonly string[]): void {
  for (const k of Object.keys(v)) {
    if (!allowed.includes(k)) throw new WebConfigError(`${where}: unsupported key '${k}': valid keys are ${allowed.join(', ')}`);
  }
}

export function loadWebConfig(path: string): WebConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new WebConfigError(`--web-config ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new WebConfigError(`--web-config ${path}: not YAML: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}`);
  }
  if (doc === null || doc === undefined) doc = {};
  if (!isObject(doc)) throw new WebConfigError(`--web-config ${path}: expected a mapping with ${TOP.join(', ')}`);
  onlyKeys(`--web-config ${path}`, doc, TOP);
  const base = dirname(path);
  let tls: WebConfig['tls'] = null;
  const t = doc['tls_server_config'];
  if (t !== undefined && t !== null) {
    if (!isObject(t)) throw new WebConfigError(`--web-config ${path}: tls_server_config must be a mapping with ${TLS.join(', ')}`);
    onlyKeys(`--web-config ${path}: tls_server_config`, t, TLS);
    if (TLS.some((k) => typeof t[k] !== 'string' || t[k] === '')) {
      throw new WebConfigError(`--web-config ${path}: tls_server_config needs ${TLS.join(' and ')}`);
    }
    const file = (k: string): Buffer => {
      const full = resolve(base, String(t[k]));
      try {
        return readFileSync(full);
      } catch (err) {
        throw new WebConfigError(`--web-config ${path}: ${k} ${full}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
      }
    };
    tls = { cert: file('cert_file'), key: file('key_file') };
  }
  const users = new Map<string, string>();
  const u = doc['basic_auth_users'];
  if (u !== undefined && u !== null) {
    if (!isObject(u)) throw new WebConfigError(`--web-config ${path}: basic_auth_users must map user names to bcrypt hashes`);
    for (const [name, hash] of Object.entries(u)) {
      if (typeof hash !== 'string' || !BCRYPT.test(hash)) {
        throw new WebConfigError(
          `--web-config ${path}: basic_auth_users.${name}: expected a bcrypt hash ($2y$…, e.g. from htpasswd -nBC 10)`,
        );
      }
      users.set(name, hash);
    }
  }
  return { tls, users };
}
