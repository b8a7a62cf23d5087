// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dump.c - the state of one PE as a record (abi/pe-dump.h).
 *
 * Every read of PE internals for a dump is in this file, so that changes
 * to how the core keeps PE state touch one place. A dump is taken
 * between launches: what a PE holds then is what the last launch left
 * (registers, task table, queues with the wavelets nobody took, switch
 * positions), which is the state to look at after a fault or a deadlock.
 * wafer.lock keeps a launch of the program from starting meanwhile.
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <errno.h>
#include <string.h>

#include "internal.h"
#include "pe-dump.h"

_Static_assert((int)MAIN_OFF == WAFER_PE_DUMP_OFF && (int)MAIN_RUN == WAFER_PE_DUMP_RUN &&
	       (int)MAIN_IDLE == WAFER_PE_DUMP_IDLE && (int)MAIN_HALT == WAFER_PE_DUMP_HALT,
	       "main thread states");
_Static_assert((int)W_NONE == WAFER_PE_DUMP_W_NONE && (int)W_RECV == WAFER_PE_DUMP_W_RECV &&
	       (int)W_SEND == WAFER_PE_DUMP_W_SEND && (int)W_SWITCH == WAFER_PE_DUMP_W_SWITCH &&
	       (int)W_UT == WAFER_PE_DUMP_W_UT && (int)W_DECIDE == WAFER_PE_DUMP_W_DECIDE,
	       "wait kinds");
_Static_assert(ISA_NUM_REGS == 16 && ISA_NUM_DSDS == 16 &&
	       WAFER_TASKS == 64 && WAFER_UTHREADS == 8 && WAFER_COLORS == 24 &&
	       DSD_DIMS == 4 && WAFER_POSITIONS == 4, "record dimensions");

static void dump_dsd(struct wafer_pe_dump_dsd *o, const struct pe_dsd *d)
{
	o->kind = d->kind;
	o->type = d->type;
	o->ndim = d->ndim;
	o->color = d->color;
	o->base = d->base;
	for (unsigned int k = 0; k < DSD_DIMS; k++) {
		o->len[k] = d->len[k];
		o->stride[k] = d->stride[k];
	}
}

static uint32_t dump_task_entry(const struct pe *pe, unsigned int t)
{
	if (pe->fl && pe->fl->entry && pe->fl->entry[t] != WAFER_NO_ENTRY)
		return pe->fl->entry[t];
	return pe->gt ? pe->gt->t[t].entry : WAFER_NO_ENTRY;
}

static void dump_tasks(struct wafer_pe_dump *d, const struct pe *pe)
{
	for (unsigned int t = 0; t < WAFER_TASKS; t++) {
		struct wafer_pe_dump_task *o = &d->task[t];

		o->entry = dump_task_entry(pe, t);
		if (pe->gt && pe->gt->t[t].entry != WAFER_NO_ENTRY) {
			o->kind = pe->gt->t[t].kind;
			o->color = pe->gt->t[t].color;
			o->prio = pe->gt->t[t].prio;
			o->flags = pe->gt->t[t].flags;
		} else if (o->entry != WAFER_NO_ENTRY) {
			o->kind = WAFER_TASK_LOCAL;	/* made by TENTRY */
		}
		if (o->entry != WAFER_NO_ENTRY)
			d->task_defined |= 1ull << t;
	}
	if (pe->fl) {
		d->task_active = pe->fl->active;
		d->task_blocked = pe->fl->blocked;
	}
}

static void dump_uthreads(struct wafer_pe_dump *d, const struct pe *pe)
{
	if (!pe->fl)
		return;
	d->ut_busy = pe->fl->busy_mask;
	for (unsigned int u = 0; u < WAFER_UTHREADS; u++) {
		const struct uthread *ut = &pe->fl->ut[u];
		struct wafer_pe_dump_uthread *o = &d->ut[u];

		o->busy = !!(pe->fl->busy_mask & (1u << u));
		if (!o->busy)
			continue;
		o->action = ut->action;
		o->task = ut->task;
		o->op = ut->op.op;
		o->pc = ut->op.pc;
		o->n = ut->op.n;
		o->done = ut->op.vi;
		o->wait_kind = ut->op.wait_kind;
		o->wait_color = ut->op.wait_color;
		o->clock = ut->clock;
	}
}

