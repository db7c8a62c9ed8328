// core/nn/metrics.ts: accuracy and the confusion matrix from model outputs.

/** Index of the largest of `classes` values starting at `start` (first on ties). */
export function argmax(values: ArrayLike<number>, start = 0, classes = values.length - start): number {
  let best = start;
  for (let i = start + 1; i < start + classes; i++) if (values[i] > values[best]) best = i;
  return best - start;
}

/** Predicted class per row of outputs [N, classes]. */
export function predictions(outputs: ArrayLike<number>, classes: number): Int32Array {
  const n = outputs.length / classes;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = argmax(outputs, i * classes, classes);
  return out;
}

/** Fraction of predictions equal to the labels, in [0, 1]. */
export function accuracy(predicted: ArrayLike<number>, labels: ArrayLike<number>): number {
  if (predicted.length !== labels.length) throw new RangeError(`accuracy: ${predicted.length} predictions but ${labels.length} labels`);
  let right = 0;
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) right++;
  return labels.length === 0 ? 0 : right / labels.length;
}

/** matrix[actual][predicted] counts. */
export function confusionMatrix(predicted: ArrayLike<number>, labels: ArrayLike<number>, classes: number): number[][] {
  const matrix = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < labels.length; i++) matrix[labels[i]][predicted[i]]++;
  return matrix;
}
