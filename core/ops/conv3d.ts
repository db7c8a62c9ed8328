// core/ops/conv3d.ts: cross-correlation over the whole kernel stack (no flip); pt, pl: top, left pad
//   out[n,k,i,j] = b[k] + Σ_c Σ_u Σ_v input[n, c, i·sh+u−pt, j·sw+v−pl] · W[k,c,u,v]   (1)
//   dW[k,c,u,v] = Σ_n,i,j dOut[n,k,i,j] · input[n, c, i·sh+u−pt, j·sw+v−pl]           (2)
//   dInput[n,c,y,x] = Σ dOut[n,k,i,j] · W[k,c,u,v] over the windows that read (y,x)     (3)
//   db[k] = Σ_n,i,j dOut[n,k,i,j]                                                      (4)
// The loops run as matrix products over an unrolled input (im2col): with col[(c,u,v), (i,j)] the
// window values, (1) is W[K, C·kh·kw] · col, (2) is dOut · colᵀ and (3) is col2im(Wᵀ · dOut).
import ndarray from 'ndarray';
import ops from 'ndarray-ops';
import { type Tensor, type Pair, type Padding, zeros, formatShape, contiguousData, contiguousView, isContiguous, MAX_TENSOR_SIZE } from '../tensor.js';
import { checkSampleValues, checkUnrolled } from '../limits.js';
import { expectTensor, expectShape, readPair, readPadding, readOptions, readOptionalTensor } from '../check.js';
import { gemmNN, gemmNT, gemmTN } from '../kernels/gemm.js';
import type { Conv3dGeometry } from '../kernels/types.js';
import { fast } from '../kernels/select.js';

export interface Conv3dOptions {
  /** [K], added to every position of output map k. */
  bias?: Tensor | null;
  /** Step of the window: int or [sh, sw]; default 1. */
  stride?: Pair | null;
  /** 'valid' (default), 'same', int, or [ph, pw]. */
  padding?: Padding | null;
}

export type { Conv3dGeometry } from '../kernels/types.js';

/** input [C,H,W] or [N,C,H,W], kernels [K,C,kh,kw] → [K,Ho,Wo] or [N,K,Ho,Wo]. */
export function conv3d(input: Tensor, kernels: Tensor, options: Conv3dOptions | null = {}): Tensor {
  const geometry = conv3dGeometry('conv3d', input, kernels, options);
  const out = zeros(geometry.outShape);
  conv3dForwardKernel(out.data, contiguousData(input), contiguousData(kernels),
    options?.bias ? contiguousData(options.bias) : null, geometry);
  return out;
}

/** conv3d written into `out` (the trainer reuses one per layer); returns `out`. */
export function conv3dInto(out: Tensor, input: Tensor, kernels: Tensor, options: Conv3dOptions | null = {}): Tensor {
  const geometry = conv3dGeometry('conv3dInto', input, kernels, options);
  expectShape('conv3dInto', 'out', out, geometry.outShape);
  const target = isContiguous(out) ? contiguousView(out) : new Float32Array(out.size);
  conv3dForwardKernel(target, contiguousData(input), contiguousData(kernels),
    options?.bias ? contiguousData(options.bias) : null, geometry);
  if (!isContiguous(out)) ops.assign(out, ndarray(target, out.shape.slice()));
  return out;
}

export interface Conv3dGradients { dInput: Tensor; dKernels: Tensor; dBias: Tensor }

/** Gradients (2)–(4) of Σ out·dOut; dKernels [K,C,kh,kw] and dBias [K] summed over the batch. */
export function conv3dBackward(input: Tensor, kernels: Tensor, dOut: Tensor, options: Conv3dOptions | null = {}): Conv3dGradients {
  const geometry = conv3dGeometry('conv3dBackward', input, kernels, options);
  expectShape('conv3dBackward', 'dOut', dOut, geometry.outShape);
  const dInput = zeros(input.shape);
  const dKernels = zeros(kernels.shape);
  const dBias = zeros([geometry.kernelCount]);
  conv3dBackwardKernel(dInput.data, dKernels.data, dBias.data, contiguousData(input), contiguousData(kernels),
    contiguousData(dOut), geometry);
  return { dInput, dKernels, dBias };
}

/** Shapes, checks and output size; throws a RangeError/TypeError naming `op` on a bad argument. */
export function conv3dGeometry(op: string, input: Tensor, kernels: Tensor, rawOptions: Conv3dOptions | null | undefined): Conv3dGeometry {
  expectTensor(op, 'input', input, [3, 4]);
  expectTensor(op, 'kernels', kernels, [4]);
  const options = readOptions(op, rawOptions);
  const K = kernels.shape[0];
  const bias = readOptionalTensor(op, 'bias', options.bias, [1]);
  if (bias && bias.shape[0] !== K) {
    throw new RangeError(`${op}: bias must have one value per kernel, [${K}], got ${formatShape(bias)} (kernels ${formatShape(kernels)})`);
  }
  const g = conv3dShapeGeometry(op, input.shape, kernels.shape, options.stride, options.padding);
  checkConvCall(op, g, input.shape, kernels.shape, options.padding);
  return g;
}

