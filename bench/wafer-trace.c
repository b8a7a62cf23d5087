// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wafer-trace - what launch tracing costs the wafer core:
 *   figure: wafer-trace-off-overhead   compiled in but off, over compiled out
 *   figure: wafer-trace-on-overhead    events and counters on, over off
 *   figure: wafer-trace-off-overhead-vector, wafer-trace-on-overhead-vector
 *                                      the same for a vector kernel
 *
 * The baseline is the same core compiled with WAFER_NO_TRACE (every hook
 * compiled out; same flags, one worker thread). Both are shared objects
 * (bench/wafer.mk) that a child process dlopen()s side by side, so that
 * their launches alternate in one process, in the same moments of a
 * shared machine, the order reversed every round (A B C, C B A, ...).
 * Each round gives a ratio of process CPU times (wall time would measure
 * the neighbours); a child's figure is the median of its rounds' ratios,
 * which one lucky or unlucky launch does not move (the best time of each
 * side did: 1.06 once, from one fast baseline launch). A whole process
 * can still be off by several percent, either way (1.08 once in about 40
 * runs of the same binaries; the likely cause is where its address
 * layout puts the two copies), so the figure is the median of PROCS
 * children per kernel, each exec()ed afresh with its own layout. The
 * scalar kernel: on 4 rows, PE (0,y) loads, adds, stores and sends; PE
 * (1,y) receives, loads, adds and stores: the interpreter's loads and
 * stores, SEND, RECV and the fabric's pushes and pops on every
 * iteration. The vector kernel (vector_src) covers the vector paths.
 *
 * Usage: wafer-trace TRACE.so NOTRACE.so (wafer-trace -c KERNEL TRACE.so
 * NOTRACE.so: one child, a line of three times per round)
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#include "bench.h"
#include "wafer.h"
#include "wafer-trace.h"
#include "image.h"
#include "wse-asm.h"

/* Processes, each with its own address layout, and rounds in each. */
#define PROCS	5
#define ROUNDS	12

/* The scalar kernel (above): loads, stores, SEND, RECV. */
static const char scalar_src[] =
	".equ C, 1\n"
	".equ N, 100000\n"
	".rect src, 0, 0, 1, 4\n"
	".rect dst, 1, 0, 1, 4\n"
	".route C, src, rx=RAMP, tx=EAST\n"
	".route C, dst, rx=WEST, tx=RAMP\n"
	".code src\n"
	".func run\n"
	"	li	r2, 0\n"
	"	li	r3, N\n"
	"	li	r6, acc_s\n"
	".Ls:\n"
	"	ld	r4, [r6]\n"
	"	add	r4, r4, r2\n"
	"	st	r4, [r6]\n"
	"	send	r4, C\n"
	"	add	r2, r2, 1\n"
	"	bne	r2, r3, .Ls\n"
	"	halt\n"
	".data\n"
	"	.export acc_s, i32, 1\n"
	".code dst\n"
	".func run\n"
	"	li	r2, 0\n"
	"	li	r3, N\n"
	"	li	r6, acc_d\n"
	".Ld:\n"
	"	recv	r4, C\n"
	"	ld	r5, [r6]\n"
	"	add	r5, r5, r4\n"
	"	st	r5, [r6]\n"
	"	add	r2, r2, 1\n"
	"	bne	r2, r3, .Ld\n"
	"	halt\n"
	".data\n"
	"	.export acc_d, i32, 1\n";

/*
 * The vector kernel: on the same 4 rows, PE (0,y) adds 64 elements in
 * SRAM and sends them with a vector move, PE (1,y) adds what it receives
 * to 64 elements in SRAM: one pass, fabric chunks (both ends) and their
 * pushes and pops, 3000 times.
 */
