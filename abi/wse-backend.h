/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * wse-backend.h - the contract between libwse and the backends that run
 * its jobs.
 *
 * libwse is a front end: it checks every argument, keeps the device's
 * region, programs, tasks and windows, and turns results into sentences.
 * A backend only moves bytes and runs kernels. Two exist:
 *
 *   drm   the wse accel driver (/dev/accel/accelN); built into libwse.so
 *   sim   the wafer emulator core in the calling process; the plugin
 *         libwse-sim.so.1, which libwse dlopen()s on the first "sim:"
 *         device string
 *
 * A plugin exports one function, WSE_BACKEND_ENTRY, which hands libwse
 * its operations table for the contract version libwse speaks. Nothing
 * else of the plugin is visible. A third backend (a simulator spread over
 * several hosts, say) is a plugin libwse-<name>.so.1 that implements
 * this header; libwse itself does not change.
 *
 * Objects:
 *
 * - struct wse_backend_dev: one open device, a context of its own (the
 *   driver's open file; the simulator's context on a simulated wafer that
 *   every open of the same device string in the process shares).
 * - struct wse_backend_job: a submitted batch of commands. Jobs of one
 *   device run one at a time in submission order, whatever thread
 *   submitted them.
 *
 * Threads: every operation may be called from any thread, concurrently
 * with others on the same device, except close (called once, with
 * nothing else in flight) and wait/job_free of one job (never two at once
 * on the same job).
 *
 * Errors: negative errnos, as the driver's ioctls return them; libwse
 * adds the sentence.
 *
 * Plain C11, no libwse, libdrm or kernel header: a backend builds from
 * abi/ alone, like the device does.
 */
#ifndef WSE_BACKEND_H
#define WSE_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Contract version. A new minor version only appends operations to
 * struct wse_backend_ops; a new major one changes what exists.
 */
#define WSE_BACKEND_ABI_MAJOR	1
#define WSE_BACKEND_ABI_MINOR	2	/* 2: trace_arm, trace_read, counters_read */
#define WSE_BACKEND_ABI_VERSION	(WSE_BACKEND_ABI_MAJOR << 16 | WSE_BACKEND_ABI_MINOR)

/* The plugin's one exported symbol, of type wse_backend_entry_fn. */
#define WSE_BACKEND_ENTRY	"wse_backend_entry"

/* Command operations (values of the driver's DRM_WSE_OP_*) */
#define WSE_BACKEND_OP_NOP	0	/* nothing */
#define WSE_BACKEND_OP_WRITE	1	/* host -> SRAM, linear */
#define WSE_BACKEND_OP_READ	2	/* SRAM -> host, linear */
#define WSE_BACKEND_OP_LOAD	3	/* kernel image -> the region */
#define WSE_BACKEND_OP_H2D	4	/* host -> rectangle of PEs */
#define WSE_BACKEND_OP_D2H	5	/* rectangle of PEs -> host */
#define WSE_BACKEND_OP_LAUNCH	6	/* run an exported function */
/* Resident kernels and streams (qemu-device/wafer/stream.h) */
#define WSE_BACKEND_OP_RESIDENT	7	/* launch that stays resident */
#define WSE_BACKEND_OP_STREAM_IN 8	/* host -> west-edge wavelets */
#define WSE_BACKEND_OP_STREAM_OUT 9	/* west-edge wavelets -> host */
#define WSE_BACKEND_OP_CALL	10	/* function of the resident kernel */
#define WSE_BACKEND_OP_STOP	11	/* end the resident kernel */
#define WSE_BACKEND_OP_PE_DUMP	12	/* PE state record -> host (1.1) */
#define WSE_BACKEND_OP_COUNT	13

/* Host array order and broadcast of rectangle copies */
#define WSE_BACKEND_ORDER_ROW_MAJOR	0	/* host[y][x][e] */
#define WSE_BACKEND_ORDER_COL_MAJOR	1	/* host[e][x][y] */
#define WSE_BACKEND_BCAST_NONE		0
#define WSE_BACKEND_BCAST_ROW		1	/* host[y][e], H2D only */
#define WSE_BACKEND_BCAST_COL		2	/* host[x][e], H2D only */

#define WSE_BACKEND_MAX_ARGS	8	/* launch arguments, r1..r8 */
#define WSE_BACKEND_MAX_CMDS	64	/* commands of one job */

