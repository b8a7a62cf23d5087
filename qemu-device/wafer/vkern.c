// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vkern.c - the element kernels of the vector instructions.
 *
 * One kernel per (op, 32-bit type): a unit-stride loop the compiler keeps
 * tight (emulated vector code runs near the speed of the same C) and a
 * strided one. The 16-bit types and the conversions go element by element
 * through small functions. A scalar second source (ISA_F_SCALAR) is a
 * one-element array with stride 0, so it takes the strided loops.
 *
 * Semantics are in Documentation/wse/isa.rst; these loops are the
 * reference: x, y, z are the elements of sources a, b, c and s the scalar.
 */
#include <string.h>

#include "internal.h"
#include "half.h"

/*
 * Keep a * b + c two roundings whatever the compiler's default, and start
 * the element loops on 32-byte boundaries: on some hosts (AMD Zen 4 here)
 * a tight loop straddling a boundary runs 1.7 times slower, which would
 * make kernel speed depend on where the linker happened to put this file.
 *
 * And vectorize the unit-stride loops: at -O2 GCC (12 and later) uses the
 * "very cheap" cost model, which gives up on a loop whose trip count is
 * not a known multiple of the vector width, that is on every loop here.
 * Vector code computes each element with the same IEEE operations as the
 * scalar loop (no reassociation, no contraction), so results are the same
 * bits; the floating-point reductions stay sequential (not reassociated
 * without -ffast-math), the integer ones of unit stride are vectorized
 * (wrapping sums, maxima and minima are the same in any order).
 */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off", "align-loops=32", "tree-vectorize", \
		     "vect-cost-model=dynamic")
#endif

/*
 * The contiguous kernels also come in an AVX2 build, picked at load time
 * where the host has it: twice the elements an iteration, each with the
 * same IEEE operation as the SSE2 build (no contraction either way).
 */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && \
    defined(__has_attribute)
#if __has_attribute(target_clones)
#define VK_CLONES	__attribute__((target_clones("avx2", "default")))
#endif
#endif
#ifndef VK_CLONES
#define VK_CLONES
#endif

#if defined(__GNUC__) && !defined(__clang__)
#define VK_IVDEP	_Pragma("GCC ivdep")
#else
#define VK_IVDEP
#endif

/*
 * An operand the vector loop may read ahead of the element being written:
 * the destination itself (each element is read before it is written) or
 * one that does not overlap it. Any other overlap (a DSD one element past
 * the destination, say) is a loop-carried dependence the sequential
 * definition of a vector instruction makes visible: that takes the
 * element-by-element loop.
 */
static inline bool vk_apart(const void *d, size_t dlen, const void *s,
			    size_t slen)
{
	uintptr_t a = (uintptr_t)d, b = (uintptr_t)s;

	return a == b || a + dlen <= b || b + slen <= a;
}

typedef void vkern_fn(struct vargs *v);

/*
 * dD = EXPR over sources of type T, result of type R: name##_unit() for
 * contiguous operands (the fast path of vector.c calls it directly, the
 * strides known), name() for any strides.
 */
#define VKERN2(name, T, R, NSRC, EXPR)					\
static VK_CLONES enum step name##_unit(uint8_t *d, const uint8_t *a,		\
			     const uint8_t *b, const uint8_t *c,	\
			     uint32_t sbits, uint32_t n)		\
{									\
	R *D = (R *)d;							\
	const T *A = (const T *)a, *B = (const T *)b;			\
	const T *C = (const T *)c;					\
	const size_t dl = (size_t)n * sizeof(R);			\
	const size_t sl = (size_t)n * sizeof(T);			\
	T s;								\
									\
	memcpy(&s, &sbits, sizeof(s));					\
	(void)s;							\
	if ((NSRC < 1 || vk_apart(D, dl, A, sl)) &&			\
	    (NSRC < 2 || vk_apart(D, dl, B, sl)) &&			\
	    (NSRC < 3 || vk_apart(D, dl, C, sl))) {			\
		VK_IVDEP						\
		for (uint32_t i = 0; i < n; i++) {			\
			T x = NSRC >= 1 ? A[i] : 0;			\
			T y = NSRC >= 2 ? B[i] : 0;			\
			T z = NSRC >= 3 ? C[i] : 0;			\
									\
			(void)x; (void)y; (void)z;			\
			D[i] = (EXPR);					\
		}							\
		return STEP_OK;						\
	}								\
	for (uint32_t i = 0; i < n; i++) {				\
		T x = NSRC >= 1 ? A[i] : 0;				\
		T y = NSRC >= 2 ? B[i] : 0;				\
		T z = NSRC >= 3 ? C[i] : 0;				\
									\
		(void)x; (void)y; (void)z;				\
		D[i] = (EXPR);						\
	}								\
	return STEP_OK;							\
}									\
									\
