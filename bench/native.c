// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * native.c - the plain C baselines of bench/wafer, built the way a user
 * builds their own code (-O2 -march=native, see bench/wafer.mk): the
 * emulator is compared with what the host does at its best, not with
 * C held to the emulator's own flags. Results may differ from the
 * emulator's in the last bit (the compiler may fuse a * b + c); the
 * benchmark checks the emulator against a copy built with its flags.
 */
#include <stddef.h>

#include "native.h"

void bench_native_fmacs(float *y, const float *x, float s, unsigned int n,
			unsigned int reps)
{
	for (unsigned int r = 0; r < reps; r++)
		for (unsigned int i = 0; i < n; i++)
			y[i] = y[i] + x[i] * s;
}

/* y = A x, A row-major m x n: bench/wafer's gemv_native(), as a user builds it. */
void bench_native_gemv(float *y, const float *a, const float *x, unsigned int m,
		       unsigned int n)
{
	for (unsigned int i = 0; i < m; i++) {
		float acc = 0;

		for (unsigned int j = 0; j < n; j++)
			acc += a[(size_t)i * n + j] * x[j];
		y[i] = acc;
	}
}
