// attempt: names x1 and x2 for the exclusive-or model, which reads one feature
// verdict: fail
// hint: list the input features in the order
export const answers = {
  circleLinearAccuracy: 0.375,
  circleFeatures: ['x1^2', 'x2^2'],
  xorModel: { file: 'exercises/22-playground/models/xor.json', features: ['x1', 'x2'] },
  spiralModel: { file: 'exercises/22-playground/models/spiral.json', features: [] },
};
