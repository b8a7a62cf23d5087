// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wafer-isa.c - every instruction of isa.h on one PE: results, register
 * conventions and cycle costs (Documentation/wse/isa.rst).
 */
#include <math.h>

#include "kselftest_harness.h"
#include "wafer-test.h"
#include "half.h"

#define OUT	0x8000		/* results */
#define IN	0x6000		/* vector inputs: A, B, C at IN + k * 0x800 */

FIXTURE(pe) {
	struct wafer *w;
	struct wb *b;
	uint32_t g;
	struct wafer_rect rg;
	struct wafer_fault f;
	struct wafer_run_stats st;
};

FIXTURE_SETUP(pe)
{
	uint32_t fn;

	self->w = wt_wafer(3, 2, 1, 0);
	ASSERT_NE(NULL, self->w);
	self->rg = (struct wafer_rect){ 0, 0, 1, 1 };
	self->b = wb_new(1, 1);
	self->g = wb_group(self->b);
	wb_rect(self->b, 0, 0, 1, 1, self->g);
	fn = wb_func(self->b, "main");
	wb_entry(self->b, fn, self->g, 0);
}

FIXTURE_TEARDOWN(pe)
{
	wb_free(self->b);
	wafer_destroy(self->w);
}

#define E(i)	wb_emit(self->b, self->g, (i))
#define RUN()	ASSERT_EQ(0, wt_run(self->w, self->b, &self->rg, NULL, 0, \
				    &self->st, &self->f)) TH_LOG("%s", self->f.msg)
#define OUTW(i)	wt_word(self->w, &self->rg, 0, 0, OUT + 4 * (i))

struct alu_case {
	uint8_t op;
	uint32_t a, b;
	bool imm;
	uint32_t want;
};

/* Integer ALU, register and immediate forms. */
TEST_F(pe, integer_alu)
{
	static const struct alu_case c[] = {
		{ ISA_OP_ADD, 0xfffffffe, 3, false, 1 },
		{ ISA_OP_ADD, 5, (uint32_t)-7, true, (uint32_t)-2 },
		{ ISA_OP_SUB, 3, 5, false, (uint32_t)-2 },
		{ ISA_OP_MUL, 0x10001, 0x10001, false, 0x20001 },
		{ ISA_OP_MUL, 7, 6, true, 42 },
		{ ISA_OP_DIVU, 100, 7, false, 14 },
		{ ISA_OP_DIVU, 100, 0, false, 0xffffffff },
		{ ISA_OP_REMU, 100, 7, false, 2 },
		{ ISA_OP_REMU, 100, 0, false, 100 },
		{ ISA_OP_AND, 0xff00ff00, 0x0ff00ff0, false, 0x0f000f00 },
		{ ISA_OP_OR, 0xff00ff00, 0x0ff00ff0, false, 0xfff0fff0 },
		{ ISA_OP_XOR, 0xff00ff00, 0x0ff00ff0, true, 0xf0f0f0f0 },
		{ ISA_OP_SHL, 1, 33, false, 2 },
		{ ISA_OP_SHR, 0x80000000, 31, true, 1 },
		{ ISA_OP_SRA, 0x80000000, 31, false, 0xffffffff },
		{ ISA_OP_SLT, (uint32_t)-1, 1, false, 1 },
		{ ISA_OP_SLT, 1, (uint32_t)-1, false, 0 },
		{ ISA_OP_SLTU, (uint32_t)-1, 1, false, 0 },
		{ ISA_OP_SLTU, 1, 2, true, 1 },
		{ ISA_OP_SEQ, 9, 9, false, 1 },
		{ ISA_OP_SEQ, 9, 8, true, 0 },
	};
	const unsigned int n = sizeof(c) / sizeof(c[0]);

	for (unsigned int i = 0; i < n; i++) {
		E(I_LI(1, c[i].a));
		E(I_LI(2, c[i].b));
		if (c[i].imm)
			E(wb_insn(c[i].op, 3, 1, 0, 0, 0, ISA_F_IMM, c[i].b));
		else
			E(wb_insn(c[i].op, 3, 1, 2, 0, 0, 0, 0));
		E(I_ST(3, 0, OUT + 4 * i));
	}
	/* li, mov, and r0: reads zero, ignores writes. */
	E(I_LI(4, 0x12345678));
	E(I_MOV(5, 4));
	E(I_ST(5, 0, OUT + 4 * n));
	E(I_LI(0, 77));
	E(I_ALUI(ADD, 0, 4, 1));
	E(I_ST(0, 0, OUT + 4 * n + 4));
	E(I_MOV(6, 0));
	E(I_ST(6, 0, OUT + 4 * n + 8));
	E(I_HALT());
	wt_put(self->w, &self->rg, 0, 0, OUT + 4 * n + 4, "\xff\xff\xff\xff", 4);
	RUN();
	for (unsigned int i = 0; i < n; i++) {
		EXPECT_EQ(c[i].want, OUTW(i)) TH_LOG("case %u op 0x%x", i, c[i].op);
	}
	EXPECT_EQ(0x12345678, OUTW(n));
	EXPECT_EQ(0, OUTW(n + 1));
	EXPECT_EQ(0, OUTW(n + 2));
}

