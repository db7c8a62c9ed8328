// The layer explanations agree with the model and its ops: every cell's formula value, the defaults
// taken from the layer, the arg-max from the pool kernel, flatten's order, dropout's mask, the facts.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  Sequential, createLayer, fromData, contiguousData, maxPool, maxPoolBackward, tensor, seeded,
  explainLayer, explainCell, layerFacts, layerConnections, explainMaxPool, explainActivation, explainFlatten, flatIndex, unflatIndex,
  explainDropout, printNumber, printFactor, parsePrinted, equalsSign, equalsPrinted, gridFormat, mapCount, type Tensor, type LayerConfig,
} from '../../core/index.js';
import { randomTensor } from '../helpers.js';

const every: LayerConfig[] = [
  { type: 'conv', filters: 3, kernelSize: 3, stride: 2, padding: 'same' }, { type: 'leakyRelu', alpha: 0.1 }, { type: 'normalize' },
  { type: 'maxPool', size: 2 }, { type: 'tanh' }, { type: 'conv', filters: 4, kernelSize: 2, padding: 1 }, { type: 'sigmoid' }, { type: 'relu' },
  { type: 'flatten' }, { type: 'dropout', rate: 0.25 }, { type: 'dense', units: 5 }, { type: 'softmax' },
];
const cnn: LayerConfig[] = [
  { type: 'conv', filters: 8, kernelSize: 5 }, { type: 'relu' }, { type: 'maxPool', size: 2 }, { type: 'conv', filters: 16, kernelSize: 5 },
  { type: 'relu' }, { type: 'maxPool', size: 2 }, { type: 'flatten' }, { type: 'dense', units: 10 }, { type: 'softmax' },
];

/** What each layer reads for one sample, from the model's own forward pass. */
function layerInputs(model: Sequential, x: Tensor): Tensor[] {
  const outs = model.activations(x).map((t, i) => fromData(t.data, model.layers[i].outputShape));
  return [x, ...outs];
}

const mlp: LayerConfig[] = [{ type: 'flatten' }, { type: 'dense', units: 12 }, { type: 'tanh' }, { type: 'dropout', rate: 0.3 }, { type: 'leakyRelu' }, { type: 'dense', units: 4 }, { type: 'sigmoid' }];

describe.each([['every layer kind', [2, 13, 11], every], ['the shipped cnn', [1, 28, 28], cnn], ['an mlp (element-wise layers on vectors)', [1, 6, 6], mlp]] as const)('layer explanations: %s', (_name, shape, layers) => {
  const model = new Sequential({ inputShape: [...shape], layers: [...layers], seed: 3, init: 'heUniform' });
  const random = seeded(5);
  const inputs = layerInputs(model, randomTensor(random, [...shape], 0, 1));

  it('every cell of every layer: the formula value is the model output there', () => {
    model.layers.forEach((layer, index) => {
      const out = contiguousData(inputs[index + 1]);
      const [C, H, W] = layer.outputShape.length === 3 ? layer.outputShape : [1, 1, layer.outputShape[0]];
      for (let n = 0; n < 12; n++) {
        const map = random.int(C), y = random.int(H), x = random.int(W);
        const cell = explainCell(model, index, inputs[index], { map, y, x });
        expect(cell.value, `layer ${index} (${cell.kind}) cell ${map},${y},${x}`).toBeCloseTo(out[(map * H + y) * W + x], 5);
        // the printed result is the value, at the printed precision
        expect(cell.arithmetic.endsWith(printNumber(cell.value, 4)) || cell.kind === 'maxPool' || cell.kind === 'dropout').toBe(true);
      }
    });
  });

  it('every layer explains itself with settings taken from the layer, for every map', () => {
    model.layers.forEach((_, index) => {
      for (const map of [0, mapCount(model, index) - 1]) {
        const e = explainLayer(model, index, inputs[index], { map });
        expect(e.kind).toBe(model.configs[index].type);
        expect(e.map).toBe(e.kind === 'flatten' ? 0 : map);
        if (e.kind === 'maxPool' || e.kind === 'conv') expect(e.error).toBeUndefined();
        expect(e.facts.outShape).toEqual(model.layers[index].outputShape);
      }
    });
  });

  it('parameter counts add up to the model total', () => {
    const total = model.layers.reduce((sum, _, i) => sum + layerFacts(model, i).params, 0);
    expect(total).toBe(model.parameterCount);
  });
});

