// core/ops/maxPool.ts: max over each size_h×size_w window of each map, windows stepped by stride.
//   out[n,c,i,j] = max_{u<ph, v<pw} x[n, c, i·sh+u, j·sw+v]       Ho = floor((H − ph)/sh) + 1   (1)
//   dInput[n,c,y,x] = Σ dOut[n,c,i,j] over the windows whose arg-max is (y,x)                         (2)
// Windows running past the edge are dropped. Ties: the first maximum in row-major order takes it
// all. A NaN in a window makes its max NaN (and takes the gradient), so NaN spoils only its windows.
import { type Tensor, type Pair, zeros, formatShape, contiguousData } from '../tensor.js';
import { expectTensor, expectShape, readPair } from '../check.js';
import type { MaxPoolGeometry } from '../kernels/types.js';
import { fast } from '../kernels/select.js';

export interface MaxPoolOptions {
  /** Window size: int or [ph, pw]. */
  size: Pair;
  /** Window step: int or [sh, sw]; default (undefined or null): the size. */
  stride?: Pair | null;
}

export type { MaxPoolGeometry } from '../kernels/types.js';

/** x [C,H,W] or [N,C,H,W] → [C,Ho,Wo] or [N,C,Ho,Wo]. */
export function maxPool(x: Tensor, options: MaxPoolOptions): Tensor {
  const g = maxPoolGeometry('maxPool', x, options);
  const out = zeros(g.outShape);
  maxPoolKernel(out.data, null, contiguousData(x), g);
  return out;
}

/** (2): each gradient goes to its window's arg-max; overlapping windows add up. */
export function maxPoolBackward(x: Tensor, dOut: Tensor, options: MaxPoolOptions): Tensor {
  const g = maxPoolGeometry('maxPoolBackward', x, options);
  expectShape('maxPoolBackward', 'dOut', dOut, g.outShape);
  const argmax = new Int32Array(sizeOfShape(g.outShape));
  maxPoolKernel(new Float32Array(argmax.length), argmax, contiguousData(x), g);
  const dInput = zeros(x.shape);
  scatterArgmax(dInput.data, argmax, contiguousData(dOut));
  return dInput;
}

export function maxPoolGeometry(op: string, x: Tensor, options: MaxPoolOptions): MaxPoolGeometry {
  expectTensor(op, 'x', x, [3, 4]);
  if (options === null || typeof options !== 'object' || options.size === undefined || options.size === null) {
    throw new TypeError(`${op}: options.size is required (an integer or a pair), got ${JSON.stringify(options)}`);
  }
  return maxPoolShapeGeometry(op, x.shape, options.size, options.stride);
}

/** The geometry from a shape alone ([C,H,W] or [N,C,H,W]; nothing allocated). */
export function maxPoolShapeGeometry(op: string, shape: readonly number[], size: Pair, stride: Pair | null | undefined): MaxPoolGeometry {
  const [sizeH, sizeW] = readPair(op, 'size', size, [1, 1]);
  const [strideH, strideW] = readPair(op, 'stride', stride, [sizeH, sizeW]);
  const [height, width] = shape.slice(-2);
  if (sizeH > height || sizeW > width) {
    const text = sizeH === sizeW ? `${sizeH}` : `${sizeH}×${sizeW}`;
    throw new RangeError(`${op}: size ${text} is larger than the ${height}×${width} map (x ${formatShape(shape)})`);
  }
  const outHeight = Math.floor((height - sizeH) / strideH) + 1;
  const outWidth = Math.floor((width - sizeW) / strideW) + 1;
  const maps = shape.reduce((a, b) => a * b, 1) / (height * width);
  const outShape = [...shape.slice(0, -2), outHeight, outWidth];
  return { maps, height, width, sizeH, sizeW, strideH, strideW, outHeight, outWidth, outShape };
}

/** (1) on contiguous data; records each window's arg-max (a flat index into x) when `argmax` is given. */
export function maxPoolKernel(out: Float32Array, argmax: Int32Array | null, x: Float32Array, g: MaxPoolGeometry): void {
  if (fast()?.maxPool(out, argmax, x, g)) return;
  const { maps, height: H, width: W, sizeH, sizeW, strideH, strideW, outHeight, outWidth } = g;
  let o = 0;
  for (let m = 0; m < maps; m++) {
    const plane = m * H * W;
    for (let i = 0; i < outHeight; i++) {
      for (let j = 0; j < outWidth; j++, o++) {
        const top = plane + i * strideH * W + j * strideW;
        let best = x[top], where = top;
        for (let u = 0; u < sizeH; u++) {
          const line = top + u * W;
          for (let v = 0; v < sizeW; v++) {
            const value = x[line + v];
            // strictly greater keeps the first maximum; the first NaN wins and stays
            if (value > best || (value !== value && best === best)) { best = value; where = line + v; }
          }
        }
        out[o] = best;
        if (argmax) argmax[o] = where;
      }
    }
  }
}

/** dInput[argmax[o]] += dOut[o]. */
export function scatterArgmax(dInput: Float32Array, argmax: Int32Array, dOut: Float32Array): void {
  for (let o = 0; o < argmax.length; o++) dInput[argmax[o]] += dOut[o];
}

function sizeOfShape(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
