// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wafer-switch.c - router switch positions, control wavelets (NOP,
 * SWITCH_ADV, SWITCH_RST, TEARDOWN), control and teardown tasks: who
 * feeds a queue when, results, cycles, and the same outcome at any thread
 * count.
 */
#include "kselftest_harness.h"
#include "wafer-test.h"

#define OUT	0x8000
#define R	WAFER_PORT_RAMP
#define EA	WAFER_PORT_EAST
#define WE	WAFER_PORT_WEST
#define NO	WAFER_PORT_NORTH

/* C records what it receives: value and cycle, pairs at OUT + 8 * i. */
static void recv_log(struct wb *b, uint32_t g, uint32_t color, uint32_t n)
{
	uint32_t loop;

	wb_emit(b, g, I_LI(5, n));
	wb_emit(b, g, I_LI(6, OUT));
	loop = wb_emit(b, g, I_RECV(1, color));
	wb_emit(b, g, I_CSR(2, ISA_CSR_CYCLES));
	wb_emit(b, g, I_ST(1, 6, 0));
	wb_emit(b, g, I_ST(2, 6, 4));
	wb_emit(b, g, I_ALUI(ADD, 6, 6, 8));
	wb_emit(b, g, I_ALUI(ADD, 5, 5, (uint32_t)-1));
	wb_emit(b, g, I_BR(BNE, 5, 0, loop));
	wb_emit(b, g, I_HALT());
}

/* n sends of base, base + 1, ... on color, then a control wavelet. */
static void send_run(struct wb *b, uint32_t g, uint32_t color, uint32_t base,
		     uint32_t n, struct isa_insn ctl)
{
	uint32_t loop;

	wb_emit(b, g, I_LI(1, base));
	wb_emit(b, g, I_LI(2, base + n));
	loop = wb_emit(b, g, I_SEND(1, color));
	wb_emit(b, g, I_ALUI(ADD, 1, 1, 1));
	wb_emit(b, g, I_BR(BNE, 1, 2, loop));
	wb_emit(b, g, ctl);
}

/*
 * Two producers take turns on one queue: B's router takes A's stream
 * from the WEST in position 0 and B's own from RAMP in position 1. A's
 * SWITCH_ADV moves it (B sends from then on), B's SWITCH_RST moves it
 * back. The queue of C gets A's five, then B's five, whatever the host
 * runs first; B's first wavelet leaves after the switch.
 */
static struct wb *k_turns(bool vector_c)
{
	struct wb *b = wb_new(3, 1);
	uint32_t ga, gb, gc;

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
	send_run(b, ga, 3, 100, 5, I_SENDC(0, 3, ADV));
	wb_emit(b, ga, I_HALT());
	send_run(b, gb, 3, 200, 5, I_SENDC(0, 3, RST));
	wb_emit(b, gb, I_HALT());
	if (!vector_c) {
		recv_log(b, gc, 3, 10);
		return b;
	}
	/* C takes each wavelet as it arrives (1 cycle an element). */
	wb_emit(b, gc, I_LI(1, OUT));
	wb_emit(b, gc, I_LI(2, 10));
	wb_emit(b, gc, I_DMEM(I32, 0, 1, 2, 1));
	wb_emit(b, gc, I_DFAB(I32, 1, 3, 2));
	wb_emit(b, gc, I_V(MOV, I32, 0, 1, 0, 0));
	wb_emit(b, gc, I_CSR(3, ISA_CSR_CYCLES));
	wb_emit(b, gc, I_ST(3, 0, OUT + 0x100));
	wb_emit(b, gc, I_HALT());
	return b;
}

