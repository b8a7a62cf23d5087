// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wse-dev-kernel.c - LOAD and LAUNCH through the device model's rings:
 * the GEMV example on a region away from the wafer's origin, kernel
 * faults, the PE timer, a spinning kernel stopped by ABORT, two queues
 * at once.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "wse-dev-harness.h"
#include "../../tools/asm/wse-asm.h"

#define MESH_W	16
#define MESH_H	10
#define SRAM	WAFER_DEFAULT_SRAM

/* GEMV 256 x 256 on 8 x 8 PEs: 32 x 32 tiles. */
#define GM	256
#define GN	256
#define GP	8
#define GQ	8
#define MT	(GM / GP)
#define NT	(GN / GQ)

static const char *const gemv_defines[] = {
	"M=256", "N=256", "P=8", "Q=8", NULL
};

struct image {
	void *data;
	size_t len;
	struct wafer_image *parsed;
	uint64_t gpa;
};

static int image_from(struct guest *g, struct image *im, const char *path,
		      const char *text, const char *const *defines)
{
	struct wse_asm_options opts = { .defines = defines };
	char err[1024];
	int ret;

	if (path)
		ret = wse_asm_file_opts(path, &opts, &im->data, &im->len, err, sizeof(err));
	else
		ret = wse_asm_buffer("test.s", text, strlen(text), &opts, &im->data,
				     &im->len, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "%s", err);
		return ret;
	}
	ret = wafer_image_parse(im->data, im->len, &im->parsed, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "%s\n", err);
		return ret;
	}
	im->gpa = guest_alloc(g, im->len, 4096);
	memcpy(guest_ptr(g, im->gpa), im->data, im->len);
	return 0;
}

static void image_free(struct image *im)
{
	wafer_image_free(im->parsed);
	free(im->data);
}

static uint32_t sym(struct image *im, const char *name, uint32_t *addr)
{
	struct wafer_symbol s;

	if (wafer_image_symbol_find(im->parsed, name, &s))
		abort();
	if (addr)
		*addr = s.addr;
	return s.index;
}

static int load(struct guest *g, unsigned int q, struct image *im, struct wse_cqe *c)
{
	struct wse_sqe s = { .opcode = WSE_OP_LOAD, .tag = 1,
			     .sgl = sgl_one(g, im->gpa, im->len), .sgl_count = 1 };

	s.load.length = im->len;
	return queue_run(g, q, &s, c);
}

static struct wse_sqe launch(uint32_t fn, uint32_t nargs, const uint32_t *args)
{
	struct wse_sqe s = { .opcode = WSE_OP_LAUNCH, .tag = 2 };

	s.launch.function = fn;
	s.launch.nargs = nargs;
	if (nargs)
		memcpy(s.launch.args, args, nargs * 4);
	return s;
}

static struct wse_sqe rect(uint8_t op, uint64_t sgl, uint16_t x, uint16_t y,
			   uint16_t w, uint16_t h, uint32_t addr, uint32_t epp)
{
	struct wse_sqe s = { .opcode = op, .tag = 3, .sgl = sgl, .sgl_count = 1 };

	s.rect.x = x;
	s.rect.y = y;
	s.rect.w = w;
	s.rect.h = h;
	s.rect.addr = addr;
	s.rect.elem_per_pe = epp;
	s.rect.elem_bytes = 4;
	return s;
}

/*
 * y = A x through the device: A as an 8 x 8 x (32 * 32) host array (each
 * PE's tile column by column), x into row 0, y out of the last column.
 * Returns the max relative error against a C reference.
 */