static void name(struct vargs *v)					\
{									\
	const uint32_t n = v->n;					\
	uint8_t *dp = v->d;						\
	const uint8_t *ap = v->a, *bp = v->b, *cp = v->c;		\
	T s;								\
									\
	if (v->ds == sizeof(R) && (NSRC < 1 || v->as == sizeof(T)) &&	\
	    (NSRC < 2 || v->bs == sizeof(T)) &&				\
	    (NSRC < 3 || v->cs == sizeof(T))) {				\
		name##_unit(v->d, v->a, v->b, v->c, v->s, n);		\
		return;							\
	}								\
	memcpy(&s, &v->s, sizeof(s));					\
	(void)s;							\
	for (uint32_t i = 0; i < n; i++) {				\
		T x = NSRC >= 1 ? *(const T *)ap : 0;			\
		T y = NSRC >= 2 ? *(const T *)bp : 0;			\
		T z = NSRC >= 3 ? *(const T *)cp : 0;			\
									\
		(void)x; (void)y; (void)z;				\
		*(R *)dp = (EXPR);					\
		dp += v->ds;						\
		ap += v->as;						\
		bp += v->bs;						\
		cp += v->cs;						\
	}								\
}

#define VKERN(name, T, NSRC, EXPR)	VKERN2(name, T, T, NSRC, EXPR)

/* select: x, y of type T, the condition z an integer of the same width */
#define VSEL(name, T, C)						\
static void name(struct vargs *v)					\
{									\
	uint8_t *dp = v->d;						\
	const uint8_t *ap = v->a, *bp = v->b, *cp = v->c;		\
									\
	for (uint32_t i = 0; i < v->n; i++) {				\
		*(T *)dp = *(const C *)cp ? *(const T *)ap : *(const T *)bp; \
		dp += v->ds;						\
		ap += v->as;						\
		bp += v->bs;						\
		cp += v->cs;						\
	}								\
}

#define VRED(name, T, EXPR)						\
static void name(struct vargs *v)					\
{									\
	const uint8_t *ap = v->a;					\
	T acc;								\
									\
	memcpy(&acc, &v->acc, sizeof(acc));				\
	if (v->as == sizeof(T)) {					\
		const T *A = (const T *)v->a;				\
									\
		for (uint32_t i = 0; i < v->n; i++) {			\
			T x = A[i];					\
									\
			acc = (EXPR);					\
		}							\
		memcpy(&v->acc, &acc, sizeof(acc));			\
		return;							\
	}								\
	for (uint32_t i = 0; i < v->n; i++) {				\
		T x = *(const T *)ap;					\
									\
		acc = (EXPR);						\
		ap += v->as;						\
	}								\
	memcpy(&v->acc, &acc, sizeof(acc));				\
}

/*
 * The integer reductions (sum, max, min of i32 and i16) over contiguous
 * operands: RED_BYTES / sizeof(T) running results, element i going to
 * lane i % lanes, folded into the accumulator in lane order at the end,
 * then the tail in order. A wrapping sum and an integer maximum or
 * minimum give the same bits in any order (one running result, as the
 * strided loop keeps, is one order of many), so the result is that
 * loop's exactly; the lanes are independent chains, so the loop runs at
 * the L1 cache's speed (four SSE2 or AVX2 registers of lanes) instead of
 * one vector add's latency an iteration. The strided loops stay the
 * general path, tests/host/wafer-vred.c compares the two.
 */
