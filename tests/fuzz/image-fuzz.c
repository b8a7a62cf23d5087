// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * image-fuzz.c - libFuzzer harness for the image parser (image.c).
 *
 * The parser takes guest bytes in the QEMU device, so any input must give
 * 0 or -EINVAL without a crash, a hang or an out-of-bounds read (ASan and
 * UBSan watch for those). When it accepts an image, every promise of
 * image.h is checked here, because the loader relies on them unchecked.
 *
 *   make fuzz-image FUZZ_SECONDS=600
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wafer-abi.h"
#include "image.h"
#include "isa-names.h"

#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)

static void check_image(const struct wafer_image *img)
{
	CHECK(img->ngroups >= 1 && img->nrects >= 1);
	CHECK(img->sram_bytes % 4096 == 0 && img->sram_bytes);
	CHECK(img->extent_w <= WAFER_MAX_WIDTH && img->extent_h <= WAFER_MAX_HEIGHT);
	for (uint32_t g = 0; g < img->ngroups; g++)
		CHECK(img->groups[g].name && img->groups[g].name[0]);
	for (uint32_t i = 0; i < img->nrects; i++) {
		const struct wafer_image_rect *r = &img->rects[i];

		CHECK(r->group < img->ngroups && r->w && r->h);
		CHECK(r->x + r->w <= img->extent_w && r->y + r->h <= img->extent_h);
		for (uint32_t j = 0; j < i; j++) {
			const struct wafer_image_rect *o = &img->rects[j];

			CHECK(!(r->x < o->x + o->w && o->x < r->x + r->w &&
				r->y < o->y + o->h && o->y < r->y + r->h));
		}
	}
	for (uint32_t i = 0; i < img->nsegments; i++) {
		const struct wafer_image_segment *s = &img->segments[i];

		CHECK(s->group < img->ngroups && s->size);
		CHECK((uint64_t)s->addr + s->size <= img->sram_bytes);
		CHECK((s->data == NULL) == (s->kind == WAFER_SEG_BSS));
		if (s->data) {
			/* inside the owned copy of the file */
			CHECK(s->data >= img->blob &&
			      s->data + s->size <= img->blob + img->blob_len);
		}
		if (s->kind == WAFER_SEG_CODE) {
			char buf[128];

			CHECK(s->size % 8 == 0);
			for (uint32_t o = 0; o < s->size; o += 8) {
				uint64_t w;

				memcpy(&w, s->data + o, 8);
				isa_disasm(w, buf, sizeof(buf), NULL, NULL);
				CHECK(memchr(buf, '\0', sizeof(buf)));
			}
		}
	}
	for (uint32_t i = 0; i < img->nroutes; i++) {
		const struct wafer_image_route *r = &img->routes[i];

		CHECK(r->color < WAFER_COLORS && r->rx <= WAFER_PORT_ALL &&
		      r->tx <= WAFER_PORT_ALL);
		CHECK(r->w && r->h && r->x + r->w <= img->extent_w &&
		      r->y + r->h <= img->extent_h);
	}
	for (uint32_t i = 0; i < img->nconsts; i++) {
		const struct wafer_image_const *c = &img->consts[i];

		CHECK(c->group < img->ngroups && c->addr % 4 == 0);
		CHECK((uint64_t)c->addr + 4 <= img->sram_bytes);
	}
	for (uint32_t i = 0; i < img->nsymbols; i++) {
		const struct wafer_image_symbol *s = &img->symbols[i];
		struct wafer_symbol ws;
		int any = 0;

		CHECK(s->name && s->entry);
		CHECK(wafer_image_symbol_at(img, i, &ws) == 0 && ws.index == i);
		CHECK(wafer_image_symbol_find(img, s->name, &ws) == 0);
		for (uint32_t g = 0; g < img->ngroups; g++) {
			if (s->entry[g] == WAFER_NO_ENTRY)
				continue;
			any = 1;
			CHECK(s->entry[g] < img->sram_bytes);
			if (s->kind == WAFER_SYM_FUNCTION)
				CHECK(s->entry[g] % 8 == 0);
			else
				CHECK(s->entry[g] == s->addr &&
				      (uint64_t)s->addr + s->size <= img->sram_bytes);
		}
		CHECK(any);
	}
	for (uint32_t i = 0; i < img->nlabels; i++)
		CHECK(img->labels[i].segment < img->nsegments &&
		      img->labels[i].name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wafer_image *img = NULL;
	char err[256];
	int ret = wafer_image_parse(data, size, &img, err, sizeof(err));

	CHECK(ret == 0 || ret == -EINVAL || ret == -ENOMEM);
	CHECK(memchr(err, '\0', sizeof(err)));
	if (!ret) {
		check_image(img);
		wafer_image_free(img);
	} else {
		CHECK(img == NULL && err[0]);
	}
	return 0;
}
