// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fabric.c - routes and wavelet queues.
 *
 * The first time a PE sends on a color we walk the routers from its RAMP,
 * with the switch position each router is in, and record every input
 * queue the wavelet reaches with its hop count; later sends copy whole
 * vectors straight into those queues. The walk also enforces the
 * fabric's rules: a router must accept the port a wavelet comes in by,
 * must forward it somewhere, and the wavelet must not leave the program's
 * region. A router that does not accept it only for now (it has switch
 * positions, or is torn down) makes the sender wait for a switch change
 * (switch.c) instead.
 *
 * Who may feed a queue: a router position accepts one port on a switched
 * color (load.c checks it), so a queue is fed by one stream at a time and
 * the stream's producer changes only when a control wavelet in the stream
 * itself moves a switch: the order of wavelets follows from data. A color
 * with a router that merges two ports in one position (rx WEST|RAMP, say)
 * could carry two streams into one queue at once; its queues keep the
 * one-producer rule per launch, and a second producer is a fault. Which PE that fault names must
 * not depend on the host: it is the producer whose first wavelet into the
 * queue left later in modeled time (the larger PE index if at once), at
 * that time, whichever of the two found out.
 *
 * Queues are rings with one producer at a time and one consumer. The
 * producer publishes tail with release order after writing the slots, the
 * consumer publishes head after reading them and after recording the pop
 * times the producer uses for back-pressure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "fabric.h"

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

/* What router idx does on a color now. */
void wafer_router_now(const struct color_fabric *cf, uint32_t idx,
		      struct rt_now *r)
{
	const struct rt_cfg *c = wafer_rt_cfg(cf, idx);
	struct rt_state *st = atomic_load_explicit(&cf->st, memory_order_acquire);
	uint32_t pos = 0;

	r->sw_time = 0;
	if (st) {
		pos = atomic_load_explicit(&st[idx].pos, memory_order_acquire);
		r->sw_time = st[idx].sw_time;
	}
	r->dynamic = c->npos > 1 || (pos & RT_TEARDOWN);
	if ((pos & RT_TEARDOWN) || !c->npos) {
		r->rx = r->tx = 0;
		return;
	}
	pos &= WAFER_POSITIONS - 1;
	r->rx = pos < c->npos ? c->rx[pos] : 0;
	r->tx = pos < c->npos ? c->tx[pos] : 0;
}

static bool grow(void **v, uint32_t *cap, uint32_t n, size_t size)
{
	void *nv;

	if (n < *cap)
		return true;
	nv = realloc(*v, (*cap ? *cap * 2 : 16) * size);
	if (!nv)
		return false;
	*v = nv;
	*cap = *cap ? *cap * 2 : 16;
	return true;
}

/* A queue's ring exists from the first route (or stream) that reaches it. */
bool wafer_fq_ring(struct wafer_fq *q)
{
	size_t ring = (size_t)q->mask + 1;
	uint32_t *val;

	if (atomic_load_explicit(&q->ready, memory_order_acquire))
		return true;
	pthread_mutex_lock(wafer_fq_lock(q->cons->p, q));
	if (!q->val) {
		val = wafer_fq_ring_mem(q->cons->p, q);
		if (val) {
			q->arr = (uint64_t *)(val + ring + (ring & 1));
			q->pop = q->arr + ring;
			q->val = val;
		}
	}
	pthread_mutex_unlock(wafer_fq_lock(q->cons->p, q));
	if (!q->val)
		return false;
	atomic_store_explicit(&q->ready, true, memory_order_release);
	return true;
}

static int dest_cmp(const void *a, const void *b)
{
	const struct route_dest *x = a, *y = b;

	if (x->q->cons != y->q->cons)
		return x->q->cons < y->q->cons ? -1 : 1;
	return 0;
}

void wafer_walk_free(struct wafer_walk *wk)
{
	free(wk->stack);
	free(wk->dest);
	free(wk->routers);
}

