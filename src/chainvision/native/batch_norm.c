/*
 * Batch normalisation of channels-last arrays on AVX-512 CPUs, in training
 * mode (batch statistics), with an optional residual addition and ReLU fused
 * into the same passes:
 *
 *     y = relu(gamma * (x - mean) / sqrt(var + eps) + beta + residual)
 *
 * x, residual, y and the gradients are (rows, channels) arrays, rows = N*H*W
 * of an (N, C, H, W) tensor in channels-last memory, in float32 or bfloat16;
 * gamma, beta, the statistics and their gradients are float32.  channels must
 * be a multiple of 16 (one AVX-512 vector of float32).
 *
 * Why: PyTorch's CPU BatchNorm, ReLU and addition each make a pass over the
 * array, and its bfloat16 kernels convert to float32 and back no faster than
 * its float32 ones run (benchmarks/RESULTS.md).  Here the forward pass reads x
 * twice (statistics, then normalisation) and writes y once; the backward pass
 * reads dy and x twice and writes dx once.
 *
 * bfloat16 results are rounded to nearest even (simd.h's NARROW_FAST: where
 * the CPU has AVX-512 BF16, results below 1.2e-38 become 0, unlike PyTorch's).
 *
 * Determinism: the rows are cut into blocks of BLOCK rows; each block's sums
 * are taken in float32 (of x minus the first row, which keeps the variance's
 * cancellation small), and the blocks' sums are added in block order in
 * float64.  The result does not depend on the number of threads.
 *
 * Needs AVX-512 F and BW (and uses AVX-512 BF16 where compiled with it); the
 * loops run on the threads of PyTorch's OpenMP runtime, to which
 * chainvision.native links the library.
 */

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "simd.h"

#define BLOCK 256

/* relu that keeps NaN: max returns its second operand when either is NaN. */
static inline __m512 relu(__m512 v) { return _mm512_max_ps(_mm512_setzero_ps(), v); }

static inline int64_t blocks_of(int64_t rows) { return (rows + BLOCK - 1) / BLOCK; }
static inline int64_t block_end(int64_t b, int64_t rows) {
  return (b + 1) * BLOCK < rows ? (b + 1) * BLOCK : rows;
}

/* Sum, per channel, the per-block partial sums (blocks x channels, float32)
 * in block order, in float64. */
static void sum_blocks(const float *partial, int64_t blocks, int64_t channels, double *total) {
  for (int64_t c = 0; c < channels; c++) total[c] = 0.0;
  for (int64_t b = 0; b < blocks; b++)
    for (int64_t c = 0; c < channels; c++) total[c] += partial[b * channels + c];
}

/* The per-channel affine map of the normalisation: y = x * scale + shift.
 * Forward and backward compute it alike, so that the ReLU mask the backward
 * pass recomputes from x is the forward pass's. */
static void affine(const float *gamma, const float *beta, const float *mean,
                   const float *invstd, int64_t channels, float *scale, float *shift) {
  for (int64_t c = 0; c < channels; c++) {
    scale[c] = gamma[c] * invstd[c];
    shift[c] = beta[c] - mean[c] * scale[c];
  }
}

/* -- the work on one block of rows and one vector of channels --------------
 * Each is inlined with `bf16` constant, so that each storage type gets its own
 * loop; the loops over blocks call them as `bf16 ? f(..., 1) : f(..., 0)`. */

/* The rows of block b at column offset `at` (bytes): the first row's offset
 * and the number of rows. */
typedef struct { size_t at, row_bytes; int64_t count; } Rows;

static inline Rows block_rows(int64_t b, int64_t v, int64_t rows, size_t row_bytes, size_t element) {
  Rows r = {b * BLOCK * row_bytes + v * LANES * element, row_bytes, block_end(b, rows) - b * BLOCK};
  return r;
}

