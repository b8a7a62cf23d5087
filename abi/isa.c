// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * isa.c - mnemonic tables and the one-instruction disassembler.
 *
 * The assembler and the disassembler both use these tables, so a name can
 * only change in one place. isa_disasm() prints the exact text that the
 * assembler encodes back into the same word; anything it cannot print that
 * way (non-zero unused fields, unknown opcodes) comes out as ".dword", so
 * that a disassembled image always reassembles byte for byte.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "half.h"
#include "isa.h"
#include "isa-names.h"

#define OP(n, o, f, t) { n, ISA_OP_##o, ISA_FMT_##f, t }

static const struct isa_op_info ops[] = {
	OP("illegal", ILLEGAL, NONE, 0),
	OP("nop", NOP, NONE, 0),
	OP("halt", HALT, NONE, 0),
	OP("tret", TRET, NONE, 0),
	OP("activate", ACTIVATE, TASK, 0),
	OP("block", BLOCK, TASK, 0),
	OP("unblock", UNBLOCK, TASK, 0),
	OP("async", ASYNC, ASYNC, 0),
	OP("tentry", TENTRY, TENTRY, 0),
	OP("sendc", SENDC, SENDC, 0),
	OP("swset", SWSET, SWSET, 0),
	OP("tdexit", TDEXIT, COLOR, 0),
	OP("timer", TIMER, RIMM, 0),
	OP("tcancel", TCANCEL, NONE, 0),
	OP("add", ADD, ALU, 0),
	OP("sub", SUB, ALU, 0),
	OP("mul", MUL, ALU, 0),
	OP("divu", DIVU, ALU, 0),
	OP("remu", REMU, ALU, 0),
	OP("and", AND, ALU, 0),
	OP("or", OR, ALU, 0),
	OP("xor", XOR, ALU, 0),
	OP("shl", SHL, ALU, 0),
	OP("shr", SHR, ALU, 0),
	OP("sra", SRA, ALU, 0),
	OP("slt", SLT, ALU, 0),
	OP("sltu", SLTU, ALU, 0),
	OP("seq", SEQ, ALU, 0),
	OP("li", LI, LI, 0),
	OP("mov", MOV, RR, 0),
	OP("fadd", FADD, FALU, 0),
	OP("fsub", FSUB, FALU, 0),
	OP("fmul", FMUL, FALU, 0),
	OP("fdiv", FDIV, FALU, 0),
	OP("fmax", FMAX, FALU, 0),
	OP("fmin", FMIN, FALU, 0),
	OP("flt", FLT, FALU, 0),
	OP("feq", FEQ, FALU, 0),
	OP("itof", ITOF, RR, 0),
	OP("ftoi", FTOI, RR, 0),
	OP("fma", FMA, FMA, 0),
	OP("ld", LD, LOAD, 0),
	OP("ldh", LDH, LOAD, 0),
	OP("st", ST, STORE, 0),
	OP("sth", STH, STORE, 0),
	OP("beq", BEQ, BRANCH, 0),
	OP("bne", BNE, BRANCH, 0),
	OP("blt", BLT, BRANCH, 0),
	OP("bge", BGE, BRANCH, 0),
	OP("bltu", BLTU, BRANCH, 0),
	OP("bgeu", BGEU, BRANCH, 0),
	OP("jmp", JMP, JUMP, 0),
	OP("jr", JR, JR, 0),
	OP("call", CALL, JUMP, 0),
	OP("callr", CALLR, R, 0),
	OP("ret", RET, NONE, 0),
	OP("csr", CSR, CSR, 0),
	OP("send", SEND, SEND, 0),
	OP("recv", RECV, RECV, 0),
	OP("dmem", DMEM, DMEM, 1),
	OP("dfab", DFAB, DFAB, 1),
	OP("dlen", DLEN, DREG, 0),
	OP("dadv", DADV, DREG, 0),
	OP("ddim", DDIM, DDIM, 0),
	OP("vmov", VMOV, V2, 1),
	OP("vadd", VADD, V3, 1),
	OP("vsub", VSUB, V3, 1),
	OP("vmul", VMUL, V3, 1),
	OP("vmax", VMAX, V3, 1),
	OP("vmin", VMIN, V3, 1),
	OP("vfma", VFMA, V4, 1),
	OP("vfmacs", VFMACS, VFMACS, 1),
	OP("vadds", VADDS, VSCALAR, 1),
	OP("vmuls", VMULS, VSCALAR, 1),
	OP("vfill", VFILL, VFILL, 1),
	OP("vrsum", VRSUM, VRED, 1),
	OP("vrmax", VRMAX, VRED, 1),
	OP("vrmin", VRMIN, VRED, 1),
	OP("vand", VAND, V3, 1),
	OP("vor", VOR, V3, 1),
	OP("vxor", VXOR, V3, 1),
	OP("vnot", VNOT, V2, 1),
	OP("vshl", VSHL, V3, 1),
	OP("vshr", VSHR, V3, 1),
	OP("vsra", VSRA, V3, 1),
	OP("vseq", VSEQ, V3, 1),
	OP("vsne", VSNE, V3, 1),
	OP("vslt", VSLT, V3, 1),
	OP("vsle", VSLE, V3, 1),
	OP("vsgt", VSGT, V3, 1),
	OP("vsge", VSGE, V3, 1),
	OP("vsel", VSEL, V4, 1),
	OP("vabs", VABS, V2, 1),
	OP("vneg", VNEG, V2, 1),
	OP("vcvt", VCVT, VCVT, 1),
};

