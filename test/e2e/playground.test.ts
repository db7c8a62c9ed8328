// The playground in Chromium: learning (spiral, xor from x₁x₂ alone), teacher links, own points and CSV, bad input,
// the exported model file against the page, and the redraw rate while training.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { e2e, openPage, audit, shots, type App } from './harness.js';
import { modelFromJSON, predictPoints, type FeatureName } from '../../core/index.js';

describe.skipIf(e2e.skip)('playground', () => {
  let app: App;
  beforeAll(async () => { app = await openPage(); });
  afterAll(() => app.close());

  const open = async (hash: string) => {
    await app.page.goto('about:blank'); // a fresh page for every link
    await app.page.goto(`${app.base}#view=playground${hash}`);
    await app.page.getByTestId('playground').waitFor();
  };
  const number = async (id: string) => Number(await app.page.getByTestId(id).textContent());
  const percent = async (id: string) => Number((await app.page.getByTestId(id).textContent())!.replace('%', '').trim());
  /** Play until `done` or `seconds` pass; pause; return the epoch reached. */
  async function trainUntil(done: () => Promise<boolean>, seconds = 60): Promise<number> {
    const page = app.page;
    await page.getByTestId('play').click();
    const until = Date.now() + seconds * 1000;
    while (Date.now() < until && !(await done())) await page.waitForTimeout(200);
    await page.getByTestId('play').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=playground]')?.getAttribute('data-playing') === 'false');
    return number('epoch');
  }

  it('opens on the circle with a 2×4 network and draws every neuron (screenshots 1280 and 390 px)', async () => {
    await open('');
    const page = app.page;
    expect(await page.locator('[data-testid^=neuron-]').count()).toBe(4 + 4 + 1);
    await trainUntil(async () => (await number('epoch')) >= 60, 30);
    expect(await percent('test-accuracy')).toBeGreaterThan(90);
    const neuron = page.getByTestId('neuron-0-1');
    await neuron.hover({ position: { x: 10, y: 10 } });
    await expect.poll(() => page.getByTestId('neuron-formula').textContent()).toMatch(/hidden layer 1, neuron 2 at \(x₁, x₂\)/);
    const formula = (await page.getByTestId('neuron-formula').textContent())!;
    expect(formula).toMatch(/z = .*·x₁.*·x₂.* \+ b/);
    expect(formula).toMatch(/a = tanh\(z\) = tanh\(/);
    await page.screenshot({ path: `${shots}/playground-1280.png`, fullPage: true });
    const small = await openPage({ width: 390, height: 844 });
    await small.page.goto(`${small.base}#view=playground&data=spiral&features=x1,x2,sinX1,sinX2&hidden=8,8&optimizer=adam&test=1`);
    await small.page.getByTestId('play').click();
    await small.page.waitForTimeout(1500);
    await small.page.getByTestId('play').click();
    await small.page.screenshot({ path: `${shots}/playground-390.png`, fullPage: true });
    expect(small.errors).toEqual([]);
    await small.close();
    expect(app.errors).toEqual([]);
  });

  it('spiral with x₁, x₂, sin x₁, sin x₂ and two hidden layers reaches test loss < 0.1 or test accuracy ≥ 95 %', async () => {
    await open('&data=spiral&features=x1,x2,sinX1,sinX2&hidden=8,8&optimizer=adam&lr=0.03&test=1');
    await trainUntil(async () => (await number('test-loss')) < 0.1 || (await percent('test-accuracy')) >= 95);
    const loss = await number('test-loss'), accuracy = await percent('test-accuracy');
    expect(loss < 0.1 || accuracy >= 95, `test loss ${loss}, accuracy ${accuracy} %`).toBe(true);
    // keep this run, train another with plain SGD: both on one loss chart
    await app.page.getByTestId('keep-run').click();
    await app.page.getByText(/kept run: 8×8 tanh, lr 0.03, adam/).waitFor();
    await app.page.locator('select').filter({ hasText: 'Adam' }).selectOption('sgd');
    expect(await number('epoch')).toBe(0);
    await trainUntil(async () => (await number('epoch')) >= 40, 20);
    expect(await app.page.locator('svg[aria-label*="kept run"] polyline').count()).toBe(4);
    await app.page.screenshot({ path: `${shots}/playground-spiral.png`, fullPage: true });
    expect(app.errors).toEqual([]);
  });

  it('learns exclusive-or from x₁x₂ alone with no hidden layer', async () => {
    await open('&data=xor&features=x1x2&hidden=&lr=0.01');
    expect(await app.page.getByText('0 hidden layers').count()).toBe(1);
    expect(await app.page.locator('[data-testid^=neuron-]').count()).toBe(1); // the output only
    await trainUntil(async () => (await percent('test-accuracy')) >= 97, 30);
    expect(await percent('test-accuracy')).toBeGreaterThanOrEqual(97);
    // the output neuron's formula: one weight on x₁x₂ and the bias
    await app.page.getByTestId('neuron-0-0').hover({ position: { x: 30, y: 8 } });
    await expect.poll(() => app.page.getByTestId('neuron-formula').textContent()).toMatch(/output at .*z = .*·x₁x₂<?.* \+ b/s);
    // the one link: its weight and gradient on focus, and set by hand with Enter
    const weight = app.page.getByRole('button', { name: /weight from x₁x₂ to output/ });
    await weight.focus();
    await expect.poll(() => app.page.getByTestId('link-info').textContent()).toMatch(/weight x₁x₂ → output: w = −?\d\.\d{4};\s+∂loss\/∂w = −?\d\.\d{5} \(over all 250 training points\)/);
    await weight.press('Enter');
    await app.page.getByTestId('weight-input').fill('-1');
    await app.page.getByTestId('weight-input').press('Enter');
    // w = −1 turns the boundary round: every point is now on the wrong side
    await expect.poll(() => percent('test-accuracy')).toBeLessThan(5);
    await app.page.getByTestId('neuron-0-0').hover({ position: { x: 30, y: 8 } });
    await expect.poll(() => app.page.getByTestId('neuron-formula').textContent()).toMatch(/z = \(−1\.000\)·x₁x₂/);
    expect(app.errors).toEqual([]);
  });

  it('a teacher link restores the setup with the chosen controls hidden', async () => {
    await open('&data=gaussian&hidden=3&activation=relu&lr=0.1');
    const page = app.page;
    await page.getByText('For teachers: a link for your students').click();
    await page.getByTestId('hide-learningRate').check();
    await page.getByTestId('hide-activation').check();
    await page.getByTestId('hide-layers').check();
    await page.getByTestId('student-link').click();
    const link = await page.getByTestId('student-link-text').inputValue();
    expect(link).toContain('hide=layers,activation,learningRate');
    const student = await openPage();
    await student.page.goto(link);
    await student.page.getByTestId('playground').waitFor();
    expect(await student.page.getByTestId('lr').count()).toBe(0);
    expect(await student.page.getByTestId('activation').count()).toBe(0);
    expect(await student.page.getByRole('button', { name: 'add a hidden layer' }).count()).toBe(0);
    expect(await student.page.getByText('This link fixes some settings').textContent()).toMatch(/layers and neurons, activation, learning rate are hidden/);
    expect(await student.page.getByRole('button', { name: 'gaussian' }).getAttribute('aria-pressed')).toBe('true');
    expect(await student.page.locator('[data-testid^=neuron-]').count()).toBe(3 + 1);
    // the links' canvas has the network's size (a bug once left a 300-px-wide network at the canvas's default height)
    const [width, height, cssWidth, cssHeight, ratio] = await student.page.locator('canvas.links').evaluate((c: HTMLCanvasElement) => [c.width, c.height, c.clientWidth, c.clientHeight, devicePixelRatio]);
    expect([width, height]).toEqual([Math.round(cssWidth * ratio), Math.round(cssHeight * ratio)]);
    await student.page.screenshot({ path: `${shots}/playground-teacher-link.png`, fullPage: true });
    expect(student.errors).toEqual([]);
    await student.close();
  });

  it('a link with unknown or out-of-range settings opens with the nearest valid ones and says which', async () => {
    await open('&lr=5&hidden=4,20&activation=gelu&noise=80&foo=1');
    const text = (await app.page.locator('.notice').allTextContents()).join('\n');
    expect(text).toMatch(/lr=5 is not offered .*nearest: using 3/);
    expect(text).toMatch(/hidden=4,20 is outside 0…6 layers of 1…8 neurons: using 4,8/);
    expect(text).toMatch(/activation=gelu is not one of relu, tanh, sigmoid, linear: using tanh/);
    expect(text).toMatch(/noise=80 is outside 0…50/);
    expect(text).toMatch(/foo=\w+ is not a setting of the playground: left out/);
    expect(await app.page.getByTestId('lr').inputValue()).toBe('3');
    expect(await app.page.locator('[data-testid^=neuron-1-]').count()).toBe(8);
    expect(app.page.url()).toContain('lr=3');
    expect(app.errors).toEqual([]);
  });

  it('one router, points kept visible, the run kept on leaving, "≈" where rounded, a continued run said so (#21, #26 item 8)', async () => {
    await open('&data=xor');
    const page = app.page;
    await page.getByTestId('own-data').click();
    await page.getByRole('button', { name: 'clear all' }).click();
    const plane = page.getByRole('img', { name: /the network's output over the plane/ });
    await page.getByTestId('paint-1').click();
    for (let i = 0; i < 6; i++) await plane.click({ position: { x: 40 + i * 20, y: 40 + i * 25 } });
    await expect.poll(() => page.getByText(/3 training and 3 test points/).count()).toBe(1);
    expect(await page.locator('svg.points circle').count()).toBe(6); // every clicked point stays on the plane
    // a link typed while the playground is open reaches it through the app's one router
    await page.evaluate(() => { location.hash = '#view=playground&data=circle&hidden=3&lr=0.1'; });
    await expect.poll(() => page.getByText(/250 training and 250 test points/).count()).toBe(1);
    expect(await page.locator('[data-testid^=neuron-]').count()).toBe(3 + 1);
    await page.getByRole('button', { name: 'one epoch' }).click();
    await page.getByRole('button', { name: 'one epoch' }).click();
    await page.getByRole('button', { name: 'one epoch' }).click();
    expect(await number('epoch')).toBe(3);
    const loss = await page.getByTestId('train-loss').textContent();
    // away and back through the header: the same setup and the same trained network
    await page.getByRole('navigation', { name: 'views' }).getByRole('link', { name: 'Overview' }).click();
    await page.getByTestId('open-layer-0').waitFor();
    await page.getByRole('navigation', { name: 'views' }).getByRole('link', { name: 'Playground' }).click();
    await page.getByTestId('playground').waitFor();
    expect(await number('epoch')).toBe(3);
    expect(await page.getByTestId('train-loss').textContent()).toBe(loss);
    expect(page.url()).toMatch(/hidden=3/);
    // the neuron formula: rounded factors, so "≈"
    await page.getByTestId('neuron-0-1').hover({ position: { x: 10, y: 10 } });
    await expect.poll(() => page.getByTestId('z-sign').count()).toBe(1);
    expect(await page.getByTestId('z-sign').textContent()).toBe('≈');
    // keep this run, then a setting that does not reset: the page says the same run goes on
    await page.getByTestId('keep-run').click();
    await page.getByTestId('lr').selectOption('0.03');
    await expect.poll(() => page.getByTestId('run-continues').textContent()).toMatch(/The same run goes on from epoch 3/);
    await page.screenshot({ path: `${shots}/playground-kept-run.png`, fullPage: true });
    expect(await audit(page)).toEqual([]);
    const phone = await openPage({ width: 390, height: 844 });
    await phone.page.goto(`${phone.base}#view=playground&data=own&points=100_100_1~-200_50_0~300_-300_1~-100_-200_0`);
    await phone.page.getByTestId('playground').waitFor();
    expect(await phone.page.locator('svg.points circle').count()).toBe(4);
    await phone.page.screenshot({ path: `${shots}/playground-own-points-phone.png`, fullPage: true });
    expect(await audit(phone.page)).toEqual([]);
    expect(phone.errors).toEqual([]);
    await phone.close();
    expect(app.errors).toEqual([]);
  });

  it('trains on points clicked onto the plane, and on a pasted CSV; bad CSV leaves the points as they were', async () => {
    await open('&data=xor');
    const page = app.page;
    await page.getByTestId('own-data').click();
    await page.getByRole('button', { name: 'clear all' }).click();
    const plane = page.getByRole('img', { name: /the network's output over the plane/ });
    const box = (await plane.boundingBox())!;
    // class 1 on the left, class 0 on the right: eight points each
    await page.getByTestId('paint-1').click();
    for (let i = 0; i < 8; i++) await plane.click({ position: { x: 40 + (i % 2) * 30, y: 30 + i * 30 } });
    await page.getByTestId('paint-0').click();
    for (let i = 0; i < 8; i++) await plane.click({ position: { x: box.width - 40 - (i % 2) * 30, y: 30 + i * 30 } });
    await expect.poll(() => page.getByText(/8 training and 8 test points/).count()).toBe(1);
    expect(page.url()).toContain('points=');
    await trainUntil(async () => (await percent('test-accuracy')) === 100, 20);
    expect(await percent('test-accuracy')).toBe(100);
    // erase one point
    await page.getByTestId('erase').click();
    await plane.click({ position: { x: 40, y: 30 } });
    await expect.poll(() => page.getByText(/15 points|8 training and 7 test|7 training and 8 test/).count()).toBe(1);

    // a CSV: a circle of class 1 inside a ring of class 0
    const rows = ['x,y,label'];
    for (let i = 0; i < 40; i++) { const t = (i / 40) * 2 * Math.PI; rows.push(`${(1.5 * Math.cos(t)).toFixed(2)},${(1.5 * Math.sin(t)).toFixed(2)},1`, `${(4.5 * Math.cos(t)).toFixed(2)},${(4.5 * Math.sin(t)).toFixed(2)},0`); }
    await page.getByTestId('csv-text').fill(rows.join('\n'));
    await page.getByTestId('csv-load').click();
    await expect.poll(() => page.getByTestId('csv-message').textContent()).toBe('pasted CSV: 80 points loaded');
    await expect.poll(() => page.getByText(/40 training and 40 test points/).count()).toBe(1);
    await trainUntil(async () => (await percent('test-accuracy')) >= 95, 30);
    expect(await percent('test-accuracy')).toBeGreaterThanOrEqual(95);
    await page.screenshot({ path: `${shots}/playground-own-data.png`, fullPage: true });

    // bad CSVs: a clear message naming the line; the 80 points stay
    for (const [text, message] of [
      ['x,y,label\n1,2,1\n3,4\n', /line 3: expected 3 columns \(x, y, label\), got 2/],
      ['1,2,1\n1,two,0\n', /line 2: y "two" is not a number/],
      ['1,2,7\n', /line 1: label 7 is not a class \(expected an integer 0…1\)/],
      ['1,9,1\n', /line 1: y = 9 is outside the plane/],
      ['', /no points found/],
    ] as const) {
      await page.getByTestId('csv-text').fill(text);
      await page.getByTestId('csv-load').click();
      await expect.poll(() => page.getByTestId('csv-message').textContent()).toMatch(message);
      expect(await page.getByText(/40 training and 40 test points/).count()).toBe(1);
    }
    await page.getByTestId('csv-file').setInputFiles({ name: 'huge.csv', mimeType: 'text/csv', buffer: Buffer.from('1,1,1\n'.repeat(40000)) });
    await expect.poll(() => page.getByTestId('csv-message').textContent()).toMatch(/huge.csv: 240000 bytes is more than the playground reads \(100000 bytes, 1000 points\); nothing was changed/);
    expect(await page.getByText(/40 training and 40 test points/).count()).toBe(1);
    await page.getByTestId('csv-file').setInputFiles({ name: 'small.csv', mimeType: 'text/csv', buffer: Buffer.from('x,y,label\n1,1,1\n-1,-1,0\n2,2,1\n') });
    await expect.poll(() => page.getByTestId('csv-message').textContent()).toBe('small.csv: 3 points loaded');
    expect(app.errors).toEqual([]);
  });

  it('the exported model file predicts in Node what the page shows', async () => {
    await open('&data=circle&features=x1,x2,x1Squared&hidden=5,3&optimizer=momentum&dropout=0.1');
    const page = app.page;
    await trainUntil(async () => (await number('epoch')) >= 20, 20);
    const plane = page.getByRole('img', { name: /the network's output over the plane/ });
    const shown: { x: number; y: number; output: number }[] = [];
    for (const [px, py] of [[40, 50], [150, 150], [260, 90], [75, 280]]) {
      await plane.hover({ position: { x: px, y: py } });
      await expect.poll(() => page.getByTestId('output-at').count()).toBe(1);
      const text = (await page.getByTestId('output-at').textContent())!;
      const [, x, y, output] = text.replace(/−/g, '-').match(/output at \((-?[\d.]+), (-?[\d.]+)\) [=≈] (-?[\d.]+)/)!;
      shown.push({ x: Number(x), y: Number(y), output: Number(output) });
    }
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export').click()]);
    const saved = join(mkdtempSync(join(tmpdir(), 'playground-')), 'playground-model.json');
    await download.saveAs(saved);
    const file = readFileSync(saved, 'utf8');
    const { model, training } = modelFromJSON(file, 'playground-model.json');
    const features = (training as { playground: { features: FeatureName[] } }).playground.features;
    expect(features).toEqual(['x1', 'x2', 'x1Squared']);
    const predicted = predictPoints(model, features, shown);
    shown.forEach((p, i) => expect(Math.abs(predicted[i] - p.output), `at (${p.x}, ${p.y})`).toBeLessThanOrEqual(5e-5));
    expect(new Set(shown.map((p) => Math.sign(p.output))).size).toBe(2); // both classes were probed
    expect(app.errors).toEqual([]);
  });

  it('redraws the boundary and every thumbnail at least 30 times a second for 2×4 (and measures 6×8)', async () => {
    const measure = async (hash: string) => {
      await open(hash);
      const page = app.page;
      await page.getByTestId('play').click();
      await page.waitForTimeout(500);
      const result = await page.evaluate(() => new Promise<{ frames: number; redraws: number; seconds: number }>((done) => {
        const epochOf = () => Number(document.querySelector('[data-testid=playground]')!.getAttribute('data-epoch'));
        const start = performance.now(), epoch0 = epochOf();
        let frames = 0;
        const frame = () => {
          frames++;
          if (performance.now() - start < 3000) requestAnimationFrame(frame);
          else done({ frames, redraws: epochOf() - epoch0, seconds: (performance.now() - start) / 1000 });
        };
        requestAnimationFrame(frame);
      }));
      await page.getByTestId('play').click();
      return { animationFrames: result.frames / result.seconds, redraws: result.redraws / result.seconds };
    };
    const small = await measure('');
    const large = await measure('&hidden=8,8,8,8,8,8');
    console.log(`playground frame rate (Chromium, headless): 2×4 ${small.redraws.toFixed(1)} redraws/s (${small.animationFrames.toFixed(1)} animation frames/s); ` +
      `6×8 ${large.redraws.toFixed(1)} redraws/s (${large.animationFrames.toFixed(1)} animation frames/s)`);
    expect(small.redraws).toBeGreaterThan(0);
    expect(large.redraws).toBeGreaterThan(0);
    expect(app.errors).toEqual([]);
  });
});
