// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wafer-threads.c - determinism across thread counts, cancel from another
 * thread, concurrent launches on disjoint regions, reset during a run.
 */
#include <pthread.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "wafer-test.h"
#include "fabric.h"

#define OUT	0x8000
#define IN	0x6000
#define R	WAFER_PORT_RAMP
#define EA	WAFER_PORT_EAST
#define WE	WAFER_PORT_WEST

/* What a run produced: all SRAM of its region, stats and fault. */
struct outcome {
	uint8_t *sram;
	size_t len;
	struct wafer_run_stats st;
	struct wafer_fault f;
	int ret;
};

typedef struct wb *(*kernel_fn)(struct wafer_rect *rg, uint32_t *depth);
typedef void (*inputs_fn)(struct wafer *w, const struct wafer_rect *rg);

static void outcome_free(struct outcome *o)
{
	free(o->sram);
}

/* wafer_route_scan() of every program run_with() loads. */
static int route_scan;

static int run_with(uint32_t threads, kernel_fn k, inputs_fn in,
		    struct outcome *o)
{
	struct wafer_rect rg;
	struct wafer_program *p;
	struct wafer *w;
	uint32_t depth = 0;
	struct wb *b = k(&rg, &depth);
	size_t row;

	w = wt_wafer(rg.x + rg.w + 1, rg.y + rg.h + 1, threads, depth);
	if (!w)
		return -1;
	memset(o, 0, sizeof(*o));
	if (wafer_load(w, &rg, wb_image(b), &p, &o->f))
		return -1;
	wafer_route_scan(p, route_scan);
	if (in)
		in(w, &rg);
	o->ret = wafer_launch(p, 0, NULL, 0, &o->st, &o->f);
	row = (size_t)rg.w * WAFER_DEFAULT_SRAM;
	o->len = row * rg.h;
	o->sram = malloc(o->len);
	for (uint32_t y = 0; y < rg.h; y++)
		memcpy(o->sram + y * row, wb_pe_sram(w, &rg, 0, y), row);
	wafer_program_free(p);
	wafer_destroy(w);
	wb_free(b);
	return 0;
}

/* GEMV 256x192 on 16x12 PEs with 2-deep queues. */
#define DG_M	256
#define DG_N	192
#define DG_W	16
#define DG_H	12

static struct wb *k_gemv(struct wafer_rect *rg, uint32_t *depth)
{
	struct wb *b;

	*rg = (struct wafer_rect){ 1, 2, DG_W, DG_H };
	*depth = 2;
	wb_gemv(&b, DG_M, DG_N, DG_W, DG_H);
	return b;
}

static void in_gemv(struct wafer *w, const struct wafer_rect *rg)
{
	static float a[DG_M * DG_N], x[DG_N];

	for (unsigned int i = 0; i < DG_M * DG_N; i++)
		a[i] = (float)((i * 37) % 101) / 7.0f - 5.0f;
	for (unsigned int j = 0; j < DG_N; j++)
		x[j] = 1.0f / (1.0f + j);
	wb_gemv_scatter(w, rg, DG_M, DG_N, DG_W, DG_H, a, x);
}

/*
 * A pipeline along a row: each PE receives 500 values from the west,
 * adds its x times its index, sends them east after a delay that depends
 * on its position; PEs of the second row spin for different times and
 * record their clocks; the last PE stores.
 */
static struct wb *k_pipeline(struct wafer_rect *rg, uint32_t *depth)
{
	struct wb *b = wb_new(8, 2);
	uint32_t g0, gm, gl, gs, loop, even;

	*rg = (struct wafer_rect){ 0, 0, 8, 2 };
	*depth = 3;
	wb_func(b, "main");
	g0 = wb_group(b);
	gm = wb_group(b);
	gl = wb_group(b);
	gs = wb_group(b);
	wb_rect(b, 0, 0, 1, 1, g0);
	wb_rect(b, 1, 0, 6, 1, gm);
	wb_rect(b, 7, 0, 1, 1, gl);
	wb_rect(b, 0, 1, 8, 1, gs);
	for (uint32_t g = 0; g < 4; g++)
		wb_entry(b, 0, g, 0);
	/*
	 * Colors alternate by column so that each queue has one producer:
	 * even columns send on 1 and receive on 2, odd ones the reverse.
	 */
	wb_route(b, 0, 0, 1, 1, 1, R, EA);
	for (uint32_t x = 1; x < 7; x++) {
		uint8_t rc = x & 1 ? 1 : 2, sc = x & 1 ? 2 : 1;

		wb_route(b, x, 0, 1, 1, rc, WE, R);
		wb_route(b, x, 0, 1, 1, sc, R, EA);
	}
	wb_route(b, 7, 0, 1, 1, 1, WE, R);

	/* Source: the values 0..499, one send each. */
	wb_emit(b, g0, I_LI(1, 0));
	wb_emit(b, g0, I_LI(2, 500));
	loop = wb_emit(b, g0, I_SEND(1, 1));
	wb_emit(b, g0, I_ALUI(ADD, 1, 1, 1));
	wb_emit(b, g0, I_BR(BNE, 1, 2, loop));
	wb_emit(b, g0, I_HALT());

	/* Middle: 20 chunks of 25 through the ALU adding x; odd columns
	 * pause after each chunk. */
	wb_emit(b, gm, I_CSR(3, ISA_CSR_X));
	wb_emit(b, gm, I_ALUI(AND, 4, 3, 1));
	wb_emit(b, gm, I_LI(5, 20));
	wb_emit(b, gm, I_LI(6, 25));
	even = wb_emit(b, gm, I_BR(BEQ, 4, 0, 0));
	wb_emit(b, gm, I_DFAB(I32, 0, 1, 6));
	wb_emit(b, gm, I_DFAB(I32, 1, 2, 6));
	loop = wb_emit(b, gm, I_V(ADDS, I32, 1, 0, 3, 0));
	for (int i = 0; i < 7; i++)
		wb_emit(b, gm, I_NOP());
	wb_emit(b, gm, I_ALUI(ADD, 5, 5, (uint32_t)-1));
	wb_emit(b, gm, I_BR(BNE, 5, 0, loop));
	wb_emit(b, gm, I_HALT());
	wb_patch(b, gm, even, wb_pc(b, gm));
	wb_emit(b, gm, I_DFAB(I32, 0, 2, 6));
	wb_emit(b, gm, I_DFAB(I32, 1, 1, 6));
	loop = wb_emit(b, gm, I_V(ADDS, I32, 1, 0, 3, 0));
	wb_emit(b, gm, I_ALUI(ADD, 5, 5, (uint32_t)-1));
	wb_emit(b, gm, I_BR(BNE, 5, 0, loop));
	wb_emit(b, gm, I_HALT());

	/* Last: store all 500 and the clock. */
	wb_emit(b, gl, I_LI(1, OUT));
	wb_emit(b, gl, I_LI(2, 500));
	wb_emit(b, gl, I_DMEM(I32, 0, 1, 2, 1));
	wb_emit(b, gl, I_DFAB(I32, 1, 1, 2));
	wb_emit(b, gl, I_V(MOV, I32, 0, 1, 0, 0));
	wb_emit(b, gl, I_CSR(3, ISA_CSR_CYCLES));
	wb_emit(b, gl, I_ST(3, 0, OUT + 0x1000));
	wb_emit(b, gl, I_HALT());

	/* Spinners: x * 3000 iterations, then record the clock. */
	wb_emit(b, gs, I_CSR(1, ISA_CSR_X));
	wb_emit(b, gs, I_ALUI(MUL, 1, 1, 3000));
	loop = wb_emit(b, gs, I_ALUI(ADD, 1, 1, (uint32_t)-1));
	wb_emit(b, gs, I_BR(BGE, 1, 0, loop));
	wb_emit(b, gs, I_CSR(3, ISA_CSR_CYCLES));
	wb_emit(b, gs, I_ST(3, 0, OUT));
	wb_emit(b, gs, I_HALT());
	return b;
}

/* A deadlock after some traffic: the report must not depend on timing. */
static struct wb *k_deadlock(struct wafer_rect *rg, uint32_t *depth)
{
	struct wb *b = wb_new(4, 1);
	uint32_t g0, g1, loop;

