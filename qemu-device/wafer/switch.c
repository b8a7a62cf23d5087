// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * switch.c - router switch positions, control wavelets and teardown.
 *
 * Per color, a router holds up to four positions, each an (rx, tx) pair;
 * it starts every launch in position 0. A control wavelet (SENDC) travels
 * its route like data; every router it passes applies its command after
 * forwarding it, at the modeled time it passes (the departure time plus
 * the links to that router):
 *
 *   NOP        nothing (the receivers' control tasks run);
 *   SWITCH_ADV the next position: past the last one it stays there, or
 *              wraps to 0 on a ring (WAFER_SWITCH_RING);
 *   SWITCH_RST position 0;
 *   TEARDOWN   the routers that deliver it to their PE tear the color
 *              down: they take nothing on it until their PE's teardown
 *              task leaves teardown (TDEXIT), maybe after choosing another
 *              position (SWSET, allowed only in teardown).
 *
 * Why the order of wavelets still follows from data: a switched router
 * accepts one port per position, so only the one stream it accepts can
 * carry the control wavelet that moves it; a sender that it does not
 * accept waits (W_SWITCH), parked on the color's waiter list, and leaves
 * after the change (no earlier than the change time plus one). Walks of
 * switched colors and switch changes are serialised by the color's lock,
 * which also makes the waiter list safe against lost wake-ups.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Called with cf->lock held, after a walk found a router not accepting. */
void wafer_switch_wait(struct exec_ctx *x, unsigned int color)
{
	struct color_fabric *cf = &x->p->fab[color];

	for (uint32_t i = 0; i < cf->nwaiters; i++)
		if (cf->waiters[i] == x->pe)
			return;
	if (cf->nwaiters == cf->wcap) {
		uint32_t cap = cf->wcap ? 2 * cf->wcap : 16;
		struct pe **n = realloc(cf->waiters, cap * sizeof(*n));

		if (!n)
			return;	/* a global stall will still release it */
		cf->waiters = n;
		cf->wcap = cap;
	}
	cf->waiters[cf->nwaiters++] = x->pe;
}

/* Called with cf->lock held after a change: hand the waiters over. */
static struct pe **take_waiters(struct color_fabric *cf, uint32_t *n)
{
	struct pe **w = NULL;

	atomic_fetch_add(&cf->swgen, 1);
	*n = cf->nwaiters;
	if (!cf->nwaiters)
		return NULL;
	w = malloc(cf->nwaiters * sizeof(*w));
	if (w)
		memcpy(w, cf->waiters, cf->nwaiters * sizeof(*w));
	else
		*n = 0;
	cf->nwaiters = 0;
	return w;
}

static void kick_waiters(struct exec_ctx *x, struct pe **w, uint32_t n)
{
	if (!w)
		return;
	wafer_pe_kick_many(x, w, n);
	free(w);
}

/* The state array of a color, made on its first teardown (lock held). */
static struct rt_state *states(struct wafer_program *p, unsigned int color)
{
	struct color_fabric *cf = &p->fab[color];
	struct rt_state *st = atomic_load(&cf->st);

	if (st)
		return st;
	st = calloc(p->npes, sizeof(*st));
	if (!st)
		return NULL;
	atomic_store(&cf->st, st);
	atomic_store(&cf->dyn, true);
	return st;
}

/* Apply cmd at router idx at time t; true if something changed. */
static bool router_apply(struct wafer_program *p, unsigned int color,
			 uint32_t idx, unsigned int cmd, uint64_t t,
			 bool delivers)
{
	struct color_fabric *cf = &p->fab[color];
	const struct rt_cfg *c = wafer_rt_cfg(cf, idx);
	struct rt_state *st;
	uint32_t pos, np;

	switch (cmd) {
	case ISA_CTL_ADV:
	case ISA_CTL_RST:
		if (c->npos <= 1)
			return false;
		st = &atomic_load(&cf->st)[idx];
		pos = atomic_load(&st->pos);
		np = pos & (WAFER_POSITIONS - 1);
		if (cmd == ISA_CTL_RST)
			np = 0;
		else if (np + 1 < c->npos)
			np++;
		else if (c->ring)
			np = 0;
		if (np == (pos & (WAFER_POSITIONS - 1)))
			return false;
		st->sw_time = t;
		atomic_store(&st->pos, (pos & RT_TEARDOWN) | np);
		return true;
	case ISA_CTL_TEARDOWN:
		if (!delivers)
			return false;
		st = states(p, color);
		if (!st)
			return false;
		st[idx].sw_time = t;
		atomic_fetch_or(&st[idx].pos, RT_TEARDOWN);
		return true;
	}
	return false;
}

/*
 * SENDC: a control wavelet on color with command cmd and payload, from
 * the main thread. It departs like a SEND (after async sends on the
 * color issued before, once every destination has room).
 */
enum step wafer_sendc(struct exec_ctx *x, unsigned int color,
		      unsigned int cmd, uint32_t payload)
{
	struct wafer_program *p = x->p;
	struct pe *pe = x->pe;
	struct color_fabric *cf = &p->fab[color];
	struct wafer_walk wk = { .want_routers = true };
	struct wafer_route *rt;
	struct pe **w = NULL;
	uint32_t nw = 0;
	bool changed = false;
	uint8_t wait = W_NONE;
	enum step st;
	uint64_t t;

	if (pe->fl && pe->fl->live_mask) {
		st = wafer_main_deps(x, 0, (uint8_t)color);
		if (st != STEP_OK)
			return st;
	}
	pthread_mutex_lock(&cf->lock);
	st = wafer_route_walk(x, color, &wk, &wait);
	if (st == STEP_BLOCK)
		wafer_switch_wait(x, color);
	if (st != STEP_OK)
		goto out;
	rt = malloc(sizeof(*rt) + wk.ndest * sizeof(rt->d[0]));
	if (!rt) {
		st = wafer_pe_fault(x, WAFER_ERR_NOMEM,
				    "out of memory for a control wavelet");
		goto out;
	}
	rt->n = wk.ndest;
	rt->min_dep = wk.min_dep;
	if (wk.ndest)
		memcpy(rt->d, wk.dest, wk.ndest * sizeof(rt->d[0]));
	wafer_route_note_merged(rt);
	wafer_route_take(x, rt);
	if (!wafer_route_space(rt)) {
		free(rt);
		wait = W_SEND;
		st = STEP_BLOCK;
		goto out;
	}
	t = u64_max(pe->clock + COST_SIMPLE, wafer_route_free_time(rt, 0));
	t = u64_max(t, rt->min_dep);
	st = wafer_route_push(x, rt, &payload, &t, 1,
			      FQ_CTL | (uint64_t)cmd << FQ_CMD_SHIFT, pe->pc);
	free(rt);
	if (st != STEP_OK)
		goto out;
	for (uint32_t i = 0; i < wk.nrouters; i++)
		changed |= router_apply(p, color, wk.routers[i].idx, cmd,
					t + wk.routers[i].dist,
					wk.routers[i].ramp);
	if (changed)
		w = take_waiters(cf, &nw);
	pe->clock = t;
out:
	pthread_mutex_unlock(&cf->lock);
	wafer_walk_free(&wk);
	kick_waiters(x, w, nw);
	if (st == STEP_BLOCK) {
		pe->inprog = true;
		pe->wait_kind = wait;
		pe->wait_color = (uint8_t)color;
	} else if (st == STEP_OK) {
		pe->inprog = false;
	}
	return st;
}

/* SWSET: pick a position of the PE's own router; only in teardown. */
enum step wafer_swset(struct exec_ctx *x, unsigned int color,
		      unsigned int pos)
{
	struct wafer_program *p = x->p;
	struct pe *pe = x->pe;
	struct color_fabric *cf = &p->fab[color];
	struct rt_state *st;
	struct pe **w = NULL;
	uint32_t cur, nw = 0;

	pthread_mutex_lock(&cf->lock);
	st = atomic_load(&cf->st);
	cur = st ? atomic_load(&st[pe->idx].pos) : 0;
	if (!(cur & RT_TEARDOWN)) {
		pthread_mutex_unlock(&cf->lock);
		return wafer_pe_fault(x, WAFER_ERR_ILLEGAL_INSN,
				      "illegal instruction: swset on color %u, which the router is not tearing down",
				      color);
	}
	if (!cf->cfgs || pos >= wafer_rt_cfg(cf, pe->idx)->npos) {
		pthread_mutex_unlock(&cf->lock);
		return wafer_pe_fault(x, WAFER_ERR_ILLEGAL_INSN,
				      "illegal instruction: swset to position %u of color %u, which the router does not have",
				      pos, color);
	}
	pe->clock += COST_SIMPLE;
	st[pe->idx].sw_time = pe->clock;
	atomic_store(&st[pe->idx].pos, RT_TEARDOWN | pos);
	w = take_waiters(cf, &nw);
	pthread_mutex_unlock(&cf->lock);
	kick_waiters(x, w, nw);
	return STEP_OK;
}

/* TDEXIT: the PE's own router takes the color again. */
enum step wafer_tdexit(struct exec_ctx *x, unsigned int color)
{
	struct wafer_program *p = x->p;
	struct pe *pe = x->pe;
	struct color_fabric *cf = &p->fab[color];
	struct rt_state *st;
	struct pe **w = NULL;
	uint32_t nw = 0;

	pe->clock += COST_SIMPLE;
	pthread_mutex_lock(&cf->lock);
	st = atomic_load(&cf->st);
	if (st && (atomic_load(&st[pe->idx].pos) & RT_TEARDOWN)) {
		st[pe->idx].sw_time = pe->clock;
		atomic_fetch_and(&st[pe->idx].pos, ~(uint32_t)RT_TEARDOWN);
		w = take_waiters(cf, &nw);
	}
	pthread_mutex_unlock(&cf->lock);
	kick_waiters(x, w, nw);
	return STEP_OK;
}

/* Every launch starts with all routers in position 0, none torn down. */
void wafer_switches_reset(struct wafer_program *p)
{
	for (unsigned int c = 0; c < WAFER_COLORS; c++) {
		struct color_fabric *cf = &p->fab[c];
		struct rt_state *st = atomic_load(&cf->st);

		if (st)
			memset(st, 0, p->npes * sizeof(*st));
		cf->nwaiters = 0;
	}
}
