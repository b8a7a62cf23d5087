// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * stream.c - resident kernels in segments, and the west edge's I/O
 * channels (stream.h says what they model).
 *
 * A segment is a run of the program's PEs that starts from where the last
 * one left them: PEs waiting for data (parked) become runnable again, and
 * queues, registers, task bits and clocks are kept. The next segment
 * starts at the latest modeled time anything of the kernel reached.
 *
 * The channels hook into the fabric in two places (fabric.c). Ingress: a
 * queue fed by the edge carries a struct wafer_chan; every pop from it
 * refills it from the host's data, at the channel's pace and no earlier
 * than the slot was freed, so the consumer's own worker is the only one
 * that ever pushes (the queue has no PE producer: load-time routes say
 * so). Egress: a route leaving PE (0, r) going WEST while the kernel is
 * resident ends in a sink queue of (color, r), which the producer drains
 * as it pushes, one wavelet per channel slot: the slot times are the pop
 * times that give the sender its back-pressure.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "stream.h"
#include "chan-lines.h"

/*
 * Vectorize the ring loops of the closed-form runs (stores of lines,
 * copies): GCC's -O2 "very cheap" cost model gives up on loops whose
 * trip count is not a known multiple of the vector width (vkern.c).
 */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("tree-vectorize", "vect-cost-model=dynamic")
#endif

/* A sink keeps at most this many wavelets for the host; more are dropped. */
#define WAFER_SINK_MAX		(1u << 26)

struct wafer_chan {
	struct wafer_fq q;		/* sinks only: the sink queue */
	bool sink;
	struct wafer_fq *fq;		/* the queue it feeds or drains */
	uint32_t period;		/* cycles between its channel slots */
	uint64_t next_t;		/* earliest time of its next slot */
	/* Ingress: the host's wavelets, how many went into the queue. */
	const uint32_t *val;
	uint32_t *own;			/* val if it is a copy (16-bit data) */
	uint64_t n, done;
	uint64_t head0;			/* queue head when the stream began */
	bool lines;			/* runs in closed form (wafer_stream_bulk()) */
	/* Egress: what left, what the host took of it. */
	uint32_t *out;
	uint64_t nout, cap, taken, dropped;
	/*
	 * A posted receive (wafer_stream_out_post()): out is the host's
	 * buffer, cap its wavelets, and the sink's own buffer waits here.
	 */
	bool posted;
	uint32_t *own_out;
	uint64_t own_cap;
};

struct wafer_resident {
	pthread_mutex_t lock;		/* protects sinks[] creation */
	struct wafer_chan **sinks[WAFER_COLORS];	/* per row, lazily */
	uint64_t now;			/* modeled time the kernel reached */
};

/* Rows of the region that share the channel of row r, and r's turn. */
static uint32_t chan_rows(uint32_t first, uint32_t nrows, uint32_t r,
			  uint32_t *turn)
{
	uint32_t n = 0;

	for (uint32_t i = first; i < first + nrows; i++)
		if (i % WAFER_IO_CHANNELS == r % WAFER_IO_CHANNELS) {
			if (i == r)
				*turn = n;
			n++;
		}
	return n;
}

/* ---- ingress ---- */

/* Push what fits of c's wavelets into its queue; the consumer's thread. */
static void chan_feed(struct wafer_chan *c)
{
	struct wafer_fq *q = c->fq;
	uint64_t tail = atomic_load_explicit(&q->tail, memory_order_relaxed);
	uint64_t head = atomic_load_explicit(&q->head, memory_order_relaxed);

	while (c->done < c->n && tail - head < q->depth) {
		uint32_t s = (uint32_t)tail & q->mask;
		uint64_t t = c->next_t;

		if (tail >= q->depth)
			t = u64_max(t, q->pop[(tail - q->depth) & q->mask] + 1);
		q->val[s] = c->val[c->done++];
		q->arr[s] = t;
		c->next_t = t + c->period;
		tail++;
	}
	atomic_store_explicit(&q->tail, tail, memory_order_release);
}

/* Called by wafer_fq_consume() for queues with a channel. */
void wafer_chan_popped(struct wafer_fq *q)
{
	if (!q->chan->sink)
		chan_feed(q->chan);
}

uint64_t wafer_chan_avail(struct wafer_fq *q)
{
	const struct wafer_chan *c = q->chan;

	if (!c || c->sink)
		return 0;
	return wafer_fq_avail(q) + (c->n - c->done);
}

/*
 * The host's wavelets that the next bulk take of this channel will
 * copy, into the L2 cache (a hint, no effect on what is copied). The
 * edge PEs take a vector each in turn, so the copies read the rows'
 * parts of the host buffer a vector from each in turn: so many streams,
 * each restarted after the others, that the hardware prefetcher keeps
 * none of them up, and the copy runs at half copy mode's speed
 * (16 MiB in 8 KiB vectors over 8 rows: 2 ms against 0.9). Fetched a
 * take ahead, it runs at copy mode's.
 */
static inline void chan_prefetch(const uint32_t *from, uint64_t n)
{
	for (uint64_t i = 0; i < n; i += 16)
		__builtin_prefetch(from + i, 0, 1);
}

/*
 * The bulk take: per wavelet, what a pop of one at its time and the
 * refill after it (chan_feed()) do, in one loop. The refill of a slot
 * reads only the pop time of the wavelet depth places before it, which
 * is known by then, so the arrival times, the values and the queue's
 * state at the end are those of any sequence of smaller pops. Once
 * topped up, the queue is full until the channel runs dry, so each pop
 * makes room for exactly one wavelet of it: that run's times are
 * chan_take_lines()'s (chan-lines.h, in closed form) or, for the tests
 * that compare them, chan_take_loop()'s, and its values are copied apart.
 */