#define RED_BYTES	32		/* a lane vector; four run at once */
#define RSUM(S, a, x)	((a) + (x))
#define RMAX(S, a, x)	((S)(x) > (S)(a) ? (x) : (a))
#define RMIN(S, a, x)	((S)(x) < (S)(a) ? (x) : (a))
/* The same on vectors of lanes (GCC's vector extensions; m is 0 or ~0). */
#define VSUM(VS, a, x)	((a) + (x))
#define VBLEND(m, x, a)	(((x) & (m)) | ((a) & ~(m)))
#define VMAX(VS, a, x)	VBLEND((__typeof__(a))((VS)(x) > (VS)(a)), x, a)
#define VMIN(VS, a, x)	VBLEND((__typeof__(a))((VS)(x) < (VS)(a)), x, a)

#define VRED_INT(name, T, S, F, VF, ID)					\
static VK_CLONES T name##_unit(const T *A, uint32_t n, T acc)		\
{									\
	typedef T vt __attribute__((vector_size(RED_BYTES)));		\
	typedef S vs __attribute__((vector_size(RED_BYTES), unused));		\
	enum { L = RED_BYTES / sizeof(T) };				\
	const T *p = A, *const end = A + (size_t)(n / (4 * L)) * 4 * L;	\
	vt l0, l1, l2, l3, x0, x1, x2, x3;				\
	T lanes[4 * L];							\
									\
	for (unsigned int j = 0; j < L; j++)				\
		l0[j] = (ID);						\
	l1 = l2 = l3 = l0;						\
	for (; p != end; p += 4 * L) {					\
		memcpy(&x0, p, sizeof(x0));				\
		memcpy(&x1, p + L, sizeof(x1));				\
		memcpy(&x2, p + 2 * L, sizeof(x2));			\
		memcpy(&x3, p + 3 * L, sizeof(x3));			\
		l0 = VF(vs, l0, x0);					\
		l1 = VF(vs, l1, x1);					\
		l2 = VF(vs, l2, x2);					\
		l3 = VF(vs, l3, x3);					\
	}								\
	memcpy(lanes, &l0, sizeof(l0));					\
	memcpy(lanes + L, &l1, sizeof(l1));				\
	memcpy(lanes + 2 * L, &l2, sizeof(l2));				\
	memcpy(lanes + 3 * L, &l3, sizeof(l3));				\
	for (unsigned int j = 0; j < 4 * L; j++)			\
		acc = (T)F(S, acc, lanes[j]);				\
	for (; p != A + n; p++)						\
		acc = (T)F(S, acc, *p);					\
	return acc;							\
}

/* i32: name() is the reduction of kern_i32[], any stride. */
#define VRED_I32(name, F, VF, ID)					\
VRED_INT(name, uint32_t, int32_t, F, VF, ID)				\
static void name(struct vargs *v)					\
{									\
	const uint8_t *ap = v->a;					\
	uint32_t acc = v->acc;						\
									\
	if (v->as == sizeof(uint32_t)) {				\
		v->acc = name##_unit((const uint32_t *)ap, v->n, acc);	\
		return;							\
	}								\
	for (uint32_t i = 0; i < v->n; i++) {				\
		uint32_t x;						\
									\
		memcpy(&x, ap, 4);					\
		acc = F(int32_t, acc, x);				\
		ap += v->as;						\
	}								\
	v->acc = acc;							\
}

#define SMAX(x, y)	((int32_t)(x) > (int32_t)(y) ? (x) : (y))
#define SMIN(x, y)	((int32_t)(x) < (int32_t)(y) ? (x) : (y))
#define SABS(x)		((int32_t)(x) < 0 ? 0u - (x) : (x))

