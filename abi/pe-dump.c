// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pe-dump.c - checking and printing a PE state record (pe-dump.h).
 *
 * The instruction at pc is printed by isa_disasm(), the disassembler
 * wse-objdump uses, so a dump and a listing of the image show the same
 * text for the same word.
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "image.h"
#include "isa.h"
#include "isa-names.h"
#include "pe-dump.h"

_Static_assert(sizeof(struct wafer_pe_dump) == 4456, "PE dump v1 layout");
_Static_assert(sizeof(struct wafer_pe_dump_uthread) == 32, "uthread layout");
_Static_assert(sizeof(struct wafer_pe_dump_queue) == 104, "queue layout");

int wafer_pe_dump_check(const void *rec, size_t len)
{
	struct wafer_pe_dump h;

	if (!rec || len < WAFER_PE_DUMP_V1_SIZE)
		return -EINVAL;
	memcpy(&h, rec, offsetof(struct wafer_pe_dump, x));
	if (h.magic != WAFER_PE_DUMP_MAGIC || h.version < 1 ||
	    h.size < WAFER_PE_DUMP_V1_SIZE || h.size > len)
		return -EINVAL;
	return 0;
}

/* An output buffer that counts what did not fit, like snprintf. */
struct out {
	char *buf;
	size_t len, at;
};