static inline __attribute__((always_inline)) uint32_t
chan_take(struct wafer_fq *q, uint32_t k, uint64_t *clock, void *val,
	  const unsigned int esz)
{
	struct wafer_chan *c = q->chan;
	uint64_t head, tail;
	uint32_t *const qv = q->val;
	uint64_t *const qa = q->arr, *const qp = q->pop;
	const uint64_t depth = q->depth, n = c->n;
	const uint32_t mask = q->mask, period = c->period;
	const uint32_t *const src = c->val;
	uint64_t t = *clock, next_t, done;
	uint32_t j;

	chan_feed(c);
	head = atomic_load_explicit(&q->head, memory_order_relaxed);
	tail = atomic_load_explicit(&q->tail, memory_order_relaxed);
	next_t = c->next_t;
	done = c->done;
	j = 0;
	/*
	 * While the queue is full and the channel has more, the slot a pop
	 * frees (depth places on) was freed by that very pop: its wavelet
	 * arrives at max(the channel's next slot, the pop + 1).
	 */
	if (tail - head == depth) {
		const uint32_t m = n - done < k ? (uint32_t)(n - done) : k;
		const uint32_t *from = src + done;

		/*
		 * The values do not depend on the times: the run takes the
		 * depth waiting in the queue, then the channel's own, and
		 * leaves the last depth of those waiting (one copy each,
		 * host to SRAM for most).
		 */
		const uint32_t q0 = m < depth ? m : (uint32_t)depth;
		const struct chan_rings r = { qa, qp, mask, depth, period };

		ring_out(qv, mask, head, q0, val, esz);
		chan_prefetch(from + m, n - done - m < m ? n - done - m : m);
		if (esz == 4)
			memcpy((uint32_t *)val + q0, from, (size_t)(m - q0) * 4);
		else
			for (uint32_t i = q0; i < m; i++)
				((uint16_t *)val)[i] = (uint16_t)from[i - q0];
		ring_in(qv, mask, head + depth + (m - q0), q0, from + (m - q0));
		if (c->lines)
			chan_take_lines(&r, head, m, &t, &next_t);
		else
			chan_take_loop(&r, head, m, &t, &next_t);
		head += m;
		j = m;
		done += m;
		tail += m;
	}
	for (; j < k && head < tail; j++) {
		const uint32_t s = (uint32_t)head & mask;
		const uint64_t a = qa[s];

		t = t + 1 > a ? t + 1 : a;
		if (esz == 2)
			((uint16_t *)val)[j] = (uint16_t)qv[s];
		else
			((uint32_t *)val)[j] = qv[s];
		qp[s] = t;
		head++;
		if (done < n) {
			const uint32_t ts = (uint32_t)tail & mask;
			uint64_t at = next_t;

			if (tail >= depth) {
				uint64_t f = qp[(uint32_t)(tail - depth) & mask] + 1;

				at = at > f ? at : f;
			}
			qv[ts] = src[done++];
			qa[ts] = at;
			next_t = at + period;
			tail++;
		}
	}
	c->next_t = next_t;
	c->done = done;
	atomic_store_explicit(&q->head, head, memory_order_relaxed);
	atomic_store_explicit(&q->tail, tail, memory_order_release);
	*clock = t;
	return j;
}

uint32_t wafer_chan_take(struct wafer_fq *q, uint32_t k, uint64_t *clock,
			 void *val, unsigned int esz)
{
	/* Two copies of the loop, each with its element size known. */
	if (esz == 2)
		return chan_take(q, k, clock, val, 2);
	return chan_take(q, k, clock, val, 4);
}

/* ---- egress ---- */

/*
 * Back from a posted receive's buffer to the sink's own, with what the
 * host's buffer holds so far (more came than the receive takes, or the
 * receive did not run): false if memory ran out (the sink stays posted,
 * and what does not fit is dropped, as when a sink cannot grow).
 */
static bool sink_unpost(struct wafer_chan *c)
{
	uint64_t cap = c->own_cap;
	uint32_t *own = c->own_out;

	if (!c->posted)
		return true;
	while (cap < c->nout)
		cap = cap ? cap * 2 : 1024;
	if (cap != c->own_cap || !own) {
		if (!cap)
			cap = 1024;
		own = realloc(own, cap * sizeof(*own));
		if (!own)
			return false;
	}
	memcpy(own, c->out, c->nout * sizeof(*own));
	c->out = own;
	c->cap = cap;
	c->own_out = NULL;
	c->own_cap = 0;
	c->posted = false;
	return true;
}

static void __attribute__((noinline)) sink_grow(struct wafer_chan *c, uint32_t v)
{
	uint64_t cap;
	uint32_t *n;

	if (!sink_unpost(c)) {
		c->dropped++;
		return;
	}
	if (c->nout < c->cap) {
		c->out[c->nout++] = v;
		return;
	}
	cap = c->cap ? c->cap * 2 : 1024;
	if (c->nout >= WAFER_SINK_MAX ||
	    !(n = realloc(c->out, cap * sizeof(*n)))) {
		c->dropped++;
		return;
	}
	c->out = n;
	c->cap = cap;
	c->out[c->nout++] = v;
}

static inline void sink_keep(struct wafer_chan *c, uint32_t v)
{
	if (wf_likely(c->nout < c->cap))
		c->out[c->nout++] = v;
	else
		sink_grow(c, v);
}

