// The CLI on the user's own data: `--data mnist:DIR` (IDX files written here, plain and gzip, and hostile ones) and
// `--data folder:DIR` (PNG and JPEG pictures written here, one sub-folder per class) and `--data csv:FILE` (the Iris table).
import { describe, it, expect, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadModel } from '../../core/node.js';
import { writeMnistFolder, idxBytes } from '../data/idxFiles.js';
import { writePictureFolder } from '../data/pictureFiles.js';
import { writeIrisCsv, irisCsv } from '../data/csvFiles.js';

const bin = new URL('../../bin/convlab.js', import.meta.url).pathname;
const directory = mkdtempSync(join(tmpdir(), 'convlab-cli-data-'));
const run = (...args: string[]) => spawnSync('node', [bin, ...args], { encoding: 'utf8' });
const lastJson = (text: string) => JSON.parse(text.trim().split('\n').pop()!);

let mnist = '', letters = '';
beforeAll(() => {
  mnist = join(directory, 'mnist'); letters = join(directory, 'letters');
  mkdirSync(mnist); mkdirSync(letters);
  writeMnistFolder(mnist, { train: 50, test: 20, gzip: true });
  writeMnistFolder(letters, { train: 54, test: 27, classes: 27 });
});

describe('convlab train --data mnist:DIR', () => {
  it('trains on the four IDX files (.gz), prints time per epoch and peak memory, and eval scores the model on the test file', () => {
    const out = join(directory, 'idx.json');
    const result = run('train', '--model', 'lab-mlp-linear', '--data', `mnist:${mnist}`, '--epochs', '1', '--out', out, '--json');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/50 training images, 20 test, 10 classes \(IDX files in /);
    expect(result.stderr).toMatch(/epoch 1\/1 - [\d.]+s \d+µs\/sample/);
    expect(result.stderr).toMatch(/peak memory \d+ MB/);
    expect(lastJson(result.stdout).peakMemoryMB).toBeGreaterThan(0);
    const evaluated = run('eval', '--model', out, '--data', `mnist:${mnist}`, '--json');
    expect(evaluated.status, evaluated.stderr).toBe(0);
    expect(lastJson(evaluated.stdout).testAccuracy).toBe(lastJson(result.stdout).testAccuracy);
  }, 60_000);

  it('labels of another class count (EMNIST letters, 1..26) size the output layer from the data', () => {
    const out = join(directory, 'letters.json');
    const result = run('train', '--model', 'lab-mlp-linear', '--data', `mnist:${letters}`, '--epochs', '1', '--out', out);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/27 classes/);
    expect(loadModel(out).model.classes).toBe(27);
    // a 10-output model refuses the 27-class files, naming the file and the label
    const ten = join(directory, 'idx.json');
    expect(run('eval', '--model', ten, '--data', `mnist:${letters}`).stderr).toMatch(/--data mnist: .*train-labels-idx1-ubyte: label \d+ is \d+, outside 0\.\.9/);
  }, 60_000);

  it('refuses a missing folder, a missing file and a damaged one with one line naming it', () => {
    const none = run('train', '--model', 'lab-mlp-linear', '--data', 'mnist:');
    expect(none.stderr).toMatch(/--data mnist: needs a folder; pass the folder holding train-images-idx3-ubyte/);
    const empty = join(directory, 'empty'); mkdirSync(empty);
    const missing = run('train', '--model', 'lab-mlp-linear', '--data', `mnist:${empty}`);
    expect(missing.status).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/--data mnist: .* lacks train-images-idx3-ubyte\[\.gz\], train-labels-idx1-ubyte\[\.gz\]/);
    const bad = join(directory, 'bad'); mkdirSync(bad);
    writeMnistFolder(bad, { train: 10, test: 5 });
    writeFileSync(join(bad, 't10k-labels-idx1-ubyte'), idxBytes([6], new Uint8Array(6)));
    expect(run('train', '--model', 'lab-mlp-linear', '--data', `mnist:${bad}`).stderr).toMatch(/t10k-labels-idx1-ubyte has 6 labels but .*t10k-images-idx3-ubyte has 5 images/);
    writeFileSync(join(bad, 't10k-labels-idx1-ubyte'), gzipSync(idxBytes([5], new Uint8Array(5))).subarray(0, 20));
    expect(run('train', '--model', 'lab-mlp-linear', '--data', `mnist:${bad}`).stderr).toMatch(/t10k-labels-idx1-ubyte is a (truncated|damaged) gzip file/);
    const out = join(directory, 'never.json');
    run('train', '--model', 'lab-mlp-linear', '--data', `mnist:${bad}`, '--out', out);
    expect(existsSync(out)).toBe(false);
  }, 60_000);
});

