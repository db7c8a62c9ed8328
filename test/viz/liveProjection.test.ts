// The class map's pacing while training (viz/src/lib/liveProjection.ts projectionPacing): pictures less often when
// training leaves no core for the projection worker.
import { describe, it, expect } from 'vitest';
import { projectionPacing } from '../../viz/src/lib/liveProjection.js';

describe('projectionPacing', () => {
  it('with a core left free (one training thread on two cores, or two on four): 5 % of the time, 0.5 s apart', () => {
    expect(projectionPacing(2, 1)).toEqual({ share: 0.05, gapMs: 500 });
    expect(projectionPacing(4, 2)).toEqual({ share: 0.05, gapMs: 500 });
  });
  it('with none (two training threads on two cores, one on one): 2 % of the time, 2 s apart', () => {
    expect(projectionPacing(2, 2)).toEqual({ share: 0.02, gapMs: 2000 });
    expect(projectionPacing(1, 1)).toEqual({ share: 0.02, gapMs: 2000 });
  });
});
