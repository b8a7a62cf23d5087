// SPDX-License-Identifier: GPL-2.0
/*
 * wse observability from the kernel side: fdinfo usage statistics
 * (Documentation/gpu/drm-usage-stats.rst), the driver's tracepoints
 * (events/wse/ in tracefs) and debug messages turned on by dynamic debug.
 * Every figure is checked against what the uAPI itself reported: cycles
 * against WAIT's, job ids against SUBMIT's, sizes against the BOs made.
 */
#include "../kselftest_harness.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../wse/wse_kernels.h"
#include "ras_util.h"

#define TRACEFS		"/sys/kernel/tracing"
#define DYNDBG		"/proc/dynamic_debug/control"
#define TRACE_MAX	(1 << 20)

/* The value of @key in /proc/self/fdinfo/@fd, scaled by its unit. */
static int fdinfo_u64(int fd, const char *key, uint64_t *value)
{
	char path[64], line[256];
	size_t klen = strlen(key);
	int ret = -ENOENT;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long v;
		char unit[16] = "";

		if (strncmp(line, key, klen) || line[klen] != ':')
			continue;
		if (sscanf(line + klen + 1, "%llu %15s", &v, unit) < 1)
			break;
		if (!strcmp(unit, "KiB"))
			v <<= 10;
		else if (!strcmp(unit, "MiB"))
			v <<= 20;
		else if (!strcmp(unit, "GiB"))
			v <<= 30;
		*value = v;
		ret = 0;
		break;
	}
	fclose(f);
	return ret;
}

/* Whether /proc/self/fdinfo/@fd has the line "@key:\t@value". */
static bool fdinfo_has(int fd, const char *key, const char *value)
{
	char path[64], line[256], want[128];
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	snprintf(want, sizeof(want), "%s:\t%s\n", key, value);
	f = fopen(path, "r");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = !strcmp(line, want);
	fclose(f);
	return found;
}

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_TRUNC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -EIO;
}

/* tracefs mounted, tracing off, the buffer empty, wse's events on. */
static int trace_start(void)
{
	struct stat st;
	int ret;

	if (stat(TRACEFS "/trace", &st) &&
	    mount("tracefs", TRACEFS, "tracefs", 0, NULL))
		return -errno;
	ret = write_str(TRACEFS "/tracing_on", "0");
	ret = ret ?: write_str(TRACEFS "/trace", "");
	ret = ret ?: write_str(TRACEFS "/events/wse/enable", "1");
	return ret ?: write_str(TRACEFS "/tracing_on", "1");
}

/* Tracing off and wse's events disabled; the trace text in a new buffer. */
static char *trace_stop(void)
{
	char *buf = calloc(1, TRACE_MAX + 1);
	size_t len = 0;
	ssize_t n;
	int fd;

	write_str(TRACEFS "/tracing_on", "0");
	write_str(TRACEFS "/events/wse/enable", "0");
	fd = open(TRACEFS "/trace", O_RDONLY);
	if (!buf || fd < 0) {
		free(buf);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	while (len < TRACE_MAX && (n = read(fd, buf + len, TRACE_MAX - len)) > 0)
		len += n;
	close(fd);
	return buf;
}

/* The trace line of @event that contains @what, or NULL. */
static const char *trace_find(const char *trace, const char *event,
			      const char *what)
{
	const char *p = trace;

	while ((p = strstr(p, event))) {
		const char *eol = strchr(p, '\n');
		const char *hit = strstr(p, what);

		if (hit && (!eol || hit < eol))
			return p;
		p += strlen(event);
	}
	return NULL;
}

FIXTURE(obs)
{
	int fd;
	struct drm_wse_info info;
	struct drm_wse_region region;
	uint32_t img;
	void *img_map;
};

FIXTURE_SETUP(obs)
{
	struct drm_wse_wait res;

	self->fd = wst_open();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, wst_get_info(self->fd, &self->info));
	ASSERT_EQ(0, wst_region_alloc(self->fd, WSE_TEST_W, WSE_TEST_H,
				      &self->region));
	ASSERT_EQ(0, wst_bo_new(self->fd, sizeof(wse_test_image), &self->img,
				&self->img_map));
	memcpy(self->img_map, wse_test_image, sizeof(wse_test_image));
	ASSERT_EQ(0, wst_load(self->fd, self->img, sizeof(wse_test_image), &res));
}

