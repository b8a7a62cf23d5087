/* SPDX-License-Identifier: GPL-2.0-or-later */
/* native.h - plain C baselines built with -O2 -march=native (native.c). */
#ifndef WSE_BENCH_NATIVE_H
#define WSE_BENCH_NATIVE_H

void bench_native_fmacs(float *y, const float *x, float s, unsigned int n,
			unsigned int reps);
void bench_native_gemv(float *y, const float *a, const float *x, unsigned int m,
		       unsigned int n);

#endif
