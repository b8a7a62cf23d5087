// SPDX-License-Identifier: GPL-2.0
/*
 * libwse SRAM windows end to end: what a window shows is what DMA moved
 * and the other way round; the small-copy path (copies through libwse's
 * cached windows) gives the same bytes as DMA for random ranges and
 * rectangles, waits for the jobs before it, falls back to DMA when no
 * slot is free and survives a device reset; explicit windows report
 * -ENOSPC and read-only ones refuse stores.
 *
 * Which path a copy took shows in the driver's jobs_submitted counter:
 * a copy through a window submits no job.
 */
#include "../kselftest_harness.h"

#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <wse/wse.h>

#include "../wse/wse_kernels.h"
#include "../wse/wse_util.h"
#include "lw_util.h"

#define KIB		1024u
#define REGION_W	4
#define REGION_H	3
#define SMALL_MAX	(64 * KIB)
#define DEFAULT_MAX	(128 * KIB)	/* WSE_SMALL_COPY_DEFAULT's limit */
#define ALL_WINDOWS	((size_t)-2)	/* every copy that can, by window */

FIXTURE(win)
{
	struct wse_device *dev;
	struct wse_device_info info;
	uint32_t sram;
	uint64_t region_bytes;
};

FIXTURE_SETUP(win)
{
	ASSERT_EQ(0, wse_device_open(0, &self->dev));
	ASSERT_EQ(0, wse_device_info(self->dev, &self->info));
	if (!(self->info.caps & WSE_DEVICE_CAP_WINDOWS))
		SKIP(return, "the device has no windows");
	ASSERT_EQ(0, wse_region_alloc(self->dev, REGION_W, REGION_H, NULL));
	self->sram = self->info.sram_bytes;
	self->region_bytes = (uint64_t)REGION_W * REGION_H * self->sram;
}

FIXTURE_TEARDOWN(win)
{
	wse_device_close(self->dev);
}

static uint64_t jobs(void)
{
	uint64_t v = 0;

	wst_sysfs_u64("jobs_submitted", &v);
	return v;
}

/* DMA only, or windows wherever possible. */
static void dma_only(struct wse_device *dev)
{
	wse_device_set_small_copy(dev, 0);
}

static void by_window(struct wse_device *dev)
{
	wse_device_set_small_copy(dev, ALL_WINDOWS);
}

/* Open and close; the first small copy maps nothing until it runs. */
TEST_F(win, open_close)
{
	ASSERT_NE(NULL, self->dev);
}

/* What DMA wrote shows through a window, across a PE boundary. */
TEST_F(win, window_shows_dma_data)
{
	const size_t len = self->sram + 5000;
	struct wse_window *w;
	char *in = malloc(len);

	ASSERT_NE(NULL, in);
	wst_fill_random(in, len, 11);
	dma_only(self->dev);
	ASSERT_EQ(0, wse_sram_write(self->dev, 1, 1, 3000, in, len));
	ASSERT_EQ(0, wse_window_create(self->dev, 1, 1, 3000, len, 0, &w)) {
		TH_LOG("%s", wse_last_error(self->dev));
	}
	ASSERT_NE(NULL, wse_window_ptr(w));
	ASSERT_EQ(0, memcmp(in, wse_window_ptr(w), len));
	wse_window_destroy(w);
	free(in);
}

/* What is stored through a window, DMA reads back. */
TEST_F(win, dma_sees_window_stores)
{
	const size_t len = 2 * self->sram;
	struct wse_window *w;
	char *in = malloc(len), *out = malloc(len);

	ASSERT_NE(NULL, in);
	ASSERT_NE(NULL, out);
	wst_fill_random(in, len, 12);
	ASSERT_EQ(0, wse_window_create(self->dev, 0, 2, 77, len, 0, &w));
	memcpy(wse_window_ptr(w), in, len);
	dma_only(self->dev);
	ASSERT_EQ(0, wse_sram_read(self->dev, 0, 2, 77, out, len));
	ASSERT_EQ(0, memcmp(in, out, len));
	/* Bytes around the range are the region's too, still zero. */
	ASSERT_EQ(0, wse_sram_read(self->dev, 0, 2, 0, out, 77));
	ASSERT_TRUE(wst_all_zero(out, 77));
	wse_window_destroy(w);
	free(in);
	free(out);
}

