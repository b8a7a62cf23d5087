// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wafer-vunit.c - the short paths of vector instructions (the contiguous
 * path, wafer_vunit_prep() inline in exec-run.h's op_vector, and vec_fast())
 * against the general one. Every element-wise op of every type runs on
 * 1-D contiguous DSDs, which the short paths take, and again on the same
 * operands as 2-D DSDs of one row, which only the general path takes:
 * the same bytes, the same cycles, the same reduction result. Then the
 * edges the short paths must leave to the general path or get right on
 * their own: strided operands, overlapping operands (against a C loop, element by element
 * in order), misaligned and out-of-range operands (the general path's
 * fault, nothing written), an operand of the wrong type, and an operand
 * ending exactly at the top of SRAM.
 */
#include "kselftest_harness.h"
#include "wafer-test.h"

#define SRAM_END	WAFER_DEFAULT_SRAM
#define A_AT		0x4000		/* sources A, B, C 0x400 apart */
#define OUT		0x8000
#define N		37		/* not a multiple of any vector width */

FIXTURE(vu) {
	struct wafer *w;
	struct wafer_rect rg;
	struct wafer_fault f;
	struct wafer_run_stats st;
};

FIXTURE_SETUP(vu)
{
	self->w = wt_wafer(1, 1, 1, 0);
	ASSERT_NE(NULL, self->w);
	self->rg = (struct wafer_rect){ 0, 0, 1, 1 };
}

FIXTURE_TEARDOWN(vu)
{
	wafer_destroy(self->w);
}

#define SRAM()	wb_pe_sram(self->w, &self->rg, 0, 0)

/* Where an op's operands are, and how they are described. */
struct shape {
	uint32_t d, a, b, c;		/* base addresses */
	uint32_t n;
	bool rows;			/* 2-D DSDs of one row: the general path */
};

static unsigned int nsrc_of(unsigned int op)
{
	switch (op) {
	case ISA_OP_VFILL:
		return 0;
	case ISA_OP_VMOV: case ISA_OP_VADDS: case ISA_OP_VMULS:
	case ISA_OP_VRSUM: case ISA_OP_VRMAX: case ISA_OP_VRMIN:
	case ISA_OP_VNOT: case ISA_OP_VABS: case ISA_OP_VNEG:
		return 1;
	case ISA_OP_VFMA: case ISA_OP_VSEL:
		return 3;
	}
	return 2;
}

static unsigned int int_of(unsigned int t)
{
	return t == ISA_T_F32 ? ISA_T_I32 : t == ISA_T_F16 ? ISA_T_I16 : t;
}

/* dK: n elements of type t at addr, stride 1; as one row if rows. */
static void dsd(struct wb *b, uint32_t g, unsigned int k, unsigned int t,
		uint32_t addr, uint32_t n, bool rows)
{
	wb_emit(b, g, I_LI(13, addr));
	wb_emit(b, g, I_LI(14, n));
	wb_emit(b, g, wb_insn(ISA_OP_DMEM, k, 13, 14, 0, t, 0, 1));
	if (rows) {
		wb_emit(b, g, I_LI(14, 1));
		wb_emit(b, g, wb_insn(ISA_OP_DDIM, k, 0, 14, 1, 0, 0, n));
	}
}

/*
 * A program running op (type t, flags fl, scalar s) once on shape sh:
 * its cycles at OUT - 4, a reduction's result at OUT - 8. d0 is the
 * destination, d1..d3 the sources; the scalar is r6 (or imm32).
 */
