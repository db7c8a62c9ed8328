// The batchNorm step model (core/explain/batchNorm.ts) through explainLayer/explainCell/layerFacts and the backward
// view's layer step, against the model's own numbers.
import { describe, it, expect } from 'vitest';
import {
  Sequential, BatchNormLayer, explainLayer, explainCell, layerFacts, mapCount, explainLayerBackward, explainModelGradients, normalize, fromData, seeded, type Tensor,
} from '../../core/index.js';

function model(inputShape: number[]) {
  const m = new Sequential({ inputShape, layers: inputShape.length === 3
    ? [{ type: 'conv', filters: 3, kernelSize: 3 }, { type: 'batchNorm', eps: 1e-3 }, { type: 'relu' }, { type: 'flatten' }, { type: 'dense', units: 4 }]
    : [{ type: 'dense', units: 5 }, { type: 'batchNorm' }, { type: 'dense', units: 2 }], seed: 2 });
  const random = seeded(3), bn = m.layers[1] as BatchNormLayer;
  for (const t of [bn.gamma, bn.beta, bn.runningMean]) t.data.forEach((_, i, a) => { a[i] = random.uniform(-1, 1) + (t === bn.gamma ? 1.5 : 0); });
  bn.runningVar.data.forEach((_, i, a) => { a[i] = random.uniform(0.2, 2); });
  return m;
}
const sample = (shape: number[], seed = 4) => { const r = seeded(seed); return fromData(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => r.uniform(-1, 2)), shape); };

describe('explainLayer on batchNorm', () => {
  it('inference: the running statistics, and the output the model computes; training: this sample\'s own statistics = per-map normalize then γ, β', () => {
    const m = model([1, 6, 6]), x = sample([1, 6, 6]);
    const input = m.activations(x)[0].data, inputTensor = fromData(input.slice(), [3, 4, 4]);
    const e = explainLayer(m, 1, inputTensor, { map: 2 });
    if (e.kind !== 'batchNorm') throw new Error('not a batchNorm explanation');
    expect(e.maps).toBe(3);
    const bn = m.layers[1] as BatchNormLayer, s = e.batchNorm.inference[2];
    expect(s.mean).toBe(bn.runningMean.data[2]);
    expect(s.variance).toBe(bn.runningVar.data[2]);
    const out = m.activations(x)[1].data.subarray(32, 48);
    s.after.forEach((v, i) => expect(v).toBeCloseTo(out[i], 5));
    s.after.forEach((v, i) => expect(v).toBeCloseTo(s.gamma * s.normalised[i] + s.beta, 5));
    const t = e.batchNorm.training[2], per = normalize(inputTensor as Tensor, { eps: 1e-3 }).data.subarray(32, 48);
    t.normalised.forEach((v, i) => expect(v).toBeCloseTo(per[i], 4));
    expect(t.nextRunningMean).toBeCloseTo(0.9 * bn.runningMean.data[2] + 0.1 * t.mean, 6);
    // explaining changes nothing in the model
    expect(bn.runningMean.data[2]).toBe(s.runningMean);
  });
  it('on a vector: one step per feature; explainCell gives the model\'s value with its formula; facts count γ and β', () => {
    const m = model([7]), x = sample([7]);
    const acts = m.activations(x);
    const input = fromData(acts[0].data.slice(), [5]);
    expect(mapCount(m, 1)).toBe(5);
    const cell = explainCell(m, 1, input, { map: 0, y: 0, x: 3 });
    expect(cell.value).toBeCloseTo(acts[1].data[3], 5);
    expect(cell.formula).toMatch(/γ · \(x − μ\) \/ √\(σ² \+ ε\) \+ β, μ and σ² the running averages of feature 3/);
    const facts = layerFacts(m, 1);
    expect(facts.params).toBe(10);
    expect(facts.paramsArithmetic).toMatch(/5 scales γ \+ 5 shifts β .* = 10; plus 5 running means and 5 running variances/);
  });
  it('backward view step: dInput is γ/√(σ² + ε)·δ (inference), as central differences of the model\'s layer', () => {
    const m = model([7]), input = fromData(m.activations(sample([7]))[0].data.slice(), [5]);
    const d = fromData(Float32Array.of(0.3, -1, 2, 0.5, -0.2), [5]);
    const { dInput } = explainLayerBackward(m, 1, input, d);
    const f = (v: Float32Array) => { const out = m.layers[1].forward(v, 1, false, null); let s = 0; for (let i = 0; i < 5; i++) s += out[i] * d.data[i]; return s; };
    for (let i = 0; i < 5; i++) {
      const up = input.data.slice(), down = input.data.slice(); up[i] += 1e-2; down[i] -= 1e-2;
      expect(dInput.data[i]).toBeCloseTo((f(up) - f(down)) / (up[i] - down[i]), 2);
    }
  });
  it.each([[[1, 6, 6]], [[7]]])('backward view: dγ and dβ per channel, as central differences of the whole model\'s loss (input %j)', (shape) => {
    const m = model(shape), x = sample(shape), bn = m.layers[1] as BatchNormLayer;
    const { parameters } = explainModelGradients(m, x, 1);
    const p = parameters[1];
    if (p?.kind !== 'batchNorm') throw new Error('no batchNorm parameter gradients');
    const loss = () => explainModelGradients(m, x, 1).loss;
    for (const [values, grads] of [[bn.gamma.data, p.gamma.data], [bn.beta.data, p.beta.data]] as const) {
      expect(grads.length).toBe(values.length);
      for (let c = 0; c < values.length; c++) {
        const kept = values[c], h = 2e-3;
        values[c] = kept + h; const up = loss();
        values[c] = kept - h; const down = loss();
        values[c] = kept;
        expect(grads[c]).toBeCloseTo((up - down) / (2 * h), 2);
      }
    }
    // dβ[c] is the sum of the channel's δ (ops/batchNorm.ts (3)), checked against the gradient handed in
    const delta = explainModelGradients(m, x, 1).gradients[2].data, per = delta.length / p.beta.size;
    for (let c = 0; c < p.beta.size; c++) expect(p.beta.data[c]).toBeCloseTo(delta.slice(c * per, (c + 1) * per).reduce((a, b) => a + b, 0), 5);
  });
});
