// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * decode.c - instruction validation and the predecoded code cache.
 *
 * Every word is validated once when a group's code is loaded, so that the
 * interpreter can trust register, DSD, task and color fields without
 * checking them again. SRAM stays the truth: the cache keeps each word's raw bits and the
 * interpreter uses an entry only while SRAM still holds that word, so code
 * the host (or the kernel itself) overwrites is decoded afresh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "isa-names.h"

/* What an instruction takes, for validation. */
#define F_TYPED		0x01	/* type field is an element type */
#define F_IMMFLAG	0x02	/* ISA_F_IMM has a meaning */
#define F_SCALARFLAG	0x04	/* ISA_F_SCALAR has a meaning */
#define F_INTONLY	0x08	/* integer element types only */
#define F_TASK		0x10	/* imm32 is a task id */
#define F_COLOR		0x20	/* imm32 (bits 0..7) is a color */
#define F_VALID		0x80

static const uint8_t op_fields[256] = {
	[ISA_OP_NOP] = F_VALID,
	[ISA_OP_HALT] = F_VALID,
	[ISA_OP_TRET] = F_VALID,
	[ISA_OP_ACTIVATE ... ISA_OP_UNBLOCK] = F_VALID | F_TASK,
	[ISA_OP_ASYNC] = F_VALID,
	[ISA_OP_TENTRY] = F_VALID | F_TASK,
	[ISA_OP_SENDC ... ISA_OP_TDEXIT] = F_VALID | F_COLOR,
	[ISA_OP_TIMER] = F_VALID | F_IMMFLAG,
	[ISA_OP_TCANCEL] = F_VALID,
	[ISA_OP_ADD ... ISA_OP_MOV] = F_VALID | F_IMMFLAG,
	[ISA_OP_FADD ... ISA_OP_FMA] = F_VALID | F_IMMFLAG,
	[ISA_OP_LD ... ISA_OP_STH] = F_VALID,
	[ISA_OP_BEQ ... ISA_OP_RET] = F_VALID,
	[ISA_OP_CSR] = F_VALID,
	[ISA_OP_SEND] = F_VALID | F_COLOR,
	[ISA_OP_RECV] = F_VALID | F_COLOR,
	[ISA_OP_DMEM] = F_VALID | F_TYPED,
	[ISA_OP_DFAB] = F_VALID | F_TYPED | F_COLOR,
	[ISA_OP_DLEN] = F_VALID | F_IMMFLAG,
	[ISA_OP_DADV] = F_VALID | F_IMMFLAG,
	[ISA_OP_DDIM] = F_VALID,
	[ISA_OP_VMOV] = F_VALID | F_TYPED,
	[ISA_OP_VADD ... ISA_OP_VMIN] = F_VALID | F_TYPED | F_SCALARFLAG |
					F_IMMFLAG,
	[ISA_OP_VFMA] = F_VALID | F_TYPED,
	[ISA_OP_VFMACS ... ISA_OP_VFILL] = F_VALID | F_TYPED | F_IMMFLAG,
	[ISA_OP_VRSUM ... ISA_OP_VRMIN] = F_VALID | F_TYPED,
	[ISA_OP_VAND ... ISA_OP_VXOR] = F_VALID | F_TYPED | F_INTONLY |
					F_SCALARFLAG | F_IMMFLAG,
	[ISA_OP_VNOT] = F_VALID | F_TYPED | F_INTONLY,
	[ISA_OP_VSHL ... ISA_OP_VSRA] = F_VALID | F_TYPED | F_INTONLY |
					F_SCALARFLAG | F_IMMFLAG,
	[ISA_OP_VSEQ ... ISA_OP_VSGE] = F_VALID | F_TYPED | F_SCALARFLAG |
					F_IMMFLAG,
	[ISA_OP_VSEL ... ISA_OP_VCVT] = F_VALID | F_TYPED,
};