TEST(producers_take_turns)
{
	struct wafer_rect rg = { 0, 0, 3, 1 };
	uint64_t cycles = 0;

	for (uint32_t threads = 1; threads <= 4; threads++) {
		struct wafer *w = wt_wafer(3, 1, threads, 4);
		struct wb *b = k_turns(false);

		ASSERT_NE(NULL, w);
		for (int rep = 0; rep < 10; rep++) {
			struct wafer_run_stats st;
			struct wafer_fault f;

			ASSERT_EQ(0, wt_run(w, b, &rg, NULL, 0, &st, &f))
				TH_LOG("%u threads, run %d: %s", threads, rep, f.msg);
			for (uint32_t i = 0; i < 5; i++) {
				ASSERT_EQ(100 + i, wt_word(w, &rg, 2, 0, OUT + 8 * i));
				ASSERT_EQ(200 + i, wt_word(w, &rg, 2, 0, OUT + 40 + 8 * i));
			}
			/*
			 * A's sends leave at 3, 7, ... 19, the ADV at 22; it
			 * passes B's router at 23, B's first wavelet leaves
			 * at 24 and reaches C at 26. C takes one every 8
			 * cycles from 6 (its loop): B's first at 46.
			 */
			ASSERT_EQ(6, wt_word(w, &rg, 2, 0, OUT + 4));
			ASSERT_EQ(38, wt_word(w, &rg, 2, 0, OUT + 36));
			ASSERT_EQ(46, wt_word(w, &rg, 2, 0, OUT + 44));
			if (cycles) {
				ASSERT_EQ(cycles, st.cycles);
			}
			cycles = st.cycles;
			/* 10 data and the control wavelet of A reach C */
			ASSERT_EQ(12, st.wavelets);
		}
		wb_free(b);
		wafer_destroy(w);
	}
}

/*
 * The switch time orders the streams in modeled time: with C taking each
 * wavelet as it arrives, B's five arrive 26, 30, ... 42 (B was ready at
 * 3, but its router took RAMP only after the ADV passed it at 23).
 */
TEST(switch_time_paces_the_next_producer)
{
	struct wafer_rect rg = { 0, 0, 3, 1 };

	for (uint32_t threads = 1; threads <= 2; threads++) {
		struct wafer *w = wt_wafer(3, 1, threads, 8);
		struct wb *b = k_turns(true);
		struct wafer_run_stats st;
		struct wafer_fault f;

		ASSERT_NE(NULL, w);
		ASSERT_EQ(0, wt_run(w, b, &rg, NULL, 0, &st, &f)) TH_LOG("%s", f.msg);
		for (uint32_t i = 0; i < 5; i++) {
			ASSERT_EQ(100 + i, wt_word(w, &rg, 2, 0, OUT + 4 * i));
			ASSERT_EQ(200 + i, wt_word(w, &rg, 2, 0, OUT + 20 + 4 * i));
		}
		/* C's last element at 42; csr, st, halt: 45 */
		EXPECT_EQ(42, wt_word(w, &rg, 2, 0, OUT + 0x100));
		EXPECT_EQ(45, st.cycles);
		wb_free(b);
		wafer_destroy(w);
	}
}

/*
 * Without a ring, SWITCH_ADV past the last position stays there; with
 * one it wraps to position 0. A router with three positions forwards
 * to C only in position 2: two ADVs (non-ring) or five (ring: 0 1 2 0 1
 * 2) put it there.
 */
static struct wb *k_ring(bool ring, unsigned int advs)
{
	struct wb *b = wb_new(3, 1);
	uint32_t ga, gb, gc;

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
	wb_route_pos(b, 1, 0, 1, 1, 3, WE, R, 0);	/* B takes it */
	wb_route_pos(b, 1, 0, 1, 1, 3, WE, R, 1);
	wb_route_pos(b, 1, 0, 1, 1, 3, WE, EA, 2);	/* C takes it */
	wb_route(b, 2, 0, 1, 1, 3, WE, R);
	if (ring)
		wb_switch(b, 1, 0, 1, 1, 3, WAFER_SWITCH_RING);
	for (unsigned int i = 0; i < advs; i++)
		wb_emit(b, ga, I_SENDC(0, 3, ADV));
	wb_emit(b, ga, I_LI(1, 55));
	wb_emit(b, ga, I_SEND(1, 3));
	wb_emit(b, ga, I_HALT());
	wb_emit(b, gb, I_HALT());
	wb_emit(b, gc, I_RECV(1, 3));
	wb_emit(b, gc, I_ST(1, 0, OUT));
	wb_emit(b, gc, I_HALT());
	return b;
}

