// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * load.c - place an image on a region of the wafer.
 *
 * Loading zeroes the region's SRAM, writes every group's segments into the
 * SRAM of each PE its rectangles cover, patches per-PE constants, builds
 * the per-color router tables from the route records (later records win,
 * per switch position) and the switch records, marks an input queue
 * wherever a router delivers to RAMP in some position, copies each
 * group's task table, and predecodes each group's code. Who may feed each
 * queue (horizon.c) is left for the first run that needs it. The program
 * copies what it needs: the image may be freed afterwards.
 *
 * The parser already validated the image, but an image is guest data and
 * this is the last line before it touches SRAM, so every index and range
 * is checked again (cheaply) here.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "internal.h"

static bool rect_within(uint64_t x, uint64_t y, uint64_t w, uint64_t h,
			uint64_t W, uint64_t H)
{
	return w && h && x + w <= W && y + h <= H;
}

static int image_check(const struct wafer *w, const struct wafer_rect *rg,
		       const struct wafer_image *img, struct wafer_fault *f)
{
	uint32_t sram = w->cfg.sram_bytes;

	if (img->extent_w > rg->w || img->extent_h > rg->h)
		return wafer_fault_set(f, WAFER_ERR_BAD_REGION,
				       "image needs %ux%u PEs, region is %ux%u",
				       img->extent_w, img->extent_h, rg->w,
				       rg->h);
	if (img->sram_bytes > sram)
		return wafer_fault_set(f, WAFER_ERR_BAD_IMAGE,
				       "image needs %u bytes of SRAM per PE, the wafer has %u",
				       img->sram_bytes, sram);
	if ((img->nrects && !img->rects) || (img->nsegments && !img->segments) ||
	    (img->nroutes && !img->routes) || (img->nconsts && !img->consts) ||
	    (img->nsymbols && !img->symbols) || (img->ntasks && !img->tasks) ||
	    (img->nswitches && !img->switches))
		return wafer_fault_set(f, WAFER_ERR_BAD_IMAGE,
				       "image tables missing");
	for (uint32_t i = 0; i < img->nrects; i++) {
		const struct wafer_image_rect *r = &img->rects[i];

		if (!rect_within(r->x, r->y, r->w, r->h, rg->w, rg->h) ||
		    r->group >= img->ngroups)
			return wafer_fault_set(f, WAFER_ERR_BAD_IMAGE,
					       "layout rectangle %u (%ux%u at %u,%u, group %u) is invalid",
					       i, r->w, r->h, r->x, r->y,
					       r->group);
	}
	for (uint32_t i = 0; i < img->nsegments; i++) {
		const struct wafer_image_segment *s = &img->segments[i];

		if (s->group >= img->ngroups ||
		    (uint64_t)s->addr + s->size > sram)
			return wafer_fault_set(f, WAFER_ERR_BAD_IMAGE,
					       "segment %u (0x%x+0x%x, group %u) does not fit",
					       i, s->addr, s->size, s->group);
	}
	for (uint32_t i = 0; i < img->nroutes; i++) {
		const struct wafer_image_route *r = &img->routes[i];

		if (!rect_within(r->x, r->y, r->w, r->h, rg->w, rg->h) ||
		    r->color >= WAFER_COLORS || (r->rx | r->tx) & ~WAFER_PORT_ALL ||
		    r->pos >= WAFER_POSITIONS)
			return wafer_fault_set(f, WAFER_ERR_BAD_IMAGE,
					       "route record %u (color %u, %ux%u at %u,%u) is invalid",
					       i, r->color, r->w, r->h, r->x,
					       r->y);
	}
	for (uint32_t i = 0; i < img->nswitches; i++) {
		const struct wafer_image_switch *r = &img->switches[i];

		if (!rect_within(r->x, r->y, r->w, r->h, rg->w, rg->h) ||
		    r->color >= WAFER_COLORS || r->flags & ~WAFER_SWITCH_RING)
			return wafer_fault_set(f, WAFER_ERR_BAD_IMAGE,
					       "switch record %u (color %u, %ux%u at %u,%u) is invalid",
					       i, r->color, r->w, r->h, r->x,
					       r->y);
	}
	for (uint32_t i = 0; i < img->ntasks; i++) {
		const struct wafer_image_task *t = &img->tasks[i];

		if (t->group >= img->ngroups || t->id >= WAFER_TASKS ||
		    (t->id == TASK_TIMER && t->kind != WAFER_TASK_LOCAL) ||
		    t->kind < WAFER_TASK_DATA ||
		    t->kind > WAFER_TASK_CONTROL || t->color >= WAFER_COLORS ||
		    t->prio > WAFER_TASK_MAX_PRIO ||
		    t->entry % ISA_INSN_BYTES || t->entry > sram - ISA_INSN_BYTES)
			return wafer_fault_set(f, WAFER_ERR_BAD_IMAGE,
					       "task record %u (task %u of group %u) is invalid",
					       i, t->id, t->group);
	}
	for (uint32_t i = 0; i < img->nconsts; i++) {
		const struct wafer_image_const *c = &img->consts[i];

		if (c->group >= img->ngroups || c->addr % 4 ||
		    (uint64_t)c->addr + 4 > sram || c->csr > ISA_CSR_SRAM ||
		    c->csr == ISA_CSR_CYCLES)
			return wafer_fault_set(f, WAFER_ERR_BAD_IMAGE,
					       "constant %u (0x%x, csr %u) is invalid",
					       i, c->addr, c->csr);
	}
	for (uint32_t i = 0; i < img->nsymbols; i++) {
		const struct wafer_image_symbol *s = &img->symbols[i];

		if (s->kind != WAFER_SYM_FUNCTION)
			continue;
		if (!s->entry && img->ngroups)
			return wafer_fault_set(f, WAFER_ERR_BAD_IMAGE,
					       "function %u has no entry table", i);
		for (uint32_t g = 0; g < img->ngroups; g++) {
			uint32_t e = s->entry[g];

			if (e != WAFER_NO_ENTRY &&
			    (e % ISA_INSN_BYTES || e > sram - ISA_INSN_BYTES))
				return wafer_fault_set(f, WAFER_ERR_BAD_IMAGE,
						       "function %u: entry 0x%x of group %u is invalid",
						       i, e, g);
		}
	}
	return 0;
}

