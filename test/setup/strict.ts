// The 'unit' project runs on the strict WebAssembly SIMD build (multiply then add), whatever the runtime offers;
// the 'unit-relaxed' project (vite.config.ts) runs the kernel and training checks again on the relaxed build.
import { setWasmFlavor } from '../../core/kernels/wasm.js';

setWasmFlavor('strict');
