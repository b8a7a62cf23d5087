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
 *            in switch positions, code on one PE): load seconds, goal
 *            <= 1 (it used to stop a VM for 17 s).
 *   instr    a row broadcast and a column reduce with every PE busy
 *            (scalar send/recv loops): instructions per second per
 *            thread with 1, 2 and 4 threads, goal >= 1e8 (4 threads on
 *            a 2-core host is informational). The figure is the second
 *            launch of the program: the first also makes its 2.7
 *            million input queues and their rings (fq.c), about 2 GB
 *            the host kernel zeroes on first touch, a one-time cost of
 *            the program like its load, printed beside it.
 *   wavelet  a fabric-bound kernel on 8 PEs of a row: 4096 wavelets
 *            streamed through 7 hops (each PE forwards with a fabric to
 *            fabric vmov), one thread: host ns per wavelet hop, goal
 *            <= 30; beside it the same words through seven 32-entry
 *            rings in plain C.
 *
 * Each part runs in a child process of its own, so that RSS and page
 * faults are its own. WSE_FULL_MESH=WxH picks a smaller mesh (the goals
 * scale with the PE count); WSE_FULL_PARTS=load,instr,wavelet picks
 * parts and WSE_FULL_THREADS=n one thread count of instr (for profiling
 * one).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "wafer.h"
#include "image.h"
#include "wafer-builder.h"

static uint32_t mesh_w = WAFER_MAX_WIDTH, mesh_h = WAFER_MAX_HEIGHT;

static bool part(const char *name)
{
	const char *parts = getenv("WSE_FULL_PARTS");

	return !parts || strstr(parts, name);
}

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

/*
 * 2,024 full-region records: 23 colors x 4 positions x 22 rewrites, and
 * code on one PE only, so that the figure is the routes' cost and not
 * the SRAM pages a program writes.
 */
static struct wafer_image *routes_image(struct wb **bp)
{
	struct wb *b = wb_new(mesh_w, mesh_h);
	uint32_t g = wb_group(b), fn, n = 0;

	wb_rect(b, 0, 0, 1, 1, g);
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

/* --- every PE busy: row broadcast and column reduce ------------------ */

#define BR_K		16	/* wavelets broadcast along each row */
#define BR_RESULT	0x8000

/*
 * Column 0 sends K, K-1, .., 1 east on color 0 (every PE of the row
 * keeps a copy) and sums them; every other PE receives and sums them.
 * Then each column adds its sums up northwards, row y sending on color
 * 1 + (y & 1) and receiving from the south on the other; row 0 stores
 * H * K (K + 1) / 2.
 */
static struct wafer_image *bcast_image(struct wb **bp)
{
	struct wb *b = wb_new(mesh_w, mesh_h);
	uint32_t g = wb_group(b), fn, br_recv, sloop, rloop, j_reduce;
	uint32_t br_send_up, br_odd_recv, j_add, br_store, br_odd_send;

	wb_rect(b, 0, 0, mesh_w, mesh_h, g);
	fn = wb_func(b, "main");
	wb_entry(b, fn, g, wb_emit(b, g, I_CSR(10, ISA_CSR_X)));
	wb_emit(b, g, I_CSR(11, ISA_CSR_Y));
	wb_emit(b, g, I_LI(3, BR_K));
	wb_emit(b, g, I_LI(4, 0));
	wb_emit(b, g, I_LI(12, mesh_h - 1));
	wb_emit(b, g, I_ALUI(AND, 13, 11, 1));
	br_recv = wb_emit(b, g, I_BR(BNE, 10, 0, 0));
	sloop = wb_emit(b, g, I_SEND(3, 0));
	wb_emit(b, g, I_ALU(ADD, 4, 4, 3));
	wb_emit(b, g, I_ALUI(ADD, 3, 3, (uint32_t)-1));
	wb_emit(b, g, I_BR(BNE, 3, 0, sloop));
	j_reduce = wb_emit(b, g, I_JMP(0));
	rloop = wb_emit(b, g, I_RECV(5, 0));
	wb_patch(b, g, br_recv, rloop);
	wb_emit(b, g, I_ALU(ADD, 4, 4, 5));
	wb_emit(b, g, I_ALUI(ADD, 3, 3, (uint32_t)-1));
	wb_emit(b, g, I_BR(BNE, 3, 0, rloop));
	/* reduce: the bottom row has nothing from the south */
	br_send_up = wb_emit(b, g, I_BR(BEQ, 11, 12, 0));
	wb_patch(b, g, j_reduce, br_send_up);
	br_odd_recv = wb_emit(b, g, I_BR(BNE, 13, 0, 0));
	wb_emit(b, g, I_RECV(6, 2));
	j_add = wb_emit(b, g, I_JMP(0));
	wb_patch(b, g, br_odd_recv, wb_emit(b, g, I_RECV(6, 1)));
	wb_patch(b, g, j_add, wb_emit(b, g, I_ALU(ADD, 4, 4, 6)));
	br_store = wb_emit(b, g, I_BR(BEQ, 11, 0, 0));
	wb_patch(b, g, br_send_up, br_store);
	br_odd_send = wb_emit(b, g, I_BR(BNE, 13, 0, 0));
	wb_emit(b, g, I_SEND(4, 1));
	wb_emit(b, g, I_HALT());
	wb_patch(b, g, br_odd_send, wb_emit(b, g, I_SEND(4, 2)));
	wb_emit(b, g, I_HALT());
	wb_patch(b, g, br_store, wb_emit(b, g, I_LI(7, BR_RESULT)));
	wb_emit(b, g, I_ST(4, 7, 0));
	wb_emit(b, g, I_HALT());

