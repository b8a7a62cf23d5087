// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * image-parse.c - the image parser refuses malformed images, each with
 * the message that names what is wrong. Every test starts from a valid
 * image made by the assembler, breaks one thing and checks the exact
 * message: the QEMU device shows these to the guest, so they are ABI-ish.
 */
#include "kselftest_harness.h"
#include "tools-test.h"

/* One group; sections [1] .text.main [2] .data.main [3] .wse.info
 * [4] .wse.groups [5] .wse.layout [6] .wse.routes [7] .wse.consts
 * [8] .symtab [9] .wse.symattr [10] .strtab [11] .shstrtab;
 * symbols [1] px (local) [2] compute [3] A. */
static const char base1[] =
	".rect main, 0, 0, 4, 4\n"
	".route 1, main, rx=RAMP, tx=EAST\n"
	".route 1, 1, 0, 3, 4, rx=WEST, tx=RAMP\n"
	".route 2, main, rx=RAMP, tx=SOUTH\n"
	".route 2, 0, 1, 4, 3, rx=NORTH, tx=RAMP\n"
	".route 3, main, rx=RAMP, tx=NONE\n"
	".code main\n"
	".func compute\n"
	"	csr r1, x\n"
	"	halt\n"
	".data\n"
	"px:	.pe_word x\n"
	"	.export A, f32, 4\n";

/* Two groups a and b; both export compute and y. */
static const char base2[] =
	".rect a, 0, 0, 2, 2\n"
	".rect b, 2, 0, 2, 2\n"
	".code a\n"
	".func compute\n"
	"	halt\n"
	".data\n"
	"	.export y, f32, 2\n"
	".code b\n"
	".func compute\n"
	"	halt\n"
	".data\n"
	"	.export y, f32, 2\n";

FIXTURE(img)
{
	uint8_t *b;
	size_t len;
	char err[256];
};

FIXTURE_SETUP(img)
{
	char *err = malloc(TT_ERR_BYTES);
	void *b;

	ASSERT_NE(NULL, err);
	ASSERT_EQ(0, tt_asm(base1, &b, &self->len, err)) TH_LOG("%s", err);
	/* room to append data in the tests that need it */
	self->b = calloc(1, self->len + 2 * 1024 * 1024);
	ASSERT_NE(NULL, self->b);
	memcpy(self->b, b, self->len);
	free(b);
	free(err);
}

FIXTURE_TEARDOWN(img)
{
	free(self->b);
}

static int parse(FIXTURE_DATA(img) *self)
{
	struct wafer_image *img = NULL;
	int ret = wafer_image_parse(self->b, self->len, &img, self->err,
				    sizeof(self->err));

	wafer_image_free(img);
	return ret;
}

#define SH(name) tt_shdr(self->b, name, NULL)
#define SD(name) tt_sdata(self->b, name)
#define SYM(i) (SD(".symtab") + (i) * WSE_ELF_SYM_SIZE)

/* The unmodified image parses. */
TEST_F(img, valid)
{
	ASSERT_EQ(0, parse(self)) TH_LOG("%s", self->err);
}

TEST_F(img, empty_file)
{
	self->len = 0;
	ASSERT_EQ(-EINVAL, parse(self));
	ASSERT_STREQ("file too short for an ELF header: 0 bytes", self->err);
}

TEST_F(img, truncated_header)
{
	self->len = 63;
	ASSERT_EQ(-EINVAL, parse(self));
	ASSERT_STREQ("file too short for an ELF header: 63 bytes", self->err);
}

/* Cut before the section headers, which come last. */
TEST_F(img, truncated_section_headers)
{
	uint64_t shoff = tt_le(self->b + WSE_EH_SHOFF, 8);
	char want[128];

	self->len = shoff + 100;
	snprintf(want, sizeof(want),
		 "section headers (offset 0x%llx, 12 entries) outside the file",
		 (unsigned long long)shoff);
	ASSERT_EQ(-EINVAL, parse(self));
	ASSERT_STREQ(want, self->err);
}

TEST_F(img, bad_magic)
{
	self->b[1] = 'e';
	ASSERT_EQ(-EINVAL, parse(self));
	ASSERT_STREQ("bad ELF magic", self->err);
}

