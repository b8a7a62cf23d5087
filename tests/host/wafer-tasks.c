// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wafer-tasks.c - the dataflow PE: data, local and control tasks, their
 * priorities and blocking, async ops on microthreads and what orders
 * them, when a launch ends, and faults reported by modeled time. Every
 * test asserts results and modeled cycles (Documentation/wse/isa.rst,
 * "Tasks" and "Async operations").
 */
#include "kselftest_harness.h"
#include "wafer-test.h"

#define OUT	0x8000
#define BUF	0x4000
#define R	WAFER_PORT_RAMP
#define EA	WAFER_PORT_EAST
#define WE	WAFER_PORT_WEST

#define DATA	WAFER_TASK_DATA
#define LOCAL	WAFER_TASK_LOCAL
#define CTL	WAFER_TASK_CONTROL

FIXTURE(df) {
	struct wafer *w;
	struct wb *b;
	struct wafer_rect rg;
	struct wafer_fault f;
	struct wafer_run_stats st;
	uint32_t g0, g1;
};

/* Two PEs in a row: (0,0) runs g0, (1,0) runs g1; function 0 is "main". */
FIXTURE_SETUP(df)
{
	self->w = wt_wafer(4, 2, 2, 4);
	ASSERT_NE(NULL, self->w);
	self->rg = (struct wafer_rect){ 0, 0, 2, 1 };
	self->b = wb_new(2, 1);
	wb_func(self->b, "main");
	self->g0 = wb_group(self->b);
	self->g1 = wb_group(self->b);
	wb_rect(self->b, 0, 0, 1, 1, self->g0);
	wb_rect(self->b, 1, 0, 1, 1, self->g1);
}

FIXTURE_TEARDOWN(df)
{
	wb_free(self->b);
	wafer_destroy(self->w);
}

#define E0(i)	wb_emit(self->b, self->g0, (i))
#define E1(i)	wb_emit(self->b, self->g1, (i))
#define PC0()	wb_pc(self->b, self->g0)
#define PC1()	wb_pc(self->b, self->g1)
#define RUN()	ASSERT_EQ(0, wt_run(self->w, self->b, &self->rg, NULL, 0, \
				    &self->st, &self->f)) TH_LOG("%s", self->f.msg)
#define WORD(x, a)	wt_word(self->w, &self->rg, x, 0, a)

/* Append r1 to the log at OUT (count in OUT, items after it). */
static void emit_log(struct wb *b, uint32_t g, uint32_t reg)
{
	wb_emit(b, g, I_LD(10, 0, OUT));
	wb_emit(b, g, I_ALUI(ADD, 10, 10, 1));
	wb_emit(b, g, I_ST(10, 0, OUT));
	wb_emit(b, g, I_ALUI(SHL, 11, 10, 2));
	wb_emit(b, g, I_ST(reg, 11, OUT));
}

/*
 * A data task runs once per wavelet, in arrival order, with the payload
 * in r1 and its halves in r2, r3; a PE whose group has only tasks starts
 * idle and the launch ends when it is idle with nothing left to take.
 */
TEST_F(df, data_task_per_wavelet)
{
	uint32_t t;

	wb_route(self->b, 0, 0, 1, 1, 3, R, EA);
	wb_route(self->b, 1, 0, 1, 1, 3, WE, R);
	wb_entry(self->b, 0, self->g0, PC0());
	E0(I_LI(1, 0x00050007));
	E0(I_SEND(1, 3));			/* leaves at 2, arrives 4 */
	E0(I_ALUI(ADD, 1, 1, 0x10001));
	E0(I_SEND(1, 3));			/* 4, arrives 6 */
	E0(I_ALUI(ADD, 1, 1, 0x10001));
	E0(I_SEND(1, 3));			/* 6, arrives 8 */
	E0(I_HALT());
	t = PC1();
	emit_log(self->b, self->g1, 1);		/* 5 cycles */
	E1(I_ST(2, 0, OUT + 0x100));
	E1(I_ST(3, 0, OUT + 0x104));
	E1(I_TRET());				/* 1 */
	wb_task(self->b, self->g1, 7, DATA, 3, 0, 0, t);
	RUN();
	EXPECT_EQ(3, WORD(1, OUT));
	EXPECT_EQ(0x00050007, WORD(1, OUT + 4));
	EXPECT_EQ(0x00060008, WORD(1, OUT + 8));
	EXPECT_EQ(0x00070009, WORD(1, OUT + 12));
	EXPECT_EQ(0x9, WORD(1, OUT + 0x100));
	EXPECT_EQ(0x7, WORD(1, OUT + 0x104));
	/*
	 * Task starts at 4 (arrival) + 2, runs 8: idle at 14; the next
	 * wavelet (6) waited: 14 + 2 + 8 = 24; the last: 34.
	 */
	EXPECT_EQ(34, self->st.cycles);
	EXPECT_EQ(3, self->st.wavelets);
	EXPECT_EQ(0, self->st.wavelets_dropped);
	EXPECT_EQ(7 + 3 * 8, self->st.instructions);
}

