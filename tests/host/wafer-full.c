// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wafer-full.c - the core on a whole 762 x 1176 wafer, at small cost:
 * programs over the full region whose code runs on a few PEs only (so
 * that little SRAM is touched), with routes and queues everywhere. The
 * same bytes, cycles, wavelet counts and fault report at 1, 2 and 4
 * threads; queue keys and horizon lists past what a small mesh needs.
 */
#include "kselftest_harness.h"
#include "wafer-test.h"

#define FW	WAFER_MAX_WIDTH
#define FH	WAFER_MAX_HEIGHT
#define OUT	0x8000
#define R	WAFER_PORT_RAMP
#define WE	WAFER_PORT_WEST
#define EA	WAFER_PORT_EAST

struct full_result {
	int ret;
	struct wafer_run_stats st;
	struct wafer_fault f;
	uint32_t out[FH][2];
};

/*
 * Column 0 sends its row number on colors 0 and 1 (and, with @fault, two
 * PEs run into an illegal instruction at different times); colors 0 and
 * 1 are row broadcasts over the whole wafer; the last column adds the
 * two up and stores the sum and its clock. The PEs between have no code:
 * what reaches them is dropped.
 */
static struct wb *full_prog(bool fault)
{
	struct wb *b = wb_new(FW, FH);
	uint32_t fn = wb_func(b, "main"), s = wb_group(b), d = wb_group(b);

	wb_rect(b, 0, 0, 1, FH, s);
	wb_rect(b, FW - 1, 0, 1, FH, d);
	wb_entry(b, fn, s, wb_emit(b, s, I_CSR(1, ISA_CSR_Y)));
	wb_emit(b, s, I_SEND(1, 0));
	wb_emit(b, s, I_SEND(1, 1));
	wb_emit(b, s, I_HALT());
	wb_entry(b, fn, d, wb_emit(b, d, I_RECV(2, 0)));
	wb_emit(b, d, I_RECV(3, 1));
	wb_emit(b, d, I_ALU(ADD, 4, 2, 3));
	wb_emit(b, d, I_CSR(5, ISA_CSR_CYCLES));
	wb_emit(b, d, I_ST(4, 0, OUT));
	wb_emit(b, d, I_ST(5, 0, OUT + 4));
	wb_emit(b, d, I_HALT());
	if (fault) {
		/* After the broadcast: (700, 1100) first, then (400, 600). */
		static const uint32_t at[2][3] = { { 400, 600, 900 }, { 700, 1100, 500 } };

		for (int k = 0; k < 2; k++) {
			uint32_t g = wb_group(b), loop;

			wb_rect(b, at[k][0], at[k][1], 1, 1, g);
			wb_entry(b, fn, g, wb_emit(b, g, I_LI(1, at[k][2])));
			loop = wb_emit(b, g, I_ALUI(ADD, 1, 1, (uint32_t)-1));
			wb_emit(b, g, I_BR(BNE, 1, 0, loop));
			wb_emit_raw(b, g, 0);
		}
	}
	for (uint8_t c = 0; c < 2; c++) {
		wb_route(b, 0, 0, 1, FH, c, R, EA);
		wb_route(b, 1, 0, FW - 2, FH, c, WE, R | EA);
		wb_route(b, FW - 1, 0, 1, FH, c, WE, R);
	}
	return b;
}

static void full_run(bool fault, uint32_t threads, struct full_result *r)
{
	struct wafer_rect rg = { 0, 0, FW, FH };
	struct wafer *w = wt_wafer(FW, FH, threads, 0);
	struct wb *b = full_prog(fault);

	memset(r, 0, sizeof(*r));
	r->ret = w ? wt_run(w, b, &rg, NULL, 0, &r->st, &r->f) : -ENOMEM;
	for (uint32_t y = 0; w && y < FH; y++) {
		r->out[y][0] = wt_word(w, &rg, FW - 1, y, OUT);
		r->out[y][1] = wt_word(w, &rg, FW - 1, y, OUT + 4);
	}
	r->st.global_stalls = 0;	/* depends on host timing */
	wb_free(b);
	wafer_destroy(w);
}

/*
 * Every row's sum at the same cycles whatever the thread count, and the
 * fault that comes first in modeled time (after the broadcast is over).
 */
TEST(full_wafer_same_at_any_thread_count)
{
	static struct full_result r[3];

	for (unsigned int i = 0; i < 3; i++) {
		full_run(true, 1u << i, &r[i]);
		ASSERT_EQ(-EIO, r[i].ret) TH_LOG("%u threads: %s", 1u << i, r[i].f.msg);
		EXPECT_EQ(700, r[i].f.pe_x);
		EXPECT_EQ(1100, r[i].f.pe_y);
	}
	for (uint32_t y = 0; y < FH; y++) {
		ASSERT_EQ(2 * y, r[0].out[y][0]) TH_LOG("row %u", y);
	}
	/* Each wavelet reaches every PE of its row, 761 hops to the last. */
	EXPECT_EQ(2ull * FH * (FW - 1), r[0].st.wavelets);
	EXPECT_EQ(2ull * FH * (FW - 2), r[0].st.wavelets_dropped);
	EXPECT_LT(FW, r[0].out[0][1]);
	EXPECT_GT(r[0].st.cycles, r[0].out[FH - 1][1]);
	for (unsigned int i = 1; i < 3; i++) {
		EXPECT_EQ(0, memcmp(&r[0].st, &r[i].st, sizeof(r[0].st)))
			TH_LOG("%u threads: %llu cycles, %llu with 1", 1u << i,
			       (unsigned long long)r[i].st.cycles,
			       (unsigned long long)r[0].st.cycles);
		EXPECT_EQ(0, memcmp(r[0].out, r[i].out, sizeof(r[0].out)));
		EXPECT_STREQ(r[0].f.msg, r[i].f.msg);
	}
	TH_LOG("%s", r[0].f.msg);
}

TEST_HARNESS_MAIN
