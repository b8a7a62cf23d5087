// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wafer-full.c - the wafer core at full-wafer scale (762 x 1176 PEs),
 * each figure against a baseline measured in the same run:
 *
 *   load     a trivial kernel on every PE (one code page each) with 24
 *            colors routed over the whole mesh as row broadcasts (every
 *            PE has an input queue on every color): seconds, goal <= 1;
 *            beside it the floor of writing the same pages from C.
 *   launch   its first launch (every PE runs its entry and halts):
 *            seconds, goal <= 2; beside it a loop over the PEs in C.
 *   rss      resident set after load and launch: MiB, goal <= 512 +
 *            the SRAM the program touches (one page per PE), the
 *            baseline being the idle wafer's RSS.
 *   routes   a 2,024-record image (every record over the whole region,
 *            in switch positions): load seconds, informational.
 *
 * Each part runs in a child process of its own, so that RSS and page
 * faults are its own. WSE_FULL_MESH=WxH picks a smaller mesh (the goals
 * scale with the PE count).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "wafer.h"
#include "image.h"
#include "wafer-builder.h"

static uint32_t mesh_w = WAFER_MAX_WIDTH, mesh_h = WAFER_MAX_HEIGHT;

static double rss_mib(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	double kb = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "VmRSS:", 6))
			kb = strtod(line + 6, NULL);
	fclose(f);
	return kb / 1024;
}

static struct wafer *mk_wafer(uint32_t threads)
{
	struct wafer_config c = { .width = mesh_w, .height = mesh_h,
				  .threads = threads };
	struct wafer *wf;
	char err[160];

	if (wafer_create(&c, &wf, err, sizeof(err))) {
		fprintf(stderr, "wafer_create: %s\n", err);
		exit(1);
	}
	return wf;
}

/*
 * The trivial kernel: every PE runs "li r1, 1; halt". Colors 0..23 are
 * row broadcasts: column 0 sends east, every other PE takes from the
 * west, keeps a copy and passes it on.
 */
static struct wafer_image *trivial_image(struct wb **bp)
{
	struct wb *b = wb_new(mesh_w, mesh_h);
	uint32_t g = wb_group(b), fn;

	wb_rect(b, 0, 0, mesh_w, mesh_h, g);
	fn = wb_func(b, "main");
	wb_entry(b, fn, g, wb_emit(b, g, I_LI(1, 1)));
	wb_emit(b, g, I_HALT());
	for (uint8_t c = 0; c < WAFER_COLORS; c++) {
		wb_route(b, 0, 0, 1, mesh_h, c, WAFER_PORT_RAMP, WAFER_PORT_EAST);
		if (mesh_w > 2)
			wb_route(b, 1, 0, mesh_w - 2, mesh_h, c, WAFER_PORT_WEST,
				 WAFER_PORT_RAMP | WAFER_PORT_EAST);
		if (mesh_w > 1)
			wb_route(b, mesh_w - 1, 0, 1, mesh_h, c, WAFER_PORT_WEST,
				 WAFER_PORT_RAMP);
	}
	*bp = b;
	return wb_image(b);
}

/* 2,024 full-region records: 23 colors x 4 positions x 22 rewrites. */
static struct wafer_image *routes_image(struct wb **bp)
{
	struct wb *b = wb_new(mesh_w, mesh_h);
	uint32_t g = wb_group(b), fn, n = 0;

	wb_rect(b, 0, 0, mesh_w, mesh_h, g);
	fn = wb_func(b, "main");
	wb_entry(b, fn, g, wb_emit(b, g, I_HALT()));
	for (unsigned int rep = 0; rep < 22; rep++)
		for (uint8_t c = 0; c < 23; c++)
			for (uint8_t pos = 0; pos < 4; pos++, n++)
				wb_route_pos(b, 0, 0, mesh_w, mesh_h, c,
					     WAFER_PORT_WEST,
					     (rep & 1) ? WAFER_PORT_EAST :
							 WAFER_PORT_SOUTH, pos);
	*bp = b;
	return wb_image(b);
}

/* Writing the kernel's page into every PE's SRAM from plain C. */
static double native_touch(struct wafer *w)
{
	uint8_t *base = wafer_sram_base(w);
	size_t n = (size_t)mesh_w * mesh_h;
	uint64_t code[2] = { 1, 2 };
	double t = bench_now();

	for (size_t i = 0; i < n; i++)
		memcpy(base + i * WAFER_DEFAULT_SRAM, code, sizeof(code));
	return bench_now() - t;
}

/* What every PE of a launch at least costs: one pass over the PEs. */
static double native_launch(void)
{
	size_t n = (size_t)mesh_w * mesh_h;
	uint32_t *r = calloc(n, 16 * sizeof(uint32_t));
	double t = bench_now();

	if (!r)
		exit(1);
	for (size_t i = 0; i < n; i++)
		r[i * 16 + 1] = 1;
	__asm__ volatile("" : : "r"(r) : "memory");
	t = bench_now() - t;
	free(r);
	return t;
}

