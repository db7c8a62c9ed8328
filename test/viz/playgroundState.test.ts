// The playground's URL state: a link round-trips, bad settings open with the nearest valid ones and a notice.
import { describe, it, expect } from 'vitest';
import { parseState, normalizeState, stateParams, stateHash, DEFAULTS, needsReset, encodePoints, decodePoints, type PlaygroundState, type DataName } from '../../viz/src/lib/playground/state.js';
import { classificationSets, regressionSets } from '../../core/index.js';

const parse = (query: string) => parseState(new URLSearchParams(query));

describe('playground URL state', () => {
  it('opens the defaults (circle, x₁ and x₂, two hidden layers of 4, tanh) from a bare link, quietly', () => {
    expect(parse('view=playground')).toEqual({ state: DEFAULTS, notices: [] });
    expect(stateHash(DEFAULTS)).toBe('#view=playground');
  });
  it('round-trips every setting through the link', () => {
    const state: PlaygroundState = { ...DEFAULTS, data: 'own', problem: 'multiclass', classes: 3, noise: 25, ratio: 70, batch: 5, dataSeed: 4, seed: 9,
      features: ['x1', 'x1x2', 'sinX2'], hidden: [], activation: 'relu', learningRate: 0.003, regularization: 'L1', regularizationRate: 0.01,
      optimizer: 'adam', init: 'zeros', dropout: 0.2, showTest: true, discretize: true, hide: ['features', 'learningRate', 'teacher'],
      points: [{ x: 1.25, y: -3, label: 2 }, { x: -6, y: 6, label: 0 }] };
    expect(parse(stateHash(state).slice(1))).toEqual({ state, notices: [] });
    expect(stateHash(state)).toContain('features=x1,x1x2,sinX2');
    expect(stateHash(state)).toContain('hidden=&');
  });
  it('replaces unknown and out-of-range settings by the nearest valid ones and names each', () => {
    const { state, notices } = parse('view=playground&lr=5&hidden=4,20,0&activation=gelu&noise=80&ratio=abc&features=x1,x9&hide=lr,features&foo=1&regRate=0.012&dropout=0.9');
    expect(state.learningRate).toBe(3);
    expect(state.hidden).toEqual([4, 8, 1]);
    expect(state.activation).toBe('tanh');
    expect(state.noise).toBe(50);
    expect(state.ratio).toBe(50);
    expect(state.features).toEqual(['x1']);
    expect(state.hide).toEqual(['features']);
    expect(state.regularizationRate).toBe(0.01);
    expect(state.dropout).toBe(0.5);
    expect(notices).toEqual([
      'lr=5 is not offered (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10); nearest: using 3.',
      'hidden=4,20,0 is outside 0…6 layers of 1…8 neurons: using 4,8,1.',
      'activation=gelu is not one of relu, tanh, sigmoid, linear: using tanh.',
      'noise=80 is outside 0…50 (whole numbers): using 50.',
      'ratio=abc is not a number: using the default.',
      'features=x1,x9 names unknown features (x9): using x1.',
      'hide=lr,features names controls that do not exist (lr): using features.',
      'foo=1 is not a setting of the playground: left out.',
      'regRate=0.012 is not offered (0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10); nearest: using 0.01.',
      'dropout=0.9 is not offered (0, 0.1, 0.2, 0.3, 0.4, 0.5); nearest: using 0.5.',
    ]);
  });
  it('keeps the problem consistent with the data set, and ignores the other views\' settings', () => {
    expect(parse('data=plane').state.problem).toBe('regression');
    expect(parse('data=plane').notices).toEqual(['data=plane is a regression set: problem set to regression.']);
    expect(parse('data=spiral&problem=regression').state.problem).toBe('classification');
    expect(parse('view=playground&digit=3&layer=2').notices).toEqual([]);
    expect(parse('hidden=1,1,1,1,1,1,1,1').state.hidden).toHaveLength(6);
  });
  it('reads own points, leaving out (and saying so) the ones off the plane or not a class', () => {
    const text = encodePoints([{ x: 1, y: 2, label: 1 }, { x: -0.5, y: 0.25, label: 0 }], 'classification');
    expect(text).toBe('100_200_1~-50_25_0');
    expect(decodePoints(`${text}~900_0_1~0_0_5~junk`, { problem: 'classification', classes: 2 })).toEqual({
      points: [{ x: 1, y: 2, label: 1 }, { x: -0.5, y: 0.25, label: 0 }],
      notice: 'points: 3 points could not be read (outside the plane or not a class) and were left out' });
    expect(decodePoints('100_100_-50', { problem: 'regression', classes: 2 }).points).toEqual([{ x: 1, y: 1, label: -0.5 }]);
    expect(parse('data=own').notices).toEqual(['data=own has no points yet: click the plane to add some, or load a CSV.']);
  });
  it('resets the run for data, network and optimizer changes, not for the learning rate or regularisation', () => {
    expect(needsReset(DEFAULTS, { ...DEFAULTS, learningRate: 0.1, regularization: 'L2', regularizationRate: 0.1, batch: 3, showTest: true })).toBe(false);
    for (const change of [{ hidden: [4] }, { features: ['x1'] }, { seed: 2 }, { optimizer: 'adam' }, { init: 'zeros' }, { noise: 5 }] as Partial<PlaygroundState>[]) {
      expect(needsReset(DEFAULTS, { ...DEFAULTS, ...change })).toBe(true);
    }
    expect(stateParams({ ...DEFAULTS, learningRate: 0.1 }).get('lr')).toBe('0.1');
  });

  it('one rule for links and clicks (normalizeState, #26 item 8): a link and a click on the same data set and problem give the same state', () => {
    const sets = [...classificationSets, ...regressionSets] as DataName[];
    for (const data of sets) for (const problem of ['classification', 'multiclass', 'regression'] as const) {
      const link = parse(`view=playground&problem=${problem}&classes=3&data=${data}`);
      const click = normalizeState({ ...DEFAULTS, problem, classes: 3 }, { data });
      expect(click.state).toEqual(link.state);
      expect(click.notices).toEqual(link.notices); // the link says what the data changed; a click shows none of it
      expect(click.state.problem === 'regression').toBe((regressionSets as readonly string[]).includes(data));
      expect(click.state.classes).toBe(click.state.problem === 'multiclass' ? 3 : 2);
    }
    // a chosen problem picks a data set of its kind; two classes unless multiclass
    expect(normalizeState(DEFAULTS, { problem: 'regression' }).state).toMatchObject({ problem: 'regression', data: 'plane', classes: 2 });
    expect(normalizeState({ ...DEFAULTS, problem: 'regression', data: 'plane' }, { problem: 'classification' }).state).toMatchObject({ data: 'circle', classes: 2 });
  });
  it('own points that no longer fit the problem are left out and named; a link\'s points obey the same fit', () => {
    const own: PlaygroundState = { ...DEFAULTS, data: 'own', problem: 'multiclass', classes: 3, points: [{ x: 0, y: 0, label: 2 }, { x: 1, y: 1, label: 0 }] };
    const { state, leftOut } = normalizeState(own, { problem: 'classification' });
    expect(state.points).toEqual([{ x: 1, y: 1, label: 0 }]);
    expect(leftOut).toBe('1 of your points do not fit a classification problem and were left out');
    expect(normalizeState(own, { noise: 5 }).leftOut).toBeNull();
    expect(decodePoints(encodePoints(own.points, 'multiclass'), { problem: 'classification', classes: 2 }).points).toEqual(state.points);
  });
});
