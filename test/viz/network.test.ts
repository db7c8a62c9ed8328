// What the explainer feeds a model it opens (viz/src/lib/network.ts): 28×28 digits only in the layout the model
// declares (core's inputFits, the CLI's rule), colour pictures [3,H,W]; other models are named and not run.
import { describe, it, expect } from 'vitest';
import { explainerFeeds } from '../../viz/src/lib/network.js';

describe('explainerFeeds', () => {
  it('takes the digit layouts and colour pictures', () => {
    for (const shape of [[1, 28, 28], [28, 28], [784], [28, 28, 1], [3, 32, 32], [3, 28, 28]]) expect(explainerFeeds(shape), String(shape)).toBe(true);
  });
  it('refuses the same 784 values in another layout (#25: [2,14,28] once ran on the digits), and other sizes', () => {
    for (const shape of [[2, 14, 28], [1, 784], [4, 14, 14], [4], [1, 32, 32]]) expect(explainerFeeds(shape), String(shape)).toBe(false);
  });
});
