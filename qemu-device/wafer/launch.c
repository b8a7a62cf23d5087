// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * launch.c - launches: who takes part, how a run ends, its statistics and
 * reports; cancel and reset.
 *
 * A launch of exported function f starts, on every PE whose group defines
 * f, the entry task f at cycle 0 with the arguments in r1..r8; PEs whose
 * group has a task table but not f start idle, waiting for their tasks.
 * The run ends when nothing can happen any more (sched.c): every PE has
 * halted, or waits idle with no task runnable, no async op in flight and
 * no wavelet it could take on its way. Then it is done (wavelets nobody
 * took are dropped and counted), or deadlocked if some operation still
 * waits on the fabric. A fault ends it too: the earliest in modeled time.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static bool rects_overlap(const struct wafer_rect *a, const struct wafer_rect *b)
{
	return a->x < b->x + b->w && b->x < a->x + a->w &&
	       a->y < b->y + b->h && b->y < a->y + a->h;
}

bool wafer_region_busy(struct wafer *w, const struct wafer_rect *r,
		       const struct wafer_program *self)
{
	bool busy = false;

	pthread_mutex_lock(&w->lock);
	for (struct wafer_run *run = w->runs; run; run = run->next)
		if (run->p != self && rects_overlap(&run->p->region, r))
			busy = true;
	pthread_mutex_unlock(&w->lock);
	return busy;
}

/* Stop a run from outside (cancel, reset); w->lock held. */
static void run_stop(struct wafer_run *run, bool by_reset)
{
	pthread_mutex_lock(&run->lock);
	if (run->fault.status == WAFER_OK) {
		run->fault.status = WAFER_ERR_CANCELLED;
		run->by_reset = by_reset;
	}
	atomic_store(&run->stop, 1);
	wafer_run_stall_locked(run);
	pthread_mutex_unlock(&run->lock);
}

void wafer_runs_stop_all(struct wafer *w)
{
	pthread_mutex_lock(&w->lock);
	for (struct wafer_run *run = w->runs; run; run = run->next)
		run_stop(run, true);
	while (w->runs)
		pthread_cond_wait(&w->quiet, &w->lock);
	pthread_mutex_unlock(&w->lock);
}

void wafer_program_cancel(struct wafer_program *p)
{
	struct wafer *w = p->w;

	atomic_store(&p->cancelled, 1);
	pthread_mutex_lock(&w->lock);
	if (p->run)
		run_stop(p->run, false);
	pthread_mutex_unlock(&w->lock);
}

void wafer_program_uncancel(struct wafer_program *p)
{
	atomic_store(&p->cancelled, 0);
}

/* What one blocked component waits for, "(x,y) recv c1" style. */
static int wait_text(char *buf, size_t len, const struct wafer_program *p,
		     const struct pe *pe, int ut, uint8_t kind, uint8_t color)
{
	static const char *const what[] = {
		[W_RECV] = "recv", [W_SEND] = "send", [W_SWITCH] = "switch",
	};
	char who[16] = "";

	if (kind != W_RECV && kind != W_SEND && kind != W_SWITCH)
		return 0;
	if (ut >= 0)
		snprintf(who, sizeof(who), "ut%d ", ut);
	return snprintf(buf, len, "(%u,%u) %s%s c%u", pe_x(p, pe), pe_y(p, pe),
			who, what[kind], color);
}

/*
 * Describe a deadlock: the blocked PEs in (y, x) order, each with what
 * its main thread and its microthreads wait for, as many as fit.
 */
