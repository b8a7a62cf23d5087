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

#ifdef __cplusplus
extern "C" {
#endif

#define WAFER_COLORS		24	/* routable colors 0..23 */
#define WAFER_MAX_ARGS		8	/* 32-bit launch arguments */
#define WAFER_DEFAULT_SRAM	(48 * 1024)
#define WAFER_MAX_WIDTH		762	/* CS-3 fabric as the SDK sees it */
#define WAFER_MAX_HEIGHT	1176

struct wafer;
struct wafer_image;
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
};

struct wafer_rect {
	uint32_t x, y, w, h;
};

/* Errors a kernel run (or a load) reports; see Documentation/wse/isa.rst. */
enum wafer_status {
	WAFER_OK = 0,
	WAFER_ERR_SRAM_RANGE,	/* load/store/DSD outside the PE's SRAM */
	WAFER_ERR_ILLEGAL_INSN,	/* undecodable instruction or bad operand */
	WAFER_ERR_MISALIGNED,	/* unaligned access or pc */
	WAFER_ERR_UNROUTED,	/* wavelet on a color the route does not carry */
	WAFER_ERR_DEADLOCK,	/* every live PE is blocked */
	WAFER_ERR_RUNAWAY,	/* instruction budget exhausted */
	WAFER_ERR_CANCELLED,	/* wafer_program_cancel() stopped the run */
	WAFER_ERR_BAD_IMAGE,	/* image rejected by the parser or loader */
	WAFER_ERR_NO_FUNCTION,	/* launch of an index that is not a function */
	WAFER_ERR_BAD_REGION,	/* region off the wafer or too small */
	WAFER_ERR_NOMEM,
	WAFER_ERR_INVALID,	/* bad argument from the caller */
	WAFER_STATUS_COUNT
};

/*
 * Where and why a load or a run failed. For run errors pe_x/pe_y are
 * relative to the program's region and pc is the faulting instruction's
 * SRAM address; msg is a complete human-readable sentence such as
 * "PE (3,7) pc 0x1a4: SRAM read of 4 bytes at 0xc000 out of range".
 */
struct wafer_fault {
	enum wafer_status status;
	uint32_t pe_x, pe_y;
	uint32_t pc;
	char msg[192];
};

struct wafer_run_stats {
	uint64_t cycles;	/* modeled cycles: max over PEs of its clock */
	uint64_t instructions;	/* executed, summed over PEs */
	uint64_t wavelets;	/* delivered to a RAMP, summed */
};

/* Short constant name of a status, e.g. "deadlock". */
const char *wafer_status_name(enum wafer_status st);

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
 * Parse and validate an image. Never crashes on any input; on failure
 * returns -EINVAL (or -ENOMEM) and writes a message naming what is wrong.
 */
int wafer_image_parse(const void *data, size_t len, struct wafer_image **out,
		      char *err, size_t errlen);
void wafer_image_free(struct wafer_image *img);

/* Bounding box of the image's layout: the region size it needs. */
void wafer_image_extent(const struct wafer_image *img, uint32_t *w, uint32_t *h);

enum wafer_symbol_kind {
	WAFER_SYM_OBJECT = 1,	/* exported array in SRAM */
	WAFER_SYM_FUNCTION = 2,	/* exported entry point */
};

struct wafer_symbol {
	const char *name;	/* owned by the image */
	enum wafer_symbol_kind kind;
	uint32_t index;		/* stable index, used by wafer_launch() */
	uint32_t addr;		/* SRAM address (same on every PE) */
	uint32_t size;		/* bytes */
	uint32_t elem_bytes;	/* element size of an object: 2 or 4 */
};

unsigned wafer_image_symbol_count(const struct wafer_image *img);
int wafer_image_symbol_at(const struct wafer_image *img, unsigned index,
			  struct wafer_symbol *sym);
int wafer_image_symbol_find(const struct wafer_image *img, const char *name,
			    struct wafer_symbol *sym);

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
 * Run exported function sym_index on every PE of the program whose code
 * defines it, with args in r1..r{nargs}. Blocks until every PE halted, or a
 * fault, deadlock, budget exhaustion or cancel stops the run. Returns 0 or
 * a negative errno; fault->status says what the wafer reported. Safe to
 * call concurrently for programs on disjoint regions. Identical results
 * and cycle counts whatever the wafer's thread count.
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

#ifdef __cplusplus
}
#endif

#endif /* WAFER_H */
