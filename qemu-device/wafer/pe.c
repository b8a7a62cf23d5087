// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pe.c - one slice of a PE: its microthreads and its main thread, until
 * nothing of it can move, then what it publishes for the others.
 *
 * The components of a PE (the main thread and up to eight microthreads)
 * each have their own clock and progress by data alone (uthread.c says
 * how they order their footprints), so the worker runs them in any order,
 * as far as each can go, and loops while any moved. The main thread runs
 * tasks (exec.c) and, when idle, picks the next one (task.c).
 *
 * Nothing whose modeled time is past the run's earliest fault runs: the
 * fault is final once every PE has passed its time or waits.
 */
#include "internal.h"

static void offer_fault(struct exec_ctx *x)
{
	wafer_run_offer_fault(x->run, x->fault, x->fault_t,
			      (uint64_t)x->pe->idx << 32 |
			      (uint64_t)x->fault_comp << 24 | x->fault_sub);
}

/* No task can ever run again and nothing is in flight. */
static bool pe_finished(const struct pe *pe)
{
	const struct pe_flow *fl = pe->fl;

	if (fl && fl->busy_mask)
		return false;
	if (pe->main == MAIN_HALT)
		return true;
	/* Idle without a task table: only its own completions could act. */
	return pe->main == MAIN_IDLE && !pe->gt &&
	       (!fl || (!fl->nev && !fl->tentry_mask && !fl->timer_at));
}

/* What the PE may still send, at the earliest (horizon.c). */
static uint64_t pe_horizon(const struct pe *pe)
{
	const struct pe_flow *fl = pe->fl;
	uint64_t h = T_INF;

	if (pe->main == MAIN_RUN)
		h = pe->clock + COST_SIMPLE;
	else if (pe->main == MAIN_IDLE && pe->idle_lb != T_INF)
		h = pe->idle_lb + COST_TASK_START + COST_SIMPLE;
	if (fl && fl->busy_mask)
		for (unsigned int u = 0; u < WAFER_UTHREADS; u++)
			if ((fl->busy_mask & (1u << u)) &&
			    fl->ut[u].fp.out_color != 0xff)
				h = u64_min(h, fl->ut[u].clock + COST_SIMPLE);
	return h;
}

enum slice wafer_pe_slice(struct exec_ctx *x)
{
	struct pe *pe = x->pe;
	struct wafer_run *run = x->run;
	enum step st;

	x->work = 0;
	for (;;) {
		const uint64_t limit = atomic_load_explicit(&run->fault_time,
							    memory_order_relaxed);
		bool moved = false;

		x->progress = false;
		pe->next_event = T_INF;
		if (pe->fl && pe->fl->busy_mask) {
			moved |= wafer_uthreads_step(x, &st);
			if (st == STEP_YIELD)
				goto yield;
		}
		if (pe->main == MAIN_RUN && pe->clock <= limit) {
			uint64_t ic = pe->icount, ck = pe->clock;
			uint32_t pc = pe->pc;

#ifdef WAFER_NO_TRACE
			st = wafer_pe_run(x);
#else
			st = wafer_traced(pe) ? wafer_pe_run_traced(x) : wafer_pe_run(x);
#endif
			moved |= pe->icount != ic || pe->clock != ck ||
				 pe->pc != pc;
			if (wafer_traced(pe) &&
			    (st == STEP_TRET || st == STEP_HALT || st == STEP_FAULT))
				wafer_trace_task_end(pe);
			switch (st) {
			case STEP_TRET:
				pe->main = MAIN_IDLE;
				moved = true;
				break;
			case STEP_HALT:
				pe->main = MAIN_HALT;
				moved = true;
				break;
			case STEP_FAULT:
				offer_fault(x);
				pe->main = MAIN_HALT;
				moved = true;
				break;
			case STEP_YIELD:
				goto yield;
			default:
				break;
			}
			pe->end = u64_max(pe->end, pe->clock);
		}
		if (pe->main == MAIN_IDLE && pe->clock <= limit) {
			st = wafer_task_select(x);
			if (st == STEP_OK)
				moved = true;
			if (st == STEP_FAULT) {
				offer_fault(x);
				pe->main = MAIN_HALT;
				moved = true;
			}
		}
		if (!moved && !x->progress)
			break;
		if (x->work >= WAFER_QUANTUM)
			goto yield;
	}
	wafer_horizon_publish(x, pe_finished(pe) ? T_INF : pe_horizon(pe));
	return pe_finished(pe) ? SLICE_DONE : SLICE_PARK;
yield:
	pe->next_event = T_INF;
	wafer_horizon_publish(x, pe_horizon(pe));
	return SLICE_YIELD;
}
