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
	uint8_t pos;		/* switch position 0..WAFER_SWITCH_POSITIONS-1 */
};

#define WAFER_SWITCH_POSITIONS	4

/*
 * Switch behaviour of the routers of a rectangle for one color (format
 * version 2). Without a record a router with several positions stops at
 * its last one on SWITCH_ADV; with WAFER_SWITCH_RING it wraps to 0.
 */
#define WAFER_SWITCH_RING	0x01

struct wafer_image_switch {
	uint32_t x, y, w, h;
	uint8_t color;
	uint8_t flags;		/* WAFER_SWITCH_* */
};

/* Task kinds of a task table record (format version 2). */
enum wafer_task_kind {
	WAFER_TASK_DATA = 1,	/* runs per wavelet arriving on color */
	WAFER_TASK_LOCAL = 2,	/* runs when activated (and unblocked) */
	WAFER_TASK_CONTROL = 3,	/* runs per control wavelet on color */
};

#define WAFER_TASK_IDS		64
#define WAFER_TASK_TEARDOWN	29	/* local: runs when a color is torn down */
#define WAFER_TASK_TIMER	30	/* local: activated by the timer */
#define WAFER_TASK_MAX_PRIO	7

#define WAFER_TASK_BLOCKED	0x01	/* starts blocked */
#define WAFER_TASK_ACTIVE	0x02	/* starts activated (local tasks) */

/* One task of a group's task table. */
struct wafer_image_task {
	uint32_t group;
	uint32_t entry;		/* 8-aligned, inside the group's code */
	uint8_t id;		/* 0..63, not 30; 29 only local */
	uint8_t kind;		/* enum wafer_task_kind */
	uint8_t color;		/* data and control tasks: their color */
	uint8_t prio;		/* 0..7, higher runs first */
	uint8_t flags;		/* WAFER_TASK_* */
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
	uint32_t version;		/* format version (1 or 2) */
	uint32_t extent_w, extent_h;	/* bounding box of rects, from 0,0 */
	uint32_t sram_bytes;		/* SRAM the image was built for */
	uint32_t ngroups;
	uint32_t nrects, nsegments, nroutes, nconsts, nsymbols;
	uint32_t nlabels, ntasks, nswitches;
	struct wafer_image_group *groups;
	struct wafer_image_rect *rects;
	struct wafer_image_segment *segments;
	struct wafer_image_route *routes;
	struct wafer_image_const *consts;
	struct wafer_image_symbol *symbols;
	struct wafer_image_label *labels;	/* sorted by segment, addr */
	struct wafer_image_task *tasks;		/* sorted by group, id */
	struct wafer_image_switch *switches;
	uint8_t *blob;			/* owned copy of the file bytes */
	size_t blob_len;
};

#endif /* WAFER_IMAGE_H */
