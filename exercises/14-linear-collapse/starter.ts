// Exercise 14: two linear layers are one. See README.md.
/** W = W2·W1 ([out][in]) and b = W2·b1 + b2 ([out]): one dense layer equal to the two. */
export function collapse(W1: number[][], b1: number[], W2: number[][], b2: number[]): { W: number[][]; b: number[] } {
  // TODO
  throw new Error('not implemented');
}

/** y = W2·(W1·x + b1) + b2: the two dense layers, no activation in between. */
export function twoLayers(x: number[], W1: number[][], b1: number[], W2: number[][], b2: number[]): number[] {
  // TODO
  throw new Error('not implemented');
}
