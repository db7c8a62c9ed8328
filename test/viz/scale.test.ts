// One colour scale, one cell size, one map splitter for every view of the app, forward and backward: a value has the
// same colour in the backward views as in the forward ones. The grep below fails if a copy comes back.
import { describe, it, expect } from 'vitest';
import { diverging, maxAbs } from '../../viz/src/lib/color.js';
import { cellFor, mapsOf, overviewCell } from '../../viz/src/lib/views/view.js';
import { filesMatching } from '../helpers.js';

describe('one colour scale and one map layout for every view', () => {
  it('each rule is defined once', () => {
    const defined = (name: string) => filesMatching(['viz/src', 'core'], new RegExp(`(function|const|let) ${name}\\b`));
    expect(filesMatching(['viz/src'], /(function|const) (diverging\w*|absMax|maxAbs)\b/)).toEqual(['viz/src/lib/color.ts']);
    expect(defined('cellFor')).toEqual(['viz/src/lib/views/view.ts']);
    expect(defined('mapsOf')).toEqual(['viz/src/lib/views/view.ts']);
    expect(filesMatching(['viz/src'], /size >= 24 \?/)).toEqual(['viz/src/lib/views/view.ts']);
  });
  it('every number format is core/explain/format.ts\'s: no view or app module formats numbers itself', () => {
    expect(filesMatching(['viz/src'], /toExponential|toPrecision|function (fmt|formatNumber)\b|const (fmt|formatNumber) =/)).toEqual([]);
    const defined = (name: string) => filesMatching(['viz/src', 'core'], new RegExp(`(function|const) ${name}\\b`));
    for (const name of ['printNumber', 'printSignificant', 'printShort', 'gridFormat', 'bracket', 'parsePrinted', 'equalsPrinted']) {
      expect(defined(name)).toEqual(['core/explain/format.ts']);
    }
  });
  it('the limit ignores ±∞ and NaN (drawn magenta), so one infinite gradient does not whiten its whole map', () => {
    expect(maxAbs([1, Infinity, -2, NaN])).toBe(2);
    expect(diverging(Infinity, 2)).toEqual([255, 0, 255]);
    expect(diverging(0, 2)).toEqual([255, 255, 255]);
    expect(diverging(2, 2)[0]).toBe(255);
    expect(diverging(-2, 2)[2]).toBe(255);
  });
  it('cells and maps', () => {
    expect(cellFor(28, 150)).toBe(5);
    expect(overviewCell(28)).toBe(3);
    expect(mapsOf(Float32Array.from([1, 2, 3, 4]), [2, 2]).map((m) => [m.height, m.width])).toEqual([[2, 2]]);
    expect(mapsOf(Float32Array.from([1, 2, 3, 4]), [4]).map((m) => [m.height, m.width])).toEqual([[1, 4]]);
  });
});