FIXTURE_TEARDOWN(obs)
{
	close(self->fd);
}

/* Run the test image's scale kernel on @fd; its cycles, or 0 on failure. */
static uint64_t run_scale(int fd, uint64_t *job)
{
	struct drm_wse_cmd cmd = wst_launch_cmd(WSE_TEST_FN_SCALE, 1, 3, 0);
	struct drm_wse_wait res;

	if (wst_submit(fd, &cmd, 1, job) || wst_wait(fd, *job, &res) ||
	    res.status)
		return 0;
	return res.cycles;
}

/* The keys drm-usage-stats.rst asks for, with their units. */
TEST_F(obs, fdinfo_keys)
{
	uint64_t v, id2, id1;
	int fd2;

	ASSERT_TRUE(fdinfo_has(self->fd, "drm-driver", "wse"));
	ASSERT_EQ(0, fdinfo_u64(self->fd, "drm-client-id", &id1));
	ASSERT_EQ(0, fdinfo_u64(self->fd, "drm-engine-wse", &v));
	ASSERT_EQ(0, fdinfo_u64(self->fd, "drm-cycles-wse", &v));
	ASSERT_EQ(0, fdinfo_u64(self->fd, "drm-total-cycles-wse", &v));
	ASSERT_EQ(0, fdinfo_u64(self->fd, "drm-total-memory", &v));
	ASSERT_EQ(0, fdinfo_u64(self->fd, "drm-resident-memory", &v));

	/* Each open file is its own client. */
	fd2 = wst_open();
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, fdinfo_u64(fd2, "drm-client-id", &id2));
	ASSERT_NE(id1, id2);
	ASSERT_EQ(0, fdinfo_u64(fd2, "drm-cycles-wse", &v));
	ASSERT_EQ(0, v);
	ASSERT_EQ(0, fdinfo_u64(fd2, "drm-engine-wse", &v));
	ASSERT_EQ(0, v);
	ASSERT_EQ(0, close(fd2));
}

/*
 * drm-cycles-wse is the sum of the cycles WAIT reported for the file's
 * jobs; drm-engine-wse grows with each job; drm-total-cycles-wse counts
 * every file's jobs, so another file's job moves it and not our cycles.
 */
TEST_F(obs, fdinfo_counts_jobs)
{
	uint64_t c0, e0, t0, c1, e1, t1, sum = 0, job, c2, v;
	struct drm_wse_region r2;
	struct drm_wse_wait res;
	uint32_t img2;
	void *map2;
	int i, fd2;

	ASSERT_EQ(0, fdinfo_u64(self->fd, "drm-cycles-wse", &c0));
	ASSERT_EQ(0, fdinfo_u64(self->fd, "drm-engine-wse", &e0));
	ASSERT_EQ(0, fdinfo_u64(self->fd, "drm-total-cycles-wse", &t0));
	for (i = 0; i < 3; i++) {
		uint64_t c = run_scale(self->fd, &job);

		ASSERT_LT(0, c);
		sum += c;
	}
	ASSERT_EQ(0, fdinfo_u64(self->fd, "drm-cycles-wse", &c1));
	ASSERT_EQ(0, fdinfo_u64(self->fd, "drm-engine-wse", &e1));
	ASSERT_EQ(0, fdinfo_u64(self->fd, "drm-total-cycles-wse", &t1));
	ASSERT_EQ(c0 + sum, c1);
	ASSERT_LT(e0, e1);
	ASSERT_LE(t0 + sum, t1);
	ASSERT_LE(c1, t1);

	/* A second file with the program loaded from its own BO. */
	fd2 = wst_open();
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, wst_region_alloc(fd2, WSE_TEST_W, WSE_TEST_H, &r2));
	ASSERT_EQ(0, wst_bo_new(fd2, sizeof(wse_test_image), &img2, &map2));
	memcpy(map2, wse_test_image, sizeof(wse_test_image));
	ASSERT_EQ(0, wst_load(fd2, img2, sizeof(wse_test_image), &res));
	c2 = run_scale(fd2, &job);
	ASSERT_LT(0, c2);
	ASSERT_EQ(0, fdinfo_u64(fd2, "drm-cycles-wse", &v));
	ASSERT_EQ(c2, v);
	ASSERT_EQ(0, fdinfo_u64(self->fd, "drm-cycles-wse", &v));
	ASSERT_EQ(c1, v);
	ASSERT_EQ(0, fdinfo_u64(self->fd, "drm-total-cycles-wse", &v));
	ASSERT_LE(t1 + c2, v);
	ASSERT_EQ(0, close(fd2));
}

