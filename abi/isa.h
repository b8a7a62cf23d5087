/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * isa.h - instruction encoding of the wse processing element.
 *
 * The single source of truth for the encoding: the executor decodes with
 * it, the assembler encodes with it, the disassembler prints with it.
 * Documentation/wse/isa.rst describes the semantics and the cycle costs.
 *
 * Every instruction is one 64-bit little-endian word, 8-byte aligned:
 *
 *    63                32 31  28 27  24 23  20 19  16 15  12 11   8 7     0
 *   +--------------------+------+------+------+------+------+------+-------+
 *   |       imm32        | flags| type |  rc  |  rb  |  ra  |  rd  | opcode|
 *   +--------------------+------+------+------+------+------+------+-------+
 *
 * rd/ra/rb/rc name scalar registers r0..r15 or, for vector operations,
 * DSD registers d0..d7 (values 8..15 are illegal there). type is the vector
 * element type (enum isa_type). flags bit 0 (ISA_F_IMM) selects imm32 in
 * place of rb for the ALU and FP groups.
 *
 * Registers: r0 reads as zero and ignores writes; r15 is the link register
 * written by CALL/CALLR. pc is a byte address in the PE's SRAM.
 */
#ifndef WAFER_ISA_H
#define WAFER_ISA_H

#include <stdint.h>

#define ISA_INSN_BYTES	8
#define ISA_NUM_REGS	16
#define ISA_NUM_DSDS	8
#define ISA_REG_LR	15

#define ISA_F_IMM	0x1	/* operand b is imm32, not rb */

enum isa_type {
	ISA_T_I32 = 0,
	ISA_T_F32 = 1,
	ISA_T_I16 = 2,	/* optional: executors may refuse as illegal */
	ISA_T_F16 = 3,	/* optional: executors may refuse as illegal */
};

enum isa_opcode {
	ISA_OP_ILLEGAL	= 0x00,	/* zero-filled SRAM traps */
	ISA_OP_NOP	= 0x01,
	ISA_OP_HALT	= 0x02,

	/* Integer ALU: rd = ra OP (flags & IMM ? imm32 : rb) */
	ISA_OP_ADD	= 0x10,
	ISA_OP_SUB	= 0x11,
	ISA_OP_MUL	= 0x12,	/* low 32 bits */
	ISA_OP_DIVU	= 0x13,	/* x / 0 = 0xffffffff */
	ISA_OP_REMU	= 0x14,	/* x % 0 = x */
	ISA_OP_AND	= 0x15,
	ISA_OP_OR	= 0x16,
	ISA_OP_XOR	= 0x17,
	ISA_OP_SHL	= 0x18,	/* shift amount & 31 */
	ISA_OP_SHR	= 0x19,	/* logical */
	ISA_OP_SRA	= 0x1a,	/* arithmetic */
	ISA_OP_SLT	= 0x1b,	/* signed a < b ? 1 : 0 */
	ISA_OP_SLTU	= 0x1c,
	ISA_OP_SEQ	= 0x1d,
	ISA_OP_LI	= 0x1e,	/* rd = imm32 */
	ISA_OP_MOV	= 0x1f,	/* rd = ra */

	/* Scalar f32 on register bits: rd = ra OP (IMM ? imm32 bits : rb) */
	ISA_OP_FADD	= 0x20,
	ISA_OP_FSUB	= 0x21,
	ISA_OP_FMUL	= 0x22,
	ISA_OP_FDIV	= 0x23,
	ISA_OP_FMAX	= 0x24,
	ISA_OP_FMIN	= 0x25,
	ISA_OP_FLT	= 0x26,	/* rd = a < b ? 1 : 0 */
	ISA_OP_FEQ	= 0x27,
	ISA_OP_ITOF	= 0x28,	/* rd = (float)(int32)ra */
	ISA_OP_FTOI	= 0x29,	/* rd = (int32)truncf(ra), saturating */
	ISA_OP_FMA	= 0x2a,	/* rd = ra * rb + rc */

	/* Memory: address = ra + (int32)imm32 */
	ISA_OP_LD	= 0x30,	/* rd = 32-bit load, 4-aligned */
	ISA_OP_LDH	= 0x31,	/* rd = zero-extended 16-bit load, 2-aligned */
	ISA_OP_ST	= 0x32,	/* store rb (32 bits) */
	ISA_OP_STH	= 0x33,	/* store low 16 bits of rb */

