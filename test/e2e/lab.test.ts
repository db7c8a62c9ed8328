// The lab page: every task checked with a wrong answer and a right one in the browser, the hint and the
// solution, progress kept across a reload, the hand-in summary, a teacher's locked set, bad links, the audit.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { e2e, openPage, shots, audit, type App } from './harness.js';
import { LAB_TASKS, type LabTask } from '../../core/lab/tasks.js';

/** A wrong and a right answer for each task, as a student would type (or click) them; run tasks come last, after a run. */
function answers(task: LabTask, facts: { p?: number }): { wrong: string; right: string } | null {
  if (task.answer.kind === 'action') return null; // checked on the page's own state (the spiral test below)
  if (task.answer.kind === 'choice') {
    const right = task.answer.options.findIndex((o) => o.right);
    return { wrong: String((right + 1) % task.answer.options.length), right: String(right) };
  }
  if (task.id === 'softmax-gradient') return facts.p === undefined ? null : { wrong: (1 - facts.p).toFixed(4), right: (facts.p - 1).toFixed(4) };
  const value = task.answer.value({});
  return typeof value === 'number' ? { wrong: String(value + 2), right: value.toLocaleString('en-US') } : null;
}

describe.skipIf(e2e.skip)('the lab page', () => {
  let app: App;
  beforeAll(async () => { app = await openPage(); });
  afterAll(() => app.close());

  async function answer(task: LabTask, text: string) {
    const item = app.page.getByTestId(`task-${task.id}`);
    if (task.answer.kind === 'choice') await item.locator(`input[type=radio][value="${text}"]`).check();
    else await item.getByTestId('task-answer').fill(text);
    await item.getByTestId('task-check').click();
    return (await item.getByTestId('task-verdict').textContent()) ?? '';
  }

  it('checks every task that needs no training run: a wrong answer is not accepted, a right one is', async () => {
    // the probability of digit 26's label as the softmax view prints it (the student reads it there)
    await app.page.goto(`${app.base}#view=softmax&layer=8&digit=26`);
    const caption = (await app.page.getByTestId('input-caption').textContent()) ?? '';
    const label = Number(caption.match(/label (\d)/)?.[1]);
    const cell = (await app.page.getByTestId('softmax-table').locator('tbody tr').nth(label).locator('td').nth(4).textContent()) ?? '';
    const text = cell.replace(/\u2212/g, '-').replace(/[≈\s]/g, '');
    const nearOne = text.match(/^1-(.+)$/);
    const probability = nearOne ? 1 - Number(nearOne[1]) : Number(text);
    await app.page.goto(`${app.base}#view=lab&digit=0`);
    await app.page.getByTestId('lab-progress').waitFor();
    let right = 0;
    for (const task of LAB_TASKS) {
      const pair = answers(task, { p: Number.isFinite(probability) && probability > 0 ? probability : undefined });
      if (!pair) continue;
      await app.page.getByTestId(`task-${task.id}`).getByRole('button', { name: task.title }).click();
      expect(await answer(task, pair.wrong), `${task.id}: wrong answer ${pair.wrong}`).toMatch(/^Not/);
      expect(await answer(task, pair.right), `${task.id}: right answer ${pair.right}`).toMatch(/^Right/);
      right++;
    }
    expect(right).toBeGreaterThanOrEqual(LAB_TASKS.length - 4);
    expect(await app.page.getByTestId('lab-progress').textContent()).toBe(`${right} of ${LAB_TASKS.length} right`);
    expect(await audit(app.page)).toEqual([]);
    await app.page.screenshot({ path: `${shots}/lab-1280.png`, fullPage: true });
    expect(app.errors).toEqual([]);
  });

  it('keeps the progress across a reload, shows the hint and, after an attempt, the solution', async () => {
    await app.page.goto(`${app.base}#view=lab&task=week3-parameters`);
    await app.page.reload();
    const item = app.page.getByTestId('task-week3-parameters');
    await expect.poll(() => item.getAttribute('data-right')).toBe('yes');
    await item.getByRole('button', { name: 'Hint' }).click();
    expect(await item.getByTestId('task-hint').textContent()).toMatch(/one bias per unit/);
    await item.getByTestId('task-solution-button').click();
    expect(await item.getByTestId('task-solution').textContent()).toMatch(/83 in all/);
    expect(await answer(LAB_TASKS.find((t) => t.id === 'week3-parameters')!, '70')).toMatch(/weights only/);
  });

  it('downloads a Markdown summary with every task and the answers given', async () => {
    await app.page.goto(`${app.base}#view=lab`);
    const [download] = await Promise.all([app.page.waitForEvent('download'), app.page.getByTestId('lab-download').click()]);
    const file = `${shots}/../lab-answers.md`;
    await download.saveAs(file);
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^# convlab lab: my answers/);
    expect(text.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| source') && !l.startsWith('| ---'))).toHaveLength(LAB_TASKS.length);
    expect(text).toMatch(/\| Week-3 lab E3\.1 \| Parameters of the 4-10-3 network \| 83 \| right \| 3 \|/);
  });

  it('downloads the printable hand-in as a page whose table has every task', async () => {
    await app.page.goto(`${app.base}#view=lab`);
    const [download] = await Promise.all([app.page.waitForEvent('download'), app.page.getByTestId('lab-download-html').click()]);
    const file = `${shots}/../lab-answers.html`;
    await download.saveAs(file);
    const printed = await app.context.newPage();
    try {
      await printed.goto(`file://${file}`);
      expect(await printed.locator('tbody tr').count()).toBe(LAB_TASKS.length);
      expect(await printed.locator('h1').textContent()).toBe('convlab lab: my answers');
      const pdf = await printed.pdf({ format: 'A4' });
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      expect(await audit(printed)).toEqual([]);
    } finally { await printed.close(); }
  });

  it('the spiral task reads the Playground: not opened, too many neurons, then right after training', async () => {
    const task = LAB_TASKS.find((t) => t.id === 'playground-spiral')!;
    const verdict = async () => {
      await app.page.goto(`${app.base}#view=lab&task=playground-spiral`);
      await app.page.getByTestId('task-playground-spiral').getByTestId('task-check').click();
      return (await app.page.getByTestId('task-playground-spiral').getByTestId('task-verdict').textContent()) ?? '';
    };
    expect(await verdict()).toMatch(/has not been opened/);
    await app.page.goto(`${app.base}#view=playground&data=spiral&hidden=8,8`);
    await app.page.getByTestId('play').waitFor();
    expect(await verdict()).toMatch(/16 hidden neurons/);
    await app.page.goto(`${app.base}#view=playground&data=spiral&features=x1,x2,sinX1,sinX2&hidden=8,4&optimizer=adam&lr=0.03`);
    await app.page.getByTestId('play').click();
    await expect.poll(async () => Number(await app.page.getByTestId('playground').getAttribute('data-epoch')), { timeout: 60_000 }).toBeGreaterThanOrEqual(40);
    await app.page.getByTestId('play').click();
    const text = await verdict();
    expect(text, `${task.id}: ${text}`).toMatch(/^Right: test loss 0\.0\d\d at epoch \d+ with 12 hidden neurons/);
    expect(await app.page.getByTestId('task-playground-spiral').getAttribute('data-right')).toBe('yes');
    expect(app.errors).toEqual([]);
  });

  it('a run task says what to do until the run exists', async () => {
    await app.page.goto(`${app.base}#view=lab&task=overfit-epoch`);
    expect(await answer(LAB_TASKS.find((t) => t.id === 'overfit-epoch')!, '4')).toMatch(/no run of lab-mlp-relu on the training page yet/);
  });

  it('the run tasks read the runs made on the training page: a wrong answer is not accepted, a right one is', async () => {
    /** Train a network for one epoch on the training page and return the test accuracy it prints, in percent. */
    async function train(net: string): Promise<number> {
      await app.page.goto(`${app.base}#view=train&net=${net}`);
      await app.page.getByLabel('epochs').fill('1');
      await app.page.getByTestId('train-start').click();
      const printed = app.page.getByTestId('test-accuracy');
      await printed.waitFor({ timeout: 120_000 });
      return Number(/test accuracy ([\d.]+)%/.exec((await printed.textContent()) ?? '')?.[1]);
    }
    const linear = await train('lab-mlp-linear');
    // the training page's class map says the linear MLP's picture is of the pixels (no hidden layer to move them)
    expect(await app.page.getByTestId('live-projection-fixed').count()).toBe(1);
    const relu = await train('lab-mlp-relu');
    expect(await app.page.getByTestId('live-projection-fixed').count()).toBe(0);
    expect(await app.page.getByTestId('live-projection').textContent()).toMatch(/the last hidden layer, 128 numbers per digit/);
    expect(linear).toBeGreaterThan(80);
    await app.page.goto(`${app.base}#view=lab`);
    await app.page.getByTestId('lab-progress').waitFor();
    const cases: [string, string, string][] = [
      ['linear-accuracy', (linear + 1).toFixed(2), linear.toFixed(2)],       // the linear run, finished before the ReLU one
      ['overfit-epoch', '2', '1'],                                            // one epoch: its lowest validation loss is epoch 1
      ['linear-vs-relu', (linear - relu).toFixed(2), (relu - linear).toFixed(2)],
    ];
    for (const [id, wrong, right] of cases) {
      const task = LAB_TASKS.find((t) => t.id === id)!;
      await app.page.getByTestId(`task-${id}`).getByRole('button', { name: task.title }).click();
      expect(await answer(task, wrong), `${id}: wrong answer ${wrong}`).toMatch(/^Not/);
      expect(await answer(task, right), `${id}: right answer ${right}`).toMatch(/^Right/);
    }
    expect(app.errors).toEqual([]);
  });

  it('a teacher link shows the chosen set, locked; bad ids and settings get a notice', async () => {
    await app.page.goto(`${app.base}#view=lab&tasks=week3-collapse,constructor,pool-non-square&lock=1&task=__proto__`);
    await app.page.getByTestId('lab-progress').waitFor();
    expect(await app.page.locator('[data-testid^="task-"][data-right]').count()).toBe(2);
    const notices = [...await app.page.getByTestId('lab-notice').allTextContents(), ...await app.page.getByTestId('notice').allTextContents()].join(' ');
    expect(notices).toMatch(/tasks? the lab does not have \("constructor"\)/);
    expect(notices).toMatch(/__proto__/);
    await app.page.getByTestId('task-week3-collapse').getByRole('button', { name: 'Two linear layers' }).click();
    await answer(LAB_TASKS.find((t) => t.id === 'week3-collapse')!, '1');
    expect(await app.page.getByTestId('task-solution-button').count()).toBe(0);
    expect(await audit(app.page)).toEqual([]);
    expect(app.errors).toEqual([]);
  });

  it('works on a phone', async () => {
    const phone = await openPage({ width: 390, height: 844 });
    try {
      await phone.page.goto(`${phone.base}#view=lab&task=cnn-first-conv`);
      await phone.page.getByTestId('task-answer').waitFor();
      const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await phone.page.screenshot({ path: `${shots}/lab-390.png`, fullPage: true });
      expect(await audit(phone.page)).toEqual([]);
      expect(phone.errors).toEqual([]);
    } finally { await phone.close(); }
  });
});
