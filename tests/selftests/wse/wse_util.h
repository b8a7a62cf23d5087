/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the wse selftests. They talk to the driver through
 * the raw uAPI only: these tests check the kernel ABI, not libwse.
 */
#ifndef WSE_SELFTEST_UTIL_H
#define WSE_SELFTEST_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <drm/wse_accel.h>

#define WST_DEFAULT_NODE	"/dev/accel/accel0"
#define WST_ACCEL_MAJOR		261
#define WST_MODULE		"wse"
#define WST_DRIVER		"wse"
#define WST_PCI_VENDOR		0x1234
#define WST_PCI_DEVICE		0x5753
#define WST_TAINT_DIE		(1u << 7)	/* D: the kernel oopsed */
#define WST_TAINT_WARN		(1u << 9)	/* W: the kernel warned */

#define WST_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* The node under test: $WSE_DEVICE, else /dev/accel/accel0. */
const char *wst_node(void);
/* sysfs directory of the node's device ("/sys/class/accel/accelN/device"). */
const char *wst_sysfs_device(void);

/* open() the node read-write; returns the fd or -errno. */
int wst_open(void);
/* ioctl(); returns its result or -errno, retrying on EINTR/EAGAIN. */
int wst_ioctl(int fd, unsigned long request, void *arg);

/*
 * The mesh size QEMU was started with, from $WSE_EXPECT_MESH="WxH" or a
 * WSE_EXPECT_MESH=WxH or wse.expect=WxH word of /proc/cmdline. Returns 0,
 * or -ENOENT if the runner did not say.
 */
int wst_expect_mesh(uint32_t *w, uint32_t *h);

int wst_get_info(int fd, struct drm_wse_info *info);
int wst_region_alloc(int fd, uint32_t w, uint32_t h, struct drm_wse_region *r);

/* Create a buffer and map it; returns 0 or -errno. */
int wst_bo_new(int fd, uint64_t size, uint32_t *handle, void **map);
int wst_bo_free(int fd, uint32_t handle, void *map, uint64_t size);

int wst_submit(int fd, struct drm_wse_cmd *cmds, uint32_t count, uint64_t *job);
/* Wait for ever; returns the WAIT ioctl's result, the job's in res. */
int wst_wait(int fd, uint64_t job, struct drm_wse_wait *res);
/* Submit and wait; returns the first ioctl error, else the job's status. */
int wst_run(int fd, struct drm_wse_cmd *cmds, uint32_t count,
	    struct drm_wse_wait *res);

/*
 * Build the commands moving @len bytes between offset 0 of buffer @handle
 * and the region's linear SRAM from PE (x, y) + offset, in pieces of at
 * most @max_xfer bytes. Returns the number of commands (at most @max).
 */
uint32_t wst_sram_cmds(struct drm_wse_cmd *cmds, uint32_t max, uint32_t op,
		       uint32_t handle, uint32_t region_w, uint32_t sram_bytes,
		       uint32_t max_xfer, uint32_t x, uint32_t y,
		       uint32_t offset, uint64_t len);

/*
 * An H2D or D2H command moving the host array at @offset of buffer
 * @handle; its length is the array's size.
 */
struct drm_wse_cmd wst_rect_cmd(uint32_t op, uint32_t handle, uint64_t offset,
				uint32_t x, uint32_t y, uint32_t w, uint32_t h,
				uint32_t addr, uint32_t elem_per_pe,
				uint8_t elem_bytes, uint8_t order, uint8_t bcast);
/* A LAUNCH of symbol @function with up to two arguments. */
struct drm_wse_cmd wst_launch_cmd(uint32_t function, uint32_t nargs,
				  uint32_t a0, uint32_t a1);
/* Index of element e of PE (c, r) in a w x h host array (hardware.rst). */
size_t wst_host_index(uint8_t order, uint32_t w, uint32_t h,
		      uint32_t elem_per_pe, uint32_t c, uint32_t r, uint32_t e);
/* LOAD the @len byte image in buffer @handle; returns the job's status. */
int wst_load(int fd, uint32_t handle, uint64_t len, struct drm_wse_wait *res);

/* Fill with pseudo-random bytes from a seed. */
void wst_fill_random(void *buf, size_t len, uint32_t seed);
/* Whether every byte is zero. */
bool wst_all_zero(const void *buf, size_t len);

/* /proc/sys/kernel/tainted, or 0 if unreadable. */
unsigned long wst_tainted(void);
/* Whether a sysfs (or any) file exists. */
bool wst_exists(const char *path);
/* Read a file's first line (without the newline); returns 0 or -errno. */
int wst_read_line(const char *path, char *buf, size_t len);
/* Read an unsigned attribute of the node's device; returns 0 or -errno. */
int wst_sysfs_u64(const char *name, uint64_t *value);

/* The telemetry counters of the device in sysfs (sysfs-driver-wse). */
enum wst_counter {
	WST_JOBS_SUBMITTED, WST_JOBS_COMPLETED, WST_JOBS_FAILED,
	WST_JOBS_TIMED_OUT, WST_CMDS_DONE, WST_CMDS_FAILED, WST_BYTES_TO,
	WST_BYTES_FROM, WST_LAUNCHES, WST_CYCLES, WST_PE_FAULTS, WST_LOADS,
	WST_RESETS, WST_NR_COUNTERS
};
/* Their attribute names, by enum wst_counter. */
extern const char *const wst_counters[WST_NR_COUNTERS];

#endif /* WSE_SELFTEST_UTIL_H */
