// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tasks.c - the task table of a code group:
 *
 *   .task ID, data, COLOR, LABEL[, OPTION]...     runs per wavelet on COLOR
 *   .task ID, control, COLOR, LABEL[, OPTION]...  per control wavelet
 *   .task ID, local, LABEL[, OPTION]...           when activated
 *
 * OPTION is prio=N (0..7, higher runs first), blocked (starts blocked)
 * or active (a local task that starts activated). ID is 0..63; 29 is the
 * teardown task and 30 the timer task (both local). LABEL is a .text
 * label of the group, which may be defined later: entries are resolved
 * after pass 1, like exports. An address (a number) in its place is an
 * entry in the group's .text too (wse-objdump prints one where the image
 * has no label there).
 */
#include <string.h>

#include "asm.h"
#include "isa.h"
#include "image.h"
#include "image-elf.h"

static const char *const kind_name[] = {
	[WAFER_TASK_DATA] = "data", [WAFER_TASK_LOCAL] = "local",
	[WAFER_TASK_CONTROL] = "control",
};

static int task_option(struct cur *c, struct task_rec *t)
{
	struct token *o = cur_tok(c);
	unsigned col;
	int64_t v;

	if (tok_is(o, "blocked")) {
		c->i++;
		t->flags |= WAFER_TASK_BLOCKED;
		return 0;
	}
	if (tok_is(o, "active")) {
		c->i++;
		if (t->kind != WAFER_TASK_LOCAL)
			return cur_error(c, "only local tasks can start active");
		t->flags |= WAFER_TASK_ACTIVE;
		return 0;
	}
	if (!tok_is(o, "prio"))
		return cur_error(c, "expected prio=N, blocked or active");
	c->i++;
	if (cur_expect(c, TK_ASSIGN, NULL))
		return -1;
	col = cur_tok(c)->col;
	if (expr_int(c, &v, 1, "priority"))
		return -1;
	if (v < 0 || v > WAFER_TASK_MAX_PRIO) {
		asm_error(c->a, c->loc, col, "priority %lld out of range 0..%u",
			  (long long)v, WAFER_TASK_MAX_PRIO);
		return -1;
	}
	t->prio = (uint8_t)v;
	return 0;
}

int dir_task(struct cur *c, const struct token *d)
{
	struct asm_ctx *a = c->a;
	struct task_rec t = { 0 }, *r;
	struct token *k, *l;
	unsigned col = cur_tok(c)->col;
	uint32_t color = 0;
	int64_t id;

	if (a->cur_group < 0) {
		asm_error(a, c->loc, d->col, ".task outside a .code block");
		return -1;
	}
	if (expr_int(c, &id, 1, "task id"))
		return -1;
	if (id < 0 || id >= WAFER_TASK_IDS) {
		asm_error(a, c->loc, col, "task id %lld out of range 0..63",
			  (long long)id);
		return -1;
	}
	if (cur_expect(c, TK_COMMA, NULL))
		return -1;
	k = cur_tok(c);
	if (tok_is(k, "data"))
		t.kind = WAFER_TASK_DATA;
	else if (tok_is(k, "local"))
		t.kind = WAFER_TASK_LOCAL;
	else if (tok_is(k, "control"))
		t.kind = WAFER_TASK_CONTROL;
	else
		return cur_error(c, "expected a task kind: data, local or control");
	c->i++;
	if (id == WAFER_TASK_TEARDOWN && t.kind != WAFER_TASK_LOCAL) {
		asm_error(a, c->loc, k->col,
			  "task 29 is the teardown task: it must be local");
		return -1;
	}
	if (id == WAFER_TASK_TIMER && t.kind != WAFER_TASK_LOCAL) {
		asm_error(a, c->loc, k->col,
			  "task 30 is the timer task: it must be local");
		return -1;
	}
	if (cur_expect(c, TK_COMMA, NULL))
		return -1;
	if (t.kind != WAFER_TASK_LOCAL &&
	    (expr_color(c, &color, 1) || cur_expect(c, TK_COMMA, NULL)))
		return -1;
	l = cur_tok(c);
	if (l->kind == TK_IDENT && !is_reserved_name(l->s, l->len) &&
	    (l[1].kind == TK_COMMA || l[1].kind == TK_EOL)) {
		c->i++;
	} else {
		int64_t addr;

		if (expr_int(c, &addr, 1, "task entry"))
			return -1;
		if (addr < 0 || addr > UINT32_MAX)
			return cur_error(c, "task entry out of range");
		t.entry = (uint32_t)addr;
		l = NULL;
	}
	t.id = (uint8_t)id;
	t.color = (uint8_t)color;
	while (cur_accept(c, TK_COMMA))
		if (task_option(c, &t))
			return -1;
	if (cur_end(c))
		return -1;
	if (a->ntasks == a->tasks_cap) {
		unsigned cap = a->tasks_cap ? 2 * a->tasks_cap : 16;
		struct task_rec *n = arena_alloc(&a->ar, cap * sizeof(*n));

		if (!n) {
			asm_nomem(a);
			return -1;
		}
		if (a->ntasks)
			memcpy(n, a->tasks, a->ntasks * sizeof(*n));
		a->tasks = n;
		a->tasks_cap = cap;
	}
	r = &a->tasks[a->ntasks++];
	*r = t;
	r->group = a->cur_group;
	r->loc = *c->loc;
	r->col = d->col;
	r->lcol = col;
	if (!l)
		return 0;
	r->lcol = l->col;
	r->label = arena_strndup(&a->ar, l->s, l->len);
	if (!r->label) {
		asm_nomem(a);
		return -1;
	}
	return 0;
}

/* Entries from labels; one record per (group, id), one task per color. */
void tasks_resolve(struct asm_ctx *a)
{
	for (unsigned i = 0; i < a->ntasks; i++) {
		struct task_rec *t = &a->tasks[i];
		struct group *g = &a->groups[t->group];
		const struct section *text = &g->sec[SEC_TEXT];
		struct sym *s = NULL;

		if (t->label) {
			s = sym_find(&g->labels, t->label, strlen(t->label));
			if (!s) {
				asm_error(a, &t->loc, t->lcol,
					  "task %u: '%s' is not a label of group '%s'",
					  t->id, t->label, g->name);
				continue;
			}
			t->entry = g->sec[s->sec].addr + s->off;
		}
		if ((s && s->sec != SEC_TEXT) || t->entry % ISA_INSN_BYTES ||
		    t->entry < text->addr || t->entry - text->addr >= text->size) {
			asm_error(a, &t->loc, t->lcol,
				  "task %u: entry 0x%x is not on an instruction in .text",
				  t->id, t->entry);
			continue;
		}
		for (unsigned j = 0; j < i; j++) {
			const struct task_rec *o = &a->tasks[j];

			if (o->group != t->group)
				continue;
			if (o->id == t->id) {
				asm_error(a, &t->loc, t->col,
					  "task %u of group '%s' defined twice",
					  t->id, g->name);
				asm_note(a, &o->loc, o->col, "first defined here");
				break;
			}
			if (t->kind != WAFER_TASK_LOCAL && o->kind == t->kind &&
			    o->color == t->color) {
				asm_error(a, &t->loc, t->col,
					  "tasks %u and %u are both %s tasks of color %u",
					  o->id, t->id, kind_name[t->kind], t->color);
				asm_note(a, &o->loc, o->col, "task %u defined here",
					 o->id);
				break;
			}
		}
	}
}
