/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bench.h - helpers of the in-VM benchmarks, besides ../bench.h: their
 * error report, and one raw DMA job timed from SUBMIT to the end of WAIT
 * (the job alone, without libwse's staging copy).
 *
 * Copyright (c) 2026 The wse authors.
 */
#ifndef WSE_BENCH_H
#define WSE_BENCH_H

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include <drm/wse_accel.h>
#include <wse/wse.h>

#include "../bench.h"

/* "<program>: <what>: <error> (<libwse's detail>)" on stderr, and exit. */
static inline void __attribute__((noreturn))
bench_fail(struct wse_device *dev, const char *what, int ret)
{
	fprintf(stderr, "%s: %s: %s (%s)\n", program_invocation_short_name,
		what, wse_strerror(ret), wse_last_error(dev));
	exit(1);
}

static inline int bench_ioctl(int fd, unsigned long req, void *arg)
{
	int ret;

	do {
		ret = ioctl(fd, req, arg);
	} while (ret && (errno == EINTR || errno == EAGAIN));
	return ret ? -errno : 0;
}

/*
 * Seconds from SUBMIT to the end of WAIT of one job moving @len bytes
 * between offset 0 of buffer @handle and the SRAM of a region @region_w
 * PEs wide from PE (0, 0) on, in commands of at most max_xfer bytes;
 * -1 if it failed.
 */
static inline double bench_job(int fd, const struct wse_device_info *info,
			       uint32_t region_w, uint32_t op, uint32_t handle,
			       uint64_t len)
{
	struct drm_wse_cmd cmds[DRM_WSE_MAX_CMDS];
	struct drm_wse_submit sub;
	struct drm_wse_wait wait;
	uint64_t sram = info->sram_bytes, done, n, pe;
	unsigned int count = 0;
	double t;

	memset(cmds, 0, sizeof(cmds));
	for (done = 0; done < len && count < DRM_WSE_MAX_CMDS; done += n) {
		n = len - done < info->max_xfer ? len - done : info->max_xfer;
		pe = done / sram;
		cmds[count].op = op;
		cmds[count].handle = handle;
		cmds[count].offset = done;
		cmds[count].length = n;
		cmds[count].sram.x = pe % region_w;
		cmds[count].sram.y = pe / region_w;
		cmds[count].sram.offset = done % sram;
		count++;
	}
	memset(&sub, 0, sizeof(sub));
	sub.cmds_ptr = (uintptr_t)cmds;
	sub.cmd_count = count;
	t = bench_now();
	if (bench_ioctl(fd, DRM_IOCTL_WSE_SUBMIT, &sub))
		return -1;
	memset(&wait, 0, sizeof(wait));
	wait.job_id = sub.job_id;
	wait.timeout_ns = -1;
	if (bench_ioctl(fd, DRM_IOCTL_WSE_WAIT, &wait) || wait.status)
		return -1;
	return bench_now() - t;
}

#endif /* WSE_BENCH_H */
