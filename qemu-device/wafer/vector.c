// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vector.c - vector instructions over memory and fabric DSDs.
 *
 * An instruction is captured into a struct vop when it issues: its DSD
 * operands are copied (a task may set the registers up again while an
 * async op runs), checked (types, SRAM ranges, routes to RAMP) and its
 * scalar read. The main thread then runs it to the end (sync), or a
 * microthread does (async, uthread.c); both go through wafer_vop_run().
 *
 * Semantics are element by element, in order: element i reads its sources
 * (receiving from fabric sources in operand order a, b, c), computes, then
 * writes or sends its result. The work is done in chunks: a chunk on
 * memory operands only is a straight loop over SRAM; a chunk with fabric
 * operands first takes as many wavelets as every fabric source has and
 * every destination queue can hold, so a step never half-happens and an
 * op waits only between chunks. Chunking never changes results or modeled
 * time: both are computed per element. A source fed by an edge channel,
 * or a sink of one as the only destination, is not bounded by the
 * queue's depth: stream.c pops and refills (pushes and drains) it in one
 * loop, element by element, with the times a pop (push) gives.
 *
 * Timing: element i completes at t_i = max(t_{i-1} + 1, arrival of its
 * wavelets, time the destination slots it fills were freed, the route's
 * earliest departure after a switch change), t_{-1} being the clock when
 * the op starts (after its issue cost for sync ops).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char *const type_name[] = { "i32", "f32", "i16", "f16" };

/* The integer type of the same width: compares write it, select reads it. */
static unsigned int int_of(unsigned int type)
{
	return type == ISA_T_F32 ? ISA_T_I32 : type == ISA_T_F16 ? ISA_T_I16 :
	       type;
}

/* The first element of a 1-D walk outside SRAM, for the message. */
static enum step __attribute__((noinline, cold))
range_fault(struct exec_ctx *x, const struct vop *op, const struct pe_dsd *dd,
	    unsigned int reg, bool dst, unsigned int esz, unsigned int type,
	    uint32_t n)
{
	int64_t base = dd->base, step = (int64_t)dd->stride[0] * esz, addr;
	uint64_t i0;

	if (dd->ndim > 1) {
		int64_t lo, hi;

		wafer_dsd_bounds(dd, n, esz, &lo, &hi);
		addr = lo < 0 ? lo : hi - esz;
		return wafer_pe_fault(x, WAFER_ERR_SRAM_RANGE,
				      "SRAM %s of %u bytes at %s0x%llx out of range (%s.%s d%u, %u dimensions)",
				      dst ? "write" : "read", esz,
				      addr < 0 ? "-" : "",
				      (unsigned long long)(addr < 0 ? -addr : addr),
				      wafer_op_name(op->op), type_name[type],
				      reg, dd->ndim);
	}
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
			      wafer_op_name(op->op), type_name[op->type], reg,
			      (unsigned long long)i0, n);
}

/* Check operand reg (copied into *dd) of op; faults name the main pc. */
static enum step opnd_check(struct exec_ctx *x, struct vop *op,
			    const struct pe_dsd *dd, unsigned int reg, bool dst,
			    unsigned int want, uint32_t n, struct wafer_fq **q)
{
	unsigned int esz = isa_elem_size(want);
	int64_t lo, hi;

	if (wf_unlikely(dd->type != want))
		return wafer_pe_fault(x, WAFER_ERR_ILLEGAL_INSN,
				      "illegal operand: %s.%s with d%u, a DSD of type %s",
				      wafer_op_name(op->op), type_name[op->type],
				      reg, type_name[dd->type]);
	if (dd->kind == DSD_FAB) {
		if (dst)
			return STEP_OK;
		*q = wafer_rxq(x->p, x->pe, dd->color);
		if (wf_unlikely(!*q))
			return wafer_pe_fault(x, WAFER_ERR_UNROUTED,
					      "%s.%s receives on color %u, which the router never delivers to RAMP",
					      wafer_op_name(op->op),
					      type_name[op->type], dd->color);
		return STEP_OK;
	}
	if (wf_unlikely(dd->base & (esz - 1)))
		return wafer_pe_fault(x, WAFER_ERR_MISALIGNED,
				      "misaligned %u-byte %s at 0x%x (%s.%s d%u)",
				      esz, dst ? "write" : "read", dd->base,
				      wafer_op_name(op->op), type_name[op->type],
				      reg);
	if (!n)
		return STEP_OK;
	/* The walk from base to its last element must stay in SRAM. */
	if (dd->ndim <= 1) {
		int64_t span = (int64_t)(n - 1) * dd->stride[0] * (int64_t)esz;

		lo = (int64_t)dd->base + (span < 0 ? span : 0);
		hi = (int64_t)dd->base + (span > 0 ? span : 0) + esz;
	} else {
		wafer_dsd_bounds(dd, n, esz, &lo, &hi);
	}
	if (wf_unlikely(lo < 0 || hi > (int64_t)x->p->sram_bytes))
		return range_fault(x, op, dd, reg, dst, esz, want, n);
	return STEP_OK;
}

static enum step __attribute__((noinline, cold))
empty_dim(struct exec_ctx *x, const struct vop *op, unsigned int reg)
{
	return wafer_pe_fault(x, WAFER_ERR_ILLEGAL_INSN,
			      "illegal operand: %s.%s with d%u, a DSD with an empty dimension inside",
			      wafer_op_name(op->op), type_name[op->type], reg);
}

static uint64_t dsd_elems(const struct pe_dsd *d)
{
	uint64_t n = d->len[0];

	if (d->kind == DSD_MEM)
		for (unsigned int k = 1; k < d->ndim; k++)
			n *= d->len[k];
	return n;
}