/*
 * Walk the routers from PE x->pe's RAMP on color with their positions
 * now. Fills wk (destinations, and the routers passed when wk->want_routers)
 * and wk->min_dep. STEP_BLOCK (*wait W_SWITCH) when a router that may
 * change does not take the wavelet now; any rule broken for good is an
 * UNROUTED fault of the sender.
 */
enum step wafer_route_walk(struct exec_ctx *x, unsigned int color,
			   struct wafer_walk *wk, uint8_t *wait)
{
	struct wafer_program *p = x->p;
	const struct color_fabric *cf = &p->fab[color];
	uint32_t W = p->region.w, H = p->region.h;
	uint64_t steps = 0, limit = 4 * (uint64_t)p->npes + 8;
	uint32_t src = x->pe->idx;
	struct rt_now r;

	wk->nstack = wk->ndest = wk->nrouters = 0;
	wk->min_dep = 0;
	if (!cf->cfgs)
		goto not_ramp;
	wafer_router_now(cf, src, &r);
	if (!(r.rx & WAFER_PORT_RAMP)) {
		if (r.dynamic)
			goto block;
		goto not_ramp;
	}
	if (!grow((void **)&wk->stack, &wk->cap, wk->nstack, sizeof(*wk->stack)))
		goto nomem;
	wk->stack[wk->nstack++] = (struct walk_item){ src, 1 };
	while (wk->nstack) {
		struct walk_item it = wk->stack[--wk->nstack];
		uint32_t ix = it.idx % W, iy = it.idx / W;

		if (++steps > limit)
			return wafer_pe_fault(x, WAFER_ERR_UNROUTED,
					      "route of color %u loops (through PE (%u,%u))",
					      color, ix, iy);
		wafer_router_now(cf, it.idx, &r);
		if (r.sw_time && r.sw_time + 1 > wk->min_dep)
			wk->min_dep = r.sw_time + 1;
		if (wk->want_routers) {
			if (!grow((void **)&wk->routers, &wk->rcap, wk->nrouters,
				  sizeof(*wk->routers)))
				goto nomem;
			wk->routers[wk->nrouters++] = (struct walk_router){
				it.idx, it.hops - 1, (r.tx & WAFER_PORT_RAMP) != 0 };
		}
		if (!r.tx)
			return wafer_pe_fault(x, WAFER_ERR_UNROUTED,
					      "color %u reaches PE (%u,%u), whose router forwards it nowhere",
					      color, ix, iy);
		if (r.tx & WAFER_PORT_RAMP) {
			struct wafer_fq *q = wafer_fq_at(p, p->qbase[color] + it.idx);

			if (!grow((void **)&wk->dest, &wk->dcap, wk->ndest,
				  sizeof(*wk->dest)) || !wafer_fq_ring(q))
				goto nomem;
			wk->dest[wk->ndest++] = (struct route_dest){ .q = q, .hops = it.hops };
		}
		for (uint8_t port = WAFER_PORT_NORTH; port <= WAFER_PORT_WEST;
		     port <<= 1) {
			uint32_t nx = ix, ny = iy, j;
			struct rt_now n;

			if (!(r.tx & port))
				continue;
			/* A resident kernel's west edge: an I/O channel. */
			if (port == WAFER_PORT_WEST && ix == 0 && p->res) {
				struct wafer_fq *sq = wafer_stream_sink(p, color, iy);

				if (!sq || !grow((void **)&wk->dest, &wk->dcap,
						 wk->ndest, sizeof(*wk->dest)))
					goto nomem;
				wk->dest[wk->ndest++] = (struct route_dest){
					.q = sq, .hops = it.hops + 1 };
				continue;
			}
			if ((port == WAFER_PORT_NORTH && iy == 0) ||
			    (port == WAFER_PORT_SOUTH && iy == H - 1) ||
			    (port == WAFER_PORT_WEST && ix == 0) ||
			    (port == WAFER_PORT_EAST && ix == W - 1))
				return wafer_pe_fault(x, WAFER_ERR_UNROUTED,
						      "color %u leaves the program region going %s from PE (%u,%u)",
						      color, dir_names[port], ix, iy);
			if (port == WAFER_PORT_NORTH)
				ny--;
			else if (port == WAFER_PORT_SOUTH)
				ny++;
			else if (port == WAFER_PORT_EAST)
				nx++;
			else
				nx--;
			j = ny * W + nx;
			wafer_router_now(cf, j, &n);
			if (!(n.rx & port_opposite(port))) {
				if (n.dynamic)
					goto block;
				return wafer_pe_fault(x, WAFER_ERR_UNROUTED,
						      "color %u going %s from PE (%u,%u) is not accepted by PE (%u,%u) (rx lacks %s)",
						      color, dir_names[port], ix, iy,
						      nx, ny,
						      dir_names[port_opposite(port)]);
			}
			if (!grow((void **)&wk->stack, &wk->cap, wk->nstack,
				  sizeof(*wk->stack)))
				goto nomem;
			wk->stack[wk->nstack++] = (struct walk_item){ j, it.hops + 1 };
		}
	}

