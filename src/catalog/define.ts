// Builds a group's facts from the short specs the domain files write.
import type { CounterFact, Spec, Text } from './types.js';

export interface GroupOptions {
  /** Added to the title: 'Ip.InDiscards (IPv4)'. */
  readonly label?: string;
  /** Put before every meaning ('Multipath TCP: '). */
  readonly prefix?: string;
  /** Where the group's counters come from, for entries that name no source of their own. */
  readonly source: string;
  /** Texts shared with other groups, used where a spec has no meaning of its own. */
  readonly text?: Readonly<Record<string, Text>>;
}

function own<T>(table: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return table && Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

export function fact(key: string, title: string, spec: Spec, text: Text | undefined, source: string, prefix = ''): CounterFact {
  const meaning = spec.meaning ?? text?.meaning;
  // A programming error in the catalog itself; test/catalog.test.ts loads every group.
  if (meaning === undefined) throw new Error(`catalog: ${key} has no meaning`);
  const rising = spec.meaning !== undefined ? spec.rising : (spec.rising ?? text?.rising);
  const f: CounterFact = {
    key,
    kind: spec.kind ?? 'counter',
    problem: spec.problem === true,
    netstat: spec.netstat ? { text: spec.netstat[0], print: spec.netstat[1] } : null,
    title,
    meaning: prefix + meaning,
    source: spec.source ?? text?.source ?? source,
  };
  return rising === undefined ? f : { ...f, whenRising: rising };
}

/** The facts of one /proc group: 'Tcp' + { RetransSegs: {...} } → 'Tcp.RetransSegs'. */
export function group(name: string, opts: GroupOptions, specs: Readonly<Record<string, Spec>>): CounterFact[] {
  return Object.entries(specs).map(([counter, spec]) => {
    const key = `${name}.${counter}`;
    const title = opts.label === undefined ? key : `${key} (${opts.label})`;
    return fact(key, title, spec, own(opts.text, counter), opts.source, opts.prefix);
  });
}
