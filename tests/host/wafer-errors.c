// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wafer-errors.c - every run-time error a kernel can cause: its status, the
 * PE and pc it names, its message; and the wafer stays usable afterwards.
 */
#include "kselftest_harness.h"
#include "wafer-test.h"

#define OUT	0x8000
#define R	WAFER_PORT_RAMP
#define N	WAFER_PORT_NORTH
#define S	WAFER_PORT_SOUTH
#define EA	WAFER_PORT_EAST
#define WE	WAFER_PORT_WEST

FIXTURE(err) {
	struct wafer *w;
	struct wb *b;
	uint32_t g;			/* group of the faulting PE */
	uint32_t other;			/* group of every other PE */
	struct wafer_rect rg;
	struct wafer_fault f;
	struct wafer_run_stats st;
};

/*
 * A 3x2 program at (2,1) on a 6x4 wafer. PE (1,0) runs group g, where the
 * tests put their faulting code; the others run group other (a halt),
 * unless a test adds code there.
 */
FIXTURE_SETUP(err)
{
	self->w = wt_wafer(6, 4, 2, 4);
	ASSERT_NE(NULL, self->w);
	self->rg = (struct wafer_rect){ 2, 1, 3, 2 };
	self->b = wb_new(3, 2);
	wb_func(self->b, "main");
	self->other = wb_group(self->b);
	self->g = wb_group(self->b);
	wb_rect(self->b, 0, 0, 3, 2, self->other);
	wb_rect(self->b, 1, 0, 1, 1, self->g);
	wb_entry(self->b, 0, self->other, 0);
	wb_entry(self->b, 0, self->g, 0);
	/* SRAM around the region is marked, to check nothing touches it. */
	memset(wafer_sram_base(self->w), 0x5c, wafer_sram_total(self->w));
}

static void check_outside(struct __test_metadata *_metadata,
			  FIXTURE_DATA(err) *self)
{
	struct wafer_config c;
	uint8_t *base = wafer_sram_base(self->w);

	wafer_get_config(self->w, &c);
	for (uint32_t y = 0; y < c.height; y++) {
		for (uint32_t x = 0; x < c.width; x++) {
			const uint8_t *s = base + ((size_t)y * c.width + x) * c.sram_bytes;

			if (x >= self->rg.x && x < self->rg.x + self->rg.w &&
			    y >= self->rg.y && y < self->rg.y + self->rg.h)
				continue;
			for (uint32_t i = 0; i < c.sram_bytes; i += 512) {
				ASSERT_EQ(0x5c, s[i]) TH_LOG("PE (%u,%u) +%u", x, y, i);
			}
		}
	}
}

/* After any fault the same region runs a good kernel. */
static void check_usable(struct __test_metadata *_metadata,
			 FIXTURE_DATA(err) *self)
{
	struct wb *b = wb_new(3, 2);
	uint32_t g;

	wb_func(b, "main");
	g = wb_group(b);
	wb_rect(b, 0, 0, 3, 2, g);
	wb_entry(b, 0, g, 0);
	wb_emit(b, g, I_CSR(1, ISA_CSR_X));
	wb_emit(b, g, I_ST(1, 0, OUT));
	wb_emit(b, g, I_HALT());
	ASSERT_EQ(0, wt_run(self->w, b, &self->rg, NULL, 0, &self->st, &self->f))
		TH_LOG("%s", self->f.msg);
	EXPECT_EQ(2, wt_word(self->w, &self->rg, 2, 1, OUT));
	wb_free(b);
}

FIXTURE_TEARDOWN(err)
{
	check_outside(_metadata, self);
	check_usable(_metadata, self);
	wb_free(self->b);
	wafer_destroy(self->w);
}

#define E(i)		wb_emit(self->b, self->g, (i))
#define EO(i)		wb_emit(self->b, self->other, (i))

/* Run main, expect status st and errno ret at PE (x,y) pc, message msg. */
#define EXPECT_FAULT(ret_, st_, x_, y_, pc_, msg_) do {			\
	int _r = wt_run(self->w, self->b, &self->rg, NULL, 0,		\
			&self->st, &self->f);				\
	EXPECT_EQ(ret_, _r);						\
	EXPECT_EQ(st_, self->f.status) TH_LOG("%s", self->f.msg);	\
	EXPECT_EQ(x_, self->f.pe_x);					\
	EXPECT_EQ(y_, self->f.pe_y);					\
	EXPECT_EQ(pc_, self->f.pc);					\
	EXPECT_STREQ(msg_, self->f.msg);				\
} while (0)

