// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wafer-vtiming.c - the modeled times of vector instructions on fabric
 * operands, element by element (isa.rst, Timing): element i completes at
 * max(t_{i-1} + 1, its wavelets' arrival, the freeing of the queue slot
 * it fills, the route's earliest departure). vector.c computes them in
 * loops of their own for the common shapes (one fabric source into
 * memory, memory onto the fabric, one fabric source onto the fabric);
 * these runs pin the times of each shape, arrival-bound, issue-bound and
 * back-pressured, at 1 and 2 threads.
 */
#include "kselftest_harness.h"
#include "wafer-test.h"

#define OUT	0x8000
#define IN	0x4000
#define R	WAFER_PORT_RAMP
#define EA	WAFER_PORT_EAST
#define WE	WAFER_PORT_WEST

FIXTURE(vt) {
	struct wafer *w;
	struct wafer_fault f;
	struct wafer_run_stats st;
};

FIXTURE_VARIANT(vt) {
	uint32_t threads;
};

FIXTURE_VARIANT_ADD(vt, t1) { .threads = 1 };
FIXTURE_VARIANT_ADD(vt, t2) { .threads = 2 };

FIXTURE_SETUP(vt)
{
	self->w = wt_wafer(4, 1, variant->threads, 4);	/* queues of 4 */
	ASSERT_NE(NULL, self->w);
}

FIXTURE_TEARDOWN(vt)
{
	wafer_destroy(self->w);
}

static uint32_t role(struct wb *b, uint32_t x)
{
	uint32_t g = wb_group(b);

	wb_rect(b, x, 0, 1, 1, g);
	wb_entry(b, 0, g, wb_pc(b, g));
	return g;
}

static void nops(struct wb *b, uint32_t g, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		wb_emit(b, g, I_NOP());
}

/*
 * One fabric source into memory: PE 0 sends k wavelets one by one, gap
 * nops apart, after lead nops (send j leaves at lead + 2 + j * (2 +
 * gap)); PE 1 waits `wait`
 * nops, then receives them with one vmov. Returns PE 1's clock after
 * the vmov; the values land at OUT.
 */
static int recv_into_memory(struct wafer *w, unsigned int k, unsigned int gap,
			    unsigned int lead, unsigned int wait, uint32_t *end,
			    struct wafer_run_stats *st, struct wafer_fault *f)
{
	struct wafer_rect rg = { 0, 0, 2, 1 };
	struct wb *b = wb_new(2, 1);
	uint32_t s, r;
	int ret;

	wb_func(b, "main");
	s = role(b, 0);
	r = role(b, 1);
	wb_route(b, 0, 0, 1, 1, 3, R, EA);
	wb_route(b, 1, 0, 1, 1, 3, WE, R);
	nops(b, s, lead);
	for (unsigned int j = 0; j < k; j++) {
		wb_emit(b, s, I_LI(1, 100 + j));
		wb_emit(b, s, I_SEND(1, 3));
		nops(b, s, gap);
	}
	wb_emit(b, s, I_HALT());
	nops(b, r, wait);
	wb_emit(b, r, I_LI(1, OUT));
	wb_emit(b, r, I_LI(2, k));
	wb_emit(b, r, I_DMEM(I32, 0, 1, 2, 1));
	wb_emit(b, r, I_DFAB(I32, 1, 3, 2));
	wb_emit(b, r, I_V(MOV, I32, 0, 1, 0, 0));
	wb_emit(b, r, I_CSR(3, ISA_CSR_CYCLES));
	wb_emit(b, r, I_ST(3, 0, OUT - 4));
	wb_emit(b, r, I_HALT());
	ret = wt_run(w, b, &rg, NULL, 0, st, f);
	*end = wt_word(w, &rg, 1, 0, OUT - 4);
	for (unsigned int j = 0; j < k && !ret; j++)
		if (wt_word(w, &rg, 1, 0, OUT + 4 * j) != 100 + j)
			ret = -EBADMSG;
	wb_free(b);
	return ret;
}

/*
 * Arrival-bound: wavelet j arrives at 4 + 8 j (2 hops), after the
 * element before completes; the last of 10 at 76, of 9 at 68. One
 * wavelet sent after 20 nops arrives at 24, long after the vmov issued
 * (6). Issue-bound: 4 wavelets (the queue's depth) all wait when PE 1
 * starts after 50 nops: its vmov issues at 56 and completes at 57..60.
 */
TEST_F(vt, one_source_into_memory)
{
	uint32_t end;

	ASSERT_EQ(0, recv_into_memory(self->w, 10, 6, 0, 0, &end, &self->st,
				      &self->f)) TH_LOG("%s", self->f.msg);
	EXPECT_EQ(4 + 8 * 9, end);
	ASSERT_EQ(0, recv_into_memory(self->w, 9, 6, 0, 0, &end, &self->st,
				      &self->f)) TH_LOG("%s", self->f.msg);
	EXPECT_EQ(4 + 8 * 8, end);
	ASSERT_EQ(0, recv_into_memory(self->w, 1, 0, 20, 0, &end, &self->st,
				      &self->f)) TH_LOG("%s", self->f.msg);
	EXPECT_EQ(24, end);
	ASSERT_EQ(0, recv_into_memory(self->w, 4, 0, 0, 50, &end, &self->st,
				      &self->f)) TH_LOG("%s", self->f.msg);
	EXPECT_EQ(50 + 4 + 2 + 4, end);
	/*
	 * Back-pressured: wavelet 4 can leave only once element 0 took
	 * wavelet 0 (at 57): it leaves at 57 and arrives at 59, element 4
	 * completes at 61; wavelets 5, 6, 7 leave at 59, 61, 63 (2 cycles
	 * a send), arrive 2 later: elements 62, 63, 65.
	 */
	ASSERT_EQ(0, recv_into_memory(self->w, 8, 0, 0, 50, &end, &self->st,
				      &self->f)) TH_LOG("%s", self->f.msg);
	EXPECT_EQ(65, end);
}

/*
 * A chain: PE 0 sends k elements from memory with one vmov (memory onto
 * the fabric), PE 1 adds its own vector to them on the way with one vadd
 * (one fabric source onto the fabric) after wait1 nops, PE 2 receives
 * the sums with one vmov (into memory) after wait2 nops. Each PE's clock
 * after its vector op lands at OUT - 4, the sums at PE 2's OUT.
 */
static int chain(struct wafer *w, unsigned int k, unsigned int wait1,
		 unsigned int wait2, uint32_t end[3], struct wafer_run_stats *st,
		 struct wafer_fault *f)
{
	struct wafer_rect rg = { 0, 0, 3, 1 };
	struct wb *b = wb_new(3, 1);
	uint32_t g[3], v[64];
	int ret;

	for (unsigned int j = 0; j < 64; j++)
		v[j] = 1000 * j;
	wb_func(b, "main");
	for (unsigned int i = 0; i < 3; i++)
		g[i] = role(b, i);
	wb_route(b, 0, 0, 1, 1, 1, R, EA);
	wb_route(b, 1, 0, 1, 1, 1, WE, R);
	wb_route(b, 1, 0, 1, 1, 2, R, EA);
	wb_route(b, 2, 0, 1, 1, 2, WE, R);
	for (unsigned int i = 0; i < 2; i++) {
		uint32_t mine[64];

		for (unsigned int j = 0; j < 64; j++)
			mine[j] = i ? j : v[j];
		wb_data(b, g[i], IN, mine, sizeof(mine));
	}
	nops(b, g[1], wait1);
	nops(b, g[2], wait2);
	for (unsigned int i = 0; i < 3; i++) {
		wb_emit(b, g[i], I_LI(1, i == 2 ? OUT : IN));
		wb_emit(b, g[i], I_LI(2, k));
		wb_emit(b, g[i], I_DMEM(I32, 0, 1, 2, 1));
		wb_emit(b, g[i], I_DFAB(I32, 1, i ? i : 1, 2));	/* in */
		wb_emit(b, g[i], I_DFAB(I32, 2, i + 1, 2));	/* out */
	}
	wb_emit(b, g[0], I_V(MOV, I32, 1, 0, 0, 0));
	wb_emit(b, g[1], I_V(ADD, I32, 2, 1, 0, 0));
	wb_emit(b, g[2], I_V(MOV, I32, 0, 1, 0, 0));
	for (unsigned int i = 0; i < 3; i++) {
		wb_emit(b, g[i], I_CSR(3, ISA_CSR_CYCLES));
		wb_emit(b, g[i], I_ST(3, 0, OUT - 4));
		wb_emit(b, g[i], I_HALT());
	}
	ret = wt_run(w, b, &rg, NULL, 0, st, f);
	for (unsigned int i = 0; i < 3; i++)
		end[i] = wt_word(w, &rg, i, 0, OUT - 4);
	for (unsigned int j = 0; j < k && !ret; j++)
		if (wt_word(w, &rg, 2, 0, OUT + 4 * j) != 1001 * j)
			ret = -EBADMSG;
	wb_free(b);
	return ret;
}

/*
 * Each PE's vector op issues at its wait + 5 + 2 and completes an
 * element a cycle when nothing holds it. Unhindered (case 0, 1), PE 0's
 * element j completes at 8 + j, PE 1's when it arrives 2 hops later,
 * PE 2's 2 after that. With queues of 4, element j >= 4 on the fabric
 * also waits for the consumer to take element j - 4:
 *   case 2, PE 2 late (issues at 47): its element j at 48 + j, PE 1's at
 *     44 + j (after PE 2 took j - 4), PE 0's at 40 + j: ends 59, 63, 67;
 *   case 3, PE 1 late (issues at 37): its element j at 38 + j, PE 0's at
 *     34 + j, PE 2's when PE 1's arrive, 40 + j: ends 53, 57, 59;
 *   case 4, 3 elements: only the late starts count.
 */
TEST_F(vt, memory_and_fabric_onto_the_fabric)
{
	static const struct {
		unsigned int k, wait1, wait2;
		uint32_t end[3];
	} c[] = {
		{ 4, 0, 0, { 8 + 3, 8 + 3 + 2, 8 + 3 + 4 } },
		{ 20, 0, 0, { 8 + 19, 8 + 19 + 2, 8 + 19 + 4 } },
		{ 20, 0, 40, { 40 + 19, 44 + 19, 48 + 19 } },
		{ 20, 30, 0, { 34 + 19, 38 + 19, 40 + 19 } },
		{ 3, 30, 60, { 8 + 2, 30 + 8 + 2, 60 + 8 + 2 } },
	};

	for (unsigned int i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		uint32_t end[3];

		ASSERT_EQ(0, chain(self->w, c[i].k, c[i].wait1, c[i].wait2, end,
				   &self->st, &self->f)) TH_LOG("%s", self->f.msg);
		for (unsigned int p = 0; p < 3; p++) {
			EXPECT_EQ(c[i].end[p], end[p])
				TH_LOG("case %u PE %u", i, p);
		}
	}
}

/*
 * A fabric source whose queue ring wraps within a chunk, a control
 * wavelet in the wrapped part: the chunk stops before it (vector.c's
 * data_avail() scans the ring in two runs), takes it between elements
 * and goes on. A sends 1..9, a NOP control, 10 on a queue of 8; B takes
 * five, then spins past a quantum (WAFER_QUANTUM), so that A, held by
 * back-pressure at 9, has sent the rest when B's next five are scanned
 * (slots 5, 6, 7, 0, the control at 1): 1..10 in order, at any thread
 * count. Either run of the scan or of the copy (fab_times()) dropped
 * fails it.
 */
TEST(control_wavelet_in_the_ring_wrap)
{
	struct wafer_rect rg = { 0, 0, 2, 1 };
	uint64_t cycles = 0;

	for (uint32_t threads = 1; threads <= 4; threads *= 2) {
		struct wafer *w = wt_wafer(2, 1, threads, 8);
		struct wb *b = wb_new(2, 1);
		struct wafer_run_stats st;
		struct wafer_fault f;
		uint32_t ga, gb, loop;

		ASSERT_NE(NULL, w);
		wb_func(b, "main");
		ga = wb_group(b);
		gb = wb_group(b);
		wb_rect(b, 0, 0, 1, 1, ga);
		wb_rect(b, 1, 0, 1, 1, gb);
		wb_entry(b, 0, ga, 0);
		wb_entry(b, 0, gb, 0);
		wb_route(b, 0, 0, 1, 1, 7, R, EA);
		wb_route(b, 1, 0, 1, 1, 7, WE, R);
		wb_emit(b, ga, I_LI(1, 1));
		wb_emit(b, ga, I_LI(2, 10));
		loop = wb_emit(b, ga, I_SEND(1, 7));
		wb_emit(b, ga, I_ALUI(ADD, 1, 1, 1));
		wb_emit(b, ga, I_BR(BNE, 1, 2, loop));
		wb_emit(b, ga, I_LI(3, 99));
		wb_emit(b, ga, I_SENDC(3, 7, NOP));
		wb_emit(b, ga, I_SEND(1, 7));
		wb_emit(b, ga, I_HALT());
		wb_emit(b, gb, I_LI(1, OUT));
		wb_emit(b, gb, I_LI(2, 5));
		wb_emit(b, gb, I_DMEM(I32, 0, 1, 2, 1));
		wb_emit(b, gb, I_DFAB(I32, 1, 7, 2));
		wb_emit(b, gb, I_V(MOV, I32, 0, 1, 0, 0));
		wb_emit(b, gb, I_LI(5, 20000));
		loop = wb_emit(b, gb, I_ALUI(ADD, 5, 5, (uint32_t)-1));
		wb_emit(b, gb, I_BR(BNE, 5, 0, loop));
		wb_emit(b, gb, I_LI(1, OUT + 20));
		wb_emit(b, gb, I_DMEM(I32, 0, 1, 2, 1));
		wb_emit(b, gb, I_V(MOV, I32, 0, 1, 0, 0));
		wb_emit(b, gb, I_HALT());
		ASSERT_EQ(0, wt_run(w, b, &rg, NULL, 0, &st, &f))
			TH_LOG("%u threads: %s", threads, f.msg);
		for (uint32_t i = 0; i < 10; i++) {
			ASSERT_EQ(i + 1, wt_word(w, &rg, 1, 0, OUT + 4 * i))
				TH_LOG("%u threads, element %u", threads, i);
		}
		if (cycles) {
			ASSERT_EQ(cycles, st.cycles);
		}
		cycles = st.cycles;
		wb_free(b);
		wafer_destroy(w);
	}
}

/*
 * Memory onto the fabric through a router that a switch hands over: the
 * route's earliest departure (rt->min_dep) bounds the first element, the
 * rest follow one a cycle. A sends 100..104 and a SWITCH_ADV, which
 * passes B's router at 23 (wafer-switch.c, producers_take_turns); B's
 * vector send of 200..204 was issued at 3, so its elements leave at 24
 * to 28 (as B's first scalar send there does) and it completes at 28; C
 * takes all ten as they arrive.
 */
TEST(send_waits_for_the_earliest_departure)
{
	struct wafer_rect rg = { 0, 0, 3, 1 };

	for (uint32_t threads = 1; threads <= 4; threads *= 2) {
		struct wafer *w = wt_wafer(3, 1, threads, 4);
		struct wb *b = wb_new(3, 1);
		struct wafer_run_stats st;
		struct wafer_fault f;
		uint32_t ga, gb, gc, loop;

		ASSERT_NE(NULL, w);
		wb_func(b, "main");
		ga = wb_group(b);
		gb = wb_group(b);
		gc = wb_group(b);
		wb_rect(b, 0, 0, 1, 1, ga);
		wb_rect(b, 1, 0, 1, 1, gb);
		wb_rect(b, 2, 0, 1, 1, gc);
		wb_entry(b, 0, ga, 0);
		wb_entry(b, 0, gb, 0);
		wb_entry(b, 0, gc, 0);
		wb_route(b, 0, 0, 1, 1, 3, R, EA);
		wb_route_pos(b, 1, 0, 1, 1, 3, WE, EA, 0);
		wb_route_pos(b, 1, 0, 1, 1, 3, R, EA, 1);
		wb_route(b, 2, 0, 1, 1, 3, WE, R);
		wb_emit(b, ga, I_LI(1, 100));
		wb_emit(b, ga, I_LI(2, 105));
		loop = wb_emit(b, ga, I_SEND(1, 3));
		wb_emit(b, ga, I_ALUI(ADD, 1, 1, 1));
		wb_emit(b, ga, I_BR(BNE, 1, 2, loop));
		wb_emit(b, ga, I_SENDC(0, 3, ADV));
		wb_emit(b, ga, I_HALT());
		for (uint32_t i = 0; i < 5; i++) {
			wb_emit(b, gb, I_LI(1, 200 + i));
			wb_emit(b, gb, I_ST(1, 0, IN + 4 * i));
		}
		wb_emit(b, gb, I_LI(1, IN));
		wb_emit(b, gb, I_LI(2, 5));
		wb_emit(b, gb, I_DMEM(I32, 0, 1, 2, 1));
		wb_emit(b, gb, I_DFAB(I32, 1, 3, 2));
		wb_emit(b, gb, I_V(MOV, I32, 1, 0, 0, 0));
		wb_emit(b, gb, I_CSR(3, ISA_CSR_CYCLES));
		wb_emit(b, gb, I_ST(3, 0, OUT + 0x100));
		wb_emit(b, gb, I_HALT());
		wb_emit(b, gc, I_LI(1, OUT));
		wb_emit(b, gc, I_LI(2, 10));
		wb_emit(b, gc, I_DMEM(I32, 0, 1, 2, 1));
		wb_emit(b, gc, I_DFAB(I32, 1, 3, 2));
		wb_emit(b, gc, I_V(MOV, I32, 0, 1, 0, 0));
		wb_emit(b, gc, I_HALT());
		ASSERT_EQ(0, wt_run(w, b, &rg, NULL, 0, &st, &f))
			TH_LOG("%u threads: %s", threads, f.msg);
		for (uint32_t i = 0; i < 5; i++) {
			ASSERT_EQ(100 + i, wt_word(w, &rg, 2, 0, OUT + 4 * i));
			ASSERT_EQ(200 + i, wt_word(w, &rg, 2, 0, OUT + 20 + 4 * i));
		}
		ASSERT_EQ(28, wt_word(w, &rg, 1, 0, OUT + 0x100))
			TH_LOG("%u threads", threads);
		wb_free(b);
		wafer_destroy(w);
	}
}

TEST_HARNESS_MAIN
