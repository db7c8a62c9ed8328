// attempt: returns the largest probability instead of its index
// verdict: fail
// hint: that is the largest value
export const argmax = (p: number[]) => Math.max(...p);
export const accuracyFromProbabilities = (P: number[][], labels: number[]) => P.filter((row, n) => argmax(row) === labels[n]).length / labels.length;
