// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dsdcheck.c - catch DSD type mismatches at assembly time where the
 * types are known.
 *
 * Pass 2 follows, per code group, the element type each DSD register was
 * last set up with by dmem.T or dfab.T, through straight-line code: a
 * label (a branch may land there) or a call forgets everything, since
 * another path may have set the registers up otherwise. A vector op whose
 * operand's known type is not the one the op needs (its type; the
 * integer type of its width for a compare's destination and a select's
 * condition; the source type of vcvt) is an error the executor would
 * report as an illegal operand at run time. ".dsd_check off" turns the
 * check off from there on (wse-objdump --source does, since what it
 * prints assembled once already), ".dsd_check on" back on.
 */
#include <string.h>

#include "asm.h"
#include "isa.h"
#include "isa-names.h"

struct dsd_state {
	int8_t type[ISA_NUM_DSDS];	/* -1: unknown */
	unsigned line[ISA_NUM_DSDS];	/* where it was set up */
};

static void forget(struct dsd_state *s)
{
	memset(s->type, -1, sizeof(s->type));
}

void dsd_check_reset(struct asm_ctx *a)
{
	struct dsd_state *st = arena_alloc(&a->ar, a->ngroups ?
					   a->ngroups * sizeof(*st) : 1);

	a->dsdck = st;
	if (!st) {
		asm_nomem(a);
		return;
	}
	for (unsigned g = 0; g < a->ngroups; g++)
		forget(&st[g]);
}

static unsigned int int_of(unsigned int type)
{
	return type == ISA_T_F32 ? ISA_T_I32 : type == ISA_T_F16 ? ISA_T_I16 :
	       type;
}

static void expect(struct asm_ctx *a, const struct stmt *st,
		   const struct dsd_state *s, const struct isa_insn *i,
		   unsigned reg, unsigned want)
{
	const struct isa_op_info *op = isa_op_by_opcode(i->opcode);

	if (s->type[reg] < 0 || (unsigned)s->type[reg] == want)
		return;
	asm_error(a, &st->loc, st->t[0].col,
		  "%s.%s needs d%u of type %s, but it was set up as %s on line %u",
		  op->name, isa_type_name(i->type), reg, isa_type_name(want),
		  isa_type_name((unsigned)s->type[reg]), s->line[reg]);
}

/* One statement's words, in order; n is 1 or 2 (with an async prefix). */
void dsd_check(struct asm_ctx *a, const struct stmt *st, const uint64_t *w,
	       int n)
{
	struct dsd_state *s;
	struct isa_insn i;
	const struct isa_op_info *op;

	if (!a->dsdck || st->group < 0 || (unsigned)st->group >= a->ngroups ||
	    n < 1 || st->nocheck)
		return;
	s = &((struct dsd_state *)a->dsdck)[st->group];
	if (st->labelled)
		forget(s);
	isa_decode(w[n - 1], &i);
	op = isa_op_by_opcode(i.opcode);
	if (!op)
		return;
	switch (i.opcode) {
	case ISA_OP_DMEM:
	case ISA_OP_DFAB:
		s->type[i.rd] = (int8_t)i.type;
		s->line[i.rd] = st->loc.line;
		return;
	case ISA_OP_CALL:
	case ISA_OP_CALLR:
		forget(s);
		return;
	}
	if (!isa_op_is_vector(i.opcode))
		return;
	switch (op->fmt) {
	case ISA_FMT_VRED:
		expect(a, st, s, &i, i.ra, i.type);
		return;
	case ISA_FMT_VFILL:
		expect(a, st, s, &i, i.rd, i.type);
		return;
	case ISA_FMT_VCVT:
		expect(a, st, s, &i, i.rd, i.type);
		expect(a, st, s, &i, i.ra, i.rc);
		return;
	}
	expect(a, st, s, &i, i.rd,
	       isa_op_is_compare(i.opcode) ? int_of(i.type) : i.type);
	expect(a, st, s, &i, i.ra, i.type);
	if (op->fmt == ISA_FMT_V3 && !(i.flags & ISA_F_SCALAR))
		expect(a, st, s, &i, i.rb, i.type);
	if (op->fmt == ISA_FMT_V4 || op->fmt == ISA_FMT_VFMACS)
		expect(a, st, s, &i, i.rb, i.type);
	if (op->fmt == ISA_FMT_V4)
		expect(a, st, s, &i, i.rc, i.opcode == ISA_OP_VSEL ?
		       int_of(i.type) : i.type);
}
