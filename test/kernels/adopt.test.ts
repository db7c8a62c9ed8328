// A half-batch helper thread adopts the trainer's compiled kernels (core/parallel/halfBatch.ts → adoptWasmModule): both the
// private-memory build and the shared-memory build the trainer runs in Node (resident arrays). A build compiled afresh on
// the helper would start in the baseline tier and be optimised on a background thread that two busy threads starve.
import { describe, it, expect } from 'vitest';
import { adoptWasmModule, compiledWasmModule, compiledSharedWasmModule, setWasmFlavor, wasmFlavor, residentArray, isResident } from '../../core/kernels/wasm.js';

describe('adoptWasmModule', () => {
  it('uses both builds it is given, the shared-memory one included, instead of compiling them again', () => {
    const own = compiledWasmModule(), shared = compiledSharedWasmModule(), flavor = wasmFlavor();
    expect(own).toBeInstanceOf(WebAssembly.Module);
    expect(shared).toBeInstanceOf(WebAssembly.Module);
    setWasmFlavor(flavor!); // forget every compiled build, as a fresh thread starts
    adoptWasmModule(own!, shared);
    expect(compiledWasmModule()).toBe(own);
    expect(compiledSharedWasmModule()).toBe(shared);
    expect(wasmFlavor()).toBe(flavor);
    // and the kernels run over the resident arrays' memory with it
    expect(isResident(residentArray(8))).toBe(true);
  });

  it('is a no-op once the kernels have loaded', () => {
    const own = compiledWasmModule(), other = new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
    adoptWasmModule(other, other);
    expect(compiledWasmModule()).toBe(own);
  });
});
