// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wafer-fabric.c - routes, broadcasts, multi-hop paths, back-pressure,
 * streaming through the ALU, and the modeled arrival times.
 */
#include "kselftest_harness.h"
#include "wafer-test.h"
#include "fabric.h"

#define OUT	0x8000
#define IN	0x6000
#define R	WAFER_PORT_RAMP
#define N	WAFER_PORT_NORTH
#define S	WAFER_PORT_SOUTH
#define EA	WAFER_PORT_EAST
#define WE	WAFER_PORT_WEST

FIXTURE(fab) {
	struct wafer *w;
	struct wb *b;
	struct wafer_fault f;
	struct wafer_run_stats st;
};

FIXTURE_VARIANT(fab) {
	uint32_t threads;
};

FIXTURE_VARIANT_ADD(fab, t1) { .threads = 1 };
FIXTURE_VARIANT_ADD(fab, t2) { .threads = 2 };

FIXTURE_SETUP(fab)
{
	self->w = wt_wafer(8, 8, variant->threads, 4);
	ASSERT_NE(NULL, self->w);
	self->b = NULL;
}

FIXTURE_TEARDOWN(fab)
{
	wb_free(self->b);
	wafer_destroy(self->w);
}

/* A program with function "main"; roles are groups placed on rectangles. */
static struct wb *prog(uint32_t w, uint32_t h)
{
	struct wb *b = wb_new(w, h);

	wb_func(b, "main");
	return b;
}

static uint32_t role(struct wb *b, uint32_t x, uint32_t y, uint32_t w,
		     uint32_t h)
{
	uint32_t g = wb_group(b);

	wb_rect(b, x, y, w, h, g);
	wb_entry(b, 0, g, wb_pc(b, g));
	return g;
}

#define E(g, i)	wb_emit(self->b, (g), (i))
#define RUN(rg)	ASSERT_EQ(0, wt_run(self->w, self->b, (rg), NULL, 0, \
				    &self->st, &self->f)) TH_LOG("%s", self->f.msg)

/* One wavelet to the east neighbour: value and arrival time. */
TEST_F(fab, send_recv_neighbour)
{
	struct wafer_rect rg = { 3, 2, 2, 1 };
	uint32_t s, r;

	self->b = prog(2, 1);
	s = role(self->b, 0, 0, 1, 1);
	r = role(self->b, 1, 0, 1, 1);
	wb_route(self->b, 0, 0, 1, 1, 3, R, EA);
	wb_route(self->b, 1, 0, 1, 1, 3, WE, R);
	E(s, I_LI(1, 42));			/* clock 1 */
	E(s, I_SEND(1, 3));			/* leaves at 2 */
	E(s, I_HALT());
	E(r, I_RECV(2, 3));			/* arrives 2 + 2 hops */
	E(r, I_CSR(3, ISA_CSR_CYCLES));
	E(r, I_ST(2, 0, OUT));
	E(r, I_ST(3, 0, OUT + 4));
	E(r, I_HALT());
	RUN(&rg);
	EXPECT_EQ(42, wt_word(self->w, &rg, 1, 0, OUT));
	EXPECT_EQ(4, wt_word(self->w, &rg, 1, 0, OUT + 4));
	EXPECT_EQ(8, self->st.cycles);
	EXPECT_EQ(1, self->st.wavelets);
	EXPECT_EQ(8, self->st.instructions);
}

/* Stripe value v (0..127) as a router position that never takes RAMP. */
static void stripe(struct wb *b, uint32_t x, uint32_t y, uint32_t w,
		   uint32_t h, uint32_t v, uint8_t pos)
{
	wb_route_pos(b, x, y, w, h, 1, (uint8_t)(N << (v % 4)),
		     (uint8_t)((v / 4) & 31), pos);
}

/*
 * 300 x 240 routers with 72,000 different configurations of one color
 * (column stripes in positions 0 and 2, row stripes in 1 and 3): more
 * than a 16-bit index per PE can name. The last two PEs still send and
 * receive through theirs.
 */
TEST(many_router_configurations)
{
	struct wafer_rect rg = { 0, 0, 300, 240 };
	struct wafer *w = wt_wafer(300, 240, 1, 4);
	struct wafer_run_stats st;
	struct wafer_fault f;
	struct wb *b = prog(300, 240);
	uint32_t s, r;

	ASSERT_NE(NULL, w);
	for (uint32_t x = 0; x < 300; x++) {
		stripe(b, x, 0, 1, 240, x % 128, 0);
		stripe(b, x, 0, 1, 240, x / 128, 2);
	}
	for (uint32_t y = 0; y < 240; y++) {
		stripe(b, 0, y, 300, 1, y % 128, 1);
		stripe(b, 0, y, 300, 1, y / 128, 3);
	}
	for (uint8_t pos = 1; pos < 4; pos++) {
		wb_route_pos(b, 298, 239, 1, 1, 1, N, 0, pos);
		wb_route_pos(b, 299, 239, 1, 1, 1, N, 0, pos);
	}
	wb_route_pos(b, 298, 239, 1, 1, 1, R, EA, 0);
	wb_route_pos(b, 299, 239, 1, 1, 1, WE, R, 0);
	s = role(b, 298, 239, 1, 1);
	r = role(b, 299, 239, 1, 1);
	wb_emit(b, s, I_LI(1, 42));
	wb_emit(b, s, I_SEND(1, 1));
	wb_emit(b, s, I_HALT());
	wb_emit(b, r, I_RECV(2, 1));
	wb_emit(b, r, I_ST(2, 0, OUT));
	wb_emit(b, r, I_HALT());
	ASSERT_EQ(0, wt_run(w, b, &rg, NULL, 0, &st, &f)) TH_LOG("%s", f.msg);
	EXPECT_EQ(42, wt_word(w, &rg, 299, 239, OUT));
	EXPECT_EQ(1, st.wavelets);
	wb_free(b);
	wafer_destroy(w);
}

