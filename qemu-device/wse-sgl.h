/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * wse-sgl.h - walking a command's scatter-gather list in guest memory.
 *
 * The list is a flat array of struct wse_sge (no chaining, so it cannot
 * loop), read in small batches as the copy advances: a hostile count
 * costs nothing beyond the entries actually used.
 */
#ifndef WSE_SGL_H
#define WSE_SGL_H

#include "wse-dev.h"

#define WSE_SGL_BATCH	64

struct wse_sgl {
	struct wse_dev *dev;
	uint64_t list;			/* guest address of entry 0 */
	uint32_t count;			/* entries in the list */
	uint32_t next;			/* next entry to fetch */
	struct wse_sge cache[WSE_SGL_BATCH];
	uint32_t cached, cur;		/* entries in cache, current one */
	uint64_t cur_off;		/* bytes used of the current entry */
};

/* Returns WSE_CQE_OK or WSE_CQE_BAD_SGL for a misaligned or empty list. */
uint8_t wse_sgl_init(struct wse_sgl *s, struct wse_dev *d, uint64_t list,
		     uint32_t count);

/*
 * Move the next len bytes between buf and guest memory (to_guest: buf ->
 * guest). Returns WSE_CQE_OK, WSE_CQE_BAD_SGL (list exhausted, zero
 * length, reserved bits, wrapping address) or WSE_CQE_DMA_ERROR.
 */
uint8_t wse_sgl_copy(struct wse_sgl *s, void *buf, size_t len, bool to_guest);

#endif /* WSE_SGL_H */
