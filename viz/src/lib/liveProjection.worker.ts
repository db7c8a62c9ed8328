// The projection worker: while the training worker trains on one thread, the class map's pictures (liveProjection.ts)
// are computed here, on the core the training leaves free, so they take no time from training.
import { Sequential, setKernels } from '../../../core/index.js';
import { adoptWasmModule } from '../../../core/kernels/wasm.js';
import { projectProbe, type Probe, type ProjectorRequest, type ProjectorReply } from './liveProjection';

let model: Sequential | null = null, probe: Probe | null = null, run = -1;
const reply = (message: ProjectorReply) => self.postMessage(message);

self.onmessage = (event: MessageEvent<ProjectorRequest>) => {
  const request = event.data;
  try {
    if (request.type === 'model') {
      run = request.run; model = null;
      if (request.wasm) adoptWasmModule(request.wasm); // the training worker's compiled kernels: no second compile
      setKernels(request.kernels);
      model = new Sequential({ inputShape: request.inputShape, layers: request.layers });
      probe = request.probe;
      return;
    }
    if (request.run !== run || !model || !probe) return; // a run that has ended
    const params = model.params();
    if (request.weights.length !== params.length) throw new RangeError(`the projection worker got ${request.weights.length} parameters, the network has ${params.length}`);
    params.forEach((p, i) => {
      if (request.weights[i].length !== p.value.size) throw new RangeError(`the projection worker got ${request.weights[i].length} values for parameter ${i}, which holds ${p.value.size}`);
      p.value.data.set(request.weights[i], p.value.offset);
    });
    const began = performance.now();
    const projection = projectProbe(model, probe);
    reply({ type: 'projection', run, epochs: request.epochs, projection, ms: performance.now() - began });
  } catch (error) {
    reply({ type: 'failed', run: request.run, message: error instanceof Error ? error.message : String(error) });
  }
};