/* A vector broadcast along a row reaches every PE, one hop further each. */
TEST_F(fab, row_broadcast)
{
	struct wafer_rect rg = { 0, 5, 8, 1 };
	uint32_t s, r, v[16];

	for (unsigned int i = 0; i < 16; i++)
		v[i] = 1000 + i;
	self->b = prog(8, 1);
	s = role(self->b, 0, 0, 1, 1);
	r = role(self->b, 1, 0, 7, 1);
	wb_route(self->b, 0, 0, 1, 1, 5, R, EA);
	wb_route(self->b, 1, 0, 6, 1, 5, WE, R | EA);
	wb_route(self->b, 7, 0, 1, 1, 5, WE, R);
	wb_data(self->b, s, IN, v, sizeof(v));
	E(s, I_LI(1, IN));
	E(s, I_LI(2, 16));
	E(s, I_DMEM(I32, 0, 1, 2, 1));
	E(s, I_DFAB(I32, 1, 5, 2));
	E(s, I_V(MOV, I32, 1, 0, 0, 0));
	E(s, I_HALT());
	E(r, I_LI(1, OUT));
	E(r, I_LI(2, 16));
	E(r, I_DMEM(I32, 0, 1, 2, 1));
	E(r, I_DFAB(I32, 1, 5, 2));
	E(r, I_V(MOV, I32, 0, 1, 0, 0));
	E(r, I_CSR(3, ISA_CSR_CYCLES));
	E(r, I_ST(3, 0, OUT + 0x100));
	E(r, I_HALT());
	RUN(&rg);
	/*
	 * Element j leaves PE 0 at t[j] and reaches PE x 1 + x hops later.
	 * Queues are 4 deep: element j also waits until the farthest PE
	 * (8 hops, always bound by arrivals) took element j - 4.
	 */
	uint32_t t[16];

	for (unsigned int j = 0; j < 16; j++)
		t[j] = j < 4 ? 7 + j : t[j - 4] + 8;
	for (uint32_t x = 1; x < 8; x++) {
		for (unsigned int i = 0; i < 16; i++)
			ASSERT_EQ(1000 + i, wt_word(self->w, &rg, x, 0, OUT + 4 * i));
		EXPECT_EQ(t[15] + 1 + x, wt_word(self->w, &rg, x, 0, OUT + 0x100));
	}
	EXPECT_EQ(7 * 16, self->st.wavelets);
}

/* A column broadcast south; the last PE also forwards to its own RAMP. */
TEST_F(fab, column_broadcast)
{
	struct wafer_rect rg = { 6, 0, 1, 8 };
	uint32_t s, r;

	self->b = prog(1, 8);
	s = role(self->b, 0, 0, 1, 1);
	r = role(self->b, 0, 1, 1, 7);
	wb_route(self->b, 0, 0, 1, 1, 9, R, S);
	wb_route(self->b, 0, 1, 1, 6, 9, N, R | S);
	wb_route(self->b, 0, 7, 1, 1, 9, N, R);
	E(s, I_LI(1, 5));
	E(s, I_LI(2, 0));
	uint32_t loop = E(s, I_SEND(2, 9));
	E(s, I_ALUI(ADD, 2, 2, 3));
	E(s, I_ALUI(ADD, 1, 1, (uint32_t)-1));
	E(s, I_BR(BNE, 1, 0, loop));
	E(s, I_HALT());
	/* Receivers sum what they get, weighted by their row. */
	E(r, I_CSR(5, ISA_CSR_Y));
	E(r, I_LI(1, 5));
	E(r, I_LI(3, 0));
	loop = E(r, I_RECV(2, 9));
	E(r, I_ALU(MUL, 2, 2, 5));
	E(r, I_ALU(ADD, 3, 3, 2));
	E(r, I_ALUI(ADD, 1, 1, (uint32_t)-1));
	E(r, I_BR(BNE, 1, 0, loop));
	E(r, I_ST(3, 0, OUT));
	E(r, I_HALT());
	RUN(&rg);
	for (uint32_t y = 1; y < 8; y++) {
		EXPECT_EQ(30 * y, wt_word(self->w, &rg, 0, y, OUT));
	}
	EXPECT_EQ(35, self->st.wavelets);
}

