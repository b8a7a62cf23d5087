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
 * DSD registers d0..d15. type is the vector element type (enum isa_type).
 * flags bit 0 (ISA_F_IMM) selects imm32 in place of rb for the ALU and FP
 * groups and in place of the scalar register of vector-scalar operations;
 * bit 1 (ISA_F_SCALAR) makes the second source of a binary vector
 * operation a scalar (rb, or imm32 with ISA_F_IMM) instead of DSD dB.
 *
 * Dataflow: a PE runs tasks (entry pc per task id 0..63) to completion;
 * ASYNC is a prefix that runs the next vector operation on a microthread
 * (rd, 0..7) and, when it completes, activates or unblocks task
 * imm32 & 63 (action imm32 >> 6 & 3, enum isa_async_action). TIMER arms
 * the PE's one timer: task 30 is activated a delay later in modeled time.
 *
 * Registers: r0 reads as zero and ignores writes; r15 is the link register
 * written by CALL/CALLR. pc is a byte address in the PE's SRAM.
 */
#ifndef WAFER_ISA_H
#define WAFER_ISA_H

#include <stdint.h>

#define ISA_INSN_BYTES	8
#define ISA_NUM_REGS	16
#define ISA_NUM_DSDS	16
#define ISA_NUM_TASKS	64
#define ISA_NUM_UTHREADS	8
#define ISA_REG_LR	15

#define ISA_F_IMM	0x1	/* operand b is imm32, not rb */
#define ISA_F_SCALAR	0x2	/* vector: operand b is a scalar, not dB */

/* ASYNC: what the completion of the operation does to task imm32 & 63. */
enum isa_async_action {
	ISA_ASYNC_NONE = 0,
	ISA_ASYNC_ACTIVATE = 1,
	ISA_ASYNC_UNBLOCK = 2,
};
#define ISA_ASYNC_TASK(imm)	((imm) & 63)
#define ISA_ASYNC_ACTION(imm)	(((imm) >> 6) & 3)
#define ISA_ASYNC_IMM(task, action)	((uint32_t)(task) | (uint32_t)(action) << 6)

/* SENDC: the command a control wavelet carries (CSL's <control>). */
enum isa_ctl_cmd {
	ISA_CTL_NOP = 0,	/* only runs the receiver's control task */
	ISA_CTL_ADV = 1,	/* SWITCH_ADV: next switch position */
	ISA_CTL_RST = 2,	/* SWITCH_RST: back to position 0 */
	ISA_CTL_TEARDOWN = 3,	/* tear the color down at its receivers */
};
/* SENDC/SWSET/TDEXIT: color in imm32 bits 0..7, command/position above. */
#define ISA_FAB_COLOR(imm)	((imm) & 0xff)
#define ISA_FAB_ARG(imm)	((imm) >> 8)
#define ISA_FAB_IMM(color, arg)	((uint32_t)(color) | (uint32_t)(arg) << 8)

enum isa_type {
	ISA_T_I32 = 0,
	ISA_T_F32 = 1,
	ISA_T_I16 = 2,	/* optional: executors may refuse as illegal */
	ISA_T_F16 = 3,	/* optional: executors may refuse as illegal */
};

enum isa_opcode {
	ISA_OP_ILLEGAL	= 0x00,	/* zero-filled SRAM traps */
	ISA_OP_NOP	= 0x01,
	ISA_OP_HALT	= 0x02,	/* the PE stops: no more tasks */

	/* Tasks: task id in imm32 (0..63) */
	ISA_OP_TRET	= 0x03,	/* the running task returns */
	ISA_OP_ACTIVATE	= 0x04,
	ISA_OP_BLOCK	= 0x05,
	ISA_OP_UNBLOCK	= 0x06,
	ISA_OP_ASYNC	= 0x07,	/* prefix: microthread rd, task/action imm32 */
	ISA_OP_TENTRY	= 0x08,	/* entry pc of task imm32 = ra */

