// attempt: convlab's own float32 tanh op for the forward pass, the derivative from its output
// verdict: pass
import { tensor, tanh as tanhOp, toArray } from '../../../core/index.js';
export const tanh = (z: number[]) => toArray(tanhOp(tensor(z))) as number[];
export const tanhDerivative = (z: number[]) => tanh(z).map((t) => 1 - t * t);