/* East along a row, then south down a column: 8 links, 9 hops. */
TEST_F(fab, multi_hop_route)
{
	struct wafer_rect rg = { 1, 1, 6, 4 };
	uint32_t s, r;

	self->b = prog(6, 4);
	s = role(self->b, 0, 0, 1, 1);
	r = role(self->b, 5, 3, 1, 1);
	wb_route(self->b, 0, 0, 1, 1, 23, R, EA);
	wb_route(self->b, 1, 0, 4, 1, 23, WE, EA);
	wb_route(self->b, 5, 0, 1, 1, 23, WE, S);
	wb_route(self->b, 5, 1, 1, 2, 23, N, S);
	wb_route(self->b, 5, 3, 1, 1, 23, N, R);
	E(s, I_LI(1, 0xbeef));
	E(s, I_SEND(1, 23));
	E(s, I_HALT());
	E(r, I_RECV(2, 23));
	E(r, I_CSR(3, ISA_CSR_CYCLES));
	E(r, I_ST(2, 0, OUT));
	E(r, I_ST(3, 0, OUT + 4));
	E(r, I_HALT());
	RUN(&rg);
	EXPECT_EQ(0xbeef, wt_word(self->w, &rg, 5, 3, OUT));
	EXPECT_EQ(2 + 9, wt_word(self->w, &rg, 5, 3, OUT + 4));
	EXPECT_EQ(1, self->st.wavelets);
}

/*
 * A fast producer and a slow consumer with 4-deep queues: the producer's
 * k-th send leaves no earlier than the consumer took wavelet k - 4, and in
 * steady state exactly then.
 */
TEST_F(fab, back_pressure)
{
	struct wafer_rect rg = { 0, 0, 2, 1 };
	const uint32_t n = 64;
	uint32_t s, r, loop, eq = 0;

	self->b = prog(2, 1);
	s = role(self->b, 0, 0, 1, 1);
	r = role(self->b, 1, 0, 1, 1);
	wb_route(self->b, 0, 0, 1, 1, 2, R, EA);
	wb_route(self->b, 1, 0, 1, 1, 2, WE, R);
	E(s, I_LI(1, 0));
	loop = E(s, I_SEND(1, 2));
	E(s, I_CSR(3, ISA_CSR_CYCLES));
	E(s, I_ALUI(SHL, 4, 1, 2));
	E(s, I_ST(3, 4, OUT));
	E(s, I_ALUI(ADD, 1, 1, 1));
	E(s, I_LI(5, n));
	E(s, I_BR(BNE, 1, 5, loop));
	E(s, I_HALT());
	E(r, I_LI(1, 0));
	loop = E(r, I_NOP());
	for (int i = 0; i < 20; i++)
		E(r, I_NOP());
	E(r, I_RECV(2, 2));
	E(r, I_CSR(3, ISA_CSR_CYCLES));
	E(r, I_ALUI(SHL, 4, 1, 2));
	E(r, I_ST(3, 4, OUT));
	E(r, I_ST(2, 4, OUT + 0x400));
	E(r, I_ALUI(ADD, 1, 1, 1));
	E(r, I_LI(5, n));
	E(r, I_BR(BNE, 1, 5, loop));
	E(r, I_HALT());
	RUN(&rg);
	for (uint32_t k = 0; k < n; k++) {
		uint32_t sent = wt_word(self->w, &rg, 0, 0, OUT + 4 * k);
		uint32_t got = wt_word(self->w, &rg, 1, 0, OUT + 4 * k);

		ASSERT_EQ(k, wt_word(self->w, &rg, 1, 0, OUT + 0x400 + 4 * k));
		ASSERT_GE(got, sent + 2);
		if (k >= 4) {
			uint32_t freed = wt_word(self->w, &rg, 1, 0, OUT + 4 * (k - 4));

			ASSERT_GE(sent, freed);
			eq += sent == freed;
		}
	}
	EXPECT_GT(eq, n / 2);
}

/*
 * Back-pressure of a row broadcast: PE 0 sends to PEs 1-3, of which only
 * PE 2 is slow. A send waits for the slot it takes in every destination,
 * so the slow one alone paces it: the k-th send leaves no earlier than
 * PE 2 took wavelet k - 4 (queues of 4), most of the time exactly then,
 * and the fast PEs, which take each wavelet well before, never do.
 */
