// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vector.c - vector instructions over memory and fabric DSDs.
 *
 * Semantics are element by element, in order: element i reads its sources
 * (receiving from fabric sources in operand order a, b, c), computes, then
 * writes or sends its result. The work is done in chunks: a chunk on
 * memory operands only is a straight loop over SRAM (unit strides get
 * loops the compiler keeps tight, so emulated vector code runs near the
 * speed of the same C); a chunk with fabric operands first takes as many
 * wavelets as every fabric source has and every destination queue can
 * hold, so a step never half-happens and a PE blocks only between chunks.
 * Chunking never changes results or modeled time: both are computed per
 * element.
 *
 * Timing: issue costs COST_VEC_ISSUE, then element i completes at
 * t_i = max(t_{i-1} + 1, arrival of its wavelets, time the destination
 * slots it fills were freed).
 */
#include <string.h>

#include "internal.h"
#include "half.h"

/*
 * Keep a * b + c two roundings whatever the compiler's default, and start
 * the element loops on 32-byte boundaries: on some hosts (AMD Zen 4 here)
 * a tight loop straddling a boundary runs 1.7 times slower, which would
 * make kernel speed depend on where the linker happened to put this file.
 */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off", "align-loops=32")
#endif

struct vargs {
	uint8_t *d;
	const uint8_t *a, *b, *c;
	long ds, as, bs, cs;		/* byte strides */
	uint32_t s;			/* scalar operand bits */
	uint32_t n;
	uint32_t acc;			/* reductions: running result bits */
	unsigned int op, type;		/* for the 16-bit path */
};

typedef void vkern_fn(struct vargs *v);

/*
 * One kernel per (op, 32-bit type): a unit-stride loop and a strided one.
 * x, y, z are the a, b, c elements, s the scalar.
 */
#define VKERN(name, T, NSRC, EXPR)					\
static void name(struct vargs *v)					\
{									\
	const uint32_t n = v->n;					\
	T s;								\
									\
	memcpy(&s, &v->s, sizeof(s));					\
	(void)s;							\
	if (v->ds == sizeof(T) && (NSRC < 1 || v->as == sizeof(T)) &&	\
	    (NSRC < 2 || v->bs == sizeof(T)) &&				\
	    (NSRC < 3 || v->cs == sizeof(T))) {				\
		T *D = (T *)v->d;					\
		const T *A = (const T *)v->a, *B = (const T *)v->b;	\
		const T *C = (const T *)v->c;				\
									\
		for (uint32_t i = 0; i < n; i++) {			\
			T x = NSRC >= 1 ? A[i] : 0;			\
			T y = NSRC >= 2 ? B[i] : 0;			\
			T z = NSRC >= 3 ? C[i] : 0;			\
									\
			(void)x; (void)y; (void)z;			\
			D[i] = (EXPR);					\
		}							\
	} else {							\
		uint8_t *dp = v->d;					\
		const uint8_t *ap = v->a, *bp = v->b, *cp = v->c;	\
									\
		for (uint32_t i = 0; i < n; i++) {			\
			T x = NSRC >= 1 ? *(const T *)ap : 0;		\
			T y = NSRC >= 2 ? *(const T *)bp : 0;		\
			T z = NSRC >= 3 ? *(const T *)cp : 0;		\
									\
			(void)x; (void)y; (void)z;			\
			*(T *)dp = (EXPR);				\
			dp += v->ds;					\
			ap += v->as;					\
			bp += v->bs;					\
			cp += v->cs;					\
		}							\
	}								\
}

#define VRED(name, T, EXPR)						\
static void name(struct vargs *v)					\
{									\
	const uint8_t *ap = v->a;					\
	T acc;								\
									\
	memcpy(&acc, &v->acc, sizeof(acc));				\
	for (uint32_t i = 0; i < v->n; i++) {				\
		T x = *(const T *)ap;					\
									\
		acc = (EXPR);						\
		ap += v->as;						\
	}								\
	memcpy(&v->acc, &acc, sizeof(acc));				\
}

