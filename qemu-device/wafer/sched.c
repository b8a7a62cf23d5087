// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sched.c - the worker pool, run queues, parking and waking, global
 * stalls.
 *
 * cfg.threads workers, shared by all launches of the wafer, each own a
 * run queue of PEs; a worker runs its own PEs in FIFO order, steals from
 * the others when it has none, and sleeps when nobody has any. A PE that
 * kicks another (it delivered wavelets, freed queue space, passed a
 * horizon, changed a switch) puts it on the kicker's own queue. No lock
 * is global on this path: a PE's state (pe.sched) moves by atomics, and a
 * run queue has its own lock.
 *
 * Lost wake-ups are prevented Dekker-style: a kicker publishes what it
 * changed, fences, then reads pe.sched; a worker sets PE_RUNNING, fences,
 * then reads what the PE waits for, and parks only with a CAS from
 * PE_RUNNING, which fails if a kick set PE_KICKED meanwhile.
 *
 * A run counts its PEs that are runnable or running (run.active). When
 * it drops to 0, every PE of the run waits on another: a global stall.
 * Nothing can happen any more except what the parked PEs know is pending
 * (pe.next_event: a decision at a modeled time that the horizons did not
 * settle). Every event before the least of those is then known, since
 * all later ones follow from it with at least one cycle of lookahead: it
 * becomes the run's GVT and the PEs waiting on it are released. With no
 * pending event the run is over: done, deadlocked, or at its fault.
 */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static _Thread_local struct worker *tls_worker;

static bool rq_push(struct worker *wk, struct pe *pe)
{
	pthread_mutex_lock(&wk->lock);
	if (wk->rq_len == wk->rq_cap) {
		uint32_t cap = wk->rq_cap ? 2 * wk->rq_cap : 1024;
		struct pe **n = malloc(cap * sizeof(*n));

		if (!n) {
			pthread_mutex_unlock(&wk->lock);
			return false;
		}
		for (uint32_t i = 0; i < wk->rq_len; i++)
			n[i] = wk->rq[(wk->rq_head + i) % wk->rq_cap];
		free(wk->rq);
		wk->rq = n;
		wk->rq_head = 0;
		wk->rq_cap = cap;
	}
	wk->rq[(wk->rq_head + wk->rq_len) % wk->rq_cap] = pe;
	wk->rq_len++;
	pthread_mutex_unlock(&wk->lock);
	return true;
}

static struct pe *rq_pop(struct worker *wk)
{
	struct pe *pe = NULL;

	pthread_mutex_lock(&wk->lock);
	if (wk->rq_len) {
		pe = wk->rq[wk->rq_head];
		wk->rq_head = (wk->rq_head + 1) % wk->rq_cap;
		wk->rq_len--;
	}
	pthread_mutex_unlock(&wk->lock);
	return pe;
}

/* Put a runnable PE on a run queue (the caller's, or by round robin). */
void wafer_run_enqueue(struct wafer *w, struct worker *wk, struct pe *pe)
{
	if (!wk)
		wk = &w->workers[atomic_fetch_add(&w->next_push, 1) %
				 w->nworkers];
	while (!rq_push(wk, pe))
		sched_yield();	/* out of memory: let others drain */
	if (atomic_load(&w->sleepers) > 0) {
		pthread_mutex_lock(&w->sleep_lock);
		pthread_cond_signal(&w->sleep_cond);
		pthread_mutex_unlock(&w->sleep_lock);
	}
}

/*
 * Wake pe if it is parked; if it runs, make it look again before it
 * parks. The caller published what changed before.
 */
static void kick(struct wafer *w, struct worker *wk, struct wafer_run *run,
		 struct pe *pe)
{
	uint32_t s = atomic_load(&pe->sched);

	for (;;) {
		if (s == PE_PARKED) {
			atomic_fetch_add(&run->active, 1);
			if (atomic_compare_exchange_weak(&pe->sched, &s,
							 PE_RUNNABLE)) {
				wafer_run_enqueue(w, wk, pe);
				return;
			}
			atomic_fetch_sub(&run->active, 1);
			continue;
		}
		if (s == PE_RUNNING) {
			if (atomic_compare_exchange_weak(&pe->sched, &s,
							 PE_RUNNING | PE_KICKED))
				return;
			continue;
		}
		return;
	}
}

