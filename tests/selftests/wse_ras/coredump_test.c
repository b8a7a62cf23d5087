// SPDX-License-Identifier: GPL-2.0
/*
 * Device coredumps and the debugfs PE view. A kernel fault leaves a
 * devcoredump under /sys/class/devcoredump whose text names the faulting
 * PE, its pc and registers exactly as libwse's wse_task_fault(),
 * wse_pe_dump() and wse_pe_dump_text() report them, and whose binary
 * records are the bytes wse_pe_dump() returns; a hung kernel leaves one
 * at its time limit; writing to data dismisses it; the coredump module
 * parameter turns them off. debugfs pe_dump shows a PE of known state,
 * refuses bad input with -EINVAL and a PE of a busy queue with -EBUSY.
 */
#include "../kselftest_harness.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include <wse/wse.h>

#include "pe-dump.h"
#include "../wse/wse_kernels.h"
#include "ras_util.h"

#define DEVCD		"/sys/class/devcoredump"
#define PARAM		"/sys/module/wse/parameters/coredump"
#define DUMP_MAX	(256 * 1024)
#define HANG_MS		2000
#define BINARY_TAG	"\nbinary: "

/* The devcd directory whose failing_device is our device, or -ENOENT. */
static int devcd_find(char *out, size_t len)
{
	const char *want = ras_pci_addr();
	struct dirent *e;
	int ret = -ENOENT;
	DIR *d;

	if (!want)
		return -ENODEV;
	d = opendir(DEVCD);
	if (!d)
		return -ENOENT;
	while ((e = readdir(d))) {
		char link[PATH_MAX], path[PATH_MAX];
		const char *slash;
		ssize_t n;

		if (strncmp(e->d_name, "devcd", 5))
			continue;
		snprintf(path, sizeof(path), DEVCD "/%s/failing_device", e->d_name);
		n = readlink(path, link, sizeof(link) - 1);
		if (n < 0)
			continue;
		link[n] = '\0';
		slash = strrchr(link, '/');
		if (strcmp(slash ? slash + 1 : link, want))
			continue;
		snprintf(out, len, DEVCD "/%s", e->d_name);
		ret = 0;
		break;
	}
	closedir(d);
	return ret;
}

/* Wait up to @ms for our dump to appear; its directory in @out. */
static int devcd_wait(char *out, size_t len, int ms)
{
	uint64_t end = ras_now_ms() + ms;

	do {
		if (!devcd_find(out, len))
			return 0;
		usleep(20000);
	} while (ras_now_ms() < end);
	return -ETIMEDOUT;
}

/* Dismiss our dump if there is one (an earlier test's), and wait until it is gone. */
static int devcd_dismiss_all(void)
{
	char dir[PATH_MAX / 2], path[PATH_MAX];
	int tries;

	for (tries = 0; tries < 4 && !devcd_find(dir, sizeof(dir)); tries++) {
		snprintf(path, sizeof(path), "%s/data", dir);
		ras_write_file(path, "1");
		if (ras_wait_path(dir, false, 5000))
			return -ETIMEDOUT;
	}
	return devcd_find(dir, sizeof(dir)) ? 0 : -EBUSY;
}

/* Read all of @path into @buf; bytes read or -errno. */
static ssize_t slurp(const char *path, char *buf, size_t len)
{
	size_t at = 0;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (at < len && (n = read(fd, buf + at, len - at)) > 0)
		at += n;
	n = n < 0 ? -errno : (ssize_t)at;
	close(fd);
	return n;
}

/* The text part of a dump, NUL-terminated; the binary records in *bin. */
static size_t dump_split(char *buf, size_t len, const uint8_t **bin,
			 unsigned int *nrec)
{
	char *tag = NULL, *p = buf, *nl;
	unsigned int size = 0;

	while ((p = memmem(p, len - (p - buf), BINARY_TAG, strlen(BINARY_TAG)))) {
		tag = p;
		p += strlen(BINARY_TAG);
	}
	*nrec = 0;
	*bin = NULL;
	if (!tag)
		return 0;
	if (sscanf(tag + strlen(BINARY_TAG), "%u records of %u bytes", nrec,
		   &size) != 2 || size != WAFER_PE_DUMP_V1_SIZE)
		return 0;
	nl = memchr(tag + 1, '\n', len - (tag + 1 - buf));
	if (!nl || (size_t)(nl + 1 - buf) + (size_t)*nrec * size != len)
		return 0;
	*bin = (const uint8_t *)nl + 1;
	*nl = '\0';
	return nl - buf;
}