static const char vector_src[] =
	".equ C, 1\n"
	".equ N, 64\n"
	".equ R, 3000\n"
	".rect src, 0, 0, 1, 4\n"
	".rect dst, 1, 0, 1, 4\n"
	".route C, src, rx=RAMP, tx=EAST\n"
	".route C, dst, rx=WEST, tx=RAMP\n"
	".code src\n"
	".func run\n"
	"	li	r2, a\n"
	"	li	r3, N\n"
	"	li	r8, 0\n"
	"	li	r9, R\n"
	"	dmem.i32 d0, r2, r3, 1\n"
	"	dfab.i32 d2, C, r3\n"
	".Ls:\n"
	"	vadd.i32 d0, d0, d0\n"
	"	vmov.i32 d2, d0\n"
	"	add	r8, r8, 1\n"
	"	bne	r8, r9, .Ls\n"
	"	halt\n"
	".data\n"
	"a:\n"
	"	.space 4 * N\n"
	".code dst\n"
	".func run\n"
	"	li	r2, b\n"
	"	li	r3, N\n"
	"	li	r8, 0\n"
	"	li	r9, R\n"
	"	dfab.i32 d0, C, r3\n"
	"	dmem.i32 d1, r2, r3, 1\n"
	".Ld:\n"
	"	vadd.i32 d1, d1, d0\n"
	"	add	r8, r8, 1\n"
	"	bne	r8, r9, .Ld\n"
	"	halt\n"
	".data\n"
	"b:\n"
	"	.space 4 * N\n";

static const char *const kernels[] = { scalar_src, vector_src };
#define KERNELS	(int)(sizeof(kernels) / sizeof(kernels[0]))

/* One copy of the core, as a shared object, and a program loaded on it. */
struct core {
	void *so;
	int (*create)(const struct wafer_config *, struct wafer **, char *, size_t);
	int (*parse)(const void *, size_t, struct wafer_image **, char *, size_t);
	int (*find)(const struct wafer_image *, const char *, struct wafer_symbol *);
	int (*load)(struct wafer *, const struct wafer_rect *, const struct wafer_image *,
		    struct wafer_program **, struct wafer_fault *);
	int (*launch)(struct wafer_program *, uint32_t, const uint32_t *, unsigned,
		      struct wafer_run_stats *, struct wafer_fault *);
	int (*arm)(struct wafer_program *, const struct wafer_trace_config *);
	struct wafer_program *p;
	uint32_t fn;
};

static void *sym(void *so, const char *name)
{
	void *f = dlsym(so, name);

	if (!f) {
		fprintf(stderr, "wafer-trace: %s\n", dlerror());
		exit(1);
	}
	return f;
}

static void core_open(struct core *c, const char *path, const void *img, size_t len)
{
	struct wafer_config cfg = { .width = 2, .height = 4, .threads = 1 };
	struct wafer_rect rg = { 0, 0, 2, 4 };
	struct wafer_image *im;
	struct wafer_symbol s;
	struct wafer_fault f;
	struct wafer *w;
	char err[512];

	c->so = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!c->so) {
		fprintf(stderr, "wafer-trace: %s\n", dlerror());
		exit(1);
	}
	c->create = sym(c->so, "wafer_create");
	c->parse = sym(c->so, "wafer_image_parse");
	c->find = sym(c->so, "wafer_image_symbol_find");
	c->load = sym(c->so, "wafer_load");
	c->launch = sym(c->so, "wafer_launch");
	c->arm = sym(c->so, "wafer_trace_arm");
	if (c->parse(img, len, &im, err, sizeof(err)) || c->find(im, "run", &s) ||
	    c->create(&cfg, &w, err, sizeof(err))) {
		fprintf(stderr, "wafer-trace: %s: %s\n", path, err);
		exit(1);
	}
	if (c->load(w, &rg, im, &c->p, &f)) {
		fprintf(stderr, "wafer-trace: %s\n", f.msg);
		exit(1);
	}
	c->fn = s.index;
}

