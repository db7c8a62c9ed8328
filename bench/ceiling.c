/* bench/ceiling.c: the core's floating-point ceiling, for bench/ceiling.ts (npm run bench). Twelve independent
 * float32 fused multiply-add chains in 512-, 256- and 128-bit registers, and 128-bit multiply-then-add pairs (what
 * WebAssembly's strict SIMD build issues); nothing loaded or stored. Prints GFLOP/s on one core as one JSON line
 * (the fastest of 30 short runs). x86-64 with AVX2 + FMA; AVX-512 where the CPU has it (else "zmm": null). */
#include <stdio.h>
#include <time.h>
#include <cpuid.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }

#define F12(op, r) op(r, 0) op(r, 1) op(r, 2) op(r, 3) op(r, 4) op(r, 5) op(r, 6) op(r, 7) op(r, 8) op(r, 9) op(r, 10) op(r, 11)
#define FMA(r, i) "vfmadd231ps %%" #r "14, %%" #r "15, %%" #r #i "\n\t"
#define MA(i, j) "vmulps %%xmm14, %%xmm15, %%xmm" #j "\n\t" "vaddps %%xmm" #j ", %%xmm" #i ", %%xmm" #i "\n\t"
#define MULADD MA(0, 6) MA(1, 7) MA(2, 8) MA(3, 9) MA(4, 10) MA(5, 11)
#define CLOBBER "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11"

static double run(int kind) {
  const long n = 1000000;
  double best = 1e9;
  for (int t = 0; t < 30; t++) {
    double s = now();
    for (long i = 0; i < n; i++) {
      if (kind == 0) __asm__ volatile(F12(FMA, zmm) ::: CLOBBER);
      else if (kind == 1) __asm__ volatile(F12(FMA, ymm) ::: CLOBBER);
      else if (kind == 2) __asm__ volatile(F12(FMA, xmm) ::: CLOBBER);
      else __asm__ volatile(MULADD MULADD ::: CLOBBER);
    }
    double d = now() - s;
    if (d < best) best = d;
  }
  double lanes = kind == 0 ? 16 : kind == 1 ? 8 : 4;
  return n * 12 * lanes * 2 / best / 1e9;
}

int main(void) {
  unsigned a, b, c, d;
  int avx512 = __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & (1u << 16));
  __asm__ volatile("vxorps %%xmm14, %%xmm14, %%xmm14\n\tvxorps %%xmm15, %%xmm15, %%xmm15" ::: "xmm14", "xmm15");
  double zmm = avx512 ? run(0) : -1, ymm = run(1), xmm = run(2), muladd = run(3);
  if (avx512) printf("{\"zmm\": %.2f, ", zmm); else printf("{\"zmm\": null, ");
  printf("\"ymm\": %.2f, \"xmm\": %.2f, \"xmmMulAdd\": %.2f}\n", ymm, xmm, muladd);
  return 0;
}