TEST(switch_ring_mode)
{
	struct wafer_rect rg = { 0, 0, 3, 1 };
	struct wafer *w = wt_wafer(3, 1, 2, 8);
	struct wafer_run_stats st;
	struct wafer_fault f;
	struct wb *b;

	ASSERT_NE(NULL, w);
	b = k_ring(false, 5);	/* 0 1 2 2 2 2 */
	ASSERT_EQ(0, wt_run(w, b, &rg, NULL, 0, &st, &f)) TH_LOG("%s", f.msg);
	EXPECT_EQ(55, wt_word(w, &rg, 2, 0, OUT));
	wb_free(b);
	b = k_ring(true, 5);	/* 0 1 2 0 1 2 */
	ASSERT_EQ(0, wt_run(w, b, &rg, NULL, 0, &st, &f)) TH_LOG("%s", f.msg);
	EXPECT_EQ(55, wt_word(w, &rg, 2, 0, OUT));
	wb_free(b);
	b = k_ring(true, 3);	/* 0 1 2 0: B takes it, C waits for ever */
	EXPECT_EQ(-EDEADLK, wt_run(w, b, &rg, NULL, 0, &st, &f));
	EXPECT_STREQ("PE (2,0) pc 0x0: deadlock, 1 PEs blocked: (2,0) recv c3", f.msg);
	wb_free(b);
	wafer_destroy(w);
}

/*
 * A control wavelet runs the receiver's control task, with the payload
 * in r1 and the command in r2; one taken by a RECV on the way activates
 * the task once the RECV has passed it.
 */
TEST(control_task)
{
	struct wafer_rect rg = { 0, 0, 2, 1 };
	struct wafer *w = wt_wafer(2, 1, 2, 8);
	struct wb *b = wb_new(2, 1);
	struct wafer_run_stats st;
	struct wafer_fault f;
	uint32_t ga, gb, t;

	ASSERT_NE(NULL, w);
	wb_func(b, "main");
	ga = wb_group(b);
	gb = wb_group(b);
	wb_rect(b, 0, 0, 1, 1, ga);
	wb_rect(b, 1, 0, 1, 1, gb);
	wb_entry(b, 0, ga, 0);
	wb_entry(b, 0, gb, 0);
	wb_route(b, 0, 0, 1, 1, 6, R, EA);
	wb_route(b, 1, 0, 1, 1, 6, WE, R);
	wb_route(b, 0, 0, 1, 1, 7, R, EA);
	wb_route(b, 1, 0, 1, 1, 7, WE, R);
	/* A: a control wavelet (payload 42) on 6, then data 9, a NOP
	 * control (payload 43) and data 10 on 7. */
	wb_emit(b, ga, I_LI(1, 42));
	wb_emit(b, ga, I_SENDC(1, 6, NOP));		/* leaves 2, arrives 4 */
	wb_emit(b, ga, I_LI(1, 9));
	wb_emit(b, ga, I_SEND(1, 7));
	wb_emit(b, ga, I_LI(1, 43));
	wb_emit(b, ga, I_SENDC(1, 7, NOP));
	wb_emit(b, ga, I_LI(1, 10));
	wb_emit(b, ga, I_SEND(1, 7));
	wb_emit(b, ga, I_HALT());
	/* B: two RECVs on 7 (they skip the control wavelet), then tret. */
	wb_emit(b, gb, I_RECV(3, 7));
	wb_emit(b, gb, I_RECV(4, 7));
	wb_emit(b, gb, I_ST(3, 0, OUT));
	wb_emit(b, gb, I_ST(4, 0, OUT + 4));
	wb_emit(b, gb, I_TRET());
	t = wb_pc(b, gb);
	wb_emit(b, gb, I_LD(5, 0, OUT + 0x10));
	wb_emit(b, gb, I_ALUI(ADD, 5, 5, 1));
	wb_emit(b, gb, I_ST(5, 0, OUT + 0x10));
	wb_emit(b, gb, I_ALUI(SHL, 6, 5, 3));
	wb_emit(b, gb, I_ST(1, 6, OUT + 0x10));
	wb_emit(b, gb, I_ST(2, 6, OUT + 0x14));
	wb_emit(b, gb, I_CSR(2, ISA_CSR_CYCLES));
	wb_emit(b, gb, I_ST(2, 6, OUT + 0x40));
	wb_emit(b, gb, I_TRET());
	wb_task(b, gb, 3, WAFER_TASK_CONTROL, 6, 0, 0, t);
	wb_task(b, gb, 4, WAFER_TASK_CONTROL, 7, 0, 0, t);
	ASSERT_EQ(0, wt_run(w, b, &rg, NULL, 0, &st, &f)) TH_LOG("%s", f.msg);
	EXPECT_EQ(9, wt_word(w, &rg, 1, 0, OUT));
	EXPECT_EQ(10, wt_word(w, &rg, 1, 0, OUT + 4));
	EXPECT_EQ(2, wt_word(w, &rg, 1, 0, OUT + 0x10));
	/* The queue-head control wavelet ran first with its payload. */
	EXPECT_EQ(42, wt_word(w, &rg, 1, 0, OUT + 0x18));
	EXPECT_EQ(ISA_CTL_NOP, wt_word(w, &rg, 1, 0, OUT + 0x1c));
	/* The one RECV took: the task ran, from its activation. */
	EXPECT_EQ(0, st.wavelets_dropped);
	wb_free(b);
	wafer_destroy(w);
}

