// The course lab from the command line, as a real process: the lab presets train (tiny runs), Keras-style epoch
// lines, --history as CSV/JSON/PNG, CIFAR-10 from --data cifar10:DIR (a synthetic folder of the exact format),
// and predict/eval on a colour model with an RGB PNG.
import { describe, it, expect, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { createPreset, fromData, toColorInput, CIFAR10_CLASSES } from '../../core/index.js';
import { saveModel } from '../../core/node.js';

const bin = new URL('../../bin/convlab.js', import.meta.url).pathname;
const directory = mkdtempSync(join(tmpdir(), 'convlab-lab-cli-'));
const run = (...args: string[]) => spawnSync('node', [bin, ...args], { encoding: 'utf8' });
const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').pop()!);

/** A CIFAR-10 folder of the binary format: 6 files of `records` records, record n of file f labelled (n + f) mod 10,
 *  its picture a colour that depends on the label (so a network can learn it). */
function cifarFolder(records: number): string {
  const folder = mkdtempSync(join(tmpdir(), 'convlab-lab-cifar-'));
  const files = ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin', 'test_batch.bin'];
  files.forEach((file, f) => {
    const bytes = new Uint8Array(records * 3073);
    for (let n = 0; n < records; n++) {
      const label = (n + f) % 10, at = n * 3073;
      bytes[at] = label;
      bytes.fill(label * 25, at + 1, at + 1025); // red grows with the label
      bytes.fill(250 - label * 25, at + 1025, at + 2049);
      bytes.fill((n * 37) % 256, at + 2049, at + 3073);
    }
    writeFileSync(join(folder, file), bytes);
  });
  return folder;
}

/** An RGB PNG (colour type 2, no alpha) of a red-to-blue gradient, 48×40. */
function rgbPng(path: string): Uint8Array {
  const png = new PNG({ width: 48, height: 40, colorType: 2, inputColorType: 6 });
  for (let y = 0; y < 40; y++) for (let x = 0; x < 48; x++) png.data.set([Math.round((x * 255) / 47), 90, Math.round((y * 255) / 39), 255], (y * 48 + x) * 4);
  writeFileSync(path, PNG.sync.write(png, { colorType: 2, inputColorType: 6 }));
  return PNG.sync.read(readFileSync(path)).data;
}

let cifar = '';
beforeAll(() => { cifar = cifarFolder(12); });

describe('convlab train on the lab presets', () => {
  it('lab-cnn: Keras-style epoch lines (time, µs/sample, loss, acc, val_loss, val_acc), timing in --json, --history CSV', () => {
    const history = join(directory, 'lab-cnn.csv');
    const result = run('train', '--model', 'lab-cnn', '--epochs', '2', '--limit', '64', '--batch', '16', '--validation-split', '0.25',
      '--threads', '1', '--history', history, '--json');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/lab-cnn, 1199882 parameters, 2 epochs, batch 16/);
    expect(result.stderr).toMatch(/64 training digits, 64 test, 0\.25 of the training data held out for validation/);
    const lines = result.stderr.split('\n').filter((line) => line.startsWith('epoch '));
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^epoch 2\/2 - \d+\.\ds \d+µs\/sample - loss: \d\.\d{4} - acc: \d\.\d{4} - val_loss: \d\.\d{4} - val_acc: \d\.\d{4} - peak memory \d+ MB$/);
    const json = lastJson(result.stdout);
    expect(json.model).toBe('lab-cnn');
    expect(json.timing).toHaveLength(2);
    expect(json.timing[0].seconds).toBeGreaterThan(0);
    // the process's peak so far after each epoch: never falls, and the whole run's peak is at least the last epoch's
    expect(json.timing[0].peakMemoryMB).toBeGreaterThan(0);
    expect(json.timing[1].peakMemoryMB).toBeGreaterThanOrEqual(json.timing[0].peakMemoryMB);
    expect(json.peakMemoryMB).toBeGreaterThanOrEqual(json.timing[1].peakMemoryMB);
    expect(json.timing[0].microsecondsPerSample).toBeCloseTo((json.timing[0].seconds * 1e6) / 48, 3); // 64 − 16 held out
    const csv = readFileSync(history, 'utf8').trim().split('\n');
    expect(csv[0]).toBe('epoch,loss,accuracy,val_loss,val_accuracy,seconds,us_per_sample');
    expect(csv).toHaveLength(3);
    const row = csv[2].split(',').map(Number);
    expect(row.slice(0, 5)).toEqual([2, json.history[1].loss, json.history[1].accuracy, json.history[1].valLoss, json.history[1].valAccuracy]);
    expect(row[5]).toBeCloseTo(json.timing[1].seconds, 9);
  }, 120_000);

  it.each(['lab-mlp-linear', 'lab-mlp-relu', 'lab-cnn-dropout'])('%s trains one tiny epoch and writes its model', (name) => {
    const out = join(directory, `${name}.json`);
    const result = run('train', '--model', name, '--epochs', '1', '--limit', '40', '--batch', '8', '--threads', '1', '--out', out, '--json');
    expect(result.status, result.stderr).toBe(0);
    expect(lastJson(result.stdout)).toMatchObject({ model: name, epochs: 1 });
    expect(existsSync(out)).toBe(true);
  }, 120_000);

  it('--history FILE.json holds Keras\'s history.history lists; FILE.png is a plot', () => {
    const json = join(directory, 'h.json'), png = join(directory, 'h.png');
    for (const file of [json, png]) {
      const result = run('train', '--model', 'lab-mlp-linear', '--epochs', '3', '--limit', '50', '--validation-split', '0.2', '--history', file);
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toContain(`history written to ${file}`);
    }
    const history = JSON.parse(readFileSync(json, 'utf8'));
    expect(history.epoch).toEqual([1, 2, 3]);
    for (const key of ['loss', 'accuracy', 'val_loss', 'val_accuracy', 'seconds', 'us_per_sample']) expect(history[key]).toHaveLength(3);
    expect(history.title).toMatch(/^lab-mlp-linear, seed 1/);
    const image = PNG.sync.read(readFileSync(png));
    expect([image.width, image.height]).toEqual([1100, 460]);
    // both curves are drawn: pixels of the training blue and the validation orange
    const colours = new Set<string>();
    for (let i = 0; i < image.data.length; i += 4) colours.add(image.data.subarray(i, i + 3).join(','));
    expect(colours.has('31,119,180')).toBe(true);
    expect(colours.has('255,127,14')).toBe(true);
  }, 120_000);

  it('refuses a --history name it cannot write before training starts', () => {
    const bad = run('train', '--model', 'lab-cnn', '--history', join(directory, 'history.txt'));
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/--history .*history\.txt: the name must end in \.csv, \.json or \.png/);
    const nowhere = run('train', '--model', 'lab-cnn', '--history', join(directory, 'missing', 'h.csv'));
    expect(nowhere.stderr).toMatch(/the folder .*missing does not exist/);
  });
});

