/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * npy.h - NumPy .npy files for wse-run: parse one from memory, write a
 * header. Only what a wafer array can hold: little-endian f32, i32,
 * u32, f16 and i16 in C (row-major) order.
 *
 * The format (numpy.lib.format): the magic "\x93NUMPY", a major and a
 * minor version byte, the header length (16 bits in version 1, 32 bits
 * in versions 2 and 3, little-endian), then the header: a Python dict
 * literal such as {'descr': '<f4', 'fortran_order': False, 'shape':
 * (8, 8, 32), } padded with spaces and ending in a newline, so that the
 * data starts at a multiple of 64 bytes. The data follows, nothing else.
 */
#ifndef WSE_RUN_NPY_H
#define WSE_RUN_NPY_H

#include <stddef.h>
#include <stdint.h>

enum npy_dtype {
	NPY_F32,
	NPY_I32,
	NPY_U32,
	NPY_F16,
	NPY_I16,
	NPY_NTYPES
};

#define NPY_MAX_DIMS	16

/**
 * struct npy_array - what a .npy header says
 * @dtype: the element type
 * @ndim: number of dimensions, 0 for a scalar
 * @shape: size of each dimension
 * @count: elements, the product of @shape (1 for a scalar)
 * @data_off: byte offset of the data in the file
 */
struct npy_array {
	enum npy_dtype dtype;
	unsigned int ndim;
	uint64_t shape[NPY_MAX_DIMS];
	uint64_t count;
	size_t data_off;
};

/* Bytes of one element: 4 or 2. */
unsigned int npy_dtype_size(enum npy_dtype t);

/* NumPy's name, "<f4", and ours, "f32". */
const char *npy_dtype_descr(enum npy_dtype t);
const char *npy_dtype_name(enum npy_dtype t);

/* Our name ("f32", "i32", "u32", "f16", "i16") to the type; -EINVAL. */
int npy_dtype_by_name(const char *name, size_t len, enum npy_dtype *t);

/*
 * Check the @len bytes of a .npy file at @buf and describe them in @a.
 * The data must be exactly @a->count elements. Return: 0, or -EINVAL
 * with a sentence in @err saying what is wrong and, where it helps, how
 * to write the file NumPy-side.
 */
int npy_parse(const void *buf, size_t len, struct npy_array *a, char *err,
	      size_t errlen);

/*
 * Write a version 1.0 header for an array of @ndim dimensions @shape into
 * @buf. Return: its length in bytes (a multiple of 64: the data follows
 * it), -ENOSPC if @len is too small, -EINVAL for a bad type or ndim.
 */
int npy_header(enum npy_dtype t, unsigned int ndim, const uint64_t *shape,
	       char *buf, size_t len);

#endif /* WSE_RUN_NPY_H */