TEST_F(img, bad_class)
{
	self->b[WSE_EI_CLASS] = 1;
	ASSERT_EQ(-EINVAL, parse(self));
	ASSERT_STREQ("ELF class 1 is not ELFCLASS64", self->err);
}

TEST_F(img, big_endian)
{
	self->b[WSE_EI_DATA] = 2;
	ASSERT_EQ(-EINVAL, parse(self));
	ASSERT_STREQ("ELF data encoding 2 is not little-endian", self->err);
}

TEST_F(img, not_exec)
{
	tt_put(self->b + WSE_EH_TYPE, 3, 2);
	ASSERT_EQ(-EINVAL, parse(self));
	ASSERT_STREQ("ELF type 3 is not ET_EXEC", self->err);
}

TEST_F(img, wrong_machine)
{
	tt_put(self->b + WSE_EH_MACHINE, 62, 2);
	ASSERT_EQ(-EINVAL, parse(self));
	ASSERT_STREQ("ELF machine 0x3e is not 0x5753 (wse)", self->err);
}

TEST_F(img, wrong_version)
{
	tt_put(self->b + WSE_EH_VERSION, 2, 4);
	ASSERT_EQ(-EINVAL, parse(self));
	ASSERT_STREQ("ELF version 2 is not 1", self->err);
}

TEST_F(img, entry_set)
{
	tt_put(self->b + WSE_EH_ENTRY, 0x40, 8);
	ASSERT_EQ(-EINVAL, parse(self));
	ASSERT_STREQ("ELF entry must be 0 (entries are symbols)", self->err);
}

TEST_F(img, program_headers_outside)
{
	tt_put(self->b + WSE_EH_PHOFF, 0xfffffffffffff000ull, 8);
	tt_put(self->b + WSE_EH_PHNUM, 1, 2);
	tt_put(self->b + WSE_EH_PHENTSIZE, 56, 2);
	ASSERT_EQ(-EINVAL, parse(self));
	ASSERT_STREQ("program headers (offset 0xfffffffffffff000, 1 entries) outside the file",
		     self->err);
}

TEST_F(img, section_header_size)
{
	tt_put(self->b + WSE_EH_SHENTSIZE, 40, 2);
	ASSERT_EQ(-EINVAL, parse(self));
	ASSERT_STREQ("section header size 40 is not 64", self->err);
}

TEST_F(img, huge_section_count)
{
	tt_put(self->b + WSE_EH_SHNUM, 60000, 2);
	ASSERT_EQ(-EINVAL, parse(self));
	ASSERT_STREQ("60000 sections: more than 1024", self->err);
}

TEST_F(img, name_table_index)
{
	tt_put(self->b + WSE_EH_SHSTRNDX, 99, 2);
	ASSERT_EQ(-EINVAL, parse(self));
	ASSERT_STREQ("section name table index 99 out of range 1..11",
		     self->err);
}

TEST_F(img, null_section_not_zero)
{
	uint64_t shoff = tt_le(self->b + WSE_EH_SHOFF, 8);

	self->b[shoff + WSE_SH_TYPE] = 1;
	ASSERT_EQ(-EINVAL, parse(self));
	ASSERT_STREQ("section [0]: null section header not all zero", self->err);
}

/* An offset near 2^64 must not wrap around the bounds check. */
TEST_F(img, section_offset_overflow)
{
	tt_put(SH(".wse.layout") + WSE_SH_OFFSET, 0xffffffffffffff00ull, 8);
	ASSERT_EQ(-EINVAL, parse(self));
	ASSERT_STREQ("section [5]: contents (offset 0xffffffffffffff00, size 0x14) outside the file",
		     self->err);
}

TEST_F(img, section_name_offset)
{
	tt_put(SH(".data.main") + WSE_SH_NAME, 100000, 4);
	ASSERT_EQ(-EINVAL, parse(self));
	ASSERT_STREQ("section [2]: name offset out of the string table",
		     self->err);
}

TEST_F(img, unterminated_name_table)
{
	uint8_t *h = SH(".shstrtab");

	self->b[tt_le(h + WSE_SH_OFFSET, 8) + tt_le(h + WSE_SH_SIZE, 8) - 1] = 'x';
	ASSERT_EQ(-EINVAL, parse(self));
	ASSERT_STREQ("section [11]: string table must start and end with NUL",
		     self->err);
}