describe('convlab train --data folder:DIR', () => {
  it('trains on PNG and JPEG pictures in train/ and test/, keeps the class names in the model, and predict and eval print them', () => {
    const root = join(directory, 'shapes'), out = join(directory, 'shapes.json');
    writePictureFolder(root, { perClass: 12, split: true });
    writeFileSync(join(root, 'train', 'disc', 'README.txt'), 'not a picture: skipped');
    const result = run('train', '--model', 'lab-mlp-linear', '--data', `folder:${root}`, '--epochs', '10', '--lr', '0.01', '--out', out, '--json');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/24 training pictures, 6 test, 2 classes \(disc, stripes\) of \[1,28,28\] from .*shapes; skipped 1 entry that is hidden or not .png\/.jpg\/.jpeg \(train\/disc\/README.txt\)/);
    const { training } = loadModel(out);
    expect(training?.classNames).toEqual(['disc', 'stripes']);
    expect((training?.input as { source: string }).source).toBe('folder');
    expect(lastJson(result.stdout).testAccuracy).toBe(1);
    const predicted = run('predict', '--model', out, join(root, 'test', 'stripes', '12.jpg'));
    expect(predicted.status, predicted.stderr).toBe(0);
    expect(predicted.stdout).toMatch(/12.jpg: stripes \(probability \d+\.\d%\)/);
    const evaluated = run('eval', '--model', out, '--data', `folder:${root}`);
    expect(evaluated.status, evaluated.stderr).toBe(0);
    expect(evaluated.stdout).toMatch(/^\s+disc\s+100\.0%\s+\(3\/3\)$/m);
    expect(evaluated.stdout).toMatch(/^\s+stripes\s+100\.0%\s+\(3\/3\)$/m);
  }, 60_000);

  it('refuses an empty class folder, a loose picture, an empty spec and a missing folder, in one line naming it, and writes nothing', () => {
    const root = join(directory, 'holes'), out = join(directory, 'holes.json');
    writePictureFolder(root, { perClass: 2 });
    mkdirSync(join(root, 'empty'));
    const empty = run('train', '--model', 'lab-mlp-linear', '--data', `folder:${root}`, '--out', out);
    expect(empty.status).toBe(1);
    expect(empty.stderr.trim().split('\n')).toHaveLength(1);
    expect(empty.stderr).toMatch(/--data folder: .*holes\/empty holds no pictures \(.png, .jpg or .jpeg\): every class folder needs at least one/);
    expect(existsSync(out)).toBe(false);
    const loose = join(directory, 'loose');
    writePictureFolder(loose, { perClass: 2 });
    writeFileSync(join(loose, 'stray.png'), 'x');
    expect(run('train', '--model', 'lab-mlp-linear', '--data', `folder:${loose}`).stderr).toMatch(/loose\/stray.png is not in a class folder/);
    expect(run('train', '--model', 'lab-mlp-linear', '--data', 'folder:').stderr).toMatch(/--data folder: needs a folder; pass a folder holding one sub-folder of pictures/);
    expect(run('train', '--model', 'lab-mlp-linear', '--data', `folder:${join(directory, 'absent')}`).stderr).toMatch(/absent does not exist/);
  }, 60_000);
});

