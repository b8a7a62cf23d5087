// SPDX-License-Identifier: GPL-2.0
/*
 * gemv - y = A x on the wafer, the host side of examples/gemv.
 *
 *   gemv [-m M] [-n N] [-p P] [-q Q] [-i IMAGE] [-d DEVICE] [-s SEED]
 *
 * Fills an M x N f32 matrix A and a vector x with random numbers, loads
 * the GEMV kernel assembled for M x N on P x Q PEs (P rows, Q columns),
 * copies every PE its tile of A and row 0 its slices of x, launches
 * "compute", reads y from the last column of PEs and compares it with a
 * double-precision reference. The data layout is described in
 * examples/gemv/gemv.wsinc and Documentation/wse/gemv-example.rst.
 * Exit status: 0 if the normwise relative error is at most 1e-5, 1 if
 * not or if something failed, 2 for a bad command line.
 */
#include <stdio.h>
#include <stdlib.h>

#include "example.h"
#include "gemv_ref.h"

#define GEMV_NAME	"gemv"

struct gemv {
	uint32_t m, n;		/* matrix rows, columns */
	uint32_t p, q;		/* PE rows, PE columns */
	uint32_t mt, nt;	/* rows, columns of each PE's tile */
	struct ex_args ex;	/* seed, device, image */
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: gemv [-m M] [-n N] [-p P] [-q Q] [-i IMAGE] [-d DEVICE] [-s SEED]\n"
		"  y = A x for an M x N f32 matrix on P x Q PEs, checked against the host.\n"
		"  -m, --rows M       rows of A (default 256)\n"
		"  -n, --cols N       columns of A (default 256)\n"
		"  -p, --pe-rows P    rows of PEs; P divides M (default 8)\n"
		"  -q, --pe-cols Q    columns of PEs; Q divides N (default 8)\n"
		"  -i, --image FILE   kernel image (default $WSE_DATADIR/gemv-MxN-PxQ.img,\n"
		"                     WSE_DATADIR defaults to " EX_DATADIR ")\n"
		EX_DEVICE_USAGE
		"  -s, --seed S       seed of the random A and x (default 1)\n");
}

/* 0 to run, 1 after --help, -1 for a bad command line. */
static int gemv_parse(int argc, char **argv, struct gemv *g)
{
	const struct ex_num_opt sizes[] = {
		{ "rows", 'm', 1, UINT32_MAX, &g->m },
		{ "cols", 'n', 1, UINT32_MAX, &g->n },
		{ "pe-rows", 'p', 1, UINT32_MAX, &g->p },
		{ "pe-cols", 'q', 1, UINT32_MAX, &g->q },
	};
	int ret;

	*g = (struct gemv){ .m = 256, .n = 256, .p = 8, .q = 8 };
	ret = ex_parse(argc, argv, GEMV_NAME, sizes, EX_ARRAY_SIZE(sizes), usage,
		       &g->ex);
	if (ret)
		return ret;
	if (g->m % g->p || g->n % g->q) {
		fprintf(stderr, "gemv: P (%u) must divide M (%u) and Q (%u) must divide N (%u)\n",
			g->p, g->m, g->q, g->n);
		return -1;
	}
	g->mt = g->m / g->p;
	g->nt = g->n / g->q;
	ex_default_image(&g->ex, "gemv-%ux%u-%ux%u.img", g->m, g->n, g->p,
			 g->q);
	return 0;
}

/*
 * The kernel's sizes are assembled in: make sure the image is the one for
 * our M, N, P and Q, and say what it was built for if not.
 */
static int gemv_check_image(const struct gemv *g, const struct wse_program *prog,
			    const struct wse_symbol *a, const struct wse_symbol *x,
			    const struct wse_symbol *y)
{
	struct wse_region r;
	uint32_t mt, nt;

	if (wse_program_region(prog, &r))
		return -1;
	mt = y->size / 4;
	nt = x->size / 4;
	if (r.width == g->q && r.height == g->p && mt == g->mt && nt == g->nt &&
	    a->size == 4 * mt * nt && a->elem_bytes == 4)
		return 0;
	fprintf(stderr, "gemv: %s is a %ux%u GEMV on %ux%u PEs, not %ux%u on %ux%u: give matching -m -n -p -q or another -i\n",
		g->ex.image, mt * r.height, nt * r.width, r.height, r.width,
		g->m, g->n, g->p, g->q);
	return -1;
}

/*
 * The host array of the copy to A: h x w x elem_per_pe = P x Q x (MT NT),
 * PE (px, py)'s tile stored column by column as the kernel wants it.
 */