TEST_F(img, unterminated_strtab)
{
	uint8_t *h = SH(".strtab");

	self->b[tt_le(h + WSE_SH_OFFSET, 8) + tt_le(h + WSE_SH_SIZE, 8) - 1] = 'x';
	ASSERT_EQ(-EINVAL, parse(self));
	ASSERT_STREQ("section .strtab: string table must start and end with NUL",
		     self->err);
}

TEST_F(img, unknown_wse_section)
{
	char *n = (char *)self->b + tt_le(SH(".shstrtab") + WSE_SH_OFFSET, 8) +
		  tt_le(SH(".wse.consts") + WSE_SH_NAME, 4);

	memcpy(n, ".wse.c0nsts", 11);
	ASSERT_EQ(-EINVAL, parse(self));
	ASSERT_STREQ("section [7]: unknown section .wse.c0nsts", self->err);
}

TEST_F(img, missing_layout)
{
	char *n = (char *)self->b + tt_le(SH(".shstrtab") + WSE_SH_OFFSET, 8) +
		  tt_le(SH(".wse.layout") + WSE_SH_NAME, 4);

	n[4] = '_';	/* ".wse_layout": not ours any more, so ignored */
	ASSERT_EQ(-EINVAL, parse(self));
	ASSERT_STREQ("section .wse.layout missing", self->err);
}

TEST_F(img, info_version)
{
	tt_put(SD(".wse.info"), 3, 4);
	ASSERT_EQ(-EINVAL, parse(self));
	ASSERT_STREQ("section .wse.info: format version 3 not supported (expected 1..2)",
		     self->err);
	tt_put(SD(".wse.info"), 0, 4);
	ASSERT_EQ(-EINVAL, parse(self));
	ASSERT_STREQ("section .wse.info: format version 0 not supported (expected 1..2)",
		     self->err);
	/* Version 2 reads version 1 images as they are. */
	tt_put(SD(".wse.info"), 2, 4);
	ASSERT_EQ(0, parse(self)) TH_LOG("%s", self->err);
}

TEST_F(img, sram_size)
{
	tt_put(SD(".wse.info") + 4, 5000, 4);
	ASSERT_EQ(-EINVAL, parse(self));
	ASSERT_STREQ("section .wse.info: SRAM size 5000 not a multiple of 4096 in 4096..16777216",
		     self->err);
}

TEST_F(img, segment_past_sram)
{
	tt_put(SH(".data.main") + WSE_SH_ADDR, 0xbffc, 8);
	ASSERT_EQ(-EINVAL, parse(self));
	ASSERT_STREQ("section .data.main: SRAM range 0xbffc+0x14 exceeds the SRAM size 0xc000",
		     self->err);
}

TEST_F(img, segments_overlap)
{
	tt_put(SH(".data.main") + WSE_SH_ADDR, 0x8, 8);
	ASSERT_EQ(-EINVAL, parse(self));
	ASSERT_STREQ("section .data.main: SRAM range 0x8+0x14 overlaps the code section of group main",
		     self->err);
}

TEST_F(img, group_section_index)
{
	tt_put(SD(".wse.groups") + 8, 99, 4);
	ASSERT_EQ(-EINVAL, parse(self));
	ASSERT_STREQ("section .wse.groups: record 0: data section index 99 out of range 1..11",
		     self->err);
}

TEST_F(img, group_section_not_loaded)
{
	tt_put(SD(".wse.groups") + 12, 3, 4);
	ASSERT_EQ(-EINVAL, parse(self));
	ASSERT_STREQ("section .wse.groups: record 0: bss section .wse.info is not loaded (no SHF_ALLOC)",
		     self->err);
}

TEST_F(img, segment_of_no_group)
{
	tt_put(SD(".wse.groups") + 8, 0, 4);
	ASSERT_EQ(-EINVAL, parse(self));
	ASSERT_STREQ("section .data.main: loaded section of no group in .wse.groups",
		     self->err);
}

