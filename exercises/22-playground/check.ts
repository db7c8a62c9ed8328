import { Sequential, fit, fromData, type LayerConfig } from '../../core/index.js';
import { loadModel } from '../../core/node.js';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Check, type Case, propertyCase } from '../lib.js';
import { makeData, featureRows, featureName, type DataName, type Feature, type Point } from './data.js';

const repository = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export interface ModelAnswer { file: string; features: string[] }
export interface PlaygroundAnswers { circleLinearAccuracy: number; circleFeatures: string[]; xorModel: ModelAnswer; spiralModel: ModelAnswer }

// new points: other random positions (seed 7) for circle and exclusive-or; for the spiral, whose positions its
// formula fixes, the points half-way between the training ones along the arms, with their own noise
const testSet = (name: DataName) => makeData(name, 400, name === 'spiral' ? 0.1 : 0, 7, name === 'spiral' ? 0.5 : 0);
const trainSet = (name: DataName) => makeData(name, 400, name === 'spiral' ? 0.1 : 0, 1);
const isHidden = (layers: LayerConfig[]) => layers.filter((l) => l.type === 'dense' || l.type === 'conv').length - 1;

/** Accuracy of a model on points: 2 outputs → arg-max; 1 output → > 0.5 after sigmoid/softmax, > 0 otherwise (tanh, ±1 labels). */
export function accuracyOf(model: Sequential, features: Feature[], points: Point[]): number {
  const out = model.predict(fromData(featureRows(points, features), [points.length, features.length])).data;
  const classes = model.classes, last = model.configs[model.configs.length - 1].type;
  const threshold = last === 'sigmoid' || last === 'softmax' ? 0.5 : 0;
  const right = points.filter((p, n) => (classes === 1 ? (out[n] > threshold ? 1 : 0) : (out[2 * n + 1] > out[2 * n] ? 1 : 0)) === p.label).length;
  return right / points.length;
}
/** A no-hidden-layer classifier trained by convlab on the given features (what the Playground does with 0 hidden layers). */
function linearAccuracy(name: DataName, features: Feature[]): number {
  const model = new Sequential({ inputShape: [features.length], layers: [{ type: 'dense', units: 2 }, { type: 'softmax' }], seed: 1 });
  const train = trainSet(name);
  fit(model, { inputs: featureRows(train, features), labels: Int32Array.from(train.map((p) => p.label)), sampleShape: [features.length], classes: 2 },
    { epochs: 60, batchSize: 10, loss: 'crossEntropy', optimizer: { type: 'adam', learningRate: 0.05 }, seed: 1 });
  return accuracyOf(model, features, testSet(name));
}
function parseFeatures(list: unknown): { features: Feature[]; unknown: string[] } {
  const names = Array.isArray(list) ? list.map(String) : [];
  const features = names.map(featureName);
  return { features: features.filter((f): f is Feature => f !== null), unknown: names.filter((_, i) => features[i] === null) };
}
const featureHelp = "names as in the Playground: 'x1', 'x2', 'x1^2', 'x2^2', 'x1x2', 'sin(x1)', 'sin(x2)'";
const exportHelp = 'train it at #view=playground and save the model file (or train it with convlab in Node, as exercises/22-playground/train-solution.ts does), then put its path, relative to the repository, in starter.ts';

function modelCase(key: 'xorModel' | 'spiralModel', data: DataName, title: string, target: number, rules: (layers: LayerConfig[], features: Feature[]) => string | null): (answers: PlaygroundAnswers) => Case {
  return (answers) => propertyCase(title, `your model file on 400 new ${data} points (seed 7${data === 'spiral' ? ', between the training points along the arms' : ''}), target ≥ ${target * 100} %`, () => {
    const answer = answers[key];
    if (!answer?.file) return { difference: 'no model file given yet', hint: exportHelp };
    let loaded: ReturnType<typeof loadModel>;
    try { loaded = loadModel(resolve(repository, answer.file)); } catch (error) { return { difference: (error as Error).message, hint: exportHelp }; }
    const given = answer.features?.length ? answer.features : (loaded.training?.features as string[] | undefined) ?? [];
    const { features, unknown } = parseFeatures(given);
    if (unknown.length) return { difference: `unknown feature(s) ${JSON.stringify(unknown)}`, hint: featureHelp };
    const inputs = loaded.model.inputShape;
    if (inputs.length !== 1 || inputs[0] !== features.length) return { difference: `the model takes input [${inputs.join(',')}] but ${features.length} feature(s) are named (${JSON.stringify(features)})`, hint: 'list the input features in the order the model reads them (the Playground exports them with the model)' };
    const broken = rules(loaded.model.configs, features);
    if (broken) return { difference: broken, hint: `this question allows only: ${title.split(': ')[0].replace(/^\d\. /, '')}` };
    const accuracy = accuracyOf(loaded.model, features, testSet(data));
    return accuracy >= target ? null : { difference: `test accuracy ${(accuracy * 100).toFixed(1)} %`, hint: `keep training or change the network until the test accuracy is at least ${target * 100} % (watch the test loss, not only the training loss)` };
  });
}

