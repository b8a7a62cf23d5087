// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wafer-vector.c - the vector ISA beyond arithmetic: logic and shifts,
 * compares and select, abs and neg, conversions, scalar and immediate
 * second sources, 16 DSD registers and multi-dimensional memory DSDs;
 * results against a reference in C and cycle costs (2 + 1 per element).
 */
#include <math.h>

#include "kselftest_harness.h"
#include "wafer-test.h"
#include "half.h"

#define OUT	0x8000
#define IN	0x4000		/* sources A, B, C at IN + k * 0x400 */

FIXTURE(v) {
	struct wafer *w;
	struct wb *b;
	uint32_t g;
	struct wafer_rect rg;
	struct wafer_fault f;
	struct wafer_run_stats st;
};

FIXTURE_SETUP(v)
{
	self->w = wt_wafer(2, 2, 1, 0);
	ASSERT_NE(NULL, self->w);
	self->rg = (struct wafer_rect){ 0, 0, 1, 1 };
	self->b = wb_new(1, 1);
	self->g = wb_group(self->b);
	wb_rect(self->b, 0, 0, 1, 1, self->g);
	wb_entry(self->b, wb_func(self->b, "main"), self->g, 0);
}

FIXTURE_TEARDOWN(v)
{
	wb_free(self->b);
	wafer_destroy(self->w);
}

#define E(i)	wb_emit(self->b, self->g, (i))
#define RUN()	ASSERT_EQ(0, wt_run(self->w, self->b, &self->rg, NULL, 0, \
				    &self->st, &self->f)) TH_LOG("%s", self->f.msg)
#define SRAM()	wb_pe_sram(self->w, &self->rg, 0, 0)

static uint32_t f2u(float f)
{
	uint32_t u;

	memcpy(&u, &f, 4);
	return u;
}

static float u2f(uint32_t u)
{
	float f;

	memcpy(&f, &u, 4);
	return f;
}

/* dK = n elements of type t at addr, stride 1 (3 instructions). */
static void dsd(struct wb *b, uint32_t g, unsigned int k, unsigned int t,
		uint32_t addr, uint32_t n)
{
	wb_emit(b, g, I_LI(13, addr));
	wb_emit(b, g, I_LI(14, n));
	wb_emit(b, g, wb_insn(ISA_OP_DMEM, k, 13, 14, 0, t, 0, 1));
}

/* The element result of the integer ops, per isa.rst. */
static uint32_t ref_int(unsigned int op, bool i16, uint32_t x, uint32_t y)
{
	unsigned int bits = i16 ? 16 : 32;
	uint32_t m = i16 ? 0xffff : 0xffffffff;
	int32_t sx = i16 ? (int16_t)x : (int32_t)x;
	int32_t sy = i16 ? (int16_t)y : (int32_t)y;
	uint32_t r;

	switch (op) {
	case ISA_OP_VAND: r = x & y; break;
	case ISA_OP_VOR: r = x | y; break;
	case ISA_OP_VXOR: r = x ^ y; break;
	case ISA_OP_VNOT: r = ~x; break;
	case ISA_OP_VSHL: r = x << (y & (bits - 1)); break;
	case ISA_OP_VSHR: r = (x & m) >> (y & (bits - 1)); break;
	case ISA_OP_VSRA: r = (uint32_t)(sx >> (y & (bits - 1))); break;
	case ISA_OP_VSEQ: r = (x & m) == (y & m); break;
	case ISA_OP_VSNE: r = (x & m) != (y & m); break;
	case ISA_OP_VSLT: r = sx < sy; break;
	case ISA_OP_VSLE: r = sx <= sy; break;
	case ISA_OP_VSGT: r = sx > sy; break;
	case ISA_OP_VSGE: r = sx >= sy; break;
	case ISA_OP_VABS: r = sx < 0 ? 0u - (uint32_t)sx : (uint32_t)sx; break;
	case ISA_OP_VNEG: r = 0u - x; break;
	default: r = 0xdead;
	}
	return r & m;
}

static const uint32_t ivals[16] = {
	0, 1, 2, 3, 31, 32, 33, 0x7fffffff, 0x80000000, 0xffffffff, 0x1234,
	0x8000, 0x7fff, 0xfffe, 17, 0xabcdef01,
};

/*
 * Integer logic, shifts and compares on i32 and i16, with a DSD, a
 * register and an immediate as the second source; abs and neg.
 */