static double run_gemv(struct guest *g, unsigned int q, struct image *im)
{
	uint32_t a_addr, x_addr, y_addr, fn = sym(im, "compute", NULL);
	uint64_t a_gpa = guest_alloc(g, GM * GN * 4, 4096);
	uint64_t x_gpa = guest_alloc(g, GN * 4, 4096);
	uint64_t y_gpa = guest_alloc(g, GM * 4, 4096);
	float *A = malloc(GM * GN * 4), *ga = guest_ptr(g, a_gpa);
	float *x = guest_ptr(g, x_gpa), *y = guest_ptr(g, y_gpa);
	double maxerr = 0, maxref = 0;
	struct wse_sqe s;
	struct wse_cqe c;
	int i, j;

	sym(im, "A", &a_addr);
	sym(im, "x", &x_addr);
	sym(im, "y", &y_addr);
	srandom(q + 7);
	for (i = 0; i < GM * GN; i++)
		A[i] = (float)(random() % 2000 - 1000) / 1000.0f;
	for (j = 0; j < GN; j++)
		x[j] = (float)(random() % 2000 - 1000) / 1000.0f;
	/* Host array row-major over PEs; inside a PE the tile by columns. */
	for (i = 0; i < GM; i++)
		for (j = 0; j < GN; j++) {
			int py = i / MT, px = j / NT, ti = i % MT, tj = j % NT;

			ga[((size_t)(py * GQ + px) * MT * NT) + tj * MT + ti] = A[i * GN + j];
		}
	s = rect(WSE_OP_H2D, sgl_one(g, a_gpa, GM * GN * 4), 0, 0, GQ, GP, a_addr, MT * NT);
	if (queue_run(g, q, &s, &c) != WSE_CQE_OK)
		return INFINITY;
	s = rect(WSE_OP_H2D, sgl_one(g, x_gpa, GN * 4), 0, 0, GQ, 1, x_addr, NT);
	if (queue_run(g, q, &s, &c) != WSE_CQE_OK)
		return INFINITY;
	s = launch(fn, 0, NULL);
	if (queue_run(g, q, &s, &c) != WSE_CQE_OK)
		return INFINITY;
	if (!c.result)		/* modeled cycles */
		return INFINITY;
	s = rect(WSE_OP_D2H, sgl_one(g, y_gpa, GM * 4), GQ - 1, 0, 1, GP, y_addr, MT);
	if (queue_run(g, q, &s, &c) != WSE_CQE_OK)
		return INFINITY;
	/* Normwise: max |y - ref| over max |ref|, against a double C GEMV. */
	for (i = 0; i < GM; i++) {
		double ref = 0;

		for (j = 0; j < GN; j++)
			ref += (double)A[i * GN + j] * x[j];
		if (fabs(y[i] - ref) > maxerr)
			maxerr = fabs(y[i] - ref);
		if (fabs(ref) > maxref)
			maxref = fabs(ref);
	}
	maxerr /= maxref;
	free(A);
	return maxerr;
}

static const char fault_src[] =
	".rect all, 0, 0, 4, 3\n"
	".code all\n"
	".func fault\n"
	"	csr r1, x\n"
	"	csr r2, y\n"
	"	li r3, 2\n"
	"	bne r1, r3, .Ldone\n"
	"	li r3, 1\n"
	"	bne r2, r3, .Ldone\n"
	"	ld r4, [r0 + 0x100000]\n"
	".Ldone:\n"
	"	halt\n"
	".func spin\n"
	".Lspin:\n"
	"	b .Lspin\n"
	".func add\n"
	"	add r1, r1, r2\n"
	"	li r3, out\n"
	"	st r1, [r3]\n"
	"	halt\n"
	".data\n"
	"	.export out, i32, 1\n";

FIXTURE(kernel) {
	struct guest g;
};

FIXTURE_SETUP(kernel)
{
	ASSERT_EQ(guest_init(&self->g, MESH_W, MESH_H), 0);
}

FIXTURE_TEARDOWN(kernel)
{
	guest_fini(&self->g);
}

/* The GEMV example, placed at (3, 2) of the wafer, matches C. */
TEST_F(kernel, gemv_matches_reference)
{
	struct guest *g = &self->g;
	struct wafer_rect r = { 3, 2, GQ, GP };
	struct image im;
	struct wse_cqe c;
	double err;

	ASSERT_EQ(image_from(g, &im, "examples/gemv/gemv.wsasm", NULL, gemv_defines), 0);
	ASSERT_EQ(queue_setup(g, 0, 4, r), WSE_QSTATUS_ENABLED);
	ASSERT_EQ(load(g, 0, &im, &c), WSE_CQE_OK);
	err = run_gemv(g, 0, &im);
	TH_LOG("max relative error %g", err);
	EXPECT_LE(err, 1e-5);
	EXPECT_EQ(reg_read(g, WSE_REG_CNT(WSE_CNT_LAUNCHES)), 1);
	EXPECT_EQ(reg_read(g, WSE_REG_CNT(WSE_CNT_LOADS)), 1);
	/* Nothing outside the region was touched. */
	EXPECT_EQ(wse_dev_sram(&g->dev)[((size_t)2 * MESH_W + 2) * SRAM], 0);
	image_free(&im);
}