TEST_F(err, sram_read_out_of_range)
{
	EO(I_HALT());
	E(I_LI(1, 0xc000));
	E(I_LD(2, 1, 0));
	EXPECT_FAULT(-EIO, WAFER_ERR_SRAM_RANGE, 1, 0, 8,
		     "PE (1,0) pc 0x8: SRAM read of 4 bytes at 0xc000 out of range");
}

TEST_F(err, sram_write_out_of_range)
{
	EO(I_HALT());
	E(I_NOP());
	E(I_STH(1, 0, (uint32_t)-2));
	EXPECT_FAULT(-EIO, WAFER_ERR_SRAM_RANGE, 1, 0, 8,
		     "PE (1,0) pc 0x8: SRAM write of 2 bytes at 0xfffffffe out of range");
}

TEST_F(err, fetch_out_of_range)
{
	EO(I_HALT());
	E(I_JMP(0xc000));
	EXPECT_FAULT(-EIO, WAFER_ERR_SRAM_RANGE, 1, 0, 0xc000,
		     "PE (1,0) pc 0xc000: instruction fetch at 0xc000 out of range");
}

TEST_F(err, dsd_walk_out_of_range)
{
	EO(I_HALT());
	E(I_LI(1, 0xbff0));
	E(I_LI(2, 8));
	E(I_DMEM(F32, 1, 1, 2, 1));
	E(I_LI(1, 0x100));
	E(I_DMEM(F32, 0, 1, 2, 1));
	E(I_V(MOV, F32, 0, 1, 0, 0));
	EXPECT_FAULT(-EIO, WAFER_ERR_SRAM_RANGE, 1, 0, 0x28,
		     "PE (1,0) pc 0x28: SRAM read of 4 bytes at 0xc000 out of range (vmov.f32 d1 element 4 of 8)");
}

TEST_F(err, dsd_walk_below_zero)
{
	EO(I_HALT());
	E(I_LI(1, 0x10));
	E(I_LI(2, 1000));
	E(I_DMEM(I16, 0, 1, 2, -3));
	E(I_V(FILL, I16, 0, 0, 0, 0));
	EXPECT_FAULT(-EIO, WAFER_ERR_SRAM_RANGE, 1, 0, 0x18,
		     "PE (1,0) pc 0x18: SRAM write of 2 bytes at -0x2 out of range (vfill.i16 d0 element 3 of 1000)");
}

TEST_F(err, dsd_huge_stride)
{
	EO(I_HALT());
	E(I_LI(2, 0xffffffff));
	E(I_DMEM(F32, 0, 0, 2, 0x7fffffff));
	E(I_V(RSUM, F32, 3, 0, 0, 0));
	EXPECT_EQ(-EIO, wt_run(self->w, self->b, &self->rg, NULL, 0, &self->st, &self->f));
	EXPECT_EQ(WAFER_ERR_SRAM_RANGE, self->f.status);
	EXPECT_EQ(0x10, self->f.pc);
	EXPECT_NE(NULL, strstr(self->f.msg, "element 1 of 4294967295")) TH_LOG("%s", self->f.msg);
}

/* Running off the end of the code into zeroed SRAM. */
TEST_F(err, illegal_zero_word)
{
	EO(I_HALT());
	E(I_NOP());
	EXPECT_FAULT(-EIO, WAFER_ERR_ILLEGAL_INSN, 1, 0, 8,
		     "PE (1,0) pc 0x8: illegal instruction 0x0000000000000000: opcode 0x00 (zero-filled SRAM)");
}