TEST_F(v, integer_ops)
{
	static const uint8_t ops[] = {
		ISA_OP_VAND, ISA_OP_VOR, ISA_OP_VXOR, ISA_OP_VNOT, ISA_OP_VSHL,
		ISA_OP_VSHR, ISA_OP_VSRA, ISA_OP_VSEQ, ISA_OP_VSNE, ISA_OP_VSLT,
		ISA_OP_VSLE, ISA_OP_VSGT, ISA_OP_VSGE, ISA_OP_VABS, ISA_OP_VNEG,
	};
	const unsigned int nops = sizeof(ops) / sizeof(ops[0]), n = 16;
	uint32_t a[16], bv[16];
	uint16_t a16[16], b16[16];
	uint32_t out;

	for (unsigned int i = 0; i < n; i++) {
		a[i] = ivals[i];
		bv[i] = ivals[(i * 7 + 3) % 16];
		a16[i] = (uint16_t)a[i];
		b16[i] = (uint16_t)bv[i];
	}
	wb_data(self->b, self->g, IN, a, sizeof(a));
	wb_data(self->b, self->g, IN + 0x400, bv, sizeof(bv));
	wb_data(self->b, self->g, IN + 0x800, a16, sizeof(a16));
	wb_data(self->b, self->g, IN + 0xc00, b16, sizeof(b16));
	dsd(self->b, self->g, 1, ISA_T_I32, IN, n);
	dsd(self->b, self->g, 2, ISA_T_I32, IN + 0x400, n);
	dsd(self->b, self->g, 9, ISA_T_I16, IN + 0x800, n);
	dsd(self->b, self->g, 10, ISA_T_I16, IN + 0xc00, n);
	E(I_LI(5, 5));
	out = OUT;
	for (unsigned int k = 0; k < nops; k++) {
		for (int form = 0; form < 3; form++) {
			for (int w16 = 0; w16 < 2; w16++) {
				unsigned int t = w16 ? ISA_T_I16 : ISA_T_I32;
				uint8_t src = w16 ? 9 : 1, srcb = w16 ? 10 : 2;
				struct isa_insn in = wb_insn(ops[k], 0, src, srcb, 0,
							      t, 0, 0);

				dsd(self->b, self->g, 0, t, out, n);
				if (form == 1) {
					in.rb = 5;
					in.flags = ISA_F_SCALAR;
				} else if (form == 2) {
					in.rb = 0;
					in.flags = ISA_F_SCALAR | ISA_F_IMM;
					in.imm = 0xfffffff9;	/* -7 */
				}
				if (ops[k] == ISA_OP_VNOT || ops[k] == ISA_OP_VABS ||
				    ops[k] == ISA_OP_VNEG) {
					if (form)
						continue;
					in.rb = 0;
				}
				E(in);
				out += 0x40;
			}
		}
	}
	E(I_CSR(6, ISA_CSR_CYCLES));
	E(I_ST(6, 0, OUT - 4));
	E(I_HALT());
	RUN();
	out = OUT;
	for (unsigned int k = 0; k < nops; k++) {
		bool unary = ops[k] == ISA_OP_VNOT || ops[k] == ISA_OP_VABS ||
			     ops[k] == ISA_OP_VNEG;

		for (int form = 0; form < (unary ? 1 : 3); form++) {
			for (int w16 = 0; w16 < 2; w16++) {
				for (unsigned int i = 0; i < n; i++) {
					uint32_t x = w16 ? a16[i] : a[i];
					uint32_t y = form == 0 ? (w16 ? b16[i] : bv[i]) :
						     form == 1 ? 5 : 0xfffffff9;
					uint32_t want = ref_int(ops[k], w16, x, y), got;

					if (w16) {
						uint16_t h;

						memcpy(&h, SRAM() + out + 2 * i, 2);
						got = h;
					} else {
						memcpy(&got, SRAM() + out + 4 * i, 4);
					}
					ASSERT_EQ(want, got)
						TH_LOG("op 0x%x form %d %s element %u: %x, %x",
						       ops[k], form, w16 ? "i16" : "i32", i, x, y);
				}
				out += 0x40;
			}
		}
	}
}