/*
 * Capture vector instruction d into op: operands, scalar, element count;
 * every check that can fail before the first element is done here, with
 * the main thread's pc and clock (the instruction faults as it issues).
 */
enum step wafer_vop_capture(struct exec_ctx *x, const struct dinsn *d,
			    struct vop *op)
{
	struct pe *pe = x->pe;
	struct pe_vec *pv = wafer_pe_vec(pe);
	const uint32_t imm = (uint32_t)(d->raw >> 32);
	const bool use_imm = d->flags & ISA_F_IMM;
	const uint8_t src_reg[3] = { d->ra, d->rb, d->rc };
	unsigned int dtype, stype;
	uint64_t n64;
	enum step st;

	if (!pv)
		return wafer_pe_fault(x, WAFER_ERR_NOMEM,
				      "out of memory for the DSD registers");
	op->op = d->op;
	op->type = d->type;
	op->stype = d->op == ISA_OP_VCVT ? d->rc : d->type;
	op->red = isa_op_is_reduction(d->op);
	op->sb = (d->flags & ISA_F_SCALAR) != 0;
	op->rd = d->rd;
	op->pc = pe->pc;
	op->nsrc = (uint8_t)wafer_vop_nsrc(d->op, op->sb);
	op->vi = 0;
	op->acc = wafer_red_init(d->op, d->type);
	op->wait_kind = W_NONE;
	op->q[0] = op->q[1] = op->q[2] = NULL;
	switch (d->op) {
	case ISA_OP_VFMACS:
		op->s = use_imm ? imm : pe->r[d->rc];
		break;
	case ISA_OP_VADDS:
	case ISA_OP_VMULS:
		op->s = use_imm ? imm : pe->r[d->rb];
		break;
	case ISA_OP_VFILL:
		op->s = use_imm ? imm : pe->r[d->ra];
		break;
	default:
		op->s = op->sb ? (use_imm ? imm : pe->r[d->rb]) : 0;
	}
	dtype = isa_op_is_compare(d->op) ? int_of(d->type) : d->type;
	stype = op->stype;
	op->esz = (uint8_t)isa_elem_size(stype);
	op->desz = (uint8_t)isa_elem_size(dtype);

	for (unsigned int i = 0; i < op->nsrc; i++)
		op->src[i] = pv->d[src_reg[i]];
	if (!op->red)
		op->dst = pv->d[d->rd];
	n64 = dsd_elems(op->red ? &op->src[0] : &op->dst);
	if (n64 > UINT32_MAX)
		return wafer_pe_fault(x, WAFER_ERR_ILLEGAL_INSN,
				      "illegal operand: %s.%s with d%u, a DSD of more than 2^32 - 1 elements",
				      wafer_op_name(d->op), type_name[d->type],
				      op->red ? d->ra : d->rd);
	op->n = (uint32_t)n64;
	if (!op->red && wf_unlikely(!wafer_dsd_shape(&op->dst, op->n)))
		return empty_dim(x, op, d->rd);
	for (unsigned int i = 0; i < op->nsrc; i++)
		if (wf_unlikely(!wafer_dsd_shape(&op->src[i], op->n)))
			return empty_dim(x, op, src_reg[i]);
	if (!op->red) {
		st = opnd_check(x, op, &op->dst, d->rd, true, dtype, op->n, NULL);
		if (st != STEP_OK)
			return st;
	}
	for (unsigned int i = 0; i < op->nsrc; i++) {
		unsigned int want = d->op == ISA_OP_VSEL && i == 2 ?
				    int_of(d->type) : stype;

		st = opnd_check(x, op, &op->src[i], src_reg[i], false, want,
				op->n, &op->q[i]);
		if (st != STEP_OK)
			return st;
	}
	return STEP_OK;
}

/* The bytes a memory operand of n elements walks (struct fp_range). */
static struct fp_range opnd_fp(const struct pe_dsd *d, uint32_t n,
			       unsigned int esz)
{
	int64_t lo, hi;
	uint32_t k0 = 0, k1 = 0, nd = 0;
	struct fp_range r;

	wafer_dsd_bounds(d, n, esz, &lo, &hi);
	r = (struct fp_range){ (uint32_t)lo, (uint32_t)hi, 0, 0 };
	for (unsigned int k = 0; k < d->ndim; k++) {
		if (d->len[k] <= 1)
			continue;
		if (nd == 0)
			k0 = k;
		else
			k1 = k;
		nd++;
	}
	if (nd == 1 && (uint32_t)abs(d->stride[k0]) > 1) {
		r.rstride = (uint32_t)abs(d->stride[k0]) * esz;
		r.rlen = esz;
	} else if (nd == 2 && abs(d->stride[k0]) == 1 &&
		   (uint64_t)abs(d->stride[k1]) > d->len[k0]) {
		r.rstride = (uint32_t)abs(d->stride[k1]) * esz;
		r.rlen = d->len[k0] * esz;
	}
	return r;
}

/* What op owns while in flight: memory it writes and reads, colors. */
void wafer_vop_footprint(const struct vop *op, struct fp_set *fp)
{
	memset(fp, 0, sizeof(*fp));
	fp->out_color = 0xff;
	if (!op->red) {
		if (op->dst.kind == DSD_FAB)
			fp->out_color = op->dst.color;
		else if (op->n)
			fp->w = opnd_fp(&op->dst, op->n, op->desz);
	}
	for (unsigned int i = 0; i < op->nsrc; i++) {
		const struct pe_dsd *s = &op->src[i];

		if (s->kind == DSD_FAB)
			fp->in_mask |= 1u << s->color;
		else if (op->n)
			fp->r[i] = opnd_fp(s, op->n,
					   i == 2 && op->op == ISA_OP_VSEL ?
					   op->desz : op->esz);
	}
}

