// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * trace.c - opt-in launch traces and per-PE counters (abi/wafer-trace.h).
 *
 * Off, the executor's hot paths have no hook: the run loop, SEND, RECV
 * and wafer_send1() come in an untraced copy (exec.c, fabric.c), and the
 * fabric's pushes and pops leave the check to their callers
 * (wafer_route_push(), wafer_fq_pop() in internal.h). Elsewhere (task
 * starts and ends, vector chunks) a hook is one predictable branch on
 * pe->tr (NULL). Nothing is allocated: wafer_trace_arm() asks for
 * the next launch of a program, which allocates a buffer per PE, and
 * the records stay with the program until the next traced launch or its
 * free. Every hook runs on the worker that owns the PE (internal.h), so
 * no lock is taken while recording.
 *
 * Determinism: what a PE does is the same at any thread count, but the
 * order in which its main thread and microthreads get to record may not
 * be. So a PE keeps the max_events smallest events in a total order on
 * their content (cycle first): the buffer holds twice that, and when it
 * fills it is sorted and cut in half, later events above the cut being
 * counted as dropped at once. What is kept and the drop count depend
 * only on the set of events.
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "wafer-trace.h"

struct pe_trace {
	struct wafer_trace_event *ev;	/* 2 * max entries, or NULL */
	uint32_t n, max;
	bool cut;			/* cutoff is valid */
	struct wafer_trace_event cutoff;
	uint64_t dropped;
	uint64_t next_sample;		/* icount of the next INSN event */
	uint32_t sample_every;
	uint64_t task_t0;		/* clock at the running task's start */
	uint64_t task_stall0;		/* stalls then */
	bool in_task;
	struct wafer_pe_counters c;
};

struct wafer_trace_state {
	bool armed;
	struct wafer_trace_config next;	/* for the next launch */
	bool have;			/* records of the last traced launch */
	struct pe_trace *pes;
	uint32_t npes;
};

static int ev_cmp(const void *a, const void *b)
{
	const struct wafer_trace_event *x = a, *y = b;

	if (x->cycle != y->cycle)
		return x->cycle < y->cycle ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->color != y->color)
		return x->color < y->color ? -1 : 1;
	if (x->aux != y->aux)
		return x->aux < y->aux ? -1 : 1;
	if (x->arg != y->arg)
		return x->arg < y->arg ? -1 : 1;
	return 0;
}

static void state_free_records(struct wafer_trace_state *s)
{
	if (s->pes)
		for (uint32_t i = 0; i < s->npes; i++)
			free(s->pes[i].ev);
	free(s->pes);
	s->pes = NULL;
	s->npes = 0;
	s->have = false;
}

void wafer_trace_free(struct wafer_program *p)
{
	if (!p->trace)
		return;
	state_free_records(p->trace);
	free(p->trace);
	p->trace = NULL;
}

int wafer_trace_arm(struct wafer_program *p, const struct wafer_trace_config *cfg)
{
	struct wafer *w;
	int ret = 0;

	if (!p)
		return -EINVAL;
	if (cfg && (cfg->pad || (cfg->flags & ~(WAFER_TRACE_F_EVENTS | WAFER_TRACE_F_COUNTERS)) ||
		    cfg->max_events > WAFER_TRACE_EVENTS_MAX))
		return -EINVAL;
	w = p->w;
	pthread_mutex_lock(&w->lock);
	if (!cfg || !cfg->flags) {
		if (p->trace)
			p->trace->armed = false;
		goto out;
	}
	if (!p->trace) {
		p->trace = calloc(1, sizeof(*p->trace));
		if (!p->trace) {
			ret = -ENOMEM;
			goto out;
		}
	}
	p->trace->next = *cfg;
	if (!p->trace->next.max_events)
		p->trace->next.max_events = WAFER_TRACE_EVENTS_DEFAULT;
	p->trace->armed = true;
out:
	pthread_mutex_unlock(&w->lock);
	return ret;
}

