// SPDX-License-Identifier: GPL-2.0
/*
 * The dataflow PE through the driver and the device: examples/life runs
 * the game of life on 4 x 4 PEs with 40 x 40 cells each; every
 * generation each PE sends its edges to its eight neighbours and
 * receives theirs with async ops on four microthreads at once, tasks
 * count the completions and apply the rule. The result must match the
 * host's game cell for cell, twice with the same cycles. The blocking
 * variant of the same exchange (each PE sends a 40-cell edge before it
 * receives, into 32-deep queues) must end as a deadlock, reported to the
 * application as a kernel fault naming it. Device 0 is the one opened:
 * check-host runs the suite on the simulator ($WSE_DEVICE), with the
 * images of the build ($WSE_DATADIR).
 */
#include "../kselftest_harness.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <wse/wse.h>

#include "life_ref.h"

#define DATADIR		"/usr/share/wse"
#define ROWS		160
#define COLS		160
#define PEQ		4		/* PEs per side */
#define TH		(ROWS / PEQ)
#define TW		(COLS / PEQ)
#define TILE		((TH + 2) * (TW + 2))

FIXTURE(life)
{
	struct wse_device *dev;
	struct wse_program *prog;
	struct wse_symbol cells;
	uint32_t grid[ROWS * COLS], ref[ROWS * COLS], tmp[ROWS * COLS];
	uint32_t tiles[PEQ * PEQ * TILE];
};

/* Kernel image NAME: in $WSE_DATADIR if set (check-host), else DATADIR. */
static const char *image_path(const char *name)
{
	static char path[512];
	const char *dir = getenv("WSE_DATADIR");

	snprintf(path, sizeof(path), "%s/%s", dir && *dir ? dir : DATADIR, name);
	return path;
}

static void life_load(struct __test_metadata *_metadata,
		      FIXTURE_DATA(life) *self, const char *name)
{
	const char *image = image_path(name);

	ASSERT_EQ(0, wse_program_load_file(self->dev, image, &self->prog)) {
		TH_LOG("%s: %s", image, wse_last_error(self->dev));
	}
	ASSERT_EQ(0, wse_program_symbol(self->prog, "cells", &self->cells));
	ASSERT_EQ(4 * TILE, self->cells.size);
}

FIXTURE_SETUP(life)
{
	uint32_t seed = 2026;

	ASSERT_EQ(0, wse_device_open(0, &self->dev));
	for (int i = 0; i < ROWS * COLS; i++) {
		seed = seed * 1664525u + 1013904223u;
		self->grid[i] = self->ref[i] = (seed >> 8) % 3 == 0;
	}
	self->prog = NULL;
}

FIXTURE_TEARDOWN(life)
{
	wse_program_free(self->prog);
	wse_device_close(self->dev);
}

/* Between the grid and the PEs' tiles (halos dead). */
static void tiles_from_grid(FIXTURE_DATA(life) *self, bool in)
{
	for (int py = 0; py < PEQ; py++)
		for (int px = 0; px < PEQ; px++)
			for (int i = 0; i < TH; i++)
				for (int j = 0; j < TW; j++) {
					uint32_t *t = &self->tiles[(py * PEQ + px) * TILE +
								  (i + 1) * (TW + 2) + j + 1];
					uint32_t *g = &self->grid[(py * TH + i) * COLS +
								 px * TW + j];

					if (in)
						*t = *g;
					else
						*g = *t;
				}
}

/* Copy the grid in, run gens generations, copy it out; the task's cycles. */
static int life_launch(struct __test_metadata *_metadata,
		       FIXTURE_DATA(life) *self, uint32_t gens, uint64_t *cycles,
		       char *why, size_t whylen)
{
	struct wse_task *task = NULL;
	int ret;

	memset(self->tiles, 0, sizeof(self->tiles));
	tiles_from_grid(self, true);
	ret = wse_memcpy_h2d(self->prog, &self->cells, self->tiles, 0, 0, PEQ, PEQ,
			     TILE, WSE_MEMCPY_32BIT, WSE_MEMCPY_ROW_MAJOR, 0, NULL);
	if (ret)
		return ret;
	ret = wse_launch(self->prog, "compute", 1, &gens, WSE_NONBLOCK, &task);
	if (ret)
		return ret;
	ret = wse_task_wait(task, -1);
	*cycles = wse_task_cycles(task);
	snprintf(why, whylen, "%s", wse_task_error(task));
	wse_task_free(task);
	if (ret)
		return ret;
	ret = wse_memcpy_d2h(self->prog, &self->cells, self->tiles, 0, 0, PEQ, PEQ,
			     TILE, WSE_MEMCPY_32BIT, WSE_MEMCPY_ROW_MAJOR, 0, NULL);
	tiles_from_grid(self, false);
	return ret;
}

/* 40 x 40 cells per PE, async halo exchanges: the host's game, exactly. */
TEST_F(life, halo_exchange_matches_reference)
{
	const uint32_t gens = 7;
	uint64_t cycles[2] = { 0 };
	uint32_t start[ROWS * COLS];
	char why[256];

	life_load(_metadata, self, "life-160x160-4x4.img");
	memcpy(start, self->grid, sizeof(start));
	life_ref(self->ref, self->tmp, ROWS, COLS, gens);
	for (int run = 0; run < 2; run++) {
		int bad = 0;

		memcpy(self->grid, start, sizeof(start));
		ASSERT_EQ(0, life_launch(_metadata, self, gens, &cycles[run], why,
					 sizeof(why))) {
			TH_LOG("%s", why);
		}
		for (int i = 0; i < ROWS * COLS; i++)
			bad += self->grid[i] != self->ref[i];
		ASSERT_EQ(0, bad);
		ASSERT_LT(0, cycles[run]);
	}
	/* Modeled cycles depend on data only. */
	ASSERT_EQ(cycles[0], cycles[1]);
	TH_LOG("%u generations in %llu cycles", gens, (unsigned long long)cycles[0]);
}

/* Zero generations: the grid comes back as it went in. */
TEST_F(life, no_generation)
{
	uint32_t start[ROWS * COLS];
	uint64_t cycles;
	char why[256];

	life_load(_metadata, self, "life-160x160-4x4.img");
	memcpy(start, self->grid, sizeof(start));
	ASSERT_EQ(0, life_launch(_metadata, self, 0, &cycles, why, sizeof(why))) {
		TH_LOG("%s", why);
	}
	ASSERT_EQ(0, memcmp(start, self->grid, sizeof(start)));
}

/* The same exchange with blocking ops deadlocks, and says so. */
TEST_F(life, blocking_exchange_deadlocks)
{
	uint64_t cycles;
	char why[256];

	life_load(_metadata, self, "life-sync-160x160-4x4.img");
	ASSERT_EQ(-EFAULT, life_launch(_metadata, self, 1, &cycles, why, sizeof(why)));
	TH_LOG("%s", why);
	ASSERT_NE(NULL, strstr(why, "deadlock"));
	ASSERT_NE(NULL, strstr(why, "PE (0,0) pc 0x"));
	/* The program and the device stay usable. */
	wse_program_free(self->prog);
	self->prog = NULL;
	life_load(_metadata, self, "life-160x160-4x4.img");
	ASSERT_EQ(0, life_launch(_metadata, self, 1, &cycles, why, sizeof(why))) {
		TH_LOG("%s", why);
	}
}

TEST_HARNESS_MAIN