/* Index lists per group (counting sort): first[g]..first[g + 1] in list. */
struct group_index {
	uint32_t *first, *list;
};

static int group_index_build(struct group_index *gi, uint32_t ngroups,
			     uint32_t n, const void *items, size_t stride,
			     size_t group_off)
{
	const uint8_t *base = items;
	uint32_t *fill;

	gi->first = calloc((size_t)ngroups + 1, sizeof(uint32_t));
	gi->list = malloc(((size_t)n + 1) * sizeof(uint32_t));
	if (!gi->first || !gi->list)
		return -ENOMEM;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t g;

		memcpy(&g, base + i * stride + group_off, sizeof(g));
		gi->first[g + 1]++;
	}
	for (uint32_t g = 0; g < ngroups; g++)
		gi->first[g + 1] += gi->first[g];
	fill = calloc((size_t)ngroups + 1, sizeof(*fill));
	if (!fill)
		return -ENOMEM;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t g;

		memcpy(&g, base + i * stride + group_off, sizeof(g));
		gi->list[gi->first[g] + fill[g]++] = i;
	}
	free(fill);
	return 0;
}

static void group_index_free(struct group_index *gi)
{
	free(gi->first);
	free(gi->list);
}

static uint8_t *pe_sram(const struct wafer *w, const struct wafer_rect *rg,
			uint32_t x, uint32_t y)
{
	return w->sram + ((size_t)(rg->y + y) * w->cfg.width + rg->x + x) *
			 w->cfg.sram_bytes;
}