TEST_F(img, segment_flags)
{
	tt_put(SH(".data.main") + WSE_SH_FLAGS, 7, 8);
	ASSERT_EQ(-EINVAL, parse(self));
	ASSERT_STREQ("section .data.main: type 1 flags 0x7 do not make a data section (code: PROGBITS AX, data: PROGBITS WA, bss: NOBITS WA)",
		     self->err);
}

TEST_F(img, rect_off_fabric)
{
	tt_put(SD(".wse.layout"), 760, 4);
	ASSERT_EQ(-EINVAL, parse(self));
	ASSERT_STREQ("section .wse.layout: record 0: rectangle x 760 y 0 w 4 h 4 exceeds the 762x1176 fabric",
		     self->err);
}

TEST_F(img, rect_group_range)
{
	tt_put(SD(".wse.layout") + 16, 5, 4);
	ASSERT_EQ(-EINVAL, parse(self));
	ASSERT_STREQ("section .wse.layout: record 0: group 5 out of range 0..0",
		     self->err);
}

TEST_F(img, rect_empty)
{
	tt_put(SD(".wse.layout") + 8, 0, 4);
	ASSERT_EQ(-EINVAL, parse(self));
	ASSERT_STREQ("section .wse.layout: record 0: empty rectangle 0x4",
		     self->err);
}

/* The example of the specification: colors stop at 23. */
TEST_F(img, route_color)
{
	SD(".wse.routes")[3 * WSE_ROUTE_SIZE + 16] = 31;
	ASSERT_EQ(-EINVAL, parse(self));
	ASSERT_STREQ("section .wse.routes: record 3: color 31 out of range 0..23",
		     self->err);
}

TEST_F(img, route_ports)
{
	SD(".wse.routes")[17] = 0x21;
	ASSERT_EQ(-EINVAL, parse(self));
	ASSERT_STREQ("section .wse.routes: record 0: port mask rx 0x21 tx 0x8 has bits outside 0x1f",
		     self->err);
}

TEST_F(img, route_outside_layout)
{
	tt_put(SD(".wse.routes") + WSE_ROUTE_SIZE + 8, 4, 4);
	ASSERT_EQ(-EINVAL, parse(self));
	ASSERT_STREQ("section .wse.routes: record 1: rectangle x 1 y 0 w 4 h 4 not inside the 4x4 layout",
		     self->err);
}

TEST_F(img, route_record_size)
{
	tt_put(SH(".wse.routes") + WSE_SH_ENTSIZE, 16, 8);
	ASSERT_EQ(-EINVAL, parse(self));
	ASSERT_STREQ("section .wse.routes: entry size 16, expected 20", self->err);
}

TEST_F(img, const_misaligned)
{
	tt_put(SD(".wse.consts") + 4, 0x42, 4);
	ASSERT_EQ(-EINVAL, parse(self));
	ASSERT_STREQ("section .wse.consts: record 0: address 0x42 not 4-aligned",
		     self->err);
}

TEST_F(img, const_cycles)
{
	tt_put(SD(".wse.consts") + 8, 8, 4);
	ASSERT_EQ(-EINVAL, parse(self));
	ASSERT_STREQ("section .wse.consts: record 0: csr 8 is not a load-time constant",
		     self->err);
}

TEST_F(img, const_in_code)
{
	tt_put(SD(".wse.consts") + 4, 0x0, 4);
	ASSERT_EQ(-EINVAL, parse(self));
	ASSERT_STREQ("section .wse.consts: record 0: address 0x0 not inside the data or bss of group main",
		     self->err);
}

TEST_F(img, function_misaligned)
{
	tt_put(SYM(2) + WSE_ST_VALUE, 4, 8);
	ASSERT_EQ(-EINVAL, parse(self));
	ASSERT_STREQ("section .symtab: symbol 2 (compute): entry 0x4 not an 8-aligned address inside section .text.main",
		     self->err);
}

TEST_F(img, function_in_data)
{
	tt_put(SYM(2) + WSE_ST_SHNDX, 2, 2);
	ASSERT_EQ(-EINVAL, parse(self));
	ASSERT_STREQ("section .symtab: symbol 2 (compute): address 0x0 outside section .data.main",
		     self->err);
}