static struct wb *prog(unsigned int op, unsigned int t, unsigned int fl,
		       uint32_t s, const struct shape *sh)
{
	struct wb *b = wb_new(1, 1);
	uint32_t g = wb_group(b), imm = (fl & ISA_F_IMM) ? s : 0;
	unsigned int nsrc = nsrc_of(op), dt = t;
	const uint32_t at[3] = { sh->a, sh->b, sh->c };
	struct isa_insn in;

	wb_rect(b, 0, 0, 1, 1, g);
	wb_entry(b, wb_func(b, "main"), g, 0);
	if (isa_op_is_compare(op))
		dt = int_of(t);
	if (!isa_op_is_reduction(op))
		dsd(b, g, 0, dt, sh->d, sh->n, sh->rows);
	if ((fl & ISA_F_SCALAR) && nsrc == 2)
		nsrc = 1;
	for (unsigned int i = 0; i < nsrc; i++)
		dsd(b, g, 1 + i,
		    op == ISA_OP_VSEL && i == 2 ? int_of(t) : t, at[i], sh->n,
		    sh->rows);
	/*
	 * d6, which the scalar's register number names too: a short path
	 * that took a scalar b for DSD rb would read it, not s.
	 */
	if (fl & ISA_F_SCALAR)
		dsd(b, g, 6, t, at[1], sh->n, sh->rows);
	wb_emit(b, g, I_LI(6, s));
	wb_emit(b, g, I_LI(7, 0));
	switch (op) {
	case ISA_OP_VFMACS:
		in = wb_insn(op, 0, 1, 2, 6, t, fl, imm);
		break;
	case ISA_OP_VADDS:
	case ISA_OP_VMULS:
		in = wb_insn(op, 0, 1, 6, 0, t, fl, imm);
		break;
	case ISA_OP_VFILL:
		in = wb_insn(op, 0, 6, 0, 0, t, fl, imm);
		break;
	case ISA_OP_VRSUM:
	case ISA_OP_VRMAX:
	case ISA_OP_VRMIN:
		in = wb_insn(op, 7, 1, 0, 0, t, fl, 0);
		break;
	default:
		in = wb_insn(op, 0, 1, (fl & ISA_F_SCALAR) ? 6 : 2, 3, t, fl,
			     imm);
	}
	wb_emit(b, g, I_CSR(4, ISA_CSR_CYCLES));
	wb_emit(b, g, in);
	wb_emit(b, g, I_CSR(5, ISA_CSR_CYCLES));
	wb_emit(b, g, I_ALU(SUB, 5, 5, 4));
	wb_emit(b, g, I_ST(5, 0, OUT - 4));
	wb_emit(b, g, I_ST(7, 0, OUT - 8));
	wb_emit(b, g, I_HALT());
	return b;
}

/* Source bits of type t: ordinary values, and for floats a few special ones. */
static void fill_sources(uint8_t *sram, unsigned int t, uint32_t seed)
{
	static const uint32_t f32_special[] = {
		0x7fc00000, 0x80000000, 0x7f800000, 0xff800000, 0x00000001,
	};
	static const uint16_t f16_special[] = { 0x7e00, 0x8000, 0x7c00, 0xfc00, 1 };

	for (uint32_t i = 0; i < 3 * 0x400 / 4; i++) {
		uint32_t u;
		float f;

		seed = seed * 1664525u + 1013904223u;
		f = (float)((int32_t)(seed >> 8) % 2000) / 64.0f;
		switch (t) {
		case ISA_T_F32:
			memcpy(&u, &f, 4);
			if (i % 23 == 7)
				u = f32_special[(i / 23) % 5];
			memcpy(sram + A_AT + 4 * i, &u, 4);
			break;
		case ISA_T_I32:
			u = i % 5 == 0 ? seed >> (i % 32) : seed % 64;
			memcpy(sram + A_AT + 4 * i, &u, 4);
			break;
		case ISA_T_F16: {
			/* halves: small integers and the special values */
			uint16_t h = (uint16_t)(0x3c00 + (seed >> 20) % 0x800);

			if (i % 23 == 7)
				h = f16_special[(i / 23) % 5];
			memcpy(sram + A_AT + 4 * i, &h, 2);
			memcpy(sram + A_AT + 4 * i + 2, &h, 2);
			break;
		}
		default:
			u = (seed >> 4) & 0xffff00ffu;
			memcpy(sram + A_AT + 4 * i, &u, 4);
		}
	}
}

/*
 * Run b on an SRAM holding the seeded sources; *out gets the data region
 * (from A_AT to the end). 0 or wafer_launch()'s error.
 */
static int run_into(struct wafer *w, const struct wafer_rect *rg, struct wb *b,
		    unsigned int t, uint8_t *out, struct wafer_run_stats *st,
		    struct wafer_fault *f)
{
	struct wafer_program *p;
	uint8_t *sram = wb_pe_sram(w, rg, 0, 0);
	int ret;