static int param_set(const char *v)
{
	return ras_write_file(PARAM, v);
}

/* debugfs mounted, and our device's directory in it. */
static int debugfs_dir(char *out, size_t len)
{
	if (!ras_pci_addr())
		return -ENODEV;
	if (!wst_exists("/sys/kernel/debug/accel"))
		mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	snprintf(out, len, "/sys/kernel/debug/accel/%s", ras_pci_addr());
	return wst_exists(out) ? 0 : -ENOENT;
}

FIXTURE(cd)
{
	struct wse_device *dev;
	struct wse_program *prog;
	struct wafer_pe_dump d;
	char text[16384];
	char *dump;
};

FIXTURE_SETUP(cd)
{
	self->dump = malloc(DUMP_MAX);
	ASSERT_NE(NULL, self->dump);
	ASSERT_EQ(0, param_set("1"));
	ASSERT_EQ(0, devcd_dismiss_all());
	ASSERT_EQ(0, wse_device_open(0, &self->dev));
	ASSERT_EQ(0, wse_program_load_mem(self->dev, wse_test_image,
					  sizeof(wse_test_image), &self->prog)) {
		TH_LOG("%s", wse_last_error(self->dev));
	}
}

FIXTURE_TEARDOWN(cd)
{
	param_set("1");
	wse_program_free(self->prog);
	wse_device_close(self->dev);
	devcd_dismiss_all();
	free(self->dump);
}

/* Fault on PE (3,2) through libwse; the fault's PE and pc in *x, *y, *pc. */
static int fault_3_2(struct wse_program *prog, uint32_t *x, uint32_t *y,
		     uint32_t *pc)
{
	struct wse_task *task = NULL;
	int ret;

	ret = wse_launch(prog, "fault", 2, (uint32_t[]){ 3, 2 }, WSE_NONBLOCK,
			 &task);
	if (ret)
		return ret;
	ret = wse_task_wait(task, -1);
	if (ret == -EFAULT)
		ret = wse_task_fault(task, x, y, pc);
	else
		ret = ret ? ret : -EPROTO;
	wse_task_free(task);
	return ret;
}

/*
 * The fault's dump: device, reason, the PE and pc wse_task_fault() gave,
 * the text wse_pe_dump_text() prints for the PE's registers and pc, the
 * record wse_pe_dump() returns byte for byte, and the 4 neighbours.
 */
