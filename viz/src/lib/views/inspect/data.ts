// What the "look inside" views load besides the shown model: the 2,000 test digits (digits.bin's test part, fetched
// once for the app) and the shipped MLP (viz/public/mlp.json, trained by convlab train --model mlp --seed 1), which the
// robustness view sets beside the CNN, and the shipped CNN (the class map's third picture when another model is shown).
import { modelFromJSON, type Sequential } from '../../../../../core/index.js';
import { testDigitBytes } from '../../training.svelte';
import { TEST_DIGITS } from '../../digits';
import { loadShippedModel } from '../../network';

export interface TestSet { inputs: Float32Array; labels: Uint8Array; count: number }
let testSet: Promise<TestSet> | null = null;
let mlp: Promise<Sequential> | null = null;
let cnn: Promise<Sequential> | null = null;

/** The 2,000 test digits as [2000, 1, 28, 28] values in [0, 1] and their labels. */
export function loadTestSet(): Promise<TestSet> {
  testSet ??= testDigitBytes().then(({ pixels, labels }) => {
    const inputs = new Float32Array(pixels.length);
    for (let i = 0; i < inputs.length; i++) inputs[i] = pixels[i] / 255;
    return { inputs, labels: labels.slice(), count: TEST_DIGITS };
  });
  testSet.catch(() => { testSet = null; });
  return testSet;
}

export const MLP_NAME = 'mlp.json (shipped, trained by convlab train --model mlp --seed 1)';
/** The shipped MLP 784-100-10. */
export function loadShippedMlp(): Promise<Sequential> {
  mlp ??= fetch(new URL('./mlp.json', document.baseURI).href).then(async (response) => {
    if (!response.ok) throw new Error(`cannot load the shipped MLP mlp.json (${response.status})`);
    return modelFromJSON(await response.text(), 'mlp.json').model;
  });
  mlp.catch(() => { mlp = null; });
  return mlp;
}

/** The shipped CNN (viz/public/cnn.json), which the class map sets beside the MLP when the shown model has no conv layer. */
export function loadShippedCnn(): Promise<Sequential> {
  cnn ??= loadShippedModel();
  cnn.catch(() => { cnn = null; });
  return cnn;
}
