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
 * Who could feed a queue is known statically: at load, a walk from every
 * router that accepts RAMP in some position, through every position of
 * every router it reaches, lists each queue's producers with their hop
 * counts, and each PE's queues downstream (to wake their consumers when
 * its horizon crosses what they wait for).
 *
 * Publishing is one store; only while some PE of the run waits on a
 * horizon (run.nwaiters) does a publisher look at its consumers.
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

/*
 * Stable counting sort of e[0..n) by key (q or prod, below nkeys), into
 * tmp then back. The walks emit edges by color, producer, then hops (a
 * breadth-first walk), so sorting by queue stably orders each queue's
 * edges by producer and hops, and then by producer stably keeps the
 * queues in order: what a comparison sort on (q, prod, hops) and then
 * (prod, q) would give, in linear time (a full wafer has tens of
 * millions of edges).
 */
static int edges_sort(struct edge *e, size_t n, uint32_t nkeys, bool by_q)
{
	uint32_t *first = calloc((size_t)nkeys + 1, sizeof(*first));
	struct edge *tmp = malloc((n ? n : 1) * sizeof(*tmp));
	size_t sum = 0;

	if (!first || !tmp) {
		free(first);
		free(tmp);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		first[by_q ? e[i].q : e[i].prod]++;
	for (uint32_t k = 0; k <= nkeys; k++) {
		size_t c = first[k];

		first[k] = (uint32_t)sum;
		sum += c;
	}
	for (size_t i = 0; i < n; i++)
		tmp[first[by_q ? e[i].q : e[i].prod]++] = e[i];
	memcpy(e, tmp, n * sizeof(*e));
	free(tmp);
	free(first);
	return 0;
}

int wafer_horizons_build(struct wafer_program *p)
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

	/* Per queue: its producers, each with its fewest hops. */
	ret = edges_sort(h.e, h.ne, p->nqkeys, true);
	if (ret)
		goto out;
	for (size_t i = 0; i < h.ne; i++)
		if (!n || h.e[n - 1].q != h.e[i].q || h.e[n - 1].prod != h.e[i].prod)
			h.e[n++] = h.e[i];
	p->prods = malloc((n ? n : 1) * sizeof(*p->prods));
	p->cons = malloc((n ? n : 1) * sizeof(*p->cons));
	if (!p->prods || !p->cons) {
		ret = -ENOMEM;
		goto out;
	}
	/* qprod[k]..qprod[k + 1]: queue k's producers (fq.c copies them). */
	p->qprod = calloc((size_t)p->nqkeys + 1, sizeof(*p->qprod));
	if (!p->qprod) {
		ret = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		p->qprod[h.e[i].q + 1]++;
		p->prods[i] = (struct fq_prod){ h.e[i].prod, h.e[i].hops };
	}
	for (uint32_t k = 0; k < p->nqkeys; k++)
		p->qprod[k + 1] += p->qprod[k];
	/* Per PE: the queues it may feed. */
	ret = edges_sort(h.e, n, p->npes, false);
	if (ret)
		goto out;
	for (size_t i = 0; i < n; i++) {
		struct pe *pe = &p->pes[h.e[i].prod];

		if (!pe->ncons)
			pe->cons_first = (uint32_t)i;
		pe->ncons++;
		p->cons[i] = (struct pe_cons){ h.e[i].q, h.e[i].hops };
	}
out:
	free(h.e);
	free(h.st);
	free(h.stamp);
	free(h.seen);
	return ret;
}

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a > T_INF - b ? T_INF : a + b;
}

uint64_t wafer_fq_horizon(const struct wafer_program *p,
			  const struct wafer_fq *q)
{
	uint64_t h = T_INF;

	for (uint32_t i = 0; i < q->nprod; i++) {
		const struct fq_prod *pr = &p->prods[q->prod_first + i];

		h = u64_min(h, sat_add(atomic_load(&p->pes[pr->pe].horizon),
				       pr->hops));
	}
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
	if (!atomic_load(&x->run->nwaiters))
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
	struct pe *pe = x->pe;

	if (pe->decide_wait == on)
		return;
	pe->decide_wait = on;
	atomic_fetch_add(&x->run->nwaiters, on ? 1 : -1);
}
