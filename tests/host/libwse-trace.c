// SPDX-License-Identifier: GPL-2.0
/*
 * libwse's launch traces and counters on the simulator: the API's
 * errors, counters a known kernel must produce, the same records at 1,
 * 2 and 4 threads, and a full buffer keeping its earliest events with
 * the same drop count at any thread count. The kernel is
 * tests/host/trace-kernel.wsasm (tests/host/trace.sh checks wse-run's
 * JSON, CSV and PNG of it); tests/host/trace-vector.wsasm, on the same
 * 2 x 3 PEs, what vector operations count.
 */
#include <wse/wse.h>

#include "kselftest_harness.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wse-asm.h"

#define N	80		/* wavelets a row, as in the kernel */
#define W	2
#define H	3

struct kernel {
	const char *path;
	void *image;
	size_t len;
};

static struct kernel trace_kernel = { .path = WSE_TOP "/tests/host/trace-kernel.wsasm" };
static struct kernel vector_kernel = { .path = WSE_TOP "/tests/host/trace-vector.wsasm" };

static int open_kernel(struct __test_metadata *_metadata, struct kernel *k,
		       unsigned int threads, struct wse_device **dev,
		       struct wse_program **prog)
{
	char diag[4096], spec[64];

	if (!k->image)
		ASSERT_EQ(0, wse_asm_file(k->path, NULL, &k->image, &k->len, diag,
					  sizeof(diag)))
			TH_LOG("%s", diag);
	snprintf(spec, sizeof(spec), "sim:4x4,threads=%u", threads);
	if (wse_device_open_path(spec, dev))
		return -1;
	return wse_program_load_mem(*dev, k->image, k->len, prog);
}

static int open_loaded(struct __test_metadata *_metadata, unsigned int threads,
		       struct wse_device **dev, struct wse_program **prog)
{
	return open_kernel(_metadata, &trace_kernel, threads, dev, prog);
}

TEST(errors)
{
	struct wse_trace_config bad = { .flags = 1u << 5 };
	struct wse_trace_config cfg = { .flags = WSE_TRACE_EVENTS };
	struct wse_pe_counters c[W * H];
	struct wse_device *dev;
	struct wse_program *prog;
	struct wse_trace_pe h;

	ASSERT_EQ(0, open_loaded(_metadata, 1, &dev, &prog));
	EXPECT_EQ(-EINVAL, wse_trace_next_launch(NULL, &cfg));
	EXPECT_EQ(-EINVAL, wse_trace_next_launch(dev, &bad));
	bad.flags = WSE_TRACE_EVENTS;
	bad.reserved = 1;
	EXPECT_EQ(-EINVAL, wse_trace_next_launch(dev, &bad));
	bad.reserved = 0;
	bad.max_events = (1u << 20) + 1;
	EXPECT_EQ(-EINVAL, wse_trace_next_launch(dev, &bad));
	/* Nothing traced yet: no data, said so. */
	EXPECT_EQ(-ENODATA, wse_trace_read(dev, 0, 0, &h, NULL, 0));
	EXPECT_NE(NULL, strstr(wse_last_error(dev), "wse_trace_next_launch"));
	EXPECT_EQ(-ENODATA, wse_counters_read(dev, c, W * H));
	/* An untraced launch leaves none either. */
	ASSERT_EQ(0, wse_launch(prog, "run", 0, NULL, 0, NULL));
	EXPECT_EQ(-ENODATA, wse_counters_read(dev, c, W * H));
	/* A request cancelled before the launch is not used. */
	ASSERT_EQ(0, wse_trace_next_launch(dev, &cfg));
	ASSERT_EQ(0, wse_trace_next_launch(dev, NULL));
	ASSERT_EQ(0, wse_launch(prog, "run", 0, NULL, 0, NULL));
	EXPECT_EQ(-ENODATA, wse_counters_read(dev, c, W * H));

	ASSERT_EQ(0, wse_trace_next_launch(dev, &cfg));
	ASSERT_EQ(0, wse_launch(prog, "run", 0, NULL, 0, NULL));
	EXPECT_EQ(-EINVAL, wse_trace_read(dev, W, 0, &h, NULL, 0));
	EXPECT_EQ(-EINVAL, wse_trace_read(dev, 0, H, &h, NULL, 0));
	EXPECT_EQ(-EINVAL, wse_trace_read(dev, 0, 0, NULL, NULL, 0));
	EXPECT_EQ(-EINVAL, wse_trace_read(dev, 0, 0, &h, NULL, 4));
	EXPECT_EQ(-EINVAL, wse_counters_read(dev, c, W * H - 1));
	EXPECT_EQ(W * H, wse_counters_read(dev, c, W * H));
	EXPECT_EQ(0, wse_trace_read(dev, 0, 0, &h, NULL, 0));
	EXPECT_LT(80, h.nevents);
	EXPECT_EQ(-ENOENT, wse_trace_write_json(dev, "/nonexistent/dir/t.json"));
	wse_program_free(prog);
	wse_device_close(dev);
}

