// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fabric.c - routes and wavelet queues.
 *
 * Routes are static, so the first time a PE sends on a color we walk the
 * routers once from its RAMP and record every input queue the wavelet
 * reaches with its hop count; later sends copy whole vectors straight into
 * those queues. The walk also enforces the fabric's rules: a router must
 * accept the port a wavelet comes in by, must forward it somewhere, and
 * the wavelet must not leave the program's region; and every queue has
 * one producer (two sources feeding one (PE, color) would make the order
 * of its wavelets depend on host scheduling).
 *
 * Queues are single-producer single-consumer rings. The producer publishes
 * tail with release order after writing the slots, the consumer publishes
 * head after reading them and after recording the pop times the producer
 * uses for back-pressure.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char *const dir_names[] = {
	[WAFER_PORT_NORTH] = "NORTH",
	[WAFER_PORT_SOUTH] = "SOUTH",
	[WAFER_PORT_EAST] = "EAST",
	[WAFER_PORT_WEST] = "WEST",
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

struct wafer_fq *wafer_rxq(const struct wafer_program *p,
			   const struct pe *pe, unsigned int color)
{
	if (!p->rxq[color])
		return NULL;
	return p->rxq[color][pe->idx];
}

struct walk_item {
	uint32_t idx, hops;
};

struct walk {
	struct walk_item *stack;
	uint32_t nstack, cap;
	struct route_dest *dest;
	uint32_t ndest, dcap;
};

static bool walk_push(struct walk *wk, uint32_t idx, uint32_t hops)
{
	if (wk->nstack == wk->cap) {
		uint32_t cap = wk->cap ? wk->cap * 2 : 64;
		void *n = realloc(wk->stack, cap * sizeof(*wk->stack));

		if (!n)
			return false;
		wk->stack = n;
		wk->cap = cap;
	}
	wk->stack[wk->nstack++] = (struct walk_item){ idx, hops };
	return true;
}

static bool walk_dest(struct walk *wk, struct wafer_fq *q, uint32_t hops)
{
	if (wk->ndest == wk->dcap) {
		uint32_t cap = wk->dcap ? wk->dcap * 2 : 8;
		void *n = realloc(wk->dest, cap * sizeof(*wk->dest));

		if (!n)
			return false;
		wk->dest = n;
		wk->dcap = cap;
	}
	wk->dest[wk->ndest++] = (struct route_dest){ q, hops };
	return true;
}

static int dest_cmp(const void *a, const void *b)
{
	const struct route_dest *x = a, *y = b;

	if (x->q->cons != y->q->cons)
		return x->q->cons < y->q->cons ? -1 : 1;
	return 0;
}

/* Take q as the producer; the ring is allocated by its one producer. */
static enum step fq_claim(struct exec_ctx *x, struct wafer_fq *q,
			  unsigned int color)
{
	struct wafer_program *p = x->p;
	struct pe *me = x->pe, *owner = NULL;
	size_t ring;

	if (!atomic_compare_exchange_strong(&q->prod, &owner, me) &&
	    owner != me)
		return wafer_pe_fault(x, WAFER_ERR_UNROUTED,
				      "send on color %u reaches PE (%u,%u), which already receives color %u from PE (%u,%u): one producer per queue",
				      color, pe_x(p, q->cons), pe_y(p, q->cons),
				      color, pe_x(p, owner), pe_y(p, owner));
	if (q->val)
		return STEP_OK;
	ring = (size_t)q->mask + 1;
	q->val = malloc(ring * (sizeof(uint32_t) + 2 * sizeof(uint64_t)) + 8);
	if (!q->val)
		return wafer_pe_fault(x, WAFER_ERR_NOMEM,
				      "out of memory for the queue of color %u",
				      color);
	q->arr = (uint64_t *)(q->val + ring + (ring & 1));
	q->pop = q->arr + ring;
	return STEP_OK;
}

/*
 * Walk the routers from PE x->pe's RAMP on color and build the route. Any
 * rule broken on the way is an UNROUTED fault of the sending PE.
 */
static enum step route_build(struct exec_ctx *x, unsigned int color,
			     const struct wafer_route **out)
{
	struct wafer_program *p = x->p;
	const uint8_t *rt = p->route[color];
	uint32_t W = p->region.w, H = p->region.h;
	uint64_t steps = 0, limit = 4 * (uint64_t)p->npes + 8;
	struct wafer_route *route;
	struct walk wk = { 0 };
	enum step st = STEP_OK;
	uint32_t src = x->pe->idx;

	if (!rt || !(rt[2 * src] & WAFER_PORT_RAMP))
		return wafer_pe_fault(x, WAFER_ERR_UNROUTED,
				      "send on color %u, which the router does not accept from RAMP",
				      color);
	if (!walk_push(&wk, src, 1))
		goto nomem;
	while (wk.nstack) {
		struct walk_item it = wk.stack[--wk.nstack];
		uint32_t ix = it.idx % W, iy = it.idx / W;
		uint8_t tx = rt[2 * it.idx + 1];

		if (++steps > limit) {
			st = wafer_pe_fault(x, WAFER_ERR_UNROUTED,
					    "route of color %u loops (through PE (%u,%u))",
					    color, ix, iy);
			goto out;
		}
		if (!tx) {
			st = wafer_pe_fault(x, WAFER_ERR_UNROUTED,
					    "color %u reaches PE (%u,%u), whose router forwards it nowhere",
					    color, ix, iy);
			goto out;
		}
		if (tx & WAFER_PORT_RAMP) {
			struct wafer_fq *q = p->rxq[color][it.idx];

			if (!walk_dest(&wk, q, it.hops))
				goto nomem;
		}
		for (uint8_t port = WAFER_PORT_NORTH; port <= WAFER_PORT_WEST;
		     port <<= 1) {
			uint32_t nx = ix, ny = iy, j;

			if (!(tx & port))
				continue;
			if ((port == WAFER_PORT_NORTH && iy == 0) ||
			    (port == WAFER_PORT_SOUTH && iy == H - 1) ||
			    (port == WAFER_PORT_WEST && ix == 0) ||
			    (port == WAFER_PORT_EAST && ix == W - 1)) {
				st = wafer_pe_fault(x, WAFER_ERR_UNROUTED,
						    "color %u leaves the program region going %s from PE (%u,%u)",
						    color, dir_names[port], ix, iy);
				goto out;
			}
			if (port == WAFER_PORT_NORTH)
				ny--;
			else if (port == WAFER_PORT_SOUTH)
				ny++;
			else if (port == WAFER_PORT_EAST)
				nx++;
			else
				nx--;
			j = ny * W + nx;
			if (!(rt[2 * j] & port_opposite(port))) {
				st = wafer_pe_fault(x, WAFER_ERR_UNROUTED,
						    "color %u going %s from PE (%u,%u) is not accepted by PE (%u,%u) (rx lacks %s)",
						    color, dir_names[port], ix, iy,
						    nx, ny,
						    dir_names[port_opposite(port)]);
				goto out;
			}
			if (!walk_push(&wk, j, it.hops + 1))
				goto nomem;
		}
	}

	/* Two copies into one queue: the route converges on itself. */
	qsort(wk.dest, wk.ndest, sizeof(*wk.dest), dest_cmp);
	for (uint32_t i = 1; i < wk.ndest; i++) {
		if (wk.dest[i].q == wk.dest[i - 1].q) {
			struct pe *c = wk.dest[i].q->cons;

			st = wafer_pe_fault(x, WAFER_ERR_UNROUTED,
					    "color %u reaches PE (%u,%u) twice",
					    color, pe_x(p, c), pe_y(p, c));
			goto out;
		}
	}
	for (uint32_t i = 0; i < wk.ndest; i++) {
		st = fq_claim(x, wk.dest[i].q, color);
		if (st != STEP_OK)
			goto out;
	}

	route = malloc(sizeof(*route) + wk.ndest * sizeof(route->d[0]));
	if (!route)
		goto nomem;
	route->n = wk.ndest;
	route->epoch = p->epoch;
	if (wk.ndest)
		memcpy(route->d, wk.dest, wk.ndest * sizeof(route->d[0]));
	p->out[color][src] = route;
	*out = route;
	goto out;

nomem:
	st = wafer_pe_fault(x, WAFER_ERR_NOMEM,
			    "out of memory resolving the route of color %u",
			    color);
out:
	free(wk.stack);
	free(wk.dest);
	return st;
}

enum step wafer_route_get(struct exec_ctx *x, unsigned int color,
			  const struct wafer_route **out)
{
	struct wafer_program *p = x->p;
	struct wafer_route *rt = p->out[color] ? p->out[color][x->pe->idx] : NULL;

	if (!rt)
		return route_build(x, color, out);
	if (wf_unlikely(rt->epoch != p->epoch)) {
		/* First send of this launch: the queues are ours again. */
		for (uint32_t i = 0; i < rt->n; i++) {
			enum step st = fq_claim(x, rt->d[i].q, color);

			if (st != STEP_OK)
				return st;
		}
		rt->epoch = p->epoch;
	}
	*out = rt;
	return STEP_OK;
}

/* Wavelets every destination of rt can take now. */
uint32_t wafer_route_space(const struct wafer_route *rt)
{
	uint32_t space = UINT32_MAX;

	for (uint32_t i = 0; i < rt->n; i++) {
		struct wafer_fq *q = rt->d[i].q;
		uint64_t used = atomic_load_explicit(&q->tail, memory_order_relaxed) -
				atomic_load_explicit(&q->head, memory_order_acquire);
		uint32_t s = q->depth - (uint32_t)used;

		if (s < space)
			space = s;
	}
	return space;
}

/*
 * Earliest time the j-th next wavelet may leave: every destination slot it
 * takes must have been freed (back-pressure). Needs j < space.
 */
uint64_t wafer_route_free_time(const struct wafer_route *rt, uint32_t j)
{
	uint64_t t = 0;

	for (uint32_t i = 0; i < rt->n; i++) {
		struct wafer_fq *q = rt->d[i].q;
		uint64_t e = atomic_load_explicit(&q->tail, memory_order_relaxed) + j;

		if (e >= q->depth && q->pop[(e - q->depth) & q->mask] > t)
			t = q->pop[(e - q->depth) & q->mask];
	}
	return t;
}

/* Deliver k wavelets leaving at times t[] to every destination. */
void wafer_route_push(struct exec_ctx *x, const struct wafer_route *rt,
		      const uint32_t *val, const uint64_t *t, uint32_t k)
{
	struct pe *wake[64];
	unsigned int nwake = 0;

	for (uint32_t i = 0; i < rt->n; i++) {
		struct wafer_fq *q = rt->d[i].q;
		uint64_t tail = atomic_load_explicit(&q->tail, memory_order_relaxed);
		uint32_t hops = rt->d[i].hops;

		for (uint32_t j = 0; j < k; j++) {
			uint32_t s = (uint32_t)(tail + j) & q->mask;

			q->val[s] = val[j];
			q->arr[s] = t[j] + hops;
		}
		atomic_store_explicit(&q->tail, tail + k, memory_order_release);
		/* Wake consumers in batches: one lock round trip each. */
		wake[nwake++] = q->cons;
		if (nwake == sizeof(wake) / sizeof(wake[0])) {
			wafer_pe_kick_many(x, wake, nwake);
			nwake = 0;
		}
	}
	if (nwake)
		wafer_pe_kick_many(x, wake, nwake);
}

/* Wavelets waiting in q (consumer side). */
uint32_t wafer_fq_avail(struct wafer_fq *q)
{
	return (uint32_t)(atomic_load_explicit(&q->tail, memory_order_acquire) -
			  atomic_load_explicit(&q->head, memory_order_relaxed));
}

/* Read the off-th waiting wavelet without consuming it. */
void wafer_fq_peek(struct wafer_fq *q, uint32_t off, uint32_t *val,
		   uint64_t *arr)
{
	uint32_t s = (uint32_t)(atomic_load_explicit(&q->head,
						     memory_order_relaxed) + off) & q->mask;

	*val = q->val[s];
	*arr = q->arr[s];
}

/* Consume k wavelets; t[j] is when the PE took the j-th. */
void wafer_fq_pop(struct exec_ctx *x, struct wafer_fq *q, const uint64_t *t,
		  uint32_t k)
{
	uint64_t head = atomic_load_explicit(&q->head, memory_order_relaxed);

	for (uint32_t j = 0; j < k; j++)
		q->pop[(uint32_t)(head + j) & q->mask] = t[j];
	atomic_store_explicit(&q->head, head + k, memory_order_release);
	wafer_pe_kick(x, atomic_load_explicit(&q->prod, memory_order_relaxed));
}

/*
 * Can a blocked PE make progress? If not, *what says on what it waits
 * (0 receive, 1 send) and *color which color. Called under wafer.lock.
 */
bool wafer_pe_can_progress(const struct wafer_program *p, const struct pe *pe,
			   unsigned int *what, unsigned int *color)
{
	for (unsigned int i = 0; i < pe->wait_nin; i++) {
		struct wafer_fq *q = wafer_rxq(p, pe, pe->wait_in_c[i]);

		if (wafer_fq_avail(q) < pe->wait_in_need[i]) {
			*what = 0;
			*color = pe->wait_in_c[i];
			return false;
		}
	}
	if (pe->wait_out && !wafer_route_space(pe->wait_out)) {
		*what = 1;
		*color = pe->wait_out_c;
		return false;
	}
	return true;
}

void wafer_routes_free(struct wafer_program *p)
{
	for (unsigned int c = 0; c < WAFER_COLORS; c++) {
		if (!p->out[c])
			continue;
		for (uint32_t i = 0; i < p->npes; i++)
			free(p->out[c][i]);
	}
	for (uint32_t i = 0; i < p->nfqs; i++)
		free(p->fqs[i].val);
}