/* An image bigger than the region is refused. */
TEST_F(kernel, image_larger_than_region)
{
	struct guest *g = &self->g;
	struct wafer_rect r = { 0, 0, GQ - 1, GP };
	struct image im;
	struct wse_cqe c;

	ASSERT_EQ(image_from(g, &im, "examples/gemv/gemv.wsasm", NULL, gemv_defines), 0);
	ASSERT_EQ(queue_setup(g, 0, 4, r), WSE_QSTATUS_ENABLED);
	EXPECT_EQ(load(g, 0, &im, &c), WSE_CQE_OUT_OF_REGION);
	image_free(&im);
}

/* A fault names the PE and pc; the program stays and keeps working. */
TEST_F(kernel, fault_reports_pe_and_pc)
{
	struct guest *g = &self->g;
	struct wafer_rect r = { 5, 5, 4, 3 };
	uint32_t args[2] = { 40, 2 }, out;
	struct image im;
	struct wse_sqe s;
	struct wse_cqe c;
	uint64_t buf;

	ASSERT_EQ(image_from(g, &im, NULL, fault_src, NULL), 0);
	ASSERT_EQ(queue_setup(g, 0, 4, r), WSE_QSTATUS_ENABLED);
	ASSERT_EQ(load(g, 0, &im, &c), WSE_CQE_OK);
	s = launch(sym(&im, "fault", NULL), 0, NULL);
	ASSERT_EQ(queue_run(g, 0, &s, &c), WSE_CQE_KERNEL_FAULT);
	EXPECT_EQ(c.reason, WAFER_ERR_SRAM_RANGE);
	EXPECT_EQ(c.pe_x, 2);
	EXPECT_EQ(c.pe_y, 1);
	EXPECT_NE(c.pc, 0);
	EXPECT_EQ(reg_read(g, WSE_REG_CNT(WSE_CNT_PE_FAULTS)), 1);

	s = launch(sym(&im, "add", NULL), 2, args);
	ASSERT_EQ(queue_run(g, 0, &s, &c), WSE_CQE_OK);
	buf = guest_alloc(g, 4096, 4096);
	sym(&im, "out", &out);
	s = rect(WSE_OP_D2H, sgl_one(g, buf, 4), 3, 2, 1, 1, out, 1);
	ASSERT_EQ(queue_run(g, 0, &s, &c), WSE_CQE_OK);
	EXPECT_EQ(*(uint32_t *)guest_ptr(g, buf), 42);

	/* Bad launches: no such function, unused arguments set. */
	s = launch(9999, 0, NULL);
	EXPECT_EQ(queue_run(g, 0, &s, &c), WSE_CQE_BAD_FIELD);
	s = launch(sym(&im, "add", NULL), 1, args);
	s.launch.args[1] = 5;
	EXPECT_EQ(queue_run(g, 0, &s, &c), WSE_CQE_BAD_FIELD);
	image_free(&im);
}

/* Each PE ticks r1 times, r2 cycles after each TIMER (task 30). */
static const char timer_src[] =
	".rect all, 0, 0, 4, 4\n"
	".code all\n"
	".task 30, local, tick\n"
	".func timer_ticks\n"
	"	li r5, 0\n"
	"	timer r2\n"
	"	tret\n"
	"tick:	csr r6, cycles\n"
	"	shl r7, r5, 2\n"
	"	st r6, [r7 + ticks]\n"
	"	add r5, r5, 1\n"
	"	bgeu r5, r1, .Ldone\n"
	"	timer r2\n"
	".Ldone:	tret\n"
	".data\n"
	"	.export ticks, i32, 8\n";

/*
 * The PE timer through the device's rings on a 4 x 4 region at (6, 3):
 * 4 ticks, 1000 cycles after each TIMER; the completion's modeled cycles
 * cover the last tick (an armed timer keeps the launch going) and each
 * tick starts at its cycle: TIMER at 1 fires at 1002, the task starts 2
 * later, re-arms 5 cycles in, the last tick ends at 4035 (isa.rst,
 * "Timer").
 */
TEST_F(kernel, timer_ticks_through_the_rings)
{
	struct guest *g = &self->g;
	struct wafer_rect r = { 6, 3, 4, 4 };
	uint32_t args[2] = { 4, 1000 }, ticks, *t;
	struct image im;
	struct wse_sqe s;
	struct wse_cqe c;
	uint64_t buf;

	ASSERT_EQ(image_from(g, &im, NULL, timer_src, NULL), 0);
	ASSERT_EQ(queue_setup(g, 0, 4, r), WSE_QSTATUS_ENABLED);
	ASSERT_EQ(load(g, 0, &im, &c), WSE_CQE_OK);
	s = launch(sym(&im, "timer_ticks", NULL), 2, args);
	ASSERT_EQ(queue_run(g, 0, &s, &c), WSE_CQE_OK);
	EXPECT_EQ(c.result, 4035);
	buf = guest_alloc(g, 4096, 4096);
	sym(&im, "ticks", &ticks);
	s = rect(WSE_OP_D2H, sgl_one(g, buf, 16 * 8 * 4), 0, 0, 4, 4, ticks, 8);
	ASSERT_EQ(queue_run(g, 0, &s, &c), WSE_CQE_OK);
	t = guest_ptr(g, buf);
	for (uint32_t i = 0; i < 16 * 8; i++) {
		EXPECT_EQ(i % 8 < 4 ? 1004 + 1008 * (i % 8) : 0, t[i]);
	}
	image_free(&im);
}

