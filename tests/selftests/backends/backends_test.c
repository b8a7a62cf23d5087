// SPDX-License-Identifier: GPL-2.0
/*
 * The same answers on two backends: every example and the libwse compute
 * selftests, run once on device A and once on device B with WSE_TRACE,
 * must write the same trace: the same tasks with the same errnos, the
 * same modeled cycles, the same digests of every byte copied out and the
 * same failure sentences (libwse/trace.c).
 *
 * In the VM, A is the driver's device 0 and B the simulator of its
 * geometry ("sim:WxH,sram=KiB", libwse-sim.so.1 in the initramfs), so
 * that what the simulator answers is proven to be what the device
 * answers. check-host runs it with two simulators at different thread
 * counts. $WSE_BACKENDS_A and $WSE_BACKENDS_B override either.
 *
 * The examples are discovered, not listed: every program named in
 * $WSE_EXAMPLES_LIST (default /usr/share/wse/examples.list, which
 * tests/vm/mkinitramfs.sh writes from build/examples/) runs with its
 * defaults and -d. The compute selftests are the libwse suite's own
 * binary ($WSE_COMPUTE_TEST, default ../libwse/libwse_compute_test), run
 * with WSE_DEVICE naming the device.
 */
#include "../kselftest_harness.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <wse/wse.h>

#define LINE_MAX_BYTES	512
#define MAX_LINES	4096
#define MAX_EXAMPLES	64
#define NAME_BYTES	64

struct trace {
	unsigned int n;
	char *line[MAX_LINES];
};

static const char *env_or(const char *name, const char *dflt)
{
	const char *v = getenv(name);

	return v && *v ? v : dflt;
}

/* Device A: $WSE_BACKENDS_A, or the driver's first device. */
static const char *device_a(void)
{
	return env_or("WSE_BACKENDS_A", "drm:0");
}

/* Device B: $WSE_BACKENDS_B, or the simulator of A's geometry. */
static int device_b(char *buf, size_t len)
{
	const char *b = getenv("WSE_BACKENDS_B");
	struct wse_device_info info;
	struct wse_device *dev;
	int ret;

	if (b && *b) {
		snprintf(buf, len, "%s", b);
		return 0;
	}
	ret = wse_device_open_path(device_a(), &dev);
	if (ret)
		return ret;
	ret = wse_device_info(dev, &info);
	wse_device_close(dev);
	if (!ret)
		snprintf(buf, len, "sim:%ux%u,sram=%u", info.mesh_width,
			 info.mesh_height, info.sram_bytes / 1024);
	return ret;
}

/*
 * Run @argv (PATH searched) with WSE_TRACE=@trace and, if @device is not
 * NULL, WSE_DEVICE=@device; its output goes to @log. Returns its exit
 * status, or -1 if it did not exit.
 */