/* k wavelets at once, as k sink_keep()s: grown, then what fits copied. */
static void sink_append(struct wafer_chan *c, const uint32_t *v, uint32_t k)
{
	uint64_t fit;

	if (c->cap - c->nout < k)
		sink_unpost(c);
	while (!c->posted && c->cap - c->nout < k && c->nout < WAFER_SINK_MAX) {
		uint64_t cap = c->cap ? c->cap * 2 : 1024;
		uint32_t *n = realloc(c->out, cap * sizeof(*n));

		if (!n)
			break;
		c->out = n;
		c->cap = cap;
	}
	fit = c->cap - c->nout < k ? c->cap - c->nout : k;
	if (c->nout + fit > WAFER_SINK_MAX)
		fit = c->nout < WAFER_SINK_MAX ? WAFER_SINK_MAX - c->nout : 0;
	memcpy(c->out + c->nout, v, fit * sizeof(*v));
	c->nout += fit;
	c->dropped += k - fit;
}

/*
 * The sink's next k wavelets' room, for writing (a hint): the edge PEs
 * send a vector each in turn, so the sinks' buffers are written as
 * many streams as rows, which the hardware prefetcher does not keep up
 * with either (chan_prefetch()).
 */
static inline void sink_prefetch(const struct wafer_chan *c, uint32_t k)
{
	const uint64_t at = c->nout + k;
	const uint64_t n = c->cap - at < k ? c->cap - at : k;

	for (uint64_t i = 0; i < n; i += 16)
		__builtin_prefetch(c->out + at + i, 1, 1);
}

uint32_t *wafer_chan_sink_room(struct wafer_fq *q, uint32_t k)
{
	struct wafer_chan *c = q->chan;

	if (c->nout + k > WAFER_SINK_MAX)
		return NULL;
	if (c->cap - c->nout < k && !sink_unpost(c))
		return NULL;
	while (c->cap - c->nout < k) {
		uint64_t cap = c->cap ? c->cap * 2 : 1024;
		uint32_t *n = realloc(c->out, cap * sizeof(*n));

		if (!n)
			return NULL;
		c->out = n;
		c->cap = cap;
	}
	sink_prefetch(c, k);
	return c->out + c->nout;
}

/* Called by wafer_route_deliver() for queues with a channel: drain a sink. */
void wafer_chan_pushed(struct wafer_fq *q)
{
	struct wafer_chan *c = q->chan;
	uint64_t head = atomic_load_explicit(&q->head, memory_order_relaxed);
	uint64_t tail = atomic_load_explicit(&q->tail, memory_order_relaxed);

	if (!c->sink)
		return;
	for (; head < tail; head++) {
		uint32_t s = (uint32_t)head & q->mask;
		uint64_t arr = q->arr[s], t;

		/* Control wavelets steer routers; the host gets data only. */
		t = u64_max(arr & FQ_TIME_MASK, c->next_t);
		if (!(arr & FQ_CTL)) {
			c->next_t = t + c->period;
			sink_keep(c, q->val[s]);
		}
		q->pop[s] = t;
	}
	atomic_store_explicit(&q->head, head, memory_order_release);
}

/*
 * The bulk send: per wavelet, what wafer_route_push() of one at its time
 * and the drain after it do, in one loop. A slot's free time is the
 * drain time of the wavelet depth places before, drained by then, so the
 * times and the sink's state are those of the sends chunk by chunk
 * (chan_send_lines() or chan_send_loop(), chan-lines.h).
 */
enum step wafer_chan_send(struct exec_ctx *x, const struct wafer_route *rt,
			  const uint32_t *val, uint32_t k, uint64_t *clock,
			  uint32_t pc)
{
	struct wafer_fq *q = rt->d[0].q;
	struct wafer_chan *c = q->chan;
	uint64_t tail = atomic_load_explicit(&q->tail, memory_order_relaxed);
	uint64_t *const qp = q->pop;
	const uint64_t depth = q->depth, min_dep = rt->min_dep;
	const uint32_t mask = q->mask, period = c->period, hops = rt->d[0].hops;
	uint64_t t = *clock, next_t = c->next_t, t0;
	const struct chan_rings r = { NULL, qp, mask, depth, period };
	enum step st;

	/* The first departure, for the one-producer rule, as a push checks it. */
	t0 = t + 1;
	if (tail >= depth)
		t0 = u64_max(t0, qp[(uint32_t)(tail - depth) & mask]);
	st = wafer_route_claim(x, rt, u64_max(t0, min_dep), pc);
	if (st != STEP_OK)
		return st;
	if (atomic_load_explicit(&q->prod, memory_order_relaxed) != x->pe)
		atomic_store_explicit(&q->prod, x->pe, memory_order_relaxed);
	if (x->p->chan_no_lines)
		chan_send_loop(&r, tail, k, min_dep, hops, &t, &next_t);
	else
		chan_send_lines(&r, tail, k, min_dep, hops, &t, &next_t);
	tail += k;
	if (val)
		sink_append(c, val, k);
	else
		c->nout += k;	/* written in place (wafer_chan_sink_room()) */
	c->next_t = next_t;
	atomic_store_explicit(&q->tail, tail, memory_order_release);
	atomic_store_explicit(&q->head, tail, memory_order_release);
	*clock = t;
	return STEP_OK;
}