TEST_F(img, symbol_name_offset)
{
	tt_put(SYM(3) + WSE_ST_NAME, 5000, 4);
	ASSERT_EQ(-EINVAL, parse(self));
	ASSERT_STREQ("section .symtab: symbol 3: name offset out of the string table",
		     self->err);
}

TEST_F(img, symbol_section_index)
{
	tt_put(SYM(1) + WSE_ST_SHNDX, 0xfff1, 2);
	ASSERT_EQ(-EINVAL, parse(self));
	ASSERT_STREQ("section .symtab: symbol 1 (px): section index 65521 is not a loaded section",
		     self->err);
}

TEST_F(img, global_among_locals)
{
	tt_put(SH(".symtab") + WSE_SH_INFO, 3, 4);
	ASSERT_EQ(-EINVAL, parse(self));
	ASSERT_STREQ("section .symtab: symbol 2 (compute): binding 1, but locals come before index 3 and globals after",
		     self->err);
}

TEST_F(img, element_size)
{
	SD(".wse.symattr")[3 * WSE_SYMATTR_SIZE] = 3;
	ASSERT_EQ(-EINVAL, parse(self));
	ASSERT_STREQ("section .wse.symattr: record 3 (A): element size 3 and type 1 do not match (4: i32 0, f32 1; 2: i16 2, f16 3)",
		     self->err);
}

TEST_F(img, object_past_section)
{
	tt_put(SYM(3) + WSE_ST_SIZE, 64, 8);
	ASSERT_EQ(-EINVAL, parse(self));
	ASSERT_STREQ("section .symtab: symbol 3 (A): size 64 runs past section .data.main",
		     self->err);
}

TEST_F(img, group_name_not_identifier)
{
	char *s = (char *)SD(".strtab") + tt_le(SD(".wse.groups"), 4);

	s[2] = '-';
	ASSERT_EQ(-EINVAL, parse(self));
	ASSERT_STREQ("section .wse.groups: record 0: group name 'ma-n' is not an identifier",
		     self->err);
}

/* Counts are capped before anything is allocated for them. */
TEST_F(img, huge_symbol_count)
{
	uint64_t n = 65538;

	tt_put(SH(".symtab") + WSE_SH_OFFSET, (self->len + 7) & ~7ull, 8);
	tt_put(SH(".symtab") + WSE_SH_SIZE, n * WSE_ELF_SYM_SIZE, 8);
	self->len = ((self->len + 7) & ~7ull) + n * WSE_ELF_SYM_SIZE;
	ASSERT_EQ(-EINVAL, parse(self));
	ASSERT_STREQ("section .symtab: 65538 symbols, more than 65536", self->err);
}

TEST_F(img, huge_group_count)
{
	uint64_t n = 300;

	tt_put(SH(".wse.groups") + WSE_SH_OFFSET, (self->len + 7) & ~7ull, 8);
	tt_put(SH(".wse.groups") + WSE_SH_SIZE, n * WSE_GROUP_SIZE, 8);
	self->len = ((self->len + 7) & ~7ull) + n * WSE_GROUP_SIZE;
	ASSERT_EQ(-EINVAL, parse(self));
	ASSERT_STREQ("section .wse.groups: 300 groups, expected 1..256", self->err);
}

TEST_F(img, too_large)
{
	self->len = 65 << 20;
	ASSERT_EQ(-EINVAL, parse(self));
	ASSERT_STREQ("image of 68157440 bytes larger than 67108864", self->err);
}

/* Every prefix of a valid image is refused, never read past. */
TEST_F(img, every_truncation)
{
	size_t len = self->len;

	for (self->len = 0; self->len < len; self->len++)
		ASSERT_EQ(-EINVAL, parse(self)) TH_LOG("length %zu", self->len);
}

FIXTURE(img2)
{
	uint8_t *b;
	size_t len;
	char err[256];
};

FIXTURE_SETUP(img2)
{
	char *err = malloc(TT_ERR_BYTES);
	void *b;

	ASSERT_NE(NULL, err);
	ASSERT_EQ(0, tt_asm(base2, &b, &self->len, err)) TH_LOG("%s", err);
	self->b = b;
	free(err);
}

