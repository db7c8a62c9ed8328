// "What and why" beside every op view: what the op computes, why a CNN has it, what to look for. Each text
// is about the layer's own kind (a view never shows another op's words) and takes the layer's numbers.
import { type LayerFacts, DEFAULT_ALPHA, DEFAULT_EPS } from '../../../core/index.js';

export interface Teaching { what: string; why: string; look: string }

/** `last`: no layer with weights follows (a dense layer then gives one score per class); `afterMaps`: a conv layer
 *  comes before (a dense layer then reads feature maps, not pixels). */
export function teaching(facts: LayerFacts, extra: { alpha?: number; rate?: number; eps?: number; momentum?: number; last?: boolean; afterMaps?: boolean } = {}): Teaching {
  const [C] = facts.inShape, K = facts.outShape[0];
  switch (facts.kind) {
    case 'conv': return {
      what: `Each of the ${K} kernels is a small stack of weights, one slice per input map (${C} here). It slides over the input; at each position the window is multiplied by the kernel cell by cell on every map, all products are added, and the kernel's bias is added: one number of that kernel's output map.`,
      why: 'A kernel is a pattern detector (an edge, a stroke end, a corner). The same weights are used at every position, so a pattern is found wherever it is, with few parameters. Stacked conv layers combine simple patterns into larger ones.',
      look: 'Red output cells are where the window looks like the kernel\'s red (positive) weights; blue where it looks like the opposite. Compare the products grid with the window. Try stride 2 (the output shrinks) or padding (a zero border lets the window sit on the edge).',
    };
    case 'relu': return {
      what: 'Each value on its own: negatives become 0, positives stay: relu(x) = max(x, 0). Nothing is learned here.',
      why: 'Without a non-linearity between them, stacked conv and dense layers would collapse into one linear map. ReLU is the simplest non-linearity that works, and its slope is 1 or 0, so deep networks still train.',
      look: 'Blue (negative) cells turn white (0); red cells keep their value. A map that is mostly white after ReLU found its pattern in few places.',
    };
    case 'leakyRelu': return {
      what: `Each value on its own: positives stay, negatives are multiplied by α = ${extra.alpha ?? DEFAULT_ALPHA}: x > 0 ? x : α·x.`,
      why: 'Like ReLU, but a negative input keeps a small slope, so a unit that is negative everywhere can still learn (it does not "die").',
      look: 'Blue cells become pale blue (scaled by α), red cells stay.',
    };
    case 'sigmoid': return {
      what: 'Each value on its own is squashed into (0, 1): σ(x) = 1 / (1 + e^(−x)); σ(0) = 0.5.',
      why: 'A smooth on/off switch, and the classic output for a probability. Deep in a network it slows learning: for large |x| its slope is almost 0.',
      look: 'Every output lies between 0 and 1; large negatives go near 0, large positives near 1.',
    };
    case 'tanh': return {
      what: 'Each value on its own is squashed into (−1, 1): tanh(x) = (e^x − e^(−x)) / (e^x + e^(−x)); tanh(0) = 0.',
      why: 'A smooth non-linearity centred on 0 (unlike sigmoid), so the next layer sees values of both signs.',
      look: 'Small values pass almost unchanged, large ones flatten out at ±1.',
    };
    case 'maxPool': return {
      what: `Each of the ${C} maps is cut into windows (size × size, stepping by the stride); only the largest value of each window is kept.`,
      why: 'It makes the maps smaller (less work and fewer weights later), and a pattern found anywhere inside a window counts the same: some tolerance to exactly where a stroke is.',
      look: 'The green cell is the window\'s maximum (its arg-max): only it passes on, and in training only it receives a gradient.',
    };
    case 'normalize': return {
      what: `Each map is shifted and scaled so its values have mean 0 and variance 1: (x − μ) / √(σ² + ε), μ and σ² computed over that map's own values (ε = ${extra.eps ?? DEFAULT_EPS} avoids dividing by 0).`,
      why: 'Later layers then see values of the same size whatever the input\'s contrast, which makes training faster and steadier.',
      look: 'The histogram keeps its shape; only its axis moves (centred on 0) and stretches (spread 1).',
    };
    case 'batchNorm': return {
      what: `Each ${facts.inShape.length === 3 ? `channel (${C} maps)` : `feature (${C})`} is normalised with a mean μ and variance σ² and then scaled and shifted by two learned numbers: y = γ · (x − μ) / √(σ² + ε) + β (ε = ${extra.eps ?? DEFAULT_EPS}). In training, μ and σ² come from the whole batch (all samples and all positions of the channel), and running averages of them are kept (new = (1 − ${extra.momentum ?? 0.1})·old + ${extra.momentum ?? 0.1}·batch). When the network is used (inference, as here), the running averages are used, so each sample's output no longer depends on the others.`,
      why: 'Every layer after it sees values of a steady size while the weights before it change, so training can use larger learning rates and is less sensitive to the initial weights; γ and β let the network undo the normalisation where that helps.',
      look: 'Switch between "inference" and "training": at inference μ and σ² are fixed numbers learned from the training data, the same for every picture. Unlike the per-map normalisation of Exercise 4 (each map of each picture made mean 0, variance 1 on its own), a bright picture stays brighter than a dark one. With this one picture as the batch, training mode is exactly Exercise 4\'s normalisation, then γ and β.',
    };
    case 'flatten': return {
      what: `Lays the ${facts.inShape.join('×')} maps out as one list of ${facts.outShape[0]} numbers, map after map, row after row: value (c, h, w) goes to position c·H·W + h·W + w. No number changes.`,
      why: 'A dense layer reads a list, not maps. Flatten only fixes the order, and so which weight of the dense layer meets which value.',
      look: 'Hover a cell of a map to see where it lands in the list, or a cell of the list to see where it came from.',
    };
    case 'dropout': return {
      what: `While training, each value is set to 0 with probability ${extra.rate ?? '(rate)'} and the others are multiplied by 1/(1 − rate), a fresh random mask for every sample. When the network is used (inference, as in this explainer), dropout does nothing.`,
      why: 'Training with random values missing stops the network from relying on any single one, which reduces overfitting. The 1/(1 − rate) scale keeps the expected value the same, so nothing has to change at inference.',
      look: 'Switch between "training pass" and "inference": the mask, and that the inference output equals the input.',
    };
    case 'dense': return {
      what: `Each of the ${K} units multiplies every one of the ${facts.inShape.reduce((a, b) => a * b, 1)} inputs by its own weight, adds all the products and its bias: y = W·x + b.`,
      why: extra.last === false
        ? `Every input can influence every unit: each of the ${K} units is a feature learned from ${extra.afterMaps ? 'all the feature maps at once' : 'the whole picture (every pixel has its own weight)'}, and the next layer combines them. These are not class scores: only the last dense layer has one unit per class.`
        : `Every input can influence every output: each unit combines the evidence from ${extra.afterMaps ? 'all the feature maps' : 'all its inputs'} into one score (logit) per class, which softmax turns into probabilities.`,
      look: 'The weights drawn as maps show where a unit looks; red weights on active inputs (red products) push its score up, blue ones pull it down.',
    };
    case 'softmax': return {
      what: 'Turns the scores (logits) z into probabilities: p = e^z / Σ e^z. All are positive and they add up to 1; the largest score gets the largest share.',
      why: 'So the output reads as the network\'s confidence per class, and training can use the cross-entropy loss −log p[true class].',
      look: 'Subtracting the largest score first changes nothing (it cancels) but keeps e^z from overflowing. A gap of 1 in z means a factor e ≈ 2.7 in p.',
    };
  }
}