#define SMAX(x, y)	((int32_t)(x) > (int32_t)(y) ? (x) : (y))
#define SMIN(x, y)	((int32_t)(x) < (int32_t)(y) ? (x) : (y))

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
VRED(i32_rsum, uint32_t, acc + x)
VRED(i32_rmax, uint32_t, SMAX(x, acc))
VRED(i32_rmin, uint32_t, SMIN(x, acc))

#define NVOPS	(ISA_OP_VRMIN - ISA_OP_VMOV + 1)

static vkern_fn *const kern_f32[NVOPS] = {
	f32_mov, f32_add, f32_sub, f32_mul, f32_max, f32_min, f32_fma,
	f32_fmacs, f32_adds, f32_muls, f32_fill, f32_rsum, f32_rmax, f32_rmin,
};

static vkern_fn *const kern_i32[NVOPS] = {
	i32_mov, i32_add, i32_sub, i32_mul, i32_max, i32_min, i32_fma,
	i32_fmacs, i32_adds, i32_muls, i32_fill, i32_rsum, i32_rmax, i32_rmin,
};

/* Number of DSD sources of each vector op. */
static const uint8_t op_nsrc[NVOPS] = {
	[ISA_OP_VMOV - ISA_OP_VMOV] = 1,
	[ISA_OP_VADD - ISA_OP_VMOV] = 2,
	[ISA_OP_VSUB - ISA_OP_VMOV] = 2,
	[ISA_OP_VMUL - ISA_OP_VMOV] = 2,
	[ISA_OP_VMAX - ISA_OP_VMOV] = 2,
	[ISA_OP_VMIN - ISA_OP_VMOV] = 2,
	[ISA_OP_VFMA - ISA_OP_VMOV] = 3,
	[ISA_OP_VFMACS - ISA_OP_VMOV] = 2,
	[ISA_OP_VADDS - ISA_OP_VMOV] = 1,
	[ISA_OP_VMULS - ISA_OP_VMOV] = 1,
	[ISA_OP_VFILL - ISA_OP_VMOV] = 0,
	[ISA_OP_VRSUM - ISA_OP_VMOV] = 1,
	[ISA_OP_VRMAX - ISA_OP_VMOV] = 1,
	[ISA_OP_VRMIN - ISA_OP_VMOV] = 1,
};

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
	}
	return 0;
}

static uint16_t i16_op(unsigned int op, uint16_t x, uint16_t y, uint16_t z,
		       uint16_t s)
{
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
		return (int16_t)x > (int16_t)y ? x : y;
	case ISA_OP_VMIN:
		return (int16_t)x < (int16_t)y ? x : y;
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
		return (int16_t)y > (int16_t)x ? y : x;
	case ISA_OP_VRMIN:
		return (int16_t)y < (int16_t)x ? y : x;
	}
	return 0;
}