static inline float f32_abs(float x)
{
	uint32_t u;

	memcpy(&u, &x, 4);
	u &= 0x7fffffffu;
	memcpy(&x, &u, 4);
	return x;
}

static inline float f32_neg(float x)
{
	uint32_t u;

	memcpy(&u, &x, 4);
	u ^= 0x80000000u;
	memcpy(&x, &u, 4);
	return x;
}

VKERN(f32_mov, float, 1, x)
VKERN(f32_add, float, 2, x + y)
VKERN(f32_sub, float, 2, x - y)
VKERN(f32_mul, float, 2, x * y)
VKERN(f32_max, float, 2, x > y ? x : y)
VKERN(f32_min, float, 2, x < y ? x : y)
VKERN(f32_fma, float, 3, x * y + z)
VKERN(f32_fmacs, float, 2, x + y * s)
VKERN(f32_adds, float, 1, x + s)
VKERN(f32_muls, float, 1, x * s)
VKERN(f32_fill, float, 0, s)
VRED(f32_rsum, float, acc + x)
VRED(f32_rmax, float, x > acc ? x : acc)
VRED(f32_rmin, float, x < acc ? x : acc)
VKERN2(f32_seq, float, uint32_t, 2, x == y)
VKERN2(f32_sne, float, uint32_t, 2, x != y)
VKERN2(f32_slt, float, uint32_t, 2, x < y)
VKERN2(f32_sle, float, uint32_t, 2, x <= y)
VKERN2(f32_sgt, float, uint32_t, 2, x > y)
VKERN2(f32_sge, float, uint32_t, 2, x >= y)
VSEL(f32_sel, float, uint32_t)
VKERN(f32_abs_k, float, 1, f32_abs(x))
VKERN(f32_neg_k, float, 1, f32_neg(x))

VKERN(i32_mov, uint32_t, 1, x)
VKERN(i32_add, uint32_t, 2, x + y)
VKERN(i32_sub, uint32_t, 2, x - y)
VKERN(i32_mul, uint32_t, 2, x * y)
VKERN(i32_max, uint32_t, 2, SMAX(x, y))
VKERN(i32_min, uint32_t, 2, SMIN(x, y))
VKERN(i32_fma, uint32_t, 3, x * y + z)
VKERN(i32_fmacs, uint32_t, 2, x + y * s)
VKERN(i32_adds, uint32_t, 1, x + s)
VKERN(i32_muls, uint32_t, 1, x * s)
VKERN(i32_fill, uint32_t, 0, s)
VRED_I32(i32_rsum, RSUM, VSUM, 0)
VRED_I32(i32_rmax, RMAX, VMAX, acc)
VRED_I32(i32_rmin, RMIN, VMIN, acc)
VKERN(i32_and, uint32_t, 2, x & y)
VKERN(i32_or, uint32_t, 2, x | y)
VKERN(i32_xor, uint32_t, 2, x ^ y)
VKERN(i32_not, uint32_t, 1, ~x)
VKERN(i32_shl, uint32_t, 2, x << (y & 31))
VKERN(i32_shr, uint32_t, 2, x >> (y & 31))
VKERN(i32_sra, uint32_t, 2, (uint32_t)((int32_t)x >> (y & 31)))
VKERN(i32_seq, uint32_t, 2, x == y)
VKERN(i32_sne, uint32_t, 2, x != y)
VKERN(i32_slt, uint32_t, 2, (int32_t)x < (int32_t)y)
VKERN(i32_sle, uint32_t, 2, (int32_t)x <= (int32_t)y)
VKERN(i32_sgt, uint32_t, 2, (int32_t)x > (int32_t)y)
VKERN(i32_sge, uint32_t, 2, (int32_t)x >= (int32_t)y)
VSEL(i32_sel, uint32_t, uint32_t)
VKERN(i32_abs, uint32_t, 1, SABS(x))
VKERN(i32_neg, uint32_t, 1, 0u - x)

#define NVOPS	WAFER_NVOPS
#define K(op)	[ISA_OP_##op - ISA_OP_VFIRST]

