// SPDX-License-Identifier: GPL-2.0
/*
 * Telemetry in sysfs: every documented attribute is there; a known
 * sequence of jobs moves each counter by exactly what it did; counters
 * never go backwards, also across a device reset, which clears the
 * device's own counters.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "ras_kernels.h"
#include "ras_util.h"

static int read_all(uint64_t *v)
{
	unsigned int i;
	int ret;

	for (i = 0; i < WST_NR_COUNTERS; i++) {
		ret = wst_sysfs_u64(wst_counters[i], &v[i]);
		if (ret)
			return ret;
	}
	return 0;
}

/* Identity attributes say what GET_INFO says. */
TEST(identity_attributes)
{
	struct { const char *name; uint64_t want; } attrs[] = {
		{ "mesh_width", 0 }, { "mesh_height", 0 }, { "sram_bytes", 0 },
		{ "num_queues", 0 }, { "num_windows", 0 }, { "window_size", 0 },
	};
	struct drm_wse_info info;
	char path[PATH_MAX], line[64], want[64];
	uint64_t v;
	unsigned int i;
	int fd;

	fd = wst_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, wst_get_info(fd, &info));
	ASSERT_EQ(0, close(fd));
	attrs[0].want = info.mesh_width;
	attrs[1].want = info.mesh_height;
	attrs[2].want = info.sram_bytes;
	attrs[3].want = info.num_queues;
	attrs[4].want = info.num_windows;
	attrs[5].want = info.window_size;
	for (i = 0; i < WST_ARRAY_SIZE(attrs); i++) {
		v = ~0ull;
		if (wst_sysfs_u64(attrs[i].name, &v) || v != attrs[i].want)
			TH_LOG("%s: %llu, want %llu", attrs[i].name,
			       (unsigned long long)v,
			       (unsigned long long)attrs[i].want);
		ASSERT_EQ(attrs[i].want, v);
	}
	snprintf(path, sizeof(path), "%s/fw_version", wst_sysfs_device());
	ASSERT_EQ(0, wst_read_line(path, line, sizeof(line)));
	snprintf(want, sizeof(want), "%u.%u", info.fw_version >> 16,
		 info.fw_version & 0xffff);
	ASSERT_STREQ(want, line);
	for (i = 0; i < WST_NR_COUNTERS; i++) {
		int ret = wst_sysfs_u64(wst_counters[i], &v);

		if (ret)
			TH_LOG("cannot read %s", wst_counters[i]);
		ASSERT_EQ(0, ret);
	}
	/* device_reset is root's, and write-only. */
	snprintf(path, sizeof(path), "%s/device_reset", wst_sysfs_device());
	ASSERT_TRUE(wst_exists(path));
	ASSERT_NE(0, wst_read_line(path, line, sizeof(line)));
}

static int slurp(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return -errno;
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
	return 0;
}