/* The host asked the load in progress to give up (device queue stop). */
static bool load_cancelled(const struct wafer_program *p)
{
	return p->load_cancel && __atomic_load_n(p->load_cancel, __ATOMIC_RELAXED);
}

static int build_routes(struct wafer_program *p, const struct wafer_image *img,
			struct wafer_fault *f)
{
	uint32_t nfq = 0;
	int ret;

	/* The route map is built once per load (rtmap.c): milliseconds. */
	if (load_cancelled(p))
		return wafer_fault_set(f, WAFER_ERR_CANCELLED,
				       "load cancelled by the host");
	ret = wafer_rtmap_build(p, img, f);
	if (ret)
		return ret;

	for (unsigned int c = 0; c < WAFER_COLORS; c++) {
		struct color_fabric *cf = &p->fab[c];

		if (!cf->cfgs)
			continue;
		p->out[c] = calloc(p->npes, sizeof(*p->out[c]));
		if (!p->out[c])
			return -ENOMEM;
		for (uint32_t k = 0; k < cf->ncfgs; k++)
			if (cf->cfgs[k].npos > 1)
				cf->switched = true;
		if (cf->switched) {
			struct rt_state *st = calloc(p->npes, sizeof(*st));

			if (!st)
				return -ENOMEM;
			atomic_store(&cf->st, st);
			atomic_store(&cf->dyn, true);
		}
	}
	/* Where the queues are; they are made when first used (fq.c). */
	for (unsigned int c = 0; c < WAFER_COLORS; c++) {
		struct color_fabric *cf = &p->fab[c];
		uint64_t *bits = NULL;

		if (!cf->cfgs)
			continue;
		for (uint32_t k = 0; k < cf->ncfgs; k++)
			for (unsigned int j = 0; j < cf->cfgs[k].npos; j++)
				/* A router that merges two ports: every queue claims. */
				if (__builtin_popcount(cf->cfgs[k].rx[j]) > 1)
					cf->merged = true;
		for (uint32_t i = 0; i < p->npes; i++) {
			const struct rt_cfg *rc = wafer_rt_cfg(cf, i);
			uint8_t tx = 0;

			for (unsigned int j = 0; j < rc->npos; j++)
				tx |= rc->tx[j];
			if (!(tx & WAFER_PORT_RAMP))
				continue;
			nfq++;
			if (!bits) {
				bits = calloc(((size_t)p->npes + 63) / 64, sizeof(*bits));
				if (!bits)
					return -ENOMEM;
				p->rxbits[c] = bits;
			}
			bits[i >> 6] |= 1ull << (i & 63);
		}
		if (bits) {
			p->qslot_color[p->nqkeys / p->npes] = (uint8_t)c;
			p->qbase[c] = p->nqkeys;
			p->nqkeys += p->npes;
		}
	}
	if (!nfq)
		return 0;
	/* Who feeds each queue is worked out when a run needs it (horizon.c). */
	return wafer_fqs_init(p);
}

