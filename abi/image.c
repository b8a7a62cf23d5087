// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * image.c - parse and validate a wse kernel image.
 *
 * The bytes come from an untrusted guest (through the QEMU device) or from
 * a file, so nothing is trusted: every offset is checked against the file
 * size before it is read, every count is capped before anything is
 * allocated, arithmetic on file values is done in 64 bits (inputs are at
 * most 32 bits wide, so sums cannot wrap), and all reads go through the
 * le*() helpers on an owned copy. What comes out (struct wafer_image) has
 * every index and range checked, so the loader, the runtime and the tools
 * use it without checking again. Documentation/wse/image-format.rst lists
 * each rule; the messages below name the section and record at fault.
 *
 * Standalone C: only wafer.h, image.h, image-elf.h and libc, because the
 * QEMU device, libwafer, libwse and the tools all link it.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wafer-abi.h"
#include "image.h"
#include "image-elf.h"
#include "isa.h"

#define NO_SEC	0xffffu

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

struct img_sec {
	uint32_t name, type, link, info;
	uint64_t flags, addr, off, size, align, entsize;
	const char *nm;		/* validated name, NULL before that */
	int seg;		/* index in img->segments, or -1 */
	int group, kind;	/* owner from .wse.groups, or -1 */
};

struct parser {
	const uint8_t *d;	/* the image's owned copy */
	size_t len;
	char *err;
	size_t errlen;
	unsigned shnum;
	struct img_sec *secs;
	/* indexes of the named sections, NO_SEC when absent */
	unsigned shstrtab, strtab, symtab, info, groups, layout, routes,
		 consts, symattr, tasks, switches;
	uint32_t nsyms;		/* entries in .symtab, including the null */
	int *group_seg;		/* [group * 3 + kind] segment index or -1 */
	struct wafer_image *img;
};

