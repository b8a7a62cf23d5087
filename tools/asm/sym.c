// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sym.c - symbol tables: constants (.equ/.set/-D) are global, labels
 * belong to the code group they are defined in, so every group may have
 * its own "loop" or "compute". Macros use a table of their own.
 */
#include <string.h>

#include "asm.h"

static unsigned sym_hash(const char *s, size_t len)
{
	unsigned h = 2166136261u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h % SYM_BUCKETS;
}

struct sym *sym_find(struct symtab *t, const char *name, size_t len)
{
	for (struct sym *s = t->b[sym_hash(name, len)]; s; s = s->next)
		if (strlen(s->name) == len && !memcmp(s->name, name, len))
			return s;
	return NULL;
}

struct sym *sym_add(struct asm_ctx *a, struct symtab *t, const char *name,
		    size_t len)
{
	struct sym *s = arena_alloc(&a->ar, sizeof(*s));
	unsigned h = sym_hash(name, len);

	if (s)
		s->name = arena_strndup(&a->ar, name, len);
	if (!s || !s->name) {
		asm_nomem(a);
		return NULL;
	}
	s->group = -1;
	s->next = t->b[h];
	t->b[h] = s;
	if (t->last)
		t->last->order = s;
	else
		t->first = s;
	t->last = s;
	t->count++;
	return s;
}

struct sym *sym_lookup(struct asm_ctx *a, const char *name, size_t len)
{
	struct sym *s = NULL;

	if (a->cur_group >= 0)
		s = sym_find(&a->groups[a->cur_group].labels, name, len);
	return s ? s : sym_find(&a->consts, name, len);
}
