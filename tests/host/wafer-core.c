// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wafer-core.c - the wafer object, its SRAM layout, loading and launching.
 */
#include <sys/resource.h>

#include "kselftest_harness.h"
#include "wafer-test.h"

static long rss_kib(void)
{
	long kib = -1;
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %ld", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

/* The smallest wafer: create, inspect, destroy. */
TEST(create_destroy)
{
	struct wafer_config c = { .width = 1, .height = 1 }, got;
	struct wafer *w;
	char err[128];

	ASSERT_EQ(0, wafer_create(&c, &w, err, sizeof(err)));
	wafer_get_config(w, &got);
	EXPECT_EQ(1, got.width);
	EXPECT_EQ(1, got.height);
	EXPECT_EQ(WAFER_DEFAULT_SRAM, got.sram_bytes);
	EXPECT_EQ(1, got.threads);
	EXPECT_EQ(32, got.queue_depth);
	EXPECT_EQ(0, got.insn_budget);
	EXPECT_EQ(WAFER_DEFAULT_SRAM, wafer_sram_total(w));
	ASSERT_NE(NULL, wafer_sram_base(w));
	wafer_set_insn_budget(w, 1234);
	wafer_get_config(w, &got);
	EXPECT_EQ(1234, got.insn_budget);
	wafer_destroy(w);
}

/* Out-of-range configurations are refused with a message naming the field. */
TEST(create_bad_config)
{
	struct wafer_config bad[] = {
		{ .width = 0, .height = 1 },
		{ .width = 763, .height = 1 },
		{ .width = 1, .height = 1177 },
		{ .width = 1, .height = 1, .sram_bytes = 1000 },
		{ .width = 1, .height = 1, .sram_bytes = 2 << 20 },
		{ .width = 1, .height = 1, .threads = 65 },
		{ .width = 1, .height = 1, .queue_depth = 5000 },
	};
	const char *words[] = { "mesh", "mesh", "mesh", "sram_bytes",
				"sram_bytes", "threads", "queue_depth" };
	struct wafer *w = (struct wafer *)1;
	char err[128];

	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		w = (struct wafer *)1;
		EXPECT_EQ(-EINVAL, wafer_create(&bad[i], &w, err, sizeof(err)));
		EXPECT_NE(NULL, strstr(err, words[i])) TH_LOG("%s", err);
		EXPECT_EQ(NULL, w);
	}
	EXPECT_EQ(-EINVAL, wafer_create(NULL, &w, err, sizeof(err)));
}