/*
 * Local tasks run when activated and unblocked, the highest priority
 * first, the lower id among equals; BLOCK keeps an activated task from
 * running until UNBLOCK.
 */
TEST_F(df, local_priorities_and_blocking)
{
	uint32_t t5, t6, t7, t8;

	wb_entry(self->b, 0, self->g0, PC0());
	E0(I_ACTIVATE(5));
	E0(I_ACTIVATE(8));
	E0(I_ACTIVATE(7));
	E0(I_ACTIVATE(6));
	E0(I_TRET());				/* idle at 5 */
	t5 = PC0();
	E0(I_LI(1, 5));
	emit_log(self->b, self->g0, 1);
	E0(I_UNBLOCK(8));			/* 8 waits for 5 */
	E0(I_TRET());
	t6 = PC0();
	E0(I_LI(1, 6));
	emit_log(self->b, self->g0, 1);
	E0(I_TRET());
	t7 = PC0();
	E0(I_LI(1, 7));
	emit_log(self->b, self->g0, 1);
	E0(I_TRET());
	t8 = PC0();
	E0(I_LI(1, 8));
	emit_log(self->b, self->g0, 1);
	E0(I_CSR(2, ISA_CSR_CYCLES));
	E0(I_ST(2, 0, OUT + 0x100));
	E0(I_CSR(2, ISA_CSR_TASK));
	E0(I_ST(2, 0, OUT + 0x104));
	E0(I_TRET());
	wb_task(self->b, self->g0, 5, LOCAL, 0, 1, 0, t5);
	wb_task(self->b, self->g0, 6, LOCAL, 0, 3, 0, t6);
	wb_task(self->b, self->g0, 7, LOCAL, 0, 1, 0, t7);
	wb_task(self->b, self->g0, 8, LOCAL, 0, 7, WAFER_TASK_BLOCKED, t8);
	RUN();
	/* 6 (prio 3), then 5 and 7 (prio 1: lower id first), 8 once
	 * unblocked, though it has the highest priority. */
	EXPECT_EQ(4, WORD(0, OUT));
	EXPECT_EQ(6, WORD(0, OUT + 4));
	EXPECT_EQ(5, WORD(0, OUT + 8));
	EXPECT_EQ(8, WORD(0, OUT + 12));
	EXPECT_EQ(7, WORD(0, OUT + 16));
	/*
	 * Entry 5; each task 2 to start: 6 runs 7, 5 runs 8, 8 reads the
	 * clock after 6 of its 11, 7 runs 7.
	 */
	EXPECT_EQ(5 + 2 + 7 + 2 + 8 + 2 + 6, WORD(0, OUT + 0x100));
	EXPECT_EQ(8, WORD(0, OUT + 0x104));
	EXPECT_EQ(5 + (2 + 7) + (2 + 8) + (2 + 11) + (2 + 7), self->st.cycles);
}

/*
 * An async op runs on a microthread while the task that issued it goes
 * on; its completion activates a task at the completion time. The main
 * thread, idle meanwhile, starts that task then.
 */
