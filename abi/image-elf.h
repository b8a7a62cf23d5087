/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * image-elf.h - on-disk layout of a wse kernel image (ELF64 LSB, ET_EXEC).
 *
 * Shared by the parser (image.c), the ELF writer of the assembler and the
 * disassembler. Documentation/wse/image-format.rst is the specification;
 * this header only names its numbers. Fields are read and written byte by
 * byte in little-endian order, never through these offsets as C structs,
 * so that the parser is independent of host endianness and alignment and
 * does not clash with the <elf.h> of whatever links it (QEMU has its own).
 */
#ifndef WAFER_IMAGE_ELF_H
#define WAFER_IMAGE_ELF_H

/*
 * Our own machine number: unassigned in the ELF registry (gABI list and
 * binutils' include/elf/common.h), ASCII "WS" read as a little-endian u16.
 */
#define WSE_EM_WAFER		0x5753

#define WSE_ELF_EHDR_SIZE	64
#define WSE_ELF_SHDR_SIZE	64
#define WSE_ELF_PHDR_SIZE	56
#define WSE_ELF_SYM_SIZE	24

/* e_ident */
#define WSE_EI_CLASS		4
#define WSE_EI_DATA		5
#define WSE_EI_VERSION		6
#define WSE_EI_OSABI		7
#define WSE_EI_ABIVERSION	8
#define WSE_EI_NIDENT		16
#define WSE_ELFCLASS64		2
#define WSE_ELFDATA2LSB		1
#define WSE_EV_CURRENT		1
#define WSE_ET_EXEC		2

/* Offsets in the ELF header. */
#define WSE_EH_TYPE		16	/* u16 */
#define WSE_EH_MACHINE		18	/* u16 */
#define WSE_EH_VERSION		20	/* u32 */
#define WSE_EH_ENTRY		24	/* u64 */
#define WSE_EH_PHOFF		32	/* u64 */
#define WSE_EH_SHOFF		40	/* u64 */
#define WSE_EH_FLAGS		48	/* u32 */
#define WSE_EH_EHSIZE		52	/* u16 */
#define WSE_EH_PHENTSIZE	54	/* u16 */
#define WSE_EH_PHNUM		56	/* u16 */
#define WSE_EH_SHENTSIZE	58	/* u16 */
#define WSE_EH_SHNUM		60	/* u16 */
#define WSE_EH_SHSTRNDX		62	/* u16 */

/* Offsets in a section header. */
#define WSE_SH_NAME		0	/* u32 */
#define WSE_SH_TYPE		4	/* u32 */
#define WSE_SH_FLAGS		8	/* u64 */
#define WSE_SH_ADDR		16	/* u64 */
#define WSE_SH_OFFSET		24	/* u64 */
#define WSE_SH_SIZE		32	/* u64 */
#define WSE_SH_LINK		40	/* u32 */
#define WSE_SH_INFO		44	/* u32 */
#define WSE_SH_ADDRALIGN	48	/* u64 */
#define WSE_SH_ENTSIZE		56	/* u64 */

#define WSE_SHT_NULL		0
#define WSE_SHT_PROGBITS	1
#define WSE_SHT_SYMTAB		2
#define WSE_SHT_STRTAB		3
#define WSE_SHT_NOBITS		8

#define WSE_SHF_WRITE		0x1
#define WSE_SHF_ALLOC		0x2
#define WSE_SHF_EXECINSTR	0x4

/* Offsets in a symbol. */
#define WSE_ST_NAME		0	/* u32 */
#define WSE_ST_INFO		4	/* u8 */
#define WSE_ST_OTHER		5	/* u8 */
#define WSE_ST_SHNDX		6	/* u16 */
#define WSE_ST_VALUE		8	/* u64 */
#define WSE_ST_SIZE		16	/* u64 */

#define WSE_STB_LOCAL		0
#define WSE_STB_GLOBAL		1
#define WSE_STT_NOTYPE		0
#define WSE_STT_OBJECT		1
#define WSE_STT_FUNC		2
#define WSE_SHN_LORESERVE	0xff00

/*
 * Section names. The assembler names segments after their group
 * (".text.<group>", ".data.<group>", ".bss.<group>"), but the parser finds
 * them through the group records of .wse.groups, not by name.
 */
#define WSE_SEC_INFO		".wse.info"
#define WSE_SEC_GROUPS		".wse.groups"
#define WSE_SEC_LAYOUT		".wse.layout"
#define WSE_SEC_ROUTES		".wse.routes"
#define WSE_SEC_CONSTS		".wse.consts"
#define WSE_SEC_SYMATTR		".wse.symattr"
#define WSE_SEC_TASKS		".wse.tasks"		/* version 2 */
#define WSE_SEC_SWITCHES	".wse.switches"		/* version 2 */
#define WSE_SEC_SYMTAB		".symtab"
#define WSE_SEC_STRTAB		".strtab"
#define WSE_SEC_SHSTRTAB	".shstrtab"
#define WSE_SEC_PREFIX		".wse."

/* .wse.info: one record. */
#define WSE_INFO_SIZE		16
#define WSE_INFO_VERSION	2	/* written when version 2 is needed */
#define WSE_INFO_VERSION_MIN	1	/* still loaded */
/* u32 version, u32 sram_bytes, u32 flags (0), u32 reserved (0) */

/* Record sizes (sh_entsize) of the table sections. */
/* u32 name (.strtab); u32 code, data, bss section index (0: none); u32 0 */
#define WSE_GROUP_SIZE		20
#define WSE_RECT_SIZE		20	/* u32 x, y, w, h, group */
#define WSE_ROUTE_SIZE		20	/* u32 x, y, w, h; u8 color, rx, tx,
					 * switch position (version 1: 0) */
#define WSE_CONST_SIZE		12	/* u32 group, addr, csr */
#define WSE_SYMATTR_SIZE	4	/* u8 elem_bytes, u8 elem_type, u16 0 */
/* u32 group, entry; u8 id, kind, color, priority, flags; u8 0, 0, 0 */
#define WSE_TASK_SIZE		16
/* u32 x, y, w, h; u8 color, flags; u16 0 */
#define WSE_SWITCH_SIZE		20

/* Alignment of segments in SRAM. */
#define WSE_CODE_ALIGN		8
#define WSE_DATA_ALIGN		4

/*
 * Limits: a well-formed image stays far below them; they bound the
 * parser's work and memory on hostile input.
 */
#define WSE_IMAGE_MAX_BYTES	(64u << 20)
#define WSE_IMAGE_MAX_SRAM	(16u << 20)
#define WSE_IMAGE_MAX_SECTIONS	1024
#define WSE_IMAGE_MAX_GROUPS	256
#define WSE_IMAGE_MAX_RECTS	4096
#define WSE_IMAGE_MAX_ROUTES	65536
#define WSE_IMAGE_MAX_CONSTS	65536
#define WSE_IMAGE_MAX_SYMBOLS	65536
#define WSE_IMAGE_MAX_TASKS	(256 * 64)	/* every id of every group */
#define WSE_IMAGE_MAX_SWITCHES	65536
#define WSE_IMAGE_MAX_NAME	255

#endif /* WAFER_IMAGE_ELF_H */
