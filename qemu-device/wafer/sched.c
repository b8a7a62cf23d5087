// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sched.c - the worker pool, run queues, parking and waking, global
 * stalls.
 *
 * cfg.threads workers, shared by all launches of the wafer, each own a
 * run queue of PEs. Every PE has a home worker: the region is cut into
 * one tile per worker (bands of rows, or a grid, whichever the worker
 * count's factors allow with the fewest PE edges between tiles), so
 * that most neighbours share a worker and most wavelets stay in the
 * caches of one host core. A PE that kicks another (it delivered
 * wavelets, freed queue space, passed a horizon, changed a switch) puts
 * it on its home queue; a PE that used its quantum goes back on the
 * queue of the worker that ran it. A worker runs its queue in FIFO order
 * and steals from the others when it has nothing, which evens out tiles
 * of unequal work, and sleeps when nobody has any, on a condition of its
 * own: queueing a PE wakes the worker whose queue it is, or one sleeper
 * when that queue holds more than the one PE its worker may be about to
 * run. Nothing is global on this path: a PE's state (pe.sched) moves by
 * atomics, a run queue has its own lock, and a run counts its active PEs
 * per worker.
 *
 * Lost wake-ups are prevented Dekker-style: a kicker publishes what it
 * changed, fences, then reads pe.sched; a worker sets PE_RUNNING, fences,
 * then reads what the PE waits for, and parks only with a CAS from
 * PE_RUNNING, which fails if a kick set PE_KICKED meanwhile.
 *
 * A run is quiet when none of its PEs is runnable or running. Each worker
 * counts, per run (run.charge), the PEs that came onto its queue or that
 * it stole, and the PEs that left it (parked, done, stolen from it); both
 * counts only grow, and a PE is counted in before it is counted out.
 * Summing every worker's out first, then every worker's in, gives equal
 * sums only if no PE was active at the moment between the two waves
 * (out read early is at most what had left then, in read late at least
 * what had come). A quiet run stays quiet, since only an active PE or a
 * global stall kicks, so the check may come late: a worker makes it when
 * its own count drops to 0 as it parks a PE, which is what the last PE
 * to park always does.
 *
 * A quiet run is in a global stall: every PE of it waits on another.
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

/* Slot of the i-th queued PE (i <= rq_len): no division on this path. */
static uint32_t rq_slot(const struct worker *wk, uint32_t i)
{
	uint32_t s = wk->rq_head + i;

	return s >= wk->rq_cap ? s - wk->rq_cap : s;
}

/* Queue pe on wk; the queue's new length, 0 if out of memory. */
static uint32_t rq_push(struct worker *wk, struct pe *pe)
{
	uint32_t len;

	pthread_mutex_lock(&wk->lock);
	if (wk->rq_len == wk->rq_cap) {
		uint32_t cap = wk->rq_cap ? 2 * wk->rq_cap : 1024;
		struct pe **n = malloc(cap * sizeof(*n));

		if (!n) {
			pthread_mutex_unlock(&wk->lock);
			return 0;
		}
		for (uint32_t i = 0; i < wk->rq_len; i++)
			n[i] = wk->rq[(wk->rq_head + i) % wk->rq_cap];
		free(wk->rq);
		wk->rq = n;
		wk->rq_head = 0;
		wk->rq_cap = cap;
	}
	wk->rq[rq_slot(wk, wk->rq_len)] = pe;
	len = ++wk->rq_len;
	pthread_mutex_unlock(&wk->lock);
	return len;
}

/*
 * Queue n PEs on wk in this order under one lock: a launch queues every
 * PE of the region, and a lock per PE was seven tenths of the host
 * instructions of wafer_run_start(). False, with nothing queued, if out
 * of memory.
 */
static bool rq_push_n(struct worker *wk, struct pe *const *pes, uint32_t n)
{
	pthread_mutex_lock(&wk->lock);
	if (wk->rq_len + n > wk->rq_cap) {
		uint32_t cap = wk->rq_cap ? wk->rq_cap : 1024;
		struct pe **q;

		while (cap < wk->rq_len + n)
			cap *= 2;
		q = malloc(cap * sizeof(*q));
		if (!q) {
			pthread_mutex_unlock(&wk->lock);
			return false;
		}
		for (uint32_t i = 0; i < wk->rq_len; i++)
			q[i] = wk->rq[(wk->rq_head + i) % wk->rq_cap];
		free(wk->rq);
		wk->rq = q;
		wk->rq_head = 0;
		wk->rq_cap = cap;
	}
	for (uint32_t i = 0; i < n; i++)
		wk->rq[rq_slot(wk, wk->rq_len + i)] = pes[i];
	wk->rq_len += n;
	pthread_mutex_unlock(&wk->lock);
	return true;
}

/* PEs after the head that rq_pop() reports, for prefetch_pes(). */
#define RQ_AHEAD	4

/* Take the head of wk's queue; ahead[] are the PEs after it, or NULL. */
static struct pe *rq_pop(struct worker *wk, struct pe **ahead)
{
	struct pe *pe = NULL;

	pthread_mutex_lock(&wk->lock);
	if (wk->rq_len) {
		pe = wk->rq[wk->rq_head];
		wk->rq_head = rq_slot(wk, 1);
		wk->rq_len--;
	}
	for (uint32_t i = 0; i < RQ_AHEAD; i++)
		ahead[i] = i < wk->rq_len ? wk->rq[rq_slot(wk, i)] : NULL;
	pthread_mutex_unlock(&wk->lock);
	return pe;
}

/*
 * On a full wafer a PE's state is out of the host's caches by the time
 * its turn comes round again, and its first fetch waits for a page walk
 * and misses. So the worker prefetches ahead in its queue: the struct of
 * the PE RQ_AHEAD turns ahead, and the SRAM of the code of the PE two
 * turns ahead (its struct fetched two turns ago), which pe->code and
 * pe->sram locate; both are fixed while the run lasts, so reading them
 * races with nothing. Prefetched for reading, so that a line another
 * worker writes (a kick's CAS of pe->sched) is not taken from it. A hint
 * only: what runs, and when, is unchanged.
 */
static void prefetch_pes(struct pe *const *ahead)
{
	const struct pe *pe = ahead[RQ_AHEAD - 1];
	const struct wafer_code *c;

	if (pe)
		for (size_t o = 0; o < sizeof(*pe); o += 64)
			__builtin_prefetch((const char *)pe + o, 0, 3);
	pe = ahead[1];
	if (pe && (c = pe->code) != NULL && c->lo < pe->p->sram_bytes) {
		uint32_t n = c->n * ISA_INSN_BYTES;

		if (n > 4 * 64)
			n = 4 * 64;
		for (uint32_t o = 0; o < n; o += 64)
			__builtin_prefetch(pe->sram + c->lo + o, 0, 3);
	}
}

/* The worker whose tile holds pe (set by wafer_run_start()). */
static struct worker *pe_home(struct wafer *w, const struct pe *pe)
{
	return &w->workers[pe->home];
}

static void worker_wake(struct worker *wk)
{
	pthread_mutex_lock(&wk->sleep_lock);
	wk->wake = true;
	pthread_cond_signal(&wk->sleep_cond);
	pthread_mutex_unlock(&wk->sleep_lock);
}

/*
 * Put a runnable PE on wk's run queue. Wake wk if it sleeps; wake some
 * other sleeper if wk has more than the one PE it may be about to run,
 * so that it steals. Pairs with worker_sleep(): the queue is written,
 * then the flag read; the flag is written, then the queues read.
 */
static void rq_put(struct wafer *w, struct worker *wk, struct pe *pe)
{
	uint32_t len;

	while (!(len = rq_push(wk, pe)))
		sched_yield();	/* out of memory: let others drain */
	atomic_thread_fence(memory_order_seq_cst);
	if (atomic_load_explicit(&wk->asleep, memory_order_relaxed)) {
		worker_wake(wk);
		return;
	}
	if (len < 2 || !atomic_load_explicit(&w->nasleep, memory_order_relaxed))
		return;
	for (unsigned int i = 0; i < w->nworkers; i++) {
		struct worker *o = &w->workers[i];

		if (atomic_load_explicit(&o->asleep, memory_order_relaxed)) {
			worker_wake(o);
			return;
		}
	}
}

/* No PE of the run is runnable or running (see the top of the file). */
static bool run_quiet(struct wafer_run *run)
{
	unsigned int n = run->p->w->nworkers;
	uint64_t in = 0, out = 0;

	for (unsigned int i = 0; i < n; i++)
		out += atomic_load(&run->charge[i].out);
	for (unsigned int i = 0; i < n; i++)
		in += atomic_load(&run->charge[i].in);
	return in == out;
}

/*
 * Wake pe if it is parked; if it runs, make it look again before it
 * parks. The caller published what changed before.
 */
static void kick(struct wafer *w, struct wafer_run *run, struct pe *pe)
{
	uint32_t s = atomic_load(&pe->sched);

	for (;;) {
		if (s == PE_PARKED) {
			struct worker *home = pe_home(w, pe);
			struct run_charge *c = &run->charge[home->id];

			/* Counted before it can run, so before it can park. */
			atomic_fetch_add(&c->in, 1);
			if (atomic_compare_exchange_weak(&pe->sched, &s,
							 PE_RUNNABLE)) {
				rq_put(w, home, pe);
				return;
			}
			/* Someone else woke it: it is active either way. */
			atomic_fetch_add(&c->out, 1);
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

/* The caller fenced after publishing what changed. */
void wafer_pe_kick_fenced(struct exec_ctx *x, struct pe *pe)
{
	uint32_t s;

	if (!pe || pe == x->pe)
		return;
	s = atomic_load_explicit(&pe->sched, memory_order_relaxed);
	if (s == PE_PARKED || s == PE_RUNNING)
		kick(x->p->w, x->run, pe);
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
	for (; i < n; i++)
		wafer_pe_kick_fenced_fast(x, pes[i]);
}

void wafer_pe_kick(struct exec_ctx *x, struct pe *pe)
{
	wafer_pe_kick_many(x, &pe, 1);
}

struct wafer_run *wafer_run_alloc(struct wafer_program *p)
{
	struct wafer_run *run = aligned_alloc(64, sizeof(*run));

	if (!run)
		return NULL;
	memset(run, 0, sizeof(*run));
	run->p = p;
	run->budget = atomic_load(&p->w->insn_budget);
	if (!run->budget)
		run->budget = UINT64_MAX;
	atomic_init(&run->fault_time, T_INF);
	pthread_mutex_init(&run->lock, NULL);
	pthread_cond_init(&run->done_cond, NULL);
	return run;
}

void wafer_run_free(struct wafer_run *run)
{
	pthread_cond_destroy(&run->done_cond);
	pthread_mutex_destroy(&run->lock);
	free(run);
}

/* Start of part k of n near-equal parts of [0, len); i is in i * n / len. */
static uint32_t part_first(uint32_t len, unsigned int n, unsigned int k)
{
	return (uint32_t)(((uint64_t)k * len + n - 1) / n);
}

/*
 * Tiles of the W x H region, one per worker: tx columns of them by
 * n / tx rows, with the fewest PE edges between tiles, (tx - 1) * H +
 * (n / tx - 1) * W; among equals the fewest columns (bands of whole
 * rows, contiguous in memory).
 */
static unsigned int tile_cols(uint32_t W, uint32_t H, unsigned int n)
{
	uint64_t cost = UINT64_MAX;
	unsigned int best = 1;

	for (unsigned int tx = 1; tx <= n; tx++) {
		uint64_t c = (uint64_t)(tx - 1) * H + (uint64_t)(n / tx - 1) * W;

		if (!(n % tx) && c < cost) {
			cost = c;
			best = tx;
		}
	}
	return best;
}

/*
 * Give every PE its home and queue the run's runnable PEs there;
 * run->lock held. Each worker is first counted in for its whole tile,
 * so that none finds the run quiet while PEs are still to come; what
 * was not queued is counted out at the end, and the stall check its
 * workers could not make meanwhile is made here.
 *
 * This is a pass over every PE of the region at every launch (900,000
 * on the full wafer), so it does no division per PE (a tile column per
 * x, a tile row per y, worked out once), takes each worker's lock once
 * per row segment of its tile, and writes pe->home, a cache line the
 * pass does not otherwise touch, only when the worker count differs
 * from the one the homes were set for.
 */
void wafer_run_start(struct wafer_run *run)
{
	struct wafer_program *p = run->p;
	struct wafer *w = p->w;
	const uint32_t W = p->region.w, H = p->region.h;
	const unsigned int n = w->nworkers, tx = tile_cols(W, H, n), ty = n / tx;
	const bool set_home = p->homes_for != n;
	uint32_t size[WAFER_MAX_THREADS], queued[WAFER_MAX_THREADS] = { 0 };
	uint32_t xcut[WAFER_MAX_THREADS + 1];
	struct pe *seg[WAFER_MAX_WIDTH];

	for (unsigned int k = 0; k < n; k++) {
		unsigned int c = k % tx, r = k / tx;

		size[k] = (part_first(W, tx, c + 1) - part_first(W, tx, c)) *
			  (part_first(H, ty, r + 1) - part_first(H, ty, r));
		atomic_fetch_add(&run->charge[k].in, size[k]);
	}
	/* Tile column c holds x in [xcut[c], xcut[c + 1]): x * tx / W == c. */
	for (unsigned int c = 0; c <= tx; c++)
		xcut[c] = part_first(W, tx, c);
	for (uint32_t y = 0; y < H; y++) {
		unsigned int row = (unsigned int)((uint64_t)y * ty / H) * tx;
		struct pe *pes = &p->pes[(size_t)y * W];

		for (unsigned int c = 0; c < tx; c++) {
			const unsigned int home = row + c;
			struct worker *wk = &w->workers[home];
			uint32_t m = 0;

			for (uint32_t x = xcut[c]; x < xcut[c + 1]; x++) {
				struct pe *pe = &pes[x];

				if (set_home)
					pe->home = (uint8_t)home;
				if (atomic_load_explicit(&pe->sched, memory_order_relaxed) ==
				    PE_RUNNABLE)
					seg[m++] = pe;
			}
			queued[home] += m;
			/*
			 * Queued without waking anyone: woken per PE, a
			 * worker ran each one as it came and slept again,
			 * hundreds of sleeps and wake-ups a launch.
			 */
			if (m && !rq_push_n(wk, seg, m)) {
				/* out of memory: let the worker drain */
				worker_wake(wk);
				for (uint32_t i = 0; i < m; i++)
					rq_put(w, wk, seg[i]);
			}
		}
	}
	p->homes_for = n;
	/* Then every sleeper once (rq_put()'s pairing with worker_sleep()). */
	atomic_thread_fence(memory_order_seq_cst);
	for (unsigned int k = 0; k < n; k++)
		if (atomic_load_explicit(&w->workers[k].asleep, memory_order_relaxed))
			worker_wake(&w->workers[k]);
	for (unsigned int k = 0; k < n; k++)
		atomic_fetch_add(&run->charge[k].out, size[k] - queued[k]);
	wafer_run_stall_locked(run);
}

/* After the run is done: wait until no worker touches it any more. */
void wafer_run_drain(struct wafer_run *run)
{
	struct wafer *w = run->p->w;

	for (unsigned int i = 0; i < w->nworkers; i++)
		while (atomic_load_explicit(&w->workers[i].run,
					    memory_order_acquire) == run)
			sched_yield();
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

/* Called with run->lock held; acts only once the run is quiet. */
void wafer_run_stall_locked(struct wafer_run *run)
{
	struct wafer_program *p = run->p;
	uint64_t min = T_INF, ft, gvt;
	bool blocked = false;

	if (run->done || !run->started || !run_quiet(run))
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
			kick(p->w, run, pe);
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

/* pe left wk (parked or done): if wk has no more of the run, check it. */
static void pe_left(struct worker *wk, struct wafer_run *run)
{
	struct run_charge *c = &run->charge[wk->id];
	uint64_t out = atomic_fetch_add(&c->out, 1) + 1;

	if (atomic_load(&c->in) == out)
		run_stall(run);
}

/* Execute pe until it parks, yields or is done. */
static void pe_handle(struct worker *wk, struct pe *pe)
{
	struct wafer_program *p = pe->p;
	struct wafer_run *run = p->run;
	struct wafer_fault fault;
	struct exec_ctx x = { .run = run, .p = p, .pe = pe, .fault = &fault };
	enum slice r;

	atomic_store_explicit(&wk->run, run, memory_order_relaxed);
	atomic_store(&pe->sched, PE_RUNNING);
	/* Pairs with the fence in wafer_pe_kick_many(). */
	atomic_thread_fence(memory_order_seq_cst);
	for (;;) {
		uint32_t s = PE_RUNNING;

		r = atomic_load(&run->stop) ? SLICE_PARK : wafer_pe_slice(&x);
		if (r == SLICE_YIELD) {
			atomic_store(&pe->sched, PE_RUNNABLE);
			rq_put(p->w, wk, pe);
			break;
		}
		if (r == SLICE_DONE) {
			atomic_store(&pe->sched, PE_DONE);
			atomic_fetch_sub(&run->live, 1);
			pe_left(wk, run);
			break;
		}
		if (atomic_compare_exchange_strong(&pe->sched, &s, PE_PARKED)) {
			pe_left(wk, run);
			break;
		}
		/* Kicked while it ran: look again. */
		atomic_store(&pe->sched, PE_RUNNING);
		atomic_thread_fence(memory_order_seq_cst);
		if (atomic_load(&run->stop)) {
			atomic_store(&pe->sched, PE_PARKED);
			pe_left(wk, run);
			break;
		}
	}
	/* Only wk writes these; wafer_run_drain() orders them before the sum. */
	if (x.pushed | x.popped) {
		struct run_charge *c = &run->charge[wk->id];

		atomic_store_explicit(&c->pushed, atomic_load_explicit(&c->pushed,
				      memory_order_relaxed) + x.pushed,
				      memory_order_relaxed);
		atomic_store_explicit(&c->popped, atomic_load_explicit(&c->popped,
				      memory_order_relaxed) + x.popped,
				      memory_order_relaxed);
	}
	atomic_store_explicit(&wk->run, NULL, memory_order_release);
}

/* Take a PE from another worker's queue; it is counted on self now. */
static struct pe *steal(struct wafer *w, struct worker *self)
{
	struct pe *ahead[RQ_AHEAD];

	for (unsigned int i = 1; i < w->nworkers; i++) {
		struct worker *o = &w->workers[(self->id + i) % w->nworkers];
		struct wafer_run *run;
		struct pe *pe;

		if (!o->rq_len)	/* a hint; the pop is under the lock */
			continue;
		pe = rq_pop(o, ahead);
		if (!pe)
			continue;
		run = pe->p->run;
		atomic_fetch_add(&run->charge[self->id].in, 1);
		atomic_fetch_add(&run->charge[o->id].out, 1);
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

/* Nothing to run or steal: sleep until a PE is queued or the pool stops. */
static void worker_sleep(struct worker *wk)
{
	struct wafer *w = wk->w;

	pthread_mutex_lock(&wk->sleep_lock);
	atomic_store(&wk->asleep, true);
	atomic_fetch_add(&w->nasleep, 1);
	if (!any_work(w))
		while (!wk->wake && !atomic_load(&w->stopping))
			pthread_cond_wait(&wk->sleep_cond, &wk->sleep_lock);
	wk->wake = false;
	atomic_fetch_sub(&w->nasleep, 1);
	atomic_store(&wk->asleep, false);
	pthread_mutex_unlock(&wk->sleep_lock);
}

static void *worker_main(void *arg)
{
	struct worker *wk = arg;
	struct wafer *w = wk->w;

	while (!atomic_load(&w->stopping)) {
		struct pe *ahead[RQ_AHEAD];
		struct pe *pe = rq_pop(wk, ahead);

		if (!pe)
			pe = steal(w, wk);
		if (pe) {
			prefetch_pes(ahead);
			pe_handle(wk, pe);
			continue;
		}
		worker_sleep(wk);
	}
	return NULL;
}

static void worker_fini(struct worker *wk)
{
	pthread_cond_destroy(&wk->sleep_cond);
	pthread_mutex_destroy(&wk->sleep_lock);
	pthread_mutex_destroy(&wk->lock);
	free(wk->rq);
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
		pthread_mutex_init(&w->workers[i].sleep_lock, NULL);
		pthread_cond_init(&w->workers[i].sleep_cond, NULL);
	}
	w->nworkers = n;
	for (i = 0; i < n; i++)
		if (pthread_create(&w->workers[i].thread, NULL, worker_main,
				   &w->workers[i]))
			break;
	if (!i) {
		for (i = 0; i < n; i++)
			worker_fini(&w->workers[i]);
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
	for (unsigned int i = 0; i < w->nworkers; i++)
		worker_wake(&w->workers[i]);
	for (unsigned int i = 0; i < w->nworkers; i++)
		pthread_join(w->workers[i].thread, NULL);
	for (unsigned int i = 0; i < w->nworkers; i++)
		worker_fini(&w->workers[i]);
	free(w->workers);
	w->workers = NULL;
	w->nworkers = 0;
	atomic_store(&w->stopping, false);
}
