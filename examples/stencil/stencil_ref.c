// SPDX-License-Identifier: GPL-2.0
/*
 * stencil_ref.c - Jacobi sweeps on the host: every interior point
 * becomes the mean of its four neighbours, all points at once (a sweep
 * reads only the previous one), the boundary ring stays as it is.
 */
#include <stddef.h>
#include <string.h>

#include "stencil_ref.h"

void stencil_ref(double *grid, double *tmp, uint32_t rows, uint32_t cols,
		 uint32_t iters)
{
	const size_t w = (size_t)cols + 2;

	memcpy(tmp, grid, sizeof(*grid) * w * (rows + 2));
	for (uint32_t t = 0; t < iters; t++) {
		for (size_t i = 1; i <= rows; i++)
			for (size_t j = 1; j <= cols; j++)
				tmp[i * w + j] = (grid[(i - 1) * w + j] +
						  grid[(i + 1) * w + j] +
						  grid[i * w + j - 1] +
						  grid[i * w + j + 1]) * 0.25;
		for (size_t i = 1; i <= rows; i++)
			memcpy(grid + i * w + 1, tmp + i * w + 1,
			       sizeof(*grid) * cols);
	}
}
