/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * xfer.h - wse-run's copies: check a --h2d or --d2h against the image
 * and its file before the device is touched, then hold the host array.
 */
#ifndef WSE_RUN_XFER_H
#define WSE_RUN_XFER_H

#include <stddef.h>
#include <stdint.h>

#include "image.h"
#include "npy.h"
#include "spec.h"

/**
 * struct run_copy - a copy ready to run
 * @x: what the command line said, with the rectangle and the elements
 *     per PE (@x.n) filled in
 * @sym: the array in the image
 * @type: element type of the host array
 * @host: the host array, h x w x n elements of @type, row-major
 * @bytes: its size
 * @file: H2D: the whole file read in (@host points into it)
 */
struct run_copy {
	struct run_xfer x;
	const struct wafer_image_symbol *sym;
	enum npy_dtype type;
	void *host;
	size_t bytes;
	void *file;
};

/*
 * Check @x against the image and, for H2D, read and check its file.
 * Return: 0, or a negative errno with a sentence in @err.
 */
int run_copy_h2d(const struct wafer_image *img, const struct run_xfer *x,
		 struct run_copy *c, char *err, size_t errlen);
int run_copy_d2h(const struct wafer_image *img, const struct run_xfer *x,
		 struct run_copy *c, char *err, size_t errlen);

/*
 * After a D2H: write the host array to the file (.npy, raw bytes, or
 * text on standard output for "-").
 */
int run_copy_write(const struct run_copy *c, char *err, size_t errlen);

void run_copy_free(struct run_copy *c);

/*
 * Read a whole regular file into *@buf (malloc'ed, the caller frees it).
 * Return: 0, or a negative errno with a sentence in @err.
 */
int run_read_file(const char *path, void **buf, size_t *len, char *err,
		  size_t errlen);

/* The image's symbol @name, or NULL. */
const struct wafer_image_symbol *run_image_symbol(const struct wafer_image *img,
						  const char *name);

/* Our type name of an array's elements: "f32", "i32", "f16", "i16". */
const char *run_elem_type_name(const struct wafer_image_symbol *sym);

#endif /* WSE_RUN_XFER_H */