/* Each group's task table, for the PEs of its rectangles. */
static int build_tasks(struct wafer_program *p, const struct wafer_image *img)
{
	if (!img->ntasks)
		return 0;
	p->tasks = calloc(img->ngroups ? img->ngroups : 1, sizeof(*p->tasks));
	if (!p->tasks)
		return -ENOMEM;
	for (uint32_t i = 0; i < img->ntasks; i++) {
		const struct wafer_image_task *it = &img->tasks[i];
		struct group_tasks *gt = p->tasks[it->group];
		struct task_def *t;

		if (!gt) {
			gt = calloc(1, sizeof(*gt));
			if (!gt)
				return -ENOMEM;
			for (unsigned int j = 0; j < WAFER_TASKS; j++)
				gt->t[j].entry = WAFER_NO_ENTRY;
			memset(gt->data_task, -1, sizeof(gt->data_task));
			memset(gt->ctl_task, -1, sizeof(gt->ctl_task));
			p->tasks[it->group] = gt;
		}
		t = &gt->t[it->id];
		t->entry = it->entry;
		t->kind = it->kind;
		t->color = it->color;
		t->prio = it->prio;
		t->flags = it->flags;
		if (it->kind == WAFER_TASK_DATA) {
			gt->data_task[it->color] = (int8_t)it->id;
			gt->bound_colors |= 1u << it->color;
		} else {
			gt->local_mask |= 1ull << it->id;
			if (it->kind == WAFER_TASK_CONTROL) {
				gt->ctl_task[it->color] = (int8_t)it->id;
				gt->bound_colors |= 1u << it->color;
			}
		}
		if (it->id == TASK_TEARDOWN)
			gt->teardown = true;
		if (it->flags & WAFER_TASK_ACTIVE)
			gt->init_active |= 1ull << it->id;
		if (it->flags & WAFER_TASK_BLOCKED)
			gt->init_blocked |= 1ull << it->id;
	}
	return 0;
}

/* Predecode each group's code segments, as written into its first PE. */
static int build_code(struct wafer_program *p, const struct wafer_image *img,
		      const struct group_index *segs)
{
	uint32_t *first_pe;

	p->code = calloc(img->ngroups ? img->ngroups : 1, sizeof(*p->code));
	first_pe = malloc((img->ngroups ? img->ngroups : 1) * sizeof(*first_pe));
	if (!p->code || !first_pe) {
		free(first_pe);
		return -ENOMEM;
	}
	p->ngroups = img->ngroups;
	for (uint32_t g = 0; g < img->ngroups; g++)
		first_pe[g] = UINT32_MAX;
	for (uint32_t i = p->npes; i-- > 0;)
		if (p->pes[i].rect < p->nrects)
			first_pe[p->rects[p->pes[i].rect].group] = i;

	for (uint32_t g = 0; g < img->ngroups; g++) {
		uint32_t lo = UINT32_MAX, hi = 0;

		if (first_pe[g] == UINT32_MAX)
			continue;
		for (uint32_t k = segs->first[g]; k < segs->first[g + 1]; k++) {
			const struct wafer_image_segment *s =
				&img->segments[segs->list[k]];

			if (s->kind != WAFER_SEG_CODE || !s->data || !s->size)
				continue;
			if (s->addr < lo)
				lo = s->addr;
			if (s->addr + s->size > hi)
				hi = s->addr + s->size;
		}
		if (lo >= hi)
			continue;
		lo &= ~(uint32_t)(ISA_INSN_BYTES - 1);
		hi = (hi + ISA_INSN_BYTES - 1) & ~(uint32_t)(ISA_INSN_BYTES - 1);
		if (hi > p->sram_bytes)
			hi = p->sram_bytes & ~(uint32_t)(ISA_INSN_BYTES - 1);
		p->code[g] = wafer_code_build(p->pes[first_pe[g]].sram, lo, hi);
		if (!p->code[g]) {
			free(first_pe);
			return -ENOMEM;
		}
	}
	free(first_pe);
	return 0;
}

static int copy_symbols(struct wafer_program *p, const struct wafer_image *img)
{
	p->syms = calloc(img->nsymbols ? img->nsymbols : 1, sizeof(*p->syms));
	if (!p->syms)
		return -ENOMEM;
	p->nsyms = img->nsymbols;
	for (uint32_t i = 0; i < img->nsymbols; i++) {
		const struct wafer_image_symbol *s = &img->symbols[i];
		struct wafer_sym *d = &p->syms[i];

		d->kind = s->kind;
		d->name = strdup(s->name ? s->name : "");
		if (!d->name)
			return -ENOMEM;
		if (s->kind != WAFER_SYM_FUNCTION)
			continue;
		d->entry = malloc((img->ngroups ? img->ngroups : 1) * sizeof(uint32_t));
		if (!d->entry)
			return -ENOMEM;
		if (img->ngroups)
			memcpy(d->entry, s->entry, img->ngroups * sizeof(uint32_t));
	}
	return 0;
}