describe('convlab train --data cifar10:DIR', () => {
  it('without the files, says where to get them and what to pass', () => {
    const result = run('train', '--model', 'lab-cifar-cnn');
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/lab-cifar-cnn trains on CIFAR-10, which convlab cannot download.*cifar-10-binary\.tar\.gz.*--data cifar10:cifar-10-batches-bin/);
    const empty = mkdtempSync(join(tmpdir(), 'convlab-lab-empty-'));
    expect(run('train', '--model', 'lab-cifar-cnn', '--data', `cifar10:${empty}`).stderr).toMatch(/lacks data_batch_1\.bin.*test_batch\.bin.*cifar-10-binary\.tar\.gz/);
  });

  it('trains lab-cifar-cnn on a folder of the binary format and writes a model', () => {
    const out = join(directory, 'cifar.json');
    const result = run('train', '--model', 'lab-cifar-cnn', '--data', `cifar10:${cifar}`, '--epochs', '1', '--batch', '8', '--threads', '1', '--out', out, '--json');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/60 CIFAR-10 training pictures, 12 test/);
    expect(lastJson(result.stdout)).toMatchObject({ model: 'lab-cifar-cnn', epochs: 1 });
    expect(existsSync(out)).toBe(true);
  }, 120_000);

  it('predict --data cifar10:DIR classifies the test batch from its bytes: the probabilities are the model\'s on byte / 255', () => {
    const out = join(directory, 'cifar-predict.json');
    saveModel(out, createPreset('lab-cifar-cnn', { seed: 3 }));
    const result = run('predict', '--model', out, '--data', `cifar10:${cifar}`, '--limit', '3', '--json');
    expect(result.status, result.stderr).toBe(0);
    const { predictions } = lastJson(result.stdout) as { predictions: { prediction: number; probability: number; label: number; labelName: string; className: string }[] };
    expect(predictions).toHaveLength(3);
    // the test batch written by cifarFolder: record n is labelled n mod 10 (file 5), its planes filled as above;
    // --limit 3 keeps the first 3 records (loadCifar10's testLimit)
    const model = createPreset('lab-cifar-cnn', { seed: 3 });
    [0, 1, 2].forEach((n, i) => {
      const label = (n + 5) % 10, planes = new Float32Array(3 * 1024);
      planes.fill((label * 25) / 255, 0, 1024); planes.fill((250 - label * 25) / 255, 1024, 2048); planes.fill(((n * 37) % 256) / 255, 2048);
      const expected = Array.from(model.predict(fromData(planes, [3, 32, 32])).data);
      expect(predictions[i].label).toBe(label);
      expect(predictions[i].labelName).toBe(CIFAR10_CLASSES[label]);
      expect(predictions[i].prediction).toBe(expected.indexOf(Math.max(...expected)));
      expect(predictions[i].probability).toBeCloseTo(Math.max(...expected), 6);
      expect(predictions[i].className).toBe(CIFAR10_CLASSES[predictions[i].prediction]);
    });
    const text = run('predict', '--model', out, '--data', `cifar10:${cifar}`, '--limit', '2');
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`^sample 1: \\w+ \\(\\d+\\.\\d%\\)  true: ${CIFAR10_CLASSES[5]}`, 'm'));
  }, 60_000);

  it('refuses data of the wrong shape for the model, and an unknown spec', () => {
    expect(run('train', '--model', 'lab-cnn', '--data', `cifar10:${cifar}`).stderr).toMatch(/lab-cnn takes inputs \[1,28,28\] but cifar10 has \[3,32,32\]/);
    expect(run('train', '--model', 'lab-cifar-cnn', '--data', 'digits').stderr).toMatch(/lab-cifar-cnn takes inputs \[3,32,32\] but digits has \[1,28,28\].*--data cifar10:DIR/);
    expect(run('train', '--model', 'lab-cnn', '--data', 'imagenet').stderr).toMatch(/--data must be 'digits', 'mnist:DIR' \(the four IDX files\), 'cifar10:DIR'.*'folder:DIR'.* or 'csv:FILE' \(a table\), got 'imagenet'/);
  });
});