/* Ranges and flags a window cannot have, with exact errors. */
TEST_F(win, window_refusals)
{
	const uint32_t sram = self->sram;
	struct wse_device *bare;
	struct wse_window *w = NULL;

	ASSERT_EQ(-EINVAL, wse_window_create(self->dev, REGION_W, 0, 0, 1, 0, &w));
	ASSERT_EQ(-EINVAL, wse_window_create(self->dev, 0, REGION_H, 0, 1, 0, &w));
	ASSERT_EQ(-EINVAL, wse_window_create(self->dev, 0, 0, sram, 1, 0, &w));
	ASSERT_EQ(-EINVAL, wse_window_create(self->dev, 0, 0, 0, 0, 0, &w));
	/* A window stays in one row of the region. */
	ASSERT_EQ(-EINVAL, wse_window_create(self->dev, REGION_W - 1, 0, 1, sram,
					     0, &w));
	ASSERT_NE(NULL, strstr(wse_last_error(self->dev), "row"));
	ASSERT_EQ(-EINVAL, wse_window_create(self->dev, 0, 0, 0, 1, 0x2, &w));
	ASSERT_EQ(-EINVAL, wse_window_create(self->dev, 0, 0, 0, 1, 0, NULL));
	ASSERT_EQ(NULL, w);
	/* The last byte of a row is fine. */
	ASSERT_EQ(0, wse_window_create(self->dev, REGION_W - 1, 0, sram - 1, 1,
				       0, &w));
	wse_window_destroy(w);
	wse_window_destroy(NULL);
	ASSERT_EQ(NULL, wse_window_ptr(NULL));

	/* No region, no window. */
	ASSERT_EQ(0, wse_device_open(0, &bare));
	ASSERT_EQ(-EINVAL, wse_window_create(bare, 0, 0, 0, 1, 0, &w));
	ASSERT_NE(NULL, strstr(wse_last_error(bare), "region"));
	wse_device_close(bare);
}

static sigjmp_buf fault_jmp;

static void on_fault(int sig)
{
	siglongjmp(fault_jmp, sig);
}

/* Store one byte; the signal it raised, or 0. */
static int try_store(volatile char *p, char v)
{
	struct sigaction sa = { .sa_handler = on_fault }, old_segv, old_bus;
	int sig;

	sigaction(SIGSEGV, &sa, &old_segv);
	sigaction(SIGBUS, &sa, &old_bus);
	sig = sigsetjmp(fault_jmp, 1);
	if (!sig)
		*p = v;
	sigaction(SIGSEGV, &old_segv, NULL);
	sigaction(SIGBUS, &old_bus, NULL);
	return sig;
}

/* A read-only window reads the SRAM and refuses stores with SIGSEGV. */
TEST_F(win, readonly_refuses_stores)
{
	struct wse_window *ro;
	char in[256], out[256];
	volatile char *p;

	wst_fill_random(in, sizeof(in), 13);
	ASSERT_EQ(0, wse_sram_write(self->dev, 2, 0, 512, in, sizeof(in)));
	ASSERT_EQ(0, wse_window_create(self->dev, 2, 0, 512, sizeof(in),
				       WSE_WINDOW_READONLY, &ro));
	p = wse_window_ptr(ro);
	ASSERT_EQ(0, memcmp(in, (const char *)p, sizeof(in)));
	ASSERT_EQ(SIGSEGV, try_store(p, ~in[0]));
	ASSERT_EQ(SIGSEGV, try_store(p + 255, ~in[255]));
	dma_only(self->dev);
	ASSERT_EQ(0, wse_sram_read(self->dev, 2, 0, 512, out, sizeof(out)));
	ASSERT_EQ(0, memcmp(in, out, sizeof(in)));
	wse_window_destroy(ro);
}

