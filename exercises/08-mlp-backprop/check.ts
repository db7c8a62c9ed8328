import { Sequential, computeGradients, trainTestSplit, evaluate, createPreset } from '../../core/index.js';
import { loadIris } from '../../core/node.js';
import { type Check, type Case, runCase, propertyCase, show, close, fmt } from '../lib.js';
import { gradCheck } from '../gradcheck.js';
import { randomParams } from '../07-mlp-forward/check.js';

type Params = ReturnType<typeof randomParams>;
type Grad = { dW1: number[][]; db1: number[]; dW2: number[][]; db2: number[] };
const keys = ['W1', 'b1', 'W2', 'b2'] as const;

/** The same gradient from convlab's layers (dense → sigmoid → dense → sigmoid, MSE). */
function referenceGradient(x: number[], label: number, p: Params): Grad {
  const model = new Sequential({ inputShape: [4], layers: [{ type: 'dense', units: 10 }, { type: 'sigmoid' }, { type: 'dense', units: 3 }, { type: 'sigmoid' }] });
  const [W1, b1, W2, b2] = model.params();
  W1.value.data.set(p.W1.flat()); b1.value.data.set(p.b1); W2.value.data.set(p.W2.flat()); b2.value.data.set(p.b2);
  computeGradients(model, Float32Array.from(x), Int32Array.from([label]), 'mse');
  return { dW1: chunk(Array.from(W1.grad.data), 4), db1: Array.from(b1.grad.data), dW2: chunk(Array.from(W2.grad.data), 10), db2: Array.from(b2.grad.data) };
}
/** SGD with batch size 1 on the reference gradient; `sign` −1 is the mistake of climbing the loss. */
function referenceSgd(inputs: number[][], labels: number[], p: Params, lr: number, epochs: number, { sign = 1, skipBiases = false } = {}): Params {
  const q = structuredClone(p);
  for (let e = 0; e < epochs; e++) inputs.forEach((x, n) => {
    const g = referenceGradient(x, labels[n], q);
    q.W1.forEach((row, j) => row.forEach((_, i) => { row[i] -= sign * lr * g.dW1[j][i]; }));
    q.W2.forEach((row, k) => row.forEach((_, j) => { row[j] -= sign * lr * g.dW2[k][j]; }));
    if (!skipBiases) { q.b1.forEach((_, j) => { q.b1[j] -= sign * lr * g.db1[j]; }); q.b2.forEach((_, k) => { q.b2[k] -= sign * lr * g.db2[k]; }); }
  });
  return q;
}
const mse = (x: number[], t: number[], p: Params) => fwd(x, p).yHat.reduce((a, y, k) => a + (y - t[k]) ** 2, 0) / t.length;