static uint32_t fb(float f)
{
	return wt_fbits(f);
}

/* Scalar f32 on register bits. */
TEST_F(pe, float_alu)
{
	struct alu_case c[] = {
		{ ISA_OP_FADD, fb(1.5f), fb(2.25f), false, fb(3.75f) },
		{ ISA_OP_FADD, fb(1.0f), fb(0.5f), true, fb(1.5f) },
		{ ISA_OP_FSUB, fb(1.0f), fb(3.0f), false, fb(-2.0f) },
		{ ISA_OP_FMUL, fb(-1.5f), fb(4.0f), false, fb(-6.0f) },
		{ ISA_OP_FDIV, fb(1.0f), fb(4.0f), false, fb(0.25f) },
		{ ISA_OP_FDIV, fb(1.0f), fb(0.0f), false, fb(INFINITY) },
		{ ISA_OP_FMAX, fb(-1.0f), fb(2.0f), false, fb(2.0f) },
		{ ISA_OP_FMIN, fb(-1.0f), fb(2.0f), false, fb(-1.0f) },
		{ ISA_OP_FLT, fb(-1.0f), fb(2.0f), false, 1 },
		{ ISA_OP_FLT, fb(2.0f), fb(2.0f), false, 0 },
		{ ISA_OP_FEQ, fb(2.0f), fb(2.0f), true, 1 },
		{ ISA_OP_FEQ, fb(NAN), fb(NAN), false, 0 },
		{ ISA_OP_ITOF, (uint32_t)-3, 0, false, fb(-3.0f) },
		{ ISA_OP_FTOI, fb(-3.75f), 0, false, (uint32_t)-3 },
		{ ISA_OP_FTOI, fb(3e9f), 0, false, 0x7fffffff },
		{ ISA_OP_FTOI, fb(-3e9f), 0, false, 0x80000000 },
		{ ISA_OP_FTOI, fb(NAN), 0, false, 0 },
	};
	const unsigned int n = sizeof(c) / sizeof(c[0]);

	for (unsigned int i = 0; i < n; i++) {
		E(I_LI(1, c[i].a));
		E(I_LI(2, c[i].b));
		if (c[i].imm)
			E(wb_insn(c[i].op, 3, 1, 0, 0, 0, ISA_F_IMM, c[i].b));
		else
			E(wb_insn(c[i].op, 3, 1, 2, 0, 0, 0, 0));
		E(I_ST(3, 0, OUT + 4 * i));
	}
	/* fma: two roundings (1 + 2^-23)^2 - 1 loses the 2^-46 term. */
	E(I_LI(1, fb(1.0f + 0x1p-23f)));
	E(I_LI(2, fb(-1.0f)));
	E(I_FMA(3, 1, 1, 2));
	E(I_ST(3, 0, OUT + 4 * n));
	E(wb_insn(ISA_OP_FMA, 3, 1, 0, 2, 0, ISA_F_IMM, fb(2.0f)));
	E(I_ST(3, 0, OUT + 4 * n + 4));
	E(I_HALT());
	RUN();
	for (unsigned int i = 0; i < n; i++) {
		EXPECT_EQ(c[i].want, OUTW(i)) TH_LOG("case %u op 0x%x", i, c[i].op);
	}
	EXPECT_EQ(fb(0x1p-22f), OUTW(n));
	EXPECT_EQ(fb(1.0f + 0x1p-22f), OUTW(n + 1));
}

