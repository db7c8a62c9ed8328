// Playback state of an op view: which step, playing or not, how fast. Reduced motion turns autoplay off.
export class Player {
  index = $state(0);
  playing = $state(false);
  stepsPerSecond = $state(8);
  count = $state(1);

  constructor(count: number, start = 0) {
    this.count = count;
    if (reducedMotion()) this.stepsPerSecond = 1; // nothing plays by itself; when asked, it plays slowly
    this.index = Math.min(Math.max(0, start), count - 1);
  }
  reset(count: number, start = 0) { this.count = count; this.index = Math.min(Math.max(0, start), Math.max(0, count - 1)); this.playing = false; }
  forward() { if (this.index < this.count - 1) this.index++; else this.playing = false; }
  back() { if (this.index > 0) this.index--; }
  toggle() { this.playing = !this.playing; }
  seek(index: number) { this.index = Math.min(Math.max(0, index), this.count - 1); }
}

export const reducedMotion = () => typeof matchMedia !== 'undefined' && matchMedia('(prefers-reduced-motion: reduce)').matches;