void wafer_deadlock_report(struct wafer_run *run)
{
	struct wafer_program *p = run->p;
	struct wafer_fault *f = &run->fault;
	uint32_t nblocked = 0, listed = 0, total = 0;
	size_t len = 0;
	char list[160];

	list[0] = '\0';
	for (uint32_t i = 0; i < p->npes; i++) {
		const struct pe *pe = &p->pes[i];
		const struct pe_flow *fl = pe->fl;
		uint32_t items = 0;

		if (atomic_load(&pe->sched) != PE_PARKED)
			continue;
		for (int u = -1; u < WAFER_UTHREADS; u++) {
			uint8_t kind, color;
			char item[48];
			int n;

			if (u < 0) {
				if (pe->main != MAIN_RUN)
					continue;
				kind = pe->wait_kind;
				color = pe->wait_color;
			} else {
				if (!fl || !(fl->busy_mask & (1u << u)) ||
				    !fl->ut[u].started)
					continue;
				kind = fl->ut[u].op.wait_kind;
				color = fl->ut[u].op.wait_color;
			}
			n = wait_text(item, sizeof(item), p, pe, u, kind, color);
			if (n <= 0)
				continue;
			if (!items++) {
				if (!nblocked) {
					memset(f, 0, sizeof(*f));
					f->status = WAFER_ERR_DEADLOCK;
					f->pe_x = pe_x(p, pe);
					f->pe_y = pe_y(p, pe);
					f->pc = u < 0 ? pe->pc : fl->ut[u].op.pc;
				}
				nblocked++;
			}
			total++;
			if (len >= sizeof(list) - 1)
				continue;
			n = snprintf(list + len, sizeof(list) - len, "%s%s",
				     listed ? ", " : "", item);
			if (n < 0 || len + n >= sizeof(list) - 1) {
				list[len] = '\0';
				len = sizeof(list);
				continue;
			}
			len += n;
			listed++;
		}
	}
	if (!nblocked)
		return;
	snprintf(f->msg, sizeof(f->msg),
		 "PE (%u,%u) pc 0x%x: deadlock, %u PEs blocked: %s%s", f->pe_x,
		 f->pe_y, f->pc, nblocked, list, listed < total ? ", ..." : "");
}

/* A cancelled run names the first PE that had not finished. */
static void cancel_report(struct wafer_run *run)
{
	struct wafer_program *p = run->p;
	struct wafer_fault *f = &run->fault;
	uint32_t live = 0;
	struct pe *first = NULL;

	if (f->msg[0])
		return;
	for (uint32_t i = 0; i < p->npes; i++) {
		uint32_t s = atomic_load_explicit(&p->pes[i].sched,
						  memory_order_relaxed);

		if (s == PE_IDLE || s == PE_DONE)
			continue;
		if (!live++)
			first = &p->pes[i];
	}
	if (first) {
		f->pe_x = pe_x(p, first);
		f->pe_y = pe_y(p, first);
		f->pc = first->pc;
	}
	snprintf(f->msg, sizeof(f->msg),
		 "PE (%u,%u) pc 0x%x: run %s, %u PEs had not halted",
		 f->pe_x, f->pe_y, f->pc,
		 run->by_reset ? "stopped by a wafer reset" : "cancelled by the host",
		 live);
}

static void run_stats(struct wafer_run *run, struct wafer_run_stats *stats)
{
	struct wafer_program *p = run->p;
	uint64_t ft = atomic_load(&run->fault_time);

	memset(stats, 0, sizeof(*stats));
	for (uint32_t i = 0; i < p->npes; i++) {
		struct pe *pe = &p->pes[i];

		if (atomic_load_explicit(&pe->sched, memory_order_relaxed) == PE_IDLE)
			continue;
		stats->cycles = u64_max(stats->cycles, u64_max(pe->clock, pe->end));
		stats->instructions += pe->icount;
	}
	/* A faulting run ends at its fault, whatever ran on elsewhere. */
	if (run->fault.status != WAFER_OK &&
	    run->fault.status != WAFER_ERR_CANCELLED &&
	    run->fault.status != WAFER_ERR_DEADLOCK && ft != T_INF)
		stats->cycles = ft;
	/*
	 * Every queue of a launch starts empty (run_init()), and every push
	 * and pop of its PEs is counted by the worker that ran it, so the
	 * sums are what a pass over the 2.7 million queues of the full wafer
	 * would add up, at any thread count. A resident kernel's queues live
	 * on across segments and take the edge channels' wavelets too; they,
	 * and wafer_route_scan()'s tests of this sum, count by the pass.
	 */
	if (p->res || p->route_scan) {
		wafer_fqs_count(p, &stats->wavelets, &stats->wavelets_dropped);
	} else {
		uint64_t pushed = 0, popped = 0;

		for (unsigned int k = 0; k < p->w->nworkers; k++) {
			pushed += atomic_load_explicit(&run->charge[k].pushed,
						       memory_order_relaxed);
			popped += atomic_load_explicit(&run->charge[k].popped,
						       memory_order_relaxed);
		}
		stats->wavelets = pushed;
		stats->wavelets_dropped = pushed - popped;
	}
	stats->global_stalls = run->stalls;
}

