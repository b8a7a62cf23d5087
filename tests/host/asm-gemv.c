// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * asm-gemv.c - the worked example end to end on the wafer core:
 * assemble examples/gemv, load it, write A and x through the SRAM like a
 * host memcpy would, launch compute, and check y against a C reference
 * (max relative error <= 1e-5). The dataflow variant (gemv-df.wsasm) gives
 * the same y in fewer cycles, the same at every thread count.
 */
#include <math.h>

#include "kselftest_harness.h"
#include "tools-test.h"
#include "wafer.h"

struct gemv_run {
	unsigned m, n, p, q;		/* matrix rows, columns; PE rows, columns */
	unsigned threads;
	double max_rel;
	uint64_t cycles;
};

/* Deterministic values in [0, 1): sums without cancellation, so the
 * relative error bound is meaningful for every element. */
static float gemv_val(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return (float)(*s >> 8) / (float)(1u << 24);
}

static int gemv_sym(const struct wafer_image *img, const char *name,
		    struct wafer_symbol *s)
{
	return wafer_image_symbol_find(img, name, s);
}

static int gemv_run(struct __test_metadata *_metadata, struct gemv_run *g,
		    const char *file, const char *const *defs)
{
	struct wse_asm_options o = { .defines = defs };
	unsigned mt = g->m / g->p, nt = g->n / g->q;
	struct wafer_config cfg = { .width = g->q, .height = g->p,
				    .threads = g->threads };
	struct wafer_rect rg = { 0, 0, g->q, g->p };
	struct wafer_symbol sa, sx, sy, sc;
	struct wafer_run_stats st = { 0 };
	struct wafer_image *img = NULL;
	struct wafer_program *prog = NULL;
	struct wafer_fault f = { 0 };
	struct wafer *w = NULL;
	char *err = malloc(TT_ERR_BYTES);
	float *a = malloc(sizeof(float) * g->m * g->n);
	float *x = malloc(sizeof(float) * g->n);
	float *tile = malloc(sizeof(float) * mt * nt);
	uint32_t seed = 12345;
	size_t len;
	void *bytes;
	uint8_t *sram;
	int ret;

	ASSERT_NE(NULL, err);
	ASSERT_NE(NULL, a);
	ASSERT_NE(NULL, x);
	ASSERT_NE(NULL, tile);
	ret = wse_asm_file_opts(file, &o, &bytes, &len, err, TT_ERR_BYTES);
	ASSERT_EQ(0, ret) TH_LOG("%s", err);
	ASSERT_EQ(0, wafer_image_parse(bytes, len, &img, err, TT_ERR_BYTES))
		TH_LOG("%s", err);
	free(bytes);
	ASSERT_EQ(0, gemv_sym(img, "A", &sa));
	ASSERT_EQ(0, gemv_sym(img, "x", &sx));
	ASSERT_EQ(0, gemv_sym(img, "y", &sy));
	ASSERT_EQ(0, gemv_sym(img, "compute", &sc));
	ASSERT_EQ(WAFER_SYM_FUNCTION, sc.kind);
	ASSERT_EQ(mt * nt * 4, sa.size);
	ASSERT_EQ(4, sa.elem_bytes);

	ASSERT_EQ(0, wafer_create(&cfg, &w, err, TT_ERR_BYTES)) TH_LOG("%s", err);
	ASSERT_EQ(0, wafer_load(w, &rg, img, &prog, &f)) TH_LOG("%s", f.msg);

	for (unsigned i = 0; i < g->m * g->n; i++)
		a[i] = gemv_val(&seed);
	for (unsigned j = 0; j < g->n; j++)
		x[j] = gemv_val(&seed);
	/* memcpy_h2d: A's tiles column by column, x to row 0 */
	sram = wafer_sram_base(w);
	for (unsigned py = 0; py < g->p; py++) {
		for (unsigned px = 0; px < g->q; px++) {
			uint8_t *pe = sram + ((size_t)py * g->q + px) *
					     WAFER_DEFAULT_SRAM;

			for (unsigned j = 0; j < nt; j++)
				for (unsigned i = 0; i < mt; i++)
					tile[j * mt + i] =
						a[(size_t)(py * mt + i) * g->n +
						  px * nt + j];
			memcpy(pe + sa.addr, tile, sa.size);
			if (py == 0)
				memcpy(pe + sx.addr, x + px * nt, sx.size);
		}
	}

	ret = wafer_launch(prog, sc.index, NULL, 0, &st, &f);
	ASSERT_EQ(0, ret) TH_LOG("launch: %s", f.msg);
	g->cycles = st.cycles;

	/* memcpy_d2h: y from the east column, compared with doubles */
	g->max_rel = 0;
	for (unsigned py = 0; py < g->p; py++) {
		const uint8_t *pe = sram + ((size_t)py * g->q + g->q - 1) *
					   WAFER_DEFAULT_SRAM;
		float yv[1024];

		ASSERT_GE(sizeof(yv), sy.size);
		memcpy(yv, pe + sy.addr, sy.size);
		for (unsigned i = 0; i < mt; i++) {
			unsigned row = py * mt + i;
			double ref = 0, rel;

			for (unsigned j = 0; j < g->n; j++)
				ref += (double)a[(size_t)row * g->n + j] * x[j];
			rel = fabs(yv[i] - ref) / fabs(ref);
			if (rel > g->max_rel)
				g->max_rel = rel;
		}
	}
	wafer_program_free(prog);
	wafer_destroy(w);
	wafer_image_free(img);
	free(err);
	free(a);
	free(x);
	free(tile);
	return 0;
}

