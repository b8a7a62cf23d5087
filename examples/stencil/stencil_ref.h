/* SPDX-License-Identifier: GPL-2.0 */
/*
 * stencil_ref.h - the host reference for the stencil example.
 */
#ifndef STENCIL_REF_H
#define STENCIL_REF_H

#include <stdint.h>

/*
 * @iters Jacobi sweeps of the 5-point stencil over the @rows x @cols
 * interior of @grid, a (rows + 2) x (cols + 2) row-major array whose
 * outer ring holds the fixed boundary values. @tmp has the size of @grid
 * and is scratch. Computed in double.
 */
void stencil_ref(double *grid, double *tmp, uint32_t rows, uint32_t cols,
		 uint32_t iters);

#endif /* STENCIL_REF_H */