/* Sums of x - origin and of its square over the rows. */
ALWAYS_INLINE void moments(const char *x, Rows r, __m512 origin, float *sum, float *square,
                           int bf16) {
  __m512 s = _mm512_setzero_ps(), q = _mm512_setzero_ps();
  for (int64_t i = 0, at = r.at; i < r.count; i++, at += r.row_bytes) {
    __m512 d = _mm512_sub_ps(load(x + at, bf16), origin);
    s = _mm512_add_ps(s, d);
    q = _mm512_fmadd_ps(d, d, q);
  }
  _mm512_storeu_ps(sum, s);
  _mm512_storeu_ps(square, q);
}

/* y = x * k + h (+ residual), through the ReLU if asked. */
ALWAYS_INLINE void normalize(const char *x, const char *residual, char *y, Rows r, __m512 k,
                             __m512 h, int apply_relu, int bf16) {
  for (int64_t i = 0, at = r.at; i < r.count; i++, at += r.row_bytes) {
    __m512 t = _mm512_fmadd_ps(load(x + at, bf16), k, h);
    if (residual) t = _mm512_add_ps(t, load(residual + at, bf16));
    store(y + at, apply_relu ? relu(t) : t, bf16);
  }
}

/* dy through the ReLU: zero where the forward pass's output was not
 * positive, as read from y where given (a residual was added, which x alone
 * cannot tell), else from x through the forward pass's affine map k, h. */
ALWAYS_INLINE __m512 through_relu(__m512 g, __m512 xv, const char *y, size_t at, __m512 k,
                                  __m512 h, int apply_relu, int bf16) {
  if (!apply_relu) return g;
  __m512 before = y ? load(y + at, bf16) : _mm512_fmadd_ps(xv, k, h);
  return _mm512_maskz_mov_ps(_mm512_cmp_ps_mask(before, _mm512_setzero_ps(), _CMP_GT_OQ), g);
}

/* Sums of g (dy through the ReLU) and of g * (x - mean). */
ALWAYS_INLINE void gradient_sums(const char *dy, const char *x, const char *y, Rows r, __m512 k,
                                 __m512 h, __m512 mean, float *sum, float *product,
                                 int apply_relu, int bf16) {
  __m512 s = _mm512_setzero_ps(), q = _mm512_setzero_ps();
  for (int64_t i = 0, at = r.at; i < r.count; i++, at += r.row_bytes) {
    __m512 xv = load(x + at, bf16);
    __m512 g = through_relu(load(dy + at, bf16), xv, y, at, k, h, apply_relu, bf16);
    s = _mm512_add_ps(s, g);
    q = _mm512_fmadd_ps(g, _mm512_sub_ps(xv, mean), q);
  }
  _mm512_storeu_ps(sum, s);
  _mm512_storeu_ps(product, q);
}

/* dx = k * (g - mean_g - (x - mean) * slope), and g itself as the residual's
 * gradient where asked. */
ALWAYS_INLINE void input_gradient(const char *dy, const char *x, const char *y, char *dx,
                                  char *dresidual, Rows r, __m512 k, __m512 h, __m512 mean,
                                  __m512 mean_g, __m512 slope, int apply_relu, int bf16) {
  for (int64_t i = 0, at = r.at; i < r.count; i++, at += r.row_bytes) {
    __m512 xv = load(x + at, bf16);
    __m512 g = through_relu(load(dy + at, bf16), xv, y, at, k, h, apply_relu, bf16);
    if (dresidual) store(dresidual + at, g, bf16);
    __m512 centred = _mm512_sub_ps(g, mean_g);
    store(dx + at, _mm512_mul_ps(k, _mm512_fnmadd_ps(_mm512_sub_ps(xv, mean), slope, centred)),
          bf16);
  }
}

#define VECTOR(array, v) _mm512_loadu_ps((array) + (v) * LANES)

/* -- the two passes ------------------------------------------------------- */

/* What both passes work with: the layout, and scratch memory for two
 * per-block sums of each channel (`first`, `second`), their float64 totals,
 * and `arrays` float32 arrays of one value per channel. */