static vkern_fn *const kern_f32[NVOPS] = {
	K(VMOV) = f32_mov, K(VADD) = f32_add, K(VSUB) = f32_sub,
	K(VMUL) = f32_mul, K(VMAX) = f32_max, K(VMIN) = f32_min,
	K(VFMA) = f32_fma, K(VFMACS) = f32_fmacs, K(VADDS) = f32_adds,
	K(VMULS) = f32_muls, K(VFILL) = f32_fill, K(VRSUM) = f32_rsum,
	K(VRMAX) = f32_rmax, K(VRMIN) = f32_rmin, K(VSEQ) = f32_seq,
	K(VSNE) = f32_sne, K(VSLT) = f32_slt, K(VSLE) = f32_sle,
	K(VSGT) = f32_sgt, K(VSGE) = f32_sge, K(VSEL) = f32_sel,
	K(VABS) = f32_abs_k, K(VNEG) = f32_neg_k,
};

static vkern_fn *const kern_i32[NVOPS] = {
	K(VMOV) = i32_mov, K(VADD) = i32_add, K(VSUB) = i32_sub,
	K(VMUL) = i32_mul, K(VMAX) = i32_max, K(VMIN) = i32_min,
	K(VFMA) = i32_fma, K(VFMACS) = i32_fmacs, K(VADDS) = i32_adds,
	K(VMULS) = i32_muls, K(VFILL) = i32_fill, K(VRSUM) = i32_rsum,
	K(VRMAX) = i32_rmax, K(VRMIN) = i32_rmin, K(VAND) = i32_and,
	K(VOR) = i32_or, K(VXOR) = i32_xor, K(VNOT) = i32_not,
	K(VSHL) = i32_shl, K(VSHR) = i32_shr, K(VSRA) = i32_sra,
	K(VSEQ) = i32_seq, K(VSNE) = i32_sne, K(VSLT) = i32_slt,
	K(VSLE) = i32_sle, K(VSGT) = i32_sgt, K(VSGE) = i32_sge,
	K(VSEL) = i32_sel, K(VABS) = i32_abs, K(VNEG) = i32_neg,
};

/*
 * The contiguous kernels of the 32-bit types, with where their operands
 * come from: the fast path of vector.c calls them without a struct vargs.
 * Reductions, select and conversions are not here.
 */
_Static_assert(NVOPS <= WAFER_UK_OPS, "wafer_ukern rows too short");

#define UK(op, fn, nsrc, sreg)	K(op) = { fn##_unit, nsrc, sreg,		\
				  ISA_OP_##op >= ISA_OP_VSEQ &&		\
				  ISA_OP_##op <= ISA_OP_VSGE }