TEST_F(cd, fault_leaves_devcoredump)
{
	char dir[PATH_MAX / 2], path[PATH_MAX], want[256], *regs, *end;
	uint32_t x = 99, y = 99, pc = 0, i;
	const uint8_t *bin;
	unsigned int nrec;
	ssize_t len;

	ASSERT_EQ(0, fault_3_2(self->prog, &x, &y, &pc));
	ASSERT_EQ(3, x);
	ASSERT_EQ(2, y);
	ASSERT_EQ(0, devcd_wait(dir, sizeof(dir), 10000));
	snprintf(path, sizeof(path), "%s/data", dir);
	len = slurp(path, self->dump, DUMP_MAX);
	ASSERT_LT(0, len);
	ASSERT_LT(0, dump_split(self->dump, len, &bin, &nrec)) {
		TH_LOG("no binary records in %zd bytes", len);
	}
	TH_LOG("devcoredump of %zd bytes, %u records", len, nrec);

	ASSERT_EQ(0, strncmp(self->dump, "wse devcoredump 1\n", 18));
	snprintf(want, sizeof(want), "device: %s accel", ras_pci_addr());
	EXPECT_NE(NULL, strstr(self->dump, want)) TH_LOG("%s", self->dump);
	EXPECT_NE(NULL, strstr(self->dump, "reason: kernel fault\n"));
	snprintf(want, sizeof(want), "context: pid %d\n", getpid());
	EXPECT_NE(NULL, strstr(self->dump, want)) TH_LOG("%s", self->dump);
	EXPECT_NE(NULL, strstr(self->dump, "(LAUNCH)\n")) TH_LOG("%s", self->dump);
	snprintf(want, sizeof(want), "PE (%u,%u) pc 0x%04x\n", x, y, pc);
	EXPECT_NE(NULL, strstr(self->dump, want)) TH_LOG("%s", self->dump);
	/* (3,2) of 4 x 4: itself, west, north, south; east is off the region. */
	EXPECT_NE(NULL, strstr(self->dump, "pes: 4\n"));
	ASSERT_EQ(4, nrec);

	/* What libwse reports for the same PE, now. */
	ASSERT_EQ(WSE_PE_DUMP_SIZE, wse_pe_dump(self->dev, x, y, &self->d,
						sizeof(self->d)));
	EXPECT_EQ(pc, self->d.pc);
	EXPECT_EQ(0, memcmp(bin, &self->d, sizeof(self->d)));
	ASSERT_LT(0, wse_pe_dump_text(&self->d, sizeof(self->d), self->text,
				      sizeof(self->text)));
	snprintf(want, sizeof(want), "PE (%u,%u): halted", x, y);
	EXPECT_NE(NULL, strstr(self->dump, want)) TH_LOG("%s", self->dump);
	/* pc and the word there, as libwse prints it before the disassembly. */
	snprintf(want, sizeof(want), "pc 0x%04x: %016llx", pc,
		 (unsigned long long)self->d.insn);
	EXPECT_NE(NULL, strstr(self->text, want)) TH_LOG("%s", self->text);
	EXPECT_NE(NULL, strstr(self->dump, want)) TH_LOG("%s", self->dump);
	/* The four register lines, verbatim. */
	regs = strstr(self->text, "r0  ");
	ASSERT_NE(NULL, regs);
	end = regs;
	for (i = 0; i < 4 && end; i++)
		end = strchr(end, '\n') ? strchr(end, '\n') + 1 : NULL;
	ASSERT_NE(NULL, end);
	*end = '\0';
	EXPECT_NE(NULL, strstr(self->dump, regs)) TH_LOG("%s\n--\n%s", regs, self->dump);
	EXPECT_EQ(WSE_TEST_SRAM, self->d.r[5]);

	/* The neighbours in the region, in the order W, (E,) N, S after the PE. */
	for (i = 1; i < nrec; i++) {
		static const int dx[] = { 0, -1, 0, 0 }, dy[] = { 0, 0, -1, 1 };
		const struct wafer_pe_dump *n = (const void *)(bin + i * WAFER_PE_DUMP_V1_SIZE);

		EXPECT_EQ(WAFER_PE_DUMP_MAGIC, n->magic);
		EXPECT_EQ(x + dx[i], n->x);
		EXPECT_EQ(y + dy[i], n->y);
		EXPECT_NE(pc, n->pc);
	}

	/* Writing to data dismisses it. */
	ASSERT_EQ(0, ras_write_file(path, "1"));
	ASSERT_EQ(0, ras_wait_path(dir, false, 5000));
	EXPECT_EQ(-ENOENT, devcd_find(dir, sizeof(dir)));
}

/* With coredump=0 a fault leaves none; with 1 again the next one does. */
TEST_F(cd, parameter_disables)
{
	char dir[PATH_MAX / 2];
	uint32_t x, y, pc;

	ASSERT_EQ(0, param_set("0"));
	ASSERT_EQ(0, fault_3_2(self->prog, &x, &y, &pc));
	/* A dump would have come by the time a later job ran on the queue. */
	ASSERT_EQ(WSE_PE_DUMP_SIZE, wse_pe_dump(self->dev, x, y, &self->d,
						sizeof(self->d)));
	EXPECT_EQ(pc, self->d.pc);
	usleep(500000);
	EXPECT_EQ(-ENOENT, devcd_find(dir, sizeof(dir)));

	ASSERT_EQ(0, param_set("1"));
	ASSERT_EQ(0, fault_3_2(self->prog, &x, &y, &pc));
	ASSERT_EQ(0, devcd_wait(dir, sizeof(dir), 10000));
}

