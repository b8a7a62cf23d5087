// SPDX-License-Identifier: GPL-2.0
/*
 * stencil - Jacobi sweeps of the 5-point stencil on the wafer, the host
 * side of examples/stencil.
 *
 *   stencil [-r ROWS] [-c COLS] [-p P] [-q Q] [-t SWEEPS] [-i IMAGE]
 *           [-d DEVICE] [-s SEED]
 *
 * A ROWS x COLS grid of temperatures, random in [0, 1), sits in a fixed
 * boundary ring: 1 along the top, 0 on the other sides. The kernel,
 * assembled for that grid on P x Q PEs (P rows, Q columns), gives every
 * PE a block of the grid with a one-point halo; each sweep the PEs swap
 * edges with their neighbours over the fabric and replace every point by
 * the mean of its four neighbours. The host copies the blocks in,
 * launches "compute" with the number of sweeps, copies them out and
 * compares the grid with a double-precision reference.
 * Exit status: 0 if the normwise relative error is at most 1e-5, 1 if
 * not or if something failed, 2 for a bad command line.
 */
#include <stdio.h>
#include <stdlib.h>

#include "example.h"
#include "stencil_ref.h"

#define STENCIL_NAME	"stencil"

struct stencil {
	uint32_t rows, cols;	/* grid points inside the boundary */
	uint32_t p, q;		/* PE rows, PE columns */
	uint32_t th, tw;	/* rows, columns of each PE's block */
	uint32_t sweeps;
	struct ex_args ex;	/* seed, device, image */
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: stencil [-r ROWS] [-c COLS] [-p P] [-q Q] [-t SWEEPS] [-i IMAGE]\n"
		"               [-d DEVICE] [-s SEED]\n"
		"  Jacobi sweeps of the 5-point stencil on P x Q PEs, checked against the host.\n"
		"  -r, --rows ROWS    grid rows inside the boundary (default 128)\n"
		"  -c, --cols COLS    grid columns inside the boundary (default 128)\n"
		"  -p, --pe-rows P    rows of PEs; P divides ROWS (default 8)\n"
		"  -q, --pe-cols Q    columns of PEs; Q divides COLS (default 8)\n"
		"  -t, --sweeps N     sweeps, the launch argument (default 100)\n"
		"  -i, --image FILE   kernel image (default $WSE_DATADIR/stencil-ROWSxCOLS-PxQ.img,\n"
		"                     WSE_DATADIR defaults to " EX_DATADIR ")\n"
		EX_DEVICE_USAGE
		"  -s, --seed S       seed of the random grid (default 1)\n");
}

/* 0 to run, 1 after --help, -1 for a bad command line. */
static int stencil_parse(int argc, char **argv, struct stencil *s)
{
	const struct ex_num_opt sizes[] = {
		{ "rows", 'r', 1, UINT32_MAX, &s->rows },
		{ "cols", 'c', 1, UINT32_MAX, &s->cols },
		{ "pe-rows", 'p', 1, UINT32_MAX, &s->p },
		{ "pe-cols", 'q', 1, UINT32_MAX, &s->q },
		{ "sweeps", 't', 0, UINT32_MAX, &s->sweeps },
	};
	int ret;

	*s = (struct stencil){ .rows = 128, .cols = 128, .p = 8, .q = 8,
			       .sweeps = 100 };
	ret = ex_parse(argc, argv, STENCIL_NAME, sizes, EX_ARRAY_SIZE(sizes),
		       usage, &s->ex);
	if (ret)
		return ret;
	if (s->rows % s->p || s->cols % s->q) {
		fprintf(stderr, "stencil: P (%u) must divide ROWS (%u) and Q (%u) must divide COLS (%u)\n",
			s->p, s->rows, s->q, s->cols);
		return -1;
	}
	s->th = s->rows / s->p;
	s->tw = s->cols / s->q;
	ex_default_image(&s->ex, "stencil-%ux%u-%ux%u.img", s->rows, s->cols,
			 s->p, s->q);
	return 0;
}

/* Elements of one PE's block with its halo. */
static size_t stencil_tile(const struct stencil *s)
{
	return (size_t)(s->th + 2) * (s->tw + 2);
}

/* Interior random in [0, 1); the boundary 1 along the top, else 0. */
static void stencil_init(const struct stencil *s, float *grid)
{
	const size_t w = (size_t)s->cols + 2;
	uint32_t seed = s->ex.seed;

	for (size_t i = 0; i < s->rows + 2; i++) {
		for (size_t j = 0; j < w; j++) {
			float v = 0.5f * (ex_rand(&seed) + 1.0f);

			if (i == 0)
				v = 1.0f;
			else if (i == s->rows + 1 || j == 0 || j == w - 1)
				v = 0.0f;
			grid[i * w + j] = v;
		}
	}
}

/*
 * Between the grid and the host array of the copies, P x Q x tile: PE
 * (px, py)'s tile is rows py * TH .. py * TH + TH + 1 and columns
 * px * TW .. px * TW + TW + 1 of the grid, boundary ring included. Going
 * in, neighbouring tiles overlap in their halos; coming out, only the
 * block of each tile goes back.
 */
static void stencil_pack(const struct stencil *s, const float *grid, float *tiles)
{
	const size_t w = (size_t)s->cols + 2;

	for (uint32_t py = 0; py < s->p; py++) {
		for (uint32_t px = 0; px < s->q; px++) {
			float *t = tiles + ((size_t)py * s->q + px) * stencil_tile(s);
			const float *g = grid + (size_t)py * s->th * w + px * s->tw;

			for (size_t i = 0; i < s->th + 2; i++)
				for (size_t j = 0; j < s->tw + 2; j++)
					*t++ = g[i * w + j];
		}
	}
}

