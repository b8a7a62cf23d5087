// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * arena.c - memory for one assembly, freed all at once.
 *
 * Tokens, lines, symbols and statements all live until the image is
 * written, so the assembler never frees them one by one: error paths stay
 * simple and nothing leaks when a long source is rejected half way.
 */
#include <stdlib.h>
#include <string.h>

#include "asm.h"

#define ARENA_CHUNK (64 * 1024)

struct arena_block {
	struct arena_block *next;
	size_t used, cap;
	max_align_t data[];
};

void *arena_alloc(struct arena *ar, size_t n)
{
	struct arena_block *b = ar->head;
	void *p;

	n = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
	if (!b || b->cap - b->used < n) {
		size_t cap = n > ARENA_CHUNK ? n : ARENA_CHUNK;

		b = calloc(1, sizeof(*b) + cap);
		if (!b)
			return NULL;
		b->cap = cap;
		b->next = ar->head;
		ar->head = b;
	}
	p = (char *)b->data + b->used;
	b->used += n;
	return p;
}

char *arena_strndup(struct arena *ar, const char *s, size_t n)
{
	char *p = arena_alloc(ar, n + 1);

	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

void arena_free(struct arena *ar)
{
	while (ar->head) {
		struct arena_block *b = ar->head;

		ar->head = b->next;
		free(b);
	}
}