/* A kernel that never halts is stopped by ABORT: its completion says
 * ABORTED, the queue is disabled and forgets the program, other queues
 * keep running. */
TEST_F(kernel, abort_stops_a_spinning_kernel)
{
	struct guest *g = &self->g;
	struct wafer_rect r0 = { 0, 0, 4, 3 }, r1 = { 4, 0, 4, 3 };
	struct image im;
	struct wse_sqe s;
	struct wse_cqe c;

	ASSERT_EQ(image_from(g, &im, NULL, fault_src, NULL), 0);
	ASSERT_EQ(queue_setup(g, 0, 4, r0), WSE_QSTATUS_ENABLED);
	ASSERT_EQ(load(g, 0, &im, &c), WSE_CQE_OK);
	s = launch(sym(&im, "spin", NULL), 0, NULL);
	queue_submit(g, 0, &s);
	usleep(200 * 1000);
	EXPECT_TRUE(reg_read(g, WSE_REG_Q(0, WSE_Q_STATUS)) & WSE_QSTATUS_BUSY);

	/* Queue 1 works meanwhile. */
	ASSERT_EQ(queue_setup(g, 1, 4, r1), WSE_QSTATUS_ENABLED);
	ASSERT_EQ(load(g, 1, &im, &c), WSE_CQE_OK);
	s = launch(sym(&im, "fault", NULL), 0, NULL);
	EXPECT_EQ(queue_run(g, 1, &s, &c), WSE_CQE_KERNEL_FAULT);

	/* The stop is asynchronous: BUSY until the worker has stopped,
	 * then idle and EVENT.QUEUE_STOPPED. */
	reg_write(g, WSE_REG_Q(0, WSE_Q_CTRL), WSE_QCTRL_ABORT);
	ASSERT_TRUE(queue_wait_status(g, 0, ~0u, 0, 5000));
	EXPECT_TRUE(reg_read(g, WSE_REG_EVENT) & WSE_EVENT_QUEUE_STOPPED);
	ASSERT_TRUE(queue_reap(g, 0, &c, 5000));
	EXPECT_EQ(c.status, WSE_CQE_ABORTED);
	EXPECT_EQ(c.reason, WAFER_ERR_CANCELLED);

	ASSERT_EQ(queue_setup(g, 0, 4, r0), WSE_QSTATUS_ENABLED);
	s = launch(sym(&im, "add", NULL), 0, NULL);
	EXPECT_EQ(queue_run(g, 0, &s, &c), WSE_CQE_NO_PROGRAM);
	image_free(&im);
}

/*
 * Stopping a busy queue does not wait for its command: the register
 * write returns while a LOAD is caught in its DMA, STATUS shows BUSY,
 * ENABLE is refused meanwhile, and once the worker gets on the LOAD ends
 * ABORTED without loading, the queue goes idle and EVENT.QUEUE_STOPPED
 * says so. (Before, the write waited for the LOAD: here, forever.)
 */
