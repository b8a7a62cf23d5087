// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wafer-timer.c - the PE's timer (Documentation/wse/isa.rst, "Timer"):
 * TIMER arms it, a later TIMER re-arms it, TCANCEL disarms it, and when
 * it fires task 30 is activated at that modeled time; the launch does not
 * end while it is armed. Every test asserts results and modeled cycles.
 * Thread-count determinism of timer programs is in wafer-threads.c.
 */
#include "kselftest_harness.h"
#include "wafer-test.h"

#define OUT	0x8000
#define LOCAL	WAFER_TASK_LOCAL
#define TIMER	WAFER_TASK_TIMER

FIXTURE(tm) {
	struct wafer *w;
	struct wb *b;
	struct wafer_rect rg;
	struct wafer_fault f;
	struct wafer_run_stats st;
	uint32_t g;
};

/* One PE; function 0 is "main". */
FIXTURE_SETUP(tm)
{
	self->w = wt_wafer(2, 2, 2, 4);
	ASSERT_NE(NULL, self->w);
	self->rg = (struct wafer_rect){ 0, 0, 1, 1 };
	self->b = wb_new(1, 1);
	wb_func(self->b, "main");
	self->g = wb_group(self->b);
	wb_rect(self->b, 0, 0, 1, 1, self->g);
	wb_entry(self->b, 0, self->g, 0);
}

FIXTURE_TEARDOWN(tm)
{
	wb_free(self->b);
	wafer_destroy(self->w);
}

#define E(i)	wb_emit(self->b, self->g, (i))
#define PC()	wb_pc(self->b, self->g)
#define RUN()	ASSERT_EQ(0, wt_run(self->w, self->b, &self->rg, NULL, 0, \
				    &self->st, &self->f)) TH_LOG("%s", self->f.msg)
#define WORD(a)	wt_word(self->w, &self->rg, 0, 0, a)

/*
 * The counting timer task: count in OUT, the cycle it saw in OUT + 4 *
 * count (csr cycles is the 4th instruction: start + 3). Without rearm
 * it is 7 instructions, 7 cycles. With rearm it arms TIMER delay again,
 * at start + 8, until the count reaches last: 10 instructions and 10
 * cycles; the last time 9 instructions (the branch is taken), 10 cycles.
 */
static uint32_t emit_tick(struct wb *b, uint32_t g, bool rearm,
			  uint32_t delay, uint32_t last)
{
	uint32_t pc = wb_pc(b, g), br = 0;

	wb_emit(b, g, I_LD(10, 0, OUT));
	wb_emit(b, g, I_ALUI(ADD, 10, 10, 1));
	wb_emit(b, g, I_ST(10, 0, OUT));
	wb_emit(b, g, I_CSR(1, ISA_CSR_CYCLES));
	wb_emit(b, g, I_ALUI(SHL, 11, 10, 2));
	wb_emit(b, g, I_ST(1, 11, OUT));
	if (rearm) {
		wb_emit(b, g, I_LI(12, last));
		br = wb_emit(b, g, I_BR(BGEU, 10, 12, 0));
		wb_emit(b, g, I_TIMERI(delay));
		wb_patch(b, g, br, wb_pc(b, g));
	}
	wb_emit(b, g, I_TRET());
	return pc;
}

/* A busy loop of 30 cycles (li, 10 x (add, bne), the last not taken). */
static void emit_spin(struct wb *b, uint32_t g)
{
	uint32_t loop;

	wb_emit(b, g, I_LI(5, 10));
	loop = wb_emit(b, g, I_ALUI(ADD, 5, 5, (uint32_t)-1));
	wb_emit(b, g, I_BR(BNE, 5, 0, loop));
}