	/* Two copies into one queue: the route converges on itself. */
	qsort(wk->dest, wk->ndest, sizeof(*wk->dest), dest_cmp);
	for (uint32_t i = 1; i < wk->ndest; i++) {
		if (wk->dest[i].q == wk->dest[i - 1].q) {
			struct pe *c = wk->dest[i].q->cons;

			return wafer_pe_fault(x, WAFER_ERR_UNROUTED,
					      "color %u reaches PE (%u,%u) twice",
					      color, pe_x(p, c), pe_y(p, c));
		}
	}
	return STEP_OK;

block:
	*wait = W_SWITCH;
	return STEP_BLOCK;
not_ramp:
	return wafer_pe_fault(x, WAFER_ERR_UNROUTED,
			      "send on color %u, which the router does not accept from RAMP",
			      color);
nomem:
	return wafer_pe_fault(x, WAFER_ERR_NOMEM,
			      "out of memory resolving the route of color %u",
			      color);
}

/*
 * The route is ours now: its queues' pops must wake us (a sender that
 * finds them full waits for those). Before any route of ours was
 * accepted, another PE may have been their producer. Pairs with the
 * fence in wafer_fq_consume(): either the consumer sees us, or we see the
 * room it made.
 */
void wafer_route_take(struct exec_ctx *x, const struct wafer_route *rt)
{
	for (uint32_t i = 0; i < rt->n; i++)
		if (atomic_load_explicit(&rt->d[i].q->prod, memory_order_relaxed) != x->pe)
			atomic_store_explicit(&rt->d[i].q->prod, x->pe,
					      memory_order_relaxed);
	atomic_thread_fence(memory_order_seq_cst);
}

static enum step route_build(struct exec_ctx *x, unsigned int color,
			     const struct wafer_route **out, uint8_t *wait)
{
	struct wafer_program *p = x->p;
	struct color_fabric *cf = &p->fab[color];
	struct wafer_walk wk = { 0 };
	struct wafer_route *route;
	bool locked = atomic_load(&cf->dyn);
	uint64_t gen;
	enum step st;

	if (locked)
		pthread_mutex_lock(&cf->lock);
	gen = atomic_load(&cf->swgen);
	st = wafer_route_walk(x, color, &wk, wait);
	if (st == STEP_BLOCK && !locked) {
		/* Torn down since we looked: walk again under the lock. */
		pthread_mutex_lock(&cf->lock);
		locked = true;
		gen = atomic_load(&cf->swgen);
		st = wafer_route_walk(x, color, &wk, wait);
	}
	if (st == STEP_BLOCK)
		wafer_switch_wait(x, color);
	if (locked)
		pthread_mutex_unlock(&cf->lock);
	if (st != STEP_OK) {
		wafer_walk_free(&wk);
		return st;
	}
	route = malloc(sizeof(*route) + wk.ndest * sizeof(route->d[0]));
	if (!route) {
		wafer_walk_free(&wk);
		return wafer_pe_fault(x, WAFER_ERR_NOMEM,
				      "out of memory resolving the route of color %u",
				      color);
	}
	route->n = wk.ndest;
	route->epoch = p->epoch;
	route->swgen = gen;
	route->min_dep = wk.min_dep;
	if (wk.ndest)
		memcpy(route->d, wk.dest, wk.ndest * sizeof(route->d[0]));
	wafer_route_note_merged(route);
	route->sole = !route->merged && !route->chan && !cf->switched;
	free(p->out[color][x->pe->idx]);
	p->out[color][x->pe->idx] = route;
	wafer_route_take(x, route);
	*out = route;
	wafer_walk_free(&wk);
	return STEP_OK;
}