/* The 16-bit types go element by element through the functions above. */
static void kern_16(struct vargs *v)
{
	uint16_t (*fn)(unsigned int, uint16_t, uint16_t, uint16_t, uint16_t) =
		v->type == ISA_T_F16 ? f16_op : i16_op;
	unsigned int nsrc = op_nsrc[v->op - ISA_OP_VMOV];
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
		if (v->op >= ISA_OP_VRSUM) {
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

static uint32_t red_init(unsigned int op, unsigned int type)
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

struct vopnd {
	uint8_t kind;			/* enum dsd_kind */
	uint8_t color;
	uint8_t *mem;			/* element 0 */
	long stride;			/* bytes */
	struct wafer_fq *q;		/* fabric source */
	const struct wafer_route *rt;	/* fabric destination */
};

static enum step range_fault(struct exec_ctx *x, const struct dinsn *d,
			     unsigned int reg, bool dst, uint32_t n,
			     unsigned int esz)
{
	const struct pe_dsd *dd = &x->pe->d[reg];
	int64_t base = dd->base, step = (int64_t)dd->stride * esz, addr;
	uint64_t i0;

	if (base + esz > x->p->sram_bytes)
		i0 = 0;
	else if (step > 0)
		i0 = (uint64_t)(x->p->sram_bytes - esz - base) / step + 1;
	else
		i0 = (uint64_t)base / (uint64_t)(-step) + 1;
	addr = base + (int64_t)i0 * step;
	return wafer_pe_fault(x, WAFER_ERR_SRAM_RANGE,
			      "SRAM %s of %u bytes at %s0x%llx out of range (%s.%s d%u element %llu of %u)",
			      dst ? "write" : "read", esz, addr < 0 ? "-" : "",
			      (unsigned long long)(addr < 0 ? -addr : addr),
			      wafer_op_name(d->op), wafer_type_name(d->type),
			      reg, (unsigned long long)i0, n);
}

/* Faults of opnd_setup(), out of line to keep the common path short. */
static enum step __attribute__((noinline, cold))
opnd_fault(struct exec_ctx *x, const struct dinsn *d, unsigned int reg, bool dst,
	   uint32_t n, unsigned int esz)
{
	const struct pe_dsd *dd = &x->pe->d[reg];

	if (dd->type != d->type)
		return wafer_pe_fault(x, WAFER_ERR_ILLEGAL_INSN,
				      "illegal operand: %s.%s with d%u, a DSD of type %s",
				      wafer_op_name(d->op),
				      wafer_type_name(d->type), reg,
				      wafer_type_name(dd->type));
	if (dd->kind == DSD_FAB)
		return wafer_pe_fault(x, WAFER_ERR_UNROUTED,
				      "%s.%s receives on color %u, which the router never delivers to RAMP",
				      wafer_op_name(d->op),
				      wafer_type_name(d->type), dd->base);
	if (dd->base % esz)
		return wafer_pe_fault(x, WAFER_ERR_MISALIGNED,
				      "misaligned %u-byte %s at 0x%x (%s.%s d%u)",
				      esz, dst ? "write" : "read", dd->base,
				      wafer_op_name(d->op),
				      wafer_type_name(d->type), reg);
	return range_fault(x, d, reg, dst, n, esz);
}

/* Check operand reg of d for n elements and describe it in *o. */
static inline enum step opnd_setup(struct exec_ctx *x, const struct dinsn *d,
				   unsigned int reg, bool dst, uint32_t n,
				   unsigned int esz, struct vopnd *o)
{
	struct pe *pe = x->pe;
	const struct pe_dsd *dd = &pe->d[reg];
	const int64_t sram = x->p->sram_bytes;
	int64_t step, span, last;

	if (wf_unlikely(dd->type != d->type))
		return opnd_fault(x, d, reg, dst, n, esz);
	o->kind = dd->kind;
	if (dd->kind == DSD_FAB) {
		o->color = (uint8_t)dd->base;
		if (dst)
			return wafer_route_get(x, o->color, &o->rt);
		o->q = wafer_rxq(x->p, pe, o->color);
		if (wf_unlikely(!o->q))
			return opnd_fault(x, d, reg, dst, n, esz);
		return STEP_OK;
	}
	step = (int64_t)dd->stride * esz;
	o->stride = (long)step;
	o->mem = pe->sram + dd->base;
	if (wf_unlikely(dd->base % esz))
		return opnd_fault(x, d, reg, dst, n, esz);
	if (!n)
		return STEP_OK;
	/* The walk from base to its last element must stay in SRAM. */
	if (wf_unlikely(__builtin_mul_overflow((int64_t)(n - 1), step, &span)))
		return opnd_fault(x, d, reg, dst, n, esz);
	last = (int64_t)dd->base + span;
	if (wf_unlikely((int64_t)dd->base + esz > sram || last < 0 ||
			last + esz > sram))
		return opnd_fault(x, d, reg, dst, n, esz);
	return STEP_OK;
}

static void vargs_at(struct vargs *v, const struct vopnd *o, int which,
		     uint32_t vi, uint8_t *tmp, unsigned int esz)
{
	uint8_t *p;
	long stride;

	if (o->kind == DSD_MEM) {
		p = o->mem + (int64_t)vi * o->stride;
		stride = o->stride;
	} else {
		p = tmp;
		stride = esz;
	}
	switch (which) {
	case 0:
		v->d = p;
		v->ds = stride;
		break;
	case 1:
		v->a = p;
		v->as = stride;
		break;
	case 2:
		v->b = p;
		v->bs = stride;
		break;
	default:
		v->c = p;
		v->cs = stride;
	}
}

static void kern_run(struct vargs *v)
{
	unsigned int i = v->op - ISA_OP_VMOV;

	if (v->type == ISA_T_F32)
		kern_f32[i](v);
	else if (v->type == ISA_T_I32)
		kern_i32[i](v);
	else
		kern_16(v);
}

struct vin {
	struct wafer_fq *q;
	uint8_t color, need;
};

/* One chunk of an op with fabric operands; returns STEP_BLOCK or OK. */
static enum step fab_chunk(struct exec_ctx *x, struct vargs *v,
			   const struct vopnd *dst, const struct vopnd *src,
			   unsigned int nsrc, uint32_t n, unsigned int esz, bool red)
{
	struct pe *pe = x->pe;
	uint32_t tsrc[3][WAFER_FAB_CHUNK], tout[WAFER_FAB_CHUNK];
	uint64_t arr[3][WAFER_FAB_CHUNK], et[WAFER_FAB_CHUNK];
	uint64_t pt[3 * WAFER_FAB_CHUNK];
	uint32_t k = n - pe->vi, off[3] = { 0 };
	uint8_t grp[3] = { 0 };
	struct vin in[3];
	unsigned int nin = 0, i;
	uint64_t t;

	if (k > WAFER_FAB_CHUNK)
		k = WAFER_FAB_CHUNK;
	for (i = 0; i < nsrc; i++) {
		unsigned int g;

		if (src[i].kind != DSD_FAB)
			continue;
		for (g = 0; g < nin && in[g].q != src[i].q; g++)
			;
		if (g == nin)
			in[nin++] = (struct vin){ src[i].q, src[i].color, 0 };
		in[g].need++;
		grp[i] = g;
	}
	for (i = 0; i < nin; i++) {
		uint32_t can = wafer_fq_avail(in[i].q) / in[i].need;

		if (can < k)
			k = can;
	}
	if (!red && dst->kind == DSD_FAB) {
		uint32_t space = wafer_route_space(dst->rt);

		if (space < k)
			k = space;
	}
	if (!k) {
		pe->wait_nin = nin;
		for (i = 0; i < nin; i++) {
			pe->wait_in_c[i] = in[i].color;
			pe->wait_in_need[i] = in[i].need;
		}
		pe->wait_out = !red && dst->kind == DSD_FAB ? dst->rt : NULL;
		pe->wait_out_c = dst->color;
		return STEP_BLOCK;
	}

	/* Take the wavelets, element-major, in operand order. */
	for (uint32_t j = 0; j < k; j++) {
		for (i = 0; i < nsrc; i++) {
			uint32_t val;

			if (src[i].kind != DSD_FAB)
				continue;
			wafer_fq_peek(src[i].q, off[grp[i]]++, &val, &arr[i][j]);
			if (esz == 2)
				((uint16_t *)tsrc[i])[j] = (uint16_t)val;
			else
				tsrc[i][j] = val;
		}
	}

	t = pe->clock;
	for (uint32_t j = 0; j < k; j++) {
		t++;
		for (i = 0; i < nsrc; i++)
			if (src[i].kind == DSD_FAB && arr[i][j] > t)
				t = arr[i][j];
		if (!red && dst->kind == DSD_FAB) {
			uint64_t f = wafer_route_free_time(dst->rt, j);

			if (f > t)
				t = f;
		}
		et[j] = t;
	}
	pe->clock = t;

	if (!red)
		vargs_at(v, dst, 0, pe->vi, (uint8_t *)tout, esz);
	for (i = 0; i < nsrc; i++)
		vargs_at(v, &src[i], i + 1, pe->vi, (uint8_t *)tsrc[i], esz);
	v->n = k;
	kern_run(v);

	for (i = 0; i < nin; i++) {
		const uint64_t *times = et;

		if (in[i].need > 1) {
			for (uint32_t j = 0; j < k; j++)
				for (unsigned int m = 0; m < in[i].need; m++)
					pt[j * in[i].need + m] = et[j];
			times = pt;
		}
		wafer_fq_pop(x, in[i].q, times, k * in[i].need);
	}
	if (!red && dst->kind == DSD_FAB) {
		if (esz == 2) {
			/*
			 * Widen in place from the top: 16-bit results in the
			 * low half of each wavelet.
			 */
			for (uint32_t j = k; j-- > 0;)
				tout[j] = ((uint16_t *)tout)[j];
		}
		wafer_route_push(x, dst->rt, tout, et, k);
	}
	pe->vi += k;
	x->work += k;
	return STEP_OK;
}

enum step wafer_vec_exec(struct exec_ctx *x, const struct dinsn *d)
{
	struct pe *pe = x->pe;
	const unsigned int op = d->op;
	const unsigned int esz = d->type >= ISA_T_I16 ? 2 : 4;
	const bool red = op >= ISA_OP_VRSUM;
	const unsigned int nsrc = op_nsrc[op - ISA_OP_VMOV];
	const uint8_t src_reg[3] = { d->ra, d->rb, d->rc };
	struct vopnd dst, src[3];
	struct vargs v;
	bool fabric = false;
	enum step st;
	uint32_t n;

	v.op = op;
	v.type = d->type;
	v.s = 0;
	v.a = v.b = v.c = NULL;
	v.as = v.bs = v.cs = 0;
	dst.kind = DSD_MEM;
	dst.color = 0;
	if (op == ISA_OP_VFMACS)
		v.s = pe->r[d->rc];
	else if (op == ISA_OP_VADDS || op == ISA_OP_VMULS)
		v.s = pe->r[d->rb];
	else if (op == ISA_OP_VFILL)
		v.s = pe->r[d->ra];

	n = red ? pe->d[d->ra].len : pe->d[d->rd].len;
	if (!red) {
		st = opnd_setup(x, d, d->rd, true, n, esz, &dst);
		if (st != STEP_OK)
			return st;
		fabric |= dst.kind == DSD_FAB;
	}
	for (unsigned int i = 0; i < nsrc; i++) {
		st = opnd_setup(x, d, src_reg[i], false, n, esz, &src[i]);
		if (st != STEP_OK)
			return st;
		fabric |= src[i].kind == DSD_FAB;
	}

	if (!pe->inprog) {
		uint64_t charge = n >> WAFER_BUDGET_ELEMS_SHIFT;

		/* Counted as one instruction already; now its length. */
		if (wf_unlikely(charge > x->run->budget - pe->bused)) {
			pe->icount--;
			pe->bused--;
			return wafer_budget_fault(x);
		}
		pe->bused += charge;
		pe->inprog = true;
		pe->vi = 0;
		pe->vacc = red_init(op, d->type);
		pe->clock += COST_VEC_ISSUE;
	}

	while (pe->vi < n) {
		if (fabric) {
			v.acc = pe->vacc;
			st = fab_chunk(x, &v, &dst, src, nsrc, n, esz, red);
			if (st != STEP_OK)
				return st;
			pe->vacc = v.acc;
		} else {
			uint32_t k = n - pe->vi;

			if (k > WAFER_MEM_CHUNK)
				k = WAFER_MEM_CHUNK;
			if (!red)
				vargs_at(&v, &dst, 0, pe->vi, NULL, esz);
			for (unsigned int i = 0; i < nsrc; i++)
				vargs_at(&v, &src[i], i + 1, pe->vi, NULL, esz);
			v.n = k;
			v.acc = pe->vacc;
			kern_run(&v);
			pe->vacc = v.acc;
			pe->clock += k;
			pe->vi += k;
			x->work += k;
		}
		if (pe->vi < n && x->work >= WAFER_QUANTUM)
			return STEP_YIELD;
	}

	if (red) {
		uint32_t res = pe->vacc;

		if (d->type == ISA_T_I16)
			res = (uint32_t)(int32_t)(int16_t)res;
		pe->r[d->rd] = res;
		pe->r[0] = 0;
	}
	pe->inprog = false;
	pe->vi = 0;
	return STEP_OK;
}