/* TIMER n at clock c fires at c + 1 + n; task 30 starts 2 later. */
TEST_F(tm, fires_after_delay)
{
	E(I_TIMERI(100));			/* 0 -> 1, fires at 101 */
	E(I_TRET());				/* idle at 2 */
	wb_task(self->b, self->g, TIMER, LOCAL, 0, 0, 0,
		emit_tick(self->b, self->g, false, 0, 0));
	RUN();
	EXPECT_EQ(1, WORD(OUT));
	EXPECT_EQ(101 + 2 + 3, WORD(OUT + 4));
	EXPECT_EQ(101 + 2 + 7, self->st.cycles);
	EXPECT_EQ(2 + 7, self->st.instructions);
}

/* The delay may come from a register; TIMER costs 1 cycle. */
TEST_F(tm, delay_in_register)
{
	E(I_LI(4, 40));				/* 0 -> 1 */
	E(I_TIMER(4));				/* 1 -> 2, fires at 42 */
	E(I_TRET());
	wb_task(self->b, self->g, TIMER, LOCAL, 0, 0, 0,
		emit_tick(self->b, self->g, false, 0, 0));
	RUN();
	EXPECT_EQ(1, WORD(OUT));
	EXPECT_EQ(42 + 5, WORD(OUT + 4));
	EXPECT_EQ(42 + 9, self->st.cycles);
}

/* A task that re-arms the timer ticks with a fixed period, no drift. */
TEST_F(tm, periodic_rearm)
{
	E(I_TIMERI(50));			/* fires at 51 */
	E(I_TRET());
	wb_task(self->b, self->g, TIMER, LOCAL, 0, 0, 0,
		emit_tick(self->b, self->g, true, 50, 4));
	RUN();
	EXPECT_EQ(4, WORD(OUT));
	/*
	 * Tick k starts at 51 + 61 k + 2: it re-arms at start + 8, which
	 * fires 51 cycles later.
	 */
	for (uint32_t k = 0; k < 4; k++) {
		EXPECT_EQ(51 + 61 * k + 5, WORD(OUT + 4 + 4 * k));
	}
	EXPECT_EQ(51 + 61 * 3 + 2 + 10, self->st.cycles);
	EXPECT_EQ(2 + 3 * 10 + 9, self->st.instructions);
}

/* Re-arming before the deadline replaces it: one firing, the later one. */
TEST_F(tm, rearm_replaces_pending)
{
	E(I_TIMERI(1000));			/* 0 -> 1 */
	E(I_TIMERI(10));			/* 1 -> 2, fires at 12 */
	E(I_TRET());
	wb_task(self->b, self->g, TIMER, LOCAL, 0, 0, 0,
		emit_tick(self->b, self->g, false, 0, 0));
	RUN();
	EXPECT_EQ(1, WORD(OUT));
	EXPECT_EQ(12 + 5, WORD(OUT + 4));
	EXPECT_EQ(12 + 9, self->st.cycles);
}

/*
 * A deadline passed while a task ran has fired (in modeled time): a
 * re-arm after it does not take it back. Task 30 runs once when the
 * entry returns and once more at the new deadline.
 */
TEST_F(tm, rearm_after_deadline_keeps_firing)
{
	E(I_TIMERI(3));				/* 0 -> 1, fires at 5 */
	emit_spin(self->b, self->g);		/* 1 -> 31 */
	E(I_TIMERI(100));			/* 31 -> 32, fires at 132 */
	E(I_TRET());				/* idle at 33 */
	wb_task(self->b, self->g, TIMER, LOCAL, 0, 0, 0,
		emit_tick(self->b, self->g, false, 0, 0));
	RUN();
	EXPECT_EQ(2, WORD(OUT));
	EXPECT_EQ(33 + 5, WORD(OUT + 4));
	EXPECT_EQ(132 + 5, WORD(OUT + 8));
	EXPECT_EQ(132 + 9, self->st.cycles);
}

