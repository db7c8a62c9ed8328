// core/cli/main.ts: the `convlab` command line — train, eval, predict, bench.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join, basename } from 'node:path';
import { tmpdir } from 'node:os';
import { printable } from '../printable.js';
import { Command, InvalidArgumentError, Option } from 'commander';
import cliProgress from 'cli-progress';
import { presets, presetNames, layersForClasses, type PresetName } from '../nn/presets.js';
import { trainSteps, runSteps, reportEvent, evaluate, TrainingDivergedError, type EpochRecord, type FitOptions, type FitResult, type TrainingState } from '../nn/trainer.js';
import { Sequential, trainingBytesPerSample, planModel } from '../nn/model.js';
import type { LayerConfig } from '../nn/layers.js';
import { usesBatchStatistics } from '../nn/layers.js';
import { TRAINING_LIMITS, maxBatchFor } from '../limits.js';
import { type AnyDataset, toFloatDataset, applyStandardization, relabelByName } from '../data/dataset.js';
import { parseCsv, csvInputOf, CSV_LIMITS } from '../data/csv.js';
import { readRegularFile } from '../readFile.js';
import { saveModel, loadModel, checkWritable, readPicture, writeFileAtomic } from '../io/node.js';
import { scaleInput, type InputScale } from '../io/modelFile.js';
import { summarizeModel, summaryTable } from '../nn/summary.js';
import { rgbaToInk, inkFound } from '../data/preprocess.js';
import { fromData } from '../tensor.js';
import { softmax, softmaxCrossEntropy } from '../ops/softmax.js';
import type { OptimizerName } from '../nn/optimizers.js';
import type { Initializer } from '../nn/init.js';
import { kernels } from '../kernels/select.js';
import { sharedMemoryAvailable } from '../parallel/halfBatch.js';
import { startTrainingThread } from '../parallel/node.js';
import { addExportCommand } from './export.js';
import { integer, positive, normalizeOption } from './flags.js';
import { dataOption, limitOption, labelColumnOption, loadData, defaultThreads, pictureInput, trainablePresets, tableFiles } from './data.js';
import { resolveModel, buildModel, prepareCheckpointFolder, writeCheckpoint, readLastCheckpoint, type ModelSource } from './model.js';
import { parseAugmentation } from '../data/augment.js';
import { classNamesFor } from '../data/cifar.js';
import { historyOption, validationOption, checkHistoryPath, epochLine, historyRows, writeHistory } from './report.js';
import type { EpochTiming } from '../nn/trainer.js';

class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) { super(message); }
}

/** Exit codes: 1 an error, 2 a usage error (no command), 3 training diverged; a stop by signal exits 128 + its number. */
const EXIT_DIVERGED = 3;
/** The largest --batch of any model (TRAINING_LIMITS.maxBatch): a cnn batch of 1024 peaks near 400 MB; a model with
 *  more memory per sample has a smaller cap (maxBatchFor, checked in train). */
const MAX_BATCH = TRAINING_LIMITS.maxBatch;
const SIGNAL_EXIT: Record<string, number> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };


