// The explainer's links: `#view=NAME&layer=N&map=M&step=S&digit=D…` (shared/DESIGN.md, "Explainer links").
// parseRoute reads a hash without judging it; resolveRoute checks it against the model and answers with the
// nearest sensible route and one-line notices (never throws); routeHash writes a route back.
// VIEWS is the one table where a view is registered; App.svelte dispatches on it in one block.
// Every setting a link carries is checked here against what the view's controls offer (CHOICES, settingRules):
// a value the controls do not offer is snapped to the nearest one they do, or dropped, with a notice; a link
// value is looked up as an own property only; every notice is worded by linkNotice.ts. App.svelte is the one
// hashchange listener and resolves each hash here; views get their settings checked and write changes back with
// onChange (views/view.ts).
import { taskById } from '../../../core/lab/tasks.js';
// The four look-inside views check theirs in inspectRoute.ts.
import { mapCount, lossSurfaces, ConvLayer, type Sequential, type LayerType } from '../../../core/index.js';
import { irisFlowers } from './views/backward/iris.js';
import { resolveInspect, inspectRules, type InspectView } from './inspectRoute.js';
import { digitPresets } from './training.js';
import { clip, own, settingNotice } from './linkNotice.js';

/** page: no layer; op: the forward view of one layer kind; layer: any layer (backward); free: its own settings;
 *  inspect: a look inside the trained network (inspectRoute.ts checks its layer, map and settings). */
export type ViewKind = 'page' | 'op' | 'layer' | 'free' | 'inspect';

export const VIEWS = {
  overview: { kind: 'page', title: 'Overview' },
  draw: { kind: 'page', title: 'Draw' },
  train: { kind: 'page', title: 'Train' },
  conv: { kind: 'op', title: 'convolution' },
  relu: { kind: 'op', title: 'ReLU' },
  sigmoid: { kind: 'op', title: 'sigmoid' },
  tanh: { kind: 'op', title: 'tanh' },
  leakyRelu: { kind: 'op', title: 'leaky ReLU' },
  maxPool: { kind: 'op', title: 'max pooling' },
  normalize: { kind: 'op', title: 'normalisation' },
  batchNorm: { kind: 'op', title: 'batch normalisation' },
  flatten: { kind: 'op', title: 'flatten' },
  dropout: { kind: 'op', title: 'dropout' },
  dense: { kind: 'op', title: 'dense (fully connected)' },
  softmax: { kind: 'op', title: 'softmax' },
  backward: { kind: 'layer', title: 'Backward' },
  graph: { kind: 'free', title: 'Graph' },
  activations: { kind: 'free', title: 'Activations' },
  optimizers: { kind: 'free', title: 'Optimizers' },
  playground: { kind: 'free', title: 'Playground' },
  lab: { kind: 'free', title: 'Lab' },
  attribution: { kind: 'inspect', title: 'Looks at' },
  units: { kind: 'inspect', title: 'Units' },
  embedding: { kind: 'inspect', title: 'Class map' },
  robustness: { kind: 'inspect', title: 'Fooled?' },
} as const satisfies Record<string, { kind: ViewKind; title: string }>;

export type ViewName = keyof typeof VIEWS;
export type OpView = LayerType; // every layer kind has a forward view of its own name
type PageOrFree = { [V in ViewName]: (typeof VIEWS)[V]['kind'] extends 'page' | 'free' ? V : never }[ViewName];

/** Where the network's input comes from: a bundled sample, the drawing in `ink`, or digit `test` of the 2,000 test digits. */
export type Source = 'sample' | 'drawn' | 'test';
export const TEST_DIGITS = 2000;

interface Shared {
  digit: number;
  source: Source;
  /** The drawing, 784 bytes base64url (encodeInk), when source is 'drawn'. */
  ink: string | null;
  /** Index into the test digits, when source is 'test'. */
  test: number | null;
  /** The model the link points into (null: the shipped model). */
  model: string | null;
  /** The view's own settings (stride, padding, size, …), as written; each view checks its own. */
  settings: Record<string, string>;
}
export type Route = Shared & (
  | { view: PageOrFree; layer: number | null; map: null; step: number | null }
  | { view: OpView | 'backward'; layer: number; map: number; step: number | null }
  | { view: InspectView; layer: number; map: number; step: null }
);

