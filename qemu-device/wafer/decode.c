// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * decode.c - instruction validation and the predecoded code cache.
 *
 * Every word is validated once when a group's code is loaded, so that the
 * interpreter can trust register and DSD fields without checking them
 * again. SRAM stays the truth: the cache keeps each word's raw bits and the
 * interpreter uses an entry only while SRAM still holds that word, so code
 * the host (or the kernel itself) overwrites is decoded afresh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "isa-names.h"

/* Which fields of an instruction name DSD registers. */
#define F_DSD_D		0x01
#define F_DSD_A		0x02
#define F_DSD_B		0x04
#define F_DSD_C		0x08
#define F_TYPED		0x10	/* type field is an element type */
#define F_VALID		0x80

static const uint8_t op_fields[256] = {
	[ISA_OP_NOP] = F_VALID,
	[ISA_OP_HALT] = F_VALID,
	[ISA_OP_ADD ... ISA_OP_MOV] = F_VALID,
	[ISA_OP_FADD ... ISA_OP_FMA] = F_VALID,
	[ISA_OP_LD ... ISA_OP_STH] = F_VALID,
	[ISA_OP_BEQ ... ISA_OP_RET] = F_VALID,
	[ISA_OP_CSR] = F_VALID,
	[ISA_OP_SEND] = F_VALID,
	[ISA_OP_RECV] = F_VALID,
	[ISA_OP_DMEM] = F_VALID | F_DSD_D | F_TYPED,
	[ISA_OP_DFAB] = F_VALID | F_DSD_D | F_TYPED,
	[ISA_OP_DLEN] = F_VALID | F_DSD_D,
	[ISA_OP_DADV] = F_VALID | F_DSD_D,
	[ISA_OP_VMOV] = F_VALID | F_TYPED | F_DSD_D | F_DSD_A,
	[ISA_OP_VADD ... ISA_OP_VMIN] = F_VALID | F_TYPED | F_DSD_D | F_DSD_A |
					F_DSD_B,
	[ISA_OP_VFMA] = F_VALID | F_TYPED | F_DSD_D | F_DSD_A | F_DSD_B |
			F_DSD_C,
	[ISA_OP_VFMACS] = F_VALID | F_TYPED | F_DSD_D | F_DSD_A | F_DSD_B,
	[ISA_OP_VADDS] = F_VALID | F_TYPED | F_DSD_D | F_DSD_A,
	[ISA_OP_VMULS] = F_VALID | F_TYPED | F_DSD_D | F_DSD_A,
	[ISA_OP_VFILL] = F_VALID | F_TYPED | F_DSD_D,
	[ISA_OP_VRSUM ... ISA_OP_VRMIN] = F_VALID | F_TYPED | F_DSD_A,
};

void wafer_decode(uint64_t raw, struct dinsn *d)
{
	struct isa_insn i;
	uint8_t f;

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
	if (i.opcode == ISA_OP_ILLEGAL)
		d->why = ILL_ZERO;
	else if (!(f & F_VALID))
		d->why = ILL_OPCODE;
	else if (i.flags & ~ISA_F_IMM)
		d->why = ILL_FLAGS;
	else if (((f & F_DSD_D) && i.rd >= ISA_NUM_DSDS) ||
		 ((f & F_DSD_A) && i.ra >= ISA_NUM_DSDS) ||
		 ((f & F_DSD_B) && i.rb >= ISA_NUM_DSDS) ||
		 ((f & F_DSD_C) && i.rc >= ISA_NUM_DSDS))
		d->why = ILL_DSD;
	else if ((f & F_TYPED) && i.type > ISA_T_F16)
		d->why = ILL_TYPE;
	else if (i.opcode == ISA_OP_CSR && i.imm > ISA_CSR_SRAM)
		d->why = ILL_CSR;
	else if ((i.opcode == ISA_OP_SEND || i.opcode == ISA_OP_RECV ||
		  i.opcode == ISA_OP_DFAB) && i.imm >= WAFER_COLORS)
		d->why = ILL_COLOR;
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
	case ILL_DSD:
		return snprintf(buf, len,
				"%s names a DSD register above d7",
				wafer_op_name(opcode));
	case ILL_TYPE:
		return snprintf(buf, len, "%s with unknown element type %u",
				wafer_op_name(opcode), i.type);
	case ILL_CSR:
		return snprintf(buf, len, "csr %u does not exist", i.imm);
	case ILL_COLOR:
		return snprintf(buf, len, "%s on color %u (colors are 0..%u)",
				wafer_op_name(opcode), i.imm, WAFER_COLORS - 1);
	default:
		return snprintf(buf, len, "opcode 0x%02x", opcode);
	}
}

/* Predecode the words of [lo, hi) of a PE's SRAM (lo, hi 8-aligned). */
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
	}
	return c;
}