/*
 * TEARDOWN tears the color down at the routers that deliver it and runs
 * task 29 there with the color in r1; B picks position 1 (which also
 * forwards to C) and leaves teardown. A's wavelets after it wait at B's
 * router meanwhile and then reach both B and C.
 */
static struct wb *k_teardown(void)
{
	struct wb *b = wb_new(3, 1);
	uint32_t ga, gb, gc, t;

	wb_func(b, "main");
	ga = wb_group(b);
	gb = wb_group(b);
	gc = wb_group(b);
	wb_rect(b, 0, 0, 1, 1, ga);
	wb_rect(b, 1, 0, 1, 1, gb);
	wb_rect(b, 2, 0, 1, 1, gc);
	wb_entry(b, 0, ga, 0);
	wb_entry(b, 0, gc, 0);
	wb_route(b, 0, 0, 1, 1, 3, R, EA);
	wb_route_pos(b, 1, 0, 1, 1, 3, WE, R, 0);
	wb_route_pos(b, 1, 0, 1, 1, 3, WE, R | EA, 1);
	wb_route(b, 2, 0, 1, 1, 3, WE, R);
	wb_emit(b, ga, I_LI(1, 7));
	wb_emit(b, ga, I_SEND(1, 3));			/* to B only */
	wb_emit(b, ga, I_SENDC(0, 3, TEARDOWN));
	wb_emit(b, ga, I_LI(1, 8));
	wb_emit(b, ga, I_SEND(1, 3));			/* waits for B */
	wb_emit(b, ga, I_HALT());
	/* B: a data task logs; task 29 reconfigures and leaves teardown. */
	t = wb_pc(b, gb);
	wb_emit(b, gb, I_LD(5, 0, OUT));
	wb_emit(b, gb, I_ALUI(ADD, 5, 5, 1));
	wb_emit(b, gb, I_ST(5, 0, OUT));
	wb_emit(b, gb, I_ALUI(SHL, 6, 5, 2));
	wb_emit(b, gb, I_ST(1, 6, OUT));
	wb_emit(b, gb, I_TRET());
	wb_task(b, gb, 1, WAFER_TASK_DATA, 3, 0, 0, t);
	t = wb_pc(b, gb);
	wb_emit(b, gb, I_ST(1, 0, OUT + 0x40));
	wb_emit(b, gb, I_SWSET(3, 1));
	wb_emit(b, gb, I_CSR(2, ISA_CSR_CYCLES));
	wb_emit(b, gb, I_ST(2, 0, OUT + 0x44));
	wb_emit(b, gb, I_TDEXIT(3));
	wb_emit(b, gb, I_TRET());
	wb_task(b, gb, 29, WAFER_TASK_LOCAL, 0, 0, 0, t);
	wb_emit(b, gc, I_RECV(1, 3));
	wb_emit(b, gc, I_CSR(2, ISA_CSR_CYCLES));
	wb_emit(b, gc, I_ST(1, 0, OUT));
	wb_emit(b, gc, I_ST(2, 0, OUT + 4));
	wb_emit(b, gc, I_HALT());
	return b;
}

