// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wafer-builder.c - in-memory image builder for host tests and benchmarks.
 * Aborts on allocation failure: it only ever runs in test programs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wafer-builder.h"

struct wb_seg {
	uint32_t group, addr, size;
	uint8_t *data;
};

struct wb_group {
	uint8_t *code;
	uint32_t ncode, capcode;
};

struct wb {
	struct wafer_image img;
	uint32_t sram_bytes;
	struct wb_group *groups;
	uint32_t ngroups;
	struct wb_seg *segs;
	uint32_t nsegs;
	struct wafer_image_rect *rects;
	uint32_t nrects;
	struct wafer_image_route *routes;
	uint32_t nroutes;
	struct wafer_image_const *consts;
	uint32_t nconsts;
	struct wafer_image_task *tasks;
	uint32_t ntasks;
	struct wafer_image_switch *switches;
	uint32_t nswitches;
	struct wafer_image_symbol *syms;
	uint32_t nsyms;
	/* Built by wb_image(). */
	struct wafer_image_segment *isegs;
	struct wafer_image_group *igroups;
	char (*gnames)[16];
	uint32_t nentries;
};

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fprintf(stderr, "wafer-builder: out of memory\n");
		abort();
	}
	return p;
}

#define APPEND(arr, n) \
	((arr) = xrealloc((arr), ((n) + 1) * sizeof(*(arr))), &(arr)[(n)++])

struct wb *wb_new(uint32_t extent_w, uint32_t extent_h)
{
	struct wb *b = xrealloc(NULL, sizeof(*b));

	memset(b, 0, sizeof(*b));
	b->img.extent_w = extent_w;
	b->img.extent_h = extent_h;
	b->sram_bytes = WAFER_DEFAULT_SRAM;
	return b;
}

void wb_sram(struct wb *b, uint32_t sram_bytes)
{
	b->sram_bytes = sram_bytes;
}

void wb_free(struct wb *b)
{
	if (!b)
		return;
	for (uint32_t g = 0; g < b->ngroups; g++)
		free(b->groups[g].code);
	for (uint32_t i = 0; i < b->nsegs; i++)
		free(b->segs[i].data);
	for (uint32_t i = 0; i < b->nsyms; i++) {
		free(b->syms[i].name);
		free(b->syms[i].entry);
	}
	free(b->groups);
	free(b->segs);
	free(b->rects);
	free(b->routes);
	free(b->consts);
	free(b->tasks);
	free(b->switches);
	free(b->syms);
	free(b->isegs);
	free(b->igroups);
	free(b->gnames);
	free(b);
}

uint32_t wb_group(struct wb *b)
{
	struct wb_group *g = APPEND(b->groups, b->ngroups);

	memset(g, 0, sizeof(*g));
	/* Functions defined so far get no entry in the new group. */
	for (uint32_t i = 0; i < b->nsyms; i++) {
		struct wafer_image_symbol *s = &b->syms[i];

		s->entry = xrealloc(s->entry, b->ngroups * sizeof(uint32_t));
		s->entry[b->ngroups - 1] = WAFER_NO_ENTRY;
	}
	return b->ngroups - 1;
}

void wb_rect(struct wb *b, uint32_t x, uint32_t y, uint32_t w, uint32_t h,
	     uint32_t group)
{
	struct wafer_image_rect *r = APPEND(b->rects, b->nrects);

	*r = (struct wafer_image_rect){ x, y, w, h, group };
}

uint32_t wb_pc(struct wb *b, uint32_t group)
{
	return WB_CODE + b->groups[group].ncode;
}

void wb_emit_raw(struct wb *b, uint32_t group, uint64_t word)
{
	struct wb_group *g = &b->groups[group];

	if (g->ncode + 8 > g->capcode) {
		g->capcode = g->capcode ? 2 * g->capcode : 256;
		g->code = xrealloc(g->code, g->capcode);
	}
	memcpy(g->code + g->ncode, &word, 8);
	g->ncode += 8;
}

