// core/explain/neuron.ts: one playground neuron at one point of the plane, written out with its numbers.
//   z = Σ_i w_i · a_i + b        a = f(z)   (f: relu, tanh, sigmoid, linear; the multiclass output: softmax over the z's)
// a_i are the previous layer's outputs at the point (the features for the first layer). The values come from
// the model's own forward pass (model.activations), so they are the numbers the network computes.
import { fromData } from '../tensor.js';
import type { Sequential } from '../nn/model.js';
import type { DenseLayer } from '../nn/layers.js';
import { FEATURES, type FeatureName, featureRows, orderFeatures } from '../nn/features.js';
import { networkMap, type PlaygroundActivation } from '../nn/playground.js';

export interface NeuronTerm { input: string; value: number; weight: number; product: number }
export interface NeuronExplanation {
  /** 'hidden layer 1, neuron 3' or 'output'. */
  title: string;
  terms: NeuronTerm[];
  bias: number;
  /** Σ w·a + b, and the activation applied to it. */
  z: number;
  activation: PlaygroundActivation | 'softmax';
  output: number;
}

/** Neuron `neuron` of hidden layer `layer` (layer = number of hidden layers means the output) at the point (x₁, x₂). */
export function explainNeuron(model: Sequential, features: readonly FeatureName[], layer: number, neuron: number, point: { x: number; y: number }): NeuronExplanation {
  const map = networkMap(model), names = orderFeatures(features);
  if (!(Number.isInteger(layer) && layer >= 0 && layer < map.dense.length)) throw new RangeError(`explainNeuron: layer must be 0…${map.dense.length - 1}, got ${layer}`);
  const denseIndex = map.dense[layer], dense = model.layers[denseIndex] as DenseLayer;
  const [units, inputs] = dense.weights.shape;
  if (!(Number.isInteger(neuron) && neuron >= 0 && neuron < units)) throw new RangeError(`explainNeuron: neuron must be 0…${units - 1}, got ${neuron}`);
  const activations = model.activations(fromData(featureRows([point], names), [1, names.length]));
  const previous = layer === 0 ? featureRows([point], names) : activations[map.neurons[layer - 1]].data;
  const labels = layer === 0 ? names.map((n) => FEATURES.find((f) => f.name === n)!.label) : Array.from({ length: inputs }, (_, i) => `h${layer}.${i + 1}`);
  const terms = Array.from({ length: inputs }, (_, i) => {
    const value = previous[i], weight = dense.weights.data[neuron * inputs + i];
    return { input: labels[i], value, weight, product: value * weight };
  });
  const z = activations[denseIndex].data[neuron];
  const next = model.configs[denseIndex + 1]?.type;
  const activation = next === 'relu' || next === 'tanh' || next === 'sigmoid' || next === 'softmax' ? next : 'linear';
  const output = activation === 'linear' ? z : activations[denseIndex + 1].data[neuron];
  const isOutput = layer === map.dense.length - 1;
  return { title: isOutput ? (units > 1 ? `output ${neuron + 1} (class ${neuron})` : 'output') : `hidden layer ${layer + 1}, neuron ${neuron + 1}`,
    terms, bias: dense.bias.data[neuron], z, activation, output };
}
