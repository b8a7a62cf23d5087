/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of the wse_ras selftests (windows, isolation, hangs, resets,
 * unplug, telemetry, power management), on top of ../wse/wse_util.h.
 */
#ifndef WSE_RAS_UTIL_H
#define WSE_RAS_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../wse/wse_util.h"

#define RAS_PAGE		4096u

/* WINDOW_CREATE; returns 0 or -errno, the window in *out. */
int ras_window_create(int fd, uint32_t x, uint32_t y, uint32_t offset,
		      uint32_t length, uint32_t flags,
		      struct drm_wse_window_create *out);
/*
 * WINDOW_CREATE into *@win and a shared mapping of it with @prot into
 * *@map; returns 0 or -errno, and then leaves no window behind.
 */
int ras_window_map(int fd, uint32_t x, uint32_t y, uint32_t offset,
		   uint32_t length, uint32_t flags, int prot,
		   struct drm_wse_window_create *win, void **map);
/* DRM_IOCTL_GEM_CLOSE; returns 0 or -errno. */
int ras_gem_close(int fd, uint32_t handle);

/*
 * Load or store one 32-bit word at @p, catching SIGSEGV and SIGBUS.
 * Returns 0, or the signal that the access raised.
 */
int ras_touch(volatile uint32_t *p, bool store, uint32_t value,
	      uint32_t *loaded);

/* Submit with a time limit; returns 0 or -errno. */
int ras_submit(int fd, struct drm_wse_cmd *cmds, uint32_t count,
	       uint32_t timeout_ms, uint64_t *job);
/*
 * Submit RAS_FN_SPIN, which never ends, with a limit of two minutes, and
 * give it 100 ms to reach the hardware; returns 0 or -errno.
 */
int ras_spin_start(int fd, uint64_t *job);
/* WAIT for at most @timeout_ns; returns the ioctl's result. */
int ras_wait(int fd, uint64_t job, int64_t timeout_ns,
	     struct drm_wse_wait *res);
/* A buffer holding @len bytes of @data, LOADed; returns the job status. */
int ras_load_image(int fd, const void *data, size_t len);
/* One WRITE or READ of @len bytes at region PE (x, y) + offset. */
struct drm_wse_cmd ras_sram_cmd(uint32_t op, uint32_t handle, uint32_t x,
				uint32_t y, uint32_t offset, uint64_t len);
/* RESET; returns 0 or -errno, the count in *count if not NULL. */
int ras_reset(int fd, uint64_t *count);

/* The node's PCI address ("0000:01:00.0") in a static buffer, or NULL. */
const char *ras_pci_addr(void);
/* Write a string to a file; returns 0 or -errno. */
int ras_write_file(const char *path, const char *s);
/* Wait until @path exists (or, with !present, is gone). */
int ras_wait_path(const char *path, bool present, int timeout_ms);
int ras_open_when_ready(int timeout_ms);

/* A NETLINK_KOBJECT_UEVENT socket; returns the fd or -errno. */
int ras_uevent_open(void);
/*
 * Wait for a uevent holding the variable @key (e.g. "WSE_RESET=1"); copy
 * its WSE_RESET_REASON value to @reason. Returns 0 or -ETIMEDOUT.
 */
int ras_uevent_wait(int sock, const char *key, int timeout_ms, char *reason,
		    size_t reason_len);

/*
 * y = A x, 64 x 64 on a new 4 x 4 region of @fd, with the GEMV example's
 * kernel and integer-valued data, so that the result is exact. Returns 0
 * if y is right, -errno if an ioctl failed, a job status, or 1 for a
 * wrong result.
 */
int ras_gemv(int fd);

/* Monotonic milliseconds. */
uint64_t ras_now_ms(void);
/* Whether we run in the wse test VM, whose host carries out WSE-HOST lines. */
bool ras_in_test_vm(void);
/* Ask the VM's host for something: print "WSE-HOST <request>" and flush. */
void ras_host_request(const char *request);
/* Run a program and wait; returns its exit status, or -1. */
int ras_run(const char *prog, const char *arg);

#endif /* WSE_RAS_UTIL_H */