/* The bench's case: 1024 x 1024 on 32 x 32 PEs. */
TEST(gemv_1024_on_32x32)
{
	struct gemv_run g = { .m = 1024, .n = 1024, .p = 32, .q = 32,
			      .threads = 2 };

	gemv_run(_metadata, &g, WSE_TOP "/examples/gemv/gemv.wsasm", NULL);
	TH_LOG("max relative error %.3g, %llu cycles", g.max_rel,
	       (unsigned long long)g.cycles);
	ASSERT_LE(g.max_rel, 1e-5);
	ASSERT_GT(g.cycles, 0);
}

/* 256 x 256 on 8 x 8 PEs from its own top file. */
TEST(gemv_256_on_8x8)
{
	struct gemv_run g = { .m = 256, .n = 256, .p = 8, .q = 8,
			      .threads = 1 };

	gemv_run(_metadata, &g, WSE_TOP "/examples/gemv/gemv-256.wsasm", NULL);
	TH_LOG("max relative error %.3g, %llu cycles", g.max_rel,
	       (unsigned long long)g.cycles);
	ASSERT_LE(g.max_rel, 1e-5);
}

/* Non-square shapes and the one-row / one-column special cases, from
 * the same source with -D. */
TEST(gemv_shapes_from_defines)
{
	static const unsigned shapes[][4] = {
		{ 64, 96, 4, 3 }, { 48, 32, 1, 4 }, { 32, 48, 4, 1 },
		{ 16, 16, 1, 1 }, { 40, 24, 5, 6 },
	};

	for (unsigned i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
		struct gemv_run g = { .m = shapes[i][0], .n = shapes[i][1],
				      .p = shapes[i][2], .q = shapes[i][3],
				      .threads = 2 };
		char d[4][32];
		const char *defs[5] = { d[0], d[1], d[2], d[3], NULL };

		snprintf(d[0], sizeof(d[0]), "M=%u", g.m);
		snprintf(d[1], sizeof(d[1]), "N=%u", g.n);
		snprintf(d[2], sizeof(d[2]), "P=%u", g.p);
		snprintf(d[3], sizeof(d[3]), "Q=%u", g.q);
		gemv_run(_metadata, &g, WSE_TOP "/examples/gemv/gemv.wsasm",
			 defs);
		EXPECT_LE(g.max_rel, 1e-5) TH_LOG("%ux%u on %ux%u", g.m, g.n,
						  g.p, g.q);
	}
}