TEST_F(df, async_completion_activates)
{
	uint32_t v[64], t;

	for (int i = 0; i < 64; i++)
		v[i] = 100 + i;
	wb_data(self->b, self->g0, BUF, v, sizeof(v));
	wb_entry(self->b, 0, self->g0, PC0());
	E0(I_LI(1, BUF));
	E0(I_LI(2, 64));
	E0(I_DMEM(I32, 0, 1, 2, 1));
	E0(I_LI(1, BUF + 0x400));
	E0(I_DMEM(I32, 1, 1, 2, 1));		/* 5 cycles so far */
	E0(I_ASYNC(0, ACTIVATE, 9));		/* 6 */
	E0(I_V(MOV, I32, 1, 0, 0, 0));		/* issued at 8: done 8 + 64 */
	E0(I_CSR(3, ISA_CSR_CYCLES));		/* 8: the task went on */
	E0(I_ST(3, 0, OUT));
	E0(I_TRET());				/* idle at 11 */
	t = PC0();
	E0(I_CSR(3, ISA_CSR_CYCLES));
	E0(I_ST(3, 0, OUT + 4));
	E0(I_LD(4, 0, BUF + 0x400 + 63 * 4));
	E0(I_ST(4, 0, OUT + 8));
	E0(I_TRET());
	wb_task(self->b, self->g0, 9, LOCAL, 0, 0, 0, t);
	RUN();
	EXPECT_EQ(8, WORD(0, OUT));
	EXPECT_EQ(72 + 2, WORD(0, OUT + 4));	/* completion + dispatch */
	EXPECT_EQ(163, WORD(0, OUT + 8));
	EXPECT_EQ(72 + 2 + 5, self->st.cycles);
}

/*
 * A load of SRAM an async op in flight writes waits for its completion
 * and sees its result; a store to what it reads waits too; other
 * addresses go on at once.
 */
TEST_F(df, async_footprint_orders_sram)
{
	uint32_t v[32];

	for (int i = 0; i < 32; i++)
		v[i] = i * 3;
	wb_data(self->b, self->g0, BUF, v, sizeof(v));
	wb_entry(self->b, 0, self->g0, PC0());
	E0(I_LI(1, BUF));
	E0(I_LI(2, 32));
	E0(I_DMEM(I32, 0, 1, 2, 1));
	E0(I_LI(1, BUF + 0x200));
	E0(I_DMEM(I32, 1, 1, 2, 1));		/* 5 */
	E0(I_ASYNC(2, NONE, 0));		/* 6 */
	E0(I_VSI(ADD, I32, 1, 0, 1000));	/* issued 8, done 40 */
	E0(I_LD(5, 0, OUT + 0x40));		/* 9: not in its footprint */
	E0(I_CSR(6, ISA_CSR_CYCLES));		/* 9 */
	E0(I_LD(7, 0, BUF + 0x200 + 31 * 4));	/* waits: 40, then 41 */
	E0(I_CSR(8, ISA_CSR_CYCLES));		/* 41 */
	E0(I_ST(6, 0, OUT));
	E0(I_ST(7, 0, OUT + 4));
	E0(I_ST(8, 0, OUT + 8));
	E0(I_HALT());				/* 45 -> 46 */
	RUN();
	EXPECT_EQ(9, WORD(0, OUT));
	EXPECT_EQ(1093, WORD(0, OUT + 4));
	EXPECT_EQ(41, WORD(0, OUT + 8));
	EXPECT_EQ(46, self->st.cycles);
}

/*
 * Footprints of strided walks are rows, not their bounding range: a
 * store into column 1 of a tile goes on while an async op writes column
 * 0; a store into column 0 waits for it; an async op on column 2 runs
 * beside it.
 */
