// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * insn.c - instruction operands and encoding.
 *
 * The mnemonics and operand formats come from isa.c, the table the
 * disassembler prints with, so the two cannot disagree. A few
 * pseudo-instructions map onto one real instruction each. Every statement
 * is 8 bytes, or 16 for a vector op written with its async prefix
 * ("vmov.f32 d1, d0, async=3, activate=7"): pass 1 tells them apart by
 * their tokens, which is what lets it place labels before any operand is
 * known.
 */
#include <math.h>
#include <string.h>

#include "asm.h"
#include "half.h"
#include "isa.h"
#include "isa-names.h"

enum pseudo {
	P_NONE, P_B, P_BEQZ, P_BNEZ, P_BGT, P_BLE, P_BGTU, P_BLEU, P_NOT,
	P_NEG, P_LIF,
};

static const struct {
	const char *name;
	uint8_t pseudo;
} pseudos[] = {
	{ "b", P_B }, { "beqz", P_BEQZ }, { "bnez", P_BNEZ },
	{ "bgt", P_BGT }, { "ble", P_BLE }, { "bgtu", P_BGTU },
	{ "bleu", P_BLEU }, { "not", P_NOT }, { "neg", P_NEG },
	{ "lif", P_LIF },
};

struct mnemonic {
	const struct isa_op_info *op;	/* NULL for a pseudo */
	unsigned pseudo;
	int type;			/* -1 without suffix */
	int stype;			/* vcvt: the source type */
	size_t base_len;
};

static int find_base(const char *s, size_t len, struct mnemonic *m)
{
	m->op = isa_op_by_name(s, len);
	m->pseudo = P_NONE;
	m->base_len = len;
	if (m->op)
		return 0;
	for (size_t i = 0; i < sizeof(pseudos) / sizeof(pseudos[0]); i++) {
		if (strlen(pseudos[i].name) == len &&
		    !memcmp(pseudos[i].name, s, len)) {
			m->pseudo = pseudos[i].pseudo;
			return 0;
		}
	}
	return -1;
}

/*
 * Split "vadd.f32" into base and type ("vcvt.f32.i16" into base, type
 * and source type); 1 if the base is unknown, 2 if a type is.
 */
static int split(const char *s, size_t len, struct mnemonic *m,
		 size_t *dot)
{
	const char *d = memrchr(s, '.', len);

	m->type = -1;
	m->stype = -1;
	*dot = 0;
	if (len > 5 && !memcmp(s, "vcvt.", 5)) {
		const char *d2 = memchr(s + 5, '.', len - 5);

		find_base(s, 4, m);
		*dot = 4;
		if (!d2)
			return 2;
		m->type = isa_type_by_name(s + 5, d2 - s - 5);
		m->stype = isa_type_by_name(d2 + 1, len - (d2 - s) - 1);
		return m->type < 0 || m->stype < 0 ? 2 : 0;
	}
	if (!find_base(s, len, m))
		return 0;
	if (!d || d == s)
		return 1;
	if (find_base(s, d - s, m))
		return 1;
	*dot = (size_t)(d - s);
	m->type = isa_type_by_name(d + 1, len - (d - s) - 1);
	return m->type < 0 ? 2 : 0;
}

int insn_is_mnemonic(const char *s, size_t len)
{
	struct mnemonic m;
	size_t dot;

	return split(s, len, &m, &dot) != 1;
}

static int parse_mnemonic(struct cur *c, struct mnemonic *m)
{
	struct token *t = cur_tok(c);
	size_t dot;
	int ret = split(t->s, t->len, m, &dot);

	if (ret == 1)
		return cur_error(c, "unknown instruction '%.*s'", (int)t->len,
				 t->s);
	if (ret == 2 && m->op && m->op->opcode == ISA_OP_VCVT)
		return cur_error(c, "'%.*s': write vcvt.TO.FROM with two of f32, i32, f16, i16",
				 (int)t->len, t->s);
	if (ret == 2) {
		asm_error(c->a, c->loc, t->col + (unsigned)dot,
			  "unknown element type '%.*s' (use .f32, .i32, .f16 or .i16)",
			  (int)(t->len - dot), t->s + dot);
		return -1;
	}
	if (m->op && m->op->opcode == ISA_OP_VCVT && m->stype < 0)
		return cur_error(c, "'%.*s': write vcvt.TO.FROM with two of f32, i32, f16, i16",
				 (int)t->len, t->s);
	if (m->op && m->op->typed && m->type < 0)
		return cur_error(c, "'%.*s' needs an element type: %.*s.f32, .i32, .f16 or .i16",
				 (int)t->len, t->s, (int)t->len, t->s);
	if (m->op && isa_op_int_only(m->op->opcode) &&
	    (m->type == ISA_T_F32 || m->type == ISA_T_F16)) {
		asm_error(c->a, c->loc, t->col + (unsigned)dot,
			  "'%.*s' works on integer types only (.i32 or .i16)",
			  (int)dot, t->s);
		return -1;
	}
	if ((!m->op || !m->op->typed) && m->type >= 0) {
		asm_error(c->a, c->loc, t->col + (unsigned)dot,
			  "'%.*s' takes no element type", (int)dot, t->s);
		return -1;
	}
	c->i++;
	return 0;
}