TEST_F(fab, back_pressure_broadcast_slowest)
{
	struct wafer_rect rg = { 0, 0, 4, 1 };
	const uint32_t n = 64;
	uint32_t s, fast, slow, loop, eq = 0, eq_fast = 0;

	self->b = prog(4, 1);
	s = role(self->b, 0, 0, 1, 1);
	fast = role(self->b, 1, 0, 1, 1);
	slow = role(self->b, 2, 0, 1, 1);
	wb_rect(self->b, 3, 0, 1, 1, fast);
	wb_route(self->b, 0, 0, 1, 1, 2, R, EA);
	wb_route(self->b, 1, 0, 2, 1, 2, WE, R | EA);
	wb_route(self->b, 3, 0, 1, 1, 2, WE, R);
	E(s, I_LI(1, 0));
	loop = E(s, I_SEND(1, 2));
	E(s, I_CSR(3, ISA_CSR_CYCLES));
	E(s, I_ALUI(SHL, 4, 1, 2));
	E(s, I_ST(3, 4, OUT));
	E(s, I_ALUI(ADD, 1, 1, 1));
	E(s, I_LI(5, n));
	E(s, I_BR(BNE, 1, 5, loop));
	E(s, I_HALT());
	for (int k = 0; k < 2; k++) {
		uint32_t g = k ? slow : fast;

		E(g, I_LI(1, 0));
		loop = E(g, I_NOP());
		for (int i = 0; k && i < 20; i++)
			E(g, I_NOP());
		E(g, I_RECV(2, 2));
		E(g, I_CSR(3, ISA_CSR_CYCLES));
		E(g, I_ALUI(SHL, 4, 1, 2));
		E(g, I_ST(3, 4, OUT));
		E(g, I_ST(2, 4, OUT + 0x400));
		E(g, I_ALUI(ADD, 1, 1, 1));
		E(g, I_LI(5, n));
		E(g, I_BR(BNE, 1, 5, loop));
		E(g, I_HALT());
	}
	RUN(&rg);
	for (uint32_t k = 0; k < n; k++) {
		uint32_t sent = wt_word(self->w, &rg, 0, 0, OUT + 4 * k);

		for (uint32_t x = 1; x < 4; x++)
			ASSERT_EQ(k, wt_word(self->w, &rg, x, 0, OUT + 0x400 + 4 * k));
		if (k >= 4) {
			uint32_t freed = wt_word(self->w, &rg, 2, 0, OUT + 4 * (k - 4));

			ASSERT_GE(sent, freed);
			eq += sent == freed;
			for (uint32_t x = 1; x < 4; x += 2)
				eq_fast += sent ==
					   wt_word(self->w, &rg, x, 0, OUT + 4 * (k - 4));
		}
	}
	EXPECT_GT(eq, n / 2);
	EXPECT_EQ(0, eq_fast);
}

/* Back-pressure inside one long vector send, consumed piecemeal. */
TEST_F(fab, back_pressure_vector)
{
	struct wafer_rect rg = { 2, 3, 3, 1 };
	const uint32_t n = 301;
	uint32_t s, r, loop, *v = malloc(n * 4), sent_end, got_end;

	for (unsigned int i = 0; i < n; i++)
		v[i] = i * 3;
	self->b = prog(3, 1);
	s = role(self->b, 0, 0, 1, 1);
	r = role(self->b, 2, 0, 1, 1);
	wb_route(self->b, 0, 0, 1, 1, 7, R, EA);
	wb_route(self->b, 1, 0, 1, 1, 7, WE, EA);
	wb_route(self->b, 2, 0, 1, 1, 7, WE, R);
	wb_data(self->b, s, IN, v, n * 4);
	E(s, I_LI(1, IN));
	E(s, I_LI(2, n));
	E(s, I_DMEM(I32, 0, 1, 2, 1));
	E(s, I_DFAB(I32, 1, 7, 2));
	E(s, I_V(MOV, I32, 1, 0, 0, 0));
	E(s, I_CSR(3, ISA_CSR_CYCLES));
	E(s, I_ST(3, 0, OUT));
	E(s, I_HALT());
	/* Receive 7 at a time (43 times) with a pause in between. */
	E(r, I_LI(1, OUT));
	E(r, I_LI(2, 7));
	E(r, I_DMEM(I32, 0, 1, 2, 1));
	E(r, I_DFAB(I32, 1, 7, 2));
	E(r, I_LI(6, 0));
	E(r, I_LI(7, n));
	loop = E(r, I_V(MOV, I32, 0, 1, 0, 0));
	E(r, I_DADVI(0, 28));
	for (int i = 0; i < 10; i++)
		E(r, I_NOP());
	E(r, I_ALUI(ADD, 6, 6, 7));
	E(r, I_BR(BLTU, 6, 7, loop));
	E(r, I_CSR(3, ISA_CSR_CYCLES));
	E(r, I_ST(3, 0, OUT + 0x7f0));
	E(r, I_HALT());
	RUN(&rg);
	for (unsigned int i = 0; i < n; i++) {
		ASSERT_EQ(v[i], wt_word(self->w, &rg, 2, 0, OUT + 4 * i));
	}
	sent_end = wt_word(self->w, &rg, 0, 0, OUT);
	got_end = wt_word(self->w, &rg, 2, 0, OUT + 0x7f0);
	/* Unhindered, the send would end at 4 + 2 + 301: it waited. */
	EXPECT_GT(sent_end, 43 * 14 - 14 * 2);
	EXPECT_LT(sent_end, got_end);
	free(v);
}

