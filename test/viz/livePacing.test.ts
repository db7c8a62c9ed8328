// How often the training worker sends the page its charts' figures, live pictures and class map (viz/src/lib/training.ts
// livePacing): less often when training leaves no core for the page's drawing and the projection worker.
import { describe, it, expect } from 'vitest';
import { livePacing } from '../../viz/src/lib/training.js';

describe('livePacing', () => {
  it('with a core left free (one training thread on two cores, or two on four): bundles every 250 ms, pictures every second, the class map 5 % of the time, 0.5 s apart', () => {
    const free = { bundleMs: 250, liveMs: 1000, projectionShare: 0.05, projectionGapMs: 500 };
    expect(livePacing(2, 1)).toEqual(free);
    expect(livePacing(4, 2)).toEqual(free);
  });
  it('with none (two training threads on two cores, one on one): half as often, the class map 2 % of the time, 2 s apart', () => {
    const none = { bundleMs: 500, liveMs: 2000, projectionShare: 0.02, projectionGapMs: 2000 };
    expect(livePacing(2, 2)).toEqual(none);
    expect(livePacing(1, 1)).toEqual(none);
  });
});