TEST_F(kernel, stop_does_not_wait_for_a_load)
{
	struct guest *g = &self->g;
	struct wafer_rect r0 = { 0, 0, 4, 3 };
	unsigned int errors;
	struct image im;
	struct wse_sqe s;
	struct wse_cqe c;

	ASSERT_EQ(image_from(g, &im, NULL, fault_src, NULL), 0);
	ASSERT_EQ(queue_setup(g, 0, 4, r0), WSE_QSTATUS_ENABLED);
	s = (struct wse_sqe){ .opcode = WSE_OP_LOAD, .tag = 7,
			      .sgl = sgl_one(g, im.gpa, im.len), .sgl_count = 1 };
	s.load.length = im.len;
	g->hold_gpa = im.gpa;
	queue_submit(g, 0, &s);
	while (!__atomic_load_n(&g->held, __ATOMIC_SEQ_CST))
		usleep(1000);

	reg_write(g, WSE_REG_Q(0, WSE_Q_CTRL), 0);
	EXPECT_EQ(reg_read(g, WSE_REG_Q(0, WSE_Q_STATUS)),
		  WSE_QSTATUS_ENABLED | WSE_QSTATUS_BUSY);
	EXPECT_FALSE(reg_read(g, WSE_REG_EVENT) & WSE_EVENT_QUEUE_STOPPED);
	errors = g->guest_errors;
	reg_write(g, WSE_REG_Q(0, WSE_Q_CTRL), WSE_QCTRL_ENABLE);
	EXPECT_EQ(g->guest_errors, errors + 1);

	__atomic_store_n(&g->release, 1, __ATOMIC_SEQ_CST);
	ASSERT_TRUE(queue_wait_status(g, 0, ~0u, 0, 5000));
	EXPECT_TRUE(reg_read(g, WSE_REG_EVENT) & WSE_EVENT_QUEUE_STOPPED);
	ASSERT_TRUE(queue_reap(g, 0, &c, 5000));
	EXPECT_EQ(c.tag, 7);
	EXPECT_EQ(c.status, WSE_CQE_ABORTED);
	EXPECT_EQ(c.reason, WAFER_ERR_CANCELLED);
	g->hold_gpa = 0;

	/* Nothing was loaded: the queue comes back empty. */
	ASSERT_EQ(queue_setup(g, 0, 4, r0), WSE_QSTATUS_ENABLED);
	s = launch(sym(&im, "spin", NULL), 0, NULL);
	EXPECT_EQ(queue_run(g, 0, &s, &c), WSE_CQE_NO_PROGRAM);
	image_free(&im);
}

/* Device reset stops a running kernel too. */
TEST_F(kernel, reset_stops_a_spinning_kernel)
{
	struct guest *g = &self->g;
	struct wafer_rect r0 = { 0, 0, 4, 3 };
	struct image im;
	struct wse_sqe s;
	struct wse_cqe c;

	ASSERT_EQ(image_from(g, &im, NULL, fault_src, NULL), 0);
	ASSERT_EQ(queue_setup(g, 0, 4, r0), WSE_QSTATUS_ENABLED);
	ASSERT_EQ(load(g, 0, &im, &c), WSE_CQE_OK);
	s = launch(sym(&im, "spin", NULL), 0, NULL);
	queue_submit(g, 0, &s);
	usleep(100 * 1000);
	reg_write(g, WSE_REG_RESET, WSE_RESET_MAGIC);
	EXPECT_EQ(reg_read(g, WSE_REG_Q(0, WSE_Q_STATUS)), 0);
	image_free(&im);
}

struct gemv_job {
	struct guest *g;
	unsigned int q;
	struct image *im;
	double err;
};

static void *gemv_thread(void *arg)
{
	struct gemv_job *j = arg;

	j->err = run_gemv(j->g, j->q, j->im);
	return NULL;
}

/* Two queues run GEMV at the same time on disjoint regions; regions that
 * overlap are refused. */
TEST_F(kernel, two_queues_at_once)
{
	struct guest *g = &self->g;
	struct wafer_rect r0 = { 0, 0, GQ, GP }, r1 = { 4, 2, GQ, GP };
	struct gemv_job jobs[2];
	pthread_t t[2];
	struct image im;
	struct wse_cqe c;
	int i;

	ASSERT_EQ(image_from(g, &im, "examples/gemv/gemv.wsasm", NULL, gemv_defines), 0);
	ASSERT_EQ(queue_setup(g, 0, 4, r0), WSE_QSTATUS_ENABLED);
	EXPECT_EQ(queue_setup(g, 1, 4, r1), WSE_QSTATUS_ERROR | WSE_QERR_BAD_CONFIG << 8);
	reg_write(g, WSE_REG_Q(1, WSE_Q_CTRL), 0);
	r1.x = GQ;
	r1.y = MESH_H - GP;
	ASSERT_EQ(queue_setup(g, 1, 4, r1), WSE_QSTATUS_ENABLED);
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(load(g, i, &im, &c), WSE_CQE_OK);
		jobs[i] = (struct gemv_job){ .g = g, .q = i, .im = &im };
		pthread_create(&t[i], NULL, gemv_thread, &jobs[i]);
	}
	for (i = 0; i < 2; i++) {
		pthread_join(t[i], NULL);
		EXPECT_LE(jobs[i].err, 1e-5);
	}
	image_free(&im);
}

TEST_HARNESS_MAIN
