// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * layout.c - between the passes: tie rectangles to code groups, give every
 * section its SRAM address and check what only the whole program shows:
 * groups without a rectangle, routes outside the layout, sections past the
 * SRAM, exports that name no label or disagree between groups.
 *
 * Default placement in each group: .text at 0, .data after it and .bss
 * after .data, each start aligned to 64 bytes (or the largest .align used
 * in the section); .text_base/.data_base/.bss_base override it.
 */
#include <errno.h>
#include <string.h>

#include "asm.h"
#include "isa.h"
#include "isa-names.h"
#include "image-elf.h"

static const char *const sec_names[] = { ".text", ".data", ".bss" };

static int place_rects(struct asm_ctx *a, uint32_t *ew, uint32_t *eh)
{
	unsigned e0 = a->errors;

	*ew = *eh = 0;
	for (unsigned i = 0; i < a->nrects; i++) {
		struct rect_rec *r = &a->rects[i];

		for (unsigned g = 0; g < a->ngroups; g++)
			if (!strcmp(a->groups[g].name, r->name))
				r->group = (int)g;
		if (r->group < 0) {
			asm_error(a, &r->loc, r->col,
				  "rectangle '%s' has no .code block", r->name);
			continue;
		}
		a->groups[r->group].has_rect = 1;
		if (r->x + r->w > *ew)
			*ew = r->x + r->w;
		if (r->y + r->h > *eh)
			*eh = r->y + r->h;
	}
	for (unsigned g = 0; g < a->ngroups; g++)
		if (!a->groups[g].has_rect)
			asm_error(a, &a->groups[g].loc, a->groups[g].col,
				  "code group '%s' is placed on no rectangle (add .rect %s, X, Y, W, H)",
				  a->groups[g].name, a->groups[g].name);
	for (unsigned i = 0; i < a->nroutes; i++) {
		const struct route_rec *r = &a->routes[i];

		if (r->x + r->w > *ew || r->y + r->h > *eh)
			asm_error(a, &r->loc, r->col,
				  "route over %u,%u %ux%u is outside the %ux%u layout",
				  r->x, r->y, r->w, r->h, *ew, *eh);
	}
	for (unsigned i = 0; i < a->nswitches; i++) {
		const struct switch_rec *r = &a->switches[i];

		if (r->x + r->w > *ew || r->y + r->h > *eh)
			asm_error(a, &r->loc, r->col,
				  "switch over %u,%u %ux%u is outside the %ux%u layout",
				  r->x, r->y, r->w, r->h, *ew, *eh);
	}
	return a->errors > e0 ? -1 : 0;
}

static void place_group(struct asm_ctx *a, struct group *g)
{
	uint32_t end = 0;

	g->sec[SEC_TEXT].size = align_up(g->sec[SEC_TEXT].size,
					 ISA_INSN_BYTES);
	g->sec[SEC_DATA].size = align_up(g->sec[SEC_DATA].size, 4);
	g->sec[SEC_BSS].size = align_up(g->sec[SEC_BSS].size, 4);
	for (int k = 0; k < 3; k++) {
		struct section *s = &g->sec[k];
		uint32_t al = s->max_align > ASM_SECTION_ALIGN ?
			      s->max_align : ASM_SECTION_ALIGN;

		if (s->base >= 0) {
			s->addr = (uint32_t)s->base;
			if (s->max_align && s->addr % s->max_align)
				asm_error(a, &s->base_loc, 0,
					  "%s_base 0x%x is not aligned to the .align %u used in the section",
					  sec_names[k], s->addr, s->max_align);
		} else {
			s->addr = k == SEC_TEXT ? 0 : align_up(end, al);
		}
		end = s->addr + s->size;
	}
	for (int k = 0; k < 3; k++) {
		const struct section *s = &g->sec[k];
		const struct loc *l = s->base >= 0 ? &s->base_loc : &g->loc;

		if (!s->size)
			continue;
		if ((uint64_t)s->addr + s->size > a->sram) {
			asm_error(a, l, s->base >= 0 ? 0 : g->col,
				  "group '%s': %s (0x%x bytes at 0x%x) does not fit in the %u-byte SRAM",
				  g->name, sec_names[k], s->size, s->addr,
				  a->sram);
			continue;
		}
		for (int j = 0; j < k; j++) {
			const struct section *o = &g->sec[j];

			if (o->size && s->addr < o->addr + o->size &&
			    o->addr < s->addr + s->size)
				asm_error(a, l, 0,
					  "group '%s': %s (0x%x..0x%x) overlaps %s (0x%x..0x%x)",
					  g->name, sec_names[k], s->addr,
					  s->addr + s->size, sec_names[j],
					  o->addr, o->addr + o->size);
		}
	}
	for (struct sym *s = g->labels.first; s; s = s->order)
		if (!s->hidden && !g->sec[s->sec].size)
			asm_error(a, &s->loc, s->col,
				  "label '%s' is in an empty %s section: add contents or use a .L name",
				  s->name, sec_names[s->sec]);
}

static int check_export(struct asm_ctx *a, struct export_rec *e,
			struct sym *s)
{
	const struct section *sec = &a->groups[e->group].sec[s->sec];
	uint32_t addr = sec->addr + s->off;