/* Loads and stores: 32 and 16 bits, base + signed offset. */
TEST_F(pe, load_store)
{
	E(I_LI(1, OUT + 0x40));
	E(I_LI(2, 0xa1b2c3d4));
	E(I_ST(2, 1, (uint32_t)-0x40));
	E(I_STH(2, 1, 6));
	E(I_LD(3, 1, (uint32_t)-0x40));
	E(I_LDH(4, 1, (uint32_t)-0x3e));
	E(I_LDH(5, 1, 6));
	E(I_ST(3, 0, OUT + 8));
	E(I_ST(4, 0, OUT + 12));
	E(I_ST(5, 0, OUT + 16));
	E(I_HALT());
	RUN();
	EXPECT_EQ(0xa1b2c3d4, OUTW(0));
	EXPECT_EQ(0xc3d40000, OUTW(0x44 / 4));
	EXPECT_EQ(0xa1b2c3d4, OUTW(2));
	EXPECT_EQ(0xa1b2, OUTW(3));
	EXPECT_EQ(0xc3d4, OUTW(4));
}

/* Each conditional branch, taken and not taken. */
TEST_F(pe, branches)
{
	static const struct { uint8_t op; uint32_t a, b; bool taken; } c[] = {
		{ ISA_OP_BEQ, 4, 4, true }, { ISA_OP_BEQ, 4, 5, false },
		{ ISA_OP_BNE, 4, 5, true }, { ISA_OP_BNE, 4, 4, false },
		{ ISA_OP_BLT, (uint32_t)-1, 0, true }, { ISA_OP_BLT, 0, (uint32_t)-1, false },
		{ ISA_OP_BGE, 0, (uint32_t)-1, true }, { ISA_OP_BGE, (uint32_t)-1, 0, false },
		{ ISA_OP_BGE, 3, 3, true },
		{ ISA_OP_BLTU, 0, (uint32_t)-1, true }, { ISA_OP_BLTU, (uint32_t)-1, 0, false },
		{ ISA_OP_BGEU, (uint32_t)-1, 0, true }, { ISA_OP_BGEU, 0, (uint32_t)-1, false },
	};
	const unsigned int n = sizeof(c) / sizeof(c[0]);

	for (unsigned int i = 0; i < n; i++) {
		uint32_t br;

		E(I_LI(1, c[i].a));
		E(I_LI(2, c[i].b));
		E(I_LI(3, 0));
		br = E(wb_insn(c[i].op, 0, 1, 2, 0, 0, 0, 0));
		E(I_LI(3, 1));
		wb_patch(self->b, self->g, br, wb_pc(self->b, self->g));
		E(I_ST(3, 0, OUT + 4 * i));
	}
	E(I_HALT());
	RUN();
	for (unsigned int i = 0; i < n; i++) {
		EXPECT_EQ(c[i].taken ? 0 : 1, OUTW(i)) TH_LOG("case %u", i);
	}
}

/* jmp, jr, call, callr, ret and the link register. */
TEST_F(pe, jumps_and_calls)
{
	uint32_t j1, sub, callr_pc;

	E(I_LI(1, 0));
	j1 = E(I_JMP(0));
	E(I_LI(1, 99));				/* skipped */
	wb_patch(self->b, self->g, j1, wb_pc(self->b, self->g));
	sub = 8 * 20;
	E(I_CALL(sub));				/* r1 += 10 */
	E(I_ST(15, 0, OUT + 4));		/* link = pc after call */
	E(I_LI(2, sub));
	callr_pc = E(I_CALLR(2));		/* r1 += 10 */
	E(I_LI(3, 0));
	E(I_JR(3, wb_pc(self->b, self->g) + 16));
	E(I_LI(1, 99));				/* skipped */
	E(I_ST(1, 0, OUT));
	E(I_HALT());
	while (wb_pc(self->b, self->g) < sub)
		E(I_NOP());
	E(I_ALUI(ADD, 1, 1, 10));
	E(I_RET());
	RUN();
	EXPECT_EQ(20, OUTW(0));
	EXPECT_EQ(8 * 4, OUTW(1));
	EXPECT_EQ(8 * 6, callr_pc);
}

