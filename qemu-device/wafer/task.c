// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * task.c - task tables, their events, and the choice of the next task.
 *
 * A PE's main thread runs one task at a time, to completion. Between
 * tasks it is idle at its clock T and picks the next one: the earliest
 * modeled time T1 >= T at which something can happen (a local task is
 * activated and unblocked, a wavelet waits for an unblocked data task, a
 * control wavelet waits, an async op's completion changes the task bits,
 * the timer fires),
 * then at T1 the runnable task of highest priority (lowest id among
 * equals).
 *
 * That choice depends on the absence of events before T1, so it is made
 * only when every event up to T1 is known (conservative PDES):
 *
 *   - no watched queue can still get a wavelet arriving at or before T1:
 *     its horizon (the least departure-plus-hops its producers may still
 *     send, horizon.c) is above T1;
 *   - no async op in flight can complete at or before T1 unseen: it has
 *     completed, or its lower bound (its clock plus the elements left,
 *     or the horizon of the queue it waits on) is above T1;
 *   - or T1 is at most the run's GVT (sched.c), below which everything
 *     is known.
 *
 * Otherwise the PE parks, telling the queues that matter which horizon
 * would settle it (wafer_fq.need); a producer whose published horizon
 * crosses that value wakes it. The same rule orders BLOCK against the
 * completions that unblock the same task. Everything else the main thread
 * does needs no such wait: it only ever waits for data.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static uint32_t task_entry(const struct pe *pe, unsigned int t)
{
	if (pe->fl && pe->fl->entry && pe->fl->entry[t] != WAFER_NO_ENTRY)
		return pe->fl->entry[t];
	return pe->gt ? pe->gt->t[t].entry : WAFER_NO_ENTRY;
}

static uint64_t activatable(const struct pe *pe)
{
	return (pe->gt ? pe->gt->local_mask : 0) | pe->fl->tentry_mask;
}

void wafer_tasks_reset(struct pe *pe, const struct group_tasks *gt)
{
	struct pe_flow *fl = pe->fl;
	struct pe_event *ev = fl->ev;
	uint32_t evcap = fl->evcap, *entry = fl->entry;

	memset(fl, 0, sizeof(*fl));
	fl->ev = ev;
	fl->evcap = evcap;
	fl->entry = entry;
	if (entry)
		for (unsigned int t = 0; t < WAFER_TASKS; t++)
			entry[t] = WAFER_NO_ENTRY;
	if (gt) {
		fl->active = gt->init_active;
		fl->blocked = gt->init_blocked;
	}
}

bool wafer_task_set_entry(struct exec_ctx *x, unsigned int t, uint32_t pc)
{
	struct pe_flow *fl = wafer_pe_flow(x);

	if (!fl)
		return false;
	if (!fl->entry) {
		fl->entry = malloc(WAFER_TASKS * sizeof(*fl->entry));
		if (!fl->entry) {
			wafer_pe_fault(x, WAFER_ERR_NOMEM,
				       "out of memory for the task table");
			return false;
		}
		for (unsigned int i = 0; i < WAFER_TASKS; i++)
			fl->entry[i] = WAFER_NO_ENTRY;
	}
	fl->entry[t] = pc;
	if (!x->pe->gt || !x->pe->gt->t[t].kind)
		fl->tentry_mask |= 1ull << t;
	return true;
}

void wafer_event_add(struct exec_ctx *x, uint64_t t, unsigned int kind,
		     unsigned int task)
{
	struct pe_flow *fl = x->pe->fl;

	if (fl->nev == fl->evcap) {
		uint32_t cap = fl->evcap ? 2 * fl->evcap : 16;
		struct pe_event *n = realloc(fl->ev, cap * sizeof(*n));

		if (!n)
			return;	/* lost: treated like a task without entry */
		fl->ev = n;
		fl->evcap = cap;
	}
	fl->ev[fl->nev++] = (struct pe_event){ t, (uint8_t)kind, (uint8_t)task };
}

