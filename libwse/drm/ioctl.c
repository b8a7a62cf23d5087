// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ioctl.c - the one ioctl wrapper of the drm backend.
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <errno.h>
#include <sys/ioctl.h>

#include "drm.h"

/*
 * Like drmIoctl(), but returns -errno: restart on EINTR (a signal arrived)
 * and EAGAIN (the driver asks to retry). Callers zero the argument struct
 * before filling it, so that pads and unknown fields go out as zero.
 */
int wse_drm_ioctl(int fd, unsigned long request, void *arg)
{
	int ret;

	do {
		ret = ioctl(fd, request, arg);
	} while (ret == -1 && (errno == EINTR || errno == EAGAIN));

	return ret == -1 ? -errno : ret;
}
