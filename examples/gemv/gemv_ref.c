// SPDX-License-Identifier: GPL-2.0
/*
 * gemv_ref.c - y = A x on the host, the plain way: one dot product per
 * row, in double so that the wafer's f32 result is compared with
 * something more exact than itself.
 */
#include <stddef.h>

#include "gemv_ref.h"

void gemv_ref(const float *a, const float *x, double *y, uint32_t m,
	      uint32_t n)
{
	for (uint32_t i = 0; i < m; i++) {
		const float *row = a + (size_t)i * n;
		double sum = 0;

		for (uint32_t j = 0; j < n; j++)
			sum += (double)row[j] * x[j];
		y[i] = sum;
	}
}