/* Float compares give integer 0/1 (false with a NaN but for vsne). */
TEST_F(v, float_compares_and_select)
{
	const float fa[8] = { 1.0f, -2.0f, NAN, 0.0f, -0.0f, INFINITY, 3.5f, -1e-30f };
	const float fb[8] = { 1.0f, 2.0f, 1.0f, -0.0f, 0.0f, INFINITY, 3.25f, 0.0f };
	uint16_t ha[8], hb[8];
	uint32_t cond[8] = { 1, 0, 5, 0, 0xffffffff, 0, 1, 0 };
	static const uint8_t cmp[] = { ISA_OP_VSEQ, ISA_OP_VSNE, ISA_OP_VSLT,
				       ISA_OP_VSLE, ISA_OP_VSGT, ISA_OP_VSGE };

	for (int i = 0; i < 8; i++) {
		ha[i] = wafer_f2h(fa[i]);
		hb[i] = wafer_f2h(fb[i]);
	}
	wb_data(self->b, self->g, IN, fa, sizeof(fa));
	wb_data(self->b, self->g, IN + 0x400, fb, sizeof(fb));
	wb_data(self->b, self->g, IN + 0x800, ha, sizeof(ha));
	wb_data(self->b, self->g, IN + 0xc00, hb, sizeof(hb));
	wb_data(self->b, self->g, IN + 0x1000, cond, sizeof(cond));
	dsd(self->b, self->g, 1, ISA_T_F32, IN, 8);
	dsd(self->b, self->g, 2, ISA_T_F32, IN + 0x400, 8);
	dsd(self->b, self->g, 3, ISA_T_F16, IN + 0x800, 8);
	dsd(self->b, self->g, 4, ISA_T_F16, IN + 0xc00, 8);
	for (unsigned int k = 0; k < 6; k++) {
		dsd(self->b, self->g, 0, ISA_T_I32, OUT + 0x40 * k, 8);
		E(wb_insn(cmp[k], 0, 1, 2, 0, ISA_T_F32, 0, 0));
		dsd(self->b, self->g, 0, ISA_T_I16, OUT + 0x400 + 0x40 * k, 8);
		E(wb_insn(cmp[k], 0, 3, 4, 0, ISA_T_F16, 0, 0));
	}
	/* vsel.f32: cond ? a : b, the condition an i32 DSD */
	dsd(self->b, self->g, 5, ISA_T_I32, IN + 0x1000, 8);
	dsd(self->b, self->g, 0, ISA_T_F32, OUT + 0x800, 8);
	E(I_V(SEL, F32, 0, 1, 2, 5));
	/* vsgt.f32 with an immediate: a > 0.5 */
	dsd(self->b, self->g, 0, ISA_T_I32, OUT + 0x900, 8);
	E(I_VSI(SGT, F32, 0, 1, f2u(0.5f)));
	E(I_HALT());
	RUN();
	for (unsigned int k = 0; k < 6; k++) {
		for (int i = 0; i < 8; i++) {
			float x = fa[i], y = fb[i];
			float hx = wafer_h2f(ha[i]), hy = wafer_h2f(hb[i]);
			uint32_t want[2], got;
			uint16_t h;

			switch (cmp[k]) {
			case ISA_OP_VSEQ: want[0] = x == y; want[1] = hx == hy; break;
			case ISA_OP_VSNE: want[0] = x != y; want[1] = hx != hy; break;
			case ISA_OP_VSLT: want[0] = x < y; want[1] = hx < hy; break;
			case ISA_OP_VSLE: want[0] = x <= y; want[1] = hx <= hy; break;
			case ISA_OP_VSGT: want[0] = x > y; want[1] = hx > hy; break;
			default: want[0] = x >= y; want[1] = hx >= hy; break;
			}
			got = wt_word(self->w, &self->rg, 0, 0, OUT + 0x40 * k + 4 * i);
			ASSERT_EQ(want[0], got) TH_LOG("cmp %u element %d", k, i);
			memcpy(&h, SRAM() + OUT + 0x400 + 0x40 * k + 2 * i, 2);
			ASSERT_EQ(want[1], h) TH_LOG("f16 cmp %u element %d", k, i);
		}
	}
	for (int i = 0; i < 8; i++) {
		uint32_t got = wt_word(self->w, &self->rg, 0, 0, OUT + 0x800 + 4 * i);

		ASSERT_EQ(f2u(cond[i] ? fa[i] : fb[i]), got) TH_LOG("sel %d", i);
		ASSERT_EQ(fa[i] > 0.5f, wt_word(self->w, &self->rg, 0, 0, OUT + 0x900 + 4 * i));
	}
	/* 3 per DSD set up, 2 + 8 per vector op, 1 to halt */
	EXPECT_EQ(4 * 3 + 6 * (3 + 10 + 3 + 10) + 3 + 3 + 10 + 3 + 10 + 1,
		  self->st.cycles);
}