export function buildProgram(): Command {
  const program = new Command('convlab')
    .description('convlab: CNN building blocks, trained on real handwritten digits')
    .configureOutput({ outputError: (text, write) => write(text.split('\n')[0] + '\n') })
    .exitOverride();

  program.command('train')
    .description('train a preset, an architecture file or a saved/imported model on the 8,000 training digits and test on the other 2,000 (your data with --data)')
    .option('--model <name|file>', `a preset (${trainablePresets.join(', ')}), an architecture file (a JSON list of layers, see convlab init), ` +
      'a convlab model file (training continues from its weights) or a TF.js/ONNX model', 'cnn')
    .option('--augment <spec>', "random distortions: 'none', or a comma list of shift[=pixels], rotate[=degrees], scale[=fraction]; default: the recipe's")
    .option('--no-augment', 'no random distortions (as --augment none)')
    .option('--checkpoint <dir>', 'write the model after every epoch to DIR/epoch-NNNN.json (atomically), the best by validation loss also to DIR/best.json')
    .option('--resume', 'continue from the last checkpoint in --checkpoint DIR (the same settings give the same weights as a run straight through)')
    .addOption(dataOption()).addOption(labelColumnOption()).addOption(limitOption()).addOption(validationOption()).addOption(historyOption())
    .option('--epochs <n>', 'epochs (at most 10000)', integer('--epochs', 1, 10000))
    .option('--batch <n>', `batch size (at most ${MAX_BATCH}; more than the training samples means all of them)`, integer('--batch', 1, MAX_BATCH))
    .option('--lr <x>', 'learning rate', positive('--lr'))
    .addOption(new Option('--optimizer <name>', 'optimizer').choices(['sgd', 'momentum', 'adam']))
    .addOption(new Option('--init <name>', 'initialisation').choices(['glorotUniform', 'glorotNormal', 'heUniform', 'heNormal', 'zeros']))
    .option('--seed <n>', 'seed for weights, shuffles and augmentation', integer('--seed', 0), 1)
    .option('--threads <n>', 'threads: 1, or 2 (a helper thread takes half of every batch, or for a model of dense layers part of every matrix product; same results); default 2 for cnn, 1 for mlp',
      (value: string) => { if (value !== '1' && value !== '2') throw new InvalidArgumentError(`--threads must be 1 or 2, got '${value}'`); return Number(value); })
    .option('--out <file>', 'write the trained model here (atomically; checked before training; also written when stopped by a signal)')
    .option('--json', 'print one JSON object as the last line')
    .action(async (options) => train(options));

  program.command('eval')
    .description('accuracy and loss of a model file on the 2,000 test digits (or the test part of --data)')
    .requiredOption('--model <file>', 'model file')
    .addOption(dataOption()).addOption(labelColumnOption())
    .addOption(new Option('--limit <n>', 'score only N test samples, spread over the classes').argParser(integer('--limit', 1)))
    .addOption(normalizeOption())
    .option('--json', 'print one JSON object as the last line')
    .action((options) => evalCommand(options));

  program.command('predict')
    .description('classify a PNG or JPEG image: a digit (any size; centred and scaled like MNIST), a picture for a colour model, or as the folder a model was trained on')
    .requiredOption('--model <file>', 'model file')
    .argument('[image]', 'PNG or JPEG file (or --data)')
    .addOption(new Option('--data <spec>', "classify every row of a table ('csv:FILE', with or without its label column) or the test part of " +
      "any other --data source, one line each"))
    .addOption(labelColumnOption())
    .addOption(new Option('--limit <n>', 'with --data, at most N samples').argParser(integer('--limit', 1)))
    .addOption(normalizeOption())
    .option('--json', 'print one JSON object as the last line')
    .action((image, options) => predict(image, options));

  program.command('bench')
    .description('benchmarks against PyTorch, TensorFlow.js and ConvNetJS (bench/run.ts; needs a clone with dev dependencies)')
    .option('--quick', 'a shorter run')
    .option('--json', 'print one JSON object as the last line')
    .option('--section <names>', 'only these sections, comma-separated: main, scaling, lab, accuracy (the default), browser')
    .action((options) => bench(options));
  program.command('init')
    .description('write a preset\'s architecture as a JSON list of layers, to edit and train with train --model FILE')
    .addOption(new Option('--preset <name>', 'preset').choices(presetNames).makeOptionMandatory())
    .requiredOption('--out <file>', 'the architecture file to write (atomically)')
    .action((options) => initCommand(options));

  program.command('summary')
    .description('the Keras-style table of a network: layer, output shape, parameters, multiply-adds per sample')
    .requiredOption('--model <name|file>', 'a preset, an architecture file or a model file')
    .option('--input-shape <shape>', 'the input of an architecture list, e.g. 1,28,28 (default) or 3,32,32')
    .option('--json', 'print one JSON object as the last line')
    .action((options) => summaryCommand(options));
  addExportCommand(program);
  return program;
}

interface TrainOptions { data?: string; labelColumn?: string; limit?: number; validationSplit?: number; history?: string; model: string; augment?: string | boolean; checkpoint?: string; resume?: boolean; epochs?: number; batch?: number; lr?: number; optimizer?: OptimizerName; init?: Initializer; seed: number; threads?: number; out?: string; json?: boolean }

