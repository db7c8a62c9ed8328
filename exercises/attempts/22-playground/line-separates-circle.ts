// attempt: claims a straight line separates the circle data (answer from the picture, not the experiment)
// verdict: fail
// hint: no line separates a disc from the ring around it
export const answers = {
  circleLinearAccuracy: 0.95,
  circleFeatures: ['x1^2', 'x2^2'],
  xorModel: { file: 'exercises/22-playground/models/xor.json', features: ['x1x2'] },
  spiralModel: { file: 'exercises/22-playground/models/spiral.json', features: [] },
};