describe('a colour model from the command line', () => {
  let modelPath = '';
  beforeAll(() => {
    modelPath = join(directory, 'colour.json');
    saveModel(modelPath, createPreset('lab-cifar-cnn', { seed: 4 }));
  });

  it('predict reads an RGB PNG as colour planes and names the CIFAR-10 class', () => {
    const image = join(directory, 'gradient.png');
    const rgba = rgbPng(image);
    const result = run('predict', '--model', modelPath, image, '--json');
    expect(result.status, result.stderr).toBe(0);
    const json = lastJson(result.stdout);
    const expected = Array.from(createPreset('lab-cifar-cnn', { seed: 4 }).predict(fromData(toColorInput(rgba, 48, 40, 32, 32), [3, 32, 32])).data);
    json.probabilities.forEach((p: number, c: number) => expect(p).toBeCloseTo(expected[c], 6));
    expect(json.className).toBe(CIFAR10_CLASSES[json.prediction]);
    const text = run('predict', '--model', modelPath, image);
    expect(text.stdout).toContain(`${image}: ${CIFAR10_CLASSES[json.prediction]} (`);
    expect(text.stdout).toMatch(/^\s+automobile █*\s+\d+\.\d%$/m);
  });

  it('eval needs the CIFAR-10 folder and scores the model on its test batch', () => {
    expect(run('eval', '--model', modelPath).stderr).toMatch(/trains on CIFAR-10, which convlab cannot download.*--data cifar10:/);
    const result = run('eval', '--model', modelPath, '--data', `cifar10:${cifar}`);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/test accuracy \d+\.\d\d% \(\d+\/12\)/);
    expect(result.stdout).toContain('rows: true class');
  });
});

describe('plot axes', () => {
  it('ticks are round steps that enclose the data', async () => {
    const { ticks } = await import('../../core/cli/report.js');
    expect(ticks(0, 0.39, 4)).toEqual([0, 0.1, 0.2, 0.3, 0.4]);
    expect(ticks(0.876, 0.993, 4)).toEqual([0.85, 0.9, 0.95, 1]);
    expect(ticks(0.5, 0.5, 4)).toEqual([0.45, 0.5, 0.55]);
    expect(ticks(0, 2.3, 4)).toEqual([0, 1, 2, 3]);
  });
});
