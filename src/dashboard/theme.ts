// Colours and attributes for the terminal at hand. The views write blessed tags as if every
// terminal had 16 colours; restyle() adapts them to what terminfo says this one has:
// - "dim" text (zero counts, quiet rows, empty-pane messages) is `{gray-fg}`: bright black,
//   which blessed turns into plain black (`\e[30m`, invisible on a dark background) on an
//   8-colour terminal. There it becomes the terminal's dim attribute (SGR 2), or plain text
//   where terminfo has no `dim`. Never black.
// - NO_COLOR (https://no-color.org: set and not empty) and terminals without colours drop
//   every colour and keep bold, underline and reverse, so the cursor row, the focused pane and
//   hot counters still stand out.
//
// blessed has no dim attribute: dim text is tagged `{blink}` (which nothing else uses) and
// the blink parameter is rewritten to dim in the SGR sequences blessed writes
// (installDimAttribute). Were the rewrite ever bypassed, the text would blink, not vanish.

export interface TermCaps {
  /** terminfo `colors` (max_colors); -1 when the entry has none. */
  colors: number;
  /** terminfo `dim` (enter_dim_mode) exists. */
  dim: boolean;
  /** NO_COLOR is set and not empty. */
  noColor: boolean;
}

/** The parts of blessed's Tput read here. */
export interface TputLike {
  colors?: number;
  strings?: Record<string, unknown>;
}

export function noColorSet(env: Readonly<Record<string, string | undefined>>): boolean {
  const v = env['NO_COLOR'];
  return v !== undefined && v !== '';
}

export function termCaps(tput: TputLike, env: Readonly<Record<string, string | undefined>>): TermCaps {
  return {
    colors: typeof tput.colors === 'number' ? tput.colors : -1,
    dim: typeof tput.strings?.['enter_dim_mode'] === 'string',
    noColor: noColorSet(env),
  };
}

/** How dim text is drawn on this terminal. */
export function dimStyle(caps: TermCaps): 'gray' | 'dim' | 'plain' {
  if (!caps.noColor && caps.colors >= 16) return 'gray';
  return caps.dim ? 'dim' : 'plain';
}

/** Colours are drawn at all (8 is the least a colour terminal has). */
export function colourOn(caps: TermCaps): boolean {
  return !caps.noColor && caps.colors >= 8;
}

// Colour tags as the views write them. Outside text reaches the tag string with '{' escaped
// as '{open}' (tagSafe), so these patterns only ever match the views' own tags.
const GRAY = /\{(\/?)gray-fg\}/g;
const COLOUR = /\{\/?(?:light-|bright-)?(?:black|red|green|yellow|blue|magenta|cyan|white|gray|grey|default)-(?:fg|bg)\}/g;

/** A function that adapts the views' tags to the terminal's capabilities. */
export function restyle(caps: TermCaps): (tagged: string) => string {
  const dim = dimStyle(caps);
  const colour = colourOn(caps);
  if (dim === 'gray' && colour) return (s) => s;
  return (s) => {
    let out = dim === 'gray' ? s : s.replace(GRAY, dim === 'dim' ? '{$1blink}' : '');
    if (!colour) out = out.replace(COLOUR, '');
    return out;
  };
}

/** An SGR sequence with blink (5) as dim (2); 38;5;N and 48;5;N colour arguments left alone. */
export function blinkToDim(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[([0-9;]*)m/g, (seq, params: string) => {
    const p = params.split(';');
    let changed = false;
    for (let i = 0; i < p.length; i++) {
      if ((p[i] === '38' || p[i] === '48') && p[i + 1] === '5') {
        i += 2;
        continue;
      }
      if (p[i] === '5') {
        p[i] = '2';
        changed = true;
      }
    }
    return changed ? `\x1b[${p.join(';')}m` : seq;
  });
}

/** The parts of blessed's Program wrapped here. */
interface ProgramLike {
  _write: (this: ProgramLike, text: string) => unknown;
}

/** Make blessed write SGR 2 where the views asked for dim (see above). */
export function installDimAttribute(program: unknown): void {
  const p = program as ProgramLike;
  const write = p._write;
  p._write = function (this: ProgramLike, text: string) {
    return write.call(this, typeof text === 'string' ? blinkToDim(text) : text);
  };
}
