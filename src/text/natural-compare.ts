// Interface and socket names in the order net-tools sorts them.

/** net-tools 2.10's nstrcmp: a name splits into a stem and its trailing digits; stems compare
 *  as plain bytes, then the numbers by value, and a tie falls back to the whole names
 *  (so eth2 < eth10, and eth01 < eth1). */
export function naturalCompare(a: string, b: string): number {
  const split = (s: string): [string, number] => {
    const m = /^(.*?)(\d+)$/s.exec(s);
    return m ? [m[1] ?? '', Number(m[2])] : [s, -1];
  };
  const [sa, na] = split(a),
    [sb, nb] = split(b);
  if (sa !== sb) return sa < sb ? -1 : 1;
  if (na !== nb) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}