/* Same results and cycles whatever the wafer's thread count. */
TEST(gemv_deterministic)
{
	struct gemv_run g1 = { .m = 256, .n = 256, .p = 8, .q = 8,
			       .threads = 1 };
	struct gemv_run g2 = g1;

	g2.threads = 2;
	gemv_run(_metadata, &g1, WSE_TOP "/examples/gemv/gemv-256.wsasm", NULL);
	gemv_run(_metadata, &g2, WSE_TOP "/examples/gemv/gemv-256.wsasm", NULL);
	ASSERT_EQ(g1.cycles, g2.cycles);
	ASSERT_EQ(g1.max_rel, g2.max_rel);
}

/* The dataflow variant: the same shapes from the same defines. */
TEST(gemv_dataflow_shapes)
{
	static const unsigned shapes[][4] = {
		{ 64, 96, 4, 3 }, { 48, 32, 1, 4 }, { 32, 48, 4, 1 },
		{ 16, 16, 1, 1 }, { 40, 24, 5, 6 }, { 30, 20, 2, 2 },
		{ 21, 14, 3, 2 },
	};

	for (unsigned i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
		struct gemv_run g = { .m = shapes[i][0], .n = shapes[i][1],
				      .p = shapes[i][2], .q = shapes[i][3],
				      .threads = 2 };
		char d[4][32];
		const char *defs[5] = { d[0], d[1], d[2], d[3], NULL };

		snprintf(d[0], sizeof(d[0]), "M=%u", g.m);
		snprintf(d[1], sizeof(d[1]), "N=%u", g.n);
		snprintf(d[2], sizeof(d[2]), "P=%u", g.p);
		snprintf(d[3], sizeof(d[3]), "Q=%u", g.q);
		gemv_run(_metadata, &g, WSE_TOP "/examples/gemv/gemv-df.wsasm",
			 defs);
		EXPECT_LE(g.max_rel, 1e-5) TH_LOG("%ux%u on %ux%u", g.m, g.n,
						  g.p, g.q);
	}
}

/*
 * 1024 x 1024 on 32 x 32 PEs and 256 x 256 on 8 x 8: the dataflow kernel
 * matches the reference in fewer cycles than the blocking one, with the
 * same cycles at 1, 2 and 4 threads.
 */
TEST(gemv_dataflow_fewer_cycles)
{
	static const char *const d1024[] = { NULL };
	static const char *const d256[] = { "M=256", "N=256", "P=8", "Q=8", NULL };
	static const struct { unsigned m, p; const char *const *defs; } cases[] = {
		{ 1024, 32, d1024 }, { 256, 8, d256 },
	};

	for (unsigned c = 0; c < 2; c++) {
		struct gemv_run s = { .m = cases[c].m, .n = cases[c].m,
				      .p = cases[c].p, .q = cases[c].p,
				      .threads = 2 };
		struct gemv_run d[3];

		gemv_run(_metadata, &s, WSE_TOP "/examples/gemv/gemv.wsasm",
			 cases[c].defs);
		ASSERT_LE(s.max_rel, 1e-5);
		for (unsigned t = 0; t < 3; t++) {
			d[t] = s;
			d[t].threads = 1u << t;
			gemv_run(_metadata, &d[t], WSE_TOP "/examples/gemv/gemv-df.wsasm",
				 cases[c].defs);
			ASSERT_LE(d[t].max_rel, 1e-5);
			ASSERT_EQ(d[0].cycles, d[t].cycles);
		}
		TH_LOG("%ux%u on %ux%u: %llu cycles blocking, %llu dataflow",
		       s.m, s.n, s.p, s.q, (unsigned long long)s.cycles,
		       (unsigned long long)d[0].cycles);
		EXPECT_LT(d[0].cycles, s.cycles);
	}
}

TEST_HARNESS_MAIN
