// The training page as the lab's bench in Chromium (#21 knobs, #19 own data): each knob is a link setting that
// round-trips and is clamped with a notice, and reaches the trainer (the worker's report of what it handed the
// trainer is shown); the distortion strip is core's own warp; the learning curve trains five sizes and plots them on
// a log axis; the own-data picker trains on IDX files made here (gz and plain) and refuses hostile ones by name.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { seeded, warpSamples } from '../../core/index.js';
import { drawDistortion } from '../../core/data/augment.js';
import { ink } from '../../viz/src/lib/color.js';
import { augmentationFor } from '../../viz/src/lib/training.js';
import { CHOICES } from '../../viz/src/lib/route.js';
import { e2e, openPage, repository, shots, audit, canvasText, type App } from './harness.js';

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
});
