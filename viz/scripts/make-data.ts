// Writes the explainer's bundled digits from the `mnist` package: 10 test digits of each class,
// exact values (viz/public/data/samples.json). Run by `npm start` and `npm run build`.
import { mkdirSync, writeFileSync, renameSync } from 'node:fs';
import { loadDigits } from '../../core/node.js';

const { test } = loadDigits();
const picked: { label: number; index: number; pixels: number[] }[] = [];
for (let digit = 0; digit < 10; digit++) {
  let taken = 0;
  for (let n = 0; n < test.labels.length && taken < 10; n++) {
    if (test.labels[n] !== digit) continue;
    picked.push({ label: digit, index: n, pixels: Array.from(test.inputs.subarray(n * 784, (n + 1) * 784), (v) => Number(v.toFixed(3))) });
    taken++;
  }
}
const directory = new URL('../public/data/', import.meta.url);
mkdirSync(directory, { recursive: true });
const target = new URL('samples.json', directory);
writeFileSync(`${target.pathname}.tmp`, JSON.stringify(picked));
renameSync(`${target.pathname}.tmp`, target.pathname);

// the training page's data: 8,000 train then 2,000 test digits as bytes (round(255·v)), then 10,000 labels
const { train } = loadDigits();
const bytes = new Uint8Array(10_000 * 785);
[train, test].forEach((set, s) => {
  const start = s === 0 ? 0 : train.labels.length;
  set.inputs.forEach((v, i) => { bytes[start * 784 + i] = Math.round(v * 255); });
  bytes.set(Uint8Array.from(set.labels), 10_000 * 784 + start);
});
const digits = new URL('digits.bin', directory).pathname;
writeFileSync(`${digits}.tmp`, bytes);
renameSync(`${digits}.tmp`, digits);
console.log(`viz data: ${picked.length} sample digits → viz/public/data/samples.json; 10,000 digits → digits.bin`);
