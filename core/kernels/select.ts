// core/kernels/select.ts: which implementation of the hot loops the ops use. 'wasm' (WebAssembly SIMD,
// the default where the runtime supports it) or 'js' (plain TypeScript, always available). Both compute
// the same sums; they differ only in float32 rounding order (tests bound the difference).
import { wasmModule, wasmUnavailableReason } from './wasm.js';

export type KernelName = 'wasm' | 'js';

let requested: KernelName = 'wasm';
let useWasm: boolean | undefined;

/** Choose the kernels for every op from now on; 'wasm' throws where WebAssembly SIMD cannot load. */
export function setKernels(name: KernelName): void {
  if (name !== 'wasm' && name !== 'js') throw new RangeError(`setKernels: name must be 'wasm' or 'js', got ${JSON.stringify(name)}`);
  if (name === 'wasm' && !wasmModule()) throw new Error(`setKernels: WebAssembly SIMD kernels cannot load here: ${wasmUnavailableReason()}`);
  requested = name;
  useWasm = name === 'wasm';
}

/** The kernels in use: 'wasm' unless set to 'js' or WebAssembly SIMD is unavailable. */
export function kernels(): KernelName { return wasmActive() ? 'wasm' : 'js'; }

/** True when the ops should call the WebAssembly kernels (decided once, on first use). */
export function wasmActive(): boolean {
  if (useWasm === undefined) useWasm = requested === 'wasm' && wasmModule() !== null;
  return useWasm;
}
