// The convlab CLI as a user runs it: a real process, its output and exit code.
import { describe, it, expect, beforeAll } from 'vitest';
import { execFileSync, spawnSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { loadDigits, saveModel, loadModel } from '../../core/node.js';
import { createPreset, fit } from '../../core/index.js';

const bin = new URL('../../bin/convlab.js', import.meta.url).pathname;
const directory = mkdtempSync(join(tmpdir(), 'convlab-cli-'));
const run = (...args: string[]) => spawnSync('node', [bin, ...args], { encoding: 'utf8' });

/** A test digit as a black-on-white PNG of another size (56×56), as a user would draw it. */
function digitPng(pixels: Float32Array, path: string): void {
  const png = new PNG({ width: 56, height: 56 });
  for (let y = 0; y < 56; y++) for (let x = 0; x < 56; x++) {
    const v = Math.round(255 * (1 - pixels[Math.floor(y / 2) * 28 + Math.floor(x / 2)]));
    png.data.set([v, v, v, 255], (y * 56 + x) * 4);
  }
  writeFileSync(path, PNG.sync.write(png));
}

let modelPath = '';
beforeAll(() => {
  const { train } = loadDigits();
  const model = createPreset('mlp', { seed: 1 });
  fit(model, train, { epochs: 2, batchSize: 32, optimizer: { type: 'adam', learningRate: 0.001 }, seed: 1 });
  modelPath = join(directory, 'mlp.json');
  saveModel(modelPath, model);
});

describe('convlab train', () => {
  it('--json prints one JSON object last, and one seed gives one history', () => {
    const outputs = [1, 2].map(() => execFileSync('node', [bin, 'train', '--model', 'mlp', '--epochs', '1', '--seed', '3', '--json', '--out', join(directory, 'trained.json')], { encoding: 'utf8' }));
    const results = outputs.map((text) => JSON.parse(text.trim().split('\n').pop()!));
    expect(results[0]).toMatchObject({ model: 'mlp', epochs: 1, seed: 3 });
    expect(results[0].testAccuracy).toBeGreaterThan(0.8);
    expect(results[0].testAccuracy).toBeLessThanOrEqual(1);
    expect(results[0].samplesPerSecond).toBeGreaterThan(0);
    expect(Object.keys(results[0].history[0]).sort()).toEqual(['accuracy', 'epoch', 'loss', 'valAccuracy', 'valLoss']);
    expect(results[0].history).toEqual(results[1].history);
    expect(existsSync(join(directory, 'trained.json'))).toBe(true);
  });
  it('Ctrl-C stops after the current batch and writes a whole model file', async () => {
    const out = join(directory, 'interrupted.json');
    const child = spawn('node', [bin, 'train', '--model', 'mlp', '--epochs', '20', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (/epoch 1\/20/.test(stdout) && !child.killed) child.kill('SIGINT');
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stdout).toMatch(/interrupted; stopped after the current batch/);
    expect(code).toBe(130);
    expect(loadModel(out).model.parameterCount).toBe(79510);
    expect(readdirSync(directory).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a bad flag prints one clear line and exits non-zero', () => {
    const result = run('train', '--epochs', 'ten');
    expect(result.status).not.toBe(0);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/--epochs must be an integer ≥ 1 and ≤ 10000, got 'ten'/);
    const unknown = run('train', '--model', 'resnet');
    expect(unknown.status).not.toBe(0);
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('convlab eval and predict', () => {
  it('eval reports the test accuracy of a model file', () => {
    const result = run('eval', '--model', modelPath, '--json');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout.trim().split('\n').pop()!).testAccuracy).toBeGreaterThan(0.85);
  });
  it('predict classifies a PNG of another size, dark ink on white', () => {
    const { test } = loadDigits();
    const index = Array.from(test.labels).indexOf(3);
    const path = join(directory, 'three.png');
    digitPng(test.inputs.subarray(index * 784, (index + 1) * 784), path);
    const result = run('predict', '--model', modelPath, path, '--json');
    expect(result.status).toBe(0);
    const answer = JSON.parse(result.stdout.trim());
    expect(answer.prediction).toBe(3);
    expect(answer.probabilities.reduce((a: number, b: number) => a + b)).toBeCloseTo(1, 5);
  });
  it('a model ending in logits (a PyTorch export): predict shows the logits and their softmax, eval the cross-entropy of that softmax', () => {
    const logitsModel = new URL('../fixtures/onnx/torch-view-opset13.onnx', import.meta.url).pathname;
    const { test } = loadDigits();
    const index = Array.from(test.labels).indexOf(7);
    const path = join(directory, 'seven.png');
    digitPng(test.inputs.subarray(index * 784, (index + 1) * 784), path);
    const text = run('predict', '--model', logitsModel, path);
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/seven.png: \d \(softmax of the logits \d+\.\d%\); the model ends in logits/);
    expect(text.stdout).toMatch(/logit -?\d+\.\d{3}/);
    const json = run('predict', '--model', logitsModel, path, '--json');
    const answer = JSON.parse(json.stdout.trim());
    expect(answer.logits.some((v: number) => v < 0)).toBe(true);
    expect(answer.probabilities.reduce((a: number, b: number) => a + b)).toBeCloseTo(1, 5);
    expect(answer.prediction).toBe(answer.logits.indexOf(Math.max(...answer.logits)));
    const evaluated = run('eval', '--model', logitsModel, '--json');
    expect(evaluated.status, evaluated.stderr).toBe(0);
    const report = JSON.parse(evaluated.stdout.trim().split('\n').pop()!);
    expect(report.outputs).toBe('logits');
    expect(report.loss).toBe('cross-entropy of the softmax of its logits');
    expect(report.testLoss).toBeGreaterThan(0);
    expect(Number.isFinite(report.testLoss)).toBe(true);
    const scaled = run('eval', '--model', logitsModel, '--normalize', '0.1307,0.3081', '--json');
    expect(scaled.status, scaled.stderr).toBe(0);
    expect(JSON.parse(scaled.stdout.trim().split('\n').pop()!).testLoss).not.toBe(report.testLoss);
    expect(run('eval', '--model', logitsModel, '--normalize', '0x1,1').stderr).toMatch(/'0x1,1' is not two decimal numbers mean,std with std > 0/);
    expect(run('eval', '--model', logitsModel, '--normalize', '0.1,0').status).toBe(1);
  });
  it('the input scale travels with the model: export --normalize stores it, eval/predict apply it, ONNX keeps it, train refuses to continue', () => {
    const onnxModel = new URL('../fixtures/onnx/torch-view-opset13.onnx', import.meta.url).pathname;
    const stored = join(directory, 'scaled.json'), storedOnnx = join(directory, 'scaled.onnx');
    const last = (r: { stdout: string; stderr: string; status: number | null }) => { expect(r.status, r.stderr).toBe(0); return JSON.parse(r.stdout.trim().split('\n').pop()!); };
    expect(last(run('export', '--model', onnxModel, '--format', 'convlab', '--normalize', '0.1307,0.3081', '--out', stored, '--json')).inputScale).toEqual({ mean: [0.1307], std: [0.3081] });
    const given = last(run('eval', '--model', onnxModel, '--normalize', '0.1307,0.3081', '--limit', '300', '--json'));
    const plain = last(run('eval', '--model', onnxModel, '--limit', '300', '--json'));
    const fromFile = last(run('eval', '--model', stored, '--limit', '300', '--json'));
    expect(fromFile.inputScale).toEqual({ mean: [0.1307], std: [0.3081], from: 'model file' });
    expect([fromFile.testLoss, fromFile.testAccuracy]).toEqual([given.testLoss, given.testAccuracy]);
    expect(fromFile.testLoss).not.toBe(plain.testLoss);
    // on to ONNX (its metadata) and back: the same figures
    last(run('export', '--model', stored, '--format', 'onnx', '--out', storedOnnx, '--json'));
    expect(last(run('eval', '--model', storedOnnx, '--limit', '300', '--json')).testLoss).toBe(given.testLoss);
    // --normalize given wins over the file's
    const overridden = last(run('eval', '--model', stored, '--normalize', '0,1', '--limit', '300', '--json'));
    expect([overridden.testLoss, overridden.inputScale.from]).toEqual([plain.testLoss, '--normalize']);
    const text = run('eval', '--model', stored, '--limit', '300');
    expect(text.stdout).toMatch(/inputs scaled as \(x − 0.1307\)\/0.3081 \(the model file's input scale\)/);
    const { test } = loadDigits();
    const picture = join(directory, 'scaled-seven.png');
    digitPng(test.inputs.subarray(Array.from(test.labels).indexOf(7) * 784, (Array.from(test.labels).indexOf(7) + 1) * 784), picture);
    const predicted = last(run('predict', '--model', stored, picture, '--json'));
    expect(predicted.inputScale).toEqual({ mean: [0.1307], std: [0.3081] });
    expect(predicted.logits).toEqual(last(run('predict', '--model', onnxModel, picture, '--normalize', '0.1307,0.3081', '--json')).logits);
    const refused = run('train', '--model', stored, '--epochs', '1');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/convlab train: .*scaled.json expects its inputs scaled as \(x − 0.1307\)\/0.3081 \(its input scale\); convlab train feeds the inputs as they are/);
    expect(run('export', '--model', onnxModel, '--format', 'convlab', '--normalize', '1,-2', '--out', join(directory, 'never.json')).stderr).toMatch(/'1,-2' is not two decimal numbers mean,std with std > 0/);
    expect(existsSync(join(directory, 'never.json'))).toBe(false);
  });
  it.each([
    ['a missing model file', ['eval', '--model', 'absent.json'], /model file absent.json does not exist/],
    ['a damaged model file', ['eval', '--model', '__damaged__'], /is not valid JSON/],
    ['a missing image', ['predict', '--model', '__model__', 'absent.png'], /image absent.png does not exist/],
    ['an image that is not a PNG', ['predict', '--model', '__model__', '__notpng__'], /is not a readable PNG/],
  ])('%s prints one clear line and exits non-zero', (_, args, message) => {
    const damaged = join(directory, 'damaged.json'), notPng = join(directory, 'fake.png');
    writeFileSync(damaged, '{"format": "convlab-model", "vers');
    writeFileSync(notPng, 'hello');
    const result = run(...args.map((a) => (a === '__damaged__' ? damaged : a === '__model__' ? modelPath : a === '__notpng__' ? notPng : a)));
    expect(result.status).not.toBe(0);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
  });
});
