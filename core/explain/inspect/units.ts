// core/explain/inspect/units.ts: what one unit of a trained network responds to.
// A unit is map k of a layer with maps [K,h,w] (its activation on a digit: the largest value of the map, at (i,j),
// first in row-major order on ties) or unit k of a vector layer (its value).
// Receptive field of a cell (i,j) of layer l's output, walked back layer by layer with the ops' geometry:
//   conv (kernel kh, stride sh, top pad pt):  rows [i0·sh − pt, i1·sh − pt + kh − 1]
//   maxPool (size ph, stride sh):             rows [i0·sh, i1·sh + ph − 1]
//   element-wise layers keep the rows; flatten and dense read everything.                                 (1)
// (normalize keeps the cell's rows too: its mean and spread, read from the whole map, are not outlined.)
// Activation maximisation (Erhan et al. 2009; Olah et al., Distill 2017) from a grey picture x₀ = 0.5:
//   a(x) = mean of map k (or unit k) at layer l;  J(x) = a(roll(x, δ)) − (λ/2)·‖x − x₀‖²                   (2)
//   x ← clip(x + η · ∇J / max|∇J|, 0, 1), δ a random shift of at most `jitter` pixels each step            (3)
// ∇a comes from the ops' backward (backwardFrom); roll is a permutation, so its gradient is the roll back.
import type { Tensor } from '../../tensor.js';
import { fromData, sizeOf } from '../../tensor.js';
import type { Sequential } from '../../nn/model.js';
import { ConvLayer } from '../../nn/layers.js';
import { conv3dShapeGeometry } from '../../ops/conv3d.js';
import { maxPoolShapeGeometry } from '../../ops/maxPool.js';
import { seeded } from '../../random.js';
import { sampleOf, forwardSample, backwardFrom, checkLayer, integerOption, numberOption, activationsAt } from './common.js';

/** How many units layer l has: maps for [K,h,w], values for a vector. */
export const unitCount = (model: { layers: readonly { outputShape: readonly number[] }[] }, layer: number): number => model.layers[layer].outputShape[0];

/** A box of input pixels: rows top…top+height−1, columns left…left+width−1. */
export interface Box { top: number; left: number; height: number; width: number }

/** (1): the input pixels that cell (i, j) of layer l's output reads, clipped to the picture (a vector layer: all). */
export function receptiveField(model: Sequential, layer: number, i: number, j: number): Box {
  checkLayer('receptiveField', model, layer);
  const [, H, W] = model.inputShape.length === 3 ? model.inputShape : [1, 1, sizeOf(model.inputShape)];
  let top = i, bottom = i, left = j, right = j;
  for (let l = layer; l >= 0; l--) {
    const config = model.configs[l], inShape = model.layers[l].inputShape;
    if (model.layers[l].outputShape.length !== 3 || inShape.length !== 3) return { top: 0, left: 0, height: H, width: W };
    if (config.type === 'conv') {
      const k = (model.layers[l] as ConvLayer).kernels.shape;
      const g = conv3dShapeGeometry('receptiveField', inShape, k, config.stride, config.padding);
      top = top * g.strideH - g.padTop; bottom = bottom * g.strideH - g.padTop + g.kernelHeight - 1;
      left = left * g.strideW - g.padLeft; right = right * g.strideW - g.padLeft + g.kernelWidth - 1;
    } else if (config.type === 'maxPool') {
      const g = maxPoolShapeGeometry('receptiveField', inShape, config.size, config.stride);
      top *= g.strideH; bottom = bottom * g.strideH + g.sizeH - 1;
      left *= g.strideW; right = right * g.strideW + g.sizeW - 1;
    }
  }
  top = Math.max(0, top); left = Math.max(0, left); bottom = Math.min(H - 1, bottom); right = Math.min(W - 1, right);
  return { top, left, height: bottom - top + 1, width: right - left + 1 };
}

export interface UnitHit { index: number; value: number; y: number; x: number; box: Box }

/** Every sample's activation of unit k of layer l: the map's largest value and where it is (a vector: the value). */
export function unitActivations(model: Sequential, inputs: Float32Array, count: number, layer: number, unit: number): { values: Float32Array; where: Int32Array } {
  const op = 'unitActivations';
  checkLayer(op, model, layer);
  integerOption(op, 'unit', unit, 0, 0, unitCount(model, layer) - 1);
  if (!Number.isInteger(count) || count < 1 || inputs.length < count * sizeOf(model.inputShape)) {
    throw new RangeError(`${op}: ${count} samples of ${sizeOf(model.inputShape)} values need ${count * sizeOf(model.inputShape)} inputs, got ${inputs.length}`);
  }
  const shape = model.layers[layer].outputShape, size = sizeOf(shape);
  const mapSize = shape.length === 3 ? shape[1] * shape[2] : 1, offset = shape.length === 3 ? unit * mapSize : unit;
  const values = new Float32Array(count), where = new Int32Array(count);
  const chunk = Math.max(1, Math.min(100, Math.floor(2 ** 22 / size))); // bounded memory per forward
  for (let start = 0; start < count; start += chunk) {
    const n = Math.min(chunk, count - start);
    const out = activationsAt(model, inputs.subarray(start * sizeOf(model.inputShape)), n, layer + 1, n);
    for (let s = 0; s < n; s++) {
      let best = -Infinity, at = 0;
      for (let p = 0; p < mapSize; p++) { const v = out[s * size + offset + p]; if (v > best) { best = v; at = p; } }
      values[start + s] = best; where[start + s] = at;
    }
  }
  return { values, where };
}