/* TCANCEL disarms: task 30 never runs and the launch ends at once. */
TEST_F(tm, cancel_disarms)
{
	E(I_TIMERI(50));			/* 0 -> 1 */
	E(I_TCANCEL());				/* 1 -> 2 */
	E(I_TRET());				/* 2 -> 3 */
	wb_task(self->b, self->g, TIMER, LOCAL, 0, 0, 0,
		emit_tick(self->b, self->g, false, 0, 0));
	RUN();
	EXPECT_EQ(0, WORD(OUT));
	EXPECT_EQ(3, self->st.cycles);
	EXPECT_EQ(3, self->st.instructions);
}

/* A deadline at the cancel's own time has fired: cancelling is too late. */
TEST_F(tm, cancel_at_deadline_too_late)
{
	E(I_TIMERI(1));				/* 0 -> 1, fires at 2 */
	E(I_NOP());				/* 1 -> 2 */
	E(I_TCANCEL());				/* at 2 */
	E(I_TRET());				/* idle at 4 */
	wb_task(self->b, self->g, TIMER, LOCAL, 0, 0, 0,
		emit_tick(self->b, self->g, false, 0, 0));
	RUN();
	EXPECT_EQ(1, WORD(OUT));
	EXPECT_EQ(4 + 5, WORD(OUT + 4));
	EXPECT_EQ(4 + 9, self->st.cycles);
}

/* An armed timer keeps the launch alive, however far away it is. */
TEST_F(tm, launch_waits_for_armed_timer)
{
	E(I_TIMERI(100000));
	E(I_TRET());
	wb_task(self->b, self->g, TIMER, LOCAL, 0, 0, 0,
		emit_tick(self->b, self->g, false, 0, 0));
	RUN();
	EXPECT_EQ(1, WORD(OUT));
	EXPECT_EQ(100001 + 5, WORD(OUT + 4));
	EXPECT_EQ(100001 + 9, self->st.cycles);
}

/*
 * Without an entry for task 30 the firing activates nothing that can
 * run; the launch still lasts until then. HALT drops the timer.
 */
TEST_F(tm, no_timer_task_and_halt)
{
	E(I_TIMERI(500));			/* 0 -> 1, fires at 501 */
	E(I_TRET());
	RUN();
	EXPECT_EQ(501, self->st.cycles);
	EXPECT_EQ(2, self->st.instructions);

	wb_free(self->b);
	self->b = wb_new(1, 1);
	wb_func(self->b, "main");
	self->g = wb_group(self->b);
	wb_rect(self->b, 0, 0, 1, 1, self->g);
	wb_entry(self->b, 0, self->g, 0);
	E(I_TIMERI(500));
	E(I_HALT());
	wb_task(self->b, self->g, TIMER, LOCAL, 0, 0, 0,
		emit_tick(self->b, self->g, false, 0, 0));
	RUN();
	EXPECT_EQ(0, WORD(OUT));
	EXPECT_EQ(2, self->st.cycles);
}

/*
 * A timer armed when its PE halted does not outlive the launch: the next
 * launch of the same program starts disarmed. r1 = 1 arms and halts,
 * r1 = 0 only returns.
 */
TEST_F(tm, next_launch_starts_disarmed)
{
	struct wafer_program *p;
	uint32_t arm = 1, skip;

	skip = E(I_BR(BEQ, 1, 0, 0));		/* 0 -> 1 (2 taken) */
	E(I_TIMERI(50));			/* 1 -> 2 */
	E(I_HALT());				/* 2 -> 3 */
	wb_patch(self->b, self->g, skip, PC());
	E(I_TRET());
	wb_task(self->b, self->g, TIMER, LOCAL, 0, 0, 0,
		emit_tick(self->b, self->g, false, 0, 0));
	ASSERT_EQ(0, wafer_load(self->w, &self->rg, wb_image(self->b), &p,
				&self->f));
	ASSERT_EQ(0, wafer_launch(p, 0, &arm, 1, &self->st, &self->f));
	EXPECT_EQ(3, self->st.cycles);
	arm = 0;
	ASSERT_EQ(0, wafer_launch(p, 0, &arm, 1, &self->st, &self->f));
	EXPECT_EQ(3, self->st.cycles);		/* 2 taken + tret */
	EXPECT_EQ(2, self->st.instructions);
	EXPECT_EQ(0, WORD(OUT));
	wafer_program_free(p);
}

