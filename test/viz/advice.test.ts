// The training page's advice after a divergence (training.ts divergence): the rate it proposes trains. Each preset
// the page opens with (mlp, cnn) is trained at SAFE_RATE with each optimizer for two epochs of 640 digits: its loss
// stays finite and falls; the same run at lr 1000 (the advice's example) diverges.
import { describe, it, expect } from 'vitest';
import { createPreset, fit, subset, presets, type OptimizerName } from '../../core/index.js';
import { loadDigits } from '../../core/node.js';
import { SAFE_RATE, divergence } from '../../viz/src/lib/training.js';

const { train } = loadDigits();
const data = subset(train, Array.from({ length: 640 }, (_, i) => i * 12));

function losses(name: Parameters<typeof createPreset>[0], optimizer: OptimizerName, learningRate: number): number[] {
  const model = createPreset(name, { seed: 1 });
  const out: number[] = [];
  try {
    fit(model, data, { epochs: 2, batchSize: 32, seed: 1, loss: presets[name].loss, optimizer: { type: optimizer, learningRate }, onBatch: (b) => out.push(b.loss) });
  } catch { out.push(NaN); } // TrainingDivergedError: the loss left the numbers
  return out;
}
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

describe('the divergence advice', () => {
  it('lr 1000 is told to try SAFE_RATE, not 100', () => {
    expect(divergence([NaN], { loss: 1, first: 1 }, 1, 1000)).toBe(`The loss became NaN: the learning rate is too large. Try ${SAFE_RATE}: 100 would still diverge.`);
    expect(divergence([NaN], { loss: 1, first: 1 }, 1, 0.05)).toMatch(/Try 0\.005 \(ten times smaller\)\.$/);
  });
  for (const name of ['mlp', 'cnn'] as const) for (const optimizer of ['sgd', 'momentum', 'adam'] as const) {
    it(`${name} with ${optimizer} at the advised ${SAFE_RATE} trains (and at 1000 does not)`, () => {
      const good = losses(name, optimizer, SAFE_RATE);
      expect(good.every(Number.isFinite)).toBe(true);
      expect(mean(good.slice(-8))).toBeLessThan(mean(good.slice(0, 3)));
      const bad = losses(name, optimizer, 1000);
      expect(bad.some((l) => !Number.isFinite(l)) || mean(bad.slice(-8)) > mean(bad.slice(0, 3))).toBe(true);
    });
  }
});
