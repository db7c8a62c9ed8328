// The CLI with the user's own network and run: init/summary, train --model FILE (architecture, saved model, ONNX),
// --augment, --checkpoint and --resume (the same weights as a run straight through), eval's per-class accuracy.
import { describe, it, expect, beforeAll } from 'vitest';
import { spawnSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, existsSync, readdirSync, cpSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModel, saveModel } from '../../core/node.js';
import { createPreset, presets } from '../../core/index.js';

const bin = new URL('../../bin/convlab.js', import.meta.url).pathname;
const directory = mkdtempSync(join(tmpdir(), 'convlab-cli-model-'));
const run = (...args: string[]) => spawnSync('node', [bin, ...args], { encoding: 'utf8' });
const lastJson = (text: string) => JSON.parse(text.trim().split('\n').pop()!);
const weights = (path: string) => loadModel(path).model.params().map((p) => Array.from(p.value.data));

describe('convlab init and summary', () => {
  it('init writes the preset\'s layers as a JSON list, one a line, that Sequential takes', () => {
    const out = join(directory, 'lab-cnn.json');
    const result = run('init', '--preset', 'lab-cnn', '--out', out);
    expect(result.status, result.stderr).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(JSON.parse(text)).toEqual(presets['lab-cnn'].layers);
    expect(text.split('\n')).toHaveLength(presets['lab-cnn'].layers.length + 3);
    expect(run('init', '--preset', 'nope', '--out', out).stderr).toMatch(/--preset.*nope.*invalid|Allowed choices/);
  });
  it('summary prints each layer\'s output shape, parameters and multiply-adds (counted by hand here)', () => {
    const result = run('summary', '--model', join(directory, 'lab-cnn.json'), '--json');
    expect(result.status, result.stderr).toBe(0);
    const summary = lastJson(result.stdout);
    // conv 32 3×3 on 1×28×28 → 32×26×26: 32·26·26 outputs × 1·3·3 products; conv 64 3×3 → 64×24×24 × 32·3·3; dense 9216→128, 128→10
    expect(summary.rows.map((r: { multiplyAdds: number }) => r.multiplyAdds)).toEqual([32 * 26 * 26 * 9, 0, 64 * 24 * 24 * 32 * 9, 0, 0, 0, 9216 * 128, 0, 128 * 10, 0]);
    expect(summary.rows.map((r: { parameters: number }) => r.parameters)).toEqual([32 * 9 + 32, 0, 64 * 32 * 9 + 64, 0, 0, 0, 9216 * 128 + 128, 0, 1290, 0]);
    expect(summary.rows[4].outputShape).toEqual([64, 12, 12]);
    // float32 outputs per sample, 4 bytes each: conv 32×26×26, its ReLU, conv 64×24×24, its ReLU, pool 64×12×12, flatten 9216, dense 128, ReLU, dense 10, softmax
    expect(summary.rows.map((r: { activationBytes: number }) => r.activationBytes)).toEqual([21632, 21632, 36864, 36864, 9216, 9216, 128, 128, 10, 10].map((v) => 4 * v));
    expect(summary.parameters).toBe(createPreset('lab-cnn').parameterCount);
    const text = run('summary', '--model', 'lab-cifar-cnn').stdout;
    expect(text).toMatch(/^0\s+conv 3×3×32 pad same\s+\[32, 32, 32\]\s+896\s+884,736\s+131,072$/m); // 32·32·32 float32 values
    expect(text).toMatch(/parameters: 624,106 {3}multiply-adds per sample: /);
    expect(run('summary', '--model', join(directory, 'lab-cnn.json'), '--input-shape', '3,32,32').stdout).toMatch(/conv 3×3×32\s+\[32, 30, 30\]\s+896/);
  });
  it('refuses a --model that is neither a preset nor a file, and an architecture that cannot be built, naming the layer', () => {
    expect(run('summary', '--model', 'nothing-here').stderr).toMatch(/--model 'nothing-here' is neither a preset \(mlp, cnn/);
    const bad = join(directory, 'bad-arch.json');
    writeFileSync(bad, JSON.stringify([{ type: 'flatten' }, { type: 'dense', units: -3 }]));
    expect(run('train', '--model', bad, '--epochs', '1').stderr).toMatch(/convlab train: .*bad-arch\.json: Sequential: layer 1 \(dense\)/);
    writeFileSync(bad, JSON.stringify([{ type: 'flatten' }, { type: 'dense', units: 7 }, { type: 'softmax' }]));
    expect(run('train', '--model', bad, '--epochs', '1').stderr).toMatch(/has 7 outputs but the data has 10 classes; make the last dense layer's units 10/);
  });
});

describe('convlab train --model FILE', () => {
  it('trains an architecture file and stores what eval and predict need', () => {
    const arch = join(directory, 'linear.json'), out = join(directory, 'linear-trained.json');
    run('init', '--preset', 'lab-mlp-linear', '--out', arch);
    const result = run('train', '--model', arch, '--epochs', '1', '--limit', '400', '--out', out, '--json');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/linear\.json, 7850 parameters, 1 epochs, batch 32, adam lr 0\.001/);
    const evaluated = run('eval', '--model', out);
    expect(evaluated.status, evaluated.stderr).toBe(0);
    expect(evaluated.stdout).toMatch(/per class:\n\s+0\s+\d+\.\d%\s+\(\d+\/200\)/);
    const json = lastJson(run('eval', '--model', out, '--json').stdout);
    expect(json.perClass).toHaveLength(10);
    expect(json.perClass.reduce((t: number, r: { correct: number }) => t + r.correct, 0) / 2000).toBeCloseTo(json.testAccuracy, 10);
  }, 60_000);
  it('a saved model continues from its weights (a vanishing learning rate leaves them as they were)', () => {
    const saved = join(directory, 'saved.json'), out = join(directory, 'continued.json');
    saveModel(saved, createPreset('lab-mlp-linear', { seed: 9 }), { preset: 'lab-mlp-linear' });
    const result = run('train', '--model', saved, '--epochs', '1', '--limit', '100', '--optimizer', 'sgd', '--lr', '1e-30', '--out', out);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/continuing from the weights in .*saved\.json/);
    // (zero biases take the 1e-31 steps; nothing else can move)
    const before = weights(saved).flat(), after = weights(out).flat();
    expect(after.length).toBe(before.length);
    expect(Math.max(...after.map((v, i) => Math.abs(v - before[i])))).toBeLessThan(1e-25);
    // with a real rate it moves away from them, and differs from a fresh preset's start
    run('train', '--model', saved, '--epochs', '1', '--limit', '100', '--out', out);
    expect(weights(out)).not.toEqual(weights(saved));
  }, 60_000);
  it('an imported ONNX model trains too', () => {
    const saved = join(directory, 'to-onnx.json'), onnx = join(directory, 'model.onnx'), out = join(directory, 'from-onnx.json');
    saveModel(saved, createPreset('lab-mlp-relu', { seed: 2 }));
    expect(run('export', '--model', saved, '--format', 'onnx', '--out', onnx).status).toBe(0);
    const result = run('train', '--model', onnx, '--epochs', '1', '--limit', '100', '--out', out, '--json');
    expect(result.status, result.stderr).toBe(0);
    expect(loadModel(out).model.parameterCount).toBe(createPreset('lab-mlp-relu').parameterCount);
  }, 60_000);
});

