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
