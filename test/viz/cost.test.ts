// Cost per layer (viz/src/lib/cost.ts): the counts are core's summary of the model (hand-counted here for the shipped
// cnn), the time is a median per layer of real forward passes, in layer order.
import { describe, it, expect } from 'vitest';
import { createPreset } from '../../core/index.js';
import { layerCosts, timeLayers, count, bytes } from '../../viz/src/lib/cost.js';

describe('cost per layer', () => {
  const cnn = createPreset('cnn', { seed: 1 });
  it('multiply-adds, parameters and activation bytes of the small cnn, counted by hand', () => {
    const rows = layerCosts(cnn);
    expect(rows.map((r) => r.layer.split(' ')[0])).toEqual(cnn.configs.map((c) => c.type));
    // conv 5×5×8 on 1×28×28 → 8×24×24, each output 25 products; conv 5×5×16 on 8×12×12 → 16×8×8, each 8·25; dense 256→10
    expect(rows.map((r) => r.multiplyAdds)).toEqual([8 * 24 * 24 * 25, 0, 0, 16 * 8 * 8 * 200, 0, 0, 0, 2560, 0]);
    expect(rows.map((r) => r.parameters)).toEqual([208, 0, 0, 3216, 0, 0, 0, 2570, 0]);
    expect(rows.map((r) => r.activationBytes)).toEqual([4608, 4608, 1152, 1024, 1024, 256, 256, 10, 10].map((v) => 4 * v));
    expect(rows.every((r) => r.ms === null)).toBe(true);
  });
  it('times each layer\'s forward pass: the median over the repeats, the two warm-ups left out', () => {
    let clock = 0, calls = 0;
    // a clock that moves 1 ms between each start and end reading: every layer measures 1 ms
    const now = () => { calls++; return clock += calls % 2 === 0 ? 1 : 0; };
    const ms = timeLayers(cnn, new Float32Array(784), 5, now);
    expect(ms).toHaveLength(9);
    expect(ms.every((t) => t === 1)).toBe(true);
    const real = timeLayers(cnn, new Float32Array(784).fill(0.5), 3);
    expect(real.every((t) => t >= 0 && Number.isFinite(t))).toBe(true);
  });
  it('short numbers', () => {
    expect(count(4_866_048)).toBe('4.87 M');
    expect(count(1280)).toBe('1,280');
    expect(bytes(86_528)).toBe('84.5 KiB');
    expect(bytes(5 * 1024 * 1024)).toBe('5 MiB');
    expect(bytes(40)).toBe('40 B');
  });
});
