// SPDX-License-Identifier: GPL-2.0
/*
 * wse-smi on the real device: the -L line, the table, --json that a
 * strict parser accepts and whose counters move by exactly what a known
 * sequence of jobs did, -l/-c sampling, and --reset (done as root,
 * refused to others).
 */
#include "../kselftest_harness.h"

#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <wse/wse.h>

#include "../wse/wse_kernels.h"
#include "../wse/wse_util.h"
#include "json_check.h"
#include "lw_util.h"

#define OUT_LEN		65536
#define NOBODY		65534

static char out[OUT_LEN];
static struct json_doc doc;

/* Device 0's counters from one `wse-smi --json -i 0`. */
static int smi_counters(uint64_t *v)
{
	char path[64];
	int i, ret;

	if (lw_run("wse-smi --json -i 0", out, sizeof(out)))
		return -EIO;
	ret = json_check(out, &doc);
	if (ret)
		return ret;
	for (i = 0; i < WST_NR_COUNTERS; i++) {
		snprintf(path, sizeof(path), "[0].counters.%s",
			 wst_counters[i]);
		ret = json_get_u64(&doc, path, &v[i]);
		if (ret)
			return ret;
	}
	return 0;
}

/* Lines of @s that start with @prefix. */
static int count_lines(const char *s, const char *prefix)
{
	size_t n = strlen(prefix);
	int count = 0;

	for (; s && *s; s = strchr(s, '\n'), s = s ? s + 1 : NULL)
		if (!strncmp(s, prefix, n))
			count++;
	return count;
}

FIXTURE(smi)
{
	struct wse_device_info info;
};

FIXTURE_SETUP(smi)
{
	struct wse_device *dev;

	ASSERT_EQ(0, wse_device_open(0, &dev));
	ASSERT_EQ(0, wse_device_info(dev, &self->info));
	wse_device_close(dev);
}

FIXTURE_TEARDOWN(smi)
{
}

/* wse-smi -L prints the device the library sees, in one line. */
TEST_F(smi, list_line)
{
	const struct wse_device_info *i = &self->info;
	char want[256];

	snprintf(want, sizeof(want),
		 "accel%d: wse mesh %ux%u, %u KiB SRAM/PE, %u queues, %u windows, hw %u.%u (pci %s)\n",
		 i->minor, i->mesh_width, i->mesh_height, i->sram_bytes / 1024,
		 i->num_queues, i->num_windows, i->hw_version >> 16,
		 i->hw_version & 0xffff, i->pci_slot);
	ASSERT_EQ(0, lw_run("wse-smi -L", out, sizeof(out)));
	ASSERT_STREQ(want, out);
	ASSERT_EQ(0, lw_run("wse-smi -L -i 0", out, sizeof(out)));
	ASSERT_STREQ(want, out);
	ASSERT_EQ(1, lw_run("wse-smi -i 99 2>&1", out, sizeof(out)));
	ASSERT_NE(NULL, strstr(out, "no wse device 99"));
}

/* Bad options are usage errors (2), and say what is wrong. */
TEST(usage_errors)
{
	static const char *const bad[] = {
		"wse-smi --bogus", "wse-smi extra", "wse-smi -c 0",
		"wse-smi -l 0", "wse-smi -l x", "wse-smi -l -1", "wse-smi -i x",
		"wse-smi --reset", "wse-smi --reset -i 0 --json",
		"wse-smi --reset -i 0 -l 1", "wse-smi --reset -i 0 -c 2",
	};
	char cmd[128];
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(cmd, sizeof(cmd), "%s 2>&1", bad[i]);
		EXPECT_EQ(2, lw_run(cmd, out, sizeof(out))) {
			TH_LOG("%s: %s", bad[i], out);
		}
		EXPECT_NE(0, strlen(out));
	}
	ASSERT_EQ(0, lw_run("wse-smi --help", out, sizeof(out)));
	ASSERT_NE(NULL, strstr(out, "--json"));
}