/* Every launch starts from empty queues, zeroed registers, position 0. */
static int run_init(struct wafer_run *run, uint32_t fn, const uint32_t *args,
		    unsigned int nargs, uint32_t *nlive)
{
	struct wafer_program *p = run->p;
	const struct wafer_sym *sym = &p->syms[fn];

	*nlive = 0;
	p->epoch++;
	wafer_fqs_reset(p);
	wafer_switches_reset(p);
	for (uint32_t i = 0; i < p->npes; i++) {
		struct pe *pe = &p->pes[i];
		const struct group_tasks *gt = NULL;
		uint32_t g, entry;

		atomic_store_explicit(&pe->sched, PE_IDLE, memory_order_relaxed);
		atomic_store_explicit(&pe->horizon, T_INF, memory_order_relaxed);
		pe->main = MAIN_OFF;
		pe->next_event = T_INF;
		pe->decide_wait = 0;
		if (pe->rect >= p->nrects)
			continue;
		g = p->rects[pe->rect].group;
		entry = sym->entry[g];
		gt = p->tasks ? p->tasks[g] : NULL;
		if (entry == WAFER_NO_ENTRY && !gt)
			continue;
		memset(pe->r, 0, sizeof(pe->r));
		if (pe->v)
			memset(pe->v->d, 0, sizeof(pe->v->d));
		if ((gt || pe->fl) && !pe->fl) {
			pe->fl = calloc(1, sizeof(*pe->fl));
			if (!pe->fl)
				return -ENOMEM;
		}
		if (pe->fl)
			wafer_tasks_reset(pe, gt);
		for (unsigned int a = 0; a < nargs; a++)
			pe->r[1 + a] = args[a];
		pe->gt = gt;
		pe->code = p->code[g];
		pe->clock = 0;
		pe->icount = 0;
		pe->bused = 0;
		pe->end = 0;
		pe->inprog = 0;
		pe->prefix = 0;
		pe->wait_kind = W_NONE;
		pe->wait_ut = 0;
		pe->idle_lb = 0;
		if (entry != WAFER_NO_ENTRY) {
			pe->main = MAIN_RUN;
			pe->pc = entry;
			pe->cur_task = TASK_ENTRY;
			if (wafer_traced(pe))
				wafer_trace_task_start(pe, TASK_ENTRY, 0);
		} else {
			pe->main = MAIN_IDLE;
			pe->pc = 0;
			pe->cur_task = TASK_ENTRY;
		}
		atomic_store_explicit(&pe->horizon, 0, memory_order_relaxed);
		atomic_store_explicit(&pe->sched, PE_RUNNABLE, memory_order_relaxed);
		(*nlive)++;
	}
	return 0;
}

int wafer_launch(struct wafer_program *p, uint32_t sym_index,
		 const uint32_t *args, unsigned int nargs,
		 struct wafer_run_stats *stats, struct wafer_fault *fault)
{
	struct wafer_run_stats st_local;
	struct wafer_fault f_local;
	struct wafer_run *run;
	struct wafer *w;
	uint32_t nlive;
	int ret;