int insn_check(struct cur *c)
{
	struct mnemonic m;
	unsigned i = c->i;
	int ret = parse_mnemonic(c, &m);

	c->i = i;
	return ret;
}

static int reg_of(const struct token *t, char kind)
{
	unsigned v = 0;

	if (t->kind != TK_IDENT)
		return -1;
	if (kind == 'r' && tok_is(t, "lr"))
		return ISA_REG_LR;
	if (!is_reserved_name(t->s, t->len) || t->s[0] != kind)
		return -1;
	for (unsigned i = 1; i < t->len; i++)
		v = v * 10 + (t->s[i] - '0');
	return (int)v;
}

static int reg(struct cur *c, uint8_t *r)
{
	int v = reg_of(cur_tok(c), 'r');

	if (v < 0)
		return cur_error(c, "expected a register r0..r15");
	*r = (uint8_t)v;
	c->i++;
	return 0;
}

static int dsd(struct cur *c, uint8_t *r)
{
	int v = reg_of(cur_tok(c), 'd');

	if (v < 0)
		return cur_error(c, "expected a DSD register d0..d15");
	*r = (uint8_t)v;
	c->i++;
	return 0;
}

static int comma(struct cur *c)
{
	return cur_expect(c, TK_COMMA, NULL);
}

/* rb or an immediate: sets ISA_F_IMM for the immediate form. */
static int reg_or_imm(struct cur *c, struct isa_insn *i, int fp)
{
	unsigned col = cur_tok(c)->col;
	double f;
	float g;

	if (reg_of(cur_tok(c), 'r') >= 0)
		return reg(c, &i->rb);
	i->flags |= ISA_F_IMM;
	if (!fp)
		return expr_imm32(c, &i->imm, "immediate");
	if (expr_float(c, &f, "immediate"))
		return -1;
	g = (float)f;
	if (isfinite(f) && !isfinite(g)) {
		asm_error(c->a, c->loc, col,
			  "floating-point immediate %g out of range", f);
		return -1;
	}
	memcpy(&i->imm, &g, 4);
	return 0;
}

static int target(struct cur *c, uint32_t *imm)
{
	unsigned col = cur_tok(c)->col;

	if (expr_imm32(c, imm, "target"))
		return -1;
	if (*imm % ISA_INSN_BYTES) {
		asm_error(c->a, c->loc, col,
			  "target 0x%x is not 8-byte aligned", *imm);
		return -1;
	}
	return 0;
}

