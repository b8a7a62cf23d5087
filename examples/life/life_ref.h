/* SPDX-License-Identifier: GPL-2.0 */
/*
 * life_ref.h - the game of life on the host: the reference the wafer's
 * examples/life kernel is checked against.
 */
#ifndef LIFE_REF_H
#define LIFE_REF_H

#include <stdint.h>

/*
 * gens generations of rows x cols cells (row-major, 0 dead, 1 alive),
 * cells beyond the edges dead; tmp holds rows * cols cells.
 */
void life_ref(uint32_t *grid, uint32_t *tmp, uint32_t rows, uint32_t cols,
	      uint32_t gens);

#endif /* LIFE_REF_H */
