// Playback state of an op view: which step, playing or not, how fast. Reduced motion turns autoplay off.
// Every change of step goes through `seek`, which calls back `onseek` (the view writes the step into the
// link there; no effect mirrors the player). A player is made once per view (views/view.ts, the view contract).
export class Player {
  index = $state(0);
  playing = $state(false);
  stepsPerSecond = $state(8);
  count = $state(1);
  private onseek: ((index: number) => void) | undefined;

  constructor(count: number, start = 0, onseek?: (index: number) => void) {
    this.count = Math.max(1, count);
    this.onseek = onseek;
    if (reducedMotion()) this.stepsPerSecond = 1; // nothing plays by itself; when asked, it plays slowly
    this.index = Math.min(Math.max(0, Number.isInteger(start) ? start : 0), this.count - 1);
  }
  forward() { if (this.index < this.count - 1) this.seek(this.index + 1); else this.playing = false; }
  back() { if (this.index > 0) this.seek(this.index - 1); }
  toggle() { this.playing = !this.playing; }
  seek(index: number) {
    const next = Math.min(Math.max(0, Math.round(index)), this.count - 1);
    if (next === this.index) return;
    this.index = next;
    this.onseek?.(next);
  }
}

export const reducedMotion = () => typeof matchMedia !== 'undefined' && matchMedia('(prefers-reduced-motion: reduce)').matches;
