// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wafer-chain.c - the interpreter's chained dispatch (exec-run.h,
 * CHAIN()) against the plain one. A cached word goes on to the next
 * cached word without FETCH()'s lookup; every check FETCH() and COUNT()
 * make must still be made, in the same order. Each program runs with
 * caches built with and without next (wafer_code_chain) at 1, 2 and 4
 * threads: the same SRAM bytes, cycles, instruction count and fault
 * report, for a budget that ends at every instruction of the run, and
 * for code that a store rewrites just ahead of the pc.
 */
#include "kselftest_harness.h"
#include "wafer-test.h"
#include "internal.h"

#define GW	4		/* PEs of the GEMV: GW x GW */
#define GM	32
#define GN	32

struct outcome {
	int ret;
	struct wafer_run_stats st;
	struct wafer_fault f;
	uint8_t *sram;		/* every PE's SRAM, one after the other */
};

static void outcome_free(struct outcome *o)
{
	free(o->sram);
	o->sram = NULL;
}

/*
 * Run the image on a w x h region with the given threads, budget and
 * chaining; fill() puts the inputs into SRAM after the load.
 */
static int run(struct wafer_image *img, uint32_t w, uint32_t h,
	       uint32_t threads, bool chain, uint64_t budget,
	       void (*fill)(struct wafer *, const struct wafer_rect *),
	       struct outcome *o)
{
	struct wafer_rect rg = { 0, 0, w, h };
	struct wafer *wf = wt_wafer(w, h, threads, 0);
	struct wafer_program *p;
	size_t sz = WAFER_DEFAULT_SRAM;

	if (!wf)
		return -1;
	memset(o, 0, sizeof(*o));
	wafer_code_chain = chain;
	o->ret = wafer_load(wf, &rg, img, &p, &o->f);
	wafer_code_chain = true;
	if (o->ret) {
		wafer_destroy(wf);
		return -1;
	}
	if (fill)
		fill(wf, &rg);
	wafer_set_insn_budget(wf, budget);
	o->ret = wafer_launch(p, 0, NULL, 0, &o->st, &o->f);
	o->sram = malloc(sz * w * h);
	for (uint32_t y = 0; y < h; y++)
		for (uint32_t x = 0; x < w; x++)
			memcpy(o->sram + sz * (y * w + x),
			       wb_pe_sram(wf, &rg, x, y), sz);
	wafer_program_free(p);
	wafer_destroy(wf);
	return 0;
}

/*
 * The same outcome. What the other PEs of a faulting run did after the
 * fault depends on the host's timing at more than one thread (they stop
 * when they see it): bytes 0 leaves their SRAM and counts out.
 */
static void same(struct __test_metadata *_metadata, const struct outcome *a,
		 const struct outcome *b, size_t bytes)
{
	ASSERT_EQ(a->ret, b->ret);
	ASSERT_EQ(a->st.cycles, b->st.cycles);
	if (bytes) {
		ASSERT_EQ(a->st.instructions, b->st.instructions);
		ASSERT_EQ(a->st.wavelets, b->st.wavelets);
	}
	if (a->ret) {
		ASSERT_EQ(a->f.status, b->f.status);
		ASSERT_EQ(a->f.pe_x, b->f.pe_x);
		ASSERT_EQ(a->f.pe_y, b->f.pe_y);
		ASSERT_EQ(a->f.pc, b->f.pc);
		ASSERT_STREQ(a->f.msg, b->f.msg);
	}
	ASSERT_EQ(0, memcmp(a->sram, b->sram, bytes));
}

static void gemv_fill(struct wafer *w, const struct wafer_rect *rg)
{
	static float a[GM * GN], x[GN];

	for (unsigned int i = 0; i < GM * GN; i++)
		a[i] = (float)((i * 37) % 101) / 17.0f - 2.5f;
	for (unsigned int j = 0; j < GN; j++)
		x[j] = (float)((j * 7) % 11) / 11.0f;
	wb_gemv_scatter(w, rg, GM, GN, GW, GW, a, x);
}

/* The GEMV, whole and cut by a budget at every instruction of a PE. */
TEST(gemv_chained_or_not)
{
	const size_t bytes = (size_t)WAFER_DEFAULT_SRAM * GW * GW;
	struct wafer_image *img;
	struct outcome ref, o;
	uint64_t per_pe;
	struct wb *b;

	img = wb_gemv(&b, GM, GN, GW, GW);
	ASSERT_NE(NULL, img);
	ASSERT_EQ(0, run(img, GW, GW, 1, false, 0, gemv_fill, &ref));
	ASSERT_EQ(0, ref.ret);
	per_pe = ref.st.instructions / (GW * GW);
	ASSERT_GT(per_pe, 20);
	for (uint32_t t = 1; t <= 4; t *= 2) {
		ASSERT_EQ(0, run(img, GW, GW, t, true, 0, gemv_fill, &o));
		same(_metadata, &ref, &o, bytes);
		outcome_free(&o);
	}
	outcome_free(&ref);
	for (uint64_t budget = 1; budget <= per_pe + 1; budget++) {
		ASSERT_EQ(0, run(img, GW, GW, 1, false, budget, gemv_fill, &ref));
		for (uint32_t t = 1; t <= 4; t *= 2) {
			if (t > 1 && budget % 7)
				continue;
			ASSERT_EQ(0, run(img, GW, GW, t, true, budget,
					 gemv_fill, &o));
			same(_metadata, &ref, &o, t == 1 ? bytes : 0);
			outcome_free(&o);
		}
		if (budget <= per_pe)
			ASSERT_EQ(-ETIMEDOUT, ref.ret);
		outcome_free(&ref);
	}
	wb_free(b);
}