/* PE 0 streams A, PE 1 adds B from memory on the fly, PE 2 keeps the sum. */
TEST_F(fab, stream_through_alu)
{
	struct wafer_rect rg = { 0, 0, 3, 1 };
	const uint32_t n = 100;
	float a[100], bv[100];
	uint32_t g0, g1, g2;

	for (unsigned int i = 0; i < n; i++) {
		a[i] = i * 0.5f;
		bv[i] = 1000.0f - i;
	}
	self->b = prog(3, 1);
	g0 = role(self->b, 0, 0, 1, 1);
	g1 = role(self->b, 1, 0, 1, 1);
	g2 = role(self->b, 2, 0, 1, 1);
	wb_route(self->b, 0, 0, 1, 1, 1, R, EA);
	wb_route(self->b, 1, 0, 1, 1, 1, WE, R);
	wb_route(self->b, 1, 0, 1, 1, 2, R, EA);
	wb_route(self->b, 2, 0, 1, 1, 2, WE, R);
	wb_data(self->b, g0, IN, a, sizeof(a));
	wb_data(self->b, g1, IN, bv, sizeof(bv));
	E(g0, I_LI(1, IN));
	E(g0, I_LI(2, n));
	E(g0, I_DMEM(F32, 0, 1, 2, 1));
	E(g0, I_DFAB(F32, 1, 1, 2));
	E(g0, I_V(MOV, F32, 1, 0, 0, 0));
	E(g0, I_HALT());
	E(g1, I_LI(1, IN));
	E(g1, I_LI(2, n));
	E(g1, I_DMEM(F32, 0, 1, 2, 1));
	E(g1, I_DFAB(F32, 1, 1, 2));
	E(g1, I_DFAB(F32, 2, 2, 2));
	E(g1, I_LI(3, wt_fbits(2.0f)));
	E(g1, I_V(FMACS, F32, 2, 0, 1, 3));	/* out = B + 2 * in */
	E(g1, I_HALT());
	E(g2, I_LI(1, OUT));
	E(g2, I_LI(2, n));
	E(g2, I_DMEM(F32, 0, 1, 2, 1));
	E(g2, I_DFAB(F32, 1, 2, 2));
	E(g2, I_V(MOV, F32, 0, 1, 0, 0));
	E(g2, I_HALT());
	RUN(&rg);
	for (unsigned int i = 0; i < n; i++) {
		ASSERT_EQ(1000.0f - i + 2 * (i * 0.5f),
			  wt_float(self->w, &rg, 2, 0, OUT + 4 * i));
	}
	EXPECT_EQ(2 * n, self->st.wavelets);
}

/* Two operands on one color take alternate wavelets; reductions from fabric. */
TEST_F(fab, same_color_operands_and_reduction)
{
	struct wafer_rect rg = { 0, 0, 2, 1 };
	uint32_t s, r, v[40];

	for (unsigned int i = 0; i < 40; i++)
		v[i] = i + 1;
	self->b = prog(2, 1);
	s = role(self->b, 0, 0, 1, 1);
	r = role(self->b, 1, 0, 1, 1);
	wb_route(self->b, 0, 0, 1, 1, 4, R, EA);
	wb_route(self->b, 1, 0, 1, 1, 4, WE, R);
	wb_data(self->b, s, IN, v, sizeof(v));
	E(s, I_LI(1, IN));
	E(s, I_LI(2, 40));
	E(s, I_DMEM(I32, 0, 1, 2, 1));
	E(s, I_DFAB(I32, 1, 4, 2));
	E(s, I_V(MOV, I32, 1, 0, 0, 0));
	E(s, I_V(MOV, I32, 1, 0, 0, 0));	/* 40 more for the sum */
	E(s, I_HALT());
	E(r, I_LI(1, OUT));
	E(r, I_LI(2, 20));
	E(r, I_DMEM(I32, 0, 1, 2, 1));
	E(r, I_DFAB(I32, 1, 4, 2));
	E(r, I_V(SUB, I32, 0, 1, 1, 0));	/* w[2i] - w[2i+1] */
	E(r, I_LI(2, 40));
	E(r, I_DLEN(1, 2));
	E(r, I_V(RSUM, I32, 5, 1, 0, 0));
	E(r, I_ST(5, 0, OUT + 0x100));
	E(r, I_HALT());
	RUN(&rg);
	for (unsigned int i = 0; i < 20; i++) {
		EXPECT_EQ((uint32_t)-1, wt_word(self->w, &rg, 1, 0, OUT + 4 * i));
	}
	EXPECT_EQ(820, wt_word(self->w, &rg, 1, 0, OUT + 0x100));
}