/* A job on the hardware counts while it runs, not only when it ends. */
TEST_F_TIMEOUT(obs, fdinfo_engine_time_while_running, 120)
{
	struct drm_wse_cmd spin = wst_launch_cmd(WSE_TEST_FN_SPIN, 0, 0, 0);
	uint64_t job, e0, e1, e2, e3;
	struct drm_wse_wait res;

	ASSERT_EQ(0, fdinfo_u64(self->fd, "drm-engine-wse", &e0));
	ASSERT_EQ(0, ras_submit(self->fd, &spin, 1, 3000, &job));
	usleep(300 * 1000);
	ASSERT_EQ(0, fdinfo_u64(self->fd, "drm-engine-wse", &e1));
	usleep(300 * 1000);
	ASSERT_EQ(0, fdinfo_u64(self->fd, "drm-engine-wse", &e2));
	ASSERT_LT(e0, e1);
	ASSERT_LT(e1, e2);
	ASSERT_EQ(0, ras_wait(self->fd, job, -1, &res));
	ASSERT_EQ(-ETIMEDOUT, res.status);
	/* Ended: the time stands still, and includes all of the job's. */
	ASSERT_EQ(0, fdinfo_u64(self->fd, "drm-engine-wse", &e2));
	usleep(100 * 1000);
	ASSERT_EQ(0, fdinfo_u64(self->fd, "drm-engine-wse", &e3));
	ASSERT_EQ(e2, e3);
	ASSERT_LE(e0 + 2900ull * 1000 * 1000, e3);
}

/* Buffers show in the memory keys of the file that made them. */
TEST_F(obs, fdinfo_memory)
{
	const uint64_t size = 4u << 20;
	uint64_t before, after, resident, v;
	uint32_t handle;
	void *map;

	ASSERT_EQ(0, fdinfo_u64(self->fd, "drm-total-memory", &before));
	ASSERT_EQ(0, fdinfo_u64(self->fd, "drm-resident-memory", &resident));
	ASSERT_EQ(0, wst_bo_new(self->fd, size, &handle, &map));
	ASSERT_EQ(0, fdinfo_u64(self->fd, "drm-total-memory", &after));
	ASSERT_LE(before + size, after);
	/* Mapped, it has its pages. */
	ASSERT_EQ(0, fdinfo_u64(self->fd, "drm-resident-memory", &v));
	ASSERT_LE(resident + size, v);
	ASSERT_EQ(0, wst_bo_free(self->fd, handle, map, size));
	ASSERT_EQ(0, fdinfo_u64(self->fd, "drm-total-memory", &after));
	ASSERT_EQ(before, after);
}

/* A job's life in events/wse: submit, run, done with WAIT's cycles. */
TEST_F_TIMEOUT(obs, tracepoints_job_life, 120)
{
	struct drm_wse_cmd spin = wst_launch_cmd(WSE_TEST_FN_SPIN, 0, 0, 0);
	struct drm_wse_submit args = {
		.cmds_ptr = (uintptr_t)&spin,
		.cmd_count = 1,
		.timeout_ms = 300,
	};
	char what[96], minor[32];
	struct drm_wse_wait res;
	uint64_t job, cycles;
	char *trace;
	int n;

	n = sscanf(wst_node(), "/dev/accel/accel%31s", minor);
	ASSERT_EQ(1, n);
	ASSERT_EQ(0, trace_start());
	cycles = run_scale(self->fd, &job);
	ASSERT_LT(0, cycles);
	ASSERT_EQ(0, wst_ioctl(self->fd, DRM_IOCTL_WSE_SUBMIT, &args));
	ASSERT_EQ(0, wst_wait(self->fd, args.job_id, &res));
	ASSERT_EQ(-ETIMEDOUT, res.status);
	trace = trace_stop();
	ASSERT_NE(NULL, trace);

	snprintf(what, sizeof(what), "job=%llu cmds=1", (unsigned long long)job);
	EXPECT_NE(NULL, trace_find(trace, "wse_submit: accel", what));
	EXPECT_NE(NULL, trace_find(trace, "wse_run: accel", what));
	snprintf(what, sizeof(what), "job=%llu status=0 device_status=0x0 failed_cmd=0 cycles=%llu",
		 (unsigned long long)job, (unsigned long long)cycles);
	EXPECT_NE(NULL, trace_find(trace, "wse_done: accel", what));
	snprintf(what, sizeof(what), "job=%llu cmds=1", (unsigned long long)args.job_id);
	EXPECT_NE(NULL, trace_find(trace, "wse_timeout: accel", what));
	snprintf(what, sizeof(what), "job=%llu status=%d ", (unsigned long long)args.job_id,
		 -ETIMEDOUT);
	EXPECT_NE(NULL, trace_find(trace, "wse_done: accel", what));
	snprintf(what, sizeof(what), "accel%s ", minor);
	EXPECT_NE(NULL, trace_find(trace, "wse_submit: ", what));
	free(trace);
}

