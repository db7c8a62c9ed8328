// attempt: flattens channels-last ([H][W][C] order), as a Keras model stores images
// verdict: fail
// hint: the channel index varies fastest
export function dense(x: number[][][], W: number[][], b: number[]): number[] {
  const flat: number[] = [];
  for (let h = 0; h < x[0].length; h++) for (let w = 0; w < x[0][0].length; w++) for (let c = 0; c < x.length; c++) flat.push(x[c][h][w]);
  return W.map((row, o) => row.reduce((s, weight, i) => s + weight * flat[i], b[o]));
}