describe('--augment', () => {
  it('none, --no-augment and a list are taken; anything else is refused before training', () => {
    expect(run('train', '--model', 'lab-mlp-linear', '--epochs', '1', '--limit', '50', '--augment', 'none').stdout).toMatch(/distortions: none/);
    expect(run('train', '--model', 'lab-cnn', '--epochs', '1', '--limit', '20', '--no-augment', '--threads', '1').stdout).toMatch(/distortions: none/);
    expect(run('train', '--model', 'lab-cnn', '--epochs', '1', '--limit', '20', '--threads', '1').stdout).toMatch(/distortions: shift 1\.5, rotate 10, scale 0\.1/);
    expect(run('train', '--model', 'lab-mlp-linear', '--epochs', '1', '--limit', '50', '--augment', 'shift=2,rotate').stdout).toMatch(/distortions: shift 2, rotate 10/);
    expect(run('train', '--model', 'lab-mlp-linear', '--augment', 'flip').stderr).toMatch(/--augment takes 'none' or a comma list of shift\[=pixels\], rotate\[=degrees\], scale\[=fraction\], got 'flip'/);
    expect(run('train', '--model', 'lab-mlp-linear', '--augment', 'scale=1.5').stderr).toMatch(/scale must be below 1/);
  }, 60_000);
});