/* A random range of at most @max bytes inside the region. */
static void random_range(uint32_t *seed, uint64_t region_bytes, uint32_t sram,
			 size_t max, uint32_t *x, uint32_t *y, uint32_t *off,
			 size_t *len)
{
	uint64_t start;

	*len = 1 + lw_rand(seed) % max;
	/* Now and then exactly around a PE boundary. */
	if (lw_rand(seed) % 4 == 0)
		start = (1 + lw_rand(seed) % (REGION_W * REGION_H - 1)) *
			(uint64_t)sram - lw_rand(seed) % 64;
	else
		start = lw_rand(seed) % region_bytes;
	if (start + *len > region_bytes)
		start = region_bytes - *len;
	*x = start / sram % REGION_W;
	*y = start / sram / REGION_W;
	*off = start % sram;
}

/*
 * Random ranges (PE and row boundaries included) written by one path
 * and read by the other come back the same; the job counter shows each
 * path was taken.
 */
TEST_F_TIMEOUT(win, small_copies_match_dma, 240)
{
	char *in = malloc(SMALL_MAX), *out = malloc(SMALL_MAX);
	uint32_t seed = 0x5eed1, x, y, off;
	uint64_t before;
	size_t len;
	int i, window_writes;

	ASSERT_NE(NULL, in);
	ASSERT_NE(NULL, out);
	for (i = 0; i < 60; i++) {
		window_writes = i & 1;
		random_range(&seed, self->region_bytes, self->sram, SMALL_MAX,
			     &x, &y, &off, &len);
		wst_fill_random(in, len, i + 100);
		memset(out, 0, len);

		before = jobs();
		window_writes ? by_window(self->dev) : dma_only(self->dev);
		ASSERT_EQ(0, wse_sram_write(self->dev, x, y, off, in, len));
		window_writes ? dma_only(self->dev) : by_window(self->dev);
		ASSERT_EQ(0, wse_sram_read(self->dev, x, y, off, out, len));
		ASSERT_EQ(0, memcmp(in, out, len)) {
			TH_LOG("%zu bytes at PE (%u,%u) + %u, written by %s",
			       len, x, y, off, window_writes ? "window" : "DMA");
		}
		/* Exactly one DMA job: the other copy went through a window. */
		ASSERT_EQ(before + 1, jobs()) {
			TH_LOG("%zu bytes at PE (%u,%u) + %u", len, x, y, off);
		}
	}
	free(in);
	free(out);
}

/* Below the limit by window, above it by DMA; the default is 128 KiB. */
TEST_F(win, small_copy_limit)
{
	static char buf[DEFAULT_MAX + 1];
	uint64_t before;

	ASSERT_EQ(0, wse_device_set_small_copy(self->dev, WSE_SMALL_COPY_DEFAULT));
	before = jobs();
	ASSERT_EQ(0, wse_sram_write(self->dev, 0, 0, 0, buf, DEFAULT_MAX));
	ASSERT_EQ(before, jobs());
	ASSERT_EQ(0, wse_sram_write(self->dev, 0, 0, 0, buf, DEFAULT_MAX + 1));
	ASSERT_EQ(before + 1, jobs());
	ASSERT_EQ(0, wse_device_set_small_copy(self->dev, 100));
	ASSERT_EQ(0, wse_sram_read(self->dev, 0, 0, 0, buf, 100));
	ASSERT_EQ(before + 1, jobs());
	ASSERT_EQ(0, wse_sram_read(self->dev, 0, 0, 0, buf, 101));
	ASSERT_EQ(before + 2, jobs());
	ASSERT_EQ(-EINVAL, wse_device_set_small_copy(NULL, 0));
}

/*
 * A small copy comes after the jobs submitted before it: behind a
 * kernel that spins until its time limit, a DMA write and then a
 * window write to the same bytes end with the window's data, and a
 * window read sees the DMA write queued before it. A non-blocking small
 * copy does not wait: it goes by DMA.
 */
