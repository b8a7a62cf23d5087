/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * wafer.h - public interface of the wafer emulator core.
 *
 * The core models a CS-3 style wafer: a W x H mesh of processing elements
 * (PEs), each with its own SRAM (48 KiB by default) holding code and data,
 * and a router per PE that moves 32-bit wavelets tagged with one of 24
 * colors. It is plain C (C11 + pthreads), includes no QEMU header, and is
 * linked both into the QEMU device and into host tests and benchmarks.
 *
 * Object model:
 *   struct wafer          the whole fabric: geometry, SRAM of every PE, the
 *                         thread pool that executes kernels.
 *   struct wafer_image    a parsed, validated kernel image (ELF, see
 *                         Documentation/wse/image-format.rst). Immutable,
 *                         independent of any wafer.
 *   struct wafer_program  an image loaded onto a rectangle (region) of the
 *                         wafer's PEs. Several programs may live on disjoint
 *                         regions of one wafer at once and may be launched
 *                         concurrently from different threads.
 *
 * Coordinates inside a program are relative to its region's origin; the
 * region places the program on the wafer.
 */
#ifndef WAFER_H
#define WAFER_H

#include <stddef.h>
#include <stdint.h>

#include "wafer-abi.h"

#ifdef __cplusplus
extern "C" {
#endif

struct wafer;
struct wafer_program;

struct wafer_config {
	uint32_t width;		/* PEs per row, 1..WAFER_MAX_WIDTH */
	uint32_t height;	/* rows, 1..WAFER_MAX_HEIGHT */
	uint32_t sram_bytes;	/* per PE; multiple of 4096; 0 = default */
	uint32_t threads;	/* worker threads; 0 = 1 */
	uint64_t insn_budget;	/* per PE per launch; 0 = unlimited */
	uint32_t queue_depth;	/* wavelets per (PE, color) input queue,
				 * 1..4096; 0 = 32. Part of the machine
				 * model: it decides back-pressure timing
				 * and which programs deadlock. */
	/*
	 * SRAM the caller provides (page aligned, width x height x
	 * sram_bytes bytes, zero, living until after wafer_destroy()), or
	 * NULL: the wafer maps its own. QEMU passes its own RAM region so
	 * the bytes live as long as the guest can map them.
	 */
	void *sram;
};

struct wafer_rect {
	uint32_t x, y, w, h;
};

struct wafer_run_stats {
	/*
	 * Modeled cycles: the latest time anything of the run finished (a
	 * task, an async op) over its PEs; for a faulting run the time of
	 * the fault reported. The same at any thread count.
	 */
	uint64_t cycles;
	uint64_t instructions;	/* executed, summed over PEs */
	uint64_t wavelets;	/* delivered to a RAMP, summed */
	/* Added with the dataflow PE (image format 2): */
	uint64_t wavelets_dropped;	/* delivered, never taken */
	uint64_t global_stalls;	/* times the run needed a global step
				 * (GVT) to go on; depends on host timing */
};

/*
 * Create a wafer. SRAM is reserved lazily (untouched PEs cost no memory),
 * so a full 762 x 1176 mesh is cheap until used. On failure returns a
 * negative errno and writes a message into err.
 */
int wafer_create(const struct wafer_config *cfg, struct wafer **out,
		 char *err, size_t errlen);
void wafer_destroy(struct wafer *w);
void wafer_get_config(const struct wafer *w, struct wafer_config *cfg);

/* Change the per-PE instruction budget of later launches; 0 = unlimited. */
void wafer_set_insn_budget(struct wafer *w, uint64_t budget);

/*
 * All PE SRAM is one contiguous block: PE (x, y) starts at
 * base + ((size_t)y * width + x) * sram_bytes. The device maps windows of
 * it into the guest and copies into it with DMA; the host may read and
 * write it whenever no kernel runs on the PEs concerned.
 */
uint8_t *wafer_sram_base(struct wafer *w);
size_t wafer_sram_total(const struct wafer *w);

/* Zero every PE's SRAM and forget router state (device reset). Runs still
 * in progress are stopped first; they end with WAFER_ERR_CANCELLED. */
void wafer_reset(struct wafer *w);

/*
 * Load an image onto region of the wafer: writes code and data into the
 * SRAM of every PE the layout covers (and zeroes the rest of the region),
 * programs routes. region must lie on the wafer and be at least the image's
 * extent. The program keeps its own reference to what it needs from img.
 * Loading over the region of a loaded (not running) program is allowed, the
 * last load owns the SRAM; -EBUSY if the region overlaps a running program.
 * wafer_program_free() must not be called while p is being launched.
 */
int wafer_load(struct wafer *w, const struct wafer_rect *region,
	       const struct wafer_image *img, struct wafer_program **out,
	       struct wafer_fault *fault);
void wafer_program_free(struct wafer_program *p);

/*
 * wafer_load(), but giving up with WAFER_ERR_CANCELLED (-ECANCELED) soon
 * after *cancel becomes non-zero (read atomically, checked between route
 * records and PE rows): a device stopping a queue must not wait for a
 * full-wafer load. cancel may be NULL.
 */
int wafer_load_cancellable(struct wafer *w, const struct wafer_rect *region,
			   const struct wafer_image *img,
			   struct wafer_program **out,
			   struct wafer_fault *fault, const int *cancel);

/*
 * Run exported function sym_index on every PE of the program whose code
 * defines it, as its first task, with args in r1..r{nargs}; PEs whose
 * group has a task table but not the function start idle, waiting for
 * their tasks. Blocks until nothing can happen any more (every PE halted
 * or idle with no task that can start and no async op in flight), or a
 * fault, deadlock, budget exhaustion or cancel stops the run; wavelets
 * nobody took are dropped (stats->wavelets_dropped). Returns 0 or a
 * negative errno; fault->status says what the wafer reported: for a
 * fault, the earliest in modeled time. Safe to call concurrently for
 * programs on disjoint regions. Identical results, cycle counts, faults
 * and deadlock reports whatever the wafer's thread count
 * (Documentation/wse/isa.rst).
 *
 * Errnos: -EINVAL bad argument, -ENOENT not a function, -EBUSY the region
 * overlaps a running program (or p already runs), -ENOMEM, -ECANCELED,
 * -EDEADLK, -ETIMEDOUT (instruction budget), -EIO any other kernel fault.
 * stats and fault may be NULL.
 */
int wafer_launch(struct wafer_program *p, uint32_t sym_index,
		 const uint32_t *args, unsigned nargs,
		 struct wafer_run_stats *stats, struct wafer_fault *fault);

/* Thread-safe: make a running (or the next) launch of p stop soon with
 * WAFER_ERR_CANCELLED. wafer_program_uncancel() re-arms it. */
void wafer_program_cancel(struct wafer_program *p);
void wafer_program_uncancel(struct wafer_program *p);

struct wafer_pe_dump;

/*
 * Fill @d with the state of PE (x, y) of the program's region
 * (abi/pe-dump.h): what the last launch left, or the loaded state if
 * none ran. Between launches only: -EBUSY while p runs, -EINVAL for a
 * PE off the region.
 */
int wafer_pe_dump(struct wafer_program *p, uint32_t x, uint32_t y,
		  struct wafer_pe_dump *d);

struct wafer_trace_config;
struct wafer_trace_pe;
struct wafer_trace_event;
struct wafer_pe_counters;

/*
 * Launch traces and counters (abi/wafer-trace.h). wafer_trace_arm()
 * asks the next wafer_launch() of p to record (cfg NULL or no flags:
 * not); that launch replaces the records of the one before. Between
 * launches, wafer_trace_read() gives PE (x, y)'s header and up to @max
 * of its events in cycle order, wafer_counters_read() every PE's
 * counters in row-major order (@n >= the region's PEs). -ENODATA if no
 * launch was traced, -EBUSY while p runs, -EINVAL for bad arguments.
 * Resident launches are not traced.
 */
int wafer_trace_arm(struct wafer_program *p, const struct wafer_trace_config *cfg);
int wafer_trace_read(struct wafer_program *p, uint32_t x, uint32_t y,
		     struct wafer_trace_pe *hdr, struct wafer_trace_event *ev,
		     uint32_t max);
int wafer_counters_read(struct wafer_program *p, struct wafer_pe_counters *c,
			size_t n);

#ifdef __cplusplus
}
#endif

#endif /* WAFER_H */
