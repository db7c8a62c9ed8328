// attempt: answers x1x2 for the circle (the exclusive-or feature)
// verdict: fail
// hint: with which features is that a linear rule
export const answers = {
  circleLinearAccuracy: 0.5,
  circleFeatures: ['x1x2'],
  xorModel: { file: 'exercises/22-playground/models/xor.json', features: ['x1x2'] },
  spiralModel: { file: 'exercises/22-playground/models/spiral.json', features: [] },
};
