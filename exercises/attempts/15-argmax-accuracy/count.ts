// attempt: accuracy as the number of right rows
// verdict: fail
// hint: that is the count of right rows
export const argmax = (p: number[]) => p.indexOf(Math.max(...p));
export const accuracyFromProbabilities = (P: number[][], labels: number[]) => P.filter((row, n) => argmax(row) === labels[n]).length;