static struct wafer_chan *sink_new(struct wafer_program *p, unsigned int color,
				   uint32_t row)
{
	uint32_t ring = 1, turn = 0;
	struct wafer_chan *c;
	struct wafer_fq *q;

	while (ring < p->queue_depth)
		ring <<= 1;
	c = aligned_alloc(64, sizeof(*c));
	if (!c)
		return NULL;
	memset(c, 0, sizeof(*c));
	q = &c->q;
	q->val = malloc(ring * (sizeof(uint32_t) + 2 * sizeof(uint64_t)) + 8);
	if (!q->val) {
		free(c);
		return NULL;
	}
	q->arr = (uint64_t *)(q->val + ring + (ring & 1));
	q->pop = q->arr + ring;
	/* Only the lock stripe follows from the key of a queue of its own. */
	q->key = row;
	atomic_init(&q->ready, true);
	atomic_init(&q->need, T_INF);
	q->depth = p->queue_depth;
	q->mask = ring - 1;
	q->color = (uint8_t)color;
	/* Only PE (0, row) sends off the edge: it is the one woken, and the
	 * one-producer rule holds as for a merging router. */
	q->cons = &p->pes[row * p->region.w];
	q->merged = 1;
	q->chan = c;
	c->sink = true;
	c->fq = q;
	c->period = chan_rows(0, p->region.h, row, &turn);
	c->next_t = 0;
	if (p->nspare) {
		const struct wafer_spare *sp = &p->spare[--p->nspare];

		c->out = sp->buf;
		c->cap = sp->cap;
	}
	return c;
}

/*
 * A sink's buffer goes to p's spares if there is room (the largest are
 * kept): a kernel that streams out again, resident anew after a stop,
 * writes into pages already mapped instead of faulting in as many again
 * (half of a round trip's time on sim:16x12).
 */
static void sink_spare(struct wafer_program *p, struct wafer_chan *c)
{
	uint32_t small = 0;

	if (!c->out)
		return;
	if (p && p->nspare < WAFER_SPARE_SINKS) {
		p->spare[p->nspare++] = (struct wafer_spare){ c->out, c->cap };
		c->out = NULL;
		return;
	}
	for (uint32_t i = 1; p && i < p->nspare; i++)
		if (p->spare[i].cap < p->spare[small].cap)
			small = i;
	if (p && p->spare[small].cap < c->cap) {
		free(p->spare[small].buf);
		p->spare[small] = (struct wafer_spare){ c->out, c->cap };
		c->out = NULL;
		return;
	}
	free(c->out);
	c->out = NULL;
}

static void chan_free(struct wafer_program *p, struct wafer_chan *c)
{
	if (!c)
		return;
	if (c->sink) {
		free(c->q.val);
		if (c->posted) {
			/* The host's buffer is not the sink's to keep. */
			c->out = c->own_out;
			c->cap = c->own_cap;
			c->posted = false;
		}
		sink_spare(p, c);
	}
	free(c->own);
	free(c);
}

static void spares_free(struct wafer_program *p)
{
	for (uint32_t i = 0; i < p->nspare; i++)
		free(p->spare[i].buf);
	p->nspare = 0;
}

static void fq_chan_free(struct wafer_fq *q, void *arg)
{
	if (q->chan) {
		chan_free(arg, q->chan);
		q->chan = NULL;
	}
}

/* A new segment: no consumer waits on a horizon yet. */
static void fq_unwait(struct wafer_fq *q, void *arg)
{
	atomic_store_explicit(&q->need, T_INF, memory_order_relaxed);
}

/*
 * The sink of a route leaving PE (0, row) going WEST on color, or NULL if
 * the kernel is not resident (then it is the UNROUTED fault it always
 * was) or memory ran out. Called by the route walk on any worker.
 */
struct wafer_fq *wafer_stream_sink(struct wafer_program *p, unsigned int color,
				   uint32_t row)
{
	struct wafer_resident *res = p->res;
	struct wafer_chan *c;

	if (!res)
		return NULL;
	pthread_mutex_lock(&res->lock);
	if (!res->sinks[color])
		res->sinks[color] = calloc(p->region.h, sizeof(*res->sinks[color]));
	c = res->sinks[color] ? res->sinks[color][row] : NULL;
	if (res->sinks[color] && !c) {
		c = sink_new(p, color, row);
		res->sinks[color][row] = c;
	}
	pthread_mutex_unlock(&res->lock);
	return c ? &c->q : NULL;
}

/* ---- segments ---- */

static uint64_t prog_now(const struct wafer_program *p)
{
	uint64_t now = 0;

	for (uint32_t i = 0; i < p->npes; i++)
		if (p->pes[i].main != MAIN_OFF)
			now = u64_max(now, u64_max(p->pes[i].clock, p->pes[i].end));
	return now;
}

struct seg_totals {
	uint64_t insns, wavelets, dropped;
};

static void seg_totals(const struct wafer_program *p, struct seg_totals *t)
{
	memset(t, 0, sizeof(*t));
	for (uint32_t i = 0; i < p->npes; i++)
		if (p->pes[i].main != MAIN_OFF)
			t->insns += p->pes[i].icount;
	wafer_fqs_count(p, &t->wavelets, &t->dropped);
}

typedef int (*seg_prep_fn)(struct wafer_program *p, void *arg, uint64_t t0,
			   struct wafer_fault *fault);

/* Make a PE of the kernel take part again; false if it cannot. */
static void pe_resume(struct pe *pe)
{
	pe->next_event = T_INF;
	pe->decide_wait = 0;
	atomic_store_explicit(&pe->horizon, 0, memory_order_relaxed);
	atomic_store_explicit(&pe->sched, PE_RUNNABLE, memory_order_relaxed);
}

/*
 * Run one segment: prep (which may start tasks and feed queues) runs
 * once the region is ours, then every PE that waited runs until the
 * kernel is quiet again.
 */
static int segment_run(struct wafer_program *p, seg_prep_fn prep, void *arg,
		       struct wafer_run_stats *stats, struct wafer_fault *fault)
{
	struct wafer_resident *res = p->res;
	struct wafer *w = p->w;
	struct seg_totals before, after;
	struct wafer_run *run;
	uint32_t nlive = 0;
	uint64_t t0, ft;
	int ret;

	memset(stats, 0, sizeof(*stats));
	run = wafer_run_alloc(p);
	if (!run)
		return wafer_fault_set(fault, WAFER_ERR_NOMEM,
				       "out of memory for a kernel segment");