/* A task id: 0..63 (29 the teardown task, 30 the timer task). */
static int task_id(struct cur *c, uint32_t *out)
{
	unsigned col = cur_tok(c)->col;
	int64_t v;

	if (expr_int(c, &v, 0, "task id"))
		return -1;
	if (v < 0 || v >= ISA_NUM_TASKS) {
		asm_error(c->a, c->loc, col, "task id %lld out of range 0..63",
			  (long long)v);
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

/* A small number in [lo, hi] that must be known now. */
static int small(struct cur *c, uint32_t *out, int64_t lo, int64_t hi,
		 const char *what)
{
	unsigned col = cur_tok(c)->col;
	int64_t v;

	if (expr_int(c, &v, 0, what))
		return -1;
	if (v < lo || v > hi) {
		asm_error(c->a, c->loc, col, "%s %lld out of range %lld..%lld",
			  what, (long long)v, (long long)lo, (long long)hi);
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

/*
 * An immediate scalar for a vector op of element type: integers as they
 * are, f32 as its bits, f16 as its binary16 bits.
 */
static int vec_imm(struct cur *c, unsigned type, uint32_t *imm)
{
	unsigned col = cur_tok(c)->col;
	double f;
	float g;

	if (type == ISA_T_I32 || type == ISA_T_I16)
		return expr_imm32(c, imm, "immediate");
	if (expr_float(c, &f, "immediate"))
		return -1;
	g = (float)f;
	if (isfinite(f) && !isfinite(g)) {
		asm_error(c->a, c->loc, col,
			  "floating-point immediate %g out of range", f);
		return -1;
	}
	if (type == ISA_T_F16) {
		*imm = wafer_f2h(g);
		return 0;
	}
	memcpy(imm, &g, 4);
	return 0;
}

/* A scalar operand of a vector op: a register, or an immediate (sets IMM). */
static int vec_scalar(struct cur *c, struct isa_insn *i, uint8_t *rs)
{
	if (reg_of(cur_tok(c), 'r') >= 0)
		return reg(c, rs);
	i->flags |= ISA_F_IMM;
	return vec_imm(c, i->type, &i->imm);
}

/* The second source of a binary vector op: dB, or a scalar. */
static int vec_src_b(struct cur *c, const struct isa_op_info *op,
		     struct isa_insn *i)
{
	if (reg_of(cur_tok(c), 'd') >= 0)
		return dsd(c, &i->rb);
	if (!isa_op_takes_scalar(op->opcode))
		return cur_error(c, "expected a DSD register d0..d15");
	i->flags |= ISA_F_SCALAR;
	return vec_scalar(c, i, &i->rb);
}

/* [ra], [ra + off], [ra - off], [addr] */
static int mem(struct cur *c, uint8_t *ra, uint32_t *imm)
{
	*ra = 0;
	*imm = 0;
	if (cur_expect(c, TK_LBRACK, "before the address"))
		return -1;
	if (reg_of(cur_tok(c), 'r') >= 0) {
		reg(c, ra);
		if (cur_tok(c)->kind == TK_PLUS || cur_tok(c)->kind == TK_MINUS) {
			if (expr_imm32(c, imm, "offset"))
				return -1;
		}
	} else if (expr_imm32(c, imm, "address")) {
		return -1;
	}
	return cur_expect(c, TK_RBRACK, "after the address");
}

static int operands(struct cur *c, const struct isa_op_info *op,
		    struct isa_insn *i)
{
	switch (op->fmt) {
	case ISA_FMT_NONE:
		return 0;
	case ISA_FMT_ALU:
	case ISA_FMT_FALU:
		return reg(c, &i->rd) || comma(c) || reg(c, &i->ra) ||
		       comma(c) || reg_or_imm(c, i, op->fmt == ISA_FMT_FALU);
	case ISA_FMT_RR:
		return reg(c, &i->rd) || comma(c) || reg(c, &i->ra);
	case ISA_FMT_LI:
		return reg(c, &i->rd) || comma(c) ||
		       expr_imm32(c, &i->imm, "immediate");
	case ISA_FMT_FMA:
		return reg(c, &i->rd) || comma(c) || reg(c, &i->ra) ||
		       comma(c) || reg(c, &i->rb) || comma(c) || reg(c, &i->rc);
	case ISA_FMT_LOAD:
		return reg(c, &i->rd) || comma(c) || mem(c, &i->ra, &i->imm);
	case ISA_FMT_STORE:
		return reg(c, &i->rb) || comma(c) || mem(c, &i->ra, &i->imm);
	case ISA_FMT_BRANCH:
		return reg(c, &i->ra) || comma(c) || reg(c, &i->rb) ||
		       comma(c) || target(c, &i->imm);
	case ISA_FMT_JUMP:
		return target(c, &i->imm);
	case ISA_FMT_JR:
		if (reg(c, &i->ra))
			return -1;
		return cur_accept(c, TK_COMMA) ?
		       expr_imm32(c, &i->imm, "offset") : 0;
	case ISA_FMT_R:
		return reg(c, &i->ra);
	case ISA_FMT_CSR: {
		struct token *t;
		int csr;

		if (reg(c, &i->rd) || comma(c))
			return -1;
		t = cur_tok(c);
		csr = t->kind == TK_IDENT ? isa_csr_by_name(t->s, t->len) : -1;
		if (csr < 0)
			return cur_error(c, "expected a CSR name: x, y, prog_w, prog_h, rect_x, rect_y, rect_w, rect_h, cycles or sram");
		c->i++;
		i->imm = (uint32_t)csr;
		return 0;
	}
	case ISA_FMT_SEND:
		return reg(c, &i->ra) || comma(c) || expr_color(c, &i->imm, 0);
	case ISA_FMT_RECV:
		return reg(c, &i->rd) || comma(c) || expr_color(c, &i->imm, 0);
	case ISA_FMT_DMEM:
		return dsd(c, &i->rd) || comma(c) || reg(c, &i->ra) ||
		       comma(c) || reg(c, &i->rb) || comma(c) ||
		       expr_imm32(c, &i->imm, "stride");
	case ISA_FMT_DFAB:
		return dsd(c, &i->rd) || comma(c) ||
		       expr_color(c, &i->imm, 0) || comma(c) || reg(c, &i->rb);
	case ISA_FMT_DREG:
		return dsd(c, &i->rd) || comma(c) || reg_or_imm(c, i, 0);
	case ISA_FMT_V2:
		return dsd(c, &i->rd) || comma(c) || dsd(c, &i->ra);
	case ISA_FMT_V3:
		return dsd(c, &i->rd) || comma(c) || dsd(c, &i->ra) ||
		       comma(c) || vec_src_b(c, op, i);
	case ISA_FMT_V4:
		return dsd(c, &i->rd) || comma(c) || dsd(c, &i->ra) ||
		       comma(c) || dsd(c, &i->rb) || comma(c) || dsd(c, &i->rc);
	case ISA_FMT_VFMACS:
		return dsd(c, &i->rd) || comma(c) || dsd(c, &i->ra) ||
		       comma(c) || dsd(c, &i->rb) || comma(c) ||
		       vec_scalar(c, i, &i->rc);
	case ISA_FMT_VSCALAR:
		return dsd(c, &i->rd) || comma(c) || dsd(c, &i->ra) ||
		       comma(c) || vec_scalar(c, i, &i->rb);
	case ISA_FMT_VFILL:
		return dsd(c, &i->rd) || comma(c) || vec_scalar(c, i, &i->ra);
	case ISA_FMT_VRED:
		return reg(c, &i->rd) || comma(c) || dsd(c, &i->ra);
	case ISA_FMT_TASK:
		return task_id(c, &i->imm);
	case ISA_FMT_ASYNC: {
		uint32_t u, t = 0, act = ISA_ASYNC_NONE;

		if (small(c, &u, 0, ISA_NUM_UTHREADS - 1, "microthread"))
			return -1;
		i->rd = (uint8_t)u;
		if (cur_accept(c, TK_COMMA)) {
			struct token *k = cur_tok(c);

			if (tok_is(k, "activate"))
				act = ISA_ASYNC_ACTIVATE;
			else if (tok_is(k, "unblock"))
				act = ISA_ASYNC_UNBLOCK;
			else
				return cur_error(c, "expected activate=TASK or unblock=TASK");
			c->i++;
			if (cur_expect(c, TK_ASSIGN, NULL) || task_id(c, &t))
				return -1;
		}
		i->imm = ISA_ASYNC_IMM(t, act);
		return 0;
	}
	case ISA_FMT_TENTRY:
		return task_id(c, &i->imm) || comma(c) || reg(c, &i->ra);
	case ISA_FMT_SENDC: {
		uint32_t color, cmd;
		struct token *t;
		int k;

		if (reg(c, &i->ra) || comma(c) || expr_color(c, &color, 0) ||
		    comma(c))
			return -1;
		t = cur_tok(c);
		k = t->kind == TK_IDENT ? isa_ctl_by_name(t->s, t->len) : -1;
		if (k < 0)
			return cur_error(c, "expected a control command: nop, adv, rst or teardown");
		c->i++;
		cmd = (uint32_t)k;
		i->imm = ISA_FAB_IMM(color, cmd);
		return 0;
	}
	case ISA_FMT_SWSET: {
		uint32_t color, pos;

		if (expr_color(c, &color, 0) || comma(c) ||
		    small(c, &pos, 0, 3, "switch position"))
			return -1;
		i->imm = ISA_FAB_IMM(color, pos);
		return 0;
	}
	case ISA_FMT_RIMM:
		return reg_or_imm(c, i, 0);
	case ISA_FMT_COLOR:
		return expr_color(c, &i->imm, 0);
	case ISA_FMT_DDIM: {
		uint32_t k;

		if (dsd(c, &i->rd) || comma(c) ||
		    small(c, &k, 1, 3, "dimension") || comma(c) ||
		    reg(c, &i->rb) || comma(c) ||
		    expr_imm32(c, &i->imm, "stride"))
			return -1;
		i->rc = (uint8_t)k;
		return 0;
	}
	case ISA_FMT_VCVT:
		return dsd(c, &i->rd) || comma(c) || dsd(c, &i->ra);
	}
	return cur_error(c, "internal: unknown operand format");
}

static int pseudo(struct cur *c, unsigned p, struct isa_insn *i)
{
	uint8_t a = 0, b = 0;
	double f;
	float g;

	switch (p) {
	case P_B:
		i->opcode = ISA_OP_JMP;
		return target(c, &i->imm);
	case P_BEQZ:
	case P_BNEZ:
		i->opcode = p == P_BEQZ ? ISA_OP_BEQ : ISA_OP_BNE;
		return reg(c, &i->ra) || comma(c) || target(c, &i->imm);
	case P_BGT:
	case P_BLE:
	case P_BGTU:
	case P_BLEU:
		/* a > b is b < a: swap the operands */
		i->opcode = p == P_BGT ? ISA_OP_BLT : p == P_BLE ? ISA_OP_BGE :
			    p == P_BGTU ? ISA_OP_BLTU : ISA_OP_BGEU;
		if (reg(c, &a) || comma(c) || reg(c, &b) || comma(c) ||
		    target(c, &i->imm))
			return -1;
		i->ra = b;
		i->rb = a;
		return 0;
	case P_NOT:
		i->opcode = ISA_OP_XOR;
		i->flags = ISA_F_IMM;
		i->imm = UINT32_MAX;
		return reg(c, &i->rd) || comma(c) || reg(c, &i->ra);
	case P_NEG:
		i->opcode = ISA_OP_SUB;
		return reg(c, &i->rd) || comma(c) || reg(c, &i->rb);
	case P_LIF:
		i->opcode = ISA_OP_LI;
		if (reg(c, &i->rd) || comma(c) ||
		    expr_float(c, &f, "immediate"))
			return -1;
		g = (float)f;
		memcpy(&i->imm, &g, 4);
		return 0;
	}
	return cur_error(c, "internal: unknown pseudo-instruction");
}

/*
 * ", async=U[, activate=T | unblock=T]" after the operands of a vector
 * op: the prefix word it needs.
 */
static int async_suffix(struct cur *c, struct isa_insn *pre)
{
	uint32_t u, t = 0, act = ISA_ASYNC_NONE;

	c->i++;		/* async */
	if (cur_expect(c, TK_ASSIGN, NULL) ||
	    small(c, &u, 0, ISA_NUM_UTHREADS - 1, "microthread"))
		return -1;
	if (cur_accept(c, TK_COMMA)) {
		struct token *k = cur_tok(c);

		if (tok_is(k, "activate"))
			act = ISA_ASYNC_ACTIVATE;
		else if (tok_is(k, "unblock"))
			act = ISA_ASYNC_UNBLOCK;
		else
			return cur_error(c, "expected activate=TASK or unblock=TASK");
		c->i++;
		if (cur_expect(c, TK_ASSIGN, NULL) || task_id(c, &t))
			return -1;
	}
	*pre = (struct isa_insn){ .opcode = ISA_OP_ASYNC, .rd = (uint8_t)u,
				  .imm = ISA_ASYNC_IMM(t, act) };
	return 0;
}

/* Does this statement carry ", async=" (16 bytes)? Known in pass 1. */
int insn_size(const struct cur *c)
{
	for (unsigned i = c->i; i + 1 < c->n; i++)
		if (c->t[i].kind == TK_COMMA && tok_is(&c->t[i + 1], "async"))
			return 2 * ISA_INSN_BYTES;
	return ISA_INSN_BYTES;
}

/* Encode one statement into 1 or 2 words; returns the count, -1 on error. */
int insn_encode(struct cur *c, uint64_t *word)
{
	struct isa_insn i = { 0 }, pre = { 0 };
	int has_pre = 0;
	struct mnemonic m;

	if (parse_mnemonic(c, &m))
		return -1;
	if (m.op) {
		i.opcode = m.op->opcode;
		i.type = m.type < 0 ? 0 : (uint8_t)m.type;
		if (m.op->opcode == ISA_OP_VCVT)
			i.rc = (uint8_t)m.stype;
		if (operands(c, m.op, &i))
			return -1;
	} else if (pseudo(c, m.pseudo, &i)) {
		return -1;
	}
	if (cur_tok(c)->kind == TK_COMMA && tok_is(cur_tok(c) + 1, "async")) {
		c->i++;
		if (!m.op || !isa_op_is_vector(m.op->opcode))
			return cur_error(c, "only vector operations have an async form");
		if (isa_op_is_reduction(m.op->opcode))
			return cur_error(c, "'%s' has no async form: its result is a register",
					 m.op->name);
		if (async_suffix(c, &pre))
			return -1;
		has_pre = 1;
	}
	if (cur_end(c))
		return -1;
	if (has_pre)
		*word++ = isa_encode(&pre);
	*word = isa_encode(&i);
	return 1 + has_pre;
}
