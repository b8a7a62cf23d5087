// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sched.c - the worker pool, launches, blocking and waking, deadlock
 * detection and cancel.
 *
 * A launch queues every PE that runs the function; cfg.threads workers,
 * shared by all launches of the wafer, take runnable PEs and run each for
 * a quantum. A PE that must wait for the fabric is parked (PE_BLOCKED) and
 * costs nothing until the PE on the other side of the queue kicks it. When
 * a run has live PEs but none runnable and none running, nothing can ever
 * change again: that is a deadlock.
 *
 * Kahn semantics make the outcome independent of the schedule: each PE is
 * sequential, reads block, each queue has one producer and one consumer,
 * and modeled time is computed from data (arrival and pop times), never
 * from the host's order of events. So memory, cycles, and the set of PEs
 * blocked at a deadlock are the same whatever the thread count.
 *
 * Lost wake-ups are prevented Dekker-style: the blocker publishes
 * PE_BLOCKED, fences, then re-checks its queues; a waker publishes its
 * queue update, fences, then reads pe.sched. At least one of them sees the
 * other, and both then decide under wafer.lock.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Called with w->lock held. */
static void rq_push_locked(struct wafer *w, struct wafer_run *run,
			   struct pe *pe)
{
	uint32_t npes = run->p->npes;

	atomic_store_explicit(&pe->sched, PE_RUNNABLE, memory_order_relaxed);
	run->rq[(run->rq_head + run->rq_len) % npes] = pe->idx;
	run->rq_len++;
	if (w->idle_workers)
		pthread_cond_signal(&w->work);
}

/*
 * Wake the PEs among pes[0..n) that are blocked and can now progress,
 * after the caller published queue updates that concern them. One lock
 * round trip for all of them: a broadcast wakes a whole row at once.
 */
void wafer_pe_kick_many(struct exec_ctx *x, struct pe *const *pes,
			unsigned int n)
{
	struct wafer *w = x->p->w;
	unsigned int what, color, i;

	/* Pairs with the fence in worker_block_locked(). */
	atomic_thread_fence(memory_order_seq_cst);
	for (i = 0; i < n; i++)
		if (pes[i] && atomic_load_explicit(&pes[i]->sched,
						   memory_order_relaxed) == PE_BLOCKED)
			break;
	if (i == n)
		return;
	pthread_mutex_lock(&w->lock);
	for (; i < n; i++) {
		struct pe *pe = pes[i];

		if (pe && atomic_load_explicit(&pe->sched, memory_order_relaxed) == PE_BLOCKED &&
		    wafer_pe_can_progress(x->p, pe, &what, &color))
			rq_push_locked(w, x->run, pe);
	}
	pthread_mutex_unlock(&w->lock);
}

void wafer_pe_kick(struct exec_ctx *x, struct pe *pe)
{
	wafer_pe_kick_many(x, &pe, 1);
}

static void worker_block_locked(struct wafer *w, struct wafer_run *run,
				struct pe *pe)
{
	unsigned int what, color;

	atomic_store_explicit(&pe->sched, PE_BLOCKED, memory_order_relaxed);
	/* Pairs with the fence in wafer_pe_kick(). */
	atomic_thread_fence(memory_order_seq_cst);
	if (wafer_pe_can_progress(run->p, pe, &what, &color))
		rq_push_locked(w, run, pe);
}

/* First fault wins: it is the one that stopped the run. */
static void run_stop_locked(struct wafer_run *run, const struct wafer_fault *f)
{
	if (run->fault.status == WAFER_OK && f)
		run->fault = *f;
	atomic_store(&run->stop, 1);
}