	*rg = (struct wafer_rect){ 0, 0, 4, 1 };
	*depth = 4;
	wb_func(b, "main");
	g0 = wb_group(b);
	g1 = wb_group(b);
	wb_rect(b, 0, 0, 4, 1, g1);
	wb_rect(b, 0, 0, 1, 1, g0);
	wb_entry(b, 0, g0, 0);
	wb_entry(b, 0, g1, 0);
	wb_route(b, 0, 0, 1, 1, 3, R, EA);
	wb_route(b, 1, 0, 2, 1, 3, WE, R | EA);
	wb_route(b, 3, 0, 1, 1, 3, WE, R);
	/* PE 0 sends 100, the others take 30 each: PE 0 blocks sending. */
	wb_emit(b, g0, I_LI(1, 100));
	loop = wb_emit(b, g0, I_SEND(1, 3));
	wb_emit(b, g0, I_ALUI(ADD, 1, 1, (uint32_t)-1));
	wb_emit(b, g0, I_BR(BNE, 1, 0, loop));
	wb_emit(b, g0, I_HALT());
	wb_emit(b, g1, I_LI(1, 30));
	loop = wb_emit(b, g1, I_RECV(2, 3));
	wb_emit(b, g1, I_ALUI(ADD, 1, 1, (uint32_t)-1));
	wb_emit(b, g1, I_BR(BNE, 1, 0, loop));
	wb_emit(b, g1, I_HALT());
	return b;
}

static void expect_same(struct __test_metadata *_metadata,
			const struct outcome *a, const struct outcome *b)
{
	EXPECT_EQ(a->ret, b->ret);
	EXPECT_EQ(a->st.cycles, b->st.cycles);
	EXPECT_EQ(a->st.instructions, b->st.instructions);
	EXPECT_EQ(a->st.wavelets, b->st.wavelets);
	EXPECT_EQ(a->f.status, b->f.status);
	EXPECT_STREQ(a->f.msg, b->f.msg);
	ASSERT_EQ(a->len, b->len);
	EXPECT_EQ(0, memcmp(a->sram, b->sram, a->len));
}

/*
 * Faulting runs promise their report and cycles; what SRAM and the
 * counters hold depends on how far other PEs ran past the fault.
 */
static void expect_same_df(struct __test_metadata *_metadata,
			   const struct outcome *a, const struct outcome *b)
{
	if (a->ret && a->f.status != WAFER_ERR_DEADLOCK) {
		EXPECT_EQ(a->ret, b->ret);
		EXPECT_EQ(a->st.cycles, b->st.cycles);
		EXPECT_EQ(a->f.status, b->f.status);
		EXPECT_STREQ(a->f.msg, b->f.msg);
		return;
	}
	expect_same(_metadata, a, b);
	EXPECT_EQ(a->st.wavelets_dropped, b->st.wavelets_dropped);
}

static void check_determinism(struct __test_metadata *_metadata, kernel_fn k,
			      inputs_fn in)
{
	struct outcome o1, o;

	ASSERT_EQ(0, run_with(1, k, in, &o1));
	for (uint32_t t = 2; t <= 4; t += 2) {
		for (int rep = 0; rep < 3; rep++) {
			ASSERT_EQ(0, run_with(t, k, in, &o));
			expect_same(_metadata, &o1, &o);
			outcome_free(&o);
		}
	}
	TH_LOG("ret %d cycles %llu instructions %llu wavelets %llu %s", o1.ret,
	       (unsigned long long)o1.st.cycles,
	       (unsigned long long)o1.st.instructions,
	       (unsigned long long)o1.st.wavelets, o1.f.msg);
	outcome_free(&o1);
}

/* GEMV: broadcast + reduction, bit-identical at 1, 2 and 4 threads. */
TEST(determinism_gemv)
{
	check_determinism(_metadata, k_gemv, in_gemv);
}

/* Back-pressure through a pipeline with uneven work: same at any count. */
TEST(determinism_pipeline)
{
	struct outcome o;
	struct wafer_rect rg;
	uint32_t d;

	check_determinism(_metadata, k_pipeline, NULL);
	ASSERT_EQ(0, run_with(2, k_pipeline, NULL, &o));
	ASSERT_EQ(0, o.ret) TH_LOG("%s", o.f.msg);
	wb_free(k_pipeline(&rg, &d));
	/* Value i gets x added for x = 1..6 on the way: i + 21. */
	for (uint32_t i = 0; i < 500; i++) {
		uint32_t v;

		memcpy(&v, o.sram + 7 * WAFER_DEFAULT_SRAM + OUT + 4 * i, 4);
		ASSERT_EQ(i + 21, v);
	}
	outcome_free(&o);
}

/* Deadlock reports are the same at any thread count. */
TEST(determinism_deadlock)
{
	struct outcome o;

	check_determinism(_metadata, k_deadlock, NULL);
	ASSERT_EQ(0, run_with(4, k_deadlock, NULL, &o));
	EXPECT_EQ(-EDEADLK, o.ret);
	EXPECT_STREQ("PE (0,0) pc 0x8: deadlock, 1 PEs blocked: (0,0) send c3", o.f.msg);
	outcome_free(&o);
}

struct canceller {
	struct wafer_program *p;
	struct wafer *w;
	useconds_t delay;
	bool reset;
};

static void *cancel_main(void *arg)
{
	struct canceller *c = arg;

	usleep(c->delay);
	if (c->reset)
		wafer_reset(c->w);
	else
		wafer_program_cancel(c->p);
	return NULL;
}

FIXTURE(run) {
	struct wafer *w;
	struct wb *b;
	struct wafer_fault f;
	struct wafer_run_stats st;
};

FIXTURE_SETUP(run)
{
	self->w = wt_wafer(16, 8, 2, 0);
	ASSERT_NE(NULL, self->w);
	self->b = NULL;
}

FIXTURE_TEARDOWN(run)
{
	wb_free(self->b);
	wafer_destroy(self->w);
}

/*
 * PE 0 spins in a one-instruction loop; PE 1 waits for a wavelet that never
 * comes; PE 2 halts. Function 1 just halts everywhere.
 */
static struct wb *k_hang(void)
{
	struct wb *b = wb_new(3, 1);
	uint32_t g0, g1, g2, fn2;

	wb_func(b, "hang");
	fn2 = wb_func(b, "quick");
	g0 = wb_group(b);
	g1 = wb_group(b);
	g2 = wb_group(b);
	wb_rect(b, 0, 0, 1, 1, g0);
	wb_rect(b, 1, 0, 1, 1, g1);
	wb_rect(b, 2, 0, 1, 1, g2);
	wb_route(b, 0, 0, 1, 1, 0, R, EA);
	wb_route(b, 1, 0, 1, 1, 0, WE, R);
	wb_entry(b, 0, g0, wb_emit(b, g0, I_JMP(0)));
	wb_entry(b, 0, g1, wb_emit(b, g1, I_RECV(1, 0)));
	wb_entry(b, 0, g2, wb_emit(b, g2, I_HALT()));
	wb_entry(b, fn2, g0, wb_emit(b, g0, I_HALT()));
	wb_entry(b, fn2, g1, wb_emit(b, g1, I_HALT()));
	return b;
}

/* A spinning and a blocked PE stop promptly on cancel; re-arm works. */
TEST_F(run, cancel_hung_kernel)
{
	struct wafer_rect rg = { 4, 4, 3, 1 };
	struct canceller c = { .delay = 100000 };
	struct wafer_program *p;
	pthread_t t;
	double t0;

	self->b = k_hang();
	ASSERT_EQ(0, wafer_load(self->w, &rg, wb_image(self->b), &p, &self->f));
	c.p = p;
	ASSERT_EQ(0, pthread_create(&t, NULL, cancel_main, &c));
	t0 = wt_now();
	EXPECT_EQ(-ECANCELED, wafer_launch(p, 0, NULL, 0, &self->st, &self->f));
	EXPECT_LT(wt_now() - t0, 1.5);
	pthread_join(t, NULL);
	EXPECT_EQ(WAFER_ERR_CANCELLED, self->f.status);
	EXPECT_EQ(0, self->f.pe_x);
	EXPECT_EQ(0, self->f.pc);
	EXPECT_STREQ("PE (0,0) pc 0x0: run cancelled by the host, 2 PEs had not halted",
		     self->f.msg);
	EXPECT_GT(self->st.instructions, 1000);

	/* Still cancelled: the next launch stops at once. */
	EXPECT_EQ(-ECANCELED, wafer_launch(p, 1, NULL, 0, &self->st, &self->f));
	EXPECT_EQ(WAFER_ERR_CANCELLED, self->f.status);
	wafer_program_uncancel(p);
	EXPECT_EQ(0, wafer_launch(p, 1, NULL, 0, &self->st, &self->f));
	EXPECT_EQ(2, self->st.instructions);
	wafer_program_free(p);
}