TEST_F(df, strided_footprints)
{
	wb_entry(self->b, 0, self->g0, PC0());
	E0(I_LI(1, BUF));
	E0(I_LI(2, 32));
	E0(I_DMEM(I32, 0, 1, 2, 8));		/* column 0 of 32 x 8 */
	E0(I_LI(1, BUF + 8));
	E0(I_DMEM(I32, 1, 1, 2, 8));		/* column 2; 5 cycles */
	E0(I_LI(3, 5));				/* 6 */
	E0(I_ASYNC(0, NONE, 0));		/* 7 */
	E0(I_V(FILL, I32, 0, 3, 0, 0));		/* 9, done 41 */
	E0(I_ASYNC(1, NONE, 0));		/* 10 */
	E0(I_V(FILL, I32, 1, 3, 0, 0));		/* 12, done 44 */
	E0(I_LI(4, 77));			/* 13 */
	E0(I_ST(4, 0, BUF + 5 * 32 + 4));	/* column 1: 14 */
	E0(I_CSR(5, ISA_CSR_CYCLES));		/* 14 */
	E0(I_ST(4, 0, BUF + 5 * 32));		/* column 0: waits, 42 */
	E0(I_CSR(6, ISA_CSR_CYCLES));		/* 42 */
	E0(I_ST(5, 0, OUT));
	E0(I_ST(6, 0, OUT + 4));
	E0(I_TRET());
	RUN();
	EXPECT_EQ(14, WORD(0, OUT));
	EXPECT_EQ(42, WORD(0, OUT + 4));
	EXPECT_EQ(77, WORD(0, BUF + 5 * 32));
	EXPECT_EQ(77, WORD(0, BUF + 5 * 32 + 4));
	EXPECT_EQ(5, WORD(0, BUF + 6 * 32));
	EXPECT_EQ(5, WORD(0, BUF + 31 * 32 + 8));
	EXPECT_EQ(46, self->st.cycles);
}

/*
 * One op per microthread: a second issue to a busy one stalls the main
 * thread until the first completes. Ops that overlap in SRAM run one
 * after the other, in issue order; ops that do not, side by side.
 */
TEST_F(df, microthreads_busy_and_conflicts)
{
	wb_entry(self->b, 0, self->g0, PC0());
	E0(I_LI(1, BUF));
	E0(I_LI(2, 100));
	E0(I_DMEM(I32, 0, 1, 2, 1));		/* 3 */
	E0(I_LI(1, BUF + 0x400));
	E0(I_DMEM(I32, 1, 1, 2, 1));		/* 5 */
	E0(I_LI(3, 7));
	E0(I_LI(4, 9));				/* 7 */
	E0(I_ASYNC(0, NONE, 0));
	E0(I_V(FILL, I32, 0, 3, 0, 0));		/* 8..10, done 110 */
	E0(I_ASYNC(1, NONE, 0));
	E0(I_V(FILL, I32, 1, 4, 0, 0));		/* 11..13, done 113 */
	E0(I_ASYNC(0, NONE, 0));		/* 14, waits for ut0: 110 */
	E0(I_V(FILL, I32, 0, 4, 0, 0));		/* 112, d0 = 9 after d0 = 7 */
	E0(I_CSR(5, ISA_CSR_CYCLES));		/* 112 */
	E0(I_ST(5, 0, OUT));
	E0(I_TRET());				/* ops done at 212 */
	RUN();
	EXPECT_EQ(112, WORD(0, OUT));
	EXPECT_EQ(9, WORD(0, BUF));
	EXPECT_EQ(9, WORD(0, BUF + 99 * 4));
	EXPECT_EQ(9, WORD(0, BUF + 0x400));
	EXPECT_EQ(212, self->st.cycles);
}

/*
 * Send and receive at once: each PE sends 40 wavelets to the other and
 * receives 40 with 4-deep queues. As blocking ops this deadlocks; as
 * async ops it completes, and a task sees both done.
 */
static void halo_pair(struct wb *b, uint32_t g, int async, uint32_t cout,
		      uint32_t cin)
{
	uint32_t t;

	wb_emit(b, g, I_LI(1, BUF));
	wb_emit(b, g, I_LI(2, 40));
	wb_emit(b, g, I_DMEM(I32, 0, 1, 2, 1));	/* what it sends */
	wb_emit(b, g, I_LI(1, BUF + 0x400));
	wb_emit(b, g, I_DMEM(I32, 1, 1, 2, 1));	/* where it receives */
	wb_emit(b, g, I_DFAB(I32, 2, cout, 2));
	wb_emit(b, g, I_DFAB(I32, 3, cin, 2));
	if (async) {
		wb_emit(b, g, I_ASYNC(0, UNBLOCK, 12));
		wb_emit(b, g, I_V(MOV, I32, 2, 0, 0, 0));
		wb_emit(b, g, I_ASYNC(1, ACTIVATE, 12));
		wb_emit(b, g, I_V(MOV, I32, 1, 3, 0, 0));
		wb_emit(b, g, I_TRET());
		t = wb_pc(b, g);
		wb_emit(b, g, I_CSR(5, ISA_CSR_CYCLES));
		wb_emit(b, g, I_ST(5, 0, OUT));
		wb_emit(b, g, I_TRET());
		wb_task(b, g, 12, LOCAL, 0, 0, WAFER_TASK_BLOCKED, t);
	} else {
		wb_emit(b, g, I_V(MOV, I32, 2, 0, 0, 0));
		wb_emit(b, g, I_V(MOV, I32, 1, 3, 0, 0));
		wb_emit(b, g, I_HALT());
	}
}

