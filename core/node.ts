// convlab/node: the parts that need Node — bundled data sets from npm packages, model files on disk.
export * from './index.js';
export { loadDigits, loadDigitsByClass, loadIris, loadCifar10, loadMnistFolder, readIdxFile, loadImageFolder, listImageFolder } from './data/node.js';
export { decodePicture, decodePng, decodeJpeg } from './data/pictures.js';
export { saveModel, loadModel } from './io/node.js';
export { startHalfBatchHelper, fitParallel, startKernelThreads, startTrainingThread } from './parallel/node.js';
export type { KernelThreads } from './parallel/kernelThreads.js';
export { saveTfjs, saveOnnx, writeFileAtomic } from './io/nodeFormats.js';
