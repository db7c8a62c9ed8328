// Every layer kind's backward (and forward) equals its op's, bit for bit, on data with NaN, ±0 and ±Infinity,
// on both kernel sets: a layer states no maths of its own, so the trainer computes what the ops (and the
// explainer, which reads the ops) say. The one decided rule where the copies used to disagree: NaN spoils only
// what it touches, relu′(NaN)·dOut = NaN (leaky too), on the TypeScript and the WebAssembly kernels alike.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  createLayer, fromData, seeded, activation, activationBackward, activationDerivative, ACTIVATIONS, ACTIVATION_TYPES,
  softmax, softmaxBackward, maxPool, maxPoolBackward, normalize, normalizeBackward, conv3d, conv3dBackward, dense,
  denseBackward, reluBackward, leakyReluBackward, type LayerConfig, type Tensor, type ActivationType,
} from '../../core/index.js';
import { underEachKernels } from '../helpers.js';

const seed = Number(process.env.FC_SEED ?? 20261205);
const special = fc.constantFrom(NaN, 0, -0, Infinity, -Infinity, 1e-39, -1e-39, 88.8, -88.8).map(Math.fround);
const plain = fc.double({ min: -6, max: 6, noNaN: true }).map(Math.fround);
const value = fc.oneof({ weight: 1, arbitrary: special }, { weight: 3, arbitrary: plain });

/** The same bits where it matters: NaN equals NaN, +0 and −0 differ. */
function expectSameValues(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    if (!Object.is(actual[i], expected[i])) throw new Error(`${what}: value ${i} is ${actual[i]}, the op gives ${expected[i]}`);
  }
}

/** Run one layer on a batch: its output and its input gradient. */
function runLayer(config: LayerConfig, shape: number[], batch: number, x: Float32Array, dOut: Float32Array, params: Float32Array[] = []) {
  const layer = createLayer(config);
  layer.build(shape);
  layer.params().forEach((p, i) => p.value.data.set(params[i]));
  const out = layer.forward(x, batch, true, seeded(1)).slice();
  const dInput = layer.backward(dOut, batch, true)!.slice();
  return { out, dInput, grads: layer.params().map((p) => p.grad.data.slice()) };
}

const t = (values: number[], shape: number[]): Tensor => fromData(Float32Array.from(values), shape);

