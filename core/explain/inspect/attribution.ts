// core/explain/inspect/attribution.ts: which pixels made the decision for class c.
// Occlusion: a grey square (value g, size s) slides over the input in steps of t, every channel covered;
//   drop[r,q] = p_c(x) − p_c(x with the square at row r·t, column q·t)                                  (1)
//   heat[y,x] = mean of drop over the squares that cover pixel (y,x)                                     (2)
// Grad-CAM on layer l with output A [K,h,w] (Selvaraju et al. 2017), z_c the class score (logit):
//   α_k = (1/(h·w)) Σ_i,j ∂z_c/∂A[k,i,j]                                                                 (3)
//   cam[i,j] = max(0, Σ_k α_k · A[k,i,j])                                                                (4)
//   heat = cam resized to the input's H×W, bilinear between cell centres                                 (5)
// The plain input gradient is explainModelGradients' ∂L/∂x (the overview's gradients mode), not restated here.
import type { Tensor } from '../../tensor.js';
import type { Sequential } from '../../nn/model.js';
import { sampleOf, forwardSample, scoreIndex, scoreGradients, probabilitiesOf, checkClass, checkLayer, integerOption, numberOption } from './common.js';

export interface Occlusion {
  klass: number; size: number; stride: number; fill: number;
  /** p_c of the unoccluded input. */
  probability: number;
  /** Square positions: rows × cols top-left corners (rowStarts, colStarts), and (1) per position, row-major. */
  rows: number; cols: number; rowStarts: number[]; colStarts: number[]; drops: Float32Array;
  /** (2), H×W; pixels no square covers stay 0 (there are none: the last square sits at the edge). */
  heat: Float32Array; height: number; width: number;
}

/** Square positions along an axis of `length`: 0, t, 2t, … and the last one flush with the edge. */
function starts(length: number, size: number, stride: number): number[] {
  const out: number[] = [];
  for (let p = 0; p + size <= length; p += stride) out.push(p);
  if (out[out.length - 1] !== length - size) out.push(length - size);
  return out;
}

/** (1) and (2) for one sample [C,H,W]; `size` 1…min(H,W), `stride` 1…size·2 bounded by H, `fill` in [0, 1]. */
export function occlusion(model: Sequential, input: Tensor | Float32Array, klass: number,
  options: { size?: number | null; stride?: number | null; fill?: number | null } = {}): Occlusion {
  const op = 'occlusion';
  if (model.inputShape.length !== 3) throw new RangeError(`${op}: the model must take [C,H,W] pictures, got input shape [${model.inputShape.join(',')}]`);
  const x = sampleOf(op, model.inputShape, input);
  checkClass(op, model, klass);
  const [C, H, W] = model.inputShape;
  const size = integerOption(op, 'size', options.size, Math.max(1, Math.round(Math.min(H, W) / 5)), 1, Math.min(H, W));
  const stride = integerOption(op, 'stride', options.stride, Math.max(1, Math.floor(size / 2)), 1, Math.max(H, W));
  const fill = numberOption(op, 'fill', options.fill, 0.5, 0, 1);
  const rowStarts = starts(H, size, stride), colStarts = starts(W, size, stride);
  const positions = rowStarts.length * colStarts.length, sampleSize = C * H * W;
  const probability = probabilitiesOf(model, model.forwardBatch(x, 1).slice(0, model.classes), 1)[klass];
  const drops = new Float32Array(positions);
  const chunk = Math.max(1, Math.min(64, Math.floor(2 ** 22 / sampleSize))); // bounded memory: ≤ 16 MiB of occluded copies
  const batch = new Float32Array(chunk * sampleSize);
  for (let first = 0; first < positions; first += chunk) {
    const n = Math.min(chunk, positions - first);
    for (let b = 0; b < n; b++) {
      const r = rowStarts[Math.floor((first + b) / colStarts.length)], q = colStarts[(first + b) % colStarts.length];
      const copy = batch.subarray(b * sampleSize, (b + 1) * sampleSize);
      copy.set(x);
      for (let c = 0; c < C; c++) for (let y = r; y < r + size; y++) copy.fill(fill, c * H * W + y * W + q, c * H * W + y * W + q + size);
    }
    const p = probabilitiesOf(model, model.forwardBatch(batch.subarray(0, n * sampleSize), n).slice(0, n * model.classes), n);
    for (let b = 0; b < n; b++) drops[first + b] = probability - p[b * model.classes + klass];
  }
  const sum = new Float64Array(H * W), covered = new Uint32Array(H * W);
  rowStarts.forEach((r, ri) => colStarts.forEach((q, qi) => {
    const d = drops[ri * colStarts.length + qi];
    for (let y = r; y < r + size; y++) for (let xx = q; xx < q + size; xx++) { sum[y * W + xx] += d; covered[y * W + xx]++; }
  }));
  const heat = Float32Array.from(sum, (s, i) => (covered[i] ? s / covered[i] : 0));
  return { klass, size, stride, fill, probability, rows: rowStarts.length, cols: colStarts.length, rowStarts, colStarts, drops, heat, height: H, width: W };
}