TEST(teardown_reconfigures)
{
	struct wafer_rect rg = { 0, 0, 3, 1 };

	for (uint32_t threads = 1; threads <= 4; threads += 3) {
		struct wafer *w = wt_wafer(3, 1, threads, 8);
		struct wb *b = k_teardown();
		struct wafer_run_stats st;
		struct wafer_fault f;

		ASSERT_NE(NULL, w);
		ASSERT_EQ(0, wt_run(w, b, &rg, NULL, 0, &st, &f)) TH_LOG("%s", f.msg);
		EXPECT_EQ(2, wt_word(w, &rg, 1, 0, OUT));
		EXPECT_EQ(7, wt_word(w, &rg, 1, 0, OUT + 4));
		EXPECT_EQ(8, wt_word(w, &rg, 1, 0, OUT + 8));
		EXPECT_EQ(3, wt_word(w, &rg, 1, 0, OUT + 0x40));	/* the color */
		EXPECT_EQ(8, wt_word(w, &rg, 2, 0, OUT));
		/*
		 * B: the data task for 7 (arrived 4) starts at 6, runs 6:
		 * idle at 12; the TEARDOWN (sent at 3, arrived 5) starts
		 * task 29 at 14: SWSET 15 -> 16, the clock read at 16,
		 * TDEXIT 18 -> 19. A's 8 waited at B's router: it leaves
		 * at 20 and reaches C (3 hops) at 23.
		 */
		EXPECT_EQ(16, wt_word(w, &rg, 1, 0, OUT + 0x44));
		EXPECT_EQ(23, wt_word(w, &rg, 2, 0, OUT + 4));
		wb_free(b);
		wafer_destroy(w);
	}
}

/* SWSET outside teardown would race the streams passing: refused. */
TEST(swset_needs_teardown)
{
	struct wafer_rect rg = { 0, 0, 1, 1 };
	struct wafer *w = wt_wafer(1, 1, 1, 8);
	struct wb *b = wb_new(1, 1);
	struct wafer_run_stats st;
	struct wafer_fault f;
	uint32_t g;

	ASSERT_NE(NULL, w);
	wb_func(b, "main");
	g = wb_group(b);
	wb_rect(b, 0, 0, 1, 1, g);
	wb_entry(b, 0, g, 0);
	wb_route_pos(b, 0, 0, 1, 1, 3, R, R, 0);
	wb_route_pos(b, 0, 0, 1, 1, 3, R, R, 1);
	wb_emit(b, g, I_NOP());
	wb_emit(b, g, I_SWSET(3, 1));
	EXPECT_EQ(-EIO, wt_run(w, b, &rg, NULL, 0, &st, &f));
	EXPECT_STREQ("PE (0,0) pc 0x8: illegal instruction: swset on color 3, which the router is not tearing down",
		     f.msg);
	EXPECT_EQ(1, st.cycles);
	wb_free(b);
	wafer_destroy(w);
}