static struct wb *halo_kernel(int async)
{
	struct wb *b = wb_new(2, 1);
	uint32_t g0, g1, v[40];

	wb_func(b, "main");
	g0 = wb_group(b);
	g1 = wb_group(b);
	wb_rect(b, 0, 0, 1, 1, g0);
	wb_rect(b, 1, 0, 1, 1, g1);
	wb_entry(b, 0, g0, 0);
	wb_entry(b, 0, g1, 0);
	/* (0,0) sends on 1 east and hears 2; (1,0) the other way round. */
	wb_route(b, 0, 0, 1, 1, 1, R, EA);
	wb_route(b, 1, 0, 1, 1, 1, WE, R);
	wb_route(b, 1, 0, 1, 1, 2, R, WE);
	wb_route(b, 0, 0, 1, 1, 2, EA, R);
	for (int i = 0; i < 40; i++)
		v[i] = 1000 + i;
	wb_data(b, g0, BUF, v, sizeof(v));
	for (int i = 0; i < 40; i++)
		v[i] = 2000 + i;
	wb_data(b, g1, BUF, v, sizeof(v));
	halo_pair(b, g0, async, 1, 2);
	halo_pair(b, g1, async, 2, 1);
	return b;
}

TEST(halo_pair_async_not_sync)
{
	struct wafer_rect rg = { 0, 0, 2, 1 };
	struct wafer_run_stats st;
	struct wafer_fault f;

	for (uint32_t threads = 1; threads <= 2; threads++) {
		struct wafer *w = wt_wafer(2, 1, threads, 4);
		struct wb *b;

		ASSERT_NE(NULL, w);
		b = halo_kernel(0);
		EXPECT_EQ(-EDEADLK, wt_run(w, b, &rg, NULL, 0, &st, &f));
		EXPECT_EQ(WAFER_ERR_DEADLOCK, f.status) TH_LOG("%s", f.msg);
		wb_free(b);
		b = halo_kernel(1);
		ASSERT_EQ(0, wt_run(w, b, &rg, NULL, 0, &st, &f)) TH_LOG("%s", f.msg);
		for (int i = 0; i < 40; i++) {
			ASSERT_EQ(2000 + i, wt_word(w, &rg, 0, 0, BUF + 0x400 + 4 * i));
			ASSERT_EQ(1000 + i, wt_word(w, &rg, 1, 0, BUF + 0x400 + 4 * i));
		}
		/*
		 * Sends start at 10 (element j leaves at 11 + j, back-
		 * pressure never bites), receives at 13: element j
		 * arrives at 13 + j and is taken at 14 + j. The receive
		 * completes last, at 53; the task starts at 55 and runs 3.
		 */
		EXPECT_EQ(55, wt_word(w, &rg, 0, 0, OUT));
		EXPECT_EQ(55, wt_word(w, &rg, 1, 0, OUT));
		EXPECT_EQ(58, st.cycles);
		wb_free(b);
		wafer_destroy(w);
	}
}

/*
 * A fault ends the run at its modeled time: cycles is that time, not how
 * far other PEs ran on in host time, and the earliest fault wins however
 * the threads interleave (the fault of (1,0) at cycle 40 beats the one
 * of (0,0) at 3000, which a spinning PE would reach first in host time).
 */
static struct wb *k_two_faults(void)
{
	struct wb *b = wb_new(3, 1);
	uint32_t g0, g1, g2, loop;