struct intruder {
	struct wafer *w;
	struct wafer_program *running, *other;
	struct wb *b2;
	struct wafer_rect rg2;
	int launch_other, launch_same, load;
	enum wafer_status st_other;
};

static void *intruder_main(void *arg)
{
	struct intruder *in = arg;
	struct wafer_program *p3 = NULL;
	struct wafer_fault f;

	usleep(50000);
	in->launch_other = wafer_launch(in->other, 1, NULL, 0, NULL, &f);
	in->st_other = f.status;
	in->launch_same = wafer_launch(in->running, 1, NULL, 0, NULL, &f);
	in->load = wafer_load(in->w, &in->rg2, wb_image(in->b2), &p3, &f);
	wafer_program_free(p3);
	wafer_program_cancel(in->running);
	return NULL;
}

/* A second launch on the region of a running one is refused, loads too. */
TEST_F(run, overlapping_launch_is_busy)
{
	struct wafer_rect rg = { 4, 4, 3, 1 };
	struct intruder in = { .w = self->w, .rg2 = { 6, 3, 3, 3 } };
	struct wafer_fault f2;
	pthread_t t;

	self->b = k_hang();
	in.b2 = k_hang();
	/* Overlapping loads are allowed: the later one owns the overlap. */
	ASSERT_EQ(0, wafer_load(self->w, &in.rg2, wb_image(in.b2), &in.other, &f2));
	ASSERT_EQ(0, wafer_load(self->w, &rg, wb_image(self->b), &in.running, &self->f));
	ASSERT_EQ(0, pthread_create(&t, NULL, intruder_main, &in));
	EXPECT_EQ(-ECANCELED, wafer_launch(in.running, 0, NULL, 0, &self->st, &self->f));
	pthread_join(t, NULL);
	EXPECT_EQ(-EBUSY, in.launch_other);
	EXPECT_EQ(WAFER_ERR_BAD_REGION, in.st_other);
	EXPECT_EQ(-EBUSY, in.launch_same);
	EXPECT_EQ(-EBUSY, in.load);
	/* Once the first is done, the other one runs. */
	EXPECT_EQ(0, wafer_launch(in.other, 1, NULL, 0, NULL, &f2));
	wafer_program_free(in.running);
	wafer_program_free(in.other);
	wb_free(in.b2);
}

/* wafer_reset() stops a running kernel and zeroes SRAM. */
TEST_F(run, reset_stops_runs)
{
	struct wafer_rect rg = { 0, 0, 3, 1 };
	struct canceller c = { .delay = 50000, .reset = true };
	struct wafer_program *p;
	pthread_t t;

	self->b = k_hang();
	ASSERT_EQ(0, wafer_load(self->w, &rg, wb_image(self->b), &p, &self->f));
	c.w = self->w;
	ASSERT_EQ(0, pthread_create(&t, NULL, cancel_main, &c));
	EXPECT_EQ(-ECANCELED, wafer_launch(p, 0, NULL, 0, &self->st, &self->f));
	pthread_join(t, NULL);
	EXPECT_EQ(WAFER_ERR_CANCELLED, self->f.status);
	EXPECT_STREQ("PE (0,0) pc 0x0: run stopped by a wafer reset, 2 PEs had not halted",
		     self->f.msg);
	EXPECT_EQ(0, wafer_sram_base(self->w)[0]);
	wafer_program_free(p);
}

struct gemv_job {
	struct wafer *w;
	struct wafer_rect rg;
	int seed, rounds, failures;
};

static void *gemv_main(void *arg)
{
	struct gemv_job *j = arg;
	const uint32_t m = 32, n = 48, pw = 4, ph = 6;
	float a[32 * 48], x[48], y[32];
	struct wafer_program *p;
	struct wafer_fault f;
	struct wb *b;

	wb_gemv(&b, m, n, pw, ph);
	if (wafer_load(j->w, &j->rg, wb_image(b), &p, &f)) {
		j->failures = 1000;
		wb_free(b);
		return NULL;
	}
	for (int r = 0; r < j->rounds; r++) {
		for (uint32_t i = 0; i < m * n; i++)
			a[i] = (float)((i + r + j->seed) % 9) - 4.0f;
		for (uint32_t i = 0; i < n; i++)
			x[i] = (float)((i * j->seed + r) % 5);
		wb_gemv_scatter(j->w, &j->rg, m, n, pw, ph, a, x);
		if (wafer_launch(p, 0, NULL, 0, NULL, &f)) {
			j->failures++;
			continue;
		}
		wb_gemv_gather(j->w, &j->rg, m, n, pw, ph, y);
		for (uint32_t i = 0; i < m; i++) {
			float ref = 0;

			for (uint32_t k = 0; k < n; k++)
				ref += a[i * n + k] * x[k];
			j->failures += ref != y[i];
		}
	}
	wafer_program_free(p);
	wb_free(b);
	return NULL;
}

/* Two device queues launching on disjoint regions at the same time. */
TEST_F(run, concurrent_disjoint_launches)
{
	struct gemv_job j[3] = {
		{ self->w, { 0, 0, 4, 6 }, 1, 40, 0 },
		{ self->w, { 4, 0, 4, 6 }, 2, 40, 0 },
		{ self->w, { 8, 2, 4, 6 }, 3, 40, 0 },
	};
	pthread_t t[3];

	for (int i = 0; i < 3; i++)
		ASSERT_EQ(0, pthread_create(&t[i], NULL, gemv_main, &j[i]));
	for (int i = 0; i < 3; i++) {
		pthread_join(t[i], NULL);
		EXPECT_EQ(0, j[i].failures);
	}
}

/*
 * Many PEs handing single wavelets back and forth: every exchange blocks
 * and wakes a PE, so a lost wake-up would show up as a false deadlock.
 */
TEST(ping_pong_stress)
{
	const uint32_t pairs = 8, rounds = 3000;
	struct wafer_rect rg = { 0, 0, 2, 8 };
	struct wafer_run_stats st;
	struct wafer_fault f;
	struct wb *b = wb_new(2, pairs);
	uint32_t ga, gb, loop;

	wb_func(b, "main");
	ga = wb_group(b);
	gb = wb_group(b);
	wb_rect(b, 0, 0, 1, pairs, ga);
	wb_rect(b, 1, 0, 1, pairs, gb);
	wb_entry(b, 0, ga, 0);
	wb_entry(b, 0, gb, 0);
	wb_route(b, 0, 0, 1, pairs, 1, R, EA);
	wb_route(b, 1, 0, 1, pairs, 1, WE, R);
	wb_route(b, 1, 0, 1, pairs, 2, R, WE);
	wb_route(b, 0, 0, 1, pairs, 2, EA, R);
	/* A: send i, receive i + 1, repeat; B: receive, add one, send back. */
	wb_emit(b, ga, I_LI(1, 0));
	wb_emit(b, ga, I_LI(4, rounds));
	loop = wb_emit(b, ga, I_SEND(1, 1));
	wb_emit(b, ga, I_RECV(1, 2));
	wb_emit(b, ga, I_ALUI(ADD, 4, 4, (uint32_t)-1));
	wb_emit(b, ga, I_BR(BNE, 4, 0, loop));
	wb_emit(b, ga, I_ST(1, 0, OUT));
	wb_emit(b, ga, I_HALT());
	wb_emit(b, gb, I_LI(4, rounds));
	loop = wb_emit(b, gb, I_RECV(1, 1));
	wb_emit(b, gb, I_ALUI(ADD, 1, 1, 1));
	wb_emit(b, gb, I_SEND(1, 2));
	wb_emit(b, gb, I_ALUI(ADD, 4, 4, (uint32_t)-1));
	wb_emit(b, gb, I_BR(BNE, 4, 0, loop));
	wb_emit(b, gb, I_HALT());
	for (uint32_t threads = 2; threads <= 4; threads += 2) {
		struct wafer *w = wt_wafer(2, pairs, threads, 1);
		uint64_t cycles = 0;

		ASSERT_NE(NULL, w);
		for (int rep = 0; rep < 3; rep++) {
			ASSERT_EQ(0, wt_run(w, b, &rg, NULL, 0, &st, &f))
				TH_LOG("%s", f.msg);
			for (uint32_t y = 0; y < pairs; y++) {
				ASSERT_EQ(rounds, wt_word(w, &rg, 0, y, OUT));
			}
			if (cycles) {
				EXPECT_EQ(cycles, st.cycles);
			}
			cycles = st.cycles;
		}
		wafer_destroy(w);
	}
	wb_free(b);
}