/* A PE may send to itself (rx RAMP, tx RAMP); 16-bit wavelets. */
TEST_F(fab, loopback_16bit)
{
	struct wafer_rect rg = { 0, 0, 1, 1 };
	uint16_t v[3] = { 0x3c00, 0xbc00, 0x7c00 };
	uint32_t g;

	self->b = prog(1, 1);
	g = role(self->b, 0, 0, 1, 1);
	wb_route(self->b, 0, 0, 1, 1, 0, R, R);
	wb_data(self->b, g, IN, v, sizeof(v));
	E(g, I_LI(1, IN));
	E(g, I_LI(2, 3));
	E(g, I_DMEM(F16, 0, 1, 2, 1));
	E(g, I_DFAB(F16, 1, 0, 2));
	E(g, I_V(MOV, F16, 1, 0, 0, 0));
	E(g, I_RECV(3, 0));
	E(g, I_ST(3, 0, OUT));
	E(g, I_LI(1, OUT + 4));
	E(g, I_LI(2, 2));
	E(g, I_DMEM(F16, 0, 1, 2, 1));
	E(g, I_V(MOV, F16, 0, 1, 0, 0));
	E(g, I_HALT());
	RUN(&rg);
	EXPECT_EQ(0x3c00, wt_word(self->w, &rg, 0, 0, OUT));
	EXPECT_EQ(0x7c00bc00, wt_word(self->w, &rg, 0, 0, OUT + 4));
}

/* Wavelets left over from a launch do not leak into the next one. */
TEST_F(fab, queues_start_empty)
{
	struct wafer_rect rg = { 0, 0, 2, 1 };
	struct wafer_program *p;
	uint32_t s, r;

	self->b = prog(2, 1);
	s = role(self->b, 0, 0, 1, 1);
	r = role(self->b, 1, 0, 1, 1);
	wb_route(self->b, 0, 0, 1, 1, 6, R, EA);
	wb_route(self->b, 1, 0, 1, 1, 6, WE, R);
	E(s, I_CSR(1, ISA_CSR_CYCLES));
	E(s, I_SEND(1, 6));
	E(s, I_SEND(1, 6));
	E(s, I_HALT());
	E(r, I_RECV(2, 6));
	E(r, I_ALUI(ADD, 2, 2, 100));
	E(r, I_ST(2, 0, OUT));
	E(r, I_HALT());
	ASSERT_EQ(0, wafer_load(self->w, &rg, wb_image(self->b), &p, &self->f));
	for (int i = 0; i < 3; i++) {
		ASSERT_EQ(0, wafer_launch(p, 0, NULL, 0, &self->st, &self->f));
		EXPECT_EQ(100, wt_word(self->w, &rg, 1, 0, OUT));
		EXPECT_EQ(2, self->st.wavelets);
	}
	wafer_program_free(p);
}

/* A broadcast along a full CS-3 row (762 PEs), then back west to PE 0. */
TEST(full_width_row)
{
	const uint32_t W = WAFER_MAX_WIDTH;
	struct wafer_rect rg = { 0, 1, W, 1 };
	struct wafer_run_stats st;
	struct wafer_fault f;
	struct wafer *w = wt_wafer(W, 2, 2, 0);
	struct wb *b = prog(W, 1);
	uint32_t s, m, e;

	ASSERT_NE(NULL, w);
	s = role(b, 0, 0, 1, 1);
	m = role(b, 1, 0, W - 2, 1);
	e = role(b, W - 1, 0, 1, 1);
	wb_route(b, 0, 0, 1, 1, 11, R, EA);
	wb_route(b, 1, 0, W - 2, 1, 11, WE, R | EA);
	wb_route(b, W - 1, 0, 1, 1, 11, WE, R);
	/* The east end answers on color 12, straight through to PE 0. */
	wb_route(b, W - 1, 0, 1, 1, 12, R, WE);
	wb_route(b, 1, 0, W - 2, 1, 12, EA, WE);
	wb_route(b, 0, 0, 1, 1, 12, EA, R);
	wb_emit(b, s, I_LI(1, 7));
	wb_emit(b, s, I_SEND(1, 11));
	wb_emit(b, s, I_RECV(2, 12));
	wb_emit(b, s, I_CSR(3, ISA_CSR_CYCLES));
	wb_emit(b, s, I_ST(2, 0, OUT));
	wb_emit(b, s, I_ST(3, 0, OUT + 4));
	wb_emit(b, s, I_HALT());
	wb_emit(b, m, I_RECV(2, 11));
	wb_emit(b, m, I_CSR(3, ISA_CSR_X));
	wb_emit(b, m, I_ALU(ADD, 2, 2, 3));
	wb_emit(b, m, I_ST(2, 0, OUT));
	wb_emit(b, m, I_HALT());
	wb_emit(b, e, I_RECV(2, 11));
	wb_emit(b, e, I_ALUI(MUL, 2, 2, 100));
	wb_emit(b, e, I_SEND(2, 12));
	wb_emit(b, e, I_HALT());
	ASSERT_EQ(0, wt_run(w, b, &rg, NULL, 0, &st, &f)) TH_LOG("%s", f.msg);
	for (uint32_t x = 1; x < W - 1; x++) {
		ASSERT_EQ(7 + x, wt_word(w, &rg, x, 0, OUT));
	}
	EXPECT_EQ(700, wt_word(w, &rg, 0, 0, OUT));
	/* Sent at 2, 762 hops east, received at 764, multiplied and sent at
	 * 766, 762 hops west, received at 1528. */
	EXPECT_EQ(2 + W + 2 + W, wt_word(w, &rg, 0, 0, OUT + 4));
	EXPECT_EQ(W, st.wavelets);
	wb_free(b);
	wafer_destroy(w);
}

