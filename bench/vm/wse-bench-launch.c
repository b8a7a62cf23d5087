// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wse-bench-launch - what a launch costs on the simulator and on the
 * device, side by side in the VM.
 *
 * A kernel that only halts (bench/null.wsasm) launched over and over
 * with wse_launch() on the driver's device 0 and on the simulator of its
 * geometry (libwse-sim.so.1 in this process), each the best of many:
 * host time from the call to its return, the submission, the wafer and
 * the completion included. Informational: the goal says only that the
 * simulator costs no more than the device it stands for.
 *
 *   figure: sim-launch-overhead-vs-drm <sim time / device time> goal <=1
 *
 * bench/sim-copy leaves the simulator's time on the host itself in
 * host-sim-launch.txt beside this program's data; it is printed too.
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"

#define IMAGE		"/usr/share/wse/bench/null.img"
#define HOST_TIME	"/usr/share/wse/bench/host-sim-launch.txt"
#define REPS		100

/* The best seconds of REPS null launches on @spec. */
static double best_launch(const char *spec, char *node, size_t len)
{
	struct wse_device_info info;
	struct wse_program *prog;
	struct wse_device *dev;
	double best = 1e9, t;
	int i, ret;

	ret = wse_device_open_path(spec, &dev);
	if (ret)
		bench_fail(NULL, spec, ret);
	ret = wse_program_load_file(dev, IMAGE, &prog);
	if (ret)
		bench_fail(dev, "load " IMAGE, ret);
	for (i = 0; i < REPS; i++) {
		t = bench_now();
		ret = wse_launch(prog, "null", 0, NULL, 0, NULL);
		t = bench_now() - t;
		if (ret)
			bench_fail(dev, "launch", ret);
		if (t < best)
			best = t;
	}
	if (!wse_device_info(dev, &info))
		snprintf(node, len, "%s", info.node);
	wse_program_free(prog);
	wse_device_close(dev);
	return best;
}

int main(void)
{
	struct wse_device_info info;
	struct wse_device *dev;
	char sim[64], node_d[64] = "", node_s[64] = "";
	double drm, simt, host = -1;
	FILE *f;
	int ret;

	ret = wse_device_open_path("drm:0", &dev);
	if (ret)
		bench_fail(NULL, "drm:0", ret);
	ret = wse_device_info(dev, &info);
	if (ret)
		bench_fail(dev, "info", ret);
	wse_device_close(dev);
	snprintf(sim, sizeof(sim), "sim:%ux%u,sram=%u", info.mesh_width,
		 info.mesh_height, info.sram_bytes / 1024);

	drm = best_launch("drm:0", node_d, sizeof(node_d));
	simt = best_launch(sim, node_s, sizeof(node_s));
	printf("null launch, best of %d: %s %.1f us, %s %.1f us (in the VM)\n",
	       REPS, node_d, drm * 1e6, node_s, simt * 1e6);
	f = fopen(HOST_TIME, "r");
	if (f && fscanf(f, "%lf", &host) == 1)
		printf("null launch on the simulator on the host: %.1f us\n",
		       host * 1e6);
	if (f)
		fclose(f);
	bench_figure("sim-launch-overhead-vs-drm", simt / drm, "<=", 1);
	return 0;
}