static uint32_t rp_state = 7;

static uint32_t rp_rnd(void)
{
	rp_state ^= rp_state << 13;
	rp_state ^= rp_state >> 17;
	rp_state ^= rp_state << 5;
	return rp_state;
}

/* One operation of a random program, abstract over the side it runs on. */
struct rp_op {
	uint32_t kind, len, ch, r1, r2, r3, dd, da, db;
};

/*
 * Balanced mode: only keep an operation if, run in program order on both
 * sides, no receive waits for a wavelet never sent and no send overfills
 * a queue. ch 0 is the partner, 1 the PE itself. out[] counts wavelets
 * in flight per channel, dsd[] mirrors the DSD registers.
 */
struct rp_gen {
	bool balanced;
	uint32_t depth;
	int out[2];
	struct { bool fab; uint32_t ch, len; } dsd[4];
};

static bool rp_keep(struct rp_gen *gen, const struct rp_op *op)
{
	int out[2] = { gen->out[0], gen->out[1] };
	uint32_t n;

	switch (op->kind) {
	case 0:	/* send */
		if (++out[op->ch] > (int)gen->depth)
			return false;
		break;
	case 1:	/* recv */
		if (--out[op->ch] < 0)
			return false;
		break;
	case 2:
		gen->dsd[op->dd].fab = false;
		gen->dsd[op->dd].len = op->len;
		return true;
	case 3:
		gen->dsd[op->dd].fab = true;
		gen->dsd[op->dd].ch = op->ch;
		gen->dsd[op->dd].len = op->len;
		return true;
	case 4:	/* dd & ~1 = da | 1 OP db | 1, element by element */
	case 5:	/* r5 = sum of da | 1 */
		n = op->kind == 4 ? gen->dsd[op->dd & ~1u].len : gen->dsd[op->da | 1].len;
		for (uint32_t i = 0; i < n; i++) {
			uint32_t srcs[2] = { op->da | 1, op->db | 1 };

			for (int k = 0; k < (op->kind == 4 ? 2 : 1); k++)
				if (gen->dsd[srcs[k]].fab &&
				    --out[gen->dsd[srcs[k]].ch] < 0)
					return false;
			if (op->kind == 4 && gen->dsd[op->dd & ~1u].fab &&
			    ++out[gen->dsd[op->dd & ~1u].ch] > (int)gen->depth)
				return false;
		}
		break;
	default:
		return true;
	}
	if (gen->balanced) {
		gen->out[0] = out[0];
		gen->out[1] = out[1];
	}
	return true;
}

/*
 * A random fabric program on 4x3 PEs, in pairs of columns: the even PE
 * of a pair sends to its odd partner on color 1, the odd one back on
 * color 4, and every PE may send to itself on color 3. Both halves run
 * the same random mix of sends, receives, vector ops on memory and fabric
 * DSDs and scalar arithmetic, with "partner" colors mapped per side. Half
 * the programs are balanced (they complete), the others mostly deadlock.
 */
static struct wb *k_random(struct wafer_rect *rg, uint32_t *depth)
{
	struct wb *b = wb_new(4, 3);
	struct rp_gen gen = { .balanced = rp_rnd() % 2 };
	struct rp_op ops[80];
	unsigned int nops = 0;
	uint32_t g[2];

	*rg = (struct wafer_rect){ 0, 0, 4, 3 };
	gen.depth = *depth = 1 + rp_rnd() % 4;
	wb_func(b, "main");
	for (int side = 0; side < 2; side++) {
		g[side] = wb_group(b);
		wb_entry(b, 0, g[side], 0);
	}
	for (uint32_t x = 0; x < 4; x++)
		wb_rect(b, x, 0, 1, 3, g[x & 1]);
	for (uint32_t x = 0; x < 4; x += 2) {
		wb_route(b, x, 0, 1, 3, 1, R, EA);
		wb_route(b, x + 1, 0, 1, 3, 1, WE, R);
		wb_route(b, x + 1, 0, 1, 3, 4, R, WE);
		wb_route(b, x, 0, 1, 3, 4, EA, R);
	}
	wb_route(b, 0, 0, 4, 3, 3, R, R);
	for (int i = 0; i < 60; i++) {
		struct rp_op op = {
			.kind = rp_rnd() % 8, .len = 1 + rp_rnd() % 9,
			.ch = rp_rnd() % 2, .r1 = 1 + rp_rnd() % 6,
			.r2 = 1 + rp_rnd() % 6, .r3 = 1 + rp_rnd() % 6,
			.dd = rp_rnd() % 4, .da = rp_rnd() % 4, .db = rp_rnd() % 4,
		};

		if (!gen.balanced || rp_keep(&gen, &op))
			ops[nops++] = op;
	}
	/* Balanced: take what is still in flight. */
	for (int ch = 0; ch < 2; ch++)
		for (; gen.balanced && gen.out[ch] > 0; gen.out[ch]--)
			ops[nops++] = (struct rp_op){ .kind = 1, .ch = ch, .r1 = 6 };

	for (int side = 0; side < 2; side++) {
		uint32_t gg = g[side];
		/* Colors this side sends to / hears from its partner on. */
		uint32_t to = side ? 4 : 1, from = side ? 1 : 4;

		wb_emit(b, gg, I_CSR(1, ISA_CSR_X));
		wb_emit(b, gg, I_CSR(2, ISA_CSR_Y));
		for (unsigned int i = 0; i < nops; i++) {
			const struct rp_op *op = &ops[i];
			uint32_t sc = op->ch ? 3 : to, rc = op->ch ? 3 : from;

			switch (op->kind) {
			case 0:
				wb_emit(b, gg, I_SEND(op->r1, sc));
				break;
			case 1:
				wb_emit(b, gg, I_RECV(op->r1, rc));
				break;
			case 2:
				wb_emit(b, gg, I_LI(8, op->len));
				wb_emit(b, gg, I_LI(9, 0x2000 + 0x100 * op->dd));
				wb_emit(b, gg, I_DMEM(I32, op->dd, 9, 8, op->r2 % 3));
				break;
			case 3:
				/* Even DSDs send, odd ones receive. */
				wb_emit(b, gg, I_LI(8, op->len));
				wb_emit(b, gg, I_DFAB(I32, op->dd,
						      op->dd & 1 ? rc : sc, 8));
				break;
			case 4:
				wb_emit(b, gg, wb_insn(ISA_OP_VADD + op->r3 % 5,
						       op->dd & ~1u, op->da | 1,
						       op->db | 1, 0, ISA_T_I32, 0, 0));
				break;
			case 5:
				wb_emit(b, gg, I_V(RSUM, I32, 5, op->da | 1, 0, 0));
				break;
			case 6:
				wb_emit(b, gg, I_ALU(ADD, op->r1, op->r2, op->r3));
				break;
			default:
				wb_emit(b, gg, I_ST(op->r1, 0,
						    0x3000 + 4 * (op->r2 * 7 + op->r3)));
			}
		}
		wb_emit(b, gg, I_HALT());
	}
	return b;
}

/*
 * Random programs: whenever a run completes or deadlocks with one thread,
 * it must end exactly the same way (SRAM, counters, report) with 2 and 4.
 */
TEST(determinism_random_programs)
{
	unsigned int checked = 0, deadlocks = 0;

	for (int round = 0; round < 120; round++) {
		uint32_t seed = rp_state;
		struct outcome o1, o;

		ASSERT_EQ(0, run_with(1, k_random, NULL, &o1));
		if (o1.ret && o1.f.status != WAFER_ERR_DEADLOCK) {
			outcome_free(&o1);
			continue;
		}
		checked++;
		deadlocks += o1.f.status == WAFER_ERR_DEADLOCK;
		for (uint32_t t = 2; t <= 4; t += 2) {
			rp_state = seed;
			ASSERT_EQ(0, run_with(t, k_random, NULL, &o));
			expect_same(_metadata, &o1, &o);
			outcome_free(&o);
		}
		outcome_free(&o1);
	}
	TH_LOG("%u programs compared, %u of them deadlocked", checked, deadlocks);
	EXPECT_GT(checked, 60);
	EXPECT_GT(deadlocks, 10);
	EXPECT_GT(checked - deadlocks, 30);
}