describe('conv cells', () => {
  const model = new Sequential({ inputShape: [1, 28, 28], layers: cnn, seed: 1, init: 'heUniform' });
  const digit = tensor(Array.from({ length: 784 }, (_, p) => ((p % 28) > 10 && (p % 28) < 16 && p > 150 && p < 600 ? 0.9 : 0)), [1, 28, 28]);
  it('prints every non-zero product, negatives bracketed, and the printed terms add up to the total', () => {
    const cell = explainCell(model, 0, digit, { map: 2, y: 8, x: 9 });
    expect(cell.arithmetic).not.toMatch(/·-/);
    const products = [...cell.arithmetic.matchAll(/(\(?−?[\d.]+\)?)·(\(?−?[\d.]+\)?)/g)].map((m) => parsePrinted(m[1]) * parsePrinted(m[2]));
    expect(products.length).toBeGreaterThan(0);
    const bias = parsePrinted(/ \+ (\(?−?[\d.]+\)?) [=≈] −?[\d.]+$/.exec(cell.arithmetic)![1]);
    const printedTotal = parsePrinted(/[=≈] (−?[\d.]+)$/.exec(cell.arithmetic)![1]);
    expect(Math.abs(products.reduce((a, b) => a + b, 0) + bias - printedTotal)).toBeLessThan(products.length * 1e-4 + 1e-4);
  });
  it('a window in the padding reads zeros there and says which cells are padding', () => {
    const e = explainLayer(model, 0, digit, { padding: 2, map: 0 });
    if (e.kind !== 'conv' || !e.conv) throw new Error('expected a conv explanation');
    expect(e.conv.padTop).toBe(2);
    expect(e.conv.padBottom).toBe(2);
    const first = e.conv.steps[0];
    expect([first.y, first.x]).toEqual([-2, -2]);
    expect(first.padded[0][0] && first.padded[1][1] && !first.padded[2][2]).toBe(true);
    expect(e.facts.sizeArithmetic[0]).toBe('output side = ⌊(H + 2p − k) / s⌋ + 1 = ⌊(28 + 2·2 − 5) / 1⌋ + 1 = 28');
  });
  it('facts: the output-size arithmetic and the parameter count with the layer\'s numbers', () => {
    expect(layerFacts(model, 0).paramsArithmetic).toBe('8 kernels × 1 channel × 5×5 weights + 8 biases = 208');
    expect(layerFacts(model, 3).params).toBe(16 * 8 * 25 + 16);
    expect(layerFacts(model, 2).sizeArithmetic[0]).toBe('output side = ⌊(H − k) / s⌋ + 1 = ⌊(24 − 2) / 2⌋ + 1 = 12');
    expect(layerFacts(model, 6).sizeArithmetic[0]).toBe('C·H·W = 16·4·4 = 256');
    expect(layerFacts(model, 7).paramsArithmetic).toBe('10 units × 256 inputs + 10 biases = 2,570');
  });
  it('facts: a conv view\'s chosen kernel size gives the parameter line of that size (not the trained 5×5)', () => {
    expect(layerFacts(model, 0, { size: 3 }).paramsArithmetic).toBe('8 kernels × 1 channel × 3×3 weights + 8 biases = 80');
    expect(layerFacts(model, 3, { size: 1 }).params).toBe(16 * 8 * 1 + 16);
  });
  it('a max-pool view takes its size from the layer (no "size is required")', () => {
    const e = explainLayer(model, 2, randomTensor(seeded(1), [8, 24, 24]));
    expect(e.kind === 'maxPool' && e.settings).toEqual({ size: 2, stride: 2 });
    expect(e.kind === 'maxPool' && e.pool!.outShape).toEqual([8, 12, 12]);
  });
  it('connections: a conv map reads every input map through its kernel slices; a pool map reads its own map', () => {
    const c = layerConnections(model, 3, 5);
    expect(c.kind === 'kernels' && c.slices.length).toBe(8);
    if (c.kind === 'kernels') expect(Array.from(c.slices[7].weights)).toEqual(Array.from(contiguousData(model.layers[3].params()[0].value).slice((5 * 8 + 7) * 25, (5 * 8 + 8) * 25)));
    expect(layerConnections(model, 2, 5)).toEqual({ kind: 'same', map: 5 });
    expect(layerConnections(model, 7, 3)).toEqual({ kind: 'all', maps: 1 }); // dense reads the flattened vector
    expect(layerConnections(model, 6, 0)).toEqual({ kind: 'all', maps: 16 });
  });
});