	ret = wafer_load(w, rg, wb_image(b), &p, f);
	if (ret)
		return ret;
	memset(sram + A_AT, 0, SRAM_END - A_AT);
	fill_sources(sram, t, 12345);
	ret = wafer_launch(p, 0, NULL, 0, st, f);
	wafer_program_free(p);
	memcpy(out, sram + A_AT, SRAM_END - A_AT);
	return ret;
}

static bool legal(unsigned int op, unsigned int t)
{
	bool is_float = t == ISA_T_F32 || t == ISA_T_F16;

	return op != ISA_OP_VCVT && !(is_float && isa_op_int_only(op));
}

/*
 * Every op of every type, on 1-D operands (the short paths) and as rows
 * (the general path), with the scalar from a register and from imm32,
 * and the binary ops with a scalar b: the same bytes and cycles.
 */
TEST_F(vu, short_and_general_paths_agree)
{
	static const unsigned int flags[] = { 0, ISA_F_IMM, ISA_F_SCALAR,
					      ISA_F_SCALAR | ISA_F_IMM };
	uint8_t *got = malloc(SRAM_END - A_AT), *want = malloc(SRAM_END - A_AT);
	unsigned int cases = 0;

	ASSERT_NE(NULL, got);
	ASSERT_NE(NULL, want);
	for (unsigned int t = ISA_T_I32; t <= ISA_T_F16; t++) {
		for (unsigned int op = ISA_OP_VFIRST; op <= ISA_OP_VLAST; op++) {
			for (unsigned int k = 0; k < 4; k++) {
				const unsigned int fl = flags[k];
				uint32_t s = t == ISA_T_F32 ? wt_fbits(1.5f) :
					     t == ISA_T_F16 ? 0x3e00 : 3;
				struct shape sh = { OUT, A_AT, A_AT + 0x400,
						    A_AT + 0x800, N, false };
				bool scalar_op = op == ISA_OP_VFMACS ||
						 op == ISA_OP_VADDS ||
						 op == ISA_OP_VMULS ||
						 op == ISA_OP_VFILL;
				struct wb *b1, *b2;

				if (!legal(op, t))
					continue;
				if ((fl & ISA_F_SCALAR) && !isa_op_takes_scalar(op))
					continue;
				if (fl == ISA_F_IMM && !scalar_op)
					continue;
				b1 = prog(op, t, fl, s, &sh);
				sh.rows = true;
				b2 = prog(op, t, fl, s, &sh);
				ASSERT_EQ(0, run_into(self->w, &self->rg, b1, t, got,
						      &self->st, &self->f))
					TH_LOG("%s", self->f.msg);
				ASSERT_EQ(0, run_into(self->w, &self->rg, b2, t, want,
						      &self->st, &self->f))
					TH_LOG("%s", self->f.msg);
				/* csr's 1, then 2 + 1 per element; the bytes */
				EXPECT_EQ(1 + 2 + N, *(uint32_t *)(got + OUT - 4 - A_AT))
					TH_LOG("op 0x%x type %u flags %u", op, t, fl);
				EXPECT_EQ(0, memcmp(got, want, SRAM_END - A_AT))
					TH_LOG("op 0x%x type %u flags %u", op, t, fl);
				wb_free(b1);
				wb_free(b2);
				cases++;
			}
		}
	}
	EXPECT_LE(100, cases);
	free(got);
	free(want);
}

/* The sequential definition over one buffer: d[i] = a[i] + b[i] * s. */
static void ref_fmacs(uint8_t *m, uint32_t d, uint32_t a, uint32_t b, float s,
		      uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		float x, y, r;

		memcpy(&x, m + a + 4 * i, 4);
		memcpy(&y, m + b + 4 * i, 4);
		r = x + y * s;
		memcpy(m + d + 4 * i, &r, 4);
	}
}

static void ref_iadd(uint8_t *m, uint32_t d, uint32_t a, uint32_t b, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		uint32_t x, y, r;

		memcpy(&x, m + a + 4 * i, 4);
		memcpy(&y, m + b + 4 * i, 4);
		r = x + y;
		memcpy(m + d + 4 * i, &r, 4);
	}
}

/*
 * Overlapping operands: the destination one element past a source (each
 * element reads what the one before wrote), one element before it, the
 * same (in place) and a source overlapping another: element by element
 * in order, as a C loop does it, on both paths.
 */
