// SPDX-License-Identifier: GPL-2.0
/*
 * The device goes away under a busy file: an open file with a region, a
 * mapped window and a kernel running. It goes by the PCI core's remove
 * attribute (then rescan), and by a QEMU device_del asked of the VM's
 * host (then device_add). Every later ioctl is -ENODEV, the mapping
 * raises SIGBUS, close() works, the kernel neither oopses nor warns, and
 * the device comes back working. Module unload is refused while a file
 * or a mapping is left, and works after.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "ras_kernels.h"
#include "ras_util.h"

enum unplug_kind { UNPLUG_SYSFS, UNPLUG_QEMU };

static int delete_module(const char *name)
{
	return syscall(SYS_delete_module, name, O_NONBLOCK) ? -errno : 0;
}

/* Unloading is refused while a file or a window mapping is left. */
TEST(rmmod_refused_while_used)
{
	struct drm_wse_window_create w;
	struct drm_wse_region r;
	void *map;
	int fd;

	if (geteuid())
		SKIP(return, "needs root");
	fd = wst_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, wst_region_alloc(fd, 1, 1, &r));
	ASSERT_EQ(0, ras_window_map(fd, 0, 0, 0, RAS_PAGE, 0,
				    PROT_READ | PROT_WRITE, &w, &map));
	ASSERT_EQ(-EWOULDBLOCK, delete_module(WST_MODULE));
	/* The mapping holds the file, and the file the module. */
	ASSERT_EQ(0, close(fd));
	ASSERT_EQ(-EWOULDBLOCK, delete_module(WST_MODULE));
	ASSERT_EQ(0, ras_touch(map, true, 3, NULL));
	ASSERT_EQ(0, munmap(map, RAS_PAGE));
	ASSERT_EQ(0, delete_module(WST_MODULE));
	ASSERT_EQ(0, ras_wait_path(wst_node(), false, 10000));
	ASSERT_EQ(0, ras_run("modprobe", WST_MODULE));
	ASSERT_EQ(0, ras_wait_path(wst_node(), true, 30000));
	fd = wst_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, close(fd));
}

FIXTURE(unplug)
{
	int fd;
	char addr[64];
	struct drm_wse_window_create win;
	uint32_t *win_map;
	uint64_t spin;
	unsigned long taint;
};

FIXTURE_VARIANT(unplug)
{
	enum unplug_kind kind;
};

FIXTURE_VARIANT_ADD(unplug, sysfs_remove)
{
	.kind = UNPLUG_SYSFS,
};

FIXTURE_VARIANT_ADD(unplug, qemu_device_del)
{
	.kind = UNPLUG_QEMU,
};

FIXTURE_SETUP(unplug)
{
	struct drm_wse_region r;

	self->fd = -1;
	if (geteuid())
		SKIP(return, "needs root");
	if (variant->kind == UNPLUG_QEMU && !ras_in_test_vm())
		SKIP(return, "QEMU's device_del needs the wse test VM's host");
	ASSERT_NE(NULL, ras_pci_addr());
	snprintf(self->addr, sizeof(self->addr), "%s", ras_pci_addr());
	self->taint = wst_tainted() & (WST_TAINT_DIE | WST_TAINT_WARN);
	self->fd = wst_open();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, wst_region_alloc(self->fd, 1, 1, &r));
	ASSERT_EQ(0, ras_load_image(self->fd, ras_image, sizeof(ras_image)));
	ASSERT_EQ(0, ras_window_map(self->fd, 0, 0, 0, RAS_PAGE, 0,
				    PROT_READ | PROT_WRITE, &self->win,
				    (void **)&self->win_map));
	self->win_map[5] = 5;
	ASSERT_EQ(0, ras_spin_start(self->fd, &self->spin));
}

FIXTURE_TEARDOWN(unplug)
{
	if (self->win_map)
		munmap(self->win_map, RAS_PAGE);
	if (self->fd >= 0)
		ASSERT_EQ(0, close(self->fd));
}

static int unplug(enum unplug_kind kind, const char *addr)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s", addr);
	if (kind == UNPLUG_SYSFS) {
		strcat(path, "/remove");
		return ras_write_file(path, "1");
	}
	/* pciehp removes it after the attention button's 5 s. */
	ras_host_request("device_del wse0");
	return ras_wait_path(path, false, 60000);
}

static int replug(enum unplug_kind kind)
{
	char request[128];
	uint32_t w, h;
	int ret;

	if (kind == UNPLUG_SYSFS) {
		ret = ras_write_file("/sys/bus/pci/rescan", "1");
	} else {
		ret = wst_expect_mesh(&w, &h);
		if (ret)
			return ret;
		snprintf(request, sizeof(request),
			 "device_add wse0 bus=rp0,mesh-width=%u,mesh-height=%u",
			 w, h);
		ras_host_request(request);
	}
	return ret ?: ras_wait_path(wst_node(), true, 60000);
}

TEST_F_TIMEOUT(unplug, busy_device_goes_away, 180)
{
	struct drm_wse_cmd cmd = { .op = DRM_WSE_OP_NOP };
	struct drm_wse_region none = { 0 };
	struct drm_wse_window_create w;
	struct drm_wse_info info;
	struct drm_wse_wait res;
	uint64_t job;
	int fd;

	ASSERT_EQ(-ETIME, ras_wait(self->fd, self->spin, 0, &res));
	ASSERT_EQ(0, unplug(variant->kind, self->addr));
	ASSERT_EQ(0, ras_wait_path(wst_node(), false, 10000));

	/* Everything but close() and munmap() says -ENODEV. */
	ASSERT_EQ(-ENODEV, wst_get_info(self->fd, &info));
	ASSERT_EQ(-ENODEV, wst_submit(self->fd, &cmd, 1, &job));
	ASSERT_EQ(-ENODEV, ras_wait(self->fd, self->spin, -1, &res));
	ASSERT_EQ(-ENODEV, ras_window_create(self->fd, 0, 0, 0, RAS_PAGE, 0, &w));
	ASSERT_EQ(-ENODEV, wst_ioctl(self->fd, DRM_IOCTL_WSE_REGION_FREE, &none));
	ASSERT_EQ(-ENODEV, ras_reset(self->fd, NULL));
	ASSERT_EQ(SIGBUS, ras_touch(&self->win_map[5], false, 0, NULL));
	ASSERT_EQ(SIGBUS, ras_touch(&self->win_map[5], true, 6, NULL));
	ASSERT_EQ(MAP_FAILED, mmap(NULL, RAS_PAGE, PROT_READ, MAP_SHARED,
				   self->fd, self->win.mmap_offset));
	ASSERT_EQ(ENODEV, errno);
	ASSERT_EQ(0, munmap(self->win_map, RAS_PAGE));
	self->win_map = NULL;
	ASSERT_EQ(0, close(self->fd));
	self->fd = -1;
	ASSERT_EQ(self->taint, wst_tainted() & (WST_TAINT_DIE | WST_TAINT_WARN));

	/* Back, and working. */
	ASSERT_EQ(0, replug(variant->kind));
	fd = ras_open_when_ready(60000);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, wst_get_info(fd, &info));
	ASSERT_EQ(0, wst_run(fd, &cmd, 1, &res));
	ASSERT_EQ(0, ras_gemv(fd));
	ASSERT_EQ(0, close(fd));
	ASSERT_STREQ(self->addr, ras_pci_addr());
}

TEST_HARNESS_MAIN
