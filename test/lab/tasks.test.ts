// The lab tasks' answers, proven by arithmetic written here (not by planModel, which the tasks use), and the
// checks: each right answer accepted in the forms a student types it, each known mistake named, each choice explained.
import { describe, it, expect } from 'vitest';
import { LAB_TASKS, taskById, checkLabAnswer, parseNumber, bestEpoch, SPIRAL_LOSS, type LabFacts, type NumberAnswer } from '../../core/lab/tasks.js';
import { PlaygroundRun, planarData, splitPoints } from '../../core/index.js';

const conv = (n: number, k: number) => n - k + 1;
const independent: Record<string, number> = {
  'week3-parameters': 4 * 10 + 10 + 10 * 3 + 3,
  'mlp-parameters': 784 * 128 + 128 + 128 * 10 + 10,
  'cnn-first-conv': conv(28, 3) ** 2 * 32,
  'cnn-flatten': Math.floor(conv(conv(28, 3), 3) / 2) ** 2 * 64,
  'cnn-parameters': 32 * (1 * 9 + 1) + 64 * (32 * 9 + 1) + (12 * 12 * 64) * 128 + 128 + 128 * 10 + 10,
  'pool-non-square': Math.floor((9 - 2) / 2) + 1,
};
const facts: LabFacts = {
  sample: (i) => (i === 26 ? { label: 3, probabilities: [0.01, 0.02, 0.03, 0.8, 0.04, 0.02, 0.03, 0.02, 0.02, 0.01] } : null),
  run: { network: 'lab-mlp-relu', status: 'done', testAccuracy: 0.9731, epochs: [0.31, 0.22, 0.19, 0.18, 0.185, 0.2].map((valLoss, i) => ({ epoch: i + 1, valLoss, valAccuracy: 0.9 })) },
};

