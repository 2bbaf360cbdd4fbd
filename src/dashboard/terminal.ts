// Whether this terminal can show the dashboard at all. A terminal whose terminfo entry has no
// cursor addressing (`cup`: TERM=dumb, Emacs' shell buffer, some serial consoles) would get
// blessed's escape sequences as garbage, so netdash prints in netstat's format instead.
import { createRequire } from 'node:module';
import { patchTerminfoReader } from './terminfo.js';

interface TputCtor {
  new (o: { terminal: string }): { strings: Record<string, unknown>; terminal: string };
  prototype: unknown;
}

/** Why the dashboard cannot run on TERM `term` (one line), or null when it can. An unknown or
 *  unset TERM is not refused: blessed draws it as an xterm, which most terminals are. */
export function dashboardRefusal(term: string | undefined): string | null {
  const name = term ?? '';
  if (name === '') return null;
  if (name === 'dumb') return `TERM=dumb cannot move the cursor: no dashboard, printing in netstat's format instead`;
  const require = createRequire(import.meta.url);
  const Tput = (require('blessed') as { tput: TputCtor }).tput;
  patchTerminfoReader(Tput);
  const tput = new Tput({ terminal: name });
  if (typeof tput.strings['cursor_address'] !== 'string') {
    return `TERM=${name} has no cursor addressing (terminfo cup): no dashboard, printing in netstat's format instead`;
  }
  return null;
}