/* Window slots and resets in events/wse. */
TEST_F(obs, tracepoints_window_and_reset)
{
	struct drm_wse_window_create win;
	char what[96];
	uint64_t count;
	char *trace;

	ASSERT_EQ(0, trace_start());
	ASSERT_EQ(0, ras_window_create(self->fd, 1, 0, RAS_PAGE, RAS_PAGE, 0, &win));
	ASSERT_EQ(0, ras_gem_close(self->fd, win.handle));
	ASSERT_EQ(0, ras_reset(self->fd, &count));
	trace = trace_stop();
	ASSERT_NE(NULL, trace);

	snprintf(what, sizeof(what), "pe=(%u,%u) offset=0x1000 length=0x1000",
		 self->region.x + 1, self->region.y);
	EXPECT_NE(NULL, trace_find(trace, "wse_window_map: accel", what));
	EXPECT_NE(NULL, trace_find(trace, "wse_window_revoke: accel", what));
	snprintf(what, sizeof(what), "reason=ioctl count=%llu ret=0",
		 (unsigned long long)count);
	EXPECT_NE(NULL, trace_find(trace, "wse_reset: accel", what));
	free(trace);
}

/* dynamic debug turns one category of the driver's messages on and off. */
TEST_F(obs, dynamic_debug_category)
{
	char line[1024], want[64];
	bool seen = false;
	uint64_t job;
	ssize_t n;
	int kmsg;

	/*
	 * A kernel without CONFIG_DYNAMIC_DEBUG (the debug kernel of make
	 * check-debug, whose build it would double) has no control file;
	 * Debian's has it, so make check runs this.
	 */
	if (access(DYNDBG, W_OK))
		SKIP(return, "no %s: the kernel lacks CONFIG_DYNAMIC_DEBUG", DYNDBG);
	kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, kmsg);
	ASSERT_LE(0, lseek(kmsg, 0, SEEK_END));
	ASSERT_EQ(0, write_str(DYNDBG, "module wse format \"[JOB]\" +p"));
	ASSERT_LT(0, run_scale(self->fd, &job));
	ASSERT_EQ(0, write_str(DYNDBG, "module wse format \"[JOB]\" -p"));

	snprintf(want, sizeof(want), "[JOB] job %llu: 1 commands",
		 (unsigned long long)job);
	while ((n = read(kmsg, line, sizeof(line) - 1)) > 0 || errno == EPIPE) {
		if (n <= 0)
			continue;
		line[n] = 0;
		seen |= strstr(line, want) != NULL;
	}
	EXPECT_TRUE(seen);

	/* Off again: the next job logs nothing. */
	seen = false;
	ASSERT_LT(0, run_scale(self->fd, &job));
	snprintf(want, sizeof(want), "[JOB] job %llu:", (unsigned long long)job);
	while ((n = read(kmsg, line, sizeof(line) - 1)) > 0 || errno == EPIPE) {
		if (n <= 0)
			continue;
		line[n] = 0;
		seen |= strstr(line, want) != NULL;
	}
	EXPECT_FALSE(seen);
	close(kmsg);
}

TEST_HARNESS_MAIN