/** fit(), but yielding to the event loop every ~50 ms so a Ctrl-C (SIGINT) is seen between batches. */
async function fitInterruptibly(model: Sequential, data: AnyDataset, options: FitOptions): Promise<FitResult> {
  const steps = trainSteps(model, data, options);
  for (;;) {
    const ran = runSteps(steps, { sliceMs: 50, shouldStop: options.shouldStop, onEvent: (event) => reportEvent(options, event) });
    if (ran.done) return ran.result;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function train(options: TrainOptions): Promise<void> {
  // a signal (Ctrl-C once or many times, SIGTERM, SIGHUP) stops after the current batch; --out is still written.
  // The handlers stay for the whole command, evaluation and save included, so no later signal kills it half-way.
  let interrupted: string | null = null;
  const log = (line: string) => { if (options.json) process.stderr.write(printable(line) + '\n'); else console.log(printable(line)); };
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = signal;
    process.stderr.write(`\nconvlab train: ${signal} received; stopping after the current batch${options.out ? ` and writing ${options.out}` : ''}\n`);
  };
  for (const signal of Object.keys(SIGNAL_EXIT)) process.on(signal, onSignal);
  if (options.out) {
    try { checkWritable(options.out, '--out'); } catch (error) { throw new CliError(`convlab train: ${(error as Error).message}`); }
  }
  let source: ModelSource;
  try { source = resolveModel(options.model); } catch (error) { throw new CliError(`convlab train: ${(error as Error).message}`); }
  if (source.inputScale) {
    // training feeds convlab's own inputs: a model expecting others would learn from the wrong numbers
    throw new CliError(`convlab train: ${options.model} expects its inputs scaled as ${describeScale(source.inputScale)} (its input scale); ` +
      'convlab train feeds the inputs as they are, so it does not continue training this model (eval, predict and export use the scale)');
  }
  if (source.kind === 'preset' && !trainablePresets.includes(source.name as PresetName) && !(source.dataset === 'iris' && options.data?.startsWith('csv:'))) {
    throw new CliError(`convlab train: the preset ${source.name} trains in its own lab (exercise 08)` +
      (source.dataset === 'iris' ? ' or on a table you give it (--data csv:iris.csv)' : '') + `; --model takes ${trainablePresets.join(', ')} or a file`);
  }
  const recipe = source.recipe;
  const epochs = options.epochs ?? recipe.epochs;
  const optimizer = { ...recipe.optimizer!, ...(options.optimizer ? { type: options.optimizer } : {}), ...(options.lr ? { learningRate: options.lr } : {}) };
  let augment = recipe.augment;
  if (options.augment === false) augment = undefined;
  else if (typeof options.augment === 'string') {
    try { augment = parseAugmentation(options.augment) ?? undefined; } catch (error) { throw new CliError(`convlab train: ${(error as Error).message}`); }
  }
  if (options.history) {
    try { checkHistoryPath(options.history); } catch (error) { throw new CliError(`convlab train: ${(error as Error).message}`); }
  }
  if (options.resume && !options.checkpoint) throw new CliError('convlab train: --resume needs --checkpoint DIR (the folder of the run to continue)');
  if (options.checkpoint) {
    try { prepareCheckpointFolder(options.checkpoint); } catch (error) { throw new CliError(`convlab train: ${(error as Error).message}`); }
  }
  const who = source.kind === 'preset' ? source.name : `the model ${source.name}`;
  // refused before the data load (60,000 digits take ~150 MB) where the model's shape is already known
  const knownLayers = source.model?.configs ?? source.layers, knownShape = source.model?.inputShape ?? source.inputShape;
  if (knownLayers && knownShape) {
    let plans = true;
    try { planModel(knownShape, knownLayers); } catch { plans = false; /* named below, against the data's shape */ }
    if (plans) checkBatchCap(options.batch, source.name, knownShape, knownLayers);
  }
  const { train: trainSet, test, description, input } = loadData(options.data, source.inputShape, source.dataset, who, options.limit,
    source.kind === 'model' ? source.model!.classes : undefined, source.kind === 'model' ? storedNames(source.model!, source.training) : undefined,
    { labelColumn: options.labelColumn, input: source.kind === 'model' ? source.training?.input : undefined });
  if (trainSet.classes < 2) {
    throw new CliError(`convlab train: every training sample of --data ${options.data} is of one class${trainSet.classNames?.length ? ` (${trainSet.classNames[0]})` : ''}: ` +
      'a classifier needs at least 2' + (options.data?.startsWith('csv:') ? ' (is the label column the right one? --label-column NAME|N)' : ''));
  }
  let batchSize = options.batch ?? recipe.batchSize ?? 32;
  if (batchSize > trainSet.labels.length) {
    log(`convlab train: --batch ${batchSize} is more than the ${trainSet.labels.length} training samples; using one batch of all ${trainSet.labels.length}`);
    batchSize = trainSet.labels.length;
  }
  // labels of another class count (EMNIST letters: 27) size a preset's output layer from the data
  if (source.kind === 'preset') source.layers = layersForClasses(source.layers!, trainSet.classes);
  let model: Sequential;
  try { model = buildModel(source, source.inputShape ?? trainSet.sampleShape, options.seed, options.init); } catch (error) {
    throw new CliError(`convlab train: ${source.name}: ${(error as Error).message}`);
  }
  checkBatchCap(options.batch, source.name, model.inputShape, model.configs);
  if (model.classes !== trainSet.classes) {
    throw new CliError(`convlab train: ${who} has ${model.classes} outputs but the data has ${trainSet.classes} classes; ` +
      (source.kind === 'architecture' ? `make the last dense layer's units ${trainSet.classes}` : 'train a model with as many outputs as classes'));
  }
  // what --resume must find unchanged: everything that decides the weights
  const run = { model: source.kind === 'preset' ? source.name : source.kind, layers: model.configs, data: options.data ?? null, limit: options.limit ?? null,
    samples: trainSet.labels.length, validationSplit: options.validationSplit ?? null, seed: options.seed, batchSize, optimizer,
    schedule: recipe.schedule ?? 'constant', augment: augment ?? null, init: options.init ?? null,
    // a cosine schedule's rate at each epoch depends on the number of epochs
    epochs: recipe.schedule === 'cosine' ? epochs : null };
  let resume: TrainingState | undefined;
  if (options.resume) {
    try {
      const last = readLastCheckpoint(options.checkpoint!, run);
      model = last.model; resume = last.state;
      if (resume.epoch >= epochs) throw new Error(`${last.path} is epoch ${resume.epoch} of a run of ${epochs}: nothing left to train (raise --epochs to train on)`);
      log(`convlab train: resuming from ${last.path} (epoch ${resume.epoch} of ${epochs})`);
    } catch (error) { throw new CliError(`convlab train: ${(error as Error).message}`); }
  }
  const classNames = trainSet.classNames ?? (typeof source.training?.classNames === 'object' ? source.training.classNames as string[] : undefined);
  const trainingInfo = { preset: source.kind === 'preset' ? source.name : undefined, batchSize, optimizer, seed: options.seed, ...(classNames ? { classNames } : {}),
    ...(input ? { input } : {}) };
  // a second thread pays when half a batch is a few milliseconds of work (the cnn), not for the small mlp
  const threads = batchSize < 2 || !sharedMemoryAvailable() || usesBatchStatistics(model.configs) ? 1 : options.threads ?? defaultThreads(model.configs);
  log(`convlab train: ${source.name}, ${model.parameterCount} parameters, ${epochs} epochs, batch ${batchSize}, ` +
    `${optimizer.type} lr ${optimizer.learningRate}, seed ${options.seed}, ${threads} thread${threads > 1 ? 's' : ''} ` +
    `(${kernels() === 'wasm' ? 'WebAssembly SIMD' : 'TypeScript'} kernels); ${description}` +
    (options.validationSplit ? `, ${options.validationSplit} of the training data held out for validation` : '') +
    `; distortions: ${augment ? Object.entries(augment).map(([k, v]) => `${k} ${v}`).join(', ') : 'none'}` +
    (source.kind === 'model' ? `; continuing from the weights in ${source.name}` : ''));
  const second = threads === 2 ? await startTrainingThread(model, batchSize) : undefined, helper = second?.helper;

  const tty = Boolean(process.stderr.isTTY);
  const bar = tty ? new cliProgress.SingleBar({
    format: 'epoch {epoch}/{epochs} |{bar}| {value}/{total} batches  loss {loss}  acc {acc}  {speed} samples/s',
    stream: process.stderr, hideCursor: true,
  }, cliProgress.Presets.shades_classic) : null;
  const started = performance.now(), timings: EpochTiming[] = [], peaks: number[] = [];
  let result;
  try {
    result = await fitInterruptibly(model, trainSet, {
      ...recipe, augment, loss: source.loss, epochs, batchSize, optimizer, seed: options.seed, helper, validationSplit: options.validationSplit, resume,
      onState: options.checkpoint ? (state) => {
        const written = writeCheckpoint(options.checkpoint!, model, state, run, trainingInfo);
        log(`checkpoint ${written.join(', ')}${written.length > 1 ? ' (best so far)' : ''}`);
      } : undefined,
      onBatch: (info) => {
        if (!bar) return;
        if (info.batch === 1) bar.start(info.batches, 0, { epoch: info.epoch, epochs, loss: '-', acc: '-', speed: '-' });
        bar.update(info.batch, { loss: info.loss.toFixed(4), acc: info.accuracy.toFixed(3),
          speed: Math.round(info.samples / ((performance.now() - started) / 1000)) });
      },
      onEpoch: (record: EpochRecord, _history, timing: EpochTiming) => {
        bar?.stop();
        timings.push(timing);
        // the process's peak resident memory so far (data, model, buffers, the last checkpoint written), per epoch
        peaks.push(process.resourceUsage().maxRSS / 1024);
        log(epochLine(record, timing, epochs, peaks.at(-1)));
      },
      shouldStop: () => interrupted !== null,
    });
  } catch (error) {
    bar?.stop();
    if (error instanceof TrainingDivergedError) {
      throw new CliError(`convlab train: ${error.message}; no model was written${options.out ? ` (${options.out} is unchanged)` : ''}`, EXIT_DIVERGED);
    }
    throw error;
  } finally {
    second?.close();
  }
  bar?.stop();
  if (result.stopped === 'cancelled') log('convlab train: interrupted; stopped after the current batch');
  const tested = evaluate(model, test, source.loss);
  // the process's peak resident memory (data, model, buffers, the runtime itself), as /usr/bin/time reports it
  const peakMegabytes = process.resourceUsage().maxRSS / 1024;
  log(`test accuracy ${(tested.accuracy * 100).toFixed(2)}%  test loss ${tested.loss.toFixed(4)}  ` +
    `${Math.round(result.samplesPerSecond)} training samples/s  peak memory ${Math.round(peakMegabytes)} MB`);
  // the model first: a report that cannot be written (its folder removed, a FIFO planted during training) never
  // loses the trained model; every failure is reported afterwards, and the exit code says something went wrong
  const failures: string[] = [];
  if (options.out) {
    try {
      saveModel(options.out, model, { ...trainingInfo, epochs: result.history.length,
        testAccuracy: tested.accuracy, stopped: result.stopped }, '--out');
      log(`model written to ${options.out}`);
    } catch (error) {
      // the trained model is the user's too: kept under a fresh name in the temporary folder, and the path said
      const rescue = join(tmpdir(), `convlab-${basename(options.model).replace(/[^\w.-]/g, '_')}-${process.pid}-${Date.now()}.json`);
      let kept = '';
      try { saveModel(rescue, model, { ...trainingInfo, epochs: result.history.length }); kept = `; the trained model is kept in ${rescue}`; } catch { /* reported below */ }
      failures.push(`the model was not written: ${(error as Error).message}${kept}`);
    }
  }
  if (options.history) {
    try {
      writeHistory(options.history, historyRows(result.history, timings), `${options.model}, seed ${options.seed}: batch ${batchSize}, ${optimizer.type} lr ${optimizer.learningRate}; test accuracy ${(tested.accuracy * 100).toFixed(2)}%`);
      log(`history written to ${options.history}`);
    } catch (error) { failures.push(`the history was not written: ${(error as Error).message}${options.out && failures.length === 0 ? ` (the model is saved in ${options.out})` : ''}`); }
  }
  if (options.json) {
    console.log(JSON.stringify({ model: options.model, epochs: result.history.length, seed: options.seed, testAccuracy: tested.accuracy,
      testLoss: tested.loss, samplesPerSecond: result.samplesPerSecond, peakMemoryMB: Math.round(peakMegabytes), threads, history: result.history, stopped: result.stopped,
      timing: timings.map((t, i) => ({ epoch: i + 1, seconds: t.seconds, microsecondsPerSample: t.microsecondsPerSample, peakMemoryMB: Math.round(peaks[i]) })) }));
  }
  if (interrupted) process.exitCode = SIGNAL_EXIT[interrupted];
  if (failures.length) throw new CliError(failures.map((f) => `convlab train: ${f}`).join('\n'));
}

/** `--batch` follows the model's memory per sample: the lab CNN's 2.5 MB a sample at 1024 once peaked at 1.69 GB. */
function checkBatchCap(batch: number | undefined, name: string, inputShape: number[], layers: LayerConfig[]): void {
  if (batch === undefined) return;
  const perSample = trainingBytesPerSample(inputShape, layers), cap = maxBatchFor(perSample);
  if (batch > cap) {
    throw new CliError(`convlab train: --batch ${batch} is too large for ${name}: its training buffers take about ` +
      `${(perSample / 1048576).toFixed(2)} MB a sample, so at most --batch ${cap} (${TRAINING_LIMITS.batchBytes / 1048576} MiB a batch)`);
  }
}

function initCommand(options: { preset: PresetName; out: string }): void {
  const preset = presets[options.preset];
  try {
    checkWritable(options.out, '--out');
    // one layer a line: a file to read and edit by hand
    writeFileAtomic(options.out, `[\n${preset.layers.map((layer) => `  ${JSON.stringify(layer)}`).join(',\n')}\n]\n`, '--out');
  } catch (error) { throw new CliError(`convlab init: ${(error as Error).message}`); }
  console.log(`${options.out}: ${options.preset}'s ${preset.layers.length} layers (input ${preset.inputShape.join('×')}); train it with: convlab train --model ${options.out}`);
}

function summaryCommand(options: { model: string; inputShape?: string; json?: boolean }): void {
  let summary;
  try {
    const source = resolveModel(options.model);
    let inputShape = source.inputShape ?? [1, 28, 28];
    if (options.inputShape !== undefined) {
      if (!/^\d+(,\d+){0,2}$/.test(options.inputShape)) throw new Error(`--input-shape must be 1 to 3 integers separated by commas (e.g. 3,32,32), got '${options.inputShape}'`);
      inputShape = options.inputShape.split(',').map(Number);
    }
    summary = summarizeModel(inputShape, source.layers!);
  } catch (error) { throw new CliError(`convlab summary: ${(error as Error).message}`); }
  if (options.json) console.log(JSON.stringify({ model: options.model, ...summary }));
  else console.log(`${options.model}\n${summaryTable(summary)}`);
}

/** The class names stored in a model file (a folder's or a table's, CIFAR-10's), when they fit its outputs. */
function storedNames(model: Sequential, training: Record<string, unknown> | undefined): string[] | undefined {
  const stored = training?.classNames;
  return Array.isArray(stored) && stored.length === model.classes && stored.every((n) => typeof n === 'string') ? stored as string[] : undefined;
}

/** The names of a model's outputs: those stored in its file, else classNamesFor. */
function outputNames(model: Sequential, training: Record<string, unknown> | undefined): string[] {
  return storedNames(model, training) ?? classNamesFor(model.inputShape, model.classes);
}

/** The input scale eval and predict apply: --normalize, else the model file's own (its inputScale field or metadata). */
function inputScaleOf(given: InputScale | undefined, stored: InputScale | undefined): InputScale | undefined { return given ?? stored; }
/** 'x → (x − 0.1307)/0.3081' (per channel: means and spreads listed). */
function describeScale(scale: InputScale): string {
  return scale.mean.length === 1 ? `(x − ${scale.mean[0]})/${scale.std[0]}` : `(x − [${scale.mean.join(', ')}])/[${scale.std.join(', ')}] per channel`;
}

function evalCommand(options: { model: string; data?: string; labelColumn?: string; limit?: number; json?: boolean; normalize?: InputScale }): void {
  const { model, training, inputScale: stored } = loadOrFail(options.model);
  const scale = inputScaleOf(options.normalize, stored);
  let { test } = loadData(options.data, model.inputShape, model.inputShape[0] === 3 ? 'cifar10' : 'digits', `the model ${options.model}`, options.limit ?? Infinity,
    model.classes, storedNames(model, training), { labelColumn: options.labelColumn, input: training?.input });
  if (scale) {
    test = toFloatDataset(test);
    scaleInput(test.inputs, scale, model.inputShape);
  }
  // a model without a softmax ends in logits: its loss is the cross-entropy of their softmax, not a squared error
  const logits = !model.endsWithSoftmax;
  const evaluated = evaluate(model, test, logits ? 'mse' : 'crossEntropy');
  const result = logits ? { ...evaluated, loss: softmaxCrossEntropy(fromData(evaluated.outputs, [test.labels.length, model.classes]), test.labels) } : evaluated;
  const lossName = logits ? 'cross-entropy of the softmax of its logits' : 'cross-entropy';
  const names = test.classNames?.length === model.classes ? test.classNames : outputNames(model, training);
  const perClass = result.confusion.map((row, c) => ({ name: names[c], samples: row.reduce((a, b) => a + b, 0), correct: row[c] }))
    .map((r) => ({ ...r, accuracy: r.samples > 0 ? r.correct / r.samples : null }));
  if (options.json) {
    console.log(JSON.stringify({ model: options.model, testAccuracy: result.accuracy, testLoss: result.loss, loss: lossName, outputs: logits ? 'logits' : 'probabilities',
      ...(scale ? { inputScale: { ...scale, from: options.normalize ? '--normalize' : 'model file' } } : {}), perClass, confusion: result.confusion }));
  } else {
    console.log(`test accuracy ${(result.accuracy * 100).toFixed(2)}% (${Math.round(result.accuracy * test.labels.length)}/${test.labels.length})  test loss ${result.loss.toFixed(4)}` +
      (logits ? ` (the model ends in logits: ${lossName})` : ''));
    if (scale) console.log(`inputs scaled as ${describeScale(scale)} (${options.normalize ? '--normalize' : 'the model file\'s input scale'})`);
    const width = Math.max(5, ...names.map((n) => printable(n, true).length)); // class names come from files: escaped
    console.log('per class:');
    for (const r of perClass) {
      console.log(`  ${printable(r.name, true).padStart(width)}  ${r.accuracy === null ? '     -' : `${(r.accuracy * 100).toFixed(1).padStart(5)}%`}  (${r.correct}/${r.samples})`);
    }
    console.log(`confusion (rows: true ${model.inputShape[0] === 3 || storedNames(model, training) ? 'class' : 'digit'}, columns: predicted):`);
    result.confusion.forEach((row, digit) => console.log(`  ${digit}: ${row.map((v) => String(v).padStart(4)).join('')}`));
  }
}

interface PredictOptions { model: string; data?: string; labelColumn?: string; limit?: number; json?: boolean; normalize?: InputScale }

function predict(image: string | undefined, options: PredictOptions): void {
  if (options.data !== undefined) {
    if (image !== undefined) throw new CliError('convlab predict: give a picture or --data, not both');
    predictData(options.data, options);
    return;
  }
  if (image === undefined) throw new CliError('convlab predict: give a picture (PNG or JPEG) or --data SPEC');
  if (options.limit !== undefined || options.labelColumn !== undefined) throw new CliError('convlab predict: --limit and --label-column go with --data');
  const { model, training, inputScale: stored } = loadOrFail(options.model);
  let png;
  try { png = readPicture(image); } catch (error) { throw new CliError(`convlab predict: ${(error as Error).message}`); }
  const folderRule = (training?.input as { source?: unknown } | undefined)?.source === 'folder';
  if (!folderRule && model.inputShape[0] !== 3 && !inkFound(rgbaToInk(png.data, png.width, png.height))) {
    throw new CliError(`convlab predict: no ink found in ${image} (a blank or uniform image: nothing to read)`);
  }
  let input: Float32Array;
  try { input = pictureInput(png.data, png.width, png.height, model.inputShape, image, folderRule); } catch (error) { throw new CliError(`convlab ${(error as Error).message}`); }
  const scale = inputScaleOf(options.normalize, stored);
  scaleInput(input, scale, model.inputShape);
  const output = model.predict(fromData(input, [1, ...model.inputShape]));
  const values = Array.from(output.data);
  if (!values.every(Number.isFinite)) throw new CliError(`convlab predict: the model's output is not finite (${values.join(', ')})`);
  // a model without a softmax ends in logits: shown as they are, with their softmax labelled as such
  const logits = model.endsWithSoftmax ? null : values;
  const probabilities = logits ? Array.from(softmax(output).data) : values;
  const best = probabilities.indexOf(Math.max(...probabilities)), names = outputNames(model, training);
  if (options.json) console.log(JSON.stringify({ image, prediction: best, ...(names[best] !== String(best) ? { className: names[best] } : {}), probabilities, ...(logits ? { logits } : {}),
    ...(scale ? { inputScale: scale } : {}) }));
  else {
    const shown = names.map((n) => printable(n, true)); // class names come from files: escaped
    const width = Math.max(...shown.map((n) => n.length)), label = logits ? 'softmax of the logits' : 'probability';
    console.log(`${printable(image, true)}: ${shown[best]} (${label} ${(probabilities[best] * 100).toFixed(1)}%)${logits ? '; the model ends in logits' : ''}` +
      (scale ? `; inputs scaled as ${describeScale(scale)}` : ''));
    probabilities.forEach((p, d) => console.log(`  ${shown[d].padStart(width)} ${'█'.repeat(Math.max(0, Math.round(p * 40))).padEnd(40)} ${(p * 100).toFixed(1)}%` +
      (logits ? `  logit ${logits[d].toFixed(3)}` : '')));
  }
}

/** predict --data: every row of a table (standardised as the model was trained, labelled or not), or the test part of
 *  another source; one line a sample with the predicted class (and the true one when known), then the accuracy. */
function predictData(spec: string, options: PredictOptions): void {
  const { model, training, inputScale: stored } = loadOrFail(options.model);
  const names = outputNames(model, training), features = model.inputShape.reduce((a, b) => a * b, 1);
  let inputs: Float32Array, labels: Int32Array | null, where: (n: number) => string;
  try {
    if (spec.startsWith('csv:')) {
      // csv:TRAIN,TEST: the test table's rows, as with another source
      const file = tableFiles(spec.slice(4)).at(-1)!;
      const table = parseCsv(readRegularFile(file, CSV_LIMITS.bytes, 'CSV file'), { name: file, labelColumn: options.labelColumn, features });
      if (table.sampleShape[0] !== features) throw new Error(`the model ${options.model} takes ${features} features but ${file} has ${table.sampleShape[0]} feature columns`);
      const stored = csvInputOf(training?.input, features, `the model file ${options.model}`);
      if (stored) applyStandardization(table.inputs, stored);
      const data = table.labelled ? relabelByName(table, names, file) : table;
      const kept = Math.min(data.labels.length, options.limit ?? Infinity);
      inputs = data.inputs.subarray(0, kept * features); labels = table.labelled ? data.labels.subarray(0, kept) : null;
      where = (n) => `row ${n + 1}`;
    } else {
      const { test } = loadData(spec, model.inputShape, model.inputShape[0] === 3 ? 'cifar10' : 'digits', `the model ${options.model}`, options.limit ?? Infinity,
        model.classes, storedNames(model, training), { labelColumn: options.labelColumn, input: training?.input });
      const all = toFloatDataset(test);
      inputs = all.inputs; labels = all.labels; where = (n) => `sample ${n + 1}`;
    }
  } catch (error) { throw new CliError(`convlab predict: ${(error as Error).message}`); }
  scaleInput(inputs, inputScaleOf(options.normalize, stored), model.inputShape);
  const count = inputs.length / features;
  const output = model.predict(fromData(inputs, [count, ...model.inputShape]));
  const probabilities = model.endsWithSoftmax ? output : softmax(output);
  const rows = Array.from({ length: count }, (_, n) => {
    const p = Array.from(probabilities.data.subarray(n * model.classes, (n + 1) * model.classes));
    const best = p.indexOf(Math.max(...p));
    return { sample: n + 1, prediction: best, className: names[best], probability: p[best], ...(labels ? { label: labels[n], labelName: names[labels[n]] } : {}) };
  });
  const correct = labels ? rows.filter((r) => r.prediction === r.label).length : 0;
  if (options.json) {
    console.log(JSON.stringify({ model: options.model, data: spec, predictions: rows, ...(labels ? { accuracy: correct / count } : {}) }));
    return;
  }
  for (const r of rows) { // class names come from files: escaped
    console.log(`${where(r.sample - 1)}: ${printable(r.className, true)} (${(r.probability * 100).toFixed(1)}%)` +
      ('labelName' in r ? `  true: ${printable(r.labelName ?? '', true)}${r.prediction === r.label ? '' : '  ✗'}` : ''));
  }
  if (labels) console.log(`${correct}/${count} right (${((correct / count) * 100).toFixed(2)}%)`);
}

function bench(options: { quick?: boolean; json?: boolean; section?: string }): void {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const script = join(root, 'bench', 'run.ts');
  if (!existsSync(script) || !existsSync(join(root, 'node_modules', 'tsx'))) {
    throw new CliError('convlab bench: the benchmarks run from a clone of the repository with its dev dependencies (npm install, then npm run bench)');
  }
  const result = spawnSync(process.execPath, ['--import', 'tsx', script, ...(options.quick ? ['--quick'] : []), ...(options.json ? ['--json'] : []),
    ...(options.section ? [`--section=${options.section}`] : [])], { cwd: root, stdio: 'inherit' });
  process.exitCode = result.status ?? 1;
}

function loadOrFail(path: string) {
  try { return loadModel(path); } catch (error) { throw new CliError(`convlab: ${(error as Error).message}`); }
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    const e = error as { code?: string; exitCode?: number; message: string };
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return;
    if (e.code === 'commander.help') { process.exitCode = 2; return; } // no command: the help went to stderr
    if (e.code?.startsWith('commander.')) { process.exitCode = e.exitCode ?? 2; return; }
    // a message may hold names read from a file (a layer or operation name): shown, never acted on by the terminal
    console.error(printable(error instanceof CliError ? e.message : `convlab: ${e.message}`));
    process.exitCode = error instanceof CliError ? error.exitCode : 1;
  }
}