/* One line of JSON that a strict parser accepts, saying what sysfs says. */
TEST_F(smi, json_valid)
{
	const struct wse_device_info *i = &self->info;
	char path[64], node[16];
	uint64_t v, sys;
	int k;

	ASSERT_EQ(0, lw_run("wse-smi --json", out, sizeof(out)));
	ASSERT_EQ(strlen(out) - 1, strcspn(out, "\n"));
	ASSERT_EQ(0, json_check(out, &doc)) {
		TH_LOG("%s: %s", doc.error, out);
	}
	snprintf(node, sizeof(node), "accel%d", i->minor);
	ASSERT_STREQ(node, json_get(&doc, "[0].node")->text);
	ASSERT_STREQ(i->pci_slot, json_get(&doc, "[0].pci")->text);
	ASSERT_STREQ(i->driver_version,
		     json_get(&doc, "[0].driver_version")->text);
	ASSERT_EQ(0, json_get_u64(&doc, "[0].index", &v));
	ASSERT_EQ(0, v);
	ASSERT_EQ(0, json_get_u64(&doc, "[0].mesh_width", &v));
	ASSERT_EQ(i->mesh_width, v);
	ASSERT_EQ(0, json_get_u64(&doc, "[0].mesh_height", &v));
	ASSERT_EQ(i->mesh_height, v);
	ASSERT_EQ(0, json_get_u64(&doc, "[0].sram_bytes", &v));
	ASSERT_EQ(i->sram_bytes, v);
	ASSERT_EQ(0, json_get_u64(&doc, "[0].num_windows", &v));
	ASSERT_EQ(i->num_windows, v);
	ASSERT_EQ(NULL, json_get(&doc, "[1].index"));
	/* Nothing runs: every counter is what sysfs shows now. */
	for (k = 0; k < WST_NR_COUNTERS; k++) {
		snprintf(path, sizeof(path), "[0].counters.%s",
			 wst_counters[k]);
		ASSERT_EQ(0, json_get_u64(&doc, path, &v));
		ASSERT_EQ(0, wst_sysfs_u64(wst_counters[k], &sys));
		ASSERT_EQ(sys, v) {
			TH_LOG("%s", wst_counters[k]);
		}
	}
}

/* The table: versions line, the device row, and its telemetry row. */
TEST_F(smi, table)
{
	char want[64], node[16], *row;
	unsigned long long jobs, launched;
	uint64_t v[WST_NR_COUNTERS];
	int idx;

	ASSERT_EQ(0, smi_counters(v));
	ASSERT_EQ(0, lw_run("wse-smi", out, sizeof(out)));
	snprintf(want, sizeof(want), "wse-smi 1.1, driver %s, ",
		 self->info.driver_version);
	ASSERT_EQ(0, strncmp(out, want, strlen(want)));
	snprintf(node, sizeof(node), "accel%d", self->info.minor);
	snprintf(want, sizeof(want), "|   0 | %-6s | %ux%u", node,
		 self->info.mesh_width, self->info.mesh_height);
	ASSERT_NE(NULL, strstr(out, want));
	ASSERT_NE(NULL, strstr(out, "| Idx | Jobs "));
	/* The telemetry row of device 0 comes after its heading. */
	row = strstr(strstr(out, "| Idx | Jobs "), "\n|   0 |");
	ASSERT_NE(NULL, row);
	ASSERT_EQ(3, sscanf(row + 1, "| %d | %llu | %*u | %*u | %*u | %*u | %llu |",
			    &idx, &jobs, &launched));
	ASSERT_EQ(v[WST_JOBS_SUBMITTED], jobs);
	ASSERT_EQ(v[WST_LAUNCHES], launched);
	ASSERT_EQ(6, count_lines(out, "+-"));
}

/*
 * A known sequence of jobs moves each counter by exactly its share; a
 * small copy through a window moves none.
 */
