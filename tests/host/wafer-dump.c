// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wafer-dump.c - the PE state record (abi/pe-dump.h) of known states:
 * registers and pc of a kernel that halts, the pc and instruction of one
 * that faults, DSDs, the task table, undrained queues and routers, and
 * its text form, at one and two worker threads.
 */
#include "kselftest_harness.h"
#include "wafer-test.h"
#include "isa-names.h"
#include "pe-dump.h"

#define R	WAFER_PORT_RAMP
#define EA	WAFER_PORT_EAST
#define WE	WAFER_PORT_WEST

FIXTURE(dump) {
	struct wafer *w;
	struct wb *b;
	struct wafer_program *p;
	struct wafer_fault f;
	struct wafer_run_stats st;
	struct wafer_pe_dump d;
	char text[8192];
};

FIXTURE_VARIANT(dump) {
	uint32_t threads;
};

FIXTURE_VARIANT_ADD(dump, t1) { .threads = 1 };
FIXTURE_VARIANT_ADD(dump, t2) { .threads = 2 };

FIXTURE_SETUP(dump)
{
	self->w = wt_wafer(6, 4, variant->threads, 4);
	ASSERT_NE(NULL, self->w);
	self->b = wb_new(2, 1);
	self->p = NULL;
	wb_func(self->b, "main");
}

FIXTURE_TEARDOWN(dump)
{
	wafer_program_free(self->p);
	wb_free(self->b);
	wafer_destroy(self->w);
}

static uint32_t role(struct wb *b, uint32_t x, uint32_t y)
{
	uint32_t g = wb_group(b);

	wb_rect(b, x, y, 1, 1, g);
	wb_entry(b, 0, g, wb_pc(b, g));
	return g;
}

/* Load at (1,2) of the wafer, launch main; keeps the program. */
static int run(FIXTURE_DATA(dump) *self)
{
	struct wafer_rect rg = { 1, 2, 2, 1 };
	int ret;

	ret = wafer_load(self->w, &rg, wb_image(self->b), &self->p, &self->f);
	if (ret)
		return ret;
	return wafer_launch(self->p, 0, NULL, 0, &self->st, &self->f);
}

static int text(FIXTURE_DATA(dump) *self)
{
	return wafer_pe_dump_text(&self->d, sizeof(self->d), self->text,
				  sizeof(self->text));
}

#define E(g, i)	wb_emit(self->b, (g), (i))

/* Registers, pc, state and the instruction word of a kernel that halts. */
TEST_F(dump, known_registers)
{
	uint32_t a = role(self->b, 0, 0), c = role(self->b, 1, 0), halt;
	struct isa_insn i;

	E(a, I_HALT());
	E(c, I_LI(3, 0x1234));
	E(c, I_LI(4, 7));
	E(c, I_CSR(5, ISA_CSR_X));
	E(c, I_ALU(ADD, 6, 3, 4));
	halt = E(c, I_HALT());
	ASSERT_EQ(0, run(self)) TH_LOG("%s", self->f.msg);
	ASSERT_EQ(0, wafer_pe_dump(self->p, 1, 0, &self->d));

	EXPECT_EQ(WAFER_PE_DUMP_MAGIC, self->d.magic);
	EXPECT_EQ(WAFER_PE_DUMP_VERSION, self->d.version);
	EXPECT_EQ(sizeof(self->d), self->d.size);
	EXPECT_EQ(1, self->d.x);
	EXPECT_EQ(0, self->d.y);
	EXPECT_EQ(WAFER_PE_DUMP_HALT, self->d.state);
	EXPECT_EQ(0, self->d.r[0]);
	EXPECT_EQ(0x1234, self->d.r[3]);
	EXPECT_EQ(7, self->d.r[4]);
	EXPECT_EQ(1, self->d.r[5]);
	EXPECT_EQ(0x123b, self->d.r[6]);
	EXPECT_EQ(halt, self->d.pc);
	EXPECT_EQ(5, self->d.icount);
	ASSERT_TRUE(self->d.flags & WAFER_PE_DUMP_F_INSN);
	isa_decode(self->d.insn, &i);
	EXPECT_EQ(ISA_OP_HALT, i.opcode);
	EXPECT_EQ(0, self->d.flags & WAFER_PE_DUMP_F_TASKS);

	ASSERT_LT(0, text(self));
	EXPECT_NE(NULL, strstr(self->text, "PE (1,0): halted")) TH_LOG("%s", self->text);
	EXPECT_NE(NULL, strstr(self->text, "halt")) TH_LOG("%s", self->text);
	EXPECT_NE(NULL, strstr(self->text, "r3  00001234")) TH_LOG("%s", self->text);
	EXPECT_NE(NULL, strstr(self->text, "r6  0000123b")) TH_LOG("%s", self->text);
}

