// The playground's whole state as URL parameters: parse (unknown or out-of-range → nearest valid + a notice),
// write, and what a change means for the run (rebuild the network, or only new step settings).
import {
  type PlanarName, type PlanarPoint, type FeatureName, type Problem, type PlaygroundActivation, type Regularization,
  type OptimizerName, type Initializer, type NetworkSpec, type StepSettings,
  FEATURES, isFeatureName, initializers, classificationSets, regressionSets, MAX_HIDDEN_LAYERS, MAX_NEURONS, PLANE_RADIUS, MAX_CLASSES,
  PLAYGROUND_ACTIVATIONS,
} from '../../../../core/index.js';
import { settingNotice } from '../linkNotice.js';

export type DataName = PlanarName | 'own';
/** Controls a teacher's link can hide (each hides its part of the page). */
export const CONTROLS = ['data', 'noise', 'ratio', 'batch', 'regenerate', 'features', 'layers', 'activation', 'learningRate',
  'regularization', 'problem', 'optimizer', 'init', 'dropout', 'seed', 'ownData', 'editWeights', 'compare', 'export', 'teacher'] as const;
export type Control = (typeof CONTROLS)[number];

export const LEARNING_RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
export const REGULARIZATION_RATES = [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
export const DROPOUT_RATES = [0, 0.1, 0.2, 0.3, 0.4, 0.5];
export const OPTIMIZERS: OptimizerName[] = ['sgd', 'momentum', 'adam'];
export const PROBLEMS: Problem[] = ['classification', 'multiclass', 'regression'];
/** The most points of your own (clicked or from CSV). */
export const MAX_OWN_POINTS = 1000;
/** Points in a generated data set (as TF Playground). */
export const DATA_POINTS = 500;

export interface PlaygroundState {
  data: DataName;
  problem: Problem;
  classes: number;
  /** Percent, 0…50. */
  noise: number;
  /** Percent of the points that train, 10…90. */
  ratio: number;
  batch: number;
  dataSeed: number;
  seed: number;
  features: FeatureName[];
  hidden: number[];
  activation: PlaygroundActivation;
  learningRate: number;
  regularization: Regularization;
  regularizationRate: number;
  optimizer: OptimizerName;
  init: Initializer;
  dropout: number;
  showTest: boolean;
  discretize: boolean;
  hide: Control[];
  points: PlanarPoint[];
}

export const DEFAULTS: PlaygroundState = {
  data: 'circle', problem: 'classification', classes: 2, noise: 0, ratio: 50, batch: 10, dataSeed: 1, seed: 1,
  features: ['x1', 'x2'], hidden: [4, 4], activation: 'tanh', learningRate: 0.03, regularization: 'none', regularizationRate: 0,
  optimizer: 'sgd', init: 'glorotUniform', dropout: 0, showTest: false, discretize: false, hide: [], points: [],
};

const KEYS: Record<string, keyof PlaygroundState | 'view'> = {
  view: 'view', data: 'data', problem: 'problem', classes: 'classes', noise: 'noise', ratio: 'ratio', batch: 'batch',
  dataSeed: 'dataSeed', seed: 'seed', features: 'features', hidden: 'hidden', activation: 'activation', lr: 'learningRate',
  reg: 'regularization', regRate: 'regularizationRate', optimizer: 'optimizer', init: 'init', dropout: 'dropout',
  test: 'showTest', discretize: 'discretize', hide: 'hide', points: 'points',
};
/** The explainer's other views' settings, carried over when the header's link opens the playground: ignored quietly. */
const OTHER_VIEWS_KEYS = ['digit', 'layer', 'map', 'step', 'source', 'ink', 'model', 'stride', 'padding', 'size'];
const URL_KEY = Object.fromEntries(Object.entries(KEYS).map(([k, v]) => [v, k])) as Record<keyof PlaygroundState, string>;

const nearest = (list: number[], value: number) => list.reduce((best, v) => (Math.abs(v - value) < Math.abs(best - value) ? v : best), list[0]);
const clampInt = (v: number, low: number, high: number) => Math.min(high, Math.max(low, Math.round(v)));

/** The state from URL parameters; every setting that was unknown or out of range is replaced and named in `notices`. */
export function parseState(params: URLSearchParams | Record<string, string>): { state: PlaygroundState; notices: string[] } {
  const entries = params instanceof URLSearchParams ? Array.from(params.entries()) : Object.entries(params);
  const state: PlaygroundState = structuredClone(DEFAULTS);
  const notices: string[] = [];
  const changed = (key: string, given: string, used: unknown, why: string) =>
    notices.push(settingNotice(key, given, why, Array.isArray(used) ? used.join(',') || 'none' : String(used)));
  const number = (key: string, raw: string): number | null => {
    const v = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(v)) { changed(key, raw, 'the default', 'is not a number'); return null; }
    return v;
  };
  const oneOf = <T extends string>(key: string, raw: string, list: readonly T[], fallback: T): T => {
    if ((list as readonly string[]).includes(raw)) return raw as T;
    changed(key, raw, fallback, `is not one of ${list.join(', ')}`);
    return fallback;
  };
  const ranged = (key: string, raw: string, low: number, high: number, fallback: number, integer = true): number => {
    const v = number(key, raw);
    if (v === null) return fallback;
    const used = integer ? clampInt(v, low, high) : Math.min(high, Math.max(low, v));
    if (used !== v) changed(key, raw, used, `is outside ${low}…${high}${integer ? ' (whole numbers)' : ''}`);
    return used;
  };
  const listed = (key: string, raw: string, list: number[]): number => {
    const v = number(key, raw);
    if (v === null) return list[0];
    const used = nearest(list, v);
    if (used !== v) changed(key, raw, used, `is not offered (${list.join(', ')}); nearest`);
    return used;
  };
  let pointsRaw: string | null = null;
  for (const [key, raw] of entries) {
    const field = Object.prototype.hasOwnProperty.call(KEYS, key) ? KEYS[key] : undefined; // a link value never reaches an inherited property
    switch (field) {
      case undefined: if (!OTHER_VIEWS_KEYS.includes(key)) notices.push(settingNotice(key, raw, 'is not a setting of the playground', null)); break;
      case 'view': break;
      case 'data': state.data = oneOf(key, raw, [...classificationSets, ...regressionSets, 'own'] as DataName[], DEFAULTS.data); break;
      case 'problem': state.problem = oneOf(key, raw, PROBLEMS, DEFAULTS.problem); break;
      case 'classes': state.classes = ranged(key, raw, 2, MAX_CLASSES, 2); break;
      case 'noise': state.noise = ranged(key, raw, 0, 50, 0); break;
      case 'ratio': state.ratio = ranged(key, raw, 10, 90, 50); break;
      case 'batch': state.batch = ranged(key, raw, 1, 30, 10); break;
      case 'dataSeed': state.dataSeed = ranged(key, raw, 0, 99999, 1); break;
      case 'seed': state.seed = ranged(key, raw, 0, 99999, 1); break;
      case 'features': {
        const names = raw.split(',').filter(Boolean);
        const known = FEATURES.map((f) => f.name).filter((f) => names.includes(f)); // in the canonical order
        const unknown = names.filter((n) => !isFeatureName(n));
        state.features = known.length ? known : DEFAULTS.features;
        if (unknown.length || !known.length) changed(key, raw, state.features, unknown.length ? `names unknown features (${unknown.join(', ')})` : 'chooses no feature');
        break;
      }
      case 'hidden': {
        const sizes = raw === '' ? [] : raw.split(',').map(Number);
        let used = sizes.map((h) => (Number.isFinite(h) ? clampInt(h, 1, MAX_NEURONS) : 4)).slice(0, MAX_HIDDEN_LAYERS);
        if (sizes.some((h) => !Number.isFinite(h))) used = DEFAULTS.hidden;
        state.hidden = used;
        if (used.join(',') !== sizes.join(',')) changed(key, raw, used.length ? used : ['none'], `is outside 0…${MAX_HIDDEN_LAYERS} layers of 1…${MAX_NEURONS} neurons`);
        break;
      }
      case 'activation': state.activation = oneOf(key, raw, PLAYGROUND_ACTIVATIONS, DEFAULTS.activation); break;
      case 'learningRate': state.learningRate = listed(key, raw, LEARNING_RATES); break;
      case 'regularization': state.regularization = oneOf(key, raw, ['none', 'L1', 'L2'] as Regularization[], 'none'); break;
      case 'regularizationRate': state.regularizationRate = listed(key, raw, REGULARIZATION_RATES); break;
      case 'optimizer': state.optimizer = oneOf(key, raw, OPTIMIZERS, DEFAULTS.optimizer); break;
      case 'init': state.init = oneOf(key, raw, initializers, DEFAULTS.init); break;
      case 'dropout': state.dropout = listed(key, raw, DROPOUT_RATES); break;
      case 'showTest': case 'discretize': state[field] = raw === '1' || raw === 'true'; break;
      case 'hide': {
        const names = raw.split(',').filter(Boolean);
        state.hide = CONTROLS.filter((c) => names.includes(c));
        const unknown = names.filter((n) => !(CONTROLS as readonly string[]).includes(n));
        if (unknown.length) changed(key, raw, state.hide, `names controls that do not exist (${unknown.join(', ')})`);
        break;
      }
      case 'points': pointsRaw = raw; break;
    }
  }
  // the link's data decides the problem, as a click on a data set does (normalizeState, one rule for both)
  const normal = normalizeState(state, { data: state.data });
  notices.push(...normal.notices);
  if (pointsRaw !== null) {
    const decoded = decodePoints(pointsRaw, normal.state);
    normal.state.points = decoded.points;
    if (decoded.notice) notices.push(decoded.notice);
  }
  if (normal.state.data === 'own' && normal.state.points.length === 0) notices.push('data=own has no points yet: click the plane to add some, or load a CSV.');
  return { state: normal.state, notices };
}