/* A router with positions takes one port per position: refused at load. */
TEST(switched_router_one_port)
{
	struct wafer_rect rg = { 0, 0, 2, 1 };
	struct wafer *w = wt_wafer(2, 1, 1, 8);
	struct wb *b = wb_new(2, 1);
	struct wafer_program *p;
	struct wafer_fault f;
	uint32_t g;

	ASSERT_NE(NULL, w);
	wb_func(b, "main");
	g = wb_group(b);
	wb_rect(b, 0, 0, 2, 1, g);
	wb_entry(b, 0, g, wb_emit(b, g, I_HALT()));
	wb_route_pos(b, 1, 0, 1, 1, 4, WE | R, R, 0);
	wb_route_pos(b, 1, 0, 1, 1, 4, R, R, 1);
	EXPECT_EQ(-EINVAL, wafer_load(w, &rg, wb_image(b), &p, &f));
	EXPECT_EQ(WAFER_ERR_BAD_IMAGE, f.status);
	EXPECT_STREQ("router of PE (1,0) accepts color 4 from RAMP and WEST in switch position 0: with switch positions a router accepts one port per position",
		     f.msg);
	wb_free(b);
	wafer_destroy(w);
}

/*
 * A large region builds its colors' routers on the wafer's threads (one
 * takes colors 0, 2, 4.., the other 1, 3, 5..): with bad routers on
 * colors 7 and 4, the error names color 4 at 1, 2 and 4 threads, as a
 * build in color order does; routes of colors that built fine are freed.
 */
TEST(switched_router_one_port_large_region)
{
	struct wafer_rect rg = { 0, 0, 160, 128 };

	for (uint32_t threads = 1; threads <= 4; threads *= 2) {
		struct wafer *w = wt_wafer(160, 128, threads, 8);
		struct wb *b = wb_new(160, 128);
		struct wafer_program *p;
		struct wafer_fault f;
		uint32_t g;

		ASSERT_NE(NULL, w);
		wb_func(b, "main");
		g = wb_group(b);
		wb_rect(b, 0, 0, 160, 128, g);
		wb_entry(b, 0, g, wb_emit(b, g, I_HALT()));
		for (uint8_t c = 0; c < 10; c++)
			wb_route(b, 0, 0, 160, 128, c, WE, R | EA);
		wb_route_pos(b, 9, 100, 1, 1, 7, WE | R, R, 0);
		wb_route_pos(b, 9, 100, 1, 1, 7, R, R, 1);
		wb_route_pos(b, 150, 3, 1, 1, 4, WE | R, R, 0);
		wb_route_pos(b, 150, 3, 1, 1, 4, R, R, 1);
		EXPECT_EQ(-EINVAL, wafer_load(w, &rg, wb_image(b), &p, &f));
		EXPECT_EQ(WAFER_ERR_BAD_IMAGE, f.status);
		EXPECT_STREQ("router of PE (150,3) accepts color 4 from RAMP and WEST in switch position 0: with switch positions a router accepts one port per position",
			     f.msg) TH_LOG("%u threads", threads);
		wb_free(b);
		wafer_destroy(w);
	}
}

/* A sender waiting for a switch that never moves is a deadlock. */
TEST(blocked_on_switch_deadlock)
{
	struct wafer_rect rg = { 0, 0, 2, 1 };
	struct wafer *w = wt_wafer(2, 1, 2, 8);
	struct wb *b = wb_new(2, 1);
	struct wafer_run_stats st;
	struct wafer_fault f;
	uint32_t g;

	ASSERT_NE(NULL, w);
	wb_func(b, "main");
	g = wb_group(b);
	wb_rect(b, 0, 0, 2, 1, g);
	wb_entry(b, 0, g, 0);
	wb_route_pos(b, 0, 0, 1, 1, 5, NO & 0, 0, 0);	/* position 0: nothing */
	wb_route_pos(b, 0, 0, 1, 1, 5, R, EA, 1);
	wb_route(b, 1, 0, 1, 1, 5, WE, R);
	wb_emit(b, g, I_CSR(1, ISA_CSR_X));
	wb_emit(b, g, I_BR(BNE, 1, 0, 24));
	wb_emit(b, g, I_SEND(1, 5));
	wb_emit(b, g, I_HALT());
	EXPECT_EQ(-EDEADLK, wt_run(w, b, &rg, NULL, 0, &st, &f));
	EXPECT_STREQ("PE (0,0) pc 0x10: deadlock, 1 PEs blocked: (0,0) switch c5", f.msg);
	wb_free(b);
	wafer_destroy(w);
}