/* A full CS-3 mesh is only address space until used. */
TEST(full_mesh_creates_quickly)
{
	struct wafer_config c = { .width = WAFER_MAX_WIDTH,
				  .height = WAFER_MAX_HEIGHT, .threads = 4 };
	long before = rss_kib();
	struct wafer *w;
	char err[128];
	double t0 = wt_now();

	ASSERT_EQ(0, wafer_create(&c, &w, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_LT(wt_now() - t0, 2.0);
	EXPECT_EQ((size_t)762 * 1176 * 48 * 1024, wafer_sram_total(w));
	EXPECT_LT(rss_kib() - before, 64 * 1024);
	/* The last byte is usable. */
	wafer_sram_base(w)[wafer_sram_total(w) - 1] = 1;
	wafer_reset(w);
	EXPECT_EQ(0, wafer_sram_base(w)[wafer_sram_total(w) - 1]);
	wafer_destroy(w);
}

TEST(status_names)
{
	for (int i = 0; i < WAFER_STATUS_COUNT; i++) {
		const char *n = wafer_status_name(i);

		ASSERT_NE(NULL, n);
		for (int j = 0; j < i; j++)
			EXPECT_STRNE(n, wafer_status_name(j));
	}
	EXPECT_STREQ("ok", wafer_status_name(WAFER_OK));
	EXPECT_STREQ("deadlock", wafer_status_name(WAFER_ERR_DEADLOCK));
	EXPECT_STREQ("unknown", wafer_status_name(WAFER_STATUS_COUNT));
}

FIXTURE(mesh) {
	struct wafer *w;
	struct wb *b;
	struct wafer_fault f;
	struct wafer_run_stats st;
};

FIXTURE_SETUP(mesh)
{
	self->w = wt_wafer(8, 6, 2, 0);
	ASSERT_NE(NULL, self->w);
	self->b = NULL;
}

FIXTURE_TEARDOWN(mesh)
{
	wb_free(self->b);
	wafer_destroy(self->w);
}

/* PE (x, y) of a region lives at base + ((ry + y) * W + rx + x) * sram. */
TEST_F(mesh, sram_layout_contract)
{
	struct wafer_rect rg = { 2, 1, 3, 4 };
	uint8_t *base = wafer_sram_base(self->w);
	uint32_t g, f;

	self->b = wb_new(3, 4);
	g = wb_group(self->b);
	wb_rect(self->b, 0, 0, 3, 4, g);
	f = wb_func(self->b, "main");
	wb_entry(self->b, f, g, 0);
	wb_emit(self->b, g, I_CSR(1, ISA_CSR_X));
	wb_emit(self->b, g, I_CSR(2, ISA_CSR_Y));
	wb_emit(self->b, g, I_ST(1, 0, 0x100));
	wb_emit(self->b, g, I_ST(2, 0, 0x104));
	wb_emit(self->b, g, I_HALT());
	ASSERT_EQ(0, wt_run(self->w, self->b, &rg, NULL, 0, &self->st, &self->f))
		TH_LOG("%s", self->f.msg);
	for (uint32_t y = 0; y < 4; y++) {
		for (uint32_t x = 0; x < 3; x++) {
			uint8_t *pe = base + ((size_t)(1 + y) * 8 + 2 + x) * WAFER_DEFAULT_SRAM;
			uint32_t v[2];

			memcpy(v, pe + 0x100, 8);
			EXPECT_EQ(x, v[0]);
			EXPECT_EQ(y, v[1]);
		}
	}
	EXPECT_EQ(12 * 5, self->st.instructions);
}

/* Load zeroes the region, writes segments and constants, leaves the rest. */
TEST_F(mesh, load_writes_region_only)
{
	struct wafer_rect rg = { 1, 1, 4, 3 };
	struct wafer_program *p;
	uint8_t *base = wafer_sram_base(self->w);
	size_t pe = WAFER_DEFAULT_SRAM;
	uint32_t g0, g1, data[4] = { 1, 2, 3, 4 };

	memset(base, 0xa5, wafer_sram_total(self->w));
	self->b = wb_new(3, 2);
	g0 = wb_group(self->b);
	g1 = wb_group(self->b);
	wb_rect(self->b, 0, 0, 2, 2, g0);
	wb_rect(self->b, 2, 0, 1, 2, g1);
	wb_emit(self->b, g0, I_HALT());
	wb_data(self->b, g1, 0x200, data, sizeof(data));
	wb_bss(self->b, g1, 0x300, 64);
	wb_const(self->b, g0, 0x400, ISA_CSR_X);
	wb_const(self->b, g0, 0x404, ISA_CSR_Y);
	wb_const(self->b, g1, 0x400, ISA_CSR_RECT_Y);
	wb_const(self->b, g1, 0x404, ISA_CSR_PROG_W);
	wb_const(self->b, g1, 0x408, ISA_CSR_SRAM);
	ASSERT_EQ(0, wafer_load(self->w, &rg, wb_image(self->b), &p, &self->f));

	for (uint32_t y = 0; y < 6; y++) {
		for (uint32_t x = 0; x < 8; x++) {
			uint8_t *s = base + ((size_t)y * 8 + x) * pe;
			bool inside = x >= 1 && x < 5 && y >= 1 && y < 4;

			if (!inside) {
				EXPECT_EQ(0xa5, s[0]);
				EXPECT_EQ(0xa5, s[pe - 1]);
			} else {
				EXPECT_EQ(0, s[pe - 1]);
			}
		}
	}
	/* Group 0 code and constants on PEs (0..1, 0..1) of the program. */
	EXPECT_EQ(ISA_OP_HALT, wb_pe_sram(self->w, &rg, 1, 1)[0]);
	EXPECT_EQ(1, wt_word(self->w, &rg, 1, 0, 0x400));
	EXPECT_EQ(1, wt_word(self->w, &rg, 0, 1, 0x404));
	/* Group 1 data, bss and constants. */
	EXPECT_EQ(3, wt_word(self->w, &rg, 2, 1, 0x208));
	EXPECT_EQ(0, wt_word(self->w, &rg, 2, 1, 0x300));
	EXPECT_EQ(1, wt_word(self->w, &rg, 2, 1, 0x400));
	EXPECT_EQ(3, wt_word(self->w, &rg, 2, 1, 0x404));
	EXPECT_EQ(WAFER_DEFAULT_SRAM, wt_word(self->w, &rg, 2, 0, 0x408));
	/* PEs of the region outside the layout are zero. */
	EXPECT_EQ(0, wt_word(self->w, &rg, 3, 2, 0x0));
	wafer_program_free(p);
}

/* Regions off the wafer or smaller than the image are refused. */
TEST_F(mesh, load_bad_region)
{
	struct wafer_rect bad[] = {
		{ 0, 0, 0, 1 }, { 7, 0, 2, 1 }, { 0, 5, 1, 2 },
		{ UINT32_MAX, 0, 2, 1 }, { 0, 0, 1, 1 },
	};
	struct wafer_program *p = (struct wafer_program *)1;
	uint32_t g;

	self->b = wb_new(2, 1);
	g = wb_group(self->b);
	wb_rect(self->b, 0, 0, 2, 1, g);
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-EINVAL, wafer_load(self->w, &bad[i], wb_image(self->b),
					      &p, &self->f));
		EXPECT_EQ(WAFER_ERR_BAD_REGION, self->f.status) TH_LOG("%s", self->f.msg);
		EXPECT_EQ(NULL, p);
	}
}