/** `state` with `patch` applied and made whole, for links (parseState) and clicks (the page's change) alike: the
 *  problem follows a named data set (a regression set cannot be classified, a class set cannot be regressed), a named
 *  problem picks a data set of its kind, two classes unless multiclass, own points that fit no longer left out.
 *  `notices` say what was adjusted beyond the patch (a link shows them); `leftOut` names dropped points (both show it). */
export function normalizeState(state: PlaygroundState, patch: Partial<PlaygroundState>): { state: PlaygroundState; notices: string[]; leftOut: string | null } {
  const next: PlaygroundState = { ...state, ...patch };
  const notices: string[] = [];
  if (patch.data && patch.data !== 'own') {
    const regression = regressionSets.includes(patch.data);
    if (regression && next.problem !== 'regression') { notices.push(`data=${next.data} is a regression set: problem set to regression.`); next.problem = 'regression'; }
    if (!regression && next.problem === 'regression') { notices.push(`data=${next.data} has classes: problem set to classification.`); next.problem = 'classification'; }
  }
  if (patch.problem && next.data !== 'own') {
    if (patch.problem === 'regression' && !regressionSets.includes(next.data)) next.data = 'plane';
    if (patch.problem !== 'regression' && regressionSets.includes(next.data)) next.data = 'circle';
  }
  if (next.problem !== 'multiclass') next.classes = 2;
  let leftOut: string | null = null;
  if (patch.problem && next.points.length) {
    const kept = next.points.filter((p) => fitsProblem(p.label, next));
    if (kept.length < next.points.length) leftOut = `${next.points.length - kept.length} of your points do not fit a ${next.problem} problem and were left out`;
    next.points = kept;
  }
  return { state: next, notices, leftOut };
}

