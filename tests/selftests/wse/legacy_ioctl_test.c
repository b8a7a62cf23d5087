// SPDX-License-Identifier: GPL-2.0
/*
 * wse legacy ioctls: the DRM core ioctls that assume a DRM master, which
 * accel files never have, must be refused without an oops. On Debian's
 * 6.12 kernel DRM_IOCTL_GET_UNIQUE (libdrm's drmGetBusid) and
 * DRM_IOCTL_GET_MAGIC dereference that missing master. wse lets through
 * only the core ioctls an accel user needs (version, caps, GEM close,
 * PRIME, syncobjs) and refuses the rest with -EOPNOTSUPP before the core
 * sees them.
 */
#include "../kselftest_harness.h"

#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "wse_util.h"

/* What wse answers for core ioctls that make no sense on an accel node. */
#define WST_LEGACY_ERR		(-EOPNOTSUPP)

#define WST_BAD_TAINT		(WST_TAINT_DIE | WST_TAINT_WARN)

FIXTURE(legacy)
{
	int fd;
	unsigned long tainted;	/* at setup */
};

FIXTURE_SETUP(legacy)
{
	self->tainted = wst_tainted();
	self->fd = wst_open();
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(legacy)
{
	ASSERT_EQ(0, close(self->fd));
	/* No oops and no warning since setup. */
	ASSERT_EQ(self->tainted & WST_BAD_TAINT, wst_tainted() & WST_BAD_TAINT);
}

/* The file still answers GET_INFO and runs a NOP. */
static void assert_device_works(struct __test_metadata *_metadata, int fd)
{
	struct drm_wse_cmd cmd = { .op = DRM_WSE_OP_NOP };
	struct drm_wse_info info;
	struct drm_wse_wait res;

	ASSERT_EQ(0, wst_get_info(fd, &info));
	ASSERT_EQ(0, wst_run(fd, &cmd, 1, &res));
}

/* GET_UNIQUE (drmGetBusid) is refused. */
TEST_F(legacy, get_unique_refused)
{
	char buf[64] = "";
	struct drm_unique u = { .unique_len = sizeof(buf), .unique = buf };

	ASSERT_EQ(WST_LEGACY_ERR, wst_ioctl(self->fd, DRM_IOCTL_GET_UNIQUE, &u));
	ASSERT_EQ(WST_LEGACY_ERR, wst_ioctl(self->fd, DRM_IOCTL_GET_UNIQUE, NULL));
	assert_device_works(_metadata, self->fd);
}

/* GET_MAGIC is refused. */
TEST_F(legacy, get_magic_refused)
{
	struct drm_auth auth = { 0 };

	ASSERT_EQ(WST_LEGACY_ERR, wst_ioctl(self->fd, DRM_IOCTL_GET_MAGIC, &auth));
	ASSERT_EQ(0, auth.magic);
	assert_device_works(_metadata, self->fd);
}

/* Master ioctls are refused like the other legacy ones. */
TEST_F(legacy, master_ioctls_refused)
{
	struct drm_auth auth = { .magic = 1 };

	ASSERT_EQ(WST_LEGACY_ERR, wst_ioctl(self->fd, DRM_IOCTL_AUTH_MAGIC, &auth));
	ASSERT_EQ(WST_LEGACY_ERR, wst_ioctl(self->fd, DRM_IOCTL_SET_MASTER, NULL));
	ASSERT_EQ(WST_LEGACY_ERR, wst_ioctl(self->fd, DRM_IOCTL_DROP_MASTER, NULL));
	assert_device_works(_metadata, self->fd);
}

/* Ioctls of other subsystems (a tty's, from isatty()) are -ENOTTY. */
TEST_F(legacy, foreign_ioctls_enotty)
{
	struct termios t;

	ASSERT_EQ(-ENOTTY, wst_ioctl(self->fd, TCGETS, &t));
	errno = 0;
	ASSERT_EQ(0, isatty(self->fd));
	ASSERT_EQ(ENOTTY, errno);
}

/* The core ioctls an accel file may use: version, caps, GEM, syncobjs. */
static const unsigned long allowed_core_ioctls[] = {
	DRM_IOCTL_VERSION, DRM_IOCTL_GET_CAP, DRM_IOCTL_GEM_CLOSE,
	DRM_IOCTL_PRIME_HANDLE_TO_FD, DRM_IOCTL_PRIME_FD_TO_HANDLE,
	DRM_IOCTL_SYNCOBJ_CREATE, DRM_IOCTL_SYNCOBJ_DESTROY,
	DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE,
	DRM_IOCTL_SYNCOBJ_WAIT, DRM_IOCTL_SYNCOBJ_RESET,
	DRM_IOCTL_SYNCOBJ_SIGNAL, DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT,
	DRM_IOCTL_SYNCOBJ_QUERY, DRM_IOCTL_SYNCOBJ_TRANSFER,
	DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, DRM_IOCTL_SYNCOBJ_EVENTFD,
};

static bool core_ioctl_allowed(unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < WST_ARRAY_SIZE(allowed_core_ioctls); i++)
		if (_IOC_NR(allowed_core_ioctls[i]) == nr)
			return true;
	return false;
}

/*
 * Every DRM core ioctl number, with zeroed arguments, from a file that has
 * a region and a buffer: all but the allowed ones are -EOPNOTSUPP; none
 * oopses (the test would die) or warns (teardown checks the taint), and
 * the file keeps working.
 */
TEST_F(legacy, core_ioctl_sweep)
{
	unsigned char arg[256];
	struct drm_wse_region r;
	unsigned int nr, refused = 0;
	uint32_t handle;
	void *map;
	int ret;

	ASSERT_EQ(0, wst_region_alloc(self->fd, 1, 1, &r));
	ASSERT_EQ(0, wst_bo_new(self->fd, 4096, &handle, &map));
	for (nr = 0; nr < 0x100; nr++) {
		if (nr >= DRM_COMMAND_BASE && nr < DRM_COMMAND_END)
			continue;
		memset(arg, 0, sizeof(arg));
		ret = wst_ioctl(self->fd, DRM_IOWR(nr, arg), arg);
		if (core_ioctl_allowed(nr))
			continue;
		ASSERT_EQ(WST_LEGACY_ERR, ret) {
			TH_LOG("core ioctl %#x answered %d", nr, ret);
		}
		refused++;
	}
	ASSERT_LT(100, refused);
	assert_device_works(_metadata, self->fd);
}

TEST_HARNESS_MAIN
