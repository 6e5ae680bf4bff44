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
 * Why: PyTorch's CPU max pooling of channels-last arrays vectorises over
 * whole vectors of channels and runs scalar code for fewer; with the 6
 * channels of LeNet-5's first layer it takes about 2-4 ns per input element,
 * as long as the convolution before it (benchmarks/RESULTS.md).  Here a
 * channel vector is masked to the channels there are.
 *
 * Values are copied bit for bit (bfloat16 NaN payloads and subnormals
 * included); overlapping windows' gradient sums are rounded as PyTorch
 * rounds.
 *
 * Determinism: the forward pass writes each output once; the backward pass
 * writes each input gradient once where windows do not overlap, and else
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

/* The winners of 16 channels (those in m; the others read as 0). */
ALWAYS_INLINE __m512i load_winners(const uint8_t *p, __mmask16 m) {
  return _mm512_cvtepu8_epi32(_mm512_castsi512_si128(_mm512_maskz_loadu_epi8((__mmask64)m, p)));
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
      // The first position in the input wins until another beats it.
      __m512 best = _mm512_set1_ps(-INFINITY);
      __m512i winner = _mm512_set1_epi32(EMPTY);
      if (win.r0 < win.r1 && win.c0 < win.c1) {
        best = load_lanes(x + (((n * g->h + win.r0) * g->w + win.c0) * g->c + c) * element, m,
                          bf16);
        winner = _mm512_set1_epi32((int)((win.r0 - win.top) * g->kw + win.c0 - win.left));
      }
      for (int64_t r = win.r0; r < win.r1; r++)
        for (int64_t col = r == win.r0 ? win.c0 + 1 : win.c0; col < win.c1; col++) {
          const char *p = x + (((n * g->h + r) * g->w + col) * g->c + c) * element;
          __m512 v = load_lanes(p, m, bf16);
          // v wins where it is greater or NaN (not v <= best, unordered
          // included), unless best is NaN already.
          __mmask16 take = _mm512_mask_cmp_ps_mask(_mm512_cmp_ps_mask(best, best, _CMP_ORD_Q), v,
                                                   best, _CMP_NLE_UQ);
          best = _mm512_mask_mov_ps(best, take, v);
          winner = _mm512_mask_mov_epi32(
              winner, take, _mm512_set1_epi32((int)((r - win.top) * g->kw + col - win.left)));
        }
      store_lanes(y + (out * g->c + c) * element, m, best, bf16, NARROW_COPY);
      _mm512_mask_cvtepi32_storeu_epi8(winners + out * g->c + c, m, winner);
    }
  }
}

/* Image n's input gradient: each output's gradient goes to its winner.
 * Where windows overlap (`overlapping`), the gradients are added up in
 * `sum` (H * W * C float32); else each input position gets its window's
 * gradient or 0, written to dx once.  Either is zeroed first, so that
 * positions no window covers get 0. */
ALWAYS_INLINE void image_gradient(const char *dy, const uint8_t *winners, float *sum, char *dx,
                                  const Geometry *g, int64_t n, int overlapping, int bf16) {
  const size_t element = bf16 ? 2 : 4;
  const int64_t image = g->h * g->w * g->c;
  if (overlapping) memset(sum, 0, (size_t)image * sizeof(float));
  else memset(dx + n * image * element, 0, (size_t)image * element);
  for (int64_t oh = 0; oh < g->out_h; oh++)
    for (int64_t ow = 0; ow < g->out_w; ow++) {
      const Window win = window_of(g, oh, ow);
      const int64_t out = (n * g->out_h + oh) * g->out_w + ow;
      for (int64_t c = 0; c < g->c; c += LANES) {
        const __mmask16 m = first_lanes(g->c - c);
        __m512 grad = load_lanes(dy + (out * g->c + c) * element, m, bf16);
        __m512i winner = load_winners(winners + out * g->c + c, m);
        for (int64_t r = win.r0; r < win.r1; r++)
          for (int64_t col = win.c0; col < win.c1; col++) {
            __mmask16 here = _mm512_mask_cmpeq_epi32_mask(
                m, winner, _mm512_set1_epi32((int)((r - win.top) * g->kw + col - win.left)));
            const int64_t at = (r * g->w + col) * g->c + c;
            if (!overlapping) {
              store_lanes(dx + (n * image + at) * element, m, _mm512_maskz_mov_ps(here, grad),
                          bf16, NARROW_COPY);
            } else if (here) {
              _mm512_mask_storeu_ps(sum + at, here,
                                    _mm512_add_ps(_mm512_maskz_loadu_ps(here, sum + at), grad));
            }
          }
      }
    }
}

/* `count` float32 values to the storage type. */
ALWAYS_INLINE void store_all(char *to, const float *from, int64_t count, int bf16) {
  const size_t element = bf16 ? 2 : 4;
  for (int64_t i = 0; i < count; i += LANES) {
    const __mmask16 m = first_lanes(count - i);
    store_lanes(to + i * element, m, _mm512_maskz_loadu_ps(m, from + i), bf16, NARROW_EXACT);
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
  const int overlapping = g->sh < g->kh || g->sw < g->kw;
  int failed = 0;
  #pragma omp parallel reduction(|| : failed)
  {
    // Overlapping windows add up in float32: float32 dx is its own sum,
    // bfloat16 needs one per thread.
    float *scratch = overlapping && bf16 ? malloc((size_t)image * sizeof(float)) : NULL;
    failed = overlapping && bf16 && !scratch;
    #pragma omp for schedule(static)
    for (int64_t n = 0; n < g->n; n++) {
      if (failed) continue;
      if (!overlapping) {
        if (bf16) image_gradient(dy, winners, NULL, dx, g, n, 0, 1);
        else image_gradient(dy, winners, NULL, dx, g, n, 0, 0);
      } else if (bf16) {
        image_gradient(dy, winners, scratch, dx, g, n, 1, 1);
        store_all((char *)dx + n * image * 2, scratch, image, 1);
      } else {
        image_gradient(dy, winners, (float *)dx + n * image, dx, g, n, 1, 0);
      }
    }
    free(scratch);
  }
  return failed;
}

/* -- the entry points: one pair per storage type --------------------------- */

#define ENTRY_POINTS(type, bf16)                                                                 \
  int cv_max_pooling_forward_##type(const void *x, void *y, uint8_t *winners,                    \
                                    const Geometry *g) {                                         \
    forward(x, y, winners, g, bf16);                                                             \
    return 0;                                                                                    \
  }                                                                                              \
  int cv_max_pooling_backward_##type(const void *dy, const uint8_t *winners, void *dx,           \
                                     const Geometry *g) {                                        \
    return backward(dy, winners, dx, g, bf16);                                                   \
  }

ENTRY_POINTS(f32, 0)
ENTRY_POINTS(bf16, 1)