/* Pointer and byte stride of memory operand o at element vi. */
static uint8_t *mem_at(const struct exec_ctx *x, const struct pe_dsd *o,
		       uint32_t vi, unsigned int esz, long *stride,
		       uint32_t *run)
{
	int64_t step;
	uint64_t off = wafer_dsd_offset(o, vi, run, &step, esz);

	*stride = (long)step;
	return x->pe->sram + o->base + (int64_t)off;
}

/* Where kernel operand `which` (0 dst, 1..3 sources) comes from. */
static void vargs_set(struct vargs *v, int which, uint8_t *p, long stride)
{
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

static void vargs_init(struct vargs *v, const struct vop *op, void *sbuf)
{
	memset(v, 0, sizeof(*v));
	v->op = op->op;
	v->type = op->type;
	v->stype = op->stype;
	v->s = op->s;
	v->acc = op->acc;
	v->scalar_b = op->sb;
	if (op->sb) {
		/* the scalar as a one-element source b */
		if (op->esz == 2) {
			uint16_t h = (uint16_t)op->s;

			memcpy(sbuf, &h, 2);
		} else {
			memcpy(sbuf, &op->s, 4);
		}
		v->b = sbuf;
		v->bs = 0;
	}
}

/* Source i's element size (select's condition has the integer width). */
static unsigned int src_esz(const struct vop *op, unsigned int i)
{
	return i == 2 && op->op == ISA_OP_VSEL ? op->desz : op->esz;
}

/*
 * SRAM bytes one element of op reads and writes, over its memory
 * operands (a traced launch's sram_bytes counter; repeats counted).
 */
static unsigned int vop_mem_bytes(const struct vop *op)
{
	unsigned int b = !op->red && op->dst.kind != DSD_FAB ? op->desz : 0;

	for (unsigned int i = 0; i < op->nsrc; i++)
		if (op->src[i].kind != DSD_FAB)
			b += src_esz(op, i);
	return b;
}

/*
 * A memory operand's walk, kept from run to run of one chunk: the byte
 * offset of the current row of dimension 0 and the index in it (what
 * wafer_dsd_offset() computes with a division a dimension, once).
 */
struct walk {
	const struct pe_dsd *d;
	int64_t row, step;		/* bytes */
	uint32_t i0, idx[DSD_DIMS];
	unsigned int esz;
};

static void walk_init(struct walk *w, const struct pe_dsd *d, uint32_t vi,
		      unsigned int esz)
{
	uint32_t rem = vi;

	w->d = d;
	w->esz = esz;
	w->step = (int64_t)d->stride[0] * esz;
	w->row = 0;
	w->i0 = vi;
	if (d->ndim <= 1)
		return;
	for (unsigned int k = 0; k < d->ndim; k++) {
		uint32_t ik = rem;

		if (k + 1 < d->ndim) {
			ik = rem % d->len[k];
			rem /= d->len[k];
		}
		if (k == 0)
			w->i0 = ik;
		else
			w->row += (int64_t)ik * d->stride[k] * esz;
		w->idx[k] = ik;
	}
}

/* The current element, and how many evenly spaced ones follow in *run. */
static inline uint8_t *walk_ptr(const struct exec_ctx *x, const struct walk *w,
				uint32_t *run)
{
	*run = w->d->ndim <= 1 ? UINT32_MAX : w->d->len[0] - w->i0;
	return x->pe->sram + w->d->base + w->row + (int64_t)w->i0 * w->step;
}

/* Move k elements on, k at most the run left. */
static inline void walk_adv(struct walk *w, uint32_t k)
{
	const struct pe_dsd *d = w->d;

	w->i0 += k;
	if (d->ndim <= 1 || w->i0 < d->len[0])
		return;
	w->i0 = 0;
	for (unsigned int j = 1; j < d->ndim; j++) {
		w->row += (int64_t)d->stride[j] * w->esz;
		w->idx[j]++;
		/* the outermost dimension does not wrap */
		if (j + 1 == d->ndim || w->idx[j] < d->len[j])
			break;
		w->row -= (int64_t)d->len[j] * d->stride[j] * w->esz;
		w->idx[j] = 0;
	}
}

/*
 * A chunk over memory operands only: runs of evenly spaced elements (a
 * row of dimension 0 of every multi-dimensional operand), one kernel call
 * each, up to WAFER_MEM_CHUNK elements.
 */
static void mem_chunk(struct exec_ctx *x, struct vop *op, uint64_t *clock)
{
	uint32_t left = op->n - op->vi, done = 0;
	struct walk w[4];
	uint8_t **pp[4];
	long *ps[4];
	unsigned int nw = 0;
	uint32_t sbuf;
	struct vargs v;

	if (left > WAFER_MEM_CHUNK)
		left = WAFER_MEM_CHUNK;
	vargs_init(&v, op, &sbuf);
	if (!op->red) {
		walk_init(&w[nw], &op->dst, op->vi, op->desz);
		pp[nw] = &v.d;
		ps[nw++] = &v.ds;
	}
	for (unsigned int i = 0; i < op->nsrc; i++) {
		unsigned int slot = i + 1 + (op->sb && i > 0);

		walk_init(&w[nw], &op->src[i], op->vi, src_esz(op, i));
		pp[nw] = slot == 1 ? (uint8_t **)&v.a : slot == 2 ?
			 (uint8_t **)&v.b : (uint8_t **)&v.c;
		ps[nw++] = slot == 1 ? &v.as : slot == 2 ? &v.bs : &v.cs;
	}
	for (unsigned int j = 0; j < nw; j++)
		*ps[j] = (long)w[j].step;
	while (done < left) {
		uint32_t k = left - done, run;

		for (unsigned int j = 0; j < nw; j++) {
			*pp[j] = walk_ptr(x, &w[j], &run);
			if (run < k)
				k = run;
		}
		v.n = k;
		wafer_kern_run(&v);
		for (unsigned int j = 0; j < nw; j++)
			walk_adv(&w[j], k);
		done += k;
	}
	op->vi += done;
	op->acc = v.acc;
	*clock += done;
	x->work += done;
	if (wafer_traced(x->pe))
		wafer_trace_sram(x->pe, (uint64_t)done * vop_mem_bytes(op));
}

/* Data wavelets at the head of q before the first control one, up to max. */
static uint32_t data_avail(struct wafer_fq *q, uint32_t max)
{
	uint32_t n = wafer_fq_avail(q);
	const uint64_t h = atomic_load_explicit(&q->head, memory_order_relaxed);
	const uint64_t *arr = q->arr;
	const uint32_t mask = q->mask;

	uint64_t any = 0, any1 = 0;
	uint32_t s, seg, i;

	if (n > max)
		n = max;
	/*
	 * The ring is scanned in at most two straight runs, their flags
	 * or-ed without a branch per wavelet, two at a time; only when a
	 * control wavelet is among them is it searched for.
	 */
	s = (uint32_t)h & mask;
	seg = mask + 1 - s < n ? mask + 1 - s : n;
	for (i = 0; i + 1 < seg; i += 2) {
		any |= arr[s + i];
		any1 |= arr[s + i + 1];
	}
	if (i < seg)
		any |= arr[s + i];
	for (i = seg; i < n; i++)
		any |= arr[i - seg];
	any |= any1;
	if (wf_likely(!(any & FQ_CTL)))
		return n;
	for (i = 0; i < n; i++)
		if (arr[(uint32_t)(h + i) & mask] & FQ_CTL)
			return i;
	return n;
}

/*
 * Read k elements' wavelets at the queues' heads, element-major in
 * operand order, into tsrc (their arrivals into arr), and time them into
 * et: each after the one before, its wavelets' arrivals, the slots it
 * fills on the route rt (if it sends) and the route's earliest departure.
 */
static void fab_times(const struct vop *op, const uint8_t *grp,
		      const struct wafer_route *rt, uint32_t k, uint64_t *clock,
		      uint32_t tsrc[3][WAFER_FAB_CHUNK],
		      uint64_t arr[3][WAFER_FAB_CHUNK], uint64_t *et)
{
	uint64_t free_t[WAFER_FAB_CHUNK];
	unsigned int fab[3], nfab = 0, i;
	uint64_t t;

	/*
	 * Sources on one queue (one group) take successive wavelets of it,
	 * element-major: with m sources in its group, the r-th of them
	 * takes wavelet j * m + r of element j. One queue at a time, its
	 * head and ring read once (only this PE pops it).
	 */
	for (i = 0; i < op->nsrc; i++) {
		const struct wafer_fq *q = op->q[i];
		unsigned int m = 0, r = 0;
		uint64_t h;

		if (op->src[i].kind != DSD_FAB)
			continue;
		fab[nfab++] = i;
		for (unsigned int o = 0; o < op->nsrc; o++) {
			if (op->src[o].kind != DSD_FAB || grp[o] != grp[i])
				continue;
			m++;
			r += o < i;
		}
		h = atomic_load_explicit(&q->head, memory_order_relaxed) + r;
		/*
		 * The queue's fields in locals: the stores into tsrc, of its
		 * mask's type, would otherwise reload them every element.
		 */
		const uint32_t *qv = q->val;
		const uint64_t *qa = q->arr;
		const uint32_t qmask = q->mask;

		if (src_esz(op, i) == 2) {
			for (uint32_t j = 0; j < k; j++) {
				uint32_t sl = (uint32_t)(h + (uint64_t)j * m) & qmask;

				((uint16_t *)tsrc[i])[j] = (uint16_t)qv[sl];
				arr[i][j] = qa[sl];
			}
		} else if (m == 1) {
			/* The commonest: k successive slots, in two runs. */
			uint32_t s = (uint32_t)h & qmask;
			uint32_t seg = qmask + 1 - s < k ? qmask + 1 - s : k;

			memcpy(tsrc[i], qv + s, seg * sizeof(*qv));
			memcpy(arr[i], qa + s, seg * sizeof(*qa));
			memcpy(tsrc[i] + seg, qv, (k - seg) * sizeof(*qv));
			memcpy(arr[i] + seg, qa, (k - seg) * sizeof(*qa));
		} else {
			for (uint32_t j = 0; j < k; j++) {
				uint32_t sl = (uint32_t)(h + (uint64_t)j * m) & qmask;

				tsrc[i][j] = qv[sl];
				arr[i][j] = qa[sl];
			}
		}
	}

	/*
	 * When each slot the chunk takes on the route was freed
	 * (wafer_route_free_time() of each element), destination by
	 * destination: this PE is the route's producer, so the tails stay
	 * put, and the pops of slots within the route's space are done.
	 */
	if (rt) {
		/* The first destination's times are stored, the others'
		 * kept where later (with none, every slot is free at 0). */
		if (!rt->n)
			memset(free_t, 0, sizeof(free_t[0]) * k);
		for (uint32_t d = 0; d < rt->n; d++) {
			const struct wafer_fq *q = rt->d[d].q;
			const uint64_t e0 = atomic_load_explicit(&q->tail,
								 memory_order_relaxed);
			const uint64_t *pop = q->pop;
			const uint32_t mask = q->mask, depth = q->depth;
			uint32_t j = 0;

			if (e0 < depth)
				j = depth - e0 < k ? (uint32_t)(depth - e0) : k;
			if (!d) {
				for (uint32_t z = 0; z < j; z++)
					free_t[z] = 0;
				for (; j < k; j++)
					free_t[j] = pop[(e0 + j - depth) & mask];
				continue;
			}
			for (; j < k; j++) {
				uint64_t f = pop[(e0 + j - depth) & mask];

				if (f > free_t[j])
					free_t[j] = f;
			}
		}
	}

	/*
	 * Element j completes at the latest of t_{j-1} + 1, its wavelets'
	 * arrivals, its slot's freeing and the earliest departure. The
	 * usual shapes (one fabric source into memory, memory onto the
	 * fabric, one source onto the fabric) have loops of their own.
	 */
	t = *clock;
	if (nfab == 1 && !rt) {
		const uint64_t *a0 = arr[fab[0]];

		for (uint32_t j = 0; j < k; j++) {
			t = u64_max(t + 1, a0[j]);
			et[j] = t;
		}
	} else if (nfab <= 1 && rt) {
		/*
		 * The earliest departure bounds only the first element: t
		 * raised to just below it gives that element the same
		 * maximum, and every later t + 1 is past it.
		 */
		if (k && rt->min_dep > t + 1)
			t = rt->min_dep - 1;
		if (nfab) {
			const uint64_t *a0 = arr[fab[0]];

			for (uint32_t j = 0; j < k; j++) {
				t = u64_max(u64_max(t + 1, a0[j]), free_t[j]);
				et[j] = t;
			}
		} else {
			for (uint32_t j = 0; j < k; j++) {
				t = u64_max(t + 1, free_t[j]);
				et[j] = t;
			}
		}
	} else {
		for (uint32_t j = 0; j < k; j++) {
			t++;
			for (i = 0; i < nfab; i++)
				if (arr[fab[i]][j] > t)
					t = arr[fab[i]][j];
			if (rt) {
				if (free_t[j] > t)
					t = free_t[j];
				if (rt->min_dep > t)
					t = rt->min_dep;
			}
			et[j] = t;
		}
	}
	*clock = t;
}

/* One chunk of an op with fabric operands; STEP_BLOCK, OK or a fault. */
struct vin {
	struct wafer_fq *q;
	uint8_t color, need;
};

/*
 * What a traced launch records of a fabric chunk of k elements that
 * started at prev, in one place out of line, so that an untraced chunk
 * pays one branch: the wavelets taken (as wafer_fq_pop() would), and if
 * sent (as wafer_route_push() would), the SRAM bytes of its memory
 * operands, and for the main thread's op its waits, element by element,
 * as RECV and SEND count them. Element j could complete at prev + 1; its
 * wavelets arriving later is a receive stall (on the color of the
 * latest), the slot or the route's departure after that a send stall. A
 * microthread's waits are not the main thread's: not counted.
 */
static void __attribute__((noinline, cold))
fab_trace(struct exec_ctx *x, const struct vop *op, const struct vin *in,
	  unsigned int nin, const struct wafer_route *sent,
	  const uint64_t (*arr)[WAFER_FAB_CHUNK], const uint64_t *et,
	  uint32_t k, uint64_t prev)
{
	struct pe *pe = x->pe;
	const bool fdst = !op->red && op->dst.kind == DSD_FAB;

	/*
	 * An event per element, not per chunk: how many elements a chunk
	 * has depends on what the other PEs' workers had done by then.
	 */
	for (uint32_t j = 0; j < k; j++) {
		for (unsigned int i = 0; i < nin; i++)
			wafer_trace_wavelets(pe, WAFER_TEV_RECV, in[i].q->color,
					     in[i].need, et[j]);
		if (sent)
			wafer_trace_wavelets(pe, WAFER_TEV_SEND,
					     sent->n ? sent->d[0].q->color : 0xff,
					     1, et[j]);
	}
	if (sent || !fdst)
		wafer_trace_sram(pe, (uint64_t)k * vop_mem_bytes(op));
	if (x->comp)
		return;
	for (uint32_t j = 0; j < k; j++) {
		uint64_t tr = prev + 1;
		unsigned int color = 0xff;

		for (unsigned int i = 0; i < op->nsrc; i++)
			if (op->src[i].kind == DSD_FAB && arr[i][j] > tr) {
				tr = arr[i][j];
				color = op->src[i].color;
			}
		if (tr > prev + 1)
			wafer_trace_stall(pe, WAFER_TEV_STALL_RECV, color, prev,
					  tr - prev - 1);
		if (fdst && et[j] > tr)
			wafer_trace_stall(pe, WAFER_TEV_STALL_SEND, op->dst.color,
					  tr - 1, et[j] - tr);
		prev = et[j];
	}
}

static enum step fab_chunk(struct exec_ctx *x, struct vop *op, uint64_t *clock)
{
	uint32_t tsrc[3][WAFER_FAB_CHUNK], tout[WAFER_FAB_CHUNK];
	uint64_t arr[3][WAFER_FAB_CHUNK], et[WAFER_FAB_CHUNK];
	uint64_t pt[3 * WAFER_FAB_CHUNK];
	const struct wafer_route *rt = NULL;
	uint32_t k = op->n - op->vi, run = 0, sbuf;
	const bool fdst = !op->red && op->dst.kind == DSD_FAB;
	uint8_t grp[3] = { 0 };
	struct vin in[3];
	unsigned int nin = 0, i;
	struct vargs v;
	uint8_t wait = W_NONE;
	enum step st;
	long stride = 0;
	bool bulk, bulk_out = false;
	uint64_t t, t0, chan_can = 0;
	uint32_t *out = tout;
	/*
	 * From memory onto the fabric may be a send into an edge channel's
	 * sink, which takes the results in place: then a step goes up to a
	 * memory chunk. Any other chunk fits the buffers above.
	 */
	const uint32_t cap = fdst && !wafer_traced(x->pe) && !x->p->chan_per_pop ?
			     WAFER_MEM_CHUNK : WAFER_FAB_CHUNK;

	if (k > cap)
		k = cap;
	if (!op->red && !fdst) {
		mem_at(x, &op->dst, op->vi, op->desz, &stride, &run);
		if (run < k)
			k = run;
	}
	for (i = 0; i < op->nsrc; i++) {
		unsigned int g;

		if (op->src[i].kind != DSD_FAB) {
			mem_at(x, &op->src[i], op->vi, src_esz(op, i), &stride, &run);
			if (run < k)
				k = run;
			continue;
		}
		for (g = 0; g < nin && in[g].q != op->q[i]; g++)
			;
		if (g == nin)
			in[nin++] = (struct vin){ op->q[i], op->src[i].color, 0 };
		in[g].need++;
		grp[i] = (uint8_t)g;
	}
	if (nin && k > WAFER_FAB_CHUNK)
		k = WAFER_FAB_CHUNK;
	/* Control wavelets at the head are taken now, between elements. */
	for (i = 0; i < nin; i++) {
		uint32_t val;
		uint64_t a;

		while (wafer_fq_avail(in[i].q)) {
			wafer_fq_peek(in[i].q, 0, &val, &a);
			if (!(a & FQ_CTL))
				break;
			t = u64_max(*clock, a & FQ_TIME_MASK);
			wafer_ctl_event(x, in[i].color, a, t);
			wafer_fq_pop1(x, in[i].q, t);
			x->progress = true;
		}
	}
	/*
	 * One fabric source, fed by an edge channel, into memory: the
	 * wavelets still in the channel count as available, and they are
	 * taken and refilled in one loop (wafer_chan_take()), with the
	 * times and values the queue-by-queue path gives. Traced PEs keep
	 * that path: their receive events are per pop.
	 */
	bulk = nin == 1 && in[0].need == 1 && !fdst && in[0].q->chan &&
	       !wafer_traced(x->pe) && !x->p->chan_per_pop;
	if (bulk) {
		chan_can = wafer_chan_avail(in[0].q);
		if (!chan_can)
			bulk = false;
		else if (chan_can < k)
			k = (uint32_t)chan_can;
	}
	for (i = 0; i < nin && !bulk; i++) {
		uint32_t can = data_avail(in[i].q, k * in[i].need) / in[i].need;

		if (can < k) {
			k = can;
			if (!k) {
				op->wait_kind = W_RECV;
				op->wait_color = in[i].color;
				return STEP_BLOCK;
			}
		}
	}
	if (fdst) {
		st = wafer_route_get(x, op->dst.color, &rt, &wait);
		if (st == STEP_FAULT)
			return st;
		if (st == STEP_BLOCK) {
			op->wait_kind = wait;
			op->wait_color = op->dst.color;
			return st;
		}
		/*
		 * From memory into an edge channel's sink, the only
		 * destination (a queue a route reaches with a channel is a
		 * sink: ingress queues have no producer): the sink drains
		 * as it is filled, so the chunk is not bounded by its depth
		 * (wafer_chan_send()).
		 */
		bulk_out = !nin && rt->n == 1 && rt->d[0].q->chan &&
			   !wafer_traced(x->pe) && !x->p->chan_per_pop;
		if (bulk_out)
			out = wafer_chan_sink_room(rt->d[0].q, k);
		if (!out) {
			/* The sink drops some, or memory ran out: as before. */
			out = tout;
		}
		if (out == tout && k > WAFER_FAB_CHUNK)
			k = WAFER_FAB_CHUNK;
		run = bulk_out ? k : wafer_route_space(rt);
		if (run < k)
			k = run;
		if (!k) {
			op->wait_kind = W_SEND;
			op->wait_color = op->dst.color;
			return STEP_BLOCK;
		}
	}
	op->wait_kind = W_NONE;

	t0 = *clock;
	if (bulk && op->op == ISA_OP_VMOV) {
		/*
		 * A move (of bits, whatever the type) into contiguous
		 * memory: the wavelets go straight there.
		 */
		uint8_t *d = mem_at(x, &op->dst, op->vi, op->desz, &stride, &run);

		if (stride == op->desz) {
			/*
			 * No chunk buffer in between: a step takes up to a
			 * memory chunk (the times are those of any split).
			 */
			uint64_t kk = op->n - op->vi;

			kk = kk < run ? kk : run;
			kk = kk < chan_can ? kk : chan_can;
			kk = kk < WAFER_MEM_CHUNK ? kk : WAFER_MEM_CHUNK;
			k = wafer_chan_take(in[0].q, (uint32_t)u64_max(k, kk), clock, d,
					    op->desz);
			goto taken;
		}
	}
	if (bulk) {
		for (i = 0; op->src[i].kind != DSD_FAB; i++)
			;
		k = wafer_chan_take(in[0].q, k, clock, tsrc[i], src_esz(op, i));
	} else if (!bulk_out) {
		fab_times(op, grp, rt, k, clock, tsrc, arr, et);
	}

	vargs_init(&v, op, &sbuf);
	if (!op->red) {
		if (fdst)
			vargs_set(&v, 0, (uint8_t *)out, op->desz);
		else
			vargs_set(&v, 0, mem_at(x, &op->dst, op->vi, op->desz,
						&stride, &run), stride);
	}
	for (i = 0; i < op->nsrc; i++) {
		int which = (int)i + 1 + (op->sb && i > 0);

		if (op->src[i].kind == DSD_FAB)
			vargs_set(&v, which, (uint8_t *)tsrc[i], src_esz(op, i));
		else
			vargs_set(&v, which, mem_at(x, &op->src[i], op->vi,
						    src_esz(op, i), &stride, &run),
				  stride);
	}
	v.n = k;
	wafer_kern_run(&v);
	op->acc = v.acc;

	for (i = 0; i < nin && !bulk; i++) {
		const uint64_t *times = et;

		if (in[i].need > 1) {
			for (uint32_t j = 0; j < k; j++)
				for (unsigned int m = 0; m < in[i].need; m++)
					pt[j * in[i].need + m] = et[j];
			times = pt;
		}
		wafer_fq_consume(x, in[i].q, times, k * in[i].need);
	}
	if (fdst) {
		if (op->desz == 2) {
			/*
			 * Widen in place from the top: 16-bit results in the
			 * low half of each wavelet.
			 */
			for (uint32_t j = k; j-- > 0;)
				out[j] = ((uint16_t *)out)[j];
		}
		if (bulk_out)
			st = wafer_chan_send(x, rt, out == tout ? tout : NULL, k,
					     clock, op->pc);
		else
			st = wafer_route_deliver(x, rt, tout, et, k, 0, op->pc);
		if (st != STEP_OK) {
			if (wafer_traced(x->pe))
				fab_trace(x, op, in, nin, NULL, arr, et, k, t0);
			return st;
		}
	}
	if (wafer_traced(x->pe))
		fab_trace(x, op, in, nin, rt, arr, et, k, t0);
taken:
	op->vi += k;
	x->work += k;
	x->progress = true;
	return STEP_OK;
}

/*
 * Progress op from *clock until it is done (STEP_OK), must wait, or the
 * quantum is used up. Faults are the caller's component's (x->comp).
 */
enum step wafer_vop_run(struct exec_ctx *x, struct vop *op, uint64_t *clock)
{
	bool fabric = !op->red && op->dst.kind == DSD_FAB;
	enum step st;

	for (unsigned int i = 0; i < op->nsrc; i++)
		fabric |= op->src[i].kind == DSD_FAB;
	while (op->vi < op->n) {
		if (fabric) {
			st = fab_chunk(x, op, clock);
			if (st != STEP_OK)
				return st;
		} else {
			mem_chunk(x, op, clock);
			x->progress = true;
		}
		if (op->vi < op->n && x->work >= WAFER_QUANTUM)
			return STEP_YIELD;
	}
	return STEP_OK;
}

/* Operand dd of an n-element op in the fast path: 1-D memory, in SRAM. */
static inline const uint8_t *fast_opnd(const struct exec_ctx *x,
				       const struct pe_dsd *dd, unsigned int want,
				       uint32_t n, long *stride)
{
	const unsigned int esz = isa_elem_size(want);
	int64_t span, lo, hi;

	if (dd->kind != DSD_MEM || dd->ndim > 1 || dd->type != want ||
	    (dd->base & (esz - 1)))
		return NULL;
	if (wf_likely(dd->stride[0] == 1)) {
		/* The usual contiguous operand: [base, base + n * esz). */
		if ((uint64_t)dd->base + (uint64_t)n * esz > x->p->sram_bytes)
			return NULL;
		*stride = (long)esz;
		return x->pe->sram + dd->base;
	}
	span = (int64_t)(n - 1) * dd->stride[0] * (int64_t)esz;
	lo = (int64_t)dd->base + (span < 0 ? span : 0);
	hi = (int64_t)dd->base + (span > 0 ? span : 0) + esz;
	if (lo < 0 || hi > (int64_t)x->p->sram_bytes)
		return NULL;
	*stride = (long)dd->stride[0] * (long)esz;
	return x->pe->sram + dd->base;
}

/*
 * The common case in one pass: a sync op on 1-D memory operands, no async
 * op in flight, at most one chunk long. It does what capture and
 * wafer_vop_run() would, with the same results and cycles; anything else,
 * a fault included, goes the general way (false).
 */
static bool vec_fast(struct exec_ctx *x, const struct dinsn *d)
{
	struct pe *pe = x->pe;
	const struct pe_vec *pv = pe->v;
	const unsigned int op = d->op;
	const bool red = isa_op_is_reduction(op), sb = d->flags & ISA_F_SCALAR;
	const bool use_imm = d->flags & ISA_F_IMM;
	const uint32_t imm = (uint32_t)(d->raw >> 32);
	const uint8_t src_reg[3] = { d->ra, d->rb, d->rc };
	unsigned int nsrc, stype;
	const struct pe_dsd *nd;
	uint32_t n, sbuf, s;
	uint64_t charge;
	struct vargs v;
	long stride;

	if (!pv || (pe->fl && pe->fl->live_mask) || op == ISA_OP_VCVT)
		return false;
	nd = red ? &pv->d[d->ra] : &pv->d[d->rd];
	if (nd->kind != DSD_MEM || nd->ndim > 1)
		return false;
	n = nd->len[0];
	if (!n || n > WAFER_MEM_CHUNK)
		return false;
	charge = n >> WAFER_BUDGET_ELEMS_SHIFT;
	if (charge > x->run->budget - pe->bused)
		return false;
	stype = d->type;
	nsrc = wafer_vop_nsrc(op, sb);
	switch (op) {
	case ISA_OP_VFMACS:
		s = use_imm ? imm : pe->r[d->rc];
		break;
	case ISA_OP_VADDS:
	case ISA_OP_VMULS:
		s = use_imm ? imm : pe->r[d->rb];
		break;
	case ISA_OP_VFILL:
		s = use_imm ? imm : pe->r[d->ra];
		break;
	default:
		s = sb ? (use_imm ? imm : pe->r[d->rb]) : 0;
	}
	memset(&v, 0, sizeof(v));
	v.op = op;
	v.type = d->type;
	v.stype = stype;
	v.s = s;
	if (red)
		v.acc = wafer_red_init(op, d->type);
	v.scalar_b = sb;
	v.n = n;
	if (sb) {
		if (isa_elem_size(stype) == 2) {
			uint16_t h = (uint16_t)s;

			memcpy(&sbuf, &h, 2);
		} else {
			memcpy(&sbuf, &s, 4);
		}
		v.b = (const uint8_t *)&sbuf;
	}
	if (!red) {
		unsigned int dt = isa_op_is_compare(op) ? int_of(d->type) : d->type;

		v.d = (uint8_t *)fast_opnd(x, &pv->d[d->rd], dt, n, &stride);
		if (!v.d)
			return false;
		v.ds = stride;
	}
	/* Source 0 is a; source 1 is b, or c after a scalar b; source 2 c. */
	if (nsrc >= 1) {
		v.a = fast_opnd(x, &pv->d[d->ra], stype, n, &v.as);
		if (!v.a)
			return false;
	}
	if (nsrc >= 2) {
		const uint8_t *p = fast_opnd(x, &pv->d[d->rb], stype, n, &stride);

		if (!p)
			return false;
		if (sb) {
			v.c = p;
			v.cs = stride;
		} else {
			v.b = p;
			v.bs = stride;
		}
	}
	if (nsrc >= 3) {
		unsigned int want = op == ISA_OP_VSEL ? int_of(d->type) : stype;

		v.c = fast_opnd(x, &pv->d[d->rc], want, n, &v.cs);
		if (!v.c)
			return false;
	}
	wafer_kern_run(&v);
	if (wafer_traced(pe)) {
		/* Every operand is memory here, of its DSD's type. */
		unsigned int eb = red ? 0 : isa_elem_size(pv->d[d->rd].type);

		for (unsigned int i = 0; i < nsrc; i++)
			eb += isa_elem_size(pv->d[src_reg[i]].type);
		wafer_trace_sram(pe, (uint64_t)n * eb);
	}
	pe->bused += charge;
	pe->clock += COST_VEC_ISSUE + n;
	x->work += n;
	x->progress = true;
	if (red) {
		uint32_t res = v.acc;

		if (d->type == ISA_T_I16)
			res = (uint32_t)(int32_t)(int16_t)res;
		pe->r[d->rd] = res;
		pe->r[0] = 0;
	}
	return true;
}

/*
 * A vector instruction of the main thread that the contiguous path
 * (wafer_vunit_prep(), inline in the interpreter's op_vector) did not
 * take: async after a prefix, a restart, or sync.
 */
enum step wafer_vec_exec(struct exec_ctx *x, const struct dinsn *d)
{
	struct pe *pe = x->pe;
	struct vop *op;
	enum step st;

	if (pe->prefix)
		return wafer_async_issue(x, d);
	if (!pe->inprog && vec_fast(x, d))
		return STEP_OK;
	if (!wafer_pe_vec(pe))
		return wafer_pe_fault(x, WAFER_ERR_NOMEM,
				      "out of memory for the DSD registers");
	op = &pe->v->sync;
	if (!pe->inprog) {
		uint64_t charge;

		st = wafer_vop_capture(x, d, op);
		if (st != STEP_OK)
			return st;
		charge = op->n >> WAFER_BUDGET_ELEMS_SHIFT;
		/* Counted as one instruction already; now its length. */
		if (wf_unlikely(charge > x->run->budget - pe->bused)) {
			pe->icount--;
			pe->bused--;
			return wafer_budget_fault(x);
		}
		pe->bused += charge;
		pe->inprog = true;
		pe->clock += COST_VEC_ISSUE;
		pe->wait_ut = 0;
		if (pe->fl && pe->fl->live_mask) {
			struct fp_set fp;

			wafer_vop_footprint(op, &fp);
			/* Async ops it overlaps with complete first. */
			pe->wait_ut = wafer_deps_of(pe, &fp);
		}
	}
	if (pe->wait_ut) {
		if (pe->wait_ut & pe->fl->busy_mask) {
			pe->wait_kind = W_UT;
			return STEP_BLOCK;
		}
		pe->clock = u64_max(pe->clock, wafer_ut_done_time(pe, pe->wait_ut));
		pe->wait_ut = 0;
	}
	st = wafer_vop_run(x, op, &pe->clock);
	if (st == STEP_BLOCK) {
		pe->wait_kind = op->wait_kind;
		pe->wait_color = op->wait_color;
	}
	if (st != STEP_OK)
		return st;
	if (op->red) {
		uint32_t res = op->acc;

		if (d->type == ISA_T_I16)
			res = (uint32_t)(int32_t)(int16_t)res;
		pe->r[d->rd] = res;
		pe->r[0] = 0;
	}
	pe->inprog = false;
	return STEP_OK;
}
