// Decodes a model file chosen or dropped in the app (convlab .json, TF.js model.json + weights .bin, .onnx) away
// from the page's thread: a hostile or huge file costs this worker seconds, never the page (issue 25). The page
// gets back the model as convlab JSON (already validated here) or the decoder's message.
import { modelFromFiles, modelToJSON } from '../../../core/index.js';
import type { DecodeRequest, DecodeReply } from './decodeModel.js';

self.onmessage = (event: MessageEvent<DecodeRequest>) => {
  let reply: DecodeReply;
  try {
    const opened = modelFromFiles(event.data.files);
    reply = { ok: true, name: opened.name, format: opened.format, inputShape: opened.model.inputShape.slice(),
      types: opened.model.configs.map((c) => c.type), json: modelToJSON(opened.model, undefined, opened.inputScale) };
  } catch (error) {
    reply = { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  self.postMessage(reply);
};
