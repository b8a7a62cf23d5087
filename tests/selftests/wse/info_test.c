// SPDX-License-Identifier: GPL-2.0
/*
 * wse info: DRM_IOCTL_WSE_GET_INFO reports the wafer QEMU was started with
 * and refuses malformed requests.
 */
#include "../kselftest_harness.h"

#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "wse_util.h"

#define WST_KNOWN_CAPS	(DRM_WSE_CAP_QUEUES | DRM_WSE_CAP_WINDOWS | \
			 DRM_WSE_CAP_KERNELS | DRM_WSE_CAP_RECT | \
			 DRM_WSE_CAP_STREAM)

FIXTURE(info)
{
	int fd;
	struct drm_wse_info info;
};

FIXTURE_SETUP(info)
{
	self->fd = wst_open();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, wst_get_info(self->fd, &self->info));
}

FIXTURE_TEARDOWN(info)
{
	ASSERT_EQ(0, close(self->fd));
}

/* The mesh is what the VM runner started QEMU with. */
TEST_F(info, mesh_matches_qemu)
{
	uint32_t w, h;
	int ret;

	/* The runner must say what it asked for: no expectation is a failure. */
	ret = wst_expect_mesh(&w, &h);
	ASSERT_EQ(0, ret) {
		TH_LOG("set WSE_EXPECT_MESH=WxH (environment or kernel command line)");
	}
	ASSERT_EQ(w, self->info.mesh_width);
	ASSERT_EQ(h, self->info.mesh_height);
}

/* SRAM per PE: 48 KiB unless the runner says otherwise; 4 KiB multiple. */
TEST_F(info, sram_per_pe)
{
	const char *want = getenv("WSE_EXPECT_SRAM");

	ASSERT_EQ(0, self->info.sram_bytes % 4096);
	ASSERT_EQ(want ? strtoul(want, NULL, 0) : 48 * 1024,
		  self->info.sram_bytes);
}

/* Register interface 1.x; queues present; no capability we do not know. */
TEST_F(info, versions_and_caps)
{
	ASSERT_EQ(1, self->info.hw_version >> 16);
	ASSERT_NE(0, self->info.fw_version);
	ASSERT_TRUE(self->info.caps & DRM_WSE_CAP_QUEUES);
	ASSERT_EQ(0, self->info.caps & ~WST_KNOWN_CAPS);
}

/* Limits are usable: at least one queue, windows page sized, copies fit. */
TEST_F(info, limits)
{
	ASSERT_LE(1, self->info.num_queues);
	ASSERT_GE(64, self->info.num_queues);
	ASSERT_GE(64, self->info.num_windows);
	if (self->info.caps & DRM_WSE_CAP_WINDOWS) {
		ASSERT_LE(1, self->info.num_windows);
		ASSERT_EQ(0, self->info.window_size % 4096);
		ASSERT_LE(4096, self->info.window_size);
	}
	ASSERT_LE(4096, self->info.max_xfer);
	ASSERT_LE(4096, self->info.max_image);
}

/* Two calls and two files see the same answer. */
TEST_F(info, stable)
{
	struct drm_wse_info again;
	int fd;

	ASSERT_EQ(0, wst_get_info(self->fd, &again));
	ASSERT_EQ(0, memcmp(&self->info, &again, sizeof(again)));
	fd = wst_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, wst_get_info(fd, &again));
	ASSERT_EQ(0, memcmp(&self->info, &again, sizeof(again)));
	ASSERT_EQ(0, close(fd));
}

/* Unknown flags are refused. */
TEST_F(info, flags_refused)
{
	struct drm_wse_info args = { .flags = 1 };

	ASSERT_EQ(-EINVAL, wst_ioctl(self->fd, DRM_IOCTL_WSE_GET_INFO, &args));
	args.flags = 0x80000000;
	ASSERT_EQ(-EINVAL, wst_ioctl(self->fd, DRM_IOCTL_WSE_GET_INFO, &args));
	/* Refused requests fill nothing in. */
	ASSERT_EQ(0, args.mesh_width);
}

/* A non-zero pad is refused. */
TEST_F(info, pad_refused)
{
	struct drm_wse_info args = { .pad = 1 };

	ASSERT_EQ(-EINVAL, wst_ioctl(self->fd, DRM_IOCTL_WSE_GET_INFO, &args));
	ASSERT_EQ(0, args.mesh_width);
}

/* A bad pointer is -EFAULT, not a crash. */
TEST_F(info, bad_pointer)
{
	ASSERT_EQ(-EFAULT, wst_ioctl(self->fd, DRM_IOCTL_WSE_GET_INFO, NULL));
	ASSERT_EQ(-EFAULT, wst_ioctl(self->fd, DRM_IOCTL_WSE_GET_INFO,
				     (void *)8));
}

TEST_HARNESS_MAIN
