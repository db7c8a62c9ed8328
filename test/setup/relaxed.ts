// The 'unit-relaxed' project: the kernel, golden and two-thread checks on the relaxed-SIMD build (fused
// multiply-add). Node 20 has relaxed SIMD behind a V8 flag (set here, before the kernels load); Node 22+ has it on.
import { setFlagsFromString } from 'node:v8';
import { setWasmFlavor, relaxedSimdAvailable } from '../../core/kernels/wasm.js';

if (!relaxedSimdAvailable()) setFlagsFromString('--experimental-wasm-relaxed-simd'); // Node 22+ no longer knows the flag
if (!relaxedSimdAvailable()) throw new Error('test/setup/relaxed.ts: this runtime cannot load the relaxed-SIMD build, so its tests cannot run');
setWasmFlavor('relaxed');