/* abs and neg are sign-bit operations on floats, exact. */
TEST_F(v, float_abs_neg)
{
	const float fa[6] = { 1.5f, -2.0f, 0.0f, -0.0f, -INFINITY, NAN };

	wb_data(self->b, self->g, IN, fa, sizeof(fa));
	dsd(self->b, self->g, 1, ISA_T_F32, IN, 6);
	dsd(self->b, self->g, 0, ISA_T_F32, OUT, 6);
	E(I_V(ABS, F32, 0, 1, 0, 0));
	dsd(self->b, self->g, 0, ISA_T_F32, OUT + 0x40, 6);
	E(I_V(NEG, F32, 0, 1, 0, 0));
	E(I_HALT());
	RUN();
	for (int i = 0; i < 6; i++) {
		ASSERT_EQ(f2u(fa[i]) & 0x7fffffff, wt_word(self->w, &self->rg, 0, 0, OUT + 4 * i));
		ASSERT_EQ(f2u(fa[i]) ^ 0x80000000, wt_word(self->w, &self->rg, 0, 0, OUT + 0x40 + 4 * i));
	}
}

/* Every conversion pair on values at the edges of each type. */
TEST_F(v, conversions)
{
	static const unsigned int types[4] = { ISA_T_I32, ISA_T_F32, ISA_T_I16, ISA_T_F16 };
	const float fv[8] = { 1.5f, -2.5f, 70000.0f, -1e10f, NAN, 65519.0f, 0.1f, 2147483648.0f };
	const uint32_t iv[8] = { 1, 0xffffffff, 70000, 0x80000000, 0x7fffffff, 16777217, 32768, 0xffff8000 };
	uint16_t hv[8], sv[8];
	uint32_t fbits[8];

	for (int i = 0; i < 8; i++) {
		fbits[i] = f2u(fv[i]);
		hv[i] = wafer_f2h(fv[i] / 4);
		sv[i] = (uint16_t)iv[i];
	}
	wb_data(self->b, self->g, IN, iv, sizeof(iv));
	wb_data(self->b, self->g, IN + 0x400, fbits, sizeof(fbits));
	wb_data(self->b, self->g, IN + 0x800, sv, sizeof(sv));
	wb_data(self->b, self->g, IN + 0xc00, hv, sizeof(hv));
	for (int from = 0; from < 4; from++) {
		dsd(self->b, self->g, 1, types[from], IN + 0x400 * from, 8);
		for (int to = 0; to < 4; to++) {
			dsd(self->b, self->g, 0, types[to], OUT + 0x100 * (from * 4 + to), 8);
			E(wb_insn(ISA_OP_VCVT, 0, 1, 0, types[from], types[to], 0, 0));
		}
	}
	E(I_HALT());
	RUN();
	for (int from = 0; from < 4; from++) {
		for (int to = 0; to < 4; to++) {
			for (int i = 0; i < 8; i++) {
				const uint8_t *p = SRAM() + OUT + 0x100 * (from * 4 + to);
				double val;
				bool isf = from == 1 || from == 3, nan;
				uint32_t got32 = 0, want32;
				uint16_t got16 = 0, want16;

				val = from == 0 ? (double)(int32_t)iv[i] :
				      from == 1 ? (double)fv[i] :
				      from == 2 ? (double)(int16_t)sv[i] :
				      (double)wafer_h2f(hv[i]);
				nan = isf && val != val;
				if (to == 0 || to == 1)
					memcpy(&got32, p + 4 * i, 4);
				else
					memcpy(&got16, p + 2 * i, 2);
				switch (to) {
				case 0:	/* i32: truncate, saturate; ints sign-extend */
					want32 = nan ? 0 : !isf ? (uint32_t)(int32_t)val :
						 val >= 2147483648.0 ? 0x7fffffff :
						 val <= -2147483648.0 ? 0x80000000 :
						 (uint32_t)(int32_t)trunc(val);
					ASSERT_EQ(want32, got32) TH_LOG("%d->i32 #%d", from, i);
					break;
				case 1:
					want32 = f2u(from == 1 ? fv[i] : (float)val);
					ASSERT_EQ(want32, got32) TH_LOG("%d->f32 #%d", from, i);
					break;
				case 2:	/* i16: ints wrap, floats saturate */
					want16 = nan ? 0 : !isf ? (uint16_t)(int64_t)val :
						 val >= 32767.0 ? 0x7fff :
						 val <= -32768.0 ? 0x8000 :
						 (uint16_t)(int16_t)trunc(val);
					ASSERT_EQ(want16, got16) TH_LOG("%d->i16 #%d", from, i);
					break;
				default:
					want16 = from == 3 ? hv[i] : wafer_f2h((float)val);
					if (from == 1)
						want16 = wafer_f2h(fv[i]);
					ASSERT_EQ(want16, got16) TH_LOG("%d->f16 #%d", from, i);
				}
			}
		}
	}
	/* i32 16777217 rounds to even in f32 */
	EXPECT_EQ(f2u(16777216.0f), wt_word(self->w, &self->rg, 0, 0, OUT + 0x100 * 1 + 4 * 5));
}