export const check: Check = {
  title: 'MLP gradient (MSE, sigmoid) and SGD on Iris',
  exports: ['mlpGradient', 'trainSgd'],
  hints: [
    'start at the output: δ2 = dL/dz2 = (2/K)(ŷ − t) ⊙ ŷ(1 − ŷ); then dW2[k][j] = δ2[k]·h[j] and db2 = δ2',
    'go back one layer: δ1[j] = (Σ_k W2[k][j]·δ2[k]) · h[j](1 − h[j]); dW1[j][i] = δ1[j]·x[i], db1 = δ1',
    'trainSgd: for each epoch, for each sample n: g = mlpGradient(inputs[n], targets[n], params); subtract learningRate·g from all four of W1, b1, W2, b2',
    'check your gradient yourself: gradCheck from exercises/gradcheck.ts compares it with central differences of the loss',
  ],
  cases(impl) {
    const mlpGradient = impl.mlpGradient as (x: number[], t: number[], p: Params) => Grad;
    const trainSgd = impl.trainSgd as (i: number[][], t: number[][], p: Params, lr: number, e: number) => Params;
    const cases: Case[] = [];
    for (const [seed, label] of [[1, 0], [2, 2]]) {
      const p = randomParams(seed), x = [0.5, -1.2, 0.3, 0.8], t = [0, 1, 2].map((k) => (k === label ? 1 : 0));
      const want = referenceGradient(x, label, p);
      let memo: { got?: Grad; error?: unknown } | undefined;
      const call = () => { memo ??= (() => { try { return { got: mlpGradient(x.slice(), t.slice(), structuredClone(p)) }; } catch (error) { return { error }; } })(); if (memo.error) throw memo.error; return memo.got; };
      const outputRight = () => close(memo?.got?.dW2, want.dW2) && close(memo?.got?.db2, want.db2);
      for (const key of ['dW2', 'db2', 'dW1', 'db1'] as const) {
        cases.push(runCase(`sample ${seed}: ${key}`, `x ${show(x)}, t ${show(t)}`, () => call()?.[key], want[key], [
          { when: (a) => key === 'dW2' && close(a, want.dW2[0].map((_, j) => want.dW2.map((row) => row[j]))), hint: 'dW2 is transposed: dL/dW2 = δ2 hᵀ has the shape of W2, [3][10], with dW2[k][j] = δ2[k]·h[j]' },
          { when: (a) => key === 'dW1' && close(a, want.dW1[0].map((_, i) => want.dW1.map((row) => row[i]))), hint: 'dW1 is transposed: dL/dW1 = δ1 xᵀ has the shape of W1, [10][4], with dW1[j][i] = δ1[j]·x[i]' },
          { when: (a) => close(scale(a, 2 / 3), want[key]), hint: 'off by a factor 3/2: L = (1/K) Σ (ŷ − t)², so dL/dŷ = (2/K)(ŷ − t), not (ŷ − t)' },
          { when: (a) => close(scale(a, 1 / 3), want[key]), hint: 'off by a factor K = 3: the loss is the mean over the classes, not the sum' },
          { when: (a) => close(scale(a, -1), want[key]), hint: 'the sign is flipped: dL/dŷ = (2/K)(ŷ − t), ŷ minus t' },
          { when: (a) => key === 'db2' && close(a, want.db2.map((_, k) => (2 / 3) * (fwd(x, p).yHat[k] - t[k]))), hint: 'σ\'(z2) is missing: dL/dz2 = dL/dŷ · ŷ(1 − ŷ)' },
          { when: () => key.endsWith('1') && outputRight(), hint: 'the output gradients dW2 and db2 are right; check the hidden layer: dL/dz1 = (W2ᵀ δ2) ⊙ h(1 − h)' },
        ], 1e-4));
      }
    }
    cases.push(propertyCase('your gradient agrees with finite differences of the loss (gradCheck)', 'x [0.5, −1.2, 0.3, 0.8], t [0, 1, 0], 4-10-3', () => {
      const x = [0.5, -1.2, 0.3, 0.8], t = [0, 1, 0];
      const report = gradCheck((p: Params) => {
        const g = mlpGradient(x.slice(), t.slice(), structuredClone(p));
        return { loss: mse(x, t, p), grads: { W1: g.dW1, b1: g.db1, W2: g.dW2, b2: g.db2 } };
      }, randomParams(3));
      if (report.pass) return null;
      const bad = Object.entries(report.inputs).filter(([, r]) => !(r.maxError <= report.tolerance));
      return { difference: bad.map(([name, r]) => `d${name}: max error ${fmt(r.maxError)} at ${JSON.stringify(r.worst?.at)} (yours ${fmt(r.worst?.analytic)}, finite difference ${fmt(r.worst?.numeric)})`).join('; '),
        hint: `gradCheck finds d${bad.map(([n]) => n).join(', d')} wrong: run gradCheck on your own function (exercises/gradcheck.ts) while you fix it` };
    }));
    // a few fixed SGD steps must land on exactly the reference's parameters
    const stepInputs = [[5.1, 3.5, 1.4, 0.2], [6.2, 2.9, 4.3, 1.3], [7.7, 3.0, 6.1, 2.3], [4.9, 3.1, 1.5, 0.1], [5.8, 2.7, 5.1, 1.9]];
    const stepLabels = [0, 1, 2, 0, 2], start = randomParams(4);
    const targets = stepLabels.map((l) => [0, 1, 2].map((k) => (k === l ? 1 : 0)));
    const describe = '5 flowers, 3 epochs, learning rate 0.5, batch size 1, from fixed weights';
    let memo: { got?: Params; error?: unknown } | undefined;
    const trained = () => { memo ??= (() => { try { return { got: trainSgd(structuredClone(stepInputs), structuredClone(targets), structuredClone(start), 0.5, 3) }; } catch (error) { return { error }; } })(); if (memo.error) throw memo.error; return memo.got; };
    const want = referenceSgd(stepInputs, stepLabels, start, 0.5, 3);
    for (const key of keys) {
      cases.push(runCase(`trainSgd: ${key} after 15 steps`, describe, () => { const got = trained(); if (!got || typeof got !== 'object') throw new Error(`trainSgd returned ${String(got)}: return the params`); return got[key]; }, want[key], [
        { when: (a) => key.startsWith('b') && close(a, start[key]), hint: `${key} never changes: the biases are parameters too; update them with ${key} −= learningRate · d${key}` },
        { when: (a) => close(a, start[key]), hint: `${key} is unchanged: update the params you return (in place, or build new arrays and return them)` },
        { when: (a) => close(a, referenceSgd(stepInputs, stepLabels, start, 0.5, 3, { sign: -1 })[key]), hint: 'the update climbs the loss: θ ← θ − learningRate · gradient (minus)' },
        { when: (a) => close(a, referenceSgd(stepInputs, stepLabels, start, 0.5, 1)[key]), hint: 'that is one epoch: repeat the pass over the samples `epochs` times' },
      ], 1e-4));
    }
    cases.push(propertyCase('trainSgd reaches ≥ 80 % on the Iris test split (80/20, 100 epochs, lr 0.1; the reference gets 93 %)', 'Iris, Glorot-initialised 4-10-3', () => {
      const { train, test } = trainTestSplit(loadIris(), { testFraction: 0.2, seed: 1, stratify: true });
      const model = createPreset('iris', { seed: 1 });
      const [W1, b1, W2, b2] = model.params().map((q) => Array.from(q.value.data));
      const p: Params = { W1: chunk(W1, 4), b1, W2: chunk(W2, 10), b2 };
      // the split is grouped by class: present the samples in one fixed random order
      const order = Array.from(train.labels.keys()).map((n) => [seededNoise(n), n]).sort((a, b) => a[0] - b[0]).map(([, n]) => n);
      const all = chunk(Array.from(train.inputs), 4);
      const inputs = order.map((n) => all[n]), labels = order.map((n) => [0, 1, 2].map((k) => (k === train.labels[n] ? 1 : 0)));
      const result = trainSgd(inputs, labels, p, 0.1, 100);
      model.params().forEach((q, i) => q.value.data.set([result.W1.flat(), result.b1, result.W2.flat(), result.b2][i]));
      const accuracy = evaluate(model, test, 'mse').accuracy;
      return accuracy >= 0.8 ? null : { difference: `test accuracy ${(accuracy * 100).toFixed(1)} %`,
        hint: 'test accuracy below 80 %: is the update θ −= lr·dθ (minus), and are all four parameters updated every step?' };
    }));
    return cases;
  },
};

const seededNoise = (n: number) => Math.sin(n * 12.9898 + 78.233) * 43758.5453 % 1;
const chunk = (values: number[], n: number) => Array.from({ length: values.length / n }, (_, r) => values.slice(r * n, (r + 1) * n));
const scale = (a: unknown, s: number) => JSON.parse(JSON.stringify(a), (_, v) => (typeof v === 'number' ? v * s : v));
function fwd(x: number[], p: Params) {
  const s = (z: number) => 1 / (1 + Math.exp(-z));
  const h = p.W1.map((row, j) => s(row.reduce((a, w, i) => a + w * x[i], p.b1[j])));
  return { h, yHat: p.W2.map((row, k) => s(row.reduce((a, w, j) => a + w * h[j], p.b2[k]))) };
}
