// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wafer-stream.c - resident kernels and the west edge's I/O channels
 * (qemu-device/wafer/stream.h): data tasks sum streamed vectors and
 * stream the sums back, RPC calls return values, streams nobody takes
 * time out, bad fields are refused, and the same bytes and cycles come
 * out at any thread count.
 */
#include "kselftest_harness.h"
#include "wafer-test.h"
#include "stream.h"

#define R	WAFER_PORT_RAMP
#define EA	WAFER_PORT_EAST
#define WE	WAFER_PORT_WEST
#define CIN	1
#define COUT	2

/*
 * Every PE (0, y) of a 1 x rows region: main(n) sets the vector length;
 * the data task of CIN adds each wavelet to r5 and, every n wavelets,
 * sends the sum west on COUT. add(k) adds k to r8 and returns it in r1.
 */
static struct wb *sum_kernel(uint32_t rows, bool with_task)
{
	struct wb *b = wb_new(1, rows);
	uint32_t g, t, skip;

	wb_func(b, "main");
	wb_func(b, "add");
	g = wb_group(b);
	wb_rect(b, 0, 0, 1, rows, g);
	wb_route(b, 0, 0, 1, rows, CIN, WE, R);
	wb_route(b, 0, 0, 1, rows, COUT, R, WE);
	wb_entry(b, 0, g, wb_pc(b, g));
	wb_emit(b, g, I_MOV(7, 1));
	wb_emit(b, g, I_LI(5, 0));
	wb_emit(b, g, I_LI(6, 0));
	wb_emit(b, g, I_TRET());
	wb_entry(b, 1, g, wb_pc(b, g));
	wb_emit(b, g, I_ALU(ADD, 8, 8, 1));
	wb_emit(b, g, I_MOV(1, 8));
	wb_emit(b, g, I_TRET());
	t = wb_pc(b, g);
	wb_emit(b, g, I_ALU(ADD, 5, 5, 1));
	wb_emit(b, g, I_ALUI(ADD, 6, 6, 1));
	skip = wb_emit(b, g, I_BR(BNE, 6, 7, 0));
	wb_emit(b, g, I_SEND(5, COUT));
	wb_emit(b, g, I_LI(5, 0));
	wb_emit(b, g, I_LI(6, 0));
	wb_patch(b, g, skip, wb_pc(b, g));
	wb_emit(b, g, I_TRET());
	if (with_task)
		wb_task(b, g, 3, WAFER_TASK_DATA, CIN, 0, 0, t);
	return b;
}

FIXTURE(st) {
	struct wafer *w;
	struct wb *b;
	struct wafer_program *p;
	struct wafer_rect rg;
	struct wafer_fault f;
	struct wafer_run_stats s;
};

FIXTURE_SETUP(st)
{
	self->w = wt_wafer(4, 20, 2, 8);
	ASSERT_NE(NULL, self->w);
	self->rg = (struct wafer_rect){ 1, 1, 1, 18 };
	self->b = sum_kernel(18, true);
	ASSERT_EQ(0, wafer_load(self->w, &self->rg, wb_image(self->b), &self->p,
				&self->f)) TH_LOG("%s", self->f.msg);
}

FIXTURE_TEARDOWN(st)
{
	wafer_program_free(self->p);
	wb_free(self->b);
	wafer_destroy(self->w);
}

/* Sums of 100 vectors of 4 per row, 18 rows: two rows share channels. */
TEST_F(st, sum_streamed_vectors)
{
	uint32_t n = 4, in[18 * 4 * 5], out[18 * 5];
	uint64_t c1 = 0;

	ASSERT_EQ(0, wafer_resident_launch(self->p, 0, &n, 1, &self->s, &self->f))
		TH_LOG("%s", self->f.msg);
	ASSERT_TRUE(wafer_resident_active(self->p));
	for (int round = 0; round < 100; round++) {
		for (uint32_t i = 0; i < 18 * 4 * 5; i++)
			in[i] = i * 7 + round;
		ASSERT_EQ(0, wafer_stream_in(self->p, CIN, WAFER_EDGE_WEST, 0, 18, 4,
					     in, 18 * 4 * 5, &self->s, &self->f))
			TH_LOG("%s", self->f.msg);
		ASSERT_GT(self->s.cycles, 0);
		if (!round)
			c1 = self->s.cycles;
		/* Same work, same cycles, each time. */
		ASSERT_EQ(c1, self->s.cycles);
		ASSERT_EQ(0, wafer_stream_out(self->p, COUT, WAFER_EDGE_WEST, 0, 18, 4,
					      out, 18 * 5, &self->s, &self->f))
			TH_LOG("%s", self->f.msg);
		for (uint32_t r = 0; r < 18; r++)
			for (uint32_t v = 0; v < 5; v++) {
				uint32_t sum = 0;

				for (uint32_t k = 0; k < 4; k++)
					sum += in[r * 20 + v * 4 + k];
				ASSERT_EQ(sum, out[r * 5 + v]);
			}
	}
	/* Nothing more was sent: a stream-out times out, the kernel stays. */
	EXPECT_EQ(-ETIMEDOUT, wafer_stream_out(self->p, COUT, WAFER_EDGE_WEST, 0, 1,
					       4, out, 1, &self->s, &self->f));
	EXPECT_EQ(WAFER_ERR_STREAM_TIMEOUT, self->f.status);
	EXPECT_TRUE(wafer_resident_active(self->p));
	wafer_resident_stop(self->p);
	EXPECT_FALSE(wafer_resident_active(self->p));
}