/*
 * Random dataflow programs on 4x3 PEs: an entry task and four local tasks
 * (ids 10..13) issue async sends, receives and memory ops on random
 * microthreads (completions activate or unblock random tasks), do sync
 * sends and receives, loads and stores over the buffers the async ops
 * use, activate, block and unblock each other; two data tasks take
 * wavelets sent to them and log them with the cycle they saw them. Fuel
 * in SRAM bounds how often tasks run. Many end well, many deadlock; all
 * must end the same way at any thread count.
 */
#define DF_FUEL		0x3f00
#define DF_LOG		0x3800		/* data task log: count, then pairs */
#define DF_BUF		0x2000		/* 8 buffers of 0x80 bytes */
#define DF_NTASK	4

struct df_gen {
	struct wb *b;
	uint32_t g;
	int side;
};

/* Colors: 1 and 4 between partners (ops), 3 to itself (ops), 6 to itself
 * and 7/8 between partners for the data tasks. */
static uint32_t df_to(const struct df_gen *d, uint32_t ch)
{
	return ch == 2 ? 3 : d->side ? 4 : 1;
}

static uint32_t df_from(const struct df_gen *d, uint32_t ch)
{
	return ch == 2 ? 3 : d->side ? 1 : 4;
}

static void df_emit(struct df_gen *d, struct isa_insn i)
{
	wb_emit(d->b, d->g, i);
}

/* One random operation of a task body; ops[] is the shared plan. */
struct df_op {
	uint32_t kind, len, ch, r1, r2, u, act, task, buf, buf2, dd;
};

static void df_op_emit(struct df_gen *d, const struct df_op *o)
{
	uint32_t base = DF_BUF + 0x80 * o->buf, base2 = DF_BUF + 0x80 * o->buf2;

	switch (o->kind) {
	case 0:
		df_emit(d, I_ALU(ADD, o->r1, o->r1, o->r2));
		break;
	case 1:
		df_emit(d, I_ST(o->r1, 0, base + 4 * (o->len % 8)));
		break;
	case 2:
		df_emit(d, I_LD(o->r1, 0, base + 4 * (o->len % 8)));
		break;
	case 3:
		df_emit(d, I_SEND(o->r1, df_to(d, o->ch)));
		break;
	case 4:
		df_emit(d, I_RECV(o->r1, df_from(d, o->ch)));
		break;
	case 5:	/* async send of a buffer */
	case 6:	/* async receive into a buffer */
		df_emit(d, I_LI(8, base));
		df_emit(d, I_LI(9, o->len));
		df_emit(d, I_DMEM(I32, o->dd, 8, 9, 1));
		df_emit(d, I_DFAB(I32, (o->dd + 1) % 16,
				  o->kind == 5 ? df_to(d, o->ch) : df_from(d, o->ch), 9));
		df_emit(d, wb_insn(ISA_OP_ASYNC, o->u, 0, 0, 0, 0, 0,
				   ISA_ASYNC_IMM(o->task, o->act)));
		if (o->kind == 5)
			df_emit(d, I_V(MOV, I32, (o->dd + 1) % 16, o->dd, 0, 0));
		else
			df_emit(d, I_V(MOV, I32, o->dd, (o->dd + 1) % 16, 0, 0));
		break;
	case 7:	/* async memory op between two buffers */
		df_emit(d, I_LI(8, base));
		df_emit(d, I_LI(9, o->len));
		df_emit(d, I_DMEM(I32, o->dd, 8, 9, 1));
		df_emit(d, I_LI(8, base2));
		df_emit(d, I_DMEM(I32, (o->dd + 2) % 16, 8, 9, 1));
		df_emit(d, wb_insn(ISA_OP_ASYNC, o->u, 0, 0, 0, 0, 0,
				   ISA_ASYNC_IMM(o->task, o->act)));
		df_emit(d, I_VSI(ADD, I32, (o->dd + 2) % 16, o->dd, o->r2));
		break;
	case 8:
		df_emit(d, wb_insn(ISA_OP_ACTIVATE + o->r2 % 3, 0, 0, 0, 0, 0, 0,
				   o->task));
		break;
	case 9:	/* a wavelet for a data task */
		df_emit(d, I_SEND(o->r1, o->ch == 2 ? 6 : d->side ? 8 : 7));
		break;
	case 10:	/* sync vector op over a buffer */
		df_emit(d, I_LI(8, base));
		df_emit(d, I_LI(9, o->len));
		df_emit(d, I_DMEM(I32, 14, 8, 9, 1));
		df_emit(d, I_VSI(MUL, I32, 14, 14, 3));
		break;
	case 12:	/* arm or re-arm the timer (k_random_df with timers) */
		if (o->r2 & 1) {
			df_emit(d, I_TIMERI(o->len * o->r1));
		} else {
			df_emit(d, I_LI(8, 3 * o->len));
			df_emit(d, I_TIMER(8));
		}
		break;
	case 13:
		df_emit(d, I_TCANCEL());
		break;
	default:
		df_emit(d, I_CSR(o->r1, ISA_CSR_CYCLES));
		df_emit(d, I_ST(o->r1, 0, base2 + 4 * (o->len % 8)));
	}
}

/* k_random_df also arms, re-arms and cancels the timer (task 30). */
static bool df_timers;
#define DF_TICKS	0x3f04		/* timer task runs */

static struct df_op df_op_rand(void)
{
	static const uint8_t acts[] = { ISA_ASYNC_NONE, ISA_ASYNC_ACTIVATE,
					ISA_ASYNC_UNBLOCK, ISA_ASYNC_ACTIVATE };

	return (struct df_op){
		.kind = rp_rnd() % (df_timers ? 15 : 12),
		.len = 1 + rp_rnd() % 12,
		.ch = rp_rnd() % 3, .r1 = 1 + rp_rnd() % 6,
		.r2 = 1 + rp_rnd() % 6, .u = rp_rnd() % 8,
		.act = acts[rp_rnd() % 4], .task = 10 + rp_rnd() % DF_NTASK,
		.buf = rp_rnd() % 8, .buf2 = rp_rnd() % 8,
		.dd = rp_rnd() % 16,
	};
}

/* Task bodies: fuel check, then the ops; the entry has no fuel check. */
static void df_task_emit(struct df_gen *d, const struct df_op *ops,
			 unsigned int n, bool fuel, bool halt)
{
	uint32_t skip = 0;

	if (fuel) {
		df_emit(d, I_LD(12, 0, DF_FUEL));
		skip = wb_emit(d->b, d->g, I_BR(BEQ, 12, 0, 0));
		df_emit(d, I_ALUI(ADD, 12, 12, (uint32_t)-1));
		df_emit(d, I_ST(12, 0, DF_FUEL));
	}
	for (unsigned int i = 0; i < n; i++)
		df_op_emit(d, &ops[i]);
	if (fuel)
		wb_patch(d->b, d->g, skip, wb_pc(d->b, d->g));
	df_emit(d, halt ? I_HALT() : I_TRET());
}

/* Data task: log the payload and the cycle, pass one on sometimes. */
static void df_data_task_emit(struct df_gen *d, bool forward)
{
	df_emit(d, I_LD(10, 0, DF_LOG));
	df_emit(d, I_ALUI(ADD, 10, 10, 1));
	df_emit(d, I_ST(10, 0, DF_LOG));
	df_emit(d, I_ALUI(AND, 10, 10, 63));
	df_emit(d, I_ALUI(SHL, 11, 10, 3));
	df_emit(d, I_ST(1, 11, DF_LOG));
	df_emit(d, I_CSR(13, ISA_CSR_CYCLES));
	df_emit(d, I_ST(13, 11, DF_LOG + 4));
	if (forward)
		df_emit(d, I_ACTIVATE(10 + (d->side ? 1 : 2)));
	df_emit(d, I_TRET());
}

static struct wb *k_random_df(struct wafer_rect *rg, uint32_t *depth)
{
	struct wb *b = wb_new(4, 3);
	/* [DF_NTASK]: the entry, [DF_NTASK + 1]: the timer task */
	struct df_op ops[DF_NTASK + 2][17];
	unsigned int nops[DF_NTASK + 2];
	uint32_t g[2], fuel = 2 + rp_rnd() % 6;
	bool halt = rp_rnd() % 8 == 0, fwd = rp_rnd() % 2;
	/* Balanced: no sync send/recv, async ones in matched pairs. */
	bool balanced = rp_rnd() % 2;
	uint8_t prio[DF_NTASK], flags[DF_NTASK], tprio;

