/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * Copyright (c) 2026 The wse authors.
 */

#ifndef __UAPI_WSE_ACCEL_H__
#define __UAPI_WSE_ACCEL_H__

#include "drm.h"

#if defined(__cplusplus)
extern "C" {
#endif

/**
 * DOC: wse uAPI
 *
 * wse drives a wafer-scale engine: a mesh of processing elements (PEs),
 * each with its own SRAM, behind a PCIe device at /dev/accel/accelN.
 *
 * Every open file is a context. A context owns:
 *
 * - buffer objects (GEM, shmem backed), created with
 *   %DRM_IOCTL_WSE_BO_CREATE, mapped with mmap() at the returned offset and
 *   freed with %DRM_IOCTL_GEM_CLOSE;
 * - at most one region: a rectangle of PEs reserved with
 *   %DRM_IOCTL_WSE_REGION_ALLOC. Every PE coordinate a context passes is
 *   relative to its region; no command can reach a PE outside it;
 * - one hardware queue, taken on the first submit, on which its jobs run
 *   in submission order;
 * - jobs: batches of commands submitted with %DRM_IOCTL_WSE_SUBMIT and
 *   waited for with %DRM_IOCTL_WSE_WAIT or through a drm_syncobj.
 *
 * Handles, regions and jobs of one file are invisible to every other file.
 * All structures are little-endian, every field named pad or rsvd and every
 * undefined flag bit must be zero: the driver refuses anything else with
 * -EINVAL, so that the fields can be given a meaning later. A bad user
 * pointer gives -EFAULT, an unknown handle, job or syncobj -ENOENT, and
 * every ioctl -ENODEV once the device is gone.
 *
 * - SRAM windows: GEM objects created with %DRM_IOCTL_WSE_WINDOW_CREATE
 *   that show a range of the region's SRAM through the device's BAR.
 *   mmap() at the returned offset gives loads and stores straight to
 *   the SRAM; %DRM_IOCTL_GEM_CLOSE destroys the window once unmapped.
 *
 * Closing the file drops its queued jobs, aborts the one running, zeroes
 * and releases its region and gives its hardware queue back.
 *
 * Contexts are per open file description: a dup()ed, inherited (fork) or
 * passed (SCM_RIGHTS) descriptor is the same context with the same
 * handles, jobs, windows and region; another open() is another context,
 * to which this one's handles are -ENOENT and mmap offsets -EACCES.
 *
 * Device reset (%DRM_IOCTL_WSE_RESET, the driver's device_reset sysfs
 * attribute, a PCI function-level reset) stops every queue: jobs on the
 * hardware end with -ECANCELED, as do queued jobs when their turn comes.
 * It zeroes all SRAM and makes every context open at the time stale: its
 * region, loaded program and windows are gone (window mappings raise
 * SIGBUS), and %DRM_IOCTL_WSE_SUBMIT and %DRM_IOCTL_WSE_WINDOW_CREATE fail
 * with -EIO until the context calls %DRM_IOCTL_WSE_REGION_ALLOC (which
 * reserves a new region) or %DRM_IOCTL_WSE_REGION_FREE (which then
 * succeeds with nothing to free). %DRM_IOCTL_WSE_WAIT keeps reporting the
 * results of earlier jobs. The driver announces every reset with a
 * KOBJ_CHANGE uevent of the PCI device carrying WSE_RESET=1,
 * WSE_RESET_REASON and WSE_RESET_COUNT.
 *
 * After the device is unplugged or the driver unbound, every ioctl fails
 * with -ENODEV, window mappings raise SIGBUS and only close() and munmap()
 * still work.
 *
 * Of the DRM core ioctls, accel files take %DRM_IOCTL_VERSION,
 * %DRM_IOCTL_GET_CAP, %DRM_IOCTL_GEM_CLOSE, the PRIME ioctls and the
 * DRM_IOCTL_SYNCOBJ_* ioctls (binary syncobjs only). Every other core
 * ioctl fails with -EOPNOTSUPP (accel files have no DRM master and no
 * global GEM names), an ioctl that is not a DRM ioctl with -ENOTTY.
 */

#define DRM_WSE_GET_INFO		0x00
#define DRM_WSE_BO_CREATE		0x01
#define DRM_WSE_BO_INFO			0x02
#define DRM_WSE_REGION_ALLOC		0x03
#define DRM_WSE_REGION_FREE		0x04
#define DRM_WSE_SUBMIT			0x05
#define DRM_WSE_WAIT			0x06
#define DRM_WSE_WINDOW_CREATE		0x07
#define DRM_WSE_RESET			0x08
#define DRM_WSE_GET_PARAM		0x09
#define DRM_WSE_BO_USERPTR		0x0a

#define DRM_IOCTL_WSE_GET_INFO \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_WSE_GET_INFO, struct drm_wse_info)
#define DRM_IOCTL_WSE_BO_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_WSE_BO_CREATE, struct drm_wse_bo_create)
#define DRM_IOCTL_WSE_BO_INFO \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_WSE_BO_INFO, struct drm_wse_bo_info)
#define DRM_IOCTL_WSE_REGION_ALLOC \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_WSE_REGION_ALLOC, struct drm_wse_region)
#define DRM_IOCTL_WSE_REGION_FREE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_WSE_REGION_FREE, struct drm_wse_region)
#define DRM_IOCTL_WSE_SUBMIT \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_WSE_SUBMIT, struct drm_wse_submit)
#define DRM_IOCTL_WSE_WAIT \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_WSE_WAIT, struct drm_wse_wait)
#define DRM_IOCTL_WSE_WINDOW_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_WSE_WINDOW_CREATE, struct drm_wse_window_create)
#define DRM_IOCTL_WSE_RESET \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_WSE_RESET, struct drm_wse_reset)
#define DRM_IOCTL_WSE_GET_PARAM \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_WSE_GET_PARAM, struct drm_wse_get_param)
#define DRM_IOCTL_WSE_BO_USERPTR \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_WSE_BO_USERPTR, struct drm_wse_bo_userptr)

/* Capability bits of drm_wse_info.caps */
#define DRM_WSE_CAP_QUEUES		(1ULL << 0)
#define DRM_WSE_CAP_WINDOWS		(1ULL << 1)
#define DRM_WSE_CAP_KERNELS		(1ULL << 2)
#define DRM_WSE_CAP_RECT		(1ULL << 3)
#define DRM_WSE_CAP_STREAM		(1ULL << 4)	/* resident kernels, streams */

/**
 * struct drm_wse_info - what the device reports about itself
 *
 * Filled by %DRM_IOCTL_WSE_GET_INFO from the device's registers, read when
 * the driver bound the device. Does not block.
 */
struct drm_wse_info {
	/** @flags: In. Must be zero. */
	__u32 flags;
	/** @pad: In. Must be zero. */
	__u32 pad;
	/** @hw_version: Out. Register interface version, major << 16 | minor. */
	__u32 hw_version;
	/** @fw_version: Out. Device (emulator) build, major << 16 | minor. */
	__u32 fw_version;
	/** @caps: Out. DRM_WSE_CAP_* bits. */
	__u64 caps;
	/** @mesh_width: Out. PEs per row of the wafer. */
	__u32 mesh_width;
	/** @mesh_height: Out. Rows of PEs. */
	__u32 mesh_height;
	/** @sram_bytes: Out. SRAM bytes of each PE. */
	__u32 sram_bytes;
	/** @num_queues: Out. Hardware queues (at most this many open contexts submit). */
	__u32 num_queues;
	/** @num_windows: Out. SRAM window slots. */
	__u32 num_windows;
	/** @window_size: Out. Largest window, bytes. */
	__u32 window_size;
	/**
	 * @max_xfer: Out. Largest byte count of one command: the device's
	 * limit, at most 32 MiB.
	 */
	__u32 max_xfer;
	/** @max_image: Out. Largest kernel image, bytes; at most 32 MiB. */
	__u32 max_image;
};

/**
 * struct drm_wse_bo_create - create a buffer object
 *
 * The buffer is zero-filled system memory the device reads and writes by
 * DMA. Map it with mmap() on the device file at @mmap_offset; mappings
 * are cached and coherent with the device. Free it with
 * %DRM_IOCTL_GEM_CLOSE: it goes away once unmapped and unused by jobs.
 */
struct drm_wse_bo_create {
	/** @size: In. Bytes, rounded up to the page size; 1..1 GiB. */
	__u64 size;
	/** @flags: In. Must be zero. */
	__u32 flags;
	/** @handle: Out. GEM handle of the new buffer. */
	__u32 handle;
	/** @mmap_offset: Out. Offset to pass to mmap(). */
	__u64 mmap_offset;
};

/**
 * struct drm_wse_bo_info - look up a buffer object
 *
 * Works for buffers imported with %DRM_IOCTL_PRIME_FD_TO_HANDLE too.
 */
struct drm_wse_bo_info {
	/** @handle: In. GEM handle owned by this file. */
	__u32 handle;
	/** @pad: In. Must be zero. */
	__u32 pad;
	/** @size: Out. Bytes. */
	__u64 size;
	/** @mmap_offset: Out. Offset to pass to mmap(). */
	__u64 mmap_offset;
};

/**
 * struct drm_wse_region - reserve or release this file's rectangle of PEs
 *
 * %DRM_IOCTL_WSE_REGION_ALLOC places a @width x @height rectangle on free
 * PEs of the wafer, first fit from the top left (-ENOSPC if none is free,
 * -EBUSY if the file already has one). The SRAM of a new region reads as
 * zeros. Does not block.
 *
 * %DRM_IOCTL_WSE_REGION_FREE releases it (In fields must be zero; -ENOENT
 * if the file has no region, -EBUSY while a job of the file is
 * unfinished). If a job may have written the region, the call blocks while
 * the driver zeroes its SRAM. Closing the file does the same. Freeing the
 * region revokes the file's windows.
 *
 * On a stale context (after a device reset) both calls first clear the
 * stale state: ALLOC then reserves a new region, FREE returns 0 (the
 * reset already released the region).
 */
struct drm_wse_region {
	/** @width: In. PEs, 1..mesh_width. */
	__u32 width;
	/** @height: In. PEs, 1..mesh_height. */
	__u32 height;
	/** @flags: In. Must be zero. */
	__u32 flags;
	/** @pad: In. Must be zero. */
	__u32 pad;
	/** @x: Out. Column of the region's first PE on the wafer. */
	__u32 x;
	/** @y: Out. Row of the region's first PE on the wafer. */
	__u32 y;
};

/* Command operations (drm_wse_cmd.op) */
#define DRM_WSE_OP_NOP		0	/* nothing; proves the queue works */
#define DRM_WSE_OP_WRITE	1	/* buffer -> SRAM, linear */
#define DRM_WSE_OP_READ		2	/* SRAM -> buffer, linear */
#define DRM_WSE_OP_LOAD		3	/* kernel image in a buffer -> region */
#define DRM_WSE_OP_H2D		4	/* buffer -> rectangle of PEs */
#define DRM_WSE_OP_D2H		5	/* rectangle of PEs -> buffer */
#define DRM_WSE_OP_LAUNCH	6	/* run an exported function */
/* Resident kernels and streams (Documentation/wse/streaming.rst) */
#define DRM_WSE_OP_RESIDENT	7	/* launch a kernel that stays resident */
#define DRM_WSE_OP_STREAM_IN	8	/* buffer -> wavelets into the west edge */
#define DRM_WSE_OP_STREAM_OUT	9	/* wavelets off the west edge -> buffer */
#define DRM_WSE_OP_CALL		10	/* exported function of the resident kernel */
#define DRM_WSE_OP_STOP		11	/* end the resident kernel */

/* drm_wse_cmd_stream.edge */
#define DRM_WSE_EDGE_WEST	0
#define DRM_WSE_COLORS		24
#define DRM_WSE_OP_PE_DUMP	12	/* PE state record -> buffer */

/* Host array order and broadcast of rectangle copies */
#define DRM_WSE_ORDER_ROW_MAJOR	0
#define DRM_WSE_ORDER_COL_MAJOR	1
#define DRM_WSE_BCAST_NONE	0
#define DRM_WSE_BCAST_ROW	1
#define DRM_WSE_BCAST_COL	2

#define DRM_WSE_MAX_ARGS	8

/*
 * PE_DUMP: the state record of region PE (sram.x, sram.y) (the wse
 * repository's abi/pe-dump.h, version 1: this many bytes) into the
 * buffer; sram.offset zero, @length at least DRM_WSE_PE_DUMP_MIN. Runs
 * after the job's earlier commands: the state the last launch left.
 * Without a loaded program the command fails with
 * DRM_WSE_STATUS_NO_PROGRAM.
 */
#define DRM_WSE_PE_DUMP_MIN	4456

/**
 * struct drm_wse_cmd_sram - linear SRAM range of a WRITE or READ
 */
struct drm_wse_cmd_sram {
	/** @x: In. Column of the first PE, relative to the region. */
	__u32 x;
	/** @y: In. Row of the first PE, relative to the region. */
	__u32 y;
	/**
	 * @offset: In. Byte offset in that PE's SRAM. The range continues
	 * through the following PEs of the region in row-major order and
	 * must end inside the region.
	 */
	__u32 offset;
	/** @pad: In. Must be zero. */
	__u32 pad;
};

/**
 * struct drm_wse_cmd_rect - rectangle of an H2D or D2H copy
 *
 * Every PE of the @w x @h rectangle at (@x, @y) holds @elem_per_pe
 * elements of @elem_bytes at SRAM address @addr. The buffer holds the host
 * array of h x w x elem_per_pe elements, in @order; with a broadcast
 * (H2D only) it holds h x elem_per_pe (row) or w x elem_per_pe (column)
 * elements, one set per row or column of PEs.
 */
struct drm_wse_cmd_rect {
	/** @x: In. First column, relative to the region. */
	__u32 x;
	/** @y: In. First row, relative to the region. */
	__u32 y;
	/** @w: In. Columns, >= 1. */
	__u32 w;
	/** @h: In. Rows, >= 1. */
	__u32 h;
	/** @addr: In. SRAM byte address, aligned to @elem_bytes. */
	__u32 addr;
	/** @elem_per_pe: In. Elements per PE, >= 1. */
	__u32 elem_per_pe;
	/** @elem_bytes: In. 2 or 4. */
	__u8 elem_bytes;
	/** @order: In. DRM_WSE_ORDER_*. */
	__u8 order;
	/** @bcast: In. DRM_WSE_BCAST_*; H2D only. */
	__u8 bcast;
	/** @pad: In. Must be zero. */
	__u8 pad[5];
};

/**
 * struct drm_wse_cmd_launch - kernel launch
 */
struct drm_wse_cmd_launch {
	/** @function: In. Symbol index of an exported function of the loaded image. */
	__u32 function;
	/** @nargs: In. Arguments used, 0..DRM_WSE_MAX_ARGS. */
	__u32 nargs;
	/** @args: In. Passed in r1..r8; unused ones must be zero. */
	__u32 args[DRM_WSE_MAX_ARGS];
};

/**
 * struct drm_wse_cmd_stream - STREAM_IN or STREAM_OUT
 *
 * The buffer holds @h x @elem_per_pe elements of @elem_bytes, row after
 * row: region PE (0, @y + r) receives (STREAM_IN) or sent west
 * (STREAM_OUT) elements [r * @elem_per_pe, (r + 1) * @elem_per_pe) on
 * @color, one wavelet each.
 */
struct drm_wse_cmd_stream {
	/** @color: In. 0..DRM_WSE_COLORS - 1. */
	__u32 color;
	/** @edge: In. DRM_WSE_EDGE_WEST. */
	__u32 edge;
	/** @y: In. First row, relative to the region. */
	__u32 y;
	/** @h: In. Rows, >= 1, inside the region. */
	__u32 h;
	/** @elem_per_pe: In. Wavelets per row, >= 1. */
	__u32 elem_per_pe;
	/** @elem_bytes: In. 2 or 4. */
	__u32 elem_bytes;
};

/**
 * struct drm_wse_cmd - one command of a job
 *
 * @handle, @offset and @length name the bytes of a buffer object the
 * command reads or writes: all three must be zero for NOP, LAUNCH,
 * RESIDENT and STOP; for CALL either zero or 4 bytes that receive the
 * function's return value; for
 * the others the range must lie inside the buffer, and @length must match
 * what the command moves (for rectangle copies, the host array's size).
 * Union bytes the operation does not use must be zero.
 */
struct drm_wse_cmd {
	/** @op: In. DRM_WSE_OP_*. */
	__u32 op;
	/** @flags: In. Must be zero. */
	__u32 flags;
	/** @handle: In. GEM handle of this file. */
	__u32 handle;
	/** @pad: In. Must be zero. */
	__u32 pad;
	/** @offset: In. Byte offset in the buffer. */
	__u64 offset;
	/** @length: In. Bytes; 1..drm_wse_info.max_xfer (max_image for LOAD). */
	__u64 length;
	union {
		/** @sram: In. WRITE, READ and PE_DUMP. */
		struct drm_wse_cmd_sram sram;
		/** @rect: In. H2D and D2H. */
		struct drm_wse_cmd_rect rect;
		/** @launch: In. LAUNCH, RESIDENT and CALL. */
		struct drm_wse_cmd_launch launch;
		/** @stream: In. STREAM_IN and STREAM_OUT. */
		struct drm_wse_cmd_stream stream;
		/** @rsvd: In. Zero for NOP and LOAD. */
		__u64 rsvd[5];
	};
};

#define DRM_WSE_MAX_CMDS	64

/* drm_wse_submit.out_flags */
#define DRM_WSE_SUBMIT_ENDED	(1u << 0)	/* the job ended, outcome included */

/**
 * struct drm_wse_submit - queue a job
 *
 * The commands run in order on this file's hardware queue, after every
 * job the file submitted before; the first failing command ends the job
 * and the rest do not run. Every field of every command is checked before
 * anything runs: on error nothing is queued (-EINVAL for a bad field,
 * -ENOENT for an unknown handle or @out_syncobj, -EOPNOTSUPP for an
 * operation the device lacks, see drm_wse_info.caps). Commands other than
 * NOP need a region (-EINVAL without one). The first submit of a file
 * takes a hardware queue: -EBUSY if none is free. A stale context (after
 * a device reset, see the DOC section) gets -EIO.
 *
 * Returns once the job is queued. A file has at most 1024 unfinished
 * jobs: beyond that the call blocks, interruptibly, until the oldest one
 * ends. A job that runs longer than its timeout is stopped and completes
 * with -ETIMEDOUT; stopping it drops the kernel image the queue had
 * loaded.
 *
 * In-fence: with @in_syncobj, the job runs only once the fence of that
 * syncobj (at timeline point @in_point, or its current fence when
 * @in_point is 0) has signalled; the fence may come from any driver or
 * device, e.g. another wse device's job exported with
 * DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD. The fence must exist when SUBMIT is
 * called (-EINVAL for a point not yet submitted). If it has not signalled
 * after @in_timeout_ms, or it signals an error, the job completes with
 * -ETIMEDOUT or -ECANCELED without touching the device, and the jobs after
 * it run as usual. Out-fence: @out_syncobj gets the job's finished fence,
 * replacing its fence when @out_point is 0 or added as timeline point
 * @out_point (which must be above the syncobj's last point, -EINVAL).
 *
 * The structure grew from 32 bytes (up to @job_id) to 64: a caller built
 * with the older header passes zeros for the fields after @job_id. It grew
 * again to 104 bytes with the Out fields from @out_flags on: a caller
 * built with an older header does not get them, and an older driver
 * leaves them as the caller passed them (zero them before the call: then
 * @out_flags 0 means "wait for the job as always").
 *
 * Ended jobs: a short job (NOPs, small copies, commands the device
 * refuses) often ends before SUBMIT returns (see Documentation/wse/
 * driver.rst, "Submission latency"). SUBMIT then sets
 * DRM_WSE_SUBMIT_ENDED in @out_flags and reports the job's outcome in
 * @status .. @cycles: exactly what %DRM_IOCTL_WSE_WAIT reports for it
 * (same fields, same values), so the caller need not call WAIT. WAIT
 * still works for such a job, as for any other. Without the flag, the
 * job may still run and the fields after @out_flags are zero.
 *
 * Limits on what a file holds in the kernel, set by root with the wse
 * module parameters (read them in /sys/module/wse/parameters/):
 *
 * - @timeout_ms above max_timeout_ms (default 600000, 10 minutes; 0
 *   lifts the cap) is -EINVAL.
 * - Each command that moves bytes holds a device scatter-gather list of
 *   16 bytes per contiguous piece of its range, rounded up to pages,
 *   until its job has ended. The lists of a file's unfinished jobs may
 *   hold file_list_bytes (default 64 MiB): a job whose own lists need
 *   more is -E2BIG; a job that does not fit while earlier ones run is
 *   -ENOSPC (wait for one of them, then submit again).
 *
 * A failed allocation is -ENOMEM.
 */
struct drm_wse_submit {
	/** @cmds_ptr: In. User pointer to @cmd_count struct drm_wse_cmd. */
	__u64 cmds_ptr;
	/** @cmd_count: In. 1..DRM_WSE_MAX_CMDS. */
	__u32 cmd_count;
	/** @flags: In. Must be zero. */
	__u32 flags;
	/**
	 * @out_syncobj: In. Binary syncobj of this file whose fence is
	 * replaced by the job's, or 0.
	 */
	__u32 out_syncobj;
	/**
	 * @timeout_ms: In. Run time limit, counted from when the job
	 * reaches the hardware; 0 takes the timeout_ms module parameter
	 * (whose 0 means no limit).
	 */
	__u32 timeout_ms;
	/** @job_id: Out. Identifies the job to %DRM_IOCTL_WSE_WAIT. */
	__u64 job_id;
	/** @in_syncobj: In. Syncobj of this file to wait for, or 0. */
	__u32 in_syncobj;
	/**
	 * @in_timeout_ms: In. Longest wait for @in_syncobj; 0 takes the
	 * timeout_ms module parameter (60 s by default; its 0 means none).
	 */
	__u32 in_timeout_ms;
	/** @in_point: In. Timeline point of @in_syncobj; 0 for a binary one. */
	__u64 in_point;
	/** @out_point: In. Timeline point of @out_syncobj to signal, or 0. */
	__u64 out_point;
	/** @reserved: Must be zero. */
	__u64 reserved;
	/**
	 * @out_flags: Out. DRM_WSE_SUBMIT_ENDED if the job had ended when
	 * SUBMIT returned; its outcome is then in the fields below.
	 */
	__u32 out_flags;
	/** @status: Out. As drm_wse_wait.status, for an ended job. */
	__s32 status;
	/** @failed_cmd: Out. As drm_wse_wait.failed_cmd. */
	__u32 failed_cmd;
	/** @device_status: Out. As drm_wse_wait.device_status. */
	__u32 device_status;
	/** @reason: Out. As drm_wse_wait.reason. */
	__u32 reason;
	/** @pe_x: Out. As drm_wse_wait.pe_x. */
	__u32 pe_x;
	/** @pe_y: Out. As drm_wse_wait.pe_y. */
	__u32 pe_y;
	/** @pc: Out. As drm_wse_wait.pc. */
	__u32 pc;
	/** @cycles: Out. As drm_wse_wait.cycles. */
	__u64 cycles;
};

/* Device status of a failed command (drm_wse_wait.device_status) */
#define DRM_WSE_STATUS_OK		0x00
#define DRM_WSE_STATUS_BAD_OPCODE	0x01
#define DRM_WSE_STATUS_BAD_FIELD	0x02
#define DRM_WSE_STATUS_DMA_ERROR	0x03
#define DRM_WSE_STATUS_OUT_OF_REGION	0x04
#define DRM_WSE_STATUS_KERNEL_FAULT	0x05
#define DRM_WSE_STATUS_BAD_IMAGE	0x06
#define DRM_WSE_STATUS_NO_PROGRAM	0x07
#define DRM_WSE_STATUS_ABORTED		0x08
#define DRM_WSE_STATUS_TOO_LARGE	0x09
#define DRM_WSE_STATUS_BAD_SGL		0x0a
#define DRM_WSE_STATUS_STREAM_TIMEOUT	0x0b	/* -ETIMEDOUT: a stream's wavelets never came */

/**
 * struct drm_wse_wait - wait for a job and collect its result
 *
 * Returns 0 once the job has finished, whatever its outcome, which is
 * then in @status and the fields after it; -ETIME if it is still running
 * after @timeout_ns; -ENOENT if @job_id was never returned to this file
 * or its result was dropped (the driver keeps the results of the most
 * recent 1024 jobs of a file); -EINTR (or a restart) on a signal.
 * The deadline holds across signals: a wait interrupted by one stores the
 * time left in @timeout_ns (0 if none is), so a restarted or re-issued
 * call waits only for the rest.
 */
struct drm_wse_wait {
	/** @job_id: In. From struct drm_wse_submit. */
	__u64 job_id;
	/** @timeout_ns: In. Relative; 0 polls, negative waits forever. */
	__s64 timeout_ns;
	/** @flags: In. Must be zero. */
	__u32 flags;
	/**
	 * @status: Out. 0 if every command succeeded, else a negative
	 * errno: -EIO for a device error (see @device_status), -EFAULT for a
	 * kernel fault on the wafer, -ETIMEDOUT if the job exceeded its
	 * timeout (@device_status is then DRM_WSE_STATUS_ABORTED), -ECANCELED
	 * if a device reset, suspend or the file's close dropped it, -ENODEV
	 * if the device went away under it.
	 */
	__s32 status;
	/** @failed_cmd: Out. Index of the command that failed, 0 on success. */
	__u32 failed_cmd;
	/** @device_status: Out. DRM_WSE_STATUS_* of that command. */
	__u32 device_status;
	/** @reason: Out. Wafer status of a kernel fault or a rejected image. */
	__u32 reason;
	/** @pe_x: Out. Faulting PE, relative to the region. */
	__u32 pe_x;
	/** @pe_y: Out. Faulting PE, relative to the region. */
	__u32 pe_y;
	/** @pc: Out. Program counter of the fault. */
	__u32 pc;
	/**
	 * @cycles: Out. Modeled wafer cycles of the job's launches, those
	 * that faulted or were stopped included.
	 */
	__u64 cycles;
};

/* drm_wse_window_create.flags */
#define DRM_WSE_WINDOW_READONLY		(1u << 0)

/**
 * struct drm_wse_window_create - map a range of the region's SRAM
 *
 * Creates a window: a GEM object that shows @length bytes of the wafer's
 * linear SRAM space from byte @offset of region PE (@x, @y) on. In that
 * space a PE's SRAM is followed by the SRAM of the next PE of the same
 * mesh row, so a window may span consecutive PEs of one row of the
 * region; it must end inside the region's row (-EINVAL otherwise: no
 * window shows SRAM of a PE outside the region). The window takes one of
 * the device's drm_wse_info.num_windows slots, shared by all contexts:
 * -ENOSPC when none is free. A writable window also takes the file's
 * hardware queue, as the first submit does (-EBUSY if none is free): the
 * driver needs it to zero the region once the file frees it.
 *
 * Map it with mmap(MAP_SHARED) at @mmap_offset on this file: loads and
 * stores go to the SRAM directly (write-combined; they are not ordered
 * with jobs of the queue, wait for a job before looking at what it wrote).
 * Private mappings are refused with -EINVAL, mappings of other files with
 * -EACCES, mappings of a window that is gone (see below) with -EIO. A
 * %DRM_WSE_WINDOW_READONLY window can only be mapped without PROT_WRITE
 * (-EACCES otherwise, also from mprotect()); the device drops stores to
 * it as well.
 *
 * %DRM_IOCTL_GEM_CLOSE of @handle destroys the window once it is no longer
 * mapped and frees its slot; closing the file destroys all its windows.
 * Windows cannot be exported (PRIME: -EOPNOTSUPP) and are not buffers:
 * SUBMIT refuses them as command buffers with -EINVAL.
 *
 * The window is revoked, mappings raising SIGBUS from then on and its slot
 * freed, when the region is freed, when the device is reset and when it
 * goes away. Suspend and resume keep windows (their SRAM reads as zeros
 * after resume).
 *
 * Errors: -EINVAL for non-zero pads, unknown flags, a misaligned @offset,
 * a bad @length, a range outside the region or a file without a region;
 * -EIO for a stale context (see the DOC section); -ENOSPC without a free
 * slot; -EBUSY without a free queue; -EOPNOTSUPP if the device has no
 * windows (drm_wse_info.caps). Does not block.
 */
struct drm_wse_window_create {
	/** @x: In. Column of the first PE, relative to the region. */
	__u32 x;
	/** @y: In. Row of the first PE, relative to the region. */
	__u32 y;
	/** @offset: In. Byte offset in that PE's SRAM, 4 KiB aligned. */
	__u32 offset;
	/**
	 * @length: In. Bytes, a multiple of 4 KiB,
	 * 4 KiB..drm_wse_info.window_size.
	 */
	__u32 length;
	/** @flags: In. DRM_WSE_WINDOW_* bits. */
	__u32 flags;
	/** @handle: Out. GEM handle of the window. */
	__u32 handle;
	/** @mmap_offset: Out. Offset to pass to mmap(). */
	__u64 mmap_offset;
};

/* drm_wse_reset.mode */
#define DRM_WSE_RESET_DEVICE		1

/**
 * struct drm_wse_reset - reset the device
 *
 * Needs CAP_SYS_ADMIN (-EACCES otherwise). Stops every queue, resets the
 * device and makes every open context stale, this one included (see the
 * DOC section). Blocks until the device is back: 0, or -EIO if it did not
 * come back (queues then stay out of service until the next reset).
 */
struct drm_wse_reset {
	/**
	 * @mode: In. DRM_WSE_RESET_DEVICE. Any other value is -EINVAL, so
	 * that a zeroed structure never resets anything.
	 */
	__u32 mode;
	/** @flags: In. Must be zero. */
	__u32 flags;
	/** @reset_count: Out. Resets since the driver bound, this one included. */
	__u64 reset_count;
};

/*
 * Parameters of DRM_IOCTL_WSE_GET_PARAM. New ones are added at the end; a
 * value never changes meaning. Device values are what the device reported
 * at probe, as in struct drm_wse_info.
 */
#define DRM_WSE_PARAM_MESH_WIDTH	0	/* PEs per row */
#define DRM_WSE_PARAM_MESH_HEIGHT	1	/* rows of PEs */
#define DRM_WSE_PARAM_SRAM_BYTES	2	/* SRAM bytes per PE */
#define DRM_WSE_PARAM_NUM_QUEUES	3
#define DRM_WSE_PARAM_NUM_WINDOWS	4
#define DRM_WSE_PARAM_WINDOW_SIZE	5	/* largest window, bytes */
#define DRM_WSE_PARAM_MAX_XFER		6	/* bytes per data command */
#define DRM_WSE_PARAM_MAX_IMAGE		7	/* bytes per kernel image */
#define DRM_WSE_PARAM_HW_VERSION	8	/* major << 16 | minor */
#define DRM_WSE_PARAM_FW_VERSION	9	/* major << 16 | minor */
#define DRM_WSE_PARAM_DEVICE_CAPS	10	/* DRM_WSE_CAP_* */
#define DRM_WSE_PARAM_DRIVER_VERSION	11	/* major << 16 | minor << 8 | patch */
#define DRM_WSE_PARAM_DRIVER_CAPS	12	/* DRM_WSE_DRIVER_CAP_* */
#define DRM_WSE_PARAM_MAX_CMDS		13	/* commands per SUBMIT */
#define DRM_WSE_PARAM_MAX_JOBS		14	/* unfinished jobs per file */
#define DRM_WSE_PARAM_MAX_BO_SIZE	15	/* bytes per BO_CREATE */
#define DRM_WSE_PARAM_DEFAULT_TIMEOUT_MS 16	/* timeout_ms module parameter */
#define DRM_WSE_PARAM_RESETS		17	/* resets since the driver bound */

/* What the driver (not the device) offers: DRM_WSE_PARAM_DRIVER_CAPS */
#define DRM_WSE_DRIVER_CAP_IN_FENCE	(1ULL << 0)	/* drm_wse_submit.in_syncobj */
#define DRM_WSE_DRIVER_CAP_TIMELINE	(1ULL << 1)	/* timeline syncobjs */
#define DRM_WSE_DRIVER_CAP_FDINFO	(1ULL << 2)	/* drm-usage-stats in fdinfo */
#define DRM_WSE_DRIVER_CAP_USERPTR	(1ULL << 3)	/* DRM_IOCTL_WSE_BO_USERPTR */
#define DRM_WSE_DRIVER_CAP_SUBMIT_ENDED	(1ULL << 4)	/* drm_wse_submit.out_flags */

/**
 * struct drm_wse_get_param - query one value of the device or driver
 *
 * For values that grow with the driver, leaving struct drm_wse_info as it
 * is. -EINVAL for an unknown @param or non-zero @flags: a program can
 * probe for a parameter and fall back when the driver is older.
 */
struct drm_wse_get_param {
	/** @param: In. DRM_WSE_PARAM_*. */
	__u32 param;
	/** @flags: In. Must be zero. */
	__u32 flags;
	/** @value: Out. */
	__u64 value;
};

/* The device only reads the pages: for H2D, WRITE and LOAD sources. */
#define DRM_WSE_USERPTR_READONLY	(1u << 0)

/**
 * struct drm_wse_bo_userptr - a buffer object of the caller's own memory
 *
 * Pins the pages of [@user_ptr, @user_ptr + @size) (any anonymous or
 * file-backed mapping of the process, e.g. malloc() memory) and makes them
 * a buffer object commands can name like one from BO_CREATE, so the device
 * reads and writes them directly, with no copy. The pages count against
 * RLIMIT_MEMLOCK (unless the caller has CAP_IPC_LOCK) until the object is
 * freed: -ENOMEM beyond it. @user_ptr and @size must be page aligned, @size
 * at most 1 GiB (-EINVAL); a range that is not entirely mapped, or not
 * writable without DRM_WSE_USERPTR_READONLY, is -EFAULT. A read-only
 * object is refused (-EINVAL at SUBMIT) as the target of READ and D2H.
 * The object cannot be mmap()ed through the device or exported (the caller
 * has the memory already).
 *
 * The pinned pages stay the object's for its life: after munmap() or a
 * new mapping over the range the device still reaches the old pages, which
 * the process no longer sees; after fork() the parent keeps them and the
 * child gets copies.
 */
struct drm_wse_bo_userptr {
	/** @user_ptr: In. Page aligned start of the memory. */
	__u64 user_ptr;
	/** @size: In. Page aligned, 1 .. 1 GiB. */
	__u64 size;
	/** @flags: In. DRM_WSE_USERPTR_*. */
	__u32 flags;
	/** @handle: Out. The object's GEM handle. */
	__u32 handle;
};

#if defined(__cplusplus)
}
#endif

#endif /* __UAPI_WSE_ACCEL_H__ */