/* A control wavelet taken by an op or RECV: its task runs later. */
void wafer_ctl_event(struct exec_ctx *x, unsigned int color, uint64_t arr,
		     uint64_t t)
{
	const struct group_tasks *gt = x->pe->gt;
	unsigned int cmd = (arr >> FQ_CMD_SHIFT) & 3;
	int task;

	if (!gt)
		return;
	if (cmd == ISA_CTL_TEARDOWN)
		task = gt->teardown ? TASK_TEARDOWN : -1;
	else
		task = gt->ctl_task[color];
	if (task >= 0)
		wafer_event_add(x, t, EV_ACTIVATE, (unsigned int)task);
}

/* Apply the events up to t (they only set bits: their order is free). */
static void events_apply(struct pe_flow *fl, uint64_t t, int only_task)
{
	for (uint32_t i = 0; i < fl->nev;) {
		struct pe_event *e = &fl->ev[i];

		if (e->t > t || (only_task >= 0 && e->task != only_task)) {
			i++;
			continue;
		}
		if (e->kind == EV_ACTIVATE)
			fl->active |= 1ull << e->task;
		else
			fl->blocked &= ~(1ull << e->task);
		*e = fl->ev[--fl->nev];
	}
}

/*
 * Colors with an input queue at the PE: fixed by the program's routes, so
 * found once; the loops of a task choice then visit only those colors.
 */
static uint32_t rx_colors(const struct exec_ctx *x)
{
	struct pe_flow *fl = x->pe->fl;

	if (!fl->rxmask_set) {
		fl->rxmask = 0;
		for (unsigned int c = 0; c < WAFER_COLORS; c++) {
			fl->rxq[c] = wafer_rxq(x->p, x->pe, c);
			if (fl->rxq[c])
				fl->rxmask |= 1u << c;
		}
		fl->rxmask_set = true;
	}
	return fl->rxmask;
}

/* The PE's input queue of color c, which rx_colors() has (or NULL). */
static inline struct wafer_fq *rxq_of(const struct exec_ctx *x, unsigned int c)
{
	return x->pe->fl->rxq[c];
}

/* The next color of mask *@m, taken out of it. */
static inline unsigned int next_color(uint32_t *m)
{
	unsigned int c = (unsigned int)__builtin_ctz(*m);

	*m &= *m - 1;
	return c;
}

/* Colors whose arrivals may start a task. */
static uint32_t watched(const struct exec_ctx *x)
{
	const struct group_tasks *gt = x->pe->gt;
	uint32_t m;

	if (!gt)
		return 0;
	m = gt->teardown ? (1u << WAFER_COLORS) - 1 : gt->bound_colors;
	return m & rx_colors(x);
}

/* Not waiting on horizons any more: clear what this PE asked for. */
static void needs_clear(struct exec_ctx *x)
{
	if (!x->pe->decide_wait)
		return;
	for (uint32_t m = rx_colors(x); m;) {
		struct wafer_fq *q = rxq_of(x, next_color(&m));

		/* Only this PE stores its needs while it runs. */
		if (atomic_load_explicit(&q->need, memory_order_relaxed) != T_INF)
			atomic_store(&q->need, T_INF);
	}
	wafer_decide_wait(x, false);
}

/*
 * Could the wavelet at q's head start a task before time t, the choice
 * wafer_task_select() made from the PE's clock? The choice took the
 * earliest start of every head it saw, so only a wavelet pushed after it
 * looked can start earlier. One that starts at t itself needs no second
 * choice: the task is picked at t from the heads as they are then.
 * (Testing "by t" would fail for the very head that was chosen, and
 * leave every choice waiting for the GVT.)
 */