/* Describe a deadlock: the blocked PEs in (y, x) order, as many as fit. */
static void deadlock_report(struct wafer_run *run)
{
	struct wafer_program *p = run->p;
	struct wafer_fault *f = &run->fault;
	uint32_t nblocked = 0, listed = 0;
	size_t len = 0;
	char list[160];

	list[0] = '\0';
	for (uint32_t i = 0; i < p->npes; i++) {
		struct pe *pe = &p->pes[i];
		unsigned int what = 0, color = 0;
		int n;

		if (atomic_load_explicit(&pe->sched, memory_order_relaxed) != PE_BLOCKED)
			continue;
		if (!nblocked++) {
			memset(f, 0, sizeof(*f));
			f->status = WAFER_ERR_DEADLOCK;
			f->pe_x = pe_x(p, pe);
			f->pe_y = pe_y(p, pe);
			f->pc = pe->pc;
		}
		wafer_pe_can_progress(p, pe, &what, &color);
		if (len >= sizeof(list) - 1)
			continue;
		n = snprintf(list + len, sizeof(list) - len, "%s(%u,%u) %s c%u",
			     listed ? ", " : "", pe_x(p, pe), pe_y(p, pe),
			     what ? "send" : "recv", color);
		if (n < 0 || len + n >= sizeof(list) - 1) {
			list[len] = '\0';
			len = sizeof(list);
			continue;
		}
		len += n;
		listed++;
	}
	snprintf(f->msg, sizeof(f->msg),
		 "PE (%u,%u) pc 0x%x: deadlock, %u PEs blocked: %s%s", f->pe_x,
		 f->pe_y, f->pc, nblocked, list, listed < nblocked ? ", ..." : "");
}

/* Called with w->lock held after anything that may end the run. */
static void run_check_done_locked(struct wafer_run *run)
{
	if (!run->started || run->done || run->running)
		return;
	if (!atomic_load(&run->stop) && run->live) {
		if (run->rq_len)
			return;
		deadlock_report(run);
		atomic_store(&run->stop, 1);
	}
	run->done = true;
	pthread_cond_broadcast(&run->done_cond);
}

/* Next PE to run, round-robin over the runs that have one. */
static struct wafer_run *pick_run_locked(struct wafer *w)
{
	struct wafer_run **pp, *run;

	for (pp = &w->runs; (run = *pp); pp = &run->next) {
		if (!run->rq_len || atomic_load_explicit(&run->stop,
							 memory_order_relaxed))
			continue;
		/* Move it to the tail so that other runs get their turn. */
		if (run->next) {
			struct wafer_run **tail = &run->next;

			*pp = run->next;
			while (*tail)
				tail = &(*tail)->next;
			*tail = run;
			run->next = NULL;
		}
		return run;
	}
	return NULL;
}

