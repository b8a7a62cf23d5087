// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wafer-chan-lines.c - the edge channels' runs in closed form
 * (qemu-device/wafer/chan-lines.h) give the per-wavelet loops' times on
 * any input: random queue depths (1 to 64, rings of a power of two),
 * channel periods 1 to 4, runs of 0 to 700 wavelets (cut anywhere in a
 * block), input times on one line, on a line with a kink, on two lines
 * or at random gaps (some below the period, which no channel sends but
 * the functions must still get right), consumers and producers ahead of
 * and behind the channel, channel slots after the last input (as a
 * channel keeps them) or anywhere. What must match is what a later read can see:
 * the clocks, the channel's next slot, the arrivals waiting at the end
 * of a take and the last depth take (or drain) times.
 * tests/host/wafer-stream-bulk.c runs the same paths end to end.
 */
#include "kselftest_harness.h"
#include "chan-lines.h"

#define RING	64
#define TRIALS	20000

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % n);
}

/* n increasing times from base into slots at.. of ring r: of kind kind. */
static void fill_times(uint64_t *r, uint32_t mask, uint64_t at, uint32_t n,
		       uint64_t base, uint32_t period, unsigned int kind)
{
	const uint64_t gap = period + rnd(3), gap2 = period + rnd(4);
	const uint32_t kink = n ? rnd(n) : 0;
	uint64_t x = base;

	for (uint32_t i = 0; i < n; i++) {
		r[(uint32_t)(at + i) & mask] = x;
		switch (kind) {
		case 0:		/* one line */
			x += gap;
			break;
		case 1:		/* a line with one late wavelet */
			x += gap + (i + 1 == kink ? 1 + rnd(20) : 0);
			break;
		case 2:		/* two lines */
			x += i < kink ? gap : gap2;
			break;
		default:	/* random gaps, from 1 */
			x += 1 + rnd(period + 3);
			break;
		}
	}
}

static uint32_t ring_mask(uint32_t depth)
{
	uint32_t ring = 1;

	while (ring < depth)
		ring <<= 1;
	return ring - 1;
}

static const uint32_t depths[] = { 1, 2, 3, 5, 8, 16, 32, 33, 48, 64 };

TEST(take_lines_as_loop)
{
	static uint64_t a1[RING], p1[RING], a2[RING], p2[RING];

	for (int trial = 0; trial < TRIALS; trial++) {
		const uint32_t depth = depths[rnd(sizeof(depths) / sizeof(depths[0]))];
		const uint32_t mask = ring_mask(depth), period = 1 + rnd(4);
		const uint64_t head = rnd(1000), base = 100 + rnd(1000);
		const uint32_t m = rnd(8) ? rnd(700) : rnd(3);
		const struct chan_rings r1 = { a1, p1, mask, depth, period };
		const struct chan_rings r2 = { a2, p2, mask, depth, period };
		uint64_t last, t1, t2, n1, n2;
		const uint32_t np = m < depth ? m : depth;

		memset(a1, 0, sizeof(a1));
		memset(p1, 0, sizeof(p1));
		fill_times(a1, mask, head, depth, base, period, rnd(4));
		last = a1[(uint32_t)(head + depth - 1) & mask];
		/* The consumer ahead of, at or behind the arrivals. */
		t1 = t2 = rnd(2) ? base - 1 - rnd(50) : base + rnd(3000);
		/*
		 * The channel's next slot: at least a period after the last
		 * (as a channel keeps it), or, a quarter of the time, any
		 * (the functions are the loop's on any input).
		 */
		n1 = n2 = last + period + (rnd(2) ? 0 : rnd(500));
		if (!rnd(4))
			n1 = n2 = base + rnd(3000);
		memcpy(a2, a1, sizeof(a1));
		memcpy(p2, p1, sizeof(p1));
		chan_take_loop(&r1, head, m, &t1, &n1);
		chan_take_lines(&r2, head, m, &t2, &n2);
		ASSERT_EQ(t1, t2) TH_LOG("trial %d: depth %u period %u m %u", trial,
					 depth, period, m);
		ASSERT_EQ(n1, n2) TH_LOG("trial %d", trial);
		/* The arrivals then waiting, and the last pops. */
		for (uint32_t i = 0; i < depth; i++) {
			const uint32_t s = (uint32_t)(head + m + i) & mask;

			ASSERT_EQ(a1[s], a2[s]) TH_LOG("trial %d: arrival %u", trial, i);
		}
		for (uint32_t i = 0; i < np; i++) {
			const uint32_t s = (uint32_t)(head + m - np + i) & mask;

			ASSERT_EQ(p1[s], p2[s]) TH_LOG("trial %d: pop %u of %u", trial, i, np);
		}
	}
}

TEST(send_lines_as_loop)
{
	static uint64_t p1[RING], p2[RING];

	for (int trial = 0; trial < TRIALS; trial++) {
		const uint32_t depth = depths[rnd(sizeof(depths) / sizeof(depths[0]))];
		const uint32_t mask = ring_mask(depth), period = 1 + rnd(4);
		const uint64_t tail = rnd(4) ? depth + rnd(1000) : rnd(depth + 1);
		const uint64_t base = 100 + rnd(1000);
		const uint32_t k = rnd(8) ? rnd(700) : rnd(3), hops = rnd(4);
		const struct chan_rings r1 = { NULL, p1, mask, depth, period };
		const struct chan_rings r2 = { NULL, p2, mask, depth, period };
		const uint32_t have = tail < depth ? (uint32_t)tail : depth;
		uint64_t last = base, t1, t2, n1, n2, min_dep;

		memset(p1, 0, sizeof(p1));
		/* The drains of the wavelets before tail: their slots' free times. */
		fill_times(p1, mask, tail - have, have, base, period, rnd(4));
		if (have)
			last = p1[(uint32_t)(tail - 1) & mask];
		t1 = t2 = rnd(2) ? base - 1 - rnd(50) : base + rnd(3000);
		n1 = n2 = last + period + (rnd(2) ? 0 : rnd(500));
		if (!rnd(4))
			n1 = n2 = base + rnd(3000);
		min_dep = rnd(3) ? 0 : t1 + rnd(100);
		memcpy(p2, p1, sizeof(p1));
		chan_send_loop(&r1, tail, k, min_dep, hops, &t1, &n1);
		chan_send_lines(&r2, tail, k, min_dep, hops, &t2, &n2);
		ASSERT_EQ(t1, t2) TH_LOG("trial %d: depth %u period %u k %u tail %llu",
					 trial, depth, period, k, (unsigned long long)tail);
		ASSERT_EQ(n1, n2) TH_LOG("trial %d", trial);
		/* The last depth drains (fewer if there were fewer). */
		for (uint64_t e = tail + k > depth ? tail + k - depth : 0; e < tail + k; e++) {
			const uint32_t s = (uint32_t)e & mask;

			ASSERT_EQ(p1[s], p2[s]) TH_LOG("trial %d: drain of %llu", trial,
						      (unsigned long long)e);
		}
	}
}

TEST_HARNESS_MAIN
