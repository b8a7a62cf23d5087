// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dump-source.c - print an image as wse-as source.
 *
 * For an image made by wse-as, assembling the output gives the same bytes:
 * everything the assembler emits in canonical order is printed in that
 * order, sections get explicit bases, data is printed at its exact offsets
 * (words where aligned, halves and bytes around odd labels), and any
 * instruction word the disassembler cannot print exactly comes out as
 * .dword. For other valid images the result assembles to an image with
 * the same parsed contents (segments, layout, routes, constants, symbols).
 */
#include <string.h>

#include "dump.h"
#include "isa.h"
#include "isa-names.h"

static const char *const kind_dir[] = { ".text", ".data", ".bss" };

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

/*
 * Print the labels of seg up to addr; *li walks the group's sorted list.
 * Only a foreign image can have a label inside a .pe_word: it is printed
 * at the end of that word rather than lost.
 */
static void labels_at(struct dump *d, FILE *f, unsigned g, int seg,
		      uint32_t addr, unsigned *li)
{
	while (*li < d->nlabels[g] && d->labels[g][*li].seg == seg &&
	       d->labels[g][*li].addr <= addr)
		fprintf(f, "%s:\n", d->labels[g][(*li)++].name);
}

static uint32_t next_label(struct dump *d, unsigned g, int seg, unsigned li,
			   uint32_t end)
{
	if (li < d->nlabels[g] && d->labels[g][li].seg == seg &&
	    d->labels[g][li].addr < end)
		return d->labels[g][li].addr;
	return end;
}

static int const_at(const struct wafer_image *img, unsigned g, uint32_t addr)
{
	for (uint32_t i = 0; i < img->nconsts; i++)
		if (img->consts[i].group == g && img->consts[i].addr == addr)
			return (int)i;
	return -1;
}

static uint32_t next_const(const struct wafer_image *img, unsigned g,
			   uint32_t pos, uint32_t end)
{
	uint32_t best = end;

	for (uint32_t i = 0; i < img->nconsts; i++)
		if (img->consts[i].group == g && img->consts[i].addr >= pos &&
		    img->consts[i].addr < best)
			best = img->consts[i].addr;
	return best;
}

/* Bytes [pos, end) of a data segment, no labels inside. */
static void data_run(FILE *f, const struct wafer_image_segment *s,
		     uint32_t pos, uint32_t end)
{
	while (pos < end) {
		const uint8_t *p = s->data ? s->data + (pos - s->addr) : NULL;
		uint32_t z = pos;

		/* runs of zeros (and all of a bss) as .zero */
		while (z < end && (!p || !s->data[z - s->addr]))
			z++;
		if (!s->data || z - pos >= 16) {
			fprintf(f, "\t.zero\t%u\n", (!s->data ? end : z) - pos);
			pos = !s->data ? end : z;
			continue;
		}
		if (pos % 4 == 0 && end - pos >= 4) {
			unsigned n = 0;

			fprintf(f, "\t.word\t");
			while (n < 8 && end - pos >= 4) {
				fprintf(f, "%s0x%x", n ? ", " : "",
					le32(s->data + (pos - s->addr)));
				pos += 4;
				n++;
			}
			fputc('\n', f);
		} else if (pos % 2 == 0 && end - pos >= 2) {
			fprintf(f, "\t.half\t0x%x\n",
				p[0] | p[1] << 8);
			pos += 2;
		} else {
			fprintf(f, "\t.byte\t0x%x\n", p[0]);
			pos++;
		}
	}
}

static void dump_data(struct dump *d, FILE *f, unsigned g, int si,
		      unsigned *li)
{
	const struct wafer_image *img = d->img;
	const struct wafer_image_segment *s = &img->segments[si];
	uint32_t pos = s->addr, end = s->addr + s->size;

	while (pos < end) {
		uint32_t next;
		int c;

		labels_at(d, f, g, si, pos, li);
		c = const_at(img, g, pos);
		if (c >= 0) {
			fprintf(f, "\t.pe_word %s\n",
				isa_csr_name(img->consts[c].csr));
			pos += 4;
			continue;
		}
		next = next_label(d, g, si, *li, end);
		next = next_const(img, g, pos, next);
		if (next == pos)	/* a label inside a .pe_word: skip it */
			next = pos + 1;
		data_run(f, s, pos, next);
		pos = next;
	}
	labels_at(d, f, g, si, end, li);
}