	wb_route(b, 0, 0, 1, mesh_h, 0, WAFER_PORT_RAMP, WAFER_PORT_EAST);
	if (mesh_w > 2)
		wb_route(b, 1, 0, mesh_w - 2, mesh_h, 0, WAFER_PORT_WEST,
			 WAFER_PORT_RAMP | WAFER_PORT_EAST);
	if (mesh_w > 1)
		wb_route(b, mesh_w - 1, 0, 1, mesh_h, 0, WAFER_PORT_WEST,
			 WAFER_PORT_RAMP);
	for (uint32_t y = 0; y < mesh_h; y++) {
		if (y > 0)
			wb_route(b, 0, y, mesh_w, 1, 1 + (y & 1), WAFER_PORT_RAMP,
				 WAFER_PORT_NORTH);
		if (y < mesh_h - 1)
			wb_route(b, 0, y, mesh_w, 1, 1 + ((y + 1) & 1),
				 WAFER_PORT_SOUTH, WAFER_PORT_RAMP);
	}
	*bp = b;
	return wb_image(b);
}

enum { I_SECONDS, I_FIRST, I_CPU, I_INSNS, I_CYCLES, I_N };

/* CPU time of the process, all threads: beside a wall time on a busy host. */
static double cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void bcast_child(double *r, unsigned int threads)
{
	struct wafer_rect rg = { 0, 0, mesh_w, mesh_h };
	const uint32_t want = mesh_h * BR_K * (BR_K + 1) / 2;
	struct wafer_run_stats st;
	struct wafer_program *p;
	struct wafer_fault f;
	struct wafer_image *img;
	struct wafer *w;
	struct wb *b;
	double t;

	img = bcast_image(&b);
	w = mk_wafer(threads);
	if (wafer_load(w, &rg, img, &p, &f)) {
		fprintf(stderr, "wafer_load (broadcast): %s\n", f.msg);
		exit(1);
	}
	/* The first launch makes the queues, the second is timed. */
	for (int k = 0; k < 2; k++) {
		r[I_CPU] = cpu_now();
		t = bench_now();
		if (wafer_launch(p, 0, NULL, 0, &st, &f)) {
			fprintf(stderr, "wafer_launch (broadcast): %s\n", f.msg);
			exit(1);
		}
		r[k ? I_SECONDS : I_FIRST] = bench_now() - t;
		r[I_CPU] = cpu_now() - r[I_CPU];
		if (k && (st.instructions != r[I_INSNS] || st.cycles != r[I_CYCLES])) {
			fprintf(stderr, "broadcast: the second launch differs\n");
			exit(1);
		}
		r[I_INSNS] = (double)st.instructions;
		r[I_CYCLES] = (double)st.cycles;
		for (uint32_t x = 0; x < mesh_w; x++) {
			uint32_t v;

			memcpy(&v, wb_pe_sram(w, &rg, x, 0) + BR_RESULT, sizeof(v));
			if (v != want) {
				fprintf(stderr, "broadcast: PE (%u,0) has %u, want %u\n",
					x, v, want);
				exit(1);
			}
			v = 0;
			memcpy(wb_pe_sram(w, &rg, x, 0) + BR_RESULT, &v, sizeof(v));
		}
	}
	wafer_program_free(p);
	wafer_destroy(w);
	wb_free(b);
}

/* --- wavelet hops --------------------------------------------------------- */

#define WV_PES		8
#define WV_N		4096
#define WV_BUF		0x1000
#define WV_DEPTH	32

/*
 * PE 0 streams WV_N words east; PE i (0 < i < 7) takes them from the
 * west and passes them east with one fabric-to-fabric vmov; PE 7 stores
 * them. PE i sends on color i & 1, so no router merges.
 */
static struct wafer_image *wavelet_image(struct wb **bp, uint32_t *fn_out)
{
	struct wb *b = wb_new(WV_PES, 1);
	uint32_t fn = wb_func(b, "main");

