// bench/browser.ts: the explainer's training page in real Chromium against `node` on the same model, threads and batch.
//   npm run bench -- --section=browser            (or: node --import tsx bench/browser.ts [--epochs=2] [--rounds=2] [--no-build] [--preset=lab-cnn])
// The page: the built app (npm run build) served by `vite preview` (which sends the cross-origin-isolation headers),
// Debian's Chromium through playwright-core (as test/e2e does), the training page with the cnn, adam lr 0.005, batch
// 32, He init, WebAssembly SIMD, 1 and 2 threads. Node: core's fitParallel with the same preset, recipe, settings and
// digits, in a child process with the page's kernel build (relaxed SIMD where Chromium has it: Node 20 needs
// --experimental-wasm-relaxed-simd for it). Rounds alternate page and Node (A B A B); each figure is the best round.
// Printed, never asserted: timings on a shared machine are no test.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import type { WorkerTiming } from '../viz/src/lib/training.js';
import type { PresetName } from '../core/index.js';

const repository = fileURLToPath(new URL('../', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The settings both sides train with (the page's controls and fitParallel's options). */
export const BROWSER_RUN = { preset: 'cnn' as PresetName, optimizer: 'adam', learningRate: 0.005, batchSize: 32, init: 'heUniform', seed: 1, validationSplit: 0.1 } as const;

export interface BrowserFigure {
  threads: number;
  /** The trainer's own figure in the page's worker (time inside training steps), and what the page shows (samples over
   *  the wall time since the run started: also the worker's pictures, messages and pauses between slices). */
  page: number; pageShown: number;
  /** Where the page's worker spent the wall time behind `pageShown`, in the round that showed the most (WorkerTiming). */
  timing?: WorkerTiming;
  /** The page's engine line (kernels · threads, and why not two where it fell back). */
  engine: string;
  /** Node's trainer (time inside training steps, as the page's `page`), and Node's samples over its epochs' whole time
   *  (steps and validation: EpochTiming), the figure to set beside what the page shows. */
  node: number; nodeEpochs: number;
}
export interface BrowserFigures {
  isolated: boolean; chromiumFlavor: string; nodeFlavor: string; preset: PresetName; epochs: number; rows: BrowserFigure[];
  /** Opening the lab CNN (1.2 M parameters) from a file in the explainer: ms from choosing the file to its overview drawn, each round. */
  labCnnOpenMs: number[];
}

function option(name: string): string | undefined {
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

/** One run of the cnn in Node (this file as a child process, `--node-child`): prints the trainer's samples/s. */
async function nodeChild(threads: number, epochs: number, preset: PresetName): Promise<void> {
  const { loadDigits, fitParallel } = await import('../core/node.js');
  const { createPreset, presets, wasmFlavor } = await import('../core/index.js');
  const { train } = loadDigits();
  const model = createPreset(preset, { seed: BROWSER_RUN.seed, init: BROWSER_RUN.init });
  let samples = 0, seconds = 0;
  const result = await fitParallel(model, train, { ...presets[preset].recipe, epochs, batchSize: BROWSER_RUN.batchSize, seed: BROWSER_RUN.seed,
    optimizer: { type: BROWSER_RUN.optimizer, learningRate: BROWSER_RUN.learningRate, momentum: 0.9 }, validationSplit: BROWSER_RUN.validationSplit, threads,
    onEpoch: (_record, _history, timing) => { samples += timing.samples; seconds += timing.seconds; } });
  process.stdout.write(JSON.stringify({ samplesPerSecond: result.samplesPerSecond, epochsSamplesPerSecond: samples / seconds, flavor: wasmFlavor() }) + '\n');
}

function runNode(threads: number, epochs: number, relaxed: boolean, preset: PresetName): { samplesPerSecond: number; epochsSamplesPerSecond: number; flavor: string } {
  const flags = relaxed ? ['--experimental-wasm-relaxed-simd'] : [];
  const child = spawnSync(process.execPath, [...flags, '--import', 'tsx', fileURLToPath(import.meta.url), '--node-child', `--threads=${threads}`, `--epochs=${epochs}`, `--preset=${preset}`],
    { cwd: repository, encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`bench browser: the Node run failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop()!);
}

/** Records, in the page, what the training worker reports when a run ends (the trainer's samples/s). */
function watchTrainingWorker() {
  const Original = window.Worker;
  const done: unknown[] = [];
  (window as unknown as { trainingDone: unknown[] }).trainingDone = done;
  window.Worker = class extends Original {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options);
      this.addEventListener('message', (event: MessageEvent) => { if (event.data?.type === 'done') done.push({ samplesPerSecond: event.data.samplesPerSecond, timing: event.data.timing }); });
    }
  };
}

export async function trainInPage(page: Page, base: string, threads: number, epochs: number, preset: PresetName = BROWSER_RUN.preset): Promise<{ page: number; pageShown: number; engine: string; timing?: WorkerTiming }> {
  await page.goto(`${base}#view=train`);
  await page.reload(); // a fresh page: no worker, chart or kept run from the last round
  await page.getByLabel('network').selectOption(preset);
  await page.getByLabel('epochs').fill(String(epochs));
  await page.getByLabel('optimizer').selectOption(BROWSER_RUN.optimizer);
  await page.getByLabel('learning rate').fill(String(BROWSER_RUN.learningRate));
  await page.getByLabel('batch size').selectOption(String(BROWSER_RUN.batchSize));
  await page.getByLabel('initialisation').selectOption(BROWSER_RUN.init);
  await page.getByLabel('threads').selectOption(String(threads));
  await page.getByLabel('kernels').selectOption('wasm');
  await page.getByTestId('train-start').click();
  await page.getByTestId('test-accuracy').waitFor({ timeout: 600_000 });
  const progress = (await page.getByTestId('train-progress').textContent())!;
  const shown = Number(/([\d]+) samples\/s/.exec(progress)?.[1]);
  const engine = (await page.getByTestId('train-engine').textContent())!.trim();
  const done = await page.evaluate(() => (window as unknown as { trainingDone: { samplesPerSecond: number; timing?: WorkerTiming }[] }).trainingDone.at(-1)!);
  return { page: done.samplesPerSecond, pageShown: shown, engine, timing: done.timing };
}

/** The lab CNN opened from a file on the overview, as test/e2e/largemodel.test.ts does: ms from choosing the file to
 *  the last layer's row and the last convolution's last map drawn. */
export async function openLabCnn(page: Page, base: string, path: string, layers: number): Promise<number> {
  await page.goto(`${base}#view=overview&digit=2`);
  await page.reload();
  await page.getByTestId('probabilities').waitFor();
  const started = Date.now();
  await page.getByTestId('open-file').setInputFiles(path);
  await page.getByTestId(`open-layer-${layers - 1}`).waitFor({ timeout: 120_000 });
  await page.getByTestId('map-4-63').waitFor({ timeout: 120_000 });
  return Date.now() - started;
}

/** Build the app (unless `build` is false), serve it, and train in Chromium and in Node, `rounds` times alternating. */
export async function browserFigures(options: { epochs?: number; rounds?: number; build?: boolean; preset?: PresetName; log?: (line: string) => void } = {}): Promise<BrowserFigures | { skipped: string }> {
  const { epochs = 2, rounds = 2, build = true, preset = BROWSER_RUN.preset, log = () => {} } = options;
  if (!existsSync(CHROMIUM)) return { skipped: `no Chromium at ${CHROMIUM} (Debian: apt-get install -y chromium; or set CHROMIUM_PATH)` };
  if (build || !existsSync(`${repository}viz/dist/index.html`)) { log('building the app (npm run build)'); execFileSync('npm', ['run', 'build', '--silent'], { cwd: repository, stdio: 'pipe' }); }
  const { preview } = await import('vite');
  const { chromium } = await import('playwright-core');
  const { wasmRelaxedBase64 } = await import('../core/kernels/wasmBinary.js') as { wasmRelaxedBase64?: string };
  const server = await preview({ root: `${repository}viz`, configFile: `${repository}vite.config.ts`, preview: { port: 4329, strictPort: false, open: false }, logLevel: 'silent' });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  try {
    const base = server.resolvedUrls!.local[0];
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.addInitScript(watchTrainingWorker);
    await page.goto(`${base}#view=train`);
    const isolated = await page.evaluate(() => crossOriginIsolated);
    const relaxed = wasmRelaxedBase64 !== undefined && await page.evaluate((b64) => WebAssembly.validate(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))), wasmRelaxedBase64);
    const rows = new Map<number, BrowserFigure>();
    let nodeFlavor = '';
    for (let round = 0; round < rounds; round++) {
      for (const threads of [1, 2]) {
        const inPage = await trainInPage(page, base, threads, epochs, preset);
        const inNode = runNode(threads, epochs, relaxed, preset);
        nodeFlavor = inNode.flavor;
        log(`round ${round + 1}, ${threads} thread${threads > 1 ? 's' : ''}: page ${Math.round(inPage.page)} (shown ${inPage.pageShown}) · Node ${Math.round(inNode.samplesPerSecond)} ` +
          `(with validation ${Math.round(inNode.epochsSamplesPerSecond)}) samples/s · ${inPage.engine}` +
          (inPage.timing ? ` · page's wall time: ${wallShares(inPage.timing, inPage.page, inPage.pageShown)}` : ''));
        const best = rows.get(threads);
        rows.set(threads, { threads, engine: inPage.engine, page: Math.max(best?.page ?? 0, inPage.page), pageShown: Math.max(best?.pageShown ?? 0, inPage.pageShown),
          timing: inPage.pageShown >= (best?.pageShown ?? 0) ? inPage.timing : best?.timing, node: Math.max(best?.node ?? 0, inNode.samplesPerSecond),
          nodeEpochs: Math.max(best?.nodeEpochs ?? 0, inNode.epochsSamplesPerSecond) });
      }
    }
    const { createPreset, modelToJSON } = await import('../core/index.js');
    const labCnn = createPreset('lab-cnn', { seed: 1 });
    const path = join(mkdtempSync(join(tmpdir(), 'convlab-bench-')), 'lab-cnn.json');
    writeFileSync(path, modelToJSON(labCnn));
    const labCnnOpenMs: number[] = [];
    for (let round = 0; round < rounds; round++) {
      labCnnOpenMs.push(await openLabCnn(page, base, path, labCnn.layers.length));
      log(`round ${round + 1}: the lab CNN (${labCnn.parameterCount.toLocaleString('en')} parameters) opened in ${labCnnOpenMs.at(-1)} ms`);
    }
    rmSync(dirname(path), { recursive: true, force: true });
    return { isolated, chromiumFlavor: relaxed ? 'relaxed' : 'strict', nodeFlavor, preset, epochs, rows: [...rows.values()], labCnnOpenMs };
  } finally {
    await browser.close();
    await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
  }
}

/** The shares of the page's wall time (WorkerTiming): the trainer's steps (samples ÷ its samples/s, i.e. the wall time ×
 *  shown ÷ trainer), the rest of its slices (validation, generator), the class-map projections, the live pictures, the
 *  bundles posted, and the gaps between slices. */
export function wallShares(t: WorkerTiming, trainer: number, shown: number): string {
  const steps = t.wallMs * (shown / trainer), inSlices = t.slicesMs - t.projectionsMs - t.picturesMs - t.postsMs;
  const share = (ms: number) => `${((100 * ms) / t.wallMs).toFixed(1)} %`;
  return `steps ${share(steps)}, validation and the rest of the slices ${share(inSlices - steps)}, class map ${share(t.projectionsMs)}, ` +
    `pictures ${share(t.picturesMs)}, bundles ${share(t.postsMs)}, between slices ${share(t.wallMs - t.slicesMs)} of ${(t.wallMs / 1000).toFixed(2)} s`;
}

/** The section's lines: a title, one table (rows with ' | ', as bench/run.ts's emit prints them, Markdown with
 *  --markdown) and the two-threads and lab-CNN lines. */
export function browserTable(figures: BrowserFigures | { skipped: string }): string[] {
  if ('skipped' in figures) return [`browser: skipped: ${figures.skipped}`];
  const round = (x: number) => Math.round(x).toLocaleString('en');
  const lines = [
    `The training page in Chromium against Node (${figures.preset}, batch ${BROWSER_RUN.batchSize}, adam, ${figures.epochs} epochs of the digits; cross-origin isolated: ${figures.isolated}; ` +
      `kernels: Chromium ${figures.chromiumFlavor}, Node ${figures.nodeFlavor} WebAssembly SIMD; best of the rounds)`,
    'threads | page samples/s (trainer) | page as shown (wall) | Node samples/s (trainer) | Node with validation | page ÷ Node | shown ÷ Node | shown ÷ Node with validation | page engine',
    ...figures.rows.map((r) => `${r.threads} | ${round(r.page)} | ${round(r.pageShown)} | ${round(r.node)} | ${round(r.nodeEpochs)} | ${(r.page / r.node).toFixed(2)}× | ` +
      `${(r.pageShown / r.node).toFixed(2)}× | ${(r.pageShown / r.nodeEpochs).toFixed(2)}× | ${r.engine}`),
  ];
  const [one, two] = [figures.rows.find((r) => r.threads === 1), figures.rows.find((r) => r.threads === 2)];
  for (const r of figures.rows) if (r.timing) lines.push(`page's wall time on ${r.threads} thread${r.threads > 1 ? 's' : ''}: ${wallShares(r.timing, r.page, r.pageShown)}`);
  if (one && two) lines.push(`two threads ÷ one: page ${(two.page / one.page).toFixed(2)}× (shown ${(two.pageShown / one.pageShown).toFixed(2)}×), Node ${(two.node / one.node).toFixed(2)}×`);
  lines.push(`the lab CNN (1.2 M parameters) opened in the explainer (file chosen → overview drawn): ${figures.labCnnOpenMs.map((ms) => `${(ms / 1000).toFixed(2)} s`).join(', ')}`);
  return lines;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const epochs = Number(option('epochs') ?? 2);
  const preset = (option('preset') ?? BROWSER_RUN.preset) as PresetName;
  if (process.argv.includes('--node-child')) await nodeChild(Number(option('threads') ?? 1), epochs, preset);
  else {
    const figures = await browserFigures({ epochs, rounds: Number(option('rounds') ?? 2), build: !process.argv.includes('--no-build'), preset, log: (line) => console.error(line) });
    console.log(browserTable(figures).join('\n'));
  }
}