	/* Control: targets are absolute SRAM byte addresses in imm32 */
	ISA_OP_BEQ	= 0x40,	/* if (ra == rb) pc = imm32 */
	ISA_OP_BNE	= 0x41,
	ISA_OP_BLT	= 0x42,	/* signed */
	ISA_OP_BGE	= 0x43,
	ISA_OP_BLTU	= 0x44,
	ISA_OP_BGEU	= 0x45,
	ISA_OP_JMP	= 0x46,	/* pc = imm32 */
	ISA_OP_JR	= 0x47,	/* pc = ra + imm32 */
	ISA_OP_CALL	= 0x48,	/* r15 = pc + 8; pc = imm32 */
	ISA_OP_CALLR	= 0x49,	/* r15 = pc + 8; pc = ra */
	ISA_OP_RET	= 0x4a,	/* pc = r15 */

	/* PE identity and state: rd = special value imm32 (enum isa_csr) */
	ISA_OP_CSR	= 0x50,

	/* Fabric, blocking (Kahn semantics): color in imm32 (0..23) */
	ISA_OP_SEND	= 0x58,	/* send wavelet ra on color */
	ISA_OP_RECV	= 0x59,	/* rd = next wavelet on color */

	/* DSD setup; type field = element type of the descriptor */
	ISA_OP_DMEM	= 0x60,	/* dD = memory DSD: base ra, length rb,
				 * stride (int32)imm32 elements */
	ISA_OP_DFAB	= 0x61,	/* dD = fabric DSD: color imm32, length rb */
	ISA_OP_DLEN	= 0x62,	/* dD.length = (IMM ? imm32 : rb) */
	ISA_OP_DADV	= 0x63,	/* memory dD.base += (IMM ? imm32 : rb) bytes */

	/*
	 * Vector operations, element type in type. Length = destination
	 * length (source length for reductions). A memory operand walks
	 * base + i * stride * elem_size; a fabric source receives, a fabric
	 * destination sends. Scalar operands come from register rc/rb.
	 */
	ISA_OP_VMOV	= 0x70,	/* dD = dA */
	ISA_OP_VADD	= 0x71,	/* dD = dA + dB */
	ISA_OP_VSUB	= 0x72,	/* dD = dA - dB */
	ISA_OP_VMUL	= 0x73,	/* dD = dA * dB */
	ISA_OP_VMAX	= 0x74,
	ISA_OP_VMIN	= 0x75,
	ISA_OP_VFMA	= 0x76,	/* dD = dA * dB + dC */
	ISA_OP_VFMACS	= 0x77,	/* dD = dA + dB * r[rc]  (SDK fmacs) */
	ISA_OP_VADDS	= 0x78,	/* dD = dA + r[rb] */
	ISA_OP_VMULS	= 0x79,	/* dD = dA * r[rb] */
	ISA_OP_VFILL	= 0x7a,	/* dD = r[ra] */
	ISA_OP_VRSUM	= 0x7b,	/* r[rd] = sum of dA (in element order) */
	ISA_OP_VRMAX	= 0x7c,	/* r[rd] = max of dA */
	ISA_OP_VRMIN	= 0x7d,	/* r[rd] = min of dA */
};

/* CSR numbers for ISA_OP_CSR. */
enum isa_csr {
	ISA_CSR_X	= 0,	/* PE x within the program */
	ISA_CSR_Y	= 1,
	ISA_CSR_PROG_W	= 2,	/* program extent */
	ISA_CSR_PROG_H	= 3,
	ISA_CSR_RECT_X	= 4,	/* PE x within its layout rectangle */
	ISA_CSR_RECT_Y	= 5,
	ISA_CSR_RECT_W	= 6,	/* layout rectangle size */
	ISA_CSR_RECT_H	= 7,
	ISA_CSR_CYCLES	= 8,	/* low 32 bits of the PE's modeled clock */
	ISA_CSR_SRAM	= 9,	/* SRAM bytes per PE */
};

struct isa_insn {
	uint8_t opcode;
	uint8_t rd, ra, rb, rc;
	uint8_t type;
	uint8_t flags;
	uint32_t imm;
};

static inline uint64_t isa_encode(const struct isa_insn *i)
{
	return (uint64_t)i->opcode |
	       (uint64_t)(i->rd & 0xf) << 8 |
	       (uint64_t)(i->ra & 0xf) << 12 |
	       (uint64_t)(i->rb & 0xf) << 16 |
	       (uint64_t)(i->rc & 0xf) << 20 |
	       (uint64_t)(i->type & 0xf) << 24 |
	       (uint64_t)(i->flags & 0xf) << 28 |
	       (uint64_t)i->imm << 32;
}

static inline void isa_decode(uint64_t w, struct isa_insn *i)
{
	i->opcode = w & 0xff;
	i->rd = (w >> 8) & 0xf;
	i->ra = (w >> 12) & 0xf;
	i->rb = (w >> 16) & 0xf;
	i->rc = (w >> 20) & 0xf;
	i->type = (w >> 24) & 0xf;
	i->flags = (w >> 28) & 0xf;
	i->imm = (uint32_t)(w >> 32);
}

#endif /* WAFER_ISA_H */
