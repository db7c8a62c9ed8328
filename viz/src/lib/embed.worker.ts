// The class map's worker: projects the test digits at one layer of one model (project.ts: core's embedLayer, PCA or
// UMAP, seconds for UMAP, and neighbourPurity), away from the page's thread.
// The page (views/inspect/projector.ts) sends each model's JSON and the digits once; a job names them by number.
import { modelFromJSON, type Sequential } from '../../../core/index.js';
import type { EmbedRequest, EmbedReply } from './views/inspect/projector.js';
import { project } from './views/inspect/project.js';

const models = new Map<number, Sequential | Error>();
let digits: { inputs: Float32Array; labels: Uint8Array; count: number } | null = null;

self.onmessage = (event: MessageEvent<EmbedRequest>) => {
  const request = event.data;
  if (request.type === 'model') {
    try { models.set(request.id, modelFromJSON(request.json, `model ${request.id}`).model); } catch (error) { models.set(request.id, error as Error); }
    return;
  }
  if (request.type === 'digits') { digits = request.digits; return; }
  let reply: EmbedReply;
  try {
    const model = models.get(request.model);
    if (model instanceof Error) throw model;
    if (!model || !digits) throw new Error(`the ${model ? 'digits' : `model ${request.model}`} did not reach the projection worker`);
    const { embedding, purity } = project(model, digits, request.at, request.method);
    reply = { type: 'done', job: request.job, embedding, purity };
  } catch (error) {
    reply = { type: 'failed', job: request.job, message: error instanceof Error ? error.message : String(error) };
  }
  self.postMessage(reply);
};