	*rg = (struct wafer_rect){ 0, 0, 4, 3 };
	*depth = 1 + rp_rnd() % 4;
	for (unsigned int t = 0; t <= DF_NTASK + df_timers; t++) {
		unsigned int want = 2 + rp_rnd() % 12;

		nops[t] = 0;
		if (df_timers && t == DF_NTASK) {
			/* The entry arms the timer first, mostly. */
			struct df_op o = df_op_rand();

			o.kind = rp_rnd() % 4 ? 12 : 0;
			ops[t][nops[t]++] = o;
		}
		while (nops[t] < want) {
			struct df_op o = df_op_rand();

			if (balanced && (o.kind == 3 || o.kind == 4))
				o.kind = 0;
			ops[t][nops[t]++] = o;
			if (balanced && (o.kind == 5 || o.kind == 6)) {
				ops[t][nops[t] - 1].kind = 5;
				o.kind = 6;
				o.u = (o.u + 1) % 8;
				o.buf = (o.buf + 1) % 8;
				ops[t][nops[t]++] = o;
			}
		}
	}
	for (unsigned int t = 0; t < DF_NTASK; t++) {
		prio[t] = rp_rnd() % 3;
		flags[t] = rp_rnd() % 4 == 0 ? WAFER_TASK_BLOCKED : 0;
	}
	tprio = df_timers ? rp_rnd() % 3 : 0;
	wb_func(b, "main");
	for (int side = 0; side < 2; side++) {
		g[side] = wb_group(b);
		wb_entry(b, 0, g[side], 0);
		wb_data(b, g[side], DF_FUEL, &fuel, 4);
	}
	for (uint32_t x = 0; x < 4; x++)
		wb_rect(b, x, 0, 1, 3, g[x & 1]);
	for (uint32_t x = 0; x < 4; x += 2) {
		wb_route(b, x, 0, 1, 3, 1, R, EA);
		wb_route(b, x + 1, 0, 1, 3, 1, WE, R);
		wb_route(b, x + 1, 0, 1, 3, 4, R, WE);
		wb_route(b, x, 0, 1, 3, 4, EA, R);
		wb_route(b, x, 0, 1, 3, 7, R, EA);
		wb_route(b, x + 1, 0, 1, 3, 7, WE, R);
		wb_route(b, x + 1, 0, 1, 3, 8, R, WE);
		wb_route(b, x, 0, 1, 3, 8, EA, R);
	}
	wb_route(b, 0, 0, 4, 3, 3, R, R);
	wb_route(b, 0, 0, 4, 3, 6, R, R);
	for (int side = 0; side < 2; side++) {
		struct df_gen d = { b, g[side], side };
		uint32_t pc;

		df_task_emit(&d, ops[DF_NTASK], nops[DF_NTASK], false, halt);
		for (unsigned int t = 0; t < DF_NTASK; t++) {
			pc = wb_pc(b, g[side]);
			df_task_emit(&d, ops[t], nops[t], true, false);
			wb_task(b, g[side], 10 + t, WAFER_TASK_LOCAL, 0, prio[t],
				flags[t], pc);
		}
		if (df_timers) {
			pc = wb_pc(b, g[side]);
			df_emit(&d, I_LD(10, 0, DF_TICKS));
			df_emit(&d, I_ALUI(ADD, 10, 10, 1));
			df_emit(&d, I_ST(10, 0, DF_TICKS));
			df_task_emit(&d, ops[DF_NTASK + 1], nops[DF_NTASK + 1],
				     true, false);
			wb_task(b, g[side], WAFER_TASK_TIMER, WAFER_TASK_LOCAL,
				0, tprio, 0, pc);
		}
		pc = wb_pc(b, g[side]);
		df_data_task_emit(&d, fwd);
		wb_task(b, g[side], 1, WAFER_TASK_DATA, 6, 1, 0, pc);
		pc = wb_pc(b, g[side]);
		df_data_task_emit(&d, false);
		wb_task(b, g[side], 2, WAFER_TASK_DATA, side ? 7 : 8, 2, 0, pc);
	}
	return b;
}

/*
 * Random dataflow programs: the same SRAM bytes, cycles, counters and
 * reports at 1, 2 and 4 threads; faulting and deadlocking ones included.
 */
TEST(determinism_random_dataflow)
{
	unsigned int done = 0, deadlocks = 0, faults = 0;

	rp_state = 12345;
	for (int round = 0; round < 150; round++) {
		uint32_t seed = rp_state;
		struct outcome o1, o;

		ASSERT_EQ(0, run_with(1, k_random_df, NULL, &o1));
		if (!o1.ret)
			done++;
		else if (o1.f.status == WAFER_ERR_DEADLOCK)
			deadlocks++;
		else
			faults++;
		for (uint32_t t = 2; t <= 4; t += 2) {
			rp_state = seed;
			ASSERT_EQ(0, run_with(t, k_random_df, NULL, &o));
			expect_same_df(_metadata, &o1, &o);
			outcome_free(&o);
		}
		outcome_free(&o1);
	}
	TH_LOG("%u completed, %u deadlocked, %u faulted", done, deadlocks, faults);
	EXPECT_GT(done, 30);
	EXPECT_GT(deadlocks, 20);
}

/*
 * Random dataflow programs with the sole-producer shortcut (fabric.c)
 * and without: the same bytes, cycles, counters and reports, at 1 and
 * 2 threads.
 */
TEST(sole_route_random_dataflow)
{
	rp_state = 777;
	for (int round = 0; round < 80; round++) {
		uint32_t seed = rp_state;
		struct outcome o1, o;

		route_scan = 1;
		ASSERT_EQ(0, run_with(1, k_random_df, NULL, &o1));
		route_scan = 0;
		for (uint32_t t = 1; t <= 2; t++) {
			rp_state = seed;
			ASSERT_EQ(0, run_with(t, k_random_df, NULL, &o));
			expect_same_df(_metadata, &o1, &o);
			outcome_free(&o);
		}
		outcome_free(&o1);
	}
}

/* Timer task runs summed over the PEs of an outcome of k_random_df. */
static uint32_t df_ticks(const struct outcome *o)
{
	uint32_t n = 0, v;

	for (size_t pe = 0; pe < o->len / WAFER_DEFAULT_SRAM; pe++) {
		memcpy(&v, o->sram + pe * WAFER_DEFAULT_SRAM + DF_TICKS, 4);
		n += v;
	}
	return n;
}

/*
 * Random dataflow programs that also arm, re-arm and cancel the timer
 * from any task, the timer task running random ops too: the same bytes,
 * cycles and reports at 1, 2 and 4 threads.
 */
TEST(determinism_random_timers)
{
	unsigned int done = 0, deadlocks = 0, faults = 0, ticked = 0;

	df_timers = true;
	rp_state = 4242;
	for (int round = 0; round < 120; round++) {
		uint32_t seed = rp_state;
		struct outcome o1, o;

		ASSERT_EQ(0, run_with(1, k_random_df, NULL, &o1));
		if (!o1.ret)
			done++;
		else if (o1.f.status == WAFER_ERR_DEADLOCK)
			deadlocks++;
		else
			faults++;
		ticked += df_ticks(&o1) > 0;
		for (uint32_t t = 2; t <= 4; t += 2) {
			rp_state = seed;
			ASSERT_EQ(0, run_with(t, k_random_df, NULL, &o));
			expect_same_df(_metadata, &o1, &o);
			outcome_free(&o);
		}
		outcome_free(&o1);
	}
	df_timers = false;
	TH_LOG("%u completed, %u deadlocked, %u faulted, %u ran the timer task",
	       done, deadlocks, faults, ticked);
	EXPECT_GT(done, 20);
	EXPECT_GT(deadlocks, 10);
	EXPECT_GT(ticked, 40);
}

/*
 * Timers against the fabric on 4x3 PEs in pairs: every PE arms its timer
 * with a delay of its own; the timer task sends a wavelet to the partner,
 * logs the cycle and re-arms until 12 ticks; the partner's data task logs
 * what arrived and when (data task and timer task priorities differ per
 * side, so ties are decided by priority, not by who ran first). With
 * fault set, PE (1,1)'s 5th tick loads outside SRAM.
 */