/*
 * Writing the segments is one page fault or more per PE: on a full wafer
 * 900k faults, over a second of kernel time, which is why it is spread
 * over the wafer's thread count (each PE is written by one thread, with
 * the same bytes whichever it is), and why the pages of each segment are
 * populated with one MADV_POPULATE_WRITE instead of a fault per page.
 */
struct pe_writer {
	struct wafer_program *p;
	const struct wafer_image *img;
	const struct group_index *segs, *consts;
	uint32_t lo, hi;		/* PEs */
	bool done;			/* false: cancelled on the way */
};

/* The pages under [p, p + len), in one call (SRAM is page aligned). */
static void populate(uint8_t *p, uint32_t len)
{
#ifdef MADV_POPULATE_WRITE
	uintptr_t lo = (uintptr_t)p & ~(uintptr_t)4095;
	uintptr_t hi = ((uintptr_t)p + len + 4095) & ~(uintptr_t)4095;

	/* A kernel before 5.14 refuses it: then the copy faults. */
	madvise((void *)lo, hi - lo, MADV_POPULATE_WRITE);
#endif
}

/*
 * Set up PEs lo..hi (PE structures first, so that the program can be
 * freed whatever happens next), then write their segments and constants;
 * false if the load was cancelled on the way (every 1024 PEs).
 */
static bool write_pes_range(const struct pe_writer *wr)
{
	struct wafer_program *p = wr->p;
	const struct wafer_image *img = wr->img;
	uint32_t W = p->region.w;

	memset(&p->pes[wr->lo], 0, (size_t)(wr->hi - wr->lo) * sizeof(*p->pes));
	for (uint32_t i = wr->lo; i < wr->hi; i++) {
		struct pe *pe = &p->pes[i];

		pe->idx = i;
		pe->p = p;
		pe->rect = UINT32_MAX;
		atomic_init(&pe->horizon, T_INF);
		pe->sram = pe_sram(p->w, &p->region, i % W, i / W);
	}
	/* Later rectangles win, as the image says. */
	for (uint32_t r = 0; r < img->nrects; r++) {
		const struct wafer_image_rect *ir = &img->rects[r];
		uint32_t y0 = ir->y > wr->lo / W ? ir->y : wr->lo / W;

		for (uint32_t y = y0; y < ir->y + ir->h && y * W < wr->hi; y++)
			for (uint32_t x = ir->x; x < ir->x + ir->w; x++)
				if (y * W + x >= wr->lo && y * W + x < wr->hi)
					p->pes[y * W + x].rect = r;
	}
	for (uint32_t i = wr->lo; i < wr->hi; i++) {
		struct pe *pe = &p->pes[i];
		uint32_t g;

		if (!((i - wr->lo) & 1023) && load_cancelled(p))
			return false;

		if (pe->rect >= p->nrects)
			continue;
		g = p->rects[pe->rect].group;
		for (uint32_t k = wr->segs->first[g]; k < wr->segs->first[g + 1]; k++) {
			const struct wafer_image_segment *s =
				&img->segments[wr->segs->list[k]];

			/* bss is already zero: the region was cleared. */
			if (!s->data || !s->size)
				continue;
			populate(pe->sram + s->addr, s->size);
			memcpy(pe->sram + s->addr, s->data, s->size);
		}
		for (uint32_t k = wr->consts->first[g]; k < wr->consts->first[g + 1]; k++) {
			const struct wafer_image_const *c =
				&img->consts[wr->consts->list[k]];
			uint32_t v = wafer_csr_value(p, pe, c->csr);

			memcpy(pe->sram + c->addr, &v, sizeof(v));
		}
	}
	return true;
}

static void *pe_writer_main(void *arg)
{
	struct pe_writer *wr = arg;

	wr->done = write_pes_range(wr);
	return NULL;
}