/* Inconsistent images are refused before anything is written. */
TEST_F(mesh, load_bad_image)
{
	struct wafer_rect rg = { 0, 0, 4, 4 };
	struct wafer_program *p;
	struct wafer_image *img;
	uint32_t g, fn;

	self->b = wb_new(2, 2);
	g = wb_group(self->b);
	wb_rect(self->b, 0, 0, 2, 2, g);
	fn = wb_func(self->b, "main");
	wb_entry(self->b, fn, g, 0);
	wb_emit(self->b, g, I_HALT());
	img = wb_image(self->b);
	ASSERT_EQ(0, wafer_load(self->w, &rg, img, &p, &self->f));
	wafer_program_free(p);

	img->sram_bytes = 2 * WAFER_DEFAULT_SRAM;
	EXPECT_EQ(-EINVAL, wafer_load(self->w, &rg, img, &p, &self->f));
	EXPECT_EQ(WAFER_ERR_BAD_IMAGE, self->f.status);
	img->sram_bytes = WAFER_DEFAULT_SRAM;

	img->symbols[0].entry[0] = 4;
	EXPECT_EQ(-EINVAL, wafer_load(self->w, &rg, img, &p, &self->f));
	EXPECT_EQ(WAFER_ERR_BAD_IMAGE, self->f.status);
	img->symbols[0].entry[0] = 0;

	img->rects[0].group = 7;
	EXPECT_EQ(-EINVAL, wafer_load(self->w, &rg, img, &p, &self->f));
	EXPECT_EQ(WAFER_ERR_BAD_IMAGE, self->f.status);
	img->rects[0].group = 0;

	wb_route(self->b, 0, 0, 1, 1, WAFER_COLORS, WAFER_PORT_RAMP, WAFER_PORT_EAST);
	img = wb_image(self->b);
	EXPECT_EQ(-EINVAL, wafer_load(self->w, &rg, img, &p, &self->f));
	EXPECT_EQ(WAFER_ERR_BAD_IMAGE, self->f.status);
	EXPECT_NE(NULL, strstr(self->f.msg, "route")) TH_LOG("%s", self->f.msg);
}

/* Arguments arrive in r1..r8; launching a non-function is refused. */
TEST_F(mesh, launch_args_and_symbols)
{
	struct wafer_rect rg = { 0, 0, 1, 1 };
	uint32_t args[8] = { 11, 22, 33, 44, 55, 66, 77, 88 };
	struct wafer_program *p;
	uint32_t g, fn, obj;

	self->b = wb_new(1, 1);
	g = wb_group(self->b);
	wb_rect(self->b, 0, 0, 1, 1, g);
	fn = wb_func(self->b, "main");
	obj = wb_object(self->b, "out", 0x400, 32, 4);
	wb_entry(self->b, fn, g, 0);
	for (unsigned int i = 1; i <= 8; i++)
		wb_emit(self->b, g, I_ST(i, 0, 0x400 + 4 * (i - 1)));
	wb_emit(self->b, g, I_ST(9, 0, 0x420));	/* other registers are 0 */
	wb_emit(self->b, g, I_HALT());
	ASSERT_EQ(0, wafer_load(self->w, &rg, wb_image(self->b), &p, &self->f));
	wt_put(self->w, &rg, 0, 0, 0x420, "\xff\xff\xff\xff", 4);
	ASSERT_EQ(0, wafer_launch(p, fn, args, 8, &self->st, &self->f));
	for (unsigned int i = 0; i < 8; i++)
		EXPECT_EQ(args[i], wt_word(self->w, &rg, 0, 0, 0x400 + 4 * i));
	EXPECT_EQ(0, wt_word(self->w, &rg, 0, 0, 0x420));

	EXPECT_EQ(-ENOENT, wafer_launch(p, obj, NULL, 0, NULL, &self->f));
	EXPECT_EQ(WAFER_ERR_NO_FUNCTION, self->f.status);
	EXPECT_EQ(-ENOENT, wafer_launch(p, 99, NULL, 0, NULL, &self->f));
	EXPECT_EQ(-EINVAL, wafer_launch(p, fn, args, 9, NULL, &self->f));
	EXPECT_EQ(WAFER_ERR_INVALID, self->f.status);
	EXPECT_EQ(-EINVAL, wafer_launch(p, fn, NULL, 2, NULL, &self->f));
	/* A second launch starts from scratch and gives the same result. */
	ASSERT_EQ(0, wafer_launch(p, fn, args, 3, NULL, NULL));
	EXPECT_EQ(0, wt_word(self->w, &rg, 0, 0, 0x40c));
	wafer_program_free(p);
}

