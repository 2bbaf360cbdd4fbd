// uid → user name from /etc/passwd (root path injectable, no NSS: we never spawn or block).
import { readOptional, type KernelFs } from '../sources/kernel-fs.js';

export type UserTable = ReadonlyMap<number, string>;

export function parsePasswd(text: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const line of text.split('\n')) {
    const f = line.split(':');
    // An empty or non-numeric uid (NIS '+' lines) is not uid 0.
    if (f.length < 3 || !f[0] || !/^\d+$/.test(f[2] ?? '')) continue;
    const uid = Number(f[2]);
    if (!Number.isSafeInteger(uid)) continue;
    if (!out.has(uid)) out.set(uid, f[0]);
  }
  return out;
}

export async function loadUsers(kfs: KernelFs): Promise<UserTable> {
  return readOptional(kfs, 'etc/passwd', parsePasswd, new Map());
}