/* Immediate scalars: vadds/vmuls/vfmacs/vfill of each type, vsub by one. */
TEST_F(v, immediate_scalars)
{
	const float fa[4] = { 1.0f, 2.0f, -3.0f, 0.5f };
	const uint16_t ha[4] = { 0x3c00, 0x4000, 0xc200, 0x3800 };	/* same in f16 */
	const uint32_t ia[4] = { 1, 2, 0xfffffffd, 100 };

	wb_data(self->b, self->g, IN, fa, sizeof(fa));
	wb_data(self->b, self->g, IN + 0x400, ha, sizeof(ha));
	wb_data(self->b, self->g, IN + 0x800, ia, sizeof(ia));
	dsd(self->b, self->g, 1, ISA_T_F32, IN, 4);
	dsd(self->b, self->g, 2, ISA_T_F16, IN + 0x400, 4);
	dsd(self->b, self->g, 3, ISA_T_I32, IN + 0x800, 4);
	dsd(self->b, self->g, 0, ISA_T_F32, OUT, 4);
	E(wb_insn(ISA_OP_VADDS, 0, 1, 0, 0, ISA_T_F32, ISA_F_IMM, f2u(0.25f)));
	dsd(self->b, self->g, 4, ISA_T_F16, OUT + 0x40, 4);
	E(wb_insn(ISA_OP_VMULS, 4, 2, 0, 0, ISA_T_F16, ISA_F_IMM, 0x4200));	/* 3.0 */
	dsd(self->b, self->g, 5, ISA_T_I32, OUT + 0x80, 4);
	E(wb_insn(ISA_OP_VFMACS, 5, 3, 3, 0, ISA_T_I32, ISA_F_IMM, 10));	/* a + a * 10 */
	dsd(self->b, self->g, 6, ISA_T_I32, OUT + 0xc0, 4);
	E(wb_insn(ISA_OP_VFILL, 6, 0, 0, 0, ISA_T_I32, ISA_F_IMM, 0xcafe));
	dsd(self->b, self->g, 15, ISA_T_I32, OUT + 0x100, 4);
	E(I_VSI(SUB, I32, 15, 3, 1));
	E(I_HALT());
	RUN();
	for (int i = 0; i < 4; i++) {
		uint16_t h;

		EXPECT_EQ(f2u(fa[i] + 0.25f), wt_word(self->w, &self->rg, 0, 0, OUT + 4 * i));
		memcpy(&h, SRAM() + OUT + 0x40 + 2 * i, 2);
		EXPECT_EQ(wafer_f2h(wafer_h2f(ha[i]) * 3.0f), h);
		EXPECT_EQ(ia[i] * 11, wt_word(self->w, &self->rg, 0, 0, OUT + 0x80 + 4 * i));
		EXPECT_EQ(0xcafe, wt_word(self->w, &self->rg, 0, 0, OUT + 0xc0 + 4 * i));
		EXPECT_EQ(ia[i] - 1, wt_word(self->w, &self->rg, 0, 0, OUT + 0x100 + 4 * i));
	}
	(void)u2f;
}

