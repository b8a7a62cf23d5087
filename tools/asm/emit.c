// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * emit.c - turn the assembled program into the image's ELF sections
 * (Documentation/wse/image-format.rst) and check the result with the
 * image parser, so that the assembler can never hand out an image the
 * loader would refuse.
 *
 * Everything is emitted in a canonical order (groups in order of their
 * first .code, sections .text/.data/.bss, symbols by section, address and
 * name, constants by group and address): the same program always gives
 * the same bytes, which is what lets wse-objdump --source round-trip.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "asm.h"
#include "elf-write.h"
#include "image-elf.h"
#include "wafer-abi.h"
#include "image.h"

static const char *const sec_prefix[] = { ".text.", ".data.", ".bss." };

struct esym {
	const struct sym *s;
	uint32_t addr;
};

static int esym_cmp(const void *x, const void *y)
{
	const struct esym *a = x, *b = y;

	if ((a->s->export != 0) != (b->s->export != 0))
		return a->s->export ? 1 : -1;	/* locals first */
	if (a->s->group != b->s->group)
		return a->s->group < b->s->group ? -1 : 1;
	if (a->s->sec != b->s->sec)
		return a->s->sec < b->s->sec ? -1 : 1;
	if (a->addr != b->addr)
		return a->addr < b->addr ? -1 : 1;
	return strcmp(a->s->name, b->s->name);
}

