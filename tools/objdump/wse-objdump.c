// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wse-objdump - show what a wse kernel image holds.
 *
 *   wse-objdump [-h] [-l] [-r] [-c] [-t] [-d] IMAGE   listing (all if none)
 *   wse-objdump --source IMAGE                          wse-as source
 *
 * The image goes through the same parser as the loader, so anything
 * printed here is what a wafer would get.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dump.h"
#include "isa.h"
#include "isa-names.h"

static const char *const seg_kind[] = { "code", "data", "bss" };

static int dlabel_cmp(const void *x, const void *y)
{
	const struct dlabel *a = x, *b = y;

	if (a->seg != b->seg)
		return a->seg < b->seg ? -1 : 1;
	if (a->addr != b->addr)
		return a->addr < b->addr ? -1 : 1;
	return strcmp(a->name, b->name);
}

static int seg_containing(const struct dump *d, unsigned g, uint32_t addr)
{
	for (int k = 0; k < 3; k++) {
		int si = d->seg_of[g * 3 + k];
		const struct wafer_image_segment *s;

		if (si < 0)
			continue;
		s = &d->img->segments[si];
		if (addr >= s->addr && addr - s->addr < s->size)
			return si;
	}
	return -1;
}

int dump_init(struct dump *d, const struct wafer_image *img, const char *path)
{
	memset(d, 0, sizeof(*d));
	d->img = img;
	d->path = path;
	d->labels = calloc(img->ngroups, sizeof(*d->labels));
	d->nlabels = calloc(img->ngroups, sizeof(*d->nlabels));
	d->seg_of = malloc(img->ngroups * 3 * sizeof(*d->seg_of));
	if (!d->labels || !d->nlabels || !d->seg_of)
		return -ENOMEM;
	for (uint32_t i = 0; i < img->ngroups * 3; i++)
		d->seg_of[i] = -1;
	for (uint32_t i = 0; i < img->nsegments; i++)
		d->seg_of[img->segments[i].group * 3 + img->segments[i].kind] =
			(int)i;
	for (uint32_t g = 0; g < img->ngroups; g++) {
		unsigned n = 0;

		d->labels[g] = calloc(img->nlabels + img->nsymbols + 1,
				      sizeof(**d->labels));
		if (!d->labels[g])
			return -ENOMEM;
		for (uint32_t i = 0; i < img->nlabels; i++) {
			const struct wafer_image_label *l = &img->labels[i];

			if (img->segments[l->segment].group == g)
				d->labels[g][n++] = (struct dlabel){
					l->addr, (int)l->segment, l->name, -1 };
		}
		for (uint32_t i = 0; i < img->nsymbols; i++) {
			const struct wafer_image_symbol *s = &img->symbols[i];
			uint32_t a = s->entry[g];

			if (a == WAFER_NO_ENTRY)
				continue;
			d->labels[g][n++] = (struct dlabel){
				a, seg_containing(d, g, a), s->name, (int)i };
		}
		qsort(d->labels[g], n, sizeof(**d->labels), dlabel_cmp);
		d->nlabels[g] = n;
	}
	return 0;
}

void dump_fini(struct dump *d)
{
	for (uint32_t g = 0; d->labels && g < d->img->ngroups; g++)
		free(d->labels[g]);
	free(d->labels);
	free(d->nlabels);
	free(d->seg_of);
}

const char *dump_label_at(void *ctx, uint32_t addr)
{
	struct dump *d = ctx;
	unsigned g = d->cur_group;

	for (unsigned i = 0; i < d->nlabels[g]; i++)
		if (d->labels[g][i].addr == addr)
			return d->labels[g][i].name;
	return NULL;
}

void dump_ports(char *buf, size_t n, unsigned mask)
{
	size_t len = 0;

	buf[0] = '\0';
	for (unsigned b = 1; b <= 0x10; b <<= 1)
		if (mask & b)
			len += snprintf(buf + len, len < n ? n - len : 0, "%s%s",
					len ? "|" : "", isa_port_name(b));
	if (!mask)
		snprintf(buf, n, "NONE");
}

static void print_header(struct dump *d)
{
	const struct wafer_image *img = d->img;

	printf("%s: wse kernel image (format %u), %u-byte SRAM, layout %ux%u PEs\n",
	       d->path, img->version, img->sram_bytes, img->extent_w,
	       img->extent_h);
	printf("%u groups, %u rectangles, %u routes, %u per-PE constants, %u exports\n",
	       img->ngroups, img->nrects, img->nroutes, img->nconsts,
	       img->nsymbols);
	if (img->version >= 2)
		printf("%u tasks, %u switch records\n", img->ntasks,
		       img->nswitches);
	printf("\n");
	printf("Groups and segments:\n");
	for (uint32_t g = 0; g < img->ngroups; g++) {
		printf("  group %u %s\n", g, img->groups[g].name);
		for (int k = 0; k < 3; k++) {
			int si = d->seg_of[g * 3 + k];
			const struct wafer_image_segment *s;

			if (si < 0)
				continue;
			s = &img->segments[si];
			printf("    %-4s  0x%05x-0x%05x  %6u bytes\n",
			       seg_kind[k], s->addr, s->addr + s->size,
			       s->size);
		}
	}
	printf("\n");
}

