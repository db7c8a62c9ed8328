// core/cli/export.ts: `convlab export --model FILE --format tfjs|onnx --out PATH` — a model (any format convlab
// reads) written for TF.js/Keras or for ONNX Runtime/PyTorch/model viewers.
import { existsSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { type Command, Option } from 'commander';
// errors read 'export: …'; main prints them as 'convlab: export: …', one line
import { loadModel, saveModel } from '../io/node.js';
import { readInputScale, type InputScale } from '../io/modelFile.js';
import { normalizeOption } from './flags.js';
import { saveTfjs, saveOnnx, tfjsTargets } from '../io/nodeFormats.js';
import { checkTarget, checkWritable } from '../io/files.js';
import { printable } from '../printable.js';

export function addExportCommand(program: Command): void {
  program.command('export')
    .description('write a model for TF.js/Keras (a folder with model.json + weights.bin) or ONNX (one .onnx file)')
    .requiredOption('--model <file>', 'model file: convlab .json, TF.js model.json (or its folder) or .onnx')
    .addOption(new Option('--format <format>', 'what to write').choices(['tfjs', 'onnx', 'convlab']).makeOptionMandatory())
    .requiredOption('--out <path>', 'tfjs: a folder (or a path ending in .json); onnx: a file, e.g. model.onnx; convlab: a .json file')
    .addOption(new Option('--normalize <mean,std>', 'store what the model expects of its input: (x − mean)/std of convlab\'s [0,1] pixels ' +
      '(a PyTorch MNIST model: 0.1307,0.3081); default: the input scale the model file already has').argParser(normalizeOption().parseArg!))
    .option('--json', 'print one JSON object as the last line')
    .action((options: ExportOptions) => exportCommand(options));
}

interface ExportOptions { model: string; format: 'tfjs' | 'onnx' | 'convlab'; out: string; json?: boolean; normalize?: InputScale }

function exportCommand({ model: path, format, out, json, normalize }: ExportOptions): void {
  // --out is checked before the model is read: only an absent path or a regular file is replaced (a FIFO, device,
  // socket or symbolic link is refused; a TF.js folder may exist, and its two files follow the same rule)
  const isDirectory = existsSync(out) && statSync(out).isDirectory();
  try {
    if (format !== 'tfjs' && isDirectory) throw new Error(`--out ${out} is a folder; ${format === 'onnx' ? 'ONNX' : 'a convlab model'} is one file, e.g. --out ${out.replace(/\/$/, '')}/model.${format === 'onnx' ? 'onnx' : 'json'}`);
    if (format !== 'tfjs') checkWritable(out, '--out');
    else {
      if (!isDirectory) checkTarget(out, '--out');
      if (existsSync(out) && !isDirectory && !/\.json$/i.test(out)) {
        throw new Error(`--out ${out} is a file; the TF.js format is a folder (model.json + weights.bin) or a path ending in .json`);
      }
      const targets = tfjsTargets(out);
      checkTarget(targets.modelJson, '--out'); checkTarget(targets.weights, '--out');
    }
  } catch (error) { throw new Error(`export: ${(error as Error).message}`); }
  let model, loaded;
  try { loaded = loadModel(path); model = loaded.model; } catch (error) { throw new Error(`export: ${(error as Error).message}`); }
  // what the model expects of its input travels with it: the file's own, or the one --normalize states
  let inputScale: InputScale | undefined;
  try { inputScale = normalize ? readInputScale(normalize, model.inputShape, '--normalize') : loaded.inputScale; } catch (error) { throw new Error(`export: ${(error as Error).message}`); }
  let files: string[];
  try {
    if (format === 'tfjs') { const written = saveTfjs(out, model, '--out', inputScale); files = [written.modelJson, written.weights]; }
    else if (format === 'onnx') { saveOnnx(out, model, '--out', inputScale); files = [out]; }
    else { saveModel(out, model, loaded.training, '--out', inputScale); files = [out]; }
  } catch (error) { throw new Error(`export: cannot write ${out}: ${(error as Error).message}`); }
  if (json) { console.log(JSON.stringify({ format, files, parameters: model.parameterCount, ...(inputScale ? { inputScale } : {}) })); return; }
  const kind = format === 'tfjs' ? 'TF.js layers format' : format === 'onnx' ? 'ONNX, opset 13' : 'convlab model file';
  console.log(printable(`wrote ${files.join(' and ')} (${kind}, ${model.parameterCount} parameters` +
    `${inputScale ? `; input scale (x − [${inputScale.mean.join(', ')}])/[${inputScale.std.join(', ')}]` : ''})`));
  if (format === 'convlab') return;
  console.log(printable(format === 'tfjs'
    ? `  TF.js: serve the folder, then tf.loadLayersModel('…/${basename(files[0])}'); Keras: tensorflowjs_converter --input_format=tfjs_layers_model --output_format=keras ${files[0]} model.h5`
    : `  ONNX Runtime: await ort.InferenceSession.create('${files[0]}'), input 'input' [N,${model.inputShape.join(',')}], output 'output'`));
}
