// Browser tests share one built app and one Chromium, both started once by global-setup.ts.
//
//   import { e2e, openPage, shots } from './harness.js';
//   describe.skipIf(e2e.skip)('my view', () => {
//     let app: App;
//     beforeAll(async () => { app = await openPage(); });           // a fresh page (own context), 1280×900
//     afterAll(() => app.close());
//     it('…', async () => { await app.page.goto(`${app.base}#view=conv&layer=0`); …; expect(app.errors).toEqual([]); });
//   });
//
// `errors` collects console errors, uncaught page errors and any request that leaves the app's origin.
// Screenshots: `${shots}/name.png` (test-output/screenshots/, made on import).
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';

export const repository = fileURLToPath(new URL('../../', import.meta.url));
export const shots = `${repository}test-output/screenshots`;
mkdirSync(shots, { recursive: true });

const provided = inject('e2e');
export const e2e = { skip: 'skipped' in provided };

export interface App { page: Page; base: string; errors: string[]; context: BrowserContext; close(): Promise<void> }

let browser: Promise<Browser> | undefined;

export async function openPage(viewport = { width: 1280, height: 900 }): Promise<App> {
  if ('skipped' in provided) throw new Error(`browser tests skipped: ${provided.skipped}`);
  const { base, wsEndpoint } = provided;
  browser ??= import('playwright-core').then(({ chromium }) => chromium.connect(wsEndpoint));
  const context = await (await browser).newContext({ viewport });
  const page = await context.newPage();
  await page.addInitScript(recordCanvasText);
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => { if (!r.url().startsWith(base) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) errors.push(`external request ${r.url()}`); });
  return { page, base, errors, context, close: () => context.close() };
}

/** Runs in every page before the app: each canvas keeps the texts drawn on it since it was last cleared whole, so a
 *  test can read what a chart printed on its axes (uPlot draws its tick labels on the canvas): canvasText(). */
function recordCanvasText() {
  const proto = CanvasRenderingContext2D.prototype;
  const texts = new WeakMap<HTMLCanvasElement, { text: string; align: string }[]>();
  const { fillText, clearRect } = proto;
  proto.fillText = function (this: CanvasRenderingContext2D, text: string, ...rest: [number, number, number?]) {
    const list = texts.get(this.canvas) ?? [];
    list.push({ text: String(text), align: this.textAlign });
    texts.set(this.canvas, list);
    return fillText.call(this, text, ...rest);
  };
  proto.clearRect = function (this: CanvasRenderingContext2D, x: number, y: number, w: number, h: number) {
    if (x <= 0 && y <= 0 && x + w >= this.canvas.width && y + h >= this.canvas.height) texts.set(this.canvas, []);
    return clearRect.call(this, x, y, w, h);
  };
  (window as unknown as { canvasTexts: (c: HTMLCanvasElement) => { text: string; align: string }[] }).canvasTexts = (c) => texts.get(c) ?? [];
}

/** The texts drawn on the canvases inside `selector`, in drawing order, with their alignment (a uPlot chart: the
 *  y axis's tick labels are aligned right, the x axis's centred, as are the axis titles). */
export async function canvasText(page: Page, selector: string): Promise<{ text: string; align: string }[]> {
  return page.$$eval(`${selector} canvas`, (all) => all.flatMap((c) => (window as unknown as { canvasTexts: (c: HTMLCanvasElement) => { text: string; align: string }[] }).canvasTexts(c as HTMLCanvasElement)));
}

/** The axe-core audit of what the page shows now (WCAG 2.1 A and AA rules): one line per violation, [] when clean.
 *  Every screen gets one in its browser test: `expect(await audit(app.page)).toEqual([])`; `exclude`: CSS selectors left out. */
export async function audit(page: Page, exclude: string[] = []): Promise<string[]> {
  const source = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: source });
  const violations = await page.evaluate(async (exclude) => {
    const result = await (window as unknown as { axe: { run(context: object, options: object): Promise<{ violations: { id: string; help: string; nodes: { target: string[] }[] }[] }> } })
      .axe.run({ include: [['body']], exclude: exclude.map((s) => [s]) }, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')})`);
  }, exclude);
  return violations;
}