#define NOPS (sizeof(ops) / sizeof(ops[0]))

static const char *const type_names[] = { "i32", "f32", "i16", "f16" };

static const char *const csr_names[] = {
	"x", "y", "prog_w", "prog_h", "rect_x", "rect_y", "rect_w", "rect_h",
	"cycles", "sram", "task",
};

static const char *const ctl_names[] = { "nop", "adv", "rst", "teardown" };

static const char *const port_names[] = {
	"RAMP", "NORTH", "SOUTH", "EAST", "WEST",
};

static int name_eq(const char *a, const char *b, size_t len)
{
	return strlen(a) == len && !memcmp(a, b, len);
}

const struct isa_op_info *isa_op_at(unsigned i)
{
	return i < NOPS ? &ops[i] : NULL;
}

const struct isa_op_info *isa_op_by_opcode(unsigned opcode)
{
	for (size_t i = 0; i < NOPS; i++)
		if (ops[i].opcode == opcode)
			return &ops[i];
	return NULL;
}

const struct isa_op_info *isa_op_by_name(const char *name, size_t len)
{
	for (size_t i = 0; i < NOPS; i++)
		if (name_eq(ops[i].name, name, len))
			return &ops[i];
	return NULL;
}

const char *isa_type_name(unsigned type)
{
	return type < 4 ? type_names[type] : NULL;
}

int isa_type_by_name(const char *name, size_t len)
{
	for (int i = 0; i < 4; i++)
		if (name_eq(type_names[i], name, len))
			return i;
	return -1;
}

const char *isa_csr_name(unsigned csr)
{
	return csr < sizeof(csr_names) / sizeof(csr_names[0]) ?
	       csr_names[csr] : NULL;
}

int isa_csr_by_name(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(csr_names) / sizeof(csr_names[0]); i++)
		if (name_eq(csr_names[i], name, len))
			return (int)i;
	return -1;
}

const char *isa_ctl_name(unsigned cmd)
{
	return cmd < 4 ? ctl_names[cmd] : NULL;
}

int isa_ctl_by_name(const char *name, size_t len)
{
	for (int i = 0; i < 4; i++)
		if (name_eq(ctl_names[i], name, len))
			return i;
	return -1;
}

const char *isa_port_name(unsigned bit)
{
	for (unsigned i = 0; i < 5; i++)
		if (bit == 1u << i)
			return port_names[i];
	return NULL;
}

int isa_port_by_name(const char *name, size_t len)
{
	for (unsigned i = 0; i < 5; i++)
		if (name_eq(port_names[i], name, len))
			return 1 << i;
	return -1;
}

/* Integers: small ones in decimal, the rest (addresses, masks) in hex. */
static void fmt_imm(char *b, size_t n, uint32_t imm)
{
	int32_t s = (int32_t)imm;

	if (s >= -4096 && s <= 4096)
		snprintf(b, n, "%d", s);
	else
		snprintf(b, n, "0x%x", imm);
}