	pthread_mutex_lock(&w->lock);
	ret = atomic_load(&p->cancelled) ? -ECANCELED :
	      p->run ? -EBUSY : wafer_pool_start_locked(w);
	if (ret) {
		pthread_mutex_unlock(&w->lock);
		ret = wafer_fault_set(fault, ret == -ECANCELED ? WAFER_ERR_CANCELLED :
				      ret == -EBUSY ? WAFER_ERR_BAD_REGION :
				      WAFER_ERR_NOMEM,
				      "PE (0,0) pc 0x0: the resident kernel cannot run (%s)",
				      ret == -ECANCELED ? "cancelled" :
				      ret == -EBUSY ? "already running" : "no threads");
		goto out_free;
	}
	run->next = w->runs;
	w->runs = run;
	p->run = run;
	pthread_mutex_unlock(&w->lock);

	t0 = res->now;
	seg_totals(p, &before);
	wafer_fqs_each(p, fq_unwait, NULL);
	ret = prep ? prep(p, arg, t0, fault) : 0;
	for (uint32_t i = 0; !ret && i < p->npes; i++) {
		struct pe *pe = &p->pes[i];
		uint32_t s = atomic_load_explicit(&pe->sched, memory_order_relaxed);

		if (s == PE_PARKED || s == PE_RUNNABLE) {
			pe_resume(pe);
			nlive++;
		}
	}
	pthread_mutex_lock(&run->lock);
	if (ret) {
		nlive = 0;
		run->fault = *fault;
	}
	atomic_store(&run->live, nlive);
	run->started_pes = nlive;
	run->started = true;
	if (!nlive)
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
	wafer_run_drain(run);

	seg_totals(p, &after);
	res->now = u64_max(t0, prog_now(p));
	stats->cycles = res->now - t0;
	ft = atomic_load(&run->fault_time);
	if (run->fault.status != WAFER_OK &&
	    run->fault.status != WAFER_ERR_CANCELLED && ft != T_INF)
		stats->cycles = ft > t0 ? ft - t0 : 0;
	stats->instructions = after.insns - before.insns;
	stats->wavelets = after.wavelets - before.wavelets;
	stats->wavelets_dropped = after.dropped;
	stats->global_stalls = run->stalls;
	if (ret)
		goto out_free;
	*fault = run->fault;
	if (fault->status == WAFER_ERR_CANCELLED && !fault->msg[0])
		snprintf(fault->msg, sizeof(fault->msg),
			 "PE (0,0) pc 0x0: resident kernel cancelled by the host");
	ret = wafer_status_errno(fault->status);
out_free:
	wafer_run_free(run);
	return ret;
}

/* ---- the operations ---- */

static void resident_free(struct wafer_program *p)
{
	struct wafer_resident *res = p->res;

	if (!res)
		return;
	for (unsigned int c = 0; c < WAFER_COLORS; c++) {
		if (!res->sinks[c])
			continue;
		/* Cached routes may end in the sinks: walk them again. */
		if (p->out[c])
			for (uint32_t i = 0; i < p->npes; i++) {
				free(p->out[c][i]);
				p->out[c][i] = NULL;
			}
		for (uint32_t r = 0; r < p->region.h; r++)
			chan_free(p, res->sinks[c][r]);
		free(res->sinks[c]);
	}
	wafer_fqs_each(p, fq_chan_free, p);
	pthread_mutex_destroy(&res->lock);
	free(res);
	p->res = NULL;
}

void wafer_resident_free(struct wafer_program *p)
{
	resident_free(p);
	spares_free(p);
}

void wafer_resident_stop(struct wafer_program *p)
{
	if (p)
		resident_free(p);
}

void wafer_stream_bulk(struct wafer_program *p, int mode)
{
	if (p) {
		p->chan_per_pop = mode == WAFER_STREAM_PER_POP;
		p->chan_no_lines = mode == WAFER_STREAM_BULK_LOOP;
	}
}

int wafer_resident_active(const struct wafer_program *p)
{
	return p && p->res;
}

/* After a failed segment the kernel is gone, except for stream timeouts. */
static int segment_end(struct wafer_program *p, int ret,
		       const struct wafer_fault *fault)
{
	if (ret && fault->status != WAFER_ERR_STREAM_TIMEOUT &&
	    fault->status != WAFER_ERR_INVALID)
		resident_free(p);
	return ret;
}

int wafer_resident_launch(struct wafer_program *p, uint32_t sym_index,
			  const uint32_t *args, unsigned int nargs,
			  struct wafer_run_stats *stats,
			  struct wafer_fault *fault)
{
	struct wafer_run_stats st_local;
	struct wafer_fault f_local;
	struct wafer_resident *res;
	int ret;

	if (!stats)
		stats = &st_local;
	if (!fault)
		fault = &f_local;
	if (!p)
		return wafer_fault_set(fault, WAFER_ERR_INVALID,
				       "resident launch without a program");
	resident_free(p);
	res = calloc(1, sizeof(*res));
	if (!res)
		return wafer_fault_set(fault, WAFER_ERR_NOMEM,
				       "out of memory for a resident kernel");
	pthread_mutex_init(&res->lock, NULL);
	p->res = res;
	ret = wafer_launch(p, sym_index, args, nargs, stats, fault);
	if (ret) {
		resident_free(p);
		return ret;
	}
	res->now = prog_now(p);
	return 0;
}

