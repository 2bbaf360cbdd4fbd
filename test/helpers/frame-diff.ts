// Compares two screens as text, cell by cell: any shifted, cut or changed column is a
// difference, trailing blanks included. Says where the first one is.

/** Characters of a row (code points: a box-drawing line or an arrow is one cell). */
const cells = (row: string): string[] => Array.from(row);

/** null when the frames are the same; else the first difference, with both rows and a caret. */
export function frameDiff(expected: readonly string[], actual: readonly string[]): string | null {
  if (expected.length !== actual.length) return `${actual.length} rows, expected ${expected.length}`;
  for (let r = 0; r < expected.length; r++) {
    const want = cells(expected[r] ?? ''),
      got = cells(actual[r] ?? '');
    if (want.join('') === got.join('')) continue;
    let c = 0;
    while (c < want.length && c < got.length && want[c] === got[c]) c++;
    const width = want.length === got.length ? '' : ` (${got.length} columns, expected ${want.length})`;
    return [
      `row ${r + 1}, column ${c + 1} differs${width}:`,
      `  expected |${want.join('')}|`,
      `  actual   |${got.join('')}|`,
      `           ${' '.repeat(c)}^`,
    ].join('\n');
  }
  return null;
}

/** A frame as stored in a snapshot file: its rows, one per line. */
export const frameText = (rows: readonly string[]): string => rows.join('\n') + '\n';
export const frameRows = (text: string): string[] => text.replace(/\n$/, '').split('\n');