static bool head_starts_before(struct exec_ctx *x, struct wafer_fq *q,
			       unsigned int c, uint64_t t)
{
	const struct group_tasks *gt = x->pe->gt;
	const struct pe_flow *fl = x->pe->fl;
	uint32_t val;
	uint64_t arr;

	if (!wafer_fq_avail(q))
		return false;
	wafer_fq_peek(q, 0, &val, &arr);
	if (!(arr & FQ_CTL) && (gt->data_task[c] < 0 ||
				(fl->blocked & (1ull << gt->data_task[c]))))
		return false;
	return u64_max(x->pe->clock,
		       u64_max(arr & FQ_TIME_MASK, fl->held_until[c])) < t;
}

static bool settled_now(struct exec_ctx *x, uint64_t t, uint32_t watch,
			uint8_t ops, uint64_t *want)
{
	struct pe_flow *fl = x->pe->fl;
	bool ok = true;

	for (uint32_t m = watch; m;) {
		unsigned int c = next_color(&m);
		struct wafer_fq *q;

		if (fl->held_until[c] == T_INF)
			continue;
		q = rxq_of(x, c);
		if (wafer_fq_horizon(x->p, q) <= t) {
			ok = false;
			if (want)
				want[c] = u64_min(want[c], t);
		} else if (head_starts_before(x, q, c, t)) {
			/*
			 * Pushed after the choice looked at the queue and
			 * before the horizon read above passed it: choose
			 * again (the push kicked this PE).
			 */
			ok = false;
		}
	}
	for (unsigned int u = 0; u < WAFER_UTHREADS; u++) {
		struct wafer_fq *q;
		uint64_t need;

		if (!(ops & (1u << u)) || !(fl->busy_mask & (1u << u)))
			continue;
		if (wafer_ut_after(x, &fl->ut[u], t, &q, &need))
			continue;
		ok = false;
		if (want && q)
			want[q->color] = u64_min(want[q->color], need);
	}
	return ok;
}

/*
 * Is every event at or before t that could come from these sources
 * known? watch: arrivals on watched queues; ops: the async ops whose
 * completions matter. When not, leaves on each queue that could settle
 * it the horizon it must pass. A threshold is stored before the horizons
 * are read again, and producers publish before they read thresholds, so
 * no crossing goes unseen.
 */
static bool settled(struct exec_ctx *x, uint64_t t, uint32_t watch,
		    uint8_t ops)
{
	uint64_t want[WAFER_COLORS];

	if (t <= atomic_load(&x->run->gvt))
		return true;
	for (unsigned int c = 0; c < WAFER_COLORS; c++)
		want[c] = T_INF;
	if (settled_now(x, t, watch, ops, want))
		return true;
	wafer_decide_wait(x, true);
	for (uint32_t m = rx_colors(x); m;) {
		unsigned int c = next_color(&m);

		atomic_store(&rxq_of(x, c)->need, want[c]);
	}
	return settled_now(x, t, watch, ops, NULL) ||
	       t <= atomic_load(&x->run->gvt);
}

/* Start task t at time t1 (it was chosen there). */
static void task_start(struct exec_ctx *x, unsigned int t, uint64_t t1,
		       struct wafer_fq *q, unsigned int color)
{
	struct pe *pe = x->pe;

	pe->clock = t1 + COST_TASK_START;
	pe->pc = task_entry(pe, t);
	pe->main = MAIN_RUN;
	pe->cur_task = (uint8_t)t;
	pe->inprog = 0;
	pe->prefix = 0;
	if (wafer_traced(pe))
		wafer_trace_task_start(pe, t, pe->clock);
	if (q) {
		uint32_t val;
		uint64_t arr;

		/* A data or control task takes its wavelet as it starts. */
		wafer_fq_peek(q, 0, &val, &arr);
		wafer_fq_pop1(x, q, pe->clock);
		if (!(arr & FQ_CTL)) {
			pe->r[1] = val;
			pe->r[2] = val & 0xffff;
			pe->r[3] = val >> 16;
		} else if (t == TASK_TEARDOWN) {
			pe->r[1] = color;
			pe->r[2] = val;
		} else {
			pe->r[1] = val;
			pe->r[2] = (uint32_t)((arr >> FQ_CMD_SHIFT) & 3);
		}
	} else {
		pe->fl->active &= ~(1ull << t);
	}
	x->progress = true;
}