/* What the kernel must count, and the same at 1, 2 and 4 threads. */
TEST(counters_exact_any_threads)
{
	struct wse_trace_config cfg = { .flags = WSE_TRACE_COUNTERS };
	struct wse_pe_counters first[W * H];

	for (unsigned int t = 1; t <= 4; t *= 2) {
		struct wse_pe_counters c[W * H];
		struct wse_device *dev;
		struct wse_program *prog;
		struct wse_task *task;
		struct wse_trace_pe h;

		ASSERT_EQ(0, open_loaded(_metadata, t, &dev, &prog));
		ASSERT_EQ(0, wse_trace_next_launch(dev, &cfg));
		ASSERT_EQ(0, wse_launch(prog, "run", 0, NULL, 0, &task));
		ASSERT_EQ(W * H, wse_counters_read(dev, c, W * H));
		/* Counters only: no events were kept. */
		ASSERT_EQ(0, wse_trace_read(dev, 0, 0, &h, NULL, 0));
		EXPECT_EQ(0, h.nevents);
		for (unsigned int y = 0; y < H; y++)
			for (unsigned int x = 0; x < W; x++) {
				const struct wse_pe_counters *p = &c[y * W + x];

				EXPECT_EQ(wse_task_cycles(task), p->cycles);
				EXPECT_EQ(x ? N : 0, p->wavelets_in);
				EXPECT_EQ(x ? 0 : N, p->wavelets_out);
				EXPECT_EQ(x ? 6 + 8 * N : 3 + 3 * N, p->instructions);
				EXPECT_EQ(x ? 4 : 0, p->sram_bytes);
				EXPECT_EQ(1, p->tasks);
				EXPECT_EQ(p->cycles, p->busy + p->stall_send + p->stall_recv + p->idle);
				/* The sender fills the queue and waits. */
				if (!x)
					EXPECT_LT(0, p->stall_send);
			}
		if (t == 1)
			memcpy(first, c, sizeof(c));
		else
			EXPECT_EQ(0, memcmp(first, c, sizeof(c)));
		wse_task_free(task);
		wse_program_free(prog);
		wse_device_close(dev);
	}
}

/* A PE's stall events of one kind, summed. */
static uint64_t stall_sum(struct __test_metadata *_metadata, struct wse_device *dev,
			  unsigned int x, unsigned int y, uint8_t kind)
{
	static struct wse_trace_event ev[1024];
	struct wse_trace_pe h;
	uint64_t sum = 0;
	int n = wse_trace_read(dev, x, y, &h, ev, 1024);

	EXPECT_LE(0, n);
	EXPECT_EQ(0, h.dropped);
	for (int i = 0; i < n; i++)
		if (ev[i].kind == kind)
			sum += ev[i].arg;
	return sum;
}

/*
 * What vector operations count (tests/host/trace-vector.wsasm): SRAM
 * bytes of their memory operands, element by element, on every path of
 * the core (one pass, memory chunks, fabric chunks, a microthread); a
 * sync op's waits for wavelets and for room as stalls, like RECV's and
 * SEND's, in the events as in the counters; per PE, and the same at 1,
 * 2 and 4 threads.
 */