	wb_func(b, "main");
	g0 = wb_group(b);
	g1 = wb_group(b);
	g2 = wb_group(b);
	wb_rect(b, 0, 0, 1, 1, g0);
	wb_rect(b, 1, 0, 1, 1, g1);
	wb_rect(b, 2, 0, 1, 1, g2);
	wb_entry(b, 0, g0, 0);
	wb_entry(b, 0, g1, 0);
	wb_entry(b, 0, g2, 0);
	/* (0,0): 999 iterations of 3 cycles, then an illegal word. */
	wb_emit(b, g0, I_LI(1, 999));
	loop = wb_emit(b, g0, I_ALUI(ADD, 1, 1, (uint32_t)-1));
	wb_emit(b, g0, I_BR(BNE, 1, 0, loop));
	wb_emit_raw(b, g0, 0x0e);
	/* (1,0): a short loop, then a load out of range at cycle 40. */
	wb_emit(b, g1, I_LI(1, 13));
	loop = wb_emit(b, g1, I_ALUI(ADD, 1, 1, (uint32_t)-1));
	wb_emit(b, g1, I_BR(BNE, 1, 0, loop));
	wb_emit(b, g1, I_LI(2, 0x100000));
	wb_emit(b, g1, I_LD(3, 2, 0));
	/* (2,0): spins for ever. */
	wb_emit(b, g2, I_JMP(0));
	return b;
}

TEST(fault_time_is_deterministic)
{
	struct wafer_rect rg = { 0, 0, 3, 1 };

	for (uint32_t threads = 1; threads <= 4; threads++) {
		struct wafer *w = wt_wafer(3, 1, threads, 0);
		struct wafer_run_stats st;
		struct wafer_fault f;
		struct wb *b = k_two_faults();

		ASSERT_NE(NULL, w);
		for (int rep = 0; rep < 20; rep++) {
			ASSERT_EQ(-EIO, wt_run(w, b, &rg, NULL, 0, &st, &f));
			ASSERT_EQ(WAFER_ERR_SRAM_RANGE, f.status) TH_LOG("%s", f.msg);
			ASSERT_STREQ("PE (1,0) pc 0x20: SRAM read of 4 bytes at 0x100000 out of range",
				     f.msg);
			/* 1 + 13 * 3 - 1 (the last branch falls through) + 1 */
			ASSERT_EQ(40, st.cycles);
		}
		wb_free(b);
		wafer_destroy(w);
	}
}

/*
 * Two producers feeding one queue through a router that merges two
 * ports: the one whose first wavelet left later in modeled time is named,
 * whichever of them the host ran first (it used to depend on timing).
 */
TEST(two_producers_named_by_modeled_time)
{
	struct wafer_rect rg = { 0, 0, 3, 1 };
	struct wb *b = wb_new(3, 1);
	uint32_t g0, g1, g2;
	struct wafer *w;

	wb_func(b, "main");
	g0 = wb_group(b);
	g1 = wb_group(b);
	g2 = wb_group(b);
	wb_rect(b, 0, 0, 1, 1, g0);
	wb_rect(b, 1, 0, 1, 1, g1);
	wb_rect(b, 2, 0, 1, 1, g2);
	wb_entry(b, 0, g0, 0);
	wb_entry(b, 0, g1, 0);
	wb_entry(b, 0, g2, 0);
	wb_route(b, 0, 0, 1, 1, 5, R, EA);
	wb_route(b, 1, 0, 1, 1, 5, WE | R, EA);
	wb_route(b, 2, 0, 1, 1, 5, WE, R);
	/* (0,0) sends at cycle 30, (1,0) at 1; (2,0) does nothing. */
	for (int i = 0; i < 29; i++)
		wb_emit(b, g0, I_NOP());
	wb_emit(b, g0, I_SEND(0, 5));
	wb_emit(b, g0, I_HALT());
	wb_emit(b, g1, I_SEND(0, 5));
	wb_emit(b, g1, I_HALT());
	wb_emit(b, g2, I_HALT());
	w = wt_wafer(3, 1, 2, 0);
	ASSERT_NE(NULL, w);
	for (int rep = 0; rep < 300; rep++) {
		struct wafer_run_stats st;
		struct wafer_fault f;

		ASSERT_EQ(-EIO, wt_run(w, b, &rg, NULL, 0, &st, &f));
		ASSERT_STREQ("PE (0,0) pc 0xe8: send on color 5 reaches PE (2,0), which already receives color 5 from PE (1,0): one producer per queue",
			     f.msg);
		ASSERT_EQ(30, st.cycles);
	}
	wafer_destroy(w);
	wb_free(b);
}