/* 16-bit elements travel in the low half; a call returns r1. */
TEST_F(st, halves_and_calls)
{
	uint32_t n = 2, ret = 0, arg = 5;
	uint16_t in[4] = { 0xffff, 2, 3, 4 }, out[2];

	ASSERT_EQ(0, wafer_resident_launch(self->p, 0, &n, 1, &self->s, &self->f));
	ASSERT_EQ(0, wafer_stream_in(self->p, CIN, WAFER_EDGE_WEST, 3, 1, 2, in, 4,
				     &self->s, &self->f)) TH_LOG("%s", self->f.msg);
	ASSERT_EQ(0, wafer_stream_out(self->p, COUT, WAFER_EDGE_WEST, 3, 1, 2, out, 2,
				      &self->s, &self->f)) TH_LOG("%s", self->f.msg);
	EXPECT_EQ(0x0001, out[0]);	/* 0xffff + 2 = 0x10001 */
	EXPECT_EQ(7, out[1]);
	for (uint32_t i = 1; i <= 10; i++) {
		ASSERT_EQ(0, wafer_resident_call(self->p, 1, &arg, 1, &ret, &self->s,
						 &self->f)) TH_LOG("%s", self->f.msg);
		EXPECT_EQ(5 * i, ret);
		EXPECT_GT(self->s.cycles, 0);
	}
}

/* Bad fields are refused and leave the kernel as it was. */
TEST_F(st, bad_fields)
{
	uint32_t n = 4, buf[8] = { 0 };

	EXPECT_EQ(-EINVAL, wafer_stream_in(self->p, CIN, 0, 0, 1, 4, buf, 4,
					   &self->s, &self->f));
	ASSERT_EQ(0, wafer_resident_launch(self->p, 0, &n, 1, &self->s, &self->f));
	EXPECT_EQ(-EINVAL, wafer_stream_in(self->p, 24, 0, 0, 1, 4, buf, 4, NULL,
					   &self->f));
	EXPECT_EQ(-EINVAL, wafer_stream_in(self->p, CIN, 1, 0, 1, 4, buf, 4, NULL,
					   &self->f));
	EXPECT_EQ(-EINVAL, wafer_stream_in(self->p, CIN, 0, 17, 2, 4, buf, 4, NULL,
					   &self->f));
	EXPECT_EQ(-EINVAL, wafer_stream_in(self->p, CIN, 0, 0, 1, 3, buf, 4, NULL,
					   &self->f));
	EXPECT_EQ(-EINVAL, wafer_stream_in(self->p, CIN, 0, 0, 3, 4, buf, 4, NULL,
					   &self->f));
	/* Color 5 has no route from WEST into PE (0,0). */
	EXPECT_EQ(-EINVAL, wafer_stream_in(self->p, 5, 0, 0, 1, 4, buf, 4, NULL,
					   &self->f));
	EXPECT_EQ(-ENOENT, wafer_resident_call(self->p, 9, NULL, 0, NULL, NULL,
					       &self->f));
	ASSERT_TRUE(wafer_resident_active(self->p));
	ASSERT_EQ(0, wafer_stream_in(self->p, CIN, 0, 0, 1, 4, buf, 8, NULL, &self->f))
		TH_LOG("%s", self->f.msg);
}

/*
 * A queue a PE of the region feeds too is no stream target: the host's
 * wavelets would interleave with the PE's. Who feeds a queue is worked
 * out when first needed (horizon.c), here by the stream itself.
 */
TEST(stream_into_a_queue_a_pe_feeds)
{
	struct wafer *w = wt_wafer(2, 1, 2, 8);
	struct wb *b = wb_new(2, 1);
	struct wafer_rect rg = { 0, 0, 2, 1 };
	struct wafer_program *p;
	struct wafer_fault f;
	uint32_t g = wb_group(b), buf[4] = { 0 };

	wb_func(b, "main");
	wb_rect(b, 0, 0, 2, 1, g);
	wb_entry(b, 0, g, wb_pc(b, g));
	wb_emit(b, g, I_TRET());
	wb_route(b, 0, 0, 1, 1, CIN, WE | EA, R);
	wb_route(b, 1, 0, 1, 1, CIN, R, WE);
	ASSERT_EQ(0, wafer_load(w, &rg, wb_image(b), &p, &f)) TH_LOG("%s", f.msg);
	ASSERT_EQ(0, wafer_resident_launch(p, 0, NULL, 0, NULL, &f)) TH_LOG("%s", f.msg);
	EXPECT_EQ(-EINVAL, wafer_stream_in(p, CIN, 0, 0, 1, 4, buf, 4, NULL, &f));
	EXPECT_NE(NULL, strstr(f.msg, "is fed by PE (1,0) too")) TH_LOG("%s", f.msg);
	wafer_program_free(p);
	wb_free(b);
	wafer_destroy(w);
}