void wafer_pe_kick_many(struct exec_ctx *x, struct pe *const *pes,
			unsigned int n)
{
	unsigned int i = 0;

	/*
	 * Nobody to wake but ourselves (a PE's own queues, the edge's
	 * sinks): no fence either, since no other PE's state is read.
	 */
	while (i < n && (!pes[i] || pes[i] == x->pe))
		i++;
	if (i == n)
		return;
	/* Pairs with the fence after PE_RUNNING in pe_handle(). */
	atomic_thread_fence(memory_order_seq_cst);
	for (; i < n; i++) {
		struct pe *pe = pes[i];
		uint32_t s;

		if (!pe || pe == x->pe)
			continue;
		s = atomic_load_explicit(&pe->sched, memory_order_relaxed);
		if (s == PE_PARKED || s == PE_RUNNING)
			kick(x->p->w, x->wk, x->run, pe);
	}
}

void wafer_pe_kick(struct exec_ctx *x, struct pe *pe)
{
	wafer_pe_kick_many(x, &pe, 1);
}

void wafer_run_finish_locked(struct wafer_run *run)
{
	run->done = true;
	pthread_cond_broadcast(&run->done_cond);
}

/* Is anything of pe waiting on the fabric (a deadlock if nothing moves)? */
static bool pe_blocked(const struct pe *pe)
{
	if (pe->main == MAIN_RUN &&
	    (pe->wait_kind == W_RECV || pe->wait_kind == W_SEND ||
	     pe->wait_kind == W_SWITCH || pe->wait_kind == W_UT))
		return true;
	return pe->fl && pe->fl->busy_mask;
}

/* Called with run->lock held once no PE of the run is runnable. */
void wafer_run_stall_locked(struct wafer_run *run)
{
	struct wafer_program *p = run->p;
	struct exec_ctx x = { .run = run, .p = p, .wk = tls_worker };
	uint64_t min = T_INF, ft, gvt;
	bool blocked = false;

	if (run->done || !run->started || atomic_load(&run->active))
		return;
	if (atomic_load(&run->stop) || !atomic_load(&run->live)) {
		wafer_run_finish_locked(run);
		return;
	}
	for (uint32_t i = 0; i < p->npes; i++) {
		const struct pe *pe = &p->pes[i];

		if (atomic_load_explicit(&pe->sched, memory_order_acquire) !=
		    PE_PARKED)
			continue;
		if (pe->next_event < min)
			min = pe->next_event;
		blocked |= pe_blocked(pe);
	}
	ft = atomic_load(&run->fault_time);
	if (min == T_INF || min > ft) {
		/* A resident kernel waits for the host, not a deadlock. */
		if (ft == T_INF && blocked && !p->res)
			wafer_deadlock_report(run);
		wafer_run_finish_locked(run);
		return;
	}
	gvt = atomic_load(&run->gvt);
	if (min > gvt)
		atomic_store(&run->gvt, min);
	run->stalls++;
	atomic_thread_fence(memory_order_seq_cst);
	for (uint32_t i = 0; i < p->npes; i++) {
		struct pe *pe = &p->pes[i];

		if (atomic_load(&pe->sched) == PE_PARKED &&
		    pe->next_event <= min)
			kick(p->w, x.wk, run, pe);
	}
}

static void run_stall(struct wafer_run *run)
{
	pthread_mutex_lock(&run->lock);
	wafer_run_stall_locked(run);
	pthread_mutex_unlock(&run->lock);
}

/* The earliest fault in modeled time wins; ties go to the lower key. */
void wafer_run_offer_fault(struct wafer_run *run, const struct wafer_fault *f,
			   uint64_t t, uint64_t key)
{
	pthread_mutex_lock(&run->lock);
	if (run->fault.status == WAFER_OK || t < atomic_load(&run->fault_time) ||
	    (t == atomic_load(&run->fault_time) && key < run->fault_key)) {
		if (run->fault.status != WAFER_ERR_CANCELLED) {
			run->fault = *f;
			run->fault_key = key;
			atomic_store(&run->fault_time, t);
		}
	}
	pthread_mutex_unlock(&run->lock);
}