/** Can a point with this label belong to the state's problem: a value in −1…1 (regression) or one of its classes. */
export function fitsProblem(label: number, state: Pick<PlaygroundState, 'problem' | 'classes'>): boolean {
  return state.problem === 'regression' ? Math.abs(label) <= 1 : Number.isInteger(label) && label >= 0 && label < (state.problem === 'multiclass' ? state.classes : 2);
}

/** The state as URL parameters (defaults left out, so links stay short), starting with view=playground. */
export function stateParams(state: PlaygroundState): URLSearchParams {
  const params = new URLSearchParams({ view: 'playground' });
  for (const key of Object.keys(DEFAULTS) as (keyof PlaygroundState)[]) {
    const value = state[key], fallback = DEFAULTS[key];
    if (key === 'points') { if (state.data === 'own' && state.points.length) params.set(URL_KEY[key], encodePoints(state.points, state.problem)); continue; }
    const text = Array.isArray(value) ? value.join(',') : typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
    const defaultText = Array.isArray(fallback) ? fallback.join(',') : typeof fallback === 'boolean' ? (fallback ? '1' : '0') : String(fallback);
    if (text !== defaultText) params.set(URL_KEY[key], text);
  }
  return params;
}

/** A link's text for playground parameters (commas and tildes left readable). */
export const paramsHash = (params: URLSearchParams | Record<string, string>) =>
  `#${new URLSearchParams(params).toString().replace(/%2C/g, ',').replace(/%7E/g, '~')}`;
