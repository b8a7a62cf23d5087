// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * core.c - the wafer object: geometry, the SRAM block, reset, errnos.
 *
 * All PE SRAM is one anonymous private mapping reserved with MAP_NORESERVE:
 * a full 762 x 1176 mesh with 48 KiB per PE is 44 GB of address space but
 * costs nothing until pages are touched, and zeroing gives pages back with
 * MADV_DONTNEED instead of writing zeroes over them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "internal.h"

int wafer_status_errno(enum wafer_status st)
{
	switch (st) {
	case WAFER_OK:
		return 0;
	case WAFER_ERR_DEADLOCK:
		return -EDEADLK;
	case WAFER_ERR_RUNAWAY:
	case WAFER_ERR_STREAM_TIMEOUT:
		return -ETIMEDOUT;
	case WAFER_ERR_CANCELLED:
		return -ECANCELED;
	case WAFER_ERR_NO_FUNCTION:
		return -ENOENT;
	case WAFER_ERR_NOMEM:
		return -ENOMEM;
	case WAFER_ERR_BAD_IMAGE:
	case WAFER_ERR_BAD_REGION:
	case WAFER_ERR_INVALID:
		return -EINVAL;
	default:
		return -EIO;
	}
}

int wafer_fault_set(struct wafer_fault *f, enum wafer_status st,
		    const char *fmt, ...)
{
	va_list ap;

	memset(f, 0, sizeof(*f));
	f->status = st;
	va_start(ap, fmt);
	vsnprintf(f->msg, sizeof(f->msg), fmt, ap);
	va_end(ap);
	return wafer_status_errno(st);
}

/*
 * Zero SRAM. Large spans are handed back to the kernel (they read as zero
 * and cost no memory until touched again); small ones are cheaper to
 * overwrite than to fault back in. p and len are page multiples whenever
 * they cover whole PEs, which is how callers use this.
 */
void wafer_sram_zero(uint8_t *p, size_t len)
{
	if (len >= 256 * 1024 && !((uintptr_t)p & 4095) && !(len & 4095) &&
	    !madvise(p, len, MADV_DONTNEED))
		return;
	memset(p, 0, len);
}

int wafer_create(const struct wafer_config *cfg, struct wafer **out,
		 char *err, size_t errlen)
{
	struct wafer_config c;
	struct wafer *w;
	void *mem;

	if (err && errlen)
		err[0] = '\0';
	if (!cfg || !out) {
		if (err)
			snprintf(err, errlen, "no configuration or result pointer");
		return -EINVAL;
	}
	*out = NULL;
	c = *cfg;
	if (!c.sram_bytes)
		c.sram_bytes = WAFER_DEFAULT_SRAM;
	if (!c.threads)
		c.threads = 1;
	if (!c.queue_depth)
		c.queue_depth = WAFER_QUEUE_DEFAULT;
	if (c.width < 1 || c.width > WAFER_MAX_WIDTH ||
	    c.height < 1 || c.height > WAFER_MAX_HEIGHT) {
		if (err)
			snprintf(err, errlen,
				 "mesh %ux%u: width must be 1..%u and height 1..%u",
				 c.width, c.height, WAFER_MAX_WIDTH,
				 WAFER_MAX_HEIGHT);
		return -EINVAL;
	}
	if (c.sram_bytes % 4096 || c.sram_bytes > WAFER_MAX_SRAM) {
		if (err)
			snprintf(err, errlen,
				 "sram_bytes %u: must be a multiple of 4096 up to %u",
				 c.sram_bytes, WAFER_MAX_SRAM);
		return -EINVAL;
	}
	if (c.threads > WAFER_MAX_THREADS) {
		if (err)
			snprintf(err, errlen, "threads %u: must be 1..%u",
				 c.threads, WAFER_MAX_THREADS);
		return -EINVAL;
	}
	if (c.queue_depth > WAFER_QUEUE_MAX) {
		if (err)
			snprintf(err, errlen, "queue_depth %u: must be 1..%u",
				 c.queue_depth, WAFER_QUEUE_MAX);
		return -EINVAL;
	}

	w = calloc(1, sizeof(*w));
	if (!w)
		goto err_nomem;
	w->cfg = c;
	w->sram_total = (size_t)c.width * c.height * c.sram_bytes;
	if (c.sram) {
		if ((uintptr_t)c.sram & 4095) {
			free(w);
			if (err)
				snprintf(err, errlen, "caller's SRAM is not page aligned");
			return -EINVAL;
		}
		mem = c.sram;
	} else {
		mem = mmap(NULL, w->sram_total, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (mem == MAP_FAILED)
			goto err_free;
		w->sram_mapped = true;
	}
	/*
	 * Small pages only: a program touches a page or two of each PE's
	 * SRAM, and transparent huge pages would turn that into 2 MiB per
	 * 40 PEs (all 44 GB for a full-wafer program).
	 */
	madvise(mem, w->sram_total, MADV_NOHUGEPAGE);
	w->sram = mem;
	atomic_init(&w->insn_budget, c.insn_budget);
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->quiet, NULL);
	*out = w;
	return 0;

err_free:
	free(w);
err_nomem:
	if (err)
		snprintf(err, errlen, "cannot reserve %zu bytes of SRAM for a %ux%u mesh",
			 (size_t)c.width * c.height * c.sram_bytes, c.width,
			 c.height);
	return -ENOMEM;
}

/* Programs must have been freed; no launch may be in progress. */
void wafer_destroy(struct wafer *w)
{
	if (!w)
		return;
	wafer_pool_stop(w);
	if (w->sram_mapped)
		munmap(w->sram, w->sram_total);
	pthread_cond_destroy(&w->quiet);
	pthread_mutex_destroy(&w->lock);
	free(w);
}

void wafer_get_config(const struct wafer *w, struct wafer_config *cfg)
{
	*cfg = w->cfg;
	cfg->insn_budget = atomic_load(&((struct wafer *)w)->insn_budget);
}

void wafer_set_insn_budget(struct wafer *w, uint64_t budget)
{
	atomic_store(&w->insn_budget, budget);
}

uint8_t *wafer_sram_base(struct wafer *w)
{
	return w->sram;
}

size_t wafer_sram_total(const struct wafer *w)
{
	return w->sram_total;
}

/*
 * Device reset: stop every run (they end as cancelled), then zero all SRAM.
 * Routes belong to programs, which the caller frees; wavelets in flight
 * die with their run.
 */
void wafer_reset(struct wafer *w)
{
	wafer_runs_stop_all(w);
	wafer_sram_zero(w->sram, w->sram_total);
}
