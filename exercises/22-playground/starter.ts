// Exercise 22: the Playground tasks (Week-3 E3.2, lab report Exercise 3). See README.md.
// Answer in this file; `npm run check -- 22` runs the experiments and loads your model files.
import type { PlaygroundAnswers } from './check.js';

export const answers: PlaygroundAnswers = {
  // 1. circle, features x1 and x2 only, no hidden layer: the test accuracy you see (a fraction, 0 to 1)
  circleLinearAccuracy: NaN,
  // 2. circle, no hidden layer: the fewest features that reach ≥ 90 % ('x1', 'x2', 'x1^2', 'x2^2', 'x1x2', 'sin(x1)', 'sin(x2)')
  circleFeatures: [],
  // 3. exclusive-or, one feature, no hidden layer, ≥ 95 %: the model file you saved (path from the repository root)
  //    and its input features in order (may stay [] when the file names them)
  xorModel: { file: '', features: [] },
  // 4. spiral, any features and hidden layers, ≥ 90 % test accuracy: the model file you saved
  spiralModel: { file: '', features: [] },
};
