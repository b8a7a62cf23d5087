// SPDX-License-Identifier: GPL-2.0
/*
 * libwse argument checking that needs no device: NULL objects, paths that
 * are not wse devices, and the thread-local error detail.
 */
#include <wse/wse.h>	/* first: the public header stands alone */

#include "kselftest_harness.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Opening by bad index or with no place for the result. */
TEST(open_bad_arguments)
{
	struct wse_device *dev = NULL;

	ASSERT_EQ(-EINVAL, wse_device_open(-1, &dev));
	ASSERT_EQ(-EINVAL, wse_device_open(0, NULL));
	ASSERT_EQ(-EINVAL, wse_device_open_path(NULL, &dev));
	ASSERT_EQ(-EINVAL, wse_device_open_path("/dev/null", NULL));
	ASSERT_EQ(NULL, dev);
	ASSERT_NE(0, strlen(wse_last_error(NULL)));
}

/* Paths that are not wse devices: missing, not DRM, not a device. */
TEST(open_not_wse)
{
	char path[] = "/tmp/libwse-args-XXXXXX";
	struct wse_device *dev = NULL;
	int fd;

	ASSERT_EQ(-ENOENT, wse_device_open_path("/nonexistent/accel0", &dev));
	ASSERT_NE(NULL, strstr(wse_last_error(NULL), "/nonexistent/accel0"));
	ASSERT_EQ(-ENODEV, wse_device_open_path("/dev/null", &dev));
	ASSERT_NE(NULL, strstr(wse_last_error(NULL), "not a DRM device"));
	fd = mkstemp(path);
	ASSERT_LE(0, fd);
	ASSERT_EQ(-ENODEV, wse_device_open_path(path, &dev));
	ASSERT_EQ(0, unlink(path));
	ASSERT_EQ(0, close(fd));
	ASSERT_EQ(NULL, dev);
}

/* The count never fails for lack of devices; indexes past it are -ENODEV. */
TEST(count_and_index)
{
	struct wse_device *dev = NULL;
	int n = wse_device_count();

	ASSERT_LE(0, n);
	ASSERT_EQ(-ENODEV, wse_device_open(n, &dev));
	ASSERT_EQ(NULL, dev);
}

/* Every entry point refuses NULL objects instead of crashing. */
TEST(null_objects)
{
	struct wse_device_info info;
	struct wse_region region;
	struct wse_symbol sym = { .kind = WSE_SYMBOL_OBJECT, .elem_bytes = 4,
				  .size = 64, .name = "a" };
	struct wse_program *prog = NULL;
	struct wse_task *task = NULL;
	uint32_t host[16];
	char buf[8];

	ASSERT_EQ(-EINVAL, wse_device_info(NULL, &info));
	ASSERT_EQ(-EINVAL, wse_device_fd(NULL));
	ASSERT_EQ(-EINVAL, wse_device_set_timeout(NULL, 1000));
	ASSERT_EQ(-EINVAL, wse_region_alloc(NULL, 1, 1, &region));
	ASSERT_EQ(-EINVAL, wse_region_free(NULL));
	ASSERT_EQ(-EINVAL, wse_sram_write(NULL, 0, 0, 0, buf, sizeof(buf)));
	ASSERT_EQ(-EINVAL, wse_sram_read(NULL, 0, 0, 0, buf, sizeof(buf)));
	ASSERT_EQ(-EINVAL, wse_nop(NULL));
	ASSERT_EQ(-EINVAL, wse_program_load_mem(NULL, buf, sizeof(buf), &prog));
	ASSERT_EQ(-EINVAL, wse_program_load_file(NULL, "/dev/null", &prog));
	ASSERT_EQ(NULL, prog);
	ASSERT_EQ(-EINVAL, wse_program_region(NULL, &region));
	ASSERT_EQ(-EINVAL, wse_program_symbol(NULL, "a", &sym));
	ASSERT_EQ(-EINVAL, wse_program_function(NULL, "f", &sym));
	ASSERT_EQ(-EINVAL, wse_memcpy_h2d(NULL, &sym, host, 0, 0, 1, 1, 1,
					  WSE_MEMCPY_32BIT, WSE_MEMCPY_ROW_MAJOR,
					  0, NULL));
	ASSERT_EQ(-EINVAL, wse_memcpy_d2h(NULL, &sym, host, 0, 0, 1, 1, 1,
					  WSE_MEMCPY_32BIT, WSE_MEMCPY_ROW_MAJOR,
					  0, NULL));
	ASSERT_EQ(-EINVAL, wse_memcpy_h2d_rowbcast(NULL, &sym, host, 0, 0, 1, 1,
						   1, WSE_MEMCPY_32BIT,
						   WSE_MEMCPY_ROW_MAJOR, 0, NULL));
	ASSERT_EQ(-EINVAL, wse_memcpy_h2d_colbcast(NULL, &sym, host, 0, 0, 1, 1,
						   1, WSE_MEMCPY_32BIT,
						   WSE_MEMCPY_ROW_MAJOR, 0, NULL));
	ASSERT_EQ(-EINVAL, wse_launch(NULL, "f", 0, NULL, 0, &task));
	ASSERT_EQ(NULL, task);
	ASSERT_EQ(-EINVAL, wse_task_wait(NULL, 0));
	ASSERT_EQ(-EINVAL, wse_task_done(NULL));
	ASSERT_STREQ("", wse_task_error(NULL));
	ASSERT_EQ(0, wse_task_cycles(NULL));
	/* Freeing NULL is a no-op, as with free(3). */
	wse_task_free(NULL);
	wse_program_free(NULL);
	wse_device_close(NULL);
}

static void *fail_in_thread(void *arg)
{
	struct wse_device *dev = NULL;

	wse_device_open_path("/nonexistent/other", &dev);
	return strdup(wse_last_error(NULL));
}

/* The error detail belongs to the thread that failed. */
TEST(last_error_is_thread_local)
{
	struct wse_device *dev = NULL;
	pthread_t t;
	void *theirs;

	ASSERT_EQ(-ENOENT, wse_device_open_path("/nonexistent/mine", &dev));
	ASSERT_NE(NULL, strstr(wse_last_error(NULL), "/nonexistent/mine"));
	ASSERT_EQ(0, pthread_create(&t, NULL, fail_in_thread, NULL));
	ASSERT_EQ(0, pthread_join(t, &theirs));
	ASSERT_NE(NULL, theirs);
	ASSERT_NE(NULL, strstr(theirs, "/nonexistent/other"));
	/* Ours is unchanged. */
	ASSERT_NE(NULL, strstr(wse_last_error(NULL), "/nonexistent/mine"));
	free(theirs);
}

TEST_HARNESS_MAIN