TEST_F_TIMEOUT(win, small_copy_waits_for_jobs, 120)
{
	struct wse_task *spin = NULL, *dma = NULL, *nb = NULL;
	struct wse_program *prog;
	struct wse_device *dev;
	struct wse_symbol a;
	uint32_t first[64], second[64], out[64];
	struct timespec t0, t1;
	uint64_t before;

	ASSERT_EQ(0, wse_device_open(0, &dev));
	ASSERT_EQ(0, wse_program_load_mem(dev, wse_test_image,
					  sizeof(wse_test_image), &prog));
	ASSERT_EQ(0, wse_program_symbol(prog, "a32", &a));
	ASSERT_EQ(0, wse_device_set_timeout(dev, 1500));
	wst_fill_random(first, sizeof(first), 21);
	wst_fill_random(second, sizeof(second), 22);

	/* Step 1: window write after a queued DMA write of the same bytes. */
	ASSERT_EQ(0, wse_launch(prog, "spin", 0, NULL, WSE_NONBLOCK, &spin));
	dma_only(dev);
	ASSERT_EQ(0, wse_memcpy_h2d(prog, &a, first, 1, 1, 1, 1, 64,
				    WSE_MEMCPY_32BIT, WSE_MEMCPY_ROW_MAJOR,
				    WSE_NONBLOCK, &dma));
	by_window(dev);
	before = jobs();
	ASSERT_EQ(0, wse_memcpy_h2d(prog, &a, second, 1, 1, 1, 1, 64,
				    WSE_MEMCPY_32BIT, WSE_MEMCPY_ROW_MAJOR, 0,
				    NULL));
	ASSERT_EQ(before, jobs());
	/* It waited for both. */
	ASSERT_EQ(1, wse_task_done(spin));
	ASSERT_EQ(1, wse_task_done(dma));
	ASSERT_EQ(-ETIMEDOUT, wse_task_wait(spin, 0));
	ASSERT_EQ(0, wse_task_wait(dma, 0));
	wse_task_free(spin);
	wse_task_free(dma);
	dma_only(dev);
	ASSERT_EQ(0, wse_memcpy_d2h(prog, &a, out, 1, 1, 1, 1, 64,
				    WSE_MEMCPY_32BIT, WSE_MEMCPY_ROW_MAJOR, 0,
				    NULL));
	ASSERT_EQ(0, memcmp(second, out, sizeof(out)));

	/*
	 * Step 2: the timeout dropped the program; the spin needs a new
	 * one. A window read sees a DMA write queued before it.
	 */
	wse_program_free(prog);
	ASSERT_EQ(0, wse_program_load_mem(dev, wse_test_image,
					  sizeof(wse_test_image), &prog));
	ASSERT_EQ(0, wse_launch(prog, "spin", 0, NULL, WSE_NONBLOCK, &spin));
	ASSERT_EQ(0, wse_memcpy_h2d(prog, &a, first, 2, 3, 1, 1, 64,
				    WSE_MEMCPY_32BIT, WSE_MEMCPY_ROW_MAJOR,
				    WSE_NONBLOCK, &dma));

	/* Step 3: meanwhile a non-blocking small copy returns at once. */
	by_window(dev);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ASSERT_EQ(0, wse_memcpy_d2h(prog, &a, out, 0, 0, 1, 1, 64,
				    WSE_MEMCPY_32BIT, WSE_MEMCPY_ROW_MAJOR,
				    WSE_NONBLOCK, &nb));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ASSERT_GT(500, (t1.tv_sec - t0.tv_sec) * 1000 +
		       (t1.tv_nsec - t0.tv_nsec) / 1000000);
	ASSERT_EQ(0, wse_task_done(nb));

	memset(out, 0, sizeof(out));
	before = jobs();
	ASSERT_EQ(0, wse_memcpy_d2h(prog, &a, out, 2, 3, 1, 1, 64,
				    WSE_MEMCPY_32BIT, WSE_MEMCPY_ROW_MAJOR, 0,
				    NULL));
	ASSERT_EQ(before, jobs());
	ASSERT_EQ(0, memcmp(first, out, sizeof(out)));
	ASSERT_EQ(0, wse_task_wait(nb, -1));
	ASSERT_EQ(-ETIMEDOUT, wse_task_wait(spin, -1));
	wse_task_free(nb);
	wse_task_free(dma);
	wse_task_free(spin);
	wse_program_free(prog);
	wse_device_close(dev);
}