describe('convlab train --data csv:FILE', () => {
  it('trains the Week-3 network on the Iris table, stores class names and the training part\'s statistics; eval and predict --data use them', () => {
    const file = join(directory, 'iris.csv'), out = join(directory, 'iris.json');
    writeIrisCsv(file);
    const result = run('train', '--model', 'iris', '--data', `csv:${file}`, '--epochs', '60', '--out', out, '--json');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/120 training rows, 30 test \(a seeded 80\/20 split per class\) of .*iris.csv: a header line, 4 features \(sepal.length, sepal.width, petal.length, petal.width\), label column variety with 3 classes \(setosa, versicolor, virginica\); standardised with the training part's mean and spread per feature/);
    expect(lastJson(result.stdout).testAccuracy).toBeGreaterThan(0.85);
    const { training } = loadModel(out);
    expect(training?.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    const input = training?.input as { source: string; features: string[]; label: string; mean: number[]; std: number[] };
    expect(input.source).toBe('csv');
    expect(input.features).toEqual(['sepal.length', 'sepal.width', 'petal.length', 'petal.width']);
    expect(input.label).toBe('variety');
    // computed on the 120 training rows, not all 150: the full table's means (5.843, 3.057, 3.758, 1.199) differ
    const all = [0, 1, 2, 3].map((f) => irisCsv({ header: false, quoted: false }).trim().split('\r\n').reduce((t, line) => t + Number(line.split(',')[f]), 0) / 150);
    expect(input.mean.some((m, f) => Math.abs(m - all[f]) > 1e-3)).toBe(true);
    expect(input.mean.every((m, f) => Math.abs(m - all[f]) < 0.2)).toBe(true);
    const evaluated = run('eval', '--model', out, '--data', `csv:${file}`, '--json');
    expect(evaluated.status, evaluated.stderr).toBe(0);
    expect(lastJson(evaluated.stdout).testAccuracy).toBe(lastJson(result.stdout).testAccuracy);
    expect(lastJson(evaluated.stdout).perClass.map((c: { name: string }) => c.name)).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(lastJson(run('eval', '--model', out, '--data', `csv:${file}`, '--limit', '6', '--json').stdout).perClass.reduce((t: number, c: { samples: number }) => t + c.samples, 0)).toBe(6);
    // rows to predict without the label column: standardised with the stored statistics, named by the stored classes
    const rows = join(directory, 'flowers.csv');
    writeFileSync(rows, 'sepal.length,sepal.width,petal.length,petal.width\n5.1,3.5,1.4,0.2\n6.7,3.0,5.2,2.3\n');
    const predicted = run('predict', '--model', out, '--data', `csv:${rows}`);
    expect(predicted.status, predicted.stderr).toBe(0);
    expect(predicted.stdout).toMatch(/^row 1: setosa \(\d+\.\d%\)$/m);
    expect(predicted.stdout).toMatch(/^row 2: virginica \(\d+\.\d%\)$/m);
    const labelled = run('predict', '--model', out, '--data', `csv:${file}`, '--limit', '3', '--json');
    expect(lastJson(labelled.stdout).predictions.map((p: { labelName: string }) => p.labelName)).toEqual(['setosa', 'setosa', 'setosa']);
  }, 60_000);

  it('csv:TRAIN,TEST trains on one table and tests on the other: statistics from the training table only; other columns or an unknown class refused', () => {
    const lines = irisCsv({ quoted: false }).trim().split('\r\n'), header = lines[0], rows = lines.slice(1);
    const trainRows = rows.filter((_, n) => n % 5 !== 0), testRows = rows.filter((_, n) => n % 5 === 0);
    const train = join(directory, 'iris-train.csv'), test = join(directory, 'iris-test.csv'), out = join(directory, 'iris-two.json');
    writeFileSync(train, [header, ...trainRows].join('\n') + '\n');
    writeFileSync(test, [header, ...testRows].join('\n') + '\n');
    const result = run('train', '--model', 'iris', '--data', `csv:${train},${test}`, '--epochs', '40', '--out', out, '--json');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/120 training rows of .*iris-train.csv, 30 test rows of .*iris-test.csv: a header line, 4 features/);
    const input = loadModel(out).training?.input as { mean: number[]; std: number[] };
    const column = (f: number) => trainRows.map((line) => Number(line.split(',')[f]));
    [0, 1, 2, 3].forEach((f) => {
      const values = column(f), mean = values.reduce((a, b) => a + b, 0) / values.length;
      expect(input.mean[f]).toBeCloseTo(mean, 5);
      expect(input.std[f]).toBeCloseTo(Math.sqrt(values.reduce((t, v) => t + (v - mean) ** 2, 0) / values.length), 5);
    });
    const evaluated = run('eval', '--model', out, '--data', `csv:${train},${test}`, '--json');
    expect(evaluated.status, evaluated.stderr).toBe(0);
    expect(lastJson(evaluated.stdout).testAccuracy).toBe(lastJson(result.stdout).testAccuracy);
    expect(lastJson(evaluated.stdout).perClass.reduce((t: number, c: { samples: number }) => t + c.samples, 0)).toBe(30);
    // predict on the pair classifies the test table's rows
    expect(lastJson(run('predict', '--model', out, '--data', `csv:${train},${test}`, '--json').stdout).predictions).toHaveLength(30);
    const narrow = join(directory, 'iris-narrow.csv'), rose = join(directory, 'iris-rose.csv');
    writeFileSync(narrow, 'sepal.length,sepal.width,petal.length,variety\n5.1,3.5,1.4,setosa\n');
    writeFileSync(rose, `${header}\n5.1,3.5,1.4,0.2,setosa\n5.0,3.0,1.0,0.1,rose\n`);
    const refused = run('train', '--model', 'iris', '--data', `csv:${train},${narrow}`, '--out', join(directory, 'never-two.json'));
    expect(refused.status).toBe(1);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/--data csv: .*iris-narrow.csv has 3 feature columns \(4 on line 1, the label in column 4\) but .*iris-train.csv has 4: the two tables must have the same columns/);
    expect(existsSync(join(directory, 'never-two.json'))).toBe(false);
    expect(run('train', '--model', 'iris', '--data', `csv:${train},${rose}`).stderr).toMatch(/iris-rose.csv has the class 'rose', which the model does not know \(its classes: setosa, versicolor, virginica\)/);
    expect(run('train', '--model', 'iris', '--data', `csv:${train},${test},${rose}`).stderr).toMatch(/is neither a file nor two files TRAIN,TEST/);
  }, 60_000);

  it('--label-column by name; a bad cell, a second header line or a missing column is one line naming it, and nothing is written', () => {
    const file = join(directory, 'first.csv'), out = join(directory, 'never-csv.json');
    writeFileSync(file, 'kind,a,b\n' + Array.from({ length: 20 }, (_, i) => `${i % 2 ? 'odd' : 'even'},${i % 2},${i}`).join('\n') + '\n');
    const model = join(directory, 'tiny.json');
    writeFileSync(model, JSON.stringify([{ type: 'dense', units: 2 }, { type: 'softmax' }]));
    const ok = run('train', '--model', model, '--data', `csv:${file}`, '--label-column', 'kind', '--epochs', '2');
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/2 features \(a, b\), label column kind with 2 classes \(even, odd\)/);
    const bad = join(directory, 'bad.csv');
    writeFileSync(bad, 'a,b,y\n1,2,p\n3,NaN,q\n');
    const refused = run('train', '--model', model, '--data', `csv:${bad}`, '--out', out);
    expect(refused.status).toBe(1);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/--data csv: .*bad.csv, line 3, column 2 \(b\): "NaN" is not a number/);
    expect(existsSync(out)).toBe(false);
    writeFileSync(bad, 'a,b,y\nA,B,Y\n1,2,p\n');
    expect(run('train', '--model', model, '--data', `csv:${bad}`).stderr).toMatch(/bad.csv, line 2, column 1 \(a\): "A" is not a number/);
    expect(run('train', '--model', model, '--data', `csv:${file}`, '--label-column', 'species').stderr).toMatch(/no column is named "species"/);
    expect(run('train', '--model', 'lab-mlp-linear', '--data', 'digits', '--label-column', '2').stderr).toMatch(/--label-column goes with --data csv:FILE/);
    expect(run('train', '--model', 'iris').stderr).toMatch(/trains in its own lab \(exercise 08\) or on a table you give it \(--data csv:iris.csv\)/);
  }, 60_000);
});
