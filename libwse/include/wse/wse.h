/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * wse.h - libwse, the host runtime of the wse wafer-scale engine.
 *
 * Copyright (c) 2026 The wse authors.
 */
#ifndef WSE_WSE_H
#define WSE_WSE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * DOC: libwse
 *
 * libwse drives a wafer-scale engine through the wse accel driver
 * (/dev/accel/accelN), or runs the same programs on a simulated wafer in
 * the calling process. Its compute API follows Cerebras' SdkRuntime: load
 * a program, copy arrays between host memory and a symbol on a rectangle
 * of processing elements (PEs), launch exported functions, wait for tasks.
 *
 * Devices are named by device strings (wse_device_open_path()):
 *
 * - "/dev/accel/accelN", or any path: that node of the wse driver;
 * - "drm:N": the N-th device of the driver, as wse_device_open(N) finds it
 *   when WSE_DEVICE is not set;
 * - "sim:WxH[,sram=KiB][,threads=N][,queue-depth=N]": a simulated wafer
 *   of W x H PEs with KiB of SRAM each (default 48), N worker threads
 *   (default 1; results and cycles are the same for any N) and N
 *   wavelets per input queue (default 32, the device's). It runs in the
 *   calling process, through the plugin libwse-sim.so.1 (found beside
 *   libwse.so.1, in the library directory libwse was installed to, in
 *   the directories of $WSE_BACKEND_PATH first, or by the dynamic loader).
 *   Every open of one device string in a process is a context on the
 *   same simulated wafer, as two opens of a node are two contexts on
 *   one device. Its modeled cycles are the device's.
 *
 * $WSE_DEVICE, a list of device strings separated by ';', replaces the
 * driver's nodes for the programs that open devices by index
 * (wse_device_count(), wse_device_open()): WSE_DEVICE=sim:8x8 runs them
 * on the simulator. Both backends give the same results, modeled cycles
 * and errors; where they differ (windows, permissions), the function
 * says so.
 *
 * $WSE_TRACE names a file to which libwse appends one line per finished
 * copy or launch: the device, the task, its operation, its errno, its
 * modeled cycles and a digest of the bytes it copied out. Two runs of a
 * program on different backends give the same lines.
 *
 * Objects:
 *
 * - struct wse_device: one open device file. It is a context of the driver:
 *   it owns at most one region (a rectangle of PEs) and runs its jobs in
 *   submission order. Open the device twice for two independent contexts.
 * - struct wse_program: a kernel image loaded onto a region of its own
 *   extent. A device holds at most one region, so at most one program.
 * - struct wse_task: an asynchronous copy or launch, started with
 *   %WSE_NONBLOCK (or handed back by a blocking call that was given a task
 *   pointer), finished with wse_task_wait() and freed with wse_task_free().
 * - struct wse_window: a range of the region's SRAM mapped into the
 *   process through one of the device's window slots (since WSE_1.1).
 *
 * Errors: every function that can fail returns 0 (or a count) on success
 * and a negative errno on failure, never -1 with errno set. wse_strerror()
 * names an error; wse_last_error() returns a sentence about the calling
 * thread's last failure, e.g. "PE (3,7) pc 0x1a4: SRAM access out of
 * range" after a kernel fault.
 *
 * Threads: every function may be called from any thread. Calls on one
 * device from several threads are serialised where they share state and
 * otherwise run concurrently; their jobs run in the order the driver
 * received them. A task must not be waited on, polled or freed by two
 * threads at once.
 *
 * Ownership: objects returned through a pointer-to-pointer argument belong
 * to the caller, who frees them with the matching wse_*_free(),
 * wse_window_destroy() or wse_device_close(). Free every task, window and
 * program of a device before closing it. Strings
 * returned by libwse belong to libwse (see each function for how long they
 * stay valid) and must not be freed.
 */

struct wse_device;
struct wse_program;
struct wse_task;
struct wse_window;

/* ---- Version ---- */

/* The version of libwse these headers belong to. */
#define WSE_VERSION_MAJOR	1
#define WSE_VERSION_MINOR	2
#define WSE_VERSION_PATCH	0

/* A version as one number that compares in order (minor, patch < 256). */
#define WSE_VERSION_NUM(major, minor, patch) \
	(((major) << 16) | ((minor) << 8) | (patch))
#define WSE_VERSION \
	WSE_VERSION_NUM(WSE_VERSION_MAJOR, WSE_VERSION_MINOR, WSE_VERSION_PATCH)

/**
 * wse_version() - the version of the libwse a program runs with
 *
 * %WSE_VERSION is the version of the headers a program was built with;
 * this is the version of the library it was linked with at run time,
 * which may be newer (the soname, libwse.so.1, changes only with the
 * major version). Since WSE_1.2.
 *
 * Return: WSE_VERSION_NUM(major, minor, patch) of the library: major is
 * the value >> 16, minor (value >> 8) & 0xff, patch value & 0xff.
 */
uint32_t wse_version(void);

/* ---- Errors ---- */

/**
 * wse_strerror() - describe an error code
 * @err: a negative errno returned by libwse (a positive errno also works)
 *
 * Return: a constant string, never NULL; thread-safe.
 */
const char *wse_strerror(int err);

/**
 * wse_last_error() - detail of the calling thread's last failure
 * @dev: the device the failing call was made on, or NULL for the last
 *	 failure of any call (wse_device_open() has no device yet)
 *
 * A failing libwse call records one sentence saying what went wrong, e.g.
 * "region 8x8: x 9 is outside it" or "PE (3,7) pc 0x1a4: SRAM access out
 * of range". The record is thread-local and kept until the thread's next
 * failing call; successful calls do not clear it.
 *
 * Return: the sentence, or "" if the thread's last failure was not on
 * @dev. The string belongs to the thread and is overwritten by its next
 * failure.
 */
const char *wse_last_error(const struct wse_device *dev);

/* ---- Devices ---- */

/* Capability bits of wse_device_info.caps */
#define WSE_DEVICE_CAP_QUEUES	(1ULL << 0)	/* DMA job queues */
#define WSE_DEVICE_CAP_WINDOWS	(1ULL << 1)	/* SRAM windows */
#define WSE_DEVICE_CAP_KERNELS	(1ULL << 2)	/* program load and launch */
#define WSE_DEVICE_CAP_RECT	(1ULL << 3)	/* rectangle copies */
#define WSE_DEVICE_CAP_STREAM	(1ULL << 4)	/* resident kernels, streams */

/**
 * struct wse_device_info - what a device reports about itself
 * @mesh_width: PEs per row of the wafer
 * @mesh_height: rows of PEs
 * @sram_bytes: SRAM bytes of each PE
 * @num_queues: hardware queues, the most contexts that submit at once
 * @num_windows: SRAM window slots
 * @window_size: bytes of the largest window
 * @max_xfer: largest byte count of one copy command
 * @max_image: largest program image, bytes
 * @hw_version: register interface version, major << 16 | minor
 * @fw_version: device (emulator) build, major << 16 | minor
 * @caps: WSE_DEVICE_CAP_* bits
 * @minor: N of the device node /dev/accel/accelN, -1 for a simulator
 * @node: path of the device node, or the simulator's device string
 *	  ("sim:8x8,sram=48,threads=1,queue-depth=32")
 * @pci_slot: PCI address such as "0000:00:03.0", "" if not known
 * @driver_version: driver (or simulator) version as "major.minor.patch"
 * @reserved: zero; room for later fields
 */
struct wse_device_info {
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
	int32_t minor;
	char node[32];
	char pci_slot[32];
	char driver_version[32];
	uint32_t reserved[15];
};

/**
 * wse_device_count() - count the wse devices of the system
 *
 * Return: the number of /dev/accel/accelN nodes driven by wse (0 if there
 * are none), or with $WSE_DEVICE set the number of device strings in it;
 * or a negative errno.
 */
int wse_device_count(void);

/**
 * wse_device_open() - open a wse device by index
 * @index: 0..wse_device_count() - 1; devices are numbered in the order of
 *	   their accel minors, so index N is usually /dev/accel/accelN; with
 *	   $WSE_DEVICE set, the index-th device string of it
 * @dev: Out. The device; the caller closes it with wse_device_close()
 *
 * Return: 0; -ENODEV if there is no such device; another negative errno if
 * opening failed.
 */
int wse_device_open(int index, struct wse_device **dev);

/**
 * wse_device_open_path() - open a wse device by path or device string
 * @path: a device string (see DOC: libwse): "/dev/accel/accel0", "drm:0",
 *	  "sim:16x16,threads=2"
 * @dev: Out. The device; the caller closes it with wse_device_close()
 *
 * Return: 0; -ENODEV if @path is not a device driven by wse, or names a
 * backend that is not installed (wse_last_error() says where libwse
 * looked); -EINVAL for a malformed simulator string (wse_last_error()
 * says what is wrong); the errno of open(2) if it fails.
 */
int wse_device_open_path(const char *path, struct wse_device **dev);

/**
 * wse_device_close() - close a device
 * @dev: from wse_device_open*(), or NULL
 *
 * Releases the device's region and buffers. Programs and tasks of @dev
 * must have been freed before.
 */
void wse_device_close(struct wse_device *dev);

/**
 * wse_device_info() - describe a device
 * @dev: an open device
 * @info: Out. Filled completely (reserved fields zeroed)
 *
 * Return: 0 or a negative errno.
 */
int wse_device_info(const struct wse_device *dev, struct wse_device_info *info);

/**
 * wse_device_fd() - the device's file descriptor
 * @dev: an open device
 *
 * For poll(2) or raw ioctls; the descriptor stays owned by @dev: do not
 * close it.
 *
 * Return: the file descriptor, -EOPNOTSUPP for a simulator (which has
 * none), or -EINVAL if @dev is NULL.
 */
int wse_device_fd(const struct wse_device *dev);

/**
 * wse_device_set_timeout() - run time limit of the device's later jobs
 * @dev: an open device
 * @timeout_ms: milliseconds a job (a copy, launch or load) may run before
 *		the driver stops it and its task fails with -ETIMEDOUT; 0
 *		takes the driver's default (its timeout_ms parameter; 60 s
 *		on the simulator)
 *
 * Applies to jobs started after the call, from any thread. The driver
 * refuses limits above its max_timeout_ms parameter (10 minutes by
 * default): such jobs fail with -EINVAL.
 *
 * Return: 0 or -EINVAL.
 */
int wse_device_set_timeout(struct wse_device *dev, uint32_t timeout_ms);

/* wse_device_set_small_copy(): back to libwse's default */
#define WSE_SMALL_COPY_DEFAULT	((size_t)-1)

/**
 * wse_device_set_small_copy() - size limit of copies made through windows
 * @dev: an open device
 * @max_bytes: copies of at most this many bytes may go through SRAM
 *	       windows instead of DMA jobs; 0 makes every copy a DMA job;
 *	       %WSE_SMALL_COPY_DEFAULT restores the default (128 KiB)
 *
 * A DMA job costs a submission and a completion interrupt whatever its
 * size; a copy through a window costs a memory copy, after the jobs
 * submitted before it have ended. wse_sram_write(), wse_sram_read() and
 * row-major wse_memcpy_*() calls whose data fit the limit use a window
 * when the device has one to spare and fall back to DMA otherwise, with
 * the same result. libwse keeps up to four such windows per device
 * (Documentation/wse/libwse.rst). Applies to copies started after the
 * call, from any thread. The simulator makes every copy at once when no
 * job is in its queue, whatever the limit. Since WSE_1.1.
 *
 * Return: 0 or -EINVAL.
 */
int wse_device_set_small_copy(struct wse_device *dev, size_t max_bytes);

/**
 * wse_device_reset() - reset the device
 * @dev: an open device
 * @count: Out, may be NULL. Resets since the driver bound, this one
 *	   included
 *
 * Stops every job on the device, of every process, zeroes all SRAM and
 * drops every region, program and window: the driver's contexts open at
 * the time, @dev included, are stale. On a stale device, copies and
 * launches fail with -EIO until the region or program is freed
 * (wse_region_free(), wse_program_free(), which then succeed) and a new
 * one is made; window mappings raise SIGBUS. Needs CAP_SYS_ADMIN. Blocks
 * until the device is back. A simulator resets its wafer, for every
 * context of the process on it, and needs no privilege. Since WSE_1.1.
 *
 * Return: 0; -EACCES without CAP_SYS_ADMIN; -EIO if the device did not
 * come back.
 */
int wse_device_reset(struct wse_device *dev, uint64_t *count);

/* ---- Regions ---- */

/**
 * struct wse_region - a rectangle of PEs reserved by a device
 * @x: column of its first PE on the wafer
 * @y: row of its first PE on the wafer
 * @width: PEs per row
 * @height: rows
 */
struct wse_region {
	uint32_t x;
	uint32_t y;
	uint32_t width;
	uint32_t height;
};

/**
 * wse_region_alloc() - reserve a rectangle of PEs for raw SRAM access
 * @dev: an open device without a region
 * @width: PEs, 1..mesh_width
 * @height: PEs, 1..mesh_height
 * @region: Out, may be NULL. Where the driver placed it
 *
 * The SRAM of the region reads as zeros afterwards. Program loads reserve
 * their own region: do not call this before wse_program_load_*().
 *
 * Return: 0; -EBUSY if @dev already has a region; -ENOSPC if no free
 * rectangle of that size exists; -EINVAL for a size off the mesh.
 */
int wse_region_alloc(struct wse_device *dev, uint32_t width, uint32_t height,
		     struct wse_region *region);

/**
 * wse_region_free() - release the region reserved by wse_region_alloc()
 * @dev: an open device
 *
 * Return: 0; -ENOENT if @dev has no region; -EBUSY if the region belongs
 * to a program (free the program instead).
 */
int wse_region_free(struct wse_device *dev);

/* ---- Raw SRAM access ---- */

/*
 * SRAM addresses: PE (x, y) and offset are relative to the device's region.
 * A range continues through the following PEs of the region in row-major
 * order and must end inside it. The calls block until the data has moved,
 * after the jobs started before them; they stage through a device buffer
 * that is reused from call to call, or go through a window if they are
 * small (wse_device_set_small_copy()).
 */

/**
 * wse_sram_write() - copy host memory into the SRAM of the region
 * @dev: an open device with a region
 * @x: column of the first PE, relative to the region
 * @y: row of the first PE, relative to the region
 * @offset: byte offset in that PE's SRAM, below sram_bytes
 * @buf: @len bytes
 * @len: bytes; 0 does nothing
 *
 * Return: 0; -EINVAL if the range leaves the region or @dev has none;
 * another negative errno if the device failed.
 */
int wse_sram_write(struct wse_device *dev, uint32_t x, uint32_t y,
		   uint32_t offset, const void *buf, size_t len);

/**
 * wse_sram_read() - copy SRAM of the region into host memory
 * @dev: an open device with a region
 * @x: column of the first PE, relative to the region
 * @y: row of the first PE, relative to the region
 * @offset: byte offset in that PE's SRAM, below sram_bytes
 * @buf: receives @len bytes
 * @len: bytes; 0 does nothing
 *
 * Return: as wse_sram_write().
 */
int wse_sram_read(struct wse_device *dev, uint32_t x, uint32_t y,
		  uint32_t offset, void *buf, size_t len);

/* ---- Windows ---- */

/* Flags of wse_window_create() */
#define WSE_WINDOW_READONLY	(1u << 0)	/* map without PROT_WRITE */

/**
 * wse_window_create() - map a range of the region's SRAM into the process
 * @dev: an open device with a region (its own or a program's)
 * @x: column of the first PE, relative to the region
 * @y: row of the first PE, relative to the region
 * @offset: byte offset in that PE's SRAM, below sram_bytes (for a
 *	    program's array: the symbol's addr)
 * @length: bytes, at least 1; the range continues through the following
 *	    PEs of row @y, must end inside that row of the region and, with
 *	    the 4 KiB pages around it, fit in window_size
 * @flags: 0 or %WSE_WINDOW_READONLY
 * @win: Out. The window; the caller destroys it with wse_window_destroy()
 *
 * The window takes one of the device's num_windows slots, which all the
 * processes using the device share. wse_window_ptr() gives a pointer to
 * the byte at @offset of PE (@x, @y); loads and stores through it reach the
 * SRAM directly. Where PE x's SRAM ends, PE x + 1's begins.
 *
 * Window accesses are not ordered with jobs: wait for a copy or launch
 * (blocking call, wse_task_wait()) before reading what it wrote through
 * a window, and store through the window before starting the job that
 * reads it (libwse makes such stores visible before each job it starts).
 * A read-only window's pointer faults (SIGSEGV) on a store.
 *
 * Freeing the region (wse_region_free(), wse_program_free()) or a device
 * reset revokes the window: accesses then raise SIGBUS. Destroy it
 * anyway. Since WSE_1.1.
 *
 * On a simulator a window is a pointer into the simulated SRAM: stores
 * through a read-only window are not refused by the MMU, and a revoked
 * window still points at the SRAM, whose PEs may belong to another
 * region by then. The slots are counted as on the device.
 *
 * Return: 0; -EINVAL for a range outside the region or larger than a
 * window (wse_last_error() says which), a device without a region or an
 * unknown flag; -ENOSPC if every slot of the device is taken; -EBUSY if
 * @dev has no hardware queue yet and none is free (a writable window
 * takes one, as the first job does); -EIO on a stale device (see
 * wse_device_reset()); -EOPNOTSUPP if the device has no windows.
 */
int wse_window_create(struct wse_device *dev, uint32_t x, uint32_t y,
		      uint32_t offset, size_t length, unsigned int flags,
		      struct wse_window **win);

/**
 * wse_window_ptr() - where a window shows its first byte
 * @win: from wse_window_create()
 *
 * Return: the address of the byte at the window's offset, valid for
 * its length until wse_window_destroy(); NULL if @win is NULL.
 */
void *wse_window_ptr(const struct wse_window *win);

/**
 * wse_window_destroy() - unmap a window and free its slot
 * @win: from wse_window_create(), or NULL
 *
 * The pointer of the window is invalid afterwards.
 */
void wse_window_destroy(struct wse_window *win);

/**
 * wse_nop() - run an empty job and wait for it
 * @dev: an open device
 *
 * Proves that the device's queue works; needs no region.
 *
 * Return: 0 or a negative errno.
 */
int wse_nop(struct wse_device *dev);

/* ---- PE state ---- */

/* Bytes of a version 1 PE state record (abi/pe-dump.h). */
#define WSE_PE_DUMP_SIZE	4456

/**
 * wse_pe_dump() - the state of one PE of the region
 * @dev: an open device with a loaded program
 * @x: column of the PE, relative to the region
 * @y: row of the PE, relative to the region
 * @buf: receives the record
 * @len: bytes at @buf, at least %WSE_PE_DUMP_SIZE
 *
 * Writes the PE's state record: registers, DSD registers, task table
 * (entries, activated and blocked tasks), microthreads, input queue
 * contents, router positions, pc and the instruction word there. The
 * layout is abi/pe-dump.h (struct wafer_pe_dump, little-endian,
 * versioned); Documentation/wse/debugging.rst describes every field and
 * wse_pe_dump_text() prints it. Runs as a job after those submitted
 * before it, so it shows what the last launch left, e.g. the faulting
 * PE after a kernel fault (wse_task_fault()). Since libwse 1.3.
 *
 * Return: the bytes of the record written (>= %WSE_PE_DUMP_SIZE);
 * -EINVAL for a PE off the region, a short buffer or no region; -EIO
 * with "no program loaded" before a program was loaded; -EOPNOTSUPP
 * when the device or driver predates the command; another negative
 * errno if the device failed.
 */
int wse_pe_dump(struct wse_device *dev, uint32_t x, uint32_t y, void *buf,
		size_t len);

/**
 * wse_pe_dump_text() - print a PE state record
 * @rec: a record from wse_pe_dump()
 * @len: its bytes
 * @buf: receives the text, NUL-terminated (truncated to fit)
 * @buflen: bytes at @buf
 *
 * The text names the PE, its state and pc, disassembles the instruction
 * at pc as wse-objdump does, and lists the registers, the DSDs, tasks,
 * microthreads, routers and queues in use. Since libwse 1.3.
 *
 * Return: the length of the whole text (like snprintf(); larger than
 * @buflen - 1 if it was truncated), or -EINVAL if @rec is not a record.
 */
int wse_pe_dump_text(const void *rec, size_t len, char *buf, size_t buflen);

/* ---- Launch traces and counters ---- */

/* Flags of struct wse_trace_config */
#define WSE_TRACE_EVENTS	(1u << 0)	/* record events */
#define WSE_TRACE_COUNTERS	(1u << 1)	/* count only */

/*
 * The modeled clock that trace timestamps are scaled with: "ts" of the
 * trace-event JSON is cycles / WSE_TRACE_CLOCK_MHZ microseconds (the
 * 0.85 GHz the examples convert cycles with).
 */
#define WSE_TRACE_CLOCK_MHZ	850

/**
 * struct wse_trace_config - what to record of the next launch
 * @flags: %WSE_TRACE_EVENTS (events and counters) or %WSE_TRACE_COUNTERS
 * @sample_every: an instruction sample event every this many
 *		  instructions of a PE; 0 for none
 * @max_events: events kept per PE (the earliest; the rest are counted
 *		as dropped), 1..1048576; 0 for 4096
 * @reserved: zero
 */
struct wse_trace_config {
	uint32_t flags;
	uint32_t sample_every;
	uint32_t max_events;
	uint32_t reserved;
};

/* Kinds of struct wse_trace_event */
enum wse_trace_kind {
	WSE_TRACE_TASK_START = 1,	/* @aux task (255: the function), @arg pc */
	WSE_TRACE_TASK_END = 2,		/* @aux task, @arg pc */
	WSE_TRACE_INSN = 3,		/* instruction sample, @arg pc */
	WSE_TRACE_SEND = 4,		/* @arg wavelets sent on @color */
	WSE_TRACE_RECV = 5,		/* @arg wavelets taken from @color */
	WSE_TRACE_STALL_SEND = 6,	/* @arg cycles a send on @color waited */
	WSE_TRACE_STALL_RECV = 7,	/* @arg cycles a receive on @color waited */
};

/**
 * struct wse_trace_event - one event of a PE (abi/wafer-trace.h)
 * @cycle: modeled cycles since the launch began
 * @arg: see enum wse_trace_kind
 * @aux: the task of TASK_START and TASK_END
 * @kind: enum wse_trace_kind
 * @color: the color of wavelet events, 255 for none
 */
struct wse_trace_event {
	uint64_t cycle;
	uint32_t arg;
	uint16_t aux;
	uint8_t kind;
	uint8_t color;
};

/**
 * struct wse_trace_pe - what one PE recorded
 * @x: column, relative to the region
 * @y: row, relative to the region
 * @nevents: events kept
 * @reserved: zero
 * @dropped: events not kept because the PE's buffer was full
 */
struct wse_trace_pe {
	uint32_t x, y;
	uint32_t nevents;
	uint32_t reserved;
	uint64_t dropped;
};

/**
 * struct wse_pe_counters - one PE over a traced launch, in modeled cycles
 * @cycles: the launch's cycles
 * @busy: its main thread ran a task
 * @stall_send: a SEND, or a sync vector op sending, waited for room on its
 *	route
 * @stall_recv: a RECV, or a sync vector op receiving, waited for its
 *	wavelets to arrive
 * @idle: the rest: @cycles - @busy - @stall_send - @stall_recv
 * @wavelets_in: wavelets it took from its input queues
 * @wavelets_out: wavelets it sent
 * @sram_bytes: bytes its loads, stores and vector memory operands read or
 *	wrote (repeats counted)
 * @instructions: instructions it executed
 * @tasks: tasks it started, the function included
 */
struct wse_pe_counters {
	uint64_t cycles;
	uint64_t busy;
	uint64_t stall_send;
	uint64_t stall_recv;
	uint64_t idle;
	uint64_t wavelets_in;
	uint64_t wavelets_out;
	uint64_t sram_bytes;
	uint64_t instructions;
	uint64_t tasks;
};

/**
 * wse_trace_next_launch() - record the next launch
 * @dev: an open device
 * @cfg: what to record, or NULL to cancel a request not yet used
 *
 * The next launch the device executes after this call (wse_launch(),
 * wse_launch_args()) records events and counters for every PE of the
 * region; later launches do not, until asked again. Tracing off costs
 * the launch nothing. Since libwse 1.3.
 *
 * Return: 0; -EINVAL for bad @cfg fields; -EOPNOTSUPP if the device's
 * backend cannot trace (today only the simulator, "sim:" devices, can).
 */
int wse_trace_next_launch(struct wse_device *dev, const struct wse_trace_config *cfg);

/**
 * wse_trace_read() - the events of one PE of the last traced launch
 * @dev: an open device whose traced launch has ended (waited for)
 * @x: column of the PE, relative to the region
 * @y: row of the PE, relative to the region
 * @hdr: receives the PE's header
 * @ev: receives up to @max events in cycle order, or NULL if @max is 0
 * @max: room at @ev
 *
 * Return: the number of events written; -ENODATA if no launch of the
 * loaded program was traced; -EBUSY while a job runs; -EINVAL for a PE
 * off the region; -EOPNOTSUPP as wse_trace_next_launch(). Since libwse 1.3.
 */
int wse_trace_read(struct wse_device *dev, uint32_t x, uint32_t y,
		   struct wse_trace_pe *hdr, struct wse_trace_event *ev,
		   uint32_t max);

/**
 * wse_counters_read() - every PE's counters of the last traced launch
 * @dev: as for wse_trace_read()
 * @c: receives width x height counters of the region, row-major
 * @n: room at @c
 *
 * Return: the number of PEs written; errnos as wse_trace_read(), and
 * -EINVAL if @n is smaller than the region. Since libwse 1.3.
 */
int wse_counters_read(struct wse_device *dev, struct wse_pe_counters *c, size_t n);

/**
 * wse_trace_write_json() - the last traced launch as trace-event JSON
 * @dev: as for wse_trace_read()
 * @path: the file to write
 *
 * Writes Chrome/Perfetto trace-event JSON (ui.perfetto.dev and
 * chrome://tracing open it): one process per region row ("pid" y), one
 * thread per PE ("tid" x), named "PE (x,y)" by metadata events; tasks
 * as complete ("X") events, stalls as complete events, instruction
 * samples and wavelets as instant ("i") events with the color and count
 * in "args"; "ts" and "dur" in microseconds at %WSE_TRACE_CLOCK_MHZ.
 * Each PE's drop count is in its thread-name event's "args". The bytes
 * are the same for the same launch at any thread count. Since libwse 1.3.
 *
 * Return: 0; errnos as wse_trace_read(), or of writing the file.
 */
int wse_trace_write_json(struct wse_device *dev, const char *path);

/* ---- Host memory ---- */

/**
 * wse_host_alloc() - host memory that copies move without staging
 * @dev: an open device
 * @size: bytes, 1 byte to 1 GiB
 * @ptr: Out. Zero-filled, page-aligned memory mapped into the process
 *
 * Copies of @dev (wse_sram_write(), wse_sram_read(), wse_memcpy_*())
 * normally go through a staging buffer: libwse copies the host array
 * into memory the device can reach, or out of it. When the host array
 * lies entirely in memory from this call, the device moves the bytes
 * straight to or from it (like CUDA's pinned host memory), which for
 * large copies takes a fraction of the time. The memory is the device's
 * buffer: its pages stay pinned from the first copy that uses it, it
 * works as host memory of @dev only, and copies with %WSE_NONBLOCK read
 * (H2D) or write (D2H) it while their task runs: leave it alone until
 * the task has finished. Since WSE_1.1.
 *
 * Return: 0; -EINVAL for a size of 0 or above 1 GiB; -ENOMEM.
 */
int wse_host_alloc(struct wse_device *dev, size_t size, void **ptr);

/**
 * wse_host_free() - free memory from wse_host_alloc()
 * @dev: the device it came from
 * @ptr: what wse_host_alloc() returned, or NULL (ignored, as is any
 *	 other pointer)
 *
 * Wait for the tasks that use it first. wse_device_close() frees what is
 * left.
 */
void wse_host_free(struct wse_device *dev, void *ptr);

/* ---- Programs ---- */

/* struct wse_symbol.kind */
#define WSE_SYMBOL_OBJECT	1	/* exported array in SRAM */
#define WSE_SYMBOL_FUNCTION	2	/* exported entry point */

/**
 * enum wse_type - element types of arrays and launch arguments
 * @WSE_TYPE_NONE: no element type (functions)
 * @WSE_TYPE_I32: 32-bit signed integer
 * @WSE_TYPE_F32: IEEE 754 single precision
 * @WSE_TYPE_I16: 16-bit signed integer
 * @WSE_TYPE_F16: IEEE 754 half precision
 * @WSE_TYPE_U32: 32-bit unsigned integer (launch arguments; the ISA's
 *		  arrays are i32)
 *
 * Since WSE_1.2.
 */
enum wse_type {
	WSE_TYPE_NONE = 0,
	WSE_TYPE_I32 = 1,
	WSE_TYPE_F32 = 2,
	WSE_TYPE_I16 = 3,
	WSE_TYPE_F16 = 4,
	WSE_TYPE_U32 = 5,
};

/**
 * wse_type_name() - the short name of an element type
 * @type: an enum wse_type
 *
 * The names are NumPy's and wse-run's: "i32", "f32", "i16", "f16", "u32",
 * "none" for %WSE_TYPE_NONE. Since WSE_1.2.
 *
 * Return: a constant string, or NULL for an unknown type.
 */
const char *wse_type_name(enum wse_type type);

/**
 * struct wse_symbol - a symbol exported by a program
 * @name: owned by the program, valid until wse_program_free()
 * @kind: WSE_SYMBOL_OBJECT or WSE_SYMBOL_FUNCTION
 * @index: the symbol's index in the image
 * @addr: SRAM byte address, the same on every PE
 * @size: bytes of an object on each PE
 * @elem_bytes: element size of an object: 2 or 4
 * @elem_type: enum wse_type of an object's elements, as the image
 *	       declares them; %WSE_TYPE_NONE for a function. Since WSE_1.2:
 *	       programs built against older libwse headers get a structure
 *	       without it
 */
struct wse_symbol {
	const char *name;
	uint32_t kind;
	uint32_t index;
	uint32_t addr;
	uint32_t size;
	uint32_t elem_bytes;
	uint32_t elem_type;
};

/**
 * wse_program_load_mem() - load a kernel image onto the device
 * @dev: an open device without a region
 * @image: the image file's bytes; libwse keeps its own copy
 * @len: bytes of @image
 * @prog: Out. The program; the caller frees it with wse_program_free()
 *
 * Checks the image, reserves a region of the image's extent and loads it.
 * PE coordinates of the copies below are relative to that region.
 *
 * Return: 0; -EINVAL if the image is malformed (wse_last_error() says
 * why) or larger than max_image; -EBUSY if @dev already has a region;
 * -ENOSPC if the wafer has no free rectangle of the program's extent;
 * -EIO if the device rejected the image.
 */
int wse_program_load_mem(struct wse_device *dev, const void *image, size_t len,
			 struct wse_program **prog);

/**
 * wse_program_load_file() - load a kernel image file onto the device
 * @dev: an open device without a region
 * @path: path of the image (as written by wse-as)
 * @prog: Out. The program; the caller frees it with wse_program_free()
 *
 * Return: as wse_program_load_mem(), or the errno of reading @path.
 */
int wse_program_load_file(struct wse_device *dev, const char *path,
			  struct wse_program **prog);

/**
 * wse_program_free() - unload a program and release its region
 * @prog: from wse_program_load_*(), or NULL
 *
 * Waits for nothing: free the program's tasks first.
 */
void wse_program_free(struct wse_program *prog);

/**
 * wse_program_region() - where a program was placed
 * @prog: a loaded program
 * @region: Out. Its region on the wafer
 *
 * Return: 0 or -EINVAL.
 */
int wse_program_region(const struct wse_program *prog, struct wse_region *region);

/**
 * wse_program_symbol() - look up an exported array by name
 * @prog: a loaded program
 * @name: the symbol's name
 * @sym: Out. The symbol; its name belongs to @prog
 *
 * Return: 0; -ENOENT if @prog exports no array called @name.
 */
int wse_program_symbol(const struct wse_program *prog, const char *name,
		       struct wse_symbol *sym);

/**
 * wse_program_function() - look up an exported function by name
 * @prog: a loaded program
 * @name: the function's name
 * @sym: Out. The symbol; its name belongs to @prog
 *
 * Return: 0; -ENOENT if @prog exports no function called @name.
 */
int wse_program_function(const struct wse_program *prog, const char *name,
			 struct wse_symbol *sym);

/**
 * wse_program_symbol_count() - how many symbols a program exports
 * @prog: a loaded program
 *
 * Since WSE_1.2.
 *
 * Return: the number of arrays and functions, or -EINVAL if @prog is NULL.
 */
int wse_program_symbol_count(const struct wse_program *prog);

/**
 * wse_program_symbol_at() - a program's symbols one by one
 * @prog: a loaded program
 * @index: 0..wse_program_symbol_count() - 1, in the image's order
 * @sym: Out. The array or function; its name belongs to @prog
 *
 * Since WSE_1.2.
 *
 * Return: 0; -ENOENT past the last symbol; -EINVAL for a NULL argument.
 */
int wse_program_symbol_at(const struct wse_program *prog, unsigned int index,
			  struct wse_symbol *sym);

/* ---- Copies and launches ---- */

/* Element size of a copy (SdkRuntime's MemcpyDataType) */
enum wse_dtype {
	WSE_MEMCPY_16BIT = 2,
	WSE_MEMCPY_32BIT = 4,
};

/* Layout of the host array (SdkRuntime's MemcpyOrder) */
enum wse_order {
	WSE_MEMCPY_ROW_MAJOR = 0,	/* host[y][x][e]: e varies fastest */
	WSE_MEMCPY_COL_MAJOR = 1,	/* host[e][x][y]: y varies fastest */
};

/* Flags of copies and launches */
#define WSE_NONBLOCK		(1u << 0)	/* return a running task at once */

/**
 * wse_memcpy_h2d() - copy a host array to a symbol on a rectangle of PEs
 * @prog: a loaded program
 * @sym: an array of @prog, from wse_program_symbol()
 * @host: h x w x elem_per_pe elements of @dtype in @order
 * @px: column of the rectangle's first PE, relative to the program's region
 * @py: row of the rectangle's first PE, relative to the program's region
 * @w: PEs per row of the rectangle
 * @h: rows of the rectangle
 * @elem_per_pe: elements each PE holds at the symbol's address;
 *		 elem_per_pe * dtype must fit in the symbol
 * @dtype: element size, the symbol's own (SdkRuntime's MemcpyDataType)
 * @order: layout of @host (SdkRuntime's MemcpyOrder)
 * @flags: 0 or %WSE_NONBLOCK
 * @task: Out. Required with %WSE_NONBLOCK, may be NULL otherwise
 *
 * Copies the host array to the symbol @sym on every PE of the @w x @h
 * rectangle at (@px, @py) of the program's region.
 *
 * Without %WSE_NONBLOCK the call returns when the copy is done; if @task is
 * not NULL and the copy succeeded, it also receives the finished task,
 * which the caller frees with wse_task_free(). With %WSE_NONBLOCK, @task
 * receives the running task; the copy has then not necessarily happened
 * until wse_task_wait() returns 0. On failure *@task is left alone.
 *
 * The call reads @host before returning, so the host array may be reused
 * at once even with %WSE_NONBLOCK (not memory from wse_host_alloc(), which
 * the task reads as it runs).
 *
 * Return: 0; -EINVAL for a bad argument (rectangle off the region, size
 * or type mismatch, unknown flag; wse_last_error() says which); the
 * task's error (see wse_task_wait()) for a failed blocking copy.
 */
int wse_memcpy_h2d(struct wse_program *prog, const struct wse_symbol *sym,
		   const void *host, uint32_t px, uint32_t py, uint32_t w,
		   uint32_t h, uint32_t elem_per_pe, enum wse_dtype dtype,
		   enum wse_order order, unsigned int flags,
		   struct wse_task **task);

/**
 * wse_memcpy_d2h() - copy a symbol on a rectangle of PEs to a host array
 * @prog: a loaded program
 * @sym: an array of @prog, from wse_program_symbol()
 * @host: receives h x w x elem_per_pe elements of @dtype in @order
 * @px: column of the rectangle's first PE, relative to the program's region
 * @py: row of the rectangle's first PE, relative to the program's region
 * @w: PEs per row of the rectangle
 * @h: rows of the rectangle
 * @elem_per_pe: elements each PE holds at the symbol's address
 * @dtype: element size, the symbol's own
 * @order: layout of @host
 * @flags: 0 or %WSE_NONBLOCK
 * @task: Out. Required with %WSE_NONBLOCK, may be NULL otherwise
 *
 * The reverse of wse_memcpy_h2d(), with the same arguments and tasks. The
 * copy writes @host when its task finishes: keep @host valid until
 * wse_task_wait() or wse_task_done() reported the end, or wse_task_free().
 *
 * Return: as wse_memcpy_h2d().
 */
int wse_memcpy_d2h(struct wse_program *prog, const struct wse_symbol *sym,
		   void *host, uint32_t px, uint32_t py, uint32_t w,
		   uint32_t h, uint32_t elem_per_pe, enum wse_dtype dtype,
		   enum wse_order order, unsigned int flags,
		   struct wse_task **task);

/**
 * wse_memcpy_h2d_rowbcast() - copy one host set per row to every PE of it
 * @prog: a loaded program
 * @sym: an array of @prog, from wse_program_symbol()
 * @host: h x elem_per_pe elements of @dtype: row y's go to every PE of row y
 * @px: column of the rectangle's first PE, relative to the program's region
 * @py: row of the rectangle's first PE, relative to the program's region
 * @w: PEs per row of the rectangle
 * @h: rows of the rectangle
 * @elem_per_pe: elements each PE holds at the symbol's address
 * @dtype: element size, the symbol's own
 * @order: layout of @host
 * @flags: 0 or %WSE_NONBLOCK
 * @task: Out. Required with %WSE_NONBLOCK, may be NULL otherwise
 *
 * A row broadcast; otherwise as wse_memcpy_h2d().
 *
 * Return: as wse_memcpy_h2d().
 */
int wse_memcpy_h2d_rowbcast(struct wse_program *prog,
			    const struct wse_symbol *sym, const void *host,
			    uint32_t px, uint32_t py, uint32_t w, uint32_t h,
			    uint32_t elem_per_pe, enum wse_dtype dtype,
			    enum wse_order order, unsigned int flags,
			    struct wse_task **task);

/**
 * wse_memcpy_h2d_colbcast() - copy one host set per column to every PE of it
 * @prog: a loaded program
 * @sym: an array of @prog, from wse_program_symbol()
 * @host: w x elem_per_pe elements of @dtype: column x's go to every PE of
 *	  column x
 * @px: column of the rectangle's first PE, relative to the program's region
 * @py: row of the rectangle's first PE, relative to the program's region
 * @w: PEs per row of the rectangle
 * @h: rows of the rectangle
 * @elem_per_pe: elements each PE holds at the symbol's address
 * @dtype: element size, the symbol's own
 * @order: layout of @host
 * @flags: 0 or %WSE_NONBLOCK
 * @task: Out. Required with %WSE_NONBLOCK, may be NULL otherwise
 *
 * A column broadcast; otherwise as wse_memcpy_h2d().
 *
 * Return: as wse_memcpy_h2d().
 */
int wse_memcpy_h2d_colbcast(struct wse_program *prog,
			    const struct wse_symbol *sym, const void *host,
			    uint32_t px, uint32_t py, uint32_t w, uint32_t h,
			    uint32_t elem_per_pe, enum wse_dtype dtype,
			    enum wse_order order, unsigned int flags,
			    struct wse_task **task);

#define WSE_MAX_ARGS		8

/**
 * wse_launch() - run an exported function on every PE of the program
 * @prog: a loaded program
 * @function: name of an exported function
 * @nargs: 0..WSE_MAX_ARGS
 * @args: @nargs 32-bit arguments (passed in r1..r8), NULL if @nargs is 0
 * @flags: 0 or WSE_NONBLOCK
 * @task: Out. As for the copies: required with WSE_NONBLOCK, optional
 *	  otherwise; the caller frees it with wse_task_free()
 *
 * The launch runs after every copy and launch the device was given before.
 *
 * Return: 0; -ENOENT if there is no such function; -EINVAL for bad
 * arguments; the task's error for a failed blocking launch.
 */
int wse_launch(struct wse_program *prog, const char *function,
	       unsigned int nargs, const uint32_t *args, unsigned int flags,
	       struct wse_task **task);

/**
 * struct wse_arg - a typed launch argument
 * @type: how the value is passed: %WSE_TYPE_I32 or %WSE_TYPE_I16 from
 *	  @v.i32, %WSE_TYPE_U32 from @v.u32, %WSE_TYPE_F32 or %WSE_TYPE_F16
 *	  from @v.f32
 * @v: the value (a named union, so that C99 compilers take it too)
 * @v.i32: the value of an i32 or i16 argument
 * @v.u32: the value of a u32 argument
 * @v.f32: the value of an f32 or f16 argument
 *
 * Every argument fills one 32-bit register: i32 and u32 as they are, f32
 * as its IEEE bits, i16 sign-extended (-32768..32767), f16 as the bits
 * of the nearest half-precision number, zero-extended. The WSE_ARG_*()
 * macros build them. Since WSE_1.2.
 */
struct wse_arg {
	uint32_t type;
	union {
		int32_t i32;
		uint32_t u32;
		float f32;
	} v;
};

#define WSE_ARG_I32(x)	((struct wse_arg){ .type = WSE_TYPE_I32, .v = { .i32 = (x) } })
#define WSE_ARG_U32(x)	((struct wse_arg){ .type = WSE_TYPE_U32, .v = { .u32 = (x) } })
#define WSE_ARG_F32(x)	((struct wse_arg){ .type = WSE_TYPE_F32, .v = { .f32 = (x) } })
#define WSE_ARG_I16(x)	((struct wse_arg){ .type = WSE_TYPE_I16, .v = { .i32 = (x) } })
#define WSE_ARG_F16(x)	((struct wse_arg){ .type = WSE_TYPE_F16, .v = { .f32 = (x) } })

/**
 * wse_launch_args() - run an exported function with typed arguments
 * @prog: a loaded program
 * @function: name of an exported function
 * @nargs: 0..WSE_MAX_ARGS
 * @args: @nargs arguments (passed in r1..r8), NULL if @nargs is 0
 * @flags: 0 or WSE_NONBLOCK
 * @task: Out. As for wse_launch()
 *
 * wse_launch() with arguments converted from their types (struct
 * wse_arg), so that a caller passes 1.5f, not 0x3fc00000:
 *
 *   struct wse_arg a[] = { WSE_ARG_F32(1.5f), WSE_ARG_I32(-3) };
 *   wse_launch_args(prog, "compute", 2, a, 0, NULL);
 *
 * Since WSE_1.2.
 *
 * Return: as wse_launch(); -EINVAL also for an unknown type or an i16
 * out of range (wse_last_error() says which argument).
 */
int wse_launch_args(struct wse_program *prog, const char *function,
		    unsigned int nargs, const struct wse_arg *args,
		    unsigned int flags, struct wse_task **task);

/* ---- Resident kernels and streaming I/O (since 1.3) ---- */

/* The edge of the region a stream uses: only the west edge has channels. */
#define WSE_STREAM_EDGE_WEST	0

/**
 * wse_launch_resident() - launch a kernel that stays on the wafer
 * @prog: loaded program
 * @function: exported function, started as wse_launch() starts it
 * @nargs: arguments in r1..r@nargs
 * @args: their bits
 * @flags: 0 or %WSE_NONBLOCK
 * @task: Out. Required with %WSE_NONBLOCK, may be NULL otherwise
 *
 * The launch ends when the kernel is quiet (its tasks wait for data), but
 * the kernel stays: later wse_stream_send(), wse_stream_receive() and
 * wse_call() of the same device feed it, until wse_stop() or the next
 * wse_launch(). Wavelets it sends west off PE (0, y) are kept for
 * wse_stream_receive(). See Documentation/wse/streaming.rst.
 *
 * Return: as wse_launch().
 */
int wse_launch_resident(struct wse_program *prog, const char *function,
			unsigned int nargs, const uint32_t *args,
			unsigned int flags, struct wse_task **task);

/**
 * wse_stream_send() - stream a host array into the resident kernel
 * @prog: program with a resident kernel
 * @color: color 0..23 of the wavelets
 * @edge: %WSE_STREAM_EDGE_WEST
 * @y: first row of the region
 * @h: rows
 * @elem_per_pe: elements each row's edge PE receives
 * @elem_bytes: 2 or 4 (a 16-bit element travels in the low half)
 * @buf: @h x @elem_per_pe elements, row after row: PE (0, @y + r)
 *	 receives elements [r * @elem_per_pe, (r + 1) * @elem_per_pe)
 * @flags: 0 or %WSE_NONBLOCK
 * @task: Out. Required with %WSE_NONBLOCK, may be NULL otherwise
 *
 * The wavelets enter through the west edge's I/O channels, and the kernel
 * runs until it is quiet again.
 *
 * Return: 0; -EINVAL for a bad argument
 * (nothing queued); -ETIMEDOUT if the kernel went quiet before it took
 * every wavelet (the kernel stays); -EFAULT for a kernel fault (with the
 * PE and pc, and the kernel is gone); otherwise as wse_launch().
 */
int wse_stream_send(struct wse_program *prog, unsigned int color,
		    unsigned int edge, uint32_t y, uint32_t h,
		    uint32_t elem_per_pe, unsigned int elem_bytes,
		    const void *buf, unsigned int flags, struct wse_task **task);

/**
 * wse_stream_receive() - take wavelets the resident kernel streamed out
 * @prog: program with a resident kernel
 * @color: their color
 * @edge: %WSE_STREAM_EDGE_WEST
 * @y: first row
 * @h: rows
 * @elem_per_pe: elements per row
 * @elem_bytes: 2 or 4
 * @buf: Out. @h x @elem_per_pe elements, in wse_stream_send()'s layout:
 *	 the first @elem_per_pe wavelets that left each row going west and
 *	 were not received yet; valid until the task ends
 * @flags: 0 or %WSE_NONBLOCK
 * @task: Out. Required with %WSE_NONBLOCK, may be NULL otherwise
 *
 * Return: 0; -ETIMEDOUT if some row has fewer wavelets and the kernel is
 * quiet (nothing is taken; the kernel stays); otherwise as
 * wse_stream_send().
 */
int wse_stream_receive(struct wse_program *prog, unsigned int color,
		       unsigned int edge, uint32_t y, uint32_t h,
		       uint32_t elem_per_pe, unsigned int elem_bytes, void *buf,
		       unsigned int flags, struct wse_task **task);

/**
 * struct wse_stream_xfer - one direction of wse_stream_send_receive()
 * @color: color 0..23 of the wavelets
 * @edge: %WSE_STREAM_EDGE_WEST
 * @y: first row of the region
 * @h: rows
 * @elem_per_pe: elements of each row
 * @elem_bytes: 2 or 4
 * @buf: @h x @elem_per_pe elements, as wse_stream_send() and
 *	 wse_stream_receive() lay them out
 */
struct wse_stream_xfer {
	unsigned int color;
	unsigned int edge;
	uint32_t y;
	uint32_t h;
	uint32_t elem_per_pe;
	unsigned int elem_bytes;
	void *buf;
};

/**
 * wse_stream_send_receive() - stream in, and receive what the kernel sends back
 * @prog: program with a resident kernel
 * @send: what to send, as wse_stream_send() does (@send->buf is read)
 * @recv: what to receive, as wse_stream_receive() does after it
 *	  (@recv->buf is written; valid until the task ends)
 * @flags: 0 or %WSE_NONBLOCK
 * @task: Out. Required with %WSE_NONBLOCK, may be NULL otherwise
 *
 * wse_stream_send() then wse_stream_receive() in one job, with the same
 * bytes, cycles and errors (the first that fails ends the job), except
 * that the receive is known before the kernel runs: a backend may let
 * the kernel's wavelets go straight into @recv->buf while it sends
 * them, instead of a copy after it (the simulator does, for 32-bit
 * elements). If the job fails, @recv->buf's contents are undefined.
 * Since libwse 1.3.
 *
 * Return: 0; otherwise as wse_stream_send() and wse_stream_receive().
 */
int wse_stream_send_receive(struct wse_program *prog,
			    const struct wse_stream_xfer *send,
			    const struct wse_stream_xfer *recv,
			    unsigned int flags, struct wse_task **task);

/**
 * wse_call() - run an exported function of the resident kernel (RPC)
 * @prog: program with a resident kernel
 * @function: exported function
 * @nargs: arguments in r1..r@nargs
 * @args: their bits
 * @ret: Out, may be NULL. r1 of the first PE (row-major) that ran the
 *	 function, when the kernel is quiet again: its return value;
 *	 valid until the task ends
 * @flags: 0 or %WSE_NONBLOCK
 * @task: Out. Required with %WSE_NONBLOCK, may be NULL otherwise
 *
 * The function runs as a task on every PE whose code defines it.
 *
 * Return: as wse_launch(); -EIO if one of those PEs is inside a task or halted.
 */
int wse_call(struct wse_program *prog, const char *function,
	     unsigned int nargs, const uint32_t *args, uint32_t *ret,
	     unsigned int flags, struct wse_task **task);

/**
 * wse_memcpy_h2d_streaming() - SdkRuntime's streaming memcpy_h2d: a
 * rectangle's host array into the resident kernel as wavelets
 * @prog: program with a resident kernel
 * @color: color 0..23 the wavelets arrive on
 * @host: h x w x elem_per_pe elements of @dtype in @order, as for
 *	  wse_memcpy_h2d()
 * @px: column of the rectangle's first PE
 * @py: row of the rectangle's first PE
 * @w: PEs per row of the rectangle
 * @h: rows of the rectangle
 * @elem_per_pe: elements for each PE
 * @dtype: %WSE_MEMCPY_16BIT (in the low half of a wavelet) or
 *	   %WSE_MEMCPY_32BIT
 * @order: layout of @host
 * @flags: 0 or %WSE_NONBLOCK
 * @task: Out. Required with %WSE_NONBLOCK, may be NULL otherwise
 *
 * SdkRuntime's memcpy_h2d(..., streaming=True), on wse_stream_send():
 * the elements of row j of the rectangle enter through the west edge PE
 * (0, @py + j) on @color, PE (@px, @py + j)'s @elem_per_pe first, then
 * those of (@px + 1, @py + j) and so on; the kernel's data tasks take
 * them and pass on what is for PEs further east. A column-major @host is
 * reordered on the host. @host may be reused when the call returns.
 * Since WSE_1.3.
 *
 * Return: as wse_stream_send(); -EINVAL also for a rectangle off the
 * region, a bad type or order.
 */
int wse_memcpy_h2d_streaming(struct wse_program *prog, unsigned int color,
			     const void *host, uint32_t px, uint32_t py,
			     uint32_t w, uint32_t h, uint32_t elem_per_pe,
			     enum wse_dtype dtype, enum wse_order order,
			     unsigned int flags, struct wse_task **task);

/**
 * wse_memcpy_d2h_streaming() - SdkRuntime's streaming memcpy_d2h: wavelets
 * the resident kernel streamed out, as a rectangle's host array
 * @prog: program with a resident kernel
 * @color: color 0..23 the wavelets leave on
 * @host: Out. h x w x elem_per_pe elements of @dtype in @order; written
 *	  when the task ends (keep it valid until then)
 * @px: column of the rectangle's first PE
 * @py: row of the rectangle's first PE
 * @w: PEs per row of the rectangle
 * @h: rows of the rectangle
 * @elem_per_pe: elements of each PE
 * @dtype: %WSE_MEMCPY_16BIT or %WSE_MEMCPY_32BIT
 * @order: layout of @host
 * @flags: 0 or %WSE_NONBLOCK
 * @task: Out. Required with %WSE_NONBLOCK, may be NULL otherwise
 *
 * The reverse of wse_memcpy_h2d_streaming(), on wse_stream_receive(): the
 * first w x @elem_per_pe wavelets that left the edge PE (0, @py + j) going
 * west are row j of the rectangle, PE (@px, @py + j)'s first. Since
 * WSE_1.3.
 *
 * Return: as wse_stream_receive(); -EINVAL as wse_memcpy_h2d_streaming().
 */
int wse_memcpy_d2h_streaming(struct wse_program *prog, unsigned int color,
			     void *host, uint32_t px, uint32_t py, uint32_t w,
			     uint32_t h, uint32_t elem_per_pe,
			     enum wse_dtype dtype, enum wse_order order,
			     unsigned int flags, struct wse_task **task);

/**
 * wse_stop() - end the resident kernel
 * @prog: the program
 * @flags: 0 or %WSE_NONBLOCK
 * @task: Out. Required with %WSE_NONBLOCK, may be NULL otherwise
 *
 * Wavelets not received are dropped; the program can be launched again.
 * Return: 0, or as wse_launch().
 */
int wse_stop(struct wse_program *prog, unsigned int flags, struct wse_task **task);

/* ---- Tasks ---- */

/**
 * wse_task_wait() - wait for a task to finish
 * @task: from a copy or a launch
 * @timeout_ns: relative; 0 polls, negative waits for ever
 *
 * Return: 0 if the task succeeded; -ETIME if it is still running after
 * @timeout_ns (it keeps running: wait again later). Once the task has
 * finished, its error, again on every later call: -EFAULT for a kernel
 * fault on the wafer, -EIO for a device error, -ETIMEDOUT if the driver
 * stopped it for running too long, -ECANCELED if a device reset dropped
 * it. wse_task_error() says more.
 */
int wse_task_wait(struct wse_task *task, int64_t timeout_ns);

/**
 * wse_task_done() - whether a task has finished (SdkRuntime's is_task_done)
 * @task: from a copy or a launch
 *
 * Return: 1 if it has finished (wse_task_wait() then returns at once with
 * its result), 0 if it is running, or a negative errno if the query
 * failed.
 */
int wse_task_done(struct wse_task *task);

/**
 * wse_task_error() - what went wrong with a finished task
 * @task: a finished task
 *
 * Return: a sentence such as "PE (3,7) pc 0x1a4: SRAM access out of
 * range", or "" if the task succeeded or is still running. Owned by
 * @task, valid until wse_task_free().
 */
const char *wse_task_error(const struct wse_task *task);

/**
 * wse_task_cycles() - modeled wafer cycles of a finished launch
 * @task: a finished task
 *
 * Return: the cycle count, 0 for copies and unfinished tasks.
 */
uint64_t wse_task_cycles(const struct wse_task *task);

/**
 * wse_task_fault() - where a launch faulted
 * @task: a finished task
 * @x: receives the faulting PE's column, relative to the region
 * @y: receives its row
 * @pc: receives the pc of the faulting instruction (may be NULL)
 *
 * The PE to give wse_pe_dump() after a fault. Since libwse 1.3.
 *
 * Return: 0 if the task ended with a kernel fault (wse_task_wait()
 * returned -EFAULT); -ENOENT if it ended otherwise; -EBUSY while it
 * runs; -EINVAL for NULL arguments.
 */
int wse_task_fault(const struct wse_task *task, uint32_t *x, uint32_t *y,
		   uint32_t *pc);

/**
 * wse_task_free() - free a task
 * @task: a task, or NULL
 *
 * Waits for a running task first, so that the buffers it uses are not
 * reused under it.
 */
void wse_task_free(struct wse_task *task);

#ifdef __cplusplus
}
#endif

#endif /* WSE_WSE_H */
