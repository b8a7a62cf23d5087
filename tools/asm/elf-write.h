/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * elf-write.h - write an ELF64 little-endian ET_EXEC file from a list of
 * sections. Knows nothing of wse beyond the machine number it is given;
 * the assembler decides what the sections hold.
 */
#ifndef WSE_ELF_WRITE_H
#define WSE_ELF_WRITE_H

#include <stddef.h>
#include <stdint.h>

struct elf_section {
	const char *name;
	uint32_t type;		/* SHT_* */
	uint64_t flags;		/* SHF_* */
	uint64_t addr;
	const void *data;	/* NULL for SHT_NOBITS */
	uint64_t size;
	uint32_t link;		/* ELF section index (1 = first of the list) */
	uint32_t info;
	uint64_t align;
	uint64_t entsize;
};

/* A string table that stores each distinct string once. */
struct elf_strtab {
	char *buf;
	size_t len, cap;
	uint32_t *slots;	/* hash of offsets + 1, 0 = empty */
	size_t nslots, used;
};

int elf_strtab_init(struct elf_strtab *st);
/* Offset of s in the table, or UINT32_MAX when out of memory. */
uint32_t elf_strtab_add(struct elf_strtab *st, const char *s);
void elf_strtab_fini(struct elf_strtab *st);

/* Fill one 24-byte Elf64_Sym. */
void elf_sym_put(uint8_t *dst, uint32_t name, uint8_t info, uint16_t shndx,
		 uint64_t value, uint64_t size);
void elf_put16(uint8_t *p, uint16_t v);
void elf_put32(uint8_t *p, uint32_t v);
void elf_put64(uint8_t *p, uint64_t v);

/*
 * Lay out header, section contents (8-byte aligned) and section headers,
 * append .shstrtab as the last section. *out is malloc'ed. Returns 0 or
 * -ENOMEM.
 */
int elf_write(uint16_t machine, const struct elf_section *secs, unsigned n,
	      void **out, size_t *len);

#endif /* WSE_ELF_WRITE_H */