#define TK_LOG		0x4000
static struct wb *k_timer_pairs(struct wafer_rect *rg, uint32_t *depth,
				bool fault)
{
	struct wb *b = wb_new(4, 3);
	uint32_t g[2];

	*rg = (struct wafer_rect){ 0, 0, 4, 3 };
	*depth = 2;
	wb_func(b, "main");
	for (int side = 0; side < 2; side++) {
		g[side] = wb_group(b);
		wb_entry(b, 0, g[side], 0);
	}
	for (uint32_t x = 0; x < 4; x++)
		wb_rect(b, x, 0, 1, 3, g[x & 1]);
	for (uint32_t x = 0; x < 4; x += 2) {
		wb_route(b, x, 0, 1, 3, 1, R, EA);
		wb_route(b, x + 1, 0, 1, 3, 1, WE, R);
		wb_route(b, x + 1, 0, 1, 3, 4, R, WE);
		wb_route(b, x, 0, 1, 3, 4, EA, R);
	}
	for (int side = 0; side < 2; side++) {
		uint32_t gg = g[side], to = side ? 4 : 1, from = side ? 1 : 4;
		uint32_t tick, data, skip, ok;

		/*
		 * entry: x, y in r4, r5 (data tasks write r1..r3), delay
		 * 20 + 7x + 3y in r7, the period 9 + x + 2y in r6
		 */
		wb_emit(b, gg, I_CSR(4, ISA_CSR_X));
		wb_emit(b, gg, I_CSR(5, ISA_CSR_Y));
		wb_emit(b, gg, I_ALUI(MUL, 7, 4, 7));
		wb_emit(b, gg, I_ALUI(MUL, 3, 5, 3));
		wb_emit(b, gg, I_ALU(ADD, 7, 7, 3));
		wb_emit(b, gg, I_ALUI(ADD, 7, 7, 20));
		wb_emit(b, gg, I_ALU(ADD, 6, 4, 5));
		wb_emit(b, gg, I_ALU(ADD, 6, 6, 5));
		wb_emit(b, gg, I_ALUI(ADD, 6, 6, 9));
		wb_emit(b, gg, I_TIMER(7));
		wb_emit(b, gg, I_TRET());
		/* timer task: count in TK_LOG, cycles in TK_LOG + 4 k */
		tick = wb_pc(b, gg);
		wb_emit(b, gg, I_LD(10, 0, TK_LOG));
		wb_emit(b, gg, I_ALUI(ADD, 10, 10, 1));
		wb_emit(b, gg, I_ST(10, 0, TK_LOG));
		wb_emit(b, gg, I_CSR(11, ISA_CSR_CYCLES));
		wb_emit(b, gg, I_ALUI(SHL, 12, 10, 2));
		wb_emit(b, gg, I_ST(11, 12, TK_LOG));
		if (fault) {
			/* (1,1) at tick 5: x + 16 y == 17 and count == 5 */
			wb_emit(b, gg, I_ALUI(SHL, 13, 5, 4));
			wb_emit(b, gg, I_ALU(ADD, 13, 13, 4));
			wb_emit(b, gg, I_ALUI(XOR, 13, 13, 17));
			wb_emit(b, gg, I_ALUI(XOR, 14, 10, 5));
			wb_emit(b, gg, I_ALU(OR, 13, 13, 14));
			ok = wb_emit(b, gg, I_BR(BNE, 13, 0, 0));
			wb_emit(b, gg, I_LI(13, 0x100000));
			wb_emit(b, gg, I_LD(13, 13, 0));
			wb_patch(b, gg, ok, wb_pc(b, gg));
		}
		wb_emit(b, gg, I_ALUI(SHL, 13, 4, 24));
		wb_emit(b, gg, I_ALU(OR, 13, 13, 10));
		wb_emit(b, gg, I_SEND(13, to));
		wb_emit(b, gg, I_LI(14, 12));
		skip = wb_emit(b, gg, I_BR(BGEU, 10, 14, 0));
		wb_emit(b, gg, I_TIMER(6));
		wb_patch(b, gg, skip, wb_pc(b, gg));
		wb_emit(b, gg, I_TRET());
		/* data task: (payload, cycle) pairs after a count */
		data = wb_pc(b, gg);
		wb_emit(b, gg, I_LD(10, 0, TK_LOG + 0x100));
		wb_emit(b, gg, I_ALUI(ADD, 10, 10, 1));
		wb_emit(b, gg, I_ST(10, 0, TK_LOG + 0x100));
		wb_emit(b, gg, I_ALUI(SHL, 12, 10, 3));
		wb_emit(b, gg, I_ST(1, 12, TK_LOG + 0x100));
		wb_emit(b, gg, I_CSR(11, ISA_CSR_CYCLES));
		wb_emit(b, gg, I_ST(11, 12, TK_LOG + 0x104));
		wb_emit(b, gg, I_TRET());
		wb_task(b, gg, WAFER_TASK_TIMER, WAFER_TASK_LOCAL, 0,
			side ? 2 : 0, 0, tick);
		wb_task(b, gg, 3, WAFER_TASK_DATA, from, 1, 0, data);
	}
	return b;
}

static struct wb *k_timer_ok(struct wafer_rect *rg, uint32_t *depth)
{
	return k_timer_pairs(rg, depth, false);
}

static struct wb *k_timer_fault(struct wafer_rect *rg, uint32_t *depth)
{
	return k_timer_pairs(rg, depth, true);
}

TEST(determinism_timer_fabric)
{
	struct outcome o;
	uint32_t v;

	check_determinism(_metadata, k_timer_ok, NULL);
	ASSERT_EQ(0, run_with(3, k_timer_ok, NULL, &o));
	ASSERT_EQ(0, o.ret) TH_LOG("%s", o.f.msg);
	EXPECT_EQ(12 * 12, o.st.wavelets);
	/* Every PE ticked 12 times and took its partner's 12 wavelets. */
	for (uint32_t pe = 0; pe < 12; pe++) {
		memcpy(&v, o.sram + pe * WAFER_DEFAULT_SRAM + TK_LOG, 4);
		EXPECT_EQ(12, v);
		memcpy(&v, o.sram + pe * WAFER_DEFAULT_SRAM + TK_LOG + 0x100, 4);
		EXPECT_EQ(12, v);
	}
	/* PE (0,0): TIMER at 9 fires at 30; csr at 30 + 2 + 3. */
	memcpy(&v, o.sram + TK_LOG + 4, 4);
	EXPECT_EQ(30 + 2 + 3, v);
	EXPECT_EQ(412, o.st.cycles);
	outcome_free(&o);
}

/* A fault in a timer task: the same report and cycles at every count. */
TEST(determinism_timer_fault)
{
	struct outcome o1, o;

	ASSERT_EQ(0, run_with(1, k_timer_fault, NULL, &o1));
	ASSERT_EQ(-EIO, o1.ret);
	EXPECT_EQ(WAFER_ERR_SRAM_RANGE, o1.f.status);
	EXPECT_STREQ("PE (1,1) pc 0xc0: SRAM read of 4 bytes at 0x100000 out of range",
		     o1.f.msg);
	EXPECT_EQ(187, o1.st.cycles);
	for (uint32_t t = 2; t <= 4; t++) {
		for (int rep = 0; rep < 4; rep++) {
			ASSERT_EQ(0, run_with(t, k_timer_fault, NULL, &o));
			expect_same_df(_metadata, &o1, &o);
			outcome_free(&o);
		}
	}
	outcome_free(&o1);
}

/* The same programs many times at 2 and 4 threads: host timing varies. */
TEST(determinism_random_dataflow_repeated)
{
	rp_state = 777;
	for (int round = 0; round < 12; round++) {
		uint32_t seed = rp_state;
		struct outcome o1, o;

		ASSERT_EQ(0, run_with(1, k_random_df, NULL, &o1));
		for (int rep = 0; rep < 25; rep++) {
			rp_state = seed;
			ASSERT_EQ(0, run_with(2 + 2 * (rep & 1), k_random_df, NULL, &o));
			expect_same_df(_metadata, &o1, &o);
			outcome_free(&o);
		}
		outcome_free(&o1);
	}
}

/* Cancel with nothing running, program freed right after: harmless. */
TEST_F(run, cancel_idle)
{
	struct wafer_rect rg = { 0, 0, 3, 1 };
	struct wafer_program *p;

	self->b = k_hang();
	ASSERT_EQ(0, wafer_load(self->w, &rg, wb_image(self->b), &p, &self->f));
	wafer_program_cancel(p);
	wafer_program_cancel(p);
	wafer_program_free(p);
}

