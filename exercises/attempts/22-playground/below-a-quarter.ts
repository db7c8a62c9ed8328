// attempt: the circle's accuracy misread as 0.1
// verdict: fail
// hint: a quarter to three quarters
export const answers = {
  circleLinearAccuracy: 0.1,
  circleFeatures: ['x1^2', 'x2^2'],
  xorModel: { file: 'exercises/22-playground/models/xor.json', features: ['x1x2'] },
  spiralModel: { file: 'exercises/22-playground/models/spiral.json', features: [] },
};