/*
 * Multi-dimensional DSDs: the transpose of a 4 x 6 tile (source walks a
 * column then the next one), a 3-D walk with a negative stride, and a
 * 4-D fill; element order is dimension 0 fastest.
 */
TEST_F(v, mem4d_walks)
{
	uint32_t a[24], cube[2 * 3 * 4];

	for (int i = 0; i < 24; i++)
		a[i] = 100 + i;		/* row-major 4 rows x 6 columns */
	for (int i = 0; i < 24; i++)
		cube[i] = 1000 + i;	/* [z][y][x] 2 x 3 x 4 */
	wb_data(self->b, self->g, IN, a, sizeof(a));
	wb_data(self->b, self->g, IN + 0x400, cube, sizeof(cube));
	/* d1: column-major walk of a: 4 down a column (stride 6), 6 columns */
	E(I_LI(1, IN));
	E(I_LI(2, 4));
	E(I_DMEM(I32, 1, 1, 2, 6));
	E(I_LI(2, 6));
	E(I_DDIM(1, 1, 2, 1));
	E(I_LI(1, OUT));
	E(I_LI(2, 24));
	E(I_DMEM(I32, 0, 1, 2, 1));
	E(I_V(MOV, I32, 0, 1, 0, 0));			/* 24 elements */
	/* d2: cube x backwards (from x = 3), y, z */
	E(I_LI(1, IN + 0x400 + 12));
	E(I_LI(2, 4));
	E(I_DMEM(I32, 2, 1, 2, -1));
	E(I_LI(2, 3));
	E(I_DDIM(2, 1, 2, 4));
	E(I_LI(2, 2));
	E(I_DDIM(2, 2, 2, 12));
	E(I_LI(1, OUT + 0x100));
	E(I_LI(2, 24));
	E(I_DMEM(I32, 3, 1, 2, 1));
	E(I_V(ADDS, I32, 3, 2, 2, 0));			/* + r2, 24 */
	/* d12: 4-D fill of 2 x 2 x 2 x 2 elements spread with strides 1, 4, 16, 64 */
	E(I_LI(1, OUT + 0x200));
	E(I_LI(2, 2));
	E(I_DMEM(I32, 12, 1, 2, 1));
	E(I_DDIM(12, 1, 2, 4));
	E(I_DDIM(12, 2, 2, 16));
	E(I_DDIM(12, 3, 2, 64));
	E(I_LI(3, 7));
	E(I_V(FILL, I32, 12, 3, 0, 0));			/* 16 elements */
	E(I_CSR(4, ISA_CSR_CYCLES));
	E(I_ST(4, 0, OUT - 4));
	E(I_HALT());
	RUN();
	for (int c = 0; c < 6; c++)
		for (int r = 0; r < 4; r++)
			ASSERT_EQ(100 + r * 6 + c, wt_word(self->w, &self->rg, 0, 0,
							   OUT + 4 * (c * 4 + r)));
	for (int z = 0; z < 2; z++)
		for (int y = 0; y < 3; y++)
			for (int x = 0; x < 4; x++)
				ASSERT_EQ(1000 + z * 12 + y * 4 + (3 - x) + 24,
					  wt_word(self->w, &self->rg, 0, 0,
						  OUT + 0x100 + 4 * (z * 12 + y * 4 + x)));
	for (int i = 0; i < 256; i++) {
		/* offsets i0 + 4 i1 + 16 i2 + 64 i3: bits 0, 2, 4, 6 only */
		uint32_t want = ((i & ~0x55) == 0) ? 7 : 0;

		ASSERT_EQ(want, wt_word(self->w, &self->rg, 0, 0, OUT + 0x200 + 4 * i))
			TH_LOG("element %d", i);
	}
	/* 9 + (2 + 24) - 1 + 10 + (2 + 24) - 1 + 7 + (2 + 16) - 1 */
	EXPECT_EQ(8 + 26 + 10 + 26 + 7 + 18, wt_word(self->w, &self->rg, 0, 0, OUT - 4));
}