/* A float immediate as a literal the assembler reads back exactly. */
static int fmt_float(char *b, size_t n, uint32_t bits)
{
	float f, g;

	memcpy(&f, &bits, 4);
	if (!isfinite(f))
		return -1;
	snprintf(b, n, "%.9g", f);
	g = strtof(b, NULL);
	if (memcmp(&f, &g, 4))
		return -1;
	if (!strpbrk(b, ".e"))
		strncat(b, ".0", n - strlen(b) - 1);
	return 0;
}

static void fmt_target(char *b, size_t n, uint32_t addr, isa_label_fn label,
		       void *ctx)
{
	const char *l = label ? label(ctx, addr) : NULL;

	if (l)
		snprintf(b, n, "%s", l);
	else
		snprintf(b, n, "0x%x", addr);
}

static void fmt_mem(char *b, size_t n, unsigned ra, uint32_t imm)
{
	int32_t off = (int32_t)imm;
	char v[16];

	if (ra == 0) {
		snprintf(b, n, "[0x%x]", imm);
	} else if (off == 0) {
		snprintf(b, n, "[r%u]", ra);
	} else {
		fmt_imm(v, sizeof(v), off < 0 ? (uint32_t)-(int64_t)off : imm);
		snprintf(b, n, "[r%u %c %s]", ra, off < 0 ? '-' : '+', v);
	}
}

/* Which fields an operand format uses; the others must be zero. */
enum {
	U_RD = 1, U_RA = 2, U_RB = 4, U_RC = 8, U_IMM = 16, U_FLAG = 32,
	D_RD = 64, D_RA = 128, D_RB = 256, D_RC = 512,
};

static const uint16_t fmt_use[] = {
	[ISA_FMT_NONE] = 0,
	[ISA_FMT_ALU] = U_RD | U_RA | U_RB | U_IMM | U_FLAG,
	[ISA_FMT_FALU] = U_RD | U_RA | U_RB | U_IMM | U_FLAG,
	[ISA_FMT_RR] = U_RD | U_RA,
	[ISA_FMT_LI] = U_RD | U_IMM,
	[ISA_FMT_FMA] = U_RD | U_RA | U_RB | U_RC,
	[ISA_FMT_LOAD] = U_RD | U_RA | U_IMM,
	[ISA_FMT_STORE] = U_RB | U_RA | U_IMM,
	[ISA_FMT_BRANCH] = U_RA | U_RB | U_IMM,
	[ISA_FMT_JUMP] = U_IMM,
	[ISA_FMT_JR] = U_RA | U_IMM,
	[ISA_FMT_R] = U_RA,
	[ISA_FMT_CSR] = U_RD | U_IMM,
	[ISA_FMT_SEND] = U_RA | U_IMM,
	[ISA_FMT_RECV] = U_RD | U_IMM,
	[ISA_FMT_DMEM] = D_RD | U_RA | U_RB | U_IMM,
	[ISA_FMT_DFAB] = D_RD | U_RB | U_IMM,
	[ISA_FMT_DREG] = D_RD | U_RB | U_IMM | U_FLAG,
	[ISA_FMT_V2] = D_RD | D_RA,
	[ISA_FMT_V3] = D_RD | D_RA | D_RB,
	[ISA_FMT_V4] = D_RD | D_RA | D_RB | D_RC,
	[ISA_FMT_VFMACS] = D_RD | D_RA | D_RB | U_RC,
	[ISA_FMT_VSCALAR] = D_RD | D_RA | U_RB,
	[ISA_FMT_VFILL] = D_RD | U_RA,
	[ISA_FMT_VRED] = U_RD | D_RA,
	[ISA_FMT_TASK] = U_IMM,
	[ISA_FMT_ASYNC] = U_RD | U_IMM,
	[ISA_FMT_TENTRY] = U_RA | U_IMM,
	[ISA_FMT_SENDC] = U_RA | U_IMM,
	[ISA_FMT_SWSET] = U_IMM,
	[ISA_FMT_COLOR] = U_IMM,
	[ISA_FMT_DDIM] = D_RD | U_RB | U_RC | U_IMM,
	[ISA_FMT_VCVT] = D_RD | D_RA | U_RC,
	[ISA_FMT_RIMM] = U_RB | U_IMM | U_FLAG,
};

