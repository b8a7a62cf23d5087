/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * chan-lines.h - the modeled times of the edge channels' bulk runs
 * (stream.c), in a per-wavelet loop and in closed form, on the rings of
 * a queue: arrival and pop (or, for a sink, drain) times by slot, slot
 * = index & mask. Plain functions of the rings, so that
 * tests/host/wafer-chan-lines.c can compare the two on any input.
 *
 * Copyright (c) 2026 The wse authors.
 */
#ifndef WAFER_CHAN_LINES_H
#define WAFER_CHAN_LINES_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* A queue's time rings and the channel's period. */
struct chan_rings {
	uint64_t *arr, *pop;	/* arrival, pop (drain) time by slot */
	uint32_t mask;
	uint64_t depth;
	uint32_t period;	/* cycles between the channel's slots */
};

static inline uint64_t cl_max(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

/*
 * While both ends keep a constant rate, the times of a run of wavelets
 * are lines, j -> a + j * s, and the recurrences of a pop or a push
 * (t_j = max(t_{j-1} + 1, a_j), the channel's next slot = max(slot +
 * period, pop + 1)) unroll into a maximum of two lines (prefix maxima of
 * lines are lines again when the slopes are ordered). The fast blocks
 * below check that a block's input times are one line, then write the
 * outputs as the two lines the unrolled recurrence gives: the same
 * numbers the per-wavelet loop computes, without its serial chain.
 */

/* Two times at once (GCC's and clang's vector extension: SSE2, NEON). */
typedef uint64_t ring_v2 __attribute__((vector_size(16)));

/*
 * Ring slots at..at+n-1 (masked) get a + j * s, two by two: a loop of
 * independent stores (the compiler does not vectorize a line of any
 * slope by itself).
 */
static inline void ring_line(uint64_t *r, uint32_t mask, uint64_t at,
			     uint32_t n, uint64_t a, uint64_t s)
{
	while (n) {
		const uint32_t o = (uint32_t)at & mask;
		const uint32_t run = mask + 1 - o < n ? mask + 1 - o : n;
		uint64_t *const d = r + o;
		ring_v2 v = { a, a + s };
		const ring_v2 step = { 2 * s, 2 * s };
		uint32_t j = 0;

		for (; j + 2 <= run; j += 2) {
			memcpy(d + j, &v, sizeof(v));
			v += step;
		}
		if (j < run)
			d[j] = a + j * s;
		a += run * s;
		at += run;
		n -= run;
	}
}

/*
 * The first j < n at which a2 + j * s2 >= a1 + j * s1 (n if none), for
 * s2 >= s1: before it the first line is the maximum, from it the second.
 */
static inline uint32_t lines_cross(uint64_t a1, uint64_t s1, uint64_t a2,
				   uint64_t s2, uint32_t n)
{
	uint64_t c;

	if (a2 >= a1)
		return 0;
	if (s2 == s1)
		return n;
	c = (a1 - a2 + (s2 - s1) - 1) / (s2 - s1);
	return c < n ? (uint32_t)c : n;
}

/*
 * Ring slots at..at+n-1 get max(a1 + j * s1, a2 + j * s2), s2 >= s1;
 * returns where the second line takes over (0: it is all the second, n:
 * all the first).
 */
static inline uint32_t ring_max2(uint64_t *r, uint32_t mask, uint64_t at,
				 uint32_t n, uint64_t a1, uint64_t s1,
				 uint64_t a2, uint64_t s2)
{
	const uint32_t c = lines_cross(a1, s1, a2, s2, n);

	ring_line(r, mask, at, c, a1, s1);
	ring_line(r, mask, at + c, n - c, a2 + c * s2, s2);
	return c;
}

/*
 * Whether ring slots at..at+n-1 (n >= 2) hold one line with slope at
 * least min_s; *a and *s get it. One pass of independent compares.
 */
static inline bool ring_is_line(const uint64_t *r, uint32_t mask, uint64_t at,
				uint32_t n, uint64_t min_s, uint64_t *a,
				uint64_t *s)
{
	const uint64_t a0 = r[(uint32_t)at & mask];
	const uint64_t s0 = r[(uint32_t)(at + 1) & mask] - a0;
	uint64_t bad = 0, x = a0;

	if (r[(uint32_t)(at + 1) & mask] < a0 || s0 < min_s)
		return false;
	while (n) {
		const uint32_t o = (uint32_t)at & mask;
		const uint32_t run = mask + 1 - o < n ? mask + 1 - o : n;
		const uint64_t *const d = r + o;

		for (uint32_t j = 0; j < run; j++)
			bad |= d[j] ^ (x + j * s0);
		x += run * s0;
		at += run;
		n -= run;
	}
	*a = a0;
	*s = s0;
	return !bad;
}

/* n values out of ring slots at.. into dst (esz 2: the low halves). */
static inline void ring_out(const uint32_t *r, uint32_t mask, uint64_t at,
			    uint32_t n, void *dst, const unsigned int esz)
{
	uint8_t *d = dst;

	while (n) {
		const uint32_t o = (uint32_t)at & mask;
		const uint32_t run = mask + 1 - o < n ? mask + 1 - o : n;

		if (esz == 4) {
			memcpy(d, r + o, run * 4);
		} else {
			uint16_t *h = (uint16_t *)d;

			for (uint32_t j = 0; j < run; j++)
				h[j] = (uint16_t)r[o + j];
		}
		d += run * esz;
		at += run;
		n -= run;
	}
}

/* n values of src into ring slots at... */
static inline void ring_in(uint32_t *r, uint32_t mask, uint64_t at,
			   uint32_t n, const uint32_t *src)
{
	while (n) {
		const uint32_t o = (uint32_t)at & mask;
		const uint32_t run = mask + 1 - o < n ? mask + 1 - o : n;

		memcpy(r + o, src, run * 4);
		src += run;
		at += run;
		n -= run;
	}
}

/*
 * A steady run: a full block whose input line was known, and which
 * leaves the next one's known, maps the state (clock, channel slot,
 * the next input line's start; its slope the same) to itself shifted by
 * D. Each step of a block compares only differences of those and the
 * constant slopes, so the next block is the same shift again, and so on
 * for every full block. cl_steady() checks that the block just done
 * (state *prev before it) shifted everything by one D and, if so, jumps
 * over the full blocks after it whose rings nobody reads (those with
 * at least a depth after them: chan_take_lines() writes only the last
 * ones), leaving the loop to do the rest: O(1) a run instead of a step
 * a block. *prev gets the state after the jump.
 */
struct cl_state {
	uint64_t t, n, k, s;	/* clock, next slot, next input line a + j * s */
};

static inline bool cl_steady(struct cl_state *prev, uint64_t t, uint64_t n,
			     uint64_t k, uint64_t s, uint64_t *idx, uint32_t *j,
			     uint32_t m, uint64_t depth)
{
	const uint64_t d = t - prev->t;
	uint64_t nb;

	if (s != prev->s || n - prev->n != d || k - prev->k != d)
		return false;
	/* This block, then nb more: each with a depth after it. */
	nb = m - *j >= 2 * depth ? (m - *j - 2 * depth) / depth : 0;
	*idx += depth * (nb + 1);
	*j += (uint32_t)(depth * (nb + 1));
	*prev = (struct cl_state){ t + nb * d, n + nb * d, k + nb * d, s };
	return true;
}

/*
 * Takes of m wavelets from a full queue fed by a channel that has m more,
 * the first at index head, by a consumer whose clock is *t (one take a
 * cycle at most), the channel's next slot *next_t: each take is at
 * max(previous + 1, its arrival), and the slot it frees gets the
 * channel's next wavelet at max(the next slot, the take + 1), arriving
 * depth places on. Writes the pop times and the refills' arrivals.
 */
static inline void chan_take_loop(const struct chan_rings *r, uint64_t head,
				  uint32_t m, uint64_t *t, uint64_t *next_t)
{
	uint64_t *const qa = r->arr, *const qp = r->pop;
	const uint64_t depth = r->depth;
	const uint32_t mask = r->mask, period = r->period;
	uint64_t tt = *t, nt = *next_t;

	for (uint32_t j = 0; j < m; j++, head++) {
		const uint32_t sl = (uint32_t)head & mask;
		const uint64_t a = qa[sl];
		uint64_t at;

		tt = tt + 1 > a ? tt + 1 : a;
		qp[sl] = tt;
		at = nt > tt + 1 ? nt : tt + 1;
		qa[(uint32_t)(head + depth) & mask] = at;
		nt = at + period;
	}
	*t = tt;
	*next_t = nt;
}

/*
 * chan_take_loop() in blocks of up to depth: a block whose arrivals are
 * a line a0 + i * s gets its takes max(t + 1 + i, a0 + i * s) and the
 * refills max(max(next_t, t + 2) + i * period, a0 + 1 + i * s) (the
 * loop, unrolled: s >= period >= 1, as the channel spaces what it
 * sends). A whole depth of refills on one line is the next block's
 * input, known without reading it. The rings get only what a read can
 * see afterwards: the input of a block that does not know it, the last
 * depth takes (a refill's free time) and the arrivals then waiting.
 * Other blocks take the loop. The same times as chan_take_loop().
 */
static inline void chan_take_lines(const struct chan_rings *r, uint64_t head,
				   uint32_t m, uint64_t *t, uint64_t *next_t)
{
	uint64_t *const qa = r->arr, *const qp = r->pop;
	const uint64_t depth = r->depth;
	const uint32_t mask = r->mask, period = r->period;
	uint64_t tt = *t, nt = *next_t, ka = 0, ks = 0;
	struct cl_state st = { 0 };
	bool known = false, steady = false;

	for (uint32_t j = 0; j < m;) {
		const uint32_t b = m - j < depth ? m - j : (uint32_t)depth;
		uint64_t a0 = ka, s = ks;

		if (b >= 2 &&
		    (known || ring_is_line(qa, mask, head, b, period, &a0, &s))) {
			const uint64_t t1 = tt + 1, l = b - 1;
			const uint64_t nb = cl_max(nt, tt + 2);
			const uint32_t x = lines_cross(nb, period, a0 + 1, s, b);

			known = b == depth && (x == 0 || x == b);
			if (!known || j + b + depth > m) {
				ring_max2(qp, mask, head, b, t1, 1, a0, s);
				ring_max2(qa, mask, head + depth, b, nb, period,
					  a0 + 1, s);
			}
			ka = x ? nb : a0 + 1;
			ks = x ? period : s;
			tt = cl_max(t1 + l, a0 + l * s);
			nt = cl_max(nb + l * period, a0 + 1 + l * s) + period;
			if (known && steady &&
			    cl_steady(&st, tt, nt, ka, ks, &head, &j, m, depth)) {
				tt = st.t;
				nt = st.n;
				ka = st.k;
				continue;
			}
			steady = known;
			st = (struct cl_state){ tt, nt, ka, ks };
		} else {
			known = steady = false;
			chan_take_loop(r, head, b, &tt, &nt);
		}
		head += b;
		j += b;
	}
	*t = tt;
	*next_t = nt;
}

/*
 * Sends of k wavelets into a sink, the first at index tail, by a
 * producer whose clock is *t: each leaves at max(previous + 1, the drain
 * of the wavelet depth places before (its slot's free time), min_dep),
 * arrives hops later and is drained at max(that, the channel's next
 * slot *next_t). Writes the drain times.
 */
static inline void chan_send_loop(const struct chan_rings *r, uint64_t tail,
				  uint32_t k, uint64_t min_dep, uint32_t hops,
				  uint64_t *t, uint64_t *next_t)
{
	uint64_t *const qp = r->pop;
	const uint64_t depth = r->depth;
	const uint32_t mask = r->mask, period = r->period;
	uint64_t tt = *t, nt = *next_t;

	for (uint32_t j = 0; j < k; j++, tail++) {
		uint64_t d;

		tt++;
		if (tail >= depth && qp[(uint32_t)(tail - depth) & mask] > tt)
			tt = qp[(uint32_t)(tail - depth) & mask];
		if (min_dep > tt)
			tt = min_dep;
		d = cl_max(tt + hops, nt);
		nt = d + period;
		qp[(uint32_t)tail & mask] = d;
	}
	*t = tt;
	*next_t = nt;
}

/*
 * chan_send_loop() in blocks of up to depth: a block whose slots were
 * freed on a line f0 + i * s gets its departures max(t' + i, f0 + i * s),
 * t' = max(t + 1, min_dep), and drains max(max(next_t, t' + hops) +
 * i * period, f0 + hops + i * s) (s >= period: drains are spaced so);
 * known inputs and ring writes as in chan_take_lines(). The same times
 * as chan_send_loop().
 */
static inline void chan_send_lines(const struct chan_rings *r, uint64_t tail,
				   uint32_t k, uint64_t min_dep, uint32_t hops,
				   uint64_t *t, uint64_t *next_t)
{
	uint64_t *const qp = r->pop;
	const uint64_t depth = r->depth;
	const uint32_t mask = r->mask, period = r->period;
	uint64_t tt = *t, nt = *next_t, kf = 0, ks = 0;
	struct cl_state st = { 0 };
	bool known = false, steady = false;

	for (uint32_t j = 0; j < k;) {
		const uint32_t b = k - j < depth ? k - j : (uint32_t)depth;
		uint64_t f0 = kf, s = ks;

		if (tail >= depth && b >= 2 &&
		    (known || ring_is_line(qp, mask, tail - depth, b, period, &f0, &s))) {
			const uint64_t t1 = cl_max(tt + 1, min_dep), l = b - 1;
			const uint64_t nb = cl_max(nt, t1 + hops);
			const uint32_t c = lines_cross(nb, period, f0 + hops, s, b);

			known = b == depth && (c == 0 || c == b);
			if (!known || j + b + depth > k)
				ring_max2(qp, mask, tail, b, nb, period, f0 + hops, s);
			kf = c ? nb : f0 + hops;
			ks = c ? period : s;
			tt = cl_max(t1 + l, f0 + l * s);
			nt = cl_max(nb + l * period, f0 + hops + l * s) + period;
			/*
			 * min_dep binds at most in a run's first block (the
			 * clock is past it after that), never in a steady one.
			 */
			if (known && steady &&
			    cl_steady(&st, tt, nt, kf, ks, &tail, &j, k, depth)) {
				tt = st.t;
				nt = st.n;
				kf = st.k;
				continue;
			}
			steady = known;
			st = (struct cl_state){ tt, nt, kf, ks };
		} else {
			known = steady = false;
			chan_send_loop(r, tail, b, min_dep, hops, &tt, &nt);
		}
		tail += b;
		j += b;
	}
	*t = tt;
	*next_t = nt;
}

#endif /* WAFER_CHAN_LINES_H */