	for (uint32_t i = 0; i < WV_PES; i++) {
		uint32_t g = wb_group(b), cin = (i + 1) & 1, cout = i & 1;

		wb_rect(b, i, 0, 1, 1, g);
		wb_entry(b, fn, g, wb_emit(b, g, I_LI(2, WV_N)));
		wb_emit(b, g, I_LI(1, WV_BUF));
		if (i == 0) {
			wb_emit(b, g, I_DMEM(I32, 0, 1, 2, 1));
			wb_emit(b, g, I_DFAB(I32, 1, cout, 2));
			wb_route(b, i, 0, 1, 1, cout, WAFER_PORT_RAMP, WAFER_PORT_EAST);
		} else if (i < WV_PES - 1) {
			wb_emit(b, g, I_DFAB(I32, 0, cin, 2));
			wb_emit(b, g, I_DFAB(I32, 1, cout, 2));
			wb_route(b, i, 0, 1, 1, cin, WAFER_PORT_WEST, WAFER_PORT_RAMP);
			wb_route(b, i, 0, 1, 1, cout, WAFER_PORT_RAMP, WAFER_PORT_EAST);
		} else {
			wb_emit(b, g, I_DFAB(I32, 0, cin, 2));
			wb_emit(b, g, I_DMEM(I32, 1, 1, 2, 1));
			wb_route(b, i, 0, 1, 1, cin, WAFER_PORT_WEST, WAFER_PORT_RAMP);
		}
		wb_emit(b, g, I_V(MOV, I32, 1, 0, 0, 0));
		wb_emit(b, g, I_HALT());
	}
	*fn_out = fn;
	*bp = b;
	return wb_image(b);
}

/* The same words through WV_PES - 1 rings of WV_DEPTH in plain C. */
static double wavelet_native(void)
{
	static uint32_t ring[WV_PES][WV_DEPTH], src[WV_N], dst[WV_N];
	unsigned int head[WV_PES] = { 0 }, tail[WV_PES] = { 0 };
	unsigned int sent = 0, got = 0;
	double t = bench_now();

	for (unsigned int i = 0; i < WV_N; i++)
		src[i] = i * 2654435761u;
	while (got < WV_N) {
		/* Each stage moves what it can, as a scheduler would. */
		while (sent < WV_N && tail[0] - head[0] < WV_DEPTH)
			ring[0][tail[0]++ % WV_DEPTH] = src[sent++];
		for (unsigned int s = 1; s < WV_PES - 1; s++)
			while (tail[s - 1] != head[s - 1] &&
			       tail[s] - head[s] < WV_DEPTH)
				ring[s][tail[s]++ % WV_DEPTH] =
					ring[s - 1][head[s - 1]++ % WV_DEPTH];
		while (tail[WV_PES - 2] != head[WV_PES - 2])
			dst[got++] = ring[WV_PES - 2][head[WV_PES - 2]++ % WV_DEPTH];
	}
	t = bench_now() - t;
	if (memcmp(src, dst, sizeof(src)))
		exit(1);
	return t / ((double)WV_N * (WV_PES - 1)) * 1e9;
}

static double wavelet_ns(void)
{
	struct wafer_rect rg = { 0, 0, WV_PES, 1 };
	struct wafer_config c = { .width = WV_PES, .height = 1, .threads = 1,
				  .queue_depth = WV_DEPTH };
	struct wafer_program *p;
	struct wafer_fault f;
	struct wafer_image *img;
	struct wafer *w;
	struct wb *b;
	double best = 1e9;
	uint32_t fn;
	char err[160];

	img = wavelet_image(&b, &fn);
	if (wafer_create(&c, &w, err, sizeof(err)) ||
	    wafer_load(w, &rg, img, &p, &f)) {
		fprintf(stderr, "wavelet: cannot set up\n");
		exit(1);
	}
	for (int run = 0; run < 5; run++) {
		uint32_t *in = (uint32_t *)(wb_pe_sram(w, &rg, 0, 0) + WV_BUF);
		uint32_t *out = (uint32_t *)(wb_pe_sram(w, &rg, WV_PES - 1, 0) + WV_BUF);
		struct wafer_run_stats st;
		double t;

		for (uint32_t i = 0; i < WV_N; i++) {
			in[i] = i * 2654435761u;
			out[i] = 0;
		}
		t = bench_now();
		if (wafer_launch(p, fn, NULL, 0, &st, &f)) {
			fprintf(stderr, "wavelet: %s\n", f.msg);
			exit(1);
		}
		t = bench_now() - t;
		if (memcmp(in, out, WV_N * 4)) {
			fprintf(stderr, "wavelet: words lost on the way\n");
			exit(1);
		}
		if (t < best)
			best = t;
	}
	wafer_program_free(p);
	wafer_destroy(w);
	wb_free(b);
	return best / ((double)WV_N * (WV_PES - 1)) * 1e9;
}

/* Run fn(r, threads) in a child; its n results come back in r. */
static int run_child(void (*fn)(double *, unsigned int), double *r,
		     unsigned int n, unsigned int threads)
{
	int fd[2];
	pid_t pid;
	int st;

	if (pipe(fd))
		return -1;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		close(fd[0]);
		fn(r, threads);
		if (write(fd[1], r, n * sizeof(*r)) != (ssize_t)(n * sizeof(*r)))
			_exit(1);
		_exit(0);
	}
	close(fd[1]);
	if (read(fd[0], r, n * sizeof(*r)) != (ssize_t)(n * sizeof(*r)) ||
	    waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st)) {
		close(fd[0]);
		return -1;
	}
	close(fd[0]);
	return 0;
}