/*
 * Loads of 16384 PEs and more are written by the wafer's threads, each
 * PE by one of them: a 150 x 129 region (split mid-row) with overlapping
 * rectangles (the later wins), data and per-PE constants (its X and Y)
 * holds the same bytes at 1, 2 and 4 threads, and those the image says.
 * The region does not start at the wafer's corner, and the PEs before
 * it stay zero.
 */
TEST(load_same_bytes_at_any_thread_count)
{
	const uint32_t W = 150, H = 129, DATA = 0x1000, CX = 0x2000, CY = 0x2ff8;
	struct wafer_rect rg = { 3, 2, W, H };
	uint8_t *first = NULL;
	size_t total = 0;

	for (uint32_t threads = 1; threads <= 4; threads *= 2) {
		struct wafer *w = wt_wafer(W + 5, H + 3, threads, 8);
		struct wb *b = wb_new(W, H);
		uint32_t g0 = wb_group(b), g1 = wb_group(b);
		uint32_t d0[3] = { 0x11111111, 0x22222222, 0x33333333 };
		uint32_t d1[2] = { 0xaaaaaaaa, 0xbbbbbbbb };
		struct wafer_program *p;
		struct wafer_fault f;

		ASSERT_NE(NULL, w);
		wb_func(b, "main");
		wb_rect(b, 0, 0, W, H, g0);
		wb_rect(b, 40, 30, 50, 70, g1);
		wb_entry(b, 0, g0, wb_emit(b, g0, I_HALT()));
		wb_entry(b, 0, g1, wb_emit(b, g1, I_HALT()));
		wb_data(b, g0, DATA, d0, sizeof(d0));
		wb_data(b, g1, DATA, d1, sizeof(d1));
		wb_const(b, g0, CX, ISA_CSR_X);
		wb_const(b, g1, CY, ISA_CSR_Y);
		ASSERT_EQ(0, wafer_load(w, &rg, wb_image(b), &p, &f)) TH_LOG("%s", f.msg);
		for (uint32_t y = 0; y < H; y++)
			for (uint32_t x = 0; x < W; x++) {
				const uint8_t *m = wb_pe_sram(w, &rg, x, y);
				bool in1 = x >= 40 && x < 90 && y >= 30 && y < 100;
				uint32_t v;

				memcpy(&v, m + DATA, 4);
				ASSERT_EQ(in1 ? d1[0] : d0[0], v) TH_LOG("PE (%u,%u)", x, y);
				memcpy(&v, m + DATA + 8, 4);
				ASSERT_EQ(in1 ? 0 : d0[2], v) TH_LOG("PE (%u,%u)", x, y);
				memcpy(&v, m + (in1 ? CY : CX), 4);
				ASSERT_EQ(in1 ? y : x, v) TH_LOG("PE (%u,%u)", x, y);
			}
		total = wafer_sram_total(w);
		if (!first) {
			first = malloc(total);
			ASSERT_NE(NULL, first);
			memcpy(first, wafer_sram_base(w), total);
			/* Outside the region: nothing written. */
			for (size_t i = 0; i < WAFER_DEFAULT_SRAM * 3; i++)
				ASSERT_EQ(0, first[i]);
		} else {
			ASSERT_EQ(0, memcmp(first, wafer_sram_base(w), total))
				TH_LOG("%u threads", threads);
		}
		wafer_program_free(p);
		wb_free(b);
		wafer_destroy(w);
	}
	free(first);
}

/*
 * wafer_run_start() queues each worker's PEs a row segment of its tile
 * at a time and sets pe.home only when the worker count changed: on a
 * region whose width no tile count divides, with PEs that do not take
 * part (the last column has no code; the wavelets it gets are dropped),
 * every launch of the same program at 1..4 threads must run every PE
 * and give the same sums, cycles and counts, however many launches came
 * before on that wafer. A PE left unqueued hangs the run (the harness's
 * timeout), one queued twice runs twice. Each launch leaves wavelets in
 * the last column's queues; the counts the workers keep (launch.c) must
 * match the pass over the queues that wafer_route_scan() asks for.
 */
#define RS_W	13
#define RS_H	5
#define RS_K	6

static struct wb *k_rowsum(struct wafer_rect *rg)
{
	struct wb *b = wb_new(RS_W, RS_H);
	uint32_t g = wb_group(b), fn, br_recv, sloop, rloop, j_end;

	*rg = (struct wafer_rect){ 1, 1, RS_W, RS_H };
	wb_rect(b, 0, 0, RS_W - 1, RS_H, g);
	fn = wb_func(b, "main");
	wb_entry(b, fn, g, wb_emit(b, g, I_CSR(10, ISA_CSR_X)));
	wb_emit(b, g, I_LI(3, RS_K));
	wb_emit(b, g, I_LI(4, 0));
	br_recv = wb_emit(b, g, I_BR(BNE, 10, 0, 0));
	sloop = wb_emit(b, g, I_SEND(3, 0));
	wb_emit(b, g, I_ALU(ADD, 4, 4, 3));
	wb_emit(b, g, I_ALUI(ADD, 3, 3, (uint32_t)-1));
	wb_emit(b, g, I_BR(BNE, 3, 0, sloop));
	j_end = wb_emit(b, g, I_JMP(0));
	rloop = wb_emit(b, g, I_RECV(5, 0));
	wb_patch(b, g, br_recv, rloop);
	wb_emit(b, g, I_ALU(ADD, 4, 4, 5));
	wb_emit(b, g, I_ALUI(ADD, 3, 3, (uint32_t)-1));
	wb_emit(b, g, I_BR(BNE, 3, 0, rloop));
	wb_patch(b, g, j_end, wb_emit(b, g, I_LI(7, OUT)));
	wb_emit(b, g, I_ST(4, 7, 0));
	wb_emit(b, g, I_HALT());
	wb_route(b, 0, 0, 1, RS_H, 0, R, EA);
	wb_route(b, 1, 0, RS_W - 2, RS_H, 0, WE, R | EA);
	wb_route(b, RS_W - 1, 0, 1, RS_H, 0, WE, R);
	return b;
}

TEST(relaunch_every_pe_queued)
{
	struct wafer_run_stats first = { 0 };

	for (uint32_t threads = 1; threads <= 4; threads++) {
		struct wafer_rect rg;
		struct wb *b = k_rowsum(&rg);
		struct wafer *w = wt_wafer(RS_W + 2, RS_H + 2, threads, 8);
		struct wafer_program *p;
		struct wafer_fault f;

		ASSERT_NE(NULL, w);
		ASSERT_EQ(0, wafer_load(w, &rg, wb_image(b), &p, &f)) TH_LOG("%s", f.msg);
		/* The fourth counts wavelets by the pass over the queues. */
		for (int k = 0; k < 4; k++) {
			struct wafer_run_stats st;

			wafer_route_scan(p, k == 3);

			for (uint32_t y = 0; y < RS_H; y++)
				for (uint32_t x = 0; x < RS_W; x++)
					memset(wb_pe_sram(w, &rg, x, y) + OUT, 0, 4);
			ASSERT_EQ(0, wafer_launch(p, 0, NULL, 0, &st, &f))
				TH_LOG("%u threads, launch %d: %s", threads, k, f.msg);
			for (uint32_t y = 0; y < RS_H; y++)
				for (uint32_t x = 0; x < RS_W; x++) {
					uint32_t v, want = x < RS_W - 1 ?
						RS_K * (RS_K + 1) / 2 : 0;

					memcpy(&v, wb_pe_sram(w, &rg, x, y) + OUT, 4);
					ASSERT_EQ(want, v)
						TH_LOG("%u threads, launch %d, PE (%u,%u)",
						       threads, k, x, y);
				}
			if (!first.instructions)
				first = st;
			EXPECT_EQ(first.instructions, st.instructions);
			EXPECT_EQ(first.cycles, st.cycles);
			EXPECT_EQ(first.wavelets, st.wavelets);
			EXPECT_EQ(first.wavelets_dropped, st.wavelets_dropped);
		}
		/* Every PE but the last column's runs; that column drops K. */
		EXPECT_EQ((uint64_t)RS_H * RS_K, first.wavelets_dropped);
		wafer_program_free(p);
		wafer_destroy(w);
		wb_free(b);
	}
}

TEST_HARNESS_MAIN