/* The task a control wavelet at a queue head runs, or -1. */
static int ctl_handler(const struct group_tasks *gt, unsigned int color,
		       uint64_t arr)
{
	if (((arr >> FQ_CMD_SHIFT) & 3) == ISA_CTL_TEARDOWN)
		return gt->teardown ? TASK_TEARDOWN : -1;
	return gt->ctl_task[color];
}

static bool better(const struct exec_ctx *x, int t, int best)
{
	const struct group_tasks *gt = x->pe->gt;
	unsigned int pt = gt ? gt->t[t].prio : 0, pb;

	if (best < 0)
		return true;
	pb = gt ? gt->t[best].prio : 0;
	return pt > pb || (pt == pb && t < best);
}

/*
 * The earliest possible start of a task, for the PE's horizon: known
 * candidates, arrivals on watched queues, completions in flight.
 */
static uint64_t idle_bound(struct exec_ctx *x, uint64_t t1, uint32_t watch)
{
	struct pe *pe = x->pe;
	struct pe_flow *fl = pe->fl;
	uint64_t lb = t1;

	for (unsigned int c = 0; watch; c++, watch >>= 1)
		if ((watch & 1) && fl->held_until[c] != T_INF)
			lb = u64_min(lb, wafer_fq_horizon(x->p,
							  rxq_of(x, c)));
	for (unsigned int u = 0; u < WAFER_UTHREADS; u++)
		if (fl->busy_mask & (1u << u))
			lb = u64_min(lb, fl->ut[u].clock + fl->ut[u].op.n -
					 fl->ut[u].op.vi);
	return u64_max(lb, pe->clock);
}

enum step wafer_task_select(struct exec_ctx *x)
{
	struct pe *pe = x->pe;
	const struct group_tasks *gt = pe->gt;
	struct pe_flow *fl = pe->fl;
	uint32_t watch;