	if (!stats)
		stats = &st_local;
	if (!fault)
		fault = &f_local;
	memset(stats, 0, sizeof(*stats));
	if (!p || (nargs && !args) || nargs > WAFER_MAX_ARGS) {
		wafer_fault_set(fault, WAFER_ERR_INVALID,
				"launch with %u arguments (at most %u)", nargs,
				WAFER_MAX_ARGS);
		return -EINVAL;
	}
	if (sym_index >= p->nsyms || p->syms[sym_index].kind != WAFER_SYM_FUNCTION) {
		wafer_fault_set(fault, WAFER_ERR_NO_FUNCTION,
				"symbol %u is not a function of the program",
				sym_index);
		return -ENOENT;
	}
	w = p->w;
	run = wafer_run_alloc(p);
	if (!run) {
		wafer_fault_set(fault, WAFER_ERR_NOMEM, "out of memory for a launch");
		return -ENOMEM;
	}

	/* Claim the region: it and p stay ours until the run leaves the list. */
	pthread_mutex_lock(&w->lock);
	if (atomic_load(&p->cancelled)) {
		pthread_mutex_unlock(&w->lock);
		wafer_run_free(run);
		wafer_fault_set(fault, WAFER_ERR_CANCELLED,
				"PE (0,0) pc 0x0: launch of a cancelled program");
		return -ECANCELED;
	}
	for (struct wafer_run *o = w->runs; o; o = o->next) {
		if (rects_overlap(&o->p->region, &p->region)) {
			pthread_mutex_unlock(&w->lock);
			wafer_run_free(run);
			wafer_fault_set(fault, WAFER_ERR_BAD_REGION,
					"region %ux%u at (%u,%u) overlaps a running program",
					p->region.w, p->region.h, p->region.x,
					p->region.y);
			return -EBUSY;
		}
	}
	ret = wafer_pool_start_locked(w);
	if (ret) {
		pthread_mutex_unlock(&w->lock);
		wafer_run_free(run);
		wafer_fault_set(fault, WAFER_ERR_NOMEM, "cannot start worker threads");
		return -ENOMEM;
	}
	run->next = w->runs;
	w->runs = run;
	p->run = run;
	pthread_mutex_unlock(&w->lock);

	ret = wafer_trace_begin(p);
	if (!ret)
		ret = run_init(run, sym_index, args, nargs, &nlive);
	pthread_mutex_lock(&run->lock);
	if (ret) {
		nlive = 0;
		run->fault.status = WAFER_ERR_NOMEM;
		snprintf(run->fault.msg, sizeof(run->fault.msg),
			 "out of memory starting a %ux%u launch", p->region.w,
			 p->region.h);
	}
	atomic_store(&run->live, nlive);
	run->started_pes = nlive;
	run->started = true;
	if (!nlive || atomic_load(&run->stop))
		wafer_run_finish_locked(run);
	else
		wafer_run_start(run);
	pthread_mutex_unlock(&run->lock);

	pthread_mutex_lock(&run->lock);
	while (!run->done)
		pthread_cond_wait(&run->done_cond, &run->lock);
	pthread_mutex_unlock(&run->lock);

	pthread_mutex_lock(&w->lock);
	for (struct wafer_run **pp = &w->runs; *pp; pp = &(*pp)->next) {
		if (*pp == run) {
			*pp = run->next;
			break;
		}
	}
	p->run = NULL;
	pthread_cond_broadcast(&w->quiet);
	pthread_mutex_unlock(&w->lock);
	/* The last worker may still be leaving the run's lock. */
	wafer_run_drain(run);

	run_stats(run, stats);
	wafer_trace_end(p, stats->cycles, stats->cycles < atomic_load(&run->fault_time) ?
			T_INF : stats->cycles);
	if (run->fault.status == WAFER_ERR_CANCELLED)
		cancel_report(run);
	*fault = run->fault;
	ret = wafer_status_errno(run->fault.status);
	wafer_run_free(run);
	return ret;
}