static void __attribute__((format(printf, 2, 3)))
put(struct out *o, const char *fmt, ...)
{
	size_t room = o->at < o->len ? o->len - o->at : 0;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(room ? o->buf + o->at : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->at += (size_t)n;
}

static const char *const state_names[] = {
	"off", "running", "idle", "halted",
};

static const char *const wait_names[] = {
	"nothing", "receive", "send", "switch", "microthreads", "lookahead",
};

static const char *name_of(const char *const *t, size_t n, unsigned int v)
{
	return v < n ? t[v] : "?";
}

#define NAME(t, v) name_of(t, sizeof(t) / sizeof(t[0]), v)

static void put_ports(struct out *o, unsigned int ports)
{
	bool first = true;

	if (!ports) {
		put(o, "-");
		return;
	}
	for (unsigned int b = 1; b <= WAFER_PORT_WEST; b <<= 1) {
		const char *n = isa_port_name(b);

		if (!(ports & b))
			continue;
		put(o, "%s%s", first ? "" : "|", n ? n : "?");
		first = false;
	}
}

static void put_wait(struct out *o, unsigned int kind, unsigned int color)
{
	put(o, "%s", NAME(wait_names, kind));
	if (kind == WAFER_PE_DUMP_W_RECV || kind == WAFER_PE_DUMP_W_SEND ||
	    kind == WAFER_PE_DUMP_W_SWITCH)
		put(o, " on color %u", color);
}

static void put_head(struct out *o, const struct wafer_pe_dump *d)
{
	char insn[96];

	put(o, "PE (%u,%u): %s", d->x, d->y, NAME(state_names, d->state));
	if (d->state != WAFER_PE_DUMP_OFF) {
		if (d->cur_task == 0xff)
			put(o, " in the launched function");
		else
			put(o, " in task %u", d->cur_task);
	}
	put(o, ", %llu cycles, %llu instructions\n",
	    (unsigned long long)d->clock, (unsigned long long)d->icount);
	if (d->flags & WAFER_PE_DUMP_F_INSN) {
		isa_disasm(d->insn, insn, sizeof(insn), NULL, NULL);
		put(o, "pc 0x%04x: %016llx  %s\n", d->pc,
		    (unsigned long long)d->insn, insn);
	} else {
		put(o, "pc 0x%04x: outside SRAM\n", d->pc);
	}
	put(o, "waits for ");
	put_wait(o, d->wait_kind, d->wait_color);
	if (d->wait_kind == WAFER_PE_DUMP_W_UT)
		put(o, " 0x%02x", d->wait_ut);
	put(o, "%s\n", d->flags & WAFER_PE_DUMP_F_PREFIX ?
	    ", async prefix pending" : "");
}

static void put_regs(struct out *o, const struct wafer_pe_dump *d)
{
	for (unsigned int i = 0; i < 16; i++)
		put(o, "%sr%-2u %08x%s", i % 4 ? "  " : "", i, d->r[i],
		    i % 4 == 3 ? "\n" : "");
}

static void put_dsds(struct out *o, const struct wafer_pe_dump *d)
{
	for (unsigned int i = 0; i < 16; i++) {
		const struct wafer_pe_dump_dsd *s = &d->dsd[i];
		const char *t = isa_type_name(s->type);

		if (s->kind == 1) {
			put(o, "d%-2u fabric color %u, %u x %s\n", i, s->color,
			    s->len[0], t ? t : "?");
			continue;
		}
		if (!s->len[0])
			continue;	/* zeroed: an unused memory DSD */
		put(o, "d%-2u mem 0x%04x %s", i, s->base, t ? t : "?");
		for (unsigned int k = 0; k < s->ndim && k < 4; k++)
			put(o, "%s%u:%d", k ? " " : " len:stride ", s->len[k],
			    s->stride[k]);
		put(o, "\n");
	}
}

static const char *const kind_names[] = { "-", "data", "local", "control" };

static void put_tasks(struct out *o, const struct wafer_pe_dump *d)
{
	if (!(d->flags & WAFER_PE_DUMP_F_TASKS))
		return;
	put(o, "tasks: active 0x%016llx blocked 0x%016llx\n",
	    (unsigned long long)d->task_active,
	    (unsigned long long)d->task_blocked);
	for (unsigned int t = 0; t < 64; t++) {
		const struct wafer_pe_dump_task *k = &d->task[t];

		if (!(d->task_defined >> t & 1))
			continue;
		put(o, "  task %-2u %-7s entry 0x%04x prio %u", t,
		    NAME(kind_names, k->kind), k->entry, k->prio);
		if (k->kind == WAFER_TASK_DATA || k->kind == WAFER_TASK_CONTROL)
			put(o, " color %u", k->color);
		put(o, "%s%s\n", d->task_active >> t & 1 ? " active" : "",
		    d->task_blocked >> t & 1 ? " blocked" : "");
	}
}

static void put_uthreads(struct out *o, const struct wafer_pe_dump *d)
{
	static const char *const act[] = { "", "activate", "unblock" };

	for (unsigned int u = 0; u < 8; u++) {
		const struct wafer_pe_dump_uthread *t = &d->ut[u];
		const struct isa_op_info *op;

		if (!t->busy)
			continue;
		op = isa_op_by_opcode(t->op);
		put(o, "ut%u %s from pc 0x%04x, %u of %u elements, waits for ",
		    u, op ? op->name : "?", t->pc, t->done, t->n);
		put_wait(o, t->wait_kind, t->wait_color);
		if (t->action && t->action < 3)
			put(o, ", then %s task %u", act[t->action], t->task);
		put(o, "\n");
	}
}

static void put_fabric(struct out *o, const struct wafer_pe_dump *d)
{
	for (unsigned int c = 0; c < 24; c++) {
		const struct wafer_pe_dump_router *r = &d->router[c];
		const struct wafer_pe_dump_queue *q = &d->queue[c];

		if (!r->npos && !q->count)
			continue;
		put(o, "color %-2u ", c);
		if (r->torn_down) {
			put(o, "torn down");
		} else {
			put(o, "rx ");
			put_ports(o, r->rx);
			put(o, " tx ");
			put_ports(o, r->tx);
			if (r->npos > 1)
				put(o, " position %u of %u", r->pos, r->npos);
		}
		if (q->depth)
			put(o, ", queue %u/%u", q->count, q->depth);
		for (unsigned int i = 0; i < q->count && i < WAFER_PE_DUMP_QSHOW; i++)
			put(o, "%s%s%08x@%llu", i ? " " : ": ",
			    q->arr[i] & WAFER_PE_DUMP_ARR_CTL ? "ctl:" : "",
			    q->val[i], (unsigned long long)
			    (q->arr[i] & WAFER_PE_DUMP_ARR_TIME_MASK));
		if (q->count > WAFER_PE_DUMP_QSHOW)
			put(o, " ...");
		put(o, "\n");
	}
}

int wafer_pe_dump_text(const void *rec, size_t len, char *buf, size_t buflen)
{
	struct out o = { buf, buflen, 0 };
	struct wafer_pe_dump d;

	if (wafer_pe_dump_check(rec, len))
		return -EINVAL;
	memcpy(&d, rec, sizeof(d));
	if (buflen)
		buf[0] = '\0';
	put_head(&o, &d);
	put_regs(&o, &d);
	put_dsds(&o, &d);
	put_tasks(&o, &d);
	put_uthreads(&o, &d);
	put_fabric(&o, &d);
	return o.at > INT32_MAX ? -EINVAL : (int)o.at;
}
