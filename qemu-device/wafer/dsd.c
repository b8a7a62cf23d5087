// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dsd.c - DSD registers and the walk of multi-dimensional memory DSDs.
 *
 * A PE gets its 16 DSD registers (and the state of its main thread's
 * vector op) the first time it uses one: a kernel that never touches a
 * DSD costs nothing for them, which matters on a full wafer.
 *
 * A memory DSD has up to four dimensions (CSL's mem4d_dsd), dimension 0
 * fastest. The vector engine walks it in runs: the elements left in the
 * current row of dimension 0, which are evenly spaced, go to the element
 * kernels in one call.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct pe_vec *wafer_pe_vec(struct pe *pe)
{
	if (!pe->v)
		pe->v = calloc(1, sizeof(*pe->v));
	return pe->v;
}

/* Elements, saturated at UINT32_MAX (callers refuse more). */
uint32_t wafer_dsd_count(const struct pe_dsd *d)
{
	uint64_t n = d->len[0];

	if (d->kind != DSD_MEM)
		return d->len[0];
	for (unsigned int k = 1; k < d->ndim; k++) {
		n *= d->len[k];
		if (n > UINT32_MAX)
			return UINT32_MAX;
	}
	return (uint32_t)n;
}

/*
 * The lowest and highest byte address (exclusive) the walk of a memory
 * DSD touches, in 64 bits: both may lie outside SRAM, or below 0.
 */
void wafer_dsd_bounds(const struct pe_dsd *d, unsigned int esz, int64_t *lo,
		      int64_t *hi)
{
	int64_t l = d->base, h = d->base;

	for (unsigned int k = 0; k < d->ndim; k++) {
		int64_t span;

		if (!d->len[k])
			continue;
		span = (int64_t)(d->len[k] - 1) * d->stride[k] * (int64_t)esz;
		if (span < 0)
			l += span;
		else
			h += span;
	}
	*lo = l;
	*hi = h + esz;
}

/*
 * Byte offset from base of element i, the elements left in its run of
 * dimension 0 (*run) and their spacing in bytes (*step).
 */
uint64_t wafer_dsd_offset(const struct pe_dsd *d, uint32_t i, uint32_t *run,
			  int64_t *step, unsigned int esz)
{
	int64_t off = 0;
	uint32_t rem = i;

	*step = (int64_t)d->stride[0] * esz;
	if (d->ndim <= 1 || !d->len[0]) {
		*run = UINT32_MAX;
		return (uint64_t)((int64_t)i * *step);
	}
	for (unsigned int k = 0; k < d->ndim; k++) {
		uint32_t ik = rem % d->len[k];

		rem /= d->len[k];
		if (k == 0)
			*run = d->len[0] - ik;
		off += (int64_t)ik * d->stride[k] * (int64_t)esz;
	}
	return (uint64_t)off;
}
