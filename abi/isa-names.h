/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * isa-names.h - mnemonics and operand formats of the wse ISA (isa.h),
 * shared by the assembler (encode) and the disassembler (decode), and by
 * the executor for fault messages. Standalone C, like isa.h.
 */
#ifndef WAFER_ISA_NAMES_H
#define WAFER_ISA_NAMES_H

#include <stddef.h>
#include <stdint.h>

/* How an instruction's operands are written; see assembler.rst. */
enum isa_fmt {
	ISA_FMT_NONE,	/* nop, halt, ret, illegal */
	ISA_FMT_ALU,	/* rd, ra, rb | imm */
	ISA_FMT_FALU,	/* rd, ra, rb | float imm */
	ISA_FMT_RR,	/* rd, ra */
	ISA_FMT_LI,	/* rd, imm */
	ISA_FMT_FMA,	/* rd, ra, rb, rc */
	ISA_FMT_LOAD,	/* rd, [ra + imm] */
	ISA_FMT_STORE,	/* rb, [ra + imm] */
	ISA_FMT_BRANCH,	/* ra, rb, target */
	ISA_FMT_JUMP,	/* target */
	ISA_FMT_JR,	/* ra [, imm] */
	ISA_FMT_R,	/* ra */
	ISA_FMT_CSR,	/* rd, csr name */
	ISA_FMT_SEND,	/* ra, color */
	ISA_FMT_RECV,	/* rd, color */
	ISA_FMT_DMEM,	/* dD, ra (base), rb (length), stride */
	ISA_FMT_DFAB,	/* dD, color, rb (length) */
	ISA_FMT_DREG,	/* dD, rb | imm */
	ISA_FMT_V2,	/* dD, dA */
	ISA_FMT_V3,	/* dD, dA, dB */
	ISA_FMT_V4,	/* dD, dA, dB, dC */
	ISA_FMT_VFMACS,	/* dD, dA, dB, rc */
	ISA_FMT_VSCALAR, /* dD, dA, rb */
	ISA_FMT_VFILL,	/* dD, ra */
	ISA_FMT_VRED,	/* rd, dA */
	ISA_FMT_TASK,	/* task id */
	ISA_FMT_ASYNC,	/* microthread [, activate=T | unblock=T] */
	ISA_FMT_TENTRY,	/* task id, ra */
	ISA_FMT_SENDC,	/* ra, color, command */
	ISA_FMT_SWSET,	/* color, position */
	ISA_FMT_COLOR,	/* color */
	ISA_FMT_DDIM,	/* dD, dimension, rb (length), stride */
	ISA_FMT_VCVT,	/* dD, dA; mnemonic vcvt.TO.FROM */
	ISA_FMT_RIMM,	/* rb | imm (timer) */
};

struct isa_op_info {
	const char *name;	/* mnemonic without type suffix */
	uint8_t opcode;		/* enum isa_opcode */
	uint8_t fmt;		/* enum isa_fmt */
	uint8_t typed;		/* takes an element type suffix (.f32...) */
};

/* NULL when the opcode or name is not an instruction. */
const struct isa_op_info *isa_op_by_opcode(unsigned opcode);
const struct isa_op_info *isa_op_by_name(const char *name, size_t len);
/* Iterate the table: i = 0, 1, ... until NULL. */
const struct isa_op_info *isa_op_at(unsigned i);

/* "i32", "f32", "i16", "f16"; NULL / -1 when unknown. */
const char *isa_type_name(unsigned type);
int isa_type_by_name(const char *name, size_t len);

/* Lower-case CSR names ("x", "prog_w", ...); NULL / -1 when unknown. */
const char *isa_csr_name(unsigned csr);
int isa_csr_by_name(const char *name, size_t len);

/* Control wavelet commands (enum isa_ctl_cmd): "nop", "adv", "rst",
 * "teardown"; NULL / -1 when unknown. */
const char *isa_ctl_name(unsigned cmd);
int isa_ctl_by_name(const char *name, size_t len);

/* Router port names by bit (WAFER_PORT_*): "RAMP", "NORTH", ... */
const char *isa_port_name(unsigned bit);
int isa_port_by_name(const char *name, size_t len);

/* Returns a label name for an SRAM address, or NULL. */
typedef const char *(*isa_label_fn)(void *ctx, uint32_t addr);

/*
 * Write the assembler text of one instruction word into buf (mnemonic,
 * a tab, operands). Returns 0 when wse-as turns that text back into the
 * same word. Otherwise (unknown opcode, non-zero unused fields, operand
 * out of range) writes ".dword 0x<hex>" and returns -1. label, if not
 * NULL, names branch and call targets.
 */
int isa_disasm(uint64_t word, char *buf, size_t len, isa_label_fn label,
	       void *ctx);

#endif /* WAFER_ISA_NAMES_H */
