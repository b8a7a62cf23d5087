/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dump.h - shared state of wse-objdump: the parsed image and, per group,
 * every name an address has (local labels and exports), sorted.
 */
#ifndef WSE_DUMP_H
#define WSE_DUMP_H

#include <stdint.h>
#include <stdio.h>

#include "wafer-abi.h"
#include "image.h"

struct dlabel {
	uint32_t addr;
	int seg;		/* index in img->segments */
	const char *name;
	int sym;		/* exported symbol index, or -1 */
};

struct dump {
	const char *path;
	const struct wafer_image *img;
	struct dlabel **labels;	/* per group, sorted by seg, addr, name */
	unsigned *nlabels;
	int *seg_of;		/* [group * 3 + kind] segment or -1 */
	unsigned cur_group;	/* for the label callback */
};

int dump_init(struct dump *d, const struct wafer_image *img, const char *path);
void dump_fini(struct dump *d);
/* isa_label_fn: a name for addr in d->cur_group. */
const char *dump_label_at(void *ctx, uint32_t addr);
/* "RAMP|EAST", or "NONE" */
void dump_ports(char *buf, size_t n, unsigned mask);

/* dump-source.c: assembler source that wse-as turns back into the image */
void dump_source(struct dump *d, FILE *f);

#endif /* WSE_DUMP_H */
