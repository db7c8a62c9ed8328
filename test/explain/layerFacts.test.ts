// The explainer's layer facts take the output size from the ops' own geometry (conv3dShapeGeometry,
// maxPoolShapeGeometry) and the pads from check.ts's padding rule: for every size, stride and padding the views offer,
// the size they print is the shape the op computes, and a setting the op refuses is refused with the op's words.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { Sequential, layerFacts, conv3d, maxPool, zeros, type Padding } from '../../core/index.js';
import { resizeKernels } from '../../core/explain/conv.js';
import { filesMatching } from '../helpers.js';

const model = new Sequential({ inputShape: [2, 9, 7], layers: [{ type: 'conv', filters: 3, kernelSize: 3 }, { type: 'maxPool', size: 2 }], seed: 1 });
const opWords = (run: () => unknown) => { try { return (run() as { shape: number[] }).shape; } catch (error) { return (error as Error).message.replace(/^\w+: /, ''); } };
const factWords = (facts: ReturnType<typeof layerFacts>) => (facts.sizeArithmetic.length === 1 && !facts.sizeArithmetic[0].startsWith('output') ? facts.sizeArithmetic[0].replace(/^\w+: /, '') : facts.outShape);

describe('layer facts use the ops\' geometry', () => {
  it('conv: the printed output shape is conv3d\'s, or its refusal', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 11 }), fc.integer({ min: 1, max: 4 }), fc.constantFrom<Padding>('valid', 'same', 0, 1, 3), (size, stride, padding) => {
      const facts = layerFacts(model, 0, { size, stride, padding });
      const kernels = resizeKernels((model.layers[0] as unknown as { kernels: Parameters<typeof resizeKernels>[0] }).kernels, size);
      expect(factWords(facts)).toEqual(opWords(() => conv3d(zeros([2, 9, 7]), kernels, { stride, padding })));
    }));
  });
  it('max pool: the printed output shape is maxPool\'s, or its refusal', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 4 }), (size, stride) => {
      const facts = layerFacts(model, 1, { size, stride });
      expect(factWords(facts)).toEqual(opWords(() => maxPool(zeros(model.layers[1].inputShape), { size, stride })));
    }));
  });
  it('no one else writes the output-size formula', () => {
    expect(filesMatching(['core', 'viz/src'], /Math\.floor\(\([^)]*-[^)]*\) \/ \w+\) \+ 1/)).toEqual(['core/lab/tasks.ts', 'core/ops/conv3d.ts', 'core/ops/maxPool.ts']); // tasks.ts: a student's wrong answer, on purpose
  });
});