/* Expected contents of the test program's 4 x 4 region after a copy. */
struct rect {
	uint32_t px, py, w, h, epp, bcast;
	enum wse_dtype dt;
};

static int rect_h2d(struct wse_program *p, const struct wse_symbol *s,
		    const void *host, const struct rect *r, unsigned int flags,
		    struct wse_task **task)
{
	switch (r->bcast) {
	case 1:
		return wse_memcpy_h2d_rowbcast(p, s, host, r->px, r->py, r->w,
					       r->h, r->epp, r->dt,
					       WSE_MEMCPY_ROW_MAJOR, flags, task);
	case 2:
		return wse_memcpy_h2d_colbcast(p, s, host, r->px, r->py, r->w,
					       r->h, r->epp, r->dt,
					       WSE_MEMCPY_ROW_MAJOR, flags, task);
	}
	return wse_memcpy_h2d(p, s, host, r->px, r->py, r->w, r->h, r->epp,
			      r->dt, WSE_MEMCPY_ROW_MAJOR, flags, task);
}

/*
 * Random rectangles, element sizes and broadcasts: written by window
 * and read back whole by DMA, they give what writing by DMA gives; and
 * read by window they give what DMA reads.
 */
TEST(small_rect_copies_match_dma)
{
	static uint32_t host[WSE_TEST_W * WSE_TEST_H * (WSE_TEST_A32_BYTES / 4)];
	static uint32_t a_dma[sizeof(host) / 4], a_win[sizeof(host) / 4];
	struct wse_program *prog;
	struct wse_task *task = NULL;
	struct wse_device *dev;
	struct wse_symbol s32, s16;
	uint32_t seed = 0xbeef, n;
	uint64_t before;
	struct rect r;
	int i, k;

	ASSERT_EQ(0, wse_device_open(0, &dev));
	ASSERT_EQ(0, wse_program_load_mem(dev, wse_test_image,
					  sizeof(wse_test_image), &prog));
	ASSERT_EQ(0, wse_program_symbol(prog, "a32", &s32));
	ASSERT_EQ(0, wse_program_symbol(prog, "a16", &s16));
	for (i = 0; i < 40; i++) {
		const struct wse_symbol *s = i & 1 ? &s16 : &s32;

		r.dt = i & 1 ? WSE_MEMCPY_16BIT : WSE_MEMCPY_32BIT;
		r.px = lw_rand(&seed) % WSE_TEST_W;
		r.py = lw_rand(&seed) % WSE_TEST_H;
		r.w = 1 + lw_rand(&seed) % (WSE_TEST_W - r.px);
		r.h = 1 + lw_rand(&seed) % (WSE_TEST_H - r.py);
		r.epp = 1 + lw_rand(&seed) % (s->size / r.dt);
		r.bcast = lw_rand(&seed) % 3;
		wst_fill_random(host, sizeof(host), 300 + i);

		/*
		 * The same write by both paths, each over zeros and read back
		 * whole by DMA.
		 */
		for (k = 0; k < 2; k++) {
			uint32_t *whole = k ? a_win : a_dma;

			memset(whole, 0, sizeof(a_dma));
			dma_only(dev);
			ASSERT_EQ(0, wse_memcpy_h2d(prog, s, whole, 0, 0,
						    WSE_TEST_W, WSE_TEST_H,
						    s->size / r.dt, r.dt,
						    WSE_MEMCPY_ROW_MAJOR, 0, NULL));
			k ? by_window(dev) : dma_only(dev);
			before = jobs();
			ASSERT_EQ(0, rect_h2d(prog, s, host, &r, 0, &task));
			ASSERT_EQ(0, wse_task_wait(task, 0));
			wse_task_free(task);
			ASSERT_EQ(before + !k, jobs());
			dma_only(dev);
			ASSERT_EQ(0, wse_memcpy_d2h(prog, s, whole, 0, 0,
						    WSE_TEST_W, WSE_TEST_H,
						    s->size / r.dt, r.dt,
						    WSE_MEMCPY_ROW_MAJOR, 0, NULL));
		}
		ASSERT_EQ(0, memcmp(a_dma, a_win, sizeof(a_dma))) {
			TH_LOG("%ux%u at (%u,%u), %u x %d bytes, bcast %u", r.w,
			       r.h, r.px, r.py, r.epp, r.dt, r.bcast);
		}

		/* The same read by both paths. */
		n = r.w * r.h * r.epp;
		dma_only(dev);
		ASSERT_EQ(0, wse_memcpy_d2h(prog, s, a_dma, r.px, r.py, r.w, r.h,
					    r.epp, r.dt, WSE_MEMCPY_ROW_MAJOR, 0,
					    NULL));
		by_window(dev);
		before = jobs();
		ASSERT_EQ(0, wse_memcpy_d2h(prog, s, a_win, r.px, r.py, r.w, r.h,
					    r.epp, r.dt, WSE_MEMCPY_ROW_MAJOR,
					    WSE_NONBLOCK, &task));
		ASSERT_EQ(1, wse_task_done(task));
		wse_task_free(task);
		ASSERT_EQ(before, jobs());
		ASSERT_EQ(0, memcmp(a_dma, a_win, n * r.dt));
	}
	wse_program_free(prog);
	wse_device_close(dev);
}

