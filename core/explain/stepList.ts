// core/explain/stepList.ts: a list of steps made on demand (`at(index)`), for the backward step models beside
// each op's forward one (explain<Op>Backward in explain/<op>.ts): a dense layer of 784×100 weights has 78,400 steps.

/** A list of steps made on demand. */
export interface StepList<S> { count: number; at(index: number): S }

/** `count` steps, step `index` made by `make` when asked; an index outside 0..count−1 is refused naming `op`. */
export function stepList<S>(op: string, count: number, make: (index: number) => S): StepList<S> {
  return {
    count,
    at(index: number) {
      if (!(Number.isInteger(index) && index >= 0 && index < count)) throw new RangeError(`${op}: step ${index} is out of range (0..${count - 1})`);
      return make(index);
    },
  };
}