/* CSRs: position, extents, rectangle, cycles, SRAM size. */
TEST_F(pe, csrs)
{
	struct wafer_rect rg = { 0, 0, 3, 2 };
	uint32_t g2;

	wb_free(self->b);
	self->b = wb_new(3, 2);
	self->g = wb_group(self->b);
	g2 = wb_group(self->b);
	wb_rect(self->b, 0, 0, 1, 2, self->g);
	wb_rect(self->b, 1, 0, 2, 2, g2);
	wb_func(self->b, "main");
	wb_entry(self->b, 0, self->g, 0);
	wb_entry(self->b, 0, g2, 0);
	for (uint32_t g = 0; g < 2; g++) {
		for (uint32_t csr = 0; csr <= ISA_CSR_SRAM; csr++) {
			wb_emit(self->b, g, I_CSR(1, csr));
			wb_emit(self->b, g, I_ST(1, 0, OUT + 4 * csr));
		}
		wb_emit(self->b, g, I_HALT());
	}
	ASSERT_EQ(0, wt_run(self->w, self->b, &rg, NULL, 0, &self->st, &self->f));
	/* PE (2,1): second column of the 2x2 rectangle at (1,0). */
	EXPECT_EQ(2, wt_word(self->w, &rg, 2, 1, OUT + 4 * ISA_CSR_X));
	EXPECT_EQ(1, wt_word(self->w, &rg, 2, 1, OUT + 4 * ISA_CSR_Y));
	EXPECT_EQ(3, wt_word(self->w, &rg, 2, 1, OUT + 4 * ISA_CSR_PROG_W));
	EXPECT_EQ(2, wt_word(self->w, &rg, 2, 1, OUT + 4 * ISA_CSR_PROG_H));
	EXPECT_EQ(1, wt_word(self->w, &rg, 2, 1, OUT + 4 * ISA_CSR_RECT_X));
	EXPECT_EQ(1, wt_word(self->w, &rg, 2, 1, OUT + 4 * ISA_CSR_RECT_Y));
	EXPECT_EQ(2, wt_word(self->w, &rg, 2, 1, OUT + 4 * ISA_CSR_RECT_W));
	EXPECT_EQ(2, wt_word(self->w, &rg, 2, 1, OUT + 4 * ISA_CSR_RECT_H));
	EXPECT_EQ(1, wt_word(self->w, &rg, 0, 1, OUT + 4 * ISA_CSR_RECT_W));
	/* csr k is the (2k+1)-th instruction: 2k cycles before it. */
	EXPECT_EQ(2 * ISA_CSR_CYCLES, wt_word(self->w, &rg, 2, 1, OUT + 4 * ISA_CSR_CYCLES));
	EXPECT_EQ(WAFER_DEFAULT_SRAM, wt_word(self->w, &rg, 0, 0, OUT + 4 * ISA_CSR_SRAM));
}

/* Cycle costs of each instruction class add up exactly. */
TEST_F(pe, cycle_costs)
{
	uint32_t br;

	E(I_NOP());				/* 1 */
	E(I_LI(1, 10));				/* 1 */
	E(I_LI(2, 3));				/* 1 */
	E(I_ALU(DIVU, 3, 1, 2));		/* 8 */
	E(I_ALU(REMU, 3, 1, 2));		/* 8 */
	E(wb_insn(ISA_OP_FDIV, 3, 1, 2, 0, 0, 0, 0));	/* 8 */
	br = E(I_BR(BEQ, 1, 1, 0));		/* taken: 2 */
	wb_patch(self->b, self->g, br, wb_pc(self->b, self->g));
	E(I_BR(BEQ, 1, 2, 0));			/* not taken: 1 */
	E(I_JMP(wb_pc(self->b, self->g) + 8));	/* 2 */
	E(I_LI(4, OUT));			/* 1 */
	E(I_DMEM(F32, 0, 4, 1, 1));		/* 1 */
	E(I_V(FILL, F32, 0, 2, 0, 0));		/* 2 + 10 */
	E(I_V(RSUM, F32, 5, 0, 0, 0));		/* 2 + 10 */
	E(I_ST(1, 0, OUT + 0x100));		/* 1 */
	E(I_HALT());				/* 1 */
	RUN();
	EXPECT_EQ(1 + 1 + 1 + 8 + 8 + 8 + 2 + 1 + 2 + 1 + 1 + 12 + 12 + 1 + 1,
		  self->st.cycles);
	EXPECT_EQ(15, self->st.instructions);
	EXPECT_EQ(0, self->st.wavelets);
}

