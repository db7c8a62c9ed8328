// The training page as the lab's bench in Chromium (#21 knobs, #19 own data): each knob is a link setting that
// round-trips and is clamped with a notice, and reaches the trainer (the worker's report of what it handed the
// trainer is shown); the distortion strip is core's own warp; the learning curve trains five sizes and plots them on
// a log axis; the own-data picker trains on IDX files made here (gz and plain), on a folder of PNG/JPEG pictures and
// on CSV tables (one, or a training and a test table), and refuses hostile ones by name.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, writeFileSync, mkdtempSync, mkdirSync } from 'node:fs';
import { gzipSync, deflateSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { seeded, warpSamples } from '../../core/index.js';
import { drawDistortion } from '../../core/data/augment.js';
import { ink } from '../../viz/src/lib/color.js';
import { augmentationFor } from '../../viz/src/lib/training.js';
import { CHOICES } from '../../viz/src/lib/route.js';
import { e2e, openPage, repository, shots, audit, canvasText, type App } from './harness.js';
import { craftPng } from '../io/png.js';
import { writePictureFolder, pngBytes, shape } from '../data/pictureFiles.js';
import { irisCsv } from '../data/csvFiles.js';

const PIXELS = 784, TRAIN = 8000, TEST = 2000;

/** An IDX file: magic 0 0 8 rank, big-endian dimensions, the bytes. */
function idx(dims: number[], data: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  out.set([0, 0, 8, dims.length]);
  const view = new DataView(out.buffer);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}

async function setUp(page: Page, preset: string, epochs = '1') {
  await page.getByLabel('network').selectOption(preset);
  await page.getByLabel('epochs').fill(epochs);
  await page.getByLabel('threads').selectOption('1');
}

describe.skipIf(e2e.skip)('the training page as the lab\'s bench', () => {
  let app: App, page: Page, base = '', digits: Uint8Array, folder = '';
  /** The four IDX files of `train` and `test` digits taken evenly from digits.bin, images gzipped, labels plain. */
  function makeIdx(name: string, trainCount: number, testCount: number, damage: (files: Record<string, Uint8Array>) => void = () => {}): string[] {
    const pick = (start: number, of: number, count: number) => Array.from({ length: count }, (_, i) => start + Math.floor((i * of) / count));
    const images = (indices: number[]) => idx([indices.length, 28, 28], Uint8Array.from(indices.flatMap((n) => Array.from(digits.subarray(n * PIXELS, (n + 1) * PIXELS)))));
    const labels = (indices: number[]) => idx([indices.length], Uint8Array.from(indices, (n) => digits[(TRAIN + TEST) * PIXELS + n]));
    const train = pick(0, TRAIN, trainCount), test = pick(TRAIN, TEST, testCount);
    const files: Record<string, Uint8Array> = {
      'train-images-idx3-ubyte.gz': images(train), 'train-labels-idx1-ubyte': labels(train),
      't10k-images-idx3-ubyte.gz': images(test), 't10k-labels-idx1-ubyte': labels(test),
    };
    damage(files);
    const dir = mkdtempSync(`${folder}/${name}-`);
    return Object.entries(files).map(([file, bytes]) => {
      writeFileSync(`${dir}/${file}`, file.endsWith('.gz') ? gzipSync(bytes) : bytes);
      return `${dir}/${file}`;
    });
  }

  beforeAll(async () => {
    app = await openPage();
    ({ page, base } = app);
    digits = new Uint8Array(readFileSync(`${repository}viz/public/data/digits.bin`)); // written by the build
    folder = mkdtempSync('/tmp/convlab-bench-');
  });
  afterAll(async () => { await app?.close(); });

  it('knobs: a link sets them, out-of-range values are snapped with a notice, a change writes the link, and the trainer gets them', async () => {
    await page.goto(`${base}#view=train&val=0.9&dropout=0.33&augment=maybe`);
    for (const text of ['val=0.9 is not offered', 'dropout=0.33 is not offered', 'augment=maybe is not one of on, off']) {
      await page.getByTestId('notice').filter({ hasText: text }).waitFor({ timeout: 10_000 });
    }
    expect(await page.getByTestId('knob-val').inputValue()).toBe(String(Math.max(...CHOICES.validation)));
    expect(await page.getByTestId('split-counts').textContent()).toBe('4,000 digits to train on, 4,000 to validate on.');
    // a change writes the link; the link opened afresh sets the form
    await page.getByTestId('knob-val').selectOption('0.2');
    await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/val=0\.2/);
    expect(await page.getByTestId('split-counts').textContent()).toBe('6,400 digits to train on, 1,600 to validate on.');
    await setUp(page, 'lab-cnn-dropout');
    await page.getByTestId('knob-dropout').selectOption('0');
    await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/dropout=0(&|$)/);
    await page.getByTestId('knob-augment').uncheck();
    await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/augment=off/);
    expect(await page.getByTestId('augment-strip').count()).toBe(0);
    const link = await page.evaluate(() => location.hash);
    expect(new URLSearchParams(link.slice(1)).get('net')).toBe('lab-cnn-dropout');
    await page.goto('about:blank');
    await page.goto(`${base}${link}`);
    await page.getByTestId('knob-val').waitFor();
    expect(await page.getByLabel('network').inputValue()).toBe('lab-cnn-dropout');
    expect(await page.getByTestId('knob-val').inputValue()).toBe('0.2');
    expect(await page.getByTestId('knob-augment').isChecked()).toBe(false);
    expect(await page.getByTestId('knob-dropout').inputValue()).toBe('0');
    // the worker says what it handed the trainer: the split's counts, no distortions, the dropout rates
    await page.getByLabel('epochs').fill('1');
    await page.getByLabel('threads').selectOption('1');
    await page.getByTestId('train-start').click();
    await page.getByTestId('trainer-facts').waitFor({ timeout: 30_000 });
    await page.getByTestId('train-stop').click();
    expect((await page.getByTestId('trainer-facts').textContent())!.replace(/\s+/g, ' ')).toMatch(/the digits: trained on 6,400, validated on 1,600, tested on 2,000 · distortions off · dropout rates 0, 0/);
    await expect.poll(() => page.getByTestId('train-start').isEnabled(), { timeout: 60_000 }).toBe(true);
    // the network's own rates again, distortions on: the form says so (the worker is handed the same settings object)
    await page.getByTestId('knob-dropout').selectOption('');
    await expect.poll(() => page.evaluate(() => location.hash)).not.toMatch(/dropout=/);
    await page.getByTestId('knob-augment').check();
    await page.getByTestId('augment-strip').waitFor();
    expect(app.errors).toEqual([]);
  });

  it('the distortion strip is core\'s warp of the training digits, drawn from the run\'s seed', async () => {
    await page.goto(`${base}#view=train&augment=on`);
    await setUp(page, 'cnn');
    const strip = page.getByTestId('augment-strip');
    await strip.locator('canvas').nth(15).waitFor();
    const augment = augmentationFor('cnn', true)!;
    const params = new Float64Array(32), source = new Float32Array(8 * PIXELS), target = new Float32Array(8 * PIXELS);
    const random = seeded(1);
    for (let i = 0; i < 8; i++) {
      source.set(Float32Array.from(digits.subarray(i * 1000 * PIXELS, (i * 1000 + 1) * PIXELS), (v) => v / 255), i * PIXELS);
      drawDistortion(params, i, augment, random);
    }
    warpSamples(target, source, params, 8, [1, 28, 28]);
    const drawn = await strip.locator('canvas').evaluateAll((canvases) => canvases.map((c) => {
      const data = (c as HTMLCanvasElement).getContext('2d')!.getImageData(0, 0, 56, 56).data;
      return Array.from({ length: 784 }, (_, p) => data[((Math.floor(p / 28) * 2 + 1) * 56 + (p % 28) * 2 + 1) * 4]);
    }));
    let worst = 0, moved = 0;
    for (let i = 0; i < 8; i++) for (let p = 0; p < PIXELS; p++) {
      worst = Math.max(worst, Math.abs(drawn[8 + i][p] - ink(target[i * PIXELS + p])[0]), Math.abs(drawn[i][p] - ink(source[i * PIXELS + p])[0]));
      if (drawn[8 + i][p] !== drawn[i][p]) moved++;
    }
    expect(worst).toBeLessThanOrEqual(1);
    expect(moved).toBeGreaterThan(500);
    expect(app.errors).toEqual([]);
  });

  it('the learning curve trains 500 … 8,000 digits, keeps each run and plots train and validation accuracy on a log axis', async () => {
    await page.goto(`${base}#view=train&val=0.1`);
    await setUp(page, 'lab-mlp-linear');
    await page.getByTestId('learning-curve').click();
    await expect.poll(() => page.getByTestId('curve-row').count(), { timeout: 120_000 }).toBe(5);
    await expect.poll(() => page.getByTestId('curve-progress').textContent(), { timeout: 30_000 }).toBe('');
    const cells = await page.getByTestId('curve-row').evaluateAll((trs) => trs.map((tr) => Array.from(tr.children, (c) => c.textContent!.trim())));
    expect(cells.map((c) => c.slice(0, 3))).toEqual([['500', '450', '50'], ['1,000', '900', '100'], ['2,000', '1,800', '200'], ['4,000', '3,600', '400'], ['8,000', '7,200', '800']]);
    const validation = cells.map((c) => Number(c[4].replace('%', '')));
    expect(validation[4]).toBeGreaterThan(validation[0]); // more data, better on unseen digits
    expect(await page.getByTestId('runs-row').count()).toBeGreaterThanOrEqual(5);
    // uPlot draws its ticks on a canvas (recorded as drawn, harness.ts): the log x axis prints its decades, nothing else
    expect(await page.getByTestId('curve').locator('.u-legend .u-label').allTextContents()).toEqual(expect.arrayContaining(['train', 'validation']));
    const drawn = await canvasText(page, '[data-testid="chart-accuracy against training-set size"]');
    const xTicks = drawn.filter((t) => t.align === 'center' && !/digits|accuracy/.test(t.text)).map((t) => t.text);
    expect(xTicks).toEqual(['100', '1,000', '10,000']);
    const yTicks = drawn.filter((t) => t.align === 'right').map((t) => t.text);
    expect(yTicks.length).toBeGreaterThanOrEqual(2);
    for (const tick of yTicks) expect(tick).toMatch(/^[01]\.\d+$/); // accuracies, with the decimals their spacing needs
    // after one epoch validation can sit above training: the page says why when a row shows it (test/viz/training.test.ts)
    const above = cells.some((c) => Number(c[4].replace('%', '')) > Number(c[3].replace('%', '')));
    expect(await page.getByTestId('curve-note').count()).toBe(above ? 1 : 0);
    if (above) expect(await page.getByTestId('curve-note').textContent()).toMatch(/^Validation above training\? The training accuracy \(as Keras prints it\) is the average over the epoch's batches/);
    if (above) expect(await page.getByTestId('epoch-note').count()).toBe(1); // the epoch charts overlay these runs
    // every chart fits its box: none is cut off at the right (four charts in a row once were, drawn before the row filled)
    expect(await page.$$eval('figure.panel', (all) => all.filter((f) => f.scrollWidth > f.clientWidth + 1).map((f) => f.textContent?.slice(0, 40)))).toEqual([]);
    await page.screenshot({ path: `${shots}/train-bench-1280.png`, fullPage: true });
    expect(await audit(page)).toEqual([]);
    expect(app.errors).toEqual([]);
  });

  it('own data: four IDX files (gz and plain) train with the page\'s progress and results; hostile files are refused by name', async () => {
    await page.goto(`${base}#view=train`);
    await setUp(page, 'lab-mlp-linear');
    const input = page.getByTestId('own-data-input');
    const refused = async (paths: string[], message: RegExp) => {
      await input.setInputFiles(paths);
      await expect.poll(() => page.getByTestId('own-data-error').textContent(), { timeout: 10_000 }).toMatch(message);
    };
    await refused(makeIdx('magic', 300, 100, (f) => { f['train-images-idx3-ubyte.gz'][0] = 0x50; }),
      /^train-images-idx3-ubyte\.gz is not an IDX file: its magic number starts 0x50 0x00/);
    await refused(makeIdx('counts', 300, 100, (f) => { f['t10k-labels-idx1-ubyte'] = f['t10k-labels-idx1-ubyte'].slice(0, 8 + 99); new DataView(f['t10k-labels-idx1-ubyte'].buffer).setUint32(4, 99, false); }),
      /^t10k-labels-idx1-ubyte has 99 labels but t10k-images-idx3-ubyte\.gz has 100 images/);
    await refused(makeIdx('truncated', 300, 100, (f) => { f['train-labels-idx1-ubyte'] = f['train-labels-idx1-ubyte'].slice(0, 200); }), /^train-labels-idx1-ubyte is truncated: 200 bytes/);
    await refused(makeIdx('label', 300, 100, (f) => { f['train-labels-idx1-ubyte'][8 + 7] = 12; }), /^train-labels-idx1-ubyte: label 7 is 12, outside 0\.\.9/);
    await refused(makeIdx('three', 300, 100).slice(0, 3), /^missing: the test labels \(t10k-labels-idx1-ubyte\)/);
    expect(await page.getByTestId('own-data').count()).toBe(0);
    await input.setInputFiles(makeIdx('good', 3000, 500));
    await page.getByTestId('own-data').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('own-data').textContent()).toMatch(/your data: 3,000 training and 500 test pictures/);
    expect(await page.getByTestId('own-data-error').count()).toBe(0);
    expect(await page.getByTestId('split-counts').textContent()).toBe('2,700 digits to train on, 300 to validate on.');
    await page.getByTestId('train-start').click();
    await page.getByTestId('test-accuracy').waitFor({ timeout: 60_000 });
    expect((await page.getByTestId('trainer-facts').textContent())!.replace(/\s+/g, ' ')).toMatch(/^your data: trained on 2,700, validated on 300, tested on 500/);
    expect(Number(/([\d.]+)%/.exec((await page.getByTestId('test-accuracy').textContent())!)![1])).toBeGreaterThan(70);
    expect(await page.getByTestId('confusion').locator('td').evaluateAll((tds) => tds.reduce((sum, td) => sum + (Number(td.textContent) || 0), 0))).toBe(500);
    await page.screenshot({ path: `${shots}/train-own-data-1280.png`, fullPage: true });
    expect(await audit(page)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: `${shots}/train-bench-390.png`, fullPage: true });
    expect(await audit(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(app.errors).toEqual([]);
  });

  it('own data: a folder of pictures and CSV tables train with their class names kept in the model file; hostile ones are refused by name', async () => {
    await page.goto(`${base}#view=train`);
    await setUp(page, 'lab-mlp-linear', '2');
    // the bench keeps own data across pages: the IDX files of the test before are let go first
    if (await page.getByTestId('own-data').count()) await page.getByRole('button', { name: 'use the bundled digits again' }).click();
    const folderInput = page.getByTestId('own-folder-input'), fileInput = page.getByTestId('own-data-input');
    const refused = async (input: typeof folderInput, paths: string | string[], message: RegExp) => {
      await input.setInputFiles(paths);
      await expect.poll(() => page.getByTestId('own-data-error').textContent(), { timeout: 10_000 }).toMatch(message);
    };
    const pictures = (name: string, damage: (dir: string) => void = () => {}) => {
      const dir = mkdtempSync(`${folder}/${name}-`);
      writePictureFolder(`${dir}/shapes`, { perClass: 30, size: 40 });
      damage(`${dir}/shapes`);
      return `${dir}/shapes`;
    };
    // hostile folders: each refused with one line naming the entry, before (or instead of) training
    await refused(folderInput, pictures('empty', (d) => { mkdirSync(`${d}/rings`); writeFileSync(`${d}/rings/notes.txt`, 'no pictures'); }),
      /^shapes\/rings holds no pictures \(\.png, \.jpg or \.jpeg\): every class folder needs at least one/);
    await refused(folderInput, pictures('text', (d) => writeFileSync(`${d}/disc/fake.png`, 'this is text, not a picture')), /^shapes\/disc\/fake\.png is not an image convlab reads: PNG, GIF, JPEG, WebP or BMP/);
    await refused(folderInput, pictures('cut', (d) => writeFileSync(`${d}/disc/cut.png`, pngBytes(40, 40, shape(0, 1, 40)).slice(0, 60))),
      /^shapes\/disc\/cut\.png is not a readable PNG \(the browser cannot decode it/);
    await refused(folderInput, pictures('deep', (d) => { mkdirSync(`${d}/disc/more`); writeFileSync(`${d}/disc/more/a.png`, pngBytes(40, 40, shape(0, 1, 40))); }),
      /^shapes\/disc\/more is a folder inside the class folder shapes\/disc/);
    await refused(folderInput, pictures('big', (d) => writeFileSync(`${d}/disc/huge.png`, new Uint8Array(17 * 1024 * 1024))),
      /^shapes\/disc\/huge\.png is 17,825,792 bytes, more than the limit of 16,777,216 bytes for a picture/);
    // #25: 257 PNGs of 4 KB each declaring 2048×2048 are refused from their headers before the browser decodes any
    const bomb = craftPng(2048, 2048, 8, 0, 0, deflateSync(Buffer.alloc(2048 * 2049), { level: 9 }));
    await refused(folderInput, pictures('timebomb', (d) => { for (let i = 0; i < 257; i++) writeFileSync(`${d}/${i % 2 ? 'disc' : 'stripes'}/bomb${i}.png`, bomb); }),
      /^shapes: its first \d+ pictures already hold [\d,]+ pixels, more than the limit of 1,073,741,824 for a folder/);
    expect(await page.getByTestId('own-data').count()).toBe(0);
    // a good folder: 2 classes × 30 pictures of 40×40 (every fourth a JPEG), split 48/12 per class with seed 1
    await folderInput.setInputFiles(pictures('good'));
    await page.getByTestId('own-data').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('own-data').textContent()).toMatch(/your data: 48 training and 12 test pictures \(a seeded 80\/20 split per class\) from the folder shapes, 2 classes \(disc, stripes\), as 28×28 grey \(the networks on this page take 28×28 grey pictures\)/);
    expect(await page.getByText('each made 28×28 grey, because every network on this page takes 28×28 grey pictures').count()).toBe(1);
    expect(await page.getByTestId('split-counts').textContent()).toMatch(/^43 pictures to train on, 5 to validate on/);
    await page.getByTestId('train-start').click();
    await expect.poll(() => page.getByTestId('train-progress').textContent(), { timeout: 60_000 }).toMatch(/^(done|failed)/);
    expect(await page.getByTestId('train-progress').textContent()).toMatch(/^done/);
    expect((await page.getByTestId('trainer-facts').textContent())!.replace(/\s+/g, ' ')).toMatch(/^your data: trained on 43, validated on 5, tested on 12/);
    const confusion = page.getByTestId('confusion');
    expect(await confusion.locator('th[scope="col"]').allTextContents()).toEqual(['disc', 'stripes']);
    // the live class map names the data it shows and its classes (not "test digits" 0–9)
    expect((await page.getByTestId('live-projection-what').textContent())!.replace(/\s+/g, ' ')).toMatch(/^12 test pictures of the folder shapes at layer \d+ \(the flattened pixels, 784 numbers per picture\)/);
    expect(await page.getByTestId('live-projection-fixed').textContent()).toMatch(/of the test pictures of the folder shapes as they are/);
    expect(await page.getByTestId('live-projection-classes').textContent()).toBe('discstripes');
    expect(await page.getByTestId('live-projection').textContent()).not.toMatch(/digit/);
    expect(await confusion.locator('td').evaluateAll((tds) => tds.reduce((sum, td) => sum + (Number(td.textContent) || 0), 0))).toBe(12);
    // the downloaded model keeps the class names and the folder rule, as `convlab train --data folder:` writes them
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-convlab').click()]);
    await download.saveAs(`${folder}/folder-model.json`);
    const saved = JSON.parse(readFileSync(`${folder}/folder-model.json`, 'utf8'));
    expect(saved.training.classNames).toEqual(['disc', 'stripes']);
    expect(saved.training.input.source).toBe('folder');
    expect(saved.layers.filter((l: { type: string }) => l.type === 'dense').at(-1).units).toBe(2);
    await page.screenshot({ path: `${shots}/train-own-folder-1280.png`, fullPage: true });
    expect(await audit(page)).toEqual([]);

    // tables: the Iris CSV trains the Week-3 network sized by it; hostile tables refused naming line and column
    const tables = mkdtempSync(`${folder}/tables-`);
    const lines = irisCsv({ quoted: false }).trim().split('\r\n');
    writeFileSync(`${tables}/iris.csv`, irisCsv());
    writeFileSync(`${tables}/bad.csv`, `${lines[0]}\n5.1,3.5,1.4,0.2,setosa\n4.9,NaN,1.4,0.2,setosa\n`);
    writeFileSync(`${tables}/iris-train.csv`, [lines[0], ...lines.slice(1).filter((_, n) => n % 5 !== 0)].join('\n'));
    writeFileSync(`${tables}/iris-test.csv`, [lines[0], ...lines.slice(1).filter((_, n) => n % 5 === 0)].join('\n'));
    writeFileSync(`${tables}/other.csv`, lines.join('\n'));
    await refused(fileInput, `${tables}/bad.csv`, /^bad\.csv, line 3, column 2 \(sepal\.width\): "NaN" is not a number/);
    await refused(fileInput, [`${tables}/iris.csv`, `${tables}/other.csv`], /^iris\.csv and other\.csv: name the test table so its name says "test"/);
    // the label column (#19): with the label first, the last column is taken as the label (core's rule) and the first
    // holds text; choosing column 1 reads it as --label-column 1 does
    const labelFirst = (line: string) => { const cells = line.split(','); return [cells.at(-1), ...cells.slice(0, -1)].join(','); };
    writeFileSync(`${tables}/iris-label-first.csv`, lines.map(labelFirst).join('\n'));
    await refused(fileInput, `${tables}/iris-label-first.csv`, /^iris-label-first\.csv, line 2, column 1 \(variety\): "setosa" is not a number/);
    const labelColumn = page.getByTestId('own-label-column');
    expect(await labelColumn.locator('option').allTextContents()).toEqual(['1: variety', '2: sepal.length', '3: sepal.width', '4: petal.length', '5: petal.width']);
    expect(await labelColumn.inputValue()).toBe('5');
    expect(await page.getByTestId('own-data').count()).toBe(0);
    await labelColumn.selectOption('1');
    await expect.poll(() => page.getByTestId('own-data').textContent(), { timeout: 10_000 })
      .toMatch(/your data: 120 training and 30 test rows \(a seeded 80\/20 split per class\) of iris-label-first\.csv: 4 features \(sepal\.length, sepal\.width, petal\.length, petal\.width\), label variety with 3 classes \(setosa, versicolor, virginica\)/);
    expect(await page.getByTestId('own-data-error').count()).toBe(0);
    expect(await page.getByTestId('network-title').textContent()).toBe('the Week-3 lab network for tables: 4-10-3, sigmoid, MSE (iris)');
    expect(await audit(page)).toEqual([]);
    // a column that does not work lets go of the table read before, and says why
    await labelColumn.selectOption('3');
    await expect.poll(() => page.getByTestId('own-data-error').textContent(), { timeout: 10_000 }).toMatch(/^iris-label-first\.csv, line 2, column 1 \(variety\): "setosa" is not a number/);
    expect(await page.getByTestId('own-data').count()).toBe(0);
    await fileInput.setInputFiles(`${tables}/iris.csv`);
    await expect.poll(() => labelColumn.locator('option').first().textContent(), { timeout: 10_000 }).toBe('1: sepal.length');
    expect(await labelColumn.inputValue()).toBe('5');
    await expect.poll(() => page.getByTestId('own-data').textContent(), { timeout: 10_000 })
      .toMatch(/your data: 120 training and 30 test rows \(a seeded 80\/20 split per class\) of iris\.csv: 4 features \(sepal\.length, sepal\.width, petal\.length, petal\.width\), label variety with 3 classes \(setosa, versicolor, virginica\)/);
    expect(await page.getByTestId('network-title').textContent()).toBe('the Week-3 lab network for tables: 4-10-3, sigmoid, MSE (iris)');
    expect(await page.getByTestId('knob-augment').isDisabled()).toBe(true);
    await fileInput.setInputFiles([`${tables}/iris-test.csv`, `${tables}/iris-train.csv`]);
    await expect.poll(() => page.getByTestId('own-data').textContent(), { timeout: 10_000 }).toMatch(/your data: 120 training rows of iris-train\.csv and 30 test rows of iris-test\.csv/);
    await page.getByLabel('epochs').fill('30');
    await page.getByTestId('train-start').click();
    await expect.poll(() => page.getByTestId('train-progress').textContent(), { timeout: 60_000 }).toMatch(/^(done|failed)/);
    expect(await page.getByTestId('train-progress').textContent()).toMatch(/^done/);
    expect((await page.getByTestId('trainer-facts').textContent())!.replace(/\s+/g, ' ')).toMatch(/^your data: trained on 108, validated on 12, tested on 30 · distortions off/);
    expect(Number(/([\d.]+)%/.exec((await page.getByTestId('test-accuracy').textContent())!)![1])).toBeGreaterThan(70);
    expect(await confusion.locator('th[scope="col"]').allTextContents()).toEqual(['setosa', 'versicolor', 'virginica']);
    expect((await page.getByTestId('live-projection-what').textContent())!.replace(/\s+/g, ' ')).toMatch(/^30 test rows of iris-test\.csv at layer \d+ \(the last hidden layer, 10 numbers per row\)/);
    expect(await page.getByTestId('live-projection-classes').textContent()).toBe('setosaversicolorvirginica');
    expect(await page.getByTestId('wrong-count').textContent()).toMatch(/^\d+ rows?\./);
    expect(await page.getByTestId('live-projection').textContent()).not.toMatch(/digit/);
    expect(await confusion.locator('td').evaluateAll((tds) => tds.reduce((sum, td) => sum + (Number(td.textContent) || 0), 0))).toBe(30);
    const [table] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-convlab').click()]);
    await table.saveAs(`${folder}/table-model.json`);
    const tableModel = JSON.parse(readFileSync(`${folder}/table-model.json`, 'utf8'));
    expect(tableModel.training.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(tableModel.training.input).toMatchObject({ source: 'csv', features: ['sepal.length', 'sepal.width', 'petal.length', 'petal.width'], label: 'variety' });
    expect(tableModel.training.input.mean[0]).toBeCloseTo(lines.slice(1).filter((_, n) => n % 5 !== 0).reduce((t, l) => t + Number(l.split(',')[0]), 0) / 120, 5);
    await page.screenshot({ path: `${shots}/train-own-table-1280.png`, fullPage: true });
    expect(await audit(page)).toEqual([]);
    await page.getByRole('button', { name: 'use the bundled digits again' }).click();
    expect(await page.getByTestId('network-title').textContent()).not.toMatch(/tables/);
    expect(app.errors).toEqual([]);
  });
});