/* debugfs shows our queue, region, window and job by our pid. */
TEST(debugfs_views)
{
	struct drm_wse_cmd nop = { .op = DRM_WSE_OP_NOP };
	char dir[PATH_MAX / 2], path[PATH_MAX], want[PATH_MAX];
	static char buf[65536];
	struct drm_wse_window_create w;
	struct drm_wse_region r;
	struct drm_wse_wait res;
	int fd;

	ASSERT_NE(NULL, ras_pci_addr());
	snprintf(dir, sizeof(dir), "/sys/kernel/debug/accel/%s", ras_pci_addr());
	if (!wst_exists(dir))
		SKIP(return, "debugfs shows no directory for the device");
	fd = wst_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, wst_region_alloc(fd, 1, 1, &r));
	ASSERT_EQ(0, ras_window_create(fd, 0, 0, RAS_PAGE, 2 * RAS_PAGE, 0, &w));
	ASSERT_EQ(0, wst_run(fd, &nop, 1, &res));

	snprintf(path, sizeof(path), "%s/clients", dir);
	ASSERT_EQ(0, slurp(path, buf, sizeof(buf)));
	snprintf(want, sizeof(want), "pid %d queue ", getpid());
	ASSERT_NE(NULL, strstr(buf, want)) {
		TH_LOG("%s", buf);
	}
	snprintf(want, sizeof(want), "1x1@%u,%u next_job 2", r.x, r.y);
	ASSERT_NE(NULL, strstr(buf, want)) {
		TH_LOG("%s", buf);
	}

	snprintf(path, sizeof(path), "%s/windows", dir);
	ASSERT_EQ(0, slurp(path, buf, sizeof(buf)));
	snprintf(want, sizeof(want), " %d %u,%u 0x1000 0x2000 rw", getpid(), r.x, r.y);
	ASSERT_NE(NULL, strstr(buf, want)) {
		TH_LOG("%s", buf);
	}

	snprintf(path, sizeof(path), "%s/queues", dir);
	ASSERT_EQ(0, slurp(path, buf, sizeof(buf)));
	ASSERT_NE(NULL, strstr(buf, "hw_status busy error")) {
		TH_LOG("%s", buf);
	}
	snprintf(want, sizeof(want), " %d       1      0 1x1@%u,%u ", getpid(), r.x, r.y);
	ASSERT_NE(NULL, strstr(buf, want)) {
		TH_LOG("%s", buf);
	}
	ASSERT_EQ(0, close(fd));
}

FIXTURE(tel)
{
	int fd;
	struct drm_wse_region region;
	uint32_t bo;
	void *map;
};

FIXTURE_SETUP(tel)
{
	struct drm_wse_info info;

	self->fd = wst_open();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, wst_get_info(self->fd, &info));
	if (!(info.caps & DRM_WSE_CAP_KERNELS))
		SKIP(return, "the device runs no kernels");
	ASSERT_EQ(0, wst_region_alloc(self->fd, 2, 1, &self->region));
	ASSERT_EQ(0, wst_bo_new(self->fd, 4 * RAS_PAGE + sizeof(ras_image),
				&self->bo, &self->map));
}

FIXTURE_TEARDOWN(tel)
{
	ASSERT_EQ(0, close(self->fd));
}