/** The per-call limits, before anything is allocated: one sample's output and unrolled input within MODEL_LIMITS (the
 *  limits the model planner uses), and the whole output within one tensor. A padding or kernel count that would ask
 *  for gigabytes is refused here with what asked for it, not by `zeros` or the allocator half-way. */
function checkConvCall(op: string, g: Conv3dGeometry, inputShape: readonly number[], kernelShape: readonly number[], padding: Padding | null | undefined): void {
  const context = ` (input ${formatShape(inputShape)}, kernels ${formatShape(kernelShape)}, stride ${g.strideH === g.strideW ? g.strideH : `[${g.strideH},${g.strideW}]`}, padding ${JSON.stringify(padding ?? 'valid')})`;
  checkUnrolled(op, g.channels, g.kernelHeight, g.kernelWidth, g.outHeight, g.outWidth, context);
  checkSampleValues(`${op}: the output`, [g.kernelCount, g.outHeight, g.outWidth], context);
  const total = g.batch * g.kernelCount * g.outHeight * g.outWidth;
  if (total > MAX_TENSOR_SIZE) {
    throw new RangeError(`${op}: the output ${formatShape(g.outShape)} holds ${total} values, more than the limit of ${MAX_TENSOR_SIZE} in one tensor${context}`);
  }
}

/** The geometry from shapes alone (no tensor, nothing allocated): input [C,H,W] or [N,C,H,W], kernels [K,C,kh,kw]. */
export function conv3dShapeGeometry(op: string, inputShape: readonly number[], kernelShape: readonly number[],
  stride: Pair | null | undefined, padding: Padding | null | undefined): Conv3dGeometry {
  const [K, C, kh, kw] = kernelShape;
  const batched = inputShape.length === 4;
  const batch = batched ? inputShape[0] : 1;
  const [channels, height, width] = inputShape.slice(-3);
  if (C !== channels) {
    throw new RangeError(`${op}: kernels have ${C} channels but input has ${channels} ` +
      `(kernels ${formatShape(kernelShape)}, input ${formatShape(inputShape)})`);
  }
  const [strideH, strideW] = readPair(op, 'stride', stride, [1, 1]);
  const [padTop, padBottom, padLeft, padRight] = readPadding(op, padding, height, width, kh, kw, strideH, strideW);
  const paddedH = height + padTop + padBottom, paddedW = width + padLeft + padRight;
  if (kh > paddedH || kw > paddedW) {
    throw new RangeError(`${op}: kernel ${kh}×${kw} is larger than the padded ${paddedH}×${paddedW} input ` +
      `(kernels ${formatShape(kernelShape)}, input ${formatShape(inputShape)}, padding ${JSON.stringify(padding ?? 'valid')})`);
  }
  const outHeight = Math.floor((paddedH - kh) / strideH) + 1;
  const outWidth = Math.floor((paddedW - kw) / strideW) + 1;
  const outShape = batched ? [batch, K, outHeight, outWidth] : [K, outHeight, outWidth];
  return {
    batch, channels, height, width, kernelCount: K, kernelHeight: kh, kernelWidth: kw,
    strideH, strideW, padTop, padLeft, outHeight, outWidth, outShape, batched,
  };
}

let colScratch = new Float32Array(0);
let dColScratch = new Float32Array(0);
function scratch(which: 'col' | 'dcol', size: number): Float32Array {
  if (which === 'col') {
    if (colScratch.length < size) colScratch = new Float32Array(size);
    return colScratch;
  }
  if (dColScratch.length < size) dColScratch = new Float32Array(size);
  return dColScratch;
}

/** col[(c,u,v), (i,j)] = input[c, i·sh+u−pt, j·sw+v−pl], 0 outside the map. */
export function im2col(col: Float32Array, input: Float32Array, inOff: number, g: Conv3dGeometry): void {
  const { channels, height, width, kernelHeight: kh, kernelWidth: kw, strideH: sh, strideW: sw,
    padTop: pt, padLeft: pl, outHeight: Ho, outWidth: Wo } = g;
  const P = Ho * Wo;
  let row = 0;
  for (let c = 0; c < channels; c++) {
    const plane = inOff + c * height * width;
    for (let u = 0; u < kh; u++) {
      for (let v = 0; v < kw; v++, row++) {
        let q = row * P;
        for (let i = 0; i < Ho; i++) {
          const y = i * sh + u - pt;
          if (y < 0 || y >= height) { col.fill(0, q, q + Wo); q += Wo; continue; }
          const line = plane + y * width;
          let x = v - pl;
          for (let j = 0; j < Wo; j++, x += sw) col[q++] = x >= 0 && x < width ? input[line + x] : 0;
        }
      }
    }
  }
}