export const stateHash = (state: PlaygroundState) => paramsHash(stateParams(state));

/** Points as text: x and y in hundredths, label (a class, or a value in hundredths), "x_y_l" joined by "~". */
export function encodePoints(points: readonly PlanarPoint[], problem: Problem): string {
  const label = (v: number) => (problem === 'regression' ? Math.round(v * 100) : v);
  return points.map((p) => `${Math.round(p.x * 100)}_${Math.round(p.y * 100)}_${label(p.label)}`).join('~');
}

export function decodePoints(text: string, state: Pick<PlaygroundState, 'problem' | 'classes'>): { points: PlanarPoint[]; notice: string | null } {
  const parts = text.split('~').filter(Boolean);
  const points: PlanarPoint[] = [];
  let bad = 0;
  for (const part of parts.slice(0, MAX_OWN_POINTS)) {
    const [x, y, l] = part.split('_').map(Number);
    const label = state.problem === 'regression' ? l / 100 : l;
    const ok = [x, y, l].every(Number.isInteger) && Math.abs(x) <= PLANE_RADIUS * 100 && Math.abs(y) <= PLANE_RADIUS * 100 && fitsProblem(label, state);
    if (ok) points.push({ x: x / 100, y: y / 100, label }); else bad++;
  }
  const notes = [];
  if (bad) notes.push(`${bad} point${bad > 1 ? 's' : ''} could not be read (outside the plane or not a class) and ${bad > 1 ? 'were' : 'was'} left out`);
  if (parts.length > MAX_OWN_POINTS) notes.push(`only the first ${MAX_OWN_POINTS} points were kept (the playground's limit)`);
  return { points, notice: notes.length ? `points: ${notes.join('; ')}` : null };
}

/** The network part of the state. */
export function networkSpec(state: PlaygroundState): NetworkSpec {
  return { features: state.features, hidden: state.hidden, activation: state.activation, problem: state.problem,
    classes: state.problem === 'multiclass' ? state.classes : 2, dropout: state.dropout, init: state.init, seed: state.seed };
}
export function stepSettings(state: PlaygroundState): StepSettings {
  return { learningRate: state.learningRate, batchSize: state.batch, regularization: state.regularization, regularizationRate: state.regularizationRate };
}

/** Does going from `a` to `b` need new data or a new network (a reset), or only new step settings? */
export function needsReset(a: PlaygroundState, b: PlaygroundState): boolean {
  const keys: (keyof PlaygroundState)[] = ['data', 'problem', 'classes', 'noise', 'ratio', 'dataSeed', 'seed', 'features', 'hidden', 'activation', 'optimizer', 'init', 'dropout', 'points'];
  return keys.some((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}