/* Vector ops whose scalar is an immediate with ISA_F_IMM. */
static int vec_imm_scalar(unsigned op)
{
	return op == ISA_OP_VFMACS || op == ISA_OP_VADDS ||
	       op == ISA_OP_VMULS || op == ISA_OP_VFILL;
}

/* Flags an instruction may carry as wse-as writes it. */
static unsigned flags_allowed(const struct isa_op_info *op,
			      const struct isa_insn *i)
{
	unsigned use = fmt_use[op->fmt];

	if (use & U_FLAG)
		return ISA_F_IMM;
	if (isa_op_takes_scalar(op->opcode))
		return i->flags & ISA_F_SCALAR ? ISA_F_SCALAR | ISA_F_IMM : 0;
	if (vec_imm_scalar(op->opcode))
		return ISA_F_IMM;
	return 0;
}

/* Fields an immediate scalar takes the place of: they must be 0. */
static unsigned scalar_field(unsigned op)
{
	switch (op) {
	case ISA_OP_VFMACS:
		return U_RC;
	case ISA_OP_VFILL:
		return U_RA;
	default:
		return U_RB;
	}
}

static int canonical(const struct isa_op_info *op, const struct isa_insn *i)
{
	unsigned use = fmt_use[op->fmt];
	int imm_form = (use & U_FLAG) && (i->flags & ISA_F_IMM);
	int vimm = (i->flags & ISA_F_IMM) && !(use & U_FLAG);
	int scalar = (i->flags & ISA_F_SCALAR) != 0;

	if (scalar) {
		/* dB is a scalar register, or nothing with an immediate */
		use = (use & ~(unsigned)D_RB) | U_RB;
	}
	if (vimm) {
		use = (use & ~scalar_field(op->opcode)) | U_IMM;
		if (scalar)
			use &= ~(unsigned)U_RB;
	}
	if (!(use & (U_RD | D_RD)) && i->rd)
		return 0;
	if (!(use & (U_RA | D_RA)) && i->ra)
		return 0;
	if ((!(use & (U_RB | D_RB)) || imm_form) && i->rb)
		return 0;
	if (!(use & (U_RC | D_RC)) && i->rc)
		return 0;
	if (op->typed ? i->type > ISA_T_F16 : i->type != 0)
		return 0;
	if (i->flags & ~flags_allowed(op, i))
		return 0;
	/* an immediate only where the format has one (always, or by flag) */
	if (i->imm && (!(use & U_IMM) || ((use & U_FLAG) && !imm_form)))
		return 0;
	if (isa_op_int_only(op->opcode) &&
	    (i->type == ISA_T_F32 || i->type == ISA_T_F16))
		return 0;
	if (vimm && i->type == ISA_T_F16 && i->imm >> 16)
		return 0;
	return 1;
}

/* The immediate scalar of a vector op, as its element type reads it. */
static int fmt_vscalar(char *b, size_t n, unsigned type, uint32_t imm)
{
	switch (type) {
	case ISA_T_F32:
		return fmt_float(b, n, imm);
	case ISA_T_F16: {
		float f = wafer_h2f((uint16_t)imm);
		uint32_t bits;

		memcpy(&bits, &f, 4);
		if (wafer_f2h(f) != (uint16_t)imm)
			return -1;	/* a NaN payload: no literal for it */
		return fmt_float(b, n, bits);
	}
	default:
		fmt_imm(b, n, imm);
		return 0;
	}
}

/* The second source of a binary vector op: dB, a register or an immediate. */
static int fmt_vsrc_b(char *b, size_t n, const struct isa_insn *i)
{
	if (!(i->flags & ISA_F_SCALAR)) {
		snprintf(b, n, "d%u", i->rb);
		return 0;
	}
	if (!(i->flags & ISA_F_IMM)) {
		snprintf(b, n, "r%u", i->rb);
		return 0;
	}
	return fmt_vscalar(b, n, i->type, i->imm);
}