/* A kernel that never ends: a dump at its time limit, of the region's first 5 PEs. */
TEST(hang_leaves_devcoredump)
{
	struct drm_wse_cmd cmds[2] = {
		{ .op = DRM_WSE_OP_NOP },
		wst_launch_cmd(WSE_TEST_FN_SPIN, 0, 0, 0),
	};
	char dir[PATH_MAX / 2], path[PATH_MAX], want[128];
	const struct wafer_pe_dump *d;
	struct drm_wse_region r;
	struct drm_wse_wait res;
	const uint8_t *bin;
	unsigned int nrec, i;
	uint64_t job;
	char *dump;
	ssize_t len;
	int fd;

	dump = malloc(DUMP_MAX);
	ASSERT_NE(NULL, dump);
	ASSERT_EQ(0, param_set("1"));
	ASSERT_EQ(0, devcd_dismiss_all());
	fd = wst_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, wst_region_alloc(fd, WSE_TEST_W, WSE_TEST_H, &r));
	ASSERT_EQ(0, ras_load_image(fd, wse_test_image, sizeof(wse_test_image)));
	ASSERT_EQ(0, ras_submit(fd, cmds, 2, HANG_MS, &job));
	ASSERT_EQ(0, ras_wait(fd, job, 60ll * 1000000000, &res));
	ASSERT_EQ(-ETIMEDOUT, res.status);
	ASSERT_EQ(1, res.failed_cmd);

	ASSERT_EQ(0, devcd_wait(dir, sizeof(dir), 10000));
	snprintf(path, sizeof(path), "%s/data", dir);
	len = slurp(path, dump, DUMP_MAX);
	ASSERT_LT(0, len);
	ASSERT_LT(0, dump_split(dump, len, &bin, &nrec));
	EXPECT_NE(NULL, strstr(dump, "reason: timeout\n")) TH_LOG("%s", dump);
	snprintf(want, sizeof(want), "job: %llu command 1 of 2 (LAUNCH)\n",
		 (unsigned long long)job);
	EXPECT_NE(NULL, strstr(dump, want)) TH_LOG("%s", dump);
	snprintf(want, sizeof(want), "timeout: %u ms\n", HANG_MS);
	EXPECT_NE(NULL, strstr(dump, want)) TH_LOG("%s", dump);
	snprintf(want, sizeof(want), " region %ux%u at (%u,%u)\n", r.width,
		 r.height, r.x, r.y);
	EXPECT_NE(NULL, strstr(dump, want)) TH_LOG("%s", dump);
	ASSERT_EQ(5, nrec);
	for (i = 0; i < nrec; i++) {
		d = (const void *)(bin + i * WAFER_PE_DUMP_V1_SIZE);
		EXPECT_EQ(WAFER_PE_DUMP_MAGIC, d->magic);
		EXPECT_EQ(i % WSE_TEST_W, d->x);
		EXPECT_EQ(i / WSE_TEST_W, d->y);
		/* Every PE spins: it was running when the limit came. */
		EXPECT_NE(WAFER_PE_DUMP_HALT, d->state);
		snprintf(want, sizeof(want), "PE (%u,%u): ", d->x, d->y);
		EXPECT_NE(NULL, strstr(dump, want));
	}
	ASSERT_EQ(0, ras_write_file(path, "1"));
	ASSERT_EQ(0, ras_wait_path(dir, false, 5000));

	/* The file's later jobs run: the queue came back. */
	cmds[1] = wst_launch_cmd(WSE_TEST_FN_WHOAMI, 0, 0, 0);
	ASSERT_EQ(0, ras_load_image(fd, wse_test_image, sizeof(wse_test_image)));
	ASSERT_EQ(0, wst_run(fd, cmds, 2, &res));
	ASSERT_EQ(0, close(fd));
	free(dump);
}

/*
 * debugfs pe_dump: whoami leaves each PE's coordinates and the region's
 * size in r1..r4; PE (2,1) of the region, by device coordinates.
 */
