// core/lab/tasks.ts: the course's lab questions as checked tasks, each beside the view it is about
// (`#view=lab&task=ID` in the explainer). Plain data and pure checks, so Node tests prove every answer.
//
// A task's answer is one of
//   number  a value the student computes or reads from the page, compared within a tolerance; the right value
//           comes from convlab itself (planModel's shapes and parameter counts, the model's own probabilities),
//           and a known wrong value gets the reason it is wrong;
//   choice  one right option; every option carries why it is right or wrong;
//   run     a value read from a training run the student made on the training page (the epoch where the
//           validation loss is lowest, the test accuracy), checked against that run's own history.
import { planModel } from '../nn/model.js';
import type { LayerConfig } from '../nn/layers.js';
import { labPresets } from '../nn/labPresets.js';
import { sizeOf } from '../tensor.js';

/** What a check may read from the page: the shown model's output for the shown digit, and the training run. */
export interface LabFacts {
  /** The shown model's probabilities for sample digit `index` (the explainer's `digit=`), and that digit's label. */
  sample?: ((index: number) => { label: number; probabilities: ArrayLike<number> } | null) | null;
  /** The training page's run: which network, its epoch rows and, once finished, its test accuracy (0–1). */
  run?: RunFacts | null;
  /** Every run finished on the training page in this visit, oldest first (a task comparing networks reads these). */
  runs?: RunFacts[] | null;
  /** The Playground as it was last left in this visit (its setup and latest train/test loss), read when checked. */
  playground?: (() => PlaygroundFacts | null) | null;
}

/** A run of the training page as a check reads it. `limit`: the training digits it was given (null: all). */
export interface RunFacts {
  network: string; status: string; epochs: { epoch: number; valLoss: number; valAccuracy: number }[]; testAccuracy: number | null;
  limit?: number | null;
}

/** What an action task reads from the Playground page (viz/src/lib/playground): its own state, not a typed answer. */
export interface PlaygroundFacts {
  data: string;
  problem: string;
  /** Percent noise and percent of the points that train, as on the page. */
  noise: number;
  ratio: number;
  features: string[];
  hidden: number[];
  epoch: number;
  trainLoss: number;
  testLoss: number;
}

export interface NumberAnswer {
  kind: 'number';
  /** The right value, from convlab (or null with a reason when the page has not got what it needs yet). */
  value(facts: LabFacts): number | { missing: string };
  /** |answer − value| ≤ tolerance counts as right. */
  tolerance: number;
  /** Known wrong values, each with what it shows the student did. */
  mistakes?: { value(facts: LabFacts): number; why: string }[];
  unit?: string;
}
export interface ChoiceAnswer { kind: 'choice'; options: { text: string; right?: boolean; why: string }[] }
/** Something to do on a page; the check reads the page's own state (no answer is typed). */
export interface ActionAnswer { kind: 'action'; check(facts: LabFacts): LabVerdict }
export type LabAnswer = NumberAnswer | ChoiceAnswer | ActionAnswer;

export interface LabTask {
  id: string;
  /** Where the question comes from in the course. */
  source: string;
  title: string;
  question: string;
  /** The view the task is about, as an explainer link (`#view=…`). */
  link: string;
  hint: string;
  answer: LabAnswer;
  /** Shown after an attempt, on request. */
  solution: string;
  /** The code exercise in exercises/ that practises the same thing (checked by `npm run check`). */
  exercise?: string;
}

const plan = (inputShape: number[], layers: LayerConfig[]) => planModel(inputShape, layers);
const labPlan = (name: keyof typeof labPresets) => plan(labPresets[name].inputShape.slice(), labPresets[name].layers.slice());
/** Parameters of a planned network without its biases (a common slip). */
const weightsOnly = (p: ReturnType<typeof plan>) => p.layers.reduce((n, l) => n + l.params.filter((q) => q.shape.length > 1).reduce((m, q) => m + sizeOf(q.shape), 0), 0);
const week3: LayerConfig[] = [{ type: 'dense', units: 10 }, { type: 'sigmoid' }, { type: 'dense', units: 3 }, { type: 'sigmoid' }];
const labCnnFirst = () => labPlan('lab-cnn').layers[0].outputShape;
const labCnnDenseInputs = () => sizeOf(labPlan('lab-cnn').layers[labPresets['lab-cnn'].layers.findIndex((l) => l.type === 'flatten')].outputShape);
/** The 1-based epoch of the lowest validation loss in a run's history. */
export function bestEpoch(epochs: { epoch: number; valLoss: number }[]): number {
  let best = 0;
  for (let i = 1; i < epochs.length; i++) if (epochs[i].valLoss < epochs[best].valLoss) best = i;
  return epochs[best].epoch;
}
/** The network's run a task reads: the training page's current run if it is of that network, else the latest of
 *  that network finished in this visit. */
