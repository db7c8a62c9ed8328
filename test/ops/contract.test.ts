// The library's edges: one batch convention (by rank), null options mean their defaults, and a tensor's
// buffer must cover its shape, strides and offset (checked before any loop reads it).
import { describe, it, expect } from 'vitest';
import ndarray from 'ndarray';
import {
  tensor, zeros, fromData, reshape, asBatch, conv3d, conv3dBackward, maxPool, maxPoolBackward, normalize, leakyRelu, relu,
  dense, denseBackward, batchNormBackward, softmax, createPreset, seeded, type Tensor,
} from '../../core/index.js';

const random = seeded(3);
const filled = (shape: number[]) => { const t = zeros(shape); for (let i = 0; i < t.size; i++) t.data[i] = random.uniform(-1, 1); return t; };

describe('dense decides sample or batch by rank, as every op', () => {
  const W = filled([10, 784]), b = filled([10]);
  it.each([
    ['[784] is one sample', [784], [10]],
    ['[1,28,28] is one sample', [1, 28, 28], [10]],
    ['[1,784] is a batch of one', [1, 784], [1, 10]],
    ['[1,1,28,28] is a batch of one', [1, 1, 28, 28], [1, 10]],
    ['[3,1,28,28] is a batch of three', [3, 1, 28, 28], [3, 10]],
  ])('%s', (_, shape, outShape) => {
    const x = filled(shape);
    const y = dense(x, W, b);
    expect(y.shape).toEqual(outShape);
    const { dInput, dW, db } = denseBackward(x, W, zeros(outShape));
    expect(dInput.shape).toEqual(shape);
    expect(dW.shape).toEqual([10, 784]);
    expect(db.shape).toEqual([10]);
  });
  it('the input gradient is dInput in every op; dense\'s dX and batchNorm\'s dx (their names before) are the same tensor', () => {
    const x = filled([2, 784]), gradients = denseBackward(x, W, filled([2, 10]));
    expect(gradients.dX).toBe(gradients.dInput);
    const normalized = batchNormBackward(filled([2, 3]), filled([2, 3]), { gamma: filled([3]), beta: zeros([3]), runningMean: zeros([3]), runningVar: tensor([1, 1, 1], [3]), training: true });
    expect(normalized.dx).toBe(normalized.dInput);
    expect(normalized.dInput.shape).toEqual([2, 3]);
  });
  it('a batch of one and its sample give the same numbers; conv3d answers in kind too', () => {
    const x = filled([1, 1, 28, 28]);
    expect(Array.from(dense(x, W, b).data)).toEqual(Array.from(dense(reshape(x, [1, 28, 28]), W, b).data));
    expect(conv3d(x, filled([2, 1, 3, 3])).shape).toEqual([1, 2, 26, 26]);
  });
  it('refuses other ranks and sizes that do not match, naming both', () => {
    expect(() => dense(zeros([1, 1, 1, 28, 28]), W)).toThrow(/dense: x must have rank 1 or 2 or 3 or 4, got rank 5/);
    expect(() => dense(zeros([2, 14, 14]), W)).toThrow(/dense: weights expect 784 inputs but x \(one sample\) has 392 \(weights \[10,784\], x \[2,14,14\]\)/);
    expect(() => denseBackward(zeros([1, 784]), W, zeros([10]))).toThrow(/denseBackward: dOut must have shape \[1,10\], got \[10\]/);
  });
});

describe('an option given as null takes its default', () => {
  const x = filled([2, 6, 6]);
  it('maxPool stride: null is the size', () => {
    expect(Array.from(maxPool(x, { size: 2, stride: null }).data)).toEqual(Array.from(maxPool(x, { size: 2 }).data));
    const dOut = filled([2, 3, 3]);
    expect(Array.from(maxPoolBackward(x, dOut, { size: 2, stride: null }).data)).toEqual(Array.from(maxPoolBackward(x, dOut, { size: 2 }).data));
  });
  it('conv3d bias, stride, padding and the options object', () => {
    const k = filled([3, 2, 3, 3]);
    const plain = Array.from(conv3d(x, k).data);
    expect(Array.from(conv3d(x, k, { bias: null, stride: null, padding: null }).data)).toEqual(plain);
    expect(Array.from(conv3d(x, k, null).data)).toEqual(plain);
    expect(conv3dBackward(x, k, zeros([3, 4, 4]), { bias: null }).dKernels.shape).toEqual([3, 2, 3, 3]);
  });
  it('dense bias, normalize eps, leakyRelu alpha', () => {
    const W = filled([4, 72]);
    expect(Array.from(dense(x, W, null).data)).toEqual(Array.from(dense(x, W).data));
    expect(Array.from(normalize(x, { eps: null }).data)).toEqual(Array.from(normalize(x).data));
    expect(Array.from(normalize(x, null).data)).toEqual(Array.from(normalize(x).data));
    expect(Array.from(leakyRelu(x, { alpha: null }).data)).toEqual(Array.from(leakyRelu(x).data));
  });
  it('a required option given as null is still an error', () => {
    expect(() => maxPool(x, { size: null as unknown as number })).toThrow(/maxPool: options.size is required/);
    expect(() => conv3d(x, filled([3, 2, 3, 3]), 'same' as never)).toThrow(/conv3d: options must be an object, got 'same'/);
  });
});