describe('step models read the ops', () => {
  it('the pool arg-max is the kernel\'s, NaN included (the window\'s first NaN wins)', () => {
    const x = tensor([[[1, NaN, 3, 2], [0, 0, 0, 0]]]);
    const step = explainMaxPool(x, { size: 2 }).steps[0];
    expect(step.argmax).toEqual([0, 1]);
    const grad = maxPoolBackward(x, tensor([[[1, 1]]]), { size: 2 });
    expect(grad.get(0, step.argmax[0], step.argmax[1])).toBe(1);
    expect(Number.isNaN(step.max) && Number.isNaN(maxPool(x, { size: 2 }).get(0, 0, 0))).toBe(true);
  });
  it('an activation for one map starts at that map', () => {
    const x = randomTensor(seeded(2), [8, 4, 4]);
    const { steps } = explainActivation(x, 'relu', { map: 5 });
    expect(steps).toHaveLength(16);
    expect([steps[0].c, steps[0].y, steps[0].x]).toEqual([5, 0, 0]);
    expect(steps[0].before).toBe(x.get(5, 0, 0));
  });
  it('flatten reads [C,H,W] in the order c·H·W + h·W + w', () => {
    const x = randomTensor(seeded(3), [3, 4, 5]);
    const { vector } = explainFlatten(x);
    expect(flatIndex([3, 4, 5], 2, 1, 3)).toBe(2 * 20 + 1 * 5 + 3);
    expect(unflatIndex([3, 4, 5], 48)).toEqual([2, 1, 3]);
    expect(vector[48]).toBe(x.get(2, 1, 3));
  });
  it('the dropout mask is the layer\'s own at training; inference passes every value', () => {
    const layer = createLayer({ type: 'dropout', rate: 0.4 });
    layer.build([2, 3, 3]);
    const x = randomTensor(seeded(4), [2, 3, 3]);
    const trained = layer.forward(contiguousData(x), 1, true, seeded(9));
    const e = explainDropout(x, 0.4, 9);
    expect(Array.from(e.training)).toEqual(Array.from(trained));
    expect(Array.from(e.inference)).toEqual(Array.from(contiguousData(x)));
    expect(new Set(Array.from(e.mask))).toEqual(new Set([0, Math.fround(1 / 0.6)]));
  });
});

describe('printed numbers', () => {
  it('prints a true minus, brackets negative factors and never −0', () => {
    expect(printNumber(-0.1344)).toBe('−0.134');
    expect(printFactor(-0.1344)).toBe('(−0.134)');
    expect(printNumber(-0.0001)).toBe('−1.00e−4');
    expect(printNumber(-0.00001, 3)).toBe('−1.00e−5');
    expect(printNumber(-0.0004, 3)).toBe('−4.00e−4');
    expect(printNumber(0)).toBe('0.000');
    expect(parsePrinted('(−0.134)')).toBe(-0.134);
    expect(equalsSign(0.5)).toBe('=');
    expect(equalsSign(0.12345)).toBe('≈');
  });

  it('one "=" or "≈" rule (#26): a float32 value printed exactly is "=" in the forward and the backward views alike', () => {
    // the forward views' equalsSign once said "≈" where the backward views' equalsPrinted said "=" (0.1 as float32)
    expect(equalsSign(Math.fround(0.1))).toBe('=');
    expect(equalsPrinted(Math.fround(0.1), gridFormat([0.1])(Math.fround(0.1)))).toBe('=');
    expect(equalsSign(Math.fround(0.1) + 1e-4)).toBe('≈');
    for (const v of [NaN, Infinity, -Infinity, 1e-31]) expect(equalsSign(v)).toBe('≈');
    // "=" exactly when the printed text reads back as the float32 value, whichever format printed it
    fc.assert(fc.property(fc.float({ noDefaultInfinity: true, noNaN: true }), fc.integer({ min: 0, max: 6 }), (v, digits) => {
      const text = printNumber(v, digits), back = parsePrinted(text);
      expect(equalsSign(v, digits)).toBe(Math.abs(back - v) <= Math.abs(v) * 1e-7 ? '=' : '≈');
      expect(equalsSign(v, digits)).toBe(equalsPrinted(v, text));
    }));
  });
});