/** The adjoint of im2col: dInput[c, y, x] += dCol[(c,u,v), (i,j)] for every window that read (y,x). */
export function col2im(dInput: Float32Array, inOff: number, dCol: Float32Array, g: Conv3dGeometry): void {
  const { channels, height, width, kernelHeight: kh, kernelWidth: kw, strideH: sh, strideW: sw,
    padTop: pt, padLeft: pl, outHeight: Ho, outWidth: Wo } = g;
  const P = Ho * Wo;
  let row = 0;
  for (let c = 0; c < channels; c++) {
    const plane = inOff + c * height * width;
    for (let u = 0; u < kh; u++) {
      for (let v = 0; v < kw; v++, row++) {
        let q = row * P;
        for (let i = 0; i < Ho; i++) {
          const y = i * sh + u - pt;
          if (y < 0 || y >= height) { q += Wo; continue; }
          const line = plane + y * width;
          let x = v - pl;
          for (let j = 0; j < Wo; j++, x += sw, q++) if (x >= 0 && x < width) dInput[line + x] += dCol[q];
        }
      }
    }
  }
}

/** True when conv3dBackwardKernel can use the unrolled inputs (`cols`) the forward kernel kept (the TypeScript
 *  loops; the faster kernels unroll inside their own memory and take no `cols`). */
export function conv3dKeepsColumns(): boolean { return fast() === null; }

/** (1) on contiguous data: out[N,K,Ho,Wo] = W · im2col(input[n]) + b, sample by sample (WebAssembly when active).
 *  `cols` (N·R·P values), when given, keeps every sample's unrolled input for the backward pass (TypeScript path). */
export function conv3dForwardKernel(out: Float32Array, input: Float32Array, W: Float32Array,
  bias: Float32Array | null, g: Conv3dGeometry, cols?: Float32Array): void {
  if (fast()?.convForward(out, input, W, bias, g)) return;
  const K = g.kernelCount, P = g.outHeight * g.outWidth, R = g.channels * g.kernelHeight * g.kernelWidth;
  const inSize = g.channels * g.height * g.width;
  for (let n = 0; n < g.batch; n++) {
    const col = cols ? cols.subarray(n * R * P, (n + 1) * R * P) : scratch('col', R * P);
    im2col(col, input, n * inSize, g);
    const o = n * K * P;
    if (bias) for (let k = 0; k < K; k++) out.fill(bias[k], o + k * P, o + (k + 1) * P);
    gemmNN(K, P, R, W, 0, col, 0, out, o, bias !== null);
  }
}

/** The inference path's fusion (nn/model.ts inferBatch): (1), then ReLU (fuse.relu) and, with fuse.pool, a 2×2 max pool
 *  with stride 2 over the ReLU's output (out: [N,K,⌊Ho/2⌋,⌊Wo/2⌋]), in one pass of the fast kernels, the same bits as
 *  conv3dForwardKernel, the ReLU and maxPoolKernel in a row. False, having written nothing, where the fast kernels
 *  cannot (the TypeScript kernels, a stride other than 1, a pool without ReLU): the caller then runs the layers apart. */
export function conv3dForwardFusedKernel(out: Float32Array, input: Float32Array, W: Float32Array, bias: Float32Array | null,
  g: Conv3dGeometry, fuse: { relu: boolean; pool: boolean }): boolean {
  return fast()?.convForwardFused(out, input, W, bias, g, fuse) ?? false;
}

/** (2)–(4) on contiguous data; dKernels, dBias and dInput accumulate over the batch. dInput may be null (first layer).
 *  `cols`, when given, holds the unrolled inputs the forward pass kept (no second im2col; TypeScript path). */
export function conv3dBackwardKernel(dInput: Float32Array | null, dW: Float32Array, db: Float32Array,
  input: Float32Array, W: Float32Array, dOut: Float32Array, g: Conv3dGeometry, cols?: Float32Array): void {
  if (fast()?.convBackward(dInput, dW, db, input, W, dOut, g)) return;
  const K = g.kernelCount, P = g.outHeight * g.outWidth, R = g.channels * g.kernelHeight * g.kernelWidth;
  const dCol = dInput ? scratch('dcol', R * P) : null;
  const inSize = g.channels * g.height * g.width;
  for (let n = 0; n < g.batch; n++) {
    const o = n * K * P;
    for (let k = 0; k < K; k++) { // (4)
      let s = 0;
      for (let q = o + k * P, end = q + P; q < end; q++) s += dOut[q];
      db[k] += s;
    }
    let col: Float32Array;
    if (cols) col = cols.subarray(n * R * P, (n + 1) * R * P);
    else { col = scratch('col', R * P); im2col(col, input, n * inSize, g); }
    gemmNT(K, R, P, dOut, o, col, 0, dW, 0, true); // (2)
    if (dInput && dCol) { // (3)
      gemmTN(R, P, K, W, 0, dOut, o, dCol, 0, false);
      col2im(dInput, n * inSize, dCol, g);
    }
  }
}