static void load_figures(const double *r, double scale, double touched);
static int instr_figures(void);
static void wavelet_figures(void);

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
	printf("full: %ux%u PEs, load average %.2f\n", mesh_w, mesh_h, la[0]);
	if (part("load") && run_child(child, r, R_N, 2)) {
		fprintf(stderr, "wafer-full: child failed\n");
		return 1;
	}
	touched = (double)mesh_w * mesh_h * 4096 / (1 << 20);
	if (part("load"))
		load_figures(r, scale, touched);
	if (part("instr") && instr_figures())
		return 1;
	if (part("wavelet"))
		wavelet_figures();
	return 0;
}

static void load_figures(const double *r, double scale, double touched)
{
	printf("full: load %.3f s (floor: writing the pages %.3f s), launch %.3f s (a C pass over the PEs %.4f s)\n",
	       r[R_LOAD], r[R_TOUCH], r[R_LAUNCH], r[R_NLAUNCH]);
	printf("full: RSS idle %.0f MiB, after load and launch %.0f MiB, SRAM touched %.0f MiB\n",
	       r[R_RSS_IDLE], r[R_RSS], touched);
	printf("full: 2,024 full-region route records load in %.4f s\n", r[R_ROUTES]);
	bench_figure("wafer-full-load-seconds", r[R_LOAD], "<=", 1 * scale);
	bench_figure("wafer-full-launch-seconds", r[R_LAUNCH], "<=", 2 * scale);
	bench_figure("wafer-full-rss-mib", r[R_RSS], "<=", 512 * scale + touched);
	bench_figure("wafer-full-routes-load-seconds", r[R_ROUTES], "<=", 1 * scale);
}

static int instr_figures(void)
{
	for (unsigned int threads = 1; threads <= 4; threads *= 2) {
		static const char *const name[] = {
			[1] = "wafer-full-pe-instr-per-s-per-thread",
			[2] = "wafer-full-pe-instr-per-s-per-thread-2-threads",
			[4] = "wafer-full-pe-instr-per-s-per-thread-4-threads",
		};
		const char *only = getenv("WSE_FULL_THREADS");
		double ri[I_N] = { 0 };

		/* WSE_FULL_THREADS=n: only that variant (for profiling). */
		if (only && (unsigned int)atoi(only) != threads)
			continue;

		if (run_child(bcast_child, ri, I_N, threads)) {
			fprintf(stderr, "wafer-full: broadcast child failed\n");
			return 1;
		}
		printf("instr: row broadcast + column reduce, %u wavelets a row, %.0f instructions, %.0f cycles, %u thread%s: %.3f s, CPU %.3f s (first launch, making the queues: %.3f s)\n",
		       BR_K, ri[I_INSNS], ri[I_CYCLES], threads,
		       threads > 1 ? "s" : "", ri[I_SECONDS], ri[I_CPU],
		       ri[I_FIRST]);
		bench_figure(name[threads], ri[I_INSNS] / ri[I_SECONDS] / threads,
			     ">=", 1e8);
	}
	return 0;
}

static void wavelet_figures(void)
{
	double nat = wavelet_native(), emu = wavelet_ns();

	printf("wavelet: %u words through %u hops: %.1f ns a hop (plain C rings %.2f ns)\n",
	       WV_N, WV_PES - 1, emu, nat);
	bench_figure("wafer-wavelet-ns", emu, "<=", 30);
}