	/* Router: color in imm32 bits 0..7 */
	ISA_OP_SENDC	= 0x09,	/* control wavelet, command imm32 >> 8, payload ra */
	ISA_OP_SWSET	= 0x0a,	/* own router's position imm32 >> 8 (teardown) */
	ISA_OP_TDEXIT	= 0x0b,	/* own router leaves teardown on the color */

	/* Timer: activates task 30 (WAFER_TASK_TIMER, image.h) after a delay */
	ISA_OP_TIMER	= 0x0c,	/* arm: delay (flags & IMM ? imm32 : rb) */
	ISA_OP_TCANCEL	= 0x0d,	/* disarm */

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
	ISA_OP_DDIM	= 0x64,	/* memory dD dimension rc (1..3): length rb,
				 * stride (int32)imm32 elements */

	/*
	 * Vector operations, element type in type. n = the destination's
	 * element count (the product of its lengths; the source's for
	 * reductions). A memory operand walks its dimensions, dimension 0
	 * fastest, the outermost one as far as n needs; a fabric source
	 * receives, a fabric destination sends. Scalar operands come from
	 * register rc/rb (or imm32 with ISA_F_IMM). isa.rst has the rules.
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
	/* Integer types only: */
	ISA_OP_VAND	= 0x7e,	/* dD = dA & b */
	ISA_OP_VOR	= 0x7f,
	ISA_OP_VXOR	= 0x80,
	ISA_OP_VNOT	= 0x81,	/* dD = ~dA */
	ISA_OP_VSHL	= 0x82,	/* dD = dA << (b & (bits - 1)) */
	ISA_OP_VSHR	= 0x83,	/* logical */
	ISA_OP_VSRA	= 0x84,	/* arithmetic */
	/* Compares: dD (integer type of the same width) = a OP b ? 1 : 0 */
	ISA_OP_VSEQ	= 0x85,
	ISA_OP_VSNE	= 0x86,
	ISA_OP_VSLT	= 0x87,	/* signed for integers */
	ISA_OP_VSLE	= 0x88,
	ISA_OP_VSGT	= 0x89,
	ISA_OP_VSGE	= 0x8a,
	ISA_OP_VSEL	= 0x8b,	/* dD = dC != 0 ? dA : dB (dC integer) */
	ISA_OP_VABS	= 0x8c,	/* dD = |dA| */
	ISA_OP_VNEG	= 0x8d,	/* dD = -dA */
	ISA_OP_VCVT	= 0x8e,	/* dD (type) = dA converted from type rc */
};

#define ISA_OP_VFIRST	ISA_OP_VMOV
#define ISA_OP_VLAST	ISA_OP_VCVT

static inline int isa_op_is_vector(unsigned op)
{
	return op >= ISA_OP_VFIRST && op <= ISA_OP_VLAST;
}

static inline int isa_op_is_reduction(unsigned op)
{
	return op >= ISA_OP_VRSUM && op <= ISA_OP_VRMIN;
}

static inline int isa_op_is_compare(unsigned op)
{
	return op >= ISA_OP_VSEQ && op <= ISA_OP_VSGE;
}

/* Binary vector ops whose second source may be a scalar (ISA_F_SCALAR). */
static inline int isa_op_takes_scalar(unsigned op)
{
	return (op >= ISA_OP_VADD && op <= ISA_OP_VMIN) ||
	       (op >= ISA_OP_VAND && op <= ISA_OP_VXOR) ||
	       (op >= ISA_OP_VSHL && op <= ISA_OP_VSGE);
}

/* Vector ops defined on integer types only. */
static inline int isa_op_int_only(unsigned op)
{
	return op >= ISA_OP_VAND && op <= ISA_OP_VSRA;
}

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
	ISA_CSR_TASK	= 10,	/* running task id, 255 in the launched function */
};
#define ISA_CSR_LAST	ISA_CSR_TASK

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
