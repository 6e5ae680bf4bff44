/*
 * Two-dimensional max pooling of channels-last arrays on AVX-512 CPUs, any
 * number of channels, with Chainer's arithmetic: a window position outside
 * the input (padding, or past its end with cover_all) never wins, the first
 * maximum in window order (row * kw + col) wins a tie, and NaN wins over
 * numbers (the first NaN).
 *
 * x and dx are (N, H, W, C) arrays, y, dy and the winners (N, OH, OW, C), in
 * float32 or bfloat16; the winners are uint8 window positions (the caller
 * keeps kh * kw below EMPTY), EMPTY for a window wholly outside the input
 * (its output is -inf and its gradient goes nowhere).
 *
 * Why: PyTorch's CPU max pooling vectorises over channels only in whole
 * vectors and computes int64 plane indices for its backward pass; with the
 * 6 or 16 channels of a small network's first layers it takes 2-4 ns per
 * input element, several times a convolution's time (benchmarks/RESULTS.md).
 * Here a channel vector is masked to the channels there are.
 *
 * Determinism: the forward pass writes each output once; the backward pass
 * adds each image's gradients in output order on one thread (the images are
 * spread over the threads), in float32 for either storage type.
 */

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "simd.h"

#define EMPTY 255

typedef struct {
  int64_t n, h, w, c, out_h, out_w, kh, kw, sh, sw, ph, pw;
} Geometry;

/* The window of output (oh, ow) clipped to the input: rows [r0, r1), columns
 * [c0, c1), with the window's first row and column at (top, left). */
typedef struct { int64_t top, left, r0, r1, c0, c1; } Window;

static inline int64_t clip(int64_t v, int64_t size) { return v < 0 ? 0 : v > size ? size : v; }

static inline Window window_of(const Geometry *g, int64_t oh, int64_t ow) {
  Window win;
  win.top = oh * g->sh - g->ph;
  win.left = ow * g->sw - g->pw;
  win.r0 = clip(win.top, g->h);
  win.r1 = clip(win.top + g->kh, g->h);
  win.c0 = clip(win.left, g->w);
  win.c1 = clip(win.left + g->kw, g->w);
  return win;
}

/* One output row (n, oh): each output pixel's maximum and its position, a
 * vector of channels at a time. */
ALWAYS_INLINE void forward_row(const char *x, char *y, uint8_t *winners, const Geometry *g,
                               int64_t n, int64_t oh, int bf16) {
  const size_t element = bf16 ? 2 : 4;
  for (int64_t ow = 0; ow < g->out_w; ow++) {
    const Window win = window_of(g, oh, ow);
    const int64_t out = (n * g->out_h + oh) * g->out_w + ow;
    for (int64_t c = 0; c < g->c; c += LANES) {
      const __mmask16 m = first_lanes(g->c - c);
      __m512 best = _mm512_set1_ps(-INFINITY);
      __m512i winner = _mm512_set1_epi32(EMPTY);
      int first = 1;
      for (int64_t r = win.r0; r < win.r1; r++)
        for (int64_t col = win.c0; col < win.c1; col++) {
          const char *p = x + (((n * g->h + r) * g->w + col) * g->c + c) * element;
          __m512 v = load_lanes(p, m, bf16);
          __mmask16 nan = _mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q);
          __mmask16 best_nan = _mm512_cmp_ps_mask(best, best, _CMP_UNORD_Q);
          __mmask16 take = first ? (__mmask16)0xFFFF
                                 : _mm512_cmp_ps_mask(v, best, _CMP_GT_OQ) | (nan & ~best_nan);
          best = _mm512_mask_mov_ps(best, take, v);
          winner = _mm512_mask_mov_epi32(
              winner, take, _mm512_set1_epi32((int)((r - win.top) * g->kw + col - win.left)));
          first = 0;
        }
      store_lanes(y + (out * g->c + c) * element, m, best, bf16);
      _mm512_mask_cvtepi32_storeu_epi8(winners + out * g->c + c, m, winner);
    }
  }
}