void wafer_decode(uint64_t raw, struct dinsn *d)
{
	struct isa_insn i;
	uint8_t f, allowed;

	isa_decode(raw, &i);
	d->raw = raw;
	d->op = i.opcode;
	d->rd = i.rd;
	d->ra = i.ra;
	d->rb = i.rb;
	d->rc = i.rc;
	d->type = i.type;
	d->flags = i.flags;
	d->why = ILL_NONE;

	f = op_fields[i.opcode];
	allowed = (f & F_IMMFLAG ? ISA_F_IMM : 0) |
		  (f & F_SCALARFLAG ? ISA_F_SCALAR : 0);
	if (i.opcode == ISA_OP_ILLEGAL)
		d->why = ILL_ZERO;
	else if (!(f & F_VALID))
		d->why = ILL_OPCODE;
	else if (i.flags & ~allowed)
		d->why = ILL_FLAGS;
	else if ((f & F_SCALARFLAG) && (i.flags & ISA_F_IMM) &&
		 !(i.flags & ISA_F_SCALAR))
		d->why = ILL_FLAGS;	/* an immediate only as the scalar */
	else if ((f & F_TYPED) && i.type > ISA_T_F16)
		d->why = ILL_TYPE;
	else if ((f & F_INTONLY) && (i.type == ISA_T_F32 || i.type == ISA_T_F16))
		d->why = ILL_INTTYPE;
	else if (i.opcode == ISA_OP_CSR && i.imm > ISA_CSR_LAST)
		d->why = ILL_CSR;
	else if ((f & F_COLOR) && ISA_FAB_COLOR(i.imm) >= WAFER_COLORS)
		d->why = ILL_COLOR;
	else if ((f & F_COLOR) && ISA_FAB_ARG(i.imm) &&
		 (i.opcode == ISA_OP_SEND || i.opcode == ISA_OP_RECV ||
		  i.opcode == ISA_OP_DFAB || i.opcode == ISA_OP_TDEXIT))
		d->why = ILL_COLOR;
	else if (i.opcode == ISA_OP_SENDC && ISA_FAB_ARG(i.imm) > ISA_CTL_TEARDOWN)
		d->why = ILL_FIELD;
	else if (i.opcode == ISA_OP_SWSET &&
		 ISA_FAB_ARG(i.imm) >= WAFER_SWITCH_POSITIONS)
		d->why = ILL_FIELD;
	else if ((f & F_TASK) && i.imm >= ISA_NUM_TASKS)
		d->why = ILL_TASK;
	else if (i.opcode == ISA_OP_ASYNC && i.rd >= ISA_NUM_UTHREADS)
		d->why = ILL_UT;
	else if (i.opcode == ISA_OP_ASYNC &&
		 (i.imm >> 8 || ISA_ASYNC_ACTION(i.imm) > ISA_ASYNC_UNBLOCK))
		d->why = ILL_TASK;
	else if (i.opcode == ISA_OP_DDIM && (i.rc < 1 || i.rc >= 4))
		d->why = ILL_FIELD;
	else if (i.opcode == ISA_OP_VCVT && i.rc > ISA_T_F16)
		d->why = ILL_TYPE;
	if (d->why != ILL_NONE)
		d->op = ISA_OP_ILLEGAL;
}

const char *wafer_op_name(unsigned int op)
{
	const struct isa_op_info *info = isa_op_by_opcode(op);

	return info ? info->name : "?";
}

const char *wafer_type_name(unsigned int type)
{
	static const char *const names[] = { "i32", "f32", "i16", "f16" };

	return type < 4 ? names[type] : "?";
}