TEST_F(err, illegal_encodings)
{
	static const struct { uint64_t word; const char *why; } c[] = {
		{ 0x0e, "unassigned opcode 0x0e" },
		{ 0x2000000c, "timer with undefined flags 0x2" },
		{ 0x1000000d, "tcancel with undefined flags 0x1" },
		{ 0x20000010, "add with undefined flags 0x2" },
		{ 0x20000070, "vmov with undefined flags 0x2" },
		{ 0x10000071, "vadd with undefined flags 0x1" },
		{ 0x05000070, "vmov with unknown element type 5" },
		{ 0x0000000b00000050ull, "csr 11 does not exist" },
		{ 0x0000001800000058ull, "send on color 24 (colors are 0..23)" },
		{ 0x0807, "async names microthread 8 (there are 0..7)" },
		{ 0x0000004000000004ull, "activate names task 64 (tasks are 0..63)" },
		{ 0x000000ff00000005ull, "block names task 255 (tasks are 0..63)" },
		{ 0x000000c000000007ull, "async with task 0, action 3 (tasks are 0..63, actions 0..2)" },
		{ 0x0100007e, "vand.f32: integer element types only" },
		{ 0x0000040000000009ull, "sendc with operand 0x400 out of range" },
		{ 0x0000000000000064ull, "ddim with operand 0x0 out of range" },
		{ 0x0050008e, "vcvt with unknown element type 5" },
	};

	for (unsigned int i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		char want[192];

		wb_free(self->b);
		self->b = wb_new(1, 1);
		wb_func(self->b, "main");
		self->g = wb_group(self->b);
		wb_rect(self->b, 0, 0, 1, 1, self->g);
		wb_entry(self->b, 0, self->g, 0);
		E(I_NOP());
		wb_emit_raw(self->b, self->g, c[i].word);
		snprintf(want, sizeof(want),
			 "PE (0,0) pc 0x8: illegal instruction 0x%016llx: %s",
			 (unsigned long long)c[i].word, c[i].why);
		EXPECT_FAULT(-EIO, WAFER_ERR_ILLEGAL_INSN, 0, 0, 8, want);
	}
}

TEST_F(err, illegal_operands)
{
	EO(I_HALT());
	E(I_LI(1, 0x100));
	E(I_LI(2, 4));
	E(I_DMEM(I32, 1, 1, 2, 1));
	E(I_V(MOV, F32, 1, 1, 0, 0));
	EXPECT_FAULT(-EIO, WAFER_ERR_ILLEGAL_INSN, 1, 0, 0x18,
		     "PE (1,0) pc 0x18: illegal operand: vmov.f32 with d1, a DSD of type i32");
	wb_free(self->b);
	self->b = wb_new(1, 1);
	wb_func(self->b, "main");
	self->g = wb_group(self->b);
	wb_rect(self->b, 0, 0, 1, 1, self->g);
	wb_entry(self->b, 0, self->g, 0);
	E(I_DFAB(I32, 3, 1, 0));
	E(I_DADVI(3, 4));
	EXPECT_FAULT(-EIO, WAFER_ERR_ILLEGAL_INSN, 0, 0, 8,
		     "PE (0,0) pc 0x8: illegal instruction: dadv on d3, a fabric DSD");
}

TEST_F(err, misaligned)
{
	EO(I_HALT());
	E(I_LI(1, 0x102));
	E(I_LD(2, 1, 0));
	EXPECT_FAULT(-EIO, WAFER_ERR_MISALIGNED, 1, 0, 8,
		     "PE (1,0) pc 0x8: misaligned 4-byte read at 0x102");
}

TEST_F(err, misaligned_pc)
{
	EO(I_HALT());
	E(I_LI(1, 0x44));
	E(I_JR(1, 0));
	EXPECT_FAULT(-EIO, WAFER_ERR_MISALIGNED, 1, 0, 0x44,
		     "PE (1,0) pc 0x44: pc is not 8-byte aligned");
}

TEST_F(err, misaligned_dsd)
{
	EO(I_HALT());
	E(I_LI(1, 0x101));
	E(I_LI(2, 4));
	E(I_DMEM(F16, 0, 1, 2, 1));
	E(I_V(FILL, F16, 0, 0, 0, 0));
	EXPECT_FAULT(-EIO, WAFER_ERR_MISALIGNED, 1, 0, 0x18,
		     "PE (1,0) pc 0x18: misaligned 2-byte write at 0x101 (vfill.f16 d0)");
}

TEST_F(err, unrouted_no_route)
{
	EO(I_HALT());
	E(I_SEND(0, 5));
	EXPECT_FAULT(-EIO, WAFER_ERR_UNROUTED, 1, 0, 0,
		     "PE (1,0) pc 0x0: send on color 5, which the router does not accept from RAMP");
}