static void dump_router(struct wafer_pe_dump_router *o,
			const struct color_fabric *cf, uint32_t idx)
{
	const struct rt_cfg *c;
	struct rt_state *st;
	uint32_t pos = 0;

	if (!cf->cfgs)
		return;
	c = wafer_rt_cfg(cf, idx);
	st = atomic_load_explicit(&cf->st, memory_order_acquire);
	if (st)
		pos = atomic_load_explicit(&st[idx].pos, memory_order_acquire);
	o->npos = c->npos;
	o->ring = c->ring;
	o->torn_down = !!(pos & RT_TEARDOWN);
	o->pos = (uint8_t)(pos & (WAFER_POSITIONS - 1));
	for (unsigned int k = 0; k < WAFER_POSITIONS && k < c->npos; k++) {
		o->pos_rx[k] = c->rx[k];
		o->pos_tx[k] = c->tx[k];
	}
	if (!o->torn_down && o->pos < c->npos) {
		o->rx = c->rx[o->pos];
		o->tx = c->tx[o->pos];
	}
}

static void dump_queue(struct wafer_pe_dump_queue *o, struct wafer_fq *q)
{
	uint32_t n;

	if (!q)
		return;
	o->depth = q->depth;
	if (!atomic_load_explicit(&q->ready, memory_order_acquire))
		return;
	n = wafer_fq_avail(q);
	o->count = n;
	for (uint32_t i = 0; i < n && i < WAFER_PE_DUMP_QSHOW; i++)
		wafer_fq_peek(q, i, &o->val[i], &o->arr[i]);
}

static void dump_pe(struct wafer_pe_dump *d, const struct wafer_program *p,
		    struct pe *pe)
{
	d->state = pe->main;
	d->cur_task = pe->cur_task;
	d->pc = pe->pc;
	d->clock = pe->clock;
	d->icount = pe->icount;
	d->end = pe->end;
	d->wait_kind = pe->wait_kind;
	d->wait_color = pe->wait_color;
	d->wait_ut = pe->wait_ut;
	if (pe->prefix)
		d->flags |= WAFER_PE_DUMP_F_PREFIX;
	memcpy(d->r, pe->r, sizeof(d->r));
	if (pe->rect < p->nrects && p->code[p->rects[pe->rect].group])
		d->flags |= WAFER_PE_DUMP_F_CODE;
	if (pe->gt)
		d->flags |= WAFER_PE_DUMP_F_TASKS;
	if (pe->sram && pe->pc % ISA_INSN_BYTES == 0 &&
	    (uint64_t)pe->pc + ISA_INSN_BYTES <= p->sram_bytes) {
		memcpy(&d->insn, pe->sram + pe->pc, sizeof(d->insn));
		d->flags |= WAFER_PE_DUMP_F_INSN;
	}
	if (pe->v)
		for (unsigned int i = 0; i < ISA_NUM_DSDS; i++)
			dump_dsd(&d->dsd[i], &pe->v->d[i]);
	dump_tasks(d, pe);
	dump_uthreads(d, pe);
	for (unsigned int c = 0; c < WAFER_COLORS; c++) {
		dump_router(&d->router[c], &p->fab[c], pe->idx);
		dump_queue(&d->queue[c], wafer_rxq(p, pe, c));
	}
}

int wafer_pe_dump(struct wafer_program *p, uint32_t x, uint32_t y,
		  struct wafer_pe_dump *d)
{
	struct wafer *w;

	if (!p || !d)
		return -EINVAL;
	if (x >= p->region.w || y >= p->region.h)
		return -EINVAL;
	memset(d, 0, sizeof(*d));
	d->magic = WAFER_PE_DUMP_MAGIC;
	d->version = WAFER_PE_DUMP_VERSION;
	d->size = sizeof(*d);
	d->flags = WAFER_PE_DUMP_F_PROGRAM;
	d->x = x;
	d->y = y;
	d->sram_bytes = p->sram_bytes;
	for (unsigned int t = 0; t < WAFER_TASKS; t++)
		d->task[t].entry = WAFER_NO_ENTRY;

	w = p->w;
	pthread_mutex_lock(&w->lock);
	if (p->run) {
		pthread_mutex_unlock(&w->lock);
		return -EBUSY;
	}
	dump_pe(d, p, &p->pes[(size_t)y * p->region.w + x]);
	pthread_mutex_unlock(&w->lock);
	return 0;
}
