// The playground's run outside Svelte: data, split, the core PlaygroundRun, the loss history, the grid values.
// Everything here is core calls; the page only draws what this holds.
import {
  PlaygroundRun, planarData, splitPoints, featureRows, gridPoints, evaluateGrid, FEATURES, PLANE_RADIUS,
  type PlanarPoint,
} from '../../../../core/index.js';
import { type PlaygroundState, DATA_POINTS, networkSpec, stepSettings } from './state';

export interface LossPoint { epoch: number; train: number; test: number; trainAccuracy: number | null; testAccuracy: number | null }
export interface Focus { layer: number; neuron: number; point: { x: number; y: number } }
/** A link into hidden layer `layer` (or the output when layer = hidden layers) from input `from` to neuron `to`. */
export interface Link { layer: number; from: number; to: number }
export interface KeptRun { label: string; history: LossPoint[] }
/** Grid cells per side for the output and every thumbnail (one batched forward of resolution² points): 50, or 32 for
 *  networks of more than 24 hidden neurons, so that a 6×8 network still redraws smoothly. */
export const resolutionFor = (hidden: number[]) => (hidden.reduce((a, b) => a + b, 0) > 24 ? 32 : 50);

export class PlaygroundSession {
  run!: PlaygroundRun;
  points: PlanarPoint[] = [];
  train: PlanarPoint[] = [];
  test: PlanarPoint[] = [];
  history: LossPoint[] = [];
  /** Each chosen feature over the grid, scaled to [−1, 1] for drawing. */
  featureGrids: Float32Array<ArrayBufferLike>[] = [];
  neurons: Float32Array<ArrayBufferLike>[][] = [];
  output: Float32Array<ArrayBufferLike> = new Float32Array(0);
  /** The output neurons' thumbnails: the output itself, or each class's probability p drawn as 2p − 1. */
  outputColumns: Float32Array<ArrayBufferLike>[] = [];
  private gridInputs: Float32Array<ArrayBufferLike> = new Float32Array(0);
  resolution = 50;
  private grid = gridPoints(50, PLANE_RADIUS);

  constructor(public state: PlaygroundState) { this.reset(state); }

  /** New data (generated or own), split, network and history from the state. */
  reset(state: PlaygroundState): void {
    this.state = state;
    this.points = state.data === 'own' ? state.points
      : planarData(state.data, { count: DATA_POINTS, noise: state.noise / 100, seed: state.dataSeed, classes: state.problem === 'multiclass' ? state.classes : 2 });
    ({ train: this.train, test: this.test } = this.points.length ? splitPoints(this.points, state.ratio / 100, state.dataSeed) : { train: [], test: [] });
    this.run = new PlaygroundRun(networkSpec(state), stepSettings(state), state.optimizer, this.train, this.test);
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
    this.evaluate();
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
    this.evaluate();
  }

  record(): void {
    const train = this.run.evaluate('train'), test = this.run.evaluate('test');
    this.history.push({ epoch: this.run.epoch, train: train.loss, test: test.loss, trainAccuracy: train.accuracy, testAccuracy: test.accuracy });
  }
  /** Re-record the last point (after a weight was edited by hand). */
  rerecord(): void { this.history.pop(); this.record(); this.evaluate(); }

  /** Every neuron and the output over the grid (one batched forward). */
  evaluate(): void {
    const { neurons, output } = evaluateGrid(this.run.model, this.run.map, this.gridInputs, this.grid.length);
    this.neurons = neurons;
    this.output = output;
    const K = this.run.map.outputs;
    this.outputColumns = K === 1 ? [output] : Array.from({ length: K }, (_, k) => Float32Array.from({ length: output.length / K }, (_, g) => 2 * output[g * K + k] - 1));
  }

  get featureLabels(): string[] { return this.state.features.map((name) => FEATURES.find((f) => f.name === name)!.label); }
}
