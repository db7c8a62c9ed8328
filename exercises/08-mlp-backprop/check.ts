import { Sequential, computeGradients, trainTestSplit, evaluate, createPreset } from '../../core/index.js';
import { loadIris } from '../../core/node.js';
import { type Check, runCase, show, close, type CaseResult } from '../lib.js';
import { randomParams } from '../07-mlp-forward/check.js';

type Params = ReturnType<typeof randomParams>;
type Grad = { dW1: number[][]; db1: number[]; dW2: number[][]; db2: number[] };

/** The same gradient from convlab's layers (dense → sigmoid → dense → sigmoid, MSE). */
function referenceGradient(x: number[], label: number, p: Params): Grad {
  const model = new Sequential({ inputShape: [4], layers: [{ type: 'dense', units: 10 }, { type: 'sigmoid' }, { type: 'dense', units: 3 }, { type: 'sigmoid' }] });
  const [W1, b1, W2, b2] = model.params();
  W1.value.data.set(p.W1.flat()); b1.value.data.set(p.b1); W2.value.data.set(p.W2.flat()); b2.value.data.set(p.b2);
  computeGradients(model, Float32Array.from(x), Int32Array.from([label]), 'mse');
  const rows = (a: Float32Array, n: number) => Array.from({ length: a.length / n }, (_, r) => Array.from(a.subarray(r * n, (r + 1) * n)));
  return { dW1: rows(W1.grad.data, 4), db1: Array.from(b1.grad.data), dW2: rows(W2.grad.data, 10), db2: Array.from(b2.grad.data) };
}

export const check: Check = {
  title: 'MLP gradient (MSE, sigmoid) and SGD on Iris',
  run(impl) {
    const mlpGradient = impl.mlpGradient as (x: number[], t: number[], p: Params) => Grad;
    const trainSgd = impl.trainSgd as (i: number[][], t: number[][], p: Params, lr: number, e: number) => Params;
    const results: CaseResult[] = [];
    for (const [seed, label] of [[1, 0], [2, 2]]) {
      const p = randomParams(seed), x = [0.5, -1.2, 0.3, 0.8], t = [0, 1, 2].map((k) => (k === label ? 1 : 0));
      const want = referenceGradient(x, label, p);
      let got: Grad | undefined, error: Error | undefined;
      try { got = mlpGradient(x, t, p); } catch (e) { error = e as Error; }
      for (const key of ['dW2', 'db2', 'dW1', 'db1'] as const) {
        results.push(runCase(`sample ${seed}: ${key}`, `x ${show(x)}, t ${show(t)}`, () => { if (error) throw error; return got?.[key]; }, want[key], [
          { when: (a) => close(flatScale(a, 2 / 3), want[key]), hint: 'off by a factor 3/2: L = (1/K) Σ (ŷ − t)², so dL/dŷ = (2/K)(ŷ − t), not (ŷ − t)' },
          { when: (a) => close(flatScale(a, 1 / 3), want[key]), hint: 'off by a factor K = 3: the loss is the mean over the classes, not the sum' },
          { when: () => !!got && close(got.db2, want.db2.map((_, k) => (2 / 3) * (fwd(x, p).yHat[k] - t[k]))), hint: 'σ\'(z2) is missing: dL/dz2 = dL/dŷ · ŷ(1 − ŷ)' },
          { when: () => !!got && key.endsWith('1') && close(got.db2, want.db2), hint: 'the output gradients are right; check the hidden layer: dL/dz1 = (W2ᵀ dL/dz2) · h(1 − h)' },
        ], 1e-4));
      }
    }
    // finite differences on W1[0][0] of the learner's own gradient
    results.push(runCase('dW1 agrees with a finite difference of the loss', 'W1[3][2] ± 1e-5', () => mlpGradient([0.5, -1.2, 0.3, 0.8], [0, 1, 0], randomParams(3)).dW1[3][2],
      numericW1(randomParams(3), [0.5, -1.2, 0.3, 0.8], [0, 1, 0]), [], 1e-3));
    // training on Iris with the learner's own SGD
    results.push(runCase('trainSgd reaches ≥ 90 % on the Iris test split (80/20, 100 epochs, lr 0.1)', 'Iris, Glorot-initialised 4-10-3', () => {
      const { train, test } = trainTestSplit(loadIris(), { testFraction: 0.2, seed: 1, stratify: true });
      const model = createPreset('iris', { seed: 1 });
      const [W1, b1, W2, b2] = model.params().map((q) => Array.from(q.value.data));
      const p: Params = { W1: chunk(W1, 4), b1, W2: chunk(W2, 10), b2 };
      // the split is grouped by class: present the samples in one fixed random order
      const order = Array.from(train.labels.keys()).map((n) => [seededNoise(n), n]).sort((a, b) => a[0] - b[0]).map(([, n]) => n);
      const all = chunk(Array.from(train.inputs), 4);
      const inputs = order.map((n) => all[n]), targets = order.map((n) => [0, 1, 2].map((k) => (k === train.labels[n] ? 1 : 0)));
      const trained = trainSgd(inputs, targets, p, 0.1, 100);
      model.params().forEach((q, i) => q.value.data.set([trained.W1.flat(), trained.b1, trained.W2.flat(), trained.b2][i]));
      return evaluate(model, test, 'mse').accuracy >= 0.9 ? 1 : 0;
    }, 1, [{ when: () => true, hint: 'test accuracy below 90 %: is the update w −= lr·dw (minus), and are all four parameters updated?' }]));
    return results;
  },
};

const seededNoise = (n: number) => Math.sin(n * 12.9898 + 78.233) * 43758.5453 % 1;
const chunk = (values: number[], n: number) => Array.from({ length: values.length / n }, (_, r) => values.slice(r * n, (r + 1) * n));
const flatScale = (a: unknown, s: number) => JSON.parse(JSON.stringify(a), (_, v) => (typeof v === 'number' ? v * s : v));
function fwd(x: number[], p: Params) {
  const s = (z: number) => 1 / (1 + Math.exp(-z));
  const h = p.W1.map((row, j) => s(row.reduce((a, w, i) => a + w * x[i], p.b1[j])));
  return { h, yHat: p.W2.map((row, k) => s(row.reduce((a, w, j) => a + w * h[j], p.b2[k]))) };
}
function numericW1(p: Params, x: number[], t: number[]): number {
  const loss = (q: Params) => fwd(x, q).yHat.reduce((a, y, k) => a + (y - t[k]) ** 2, 0) / 3;
  const plus = structuredClone(p), minus = structuredClone(p);
  plus.W1[3][2] += 1e-5; minus.W1[3][2] -= 1e-5;
  return (loss(plus) - loss(minus)) / 2e-5;
}