/* Image n's input gradient, added up in `sum` (H * W * C float32, zeroed
 * here): each output's gradient goes to its winner. */
ALWAYS_INLINE void backward_image(const char *dy, const uint8_t *winners, float *sum,
                                  const Geometry *g, int64_t n, int bf16) {
  const size_t element = bf16 ? 2 : 4;
  memset(sum, 0, (size_t)(g->h * g->w * g->c) * sizeof(float));
  for (int64_t oh = 0; oh < g->out_h; oh++)
    for (int64_t ow = 0; ow < g->out_w; ow++) {
      const Window win = window_of(g, oh, ow);
      const int64_t out = (n * g->out_h + oh) * g->out_w + ow;
      for (int64_t c = 0; c < g->c; c += LANES) {
        const __mmask16 m = first_lanes(g->c - c);
        __m512 grad = load_lanes(dy + (out * g->c + c) * element, m, bf16);
        __m512i winner = _mm512_cvtepu8_epi32(_mm512_castsi512_si128(
            _mm512_maskz_loadu_epi8((__mmask64)m, winners + out * g->c + c)));
        for (int64_t r = win.r0; r < win.r1; r++)
          for (int64_t col = win.c0; col < win.c1; col++) {
            __mmask16 here = _mm512_mask_cmpeq_epi32_mask(
                m, winner, _mm512_set1_epi32((int)((r - win.top) * g->kw + col - win.left)));
            if (!here) continue;
            float *p = sum + (r * g->w + col) * g->c + c;
            _mm512_mask_storeu_ps(p, here, _mm512_add_ps(_mm512_maskz_loadu_ps(here, p), grad));
          }
      }
    }
}

/* `count` float32 values to the storage type. */
ALWAYS_INLINE void store_all(char *to, const float *from, int64_t count, int bf16) {
  const size_t element = bf16 ? 2 : 4;
  for (int64_t i = 0; i < count; i += LANES) {
    const __mmask16 m = first_lanes(count - i);
    store_lanes(to + i * element, m, _mm512_maskz_loadu_ps(m, from + i), bf16);
  }
}

static void forward(const void *x, void *y, uint8_t *winners, const Geometry *g, int bf16) {
  #pragma omp parallel for collapse(2) schedule(static)
  for (int64_t n = 0; n < g->n; n++)
    for (int64_t oh = 0; oh < g->out_h; oh++) {
      if (bf16) forward_row(x, y, winners, g, n, oh, 1);
      else forward_row(x, y, winners, g, n, oh, 0);
    }
}

static int backward(const void *dy, const uint8_t *winners, void *dx, const Geometry *g,
                    int bf16) {
  const int64_t image = g->h * g->w * g->c;
  int failed = 0;
  #pragma omp parallel reduction(|| : failed)
  {
    // float32 dx is its own sum; bfloat16 needs a float32 one per thread.
    float *scratch = bf16 ? malloc((size_t)image * sizeof(float)) : NULL;
    failed = bf16 && !scratch;
    #pragma omp for schedule(static)
    for (int64_t n = 0; n < g->n; n++) {
      if (failed) continue;
      if (bf16) {
        backward_image(dy, winners, scratch, g, n, 1);
        store_all((char *)dx + n * image * 2, scratch, image, 1);
      } else {
        backward_image(dy, winners, (float *)dx + n * image, g, n, 0);
      }
    }
    free(scratch);
  }
  return failed;
}

/* -- the entry points: one pair per storage type --------------------------- */

#define ENTRY_POINTS(type, bf16)                                                                 \
  void cv_max_pooling_forward_##type(const void *x, void *y, uint8_t *winners,                   \
                                     const Geometry *g) {                                        \
    forward(x, y, winners, g, bf16);                                                             \
  }                                                                                              \
  int cv_max_pooling_backward_##type(const void *dy, const uint8_t *winners, void *dx,           \
                                     const Geometry *g) {                                        \
    return backward(dy, winners, dx, g, bf16);                                                   \
  }

ENTRY_POINTS(f32, 0)
ENTRY_POINTS(bf16, 1)
