// The one redraw scheduler. Every change (a sample, a key, a resize, a resolved name) asks
// for a redraw; requests in the same turn of the event loop collapse into one paint, so a
// tick renders once and a keypress renders once however many actions it caused.
// Rendering is started here and nowhere else (the layout supplies the render target).

export interface RenderTarget {
  render(): void;
  /** Draw again only the boxes whose text changed; for a paint that moved, showed or hid
   *  nothing (see PaintResult). Without it every change renders the whole screen. */
  renderText?(): void;
}

/** What a paint did: false, nothing on screen changes; 'text', only the text of some boxes
 *  (none moved, appeared, hid or overlaps another), so those alone need drawing; true (or
 *  nothing said), anything else: the whole screen is rendered. */
export type PaintResult = boolean | 'text' | void;

export class RedrawScheduler {
  private pending = false;
  private disposed = false;
  /** Number of renders done, for tests and debugging. */
  renders = 0;
  /** Paints that changed nothing on screen, so no render was done. */
  skipped = 0;
  /** Renders (counted in `renders` too) that drew only the boxes whose text changed. */
  textOnly = 0;

  constructor(
    /** Puts the state on the widgets; false when nothing changed (no render needed). */
    private readonly paint: () => PaintResult,
    private readonly target: RenderTarget,
    private readonly onError: (err: unknown) => void = (err) => {
      throw err;
    },
    private readonly defer: (fn: () => void) => void = (fn) => {
      setImmediate(fn);
    },
  ) {}

  /** Ask for a redraw; coalesced with every other request until it runs. */
  request(): void {
    if (this.pending || this.disposed) return;
    this.pending = true;
    this.defer(() => {
      this.pending = false;
      if (!this.disposed) this.flush();
    });
  }

  /** Paint and render now (tests; the first frame). */
  flush(): void {
    if (this.disposed) return;
    try {
      const painted = this.paint();
      if (painted === false && this.renders > 0) {
        this.skipped++;
        return;
      }
      // An idle tick changes the status line's clock and little else: blessed's full render
      // would lay out and compare every box (most of an idle dashboard's CPU).
      if (painted === 'text' && this.renders > 0 && this.target.renderText) {
        this.target.renderText();
        this.textOnly++;
      } else this.target.render();
      this.renders++;
    } catch (err) {
      this.onError(err);
    }
  }

  get isPending(): boolean {
    return this.pending;
  }

  dispose(): void {
    this.disposed = true;
  }
}