describe('lab tasks', () => {
  it('every task has an id, a source, a link into the explainer, a hint and a solution; ids are unique', () => {
    expect(new Set(LAB_TASKS.map((t) => t.id)).size).toBe(LAB_TASKS.length);
    for (const t of LAB_TASKS) {
      expect(t.link).toMatch(/^#view=[a-zA-Z]+/);
      expect(t.hint.length * t.solution.length * t.source.length).toBeGreaterThan(0);
    }
  });

  it.each(Object.entries(independent))('%s: the answer is %d, as counted by hand', (id, want) => {
    const task = taskById(id)!;
    expect((task.answer as NumberAnswer).value({})).toBe(want);
    expect(checkLabAnswer(task, String(want)).right).toBe(true);
    expect(checkLabAnswer(task, want.toLocaleString('en-US')).right).toBe(true); // "21,632"
    expect(checkLabAnswer(task, String(want + 1)).right).toBe(false);
  });

  it.each(LAB_TASKS.filter((t) => t.answer.kind === 'number').map((t) => [t.id, t] as const))('%s: each known mistake gets its own reason', (_, task) => {
    const answer = task.answer as NumberAnswer;
    const page: LabFacts = task.id === 'linear-accuracy' ? { run: { ...facts.run!, network: 'lab-mlp-linear' } }
      : task.id === 'linear-vs-relu' ? { ...facts, runs: [{ ...facts.run!, network: 'lab-mlp-linear', testAccuracy: 0.9135 }] } : facts;
    for (const mistake of answer.mistakes ?? []) {
      const wrong = mistake.value(page);
      const verdict = checkLabAnswer(task, String(wrong), page);
      expect(verdict.right).toBe(false);
      expect(verdict.message).toContain(mistake.why);
    }
  });

  it.each(LAB_TASKS.filter((t) => t.answer.kind === 'choice').map((t) => [t.id, t] as const))('%s: one right option, and every option says why', (_, task) => {
    if (task.answer.kind !== 'choice') return;
    const options = task.answer.options;
    expect(options.filter((o) => o.right)).toHaveLength(1);
    options.forEach((o, i) => {
      const verdict = checkLabAnswer(task, i);
      expect(verdict.right).toBe(Boolean(o.right));
      expect(verdict.message).toContain(o.why);
    });
    expect(checkLabAnswer(task, 99).right).toBe(false);
  });

  it('the softmax gradient is p − 1 for the true class, read from the page', () => {
    const task = taskById('softmax-gradient')!;
    expect(checkLabAnswer(task, '−0.2', facts).right).toBe(true);
    expect(checkLabAnswer(task, '-0.2003', facts).right).toBe(true);
    expect(checkLabAnswer(task, '0.2', facts).message).toMatch(/the sign/);
    expect(checkLabAnswer(task, '0.8', facts).message).toMatch(/that is p itself/);
    expect(checkLabAnswer(task, '-0.2', {})).toMatchObject({ right: false, missing: true });
  });

  it('run tasks read the run: the epoch of the lowest validation loss, the test accuracy in percent', () => {
    expect(bestEpoch(facts.run!.epochs)).toBe(4);
    const overfit = taskById('overfit-epoch')!;
    expect(checkLabAnswer(overfit, '4', facts).right).toBe(true);
    expect(checkLabAnswer(overfit, '6', facts).right).toBe(false);
    expect(checkLabAnswer(overfit, '4', {}).message).toMatch(/no run of lab-mlp-relu/);
    expect(checkLabAnswer(overfit, '4', { run: { ...facts.run!, status: 'running' } }).message).toMatch(/not finished/);
    const linear = taskById('linear-accuracy')!;
    const linearRun: LabFacts = { run: { ...facts.run!, network: 'lab-mlp-linear', testAccuracy: 0.9135 } };
    expect(checkLabAnswer(linear, '91.4 %', linearRun).right).toBe(true);
    expect(checkLabAnswer(linear, '0.9135', linearRun).message).toMatch(/in percent/);
    expect(checkLabAnswer(linear, '91.4', facts).message).toMatch(/no run of lab-mlp-linear/);
  });

  it('the ReLU MLP\'s gain reads both networks\' runs of this visit, trained alike', () => {
    const task = taskById('linear-vs-relu')!;
    const linear = { ...facts.run!, network: 'lab-mlp-linear', testAccuracy: 0.9135 };
    // the ReLU run is the current one, the linear run finished earlier: 97.31 − 91.35 = 5.96 points
    const both: LabFacts = { run: facts.run, runs: [linear, facts.run!] };
    expect(checkLabAnswer(task, '6.0', both).right).toBe(true);
    expect(checkLabAnswer(task, '5.96', both).right).toBe(true);
    expect(checkLabAnswer(task, '5.8', both).right).toBe(false);
    expect(checkLabAnswer(task, '−6.0', both).message).toMatch(/the sign/);
    expect(checkLabAnswer(task, '0.0596', both).message).toMatch(/percentage points/);
    // what is missing is said, one run at a time
    expect(checkLabAnswer(task, '6', {}).message).toMatch(/no run of lab-mlp-linear/);
    expect(checkLabAnswer(task, '6', { runs: [linear] }).message).toMatch(/no run of lab-mlp-relu/);
    expect(checkLabAnswer(task, '6', { runs: [linear], run: { ...facts.run!, status: 'running' } }).message).toMatch(/lab-mlp-relu has not finished/);
    expect(checkLabAnswer(task, '6', { runs: [{ ...linear, epochs: linear.epochs.slice(0, 2) }, facts.run!] }).message).toMatch(/different numbers of epochs \(linear 2, ReLU 6\)/);
    expect(checkLabAnswer(task, '6', { runs: [{ ...linear, limit: 1000 }, facts.run!] }).message).toMatch(/different numbers of digits/);
    // the latest run of a network counts
    expect(checkLabAnswer(task, '1.0', { runs: [linear, facts.run!, { ...linear, testAccuracy: 0.9631 }] }).right).toBe(true);
  });

  it('a run task finds a network\'s run finished earlier in the visit when another network trains now', () => {
    const linearDone = { ...facts.run!, network: 'lab-mlp-linear', testAccuracy: 0.9135 };
    const now: LabFacts = { run: { ...facts.run!, status: 'running' }, runs: [linearDone] };
    expect(checkLabAnswer(taskById('linear-accuracy')!, '91.4', now).right).toBe(true);
  });

  it('reads numbers as students write them, and nothing else', () => {
    expect(parseNumber('−0.0421')).toBe(-0.0421);
    expect(parseNumber(' 21 632 ')).toBe(21632);
    expect(parseNumber('91.2 %')).toBe(91.2);
    expect(parseNumber('1e-3')).toBe(0.001);
    for (const bad of ['', 'abc', '0x10', '1..2', 'Infinity', 'NaN', '--1', '1e999']) expect(parseNumber(bad)).toBeNull();
  });

  it('looks tasks up as own properties only', () => {
    for (const id of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) expect(taskById(id)).toBeUndefined();
  });
});

describe('the spiral action task: checked on the Playground\'s own state', () => {
  const spiral = taskById('playground-spiral')!;
  const state = { data: 'spiral', problem: 'classification', noise: 0, ratio: 50, features: ['x1', 'x2', 'sinX1', 'sinX2'], hidden: [8, 4], epoch: 20, trainLoss: 0.02, testLoss: 0.05 };
  const check = (patch: Partial<typeof state> | null) => checkLabAnswer(spiral, '', { playground: () => (patch ? { ...state, ...patch } : null) });

  it('names each way of missing the goal', () => {
    expect(check(null)).toMatchObject({ right: false, missing: true });
    expect(check({ data: 'circle' }).message).toMatch(/on the circle data set; choose the spiral/);
    expect(check({ problem: 'regression' }).message).toMatch(/set to regression/);
    expect(check({ ratio: 90 }).message).toMatch(/only 10 % test it/);
    expect(check({ hidden: [8, 8] }).message).toMatch(/16 hidden neurons \(8 \+ 8\); the goal is at most 12/);
    expect(check({ epoch: 0 }).message).toMatch(/press play/);
    expect(check({ testLoss: NaN }).message).toMatch(/lower the learning rate/);
    expect(check({ testLoss: 0.25, trainLoss: 0.05 }).message).toMatch(/0\.250 .*over-fitting/);
    expect(check({ testLoss: 0.25, trainLoss: 0.3 }).message).not.toMatch(/over-fitting/);
    expect(check({ testLoss: 0.1 }).right).toBe(false); // "below 0.1" is strict
  });

  it('a run of the Playground\'s own network (core PlaygroundRun, as the page trains it) reaches the goal the solution states', () => {
    const points = planarData('spiral', { count: 500, noise: 0, seed: 1, classes: 2 });
    const { train, test } = splitPoints(points, 0.5, 1);
    const run = new PlaygroundRun({ features: ['x1', 'x2', 'sinX1', 'sinX2'], hidden: [8, 4], activation: 'tanh', problem: 'classification', classes: 2, dropout: 0, init: 'glorotUniform', seed: 1 },
      { learningRate: 0.03, batchSize: 10, regularization: 'none', regularizationRate: 0 }, 'adam', train, test);
    for (let e = 0; e < 30; e++) run.runEpoch();
    const t = run.evaluate('test'), tr = run.evaluate('train');
    const verdict = check({ epoch: run.epoch, testLoss: t.loss, trainLoss: tr.loss });
    expect(verdict.message).toMatch(/^Right/);
    // and with x1, x2 alone the same 12 neurons do not get there: the task is about features
    const plain = new PlaygroundRun({ features: ['x1', 'x2'], hidden: [8, 4], activation: 'tanh', problem: 'classification', classes: 2, dropout: 0, init: 'glorotUniform', seed: 1 },
      { learningRate: 0.03, batchSize: 10, regularization: 'none', regularizationRate: 0 }, 'adam', train, test);
    for (let e = 0; e < 30; e++) plain.runEpoch();
    expect(plain.evaluate('test').loss).toBeGreaterThan(SPIRAL_LOSS);
  });
});