TEST_F_TIMEOUT(smi, counters_move_exactly, 120)
{
	uint64_t a[WST_NR_COUNTERS], b[WST_NR_COUNTERS];
	uint64_t want[WST_NR_COUNTERS] = { 0 };
	struct wse_task *scale = NULL, *fault = NULL;
	static char buf[10000];
	struct wse_program *prog;
	struct wse_device *raw, *dev;
	int k;

	ASSERT_EQ(0, wse_device_open(0, &raw));
	ASSERT_EQ(0, wse_device_open(0, &dev));
	ASSERT_EQ(0, wse_region_alloc(raw, 2, 2, NULL));
	ASSERT_EQ(0, smi_counters(a));

	/* Raw SRAM: an empty job, one write and one read by DMA. */
	wse_device_set_small_copy(raw, 0);
	ASSERT_EQ(0, wse_nop(raw));
	ASSERT_EQ(0, wse_sram_write(raw, 0, 0, 5, buf, 10000));
	ASSERT_EQ(0, wse_sram_read(raw, 1, 1, 0, buf, 6000));
	/* Small copies through a window: no job at all. */
	wse_device_set_small_copy(raw, WSE_SMALL_COPY_DEFAULT);
	ASSERT_EQ(0, wse_sram_write(raw, 0, 0, 5, buf, 4096));
	ASSERT_EQ(0, wse_sram_read(raw, 0, 0, 5, buf, 4096));

	/* A program: its load, a launch and a launch that faults. */
	ASSERT_EQ(0, wse_program_load_mem(dev, wse_test_image,
					  sizeof(wse_test_image), &prog));
	ASSERT_EQ(0, wse_launch(prog, "scale", 1, (uint32_t[]){ 2 }, 0, &scale));
	ASSERT_EQ(0, wse_launch(prog, "fault", 2, (uint32_t[]){ 2, 1 },
				WSE_NONBLOCK, &fault));
	ASSERT_EQ(-EFAULT, wse_task_wait(fault, -1));
	/* Before anything is freed: freeing scrubs, with WRITEs of its own. */
	ASSERT_EQ(0, smi_counters(b));

	want[WST_JOBS_SUBMITTED] = 6;
	want[WST_JOBS_COMPLETED] = 5;
	want[WST_JOBS_FAILED] = 1;
	want[WST_CMDS_DONE] = 6;
	want[WST_CMDS_FAILED] = 1;
	want[WST_BYTES_TO] = 10000 + sizeof(wse_test_image);
	want[WST_BYTES_FROM] = 6000;
	want[WST_LAUNCHES] = 2;
	want[WST_CYCLES] = wse_task_cycles(scale) + wse_task_cycles(fault);
	want[WST_PE_FAULTS] = 1;
	want[WST_LOADS] = 1;
	for (k = 0; k < WST_NR_COUNTERS; k++) {
		uint64_t moved = b[k] - a[k];

		if (moved != want[k])
			TH_LOG("%s moved by %llu, not %llu", wst_counters[k],
			       (unsigned long long)moved,
			       (unsigned long long)want[k]);
		EXPECT_EQ(want[k], moved);
	}
	ASSERT_LT(0, wse_task_cycles(scale));
	wse_task_free(scale);
	wse_task_free(fault);
	wse_program_free(prog);
	wse_device_close(dev);
	wse_device_close(raw);
}