/* A faulting load: the dump names the fault's pc and its instruction. */
TEST_F(dump, faulting_pc)
{
	uint32_t a = role(self->b, 0, 0), c = role(self->b, 1, 0), ld;
	char want[96];

	E(a, I_HALT());
	E(c, I_LI(2, 0x40000));
	E(c, I_NOP());
	ld = E(c, I_LD(1, 2, 8));
	E(c, I_HALT());
	ASSERT_EQ(-EIO, run(self));
	ASSERT_EQ(WAFER_ERR_SRAM_RANGE, self->f.status);
	ASSERT_EQ(1, self->f.pe_x);
	ASSERT_EQ(0, self->f.pe_y);
	ASSERT_EQ(0, wafer_pe_dump(self->p, self->f.pe_x, self->f.pe_y, &self->d));
	EXPECT_EQ(self->f.pc, self->d.pc);
	EXPECT_EQ(ld, self->d.pc);
	EXPECT_EQ(0x40000, self->d.r[2]);
	EXPECT_EQ(WAFER_PE_DUMP_HALT, self->d.state);

	ASSERT_LT(0, text(self));
	ASSERT_EQ(0, isa_disasm(self->d.insn, want, sizeof(want), NULL, NULL));
	EXPECT_EQ(0, strncmp(want, "ld", 2)) TH_LOG("%s", want);
	EXPECT_NE(NULL, strstr(self->text, want)) TH_LOG("%s", self->text);
}

/*
 * Wavelets nobody took stay in the receiver's queue: count, values and
 * control bit; the sender's router sends the ramp's wavelets east.
 */
TEST_F(dump, queues_and_routers)
{
	uint32_t s = role(self->b, 0, 0), r = role(self->b, 1, 0);

	wb_route(self->b, 0, 0, 1, 1, 3, R, EA);
	wb_route(self->b, 1, 0, 1, 1, 3, WE, R);
	E(s, I_LI(1, 0xabc));
	E(s, I_SEND(1, 3));
	E(s, I_LI(1, 0xdef));
	E(s, I_SEND(1, 3));
	E(s, I_HALT());
	E(r, I_HALT());
	ASSERT_EQ(0, run(self)) TH_LOG("%s", self->f.msg);

	ASSERT_EQ(0, wafer_pe_dump(self->p, 1, 0, &self->d));
	EXPECT_EQ(4, self->d.queue[3].depth);
	EXPECT_EQ(2, self->d.queue[3].count);
	EXPECT_EQ(0xabc, self->d.queue[3].val[0]);
	EXPECT_EQ(0xdef, self->d.queue[3].val[1]);
	EXPECT_EQ(0, self->d.queue[3].arr[0] & WAFER_PE_DUMP_ARR_CTL);
	EXPECT_LT(self->d.queue[3].arr[0], self->d.queue[3].arr[1]);
	EXPECT_EQ(WE, self->d.router[3].rx);
	EXPECT_EQ(R, self->d.router[3].tx);
	EXPECT_EQ(0, self->d.queue[4].depth);
	ASSERT_LT(0, text(self));
	EXPECT_NE(NULL, strstr(self->text, "queue 2/4: 00000abc@")) TH_LOG("%s", self->text);

	ASSERT_EQ(0, wafer_pe_dump(self->p, 0, 0, &self->d));
	EXPECT_EQ(1, self->d.router[3].npos);
	EXPECT_EQ(R, self->d.router[3].rx);
	EXPECT_EQ(EA, self->d.router[3].tx);
	EXPECT_EQ(0, self->d.queue[3].count);
	EXPECT_EQ(0, self->d.router[5].npos);
}

