// Job control, as every full-screen program does it. Ctrl-Z (a key in raw mode, not a signal)
// and an external SIGTSTP leave the alternate screen, show the cursor and give the tty its
// cooked modes back, then stop the process with SIGSTOP (SIGTSTP itself would only reach our
// own handler again). SIGCONT, after `fg` or `kill -CONT`, puts raw mode and the alternate
// screen back and redraws every cell at once: the shell wrote over the screen meanwhile.
import type { Widgets } from 'blessed';

/** The parts of blessed's Screen and Program used here. */
interface ScreenLike {
  enter(): void;
  leave(): void;
  alloc(): void;
  render(): void;
  program: { isAlt: boolean; flush(): void };
}

interface TtyInput {
  setRawMode?(raw: boolean): unknown;
  isTTY?: boolean;
}

export interface Suspender {
  /** Give the terminal back and stop the process (Ctrl-Z, SIGTSTP). */
  suspend(): void;
  /** Take the terminal again and redraw everything (SIGCONT). */
  resume(): void;
  readonly suspended: boolean;
}

export function suspender(screen: Widgets.Screen, input: NodeJS.ReadableStream, stopSelf: () => void): Suspender {
  const s = screen as unknown as ScreenLike;
  const tty = input as unknown as TtyInput;
  let suspended = false;
  return {
    get suspended() {
      return suspended;
    },
    suspend() {
      if (suspended) return;
      suspended = true;
      // Whatever is queued goes out before the screen is left, not after.
      s.program.flush();
      // Normal screen, cursor shown, keypad mode off; flushed by blessed itself.
      s.leave();
      tty.setRawMode?.(false);
      stopSelf();
    },
    resume() {
      suspended = false;
      // Also after a stop we did not ask for (kill -STOP): the shell may have reset the tty.
      tty.setRawMode?.(true);
      if (!s.program.isAlt) s.enter();
      // Forget what blessed believes is on the terminal, so every cell is written again.
      s.alloc();
      s.render();
    },
  };
}

/** Stop this process the way a shell's job control expects. */
export function stopProcess(): void {
  process.kill(process.pid, 'SIGSTOP');
}
