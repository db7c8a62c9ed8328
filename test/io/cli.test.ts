// `convlab export` and `--model` in other formats, as a user runs them: a real process, its files, output and exit code.
// (bin/convlab.js runs dist/: `npm run build:lib` first, as `npm test` does.)
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync, truncateSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModel } from '../../core/node.js';
import { modelFromJSON } from '../../core/index.js';

const bin = new URL('../../bin/convlab.js', import.meta.url).pathname;
const shipped = new URL('../../viz/public/cnn.json', import.meta.url).pathname;
const directory = mkdtempSync(join(tmpdir(), 'convlab-export-'));
const run = (...args: string[]) => spawnSync('node', [bin, ...args], { encoding: 'utf8' });
const evalJson = (model: string) => {
  const result = run('eval', '--model', model, '--json');
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout.trim().split('\n').pop()!);
};

describe('convlab export', () => {
  const tfjsDir = join(directory, 'tfjs'), onnxFile = join(directory, 'cnn.onnx');

  it('--format tfjs writes model.json and weights.bin into a folder; --format onnx one file', () => {
    const tfjs = run('export', '--model', shipped, '--format', 'tfjs', '--out', tfjsDir);
    expect(tfjs.status).toBe(0);
    expect(tfjs.stdout).toMatch(/wrote .*model.json and .*weights.bin \(TF.js layers format, 5994 parameters\)/);
    expect(tfjs.stdout).toMatch(/tensorflowjs_converter --input_format=tfjs_layers_model --output_format=keras/);
    expect(readdirSync(tfjsDir).sort()).toEqual(['model.json', 'weights.bin']);
    expect(readFileSync(join(tfjsDir, 'weights.bin')).length).toBe(5994 * 4);
    const onnx = run('export', '--model', shipped, '--format', 'onnx', '--out', onnxFile, '--json');
    expect(onnx.status).toBe(0);
    expect(JSON.parse(onnx.stdout.trim())).toEqual({ format: 'onnx', files: [onnxFile], parameters: 5994 });
    expect(readdirSync(directory).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('eval --model reads the TF.js folder, its model.json and the .onnx file, with the accuracy of the original', () => {
    const original = evalJson(shipped);
    for (const model of [tfjsDir, join(tfjsDir, 'model.json'), onnxFile]) {
      const result = evalJson(model);
      expect(result.testAccuracy).toBe(original.testAccuracy);
      expect(result.confusion).toEqual(original.confusion);
      expect(Math.abs(result.testLoss - original.testLoss)).toBeLessThan(1e-6);
    }
  });

  it('exports from another format too (ONNX → TF.js), and the weights come back bit for bit', () => {
    const out = join(directory, 'again', 'net.json');
    expect(run('export', '--model', onnxFile, '--format', 'tfjs', '--out', out).status).toBe(0);
    expect(existsSync(join(directory, 'again', 'net.weights.bin'))).toBe(true);
    const back = loadModel(out).model, original = modelFromJSON(readFileSync(shipped, 'utf8')).model;
    expect(back.params().map((p) => Array.from(p.value.data))).toEqual(original.params().map((p) => Array.from(p.value.data)));
  });

  it('bad arguments: one line, exit code 1, nothing written', () => {
    const folder = run('export', '--model', shipped, '--format', 'onnx', '--out', tfjsDir);
    expect([folder.status, folder.stderr]).toEqual([1, `convlab: export: --out ${tfjsDir} is a folder; ONNX is one file, e.g. --out ${tfjsDir}/model.onnx\n`]);
    const missing = run('export', '--model', join(directory, 'nothing.json'), '--format', 'tfjs', '--out', join(directory, 'x'));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^convlab: export: model file .*nothing.json does not exist\n$/);
    const format = run('export', '--model', shipped, '--format', 'keras', '--out', join(directory, 'x'));
    expect(format.status).toBe(1);
    expect(format.stderr).toMatch(/argument 'keras' is invalid\. Allowed choices are tfjs, onnx/);
    expect(existsSync(join(directory, 'x'))).toBe(false);
  });
});

describe('--model in other formats: damaged files get one clear error', () => {
  it('a TF.js model.json whose weights file is missing, short or too long', () => {
    const folder = join(directory, 'damaged');
    expect(run('export', '--model', shipped, '--format', 'tfjs', '--out', folder).status).toBe(0);
    const weights = join(folder, 'weights.bin'), bytes = readFileSync(weights);
    truncateSync(weights, 1000);
    expect(run('eval', '--model', folder).stderr).toMatch(/^convlab: weights file .*weights.bin is short: it has 1000 bytes, the manifest in model file model.json needs 23976 \(float32 conv2d_1\/kernel \[5,5,1,8\]/);
    writeFileSync(weights, Buffer.concat([bytes, bytes]));
    expect(run('eval', '--model', folder).stderr).toMatch(/^convlab: weights file .*weights.bin has 47952 bytes, more than the 23976 the manifest in model.json describes/);
    rmSync(weights);
    const result = run('predict', '--model', join(folder, 'model.json'), shipped);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^convlab: weights file .*weights.bin \(named by model.json\) is missing: keep it beside model.json\n$/);
  });
  it('an .onnx file that is not ONNX', () => {
    const fake = join(directory, 'fake.onnx');
    writeFileSync(fake, Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3]));
    const result = run('eval', '--model', fake);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^convlab: model file fake.onnx is not a valid ONNX model/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