const KNOWN = new Set(['view', 'layer', 'map', 'step', 'digit', 'source', 'ink', 'test', 'model']);

/** The hash's parameters as written (no checks). */
export function parseRoute(hash: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(hash.replace(/^#/, '')));
}

/** A non-negative integer written in decimal, or null (garbage, negative, fractional, huge). */
export function parseIndex(text: string | undefined): number | null {
  if (text === undefined || !/^\d{1,9}$/.test(text.trim())) return null;
  return Number(text.trim());
}

const isView = (name: string): name is ViewName => own(VIEWS, name);

/** What the views' controls offer: the one list the control draws and the router checks a link against. */
export const CHOICES = {
  scale: ['local', 'layer', 'network'],
  convStride: [1, 2, 3, 4],
  convPadding: ['valid', 'same', '1', '2', '3'],
  convSize: [1, 2, 3, 4, 5, 6, 7, 9, 13, 29],
  poolSize: [1, 2, 3, 4, 5, 30],
  poolStride: [1, 2, 3, 4],
  /** Dropout's and batchNorm's mode: inference, or one training pass. */
  dropoutMode: ['inference', 'train'],
  /** The backward view's gradients of a layer with weights (others have only dx). */
  part: ['dW', 'db', 'dx'],
  /** Seeds (dropout's mask) and other whole numbers a teacher may type. */
  seedMax: 99999,
  /** Learning rates typed into the graph and optimizers views. */
  rate: [0.0001, 100],
  /** The training page's knobs: the validation fraction, one dropout rate for every dropout layer, distortions. */
  validation: [0.05, 0.1, 0.2, 0.3, 0.4, 0.5],
  dropoutRate: [0, 0.1, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.9],
  augment: ['on', 'off'],
} as const;
/** A setting given as one number (a [h, w] pair has no place in the views' square lists). */
export const single = (value: unknown): number | null => (typeof value === 'number' ? value : null);
/** A view's list with the layer's own value in it (a model may have been trained with a size the list lacks). */
export const withOwn = (list: readonly number[], value: number | null | undefined) =>
  value === null || value === undefined || list.includes(value) ? list.slice() : [...list, value].sort((a, b) => a - b);

/** A rule for one link setting: one of a list (a number snaps to the nearest number in it), a whole number in
 *  [min, max] (rounded, clamped), a real number in [min, max], or a text the view checks with `test`. */
type Rule =
  | { choices: readonly (string | number)[] }
  | { whole: readonly [number, number] }
  | { real: readonly [number, number] }
  | { test: (text: string) => boolean; what: string };

/** The settings view `view` of `layer` reads from a link, each with its rule. */
export function settingRules(view: ViewName, model: Sequential, layer: number | null): Record<string, Rule> {
  const scale = { choices: CHOICES.scale };
  const config = layer === null ? null : model.configs[layer];
  switch (view) {
    case 'conv': {
      const l = layer === null ? null : model.layers[layer];
      const c = l instanceof ConvLayer ? l : null;
      return { scale, stride: { choices: withOwn(CHOICES.convStride, single(c?.config.stride)) }, padding: { choices: CHOICES.convPadding },
        size: { choices: withOwn(CHOICES.convSize, c?.kernels.shape[2]) } };
    }
    case 'maxPool': {
      const c = config?.type === 'maxPool' ? config : null;
      return { scale, size: { choices: withOwn(CHOICES.poolSize, single(c?.size)) }, stride: { choices: withOwn(CHOICES.poolStride, single(c?.stride ?? c?.size)) } };
    }
    case 'flatten': return { scale, pos: { whole: [0, layer === null ? 0 : model.layers[layer].inputShape.reduce((a, b) => a * b, 1) - 1] } };
    case 'dropout': return { scale, mode: { choices: CHOICES.dropoutMode }, seed: { whole: [0, CHOICES.seedMax] } };
    case 'batchNorm': return { scale, mode: { choices: CHOICES.dropoutMode } };
    case 'relu': case 'leakyRelu': case 'sigmoid': case 'tanh': case 'normalize': case 'dense': case 'softmax': return { scale };
    case 'backward':
      return { target: { whole: [0, model.classes - 1] }, part: { choices: config?.type === 'conv' || config?.type === 'dense' ? CHOICES.part : ['dx'] } };
    case 'overview': return { scale, grad: { choices: ['1'] }, sel: { test: (text) => selection(model, text) !== null, what: 'a layer.map of this model' } };
    case 'graph': return { flower: { whole: [0, irisFlowers().length - 1] }, lr: { real: CHOICES.rate } };
    case 'optimizers': return { surface: { choices: Object.keys(lossSurfaces) }, sgd: { real: CHOICES.rate }, momentum: { real: CHOICES.rate }, adam: { real: CHOICES.rate } };
    case 'lab': return { task: { test: (text) => taskById(text) !== undefined, what: 'a lab task (see #view=lab)' },
      tasks: { test: (text) => text.split(',').some((id) => taskById(id.trim()) !== undefined), what: 'a comma-separated list of lab tasks' }, lock: { choices: ['0', '1'] } };
    case 'train': return { net: { choices: digitPresets().map((p) => p.name) }, val: { choices: CHOICES.validation }, dropout: { choices: CHOICES.dropoutRate }, augment: { choices: CHOICES.augment } };
    case 'activations': case 'draw': case 'playground': return {};
    case 'attribution': case 'units': case 'embedding': case 'robustness': return inspectRules(view, model); // inspectRoute.ts applies them
  }
}

/** The overview's `sel=LAYER.MAP` (a map, unit or class of a layer's output), or null. */
export function selection(model: Sequential, text: string | undefined): { layer: number; map: number } | null {
  const match = /^(\d{1,6})\.(\d{1,6})$/.exec(text ?? '');
  if (!match) return null;
  const layer = Number(match[1]), map = Number(match[2]);
  return layer < model.layers.length && map < model.layers[layer].outputShape[0] ? { layer, map } : null;
}

/** `settings` checked against `rules`: values the controls offer kept, others snapped or dropped, one notice each.
 *  (The playground's own keys are checked by its normalizeState.) */
export function checkSettings(settings: Record<string, string>, rules: Record<string, Rule>, view: ViewName): { settings: Record<string, string>; notices: string[] } {
  const out: Record<string, string> = {};
  const notices: string[] = [];
  const said = (key: string, given: string, why: string, used: string | null) => notices.push(settingNotice(key, given, why, used));
  for (const [key, given] of Object.entries(settings)) {
    if (!own(rules, key)) { said(key, given, `is not a setting of the ${VIEWS[view].title} view`, null); continue; }
    const rule = rules[key];
    const text = given.trim(), value = text === '' ? NaN : Number(text);
    if ('choices' in rule) {
      const list = rule.choices.map(String);
      if (list.includes(text)) { out[key] = text; continue; }
      const numbers = rule.choices.filter((c): c is number => typeof c === 'number' || /^\d+$/.test(c)).map(Number);
      if (Number.isFinite(value) && numbers.length) {
        const wanted = Math.min(Math.max(value, Math.min(...numbers)), Math.max(...numbers)); // 1e308 is nearest the largest
        const nearest = numbers.reduce((best, v) => (Math.abs(v - wanted) < Math.abs(best - wanted) ? v : best), numbers[0]);
        out[key] = String(nearest);
        said(key, given, `is not offered (${list.join(', ')}); nearest`, out[key]);
      } else said(key, given, `is not one of ${list.join(', ')}`, null);
    } else if ('whole' in rule || 'real' in rule) {
      const [low, high] = 'whole' in rule ? rule.whole : rule.real;
      if (!Number.isFinite(value)) { said(key, given, 'is not a number', null); continue; }
      const used = Math.min(high, Math.max(low, 'whole' in rule ? Math.round(value) : value));
      out[key] = String(used);
      if (used !== value) said(key, given, `is outside ${low}…${high}${'whole' in rule ? ' (whole numbers)' : ''}`, out[key]);
    } else if (rule.test(text)) out[key] = text;
    else said(key, given, `is not ${rule.what}`, null);
  }
  return { settings: out, notices };
}

/** The route a link asks for, made to fit `model`, with one notice per thing that had to change. */
export function resolveRoute(params: Record<string, string>, model: Sequential, sampleCount: number): { route: Route; notices: string[] } {
  const notices: string[] = [];
  const settings = Object.fromEntries(Object.entries(params).filter(([key, value]) => !KNOWN.has(key) && value !== ''));
  const last = model.configs.length - 1;

  // a number past the end: the last one (the nearest); anything else: the first
  let digit = parseIndex(params.digit) ?? 0;
  if (params.digit !== undefined && params.digit !== '' && (parseIndex(params.digit) === null || (sampleCount > 0 && digit >= sampleCount))) {
    digit = parseIndex(params.digit) === null ? 0 : sampleCount - 1;
    notices.push(`there is no sample digit ${clip(params.digit)} (0–${Math.max(0, sampleCount - 1)}): showing digit ${digit}.`);
  }
  let source: Source = params.source === 'drawn' || params.source === 'test' ? params.source : 'sample';
  let ink: string | null = null, test: number | null = null;
  if (source === 'drawn') {
    if (params.ink && decodeInk(params.ink)) ink = params.ink;
    else { notices.push(params.ink ? 'the drawing in this link is damaged: showing a sample digit.' : 'this link has no drawing in it: showing a sample digit.'); source = 'sample'; }
  } else if (source === 'test') {
    test = parseIndex(params.test);
    if (test !== null && test >= TEST_DIGITS) { notices.push(`there is no test digit ${test} (0–${TEST_DIGITS - 1}): showing test digit ${TEST_DIGITS - 1}.`); test = TEST_DIGITS - 1; }
    else if (test === null) { notices.push(`there is no test digit ${clip(params.test ?? '')} (0–${TEST_DIGITS - 1}): showing a sample digit.`); source = 'sample'; }
  }
  const modelId = params.model && /^[\w-]{1,64}$/.test(params.model) ? params.model : null;
  const shared: Shared = { digit, source, ink, test, model: modelId, settings };

  const name = params.view || 'overview';
  if (!isView(name)) {
    notices.push(`there is no view "${clip(name)}": showing the overview.`);
    return { route: { ...shared, settings: {}, view: 'overview', layer: null, map: null, step: null }, notices };
  }
  const kind: ViewKind = VIEWS[name].kind;
  if (kind === 'inspect') {
    const inspect = resolveInspect(name as InspectView, params, model);
    notices.push(...inspect.notices);
    return { route: { ...shared, settings: inspect.settings, view: name as InspectView, layer: inspect.layer, map: inspect.map, step: null }, notices };
  }
  if (kind === 'page' || kind === 'free') {
    let layer = parseIndex(params.layer);
    if (params.layer !== undefined && params.layer !== '' && (layer === null || layer > last)) {
      if (kind === 'free') notices.push(`layer ${clip(params.layer)} does not exist (this model has layers 0–${last}).`);
      layer = null;
    }
    const view = name as PageOrFree;
    const checked = view === 'playground' ? { settings, notices: [] } : checkSettings(settings, settingRules(view, model, null), view);
    notices.push(...checked.notices);
    return { route: { ...shared, settings: checked.settings, view, layer: kind === 'free' ? layer : null, map: null, step: kind === 'free' ? parseStep(params.step, notices) : null }, notices };
  }

  // a view of one layer: the layer must exist and, for a forward view, be of the view's kind
  let view = name as OpView | 'backward';
  let layer = parseIndex(params.layer);
  let keepSettings = true;
  if (layer === null || layer > last) {
    const wanted = params.layer === undefined || params.layer === '' ? '' : `layer ${clip(params.layer)} does not exist (this model has layers 0–${last})`;
    const first = view === 'backward' ? last : model.configs.findIndex((c) => c.type === view);
    if (first < 0) {
      notices.push(`${wanted ? `${wanted}; ` : ''}this model has no ${VIEWS[view].title} layer: showing the overview.`);
      return { route: { ...shared, settings: {}, view: 'overview', layer: null, map: null, step: null }, notices };
    }
    if (wanted) notices.push(`${wanted}: showing layer ${first}${view === 'backward' ? '' : `, its first ${VIEWS[view].title} layer`}.`);
    layer = first;
    keepSettings = !wanted;
  } else if (view !== 'backward' && model.configs[layer].type !== view) {
    const actual = model.configs[layer].type;
    notices.push(`layer ${layer} is ${article(VIEWS[actual].title)}, not ${article(VIEWS[view].title)}: showing the ${VIEWS[actual].title} view.`);
    view = actual;
    keepSettings = false;
  }
  const maps = mapCount(model, layer);
  let map = parseIndex(params.map);
  if (params.map !== undefined && params.map !== '' && (map === null || map >= maps)) {
    notices.push(`${maps === 1 ? `layer ${layer} has one map` : `map ${clip(params.map)} does not exist (layer ${layer} has maps 0–${maps - 1})`}: showing map 0.`);
    map = 0;
    keepSettings = false;
  }
  const step = keepSettings ? parseStep(params.step, notices) : null;
  const checked = keepSettings ? checkSettings(settings, settingRules(view, model, layer), view) : { settings: {}, notices: [] };
  notices.push(...checked.notices);
  return { route: { ...shared, settings: checked.settings, view, layer, map: map ?? 0, step }, notices };
}

/** The link's step: a whole number (a view's player clamps it to its own count), else a notice and the first step. */
function parseStep(text: string | undefined, notices: string[]): number | null {
  if (text === undefined || text === '') return null;
  const step = parseIndex(text);
  if (step === null) notices.push(`step=${clip(text)} is not a step number: starting at the first step.`);
  return step;
}

/** The hash of a route: the same keys in a fixed order, empty ones left out. */
export function routeHash(route: Route): string {
  const entries: [string, string | number | null][] = [
    ['view', route.view], ['layer', route.layer], ['map', route.map], ['step', route.step],
    ['digit', route.source === 'sample' ? route.digit : null], ['source', route.source === 'sample' ? null : route.source],
    ['test', route.source === 'test' ? route.test : null], ['ink', route.source === 'drawn' ? route.ink : null], ['model', route.model],
    ...Object.entries(route.settings),
  ];
  return new URLSearchParams(entries.filter(([, v]) => v !== null && v !== '').map(([k, v]) => [k, String(v)])).toString();
}

/** A route as plain parameters (for changing some of them and resolving again). */
export function routeParams(route: Route): Record<string, string> {
  return parseRoute(routeHash(route));
}

/** A 28×28 digit in [0,1] as 784 bytes (round(255·v)), base64url: a drawing that fits in a link. */
export function encodeInk(pixels: ArrayLike<number>): string {
  let binary = '';
  for (let i = 0; i < 784; i++) binary += String.fromCharCode(Math.round(255 * Math.min(1, Math.max(0, pixels[i] || 0))));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The digit encodeInk wrote, or null when the text is not 784 bytes of base64url. */
export function decodeInk(text: string): Float32Array | null {
  if (!/^[A-Za-z0-9_-]{1046}$/.test(text)) return null;
  let binary: string;
  try { binary = atob(text.replace(/-/g, '+').replace(/_/g, '/')); } catch { return null; }
  if (binary.length !== 784) return null;
  return Float32Array.from(binary, (c) => c.charCodeAt(0) / 255);
}

const article = (title: string) => `${/^[aeiou]/i.test(title) && !/^ReLU/.test(title) ? 'an' : 'a'} ${title}`;