/* Device status of a failed command (values of DRM_WSE_STATUS_*) */
#define WSE_BACKEND_STATUS_OK		0x00
#define WSE_BACKEND_STATUS_BAD_OPCODE	0x01
#define WSE_BACKEND_STATUS_BAD_FIELD	0x02
#define WSE_BACKEND_STATUS_DMA_ERROR	0x03
#define WSE_BACKEND_STATUS_OUT_OF_REGION 0x04
#define WSE_BACKEND_STATUS_KERNEL_FAULT	0x05
#define WSE_BACKEND_STATUS_BAD_IMAGE	0x06
#define WSE_BACKEND_STATUS_NO_PROGRAM	0x07
#define WSE_BACKEND_STATUS_ABORTED	0x08
#define WSE_BACKEND_STATUS_TOO_LARGE	0x09
#define WSE_BACKEND_STATUS_BAD_SGL	0x0a
#define WSE_BACKEND_STATUS_STREAM_TIMEOUT 0x0b	/* -ETIMEDOUT */

/* Capability bits of wse_backend_info.caps (libwse's WSE_DEVICE_CAP_*) */
#define WSE_BACKEND_CAP_QUEUES		(1ULL << 0)
#define WSE_BACKEND_CAP_WINDOWS		(1ULL << 1)
#define WSE_BACKEND_CAP_KERNELS		(1ULL << 2)
#define WSE_BACKEND_CAP_RECT		(1ULL << 3)
#define WSE_BACKEND_CAP_STREAM		(1ULL << 4)

/*
 * What a device reports about itself, filled by open (libwse's struct
 * wse_device_info, whose documentation says what each field means).
 * @node names the device as the user would open it again: the node's
 * path for the driver, the normalised device string for a simulator.
 */
struct wse_backend_info {
	uint32_t mesh_width;
	uint32_t mesh_height;
	uint32_t sram_bytes;
	uint32_t num_queues;
	uint32_t num_windows;
	uint32_t window_size;
	uint32_t max_xfer;
	uint32_t max_image;
	uint32_t hw_version;
	uint32_t fw_version;
	uint64_t caps;
	int32_t minor;			/* -1: not a device node */
	char node[32];
	char pci_slot[32];
	char driver_version[32];
};

/**
 * struct wse_backend_cmd - one command of a job
 * @op: WSE_BACKEND_OP_*
 * @pad: zero
 * @host: the host bytes the command reads (WRITE, LOAD, H2D) or writes
 *	  (READ, D2H); NULL for NOP and LAUNCH
 * @length: bytes at @host: the linear length, the image's size, or the
 *	    host array's size of a rectangle copy
 * @sram: WRITE, READ: the range starts at @offset of region PE (@x, @y)
 *	  and runs on through the region's PEs in row-major order.
 *	  PE_DUMP: the state record (abi/pe-dump.h) of region PE (@x, @y)
 *	  into @host, @length >= WAFER_PE_DUMP_V1_SIZE bytes of which the
 *	  record's size are written; @offset zero. Between launches: the
 *	  state the last launch of the loaded program left
 * @rect: H2D, D2H: @elem_per_pe elements of @elem_bytes at SRAM address
 *	  @addr on every PE of the @w x @h rectangle at (@x, @y) of the
 *	  region; the host array in @order, broadcast by @bcast
 * @launch: LAUNCH: the function's symbol index and its arguments
 *
 * libwse has checked every field against the device's limits and the
 * region before it submits, so a backend may trust them; it still
 * refuses what it cannot do with a device status, as the device would.
 *
 * H2D, WRITE and LOAD: the backend has taken what it needs of @host when
 * submit returns, unless @host lies in memory of host_alloc, which it
 * may read while the job runs. READ, D2H and PE_DUMP write @host while the job
 * runs or when wait reports its end; libwse keeps it valid until then.
 */
struct wse_backend_cmd {
	uint32_t op;
	uint32_t pad;
	void *host;
	uint64_t length;
	union {
		struct {
			uint32_t x, y, offset;
		} sram;
		struct {
			uint32_t x, y, w, h;
			uint32_t addr;
			uint32_t elem_per_pe;
			uint8_t elem_bytes;	/* 2 or 4 */
			uint8_t order;		/* WSE_BACKEND_ORDER_* */
			uint8_t bcast;		/* WSE_BACKEND_BCAST_* */
		} rect;
		struct {
			uint32_t function;	/* symbol index */
			uint32_t nargs;
			uint32_t args[WSE_BACKEND_MAX_ARGS];
		} launch;		/* also RESIDENT, CALL (@host: r1, 4 bytes, or NULL) */
		struct {
			uint32_t color, edge, y, h;
			uint32_t elem_per_pe, elem_bytes;
		} stream;		/* STREAM_IN, STREAM_OUT */
	};
};