/* Queue ownership is per launch: two functions may feed one queue from
 * different PEs, one at a time. */
TEST_F(fab, queue_owner_per_launch)
{
	struct wafer_rect rg = { 0, 0, 3, 1 };
	struct wafer_program *p;
	uint32_t g0, g1, g2, f1, f2;

	self->b = wb_new(3, 1);
	f1 = wb_func(self->b, "from0");
	f2 = wb_func(self->b, "from1");
	g0 = wb_group(self->b);
	g1 = wb_group(self->b);
	g2 = wb_group(self->b);
	wb_rect(self->b, 0, 0, 1, 1, g0);
	wb_rect(self->b, 1, 0, 1, 1, g1);
	wb_rect(self->b, 2, 0, 1, 1, g2);
	wb_route(self->b, 0, 0, 1, 1, 8, R, EA);
	wb_route(self->b, 1, 0, 1, 1, 8, WE | R, EA);
	wb_route(self->b, 2, 0, 1, 1, 8, WE, R);
	wb_entry(self->b, f1, g0, wb_emit(self->b, g0, I_LI(1, 5)));
	E(g0, I_SEND(1, 8));
	E(g0, I_HALT());
	wb_entry(self->b, f2, g1, wb_emit(self->b, g1, I_LI(1, 7)));
	E(g1, I_SEND(1, 8));
	E(g1, I_HALT());
	wb_entry(self->b, f1, g2, wb_emit(self->b, g2, I_RECV(1, 8)));
	wb_entry(self->b, f2, g2, 0);
	E(g2, I_ST(1, 0, OUT));
	E(g2, I_HALT());
	ASSERT_EQ(0, wafer_load(self->w, &rg, wb_image(self->b), &p, &self->f));
	for (int i = 0; i < 2; i++) {
		ASSERT_EQ(0, wafer_launch(p, f1, NULL, 0, &self->st, &self->f))
			TH_LOG("%s", self->f.msg);
		EXPECT_EQ(5, wt_word(self->w, &rg, 2, 0, OUT));
		ASSERT_EQ(0, wafer_launch(p, f2, NULL, 0, &self->st, &self->f))
			TH_LOG("%s", self->f.msg);
		EXPECT_EQ(7, wt_word(self->w, &rg, 2, 0, OUT));
	}
	wafer_program_free(p);
}

/*
 * Load self->b on rg, launch it twice (the second launch reuses the
 * routes) with wafer_route_scan(p, scan), and keep the second launch's
 * words [OUT, OUT + 0x800) of every PE in out (w * 0x200 words a row).
 */
static int run_scan(struct wafer *w, struct wb *b, const struct wafer_rect *rg,
		    int scan, struct wafer_run_stats *st, struct wafer_fault *f,
		    uint32_t *out)
{
	struct wafer_program *p;
	int ret;

	ret = wafer_load(w, rg, wb_image(b), &p, f);
	if (ret)
		return ret;
	wafer_route_scan(p, scan);
	for (int k = 0; k < 2 && !ret; k++)
		ret = wafer_launch(p, 0, NULL, 0, st, f);
	for (uint32_t y = 0; y < rg->h; y++)
		for (uint32_t x = 0; x < rg->w; x++)
			memcpy(out + (y * rg->w + x) * 0x200,
			       wb_pe_sram(w, rg, x, y) + OUT, 0x800);
	wafer_program_free(p);
	return ret;
}

/* The sole-producer shortcut and the general path: the same everything. */
static void expect_scan_same(struct __test_metadata *_metadata,
			     struct wafer *w, struct wb *b,
			     const struct wafer_rect *rg,
			     struct wafer_run_stats *st)
{
	size_t words = (size_t)rg->w * rg->h * 0x200;
	uint32_t *a = calloc(words, 4), *g = calloc(words, 4);
	struct wafer_run_stats sg;
	struct wafer_fault f;

	ASSERT_NE(NULL, a);
	ASSERT_NE(NULL, g);
	ASSERT_EQ(0, run_scan(w, b, rg, 1, &sg, &f, g)) TH_LOG("%s", f.msg);
	ASSERT_EQ(0, run_scan(w, b, rg, 0, st, &f, a)) TH_LOG("%s", f.msg);
	EXPECT_EQ(sg.cycles, st->cycles);
	EXPECT_EQ(sg.instructions, st->instructions);
	EXPECT_EQ(sg.wavelets, st->wavelets);
	EXPECT_EQ(sg.wavelets_dropped, st->wavelets_dropped);
	EXPECT_EQ(0, memcmp(a, g, words * 4));
	free(a);
	free(g);
}

/*
 * A row broadcast into 4-deep queues (a sole producer's route: no merge,
 * no switch) with consumers of different speeds: the first sends of each
 * launch take the shortcut, later ones wait for room. Arrival values and
 * cycles, and the sender's departure cycles, as with the general path.
 */