uint32_t wb_emit(struct wb *b, uint32_t group, struct isa_insn i)
{
	uint32_t pc = wb_pc(b, group);

	wb_emit_raw(b, group, isa_encode(&i));
	return pc;
}

void wb_patch(struct wb *b, uint32_t group, uint32_t addr, uint32_t imm)
{
	memcpy(b->groups[group].code + (addr - WB_CODE) + 4, &imm, 4);
}

void wb_data(struct wb *b, uint32_t group, uint32_t addr, const void *data,
	     uint32_t size)
{
	struct wb_seg *s = APPEND(b->segs, b->nsegs);

	s->group = group;
	s->addr = addr;
	s->size = size;
	s->data = xrealloc(NULL, size);
	memcpy(s->data, data, size);
}

void wb_bss(struct wb *b, uint32_t group, uint32_t addr, uint32_t size)
{
	struct wb_seg *s = APPEND(b->segs, b->nsegs);

	*s = (struct wb_seg){ group, addr, size, NULL };
}

void wb_route(struct wb *b, uint32_t x, uint32_t y, uint32_t w, uint32_t h,
	      uint8_t color, uint8_t rx, uint8_t tx)
{
	struct wafer_image_route *r = APPEND(b->routes, b->nroutes);

	*r = (struct wafer_image_route){ x, y, w, h, color, rx, tx, 0 };
}

void wb_route_pos(struct wb *b, uint32_t x, uint32_t y, uint32_t w,
		  uint32_t h, uint8_t color, uint8_t rx, uint8_t tx, uint8_t pos)
{
	struct wafer_image_route *r = APPEND(b->routes, b->nroutes);

	*r = (struct wafer_image_route){ x, y, w, h, color, rx, tx, pos };
}

void wb_switch(struct wb *b, uint32_t x, uint32_t y, uint32_t w, uint32_t h,
	       uint8_t color, uint8_t flags)
{
	struct wafer_image_switch *s = APPEND(b->switches, b->nswitches);

	*s = (struct wafer_image_switch){ x, y, w, h, color, flags };
}

void wb_task(struct wb *b, uint32_t group, uint8_t id, uint8_t kind,
	     uint8_t color, uint8_t prio, uint8_t flags, uint32_t entry)
{
	struct wafer_image_task *t = APPEND(b->tasks, b->ntasks);

	*t = (struct wafer_image_task){ group, entry, id, kind, color, prio,
					flags };
}

void wb_const(struct wb *b, uint32_t group, uint32_t addr, uint32_t csr)
{
	struct wafer_image_const *c = APPEND(b->consts, b->nconsts);

	*c = (struct wafer_image_const){ group, addr, csr };
}

uint32_t wb_func(struct wb *b, const char *name)
{
	struct wafer_image_symbol *s = APPEND(b->syms, b->nsyms);

	memset(s, 0, sizeof(*s));
	s->name = strdup(name);
	s->kind = WAFER_SYM_FUNCTION;
	s->entry = xrealloc(NULL, b->ngroups * sizeof(uint32_t));
	for (uint32_t g = 0; g < b->ngroups; g++)
		s->entry[g] = WAFER_NO_ENTRY;
	return b->nsyms - 1;
}

void wb_entry(struct wb *b, uint32_t sym, uint32_t group, uint32_t pc)
{
	b->syms[sym].entry[group] = pc;
	if (b->syms[sym].addr == 0)
		b->syms[sym].addr = pc;
}

uint32_t wb_object(struct wb *b, const char *name, uint32_t addr,
		   uint32_t size, uint32_t elem_bytes)
{
	struct wafer_image_symbol *s = APPEND(b->syms, b->nsyms);

	memset(s, 0, sizeof(*s));
	s->name = strdup(name);
	s->kind = WAFER_SYM_OBJECT;
	s->addr = addr;
	s->size = size;
	s->elem_bytes = elem_bytes;
	s->entry = xrealloc(NULL, b->ngroups * sizeof(uint32_t));
	for (uint32_t g = 0; g < b->ngroups; g++)
		s->entry[g] = addr;
	return b->nsyms - 1;
}