/* -l SEC -c N prints N samples, SEC apart, in every view. */
TEST_F_TIMEOUT(smi, loop_count, 60)
{
	struct timespec t0, t1;
	double prev = 0, ts, elapsed;
	char *line, *save;
	int n = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	ASSERT_EQ(0, lw_run("wse-smi -l 0.3 -c 3", out, sizeof(out)));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	elapsed = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9;
	ASSERT_EQ(3, count_lines(out, "wse-smi "));
	ASSERT_LE(0.6, elapsed);

	ASSERT_EQ(0, lw_run("wse-smi -L -l 0.1 -c 2", out, sizeof(out)));
	ASSERT_EQ(2, count_lines(out, "accel"));

	ASSERT_EQ(0, lw_run("wse-smi --json -l 0.1 -c 4", out, sizeof(out)));
	for (line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		ASSERT_EQ(0, json_check(line, &doc)) {
			TH_LOG("%s: %s", doc.error, line);
		}
		ts = strtod(json_get(&doc, "[0].timestamp")->text, NULL);
		ASSERT_LT(prev, ts);
		prev = ts;
		n++;
	}
	ASSERT_EQ(4, n);

	/* -c alone samples every second. */
	ASSERT_EQ(0, lw_run("wse-smi --json -c 2", out, sizeof(out)));
	ASSERT_EQ(2, count_lines(out, "[{"));
}

/* As root, --reset resets: the resets counter moves by one. */
TEST_F_TIMEOUT(smi, reset_as_root, 60)
{
	uint64_t a[WST_NR_COUNTERS], b[WST_NR_COUNTERS], sys;
	char want[64];

	if (geteuid())
		SKIP(return, "needs root");
	ASSERT_EQ(0, smi_counters(a));
	ASSERT_EQ(0, lw_run("wse-smi --reset -i 0 2>&1", out, sizeof(out))) {
		TH_LOG("%s", out);
	}
	snprintf(want, sizeof(want), "accel%d: reset (reset %llu since",
		 self->info.minor, (unsigned long long)a[WST_RESETS] + 1);
	ASSERT_EQ(0, strncmp(out, want, strlen(want))) {
		TH_LOG("%s", out);
	}
	ASSERT_EQ(0, smi_counters(b));
	ASSERT_EQ(a[WST_RESETS] + 1, b[WST_RESETS]);
	ASSERT_EQ(0, wst_sysfs_u64("resets", &sys));
	ASSERT_EQ(b[WST_RESETS], sys);
	/* The device works after it. */
	ASSERT_EQ(0, lw_run("wse-smi -L", out, sizeof(out)));
}

/* Run wse-smi --reset -i 0 as nobody; its exit status, output in out. */
static int reset_as_nobody(void)
{
	int fd[2], st;
	ssize_t n, got = 0;
	pid_t pid;

	if (pipe(fd))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		dup2(fd[1], 1);
		dup2(fd[1], 2);
		close(fd[0]);
		if (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY))
			_exit(99);
		execlp("wse-smi", "wse-smi", "--reset", "-i", "0", (char *)NULL);
		_exit(98);
	}
	close(fd[1]);
	while ((n = read(fd[0], out + got, sizeof(out) - 1 - got)) > 0)
		got += n;
	out[got] = '\0';
	close(fd[0]);
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/*
 * Anyone else is refused (exit status 4) with a message saying why:
 * by the node's permissions, and by the driver if they let them in.
 */
TEST_F(smi, reset_refused_to_others)
{
	uint64_t before, after;
	struct stat st;

	if (geteuid())
		SKIP(return, "needs root to become someone else");
	ASSERT_EQ(0, stat(self->info.node, &st));
	ASSERT_EQ(0, wst_sysfs_u64("resets", &before));

	ASSERT_EQ(0, chmod(self->info.node, 0600));
	ASSERT_EQ(4, reset_as_nobody()) {
		TH_LOG("%s", out);
	}
	ASSERT_NE(NULL, strstr(out, "needs root")) {
		TH_LOG("%s", out);
	}
	/* Let everyone open the node: the driver still says no. */
	ASSERT_EQ(0, chmod(self->info.node, 0666));
	ASSERT_EQ(4, reset_as_nobody()) {
		TH_LOG("%s", out);
	}
	ASSERT_EQ(0, chmod(self->info.node, st.st_mode & 07777));
	ASSERT_NE(NULL, strstr(out, "needs root (CAP_SYS_ADMIN)"));
	ASSERT_EQ(0, wst_sysfs_u64("resets", &after));
	ASSERT_EQ(before, after);
}

TEST_HARNESS_MAIN