/* A walk leaving SRAM in any dimension faults before the first element. */
TEST_F(v, mem4d_range_fault)
{
	E(I_LI(1, 0xb000));
	E(I_LI(2, 4));
	E(I_DMEM(I32, 7, 1, 2, 1));
	E(I_LI(2, 3));
	E(I_DDIM(7, 2, 2, 0x800));	/* dim 2: 3 x 8 KiB */
	E(I_V(FILL, I32, 7, 0, 0, 0));
	EXPECT_EQ(-EIO, wt_run(self->w, self->b, &self->rg, NULL, 0, &self->st, &self->f));
	EXPECT_STREQ("PE (0,0) pc 0x28: SRAM write of 4 bytes at 0xf00c out of range (vfill.i32 d7, 3 dimensions)",
		     self->f.msg);
	EXPECT_EQ(WAFER_ERR_SRAM_RANGE, self->f.status);
}

/* A compare's destination is the integer type of its width. */
TEST_F(v, compare_destination_type)
{
	dsd(self->b, self->g, 1, ISA_T_F32, IN, 4);
	dsd(self->b, self->g, 0, ISA_T_F32, OUT, 4);
	E(I_V(SLT, F32, 0, 1, 1, 0));
	EXPECT_EQ(-EIO, wt_run(self->w, self->b, &self->rg, NULL, 0, &self->st, &self->f));
	EXPECT_STREQ("PE (0,0) pc 0x30: illegal operand: vslt.f32 with d0, a DSD of type f32",
		     self->f.msg);
}

/*
 * A 1-D source walks n elements whatever its own length: one element
 * long at the top of SRAM, it faults at the first element past the end,
 * as a long one would; inside SRAM it reads n elements.
 */
TEST_F(v, source_length_ignored)
{
	uint32_t a[4] = { 5, 6, 7, 8 };

	wb_data(self->b, self->g, IN, a, sizeof(a));
	dsd(self->b, self->g, 0, ISA_T_I32, OUT, 4);
	dsd(self->b, self->g, 1, ISA_T_I32, IN, 1);
	E(I_V(MOV, I32, 0, 1, 0, 0));
	dsd(self->b, self->g, 2, ISA_T_I32, WAFER_DEFAULT_SRAM - 8, 1);
	E(I_V(MOV, I32, 0, 2, 0, 0));
	EXPECT_EQ(-EIO, wt_run(self->w, self->b, &self->rg, NULL, 0, &self->st, &self->f));
	EXPECT_STREQ("PE (0,0) pc 0x50: SRAM read of 4 bytes at 0xc000 out of range (vmov.i32 d2 element 2 of 4)",
		     self->f.msg);
	for (int i = 0; i < 4; i++) {
		EXPECT_EQ(a[i], wt_word(self->w, &self->rg, 0, 0, OUT + 4 * i));
	}
}

/*
 * A multi-dimensional source walks its own dimensions, the outermost one
 * as far as n needs (its length ignored); an empty dimension inside it
 * leaves no walk, which is illegal.
 */
TEST_F(v, outer_dimension_extends)
{
	uint32_t a[32];

	for (int i = 0; i < 32; i++)
		a[i] = 100 + i;
	wb_data(self->b, self->g, IN, a, sizeof(a));
	dsd(self->b, self->g, 0, ISA_T_I32, OUT, 7);
	/* d1: rows of 2 elements, 10 apart; dimension 1 says 1 row */
	E(I_LI(1, IN));
	E(I_LI(2, 2));
	E(I_DMEM(I32, 1, 1, 2, 1));
	E(I_LI(2, 1));
	E(I_DDIM(1, 1, 2, 10));
	E(I_V(MOV, I32, 0, 1, 0, 0));
	/* d3: 3-D, dimension 1 empty */
	E(I_LI(2, 2));
	E(I_DMEM(I32, 3, 1, 2, 1));
	E(I_DDIM(3, 1, 0, 2));
	E(I_DDIM(3, 2, 2, 8));
	E(I_V(MOV, I32, 0, 3, 0, 0));
	EXPECT_EQ(-EIO, wt_run(self->w, self->b, &self->rg, NULL, 0, &self->st, &self->f));
	EXPECT_STREQ("PE (0,0) pc 0x68: illegal operand: vmov.i32 with d3, a DSD with an empty dimension inside",
		     self->f.msg);
	EXPECT_EQ(WAFER_ERR_ILLEGAL_INSN, self->f.status);
	for (int i = 0; i < 7; i++) {
		EXPECT_EQ(100 + (i / 2) * 10 + i % 2,
			  wt_word(self->w, &self->rg, 0, 0, OUT + 4 * i)) TH_LOG("element %d", i);
	}
}