export interface GradCam {
  klass: number; layer: number;
  /** z_c, the class score (logit). */
  score: number;
  /** (3): one weight per map of the layer's output. */
  weights: Float32Array;
  /** (4) at the layer's resolution, h×w, and the weighted sum before the ReLU. */
  cam: Float32Array; sum: Float32Array; mapHeight: number; mapWidth: number;
  /** (5) H×W over the input. */
  heat: Float32Array; height: number; width: number;
}

/** The layers Grad-CAM can use: those whose output is maps [K,h,w]. */
export const gradCamLayers = (model: { layers: readonly { inputShape: readonly number[]; outputShape: readonly number[] }[] }): number[] =>
  model.layers.flatMap((layer, i) => (layer.outputShape.length === 3 && model.layers[0].inputShape.length === 3 ? [i] : []));

/** (3)–(5) for one sample, class c and layer l (its output must be maps [K,h,w]). */
export function gradCam(model: Sequential, input: Tensor | Float32Array, klass: number, layer: number): GradCam {
  const op = 'gradCam';
  const x = sampleOf(op, model.inputShape, input);
  checkClass(op, model, klass);
  checkLayer(op, model, layer);
  if (!gradCamLayers(model).includes(layer)) {
    throw new RangeError(`${op}: layer ${layer} (${model.configs[layer].type}) gives [${model.layers[layer].outputShape.join(',')}], not maps [K,h,w] over a picture (layers with maps: ${gradCamLayers(model).join(', ') || 'none'})`);
  }
  const activations = forwardSample(model, x);
  const gradients = scoreGradients(model, activations, klass);
  const [K, h, w] = model.layers[layer].outputShape;
  const A = activations[layer + 1].data, dA = gradients[layer + 1].data;
  const weights = new Float32Array(K), sum = new Float32Array(h * w);
  for (let k = 0; k < K; k++) {
    let total = 0;
    for (let p = 0; p < h * w; p++) total += dA[k * h * w + p];
    weights[k] = total / (h * w); // (3)
    for (let p = 0; p < h * w; p++) sum[p] += weights[k] * A[k * h * w + p];
  }
  const cam = sum.map((v) => Math.max(0, v)); // (4)
  const [, H, W] = model.inputShape;
  return { klass, layer, score: activations[scoreIndex(model)].data[klass], weights, cam, sum, mapHeight: h, mapWidth: w, heat: resize(cam, h, w, H, W), height: H, width: W };
}

/** (5): an h×w map resized to H×W, bilinear between cell centres (the edge cells' values held out to the border). */
export function resize(map: Float32Array, h: number, w: number, H: number, W: number): Float32Array {
  const out = new Float32Array(H * W);
  const at = (v: number, n: number) => Math.min(Math.max(v, 0), n - 1);
  for (let y = 0; y < H; y++) {
    const sy = at(((y + 0.5) * h) / H - 0.5, h), y0 = Math.floor(sy), y1 = Math.min(y0 + 1, h - 1), fy = sy - y0;
    for (let x = 0; x < W; x++) {
      const sx = at(((x + 0.5) * w) / W - 0.5, w), x0 = Math.floor(sx), x1 = Math.min(x0 + 1, w - 1), fx = sx - x0;
      out[y * W + x] = (1 - fy) * ((1 - fx) * map[y0 * w + x0] + fx * map[y0 * w + x1]) + fy * ((1 - fx) * map[y1 * w + x0] + fx * map[y1 * w + x1]);
    }
  }
  return out;
}
