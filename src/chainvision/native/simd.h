/*
 * What the kernels share: 16 float32 lanes of AVX-512 loaded from and stored
 * to float32 or bfloat16 memory, whole or the first `count` lanes of them.
 * Arithmetic is always float32; a bfloat16 array is widened on load and
 * rounded (to nearest even, NaN kept) on store.
 */

#ifndef CHAINVISION_NATIVE_SIMD_H
#define CHAINVISION_NATIVE_SIMD_H

#include <stdint.h>
#include <immintrin.h>

#define LANES 16
#define ALWAYS_INLINE static inline __attribute__((always_inline))

/* The lanes of the first `count` (up to 16) channels. */
static inline __mmask16 first_lanes(int64_t count) {
  return count >= LANES ? (__mmask16)0xFFFF : (__mmask16)((1u << count) - 1u);
}

static inline __m512 widen_bf16(__m256i half) {
  return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(half), 16));
}

/* Round to nearest-even in integer arithmetic, as PyTorch's conversion does:
 * subnormals kept, NaN made the quiet NaN 0x7FC0. */
static inline __m256i round_bf16(__m512 v) {
  __m512i bits = _mm512_castps_si512(v);
  __m512i odd = _mm512_and_si512(_mm512_srli_epi32(bits, 16), _mm512_set1_epi32(1));
  __m512i rounded = _mm512_srli_epi32(
      _mm512_add_epi32(bits, _mm512_add_epi32(odd, _mm512_set1_epi32(0x7FFF))), 16);
  __mmask16 nan = _mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q);
  rounded = _mm512_mask_mov_epi32(rounded, nan, _mm512_set1_epi32(0x7FC0));
  return _mm512_cvtepi32_epi16(rounded);
}

/* How a store makes bfloat16 of float32 (a constant at each inlined call). */
typedef enum {
  /* Round to nearest-even: one instruction with AVX-512 BF16
   * (__AVX512BF16__: chainvision.native compiles with it where the CPU has
   * it), which flushes subnormal values (below 1.2e-38) to zero, else
   * round_bf16. */
  NARROW_FAST,
  /* round_bf16: subnormals kept. */
  NARROW_EXACT,
  /* The value was widened from a bfloat16: its own bits, NaN payloads and
   * subnormals included. */
  NARROW_COPY
} Narrowing;

ALWAYS_INLINE __m256i narrow_bf16(__m512 v, Narrowing how) {
  if (how == NARROW_COPY)
    return _mm512_cvtepi32_epi16(_mm512_srli_epi32(_mm512_castps_si512(v), 16));
#ifdef __AVX512BF16__
  if (how == NARROW_FAST) return (__m256i)_mm512_cvtneps_pbh(v);
#endif
  return round_bf16(v);
}

/* 16 values at p as float32, and back; `bf16` is a constant at each inlined
 * call, so that each storage type gets its own loop. */
ALWAYS_INLINE __m512 load(const char *p, int bf16) {
  return bf16 ? widen_bf16(_mm256_loadu_si256((const __m256i *)p)) : _mm512_loadu_ps(p);
}
ALWAYS_INLINE void store(char *p, __m512 v, int bf16) {
  if (bf16) _mm256_storeu_si256((__m256i *)p, narrow_bf16(v, NARROW_FAST));
  else _mm512_storeu_ps(p, v);
}

/* The same for the lanes in `m` only: the others read as 0 and are not
 * written (nor touched in memory). */
ALWAYS_INLINE __m512 load_lanes(const char *p, __mmask16 m, int bf16) {
  if (!bf16) return _mm512_maskz_loadu_ps(m, p);
  return widen_bf16(_mm512_castsi512_si256(_mm512_maskz_loadu_epi16((__mmask32)m, p)));
}
ALWAYS_INLINE void store_lanes(char *p, __mmask16 m, __m512 v, int bf16, Narrowing how) {
  if (bf16) _mm512_mask_storeu_epi16(p, (__mmask32)m, _mm512_castsi256_si512(narrow_bf16(v, how)));
  else _mm512_mask_storeu_ps(p, m, v);
}

#endif