TEST_F(fab, sole_route_broadcast_as_scan)
{
	struct wafer_rect rg = { 0, 0, 6, 1 };
	const uint32_t n = 24;
	uint32_t s, loop;

	self->b = prog(6, 1);
	s = role(self->b, 0, 0, 1, 1);
	wb_route(self->b, 0, 0, 1, 1, 2, R, EA);
	wb_route(self->b, 1, 0, 4, 1, 2, WE, R | EA);
	wb_route(self->b, 5, 0, 1, 1, 2, WE, R);
	E(s, I_LI(1, 0));
	loop = E(s, I_SEND(1, 2));
	E(s, I_CSR(3, ISA_CSR_CYCLES));
	E(s, I_ALUI(SHL, 4, 1, 2));
	E(s, I_ST(3, 4, OUT));
	E(s, I_ALUI(ADD, 1, 1, 1));
	E(s, I_LI(5, n));
	E(s, I_BR(BNE, 1, 5, loop));
	E(s, I_HALT());
	for (uint32_t x = 1; x < 6; x++) {
		uint32_t g = role(self->b, x, 0, 1, 1);

		E(g, I_LI(1, 0));
		loop = E(g, I_NOP());
		for (uint32_t i = 0; i < 7 * (x % 3); i++)
			E(g, I_NOP());
		E(g, I_RECV(2, 2));
		E(g, I_CSR(3, ISA_CSR_CYCLES));
		E(g, I_ALUI(SHL, 4, 1, 2));
		E(g, I_ST(3, 4, OUT));
		E(g, I_ST(2, 4, OUT + 0x400));
		E(g, I_ALUI(ADD, 1, 1, 1));
		E(g, I_LI(5, n));
		E(g, I_BR(BNE, 1, 5, loop));
		E(g, I_HALT());
	}
	expect_scan_same(_metadata, self->w, self->b, &rg, &self->st);
	for (uint32_t k = 0; k < n; k++)
		for (uint32_t x = 1; x < 6; x++)
			ASSERT_EQ(k, wt_word(self->w, &rg, x, 0, OUT + 0x400 + 4 * k));
	/* Back-pressure: the 5th send waited for the slowest PE's 1st pop. */
	EXPECT_GE(wt_word(self->w, &rg, 0, 0, OUT + 4 * 4),
		  wt_word(self->w, &rg, 2, 0, OUT));
	EXPECT_EQ(n * 5, self->st.wavelets);
}

/*
 * SENDC on a color that is a sole producer's pushes through a route of
 * its own: the SEND after it must not take the shortcut on what the
 * cached route knew (one wavelet queued of 2) and overwrite the first.
 */
TEST_F(fab, sole_route_after_sendc)
{
	struct wafer_rect rg = { 0, 0, 2, 1 };
	struct wafer *w2 = wt_wafer(2, 1, variant->threads, 2);
	uint32_t ga, gb, t;

	ASSERT_NE(NULL, w2);
	self->b = prog(2, 1);
	ga = role(self->b, 0, 0, 1, 1);
	gb = role(self->b, 1, 0, 1, 1);
	wb_route(self->b, 0, 0, 1, 1, 7, R, EA);
	wb_route(self->b, 1, 0, 1, 1, 7, WE, R);
	E(ga, I_LI(1, 9));
	E(ga, I_SEND(1, 7));
	E(ga, I_LI(1, 43));
	E(ga, I_SENDC(1, 7, NOP));
	E(ga, I_LI(1, 10));
	E(ga, I_SEND(1, 7));
	E(ga, I_LI(1, 11));
	E(ga, I_SEND(1, 7));
	E(ga, I_HALT());
	/* B: three RECVs (they skip the control wavelet), then tret. */
	E(gb, I_RECV(3, 7));
	E(gb, I_RECV(4, 7));
	E(gb, I_RECV(5, 7));
	E(gb, I_ST(3, 0, OUT));
	E(gb, I_ST(4, 0, OUT + 4));
	E(gb, I_ST(5, 0, OUT + 8));
	E(gb, I_TRET());
	t = wb_pc(self->b, gb);
	E(gb, I_LD(5, 0, OUT + 0x10));
	E(gb, I_ALUI(ADD, 5, 5, 1));
	E(gb, I_ST(5, 0, OUT + 0x10));
	E(gb, I_TRET());
	wb_task(self->b, gb, 4, WAFER_TASK_CONTROL, 7, 0, 0, t);
	expect_scan_same(_metadata, w2, self->b, &rg, &self->st);
	EXPECT_EQ(9, wt_word(w2, &rg, 1, 0, OUT));
	EXPECT_EQ(10, wt_word(w2, &rg, 1, 0, OUT + 4));
	EXPECT_EQ(11, wt_word(w2, &rg, 1, 0, OUT + 8));
	/* Once a launch: the counter is SRAM, kept from the first launch. */
	EXPECT_EQ(2, wt_word(w2, &rg, 1, 0, OUT + 0x10));
	EXPECT_EQ(0, self->st.wavelets_dropped);
	wafer_destroy(w2);
}

TEST_HARNESS_MAIN