TEST_F(vu, overlap_is_sequential)
{
	static const int32_t shift[][2] = {	/* d - a, d - b in elements */
		{ 1, -0x100 }, { -1, -0x100 }, { 0, -0x100 }, { 0x100, 1 },
		{ 0x100, -1 }, { 0, 0 }, { 3, 2 },
	};
	uint8_t *got = malloc(SRAM_END - A_AT), *ref = malloc(SRAM_END);

	ASSERT_NE(NULL, got);
	ASSERT_NE(NULL, ref);
	for (unsigned int t = ISA_T_I32; t <= ISA_T_F32; t++) {
		for (unsigned int i = 0; i < sizeof(shift) / sizeof(shift[0]); i++) {
			for (int rows = 0; rows < 2; rows++) {
				uint32_t d = A_AT + 0x400;
				struct shape sh = { d, d - 4 * shift[i][0],
						    d - 4 * shift[i][1], 0, N,
						    rows };
				unsigned int op = t == ISA_T_F32 ? ISA_OP_VFMACS :
						  ISA_OP_VADD;
				struct wb *b = prog(op, t, 0, wt_fbits(0.75f), &sh);

				ASSERT_EQ(0, run_into(self->w, &self->rg, b, t, got,
						      &self->st, &self->f))
					TH_LOG("%s", self->f.msg);
				memset(ref, 0, SRAM_END);
				fill_sources(ref, t, 12345);
				if (t == ISA_T_F32)
					ref_fmacs(ref, sh.d, sh.a, sh.b, 0.75f, N);
				else
					ref_iadd(ref, sh.d, sh.a, sh.b, N);
				EXPECT_EQ(0, memcmp(got, ref + A_AT, 0x800))
					TH_LOG("type %u shift %d %d rows %d", t,
					       shift[i][0], shift[i][1], rows);
				wb_free(b);
			}
		}
	}
	free(got);
	free(ref);
}

/*
 * Run op on shape sh, expecting status and a message ending in tail;
 * nothing of the destination's n elements may have been written.
 */
static void expect_fault(struct __test_metadata *_metadata, struct wafer *w,
			 const struct wafer_rect *rg, unsigned int op,
			 unsigned int t, const struct shape *sh, int status,
			 const char *tail)
{
	uint8_t *got = malloc(SRAM_END - A_AT);
	struct wafer_run_stats st;
	struct wafer_fault f;
	struct wb *b = prog(op, t, 0, 3, sh);
	const char *m;

	ASSERT_NE(NULL, got);
	ASSERT_EQ(-EIO, run_into(w, rg, b, t, got, &st, &f));
	EXPECT_EQ(status, f.status);
	m = strstr(f.msg, ": ");
	ASSERT_NE(NULL, m);
	EXPECT_STREQ(tail, m + 2);
	/* the destination's elements in SRAM are as they were: zero */
	for (uint32_t i = 0; i < sh->n && sh->d + 4 * i + 4 <= SRAM_END; i++) {
		uint32_t v;

		memcpy(&v, got + sh->d - A_AT + 4 * i, 4);
		if (v)
			TH_LOG("element %u written", (unsigned int)i);
		EXPECT_EQ(0, v);
	}
	wb_free(b);
	free(got);
}