/*
 * Set up every PE of the layout and write its segments and constants;
 * false if the load was cancelled on the way.
 */
static bool write_pes(struct wafer_program *p, const struct wafer_image *img,
		     const struct group_index *segs,
		     const struct group_index *consts)
{
	struct pe_writer wr[WAFER_MAX_THREADS];
	pthread_t tid[WAFER_MAX_THREADS];
	bool started[WAFER_MAX_THREADS] = { false };
	unsigned int n = p->w->cfg.threads;
	sigset_t all, old;
	bool done = true;

	if (n < 1 || p->npes < WAFER_LOAD_PAR_MIN_PES)
		n = 1;
	for (unsigned int t = 0; t < n; t++)
		wr[t] = (struct pe_writer){
			.p = p, .img = img, .segs = segs, .consts = consts,
			.lo = (uint32_t)((uint64_t)p->npes * t / n),
			.hi = (uint32_t)((uint64_t)p->npes * (t + 1) / n),
		};
	/* Helpers take no signals: the embedding process (QEMU) handles them. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	for (unsigned int t = 1; t < n; t++)
		started[t] = !pthread_create(&tid[t], NULL, pe_writer_main, &wr[t]);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	wr[0].done = write_pes_range(&wr[0]);
	for (unsigned int t = 1; t < n; t++) {
		if (started[t])
			pthread_join(tid[t], NULL);
		else	/* no thread: the same PEs, written here */
			wr[t].done = write_pes_range(&wr[t]);
		done &= wr[t].done;
	}
	return done && wr[0].done;
}

int wafer_load(struct wafer *w, const struct wafer_rect *region,
	       const struct wafer_image *img, struct wafer_program **out,
	       struct wafer_fault *fault)
{
	return wafer_load_cancellable(w, region, img, out, fault, NULL);
}

int wafer_load_cancellable(struct wafer *w, const struct wafer_rect *region,
			   const struct wafer_image *img,
			   struct wafer_program **out,
			   struct wafer_fault *fault, const int *cancel)
{
	struct group_index segs = { 0 }, consts = { 0 };
	struct wafer_fault f_local;
	struct wafer_program *p;
	struct wafer_rect rg;
	int ret;

	if (!fault)
		fault = &f_local;
	memset(fault, 0, sizeof(*fault));
	if (!w || !region || !img || !out)
		return wafer_fault_set(fault, WAFER_ERR_INVALID,
				       "load without wafer, region, image or result");
	*out = NULL;
	rg = *region;
	if (!rect_within(rg.x, rg.y, rg.w, rg.h, w->cfg.width, w->cfg.height))
		return wafer_fault_set(fault, WAFER_ERR_BAD_REGION,
				       "region %ux%u at (%u,%u) is not on the %ux%u wafer",
				       rg.w, rg.h, rg.x, rg.y, w->cfg.width,
				       w->cfg.height);
	ret = image_check(w, &rg, img, fault);
	if (ret)
		return ret;
	if (wafer_region_busy(w, &rg, NULL)) {
		wafer_fault_set(fault, WAFER_ERR_BAD_REGION,
				"region %ux%u at (%u,%u) overlaps a running program",
				rg.w, rg.h, rg.x, rg.y);
		return -EBUSY;
	}