/*
 * A store rewrites the word right after it, and a loop's body rewrites
 * its own next word on the second pass: the chained path must see SRAM,
 * not the cache. r2 ends as 100 + 5 (the rewritten add), not 5 (the li
 * that was loaded), r5 as 5 + 5 + 5.
 */
TEST(code_rewritten_ahead)
{
	struct wb *b = wb_new(1, 1);
	uint32_t g = wb_group(b), at, loop;
	struct isa_insn add2 = I_ALUI(ADD, 2, 2, 0), add5 = I_ALUI(ADD, 5, 5, 0);
	struct wafer_image *img;
	struct outcome ref, o;
	uint64_t word = isa_encode(&add2), word5 = isa_encode(&add5);

	wb_rect(b, 0, 0, 1, 1, g);
	wb_entry(b, wb_func(b, "main"), g, 0);
	wb_emit(b, g, I_LI(1, (uint32_t)word));
	wb_emit(b, g, I_LI(2, 100));
	wb_emit(b, g, I_LI(7, (uint32_t)word5));
	at = wb_pc(b, g) + 2 * ISA_INSN_BYTES;
	wb_emit(b, g, I_LI(3, at));
	wb_emit(b, g, I_ST(1, 3, 0));
	wb_emit(b, g, I_LI(2, 5));		/* at: becomes add r2, r2, 5 */
	wb_emit(b, g, I_ST(2, 0, 0x4000));
	/* A loop whose second pass runs a word its first pass rewrote. */
	wb_emit(b, g, I_LI(4, 0));
	loop = wb_pc(b, g);
	wb_emit(b, g, I_ALUI(ADD, 4, 4, 1));
	at = wb_pc(b, g) + 2 * ISA_INSN_BYTES;
	wb_emit(b, g, I_LI(3, at));
	wb_emit(b, g, I_ST(7, 3, 0));
	wb_emit(b, g, I_LI(5, 5));		/* at: add r5, r5, 5 after pass 1 */
	wb_emit(b, g, I_LI(6, 3));
	wb_emit(b, g, I_BR(BLTU, 4, 6, loop));
	wb_emit(b, g, I_ST(5, 0, 0x4004));
	wb_emit(b, g, I_HALT());
	img = wb_image(b);
	ASSERT_NE(NULL, img);
	for (uint32_t t = 1; t <= 4; t *= 2) {
		ASSERT_EQ(0, run(img, 1, 1, t, false, 0, NULL, &ref));
		ASSERT_EQ(0, run(img, 1, 1, t, true, 0, NULL, &o));
		ASSERT_EQ(0, ref.ret);
		same(_metadata, &ref, &o, WAFER_DEFAULT_SRAM);
		ASSERT_EQ(105, *(uint32_t *)(o.sram + 0x4000));
		ASSERT_EQ(15, *(uint32_t *)(o.sram + 0x4004));
		outcome_free(&ref);
		outcome_free(&o);
	}
	wb_free(b);
}

/*
 * Instructions and budget apart: a vector op of 256 elements counts one
 * instruction and charges 1 + 256 / 64 to the budget (the interpreter
 * counts only the budget and derives the instructions from it). The
 * contiguous path and the general one (a 2-D DSD of one row) alike.
 */
TEST(instructions_and_budget)
{
	for (int rows = 0; rows <= 1; rows++) {
		struct wb *b = wb_new(1, 1);
		uint32_t g = wb_group(b), insns;
		struct wafer_image *img;
		struct outcome o;

		wb_rect(b, 0, 0, 1, 1, g);
		wb_entry(b, wb_func(b, "main"), g, 0);
		wb_emit(b, g, I_LI(1, 0x4000));
		wb_emit(b, g, I_LI(2, 256));
		wb_emit(b, g, I_DMEM(F32, 0, 1, 2, 1));
		if (rows) {
			wb_emit(b, g, I_LI(2, 1));
			wb_emit(b, g, I_DDIM(0, 1, 2, 256));
		}
		for (int k = 0; k < 3; k++)
			wb_emit(b, g, wb_insn(ISA_OP_VFILL, 0, 3, 0, 0, ISA_T_F32, 0, 0));
		wb_emit(b, g, I_HALT());
		insns = wb_pc(b, g) / ISA_INSN_BYTES;
		img = wb_image(b);
		ASSERT_NE(NULL, img);
		ASSERT_EQ(0, run(img, 1, 1, 1, true, 0, NULL, &o));
		ASSERT_EQ(0, o.ret);
		ASSERT_EQ(insns, o.st.instructions);
		outcome_free(&o);
		ASSERT_EQ(0, run(img, 1, 1, 1, true, insns + 3 * 4, NULL, &o));
		ASSERT_EQ(0, o.ret);
		outcome_free(&o);
		ASSERT_EQ(0, run(img, 1, 1, 1, true, insns + 3 * 4 - 1, NULL, &o));
		ASSERT_EQ(-ETIMEDOUT, o.ret);
		outcome_free(&o);
		wb_free(b);
	}
}

TEST_HARNESS_MAIN
