// core/random.ts: one seeded generator for every random choice (init, shuffles, dropout).
// sfc32 on 32-bit integer maths: the same seed gives the same numbers in Node and every browser.

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [low, high). */
  uniform(low: number, high: number): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** Integer in [0, n). */
  int(n: number): number;
  /** mask[i] = next() < keep ? scale : 0 for i = 0, 1, … in order: the same draws as that loop (dropout's mask), at a
   *  fraction of its cost (no call per draw, the comparison on the integer draw: r / 2³² < keep exactly when r < keep·2³²). */
  keepMask(mask: Float32Array, keep: number, scale: number): void;
  /** Fisher–Yates shuffle in place; returns the array. */
  shuffle<T>(items: T[]): T[];
  /** The generator's state, to resume later. */
  state(): [number, number, number, number];
}

/** A seeded generator: same seed, same sequence. */
export function seeded(seed: number, state?: readonly [number, number, number, number]): Random {
  if (!Number.isFinite(seed)) throw new RangeError(`seeded: seed must be a finite number, got ${seed}`);
  // the state is held as int32 (the same bits as uint32): V8 keeps such numbers unboxed, where values ≥ 2³¹ in the
  // closure's variables were boxed anew at every draw (about 20 ns a draw, and garbage for the collector)
  let [a, b, c, d] = (state ?? [0x9e3779b9, 0x243f6a88, 0xb7e15162, (seed >>> 0) ^ 0xdeadbeef]).map((v) => v | 0);
  if (!state) {
    a ^= Math.floor(seed / 0x100000000) >>> 0;
    for (let i = 0; i < 15; i++) nextU32();
  }
  let spare: number | undefined;
  function nextU32(): number {
    const t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    const r = (t + d) | 0;
    c = (c + r) | 0;
    return r >>> 0;
  }
  const random: Random = {
    next: () => nextU32() / 4294967296,
    uniform: (low, high) => low + (high - low) * random.next(),
    normal() {
      if (spare !== undefined) { const s = spare; spare = undefined; return s; }
      let u = 0;
      while (u === 0) u = random.next();
      const v = random.next();
      const radius = Math.sqrt(-2 * Math.log(u));
      spare = radius * Math.sin(2 * Math.PI * v);
      return radius * Math.cos(2 * Math.PI * v);
    },
    int: (n) => Math.floor(random.next() * n),
    keepMask(mask, keep, scale) {
      const s = keepState;
      s[0] = a; s[1] = b; s[2] = c; s[3] = d;
      fillKeepMask(mask, keep, scale, s);
      a = s[0]; b = s[1]; c = s[2]; d = s[3];
    },
    shuffle(items) {
      for (let i = items.length - 1; i > 0; i--) {
        const j = random.int(i + 1);
        [items[i], items[j]] = [items[j], items[i]];
      }
      return items;
    },
    state: () => [a >>> 0, b >>> 0, c >>> 0, d >>> 0],
  };
  return random;
}

const keepState = new Int32Array(4);

/** keepMask's loop: nextU32 with the state (a, b, c, d in s) in locals, written back at the end. A function of its own:
 *  as a method of seeded's closure the same loop ran at half this speed in V8 (about 10 ns a draw against 5). */
function fillKeepMask(mask: Float32Array, keep: number, scale: number, s: Int32Array): void {
  const limit = keep * 4294967296;
  let a = s[0], b = s[1], c = s[2], d = s[3];
  for (let i = 0; i < mask.length; i++) {
    const t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    const r = (t + d) | 0;
    c = (c + r) | 0;
    mask[i] = r >>> 0 < limit ? scale : 0;
  }
  s[0] = a; s[1] = b; s[2] = c; s[3] = d;
}