static void *worker_main(void *arg)
{
	struct wafer *w = arg;
	struct wafer_fault fault;

	pthread_mutex_lock(&w->lock);
	while (!w->stopping) {
		struct wafer_run *run = pick_run_locked(w);
		struct exec_ctx x;
		enum step st;
		struct pe *pe;

		if (!run) {
			w->idle_workers++;
			pthread_cond_wait(&w->work, &w->lock);
			w->idle_workers--;
			continue;
		}
		pe = &run->p->pes[run->rq[run->rq_head]];
		run->rq_head = (run->rq_head + 1) % run->p->npes;
		run->rq_len--;
		atomic_store_explicit(&pe->sched, PE_RUNNING, memory_order_relaxed);
		run->running++;
		pthread_mutex_unlock(&w->lock);

		x = (struct exec_ctx){ .run = run, .p = run->p, .pe = pe,
				       .fault = &fault };
		st = wafer_pe_run(&x);

		pthread_mutex_lock(&w->lock);
		run->running--;
		switch (st) {
		case STEP_BLOCK:
			worker_block_locked(w, run, pe);
			break;
		case STEP_HALT:
			atomic_store_explicit(&pe->sched, PE_DONE, memory_order_relaxed);
			run->live--;
			break;
		case STEP_FAULT:
			atomic_store_explicit(&pe->sched, PE_DONE, memory_order_relaxed);
			run->live--;
			run_stop_locked(run, &fault);
			break;
		default:
			rq_push_locked(w, run, pe);
			break;
		}
		run_check_done_locked(run);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

static int pool_start_locked(struct wafer *w)
{
	unsigned int n = w->cfg.threads;

	if (w->threads)
		return 0;
	w->threads = calloc(n, sizeof(*w->threads));
	if (!w->threads)
		return -ENOMEM;
	for (w->nthreads = 0; w->nthreads < n; w->nthreads++)
		if (pthread_create(&w->threads[w->nthreads], NULL, worker_main, w))
			break;
	if (!w->nthreads) {
		free(w->threads);
		w->threads = NULL;
		return -ENOMEM;
	}
	/* Fewer workers than asked still give the same results. */
	return 0;
}

void wafer_pool_stop(struct wafer *w)
{
	pthread_mutex_lock(&w->lock);
	w->stopping = true;
	pthread_cond_broadcast(&w->work);
	pthread_mutex_unlock(&w->lock);
	for (unsigned int i = 0; i < w->nthreads; i++)
		pthread_join(w->threads[i], NULL);
	free(w->threads);
	w->threads = NULL;
	w->nthreads = 0;
}

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

void wafer_runs_stop_all(struct wafer *w)
{
	pthread_mutex_lock(&w->lock);
	for (struct wafer_run *run = w->runs; run; run = run->next) {
		if (run->fault.status == WAFER_OK) {
			run->fault.status = WAFER_ERR_CANCELLED;
			run->by_reset = true;
		}
		run_stop_locked(run, NULL);
		run_check_done_locked(run);
	}
	while (w->runs)
		pthread_cond_wait(&w->quiet, &w->lock);
	pthread_mutex_unlock(&w->lock);
}

void wafer_program_cancel(struct wafer_program *p)
{
	struct wafer *w = p->w;

	atomic_store(&p->cancelled, 1);
	pthread_mutex_lock(&w->lock);
	if (p->run) {
		run_stop_locked(p->run, NULL);
		if (p->run->fault.status == WAFER_OK)
			p->run->fault.status = WAFER_ERR_CANCELLED;
		run_check_done_locked(p->run);
	}
	pthread_mutex_unlock(&w->lock);
}

void wafer_program_uncancel(struct wafer_program *p)
{
	atomic_store(&p->cancelled, 0);
}

/* Every launch starts from empty queues and zeroed registers. */
static uint32_t run_init(struct wafer_run *run, uint32_t fn,
			 const uint32_t *args, unsigned int nargs)
{
	struct wafer_program *p = run->p;
	const struct wafer_sym *sym = &p->syms[fn];
	uint32_t nlive = 0;

	/* Queue ownership is per launch: senders claim again (fabric.c). */
	p->epoch++;
	for (uint32_t i = 0; i < p->nfqs; i++) {
		atomic_store_explicit(&p->fqs[i].tail, 0, memory_order_relaxed);
		atomic_store_explicit(&p->fqs[i].head, 0, memory_order_relaxed);
		atomic_store_explicit(&p->fqs[i].prod, NULL, memory_order_relaxed);
	}
	for (uint32_t i = 0; i < p->npes; i++) {
		struct pe *pe = &p->pes[i];
		uint32_t g, entry;

		atomic_store_explicit(&pe->sched, PE_IDLE, memory_order_relaxed);
		if (pe->rect >= p->nrects)
			continue;
		g = p->rects[pe->rect].group;
		entry = sym->entry[g];
		if (entry == WAFER_NO_ENTRY)
			continue;
		memset(pe->r, 0, sizeof(pe->r));
		memset(pe->d, 0, sizeof(pe->d));
		for (unsigned int a = 0; a < nargs; a++)
			pe->r[1 + a] = args[a];
		pe->pc = entry;
		pe->vi = 0;
		pe->vacc = 0;
		pe->inprog = false;
		pe->clock = 0;
		pe->icount = 0;
		pe->bused = 0;
		pe->code = p->code[g];
		pe->wait_nin = 0;
		pe->wait_out = NULL;
		atomic_store_explicit(&pe->sched, PE_RUNNABLE, memory_order_relaxed);
		run->rq[nlive++] = i;
	}
	return nlive;
}

static void run_stats(struct wafer_run *run, struct wafer_run_stats *stats)
{
	struct wafer_program *p = run->p;

	memset(stats, 0, sizeof(*stats));
	for (uint32_t i = 0; i < p->npes; i++) {
		struct pe *pe = &p->pes[i];

		if (atomic_load_explicit(&pe->sched, memory_order_relaxed) == PE_IDLE)
			continue;
		if (pe->clock > stats->cycles)
			stats->cycles = pe->clock;
		stats->instructions += pe->icount;
	}
	for (uint32_t i = 0; i < p->nfqs; i++)
		stats->wavelets += atomic_load_explicit(&p->fqs[i].tail,
							memory_order_relaxed);
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
		uint8_t s = atomic_load_explicit(&p->pes[i].sched,
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

	run = calloc(1, sizeof(*run));
	if (!run)
		goto err_nomem;
	run->rq = malloc(p->npes * sizeof(*run->rq));
	if (!run->rq)
		goto err_free_run;
	run->p = p;
	run->budget = atomic_load(&w->insn_budget);
	if (!run->budget)
		run->budget = UINT64_MAX;
	pthread_cond_init(&run->done_cond, NULL);

	/* Claim the region: it and p stay ours until the run leaves the list. */
	pthread_mutex_lock(&w->lock);
	if (atomic_load(&p->cancelled)) {
		pthread_mutex_unlock(&w->lock);
		wafer_fault_set(fault, WAFER_ERR_CANCELLED,
				"PE (0,0) pc 0x0: launch of a cancelled program");
		ret = -ECANCELED;
		goto err_cond;
	}
	for (struct wafer_run *o = w->runs; o; o = o->next) {
		if (rects_overlap(&o->p->region, &p->region)) {
			pthread_mutex_unlock(&w->lock);
			wafer_fault_set(fault, WAFER_ERR_BAD_REGION,
					"region %ux%u at (%u,%u) overlaps a running program",
					p->region.w, p->region.h, p->region.x,
					p->region.y);
			ret = -EBUSY;
			goto err_cond;
		}
	}
	ret = pool_start_locked(w);
	if (ret) {
		pthread_mutex_unlock(&w->lock);
		goto err_cond_nomem;
	}
	run->next = w->runs;
	w->runs = run;
	p->run = run;
	pthread_mutex_unlock(&w->lock);

	nlive = run_init(run, sym_index, args, nargs);

	pthread_mutex_lock(&w->lock);
	run->live = nlive;
	run->started_pes = nlive;
	run->rq_head = 0;
	run->rq_len = atomic_load(&run->stop) ? 0 : nlive;
	run->started = true;
	if (run->rq_len)
		pthread_cond_broadcast(&w->work);
	run_check_done_locked(run);
	while (!run->done)
		pthread_cond_wait(&run->done_cond, &w->lock);
	for (struct wafer_run **pp = &w->runs; *pp; pp = &(*pp)->next) {
		if (*pp == run) {
			*pp = run->next;
			break;
		}
	}
	p->run = NULL;
	pthread_cond_broadcast(&w->quiet);
	pthread_mutex_unlock(&w->lock);

	run_stats(run, stats);
	if (run->fault.status == WAFER_ERR_CANCELLED)
		cancel_report(run);
	*fault = run->fault;
	ret = wafer_status_errno(run->fault.status);
	pthread_cond_destroy(&run->done_cond);
	free(run->rq);
	free(run);
	return ret;

err_cond_nomem:
	wafer_fault_set(fault, WAFER_ERR_NOMEM, "cannot start worker threads");
	ret = -ENOMEM;
err_cond:
	pthread_cond_destroy(&run->done_cond);
	free(run->rq);
	free(run);
	return ret;
err_free_run:
	free(run);
err_nomem:
	wafer_fault_set(fault, WAFER_ERR_NOMEM, "out of memory for a launch");
	return -ENOMEM;
}