struct wafer_image *wb_image(struct wb *b)
{
	struct wafer_image *img = &b->img;
	uint32_t n = 0;

	free(b->isegs);
	free(b->igroups);
	free(b->gnames);
	b->isegs = xrealloc(NULL, (b->ngroups + b->nsegs) * sizeof(*b->isegs));
	b->igroups = xrealloc(NULL, b->ngroups * sizeof(*b->igroups));
	b->gnames = xrealloc(NULL, b->ngroups * sizeof(*b->gnames));
	for (uint32_t g = 0; g < b->ngroups; g++) {
		snprintf(b->gnames[g], sizeof(b->gnames[g]), "g%u", g);
		b->igroups[g].name = b->gnames[g];
		if (!b->groups[g].ncode)
			continue;
		b->isegs[n++] = (struct wafer_image_segment){
			.group = g, .addr = WB_CODE,
			.size = b->groups[g].ncode,
			.data = b->groups[g].code, .kind = WAFER_SEG_CODE,
		};
	}
	for (uint32_t i = 0; i < b->nsegs; i++)
		b->isegs[n++] = (struct wafer_image_segment){
			.group = b->segs[i].group, .addr = b->segs[i].addr,
			.size = b->segs[i].size, .data = b->segs[i].data,
			.kind = b->segs[i].data ? WAFER_SEG_DATA : WAFER_SEG_BSS,
		};
	img->sram_bytes = b->sram_bytes;
	img->ngroups = b->ngroups;
	img->groups = b->igroups;
	img->nrects = b->nrects;
	img->rects = b->rects;
	img->nsegments = n;
	img->segments = b->isegs;
	img->nroutes = b->nroutes;
	img->routes = b->routes;
	img->nconsts = b->nconsts;
	img->consts = b->consts;
	img->nsymbols = b->nsyms;
	img->symbols = b->syms;
	img->ntasks = b->ntasks;
	img->tasks = b->tasks;
	img->nswitches = b->nswitches;
	img->switches = b->switches;
	img->version = b->ntasks || b->nswitches ? 2 : 1;
	for (uint32_t i = 0; i < b->nroutes; i++)
		if (b->routes[i].pos)
			img->version = 2;
	return img;
}

uint8_t *wb_pe_sram(struct wafer *w, const struct wafer_rect *rg, uint32_t x,
		    uint32_t y)
{
	struct wafer_config c;

	wafer_get_config(w, &c);
	return wafer_sram_base(w) +
	       ((size_t)(rg->y + y) * c.width + rg->x + x) * c.sram_bytes;
}

/* Colors of the GEMV kernel. */
#define GEMV_XB		0	/* x along rows */
#define GEMV_RED0	1	/* partial sums north, sent by even rows */
#define GEMV_RED1	2	/* ... by odd rows */

/*
 * Reduction step of a PE in a row of parity 'odd': receive from the south
 * on the other parity's color, add our partial sums, send north on ours;
 * the top row stores instead of sending, the bottom row only sends.
 */
