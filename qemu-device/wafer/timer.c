// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * timer.c - the PE's timer: TIMER arms it, TCANCEL disarms it, and when
 * it fires task 30 (the timer task) is activated.
 *
 * The timer is a deadline in modeled cycles (pe_flow.timer_at, 0: not
 * armed), set from the main thread's clock and the delay the program
 * gives; nothing about it depends on host timing. Firing is an event of
 * the PE's own task table, like an async completion: task.c takes the
 * deadline into the earliest time something can happen when it chooses
 * the next task, and sets task 30's activated bit once its clock (the
 * time it decides at) reaches the deadline. So an armed timer is a
 * pending event: the PE is never done while one is armed, and a global
 * stall moves the run's GVT up to it (sched.c) as it does for any
 * decision at a known modeled time.
 *
 * Re-arming and cancelling are ordered in modeled time too: a deadline at
 * or before the instruction's time has fired already (task 30 stays
 * activated), a later one is replaced or dropped.
 */
#include "internal.h"

void wafer_timer_fire(struct pe *pe, uint64_t t)
{
	struct pe_flow *fl = pe->fl;

	if (!fl || !fl->timer_at || fl->timer_at > t)
		return;
	fl->active |= 1ull << TASK_TIMER;
	pe->end = u64_max(pe->end, fl->timer_at);
	fl->timer_at = 0;
}

bool wafer_timer_arm(struct exec_ctx *x, uint32_t delay)
{
	struct pe *pe = x->pe;
	struct pe_flow *fl = wafer_pe_flow(x);

	if (!fl)
		return false;
	wafer_timer_fire(pe, pe->clock);
	/* It fires delay cycles after TIMER completes (TIMER costs 1). */
	fl->timer_at = pe->clock + COST_SIMPLE + delay;
	return true;
}

bool wafer_timer_cancel(struct exec_ctx *x)
{
	struct pe *pe = x->pe;
	struct pe_flow *fl = wafer_pe_flow(x);

	if (!fl)
		return false;
	wafer_timer_fire(pe, pe->clock);
	fl->timer_at = 0;
	return true;
}
