// SPDX-License-Identifier: GPL-2.0
/*
 * life_ref.c - the game of life on the host, the plain way.
 */
#include <string.h>

#include "life_ref.h"

void life_ref(uint32_t *grid, uint32_t *tmp, uint32_t rows, uint32_t cols,
	      uint32_t gens)
{
	for (uint32_t g = 0; g < gens; g++) {
		for (uint32_t i = 0; i < rows; i++) {
			for (uint32_t j = 0; j < cols; j++) {
				uint32_t n = 0;

				for (int di = -1; di <= 1; di++) {
					for (int dj = -1; dj <= 1; dj++) {
						int64_t r = (int64_t)i + di, c = (int64_t)j + dj;

						if ((di || dj) && r >= 0 && c >= 0 &&
						    r < rows && c < cols)
							n += grid[r * cols + c];
					}
				}
				tmp[i * cols + j] = n == 3 || (n == 2 && grid[i * cols + j]);
			}
		}
		memcpy(grid, tmp, (size_t)rows * cols * sizeof(*grid));
	}
}