TEST_F(err, unrouted_leaves_region)
{
	EO(I_HALT());
	wb_route(self->b, 1, 0, 2, 1, 5, R | WE, R | EA);
	E(I_SEND(0, 5));
	EXPECT_FAULT(-EIO, WAFER_ERR_UNROUTED, 1, 0, 0,
		     "PE (1,0) pc 0x0: color 5 leaves the program region going EAST from PE (2,0)");
}

TEST_F(err, unrouted_not_accepted)
{
	EO(I_HALT());
	wb_route(self->b, 1, 0, 1, 1, 5, R, S);
	wb_route(self->b, 1, 1, 1, 1, 5, WE, R);
	E(I_SEND(0, 5));
	EXPECT_FAULT(-EIO, WAFER_ERR_UNROUTED, 1, 0, 0,
		     "PE (1,0) pc 0x0: color 5 going SOUTH from PE (1,0) is not accepted by PE (1,1) (rx lacks NORTH)");
}

TEST_F(err, unrouted_forwards_nowhere)
{
	EO(I_HALT());
	wb_route(self->b, 1, 0, 1, 1, 5, R, WE);
	wb_route(self->b, 0, 0, 1, 1, 5, EA, 0);
	E(I_SEND(0, 5));
	EXPECT_FAULT(-EIO, WAFER_ERR_UNROUTED, 1, 0, 0,
		     "PE (1,0) pc 0x0: color 5 reaches PE (0,0), whose router forwards it nowhere");
}

TEST_F(err, unrouted_loop)
{
	EO(I_HALT());
	wb_route(self->b, 0, 0, 3, 2, 5, WE | EA | N | S, 0);
	wb_route(self->b, 1, 0, 1, 1, 5, R | S, EA);
	wb_route(self->b, 2, 0, 1, 1, 5, WE, S);
	wb_route(self->b, 2, 1, 1, 1, 5, N, WE);
	wb_route(self->b, 1, 1, 1, 1, 5, EA, N);
	E(I_SEND(0, 5));
	EXPECT_EQ(-EIO, wt_run(self->w, self->b, &self->rg, NULL, 0, &self->st, &self->f));
	EXPECT_EQ(WAFER_ERR_UNROUTED, self->f.status);
	EXPECT_NE(NULL, strstr(self->f.msg, "route of color 5 loops")) TH_LOG("%s", self->f.msg);
}

TEST_F(err, unrouted_recv)
{
	EO(I_HALT());
	E(I_RECV(1, 9));
	EXPECT_FAULT(-EIO, WAFER_ERR_UNROUTED, 1, 0, 0,
		     "PE (1,0) pc 0x0: recv on color 9, which the router never delivers to RAMP");
}

/* Two sources feeding one (PE, color) queue break determinism: refused. */
TEST_F(err, unrouted_two_producers)
{
	uint32_t g2 = wb_group(self->b);

	wb_rect(self->b, 2, 0, 1, 1, g2);
	wb_entry(self->b, 0, g2, 0);
	EO(I_HALT());
	/* (1,0) sends first (east), (2,0) sends to itself later. */
	wb_route(self->b, 1, 0, 1, 1, 5, R, EA);
	wb_route(self->b, 2, 0, 1, 1, 5, WE | R, R);
	E(I_SEND(0, 5));
	E(I_HALT());
	for (int i = 0; i < 200; i++)
		wb_emit(self->b, g2, I_NOP());
	wb_emit(self->b, g2, I_RECV(1, 5));
	wb_emit(self->b, g2, I_SEND(1, 5));
	wb_emit(self->b, g2, I_HALT());
	EXPECT_EQ(-EIO, wt_run(self->w, self->b, &self->rg, NULL, 0, &self->st, &self->f));
	EXPECT_EQ(WAFER_ERR_UNROUTED, self->f.status);
	EXPECT_NE(NULL, strstr(self->f.msg, "one producer per queue")) TH_LOG("%s", self->f.msg);
}

