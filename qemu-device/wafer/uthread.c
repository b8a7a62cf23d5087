// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * uthread.c - async DSD operations on a PE's eight microthreads.
 *
 * An ASYNC prefix makes the next vector op run on microthread u instead
 * of the main thread: the main thread pays the issue and goes on; the op
 * progresses by data (its element times follow the rules of vector.c)
 * and, when it completes at modeled time tc, activates or unblocks a task
 * at tc (task.c applies that event in time order).
 *
 * Ordering, all decided by modeled time and data, never by host timing:
 *
 *   - one op per microthread: issuing to a busy one stalls the main
 *     thread until it frees (its last op's completion time);
 *   - an op owns its footprint from issue to completion: the SRAM byte
 *     range it writes and the one it reads (bounds of its memory
 *     operands), the queues it receives from, the color it sends on.
 *     A later op that conflicts (write/write, write/read, same queue,
 *     same output color) starts only after the earlier one completed; a
 *     load, store, send, receive or sync vector op of the main thread
 *     that conflicts waits for that completion. Ops without conflicts
 *     run side by side.
 *
 * "In flight" is meant in modeled time: an op that has completed at tc
 * still owns its footprint for a main thread whose clock is below tc, so
 * live_mask keeps it until the main thread's clock passes tc.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define UT_DEAD		2	/* in ut.busy: the op faulted */

struct pe_flow *wafer_pe_flow(struct exec_ctx *x)
{
	struct pe *pe = x->pe;

	if (!pe->fl) {
		pe->fl = calloc(1, sizeof(*pe->fl));
		if (!pe->fl) {
			wafer_pe_fault(x, WAFER_ERR_NOMEM,
				       "out of memory for the task and microthread state");
			return NULL;
		}
	}
	return pe->fl;
}

/* Could two footprints share a byte? Exact for rows of one stride. */
static bool overlaps(const struct fp_range *a, const struct fp_range *b)
{
	uint32_t R, la, lb, oa, ob;

	if (a->lo >= a->hi || b->lo >= b->hi || a->lo >= b->hi ||
	    b->lo >= a->hi)
		return false;
	if (!a->rstride && !b->rstride)
		return true;
	if (a->rstride && b->rstride && a->rstride != b->rstride)
		return true;
	R = a->rstride ? a->rstride : b->rstride;
	la = a->rstride ? a->rlen : a->hi - a->lo;
	lb = b->rstride ? b->rlen : b->hi - b->lo;
	if (la >= R || lb >= R)
		return true;
	oa = a->lo % R;
	ob = b->lo % R;
	/* the rows' byte ranges, on a circle of R bytes */
	return (ob + R - oa) % R < la || (oa + R - ob) % R < lb;
}

static void range_join(struct fp_range *into, const struct fp_range *r)
{
	if (r->lo >= r->hi)
		return;
	if (into->lo >= into->hi) {
		*into = (struct fp_range){ r->lo, r->hi, 0, 0 };
		return;
	}
	if (r->lo < into->lo)
		into->lo = r->lo;
	if (r->hi > into->hi)
		into->hi = r->hi;
}

static void hazards_update(struct pe_flow *fl)
{
	fl->hz_w = fl->hz_rw = (struct fp_range){ 0, 0, 0, 0 };
	for (unsigned int u = 0; u < WAFER_UTHREADS; u++) {
		const struct fp_set *fp = &fl->ut[u].fp;

		if (!(fl->live_mask & (1u << u)))
			continue;
		range_join(&fl->hz_w, &fp->w);
		range_join(&fl->hz_rw, &fp->w);
		for (int i = 0; i < 3; i++)
			range_join(&fl->hz_rw, &fp->r[i]);
	}
}

/* Forget completed ops the main thread's clock has passed. */
static void live_prune(struct pe *pe)
{
	struct pe_flow *fl = pe->fl;
	uint8_t m = fl->live_mask & ~fl->busy_mask, old = fl->live_mask;

	for (unsigned int u = 0; m; u++, m >>= 1)
		if ((m & 1) && fl->ut[u].clock <= pe->clock)
			fl->live_mask &= ~(1u << u);
	if (fl->live_mask != old)
		hazards_update(fl);
}

static bool fp_conflict(const struct fp_set *a, const struct fp_set *b)
{
	if ((a->in_mask & b->in_mask) ||
	    (a->out_color != 0xff && a->out_color == b->out_color))
		return true;
	if (overlaps(&a->w, &b->w))
		return true;
	for (int i = 0; i < 3; i++)
		if (overlaps(&a->w, &b->r[i]) || overlaps(&a->r[i], &b->w))
			return true;
	return false;
}

/* Live ops that conflict with an access or op of footprint fp. */
uint8_t wafer_deps_of(struct pe *pe, const struct fp_set *fp)
{
	struct pe_flow *fl = pe->fl;
	uint8_t mask = 0;

	if (!fl)
		return 0;
	for (unsigned int u = 0; u < WAFER_UTHREADS; u++)
		if ((fl->live_mask & (1u << u)) && fp_conflict(fp, &fl->ut[u].fp))
			mask |= 1u << u;
	return mask;
}

/* Latest completion time of the (completed) ops of mask. */
uint64_t wafer_ut_done_time(struct pe *pe, uint8_t mask)
{
	uint64_t t = 0;

	for (unsigned int u = 0; mask; u++, mask >>= 1)
		if (mask & 1)
			t = u64_max(t, pe->fl->ut[u].clock);
	return t;
}

/*
 * The main thread must wait for the ops of mask: block while one of them
 * has not completed, else take the clock past their completions.
 */
static enum step main_wait(struct pe *pe, uint8_t mask)
{
	if (mask & pe->fl->busy_mask) {
		pe->inprog = true;
		pe->wait_kind = W_UT;
		pe->wait_ut = mask & pe->fl->busy_mask;
		return STEP_BLOCK;
	}
	pe->clock = u64_max(pe->clock, wafer_ut_done_time(pe, mask));
	return STEP_OK;
}

/* A send or receive of the main thread after the async ops it conflicts with. */
enum step wafer_main_deps(struct exec_ctx *x, uint32_t in_mask,
			  uint8_t out_color)
{
	struct pe *pe = x->pe;
	struct fp_set fp = { .in_mask = in_mask, .out_color = out_color };

	live_prune(pe);
	if (!pe->fl->live_mask)
		return STEP_OK;
	return main_wait(pe, wafer_deps_of(pe, &fp));
}

/* A load or store of the main thread at addr. */
enum step wafer_mem_hazard(struct exec_ctx *x, uint32_t addr,
			   unsigned int size, bool write)
{
	struct pe *pe = x->pe;
	struct pe_flow *fl = pe->fl;
	struct fp_range a = { addr, addr + size, 0, 0 };
	struct fp_set fp = { .out_color = 0xff };
	enum step st;

	live_prune(pe);
	if (!fl->live_mask || !overlaps(&a, write ? &fl->hz_rw : &fl->hz_w)) {
		pe->inprog = false;
		return STEP_OK;
	}
	if (write)
		fp.w = a;
	else
		fp.r[0] = a;
	st = main_wait(pe, wafer_deps_of(pe, &fp));
	if (st == STEP_OK)
		pe->inprog = false;
	return st;
}

enum step wafer_async_issue(struct exec_ctx *x, const struct dinsn *d)
{
	struct pe *pe = x->pe;
	struct pe_flow *fl = wafer_pe_flow(x);
	unsigned int u = pe->pre_ut;
	struct uthread *ut;
	uint64_t charge;
	uint8_t deps;
	enum step st;

	if (!fl)
		return STEP_FAULT;
	ut = &fl->ut[u];
	if (isa_op_is_reduction(d->op)) {
		pe->prefix = 0;
		return wafer_pe_fault(x, WAFER_ERR_ILLEGAL_INSN,
				      "illegal instruction: %s has no async form (its result is a register)",
				      wafer_op_name(d->op));
	}
	if (ut->busy) {
		/* One op per microthread: wait until it frees. */
		pe->inprog = true;
		pe->wait_kind = W_UT;
		pe->wait_ut = (uint8_t)(1u << u);
		return STEP_BLOCK;
	}
	if (fl->live_mask & (1u << u))
		pe->clock = u64_max(pe->clock, ut->clock);
	st = wafer_vop_capture(x, d, &ut->op);
	if (st != STEP_OK) {
		pe->prefix = 0;
		return st;
	}
	charge = ut->op.n >> WAFER_BUDGET_ELEMS_SHIFT;
	if (wf_unlikely(charge > x->run->budget - pe->bused)) {
		pe->prefix = 0;
		pe->icount--;
		pe->bused--;
		return wafer_budget_fault(x);
	}
	pe->bused += charge;
	live_prune(pe);
	wafer_vop_footprint(&ut->op, &ut->fp);
	deps = wafer_deps_of(pe, &ut->fp);
	pe->clock += COST_VEC_ISSUE;
	ut->busy = 1;
	ut->deps = deps & fl->busy_mask;
	ut->started = !ut->deps;
	/* t_{-1}: issued, and after the completed ops it conflicts with. */
	ut->clock = u64_max(pe->clock,
			    wafer_ut_done_time(pe, deps & ~fl->busy_mask));
	ut->action = pe->pre_action;
	ut->task = pe->pre_task;
	fl->busy_mask |= (uint8_t)(1u << u);
	fl->live_mask |= (uint8_t)(1u << u);
	hazards_update(fl);
	for (unsigned int c = 0; c < WAFER_COLORS; c++)
		if (ut->fp.in_mask & (1u << c))
			fl->held_until[c] = T_INF;
	pe->prefix = 0;
	pe->inprog = false;
	pe->wait_ut = 0;
	return STEP_OK;
}

static void ut_complete(struct exec_ctx *x, unsigned int u)
{
	struct pe *pe = x->pe;
	struct pe_flow *fl = pe->fl;
	struct uthread *ut = &fl->ut[u];
	uint64_t tc = ut->clock;

	ut->busy = 0;
	fl->busy_mask &= (uint8_t)~(1u << u);
	for (unsigned int c = 0; c < WAFER_COLORS; c++)
		if (ut->fp.in_mask & (1u << c))
			fl->held_until[c] = tc;
	if (ut->action == ISA_ASYNC_ACTIVATE)
		wafer_event_add(x, tc, EV_ACTIVATE, ut->task);
	else if (ut->action == ISA_ASYNC_UNBLOCK)
		wafer_event_add(x, tc, EV_UNBLOCK, ut->task);
	for (unsigned int v = 0; v < WAFER_UTHREADS; v++) {
		struct uthread *o = &fl->ut[v];

		if (o->busy && !o->started && (o->deps & (1u << u))) {
			o->deps &= (uint8_t)~(1u << u);
			o->clock = u64_max(o->clock, tc);
		}
	}
	pe->end = u64_max(pe->end, tc);
	x->progress = true;
}

/*
 * Progress every busy microthread as far as data allows. Returns true if
 * one moved; *out is STEP_YIELD when the quantum ran out.
 */
bool wafer_uthreads_step(struct exec_ctx *x, enum step *out)
{
	struct pe *pe = x->pe;
	struct pe_flow *fl = pe->fl;
	const uint64_t limit = atomic_load_explicit(&x->run->fault_time,
						    memory_order_relaxed);
	bool moved = false;

	*out = STEP_OK;
	for (unsigned int u = 0; u < WAFER_UTHREADS; u++) {
		struct uthread *ut = &fl->ut[u];
		uint32_t vi = ut->op.vi;
		uint64_t clock = ut->clock;
		enum step st;

		if (!(fl->busy_mask & (1u << u)) || ut->busy == UT_DEAD)
			continue;
		if (!ut->started) {
			if (ut->deps & fl->busy_mask)
				continue;
			ut->started = 1;
		}
		if (ut->clock > limit)
			continue;	/* past the run's earliest fault */
		x->comp = 1 + u;
		x->comp_pc = ut->op.pc;
		x->comp_clock = &ut->clock;
		st = wafer_vop_run(x, &ut->op, &ut->clock);
		x->comp = 0;
		if (ut->op.vi != vi || ut->clock != clock)
			moved = true;
		switch (st) {
		case STEP_OK:
			ut_complete(x, u);
			moved = true;
			break;
		case STEP_YIELD:
			*out = STEP_YIELD;
			return true;
		case STEP_FAULT:
			wafer_run_offer_fault(x->run, x->fault, x->fault_t,
					      (uint64_t)pe->idx << 32 |
					      (uint64_t)x->fault_comp << 24 |
					      x->fault_sub);
			ut->busy = UT_DEAD;
			moved = true;
			break;
		default:
			break;
		}
	}
	return moved;
}

/*
 * Does busy microthread u complete after time t for sure? If not and a
 * queue's horizon would settle it, *q and *need say which queue must
 * pass which time (horizon > need).
 */
bool wafer_ut_after(struct exec_ctx *x, const struct uthread *ut, uint64_t t,
		    struct wafer_fq **q, uint64_t *need)
{
	uint32_t rem = ut->op.n - ut->op.vi;
	uint64_t lb = ut->clock + rem, h;
	struct wafer_fq *qq;

	*q = NULL;
	if (ut->busy == UT_DEAD)
		return true;	/* never completes; the run ends anyway */
	if (lb > t)
		return true;
	if (!ut->started || ut->op.wait_kind != W_RECV || !rem)
		return false;
	qq = wafer_rxq(x->p, x->pe, ut->op.wait_color);
	/*
	 * The horizon bounds wavelets not in the queue yet; the op blocked
	 * on an empty queue, but the producer may have pushed since (in
	 * host time) and then published a horizon past what it pushed. So
	 * read the horizon first, then look at the queue: what is there
	 * was pushed before that horizon and bounds the next element.
	 */
	h = u64_max(ut->clock + 1, wafer_fq_horizon(x->p, qq));
	if (wafer_fq_avail(qq)) {
		uint32_t val;
		uint64_t arr;

		wafer_fq_peek(qq, 0, &val, &arr);
		h = u64_max(ut->clock + 1, arr & FQ_TIME_MASK);
		/* Not settled by waiting: the op can go on when stepped. */
		return h + rem - 1 > t;
	}
	if (h == T_INF || h + rem - 1 > t)
		return true;
	*q = qq;
	*need = t + 1 - rem;
	return false;
}