/* DSD registers as the kernel set them. */
TEST_F(dump, dsd_registers)
{
	uint32_t a = role(self->b, 0, 0), c = role(self->b, 1, 0);

	E(a, I_HALT());
	E(c, I_LI(1, 0x2000));
	E(c, I_LI(2, 16));
	E(c, I_DMEM(F32, 4, 1, 2, 2));
	E(c, I_DFAB(I16, 7, 9, 2));
	E(c, I_HALT());
	ASSERT_EQ(0, run(self)) TH_LOG("%s", self->f.msg);
	ASSERT_EQ(0, wafer_pe_dump(self->p, 1, 0, &self->d));
	EXPECT_EQ(0, self->d.dsd[4].kind);
	EXPECT_EQ(ISA_T_F32, self->d.dsd[4].type);
	EXPECT_EQ(0x2000, self->d.dsd[4].base);
	EXPECT_EQ(16, self->d.dsd[4].len[0]);
	EXPECT_EQ(2, self->d.dsd[4].stride[0]);
	EXPECT_EQ(1, self->d.dsd[7].kind);
	EXPECT_EQ(9, self->d.dsd[7].color);
	EXPECT_EQ(ISA_T_I16, self->d.dsd[7].type);
	ASSERT_LT(0, text(self));
	EXPECT_NE(NULL, strstr(self->text, "d4  mem 0x2000 f32")) TH_LOG("%s", self->text);
	EXPECT_NE(NULL, strstr(self->text, "d7  fabric color 9")) TH_LOG("%s", self->text);
}

/* The task table: ids defined, activated and blocked at the end. */
TEST_F(dump, task_table)
{
	uint32_t a = role(self->b, 0, 0), c = role(self->b, 1, 0), t5;

	E(a, I_HALT());
	E(c, I_BLOCK(6));
	E(c, I_ACTIVATE(6));
	E(c, I_ACTIVATE(5));
	E(c, I_TRET());
	t5 = E(c, I_LI(9, 55));
	E(c, I_TRET());
	wb_task(self->b, c, 5, WAFER_TASK_LOCAL, 0, 2, 0, t5);
	wb_task(self->b, c, 6, WAFER_TASK_LOCAL, 0, 1, 0, t5);
	ASSERT_EQ(0, run(self)) TH_LOG("%s", self->f.msg);
	ASSERT_EQ(0, wafer_pe_dump(self->p, 1, 0, &self->d));
	ASSERT_TRUE(self->d.flags & WAFER_PE_DUMP_F_TASKS);
	EXPECT_EQ(55, self->d.r[9]);
	EXPECT_EQ(WAFER_PE_DUMP_IDLE, self->d.state);
	EXPECT_EQ((1ull << 5) | (1ull << 6), self->d.task_defined);
	EXPECT_EQ(1ull << 6, self->d.task_active);
	EXPECT_EQ(1ull << 6, self->d.task_blocked);
	EXPECT_EQ(t5, self->d.task[5].entry);
	EXPECT_EQ(WAFER_TASK_LOCAL, self->d.task[5].kind);
	EXPECT_EQ(2, self->d.task[5].prio);
	EXPECT_EQ(UINT32_MAX, self->d.task[7].entry);
	ASSERT_LT(0, text(self));
	EXPECT_NE(NULL, strstr(self->text, "task 6  local")) TH_LOG("%s", self->text);
	EXPECT_NE(NULL, strstr(self->text, "active blocked")) TH_LOG("%s", self->text);
}

/* Bad arguments: a PE off the region, a record that is not one. */
TEST_F(dump, bad_input)
{
	uint32_t a = role(self->b, 0, 0), c = role(self->b, 1, 0);
	char small[16];

	E(a, I_HALT());
	E(c, I_HALT());
	ASSERT_EQ(0, run(self));
	EXPECT_EQ(-EINVAL, wafer_pe_dump(self->p, 2, 0, &self->d));
	EXPECT_EQ(-EINVAL, wafer_pe_dump(self->p, 0, 1, &self->d));
	EXPECT_EQ(-EINVAL, wafer_pe_dump(NULL, 0, 0, &self->d));
	ASSERT_EQ(0, wafer_pe_dump(self->p, 0, 0, &self->d));
	EXPECT_EQ(0, wafer_pe_dump_check(&self->d, sizeof(self->d)));
	EXPECT_EQ(-EINVAL, wafer_pe_dump_check(&self->d, sizeof(self->d) - 1));
	/* A short buffer gets a truncated, terminated text and the length. */
	ASSERT_LT(sizeof(small), (size_t)wafer_pe_dump_text(&self->d, sizeof(self->d),
							    small, sizeof(small)));
	EXPECT_EQ(sizeof(small) - 1, strlen(small));
	self->d.magic ^= 1;
	EXPECT_EQ(-EINVAL, wafer_pe_dump_check(&self->d, sizeof(self->d)));
	EXPECT_EQ(-EINVAL, text(self));
}

TEST_HARNESS_MAIN