/* Execute pe until it parks, yields or is done. */
static void pe_handle(struct worker *wk, struct pe *pe)
{
	struct wafer_program *p = pe->p;
	struct wafer_run *run = p->run;
	struct wafer_fault fault;
	struct exec_ctx x = { .run = run, .p = p, .pe = pe, .wk = wk,
			      .fault = &fault };
	enum slice r;

	atomic_fetch_add(&run->users, 1);
	atomic_store(&pe->sched, PE_RUNNING);
	/* Pairs with the fence in wafer_pe_kick_many(). */
	atomic_thread_fence(memory_order_seq_cst);
	for (;;) {
		uint32_t s = PE_RUNNING;

		r = atomic_load(&run->stop) ? SLICE_PARK : wafer_pe_slice(&x);
		if (r == SLICE_YIELD) {
			atomic_store(&pe->sched, PE_RUNNABLE);
			wafer_run_enqueue(p->w, wk, pe);
			break;
		}
		if (r == SLICE_DONE) {
			atomic_store(&pe->sched, PE_DONE);
			atomic_fetch_sub(&run->live, 1);
			if (atomic_fetch_sub(&run->active, 1) == 1)
				run_stall(run);
			break;
		}
		if (atomic_compare_exchange_strong(&pe->sched, &s, PE_PARKED)) {
			if (atomic_fetch_sub(&run->active, 1) == 1)
				run_stall(run);
			break;
		}
		/* Kicked while it ran: look again. */
		atomic_store(&pe->sched, PE_RUNNING);
		atomic_thread_fence(memory_order_seq_cst);
		if (atomic_load(&run->stop)) {
			atomic_store(&pe->sched, PE_PARKED);
			if (atomic_fetch_sub(&run->active, 1) == 1)
				run_stall(run);
			break;
		}
	}
	atomic_fetch_sub(&run->users, 1);
}

static struct pe *steal(struct wafer *w, struct worker *self)
{
	for (unsigned int i = 1; i < w->nworkers; i++) {
		struct worker *o = &w->workers[(self->id + i) % w->nworkers];
		struct pe *pe;

		if (!o->rq_len)	/* a hint; the pop is under the lock */
			continue;
		pe = rq_pop(o);
		if (pe)
			return pe;
	}
	return NULL;
}

static bool any_work(struct wafer *w)
{
	for (unsigned int i = 0; i < w->nworkers; i++) {
		struct worker *o = &w->workers[i];
		bool some;

		pthread_mutex_lock(&o->lock);
		some = o->rq_len != 0;
		pthread_mutex_unlock(&o->lock);
		if (some)
			return true;
	}
	return false;
}

static void *worker_main(void *arg)
{
	struct worker *wk = arg;
	struct wafer *w = wk->w;

	tls_worker = wk;
	while (!atomic_load(&w->stopping)) {
		struct pe *pe = rq_pop(wk);

		if (!pe)
			pe = steal(w, wk);
		if (pe) {
			pe_handle(wk, pe);
			continue;
		}
		pthread_mutex_lock(&w->sleep_lock);
		atomic_fetch_add(&w->sleepers, 1);
		if (!atomic_load(&w->stopping) && !any_work(w))
			pthread_cond_wait(&w->sleep_cond, &w->sleep_lock);
		atomic_fetch_sub(&w->sleepers, 1);
		pthread_mutex_unlock(&w->sleep_lock);
	}
	return NULL;
}

/* Called with w->lock held. */
int wafer_pool_start_locked(struct wafer *w)
{
	unsigned int n = w->cfg.threads, i;

	if (w->workers)
		return 0;
	w->workers = aligned_alloc(64, n * sizeof(*w->workers));
	if (!w->workers)
		return -ENOMEM;
	memset(w->workers, 0, n * sizeof(*w->workers));
	for (i = 0; i < n; i++) {
		w->workers[i].w = w;
		w->workers[i].id = i;
		pthread_mutex_init(&w->workers[i].lock, NULL);
	}
	w->nworkers = n;
	for (i = 0; i < n; i++)
		if (pthread_create(&w->workers[i].thread, NULL, worker_main,
				   &w->workers[i]))
			break;
	if (!i) {
		free(w->workers);
		w->workers = NULL;
		w->nworkers = 0;
		return -ENOMEM;
	}
	/* Fewer workers than asked still give the same results. */
	w->nworkers = i;
	return 0;
}

void wafer_pool_stop(struct wafer *w)
{
	if (!w->workers)
		return;
	atomic_store(&w->stopping, true);
	pthread_mutex_lock(&w->sleep_lock);
	pthread_cond_broadcast(&w->sleep_cond);
	pthread_mutex_unlock(&w->sleep_lock);
	for (unsigned int i = 0; i < w->nworkers; i++)
		pthread_join(w->workers[i].thread, NULL);
	for (unsigned int i = 0; i < w->nworkers; i++) {
		pthread_mutex_destroy(&w->workers[i].lock);
		free(w->workers[i].rq);
	}
	free(w->workers);
	w->workers = NULL;
	w->nworkers = 0;
	atomic_store(&w->stopping, false);
}
