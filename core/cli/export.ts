// core/cli/export.ts: `convlab export --model FILE --format tfjs|onnx --out PATH` — a model (any format convlab
// reads) written for TF.js/Keras or for ONNX Runtime/PyTorch/model viewers.
import { existsSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { type Command, Option } from 'commander';
// errors read 'export: …'; main prints them as 'convlab: export: …', one line
import { loadModel } from '../io/node.js';
import { saveTfjs, saveOnnx, tfjsTargets } from '../io/nodeFormats.js';
import { checkTarget, checkWritable } from '../io/files.js';
import { printable } from '../printable.js';

export function addExportCommand(program: Command): void {
  program.command('export')
    .description('write a model for TF.js/Keras (a folder with model.json + weights.bin) or ONNX (one .onnx file)')
    .requiredOption('--model <file>', 'model file: convlab .json, TF.js model.json (or its folder) or .onnx')
    .addOption(new Option('--format <format>', 'what to write').choices(['tfjs', 'onnx']).makeOptionMandatory())
    .requiredOption('--out <path>', 'tfjs: a folder (or a path ending in .json); onnx: a file, e.g. model.onnx')
    .option('--json', 'print one JSON object as the last line')
    .action((options: { model: string; format: 'tfjs' | 'onnx'; out: string; json?: boolean }) => exportCommand(options));
}

function exportCommand({ model: path, format, out, json }: { model: string; format: 'tfjs' | 'onnx'; out: string; json?: boolean }): void {
  // --out is checked before the model is read: only an absent path or a regular file is replaced (a FIFO, device,
  // socket or symbolic link is refused; a TF.js folder may exist, and its two files follow the same rule)
  const isDirectory = existsSync(out) && statSync(out).isDirectory();
  try {
    if (format === 'onnx' && isDirectory) throw new Error(`--out ${out} is a folder; ONNX is one file, e.g. --out ${out.replace(/\/$/, '')}/model.onnx`);
    if (format === 'onnx') checkWritable(out, '--out');
    else {
      if (!isDirectory) checkTarget(out, '--out');
      if (existsSync(out) && !isDirectory && !/\.json$/i.test(out)) {
        throw new Error(`--out ${out} is a file; the TF.js format is a folder (model.json + weights.bin) or a path ending in .json`);
      }
      const targets = tfjsTargets(out);
      checkTarget(targets.modelJson, '--out'); checkTarget(targets.weights, '--out');
    }
  } catch (error) { throw new Error(`export: ${(error as Error).message}`); }
  let model;
  try { ({ model } = loadModel(path)); } catch (error) { throw new Error(`export: ${(error as Error).message}`); }
  let files: string[];
  try {
    if (format === 'tfjs') { const written = saveTfjs(out, model, '--out'); files = [written.modelJson, written.weights]; }
    else { saveOnnx(out, model, '--out'); files = [out]; }
  } catch (error) { throw new Error(`export: cannot write ${out}: ${(error as Error).message}`); }
  if (json) { console.log(JSON.stringify({ format, files, parameters: model.parameterCount })); return; }
  console.log(printable(`wrote ${files.join(' and ')} (${format === 'tfjs' ? 'TF.js layers format' : 'ONNX, opset 13'}, ${model.parameterCount} parameters)`));
  console.log(printable(format === 'tfjs'
    ? `  TF.js: serve the folder, then tf.loadLayersModel('…/${basename(files[0])}'); Keras: tensorflowjs_converter --input_format=tfjs_layers_model --output_format=keras ${files[0]} model.h5`
    : `  ONNX Runtime: await ort.InferenceSession.create('${files[0]}'), input 'input' [N,${model.inputShape.join(',')}], output 'output'`));
}