/*
 * Slots run out: explicit windows get -ENOSPC, small copies fall back
 * to DMA with the same result and use a window again once a slot is
 * free; an explicit window takes back the slots the cache holds.
 */
TEST_F_TIMEOUT(win, slots_exhausted, 120)
{
	struct wse_window *w[64], *mine = NULL;
	char in[4096], out[4096];
	struct wse_device *other;
	uint64_t before;
	int n = 0, ret, i;

	ASSERT_GE(64, self->info.num_windows);
	ASSERT_EQ(0, wse_device_open(0, &other));
	ASSERT_EQ(0, wse_region_alloc(other, 1, 1, NULL));

	/* Step 1: another context takes every slot there is. */
	while ((ret = wse_window_create(other, 0, 0, 0, 4096, 0, &w[n])) == 0)
		n++;
	ASSERT_EQ(-ENOSPC, ret);
	ASSERT_NE(NULL, strstr(wse_last_error(other), "slots"));
	ASSERT_LE(1, n);
	ASSERT_GE(self->info.num_windows, n);
	ASSERT_EQ(-ENOSPC, wse_window_create(self->dev, 0, 0, 0, 1, 0, &mine));

	/* Step 2: small copies still work, by DMA. */
	wst_fill_random(in, sizeof(in), 31);
	before = jobs();
	ASSERT_EQ(0, wse_sram_write(self->dev, 1, 2, 100, in, sizeof(in)));
	ASSERT_EQ(0, wse_sram_read(self->dev, 1, 2, 100, out, sizeof(out)));
	ASSERT_EQ(before + 2, jobs());
	ASSERT_EQ(0, memcmp(in, out, sizeof(in)));

	/* Step 3: one slot free again: the next small copies take it. */
	wse_window_destroy(w[--n]);
	before = jobs();
	memset(out, 0, sizeof(out));
	ASSERT_EQ(0, wse_sram_read(self->dev, 1, 2, 100, out, sizeof(out)));
	ASSERT_EQ(0, wse_sram_write(self->dev, 1, 2, 100, out, sizeof(out)));
	ASSERT_EQ(before, jobs());
	ASSERT_EQ(0, memcmp(in, out, sizeof(in)));
	ASSERT_EQ(-ENOSPC, wse_window_create(other, 0, 0, 0, 4096, 0, &w[n]));

	/* Step 4: an explicit window of this device takes the cache's slot. */
	ASSERT_EQ(0, wse_window_create(self->dev, 1, 2, 100, sizeof(in), 0, &mine));
	ASSERT_EQ(0, memcmp(in, wse_window_ptr(mine), sizeof(in)));
	before = jobs();
	ASSERT_EQ(0, wse_sram_read(self->dev, 1, 2, 100, out, sizeof(out)));
	ASSERT_EQ(before + 1, jobs());
	wse_window_destroy(mine);

	for (i = 0; i < n; i++)
		wse_window_destroy(w[i]);
	wse_device_close(other);
}