/* An async receive that waits for ever is a deadlock naming it. */
TEST_F(df, async_deadlock_report)
{
	wb_route(self->b, 0, 0, 1, 1, 4, EA, R);
	wb_route(self->b, 1, 0, 1, 1, 4, R, WE);
	wb_entry(self->b, 0, self->g0, PC0());
	E0(I_LI(2, 3));
	E0(I_DFAB(I32, 5, 4, 2));
	E0(I_LI(1, BUF));
	E0(I_DMEM(I32, 6, 1, 2, 1));
	E0(I_ASYNC(3, ACTIVATE, 2));
	E0(I_V(MOV, I32, 6, 5, 0, 0));
	E0(I_TRET());
	wb_entry(self->b, 0, self->g1, PC1());
	E1(I_LI(1, 77));
	E1(I_SEND(1, 4));			/* one of three */
	E1(I_HALT());
	EXPECT_EQ(-EDEADLK, wt_run(self->w, self->b, &self->rg, NULL, 0,
				   &self->st, &self->f));
	EXPECT_STREQ("PE (0,0) pc 0x28: deadlock, 1 PEs blocked: (0,0) ut3 recv c4",
		     self->f.msg);
	EXPECT_EQ(77, WORD(0, BUF));
}

/*
 * The launch ends when nothing can happen: wavelets that reach a PE with
 * no task for them are dropped and counted.
 */
TEST_F(df, quiescence_drops_untaken_wavelets)
{
	uint32_t t;

	wb_route(self->b, 0, 0, 1, 1, 3, R, EA);
	wb_route(self->b, 1, 0, 1, 1, 3, WE, R);
	wb_entry(self->b, 0, self->g0, PC0());
	E0(I_LI(1, 1));
	E0(I_SEND(1, 3));
	E0(I_SEND(1, 3));
	E0(I_SEND(1, 3));
	E0(I_TRET());
	/* (1,0) only has a local task nobody activates. */
	t = PC1();
	E1(I_TRET());
	wb_task(self->b, self->g1, 1, LOCAL, 0, 0, 0, t);
	RUN();
	EXPECT_EQ(3, self->st.wavelets);
	EXPECT_EQ(3, self->st.wavelets_dropped);
	EXPECT_EQ(5, self->st.cycles);
}

/*
 * BLOCK is ordered against completions that unblock the same task by
 * modeled time: an unblock at 30 comes after a block at 10 (the task
 * runs), one at 6 before a block at 10 (it does not).
 */
static void block_race(struct wb *b, uint32_t g, uint32_t n)
{
	uint32_t t;

	wb_emit(b, g, I_LI(1, BUF));
	wb_emit(b, g, I_LI(2, n));
	wb_emit(b, g, I_DMEM(I32, 0, 1, 2, 1));	/* 3 */
	wb_emit(b, g, I_ACTIVATE(20));		/* 4 */
	wb_emit(b, g, I_ASYNC(0, UNBLOCK, 20));	/* 5 */
	wb_emit(b, g, I_V(FILL, I32, 0, 0, 0, 0));	/* 7; done 7 + n */
	wb_emit(b, g, I_NOP());
	wb_emit(b, g, I_NOP());
	wb_emit(b, g, I_BLOCK(20));		/* at 9 */
	wb_emit(b, g, I_TRET());
	t = wb_pc(b, g);
	wb_emit(b, g, I_LI(1, 1));
	wb_emit(b, g, I_ST(1, 0, OUT));
	wb_emit(b, g, I_TRET());
	wb_task(b, g, 20, LOCAL, 0, 0, 0, t);
}

TEST_F(df, block_ordered_with_unblock)
{
	wb_entry(self->b, 0, self->g0, 0);
	wb_entry(self->b, 0, self->g1, 0);
	block_race(self->b, self->g0, 23);	/* unblock at 30 */
	block_race(self->b, self->g1, 1);	/* unblock at 8 */
	RUN();
	EXPECT_EQ(1, WORD(0, OUT));
	EXPECT_EQ(0, WORD(1, OUT));
	/* (0,0): idle at 11, the op completes at 30, task 20 32..35 */
	EXPECT_EQ(35, self->st.cycles);
}

TEST_HARNESS_MAIN
