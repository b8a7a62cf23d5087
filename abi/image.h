/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * image.h - the parsed form of a kernel image, shared by the image parser
 * (image.c), the loader/executor and the tools. The on-disk ELF format is
 * described in Documentation/wse/image-format.rst; this is what the parser
 * turns it into after validating every field, so that consumers may trust
 * every index and range below without checking again.
 */
#ifndef WAFER_IMAGE_H
#define WAFER_IMAGE_H

#include <stdint.h>
#include "wafer-abi.h"

/* Router port bits, used in rx/tx masks of a route. */
#define WAFER_PORT_RAMP		0x01	/* the PE's own compute engine */
#define WAFER_PORT_NORTH	0x02	/* towards y - 1 */
#define WAFER_PORT_SOUTH	0x04	/* towards y + 1 */
#define WAFER_PORT_EAST		0x08	/* towards x + 1 */
#define WAFER_PORT_WEST		0x10	/* towards x - 1 */
#define WAFER_PORT_ALL		0x1f

#define WAFER_NO_ENTRY		UINT32_MAX

/* One layout rectangle: PEs [x, x+w) x [y, y+h) run code group 'group'. */
struct wafer_image_rect {
	uint32_t x, y, w, h;
	uint32_t group;
};

/* A code group: the program that the PEs of its rectangles run. */
struct wafer_image_group {
	const char *name;	/* owned by the image */
};

enum wafer_segment_kind {
	WAFER_SEG_CODE = 0,	/* instructions */
	WAFER_SEG_DATA = 1,	/* initialised data */
	WAFER_SEG_BSS = 2,	/* zero-filled */
};

/* Bytes placed at SRAM address addr on every PE of a group. data == NULL
 * means zero-filled (bss). addr + size <= the image's sram_bytes. A group
 * has at most one segment of each kind; segments of a group never overlap. */
struct wafer_image_segment {
	uint32_t group;
	uint32_t addr;
	uint32_t size;
	const uint8_t *data;
	enum wafer_segment_kind kind;
};

/*
 * A color route over a rectangle of PEs. Records apply in order: a later
 * record overrides earlier ones on the PEs it covers, which is how
 * per-edge exceptions are written (e.g. the east column does not forward
 * EAST). A PE with no record for a color neither accepts nor forwards it.
 */
struct wafer_image_route {
	uint32_t x, y, w, h;
	uint8_t color;		/* 0..WAFER_COLORS-1 */
	uint8_t rx;		/* WAFER_PORT_* it accepts from */
	uint8_t tx;		/* WAFER_PORT_* it forwards to */
};

/*
 * A per-PE constant: at load, the 32-bit word at addr on every PE of
 * group receives that PE's value of csr (enum isa_csr: its x, y, the
 * program or rectangle size...).
 */
struct wafer_image_const {
	uint32_t group;
	uint32_t addr;		/* 4-aligned */
	uint32_t csr;
};

/* Exported symbol, merged by name over groups. */
struct wafer_image_symbol {
	char *name;
	enum wafer_symbol_kind kind;
	uint32_t addr;		/* objects: same address on every group;
				 * functions: entry of the first group */
	uint32_t size;
	uint32_t elem_bytes;	/* objects: 2 or 4; functions: 0 */
	uint32_t elem_type;	/* objects: enum isa_type; functions: 0 */
	uint32_t *entry;	/* per group: functions' entry pc, objects'
				 * addr, or WAFER_NO_ENTRY where the group
				 * does not define the symbol */
};

/* A local label (non-exported symbol) for disassembly and messages. */
struct wafer_image_label {
	const char *name;
	uint32_t segment;	/* index into segments */
	uint32_t addr;		/* inside the segment or at its end */
};

struct wafer_image {
	uint32_t extent_w, extent_h;	/* bounding box of rects, from 0,0 */
	uint32_t sram_bytes;		/* SRAM the image was built for */
	uint32_t ngroups;
	uint32_t nrects, nsegments, nroutes, nconsts, nsymbols;
	uint32_t nlabels;
	struct wafer_image_group *groups;
	struct wafer_image_rect *rects;
	struct wafer_image_segment *segments;
	struct wafer_image_route *routes;
	struct wafer_image_const *consts;
	struct wafer_image_symbol *symbols;
	struct wafer_image_label *labels;	/* sorted by segment, addr */
	uint8_t *blob;			/* owned copy of the file bytes */
	size_t blob_len;
};

#endif /* WAFER_IMAGE_H */