static void dump_code(struct dump *d, FILE *f, unsigned g, int si,
		      unsigned *li)
{
	const struct wafer_image_segment *s = &d->img->segments[si];
	char buf[128];

	d->cur_group = g;
	for (uint32_t pos = s->addr; pos < s->addr + s->size; pos += 8) {
		const uint8_t *p = s->data + (pos - s->addr);
		uint32_t inner;

		labels_at(d, f, g, si, pos, li);
		inner = next_label(d, g, si, *li, pos + 8);
		if (inner < pos + 8) {
			/* a label inside the word: keep the bytes exact */
			data_run(f, s, pos, inner);
			labels_at(d, f, g, si, inner, li);
			data_run(f, s, inner, pos + 8);
			continue;
		}
		isa_disasm(le64(p), buf, sizeof(buf), dump_label_at, d);
		fprintf(f, "\t%s\n", buf);
	}
	labels_at(d, f, g, si, s->addr + s->size, li);
}

static const char *const task_kind[] = {
	[WAFER_TASK_DATA] = "data", [WAFER_TASK_LOCAL] = "local",
	[WAFER_TASK_CONTROL] = "control",
};

/* A group's task table; entries by label, else by address. */
static void dump_tasks(struct dump *d, FILE *f, unsigned g)
{
	const struct wafer_image *img = d->img;

	d->cur_group = g;
	for (uint32_t i = 0; i < img->ntasks; i++) {
		const struct wafer_image_task *t = &img->tasks[i];
		const char *l;

		if (t->group != g)
			continue;
		l = dump_label_at(d, t->entry);
		fprintf(f, ".task %u, %s, ", t->id, task_kind[t->kind]);
		if (t->kind != WAFER_TASK_LOCAL)
			fprintf(f, "%u, ", t->color);
		if (l)
			fprintf(f, "%s", l);
		else
			fprintf(f, "0x%x", t->entry);
		if (t->prio)
			fprintf(f, ", prio=%u", t->prio);
		if (t->flags & WAFER_TASK_BLOCKED)
			fprintf(f, ", blocked");
		if (t->flags & WAFER_TASK_ACTIVE)
			fprintf(f, ", active");
		fputc('\n', f);
	}
}

static void dump_group(struct dump *d, FILE *f, unsigned g)
{
	const struct wafer_image *img = d->img;
	unsigned li = 0;

	fprintf(f, "\n.code %s\n", img->groups[g].name);
	dump_tasks(d, f, g);
	for (uint32_t i = 0; i < img->nsymbols; i++) {
		const struct wafer_image_symbol *s = &img->symbols[i];

		if (s->entry[g] == WAFER_NO_ENTRY)
			continue;
		if (s->kind == WAFER_SYM_FUNCTION)
			fprintf(f, ".global %s\n", s->name);
		else
			fprintf(f, ".global %s, %s, %u\n", s->name,
				isa_type_name(s->elem_type),
				s->size / s->elem_bytes);
	}
	for (int k = 0; k < 3; k++) {
		int si = d->seg_of[g * 3 + k];

		if (si < 0)
			continue;
		fprintf(f, "%s\n%s_base 0x%x\n", kind_dir[k], kind_dir[k],
			img->segments[si].addr);
		/* the sorted list holds this segment's labels next */
		while (li < d->nlabels[g] && d->labels[g][li].seg < si)
			li++;
		if (k == WAFER_SEG_CODE)
			dump_code(d, f, g, si, &li);
		else
			dump_data(d, f, g, si, &li);
	}
}

void dump_source(struct dump *d, FILE *f)
{
	const struct wafer_image *img = d->img;
	char rx[48], tx[48];

	/* The code assembled once: its DSD types are not checked again. */
	fprintf(f, "; wse-objdump --source %s\n.sram %u\n.dsd_check off\n\n",
		d->path, img->sram_bytes);
	for (uint32_t i = 0; i < img->nrects; i++) {
		const struct wafer_image_rect *r = &img->rects[i];

		fprintf(f, ".rect %s, %u, %u, %u, %u\n",
			img->groups[r->group].name, r->x, r->y, r->w, r->h);
	}
	for (uint32_t i = 0; i < img->nroutes; i++) {
		const struct wafer_image_route *r = &img->routes[i];

		dump_ports(rx, sizeof(rx), r->rx);
		dump_ports(tx, sizeof(tx), r->tx);
		fprintf(f, ".route %u, %u, %u, %u, %u, rx=%s, tx=%s", r->color,
			r->x, r->y, r->w, r->h, rx, tx);
		if (r->pos)
			fprintf(f, ", pos=%u", r->pos);
		fputc('\n', f);
	}
	for (uint32_t i = 0; i < img->nswitches; i++) {
		const struct wafer_image_switch *sw = &img->switches[i];

		fprintf(f, ".switch %u, %u, %u, %u, %u%s\n", sw->color, sw->x,
			sw->y, sw->w, sw->h,
			sw->flags & WAFER_SWITCH_RING ? ", ring" : "");
	}
	for (uint32_t g = 0; g < img->ngroups; g++)
		dump_group(d, f, g);
}
