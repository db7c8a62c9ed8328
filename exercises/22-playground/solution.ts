// Reference answers; the two model files were trained by convlab (train-solution.ts), as a Playground export would be.
import type { PlaygroundAnswers } from './check.js';

export const answers: PlaygroundAnswers = {
  circleLinearAccuracy: 0.375,                     // a line through a disc and its ring: the check's run gives 0.375
  circleFeatures: ['x1^2', 'x2^2'],                // x1² + x2² < r² is linear in x1², x2²
  xorModel: { file: 'exercises/22-playground/models/xor.json', features: ['x1x2'] },   // the sign of x1·x2 is the label
  spiralModel: { file: 'exercises/22-playground/models/spiral.json', features: [] },  // features read from the file
};