static void print_layout(struct dump *d)
{
	const struct wafer_image *img = d->img;

	printf("Layout (rectangle -> code group):\n");
	printf("  %4s %5s %5s %5s %5s  %s\n", "#", "x", "y", "w", "h", "group");
	for (uint32_t i = 0; i < img->nrects; i++) {
		const struct wafer_image_rect *r = &img->rects[i];

		printf("  %4u %5u %5u %5u %5u  %s\n", i, r->x, r->y, r->w,
		       r->h, img->groups[r->group].name);
	}
	printf("\n");
}

static void print_routes(struct dump *d)
{
	const struct wafer_image *img = d->img;
	char rx[48], tx[48];

	printf("Routes (in order; a later record overrides an earlier one):\n");
	printf("  %4s %5s %5s %5s %5s %5s %3s  %-24s %s\n", "#", "color", "x",
	       "y", "w", "h", "pos", "rx", "tx");
	for (uint32_t i = 0; i < img->nroutes; i++) {
		const struct wafer_image_route *r = &img->routes[i];

		dump_ports(rx, sizeof(rx), r->rx);
		dump_ports(tx, sizeof(tx), r->tx);
		printf("  %4u %5u %5u %5u %5u %5u %3u  %-24s %s\n", i, r->color,
		       r->x, r->y, r->w, r->h, r->pos, rx, tx);
	}
	if (img->nswitches) {
		printf("\nSwitches:\n");
		printf("  %4s %5s %5s %5s %5s %5s  %s\n", "#", "color", "x", "y",
		       "w", "h", "flags");
		for (uint32_t i = 0; i < img->nswitches; i++) {
			const struct wafer_image_switch *sw = &img->switches[i];

			printf("  %4u %5u %5u %5u %5u %5u  %s\n", i, sw->color,
			       sw->x, sw->y, sw->w, sw->h,
			       sw->flags & WAFER_SWITCH_RING ? "ring" : "-");
		}
	}
	printf("\n");
}

static void print_consts(struct dump *d)
{
	const struct wafer_image *img = d->img;

	printf("Per-PE constants (written at load):\n");
	for (uint32_t i = 0; i < img->nconsts; i++) {
		const struct wafer_image_const *c = &img->consts[i];

		printf("  %-16s 0x%05x  %s\n", img->groups[c->group].name,
		       c->addr, isa_csr_name(c->csr));
	}
	printf("\n");
}

static const char *const task_kind[] = {
	[WAFER_TASK_DATA] = "data", [WAFER_TASK_LOCAL] = "local",
	[WAFER_TASK_CONTROL] = "control",
};

static void print_tasks(struct dump *d)
{
	const struct wafer_image *img = d->img;

	printf("Task tables:\n");
	printf("  %-16s %3s %-8s %5s %4s %-8s %s\n", "group", "id", "kind",
	       "color", "prio", "flags", "entry");
	for (uint32_t i = 0; i < img->ntasks; i++) {
		const struct wafer_image_task *t = &img->tasks[i];
		const char *l;

		d->cur_group = t->group;
		l = dump_label_at(d, t->entry);
		printf("  %-16s %3u %-8s ", img->groups[t->group].name, t->id,
		       task_kind[t->kind]);
		if (t->kind == WAFER_TASK_LOCAL)
			printf("%5s", "-");
		else
			printf("%5u", t->color);
		printf(" %4u %-8s 0x%05x%s%s\n", t->prio,
		       t->flags == (WAFER_TASK_BLOCKED | WAFER_TASK_ACTIVE) ?
		       "blk,act" : t->flags & WAFER_TASK_BLOCKED ? "blocked" :
		       t->flags & WAFER_TASK_ACTIVE ? "active" : "-",
		       t->entry, l ? " " : "", l ? l : "");
	}
	printf("\n");
}