static void gemv_pack_tiles(const struct gemv *g, const float *a, float *tiles)
{
	for (uint32_t py = 0; py < g->p; py++) {
		for (uint32_t px = 0; px < g->q; px++) {
			float *t = tiles + ((size_t)py * g->q + px) * g->mt * g->nt;
			const float *src = a + (size_t)py * g->mt * g->n + px * g->nt;

			for (uint32_t j = 0; j < g->nt; j++)
				for (uint32_t i = 0; i < g->mt; i++)
					t[(size_t)j * g->mt + i] = src[(size_t)i * g->n + j];
		}
	}
}

/* Load, copy in, launch, copy out: y receives the M results. */
static int gemv_run(const struct gemv *g, const float *tiles, const float *x,
		    float *y, struct ex_times *t, uint64_t *cycles)
{
	struct wse_symbol sa, sx, sy;
	struct wse_program *prog;
	struct wse_device *dev;
	double t0;
	int ret;

	ret = ex_load(GEMV_NAME, &g->ex, &dev, &prog, &t->load);
	if (ret)
		return ret;
	ret = ex_symbol(GEMV_NAME, prog, "A", &sa) ||
	      ex_symbol(GEMV_NAME, prog, "x", &sx) ||
	      ex_symbol(GEMV_NAME, prog, "y", &sy) ||
	      gemv_check_image(g, prog, &sa, &sx, &sy);
	if (ret) {
		ret = -1;
		goto out;
	}

	/* Every PE gets its tile of A; the PEs of row 0 their slice of x. */
	t0 = ex_now();
	ret = wse_memcpy_h2d(prog, &sa, tiles, 0, 0, g->q, g->p, g->mt * g->nt,
			     WSE_MEMCPY_32BIT, WSE_MEMCPY_ROW_MAJOR, 0, NULL);
	if (ret) {
		ex_fail(GEMV_NAME, dev, "copying A", ret);
		goto out;
	}
	ret = wse_memcpy_h2d(prog, &sx, x, 0, 0, g->q, 1, g->nt,
			     WSE_MEMCPY_32BIT, WSE_MEMCPY_ROW_MAJOR, 0, NULL);
	if (ret) {
		ex_fail(GEMV_NAME, dev, "copying x", ret);
		goto out;
	}
	t->copy_in = ex_now() - t0;

	ret = ex_launch(GEMV_NAME, dev, prog, 0, NULL, t, cycles);
	if (ret)
		goto out;

	/* y is in the last column: P PEs of MT elements, in order. */
	t0 = ex_now();
	ret = wse_memcpy_d2h(prog, &sy, y, g->q - 1, 0, 1, g->p, g->mt,
			     WSE_MEMCPY_32BIT, WSE_MEMCPY_ROW_MAJOR, 0, NULL);
	t->copy_out = ex_now() - t0;
	if (ret)
		ex_fail(GEMV_NAME, dev, "copying y back", ret);
out:
	wse_program_free(prog);
	wse_device_close(dev);
	return ret;
}

int main(int argc, char **argv)
{
	struct ex_times t = { 0 };
	float *a, *x, *tiles, *y;
	uint64_t cycles = 0;
	struct gemv g;
	double *ref, t0;
	int ret;

	ret = gemv_parse(argc, argv, &g);
	if (ret)
		return ret > 0 ? 0 : 2;
	a = malloc(sizeof(*a) * g.m * g.n);
	tiles = malloc(sizeof(*tiles) * g.m * g.n);
	x = malloc(sizeof(*x) * g.n);
	y = malloc(sizeof(*y) * g.m);
	ref = malloc(sizeof(*ref) * g.m);
	if (!a || !tiles || !x || !y || !ref) {
		fprintf(stderr, "gemv: out of memory for a %ux%u matrix\n", g.m, g.n);
		return 1;
	}
	for (size_t i = 0; i < (size_t)g.m * g.n; i++)
		a[i] = ex_rand(&g.ex.seed);
	for (uint32_t j = 0; j < g.n; j++)
		x[j] = ex_rand(&g.ex.seed);
	gemv_pack_tiles(&g, a, tiles);

	printf("gemv: y = A x, A %ux%u f32 on %ux%u PEs (%ux%u per PE)\n",
	       g.m, g.n, g.p, g.q, g.mt, g.nt);
	printf("image: %s\n", g.ex.image);
	/* Before any error message from the run. */
	fflush(stdout);
	t0 = ex_now();
	ret = gemv_run(&g, tiles, x, y, &t, &cycles);
	if (ret)
		return 1;
	ex_print_times(&t, ex_now() - t0);
	ex_print_cycles(cycles, 2.0 * g.m * g.n);

	gemv_ref(a, x, ref, g.m, g.n);
	ret = ex_report(GEMV_NAME, ex_rel_error(y, ref, g.m));
	free(a);
	free(tiles);
	free(x);
	free(y);
	free(ref);
	return ret;
}