TEST(debugfs_pe_dump)
{
	static const char *const bad[] = {
		"\n", "x", "1", "1 ", "1 2 3", "-1 0", "0 -1", "1,2", "0x1 0",
		"4294967296 0", "99999 0", "0 99999",
	};
	struct drm_wse_cmd launch = wst_launch_cmd(WSE_TEST_FN_WHOAMI, 0, 0, 0);
	char dir[PATH_MAX / 2], path[PATH_MAX], want[128], buf[16384], s[64];
	struct drm_wse_info info;
	struct drm_wse_region r;
	struct drm_wse_wait res;
	uint64_t spin;
	ssize_t len;
	int fd, fd2, i;

	ASSERT_EQ(0, debugfs_dir(dir, sizeof(dir)));
	snprintf(path, sizeof(path), "%s/pe_dump", dir);
	ASSERT_TRUE(wst_exists(path));
	fd = wst_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, wst_get_info(fd, &info));
	ASSERT_EQ(0, wst_region_alloc(fd, WSE_TEST_W, WSE_TEST_H, &r));
	ASSERT_EQ(0, ras_load_image(fd, wse_test_image, sizeof(wse_test_image)));
	ASSERT_EQ(0, wst_run(fd, &launch, 1, &res));

	snprintf(s, sizeof(s), "%u %u\n", r.x + 2, r.y + 1);
	ASSERT_EQ(0, ras_write_file(path, s));
	len = slurp(path, buf, sizeof(buf) - 1);
	ASSERT_LT(0, len);
	buf[len] = '\0';
	snprintf(want, sizeof(want), "device PE (%u,%u)\nPE (2,1): halted", r.x + 2,
		 r.y + 1);
	EXPECT_NE(NULL, strstr(buf, want)) TH_LOG("%s", buf);
	snprintf(want, sizeof(want), "r1  00000002  r2  00000001  r3  %08x\nr4  %08x",
		 WSE_TEST_W, WSE_TEST_H);
	EXPECT_NE(NULL, strstr(buf, want)) TH_LOG("%s", buf);

	/* Another PE: its own coordinates. */
	snprintf(s, sizeof(s), "%u %u", r.x, r.y + 3);
	ASSERT_EQ(0, ras_write_file(path, s));
	len = slurp(path, buf, sizeof(buf) - 1);
	ASSERT_LT(0, len);
	buf[len] = '\0';
	EXPECT_NE(NULL, strstr(buf, "PE (0,3): halted")) TH_LOG("%s", buf);
	EXPECT_NE(NULL, strstr(buf, "r1  00000000  r2  00000003")) TH_LOG("%s", buf);

	/* Bad input: -EINVAL, and the last text stays. */
	for (i = 0; i < (int)(sizeof(bad) / sizeof(bad[0])); i++)
		EXPECT_EQ(-EINVAL, ras_write_file(path, bad[i])) TH_LOG("bad input %d", i);
	snprintf(s, sizeof(s), "%u %u", info.mesh_width, 0);
	EXPECT_EQ(-EINVAL, ras_write_file(path, s));
	snprintf(s, sizeof(s), "%u %u", 0, info.mesh_height);
	EXPECT_EQ(-EINVAL, ras_write_file(path, s));
	len = slurp(path, buf, sizeof(buf) - 1);
	ASSERT_LT(0, len);
	buf[len] = '\0';
	EXPECT_NE(NULL, strstr(buf, "PE (0,3): halted"));

	/* A running kernel's queue is not dumped: -EBUSY, nothing disturbed. */
	fd2 = wst_open();
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, wst_region_alloc(fd2, WSE_TEST_W, WSE_TEST_H, &r));
	ASSERT_EQ(0, ras_load_image(fd2, wse_test_image, sizeof(wse_test_image)));
	launch = wst_launch_cmd(WSE_TEST_FN_SPIN, 0, 0, 0);
	ASSERT_EQ(0, ras_submit(fd2, &launch, 1, 0, &spin));
	usleep(200000);
	snprintf(s, sizeof(s), "%u %u", r.x + 1, r.y + 1);
	EXPECT_EQ(-EBUSY, ras_write_file(path, s));
	ASSERT_EQ(0, close(fd2));

	/* After the close, no queue holds that PE. */
	EXPECT_EQ(-ENOENT, ras_write_file(path, s));
	ASSERT_EQ(0, close(fd));
}

TEST_HARNESS_MAIN
