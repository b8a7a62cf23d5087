// SPDX-License-Identifier: GPL-2.0
/*
 * life - the game of life on the wafer, the host side of examples/life.
 *
 *   life [-r ROWS] [-c COLS] [-p P] [-q Q] [-g GENS] [-i IMAGE]
 *        [-d DEVICE] [-s SEED]
 *
 * A ROWS x COLS grid of random cells (about a third alive, dead beyond
 * the edges) runs GENS generations on P x Q PEs: each PE holds a block
 * of the grid with a one-cell halo and, every generation, exchanges its
 * edges with its eight neighbours by async sends and receives, then
 * applies the rule. The host copies the blocks in, launches "compute"
 * with GENS, copies them out and compares every cell with the host's
 * own game. Exit status: 0 if every cell matches, 1 if not or if
 * something failed, 2 for a bad command line.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "example.h"
#include "life_ref.h"

#define LIFE_NAME	"life"

struct life {
	uint32_t rows, cols;	/* cells */
	uint32_t p, q;		/* PE rows, PE columns */
	uint32_t th, tw;	/* rows, columns of each PE's block */
	uint32_t gens;
	struct ex_args ex;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: life [-r ROWS] [-c COLS] [-p P] [-q Q] [-g GENS] [-i IMAGE]\n"
		"            [-d DEVICE] [-s SEED]\n"
		"  The game of life on P x Q PEs, checked cell by cell against the host.\n"
		"  -r, --rows ROWS    grid rows (default 160)\n"
		"  -c, --cols COLS    grid columns (default 160)\n"
		"  -p, --pe-rows P    rows of PEs; P divides ROWS (default 4)\n"
		"  -q, --pe-cols Q    columns of PEs; Q divides COLS (default 4)\n"
		"  -g, --gens N       generations, the launch argument (default 10)\n"
		"  -i, --image FILE   kernel image (default $WSE_DATADIR/life-ROWSxCOLS-PxQ.img,\n"
		"                     WSE_DATADIR defaults to " EX_DATADIR ")\n"
		"  -d, --device N     wse device index (default 0)\n"
		"  -s, --seed S       seed of the random grid (default 1)\n");
}

/* 0 to run, 1 after --help, -1 for a bad command line. */
static int life_parse(int argc, char **argv, struct life *l)
{
	const struct ex_num_opt sizes[] = {
		{ "rows", 'r', 1, UINT32_MAX, &l->rows },
		{ "cols", 'c', 1, UINT32_MAX, &l->cols },
		{ "pe-rows", 'p', 1, UINT32_MAX, &l->p },
		{ "pe-cols", 'q', 1, UINT32_MAX, &l->q },
		{ "gens", 'g', 0, UINT32_MAX, &l->gens },
	};
	int ret;

	*l = (struct life){ .rows = 160, .cols = 160, .p = 4, .q = 4,
			    .gens = 10 };
	ret = ex_parse(argc, argv, LIFE_NAME, sizes, EX_ARRAY_SIZE(sizes),
		       usage, &l->ex);
	if (ret)
		return ret;
	if (l->rows % l->p || l->cols % l->q) {
		fprintf(stderr, "life: P (%u) must divide ROWS (%u) and Q (%u) must divide COLS (%u)\n",
			l->p, l->rows, l->q, l->cols);
		return -1;
	}
	l->th = l->rows / l->p;
	l->tw = l->cols / l->q;
	ex_default_image(&l->ex, "life-%ux%u-%ux%u.img", l->rows, l->cols,
			 l->p, l->q);
	return 0;
}

static size_t life_tile(const struct life *l)
{
	return (size_t)(l->th + 2) * (l->tw + 2);
}

/* Each PE's block in the middle of its tile; the halos start dead. */
static void life_pack(const struct life *l, const uint32_t *grid,
		      uint32_t *tiles, bool in)
{
	for (uint32_t py = 0; py < l->p; py++) {
		for (uint32_t px = 0; px < l->q; px++) {
			uint32_t *t = tiles + ((size_t)py * l->q + px) * life_tile(l);

			for (uint32_t i = 0; i < l->th; i++) {
				for (uint32_t j = 0; j < l->tw; j++) {
					size_t g = (size_t)(py * l->th + i) * l->cols +
						   px * l->tw + j;
					size_t k = (size_t)(i + 1) * (l->tw + 2) + j + 1;

					if (in)
						t[k] = grid[g];
					else
						((uint32_t *)grid)[g] = t[k];
				}
			}
		}
	}
}