static int task_cmp(const void *x, const void *y)
{
	const struct task_rec *a = x, *b = y;

	if (a->group != b->group)
		return a->group < b->group ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

static uint32_t image_version(const struct asm_ctx *a)
{
	if (a->ntasks || a->nswitches)
		return 2;
	for (unsigned i = 0; i < a->nroutes; i++)
		if (a->routes[i].pos)
			return 2;
	return 1;
}

static int const_cmp(const void *x, const void *y)
{
	const struct const_rec *a = x, *b = y;

	if (a->group != b->group)
		return a->group < b->group ? -1 : 1;
	return a->addr < b->addr ? -1 : a->addr > b->addr;
}

struct emit {
	struct elf_section secs[3 * ASM_MAX_GROUPS + 10];
	unsigned n;
	struct elf_strtab str;
	uint8_t info[WSE_INFO_SIZE];
	uint8_t *groups, *rects, *routes, *consts, *syms, *attrs;
	uint8_t *tasks, *switches;
	struct esym *es;
};

static struct elf_section *add_sec(struct emit *e, const char *name,
				   uint32_t type, const void *data,
				   uint64_t size, uint64_t entsize)
{
	struct elf_section *s = &e->secs[e->n++];

	s->name = name;
	s->type = type;
	s->data = data;
	s->size = size;
	s->entsize = entsize;
	s->align = type == WSE_SHT_SYMTAB ? 8 : entsize ? 4 : 1;
	return s;
}

static int emit_segments(struct asm_ctx *a, struct emit *e)
{
	for (unsigned g = 0; g < a->ngroups; g++) {
		struct group *gr = &a->groups[g];

		for (int k = 0; k < 3; k++) {
			struct section *sec = &gr->sec[k];
			struct elf_section *s;
			char *name;

			if (!sec->size)
				continue;
			name = arena_alloc(&a->ar, strlen(gr->name) + 8);
			if (!name)
				return -ENOMEM;
			strcpy(name, sec_prefix[k]);
			strcat(name, gr->name);
			s = add_sec(e, name, k == SEC_BSS ? WSE_SHT_NOBITS :
				    WSE_SHT_PROGBITS, k == SEC_BSS ? NULL :
				    sec->data, sec->size, 0);
			s->flags = WSE_SHF_ALLOC | (k == SEC_TEXT ?
				   WSE_SHF_EXECINSTR : WSE_SHF_WRITE);
			s->addr = sec->addr;
			s->align = k == SEC_TEXT ? 8 : 4;
			sec->shndx = (int)e->n;
		}
	}
	return 0;
}

static int emit_tables(struct asm_ctx *a, struct emit *e)
{
	e->groups = arena_alloc(&a->ar, a->ngroups * WSE_GROUP_SIZE);
	e->rects = arena_alloc(&a->ar, a->nrects * WSE_RECT_SIZE + 1);
	e->routes = arena_alloc(&a->ar, a->nroutes * WSE_ROUTE_SIZE + 1);
	e->consts = arena_alloc(&a->ar, a->nconsts * WSE_CONST_SIZE + 1);
	e->tasks = arena_alloc(&a->ar, a->ntasks * WSE_TASK_SIZE + 1);
	e->switches = arena_alloc(&a->ar, a->nswitches * WSE_SWITCH_SIZE + 1);
	if (!e->groups || !e->rects || !e->routes || !e->consts || !e->tasks ||
	    !e->switches)
		return -ENOMEM;
	/* The oldest version that can hold the program: old ones stay byte
	 * for byte what they were. */
	elf_put32(e->info, image_version(a));
	elf_put32(e->info + 4, a->sram);
	for (unsigned g = 0; g < a->ngroups; g++) {
		uint32_t off = elf_strtab_add(&e->str, a->groups[g].name);
		uint8_t *p = e->groups + g * WSE_GROUP_SIZE;

		if (off == UINT32_MAX)
			return -ENOMEM;
		elf_put32(p, off);
		for (int k = 0; k < 3; k++)
			elf_put32(p + 4 + 4 * k,
				  (uint32_t)a->groups[g].sec[k].shndx);
	}
	for (unsigned i = 0; i < a->nrects; i++) {
		const struct rect_rec *r = &a->rects[i];
		uint8_t *p = e->rects + i * WSE_RECT_SIZE;

		elf_put32(p, r->x);
		elf_put32(p + 4, r->y);
		elf_put32(p + 8, r->w);
		elf_put32(p + 12, r->h);
		elf_put32(p + 16, (uint32_t)r->group);
	}
	for (unsigned i = 0; i < a->nroutes; i++) {
		const struct route_rec *r = &a->routes[i];
		uint8_t *p = e->routes + i * WSE_ROUTE_SIZE;

		elf_put32(p, r->x);
		elf_put32(p + 4, r->y);
		elf_put32(p + 8, r->w);
		elf_put32(p + 12, r->h);
		p[16] = r->color;
		p[17] = r->rx;
		p[18] = r->tx;
		p[19] = r->pos;
	}
	for (unsigned i = 0; i < a->nswitches; i++) {
		const struct switch_rec *r = &a->switches[i];
		uint8_t *p = e->switches + i * WSE_SWITCH_SIZE;

		elf_put32(p, r->x);
		elf_put32(p + 4, r->y);
		elf_put32(p + 8, r->w);
		elf_put32(p + 12, r->h);
		p[16] = r->color;
		p[17] = r->flags;
	}
	if (a->ntasks)
		qsort(a->tasks, a->ntasks, sizeof(*a->tasks), task_cmp);
	for (unsigned i = 0; i < a->ntasks; i++) {
		const struct task_rec *t = &a->tasks[i];
		uint8_t *p = e->tasks + i * WSE_TASK_SIZE;

		elf_put32(p, (uint32_t)t->group);
		elf_put32(p + 4, t->entry);
		p[8] = t->id;
		p[9] = t->kind;
		p[10] = t->color;
		p[11] = t->prio;
		p[12] = t->flags;
	}
	if (a->nconsts)
		qsort(a->pconsts, a->nconsts, sizeof(*a->pconsts), const_cmp);
	for (unsigned i = 0; i < a->nconsts; i++) {
		const struct const_rec *r = &a->pconsts[i];
		uint8_t *p = e->consts + i * WSE_CONST_SIZE;

		elf_put32(p, (uint32_t)r->group);
		elf_put32(p + 4, r->addr);
		elf_put32(p + 8, r->csr);
	}
	return 0;
}

/* .symtab: every label except .L ones; locals, then exports. */
static int emit_symbols(struct asm_ctx *a, struct emit *e, unsigned *nsyms,
			unsigned *first_global)
{
	unsigned n = 0;

	for (unsigned g = 0; g < a->ngroups; g++)
		n += a->groups[g].labels.count;
	e->es = calloc(n + 1, sizeof(*e->es));
	if (!e->es)
		return -ENOMEM;
	n = 0;
	for (unsigned g = 0; g < a->ngroups; g++) {
		const struct group *gr = &a->groups[g];

		for (const struct sym *s = gr->labels.first; s; s = s->order) {
			if (s->hidden)
				continue;
			e->es[n].s = s;
			e->es[n].addr = gr->sec[s->sec].addr + s->off;
			n++;
		}
	}
	if (n > WSE_IMAGE_MAX_SYMBOLS) {
		struct loc l = { .file = a->main_file };

		asm_error(a, &l, 0, "%u symbols: more than %u (use .L names for local labels)",
			  n, WSE_IMAGE_MAX_SYMBOLS);
		return -EINVAL;
	}
	qsort(e->es, n, sizeof(*e->es), esym_cmp);
	e->syms = arena_alloc(&a->ar, (n + 1) * WSE_ELF_SYM_SIZE);
	e->attrs = arena_alloc(&a->ar, (n + 1) * WSE_SYMATTR_SIZE);
	if (!e->syms || !e->attrs)
		return -ENOMEM;
	*first_global = n + 1;
	for (unsigned i = 0; i < n; i++) {
		const struct sym *s = e->es[i].s;
		uint32_t name = elf_strtab_add(&e->str, s->name);
		uint8_t info;

		if (name == UINT32_MAX)
			return -ENOMEM;
		if (s->export && *first_global > i + 1)
			*first_global = i + 1;
		info = s->export ? (uint8_t)(WSE_STB_GLOBAL << 4 | s->export) :
				   (uint8_t)(WSE_STB_LOCAL << 4 | WSE_STT_NOTYPE);
		elf_sym_put(e->syms + (i + 1) * WSE_ELF_SYM_SIZE, name, info,
			    (uint16_t)a->groups[s->group].sec[s->sec].shndx,
			    e->es[i].addr,
			    s->export == WSE_STT_OBJECT ? s->size : 0);
		e->attrs[(i + 1) * WSE_SYMATTR_SIZE] = s->elem;
		e->attrs[(i + 1) * WSE_SYMATTR_SIZE + 1] = s->etype;
	}
	*nsyms = n + 1;
	return 0;
}

static int emit_build(struct asm_ctx *a, struct emit *e)
{
	unsigned nsyms, first_global, nalloc;
	struct elf_section *s;
	int ret;

	ret = emit_segments(a, e);
	if (!ret)
		ret = emit_tables(a, e);
	if (!ret)
		ret = emit_symbols(a, e, &nsyms, &first_global);
	if (ret)
		return ret;
	nalloc = e->n;
	/*
	 * Indexes after the segments: info +1, groups +2, layout +3,
	 * routes +4, consts +5, symtab +6, symattr +7, strtab +8.
	 */
	add_sec(e, WSE_SEC_INFO, WSE_SHT_PROGBITS, e->info, WSE_INFO_SIZE, 0)
		->align = 4;
	s = add_sec(e, WSE_SEC_GROUPS, WSE_SHT_PROGBITS, e->groups,
		    a->ngroups * WSE_GROUP_SIZE, WSE_GROUP_SIZE);
	s->link = nalloc + 8;
	add_sec(e, WSE_SEC_LAYOUT, WSE_SHT_PROGBITS, e->rects,
		a->nrects * WSE_RECT_SIZE, WSE_RECT_SIZE);
	add_sec(e, WSE_SEC_ROUTES, WSE_SHT_PROGBITS, e->routes,
		a->nroutes * WSE_ROUTE_SIZE, WSE_ROUTE_SIZE);
	add_sec(e, WSE_SEC_CONSTS, WSE_SHT_PROGBITS, e->consts,
		a->nconsts * WSE_CONST_SIZE, WSE_CONST_SIZE);
	s = add_sec(e, WSE_SEC_SYMTAB, WSE_SHT_SYMTAB, e->syms,
		    (uint64_t)nsyms * WSE_ELF_SYM_SIZE, WSE_ELF_SYM_SIZE);
	s->link = nalloc + 8;
	s->info = first_global;
	s = add_sec(e, WSE_SEC_SYMATTR, WSE_SHT_PROGBITS, e->attrs,
		    (uint64_t)nsyms * WSE_SYMATTR_SIZE, WSE_SYMATTR_SIZE);
	s->link = nalloc + 6;
	add_sec(e, WSE_SEC_STRTAB, WSE_SHT_STRTAB, e->str.buf, e->str.len, 0);
	/* Format 2 sections go after the others, only when used. */
	if (a->ntasks)
		add_sec(e, WSE_SEC_TASKS, WSE_SHT_PROGBITS, e->tasks,
			a->ntasks * WSE_TASK_SIZE, WSE_TASK_SIZE);
	if (a->nswitches)
		add_sec(e, WSE_SEC_SWITCHES, WSE_SHT_PROGBITS, e->switches,
			a->nswitches * WSE_SWITCH_SIZE, WSE_SWITCH_SIZE);
	return elf_write(WSE_EM_WAFER, e->secs, e->n, &a->image,
			 &a->image_len);
}

int emit_image(struct asm_ctx *a)
{
	struct emit *e = calloc(1, sizeof(*e));
	struct wafer_image *img;
	char msg[256];
	int ret;

	if (!e || elf_strtab_init(&e->str)) {
		free(e);
		asm_nomem(a);
		return -ENOMEM;
	}
	ret = emit_build(a, e);
	elf_strtab_fini(&e->str);
	free(e->es);
	free(e);
	if (ret == -ENOMEM)
		asm_nomem(a);
	if (ret)
		return ret;
	ret = wafer_image_parse(a->image, a->image_len, &img, msg, sizeof(msg));
	if (ret) {
		struct loc l = { .file = a->main_file };

		asm_error(a, &l, 0, "internal error: image rejected by the parser: %s",
			  msg);
		free(a->image);
		a->image = NULL;
		return ret;
	}
	wafer_image_free(img);
	return 0;
}