/*
 * Hand-overs through two switched routers, with random amounts of data,
 * random delays and queue depths: A's ADV moves both B's and C's routers
 * to their RAMP position, so C goes next (B's stream is not accepted at
 * C), C's RST lets B's stream through, B's RST ends it. D must see A's,
 * then C's, then B's wavelets, with the same cycles at 1, 2 and 4
 * threads, run after run.
 */
static struct wb *k_turns3(uint32_t seed, uint32_t *n, uint32_t *depth)
{
	struct wb *b = wb_new(4, 1);
	uint32_t g[4], loop;

	wb_func(b, "main");
	for (int i = 0; i < 4; i++) {
		g[i] = wb_group(b);
		wb_rect(b, i, 0, 1, 1, g[i]);
		wb_entry(b, 0, g[i], 0);
	}
	wb_route(b, 0, 0, 1, 1, 2, R, EA);
	for (uint32_t x = 1; x <= 2; x++) {
		wb_route_pos(b, x, 0, 1, 1, 2, WE, EA, 0);
		wb_route_pos(b, x, 0, 1, 1, 2, R, EA, 1);
	}
	wb_route(b, 3, 0, 1, 1, 2, WE, R);
	*depth = 1 + seed % 4;
	for (int i = 0; i < 3; i++) {
		uint32_t delay = (seed >> (4 + 5 * i)) % 31;

		n[i] = 1 + (seed >> (2 + 7 * i)) % 17;
		wb_emit(b, g[i], I_LI(3, delay + 1));
		loop = wb_emit(b, g[i], I_ALUI(ADD, 3, 3, (uint32_t)-1));
		wb_emit(b, g[i], I_BR(BNE, 3, 0, loop));
		send_run(b, g[i], 2, 1000 * (i + 1), n[i],
			 i ? I_SENDC(0, 2, RST) : I_SENDC(0, 2, ADV));
		wb_emit(b, g[i], I_HALT());
	}
	recv_log(b, g[3], 2, n[0] + n[1] + n[2]);
	return b;
}

TEST(turns_stress)
{
	struct wafer_rect rg = { 0, 0, 4, 1 };
	uint32_t seed = 99;

	for (int round = 0; round < 40; round++) {
		uint64_t cycles = 0;
		uint32_t n[3], depth;

		seed = seed * 1103515245u + 12345u;
		for (uint32_t threads = 1; threads <= 4; threads++) {
			struct wb *b = k_turns3(seed, n, &depth);
			struct wafer *w = wt_wafer(4, 1, threads, depth);

			ASSERT_NE(NULL, w);
			for (int rep = 0; rep < (threads == 1 ? 1 : 4); rep++) {
				struct wafer_run_stats st;
				struct wafer_fault f;
				uint32_t k = 0;

				ASSERT_EQ(0, wt_run(w, b, &rg, NULL, 0, &st, &f))
					TH_LOG("round %d, %u threads: %s", round, threads, f.msg);
				for (uint32_t i = 0; i < n[0]; i++, k++)
					ASSERT_EQ(1000 + i, wt_word(w, &rg, 3, 0, OUT + 8 * k));
				for (uint32_t i = 0; i < n[2]; i++, k++)
					ASSERT_EQ(3000 + i, wt_word(w, &rg, 3, 0, OUT + 8 * k));
				for (uint32_t i = 0; i < n[1]; i++, k++)
					ASSERT_EQ(2000 + i, wt_word(w, &rg, 3, 0, OUT + 8 * k));
				if (cycles) {
					ASSERT_EQ(cycles, st.cycles) TH_LOG("round %d", round);
				}
				cycles = st.cycles;
			}
			wafer_destroy(w);
			wb_free(b);
		}
	}
}

TEST_HARNESS_MAIN
