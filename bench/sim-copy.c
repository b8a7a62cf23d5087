// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sim-copy - what Python costs over C on the simulator, and a launch.
 *
 * A 1 MiB host array (16 KiB on each of 8 x 8 PEs) copied in with
 * wse_memcpy_h2d() on sim:8x8, the best of many, and the same copy from
 * NumPy through the wse package (bench/sim-copy.py, run by Debian's
 * python3 as $PYTHON), same image, same device string, same threads:
 *
 *   figure: python-memcpy-overhead <Python time / C time> goal <=1.2
 *
 * (each the best of ROUNDS rounds of REPS copies, the rounds of C and
 * Python alternating), and, for information, the host time of a launch
 * of a kernel that only
 * halts, the simulator's side of the VM's sim-launch-overhead-vs-drm,
 * left in $B/results/host-sim-launch.txt.
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <wse/wse.h>

#include "bench.h"

#define DEVICE		"sim:8x8"
#define ELEMS		4096		/* f32 per PE: 1 MiB on 8 x 8 */
#define REPS		200
/*
 * Rounds of C then Python: the best of each over all rounds, so that a
 * busy spell of the machine during one of them does not decide.
 */
#define ROUNDS		5

static void __attribute__((noreturn)) fail(struct wse_device *dev,
					   const char *what, int ret)
{
	fprintf(stderr, "sim-copy: %s: %s (%s)\n", what, wse_strerror(ret),
		wse_last_error(dev));
	exit(1);
}

/* The best seconds of REPS 1 MiB copies from Python, or exit. */
static double python_best(void)
{
	char cmd[1024];
	double t = -1;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "PYTHONPATH=%s/python PYTHONDONTWRITEBYTECODE=1 %s %s/bench/sim-copy.py %s %s %d",
		 WSE_TOP, getenv("PYTHON") ? getenv("PYTHON") : "/usr/bin/python3",
		 WSE_TOP, NULL_IMAGE, DEVICE, REPS);
	p = popen(cmd, "r");
	if (!p || fscanf(p, "%lf", &t) != 1 || pclose(p)) {
		fprintf(stderr, "sim-copy: %s failed\n", cmd);
		exit(1);
	}
	return t;
}

int main(void)
{
	double best = 1e9, launch = 1e9, t, py = 1e9;
	struct wse_program *prog;
	struct wse_device *dev;
	struct wse_symbol buf;
	int i, round, ret;
	float *host;
	FILE *p;

	host = calloc(8 * 8 * ELEMS, sizeof(*host));
	if (!host)
		return 1;
	for (i = 0; i < 8 * 8 * ELEMS; i++)
		host[i] = (float)i;
	ret = wse_device_open_path(DEVICE, &dev);
	if (ret)
		fail(NULL, "open " DEVICE, ret);
	ret = wse_program_load_file(dev, NULL_IMAGE, &prog);
	if (ret)
		fail(dev, "load " NULL_IMAGE, ret);
	ret = wse_program_symbol(prog, "buf", &buf);
	if (ret)
		fail(dev, "buf", ret);
	for (round = 0; round < ROUNDS; round++) {
		for (i = 0; i < REPS; i++) {
			t = bench_now();
			ret = wse_memcpy_h2d(prog, &buf, host, 0, 0, 8, 8, ELEMS,
					     WSE_MEMCPY_32BIT,
					     WSE_MEMCPY_ROW_MAJOR, 0, NULL);
			t = bench_now() - t;
			if (ret)
				fail(dev, "h2d", ret);
			if (t < best)
				best = t;
		}
		t = python_best();
		if (t < py)
			py = t;
	}
	for (i = 0; i < REPS; i++) {
		t = bench_now();
		ret = wse_launch(prog, "null", 0, NULL, 0, NULL);
		t = bench_now() - t;
		if (ret)
			fail(dev, "launch", ret);
		if (t < launch)
			launch = t;
	}
	wse_program_free(prog);
	wse_device_close(dev);
	free(host);

	printf("1 MiB h2d on " DEVICE ": C %.1f us, Python %.1f us (best of %d x %d)\n",
	       best * 1e6, py * 1e6, ROUNDS, REPS);
	printf("null launch on " DEVICE " on the host: %.1f us (best of %d)\n",
	       launch * 1e6, REPS);
	bench_figure("python-memcpy-overhead", py / best, "<=", 1.2);
	p = fopen(WSE_BUILD "/results/host-sim-launch.txt", "w");
	if (p) {
		fprintf(p, "%.9f\n", launch);
		fclose(p);
	}
	return 0;
}
