// Per-layer gradient norms (core/nn/gradientNorms.ts), and the vanishing gradient the deep presets show.
import { describe, it, expect } from 'vitest';
import { Sequential, computeGradients, layerGradientNorms, createPreset, presets, fit, seeded, type Dataset } from '../../core/index.js';

function randomData(seed: number, count: number, size: number, classes: number): Dataset {
  const random = seeded(seed);
  return {
    inputs: Float32Array.from({ length: count * size }, () => random.uniform(0, 1)),
    labels: Int32Array.from({ length: count }, () => random.int(classes)),
    sampleShape: [size], classes,
  };
}

describe('layerGradientNorms', () => {
  it('is the L2 norm of each layer\'s loss gradient (weights and bias), checked by central differences', () => {
    const model = new Sequential({ inputShape: [6], seed: 3, layers: [{ type: 'dense', units: 5 }, { type: 'tanh' }, { type: 'dense', units: 3 }, { type: 'softmax' }] });
    const data = randomData(5, 4, 6, 3);
    computeGradients(model, data.inputs, data.labels);
    const norms = layerGradientNorms(model);
    expect(norms.map((n) => [n.layer, n.type])).toEqual([[0, 'dense'], [2, 'dense']]);
    for (const { layer, norm } of norms) {
      let sum = 0;
      for (const p of model.layers[layer].params()) {
        for (let i = 0; i < p.value.size; i++) {
          const original = p.value.data[i], h = 1e-2;
          p.value.data[i] = original + h; const plus = computeGradients(model, data.inputs, data.labels);
          p.value.data[i] = original - h; const minus = computeGradients(model, data.inputs, data.labels);
          p.value.data[i] = original;
          sum += ((plus - minus) / (2 * h)) ** 2;
        }
      }
      expect(Math.abs(norm - Math.sqrt(sum)) / Math.sqrt(sum)).toBeLessThan(1e-2);
    }
  });

  it('is read by the trainer\'s onGradients callback before the update zeroes the buffers', () => {
    const model = new Sequential({ inputShape: [6], seed: 3, layers: [{ type: 'dense', units: 5 }, { type: 'relu' }, { type: 'dense', units: 3 }, { type: 'softmax' }] });
    const seen: number[][] = [];
    fit(model, randomData(7, 32, 6, 3), { epochs: 1, batchSize: 8, onGradients: (m) => seen.push(layerGradientNorms(m).map((n) => n.norm)) });
    expect(seen).toHaveLength(4);
    for (const norms of seen) { expect(norms).toHaveLength(2); for (const n of norms) expect(n).toBeGreaterThan(0); }
  });

  it('shows the vanishing gradient: deep sigmoid + Glorot shrinks it towards the input, deep ReLU + He does not', () => {
    const data = randomData(11, 64, 784, 10);
    const ratio = (name: 'deepSigmoid' | 'deepRelu') => {
      const model = createPreset(name, { seed: 1 });
      computeGradients(model, data.inputs, data.labels);
      const norms = layerGradientNorms(model).map((n) => n.norm);
      expect(norms).toHaveLength(7);
      return norms[0] / norms[norms.length - 1];
    };
    expect(presets.deepSigmoid.init).toBe('glorotUniform');
    expect(presets.deepRelu.init).toBe('heUniform');
    expect(ratio('deepSigmoid')).toBeLessThan(1e-2);
    const relu = ratio('deepRelu');
    expect(relu).toBeGreaterThan(0.1);
    expect(relu).toBeLessThan(10);
  });
});