/* Misaligned, out of range, wrong type: the general path's faults. */
TEST_F(vu, bad_operands_fault_as_before)
{
	const uint32_t top = SRAM_END - 4 * N;
	struct shape sh = { OUT + 2, A_AT, A_AT + 0x400, 0, N, false };
	char msg[160];

	expect_fault(_metadata, self->w, &self->rg, ISA_OP_VADD, ISA_T_F32, &sh,
		     WAFER_ERR_MISALIGNED,
		     "misaligned 4-byte write at 0x8002 (vadd.f32 d0)");
	sh = (struct shape){ OUT, A_AT + 0x400 + 2, A_AT, 0, N, false };
	expect_fault(_metadata, self->w, &self->rg, ISA_OP_VADD, ISA_T_I32, &sh,
		     WAFER_ERR_MISALIGNED,
		     "misaligned 4-byte read at 0x4402 (vadd.i32 d1)");
	/* one element past the top: element N - 1 is at SRAM_END */
	sh = (struct shape){ top + 4, A_AT, A_AT + 0x400, 0, N, false };
	snprintf(msg, sizeof(msg),
		 "SRAM write of 4 bytes at 0x%x out of range (vfmacs.f32 d0 element %u of %u)",
		 SRAM_END, N - 1, N);
	expect_fault(_metadata, self->w, &self->rg, ISA_OP_VFMACS, ISA_T_F32,
		     &sh, WAFER_ERR_SRAM_RANGE, msg);
	sh = (struct shape){ OUT, A_AT, top + 4, 0, N, false };
	snprintf(msg, sizeof(msg),
		 "SRAM read of 4 bytes at 0x%x out of range (vadd.i32 d2 element %u of %u)",
		 SRAM_END, N - 1, N);
	expect_fault(_metadata, self->w, &self->rg, ISA_OP_VADD, ISA_T_I32, &sh,
		     WAFER_ERR_SRAM_RANGE, msg);
	/* a compare's destination must be the integer type */
	sh = (struct shape){ OUT, A_AT, A_AT + 0x400, 0, N, false };
	{
		struct wb *b = wb_new(1, 1);
		uint32_t g = wb_group(b);
		uint8_t *got = malloc(SRAM_END - A_AT);

		ASSERT_NE(NULL, got);
		wb_rect(b, 0, 0, 1, 1, g);
		wb_entry(b, wb_func(b, "main"), g, 0);
		dsd(b, g, 0, ISA_T_I32, OUT, N, false);
		dsd(b, g, 1, ISA_T_F32, A_AT, N, false);
		dsd(b, g, 2, ISA_T_I32, A_AT + 0x400, N, false);
		wb_emit(b, g, I_V(ADD, I32, 0, 1, 2, 0));	/* d1 is f32 */
		wb_emit(b, g, I_HALT());
		ASSERT_EQ(-EIO, run_into(self->w, &self->rg, b, ISA_T_I32, got,
					 &self->st, &self->f));
		EXPECT_EQ(WAFER_ERR_ILLEGAL_INSN, self->f.status);
		EXPECT_NE(NULL, strstr(self->f.msg,
				       "illegal operand: vadd.i32 with d1, a DSD of type f32"))
			TH_LOG("%s", self->f.msg);
		EXPECT_EQ(0, *(uint32_t *)(got + OUT - A_AT));
		wb_free(b);
		free(got);
	}
	/* and only a compare's: an f32 add into an i32 DSD is illegal */
	{
		struct wb *b = wb_new(1, 1);
		uint32_t g = wb_group(b);
		uint8_t *got = malloc(SRAM_END - A_AT);

		ASSERT_NE(NULL, got);
		wb_rect(b, 0, 0, 1, 1, g);
		wb_entry(b, wb_func(b, "main"), g, 0);
		dsd(b, g, 0, ISA_T_I32, OUT, N, false);
		dsd(b, g, 1, ISA_T_F32, A_AT, N, false);
		dsd(b, g, 2, ISA_T_F32, A_AT + 0x400, N, false);
		wb_emit(b, g, I_V(ADD, F32, 0, 1, 2, 0));	/* d0 is i32 */
		wb_emit(b, g, I_HALT());
		ASSERT_EQ(-EIO, run_into(self->w, &self->rg, b, ISA_T_F32, got,
					 &self->st, &self->f));
		EXPECT_EQ(WAFER_ERR_ILLEGAL_INSN, self->f.status);
		EXPECT_NE(NULL, strstr(self->f.msg,
				       "illegal operand: vadd.f32 with d0, a DSD of type i32"))
			TH_LOG("%s", self->f.msg);
		EXPECT_EQ(0, *(uint32_t *)(got + OUT - A_AT));
		wb_free(b);
		free(got);
	}
}

/* dK: n elements of type t at addr with the given stride (elements). */
static void dsd_strided(struct wb *b, uint32_t g, unsigned int k, unsigned int t,
			uint32_t addr, uint32_t n, int32_t stride)
{
	wb_emit(b, g, I_LI(13, addr));
	wb_emit(b, g, I_LI(14, n));
	wb_emit(b, g, wb_insn(ISA_OP_DMEM, k, 13, 14, 0, t, 0, (uint32_t)stride));
}

/*
 * 1-D operands that are not contiguous (stride 2, -1 and 0 sources, a
 * stride 2 destination) are the general path's: against a C loop.
 */