/* Without a data task nobody takes the stream: a timeout, then usable. */
TEST(never_read)
{
	struct wafer *w = wt_wafer(2, 2, 2, 8);
	struct wb *b = sum_kernel(1, false);
	struct wafer_rect rg = { 0, 0, 1, 1 };
	struct wafer_program *p;
	struct wafer_fault f;
	uint32_t n = 1, buf[64] = { 0 }, ret = 0;

	ASSERT_EQ(0, wafer_load(w, &rg, wb_image(b), &p, &f));
	ASSERT_EQ(0, wafer_resident_launch(p, 0, &n, 1, NULL, &f));
	EXPECT_EQ(-ETIMEDOUT, wafer_stream_in(p, CIN, 0, 0, 1, 4, buf, 64, NULL, &f));
	EXPECT_EQ(WAFER_ERR_STREAM_TIMEOUT, f.status);
	EXPECT_NE(NULL, strstr(f.msg, "took 0 of 64")) TH_LOG("%s", f.msg);
	EXPECT_EQ(0, wafer_resident_call(p, 1, &n, 1, &ret, NULL, &f)) TH_LOG("%s", f.msg);
	EXPECT_EQ(1, ret);
	wafer_program_free(p);
	wb_free(b);
	wafer_destroy(w);
}

/* A non-resident launch still faults on a wavelet leaving the region. */
TEST(off_edge_without_residency)
{
	struct wafer *w = wt_wafer(2, 2, 1, 8);
	struct wb *b = wb_new(1, 1);
	struct wafer_rect rg = { 0, 0, 1, 1 };
	struct wafer_program *p;
	struct wafer_fault f;
	uint32_t g;

	wb_func(b, "main");
	g = wb_group(b);
	wb_rect(b, 0, 0, 1, 1, g);
	wb_route(b, 0, 0, 1, 1, COUT, R, WE);
	wb_entry(b, 0, g, wb_pc(b, g));
	wb_emit(b, g, I_SEND(1, COUT));
	wb_emit(b, g, I_HALT());
	ASSERT_EQ(0, wafer_load(w, &rg, wb_image(b), &p, &f));
	EXPECT_EQ(-EIO, wafer_launch(p, 0, NULL, 0, NULL, &f));
	EXPECT_EQ(WAFER_ERR_UNROUTED, f.status);
	/* Resident: the same send leaves through the channel, once stopped
	 * it faults again (no stale route into a freed sink). */
	EXPECT_EQ(0, wafer_resident_launch(p, 0, NULL, 0, NULL, &f)) TH_LOG("%s", f.msg);
	wafer_resident_stop(p);
	EXPECT_EQ(-EIO, wafer_launch(p, 0, NULL, 0, NULL, &f));
	wafer_program_free(p);
	wb_free(b);
	wafer_destroy(w);
}

/* Same sums and cycles at 1 and 4 threads. */
TEST(deterministic)
{
	uint64_t cyc[2];
	uint32_t sums[2][18];

	for (int k = 0; k < 2; k++) {
		struct wafer *w = wt_wafer(2, 18, k ? 4 : 1, 4);
		struct wb *b = sum_kernel(18, true);
		struct wafer_rect rg = { 0, 0, 1, 18 };
		struct wafer_program *p;
		struct wafer_run_stats s;
		struct wafer_fault f;
		uint32_t n = 64, in[18 * 64];

		for (uint32_t i = 0; i < 18 * 64; i++)
			in[i] = i ^ 0x5a5a;
		ASSERT_EQ(0, wafer_load(w, &rg, wb_image(b), &p, &f));
		ASSERT_EQ(0, wafer_resident_launch(p, 0, &n, 1, NULL, &f));
		ASSERT_EQ(0, wafer_stream_in(p, CIN, 0, 0, 18, 4, in, 18 * 64, &s, &f))
			TH_LOG("%s", f.msg);
		cyc[k] = s.cycles;
		ASSERT_EQ(0, wafer_stream_out(p, COUT, 0, 0, 18, 4, sums[k], 18, NULL, &f));
		wafer_program_free(p);
		wb_free(b);
		wafer_destroy(w);
	}
	EXPECT_EQ(cyc[0], cyc[1]);
	EXPECT_EQ(0, memcmp(sums[0], sums[1], sizeof(sums[0])));
}

TEST_HARNESS_MAIN