/*
 * Task 30 is a local task like the others: BLOCK holds it after the
 * timer fired, UNBLOCK lets it run; one that stays blocked does not
 * keep the launch alive (nothing could unblock it).
 */
TEST_F(tm, block_holds_timer_task)
{
	E(I_BLOCK(TIMER));			/* 0 -> 1 */
	E(I_TIMERI(5));				/* 1 -> 2, fires at 7 */
	emit_spin(self->b, self->g);		/* 2 -> 32 */
	E(I_UNBLOCK(TIMER));			/* 32 -> 33 */
	E(I_TRET());				/* idle at 34 */
	wb_task(self->b, self->g, TIMER, LOCAL, 0, 0, 0,
		emit_tick(self->b, self->g, false, 0, 0));
	RUN();
	EXPECT_EQ(1, WORD(OUT));
	EXPECT_EQ(34 + 5, WORD(OUT + 4));
	EXPECT_EQ(34 + 9, self->st.cycles);
}

TEST_F(tm, blocked_timer_task_stays_blocked)
{
	E(I_BLOCK(TIMER));
	E(I_TIMERI(5));				/* fires at 7 */
	E(I_TRET());
	wb_task(self->b, self->g, TIMER, LOCAL, 0, 0, 0,
		emit_tick(self->b, self->g, false, 0, 0));
	RUN();
	EXPECT_EQ(0, WORD(OUT));
	EXPECT_EQ(7, self->st.cycles);
}

/*
 * Priorities decide between the timer task and a local task that can
 * start at the same time; TENTRY gives task 30 an entry at run time.
 */
TEST_F(tm, priority_against_local_task_and_tentry)
{
	uint32_t t5, t30, li;

	li = E(I_LI(6, 0));			/* patched: task 30's entry */
	E(I_TENTRY(TIMER, 6));			/* 1 -> 2 */
	E(I_TIMERI(0));				/* 2 -> 3, fires at 3 */
	E(I_ACTIVATE(5));			/* 3 -> 4 */
	E(I_TRET());				/* idle at 5: both can start */
	t5 = PC();
	E(I_LI(1, 5));
	E(I_ST(1, 0, OUT + 0x40));
	E(I_CSR(2, ISA_CSR_CYCLES));
	E(I_ST(2, 0, OUT + 0x44));
	E(I_TRET());
	t30 = emit_tick(self->b, self->g, false, 0, 0);
	wb_patch(self->b, self->g, li, t30);
	wb_task(self->b, self->g, 5, LOCAL, 0, 1, 0, t5);
	RUN();
	/* Task 5 (prio 1) first: 5 + 2, csr at +2; then 30 at 12. */
	EXPECT_EQ(5, WORD(OUT + 0x40));
	EXPECT_EQ(9, WORD(OUT + 0x44));
	EXPECT_EQ(1, WORD(OUT));
	EXPECT_EQ(12 + 2 + 3, WORD(OUT + 4));
	EXPECT_EQ(12 + 9, self->st.cycles);
}

/* The encodings: flags other than ISA_F_IMM are illegal. */
TEST_F(tm, illegal_flags)
{
	E(wb_insn(ISA_OP_TIMER, 0, 0, 0, 0, 0, ISA_F_SCALAR, 5));
	E(I_TRET());
	ASSERT_EQ(-EIO, wt_run(self->w, self->b, &self->rg, NULL, 0,
			       &self->st, &self->f));
	EXPECT_EQ(WAFER_ERR_ILLEGAL_INSN, self->f.status);
	EXPECT_STREQ("PE (0,0) pc 0x0: illegal instruction 0x000000052000000c: timer with undefined flags 0x2",
		     self->f.msg);
}

TEST_HARNESS_MAIN