	if (!fl) {
		/* No tasks: nothing will ever run again. */
		pe->idle_lb = T_INF;
		pe->wait_kind = W_NONE;
		return STEP_BLOCK;
	}
	if (wafer_horizons_ensure(x->p))
		return wafer_pe_fault(x, WAFER_ERR_NOMEM,
				      "out of memory for the queues' producer tables");
	watch = watched(x);
	for (;;) {
		const uint64_t t = pe->clock;
		uint64_t t1 = T_INF, ready;
		struct wafer_fq *bq = NULL;
		unsigned int bcolor = 0;
		int best = -1;

		for (uint32_t i = 0; i < fl->nev; i++)
			t1 = u64_min(t1, u64_max(t, fl->ev[i].t));
		if (fl->timer_at)
			t1 = u64_min(t1, u64_max(t, fl->timer_at));
		if (fl->active & ~fl->blocked & activatable(pe))
			t1 = t;
		for (uint32_t m = watch; m;) {
			unsigned int c = next_color(&m);
			struct wafer_fq *q;
			uint32_t val;
			uint64_t arr;

			if (fl->held_until[c] == T_INF)
				continue;
			q = rxq_of(x, c);
			if (!wafer_fq_avail(q))
				continue;
			wafer_fq_peek(q, 0, &val, &arr);
			if (!(arr & FQ_CTL) && (gt->data_task[c] < 0 ||
						(fl->blocked & (1ull << gt->data_task[c]))))
				continue;
			ready = u64_max(u64_max(t, arr & FQ_TIME_MASK),
					fl->held_until[c]);
			t1 = u64_min(t1, ready);
		}
		if (t1 == T_INF) {
			/* Nothing known: wait for data or a completion. */
			needs_clear(x);
			pe->idle_lb = idle_bound(x, T_INF, watch);
			pe->wait_kind = W_NONE;
			return STEP_BLOCK;
		}
		if (!settled(x, t1, watch, fl->busy_mask)) {
			pe->idle_lb = idle_bound(x, t1, watch);
			pe->next_event = t1;
			pe->wait_kind = W_DECIDE;
			return STEP_BLOCK;
		}
		needs_clear(x);
		pe->clock = t1;
		events_apply(fl, t1, -1);
		wafer_timer_fire(pe, t1);

		/* Control wavelets nobody handles are taken now. */
		for (uint32_t m = watch; m;) {
			unsigned int c = next_color(&m);
			struct wafer_fq *q;
			uint32_t val;
			uint64_t arr;

			if (fl->held_until[c] > t1)
				continue;
			q = rxq_of(x, c);
			while (wafer_fq_avail(q)) {
				wafer_fq_peek(q, 0, &val, &arr);
				if (!(arr & FQ_CTL) ||
				    (arr & FQ_TIME_MASK) > t1 ||
				    ctl_handler(gt, c, arr) >= 0)
					break;
				wafer_fq_pop1(x, q, t1);
				x->progress = true;
			}
		}

		for (uint64_t m = fl->active & ~fl->blocked & activatable(pe);
		     m; m &= m - 1) {
			int tk = __builtin_ctzll(m);

			if (task_entry(pe, tk) != WAFER_NO_ENTRY &&
			    better(x, tk, best))
				best = tk;
		}
		for (uint32_t m = watch; m;) {
			unsigned int c = next_color(&m);
			struct wafer_fq *q;
			uint32_t val;
			uint64_t arr;
			int tk;

			if (fl->held_until[c] > t1)
				continue;
			q = rxq_of(x, c);
			if (!wafer_fq_avail(q))
				continue;
			wafer_fq_peek(q, 0, &val, &arr);
			if ((arr & FQ_TIME_MASK) > t1)
				continue;
			tk = arr & FQ_CTL ? ctl_handler(gt, c, arr) :
			     gt->data_task[c];
			if (tk < 0 || (fl->blocked & (1ull << tk)) ||
			    task_entry(pe, tk) == WAFER_NO_ENTRY)
				continue;
			if (better(x, tk, best)) {
				best = tk;
				bq = q;
				bcolor = c;
			}
		}
		if (best < 0)
			continue;
		task_start(x, (unsigned int)best, t1, bq, bcolor);
		return STEP_OK;
	}
}

/*
 * BLOCK t at the main thread's clock: completions that unblock t must be
 * ordered against it, so wait until each op that will unblock t is
 * known to complete after now, or has completed.
 */
enum step wafer_task_block(struct exec_ctx *x, unsigned int t)
{
	struct pe *pe = x->pe;
	struct pe_flow *fl = wafer_pe_flow(x);
	uint8_t ops = 0;

	if (!fl)
		return STEP_FAULT;
	for (unsigned int u = 0; u < WAFER_UTHREADS; u++)
		if ((fl->busy_mask & (1u << u)) && fl->ut[u].task == t &&
		    fl->ut[u].action == ISA_ASYNC_UNBLOCK)
			ops |= (uint8_t)(1u << u);
	if (ops && wafer_horizons_ensure(x->p))
		return wafer_pe_fault(x, WAFER_ERR_NOMEM,
				      "out of memory for the queues' producer tables");
	if (ops && !settled(x, pe->clock, 0, ops)) {
		pe->inprog = true;
		pe->next_event = pe->clock;
		pe->wait_kind = W_DECIDE;
		return STEP_BLOCK;
	}
	needs_clear(x);
	events_apply(fl, pe->clock, (int)t);
	wafer_timer_fire(pe, pe->clock);
	fl->blocked |= 1ull << t;
	pe->clock += COST_SIMPLE;
	pe->inprog = false;
	return STEP_OK;
}