static double cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* CPU seconds of one launch (the core's worker threads included). */
static double run(struct core *c, bool traced)
{
	struct wafer_trace_config tc = {
		.flags = WAFER_TRACE_F_EVENTS, .sample_every = 64,
	};
	struct wafer_fault f;
	double t;

	if (traced && c->arm(c->p, &tc)) {
		fprintf(stderr, "wafer-trace: cannot arm a trace\n");
		exit(1);
	}
	t = cpu_now();
	if (c->launch(c->p, c->fn, NULL, 0, NULL, &f)) {
		fprintf(stderr, "wafer-trace: %s\n", f.msg);
		exit(1);
	}
	return cpu_now() - t;
}

static void best(double *b, double t)
{
	if (t < *b)
		*b = t;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/*
 * One process's rounds: the child's part. Prints a line per round, the
 * CPU seconds of the launch compiled out, compiled in and off, and on.
 */
static int rounds(int kernel, const char *trace_so, const char *notrace_so)
{
	const char *src = kernels[kernel];
	struct core traced, plain;
	char err[512];
	size_t len;
	void *img;

	if (wse_asm_buffer("wafer-trace", src, strlen(src), NULL, &img, &len,
			   err, sizeof(err))) {
		fprintf(stderr, "wafer-trace: %s\n", err);
		return 1;
	}
	core_open(&traced, trace_so, img, len);
	core_open(&plain, notrace_so, img, len);
	run(&plain, false);
	run(&traced, false);
	for (int i = 0; i < ROUNDS; i++) {
		double b, o, t;

		if (i % 2) {
			t = run(&traced, true);
			o = run(&traced, false);
			b = run(&plain, false);
		} else {
			b = run(&plain, false);
			o = run(&traced, false);
			t = run(&traced, true);
		}
		printf("%.9f %.9f %.9f\n", b, o, t);
	}
	free(img);
	return 0;
}

/* Run a child (this program, -c) on a kernel and take its rounds' times. */
static void child(char **argv, int kernel, double (*times)[3])
{
	char kern[16];
	char *args[] = { "/proc/self/exe", "-c", kern, argv[1], argv[2], NULL };
	int fd[2], status, n = 0;
	pid_t pid;
	FILE *f;

	snprintf(kern, sizeof(kern), "%d", kernel);
	if (pipe(fd) || (pid = fork()) < 0) {
		perror("wafer-trace");
		exit(1);
	}
	if (!pid) {
		dup2(fd[1], 1);
		close(fd[0]);
		close(fd[1]);
		execv(args[0], args);
		perror("wafer-trace: /proc/self/exe");
		_exit(127);
	}
	close(fd[1]);
	f = fdopen(fd[0], "r");
	while (f && n < ROUNDS &&
	       fscanf(f, "%lf %lf %lf", &times[n][0], &times[n][1], &times[n][2]) == 3)
		n++;
	if (f)
		fclose(f);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) || n != ROUNDS) {
		fprintf(stderr, "wafer-trace: a child gave %d of %d rounds\n", n, ROUNDS);
		exit(1);
	}
}

int main(int argc, char **argv)
{
	static const char *const name[] = { "scalar", "vector" };
	double base[KERNELS], off[KERNELS], on[KERNELS], times[ROUNDS][3];
	double m_off[KERNELS][PROCS], m_on[KERNELS][PROCS], r_off[ROUNDS], r_on[ROUNDS];

	if (argc == 5 && !strcmp(argv[1], "-c") && atoi(argv[2]) >= 0 &&
	    atoi(argv[2]) < KERNELS)
		return rounds(atoi(argv[2]), argv[3], argv[4]);
	if (argc != 3) {
		fprintf(stderr, "usage: wafer-trace TRACE.so NOTRACE.so\n");
		return 2;
	}
	for (int n = 0; n < KERNELS; n++)
		base[n] = off[n] = on[n] = 1e30;
	/* The kernels' processes alternate too. */
	for (int k = 0; k < PROCS; k++) {
		for (int n = 0; n < KERNELS; n++) {
			child(argv, n, times);
			for (int i = 0; i < ROUNDS; i++) {
				best(&base[n], times[i][0]);
				best(&off[n], times[i][1]);
				best(&on[n], times[i][2]);
				r_off[i] = times[i][1] / times[i][0];
				r_on[i] = times[i][2] / times[i][1];
			}
			m_off[n][k] = median(r_off, ROUNDS);
			m_on[n][k] = median(r_on, ROUNDS);
			printf("# %s process %d: median of its rounds' ratios: off %.4f, on %.4f\n",
			       name[n], k, m_off[n][k], m_on[n][k]);
		}
	}
	for (int n = 0; n < KERNELS; n++)
		printf("# %s, best launch: %.6f s hooks compiled out, %.6f s compiled in and off, "
		       "%.6f s on (off %.4f)\n", name[n], base[n], off[n], on[n],
		       off[n] / base[n]);
	bench_figure("wafer-trace-off-overhead", median(m_off[0], PROCS), "<=", 1.02);
	bench_figure("wafer-trace-on-overhead", median(m_on[0], PROCS), "<=", 10);
	bench_figure("wafer-trace-off-overhead-vector", median(m_off[1], PROCS), "<=", 1.02);
	bench_figure("wafer-trace-on-overhead-vector", median(m_on[1], PROCS), "<=", 10);
	return 0;
}