/* Called by wafer_launch() before its PEs start; p->run is ours. */
int wafer_trace_begin(struct wafer_program *p)
{
	struct wafer_trace_state *s = p->trace;
	const struct wafer_trace_config *cfg;
	bool events;

	if (wf_likely(!s || !s->armed))
		return 0;
	cfg = &s->next;
	s->armed = false;
	state_free_records(s);
	s->pes = calloc(p->npes, sizeof(*s->pes));
	if (!s->pes)
		return -ENOMEM;
	s->npes = p->npes;
	events = cfg->flags & WAFER_TRACE_F_EVENTS;
	for (uint32_t i = 0; i < p->npes; i++) {
		struct pe_trace *t = &s->pes[i];

		if (events) {
			t->max = cfg->max_events;
			t->ev = malloc(2 * (size_t)t->max * sizeof(*t->ev));
			if (!t->ev) {
				/* No PE may keep a pointer into what is freed. */
				for (uint32_t j = 0; j < i; j++)
					p->pes[j].tr = NULL;
				state_free_records(s);
				return -ENOMEM;
			}
			t->sample_every = cfg->sample_every;
			t->next_sample = cfg->sample_every ? cfg->sample_every - 1 : UINT64_MAX;
		}
		p->pes[i].tr = t;
	}
	s->have = true;
	return 0;
}

static void trim(struct pe_trace *t)
{
	qsort(t->ev, t->n, sizeof(*t->ev), ev_cmp);
	if (t->n > t->max) {
		t->dropped += t->n - t->max;
		t->n = t->max;
	}
	if (t->n) {
		t->cutoff = t->ev[t->n - 1];
		t->cut = t->n == t->max;
	}
}

static void record(struct pe_trace *t, uint8_t kind, uint8_t color,
		   uint16_t aux, uint32_t arg, uint64_t cycle)
{
	struct wafer_trace_event e = {
		.cycle = cycle, .arg = arg, .aux = aux, .kind = kind, .color = color,
	};

	if (!t->ev)
		return;
	if (t->cut && ev_cmp(&e, &t->cutoff) >= 0) {
		t->dropped++;
		return;
	}
	if (t->n == 2 * t->max)
		trim(t);
	if (t->cut && ev_cmp(&e, &t->cutoff) >= 0) {
		t->dropped++;
		return;
	}
	t->ev[t->n++] = e;
}

void wafer_trace_task_start(struct pe *pe, unsigned int task, uint64_t clock)
{
	struct pe_trace *t = pe->tr;

	t->c.tasks++;
	t->in_task = true;
	t->task_t0 = clock;
	t->task_stall0 = t->c.stall_send + t->c.stall_recv;
	record(t, WAFER_TEV_TASK_START, 0xff,
	       task == TASK_ENTRY ? WAFER_TRACE_TASK_FUNCTION : (uint16_t)task,
	       pe->pc, clock);
}

void wafer_trace_task_end(struct pe *pe)
{
	struct pe_trace *t = pe->tr;
	uint64_t stalls;

	if (!t->in_task)
		return;
	t->in_task = false;
	stalls = t->c.stall_send + t->c.stall_recv - t->task_stall0;
	if (pe->clock > t->task_t0 + stalls)
		t->c.busy += pe->clock - t->task_t0 - stalls;
	record(t, WAFER_TEV_TASK_END, 0xff,
	       pe->cur_task == TASK_ENTRY ? WAFER_TRACE_TASK_FUNCTION : pe->cur_task,
	       pe->pc, pe->clock);
}

uint64_t wafer_trace_stop_at(const struct pe *pe, uint64_t bused,
			     uint64_t icount, uint64_t budget)
{
	const struct pe_trace *t = pe->tr;
	uint64_t at;

	if (!t->sample_every)
		return budget;
	if (t->next_sample <= icount)
		return bused;
	at = bused + (t->next_sample - icount);
	return at < bused || at > budget ? budget : at;
}

void wafer_trace_sample(struct pe *pe, uint32_t pc, uint64_t icount,
			uint64_t clock)
{
	struct pe_trace *t = pe->tr;

	if (icount < t->next_sample)
		return;
	record(t, WAFER_TEV_INSN, 0xff, 0, pc, clock);
	while (t->next_sample <= icount)
		t->next_sample += t->sample_every;
}