FIXTURE_TEARDOWN(img2)
{
	free(self->b);
}

static int parse2(FIXTURE_DATA(img2) *self)
{
	struct wafer_image *img = NULL;
	int ret = wafer_image_parse(self->b, self->len, &img, self->err,
				    sizeof(self->err));

	wafer_image_free(img);
	return ret;
}

#define SH2(name) tt_shdr(self->b, name, NULL)
#define SD2(name) tt_sdata(self->b, name)

TEST_F(img2, valid)
{
	ASSERT_EQ(0, parse2(self)) TH_LOG("%s", self->err);
}

TEST_F(img2, rects_overlap)
{
	tt_put(SD2(".wse.layout") + WSE_RECT_SIZE, 1, 4);
	ASSERT_EQ(-EINVAL, parse2(self));
	ASSERT_STREQ("section .wse.layout: record 1: rectangle x 1 y 0 w 2 h 2 overlaps record 0",
		     self->err);
}

TEST_F(img2, group_without_rect)
{
	tt_put(SD2(".wse.layout") + WSE_RECT_SIZE + 16, 0, 4);
	ASSERT_EQ(-EINVAL, parse2(self));
	ASSERT_STREQ("section .wse.layout: group b is placed on no rectangle",
		     self->err);
}

TEST_F(img2, section_in_two_groups)
{
	tt_put(SD2(".wse.groups") + WSE_GROUP_SIZE + 4, 1, 4);
	ASSERT_EQ(-EINVAL, parse2(self));
	ASSERT_STREQ("section .wse.groups: record 1: section .text.a is already the code section of group a",
		     self->err);
}

TEST_F(img2, duplicate_group_name)
{
	char *s = (char *)SD2(".strtab") + tt_le(SD2(".wse.groups") + WSE_GROUP_SIZE, 4);

	s[0] = 'a';
	ASSERT_EQ(-EINVAL, parse2(self));
	ASSERT_STREQ("section .wse.groups: record 1: group name 'a' repeats record 0",
		     self->err);
}

/* An exported array must sit at one address in every group. */
TEST_F(img2, object_address_differs)
{
	uint8_t *sym = SD2(".symtab") + 4 * WSE_ELF_SYM_SIZE;	/* y of b */
	char want[200];

	ASSERT_EQ(0, tt_le(sym + WSE_ST_SIZE, 8) - 8);
	tt_put(sym + WSE_ST_VALUE, tt_le(sym + WSE_ST_VALUE, 8) + 4, 8);
	tt_put(sym + WSE_ST_SIZE, 4, 8);
	snprintf(want, sizeof(want),
		 "section .symtab: symbol 4 (y): object at 0x%llx size 4 in group b but at 0x%llx size 8 in group a",
		 (unsigned long long)tt_le(sym + WSE_ST_VALUE, 8),
		 (unsigned long long)tt_le(sym + WSE_ST_VALUE, 8) - 4);
	ASSERT_EQ(-EINVAL, parse2(self));
	ASSERT_STREQ(want, self->err);
}

TEST_F(img2, function_twice_in_group)
{
	uint8_t *sym = SD2(".symtab") + 3 * WSE_ELF_SYM_SIZE;	/* compute of b */

	tt_put(sym + WSE_ST_SHNDX, 1, 2);
	tt_put(sym + WSE_ST_VALUE, 0, 8);
	ASSERT_EQ(-EINVAL, parse2(self));
	ASSERT_STREQ("section .symtab: symbol 3 (compute): defined twice in group a",
		     self->err);
}

/*
 * Format 2: task tables, switch positions and switch records. Tasks are
 * written sorted by (group, id): [0] 1 data color 4, [1] 2 control
 * color 5, [2] 9 local, [3] 29 local.
 */
static const char base3[] =
	".rect main, 0, 0, 4, 1\n"
	".route 4, main, rx=RAMP, tx=RAMP\n"
	".route 5, main, rx=RAMP, tx=RAMP\n"
	".route 6, main, rx=WEST, tx=RAMP|EAST\n"
	".route 6, 0, 0, 1, 1, rx=RAMP, tx=EAST\n"
	".route 6, 3, 0, 1, 1, rx=WEST, tx=RAMP\n"
	".route 6, 1, 0, 3, 1, rx=RAMP, tx=EAST, pos=1\n"
	".switch 6, 1, 0, 3, 1, ring\n"
	".code main\n"
	".task 1, data, 4, t1, prio=3\n"
	".task 2, control, 5, t1\n"
	".task 9, local, t2, blocked\n"
	".task 29, local, t2\n"
	".func compute\n"
	"t1:	tret\n"
	"t2:	halt\n";