TEST_F(vu, strided_operands)
{
	static const int32_t strides[][3] = {	/* d, a, b */
		{ 1, 2, 1 }, { 1, 1, -1 }, { 1, 0, 1 }, { 2, 1, 1 }, { 1, 1, 0 },
	};
	uint8_t *got = malloc(SRAM_END - A_AT), *ref = malloc(SRAM_END);

	ASSERT_NE(NULL, got);
	ASSERT_NE(NULL, ref);
	for (unsigned int i = 0; i < sizeof(strides) / sizeof(strides[0]); i++) {
		const int32_t *st = strides[i];
		uint32_t at[3] = { OUT, A_AT, A_AT + 0x400 };
		struct wb *b = wb_new(1, 1);
		uint32_t g = wb_group(b);

		/* a negative stride walks down from the last element */
		for (int k = 0; k < 3; k++)
			if (st[k] < 0)
				at[k] += 4 * (N - 1);
		wb_rect(b, 0, 0, 1, 1, g);
		wb_entry(b, wb_func(b, "main"), g, 0);
		for (int k = 0; k < 3; k++)
			dsd_strided(b, g, k, ISA_T_F32, at[k], N, st[k]);
		wb_emit(b, g, I_LI(6, wt_fbits(0.75f)));
		wb_emit(b, g, wb_insn(ISA_OP_VFMACS, 0, 1, 2, 6, ISA_T_F32, 0, 0));
		wb_emit(b, g, I_HALT());
		ASSERT_EQ(0, run_into(self->w, &self->rg, b, ISA_T_F32, got,
				      &self->st, &self->f)) TH_LOG("%s", self->f.msg);
		memset(ref, 0, SRAM_END);
		fill_sources(ref, ISA_T_F32, 12345);
		for (uint32_t j = 0; j < N; j++) {
			float x, y, r;

			memcpy(&x, ref + at[1] + 4 * st[1] * (int32_t)j, 4);
			memcpy(&y, ref + at[2] + 4 * st[2] * (int32_t)j, 4);
			r = x + y * 0.75f;
			memcpy(ref + at[0] + 4 * st[0] * (int32_t)j, &r, 4);
		}
		EXPECT_EQ(0, memcmp(got + OUT - A_AT, ref + OUT, 8 * N))
			TH_LOG("strides %d %d %d", st[0], st[1], st[2]);
		wb_free(b);
	}
	free(got);
	free(ref);
}

/* Operands ending exactly at the top of SRAM are in range. */
TEST_F(vu, top_of_sram_fits)
{
	const uint32_t top = SRAM_END - 4 * N;
	uint8_t *got = malloc(SRAM_END - A_AT), *ref = malloc(SRAM_END);
	struct shape sh = { top, A_AT, A_AT + 0x400, 0, N, false };
	struct wb *b = prog(ISA_OP_VFMACS, ISA_T_F32, 0, wt_fbits(0.75f), &sh);

	ASSERT_NE(NULL, got);
	ASSERT_NE(NULL, ref);
	ASSERT_EQ(0, run_into(self->w, &self->rg, b, ISA_T_F32, got, &self->st,
			      &self->f)) TH_LOG("%s", self->f.msg);
	memset(ref, 0, SRAM_END);
	fill_sources(ref, ISA_T_F32, 12345);
	ref_fmacs(ref, top, A_AT, A_AT + 0x400, 0.75f, N);
	EXPECT_EQ(0, memcmp(got + top - A_AT, ref + top, 4 * N));
	EXPECT_EQ(1 + 2 + N, *(uint32_t *)(got + OUT - 4 - A_AT));
	wb_free(b);
	sh = (struct shape){ OUT, top, A_AT, 0, N, false };
	b = prog(ISA_OP_VADD, ISA_T_I32, 0, 0, &sh);
	ASSERT_EQ(0, run_into(self->w, &self->rg, b, ISA_T_I32, got, &self->st,
			      &self->f)) TH_LOG("%s", self->f.msg);
	memset(ref, 0, SRAM_END);
	fill_sources(ref, ISA_T_I32, 12345);
	ref_iadd(ref, OUT, top, A_AT, N);
	EXPECT_EQ(0, memcmp(got + OUT - A_AT, ref + OUT, 4 * N));
	wb_free(b);
	free(got);
	free(ref);
}

TEST_HARNESS_MAIN
