// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sim-stream - streaming against copy mode on the simulator, host time:
 *
 *   figure: stream-h2d-bandwidth-vs-copy <stream B/s / copy B/s> goal >=0.5
 *     16 MiB streamed into 8 west-edge PEs of bench/stream-dsd.wsasm's
 *     kernel (async fabric-to-memory moves of 8192-element vectors, each
 *     summed by vrsum, CSL's streaming shape) against 16 MiB of
 *     wse_memcpy_h2d() into the 12 PEs' 32 KiB buffers (in 384 KiB
 *     copies). Each move fills the whole of buf, the 32 KiB a copy
 *     fills: a CSL kernel sizes its receive DSD to the buffer it has
 *     (fewer task activations, the same bytes), and the copies it is
 *     compared with fill that buffer too. Until 2026-12 the vectors were
 *     2048 elements (a quarter of buf), which put four times the
 *     per-vector work of the interpreter into the same 16 MiB;
 *   figure: stream-d2h-bandwidth-vs-copy <...> goal >=0.5
 *     the add-one tutorial's round trip (16 MiB in, moved into buf2 and
 *     sent back plus one by vadds onto a fabric DSD, 16 MiB out) against
 *     copies in and out of the same bytes; the round trip is
 *     wse_stream_send_receive(): the send and the receive of one job,
 *     the receive posted with the send as a streaming application posts
 *     it (the same bytes both ways as a send then a receive; the
 *     receive's wavelets may go straight into its buffer);
 *   figure: rpc-call-latency-vs-nop-job <call time / null launch> goal <=2
 *     wse_call() of add() on the resident kernel against a launch of
 *     bench/null.wsasm's null in another context.
 *
 * On sim:16x12, the best of a few rounds each. A comment line gives the
 * same 16 MiB into examples/stream's kernel, a data task per wavelet,
 * for comparison. Documentation/wse/streaming.rst.
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <wse/wse.h>

#include "bench.h"

static double bench_min(double a, double b)
{
	return a < b ? a : b;
}

#define DEVICE		"sim:16x12"
#define BYTES		(16u << 20)
#define ROWS		8
#define PES		12
#define PE_BYTES	(32u << 10)
#define ROUNDS		5	/* the best of: the host is shared, its load varies */
#define CALLS		200
#define VEC		8192	/* elements a vector of the sums: buf's 32 KiB */
#define VEC_RT		2048	/* the round trip's: buf2 (8 KiB, what is left) */

static void check(struct wse_device *dev, const char *what, int ret)
{
	if (ret) {
		fprintf(stderr, "sim-stream: %s: %s\n", what, wse_last_error(dev));
		exit(1);
	}
}

int main(void)
{
	struct wse_device *dev, *dev2;
	struct wse_program *prog, *null, *tasks;
	struct wse_symbol buf;
	uint32_t *in = malloc(BYTES), *out = malloc(BYTES), n[2] = { VEC, VEC_RT };
	uint32_t one = 1, r;
	double copy_in = 1e9, copy_out = 1e9, st_in = 1e9, st_rt = 1e9;
	double call = 1e9, nop = 1e9, t, t_tasks;
	uint64_t sum = 0;
	const struct wse_stream_xfer rt_in = {
		.color = 1, .edge = WSE_STREAM_EDGE_WEST, .h = ROWS,
		.elem_per_pe = BYTES / 4 / ROWS, .elem_bytes = 4, .buf = in,
	}, rt_out = {
		.color = 2, .edge = WSE_STREAM_EDGE_WEST, .h = ROWS,
		.elem_per_pe = BYTES / 4 / ROWS, .elem_bytes = 4, .buf = out,
	};

	if (!in || !out)
		return 1;
	for (uint32_t i = 0; i < BYTES / 4; i++)
		in[i] = i;
	check(NULL, "open", wse_device_open_path(DEVICE, &dev));
	check(NULL, "open", wse_device_open_path(DEVICE, &dev2));
	check(dev, "load", wse_program_load_file(dev, STREAM_IMAGE, &prog));
	check(dev2, "load", wse_program_load_file(dev2, NULL_IMAGE, &null));
	check(dev, "symbol", wse_program_symbol(prog, "buf", &buf));
	for (int k = 0; k < ROUNDS; k++) {
		t = bench_now();
		for (uint32_t off = 0; off < BYTES; off += PES * PE_BYTES) {
			uint32_t left = BYTES - off < PES * PE_BYTES ? BYTES - off : PES * PE_BYTES;

			check(dev, "h2d", wse_memcpy_h2d(prog, &buf, (uint8_t *)in + off, 0, 0,
							 1, left / PE_BYTES, PE_BYTES / 4,
							 WSE_MEMCPY_32BIT, 0, 0, NULL));
		}
		copy_in = bench_min(copy_in, bench_now() - t);
		t = bench_now();
		for (uint32_t off = 0; off < BYTES; off += PES * PE_BYTES) {
			uint32_t left = BYTES - off < PES * PE_BYTES ? BYTES - off : PES * PE_BYTES;

			check(dev, "d2h", wse_memcpy_d2h(prog, &buf, (uint8_t *)out + off, 0, 0,
							 1, left / PE_BYTES, PE_BYTES / 4,
							 WSE_MEMCPY_32BIT, 0, 0, NULL));
		}
		copy_out = bench_min(copy_out, bench_now() - t);

		check(dev, "resident", wse_launch_resident(prog, "main", 2, n, 0, NULL));
		t = bench_now();
		check(dev, "send", wse_stream_send(prog, 3, WSE_STREAM_EDGE_WEST, 0, ROWS,
						   BYTES / 4 / ROWS, 4, in, 0, NULL));
		st_in = bench_min(st_in, bench_now() - t);
		/* The receive posted with the send: one job (see the top). */
		t = bench_now();
		check(dev, "send_receive", wse_stream_send_receive(prog, &rt_in, &rt_out, 0, NULL));
		st_rt = bench_min(st_rt, bench_now() - t);
		for (uint32_t i = 0; i < BYTES / 4; i++)
			if (out[i] != in[i] + 1) {
				fprintf(stderr, "sim-stream: wrong data at %u\n", i);
				return 1;
			}
		/* The sums of the first stream, row 0's first vector. */
		check(dev, "receive", wse_stream_receive(prog, 4, WSE_STREAM_EDGE_WEST, 0, ROWS,
							 BYTES / 4 / ROWS / VEC, 4, out, 0,
							 NULL));
		sum = 0;
		for (uint32_t i = 0; i < VEC; i++)
			sum += in[i];
		if (out[0] != (uint32_t)sum) {
			fprintf(stderr, "sim-stream: wrong sum\n");
			return 1;
		}
		t = bench_now();
		for (int i = 0; i < CALLS; i++)
			check(dev, "call", wse_call(prog, "add", 1, &one, &r, 0, NULL));
		call = bench_min(call, (bench_now() - t) / CALLS);
		check(dev, "stop", wse_stop(prog, 0, NULL));
		t = bench_now();
		for (int i = 0; i < CALLS; i++)
			check(dev2, "launch", wse_launch(null, "null", 0, NULL, 0, NULL));
		nop = bench_min(nop, (bench_now() - t) / CALLS);
	}
	/* examples/stream's kernel: a data task per wavelet (sums of 64). */
	wse_program_free(prog);
	n[0] = 64;
	check(dev, "load", wse_program_load_file(dev, TASKS_IMAGE, &tasks));
	check(dev, "resident", wse_launch_resident(tasks, "main", 1, n, 0, NULL));
	t_tasks = bench_now();
	check(dev, "send", wse_stream_send(tasks, 3, WSE_STREAM_EDGE_WEST, 0, ROWS,
					   BYTES / 4 / ROWS, 4, in, 0, NULL));
	t_tasks = bench_now() - t_tasks;
	check(dev, "stop", wse_stop(tasks, 0, NULL));
	wse_program_free(tasks);
	printf("# copy in %.2f ms, out %.2f ms; stream in %.2f ms, round trip %.2f ms (%.2f, %.2f, %.2f, %.2f ns a wavelet); call %.1f us, null launch %.1f us\n",
	       copy_in * 1e3, copy_out * 1e3, st_in * 1e3, st_rt * 1e3,
	       copy_in / (BYTES / 4) * 1e9, copy_out / (BYTES / 4) * 1e9,
	       st_in / (BYTES / 4) * 1e9, st_rt / (BYTES / 4) * 1e9,
	       call * 1e6, nop * 1e6);
	printf("# stream in with a data task per wavelet (examples/stream): %.3f s, %.1f ns a wavelet\n",
	       t_tasks, t_tasks / (BYTES / 4) * 1e9);
	bench_figure("stream-h2d-bandwidth-vs-copy", copy_in / st_in, ">=", 0.5);
	bench_figure("stream-d2h-bandwidth-vs-copy", (copy_in + copy_out) / st_rt, ">=", 0.5);
	bench_figure("rpc-call-latency-vs-nop-job", call / nop, "<=", 2);
	wse_program_free(null);
	wse_device_close(dev);
	wse_device_close(dev2);
	return 0;
}
