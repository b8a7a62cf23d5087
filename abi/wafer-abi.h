/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * wafer-abi.h - what the toolchain, the runtime and the device agree on
 * about a wafer, beside the instruction set (isa.h) and the kernel image
 * format (image-elf.h): the machine's limits, the errors a kernel run
 * reports, and the image parser every part links (image.c).
 *
 * abi/ is to wse-as, wse-objdump, libwse and the device what uapi/ is to
 * libwse and the driver: nothing in it depends on any one of them, and
 * each builds from it. Plain C11, no QEMU, no libdrm, no kernel headers.
 */
#ifndef WAFER_ABI_H
#define WAFER_ABI_H

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
	WAFER_ERR_STREAM_TIMEOUT, /* a stream's wavelets were not taken or sent */
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

/* Short constant name of a status, e.g. "deadlock". */
const char *wafer_status_name(enum wafer_status st);

struct wafer_image;

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

#ifdef __cplusplus
}
#endif

#endif /* WAFER_ABI_H */
