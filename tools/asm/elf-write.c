// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * elf-write.c - the ELF writer of the assembler: header, contents and
 * section headers of an ELF64 LSB executable, byte by byte so that the
 * output does not depend on the host's struct layout or endianness.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "elf-write.h"
#include "image-elf.h"

void elf_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

void elf_put32(uint8_t *p, uint32_t v)
{
	elf_put16(p, (uint16_t)v);
	elf_put16(p + 2, (uint16_t)(v >> 16));
}

void elf_put64(uint8_t *p, uint64_t v)
{
	elf_put32(p, (uint32_t)v);
	elf_put32(p + 4, (uint32_t)(v >> 32));
}

static size_t str_hash(const char *s)
{
	size_t h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

int elf_strtab_init(struct elf_strtab *st)
{
	memset(st, 0, sizeof(*st));
	st->cap = 256;
	st->buf = malloc(st->cap);
	st->nslots = 256;
	st->slots = calloc(st->nslots, sizeof(*st->slots));
	if (!st->buf || !st->slots) {
		elf_strtab_fini(st);
		return -ENOMEM;
	}
	st->buf[0] = '\0';	/* offset 0 is the empty string */
	st->len = 1;
	return 0;
}

static int rehash(struct elf_strtab *st)
{
	size_t n = st->nslots * 2;
	uint32_t *v = calloc(n, sizeof(*v));

	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < st->nslots; i++) {
		size_t h;

		if (!st->slots[i])
			continue;
		h = str_hash(st->buf + st->slots[i] - 1) % n;
		while (v[h])
			h = (h + 1) % n;
		v[h] = st->slots[i];
	}
	free(st->slots);
	st->slots = v;
	st->nslots = n;
	return 0;
}

uint32_t elf_strtab_add(struct elf_strtab *st, const char *s)
{
	size_t n = strlen(s), h;
	uint32_t off;

	if (!n)
		return 0;
	if (st->used * 2 >= st->nslots && rehash(st))
		return UINT32_MAX;
	for (h = str_hash(s) % st->nslots; st->slots[h];
	     h = (h + 1) % st->nslots)
		if (!strcmp(st->buf + st->slots[h] - 1, s))
			return st->slots[h] - 1;
	if (st->len + n + 1 > st->cap) {
		size_t cap = (st->len + n + 1) * 2;
		char *b = realloc(st->buf, cap);

		if (!b)
			return UINT32_MAX;
		st->buf = b;
		st->cap = cap;
	}
	off = (uint32_t)st->len;
	memcpy(st->buf + off, s, n + 1);
	st->len += n + 1;
	st->slots[h] = off + 1;
	st->used++;
	return off;
}

void elf_strtab_fini(struct elf_strtab *st)
{
	free(st->buf);
	free(st->slots);
	memset(st, 0, sizeof(*st));
}

void elf_sym_put(uint8_t *dst, uint32_t name, uint8_t info, uint16_t shndx,
		 uint64_t value, uint64_t size)
{
	memset(dst, 0, WSE_ELF_SYM_SIZE);
	elf_put32(dst + WSE_ST_NAME, name);
	dst[WSE_ST_INFO] = info;
	elf_put16(dst + WSE_ST_SHNDX, shndx);
	elf_put64(dst + WSE_ST_VALUE, value);
	elf_put64(dst + WSE_ST_SIZE, size);
}

static uint64_t align8(uint64_t v)
{
	return (v + 7) & ~(uint64_t)7;
}

int elf_write(uint16_t machine, const struct elf_section *secs, unsigned n,
	      void **out, size_t *len)
{
	unsigned shnum = n + 2;		/* null section, list, .shstrtab */
	struct elf_strtab shs;
	uint32_t *names = calloc(n + 1, sizeof(*names));
	uint64_t *offs = calloc(n + 1, sizeof(*offs));
	uint64_t off = WSE_ELF_EHDR_SIZE, shoff;
	uint8_t *b, *h;
	int ret = -ENOMEM;

	*out = NULL;
	if (!names || !offs || elf_strtab_init(&shs))
		goto out_free;
	for (unsigned i = 0; i < n; i++) {
		names[i] = elf_strtab_add(&shs, secs[i].name);
		if (names[i] == UINT32_MAX)
			goto out_fini;
	}
	names[n] = elf_strtab_add(&shs, WSE_SEC_SHSTRTAB);
	if (names[n] == UINT32_MAX)
		goto out_fini;
	for (unsigned i = 0; i < n; i++) {
		off = align8(off);
		offs[i] = off;
		if (secs[i].type != WSE_SHT_NOBITS)
			off += secs[i].size;
	}
	offs[n] = off;
	off += shs.len;
	shoff = align8(off);
	*len = shoff + (uint64_t)shnum * WSE_ELF_SHDR_SIZE;
	b = calloc(1, *len);
	if (!b)
		goto out_fini;

	memcpy(b, "\177ELF", 4);
	b[WSE_EI_CLASS] = WSE_ELFCLASS64;
	b[WSE_EI_DATA] = WSE_ELFDATA2LSB;
	b[WSE_EI_VERSION] = WSE_EV_CURRENT;
	elf_put16(b + WSE_EH_TYPE, WSE_ET_EXEC);
	elf_put16(b + WSE_EH_MACHINE, machine);
	elf_put32(b + WSE_EH_VERSION, WSE_EV_CURRENT);
	elf_put64(b + WSE_EH_SHOFF, shoff);
	elf_put16(b + WSE_EH_EHSIZE, WSE_ELF_EHDR_SIZE);
	elf_put16(b + WSE_EH_SHENTSIZE, WSE_ELF_SHDR_SIZE);
	elf_put16(b + WSE_EH_SHNUM, (uint16_t)shnum);
	elf_put16(b + WSE_EH_SHSTRNDX, (uint16_t)(shnum - 1));

	for (unsigned i = 0; i <= n; i++) {
		const struct elf_section *s = i < n ? &secs[i] : NULL;

		h = b + shoff + (uint64_t)(i + 1) * WSE_ELF_SHDR_SIZE;
		elf_put32(h + WSE_SH_NAME, names[i]);
		elf_put64(h + WSE_SH_OFFSET, offs[i]);
		if (!s) {
			elf_put32(h + WSE_SH_TYPE, WSE_SHT_STRTAB);
			elf_put64(h + WSE_SH_SIZE, shs.len);
			elf_put64(h + WSE_SH_ADDRALIGN, 1);
			memcpy(b + offs[i], shs.buf, shs.len);
			continue;
		}
		elf_put32(h + WSE_SH_TYPE, s->type);
		elf_put64(h + WSE_SH_FLAGS, s->flags);
		elf_put64(h + WSE_SH_ADDR, s->addr);
		elf_put64(h + WSE_SH_SIZE, s->size);
		elf_put32(h + WSE_SH_LINK, s->link);
		elf_put32(h + WSE_SH_INFO, s->info);
		elf_put64(h + WSE_SH_ADDRALIGN, s->align);
		elf_put64(h + WSE_SH_ENTSIZE, s->entsize);
		if (s->type != WSE_SHT_NOBITS && s->size)
			memcpy(b + offs[i], s->data, s->size);
	}
	*out = b;
	ret = 0;
out_fini:
	elf_strtab_fini(&shs);
out_free:
	free(names);
	free(offs);
	return ret;
}