export const check: Check = {
  title: 'Playground (Week-3 E3.2, lab report Exercise 3): answers checked by experiment',
  exports: ['answers'],
  hints: [
    'open #view=playground, pick the data set, set the features and hidden layers the question names, and press play',
    'circle: the boundary is a ring x1² + x2² = r², a straight line in the features x1² and x2²',
    'exclusive-or: the label is the sign of x1·x2 — one feature says it all',
    'spiral: add sin(x1), sin(x2) and two hidden layers of 6–8 tanh units; stop when the test loss stops falling',
  ],
  cases(impl) {
    const answers = impl.answers as PlaygroundAnswers;
    return [
      propertyCase('1. circle with x1, x2 and no hidden layer: the accuracy you saw', 'answers.circleLinearAccuracy, compared with the same experiment run by the check', () => {
        const a = answers.circleLinearAccuracy;
        if (typeof a !== 'number' || Number.isNaN(a)) return { difference: 'not answered yet', hint: 'run the experiment in the Playground and write the test accuracy (0 to 1) in answers.circleLinearAccuracy' };
        if (a > 1) return { difference: `${a}`, hint: 'write accuracy as a fraction in [0, 1], not a percentage' };
        const seen = linearAccuracy('circle', ['x1', 'x2']);
        if (a >= 0.75) return { difference: `you answered ${a}; the same experiment here gives ${seen.toFixed(2)}`, hint: 'with x1, x2 and no hidden layer the boundary is a straight line, and no line separates a disc from the ring around it: look again' };
        if (a < 0.25) return { difference: `you answered ${a}; the same experiment here gives ${seen.toFixed(2)}`, hint: 'a straight line gets roughly a quarter to three quarters of a disc-in-a-ring right (one side of the line holds parts of both classes): run the experiment again and read the test accuracy' };
        return null;
      }),
      propertyCase('2. circle with no hidden layer: the fewest features that reach ≥ 90 %', 'answers.circleFeatures, trained by the check with no hidden layer', () => {
        const { features, unknown } = parseFeatures(answers.circleFeatures);
        if (unknown.length) return { difference: `unknown feature(s) ${JSON.stringify(unknown)}`, hint: featureHelp };
        if (features.length === 0) return { difference: 'not answered yet', hint: 'try the features one by one with no hidden layer; list those you need in answers.circleFeatures' };
        if (features.length > 2) return { difference: `${features.length} features: ${JSON.stringify(features)}`, hint: 'two features are enough: which two make x1² + x2² < r² a straight-line rule?' };
        const accuracy = linearAccuracy('circle', features);
        return accuracy >= 0.9 ? null : { difference: `with ${JSON.stringify(features)} and no hidden layer the test accuracy is ${(accuracy * 100).toFixed(1)} %`,
          hint: 'the circle is x1² + x2² < r²: with which features is that a linear rule?' };
      }),
      modelCase('xorModel', 'xor', '3. exclusive-or with one feature and no hidden layer: your exported model', 0.95, (layers, features) =>
        features.length !== 1 ? `${features.length} features` : isHidden(layers) > 0 ? `${isHidden(layers)} hidden layer(s)` : null)(answers),
      modelCase('spiralModel', 'spiral', '4. spiral, any features and hidden layers: your exported model', 0.9, () => null)(answers),
    ];
  },
};