	p = calloc(1, sizeof(*p));
	if (!p)
		return wafer_fault_set(fault, WAFER_ERR_NOMEM, "out of memory");
	for (unsigned int i = 0; i < WAFER_FQ_LOCKS; i++)
		pthread_mutex_init(&p->fq_locks[i], NULL);
	pthread_mutex_init(&p->hz_lock, NULL);
	p->w = w;
	p->load_cancel = cancel;
	p->region = rg;
	p->npes = rg.w * rg.h;
	p->extent_w = img->extent_w;
	p->extent_h = img->extent_h;
	p->sram_bytes = w->cfg.sram_bytes;
	p->queue_depth = w->cfg.queue_depth;
	p->ngroups = img->ngroups;
	if (group_index_build(&segs, img->ngroups, img->nsegments,
			      img->segments, sizeof(*img->segments),
			      offsetof(struct wafer_image_segment, group)) ||
	    group_index_build(&consts, img->ngroups, img->nconsts, img->consts,
			      sizeof(*img->consts),
			      offsetof(struct wafer_image_const, group)))
		goto err_nomem;
	/* Zeroed and filled in by write_pes(), in parallel. */
	p->pes = aligned_alloc(64, (size_t)p->npes * sizeof(*p->pes));
	p->rects = malloc((img->nrects ? img->nrects : 1) * sizeof(*p->rects));
	if (!p->pes || !p->rects) {
		free(p->pes);	/* not set up: nothing in it to free */
		p->pes = NULL;
		goto err_nomem;
	}
	p->nrects = img->nrects;
	if (img->nrects)
		memcpy(p->rects, img->rects, img->nrects * sizeof(*p->rects));

	for (uint32_t y = 0; y < rg.h && !load_cancelled(p); y++)
		wafer_sram_zero(pe_sram(w, &rg, 0, y),
				(size_t)rg.w * w->cfg.sram_bytes);
	if (!write_pes(p, img, &segs, &consts)) {
		ret = wafer_fault_set(fault, WAFER_ERR_CANCELLED,
				      "load cancelled by the host");
		group_index_free(&segs);
		group_index_free(&consts);
		wafer_program_free(p);
		return ret;
	}

	for (unsigned int c = 0; c < WAFER_COLORS; c++)
		pthread_mutex_init(&p->fab[c].lock, NULL);
	ret = build_routes(p, img, fault);
	if (ret > 0 || (ret < 0 && ret != -ENOMEM)) {
		group_index_free(&segs);
		group_index_free(&consts);
		wafer_program_free(p);
		return ret;
	}
	if (ret || build_tasks(p, img) || build_code(p, img, &segs) ||
	    copy_symbols(p, img))
		goto err_nomem;
	group_index_free(&segs);
	group_index_free(&consts);
	p->load_cancel = NULL;
	*out = p;
	return 0;

err_nomem:
	group_index_free(&segs);
	group_index_free(&consts);
	wafer_program_free(p);
	return wafer_fault_set(fault, WAFER_ERR_NOMEM,
			       "out of memory loading a %ux%u program", rg.w, rg.h);
}

/* The program must not be running. */
void wafer_program_free(struct wafer_program *p)
{
	if (!p)
		return;
	wafer_resident_free(p);
	wafer_trace_free(p);
	wafer_routes_free(p);
	wafer_rtmap_free(p);
	for (unsigned int c = 0; c < WAFER_COLORS; c++) {
		free(atomic_load(&p->fab[c].st));
		free(p->fab[c].waiters);
		pthread_mutex_destroy(&p->fab[c].lock);
		free(p->out[c]);
	}
	for (unsigned int i = 0; i < WAFER_FQ_LOCKS; i++)
		pthread_mutex_destroy(&p->fq_locks[i]);
	wafer_horizons_free(p);
	pthread_mutex_destroy(&p->hz_lock);
	if (p->tasks)
		for (uint32_t g = 0; g < p->ngroups; g++)
			free(p->tasks[g]);
	free(p->tasks);
	for (uint32_t i = 0; p->pes && i < p->npes; i++) {
		if (p->pes[i].fl) {
			free(p->pes[i].fl->ev);
			free(p->pes[i].fl->entry);
		}
		free(p->pes[i].fl);
		free(p->pes[i].v);
	}
	if (p->code)
		for (uint32_t g = 0; g < p->ngroups; g++)
			free(p->code[g]);
	free(p->code);
	for (uint32_t i = 0; i < p->nsyms; i++) {
		free(p->syms[i].name);
		free(p->syms[i].entry);
	}
	free(p->syms);
	free(p->rects);
	free(p->pes);
	free(p);
}
