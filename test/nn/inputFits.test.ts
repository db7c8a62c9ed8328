// A model runs only on samples laid out as it declares: the same count in another layout is refused, naming both
// shapes (issue 25: an mlp file edited to input [2,14,28] ran on the [1,28,28] digits and printed 69 %).
import { describe, it, expect } from 'vitest';
import { inputFits } from '../../core/nn/model.js';
import { loadData } from '../../core/cli/data.js';

describe('inputFits: what samples a model takes', () => {
  it('the same shape, the same shape up to axes of size 1, or a vector model and any sample of its length', () => {
    expect(inputFits([1, 28, 28], [1, 28, 28])).toBe(true);
    expect(inputFits([28, 28], [1, 28, 28])).toBe(true);
    expect(inputFits([784], [1, 28, 28])).toBe(true);
    expect(inputFits([3, 32, 32], [3, 32, 32])).toBe(true);
    expect(inputFits([4], [4])).toBe(true);
  });
  it('the same count in another layout does not fit', () => {
    expect(inputFits([2, 14, 28], [1, 28, 28])).toBe(false);
    expect(inputFits([28, 28, 1], [1, 28, 28])).toBe(true); // axes of size 1 move nothing
    expect(inputFits([1, 28, 28], [4, 14, 14])).toBe(false);
    expect(inputFits([3, 32, 32], [32, 32, 3])).toBe(false);
    expect(inputFits([784], [1, 28, 27])).toBe(false);
  });
  it('eval\'s data for a model declaring [2,14,28] is refused before anything runs, naming both shapes', () => {
    expect(() => loadData(undefined, [2, 14, 28], 'digits', 'the model mlp-2.json', 10))
      .toThrow(/the model mlp-2\.json takes inputs \[2,14,28\] but digits has \[1,28,28\]/);
    expect(loadData(undefined, [784], 'digits', 'a vector model', 10).train.sampleShape).toEqual([1, 28, 28]);
  });
});