FIXTURE(img3)
{
	uint8_t *b;
	size_t len;
	char err[256];
};

FIXTURE_SETUP(img3)
{
	char *err = malloc(TT_ERR_BYTES);
	void *b;

	ASSERT_NE(NULL, err);
	ASSERT_EQ(0, tt_asm(base3, &b, &self->len, err)) TH_LOG("%s", err);
	self->b = b;
	free(err);
}

FIXTURE_TEARDOWN(img3)
{
	free(self->b);
}

static int parse3(FIXTURE_DATA(img3) *self, struct wafer_image **out)
{
	struct wafer_image *img = NULL;
	int ret = wafer_image_parse(self->b, self->len, &img, self->err,
				    sizeof(self->err));

	if (out)
		*out = img;
	else
		wafer_image_free(img);
	return ret;
}

#define TASK3(i)	(tt_sdata(self->b, ".wse.tasks") + (i) * WSE_TASK_SIZE)

/* What the source says is what the parser finds. */
TEST_F(img3, valid)
{
	struct wafer_image *img;

	ASSERT_EQ(0, parse3(self, &img)) TH_LOG("%s", self->err);
	EXPECT_EQ(2, img->version);
	ASSERT_EQ(4, img->ntasks);
	EXPECT_EQ(1, img->tasks[0].id);
	EXPECT_EQ(WAFER_TASK_DATA, img->tasks[0].kind);
	EXPECT_EQ(4, img->tasks[0].color);
	EXPECT_EQ(3, img->tasks[0].prio);
	EXPECT_EQ(0, img->tasks[0].entry);
	EXPECT_EQ(WAFER_TASK_CONTROL, img->tasks[1].kind);
	EXPECT_EQ(WAFER_TASK_BLOCKED, img->tasks[2].flags);
	EXPECT_EQ(8, img->tasks[2].entry);
	EXPECT_EQ(29, img->tasks[3].id);
	ASSERT_EQ(1, img->nswitches);
	EXPECT_EQ(WAFER_SWITCH_RING, img->switches[0].flags);
	EXPECT_EQ(6, img->switches[0].color);
	EXPECT_EQ(1, img->routes[5].pos);
	wafer_image_free(img);
}

/* A version 1 image cannot have the version 2 sections or positions. */
TEST_F(img3, needs_version_2)
{
	tt_put(tt_sdata(self->b, ".wse.info"), 1, 4);
	ASSERT_EQ(-EINVAL, parse3(self, NULL));
	ASSERT_STREQ("section .wse.tasks: needs format version 2, the image is version 1",
		     self->err);
}

/* Task 30 is the timer task: local only (it was reserved before). */
TEST_F(img3, task_timer_id)
{
	TASK3(2)[8] = 30;
	ASSERT_EQ(0, parse3(self, NULL)) TH_LOG("%s", self->err);
	TASK3(1)[8] = 30;
	ASSERT_EQ(-EINVAL, parse3(self, NULL));
	ASSERT_STREQ("section .wse.tasks: record 1: task 30 is the timer task and must be local",
		     self->err);
}

TEST_F(img3, task_id_range)
{
	TASK3(2)[8] = 64;
	ASSERT_EQ(-EINVAL, parse3(self, NULL));
	ASSERT_STREQ("section .wse.tasks: record 2: task id 64 out of range 0..63",
		     self->err);
}

TEST_F(img3, task_kind)
{
	TASK3(2)[9] = 4;
	ASSERT_EQ(-EINVAL, parse3(self, NULL));
	ASSERT_STREQ("section .wse.tasks: record 2: task kind 4 is not 1 (data), 2 (local) or 3 (control)",
		     self->err);
}