/* Everybody waits for everybody: the message says who waits for what. */
TEST_F(err, deadlock_recv)
{
	uint32_t g2 = wb_group(self->b);

	wb_rect(self->b, 0, 1, 1, 1, g2);
	wb_entry(self->b, 0, g2, 0);
	EO(I_HALT());
	wb_route(self->b, 1, 0, 1, 1, 1, R, R);
	wb_route(self->b, 0, 1, 1, 1, 2, R, R);
	E(I_RECV(1, 1));
	E(I_SEND(1, 1));
	wb_emit(self->b, g2, I_NOP());
	wb_emit(self->b, g2, I_RECV(1, 2));
	EXPECT_FAULT(-EDEADLK, WAFER_ERR_DEADLOCK, 1, 0, 0,
		     "PE (1,0) pc 0x0: deadlock, 2 PEs blocked: (1,0) recv c1, (0,1) recv c2");
}

/* A producer filling the queue of a PE that never receives. */
TEST_F(err, deadlock_send)
{
	uint32_t g2 = wb_group(self->b);

	wb_rect(self->b, 2, 1, 1, 1, g2);
	wb_entry(self->b, 0, g2, 0);
	EO(I_HALT());
	wb_route(self->b, 1, 0, 1, 1, 3, R, S);
	wb_route(self->b, 1, 1, 1, 1, 3, N, R);
	wb_route(self->b, 2, 1, 1, 1, 4, R, R);
	E(I_LI(1, 100));
	E(I_LI(2, 0x100));
	E(I_DMEM(I32, 0, 2, 1, 1));
	E(I_DFAB(I32, 1, 3, 1));
	E(I_V(MOV, I32, 1, 0, 0, 0));
	wb_emit(self->b, g2, I_RECV(1, 4));
	EXPECT_FAULT(-EDEADLK, WAFER_ERR_DEADLOCK, 1, 0, 0x20,
		     "PE (1,0) pc 0x20: deadlock, 2 PEs blocked: (1,0) send c3, (2,1) recv c4");
}

/* Many blocked PEs: the list is cut, the count is complete. */
TEST_F(err, deadlock_many)
{
	wb_route(self->b, 0, 0, 3, 2, 7, R, R);
	EO(I_RECV(1, 7));
	E(I_RECV(1, 7));
	EXPECT_EQ(-EDEADLK, wt_run(self->w, self->b, &self->rg, NULL, 0, &self->st, &self->f));
	EXPECT_EQ(WAFER_ERR_DEADLOCK, self->f.status);
	EXPECT_EQ(0, self->f.pe_x);
	EXPECT_EQ(0, self->f.pe_y);
	EXPECT_NE(NULL, strstr(self->f.msg, "deadlock, 6 PEs blocked: (0,0) recv c7, (1,0) recv c7"))
		TH_LOG("%s", self->f.msg);
}

TEST_F(err, runaway)
{
	struct wafer_config c;

	EO(I_HALT());
	E(I_LI(1, 0));
	E(I_ALUI(ADD, 1, 1, 1));
	E(I_JMP(8));
	wafer_set_insn_budget(self->w, 1001);
	EXPECT_FAULT(-ETIMEDOUT, WAFER_ERR_RUNAWAY, 1, 0, 0x8,
		     "PE (1,0) pc 0x8: instruction budget of 1001 exhausted");
	wafer_get_config(self->w, &c);
	EXPECT_EQ(1001, c.insn_budget);
	wafer_set_insn_budget(self->w, 0);
}

/* A huge vector is charged by its length: the budget bounds it too. */
TEST_F(err, runaway_long_vector)
{
	EO(I_HALT());
	E(I_LI(1, 0x100));
	E(I_LI(2, 100000000));
	E(I_DMEM(I32, 0, 1, 2, 0));
	E(I_V(FILL, I32, 0, 0, 0, 0));
	wafer_set_insn_budget(self->w, 100000);
	EXPECT_FAULT(-ETIMEDOUT, WAFER_ERR_RUNAWAY, 1, 0, 0x18,
		     "PE (1,0) pc 0x18: instruction budget of 100000 exhausted");
	wafer_set_insn_budget(self->w, 0);
}

static uint32_t fuzz_state = 99;

static uint32_t fuzz_rnd(void)
{
	fuzz_state ^= fuzz_state << 13;
	fuzz_state ^= fuzz_state >> 17;
	fuzz_state ^= fuzz_state << 5;
	return fuzz_state;
}

