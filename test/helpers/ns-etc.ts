// Files that replace /etc/<file> for processes started with `ip netns exec NS` (iproute2
// bind-mounts /etc/netns/NS/<file> over /etc/<file>): a resolv.conf pointing at a test DNS
// server, a passwd with a hostile user name. remove() deletes them again.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Netns } from './netns.js';

export class NsEtc {
  readonly dir: string;
  constructor(ns: Netns, files: Record<string, string>) {
    this.dir = join('/etc/netns', ns.name);
    mkdirSync(this.dir, { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(join(this.dir, name), text);
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