underEachKernels(() => {
  describe('element-wise activations', () => {
    it.each(ACTIVATION_TYPES)('%s layer = its op forward and backward (NaN, ±0, ±∞ included)', (kind) => {
      fc.assert(fc.property(fc.array(fc.tuple(value, value), { minLength: 1, maxLength: 40 }), fc.double({ min: -1, max: 1, noNaN: true }),
        (pairs, alpha) => {
          const n = pairs.length, x = t(pairs.map((p) => p[0]), [n, 1]), dOut = t(pairs.map((p) => p[1]), [n, 1]);
          const config = (kind === 'leakyRelu' ? { type: kind, alpha } : { type: kind }) as LayerConfig;
          const layer = runLayer(config, [1], n, x.data, dOut.data);
          expectSameValues(layer.out, activation(kind, x, { alpha }).data, `${kind} forward`);
          expectSameValues(layer.dInput, activationBackward(kind, x, dOut, { alpha }).data, `${kind} backward`);
        }), { seed, numRuns: 150 });
    });
    it('NaN spoils only what it touches: relu′(NaN)·dOut and leaky′(NaN)·dOut are NaN, their neighbours are not', () => {
      const x = t([NaN, -1, 2, -0], [4]), dOut = t([1, 1, 1, 1], [4]);
      expectSameValues(reluBackward(x, dOut).data, [NaN, 0, 1, 0], 'relu');
      expectSameValues(leakyReluBackward(x, dOut, { alpha: 0.5 }).data, [NaN, 0.5, 1, 0.5], 'leakyRelu');
      for (const kind of ACTIVATION_TYPES) expect(activationDerivative(kind, NaN)).toBeNaN();
      // a flat relu passes 0 whatever dOut is (no ∞·0); NaN in dOut reaches dx only where the slope passes it
      expectSameValues(reluBackward(t([-1, 1, -1], [3]), t([Infinity, NaN, NaN], [3])).data, [0, NaN, 0], 'relu with odd dOut');
    });
    it('the table is the only rule: activationDerivative(x) is the backward with dOut = 1', () => {
      fc.assert(fc.property(fc.constantFrom(...ACTIVATION_TYPES), value, (kind, v) => {
        const slope = activationBackward(kind, t([v], [1]), t([1], [1])).data[0];
        expect(Object.is(Math.fround(activationDerivative(kind, v)), slope)).toBe(true);
        expect(Object.is(Math.fround(ACTIVATIONS[kind].f(v, 0.01)), activation(kind, t([v], [1])).data[0])).toBe(true);
      }), { seed, numRuns: 200 });
    });
  });

  describe('the other layer kinds', () => {
    const rows = (n: number) => fc.array(value, { minLength: n, maxLength: n });
    it('softmax layer = softmax and softmaxBackward', () => {
      fc.assert(fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 6 }), fc.integer(), (batch, classes, s) => {
        fc.assert(fc.property(rows(batch * classes), rows(batch * classes), (z, d) => {
          const x = t(z, [batch, classes]), dOut = t(d, [batch, classes]);
          const layer = runLayer({ type: 'softmax' }, [classes], batch, x.data, dOut.data);
          expectSameValues(layer.out, softmax(x).data, 'softmax forward');
          expectSameValues(layer.dInput, softmaxBackward(x, dOut).data, 'softmax backward');
        }), { seed: s, numRuns: 5 });
      }), { seed, numRuns: 20 });
    });
    it('maxPool, normalize, conv and dense layers = their ops', () => {
      fc.assert(fc.property(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 3, max: 5 }), fc.integer(), (N, C, S, s) => {
        const random = seeded(s);
        const pick = (n: number) => Array.from({ length: n }, () => (random.next() < 0.15 ? [NaN, 0, -0, Infinity, -Infinity][Math.floor(random.next() * 5)] : Math.fround(random.uniform(-3, 3))));
        const x = t(pick(N * C * S * S), [N, C, S, S]);
        const pool = { size: 2, stride: 1 };
        const pooled = maxPool(x, pool), dPool = t(pick(pooled.size), pooled.shape);
        const p = runLayer({ type: 'maxPool', ...pool }, [C, S, S], N, x.data, dPool.data);
        expectSameValues(p.out, pooled.data, 'maxPool forward');
        expectSameValues(p.dInput, maxPoolBackward(x, dPool, pool).data, 'maxPool backward');
        const dNorm = t(pick(x.size), x.shape);
        const m = runLayer({ type: 'normalize' }, [C, S, S], N, x.data, dNorm.data);
        expectSameValues(m.out, normalize(x).data, 'normalize forward');
        expectSameValues(m.dInput, normalizeBackward(x, dNorm).data, 'normalize backward');
        const K = 2, w = t(pick(K * C * 4), [K, C, 2, 2]), b = t(pick(K), [K]);
        const convOut = conv3d(x, w, { bias: b, padding: 'same' }), dConv = t(pick(convOut.size), convOut.shape);
        const c = runLayer({ type: 'conv', filters: K, kernelSize: 2, padding: 'same' }, [C, S, S], N, x.data, dConv.data, [w.data, b.data]);
        const conv = conv3dBackward(x, w, dConv, { padding: 'same' });
        expectSameValues(c.out, convOut.data, 'conv forward');
        expectSameValues(c.dInput, conv.dInput.data, 'conv backward dInput');
        expectSameValues(c.grads[0], conv.dKernels.data, 'conv backward dKernels');
        const units = 3, inputs = C * S * S, W = t(pick(units * inputs), [units, inputs]), db = t(pick(units), [units]);
        const denseOut = dense(x, W, db), dDense = t(pick(denseOut.size), denseOut.shape);
        const d = runLayer({ type: 'dense', units }, [C, S, S], N, x.data, dDense.data, [W.data, db.data]);
        const grads = denseBackward(x, W, dDense);
        expectSameValues(d.out, denseOut.data, 'dense forward');
        expectSameValues(d.dInput, grads.dInput.data, 'dense backward dInput');
        expectSameValues(d.grads[0], grads.dW.data, 'dense backward dW');
      }), { seed, numRuns: 40 });
    });
  });
});

it('every activation layer type is in the table', () => {
  const kinds: ActivationType[] = ['relu', 'leakyRelu', 'sigmoid', 'tanh'];
  expect([...ACTIVATION_TYPES].sort()).toEqual(kinds.sort());
});
