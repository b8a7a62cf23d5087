// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * horizon.c - the lookahead PEs give each other.
 *
 * Every PE of a run publishes a horizon: a lower bound of the departure
 * time of any wavelet it may still send, on any color (pe.c computes it
 * at the end of each slice; it never decreases). A queue's horizon is the
 * least, over the PEs that could ever feed it, of their horizon plus the
 * fewest hops from them: no wavelet not yet in the queue can arrive
 * earlier. Task selection (task.c) waits on these.
 *
 * Who could feed a queue is known statically: a walk from every router
 * that accepts RAMP in some position, through every position of every
 * router it reaches, lists each queue's producers with their hop counts,
 * and each PE's queues downstream (to wake their consumers when its
 * horizon crosses what they wait for).
 *
 * The walk is done when a run first needs it (a task choice or a BLOCK
 * waiting on horizons: wafer_horizons_ensure()), not at load: on a full
 * wafer with 24 colors broadcast along the rows it lists 21.5 million
 * producers, seconds and 400 MiB that a program without tasks never
 * uses. The tables are a function of the program alone, so when they are
 * built changes no result. A publisher reads them only once hz_ready
 * says they exist; before that nobody can wait on a horizon, and a PE
 * that starts to wait builds them first (both sides seq_cst, below).
 *
 * Publishing is one store, then a look at the thresholds of the queues
 * the PE may feed (wafer_fq.need, on the consumer's side of each queue):
 * no count of waiters shared by the run, which every worker would write.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct edge {
	uint32_t q, prod, hops;
};

struct hwalk {
	struct edge *e;
	size_t ne, ecap;
	struct { uint32_t idx, hops, in; } *st;
	size_t nst, scap, head;	/* a FIFO: breadth first, fewest hops */
	uint32_t *stamp;	/* walk number that saw the PE */
	uint8_t *seen;		/* ports it was entered by in that walk */
	uint32_t gen;
};

static uint8_t port_opposite(uint8_t port)
{
	switch (port) {
	case WAFER_PORT_NORTH:
		return WAFER_PORT_SOUTH;
	case WAFER_PORT_SOUTH:
		return WAFER_PORT_NORTH;
	case WAFER_PORT_EAST:
		return WAFER_PORT_WEST;
	default:
		return WAFER_PORT_EAST;
	}
}

static int push_item(struct hwalk *h, uint32_t idx, uint32_t hops, uint32_t in)
{
	if (h->nst == h->scap) {
		size_t cap = h->scap ? 2 * h->scap : 64;
		void *n = realloc(h->st, cap * sizeof(*h->st));

		if (!n)
			return -ENOMEM;
		h->st = n;
		h->scap = cap;
	}
	h->st[h->nst].idx = idx;
	h->st[h->nst].hops = hops;
	h->st[h->nst].in = in;
	h->nst++;
	return 0;
}

static int add_edge(struct hwalk *h, uint32_t q, uint32_t prod, uint32_t hops)
{
	if (h->ne == h->ecap) {
		size_t cap = h->ecap ? 2 * h->ecap : 256;
		void *n = realloc(h->e, cap * sizeof(*h->e));

		if (!n)
			return -ENOMEM;
		h->e = n;
		h->ecap = cap;
	}
	h->e[h->ne++] = (struct edge){ q, prod, hops };
	return 0;
}

/* Every queue color c from src's RAMP can reach, in any switch position. */
static int walk_from(struct wafer_program *p, struct hwalk *h, unsigned int c,
		     uint32_t src)
{
	const struct color_fabric *cf = &p->fab[c];
	uint32_t W = p->region.w, H = p->region.h;
	int ret;

	h->gen++;
	h->nst = h->head = 0;
	ret = push_item(h, src, 1, WAFER_PORT_RAMP);
	while (!ret && h->head < h->nst) {
		uint32_t idx = h->st[h->head].idx, hops = h->st[h->head].hops;
		uint32_t in = h->st[h->head].in, x = idx % W, y = idx / W;
		const struct rt_cfg *rc = wafer_rt_cfg(cf, idx);
		uint8_t tx = 0;

		h->head++;
		if (h->stamp[idx] != h->gen) {
			h->stamp[idx] = h->gen;
			h->seen[idx] = 0;
		}
		if (h->seen[idx] & in)
			continue;
		h->seen[idx] |= (uint8_t)in;
		for (unsigned int k = 0; k < rc->npos; k++)
			if (rc->rx[k] & in)
				tx |= rc->tx[k];
		if ((tx & WAFER_PORT_RAMP) && wafer_has_rxq(p, idx, c))
			ret = add_edge(h, p->qbase[c] + idx, src, hops);
		for (uint8_t port = WAFER_PORT_NORTH; !ret && port <= WAFER_PORT_WEST;
		     port <<= 1) {
			uint32_t nx = x, ny = y;

			if (!(tx & port))
				continue;
			if ((port == WAFER_PORT_NORTH && y == 0) ||
			    (port == WAFER_PORT_SOUTH && y == H - 1) ||
			    (port == WAFER_PORT_WEST && x == 0) ||
			    (port == WAFER_PORT_EAST && x == W - 1))
				continue;	/* a fault if it is ever sent */
			if (port == WAFER_PORT_NORTH)
				ny--;
			else if (port == WAFER_PORT_SOUTH)
				ny++;
			else if (port == WAFER_PORT_EAST)
				nx++;
			else
				nx--;
			ret = push_item(h, ny * W + nx, hops + 1,
					port_opposite(port));
		}
	}
	return ret;
}

static int horizons_build(struct wafer_program *p)
{
	struct hwalk h = { 0 };
	size_t n = 0;
	int ret = 0;

	h.stamp = calloc(p->npes ? p->npes : 1, sizeof(*h.stamp));
	h.seen = calloc(p->npes ? p->npes : 1, 1);
	if (!h.stamp || !h.seen) {
		ret = -ENOMEM;
		goto out;
	}
	for (unsigned int c = 0; c < WAFER_COLORS && !ret; c++) {
		const struct color_fabric *cf = &p->fab[c];

		if (!cf->cfgs)
			continue;
		for (uint32_t i = 0; i < p->npes && !ret; i++) {
			const struct rt_cfg *rc = wafer_rt_cfg(cf, i);
			bool sends = false;

			for (unsigned int k = 0; k < rc->npos; k++)
				sends |= rc->rx[k] & WAFER_PORT_RAMP;
			if (sends)
				ret = walk_from(p, &h, c, i);
		}
	}
	if (ret)
		goto out;

	/*
	 * Per queue: its producers, each with its fewest hops, as a CSR
	 * over queue keys, placed straight from the edges (a counting
	 * sort, stable). The walks emit edges by color, producer, then
	 * hops (breadth first), so within a queue they come by producer,
	 * the first of each producer with its fewest hops.
	 */
	p->qprod = calloc((size_t)p->nqkeys + 1, sizeof(*p->qprod));
	p->prods = malloc((h.ne ? h.ne : 1) * sizeof(*p->prods));
	if (!p->qprod || !p->prods) {
		ret = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < h.ne; i++)
		p->qprod[h.e[i].q + 1]++;
	for (uint32_t k = 0; k < p->nqkeys; k++)
		p->qprod[k + 1] += p->qprod[k];
	/* qprod[k] is the fill cursor of queue k, then the start of k + 1. */
	for (size_t i = 0; i < h.ne; i++)
		p->prods[p->qprod[h.e[i].q]++] =
			(struct fq_prod){ h.e[i].prod, h.e[i].hops };
	free(h.e);
	h.e = NULL;
	/* Back to starts, keeping each queue's first edge per producer. */
	for (uint32_t k = 0, from = 0; k < p->nqkeys; k++) {
		uint32_t end = p->qprod[k], first = (uint32_t)n;

		for (uint32_t j = from; j < end; j++)
			if (n == first || p->prods[n - 1].pe != p->prods[j].pe)
				p->prods[n++] = p->prods[j];
		p->qprod[k] = first;
		from = end;
	}
	p->qprod[p->nqkeys] = (uint32_t)n;

	/* Per PE: the queues it may feed, by key (the same counting). */
	p->cons = malloc((n ? n : 1) * sizeof(*p->cons));
	if (!p->cons) {
		ret = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		p->pes[p->prods[i].pe].ncons++;
	for (uint32_t i = 0, sum = 0; i < p->npes; i++) {
		p->pes[i].cons_first = sum;
		sum += p->pes[i].ncons;
		p->pes[i].ncons = 0;
	}
	for (uint32_t k = 0; k < p->nqkeys; k++) {
		for (uint32_t j = p->qprod[k]; j < p->qprod[k + 1]; j++) {
			struct pe *pe = &p->pes[p->prods[j].pe];

			p->cons[pe->cons_first + pe->ncons++] =
				(struct pe_cons){ k, p->prods[j].hops };
		}
	}
out:
	free(h.e);
	free(h.st);
	free(h.stamp);
	free(h.seen);
	if (ret)
		wafer_horizons_free(p);
	return ret;
}

/* The tables, built by the first caller; -ENOMEM if they cannot be. */
int wafer_horizons_ensure(struct wafer_program *p)
{
	int ret = 0;

	if (atomic_load_explicit(&p->hz_ready, memory_order_acquire))
		return 0;
	pthread_mutex_lock(&p->hz_lock);
	if (!atomic_load_explicit(&p->hz_ready, memory_order_relaxed)) {
		ret = horizons_build(p);
		if (!ret)
			atomic_store_explicit(&p->hz_ready, true,
					      memory_order_seq_cst);
	}
	pthread_mutex_unlock(&p->hz_lock);
	return ret;
}

/* With no run of the program (load failures, program free). */
void wafer_horizons_free(struct wafer_program *p)
{
	/* The PEs' cons_first and ncons are set only once cons exists. */
	bool counted = p->cons != NULL;

	free(p->qprod);
	free(p->prods);
	free(p->cons);
	p->qprod = NULL;
	p->prods = NULL;
	p->cons = NULL;
	atomic_store(&p->hz_ready, false);
	for (uint32_t i = 0; counted && p->pes && i < p->npes; i++)
		p->pes[i].cons_first = p->pes[i].ncons = 0;
}

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a > T_INF - b ? T_INF : a + b;
}

uint64_t wafer_fq_horizon(const struct wafer_program *p,
			  const struct wafer_fq *q)
{
	const struct fq_prod *pr;
	uint64_t h = T_INF;
	uint32_t n;

	pr = wafer_fq_prods(p, q, &n);
	for (uint32_t i = 0; i < n; i++)
		h = u64_min(h, sat_add(atomic_load(&p->pes[pr[i].pe].horizon),
				       pr[i].hops));
	return h;
}

/* Publish x->pe's horizon h; wake consumers whose threshold it crosses. */
void wafer_horizon_publish(struct exec_ctx *x, uint64_t h)
{
	struct pe *pe = x->pe;
	uint64_t old = atomic_load_explicit(&pe->horizon, memory_order_relaxed);

	if (h <= old)
		return;
	atomic_store(&pe->horizon, h);
	/*
	 * No tables yet: nobody waits, and nobody may read ncons and cons
	 * while another thread builds them. Seq_cst with the store above
	 * and with hz_ready's store: a PE that builds the tables and then
	 * reads our horizon sees h when we saw no tables.
	 */
	if (!atomic_load_explicit(&x->p->hz_ready, memory_order_seq_cst))
		return;
	for (uint32_t i = 0; i < pe->ncons; i++) {
		const struct pe_cons *c = &x->p->cons[pe->cons_first + i];
		struct wafer_fq *q = wafer_fq_made(x->p, c->key);
		uint64_t need;

		if (!q)
			continue;	/* never made: nobody waits on it */
		need = atomic_load(&q->need);
		if (need != T_INF && sat_add(old, c->hops) <= need &&
		    sat_add(h, c->hops) > need)
			wafer_pe_kick(x, q->cons);
	}
}

void wafer_decide_wait(struct exec_ctx *x, bool on)
{
	x->pe->decide_wait = on;
}