/** The `k` samples that excite unit `unit` of layer l most, strongest first, each with its driving patch (1). */
export function topActivations(model: Sequential, inputs: Float32Array, count: number, layer: number, unit: number, k = 9): UnitHit[] {
  k = integerOption('topActivations', 'k', k, 9, 1, 100);
  const { values, where } = unitActivations(model, inputs, count, layer, unit);
  const order = Array.from(values.keys()).sort((a, b) => values[b] - values[a] || a - b).slice(0, k);
  const shape = model.layers[layer].outputShape, w = shape.length === 3 ? shape[2] : 1;
  return order.map((index) => {
    const y = shape.length === 3 ? Math.floor(where[index] / w) : 0, x = shape.length === 3 ? where[index] % w : 0;
    return { index, value: values[index], y, x, box: receptiveField(model, layer, y, x) };
  });
}

export interface MaximizeOptions { steps?: number | null; rate?: number | null; l2?: number | null; jitter?: number | null; seed?: number | null }
export interface MaximizeStep { step: number; activation: number; image: Float32Array }
export interface Maximized { layer: number; unit: number; steps: MaximizeStep[]; image: Float32Array; activation: number; start: number }

/** a(x) of (2) for one picture: the mean of map `unit` (or the unit's value) at layer l. */
export function unitObjective(model: Sequential, input: Tensor | Float32Array, layer: number, unit: number): number {
  const x = sampleOf('unitObjective', model.inputShape, input);
  checkLayer('unitObjective', model, layer);
  const out = forwardSample(model, x)[layer + 1], shape = model.layers[layer].outputShape;
  const mapSize = shape.length === 3 ? shape[1] * shape[2] : 1;
  let total = 0;
  for (let p = 0; p < mapSize; p++) total += out.data[unit * mapSize + p];
  return total / mapSize;
}

/** ∇a(x) of (2) by the ops' backward: ∂(mean of map `unit`, or the unit)/∂x. */
export function unitGradient(model: Sequential, input: Tensor | Float32Array, layer: number, unit: number): Float32Array {
  const x = sampleOf('unitGradient', model.inputShape, input);
  checkLayer('unitGradient', model, layer);
  const activations = forwardSample(model, x), shape = model.layers[layer].outputShape;
  const mapSize = shape.length === 3 ? shape[1] * shape[2] : 1, d = new Float32Array(sizeOf(shape));
  d.fill(1 / mapSize, unit * mapSize, (unit + 1) * mapSize);
  return backwardFrom(model, activations, layer + 1, fromData(d, shape))[0].data;
}

/** (2)–(3) for unit `unit` of layer l: `steps` ≤ 512 ascent steps (kept at 0, 1, 2, 4, …, and the last). */
export function maximizeActivation(model: Sequential, layer: number, unit: number, options: MaximizeOptions = {}): Maximized {
  const op = 'maximizeActivation';
  checkLayer(op, model, layer);
  integerOption(op, 'unit', unit, 0, 0, unitCount(model, layer) - 1);
  const steps = integerOption(op, 'steps', options.steps, 64, 0, 512);
  const rate = numberOption(op, 'rate', options.rate, 0.05, 0, 1);
  const l2 = numberOption(op, 'l2', options.l2, 0.01, 0, 10);
  const jitter = integerOption(op, 'jitter', options.jitter, 1, 0, 4);
  const random = seeded(numberOption(op, 'seed', options.seed, 1, -(2 ** 52), 2 ** 52));
  const size = sizeOf(model.inputShape), grey = 0.5;
  const [C, H, W] = model.inputShape.length === 3 ? model.inputShape : [1, 1, size];
  let x = new Float32Array(size).fill(grey);
  const kept: MaximizeStep[] = [];
  const keep = (step: number) => kept.push({ step, activation: unitObjective(model, x, layer, unit), image: Float32Array.from(x) });
  keep(0);
  for (let step = 1; step <= steps; step++) {
    const dy = jitter ? random.int(2 * jitter + 1) - jitter : 0, dx = jitter ? random.int(2 * jitter + 1) - jitter : 0;
    const g = roll(unitGradient(model, roll(x, C, H, W, dy, dx), layer, unit), C, H, W, -dy, -dx);
    let largest = 0;
    for (let p = 0; p < size; p++) { g[p] -= l2 * (x[p] - grey); largest = Math.max(largest, Math.abs(g[p])); }
    if (largest === 0 || !Number.isFinite(largest)) { keep(step); break; }
    const next = new Float32Array(size);
    for (let p = 0; p < size; p++) next[p] = Math.min(1, Math.max(0, x[p] + (rate * g[p]) / largest)); // (3)
    x = next;
    if ((step & (step - 1)) === 0 || step === steps) keep(step);
  }
  const last = kept[kept.length - 1];
  return { layer, unit, steps: kept, image: last.image, activation: last.activation, start: kept[0].activation };
}

/** x shifted by (dy, dx) with wrap-around, every channel: out[c, y, x] = in[c, y − dy, x − dx] (mod H, W). */
export function roll(x: Float32Array, C: number, H: number, W: number, dy: number, dx: number): Float32Array {
  if (dy === 0 && dx === 0) return x;
  const out = new Float32Array(x.length), mod = (a: number, n: number) => ((a % n) + n) % n;
  for (let c = 0; c < C; c++) for (let y = 0; y < H; y++) for (let xx = 0; xx < W; xx++) {
    out[(c * H + y) * W + xx] = x[(c * H + mod(y - dy, H)) * W + mod(xx - dx, W)];
  }
  return out;
}