TEST(vector_counters_any_threads)
{
	static struct wse_trace_event ev0[W * H][1024], ev[1024];
	struct wse_trace_config cfg = { .flags = WSE_TRACE_EVENTS };
	struct wse_pe_counters first[W * H];
	int n0[W * H];

	for (unsigned int t = 1; t <= 4; t *= 2) {
		struct wse_pe_counters c[W * H];
		struct wse_device *dev;
		struct wse_program *prog;
		struct wse_trace_pe h;

		ASSERT_EQ(0, open_kernel(_metadata, &vector_kernel, t, &dev, &prog));
		ASSERT_EQ(0, wse_trace_next_launch(dev, &cfg));
		ASSERT_EQ(0, wse_launch(prog, "run", 0, NULL, 0, NULL));
		ASSERT_EQ(W * H, wse_counters_read(dev, c, W * H));
		/* Row 0: SRAM bytes. */
		EXPECT_EQ(64 + 192 + 64 + 64, c[0].sram_bytes);
		EXPECT_EQ(64, c[1].sram_bytes);
		EXPECT_EQ(16, c[0].wavelets_out);
		EXPECT_EQ(16, c[1].wavelets_in);
		/* Row 1: the vector receive waits for the slow sender. */
		EXPECT_EQ(0, c[W].sram_bytes);
		EXPECT_EQ(64, c[W + 1].sram_bytes);
		EXPECT_LT(16, c[W + 1].stall_recv);
		EXPECT_EQ(0, c[W + 1].stall_send);
		/* Row 2: the vector send waits for the slow receiver. */
		EXPECT_EQ(320, c[2 * W].sram_bytes);
		EXPECT_LT(80, c[2 * W].stall_send);
		EXPECT_EQ(0, c[2 * W].stall_recv);
		EXPECT_EQ(0, c[2 * W + 1].sram_bytes);
		for (unsigned int y = 0; y < H; y++)
			for (unsigned int x = 0; x < W; x++) {
				const struct wse_pe_counters *p = &c[y * W + x];

				EXPECT_EQ(p->cycles, p->busy + p->stall_send + p->stall_recv + p->idle);
				EXPECT_EQ(p->stall_send,
					  stall_sum(_metadata, dev, x, y, WSE_TRACE_STALL_SEND));
				EXPECT_EQ(p->stall_recv,
					  stall_sum(_metadata, dev, x, y, WSE_TRACE_STALL_RECV));
				/* The same events at every thread count. */
				if (t == 1) {
					n0[y * W + x] = wse_trace_read(dev, x, y, &h,
								       ev0[y * W + x], 1024);
					ASSERT_LT(0, n0[y * W + x]);
				} else {
					EXPECT_EQ(n0[y * W + x],
						  wse_trace_read(dev, x, y, &h, ev, 1024));
					EXPECT_EQ(0, memcmp(ev0[y * W + x], ev,
							    n0[y * W + x] * sizeof(ev[0])));
				}
			}
		if (t == 1)
			memcpy(first, c, sizeof(c));
		else
			EXPECT_EQ(0, memcmp(first, c, sizeof(c)));
		wse_program_free(prog);
		wse_device_close(dev);
	}
}

/*
 * A buffer of 16 events keeps the first 16 of the full trace, and drops
 * the rest, counted, at every thread count.
 */
TEST(full_buffer_keeps_earliest)
{
	struct wse_trace_event full[1024], kept[16];
	struct wse_trace_pe hf;
	struct wse_device *dev;
	struct wse_program *prog;

	ASSERT_EQ(0, open_loaded(_metadata, 1, &dev, &prog));
	ASSERT_EQ(0, wse_trace_next_launch(dev, &(struct wse_trace_config){
		.flags = WSE_TRACE_EVENTS, .sample_every = 7 }));
	ASSERT_EQ(0, wse_launch(prog, "run", 0, NULL, 0, NULL));
	ASSERT_LT(16, wse_trace_read(dev, 0, 1, &hf, full, 1024));
	EXPECT_EQ(0, hf.dropped);
	for (uint32_t i = 1; i < hf.nevents; i++)
		EXPECT_LE(full[i - 1].cycle, full[i].cycle);
	EXPECT_EQ(WSE_TRACE_TASK_START, full[0].kind);
	EXPECT_EQ(255, full[0].aux);
	wse_program_free(prog);
	wse_device_close(dev);

	for (unsigned int t = 1; t <= 4; t *= 2) {
		struct wse_trace_pe h;

		ASSERT_EQ(0, open_loaded(_metadata, t, &dev, &prog));
		ASSERT_EQ(0, wse_trace_next_launch(dev, &(struct wse_trace_config){
			.flags = WSE_TRACE_EVENTS, .sample_every = 7, .max_events = 16 }));
		ASSERT_EQ(0, wse_launch(prog, "run", 0, NULL, 0, NULL));
		ASSERT_EQ(16, wse_trace_read(dev, 0, 1, &h, kept, 16));
		EXPECT_EQ(16, h.nevents);
		EXPECT_EQ(hf.nevents - 16, h.dropped);
		EXPECT_EQ(0, memcmp(full, kept, sizeof(kept)));
		wse_program_free(prog);
		wse_device_close(dev);
	}
}

TEST_HARNESS_MAIN