/* Operations on 1-D operands, their cycles stored at OUT - 4. */
static void mixed_ops(struct wb *b, uint32_t g)
{
	wb_emit(b, g, I_CSR(4, ISA_CSR_CYCLES));
	wb_emit(b, g, I_ST(4, 0, OUT - 12));
	dsd(b, g, 1, ISA_T_F32, IN, 64);
	dsd(b, g, 2, ISA_T_F32, IN + 0x400, 64);
	dsd(b, g, 0, ISA_T_F32, OUT, 64);
	wb_emit(b, g, I_V(FMA, F32, 0, 1, 2, 0));
	wb_emit(b, g, I_LI(3, f2u(0.5f)));
	wb_emit(b, g, I_V(FMACS, F32, 0, 0, 1, 3));
	wb_emit(b, g, I_LI(13, IN + 0x400 + 63 * 4));
	wb_emit(b, g, I_LI(14, 64));
	wb_emit(b, g, I_DMEM(F32, 4, 13, 14, -1));
	wb_emit(b, g, I_V(ADD, F32, 0, 0, 4, 0));
	wb_emit(b, g, wb_insn(ISA_OP_VMULS, 0, 0, 0, 0, ISA_T_F32, ISA_F_IMM, f2u(1.25f)));
	wb_emit(b, g, I_V(RSUM, F32, 5, 0, 0, 0));
	wb_emit(b, g, I_ST(5, 0, OUT - 8));
	dsd(b, g, 6, ISA_T_I32, OUT + 0x200, 64);
	wb_emit(b, g, I_V(SLT, F32, 6, 1, 2, 0));
	dsd(b, g, 7, ISA_T_F32, OUT + 0x400, 64);
	wb_emit(b, g, I_V(SEL, F32, 7, 1, 2, 6));
	dsd(b, g, 8, ISA_T_I16, OUT + 0x600, 64);
	wb_emit(b, g, I_V(FILL, I16, 8, 3, 0, 0));
	wb_emit(b, g, wb_insn(ISA_OP_VADDS, 8, 8, 0, 0, ISA_T_I16, ISA_F_IMM, 7));
	wb_emit(b, g, I_CSR(4, ISA_CSR_CYCLES));
	wb_emit(b, g, I_ST(4, 0, OUT - 4));
	wb_emit(b, g, I_HALT());
}

/*
 * The same operations alone and with an async op in flight on another
 * microthread (then they take the general path): the same bytes, and the
 * same cycles from first to last.
 */
TEST_F(v, fast_and_general_paths_agree)
{
	uint32_t a[256], out[2][0x700 / 4 + 3];
	struct wb *b2 = wb_new(1, 1);
	uint32_t g2 = wb_group(b2);

	for (int i = 0; i < 256; i++)
		a[i] = f2u((float)((i * 37) % 23) - 11.5f);
	wb_data(self->b, self->g, IN, a, sizeof(a));
	mixed_ops(self->b, self->g);
	RUN();
	memcpy(out[0], SRAM() + OUT - 12, sizeof(out[0]));

	wb_rect(b2, 0, 0, 1, 1, g2);
	wb_entry(b2, wb_func(b2, "main"), g2, 0);
	wb_data(b2, g2, IN, a, sizeof(a));
	dsd(b2, g2, 9, ISA_T_F32, 0x9000, 3000);
	wb_emit(b2, g2, I_ASYNC(1, NONE, 0));
	wb_emit(b2, g2, I_V(FILL, F32, 9, 0, 0, 0));
	mixed_ops(b2, g2);
	memset(SRAM(), 0, WAFER_DEFAULT_SRAM);
	ASSERT_EQ(0, wt_run(self->w, b2, &self->rg, NULL, 0, &self->st, &self->f))
		TH_LOG("%s", self->f.msg);
	memcpy(out[1], SRAM() + OUT - 12, sizeof(out[1]));
	/* the async fill is still running when the last op ends */
	EXPECT_LT(out[1][2], 3000);
	EXPECT_LE(3000, self->st.cycles);
	EXPECT_EQ(out[0][2] - out[0][0], out[1][2] - out[1][0]);
	EXPECT_EQ(out[0][1], out[1][1]);	/* the sum */
	EXPECT_EQ(0, memcmp(&out[0][3], &out[1][3], sizeof(out[0]) - 12));
	wb_free(b2);
}

TEST_HARNESS_MAIN