static void gemv_reduce(struct wb *b, uint32_t g, int odd, uint32_t *patch,
			unsigned int *npatch)
{
	uint8_t csend = odd ? GEMV_RED1 : GEMV_RED0;
	uint8_t crecv = odd ? GEMV_RED0 : GEMV_RED1;
	uint32_t not_bottom, not_top, done_b;

	/* r4 = y, r13 = ph - 1, r1 = mt, d2 = partial sums. */
	not_bottom = wb_emit(b, g, I_BR(BNE, 4, 13, 0));
	/* Bottom row (ph > 1 so it is not the top): send partials north. */
	wb_emit(b, g, I_DFAB(F32, 4, csend, 1));
	wb_emit(b, g, I_V(MOV, F32, 4, 2, 0, 0));
	patch[(*npatch)++] = wb_emit(b, g, I_JMP(0));
	wb_patch(b, g, not_bottom, wb_pc(b, g));
	wb_emit(b, g, I_DFAB(F32, 5, crecv, 1));
	not_top = wb_emit(b, g, I_BR(BNE, 4, 0, 0));
	/* Top row: y = from the south + ours. */
	wb_emit(b, g, I_LI(7, WB_GEMV_Y));
	wb_emit(b, g, I_DMEM(F32, 6, 7, 1, 1));
	wb_emit(b, g, I_V(ADD, F32, 6, 5, 2, 0));
	patch[(*npatch)++] = wb_emit(b, g, I_JMP(0));
	wb_patch(b, g, not_top, wb_pc(b, g));
	/* Middle rows: pass on the sum, streaming through the ALU. */
	wb_emit(b, g, I_DFAB(F32, 4, csend, 1));
	wb_emit(b, g, I_V(ADD, F32, 4, 5, 2, 0));
	done_b = wb_emit(b, g, I_JMP(0));
	patch[(*npatch)++] = done_b;
}

struct wafer_image *wb_gemv(struct wb **bp, uint32_t m, uint32_t n,
			    uint32_t pw, uint32_t ph)
{
	uint32_t mt = m / pw, nt = n / ph, g, fn, loop, br, single, odd;
	uint32_t patch[8], recv_x, compute;
	unsigned int npatch = 0;
	struct wb *b = wb_new(pw, ph);

	g = wb_group(b);
	wb_rect(b, 0, 0, pw, ph, g);
	fn = wb_func(b, "gemv");
	wb_entry(b, fn, g, wb_pc(b, g));

	/* Routes: x broadcast east along each row. */
	if (pw > 1) {
		wb_route(b, 0, 0, 1, ph, GEMV_XB, WAFER_PORT_RAMP, WAFER_PORT_EAST);
		if (pw > 2)
			wb_route(b, 1, 0, pw - 2, ph, GEMV_XB, WAFER_PORT_WEST,
				 WAFER_PORT_RAMP | WAFER_PORT_EAST);
		wb_route(b, pw - 1, 0, 1, ph, GEMV_XB, WAFER_PORT_WEST,
			 WAFER_PORT_RAMP);
	}
	/* Partial sums north, alternating colors by row parity. */
	for (uint32_t y = 0; y < ph; y++) {
		uint8_t mine = y & 1 ? GEMV_RED1 : GEMV_RED0;
		uint8_t below = y & 1 ? GEMV_RED0 : GEMV_RED1;

		if (y > 0)
			wb_route(b, 0, y, pw, 1, mine, WAFER_PORT_RAMP,
				 WAFER_PORT_NORTH);
		if (y < ph - 1)
			wb_route(b, 0, y, pw, 1, below, WAFER_PORT_SOUTH,
				 WAFER_PORT_RAMP);
	}

	wb_emit(b, g, I_LI(1, mt));
	wb_emit(b, g, I_LI(2, nt));
	wb_emit(b, g, I_CSR(3, ISA_CSR_X));
	wb_emit(b, g, I_CSR(4, ISA_CSR_Y));
	wb_emit(b, g, I_CSR(5, ISA_CSR_PROG_W));
	wb_emit(b, g, I_CSR(6, ISA_CSR_PROG_H));
	wb_emit(b, g, I_ALUI(ADD, 13, 6, (uint32_t)-1));
	wb_emit(b, g, I_LI(7, WB_GEMV_X));
	wb_emit(b, g, I_DMEM(F32, 0, 7, 2, 1));
	/* x: the west PE sends its chunk east, the others receive it. */
	wb_emit(b, g, I_LI(8, 1));
	recv_x = wb_emit(b, g, I_BR(BNE, 3, 0, 0));
	single = wb_emit(b, g, I_BR(BEQ, 5, 8, 0));
	wb_emit(b, g, I_DFAB(F32, 1, GEMV_XB, 2));
	wb_emit(b, g, I_V(MOV, F32, 1, 0, 0, 0));
	br = wb_emit(b, g, I_JMP(0));
	wb_patch(b, g, recv_x, wb_pc(b, g));
	wb_emit(b, g, I_DFAB(F32, 1, GEMV_XB, 2));
	wb_emit(b, g, I_V(MOV, F32, 0, 1, 0, 0));
	compute = wb_pc(b, g);
	wb_patch(b, g, single, compute);
	wb_patch(b, g, br, compute);

	/* Partial sums: yp = sum_j A[:, j] * x[j], one fmacs per column. */
	wb_emit(b, g, I_LI(7, WB_GEMV_YP));
	wb_emit(b, g, I_DMEM(F32, 2, 7, 1, 1));
	wb_emit(b, g, I_V(FILL, F32, 2, 0, 0, 0));
	wb_emit(b, g, I_LI(7, WB_GEMV_A));
	wb_emit(b, g, I_DMEM(F32, 3, 7, 1, 1));
	wb_emit(b, g, I_LI(9, 0));
	wb_emit(b, g, I_LI(10, WB_GEMV_X));
	wb_emit(b, g, I_ALUI(SHL, 11, 1, 2));
	loop = wb_emit(b, g, I_LD(12, 10, 0));
	wb_emit(b, g, I_V(FMACS, F32, 2, 2, 3, 12));
	wb_emit(b, g, I_DADV(3, 11));
	wb_emit(b, g, I_ALUI(ADD, 10, 10, 4));
	wb_emit(b, g, I_ALUI(ADD, 9, 9, 1));
	wb_emit(b, g, I_BR(BLTU, 9, 2, loop));

	/* Reduction north along the column. */
	single = wb_emit(b, g, I_BR(BNE, 6, 8, 0));
	/* ph == 1: the partial sums are the result. */
	wb_emit(b, g, I_LI(7, WB_GEMV_Y));
	wb_emit(b, g, I_DMEM(F32, 6, 7, 1, 1));
	wb_emit(b, g, I_V(MOV, F32, 6, 2, 0, 0));
	wb_emit(b, g, I_HALT());
	wb_patch(b, g, single, wb_pc(b, g));
	wb_emit(b, g, I_ALUI(AND, 14, 4, 1));
	odd = wb_emit(b, g, I_BR(BNE, 14, 0, 0));
	gemv_reduce(b, g, 0, patch, &npatch);
	wb_patch(b, g, odd, wb_pc(b, g));
	gemv_reduce(b, g, 1, patch, &npatch);
	for (unsigned int i = 0; i < npatch; i++)
		wb_patch(b, g, patch[i], wb_pc(b, g));
	wb_emit(b, g, I_HALT());

	*bp = b;
	return wb_image(b);
}