/*
 * Random code, mostly valid opcodes with random operands, on every PE with
 * routes everywhere: whatever happens, the run ends with a status and a
 * message, and nothing outside the region changes.
 */
TEST_F(err, fuzz_random_code)
{
	static const uint8_t ops[] = {
		0x01, 0x02, 0x10, 0x12, 0x13, 0x14, 0x18, 0x1b, 0x1e, 0x1f, 0x20,
		0x23, 0x26, 0x29, 0x2a, 0x30, 0x31, 0x32, 0x33, 0x40, 0x41,
		0x42, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x50, 0x58, 0x59, 0x60,
		0x61, 0x62, 0x63, 0x70, 0x71, 0x76, 0x77, 0x7a, 0x7b, 0x7c,
		0x03, 0x00,
	};
	unsigned int seen[WAFER_STATUS_COUNT] = { 0 };

	wafer_set_insn_budget(self->w, 20000);
	for (int round = 0; round < 400; round++) {
		int ret;

		wb_free(self->b);
		self->b = wb_new(3, 2);
		wb_func(self->b, "main");
		self->g = wb_group(self->b);
		wb_rect(self->b, 0, 0, 3, 2, self->g);
		wb_entry(self->b, 0, self->g, 0);
		for (int r = 0; r < 6; r++)
			wb_route(self->b, fuzz_rnd() % 3, fuzz_rnd() % 2, 1, 1,
				 fuzz_rnd() % 4, fuzz_rnd() & 0x1f, fuzz_rnd() & 0x1f);
		/* Registers get small values first, so that some accesses land. */
		for (int r = 1; r < 16; r++)
			E(I_LI(r, fuzz_rnd() % 3 ? (fuzz_rnd() % 0x2000) & ~3u : fuzz_rnd()));
		for (int i = 0; i < 64; i++) {
			uint8_t op = ops[fuzz_rnd() % sizeof(ops)];
			struct isa_insn in = {
				.opcode = op,
				.rd = fuzz_rnd() % 16, .ra = fuzz_rnd() % 16,
				.rb = fuzz_rnd() % 16, .rc = fuzz_rnd() % 16,
				.type = fuzz_rnd() % 4, .imm = fuzz_rnd(),
			};

			/* Mostly plausible operands, sometimes anything. */
			if (fuzz_rnd() % 8) {
				if (op >= ISA_OP_DMEM) {
					in.rd %= 8;
					in.ra %= 8;
					in.rb %= 8;
					in.rc %= 8;
				}
				if (op >= ISA_OP_BEQ && op <= ISA_OP_CALL)
					in.imm = 8 * (fuzz_rnd() % 80);
				else if (op == ISA_OP_SEND || op == ISA_OP_RECV ||
					 op == ISA_OP_DFAB)
					in.imm = fuzz_rnd() % 4;
				else if (op == ISA_OP_CSR)
					in.imm %= 10;
				else
					in.imm = (fuzz_rnd() % 0x400) & ~3u;
				in.flags = op < 0x30 ? fuzz_rnd() % 2 : 0;
			} else {
				in.type = fuzz_rnd() % 16;
				in.flags = fuzz_rnd() % 16;
			}
			E(in);
		}
		ret = wt_run(self->w, self->b, &self->rg, NULL, 0, &self->st, &self->f);
		ASSERT_LT(self->f.status, WAFER_STATUS_COUNT);
		seen[self->f.status]++;
		if (ret) {
			ASSERT_NE(0, self->f.msg[0]);
			ASSERT_EQ(0, strncmp(self->f.msg, "PE (", 4)) TH_LOG("%s", self->f.msg);
		}
	}
	wafer_set_insn_budget(self->w, 0);
	for (int i = 0; i < WAFER_STATUS_COUNT; i++)
		if (seen[i])
			TH_LOG("%s: %u", wafer_status_name(i), seen[i]);
	/* The mix reaches the interesting states. */
	EXPECT_GT(seen[WAFER_ERR_SRAM_RANGE], 0);
	EXPECT_GT(seen[WAFER_ERR_ILLEGAL_INSN], 0);
	EXPECT_GT(seen[WAFER_ERR_UNROUTED] + seen[WAFER_ERR_DEADLOCK], 0);
}

TEST_HARNESS_MAIN