typedef struct {
  int64_t rows, channels, blocks, vectors;
  size_t element, row_bytes;
  float *first, *second, *arrays;
  double *totals;
} Pass;

static int start_pass(Pass *p, int64_t rows, int64_t channels, int arrays, int bf16) {
  p->rows = rows;
  p->channels = channels;
  p->blocks = blocks_of(rows);
  p->vectors = channels / LANES;
  p->element = bf16 ? 2 : 4;
  p->row_bytes = (size_t)channels * p->element;
  p->first = malloc(sizeof(float) * 2 * p->blocks * channels);
  p->second = p->first ? p->first + p->blocks * channels : NULL;
  p->arrays = malloc(sizeof(float) * arrays * channels);
  p->totals = malloc(sizeof(double) * 2 * channels);
  if (p->first && p->arrays && p->totals) return 0;
  free(p->first); free(p->arrays); free(p->totals);
  return -1;
}

static void end_pass(Pass *p) { free(p->first); free(p->arrays); free(p->totals); }

/* The rows of block b, vector v; and where its two sums go. */
static inline Rows rows_of(const Pass *p, int64_t b, int64_t v) {
  return block_rows(b, v, p->rows, p->row_bytes, p->element);
}
static inline int64_t sum_at(const Pass *p, int64_t b, int64_t v) {
  return b * p->channels + v * LANES;
}

/* totals[c] and totals[channels + c]: the first and second sums of channel
 * c over all blocks. */
static void add_up(Pass *p) {
  sum_blocks(p->first, p->blocks, p->channels, p->totals);
  sum_blocks(p->second, p->blocks, p->channels, p->totals + p->channels);
}

static int forward(const char *x, const char *residual, char *y, int64_t rows, int64_t channels,
                   const float *gamma, const float *beta, double eps, double decay,
                   float *running_mean, float *running_var, float *mean, float *invstd,
                   int apply_relu, int bf16) {
  Pass p;
  if (start_pass(&p, rows, channels, 3, bf16)) return -1;
  float *origin = p.arrays, *scale = p.arrays + channels, *shift = p.arrays + 2 * channels;
  for (int64_t v = 0; v < p.vectors; v++)
    _mm512_storeu_ps(origin + v * LANES, load(x + v * LANES * p.element, bf16));

  #pragma omp parallel for collapse(2) schedule(static)
  for (int64_t b = 0; b < p.blocks; b++)
    for (int64_t v = 0; v < p.vectors; v++) {
      int64_t at = sum_at(&p, b, v);
      if (bf16) moments(x, rows_of(&p, b, v), VECTOR(origin, v), p.first + at, p.second + at, 1);
      else moments(x, rows_of(&p, b, v), VECTOR(origin, v), p.first + at, p.second + at, 0);
    }
  add_up(&p);
  for (int64_t c = 0; c < channels; c++) {
    double shifted_mean = p.totals[c] / rows;
    double var = p.totals[channels + c] / rows - shifted_mean * shifted_mean;
    if (var < 0.0) var = 0.0;
    mean[c] = (float)(shifted_mean + origin[c]);
    invstd[c] = (float)(1.0 / sqrt(var + eps));
    if (running_mean) {
      double unbiased = rows > 1 ? var * rows / (rows - 1) : var;
      running_mean[c] = (float)(decay * running_mean[c] + (1.0 - decay) * mean[c]);
      running_var[c] = (float)(decay * running_var[c] + (1.0 - decay) * unbiased);
    }
  }
  affine(gamma, beta, mean, invstd, channels, scale, shift);

  #pragma omp parallel for collapse(2) schedule(static)
  for (int64_t b = 0; b < p.blocks; b++)
    for (int64_t v = 0; v < p.vectors; v++) {
      Rows r = rows_of(&p, b, v);
      if (bf16) normalize(x, residual, y, r, VECTOR(scale, v), VECTOR(shift, v), apply_relu, 1);
      else normalize(x, residual, y, r, VECTOR(scale, v), VECTOR(shift, v), apply_relu, 0);
    }
  end_pass(&p);
  return 0;
}

