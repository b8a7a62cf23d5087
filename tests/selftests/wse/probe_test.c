// SPDX-License-Identifier: GPL-2.0
/*
 * wse probe: after `modprobe wse` the device node and its sysfs entries
 * exist, the node opens, and DRM says it is driven by wse.
 */
#include "../kselftest_harness.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "wse_util.h"

static unsigned long read_hex(struct __test_metadata *_metadata,
			      const char *dir, const char *attr)
{
	char path[PATH_MAX], line[64];

	snprintf(path, sizeof(path), "%s/%s", dir, attr);
	ASSERT_EQ(0, wst_read_line(path, line, sizeof(line))) {
		TH_LOG("cannot read %s", path);
	}
	return strtoul(line, NULL, 16);
}

/* The module is loaded and live. */
TEST(module_live)
{
	char state[32];

	ASSERT_EQ(0, wst_read_line("/sys/module/" WST_MODULE "/initstate",
				   state, sizeof(state)));
	ASSERT_STREQ("live", state);
}

/* The node is an accel character device. */
TEST(node_exists)
{
	struct stat st;

	ASSERT_EQ(0, stat(wst_node(), &st)) {
		TH_LOG("%s: %s", wst_node(), strerror(errno));
	}
	ASSERT_TRUE(S_ISCHR(st.st_mode));
	ASSERT_EQ(WST_ACCEL_MAJOR, major(st.st_rdev));
}

/* Open and close, nothing else. */
TEST(open_close)
{
	int fd = wst_open();

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, close(fd));
}

/* Two opens at once are two contexts; both work. */
TEST(open_twice)
{
	struct drm_wse_info a, b;
	int fd0, fd1;

	fd0 = wst_open();
	ASSERT_LE(0, fd0);
	fd1 = wst_open();
	ASSERT_LE(0, fd1);
	ASSERT_EQ(0, wst_get_info(fd0, &a));
	ASSERT_EQ(0, wst_get_info(fd1, &b));
	ASSERT_EQ(0, memcmp(&a, &b, sizeof(a)));
	ASSERT_EQ(0, close(fd1));
	ASSERT_EQ(0, close(fd0));
}

/* DRM_IOCTL_VERSION names the driver wse. */
TEST(driver_name)
{
	char name[64] = "", date[64] = "", desc[256] = "";
	struct drm_version v = {
		.name = name, .name_len = sizeof(name) - 1,
		.date = date, .date_len = sizeof(date) - 1,
		.desc = desc, .desc_len = sizeof(desc) - 1,
	};
	int fd = wst_open();

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, wst_ioctl(fd, DRM_IOCTL_VERSION, &v));
	ASSERT_EQ(strlen(WST_DRIVER), v.name_len);
	ASSERT_STREQ(WST_DRIVER, name);
	ASSERT_EQ(0, close(fd));
}

/* The node's parent is our PCI device, bound to the wse driver. */
TEST(sysfs_pci_device)
{
	const char *dev = wst_sysfs_device();
	char path[PATH_MAX], link[PATH_MAX];
	ssize_t n;

	ASSERT_EQ(WST_PCI_VENDOR, read_hex(_metadata, dev, "vendor"));
	ASSERT_EQ(WST_PCI_DEVICE, read_hex(_metadata, dev, "device"));
	/* PCI class 0x12: processing accelerator */
	ASSERT_EQ(0x120000, read_hex(_metadata, dev, "class") & 0xffff00);

	snprintf(path, sizeof(path), "%s/driver", dev);
	n = readlink(path, link, sizeof(link) - 1);
	ASSERT_LT(0, n);
	link[n] = '\0';
	ASSERT_STREQ(WST_MODULE, basename(link));
}

/* The driver's attributes on the PCI device say what GET_INFO says. */
TEST(sysfs_attributes)
{
	static const char *const names[] = {
		"mesh_width", "mesh_height", "sram_bytes", "num_queues",
	};
	const char *dev = wst_sysfs_device();
	char path[PATH_MAX], line[64], want[64];
	struct drm_wse_info info;
	unsigned int values[4], i;
	int fd = wst_open();

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, wst_get_info(fd, &info));
	ASSERT_EQ(0, close(fd));
	values[0] = info.mesh_width;
	values[1] = info.mesh_height;
	values[2] = info.sram_bytes;
	values[3] = info.num_queues;
	for (i = 0; i < WST_ARRAY_SIZE(names); i++) {
		snprintf(path, sizeof(path), "%s/%s", dev, names[i]);
		ASSERT_EQ(0, wst_read_line(path, line, sizeof(line))) {
			TH_LOG("cannot read %s", path);
		}
		snprintf(want, sizeof(want), "%u", values[i]);
		ASSERT_STREQ(want, line);
	}
	snprintf(path, sizeof(path), "%s/hw_version", dev);
	ASSERT_EQ(0, wst_read_line(path, line, sizeof(line)));
	snprintf(want, sizeof(want), "%u.%u", info.hw_version >> 16,
		 info.hw_version & 0xffff);
	ASSERT_STREQ(want, line);
}

/* The accel class entry carries the node's dev_t. */
TEST(sysfs_accel_entry)
{
	char path[PATH_MAX], want[32], line[32];
	const char *slash = strrchr(wst_node(), '/');
	struct stat st;

	ASSERT_EQ(0, stat(wst_node(), &st));
	snprintf(path, sizeof(path), "/sys/class/accel/%s/dev",
		 slash ? slash + 1 : wst_node());
	ASSERT_EQ(0, wst_read_line(path, line, sizeof(line)));
	snprintf(want, sizeof(want), "%u:%u", major(st.st_rdev),
		 minor(st.st_rdev));
	ASSERT_STREQ(want, line);
}

TEST_HARNESS_MAIN