/* A known sequence moves every counter by exactly what it did. */
TEST_F(tel, exact_deltas)
{
	const uint32_t nops = 5, k = 3 * RAS_PAGE;
	uint64_t before[WST_NR_COUNTERS], after[WST_NR_COUNTERS];
	uint64_t want[WST_NR_COUNTERS];
	struct drm_wse_cmd cmd;
	struct drm_wse_wait res;
	uint64_t cycles;
	unsigned int i;

	memcpy((char *)self->map + 4 * RAS_PAGE, ras_image, sizeof(ras_image));
	wst_fill_random(self->map, k, 61);
	ASSERT_EQ(0, read_all(before));
	memcpy(want, before, sizeof(want));

	/* nops jobs of one NOP each */
	cmd = (struct drm_wse_cmd){ .op = DRM_WSE_OP_NOP };
	for (i = 0; i < nops; i++)
		ASSERT_EQ(0, wst_run(self->fd, &cmd, 1, &res));
	want[WST_JOBS_SUBMITTED] += nops;
	want[WST_JOBS_COMPLETED] += nops;
	want[WST_CMDS_DONE] += nops;

	/* a WRITE and a READ of k bytes, one job */
	{
		struct drm_wse_cmd rw[2] = {
			ras_sram_cmd(DRM_WSE_OP_WRITE, self->bo, 0, 0, 0, k),
			ras_sram_cmd(DRM_WSE_OP_READ, self->bo, 1, 0, 0, k),
		};

		ASSERT_EQ(0, wst_run(self->fd, rw, 2, &res));
	}
	want[WST_JOBS_SUBMITTED]++;
	want[WST_JOBS_COMPLETED]++;
	want[WST_CMDS_DONE] += 2;
	want[WST_BYTES_TO] += k;
	want[WST_BYTES_FROM] += k;

	/* a LOAD of the image */
	cmd = (struct drm_wse_cmd){ .op = DRM_WSE_OP_LOAD, .handle = self->bo,
				    .offset = 4 * RAS_PAGE,
				    .length = sizeof(ras_image) };
	ASSERT_EQ(0, wst_run(self->fd, &cmd, 1, &res));
	want[WST_JOBS_SUBMITTED]++;
	want[WST_JOBS_COMPLETED]++;
	want[WST_CMDS_DONE]++;
	want[WST_BYTES_TO] += sizeof(ras_image);
	want[WST_LOADS]++;

	/* a LAUNCH that halts */
	cmd = wst_launch_cmd(RAS_FN_QUICK, 0, 0, 0);
	ASSERT_EQ(0, wst_run(self->fd, &cmd, 1, &res));
	cycles = res.cycles;
	ASSERT_LT(0, cycles);
	want[WST_JOBS_SUBMITTED]++;
	want[WST_JOBS_COMPLETED]++;
	want[WST_CMDS_DONE]++;
	want[WST_LAUNCHES]++;
	want[WST_CYCLES] += cycles;

	/* a LAUNCH that faults */
	cmd = wst_launch_cmd(RAS_FN_FAULT, 0, 0, 0);
	ASSERT_EQ(-EFAULT, wst_run(self->fd, &cmd, 1, &res));
	want[WST_JOBS_SUBMITTED]++;
	want[WST_JOBS_FAILED]++;
	want[WST_CMDS_DONE]++;
	want[WST_CMDS_FAILED]++;
	want[WST_LAUNCHES]++;
	want[WST_CYCLES] += res.cycles;
	want[WST_PE_FAULTS]++;

	/* a job the driver refuses counts nowhere */
	cmd = (struct drm_wse_cmd){ .op = 0x77 };
	ASSERT_EQ(-EINVAL, wst_run(self->fd, &cmd, 1, &res));

	ASSERT_EQ(0, read_all(after));
	for (i = 0; i < WST_NR_COUNTERS; i++) {
		if (want[i] != after[i])
			TH_LOG("%s: %llu -> %llu, want %llu", wst_counters[i],
			       (unsigned long long)before[i],
			       (unsigned long long)after[i],
			       (unsigned long long)want[i]);
		EXPECT_EQ(want[i], after[i]);
	}
}

/* Totals survive a reset, which clears the device's counters. */
TEST_F(tel, monotonic_across_reset)
{
	uint64_t before[WST_NR_COUNTERS], after[WST_NR_COUNTERS];
	struct drm_wse_cmd cmd = ras_sram_cmd(DRM_WSE_OP_WRITE, self->bo, 0, 0,
					      0, RAS_PAGE);
	struct drm_wse_wait res;
	unsigned int i;

	if (geteuid())
		SKIP(return, "resets need root");
	ASSERT_EQ(0, wst_run(self->fd, &cmd, 1, &res));
	ASSERT_EQ(0, read_all(before));
	ASSERT_LT(0, before[WST_BYTES_TO]);
	ASSERT_EQ(0, ras_reset(self->fd, NULL));
	ASSERT_EQ(0, read_all(after));
	for (i = 0; i < WST_NR_COUNTERS; i++) {
		if (before[i] > after[i])
			TH_LOG("%s went back", wst_counters[i]);
		ASSERT_LE(before[i], after[i]);
	}
	ASSERT_EQ(before[WST_RESETS] + 1, after[WST_RESETS]);
	ASSERT_EQ(before[WST_BYTES_TO], after[WST_BYTES_TO]);
	ASSERT_EQ(before[WST_CMDS_DONE], after[WST_CMDS_DONE]);

	/* And they count on from there. */
	cmd.op = DRM_WSE_OP_NOP;
	cmd.handle = 0;
	cmd.length = 0;
	cmd.sram = (struct drm_wse_cmd_sram){ 0 };
	{
		int fd = wst_open();

		ASSERT_LE(0, fd);
		ASSERT_EQ(0, wst_run(fd, &cmd, 1, &res));
		ASSERT_EQ(0, close(fd));
	}
	ASSERT_EQ(0, read_all(after));
	ASSERT_EQ(before[WST_CMDS_DONE] + 1, after[WST_CMDS_DONE]);
}

TEST_HARNESS_MAIN