void wb_gemv_scatter(struct wafer *w, const struct wafer_rect *rg,
		     uint32_t m, uint32_t n, uint32_t pw, uint32_t ph,
		     const float *a, const float *x)
{
	uint32_t mt = m / pw, nt = n / ph;

	for (uint32_t py = 0; py < ph; py++) {
		for (uint32_t px = 0; px < pw; px++) {
			float *tile = (float *)(wb_pe_sram(w, rg, px, py) + WB_GEMV_A);

			for (uint32_t j = 0; j < nt; j++)
				for (uint32_t i = 0; i < mt; i++)
					tile[j * mt + i] =
						a[(size_t)(px * mt + i) * n + py * nt + j];
		}
		memcpy(wb_pe_sram(w, rg, 0, py) + WB_GEMV_X, x + py * nt,
		       nt * sizeof(float));
	}
}

void wb_gemv_gather(struct wafer *w, const struct wafer_rect *rg,
		    uint32_t m, uint32_t n, uint32_t pw, uint32_t ph,
		    float *y)
{
	uint32_t mt = m / pw;

	for (uint32_t px = 0; px < pw; px++)
		memcpy(y + px * mt, wb_pe_sram(w, rg, px, 0) + WB_GEMV_Y,
		       mt * sizeof(float));
}