static int backward(const char *dy, const char *x, const char *y, char *dx, char *dresidual,
                    int64_t rows, int64_t channels, const float *gamma, const float *beta,
                    const float *mean, const float *invstd, float *dgamma, float *dbeta,
                    int apply_relu, int bf16) {
  Pass p;
  if (start_pass(&p, rows, channels, 4, bf16)) return -1;
  float *scale = p.arrays, *shift = p.arrays + channels;
  float *mean_g = p.arrays + 2 * channels, *slope = p.arrays + 3 * channels;
  affine(gamma, beta, mean, invstd, channels, scale, shift);

  #pragma omp parallel for collapse(2) schedule(static)
  for (int64_t b = 0; b < p.blocks; b++)
    for (int64_t v = 0; v < p.vectors; v++) {
      Rows r = rows_of(&p, b, v);
      float *s = p.first + sum_at(&p, b, v), *q = p.second + sum_at(&p, b, v);
      if (bf16) gradient_sums(dy, x, y, r, VECTOR(scale, v), VECTOR(shift, v), VECTOR(mean, v),
                              s, q, apply_relu, 1);
      else gradient_sums(dy, x, y, r, VECTOR(scale, v), VECTOR(shift, v), VECTOR(mean, v),
                         s, q, apply_relu, 0);
    }
  add_up(&p);
  for (int64_t c = 0; c < channels; c++) {
    dbeta[c] = (float)p.totals[c];
    dgamma[c] = (float)(p.totals[channels + c] * invstd[c]);
    mean_g[c] = (float)(p.totals[c] / rows);
    slope[c] = (float)(p.totals[channels + c] / rows * invstd[c] * invstd[c]);
  }

  #pragma omp parallel for collapse(2) schedule(static)
  for (int64_t b = 0; b < p.blocks; b++)
    for (int64_t v = 0; v < p.vectors; v++) {
      Rows r = rows_of(&p, b, v);
      if (bf16) input_gradient(dy, x, y, dx, dresidual, r, VECTOR(scale, v), VECTOR(shift, v),
                               VECTOR(mean, v), VECTOR(mean_g, v), VECTOR(slope, v), apply_relu, 1);
      else input_gradient(dy, x, y, dx, dresidual, r, VECTOR(scale, v), VECTOR(shift, v),
                          VECTOR(mean, v), VECTOR(mean_g, v), VECTOR(slope, v), apply_relu, 0);
    }
  end_pass(&p);
  return 0;
}

/* -- the entry points: one pair per storage type, so that the compiler makes
 * a copy of each loop for it --------------------------------------------- */

#define ENTRY_POINTS(type, bf16)                                                                 \
  int cv_batch_norm_forward_##type(                                                             \
      const void *x, const void *residual, void *y, int64_t rows, int64_t channels,             \
      const float *gamma, const float *beta, double eps, double decay, float *running_mean,     \
      float *running_var, float *mean, float *invstd, int apply_relu) {                         \
    return forward(x, residual, y, rows, channels, gamma, beta, eps, decay, running_mean,       \
                   running_var, mean, invstd, apply_relu, bf16);                                \
  }                                                                                             \
  int cv_batch_norm_backward_##type(                                                            \
      const void *dy, const void *x, const void *y, void *dx, void *dresidual, int64_t rows,    \
      int64_t channels, const float *gamma, const float *beta, const float *mean,               \
      const float *invstd, float *dgamma, float *dbeta, int apply_relu) {                       \
    return backward(dy, x, y, dx, dresidual, rows, channels, gamma, beta, mean, invstd,         \
                    dgamma, dbeta, apply_relu, bf16);                                           \
  }

ENTRY_POINTS(f32, 0)
ENTRY_POINTS(bf16, 1)