static void stencil_unpack(const struct stencil *s, const float *tiles, float *grid)
{
	const size_t w = (size_t)s->cols + 2;

	for (uint32_t py = 0; py < s->p; py++) {
		for (uint32_t px = 0; px < s->q; px++) {
			const float *t = tiles + ((size_t)py * s->q + px) * stencil_tile(s);
			float *g = grid + (size_t)py * s->th * w + px * s->tw;

			for (size_t i = 1; i <= s->th; i++)
				for (size_t j = 1; j <= s->tw; j++)
					g[i * w + j] = t[i * (s->tw + 2) + j];
		}
	}
}

/* The image must be the one assembled for our grid and PEs. */
static int stencil_check_image(const struct stencil *s,
			       const struct wse_program *prog,
			       const struct wse_symbol *u)
{
	struct wse_region r;

	if (wse_program_region(prog, &r))
		return -1;
	if (r.width == s->q && r.height == s->p && u->elem_bytes == 4 &&
	    u->size == 4 * stencil_tile(s))
		return 0;
	fprintf(stderr, "stencil: %s runs on %ux%u PEs with %u-point tiles, not on %ux%u PEs with %zu: give matching -r -c -p -q or another -i\n",
		s->ex.image, r.height, r.width, u->size / 4, s->p, s->q,
		stencil_tile(s));
	return -1;
}

/* Load, copy the tiles in, sweep, copy them out (over @tiles). */
static int stencil_run(const struct stencil *s, float *tiles,
		       struct ex_times *t, uint64_t *cycles)
{
	const uint32_t n = (uint32_t)stencil_tile(s);
	struct wse_program *prog;
	struct wse_device *dev;
	struct wse_symbol su;
	double t0;
	int ret;

	ret = ex_load(STENCIL_NAME, &s->ex, &dev, &prog, &t->load);
	if (ret)
		return ret;
	if (ex_symbol(STENCIL_NAME, prog, "u", &su) ||
	    stencil_check_image(s, prog, &su)) {
		ret = -1;
		goto out;
	}

	t0 = ex_now();
	ret = wse_memcpy_h2d(prog, &su, tiles, 0, 0, s->q, s->p, n,
			     WSE_MEMCPY_32BIT, WSE_MEMCPY_ROW_MAJOR, 0, NULL);
	t->copy_in = ex_now() - t0;
	if (ret) {
		ex_fail(STENCIL_NAME, dev, "copying the grid in", ret);
		goto out;
	}

	/* The number of sweeps is compute's argument, in r1. */
	ret = ex_launch(STENCIL_NAME, dev, prog, 1, &s->sweeps, t, cycles);
	if (ret)
		goto out;

	t0 = ex_now();
	ret = wse_memcpy_d2h(prog, &su, tiles, 0, 0, s->q, s->p, n,
			     WSE_MEMCPY_32BIT, WSE_MEMCPY_ROW_MAJOR, 0, NULL);
	t->copy_out = ex_now() - t0;
	if (ret)
		ex_fail(STENCIL_NAME, dev, "copying the grid out", ret);
out:
	wse_program_free(prog);
	wse_device_close(dev);
	return ret;
}

int main(int argc, char **argv)
{
	struct ex_times t = { 0 };
	double *ref, *tmp, t0;
	float *grid, *tiles;
	uint64_t cycles = 0;
	struct stencil s;
	size_t points;
	int ret;

	ret = stencil_parse(argc, argv, &s);
	if (ret)
		return ret > 0 ? 0 : 2;
	points = (size_t)(s.rows + 2) * (s.cols + 2);
	grid = malloc(sizeof(*grid) * points);
	tiles = malloc(sizeof(*tiles) * stencil_tile(&s) * s.p * s.q);
	ref = malloc(sizeof(*ref) * points);
	tmp = malloc(sizeof(*tmp) * points);
	if (!grid || !tiles || !ref || !tmp) {
		fprintf(stderr, "stencil: out of memory for a %ux%u grid\n",
			s.rows, s.cols);
		return 1;
	}
	stencil_init(&s, grid);
	for (size_t i = 0; i < points; i++)
		ref[i] = grid[i];
	stencil_pack(&s, grid, tiles);

	printf("stencil: %u Jacobi sweeps of a %ux%u f32 grid on %ux%u PEs (%ux%u per PE)\n",
	       s.sweeps, s.rows, s.cols, s.p, s.q, s.th, s.tw);
	printf("image: %s\n", s.ex.image);
	/* Before any error message from the run. */
	fflush(stdout);
	t0 = ex_now();
	ret = stencil_run(&s, tiles, &t, &cycles);
	if (ret)
		return 1;
	ex_print_times(&t, ex_now() - t0);
	/* 3 additions and a multiplication per point and sweep */
	ex_print_cycles(cycles, 4.0 * s.rows * s.cols * s.sweeps);
	if (s.sweeps)
		printf("wafer: %.0f cycles per sweep\n", (double)cycles / s.sweeps);

	stencil_unpack(&s, tiles, grid);
	stencil_ref(ref, tmp, s.rows, s.cols, s.sweeps);
	ret = ex_report(STENCIL_NAME, ex_rel_error(grid, ref, points));
	free(grid);
	free(tiles);
	free(ref);
	free(tmp);
	return ret;
}