describe('a tensor buffer must cover its shape, strides and offset', () => {
  it('fromData refuses a short buffer (it would read past the data)', () => {
    expect(() => fromData(new Float32Array(784), [1, 56, 56])).toThrow(/fromData: shape \[1,56,56\] needs 3136 values but data has 784/);
  });
  it('refuses negative, fractional and absurd dimensions before allocating', () => {
    expect(() => zeros([-1, 3])).toThrow(/zeros: shape must hold non-negative integers, got \[-1,3\]/);
    expect(() => zeros([2.5])).toThrow(/zeros: shape must hold non-negative integers/);
    expect(() => fromData(new Float32Array(4), [2, -2])).toThrow(/fromData: shape must hold non-negative integers/);
    expect(() => zeros([1e6, 1e6])).toThrow(/zeros: shape \[1000000,1000000\] holds 1000000000000 values, more than the limit of 1073741824/);
    expect(() => tensor([1, 2], [-2, -1])).toThrow(/tensor: shape must hold non-negative integers/);
  });
  it('ops refuse a view that reads outside its data: short buffer, offset, stride, negative stride', () => {
    const short = ndarray(new Float32Array(784), [1, 56, 56]) as Tensor;
    expect(() => relu(short)).toThrow(/relu: x \[1,56,56\] \(strides \[3136,56,1\], offset 0\) reads elements 0\.\.3135 but its data has 784 values/);
    const offset = ndarray(new Float32Array(16), [4, 4], [4, 1], 4) as Tensor;
    expect(() => softmax(offset)).toThrow(/softmax: x \[4,4\] .*offset 4\) reads elements 4\.\.19 but its data has 16 values/);
    const stride = ndarray(new Float32Array(16), [4, 4], [5, 1], 0) as Tensor;
    expect(() => normalize(stride)).toThrow(/normalize: x .* reads elements 0\.\.18/);
    const backwards = ndarray(new Float32Array(16), [16], [-1], 3) as Tensor;
    expect(() => relu(backwards)).toThrow(/reads elements -12\.\.3/);
    const W = ndarray(new Float32Array(10), [10, 784]) as Tensor;
    expect(() => dense(zeros([784]), W)).toThrow(/dense: weights \[10,784\]/);
    expect(() => maxPool(short, { size: 2 })).toThrow(/maxPool: x \[1,56,56\]/);
    expect(() => asBatch(short, 3)).toThrow(/asBatch: x/);
  });
  it('a view inside its data is fine (a reversed, stepped view)', () => {
    const data = Float32Array.from({ length: 16 }, (_, i) => i - 8);
    const view = ndarray(data, [4, 4], [-4, -1], 15) as Tensor;
    expect(Array.from(relu(view).data).slice(0, 4)).toEqual([7, 6, 5, 4]);
  });
  it('refuses plain arrays, other typed arrays and detached buffers', () => {
    expect(() => relu(ndarray([1, 2, 3], [3]) as unknown as Tensor)).toThrow(/relu: x's data must be a Float32Array, got a plain array/);
    expect(() => relu(ndarray(new Float64Array(3), [3]) as unknown as Tensor)).toThrow(/relu: x's data must be a Float32Array, got Float64Array/);
    expect(() => fromData([1, 2] as unknown as Float32Array, [2])).toThrow(/fromData: data must be a Float32Array, got a plain array/);
    const data = new Float32Array(784);
    const x = fromData(data, [1, 28, 28]);
    structuredClone(data.buffer, { transfer: [data.buffer] });
    expect(() => relu(x)).toThrow(/relu: x's data's buffer is detached/);
  });
  it('predict refuses a short input instead of reading leftovers', () => {
    const model = createPreset('mlp', { seed: 1 });
    const short = ndarray(new Float32Array(100), [1, 28, 28]) as Tensor;
    expect(() => model.predict(short)).toThrow(/predict: x \[1,28,28\] .* reads elements 0\.\.783 but its data has 100 values/);
  });
});
