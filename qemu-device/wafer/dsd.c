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
 * Shape memory operand d of an op of n elements: it walks its own
 * dimensions, dimension 0 fastest, and its outermost dimension goes on as
 * far as n needs (its length is ignored, as a 1-D operand's length is).
 * False if a dimension inside is empty while n is not: no walk exists.
 */
bool wafer_dsd_shape(struct pe_dsd *d, uint32_t n)
{
	unsigned int last = d->ndim ? d->ndim - 1u : 0;
	uint64_t inner = 1;

	if (d->kind != DSD_MEM || !n)
		return true;
	for (unsigned int k = 0; k < last; k++) {
		if (!d->len[k])
			return false;
		inner *= d->len[k];
		if (inner > n)
			inner = (uint64_t)n + 1;	/* one row is enough */
	}
	d->len[last] = (uint32_t)((n + inner - 1) / inner);
	return true;
}

/* a * b, saturated far beyond any SRAM (sums of five stay in range). */
#define SPAN_MAX	((int64_t)1 << 58)
static int64_t span_mul(int64_t a, int64_t b)
{
	int64_t r;

	if (__builtin_mul_overflow(a, b, &r))
		return (a < 0) != (b < 0) ? -SPAN_MAX : SPAN_MAX;
	return r > SPAN_MAX ? SPAN_MAX : r < -SPAN_MAX ? -SPAN_MAX : r;
}

/* Offsets (elements) of the first count >= 1 elements of dims 0..nd-1. */
static void walk_bounds(const struct pe_dsd *d, unsigned int nd, uint64_t count,
			int64_t *lo, int64_t *hi)
{
	uint64_t inner = 1, q, r;
	int64_t l, h, span;

	if (nd <= 1) {
		span = span_mul((int64_t)count - 1, d->stride[0]);
		*lo = span < 0 ? span : 0;
		*hi = span > 0 ? span : 0;
		return;
	}
	for (unsigned int k = 0; k + 1 < nd && inner < count; k++)
		inner *= d->len[k];
	if (inner >= count) {
		walk_bounds(d, nd - 1, count, lo, hi);
		return;
	}
	q = count / inner;
	r = count % inner;
	walk_bounds(d, nd - 1, inner, &l, &h);
	span = span_mul((int64_t)q - 1, d->stride[nd - 1]);
	*lo = l + (span < 0 ? span : 0);
	*hi = h + (span > 0 ? span : 0);
	if (r) {
		int64_t off = span_mul((int64_t)q, d->stride[nd - 1]);

		walk_bounds(d, nd - 1, r, &l, &h);
		if (l + off < *lo)
			*lo = l + off;
		if (h + off > *hi)
			*hi = h + off;
	}
}

/*
 * The lowest and highest byte address (exclusive) the first n elements of
 * the walk of memory DSD d (shaped for n) touch, in 64 bits: both may lie
 * outside SRAM, or below 0. n is at least 1.
 */
void wafer_dsd_bounds(const struct pe_dsd *d, uint32_t n, unsigned int esz,
		      int64_t *lo, int64_t *hi)
{
	int64_t l, h;

	walk_bounds(d, d->ndim, n, &l, &h);
	*lo = (int64_t)d->base + span_mul(l, esz);
	*hi = (int64_t)d->base + span_mul(h, esz) + esz;
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
	/* The outermost dimension does not wrap (wafer_dsd_shape()). */
	for (unsigned int k = 0; k < d->ndim; k++) {
		uint32_t ik = rem;

		if (k + 1 < d->ndim) {
			ik = rem % d->len[k];
			rem /= d->len[k];
		}
		if (k == 0)
			*run = d->len[0] - ik;
		off += (int64_t)ik * d->stride[k] * (int64_t)esz;
	}
	return (uint64_t)off;
}
