// Word wrap for explanation boxes: words stay whole unless longer than a line.

export function wrap(text: string, width: number): string[] {
  if (!(width > 0)) return [text];
  const w = Math.floor(width) || 1;
  const lines: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (let word of para.split(/\s+/).filter((x) => x !== '')) {
      while (word.length > w) {
        if (line !== '') {
          lines.push(line);
          line = '';
        }
        lines.push(word.slice(0, w));
        word = word.slice(w);
      }
      if (line === '') line = word;
      else if (line.length + 1 + word.length <= w) line += ' ' + word;
      else {
        lines.push(line);
        line = word;
      }
    }
    lines.push(line);
  }
  return lines;
}
