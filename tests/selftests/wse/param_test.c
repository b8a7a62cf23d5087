// SPDX-License-Identifier: GPL-2.0
/*
 * DRM_IOCTL_WSE_GET_PARAM: every parameter agrees with where else the same
 * value shows (GET_INFO, DRM_IOCTL_VERSION, sysfs, the module parameter);
 * unknown parameters and flags are -EINVAL so programs can probe.
 */
#include "../kselftest_harness.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "wse_util.h"

static int get_param(int fd, uint32_t param, uint64_t *value)
{
	struct drm_wse_get_param args = { .param = param };
	int ret = wst_ioctl(fd, DRM_IOCTL_WSE_GET_PARAM, &args);

	*value = args.value;
	return ret;
}

FIXTURE(param)
{
	int fd;
	struct drm_wse_info info;
};

FIXTURE_SETUP(param)
{
	self->fd = wst_open();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, wst_get_info(self->fd, &self->info));
}

FIXTURE_TEARDOWN(param)
{
	close(self->fd);
}

TEST_F(param, device_values_match_get_info)
{
	const struct {
		uint32_t param;
		uint64_t want;
	} t[] = {
		{ DRM_WSE_PARAM_MESH_WIDTH, self->info.mesh_width },
		{ DRM_WSE_PARAM_MESH_HEIGHT, self->info.mesh_height },
		{ DRM_WSE_PARAM_SRAM_BYTES, self->info.sram_bytes },
		{ DRM_WSE_PARAM_NUM_QUEUES, self->info.num_queues },
		{ DRM_WSE_PARAM_NUM_WINDOWS, self->info.num_windows },
		{ DRM_WSE_PARAM_WINDOW_SIZE, self->info.window_size },
		{ DRM_WSE_PARAM_MAX_XFER, self->info.max_xfer },
		{ DRM_WSE_PARAM_MAX_IMAGE, self->info.max_image },
		{ DRM_WSE_PARAM_HW_VERSION, self->info.hw_version },
		{ DRM_WSE_PARAM_FW_VERSION, self->info.fw_version },
		{ DRM_WSE_PARAM_DEVICE_CAPS, self->info.caps },
		{ DRM_WSE_PARAM_MAX_CMDS, DRM_WSE_MAX_CMDS },
	};
	uint64_t v;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		ASSERT_EQ(0, get_param(self->fd, t[i].param, &v));
		EXPECT_EQ(t[i].want, v) TH_LOG("parameter %u", t[i].param);
	}
}

TEST_F(param, driver_values)
{
	struct drm_version ver = { 0 };
	char buf[64];
	uint64_t v, sysfs;

	ASSERT_EQ(0, wst_ioctl(self->fd, DRM_IOCTL_VERSION, &ver));
	ASSERT_EQ(0, get_param(self->fd, DRM_WSE_PARAM_DRIVER_VERSION, &v));
	EXPECT_EQ((uint64_t)ver.version_major << 16 | ver.version_minor << 8 |
		  ver.version_patchlevel, v);
	EXPECT_LE(1, ver.version_minor);

	ASSERT_EQ(0, get_param(self->fd, DRM_WSE_PARAM_DRIVER_CAPS, &v));
	EXPECT_EQ(DRM_WSE_DRIVER_CAP_IN_FENCE | DRM_WSE_DRIVER_CAP_TIMELINE |
		  DRM_WSE_DRIVER_CAP_FDINFO | DRM_WSE_DRIVER_CAP_USERPTR |
		  DRM_WSE_DRIVER_CAP_SUBMIT_ENDED, v);

	ASSERT_EQ(0, get_param(self->fd, DRM_WSE_PARAM_MAX_JOBS, &v));
	EXPECT_EQ(1024, v);
	ASSERT_EQ(0, get_param(self->fd, DRM_WSE_PARAM_MAX_BO_SIZE, &v));
	EXPECT_EQ(1ull << 30, v);

	ASSERT_EQ(0, wst_read_line("/sys/module/wse/parameters/timeout_ms",
				   buf, sizeof(buf)));
	ASSERT_EQ(0, get_param(self->fd, DRM_WSE_PARAM_DEFAULT_TIMEOUT_MS, &v));
	EXPECT_EQ(strtoull(buf, NULL, 0), v);

	ASSERT_EQ(0, wst_sysfs_u64("resets", &sysfs));
	ASSERT_EQ(0, get_param(self->fd, DRM_WSE_PARAM_RESETS, &v));
	EXPECT_EQ(sysfs, v);
}

/* Probing: an unknown parameter or any flag is -EINVAL, nothing written. */
TEST_F(param, unknown_and_flags)
{
	struct drm_wse_get_param args = { .param = 0xffff, .value = 0x5a5a };

	EXPECT_EQ(-EINVAL, wst_ioctl(self->fd, DRM_IOCTL_WSE_GET_PARAM, &args));
	EXPECT_EQ(-EINVAL, (args.param = DRM_WSE_PARAM_RESETS + 1,
			    wst_ioctl(self->fd, DRM_IOCTL_WSE_GET_PARAM, &args)));
	args.param = DRM_WSE_PARAM_MESH_WIDTH;
	args.flags = 1;
	EXPECT_EQ(-EINVAL, wst_ioctl(self->fd, DRM_IOCTL_WSE_GET_PARAM, &args));
	EXPECT_EQ(-EFAULT, wst_ioctl(self->fd, DRM_IOCTL_WSE_GET_PARAM, NULL));
}

TEST_HARNESS_MAIN