export function finishedRun(facts: LabFacts, network: string, what: string): RunFacts | { missing: string } {
  const current = facts.run?.network === network ? facts.run : null;
  const earlier = (facts.runs ?? []).filter((r) => r.network === network && r.status === 'done' && r.epochs.length > 0).at(-1);
  if (current && current.status === 'done' && current.epochs.length > 0) return current;
  if (earlier) return earlier;
  if (current) return { missing: `the run of ${network} has not finished yet: let it finish, then check` };
  return { missing: `no run of ${network} on the training page yet: train it there (${what}), then come back` };
}

/** Percentage points by which the ReLU MLP's test accuracy beats the linear one's, both trained alike on the page. */
export function reluGain(facts: LabFacts): number | { missing: string } {
  const linear = finishedRun(facts, 'lab-mlp-linear', 'then the ReLU MLP, with the same epochs');
  if ('missing' in linear) return linear;
  const relu = finishedRun(facts, 'lab-mlp-relu', 'with as many epochs as the linear one');
  if ('missing' in relu) return relu;
  if (linear.testAccuracy === null || relu.testAccuracy === null) return { missing: 'a run has no test accuracy yet: let both finish' };
  if (linear.epochs.length !== relu.epochs.length) {
    return { missing: `the two runs trained for different numbers of epochs (linear ${linear.epochs.length}, ReLU ${relu.epochs.length}): train them alike, or the comparison measures the epochs too` };
  }
  if ((linear.limit ?? null) !== (relu.limit ?? null)) return { missing: 'the two runs trained on different numbers of digits: train them alike' };
  return (relu.testAccuracy - linear.testAccuracy) * 100;
}

/** A bundled sample digit (a 2) that the shipped cnn gives only about 80 %: its gradient is far from 0. */
export const GRADIENT_DIGIT = 26;

/** The spiral task's goal: the Playground's test loss (as the page shows it) below this, with at most this many hidden neurons. */
export const SPIRAL_LOSS = 0.1;
export const SPIRAL_NEURONS = 12;
/** The spiral task, checked on the Playground's own state; each way of missing the goal is named. */
export function checkSpiral(p: PlaygroundFacts | null): LabVerdict {
  if (!p) return { right: false, missing: true, message: 'the Playground has not been opened in this visit: open it (the link above), train, then come back and check' };
  if (p.data !== 'spiral') return { right: false, message: `Not yet: the Playground is on the ${p.data} data set; choose the spiral.` };
  if (p.problem !== 'classification') return { right: false, message: `Not yet: the Playground is set to ${p.problem}; the spiral task is two-class classification.` };
  if (p.ratio > 50) return { right: false, message: `Not yet: ${p.ratio} % of the points train, so only ${100 - p.ratio} % test it; keep at least half for testing (ratio ≤ 50 %), or a few lucky test points decide.` };
  const neurons = p.hidden.reduce((a, b) => a + b, 0);
  if (neurons > SPIRAL_NEURONS) return { right: false, message: `Not yet: ${neurons} hidden neurons (${p.hidden.join(' + ')}); the goal is at most ${SPIRAL_NEURONS}. Fewer neurons need better features.` };
  if (p.epoch === 0) return { right: false, message: 'Not yet: the network has not trained (epoch 0): press play.' };
  if (!Number.isFinite(p.testLoss)) return { right: false, message: `Not yet: the test loss is ${p.testLoss}: the steps were too large; lower the learning rate and reset.` };
  if (p.testLoss >= SPIRAL_LOSS) {
    const fits = p.trainLoss < SPIRAL_LOSS ? ` The training loss is ${p.trainLoss.toFixed(3)}: the network fits the training points but not new ones (over-fitting); fewer neurons, regularisation or better features help.` : '';
    return { right: false, message: `Not yet: the test loss is ${p.testLoss.toFixed(3)} at epoch ${p.epoch}, not below ${SPIRAL_LOSS}.${fits}` };
  }
  return { right: true, message: `Right: test loss ${p.testLoss.toFixed(3)} at epoch ${p.epoch} with ${neurons} hidden neurons (${p.hidden.join(' + ') || 'none'}) on features ${p.features.join(', ')}.` };
}

