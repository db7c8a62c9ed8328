// Writes the explainer's bundled digits from the `mnist` package: 10 test digits of each class,
// exact values (viz/public/data/samples.json). Run by `npm start` and `npm run build`.
import { mkdirSync, writeFileSync, renameSync } from 'node:fs';
import { loadDigits } from '../../core/node.js';
import { writeDigits } from '../src/lib/digits.js';

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

// the training page's data (its layout: viz/src/lib/digits.ts)
const { train } = loadDigits();
const bytes = writeDigits(train, test);
const digits = new URL('digits.bin', directory).pathname;
writeFileSync(`${digits}.tmp`, bytes);
renameSync(`${digits}.tmp`, digits);
console.log(`viz data: ${picked.length} sample digits → viz/public/data/samples.json; 10,000 digits → digits.bin`);