int isa_disasm(uint64_t word, char *buf, size_t len, isa_label_fn label,
	       void *ctx)
{
	const struct isa_op_info *op = isa_op_by_opcode(word & 0xff);
	char mn[16], o[64], v[48];
	struct isa_insn i;

	isa_decode(word, &i);
	if (!op || !canonical(op, &i))
		goto raw;
	snprintf(mn, sizeof(mn), "%s%s%s", op->name, op->typed ? "." : "",
		 op->typed ? type_names[i.type] : "");

	switch (op->fmt) {
	case ISA_FMT_NONE:
		snprintf(buf, len, "%s", mn);
		return 0;
	case ISA_FMT_ALU:
	case ISA_FMT_FALU:
		if (!(i.flags & ISA_F_IMM))
			snprintf(v, sizeof(v), "r%u", i.rb);
		else if (op->fmt == ISA_FMT_ALU)
			fmt_imm(v, sizeof(v), i.imm);
		else if (fmt_float(v, sizeof(v), i.imm))
			goto raw;
		snprintf(o, sizeof(o), "r%u, r%u, %s", i.rd, i.ra, v);
		break;
	case ISA_FMT_RR:
		snprintf(o, sizeof(o), "r%u, r%u", i.rd, i.ra);
		break;
	case ISA_FMT_LI:
		fmt_imm(v, sizeof(v), i.imm);
		snprintf(o, sizeof(o), "r%u, %s", i.rd, v);
		break;
	case ISA_FMT_FMA:
		snprintf(o, sizeof(o), "r%u, r%u, r%u, r%u", i.rd, i.ra, i.rb,
			 i.rc);
		break;
	case ISA_FMT_LOAD:
	case ISA_FMT_STORE:
		fmt_mem(v, sizeof(v), i.ra, i.imm);
		snprintf(o, sizeof(o), "r%u, %s",
			 op->fmt == ISA_FMT_LOAD ? i.rd : i.rb, v);
		break;
	case ISA_FMT_BRANCH:
		if (i.imm % ISA_INSN_BYTES)
			goto raw;	/* wse-as refuses it */
		fmt_target(v, sizeof(v), i.imm, label, ctx);
		snprintf(o, sizeof(o), "r%u, r%u, %s", i.ra, i.rb, v);
		break;
	case ISA_FMT_JUMP:
		if (i.imm % ISA_INSN_BYTES)
			goto raw;
		fmt_target(o, sizeof(o), i.imm, label, ctx);
		break;
	case ISA_FMT_JR:
		if (i.imm) {
			fmt_imm(v, sizeof(v), i.imm);
			snprintf(o, sizeof(o), "r%u, %s", i.ra, v);
		} else {
			snprintf(o, sizeof(o), "r%u", i.ra);
		}
		break;
	case ISA_FMT_R:
		snprintf(o, sizeof(o), "r%u", i.ra);
		break;
	case ISA_FMT_CSR:
		if (!isa_csr_name(i.imm))
			goto raw;
		snprintf(o, sizeof(o), "r%u, %s", i.rd, isa_csr_name(i.imm));
		break;
	case ISA_FMT_SEND:
	case ISA_FMT_RECV:
		if (i.imm >= 24)
			goto raw;
		snprintf(o, sizeof(o), "r%u, %u",
			 op->fmt == ISA_FMT_SEND ? i.ra : i.rd, i.imm);
		break;
	case ISA_FMT_DMEM:
		snprintf(o, sizeof(o), "d%u, r%u, r%u, %d", i.rd, i.ra, i.rb,
			 (int32_t)i.imm);
		break;
	case ISA_FMT_DFAB:
		if (i.imm >= 24)
			goto raw;
		snprintf(o, sizeof(o), "d%u, %u, r%u", i.rd, i.imm, i.rb);
		break;
	case ISA_FMT_DREG:
		if (i.flags & ISA_F_IMM)
			fmt_imm(v, sizeof(v), i.imm);
		else
			snprintf(v, sizeof(v), "r%u", i.rb);
		snprintf(o, sizeof(o), "d%u, %s", i.rd, v);
		break;
	case ISA_FMT_V2:
		snprintf(o, sizeof(o), "d%u, d%u", i.rd, i.ra);
		break;
	case ISA_FMT_V3:
		if (fmt_vsrc_b(v, sizeof(v), &i))
			goto raw;
		snprintf(o, sizeof(o), "d%u, d%u, %s", i.rd, i.ra, v);
		break;
	case ISA_FMT_V4:
		snprintf(o, sizeof(o), "d%u, d%u, d%u, d%u", i.rd, i.ra, i.rb,
			 i.rc);
		break;
	case ISA_FMT_VFMACS:
		if (!(i.flags & ISA_F_IMM))
			snprintf(v, sizeof(v), "r%u", i.rc);
		else if (fmt_vscalar(v, sizeof(v), i.type, i.imm))
			goto raw;
		snprintf(o, sizeof(o), "d%u, d%u, d%u, %s", i.rd, i.ra, i.rb, v);
		break;
	case ISA_FMT_VSCALAR:
		if (!(i.flags & ISA_F_IMM))
			snprintf(v, sizeof(v), "r%u", i.rb);
		else if (fmt_vscalar(v, sizeof(v), i.type, i.imm))
			goto raw;
		snprintf(o, sizeof(o), "d%u, d%u, %s", i.rd, i.ra, v);
		break;
	case ISA_FMT_VFILL:
		if (!(i.flags & ISA_F_IMM))
			snprintf(v, sizeof(v), "r%u", i.ra);
		else if (fmt_vscalar(v, sizeof(v), i.type, i.imm))
			goto raw;
		snprintf(o, sizeof(o), "d%u, %s", i.rd, v);
		break;
	case ISA_FMT_VRED:
		snprintf(o, sizeof(o), "r%u, d%u", i.rd, i.ra);
		break;
	case ISA_FMT_TASK:
		if (i.imm >= ISA_NUM_TASKS)
			goto raw;
		snprintf(o, sizeof(o), "%u", i.imm);
		break;
	case ISA_FMT_ASYNC: {
		unsigned act = ISA_ASYNC_ACTION(i.imm), t = ISA_ASYNC_TASK(i.imm);

		if (i.rd >= ISA_NUM_UTHREADS || i.imm >> 8 || act > 2 ||
		    (act == 0 && t))
			goto raw;
		if (act)
			snprintf(o, sizeof(o), "%u, %s=%u", i.rd,
				 act == ISA_ASYNC_ACTIVATE ? "activate" : "unblock",
				 t);
		else
			snprintf(o, sizeof(o), "%u", i.rd);
		break;
	}
	case ISA_FMT_TENTRY:
		if (i.imm >= ISA_NUM_TASKS)
			goto raw;
		snprintf(o, sizeof(o), "%u, r%u", i.imm, i.ra);
		break;
	case ISA_FMT_SENDC:
		if (ISA_FAB_COLOR(i.imm) >= 24 || ISA_FAB_ARG(i.imm) > 3)
			goto raw;
		snprintf(o, sizeof(o), "r%u, %u, %s", i.ra, ISA_FAB_COLOR(i.imm),
			 isa_ctl_name(ISA_FAB_ARG(i.imm)));
		break;
	case ISA_FMT_SWSET:
		if (ISA_FAB_COLOR(i.imm) >= 24 || ISA_FAB_ARG(i.imm) > 3)
			goto raw;
		snprintf(o, sizeof(o), "%u, %u", ISA_FAB_COLOR(i.imm),
			 ISA_FAB_ARG(i.imm));
		break;
	case ISA_FMT_COLOR:
		if (i.imm >= 24)
			goto raw;
		snprintf(o, sizeof(o), "%u", i.imm);
		break;
	case ISA_FMT_DDIM:
		if (i.rc < 1 || i.rc > 3)
			goto raw;
		snprintf(o, sizeof(o), "d%u, %u, r%u, %d", i.rd, i.rc, i.rb,
			 (int32_t)i.imm);
		break;
	case ISA_FMT_RIMM:
		if (i.flags & ISA_F_IMM)
			fmt_imm(o, sizeof(o), i.imm);
		else
			snprintf(o, sizeof(o), "r%u", i.rb);
		break;
	case ISA_FMT_VCVT:
		if (i.rc > ISA_T_F16)
			goto raw;
		snprintf(mn, sizeof(mn), "vcvt.%s.%s", type_names[i.type],
			 type_names[i.rc]);
		snprintf(o, sizeof(o), "d%u, d%u", i.rd, i.ra);
		break;
	default:
		goto raw;
	}
	snprintf(buf, len, "%-11s %s", mn, o);
	return 0;
raw:
	snprintf(buf, len, ".dword      0x%016llx", (unsigned long long)word);
	return -1;
}