static int stream_check(struct wafer_program *p, unsigned int color,
			unsigned int edge, uint32_t y, uint32_t h,
			unsigned int elem_bytes, uint64_t n,
			struct wafer_fault *f)
{
	if (!p || !p->res)
		return wafer_fault_set(f, WAFER_ERR_INVALID,
				       "no resident kernel to stream to or from");
	if (color >= WAFER_COLORS)
		return wafer_fault_set(f, WAFER_ERR_INVALID,
				       "stream on color %u (colors are 0..%u)",
				       color, WAFER_COLORS - 1);
	if (edge != WAFER_EDGE_WEST)
		return wafer_fault_set(f, WAFER_ERR_INVALID,
				       "stream on edge %u: only the west edge (0) has I/O channels",
				       edge);
	if (!h || y >= p->region.h || h > p->region.h - y)
		return wafer_fault_set(f, WAFER_ERR_INVALID,
				       "stream rows %u..%u are not rows of the %u-row region",
				       y, y + h - 1, p->region.h);
	if (elem_bytes != 2 && elem_bytes != 4)
		return wafer_fault_set(f, WAFER_ERR_INVALID,
				       "stream of %u-byte elements (2 or 4)",
				       elem_bytes);
	if (!n || n % h)
		return wafer_fault_set(f, WAFER_ERR_INVALID,
				       "stream of %llu elements over %u rows (a non-zero multiple)",
				       (unsigned long long)n, h);
	return 0;
}

struct in_arg {
	unsigned int color;
	uint32_t y, h;
	unsigned int elem_bytes;
	const void *buf;
	uint64_t per;
};

/* The input queue of router idx on color, made on first use (fq.c). */
static struct wafer_fq *rx_queue(struct wafer_program *p, unsigned int color,
				 uint32_t idx)
{
	if (!wafer_has_rxq(p, idx, color))
		return NULL;
	return wafer_fq_at(p, p->qbase[color] + idx);
}

/*
 * A posted receive whose buffer overlaps the host data of the stream
 * about to run could be written before the channel reads it (a kernel
 * that sends more than it takes): such posts end first, so the stream
 * reads what it reads without them. -ENOMEM if one cannot.
 */
static int unpost_overlap(struct wafer_program *p, const void *buf, uint64_t len)
{
	const uint8_t *lo = buf, *hi = lo + len;
	struct wafer_resident *res = p->res;

	for (unsigned int col = 0; col < WAFER_COLORS; col++) {
		for (uint32_t r = 0; res->sinks[col] && r < p->region.h; r++) {
			struct wafer_chan *c = res->sinks[col][r];

			if (c && c->posted && (const uint8_t *)c->out < hi &&
			    (const uint8_t *)(c->out + c->cap) > lo && !sink_unpost(c))
				return -ENOMEM;
		}
	}
	return 0;
}

static int in_prep(struct wafer_program *p, void *arg, uint64_t t0,
		   struct wafer_fault *f)
{
	struct in_arg *a = arg;
	const struct color_fabric *cf = &p->fab[a->color];

	if (unpost_overlap(p, a->buf, a->h * a->per * a->elem_bytes))
		return wafer_fault_set(f, WAFER_ERR_NOMEM,
				       "out of memory for a stream");

	for (uint32_t r = a->y; r < a->y + a->h; r++) {
		uint32_t idx = r * p->region.w;
		struct wafer_fq *q = rx_queue(p, a->color, idx);
		const struct rt_cfg *rc = cf->cfgs ? wafer_rt_cfg(cf, idx) : NULL;
		const struct fq_prod *pr;
		bool west = false;
		uint32_t nprod;

		for (unsigned int k = 0; rc && k < rc->npos; k++)
			west |= (rc->rx[k] & WAFER_PORT_WEST) &&
				(rc->tx[k] & WAFER_PORT_RAMP);
		if (!q || !west)
			return wafer_fault_set(f, WAFER_ERR_INVALID,
					       "stream-in on color %u: the router of PE (0,%u) does not take it from WEST to RAMP",
					       a->color, r);
		if (wafer_horizons_ensure(p))
			return wafer_fault_set(f, WAFER_ERR_NOMEM,
					       "out of memory for the queues' producer tables");
		pr = wafer_fq_prods(p, q, &nprod);
		if (nprod)
			return wafer_fault_set(f, WAFER_ERR_INVALID,
					       "stream-in on color %u: PE (0,%u)'s queue is fed by PE (%u,%u) too",
					       a->color, r, pr->pe % p->region.w,
					       pr->pe / p->region.w);
		if (!wafer_fq_ring(q))
			return wafer_fault_set(f, WAFER_ERR_NOMEM,
					       "out of memory for a stream");
	}
	for (uint32_t r = a->y; r < a->y + a->h; r++) {
		struct wafer_fq *q = rx_queue(p, a->color, r * p->region.w);
		struct wafer_chan *c = calloc(1, sizeof(*c));
		const uint8_t *src = (const uint8_t *)a->buf +
				     (uint64_t)(r - a->y) * a->per * a->elem_bytes;
		uint32_t turn = 0;

		/*
		 * 32-bit wavelets come straight from the host's buffer,
		 * which outlives the segment; 16-bit ones (and a buffer
		 * not 4-byte aligned) are widened into a copy.
		 */
		if (c && (a->elem_bytes == 2 || ((uintptr_t)src & 3)))
			c->own = malloc(a->per * sizeof(uint32_t));
		if (!c || (!c->own && (a->elem_bytes == 2 || ((uintptr_t)src & 3)))) {
			chan_free(p, c);
			return wafer_fault_set(f, WAFER_ERR_NOMEM,
					       "out of memory for a stream");
		}
		if (c->own) {
			for (uint64_t j = 0; j < a->per; j++) {
				if (a->elem_bytes == 2) {
					uint16_t v;

					memcpy(&v, src + j * 2, 2);
					c->own[j] = v;
				} else {
					memcpy(&c->own[j], src + j * 4, 4);
				}
			}
			c->val = c->own;
		} else {
			c->val = (const uint32_t *)src;
		}
		c->fq = q;
		c->n = a->per;
		c->period = chan_rows(a->y, a->h, r, &turn);
		c->next_t = t0 + 1 + turn;
		c->head0 = atomic_load(&q->head);
		c->lines = !p->chan_no_lines;
		q->chan = c;
		chan_feed(c);
	}
	return 0;
}