struct worker {
	struct wse_device *dev;
	uint32_t y;		/* the region row this thread owns */
	uint32_t sram;
	int ret;
	bool same;
};

static void *worker_run(void *arg)
{
	struct worker *wk = arg;
	char in[8192], out[8192];
	uint32_t seed = wk->y + 1, x, off;
	size_t len;
	int i;

	wk->same = true;
	for (i = 0; i < 40 && wk->same && !wk->ret; i++) {
		len = 1 + lw_rand(&seed) % sizeof(in);
		x = lw_rand(&seed) % (REGION_W - 1);
		off = lw_rand(&seed) % wk->sram;
		wst_fill_random(in, len, wk->y * 1000 + i);
		wk->ret = wse_sram_write(wk->dev, x, wk->y, off, in, len);
		if (!wk->ret && i % 3 == 0)
			wk->ret = wse_nop(wk->dev);
		if (!wk->ret)
			wk->ret = wse_sram_read(wk->dev, x, wk->y, off, out, len);
		if (!wk->ret && memcmp(in, out, len))
			wk->same = false;
	}
	return NULL;
}

/* Threads mixing small copies and jobs on one device each get their data. */
TEST_F_TIMEOUT(win, threads_mix_windows_and_jobs, 120)
{
	struct worker wk[REGION_H];
	pthread_t t[REGION_H];
	int i;

	for (i = 0; i < REGION_H; i++) {
		wk[i] = (struct worker){ .dev = self->dev, .y = i,
					 .sram = self->sram };
		ASSERT_EQ(0, pthread_create(&t[i], NULL, worker_run, &wk[i]));
	}
	for (i = 0; i < REGION_H; i++) {
		ASSERT_EQ(0, pthread_join(t[i], NULL));
		EXPECT_EQ(0, wk[i].ret);
		EXPECT_TRUE(wk[i].same);
	}
}

/*
 * A device reset (from another context) revokes the cached windows under
 * a program that never asked for windows: its next small copies fail
 * with -EIO (the context is stale) instead of raising SIGBUS; after a
 * new region small copies work again.
 */
TEST_F(win, reset_under_small_copies)
{
	char in[4096], out[4096];
	struct wse_device *root;
	uint64_t before, count = 0, resets = 0;

	if (geteuid())
		SKIP(return, "resetting needs root");
	wst_fill_random(in, sizeof(in), 41);
	before = jobs();
	ASSERT_EQ(0, wse_sram_write(self->dev, 0, 1, 0, in, sizeof(in)));
	ASSERT_EQ(before, jobs());

	ASSERT_EQ(0, wse_device_open(0, &root));
	ASSERT_EQ(0, wst_sysfs_u64("resets", &resets));
	ASSERT_EQ(0, wse_device_reset(root, &count));
	ASSERT_EQ(resets + 1, count);
	wse_device_close(root);
	ASSERT_EQ(-EIO, wse_sram_write(self->dev, 0, 1, 0, in, sizeof(in)));
	ASSERT_EQ(-EIO, wse_sram_read(self->dev, 0, 1, 0, out, sizeof(out)));

	ASSERT_EQ(0, wse_region_free(self->dev));
	ASSERT_EQ(0, wse_region_alloc(self->dev, REGION_W, REGION_H, NULL));
	ASSERT_EQ(0, wse_sram_read(self->dev, 0, 1, 0, out, sizeof(out)));
	ASSERT_TRUE(wst_all_zero(out, sizeof(out)));
	before = jobs();
	ASSERT_EQ(0, wse_sram_write(self->dev, 0, 1, 0, in, sizeof(in)));
	ASSERT_EQ(0, wse_sram_read(self->dev, 0, 1, 0, out, sizeof(out)));
	ASSERT_EQ(before, jobs());
	ASSERT_EQ(0, memcmp(in, out, sizeof(in)));
}

TEST_HARNESS_MAIN
