// core/kernels/select.ts: which implementation of the hot loops the ops use. 'wasm' (WebAssembly SIMD,
// the default where the runtime supports it) or 'js' (plain TypeScript, always available). Both compute
// the same sums; they differ only in float32 rounding order (tests bound the difference).
// The one seam: an op calls `fast()?.kernel(…) || <its own TypeScript loop>`; nothing else chooses.
import type { FastKernels } from './types.js';
import { wasmModule, wasmUnavailableReason, wasmKernels } from './wasm.js';
export { wasmFlavor, setWasmFlavor, relaxedSimdAvailable, type WasmFlavor } from './wasm.js';
/** Zeros the fast kernels use in place (parameters, gradients, optimizer state): see wasm.ts's resident arrays. */
export { residentArray, residentArraysInWorker } from './wasm.js';

export type KernelName = 'wasm' | 'js';
export type { FastKernels } from './types.js';

let requested: KernelName = 'wasm';
let chosen: FastKernels | null | undefined;

/** Choose the kernels for every op from now on; 'wasm' throws where WebAssembly SIMD cannot load. */
export function setKernels(name: KernelName): void {
  if (name !== 'wasm' && name !== 'js') throw new RangeError(`setKernels: name must be 'wasm' or 'js', got ${JSON.stringify(name)}`);
  if (name === 'wasm' && !wasmModule()) throw new Error(`setKernels: WebAssembly SIMD kernels cannot load here: ${wasmUnavailableReason()}`);
  requested = name;
  chosen = name === 'wasm' ? wasmKernels : null;
}

/** The kernels in use: 'wasm' unless set to 'js' or WebAssembly SIMD is unavailable. */
export function kernels(): KernelName { return fast() ? 'wasm' : 'js'; }

/** The faster kernels the ops try first, or null for the ops' own TypeScript loops (decided once, on first use,
 *  and again only by setKernels). */
export function fast(): FastKernels | null {
  if (chosen === undefined) chosen = requested === 'wasm' && wasmModule() !== null ? wasmKernels : null;
  return chosen;
}
