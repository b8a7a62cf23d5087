/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stream.h - wse-run's streams (Documentation/wse/streaming.rst):
 *
 *   --stream-in  COLOR[:TYPE]@EDGE[,Y,H]=FILE
 *   --stream-out COLOR[:TYPE]@EDGE[,Y,H]=FILE[:N]
 *
 * COLOR is 0..23, EDGE "west" (the only edge with I/O channels; "w" and
 * "0" say the same), Y,H the rows (default: all rows of the image). The
 * host array is SdkRuntime's streaming layout: H x N elements row after
 * row, PE (0, Y + r) receiving (or having sent) elements [r * N,
 * (r + 1) * N). A stream-in takes N from its file; a stream-out's N and
 * TYPE default to those of the last --stream-in before it.
 *
 * Parsing and checking need no device, so they are host-tested alone.
 */
#ifndef WSE_RUN_STREAM_H
#define WSE_RUN_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "image.h"
#include "xfer.h"

#define RUN_STREAM_COLORS	24	/* routable colors */
#define RUN_STREAM_EDGE_WEST	0	/* WSE_STREAM_EDGE_WEST */

/**
 * struct run_stream_spec - one stream as the command line says it
 * @in: --stream-in (else --stream-out)
 * @color: its color
 * @edge: %RUN_STREAM_EDGE_WEST
 * @has_rows: @y and @h were given
 * @y: first row
 * @h: rows
 * @type: enum npy_dtype, or -1 if not given
 * @n: --stream-out: elements per row after ':', 0 if not given
 * @file: the file (a copy, without the ":N")
 */
struct run_stream_spec {
	bool in;
	unsigned int color;
	unsigned int edge;
	bool has_rows;
	uint32_t y, h;
	int type;
	uint32_t n;
	char file[4096];
};

/* Return: 0, or -EINVAL with a sentence in @err. */
int run_parse_stream(const char *arg, bool in, struct run_stream_spec *s,
		     char *err, size_t errlen);

/*
 * Check @s against the image and fill @c, the host array: a stream-in's
 * file read in, a stream-out's buffer allocated. @prev is the last
 * stream-in before it (NULL if none), for a stream-out's defaults. @c
 * uses run_copy's fields: @c->x.py/h are the rows, @c->x.w is 1 and
 * @c->x.n the elements per row, so run_copy_write() writes a stream-out.
 * Return: 0, or a negative errno with a sentence in @err.
 */
int run_stream_prepare(const struct wafer_image *img,
		       const struct run_stream_spec *s,
		       const struct run_copy *prev, struct run_copy *c,
		       char *err, size_t errlen);

#endif /* WSE_RUN_STREAM_H */