/* Flags of wse_backend_submit */
#define WSE_BACKEND_SUBMIT_NONBLOCK	(1u << 0)	/* the caller will not wait now */

/**
 * struct wse_backend_submit - how to run a job
 * @timeout_ms: run time limit; a job still running after it is stopped
 *		and ends with -ETIMEDOUT; 0 takes the backend's default
 *		(the driver's timeout_ms parameter; 60 s in the simulator)
 * @flags: WSE_BACKEND_SUBMIT_*
 */
struct wse_backend_submit {
	uint32_t timeout_ms;
	uint32_t flags;
};

/**
 * struct wse_backend_result - how a job ended (the driver's drm_wse_wait)
 * @status: 0 if every command succeeded, else a negative errno: -EIO for
 *	    a device error (see @device_status), -EFAULT for a kernel fault,
 *	    -ETIMEDOUT if the time limit stopped it, -ECANCELED if a reset
 *	    dropped it
 * @failed_cmd: index of the command that failed, 0 on success
 * @device_status: WSE_BACKEND_STATUS_* of that command
 * @reason: enum wafer_status of a kernel fault or a rejected image
 * @pe_x: faulting PE, relative to the region
 * @pe_y: faulting PE, relative to the region
 * @pc: program counter of the fault
 * @cycles: modeled wafer cycles of the job's launches, those that
 *	    faulted or were stopped included
 */
struct wse_backend_result {
	int32_t status;
	uint32_t failed_cmd;
	uint32_t device_status;
	uint32_t reason;
	uint32_t pe_x;
	uint32_t pe_y;
	uint32_t pc;
	uint64_t cycles;
};

/* Flags of window_map */
#define WSE_BACKEND_WINDOW_READONLY	(1u << 0)

struct wse_backend_dev;
struct wse_backend_job;
struct wafer_trace_config;
struct wafer_trace_pe;
struct wafer_trace_event;
struct wafer_pe_counters;

/**
 * struct wse_backend_ops - a backend
 * @abi_version: WSE_BACKEND_ABI_VERSION the backend was built with
 * @size: sizeof(struct wse_backend_ops) it was built with
 * @name: the device string prefix it serves, e.g. "sim"
 *
 * @open: open the device @args names (what follows "name:" in the
 *	device string, or a node path for drm); fill @info. On failure a
 *	sentence in @err: -ENODEV (no such device), -EINVAL (a malformed
 *	device string), -ENOMEM, or open(2)'s errno.
 * @close: release the device, its region, jobs and windows.
 * @fd: the file descriptor, or -EOPNOTSUPP if the device has none.
 * @region_alloc: reserve a @w x @h rectangle of free PEs, first fit from
 *	the top left, whose SRAM reads as zeros; its position in *@x, *@y.
 *	-ENOSPC if none is free. libwse has checked the size and that the
 *	device has no region.
 * @region_free: release it (SRAM is zeroed before its PEs are reused):
 *	0, or -EBUSY while a job of the device is unfinished.
 * @host_alloc: @size bytes (1 byte to 1 GiB) of zeroed, page-aligned
 *	host memory whose copies need no staging.
 * @host_free: free such memory; other pointers are ignored.
 * @submit: queue @n (1..WSE_BACKEND_MAX_CMDS) commands of one operation
 *	as a job. 0 with *job set: the job is queued or running, see wait.
 *	0 with *job NULL: it already ended, and *res holds its result.
 *	A negative errno: nothing was queued (-EIO on a stale device, see
 *	reset; -EBUSY without a free hardware queue; -ENOMEM).
 * @wait: wait up to timeout_ns (0 polls, negative waits for ever) for
 *	the job: 0 once it has ended, with *res filled in, again on every
 *	later call; -ETIME if it is still running; another errno if the
 *	backend cannot tell.
 * @job_free: wait for the job's end if need be and free it.
 * @window_map: map @length bytes (a multiple of 4096, and of the page
 *	size) from byte @start (aligned the same way) of region row @row's
 *	linear SRAM (PE x's bytes followed by PE x + 1's) into the process;
 *	*map receives the address, *handle what window_unmap needs. Takes
 *	one of the device's num_windows slots: -ENOSPC if none is free;
 *	-EINVAL for a range off the row; -EIO on a stale device.
 * @window_unmap: undo window_map and free the slot.
 * @set_small_copy: copies of at most @max_bytes may be made outside the
 *	queue, at once, after the jobs submitted before them have ended
 *	(the driver's SRAM windows: no job costs); 0 makes every copy a
 *	job and gives back what the backend kept for them. May be NULL.
 * @reset: reset the device: every job of every context on it ends with
 *	-ECANCELED, all SRAM is zeroed, every region and window goes and
 *	every context is stale (submit and window_map give -EIO until
 *	region_alloc or region_free); *count receives the resets so far.
 *	-EACCES if the caller may not.
 *
 * Since contract 1.2 (NULL, or beyond @size: the backend cannot trace;
 * libwse answers -EOPNOTSUPP):
 * @trace_arm: record the next LAUNCH the device executes (abi/wafer-trace.h;
 *	@cfg checked by libwse, NULL or no flags: do not).
 * @trace_read: after that launch, PE (@x, @y)'s header and up to @max of
 *	its events in cycle order; -ENODATA if no launch was traced since
 *	the program was loaded, -EBUSY while a launch runs.
 * @counters_read: every region PE's counters of that launch, row-major
 *	(@n >= the region's PEs); errnos as trace_read.
 */