int wafer_stream_in(struct wafer_program *p, unsigned int color,
		    unsigned int edge, uint32_t y, uint32_t h,
		    unsigned int elem_bytes, const void *buf, uint64_t n,
		    struct wafer_run_stats *stats, struct wafer_fault *fault)
{
	struct in_arg a = { color, y, h, elem_bytes, buf, n / (h ? h : 1) };
	struct wafer_run_stats st_local;
	struct wafer_fault f_local;
	int ret;

	if (!stats)
		stats = &st_local;
	if (!fault)
		fault = &f_local;
	memset(stats, 0, sizeof(*stats));
	memset(fault, 0, sizeof(*fault));
	ret = stream_check(p, color, edge, y, h, elem_bytes, n, fault);
	if (!ret && !buf)
		ret = wafer_fault_set(fault, WAFER_ERR_INVALID, "stream-in without data");
	if (ret)
		return ret;
	ret = segment_run(p, in_prep, &a, stats, fault);
	if (!p->res)
		return ret;
	for (uint32_t r = y; r < y + h; r++) {
		struct wafer_fq *q = rx_queue(p, color, r * p->region.w);
		struct wafer_chan *c = q ? q->chan : NULL;
		uint64_t took;

		if (!c)
			continue;
		took = atomic_load(&q->head) - c->head0;
		if (!ret && c->done < c->n)
			ret = wafer_fault_set(fault, WAFER_ERR_STREAM_TIMEOUT,
					      "PE (0,%u) pc 0x%x: stream-in on color %u: the PE took %llu of %llu wavelets before the kernel went quiet",
					      r, p->pes[r * p->region.w].pc, color,
					      (unsigned long long)(took < c->n ? took : c->n),
					      (unsigned long long)c->n);
		if (ret && fault->status == WAFER_ERR_STREAM_TIMEOUT && !fault->pe_y &&
		    !fault->pe_x && !fault->pc) {
			fault->pe_x = 0;
			fault->pe_y = r;
			fault->pc = p->pes[r * p->region.w].pc;
		}
		q->chan = NULL;
		chan_free(p, c);
	}
	return segment_end(p, ret, fault);
}

int wafer_stream_out(struct wafer_program *p, unsigned int color,
		     unsigned int edge, uint32_t y, uint32_t h,
		     unsigned int elem_bytes, void *buf, uint64_t n,
		     struct wafer_run_stats *stats, struct wafer_fault *fault)
{
	struct wafer_run_stats st_local;
	struct wafer_fault f_local;
	struct wafer_resident *res;
	uint64_t per;
	int ret;

	if (!stats)
		stats = &st_local;
	if (!fault)
		fault = &f_local;
	memset(stats, 0, sizeof(*stats));
	memset(fault, 0, sizeof(*fault));
	ret = stream_check(p, color, edge, y, h, elem_bytes, n, fault);
	if (!ret && !buf)
		ret = wafer_fault_set(fault, WAFER_ERR_INVALID, "stream-out without a buffer");
	if (ret)
		return ret;
	res = p->res;
	per = n / h;
	for (uint32_t r = y; r < y + h; r++) {
		struct wafer_chan *c = res->sinks[color] ? res->sinks[color][r] : NULL;
		uint64_t have = c ? c->nout - c->taken : 0;

		if (have < per) {
			ret = wafer_fault_set(fault, WAFER_ERR_STREAM_TIMEOUT,
					      "PE (0,%u) pc 0x%x: stream-out on color %u: %llu of %llu wavelets left the row going west before the kernel went quiet",
					      r, p->pes[r * p->region.w].pc, color,
					      (unsigned long long)have,
					      (unsigned long long)per);
			fault->pe_y = r;
			fault->pc = p->pes[r * p->region.w].pc;
			return ret;
		}
	}
	for (uint32_t r = y; r < y + h; r++) {
		struct wafer_chan *c = res->sinks[color][r];
		uint8_t *dst = (uint8_t *)buf + (uint64_t)(r - y) * per * elem_bytes;

		if (elem_bytes == 4) {
			/* A posted receive's wavelets are in place already. */
			if ((uint8_t *)(c->out + c->taken) != dst)
				memcpy(dst, c->out + c->taken, per * 4);
		} else {
			for (uint64_t j = 0; j < per; j++) {
				uint16_t h16 = (uint16_t)c->out[c->taken + j];

				memcpy(dst + j * 2, &h16, 2);
			}
		}
		c->taken += per;
		if (c->taken == c->nout)
			c->taken = c->nout = 0;
		if (c->posted && !c->nout) {
			c->out = c->own_out;
			c->cap = c->own_cap;
			c->own_out = NULL;
			c->own_cap = 0;
			c->posted = false;
		} else if (c->posted) {
			sink_unpost(c);
		}
	}
	return 0;
}

int wafer_stream_out_post(struct wafer_program *p, unsigned int color,
			  unsigned int edge, uint32_t y, uint32_t h,
			  unsigned int elem_bytes, void *buf, uint64_t n,
			  struct wafer_fault *fault)
{
	struct wafer_fault f_local;
	uint64_t per;
	int ret;