#define UK_COMMON(p)							\
	UK(VMOV, p##_mov, 1, 0), UK(VADD, p##_add, 2, 0),		\
	UK(VSUB, p##_sub, 2, 0), UK(VMUL, p##_mul, 2, 0),		\
	UK(VMAX, p##_max, 2, 0), UK(VMIN, p##_min, 2, 0),		\
	UK(VFMA, p##_fma, 3, 0), UK(VFMACS, p##_fmacs, 2, 3),		\
	UK(VADDS, p##_adds, 1, 2), UK(VMULS, p##_muls, 1, 2),		\
	UK(VFILL, p##_fill, 0, 1), UK(VSEQ, p##_seq, 2, 0),		\
	UK(VSNE, p##_sne, 2, 0), UK(VSLT, p##_slt, 2, 0),		\
	UK(VSLE, p##_sle, 2, 0), UK(VSGT, p##_sgt, 2, 0),		\
	UK(VSGE, p##_sge, 2, 0)

const struct wafer_ukern wafer_ukern[2][WAFER_UK_OPS] = {
	[ISA_T_F32] = {
		UK_COMMON(f32), UK(VABS, f32_abs_k, 1, 0),
		UK(VNEG, f32_neg_k, 1, 0),
	},
	[ISA_T_I32] = {
		UK_COMMON(i32), UK(VABS, i32_abs, 1, 0),
		UK(VNEG, i32_neg, 1, 0), UK(VAND, i32_and, 2, 0),
		UK(VOR, i32_or, 2, 0), UK(VXOR, i32_xor, 2, 0),
		UK(VNOT, i32_not, 1, 0), UK(VSHL, i32_shl, 2, 0),
		UK(VSHR, i32_shr, 2, 0), UK(VSRA, i32_sra, 2, 0),
	},
};

/* Kernel sources of each op (a scalar b counts as a source here). */
static const uint8_t op_nsrc[NVOPS] = {
	K(VMOV) = 1, K(VADD) = 2, K(VSUB) = 2, K(VMUL) = 2, K(VMAX) = 2,
	K(VMIN) = 2, K(VFMA) = 3, K(VFMACS) = 2, K(VADDS) = 1, K(VMULS) = 1,
	K(VFILL) = 0, K(VRSUM) = 1, K(VRMAX) = 1, K(VRMIN) = 1, K(VAND) = 2,
	K(VOR) = 2, K(VXOR) = 2, K(VNOT) = 1, K(VSHL) = 2, K(VSHR) = 2,
	K(VSRA) = 2, K(VSEQ) = 2, K(VSNE) = 2, K(VSLT) = 2, K(VSLE) = 2,
	K(VSGT) = 2, K(VSGE) = 2, K(VSEL) = 3, K(VABS) = 1, K(VNEG) = 1,
	K(VCVT) = 1,
};

/* DSD sources of an op: a scalar second source is not one. */
unsigned int wafer_vop_nsrc(unsigned int op, bool scalar_b)
{
	unsigned int n = op_nsrc[op - ISA_OP_VFIRST];

	return scalar_b && n == 2 ? 1 : n;
}

/* f16: compute in f32 (exact for one operation), round once to f16. */
static uint16_t f16_op(unsigned int op, uint16_t x, uint16_t y, uint16_t z,
		       uint16_t s)
{
	float fx = wafer_h2f(x), fy = wafer_h2f(y), fz = wafer_h2f(z);
	float fs = wafer_h2f(s);

	switch (op) {
	case ISA_OP_VMOV:
		return x;
	case ISA_OP_VADD:
		return wafer_f2h(fx + fy);
	case ISA_OP_VSUB:
		return wafer_f2h(fx - fy);
	case ISA_OP_VMUL:
		return wafer_f2h(fx * fy);
	case ISA_OP_VMAX:
		return fx > fy ? x : y;
	case ISA_OP_VMIN:
		return fx < fy ? x : y;
	case ISA_OP_VFMA:
		return wafer_f2h(wafer_h2f(wafer_f2h(fx * fy)) + fz);
	case ISA_OP_VFMACS:
		return wafer_f2h(fx + wafer_h2f(wafer_f2h(fy * fs)));
	case ISA_OP_VADDS:
		return wafer_f2h(fx + fs);
	case ISA_OP_VMULS:
		return wafer_f2h(fx * fs);
	case ISA_OP_VFILL:
		return s;
	case ISA_OP_VRSUM:	/* x is the accumulator, y the element */
		return wafer_f2h(fx + fy);
	case ISA_OP_VRMAX:
		return fy > fx ? y : x;
	case ISA_OP_VRMIN:
		return fy < fx ? y : x;
	case ISA_OP_VSEQ:
		return fx == fy;
	case ISA_OP_VSNE:
		return fx != fy;
	case ISA_OP_VSLT:
		return fx < fy;
	case ISA_OP_VSLE:
		return fx <= fy;
	case ISA_OP_VSGT:
		return fx > fy;
	case ISA_OP_VSGE:
		return fx >= fy;
	case ISA_OP_VSEL:
		return z ? x : y;
	case ISA_OP_VABS:
		return x & 0x7fff;
	case ISA_OP_VNEG:
		return x ^ 0x8000;
	}
	return 0;
}

static uint16_t i16_op(unsigned int op, uint16_t x, uint16_t y, uint16_t z,
		       uint16_t s)
{
	int16_t sx = (int16_t)x, sy = (int16_t)y;

	switch (op) {
	case ISA_OP_VMOV:
		return x;
	case ISA_OP_VADD:
	case ISA_OP_VRSUM:
		return x + y;
	case ISA_OP_VSUB:
		return x - y;
	case ISA_OP_VMUL:
		return x * y;
	case ISA_OP_VMAX:
		return sx > sy ? x : y;
	case ISA_OP_VMIN:
		return sx < sy ? x : y;
	case ISA_OP_VFMA:
		return x * y + z;
	case ISA_OP_VFMACS:
		return x + y * s;
	case ISA_OP_VADDS:
		return x + s;
	case ISA_OP_VMULS:
		return x * s;
	case ISA_OP_VFILL:
		return s;
	case ISA_OP_VRMAX:
		return sy > sx ? y : x;
	case ISA_OP_VRMIN:
		return sy < sx ? y : x;
	case ISA_OP_VAND:
		return x & y;
	case ISA_OP_VOR:
		return x | y;
	case ISA_OP_VXOR:
		return x ^ y;
	case ISA_OP_VNOT:
		return (uint16_t)~x;
	case ISA_OP_VSHL:
		return (uint16_t)(x << (y & 15));
	case ISA_OP_VSHR:
		return x >> (y & 15);
	case ISA_OP_VSRA:
		return (uint16_t)(sx >> (y & 15));
	case ISA_OP_VSEQ:
		return x == y;
	case ISA_OP_VSNE:
		return x != y;
	case ISA_OP_VSLT:
		return sx < sy;
	case ISA_OP_VSLE:
		return sx <= sy;
	case ISA_OP_VSGT:
		return sx > sy;
	case ISA_OP_VSGE:
		return sx >= sy;
	case ISA_OP_VSEL:
		return z ? x : y;
	case ISA_OP_VABS:
		return sx < 0 ? (uint16_t)(0 - x) : x;
	case ISA_OP_VNEG:
		return (uint16_t)(0 - x);
	}
	return 0;
}

/* i16 reductions of contiguous operands (kern_16() is the general path). */
VRED_INT(i16_rsum, uint16_t, int16_t, RSUM, VSUM, 0)
VRED_INT(i16_rmax, uint16_t, int16_t, RMAX, VMAX, acc)
VRED_INT(i16_rmin, uint16_t, int16_t, RMIN, VMIN, acc)

static bool i16_red(struct vargs *v)
{
	const uint16_t *a = (const uint16_t *)v->a, acc = (uint16_t)v->acc;

	if (v->as != 2)
		return false;
	switch (v->op) {
	case ISA_OP_VRSUM:
		v->acc = i16_rsum_unit(a, v->n, acc);
		return true;
	case ISA_OP_VRMAX:
		v->acc = i16_rmax_unit(a, v->n, acc);
		return true;
	case ISA_OP_VRMIN:
		v->acc = i16_rmin_unit(a, v->n, acc);
		return true;
	}
	return false;
}

/* The 16-bit types go element by element through the functions above. */
static void kern_16(struct vargs *v)
{
	uint16_t (*fn)(unsigned int, uint16_t, uint16_t, uint16_t, uint16_t) =
		v->type == ISA_T_F16 ? f16_op : i16_op;
	unsigned int nsrc = op_nsrc[v->op - ISA_OP_VFIRST];
	const uint8_t *ap = v->a, *bp = v->b, *cp = v->c;
	uint16_t s = (uint16_t)v->s, acc = (uint16_t)v->acc;
	uint8_t *dp = v->d;

	for (uint32_t i = 0; i < v->n; i++) {
		uint16_t x = 0, y = 0, z = 0;

		if (nsrc >= 1)
			memcpy(&x, ap, 2);
		if (nsrc >= 2)
			memcpy(&y, bp, 2);
		if (nsrc >= 3)
			memcpy(&z, cp, 2);
		if (isa_op_is_reduction(v->op)) {
			acc = fn(v->op, acc, x, 0, 0);
		} else {
			uint16_t r = fn(v->op, x, y, z, s);

			memcpy(dp, &r, 2);
			dp += v->ds;
		}
		ap += v->as;
		bp += v->bs;
		cp += v->cs;
	}
	v->acc = acc;
}

/* Float to integer: truncate toward zero, saturate; NaN gives 0. */
static int64_t f_to_int(float f, int64_t lo, int64_t hi)
{
	if (f != f)
		return 0;
	if (f >= (float)hi)
		return hi;
	if (f <= (float)lo)
		return lo;
	return (int64_t)f;
}

/*
 * One conversion. Integers narrow by wrapping (i32 -> i16 keeps the low
 * half) and widen by sign extension; floats become integers truncated and
 * saturated; everything else rounds to nearest even once.
 */
static void cvt_elem(unsigned int to, unsigned int from, const uint8_t *src,
		     uint8_t *dst)
{
	uint32_t u32 = 0;
	uint16_t u16 = 0;
	float f = 0;
	int64_t i = 0;
	bool is_f;

	if (from == ISA_T_F32 || from == ISA_T_I32)
		memcpy(&u32, src, 4);
	else
		memcpy(&u16, src, 2);
	switch (from) {
	case ISA_T_F32:
		memcpy(&f, &u32, 4);
		is_f = true;
		break;
	case ISA_T_F16:
		f = wafer_h2f(u16);
		is_f = true;
		break;
	case ISA_T_I32:
		i = (int32_t)u32;
		is_f = false;
		break;
	default:
		i = (int16_t)u16;
		is_f = false;
	}
	switch (to) {
	case ISA_T_F32:
		if (!is_f)
			f = (float)i;
		memcpy(dst, &f, 4);
		return;
	case ISA_T_F16:
		u16 = wafer_f2h(is_f ? f : (float)i);
		memcpy(dst, &u16, 2);
		return;
	case ISA_T_I32:
		u32 = (uint32_t)(is_f ? f_to_int(f, INT32_MIN, INT32_MAX) : i);
		memcpy(dst, &u32, 4);
		return;
	default:
		u16 = (uint16_t)(is_f ? f_to_int(f, INT16_MIN, INT16_MAX) : i);
		memcpy(dst, &u16, 2);
	}
}

static void kern_cvt(struct vargs *v)
{
	const uint8_t *ap = v->a;
	uint8_t *dp = v->d;

	for (uint32_t i = 0; i < v->n; i++) {
		cvt_elem(v->type, v->stype, ap, dp);
		ap += v->as;
		dp += v->ds;
	}
}

void wafer_kern_run(struct vargs *v)
{
	unsigned int i = v->op - ISA_OP_VFIRST;

	if (v->op == ISA_OP_VCVT)
		kern_cvt(v);
	else if (v->type == ISA_T_F32)
		kern_f32[i](v);
	else if (v->type == ISA_T_I32)
		kern_i32[i](v);
	else if (v->type != ISA_T_I16 || !i16_red(v))
		kern_16(v);
}

uint32_t wafer_red_init(unsigned int op, unsigned int type)
{
	float f;
	uint32_t u;

	switch (op) {
	case ISA_OP_VRMAX:
		switch (type) {
		case ISA_T_F32:
			f = -__builtin_inff();
			memcpy(&u, &f, 4);
			return u;
		case ISA_T_I32:
			return 0x80000000u;
		case ISA_T_F16:
			return 0xfc00;
		default:
			return 0x8000;
		}
	case ISA_OP_VRMIN:
		switch (type) {
		case ISA_T_F32:
			f = __builtin_inff();
			memcpy(&u, &f, 4);
			return u;
		case ISA_T_I32:
			return 0x7fffffffu;
		case ISA_T_F16:
			return 0x7c00;
		default:
			return 0x7fff;
		}
	}
	return 0;
}
