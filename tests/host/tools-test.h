/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tools-test.h - helpers shared by the image and assembler host tests
 * (image-*.c, asm-*.c): assemble a string, read a file, find a section
 * of an image to corrupt it, compare the first diagnostic line.
 */
#ifndef WSE_TOOLS_TEST_H
#define WSE_TOOLS_TEST_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wse-asm.h"
#include "wafer-abi.h"
#include "image.h"
#include "image-elf.h"

#define TT_ERR_BYTES 8192

/* Assemble src as "t.s"; returns the wse_asm_buffer() result. */
static inline int tt_asm(const char *src, void **img, size_t *len,
			 char *err)
{
	return wse_asm_buffer("t.s", src, strlen(src), NULL, img, len, err,
			      TT_ERR_BYTES);
}

/* The first line of a diagnostic buffer, without its newline. */
static inline const char *tt_first_line(const char *err)
{
	static char line[1024];
	size_t n = strcspn(err, "\n");

	if (n >= sizeof(line))
		n = sizeof(line) - 1;
	memcpy(line, err, n);
	line[n] = '\0';
	return line;
}

static inline void *tt_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 1 << 16, n = 0, got;
	char *b = malloc(cap + 1);

	if (!f || !b) {
		if (f)
			fclose(f);
		free(b);
		return NULL;
	}
	while ((got = fread(b + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			char *nb = realloc(b, 2 * cap + 1);

			if (!nb)
				break;
			b = nb;
			cap *= 2;
		}
	}
	fclose(f);
	b[n] = '\0';
	*len = n;
	return b;
}

static inline uint64_t tt_le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

static inline void tt_put(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* Section header of the section called name, or NULL. */
static inline uint8_t *tt_shdr(uint8_t *img, const char *name,
			       unsigned *index)
{
	uint64_t shoff = tt_le(img + WSE_EH_SHOFF, 8);
	unsigned shnum = (unsigned)tt_le(img + WSE_EH_SHNUM, 2);
	unsigned shstr = (unsigned)tt_le(img + WSE_EH_SHSTRNDX, 2);
	uint8_t *sh = img + shoff + (uint64_t)shstr * WSE_ELF_SHDR_SIZE;
	const char *names = (const char *)img + tt_le(sh + WSE_SH_OFFSET, 8);

	for (unsigned i = 1; i < shnum; i++) {
		uint8_t *h = img + shoff + (uint64_t)i * WSE_ELF_SHDR_SIZE;

		if (!strcmp(names + tt_le(h + WSE_SH_NAME, 4), name)) {
			if (index)
				*index = i;
			return h;
		}
	}
	return NULL;
}

/* Contents of the section called name. */
static inline uint8_t *tt_sdata(uint8_t *img, const char *name)
{
	uint8_t *h = tt_shdr(img, name, NULL);

	return h ? img + tt_le(h + WSE_SH_OFFSET, 8) : NULL;
}

#endif /* WSE_TOOLS_TEST_H */