	if (s->export) {
		asm_error(a, &e->loc, e->col, "'%s' exported twice", e->name);
		asm_note(a, &s->eloc, s->ecol, "first exported here");
		return -1;
	}
	if (s->hidden) {
		asm_error(a, &e->loc, e->col,
			  "'%s' is a local .L label and cannot be exported",
			  e->name);
		return -1;
	}
	if (e->kind == WSE_STT_FUNC) {
		if (s->sec != SEC_TEXT) {
			asm_error(a, &e->loc, e->col,
				  "'%s' is not in .text; export data with a type and count: .global %s, f32, N",
				  e->name, e->name);
			return -1;
		}
		if (addr % ISA_INSN_BYTES || s->off >= sec->size) {
			asm_error(a, &e->loc, e->col,
				  "function '%s' at 0x%x is not on an instruction",
				  e->name, addr);
			return -1;
		}
	} else {
		if (s->sec == SEC_TEXT) {
			asm_error(a, &e->loc, e->col,
				  "'%s' is in .text: only .data or .bss can be exported as an array",
				  e->name);
			return -1;
		}
		if (addr % e->elem || e->size > sec->size - s->off) {
			asm_error(a, &e->loc, e->col,
				  "array '%s' at 0x%x (%u bytes) is misaligned or runs past the end of %s",
				  e->name, addr, e->size, sec_names[s->sec]);
			return -1;
		}
	}
	s->export = e->kind;
	s->elem = e->elem;
	s->etype = e->etype;
	s->size = e->size;
	s->eloc = e->loc;
	s->ecol = e->col;
	return 0;
}

/* Exports name labels of their group and agree over groups. */
static void resolve_exports(struct asm_ctx *a)
{
	struct symtab seen = { 0 };

	for (unsigned i = 0; i < a->nexports; i++) {
		struct export_rec *e = &a->exports[i];
		struct group *g = &a->groups[e->group];
		struct sym *s = sym_find(&g->labels, e->name, strlen(e->name));
		struct sym *first;
		uint32_t addr;

		if (!s) {
			asm_error(a, &e->loc, e->col,
				  "exported '%s' is not a label of group '%s'",
				  e->name, g->name);
			continue;
		}
		if (check_export(a, e, s))
			continue;
		addr = g->sec[s->sec].addr + s->off;
		first = sym_find(&seen, e->name, strlen(e->name));
		if (!first) {
			first = sym_add(a, &seen, e->name, strlen(e->name));
			if (!first)
				return;
			first->data = e;
			first->v.i = addr;
			continue;
		}
		{
			const struct export_rec *f = first->data;

			if (f->kind != e->kind)
				asm_error(a, &e->loc, e->col,
					  "'%s' is a %s here but a %s in group '%s'",
					  e->name,
					  e->kind == WSE_STT_FUNC ? "function" : "array",
					  f->kind == WSE_STT_FUNC ? "function" : "array",
					  a->groups[f->group].name);
			else if (e->kind == WSE_STT_OBJECT &&
				 (first->v.i != addr || f->size != e->size ||
				  f->etype != e->etype))
				asm_error(a, &e->loc, e->col,
					  "array '%s' is at 0x%x (%u bytes of %s) here but at 0x%llx (%u bytes of %s) in group '%s': exported arrays need the same place and type in every group",
					  e->name, addr, e->size,
					  isa_type_name(e->etype),
					  (unsigned long long)first->v.i, f->size,
					  isa_type_name(f->etype),
					  a->groups[f->group].name);
			else
				continue;
			asm_note(a, &f->loc, f->col, "'%s' exported here",
				 e->name);
		}
	}
}

int layout_run(struct asm_ctx *a)
{
	unsigned e0 = a->errors;
	uint32_t ew, eh;

	if (!a->ngroups) {
		struct loc l = { .file = a->main_file };

		asm_error(a, &l, 0, "no .code block: nothing to assemble");
		return -EINVAL;
	}
	place_rects(a, &ew, &eh);
	for (unsigned g = 0; g < a->ngroups; g++)
		place_group(a, &a->groups[g]);
	a->placed = 1;
	{
		uint64_t total = 0;

		for (unsigned g = 0; g < a->ngroups; g++)
			total += (uint64_t)a->groups[g].sec[SEC_TEXT].size +
				 a->groups[g].sec[SEC_DATA].size;
		if (total > WSE_IMAGE_MAX_BYTES / 2) {
			struct loc l = { .file = a->main_file };

			asm_error(a, &l, 0,
				  "code and data of all groups add up to %llu bytes, more than %u",
				  (unsigned long long)total,
				  WSE_IMAGE_MAX_BYTES / 2);
			a->placed = 0;	/* too big to fill in pass 2 */
			return -EINVAL;
		}
	}
	resolve_exports(a);
	tasks_resolve(a);
	for (unsigned i = 0; i < a->nconsts; i++) {
		struct const_rec *r = &a->pconsts[i];

		r->addr = a->groups[r->group].sec[r->sec].addr + r->off;
	}
	return a->errors > e0 ? -EINVAL : 0;
}
