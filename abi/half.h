/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * half.h - IEEE 754 binary16 conversions in plain integer code, so that f16
 * results are the same on every host and compiler (no _Float16, no F16C).
 * Rounding is to nearest, ties to even; NaNs stay NaNs (quieted).
 */
#ifndef WAFER_HALF_H
#define WAFER_HALF_H

#include <stdint.h>
#include <string.h>

static inline float wafer_h2f(uint16_t h)
{
	uint32_t sign = (uint32_t)(h & 0x8000) << 16;
	uint32_t exp = (h >> 10) & 0x1f, man = h & 0x3ff, x;
	float f;

	if (exp == 0x1f) {
		x = sign | 0x7f800000 | (man << 13);
	} else if (exp) {
		x = sign | ((exp + 112) << 23) | (man << 13);
	} else if (!man) {
		x = sign;
	} else {
		/* Subnormal: normalise the mantissa. */
		uint32_t e = 113;

		while (!(man & 0x400)) {
			man <<= 1;
			e--;
		}
		x = sign | (e << 23) | ((man & 0x3ff) << 13);
	}
	memcpy(&f, &x, sizeof(f));
	return f;
}

static inline uint16_t wafer_f2h(float f)
{
	uint32_t x, sign, man, h, rem, half;
	int e, shift;

	memcpy(&x, &f, sizeof(x));
	sign = (x >> 16) & 0x8000;
	man = x & 0x7fffff;
	if (((x >> 23) & 0xff) == 0xff)
		return sign | 0x7c00 | (man ? 0x200 | (man >> 13) : 0);
	e = (int)((x >> 23) & 0xff) - 127 + 15;
	if (e >= 0x1f)
		return sign | 0x7c00;
	if (e <= 0) {
		/* Below 2^-25 everything rounds to zero. */
		if (e < -10)
			return sign;
		man |= 0x800000;
		shift = 14 - e;
		h = man >> shift;
		rem = man & ((1u << shift) - 1);
		half = 1u << (shift - 1);
		if (rem > half || (rem == half && (h & 1)))
			h++;
		return sign | h;
	}
	h = ((uint32_t)e << 10) | (man >> 13);
	rem = man & 0x1fff;
	/* A carry out of the mantissa correctly bumps the exponent. */
	if (rem > 0x1000 || (rem == 0x1000 && (h & 1)))
		h++;
	return sign | h;
}

#endif /* WAFER_HALF_H */