/* Explain why d is illegal; returns snprintf's count. */
int wafer_illegal_text(const struct dinsn *d, char *buf, size_t len)
{
	struct isa_insn i;
	unsigned int opcode = d->raw & 0xff;

	isa_decode(d->raw, &i);
	switch (d->why) {
	case ILL_ZERO:
		return snprintf(buf, len, "opcode 0x00 (zero-filled SRAM)");
	case ILL_OPCODE:
		return snprintf(buf, len, "unassigned opcode 0x%02x", opcode);
	case ILL_FLAGS:
		return snprintf(buf, len, "%s with undefined flags 0x%x",
				wafer_op_name(opcode), i.flags);
	case ILL_UT:
		return snprintf(buf, len,
				"async names microthread %u (there are 0..%u)",
				i.rd, ISA_NUM_UTHREADS - 1);
	case ILL_TYPE:
		return snprintf(buf, len, "%s with unknown element type %u",
				wafer_op_name(opcode),
				opcode == ISA_OP_VCVT && i.type <= ISA_T_F16 ?
				i.rc : i.type);
	case ILL_INTTYPE:
		return snprintf(buf, len, "%s.%s: integer element types only",
				wafer_op_name(opcode), wafer_type_name(i.type));
	case ILL_CSR:
		return snprintf(buf, len, "csr %u does not exist", i.imm);
	case ILL_COLOR:
		return snprintf(buf, len, "%s on color %u (colors are 0..%u)",
				wafer_op_name(opcode), i.imm, WAFER_COLORS - 1);
	case ILL_TASK:
		if (opcode == ISA_OP_ASYNC)
			return snprintf(buf, len,
					"async with task %u, action %u (tasks are 0..63, actions 0..2)",
					ISA_ASYNC_TASK(i.imm),
					ISA_ASYNC_ACTION(i.imm) | (i.imm >> 8));
		return snprintf(buf, len,
				"%s names task %u (tasks are 0..63)",
				wafer_op_name(opcode), i.imm);
	case ILL_FIELD:
		return snprintf(buf, len, "%s with operand 0x%x out of range",
				wafer_op_name(opcode),
				opcode == ISA_OP_DDIM ? i.rc : i.imm);
	default:
		return snprintf(buf, len, "opcode 0x%02x", opcode);
	}
}

bool wafer_code_chain = true;

/*
 * A legal vector op of the contiguous path's kinds (wafer_vunit_prep()),
 * whose kernel's operands fit in next.
 */
static bool vunit_kind(const struct dinsn *d)
{
	const struct wafer_ukern *uk;

	if (!isa_op_is_vector(d->op) || d->type > ISA_T_F32 ||
	    (d->flags & ISA_F_SCALAR))
		return false;
	uk = &wafer_ukern[d->type][d->op - ISA_OP_VFIRST];
	return uk->fn && uk->nsrc <= 3 && uk->sreg <= 3;
}

/*
 * Predecode the words of [lo, hi) of a PE's SRAM (lo, hi 8-aligned). Every
 * legal word but the last says that the next one is cached too, and a
 * vector op whether the contiguous path may take it.
 */
struct wafer_code *wafer_code_build(const uint8_t *sram, uint32_t lo,
				    uint32_t hi)
{
	uint32_t n = hi > lo ? (hi - lo) / ISA_INSN_BYTES : 0;
	struct wafer_code *c;
	uint64_t raw;

	c = malloc(sizeof(*c) + (size_t)n * sizeof(c->ins[0]));
	if (!c)
		return NULL;
	c->lo = lo;
	c->n = n;
	for (uint32_t k = 0; k < n; k++) {
		memcpy(&raw, sram + lo + (size_t)k * ISA_INSN_BYTES, sizeof(raw));
		wafer_decode(raw, &c->ins[k]);
		if (c->ins[k].op == ISA_OP_ILLEGAL || !wafer_code_chain)
			continue;
		if (k + 1 < n)
			c->ins[k].next |= NEXT_CACHED;
		if (vunit_kind(&c->ins[k])) {
			const struct wafer_ukern *uk =
				&wafer_ukern[c->ins[k].type][c->ins[k].op - ISA_OP_VFIRST];

			c->ins[k].next |= NEXT_VUNIT | uk->nsrc << 2 |
					  uk->sreg << 4 | (uk->dint ? NEXT_DINT : 0);
		}
	}
	return c;
}
