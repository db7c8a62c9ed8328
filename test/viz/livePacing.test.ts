// How often the training worker sends the page its charts' figures, live pictures and class map (viz/src/lib/training.ts
// livePacing): less often when training leaves no core for the projection worker, or none more for the page's drawing.
import { describe, it, expect } from 'vitest';
import { livePacing } from '../../viz/src/lib/training.js';

describe('livePacing', () => {
  it('two cores left free (one training thread on three cores, two on four): bundles every 250 ms, pictures every second, the class map 5 % of the time, 0.5 s apart', () => {
    const free = { bundleMs: 250, liveMs: 1000, projectionShare: 0.05, projectionGapMs: 500, projectionFirstByCost: false };
    expect(livePacing(3, 1)).toEqual(free);
    expect(livePacing(4, 2)).toEqual(free);
  });
  it('one (one training thread on two cores): the class map as with a core free, the drawing half as often', () => {
    expect(livePacing(2, 1)).toEqual({ bundleMs: 500, liveMs: 2000, projectionShare: 0.05, projectionGapMs: 500, projectionFirstByCost: false });
  });
  it('none (two training threads on two cores, one on one): the drawing half as often, the class map 2 % of the time, 2 s apart, the first paced by the cost of the one before training', () => {
    const none = { bundleMs: 500, liveMs: 2000, projectionShare: 0.02, projectionGapMs: 2000, projectionFirstByCost: true };
    expect(livePacing(2, 2)).toEqual(none);
    expect(livePacing(1, 1)).toEqual(none);
  });
});