static int run_traced(char *const argv[], const char *device,
		      const char *trace, const char *log)
{
	int st;
	pid_t pid;

	unlink(trace);
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		FILE *f = freopen(log, "w", stdout);

		if (!f || dup2(fileno(stdout), 2) < 0)
			_exit(126);
		setenv("WSE_TRACE", trace, 1);
		if (device)
			setenv("WSE_DEVICE", device, 1);
		else
			unsetenv("WSE_DEVICE");
		execvp(argv[0], argv);
		fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int cmp_line(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The lines of a trace, sorted: tasks end in the order they were waited for. */
static int trace_read(const char *path, struct trace *t)
{
	char buf[LINE_MAX_BYTES];
	FILE *f = fopen(path, "r");

	t->n = 0;
	if (!f)
		return -errno;
	while (fgets(buf, sizeof(buf), f) && t->n < MAX_LINES)
		t->line[t->n++] = strdup(buf);
	fclose(f);
	qsort(t->line, t->n, sizeof(t->line[0]), cmp_line);
	return 0;
}

static void trace_free(struct trace *t)
{
	while (t->n)
		free(t->line[--t->n]);
}

static void show_log(struct __test_metadata *_metadata, const char *log)
{
	char buf[LINE_MAX_BYTES];
	FILE *f = fopen(log, "r");

	while (f && fgets(buf, sizeof(buf), f))
		TH_LOG("  %s", buf);
	if (f)
		fclose(f);
}

/*
 * Run @argv on both devices (@flag "-d" puts the device on its command
 * line, NULL passes it in WSE_DEVICE), check both succeeded, and return
 * how many trace lines differ (-1 if a run failed).
 */
static int both_backends(struct __test_metadata *_metadata, const char *tag,
			 char **argv, int devarg, const char *a, const char *b)
{
	char ta[96], tb[96], la[96], lb[96];
	struct trace x = { 0 }, y = { 0 };
	unsigned int i, diff = 0;
	int sa, sb;

	snprintf(ta, sizeof(ta), "/tmp/backends-%s-a.trace", tag);
	snprintf(tb, sizeof(tb), "/tmp/backends-%s-b.trace", tag);
	snprintf(la, sizeof(la), "/tmp/backends-%s-a.log", tag);
	snprintf(lb, sizeof(lb), "/tmp/backends-%s-b.log", tag);
	if (devarg)
		argv[devarg] = (char *)a;
	sa = run_traced(argv, devarg ? NULL : a, ta, la);
	if (devarg)
		argv[devarg] = (char *)b;
	sb = run_traced(argv, devarg ? NULL : b, tb, lb);
	if (sa || sb) {
		TH_LOG("%s: exit status %d on %s, %d on %s", tag, sa, a, sb, b);
		show_log(_metadata, sa ? la : lb);
		return -1;
	}
	if (trace_read(ta, &x) || trace_read(tb, &y) || !x.n) {
		TH_LOG("%s: no trace (%u lines on %s, %u on %s)", tag, x.n, a, y.n, b);
		return -1;
	}
	for (i = 0; i < x.n || i < y.n; i++) {
		const char *p = i < x.n ? x.line[i] : "(none)\n";
		const char *q = i < y.n ? y.line[i] : "(none)\n";

		if (!strcmp(p, q))
			continue;
		if (diff++ < 8)
			TH_LOG("%s: %s: %.*s; %s: %.*s", tag, a, (int)strcspn(p, "\n"),
			       p, b, (int)strcspn(q, "\n"), q);
	}
	TH_LOG("%s: %u tasks, %u differ", tag, x.n, diff);
	trace_free(&x);
	trace_free(&y);
	return diff;
}

/* Example names, one per line of the list. */
static int examples(char names[][NAME_BYTES], int max)
{
	const char *path = env_or("WSE_EXAMPLES_LIST", "/usr/share/wse/examples.list");
	char buf[NAME_BYTES];
	FILE *f = fopen(path, "r");
	int n = 0;

	if (!f)
		return -errno;
	while (n < max && fgets(buf, sizeof(buf), f)) {
		buf[strcspn(buf, "\n")] = '\0';
		if (*buf)
			snprintf(names[n++], NAME_BYTES, "%s", buf);
	}
	fclose(f);
	return n;
}

/* For the tests that need more than the harness's default 30 s. */
FIXTURE(slow)
{
};

FIXTURE_SETUP(slow)
{
}

FIXTURE_TEARDOWN(slow)
{
}

/* Every example: the same bytes and cycles on both devices. */
TEST_F_TIMEOUT(slow, examples_same_on_both, 300)
{
	char names[MAX_EXAMPLES][NAME_BYTES], b[64];
	int n, i, bad = 0;

	ASSERT_EQ(0, device_b(b, sizeof(b))) TH_LOG("%s", wse_last_error(NULL));
	n = examples(names, MAX_EXAMPLES);
	ASSERT_LE(2, n) TH_LOG("examples list: %d", n);
	for (i = 0; i < n; i++) {
		char *argv[] = { names[i], "-d", NULL, NULL };

		TH_LOG("%s on %s and %s", names[i], device_a(), b);
		if (both_backends(_metadata, names[i], argv, 2, device_a(), b))
			bad++;
	}
	ASSERT_EQ(0, bad);
}

/* The compute selftests of libwse: the same on both devices. */
TEST_F_TIMEOUT(slow, compute_selftests_same_on_both, 300)
{
	char prog[256], b[64];
	char *argv[] = { prog, NULL };

	snprintf(prog, sizeof(prog), "%s",
		 env_or("WSE_COMPUTE_TEST", "../libwse/libwse_compute_test"));
	ASSERT_EQ(0, device_b(b, sizeof(b))) TH_LOG("%s", wse_last_error(NULL));
	ASSERT_EQ(0, both_backends(_metadata, "compute", argv, 0, device_a(), b));
}

/*
 * The comparison can fail: a machine that differs (a queue depth of 1
 * wavelet instead of 32 changes when back-pressure stalls a PE) gives
 * other cycles, and the traces say so.
 */
TEST_F_TIMEOUT(slow, comparison_sees_a_different_machine, 300)
{
	char names[MAX_EXAMPLES][NAME_BYTES], other[80];
	char *argv[] = { NULL, "-d", NULL, NULL };
	int n, i, differ = 0;

	n = examples(names, MAX_EXAMPLES);
	ASSERT_LE(1, n);
	for (i = 0; i < n && !differ; i++) {
		argv[0] = names[i];
		snprintf(other, sizeof(other), "sim:16x16,queue-depth=1");
		differ = both_backends(_metadata, names[i], argv, 2, "sim:16x16",
				       other) > 0;
	}
	ASSERT_TRUE(differ);
}

TEST_HARNESS_MAIN
