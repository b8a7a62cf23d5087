// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wafer.c - benchmarks of the wafer executor, each against a baseline
 * measured in the same run:
 *
 *   compute   a long fmacs loop over memory DSDs on one PE, against the
 *             same loop in plain C built as a user would (-O2
 *             -march=native, native.c): emulated / native, goal <= 1.1
 *   gemv      1024 x 1024 f32 GEMV on 32 x 32 PEs (examples/gemv, or the
 *             test builder's kernel if the assembler is unavailable),
 *             against plain C (the faster of the core's flags and
 *             -O2 -march=native), both on one thread: emulated / native
 *             time, goal <= 2; and
 *             its max relative error against the C result
 *   speedup   a parallel kernel on 16 x 16 PEs with 1 and 2 threads:
 *             t1 / t2, goal >= 1.6
 *   mesh      create an idle 762 x 1176 wafer: seconds (goal <= 2) and
 *             peak RSS (goal <= 1 GiB), in a child process of its own
 *   task      modeled cycles of an empty data task, one per wavelet a
 *             neighbour streams in, against a recv loop taking the same
 *             wavelets: goal no dearer than the loop
 *   fabric    a fabric-bound kernel, examples/life's async halo exchange
 *             on 32 x 32 PEs of 8 x 8 cells, 1 vs 2 threads: t1 / t2,
 *             goal >= 1.7, with the plain C control beside it
 *
 * Each figure prints as "figure: <name> <value> goal <goal> met|missed".
 * Timings are the best of several runs: the machine is shared. Arguments
 * name the parts to run (bench/wafer fabric), for profiling one;
 * WAFER_GEMV_LAUNCHES=N makes gemv only launch N times (for callgrind).
 */
#include <errno.h>
#include <stdbool.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "native.h"
#include "wafer.h"
#include "image.h"
#include "wafer-builder.h"
#include "wse-asm.h"

#ifndef WSE_TOP
#define WSE_TOP "."
#endif

static struct wafer *mk_wafer(uint32_t w, uint32_t h, uint32_t threads)
{
	struct wafer_config c = { .width = w, .height = h, .threads = threads };
	struct wafer *wf;
	char err[160];

	if (wafer_create(&c, &wf, err, sizeof(err))) {
		fprintf(stderr, "wafer_create: %s\n", err);
		exit(1);
	}
	return wf;
}

static struct wafer_program *mk_prog(struct wafer *w, const struct wafer_rect *rg,
				     const struct wafer_image *img)
{
	struct wafer_program *p;
	struct wafer_fault f;

	if (wafer_load(w, rg, img, &p, &f)) {
		fprintf(stderr, "wafer_load: %s\n", f.msg);
		exit(1);
	}
	return p;
}

static uint64_t launch(struct wafer_program *p, uint32_t fn)
{
	struct wafer_run_stats st;
	struct wafer_fault f;

	if (wafer_launch(p, fn, NULL, 0, &st, &f)) {
		fprintf(stderr, "wafer_launch: %s\n", f.msg);
		exit(1);
	}
	return st.cycles;
}

/* --- (a) compute-bound ------------------------------------------------ */

#define CB_LEN		4096
#define CB_REPS		8000
#define CB_X		0x1000
#define CB_Y		0x5000

/* The same math as the kernel, as a plain C function (no inlining, so
 * the compiler knows no more about the arrays than the emulator does). */
__attribute__((noinline))
static void fmacs_native(float *y, const float *x, float s, unsigned int n,
			 unsigned int reps)
{
	for (unsigned int r = 0; r < reps; r++)
		for (unsigned int i = 0; i < n; i++)
			y[i] = y[i] + x[i] * s;
}

/* y = y + x * s, reps times, on memory DSDs; 6 scalar instructions per
 * repetition around one vector op. */
static void fmacs_kernel(struct wb *b, uint32_t g, uint32_t len, uint32_t reps,
			 uint32_t xaddr, uint32_t yaddr)
{
	uint32_t loop;

	wb_emit(b, g, I_LI(1, xaddr));
	wb_emit(b, g, I_LI(2, len));
	wb_emit(b, g, I_DMEM(F32, 1, 1, 2, 1));
	wb_emit(b, g, I_LI(1, yaddr));
	wb_emit(b, g, I_DMEM(F32, 0, 1, 2, 1));
	wb_emit(b, g, I_LI(3, 0x3f7fbe77));	/* 0.999 */
	wb_emit(b, g, I_LI(4, reps));
	loop = wb_emit(b, g, I_V(FMACS, F32, 0, 0, 1, 3));
	wb_emit(b, g, I_ALUI(ADD, 4, 4, (uint32_t)-1));
	wb_emit(b, g, I_BR(BNE, 4, 0, loop));
	wb_emit(b, g, I_HALT());
}

static void bench_compute(void)
{
	struct wafer_rect rg = { 0, 0, 1, 1 };
	struct wafer *w = mk_wafer(1, 1, 1);
	struct wb *b = wb_new(1, 1);
	float *x = malloc(CB_LEN * 4), *y = malloc(CB_LEN * 4);
	float s = 0.999f;
	double te = 1e9, tn = 1e9, tu = 1e9;
	struct wafer_program *p;
	uint8_t *sram;
	uint32_t g;

	g = wb_group(b);
	wb_rect(b, 0, 0, 1, 1, g);
	wb_entry(b, wb_func(b, "main"), g, 0);
	fmacs_kernel(b, g, CB_LEN, CB_REPS, CB_X, CB_Y);
	p = mk_prog(w, &rg, wb_image(b));
	sram = wafer_sram_base(w);
	for (int run = 0; run < 9; run++) {
		double t0;

		for (unsigned int i = 0; i < CB_LEN; i++) {
			x[i] = (float)(i % 17) * 0.25f;
			y[i] = (float)(i % 5);
		}
		memcpy(sram + CB_X, x, CB_LEN * 4);
		memcpy(sram + CB_Y, y, CB_LEN * 4);
		t0 = bench_now();
		launch(p, 0);
		t0 = bench_now() - t0;
		if (t0 < te)
			te = t0;
		t0 = bench_now();
		fmacs_native(y, x, s, CB_LEN, CB_REPS);
		t0 = bench_now() - t0;
		if (t0 < tn)
			tn = t0;
	}
	/* As a user builds it (-O2 -march=native): the figure's baseline. */
	for (int run = 0; run < 9; run++) {
		float *yu = malloc(CB_LEN * 4);
		double t0;

		for (unsigned int i = 0; i < CB_LEN; i++) {
			x[i] = (float)(i % 17) * 0.25f;
			yu[i] = (float)(i % 5);
		}
		t0 = bench_now();
		bench_native_fmacs(yu, x, s, CB_LEN, CB_REPS);
		__asm__ volatile("" : : "r"(yu) : "memory");
		t0 = bench_now() - t0;
		if (t0 < tu)
			tu = t0;
		free(yu);
	}
	if (memcmp(sram + CB_Y, y, CB_LEN * 4)) {
		fprintf(stderr, "compute: emulated and native results differ\n");
		exit(1);
	}
	printf("compute: %u x %u fmacs elements: emulated %.2f ms, native %.2f ms with the core's flags, %.2f ms with -O2 -march=native\n",
	       CB_REPS, CB_LEN, te * 1e3, tn * 1e3, tu * 1e3);
	bench_figure("wafer-compute-ratio", te / tu, "<=", 1.1);
	wafer_program_free(p);
	wafer_destroy(w);
	wb_free(b);
	free(x);
	free(y);
}

/* --- (b) GEMV ---------------------------------------------------------- */

#define GM	1024
#define GN	1024
#define GP	32
#define GEMV_RUNS	15

__attribute__((noinline))
static void gemv_native(float *y, const float *a, const float *x, unsigned int m,
			unsigned int n)
{
	for (unsigned int i = 0; i < m; i++) {
		float acc = 0;

		for (unsigned int j = 0; j < n; j++)
			acc += a[(size_t)i * n + j] * x[j];
		y[i] = acc;
	}
}

/*
 * Where the kernel keeps things. examples/gemv: PE (px, py) holds rows
 * py * MT.., columns px * NT.. at symbol A, x goes to row 0 at symbol x,
 * y comes from column Q - 1 at symbol y. The builder's kernel is
 * transposed (wb_gemv_scatter/gather).
 */
struct gemv_kernel {
	struct wafer_image *img;
	struct wb *b;			/* builder kernel, else NULL */
	uint32_t fn, a, x, y;		/* function index, symbol addresses */
};

static int gemv_from_asm(struct gemv_kernel *k)
{
	const char *path = WSE_TOP "/examples/gemv/gemv.wsasm";
	struct wafer_symbol s;
	char err[512];
	size_t len;
	void *bytes;

	if (wse_asm_file(path, NULL, &bytes, &len, err, sizeof(err))) {
		fprintf(stderr, "gemv: cannot assemble %s: %s\n", path, err);
		return -1;
	}
	if (wafer_image_parse(bytes, len, &k->img, err, sizeof(err))) {
		fprintf(stderr, "gemv: %s\n", err);
		free(bytes);
		return -1;
	}
	free(bytes);
	if (wafer_image_symbol_find(k->img, "compute", &s))
		return -1;
	k->fn = s.index;
	if (wafer_image_symbol_find(k->img, "A", &s))
		return -1;
	k->a = s.addr;
	if (wafer_image_symbol_find(k->img, "x", &s))
		return -1;
	k->x = s.addr;
	if (wafer_image_symbol_find(k->img, "y", &s))
		return -1;
	k->y = s.addr;
	return 0;
}

static void gemv_scatter(struct wafer *w, const struct wafer_rect *rg,
			 const struct gemv_kernel *k, const float *a,
			 const float *x, float *tile)
{
	const unsigned int mt = GM / GP, nt = GN / GP;

	if (k->b) {
		wb_gemv_scatter(w, rg, GM, GN, GP, GP, a, x);
		return;
	}
	for (unsigned int py = 0; py < GP; py++) {
		for (unsigned int px = 0; px < GP; px++) {
			uint8_t *pe = wb_pe_sram(w, rg, px, py);

			for (unsigned int j = 0; j < nt; j++)
				for (unsigned int i = 0; i < mt; i++)
					tile[j * mt + i] =
						a[(size_t)(py * mt + i) * GN + px * nt + j];
			memcpy(pe + k->a, tile, mt * nt * 4);
			if (!py)
				memcpy(pe + k->x, x + px * nt, nt * 4);
		}
	}
}

static void gemv_gather(struct wafer *w, const struct wafer_rect *rg,
			const struct gemv_kernel *k, float *y)
{
	const unsigned int mt = GM / GP;

	if (k->b) {
		wb_gemv_gather(w, rg, GM, GN, GP, GP, y);
		return;
	}
	for (unsigned int py = 0; py < GP; py++)
		memcpy(y + py * mt, wb_pe_sram(w, rg, GP - 1, py) + k->y, mt * 4);
}

static void bench_gemv(void)
{
	struct wafer_rect rg = { 0, 0, GP, GP };
	float *a = malloc(sizeof(float) * GM * GN), *x = malloc(GN * 4);
	float *y = malloc(GM * 4), *ref = malloc(GM * 4);
	float *tile = malloc(sizeof(float) * (GM / GP) * (GN / GP));
	struct gemv_kernel k = { 0 };
	double tn = 1e9, tu = 1e9, te[3] = { 1e9, 1e9, 1e9 }, maxrel = 0;
	uint64_t cycles = 0;
	uint32_t seed = 1;

	if (gemv_from_asm(&k)) {
		fprintf(stderr, "gemv: using the test builder's kernel\n");
		k.img = wb_gemv(&k.b, GM, GN, GP, GP);
		k.fn = 0;
	}
	for (size_t i = 0; i < (size_t)GM * GN; i++) {
		seed = seed * 1664525u + 1013904223u;
		a[i] = (float)(seed >> 8) / (float)(1u << 24) - 0.25f;
	}
	for (unsigned int j = 0; j < GN; j++)
		x[j] = (float)((j * 7) % 11) / 11.0f;
	if (getenv("WAFER_GEMV_LAUNCHES")) {
		/*
		 * For counting host instructions: only that many launches on
		 * one thread, no baseline, no figure. Under valgrind
		 * --tool=callgrind, (count at 11 - count at 1) / 10 is one
		 * launch's (Documentation/wse/emulator.rst).
		 */
		long nl = strtol(getenv("WAFER_GEMV_LAUNCHES"), NULL, 0);
		struct wafer *w = mk_wafer(GP, GP, 1);
		struct wafer_program *p = mk_prog(w, &rg, k.img);

		gemv_scatter(w, &rg, &k, a, x, tile);
		for (long run = 0; run < nl; run++)
			cycles = launch(p, k.fn);
		printf("gemv: %ld launches, %llu cycles\n", nl,
		       (unsigned long long)cycles);
		wafer_program_free(p);
		wafer_destroy(w);
		goto out;
	}

	/*
	 * The baseline is the faster of two builds of the same C: with the
	 * core's flags, and as a user builds it (-O2 -march=native, where
	 * contracting the sum into fused multiply-adds chains them and may
	 * be slower). Every timing is the best of GEMV_RUNS: the machine is
	 * shared.
	 */
	for (int run = 0; run < GEMV_RUNS; run++) {
		double t0 = bench_now();

		gemv_native(ref, a, x, GM, GN);
		t0 = bench_now() - t0;
		if (t0 < tn)
			tn = t0;
		t0 = bench_now();
		bench_native_gemv(y, a, x, GM, GN);
		__asm__ volatile("" : : "r"(y) : "memory");
		t0 = bench_now() - t0;
		if (t0 < tu)
			tu = t0;
	}
	for (unsigned int threads = 1; threads <= 2; threads++) {
		struct wafer *w = mk_wafer(GP, GP, threads);
		struct wafer_program *p = mk_prog(w, &rg, k.img);

		for (int run = 0; run < GEMV_RUNS; run++) {
			double t0;

			gemv_scatter(w, &rg, &k, a, x, tile);
			t0 = bench_now();
			cycles = launch(p, k.fn);
			t0 = bench_now() - t0;
			if (t0 < te[threads])
				te[threads] = t0;
		}
		gemv_gather(w, &rg, &k, y);
		for (unsigned int i = 0; i < GM; i++) {
			double rel = fabs((double)y[i] - ref[i]) /
				     fmax(fabs((double)ref[i]), 1e-30);

			if (rel > maxrel)
				maxrel = rel;
		}
		wafer_program_free(p);
		wafer_destroy(w);
	}
	printf("gemv: %ux%u on %ux%u PEs (%s): native %.3f ms with the core's flags, %.3f ms with -O2 -march=native (1 thread), emulated %.3f ms (1 thread), %.3f ms (2 threads), %llu cycles\n",
	       GM, GN, GP, GP, k.b ? "builder kernel" : "examples/gemv",
	       tn * 1e3, tu * 1e3, te[1] * 1e3, te[2] * 1e3,
	       (unsigned long long)cycles);
	/* Like with like: one emulator thread against one native thread. */
	bench_figure("wafer-gemv-ratio", te[1] / fmin(tn, tu), "<=", 2);
	bench_figure("wafer-gemv-max-rel-error", maxrel, "<=", 1e-5);
out:
	if (k.b)
		wb_free(k.b);
	else
		wafer_image_free(k.img);
	free(a);
	free(x);
	free(y);
	free(ref);
	free(tile);
}

/* --- (c) thread speed-up ----------------------------------------------- */

/*
 * Control for (c): what two host threads of plain C get on this machine
 * right now (shared machines often give less than two cores). Printed as
 * context, not a figure.
 */
static volatile unsigned long spin_sink;

static void *spin_main(void *arg)
{
	unsigned long n = (unsigned long)arg, x = 0;

	for (unsigned long i = 0; i < n; i++)
		x += i * i;
	spin_sink = x;
	return NULL;
}

static double host_parallelism(void)
{
	const unsigned long n = 50000000;
	double t1 = 1e9, t2 = 1e9;

	for (int run = 0; run < 3; run++) {
		pthread_t a, b;
		double t0 = bench_now();

		spin_main((void *)n);
		t0 = bench_now() - t0;
		if (t0 < t1)
			t1 = t0;
		t0 = bench_now();
		pthread_create(&a, NULL, spin_main, (void *)(n / 2));
		pthread_create(&b, NULL, spin_main, (void *)(n / 2));
		pthread_join(a, NULL);
		pthread_join(b, NULL);
		t0 = bench_now() - t0;
		if (t0 < t2)
			t2 = t0;
	}
	return t1 / t2;
}

#define SU_W	16
#define SU_H	16

static void bench_speedup(void)
{
	struct wafer_rect rg = { 0, 0, SU_W, SU_H };
	struct wb *b = wb_new(SU_W, SU_H);
	double t[3] = { 1e9, 1e9, 1e9 };
	uint64_t cyc[3] = { 0 };
	uint32_t g, loop;

	/* Every PE: 200 rounds of a 1024-element fmacs and a 200-iteration
	 * scalar loop, independent of the others. */
	g = wb_group(b);
	wb_rect(b, 0, 0, SU_W, SU_H, g);
	wb_entry(b, wb_func(b, "main"), g, 0);
	wb_emit(b, g, I_LI(1, 0x1000));
	wb_emit(b, g, I_LI(2, 1024));
	wb_emit(b, g, I_DMEM(F32, 1, 1, 2, 1));
	wb_emit(b, g, I_LI(1, 0x3000));
	wb_emit(b, g, I_DMEM(F32, 0, 1, 2, 1));
	wb_emit(b, g, I_LI(3, 0x3f000000));
	wb_emit(b, g, I_LI(4, 200));
	loop = wb_emit(b, g, I_V(FMACS, F32, 0, 0, 1, 3));
	wb_emit(b, g, I_LI(5, 200));
	wb_emit(b, g, I_ALUI(ADD, 5, 5, (uint32_t)-1));
	wb_emit(b, g, I_ALU(MUL, 6, 5, 5));
	wb_emit(b, g, I_ST(6, 0, 0x5000));
	wb_emit(b, g, I_BR(BNE, 5, 0, wb_pc(b, g) - 24));
	wb_emit(b, g, I_ALUI(ADD, 4, 4, (uint32_t)-1));
	wb_emit(b, g, I_BR(BNE, 4, 0, loop));
	wb_emit(b, g, I_HALT());

	/* Alternate the two so that changing load on a shared machine
	 * hits both alike; keep the best of each. */
	struct wafer *w[3];
	struct wafer_program *p[3];

	for (unsigned int threads = 1; threads <= 2; threads++) {
		w[threads] = mk_wafer(SU_W, SU_H, threads);
		p[threads] = mk_prog(w[threads], &rg, wb_image(b));
	}
	for (int run = 0; run < 6; run++) {
		for (unsigned int threads = 1; threads <= 2; threads++) {
			double t0 = bench_now();

			cyc[threads] = launch(p[threads], 0);
			t0 = bench_now() - t0;
			if (t0 < t[threads])
				t[threads] = t0;
		}
	}
	for (unsigned int threads = 1; threads <= 2; threads++) {
		wafer_program_free(p[threads]);
		wafer_destroy(w[threads]);
	}
	if (cyc[1] != cyc[2]) {
		fprintf(stderr, "speedup: cycles differ between thread counts\n");
		exit(1);
	}
	printf("speedup: %ux%u independent PEs: %.2f ms with 1 thread, %.2f ms with 2 (plain C control: %.2fx)\n",
	       SU_W, SU_H, t[1] * 1e3, t[2] * 1e3, host_parallelism());
	bench_figure("wafer-speedup-2-threads", t[1] / t[2], ">=", 1.6);
	wb_free(b);
}

/* --- (d) full mesh ------------------------------------------------------ */

static void bench_mesh(void)
{
	int fd[2];
	pid_t pid;
	double r[2] = { 0, 0 };

	if (pipe(fd))
		exit(1);
	pid = fork();
	if (pid == 0) {
		struct rusage ru;
		struct wafer *w;
		double t0 = bench_now();

		close(fd[0]);
		w = mk_wafer(WAFER_MAX_WIDTH, WAFER_MAX_HEIGHT, 2);
		r[0] = bench_now() - t0;
		getrusage(RUSAGE_SELF, &ru);
		r[1] = ru.ru_maxrss / 1024.0;	/* KiB -> MiB */
		wafer_destroy(w);
		if (write(fd[1], r, sizeof(r)) != sizeof(r))
			_exit(1);
		_exit(0);
	}
	close(fd[1]);
	if (read(fd[0], r, sizeof(r)) != sizeof(r) || waitpid(pid, NULL, 0) != pid) {
		fprintf(stderr, "mesh: child failed\n");
		exit(1);
	}
	close(fd[0]);
	printf("mesh: %ux%u PEs, %zu GiB of SRAM reserved\n", WAFER_MAX_WIDTH,
	       WAFER_MAX_HEIGHT,
	       (size_t)WAFER_MAX_WIDTH * WAFER_MAX_HEIGHT * WAFER_DEFAULT_SRAM >> 30);
	bench_figure("wafer-full-mesh-create-seconds", r[0], "<=", 2);
	bench_figure("wafer-full-mesh-peak-rss-mib", r[1], "<=", 1024);
}

/* --- (e) task overhead -------------------------------------------------- */

/*
 * PE 0 streams r1 wavelets to PE 1 with one vector op; PE 1 takes each
 * with an empty data task (TASK) or with a recv loop. PE 1 is the slower,
 * so the cycles of a launch grow by PE 1's cost of one wavelet for each
 * wavelet more: the difference of two launches, divided by the
 * difference of their counts, is that cost with no start-up in it.
 */
static const char task_src[] =
	".equ C, 1\n"
	".equ T, 1\n"
	".route C, 0, 0, 1, 1, rx=RAMP, tx=EAST\n"
	".route C, 1, 0, 1, 1, rx=WEST, tx=RAMP\n"
	".rect src, 0, 0, 1, 1\n"
	".rect dst, 1, 0, 1, 1\n"
	".code src\n"
	".func compute\n"
	"	li	r2, buf\n"
	"	dmem.i32 d0, r2, r1, 0\n"
	"	dfab.i32 d1, C, r1\n"
	"	vmov.i32 d1, d0\n"
	"	halt\n"
	".data\n"
	"buf:	.word	7\n"
	".code dst\n"
	".ifdef TASK\n"
	".task T, data, C, wavelet\n"
	".func compute\n"
	"	tret\n"
	"wavelet:\n"
	"	tret\n"
	".else\n"
	".func compute\n"
	"	beqz	r1, done\n"
	"loop:\n"
	"	recv	r2, C\n"
	"	sub	r1, r1, 1\n"
	"	bnez	r1, loop\n"
	"done:\n"
	"	halt\n"
	".endif\n";

/* PE 1's modeled cycles per wavelet with TASK defined or not. */
static double task_cycles(bool task)
{
	static const char *const dt[] = { "TASK", NULL };
	struct wse_asm_options o = { .defines = task ? dt : NULL };
	struct wafer_rect rg = { 0, 0, 2, 1 };
	struct wafer_image *img;
	struct wafer_program *p;
	struct wafer_symbol s;
	uint64_t c[2];
	char err[512];
	struct wafer *w;
	size_t len;
	void *bytes;

	if (wse_asm_buffer("task-overhead", task_src, strlen(task_src), &o,
			   &bytes, &len, err, sizeof(err)) ||
	    wafer_image_parse(bytes, len, &img, err, sizeof(err)) ||
	    wafer_image_symbol_find(img, "compute", &s)) {
		fprintf(stderr, "task: %s\n", err);
		exit(1);
	}
	free(bytes);
	w = mk_wafer(2, 1, 1);
	p = mk_prog(w, &rg, img);
	for (int i = 0; i < 2; i++) {
		uint32_t n = 1000u << i;
		struct wafer_run_stats st;
		struct wafer_fault f;

		if (wafer_launch(p, s.index, &n, 1, &st, &f)) {
			fprintf(stderr, "task: wafer_launch: %s\n", f.msg);
			exit(1);
		}
		c[i] = st.cycles;
	}
	wafer_program_free(p);
	wafer_destroy(w);
	wafer_image_free(img);
	return (double)(c[1] - c[0]) / 1000;
}

static void bench_task(void)
{
	double loop = task_cycles(false), task = task_cycles(true);

	printf("task: a wavelet streamed in costs %.2f cycles in an empty data task, %.2f in a recv loop\n",
	       task, loop);
	bench_figure("wafer-task-overhead-cycles", task, "<=", loop);
}

/* CPU seconds of the whole process, every thread. */
static double cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* --- (f) fabric-bound speed-up -------------------------------------------- */

#define FB_PE	32
#define FB_CELLS 8			/* cells per PE and side */
#define FB_GENS	10

static void bench_fabric(void)
{
	static const char *const defs[] = { "GH=256", "GW=256", "P=32", "Q=32", NULL };
	const char *path = WSE_TOP "/examples/life/life.wsasm";
	struct wse_asm_options o = { .defines = defs };
	struct wafer_rect rg = { 0, 0, FB_PE, FB_PE };
	const uint32_t rw = FB_CELLS + 2;
	double t[3] = { 1e9, 1e9, 1e9 }, cpu[3] = { 1e9, 1e9, 1e9 };
	uint64_t cyc[3] = { 0 }, wav = 0;
	struct wafer_program *p[3];
	struct wafer_image *img;
	struct wafer *w[3];
	struct wafer_symbol sc, fn;
	char err[512];
	size_t len;
	void *bytes;

	if (wse_asm_file_opts(path, &o, &bytes, &len, err, sizeof(err)) ||
	    wafer_image_parse(bytes, len, &img, err, sizeof(err)) ||
	    wafer_image_symbol_find(img, "cells", &sc) ||
	    wafer_image_symbol_find(img, "compute", &fn)) {
		fprintf(stderr, "fabric: %s: %s\n", path, err);
		exit(1);
	}
	free(bytes);
	for (unsigned int threads = 1; threads <= 2; threads++) {
		w[threads] = mk_wafer(FB_PE, FB_PE, threads);
		p[threads] = mk_prog(w[threads], &rg, img);
	}
	for (int run = 0; run < 4; run++) {
		for (unsigned int threads = 1; threads <= 2; threads++) {
			uint32_t gens = FB_GENS, seed = 99;
			struct wafer_run_stats st;
			struct wafer_fault f;
			double t0, c0;

			/* the same random start every run */
			for (uint32_t py = 0; py < FB_PE; py++)
				for (uint32_t px = 0; px < FB_PE; px++) {
					uint32_t *c = (uint32_t *)(wb_pe_sram(w[threads], &rg, px, py) +
								   sc.addr);

					for (uint32_t i = 0; i < rw * rw; i++) {
						seed = seed * 1664525u + 1013904223u;
						c[i] = i / rw && i / rw <= FB_CELLS && i % rw &&
						       i % rw <= FB_CELLS && (seed >> 8) % 3 == 0;
					}
				}
			c0 = cpu_now();
			t0 = bench_now();
			if (wafer_launch(p[threads], fn.index, &gens, 1, &st, &f)) {
				fprintf(stderr, "fabric: wafer_launch: %s\n", f.msg);
				exit(1);
			}
			t0 = bench_now() - t0;
			c0 = cpu_now() - c0;
			if (t0 < t[threads])
				t[threads] = t0;
			if (c0 < cpu[threads])
				cpu[threads] = c0;
			cyc[threads] = st.cycles;
			wav = st.wavelets;
		}
	}
	if (cyc[1] != cyc[2]) {
		fprintf(stderr, "fabric: cycles differ between thread counts\n");
		exit(1);
	}
	for (unsigned int threads = 1; threads <= 2; threads++) {
		wafer_program_free(p[threads]);
		wafer_destroy(w[threads]);
	}
	wafer_image_free(img);
	/* CPU time beside: what the threads cost, whatever the cores do. */
	printf("fabric: life, %ux%u PEs of %ux%u cells, %u generations (%llu wavelets, %llu cycles): %.2f ms with 1 thread, %.2f ms with 2 (CPU %.2f ms, %.2f ms; plain C control: %.2fx)\n",
	       FB_PE, FB_PE, FB_CELLS, FB_CELLS, FB_GENS, (unsigned long long)wav,
	       (unsigned long long)cyc[1], t[1] * 1e3, t[2] * 1e3, cpu[1] * 1e3,
	       cpu[2] * 1e3, host_parallelism());
	bench_figure("wafer-fabric-speedup-2-threads", t[1] / t[2], ">=", 1.7);
}

static const struct {
	const char *name;
	void (*fn)(void);
} benches[] = {
	{ "compute", bench_compute },
	{ "mesh", bench_mesh },
	{ "gemv", bench_gemv },
	{ "speedup", bench_speedup },
	{ "task", bench_task },
	{ "fabric", bench_fabric },
};

/* No argument: every benchmark; else the ones named (e.g. "fabric"). */
int main(int argc, char **argv)
{
	const size_t n = sizeof(benches) / sizeof(benches[0]);

	for (int a = 1; a < argc; a++) {
		size_t i = 0;

		while (i < n && strcmp(argv[a], benches[i].name))
			i++;
		if (i == n) {
			fprintf(stderr, "wafer: no benchmark %s\n", argv[a]);
			return 2;
		}
	}
	for (size_t i = 0; i < n; i++) {
		bool want = argc < 2;

		for (int a = 1; a < argc; a++)
			want |= !strcmp(argv[a], benches[i].name);
		if (want)
			benches[i].fn();
	}
	return 0;
}