export const LAB_TASKS: LabTask[] = [
  {
    id: 'week3-parameters', source: 'Week-3 lab E3.1', title: 'Parameters of the 4-10-3 network',
    question: 'The Week-3 network reads 4 Iris measurements, has 10 sigmoid hidden units and 3 sigmoid outputs. How many numbers (weights and biases) does training adjust?',
    link: '#view=graph', hint: 'Each dense layer has one weight per (input, unit) pair and one bias per unit.',
    answer: { kind: 'number', tolerance: 0, value: () => plan([4], week3).parameterCount,
      mistakes: [{ value: () => weightsOnly(plan([4], week3)), why: 'that counts the weights only: each of the 10 + 3 units has a bias too' }] },
    solution: 'W1 is 10×4 = 40, b1 10, W2 3×10 = 30, b2 3: 83 in all.', exercise: '07-mlp-forward',
  },
  {
    id: 'week3-collapse', source: 'Week-3 lab E3.3', title: 'Two linear layers',
    question: 'Remove the activations: the network is dense 784→128 then dense 128→10, nothing in between. What can it compute?',
    link: '#view=activations', hint: 'Substitute the first layer into the second: W2(W1x + b1) + b2.',
    answer: { kind: 'choice', options: [
      { text: 'Exactly what one dense layer 784→10 can compute', right: true, why: 'W2(W1x + b1) + b2 = (W2W1)x + (W2b1 + b2): one matrix and one bias' },
      { text: 'More than one dense layer, because it has more parameters', why: 'more parameters, but the product W2W1 is still one 10×784 matrix: nothing new can be expressed' },
      { text: 'Less than one dense layer, because 128 is a bottleneck', why: '128 ≥ 10, so W2W1 can be any 10×784 matrix of rank ≤ 10 — every one a single layer can be' },
    ] },
    solution: 'Without a non-linearity the layers collapse into one affine map, so depth buys nothing; ReLU or sigmoid between them is what makes a second layer useful.',
    exercise: '14-linear-collapse',
  },
  {
    id: 'week3-zero-init', source: 'Week-3 lab', title: 'Zero initialisation',
    question: 'Every weight of the 4-10-3 network starts at 0. After training, what do the 10 hidden units look like?',
    link: '#view=train', hint: 'With equal weights, every hidden unit computes the same value and receives the same gradient.',
    answer: { kind: 'choice', options: [
      { text: 'All 10 are still identical', right: true, why: 'they start equal, get equal gradients and take equal steps, so they never differ: the layer acts like one unit' },
      { text: 'They become different after a few epochs of SGD', why: 'nothing in the maths tells them apart: the symmetry is only broken by random initial weights' },
      { text: 'They all stay at exactly 0', why: 'the weights do move (the output layer\'s gradient is not 0), just all by the same amount' },
    ] },
    solution: 'Symmetry: identical units stay identical. Random (Glorot) initial weights break it; the training page shows "distinct hidden units" for a zero-initialised run.',
    exercise: '10-zero-init',
  },
  {
    id: 'playground-circle', source: 'Week-3 lab E3.2 (lab report Exercise 3)', title: 'The circle with no hidden layer',
    question: 'In the Playground, the circle data set with no hidden layer: which pair of input features lets a single layer separate it?',
    link: '#view=playground', hint: 'The boundary is x1² + x2² = r². In which features is that a straight line?',
    answer: { kind: 'choice', options: [
      { text: 'x1² and x2²', right: true, why: 'with u = x1², v = x2² the disc is u + v < r², a straight line in (u, v)' },
      { text: 'x1 and x2', why: 'a straight line in (x1, x2) cannot cut a disc out of the ring around it' },
      { text: 'x1x2 and sin(x1)', why: 'x1x2 is the exclusive-or feature; neither follows the distance from the centre' },
    ] },
    solution: 'x1² and x2²: the network then only has to learn one line, u + v = r².', exercise: '22-playground',
  },
  {
    id: 'playground-xor', source: 'Week-3 lab E3.2 (lab report Exercise 3)', title: 'Exclusive-or with a line',
    question: 'Exclusive-or with features x1 and x2 and no hidden layer: what test accuracy does the best straight line reach, roughly?',
    link: '#view=playground', hint: 'The classes sit in opposite quadrants: whichever way a line runs, what is on each side?',
    answer: { kind: 'choice', options: [
      { text: 'About 50 %, a coin toss', right: true, why: 'every line leaves two opposite quadrants, of different classes, on the same side' },
      { text: 'About 75 %', why: 'a line can get three quadrants right only if they are of one class; in exclusive-or they alternate' },
      { text: 'Close to 100 % after enough epochs', why: 'no number of epochs changes what a line can separate' },
    ] },
    solution: 'About half: exclusive-or is the classic data set a line cannot separate; the feature x1x2, or one hidden layer, fixes it.',
    exercise: '22-playground',
  },
  {
    id: 'playground-spiral', source: 'Week-3 lab E3.2 (TensorFlow Playground\'s spiral challenge)', title: 'The spiral with few neurons',
    question: `In the Playground, train on the spiral (any noise, at least half the points kept for testing) until the test loss is below ${SPIRAL_LOSS}, with at most ${SPIRAL_NEURONS} hidden neurons in all layers together. Leave the page as it is and press Check here: the check reads the Playground's own run.`,
    link: '#view=playground&data=spiral', hint: 'With only x1 and x2 the network has to build the arms out of lines and needs many neurons. Which input features already curve the way the arms do? Adam with learning rate 0.03 trains in a few hundred epochs.',
    answer: { kind: 'action', check: (facts) => checkSpiral(facts.playground?.() ?? null) },
    solution: `One way: features x1, x2, sin(x1), sin(x2); hidden layers 8 and 4 (12 neurons, tanh); Adam, learning rate 0.03, batch 10: the test loss falls below ${SPIRAL_LOSS} within about 20 epochs. With all seven features one layer of 8 is enough; with x1 and x2 alone even 8 + 8 neurons stay near 0.2.`,
    exercise: '22-playground',
  },
  {
    id: 'mlp-parameters', source: 'lab report (Keras MNIST MLP)', title: 'Parameters of the ReLU MLP',
    question: 'The lab\'s ReLU MLP is flatten → dense 128 → ReLU → dense 10 → softmax on 28×28 digits. How many parameters does model.summary() report?',
    link: '#view=train', hint: 'Dense 784→128 has 784·128 weights and 128 biases; dense 128→10 likewise.',
    answer: { kind: 'number', tolerance: 0, value: () => labPlan('lab-mlp-relu').parameterCount,
      mistakes: [{ value: () => weightsOnly(labPlan('lab-mlp-relu')), why: 'that is the weights only: add one bias per unit (128 + 10)' }] },
    solution: '784·128 + 128 = 100,480 and 128·10 + 10 = 1,290: 101,770.',
  },
  {
    id: 'cnn-first-conv', source: 'lab report (Keras MNIST CNN)', title: 'The CNN\'s first feature maps',
    question: 'The lab CNN starts with 32 kernels 3×3, no padding, stride 1, on a 28×28 digit. How many values does that layer output per digit?',
    link: '#view=conv&layer=0', hint: 'Each map is (28 − 3 + 1) wide and high; there is one map per kernel. (The conv view shows the shipped network\'s first conv, 8 kernels 5×5 giving 24×24 maps: the same arithmetic.)',
    answer: { kind: 'number', tolerance: 0, value: () => sizeOf(labCnnFirst()),
      mistakes: [{ value: () => 28 * 28 * 32, why: 'that keeps 28×28: without padding a 3×3 window fits only 26 positions along each side' },
        { value: () => 25 * 25 * 32, why: 'the +1 is missing: a 3×3 window fits 28 − 3 + 1 = 26 positions' }] },
    solution: '26 × 26 per map (28 − 3 + 1), 32 maps: 21,632 values.', exercise: '21-conv-output-size',
  },
  {
    id: 'cnn-flatten', source: 'lab report (Keras MNIST CNN)', title: 'What the dense layer reads',
    question: 'conv 32 3×3 → conv 64 3×3 → max pool 2 → flatten: how many inputs does the lab CNN\'s dense 128 layer read?',
    link: '#view=flatten&layer=6', hint: '28 → 26 → 24 through the two convs, then pooling halves each side; there are 64 maps. (The flatten view shows the shipped network\'s 16 maps of 4×4 becoming 256 inputs: the same rule.)',
    answer: { kind: 'number', tolerance: 0, value: () => labCnnDenseInputs(),
      mistakes: [{ value: () => 13 * 13 * 64, why: 'that pools the first conv\'s 26×26 maps: the second conv makes them 24×24 first' },
        { value: () => 24 * 24 * 64, why: 'that forgets the max pool: 2×2 windows halve each side, 24 → 12' }] },
    solution: '12 × 12 × 64 = 9,216: almost all of the model\'s 1.2 M parameters sit in the 9,216 × 128 dense weights.',
  },
  {
    id: 'cnn-parameters', source: 'lab report (Keras MNIST CNN)', title: 'Parameters of the CNN',
    question: 'How many parameters does the lab CNN (conv 32 3×3 → conv 64 3×3 → pool → dense 128 → dense 10) have in all?',
    link: '#view=train', hint: 'A conv layer has K·(C·kh·kw + 1); a dense layer in·out + out.',
    answer: { kind: 'number', tolerance: 0, value: () => labPlan('lab-cnn').parameterCount,
      mistakes: [{ value: () => weightsOnly(labPlan('lab-cnn')), why: 'that is the weights only: each kernel and each unit has a bias' }] },
    solution: '320 + 18,496 + 1,179,776 + 1,290 = 1,199,882.', exercise: '21-conv-output-size',
  },
  {
    id: 'pool-non-square', source: 'lab report Question 27', title: 'Pooling a non-square map',
    question: 'Max pooling with 2×2 windows and stride 2 on a map 4 high and 9 wide: how wide is the output?',
    link: '#view=maxPool&layer=2', hint: 'The width comes from the width: floor((W − size)/stride) + 1.',
    answer: { kind: 'number', tolerance: 0, value: () => plan([1, 4, 9], [{ type: 'maxPool', size: 2 }]).outputShape[2],
      mistakes: [{ value: () => Math.floor((4 - 2) / 2) + 1, why: 'that is computed from the height (4): use the width, 9' },
        { value: () => (9 - 2) / 2 + 1, why: 'not a whole number: a window that would run past the edge is dropped, so round down' }] },
    solution: 'floor((9 − 2)/2) + 1 = 4 (the last column has no partner and is dropped); the height gives 2.',
    exercise: '03-max-pool',
  },
  {
    id: 'softmax-gradient', source: 'lab report Exercise 4 (backprop by hand)', title: 'The first gradient of backprop',
    question: `Sample digit ${GRADIENT_DIGIT} is a 2 the shipped network is unsure of. On its softmax view, read the probability p of its true class, 2. What is ∂L/∂z for that class (cross-entropy loss)? Give 4 decimals.`,
    link: `#view=softmax&layer=8&digit=${GRADIENT_DIGIT}&map=2`, hint: 'For softmax with cross-entropy, ∂L/∂z = p − onehot: for the true class that is p − 1.',
    answer: { kind: 'number', tolerance: 5e-4,
      value: (facts) => { const d = facts.sample?.(GRADIENT_DIGIT); return d ? d.probabilities[d.label] - 1 : { missing: 'the model and the digits are still loading' }; },
      mistakes: [{ value: (facts) => { const d = facts.sample?.(GRADIENT_DIGIT); return d ? 1 - d.probabilities[d.label] : NaN; }, why: 'the sign: ∂L/∂z = p − 1 for the true class, a negative number (raising z lowers the loss)' },
        { value: (facts) => { const d = facts.sample?.(GRADIENT_DIGIT); return d ? d.probabilities[d.label] : NaN; }, why: 'that is p itself: subtract the one-hot target, 1 for the true class' }] },
    solution: '∂L/∂z_true = p_true − 1 (the other classes get p − 0). A confident right answer gives a gradient near 0, so it barely changes the weights.',
    exercise: '12-softmax-cross-entropy',
  },
  {
    id: 'dropout-validation', source: 'lab report (Keras MNIST CNN with dropout)', title: 'Validation above training',
    question: 'With dropout, the validation accuracy is above the training accuracy in the first epochs. Why?',
    link: '#view=train', hint: 'How is each accuracy measured — with or without units dropped?',
    answer: { kind: 'choice', options: [
      { text: 'Training accuracy is measured while units are dropped; validation runs the whole network', right: true, why: 'during training each batch sees a thinned network, which scores lower than the full one used for validation' },
      { text: 'The validation digits are easier', why: 'the split is random: the same network scores the same on both without dropout' },
      { text: 'Dropout makes the network overfit the validation set', why: 'the network never trains on validation digits, so it cannot fit them' },
    ] },
    solution: 'Keras (and convlab) compute training accuracy on the batches as they train, with dropout on; validation switches dropout off.',
    exercise: '16-dropout',
  },
  {
    id: 'cifar-slower', source: 'lab report Question 21', title: 'Why the CIFAR epoch is slower',
    question: 'An epoch of the lab\'s CIFAR-10 CNN takes much longer per picture than the MNIST MLP per digit. What decides it?',
    link: '#view=train', hint: 'Count multiply-adds per sample: where are the large maps, and how many channels do they have?',
    answer: { kind: 'choice', options: [
      { text: 'Its convolutions run on 32×32 maps of 32 channels: tens of millions of multiply-adds per picture', right: true, why: 'each conv output value costs C·3·3 multiply-adds, on maps far larger than the MLP\'s single 784-input layer' },
      { text: 'It has more parameters', why: 'parameters are not work: a conv reuses each weight at every position, so a small layer can cost a lot' },
      { text: 'Colour pictures take longer to load', why: 'reading 3,072 bytes is nothing beside the arithmetic of the convolutions' },
    ] },
    solution: 'Time follows multiply-adds, not parameters: the training page\'s per-layer cost shows where they are.',
  },
  {
    id: 'overfit-epoch', source: 'lab report Questions 12–17 (overfitting)', title: 'Where validation turns',
    question: 'Train the ReLU MLP (lab-mlp-relu) on the training page for 10 epochs. At which epoch is the validation loss lowest?',
    link: '#view=train', hint: 'Read the validation loss curve (or the epoch table) and find its lowest point; after it, the training loss keeps falling while validation rises.',
    answer: { kind: 'number', tolerance: 0, value: (facts) => { const run = finishedRun(facts, 'lab-mlp-relu', '10 epochs'); return 'missing' in run ? run : bestEpoch(run.epochs); } },
    solution: 'From that epoch on the network fits the training digits better and the validation digits worse: overfitting. Early stopping would keep the weights of that epoch.',
    exercise: '19-early-stopping',
  },
  {
    id: 'linear-accuracy', source: 'lab report (Keras MNIST MLP)', title: 'The linear MLP\'s test accuracy',
    question: 'Train the linear MLP (lab-mlp-linear) on the training page. What test accuracy does it reach, in percent (one decimal)?',
    link: '#view=train', hint: 'It is printed when the run finishes, beside the confusion matrix.',
    // within 0.06 of the unrounded percentage: one decimal rounds by 0.05, and the page prints two (91.35 for 0.91345)
    answer: { kind: 'number', tolerance: 0.06, unit: '%',
      value: (facts) => { const run = finishedRun(facts, 'lab-mlp-linear', 'any number of epochs'); return 'missing' in run ? run : run.testAccuracy === null ? { missing: 'the run has no test accuracy yet' } : run.testAccuracy * 100; },
      mistakes: [{ value: (facts) => (facts.run?.testAccuracy ?? NaN), why: 'that is a fraction: give it in percent (× 100)' }] },
    solution: 'About 90–92 %: a linear model of the pixels does well on digits, and the CNN\'s extra points are the errors a line cannot fix.',
  },
  {
    id: 'linear-vs-relu', source: 'lab report (Keras MNIST MLP, linear and ReLU)', title: 'What the hidden ReLU layer buys',
    question: 'On the training page, train the linear MLP (lab-mlp-linear), then the ReLU MLP (lab-mlp-relu), for the same number of epochs. By how many percentage points is the ReLU MLP\'s test accuracy higher? Give one decimal.',
    link: '#view=train&net=lab-mlp-linear', hint: 'Each run prints its test accuracy when it finishes (the table under the charts keeps both): subtract the linear MLP\'s from the ReLU MLP\'s.',
    // one decimal rounds by 0.05; the two accuracies the page prints (two decimals) add 0.01 at most
    answer: { kind: 'number', tolerance: 0.06, unit: 'percentage points', value: reluGain,
      mistakes: [{ value: (facts) => { const g = reluGain(facts); return typeof g === 'number' ? -g : NaN; }, why: 'the sign: the question asks how much higher the ReLU MLP is, its accuracy minus the linear one\'s' },
        { value: (facts) => { const g = reluGain(facts); return typeof g === 'number' ? g / 100 : NaN; }, why: 'that is a difference of fractions: give it in percentage points (× 100)' }] },
    solution: 'A few points: the linear MLP can only weigh pixels (one line per class), the ReLU layer lets it combine strokes first. The lab gets 92.6 % for the linear MLP; the ReLU MLP\'s gain is what depth with a non-linearity buys (without the ReLU, two dense layers collapse into one — see "Two linear layers").',
    exercise: '14-linear-collapse',
  },
];