/* dmem, dfab, dlen, dadv through their effect on vector ops. */
TEST_F(pe, dsd_setup)
{
	uint32_t v[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

	wb_data(self->b, self->g, IN, v, sizeof(v));
	E(I_LI(1, IN));
	E(I_LI(2, 8));
	E(I_DMEM(I32, 0, 1, 2, 1));
	E(I_DLENI(0, 3));			/* 3 elements */
	E(I_DADVI(0, 8));			/* from v[2] */
	E(I_V(RSUM, I32, 3, 0, 0, 0));		/* 3 + 4 + 5 */
	E(I_ST(3, 0, OUT));
	E(I_LI(4, 2));
	E(I_DLEN(0, 4));			/* 2 elements */
	E(I_LI(4, (uint32_t)-4));
	E(I_DADV(0, 4));			/* from v[1] */
	E(I_V(RSUM, I32, 3, 0, 0, 0));		/* 2 + 3 */
	E(I_ST(3, 0, OUT + 4));
	/* A negative stride walks backwards from the base. */
	E(I_LI(1, IN + 28));
	E(I_DMEM(I32, 1, 1, 2, -2));		/* v[7], v[5], v[3], ... */
	E(I_DLENI(1, 4));
	E(I_LI(5, OUT + 16));
	E(I_DMEM(I32, 2, 5, 2, 1));
	E(I_DLENI(2, 4));
	E(I_V(MOV, I32, 2, 1, 0, 0));
	E(I_HALT());
	RUN();
	EXPECT_EQ(12, OUTW(0));
	EXPECT_EQ(5, OUTW(1));
	EXPECT_EQ(8, OUTW(4));
	EXPECT_EQ(6, OUTW(5));
	EXPECT_EQ(4, OUTW(6));
	EXPECT_EQ(2, OUTW(7));
}

/* Reference semantics of one element, per isa.rst. */
static uint32_t ref_elem(unsigned int op, unsigned int type, uint32_t x, uint32_t y,
			 uint32_t z, uint32_t s)
{
	float fx, fy, fz, fs, r;

	if (type == ISA_T_I32 || type == ISA_T_I16) {
		uint32_t m = type == ISA_T_I16 ? 0xffff : 0xffffffff, v;
		int32_t sx = type == ISA_T_I16 ? (int16_t)x : (int32_t)x;
		int32_t sy = type == ISA_T_I16 ? (int16_t)y : (int32_t)y;

		switch (op) {
		case ISA_OP_VMOV: v = x; break;
		case ISA_OP_VADD: v = x + y; break;
		case ISA_OP_VSUB: v = x - y; break;
		case ISA_OP_VMUL: v = x * y; break;
		case ISA_OP_VMAX: v = sx > sy ? x : y; break;
		case ISA_OP_VMIN: v = sx < sy ? x : y; break;
		case ISA_OP_VFMA: v = x * y + z; break;
		case ISA_OP_VFMACS: v = x + y * s; break;
		case ISA_OP_VADDS: v = x + s; break;
		case ISA_OP_VMULS: v = x * s; break;
		default: v = s; break;
		}
		return v & m;
	}
	if (type == ISA_T_F16) {
		fx = wafer_h2f(x);
		fy = wafer_h2f(y);
		fz = wafer_h2f(z);
		fs = wafer_h2f(s);
	} else {
		memcpy(&fx, &x, 4);
		memcpy(&fy, &y, 4);
		memcpy(&fz, &z, 4);
		memcpy(&fs, &s, 4);
	}
	switch (op) {
	case ISA_OP_VMOV: return x;
	case ISA_OP_VFILL: return s;
	case ISA_OP_VMAX: return fx > fy ? x : y;
	case ISA_OP_VMIN: return fx < fy ? x : y;
	case ISA_OP_VADD: r = fx + fy; break;
	case ISA_OP_VSUB: r = fx - fy; break;
	case ISA_OP_VMUL: r = fx * fy; break;
	case ISA_OP_VADDS: r = fx + fs; break;
	case ISA_OP_VMULS: r = fx * fs; break;
	case ISA_OP_VFMA:
		r = fx * fy;
		if (type == ISA_T_F16)
			r = wafer_h2f(wafer_f2h(r));
		r = r + fz;
		break;
	default:	/* VFMACS */
		r = fy * fs;
		if (type == ISA_T_F16)
			r = wafer_h2f(wafer_f2h(r));
		r = fx + r;
		break;
	}
	if (type == ISA_T_F16)
		return wafer_f2h(r);
	memcpy(&s, &r, 4);
	return s;
}

static uint32_t rnd_state = 12345;

static uint32_t rnd(void)
{
	rnd_state = rnd_state * 1103515245 + 12345;
	return rnd_state >> 8;
}

static uint32_t rnd_elem(unsigned int type)
{
	float f = (float)((int)(rnd() % 2001) - 1000) / 64.0f;

	switch (type) {
	case ISA_T_F32:
		return fb(f);
	case ISA_T_F16:
		return wafer_f2h(f);
	case ISA_T_I16:
		return rnd() & 0xffff;
	default:
		return rnd() ^ (rnd() << 16);
	}
}

static void put_elem(uint8_t *p, unsigned int esz, uint32_t v)
{
	memcpy(p, &v, esz);
}

static uint32_t get_elem(const uint8_t *p, unsigned int esz)
{
	uint32_t v = 0;

	memcpy(&v, p, esz);
	return v;
}

/*
 * Every element-wise vector op on every type, with unit, double and
 * reversed strides; results compared with ref_elem().
 */
TEST_F(pe, vector_elementwise)
{
	static const uint8_t ops[] = {
		ISA_OP_VMOV, ISA_OP_VADD, ISA_OP_VSUB, ISA_OP_VMUL, ISA_OP_VMAX,
		ISA_OP_VMIN, ISA_OP_VFMA, ISA_OP_VFMACS, ISA_OP_VADDS,
		ISA_OP_VMULS, ISA_OP_VFILL,
	};
	static const int32_t strides[][4] = {	/* d, a, b, c */
		{ 1, 1, 1, 1 }, { 2, 1, -1, 0 }, { -1, 2, 1, 1 },
	};
	const uint32_t n = 37;
	struct wafer_program *p;
	unsigned int ncase = 0;

	for (unsigned int type = 0; type < 4; type++) {
		for (unsigned int k = 0; k < sizeof(ops); k++) {
			for (unsigned int s = 0; s < 3; s++, ncase++) {
				uint8_t op = ops[k];
				const int32_t *st = strides[s];
				/* Per case: inputs at IN (A, B, C), output at OUT. */
				uint32_t base[4] = { OUT, IN, IN + 0x800, IN + 0x1000 };

				for (unsigned int o = 0; o < 4; o++) {
					uint32_t addr = base[o];

					if (st[o] < 0)
						addr += (n - 1) * (uint32_t)(-st[o]) *
							(type >= ISA_T_I16 ? 2 : 4);
					E(I_LI(1, addr));
					E(I_LI(2, n));
					E(wb_insn(ISA_OP_DMEM, o, 1, 2, 0, type, 0,
						  (uint32_t)st[o]));
				}
				E(I_LD(5, 0, 0x4ff0));
				switch (op) {
				case ISA_OP_VFMACS:
					E(wb_insn(op, 0, 1, 2, 5, type, 0, 0));
					break;
				case ISA_OP_VADDS:
				case ISA_OP_VMULS:
					E(wb_insn(op, 0, 1, 5, 0, type, 0, 0));
					break;
				case ISA_OP_VFILL:
					E(wb_insn(op, 0, 5, 0, 0, type, 0, 0));
					break;
				default:
					E(wb_insn(op, 0, 1, 2, 3, type, 0, 0));
				}
				E(I_HALT());

				/* Fresh program per case. */
				ASSERT_EQ(0, wafer_load(self->w, &self->rg,
							wb_image(self->b), &p,
							&self->f));
				{
					uint8_t *sr = wb_pe_sram(self->w, &self->rg, 0, 0);
					unsigned int esz = type >= ISA_T_I16 ? 2 : 4;
					uint32_t sc = rnd_elem(type), want[64];

					memcpy(sr + 0x4ff0, &sc, 4);
					for (unsigned int i = 0; i < 3 * 0x800; i += esz)
						put_elem(sr + IN + i, esz, rnd_elem(type));
					memset(sr + OUT, 0, 0x800);
					for (uint32_t i = 0; i < n; i++) {
						uint32_t x = get_elem(sr + IN + (int64_t)(st[1] < 0 ? (n - 1) * -st[1] : 0) * esz + (int64_t)i * st[1] * esz, esz);
						uint32_t y = get_elem(sr + IN + 0x800 + (int64_t)(st[2] < 0 ? (n - 1) * -st[2] : 0) * esz + (int64_t)i * st[2] * esz, esz);
						uint32_t z = get_elem(sr + IN + 0x1000 + (int64_t)(st[3] < 0 ? (n - 1) * -st[3] : 0) * esz + (int64_t)i * st[3] * esz, esz);

						want[i] = ref_elem(op, type, x, y, z,
								   esz == 2 ? sc & 0xffff : sc);
					}
					ASSERT_EQ(0, wafer_launch(p, 0, NULL, 0, &self->st,
								  &self->f)) TH_LOG("%s", self->f.msg);
					for (uint32_t i = 0; i < n; i++) {
						int64_t off = (int64_t)(st[0] < 0 ? (n - 1) * -st[0] : 0) * esz +
							      (int64_t)i * st[0] * esz;
						uint32_t got = get_elem(sr + OUT + off, esz);

						ASSERT_EQ(want[i], got)
							TH_LOG("op 0x%x type %u strides %u element %u",
							       op, type, s, i);
					}
					EXPECT_EQ(2 + n, self->st.cycles - (self->st.instructions - 1));
				}
				wafer_program_free(p);
				wb_free(self->b);
				self->b = wb_new(1, 1);
				self->g = wb_group(self->b);
				wb_rect(self->b, 0, 0, 1, 1, self->g);
				wb_func(self->b, "main");
				wb_entry(self->b, 0, self->g, 0);
			}
		}
	}
	EXPECT_EQ(4 * 11 * 3, ncase);
}

/* Reductions on every type, including empty vectors. */
TEST_F(pe, vector_reductions)
{
	static const uint8_t ops[] = { ISA_OP_VRSUM, ISA_OP_VRMAX, ISA_OP_VRMIN };
	const uint32_t lens[] = { 0, 1, 29 };
	unsigned int out = 0;
	uint32_t want[64];

	for (unsigned int type = 0; type < 4; type++) {
		unsigned int esz = type >= ISA_T_I16 ? 2 : 4;
		uint8_t data[29 * 4];

		for (unsigned int i = 0; i < 29; i++)
			put_elem(data + i * esz, esz, rnd_elem(type));
		wb_data(self->b, self->g, IN + type * 0x100, data, 29 * esz);
		for (unsigned int k = 0; k < 3; k++) {
			for (unsigned int l = 0; l < 3; l++) {
				uint32_t n = lens[l], acc;
				float f;

				switch (ops[k]) {
				case ISA_OP_VRSUM:
					acc = 0;
					break;
				case ISA_OP_VRMAX:
					acc = type == ISA_T_F32 ? fb(-INFINITY) :
					      type == ISA_T_I32 ? 0x80000000 :
					      type == ISA_T_F16 ? 0xfc00 : 0x8000;
					break;
				default:
					acc = type == ISA_T_F32 ? fb(INFINITY) :
					      type == ISA_T_I32 ? 0x7fffffff :
					      type == ISA_T_F16 ? 0x7c00 : 0x7fff;
				}
				for (uint32_t i = 0; i < n; i++) {
					uint32_t x = get_elem(data + i * esz, esz);

					switch (type) {
					case ISA_T_I32:
					case ISA_T_I16: {
						int32_t sa = esz == 2 ? (int16_t)acc : (int32_t)acc;
						int32_t sx = esz == 2 ? (int16_t)x : (int32_t)x;

						if (ops[k] == ISA_OP_VRSUM)
							acc = (acc + x) & (esz == 2 ? 0xffff : 0xffffffff);
						else if (ops[k] == ISA_OP_VRMAX ? sx > sa : sx < sa)
							acc = x;
						break;
					}
					case ISA_T_F32: {
						float fa, fx;

						memcpy(&fa, &acc, 4);
						memcpy(&fx, &x, 4);
						if (ops[k] == ISA_OP_VRSUM)
							acc = fb(fa + fx);
						else if (ops[k] == ISA_OP_VRMAX ? fx > fa : fx < fa)
							acc = x;
						break;
					}
					default:
						f = wafer_h2f(x);
						if (ops[k] == ISA_OP_VRSUM)
							acc = wafer_f2h(wafer_h2f(acc) + f);
						else if (ops[k] == ISA_OP_VRMAX ? f > wafer_h2f(acc) :
							 f < wafer_h2f(acc))
							acc = x;
					}
				}
				if (type == ISA_T_I16)
					acc = (uint32_t)(int32_t)(int16_t)acc;
				want[out] = acc;
				E(I_LI(1, IN + type * 0x100));
				E(I_LI(2, n));
				E(wb_insn(ISA_OP_DMEM, 0, 1, 2, 0, type, 0, 1));
				E(wb_insn(ops[k], 7, 0, 0, 0, type, 0, 0));
				E(I_ST(7, 0, OUT + 4 * out));
				out++;
			}
		}
	}
	E(I_HALT());
	RUN();
	for (unsigned int i = 0; i < out; i++) {
		EXPECT_EQ(want[i], OUTW(i)) TH_LOG("reduction %u", i);
	}
}

/* Known f16 and i16 values, independent of the reference code. */
TEST_F(pe, vector_16bit_values)
{
	uint16_t a[4] = { 0x3c00, 0x4000, 0x7bff, 0x0001 };	/* 1, 2, max, tiny */
	uint16_t b[4] = { 0x4000, 0xc000, 0x7bff, 0x0001 };	/* 2, -2, max, tiny */
	int16_t ia[3] = { 32767, -32768, 1000 }, ib[3] = { 1, -1, 1000 };

	wb_data(self->b, self->g, IN, a, sizeof(a));
	wb_data(self->b, self->g, IN + 0x100, b, sizeof(b));
	wb_data(self->b, self->g, IN + 0x200, ia, sizeof(ia));
	wb_data(self->b, self->g, IN + 0x300, ib, sizeof(ib));
	E(I_LI(2, 4));
	E(I_LI(1, IN));
	E(I_DMEM(F16, 1, 1, 2, 1));
	E(I_LI(1, IN + 0x100));
	E(I_DMEM(F16, 2, 1, 2, 1));
	E(I_LI(1, OUT));
	E(I_DMEM(F16, 0, 1, 2, 1));
	E(I_V(ADD, F16, 0, 1, 2, 0));
	E(I_LI(2, 3));
	E(I_LI(1, IN + 0x200));
	E(I_DMEM(I16, 1, 1, 2, 1));
	E(I_LI(1, IN + 0x300));
	E(I_DMEM(I16, 2, 1, 2, 1));
	E(I_LI(1, OUT + 0x10));
	E(I_DMEM(I16, 0, 1, 2, 1));
	E(I_V(MUL, I16, 0, 1, 2, 0));
	E(I_HALT());
	RUN();
	{
		uint16_t *r = (uint16_t *)(wb_pe_sram(self->w, &self->rg, 0, 0) + OUT);

		EXPECT_EQ(0x4200, r[0]);	/* 1 + 2 = 3 */
		EXPECT_EQ(0x0000, r[1]);	/* 2 - 2 = +0 */
		EXPECT_EQ(0x7c00, r[2]);	/* overflow to inf */
		EXPECT_EQ(0x0002, r[3]);	/* subnormals add exactly */
		EXPECT_EQ((uint16_t)32767, r[8]);
		EXPECT_EQ((uint16_t)-32768, r[9]);	/* wraps */
		EXPECT_EQ((uint16_t)(1000 * 1000), r[10]);
	}
}

/* Element order is sequential: an overlapping copy smears element 0. */
TEST_F(pe, vector_overlap_is_sequential)
{
	uint32_t v[8] = { 7, 1, 2, 3, 4, 5, 6, 8 };

	wb_data(self->b, self->g, IN, v, sizeof(v));
	E(I_LI(1, IN));
	E(I_LI(2, 7));
	E(I_DMEM(I32, 1, 1, 2, 1));
	E(I_LI(1, IN + 4));
	E(I_DMEM(I32, 0, 1, 2, 1));
	E(I_V(MOV, I32, 0, 1, 0, 0));
	/* In-place accumulate, d = d + d. */
	E(I_LI(1, IN));
	E(I_LI(2, 8));
	E(I_DMEM(I32, 2, 1, 2, 1));
	E(I_V(ADD, I32, 2, 2, 2, 0));
	E(I_HALT());
	RUN();
	for (unsigned int i = 0; i < 8; i++) {
		EXPECT_EQ(14, wt_word(self->w, &self->rg, 0, 0, IN + 4 * i));
	}
}

/* Long vectors are split into steps without changing the result or cost. */
TEST_F(pe, vector_long_stride_zero)
{
	E(I_LI(1, OUT));
	E(I_LI(2, 1000000));
	E(I_DMEM(F32, 0, 1, 2, 0));
	E(I_LI(3, fb(0.5f)));
	E(I_V(ADDS, F32, 0, 0, 3, 0));	/* 500000 */
	E(I_HALT());
	RUN();
	EXPECT_EQ(fb(500000.0f), OUTW(0));
	EXPECT_EQ(3 + 2 + 1000000 + 1 + 1, self->st.cycles);
}

TEST_HARNESS_MAIN