enum step wafer_route_get(struct exec_ctx *x, unsigned int color,
			  const struct wafer_route **out, uint8_t *wait)
{
	struct wafer_program *p = x->p;
	struct color_fabric *cf = &p->fab[color];
	struct wafer_route *rt = p->out[color] ? p->out[color][x->pe->idx] : NULL;

	if (!p->out[color])
		return wafer_pe_fault(x, WAFER_ERR_UNROUTED,
				      "send on color %u, which the router does not accept from RAMP",
				      color);
	if (wf_likely(rt && rt->swgen == atomic_load_explicit(&cf->swgen,
							       memory_order_acquire))) {
		if (wf_likely(rt->epoch == p->epoch)) {
			*out = rt;
			return STEP_OK;
		}
		if (!atomic_load(&cf->dyn)) {
			/* A static route holds from launch to launch. */
			rt->epoch = p->epoch;
			wafer_route_take(x, rt);
			*out = rt;
			return STEP_OK;
		}
	}
	return route_build(x, color, out, wait);
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
 * Sole producer. A PE's cached route on a color where no router merges
 * two ports or has switch positions, and no queue has an edge channel
 * (rt->sole), is the one way into its queues: only this PE pushes into
 * them, through this route (SENDC pushes through a route of its own, and
 * wafer_route_deliver() then forgets what this one knew). So once a
 * delivery has read every queue's tail in a launch, the largest of them
 * is known until the next delivery, which updates it as it goes: a
 * bound on what each queue holds that needs no pass over the queues.
 * While it is below the depth, every queue has room and no slot was ever
 * freed, which is what route_room1() would find, having read two cache
 * lines of every queue, 1,522 lines a SEND for a row broadcast on the
 * full wafer. Resident kernels (p->res) attach channels: not there.
 */
static bool route_tails_known(const struct wafer_program *p,
			      const struct wafer_route *rt)
{
	return rt->sole && rt->tail_epoch == p->epoch && !p->res &&
	       !p->route_scan;
}

void wafer_route_scan(struct wafer_program *p, int on)
{
	p->route_scan = on != 0;
}

/*
 * wafer_route_space(rt) != 0 and wafer_route_free_time(rt, 0) in one
 * pass over the destinations, for a single wavelet: true and *free_t if
 * every destination has room. A pop slot read after the acquire of head
 * that shows room is final (only our own pushes make it reused).
 */
static bool route_room1(const struct wafer_program *p,
			const struct wafer_route *rt, uint64_t *free_t)
{
	uint64_t t = 0;

	if (route_tails_known(p, rt) && rt->tail_max < p->queue_depth) {
		/* No slot of a queue of it used yet: room, never freed. */
		*free_t = 0;
		return true;
	}

	for (uint32_t i = 0; i < rt->n; i++) {
		struct wafer_fq *q = rt->d[i].q;
		uint64_t tail = atomic_load_explicit(&q->tail, memory_order_relaxed);
		uint64_t used = tail - atomic_load_explicit(&q->head,
							    memory_order_acquire);

		if (used >= q->depth)
			return false;
		if (tail >= q->depth && q->pop[(tail - q->depth) & q->mask] > t)
			t = q->pop[(tail - q->depth) & q->mask];
	}
	*free_t = t;
	return true;
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

/*
 * The one-producer rule of a merged queue. t0 is this producer's first
 * departure into it. Two producers: the later one (modeled time, then
 * PE index) faults at that time, with the same report whichever of them
 * gets here second in host time.
 */
static enum step claim_check(struct exec_ctx *x, struct wafer_fq *q,
			     uint64_t t0, uint32_t pc)
{
	struct wafer_program *p = x->p;
	struct pe *me = x->pe, *other, *late, *early;
	uint64_t ot, lt;
	uint32_t opc, lpc;
	struct wafer_fault f;
	int n;

	if (wf_likely(atomic_load_explicit(&q->claim, memory_order_acquire) == me &&
		      q->claim_epoch == p->epoch))
		return STEP_OK;
	pthread_mutex_lock(wafer_fq_lock(p, q));
	other = atomic_load(&q->claim);
	if (q->claim_epoch != p->epoch || !other || other == me) {
		if (q->claim_epoch != p->epoch || !other) {
			q->claim_t = t0;
			q->claim_pc = pc;
			q->claim_epoch = p->epoch;
			atomic_store(&q->claim, me);
		}
		pthread_mutex_unlock(wafer_fq_lock(p, q));
		return STEP_OK;
	}
	ot = q->claim_t;
	opc = q->claim_pc;
	pthread_mutex_unlock(wafer_fq_lock(p, q));
	if (t0 > ot || (t0 == ot && me->idx > other->idx)) {
		late = me, early = other, lt = t0, lpc = pc;
	} else {
		late = other, early = me, lt = ot, lpc = opc;
	}
	memset(&f, 0, sizeof(f));
	f.status = WAFER_ERR_UNROUTED;
	f.pe_x = pe_x(p, late);
	f.pe_y = pe_y(p, late);
	f.pc = lpc;
	n = snprintf(f.msg, sizeof(f.msg),
		     "PE (%u,%u) pc 0x%x: send on color %u reaches PE (%u,%u), which already receives color %u from PE (%u,%u): one producer per queue",
		     f.pe_x, f.pe_y, lpc, q->color, pe_x(p, q->cons),
		     pe_y(p, q->cons), q->color, pe_x(p, early), pe_y(p, early));
	(void)n;
	if (late == me) {
		*x->fault = f;
		x->fault_t = lt;
		x->fault_comp = 0;
		x->fault_sub = q->cons->idx + 1;
		return STEP_FAULT;
	}
	wafer_run_offer_fault(x->run, &f, lt, (uint64_t)late->idx << 32 |
			      (q->cons->idx + 1));
	return STEP_OK;
}

void wafer_route_note_merged(struct wafer_route *rt)
{
	rt->merged = false;
	rt->chan = false;
	rt->sole = false;
	rt->tail_epoch = 0;
	rt->tail_max = 0;
	for (uint32_t i = 0; i < rt->n; i++) {
		rt->merged |= rt->d[i].q->merged;
		rt->chan |= rt->d[i].q->chan != NULL;
		rt->d[i].cons = rt->d[i].q->cons->idx;
	}
}

/* A route with no merged queue (known when built) needs no pass. */
enum step wafer_route_claim(struct exec_ctx *x, const struct wafer_route *rt,
			    uint64_t t0, uint32_t pc)
{
	if (!rt->merged)
		return STEP_OK;
	for (uint32_t i = 0; i < rt->n; i++) {
		if (wf_unlikely(rt->d[i].q->merged)) {
			enum step st = claim_check(x, rt->d[i].q, t0, pc);

			if (st != STEP_OK)
				return st;
		}
	}
	return STEP_OK;
}

/*
 * A push through a route that is not the PE's cached one on its color
 * (SENDC's) bypasses what the cached one knows of its queues' tails.
 */
static void route_forget_tails(struct exec_ctx *x, unsigned int color)
{
	struct wafer_route **out = x->p->out[color];
	struct wafer_route *c = out ? out[x->pe->idx] : NULL;

	if (c)
		c->tail_epoch = 0;
}

/*
 * Put k wavelets leaving at times t[] into q, hops away, and publish them:
 * the slots first, then the producer, then the tail (release) its consumer
 * reads. mask is the queue's, passed in so that a sole producer's caller
 * can use the program's and leave q's own line unread. Returns the tail
 * the run started at.
 */
static inline uint64_t fq_put_run(struct exec_ctx *x, struct wafer_fq *q,
				  uint32_t mask, uint32_t hops,
				  const uint32_t *val, const uint64_t *t,
				  uint32_t k, uint64_t flags)
{
	uint64_t tail = atomic_load_explicit(&q->tail, memory_order_relaxed);

	for (uint32_t j = 0; j < k; j++) {
		uint32_t s = (uint32_t)(tail + j) & mask;

		q->val[s] = val[j];
		q->arr[s] = (t[j] + hops) | flags;
	}
	if (atomic_load_explicit(&q->prod, memory_order_relaxed) != x->pe)
		atomic_store_explicit(&q->prod, x->pe, memory_order_relaxed);
	atomic_store_explicit(&q->tail, tail + k, memory_order_release);
	return tail;
}

/*
 * wafer_route_deliver() through a sole producer's route (see "Sole
 * producer"): its queues are chunk queues (no channel), so their mask is
 * the program's and their consumer is in the route, and the lines read
 * and written per queue are its producer line and the two slots; the
 * largest tail is noted on the way. The route is the executing PE's own,
 * hence written here although its callers hold it const.
 */
static enum step route_deliver_sole(struct exec_ctx *x, struct wafer_route *rt,
				    const uint32_t *val, const uint64_t *t,
				    uint32_t k, uint64_t flags)
{
	struct wafer_program *p = x->p;
	const uint32_t mask = p->fq_mask;
	struct pe *wake[64];
	unsigned int nwake = 0;
	uint64_t tmax = 0;

	for (uint32_t i = 0; i < rt->n; i++) {
		struct wafer_fq *q = rt->d[i].q;
		uint64_t tail = fq_put_run(x, q, mask, rt->d[i].hops, val, t, k,
					   flags);

		if (tail + k > tmax)
			tmax = tail + k;
		/* Wake consumers in batches. */
		wake[nwake++] = &p->pes[rt->d[i].cons];
		if (nwake == sizeof(wake) / sizeof(wake[0])) {
			wafer_pe_kick_many(x, wake, nwake);
			nwake = 0;
		}
	}
	if (nwake)
		wafer_pe_kick_many(x, wake, nwake);
	x->pushed += (uint64_t)k * rt->n;
	rt->tail_max = tmax < UINT32_MAX ? (uint32_t)tmax : UINT32_MAX;
	rt->tail_epoch = p->epoch;
	return STEP_OK;
}

/*
 * Deliver k wavelets leaving at times t[] to every destination
 * (wafer_route_push() records them in a traced launch).
 */
enum step wafer_route_deliver(struct exec_ctx *x, const struct wafer_route *rt,
			      const uint32_t *val, const uint64_t *t, uint32_t k,
			      uint64_t flags, uint32_t pc)
{
	struct pe *wake[64];
	unsigned int nwake = 0;
	enum step st = wafer_route_claim(x, rt, t[0], pc);

	if (st != STEP_OK)
		return st;
	if (rt->sole && !x->p->res && !x->p->route_scan)
		return route_deliver_sole(x, (struct wafer_route *)rt, val, t, k,
					  flags);
	if (!rt->sole && rt->n)
		route_forget_tails(x, rt->d[0].q->color);
	for (uint32_t i = 0; i < rt->n; i++) {
		struct wafer_fq *q = rt->d[i].q;

		fq_put_run(x, q, q->mask, rt->d[i].hops, val, t, k, flags);
		if (wf_unlikely(q->chan))
			wafer_chan_pushed(q);
		/* Wake consumers in batches. */
		wake[nwake++] = q->cons;
		if (nwake == sizeof(wake) / sizeof(wake[0])) {
			wafer_pe_kick_many(x, wake, nwake);
			nwake = 0;
		}
	}
	if (nwake)
		wafer_pe_kick_many(x, wake, nwake);
	x->pushed += (uint64_t)k * rt->n;
	return STEP_OK;
}

/*
 * One wavelet from the component whose clock is *clock. Two copies, like
 * SEND's (exec.c): traced is a constant, the untraced one has no hook.
 */
static inline __attribute__((always_inline)) enum step
send1_body(struct exec_ctx *x, unsigned int color, uint32_t v, uint64_t *clock,
	   uint64_t flags, uint32_t pc, uint8_t *wait, bool traced)
{
	const struct wafer_route *rt;
	enum step st;
	uint64_t t;

	st = wafer_route_get(x, color, &rt, wait);
	if (st != STEP_OK)
		return st;
	if (!route_room1(x->p, rt, &t)) {
		*wait = W_SEND;
		return STEP_BLOCK;
	}
	/* Leaves once issued and once the slot it takes was freed. */
	t = u64_max(*clock + COST_SIMPLE, t);
	t = u64_max(t, rt->min_dep);
	if (traced)
		st = wafer_route_push(x, rt, &v, &t, 1, flags, pc);
	else
		st = wafer_route_deliver(x, rt, &v, &t, 1, flags, pc);
	if (st != STEP_OK)
		return st;
	*clock = t;
	return STEP_OK;
}

enum step wafer_send1(struct exec_ctx *x, unsigned int color, uint32_t v,
		      uint64_t *clock, uint64_t flags, uint32_t pc,
		      uint8_t *wait)
{
	return send1_body(x, color, v, clock, flags, pc, wait, false);
}

#ifndef WAFER_NO_TRACE
enum step wafer_send1_traced(struct exec_ctx *x, unsigned int color, uint32_t v,
			     uint64_t *clock, uint64_t flags, uint32_t pc,
			     uint8_t *wait)
{
	return send1_body(x, color, v, clock, flags, pc, wait, true);
}
#endif

/*
 * Consume k wavelets; t[j] is when the PE took the j-th (wafer_fq_pop()
 * records them in a traced launch). The queue's producer may wait for the
 * room: it is read after a fence that pairs with route_take(), and the
 * same fence orders the pop before the look at its state that the kick
 * makes (pe_handle()'s fence).
 */
void wafer_fq_consume(struct exec_ctx *x, struct wafer_fq *q, const uint64_t *t,
		      uint32_t k)
{
	uint64_t head = atomic_load_explicit(&q->head, memory_order_relaxed);

	for (uint32_t j = 0; j < k; j++)
		q->pop[(uint32_t)(head + j) & q->mask] = t[j];
	atomic_store_explicit(&q->head, head + k, memory_order_release);
	x->popped += k;
	if (wf_unlikely(q->chan))
		wafer_chan_popped(q);
	atomic_thread_fence(memory_order_seq_cst);
	wafer_pe_kick_fenced_fast(x, atomic_load_explicit(&q->prod,
							  memory_order_relaxed));
}

void wafer_routes_free(struct wafer_program *p)
{
	for (unsigned int c = 0; c < WAFER_COLORS; c++) {
		if (!p->out[c])
			continue;
		for (uint32_t i = 0; i < p->npes; i++)
			free(p->out[c][i]);
	}
	wafer_fqs_free(p);
}
