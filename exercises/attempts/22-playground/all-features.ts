// attempt: ticks every feature for the circle instead of finding the two that matter
// verdict: fail
// hint: two features are enough
export const answers = {
  circleLinearAccuracy: 0.5,
  circleFeatures: ['x1', 'x2', 'x1^2', 'x2^2', 'x1x2', 'sin(x1)', 'sin(x2)'],
  xorModel: { file: 'exercises/22-playground/models/xor.json', features: ['x1x2'] },
  spiralModel: { file: 'exercises/22-playground/models/spiral.json', features: [] },
};