struct wse_backend_ops {
	uint32_t abi_version;
	uint32_t size;
	const char *name;

	int (*open)(const char *args, struct wse_backend_dev **dev,
		    struct wse_backend_info *info, char *err, size_t errlen);
	void (*close)(struct wse_backend_dev *dev);
	int (*fd)(const struct wse_backend_dev *dev);

	int (*region_alloc)(struct wse_backend_dev *dev, uint32_t w, uint32_t h,
			    uint32_t *x, uint32_t *y);
	int (*region_free)(struct wse_backend_dev *dev);

	int (*host_alloc)(struct wse_backend_dev *dev, size_t size, void **ptr);
	void (*host_free)(struct wse_backend_dev *dev, void *ptr);

	int (*submit)(struct wse_backend_dev *dev,
		      const struct wse_backend_cmd *cmds, unsigned int n,
		      const struct wse_backend_submit *how,
		      struct wse_backend_job **job,
		      struct wse_backend_result *res);
	int (*wait)(struct wse_backend_dev *dev, struct wse_backend_job *job,
		    int64_t timeout_ns, struct wse_backend_result *res);
	void (*job_free)(struct wse_backend_dev *dev, struct wse_backend_job *job);

	int (*window_map)(struct wse_backend_dev *dev, uint32_t row,
			  uint64_t start, uint32_t length, unsigned int flags,
			  void **map, uintptr_t *handle);
	void (*window_unmap)(struct wse_backend_dev *dev, void *map,
			     uintptr_t handle, uint32_t length);
	void (*set_small_copy)(struct wse_backend_dev *dev, uint64_t max_bytes);

	int (*reset)(struct wse_backend_dev *dev, uint64_t *count);

	/* 1.2 */
	int (*trace_arm)(struct wse_backend_dev *dev, const struct wafer_trace_config *cfg);
	int (*trace_read)(struct wse_backend_dev *dev, uint32_t x, uint32_t y,
			  struct wafer_trace_pe *hdr, struct wafer_trace_event *ev,
			  uint32_t max);
	int (*counters_read)(struct wse_backend_dev *dev, struct wafer_pe_counters *c,
			     size_t n);
};

/* The backend has @op (a member of struct wse_backend_ops). */
#define WSE_BACKEND_HAS(ops, op) \
	((ops)->size >= offsetof(struct wse_backend_ops, op) + sizeof((ops)->op) && (ops)->op)

/*
 * The plugin's entry: its operations for contract version @abi_version
 * (WSE_BACKEND_ABI_VERSION of the caller), or NULL if it does not speak
 * that major version.
 */
typedef const struct wse_backend_ops *(*wse_backend_entry_fn)(uint32_t abi_version);

#ifdef __cplusplus
}
#endif

#endif /* WSE_BACKEND_H */