describe('--checkpoint and --resume', () => {
  const settings = ['--model', 'lab-cnn', '--limit', '120', '--validation-split', '0.25', '--batch', '16', '--seed', '5'];
  let straight = '', peakMB = 0;
  beforeAll(() => {
    straight = join(directory, 'straight');
    // measured on the child (/usr/bin/time), with the JavaScript heap capped at 128 MB: the checkpoints once took ~400 MB
    // of heap each (base64 built by +=), and a 12-epoch run on 60,000 images peaked at 1.27 GB
    const result = spawnSync('/usr/bin/time', ['-f', 'peak %M KB', 'node', '--max-old-space-size=128', bin, 'train', ...settings, '--epochs', '3',
      '--checkpoint', straight, '--history', join(directory, 'straight.csv'), '--out', join(directory, 'straight.json')], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    peakMB = Number(/peak (\d+) KB/.exec(result.stderr)?.[1]) / 1024;
  }, 120_000);

  it('three epochs with checkpoints and a history fit in a 128 MB heap and a bounded peak (once 1,070 MB, and out of heap at 128 MB)', () => {
    expect(peakMB).toBeGreaterThan(0);
    expect(peakMB).toBeLessThan(600);
  });

  it('writes the model after every epoch and marks the best by validation loss', () => {
    expect(readdirSync(straight).sort()).toEqual(expect.arrayContaining(['best.json', 'epoch-0001.json', 'epoch-0002.json', 'epoch-0003.json']));
    const history = [1, 2, 3].map((e) => loadModel(join(straight, `epoch-000${e}.json`)).training!.checkpoint as { state: { history: { valLoss: number }[] }; best: boolean });
    const losses = history[2].state.history.map((h) => h.valLoss);
    const bestEpoch = losses.indexOf(Math.min(...losses)) + 1;
    expect(weights(join(straight, 'best.json'))).toEqual(weights(join(straight, `epoch-000${bestEpoch}.json`)));
    expect(weights(join(straight, 'epoch-0003.json'))).toEqual(weights(join(directory, 'straight.json')));
  });

  it('a run stopped by Ctrl-C and resumed gives the same weights, bit for bit, as the run straight through', async () => {
    const resumed = join(directory, 'resumed');
    const child = spawn('node', [bin, 'train', ...settings, '--epochs', '3', '--checkpoint', resumed], { stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve) => {
      let text = '';
      child.stdout.on('data', (chunk) => { text += chunk; if (/checkpoint .*epoch-0001/.test(text)) { child.kill('SIGINT'); resolve(); } });
    });
    await new Promise((resolve) => child.on('close', resolve));
    expect(existsSync(join(resumed, 'epoch-0003.json'))).toBe(false);
    const result = run('train', ...settings, '--epochs', '3', '--checkpoint', resumed, '--resume', '--out', join(directory, 'resumed.json'));
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/resuming from .*epoch-000[12]\.json \(epoch [12] of 3\)/);
    expect(weights(join(directory, 'resumed.json'))).toEqual(weights(join(directory, 'straight.json')));
  }, 120_000);

  it('refuses to resume with other settings, without checkpoints, or past the end', () => {
    const copy = join(directory, 'copy'); mkdirSync(copy);
    cpSync(join(straight, 'epoch-0001.json'), join(copy, 'epoch-0001.json'));
    expect(run('train', ...settings.slice(0, -1), '6', '--epochs', '3', '--checkpoint', copy, '--resume').stderr)
      .toMatch(/--resume: .*epoch-0001\.json was trained with seed 5, this run has 6; resuming gives the same result only with the same settings/);
    expect(run('train', ...settings, '--epochs', '3', '--checkpoint', copy, '--resume', '--no-augment').stderr).toMatch(/was trained with augment \{"shift":1\.5.*this run has null/);
    const empty = join(directory, 'empty-ck'); mkdirSync(empty);
    expect(run('train', ...settings, '--epochs', '3', '--checkpoint', empty, '--resume').stderr).toMatch(/holds no checkpoint \(epoch-NNNN\.json\)/);
    expect(run('train', ...settings, '--epochs', '3', '--resume').stderr).toMatch(/--resume needs --checkpoint DIR/);
    expect(run('train', ...settings, '--epochs', '3', '--checkpoint', straight, '--resume').stderr).toMatch(/epoch 3 of a run of 3: nothing left to train/);
    const file = join(directory, 'a-file'); writeFileSync(file, 'x');
    expect(run('train', ...settings, '--checkpoint', file).stderr).toMatch(/--checkpoint .*a-file is not a folder/);
  }, 60_000);
});
