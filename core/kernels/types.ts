// core/kernels/types.ts: the geometry each kernel loops over, resolved once by its op from the shapes and
// options. It lives here, below the ops, so the kernels (TypeScript and WebAssembly) need nothing from above.

/** Convolution: everything the loops need (ops/conv3d.ts resolves it). */
export interface Conv3dGeometry {
  batch: number; channels: number; height: number; width: number;
  kernelCount: number; kernelHeight: number; kernelWidth: number;
  strideH: number; strideW: number; padTop: number; padLeft: number;
  outHeight: number; outWidth: number;
  /** Output shape in kind: [K,Ho,Wo] for a sample, [N,K,Ho,Wo] for a batch. */
  outShape: number[];
  batched: boolean;
}

/** Max pooling over `maps` contiguous H×W maps (ops/maxPool.ts resolves it). */
export interface MaxPoolGeometry {
  maps: number; height: number; width: number;
  sizeH: number; sizeW: number; strideH: number; strideW: number;
  outHeight: number; outWidth: number; outShape: number[];
}

/** A fully-connected layer over `batch` samples of `inputs` values (ops/dense.ts resolves it). */
export interface DenseGeometry { batch: number; inputs: number; outputs: number; batched: boolean; outShape: number[] }

/** C[M,N] (+)= op(A)·op(B): 'NN' A[M,K]·B[K,N], 'NT' A[M,K]·B[N,K]ᵀ, 'TN' A[K,M]ᵀ·B[K,N] (as gemm.ts). */
export type GemmLayout = 'NN' | 'NT' | 'TN';

/** A faster implementation of some hot loops (today: WebAssembly SIMD, kernels/wasm.ts). Every method computes
 *  exactly what the op's own TypeScript loop computes (up to float32 rounding order, which tests bound) and
 *  returns false, having written nothing, when it cannot run on these operands (they do not fit in its memory);
 *  then the op runs its own loop. Ops call it as `fast()?.method(…) || <own loop>` (kernels/select.ts). */
export interface FastKernels {
  gemm(layout: GemmLayout, M: number, N: number, K: number, A: Float32Array, aOff: number, B: Float32Array, bOff: number,
    C: Float32Array, cOff: number, accumulate: boolean): boolean;
  /** ops/dense.ts denseForwardKernel: y = x·Wᵀ + b (y overwritten), the same bits as gemm 'NT' followed by the bias loop. */
  denseForward(y: Float32Array, x: Float32Array, W: Float32Array, b: Float32Array | null, g: DenseGeometry): boolean;
  /** ops/dense.ts denseBackwardKernel (dInput, when given, overwritten; dW and db accumulate, as two halves split at
   *  `split` when it is below the batch). */
  denseBackward(dInput: Float32Array | null, dW: Float32Array, db: Float32Array, x: Float32Array, W: Float32Array,
    dOut: Float32Array, g: DenseGeometry, split?: number): boolean;
  /** ops/conv3d.ts conv3dForwardKernel (out is overwritten). */
  convForward(out: Float32Array, input: Float32Array, W: Float32Array, bias: Float32Array | null, g: Conv3dGeometry): boolean;
  /** The inference path's fused convolution (nn/model.ts inferBatch): conv3dForwardKernel, then ReLU (fuse.relu) and a
   *  2×2 max pool with stride 2 after it (fuse.pool: out is [N,K,⌊Ho/2⌋,⌊Wo/2⌋]), the same bits as the three kernels in a
   *  row (NaN stays NaN). False, having written nothing, where it cannot (a stride other than 1, a pool without ReLU). */
  convForwardFused(out: Float32Array, input: Float32Array, W: Float32Array, bias: Float32Array | null, g: Conv3dGeometry,
    fuse: { relu: boolean; pool: boolean }): boolean;
  /** ops/conv3d.ts conv3dBackwardKernel (dW, db and dInput, when given, accumulate). */
  convBackward(dInput: Float32Array | null, dW: Float32Array, db: Float32Array, input: Float32Array, W: Float32Array,
    dOut: Float32Array, g: Conv3dGeometry): boolean;
  /** ops/maxPool.ts maxPoolKernel (same first-maximum and NaN rules). */
  maxPool(out: Float32Array, argmax: Int32Array | null, x: Float32Array, g: MaxPoolGeometry): boolean;
  /** ops/activations.ts relu over the first n values. */
  relu(y: Float32Array, x: Float32Array, n: number): boolean;
  /** ops/activations.ts relu's backward over the first n values. */
  reluBackward(dInput: Float32Array, x: Float32Array, dOut: Float32Array, n: number): boolean;
  /** nn/optimizers.ts's update of one parameter, the same bits (w, and the rule's state a = velocity or m,
   *  b = s, are updated; g is read, then zeroed when clear). rows: the parameter's first dimension (a dense layer's
   *  units), where two threads split the update (the rows each computes, kernels/wasm.ts ownerSplit); 0 for none. */
  optimizerStep(rule: OptimizerRule, w: Float32Array, g: Float32Array, a: Float32Array | null, b: Float32Array | null, h: OptimizerHyper,
    clear?: boolean, rows?: number): boolean;
  /** dst[i] += src[i] for i < n (nn/shards.ts adds a shard's gradients), then src[i] = 0 when clear. */
  addInto(dst: Float32Array, src: Float32Array, n: number, clear?: boolean): boolean;
  /** dst's first count·size values = samples rows[0..count) of src, size values each, when all three are resident arrays
   *  (rows holds int32 sample numbers in its bytes); false, nothing written, otherwise (nn/trainer.ts copies them then). */
  gatherRows(dst: Float32Array, src: Float32Array, rows: Float32Array, count: number, size: number): boolean;
}

/** The update rules of nn/optimizers.ts. */
export type OptimizerRule = 'sgd' | 'momentum' | 'adam';
/** One update's numbers (nn/optimizers.ts resolves them): decay is this parameter's L2 factor (0 for biases),
 *  correction1/2 Adam's bias corrections 1 − β^t. */
export interface OptimizerHyper {
  learningRate: number; decay: number; momentum: number; beta1: number; beta2: number;
  correction1: number; correction2: number; epsilon: number;
}
