// attempt: hands in a spiral model with no hidden layer on x1, x2 (its boundary is a straight line: about half right)
// verdict: fail
// hint: keep training or change the network
export const answers = {
  circleLinearAccuracy: 0.5,
  circleFeatures: ['x1^2', 'x2^2'],
  xorModel: { file: 'exercises/22-playground/models/xor.json', features: ['x1x2'] },
  spiralModel: { file: 'exercises/attempts/22-playground/models/linear-spiral.json', features: [] },
};