static int life_run(const struct life *l, uint32_t *tiles, struct ex_times *t,
		    uint64_t *cycles)
{
	const uint32_t n = (uint32_t)life_tile(l);
	struct wse_program *prog;
	struct wse_device *dev;
	struct wse_region r;
	struct wse_symbol sc;
	double t0;
	int ret;

	ret = ex_load(LIFE_NAME, &l->ex, &dev, &prog, &t->load);
	if (ret)
		return ret;
	ret = -1;
	if (ex_symbol(LIFE_NAME, prog, "cells", &sc) ||
	    wse_program_region(prog, &r))
		goto out;
	if (r.width != l->q || r.height != l->p || sc.size != 4 * n) {
		fprintf(stderr, "life: %s runs on %ux%u PEs with %u-cell tiles, not on %ux%u PEs with %u: give matching -r -c -p -q or another -i\n",
			l->ex.image, r.height, r.width, sc.size / 4, l->p,
			l->q, n);
		goto out;
	}
	t0 = ex_now();
	ret = wse_memcpy_h2d(prog, &sc, tiles, 0, 0, l->q, l->p, n,
			     WSE_MEMCPY_32BIT, WSE_MEMCPY_ROW_MAJOR, 0, NULL);
	t->copy_in = ex_now() - t0;
	if (ret) {
		ex_fail(LIFE_NAME, dev, "copying the grid in", ret);
		goto out;
	}
	ret = ex_launch(LIFE_NAME, dev, prog, 1, &l->gens, t, cycles);
	if (ret)
		goto out;
	t0 = ex_now();
	ret = wse_memcpy_d2h(prog, &sc, tiles, 0, 0, l->q, l->p, n,
			     WSE_MEMCPY_32BIT, WSE_MEMCPY_ROW_MAJOR, 0, NULL);
	t->copy_out = ex_now() - t0;
	if (ret)
		ex_fail(LIFE_NAME, dev, "copying the grid out", ret);
out:
	wse_program_free(prog);
	wse_device_close(dev);
	return ret;
}

int main(int argc, char **argv)
{
	struct ex_times t = { 0 };
	uint32_t *grid, *ref, *tmp, *tiles, seed;
	uint64_t cycles = 0, bad = 0;
	size_t cells;
	struct life l;
	double t0;
	int ret;

	ret = life_parse(argc, argv, &l);
	if (ret)
		return ret > 0 ? 0 : 2;
	cells = (size_t)l.rows * l.cols;
	grid = malloc(cells * sizeof(*grid));
	ref = malloc(cells * sizeof(*ref));
	tmp = malloc(cells * sizeof(*tmp));
	tiles = calloc(life_tile(&l) * l.p * l.q, sizeof(*tiles));
	if (!grid || !ref || !tmp || !tiles) {
		fprintf(stderr, "life: out of memory for a %ux%u grid\n",
			l.rows, l.cols);
		return 1;
	}
	seed = l.ex.seed;
	for (size_t i = 0; i < cells; i++)
		grid[i] = ref[i] = ex_rand(&seed) < -0.33f;
	life_pack(&l, grid, tiles, true);

	printf("life: %u generations of a %ux%u grid on %ux%u PEs (%ux%u cells per PE)\n",
	       l.gens, l.rows, l.cols, l.p, l.q, l.th, l.tw);
	printf("image: %s\n", l.ex.image);
	fflush(stdout);
	t0 = ex_now();
	ret = life_run(&l, tiles, &t, &cycles);
	if (ret)
		return 1;
	ex_print_times(&t, ex_now() - t0);
	ex_print_cycles(cycles, 0);
	if (l.gens)
		printf("wafer: %.0f cycles per generation\n", (double)cycles / l.gens);
	life_pack(&l, grid, tiles, false);
	life_ref(ref, tmp, l.rows, l.cols, l.gens);
	for (size_t i = 0; i < cells; i++)
		bad += grid[i] != ref[i];
	printf("cells differing from the host reference: %llu of %zu\n",
	       (unsigned long long)bad, cells);
	printf("life: %s\n", bad ? "FAIL" : "PASS");
	free(grid);
	free(ref);
	free(tmp);
	free(tiles);
	return bad ? 1 : 0;
}
