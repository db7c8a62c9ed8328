// The playground's run: data, split, the core PlaygroundRun, the loss history, the grid values. Everything here is
// core calls; the page only draws what this holds. Every field a view reads is $state.raw and is replaced, never
// changed in place, whenever what it describes changes (a step, an edited weight, a reset), so a view redraws
// exactly when its data changed, with no counter to bump. The network's weights change in place inside core's
// model; `parameters` is their copy as of the last step or edit, and every reading of the model goes through it.
import {
  PlaygroundRun, planarData, splitPoints, featureRows, gridPoints, evaluateGrid, explainNeuron, predictPoints, FEATURES, PLANE_RADIUS,
  type PlanarPoint, type NeuronExplanation,
} from '../../../../core/index.js';
import { type PlaygroundState, DATA_POINTS, networkSpec, stepSettings } from './state.js';

export interface LossPoint { epoch: number; train: number; test: number; trainAccuracy: number | null; testAccuracy: number | null }
export interface Focus { layer: number; neuron: number; point: { x: number; y: number } }
/** A link into hidden layer `layer` (or the output when layer = hidden layers) from input `from` to neuron `to`. */
export interface Link { layer: number; from: number; to: number }
export interface KeptRun { label: string; history: LossPoint[] }
/** One dense layer's weights ([outputs × inputs], row-major) and biases, copied out of the model. */
export interface LayerParameters { weights: Float32Array; bias: Float32Array; inputs: number }
/** Grid cells per side for the output and every thumbnail (one batched forward of resolution² points): 50, or 32 for
 *  networks of more than 24 hidden neurons, so that a 6×8 network still redraws smoothly. */
export const resolutionFor = (hidden: number[]) => (hidden.reduce((a, b) => a + b, 0) > 24 ? 32 : 50);

export class PlaygroundSession {
  state = $state.raw<PlaygroundState>() as PlaygroundState;
  run = $state.raw<PlaygroundRun>() as PlaygroundRun;
  points = $state.raw<PlanarPoint[]>([]);
  train = $state.raw<PlanarPoint[]>([]);
  test = $state.raw<PlanarPoint[]>([]);
  /** The losses after every epoch (a new array per epoch). */
  history = $state.raw<LossPoint[]>([]);
  /** Completed epochs (the run's own count, as of the last step). */
  epoch = $state.raw(0);
  /** Every dense layer's weights and biases as of the last step, edit or reset. */
  parameters = $state.raw<LayerParameters[]>([]);
  /** Each chosen feature over the grid, scaled to [−1, 1] for drawing. */
  featureGrids = $state.raw<Float32Array<ArrayBufferLike>[]>([]);
  neurons = $state.raw<Float32Array<ArrayBufferLike>[][]>([]);
  output = $state.raw<Float32Array<ArrayBufferLike>>(new Float32Array(0));
  /** The output neurons' thumbnails: the output itself, or each class's probability p drawn as 2p − 1. */
  outputColumns = $state.raw<Float32Array<ArrayBufferLike>[]>([]);
  resolution = $state.raw(50);
  private gridInputs: Float32Array<ArrayBufferLike> = new Float32Array(0);
  private grid = gridPoints(50, PLANE_RADIUS);

  constructor(state: PlaygroundState) { this.reset(state); }

  /** New data (generated or own), split, network and history from the state. */
  reset(state: PlaygroundState): void {
    this.state = state;
    const points = state.data === 'own' ? state.points
      : planarData(state.data, { count: DATA_POINTS, noise: state.noise / 100, seed: state.dataSeed, classes: state.problem === 'multiclass' ? state.classes : 2 });
    const { train, test } = points.length ? splitPoints(points, state.ratio / 100, state.dataSeed) : { train: [], test: [] };
    this.points = points; this.train = train; this.test = test;
    this.run = new PlaygroundRun(networkSpec(state), stepSettings(state), state.optimizer, train, test);
    this.resolution = resolutionFor(state.hidden);
    if (this.grid.length !== this.resolution ** 2) this.grid = gridPoints(this.resolution, PLANE_RADIUS);
    const F = state.features.length;
    this.gridInputs = featureRows(this.grid, state.features);
    this.featureGrids = state.features.map((_, f) => {
      const column = Float32Array.from({ length: this.grid.length }, (_, g) => this.gridInputs[g * F + f]);
      const scale = Math.max(1e-6, ...Array.from(column, Math.abs));
      return column.map((v) => v / scale);
    });
    this.history = [];
    this.record();
  }

  /** Step settings changed (learning rate, batch, regularisation): the run goes on with them. */
  update(state: PlaygroundState): void {
    this.state = state;
    this.run.update(stepSettings(state));
  }

  /** One epoch (TF Playground's step), then the losses and the grid. */
  tick(): void {
    if (this.train.length === 0) return;
    this.run.runEpoch();
    this.record();
  }

  /** Set one weight by hand (a link into `layer` from input `from` to neuron `to`), then the losses and the grid again. */
  setWeight(link: Link, value: number): void {
    const dense = this.run.denseLayer(link.layer);
    dense.weights.data[link.to * dense.weights.shape[1] + link.from] = value;
    this.history = this.history.slice(0, -1);
    this.record();
  }

  /** The losses at the current weights appended to the history, then the weights' copy and the grid. */
  private record(): void {
    const train = this.run.evaluate('train'), test = this.run.evaluate('test');
    this.epoch = this.run.epoch;
    this.history = [...this.history, { epoch: this.run.epoch, train: train.loss, test: test.loss, trainAccuracy: train.accuracy, testAccuracy: test.accuracy }];
    this.parameters = Array.from({ length: this.run.map.dense.length }, (_, layer) => {
      const dense = this.run.denseLayer(layer);
      return { weights: dense.weights.data.slice(), bias: dense.bias.data.slice(), inputs: dense.weights.shape[1] };
    });
    const { neurons, output } = evaluateGrid(this.run.model, this.run.map, this.gridInputs, this.grid.length);
    this.neurons = neurons;
    this.output = output;
    const K = this.run.map.outputs;
    this.outputColumns = K === 1 ? [output] : Array.from({ length: K }, (_, k) => Float32Array.from({ length: output.length / K }, (_, g) => 2 * output[g * K + k] - 1));
  }

  /** Neuron `neuron` of `layer` at `point`: its formula with numbers, at the weights of `parameters`. */
  explain(layer: number, neuron: number, point: { x: number; y: number }): NeuronExplanation {
    void this.parameters; // the model holds exactly these weights: read them so that a view's explanation follows a step
    return explainNeuron(this.run.model, this.state.features, layer, neuron, point);
  }
  /** The network's outputs at `point` (K probabilities for multiclass), at the weights of `parameters`. */
  outputAt(point: { x: number; y: number }): number[] {
    void this.parameters;
    return Array.from(predictPoints(this.run.model, this.state.features, [point]));
  }
  /** ∂(training loss + penalty)/∂w for link `link` over all training points, at the weights of `parameters`. */
  gradientAt(link: Link): number {
    const index = link.to * this.parameters[link.layer].inputs + link.from;
    return this.run.gradients()[2 * link.layer][index];
  }

  get featureLabels(): string[] { return this.state.features.map((name) => FEATURES.find((f) => f.name === name)!.label); }
}