	if (!fault)
		fault = &f_local;
	memset(fault, 0, sizeof(*fault));
	ret = stream_check(p, color, edge, y, h, elem_bytes, n, fault);
	if (ret)
		return ret;
	per = n / h;
	/* Sinks hold 32-bit wavelets: 16-bit ones are narrowed at the receive. */
	if (elem_bytes != 4 || !buf || ((uintptr_t)buf & 3))
		return 0;
	for (uint32_t r = y; r < y + h; r++) {
		struct wafer_fq *q = wafer_stream_sink(p, color, r);
		struct wafer_chan *c = q ? q->chan : NULL;

		/* Only an empty sink: a receive takes what waited first. */
		if (!c || c->posted || c->nout)
			continue;
		c->own_out = c->out;
		c->own_cap = c->cap;
		c->out = (uint32_t *)buf + (uint64_t)(r - y) * per;
		c->cap = per;
		c->posted = true;
	}
	return 0;
}

void wafer_stream_out_unpost(struct wafer_program *p, unsigned int color)
{
	struct wafer_resident *res = p ? p->res : NULL;

	if (!res || color >= WAFER_COLORS || !res->sinks[color])
		return;
	for (uint32_t r = 0; r < p->region.h; r++) {
		struct wafer_chan *c = res->sinks[color][r];

		if (!c || sink_unpost(c))
			continue;
		/* No memory to keep them: dropped, as a sink that cannot grow. */
		c->dropped += c->nout - c->taken;
		c->out = c->own_out;
		c->cap = c->own_cap;
		c->own_out = NULL;
		c->own_cap = 0;
		c->nout = c->taken = 0;
		c->posted = false;
	}
}

struct call_arg {
	uint32_t fn;
	const uint32_t *args;
	unsigned int nargs;
	int first;		/* PE index of the return value, or -1 */
};

static int call_prep(struct wafer_program *p, void *arg, uint64_t t0,
		     struct wafer_fault *f)
{
	struct call_arg *a = arg;
	const struct wafer_sym *sym = &p->syms[a->fn];

	a->first = -1;
	for (int pass = 0; pass < 2; pass++) {
		for (uint32_t i = 0; i < p->npes; i++) {
			struct pe *pe = &p->pes[i];
			const struct group_tasks *gt;
			uint32_t g, entry;

			if (pe->rect >= p->nrects)
				continue;
			g = p->rects[pe->rect].group;
			entry = sym->entry[g];
			if (entry == WAFER_NO_ENTRY)
				continue;
			if (!pass) {
				if (pe->main == MAIN_HALT || pe->main == MAIN_RUN)
					return wafer_fault_set(f, WAFER_ERR_INVALID,
							       "PE (%u,%u) pc 0x%x: call of %s while the PE %s",
							       pe_x(p, pe), pe_y(p, pe), pe->pc,
							       sym->name, pe->main == MAIN_HALT ?
							       "has halted" : "is inside a task");
				continue;
			}
			gt = p->tasks ? p->tasks[g] : NULL;
			if (pe->main == MAIN_OFF) {
				/* Not part of the kernel so far: starts fresh. */
				memset(pe->r, 0, sizeof(pe->r));
				if (pe->v)
					memset(pe->v->d, 0, sizeof(pe->v->d));
				if (gt && !pe->fl && !(pe->fl = calloc(1, sizeof(*pe->fl))))
					return wafer_fault_set(f, WAFER_ERR_NOMEM,
							       "out of memory for a call");
				if (pe->fl)
					wafer_tasks_reset(pe, gt);
				pe->gt = gt;
				pe->code = p->code[g];
				pe->icount = pe->bused = 0;
				pe->end = t0;
				pe->clock = t0;
				pe->idle_lb = 0;
			}
			if (a->first < 0)
				a->first = (int)i;
			for (unsigned int k = 0; k < a->nargs; k++)
				pe->r[1 + k] = a->args[k];
			pe->clock = u64_max(pe->clock, t0);
			pe->main = MAIN_RUN;
			pe->pc = entry;
			pe->cur_task = TASK_ENTRY;
			pe->inprog = 0;
			pe->prefix = 0;
			pe->wait_kind = W_NONE;
			pe->wait_ut = 0;
			atomic_store_explicit(&pe->sched, PE_RUNNABLE,
					      memory_order_relaxed);
		}
	}
	return 0;
}

int wafer_resident_call(struct wafer_program *p, uint32_t sym_index,
			const uint32_t *args, unsigned int nargs,
			uint32_t *ret_val, struct wafer_run_stats *stats,
			struct wafer_fault *fault)
{
	struct call_arg a = { sym_index, args, nargs, -1 };
	struct wafer_run_stats st_local;
	struct wafer_fault f_local;
	int ret;

	if (!stats)
		stats = &st_local;
	if (!fault)
		fault = &f_local;
	memset(stats, 0, sizeof(*stats));
	memset(fault, 0, sizeof(*fault));
	if (!p || !p->res)
		return wafer_fault_set(fault, WAFER_ERR_INVALID,
				       "call without a resident kernel");
	if ((nargs && !args) || nargs > WAFER_MAX_ARGS)
		return wafer_fault_set(fault, WAFER_ERR_INVALID,
				       "call with %u arguments (at most %u)", nargs,
				       WAFER_MAX_ARGS);
	if (sym_index >= p->nsyms || p->syms[sym_index].kind != WAFER_SYM_FUNCTION)
		return wafer_fault_set(fault, WAFER_ERR_NO_FUNCTION,
				       "symbol %u is not a function of the program",
				       sym_index);
	ret = segment_run(p, call_prep, &a, stats, fault);
	if (ret_val)
		*ret_val = a.first >= 0 ? p->pes[a.first].r[1] : 0;
	if (!ret && a.first < 0)
		ret = wafer_fault_set(fault, WAFER_ERR_NO_FUNCTION,
				      "no PE of the program defines %s",
				      p->syms[sym_index].name);
	return segment_end(p, ret, fault);
}
