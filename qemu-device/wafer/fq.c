// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fq.c - input queues, made when first used.
 *
 * A program has a queue wherever a router delivers a color to RAMP in
 * some position: on a full wafer with 24 colors that is 21.5 million
 * queues, 2.7 GB if they all existed from the load, while a kernel
 * touches few of them. So load only marks where queues are (a bit per PE
 * and color) and numbers them (key = qbase[color] + PE index, the order
 * horizon.c sorts by); the queue structures come in chunks of
 * FQ_CHUNK, made and published with one compare-and-swap by whoever asks
 * for one of them first, from any worker. A chunk never moves or goes
 * away before the program is freed, so route caches keep plain pointers.
 *
 * The rings come the same way: the first queue of a chunk to need one
 * makes the storage of all the chunk's rings in one allocation (left
 * untouched, so only the pages of rings in use become resident), instead
 * of a malloc() and free() per ring, 1.8 million of them for a row
 * broadcast over the full wafer.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Load: the chunk table, once rxbits and qbase are known. */
int wafer_fqs_init(struct wafer_program *p)
{
	uint32_t ring = 1;

	while (ring < p->queue_depth)
		ring <<= 1;
	p->fq_mask = ring - 1;
	p->nfqc = (uint32_t)(((uint64_t)p->nqkeys + FQ_CHUNK - 1) >> FQ_CHUNK_SHIFT);
	p->fqc = calloc(p->nfqc ? p->nfqc : 1, sizeof(*p->fqc));
	p->fqr = calloc(p->nfqc ? p->nfqc : 1, sizeof(*p->fqr));
	return p->fqc && p->fqr ? 0 : -ENOMEM;
}

/* One ring: its values, then arrival and pop times (8-byte aligned). */
static size_t fq_ring_bytes(const struct wafer_program *p)
{
	size_t ring = (size_t)p->fq_mask + 1;

	return (ring + (ring & 1)) * sizeof(uint32_t) + 2 * ring * sizeof(uint64_t);
}

/*
 * Where queue q's ring lives (q of a chunk, under its lock stripe, once):
 * its slot of the chunk's ring storage, made and published with one
 * compare-and-swap by whichever queue of the chunk asks first. NULL when
 * out of memory.
 */
uint32_t *wafer_fq_ring_mem(struct wafer_program *p, const struct wafer_fq *q)
{
	const uint32_t ci = q->key >> FQ_CHUNK_SHIFT;
	const size_t rb = fq_ring_bytes(p);
	uint8_t *a = atomic_load_explicit(&p->fqr[ci], memory_order_acquire);
	uint8_t *old = NULL;

	if (!a) {
		a = malloc(FQ_CHUNK * rb);
		if (!a)
			return NULL;
		if (!atomic_compare_exchange_strong(&p->fqr[ci], &old, a)) {
			free(a);
			a = old;
		}
	}
	return (uint32_t *)(a + (size_t)(q->key & (FQ_CHUNK - 1)) * rb);
}

static void fq_fill(struct wafer_program *p, struct wafer_fq *q, uint32_t key)
{
	uint32_t slot = key / p->npes, idx = key % p->npes;
	unsigned int c = p->qslot_color[slot];

	q->key = key;
	q->cons = &p->pes[idx];
	q->depth = p->queue_depth;
	q->mask = p->fq_mask;
	q->color = (uint8_t)c;
	q->merged = p->fab[c].merged;
	atomic_init(&q->need, T_INF);
}

/* The first use of a queue of chunk ci (wafer_fq_at()). */
struct wafer_fq *wafer_fq_chunk_make(struct wafer_program *p, uint32_t ci)
{
	struct wafer_fq *ch, *old = NULL;
	uint32_t key = ci << FQ_CHUNK_SHIFT;

