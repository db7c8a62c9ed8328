// attempt: the circle's accuracy written as a percentage
// verdict: fail
// hint: not a percentage
export const answers = {
  circleLinearAccuracy: 37.5,
  circleFeatures: ['x1^2', 'x2^2'],
  xorModel: { file: 'exercises/22-playground/models/xor.json', features: ['x1x2'] },
  spiralModel: { file: 'exercises/22-playground/models/spiral.json', features: [] },
};
