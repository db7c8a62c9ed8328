// attempt: hands in the hidden-layer spiral network for the one-feature exclusive-or question, and no spiral file
// verdict: fail
// hint: this question allows only
export const answers = {
  circleLinearAccuracy: 0.5,
  circleFeatures: ['x1^2', 'x2^2'],
  xorModel: { file: 'exercises/22-playground/models/spiral.json', features: [] },
  spiralModel: { file: '', features: [] },
};