static void print_symbols(struct dump *d)
{
	const struct wafer_image *img = d->img;

	printf("Exported symbols:\n");
	printf("  %4s %-8s %-24s %-8s %8s %4s  %s\n", "idx", "kind", "name",
	       "addr", "size", "type", "groups");
	for (uint32_t i = 0; i < img->nsymbols; i++) {
		const struct wafer_image_symbol *s = &img->symbols[i];
		int fn = s->kind == WAFER_SYM_FUNCTION;

		printf("  %4u %-8s %-24s 0x%05x %8u %4s ", i,
		       fn ? "function" : "array", s->name, s->addr, s->size,
		       fn ? "-" : isa_type_name(s->elem_type));
		for (uint32_t g = 0; g < img->ngroups; g++)
			if (s->entry[g] != WAFER_NO_ENTRY)
				printf(" %s", img->groups[g].name);
		printf("\n");
	}
	printf("\nLocal labels:\n");
	for (uint32_t i = 0; i < img->nlabels; i++) {
		const struct wafer_image_label *l = &img->labels[i];
		const struct wafer_image_segment *s = &img->segments[l->segment];

		printf("  %-16s %-4s 0x%05x  %s\n", img->groups[s->group].name,
		       seg_kind[s->kind], l->addr, l->name);
	}
	printf("\n");
}

static void print_disasm(struct dump *d)
{
	const struct wafer_image *img = d->img;
	char buf[128];

	for (uint32_t g = 0; g < img->ngroups; g++) {
		int si = d->seg_of[g * 3 + WAFER_SEG_CODE];
		const struct wafer_image_segment *s;

		if (si < 0)
			continue;
		s = &img->segments[si];
		d->cur_group = g;
		printf("Disassembly of group %s (0x%05x-0x%05x):\n",
		       img->groups[g].name, s->addr, s->addr + s->size);
		for (uint32_t pos = 0; pos < s->size; pos += 8) {
			const uint8_t *p = s->data + pos;
			uint64_t w = 0;

			for (int b = 7; b >= 0; b--)
				w = w << 8 | p[b];
			for (unsigned i = 0; i < d->nlabels[g]; i++)
				if (d->labels[g][i].seg == si &&
				    d->labels[g][i].addr == s->addr + pos)
					printf("\n%05x <%s>:\n", s->addr + pos,
					       d->labels[g][i].name);
			isa_disasm(w, buf, sizeof(buf), dump_label_at, d);
			printf("  %5x:  %016llx  %s\n", s->addr + pos,
			       (unsigned long long)w, buf);
		}
		printf("\n");
	}
}

static int read_image(const char *path, void **data, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 1 << 16, n = 0, got;
	uint8_t *b = malloc(cap);

	if (!f || !b) {
		if (f)
			fclose(f);
		free(b);
		return f ? -ENOMEM : -errno;
	}
	while ((got = fread(b + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			uint8_t *nb;

			if (cap > (128u << 20))
				break;	/* the parser refuses it anyway */
			nb = realloc(b, cap * 2);
			if (!nb) {
				free(b);
				fclose(f);
				return -ENOMEM;
			}
			b = nb;
			cap *= 2;
		}
	}
	fclose(f);
	*data = b;
	*len = n;
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: wse-objdump [-h] [-l] [-r] [-c] [-t] [-d] IMAGE\n"
		"       wse-objdump --source IMAGE\n"
		"  -h  header and segments   -l  layout      -r  routes\n"
		"  -c  per-PE constants and task tables\n"
		"  -t  symbols               -d  disassembly\n"
		"  -S, --source  wse-as source that reassembles to the image\n");
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "source", no_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'H' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned want = 0;
	struct wafer_image *img;
	struct dump d;
	char err[256];
	size_t len = 0;
	void *data = NULL;
	int c, ret;

	while ((c = getopt_long(argc, argv, "hlrctdS", lopts, NULL)) != -1) {
		const char *o = strchr("hlrctdS", c);

		if (c == 'H') {
			usage(stdout);
			return 0;
		}
		if (!o) {
			usage(stderr);
			return 2;
		}
		want |= 1u << (o - "hlrctdS");
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 2;
	}
	ret = read_image(argv[optind], &data, &len);
	if (ret) {
		fprintf(stderr, "wse-objdump: %s: %s\n", argv[optind],
			strerror(-ret));
		return 1;
	}
	ret = wafer_image_parse(data, len, &img, err, sizeof(err));
	free(data);
	if (ret) {
		fprintf(stderr, "wse-objdump: %s: %s\n", argv[optind], err);
		return 1;
	}
	if (dump_init(&d, img, argv[optind])) {
		fprintf(stderr, "wse-objdump: out of memory\n");
		return 1;
	}
	if (want & 64) {
		dump_source(&d, stdout);
	} else {
		if (!want)
			want = 63;
		if (want & 1)
			print_header(&d);
		if (want & 2)
			print_layout(&d);
		if (want & 4)
			print_routes(&d);
		if (want & 8)
			print_consts(&d);
		if ((want & 8) && d.img->ntasks)
			print_tasks(&d);
		if (want & 16)
			print_symbols(&d);
		if (want & 32)
			print_disasm(&d);
	}
	dump_fini(&d);
	wafer_image_free(img);
	return fflush(stdout) ? 1 : 0;
}
