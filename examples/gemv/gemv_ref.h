/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gemv_ref.h - the host reference for the GEMV example.
 */
#ifndef GEMV_REF_H
#define GEMV_REF_H

#include <stdint.h>

/* y = A x for a row-major @m x @n matrix, accumulated in double. */
void gemv_ref(const float *a, const float *x, double *y, uint32_t m,
	      uint32_t n);

#endif /* GEMV_REF_H */
