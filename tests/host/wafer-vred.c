// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wafer-vred.c - the integer reductions' contiguous kernels (vrsum,
 * vrmax, vrmin of i32 and i16: lanes folded at the end, vkern.c) against
 * the general path, the strided loops, over the same elements spread two
 * apart with other values between: every length from 0 to 300 (the lane
 * blocks, their tails, none) and 8192 (a whole buffer), unaligned
 * starts, random elements with the extremes mixed in (sums that wrap,
 * maxima and minima at the ends of the range), accumulators carried in
 * from an earlier chunk; and both against a plain C loop.
 */
#include "kselftest_harness.h"
#include "internal.h"

#define MAXN	8192

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t rnd32(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)rng;
}

/* A random element, an extreme one time in eight. */
static uint32_t elem(unsigned int esz)
{
	static const uint32_t ext32[] = { 0, 1, 0x7fffffffu, 0x80000000u, 0xffffffffu };
	static const uint32_t ext16[] = { 0, 1, 0x7fff, 0x8000, 0xffff };
	uint32_t r = rnd32();

	if ((r & 7) == 0)
		return esz == 4 ? ext32[(r >> 3) % 5] : ext16[(r >> 3) % 5];
	return esz == 4 ? rnd32() : rnd32() & 0xffff;
}

/* The definition: one running result, in element order. */
static uint32_t ref(unsigned int op, unsigned int esz, const uint8_t *a,
		    uint32_t n, uint32_t acc)
{
	for (uint32_t i = 0; i < n; i++) {
		uint32_t x = 0;
		int64_t sx, sa;

		memcpy(&x, a + (size_t)i * esz, esz);
		sx = esz == 4 ? (int32_t)x : (int16_t)x;
		sa = esz == 4 ? (int32_t)acc : (int16_t)acc;
		if (op == ISA_OP_VRSUM)
			acc = acc + x;
		else if (op == ISA_OP_VRMAX)
			acc = sx > sa ? x : acc;
		else
			acc = sx < sa ? x : acc;
		if (esz == 2)
			acc &= 0xffff;
	}
	return acc;
}

static uint32_t run(unsigned int op, unsigned int type, const uint8_t *a,
		    long as, uint32_t n, uint32_t acc)
{
	struct vargs v = {
		.a = a, .as = as, .n = n, .acc = acc, .op = op, .type = type,
	};

	wafer_kern_run(&v);
	return v.acc;
}

TEST(contiguous_is_strided)
{
	static const unsigned int ops[] = { ISA_OP_VRSUM, ISA_OP_VRMAX, ISA_OP_VRMIN };
	static const unsigned int types[] = { ISA_T_I32, ISA_T_I16 };
	uint8_t *flat = malloc(MAXN * 4 + 8), *spread = malloc(MAXN * 8);
	unsigned int checked = 0;

	ASSERT_NE(NULL, flat);
	ASSERT_NE(NULL, spread);
	for (unsigned int ti = 0; ti < 2; ti++) {
		const unsigned int t = types[ti], esz = t == ISA_T_I32 ? 4 : 2;

		for (unsigned int oi = 0; oi < 3; oi++) {
			for (uint32_t n = 0; n <= 301; n++) {
				/* 301 stands for a whole buffer of MAXN */
				const uint32_t len = n == 301 ? MAXN : n;
				const uint32_t off = (n % 3) * esz;	/* unaligned starts */
				uint8_t *a = flat + off;
				uint32_t acc = n % 2 ? elem(esz) : wafer_red_init(ops[oi], t);
				uint32_t want, got, strided;

				for (uint32_t i = 0; i < len; i++) {
					uint32_t x = elem(esz), y = elem(esz);

					memcpy(a + (size_t)i * esz, &x, esz);
					memcpy(spread + (size_t)i * 2 * esz, &x, esz);
					memcpy(spread + (size_t)i * 2 * esz + esz, &y, esz);
				}
				want = ref(ops[oi], esz, a, len, acc);
				got = run(ops[oi], t, a, esz, len, acc);
				strided = run(ops[oi], t, spread, 2 * esz, len, acc);
				ASSERT_EQ(want, strided) {
					TH_LOG("general path: type %u op %u n %u", t, ops[oi], len);
				}
				ASSERT_EQ(want, got) {
					TH_LOG("contiguous: type %u op %u n %u", t, ops[oi], len);
				}
				checked++;
			}
		}
	}
	ASSERT_EQ(2u * 3 * 302, checked);
	free(flat);
	free(spread);
}

TEST_HARNESS_MAIN
