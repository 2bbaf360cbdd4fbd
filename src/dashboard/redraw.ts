// The one redraw scheduler. Every change (a sample, a key, a resize, a resolved name) asks
// for a redraw; requests in the same turn of the event loop collapse into one paint, so a
// tick renders once and a keypress renders once however many actions it caused.
// screen.render() is called here and nowhere else.

export interface RenderTarget {
  render(): void;
}

export class RedrawScheduler {
  private pending = false;
  private disposed = false;
  /** Number of renders done, for tests and debugging. */
  renders = 0;
  /** Paints that changed nothing on screen, so no render was done. */
  skipped = 0;

  constructor(
    /** Puts the state on the widgets; false when nothing changed (no render needed). */
    private readonly paint: () => boolean | void,
    private readonly target: RenderTarget,
    private readonly onError: (err: unknown) => void = (err) => { throw err; },
    private readonly defer: (fn: () => void) => void = (fn) => { setImmediate(fn); },
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
      if (this.paint() === false && this.renders > 0) {
        this.skipped++;
        return;
      }
      this.target.render();
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
