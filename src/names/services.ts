// Port → service name from /etc/services, as getservbyport() answers (first entry wins).
import { readOptional, type KernelFs } from '../sources/kernel-fs.js';

export type ServiceTable = ReadonlyMap<string, string>;

export function parseServices(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const [name, portProto] = line.split(/\s+/);
    const m = /^(\d+)\/(\w+)$/.exec(portProto ?? '');
    if (!name || !m) continue;
    const key = `${m[1]}/${m[2]}`;
    if (!out.has(key)) out.set(key, name);
  }
  return out;
}

export async function loadServices(kfs: KernelFs): Promise<ServiceTable> {
  return readOptional(kfs, 'etc/services', parseServices, new Map());
}

/** netstat's get_sname: port 0 is '*', and unknown ports stay numeric. */
export function serviceName(table: ServiceTable, port: number, proto: string, numeric: boolean): string {
  if (port === 0) return '*';
  if (numeric) return String(port);
  return table.get(`${port}/${proto}`) ?? String(port);
}

/** /etc/protocols: number → name. netstat names a raw socket's "port", which is its IP protocol. */
export function parseProtocols(text: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const raw of text.split('\n')) {
    const [name, num] = raw.replace(/#.*/, '').trim().split(/\s+/);
    if (!name || !num || !/^\d+$/.test(num) || !Number.isSafeInteger(Number(num))) continue;
    if (!out.has(Number(num))) out.set(Number(num), name);
  }
  return out;
}

export async function loadProtocols(kfs: KernelFs): Promise<Map<number, string>> {
  return readOptional(kfs, 'etc/protocols', parseProtocols, new Map<number, string>());
}