void wafer_trace_wavelets(struct pe *pe, unsigned int kind, unsigned int color,
			  uint32_t k, uint64_t cycle)
{
	struct pe_trace *t = pe->tr;

	if (kind == WAFER_TEV_SEND)
		t->c.wavelets_out += k;
	else
		t->c.wavelets_in += k;
	record(t, (uint8_t)kind, (uint8_t)color, 0, k, cycle);
}

void wafer_trace_stall(struct pe *pe, unsigned int kind, unsigned int color,
		       uint64_t from, uint64_t cycles)
{
	struct pe_trace *t = pe->tr;

	if (!cycles)
		return;
	if (kind == WAFER_TEV_STALL_SEND)
		t->c.stall_send += cycles;
	else
		t->c.stall_recv += cycles;
	record(t, (uint8_t)kind, (uint8_t)color, 0,
	       cycles > UINT32_MAX ? UINT32_MAX : (uint32_t)cycles, from);
}

void wafer_trace_sram(struct pe *pe, uint64_t bytes)
{
	pe->tr->c.sram_bytes += bytes;
}

/*
 * Called by wafer_launch() once every worker has left the run: close
 * the records with the launch's cycles (and its fault's, if any).
 */
void wafer_trace_end(struct wafer_program *p, uint64_t cycles, uint64_t fault_time)
{
	struct wafer_trace_state *s = p->trace;

	if (wf_likely(!s || !s->have || !p->pes[0].tr))
		return;
	for (uint32_t i = 0; i < p->npes; i++) {
		struct pe *pe = &p->pes[i];
		struct pe_trace *t = pe->tr;
		uint64_t used;

		if (!t)
			continue;
		if (t->in_task && pe->main == MAIN_RUN)
			wafer_trace_task_end(pe);
		if (t->ev) {
			trim(t);
			while (t->n && t->ev[t->n - 1].cycle > fault_time)
				t->n--;
		}
		t->c.cycles = cycles;
		t->c.instructions = pe->icount;
		used = t->c.busy + t->c.stall_send + t->c.stall_recv;
		t->c.idle = cycles > used ? cycles - used : 0;
		pe->tr = NULL;
	}
}

int wafer_trace_read(struct wafer_program *p, uint32_t x, uint32_t y,
		     struct wafer_trace_pe *hdr, struct wafer_trace_event *ev,
		     uint32_t max)
{
	const struct pe_trace *t;
	struct wafer *w;
	int ret = 0;

	if (!p || !hdr || (max && !ev) || x >= p->region.w || y >= p->region.h)
		return -EINVAL;
	w = p->w;
	pthread_mutex_lock(&w->lock);
	if (p->run) {
		ret = -EBUSY;
	} else if (!p->trace || !p->trace->have) {
		ret = -ENODATA;
	} else {
		t = &p->trace->pes[(size_t)y * p->region.w + x];
		memset(hdr, 0, sizeof(*hdr));
		hdr->x = x;
		hdr->y = y;
		hdr->nevents = t->n;
		hdr->dropped = t->dropped;
		if (t->n)
			memcpy(ev, t->ev, (size_t)(t->n < max ? t->n : max) * sizeof(*ev));
	}
	pthread_mutex_unlock(&w->lock);
	return ret;
}

int wafer_counters_read(struct wafer_program *p, struct wafer_pe_counters *c,
			size_t n)
{
	struct wafer *w;
	int ret = 0;

	if (!p || !c || n < p->npes)
		return -EINVAL;
	w = p->w;
	pthread_mutex_lock(&w->lock);
	if (p->run)
		ret = -EBUSY;
	else if (!p->trace || !p->trace->have)
		ret = -ENODATA;
	else
		for (uint32_t i = 0; i < p->npes; i++)
			c[i] = p->trace->pes[i].c;
	pthread_mutex_unlock(&w->lock);
	return ret;
}