enum { R_LOAD, R_LAUNCH, R_RSS_IDLE, R_RSS, R_TOUCH, R_NLAUNCH, R_ROUTES, R_N };

static void child(double *r, unsigned int threads)
{
	struct wafer_run_stats st;
	struct wafer_program *p;
	struct wafer_fault f;
	struct wafer_rect rg = { 0, 0, mesh_w, mesh_h };
	struct wafer_image *img;
	struct wafer *w, *nw;
	struct wb *b;
	double t;

	/* The floor, on a wafer of its own so no page is shared. */
	nw = mk_wafer(1);
	r[R_TOUCH] = native_touch(nw);
	wafer_destroy(nw);
	r[R_NLAUNCH] = native_launch();

	img = trivial_image(&b);
	w = mk_wafer(threads);
	r[R_RSS_IDLE] = rss_mib();
	t = bench_now();
	if (wafer_load(w, &rg, img, &p, &f)) {
		fprintf(stderr, "wafer_load: %s\n", f.msg);
		exit(1);
	}
	r[R_LOAD] = bench_now() - t;
	t = bench_now();
	if (wafer_launch(p, 0, NULL, 0, &st, &f)) {
		fprintf(stderr, "wafer_launch: %s\n", f.msg);
		exit(1);
	}
	r[R_LAUNCH] = bench_now() - t;
	r[R_RSS] = rss_mib();
	if (st.instructions != 2ull * mesh_w * mesh_h) {
		fprintf(stderr, "launch: %llu instructions, expected %llu\n",
			(unsigned long long)st.instructions,
			2ull * mesh_w * mesh_h);
		exit(1);
	}
	wafer_program_free(p);
	wb_free(b);

	img = routes_image(&b);
	t = bench_now();
	if (wafer_load(w, &rg, img, &p, &f)) {
		fprintf(stderr, "wafer_load (routes): %s\n", f.msg);
		exit(1);
	}
	r[R_ROUTES] = bench_now() - t;
	wafer_program_free(p);
	wb_free(b);
	wafer_destroy(w);
}

static int run_child(double *r, unsigned int threads)
{
	int fd[2];
	pid_t pid;
	int st;

	if (pipe(fd))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(fd[0]);
		child(r, threads);
		if (write(fd[1], r, R_N * sizeof(*r)) != (ssize_t)(R_N * sizeof(*r)))
			_exit(1);
		_exit(0);
	}
	close(fd[1]);
	if (read(fd[0], r, R_N * sizeof(*r)) != (ssize_t)(R_N * sizeof(*r)) ||
	    waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st)) {
		close(fd[0]);
		return -1;
	}
	close(fd[0]);
	return 0;
}

int main(void)
{
	const char *m = getenv("WSE_FULL_MESH");
	double r[R_N] = { 0 }, scale, touched, la[3] = { 0, 0, 0 };
	FILE *f;

	if (m && sscanf(m, "%ux%u", &mesh_w, &mesh_h) != 2) {
		fprintf(stderr, "WSE_FULL_MESH=%s: want WxH\n", m);
		return 1;
	}
	scale = (double)mesh_w * mesh_h / (WAFER_MAX_WIDTH * WAFER_MAX_HEIGHT);
	f = fopen("/proc/loadavg", "r");
	if (f) {
		if (fscanf(f, "%lf %lf %lf", &la[0], &la[1], &la[2]) != 3)
			la[0] = 0;
		fclose(f);
	}
	if (run_child(r, 2)) {
		fprintf(stderr, "wafer-full: child failed\n");
		return 1;
	}
	touched = (double)mesh_w * mesh_h * 4096 / (1 << 20);
	printf("full: %ux%u PEs, 24 colors, load average %.2f\n", mesh_w, mesh_h,
	       la[0]);
	printf("full: load %.3f s (floor: writing the pages %.3f s), launch %.3f s (a C pass over the PEs %.4f s)\n",
	       r[R_LOAD], r[R_TOUCH], r[R_LAUNCH], r[R_NLAUNCH]);
	printf("full: RSS idle %.0f MiB, after load and launch %.0f MiB, SRAM touched %.0f MiB\n",
	       r[R_RSS_IDLE], r[R_RSS], touched);
	printf("full: 2,024 full-region route records load in %.4f s\n", r[R_ROUTES]);
	bench_figure("wafer-full-load-seconds", r[R_LOAD], "<=", 1 * scale);
	bench_figure("wafer-full-launch-seconds", r[R_LAUNCH], "<=", 2 * scale);
	bench_figure("wafer-full-rss-mib", r[R_RSS], "<=", 512 * scale + touched);
	bench_figure("wafer-full-routes-load-seconds", r[R_ROUTES], "<=", 1 * scale);
	return 0;
}