export const taskById = (id: string): LabTask | undefined => (Object.hasOwn(LAB_TASKS_BY_ID, id) ? LAB_TASKS_BY_ID[id] : undefined);
const LAB_TASKS_BY_ID: Record<string, LabTask> = Object.fromEntries(LAB_TASKS.map((t) => [t.id, t]));

export type LabVerdict = { right: true; message: string } | { right: false; message: string; missing?: true };

/** Check an answer: a number typed as text (`"−0.0421"`, `"21 632"`, `"91.2 %"`) or a choice's index. */
export function checkLabAnswer(task: LabTask, answer: string | number, facts: LabFacts = {}): LabVerdict {
  if (task.answer.kind === 'action') return task.answer.check(facts);
  if (task.answer.kind === 'choice') {
    const options = task.answer.options;
    const index = typeof answer === 'number' ? answer : Number(answer);
    if (!Number.isInteger(index) || index < 0 || index >= options.length) return { right: false, message: 'choose one of the options' };
    const option = options[index];
    return option.right ? { right: true, message: `Right: ${option.why}.` } : { right: false, message: `Not this one: ${option.why}.` };
  }
  const expected = task.answer.value(facts);
  if (typeof expected !== 'number') return { right: false, missing: true, message: expected.missing };
  const value = typeof answer === 'number' ? answer : parseNumber(answer);
  if (value === null) return { right: false, message: `"${String(answer).slice(0, 40)}" is not a number: write digits, such as 12.5 or −0.25` };
  if (Math.abs(value - expected) <= task.answer.tolerance) return { right: true, message: `Right: ${formatAnswer(expected)}${task.answer.unit ? ` ${task.answer.unit}` : ''}.` };
  for (const mistake of task.answer.mistakes ?? []) {
    const wrong = mistake.value(facts);
    if (Number.isFinite(wrong) && Math.abs(value - wrong) <= Math.max(task.answer.tolerance, 1e-9) && Math.abs(wrong - expected) > task.answer.tolerance) {
      return { right: false, message: `Not yet: ${mistake.why}.` };
    }
  }
  return { right: false, message: `Not yet: ${formatAnswer(value)} is ${value < expected ? 'too small' : 'too large'}. ${task.hint}` };
}

/** Digits, one decimal point, a leading minus (− or -), thin or ordinary spaces and commas as thousands separators, an optional %. */
export function parseNumber(text: string): number | null {
  const cleaned = text.trim().replace(/[\u2212\u2013]/g, '-').replace(/[\s\u2009\u202f,]/g, '').replace(/%$/, '');
  if (!/^-?(\d+\.?\d*|\.\d+)(e-?\d+)?$/i.test(cleaned)) return null;
  const value = Number(cleaned);
  return Number.isFinite(value) ? value : null;
}
const formatAnswer = (v: number) => (Number.isInteger(v) ? v.toLocaleString('en-US') : String(Number(v.toPrecision(4))));