static int fail(struct parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int fail(struct parser *p, const char *fmt, ...)
{
	va_list ap;

	if (p->err && p->errlen) {
		va_start(ap, fmt);
		vsnprintf(p->err, p->errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static int fail_nomem(struct parser *p)
{
	if (p->err && p->errlen)
		snprintf(p->err, p->errlen, "out of memory");
	return -ENOMEM;
}

static uint16_t le16(const uint8_t *b)
{
	return (uint16_t)(b[0] | b[1] << 8);
}

static uint32_t le32(const uint8_t *b)
{
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 |
	       (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static uint64_t le64(const uint8_t *b)
{
	return (uint64_t)le32(b) | (uint64_t)le32(b + 4) << 32;
}

/* Does [off, off + size) lie inside a buffer of len bytes? */
static int in_range(uint64_t off, uint64_t size, uint64_t len)
{
	return off <= len && size <= len - off;
}

static int is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

/* The name of section i for messages: its own once validated. */
static const char *sec_name(struct parser *p, unsigned i, char *buf,
			    size_t n)
{
	if (i < p->shnum && p->secs[i].nm)
		return p->secs[i].nm;
	snprintf(buf, n, "[%u]", i);
	return buf;
}

/*
 * A string of a string table: off must lie inside it and the table ends in
 * a NUL (checked when the table is accepted), so it is terminated. Names
 * are printable ASCII without blanks, 1..WSE_IMAGE_MAX_NAME bytes.
 */
static const char *str_at(struct parser *p, unsigned tab, uint32_t off,
			  const char **why)
{
	const struct img_sec *s = &p->secs[tab];
	const char *str;
	size_t n;

	if (off >= s->size) {
		*why = "name offset out of the string table";
		return NULL;
	}
	str = (const char *)p->d + s->off + off;
	n = strnlen(str, s->size - off);
	if (n == s->size - off) {
		*why = "name not NUL-terminated";
		return NULL;
	}
	if (n == 0) {
		*why = "empty name";
		return NULL;
	}
	if (n > WSE_IMAGE_MAX_NAME) {
		*why = "name longer than 255 bytes";
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		if (str[i] <= 0x20 || str[i] >= 0x7f) {
			*why = "name has a byte outside printable ASCII";
			return NULL;
		}
	}
	return str;
}

/* Symbol and group names must be identifiers the assembler can read back. */
static int is_ident(const char *s)
{
	if (!(s[0] == '_' || s[0] == '.' || s[0] == '$' ||
	      (s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
		return 0;
	for (; *s; s++) {
		char c = *s;

		if (!(c == '_' || c == '.' || c == '$' ||
		      (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9')))
			return 0;
	}
	return 1;
}

static int parse_ehdr(struct parser *p, uint64_t *shoff)
{
	static const uint8_t magic[4] = { 0x7f, 'E', 'L', 'F' };
	const uint8_t *d = p->d;
	uint64_t phoff;
	unsigned phnum, shstrndx;

	if (p->len < WSE_ELF_EHDR_SIZE)
		return fail(p, "file too short for an ELF header: %zu bytes",
			    p->len);
	if (memcmp(d, magic, 4))
		return fail(p, "bad ELF magic");
	if (d[WSE_EI_CLASS] != WSE_ELFCLASS64)
		return fail(p, "ELF class %u is not ELFCLASS64",
			    d[WSE_EI_CLASS]);
	if (d[WSE_EI_DATA] != WSE_ELFDATA2LSB)
		return fail(p, "ELF data encoding %u is not little-endian",
			    d[WSE_EI_DATA]);
	if (d[WSE_EI_VERSION] != WSE_EV_CURRENT)
		return fail(p, "ELF ident version %u is not 1",
			    d[WSE_EI_VERSION]);
	if (d[WSE_EI_OSABI] || d[WSE_EI_ABIVERSION])
		return fail(p, "ELF OS ABI %u version %u: must be 0 0",
			    d[WSE_EI_OSABI], d[WSE_EI_ABIVERSION]);
	for (unsigned i = WSE_EI_ABIVERSION + 1; i < WSE_EI_NIDENT; i++)
		if (d[i])
			return fail(p, "ELF ident padding byte %u not zero", i);
	if (le16(d + WSE_EH_TYPE) != WSE_ET_EXEC)
		return fail(p, "ELF type %u is not ET_EXEC",
			    le16(d + WSE_EH_TYPE));
	if (le16(d + WSE_EH_MACHINE) != WSE_EM_WAFER)
		return fail(p, "ELF machine 0x%x is not 0x%x (wse)",
			    le16(d + WSE_EH_MACHINE), WSE_EM_WAFER);
	if (le32(d + WSE_EH_VERSION) != WSE_EV_CURRENT)
		return fail(p, "ELF version %u is not 1",
			    le32(d + WSE_EH_VERSION));
	if (le64(d + WSE_EH_ENTRY))
		return fail(p, "ELF entry must be 0 (entries are symbols)");
	if (le32(d + WSE_EH_FLAGS))
		return fail(p, "ELF flags 0x%x must be 0",
			    le32(d + WSE_EH_FLAGS));
	if (le16(d + WSE_EH_EHSIZE) != WSE_ELF_EHDR_SIZE)
		return fail(p, "ELF header size %u is not 64",
			    le16(d + WSE_EH_EHSIZE));

	phoff = le64(d + WSE_EH_PHOFF);
	phnum = le16(d + WSE_EH_PHNUM);
	if (phnum) {
		/* Program headers are allowed but carry nothing for us. */
		if (le16(d + WSE_EH_PHENTSIZE) != WSE_ELF_PHDR_SIZE)
			return fail(p, "program header size %u is not 56",
				    le16(d + WSE_EH_PHENTSIZE));
		if (!in_range(phoff, (uint64_t)phnum * WSE_ELF_PHDR_SIZE,
			      p->len))
			return fail(p, "program headers (offset 0x%llx, %u entries) outside the file",
				    (unsigned long long)phoff, phnum);
	} else if (phoff) {
		return fail(p, "program header offset 0x%llx without program headers",
			    (unsigned long long)phoff);
	}

	if (le16(d + WSE_EH_SHENTSIZE) != WSE_ELF_SHDR_SIZE)
		return fail(p, "section header size %u is not 64",
			    le16(d + WSE_EH_SHENTSIZE));
	p->shnum = le16(d + WSE_EH_SHNUM);
	if (p->shnum == 0)
		return fail(p, "no section headers");
	if (p->shnum > WSE_IMAGE_MAX_SECTIONS)
		return fail(p, "%u sections: more than %u", p->shnum,
			    WSE_IMAGE_MAX_SECTIONS);
	*shoff = le64(d + WSE_EH_SHOFF);
	if (*shoff % 8)
		return fail(p, "section header offset 0x%llx not 8-aligned",
			    (unsigned long long)*shoff);
	if (!in_range(*shoff, (uint64_t)p->shnum * WSE_ELF_SHDR_SIZE, p->len))
		return fail(p, "section headers (offset 0x%llx, %u entries) outside the file",
			    (unsigned long long)*shoff, p->shnum);
	shstrndx = le16(d + WSE_EH_SHSTRNDX);
	if (shstrndx == 0 || shstrndx >= p->shnum)
		return fail(p, "section name table index %u out of range 1..%u",
			    shstrndx, p->shnum - 1);
	p->shstrtab = shstrndx;
	return 0;
}

/* A string table must end in NUL and start with the empty string. */
static int check_strtab(struct parser *p, unsigned i)
{
	const struct img_sec *s = &p->secs[i];
	char buf[16];

	if (s->type != WSE_SHT_STRTAB)
		return fail(p, "section %s: type %u is not SHT_STRTAB",
			    sec_name(p, i, buf, sizeof(buf)), s->type);
	if (s->size == 0 || p->d[s->off] || p->d[s->off + s->size - 1])
		return fail(p, "section %s: string table must start and end with NUL",
			    sec_name(p, i, buf, sizeof(buf)));
	return 0;
}

static unsigned *named_slot(struct parser *p, const char *nm)
{
	static const struct {
		const char *name;
		size_t off;
	} known[] = {
		{ WSE_SEC_SHSTRTAB, offsetof(struct parser, shstrtab) },
		{ WSE_SEC_STRTAB, offsetof(struct parser, strtab) },
		{ WSE_SEC_SYMTAB, offsetof(struct parser, symtab) },
		{ WSE_SEC_INFO, offsetof(struct parser, info) },
		{ WSE_SEC_GROUPS, offsetof(struct parser, groups) },
		{ WSE_SEC_LAYOUT, offsetof(struct parser, layout) },
		{ WSE_SEC_ROUTES, offsetof(struct parser, routes) },
		{ WSE_SEC_CONSTS, offsetof(struct parser, consts) },
		{ WSE_SEC_SYMATTR, offsetof(struct parser, symattr) },
		{ WSE_SEC_TASKS, offsetof(struct parser, tasks) },
		{ WSE_SEC_SWITCHES, offsetof(struct parser, switches) },
	};

	for (size_t i = 0; i < ARRAY_SIZE(known); i++)
		if (!strcmp(nm, known[i].name))
			return (unsigned *)((char *)p + known[i].off);
	return NULL;
}

static int parse_shdrs(struct parser *p, uint64_t shoff)
{
	unsigned shstrndx = p->shstrtab;
	const char *why;

	p->secs = calloc(p->shnum, sizeof(*p->secs));
	if (!p->secs)
		return fail_nomem(p);
	for (unsigned i = 0; i < p->shnum; i++) {
		const uint8_t *h = p->d + shoff + (uint64_t)i * WSE_ELF_SHDR_SIZE;
		struct img_sec *s = &p->secs[i];

		s->name = le32(h + WSE_SH_NAME);
		s->type = le32(h + WSE_SH_TYPE);
		s->flags = le64(h + WSE_SH_FLAGS);
		s->addr = le64(h + WSE_SH_ADDR);
		s->off = le64(h + WSE_SH_OFFSET);
		s->size = le64(h + WSE_SH_SIZE);
		s->link = le32(h + WSE_SH_LINK);
		s->info = le32(h + WSE_SH_INFO);
		s->align = le64(h + WSE_SH_ADDRALIGN);
		s->entsize = le64(h + WSE_SH_ENTSIZE);
		s->seg = -1;
		s->group = -1;
		s->kind = -1;
		if (i == 0) {
			for (unsigned b = 0; b < WSE_ELF_SHDR_SIZE; b++)
				if (h[b])
					return fail(p, "section [0]: null section header not all zero");
			continue;
		}
		if (s->type != WSE_SHT_PROGBITS && s->type != WSE_SHT_SYMTAB &&
		    s->type != WSE_SHT_STRTAB && s->type != WSE_SHT_NOBITS)
			return fail(p, "section [%u]: type %u not supported",
				    i, s->type);
		if (s->type != WSE_SHT_NOBITS &&
		    !in_range(s->off, s->size, p->len))
			return fail(p, "section [%u]: contents (offset 0x%llx, size 0x%llx) outside the file",
				    i, (unsigned long long)s->off,
				    (unsigned long long)s->size);
		if (s->align > 1 && !is_pow2(s->align))
			return fail(p, "section [%u]: alignment %llu not a power of two",
				    i, (unsigned long long)s->align);
	}

	p->shstrtab = NO_SEC;
	if (check_strtab(p, shstrndx))
		return -EINVAL;
	p->shstrtab = shstrndx;
	p->strtab = p->symtab = p->info = p->groups = p->layout = NO_SEC;
	p->routes = p->consts = p->symattr = p->tasks = p->switches = NO_SEC;

	for (unsigned i = 1; i < p->shnum; i++) {
		struct img_sec *s = &p->secs[i];
		const char *nm = str_at(p, shstrndx, s->name, &why);
		unsigned *slot;

		if (!nm)
			return fail(p, "section [%u]: %s", i, why);
		slot = named_slot(p, nm);
		if (slot) {
			if (*slot != NO_SEC && *slot != i)
				return fail(p, "section [%u]: second section named %s",
					    i, nm);
			if (i != shstrndx && !strcmp(nm, WSE_SEC_SHSTRTAB))
				return fail(p, "section [%u]: %s is not the section name table (e_shstrndx %u)",
					    i, nm, shstrndx);
			*slot = i;
		} else if (!strncmp(nm, WSE_SEC_PREFIX,
				    strlen(WSE_SEC_PREFIX))) {
			return fail(p, "section [%u]: unknown section %s",
				    i, nm);
		}
		s->nm = nm;
	}
	if (strcmp(p->secs[shstrndx].nm, WSE_SEC_SHSTRTAB))
		return fail(p, "section [%u]: the section name table is named %s, not %s",
			    shstrndx, p->secs[shstrndx].nm, WSE_SEC_SHSTRTAB);
	return 0;
}

/* A metadata section, if present: not loaded, of its type and record size. */
static int check_meta(struct parser *p, unsigned i, uint32_t type,
		      uint64_t entsize)
{
	const struct img_sec *s;

	if (i == NO_SEC)
		return 0;	/* required ones were checked before */
	s = &p->secs[i];
	if (s->type != type)
		return fail(p, "section %s: type %u, expected %u",
			    s->nm, s->type, type);
	if (s->flags)
		return fail(p, "section %s: flags 0x%llx must be 0",
			    s->nm, (unsigned long long)s->flags);
	if (s->addr)
		return fail(p, "section %s: address must be 0", s->nm);
	if (entsize && s->entsize != entsize)
		return fail(p, "section %s: entry size %llu, expected %llu",
			    s->nm, (unsigned long long)s->entsize,
			    (unsigned long long)entsize);
	if (entsize && s->size % entsize)
		return fail(p, "section %s: size %llu not a multiple of %llu",
			    s->nm, (unsigned long long)s->size,
			    (unsigned long long)entsize);
	return 0;
}

static int parse_meta(struct parser *p)
{
	static const struct {
		size_t slot;
		uint32_t type;
		uint64_t entsize;
	} metas[] = {
		{ offsetof(struct parser, info), WSE_SHT_PROGBITS, 0 },
		{ offsetof(struct parser, groups), WSE_SHT_PROGBITS, WSE_GROUP_SIZE },
		{ offsetof(struct parser, layout), WSE_SHT_PROGBITS, WSE_RECT_SIZE },
		{ offsetof(struct parser, routes), WSE_SHT_PROGBITS, WSE_ROUTE_SIZE },
		{ offsetof(struct parser, consts), WSE_SHT_PROGBITS, WSE_CONST_SIZE },
		{ offsetof(struct parser, symtab), WSE_SHT_SYMTAB, WSE_ELF_SYM_SIZE },
		{ offsetof(struct parser, symattr), WSE_SHT_PROGBITS, WSE_SYMATTR_SIZE },
		{ offsetof(struct parser, strtab), WSE_SHT_STRTAB, 0 },
		{ offsetof(struct parser, shstrtab), WSE_SHT_STRTAB, 0 },
		{ offsetof(struct parser, tasks), WSE_SHT_PROGBITS, WSE_TASK_SIZE },
		{ offsetof(struct parser, switches), WSE_SHT_PROGBITS, WSE_SWITCH_SIZE },
	};
	static const char *const required[] = {
		WSE_SEC_INFO, WSE_SEC_GROUPS, WSE_SEC_LAYOUT, WSE_SEC_SYMTAB,
		WSE_SEC_STRTAB, WSE_SEC_SYMATTR,
	};
	struct wafer_image *img = p->img;
	const struct img_sec *s;
	const uint8_t *b;
	int ret;

	for (size_t i = 0; i < ARRAY_SIZE(required); i++)
		if (*named_slot(p, required[i]) == NO_SEC)
			return fail(p, "section %s missing", required[i]);

	for (size_t i = 0; i < ARRAY_SIZE(metas); i++) {
		ret = check_meta(p, *(unsigned *)((char *)p + metas[i].slot),
				 metas[i].type, metas[i].entsize);
		if (ret)
			return ret;
	}
	ret = check_strtab(p, p->strtab);
	if (ret)
		return ret;

	/* .wse.info */
	s = &p->secs[p->info];
	if (s->size != WSE_INFO_SIZE)
		return fail(p, "section %s: size %llu, expected %u", s->nm,
			    (unsigned long long)s->size, WSE_INFO_SIZE);
	b = p->d + s->off;
	if (le32(b) < WSE_INFO_VERSION_MIN || le32(b) > WSE_INFO_VERSION)
		return fail(p, "section %s: format version %u not supported (expected %u..%u)",
			    s->nm, le32(b), WSE_INFO_VERSION_MIN,
			    WSE_INFO_VERSION);
	img->version = le32(b);
	if (img->version < 2 && (p->tasks != NO_SEC || p->switches != NO_SEC))
		return fail(p, "section %s: needs format version 2, the image is version %u",
			    p->tasks != NO_SEC ? WSE_SEC_TASKS : WSE_SEC_SWITCHES,
			    img->version);
	img->sram_bytes = le32(b + 4);
	if (img->sram_bytes < 4096 || img->sram_bytes % 4096 ||
	    img->sram_bytes > WSE_IMAGE_MAX_SRAM)
		return fail(p, "section %s: SRAM size %u not a multiple of 4096 in 4096..%u",
			    s->nm, img->sram_bytes, WSE_IMAGE_MAX_SRAM);
	if (le32(b + 8) || le32(b + 12))
		return fail(p, "section %s: flags and reserved words must be 0",
			    s->nm);

	/* .symtab links .strtab; .wse.symattr and .wse.groups follow it */
	s = &p->secs[p->symtab];
	if (s->link != p->strtab)
		return fail(p, "section %s: link %u is not %s", s->nm, s->link,
			    WSE_SEC_STRTAB);
	if (s->size / WSE_ELF_SYM_SIZE == 0)
		return fail(p, "section %s: no null symbol", s->nm);
	if (s->size / WSE_ELF_SYM_SIZE > WSE_IMAGE_MAX_SYMBOLS + 1ull)
		return fail(p, "section %s: %llu symbols, more than %u", s->nm,
			    (unsigned long long)(s->size / WSE_ELF_SYM_SIZE),
			    WSE_IMAGE_MAX_SYMBOLS);
	p->nsyms = (uint32_t)(s->size / WSE_ELF_SYM_SIZE);
	if (s->info == 0 || s->info > p->nsyms)
		return fail(p, "section %s: first global index %u out of range 1..%u",
			    s->nm, s->info, p->nsyms);
	s = &p->secs[p->symattr];
	if (s->link != p->symtab)
		return fail(p, "section %s: link %u is not %s", s->nm, s->link,
			    WSE_SEC_SYMTAB);
	if (s->size / WSE_SYMATTR_SIZE != p->nsyms)
		return fail(p, "section %s: %llu records for %u symbols", s->nm,
			    (unsigned long long)(s->size / WSE_SYMATTR_SIZE),
			    p->nsyms);
	s = &p->secs[p->groups];
	if (s->link != p->strtab)
		return fail(p, "section %s: link %u is not %s", s->nm, s->link,
			    WSE_SEC_STRTAB);
	return 0;
}

static const char *const seg_kind_name[] = { "code", "data", "bss" };

static int parse_groups(struct parser *p)
{
	struct wafer_image *img = p->img;
	const struct img_sec *s = &p->secs[p->groups];
	uint64_t n = s->size / WSE_GROUP_SIZE;
	const char *why;

	if (n == 0 || n > WSE_IMAGE_MAX_GROUPS)
		return fail(p, "section %s: %llu groups, expected 1..%u", s->nm,
			    (unsigned long long)n, WSE_IMAGE_MAX_GROUPS);
	img->ngroups = (uint32_t)n;
	img->groups = calloc(n, sizeof(*img->groups));
	p->group_seg = malloc(n * 3 * sizeof(*p->group_seg));
	if (!img->groups || !p->group_seg)
		return fail_nomem(p);
	for (uint32_t g = 0; g < n; g++) {
		const uint8_t *r = p->d + s->off + (uint64_t)g * WSE_GROUP_SIZE;
		const char *nm = str_at(p, p->strtab, le32(r), &why);

		if (!nm)
			return fail(p, "section %s: record %u: %s", s->nm, g, why);
		if (!is_ident(nm))
			return fail(p, "section %s: record %u: group name '%s' is not an identifier",
				    s->nm, g, nm);
		if (le32(r + 16))
			return fail(p, "section %s: record %u: flags 0x%x must be 0",
				    s->nm, g, le32(r + 16));
		for (uint32_t h = 0; h < g; h++)
			if (!strcmp(img->groups[h].name, nm))
				return fail(p, "section %s: record %u: group name '%s' repeats record %u",
					    s->nm, g, nm, h);
		img->groups[g].name = nm;
		/* the group's code, data and bss sections, by index */
		for (int k = 0; k < 3; k++) {
			uint32_t idx = le32(r + 4 + 4 * k);
			struct img_sec *o;

			p->group_seg[g * 3 + k] = -1;
			if (!idx)
				continue;
			if (idx >= p->shnum)
				return fail(p, "section %s: record %u: %s section index %u out of range 1..%u",
					    s->nm, g, seg_kind_name[k], idx,
					    p->shnum - 1);
			o = &p->secs[idx];
			if (!(o->flags & WSE_SHF_ALLOC))
				return fail(p, "section %s: record %u: %s section %s is not loaded (no SHF_ALLOC)",
					    s->nm, g, seg_kind_name[k], o->nm);
			if (o->group >= 0)
				return fail(p, "section %s: record %u: section %s is already the %s section of group %s",
					    s->nm, g, o->nm, seg_kind_name[o->kind],
					    o->group < (int)g ?
					    img->groups[o->group].name : nm);
			o->group = (int)g;
			o->kind = k;
		}
	}
	return 0;
}

static int parse_segments(struct parser *p)
{
	struct wafer_image *img = p->img;
	unsigned n = 0;

	for (unsigned i = 1; i < p->shnum; i++)
		if (p->secs[i].flags & WSE_SHF_ALLOC)
			n++;
	img->segments = calloc(n ? n : 1, sizeof(*img->segments));
	if (!img->segments)
		return fail_nomem(p);

	for (unsigned i = 1; i < p->shnum; i++) {
		struct img_sec *s = &p->secs[i];
		struct wafer_image_segment *seg;
		enum wafer_segment_kind kind;
		uint64_t align;
		uint32_t g;

		if (!(s->flags & WSE_SHF_ALLOC)) {
			if (!named_slot(p, s->nm) && s->flags)
				return fail(p, "section %s: flags 0x%llx on a section that is not loaded",
					    s->nm, (unsigned long long)s->flags);
			continue;
		}
		if (named_slot(p, s->nm))
			return fail(p, "section %s: metadata section must not be SHF_ALLOC",
				    s->nm);
		if (s->group < 0)
			return fail(p, "section %s: loaded section of no group in %s",
				    s->nm, WSE_SEC_GROUPS);
		g = (uint32_t)s->group;
		kind = (enum wafer_segment_kind)s->kind;
		if (s->type != (kind == WAFER_SEG_BSS ? WSE_SHT_NOBITS :
						       WSE_SHT_PROGBITS) ||
		    s->flags != (WSE_SHF_ALLOC | (kind == WAFER_SEG_CODE ?
						  WSE_SHF_EXECINSTR :
						  WSE_SHF_WRITE)))
			return fail(p, "section %s: type %u flags 0x%llx do not make a %s section (code: PROGBITS AX, data: PROGBITS WA, bss: NOBITS WA)",
				    s->nm, s->type,
				    (unsigned long long)s->flags,
				    seg_kind_name[kind]);
		if (s->link || s->info || s->entsize)
			return fail(p, "section %s: link, info and entry size must be 0",
				    s->nm);
		align = kind == WAFER_SEG_CODE ? WSE_CODE_ALIGN : WSE_DATA_ALIGN;
		if (s->size == 0)
			return fail(p, "section %s: empty", s->nm);
		if (s->addr % align || s->size % align)
			return fail(p, "section %s: address 0x%llx or size 0x%llx not a multiple of %llu",
				    s->nm, (unsigned long long)s->addr,
				    (unsigned long long)s->size,
				    (unsigned long long)align);
		if (s->align > 1 && s->addr % s->align)
			return fail(p, "section %s: address 0x%llx not aligned to its sh_addralign %llu",
				    s->nm, (unsigned long long)s->addr,
				    (unsigned long long)s->align);
		if (!in_range(s->addr, s->size, img->sram_bytes))
			return fail(p, "section %s: SRAM range 0x%llx+0x%llx exceeds the SRAM size 0x%x",
				    s->nm, (unsigned long long)s->addr,
				    (unsigned long long)s->size,
				    img->sram_bytes);
		for (int k = 0; k < 3; k++) {
			int o = p->group_seg[g * 3 + k];
			const struct wafer_image_segment *t;

			if (o < 0)
				continue;
			t = &img->segments[o];
			if (s->addr < (uint64_t)t->addr + t->size &&
			    t->addr < s->addr + s->size)
				return fail(p, "section %s: SRAM range 0x%llx+0x%llx overlaps the %s section of group %s",
					    s->nm, (unsigned long long)s->addr,
					    (unsigned long long)s->size,
					    seg_kind_name[k],
					    img->groups[g].name);
		}
		s->seg = (int)img->nsegments;
		p->group_seg[g * 3 + kind] = s->seg;
		seg = &img->segments[img->nsegments++];
		seg->group = g;
		seg->addr = (uint32_t)s->addr;
		seg->size = (uint32_t)s->size;
		seg->kind = kind;
		seg->data = kind == WAFER_SEG_BSS ? NULL : p->d + s->off;
	}
	return 0;
}

static int parse_layout(struct parser *p)
{
	struct wafer_image *img = p->img;
	const struct img_sec *s = &p->secs[p->layout];
	uint64_t n = s->size / WSE_RECT_SIZE;
	uint32_t g;

	if (n == 0 || n > WSE_IMAGE_MAX_RECTS)
		return fail(p, "section %s: %llu rectangles, expected 1..%u",
			    s->nm, (unsigned long long)n, WSE_IMAGE_MAX_RECTS);
	img->rects = calloc(n, sizeof(*img->rects));
	if (!img->rects)
		return fail_nomem(p);
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *r = p->d + s->off + (uint64_t)i * WSE_RECT_SIZE;
		struct wafer_image_rect *rc = &img->rects[i];
		uint64_t x1, y1;

		rc->x = le32(r);
		rc->y = le32(r + 4);
		rc->w = le32(r + 8);
		rc->h = le32(r + 12);
		rc->group = le32(r + 16);
		x1 = (uint64_t)rc->x + rc->w;
		y1 = (uint64_t)rc->y + rc->h;
		if (!rc->w || !rc->h)
			return fail(p, "section %s: record %u: empty rectangle %ux%u",
				    s->nm, i, rc->w, rc->h);
		if (x1 > WAFER_MAX_WIDTH || y1 > WAFER_MAX_HEIGHT)
			return fail(p, "section %s: record %u: rectangle x %u y %u w %u h %u exceeds the %ux%u fabric",
				    s->nm, i, rc->x, rc->y, rc->w, rc->h,
				    WAFER_MAX_WIDTH, WAFER_MAX_HEIGHT);
		if (rc->group >= img->ngroups)
			return fail(p, "section %s: record %u: group %u out of range 0..%u",
				    s->nm, i, rc->group, img->ngroups - 1);
		for (uint32_t j = 0; j < i; j++) {
			const struct wafer_image_rect *o = &img->rects[j];

			if (rc->x < o->x + o->w && o->x < x1 &&
			    rc->y < o->y + o->h && o->y < y1)
				return fail(p, "section %s: record %u: rectangle x %u y %u w %u h %u overlaps record %u",
					    s->nm, i, rc->x, rc->y, rc->w,
					    rc->h, j);
		}
		if (x1 > img->extent_w)
			img->extent_w = (uint32_t)x1;
		if (y1 > img->extent_h)
			img->extent_h = (uint32_t)y1;
		img->nrects++;
	}
	for (g = 0; g < img->ngroups; g++) {
		uint32_t i;

		for (i = 0; i < img->nrects; i++)
			if (img->rects[i].group == g)
				break;
		if (i == img->nrects)
			return fail(p, "section %s: group %s is placed on no rectangle",
				    s->nm, img->groups[g].name);
	}
	return 0;
}

static int parse_routes(struct parser *p)
{
	struct wafer_image *img = p->img;
	const struct img_sec *s;
	uint64_t n;

	if (p->routes == NO_SEC)
		return 0;
	s = &p->secs[p->routes];
	n = s->size / WSE_ROUTE_SIZE;
	if (n > WSE_IMAGE_MAX_ROUTES)
		return fail(p, "section %s: %llu routes, more than %u", s->nm,
			    (unsigned long long)n, WSE_IMAGE_MAX_ROUTES);
	img->routes = calloc(n ? n : 1, sizeof(*img->routes));
	if (!img->routes)
		return fail_nomem(p);
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *r = p->d + s->off + (uint64_t)i * WSE_ROUTE_SIZE;
		struct wafer_image_route *rt = &img->routes[i];

		rt->x = le32(r);
		rt->y = le32(r + 4);
		rt->w = le32(r + 8);
		rt->h = le32(r + 12);
		if (r[16] >= WAFER_COLORS)
			return fail(p, "section %s: record %u: color %u out of range 0..%u",
				    s->nm, i, r[16], WAFER_COLORS - 1);
		if ((r[17] | r[18]) & ~WAFER_PORT_ALL)
			return fail(p, "section %s: record %u: port mask rx 0x%x tx 0x%x has bits outside 0x%x",
				    s->nm, i, r[17], r[18], WAFER_PORT_ALL);
		if (r[19] && img->version < 2)
			return fail(p, "section %s: record %u: reserved byte must be 0 in format version 1",
				    s->nm, i);
		if (r[19] >= WAFER_SWITCH_POSITIONS)
			return fail(p, "section %s: record %u: switch position %u out of range 0..%u",
				    s->nm, i, r[19], WAFER_SWITCH_POSITIONS - 1);
		if (!rt->w || !rt->h ||
		    (uint64_t)rt->x + rt->w > img->extent_w ||
		    (uint64_t)rt->y + rt->h > img->extent_h)
			return fail(p, "section %s: record %u: rectangle x %u y %u w %u h %u not inside the %ux%u layout",
				    s->nm, i, rt->x, rt->y, rt->w, rt->h,
				    img->extent_w, img->extent_h);
		rt->color = r[16];
		rt->rx = r[17];
		rt->tx = r[18];
		rt->pos = r[19];
		img->nroutes++;
	}
	return 0;
}

static int parse_switches(struct parser *p)
{
	struct wafer_image *img = p->img;
	const struct img_sec *s;
	uint64_t n;

	if (p->switches == NO_SEC)
		return 0;
	s = &p->secs[p->switches];
	n = s->size / WSE_SWITCH_SIZE;
	if (n > WSE_IMAGE_MAX_SWITCHES)
		return fail(p, "section %s: %llu records, more than %u", s->nm,
			    (unsigned long long)n, WSE_IMAGE_MAX_SWITCHES);
	img->switches = calloc(n ? n : 1, sizeof(*img->switches));
	if (!img->switches)
		return fail_nomem(p);
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *r = p->d + s->off + (uint64_t)i * WSE_SWITCH_SIZE;
		struct wafer_image_switch *sw = &img->switches[i];

		sw->x = le32(r);
		sw->y = le32(r + 4);
		sw->w = le32(r + 8);
		sw->h = le32(r + 12);
		if (r[16] >= WAFER_COLORS)
			return fail(p, "section %s: record %u: color %u out of range 0..%u",
				    s->nm, i, r[16], WAFER_COLORS - 1);
		if (r[17] & ~WAFER_SWITCH_RING)
			return fail(p, "section %s: record %u: flags 0x%x has bits outside 0x%x",
				    s->nm, i, r[17], WAFER_SWITCH_RING);
		if (le16(r + 18))
			return fail(p, "section %s: record %u: reserved bytes must be 0",
				    s->nm, i);
		if (!sw->w || !sw->h ||
		    (uint64_t)sw->x + sw->w > img->extent_w ||
		    (uint64_t)sw->y + sw->h > img->extent_h)
			return fail(p, "section %s: record %u: rectangle x %u y %u w %u h %u not inside the %ux%u layout",
				    s->nm, i, sw->x, sw->y, sw->w, sw->h,
				    img->extent_w, img->extent_h);
		sw->color = r[16];
		sw->flags = r[17];
		img->nswitches++;
	}
	return 0;
}

static int task_cmp(const void *a, const void *b)
{
	const struct wafer_image_task *x = a, *y = b;

	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static const char *const task_kind_name[] = {
	[WAFER_TASK_DATA] = "data", [WAFER_TASK_LOCAL] = "local",
	[WAFER_TASK_CONTROL] = "control",
};

/* Task tables: one record per (group, task id); see image-format.rst. */
static int parse_tasks(struct parser *p)
{
	struct wafer_image *img = p->img;
	const struct img_sec *s;
	uint64_t n;

	if (p->tasks == NO_SEC)
		return 0;
	s = &p->secs[p->tasks];
	n = s->size / WSE_TASK_SIZE;
	if (n > WSE_IMAGE_MAX_TASKS)
		return fail(p, "section %s: %llu tasks, more than %u", s->nm,
			    (unsigned long long)n, WSE_IMAGE_MAX_TASKS);
	img->tasks = calloc(n ? n : 1, sizeof(*img->tasks));
	if (!img->tasks)
		return fail_nomem(p);
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *r = p->d + s->off + (uint64_t)i * WSE_TASK_SIZE;
		struct wafer_image_task *t = &img->tasks[i];
		const struct wafer_image_segment *code;
		int cs;

		t->group = le32(r);
		t->entry = le32(r + 4);
		t->id = r[8];
		t->kind = r[9];
		t->color = r[10];
		t->prio = r[11];
		t->flags = r[12];
		if (r[13] || r[14] || r[15])
			return fail(p, "section %s: record %u: reserved bytes must be 0",
				    s->nm, i);
		if (t->group >= img->ngroups)
			return fail(p, "section %s: record %u: group %u out of range 0..%u",
				    s->nm, i, t->group, img->ngroups - 1);
		if (t->id >= WAFER_TASK_IDS)
			return fail(p, "section %s: record %u: task id %u out of range 0..%u",
				    s->nm, i, t->id, WAFER_TASK_IDS - 1);
		if (t->kind < WAFER_TASK_DATA || t->kind > WAFER_TASK_CONTROL)
			return fail(p, "section %s: record %u: task kind %u is not 1 (data), 2 (local) or 3 (control)",
				    s->nm, i, t->kind);
		if (t->id == WAFER_TASK_TEARDOWN && t->kind != WAFER_TASK_LOCAL)
			return fail(p, "section %s: record %u: task %u is the teardown task and must be local",
				    s->nm, i, t->id);
		if (t->id == WAFER_TASK_TIMER && t->kind != WAFER_TASK_LOCAL)
			return fail(p, "section %s: record %u: task %u is the timer task and must be local",
				    s->nm, i, t->id);
		if (t->kind == WAFER_TASK_LOCAL ? t->color != 0 :
		    t->color >= WAFER_COLORS)
			return fail(p, "section %s: record %u: color %u of a %s task (data and control tasks: 0..%u, local tasks: 0)",
				    s->nm, i, t->color, task_kind_name[t->kind],
				    WAFER_COLORS - 1);
		if (t->prio > WAFER_TASK_MAX_PRIO)
			return fail(p, "section %s: record %u: priority %u out of range 0..%u",
				    s->nm, i, t->prio, WAFER_TASK_MAX_PRIO);
		if (t->flags & ~(WAFER_TASK_BLOCKED | WAFER_TASK_ACTIVE) ||
		    ((t->flags & WAFER_TASK_ACTIVE) && t->kind != WAFER_TASK_LOCAL))
			return fail(p, "section %s: record %u: flags 0x%x (blocked 0x1; active 0x2, local tasks only)",
				    s->nm, i, t->flags);
		cs = p->group_seg[t->group * 3 + WAFER_SEG_CODE];
		code = cs >= 0 ? &img->segments[cs] : NULL;
		if (!code || t->entry % ISA_INSN_BYTES || t->entry < code->addr ||
		    t->entry - code->addr >= code->size)
			return fail(p, "section %s: record %u: entry 0x%x of task %u is not an 8-aligned address in the code of group %s",
				    s->nm, i, t->entry, t->id,
				    img->groups[t->group].name);
		img->ntasks++;
	}
	qsort(img->tasks, img->ntasks, sizeof(*img->tasks), task_cmp);
	for (uint32_t i = 0; i < img->ntasks; i++) {
		const struct wafer_image_task *t = &img->tasks[i];

		if (i && !task_cmp(&img->tasks[i - 1], t))
			return fail(p, "section %s: task %u of group %s defined twice",
				    s->nm, t->id, img->groups[t->group].name);
		if (t->kind == WAFER_TASK_LOCAL)
			continue;
		for (uint32_t j = i + 1; j < img->ntasks &&
		     img->tasks[j].group == t->group; j++)
			if (img->tasks[j].kind == t->kind &&
			    img->tasks[j].color == t->color)
				return fail(p, "section %s: tasks %u and %u of group %s are both %s tasks of color %u",
					    s->nm, t->id, img->tasks[j].id,
					    img->groups[t->group].name,
					    task_kind_name[t->kind], t->color);
	}
	return 0;
}

static int const_cmp(const void *a, const void *b)
{
	const struct wafer_image_const *x = a, *y = b;

	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static int csr_loadable(uint32_t csr)
{
	return csr <= ISA_CSR_RECT_H || csr == ISA_CSR_SRAM;
}

static int parse_consts(struct parser *p)
{
	struct wafer_image *img = p->img;
	const struct img_sec *s;
	uint64_t n;

	if (p->consts == NO_SEC)
		return 0;
	s = &p->secs[p->consts];
	n = s->size / WSE_CONST_SIZE;
	if (n > WSE_IMAGE_MAX_CONSTS)
		return fail(p, "section %s: %llu constants, more than %u",
			    s->nm, (unsigned long long)n, WSE_IMAGE_MAX_CONSTS);
	img->consts = calloc(n ? n : 1, sizeof(*img->consts));
	if (!img->consts)
		return fail_nomem(p);
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *r = p->d + s->off + (uint64_t)i * WSE_CONST_SIZE;
		struct wafer_image_const *c = &img->consts[i];
		const struct wafer_image_segment *seg = NULL;

		c->group = le32(r);
		c->addr = le32(r + 4);
		c->csr = le32(r + 8);
		if (c->group >= img->ngroups)
			return fail(p, "section %s: record %u: group %u out of range 0..%u",
				    s->nm, i, c->group, img->ngroups - 1);
		if (!csr_loadable(c->csr))
			return fail(p, "section %s: record %u: csr %u is not a load-time constant",
				    s->nm, i, c->csr);
		if (c->addr % 4)
			return fail(p, "section %s: record %u: address 0x%x not 4-aligned",
				    s->nm, i, c->addr);
		for (int k = WAFER_SEG_DATA; k <= WAFER_SEG_BSS; k++) {
			int o = p->group_seg[c->group * 3 + k];

			if (o >= 0 && c->addr >= img->segments[o].addr &&
			    c->addr - img->segments[o].addr <
			    img->segments[o].size)
				seg = &img->segments[o];
		}
		if (!seg)
			return fail(p, "section %s: record %u: address 0x%x not inside the data or bss of group %s",
				    s->nm, i, c->addr,
				    img->groups[c->group].name);
		if (seg->data && le32(seg->data + (c->addr - seg->addr)))
			return fail(p, "section %s: record %u: word at 0x%x is not zero in the file",
				    s->nm, i, c->addr);
		img->nconsts++;
	}
	qsort(img->consts, img->nconsts, sizeof(*img->consts), const_cmp);
	for (uint32_t i = 1; i < img->nconsts; i++)
		if (!const_cmp(&img->consts[i - 1], &img->consts[i]))
			return fail(p, "section %s: two constants at address 0x%x of group %s",
				    s->nm, img->consts[i].addr,
				    img->groups[img->consts[i].group].name);
	return 0;
}

struct raw_sym {
	uint32_t index;		/* in .symtab */
	const char *name;
	uint8_t type;
	uint32_t group;
	uint32_t value, size, elem, etype;
};

static int raw_sym_cmp(const void *a, const void *b)
{
	const struct raw_sym *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	return x->index < y->index ? -1 : x->index > y->index;
}

static int sym_first_cmp(const void *a, const void *b)
{
	const struct wafer_image_symbol *x = a, *y = b;

	/* size was borrowed to hold the first .symtab index; see merge */
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static int label_cmp(const void *a, const void *b)
{
	const struct wafer_image_label *x = a, *y = b;

	if (x->segment != y->segment)
		return x->segment < y->segment ? -1 : 1;
	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Check one symbol; globals go to raw[], locals to img->labels. */
static int parse_symbol(struct parser *p, uint32_t i, struct raw_sym *raw,
			uint32_t *nraw)
{
	struct wafer_image *img = p->img;
	const struct img_sec *st = &p->secs[p->symtab];
	const uint8_t *e = p->d + st->off + (uint64_t)i * WSE_ELF_SYM_SIZE;
	const uint8_t *a = p->d + p->secs[p->symattr].off +
			   (uint64_t)i * WSE_SYMATTR_SIZE;
	uint8_t bind = e[WSE_ST_INFO] >> 4, type = e[WSE_ST_INFO] & 0xf;
	uint16_t shndx = le16(e + WSE_ST_SHNDX);
	uint64_t value = le64(e + WSE_ST_VALUE), size = le64(e + WSE_ST_SIZE);
	uint8_t elem = a[0], etype = a[1];
	const struct wafer_image_segment *seg;
	const struct img_sec *s;
	const char *nm, *why;

	if (i == 0) {
		for (unsigned b = 0; b < WSE_ELF_SYM_SIZE; b++)
			if (e[b])
				return fail(p, "section %s: symbol 0 not all zero",
					    st->nm);
		if (le32(a))
			return fail(p, "section %s: record 0 not zero",
				    WSE_SEC_SYMATTR);
		return 0;
	}
	nm = str_at(p, p->strtab, le32(e + WSE_ST_NAME), &why);
	if (!nm)
		return fail(p, "section %s: symbol %u: %s", st->nm, i, why);
	if (!is_ident(nm))
		return fail(p, "section %s: symbol %u: name '%s' is not an identifier",
			    st->nm, i, nm);
	if (le16(a + 2))
		return fail(p, "section %s: record %u (%s): reserved bytes must be 0",
			    WSE_SEC_SYMATTR, i, nm);
	if (e[WSE_ST_OTHER])
		return fail(p, "section %s: symbol %u (%s): st_other 0x%x must be 0",
			    st->nm, i, nm, e[WSE_ST_OTHER]);
	if (bind != (i < st->info ? WSE_STB_LOCAL : WSE_STB_GLOBAL))
		return fail(p, "section %s: symbol %u (%s): binding %u, but locals come before index %u and globals after",
			    st->nm, i, nm, bind, st->info);
	if (shndx == 0 || shndx >= p->shnum || p->secs[shndx].seg < 0)
		return fail(p, "section %s: symbol %u (%s): section index %u is not a loaded section",
			    st->nm, i, nm, shndx);
	s = &p->secs[shndx];
	seg = &img->segments[s->seg];
	if (value < seg->addr || value - seg->addr > seg->size)
		return fail(p, "section %s: symbol %u (%s): address 0x%llx outside section %s",
			    st->nm, i, nm, (unsigned long long)value, s->nm);

	if (bind == WSE_STB_LOCAL) {
		struct wafer_image_label *l = &img->labels[img->nlabels++];

		if (type != WSE_STT_NOTYPE && type != WSE_STT_OBJECT &&
		    type != WSE_STT_FUNC)
			return fail(p, "section %s: symbol %u (%s): type %u not supported",
				    st->nm, i, nm, type);
		if (elem || etype)
			return fail(p, "section %s: record %u (%s): element type on a local symbol",
				    WSE_SEC_SYMATTR, i, nm);
		l->name = nm;
		l->segment = (uint32_t)s->seg;
		l->addr = (uint32_t)value;
		return 0;
	}

	if (type == WSE_STT_FUNC) {
		if (seg->kind != WAFER_SEG_CODE)
			return fail(p, "section %s: symbol %u (%s): function not in a code section",
				    st->nm, i, nm);
		if (value % ISA_INSN_BYTES || value - seg->addr >= seg->size)
			return fail(p, "section %s: symbol %u (%s): entry 0x%llx not an 8-aligned address inside section %s",
				    st->nm, i, nm, (unsigned long long)value,
				    s->nm);
		if (size > seg->addr + seg->size - value)
			return fail(p, "section %s: symbol %u (%s): size %llu runs past section %s",
				    st->nm, i, nm, (unsigned long long)size,
				    s->nm);
		if (elem || etype)
			return fail(p, "section %s: record %u (%s): element type on a function",
				    WSE_SEC_SYMATTR, i, nm);
	} else if (type == WSE_STT_OBJECT) {
		if (seg->kind == WAFER_SEG_CODE)
			return fail(p, "section %s: symbol %u (%s): object in a code section",
				    st->nm, i, nm);
		if (etype > ISA_T_F16 ||
		    elem != (etype <= ISA_T_F32 ? 4 : 2))
			return fail(p, "section %s: record %u (%s): element size %u and type %u do not match (4: i32 0, f32 1; 2: i16 2, f16 3)",
				    WSE_SEC_SYMATTR, i, nm, elem, etype);
		if (size == 0 || size % elem || value % elem)
			return fail(p, "section %s: symbol %u (%s): address 0x%llx size %llu not a non-empty multiple of the element size %u",
				    st->nm, i, nm, (unsigned long long)value,
				    (unsigned long long)size, elem);
		if (size > seg->addr + seg->size - value)
			return fail(p, "section %s: symbol %u (%s): size %llu runs past section %s",
				    st->nm, i, nm, (unsigned long long)size,
				    s->nm);
	} else {
		return fail(p, "section %s: symbol %u (%s): global of type %u, expected STT_OBJECT or STT_FUNC",
			    st->nm, i, nm, type);
	}
	raw[*nraw] = (struct raw_sym){
		.index = i, .name = nm, .type = type, .group = seg->group,
		.value = (uint32_t)value, .size = (uint32_t)size, .elem = elem,
		.etype = etype,
	};
	(*nraw)++;
	return 0;
}

/* Merge globals of the same name over groups into one exported symbol. */
static int merge_symbols(struct parser *p, struct raw_sym *raw, uint32_t n)
{
	struct wafer_image *img = p->img;
	const char *stn = p->secs[p->symtab].nm;
	uint32_t nsym = 0;

	qsort(raw, n, sizeof(*raw), raw_sym_cmp);
	for (uint32_t i = 0; i < n; i++)
		if (i == 0 || strcmp(raw[i].name, raw[i - 1].name))
			nsym++;
	if ((uint64_t)nsym * img->ngroups > (1u << 20))
		return fail(p, "section %s: %u exported symbols times %u groups is too many",
			    stn, nsym, img->ngroups);
	img->symbols = calloc(nsym ? nsym : 1, sizeof(*img->symbols));
	if (!img->symbols)
		return fail_nomem(p);

	for (uint32_t i = 0, j; i < n; i = j) {
		struct wafer_image_symbol *sym = &img->symbols[img->nsymbols];
		const struct raw_sym *r0 = &raw[i];
		uint32_t g;

		sym->entry = malloc(img->ngroups * sizeof(*sym->entry));
		if (!sym->entry)
			return fail_nomem(p);
		img->nsymbols++;
		for (g = 0; g < img->ngroups; g++)
			sym->entry[g] = WAFER_NO_ENTRY;
		sym->name = (char *)r0->name;
		sym->kind = r0->type == WSE_STT_FUNC ? WAFER_SYM_FUNCTION :
						       WAFER_SYM_OBJECT;
		sym->elem_bytes = r0->elem;
		sym->elem_type = r0->etype;
		for (j = i; j < n && !strcmp(raw[j].name, r0->name); j++) {
			const struct raw_sym *r = &raw[j];

			if (r->type != r0->type)
				return fail(p, "section %s: symbol %u (%s): a function in one group and an object in another",
					    stn, r->index, r->name);
			if (sym->entry[r->group] != WAFER_NO_ENTRY)
				return fail(p, "section %s: symbol %u (%s): defined twice in group %s",
					    stn, r->index, r->name,
					    img->groups[r->group].name);
			if (r->type == WSE_STT_OBJECT &&
			    (r->value != r0->value || r->size != r0->size ||
			     r->elem != r0->elem || r->etype != r0->etype))
				return fail(p, "section %s: symbol %u (%s): object at 0x%x size %u in group %s but at 0x%x size %u in group %s",
					    stn, r->index, r->name, r->value,
					    r->size, img->groups[r->group].name,
					    r0->value, r0->size,
					    img->groups[r0->group].name);
			sym->entry[r->group] = r->value;
		}
		for (g = 0; sym->entry[g] == WAFER_NO_ENTRY; g++)
			;
		sym->size = r0->size;
		for (uint32_t k = i; k < j; k++)
			if (raw[k].group == g)
				sym->size = raw[k].size;
		/* Order by first appearance: keep the index in addr for now. */
		sym->addr = r0->index;
	}
	qsort(img->symbols, img->nsymbols, sizeof(*img->symbols),
	      sym_first_cmp);
	for (uint32_t i = 0; i < img->nsymbols; i++) {
		struct wafer_image_symbol *sym = &img->symbols[i];
		uint32_t g = 0;

		while (sym->entry[g] == WAFER_NO_ENTRY)
			g++;
		sym->addr = sym->entry[g];
	}
	return 0;
}

static int parse_symbols(struct parser *p)
{
	struct wafer_image *img = p->img;
	struct raw_sym *raw;
	uint32_t nraw = 0;
	int ret = 0;

	raw = calloc(p->nsyms, sizeof(*raw));
	img->labels = calloc(p->nsyms, sizeof(*img->labels));
	if (!raw || !img->labels) {
		free(raw);
		return fail_nomem(p);
	}
	for (uint32_t i = 0; i < p->nsyms && !ret; i++)
		ret = parse_symbol(p, i, raw, &nraw);
	if (!ret)
		ret = merge_symbols(p, raw, nraw);
	free(raw);
	if (!ret)
		qsort(img->labels, img->nlabels, sizeof(*img->labels),
		      label_cmp);
	return ret;
}

int wafer_image_parse(const void *data, size_t len, struct wafer_image **out,
		      char *err, size_t errlen)
{
	struct parser p = { .err = err, .errlen = errlen };
	struct wafer_image *img;
	uint64_t shoff = 0;
	int ret;

	if (err && errlen)
		err[0] = '\0';
	if (!out || (!data && len))
		return fail(&p, "invalid arguments");
	*out = NULL;
	if (len > WSE_IMAGE_MAX_BYTES)
		return fail(&p, "image of %zu bytes larger than %u", len,
			    WSE_IMAGE_MAX_BYTES);
	img = calloc(1, sizeof(*img));
	if (!img)
		return fail_nomem(&p);
	/* Parse the owned copy, so the guest cannot change it under us. */
	img->blob = malloc(len ? len : 1);
	if (!img->blob) {
		free(img);
		return fail_nomem(&p);
	}
	if (len)
		memcpy(img->blob, data, len);
	img->blob_len = len;
	p.d = img->blob;
	p.len = len;
	p.img = img;

	ret = parse_ehdr(&p, &shoff);
	if (!ret)
		ret = parse_shdrs(&p, shoff);
	if (!ret)
		ret = parse_meta(&p);
	if (!ret)
		ret = parse_groups(&p);
	if (!ret)
		ret = parse_segments(&p);
	if (!ret)
		ret = parse_layout(&p);
	if (!ret)
		ret = parse_routes(&p);
	if (!ret)
		ret = parse_switches(&p);
	if (!ret)
		ret = parse_consts(&p);
	if (!ret)
		ret = parse_tasks(&p);
	if (!ret)
		ret = parse_symbols(&p);
	free(p.secs);
	free(p.group_seg);
	if (ret) {
		wafer_image_free(img);
		return ret;
	}
	*out = img;
	return 0;
}

void wafer_image_free(struct wafer_image *img)
{
	if (!img)
		return;
	for (uint32_t i = 0; i < img->nsymbols; i++)
		free(img->symbols[i].entry);
	free(img->symbols);
	free(img->labels);
	free(img->groups);
	free(img->rects);
	free(img->segments);
	free(img->routes);
	free(img->consts);
	free(img->tasks);
	free(img->switches);
	free(img->blob);
	free(img);
}

void wafer_image_extent(const struct wafer_image *img, uint32_t *w,
			uint32_t *h)
{
	if (w)
		*w = img ? img->extent_w : 0;
	if (h)
		*h = img ? img->extent_h : 0;
}

unsigned wafer_image_symbol_count(const struct wafer_image *img)
{
	return img ? img->nsymbols : 0;
}

int wafer_image_symbol_at(const struct wafer_image *img, unsigned index,
			  struct wafer_symbol *sym)
{
	const struct wafer_image_symbol *s;

	if (!img || !sym)
		return -EINVAL;
	if (index >= img->nsymbols)
		return -ENOENT;
	s = &img->symbols[index];
	sym->name = s->name;
	sym->kind = s->kind;
	sym->index = index;
	sym->addr = s->addr;
	sym->size = s->size;
	sym->elem_bytes = s->elem_bytes;
	return 0;
}

int wafer_image_symbol_find(const struct wafer_image *img, const char *name,
			    struct wafer_symbol *sym)
{
	if (!img || !name || !sym)
		return -EINVAL;
	for (unsigned i = 0; i < img->nsymbols; i++)
		if (!strcmp(img->symbols[i].name, name))
			return wafer_image_symbol_at(img, i, sym);
	return -ENOENT;
}
