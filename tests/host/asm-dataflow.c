// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * asm-dataflow.c - the dataflow examples end to end on the wafer core:
 * assemble them, load, write their inputs through SRAM as a host memcpy
 * would, launch compute and check the results against the host
 * references; the same bytes and cycles at 1, 2 and 4 threads; the
 * blocking variant of the halo exchange deadlocks.
 */
#include "kselftest_harness.h"
#include "tools-test.h"
#include "wafer.h"
#include "life_ref.h"

/* Assemble file with defs into a parsed image. */
static struct wafer_image *assemble(struct __test_metadata *_metadata,
				    const char *file, const char *const *defs)
{
	struct wse_asm_options o = { .defines = defs };
	struct wafer_image *img = NULL;
	char *err = malloc(TT_ERR_BYTES);
	void *bytes;
	size_t len;

	if (!err)
		return NULL;
	if (wse_asm_file_opts(file, &o, &bytes, &len, err, TT_ERR_BYTES)) {
		TH_LOG("%s", err);
		free(err);
		return NULL;
	}
	if (wafer_image_parse(bytes, len, &img, err, TT_ERR_BYTES))
		TH_LOG("%s", err);
	free(bytes);
	free(err);
	return img;
}

struct life_run {
	uint32_t rows, cols, p, q, gens, threads;
	int ret;
	uint64_t cycles;
	char msg[192];
	uint32_t *grid;		/* in: the start; out: the result */
};

/* Run the life kernel of img on lr->grid (row-major rows x cols). */
static void life_on_core(struct __test_metadata *_metadata,
			 const struct wafer_image *img, struct life_run *lr)
{
	uint32_t th = lr->rows / lr->p, tw = lr->cols / lr->q, rw = tw + 2;
	struct wafer_config cfg = { .width = lr->q, .height = lr->p,
				    .threads = lr->threads };
	struct wafer_rect rg = { 0, 0, lr->q, lr->p };
	struct wafer_program *prog;
	struct wafer_run_stats st;
	struct wafer_symbol sc, fn;
	struct wafer_fault f;
	struct wafer *w;
	char err[160];
	uint8_t *sram;

	ASSERT_EQ(0, wafer_image_symbol_find(img, "cells", &sc));
	ASSERT_EQ(0, wafer_image_symbol_find(img, "compute", &fn));
	ASSERT_EQ(0, wafer_create(&cfg, &w, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(0, wafer_load(w, &rg, img, &prog, &f)) TH_LOG("%s", f.msg);
	sram = wafer_sram_base(w);
	for (uint32_t py = 0; py < lr->p; py++)
		for (uint32_t px = 0; px < lr->q; px++)
			for (uint32_t i = 0; i < th; i++)
				for (uint32_t j = 0; j < tw; j++)
					memcpy(sram + ((size_t)py * lr->q + px) * WAFER_DEFAULT_SRAM +
					       sc.addr + 4 * ((i + 1) * rw + j + 1),
					       &lr->grid[(size_t)(py * th + i) * lr->cols + px * tw + j], 4);
	lr->ret = wafer_launch(prog, fn.index, &lr->gens, 1, &st, &f);
	lr->cycles = st.cycles;
	snprintf(lr->msg, sizeof(lr->msg), "%s", f.msg);
	for (uint32_t py = 0; py < lr->p; py++)
		for (uint32_t px = 0; px < lr->q; px++)
			for (uint32_t i = 0; i < th; i++)
				for (uint32_t j = 0; j < tw; j++)
					memcpy(&lr->grid[(size_t)(py * th + i) * lr->cols + px * tw + j],
					       sram + ((size_t)py * lr->q + px) * WAFER_DEFAULT_SRAM +
					       sc.addr + 4 * ((i + 1) * rw + j + 1), 4);
	wafer_program_free(prog);
	wafer_destroy(w);
}

static void random_grid(uint32_t *g, size_t n, uint32_t seed)
{
	for (size_t i = 0; i < n; i++) {
		seed = seed * 1664525u + 1013904223u;
		g[i] = (seed >> 8) % 3 == 0;
	}
}

/*
 * 40 x 40 cells a PE, on 3 x 4 PEs: every cell matches the host's game
 * after 6 generations (an even count) and 5 (the result is copied back
 * from the second buffer), at 1, 2 and 4 threads with the same cycles.
 */
TEST(life_matches_reference)
{
	static const char *const defs[] = { "GH=120", "GW=160", "P=3", "Q=4", NULL };
	struct wafer_image *img = assemble(_metadata, WSE_TOP "/examples/life/life.wsasm", defs);
	const uint32_t rows = 120, cols = 160;
	uint32_t *start = malloc(rows * cols * 4), *ref = malloc(rows * cols * 4);
	uint32_t *tmp = malloc(rows * cols * 4);

	ASSERT_NE(NULL, img);
	ASSERT_NE(NULL, start);
	ASSERT_NE(NULL, ref);
	ASSERT_NE(NULL, tmp);
	random_grid(start, rows * cols, 7);
	for (uint32_t gens = 5; gens <= 6; gens++) {
		uint64_t cycles = 0;

		memcpy(ref, start, rows * cols * 4);
		life_ref(ref, tmp, rows, cols, gens);
		for (uint32_t threads = 1; threads <= 4; threads *= 2) {
			struct life_run lr = { .rows = rows, .cols = cols, .p = 3, .q = 4,
					       .gens = gens, .threads = threads };

			lr.grid = malloc(rows * cols * 4);
			ASSERT_NE(NULL, lr.grid);
			memcpy(lr.grid, start, rows * cols * 4);
			life_on_core(_metadata, img, &lr);
			ASSERT_EQ(0, lr.ret) TH_LOG("%s", lr.msg);
			for (uint32_t c = 0; c < rows * cols; c++) {
				ASSERT_EQ(ref[c], lr.grid[c]) TH_LOG("cell %u, %u gens", c, gens);
			}
			if (cycles) {
				ASSERT_EQ(cycles, lr.cycles);
			}
			cycles = lr.cycles;
			free(lr.grid);
		}
		TH_LOG("%u generations: %llu cycles", gens, (unsigned long long)cycles);
	}
	free(start);
	free(ref);
	free(tmp);
	wafer_image_free(img);
}

/* The same exchange with blocking ops: 40-cell edges fill 32-deep queues. */
TEST(life_blocking_deadlocks)
{
	static const char *const defs[] = { "GH=80", "GW=80", "P=2", "Q=2", "SYNC=1", NULL };
	struct wafer_image *img = assemble(_metadata, WSE_TOP "/examples/life/life.wsasm", defs);
	struct life_run lr = { .rows = 80, .cols = 80, .p = 2, .q = 2,
			       .gens = 1, .threads = 2 };

	ASSERT_NE(NULL, img);
	lr.grid = calloc(80 * 80, 4);
	ASSERT_NE(NULL, lr.grid);
	life_on_core(_metadata, img, &lr);
	EXPECT_EQ(-EDEADLK, lr.ret);
	EXPECT_NE(NULL, strstr(lr.msg, "deadlock, 4 PEs blocked: (0,0) send c0, (1,0) send c2"))
		TH_LOG("%s", lr.msg);
	free(lr.grid);
	wafer_image_free(img);
}

TEST_HARNESS_MAIN