TEST_F(img3, teardown_task_local)
{
	TASK3(3)[9] = WAFER_TASK_DATA;
	TASK3(3)[10] = 7;
	ASSERT_EQ(-EINVAL, parse3(self, NULL));
	ASSERT_STREQ("section .wse.tasks: record 3: task 29 is the teardown task and must be local",
		     self->err);
}

TEST_F(img3, task_color)
{
	TASK3(0)[10] = 24;
	ASSERT_EQ(-EINVAL, parse3(self, NULL));
	ASSERT_STREQ("section .wse.tasks: record 0: color 24 of a data task (data and control tasks: 0..23, local tasks: 0)",
		     self->err);
}

TEST_F(img3, task_entry)
{
	tt_put(TASK3(1) + 4, 12, 4);
	ASSERT_EQ(-EINVAL, parse3(self, NULL));
	ASSERT_STREQ("section .wse.tasks: record 1: entry 0xc of task 2 is not an 8-aligned address in the code of group main",
		     self->err);
	tt_put(TASK3(1) + 4, 16, 4);
	ASSERT_EQ(-EINVAL, parse3(self, NULL));
	ASSERT_STREQ("section .wse.tasks: record 1: entry 0x10 of task 2 is not an 8-aligned address in the code of group main",
		     self->err);
}

TEST_F(img3, task_flags_and_prio)
{
	TASK3(0)[12] = WAFER_TASK_ACTIVE;
	ASSERT_EQ(-EINVAL, parse3(self, NULL));
	ASSERT_STREQ("section .wse.tasks: record 0: flags 0x2 (blocked 0x1; active 0x2, local tasks only)",
		     self->err);
	TASK3(0)[12] = 0;
	TASK3(0)[11] = 8;
	ASSERT_EQ(-EINVAL, parse3(self, NULL));
	ASSERT_STREQ("section .wse.tasks: record 0: priority 8 out of range 0..7",
		     self->err);
}

TEST_F(img3, task_twice_and_same_color)
{
	TASK3(3)[8] = 9;
	ASSERT_EQ(-EINVAL, parse3(self, NULL));
	ASSERT_STREQ("section .wse.tasks: task 9 of group main defined twice",
		     self->err);
	TASK3(3)[8] = 29;
	TASK3(1)[9] = WAFER_TASK_DATA;
	TASK3(1)[10] = 4;
	ASSERT_EQ(-EINVAL, parse3(self, NULL));
	ASSERT_STREQ("section .wse.tasks: tasks 1 and 2 of group main are both data tasks of color 4",
		     self->err);
}

TEST_F(img3, task_reserved_bytes)
{
	TASK3(1)[15] = 1;
	ASSERT_EQ(-EINVAL, parse3(self, NULL));
	ASSERT_STREQ("section .wse.tasks: record 1: reserved bytes must be 0",
		     self->err);
}

TEST_F(img3, route_position)
{
	uint8_t *r = tt_sdata(self->b, ".wse.routes") + 5 * WSE_ROUTE_SIZE;

	r[19] = 4;
	ASSERT_EQ(-EINVAL, parse3(self, NULL));
	ASSERT_STREQ("section .wse.routes: record 5: switch position 4 out of range 0..3",
		     self->err);
}

TEST_F(img3, switch_record)
{
	uint8_t *r = tt_sdata(self->b, ".wse.switches");

	r[17] = 2;
	ASSERT_EQ(-EINVAL, parse3(self, NULL));
	ASSERT_STREQ("section .wse.switches: record 0: flags 0x2 has bits outside 0x1",
		     self->err);
	r[17] = 1;
	tt_put(r + 8, 4, 4);	/* w 4 from x 1 */
	ASSERT_EQ(-EINVAL, parse3(self, NULL));
	ASSERT_STREQ("section .wse.switches: record 0: rectangle x 1 y 0 w 4 h 1 not inside the 4x1 layout",
		     self->err);
}

/* The truncations of a format 2 image are refused, never a crash. */
TEST_F(img3, every_truncation)
{
	size_t len = self->len;

	for (self->len = 0; self->len < len; self->len++)
		ASSERT_EQ(-EINVAL, parse3(self, NULL)) TH_LOG("length %zu", self->len);
}

TEST_HARNESS_MAIN