/* Only PEs whose group defines the function run. */
TEST_F(mesh, groups_without_function_stay_idle)
{
	struct wafer_rect rg = { 0, 0, 2, 1 };
	uint32_t g0, g1, f0, f1;

	self->b = wb_new(2, 1);
	g0 = wb_group(self->b);
	g1 = wb_group(self->b);
	wb_rect(self->b, 0, 0, 1, 1, g0);
	wb_rect(self->b, 1, 0, 1, 1, g1);
	f0 = wb_func(self->b, "a");
	f1 = wb_func(self->b, "b");
	wb_entry(self->b, f0, g0, 0);
	wb_entry(self->b, f1, g1, 0);
	wb_entry(self->b, f1, g0, 8 * 3);
	/* g0: a stores 1, b stores 2; g1: b stores 3. */
	wb_emit(self->b, g0, I_LI(1, 1));
	wb_emit(self->b, g0, I_ST(1, 0, 0x400));
	wb_emit(self->b, g0, I_HALT());
	wb_emit(self->b, g0, I_LI(1, 2));
	wb_emit(self->b, g0, I_ST(1, 0, 0x400));
	wb_emit(self->b, g0, I_HALT());
	wb_emit(self->b, g1, I_LI(1, 3));
	wb_emit(self->b, g1, I_ST(1, 0, 0x400));
	wb_emit(self->b, g1, I_HALT());
	{
		struct wafer_program *p;

		ASSERT_EQ(0, wafer_load(self->w, &rg, wb_image(self->b), &p, &self->f));
		ASSERT_EQ(0, wafer_launch(p, f0, NULL, 0, &self->st, &self->f));
		EXPECT_EQ(1, wt_word(self->w, &rg, 0, 0, 0x400));
		EXPECT_EQ(0, wt_word(self->w, &rg, 1, 0, 0x400));
		EXPECT_EQ(3, self->st.instructions);
		ASSERT_EQ(0, wafer_launch(p, f1, NULL, 0, &self->st, &self->f));
		EXPECT_EQ(2, wt_word(self->w, &rg, 0, 0, 0x400));
		EXPECT_EQ(3, wt_word(self->w, &rg, 1, 0, 0x400));
		EXPECT_EQ(6, self->st.instructions);
		wafer_program_free(p);
	}
}

/* Reset zeroes SRAM; the wafer stays usable. */
TEST_F(mesh, reset_zeroes_sram)
{
	uint8_t *base = wafer_sram_base(self->w);

	memset(base, 0x5a, wafer_sram_total(self->w));
	wafer_reset(self->w);
	for (size_t i = 0; i < wafer_sram_total(self->w); i += 4093)
		ASSERT_EQ(0, base[i]);
}

/* The GEMV kernel of the benchmark computes y = A x. */
TEST_F(mesh, gemv_small)
{
	const uint32_t m = 24, n = 36, pw = 4, ph = 6;
	struct wafer_rect rg = { 1, 0, pw, ph };
	float a[24 * 36], x[36], y[24], ref[24];
	struct wafer_program *p;

	for (uint32_t i = 0; i < m * n; i++)
		a[i] = (float)((i * 7) % 13) - 6.0f;
	for (uint32_t j = 0; j < n; j++)
		x[j] = (float)(j % 5) - 2.0f;
	for (uint32_t i = 0; i < m; i++) {
		ref[i] = 0;
		for (uint32_t j = 0; j < n; j++)
			ref[i] += a[i * n + j] * x[j];
	}
	ASSERT_NE(NULL, wb_gemv(&self->b, m, n, pw, ph));
	ASSERT_EQ(0, wafer_load(self->w, &rg, wb_image(self->b), &p, &self->f));
	wb_gemv_scatter(self->w, &rg, m, n, pw, ph, a, x);
	ASSERT_EQ(0, wafer_launch(p, 0, NULL, 0, &self->st, &self->f))
		TH_LOG("%s", self->f.msg);
	wb_gemv_gather(self->w, &rg, m, n, pw, ph, y);
	/* Small integers: every summation order is exact. */
	for (uint32_t i = 0; i < m; i++) {
		EXPECT_EQ(ref[i], y[i]) TH_LOG("y[%u]", i);
	}
	EXPECT_GT(self->st.wavelets, 0);
	EXPECT_GT(self->st.cycles, 0);
	wafer_program_free(p);
}

TEST_HARNESS_MAIN