	ch = aligned_alloc(64, FQ_CHUNK * sizeof(*ch));
	if (!ch) {
		/* 32 KiB: the process is out of memory (g_malloc aborts too). */
		fprintf(stderr, "wafer: out of memory for input queues\n");
		abort();
	}
	memset(ch, 0, FQ_CHUNK * sizeof(*ch));
	for (uint32_t j = 0; j < FQ_CHUNK && key + j < p->nqkeys; j++)
		fq_fill(p, &ch[j], key + j);
	/* seq_cst: see wafer_fq_made(). */
	if (!atomic_compare_exchange_strong(&p->fqc[ci], &old, ch)) {
		free(ch);
		return old;
	}
	return ch;
}

/*
 * A publisher (horizon.c) asks whether a queue it feeds exists before it
 * reads the queue's need. A consumer makes the queue before it stores its
 * need and reads the horizons again; with both sides sequentially
 * consistent, a publisher that sees no queue published its horizon
 * before the consumer reads it, so no wake-up is lost.
 */
struct wafer_fq *wafer_fq_made(const struct wafer_program *p, uint32_t key)
{
	struct wafer_fq *ch = atomic_load((_Atomic(struct wafer_fq *) *)
					  &p->fqc[key >> FQ_CHUNK_SHIFT]);

	return ch ? &ch[key & (FQ_CHUNK - 1)] : NULL;
}

/* Launch: every queue made so far starts empty (the others are). */
void wafer_fqs_reset(struct wafer_program *p)
{
	for (uint32_t ci = 0; ci < p->nfqc; ci++) {
		struct wafer_fq *ch = atomic_load_explicit(&p->fqc[ci],
							   memory_order_relaxed);

		for (uint32_t j = 0; ch && j < FQ_CHUNK; j++) {
			struct wafer_fq *q = &ch[j];

			atomic_store_explicit(&q->tail, 0, memory_order_relaxed);
			atomic_store_explicit(&q->head, 0, memory_order_relaxed);
			atomic_store_explicit(&q->prod, NULL, memory_order_relaxed);
			atomic_store_explicit(&q->claim, NULL, memory_order_relaxed);
			atomic_store_explicit(&q->need, T_INF, memory_order_relaxed);
		}
	}
}

/* Call @fn on every queue made so far (single-threaded callers). */
void wafer_fqs_each(struct wafer_program *p,
		    void (*fn)(struct wafer_fq *q, void *arg), void *arg)
{
	for (uint32_t ci = 0; ci < p->nfqc; ci++) {
		struct wafer_fq *ch = atomic_load_explicit(&p->fqc[ci],
							   memory_order_relaxed);

		for (uint32_t j = 0; ch && j < FQ_CHUNK; j++)
			fn(&ch[j], arg);
	}
}

/* End of a run: wavelets delivered and left untaken, over all queues. */
void wafer_fqs_count(const struct wafer_program *p, uint64_t *delivered,
		     uint64_t *dropped)
{
	*delivered = *dropped = 0;
	for (uint32_t ci = 0; ci < p->nfqc; ci++) {
		struct wafer_fq *ch = atomic_load_explicit(&p->fqc[ci],
							   memory_order_relaxed);

		for (uint32_t j = 0; ch && j < FQ_CHUNK; j++) {
			uint64_t tail = atomic_load_explicit(&ch[j].tail,
							     memory_order_relaxed);

			*delivered += tail;
			*dropped += tail - atomic_load_explicit(&ch[j].head,
								memory_order_relaxed);
		}
	}
}

void wafer_fqs_free(struct wafer_program *p)
{
	for (uint32_t ci = 0; p->fqc && ci < p->nfqc; ci++) {
		free(atomic_load(&p->fqc[ci]));
		if (p->fqr)
			free(atomic_load(&p->fqr[ci]));
	}
	free(p->fqc);
	p->fqc = NULL;
	free(p->fqr);
	p->fqr = NULL;
	for (unsigned int c = 0; c < WAFER_COLORS; c++) {
		free(p->rxbits[c]);
		p->rxbits[c] = NULL;
	}
}
