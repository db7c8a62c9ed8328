// Bad arguments throw at once, naming the op, the argument, expected and actual. NaN is data, not an error.
import { describe, it, expect } from 'vitest';
import {
  tensor, zeros, conv3d, conv3dBackward, relu, reluBackward, maxPool, normalize, dense, softmax, crossEntropy,
  softmaxCrossEntropy, type Tensor,
} from '../../core/index.js';

const input = zeros([1, 28, 28]);
const kernels = zeros([8, 1, 5, 5]);

describe('conv3d rejects bad arguments', () => {
  it('mismatched channels', () => expect(() => conv3d(input, zeros([8, 3, 5, 5])))
    .toThrow(/conv3d: kernels have 3 channels but input has 1 \(kernels \[8,3,5,5\], input \[1,28,28\]\)/));
  it('a kernel larger than the padded input', () => expect(() => conv3d(zeros([1, 4, 4]), zeros([1, 1, 5, 5])))
    .toThrow(/conv3d: kernel 5×5 is larger than the padded 4×4 input/));
  it('stride 0', () => expect(() => conv3d(input, kernels, { stride: 0 })).toThrow(RangeError));
  it('stride 0 message', () => expect(() => conv3d(input, kernels, { stride: 0 })).toThrow(/conv3d: stride must be a positive integer, got 0/));
  it('negative stride', () => expect(() => conv3d(input, kernels, { stride: [1, -2] })).toThrow(/conv3d: stride must be a positive integer, got \[1,-2\]/));
  it('fractional stride', () => expect(() => conv3d(input, kernels, { stride: 1.5 })).toThrow(/conv3d: stride must be a positive integer, got 1.5/));
  it('negative padding', () => expect(() => conv3d(input, kernels, { padding: -1 })).toThrow(/conv3d: padding must be a non-negative integer, got -1/));
  it('unknown padding word', () => {
    expect(() => conv3d(input, kernels, { padding: 'full' as 'same' })).toThrow(TypeError);
    expect(() => conv3d(input, kernels, { padding: 'full' as 'same' })).toThrow(/conv3d: padding must be 'valid', 'same', an integer or a pair, got 'full'/);
  });
  it('wrong rank', () => expect(() => conv3d(zeros([28, 28]), kernels)).toThrow(/conv3d: input must have rank 3 or 4, got rank 2 \(input \[28,28\]\)/));
  it('an empty dimension', () => expect(() => conv3d(zeros([1, 0, 28]), kernels)).toThrow(/conv3d: input has an empty dimension \(input \[1,0,28\]\)/));
  it('not a tensor', () => expect(() => conv3d([1, 2, 3] as unknown as Tensor, kernels)).toThrow(/conv3d: input must be a tensor/));
  it('bias of the wrong length', () => expect(() => conv3d(input, kernels, { bias: zeros([3]) })).toThrow(/conv3d: bias must have one value per kernel, \[8\], got \[3\]/));
  it('dOut of the wrong shape', () => expect(() => conv3dBackward(input, kernels, zeros([8, 23, 23])))
    .toThrow(/conv3dBackward: dOut must have shape \[8,24,24\], got \[8,23,23\]/));
});

describe('other ops reject bad arguments', () => {
  it('pool window larger than the map', () => expect(() => maxPool(zeros([8, 4, 4]), { size: 5 }))
    .toThrow(/maxPool: size 5 is larger than the 4×4 map \(x \[8,4,4\]\)/));
  it('pool stride 0', () => expect(() => maxPool(zeros([8, 4, 4]), { size: 2, stride: 0 })).toThrow(/maxPool: stride must be a positive integer/));
  it('dense weights that do not match the flattened input', () => expect(() => dense(zeros([2, 1, 14, 14]), zeros([10, 784])))
    .toThrow(/dense: weights expect 784 inputs but each sample of x has 196 \(weights \[10,784\], x \[2,1,14,14\]\)/));
  it('an empty softmax', () => expect(() => softmax(zeros([0]))).toThrow(/softmax: x has an empty dimension/));
  it('a target class out of range', () => expect(() => crossEntropy(tensor([0.2, 0.8]), 2))
    .toThrow(/crossEntropy: target 2 is out of range for 2 classes \(expected 0..1\)/));
  it('a target that is not an integer', () => expect(() => softmaxCrossEntropy(tensor([[1, 2], [3, 4]]), [0, 0.5]))
    .toThrow(/softmaxCrossEntropy: target must be an integer class index, got 0.5 at sample 1/));
  it('too few targets for a batch', () => expect(() => softmaxCrossEntropy(tensor([[1, 2], [3, 4]]), [0]))
    .toThrow(/softmaxCrossEntropy: target must hold 2 class indices \(one per sample\), got 1/));
  it('reluBackward with dOut of another shape', () => expect(() => reluBackward(zeros([8, 26, 26]), zeros([8, 24, 24])))
    .toThrow(/reluBackward: dOut must have the shape of x \(dOut \[8,24,24\], x \[8,26,26\]\)/));
  it('normalize with negative eps', () => expect(() => normalize(zeros([1, 2, 2]), { eps: -1 })).toThrow(/normalize: eps must be a finite number ≥ 0, got -1/));
});

describe('non-finite data propagates like IEEE arithmetic, only where it touches', () => {
  it('one NaN pixel spoils only the conv outputs whose window contains it', () => {
    const x = zeros([1, 6, 6]); x.set(0, 0, 0, NaN);
    const out = conv3d(x, tensor(new Array(9).fill(1), [1, 1, 3, 3]));
    expect(Number.isNaN(out.get(0, 0, 0))).toBe(true);
    expect(out.get(0, 0, 1)).toBe(0);
    expect(out.get(0, 3, 3)).toBe(0);
  });
  it('one NaN pixel spoils only its pool windows and its normalised map', () => {
    const x = tensor(Array.from({ length: 32 }, (_, i) => i), [2, 4, 4]); x.set(0, 3, 3, NaN);
    const pooled = maxPool(x, { size: 2 });
    expect(Number.isNaN(pooled.get(0, 1, 1))).toBe(true);
    expect(pooled.get(0, 0, 0)).toBe(5);
    const normalised = normalize(x);
    expect(Number.isNaN(normalised.get(0, 0, 0))).toBe(true);
    expect(Number.isFinite(normalised.get(1, 0, 0))).toBe(true);
  });
  it('relu keeps NaN and Infinity', () => {
    const out = relu(tensor([NaN, Infinity, -Infinity, 1]));
    expect(Array.from(out.data)).toEqual([NaN, Infinity, 0, 1]);
  });
  it('softmax of a row with +Infinity is NaN only in that row', () => {
    const p = softmax(tensor([[Infinity, 0], [1, 1]]));
    expect(Number.isNaN(p.get(0, 0))).toBe(true);
    expect(p.get(1, 0)).toBeCloseTo(0.5);
  });
});
